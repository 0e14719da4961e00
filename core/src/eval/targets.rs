//! What front ends point flows at: endpoints named by text, a Service's
//! backends, and representative external addresses.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use crate::explain::FlowEnd;
use crate::model::{PeerKind, PortRef, Probe, Scenario};

/// Resolves what a person typed as a flow end: `namespace/name` (or a bare
/// `name`, in `default`) names an endpoint; an IP address is the endpoint that
/// owns it, if any, else an external address.
pub fn resolve_end(scenario: &Scenario, text: &str) -> Option<FlowEnd> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        let owner = scenario.endpoints.iter().position(|e| e.ips.contains(&ip));
        return Some(owner.map_or(FlowEnd::Ip(ip), FlowEnd::Endpoint));
    }
    let (namespace, name) = text.split_once('/').unwrap_or(("default", text));
    if name.is_empty() || name.contains('/') {
        return None;
    }
    scenario.endpoint_index(namespace, name).map(FlowEnd::Endpoint)
}

/// One backend of a Service for a probe on the Service's port: the endpoint
/// and the probe to evaluate against it (the `targetPort`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServiceTarget {
    /// The backend endpoint, by index.
    pub endpoint: usize,
    /// The probe on the backend: the service port mapped to `targetPort`.
    pub probe: Probe,
}

/// Maps a connection to Service `service` on `probe` (the Service's `port`) to
/// its backends: each endpoint the selector picks, with `targetPort` as a
/// number, or a name resolved on that backend's container ports with the
/// same protocol (backends that do not declare it are left out, as kube-proxy
/// would have no endpoint for them). Empty when the Service has no such port.
pub fn service_targets(scenario: &Scenario, service: usize, probe: Probe) -> Vec<ServiceTarget> {
    let Some(svc) = scenario.services.get(service) else { return Vec::new() };
    let Some(port) = svc.ports.iter().find(|p| p.port == probe.port && p.protocol == probe.protocol) else {
        return Vec::new();
    };
    scenario
        .service_backends(service)
        .into_iter()
        .filter_map(|endpoint| {
            let target = match &port.target_port {
                PortRef::Number(n) => *n,
                PortRef::Name(name) => scenario.endpoints.get(endpoint)?.resolve_named_port(name, port.protocol)?,
            };
            Some(ServiceTarget { endpoint, probe: Probe::new(port.protocol, target) })
        })
        .collect()
}

/// An external address standing for a group of addresses the policies treat
/// alike, for the graph to draw as a node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExternalNode {
    /// What the node stands for, e.g. `10.0.0.0/8 except 10.1.0.0/16` or
    /// `0.0.0.0/0 (other)`.
    pub label: String,
    /// The ipBlock CIDR it represents; `None` for "any other address".
    pub cidr: Option<IpNet>,
    /// The representative address to evaluate flows with.
    pub address: IpAddr,
}

/// One node per distinct ipBlock `cidr` any policy uses (with an address in
/// the CIDR and outside every `except` written with it; skipped when the
/// excepts cover it), plus one for "any other address" outside every CIDR.
///
/// Representatives avoid, when they can, addresses of more specific CIDRs
/// nested inside and addresses of endpoints, so each node shows how the
/// policies treat its own CIDR.
pub fn external_nodes(scenario: &Scenario) -> Vec<ExternalNode> {
    let mut cidrs: Vec<(IpNet, Vec<IpNet>)> = Vec::new();
    for policy in &scenario.policies {
        for rule in policy.ingress.iter().chain(&policy.egress) {
            for peer in &rule.peers {
                let PeerKind::IpBlock(block) = &peer.kind else { continue };
                let cidr = block.cidr.trunc();
                match cidrs.iter_mut().find(|(c, _)| *c == cidr) {
                    Some((_, excepts)) => excepts.extend(block.except.iter().map(IpNet::trunc)),
                    None => cidrs.push((cidr, block.except.iter().map(IpNet::trunc).collect())),
                }
            }
        }
    }
    // A sorted `Vec` (binary search), not a `BTreeSet`: a set type brings
    // its own B-tree code into the wasm.
    let pod_ips = crate::sort::sorted_unique(scenario.endpoints.iter().flat_map(|e| e.ips.iter().copied()).collect());
    let mut nodes = Vec::new();
    for (cidr, excepts) in &cidrs {
        let nested: Vec<IpNet> = cidrs.iter().map(|(c, _)| *c).filter(|c| c != cidr && cidr.contains(c)).collect();
        let mut candidates = Vec::from([offset(cidr.network(), 1), Some(cidr.network())]);
        for n in excepts.iter().chain(&nested) {
            candidates.push(offset(n.broadcast(), 1));
            candidates.push(offset(n.network(), -1));
        }
        let hard = |ip: &IpAddr| cidr.contains(ip) && !excepts.iter().any(|e| e.contains(ip));
        let soft =
            |ip: &IpAddr| hard(ip) && !nested.iter().any(|n| n.contains(ip)) && pod_ips.binary_search(ip).is_err();
        let candidates: Vec<IpAddr> = candidates.into_iter().flatten().collect();
        let Some(address) = candidates.iter().find(|ip| soft(ip)).or_else(|| candidates.iter().find(|ip| hard(ip)))
        else {
            continue;
        };
        let mut label = format!("{cidr}");
        for (i, e) in excepts.iter().enumerate() {
            label.push_str(if i == 0 { " except " } else { ", " });
            label.push_str(&format!("{e}"));
        }
        nodes.push(ExternalNode { label, cidr: Some(*cidr), address: *address });
    }
    let mut candidates: Vec<IpAddr> = Vec::from([
        IpAddr::V4(Ipv4Addr::new(203, 0, 113, 1)),
        IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1)),
        IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
    ]);
    for (c, _) in &cidrs {
        candidates.extend(offset(c.broadcast(), 1));
        candidates.extend(offset(c.network(), -1));
    }
    // The lowest free address is 0.0.0.0 (or ::) or right after some CIDR, so
    // these candidates find one whenever one exists.
    candidates.push(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    candidates.push(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    let outside = |ip: &IpAddr| !cidrs.iter().any(|(c, _)| c.contains(ip));
    let other = candidates
        .iter()
        .find(|ip| outside(ip) && pod_ips.binary_search(ip).is_err())
        .or_else(|| candidates.iter().find(|ip| outside(ip)));
    if let Some(address) = other {
        nodes.push(ExternalNode { label: String::from("0.0.0.0/0 (other)"), cidr: None, address: *address });
    }
    nodes
}

/// `ip + delta` in its own family, if it does not wrap.
fn offset(ip: IpAddr, delta: i8) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(v4) => {
            let n = u32::from(v4);
            let n = if delta >= 0 {
                n.checked_add(delta.unsigned_abs().into())
            } else {
                n.checked_sub(delta.unsigned_abs().into())
            };
            n.map(|n| IpAddr::V4(Ipv4Addr::from(n)))
        }
        IpAddr::V6(v6) => {
            let n = u128::from(v6);
            let n = if delta >= 0 {
                n.checked_add(delta.unsigned_abs().into())
            } else {
                n.checked_sub(delta.unsigned_abs().into())
            };
            n.map(|n| IpAddr::V6(Ipv6Addr::from(n)))
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use super::*;
    use crate::eval::build::*;
    use crate::eval::is_allowed;
    use crate::explain::Flow;
    use crate::model::{Protocol, Service, ServicePort};
    use crate::span::Span;

    fn cluster() -> Scenario {
        let mut s = scenario(
            vec![ns("shop", &[])],
            vec![
                pod("shop", "api-1", &[("app", "api")]).ip("10.0.0.5").port("web", 8080, Protocol::Tcp),
                pod("shop", "api-2", &[("app", "api")]).ip("10.0.0.6").port("web", 9090, Protocol::Tcp),
                pod("shop", "api-3", &[("app", "api")]).ip("10.0.0.7").port("web", 53, Protocol::Udp),
                pod("shop", "db", &[("app", "db")]).ip("10.1.2.3"),
            ],
            vec![policy("shop", "p", all())
                .ingress(rule().peer(ipblock("10.0.0.0/8", &["10.0.0.0/24"])))
                .ingress(rule().peer(ipblock("10.1.0.0/16", &[])))
                .ingress(rule().peer(ipblock("192.168.0.0/30", &["192.168.0.0/31", "192.168.0.2/31"])))],
        );
        s.services.push(Service {
            namespace: "shop".to_string(),
            name: "api".to_string(),
            selector: Some(labels(&[("app", "api")])),
            ports: vec![
                ServicePort { name: None, port: 80, protocol: Protocol::Tcp, target_port: PortRef::Name("web".into()) },
                ServicePort { name: None, port: 81, protocol: Protocol::Tcp, target_port: PortRef::Number(7000) },
            ],
            cluster_ip: None,
            span: Span::default(),
        });
        s
    }

    #[test]
    fn resolve_end_finds_endpoints_by_name_or_ip() {
        let s = cluster();
        assert_eq!(resolve_end(&s, "shop/db"), Some(FlowEnd::Endpoint(3)));
        assert_eq!(resolve_end(&s, " 10.0.0.6 "), Some(FlowEnd::Endpoint(1)));
        assert_eq!(resolve_end(&s, "8.8.8.8"), Some(FlowEnd::Ip(ip("8.8.8.8"))));
        assert_eq!(resolve_end(&s, "shop/nope"), None);
        assert_eq!(resolve_end(&s, "a/b/c"), None);
        assert_eq!(resolve_end(&s, ""), None);
    }

    #[test]
    fn service_port_maps_to_target_port_per_backend() {
        // Service.spec.ports[].targetPort: "Number or name of the port to access on the
        // pods targeted by the service"; a name is looked up in each pod's container ports.
        let s = cluster();
        let t = service_targets(&s, 0, Probe::new(Protocol::Tcp, 80));
        assert_eq!(
            t,
            vec![
                ServiceTarget { endpoint: 0, probe: Probe::new(Protocol::Tcp, 8080) },
                ServiceTarget { endpoint: 1, probe: Probe::new(Protocol::Tcp, 9090) },
            ],
            "api-3 declares `web` only for UDP"
        );
        let t = service_targets(&s, 0, Probe::new(Protocol::Tcp, 81));
        assert_eq!(t.iter().map(|t| t.probe.port).collect::<vec::Vec<_>>(), vec![7000, 7000, 7000]);
        assert!(service_targets(&s, 0, Probe::new(Protocol::Udp, 80)).is_empty());
        assert!(service_targets(&s, 7, Probe::new(Protocol::Tcp, 80)).is_empty());
    }

    #[test]
    fn external_nodes_pick_addresses_each_block_admits_and_one_outside_all() {
        let s = cluster();
        let nodes = external_nodes(&s);
        let labels: vec::Vec<&str> = nodes.iter().map(|n| n.label.as_str()).collect();
        // 192.168.0.0/30 minus both halves has no address left: skipped.
        assert_eq!(labels, vec!["10.0.0.0/8 except 10.0.0.0/24", "10.1.0.0/16", "0.0.0.0/0 (other)"]);
        let probe = Probe::new(Protocol::Tcp, 80);
        for node in &nodes {
            let to_db = Flow { from: FlowEnd::Ip(node.address), to: FlowEnd::Endpoint(3), probe };
            // Every CIDR's representative is admitted; the "other" one is not.
            assert_eq!(is_allowed(&s, &to_db), node.cidr.is_some(), "{}", node.label);
            assert!(!s.endpoints.iter().any(|e| e.ips.contains(&node.address)));
        }
        // The /8's representative avoids the nested /16 and the excepted /24.
        let wide = nodes.first().map(|n| n.address);
        assert!(wide.is_some_and(|a| !net("10.1.0.0/16").contains(&a) && !net("10.0.0.0/24").contains(&a)));
    }
}
