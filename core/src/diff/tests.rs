//! Diff tests on a three-pod shop (the CLI's `shop.yaml` fixture) and on a
//! 70-pod cluster that crosses a 64-bit row word.
//!
//! Semantics relied on (API reference, NetworkPolicyPeer): a lone
//! `podSelector` peer selects pods of the policy's own namespace only, and a
//! pod selected by an Ingress policy is isolated for ingress.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::parse::parse_str;

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

fn pg() -> Probe {
    Probe::new(Protocol::Tcp, 5432)
}

#[test]
fn probes_default_to_the_union_of_ports_sorted_and_deduplicated() {
    let s = shop("api");
    let all = probes(Vec::new(), &s, &s);
    assert_eq!(all, vec![pg(), Probe::new(Protocol::Tcp, 8080)]);
    let given = probes(vec![Probe::new(Protocol::Udp, 53), Probe::new(Protocol::Udp, 53)], &s, &s);
    assert_eq!(given, vec![Probe::new(Protocol::Udp, 53)]);
    let empty = Scenario::default();
    assert_eq!(probes(Vec::new(), &empty, &empty), vec![Probe::new(Protocol::Tcp, 80)]);
}

#[test]
fn a_peer_edit_denies_exactly_the_flow_it_no_longer_matches() {
    let (before, after) = (shop("api"), shop("web"));
    let d = diff(&before, &after, &probes(Vec::new(), &before, &after));
    assert!(d.changed());
    assert_eq!(d.total(), 1);
    assert!(d.newly_allowed.is_empty());
    let [c] = d.newly_denied.as_slice() else { panic!("one change: {d:?}") };
    assert_eq!((c.from.as_str(), c.to.as_str(), c.probe), ("backend/api", "backend/db", pg()));
    assert!(c.before.allowed && !c.after.allowed);
    assert_eq!(c.before.ends, Some((1, 2)));
    assert_eq!(c.before.flow(pg()).map(|f| f.to), Some(FlowEnd::Endpoint(2)));
    assert_eq!(
        c.before.reason,
        "allowed — egress of backend/api not isolated; ingress of backend/db allowed by backend/db-from-api ingress[0] from[0] ports[0]"
    );
    assert_eq!(
        c.after.reason,
        "denied — ingress of backend/db isolated by backend/default-deny, backend/db-from-api; no rule admits"
    );
    assert_eq!(
        c.before.allowed_by,
        vec![AllowedBy {
            direction: Direction::Ingress,
            policy: "backend/db-from-api".to_string(),
            rule: 0,
            peer: Some(0),
            port: Some(0)
        }]
    );
    assert!(c.after.allowed_by.is_empty());

    // The reverse edit is the mirror image.
    // Given matrices give the same diff; a matrix on other probes is
    // recomputed rather than misread.
    let probes = probes(Vec::new(), &before, &after);
    let (mb, ma) = (crate::matrix(&before, &probes), crate::matrix(&after, &probes[..1]));
    assert_eq!(diff_matrices((&before, &mb), (&after, &ma), &probes, usize::MAX), d);

    let back = diff(&after, &before, &[pg()]);
    assert!(back.newly_denied.is_empty());
    assert_eq!(back.newly_allowed.len(), 1);
}

#[test]
fn identical_scenarios_do_not_change() {
    let s = shop("api");
    let d = diff(&s, &s, &probes(Vec::new(), &s, &s));
    assert!(!d.changed());
    assert_eq!(d.total(), 0);
}

#[test]
fn added_and_removed_endpoints_count_their_allowed_flows() {
    let before = shop("api");
    let extra =
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: batch, namespace: jobs}\nspec: {containers: [{name: b}]}\n";
    let after = parse_str(&format!("{}{extra}", SHOP.replace("PEER", "api"))).scenario;
    let probe = Probe::new(Protocol::Tcp, 8080);
    let d = diff(&before, &after, &[probe]);
    assert_eq!(d.added_endpoints, vec!["jobs/batch".to_string()]);
    assert!(d.removed_endpoints.is_empty());
    assert!(d.newly_denied.is_empty());
    let mut flows: Vec<(String, String)> = d.newly_allowed.iter().map(|c| (c.from.clone(), c.to.clone())).collect();
    flows.sort();
    let expect: Vec<(String, String)> = [
        ("backend/api", "jobs/batch"),
        ("backend/db", "jobs/batch"),
        ("frontend/web", "jobs/batch"),
        ("jobs/batch", "frontend/web"),
        ("jobs/batch", "jobs/batch"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(flows, expect);
    let own = d.newly_allowed.iter().find(|c| c.from == "jobs/batch" && c.to == "jobs/batch");
    let own = own.map(|c| (c.before.reason.as_str(), c.before.present(), c.after.reason.as_str()));
    assert_eq!(
        own,
        Some((
            "absent — jobs/batch not in this scenario",
            false,
            "allowed — a pod may always reach itself (loopback follows no policy)"
        ))
    );

    let back = diff(&after, &before, &[probe]);
    assert_eq!(back.removed_endpoints, vec!["jobs/batch".to_string()]);
    assert_eq!(back.newly_denied.len(), 5);
}

#[test]
fn the_cap_counts_what_it_does_not_explain() {
    let before = shop("api");
    let extra =
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: batch, namespace: jobs}\nspec: {containers: [{name: b}]}\n";
    let after = parse_str(&format!("{}{extra}", SHOP.replace("PEER", "api"))).scenario;
    let probe = [Probe::new(Protocol::Tcp, 8080)];
    let d = diff_capped(&before, &after, &probe, 2);
    assert_eq!(d.newly_allowed.len(), 2);
    assert_eq!(d.omitted, 3);
    assert_eq!(d.total(), diff(&before, &after, &probe).total());
}

/// A cluster of 70 pods (two row words) in two namespaces; `deny_b` adds a
/// default-deny ingress policy in namespace `b`.
fn cluster(deny_b: bool, rename: bool) -> Scenario {
    let mut text = String::new();
    for i in 0..70 {
        let ns = if i % 2 == 0 { "a" } else { "b" };
        let name = if rename && i == 3 { "renamed".to_string() } else { format!("p{i}") };
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {ns}, labels: {{k: v{}}}}}\n",
            i % 5
        ));
    }
    text.push_str(
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: only-v1, namespace: a}\n\
         spec: {podSelector: {matchLabels: {k: v0}}, ingress: [{from: [{podSelector: {matchLabels: {k: v1}}}]}]}\n",
    );
    if deny_b {
        text.push_str(
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: b}\n\
             spec: {podSelector: {matchLabels: {k: v2}}, policyTypes: [Ingress]}\n",
        );
    }
    parse_str(&text).scenario
}

/// The row-word fast path must find exactly the pairs the cell-by-cell walk
/// finds, and every listed change must agree with the per-flow evaluator.
#[test]
fn row_comparison_equals_cell_comparison_and_the_evaluator() {
    let (before, after) = (cluster(false, false), cluster(true, false));
    let probes = [Probe::new(Protocol::Tcp, 80)];
    let (b, a) = (Side::new(&before, &probes), Side::new(&after, &probes));
    let ends = union(&b, &a);
    assert_eq!(ends.len(), 70);
    let fast = changed_pairs_by_rows(&b, &a, ends.len(), 0);
    assert_eq!(fast, changed_pairs_by_cells(&b, &a, &ends, 0));
    assert!(fast.iter().any(|&(_, to)| to >= 64), "a change in the second word");
    let d = diff(&before, &after, &probes);
    assert_eq!(d.total(), fast.len());
    for c in d.newly_denied.iter().chain(&d.newly_allowed) {
        for (s, o) in [(&before, &c.before), (&after, &c.after)] {
            let flow = o.flow(c.probe).expect("both ends present");
            assert_eq!(crate::is_allowed(s, &flow), o.allowed, "{} -> {}", c.from, c.to);
        }
    }
}

#[test]
fn a_renamed_pod_is_one_removal_and_one_addition() {
    let (before, after) = (cluster(false, false), cluster(false, true));
    let d = diff(&before, &after, &[Probe::new(Protocol::Tcp, 80)]);
    assert_eq!(d.removed_endpoints, vec!["b/p3".to_string()]);
    assert_eq!(d.added_endpoints, vec!["b/renamed".to_string()]);
    // p3 (k=v3, namespace b, unisolated) reached every pod but the isolated
    // k=v0 pods of namespace a that only admit k=v1; the renamed pod gains
    // the same flows.
    assert!(!d.newly_denied.is_empty());
    assert_eq!(d.newly_allowed.len(), d.newly_denied.len());
    assert!(d.newly_denied.iter().all(|c| c.from == "b/p3" || c.to == "b/p3"));
}

#[test]
fn pair_changes_are_the_diffs_changes_with_indices_and_uncapped() {
    let (before, after) = (shop("api"), shop("web"));
    let probes = probes(Vec::new(), &before, &after);
    let (mb, ma) = (crate::matrix(&before, &probes), crate::matrix(&after, &probes));
    let pairs = pair_changes((&before, &mb), (&after, &ma));
    let d = diff_capped(&before, &after, &probes, 0);
    assert_eq!(pairs.len(), d.total());
    let pg_index = probes.iter().position(|&p| p == pg()).expect("5432 is a probe");
    // backend/api (1) no longer reaches backend/db (2) on 5432.
    assert!(pairs.contains(&PairChange {
        probe: pg_index,
        from: (Some(1), Some(1)),
        to: (Some(2), Some(2)),
        now_allowed: false
    }));
    // Matrices on different probes cannot be compared.
    let other = crate::matrix(&after, &probes[..1]);
    if probes.len() > 1 {
        assert!(pair_changes((&before, &mb), (&after, &other)).is_empty());
    }
}
