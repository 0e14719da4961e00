//! The `ingress`/`egress` rules of a cluster policy: `name`, `action`, the
//! peers (`from`/`to`) and the port matches (`ports` in v1alpha1,
//! `protocols` in v1alpha2), each with the CRD's validation.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::str::FromStr;

use ipnet::IpNet;

use super::super::ctx::{Ctx, Unknown, P};
use super::super::selector::selector;
use super::super::tree::Node;
use super::super::validate::{port_name, port_number};
use super::namespaced_pod;
use crate::model::{
    ClusterAction, ClusterPeer, ClusterPeerKind, ClusterPolicyApi, ClusterPort, ClusterPortKind, ClusterRule,
    Direction, Protocol,
};

/// The most rules, peers or port entries a list may hold: 25 in v1alpha2,
/// 100 in v1alpha1 (the CRDs' `MaxItems`).
fn max_items(api: ClusterPolicyApi) -> usize {
    match api {
        ClusterPolicyApi::ClusterNetworkPolicy => 25,
        _ => 100,
    }
}

/// Reads `spec.ingress` / `spec.egress`.
pub(super) fn rules(
    ctx: &mut Ctx<'_>,
    api: ClusterPolicyApi,
    direction: Direction,
    node: Option<&Node>,
    path: &P<'_>,
) -> Vec<ClusterRule> {
    let Some(items) = node.and_then(|n| ctx.seq(n, path)) else { return Vec::new() };
    if items.len() > max_items(api) {
        if let Some(n) = node {
            ctx.error(n.span, path, format!("at most {} rules are allowed, found {}", max_items(api), items.len()));
        }
    }
    items.iter().enumerate().filter_map(|(i, item)| rule(ctx, api, direction, item, &path.index(i))).collect()
}

fn rule(
    ctx: &mut Ctx<'_>,
    api: ClusterPolicyApi,
    direction: Direction,
    node: &Node,
    path: &P<'_>,
) -> Option<ClusterRule> {
    let before = ctx.errors;
    let ports_field = match api {
        ClusterPolicyApi::ClusterNetworkPolicy => "protocols",
        _ => "ports",
    };
    let peers_field = direction.peers_field();
    let other_peers = match direction {
        Direction::Ingress => "to",
        Direction::Egress => "from",
    };
    let hints: &[(&str, &str)] = match (api, direction) {
        (ClusterPolicyApi::ClusterNetworkPolicy, _) => {
            &[("ports", "ClusterNetworkPolicy matches ports under `protocols`, e.g. `protocols: [{tcp: {destinationPort: {number: 80}}}]`")]
        }
        (_, _) => &[("protocols", "v1alpha1 kinds match ports under `ports`, e.g. `ports: [{portNumber: {port: 80}}]`")],
    };
    let [name, action, peers, ports, wrong] =
        ctx.fields(node, path, ["name", "action", peers_field, ports_field, other_peers], Unknown::Reject(hints))?;
    if let Some(w) = wrong {
        ctx.error(
            w.span,
            &path.field(other_peers),
            format!("{} rules list their peers under `{peers_field}`", direction.as_str()),
        );
    }
    let name = name.and_then(|n| {
        let np = path.field("name");
        let s = ctx.string(n, &np)?;
        if s.chars().count() > 100 {
            ctx.error(n.span, &np, "a rule name may be at most 100 characters long");
        }
        Some(String::from(s))
    });
    let action = match action.filter(|a| !a.is_null()) {
        Some(a) => self::action(ctx, api, a, &path.field("action")),
        None => {
            ctx.error(node.span, &path.field("action"), format!("`action` is required: {}", actions(api)));
            None
        }
    };
    let pp = path.field(peers_field);
    let peers = match peers.and_then(|p| ctx.seq(p, &pp).map(|items| (p, items))) {
        Some((p, items)) if !items.is_empty() => {
            if items.len() > max_items(api) {
                ctx.error(p.span, &pp, format!("at most {} peers are allowed, found {}", max_items(api), items.len()));
            }
            items.iter().enumerate().filter_map(|(j, item)| peer(ctx, direction, item, &pp.index(j))).collect()
        }
        _ => {
            ctx.error(
                peers.map_or(node.span, |p| p.span),
                &pp,
                format!("`{peers_field}` is required and must list at least one peer (there is no \"every peer\" shorthand here)"),
            );
            Vec::new()
        }
    };
    let portp = path.field(ports_field);
    let ports = match ports.and_then(|p| ctx.seq(p, &portp).map(|items| (p, items))) {
        Some((p, [])) => {
            ctx.error(
                p.span,
                &portp,
                format!("`{ports_field}` must list at least one entry; omit it to match every port"),
            );
            Vec::new()
        }
        Some((_, items)) => items
            .iter()
            .enumerate()
            .filter_map(|(k, item)| match api {
                ClusterPolicyApi::ClusterNetworkPolicy => protocol_entry(ctx, item, &portp.index(k)),
                _ => port_entry(ctx, item, &portp.index(k)),
            })
            .collect(),
        None => Vec::new(),
    };
    let named = ports.iter().any(|p: &ClusterPort| matches!(p.kind, ClusterPortKind::Named(_)));
    let addresses =
        peers.iter().any(|p: &ClusterPeer| matches!(p.kind, ClusterPeerKind::Networks(..) | ClusterPeerKind::Nodes(_)));
    if named && addresses {
        ctx.error(
            node.span,
            &portp,
            "networks/nodes peers cannot be combined with named ports: addresses outside pods have no named ports",
        );
    }
    if ctx.errors > before {
        return None;
    }
    Some(ClusterRule { name, action: action?, peers, ports, span: node.span })
}

fn actions(api: ClusterPolicyApi) -> &'static str {
    match api {
        ClusterPolicyApi::ClusterNetworkPolicy => "`Accept`, `Deny` or `Pass`",
        ClusterPolicyApi::AdminNetworkPolicy => "`Allow`, `Deny` or `Pass`",
        ClusterPolicyApi::BaselineAdminNetworkPolicy => "`Allow` or `Deny`",
    }
}

fn action(ctx: &mut Ctx<'_>, api: ClusterPolicyApi, node: &Node, path: &P<'_>) -> Option<ClusterAction> {
    let s = ctx.string(node, path)?;
    let parsed = match (api, s) {
        (ClusterPolicyApi::ClusterNetworkPolicy, "Accept") => Some(ClusterAction::Accept),
        (ClusterPolicyApi::AdminNetworkPolicy | ClusterPolicyApi::BaselineAdminNetworkPolicy, "Allow") => {
            Some(ClusterAction::Accept)
        }
        (ClusterPolicyApi::ClusterNetworkPolicy | ClusterPolicyApi::AdminNetworkPolicy, "Pass") => {
            Some(ClusterAction::Pass)
        }
        (_, "Deny") => Some(ClusterAction::Deny),
        _ => None,
    };
    if parsed.is_none() {
        let hint = match (api, s) {
            (ClusterPolicyApi::ClusterNetworkPolicy, "Allow") => "; ClusterNetworkPolicy spells it `Accept`",
            (_, "Accept") => "; v1alpha1 kinds spell it `Allow`",
            (ClusterPolicyApi::BaselineAdminNetworkPolicy, "Pass") => {
                "; the baseline tier is the last one, there is nothing to pass to"
            }
            _ => "",
        };
        ctx.error(node.span, path, format!("unsupported action `{s}`: {} expects {}{hint}", api.kind(), actions(api)));
    }
    parsed
}

/// One peer: exactly one of `namespaces`, `pods`, and for egress `networks`,
/// `nodes` (and `domainNames`, which cannot be evaluated offline).
fn peer(ctx: &mut Ctx<'_>, direction: Direction, node: &Node, path: &P<'_>) -> Option<ClusterPeer> {
    const HINTS: &[(&str, &str)] = &[
        ("namespaceSelector", "write `namespaces: {matchLabels: …}` (a namespace selector)"),
        ("podSelector", "write `pods: {namespaceSelector: {}, podSelector: …}`"),
        ("ipBlock", "addresses are matched with `networks: [CIDR, …]` (egress only)"),
    ];
    let [namespaces, pods, networks, nodes, domains] =
        ctx.fields(node, path, ["namespaces", "pods", "networks", "nodes", "domainNames"], Unknown::Reject(HINTS))?;
    let set: Vec<(&str, &Node)> = [
        ("namespaces", namespaces),
        ("pods", pods),
        ("networks", networks),
        ("nodes", nodes),
        ("domainNames", domains),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let [(field, value)] = set.as_slice() else {
        ctx.error(
            node.span,
            path,
            "set exactly one of `namespaces`, `pods`, `networks`, `nodes` or `domainNames` in a peer",
        );
        return None;
    };
    let fp = path.field(field);
    if direction == Direction::Ingress && matches!(*field, "networks" | "nodes" | "domainNames") {
        ctx.error(value.span, &fp, format!("`{field}` peers are only allowed in egress rules"));
        return None;
    }
    let kind = match *field {
        "namespaces" => ClusterPeerKind::Namespaces(selector(ctx, value, &fp)?),
        "pods" => {
            let (namespace_selector, pod_selector) = namespaced_pod(ctx, value, &fp)?;
            ClusterPeerKind::Pods { namespace_selector, pod_selector }
        }
        "nodes" => {
            let sel = selector(ctx, value, &fp)?;
            ctx.warn(value.span, &fp, "the scenario has no Node objects, so this `nodes` peer matches nothing here");
            ClusterPeerKind::Nodes(sel)
        }
        "networks" => self::networks(ctx, value, &fp)?,
        _ => {
            ctx.warn(
                value.span,
                &fp,
                "`domainNames` are resolved by DNS at run time and cannot be evaluated here: this peer is ignored",
            );
            return None;
        }
    };
    Some(ClusterPeer { kind, span: node.span })
}

fn networks(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<ClusterPeerKind> {
    let items = ctx.seq(node, path)?;
    if items.is_empty() || items.len() > 25 {
        ctx.error(node.span, path, format!("`networks` must list 1 to 25 CIDRs, found {}", items.len()));
        return None;
    }
    let mut nets = Vec::new();
    let mut spans = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let ip = path.index(i);
        let Some(s) = ctx.string(item, &ip) else { continue };
        match IpNet::from_str(s) {
            Ok(n) => {
                nets.push(n);
                spans.push(item.span);
            }
            Err(_) => ctx.error(item.span, &ip, format!("`{s}` is not a CIDR such as 10.0.0.0/8 or fd00::/8")),
        }
    }
    (nets.len() == items.len()).then_some(ClusterPeerKind::Networks(nets, spans))
}

/// A port number field (1–65535).
fn number(ctx: &mut Ctx<'_>, node: Option<&Node>, parent: &Node, path: &P<'_>) -> Option<u16> {
    let Some(n) = node.filter(|n| !n.is_null()) else {
        ctx.error(parent.span, path, "a port number is required");
        return None;
    };
    let v = ctx.int(n, path)?;
    match port_number(v) {
        Ok(p) => Some(p),
        Err(e) => {
            ctx.error(n.span, path, e);
            None
        }
    }
}

/// `protocol` (default TCP).
fn protocol(ctx: &mut Ctx<'_>, node: Option<&Node>, path: &P<'_>) -> Option<Protocol> {
    let Some(n) = node.filter(|n| !n.is_null()) else { return Some(Protocol::Tcp) };
    let s = ctx.string(n, path)?;
    let p = Protocol::from_api(s);
    if p.is_none() {
        ctx.error(n.span, path, format!("unsupported protocol `{s}`: use TCP, UDP or SCTP"));
    }
    p
}

/// A range whose `start` must be below `end` (CEL: "Start port must be less
/// than End port").
fn range(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>, start: Option<&Node>, end: Option<&Node>) -> Option<(u16, u16)> {
    let s = number(ctx, start, node, &path.field("start"));
    let e = number(ctx, end, node, &path.field("end"));
    let (s, e) = (s?, e?);
    if s >= e {
        ctx.error(node.span, path, format!("start port {s} must be less than end port {e}"));
        return None;
    }
    Some((s, e))
}

fn named(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<ClusterPortKind> {
    let s = ctx.string(node, path)?;
    if let Err(e) = port_name(s) {
        ctx.error(node.span, path, e);
        return None;
    }
    Some(ClusterPortKind::Named(String::from(s)))
}

/// v1alpha1 `ports[k]`: exactly one of `portNumber {protocol, port}`,
/// `namedPort`, `portRange {protocol, start, end}`.
fn port_entry(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<ClusterPort> {
    const HINTS: &[(&str, &str)] = &[("port", "write `portNumber: {protocol: TCP, port: 80}`")];
    let [number_node, named_node, range_node] =
        ctx.fields(node, path, ["portNumber", "namedPort", "portRange"], Unknown::Reject(HINTS))?;
    let kind = match (number_node, named_node, range_node) {
        (Some(n), None, None) => {
            let p = path.field("portNumber");
            let [proto, port] = ctx.fields(n, &p, ["protocol", "port"], Unknown::Reject(&[]))?;
            let protocol = protocol(ctx, proto, &p.field("protocol"));
            let port = number(ctx, port, n, &p.field("port"));
            ClusterPortKind::Number(protocol?, port?)
        }
        (None, Some(n), None) => named(ctx, n, &path.field("namedPort"))?,
        (None, None, Some(n)) => {
            let p = path.field("portRange");
            let [proto, start, end] = ctx.fields(n, &p, ["protocol", "start", "end"], Unknown::Reject(&[]))?;
            let protocol = protocol(ctx, proto, &p.field("protocol"));
            let r = range(ctx, n, &p, start, end);
            let (s, e) = r?;
            ClusterPortKind::Range(protocol?, s, e)
        }
        _ => {
            ctx.error(node.span, path, "set exactly one of `portNumber`, `namedPort` or `portRange`");
            return None;
        }
    };
    Some(ClusterPort { kind, span: node.span })
}

/// v1alpha2 `protocols[k]`: exactly one of `tcp`, `udp`, `sctp` (each with
/// `destinationPort: {number | range}`) or `destinationNamedPort`.
fn protocol_entry(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<ClusterPort> {
    const HINTS: &[(&str, &str)] = &[
        ("portNumber", "write `tcp: {destinationPort: {number: 80}}`"),
        ("namedPort", "write `destinationNamedPort: NAME`"),
        ("port", "write `tcp: {destinationPort: {number: 80}}`"),
    ];
    let [tcp, udp, sctp, named_node] =
        ctx.fields(node, path, ["tcp", "udp", "sctp", "destinationNamedPort"], Unknown::Reject(HINTS))?;
    let kind = match (tcp, udp, sctp, named_node) {
        (Some(n), None, None, None) => destination_port(ctx, Protocol::Tcp, n, &path.field("tcp"))?,
        (None, Some(n), None, None) => destination_port(ctx, Protocol::Udp, n, &path.field("udp"))?,
        (None, None, Some(n), None) => destination_port(ctx, Protocol::Sctp, n, &path.field("sctp"))?,
        (None, None, None, Some(n)) => named(ctx, n, &path.field("destinationNamedPort"))?,
        _ => {
            ctx.error(node.span, path, "set exactly one of `tcp`, `udp`, `sctp` or `destinationNamedPort`");
            return None;
        }
    };
    Some(ClusterPort { kind, span: node.span })
}

fn destination_port(ctx: &mut Ctx<'_>, protocol: Protocol, node: &Node, path: &P<'_>) -> Option<ClusterPortKind> {
    let [dp] = ctx.fields(node, path, ["destinationPort"], Unknown::Reject(&[]))?;
    let p = path.field("destinationPort");
    let Some(dp) = dp.filter(|d| !d.is_null()) else {
        ctx.error(
            node.span,
            &p,
            "`destinationPort` is required: `{number: 80}` or `{range: {start: 8000, end: 8080}}`",
        );
        return None;
    };
    let [num, rng] = ctx.fields(dp, &p, ["number", "range"], Unknown::Reject(&[]))?;
    match (num, rng) {
        (Some(n), None) => Some(ClusterPortKind::Number(protocol, number(ctx, Some(n), dp, &p.field("number"))?)),
        (None, Some(r)) => {
            let rp = p.field("range");
            let [start, end] = ctx.fields(r, &rp, ["start", "end"], Unknown::Reject(&[]))?;
            let (s, e) = range(ctx, r, &rp, start, end)?;
            Some(ClusterPortKind::Range(protocol, s, e))
        }
        _ => {
            ctx.error(dp.span, &p, "set exactly one of `number` or `range`");
            None
        }
    }
}
