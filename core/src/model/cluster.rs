//! Cluster-wide policies of the network-policy-api project
//! (kubernetes-sigs/network-policy-api): `ClusterNetworkPolicy`
//! (`policy.networking.k8s.io/v1alpha2`, `apis/v1alpha2/clusternetworkpolicy_types.go`)
//! and the `v1alpha1` kinds it supersedes, `AdminNetworkPolicy` and
//! `BaselineAdminNetworkPolicy` (`apis/v1alpha1/adminnetworkpolicy_types.go`,
//! `baselineadminnetworkpolicy_types.go`, `shared_types.go`).
//!
//! All three share one model: a tier, a priority, a subject and ordered rules
//! whose action is final (`Accept`/`Allow`, `Deny`) or defers to the next
//! tier (`Pass`). The differences between the versions are spelling (field and
//! action names), which the parser absorbs and [`ClusterPolicyApi`] keeps for
//! display.

use alloc::string::String;
use alloc::vec::Vec;

use ipnet::IpNet;

use super::Protocol;
use crate::labels::LabelSelector;
use crate::span::Span;

/// Which document kind (and API version) a cluster policy was written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClusterPolicyApi {
    /// `policy.networking.k8s.io/v1alpha2` `ClusterNetworkPolicy`.
    ClusterNetworkPolicy,
    /// `policy.networking.k8s.io/v1alpha1` `AdminNetworkPolicy` (superseded).
    AdminNetworkPolicy,
    /// `policy.networking.k8s.io/v1alpha1` `BaselineAdminNetworkPolicy`
    /// (superseded; a singleton named `default`, without priority).
    BaselineAdminNetworkPolicy,
}

impl ClusterPolicyApi {
    /// The kind name.
    pub fn kind(self) -> &'static str {
        match self {
            ClusterPolicyApi::ClusterNetworkPolicy => "ClusterNetworkPolicy",
            ClusterPolicyApi::AdminNetworkPolicy => "AdminNetworkPolicy",
            ClusterPolicyApi::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
        }
    }
}

/// The tier a cluster policy sits in. Evaluation order is Admin →
/// NetworkPolicy → Baseline → default allow (`ClusterNetworkPolicySpec.Tier`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClusterTier {
    /// Before NetworkPolicies: cannot be overridden by namespace owners.
    Admin,
    /// After NetworkPolicies: a default that NetworkPolicies override.
    Baseline,
}

impl ClusterTier {
    /// `Admin` / `Baseline`, as `spec.tier` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterTier::Admin => "Admin",
            ClusterTier::Baseline => "Baseline",
        }
    }
}

/// A rule's action. `v1alpha1`'s `Allow` is read as [`ClusterAction::Accept`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClusterAction {
    /// `Accept` (`Allow` in v1alpha1): final, the traffic is allowed.
    Accept,
    /// `Deny`: final, the traffic is dropped.
    Deny,
    /// `Pass`: skip the rest of this tier and continue with the next one.
    Pass,
}

impl ClusterAction {
    /// The spelling of `api` (`Allow` for v1alpha1 kinds, `Accept` otherwise).
    pub fn as_str(self, api: ClusterPolicyApi) -> &'static str {
        match (self, api) {
            (ClusterAction::Accept, ClusterPolicyApi::ClusterNetworkPolicy) => "Accept",
            (ClusterAction::Accept, _) => "Allow",
            (ClusterAction::Deny, _) => "Deny",
            (ClusterAction::Pass, _) => "Pass",
        }
    }
}

/// `spec.subject`: exactly one of `namespaces` or `pods`. Host-network pods
/// are never subjects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterSubject {
    /// `namespaces`: every pod in the matching namespaces.
    Namespaces(LabelSelector),
    /// `pods`: pods matching `podSelector` in namespaces matching
    /// `namespaceSelector`.
    Pods {
        /// `namespaceSelector` (`{}` when omitted: every namespace).
        namespace_selector: LabelSelector,
        /// `podSelector`.
        pod_selector: LabelSelector,
    },
}

/// One `from[j]` / `to[j]` entry: exactly one field is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterPeer {
    /// What it selects.
    pub kind: ClusterPeerKind,
    /// The whole entry.
    pub span: Span,
}

/// The peer shapes. Selectors never match host-network pods or external
/// addresses; `networks` matches addresses, pods' IPs included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterPeerKind {
    /// `namespaces`: every pod in the matching namespaces.
    Namespaces(LabelSelector),
    /// `pods`: `namespaceSelector` AND `podSelector`.
    Pods {
        /// `namespaceSelector`.
        namespace_selector: LabelSelector,
        /// `podSelector`.
        pod_selector: LabelSelector,
    },
    /// `networks` (egress only): CIDRs; an address matches when it is inside
    /// any of them. Upstream notes that pod-to-pod traffic matches too.
    Networks(Vec<IpNet>, Vec<Span>),
    /// `nodes` (egress only): node label selector. Scenarios have no Node
    /// objects, so this peer matches nothing here.
    Nodes(LabelSelector),
}

/// One destination-port match of a rule (`ports[k]` in v1alpha1,
/// `protocols[k]` in v1alpha2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterPort {
    /// What it matches.
    pub kind: ClusterPortKind,
    /// The entry.
    pub span: Span,
}

/// The port forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterPortKind {
    /// `portNumber {protocol, port}` / `tcp: {destinationPort: {number}}`.
    Number(Protocol, u16),
    /// `portRange {protocol, start, end}` / `tcp: {destinationPort: {range}}`,
    /// inclusive.
    Range(Protocol, u16, u16),
    /// `namedPort` / `destinationNamedPort`: the destination pod's container
    /// port of that name (any protocol; names are unique within a pod).
    Named(String),
}

/// One ingress or egress rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterRule {
    /// `name`, if written.
    pub name: Option<String>,
    /// `action`.
    pub action: ClusterAction,
    /// `from` / `to` (at least one entry; the API requires it).
    pub peers: Vec<ClusterPeer>,
    /// `ports` / `protocols`; empty means every port and protocol.
    pub ports: Vec<ClusterPort>,
    /// The whole rule.
    pub span: Span,
}

/// A cluster-scoped policy of either tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterPolicy {
    /// `metadata.name`.
    pub name: String,
    /// The kind it was written as.
    pub api: ClusterPolicyApi,
    /// `spec.tier` (implied by the kind for v1alpha1).
    pub tier: ClusterTier,
    /// `spec.priority` (0–1000, lower first); 0 for a BaselineAdminNetworkPolicy,
    /// which has none (it is a singleton).
    pub priority: u32,
    /// `spec.subject`.
    pub subject: ClusterSubject,
    /// Where `spec.subject` is written.
    pub subject_span: Span,
    /// `spec.ingress`, in precedence order.
    pub ingress: Vec<ClusterRule>,
    /// `spec.egress`, in precedence order.
    pub egress: Vec<ClusterRule>,
    /// The whole document.
    pub span: Span,
}

impl ClusterPolicy {
    /// The rules for `direction`.
    pub fn rules(&self, direction: super::Direction) -> &[ClusterRule] {
        match direction {
            super::Direction::Ingress => &self.ingress,
            super::Direction::Egress => &self.egress,
        }
    }
}
