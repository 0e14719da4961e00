//! The Admin and Baseline tiers: cluster-wide policies (ClusterNetworkPolicy,
//! AdminNetworkPolicy, BaselineAdminNetworkPolicy) decided for one side.
//!
//! Semantics from kubernetes-sigs/network-policy-api
//! `apis/v1alpha2/clusternetworkpolicy_types.go` (and the v1alpha1 types it
//! supersedes), checked against its conformance suite
//! (`conformance/tests/admin-network-policy-core-*.go`,
//! `baseline-admin-network-policy-core-*.go`):
//!
//! - a policy applies to a side when its `subject` selects the side's pod
//!   (host-network pods are never subjects) and it has rules of that
//!   direction ("CNPs with no ingress rules do not affect ingress traffic");
//! - policies of a tier are consulted by ascending `priority`; equal
//!   priorities have no defined order upstream, so ties go by name here (the
//!   parser warns);
//! - within a policy, rules are consulted in order and the first rule whose
//!   peers AND ports match decides: `Accept`/`Allow` → [`Verdict::Allow`],
//!   `Deny` → [`Verdict::Deny`], `Pass` → [`Verdict::Pass`] (skip the rest of
//!   the tier); a policy with no matching rule defers to the next policy.
//!
//! Exemptions are decided before any tier, as for NetworkPolicy: a pod's
//! traffic to itself stays allowed. Upstream treats denying service hairpin
//! traffic as an optional feature (`SupportClusterNetworkPolicyHairpin`,
//! `conformance/tests/admin-network-policy-hairpin-rules.go`), so the core
//! keeps the loopback rule rather than model one implementation choice.

use alloc::vec::Vec;

use crate::explain::{
    ClusterRuleExplanation, PeerCheck, PeersCheck, PortCheck, PortsCheck, Reason, Term, TierKind, TierStep,
};
use crate::model::{
    ClusterAction, ClusterPeer, ClusterPeerKind, ClusterPolicy, ClusterPort, ClusterPortKind, ClusterRule,
    ClusterSubject, ClusterTier, Direction, Probe, Scenario,
};

use super::peer::{self, End};
use super::tier::Verdict;

/// The indices of `tier`'s cluster policies in evaluation order: ascending
/// priority, then name (our deterministic choice for upstream's undefined
/// order), then input order.
pub(crate) fn ordered(scenario: &Scenario, tier: ClusterTier) -> Vec<usize> {
    let mut order: Vec<usize> =
        scenario.cluster_policies.iter().enumerate().filter(|(_, p)| p.tier == tier).map(|(i, _)| i).collect();
    crate::sort::sort_by(&mut order, |&a, &b| {
        let (pa, pb) = (&scenario.cluster_policies[a], &scenario.cluster_policies[b]);
        (pa.priority, &pa.name, a).cmp(&(pb.priority, &pb.name, b))
    });
    order
}

/// Whether `policy`'s subject selects `subject` (never a host-network pod,
/// an external address or an unknown endpoint).
pub(crate) fn subject_selects(policy: &ClusterPolicy, subject: &End) -> bool {
    let Ok((endpoint, namespace_labels)) = peer::selectable(subject) else { return false };
    match &policy.subject {
        ClusterSubject::Namespaces(ns) => ns.matches(namespace_labels),
        ClusterSubject::Pods { namespace_selector, pod_selector } => {
            namespace_selector.matches(namespace_labels) && pod_selector.matches(&endpoint.labels)
        }
    }
}

/// The action as a tier verdict.
pub(crate) fn verdict_of(action: ClusterAction) -> Verdict {
    match action {
        ClusterAction::Accept => Verdict::Allow,
        ClusterAction::Deny => Verdict::Deny,
        ClusterAction::Pass => Verdict::Pass,
    }
}

/// Whether a peer entry admits `end`.
pub(crate) fn peer_matches(peer: &ClusterPeer, end: &End) -> bool {
    match &peer.kind {
        ClusterPeerKind::Namespaces(ns) => peer::selectable(end).is_ok_and(|(_, labels)| ns.matches(labels)),
        ClusterPeerKind::Pods { namespace_selector, pod_selector } => peer::selectable(end)
            .is_ok_and(|(e, labels)| namespace_selector.matches(labels) && pod_selector.matches(&e.labels)),
        ClusterPeerKind::Networks(nets, _) => match end {
            End::Ip(ip) => nets.iter().any(|n| n.contains(ip)),
            End::Endpoint { endpoint, .. } => endpoint.ips.iter().any(|ip| nets.iter().any(|n| n.contains(ip))),
            End::Unknown(_) => false,
        },
        ClusterPeerKind::Nodes(_) => false,
    }
}

/// The destination's container port named `name` (the first, as names are
/// unique within a pod): its protocol and number.
pub(crate) fn named_port(destination: &End, name: &str) -> Option<(crate::model::Protocol, u16)> {
    match destination {
        End::Endpoint { endpoint, .. } => {
            endpoint.ports.iter().find(|p| p.name.as_deref() == Some(name)).map(|p| (p.protocol, p.port))
        }
        End::Ip(_) | End::Unknown(_) => None,
    }
}

/// Whether a port entry admits `probe` towards `destination`.
pub(crate) fn port_matches(port: &ClusterPort, probe: Probe, destination: &End) -> bool {
    match &port.kind {
        ClusterPortKind::Number(protocol, n) => *protocol == probe.protocol && *n == probe.port,
        ClusterPortKind::Range(protocol, start, end) => {
            *protocol == probe.protocol && (*start..=*end).contains(&probe.port)
        }
        ClusterPortKind::Named(name) => named_port(destination, name) == Some((probe.protocol, probe.port)),
    }
}

/// Whether `rule` matches: some peer AND (no ports listed, or some port).
pub(crate) fn rule_matches(rule: &ClusterRule, peer: &End, probe: Probe, destination: &End) -> bool {
    (rule.ports.is_empty() || rule.ports.iter().any(|p| port_matches(p, probe, destination)))
        && rule.peers.iter().any(|p| peer_matches(p, peer))
}

/// The verdict of one tier for one side, without an explanation.
pub(crate) fn verdict(
    scenario: &Scenario,
    tier: ClusterTier,
    direction: Direction,
    subject: &End,
    peer: &End,
    probe: Probe,
    destination: &End,
) -> Verdict {
    if scenario.cluster_policies.is_empty() {
        return Verdict::NoMatch;
    }
    for i in ordered(scenario, tier) {
        let Some(policy) = scenario.cluster_policies.get(i) else { continue };
        if !subject_selects(policy, subject) {
            continue;
        }
        if let Some(rule) = policy.rules(direction).iter().find(|r| rule_matches(r, peer, probe, destination)) {
            return verdict_of(rule.action);
        }
    }
    Verdict::NoMatch
}

/// The steps of one tier for one side: every policy of the tier that selects
/// the subject and has rules of this direction, in order, until one decides
/// or passes. Returns the steps and the tier's verdict.
#[allow(clippy::too_many_arguments)]
pub(crate) fn explain(
    scenario: &Scenario,
    tier: ClusterTier,
    direction: Direction,
    subject: &End,
    peer: &End,
    probe: Probe,
    destination: &End,
    steps: &mut Vec<TierStep>,
) -> Verdict {
    let kind = match tier {
        ClusterTier::Admin => TierKind::Admin,
        ClusterTier::Baseline => TierKind::Baseline,
    };
    for i in ordered(scenario, tier) {
        let Some(policy) = scenario.cluster_policies.get(i) else { continue };
        let rules = policy.rules(direction);
        if rules.is_empty() || !subject_selects(policy, subject) {
            continue;
        }
        let mut checked = Vec::new();
        let mut step_verdict = Verdict::NoMatch;
        for (index, rule) in rules.iter().enumerate() {
            let r = explain_rule(index, rule, peer, probe, destination);
            let matched = r.matched;
            checked.push(r);
            if matched {
                step_verdict = verdict_of(rule.action);
                break;
            }
        }
        steps.push(TierStep { tier: kind, policy: Some(i), rules: checked, verdict: step_verdict });
        if step_verdict != Verdict::NoMatch {
            return step_verdict;
        }
    }
    Verdict::NoMatch
}

fn explain_rule(
    index: usize,
    rule: &ClusterRule,
    peer: &End,
    probe: Probe,
    destination: &End,
) -> ClusterRuleExplanation {
    let peers = PeersCheck::Entries(rule.peers.iter().enumerate().map(|(j, p)| check_peer(p, j, peer)).collect());
    let ports = if rule.ports.is_empty() {
        PortsCheck::Any
    } else {
        PortsCheck::Entries(rule.ports.iter().enumerate().map(|(k, p)| check_port(p, k, probe, destination)).collect())
    };
    let matched = peers.held() && ports.held();
    ClusterRuleExplanation { index, action: rule.action, matched, peers, ports, span: rule.span }
}

/// A peer entry checked term by term: `namespaces` is a namespace selector,
/// `pods` a namespace AND a pod selector, `networks` one CIDR term.
fn check_peer(p: &ClusterPeer, index: usize, end: &End) -> PeerCheck {
    let terms = match &p.kind {
        ClusterPeerKind::Namespaces(ns) => Vec::from([peer::check_namespace_selector(ns, end)]),
        ClusterPeerKind::Pods { namespace_selector, pod_selector } => Vec::from([
            peer::check_namespace_selector(namespace_selector, end),
            peer::check_pod_selector(pod_selector, end),
        ]),
        ClusterPeerKind::Networks(nets, spans) => Vec::from([check_networks(nets, spans, end, p.span)]),
        ClusterPeerKind::Nodes(sel) => {
            Vec::from([peer::term(Term::Nodes, false, Reason::NodesNotModelled, Some(sel.span))])
        }
    };
    PeerCheck { index, held: terms.iter().all(|t| t.held), terms, span: p.span }
}

fn check_networks(
    nets: &[ipnet::IpNet],
    spans: &[crate::span::Span],
    end: &End,
    whole: crate::span::Span,
) -> crate::explain::TermCheck {
    let ips: Vec<core::net::IpAddr> = match end {
        End::Ip(ip) => Vec::from([*ip]),
        End::Endpoint { endpoint, .. } => endpoint.ips.clone(),
        End::Unknown(index) => {
            return peer::term(Term::Networks, false, Reason::UnknownEndpoint { index: *index }, Some(whole))
        }
    };
    for ip in &ips {
        if let Some(k) = nets.iter().position(|n| n.contains(ip)) {
            let cidr = nets.get(k).copied().unwrap_or_default();
            let span = spans.get(k).copied().unwrap_or(whole);
            return peer::term(Term::Networks, true, Reason::IpInBlock { ip: *ip, cidr }, Some(span));
        }
    }
    match (ips.first(), nets.first()) {
        (Some(ip), Some(cidr)) => {
            peer::term(Term::Networks, false, Reason::IpOutsideCidr { ip: *ip, cidr: *cidr }, Some(whole))
        }
        _ => {
            let reason = match end {
                End::Endpoint { endpoint, .. } => Reason::NoIp { endpoint: peer::endpoint_name(endpoint) },
                _ => Reason::NodesNotModelled,
            };
            peer::term(Term::Networks, false, reason, Some(whole))
        }
    }
}

fn check_port(port: &ClusterPort, index: usize, probe: Probe, destination: &End) -> PortCheck {
    let wrong = |wanted| (false, Reason::ProtocolDiffers { wanted, actual: probe.protocol });
    let (held, reason) = match &port.kind {
        ClusterPortKind::Number(protocol, _) | ClusterPortKind::Range(protocol, _, _)
            if *protocol != probe.protocol =>
        {
            wrong(*protocol)
        }
        ClusterPortKind::Number(_, n) => {
            (*n == probe.port, Reason::PortNumber { port: *n, end_port: None, actual: probe.port })
        }
        ClusterPortKind::Range(_, start, end) => (
            (*start..=*end).contains(&probe.port),
            Reason::PortNumber { port: *start, end_port: Some(*end), actual: probe.port },
        ),
        ClusterPortKind::Named(name) => match named_port(destination, name) {
            Some((protocol, _)) if protocol != probe.protocol => wrong(protocol),
            Some((_, resolved)) => {
                (resolved == probe.port, Reason::NamedPortResolved { name: name.clone(), resolved, actual: probe.port })
            }
            None => (false, Reason::NamedPortUnresolved { name: name.clone(), destination: destination.label() }),
        },
    };
    PortCheck { index, held, reason, span: port.span }
}
