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
//! [`super::build::PlanBuilder`] builds it in bounded units, so a page can
//! keep handling input in between.

use alloc::vec::Vec;

use super::bitset::BitSet;
use super::classes::OutputClasses;
use super::select::Selections;
use super::tiers::{ClusterPlan, CLUSTER};
use crate::model::{NetworkPolicy, PeerKind, PortRef, Rule};

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

pub(crate) fn has_named_port(planned: &[PlannedRule], rules: &[Rule]) -> bool {
    rules.iter().take(planned.len()).any(|r| r.ports.iter().any(|p| matches!(p.port, Some(PortRef::Name(_)))))
}

/// The endpoints `rule` (of `policy`) admits as peers. Selectors never admit
/// host-network endpoints; ipBlocks admit endpoints by any of their IPs.
pub(crate) fn peer_set(sel: &mut Selections<'_>, policy: &NetworkPolicy, rule: &Rule) -> BitSet {
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

impl Plan {
    /// Whether subject class `c` of `classes` is isolated by a NetworkPolicy
    /// (not [`OPEN`] and not only selected by cluster policies).
    pub(crate) fn isolated(&self, classes: &[Class], c: u32) -> bool {
        c != OPEN && classes.get(c as usize).is_some_and(|k| k.policies.iter().any(|&p| p < CLUSTER))
    }
}
