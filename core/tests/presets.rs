//! The presets are what people learn from, so every one of them must parse
//! cleanly, open on a flow that exists, and actually behave the way its
//! lesson says. Each `preset_*` test below turns the lesson's sentences into
//! verdicts, written from the NetworkPolicy API reference
//! (kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/)
//! and the concepts page, not from the evaluator's output.

use std::collections::HashSet;

use netpol_core::eval::{evaluate, is_allowed, resolve_end};
use netpol_core::explain::{NearMissCause, PeerCheck, PeersCheck, Reason, RuleMatch, Term};
use netpol_core::parse::{parse_str, Severity};
use netpol_core::presets::{by_id, default_preset, Preset, DEFAULT_PRESET_ID, PRESETS};
use netpol_core::{Direction, Explanation, Flow, Probe, Scenario};

/// A preset parsed into its scenario.
struct Loaded {
    preset: &'static Preset,
    scenario: Scenario,
}

/// One expected verdict: `(from, to, probe, allowed)`.
type Case = (&'static str, &'static str, &'static str, bool);

fn load(id: &str) -> Loaded {
    let preset = by_id(id).unwrap_or_else(|| panic!("no preset `{id}`"));
    Loaded { preset, scenario: parse_clean(preset.id, preset.yaml) }
}

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
    assert!(!out.has_errors(), "{what}: has_errors() disagrees with the diagnostics");
    out.scenario
}

fn flow(scenario: &Scenario, what: &str, from: &str, to: &str, probe: &str) -> Flow {
    let resolve = |end: &str| resolve_end(scenario, end).unwrap_or_else(|| panic!("{what}: `{end}` does not resolve"));
    let probe = Probe::parse(probe).unwrap_or_else(|| panic!("{what}: bad probe `{probe}`"));
    Flow { from: resolve(from), to: resolve(to), probe }
}

/// Evaluates a flow, checking that the explaining and the fast-path verdicts
/// agree.
fn explain_in(scenario: &Scenario, what: &str, from: &str, to: &str, probe: &str) -> Explanation {
    let f = flow(scenario, what, from, to, probe);
    let ex = evaluate(scenario, &f);
    assert_eq!(
        ex.allowed,
        is_allowed(scenario, &f),
        "{what}: evaluate and is_allowed disagree on {from} -> {to} {probe}"
    );
    assert_eq!(ex.allowed, ex.egress.allowed && ex.ingress.allowed, "{what}: verdict is not egress AND ingress");
    ex
}

/// Checks every case and reports all mismatches at once.
fn check_cases(scenario: &Scenario, what: &str, cases: &[Case]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|&(from, to, probe, want)| {
            let got = explain_in(scenario, what, from, to, probe).allowed;
            (got != want).then(|| format!("  {from} -> {to} {probe}: expected {}, got {}", verdict(want), verdict(got)))
        })
        .collect();
    assert!(wrong.is_empty(), "{what}: wrong verdicts:\n{}", wrong.join("\n"));
}

fn verdict(allowed: bool) -> &'static str {
    if allowed {
        "allowed"
    } else {
        "denied"
    }
}

/// `namespace/name` of a policy index.
fn policy_name(scenario: &Scenario, index: usize) -> String {
    let p = &scenario.policies[index];
    format!("{}/{}", p.namespace, p.name)
}

/// The `(policy, rule, peer, port)` entries that admit a side, with policies
/// by name.
fn admitting(scenario: &Scenario, allowed_by: &[RuleMatch]) -> Vec<(String, usize, Option<usize>, Option<usize>)> {
    allowed_by.iter().map(|m| (policy_name(scenario, m.policy), m.rule, m.peer, m.port)).collect()
}

fn m(
    policy: &str,
    rule: usize,
    peer: Option<usize>,
    port: Option<usize>,
) -> (String, usize, Option<usize>, Option<usize>) {
    (policy.to_string(), rule, peer, port)
}

/// Names of the policies that isolate a side.
fn isolating(scenario: &Scenario, ex: &Explanation, direction: Direction) -> Vec<String> {
    let side = match direction {
        Direction::Egress => &ex.egress,
        Direction::Ingress => &ex.ingress,
    };
    side.policies.iter().map(|p| policy_name(scenario, p.policy)).collect()
}

impl Loaded {
    fn explain(&self, from: &str, to: &str, probe: &str) -> Explanation {
        explain_in(&self.scenario, self.preset.id, from, to, probe)
    }

    fn check(&self, cases: &[Case]) {
        check_cases(&self.scenario, self.preset.id, cases)
    }
}

// ---------------------------------------------------------------------------
// The catalogue as a whole.

#[test]
fn there_are_enough_presets_with_unique_ids() {
    assert!(PRESETS.len() >= 14, "the page promises at least 14 presets, found {}", PRESETS.len());
    let mut seen = HashSet::new();
    for p in PRESETS {
        assert!(seen.insert(p.id), "duplicate preset id `{}`", p.id);
        assert!(
            p.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "preset id `{}` should be kebab-case (it appears in share links)",
            p.id
        );
    }
}

#[test]
fn every_preset_file_is_in_the_catalogue_and_matches_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("presets");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("core/presets exists") {
        let path = entry.expect("readable directory entry").path();
        if path.extension().and_then(|e| e.to_str()) == Some("yaml") {
            files.push(path);
        }
    }
    assert_eq!(files.len(), PRESETS.len(), "every file in core/presets must be a preset, and vice versa");
    for path in files {
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name");
        let preset = by_id(stem).unwrap_or_else(|| panic!("core/presets/{stem}.yaml is not in PRESETS"));
        let text = std::fs::read_to_string(&path).expect("readable preset");
        assert_eq!(preset.yaml, text, "preset `{stem}` does not embed its own file");
    }
}

#[test]
fn every_preset_parses_without_errors_or_warnings() {
    for p in PRESETS {
        let scenario = parse_clean(p.id, p.yaml);
        let n = scenario.endpoints.len();
        assert!((4..=12).contains(&n), "{}: {n} endpoints; keep presets between 4 and 12 so the graph reads", p.id);
        assert!(!scenario.namespaces.is_empty(), "{}: no namespaces", p.id);
    }
}

#[test]
fn every_preset_has_its_texts_and_comments() {
    for p in PRESETS {
        assert!(!p.title.trim().is_empty(), "{}: empty title", p.id);
        assert!(!p.summary.trim().is_empty() && !p.summary.contains('\n'), "{}: summary must be one line", p.id);
        let lesson = p.embedded_lesson().unwrap_or_default();
        assert!(lesson.len() > 200, "{}: the lesson should be a real paragraph", p.id);
        assert!(
            !lesson.contains('\n'),
            "{}: the lesson is one paragraph, on one line of {}",
            p.id,
            netpol_core::presets::lesson_file_name(p.id)
        );
        assert!(!p.tags.is_empty(), "{}: no tags", p.id);
        let comments = p.yaml.lines().filter(|l| l.trim_start().starts_with('#')).count();
        assert!(comments >= 3, "{}: the YAML should explain its key lines in comments", p.id);
    }
}

#[test]
fn every_focus_flow_resolves_and_evaluates() {
    for p in PRESETS {
        let scenario = parse_clean(p.id, p.yaml);
        let ex = explain_in(&scenario, p.id, p.focus.from, p.focus.to, p.focus.probe);
        assert_ne!(ex.flow.from, ex.flow.to, "{}: the focus flow should not be loopback", p.id);
    }
}

#[test]
fn the_default_preset_exists_and_has_a_dns_rule() {
    let p = default_preset().expect("DEFAULT_PRESET_ID names a preset");
    assert_eq!(p.id, DEFAULT_PRESET_ID);
    let l = load(DEFAULT_PRESET_ID);
    // The page opens on a scenario where every panel has something to show:
    // allowed and denied flows, and DNS.
    let ex = l.explain("shop/web", "kube-system/coredns", "UDP/53");
    assert!(ex.allowed);
    assert!(by_id("no-such-preset").is_none());
}

// ---------------------------------------------------------------------------
// Each preset's lesson, as verdicts.

#[test]
fn preset_default_allow_everything_is_open() {
    let l = load("default-allow");
    assert!(l.scenario.policies.is_empty());
    l.check(&[
        ("dev/debug", "shop/db", "TCP/5432", true),
        ("shop/web", "shop/db", "TCP/5432", true),
        ("shop/db", "dev/debug", "TCP/22", true),
        ("shop/api", "shop/web", "UDP/9999", true),
        ("203.0.113.10", "shop/api", "TCP/8080", true),
        ("shop/api", "198.51.100.7", "TCP/443", true),
    ]);
    let ex = l.explain("dev/debug", "shop/db", "TCP/5432");
    assert!(!ex.egress.isolated && !ex.ingress.isolated);
}

#[test]
fn preset_default_deny_ingress_closes_production_to_incoming_only() {
    let l = load("default-deny-ingress");
    l.check(&[
        // Nothing can connect to production pods ...
        ("staging/api", "production/api", "TCP/8080", false),
        ("production/web", "production/api", "TCP/8080", false),
        ("staging/web", "production/web", "TCP/80", false),
        ("203.0.113.10", "production/web", "TCP/80", false),
        // ... but production pods still connect out, and staging is untouched.
        ("production/api", "staging/api", "TCP/8080", true),
        ("production/web", "staging/web", "TCP/80", true),
        ("staging/web", "staging/api", "TCP/8080", true),
        ("production/web", "198.51.100.7", "TCP/443", true),
    ]);
    let ex = l.explain("staging/api", "production/api", "TCP/8080");
    assert!(!ex.egress.isolated && ex.egress.allowed);
    assert!(ex.ingress.isolated && !ex.ingress.allowed);
    assert_eq!(isolating(&l.scenario, &ex, Direction::Ingress), ["production/default-deny-ingress"]);
    assert!(ex.ingress.allowed_by.is_empty());
}

#[test]
fn preset_default_deny_egress_stops_production_from_connecting_out() {
    let l = load("default-deny-egress");
    l.check(&[
        ("production/web", "production/api", "TCP/8080", false),
        ("production/web", "staging/api", "TCP/8080", false),
        ("production/web", "kube-system/coredns", "UDP/53", false),
        ("production/api", "198.51.100.7", "TCP/443", false),
        // Incoming connections are not affected.
        ("staging/api", "production/api", "TCP/8080", true),
        ("staging/api", "production/web", "TCP/80", true),
        ("203.0.113.10", "production/web", "TCP/80", true),
        ("staging/api", "kube-system/coredns", "UDP/53", true),
    ]);
    // The lesson: the destination side says "not isolated"; the source's
    // egress refuses.
    let ex = l.explain("production/web", "production/api", "TCP/8080");
    assert!(!ex.ingress.isolated && ex.ingress.allowed);
    assert!(ex.egress.isolated && !ex.egress.allowed);
}

#[test]
fn preset_default_deny_all_isolates_both_directions() {
    let l = load("default-deny-all");
    l.check(&[
        ("my-app/frontend", "my-app/backend", "TCP/6379", false),
        ("tools/debug", "my-app/backend", "TCP/6379", false),
        ("my-app/backend", "tools/echo", "TCP/8080", false),
        ("203.0.113.10", "my-app/frontend", "TCP/80", false),
        // tools is not selected by any policy.
        ("tools/debug", "tools/echo", "TCP/8080", true),
        // "a pod talking to itself is the one exception": upstream's
        // conformance suite always allows loopback (Reachability.AllowLoopback).
        ("my-app/backend", "my-app/backend", "TCP/6379", true),
    ]);
    let ex = l.explain("my-app/frontend", "my-app/backend", "TCP/6379");
    assert!(!ex.egress.allowed && !ex.ingress.allowed, "both sides refuse");
}

#[test]
fn preset_allow_from_monitoring_admits_only_the_monitoring_namespace() {
    let l = load("allow-from-monitoring");
    l.check(&[
        ("monitoring/prometheus", "my-app/backend", "TCP/9121", true),
        ("monitoring/prometheus", "my-app/backend", "TCP/6379", true),
        ("monitoring/prometheus", "my-app/frontend", "TCP/80", true),
        ("team-b/client", "my-app/backend", "TCP/6379", false),
        // A policy that allows something also isolates: my-app's own pods
        // can no longer reach each other.
        ("my-app/frontend", "my-app/backend", "TCP/6379", false),
        ("203.0.113.10", "my-app/frontend", "TCP/80", false),
        // Egress is not isolated.
        ("my-app/backend", "monitoring/prometheus", "TCP/9090", true),
    ]);
    let ex = l.explain("monitoring/prometheus", "my-app/backend", "TCP/9121");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("my-app/allow-from-monitoring", 0, Some(0), None)]);
}

#[test]
fn preset_frontend_backend_6379_needs_peer_and_port() {
    let l = load("frontend-backend-6379");
    l.check(&[
        ("my-app/frontend", "my-app/backend", "TCP/6379", true),
        ("my-app/frontend", "my-app/backend", "TCP/80", false),
        ("my-app/frontend", "my-app/backend", "UDP/6379", false),
        ("my-app/worker", "my-app/backend", "TCP/6379", false),
        // Same label, other namespace: a lone podSelector means the policy's
        // namespace only.
        ("other/frontend", "my-app/backend", "TCP/6379", false),
        // Nothing else is isolated.
        ("my-app/backend", "my-app/frontend", "TCP/80", true),
        ("my-app/worker", "other/frontend", "TCP/80", true),
    ]);
    let ex = l.explain("my-app/frontend", "my-app/backend", "TCP/6379");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("my-app/backend-policy", 0, Some(0), Some(0))]);
}

#[test]
fn preset_or_vs_and_shows_both_readings() {
    let l = load("or-vs-and");
    l.check(&[
        // OR: any pod of alice's namespace, or role=client pods of or-demo.
        ("alice/web", "or-demo/db", "TCP/5432", true),
        ("alice/client", "or-demo/db", "TCP/5432", true),
        ("or-demo/client", "or-demo/db", "TCP/5432", true),
        ("bob/client", "or-demo/db", "TCP/5432", false),
        ("and-demo/client", "or-demo/db", "TCP/5432", false),
        // AND: only role=client pods inside alice's namespace.
        ("alice/client", "and-demo/db", "TCP/5432", true),
        ("alice/web", "and-demo/db", "TCP/5432", false),
        ("bob/client", "and-demo/db", "TCP/5432", false),
        ("and-demo/client", "and-demo/db", "TCP/5432", false),
        ("or-demo/client", "and-demo/db", "TCP/5432", false),
    ]);

    // Which entry admits: alice/web gets in through from[0] alone.
    let ex = l.explain("alice/web", "or-demo/db", "TCP/5432");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("or-demo/allow-alice-or-clients", 0, Some(0), None)]);
    // or-demo's own client through from[1].
    let ex = l.explain("or-demo/client", "or-demo/db", "TCP/5432");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("or-demo/allow-alice-or-clients", 0, Some(1), None)]);
    // alice's client through from[0] (from[1] looks only in or-demo).
    let ex = l.explain("alice/client", "or-demo/db", "TCP/5432");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("or-demo/allow-alice-or-clients", 0, Some(0), None)]);
    let ex = l.explain("alice/client", "and-demo/db", "TCP/5432");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("and-demo/allow-alice-clients", 0, Some(0), None)]);

    // The same flow against the AND policy fails on exactly the podSelector.
    let ex = l.explain("alice/web", "and-demo/db", "TCP/5432");
    let near: Vec<_> = ex
        .ingress
        .near_misses
        .iter()
        .filter_map(|n| match &n.failed {
            NearMissCause::Term(t) => Some((n.peer, t.term)),
            NearMissCause::Ports => None,
        })
        .collect();
    assert_eq!(near, [(Some(0), Term::PodSelector)]);
}

#[test]
fn preset_policies_add_up_and_cannot_deny() {
    let l = load("policies-add-up");
    l.check(&[
        ("team-x/client", "api/server", "TCP/8080", true),
        ("team-y/client", "api/server", "TCP/8080", true),
        ("team-z/client", "api/server", "TCP/8080", false),
        ("team-x/client", "api/server", "TCP/9090", false),
        ("api/server", "team-z/client", "TCP/80", true),
    ]);
    // team-x is still allowed, by allow-team-x, despite deny-team-x.
    let ex = l.explain("team-x/client", "api/server", "TCP/8080");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("api/allow-team-x", 0, Some(0), Some(0))]);
    let ex = l.explain("team-y/client", "api/server", "TCP/8080");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("api/allow-team-y", 0, Some(0), Some(0))]);
    // All three policies isolate the server.
    let mut names = isolating(&l.scenario, &ex, Direction::Ingress);
    names.sort();
    assert_eq!(names, ["api/allow-team-x", "api/allow-team-y", "api/deny-team-x"]);
}

#[test]
fn preset_named_ports_resolve_per_destination() {
    let l = load("named-ports");
    l.check(&[
        ("shop/web", "shop/api-v1", "TCP/8080", true),
        ("shop/web", "shop/api-v1", "TCP/9090", false),
        ("shop/web", "shop/api-v2", "TCP/9090", true),
        ("shop/web", "shop/api-v2", "TCP/8080", false),
        // No port named `http` on the legacy pod: the rule opens nothing.
        ("shop/web", "shop/api-legacy", "TCP/8000", false),
        ("shop/web", "shop/api-v1", "TCP/9100", false),
        // The rule's protocol defaults to TCP.
        ("shop/web", "shop/api-v2", "UDP/9090", false),
        ("shop/api-v1", "shop/api-v2", "TCP/9090", false),
    ]);
    let ex = l.explain("shop/web", "shop/api-v2", "TCP/9090");
    assert_eq!(
        admitting(&l.scenario, &ex.ingress.allowed_by),
        [m("shop/api-allow-http-from-web", 0, Some(0), Some(0))]
    );
}

#[test]
fn preset_endport_range_includes_both_ends() {
    let l = load("endport-range");
    l.check(&[
        ("players/player", "media/sfu", "UDP/40000", true),
        ("players/player", "media/sfu", "UDP/40050", true),
        ("players/player", "media/sfu", "UDP/40100", true),
        ("players/player", "media/sfu", "UDP/39999", false),
        ("players/player", "media/sfu", "UDP/40101", false),
        ("players/player", "media/sfu", "TCP/40050", false),
        ("players/player", "media/sfu", "TCP/443", true),
        ("players/spectator", "media/sfu", "UDP/40050", true),
        ("media/recorder", "media/sfu", "UDP/40050", false),
        // The documentation's egress range, 32000-32768 to 10.0.0.0/24.
        ("media/recorder", "10.0.0.20", "TCP/32000", true),
        ("media/recorder", "10.0.0.20", "TCP/32768", true),
        ("media/recorder", "10.0.0.20", "TCP/32769", false),
        ("media/recorder", "10.0.0.20", "TCP/31999", false),
        ("media/recorder", "10.0.0.20", "UDP/32000", false),
        ("media/recorder", "10.0.1.20", "TCP/32000", false),
        ("media/sfu", "10.0.1.20", "TCP/443", true),
        ("media/recorder", "kube-system/coredns", "UDP/53", true),
        ("media/recorder", "kube-system/coredns", "TCP/53", true),
    ]);
    let ex = l.explain("players/player", "media/sfu", "UDP/40050");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("media/sfu-media-range", 0, Some(0), Some(0))]);
    let ex = l.explain("players/player", "media/sfu", "TCP/443");
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("media/sfu-media-range", 0, Some(0), Some(1))]);
}

#[test]
fn preset_ipblock_except_punches_a_hole() {
    let l = load("ipblock-except");
    l.check(&[
        ("172.17.0.20", "default/db", "TCP/6379", true),
        ("172.17.1.20", "default/db", "TCP/6379", false),
        ("192.168.5.5", "default/db", "TCP/6379", false),
        ("172.17.0.20", "default/db", "TCP/80", false),
        ("myproject/worker", "default/db", "TCP/6379", true),
        ("default/frontend", "default/db", "TCP/6379", true),
        ("default/batch", "default/db", "TCP/6379", false),
        ("default/db", "10.0.0.7", "TCP/5978", true),
        ("default/db", "10.0.0.7", "TCP/5987", false),
        ("default/db", "10.0.1.7", "TCP/5978", false),
        ("default/db", "default/frontend", "TCP/80", false),
        ("default/frontend", "default/batch", "TCP/80", true),
    ]);
    let peer_of = |from: &str| {
        let ex = l.explain(from, "default/db", "TCP/6379");
        admitting(&l.scenario, &ex.ingress.allowed_by)
    };
    assert_eq!(peer_of("172.17.0.20"), [m("default/test-network-policy", 0, Some(0), Some(0))]);
    assert_eq!(peer_of("myproject/worker"), [m("default/test-network-policy", 0, Some(1), Some(0))]);
    assert_eq!(peer_of("default/frontend"), [m("default/test-network-policy", 0, Some(2), Some(0))]);

    // The focus flow fails on from[0] because of except[0].
    let ex = l.explain("172.17.1.20", "default/db", "TCP/6379");
    let rule = &ex.ingress.policies[0].rules[0];
    let PeersCheck::Entries(entries) = &rule.peers else { panic!("the rule has a peer list") };
    let ip_entry: &PeerCheck = &entries[0];
    assert!(!ip_entry.held);
    assert!(
        ip_entry
            .terms
            .iter()
            .any(|t| t.term == Term::IpBlock && matches!(t.reason, Reason::IpExcepted { index: 0, .. })),
        "expected from[0] to fail inside except[0], got {:?}",
        ip_entry.terms
    );
}

#[test]
fn preset_three_tier_allows_one_hop_at_a_time() {
    let l = load("three-tier");
    l.check(&[
        ("shop/web", "shop/api", "TCP/8080", true),
        ("shop/api", "shop/db", "TCP/5432", true),
        // The frontend cannot skip a tier.
        ("shop/web", "shop/db", "TCP/5432", false),
        ("shop/debug", "shop/api", "TCP/8080", false),
        ("shop/api", "shop/web", "TCP/80", false),
        ("shop/db", "shop/api", "TCP/8080", false),
        // DNS for every pod, UDP and TCP, and only DNS.
        ("shop/web", "kube-system/coredns", "UDP/53", true),
        ("shop/web", "kube-system/coredns", "TCP/53", true),
        ("shop/db", "kube-system/coredns", "UDP/53", true),
        ("shop/debug", "kube-system/coredns", "UDP/53", true),
        ("shop/web", "kube-system/coredns", "TCP/9153", false),
        // The web tier takes port 80 from anywhere, nothing else from outside.
        ("203.0.113.10", "shop/web", "TCP/80", true),
        ("203.0.113.10", "shop/web", "TCP/443", false),
        ("203.0.113.10", "shop/api", "TCP/8080", false),
        ("shop/web", "203.0.113.10", "TCP/443", false),
    ]);
    let ex = l.explain("shop/web", "shop/api", "TCP/8080");
    assert_eq!(admitting(&l.scenario, &ex.egress.allowed_by), [m("shop/frontend-policy", 0, Some(0), Some(0))]);
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("shop/backend-policy", 0, Some(0), Some(0))]);
}

#[test]
fn preset_three_tier_namespaces_selects_tiers_by_namespace_labels() {
    let l = load("three-tier-namespaces");
    l.check(&[
        ("backend/api", "database/postgres", "TCP/5432", true),
        ("frontend/web", "backend/api", "TCP/8080", true),
        ("frontend/web", "database/postgres", "TCP/5432", false),
        // tier=api but env=staging: matchLabels is an AND.
        ("staging/api", "database/postgres", "TCP/5432", false),
        ("staging/api", "backend/api", "TCP/8080", false),
        ("backend/api", "database/postgres", "TCP/22", false),
        // The backend's egress allow-list.
        ("backend/api", "frontend/web", "TCP/80", false),
        ("backend/api", "203.0.113.10", "TCP/443", false),
        ("backend/api", "kube-system/coredns", "UDP/53", true),
        ("backend/api", "kube-system/coredns", "TCP/53", true),
        ("database/postgres", "kube-system/coredns", "UDP/53", true),
        ("database/postgres", "backend/api", "TCP/8080", false),
    ]);
    let ex = l.explain("backend/api", "database/postgres", "TCP/5432");
    assert_eq!(admitting(&l.scenario, &ex.egress.allowed_by), [m("backend/restrict-egress", 0, Some(0), Some(0))]);
    assert_eq!(admitting(&l.scenario, &ex.ingress.allowed_by), [m("database/allow-from-backend", 0, Some(0), Some(0))]);
}

#[test]
fn preset_ingress_controller_is_the_only_way_in() {
    let l = load("ingress-controller");
    l.check(&[
        ("ingress-nginx/controller", "frontend/web", "TCP/8080", true),
        ("ingress-nginx/controller", "frontend/web", "TCP/9100", false),
        ("ingress-nginx/controller", "frontend/admin", "TCP/8080", false),
        ("sandbox/curl", "frontend/web", "TCP/8080", false),
        // The baseline keeps the unmarked admin pod closed too.
        ("sandbox/curl", "frontend/admin", "TCP/8080", false),
        ("203.0.113.50", "frontend/web", "TCP/8080", false),
        ("203.0.113.50", "ingress-nginx/controller", "TCP/443", true),
        ("frontend/web", "sandbox/curl", "TCP/80", true),
    ]);
    let ex = l.explain("ingress-nginx/controller", "frontend/web", "TCP/8080");
    assert_eq!(
        admitting(&l.scenario, &ex.ingress.allowed_by),
        [m("frontend/allow-ingress-controller", 0, Some(0), Some(0))]
    );
}

#[test]
fn preset_dns_forgotten_blocks_lookups_but_not_calls_by_ip() {
    let l = load("dns-forgotten");
    l.check(&[
        ("production/web", "production/api", "TCP/8080", true),
        ("production/web", "kube-system/coredns", "UDP/53", false),
        ("production/web", "kube-system/coredns", "TCP/53", false),
        ("production/api", "kube-system/coredns", "UDP/53", false),
        ("production/api", "production/web", "TCP/80", false),
        ("production/web", "203.0.113.10", "TCP/443", false),
    ]);
    // It is the web pod's egress that refuses; CoreDNS would accept.
    let ex = l.explain("production/web", "kube-system/coredns", "UDP/53");
    assert!(ex.egress.isolated && !ex.egress.allowed);
    assert!(!ex.ingress.isolated && ex.ingress.allowed);
}

#[test]
fn preset_dns_done_right_allows_udp_and_tcp_53_to_kube_dns_only() {
    let l = load("dns-done-right");
    l.check(&[
        ("production/web", "kube-system/coredns", "UDP/53", true),
        ("production/web", "kube-system/coredns", "TCP/53", true),
        ("production/api", "kube-system/coredns", "UDP/53", true),
        ("production/web", "kube-system/coredns", "TCP/9153", false),
        // AND: kube-dns pods in kube-system, not every kube-system pod.
        ("production/web", "kube-system/metrics-server", "UDP/53", false),
        ("production/web", "kube-system/metrics-server", "TCP/10250", false),
        ("production/web", "8.8.8.8", "UDP/53", false),
        ("production/web", "production/api", "TCP/8080", true),
        ("production/api", "production/web", "TCP/80", false),
    ]);
    let ex = l.explain("production/web", "kube-system/coredns", "UDP/53");
    assert_eq!(admitting(&l.scenario, &ex.egress.allowed_by), [m("production/allow-dns-egress", 0, Some(0), Some(0))]);
    let ex = l.explain("production/web", "kube-system/coredns", "TCP/53");
    assert_eq!(admitting(&l.scenario, &ex.egress.allowed_by), [m("production/allow-dns-egress", 0, Some(0), Some(1))]);
}

#[test]
fn preset_kube_system_deny_all_breaks_dns_for_everyone() {
    let l = load("kube-system-deny-all");
    l.check(&[
        ("production/web", "kube-system/coredns", "UDP/53", false),
        ("production/api", "kube-system/coredns", "TCP/53", false),
        // CoreDNS cannot forward upstream.
        ("kube-system/coredns", "8.8.8.8", "UDP/53", false),
        ("10.0.0.1", "kube-system/metrics-server", "TCP/10250", false),
        // The application namespace itself is untouched.
        ("production/web", "production/api", "TCP/8080", true),
    ]);
    let ex = l.explain("production/web", "kube-system/coredns", "UDP/53");
    assert!(!ex.egress.isolated && ex.egress.allowed, "production has no policy");
    assert!(ex.ingress.isolated && !ex.ingress.allowed, "CoreDNS's ingress is closed");

    // "Uncomment it and watch DNS come back."
    let fixed = uncomment_trailing_policy(l.preset.yaml);
    let scenario = parse_clean("kube-system-deny-all (fixed)", &fixed);
    assert_eq!(scenario.policies.len(), 2, "the commented-out policy is a real policy");
    check_cases(
        &scenario,
        "kube-system-deny-all (fixed)",
        &[
            ("production/web", "kube-system/coredns", "UDP/53", true),
            ("production/api", "kube-system/coredns", "TCP/53", true),
            ("production/web", "kube-system/coredns", "TCP/9153", false),
            ("kube-system/coredns", "8.8.8.8", "UDP/53", false),
            ("production/web", "kube-system/metrics-server", "TCP/10250", false),
        ],
    );
}

/// Uncomments the block after the line `# ---` at the end of a preset, as a
/// user would in the editor.
fn uncomment_trailing_policy(yaml: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in yaml.lines() {
        if line == "# ---" {
            inside = true;
        }
        if inside {
            let stripped = line.strip_prefix("# ").or_else(|| line.strip_prefix('#')).unwrap_or(line);
            out.push_str(stripped);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    assert!(inside, "the preset keeps its fix as a commented-out document");
    out
}

#[test]
fn preset_namespace_missing_label_shuts_out_prometheus() {
    let l = load("namespace-missing-label");
    let closed = [
        ("monitoring/prometheus", "production/api", "TCP/8080", false),
        ("monitoring/prometheus", "production/api", "TCP/9090", false),
        ("monitoring/alertmanager", "production/api", "TCP/8080", false),
        ("production/web", "production/api", "TCP/8080", false),
        ("monitoring/prometheus", "production/web", "TCP/80", false),
        // No egress section and no policyTypes: an Ingress-only policy.
        ("production/api", "monitoring/prometheus", "TCP/9090", true),
    ];
    l.check(&closed);
    // The inspector names the missing label.
    let ex = l.explain("monitoring/prometheus", "production/api", "TCP/8080");
    let names_missing_label = ex.ingress.near_misses.iter().any(|n| match &n.failed {
        NearMissCause::Term(t) => {
            t.term == Term::NamespaceSelector
                && matches!(&t.reason, Reason::LabelMissing { key, .. } if key == "purpose")
        }
        NearMissCause::Ports => false,
    });
    assert!(names_missing_label, "near misses: {:?}", ex.ingress.near_misses);

    // Fix 1: label the namespace; every pod of monitoring gets in.
    let unlabelled = "metadata:\n  name: monitoring\n---";
    assert_eq!(l.preset.yaml.matches(unlabelled).count(), 1);
    let labelled =
        l.preset.yaml.replace(unlabelled, "metadata:\n  name: monitoring\n  labels:\n    purpose: monitoring\n---");
    let scenario = parse_clean("namespace-missing-label (labelled)", &labelled);
    check_cases(
        &scenario,
        "namespace-missing-label (labelled)",
        &[
            ("monitoring/prometheus", "production/api", "TCP/8080", true),
            ("monitoring/alertmanager", "production/api", "TCP/8080", true),
            ("production/web", "production/api", "TCP/8080", false),
        ],
    );

    // Fix 2, the article's: label AND narrow the same entry to Prometheus.
    let commented = "          # podSelector:\n          #   matchLabels:\n          #     app: prometheus\n";
    assert_eq!(labelled.matches(commented).count(), 1);
    let narrowed = labelled
        .replace(commented, "          podSelector:\n            matchLabels:\n              app: prometheus\n");
    let scenario = parse_clean("namespace-missing-label (labelled, narrowed)", &narrowed);
    check_cases(
        &scenario,
        "namespace-missing-label (labelled, narrowed)",
        &[
            ("monitoring/prometheus", "production/api", "TCP/8080", true),
            ("monitoring/alertmanager", "production/api", "TCP/8080", false),
        ],
    );
}

// ---------------------------------------------------------------------------
// The lessons' "what if" sentences, by editing the preset as a user would.

/// The preset's documents without the one whose `metadata.name` is `name`.
fn without_document(yaml: &str, name: &str) -> String {
    let marker = format!("\n  name: {name}\n");
    let docs: Vec<&str> = yaml.split("\n---\n").collect();
    let kept: Vec<&str> = docs.iter().copied().filter(|d| !d.contains(&marker)).collect();
    assert_eq!(kept.len() + 1, docs.len(), "exactly one document is named `{name}`");
    kept.join("\n---\n")
}

/// "Egress must be written in policyTypes; a policy with no egress section is
/// an Ingress policy by default" (API reference, `policyTypes`).
#[test]
fn preset_default_deny_egress_without_policy_types_would_isolate_ingress() {
    let l = load("default-deny-egress");
    let types = "  policyTypes:\n    - Egress\n";
    assert_eq!(l.preset.yaml.matches(types).count(), 1);
    let edited = l.preset.yaml.replace(types, "");
    let scenario = parse_clean("default-deny-egress (no policyTypes)", &edited);
    let ex =
        explain_in(&scenario, "default-deny-egress (no policyTypes)", "production/web", "production/api", "TCP/8080");
    assert!(!ex.egress.isolated, "no egress section, no Egress type");
    assert!(ex.ingress.isolated && !ex.ingress.allowed, "Ingress is always a default type");
}

/// "endPort needs a numeric port: it cannot extend a named one" (API
/// validation: endPort requires a numeric port).
#[test]
fn preset_endport_range_rejects_end_port_on_a_named_port() {
    let l = load("endport-range");
    let numeric = "          port: 40000\n          endPort: 40100\n";
    assert_eq!(l.preset.yaml.matches(numeric).count(), 1);
    let edited = l.preset.yaml.replace(numeric, "          port: rtp\n          endPort: 40100\n");
    let out = parse_str(&edited);
    assert!(out.has_errors(), "endPort with a named port must be rejected");
    let paths: Vec<&str> =
        out.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.path.as_str()).collect();
    assert!(paths.iter().any(|p| p.starts_with("spec.ingress[0].ports[0]")), "errors at {paths:?}");
}

/// "Without [the baseline] the admin pod ... would stay open to everyone" and
/// "without [the name label] the controller would be shut out too".
#[test]
fn preset_ingress_controller_needs_its_baseline_and_its_label() {
    let l = load("ingress-controller");
    let no_baseline = without_document(l.preset.yaml, "deny-all-baseline");
    let scenario = parse_clean("ingress-controller (no baseline)", &no_baseline);
    check_cases(
        &scenario,
        "ingress-controller (no baseline)",
        &[
            ("sandbox/curl", "frontend/admin", "TCP/8080", true),
            ("203.0.113.50", "frontend/admin", "TCP/8080", true),
            ("sandbox/curl", "frontend/web", "TCP/8080", false),
        ],
    );

    let label = "    name: ingress-nginx\n---\n";
    assert_eq!(l.preset.yaml.matches(label).count(), 1);
    let unlabelled = l.preset.yaml.replace(label, "    team: edge\n---\n");
    let scenario = parse_clean("ingress-controller (no name label)", &unlabelled);
    check_cases(
        &scenario,
        "ingress-controller (no name label)",
        &[("ingress-nginx/controller", "frontend/web", "TCP/8080", false)],
    );
}

/// "CoreDNS itself is not isolated, so its ingress side allows the query."
#[test]
fn preset_dns_done_right_coredns_is_not_isolated() {
    let l = load("dns-done-right");
    let ex = l.explain("production/web", "kube-system/coredns", "UDP/53");
    assert!(!ex.ingress.isolated && ex.ingress.allowed);
}

/// The two DNS presets are the same cluster; only the fix differs.
#[test]
fn preset_dns_done_right_is_dns_forgotten_plus_one_policy() {
    let forgotten = load("dns-forgotten");
    let right = load("dns-done-right");
    let shape = |s: &Scenario| -> Vec<(String, String, Vec<std::net::IpAddr>)> {
        s.endpoints.iter().map(|e| (e.namespace.clone(), e.name.clone(), e.ips.clone())).collect()
    };
    assert_eq!(shape(&right.scenario), shape(&forgotten.scenario));
    assert_eq!(right.scenario.policies.len(), forgotten.scenario.policies.len() + 1);
}

/// The fast matrix agrees with the per-flow evaluator on every preset, for
/// every pair of endpoints and every probe the preset names: the page draws
/// the graph from the matrix and explains flows with the evaluator.
#[test]
fn every_preset_matrix_agrees_with_per_flow_evaluation() {
    use netpol_core::matrix::matrix;
    use netpol_core::FlowEnd;
    for p in PRESETS {
        let scenario = parse_clean(p.id, p.yaml);
        let probes = scenario.probes_in_use();
        assert!(!probes.is_empty(), "{}: no probes", p.id);
        let mx = matrix(&scenario, &probes);
        let n = scenario.endpoints.len();
        for (k, probe) in probes.iter().enumerate() {
            for from in 0..n {
                for to in 0..n {
                    let flow = Flow { from: FlowEnd::Endpoint(from), to: FlowEnd::Endpoint(to), probe: *probe };
                    assert_eq!(
                        mx.allowed(k, from, to),
                        is_allowed(&scenario, &flow),
                        "{}: matrix and evaluator disagree on {from} -> {to} {probe}",
                        p.id
                    );
                }
            }
        }
    }
}

/// Presets tagged `pitfall` show a classic mistake, so the linter (issue 6)
/// must flag each of them; the default preset and the "done right" presets
/// are meant to be imitated, so they must lint clean.
#[test]
fn pitfall_presets_lint_and_model_presets_are_clean() {
    use netpol_core::lint::{lint_output, Severity as LintSeverity};
    for p in PRESETS {
        let findings = lint_output(&parse_str(p.yaml));
        let warnings =
            findings.iter().filter(|f| matches!(f.severity, LintSeverity::Warning | LintSeverity::Error)).count();
        if p.tags.contains(&"pitfall") {
            assert!(warnings > 0, "{}: a pitfall preset should produce a lint warning", p.id);
        }
        if [DEFAULT_PRESET_ID, "dns-done-right", "three-tier-namespaces", "frontend-backend-6379"].contains(&p.id) {
            let ids: Vec<&str> = findings.iter().map(|f| f.id).collect();
            assert!(ids.is_empty(), "{}: a model preset should lint clean, got {ids:?}", p.id);
        }
    }
}

// ---------------------------------------------------------------------------
// Cluster tiers (issue 7): kubernetes-sigs/network-policy-api
// `apis/v1alpha2/clusternetworkpolicy_types.go` (Admin → NetworkPolicy →
// Baseline → default allow; Accept/Deny final, Pass to the next tier).

/// Which tier decided a side, and with which cluster policy: the first step
/// with a final verdict, or `None` when every tier passed (default allow).
fn deciding_tier(
    scenario: &Scenario,
    side: &netpol_core::explain::SideExplanation,
) -> Option<(netpol_core::explain::TierKind, Option<String>, bool)> {
    use netpol_core::eval::tier::Verdict;
    side.tiers.iter().find_map(|step| {
        let allowed = match step.verdict {
            Verdict::Allow => true,
            Verdict::Deny => false,
            Verdict::Pass | Verdict::NoMatch => return None,
        };
        let name = step.policy.map(|i| scenario.cluster_policies[i].name.clone());
        Some((step.tier, name, allowed))
    })
}

#[test]
fn preset_cluster_guardrails_admin_tier_overrides_the_developers_policy() {
    use netpol_core::explain::TierKind;
    let p = load("cluster-guardrails");
    p.check(&[
        // The developer's allow-all-to-db cannot let tenants in: Admin deny.
        ("tenant-a/web", "sensitive/db", "TCP/5432", false),
        ("tenant-b/worker", "sensitive/db", "TCP/9187", false),
        // The backend namespace is accepted by the Admin tier.
        ("backend/api", "sensitive/db", "TCP/5432", true),
        // Monitoring: Pass on 9187 (then the NetworkPolicy allows), deny on 5432.
        ("monitoring/prometheus", "sensitive/db", "TCP/9187", true),
        ("monitoring/prometheus", "sensitive/db", "TCP/5432", false),
        // Selectors never match external addresses: the NetworkPolicy decides.
        ("203.0.113.7", "sensitive/db", "TCP/5432", true),
        // Baseline: tenants apart, unless a NetworkPolicy opens a pod.
        ("tenant-a/web", "tenant-b/web", "TCP/8080", true),
        ("tenant-a/web", "tenant-b/web", "TCP/9090", false),
        ("tenant-a/web", "tenant-b/worker", "TCP/8080", false),
        ("tenant-b/web", "tenant-a/web", "TCP/80", false),
        // Within one tenant nobody decides: default allow.
        ("tenant-b/web", "tenant-b/worker", "TCP/8080", true),
    ]);

    let who = |from: &str, to: &str, probe: &str| {
        let ex = p.explain(from, to, probe);
        deciding_tier(&p.scenario, &ex.ingress)
    };
    let admin = |name: &str, allowed: bool| Some((TierKind::Admin, Some(name.to_string()), allowed));
    let baseline = |name: &str| Some((TierKind::Baseline, Some(name.to_string()), false));
    let network_policy = |allowed: bool| Some((TierKind::NetworkPolicy, None, allowed));

    assert_eq!(who("tenant-a/web", "sensitive/db", "TCP/5432"), admin("protect-db", false));
    assert_eq!(who("backend/api", "sensitive/db", "TCP/5432"), admin("protect-db", true));
    assert_eq!(who("monitoring/prometheus", "sensitive/db", "TCP/5432"), admin("protect-db", false));
    assert_eq!(who("monitoring/prometheus", "sensitive/db", "TCP/9187"), network_policy(true));
    assert_eq!(who("203.0.113.7", "sensitive/db", "TCP/5432"), network_policy(true));
    assert_eq!(who("tenant-a/web", "tenant-b/web", "TCP/8080"), network_policy(true));
    assert_eq!(who("tenant-a/web", "tenant-b/web", "TCP/9090"), network_policy(false));
    assert_eq!(who("tenant-a/web", "tenant-b/worker", "TCP/8080"), baseline("isolate-tenant-b"));
    assert_eq!(who("tenant-b/web", "tenant-a/web", "TCP/80"), baseline("isolate-tenant-a"));
    assert_eq!(who("tenant-b/web", "tenant-b/worker", "TCP/8080"), None);

    // The Pass step is recorded before the NetworkPolicy step that decides.
    let ex = p.explain("monitoring/prometheus", "sensitive/db", "TCP/9187");
    let steps: Vec<_> = ex.ingress.tiers.iter().map(|s| (s.tier, s.verdict)).collect();
    assert_eq!(
        steps,
        [
            (TierKind::Admin, netpol_core::eval::tier::Verdict::Pass),
            (TierKind::NetworkPolicy, netpol_core::eval::tier::Verdict::Allow),
        ]
    );
    // The developer's policy does admit the tenant flow; it is never reached.
    let ex = p.explain("tenant-a/web", "sensitive/db", "TCP/5432");
    assert_eq!(isolating(&p.scenario, &ex, Direction::Ingress), ["sensitive/allow-all-to-db"]);
    assert!(ex.ingress.allowed_by.is_empty(), "the NetworkPolicy tier was not reached");
}
