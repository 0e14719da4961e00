//! What is computed once per scenario, whatever the probe: each rule's peer
//! set, which policies select each endpoint, subject classes and output
//! classes.
//!
//! A subject class is a set of endpoints that the same policies select for
//! a direction (and, for ingress rules with named ports, that declare the same
//! named ports): every member gets the same row, so rows are computed per
//! class, not per endpoint. Output classes ([`super::classes`]) refine them
//! further until no peer set tells two members apart; the finished [`Plan`]
//! is over output classes (every set has one bit per output class), so its
//! size and all later work scale with classes, not endpoints.
//!
//! [`PlanBuilder`] builds it in bounded units (the label index, one policy,
//! the cluster tiers, the subject classes, one refinement or compression of
//! one peer set), so a page can keep handling input in between.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use super::bitset::BitSet;
use super::classes::{OutputClasses, Partition};
use super::select::Selections;
use super::tiers::{ClusterPlan, CLUSTER};
use crate::model::{EndpointKind, NetworkPolicy, PeerKind, PortRef, Protocol, Rule, Scenario};

/// The endpoints (while building; output classes in a finished [`Plan`]) a
/// rule's peer list admits (all of them when the rule has no peers;
/// external addresses are not in the matrix). The rule itself is found again
/// by index in the scenario, so a plan borrows nothing and can live across
/// the steps of a [`super::MatrixJob`].
pub(crate) type PlannedRule = BitSet;

/// Endpoints treated alike for one direction.
pub(crate) struct Class {
    /// The selecting policies with this direction's type, ascending, then
    /// the cluster policies whose subject selects them with rules of this
    /// direction (`CLUSTER + index`), in evaluation order.
    pub(crate) policies: Vec<u32>,
    /// A member's output class, against whose representative's container
    /// ports named ports resolve.
    pub(crate) representative: usize,
}

/// Marks an endpoint that no policy isolates for the direction.
pub(crate) const OPEN: u32 = u32::MAX;

/// The probe-independent part of the matrix computation, over output
/// classes.
pub(crate) struct Plan {
    /// The number of output classes: every set below has this many bits.
    pub(crate) len: usize,
    /// Per policy: its planned ingress rules, in the policy's rule order
    /// (empty unless it has the type).
    pub(crate) ingress_rules: Vec<Vec<PlannedRule>>,
    /// Per policy: its planned egress rules (empty unless it has the type).
    pub(crate) egress_rules: Vec<Vec<PlannedRule>>,
    pub(crate) ingress_classes: Vec<Class>,
    /// Each output class's ingress class, or [`OPEN`].
    pub(crate) ingress_class_of: Vec<u32>,
    pub(crate) egress_classes: Vec<Class>,
    /// Each output class's egress class, or [`OPEN`].
    pub(crate) egress_class_of: Vec<u32>,
    /// Output classes of pods (not workloads): a pod's traffic to itself is
    /// always allowed.
    pub(crate) pods: BitSet,
    /// The cluster-wide tiers.
    pub(crate) cluster: ClusterPlan,
    /// The endpoints of each output class.
    pub(crate) outputs: OutputClasses,
    /// Each output class's first member.
    pub(crate) reps: Vec<u32>,
}

fn has_named_port(planned: &[PlannedRule], rules: &[Rule]) -> bool {
    rules.iter().take(planned.len()).any(|r| r.ports.iter().any(|p| matches!(p.port, Some(PortRef::Name(_)))))
}

/// The endpoints `rule` (of `policy`) admits as peers. Selectors never admit
/// host-network endpoints; ipBlocks admit endpoints by any of their IPs.
fn peer_set(sel: &mut Selections<'_>, policy: &NetworkPolicy, rule: &Rule) -> BitSet {
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

/// Which planned peer set: a NetworkPolicy's ingress or egress rule, or a
/// cluster policy's (policy index, rule index).
#[derive(Clone, Copy)]
enum SetRef {
    Ingress(u32, u32),
    Egress(u32, u32),
    ClusterIngress(u32, u32),
    ClusterEgress(u32, u32),
}

/// Subject classes over endpoints, and the output partition being refined.
struct Subjects {
    ingress_classes: Vec<Class>,
    ingress_class_of: Vec<u32>,
    egress_classes: Vec<Class>,
    egress_class_of: Vec<u32>,
    partition: Option<Partition>,
    sets: Vec<SetRef>,
}

/// Builds a [`Plan`] one bounded unit at a time. Owns everything it has
/// computed and borrows the scenario only during a call.
///
/// Units, in order: the label index; each policy (who it selects, its
/// rules' peer sets over endpoints); the cluster tiers; the subject classes
/// and the first output partition; each peer set refining it; numbering the
/// output classes; each peer set compressed to output classes (its endpoint
/// bitset freed); the final assembly.
pub(crate) struct PlanBuilder {
    sel: Option<Selections<'static>>,
    ingress_lists: Vec<Vec<u32>>,
    egress_lists: Vec<Vec<u32>>,
    ingress_rules: Vec<Vec<PlannedRule>>,
    egress_rules: Vec<Vec<PlannedRule>>,
    cluster: Option<ClusterPlan>,
    subjects: Option<Subjects>,
    outputs: Option<(OutputClasses, Vec<u32>)>,
    /// Units done.
    done: usize,
    /// Units in all (exact: counted from the scenario).
    total: usize,
    policies: usize,
    sets: usize,
}

/// Whether `rule`'s ports name a port.
fn names_port(rule: &Rule) -> bool {
    rule.ports.iter().any(|p| matches!(p.port, Some(PortRef::Name(_))))
}

impl PlanBuilder {
    /// Counts the units; does no work.
    pub(crate) fn new(scenario: &Scenario) -> Self {
        let np: usize = scenario
            .policies
            .iter()
            .map(|p| {
                usize::from(p.policy_types.ingress) * p.ingress.len()
                    + usize::from(p.policy_types.egress) * p.egress.len()
            })
            .sum();
        let cluster: usize = scenario.cluster_policies.iter().map(|p| p.ingress.len() + p.egress.len()).sum();
        let sets = np + cluster;
        let policies = scenario.policies.len();
        PlanBuilder {
            sel: None,
            ingress_lists: Vec::new(),
            egress_lists: Vec::new(),
            ingress_rules: Vec::with_capacity(policies),
            egress_rules: Vec::with_capacity(policies),
            cluster: None,
            subjects: None,
            outputs: None,
            done: 0,
            total: policies + 2 * sets + 5,
            policies,
            sets,
        }
    }

    /// Whether the next unit is one of the few whole-scenario ones (the
    /// label index, the cluster tiers, the subject classes, numbering the
    /// output classes, the assembly): a job ends its step after one.
    pub(crate) fn heavy(&self) -> bool {
        let (k, p, sets) = (self.done, self.policies, self.sets);
        k == 0 || k == p + 1 || k == p + 2 || k == p + 3 + sets || k >= p + 4 + 2 * sets
    }

    /// Units left.
    pub(crate) fn remaining(&self) -> usize {
        self.total.saturating_sub(self.done)
    }

    /// Does one unit; returns the plan after the last one. `scenario` must
    /// be the one given to [`PlanBuilder::new`], unchanged.
    pub(crate) fn step(&mut self, scenario: &Scenario) -> Option<Plan> {
        let k = self.done;
        self.done += 1;
        let (p, sets) = (self.policies, self.sets);
        if k == 0 {
            let sel = Selections::new(scenario);
            self.ingress_lists = vec![Vec::new(); sel.len];
            self.egress_lists = vec![Vec::new(); sel.len];
            self.sel = Some(sel);
        } else if k <= p {
            self.plan_policy(scenario, k - 1);
        } else if k == p + 1 {
            if let Some(sel) = self.sel.as_mut() {
                self.cluster = Some(ClusterPlan::new(scenario, sel));
            }
            self.sel = None;
        } else if k == p + 2 {
            self.subjects = Some(self.subject_classes(scenario));
        } else if k < p + 3 + sets {
            self.refine(k - (p + 3));
        } else if k == p + 3 + sets {
            if let Some(partition) = self.subjects.as_mut().and_then(|s| s.partition.take()) {
                let outputs = partition.finish();
                let reps = outputs.representatives();
                self.outputs = Some((outputs, reps));
            }
        } else if k < p + 4 + 2 * sets {
            self.compress(k - (p + 4 + sets));
        } else {
            return Some(self.assemble(scenario));
        }
        None
    }

    fn plan_policy(&mut self, scenario: &Scenario, pi: usize) {
        let (Some(sel), Some(policy)) = (self.sel.as_mut(), scenario.policies.get(pi)) else { return };
        let mut selected = sel.in_namespace(&policy.namespace);
        selected.intersect_with(sel.pods(&policy.pod_selector));
        selected.subtract(&sel.host_network);
        for e in selected.iter() {
            if let (true, Some(list)) = (policy.policy_types.ingress, self.ingress_lists.get_mut(e)) {
                list.push(pi as u32);
            }
            if let (true, Some(list)) = (policy.policy_types.egress, self.egress_lists.get_mut(e)) {
                list.push(pi as u32);
            }
        }
        let mut plan_rules = |active: bool, rules: &[Rule]| -> Vec<PlannedRule> {
            if !active {
                return Vec::new();
            }
            rules.iter().map(|rule| peer_set(sel, policy, rule)).collect()
        };
        self.ingress_rules.push(plan_rules(policy.policy_types.ingress, &policy.ingress));
        self.egress_rules.push(plan_rules(policy.policy_types.egress, &policy.egress));
    }

    /// The subject classes of each direction, and the first output
    /// partition: same subject classes, same kind (a pod's diagonal differs
    /// from a workload's), same host-network flag, and the same named ports
    /// when any rule names one (ingress named ports resolve at the subject,
    /// egress ones at the destination: both are endpoints of the class).
    fn subject_classes(&mut self, scenario: &Scenario) -> Subjects {
        let Some(cluster) = self.cluster.as_mut() else {
            return Subjects {
                ingress_classes: Vec::new(),
                ingress_class_of: Vec::new(),
                egress_classes: Vec::new(),
                egress_class_of: Vec::new(),
                partition: None,
                sets: Vec::new(),
            };
        };
        let mut ingress_lists = core::mem::take(&mut self.ingress_lists);
        let mut egress_lists = core::mem::take(&mut self.egress_lists);
        for (lists, extra) in [
            (&mut ingress_lists, core::mem::take(&mut cluster.ingress_lists)),
            (&mut egress_lists, core::mem::take(&mut cluster.egress_lists)),
        ] {
            for (l, x) in lists.iter_mut().zip(extra) {
                l.extend_from_slice(&x);
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
        let ingress_rules = &self.ingress_rules;
        let (ingress_classes, ingress_class_of) = classes(ingress_lists, |e, policies| {
            let named = policies.iter().any(|&p| {
                let planned = ingress_rules.get(p as usize).map(Vec::as_slice).unwrap_or(&[]);
                scenario.policies.get(p as usize).is_some_and(|policy| has_named_port(planned, &policy.ingress))
            }) || cluster.named_ingress(policies);
            (policies.to_vec(), if named { port_sig.get(e).copied().unwrap_or(OPEN) } else { OPEN })
        });
        let (egress_classes, egress_class_of) = classes(egress_lists, |_, policies| policies.to_vec());
        let named_any = cluster.named_any
            || scenario.policies.iter().zip(self.ingress_rules.iter().zip(&self.egress_rules)).any(
                |(policy, (ingress, egress))| {
                    policy
                        .ingress
                        .iter()
                        .take(ingress.len())
                        .chain(policy.egress.iter().take(egress.len()))
                        .any(names_port)
                },
            );
        let keys = scenario.endpoints.iter().enumerate().map(|(e, endpoint)| {
            (
                ingress_class_of.get(e).copied().unwrap_or(OPEN),
                egress_class_of.get(e).copied().unwrap_or(OPEN),
                endpoint.kind == EndpointKind::Pod,
                endpoint.host_network,
                if named_any { port_sig.get(e).copied().unwrap_or(OPEN) } else { OPEN },
            )
        });
        let partition = Partition::new(keys);
        let mut sets = Vec::with_capacity(self.sets);
        for (pi, rules) in self.ingress_rules.iter().enumerate() {
            sets.extend((0..rules.len()).map(|r| SetRef::Ingress(pi as u32, r as u32)));
        }
        for (pi, rules) in self.egress_rules.iter().enumerate() {
            sets.extend((0..rules.len()).map(|r| SetRef::Egress(pi as u32, r as u32)));
        }
        for (pi, rules) in cluster.ingress.iter().enumerate() {
            sets.extend((0..rules.len()).map(|r| SetRef::ClusterIngress(pi as u32, r as u32)));
        }
        for (pi, rules) in cluster.egress.iter().enumerate() {
            sets.extend((0..rules.len()).map(|r| SetRef::ClusterEgress(pi as u32, r as u32)));
        }
        Subjects {
            ingress_classes,
            ingress_class_of,
            egress_classes,
            egress_class_of,
            partition: Some(partition),
            sets,
        }
    }

    /// The planned set `r` refers to.
    fn set_mut(&mut self, r: SetRef) -> Option<&mut BitSet> {
        match r {
            SetRef::Ingress(p, i) => self.ingress_rules.get_mut(p as usize)?.get_mut(i as usize),
            SetRef::Egress(p, i) => self.egress_rules.get_mut(p as usize)?.get_mut(i as usize),
            SetRef::ClusterIngress(p, i) => self.cluster.as_mut()?.ingress.get_mut(p as usize)?.get_mut(i as usize),
            SetRef::ClusterEgress(p, i) => self.cluster.as_mut()?.egress.get_mut(p as usize)?.get_mut(i as usize),
        }
    }

    fn refine(&mut self, k: usize) {
        let Some(r) = self.subjects.as_ref().and_then(|s| s.sets.get(k)).copied() else { return };
        let mut partition = self.subjects.as_mut().and_then(|s| s.partition.take());
        if let (Some(p), Some(set)) = (partition.as_mut(), self.set_mut(r)) {
            p.refine(set);
        }
        if let Some(s) = self.subjects.as_mut() {
            s.partition = partition;
        }
    }

    fn compress(&mut self, k: usize) {
        let Some(r) = self.subjects.as_ref().and_then(|s| s.sets.get(k)).copied() else { return };
        let Some((outputs, reps)) = self.outputs.take() else { return };
        if let Some(set) = self.set_mut(r) {
            *set = outputs.compress(set, &reps);
        }
        self.outputs = Some((outputs, reps));
    }

    fn assemble(&mut self, scenario: &Scenario) -> Plan {
        let (outputs, reps) = self.outputs.take().unwrap_or_default();
        let subjects = self.subjects.take();
        let cluster = self.cluster.take().unwrap_or_else(ClusterPlan::empty);
        let len = reps.len();
        let (mut ingress_classes, ingress_of, mut egress_classes, egress_of) = match subjects {
            Some(s) => (s.ingress_classes, s.ingress_class_of, s.egress_classes, s.egress_class_of),
            None => (Vec::new(), Vec::new(), Vec::new(), Vec::new()),
        };
        // Subject classes now point at output classes.
        for class in ingress_classes.iter_mut().chain(egress_classes.iter_mut()) {
            class.representative = outputs.class_of.get(class.representative).copied().unwrap_or(0) as usize;
        }
        let per_class =
            |of: &[u32]| -> Vec<u32> { reps.iter().map(|&e| of.get(e as usize).copied().unwrap_or(OPEN)).collect() };
        let ingress_class_of = per_class(&ingress_of);
        let egress_class_of = per_class(&egress_of);
        let pods = BitSet::from_indices(
            len,
            reps.iter()
                .enumerate()
                .filter(|(_, &e)| scenario.endpoints.get(e as usize).is_some_and(|e| e.kind == EndpointKind::Pod))
                .map(|(c, _)| c as u32),
        );
        Plan {
            len,
            ingress_rules: core::mem::take(&mut self.ingress_rules),
            egress_rules: core::mem::take(&mut self.egress_rules),
            ingress_classes,
            ingress_class_of,
            egress_classes,
            egress_class_of,
            pods,
            cluster,
            outputs,
            reps,
        }
    }
}

impl Plan {
    /// Whether subject class `c` of `classes` is isolated by a NetworkPolicy
    /// (not [`OPEN`] and not only selected by cluster policies).
    pub(crate) fn isolated(&self, classes: &[Class], c: u32) -> bool {
        c != OPEN && classes.get(c as usize).is_some_and(|k| k.policies.iter().any(|&p| p < CLUSTER))
    }
}
