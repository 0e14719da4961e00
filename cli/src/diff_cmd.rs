//! `netpol diff`: which flows a change to the policies allows or denies.
//!
//! Both scenarios' matrices (the core's fast evaluator) are compared over the
//! union of their endpoints, matched by `namespace/name`. An endpoint on one
//! side only cannot connect on the other, so its flows count as denied there:
//! a new pod's allowed flows are newly allowed, a removed pod's allowed flows
//! newly denied. Each changed flow is then explained on both sides with
//! `netpol_core::evaluate`, naming the rule that decided.
//!
//! JSON shape (field names are a contract):
//!
//! ```text
//! {"probes": ["TCP/80", ...],
//!  "newly_allowed": [CHANGE], "newly_denied": [CHANGE],
//!  "added_endpoints": ["ns/name", ...], "removed_endpoints": ["ns/name", ...]}
//! CHANGE  = {"from": "ns/name", "to": "ns/name", "probe": "TCP/80", "before": VERDICT, "after": VERDICT}
//! VERDICT = {"present": bool,          both endpoints exist in this scenario
//!            "allowed": bool,
//!            "reason": "text",          the deciding rule, as in the text output
//!            "allowed_by": [{"direction": "egress"|"ingress", "policy": "ns/name", "rule": i,
//!                            "peer": j|null, "port": k|null}]}
//! ```

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};

use clap::ValueEnum;
use netpol_core::eval::tier::Verdict;
use netpol_core::explain::{endpoint_label, Exemption, SideExplanation, TierKind};
use netpol_core::{evaluate, Flow, FlowEnd, Matrix, Probe, Scenario};
use serde::Serialize;

/// Output format of `netpol diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Changed flows grouped as newly allowed / newly denied, each with the
    /// deciding rule before and after.
    Text,
    /// The documented JSON object.
    Json,
}

/// One side of the comparison.
pub struct Side<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Endpoint index by `ns/name` (first occurrence).
    index: HashMap<String, usize>,
    /// Allow tables for the diff's probes.
    matrix: Matrix,
}

impl<'a> Side<'a> {
    /// Indexes `scenario` and computes its matrix on `probes`.
    pub fn new(scenario: &'a Scenario, probes: &[Probe]) -> Self {
        let mut index = HashMap::new();
        for i in 0..scenario.endpoints.len() {
            index.entry(endpoint_label(scenario, i)).or_insert(i);
        }
        Side { scenario, index, matrix: netpol_core::matrix(scenario, probes) }
    }

    fn allowed(&self, probe: usize, from: &str, to: &str) -> bool {
        match (self.index.get(from), self.index.get(to)) {
            (Some(&a), Some(&b)) => self.matrix.allowed(probe, a, b),
            _ => false,
        }
    }
}

/// The probes to compare: the given ones (deduplicated, in order), or every
/// port either scenario names, sorted; TCP/80 when there are none.
pub fn probes(given: Vec<Probe>, before: &Scenario, after: &Scenario) -> Vec<Probe> {
    let mut probes = if given.is_empty() {
        let all: BTreeSet<Probe> = before.probes_in_use().into_iter().chain(after.probes_in_use()).collect();
        all.into_iter().collect()
    } else {
        given
    };
    let mut seen = BTreeSet::new();
    probes.retain(|p| seen.insert(*p));
    if probes.is_empty() {
        probes.push(Probe::new(netpol_core::Protocol::Tcp, 80));
    }
    probes
}

/// A rule entry that admits a flow on one side.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct AllowedByJson {
    direction: &'static str,
    policy: String,
    rule: usize,
    peer: Option<usize>,
    port: Option<usize>,
}

/// A flow's verdict in one scenario.
#[derive(Serialize, Debug)]
pub struct VerdictJson {
    present: bool,
    allowed: bool,
    reason: String,
    allowed_by: Vec<AllowedByJson>,
}

/// One changed flow.
#[derive(Serialize, Debug)]
pub struct ChangeJson {
    from: String,
    to: String,
    probe: String,
    before: VerdictJson,
    after: VerdictJson,
}

/// The whole diff.
#[derive(Serialize, Debug)]
pub struct DiffJson {
    probes: Vec<String>,
    newly_allowed: Vec<ChangeJson>,
    newly_denied: Vec<ChangeJson>,
    added_endpoints: Vec<String>,
    removed_endpoints: Vec<String>,
}

impl DiffJson {
    /// Whether any flow changed.
    pub fn changed(&self) -> bool {
        !self.newly_allowed.is_empty() || !self.newly_denied.is_empty()
    }
}

fn policy_name(scenario: &Scenario, i: usize) -> String {
    scenario.policies.get(i).map(|p| format!("{}/{}", p.namespace, p.name)).unwrap_or_default()
}

fn side_subject(scenario: &Scenario, side: &SideExplanation) -> String {
    side.subject.map(|i| endpoint_label(scenario, i)).unwrap_or_else(|| "the address".to_string())
}

/// One side's decision in words: the exemption, the cluster policy rule,
/// the admitting NetworkPolicy rule, "not isolated", or the isolating
/// policies when no rule admits.
fn side_reason(scenario: &Scenario, side: &SideExplanation) -> String {
    let dir = side.direction.as_str();
    let who = side_subject(scenario, side);
    match side.exemption {
        Some(Exemption::External) => return format!("{dir}: external address, not subject to policy"),
        Some(Exemption::HostNetwork) => return format!("{dir} of {who}: host-network pod, not subject to policy"),
        Some(Exemption::Loopback) => return format!("{dir}: a pod may always reach itself"),
        None => {}
    }
    let decider = side.tiers.iter().find(|s| matches!(s.verdict, Verdict::Allow | Verdict::Deny));
    if let Some(step) = decider.filter(|s| s.tier != TierKind::NetworkPolicy) {
        let name = step.policy.and_then(|i| scenario.cluster_policies.get(i)).map_or("?", |p| p.name.as_str());
        let verb = if step.verdict == Verdict::Allow { "allowed" } else { "denied" };
        let rule = step.matched_rule().map(|r| format!(" rule {dir}[{}]", r.index)).unwrap_or_default();
        return format!("{dir} of {who} {verb} by {}-tier cluster policy {name}{rule}", step.tier.as_str());
    }
    if !side.isolated {
        return format!("{dir} of {who} not isolated");
    }
    if let Some(m) = side.first_allowing() {
        let peers = side.direction.peers_field();
        let peer = m.peer.map(|p| format!(" {peers}[{p}]")).unwrap_or_default();
        let port = m.port.map(|p| format!(" ports[{p}]")).unwrap_or_default();
        return format!("{dir} of {who} allowed by {} {dir}[{}]{peer}{port}", policy_name(scenario, m.policy), m.rule);
    }
    let by: Vec<String> = side.policies.iter().map(|p| policy_name(scenario, p.policy)).collect();
    format!("{dir} of {who} isolated by {}; no rule admits", by.join(", "))
}

fn allowed_by<'a>(scenario: &'a Scenario, side: &'a SideExplanation) -> impl Iterator<Item = AllowedByJson> + 'a {
    let direction = side.direction.as_str();
    side.allowed_by.iter().map(move |m| AllowedByJson {
        direction,
        policy: policy_name(scenario, m.policy),
        rule: m.rule,
        peer: m.peer,
        port: m.port,
    })
}

/// Explains `from → to` on `probe` in one scenario.
fn verdict(side: &Side<'_>, from: &str, to: &str, probe: Probe) -> VerdictJson {
    let (Some(&a), Some(&b)) = (side.index.get(from), side.index.get(to)) else {
        let mut missing: Vec<&str> = [from, to].into_iter().filter(|e| !side.index.contains_key(*e)).collect();
        missing.dedup();
        return VerdictJson {
            present: false,
            allowed: false,
            reason: format!("absent — {} not in this scenario", missing.join(" and ")),
            allowed_by: Vec::new(),
        };
    };
    let scenario = side.scenario;
    let e = evaluate(scenario, &Flow { from: FlowEnd::Endpoint(a), to: FlowEnd::Endpoint(b), probe });
    let reason = if e.allowed {
        format!("allowed — {}; {}", side_reason(scenario, &e.egress), side_reason(scenario, &e.ingress))
    } else {
        let denying = if e.egress.allowed { &e.ingress } else { &e.egress };
        format!("denied — {}", side_reason(scenario, denying))
    };
    let mut by: Vec<AllowedByJson> = Vec::new();
    for s in [&e.egress, &e.ingress] {
        by.extend(allowed_by(scenario, s));
    }
    VerdictJson { present: true, allowed: e.allowed, reason, allowed_by: by }
}

/// Compares `before` and `after` on `probes`.
pub fn diff(before: &Scenario, after: &Scenario, probes: &[Probe]) -> DiffJson {
    let b = Side::new(before, probes);
    let a = Side::new(after, probes);
    let mut union: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for s in [before, after] {
        for i in 0..s.endpoints.len() {
            let label = endpoint_label(s, i);
            if seen.insert(label.clone()) {
                union.push(label);
            }
        }
    }
    let added = union.iter().filter(|e| !b.index.contains_key(*e)).cloned().collect();
    let removed = union.iter().filter(|e| !a.index.contains_key(*e)).cloned().collect();
    let mut newly_allowed = Vec::new();
    let mut newly_denied = Vec::new();
    for (p, &probe) in probes.iter().enumerate() {
        for from in &union {
            for to in &union {
                let was = b.allowed(p, from, to);
                let is = a.allowed(p, from, to);
                if was == is {
                    continue;
                }
                let change = ChangeJson {
                    from: from.clone(),
                    to: to.clone(),
                    probe: probe.to_string(),
                    before: verdict(&b, from, to, probe),
                    after: verdict(&a, from, to, probe),
                };
                if is {
                    newly_allowed.push(change);
                } else {
                    newly_denied.push(change);
                }
            }
        }
    }
    DiffJson {
        probes: probes.iter().map(Probe::to_string).collect(),
        newly_allowed,
        newly_denied,
        added_endpoints: added,
        removed_endpoints: removed,
    }
}

fn write_changes(out: &mut impl Write, title: &str, changes: &[ChangeJson]) -> io::Result<()> {
    writeln!(out, "{title} ({}):", changes.len())?;
    for c in changes {
        writeln!(out, "  {} -> {} on {}", c.from, c.to, c.probe)?;
        writeln!(out, "    before: {}", c.before.reason)?;
        writeln!(out, "    after:  {}", c.after.reason)?;
    }
    Ok(())
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// Writes the diff in `format`.
pub fn write(out: &mut impl Write, d: &DiffJson, format: DiffFormat) -> io::Result<()> {
    match format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, d)?;
            writeln!(out)
        }
        DiffFormat::Text => {
            writeln!(out, "probes: {}", d.probes.join(", "))?;
            writeln!(out, "added endpoints: {}", list(&d.added_endpoints))?;
            writeln!(out, "removed endpoints: {}", list(&d.removed_endpoints))?;
            writeln!(out)?;
            write_changes(out, "newly allowed", &d.newly_allowed)?;
            writeln!(out)?;
            write_changes(out, "newly denied", &d.newly_denied)?;
            writeln!(out)?;
            let n = d.newly_allowed.len() + d.newly_denied.len();
            match n {
                0 => writeln!(out, "no flow changed"),
                1 => writeln!(out, "1 flow changed"),
                _ => writeln!(out, "{n} flows changed"),
            }
        }
    }
}
