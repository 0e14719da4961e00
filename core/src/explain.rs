//! The explanation of one flow's verdict, as data.
//!
//! [`crate::evaluate`] fills these types; front ends render them (the CLI as
//! text or JSON, the page as the inspector) and use the [`Span`]s to highlight
//! the YAML that decided. Nothing here formats for a particular front end
//! except [`Reason::describe`], the one shared wording of a reason.
//!
//! Shape, for each side of a flow (egress of the source, ingress of the
//! destination):
//!
//! ```text
//! SideExplanation
//!   exemption? (external address, host network, loopback)
//!   isolated, by which policies
//!   PolicyExplanation (every policy that selects the subject for this side)
//!     RuleExplanation (every rule of that direction)
//!       ports: Any | [PortCheck]           <- "which ports[k] matched"
//!       peers: Any | [PeerCheck]            <- the OR list, from[j]/to[j]
//!         terms: [TermCheck]                <- the AND inside one entry
//!   allowed_by: [RuleMatch]                 <- every (policy, rule, peer, port) admitting the flow
//!   near_misses: [NearMiss]                 <- entries that failed on exactly one term
//!   tiers: [TierStep]                       <- the decision chain: Admin → NetworkPolicy → Baseline
//!     rules: [ClusterRuleExplanation]       <- a cluster policy's rules, up to the deciding one
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use crate::labels::Operator;
use crate::model::{Direction, PortRef, Probe, Protocol, Scenario};
use crate::span::Span;

/// One end of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowEnd {
    /// An endpoint of the scenario, by index.
    Endpoint(usize),
    /// An address outside the scenario's endpoints (or a pod IP typed by hand
    /// that matches no endpoint).
    Ip(IpAddr),
}

/// A connection attempt: `from` opens a connection to `to` on `probe`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Flow {
    /// The client.
    pub from: FlowEnd,
    /// The server.
    pub to: FlowEnd,
    /// Protocol and destination port.
    pub probe: Probe,
}

/// The verdict on a flow and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The flow explained.
    pub flow: Flow,
    /// Whether the connection is allowed: both sides allow it.
    pub allowed: bool,
    /// The source's egress side.
    pub egress: SideExplanation,
    /// The destination's ingress side.
    pub ingress: SideExplanation,
}

/// Why a side is not subject to policies at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exemption {
    /// This end is an external address: no NetworkPolicy selects it.
    External,
    /// This end is a `hostNetwork` pod: policies neither isolate nor select
    /// it (the common implementation, per the NetworkPolicy concepts page,
    /// "NetworkPolicy and hostNetwork pods").
    HostNetwork,
    /// Source and destination are the same pod. Upstream conformance tests
    /// always expect this to be allowed (`Reachability.AllowLoopback` in
    /// test/e2e/network/netpol/reachability.go).
    Loopback,
}

/// One side's verdict: the source's egress, or the destination's ingress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideExplanation {
    /// Which side.
    pub direction: Direction,
    /// The endpoint whose policies decide this side (source for egress,
    /// destination for ingress); `None` when that end is an IP.
    pub subject: Option<usize>,
    /// Why policies do not apply to this side at all, if so.
    pub exemption: Option<Exemption>,
    /// Whether some policy selecting the subject has this direction in its
    /// `policyTypes`. A side that is not isolated allows everything.
    pub isolated: bool,
    /// The verdict for this side.
    pub allowed: bool,
    /// Every policy that selects the subject and has this direction's type,
    /// in scenario order, with every rule checked.
    pub policies: Vec<PolicyExplanation>,
    /// Policies that select the subject but only for the other direction
    /// (they do not isolate this side), by index.
    pub other_direction_policies: Vec<usize>,
    /// Every (rule, peer, port) that admits the flow; empty when denied.
    pub allowed_by: Vec<RuleMatch>,
    /// Peers that failed on exactly one term (or whose rule failed only on
    /// ports), for "would match if …" hints.
    pub near_misses: Vec<NearMiss>,
    /// The decision chain across tiers, in evaluation order: each Admin-tier
    /// cluster policy consulted, the NetworkPolicy tier, each Baseline-tier
    /// cluster policy consulted, up to and including the step that decided.
    /// When the last step is not final (`Pass`/`NoMatch`) the default allow
    /// decided. Empty for an exempt side. When an Admin policy decides,
    /// `policies` still shows what the NetworkPolicy tier would have checked,
    /// but `allowed_by` and `near_misses` are empty: that tier was not reached.
    pub tiers: Vec<TierStep>,
}

/// A tier of the evaluation order (network-policy-api
/// `apis/v1alpha2/clusternetworkpolicy_types.go`, `ClusterNetworkPolicySpec.Tier`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TierKind {
    /// Admin-tier cluster policies (ClusterNetworkPolicy `tier: Admin`,
    /// AdminNetworkPolicy).
    Admin,
    /// Namespaced NetworkPolicies.
    NetworkPolicy,
    /// Baseline-tier cluster policies (ClusterNetworkPolicy `tier: Baseline`,
    /// BaselineAdminNetworkPolicy).
    Baseline,
}

impl TierKind {
    /// `Admin` / `NetworkPolicy` / `Baseline`.
    pub fn as_str(self) -> &'static str {
        match self {
            TierKind::Admin => "Admin",
            TierKind::NetworkPolicy => "NetworkPolicy",
            TierKind::Baseline => "Baseline",
        }
    }
}

/// One step of a side's decision chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierStep {
    /// Which tier.
    pub tier: TierKind,
    /// For Admin and Baseline steps, the cluster policy, by index in
    /// [`Scenario::cluster_policies`]; `None` for the NetworkPolicy step
    /// (whose details are the side's `policies`).
    pub policy: Option<usize>,
    /// For cluster policies: the rules of this direction checked in order, up
    /// to and including the first that matched (later rules are not
    /// consulted). Empty for the NetworkPolicy step.
    pub rules: Vec<ClusterRuleExplanation>,
    /// What this step decided.
    pub verdict: crate::eval::tier::Verdict,
}

impl TierStep {
    /// The rule that decided this step (the last one checked, if it matched).
    pub fn matched_rule(&self) -> Option<&ClusterRuleExplanation> {
        self.rules.last().filter(|r| r.matched)
    }
}

/// One cluster-policy rule checked against the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterRuleExplanation {
    /// Index in the policy's `ingress`/`egress` list.
    pub index: usize,
    /// The rule's action.
    pub action: crate::model::ClusterAction,
    /// Whether the rule matched (a peer AND a port).
    pub matched: bool,
    /// The `from`/`to` entries (always listed: the API requires at least one).
    pub peers: PeersCheck,
    /// The `ports`/`protocols` entries, or `Any` when none are listed.
    pub ports: PortsCheck,
    /// The whole rule.
    pub span: Span,
}

impl SideExplanation {
    /// The first rule that admits the flow, if any.
    pub fn first_allowing(&self) -> Option<&RuleMatch> {
        self.allowed_by.first()
    }
}

/// A policy's rules checked against the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyExplanation {
    /// The policy, by index in [`Scenario::policies`].
    pub policy: usize,
    /// Where `spec.podSelector` is written (why the policy selects the pod).
    pub pod_selector_span: Span,
    /// One entry per rule of this direction, in order. Empty when the policy
    /// has no rules for the direction (it isolates and allows nothing).
    pub rules: Vec<RuleExplanation>,
}

/// One rule checked against the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleExplanation {
    /// Index in the policy's `ingress`/`egress` list.
    pub index: usize,
    /// Whether the rule admits the flow (peers AND ports).
    pub matched: bool,
    /// The `from`/`to` check.
    pub peers: PeersCheck,
    /// The `ports` check.
    pub ports: PortsCheck,
    /// The whole rule.
    pub span: Span,
}

/// The result of checking a rule's peer list (the OR list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeersCheck {
    /// No (or an empty) `from`/`to`: every peer matches.
    Any,
    /// Each entry, in order; the list holds if any entry holds.
    Entries(Vec<PeerCheck>),
}

impl PeersCheck {
    /// Whether the list admits the peer.
    pub fn held(&self) -> bool {
        match self {
            PeersCheck::Any => true,
            PeersCheck::Entries(e) => e.iter().any(|p| p.held),
        }
    }
}

/// One entry `from[j]`/`to[j]`: the AND of its terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerCheck {
    /// `j`.
    pub index: usize,
    /// Whether every term held.
    pub held: bool,
    /// The terms, in the order `namespaceSelector`, `podSelector` (or the
    /// implied "same namespace as the policy"), `ipBlock`.
    pub terms: Vec<TermCheck>,
    /// The whole entry.
    pub span: Span,
}

/// Which term of a peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// `namespaceSelector`.
    NamespaceSelector,
    /// `podSelector`.
    PodSelector,
    /// No `namespaceSelector` was written, so only the policy's own
    /// namespace counts (the implied term of a lone `podSelector`).
    PolicyNamespace,
    /// `ipBlock`.
    IpBlock,
    /// A cluster policy's `networks` peer (CIDRs).
    Networks,
    /// A cluster policy's `nodes` peer.
    Nodes,
}

impl Term {
    /// The field name (or a description for the implied term).
    pub fn as_str(self) -> &'static str {
        match self {
            Term::NamespaceSelector => "namespaceSelector",
            Term::PodSelector => "podSelector",
            Term::PolicyNamespace => "policy namespace",
            Term::IpBlock => "ipBlock",
            Term::Networks => "networks",
            Term::Nodes => "nodes",
        }
    }
}

/// One term checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermCheck {
    /// Which term.
    pub term: Term,
    /// Whether it held.
    pub held: bool,
    /// Why, in data; [`Reason::describe`] words it.
    pub reason: Reason,
    /// Where the term is written (`None` for the implied namespace term).
    pub span: Option<Span>,
}

/// The result of checking a rule's `ports`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortsCheck {
    /// No (or an empty) `ports`: every port and protocol matches.
    Any,
    /// Each entry; the list holds if any entry holds.
    Entries(Vec<PortCheck>),
}

impl PortsCheck {
    /// Whether the list admits the probe.
    pub fn held(&self) -> bool {
        match self {
            PortsCheck::Any => true,
            PortsCheck::Entries(e) => e.iter().any(|p| p.held),
        }
    }
}

/// One `ports[k]` entry checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortCheck {
    /// `k`.
    pub index: usize,
    /// Whether the probe matched.
    pub held: bool,
    /// Why.
    pub reason: Reason,
    /// The entry.
    pub span: Span,
}

/// A rule entry that admits the flow, in the CLI JSON's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RuleMatch {
    /// Policy index.
    pub policy: usize,
    /// Index in the policy's `ingress`/`egress`.
    pub rule: usize,
    /// The matching `from`/`to` entry; `None` when the rule has no peer list.
    pub peer: Option<usize>,
    /// The matching `ports` entry; `None` when the rule has no port list.
    pub port: Option<usize>,
}

/// A peer that would have admitted the flow if one thing were different.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    /// Policy index.
    pub policy: usize,
    /// Rule index.
    pub rule: usize,
    /// The peer entry (`None` when the rule has no peer list and only the
    /// ports failed).
    pub peer: Option<usize>,
    /// The one failed check: a term of the peer, or the rule's ports.
    pub failed: NearMissCause,
}

/// What a near miss failed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NearMissCause {
    /// One term of an otherwise matching peer, whose ports matched.
    Term(TermCheck),
    /// The peer matched but no port entry did.
    Ports,
}

/// What a label check was about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelSubject {
    /// A namespace, by name.
    Namespace(String),
    /// An endpoint, as `namespace/name`.
    Endpoint(String),
}

/// Why a term or port check held or failed. Structured so front ends can
/// style parts of it; [`Reason::describe`] gives the shared sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The selector is `{}` and matches everything.
    EmptySelectorMatchesAll {
        /// What was checked.
        subject: LabelSubject,
    },
    /// Every requirement of the selector held.
    SelectorMatched {
        /// What was checked.
        subject: LabelSubject,
    },
    /// A requirement failed because the label is missing.
    LabelMissing {
        /// What was checked.
        subject: LabelSubject,
        /// The key.
        key: String,
        /// The operator that needed it.
        op: Operator,
        /// The values wanted (empty for `Exists`).
        wanted: Vec<String>,
    },
    /// A requirement failed because the label has another value.
    LabelValue {
        /// What was checked.
        subject: LabelSubject,
        /// The key.
        key: String,
        /// The value it has.
        actual: String,
        /// The operator.
        op: Operator,
        /// The values in the requirement.
        wanted: Vec<String>,
    },
    /// `DoesNotExist` failed: the label is there.
    LabelPresent {
        /// What was checked.
        subject: LabelSubject,
        /// The key.
        key: String,
        /// Its value.
        actual: String,
    },
    /// The peer's namespace is (or is not) the policy's namespace, for a
    /// `podSelector` without `namespaceSelector`.
    SameNamespace {
        /// The peer's namespace.
        peer_namespace: String,
        /// The policy's namespace.
        policy_namespace: String,
    },
    /// Selectors never match an external address.
    ExternalNotSelectable {
        /// The address.
        ip: IpAddr,
    },
    /// Selectors never match a host-network pod (its traffic is node traffic).
    HostNetworkNotSelectable {
        /// The endpoint, as `namespace/name`.
        endpoint: String,
    },
    /// The address is inside `cidr` and no `except`.
    IpInBlock {
        /// The address checked.
        ip: IpAddr,
        /// The block's CIDR.
        cidr: IpNet,
    },
    /// The address is outside `cidr`.
    IpOutsideCidr {
        /// The address checked.
        ip: IpAddr,
        /// The block's CIDR.
        cidr: IpNet,
    },
    /// The address is inside `except[index]`.
    IpExcepted {
        /// The address checked.
        ip: IpAddr,
        /// The except entry.
        except: IpNet,
        /// Its index.
        index: usize,
    },
    /// The endpoint has no IP (a workload template or a pending pod), so no
    /// ipBlock can match it.
    NoIp {
        /// The endpoint, as `namespace/name`.
        endpoint: String,
    },
    /// Port entry: the protocol differs.
    ProtocolDiffers {
        /// The entry's protocol.
        wanted: Protocol,
        /// The probe's protocol.
        actual: Protocol,
    },
    /// Port entry without `port`: every port of the protocol.
    AnyPortOfProtocol {
        /// The protocol.
        protocol: Protocol,
    },
    /// Port entry: numeric port (or range) compared with the probe.
    PortNumber {
        /// `port`.
        port: u16,
        /// `endPort`, if a range.
        end_port: Option<u16>,
        /// The probe's port.
        actual: u16,
    },
    /// Port entry: a named port resolved on the destination pod.
    NamedPortResolved {
        /// The name.
        name: String,
        /// What it resolved to.
        resolved: u16,
        /// The probe's port.
        actual: u16,
    },
    /// Port entry: the destination declares no port of that name and
    /// protocol (or is an external address), so the entry matches nothing.
    NamedPortUnresolved {
        /// The name.
        name: String,
        /// The destination, as `namespace/name`, or the IP.
        destination: String,
    },
    /// A `nodes` peer: the scenario has no Node objects, so it matches
    /// nothing here.
    NodesNotModelled,
    /// The flow names an endpoint index the scenario does not have (a stale
    /// index from a caller): no selector or ipBlock matches it.
    UnknownEndpoint {
        /// The index.
        index: usize,
    },
}

fn quote_list(values: &[String]) -> String {
    let mut s = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('`');
        s.push_str(v);
        s.push('`');
    }
    s
}

impl LabelSubject {
    fn describe(&self) -> String {
        match self {
            LabelSubject::Namespace(n) => format!("namespace `{n}`"),
            LabelSubject::Endpoint(e) => format!("pod `{e}`"),
        }
    }
}

impl Reason {
    /// The sentence a person reads, e.g. "namespace `monitoring` has no label
    /// `purpose`" or "10.0.1.5 is inside except 10.0.1.0/24".
    pub fn describe(&self) -> String {
        match self {
            Reason::EmptySelectorMatchesAll { subject } => {
                format!("empty selector `{{}}` matches every object, including {}", subject.describe())
            }
            Reason::SelectorMatched { subject } => format!("{} matches every requirement", subject.describe()),
            Reason::LabelMissing { subject, key, op, wanted } => match op {
                Operator::Exists => format!("{} has no label `{key}` (Exists)", subject.describe()),
                _ if wanted.len() == 1 => {
                    format!("{} has no label `{key}` (needs `{key}={}`)", subject.describe(), wanted[0])
                }
                _ => format!("{} has no label `{key}` (needs one of {})", subject.describe(), quote_list(wanted)),
            },
            Reason::LabelValue { subject, key, actual, op, wanted } => match op {
                Operator::NotIn => {
                    format!("{} has `{key}={actual}`, which NotIn excludes", subject.describe())
                }
                _ if wanted.len() == 1 => {
                    format!("{} has `{key}={actual}`, not `{key}={}`", subject.describe(), wanted[0])
                }
                _ => format!("{} has `{key}={actual}`, not one of {}", subject.describe(), quote_list(wanted)),
            },
            Reason::LabelPresent { subject, key, actual } => {
                format!("{} has label `{key}={actual}` (DoesNotExist)", subject.describe())
            }
            Reason::SameNamespace { peer_namespace, policy_namespace } => {
                if peer_namespace == policy_namespace {
                    format!("peer is in the policy's namespace `{policy_namespace}`")
                } else {
                    format!(
                        "peer is in namespace `{peer_namespace}`, but a podSelector without namespaceSelector only selects pods in the policy's namespace `{policy_namespace}`"
                    )
                }
            }
            Reason::ExternalNotSelectable { ip } => {
                format!("{ip} is not a pod: pod and namespace selectors never match external addresses")
            }
            Reason::HostNetworkNotSelectable { endpoint } => format!(
                "`{endpoint}` uses the host network: selectors do not match it (its traffic comes from the node IP)"
            ),
            Reason::IpInBlock { ip, cidr } => format!("{ip} is inside {cidr} and no except"),
            Reason::IpOutsideCidr { ip, cidr } => format!("{ip} is outside {cidr}"),
            Reason::IpExcepted { ip, except, index } => format!("{ip} is inside except[{index}] {except}"),
            Reason::NoIp { endpoint } => {
                format!("`{endpoint}` has no IP address (no status.podIP), so no ipBlock can match it")
            }
            Reason::ProtocolDiffers { wanted, actual } => format!("protocol is {actual}, the entry allows {wanted}"),
            Reason::AnyPortOfProtocol { protocol } => format!("every {protocol} port is allowed"),
            Reason::PortNumber { port, end_port: None, actual } => {
                if port == actual {
                    format!("port {actual} is port {port}")
                } else {
                    format!("port {actual} is not port {port}")
                }
            }
            Reason::PortNumber { port, end_port: Some(end), actual } => {
                if (*port..=*end).contains(actual) {
                    format!("port {actual} is inside {port}-{end}")
                } else {
                    format!("port {actual} is outside {port}-{end}")
                }
            }
            Reason::NamedPortResolved { name, resolved, actual } => {
                if resolved == actual {
                    format!("named port `{name}` is {resolved} on the destination")
                } else {
                    format!("named port `{name}` is {resolved} on the destination, not {actual}")
                }
            }
            Reason::NodesNotModelled => {
                String::from("the scenario has no Node objects, so a `nodes` peer matches nothing here")
            }
            Reason::UnknownEndpoint { index } => {
                format!("endpoint #{index} is not in the scenario, so nothing selects it")
            }
            Reason::NamedPortUnresolved { name, destination } => {
                format!("`{destination}` declares no container port named `{name}` with this protocol, so this entry matches nothing")
            }
        }
    }
}

/// A label for a [`PortRef`]-bearing port entry, e.g. `TCP/80-90` or `TCP/http`.
pub fn port_entry_label(protocol: Protocol, port: Option<&PortRef>, end_port: Option<u16>) -> String {
    match (port, end_port) {
        (None, _) => format!("{protocol}/*"),
        (Some(p), Some(end)) => format!("{protocol}/{p}-{end}"),
        (Some(p), None) => format!("{protocol}/{p}"),
    }
}

/// `namespace/name` of an endpoint, for messages.
pub fn endpoint_label(scenario: &Scenario, index: usize) -> String {
    scenario.endpoints.get(index).map(|e| format!("{}/{}", e.namespace, e.name)).unwrap_or_default()
}
