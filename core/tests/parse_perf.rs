//! Parser throughput on a synthetic cluster: 10,000 pods (kubectl-style, with
//! status and managedFields noise) and 1,000 policies.
//!
//! The timing run is ignored by default (debug builds are ~10x slower); run
//! it in release:
//! `cargo test --release -p netpol-core --test parse_perf -- --ignored --nocapture`.
//! The always-on test checks the same generator at a smaller size.

use std::fmt::Write;
use std::time::Instant;

use netpol_core::parse::parse_str;

/// A `kind: List` with `pods` pods over 50 namespaces and `policies`
/// policies, each with two ingress rules and an egress rule.
fn cluster(pods: usize, policies: usize) -> String {
    let mut y = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..pods {
        let ns = i % 50;
        let _ = write!(
            y,
            "- apiVersion: v1
  kind: Pod
  metadata:
    name: pod-{i}
    namespace: ns-{ns}
    labels: {{app: app-{a}, tier: t{t}, pod-template-hash: 5d8f9c7b6}}
    annotations: {{kubectl.kubernetes.io/restartedAt: \"2024-01-01T00:00:00Z\"}}
    managedFields:
    - apiVersion: v1
      fieldsType: FieldsV1
      fieldsV1: {{f:metadata: {{f:labels: {{.: {{}}, f:app: {{}}}}}}}}
      manager: kube-controller-manager
  spec:
    containers:
    - name: main
      image: registry.example/app:1.0
      ports:
      - {{containerPort: 8080, name: http, protocol: TCP}}
      - {{containerPort: 9090, name: metrics}}
  status:
    phase: Running
    podIP: 10.{b}.{c}.{d}
    podIPs: [{{ip: 10.{b}.{c}.{d}}}]
",
            a = i % 40,
            t = i % 3,
            b = i / 65536 % 256,
            c = i / 256 % 256,
            d = i % 256,
        );
    }
    for i in 0..policies {
        let _ = write!(
            y,
            "- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {{name: np-{i}, namespace: ns-{ns}}}
  spec:
    podSelector:
      matchLabels: {{app: app-{a}}}
    policyTypes: [Ingress, Egress]
    ingress:
    - from:
      - namespaceSelector:
          matchExpressions:
          - {{key: kubernetes.io/metadata.name, operator: In, values: [ns-1, ns-2]}}
        podSelector: {{matchLabels: {{tier: t1}}}}
      - ipBlock: {{cidr: 192.168.0.0/16, except: [192.168.1.0/24]}}
      ports:
      - {{port: http}}
      - {{port: 8000, endPort: 8100, protocol: TCP}}
    - from: [{{podSelector: {{}}}}]
    egress:
    - to: [{{namespaceSelector: {{}}}}]
      ports: [{{port: 53, protocol: UDP}}]
",
            ns = i % 50,
            a = i % 40,
        );
    }
    y
}

#[test]
fn generated_cluster_parses_cleanly() {
    let y = cluster(200, 20);
    let out = parse_str(&y);
    assert!(!out.has_errors(), "{:?}", out.errors().next());
    assert_eq!(out.scenario.endpoints.len(), 200);
    assert_eq!(out.scenario.policies.len(), 20);
    assert_eq!(out.scenario.namespaces.len(), 50);
}

#[test]
#[ignore = "timing: run in release with --ignored --nocapture"]
fn ten_thousand_pods_and_a_thousand_policies() {
    let y = cluster(10_000, 1_000);
    let start = Instant::now();
    let out = parse_str(&y);
    let elapsed = start.elapsed();
    assert!(!out.has_errors());
    assert_eq!((out.scenario.endpoints.len(), out.scenario.policies.len()), (10_000, 1_000));
    println!("parsed {:.1} MB (10,000 pods, 1,000 policies) in {elapsed:?}", y.len() as f64 / 1e6);
}
