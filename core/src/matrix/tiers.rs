//! The cluster-wide tiers in the fast path: Admin-tier cluster policies
//! before the NetworkPolicy row, Baseline-tier ones after it, the same order
//! as [`crate::eval`] (network-policy-api
//! `apis/v1alpha2/clusternetworkpolicy_types.go`).
//!
//! For one side of one endpoint class the row (the peers allowed on this
//! side) is folded with an "undecided" mask: each rule, in tier and priority
//! order, claims the undecided peers it matches; `Accept` adds them to the
//! row, `Deny` drops them, `Pass` sets them aside for the next tier. What the
//! Admin tier leaves undecided or passes goes to the NetworkPolicy tier,
//! which decides everything for an isolated class; otherwise the Baseline
//! tier folds the rest, and what is still undecided (or passed) is allowed.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::bitset::BitSet;
use super::select::Selections;
use crate::eval::cluster_order;
use crate::model::{
    ClusterAction, ClusterPeerKind, ClusterPolicy, ClusterPortKind, ClusterRule, ClusterSubject, ClusterTier, Probe,
    Protocol, Scenario,
};

/// Class list entries at or above this are cluster policies
/// (`CLUSTER + index`); below it, NetworkPolicies.
pub(crate) const CLUSTER: u32 = 1 << 31;

/// The endpoints a cluster rule's peers admit (the rule is found again by
/// index in the scenario).
pub(crate) type PlannedClusterRule = BitSet;

/// The probe-independent part of the tiers.
pub(crate) struct ClusterPlan {
    /// Per cluster policy, its planned ingress and egress rules, in rule
    /// order.
    pub(crate) ingress: Vec<Vec<PlannedClusterRule>>,
    pub(crate) egress: Vec<Vec<PlannedClusterRule>>,
    /// Per cluster policy, its ingress rules' port lists name a port.
    named_ingress: Vec<bool>,
    /// Whether some rule (ingress or egress) names a port.
    pub(crate) named_any: bool,
    /// Whether some Admin-tier rule denies (else no pair is admin-denied).
    pub(crate) admin_deny: bool,
    /// Per cluster policy, its tier.
    pub(crate) tier: Vec<ClusterTier>,
    /// Per endpoint: the cluster policies (encoded `CLUSTER + i`) whose
    /// subject selects it with ingress (egress) rules, in evaluation order.
    pub(crate) ingress_lists: Vec<Vec<u32>>,
    pub(crate) egress_lists: Vec<Vec<u32>>,
}

fn peer_set(sel: &mut Selections<'_>, endpoints: &[crate::model::Endpoint], rule: &ClusterRule) -> BitSet {
    let mut acc = BitSet::zeros(sel.len);
    for peer in &rule.peers {
        match &peer.kind {
            ClusterPeerKind::Namespaces(ns) => {
                let mut s = sel.namespaces(ns).clone();
                s.subtract(&sel.host_network);
                acc.union_with(&s);
            }
            ClusterPeerKind::Pods { namespace_selector, pod_selector } => {
                let mut s = sel.namespaces(namespace_selector).clone();
                s.intersect_with(sel.pods(pod_selector));
                s.subtract(&sel.host_network);
                acc.union_with(&s);
            }
            ClusterPeerKind::Networks(nets, _) => {
                let hits = endpoints.iter().enumerate().filter_map(|(i, e)| {
                    e.ips.iter().any(|ip| nets.iter().any(|n| n.contains(ip))).then_some(i as u32)
                });
                acc.union_with(&BitSet::from_indices(sel.len, hits));
            }
            ClusterPeerKind::Nodes(_) => {}
        }
    }
    acc
}

fn subject_set(sel: &mut Selections<'_>, policy: &ClusterPolicy) -> BitSet {
    let mut s = match &policy.subject {
        ClusterSubject::Namespaces(ns) => sel.namespaces(ns).clone(),
        ClusterSubject::Pods { namespace_selector, pod_selector } => {
            let mut s = sel.namespaces(namespace_selector).clone();
            s.intersect_with(sel.pods(pod_selector));
            s
        }
    };
    s.subtract(&sel.host_network);
    s
}

impl ClusterPlan {
    pub(crate) fn new(scenario: &Scenario, sel: &mut Selections<'_>) -> Self {
        let len = sel.len;
        let mut ingress_lists = alloc::vec![Vec::new(); len];
        let mut egress_lists = alloc::vec![Vec::new(); len];
        let plan_rules = |sel: &mut Selections<'_>, rules: &[ClusterRule]| -> Vec<PlannedClusterRule> {
            rules.iter().map(|rule| peer_set(sel, &scenario.endpoints, rule)).collect()
        };
        let ingress: Vec<_> = scenario.cluster_policies.iter().map(|p| plan_rules(sel, &p.ingress)).collect();
        let egress: Vec<_> = scenario.cluster_policies.iter().map(|p| plan_rules(sel, &p.egress)).collect();
        for tier in [ClusterTier::Admin, ClusterTier::Baseline] {
            for i in cluster_order(scenario, tier) {
                let Some(policy) = scenario.cluster_policies.get(i) else { continue };
                let code = CLUSTER + i as u32;
                for e in subject_set(sel, policy).iter() {
                    if let (false, Some(l)) = (policy.ingress.is_empty(), ingress_lists.get_mut(e)) {
                        l.push(code);
                    }
                    if let (false, Some(l)) = (policy.egress.is_empty(), egress_lists.get_mut(e)) {
                        l.push(code);
                    }
                }
            }
        }
        let tier = scenario.cluster_policies.iter().map(|p| p.tier).collect();
        let named_ingress = scenario
            .cluster_policies
            .iter()
            .map(|p| p.ingress.iter().any(|r| r.ports.iter().any(|p| matches!(p.kind, ClusterPortKind::Named(_)))))
            .collect();
        let named_any = scenario
            .cluster_policies
            .iter()
            .flat_map(|p| p.ingress.iter().chain(&p.egress))
            .any(|r| r.ports.iter().any(|p| matches!(p.kind, ClusterPortKind::Named(_))));
        let admin_deny = scenario.cluster_policies.iter().any(|p| {
            p.tier == ClusterTier::Admin && p.ingress.iter().chain(&p.egress).any(|r| r.action == ClusterAction::Deny)
        });
        ClusterPlan { ingress, egress, tier, named_ingress, named_any, admin_deny, ingress_lists, egress_lists }
    }

    /// No cluster policies (a scenario's plan before its tiers are built).
    pub(crate) fn empty() -> Self {
        ClusterPlan {
            ingress: Vec::new(),
            egress: Vec::new(),
            named_ingress: Vec::new(),
            named_any: false,
            admin_deny: false,
            tier: Vec::new(),
            ingress_lists: Vec::new(),
            egress_lists: Vec::new(),
        }
    }

    /// Whether a cluster policy in `list` has an ingress rule with a named
    /// port (then a class's members must declare the same named ports).
    pub(crate) fn named_ingress(&self, list: &[u32]) -> bool {
        list.iter().filter_map(|&c| c.checked_sub(CLUSTER)).any(|i| self.named_ingress.get(i as usize) == Some(&true))
    }
}

/// What a cluster rule's ports make of one probe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ClusterPorts {
    /// Every destination.
    All,
    /// No destination.
    None,
    /// Destinations whose container port of one of these names is the probe.
    Named(Vec<String>),
}

pub(crate) fn ports_of(rule: &ClusterRule, probe: Probe) -> ClusterPorts {
    if rule.ports.is_empty() {
        return ClusterPorts::All;
    }
    let mut named = Vec::new();
    for p in &rule.ports {
        match &p.kind {
            ClusterPortKind::Number(proto, n) if *proto == probe.protocol && *n == probe.port => {
                return ClusterPorts::All
            }
            ClusterPortKind::Range(proto, s, e) if *proto == probe.protocol && (*s..=*e).contains(&probe.port) => {
                return ClusterPorts::All
            }
            ClusterPortKind::Named(name) => named.push(name.to_owned()),
            _ => {}
        }
    }
    if named.is_empty() {
        ClusterPorts::None
    } else {
        ClusterPorts::Named(named)
    }
}

/// The probe-dependent part: per cluster policy, per rule, the port match;
/// and per named port, the endpoints where it is the probe.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ClusterSignature {
    ingress: Vec<Vec<ClusterPorts>>,
    egress: Vec<Vec<ClusterPorts>>,
    resolved: BTreeMap<String, BitSet>,
}

/// The first container port called `name` on endpoint `e`, as eval resolves
/// cluster named ports.
fn named_port(e: &crate::model::Endpoint, name: &str) -> Option<(Protocol, u16)> {
    e.ports.iter().find(|p| p.name.as_deref() == Some(name)).map(|p| (p.protocol, p.port))
}

/// The tiers' signature of `probe`; named ports resolve at each class's
/// representative endpoint `reps[c]` (members declare the same named ports).
pub(crate) fn signature(scenario: &Scenario, reps: &[u32], probe: Probe) -> ClusterSignature {
    let endpoints = &scenario.endpoints;
    let reduce = |rules: fn(&ClusterPolicy) -> &[ClusterRule]| -> Vec<Vec<ClusterPorts>> {
        scenario.cluster_policies.iter().map(|p| rules(p).iter().map(|r| ports_of(r, probe)).collect()).collect()
    };
    let ingress = reduce(|p| &p.ingress);
    let egress = reduce(|p| &p.egress);
    let mut resolved = BTreeMap::new();
    for m in ingress.iter().chain(&egress).flatten() {
        if let ClusterPorts::Named(names) = m {
            for name in names {
                resolved.entry(name.clone()).or_insert_with(|| {
                    let hits = reps.iter().enumerate().filter_map(|(c, &e)| {
                        let e = endpoints.get(e as usize)?;
                        (named_port(e, name) == Some((probe.protocol, probe.port))).then_some(c as u32)
                    });
                    BitSet::from_indices(reps.len(), hits)
                });
            }
        }
    }
    ClusterSignature { ingress, egress, resolved }
}

/// Which side a row is for: ingress rows decide ports at the class's
/// representative (the destination), egress rows per destination peer.
#[derive(Clone, Copy)]
pub(crate) enum Side {
    Ingress { representative: usize },
    Egress,
}

/// A class's tiered row: the peers allowed on this side and, among the
/// others, those an Admin-tier `Deny` rule decided (for
/// [`super::Matrix::admin_denied`]).
pub(crate) struct TieredRow {
    pub(crate) allowed: BitSet,
    pub(crate) admin_denied: BitSet,
}

/// The tiered row of a class: `list` is the class's policy list (cluster
/// entries encoded), `np` the NetworkPolicy row when the class is isolated.
pub(crate) fn row(
    scenario: &Scenario,
    plan: &ClusterPlan,
    sig: &ClusterSignature,
    list: &[u32],
    np: Option<&BitSet>,
    side: Side,
    len: usize,
) -> TieredRow {
    let mut undecided = BitSet::ones(len);
    let mut allowed = BitSet::zeros(len);
    let mut passed = BitSet::zeros(len);
    let mut denied = BitSet::zeros(len);
    let cluster = || list.iter().filter_map(|&c| c.checked_sub(CLUSTER)).map(|i| i as usize);
    let mut fold = |tier: ClusterTier, undecided: &mut BitSet, allowed: &mut BitSet, passed: &mut BitSet| {
        for i in cluster().filter(|&i| plan.tier.get(i) == Some(&tier)) {
            let Some(policy) = scenario.cluster_policies.get(i) else { continue };
            let (planned, ports, rules) = match side {
                Side::Ingress { .. } => (plan.ingress.get(i), sig.ingress.get(i), &policy.ingress),
                Side::Egress => (plan.egress.get(i), sig.egress.get(i), &policy.egress),
            };
            let (Some(planned), Some(ports)) = (planned, ports) else { continue };
            for ((peers, p), rule) in planned.iter().zip(ports).zip(rules) {
                let mut m = peers.clone();
                m.intersect_with(undecided);
                match p {
                    ClusterPorts::All => {}
                    ClusterPorts::None => continue,
                    ClusterPorts::Named(names) => {
                        let mut dests = BitSet::zeros(len);
                        for name in names {
                            if let Some(hits) = sig.resolved.get(name) {
                                dests.union_with(hits);
                            }
                        }
                        match side {
                            // The destination is the subject: all or nothing.
                            Side::Ingress { representative } if dests.contains(representative) => {}
                            Side::Ingress { .. } => continue,
                            Side::Egress => m.intersect_with(&dests),
                        }
                    }
                }
                match rule.action {
                    ClusterAction::Accept => allowed.union_with(&m),
                    ClusterAction::Deny if tier == ClusterTier::Admin => denied.union_with(&m),
                    ClusterAction::Deny => {}
                    ClusterAction::Pass => passed.union_with(&m),
                }
                undecided.subtract(&m);
            }
        }
    };
    fold(ClusterTier::Admin, &mut undecided, &mut allowed, &mut passed);
    // Admin leftovers and passes go to the NetworkPolicy tier.
    undecided.union_with(&passed);
    passed = BitSet::zeros(len);
    if let Some(np) = np {
        allowed.union_with_and(&undecided, np);
        return TieredRow { allowed, admin_denied: denied };
    }
    fold(ClusterTier::Baseline, &mut undecided, &mut allowed, &mut passed);
    allowed.union_with(&undecided);
    allowed.union_with(&passed);
    TieredRow { allowed, admin_denied: denied }
}
