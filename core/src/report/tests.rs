//! Export shapes on the CLI's `shop.yaml` (README examples), escaping of
//! hostile names, and the Markdown report's sections.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::model::{Probe, Protocol};
use crate::parse::parse_str;

/// `cli/tests/fixtures/shop.yaml` in flow style: frontend/web may call
/// backend/api on `http`; `backend` is default-deny for ingress; only
/// backend/api may reach backend/db on 5432.
const SHOP: &str = "\
apiVersion: v1
kind: Namespace
metadata: {name: frontend, labels: {team: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: backend, labels: {team: api}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: frontend, labels: {app: web}}
spec: {containers: [{name: web, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: backend, labels: {app: api}}
spec: {containers: [{name: api, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: backend, labels: {app: db}}
spec: {containers: [{name: db, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: backend}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-frontend, namespace: backend}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {team: web}}, podSelector: {matchLabels: {app: web}}}]
      ports: [{port: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: backend}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: PEER}}}]
      ports: [{protocol: TCP, port: 5432}]
";

fn shop(peer: &str) -> Scenario {
    let out = parse_str(&SHOP.replace("PEER", peer));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    out.scenario
}

fn tcp(port: u16) -> Probe {
    Probe::new(Protocol::Tcp, port)
}

#[test]
fn matrix_json_is_the_readme_example() {
    let s = shop("api");
    let m = crate::matrix(&s, &s.probes_in_use());
    assert_eq!(
        matrix_json(&s, &m),
        "{\"endpoints\":[\"frontend/web\",\"backend/api\",\"backend/db\"],\"probes\":[\"TCP/5432\",\"TCP/8080\"],\
         \"allowed\":{\"TCP/5432\":[\"100\",\"111\",\"101\"],\"TCP/8080\":[\"110\",\"110\",\"101\"]}}\n"
    );
}

/// `probes` keeps the given order; the `allowed` map's keys are sorted as
/// strings, as serde_json's map always printed them ("TCP/443" < "TCP/80").
#[test]
fn matrix_json_sorts_allowed_keys_as_strings() {
    let s = shop("api");
    let m = crate::matrix(&s, &[tcp(80), tcp(443)]);
    let json = matrix_json(&s, &m);
    assert!(json.contains("\"probes\":[\"TCP/80\",\"TCP/443\"]"), "{json}");
    assert!(json.contains("\"allowed\":{\"TCP/443\":"), "{json}");
    let empty = Scenario::default();
    let m = crate::matrix(&empty, &[tcp(80)]);
    assert_eq!(matrix_json(&empty, &m), "{\"endpoints\":[],\"probes\":[\"TCP/80\"],\"allowed\":{\"TCP/80\":[]}}\n");
}

#[test]
fn json_strings_escape_like_serde_json() {
    let mut out = String::new();
    json_string(&mut out, "a\"b\\c\nd\te\u{1}f/é<g>");
    assert_eq!(out, "\"a\\\"b\\\\c\\nd\\te\\u0001f/é<g>\"");
}

#[test]
fn matrix_csv_has_one_header_and_one_row_per_pair() {
    let s = shop("api");
    let m = crate::matrix(&s, &[tcp(8080)]);
    let csv = matrix_csv(&s, &m);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 9);
    assert_eq!(
        lines.get(..4),
        Some(
            &[
                "probe,from,to,allowed",
                "TCP/8080,frontend/web,frontend/web,1",
                "TCP/8080,frontend/web,backend/api,1",
                "TCP/8080,frontend/web,backend/db,0"
            ][..]
        )
    );
}

/// A crafted name (the parser keeps names as written) must neither break
/// the CSV columns nor run as a spreadsheet formula.
#[test]
fn csv_quotes_and_defuses_crafted_names() {
    assert_eq!(csv_field("prod/web"), "prod/web");
    assert_eq!(csv_field("a,b"), "\"a,b\"");
    assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
}

fn report(s: &Scenario, after: Option<&Scenario>) -> String {
    let m = crate::matrix(s, &crate::diff::probes(Vec::new(), s, s));
    let findings = crate::lint::lint(s);
    markdown(&ReportInput { scenario: s, matrix: &m, findings: &findings, after })
}

#[test]
fn markdown_has_summary_policies_matrix_and_warnings() {
    let s = shop("api");
    let md = report(&s, None);
    assert!(
        md.starts_with("## NetworkPolicy report\n\n2 namespaces · 3 endpoints · 0 services · 3 NetworkPolicies.\n"),
        "{md}"
    );
    assert!(md.contains("| backend/default-deny | every pod in backend: backend/api, backend/db | isolates, no rule: denies all | — |"), "{md}");
    assert!(md.contains("| backend/db-from-api | app=db: backend/db | isolates; 1 rule | — |"), "{md}");
    assert!(md.contains("#### TCP/8080: 6 of 9 pairs allowed\n"), "{md}");
    assert!(md.contains("| 0 | frontend/web | ✓ | ✓ | · |\n"), "{md}");
    assert!(md.contains("| 2 | backend/db | ✓ | · | ✓ |\n"), "{md}");
    assert!(md.contains("### Warnings\n"), "{md}");
    assert!(!md.contains("### Changed flows"));
    let findings = crate::lint::lint(&s);
    for f in &findings {
        assert!(md.contains(&format!("**{} {}**", f.severity.as_str(), f.id)), "{} missing: {md}", f.id);
    }
    if findings.is_empty() {
        assert!(md.contains("No lint finding."));
    }
}

#[test]
fn markdown_lists_changed_flows_when_comparing() {
    let (before, after) = (shop("api"), shop("web"));
    let md = report(&before, Some(&after));
    assert!(md.contains("### Changed flows\n\n0 newly allowed (+), 1 newly denied (−).\n"), "{md}");
    assert!(
        md.contains(
            "| −\u{a0}denied | backend/api | backend/db | TCP/5432 | allowed — ".replace('\u{a0}', " ").as_str()
        ),
        "{md}"
    );
    let same = report(&before, Some(&before));
    assert!(same.contains("No flow changes on these probes."), "{same}");
}

#[test]
fn markdown_caps_the_grid_and_says_so() {
    let mut text = String::new();
    for i in 0..(MATRIX_CAP + 1) {
        text.push_str(&format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: n}}\n"));
    }
    let s = parse_str(&text).scenario;
    let md = report(&s, None);
    assert!(md.contains(&format!("{} endpoints: the grid is not printed", MATRIX_CAP + 1)), "{md}");
    let pairs = (MATRIX_CAP + 1) * (MATRIX_CAP + 1);
    assert!(md.contains(&format!("| TCP/80 | {pairs} | {pairs} | 0 |")), "{md}");
    assert!(!md.contains("| 0 | n/p0 |"));
}

/// Names from a share link are data: no HTML tag, link or table cell break
/// survives into the Markdown.
#[test]
fn markdown_escapes_hostile_names() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"<img src=x onerror=alert(1)>|[x](javascript:alert(1))\"\n  namespace: \"`ns`\"\n";
    let out = parse_str(yaml);
    let s = out.scenario;
    assert_eq!(s.endpoints.len(), 1, "{:?}", out.diagnostics);
    let md = report(&s, None);
    assert!(!md.contains("<img"), "{md}");
    assert!(!md.contains("x](javascript"), "{md}");
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;\\|\\[x\\](javascript:alert(1))"), "{md}");
    assert!(md.contains("\\`ns\\`/"), "{md}");
    assert_eq!(super::markdown::text("see https://x.io or www.x.io, a@b"), "see https\\://x.io or www\\.x.io, a\\@b");
}

#[test]
fn code_blocks_outlast_backtick_runs() {
    let mut out = String::new();
    code_fence_probe(&mut out, "a ```` b");
    assert!(out.starts_with("   `````\n"), "{out}");
}

fn code_fence_probe(out: &mut String, body: &str) {
    super::markdown::code_block_for_tests(out, body);
}
