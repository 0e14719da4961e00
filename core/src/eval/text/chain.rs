//! The decision chain across tiers in the text explanation: one summary line
//! ("Admin `deny-db` (priority 10): ingress[0] Deny → denied") and, for each
//! cluster policy consulted, its rules checked up to the one that decided.
//! Printed only when a cluster policy took part, so scenarios with
//! NetworkPolicies alone read as before.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::{checks_text, lines};
use crate::eval::tier::Verdict;
use crate::explain::{SideExplanation, TierKind, TierStep};
use crate::model::{ClusterPolicy, ClusterPolicyApi, Direction, Scenario};

/// `Admin `name` (priority 10)`, or the kind for v1alpha1 documents.
fn policy_label(policy: Option<&ClusterPolicy>, step: &TierStep) -> String {
    match policy {
        Some(p) if p.api == ClusterPolicyApi::BaselineAdminNetworkPolicy => format!("Baseline `{}` (BANP)", p.name),
        Some(p) => {
            let kind = if p.api == ClusterPolicyApi::AdminNetworkPolicy { "ANP, " } else { "" };
            format!("{} `{}` ({kind}priority {})", step.tier.as_str(), p.name, p.priority)
        }
        None => format!("{} #{}", step.tier.as_str(), step.policy.unwrap_or_default()),
    }
}

fn step_summary(scenario: &Scenario, direction: Direction, step: &TierStep) -> String {
    if step.tier == TierKind::NetworkPolicy {
        let what = match step.verdict {
            Verdict::Allow => "a rule allows",
            Verdict::Deny => "isolated, no rule allows",
            Verdict::Pass | Verdict::NoMatch => "not isolated",
        };
        return format!("NetworkPolicy: {what}");
    }
    let policy = step.policy.and_then(|i| scenario.cluster_policies.get(i));
    let label = policy_label(policy, step);
    match step.matched_rule() {
        Some(r) => {
            let api = policy.map_or(ClusterPolicyApi::ClusterNetworkPolicy, |p| p.api);
            let name = policy
                .and_then(|p| p.rules(direction).get(r.index))
                .and_then(|rule| rule.name.as_deref())
                .map(|n| format!(" `{n}`"))
                .unwrap_or_default();
            format!("{label}: {}[{}]{name} {}", direction.as_str(), r.index, r.action.as_str(api))
        }
        None => format!("{label}: no rule matches"),
    }
}

/// Writes the chain of `side`, if a cluster policy took part.
pub(super) fn chain_text(out: &mut String, scenario: &Scenario, side: &SideExplanation) {
    if side.tiers.iter().all(|s| s.policy.is_none()) {
        return;
    }
    let mut parts: Vec<String> = side.tiers.iter().map(|s| step_summary(scenario, side.direction, s)).collect();
    let decided = side.tiers.last().is_some_and(|s| matches!(s.verdict, Verdict::Allow | Verdict::Deny));
    parts.push(String::from(match (decided, side.allowed) {
        (false, _) => "default: allowed",
        (true, true) => "allowed",
        (true, false) => "denied",
    }));
    let _ = writeln!(out, "  tiers: {}", parts.join(" → "));
    for step in side.tiers.iter().filter(|s| s.policy.is_some()) {
        let policy = step.policy.and_then(|i| scenario.cluster_policies.get(i));
        let kind = policy.map_or("cluster policy", |p| p.api.kind());
        let span = policy.map(|p| lines(&p.span)).unwrap_or_default();
        let name = policy.map_or(String::new(), |p| p.name.clone());
        let _ = writeln!(out, "  {} tier {kind} {name}{span}", step.tier.as_str());
        let ports_field = match policy.map(|p| p.api) {
            Some(ClusterPolicyApi::ClusterNetworkPolicy) | None => "protocols",
            Some(_) => "ports",
        };
        for rule in &step.rules {
            let api = policy.map_or(ClusterPolicyApi::ClusterNetworkPolicy, |p| p.api);
            let verdict = if rule.matched { "✓ matches" } else { "✗ no match" };
            let _ = writeln!(
                out,
                "    {}[{}] {}{}: {verdict}",
                side.direction.as_str(),
                rule.index,
                rule.action.as_str(api),
                lines(&rule.span)
            );
            checks_text(out, side.direction, &rule.peers, &rule.ports, ports_field);
        }
    }
}
