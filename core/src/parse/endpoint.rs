//! Pods and workloads into [`Endpoint`]s.
//!
//! A workload (Deployment, StatefulSet, …) becomes one endpoint named after
//! it, standing for all its replicas: its pod template's labels, ports and
//! `hostNetwork`, and no IPs. Only the fields NetworkPolicy evaluation needs
//! are read; everything else (and every unknown field) is ignored, since
//! kubectl dumps are full of them.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;
use core::str::FromStr;

use super::ctx::{Ctx, Unknown, P};
use super::policy::protocol;
use super::selector::labels;
use super::tree::Node;
use super::validate::{port_name, port_number};
use crate::labels::Labels;
use crate::model::{ContainerPort, Endpoint, EndpointKind};

/// The endpoint kind of a workload or Pod `kind`, if it is one.
pub(crate) fn endpoint_kind(kind: &str) -> Option<EndpointKind> {
    Some(match kind {
        "Pod" => EndpointKind::Pod,
        "Deployment" => EndpointKind::Deployment,
        "ReplicaSet" => EndpointKind::ReplicaSet,
        "StatefulSet" => EndpointKind::StatefulSet,
        "DaemonSet" => EndpointKind::DaemonSet,
        "Job" => EndpointKind::Job,
        "CronJob" => EndpointKind::CronJob,
        "ReplicationController" => EndpointKind::ReplicationController,
        _ => return None,
    })
}

/// The path from a workload object to its pod template.
fn template_path(kind: EndpointKind) -> &'static [&'static str] {
    match kind {
        EndpointKind::Pod => &[],
        EndpointKind::CronJob => &["spec", "jobTemplate", "spec", "template"],
        _ => &["spec", "template"],
    }
}

/// What a pod (or pod template) contributes to an endpoint.
struct PodParts {
    labels: Labels,
    ports: Vec<ContainerPort>,
    host_network: bool,
}

/// Converts a Pod or workload object. `labels` are the object's own labels
/// (already read with its metadata), used for Pods.
pub(crate) fn endpoint(
    ctx: &mut Ctx<'_>,
    obj: &Node,
    kind: EndpointKind,
    namespace: String,
    name: String,
    own_labels: Labels,
) -> Option<Endpoint> {
    let before = ctx.errors;
    let parts = if kind == EndpointKind::Pod {
        let spec = pod_spec(ctx, obj.get("spec"), &P::ROOT.field("spec"));
        PodParts { labels: own_labels, ports: spec.0, host_network: spec.1 }
    } else {
        template(ctx, obj, kind)?
    };
    let ips = if kind == EndpointKind::Pod { pod_ips(ctx, obj.get("status")) } else { Vec::new() };
    if ctx.errors != before {
        return None;
    }
    Some(Endpoint {
        namespace,
        name,
        kind,
        labels: parts.labels,
        ips,
        ports: parts.ports,
        host_network: parts.host_network,
        span: obj.span,
    })
}

fn template(ctx: &mut Ctx<'_>, obj: &Node, kind: EndpointKind) -> Option<PodParts> {
    let steps = template_path(kind);
    let mut node = obj;
    for (depth, step) in steps.iter().enumerate() {
        match node.get(step).filter(|n| !n.is_null()) {
            Some(n) => node = n,
            None => {
                let path = steps.get(..=depth).unwrap_or(steps).join(".");
                ctx.error(
                    node.span,
                    &P::ROOT,
                    format!("`{path}` is required: a {} needs a pod template", kind.as_str()),
                );
                return None;
            }
        }
    }
    let joined = steps.join(".");
    let tp = P::ROOT.dotted(&joined);
    let [metadata, spec] = ctx.fields(node, &tp, ["metadata", "spec"], Unknown::Ignore)?;
    let mp = tp.field("metadata");
    let labels_node = match metadata {
        Some(m) => ctx.fields(m, &mp, ["labels"], Unknown::Ignore).and_then(|[l]| l),
        None => None,
    };
    let labels = labels(ctx, labels_node, &mp.field("labels"));
    let (ports, host_network) = pod_spec(ctx, spec, &tp.field("spec"));
    Some(PodParts { labels, ports, host_network })
}

/// `containers[].ports[]` and `hostNetwork` of a pod spec.
fn pod_spec(ctx: &mut Ctx<'_>, spec: Option<&Node>, path: &P<'_>) -> (Vec<ContainerPort>, bool) {
    let mut ports = Vec::new();
    let Some([containers, host_network]) =
        spec.and_then(|s| ctx.fields(s, path, ["containers", "hostNetwork"], Unknown::Ignore))
    else {
        return (ports, false);
    };
    let host_network = host_network.and_then(|h| ctx.boolean(h, &path.field("hostNetwork"))).unwrap_or(false);
    let cp = path.field("containers");
    for (i, c) in containers.and_then(|c| ctx.seq(c, &cp)).unwrap_or(&[]).iter().enumerate() {
        let ci = cp.index(i);
        let Some([cports]) = ctx.fields(c, &ci, ["ports"], Unknown::Ignore) else {
            continue;
        };
        let pp = ci.field("ports");
        for (j, p) in cports.and_then(|n| ctx.seq(n, &pp)).unwrap_or(&[]).iter().enumerate() {
            let pj = pp.index(j);
            if let Some(port) = container_port(ctx, p, &pj) {
                ports.push(port);
            }
        }
    }
    (ports, host_network)
}

/// One container port, validated as `validateContainerPorts` does.
fn container_port(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<ContainerPort> {
    let [number, name, proto] = ctx.fields(node, path, ["containerPort", "name", "protocol"], Unknown::Ignore)?;
    let np = path.field("containerPort");
    let port = match number {
        Some(n) => match ctx.int(n, &np).map(port_number) {
            Some(Ok(p)) => Some(p),
            Some(Err(e)) => {
                ctx.error(n.span, &np, e);
                None
            }
            None => None,
        },
        None => {
            ctx.error(node.span, &np, "`containerPort` is required");
            None
        }
    };
    let name_path = path.field("name");
    let name = match name.and_then(|n| ctx.string(n, &name_path).map(|s| (n, s))) {
        Some((n, s)) => match port_name(s) {
            Ok(()) => Some(String::from(s)),
            Err(e) => {
                ctx.error(n.span, &name_path, e);
                None
            }
        },
        None => None,
    };
    let protocol = protocol(ctx, proto, &path.field("protocol"))?;
    Some(ContainerPort { name, port: port?, protocol })
}

/// `status.podIPs[].ip`, or `status.podIP`, deduplicated.
fn pod_ips(ctx: &mut Ctx<'_>, status: Option<&Node>) -> Vec<IpAddr> {
    let sp = P::ROOT.field("status");
    let mut ips = Vec::new();
    let Some([pod_ip, pod_ips]) = status.and_then(|s| ctx.fields(s, &sp, ["podIP", "podIPs"], Unknown::Ignore)) else {
        return ips;
    };
    let mut add = |ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>| {
        if let Some(s) = ctx.string(node, path) {
            match IpAddr::from_str(s) {
                Ok(ip) if !ips.contains(&ip) => ips.push(ip),
                Ok(_) => {}
                Err(_) => ctx.error(node.span, path, format!("`{s}` is not an IP address")),
            }
        }
    };
    if let Some(n) = pod_ip {
        add(ctx, n, &sp.field("podIP"));
    }
    let lp = sp.field("podIPs");
    for (i, item) in pod_ips.and_then(|n| ctx.seq(n, &lp)).unwrap_or(&[]).iter().enumerate() {
        let ip = lp.index(i);
        if let Some([Some(n)]) = ctx.fields(item, &ip, ["ip"], Unknown::Ignore) {
            add(ctx, n, &ip.field("ip"));
        }
    }
    ips
}
