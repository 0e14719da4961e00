//! Times the fast matrix on a synthetic cluster of the size issue 5 targets
//! (10,000 pods, 500 namespaces, 1,000 policies), for 1 and 10 probes, and
//! one flow's full explanation.
//!
//! `cargo run --release -p netpol-core --example matrix_10k [PODS NAMESPACES POLICIES]`
//!
//! The cluster is deterministic. Namespaces carry `team` (50 teams), `env`
//! (prod/staging/dev) and the name label. Pods (evenly spread) carry `app`
//! (10 per namespace), `tier` (web/api/db/cache), a unique `pod-template-hash`
//! and one or two IPs; they declare named ports `http` (8080), `metrics`
//! (9090) and, for some, `grpc` (50051). A tenth of the pods are host-network
//! or workload templates. Policies alternate between a namespace default-deny
//! (some also for egress) and an allow policy mixing pod selectors,
//! namespace+pod AND peers, matchExpressions, ipBlocks with excepts, named
//! ports and port ranges, and a DNS egress rule.

use std::time::Instant;

use netpol_core::eval::{evaluate, is_allowed};
use netpol_core::labels::{LabelSelector, Labels, Operator, Requirement, RequirementOrigin};
use netpol_core::matrix::matrix;
use netpol_core::model::{
    ContainerPort, Endpoint, EndpointKind, IpBlock, Namespace, NetworkPolicy, Peer, PeerKind, PolicyApiVersion,
    PolicyTypes, PortRef, PortSpec, Probe, Protocol, Rule, Scenario,
};
use netpol_core::{Flow, FlowEnd, Span};

fn labels(pairs: &[(&str, String)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn req(key: &str, op: Operator, values: &[&str]) -> Requirement {
    Requirement {
        key: key.into(),
        op,
        values: values.iter().map(|v| v.to_string()).collect(),
        origin: RequirementOrigin::MatchExpression(0),
        span: Span::default(),
    }
}

fn sel(reqs: Vec<Requirement>) -> LabelSelector {
    LabelSelector { requirements: reqs, span: Span::default() }
}

fn eq(key: &str, value: &str) -> Requirement {
    req(key, Operator::Equals, &[value])
}

fn peer(kind: PeerKind) -> Peer {
    Peer { kind, span: Span::default() }
}

fn port(protocol: Protocol, port: Option<PortRef>, end_port: Option<u16>) -> PortSpec {
    PortSpec { protocol, port, end_port, span: Span::default() }
}

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn cluster(pods: usize, namespaces: usize, policies: usize) -> Scenario {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let envs = ["prod", "staging", "dev"];
    let tiers = ["web", "api", "db", "cache"];
    let ns_name = |i: usize| format!("ns-{i:03}");
    let namespaces_v: Vec<Namespace> = (0..namespaces)
        .map(|i| Namespace {
            name: ns_name(i),
            labels: labels(&[("team", format!("t{}", i % 50)), ("env", envs[i % 3].to_string())]),
            span: None,
        })
        .collect();
    let endpoints: Vec<Endpoint> = (0..pods)
        .map(|i| {
            let ns = i % namespaces;
            let mut ports = vec![
                ContainerPort { name: Some("http".into()), port: 8080, protocol: Protocol::Tcp },
                ContainerPort { name: Some("metrics".into()), port: 9090, protocol: Protocol::Tcp },
            ];
            if i.is_multiple_of(3) {
                ports.push(ContainerPort { name: Some("grpc".into()), port: 50051, protocol: Protocol::Tcp });
            }
            let kind = if i % 20 == 7 { EndpointKind::Deployment } else { EndpointKind::Pod };
            let ip = |k: usize| format!("10.{}.{}.{}", (k >> 16) & 255, (k >> 8) & 255, k & 255).parse().ok();
            let ips = match kind {
                EndpointKind::Pod => [ip(i + 1), if i.is_multiple_of(4) { ip(i + 1 + (1 << 20)) } else { None }]
                    .into_iter()
                    .flatten()
                    .collect(),
                _ => Vec::new(),
            };
            Endpoint {
                namespace: ns_name(ns),
                name: format!("pod-{i}"),
                kind,
                labels: labels(&[
                    ("app", format!("app{}", rng.next(10))),
                    ("tier", tiers[i % 4].to_string()),
                    ("pod-template-hash", format!("{:x}", rng.next(1 << 30))),
                ]),
                ips,
                ports,
                host_network: i % 20 == 13,
                span: Span::default(),
            }
        })
        .collect();
    let mut policies_v = Vec::with_capacity(policies);
    for p in 0..policies {
        let ns = p % namespaces;
        let base = NetworkPolicy {
            namespace: ns_name(ns),
            name: format!("pol-{p}"),
            api_version: PolicyApiVersion::NetworkingV1,
            pod_selector: sel(Vec::new()),
            policy_types: PolicyTypes { ingress: true, egress: false, explicit: false },
            ingress: Vec::new(),
            egress: Vec::new(),
            span: Span::default(),
        };
        if (p / namespaces).is_multiple_of(2) {
            // Default deny, a third of them for egress too.
            let egress = p.is_multiple_of(3);
            policies_v
                .push(NetworkPolicy { policy_types: PolicyTypes { ingress: true, egress, explicit: true }, ..base });
            continue;
        }
        let tier = tiers[rng.next(4) as usize];
        let team = format!("t{}", rng.next(50));
        let app = format!("app{}", rng.next(10));
        let ingress = vec![
            Rule {
                peers: vec![
                    peer(PeerKind::Selectors {
                        namespace_selector: None,
                        pod_selector: Some(sel(vec![eq("tier", "web")])),
                    }),
                    peer(PeerKind::Selectors {
                        namespace_selector: Some(sel(vec![eq("team", &team)])),
                        pod_selector: Some(sel(vec![req("app", Operator::In, &[&app, "app1"])])),
                    }),
                    peer(PeerKind::Selectors {
                        namespace_selector: Some(sel(vec![req("env", Operator::NotIn, &["dev"])])),
                        pod_selector: Some(sel(vec![eq("tier", "api"), req("app", Operator::Exists, &[])])),
                    }),
                ],
                ports: vec![
                    port(Protocol::Tcp, Some(PortRef::Name("http".into())), None),
                    port(Protocol::Tcp, Some(PortRef::Number(8000)), Some(8100)),
                ],
                span: Span::default(),
            },
            Rule {
                peers: vec![peer(PeerKind::IpBlock(IpBlock {
                    cidr: "10.0.0.0/8".parse().unwrap_or_default(),
                    cidr_span: Span::default(),
                    except: vec!["10.1.0.0/16".parse().unwrap_or_default()],
                    except_spans: vec![Span::default()],
                }))],
                ports: vec![port(Protocol::Tcp, Some(PortRef::Name("metrics".into())), None)],
                span: Span::default(),
            },
        ];
        let egress = vec![
            Rule {
                peers: vec![peer(PeerKind::Selectors {
                    namespace_selector: Some(sel(vec![eq("kubernetes.io/metadata.name", "ns-000")])),
                    pod_selector: None,
                })],
                ports: vec![port(Protocol::Udp, Some(PortRef::Number(53)), None)],
                span: Span::default(),
            },
            Rule {
                peers: vec![peer(PeerKind::Selectors {
                    namespace_selector: Some(sel(vec![eq("team", &team)])),
                    pod_selector: None,
                })],
                ports: Vec::new(),
                span: Span::default(),
            },
        ];
        policies_v.push(NetworkPolicy {
            pod_selector: sel(vec![eq("tier", tier)]),
            policy_types: PolicyTypes { ingress: true, egress: p.is_multiple_of(2), explicit: true },
            ingress,
            egress,
            ..base
        });
    }
    let mut s = Scenario {
        namespaces: namespaces_v,
        endpoints,
        services: Vec::new(),
        policies: policies_v,
        ..Default::default()
    };
    s.normalize();
    s
}

/// CPU time this thread has run, in ms (Linux `schedstat`), so figures stay
/// meaningful on a machine shared with other jobs; `None` elsewhere.
fn cpu_ms() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (pods, namespaces, policies) = match args.as_slice() {
        [a, b, c, ..] => (*a, (*b).max(1), *c),
        _ => (10_000, 500, 1_000),
    };
    let s = cluster(pods, namespaces, policies);
    println!("{} endpoints, {} namespaces, {} policies", s.endpoints.len(), s.namespaces.len(), s.policies.len());
    let one = [Probe::new(Protocol::Tcp, 8080)];
    let ten: Vec<Probe> = [80u16, 443, 8080, 8050, 9090, 50051, 5432, 6379, 53, 3000]
        .into_iter()
        .map(|p| Probe::new(if p == 53 { Protocol::Udp } else { Protocol::Tcp }, p))
        .collect();
    let none: [Probe; 0] = [];
    for (label, probes) in
        [("0 probes (per-scenario work only)", &none[..]), ("1 probe", &one[..]), ("10 probes", &ten[..])]
    {
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut allowed = 0;
        for _ in 0..7 {
            let (t, c) = (Instant::now(), cpu_ms());
            let m = matrix(&s, probes);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            cpu.push(cpu_ms().zip(c).map_or(f64::NAN, |(b, a)| b - a));
            allowed = m.allowed_count(0);
        }
        let first = probes.first().map(|p| p.to_string()).unwrap_or_default();
        println!(
            "matrix, {label}: median {:.1} ms wall, {:.1} ms CPU (allowed pairs on {first}: {allowed})",
            median(times),
            median(cpu)
        );
    }
    // The per-flow loop the matrix replaces, on a slice of sources, scaled up.
    let sources = pods.min(50);
    let t = Instant::now();
    let mut n_allowed = 0usize;
    for from in 0..sources {
        for to in 0..pods {
            let flow = Flow { from: FlowEnd::Endpoint(from), to: FlowEnd::Endpoint(to), probe: one[0] };
            n_allowed += usize::from(is_allowed(&s, &flow));
        }
    }
    let per_flow = t.elapsed().as_secs_f64() * 1e3 * pods as f64 / sources.max(1) as f64;
    println!("per-flow is_allowed loop, 1 probe: ~{per_flow:.0} ms wall (from {sources} sources, {n_allowed} allowed)");
    let flow = Flow { from: FlowEnd::Endpoint(1), to: FlowEnd::Endpoint(pods / 2 + 2), probe: one[0] };
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let e = evaluate(&s, &flow);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(e.allowed, is_allowed(&s, &flow));
    }
    println!("one flow's explanation: median {:.3} ms", median(times));
}
