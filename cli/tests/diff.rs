//! `netpol diff` on a one-line policy edit: `shop-db-from-web.yaml` is
//! `shop.yaml` with `db-from-api`'s peer changed from `app: api` to
//! `app: web`. A lone podSelector only selects pods of the policy's own
//! namespace (API reference, NetworkPolicyPeer), and `backend` has no
//! app=web pod, so the only change is backend/api → backend/db on TCP/5432,
//! which becomes denied.

mod common;

use common::{fixture, json, keys, netpol, stderr, stdout};

fn diff(before: &str, after: &str, extra: &[&str]) -> std::process::Output {
    let (b, a) = (fixture(before), fixture(after));
    let mut args = vec!["diff", "--before", &b, "--after", &a];
    args.extend_from_slice(extra);
    netpol(&args)
}

#[test]
fn edited_policy_reports_exactly_the_changed_flow() {
    let out = diff("shop.yaml", "shop-db-from-web.yaml", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let expected = "\
probes: TCP/5432, TCP/8080
added endpoints: none
removed endpoints: none

newly allowed (0):

newly denied (1):
  backend/api -> backend/db on TCP/5432
    before: allowed — egress of backend/api not isolated; ingress of backend/db allowed by backend/db-from-api ingress[0] from[0] ports[0]
    after:  denied — ingress of backend/db isolated by backend/default-deny, backend/db-from-api; no rule admits

1 flow changed
";
    assert_eq!(text, expected);
}

#[test]
fn json_shape_and_the_reverse_edit() {
    let out = diff("shop-db-from-web.yaml", "shop.yaml", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(keys(&doc), ["added_endpoints", "newly_allowed", "newly_denied", "probes", "removed_endpoints"]);
    assert_eq!(doc["probes"], serde_json::json!(["TCP/5432", "TCP/8080"]));
    assert_eq!(doc["newly_denied"], serde_json::json!([]));
    assert_eq!(doc["added_endpoints"], serde_json::json!([]));
    assert_eq!(doc["removed_endpoints"], serde_json::json!([]));
    let changes = doc["newly_allowed"].as_array().expect("newly_allowed");
    assert_eq!(changes.len(), 1, "{doc}");
    let c = &changes[0];
    assert_eq!(keys(c), ["after", "before", "from", "probe", "to"]);
    assert_eq!(
        (c["from"].as_str(), c["to"].as_str(), c["probe"].as_str()),
        (Some("backend/api"), Some("backend/db"), Some("TCP/5432"))
    );
    assert_eq!(keys(&c["before"]), ["allowed", "allowed_by", "present", "reason"]);
    assert_eq!(c["before"]["allowed"], false);
    assert_eq!(c["before"]["present"], true);
    assert_eq!(c["before"]["allowed_by"], serde_json::json!([]));
    assert_eq!(c["after"]["allowed"], true);
    assert_eq!(
        c["after"]["allowed_by"],
        serde_json::json!([{"direction": "ingress", "policy": "backend/db-from-api", "rule": 0, "peer": 0, "port": 0}])
    );
}

#[test]
fn no_change_exits_0() {
    let out = diff("shop.yaml", "shop.yaml", &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).ends_with("\nno flow changed\n"), "{}", stdout(&out));
    // The edit only matters on TCP/5432.
    let other_probe = diff("shop.yaml", "shop-db-from-web.yaml", &["--probe", "TCP/8080", "--format", "json"]);
    assert_eq!(other_probe.status.code(), Some(0));
    let doc = json(&other_probe);
    assert_eq!(doc["probes"], serde_json::json!(["TCP/8080"]));
    assert_eq!(doc["newly_allowed"], serde_json::json!([]));
    assert_eq!(doc["newly_denied"], serde_json::json!([]));
}

#[test]
fn an_added_endpoint_is_listed_and_its_allowed_flows_count() {
    // The directory holds shop.yaml's objects plus jobs/batch, which no
    // policy isolates.
    let out = diff("shop.yaml", "dir", &["--probe", "TCP/8080", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["added_endpoints"], serde_json::json!(["jobs/batch"]));
    assert_eq!(doc["removed_endpoints"], serde_json::json!([]));
    assert_eq!(doc["newly_denied"], serde_json::json!([]));
    let mut flows: Vec<(String, String)> = doc["newly_allowed"]
        .as_array()
        .expect("newly_allowed")
        .iter()
        .map(|c| (c["from"].as_str().unwrap_or("").to_string(), c["to"].as_str().unwrap_or("").to_string()))
        .collect();
    flows.sort();
    // batch may reach frontend/web (not isolated) and itself, but not the
    // isolated backend; everyone may reach batch.
    let expected: Vec<(String, String)> = [
        ("backend/api", "jobs/batch"),
        ("backend/db", "jobs/batch"),
        ("frontend/web", "jobs/batch"),
        ("jobs/batch", "frontend/web"),
        ("jobs/batch", "jobs/batch"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(flows, expected);
    let first = &doc["newly_allowed"][0];
    assert_eq!(first["before"]["present"], false);
    assert!(first["before"]["reason"].as_str().is_some_and(|r| r.contains("jobs/batch not in this scenario")));

    let own = doc["newly_allowed"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["from"] == "jobs/batch" && c["to"] == "jobs/batch"))
        .expect("batch to itself");
    assert_eq!(own["before"]["reason"], "absent — jobs/batch not in this scenario");
    assert_eq!(own["after"]["reason"], "allowed — a pod may always reach itself (loopback follows no policy)");

    // The other way round, batch is removed and its flows are newly denied.
    let back = diff("dir", "shop.yaml", &["--probe", "TCP/8080", "--format", "json"]);
    let doc = json(&back);
    assert_eq!(doc["removed_endpoints"], serde_json::json!(["jobs/batch"]));
    assert_eq!(doc["newly_denied"].as_array().map(Vec::len), Some(5));
}

#[test]
fn input_errors_exit_2() {
    let out = diff("shop.yaml", "broken.yaml", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.yaml:33:27:"), "{}", stderr(&out));
    let shop = fixture("shop.yaml");
    assert_eq!(netpol(&["diff", "--before", &shop]).status.code(), Some(2));
    assert_eq!(netpol(&["diff", "--before", &shop, "--after", "/does/not/exist"]).status.code(), Some(2));
    assert_eq!(netpol(&["diff", "--before", &shop, "--after", &shop, "--format", "xml"]).status.code(), Some(2));
}
