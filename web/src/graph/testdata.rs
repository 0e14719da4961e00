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

/// A small xorshift generator: reproducible test clusters without a crate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A random cluster for comparing a fast path with a straightforward one:
/// `count` pods and workloads over `namespaces` namespaces drawn from few
/// labels (so output classes have several members, spread over several
/// namespaces), and random ingress and egress policies with pod,
/// namespace and ipBlock peers on numbered and named ports. Deterministic
/// for a seed.
pub fn random_scenario(seed: u64, count: usize, namespaces: usize) -> Scenario {
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let apps = ["web", "api", "db"];
    let envs = ["prod", "dev"];
    let mut y = String::new();
    for k in 0..namespaces {
        let _ = write!(
            y,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-{k:02}\n  labels:\n    env: {}\n---\n",
            r.pick(&envs)
        );
    }
    for i in 0..count {
        let ns = r.below(namespaces);
        let app = r.pick(&apps);
        let port = ["8080", "5432"][r.below(2)];
        if r.below(4) == 0 {
            let _ = write!(
                y,
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w{i}\n  namespace: ns-{ns:02}\nspec:\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n        - name: c\n          ports:\n            - name: http\n              containerPort: {port}\n---\n"
            );
        } else {
            let _ = write!(
                y,
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  namespace: ns-{ns:02}\n  labels:\n    app: {app}\nspec:\n  containers:\n    - name: c\n      ports:\n        - name: http\n          containerPort: {port}\nstatus:\n  podIP: 10.1.{}.{}\n---\n",
                i / 200,
                i % 200 + 1
            );
        }
    }
    for k in 0..namespaces {
        for p in 0..r.below(3) {
            let subject = match r.below(3) {
                0 => "{}".to_owned(),
                _ => format!("\n    matchLabels:\n      app: {}", r.pick(&apps)),
            };
            let types = ["[Ingress]", "[Egress]", "[Ingress, Egress]"][r.below(3)];
            let peer = match r.below(4) {
                0 => format!("podSelector:\n            matchLabels:\n              app: {}", r.pick(&apps)),
                1 => format!("namespaceSelector:\n            matchLabels:\n              env: {}", r.pick(&envs)),
                2 => format!(
                    "namespaceSelector:\n            matchLabels:\n              env: {}\n          podSelector:\n            matchLabels:\n              app: {}",
                    r.pick(&envs),
                    r.pick(&apps)
                ),
                _ => "ipBlock:\n            cidr: 10.1.0.0/24".to_owned(),
            };
            let port = ["80", "http", "5432", "8080"][r.below(4)];
            let _ = write!(
                y,
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p{p}\n  namespace: ns-{k:02}\nspec:\n  podSelector: {subject}\n  policyTypes: {types}\n  ingress:\n    - from:\n        - {peer}\n      ports:\n        - port: {port}\n  egress:\n    - to:\n        - {peer}\n---\n"
            );
        }
    }
    let out = parse_str(&y);
    let errors: Vec<_> = out.errors().map(|d| format!("{d:?}")).collect();
    assert!(errors.is_empty(), "generated YAML has errors: {errors:?}");
    out.scenario
}
