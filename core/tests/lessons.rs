//! The Learn panel's lessons (issue 6, and issue 7's guardrails lesson) are
//! what newcomers learn from, so none of their checks may hold vacuously and
//! none of their sentences may contradict the evaluator:
//!
//! - every scenario parses cleanly, and so does its solved version;
//! - every task FAILS on the starting scenario (on a real verdict, not on a
//!   missing endpoint) and PASSES once the solution is applied;
//! - every prediction flow resolves, and its verdict is the one written in
//!   [`PREDICTIONS`] from the NetworkPolicy API reference
//!   (kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/),
//!   the concepts page (kubernetes.io/docs/concepts/services-networking/network-policies/)
//!   and, for tiers, the network-policy-api ClusterNetworkPolicy reference;
//! - the claims each lesson's takeaway makes are checked in [`CLAIMS`].

use std::collections::HashSet;

use netpol_core::eval::tier::Verdict;
use netpol_core::explain::TierKind;
use netpol_core::lessons::{self, apply_solution, check, Lesson, Outcome, LESSONS};
use netpol_core::parse::{parse_str, Severity};
use netpol_core::{evaluate, is_allowed, Scenario};

/// Parses `yaml`, failing on any error or warning (notices are fine).
fn parse_clean(what: &str, yaml: &str) -> Scenario {
    let out = parse_str(yaml);
    let bad: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .map(|d| d.render(what))
        .collect();
    assert!(bad.is_empty(), "{what}: expected no errors or warnings, got:\n{}", bad.join("\n"));
    out.scenario
}

fn solved(lesson: &Lesson) -> String {
    apply_solution(lesson, lesson.yaml)
        .unwrap_or_else(|| panic!("{}: a solution edit does not occur exactly once in the lesson's YAML", lesson.id))
}

/// The verdict on `from -> to probe` in `scenario`, checking that the
/// explaining and the fast evaluator agree.
fn verdict(scenario: &Scenario, what: &str, from: &'static str, to: &'static str, probe: &'static str) -> bool {
    let flow = lessons::resolve(scenario, &netpol_core::presets::FocusFlow { from, to, probe })
        .unwrap_or_else(|e| panic!("{what}: {from} -> {to} {probe} does not resolve: {e:?}"));
    let ex = evaluate(scenario, &flow);
    assert_eq!(ex.allowed, is_allowed(scenario, &flow), "{what}: evaluate and is_allowed disagree");
    ex.allowed
}

#[test]
fn the_course_has_the_lessons_issue_6_and_7_ask_for() {
    let ids: Vec<&str> = LESSONS.iter().map(|l| l.id).collect();
    for wanted in [
        "default-deny",
        "ingress-egress",
        "or-vs-and",
        "namespace-labels",
        "ports",
        "policies-add-up",
        "dns-egress",
        "cluster-guardrails",
    ] {
        assert!(ids.contains(&wanted), "missing lesson {wanted}");
    }
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate lesson ids: {ids:?}");
    for l in LESSONS {
        assert_eq!(lessons::by_id(l.id).map(|x| x.id), Some(l.id));
        let t = l.embedded_text().unwrap_or_else(|| panic!("{}: core/lessons/{}.txt lacks a section", l.id, l.id));
        for text in [l.title, t.intro, t.question, t.takeaway, t.goal, t.hint, t.explanation] {
            assert!(!text.trim().is_empty(), "{}: empty text", l.id);
            assert!(!text.contains("  "), "{}: double space in {text:?}", l.id);
        }
        assert!(!l.task.expect.is_empty(), "{}: a task without expectations", l.id);
        assert!(!l.solution.edits.is_empty(), "{}: a solution without edits", l.id);
    }
    assert_eq!(lessons::by_id("no-such-lesson"), None);
}

#[test]
fn every_scenario_and_every_solved_scenario_parses_cleanly() {
    for l in LESSONS {
        parse_clean(l.id, l.yaml);
        parse_clean(&format!("{} (solved)", l.id), &solved(l));
    }
}

#[test]
fn every_task_fails_on_its_starting_scenario_and_passes_once_solved() {
    for l in LESSONS {
        let start = check(l, &parse_clean(l.id, l.yaml));
        assert!(!start.done(), "{}: the task is already done on the starting scenario", l.id);
        for r in &start.results {
            assert!(!matches!(r.outcome, Outcome::Unresolved(_)), "{}: {}", l.id, r.describe());
        }
        assert!(
            start.results.iter().any(|r| r.outcome == Outcome::Fails),
            "{}: the starting scenario must fail on a verdict",
            l.id
        );
        let end = check(l, &parse_clean(l.id, &solved(l)));
        let failing: Vec<String> = end.results.iter().filter(|r| !r.holds()).map(|r| r.describe()).collect();
        assert!(end.done(), "{}: the solution does not pass:\n{}", l.id, failing.join("\n"));
        assert_eq!(end.first_failure(), None);
        assert_eq!(end.holding(), l.task.expect.len());
    }
}

#[test]
fn the_solution_snippet_is_what_the_solved_scenario_says() {
    for l in LESSONS {
        assert!(solved(l).contains(l.solution.snippet), "{}: the snippet is not in the solved YAML", l.id);
    }
}

#[test]
fn a_solution_cannot_be_applied_twice() {
    for l in LESSONS {
        let once = solved(l);
        // Every lesson's edit removes the text it looks for, so a second
        // "Apply" finds nothing and the page says so instead of guessing.
        assert_eq!(apply_solution(l, &once), None, "{}", l.id);
    }
}

/// `(lesson, predicted verdict)`, each with the sentence of the API
/// reference or concepts page it follows from.
const PREDICTIONS: &[(&str, bool)] = &[
    // "By default, a pod is non-isolated for ingress; all inbound connections
    // are allowed": the policy selects app=web only, not the db.
    ("default-deny", true),
    // policyTypes [Ingress] only: "a pod is non-isolated for egress", and an
    // external address has no policy.
    ("ingress-egress", true),
    // NetworkPolicyIngressRule.from: "traffic is allowed if it matches at
    // least one item in the from list": from[0] admits all of alice.
    ("or-vs-and", true),
    // The selector needs name=monitoring, which monitoring lacks; the pod is
    // isolated by podSelector {}.
    ("namespace-labels", false),
    // NetworkPolicyPort.endPort: "the range port to endPort", inclusive.
    ("ports", true),
    // "Network policies do not conflict; they are additive."
    ("policies-add-up", true),
    // Egress isolation with no rule for port 53.
    ("dns-egress", false),
    // ClusterNetworkPolicy: Pass "skips all further rules in the Admin tier"
    // and hands over to NetworkPolicy, where `- {}` admits everything.
    ("cluster-guardrails", true),
];

#[test]
fn every_prediction_resolves_and_has_the_verdict_the_api_reference_gives() {
    assert_eq!(PREDICTIONS.len(), LESSONS.len(), "one written verdict per lesson");
    for &(id, want) in PREDICTIONS {
        let l = lessons::by_id(id).unwrap_or_else(|| panic!("no lesson {id}"));
        let s = parse_clean(id, l.yaml);
        let f = l.prediction.flow;
        assert_eq!(verdict(&s, id, f.from, f.to, f.probe), want, "{id}: prediction verdict");
        let ex = lessons::prediction(l).unwrap_or_else(|| panic!("{id}: prediction() found nothing"));
        assert_eq!(ex.allowed, want, "{id}: prediction() disagrees");
    }
}

/// `(lesson, from, to, probe, allowed)`: claims the intros and takeaways
/// make, on the starting scenario.
const CLAIMS: &[(&str, &str, &str, &str, bool)] = &[
    // "The policy selects only the pods labelled app=web."
    ("default-deny", "dev/debug", "shop/web", "TCP/80", false),
    ("default-deny", "shop/db", "shop/web", "TCP/80", false),
    // "says nothing about outgoing ones" / "keeps everything out".
    ("ingress-egress", "app/web", "tools/client", "TCP/80", true),
    ("ingress-egress", "tools/client", "app/api", "TCP/8080", false),
    ("ingress-egress", "app/web", "app/api", "TCP/8080", false),
    // "from[1] admits role=client pods of the policy's own namespace, data."
    ("or-vs-and", "data/client", "data/db", "TCP/5432", true),
    ("or-vs-and", "bob/client", "data/db", "TCP/5432", false),
    // "The sandbox namespace does carry the label, so its pods get in."
    ("namespace-labels", "sandbox/tool", "production/api", "TCP/8080", true),
    // "both ends included" and "the same numbers over TCP are not allowed".
    ("ports", "shop/web", "shop/media", "UDP/40000", true),
    ("ports", "shop/web", "shop/media", "UDP/40101", false),
    ("ports", "shop/web", "shop/media", "TCP/40100", false),
    ("ports", "shop/web", "shop/api-v2", "TCP/9090", false),
    // "the server accepts the union of both".
    ("policies-add-up", "green/client", "api/server", "TCP/8080", true),
    ("policies-add-up", "monitoring/prometheus", "api/server", "TCP/9090", true),
    ("policies-add-up", "monitoring/prometheus", "api/server", "TCP/8080", false),
    // "web can reach the api by IP address but cannot look up its name."
    ("dns-egress", "production/web", "production/api", "TCP/8080", true),
    ("dns-egress", "production/web", "kube-system/coredns", "TCP/53", false),
    // "accepts backend".
    ("cluster-guardrails", "backend/api", "sensitive/db", "TCP/5432", true),
];

#[test]
fn the_lessons_texts_agree_with_the_evaluator() {
    let mut wrong = Vec::new();
    for &(id, from, to, probe, want) in CLAIMS {
        let l = lessons::by_id(id).unwrap_or_else(|| panic!("no lesson {id}"));
        let s = parse_clean(id, l.yaml);
        if verdict(&s, id, from, to, probe) != want {
            wrong.push(format!("{id}: {from} -> {to} {probe} should be {}", lessons::verdict_word(want)));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_guardrails_prediction_is_decided_by_a_pass_then_the_networkpolicy_tier() {
    let l = lessons::by_id("cluster-guardrails").expect("lesson");
    let ex = lessons::prediction(l).expect("prediction");
    let chain: Vec<(TierKind, Verdict)> = ex.ingress.tiers.iter().map(|t| (t.tier, t.verdict)).collect();
    assert_eq!(chain, vec![(TierKind::Admin, Verdict::Pass), (TierKind::NetworkPolicy, Verdict::Allow)]);
    // Solved: the Admin tier's Deny is final, NetworkPolicy is never reached.
    let s = parse_clean(l.id, &solved(l));
    let f = lessons::resolve(&s, &l.prediction.flow).expect("resolves");
    let solved_chain: Vec<TierKind> = evaluate(&s, &f).ingress.tiers.iter().map(|t| t.tier).collect();
    assert_eq!(solved_chain, vec![TierKind::Admin]);
}

#[test]
fn a_renamed_endpoint_is_reported_not_counted() {
    let l = lessons::by_id("namespace-labels").expect("lesson");
    let renamed = solved(l).replace("name: prometheus", "name: prom");
    let status = check(l, &parse_clean(l.id, &renamed));
    assert!(!status.done());
    let first = status.first_failure().expect("a failure");
    assert!(matches!(first.outcome, Outcome::Unresolved(lessons::Unresolved::From)));
    assert!(first.describe().contains("`monitoring/prometheus`"), "{}", first.describe());
}

#[test]
fn failures_are_worded_with_both_verdicts() {
    let l = lessons::by_id("namespace-labels").expect("lesson");
    let status = check(l, &parse_clean(l.id, l.yaml));
    let words: Vec<String> = status.results.iter().map(|r| r.describe()).collect();
    assert_eq!(
        words,
        vec![
            "monitoring/prometheus → production/api on TCP/8080 should be allowed, but it is denied.",
            "sandbox/tool → production/api on TCP/8080 should be denied, but it is allowed.",
        ]
    );
}
