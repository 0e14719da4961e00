//! What is computed once per scenario, whatever the probe: each rule's peer
//! set, which policies select each endpoint, and endpoint classes.
//!
//! An endpoint class is a set of endpoints that the same policies select for
//! a direction (and, for ingress rules with named ports, that declare the same
//! named ports): every member gets the same row, so rows are computed per
//! class, not per endpoint.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use super::bitset::BitSet;
use super::select::Selections;
use super::tiers::{ClusterPlan, CLUSTER};
use crate::model::{EndpointKind, NetworkPolicy, PeerKind, PortRef, Protocol, Rule, Scenario};

/// The endpoints a rule's peer list admits (all of them when the rule has
/// no peers; external addresses are not in the matrix). The rule itself is
/// found again by index in the scenario, so a plan borrows nothing and can
/// live across the steps of a [`super::MatrixJob`].
pub(crate) type PlannedRule = BitSet;

/// Endpoints treated alike for one direction.
pub(crate) struct Class {
    /// The selecting policies with this direction's type, ascending, then
    /// the cluster policies whose subject selects them with rules of this
    /// direction (`CLUSTER + index`), in evaluation order.
    pub(crate) policies: Vec<u32>,
    /// A member, against whose container ports named ports resolve.
    pub(crate) representative: usize,
}

/// Marks an endpoint that no policy isolates for the direction.
pub(crate) const OPEN: u32 = u32::MAX;

/// The probe-independent part of the matrix computation.
pub(crate) struct Plan {
    pub(crate) len: usize,
    /// Per policy: its planned ingress rules, in the policy's rule order
    /// (empty unless it has the type).
    pub(crate) ingress_rules: Vec<Vec<PlannedRule>>,
    /// Per policy: its planned egress rules (empty unless it has the type).
    pub(crate) egress_rules: Vec<Vec<PlannedRule>>,
    pub(crate) ingress_classes: Vec<Class>,
    /// Each endpoint's ingress class, or [`OPEN`].
    pub(crate) ingress_class_of: Vec<u32>,
    pub(crate) egress_classes: Vec<Class>,
    /// Each endpoint's egress class, or [`OPEN`].
    pub(crate) egress_class_of: Vec<u32>,
    /// Pods (not workloads): their traffic to themselves is always allowed.
    pub(crate) pods: BitSet,
    /// The cluster-wide tiers.
    pub(crate) cluster: ClusterPlan,
}

fn has_named_port(planned: &[PlannedRule], rules: &[Rule]) -> bool {
    rules.iter().take(planned.len()).any(|r| r.ports.iter().any(|p| matches!(p.port, Some(PortRef::Name(_)))))
}

/// The endpoints `rule` (of `policy`) admits as peers. Selectors never admit
/// host-network endpoints; ipBlocks admit endpoints by any of their IPs.
fn peer_set<'a>(sel: &mut Selections<'a>, policy: &'a NetworkPolicy, rule: &'a Rule) -> BitSet {
    if rule.peers.is_empty() {
        return BitSet::ones(sel.len);
    }
    let mut acc = BitSet::zeros(sel.len);
    for peer in &rule.peers {
        match &peer.kind {
            PeerKind::IpBlock(block) => acc.union_with(sel.block(block)),
            PeerKind::Selectors { namespace_selector, pod_selector } => {
                let mut s = match namespace_selector {
                    Some(n) => sel.namespaces(n).clone(),
                    None => sel.in_namespace(&policy.namespace),
                };
                if let Some(p) = pod_selector {
                    s.intersect_with(sel.pods(p));
                }
                s.subtract(&sel.host_network);
                acc.union_with(&s);
            }
        }
    }
    acc
}

/// Groups endpoints by key into classes; endpoints with an empty policy list
/// are [`OPEN`].
fn classes<K: Ord>(lists: Vec<Vec<u32>>, key: impl Fn(usize, &[u32]) -> K) -> (Vec<Class>, Vec<u32>) {
    let mut by_key: BTreeMap<K, u32> = BTreeMap::new();
    let mut classes: Vec<Class> = Vec::new();
    let mut class_of = vec![OPEN; lists.len()];
    for (e, policies) in lists.into_iter().enumerate() {
        if policies.is_empty() {
            continue;
        }
        let k = key(e, &policies);
        let next = classes.len() as u32;
        let c = *by_key.entry(k).or_insert(next);
        if c == next {
            classes.push(Class { policies, representative: e });
        }
        if let Some(slot) = class_of.get_mut(e) {
            *slot = c;
        }
    }
    (classes, class_of)
}

impl Plan {
    pub(crate) fn new<'a>(scenario: &'a Scenario) -> Self {
        let mut sel = Selections::new(scenario);
        let len = sel.len;
        let mut ingress_lists: Vec<Vec<u32>> = vec![Vec::new(); len];
        let mut egress_lists: Vec<Vec<u32>> = vec![Vec::new(); len];
        let mut ingress_rules = Vec::with_capacity(scenario.policies.len());
        let mut egress_rules = Vec::with_capacity(scenario.policies.len());
        for (pi, policy) in scenario.policies.iter().enumerate() {
            let mut selected = sel.in_namespace(&policy.namespace);
            selected.intersect_with(sel.pods(&policy.pod_selector));
            selected.subtract(&sel.host_network);
            for e in selected.iter() {
                if let (true, Some(list)) = (policy.policy_types.ingress, ingress_lists.get_mut(e)) {
                    list.push(pi as u32);
                }
                if let (true, Some(list)) = (policy.policy_types.egress, egress_lists.get_mut(e)) {
                    list.push(pi as u32);
                }
            }
            let mut plan_rules = |active: bool, rules: &'a [Rule]| -> Vec<PlannedRule> {
                if !active {
                    return Vec::new();
                }
                rules.iter().map(|rule| peer_set(&mut sel, policy, rule)).collect()
            };
            ingress_rules.push(plan_rules(policy.policy_types.ingress, &policy.ingress));
            egress_rules.push(plan_rules(policy.policy_types.egress, &policy.egress));
        }

        let cluster = ClusterPlan::new(scenario, &mut sel);
        for (lists, extra) in [(&mut ingress_lists, &cluster.ingress_lists), (&mut egress_lists, &cluster.egress_lists)]
        {
            for (l, x) in lists.iter_mut().zip(extra) {
                l.extend_from_slice(x);
            }
        }
        // Named ports on ingress rules resolve against the destination, so
        // members of one class must declare the same named ports.
        let mut port_sigs: BTreeMap<Vec<(Protocol, &str, u16)>, u32> = BTreeMap::new();
        let port_sig: Vec<u32> = scenario
            .endpoints
            .iter()
            .map(|e| {
                // In declaration order: with a (invalid but parseable)
                // duplicate name, the first declaration is the one that counts.
                let sig: Vec<(Protocol, &str, u16)> =
                    e.ports.iter().filter_map(|p| Some((p.protocol, p.name.as_deref()?, p.port))).collect();
                let next = port_sigs.len() as u32;
                *port_sigs.entry(sig).or_insert(next)
            })
            .collect();
        let (ingress_classes, ingress_class_of) = classes(ingress_lists, |e, policies| {
            let named = policies.iter().any(|&p| {
                let planned = ingress_rules.get(p as usize).map(Vec::as_slice).unwrap_or(&[]);
                scenario.policies.get(p as usize).is_some_and(|policy| has_named_port(planned, &policy.ingress))
            }) || cluster.named_ingress(policies);
            (policies.to_vec(), if named { port_sig.get(e).copied().unwrap_or(OPEN) } else { OPEN })
        });
        let (egress_classes, egress_class_of) = classes(egress_lists, |_, policies| policies.to_vec());
        let pods = BitSet::from_indices(
            len,
            scenario.endpoints.iter().enumerate().filter(|(_, e)| e.kind == EndpointKind::Pod).map(|(i, _)| i as u32),
        );
        Plan {
            len,
            ingress_rules,
            egress_rules,
            ingress_classes,
            ingress_class_of,
            egress_classes,
            egress_class_of,
            pods,
            cluster,
        }
    }

    /// Whether class `c` of `classes` is isolated by a NetworkPolicy (not
    /// [`OPEN`] and not only selected by cluster policies).
    pub(crate) fn isolated(&self, classes: &[Class], c: u32) -> bool {
        c != OPEN && classes.get(c as usize).is_some_and(|k| k.policies.iter().any(|&p| p < CLUSTER))
    }
}
