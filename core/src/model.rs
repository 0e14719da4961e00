//! The cluster model: namespaces, endpoints, services and policies, as plain
//! data with typed fields and source spans.
//!
//! The model is deliberately not serializable: formats for other tools (the
//! CLI's JSON, share links) are their own types, so the model can change
//! without breaking them.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

use ipnet::IpNet;

use crate::labels::{LabelSelector, Labels};
use crate::span::Span;

mod cluster;
pub use cluster::{
    ClusterAction, ClusterPeer, ClusterPeerKind, ClusterPolicy, ClusterPolicyApi, ClusterPort, ClusterPortKind,
    ClusterRule, ClusterSubject, ClusterTier,
};

/// The label every namespace carries, set by the API server since 1.21
/// (`NamespaceDefaultLabelName` feature, GA in 1.22).
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A transport protocol that NetworkPolicy ports can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// TCP (the default when `protocol` is omitted).
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl Protocol {
    /// All protocols, in display order.
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// The protocol as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    /// Parses the API spelling (exact, upper case, as the API server requires).
    pub fn from_api(s: &str) -> Option<Protocol> {
        match s {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a connection attempt is made on: a protocol and a destination port
/// number, e.g. `TCP/80`. Named ports are resolved *to* numbers, so a probe is
/// always numeric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Probe {
    /// The protocol.
    pub protocol: Protocol,
    /// The destination port.
    pub port: u16,
}

impl Probe {
    /// A probe for `protocol`/`port`.
    pub const fn new(protocol: Protocol, port: u16) -> Self {
        Probe { protocol, port }
    }

    /// Parses `TCP/80`, `udp/53` or `80` (TCP). Port 0 is rejected.
    pub fn parse(s: &str) -> Option<Probe> {
        let (proto, port) = match s.split_once('/') {
            Some((p, n)) => (p.trim(), n.trim()),
            None => ("TCP", s.trim()),
        };
        let mut upper = [0u8; 4];
        if proto.len() > upper.len() {
            return None;
        }
        for (dst, src) in upper.iter_mut().zip(proto.bytes()) {
            *dst = src.to_ascii_uppercase();
        }
        let proto = core::str::from_utf8(&upper[..proto.len()]).ok()?;
        let protocol = Protocol::from_api(proto)?;
        let port: u16 = port.parse().ok()?;
        (port != 0).then_some(Probe { protocol, port })
    }
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.protocol, self.port)
    }
}

/// A namespace, declared in the input or implied by a reference to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Namespace {
    /// The name.
    pub name: String,
    /// Its labels, always including [`NAMESPACE_NAME_LABEL`]` = name`.
    pub labels: Labels,
    /// Where it is declared; `None` when it only exists because something
    /// refers to it.
    pub span: Option<Span>,
}

/// The kind of object an [`Endpoint`] stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EndpointKind {
    /// A `Pod`.
    Pod,
    /// The pod template of a `Deployment`.
    Deployment,
    /// The pod template of a `ReplicaSet`.
    ReplicaSet,
    /// The pod template of a `StatefulSet`.
    StatefulSet,
    /// The pod template of a `DaemonSet`.
    DaemonSet,
    /// The pod template of a `Job`.
    Job,
    /// The pod template of a `CronJob` (`spec.jobTemplate.spec.template`).
    CronJob,
    /// The pod template of a `ReplicationController`.
    ReplicationController,
}

impl EndpointKind {
    /// The Kubernetes kind name.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Pod => "Pod",
            EndpointKind::Deployment => "Deployment",
            EndpointKind::ReplicaSet => "ReplicaSet",
            EndpointKind::StatefulSet => "StatefulSet",
            EndpointKind::DaemonSet => "DaemonSet",
            EndpointKind::Job => "Job",
            EndpointKind::CronJob => "CronJob",
            EndpointKind::ReplicationController => "ReplicationController",
        }
    }
}

/// A port a container declares (`spec.containers[].ports[]`). Named ports in
/// policies are resolved against these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerPort {
    /// `name`, if any (an IANA_SVC_NAME).
    pub name: Option<String>,
    /// `containerPort`.
    pub port: u16,
    /// `protocol` (default TCP).
    pub protocol: Protocol,
}

/// Something traffic can flow from or to that policies select by labels: a
/// pod, or the pod template of a workload (standing for all its replicas).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The namespace.
    pub namespace: String,
    /// The object's name.
    pub name: String,
    /// What kind of object it is.
    pub kind: EndpointKind,
    /// Pod labels (for workloads, the template's labels).
    pub labels: Labels,
    /// `status.podIPs` (or `status.podIP`); empty for workloads and pending
    /// pods. ipBlock peers match these.
    pub ips: Vec<IpAddr>,
    /// Declared container ports.
    pub ports: Vec<ContainerPort>,
    /// `spec.hostNetwork`: such pods use the node's network and are neither
    /// isolated nor selectable by pod/namespace selectors.
    pub host_network: bool,
    /// Where it is declared.
    pub span: Span,
}

impl Endpoint {
    /// Resolves a named port to a number for `protocol`, as the destination
    /// pod declares it.
    pub fn resolve_named_port(&self, name: &str, protocol: Protocol) -> Option<u16> {
        self.ports.iter().find(|p| p.protocol == protocol && p.name.as_deref() == Some(name)).map(|p| p.port)
    }
}

/// A port given by number or by name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PortRef {
    /// A port number.
    Number(u16),
    /// A named port, resolved against the destination pod's container ports.
    Name(String),
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(s) => f.write_str(s),
        }
    }
}

/// One `spec.ports[]` entry of a Service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    /// `name`, if any.
    pub name: Option<String>,
    /// `port`: what clients connect to.
    pub port: u16,
    /// `protocol` (default TCP).
    pub protocol: Protocol,
    /// `targetPort` (defaults to `port`): the pod port traffic is sent to.
    pub target_port: PortRef,
}

/// A Service: a stable name for the pods its selector picks. Policies never
/// select Services; a flow to one is evaluated against its backing pods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// The namespace.
    pub namespace: String,
    /// The name.
    pub name: String,
    /// `spec.selector` (equality only); `None` for a Service without a
    /// selector, which selects no pods.
    pub selector: Option<Labels>,
    /// The ports.
    pub ports: Vec<ServicePort>,
    /// `spec.clusterIP`, if given and not `None`.
    pub cluster_ip: Option<IpAddr>,
    /// Where it is declared.
    pub span: Span,
}

/// `apiVersion` of a NetworkPolicy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyApiVersion {
    /// `networking.k8s.io/v1`.
    NetworkingV1,
    /// `extensions/v1beta1` (removed in 1.16; accepted with a notice).
    ExtensionsV1beta1,
}

/// `spec.policyTypes`, after defaulting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PolicyTypes {
    /// The policy isolates selected pods for ingress.
    pub ingress: bool,
    /// The policy isolates selected pods for egress.
    pub egress: bool,
    /// `policyTypes` was written; otherwise it was defaulted (Ingress always,
    /// Egress when an `egress` section exists).
    pub explicit: bool,
}

/// The direction a rule applies to, seen from the selected pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Traffic into the selected pod (`ingress`, peers under `from`).
    Ingress,
    /// Traffic out of the selected pod (`egress`, peers under `to`).
    Egress,
}

impl Direction {
    /// `ingress` / `egress`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The peer list's field name: `from` / `to`.
    pub fn peers_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

/// A NetworkPolicy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkPolicy {
    /// The namespace; the policy selects pods only here.
    pub namespace: String,
    /// The name.
    pub name: String,
    /// Which API version it was written in.
    pub api_version: PolicyApiVersion,
    /// `spec.podSelector`.
    pub pod_selector: LabelSelector,
    /// `spec.policyTypes`, defaulted.
    pub policy_types: PolicyTypes,
    /// `spec.ingress`.
    pub ingress: Vec<Rule>,
    /// `spec.egress`.
    pub egress: Vec<Rule>,
    /// The whole document.
    pub span: Span,
}

impl NetworkPolicy {
    /// Whether the policy isolates its pods in `direction`.
    pub fn has_type(&self, direction: Direction) -> bool {
        match direction {
            Direction::Ingress => self.policy_types.ingress,
            Direction::Egress => self.policy_types.egress,
        }
    }

    /// The rules for `direction`.
    pub fn rules(&self, direction: Direction) -> &[Rule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// One `ingress[i]` or `egress[i]` rule: it admits a flow when (any peer
/// matches) AND (any port matches).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// `from` / `to`. Empty (absent or `[]`) means every peer, including
    /// external addresses.
    pub peers: Vec<Peer>,
    /// `ports`. Empty (absent or `[]`) means every port and protocol.
    pub ports: Vec<PortSpec>,
    /// The whole rule.
    pub span: Span,
}

/// One entry of a `from`/`to` list. Entries are ORed; the terms inside one
/// entry are ANDed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    /// What the entry selects.
    pub kind: PeerKind,
    /// The whole entry.
    pub span: Span,
}

/// The two shapes a peer can take (the API server rejects `ipBlock` combined
/// with a selector, and an entry with no field at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerKind {
    /// `namespaceSelector` and/or `podSelector` (at least one is `Some`).
    ///
    /// - `podSelector` alone: pods in the policy's own namespace;
    /// - `namespaceSelector` alone: every pod in the matching namespaces;
    /// - both: pods matching `podSelector` in namespaces matching
    ///   `namespaceSelector`.
    Selectors {
        /// `namespaceSelector`.
        namespace_selector: Option<LabelSelector>,
        /// `podSelector`.
        pod_selector: Option<LabelSelector>,
    },
    /// `ipBlock`.
    IpBlock(IpBlock),
}

/// `ipBlock`: the addresses in `cidr` minus those in any of `except`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpBlock {
    /// `cidr` (host bits may be set, as the API allows; matching uses the
    /// network).
    pub cidr: IpNet,
    /// Where `cidr` is written.
    pub cidr_span: Span,
    /// `except`, each strictly inside `cidr`.
    pub except: Vec<IpNet>,
    /// Where each `except[k]` is written.
    pub except_spans: Vec<Span>,
}

impl IpBlock {
    /// Whether `ip` is in `cidr` and in no `except`.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        self.cidr.contains(ip) && !self.except.iter().any(|e| e.contains(ip))
    }

    /// The index of the first `except` entry containing `ip`.
    pub fn excepted_by(&self, ip: &IpAddr) -> Option<usize> {
        self.except.iter().position(|e| e.contains(ip))
    }
}

/// One `ports[k]` entry of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSpec {
    /// `protocol` (default TCP).
    pub protocol: Protocol,
    /// `port`; `None` means every port of `protocol`.
    pub port: Option<PortRef>,
    /// `endPort`: with a numeric `port`, the inclusive upper end of a range.
    pub end_port: Option<u16>,
    /// The whole entry.
    pub span: Span,
}

/// Everything the evaluator needs, with stable indices: explanations and the
/// matrix refer to endpoints, services and policies by their index here.
///
/// Invariants (kept by the parser and by [`Scenario::normalize`]): every
/// namespace an object is in or that is referenced exists in `namespaces`
/// exactly once and carries [`NAMESPACE_NAME_LABEL`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    /// Namespaces, sorted by name.
    pub namespaces: Vec<Namespace>,
    /// Pods and workload endpoints, in input order.
    pub endpoints: Vec<Endpoint>,
    /// Services, in input order.
    pub services: Vec<Service>,
    /// NetworkPolicies, in input order.
    pub policies: Vec<NetworkPolicy>,
    /// Cluster-wide policies (ClusterNetworkPolicy, AdminNetworkPolicy,
    /// BaselineAdminNetworkPolicy), in input order; evaluation sorts them by
    /// tier and priority.
    pub cluster_policies: Vec<ClusterPolicy>,
}

impl Scenario {
    /// Adds implied namespaces (those objects live in but nobody declared),
    /// gives every namespace its [`NAMESPACE_NAME_LABEL`], and sorts them.
    pub fn normalize(&mut self) {
        let mut n = Normalizer::new(self);
        n.scan(self, usize::MAX);
        n.finish(self);
    }

    /// The namespace called `name`.
    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.namespaces.binary_search_by(|n| n.name.as_str().cmp(name)).ok().map(|i| &self.namespaces[i])
    }

    /// The labels of namespace `name` (empty if unknown).
    pub fn namespace_labels(&self, name: &str) -> Option<&Labels> {
        self.namespace(name).map(|n| &n.labels)
    }

    /// The index of endpoint `namespace/name`.
    pub fn endpoint_index(&self, namespace: &str, name: &str) -> Option<usize> {
        self.endpoints.iter().position(|e| e.namespace == namespace && e.name == name)
    }

    /// The index of service `namespace/name`.
    pub fn service_index(&self, namespace: &str, name: &str) -> Option<usize> {
        self.services.iter().position(|s| s.namespace == namespace && s.name == name)
    }

    /// The index of policy `namespace/name`.
    pub fn policy_index(&self, namespace: &str, name: &str) -> Option<usize> {
        self.policies.iter().position(|p| p.namespace == namespace && p.name == name)
    }

    /// The pods (not workloads) and workload endpoints a service selects.
    pub fn service_backends(&self, service: usize) -> Vec<usize> {
        let Some(svc) = self.services.get(service) else { return Vec::new() };
        let Some(selector) = &svc.selector else { return Vec::new() };
        if selector.is_empty() {
            return Vec::new();
        }
        self.endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| e.namespace == svc.namespace && selector.iter().all(|(k, v)| e.labels.get(k) == Some(v)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The distinct probes the input names: numeric policy ports (the first
    /// port of each range), service ports' targets and declared container
    /// ports, sorted. What `netpol matrix` uses without `--probe`.
    pub fn probes_in_use(&self) -> Vec<Probe> {
        let mut probes = Vec::new();
        for policy in &self.policies {
            for rule in policy.ingress.iter().chain(&policy.egress) {
                for p in &rule.ports {
                    if let Some(PortRef::Number(n)) = p.port {
                        probes.push(Probe::new(p.protocol, n));
                    }
                }
            }
        }
        for policy in &self.cluster_policies {
            for rule in policy.ingress.iter().chain(&policy.egress) {
                for p in &rule.ports {
                    match p.kind {
                        ClusterPortKind::Number(protocol, n) | ClusterPortKind::Range(protocol, n, _) => {
                            probes.push(Probe::new(protocol, n))
                        }
                        ClusterPortKind::Named(_) => {}
                    }
                }
            }
        }
        for e in &self.endpoints {
            for p in &e.ports {
                probes.push(Probe::new(p.protocol, p.port));
            }
        }
        for s in &self.services {
            for p in &s.ports {
                if let PortRef::Number(n) = p.target_port {
                    probes.push(Probe::new(p.protocol, n));
                }
            }
        }
        crate::sort::sort(&mut probes);
        probes.dedup();
        probes
    }
}

/// [`Scenario::normalize`] in parts, so a resumable parse
/// ([`crate::parse::ParseJob`]) can spread it over steps: the pass over every
/// object's namespace (150,000 pods in a large cluster) is done by
/// [`Normalizer::scan`] a run of objects at a time, and only the namespaces
/// themselves are changed by [`Normalizer::finish`]. The scenario must not
/// change in between.
#[derive(Clone, Debug, Default)]
pub struct Normalizer {
    /// The declared namespaces' names, ascending.
    declared: Vec<String>,
    /// Namespaces objects live in that nobody declared, ascending.
    implied: Vec<String>,
    /// Objects scanned so far: endpoints, then services, then policies.
    next: usize,
}

impl Normalizer {
    /// Ready to scan `scenario`'s objects.
    pub fn new(scenario: &Scenario) -> Self {
        let declared = crate::sort::sorted_unique(scenario.namespaces.iter().map(|n| n.name.clone()).collect());
        Normalizer { declared, implied: Vec::new(), next: 0 }
    }

    /// Looks at the namespaces of the next (at least one, at most `budget`)
    /// objects; returns whether every object has been looked at.
    pub fn scan(&mut self, scenario: &Scenario, budget: usize) -> bool {
        let (endpoints, services) = (scenario.endpoints.len(), scenario.services.len());
        let total = endpoints + services + scenario.policies.len();
        let end = total.min(self.next.saturating_add(budget.max(1)));
        let mut last = None;
        while self.next < end {
            let i = self.next;
            self.next += 1;
            let ns = if i < endpoints {
                scenario.endpoints.get(i).map(|e| e.namespace.as_str())
            } else if i < endpoints + services {
                scenario.services.get(i - endpoints).map(|s| s.namespace.as_str())
            } else {
                scenario.policies.get(i - endpoints - services).map(|p| p.namespace.as_str())
            };
            let Some(ns) = ns else { continue };
            // Objects come grouped by namespace more often than not.
            if last == Some(ns) {
                continue;
            }
            last = Some(ns);
            if self.declared.binary_search_by(|d| d.as_str().cmp(ns)).is_ok() {
                continue;
            }
            if let Err(at) = self.implied.binary_search_by(|d| d.as_str().cmp(ns)) {
                self.implied.insert(at, String::from(ns));
            }
        }
        self.next >= total
    }

    /// Adds the implied namespaces (ascending), gives every namespace its
    /// name label and sorts them by name. Scans what [`Normalizer::scan`]
    /// has not yet.
    pub fn finish(mut self, scenario: &mut Scenario) {
        use alloc::string::ToString;
        while !self.scan(scenario, usize::MAX) {}
        for name in self.implied {
            scenario.namespaces.push(Namespace { name, labels: Labels::new(), span: None });
        }
        for ns in &mut scenario.namespaces {
            ns.labels.insert(NAMESPACE_NAME_LABEL.to_string(), ns.name.clone());
        }
        crate::sort::sort_by(&mut scenario.namespaces, |a, b| a.name.cmp(&b.name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_parsing_accepts_api_and_lowercase_forms() {
        assert_eq!(Probe::parse("TCP/80"), Some(Probe::new(Protocol::Tcp, 80)));
        assert_eq!(Probe::parse("udp/53"), Some(Probe::new(Protocol::Udp, 53)));
        assert_eq!(Probe::parse("8080"), Some(Probe::new(Protocol::Tcp, 8080)));
        assert_eq!(Probe::parse("sctp/9000"), Some(Probe::new(Protocol::Sctp, 9000)));
        assert_eq!(Probe::parse("TCP/0"), None);
        assert_eq!(Probe::parse("TCP/65536"), None);
        assert_eq!(Probe::parse("ICMP/1"), None);
        assert_eq!(Probe::parse("verylongproto/1"), None);
    }

    #[test]
    fn normalize_adds_implied_namespaces_with_the_name_label() {
        let mut s = Scenario::default();
        s.services.push(Service {
            namespace: "shop".into(),
            name: "api".into(),
            selector: None,
            ports: Vec::new(),
            cluster_ip: None,
            span: Span::default(),
        });
        s.normalize();
        let ns = s.namespace("shop").expect("implied namespace");
        assert_eq!(ns.labels.get(NAMESPACE_NAME_LABEL).map(String::as_str), Some("shop"));
        assert!(ns.span.is_none());
    }

    /// A [`Normalizer`] scanning one object per step ends where
    /// `normalize` does: implied namespaces of services and endpoints, in
    /// any order, each once, declared ones left alone.
    #[test]
    fn normalizer_in_steps_equals_normalize() {
        let mut s = Scenario::default();
        s.namespaces.push(Namespace { name: "prod".into(), labels: Labels::new(), span: None });
        for ns in ["zeta", "shop", "prod", "shop", "alpha"] {
            s.services.push(Service {
                namespace: ns.into(),
                name: "api".into(),
                selector: None,
                ports: Vec::new(),
                cluster_ip: None,
                span: Span::default(),
            });
        }
        let mut whole = s.clone();
        whole.normalize();
        let mut n = Normalizer::new(&s);
        let mut steps = 0;
        while !n.scan(&s, 1) {
            steps += 1;
        }
        n.finish(&mut s);
        assert_eq!(steps, 4);
        assert_eq!(s, whole);
        let names: Vec<&str> = s.namespaces.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["alpha", "prod", "shop", "zeta"]);
    }
}
