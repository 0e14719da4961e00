//! `netpol explain`: one flow's verdict and why, as text or JSON.
//!
//! `--to` may name a Service: `svc:NS/NAME` (or `svc/NS/NAME`) always means
//! the Service; a plain `NS/NAME` means the Service only when no pod or
//! workload has that name. A flow to a Service is explained once per backend
//! pod, with the service port mapped to that pod's `targetPort` (number or
//! name); the verdict is "allowed" when at least one backend admits it, since
//! a client reaching the Service reaches some backend.
//!
//! Service JSON shape: `{"service": "ns/name", "probe": "TCP/80", "allowed":
//! bool, "backends": [{"endpoint": "ns/pod", "probe": "TCP/8080",
//! "explanation": EXPLANATION}]}` where `EXPLANATION` is the shape documented
//! in [`crate::explain_json`].

use std::io::{self, Write};

use netpol_core::eval::text::explanation_to_text;
use netpol_core::eval::{evaluate, resolve_end, service_targets};
use netpol_core::{Flow, FlowEnd, Probe, Scenario};
use serde::Serialize;

use crate::explain_json::{explanation_json, Ctx, ExplanationJson};

/// The output format of `netpol explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Human-readable, for terminals.
    Text,
    /// The documented JSON shape.
    Json,
}

/// What `--to` resolved to.
pub enum Target {
    /// A pod, workload or address.
    End(FlowEnd),
    /// A Service, by index.
    Service(usize),
}

/// `ns/name` split; a bare name is in `default`, as kubectl assumes.
fn split_name(s: &str) -> (&str, &str) {
    s.split_once('/').unwrap_or(("default", s))
}

/// Resolves `--from`.
pub fn resolve_from(scenario: &Scenario, arg: &str) -> Result<FlowEnd, String> {
    resolve_end(scenario, arg)
        .ok_or_else(|| format!("--from {arg}: no pod or workload of that name, and not an IP address"))
}

/// Resolves `--to`, including Services (see the module docs).
pub fn resolve_to(scenario: &Scenario, arg: &str) -> Result<Target, String> {
    // `svc/NS/NAME` needs both slashes: `svc/NAME` is a pod in a namespace
    // called `svc`.
    let svc_slash = arg.strip_prefix("svc/").filter(|rest| rest.contains('/'));
    if let Some(rest) = arg.strip_prefix("svc:").or(svc_slash) {
        let (ns, name) = split_name(rest);
        return scenario
            .service_index(ns, name)
            .map(Target::Service)
            .ok_or_else(|| format!("--to {arg}: no Service {ns}/{name}"));
    }
    if let Some(end) = resolve_end(scenario, arg) {
        return Ok(Target::End(end));
    }
    let (ns, name) = split_name(arg);
    scenario
        .service_index(ns, name)
        .map(Target::Service)
        .ok_or_else(|| format!("--to {arg}: no pod, workload or Service of that name, and not an IP address"))
}

#[derive(Serialize)]
struct BackendJson {
    endpoint: String,
    probe: String,
    explanation: ExplanationJson,
}

#[derive(Serialize)]
struct ServiceJson {
    service: String,
    probe: String,
    allowed: bool,
    backends: Vec<BackendJson>,
}

/// Explains `from → target` on `probe` and writes it.
pub fn run(
    out: &mut impl Write,
    ctx: &Ctx<'_>,
    from: FlowEnd,
    target: Target,
    probe: Probe,
    format: ExplainFormat,
) -> io::Result<()> {
    let scenario = ctx.scenario;
    match target {
        Target::End(to) => {
            let explanation = evaluate(scenario, &Flow { from, to, probe });
            match format {
                ExplainFormat::Text => write!(out, "{}", ensure_newline(explanation_to_text(scenario, &explanation))),
                ExplainFormat::Json => {
                    serde_json::to_writer_pretty(&mut *out, &explanation_json(ctx, &explanation))
                        .map_err(io::Error::other)?;
                    writeln!(out)
                }
            }
        }
        Target::Service(service) => {
            let svc_name =
                scenario.services.get(service).map(|s| format!("{}/{}", s.namespace, s.name)).unwrap_or_default();
            let targets = service_targets(scenario, service, probe);
            let explanations: Vec<_> = targets
                .iter()
                .map(|t| {
                    let flow = Flow { from, to: FlowEnd::Endpoint(t.endpoint), probe: t.probe };
                    (t, evaluate(scenario, &flow))
                })
                .collect();
            let allowed = explanations.iter().any(|(_, e)| e.allowed);
            match format {
                ExplainFormat::Text => {
                    let verdict = if allowed { "ALLOWED" } else { "DENIED" };
                    writeln!(
                        out,
                        "service {svc_name} on {probe}: {verdict} ({} backend{} for this port)",
                        targets.len(),
                        if targets.len() == 1 { "" } else { "s" }
                    )?;
                    if targets.is_empty() {
                        writeln!(out, "no pod backs this service on {probe}: the connection has nowhere to go")?;
                    }
                    for (t, e) in &explanations {
                        writeln!(
                            out,
                            "\n=== backend {} (service port {probe} → targetPort {})",
                            netpol_core::explain::endpoint_label(scenario, t.endpoint),
                            t.probe
                        )?;
                        write!(out, "{}", ensure_newline(explanation_to_text(scenario, e)))?;
                    }
                    Ok(())
                }
                ExplainFormat::Json => {
                    let doc = ServiceJson {
                        service: svc_name,
                        probe: probe.to_string(),
                        allowed,
                        backends: explanations
                            .iter()
                            .map(|(t, e)| BackendJson {
                                endpoint: netpol_core::explain::endpoint_label(scenario, t.endpoint),
                                probe: t.probe.to_string(),
                                explanation: explanation_json(ctx, e),
                            })
                            .collect(),
                    };
                    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
                    writeln!(out)
                }
            }
        }
    }
}

fn ensure_newline(mut s: String) -> String {
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}
