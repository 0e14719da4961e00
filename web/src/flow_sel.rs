//! The flow the inspector shows: what the user picked (as text, so a choice
//! survives edits that renumber endpoints) resolved against a scenario and
//! evaluated by the core.
//!
//! A destination may be a Service: the core maps the Service port to each
//! backend's `targetPort` ([`service_targets`]) and every backend gets its
//! own explanation, because policies never select Services, only pods.

use netpol_core::eval::{evaluate, resolve_end, service_targets, ServiceTarget};
use netpol_core::matrix::Matrix;
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

/// Whether neither end of `choice` names anything in `scenario`: the
/// choice belongs to another scenario (a preset's flow after the user
/// replaced the whole text), so showing "No pod `shop/web`" would only
/// confuse. A half-typed choice (one end known or empty) is the user's.
pub fn stranded(scenario: &Scenario, choice: &FlowChoice) -> bool {
    let unknown = |text: &str| !text.trim().is_empty() && resolve_end(scenario, text).is_none();
    unknown(&choice.from) && unknown(&choice.to) && resolve_target(scenario, &choice.to).is_none()
}

/// A flow worth opening in a scenario the user has just brought in: an
/// *allowed* flow into an endpoint some policy isolates for ingress, so the
/// inspector shows the rules that let it in. Destinations are tried in
/// order (the first [`SUGGEST_DESTINATIONS`] isolated ones), each against
/// the first [`SUGGEST_PROBES`] probes, and the source is the first other
/// endpoint the matrix lets in. Failing that (nothing is let in), the first
/// isolated endpoint from the first other one; without any isolation, the
/// first two endpoints. `None` without endpoints.
///
/// Cost: sources are tried one per output class (its first member: every
/// member of a class is treated alike by every rule), with O(1) matrix
/// lookups, and the search stops after [`SUGGEST_BUDGET`] lookups, so it
/// stays a few milliseconds at 150,000 pods.
pub fn suggest(scenario: &Scenario, matrix: &Matrix) -> Option<FlowChoice> {
    let n = scenario.endpoints.len().min(matrix.len());
    let probes = matrix.probes();
    let first_probe = *probes.first()?;
    let choice = |from: usize, to: usize, probe: Probe| FlowChoice {
        from: end_text(scenario, FlowEnd::Endpoint(from)),
        to: end_text(scenario, FlowEnd::Endpoint(to)),
        probe: probe.to_string(),
    };
    // One source per class, ascending (classes are numbered by their smallest
    // member); the second member stands in when the first is the destination.
    let sources = |to: usize| {
        (0..matrix.class_count()).filter_map(move |c| {
            let members = matrix.class_members(c);
            members.iter().map(|&m| m as usize).find(|&m| m != to && m < n)
        })
    };
    let isolated = || (0..n).filter(|&j| matrix.isolated_ingress(j));
    let mut budget = SUGGEST_BUDGET;
    for to in isolated().take(SUGGEST_DESTINATIONS) {
        for (p, &probe) in probes.iter().enumerate().take(SUGGEST_PROBES) {
            for from in sources(to) {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                if matrix.allowed(p, from, to) {
                    return Some(choice(from, to, probe));
                }
            }
        }
    }
    let to = isolated().next().unwrap_or(usize::from(n > 1));
    let from = (0..n).find(|&i| i != to).unwrap_or(to);
    (to < n).then(|| choice(from, to, first_probe))
}

/// How many ingress-isolated destinations [`suggest`] tries.
const SUGGEST_DESTINATIONS: usize = 32;
/// How many of the matrix's probes [`suggest`] tries per destination.
const SUGGEST_PROBES: usize = 4;
/// The most matrix lookups [`suggest`] makes before it settles for a flow.
const SUGGEST_BUDGET: usize = 200_000;

#[cfg(test)]
mod tests {
    use netpol_core::matrix::matrix;
    use netpol_core::parse::parse_str;

    use super::*;

    const TWO_NAMESPACES: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: y, labels: {app: c}}
";

    const ONLY_C_INTO_B: &str = "\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-from-c, namespace: x}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - from:
    - namespaceSelector: {}
      podSelector: {matchLabels: {app: c}}
    ports: [{port: 80}]
";

    fn scenario(text: &str) -> Scenario {
        parse_str(text).scenario
    }

    fn choice(from: &str, to: &str) -> FlowChoice {
        FlowChoice { from: from.into(), to: to.into(), probe: "TCP/80".into() }
    }

    #[test]
    fn a_choice_is_stranded_only_when_neither_end_exists() {
        let s = scenario(TWO_NAMESPACES);
        assert!(stranded(&s, &choice("shop/web", "shop/api")));
        assert!(!stranded(&s, &choice("x/a", "shop/api")), "one end known: the user is picking");
        assert!(!stranded(&s, &choice("shop/web", "x/b")));
        assert!(!stranded(&s, &choice("", "shop/api")), "an empty end is a choice in progress");
        assert!(!stranded(&s, &choice("shop/web", "10.0.0.1")), "an address is always a valid end");
    }

    #[test]
    fn the_suggested_flow_enters_an_isolated_pod_from_a_source_it_admits() {
        let s = scenario(&format!("{TWO_NAMESPACES}{ONLY_C_INTO_B}"));
        let probes = s.probes_in_use();
        let m = matrix(&s, &probes);
        let c = suggest(&s, &m).expect("a flow");
        assert_eq!((c.from.as_str(), c.to.as_str(), c.probe.as_str()), ("y/c", "x/b", "TCP/80"));
        assert!(matches!(inspect(&s, &c), Ok(Inspection::Flow(ex)) if ex.allowed));
    }

    /// The first isolated pod admits nobody (a bare default deny): the
    /// suggestion moves on to a destination some rule lets a source into,
    /// on the probe that rule names.
    #[test]
    fn the_suggestion_skips_destinations_that_admit_nothing() {
        let deny_a = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-a, namespace: x}\nspec: {podSelector: {matchLabels: {app: a}}, policyTypes: [Ingress]}\n";
        let s = scenario(&format!("{TWO_NAMESPACES}{deny_a}{ONLY_C_INTO_B}"));
        let probes = [Probe::parse("UDP/53").expect("probe"), Probe::parse("TCP/80").expect("probe")];
        let m = matrix(&s, &probes);
        let c = suggest(&s, &m).expect("a flow");
        assert_eq!((c.from.as_str(), c.to.as_str(), c.probe.as_str()), ("y/c", "x/b", "TCP/80"));
        assert!(matches!(inspect(&s, &c), Ok(Inspection::Flow(ex)) if ex.allowed));
        // Nothing admitted anywhere: the first isolated pod, from the first other one.
        let s = scenario(&format!("{TWO_NAMESPACES}{deny_a}"));
        let c = suggest(&s, &matrix(&s, &probes)).expect("a flow");
        assert_eq!((c.from.as_str(), c.to.as_str(), c.probe.as_str()), ("x/b", "x/a", "UDP/53"));
    }

    #[test]
    fn without_isolation_the_suggestion_is_the_first_two_endpoints() {
        let s = scenario(TWO_NAMESPACES);
        let m = matrix(&s, &[Probe::parse("TCP/80").expect("probe")]);
        let c = suggest(&s, &m).expect("a flow");
        assert_eq!((c.from.as_str(), c.to.as_str()), ("x/a", "x/b"));
        let empty = scenario("");
        assert_eq!(suggest(&empty, &matrix(&empty, &[Probe::parse("TCP/80").expect("probe")])), None);
    }
}
