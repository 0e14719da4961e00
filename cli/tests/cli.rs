//! End-to-end tests of the `netpol` binary on fixture files.
//!
//! The fixture `shop.yaml` is small enough to reason about by hand:
//! endpoints `frontend/web`, `backend/api`, `backend/db`; `backend` is
//! default-deny for ingress; `backend/api` admits `app=web` pods of
//! namespaces labelled `team=web` on its named port `http` (8080) — one
//! `from` entry with both selectors, so an AND; `backend/db` admits
//! `app=api` pods of its own namespace on TCP/5432. A pod may always reach
//! itself (the upstream conformance suite's `AllowLoopback`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

fn netpol(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_netpol")).args(args).output().expect("run netpol")
}

fn netpol_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn netpol");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    child.wait_with_output().expect("wait netpol")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

fn shop() -> String {
    fixture("shop.yaml").display().to_string()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

#[test]
fn matrix_json_has_exactly_the_documented_shape() {
    let out = netpol(&["matrix", "--format", "json", &shop()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let doc = json(&out);
    let obj = doc.as_object().expect("top-level object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["allowed", "endpoints", "probes"]);
    assert_eq!(doc["endpoints"], serde_json::json!(["frontend/web", "backend/api", "backend/db"]));
    // Without --probe: the distinct numeric ports the input names, sorted.
    assert_eq!(doc["probes"], serde_json::json!(["TCP/5432", "TCP/8080"]));
    // Rows are sources; character j is the destination endpoints[j].
    assert_eq!(doc["allowed"]["TCP/8080"], serde_json::json!(["110", "110", "101"]));
    assert_eq!(doc["allowed"]["TCP/5432"], serde_json::json!(["100", "111", "101"]));
    assert_eq!(doc["allowed"].as_object().map(|o| o.len()), Some(2));
}

#[test]
fn matrix_probe_flag_selects_probes_in_order() {
    let out = netpol(&["matrix", "--format", "json", "--probe", "udp/53", "--probe", "TCP/8080", &shop()]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert_eq!(doc["probes"], serde_json::json!(["UDP/53", "TCP/8080"]));
    // UDP/53: backend is isolated for ingress and nothing admits UDP;
    // frontend is not isolated.
    assert_eq!(doc["allowed"]["UDP/53"], serde_json::json!(["100", "110", "101"]));
}

#[test]
fn matrix_repeated_probe_is_listed_once() {
    let out = netpol(&["matrix", "--format", "json", "--probe", "TCP/80", "--probe", "tcp/80", &shop()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["probes"], serde_json::json!(["TCP/80"]));
}

#[test]
fn matrix_of_a_scenario_without_endpoints_is_empty_not_an_error() {
    let policy =
        b"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n";
    let out = netpol_stdin(&["matrix", "--format", "json", "-"], policy);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out), serde_json::json!({"endpoints": [], "probes": ["TCP/80"], "allowed": {"TCP/80": []}}));
}

#[test]
fn matrix_csv_has_one_header_and_one_row_per_pair() {
    let out = netpol(&["matrix", "--format", "csv", "--probe", "TCP/8080", &shop()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "probe,from,to,allowed");
    assert_eq!(lines.len(), 1 + 9);
    assert!(lines.contains(&"TCP/8080,frontend/web,backend/api,1"));
    assert!(lines.contains(&"TCP/8080,frontend/web,backend/db,0"));
    assert!(lines.contains(&"TCP/8080,backend/db,backend/api,0"));
    assert!(lines.iter().skip(1).all(|l| l.split(',').count() == 4));
}

#[test]
fn matrix_table_names_the_probe_and_marks_cells() {
    let out = netpol(&["matrix", "--probe", "TCP/8080", &shop()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("probe TCP/8080"), "{text}");
    assert!(text.contains("frontend/web"));
    let grid: String = text.lines().skip(2).collect::<Vec<_>>().join("\n");
    assert_eq!(grid.matches('✓').count(), 6, "{text}");
    assert_eq!(grid.matches('·').count(), 3, "{text}");
}

#[test]
fn matrix_summary_counts_pairs() {
    let out = netpol(&["matrix", "--format", "summary", "--probe", "TCP/8080", "--probe", "TCP/5432", &shop()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split_whitespace().collect()).collect();
    // The last column is the output class count: the shop's three pods are told apart by its rules.
    assert_eq!(text.lines().next().map(|h| h.split_whitespace().last()), Some(Some("classes")));
    assert_eq!(rows, vec![vec!["TCP/8080", "3", "9", "6", "3", "3"], vec!["TCP/5432", "3", "9", "6", "3", "3"]]);
}

#[test]
fn explain_json_lists_the_admitting_rule_entry() {
    let out = netpol(&[
        "explain",
        "--from",
        "frontend/web",
        "--to",
        "backend/api",
        "--probe",
        "TCP/8080",
        "--format",
        "json",
        &shop(),
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["allowed"], Value::Bool(true));
    assert_eq!(doc["egress"]["isolated"], Value::Bool(false));
    assert_eq!(doc["egress"]["allowed_by"], serde_json::json!([]));
    assert_eq!(doc["ingress"]["isolated"], Value::Bool(true));
    assert_eq!(
        doc["ingress"]["allowed_by"],
        serde_json::json!([{"policy": "backend/api-from-frontend", "rule": 0, "peer": 0, "port": 0}])
    );
    assert_eq!(doc["ingress"]["isolated_by"], serde_json::json!(["backend/default-deny", "backend/api-from-frontend"]));
    // Every element carries its terms and spans.
    let policies = doc["ingress"]["policies"].as_array().expect("policies");
    let api = policies.iter().find(|p| p["policy"] == "backend/api-from-frontend").expect("api policy");
    assert_eq!((api["span"]["start_line"].as_u64(), api["span"]["end_line"].as_u64()), (Some(90), Some(108)));
    let rule = &api["rules"][0];
    assert_eq!(rule["matched"], Value::Bool(true));
    let terms = rule["peers"][0]["terms"].as_array().expect("terms");
    let names: Vec<&str> = terms.iter().filter_map(|t| t["term"].as_str()).collect();
    assert_eq!(names, ["namespaceSelector", "podSelector"]);
    assert!(terms.iter().all(|t| t["held"] == Value::Bool(true) && t["reason"].is_string()));
    let span = &rule["span"];
    assert!(span["source"].as_str().is_some_and(|s| s.ends_with("shop.yaml")));
    // The rule is `- from: …` through `- port: http` (lines 100-108), in document 7.
    assert_eq!(
        (span["doc"].as_u64(), span["start_line"].as_u64(), span["end_line"].as_u64()),
        (Some(7), Some(100), Some(108))
    );
    assert!(rule["ports"][0]["reason"].as_str().is_some_and(|r| r.contains("8080")));
}

#[test]
fn explain_json_denied_flow_has_no_admitting_entries() {
    let out = netpol(&[
        "explain",
        "--from",
        "frontend/web",
        "--to",
        "backend/api",
        "--probe",
        "TCP/5432",
        "--format",
        "json",
        &shop(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert_eq!(doc["allowed"], Value::Bool(false));
    assert_eq!(doc["ingress"]["allowed"], Value::Bool(false));
    assert_eq!(doc["ingress"]["allowed_by"], serde_json::json!([]));
    // api-from-frontend's peer admits web, only the port (http = 8080) fails:
    // a near miss on the ports.
    let misses = doc["ingress"]["near_misses"].as_array().expect("near_misses");
    assert_eq!(
        misses,
        &vec![serde_json::json!({"policy": "backend/api-from-frontend", "rule": 0, "peer": 0, "failed": "ports"})]
    );
    let rule = &doc["ingress"]["policies"][1]["rules"][0];
    assert_eq!(rule["matched"], Value::Bool(false));
    assert_eq!(rule["ports"][0]["held"], Value::Bool(false));
}

#[test]
fn explain_text_names_the_verdict_and_policy() {
    let out = netpol(&["explain", "--from", "frontend/web", "--to", "backend/api", "--probe", "TCP/8080", &shop()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.to_lowercase().contains("allowed"), "{text}");
    assert!(text.contains("api-from-frontend"), "{text}");
}

#[test]
fn explain_to_a_service_maps_the_target_port() {
    for to in ["svc:backend/api-svc", "svc/backend/api-svc", "backend/api-svc"] {
        let out = netpol(&[
            "explain",
            "--from",
            "frontend/web",
            "--to",
            to,
            "--probe",
            "TCP/80",
            "--format",
            "json",
            &shop(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{to}: {}", stderr(&out));
        let doc = json(&out);
        assert_eq!(doc["service"], "backend/api-svc");
        assert_eq!(doc["allowed"], Value::Bool(true));
        assert_eq!(doc["backends"][0]["endpoint"], "backend/api");
        assert_eq!(doc["backends"][0]["probe"], "TCP/8080");
        assert_eq!(doc["backends"][0]["explanation"]["allowed"], Value::Bool(true));
    }
}

#[test]
fn explain_to_a_service_port_it_does_not_expose_has_no_backend() {
    let out =
        netpol(&["explain", "--from", "frontend/web", "--to", "svc:backend/api-svc", "--probe", "TCP/8080", &shop()]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("service backend/api-svc on TCP/8080: DENIED (0 backends"), "{text}");
}

#[test]
fn explain_resolves_a_pod_ip_to_its_pod() {
    let out = netpol(&[
        "explain",
        "--from",
        "10.1.0.10",
        "--to",
        "10.2.0.10",
        "--probe",
        "TCP/8080",
        "--format",
        "json",
        &shop(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert_eq!(doc["flow"]["from"], serde_json::json!({"endpoint": "frontend/web"}));
    assert_eq!(doc["flow"]["to"], serde_json::json!({"endpoint": "backend/api"}));
    assert_eq!(doc["allowed"], Value::Bool(true));
}

#[test]
fn explain_accepts_an_ip_address() {
    let out = netpol(&[
        "explain",
        "--from",
        "192.0.2.7",
        "--to",
        "backend/api",
        "--probe",
        "TCP/8080",
        "--format",
        "json",
        &shop(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert_eq!(doc["flow"]["from"], serde_json::json!({"ip": "192.0.2.7"}));
    assert_eq!(doc["egress"]["exemption"], "external");
    assert_eq!(doc["allowed"], Value::Bool(false));
}

#[test]
fn explain_unknown_endpoint_is_a_usage_error() {
    let out = netpol(&["explain", "--from", "nope/nope", "--to", "backend/api", "--probe", "TCP/80", &shop()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope/nope"));
}

#[test]
fn broken_input_exits_2_with_a_rendered_error_and_still_prints_results() {
    let path = fixture("broken.yaml").display().to_string();
    let out = netpol(&["matrix", "--format", "json", "--probe", "TCP/80", &path]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let line = err.lines().find(|l| l.contains("operator")).unwrap_or_else(|| panic!("no operator error: {err}"));
    // file:line:col: path: message — the operator is on line 33, column 27.
    let prefix = format!("{path}:33:27: spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: ");
    assert!(line.starts_with(&prefix), "got: {line}\nwanted prefix: {prefix}");
    // The two good pods still evaluate.
    let doc = json(&out);
    assert_eq!(doc["endpoints"], serde_json::json!(["default/a", "default/b"]));
    assert_eq!(doc["allowed"]["TCP/80"], serde_json::json!(["11", "11"]));
}

#[test]
fn validate_reports_ok_and_errors() {
    let ok = netpol(&["validate", &shop()]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).starts_with("ok:"));
    let bad = netpol(&["validate", &fixture("broken.yaml").display().to_string()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("broken.yaml:33:27:"));
}

#[test]
fn stdin_input_matches_file_input() {
    let text = std::fs::read(fixture("shop.yaml")).expect("fixture");
    let from_stdin = netpol_stdin(&["matrix", "--format", "json", "-"], &text);
    let from_file = netpol(&["matrix", "--format", "json", &shop()]);
    assert_eq!(from_stdin.status.code(), Some(0), "{}", stderr(&from_stdin));
    assert_eq!(from_stdin.stdout, from_file.stdout);
}

#[test]
fn directory_argument_reads_yaml_files_in_name_order() {
    let out = netpol(&["matrix", "--format", "json", "--probe", "TCP/8080", &fixture("dir").display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["endpoints"], serde_json::json!(["frontend/web", "backend/api", "backend/db", "jobs/batch"]));
    // jobs/batch is not isolated and not in a namespace labelled team=web.
    assert_eq!(doc["allowed"]["TCP/8080"], serde_json::json!(["1101", "1101", "1011", "1001"]));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(netpol(&["matrix", "--probe", "ICMP/1", &shop()]).status.code(), Some(2));
    assert_eq!(netpol(&["matrix", "--format", "xml", &shop()]).status.code(), Some(2));
    assert_eq!(netpol(&["matrix"]).status.code(), Some(2));
    assert_eq!(netpol(&["matrix", "/does/not/exist.yaml"]).status.code(), Some(2));
}

#[test]
fn gen_is_deterministic_and_parses_cleanly() {
    let args = ["gen", "--pods", "300", "--namespaces", "12", "--policies", "60", "--seed", "42"];
    let a = netpol(&args);
    let b = netpol(&args);
    assert_eq!(a.status.code(), Some(0));
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout, "same seed, same bytes");
    let other = netpol(&["gen", "--pods", "300", "--namespaces", "12", "--policies", "60", "--seed", "43"]);
    assert_ne!(a.stdout, other.stdout, "another seed, another cluster");

    let validated = netpol_stdin(&["validate", "-"], &a.stdout);
    assert_eq!(validated.status.code(), Some(0), "{}", stderr(&validated));
    assert!(
        !stderr(&validated).lines().any(|l| !l.contains("notice:") && !l.contains("warning:")),
        "gen output has errors: {}",
        stderr(&validated)
    );
    assert!(stdout(&validated).contains("300 endpoints"), "{}", stdout(&validated));
    assert!(stdout(&validated).contains("60 policies"), "{}", stdout(&validated));

    let summary = netpol_stdin(&["matrix", "--format", "summary", "--probe", "TCP/8080", "-"], &a.stdout);
    assert_eq!(summary.status.code(), Some(0));
    assert!(stdout(&summary).contains("90000"), "{}", stdout(&summary));
}

#[test]
fn gen_covers_the_documented_policy_shapes() {
    let out = netpol(&["gen", "--pods", "200", "--namespaces", "10", "--policies", "200", "--seed", "7"]);
    let text = stdout(&out);
    for needle in [
        "operator: In",
        "operator: NotIn",
        "operator: Exists",
        "operator: DoesNotExist",
        "except:",
        "endPort: 8100",
        "port: http",
        "k8s-app: kube-dns",
        "policyTypes:",
        "podIP: 10.",
        "name: grpc",
    ] {
        assert!(text.contains(needle), "gen output lacks `{needle}`");
    }
}
