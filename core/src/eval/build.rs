//! A small builder for scenarios in unit tests, so evaluator tests do not
//! depend on the YAML parser. [`scenario`] also gives every policy, rule,
//! peer, selector and port entry distinct line numbers, laid out as the YAML
//! would be, so rendered explanations show realistic locations.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use crate::labels::{LabelSelector, Labels, Operator, Requirement, RequirementOrigin};
use crate::model::{
    ContainerPort, Endpoint, EndpointKind, IpBlock, Namespace, NetworkPolicy, Peer, PeerKind, PolicyApiVersion,
    PolicyTypes, PortRef, PortSpec, Protocol, Rule, Scenario,
};
use crate::span::{Loc, Span};

pub(crate) fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// `matchLabels` only.
pub(crate) fn sel(pairs: &[(&str, &str)]) -> LabelSelector {
    let requirements = pairs
        .iter()
        .map(|(k, v)| Requirement {
            key: k.to_string(),
            op: Operator::Equals,
            values: Vec::from([v.to_string()]),
            origin: RequirementOrigin::MatchLabels,
            span: Span::default(),
        })
        .collect();
    LabelSelector { requirements, span: Span::default() }
}

/// `{}`.
pub(crate) fn all() -> LabelSelector {
    LabelSelector::default()
}

/// `matchExpressions` only.
pub(crate) fn exprs(reqs: &[(&str, Operator, &[&str])]) -> LabelSelector {
    let requirements = reqs
        .iter()
        .enumerate()
        .map(|(i, (k, op, values))| Requirement {
            key: k.to_string(),
            op: *op,
            values: values.iter().map(|v| v.to_string()).collect(),
            origin: RequirementOrigin::MatchExpression(i),
            span: Span::default(),
        })
        .collect();
    LabelSelector { requirements, span: Span::default() }
}

pub(crate) fn ns(name: &str, pairs: &[(&str, &str)]) -> Namespace {
    Namespace { name: name.to_string(), labels: labels(pairs), span: None }
}

pub(crate) fn pod(namespace: &str, name: &str, pairs: &[(&str, &str)]) -> Endpoint {
    Endpoint {
        namespace: namespace.to_string(),
        name: name.to_string(),
        kind: EndpointKind::Pod,
        labels: labels(pairs),
        ips: Vec::new(),
        ports: Vec::new(),
        host_network: false,
        span: Span::default(),
    }
}

pub(crate) fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or(IpAddr::V4(core::net::Ipv4Addr::UNSPECIFIED))
}

pub(crate) fn net(s: &str) -> IpNet {
    s.parse().unwrap_or_default()
}

/// Fluent additions to an endpoint.
pub(crate) trait EndpointExt {
    fn ip(self, s: &str) -> Self;
    fn port(self, name: &str, port: u16, protocol: Protocol) -> Self;
    fn host_network(self) -> Self;
    fn kind(self, kind: EndpointKind) -> Self;
}

impl EndpointExt for Endpoint {
    fn ip(mut self, s: &str) -> Self {
        self.ips.push(ip(s));
        self
    }
    fn port(mut self, name: &str, port: u16, protocol: Protocol) -> Self {
        let name = (!name.is_empty()).then(|| name.to_string());
        self.ports.push(ContainerPort { name, port, protocol });
        self
    }
    fn host_network(mut self) -> Self {
        self.host_network = true;
        self
    }
    fn kind(mut self, kind: EndpointKind) -> Self {
        self.kind = kind;
        self
    }
}

/// A policy with only Ingress in `policyTypes` until `.egress(…)` adds a rule
/// (the parser's defaulting) or `.types(…)` sets them explicitly.
pub(crate) fn policy(namespace: &str, name: &str, pod_selector: LabelSelector) -> NetworkPolicy {
    NetworkPolicy {
        namespace: namespace.to_string(),
        name: name.to_string(),
        api_version: PolicyApiVersion::NetworkingV1,
        pod_selector,
        policy_types: PolicyTypes { ingress: true, egress: false, explicit: false },
        ingress: Vec::new(),
        egress: Vec::new(),
        span: Span::default(),
    }
}

pub(crate) trait PolicyExt {
    fn ingress(self, rule: Rule) -> Self;
    fn egress(self, rule: Rule) -> Self;
    fn types(self, ingress: bool, egress: bool) -> Self;
}

impl PolicyExt for NetworkPolicy {
    fn ingress(mut self, rule: Rule) -> Self {
        self.ingress.push(rule);
        self
    }
    fn egress(mut self, rule: Rule) -> Self {
        self.egress.push(rule);
        if !self.policy_types.explicit {
            self.policy_types.egress = true;
        }
        self
    }
    fn types(mut self, ingress: bool, egress: bool) -> Self {
        self.policy_types = PolicyTypes { ingress, egress, explicit: true };
        self
    }
}

pub(crate) fn rule() -> Rule {
    Rule { peers: Vec::new(), ports: Vec::new(), span: Span::default() }
}

pub(crate) trait RuleExt {
    fn peer(self, peer: Peer) -> Self;
    fn port(self, port: PortSpec) -> Self;
}

impl RuleExt for Rule {
    fn peer(mut self, peer: Peer) -> Self {
        self.peers.push(peer);
        self
    }
    fn port(mut self, port: PortSpec) -> Self {
        self.ports.push(port);
        self
    }
}

fn peer(kind: PeerKind) -> Peer {
    Peer { kind, span: Span::default() }
}

/// `podSelector` alone.
pub(crate) fn pods(s: LabelSelector) -> Peer {
    peer(PeerKind::Selectors { namespace_selector: None, pod_selector: Some(s) })
}

/// `namespaceSelector` alone.
pub(crate) fn nss(s: LabelSelector) -> Peer {
    peer(PeerKind::Selectors { namespace_selector: Some(s), pod_selector: None })
}

/// `namespaceSelector` AND `podSelector` in one entry.
pub(crate) fn nss_pods(n: LabelSelector, p: LabelSelector) -> Peer {
    peer(PeerKind::Selectors { namespace_selector: Some(n), pod_selector: Some(p) })
}

pub(crate) fn ipblock(cidr: &str, except: &[&str]) -> Peer {
    peer(PeerKind::IpBlock(IpBlock {
        cidr: net(cidr),
        cidr_span: Span::default(),
        except: except.iter().map(|e| net(e)).collect(),
        except_spans: except.iter().map(|_| Span::default()).collect(),
    }))
}

pub(crate) fn port(protocol: Protocol, n: u16) -> PortSpec {
    PortSpec { protocol, port: Some(PortRef::Number(n)), end_port: None, span: Span::default() }
}

pub(crate) fn tcp(n: u16) -> PortSpec {
    port(Protocol::Tcp, n)
}

pub(crate) fn range(protocol: Protocol, n: u16, end: u16) -> PortSpec {
    PortSpec { protocol, port: Some(PortRef::Number(n)), end_port: Some(end), span: Span::default() }
}

pub(crate) fn named(protocol: Protocol, name: &str) -> PortSpec {
    PortSpec { protocol, port: Some(PortRef::Name(String::from(name))), end_port: None, span: Span::default() }
}

pub(crate) fn any_port(protocol: Protocol) -> PortSpec {
    PortSpec { protocol, port: None, end_port: None, span: Span::default() }
}

/// A normalized scenario with synthetic line numbers on the policies.
pub(crate) fn scenario(namespaces: Vec<Namespace>, endpoints: Vec<Endpoint>, policies: Vec<NetworkPolicy>) -> Scenario {
    let mut s = Scenario { namespaces, endpoints, services: Vec::new(), policies, ..Default::default() };
    s.normalize();
    assign_lines(&mut s);
    s
}

/// Lines `first..=last` as a span ending at column 1 of the next line.
fn lines(first: u32, last: u32) -> Span {
    Span {
        source: 0,
        doc: 0,
        start: Loc { offset: 0, line: first, col: 1 },
        end: Loc { offset: 0, line: last + 1, col: 1 },
    }
}

fn selector_lines(sel: &mut LabelSelector, line: &mut u32) {
    let first = *line;
    *line += 1;
    for r in &mut sel.requirements {
        r.span = lines(*line, *line);
        *line += 1;
    }
    sel.span = lines(first, *line - 1);
}

/// Lays the policies out as consecutive YAML documents: header lines, then
/// `podSelector`, then each rule with its peers (one line per requirement)
/// and ports.
fn assign_lines(s: &mut Scenario) {
    let mut line = 1u32;
    for p in &mut s.policies {
        let first = line;
        line += 5; // apiVersion, kind, metadata, name, spec
        selector_lines(&mut p.pod_selector, &mut line);
        for rules in [&mut p.ingress, &mut p.egress] {
            line += 1; // ingress: / egress:
            for r in rules.iter_mut() {
                let rule_first = line;
                line += 1; // - from: / - to:
                for peer in &mut r.peers {
                    let peer_first = line;
                    match &mut peer.kind {
                        PeerKind::Selectors { namespace_selector, pod_selector } => {
                            if let Some(n) = namespace_selector {
                                selector_lines(n, &mut line);
                            }
                            if let Some(sel) = pod_selector {
                                selector_lines(sel, &mut line);
                            }
                        }
                        PeerKind::IpBlock(b) => {
                            line += 1; // ipBlock:
                            b.cidr_span = lines(line, line);
                            line += 2; // cidr, except:
                            for sp in &mut b.except_spans {
                                *sp = lines(line, line);
                                line += 1;
                            }
                        }
                    }
                    peer.span = lines(peer_first, line.saturating_sub(1).max(peer_first));
                }
                if !r.ports.is_empty() {
                    line += 1; // ports:
                }
                for port in &mut r.ports {
                    port.span = lines(line, line + 1);
                    line += 2;
                }
                r.span = lines(rule_first, line - 1);
            }
        }
        p.span = lines(first, line - 1);
        line += 1; // ---
    }
}
