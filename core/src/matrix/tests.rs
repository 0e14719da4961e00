use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::matrix;
use crate::eval::build::*;
use crate::eval::is_allowed;
use crate::explain::{Flow, FlowEnd};
use crate::labels::Operator;
use crate::model::{EndpointKind, Probe, Protocol, Scenario};

#[allow(clippy::needless_range_loop)]
/// Asserts the matrix equals the per-flow evaluator on every pair and probe.
fn assert_agrees(s: &Scenario, probes: &[Probe]) {
    let m = matrix(s, probes);
    assert_eq!(m.len(), s.endpoints.len());
    for (pi, &probe) in probes.iter().enumerate() {
        let mut count = 0;
        for from in 0..s.endpoints.len() {
            let row: Vec<bool> = m.row(pi, from).collect();
            assert_eq!(row.len(), s.endpoints.len());
            for to in 0..s.endpoints.len() {
                let flow = Flow { from: FlowEnd::Endpoint(from), to: FlowEnd::Endpoint(to), probe };
                let want = is_allowed(s, &flow);
                assert_eq!(m.allowed(pi, from, to), want, "{probe} {from}->{to}");
                assert_eq!(row[to], want);
                count += usize::from(want);
            }
        }
        assert_eq!(m.allowed_count(pi), count);
    }
}

/// 150 endpoints (three 64-bit words) across namespaces, with every kind of
/// peer, port and endpoint.
fn mixed() -> Scenario {
    let mut endpoints = Vec::new();
    for i in 0..150u16 {
        let ns = ["a", "b", "c"][usize::from(i % 3)];
        let app = ["web", "api", "db", "cache"][usize::from(i % 4)];
        let mut e = pod(ns, &format!("p{i}"), &[("app", app)]).ip(&format!("10.{}.0.{}", i % 3, i));
        if i % 5 == 0 {
            e = e.port("http", 8080, Protocol::Tcp);
        }
        if i % 7 == 0 {
            e = e.port("http", 80, Protocol::Tcp);
        }
        if i % 11 == 0 {
            e = e.host_network();
        }
        if i % 13 == 0 {
            e = e.kind(EndpointKind::Deployment);
            e.ips.clear();
        }
        endpoints.push(e);
    }
    scenario(
        vec![ns("a", &[("team", "x")]), ns("b", &[("team", "y")]), ns("c", &[])],
        endpoints,
        vec![
            policy("a", "deny", all()).types(true, true),
            policy("a", "web", sel(&[("app", "web")]))
                .ingress(rule().peer(nss(exprs(&[("team", Operator::Exists, &[])]))).port(named(Protocol::Tcp, "http")))
                .egress(rule().peer(pods(sel(&[("app", "api")]))).port(named(Protocol::Tcp, "http")))
                .egress(rule().peer(ipblock("10.1.0.0/16", &["10.1.0.0/28"]))),
            policy("b", "api", exprs(&[("app", Operator::In, &["api", "db"])]))
                .ingress(
                    rule()
                        .peer(nss_pods(sel(&[("team", "x")]), exprs(&[("app", Operator::NotIn, &["db"])])))
                        .port(range(Protocol::Tcp, 79, 81)),
                )
                .egress(rule().port(port(Protocol::Udp, 53))),
            policy("c", "cache", sel(&[("app", "cache")])).ingress(rule().peer(ipblock("10.0.0.0/8", &[]))),
        ],
    )
}

#[test]
fn matrix_equals_per_flow_evaluation_on_a_mixed_cluster() {
    let probes = [
        Probe::new(Protocol::Tcp, 80),
        Probe::new(Protocol::Tcp, 8080),
        Probe::new(Protocol::Udp, 53),
        Probe::new(Protocol::Tcp, 81),
        Probe::new(Protocol::Sctp, 80),
    ];
    assert_agrees(&mixed(), &probes);
}

#[test]
fn probes_the_policies_treat_alike_share_a_table() {
    let s = mixed();
    let m =
        matrix(&s, &[Probe::new(Protocol::Tcp, 1000), Probe::new(Protocol::Tcp, 2000), Probe::new(Protocol::Tcp, 80)]);
    assert_eq!(m.tables.len(), 2, "1000 and 2000 match no port entry and no named port");
    assert_eq!(m.table_of, [0, 0, 1]);
}

#[test]
fn isolation_flags_follow_policy_types_and_host_network() {
    let s = mixed();
    let m = matrix(&s, &[]);
    for (i, e) in s.endpoints.iter().enumerate() {
        let app = e.labels.get("app").map(String::as_str);
        let api_or_db = matches!(app, Some("api" | "db"));
        // a: deny (both types) selects all; b: api selects api/db (ingress and
        // egress); c: cache selects caches (ingress only).
        let ingress = match e.namespace.as_str() {
            "a" => true,
            "b" => api_or_db,
            _ => app == Some("cache"),
        };
        let egress = match e.namespace.as_str() {
            "a" => true,
            "b" => api_or_db,
            _ => false,
        };
        assert_eq!(m.isolated_ingress(i), ingress && !e.host_network, "{}", e.name);
        assert_eq!(m.isolated_egress(i), egress && !e.host_network, "{}", e.name);
    }
    assert!(!m.isolated_ingress(10_000));
}

#[test]
fn out_of_range_queries_are_false_or_empty() {
    let s = mixed();
    let m = matrix(&s, &[Probe::new(Protocol::Tcp, 80)]);
    assert!(!m.allowed(1, 0, 0));
    assert!(!m.allowed(0, 0, 150));
    assert_eq!(m.row(0, 150).count(), 0);
    assert_eq!(m.allowed_count(3), 0);
    let empty = matrix(&Scenario::default(), &[Probe::new(Protocol::Tcp, 80)]);
    assert!(empty.is_empty());
    assert_eq!(empty.allowed_count(0), 0);
}

/// 600 pods in 3 namespaces with 4 apps (replicas of a few workloads, as in
/// real clusters): at most one output class per (namespace, app,
/// host-network flag), fewer where no rule tells groups apart, never one
/// per pod; and still every pair equals the per-flow evaluator.
#[test]
fn replicas_share_output_classes() {
    let mut endpoints = Vec::new();
    for i in 0..600u16 {
        let ns = ["a", "b", "c"][usize::from(i % 3)];
        let app = ["web", "api", "db", "cache"][usize::from(i / 3 % 4)];
        let mut e = pod(ns, &format!("p{i}"), &[("app", app)]).ip(&format!("10.{}.{}.{}", i % 3, i / 256, i % 256));
        if i % 100 == 0 {
            e = e.host_network();
        }
        endpoints.push(e);
    }
    let s = scenario(
        vec![ns("a", &[("team", "x")]), ns("b", &[("team", "y")]), ns("c", &[])],
        endpoints,
        vec![
            policy("a", "deny", all()).types(true, true),
            policy("a", "web", sel(&[("app", "web")]))
                .ingress(rule().peer(nss(exprs(&[("team", Operator::Exists, &[])]))).port(port(Protocol::Tcp, 80)))
                .egress(rule().peer(pods(sel(&[("app", "api")])))),
            policy("b", "api", exprs(&[("app", Operator::In, &["api", "db"])]))
                .ingress(rule().peer(nss_pods(sel(&[("team", "x")]), exprs(&[("app", Operator::NotIn, &["db"])])))),
        ],
    );
    let probes = [Probe::new(Protocol::Tcp, 80), Probe::new(Protocol::Tcp, 81)];
    let m = matrix(&s, &probes);
    assert!(m.class_count() > 1 && m.class_count() <= 3 * 4 * 2, "{}", m.class_count());
    // Namespace c has no policy and no rule names it or its apps: one class
    // of its non-host-network pods.
    let c_pods = (0..600).filter(|i| i % 3 == 2 && i % 100 != 0).count();
    assert_eq!(m.class_members(m.class_of(2).unwrap_or(usize::MAX)).len(), c_pods);
    assert_agrees(&s, &probes);
}
