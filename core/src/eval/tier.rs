//! Policy tiers: the shape evaluation takes so that ordered, cluster-wide
//! policy kinds can join NetworkPolicy later.
//!
//! Each tier looks at one side of a flow and returns a [`Verdict`]. The side's
//! decision is the first *final* verdict (`Allow` or `Deny`) in tier order;
//! `Pass` and `NoMatch` hand the decision to the next tier, and when every tier
//! has passed the default is to allow (an unisolated pod accepts everything).
//!
//! The tiers are the network-policy-api order: Admin-tier cluster policies →
//! NetworkPolicy ([`network_policy`]) → Baseline-tier cluster policies →
//! default allow (`super::cluster` gives the cluster tiers' verdicts; see
//! kubernetes-sigs/network-policy-api `apis/v1alpha2/clusternetworkpolicy_types.go`).

/// What one tier decides about one side of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The tier admits the traffic; later tiers are not consulted.
    Allow,
    /// The tier refuses the traffic; later tiers are not consulted.
    Deny,
    /// The tier explicitly defers to the next tier (AdminNetworkPolicy `Pass`).
    Pass,
    /// Nothing in the tier applies to this side.
    NoMatch,
}

/// The NetworkPolicy tier's verdict for one side: a side no policy isolates is
/// not this tier's business (`NoMatch`, so the default allows it); an isolated
/// side is allowed iff some rule admits the flow, and denied otherwise, since
/// isolation is itself the deny.
pub fn network_policy(isolated: bool, admitted: bool) -> Verdict {
    match (isolated, admitted) {
        (false, _) => Verdict::NoMatch,
        (true, true) => Verdict::Allow,
        (true, false) => Verdict::Deny,
    }
}

/// Folds tier verdicts in order into the side's decision: the first `Allow`
/// or `Deny` wins, and traffic no tier decides is allowed.
pub fn decide(verdicts: impl IntoIterator<Item = Verdict>) -> bool {
    for v in verdicts {
        match v {
            Verdict::Allow => return true,
            Verdict::Deny => return false,
            Verdict::Pass | Verdict::NoMatch => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_final_verdict_wins_and_default_is_allow() {
        assert!(decide([]));
        assert!(decide([Verdict::NoMatch, Verdict::Pass]));
        assert!(!decide([Verdict::Pass, Verdict::Deny, Verdict::Allow]));
        assert!(decide([Verdict::NoMatch, Verdict::Allow, Verdict::Deny]));
    }

    #[test]
    fn network_policy_tier_denies_only_isolated_unadmitted_sides() {
        assert_eq!(network_policy(false, false), Verdict::NoMatch);
        assert_eq!(network_policy(true, true), Verdict::Allow);
        assert_eq!(network_policy(true, false), Verdict::Deny);
    }
}
