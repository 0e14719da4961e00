//! Synthetic scenarios for the graph's native tests: `count` endpoints over
//! `namespaces` namespaces, with per-namespace default deny, tier rules,
//! cross-namespace admission and an egress ipBlock, so every kind of node and
//! edge appears. Deterministic.

use std::fmt::Write as _;

use netpol_core::parse::parse_str;
use netpol_core::Scenario;

const TIERS: [&str; 3] = ["web", "api", "db"];
/// Name stems of varied lengths, to exercise label measurement.
const STEMS: [&str; 7] =
    ["frontend", "api", "postgres-primary", "cache", "payment-gateway-worker", "db", "search-indexer"];

/// The YAML of the scenario.
pub fn yaml(count: usize, namespaces: usize) -> String {
    let mut y = String::new();
    for k in 0..namespaces {
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-{k:03}\n  labels:\n    group: g{}\n---\n",
            k % 3
        );
    }
    for i in 0..count {
        let k = i % namespaces;
        let tier = TIERS[i % 3];
        let stem = STEMS[i % STEMS.len()];
        let kind = if i % 5 == 4 { "Deployment" } else { "Pod" };
        let meta = format!("metadata:\n  name: {stem}-{i}\n  namespace: team-{k:03}\n");
        let ports =
            "      ports:\n        - name: http\n          containerPort: 8080\n        - containerPort: 5432\n";
        if kind == "Pod" {
            let _ = write!(
                y,
                "apiVersion: v1\nkind: Pod\n{meta}  labels:\n    tier: {tier}\nspec:\n  containers:\n    - name: c\n{ports}status:\n  podIP: 10.{}.{}.{}\n---\n",
                (i >> 16) & 255,
                (i >> 8) & 255,
                i & 255
            );
        } else {
            let _ = write!(
                y,
                "apiVersion: apps/v1\nkind: Deployment\n{meta}spec:\n  selector:\n    matchLabels:\n      tier: {tier}\n  template:\n    metadata:\n      labels:\n        tier: {tier}\n    spec:\n      containers:\n        - name: c\n          ports:\n            - name: http\n              containerPort: 8080\n            - containerPort: 5432\n---\n"
            );
        }
    }
    for k in 0..namespaces {
        let ns = format!("team-{k:03}");
        let _ = write!(
            y,
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: {ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress]\n---\n\
             apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-from-web\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels:\n      tier: api\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              tier: web\n      ports:\n        - port: http\n---\n\
             apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db-from-api\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels:\n      tier: db\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              tier: api\n      ports:\n        - port: 5432\n---\n\
             apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-from-group\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels:\n      tier: web\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              group: g{}\n---\n",
            (k + 1) % 3
        );
        if k % 4 == 0 {
            let _ = write!(
                y,
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-egress\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels:\n      tier: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except: [10.0.0.0/8]\n    - to:\n        - namespaceSelector: {{}}\n---\n"
            );
        }
    }
    y
}

/// The parsed scenario; panics (in tests) if the generator wrote bad YAML.
pub fn scenario(count: usize, namespaces: usize) -> Scenario {
    let out = parse_str(&yaml(count, namespaces));
    let errors: Vec<_> = out.errors().map(|d| format!("{d:?}")).collect();
    assert!(errors.is_empty(), "generated YAML has errors: {errors:?}");
    out.scenario
}
