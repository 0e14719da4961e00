//! The flow inspector's view model: an [`Explanation`] from the core, turned
//! into labelled, ordered rows the component can draw without any logic.
//!
//! Nothing here decides a verdict: every `held`/`allowed` flag is copied from
//! the explanation. This module only names things (`from[1]`, `TCP/80`,
//! `prod/deny-all`) and words the "would match if …" hints.

use netpol_core::explain::{
    endpoint_label, Exemption, LabelSubject, NearMiss, NearMissCause, PeersCheck, PolicyExplanation, PortsCheck,
    Reason, RuleExplanation, SideExplanation, TermCheck,
};
use netpol_core::labels::Operator;
use netpol_core::model::Direction;
use netpol_core::{Explanation, FlowEnd, Scenario, Span};

mod chain;
pub use chain::{chain_view, ChainStep, ChainTier, ChainView, StepOutcome};

/// How one side of the flow is governed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SideStatus {
    /// Policies do not apply to this side at all (the sentence says why).
    Exempt(String),
    /// No policy with this direction selects the subject: everything allowed.
    NotIsolated,
    /// Isolated by these policies (`namespace/name`).
    Isolated(Vec<String>),
}

/// One side (egress of the source, ingress of the destination).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideView {
    /// `Egress of alice/client` / `Ingress of or-demo/db`.
    pub title: String,
    /// `egress` / `ingress`.
    pub direction: Direction,
    /// This side's verdict.
    pub allowed: bool,
    /// Exempt, isolated or not.
    pub status: SideStatus,
    /// Every isolating policy with its rules.
    pub policies: Vec<PolicyView>,
    /// Policies that select the subject only for the other direction.
    pub other_direction: Vec<String>,
    /// "would match if …" sentences.
    pub near_misses: Vec<NearMissView>,
    /// The decision chain across tiers; `None` when the scenario has no
    /// cluster policy (the inspector then looks as it always did) or the
    /// side is exempt.
    pub chain: Option<ChainView>,
}

/// A policy and its rules for one direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyView {
    /// `namespace/name`.
    pub name: String,
    /// The whole policy document.
    pub span: Option<Span>,
    /// `spec.podSelector`.
    pub selector_span: Span,
    /// Whether some rule of this policy admits the flow.
    pub admits: bool,
    /// The rules, in order (empty: the policy isolates and admits nothing).
    pub rules: Vec<RuleView>,
}

/// One `ingress[i]`/`egress[i]` rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleView {
    /// `ingress[0]`.
    pub label: String,
    /// A cluster policy rule's `name`, if written.
    pub name: Option<String>,
    /// A cluster policy rule's action (`Accept`, `Allow`, `Deny`, `Pass`);
    /// `None` for NetworkPolicy rules, which only allow.
    pub action: Option<&'static str>,
    /// `from` / `to`.
    pub peers_field: &'static str,
    /// `ports`, or `protocols` for a ClusterNetworkPolicy rule.
    pub ports_field: &'static str,
    /// Peers AND ports held.
    pub matched: bool,
    /// The rule.
    pub span: Span,
    /// The `ports` check: `None` means "every port".
    pub ports: Option<Vec<CheckView>>,
    /// Whether the ports check held.
    pub ports_held: bool,
    /// The OR list: `None` means "every peer".
    pub peers: Option<Vec<PeerView>>,
    /// Whether the peer list held.
    pub peers_held: bool,
}

/// One entry of the OR list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerView {
    /// `j`.
    pub index: usize,
    /// `from[1]`.
    pub label: String,
    /// Every term held.
    pub held: bool,
    /// This entry admits the flow (held, and the rule's ports held).
    pub decisive: bool,
    /// The entry.
    pub span: Span,
    /// The AND terms.
    pub terms: Vec<CheckView>,
}

/// One checked item: an AND term or a port entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckView {
    /// `namespaceSelector`, `TCP/80`, …
    pub label: String,
    /// Whether it held.
    pub held: bool,
    /// [`Reason::describe`].
    pub reason: String,
    /// Where it is written (`None` for the implied namespace term).
    pub span: Option<Span>,
}

/// A near miss, worded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMissView {
    /// `or-demo/allow · ingress[0] · from[1]`.
    pub location: String,
    /// `would match if namespace `bob` had label `user=alice``.
    pub hint: String,
    /// The peer (or rule) concerned.
    pub span: Option<Span>,
}

/// The whole inspector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowView {
    /// Both sides allow.
    pub allowed: bool,
    /// `alice/client → or-demo/db on TCP/5432`.
    pub summary: String,
    /// Egress of the source, then ingress of the destination.
    pub sides: [SideView; 2],
    /// What decided the flow, highlighted in the editor
    /// ([`crate::highlight::decisive_spans`]).
    pub decisive: Vec<Span>,
}

/// A readable name for a flow end.
pub fn end_label(scenario: &Scenario, end: FlowEnd) -> String {
    match end {
        FlowEnd::Endpoint(i) => endpoint_label(scenario, i),
        FlowEnd::Ip(ip) => ip.to_string(),
    }
}

fn policy_name(scenario: &Scenario, index: usize) -> String {
    scenario.policies.get(index).map_or_else(|| format!("policy #{index}"), |p| format!("{}/{}", p.namespace, p.name))
}

/// Builds the inspector's view of `explanation`.
pub fn flow_view(scenario: &Scenario, explanation: &Explanation) -> FlowView {
    let flow = explanation.flow;
    let from = end_label(scenario, flow.from);
    let to = end_label(scenario, flow.to);
    let summary = format!("{from} → {to} on {}", flow.probe);
    FlowView {
        allowed: explanation.allowed,
        summary,
        sides: [
            side_view(scenario, &explanation.egress, &format!("Egress of {from}")),
            side_view(scenario, &explanation.ingress, &format!("Ingress of {to}")),
        ],
        decisive: crate::highlight::decisive_spans(explanation),
    }
}

fn side_view(scenario: &Scenario, side: &SideExplanation, title: &str) -> SideView {
    let status = match (side.exemption, side.isolated) {
        (Some(e), _) => SideStatus::Exempt(exemption_text(e, side.direction)),
        (None, false) => SideStatus::NotIsolated,
        (None, true) => SideStatus::Isolated(side.policies.iter().map(|p| policy_name(scenario, p.policy)).collect()),
    };
    SideView {
        title: title.to_string(),
        direction: side.direction,
        allowed: side.allowed,
        status,
        policies: side.policies.iter().map(|p| policy_view(scenario, side, p)).collect(),
        other_direction: side.other_direction_policies.iter().map(|&i| policy_name(scenario, i)).collect(),
        near_misses: side.near_misses.iter().map(|n| near_miss_view(scenario, side, n)).collect(),
        chain: chain_view(scenario, side),
    }
}

fn exemption_text(exemption: Exemption, direction: Direction) -> String {
    match exemption {
        Exemption::External => format!(
            "An address outside the cluster: no NetworkPolicy selects it, so its {} is not restricted here.",
            direction.as_str()
        ),
        Exemption::HostNetwork => {
            "A hostNetwork pod: it uses the node's network, so NetworkPolicies neither isolate nor select it."
                .to_string()
        }
        Exemption::Loopback => "A pod talking to itself: always allowed, whatever the policies say.".to_string(),
    }
}

fn policy_view(scenario: &Scenario, side: &SideExplanation, p: &PolicyExplanation) -> PolicyView {
    PolicyView {
        name: policy_name(scenario, p.policy),
        span: scenario.policies.get(p.policy).map(|pol| pol.span),
        selector_span: p.pod_selector_span,
        // When an Admin-tier policy decided, the core leaves `allowed_by`
        // empty (the tier was not reached); the rules' own `matched` flags
        // still say what the policy would admit.
        admits: side.allowed_by.iter().any(|m| m.policy == p.policy) || p.rules.iter().any(|r| r.matched),
        rules: p.rules.iter().map(|r| rule_view(side, p.policy, r)).collect(),
    }
}

fn rule_view(side: &SideExplanation, policy: usize, r: &RuleExplanation) -> RuleView {
    let field = side.direction.peers_field();
    let decisive_peer =
        |j: usize| side.allowed_by.iter().any(|m| m.policy == policy && m.rule == r.index && m.peer == Some(j));
    let peers = match &r.peers {
        PeersCheck::Any => None,
        PeersCheck::Entries(entries) => Some(
            entries
                .iter()
                .map(|e| PeerView {
                    index: e.index,
                    label: format!("{field}[{}]", e.index),
                    held: e.held,
                    decisive: decisive_peer(e.index),
                    span: e.span,
                    terms: terms_view(&e.terms),
                })
                .collect(),
        ),
    };
    RuleView {
        label: format!("{}[{}]", side.direction.as_str(), r.index),
        name: None,
        action: None,
        peers_field: field,
        ports_field: "ports",
        matched: r.matched,
        span: r.span,
        ports: ports_view(&r.ports, "ports"),
        ports_held: r.ports.held(),
        peers,
        peers_held: r.peers.held(),
    }
}

fn term_view(t: &TermCheck) -> CheckView {
    CheckView { label: t.term.as_str().to_string(), held: t.held, reason: t.reason.describe(), span: t.span }
}

fn terms_view(terms: &[TermCheck]) -> Vec<CheckView> {
    terms.iter().map(term_view).collect()
}

/// A rule's port list as checks labelled `field[k]`; `None` means "every port".
fn ports_view(ports: &PortsCheck, field: &str) -> Option<Vec<CheckView>> {
    match ports {
        PortsCheck::Any => None,
        PortsCheck::Entries(entries) => Some(
            entries
                .iter()
                .map(|c| CheckView {
                    label: format!("{field}[{}]", c.index),
                    held: c.held,
                    reason: c.reason.describe(),
                    span: Some(c.span),
                })
                .collect(),
        ),
    }
}

fn near_miss_view(scenario: &Scenario, side: &SideExplanation, n: &NearMiss) -> NearMissView {
    let field = side.direction.peers_field();
    let mut location = format!("{} · {}[{}]", policy_name(scenario, n.policy), side.direction.as_str(), n.rule);
    if let Some(j) = n.peer {
        location.push_str(&format!(" · {field}[{j}]"));
    }
    let span = peer_span(side, n).or_else(|| rule_span(side, n));
    let hint = match &n.failed {
        NearMissCause::Term(t) => format!("would match if {}", would_hold_if(&t.reason)),
        NearMissCause::Ports => "would match if the rule's ports included this protocol and port".to_string(),
    };
    NearMissView { location, hint, span }
}

fn find_rule<'a>(side: &'a SideExplanation, n: &NearMiss) -> Option<&'a RuleExplanation> {
    side.policies.iter().find(|p| p.policy == n.policy)?.rules.iter().find(|r| r.index == n.rule)
}

fn rule_span(side: &SideExplanation, n: &NearMiss) -> Option<Span> {
    find_rule(side, n).map(|r| r.span)
}

fn peer_span(side: &SideExplanation, n: &NearMiss) -> Option<Span> {
    let j = n.peer?;
    match &find_rule(side, n)?.peers {
        PeersCheck::Entries(e) => e.iter().find(|p| p.index == j).map(|p| p.span),
        PeersCheck::Any => None,
    }
}

fn subject_text(subject: &LabelSubject) -> String {
    match subject {
        LabelSubject::Namespace(n) => format!("namespace `{n}`"),
        LabelSubject::Endpoint(e) => format!("pod `{e}`"),
    }
}

fn one_of(key: &str, values: &[String]) -> String {
    match values {
        [one] => format!("label `{key}={one}`"),
        _ => {
            let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            format!("label `{key}` set to one of {}", list.join(", "))
        }
    }
}

/// The condition under which a failed term would hold, phrased as the end
/// of "would match if …". Falls back to the core's own sentence when there
/// is no simple change to suggest.
pub fn would_hold_if(reason: &Reason) -> String {
    match reason {
        Reason::LabelMissing { subject, key, op, wanted } => match op {
            Operator::Exists => format!("{} had a label `{key}`", subject_text(subject)),
            _ => format!("{} had {}", subject_text(subject), one_of(key, wanted)),
        },
        Reason::LabelValue { subject, key, actual, op, wanted } => match op {
            Operator::NotIn => format!("{}'s label `{key}` were not `{actual}`", subject_text(subject)),
            _ => format!("{} had {} (it has `{key}={actual}`)", subject_text(subject), one_of(key, wanted)),
        },
        Reason::LabelPresent { subject, key, .. } => format!("{} had no label `{key}`", subject_text(subject)),
        Reason::SameNamespace { policy_namespace, .. } => {
            format!("the peer were in namespace `{policy_namespace}` (or the entry also had a namespaceSelector)")
        }
        Reason::IpOutsideCidr { cidr, .. } => format!("the address were inside {cidr}"),
        Reason::IpExcepted { except, index, .. } => format!("except[{index}] {except} did not cover the address"),
        Reason::ProtocolDiffers { wanted, .. } => format!("the protocol were {wanted}"),
        other => format!("this changed: {}", other.describe()),
    }
}

/// One backend of a Service flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendView {
    /// `TCP/80 → TCP/8080 on shop/api-1`.
    pub mapping: String,
    /// The backend's flow.
    pub flow: FlowView,
}

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InspectorData {
    /// Nothing to inspect; why.
    Message(String),
    /// One flow.
    Flow(Box<FlowView>),
    /// A flow to a Service, per backend.
    Service {
        /// `frontend/web → Service shop/api on TCP/80`.
        summary: String,
        /// How many backends admit the flow.
        allowed: usize,
        /// Backends with their flows.
        backends: Vec<BackendView>,
    },
}

/// Builds the inspector's content from what [`crate::flow_sel::inspect`]
/// returned.
pub fn inspector_data(
    scenario: &Scenario,
    result: &Result<crate::flow_sel::Inspection, crate::flow_sel::ChoiceError>,
) -> InspectorData {
    use crate::flow_sel::Inspection;
    match result {
        Err(e) => InspectorData::Message(e.message()),
        Ok(Inspection::Flow(ex)) => InspectorData::Flow(Box::new(flow_view(scenario, ex))),
        Ok(Inspection::Service { service, probe, backends }) => {
            let svc = scenario.services.get(*service);
            let svc_name = svc.map_or_else(String::new, |s| format!("{}/{}", s.namespace, s.name));
            let from = backends.first().map_or_else(String::new, |(_, ex)| end_label(scenario, ex.flow.from));
            let summary = if from.is_empty() {
                format!("Service {svc_name} on {probe}")
            } else {
                format!("{from} → Service {svc_name} on {probe}")
            };
            let target_port = svc
                .and_then(|s| s.ports.iter().find(|p| p.port == probe.port && p.protocol == probe.protocol))
                .map(|p| p.target_port.to_string());
            let backends: Vec<BackendView> = backends
                .iter()
                .map(|(t, ex)| {
                    let via = match &target_port {
                        Some(tp) if tp.parse::<u16>().is_err() => format!(" (targetPort `{tp}`)"),
                        _ => String::new(),
                    };
                    BackendView {
                        mapping: format!("{probe} → {}{via} on {}", t.probe, endpoint_label(scenario, t.endpoint)),
                        flow: flow_view(scenario, ex),
                    }
                })
                .collect();
            if backends.is_empty() {
                let why = if target_port.is_none() {
                    format!("Service {svc_name} has no port {probe}: pick one of its ports.")
                } else {
                    format!(
                        "Service {svc_name} selects no pod that can take {probe} (no backend, or none declares its named targetPort): the connection fails before any policy is consulted."
                    )
                };
                return InspectorData::Message(why);
            }
            let allowed = backends.iter().filter(|b| b.flow.allowed).count();
            InspectorData::Service { summary, allowed, backends }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow_sel::{inspect, FlowChoice};

    use netpol_core::presets::by_id;

    fn view_of(yaml: &str, from: &str, to: &str, probe: &str) -> (Scenario, InspectorData) {
        let out = netpol_core::parse::parse_str(yaml);
        assert!(!out.has_errors(), "{:?}", out.diagnostics);
        let choice = FlowChoice { from: from.into(), to: to.into(), probe: probe.into() };
        let result = inspect(&out.scenario, &choice);
        let data = inspector_data(&out.scenario, &result);
        (out.scenario, data)
    }

    fn flow(data: InspectorData) -> FlowView {
        match data {
            InspectorData::Flow(f) => *f,
            other => panic!("expected a flow, got {other:?}"),
        }
    }

    fn or_and() -> &'static str {
        by_id("or-vs-and").expect("the OR-vs-AND preset").yaml
    }

    /// Seed 000: `from: [namespaceSelector, podSelector]` (two entries) is an
    /// OR; the namespace entry admits every pod of `alice`.
    #[test]
    fn or_list_marks_the_namespace_entry_as_decisive() {
        let (_, data) = view_of(or_and(), "alice/web", "or-demo/db", "TCP/5432");
        let f = flow(data);
        assert!(f.allowed);
        let ingress = &f.sides[1];
        assert_eq!(ingress.title, "Ingress of or-demo/db");
        assert!(
            matches!(&ingress.status, SideStatus::Isolated(p) if p == &["or-demo/allow-alice-or-clients".to_string()])
        );
        let rule = &ingress.policies[0].rules[0];
        let peers = rule.peers.as_ref().expect("a from list");
        assert_eq!(peers.len(), 2);
        assert_eq!(peers[0].label, "from[0]");
        assert!(peers[0].held && peers[0].decisive);
        assert!(!peers[1].held && !peers[1].decisive);
        // The egress side is not isolated: nothing selects alice/web for egress.
        assert_eq!(f.sides[0].status, SideStatus::NotIsolated);
    }

    /// The same selectors in ONE entry are ANDed: alice/web is in the right
    /// namespace but is not a client, and the hint says what would fix it.
    #[test]
    fn and_entry_fails_on_one_term_and_explains_the_near_miss() {
        let (_, data) = view_of(or_and(), "alice/web", "and-demo/db", "TCP/5432");
        let f = flow(data);
        assert!(!f.allowed);
        let ingress = &f.sides[1];
        let peers = ingress.policies[0].rules[0].peers.as_ref().expect("a from list");
        assert_eq!(peers.len(), 1);
        let held: Vec<(String, bool)> = peers[0].terms.iter().map(|t| (t.label.clone(), t.held)).collect();
        assert_eq!(held, vec![("namespaceSelector".to_string(), true), ("podSelector".to_string(), false)]);
        assert!(!peers[0].held);
        let hints: Vec<&str> = ingress.near_misses.iter().map(|n| n.hint.as_str()).collect();
        assert!(hints.iter().any(|h| h.contains("alice/web") && h.contains("role=client")), "{hints:?}");
    }

    /// A Service is never selected by policies: the inspector maps its port
    /// to each backend's `targetPort` (here a named port) and explains each
    /// backend separately.
    #[test]
    fn service_flows_are_explained_per_backend_on_the_target_port() {
        let yaml = by_id("named-ports").expect("the named-ports preset").yaml;
        let (scenario, data) = view_of(yaml, "shop/web", "service:shop/api", "TCP/80");
        let InspectorData::Service { summary, allowed, backends } = data else {
            panic!("expected a Service inspection, got {data:?}");
        };
        assert_eq!(summary, "shop/web → Service shop/api on TCP/80");
        assert!(!backends.is_empty());
        assert_eq!(allowed, backends.iter().filter(|b| b.flow.allowed).count());
        for b in &backends {
            assert!(b.mapping.starts_with("TCP/80 → TCP/"), "{}", b.mapping);
            assert!(b.mapping.contains("(targetPort `http`)"), "{}", b.mapping);
            assert!(!b.mapping.contains("TCP/80 → TCP/80 "), "the named port resolves elsewhere: {}", b.mapping);
        }
        assert!(scenario.service_index("shop", "api").is_some());
        // A port the Service does not have is explained, not silently empty.
        let (_, data) = view_of(yaml, "shop/web", "service:shop/api", "TCP/81");
        assert!(matches!(data, InspectorData::Message(m) if m.contains("has no port TCP/81")));
    }

    #[test]
    fn unknown_ends_become_messages() {
        let (_, data) = view_of(or_and(), "nowhere/x", "and-demo/db", "TCP/5432");
        assert!(matches!(data, InspectorData::Message(m) if m.contains("nowhere/x")));
        let (_, data) = view_of(or_and(), "alice/web", "and-demo/db", "TCP/zero");
        assert!(matches!(data, InspectorData::Message(m) if m.contains("TCP/zero")));
    }

    #[test]
    fn would_hold_if_words_label_fixes() {
        let r = Reason::LabelMissing {
            subject: LabelSubject::Namespace("y".into()),
            key: "team".into(),
            op: Operator::Equals,
            wanted: vec!["platform".into()],
        };
        assert_eq!(would_hold_if(&r), "namespace `y` had label `team=platform`");
        let r = Reason::LabelValue {
            subject: LabelSubject::Endpoint("a/b".into()),
            key: "role".into(),
            actual: "web".into(),
            op: Operator::In,
            wanted: vec!["client".into(), "admin".into()],
        };
        assert_eq!(would_hold_if(&r), "pod `a/b` had label `role` set to one of `client`, `admin` (it has `role=web`)");
    }
}
