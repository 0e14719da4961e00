//! `netpol explain` on cluster-wide tiers: the JSON carries the decision chain
//! (Admin → NetworkPolicy → Baseline) that the text prints.

mod common;

use common::{json, netpol, stderr};

fn conformance_case(name: &str) -> String {
    format!("{}/../core/tests/conformance/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// network-policy-api conformance, CNPAdminTierIntegration "pass-ingress": the
/// Admin `Pass` hands y → x to the NetworkPolicy tier, which admits it.
#[test]
fn explain_json_lists_admin_pass_then_network_policy_allow() {
    let file = conformance_case("103-anp-pass-to-network-policy.yaml");
    let out = netpol(&["explain", "--from", "y/a", "--to", "x/a", "--probe", "TCP/80", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["allowed"], true);
    let tiers = v["ingress"]["tiers"].as_array().expect("tiers list");
    let chain: Vec<(String, String)> = tiers
        .iter()
        .map(|t| (t["tier"].as_str().unwrap_or("").to_string(), t["verdict"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(chain, [("Admin".to_string(), "pass".to_string()), ("NetworkPolicy".to_string(), "allow".to_string())]);
    assert_eq!(tiers[0]["policy"], "pass-example");
    assert_eq!(tiers[0]["priority"], 10);
    let rule = &tiers[0]["rules"][0];
    assert_eq!(rule["action"], "Pass");
    assert_eq!(rule["matched"], true);
    assert_eq!(rule["peers"][0]["terms"][0]["term"], "namespaceSelector");
    // The NetworkPolicy step's details stay where they always were.
    assert_eq!(v["ingress"]["allowed_by"][0]["policy"], "x/allow-from-y");
}

/// Without cluster policies the chain is the single NetworkPolicy step.
#[test]
fn explain_json_without_cluster_policies_has_one_network_policy_step() {
    let file = conformance_case("001-default-deny-ingress.yaml");
    let out = netpol(&["explain", "--from", "x/a", "--to", "x/b", "--probe", "TCP/80", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let tiers = v["ingress"]["tiers"].as_array().expect("tiers list");
    assert_eq!(tiers.len(), 1, "{tiers:?}");
    assert_eq!(tiers[0]["tier"], "NetworkPolicy");
    assert_eq!(tiers[0]["verdict"], "deny");
    assert!(tiers[0]["policy"].is_null());
}
