//! One side of a flow (the source's egress or the destination's ingress)
//! decided by the tier list, with or without the explanation: Admin-tier
//! cluster policies ([`super::cluster`]), then the NetworkPolicy tier, then
//! Baseline-tier cluster policies, then the default allow ([`tier::decide`]).

use alloc::vec::Vec;

use crate::explain::{
    Exemption, NearMiss, NearMissCause, PeersCheck, PolicyExplanation, PortsCheck, Reason, RuleExplanation, RuleMatch,
    SideExplanation, TierKind, TierStep,
};
use crate::model::{ClusterTier, Direction, Endpoint, NetworkPolicy, Probe, Rule, Scenario};

use super::peer::{self, End};
use super::tier::Verdict;
use super::{cluster, ports, tier};

/// Why policies do not apply to `subject` on this side at all. A host-network
/// pod is exempt before loopback is considered: it is never isolated anyway.
fn exemption(subject: &End, loopback: bool) -> Option<Exemption> {
    match subject {
        End::Ip(_) => Some(Exemption::External),
        End::Endpoint { endpoint, .. } if endpoint.host_network => Some(Exemption::HostNetwork),
        _ if loopback => Some(Exemption::Loopback),
        _ => None,
    }
}

/// Whether `policy` selects `endpoint`: same namespace and `spec.podSelector`
/// matches its labels (`{}` selects every pod of the namespace).
pub(crate) fn selects(policy: &NetworkPolicy, endpoint: &Endpoint) -> bool {
    policy.namespace == endpoint.namespace && policy.pod_selector.matches(&endpoint.labels)
}

/// The destination of the flow as seen from this side: the subject itself for
/// ingress, the peer for egress. Named ports resolve against it.
fn destination<'e, 'a>(direction: Direction, subject: &'e End<'a>, peer: &'e End<'a>) -> &'e End<'a> {
    match direction {
        Direction::Ingress => subject,
        Direction::Egress => peer,
    }
}

/// Whether `rule` (of a policy in `namespace`) admits `peer` on `probe`.
fn rule_matches(namespace: &str, rule: &Rule, peer: &End, probe: Probe, destination: &End) -> bool {
    (rule.ports.is_empty() || rule.ports.iter().any(|p| ports::matches(p, probe, destination)))
        && (rule.peers.is_empty() || rule.peers.iter().any(|p| peer::matches(namespace, p, peer)))
}

/// The side's verdict without an explanation.
pub(crate) fn allows(
    scenario: &Scenario,
    direction: Direction,
    subject: &End,
    peer: &End,
    probe: Probe,
    loopback: bool,
) -> bool {
    if exemption(subject, loopback).is_some() {
        return true;
    }
    let End::Endpoint { endpoint, .. } = subject else {
        // An unknown endpoint: no policy selects it.
        return true;
    };
    let dest = destination(direction, subject, peer);
    // Lazy: `decide` stops at the first final verdict, so later tiers are
    // never computed once one decides.
    let tiers = [TierKind::Admin, TierKind::NetworkPolicy, TierKind::Baseline];
    tier::decide(tiers.into_iter().map(|t| match t {
        TierKind::Admin => cluster::verdict(scenario, ClusterTier::Admin, direction, subject, peer, probe, dest),
        TierKind::NetworkPolicy => network_policy_verdict(scenario, direction, endpoint, peer, probe, dest),
        TierKind::Baseline => cluster::verdict(scenario, ClusterTier::Baseline, direction, subject, peer, probe, dest),
    }))
}

/// The NetworkPolicy tier's verdict for an endpoint subject.
fn network_policy_verdict(
    scenario: &Scenario,
    direction: Direction,
    endpoint: &Endpoint,
    peer: &End,
    probe: Probe,
    dest: &End,
) -> Verdict {
    let mut isolated = false;
    for policy in scenario.policies.iter().filter(|p| p.has_type(direction) && selects(p, endpoint)) {
        isolated = true;
        if policy.rules(direction).iter().any(|r| rule_matches(&policy.namespace, r, peer, probe, dest)) {
            return tier::network_policy(true, true);
        }
    }
    tier::network_policy(isolated, false)
}

/// Whether a tier verdict ends evaluation.
fn is_final(v: Verdict) -> bool {
    matches!(v, Verdict::Allow | Verdict::Deny)
}

/// The side's verdict with every check recorded.
pub(crate) fn explain(
    scenario: &Scenario,
    direction: Direction,
    subject: &End,
    peer: &End,
    probe: Probe,
    loopback: bool,
) -> SideExplanation {
    let mut side = SideExplanation {
        direction,
        subject: match subject {
            End::Endpoint { index, .. } => Some(*index),
            End::Ip(_) | End::Unknown(_) => None,
        },
        exemption: exemption(subject, loopback),
        isolated: false,
        allowed: true,
        policies: Vec::new(),
        other_direction_policies: Vec::new(),
        allowed_by: Vec::new(),
        near_misses: Vec::new(),
        tiers: Vec::new(),
    };
    let End::Endpoint { endpoint, .. } = subject else { return side };
    if side.exemption.is_some() {
        return side;
    }
    let dest = destination(direction, subject, peer);
    for (index, policy) in scenario.policies.iter().enumerate() {
        if !selects(policy, endpoint) {
            continue;
        }
        if !policy.has_type(direction) {
            side.other_direction_policies.push(index);
            continue;
        }
        let rules = policy
            .rules(direction)
            .iter()
            .enumerate()
            .map(|(i, rule)| explain_rule(index, &policy.namespace, i, rule, peer, probe, dest, &mut side))
            .collect();
        side.policies.push(PolicyExplanation { policy: index, pod_selector_span: policy.pod_selector.span, rules });
    }
    side.isolated = !side.policies.is_empty();
    let mut steps = Vec::new();
    let admin = cluster::explain(scenario, ClusterTier::Admin, direction, subject, peer, probe, dest, &mut steps);
    if is_final(admin) {
        // The NetworkPolicy tier was not reached: its matches decided nothing.
        side.allowed_by.clear();
        side.near_misses.clear();
    } else {
        let np = tier::network_policy(side.isolated, !side.allowed_by.is_empty());
        steps.push(TierStep { tier: TierKind::NetworkPolicy, policy: None, rules: Vec::new(), verdict: np });
        if !is_final(np) {
            cluster::explain(scenario, ClusterTier::Baseline, direction, subject, peer, probe, dest, &mut steps);
        }
    }
    side.allowed = tier::decide(steps.iter().map(|s| s.verdict));
    side.tiers = steps;
    side
}

/// One rule checked, appending what admits the flow to `side.allowed_by` and
/// near misses to `side.near_misses`.
///
/// `allowed_by` gets one entry per holding peer entry (or one with
/// `peer: None` when the rule has no peer list), each naming the FIRST holding
/// port entry (`None` when the rule has no port list): listing every
/// peer × port combination would repeat the same peer for each port.
#[allow(clippy::too_many_arguments)]
fn explain_rule(
    policy: usize,
    namespace: &str,
    index: usize,
    rule: &Rule,
    peer: &End,
    probe: Probe,
    dest: &End,
    side: &mut SideExplanation,
) -> RuleExplanation {
    let peers = if rule.peers.is_empty() {
        PeersCheck::Any
    } else {
        PeersCheck::Entries(rule.peers.iter().enumerate().map(|(j, p)| peer::check(namespace, p, j, peer)).collect())
    };
    let ports = if rule.ports.is_empty() {
        PortsCheck::Any
    } else {
        PortsCheck::Entries(rule.ports.iter().enumerate().map(|(k, p)| ports::check(p, k, probe, dest)).collect())
    };
    let ports_held = ports.held();
    let matched = ports_held && peers.held();
    let first_port = match &ports {
        PortsCheck::Any => None,
        PortsCheck::Entries(e) => e.iter().find(|p| p.held).map(|p| p.index),
    };
    let admit = |peer| RuleMatch { policy, rule: index, peer, port: first_port };
    let miss = |peer, failed| NearMiss { policy, rule: index, peer, failed };
    match &peers {
        PeersCheck::Any if ports_held => side.allowed_by.push(admit(None)),
        PeersCheck::Any => side.near_misses.push(miss(None, NearMissCause::Ports)),
        PeersCheck::Entries(entries) => {
            for entry in entries {
                if entry.held && ports_held {
                    side.allowed_by.push(admit(Some(entry.index)));
                } else if entry.held {
                    side.near_misses.push(miss(Some(entry.index), NearMissCause::Ports));
                } else if ports_held {
                    let mut failed = entry.terms.iter().filter(|t| !t.held);
                    if let (Some(term), None) = (failed.next(), failed.next()) {
                        if fixable(&term.reason) {
                            side.near_misses.push(miss(Some(entry.index), NearMissCause::Term(term.clone())));
                        }
                    }
                }
            }
        }
    }
    RuleExplanation { index, matched, peers, ports, span: rule.span }
}

/// Whether a failed term could hold if a label, a namespace or an address
/// were different. Selectors can never match an external address or a
/// host-network pod, and an endpoint without IPs never matches an ipBlock:
/// calling those "near misses" would suggest a fix that does not exist.
fn fixable(reason: &Reason) -> bool {
    !matches!(
        reason,
        Reason::ExternalNotSelectable { .. }
            | Reason::HostNetworkNotSelectable { .. }
            | Reason::NoIp { .. }
            | Reason::UnknownEndpoint { .. }
    )
}
