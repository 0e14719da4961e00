//! One test per semantic rule, each naming the API reference field doc or the
//! upstream e2e test (kubernetes/kubernetes
//! test/e2e/network/netpol/network_policy.go, "NetworkPolicy between server
//! and client") it checks.

use alloc::vec;
use alloc::vec::Vec;

use super::build::*;
use super::{evaluate, is_allowed};
use crate::explain::{
    Exemption, Explanation, Flow, FlowEnd, NearMissCause, PeersCheck, PortsCheck, Reason, RuleMatch, Term,
};
use crate::labels::Operator;
use crate::model::{EndpointKind, Probe, Protocol, Scenario};

const TCP80: Probe = Probe::new(Protocol::Tcp, 80);

fn ep(s: &Scenario, name: &str) -> FlowEnd {
    let (ns, n) = name.split_once('/').unwrap_or(("default", name));
    FlowEnd::Endpoint(s.endpoint_index(ns, n).unwrap_or(usize::MAX))
}

fn ext(addr: &str) -> FlowEnd {
    FlowEnd::Ip(ip(addr))
}

/// Evaluates with both engines of this module and insists they agree.
fn explain(s: &Scenario, from: FlowEnd, to: FlowEnd, probe: Probe) -> Explanation {
    let flow = Flow { from, to, probe };
    let e = evaluate(s, &flow);
    assert_eq!(e.allowed, is_allowed(s, &flow), "evaluate and is_allowed disagree on {flow:?}");
    assert_eq!(e.allowed, e.egress.allowed && e.ingress.allowed);
    e
}

fn allowed(s: &Scenario, from: &str, to: &str, probe: Probe) -> bool {
    explain(s, ep(s, from), ep(s, to), probe).allowed
}

/// The truth table over `names` (row = from, column = to), as '1'/'0' rows.
fn table(s: &Scenario, names: &[&str], probe: Probe) -> Vec<alloc::string::String> {
    names
        .iter()
        .map(|from| names.iter().map(|to| if allowed(s, from, to, probe) { '1' } else { '0' }).collect())
        .collect()
}

/// x/a, x/b, y/a, y/b as in the upstream suite, namespaces labelled by name.
fn xy(policies: Vec<crate::model::NetworkPolicy>) -> Scenario {
    scenario(
        vec![ns("x", &[]), ns("y", &[])],
        vec![
            pod("x", "a", &[("pod", "a")]).ip("10.0.1.1"),
            pod("x", "b", &[("pod", "b")]).ip("10.0.1.2"),
            pod("y", "a", &[("pod", "a")]).ip("10.0.2.1"),
            pod("y", "b", &[("pod", "b")]).ip("10.0.2.2"),
        ],
        policies,
    )
}

const XY: [&str; 4] = ["x/a", "x/b", "y/a", "y/b"];

#[test]
fn no_policy_allows_everything() {
    // Concepts page: "By default, a pod is non-isolated for egress/ingress; all connections are allowed".
    let s = xy(vec![]);
    assert_eq!(table(&s, &XY, TCP80), ["1111", "1111", "1111", "1111"]);
}

#[test]
fn default_deny_ingress_isolates_every_pod_of_its_namespace_only() {
    // e2e "should support a 'default-deny-ingress' policy"; NetworkPolicySpec.podSelector:
    // "An empty podSelector selects all pods in this namespace."
    let s = xy(vec![policy("x", "deny-ingress", all())]);
    // Column x/a and x/b denied except loopback (Reachability.AllowLoopback).
    assert_eq!(table(&s, &XY, TCP80), ["1011", "0111", "0011", "0011"]);
    let e = explain(&s, ep(&s, "y/a"), ep(&s, "x/a"), TCP80);
    assert!(e.ingress.isolated && !e.egress.isolated);
    assert_eq!(e.ingress.policies.len(), 1);
    assert!(e.ingress.policies[0].rules.is_empty());
    assert!(e.ingress.allowed_by.is_empty());
}

#[test]
fn default_deny_all_isolates_both_directions() {
    // e2e "should support a 'default-deny-all' policy".
    let s = xy(vec![policy("x", "deny-all", all()).types(true, true)]);
    assert_eq!(table(&s, &XY, TCP80), ["1000", "0100", "0011", "0011"]);
}

#[test]
fn policy_selects_only_pods_of_its_own_namespace() {
    // NetworkPolicySpec.podSelector selects pods "in this namespace": a policy in y
    // with podSelector pod=a never touches x/a.
    let s = xy(vec![policy("y", "deny-a", sel(&[("pod", "a")]))]);
    assert_eq!(table(&s, &XY, TCP80), ["1101", "1101", "1111", "1101"]);
}

#[test]
fn policy_types_decide_isolation_not_rule_presence() {
    // NetworkPolicySpec.policyTypes: a policy listing only Egress does not isolate
    // ingress even if it carries ingress rules; one listing Egress with no egress
    // rules denies all egress.
    let p = policy("x", "egress-only", sel(&[("pod", "a")]))
        .ingress(rule().peer(pods(sel(&[("pod", "nobody")]))))
        .types(false, true);
    let s = xy(vec![p]);
    assert!(allowed(&s, "y/a", "x/a", TCP80), "ingress not isolated");
    assert!(!allowed(&s, "x/a", "y/a", TCP80), "egress isolated, no egress rule");
    let e = explain(&s, ep(&s, "y/a"), ep(&s, "x/a"), TCP80);
    assert!(!e.ingress.isolated);
    assert_eq!(e.ingress.other_direction_policies, vec![0]);
}

#[test]
fn policies_are_additive() {
    // Concepts page: "Network policies do not conflict; they are additive";
    // e2e "should enforce multiple, stacked policies with overlapping podSelectors".
    let from_b = policy("x", "from-b", sel(&[("pod", "a")])).ingress(rule().peer(pods(sel(&[("pod", "b")]))));
    let from_y = policy("x", "from-y", sel(&[("pod", "a")]))
        .ingress(rule().peer(nss(sel(&[("kubernetes.io/metadata.name", "y")]))));
    let s = xy(vec![from_b, from_y]);
    assert!(allowed(&s, "x/b", "x/a", TCP80));
    assert!(allowed(&s, "y/b", "x/a", TCP80));
    let e = explain(&s, ep(&s, "y/b"), ep(&s, "x/a"), TCP80);
    assert_eq!(e.ingress.allowed_by, vec![RuleMatch { policy: 1, rule: 0, peer: Some(0), port: None }]);
}

#[test]
fn both_egress_of_source_and_ingress_of_destination_must_allow() {
    // Concepts page: "both the egress policy on the source pod and the ingress policy on
    // the destination pod need to allow the connection"; e2e "should support denying of
    // egress traffic on the client side (even if the server explicitly allows this traffic)".
    let deny_egress = policy("y", "deny-egress", all()).types(false, true);
    let allow_in = policy("x", "allow-in", all()).ingress(rule());
    let s = xy(vec![deny_egress, allow_in]);
    let e = explain(&s, ep(&s, "y/a"), ep(&s, "x/a"), TCP80);
    assert!(!e.allowed && !e.egress.allowed && e.ingress.allowed);
}

#[test]
fn empty_rule_matches_every_peer_and_port_including_external() {
    // NetworkPolicyIngressRule.from / .ports: "If this field is empty or missing, this
    // rule matches all sources / all ports"; e2e "should support allow-all policy".
    let s = xy(vec![policy("x", "allow-all", all()).ingress(rule())]);
    let e = explain(&s, ext("203.0.113.9"), ep(&s, "x/a"), Probe::new(Protocol::Udp, 5353));
    assert!(e.allowed);
    assert_eq!(e.ingress.allowed_by, vec![RuleMatch { policy: 0, rule: 0, peer: None, port: None }]);
    let r = &e.ingress.policies[0].rules[0];
    assert_eq!((&r.peers, &r.ports), (&PeersCheck::Any, &PortsCheck::Any));
}

#[test]
fn rule_needs_a_matching_peer_and_a_matching_port() {
    // NetworkPolicyIngressRule: traffic is allowed if it matches both `ports` AND `from`;
    // e2e "should enforce policy based on Ports".
    let p = policy("x", "b-on-81", sel(&[("pod", "a")])).ingress(rule().peer(pods(sel(&[("pod", "b")]))).port(tcp(81)));
    let s = xy(vec![p]);
    assert!(!allowed(&s, "x/b", "x/a", TCP80));
    assert!(allowed(&s, "x/b", "x/a", Probe::new(Protocol::Tcp, 81)));
    assert!(!allowed(&s, "y/b", "x/a", Probe::new(Protocol::Tcp, 81)));
    let e = explain(&s, ep(&s, "x/b"), ep(&s, "x/a"), TCP80);
    // The peer held and only the port failed: a near miss on ports.
    assert_eq!(e.ingress.near_misses.len(), 1);
    assert_eq!(e.ingress.near_misses[0].failed, NearMissCause::Ports);
    assert_eq!(e.ingress.near_misses[0].peer, Some(0));
}

#[test]
fn lone_pod_selector_means_pods_of_the_policy_namespace() {
    // NetworkPolicyPeer.podSelector: "Otherwise it selects the pods matching podSelector in
    // the policy's own namespace"; e2e "should enforce policy to allow traffic from pods
    // within server namespace based on PodSelector".
    let p = policy("x", "x-a-allows-x-b", sel(&[("pod", "a")])).ingress(rule().peer(pods(sel(&[("pod", "b")]))));
    let s = xy(vec![p]);
    assert_eq!(table(&s, &XY, TCP80), ["1111", "1111", "0111", "0111"]);
    let e = explain(&s, ep(&s, "y/b"), ep(&s, "x/a"), TCP80);
    let PeersCheck::Entries(entries) = &e.ingress.policies[0].rules[0].peers else { panic!("entries") };
    let terms = &entries[0].terms;
    assert_eq!(terms.len(), 2);
    assert_eq!((terms[0].term, terms[0].held, terms[0].span), (Term::PolicyNamespace, false, None));
    assert!(matches!(&terms[0].reason, Reason::SameNamespace { peer_namespace, policy_namespace }
        if peer_namespace == "y" && policy_namespace == "x"));
    assert_eq!((terms[1].term, terms[1].held), (Term::PodSelector, true));
    // Exactly one term failed while ports held: a near miss naming that term.
    assert!(matches!(&e.ingress.near_misses[0].failed, NearMissCause::Term(t) if t.term == Term::PolicyNamespace));
}

#[test]
fn lone_namespace_selector_means_every_pod_of_matching_namespaces() {
    // NetworkPolicyPeer.namespaceSelector alone "selects all Pods in the Namespaces selected";
    // e2e "should enforce policy to allow traffic only from a different namespace, based on
    // NamespaceSelector".
    let p = policy("x", "from-y", sel(&[("pod", "a")]))
        .ingress(rule().peer(nss(sel(&[("kubernetes.io/metadata.name", "y")]))));
    let s = xy(vec![p]);
    assert_eq!(table(&s, &XY, TCP80), ["1111", "0111", "1111", "1111"]);
}

#[test]
fn namespace_and_pod_selector_in_one_entry_are_anded_entries_are_ored() {
    // NetworkPolicyPeer: with both fields, "selects the Pods matching podSelector in the
    // Namespaces that match namespaceSelector"; e2e "should enforce policy based on
    // PodSelector and NamespaceSelector" vs "... PodSelector or NamespaceSelector".
    let not_x = || exprs(&[("kubernetes.io/metadata.name", Operator::NotIn, &["x"])]);
    let and = policy("x", "and", sel(&[("pod", "a")])).ingress(rule().peer(nss_pods(not_x(), sel(&[("pod", "b")]))));
    let s = xy(vec![and]);
    assert_eq!(table(&s, &XY, TCP80), ["1111", "0111", "0111", "1111"]);
    let or =
        policy("x", "or", sel(&[("pod", "a")])).ingress(rule().peer(nss(not_x())).peer(pods(sel(&[("pod", "b")]))));
    let s = xy(vec![or]);
    assert_eq!(table(&s, &XY, TCP80), ["1111", "1111", "1111", "1111"]);
    let e = explain(&s, ep(&s, "y/b"), ep(&s, "x/a"), TCP80);
    // Only from[0] holds (y is not x); from[1] needs namespace x.
    assert_eq!(e.ingress.allowed_by, vec![RuleMatch { policy: 0, rule: 0, peer: Some(0), port: None }]);
}

#[test]
fn empty_namespace_selector_selects_every_namespace() {
    // NetworkPolicyPeer.namespaceSelector: "If present but empty, it selects all
    // namespaces"; e2e "should enforce policy to allow ingress traffic from pods in all namespaces".
    let p = policy("x", "all-ns", sel(&[("pod", "a")])).ingress(rule().peer(nss(all())));
    let s = xy(vec![p]);
    assert_eq!(table(&s, &XY, TCP80), ["1111", "1111", "1111", "1111"]);
    let e = explain(&s, ep(&s, "y/a"), ep(&s, "x/a"), TCP80);
    let PeersCheck::Entries(entries) = &e.ingress.policies[0].rules[0].peers else { panic!("entries") };
    assert!(matches!(entries[0].terms[0].reason, Reason::EmptySelectorMatchesAll { .. }));
    // An external address is still not "every namespace".
    assert!(!explain(&s, ext("8.8.8.8"), ep(&s, "x/a"), TCP80).allowed);
}

#[test]
fn match_expressions_not_in_and_does_not_exist_hold_on_absent_keys() {
    // LabelSelectorRequirement operators (In, NotIn, Exists, DoesNotExist); e2e
    // "should enforce policy based on PodSelector with MatchExpressions".
    let s = scenario(
        vec![ns("x", &[])],
        vec![pod("x", "server", &[("app", "db")]), pod("x", "labelled", &[("env", "prod")]), pod("x", "bare", &[])],
        vec![policy("x", "p", sel(&[("app", "db")]))
            .ingress(rule().peer(pods(exprs(&[("env", Operator::NotIn, &["prod"])]))))
            .ingress(rule().peer(pods(exprs(&[("env", Operator::DoesNotExist, &[])]))))],
    );
    let e = explain(&s, ep(&s, "x/bare"), ep(&s, "x/server"), TCP80);
    assert!(e.allowed);
    assert_eq!(e.ingress.allowed_by.len(), 2, "both NotIn and DoesNotExist hold on a missing key");
    let e = explain(&s, ep(&s, "x/labelled"), ep(&s, "x/server"), TCP80);
    assert!(!e.allowed);
    let reasons: Vec<&Reason> = e.ingress.policies[0]
        .rules
        .iter()
        .filter_map(|r| match &r.peers {
            PeersCheck::Entries(es) => es[0].terms.last().map(|t| &t.reason),
            PeersCheck::Any => None,
        })
        .collect();
    assert!(matches!(reasons[0], Reason::LabelValue { op: Operator::NotIn, actual, .. } if actual == "prod"));
    assert!(matches!(reasons[1], Reason::LabelPresent { key, .. } if key == "env"));
}

#[test]
fn failing_selector_names_the_missing_label() {
    // The explanation requirement of the product: "namespace `y` has no label `team`".
    let p = policy("x", "p", sel(&[("pod", "a")])).ingress(rule().peer(nss(sel(&[("team", "blue")]))));
    let s = xy(vec![p]);
    let e = explain(&s, ep(&s, "y/a"), ep(&s, "x/a"), TCP80);
    let PeersCheck::Entries(entries) = &e.ingress.policies[0].rules[0].peers else { panic!("entries") };
    assert!(
        matches!(&entries[0].terms[0].reason, Reason::LabelMissing { key, op: Operator::Equals, .. } if key == "team")
    );
}

#[test]
fn ip_block_is_cidr_minus_except_for_pods_and_external_addresses() {
    // IPBlock: "cidr … except is a slice of CIDRs that should not be included"; e2e
    // "should allow egress access to server in CIDR block" and "should enforce except
    // clause while egress access to server in CIDR block".
    let p = policy("x", "cidr", sel(&[("pod", "a")])).egress(rule().peer(ipblock("10.0.0.0/16", &["10.0.2.0/24"])));
    let s = xy(vec![p]);
    assert!(allowed(&s, "x/a", "x/b", TCP80), "10.0.1.2 inside cidr");
    assert!(!allowed(&s, "x/a", "y/a", TCP80), "10.0.2.1 in except");
    assert!(explain(&s, ep(&s, "x/a"), ext("10.0.9.9"), TCP80).allowed);
    let e = explain(&s, ep(&s, "x/a"), ext("10.1.0.1"), TCP80);
    assert!(!e.allowed);
    let e = explain(&s, ep(&s, "x/a"), ep(&s, "y/a"), TCP80);
    let PeersCheck::Entries(entries) = &e.egress.policies[0].rules[0].peers else { panic!("entries") };
    assert!(matches!(entries[0].terms[0].reason, Reason::IpExcepted { index: 0, .. }));
}

#[test]
fn ip_block_matches_an_endpoint_if_any_of_its_ips_is_inside_and_never_without_ips() {
    // IPBlock matches pod IPs (status.podIPs: dual-stack pods have two); a workload
    // template or pending pod has none.
    let s = scenario(
        vec![ns("x", &[])],
        vec![
            pod("x", "a", &[]),
            pod("x", "dual", &[]).ip("192.168.0.5").ip("fd00::5"),
            pod("x", "pending", &[]),
            pod("x", "tmpl", &[]).kind(EndpointKind::Deployment),
        ],
        vec![policy("x", "p", all()).ingress(rule().peer(ipblock("fd00::/64", &[])))],
    );
    assert!(allowed(&s, "x/dual", "x/a", TCP80));
    assert!(!allowed(&s, "x/pending", "x/a", TCP80));
    let e = explain(&s, ep(&s, "x/tmpl"), ep(&s, "x/a"), TCP80);
    let PeersCheck::Entries(entries) = &e.ingress.policies[0].rules[0].peers else { panic!("entries") };
    assert!(matches!(entries[0].terms[0].reason, Reason::NoIp { .. }));
    assert!(e.ingress.near_misses.is_empty(), "a missing IP is not a near miss");
}

#[test]
fn external_addresses_match_only_ip_blocks_and_empty_peer_lists() {
    // NetworkPolicyPeer: pod/namespace selectors select pods; external traffic is admitted
    // only by ipBlock (or by a rule without peers).
    let p = policy("x", "p", sel(&[("pod", "a")]))
        .ingress(rule().peer(nss(all())).peer(pods(all())).peer(nss_pods(all(), all())));
    let s = xy(vec![p]);
    let e = explain(&s, ext("10.9.9.9"), ep(&s, "x/a"), TCP80);
    assert!(!e.allowed);
    assert_eq!(e.egress.exemption, Some(Exemption::External));
    let PeersCheck::Entries(entries) = &e.ingress.policies[0].rules[0].peers else { panic!("entries") };
    assert!(entries.iter().flat_map(|p| &p.terms).all(|t| matches!(t.reason, Reason::ExternalNotSelectable { .. })));
    // from[0] failed on one term only, but no label change could fix that: not a near miss.
    assert!(e.ingress.near_misses.is_empty());
}

#[test]
fn protocol_must_equal() {
    // NetworkPolicyPort.protocol; e2e "should not allow access by TCP when a policy
    // specifies only UDP" and "should enforce policy to allow traffic only from a pod in a
    // different namespace based on PodSelector and NamespaceSelector" (SCTP variants).
    let p = policy("x", "udp", sel(&[("pod", "a")])).ingress(rule().port(port(Protocol::Udp, 80)));
    let s = xy(vec![p]);
    assert!(!allowed(&s, "x/b", "x/a", TCP80));
    assert!(allowed(&s, "x/b", "x/a", Probe::new(Protocol::Udp, 80)));
    assert!(!allowed(&s, "x/b", "x/a", Probe::new(Protocol::Sctp, 80)));
    let e = explain(&s, ep(&s, "x/b"), ep(&s, "x/a"), TCP80);
    let PortsCheck::Entries(ports) = &e.ingress.policies[0].rules[0].ports else { panic!("entries") };
    assert_eq!(ports[0].reason, Reason::ProtocolDiffers { wanted: Protocol::Udp, actual: Protocol::Tcp });
}

#[test]
fn port_without_number_is_every_port_of_the_protocol() {
    // NetworkPolicyPort.port: "If this field is not provided, this matches all port names
    // and numbers"; e2e "should enforce ingress policy allowing any port traffic to a server
    // on a specific protocol".
    let p = policy("x", "any-tcp", sel(&[("pod", "a")])).ingress(rule().port(any_port(Protocol::Tcp)));
    let s = xy(vec![p]);
    assert!(allowed(&s, "x/b", "x/a", Probe::new(Protocol::Tcp, 1)));
    assert!(allowed(&s, "x/b", "x/a", Probe::new(Protocol::Tcp, 65535)));
    assert!(!allowed(&s, "x/b", "x/a", Probe::new(Protocol::Udp, 53)));
}

#[test]
fn end_port_is_an_inclusive_range() {
    // NetworkPolicyPort.endPort: "the range of ports from port to endPort if set,
    // inclusive, should be allowed by the policy".
    let p = policy("x", "range", sel(&[("pod", "a")])).ingress(rule().port(range(Protocol::Tcp, 8000, 8080)));
    let s = xy(vec![p]);
    for (port, want) in [(7999, false), (8000, true), (8042, true), (8080, true), (8081, false)] {
        assert_eq!(allowed(&s, "x/b", "x/a", Probe::new(Protocol::Tcp, port)), want, "port {port}");
    }
}

#[test]
fn named_port_resolves_on_the_destination_for_ingress_and_egress() {
    // NetworkPolicyPort.port may be "a named port on a pod"; e2e "should allow ingress
    // access on one named port" and "should allow egress access on one named port".
    let s = scenario(
        vec![ns("x", &[])],
        vec![
            pod("x", "client", &[("app", "client")]).port("serve-80", 9999, Protocol::Tcp),
            pod("x", "server", &[("app", "server")]).port("serve-80", 80, Protocol::Tcp).port("dns", 53, Protocol::Udp),
            pod("x", "other", &[("app", "other")]),
        ],
        vec![
            policy("x", "in", sel(&[("app", "server")])).ingress(rule().port(named(Protocol::Tcp, "serve-80"))),
            policy("x", "out", sel(&[("app", "client")])).egress(rule().port(named(Protocol::Tcp, "serve-80"))),
        ],
    );
    assert!(allowed(&s, "x/client", "x/server", TCP80), "resolved on the server, not the client (9999)");
    assert!(!allowed(&s, "x/client", "x/server", Probe::new(Protocol::Tcp, 9999)));
    assert!(!allowed(&s, "x/client", "x/other", TCP80), "other declares no such port: entry matches nothing");
    let e = explain(&s, ep(&s, "x/client"), ep(&s, "x/other"), TCP80);
    let PortsCheck::Entries(ports) = &e.egress.policies[0].rules[0].ports else { panic!("entries") };
    assert!(matches!(&ports[0].reason, Reason::NamedPortUnresolved { destination, .. } if destination == "x/other"));
    // A name with another protocol does not resolve.
    let s2 = scenario(
        vec![ns("x", &[])],
        vec![pod("x", "server", &[]).port("dns", 53, Protocol::Udp), pod("x", "c", &[])],
        vec![policy("x", "in", all()).ingress(rule().port(named(Protocol::Tcp, "dns")))],
    );
    assert!(!allowed(&s2, "x/c", "x/server", Probe::new(Protocol::Tcp, 53)));
    // An external destination never resolves a name.
    assert!(!explain(&s, ep(&s, "x/client"), ext("1.2.3.4"), TCP80).allowed);
}

#[test]
fn host_network_pods_are_exempt_and_never_selected_but_ip_blocks_match_them() {
    // Concepts page, "NetworkPolicy and hostNetwork pods": the common implementation
    // ignores hostNetwork pods when matching podSelector/namespaceSelector and treats
    // their traffic as node traffic.
    let s = scenario(
        vec![ns("x", &[])],
        vec![
            pod("x", "node-agent", &[("app", "agent")]).ip("192.168.1.10").host_network(),
            pod("x", "web", &[("app", "web")]).ip("10.0.0.2"),
        ],
        vec![
            policy("x", "deny-all", all()).types(true, true),
            policy("x", "from-agent", sel(&[("app", "web")])).ingress(rule().peer(pods(sel(&[("app", "agent")])))),
        ],
    );
    // The agent's egress is exempt, but web's ingress never matches it by selector.
    let e = explain(&s, ep(&s, "x/node-agent"), ep(&s, "x/web"), TCP80);
    assert_eq!(e.egress.exemption, Some(Exemption::HostNetwork));
    assert!(e.egress.allowed && !e.ingress.allowed);
    let PeersCheck::Entries(entries) = &e.ingress.policies[1].rules[0].peers else { panic!("entries") };
    assert!(entries[0].terms.iter().all(|t| matches!(t.reason, Reason::HostNetworkNotSelectable { .. })));
    assert!(e.ingress.near_misses.is_empty());
    // Its ingress is exempt too, even though deny-all's podSelector {} matches its labels.
    let e = explain(&s, ep(&s, "x/web"), ep(&s, "x/node-agent"), TCP80);
    assert_eq!(e.ingress.exemption, Some(Exemption::HostNetwork));
    assert!(!e.ingress.isolated && e.ingress.allowed);
    // An ipBlock matches its (node) IP.
    let s = scenario(
        s.namespaces.clone(),
        s.endpoints.clone(),
        vec![policy("x", "from-nodes", sel(&[("app", "web")])).ingress(rule().peer(ipblock("192.168.1.0/24", &[])))],
    );
    assert!(allowed(&s, "x/node-agent", "x/web", TCP80));
}

#[test]
fn a_pod_may_always_reach_itself_but_workload_replicas_follow_policy() {
    // kubernetes/kubernetes test/e2e/network/netpol/reachability.go, Reachability.AllowLoopback:
    // "loopback logic follows no policy" (network_policy.go ignores loopback results,
    // issue #95879). A Deployment endpoint stands for many replicas: its diagonal is
    // replica-to-replica traffic.
    let s = scenario(
        vec![ns("x", &[])],
        vec![pod("x", "a", &[]), pod("x", "web", &[]).kind(EndpointKind::Deployment)],
        vec![policy("x", "deny-all", all()).types(true, true)],
    );
    let e = explain(&s, ep(&s, "x/a"), ep(&s, "x/a"), TCP80);
    assert!(e.allowed);
    assert_eq!((e.egress.exemption, e.ingress.exemption), (Some(Exemption::Loopback), Some(Exemption::Loopback)));
    assert!(!allowed(&s, "x/web", "x/web", TCP80));
}

#[test]
fn allowed_by_lists_each_holding_peer_with_the_first_holding_port() {
    // Documented choice: one RuleMatch per holding peer entry, port = first holding entry.
    let p = policy("x", "p", sel(&[("pod", "a")])).ingress(
        rule()
            .peer(pods(sel(&[("pod", "b")])))
            .peer(nss(all()))
            .peer(ipblock("10.0.0.0/8", &[]))
            .port(tcp(81))
            .port(range(Protocol::Tcp, 1, 100))
            .port(tcp(80)),
    );
    let s = xy(vec![p]);
    let e = explain(&s, ep(&s, "x/b"), ep(&s, "x/a"), TCP80);
    let got: Vec<(Option<usize>, Option<usize>)> = e.ingress.allowed_by.iter().map(|m| (m.peer, m.port)).collect();
    assert_eq!(got, vec![(Some(0), Some(1)), (Some(1), Some(1)), (Some(2), Some(1))]);
    assert_eq!(e.ingress.first_allowing().map(|m| m.peer), Some(Some(0)));
}

#[test]
fn unknown_endpoint_index_never_panics_and_matches_nothing() {
    let s = xy(vec![policy("x", "p", all()).ingress(rule().peer(nss(all())).peer(ipblock("0.0.0.0/0", &[])))]);
    let e = explain(&s, FlowEnd::Endpoint(99), ep(&s, "x/a"), TCP80);
    assert!(!e.allowed);
    assert!(e.egress.allowed && !e.egress.isolated);
}

#[test]
fn ip_to_ip_flows_are_exempt_on_both_sides() {
    let s = xy(vec![policy("x", "deny", all()).types(true, true)]);
    let e = explain(&s, ext("1.1.1.1"), ext("2.2.2.2"), TCP80);
    assert!(e.allowed);
    assert_eq!((e.egress.exemption, e.ingress.exemption), (Some(Exemption::External), Some(Exemption::External)));
}
