//! NP017–NP019: cluster-policy rules (ClusterNetworkPolicy, AdminNetworkPolicy,
//! BaselineAdminNetworkPolicy) that never decide anything.
//!
//! Evaluation order is Admin tier by ascending priority → NetworkPolicy →
//! Baseline tier → default allow, and within a policy the first matching rule
//! decides (kubernetes-sigs/network-policy-api
//! `apis/v1alpha2/clusternetworkpolicy_types.go`). So a rule can be dead for
//! three reasons this module reports:
//!
//! - NP017: every flow it matches is already decided (or passed) by an earlier
//!   rule of the same policy, or by a policy consulted before it;
//! - NP018: a Baseline `Deny` whose every flow is decided by the
//!   NetworkPolicy tier, because a NetworkPolicy isolates the pod on that side;
//! - NP019: an Admin `Pass` after which nothing decides: no NetworkPolicy
//!   isolates the pod and no Baseline rule matches, so the flows are allowed by
//!   default, exactly as `Accept` would.
//!
//! Nothing here decides a verdict. Over the same flow sample as NP011 (every
//! ordered pair of endpoints plus representative external addresses, on the
//! ports in use and around them), the real decision chain comes from
//! [`evaluate`]. Whether rule R *would* match a flow it never reached is asked
//! of the evaluator too, on a copy of the scenario that holds nothing but R
//! (as an Admin `Deny` in a policy with R's subject): the flow is refused
//! there exactly when R matches it.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::context::{finding, rule_path};
use super::index::SortedSet;
use super::redundant::probes as network_policy_probes;
use super::Finding;
use crate::eval::tier::Verdict;
use crate::eval::{evaluate, external_nodes, is_allowed};
use crate::explain::{Flow, FlowEnd, SideExplanation, TierKind, TierStep};
use crate::model::{
    ClusterAction, ClusterPeerKind, ClusterPolicy, ClusterPortKind, ClusterRule, ClusterTier, Direction, Probe,
    Protocol, Scenario,
};
use crate::sort::sorted_unique;
use crate::span::Span;

/// Above this many evaluations (chains plus single-rule checks) the check is
/// skipped, as NP011 is, so linting stays interactive on large scenarios.
const MAX_EVALUATIONS: usize = 120_000;

/// At most this many shadowing places are listed in a finding.
const MAX_RELATED: usize = 5;

/// A cluster rule: (cluster policy, direction, rule index).
type Key = (usize, Direction, usize);

/// What stopped a flow's chain before it reached a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stop {
    /// A cluster-policy rule decided or passed first.
    Rule(Key),
    /// The NetworkPolicy tier decided (the pod is isolated), listing the
    /// first isolating policy.
    NetworkPolicy(Option<usize>),
}

/// What the flow sample says about one rule.
#[derive(Default)]
struct Seen {
    /// The rule matched at least one flow (reached or not).
    matched: bool,
    /// The rule was reached and matched, so it decided at least once.
    decided: bool,
    /// For a `Pass`: some flow it passed was then decided by a later tier.
    pass_handed_on: bool,
    /// Why the flows it matches but never reached were stopped.
    stops: SortedSet<Stop>,
}

/// The ports worth probing: NP011's, plus each cluster port number, range
/// end and the ports just outside them, in every protocol.
fn probes(scenario: &Scenario) -> Vec<Probe> {
    // Sorted `Vec`s (`sorted_unique`, binary search) rather than `BTreeSet`s:
    // each set type brings its own B-tree code into the wasm.
    let mut ports: Vec<u16> = Vec::new();
    for policy in &scenario.cluster_policies {
        for rule in policy.ingress.iter().chain(&policy.egress) {
            for p in &rule.ports {
                let (first, last) = match p.kind {
                    ClusterPortKind::Number(_, n) => (n, n),
                    ClusterPortKind::Range(_, a, b) => (a, b),
                    ClusterPortKind::Named(_) => continue,
                };
                ports.extend([first, last]);
                ports.extend(last.checked_add(1));
                ports.extend(first.checked_sub(1).filter(|&m| m > 0));
            }
        }
    }
    let mut out = network_policy_probes(scenario);
    let known = sorted_unique(out.clone());
    for port in sorted_unique(ports) {
        for protocol in Protocol::ALL {
            let probe = Probe::new(protocol, port);
            if known.binary_search(&probe).is_err() {
                out.push(probe);
            }
        }
    }
    out
}

/// Representative addresses of the cluster policies' `networks` peers (which
/// [`external_nodes`] does not know about): the first and last address of
/// each CIDR, so a rule about one block can be compared with a broader one.
/// Ascending, each once.
fn network_addresses(scenario: &Scenario) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for policy in &scenario.cluster_policies {
        for rule in policy.ingress.iter().chain(&policy.egress) {
            for peer in &rule.peers {
                if let ClusterPeerKind::Networks(nets, _) = &peer.kind {
                    out.extend(nets.iter().flat_map(|n| [n.network(), n.broadcast()]));
                }
            }
        }
    }
    sorted_unique(out)
}

/// Every rule of every cluster policy.
fn keys(scenario: &Scenario) -> Vec<Key> {
    let mut out = Vec::new();
    for (pi, policy) in scenario.cluster_policies.iter().enumerate() {
        for direction in [Direction::Ingress, Direction::Egress] {
            out.extend((0..policy.rules(direction).len()).map(|ri| (pi, direction, ri)));
        }
    }
    out
}

/// The policy and rule of `key`.
fn lookup(scenario: &Scenario, (pi, direction, ri): Key) -> Option<(&ClusterPolicy, &ClusterRule)> {
    let policy = scenario.cluster_policies.get(pi)?;
    Some((policy, policy.rules(direction).get(ri)?))
}

/// A policy holding only `rule` of `direction`, as an Admin `Deny` with the
/// original subject: refusing a flow exactly when the rule matches it.
fn solo(policy: &ClusterPolicy, direction: Direction, rule: &ClusterRule) -> ClusterPolicy {
    let mut only = rule.clone();
    only.action = ClusterAction::Deny;
    let mut p = policy.clone();
    p.tier = ClusterTier::Admin;
    p.ingress.clear();
    p.egress.clear();
    match direction {
        Direction::Ingress => p.ingress.push(only),
        Direction::Egress => p.egress.push(only),
    }
    p
}

fn tier_of(tier: ClusterTier) -> TierKind {
    match tier {
        ClusterTier::Admin => TierKind::Admin,
        ClusterTier::Baseline => TierKind::Baseline,
    }
}

/// Where the chain stopped before a rule of `tier`: the first step that
/// decided, or that passed within the rule's own tier (an Admin `Pass` skips
/// only the rest of the Admin tier).
fn stop_before(side: &SideExplanation, tier: ClusterTier) -> Option<Stop> {
    let direction = side.direction;
    side.tiers.iter().find_map(|step| {
        let stops = match step.verdict {
            Verdict::Allow | Verdict::Deny => true,
            Verdict::Pass => step.tier == tier_of(tier),
            Verdict::NoMatch => false,
        };
        if !stops {
            return None;
        }
        Some(match step.policy {
            Some(p) => Stop::Rule((p, direction, step.matched_rule()?.index)),
            None => Stop::NetworkPolicy(side.policies.first().map(|e| e.policy)),
        })
    })
}

/// The step of `side` for cluster policy `policy`, if the chain reached it.
fn step_of(side: &SideExplanation, policy: usize) -> Option<(usize, &TierStep)> {
    side.tiers.iter().enumerate().find(|(_, s)| s.policy == Some(policy) && s.tier != TierKind::NetworkPolicy)
}

/// Records what one flow says about rule `key` (of `side`'s direction).
fn observe(seen: &mut Seen, side: &SideExplanation, key: Key, tier: ClusterTier, matches: impl FnOnce() -> bool) {
    let (pi, _, ri) = key;
    if let Some((at, step)) = step_of(side, pi) {
        if let Some(rule) = step.rules.iter().find(|r| r.index == ri) {
            if rule.matched {
                seen.matched = true;
                seen.decided = true;
                let later = side.tiers.get(at + 1..).unwrap_or(&[]);
                if later.iter().any(|s| matches!(s.verdict, Verdict::Allow | Verdict::Deny)) {
                    seen.pass_handed_on = true;
                }
            }
            return;
        }
    }
    // Once the rule has decided a flow it is not dead: skip the extra check.
    if seen.decided || !matches() {
        return;
    }
    seen.matched = true;
    match stop_before(side, tier) {
        Some(stop) => {
            seen.stops.insert(stop);
        }
        // Not reached, yet nothing stopped the chain: never call it dead.
        None => seen.decided = true,
    }
}

pub(crate) fn check(cx: &super::context::Cx, out: &mut Vec<Finding>) {
    let scenario = cx.scenario;
    let keys = keys(scenario);
    if keys.is_empty() {
        return;
    }
    let probes = probes(scenario);
    let mut ends: Vec<FlowEnd> = (0..scenario.endpoints.len()).map(FlowEnd::Endpoint).collect();
    let internal = ends.len();
    ends.extend(external_nodes(scenario).into_iter().map(|n| FlowEnd::Ip(n.address)));
    for address in network_addresses(scenario) {
        if !ends.contains(&FlowEnd::Ip(address)) {
            ends.push(FlowEnd::Ip(address));
        }
    }
    let pairs = internal * ends.len() + (ends.len() - internal) * internal;
    if pairs.saturating_mul(probes.len()).saturating_mul(keys.len() + 1) > MAX_EVALUATIONS {
        return;
    }
    // One scenario with the endpoints and nothing else; each rule's solo
    // policy is swapped in for its check.
    let mut bare = scenario.clone();
    bare.policies.clear();
    bare.cluster_policies.clear();
    let mut solos: Vec<Vec<ClusterPolicy>> = keys
        .iter()
        .map(|&key| lookup(scenario, key).map(|(p, r)| Vec::from([solo(p, key.1, r)])).unwrap_or_default())
        .collect();
    let mut seen: Vec<Seen> = keys.iter().map(|_| Seen::default()).collect();
    for (fi, &from) in ends.iter().enumerate() {
        for (ti, &to) in ends.iter().enumerate() {
            if fi >= internal && ti >= internal {
                continue;
            }
            for &probe in &probes {
                let flow = Flow { from, to, probe };
                let ex = evaluate(scenario, &flow);
                for (k, &key) in keys.iter().enumerate() {
                    let (Some(state), Some(only), Some((policy, _))) =
                        (seen.get_mut(k), solos.get_mut(k), lookup(scenario, key))
                    else {
                        continue;
                    };
                    let side = match key.1 {
                        Direction::Egress => &ex.egress,
                        Direction::Ingress => &ex.ingress,
                    };
                    observe(state, side, key, policy.tier, || {
                        core::mem::swap(&mut bare.cluster_policies, only);
                        let refused = !is_allowed(&bare, &flow);
                        core::mem::swap(&mut bare.cluster_policies, only);
                        refused
                    });
                }
            }
        }
    }
    let samples = probes.len();
    for (&key, state) in keys.iter().zip(&seen) {
        report(scenario, key, state, samples, out);
    }
}

/// `rule `name` (spec.ingress[0]) of ClusterNetworkPolicy `p` (Admin tier,
/// priority 10)`.
fn describe(policy: &ClusterPolicy, rule: &ClusterRule, (_, direction, ri): Key) -> String {
    let name = rule.name.as_deref().map(|n| format!("`{n}` ")).unwrap_or_default();
    format!(
        "rule {name}({}) of {} `{}` ({} tier, priority {})",
        rule_path(direction, ri),
        policy.api.kind(),
        policy.name,
        policy.tier.as_str(),
        policy.priority
    )
}

fn report(scenario: &Scenario, key: Key, seen: &Seen, samples: usize, out: &mut Vec<Finding>) {
    let Some((policy, rule)) = lookup(scenario, key) else { return };
    let what = describe(policy, rule, key);
    let path = rule_path(key.1, key.2);
    let sample = format!(
        "compared on every pair of this scenario's endpoints and external addresses, on {samples} protocol/port probes"
    );
    if seen.matched && !seen.decided {
        let by_rules: Vec<Key> =
            seen.stops.iter().filter_map(|s| if let Stop::Rule(k) = s { Some(*k) } else { None }).collect();
        let by_np: Vec<Option<usize>> =
            seen.stops.iter().filter_map(|s| if let Stop::NetworkPolicy(p) = s { Some(*p) } else { None }).collect();
        if !by_np.is_empty() && policy.tier == ClusterTier::Baseline && rule.action == ClusterAction::Deny {
            let isolating: Vec<String> = by_np
                .iter()
                .flatten()
                .filter_map(|&i| scenario.policies.get(i))
                .map(|p| format!("`{}/{}`", p.namespace, p.name))
                .collect();
            let also = if by_rules.is_empty() {
                String::new()
            } else {
                format!(" (the others are decided first by {})", rules_text(scenario, key, &by_rules))
            };
            let message = format!(
                "{what} is overridden everywhere: every flow it matches ({sample}) is decided by the NetworkPolicy tier, which comes before the Baseline tier, because a NetworkPolicy isolates the pod on that side ({}){also}. This Baseline rule never takes effect.",
                if isolating.is_empty() { String::from("see the inspector") } else { isolating.join(", ") }
            );
            let fix = String::from(
                "If the namespaces are meant to be closed, deny in the Admin tier (NetworkPolicies cannot override it) or narrow the NetworkPolicies that open them; otherwise delete the Baseline rule.",
            );
            let mut f = finding("NP018", None, rule.span, path, message, fix);
            f.related = by_np
                .iter()
                .flatten()
                .filter_map(|&i| scenario.policies.get(i))
                .map(|p| p.span)
                .chain(by_rules.iter().filter_map(|&k| lookup(scenario, k)).map(|(_, r)| r.span))
                .take(MAX_RELATED)
                .collect();
            out.push(f);
        } else if by_np.is_empty() && !by_rules.is_empty() {
            let message = format!(
                "{what} is shadowed: every flow it matches ({sample}) is already decided by {} before it is reached, so its `{}` never applies.",
                rules_text(scenario, key, &by_rules),
                rule.action.as_str(policy.api)
            );
            let fix = String::from(
                "Move the rule above the one that shadows it (or give its policy a lower priority number), narrow the shadowing rule, or delete this one.",
            );
            let mut f = finding("NP017", None, rule.span, path, message, fix);
            f.related = spans(scenario, &by_rules);
            out.push(f);
        }
        return;
    }
    if policy.tier == ClusterTier::Admin && rule.action == ClusterAction::Pass && seen.decided && !seen.pass_handed_on {
        let message = format!(
            "{what} passes flows to the NetworkPolicy and Baseline tiers, but nothing there decides any of them ({sample}): no NetworkPolicy isolates those pods and no Baseline rule matches, so they are allowed by default, as with `{}`.",
            ClusterAction::Accept.as_str(policy.api)
        );
        let fix = format!(
            "Write `action: {}` if allowing is meant; if namespace owners are expected to decide, add the NetworkPolicy (or Baseline rule) that should.",
            ClusterAction::Accept.as_str(policy.api)
        );
        out.push(finding("NP019", None, rule.span, path, message, fix));
    }
}

/// The spans of `keys`' rules, at most [`MAX_RELATED`].
fn spans(scenario: &Scenario, keys: &[Key]) -> Vec<Span> {
    keys.iter().filter_map(|&k| lookup(scenario, k)).map(|(_, r)| r.span).take(MAX_RELATED).collect()
}

/// The shadowing rules, as "spec.ingress[0] of the same policy" or
/// "spec.ingress[0] of ClusterNetworkPolicy `x` (priority 5)".
fn rules_text(scenario: &Scenario, of: Key, keys: &[Key]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .filter_map(|&k| {
            let (policy, rule) = lookup(scenario, k)?;
            let name = rule.name.as_deref().map(|n| format!(" (`{n}`)")).unwrap_or_default();
            let whose = if k.0 == of.0 {
                String::from("the same policy")
            } else {
                format!(
                    "{} `{}` ({} tier, priority {})",
                    policy.api.kind(),
                    policy.name,
                    policy.tier.as_str(),
                    policy.priority
                )
            };
            Some(format!("{}{name} of {whose}", rule_path(k.1, k.2)))
        })
        .collect();
    let shown = parts.len().min(MAX_RELATED);
    let mut text = parts.get(..shown).unwrap_or(&[]).join(", ");
    if parts.len() > shown {
        text.push_str(&format!(" and {} more", parts.len() - shown));
    }
    text
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use super::super::testutil::{lint_yaml, with_id};
    use crate::parse::parse_str;

    /// Namespaces `x` (team red) and `y` (team blue), pods `a` and `b` in each.
    const PODS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {team: red}}
---
apiVersion: v1
kind: Namespace
metadata: {name: y, labels: {team: blue}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
status: {podIP: 10.0.1.2}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: y, labels: {app: a}}
status: {podIP: 10.0.2.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: y, labels: {app: b}}
status: {podIP: 10.0.2.2}
";

    /// An Admin ClusterNetworkPolicy on namespace `x`'s ingress.
    fn admin(name: &str, priority: u32, rules: &str) -> String {
        format!(
            "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {{name: {name}}}
spec:
  tier: Admin
  priority: {priority}
  subject: {{namespaces: {{matchLabels: {{team: red}}}}}}
  ingress:
{rules}"
        )
    }

    fn lint_docs(docs: &[&str]) -> alloc::vec::Vec<super::Finding> {
        let mut all = String::from(PODS);
        for d in docs {
            all.push_str("---\n");
            all.push_str(d);
        }
        lint_yaml(&all)
    }

    const DENY_ALL: &str = "  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}\n";
    const DENY_GREEN: &str =
        "  - {name: deny-green, action: Deny, from: [{namespaces: {matchLabels: {team: green}}}]}\n";
    const ACCEPT_BLUE: &str =
        "  - {name: accept-blue, action: Accept, from: [{namespaces: {matchLabels: {team: blue}}}]}\n";

    #[test]
    fn np017_later_rule_of_the_same_policy_is_shadowed_by_a_broader_earlier_one() {
        let f = lint_docs(&[&admin("guard", 10, &format!("{DENY_ALL}{ACCEPT_BLUE}"))]);
        let np017 = with_id(&f, "NP017");
        assert_eq!(np017.len(), 1, "{f:#?}");
        assert!(np017[0].message.contains("`accept-blue`"), "{}", np017[0].message);
        assert!(np017[0].message.contains("spec.ingress[0] (`deny-all`) of the same policy"), "{}", np017[0].message);
        assert_eq!(np017[0].path, "spec.ingress[1]");
        let out = parse_str(&format!("{PODS}---\n{}", admin("guard", 10, &format!("{DENY_ALL}{ACCEPT_BLUE}"))));
        let first = out.scenario.cluster_policies[0].ingress[0].span;
        assert_eq!(np017[0].related, [first], "related is the shadowing rule");
    }

    #[test]
    fn np017_not_when_the_earlier_rule_leaves_flows_to_the_later_one() {
        let f = lint_docs(&[&admin("guard", 10, &format!("{DENY_GREEN}{ACCEPT_BLUE}"))]);
        assert!(with_id(&f, "NP017").is_empty(), "{f:#?}");
    }

    #[test]
    fn np017_rule_of_a_later_priority_policy_is_shadowed_by_an_earlier_policy() {
        let f = lint_docs(&[&admin("first", 5, DENY_ALL), &admin("second", 10, ACCEPT_BLUE)]);
        let np017 = with_id(&f, "NP017");
        assert_eq!(np017.len(), 1, "{f:#?}");
        assert!(np017[0].message.contains("`second`"), "{}", np017[0].message);
        assert!(
            np017[0].message.contains("ClusterNetworkPolicy `first` (Admin tier, priority 5)"),
            "{}",
            np017[0].message
        );
        // Swapping the priorities: the narrower rule goes first and the broad
        // one still decides the flows from x itself.
        let swapped = lint_docs(&[&admin("first", 15, DENY_ALL), &admin("second", 10, ACCEPT_BLUE)]);
        assert!(with_id(&swapped, "NP017").is_empty(), "{swapped:#?}");
    }

    #[test]
    fn np017_egress_to_a_network_inside_a_broader_earlier_deny() {
        let egress = "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: egress-guard}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: red}}}
  egress:
  - {name: deny-internet, action: Deny, to: [{networks: [0.0.0.0/0]}]}
  - {name: accept-partner, action: Accept, to: [{networks: [192.0.2.0/24]}]}
";
        let f = lint_docs(&[egress]);
        let np017 = with_id(&f, "NP017");
        assert_eq!(np017.len(), 1, "{f:#?}");
        assert_eq!(np017[0].path, "spec.egress[1]");
        let reversed =
            egress.replace("0.0.0.0/0", "TMP").replace("192.0.2.0/24", "0.0.0.0/0").replacen("TMP", "192.0.2.0/24", 1);
        let f = lint_docs(&[&reversed]);
        assert!(with_id(&f, "NP017").is_empty(), "a narrow rule first leaves the rest to the broad one: {f:#?}");
    }

    /// Baseline deny from blue into red.
    const BASELINE: &str = "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: tenants}
spec:
  tier: Baseline
  priority: 10
  subject: {namespaces: {matchLabels: {team: red}}}
  ingress:
  - {name: no-blue, action: Deny, from: [{namespaces: {matchLabels: {team: blue}}}]}
";

    fn open_x(pods: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: open, namespace: x}}
spec:
  podSelector: {pods}
  ingress: [{{from: [{{namespaceSelector: {{}}}}]}}]
"
        )
    }

    #[test]
    fn np018_baseline_deny_is_overridden_when_network_policies_isolate_every_pod() {
        let f = lint_docs(&[BASELINE, &open_x("{}")]);
        let np018 = with_id(&f, "NP018");
        assert_eq!(np018.len(), 1, "{f:#?}");
        assert!(np018[0].message.contains("This Baseline rule never takes effect"), "{}", np018[0].message);
        assert!(np018[0].message.contains("`x/open`"), "{}", np018[0].message);
        assert_eq!(np018[0].related.len(), 1);
        assert!(with_id(&f, "NP017").is_empty(), "{f:#?}");
    }

    #[test]
    fn np018_not_when_some_pod_is_left_to_the_baseline() {
        let f = lint_docs(&[BASELINE, &open_x("{matchLabels: {app: b}}")]);
        assert!(with_id(&f, "NP018").is_empty(), "{f:#?}");
        let alone = lint_docs(&[BASELINE]);
        assert!(with_id(&alone, "NP018").is_empty(), "{alone:#?}");
    }

    const PASS_BLUE: &str = "  - {name: pass-blue, action: Pass, from: [{namespaces: {matchLabels: {team: blue}}}]}\n";

    #[test]
    fn np019_admin_pass_with_nothing_below_is_reported() {
        let f = lint_docs(&[&admin("guard", 10, PASS_BLUE)]);
        let np019 = with_id(&f, "NP019");
        assert_eq!(np019.len(), 1, "{f:#?}");
        assert!(np019[0].message.contains("allowed by default"), "{}", np019[0].message);
    }

    #[test]
    fn np019_not_when_a_network_policy_or_the_baseline_decides() {
        let with_np = lint_docs(&[&admin("guard", 10, PASS_BLUE), &open_x("{matchLabels: {app: b}}")]);
        assert!(with_id(&with_np, "NP019").is_empty(), "{with_np:#?}");
        let with_baseline = lint_docs(&[&admin("guard", 10, PASS_BLUE), BASELINE]);
        assert!(with_id(&with_baseline, "NP019").is_empty(), "{with_baseline:#?}");
    }
}
