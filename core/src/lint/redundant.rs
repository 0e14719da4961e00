//! NP011: a rule whose allowed flows another rule already allows.
//!
//! The evaluator's explanation lists, for each side of a flow, every rule of
//! every selecting policy and whether it matched. Over a sample of flows
//! (every ordered pair of endpoints, plus representative external addresses
//! from [`crate::eval::external_nodes`], on every port the policies and named
//! ports use, the ports just past each range and a port nobody uses, each in
//! every protocol), the set of rules that cover rule A is the intersection of
//! the matched sets of the flows A matches. Comparing verdicts rather than
//! YAML means the linter needs no theory of selector containment, and can
//! never disagree with the evaluator.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::{finding, policy_name, rule_path, Cx};
use super::index::SortedMap;
use super::Finding;
use crate::eval::{evaluate, external_nodes};
use crate::explain::{Flow, FlowEnd, SideExplanation};
use crate::model::{Direction, PortRef, Probe, Protocol, Scenario};
use crate::sort::sorted_unique;

/// Above this many evaluations the check is skipped, so linting stays
/// interactive in the browser on large scenarios.
const MAX_EVALUATIONS: usize = 60_000;

/// A rule: (policy, direction, index). Ordered as in the source.
type Key = (usize, Direction, usize);

/// The ports worth probing: each numeric port entry, one past each range or
/// port, named ports' resolutions, and one port nobody uses; each in every
/// protocol.
pub(crate) fn probes(scenario: &Scenario) -> Vec<Probe> {
    // Sets here are sorted `Vec`s (`sorted_unique`, binary search), not
    // `BTreeSet`s: each set type brings its own B-tree code into the wasm.
    let mut ports = Vec::from([65_535u16]);
    for policy in &scenario.policies {
        for rule in policy.ingress.iter().chain(&policy.egress) {
            for p in &rule.ports {
                if let Some(PortRef::Number(n)) = p.port {
                    let last = p.end_port.unwrap_or(n);
                    ports.extend([n, last]);
                    ports.extend(last.checked_add(1));
                    ports.extend(n.checked_sub(1).filter(|&m| m > 0));
                }
            }
        }
    }
    for e in &scenario.endpoints {
        ports.extend(e.ports.iter().filter(|p| p.name.is_some()).map(|p| p.port));
    }
    sorted_unique(ports).into_iter().flat_map(|port| Protocol::ALL.map(|protocol| Probe::new(protocol, port))).collect()
}

/// Whether some pod sees two or more rules of one direction (otherwise there
/// is nothing to compare).
fn worth_checking(cx: &Cx) -> bool {
    // Rules per (endpoint, direction), at `2 * endpoint + direction`.
    let mut rules_per = alloc::vec![0usize; cx.scenario.endpoints.len().saturating_mul(2)];
    for (pi, policy) in cx.policies() {
        for direction in [Direction::Ingress, Direction::Egress] {
            if !policy.has_type(direction) {
                continue;
            }
            for &e in cx.selected(pi) {
                let slot = e.saturating_mul(2).saturating_add(usize::from(direction == Direction::Egress));
                if let Some(n) = rules_per.get_mut(slot) {
                    *n += policy.rules(direction).len();
                }
            }
        }
    }
    rules_per.iter().any(|&n| n >= 2)
}

/// The rules of `side` that admit the flow, ascending, each once.
fn matched(side: &SideExplanation, direction: Direction) -> Vec<Key> {
    sorted_unique(
        side.policies
            .iter()
            .flat_map(|p| p.rules.iter().filter(|r| r.matched).map(move |r| (p.policy, direction, r.index)))
            .collect(),
    )
}

pub(crate) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let scenario = cx.scenario;
    if !worth_checking(cx) {
        return;
    }
    let probes = probes(scenario);
    let mut ends: Vec<FlowEnd> = (0..scenario.endpoints.len()).map(FlowEnd::Endpoint).collect();
    let internal = ends.len();
    ends.extend(external_nodes(scenario).into_iter().map(|n| FlowEnd::Ip(n.address)));
    let pairs = internal * ends.len() + (ends.len() - internal) * internal;
    if pairs.saturating_mul(probes.len()) > MAX_EVALUATIONS {
        return;
    }
    // Rule A -> the rules matching every flow A matched so far (ascending).
    let mut covers: SortedMap<Key, Vec<Key>> = SortedMap::new();
    let mut record = |set: Vec<Key>| {
        for &a in &set {
            let others = set.iter().copied().filter(|&b| b != a);
            match covers.get_mut(&a) {
                Some(c) => c.retain(|b| set.binary_search(b).is_ok() && *b != a),
                None => covers.insert(a, others.collect()),
            }
        }
    };
    for (fi, &from) in ends.iter().enumerate() {
        for (ti, &to) in ends.iter().enumerate() {
            if fi >= internal && ti >= internal {
                continue;
            }
            for &probe in &probes {
                let ex = evaluate(scenario, &Flow { from, to, probe });
                record(matched(&ex.egress, Direction::Egress));
                record(matched(&ex.ingress, Direction::Ingress));
            }
        }
    }
    for (&a, by) in covers.iter() {
        // Of two rules allowing exactly the same flows, the later one is the
        // redundant one.
        let covering: Vec<Key> = by
            .iter()
            .copied()
            .filter(|b| *b < a || covers.get(b).is_none_or(|c| c.binary_search(&a).is_err()))
            .collect();
        if covering.is_empty() {
            continue;
        }
        report(cx, a, &covering, probes.len(), out);
    }
}

fn report(cx: &Cx, (pi, direction, ri): Key, covering: &[Key], probes: usize, out: &mut Vec<Finding>) {
    let scenario = cx.scenario;
    let (Some(policy), Some(rule)) =
        (scenario.policies.get(pi), scenario.policies.get(pi).and_then(|p| p.rules(direction).get(ri)))
    else {
        return;
    };
    let names: Vec<String> = covering
        .iter()
        .filter_map(|&(bp, bd, bi)| {
            let other = scenario.policies.get(bp)?;
            let same = if bp == pi { String::from("the same policy") } else { policy_name(other) };
            Some(format!("{} of {same}", rule_path(bd, bi)))
        })
        .collect();
    let message = format!(
        "{} of {} allows nothing that {} does not already allow (compared on every pair of this scenario's endpoints and external addresses, on {probes} protocol/port probes): it is redundant.",
        rule_path(direction, ri),
        policy_name(policy),
        names.join(" and ")
    );
    let fix = String::from(
        "Delete the redundant rule; or, if it is the narrow one you meant, narrow the covering rule (policies add up, so the broader rule wins).",
    );
    let mut f = finding("NP011", Some(pi), rule.span, rule_path(direction, ri), message, fix);
    f.related = covering
        .iter()
        .filter_map(|&(bp, bd, bi)| scenario.policies.get(bp)?.rules(bd).get(bi).map(|r| r.span))
        .collect();
    out.push(f);
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use crate::lint::testutil::{lint_yaml, with_id};

    fn scenario(policies: &str) -> String {
        format!(
            "
apiVersion: v1
kind: Pod
metadata: {{name: api, namespace: prod, labels: {{app: api}}}}
---
apiVersion: v1
kind: Pod
metadata: {{name: a, namespace: prod, labels: {{team: a}}}}
---
apiVersion: v1
kind: Pod
metadata: {{name: b, namespace: prod, labels: {{team: b}}}}
---
{policies}"
        )
    }

    fn allow(name: &str, teams: &str, ports: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: {name}, namespace: prod}}
spec:
  podSelector: {{matchLabels: {{app: api}}}}
  ingress:
  - from: [{{podSelector: {{matchExpressions: [{{key: team, operator: In, values: [{teams}]}}]}}}}]
    ports: {ports}
---
"
        )
    }

    #[test]
    fn np011_rule_covered_by_a_broader_policy_lists_the_covering_rule() {
        let yaml = scenario(
            &(allow("allow-a", "a", "[{port: 80}]") + &allow("allow-ab", "a, b", "[{port: 80}, {port: 443}]")),
        );
        let findings = lint_yaml(&yaml);
        let f = with_id(&findings, "NP011");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert_eq!(f[0].policy, Some(0));
        assert!(f[0].message.contains("spec.ingress[0] of `prod/allow-ab`"), "{}", f[0].message);
        assert_eq!(f[0].related.len(), 1);
    }

    #[test]
    fn np011_identical_rules_report_only_the_later_one() {
        let yaml = scenario(&(allow("first", "a", "[{port: 80}]") + &allow("second", "a", "[{port: 80}]")));
        let findings = lint_yaml(&yaml);
        let f = with_id(&findings, "NP011");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert_eq!(f[0].policy, Some(1));
    }

    #[test]
    fn np011_overlapping_but_different_rules_are_not_redundant() {
        let ports = lint_yaml(&scenario(&(allow("p80", "a", "[{port: 80}]") + &allow("p81", "a, b", "[{port: 81}]"))));
        assert!(with_id(&ports, "NP011").is_empty(), "{ports:#?}");
        let range =
            lint_yaml(&scenario(&(allow("r", "a", "[{port: 80, endPort: 90}]") + &allow("p", "a", "[{port: 80}]"))));
        let f = with_id(&range, "NP011");
        assert_eq!(f.len(), 1, "{range:#?}");
        assert_eq!(f[0].policy, Some(1), "the single port is inside the range, not the reverse");
    }
}
