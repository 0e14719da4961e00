//! [`PlanBuilder`]: the [`Plan`] built one bounded unit at a time, so a
//! page can keep handling input between units (issue 5: at 150,000 pods the
//! plan alone is seconds of work).
//!
//! Units, in order: the label index's setup, then runs of [`CHUNK`]
//! endpoints indexed; each policy (who it selects, its rules' peer sets over
//! endpoints); the cluster tiers; runs of endpoints sorted into subject
//! classes and the first output partition; each peer set refining that
//! partition; numbering the output classes; each peer set compressed to
//! output classes (its endpoint bitset freed); the final assembly.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::bitset::BitSet;
use super::classes::{OutputClasses, Partition};
use super::plan::{has_named_port, peer_set, Class, Plan, PlannedRule, OPEN};
use super::select::Selections;
use super::tiers::ClusterPlan;
use crate::model::{EndpointKind, PortRef, Protocol, Rule, Scenario};

/// Endpoints per run in the per-endpoint units (a few ms at most in wasm);
/// tiny in unit tests, so their scenarios cross many run boundaries.
const CHUNK: usize = if cfg!(test) { 7 } else { 1024 };

/// Which planned peer set: a NetworkPolicy's ingress or egress rule, or a
/// cluster policy's (policy index, rule index).
#[derive(Clone, Copy)]
enum SetRef {
    Ingress(u32, u32),
    Egress(u32, u32),
    ClusterIngress(u32, u32),
    ClusterEgress(u32, u32),
}

/// Subject classes of one direction, being built endpoint by endpoint:
/// endpoints with equal keys (policy list, named-port signature) share one;
/// endpoints with an empty list are [`OPEN`].
#[derive(Default)]
struct ClassesBuilder {
    by_key: BTreeMap<(Vec<u32>, u32), u32>,
    classes: Vec<Class>,
    class_of: Vec<u32>,
}

impl ClassesBuilder {
    fn push(&mut self, e: usize, policies: Vec<u32>, sig: u32) {
        if policies.is_empty() {
            self.class_of.push(OPEN);
            return;
        }
        let key = (policies, sig);
        let c = match self.by_key.get(&key) {
            Some(&c) => c,
            None => {
                let c = self.classes.len() as u32;
                self.classes.push(Class { policies: key.0.clone(), representative: e });
                self.by_key.insert(key, c);
                c
            }
        };
        self.class_of.push(c);
    }
}

/// The output partition's first key: see [`PlanBuilder::subject_run`].
type StartKey = (u32, u32, bool, bool, u32);

/// Per-endpoint state of the subject-class runs.
#[derive(Default)]
struct SubjectRuns {
    /// Named-port names, interned.
    names: BTreeMap<String, u32>,
    /// Distinct named-port signatures.
    port_sigs: BTreeMap<Vec<(Protocol, u32, u16)>, u32>,
    ingress: ClassesBuilder,
    egress: ClassesBuilder,
    start: BTreeMap<StartKey, u32>,
    start_of: Vec<u32>,
    /// Whether some rule of any tier names a port.
    named_any: bool,
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
pub(crate) struct PlanBuilder {
    sel: Option<Selections<'static>>,
    ingress_lists: Vec<Vec<u32>>,
    egress_lists: Vec<Vec<u32>>,
    ingress_rules: Vec<Vec<PlannedRule>>,
    egress_rules: Vec<Vec<PlannedRule>>,
    cluster: Option<ClusterPlan>,
    runs: Option<SubjectRuns>,
    subjects: Option<Subjects>,
    outputs: Option<(OutputClasses, Vec<u32>)>,
    /// Units done.
    done: usize,
    endpoints: usize,
    /// Runs of [`CHUNK`] endpoints (at least one, so the units that finish
    /// a phase always run).
    chunks: usize,
    policies: usize,
    sets: usize,
}

/// Whether `rule`'s ports name a port.
fn names_port(rule: &Rule) -> bool {
    rule.ports.iter().any(|p| matches!(p.port, Some(PortRef::Name(_))))
}

/// Where unit `k` falls.
enum Unit {
    IndexStart,
    Index(usize),
    Policy(usize),
    Cluster,
    Subjects(usize),
    Refine(usize),
    Number,
    Compress(usize),
    Assemble,
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
        let policies = scenario.policies.len();
        let endpoints = scenario.endpoints.len();
        PlanBuilder {
            sel: None,
            ingress_lists: Vec::new(),
            egress_lists: Vec::new(),
            ingress_rules: Vec::with_capacity(policies),
            egress_rules: Vec::with_capacity(policies),
            cluster: None,
            runs: None,
            subjects: None,
            outputs: None,
            done: 0,
            endpoints,
            chunks: endpoints.div_ceil(CHUNK).max(1),
            policies,
            sets: np + cluster,
        }
    }

    fn total(&self) -> usize {
        2 * self.chunks + self.policies + 2 * self.sets + 4
    }

    fn unit(&self, k: usize) -> Unit {
        let (c, p, s) = (self.chunks, self.policies, self.sets);
        let mut at = k;
        let mut next = |n: usize| {
            let inside = at < n;
            let i = at;
            if !inside {
                at -= n;
            }
            inside.then_some(i)
        };
        if next(1).is_some() {
            Unit::IndexStart
        } else if let Some(i) = next(c) {
            Unit::Index(i)
        } else if let Some(i) = next(p) {
            Unit::Policy(i)
        } else if next(1).is_some() {
            Unit::Cluster
        } else if let Some(i) = next(c) {
            Unit::Subjects(i)
        } else if let Some(i) = next(s) {
            Unit::Refine(i)
        } else if next(1).is_some() {
            Unit::Number
        } else if let Some(i) = next(s) {
            Unit::Compress(i)
        } else {
            Unit::Assemble
        }
    }

    /// What the next unit costs in rows of a job's step budget. The long
    /// ones (a run of endpoints, or a whole-scenario unit: the cluster
    /// tiers, numbering the output classes, the assembly) end a step; a
    /// policy or a peer set reads a few bitsets over all endpoints, so it
    /// costs more rows in a bigger cluster (a step of 64 rows stays a few
    /// ms at 150,000 endpoints).
    pub(crate) fn cost(&self) -> usize {
        match self.unit(self.done) {
            Unit::Policy(_) | Unit::Refine(_) | Unit::Compress(_) => 1 + self.endpoints / 4096,
            _ => usize::MAX,
        }
    }

    /// The share of units done, from 0 to 1.
    pub(crate) fn fraction_done(&self) -> f64 {
        self.done as f64 / self.total().max(1) as f64
    }

    /// Units left.
    pub(crate) fn remaining(&self) -> usize {
        self.total().saturating_sub(self.done)
    }

    /// Does one unit; returns the plan after the last one. `scenario` must
    /// be the one given to [`PlanBuilder::new`], unchanged.
    pub(crate) fn step(&mut self, scenario: &Scenario) -> Option<Plan> {
        let unit = self.unit(self.done);
        self.done += 1;
        match unit {
            Unit::IndexStart => {
                self.sel = Some(Selections::start(scenario));
                self.ingress_lists = vec![Vec::new(); self.endpoints];
                self.egress_lists = vec![Vec::new(); self.endpoints];
            }
            Unit::Index(i) => {
                let (range, last) = (self.run(i), i + 1 == self.chunks);
                if let Some(sel) = self.sel.as_mut() {
                    sel.add(scenario, range);
                    if last {
                        sel.finish(scenario);
                    }
                }
            }
            Unit::Policy(i) => self.plan_policy(scenario, i),
            Unit::Cluster => {
                if let Some(sel) = self.sel.as_mut() {
                    self.cluster = Some(ClusterPlan::new(scenario, sel));
                }
                self.sel = None;
            }
            Unit::Subjects(i) => {
                if i == 0 {
                    self.runs = Some(self.start_runs(scenario));
                }
                self.subject_run(scenario, self.run(i));
                if i + 1 == self.chunks {
                    self.subjects = self.end_runs();
                }
            }
            Unit::Refine(k) => self.refine(k),
            Unit::Number => {
                if let Some(partition) = self.subjects.as_mut().and_then(|s| s.partition.take()) {
                    let outputs = partition.finish();
                    let reps = outputs.representatives();
                    self.outputs = Some((outputs, reps));
                }
            }
            Unit::Compress(k) => self.compress(k),
            Unit::Assemble => return Some(self.assemble(scenario)),
        }
        None
    }

    /// Endpoints of run `i`.
    fn run(&self, i: usize) -> core::ops::Range<usize> {
        (i * CHUNK).min(self.endpoints)..((i + 1) * CHUNK).min(self.endpoints)
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

    fn start_runs(&self, scenario: &Scenario) -> SubjectRuns {
        let cluster_named = self.cluster.as_ref().is_some_and(|c| c.named_any);
        let named_any = cluster_named
            || scenario.policies.iter().zip(self.ingress_rules.iter().zip(&self.egress_rules)).any(
                |(policy, (ingress, egress))| {
                    let ingress = policy.ingress.iter().take(ingress.len());
                    ingress.chain(policy.egress.iter().take(egress.len())).any(names_port)
                },
            );
        SubjectRuns { named_any, ..SubjectRuns::default() }
    }

    /// Sorts endpoints `range` into subject classes of each direction and
    /// into the first output partition: same subject classes, same kind (a
    /// pod's diagonal differs from a workload's), same host-network flag,
    /// and the same named ports when any rule names one (ingress named
    /// ports resolve at the subject, egress ones at the destination: both
    /// are endpoints of the class).
    fn subject_run(&mut self, scenario: &Scenario, range: core::ops::Range<usize>) {
        let (Some(runs), Some(cluster)) = (self.runs.as_mut(), self.cluster.as_ref()) else { return };
        for e in range {
            let Some(endpoint) = scenario.endpoints.get(e) else { continue };
            // Named ports, in declaration order: with a (invalid but
            // parseable) duplicate name, the first declaration counts.
            let mut sig: Vec<(Protocol, u32, u16)> = Vec::new();
            for p in &endpoint.ports {
                let Some(name) = p.name.as_deref() else { continue };
                let id = match runs.names.get(name) {
                    Some(&id) => id,
                    None => {
                        let id = runs.names.len() as u32;
                        runs.names.insert(name.into(), id);
                        id
                    }
                };
                sig.push((p.protocol, id, p.port));
            }
            let next = runs.port_sigs.len() as u32;
            let port_sig = *runs.port_sigs.entry(sig).or_insert(next);
            let mut ingress = self.ingress_lists.get_mut(e).map(core::mem::take).unwrap_or_default();
            let mut egress = self.egress_lists.get_mut(e).map(core::mem::take).unwrap_or_default();
            ingress.extend_from_slice(cluster.ingress_lists.get(e).map_or(&[], Vec::as_slice));
            egress.extend_from_slice(cluster.egress_lists.get(e).map_or(&[], Vec::as_slice));
            // Named ports on ingress rules resolve against the destination,
            // so members of one ingress class must declare the same ones.
            let named = ingress.iter().any(|&p| {
                let planned = self.ingress_rules.get(p as usize).map(Vec::as_slice).unwrap_or(&[]);
                scenario.policies.get(p as usize).is_some_and(|policy| has_named_port(planned, &policy.ingress))
            }) || cluster.named_ingress(&ingress);
            runs.ingress.push(e, ingress, if named { port_sig } else { OPEN });
            runs.egress.push(e, egress, OPEN);
            let key: StartKey = (
                runs.ingress.class_of.last().copied().unwrap_or(OPEN),
                runs.egress.class_of.last().copied().unwrap_or(OPEN),
                endpoint.kind == EndpointKind::Pod,
                endpoint.host_network,
                if runs.named_any { port_sig } else { OPEN },
            );
            let next = runs.start.len() as u32;
            runs.start_of.push(*runs.start.entry(key).or_insert(next));
        }
    }

    fn end_runs(&mut self) -> Option<Subjects> {
        let runs = self.runs.take()?;
        let cluster = self.cluster.as_mut()?;
        cluster.ingress_lists = Vec::new();
        cluster.egress_lists = Vec::new();
        self.ingress_lists = Vec::new();
        self.egress_lists = Vec::new();
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
        Some(Subjects {
            ingress_classes: runs.ingress.classes,
            ingress_class_of: runs.ingress.class_of,
            egress_classes: runs.egress.classes,
            egress_class_of: runs.egress.class_of,
            partition: Some(Partition::from_classes(runs.start_of, runs.start.len())),
            sets,
        })
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
