//! The flow the inspector shows: what the user picked (as text, so a choice
//! survives edits that renumber endpoints) resolved against a scenario and
//! evaluated by the core.
//!
//! A destination may be a Service: the core maps the Service port to each
//! backend's `targetPort` ([`service_targets`]) and every backend gets its
//! own explanation, because policies never select Services, only pods.

use netpol_core::eval::{evaluate, resolve_end, service_targets, ServiceTarget};
use netpol_core::{Explanation, Flow, FlowEnd, Probe, Scenario};

/// The prefix that marks a destination as a Service (`service:ns/name`).
pub const SERVICE_PREFIX: &str = "service:";

/// What the user picked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowChoice {
    /// `namespace/name` or an IP.
    pub from: String,
    /// `namespace/name`, an IP, or `service:namespace/name`.
    pub to: String,
    /// `TCP/80`.
    pub probe: String,
}

/// A resolved destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// An endpoint or an address.
    End(FlowEnd),
    /// A Service, by index.
    Service(usize),
}

/// The inspector's content for a choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inspection {
    /// A flow to an endpoint or an address.
    Flow(Box<Explanation>),
    /// A flow to a Service: one explanation per backend.
    Service {
        /// The Service, by index.
        service: usize,
        /// The probe on the Service's port.
        probe: Probe,
        /// Each backend with the probe on its `targetPort`, and its verdict.
        backends: Vec<(ServiceTarget, Explanation)>,
    },
}

/// Why a choice cannot be inspected, in words for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChoiceError {
    /// Nothing picked yet.
    Incomplete,
    /// The source names nothing in the scenario.
    UnknownSource(String),
    /// The destination names nothing in the scenario.
    UnknownDestination(String),
    /// The probe is not `PROTO/port`.
    BadProbe(String),
}

impl ChoiceError {
    /// A sentence for the user.
    pub fn message(&self) -> String {
        match self {
            ChoiceError::Incomplete => {
                "Pick a source and a destination, or click a matrix cell or a graph arrow.".into()
            }
            ChoiceError::UnknownSource(s) => {
                format!("No pod or workload `{s}` in the scenario (and it is not an IP address).")
            }
            ChoiceError::UnknownDestination(s) => {
                format!("No pod, workload or Service `{s}` in the scenario (and it is not an IP address).")
            }
            ChoiceError::BadProbe(s) => {
                format!("`{s}` is not a probe: write it like TCP/80, UDP/53 or 8080.")
            }
        }
    }
}

/// Resolves a destination: `service:ns/name` is a Service; otherwise an
/// endpoint or IP (as [`resolve_end`]), and failing that a Service of that
/// name.
pub fn resolve_target(scenario: &Scenario, text: &str) -> Option<Target> {
    let text = text.trim();
    if let Some(name) = text.strip_prefix(SERVICE_PREFIX) {
        return service_by_name(scenario, name).map(Target::Service);
    }
    resolve_end(scenario, text).map(Target::End).or_else(|| service_by_name(scenario, text).map(Target::Service))
}

fn service_by_name(scenario: &Scenario, text: &str) -> Option<usize> {
    let (namespace, name) = text.trim().split_once('/').unwrap_or(("default", text.trim()));
    scenario.service_index(namespace, name)
}

/// Evaluates the choice with the core.
pub fn inspect(scenario: &Scenario, choice: &FlowChoice) -> Result<Inspection, ChoiceError> {
    if choice.from.trim().is_empty() || choice.to.trim().is_empty() {
        return Err(ChoiceError::Incomplete);
    }
    let from = resolve_end(scenario, &choice.from).ok_or_else(|| ChoiceError::UnknownSource(choice.from.clone()))?;
    let to = resolve_target(scenario, &choice.to).ok_or_else(|| ChoiceError::UnknownDestination(choice.to.clone()))?;
    let probe = Probe::parse(&choice.probe).ok_or_else(|| ChoiceError::BadProbe(choice.probe.clone()))?;
    Ok(match to {
        Target::End(to) => Inspection::Flow(Box::new(evaluate(scenario, &Flow { from, to, probe }))),
        Target::Service(service) => {
            let backends = service_targets(scenario, service, probe)
                .into_iter()
                .map(|t| (t, evaluate(scenario, &Flow { from, to: FlowEnd::Endpoint(t.endpoint), probe: t.probe })))
                .collect();
            Inspection::Service { service, probe, backends }
        }
    })
}

/// The text that names an endpoint in a [`FlowChoice`].
pub fn end_text(scenario: &Scenario, end: FlowEnd) -> String {
    match end {
        FlowEnd::Endpoint(i) => {
            scenario.endpoints.get(i).map(|e| format!("{}/{}", e.namespace, e.name)).unwrap_or_default()
        }
        FlowEnd::Ip(ip) => ip.to_string(),
    }
}
