//! Property test: on random clusters and policies, the fast matrix, the
//! allocation-free `is_allowed` and the explaining `evaluate` agree on every
//! pair and probe; and an explanation's `allowed_by` is non-empty exactly when
//! an isolated side allows.
//!
//! Scenarios are small (1–3 namespaces, 1–20 endpoints, up to 5 policies) but
//! use every shape: workloads, host-network pods, pods without IPs or with
//! two, named container ports, selectors with every operator, peers of every
//! kind, ipBlocks with excepts, port numbers, ranges, names and bare
//! protocols, explicit policyTypes.
//!
//! Half of the scenarios replicate some endpoints (same namespace, labels,
//! ports, kind; sometimes the same IPs) so the matrix's output classes
//! really have several members, and the class queries (`class_allowed`,
//! `class_pair_count`, …) are checked against the endpoint verdicts.
//!
//! Some scenarios also get cluster-wide policies (ClusterNetworkPolicy and
//! friends): both tiers, priorities drawn from a small set so ties happen,
//! every action, every peer and port form, so the fast path's tier fold is
//! proven equal to the per-flow tier list.

use core::net::IpAddr;

use ipnet::IpNet;
use netpol_core::eval::{evaluate, is_allowed};
use netpol_core::explain::SideExplanation;
use netpol_core::labels::{LabelSelector, Labels, Operator, Requirement, RequirementOrigin};
use netpol_core::matrix::{matrix, MatrixJob};
use netpol_core::model::{
    ClusterAction, ClusterPeer, ClusterPeerKind, ClusterPolicy, ClusterPolicyApi, ClusterPort, ClusterPortKind,
    ClusterRule, ClusterSubject, ClusterTier, ContainerPort, Endpoint, EndpointKind, IpBlock, Namespace, NetworkPolicy,
    Peer, PeerKind, PolicyApiVersion, PolicyTypes, PortRef, PortSpec, Probe, Protocol, Rule, Scenario,
};
use netpol_core::{Flow, FlowEnd, Span};
use proptest::prelude::*;
use proptest::sample::select;

const NAMESPACES: [&str; 3] = ["x", "y", "z"];
const KEYS: [&str; 5] = ["app", "tier", "team", "env", "kubernetes.io/metadata.name"];
const VALUES: [&str; 5] = ["a", "b", "c", "x", "y"];
const CIDRS: [&str; 6] = ["10.0.0.0/16", "10.0.1.0/24", "10.0.0.0/29", "fd00::/120", "0.0.0.0/0", "10.0.1.7/32"];
const EXCEPTS: [&str; 4] = ["10.0.1.0/28", "10.0.0.4/30", "10.0.1.0/24", "fd00::/124"];
const PROBES: [Probe; 6] = [
    Probe::new(Protocol::Tcp, 80),
    Probe::new(Protocol::Tcp, 81),
    Probe::new(Protocol::Udp, 53),
    Probe::new(Protocol::Tcp, 90),
    Probe::new(Protocol::Sctp, 80),
    Probe::new(Protocol::Tcp, 53),
];

fn protocol() -> impl Strategy<Value = Protocol> {
    select(&[Protocol::Tcp, Protocol::Udp, Protocol::Sctp][..])
}

fn labels(keys: &'static [&'static str]) -> impl Strategy<Value = Labels> {
    prop::collection::btree_map(select(keys), select(&VALUES[..3]), 0..=2)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

fn requirement() -> impl Strategy<Value = Requirement> {
    const OPS: [Operator; 5] =
        [Operator::Equals, Operator::In, Operator::NotIn, Operator::Exists, Operator::DoesNotExist];
    (select(&KEYS[..]), select(&OPS[..]), prop::collection::vec(select(&VALUES[..]), 1..=2)).prop_map(
        |(key, op, mut values)| {
            match op {
                Operator::Equals => values.truncate(1),
                Operator::Exists | Operator::DoesNotExist => values.clear(),
                _ => {}
            }
            Requirement {
                key: key.to_string(),
                op,
                values: values.into_iter().map(str::to_string).collect(),
                origin: RequirementOrigin::MatchExpression(0),
                span: Span::default(),
            }
        },
    )
}

fn selector() -> impl Strategy<Value = LabelSelector> {
    prop::collection::vec(requirement(), 0..=2)
        .prop_map(|requirements| LabelSelector { requirements, span: Span::default() })
}

fn endpoint() -> impl Strategy<Value = Endpoint> {
    let ip_pool: Vec<IpAddr> = (0..8u8)
        .flat_map(|i| [format!("10.0.0.{i}"), format!("10.0.1.{i}")])
        .chain((0..4).map(|i| format!("fd00::{i}")))
        .filter_map(|s| s.parse().ok())
        .collect();
    let port = (prop::option::of(select(&["http", "dns"][..])), select(&[80u16, 81, 53][..]), protocol())
        .prop_map(|(name, port, protocol)| ContainerPort { name: name.map(str::to_string), port, protocol });
    (
        select(&NAMESPACES[..]),
        labels(&KEYS[..2]),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.15),
        prop::collection::vec(select(ip_pool), 0..=2),
        prop::collection::vec(port, 0..=2),
    )
        .prop_map(|(ns, labels, workload, host_network, ips, ports)| Endpoint {
            namespace: ns.to_string(),
            name: String::new(),
            kind: if workload { EndpointKind::Deployment } else { EndpointKind::Pod },
            labels,
            ips: if workload { Vec::new() } else { ips },
            ports,
            host_network,
            span: Span::default(),
        })
}

fn peer() -> impl Strategy<Value = Peer> {
    let block = (select(&CIDRS[..]), prop::collection::vec(select(&EXCEPTS[..]), 0..=2)).prop_map(|(cidr, ex)| {
        let cidr: IpNet = cidr.parse().unwrap_or_default();
        let except: Vec<IpNet> =
            ex.iter().filter_map(|e| e.parse::<IpNet>().ok()).filter(|e| cidr.contains(e) && *e != cidr).collect();
        PeerKind::IpBlock(IpBlock {
            cidr,
            cidr_span: Span::default(),
            except_spans: except.iter().map(|_| Span::default()).collect(),
            except,
        })
    });
    let selectors = (prop::option::of(selector()), prop::option::of(selector())).prop_map(|(ns, pod)| {
        let pod = if ns.is_none() && pod.is_none() { Some(LabelSelector::default()) } else { pod };
        PeerKind::Selectors { namespace_selector: ns, pod_selector: pod }
    });
    prop_oneof![3 => selectors, 1 => block].prop_map(|kind| Peer { kind, span: Span::default() })
}

fn port_spec() -> impl Strategy<Value = PortSpec> {
    let number = (select(&[53u16, 80, 81][..]), prop::option::of(select(&[80u16, 81, 90][..])))
        .prop_map(|(p, end)| (Some(PortRef::Number(p)), end.filter(|e| *e >= p)));
    let name = select(&["http", "dns", "nope"][..]).prop_map(|n| (Some(PortRef::Name(n.to_string())), None));
    let port = prop_oneof![Just((None, None)), number, name];
    (protocol(), port).prop_map(|(protocol, (port, end_port))| PortSpec {
        protocol,
        port,
        end_port,
        span: Span::default(),
    })
}

fn rule() -> impl Strategy<Value = Rule> {
    (prop::collection::vec(peer(), 0..=3), prop::collection::vec(port_spec(), 0..=2)).prop_map(|(peers, ports)| Rule {
        peers,
        ports,
        span: Span::default(),
    })
}

fn policy() -> impl Strategy<Value = NetworkPolicy> {
    (
        select(&NAMESPACES[..]),
        selector(),
        any::<(bool, bool)>(),
        prop::collection::vec(rule(), 0..=2),
        prop::collection::vec(rule(), 0..=2),
    )
        .prop_map(|(ns, pod_selector, (ingress, egress), ingress_rules, egress_rules)| NetworkPolicy {
            namespace: ns.to_string(),
            name: String::new(),
            api_version: PolicyApiVersion::NetworkingV1,
            pod_selector,
            policy_types: PolicyTypes { ingress, egress, explicit: true },
            ingress: ingress_rules,
            egress: egress_rules,
            span: Span::default(),
        })
}

fn cluster_peer() -> impl Strategy<Value = ClusterPeer> {
    let nets = prop::collection::vec(select(&CIDRS[..]), 1..=2)
        .prop_map(|c| c.iter().filter_map(|c| c.parse::<IpNet>().ok()).collect::<Vec<_>>())
        .prop_map(|n| {
            let spans = n.iter().map(|_| Span::default()).collect();
            ClusterPeerKind::Networks(n, spans)
        });
    prop_oneof![
        3 => selector().prop_map(ClusterPeerKind::Namespaces),
        3 => (selector(), selector())
            .prop_map(|(namespace_selector, pod_selector)| ClusterPeerKind::Pods { namespace_selector, pod_selector }),
        1 => nets,
        1 => selector().prop_map(ClusterPeerKind::Nodes),
    ]
    .prop_map(|kind| ClusterPeer { kind, span: Span::default() })
}

fn cluster_port() -> impl Strategy<Value = ClusterPort> {
    let number = (protocol(), select(&[53u16, 80, 81][..])).prop_map(|(p, n)| ClusterPortKind::Number(p, n));
    let range = (protocol(), select(&[53u16, 80][..]), select(&[81u16, 90][..]))
        .prop_map(|(p, s, e)| ClusterPortKind::Range(p, s, e));
    let named = select(&["http", "dns", "nope"][..]).prop_map(|n| ClusterPortKind::Named(n.to_string()));
    prop_oneof![number, range, named].prop_map(|kind| ClusterPort { kind, span: Span::default() })
}

fn cluster_rule() -> impl Strategy<Value = ClusterRule> {
    (
        select(&[ClusterAction::Accept, ClusterAction::Deny, ClusterAction::Pass][..]),
        prop::collection::vec(cluster_peer(), 1..=2),
        prop::collection::vec(cluster_port(), 0..=2),
    )
        .prop_map(|(action, peers, ports)| ClusterRule { name: None, action, peers, ports, span: Span::default() })
}

fn cluster_policy() -> impl Strategy<Value = ClusterPolicy> {
    let subject = prop_oneof![
        selector().prop_map(ClusterSubject::Namespaces),
        (selector(), selector())
            .prop_map(|(namespace_selector, pod_selector)| ClusterSubject::Pods { namespace_selector, pod_selector }),
    ];
    (
        select(&[ClusterTier::Admin, ClusterTier::Baseline][..]),
        select(&[1u32, 2, 3][..]),
        subject,
        prop::collection::vec(cluster_rule(), 0..=2),
        prop::collection::vec(cluster_rule(), 0..=2),
    )
        .prop_map(|(tier, priority, subject, ingress, egress)| ClusterPolicy {
            name: String::new(),
            api: ClusterPolicyApi::ClusterNetworkPolicy,
            tier,
            priority,
            subject,
            subject_span: Span::default(),
            ingress,
            egress,
            span: Span::default(),
        })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        base_scenario(),
        prop::collection::vec(cluster_policy(), 0..=3),
        any::<bool>(),
        prop::collection::vec((0usize..4, any::<bool>()), 0..=8),
    )
        .prop_map(|(mut s, mut cluster, with_cluster, replicas)| {
            replicate(&mut s, &replicas);
            if with_cluster {
                for (i, c) in cluster.iter_mut().enumerate() {
                    // Reverse order: ties must be broken by name, not input order.
                    c.name = format!("c{}", 9 - i);
                }
                s.cluster_policies = cluster;
            }
            s
        })
}

/// Appends copies of endpoints: `(k, same_ips)` copies endpoint `k mod n`
/// (like a ReplicaSet's pods: same labels and ports), with its IPs or none.
fn replicate(s: &mut Scenario, replicas: &[(usize, bool)]) {
    let n = s.endpoints.len();
    for (i, &(k, same_ips)) in replicas.iter().enumerate() {
        let Some(e) = s.endpoints.get(k % n.max(1)) else { continue };
        let mut copy = e.clone();
        copy.name = format!("r{i}");
        if !same_ips {
            copy.ips.clear();
        }
        s.endpoints.push(copy);
    }
}

fn base_scenario() -> impl Strategy<Value = Scenario> {
    let namespace = (select(&NAMESPACES[..]), labels(&KEYS[2..4])).prop_map(|(name, labels)| Namespace {
        name: name.to_string(),
        labels,
        span: None,
    });
    (
        prop::collection::vec(namespace, 0..=3),
        prop::collection::vec(endpoint(), 1..=20),
        prop::collection::vec(policy(), 0..=5),
    )
        .prop_map(|(mut namespaces, mut endpoints, policies)| {
            namespaces.sort_by(|a, b| a.name.cmp(&b.name));
            namespaces.dedup_by(|a, b| a.name == b.name);
            for (i, e) in endpoints.iter_mut().enumerate() {
                e.name = format!("e{i}");
            }
            let mut s = Scenario { namespaces, endpoints, services: Vec::new(), policies, ..Default::default() };
            s.normalize();
            s
        })
}

/// An exempt side allows with nothing listed. Otherwise the verdict is the
/// first final step of the tier chain (default allow); when the
/// NetworkPolicy step decides, it allows iff some rule admits the flow; when
/// it is not reached or the side is not isolated, `allowed_by` is empty.
fn check_side(side: &SideExplanation) -> Result<(), TestCaseError> {
    use netpol_core::eval::tier::{decide, Verdict};
    use netpol_core::explain::TierKind;
    if side.exemption.is_some() {
        prop_assert!(side.allowed && side.allowed_by.is_empty() && side.tiers.is_empty());
        return Ok(());
    }
    prop_assert_eq!(side.allowed, decide(side.tiers.iter().map(|t| t.verdict)));
    match side.tiers.iter().find(|t| t.tier == TierKind::NetworkPolicy) {
        Some(np) if matches!(np.verdict, Verdict::Allow | Verdict::Deny) => {
            prop_assert!(side.isolated);
            prop_assert_eq!(np.verdict == Verdict::Allow, !side.allowed_by.is_empty());
        }
        _ => prop_assert!(side.allowed_by.is_empty()),
    }
    if !side.isolated {
        prop_assert!(side.allowed_by.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn fast_matrix_equals_per_flow_evaluation(s in scenario()) {
        let m = matrix(&s, &PROBES);
        let n = s.endpoints.len();
        prop_assert_eq!(m.len(), n);
        for (p, &probe) in PROBES.iter().enumerate() {
            let mut count = 0;
            for from in 0..n {
                for to in 0..n {
                    let flow = Flow { from: FlowEnd::Endpoint(from), to: FlowEnd::Endpoint(to), probe };
                    let fast = is_allowed(&s, &flow);
                    let e = evaluate(&s, &flow);
                    prop_assert_eq!(e.allowed, fast, "evaluate vs is_allowed {:?}", flow);
                    prop_assert_eq!(m.allowed(p, from, to), fast, "matrix vs is_allowed {:?}", flow);
                    check_side(&e.egress)?;
                    check_side(&e.ingress)?;
                    count += usize::from(fast);
                }
            }
            prop_assert_eq!(m.allowed_count(p), count);
        }
        for i in 0..n {
            let e = evaluate(&s, &Flow { from: FlowEnd::Endpoint(i), to: FlowEnd::Ip("192.0.2.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))), probe: PROBES[0] });
            prop_assert_eq!(m.isolated_egress(i), e.egress.isolated);
            let e = evaluate(&s, &Flow { from: FlowEnd::Ip("192.0.2.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))), to: FlowEnd::Endpoint(i), probe: PROBES[0] });
            prop_assert_eq!(m.isolated_ingress(i), e.ingress.isolated);
        }
    }

    #[test]
    fn flows_with_external_addresses_agree(s in scenario(), ip in select(&["10.0.1.5", "10.0.0.2", "192.0.2.1", "fd00::2"][..])) {
        let ip: IpAddr = ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        for i in 0..s.endpoints.len() {
            for probe in PROBES {
                for flow in [
                    Flow { from: FlowEnd::Endpoint(i), to: FlowEnd::Ip(ip), probe },
                    Flow { from: FlowEnd::Ip(ip), to: FlowEnd::Endpoint(i), probe },
                ] {
                    let e = evaluate(&s, &flow);
                    prop_assert_eq!(e.allowed, is_allowed(&s, &flow), "{:?}", flow);
                    check_side(&e.egress)?;
                    check_side(&e.ingress)?;
                }
            }
        }
    }

    /// The class queries agree with the endpoint queries: classes partition
    /// the endpoints (members ascending, `class_of` consistent); for two
    /// different endpoints the class bit is their verdict (and admin
    /// denial); a workload's own pair follows its class's diagonal bit; a
    /// class pair counts exactly its allowed endpoint pairs, and the counts
    /// add up to `allowed_count`; `row_words_into` is `row` as bits.
    #[test]
    fn class_queries_agree_with_endpoint_queries(s in scenario()) {
        let m = matrix(&s, &PROBES);
        let n = s.endpoints.len();
        let c = m.class_count();
        prop_assert!(c <= n && (n == 0 || c >= 1));
        let mut seen = vec![false; n];
        for k in 0..c {
            let members = m.class_members(k);
            prop_assert!(!members.is_empty());
            prop_assert!(members.windows(2).all(|w| w[0] < w[1]), "ascending");
            for &e in members {
                prop_assert_eq!(m.class_of(e as usize), Some(k));
                prop_assert!(!seen[e as usize]);
                seen[e as usize] = true;
            }
        }
        prop_assert!(seen.iter().all(|&x| x));
        prop_assert_eq!(m.class_of(n), None);
        prop_assert!(m.class_members(c).is_empty());
        let mut words = Vec::new();
        for (p, &probe) in PROBES.iter().enumerate() {
            let mut pairs = vec![0u64; c * c];
            for from in 0..n {
                let a = m.class_of(from).unwrap_or(usize::MAX);
                prop_assert!(m.row_words_into(p, from, &mut words));
                prop_assert_eq!(words.len(), n.div_ceil(64));
                for to in 0..n {
                    let b = m.class_of(to).unwrap_or(usize::MAX);
                    let flow = Flow { from: FlowEnd::Endpoint(from), to: FlowEnd::Endpoint(to), probe };
                    let want = is_allowed(&s, &flow);
                    prop_assert_eq!(words[to / 64] >> (to % 64) & 1 == 1, want, "row_words_into {:?}", flow);
                    let workload = s.endpoints[from].kind != EndpointKind::Pod;
                    if from != to || workload {
                        prop_assert_eq!(m.class_allowed(p, a, b), want, "class_allowed {:?}", flow);
                        prop_assert_eq!(m.class_admin_denied(p, a, b), m.admin_denied(p, from, to), "{:?}", flow);
                    }
                    pairs[a * c + b] += u64::from(want);
                }
            }
            for a in 0..c {
                let row = m.class_row_words(p, a);
                prop_assert_eq!(row.len(), c.div_ceil(64));
                for (wi, &w) in row.iter().enumerate() {
                    for bit in 0..64 {
                        let b = wi * 64 + bit;
                        let want = b < c && m.class_allowed(p, a, b);
                        prop_assert_eq!(w >> bit & 1 == 1, want, "class_row_words {} {} {}", p, a, b);
                    }
                }
            }
            prop_assert!(m.class_row_words(p, c).is_empty());
            let mut total = 0u64;
            for a in 0..c {
                for b in 0..c {
                    prop_assert_eq!(m.class_pair_count(p, a, b), pairs[a * c + b], "class pair {} {}", a, b);
                    total += pairs[a * c + b];
                }
            }
            prop_assert_eq!(m.allowed_count(p) as u64, total);
            prop_assert!(!m.class_allowed(p, c, 0) && m.class_pair_count(p, 0, c) == 0);
        }
        prop_assert!(!m.row_words_into(0, n, &mut words) && words.is_empty());
        prop_assert!(!m.row_words_into(PROBES.len(), 0, &mut words));
        prop_assert!(m.class_row_words(PROBES.len(), 0).is_empty());
    }

    /// A job advanced by random step sizes (down to one row) ends with the
    /// same matrix as `matrix()`, each step does bounded work, and the
    /// progress shown moves forward with every step, plan steps included.
    #[test]
    fn matrix_job_in_random_steps_equals_matrix(s in scenario(), sizes in prop::collection::vec(1usize..200, 1..40)) {
        let whole = matrix(&s, &PROBES);
        let mut job = MatrixJob::new(&s, &PROBES);
        let mut steps = 0;
        let mut done = false;
        while !done {
            let size = sizes.get(steps % sizes.len()).copied().unwrap_or(1);
            let before = job.remaining();
            let progress_before = job.progress();
            done = job.step(&s, size);
            prop_assert!(done || job.remaining() < before, "a step makes progress");
            let progress = job.progress();
            prop_assert!((done || progress > progress_before) && (0.0..=1.0).contains(&progress),
                "progress {progress} after {progress_before}");
            steps += 1;
            prop_assert!(steps < 100_000);
        }
        prop_assert_eq!(job.finish(), whole);
    }

    /// `admin_denied` is exactly "the deciding tier of the source's egress or
    /// the destination's ingress is Admin with verdict Deny" in `evaluate`'s
    /// tier chain (first final verdict wins, network-policy-api ordering).
    #[test]
    fn admin_denied_matches_the_tier_chain(s in scenario()) {
        use netpol_core::eval::tier::Verdict;
        use netpol_core::explain::TierKind;
        let m = matrix(&s, &PROBES);
        let admin_deny = |side: &SideExplanation| {
            side.tiers.iter().find(|t| matches!(t.verdict, Verdict::Allow | Verdict::Deny))
                .is_some_and(|t| t.tier == TierKind::Admin && t.verdict == Verdict::Deny)
        };
        let n = s.endpoints.len();
        for (p, &probe) in PROBES.iter().enumerate() {
            for from in 0..n {
                for to in 0..n {
                    let flow = Flow { from: FlowEnd::Endpoint(from), to: FlowEnd::Endpoint(to), probe };
                    let e = evaluate(&s, &flow);
                    let want = admin_deny(&e.egress) || admin_deny(&e.ingress);
                    prop_assert_eq!(m.admin_denied(p, from, to), want, "{:?}", flow);
                    if want {
                        prop_assert!(!m.allowed(p, from, to));
                    }
                }
            }
        }
    }
}
