//! The straightforward per-flow evaluator: [`evaluate`] walks every policy and
//! records every check, producing an [`crate::explain::Explanation`];
//! [`is_allowed`] reaches the same verdict without recording anything.
//!
//! Semantics follow the `networking.k8s.io/v1` NetworkPolicy API reference and
//! the upstream conformance suite (kubernetes/kubernetes
//! `test/e2e/network/netpol`):
//!
//! - a policy selects pods of its own namespace matching `spec.podSelector`;
//! - a side (the source's egress, the destination's ingress) is isolated iff
//!   some selecting policy has that direction in `policyTypes`; a
//!   non-isolated side allows everything, an isolated side allows iff some
//!   rule of some selecting policy of that direction matches (a union: no
//!   deny, no order);
//! - a flow is allowed iff both sides allow it;
//! - exemptions: external addresses are not subject to policy, nor are
//!   `hostNetwork` pods (the common behaviour the concepts page describes in
//!   "NetworkPolicy and hostNetwork pods"), and a pod's traffic to itself is
//!   always allowed (`Reachability.AllowLoopback` in kubernetes/kubernetes
//!   `test/e2e/network/netpol/reachability.go`: "loopback logic follows no
//!   policy"). A workload endpoint (Deployment, …) stands for many replicas,
//!   so its traffic "to itself" is replica-to-replica traffic and is decided
//!   by policy like any other flow.
//!
//! Evaluation is organised as tiers ([`tier`]): the NetworkPolicy tier returns
//! a [`tier::Verdict`] per side, and the side's decision is the first final
//! verdict of an ordered tier list, defaulting to allow: Admin-tier cluster
//! policies, NetworkPolicy, Baseline-tier cluster policies (module `cluster`).

mod cluster;
mod peer;
mod ports;
mod selector;
mod side;
mod targets;
pub mod text;
pub mod tier;

#[cfg(test)]
pub(crate) mod build;
#[cfg(test)]
mod tests;

use crate::explain::{Explanation, Flow};
use crate::model::{Direction, EndpointKind, Scenario};

pub(crate) use self::cluster::ordered as cluster_order;
use self::peer::End;
pub(crate) use self::ports::number_covers;
pub use self::targets::{external_nodes, resolve_end, service_targets, ExternalNode, ServiceTarget};
pub use self::text::explanation_to_text;

/// Whether `flow` is a pod talking to itself, which the upstream conformance
/// suite always expects to be allowed. Workload endpoints are excluded: their
/// diagonal is replica-to-replica traffic.
fn is_loopback(scenario: &Scenario, flow: &Flow) -> bool {
    match (flow.from, flow.to) {
        (crate::FlowEnd::Endpoint(a), crate::FlowEnd::Endpoint(b)) if a == b => {
            scenario.endpoints.get(a).is_some_and(|e| e.kind == EndpointKind::Pod)
        }
        _ => false,
    }
}

/// Whether `policy` selects `endpoint` (same namespace, `spec.podSelector`
/// matches), the evaluator's own test. For the linter, so it never
/// re-implements selection.
pub(crate) fn policy_selects(policy: &crate::model::NetworkPolicy, endpoint: &crate::model::Endpoint) -> bool {
    side::selects(policy, endpoint)
}

/// Whether the `from`/`to` entry `peer` of a policy in `policy_namespace`
/// admits `end`, the evaluator's own test (selectors never match external
/// addresses or host-network pods; ipBlocks match any of a pod's IPs). For
/// the linter.
pub(crate) fn peer_admits(
    scenario: &Scenario,
    policy_namespace: &str,
    peer: &crate::model::Peer,
    end: crate::FlowEnd,
) -> bool {
    peer::matches(policy_namespace, peer, &End::resolve(scenario, end))
}

/// Evaluates `flow` and records why: for each side, every selecting policy,
/// every rule, every peer entry and term, every port entry, the rules that
/// admit the flow and the near misses.
pub fn evaluate(scenario: &Scenario, flow: &Flow) -> Explanation {
    let from = End::resolve(scenario, flow.from);
    let to = End::resolve(scenario, flow.to);
    let loopback = is_loopback(scenario, flow);
    let egress = side::explain(scenario, Direction::Egress, &from, &to, flow.probe, loopback);
    let ingress = side::explain(scenario, Direction::Ingress, &to, &from, flow.probe, loopback);
    Explanation { flow: *flow, allowed: egress.allowed && ingress.allowed, egress, ingress }
}

/// The verdict of [`evaluate`] without building the explanation: stops at the
/// first deciding tier and rule, and allocates nothing unless the scenario has
/// cluster policies (then only their evaluation order).
pub fn is_allowed(scenario: &Scenario, flow: &Flow) -> bool {
    let from = End::resolve(scenario, flow.from);
    let to = End::resolve(scenario, flow.to);
    let loopback = is_loopback(scenario, flow);
    side::allows(scenario, Direction::Egress, &from, &to, flow.probe, loopback)
        && side::allows(scenario, Direction::Ingress, &to, &from, flow.probe, loopback)
}
