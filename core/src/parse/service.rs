//! `Service` documents into [`Service`]: the selector, the ports (with
//! `targetPort` defaulted to `port`, as `SetDefaults_Service` does) and the
//! cluster IP.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;
use core::str::FromStr;

use super::ctx::{Ctx, Unknown, P};
use super::policy::{port_ref, protocol};
use super::selector::labels;
use super::tree::Node;
use super::validate::{port_name, port_number};
use crate::model::{PortRef, Service, ServicePort};

/// Converts a Service object; `None` when the API server would reject it.
pub(crate) fn service(ctx: &mut Ctx<'_>, obj: &Node, namespace: String, name: String) -> Option<Service> {
    let before = ctx.errors;
    let sp = P::ROOT.field("spec");
    let [selector, ports, cluster_ip] = match obj.get("spec") {
        Some(s) => ctx.fields(s, &sp, ["selector", "ports", "clusterIP"], Unknown::Ignore)?,
        None => [None; 3],
    };
    let selector = selector.filter(|n| !n.is_null()).map(|n| labels(ctx, Some(n), &sp.field("selector")));
    let pp = sp.field("ports");
    let mut out_ports = Vec::new();
    for (i, item) in ports.and_then(|n| ctx.seq(n, &pp)).unwrap_or(&[]).iter().enumerate() {
        let pi = pp.index(i);
        if let Some(p) = service_port(ctx, item, &pi) {
            out_ports.push(p);
        }
    }
    let cp = sp.field("clusterIP");
    let cluster_ip = match cluster_ip.and_then(|n| ctx.string(n, &cp).map(|s| (n, s))) {
        None | Some((_, "" | "None")) => None,
        Some((n, s)) => match IpAddr::from_str(s) {
            Ok(ip) => Some(ip),
            Err(_) => {
                ctx.error(n.span, &cp, format!("`{s}` is not an IP address (or `None`)"));
                None
            }
        },
    };
    if ctx.errors != before {
        return None;
    }
    Some(Service { namespace, name, selector, ports: out_ports, cluster_ip, span: obj.span })
}

fn service_port(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<ServicePort> {
    let before = ctx.errors;
    let [name, port, proto, target] =
        ctx.fields(node, path, ["name", "port", "protocol", "targetPort"], Unknown::Ignore)?;
    let np = path.field("name");
    let name = name.and_then(|n| ctx.string(n, &np).map(|s| (n, s))).and_then(|(n, s)| match port_name(s) {
        Ok(()) => Some(String::from(s)),
        Err(e) => {
            ctx.error(n.span, &np, e);
            None
        }
    });
    let pp = path.field("port");
    let port = match port {
        Some(p) => ctx.int(p, &pp).and_then(|v| match port_number(v) {
            Ok(v) => Some(v),
            Err(e) => {
                ctx.error(p.span, &pp, e);
                None
            }
        }),
        None => {
            ctx.error(node.span, &pp, "`port` is required");
            None
        }
    };
    let protocol = protocol(ctx, proto, &path.field("protocol"));
    let tp = path.field("targetPort");
    let target = target.filter(|t| !t.is_null()).and_then(|t| {
        // `targetPort: 0` means "unset" and defaults to `port`.
        if t.scalar().map(|s| s.value()) == Some(super::tree::Value::Int(Some(0))) {
            None
        } else {
            port_ref(ctx, t, &tp)
        }
    });
    if ctx.errors != before {
        return None;
    }
    let port = port?;
    Some(ServicePort { name, port, protocol: protocol?, target_port: target.unwrap_or(PortRef::Number(port)) })
}
