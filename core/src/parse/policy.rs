//! `NetworkPolicy` documents into [`NetworkPolicy`], validated as
//! `ValidateNetworkPolicySpec` (k8s.io/kubernetes
//! pkg/apis/networking/validation/validation.go) and defaulted as
//! `SetDefaults_NetworkPolicy` (pkg/apis/networking/v1/defaults.go) do.
//!
//! Unlike other kinds, unknown fields anywhere under `spec` are errors: a
//! misspelt `podSelector` silently selecting every pod is exactly the bug a
//! playground must catch.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;
use core::str::FromStr;

use ipnet::IpNet;

use super::ctx::{Ctx, Unknown, P};
use super::selector::selector;
use super::tree::{Node, NodeKind, Style, Value};
use super::validate::{port_name, port_number};
use crate::labels::LabelSelector;
use crate::model::{
    Direction, IpBlock, NetworkPolicy, Peer, PeerKind, PolicyApiVersion, PolicyTypes, PortRef, PortSpec, Protocol, Rule,
};

const SPEC_FIELDS: [&str; 4] = ["podSelector", "policyTypes", "ingress", "egress"];
const PEER_FIELDS: [&str; 3] = ["podSelector", "namespaceSelector", "ipBlock"];
const PORT_FIELDS: [&str; 3] = ["protocol", "port", "endPort"];
const IPBLOCK_FIELDS: [&str; 2] = ["cidr", "except"];

const SPEC_HINTS: &[(&str, &str)] = &[
    ("from", "`from` goes inside an `ingress` rule: `ingress: [{from: [...]}]`"),
    ("to", "`to` goes inside an `egress` rule: `egress: [{to: [...]}]`"),
    ("ports", "`ports` goes inside an `ingress` or `egress` rule"),
    (
        "namespaceSelector",
        "a policy always applies to its own namespace; `namespaceSelector` belongs in a `from`/`to` entry",
    ),
];
const INGRESS_HINTS: &[(&str, &str)] =
    &[("to", "ingress rules list their peers under `from`; `to` is for egress rules")];
const EGRESS_HINTS: &[(&str, &str)] =
    &[("from", "egress rules list their peers under `to`; `from` is for ingress rules")];
const PEER_HINTS: &[(&str, &str)] = &[
    ("ports", "`ports` belongs to the rule, next to `from`/`to`, not inside one of its entries"),
    (
        "namespace",
        "select namespaces by label: `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: NAME}}`",
    ),
];

/// Converts a NetworkPolicy object; `None` when the API server would reject
/// it.
pub(crate) fn policy(
    ctx: &mut Ctx<'_>,
    obj: &Node,
    api_version: PolicyApiVersion,
    namespace: String,
    name: String,
) -> Option<NetworkPolicy> {
    let before = ctx.errors;
    let root = P::ROOT;
    for key in SPEC_FIELDS {
        if let Some((k, _)) = entry(obj, key) {
            ctx.error(k.span, &root.field(key), format!("`{key}` must be inside `spec`"));
        }
    }
    let spec_path = root.field("spec");
    let spec_node = obj.get("spec");
    let fields = match spec_node {
        Some(s) => ctx.fields(s, &spec_path, SPEC_FIELDS, Unknown::Reject(SPEC_HINTS))?,
        None => [None; 4],
    };
    let [pod_selector, policy_types, ingress, egress] = fields;
    if spec_node.is_none_or(Node::is_null) {
        ctx.warn(
            obj.span,
            &spec_path,
            format!("this policy has no `spec`: it selects every pod in namespace `{namespace}` and denies all their incoming traffic"),
        );
    }
    let spec_span = spec_node.map_or(obj.span, |s| s.span);
    let ps_path = spec_path.field("podSelector");
    let pod_selector = match pod_selector {
        Some(n) if !n.is_null() => selector(ctx, n, &ps_path),
        _ => Some(LabelSelector::everything(spec_span)),
    };
    let ingress_rules = rules(ctx, ingress, &spec_path.field("ingress"), Direction::Ingress);
    let egress_path = spec_path.field("egress");
    let egress_rules = rules(ctx, egress, &egress_path, Direction::Egress);
    let policy_types = types(ctx, policy_types, &spec_path.field("policyTypes"), !egress_rules.is_empty());
    if ctx.errors != before {
        return None;
    }
    Some(NetworkPolicy {
        namespace,
        name,
        api_version,
        pod_selector: pod_selector?,
        policy_types,
        ingress: ingress_rules,
        egress: egress_rules,
        span: obj.span,
    })
}

fn entry<'n>(obj: &'n Node, key: &str) -> Option<&'n (Node, Node)> {
    match &obj.kind {
        NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.text() == Some(key)),
        _ => None,
    }
}

/// `spec.policyTypes`, defaulted when absent or empty: Ingress always, Egress
/// when `spec.egress` has at least one rule (`len(Spec.Egress) != 0`).
fn types(ctx: &mut Ctx<'_>, node: Option<&Node>, path: &P<'_>, has_egress: bool) -> PolicyTypes {
    let defaulted = PolicyTypes { ingress: true, egress: has_egress, explicit: false };
    let Some(items) = node.and_then(|n| ctx.seq(n, path)) else {
        return defaulted;
    };
    if items.is_empty() {
        return defaulted;
    }
    let mut t = PolicyTypes { ingress: false, egress: false, explicit: true };
    if items.len() > 2 {
        if let Some(n) = node {
            ctx.error(n.span, path, "may not list more than two policyTypes (`Ingress`, `Egress`)");
        }
        return t;
    }
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        match ctx.string(item, &p) {
            Some("Ingress") => t.ingress = true,
            Some("Egress") => t.egress = true,
            Some(other) => {
                let fix = ["Ingress", "Egress"]
                    .iter()
                    .find(|v| v.eq_ignore_ascii_case(other))
                    .map(|v| format!(" (write `{v}`)"))
                    .unwrap_or_default();
                ctx.error(
                    item.span,
                    &p,
                    format!("unsupported policy type `{other}`{fix}: it must be `Ingress` or `Egress`"),
                );
            }
            None => {
                if item.is_null() {
                    ctx.error(item.span, &p, "empty policy type: it must be `Ingress` or `Egress`");
                }
            }
        }
    }
    t
}

fn rules(ctx: &mut Ctx<'_>, node: Option<&Node>, path: &P<'_>, dir: Direction) -> Vec<Rule> {
    let Some(items) = node.and_then(|n| ctx.seq(n, path)) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        if let Some(r) = rule(ctx, item, &p, dir) {
            out.push(r);
        }
    }
    out
}

fn rule(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>, dir: Direction) -> Option<Rule> {
    let (known, hints) = match dir {
        Direction::Ingress => (["from", "ports"], INGRESS_HINTS),
        Direction::Egress => (["to", "ports"], EGRESS_HINTS),
    };
    let [peers, ports] = ctx.fields(node, path, known, Unknown::Reject(hints))?;
    let peers_path = path.field(dir.peers_field());
    let mut out_peers = Vec::new();
    for (j, item) in peers.and_then(|n| ctx.seq(n, &peers_path)).unwrap_or(&[]).iter().enumerate() {
        let p = peers_path.index(j);
        if let Some(peer) = peer(ctx, item, &p) {
            out_peers.push(peer);
        }
    }
    let ports_path = path.field("ports");
    let mut out_ports = Vec::new();
    for (k, item) in ports.and_then(|n| ctx.seq(n, &ports_path)).unwrap_or(&[]).iter().enumerate() {
        let p = ports_path.index(k);
        if let Some(port) = port(ctx, item, &p) {
            out_ports.push(port);
        }
    }
    Some(Rule { peers: out_peers, ports: out_ports, span: node.span })
}

/// `ValidateNetworkPolicyPeer`: at least one field; `ipBlock` alone.
fn peer(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<Peer> {
    let [pod, ns, ip] = ctx.fields(node, path, PEER_FIELDS, Unknown::Reject(PEER_HINTS))?;
    let present = |n: Option<&Node>| n.is_some_and(|n| !n.is_null());
    let count = [pod, ns, ip].into_iter().filter(|n| present(*n)).count();
    if count == 0 {
        let null_field = PEER_FIELDS.iter().zip([pod, ns, ip]).find(|(_, n)| n.is_some()).map(|(f, _)| *f);
        let message = match null_field {
            Some(f) => format!("`{f}` is empty (null), so this entry selects nothing and the API server rejects it; write `{f}: {{}}` to match everything"),
            None => String::from("an entry must set at least one of `podSelector`, `namespaceSelector` or `ipBlock`; to allow every peer, leave out the whole list"),
        };
        ctx.error(node.span, path, message);
        return None;
    }
    if present(ip) && count > 1 {
        ctx.error(
            node.span,
            path,
            "`ipBlock` may not be combined with `podSelector` or `namespaceSelector` in one entry; make them separate entries of the list",
        );
        return None;
    }
    if let Some(ip) = ip.filter(|n| !n.is_null()) {
        let block = ip_block(ctx, ip, &path.field("ipBlock"))?;
        return Some(Peer { kind: PeerKind::IpBlock(block), span: node.span });
    }
    let before = ctx.errors;
    let pod_selector = pod.filter(|n| !n.is_null()).and_then(|n| selector(ctx, n, &path.field("podSelector")));
    let namespace_selector =
        ns.filter(|n| !n.is_null()).and_then(|n| selector(ctx, n, &path.field("namespaceSelector")));
    (ctx.errors == before)
        .then_some(Peer { kind: PeerKind::Selectors { namespace_selector, pod_selector }, span: node.span })
}

/// Parses a CIDR as `netutils.ParseCIDRSloppy` does: host bits allowed (the
/// API keeps the value and warns), IPv4 octets and the prefix length may have
/// leading zeros. Returns the network and whether host bits were set.
pub(crate) fn parse_cidr(s: &str) -> Result<(IpNet, bool), String> {
    let net = match IpNet::from_str(s) {
        Ok(n) => n,
        Err(_) => {
            let Some((addr, len)) = s.split_once('/') else {
                return Err(format!("`{s}` is not a CIDR: add a prefix length, e.g. `{s}/32` for one IPv4 address"));
            };
            let addr = parse_ip_sloppy(addr)
                .ok_or_else(|| format!("`{s}` is not a valid CIDR: `{addr}` is not an IP address"))?;
            let len: u8 = if !len.is_empty() && len.len() <= 5 && len.bytes().all(|b| b.is_ascii_digit()) {
                len.parse().map_err(|_| format!("`{s}` is not a valid CIDR: bad prefix length `{len}`"))?
            } else {
                return Err(format!("`{s}` is not a valid CIDR: bad prefix length `{len}`"));
            };
            IpNet::new(addr, len).map_err(|_| format!("`{s}` is not a valid CIDR: prefix length {len} is too long"))?
        }
    };
    let host_bits = net.addr() != net.network();
    Ok((net.trunc(), host_bits))
}

/// An IP address, allowing leading zeros in IPv4 octets (read as decimal),
/// as Kubernetes' legacy "sloppy" parsing does.
fn parse_ip_sloppy(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = IpAddr::from_str(s) {
        return Some(ip);
    }
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut octets {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = p.parse().ok()?;
    }
    parts.next().is_none().then_some(IpAddr::from(octets))
}

/// `ValidateIPBlock`: a valid `cidr`, and every `except` a valid CIDR of the
/// same family strictly inside it.
fn ip_block(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<IpBlock> {
    let before = ctx.errors;
    let [cidr, except] = ctx.fields(node, path, IPBLOCK_FIELDS, Unknown::Reject(&[]))?;
    let cp = path.field("cidr");
    let Some((cidr_node, cidr_str)) = cidr.and_then(|c| ctx.string(c, &cp).map(|s| (c, s))) else {
        if cidr.is_none_or(Node::is_null) {
            ctx.error(node.span, &cp, "`cidr` is required, e.g. `cidr: 10.0.0.0/8`");
        }
        return None;
    };
    let cidr = match parse_cidr(cidr_str) {
        Ok((net, host_bits)) => {
            if host_bits {
                ctx.warn(
                    cidr_node.span,
                    &cp,
                    format!("`{cidr_str}` has host bits set; the API server accepts it and uses `{net}`"),
                );
            }
            Some(net)
        }
        Err(e) => {
            ctx.error(cidr_node.span, &cp, e);
            None
        }
    };
    let ep = path.field("except");
    let mut excepts = Vec::new();
    let mut spans = Vec::new();
    for (k, item) in except.and_then(|e| ctx.seq(e, &ep)).unwrap_or(&[]).iter().enumerate() {
        let p = ep.index(k);
        let Some(s) = ctx.string(item, &p) else {
            if item.is_null() {
                ctx.error(item.span, &p, "empty `except` entry: write a CIDR");
            }
            continue;
        };
        let net = match parse_cidr(s) {
            Ok((net, _)) => net,
            Err(e) => {
                ctx.error(item.span, &p, e);
                continue;
            }
        };
        if let Some(c) = cidr {
            let same_family = matches!((c, net), (IpNet::V4(_), IpNet::V4(_)) | (IpNet::V6(_), IpNet::V6(_)));
            if !same_family {
                ctx.error(item.span, &p, format!("`{s}` and cidr `{c}` are of different IP families"));
                continue;
            }
            if !(c.contains(&net.network()) && c.prefix_len() < net.prefix_len()) {
                ctx.error(
                    item.span,
                    &p,
                    format!("`{s}` must be strictly inside cidr `{c}` (a smaller block within it)"),
                );
                continue;
            }
        }
        excepts.push(net);
        spans.push(item.span);
    }
    if ctx.errors != before {
        return None;
    }
    Some(IpBlock { cidr: cidr?, cidr_span: cidr_node.span, except: excepts, except_spans: spans })
}

/// Reads `protocol` (default TCP), exactly as the API spells it.
pub(crate) fn protocol(ctx: &mut Ctx<'_>, node: Option<&Node>, path: &P<'_>) -> Option<Protocol> {
    let Some(n) = node.filter(|n| !n.is_null()) else {
        return Some(Protocol::Tcp);
    };
    let s = ctx.string(n, path)?;
    match Protocol::from_api(s) {
        Some(p) => Some(p),
        None => {
            let upper = s.to_ascii_uppercase();
            let message = match Protocol::from_api(&upper) {
                Some(p) => {
                    format!("unsupported protocol `{s}`: write `{p}` (protocols are upper case)")
                }
                None => format!("unsupported protocol `{s}`: it must be `TCP`, `UDP` or `SCTP`"),
            };
            ctx.error(n.span, path, message);
            None
        }
    }
}

/// Reads an int-or-string port: a number 1–65535 or an IANA_SVC_NAME.
/// A quoted number is a string, hence a (bad) name: say so.
pub(crate) fn port_ref(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<PortRef> {
    let scalar = node.scalar();
    match scalar.map(|s| (s.value(), s.style)) {
        Some((Value::Int(Some(n)), _)) => match port_number(n) {
            Ok(p) => Some(PortRef::Number(p)),
            Err(e) => {
                ctx.error(node.span, path, e);
                None
            }
        },
        Some((Value::Str(s), style)) => {
            if style != Style::Plain && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                ctx.error(
                    node.span,
                    path,
                    format!("\"{s}\" is a string, so it is read as a port name, and a name needs a letter: write {s} without quotes"),
                );
                return None;
            }
            match port_name(s) {
                Ok(()) => Some(PortRef::Name(String::from(s))),
                Err(e) => {
                    ctx.error(node.span, path, e);
                    None
                }
            }
        }
        Some((Value::Null, _)) => None,
        Some((Value::Int(None), _)) => {
            let text = node.text().unwrap_or("");
            ctx.error(node.span, path, format!("port {text} is out of range: it must be between 1 and 65535"));
            None
        }
        _ => {
            let found = super::ctx::describe(node);
            ctx.error(node.span, path, format!("expected a port number or a port name, found {found}"));
            None
        }
    }
}

/// `ValidateNetworkPolicyPort`.
fn port(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<PortSpec> {
    let before = ctx.errors;
    let [proto, port, end] = ctx.fields(node, path, PORT_FIELDS, Unknown::Reject(&[]))?;
    let protocol = protocol(ctx, proto, &path.field("protocol"));
    let pp = path.field("port");
    let port_absent = port.is_none_or(Node::is_null);
    let port = port.and_then(|p| port_ref(ctx, p, &pp));
    let ep = path.field("endPort");
    let end_port = match end.filter(|n| !n.is_null()) {
        None => None,
        Some(e) => {
            match (ctx.int(e, &ep), &port) {
                (None, _) => None,
                (Some(_), None) if port_absent => {
                    ctx.error(
                        e.span,
                        &ep,
                        "`endPort` may not be given without a numeric `port` (the start of the range)",
                    );
                    None
                }
                (Some(_), Some(PortRef::Name(n))) => {
                    ctx.error(
                        e.span,
                        &ep,
                        format!("`endPort` may not be given when `port` is a name (`{n}`); use a number"),
                    );
                    None
                }
                (Some(v), Some(PortRef::Number(start))) => match port_number(v) {
                    Ok(v) if v >= *start => Some(v),
                    Ok(v) => {
                        ctx.error(
                            e.span,
                            &ep,
                            format!("`endPort` {v} must be greater than or equal to `port` {start}"),
                        );
                        None
                    }
                    Err(m) => {
                        ctx.error(e.span, &ep, m);
                        None
                    }
                },
                // `port` is invalid, and already reported.
                (Some(_), None) => None,
            }
        }
    };
    if ctx.errors != before {
        return None;
    }
    Some(PortSpec { protocol: protocol?, port, end_port, span: node.span })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    /// ipnet accepts host bits (`10.0.0.1/24`); we keep the network, as
    /// `ParseCIDRSloppy` does, and flag the host bits.
    #[test]
    fn cidr_parsing_follows_parse_cidr_sloppy() {
        let (n, hb) = parse_cidr("10.0.0.1/24").expect("host bits allowed");
        assert_eq!((n.to_string().as_str(), hb), ("10.0.0.0/24", true));
        let (n, hb) = parse_cidr("10.0.0.0/8").expect("plain");
        assert_eq!((n.to_string().as_str(), hb), ("10.0.0.0/8", false));
        let (n, _) = parse_cidr("010.001.0.0/016").expect("leading zeros");
        assert_eq!(n.to_string(), "10.1.0.0/16");
        let (n, _) = parse_cidr("2001:db8::1/64").expect("v6");
        assert_eq!(n.to_string(), "2001:db8::/64");
        assert!(parse_cidr("10.0.0.1").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("300.0.0.0/8").is_err());
        assert!(parse_cidr("10.0.0.0/").is_err());
        assert!(parse_cidr("::/129").is_err());
    }
}
