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
    let loopback = e.egress.exemption == Some(Exemption::Loopback);
    let reason = if loopback {
        // Both sides are exempt for the same reason; say it once.
        "allowed — a pod may always reach itself (loopback follows no policy)".to_string()
    } else if e.allowed {
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

/// An endpoint of the union: its label and its index before and after.
type UnionEnd = (String, Option<usize>, Option<usize>);

/// The union of both sides' endpoint labels, in before's order then
/// after's new ones, with each label's index on each side.
fn union(b: &Side<'_>, a: &Side<'_>) -> Vec<UnionEnd> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for s in [b.scenario, a.scenario] {
        for i in 0..s.endpoints.len() {
            let label = endpoint_label(s, i);
            if seen.insert(label.clone()) {
                let (ib, ia) = (b.index.get(&label).copied(), a.index.get(&label).copied());
                out.push((label, ib, ia));
            }
        }
    }
    out
}

/// The (from, to) pairs, as union indices, whose verdict differs on probe
/// `p`. Absent endpoints count as "cannot connect". When both sides have the
/// same endpoints in the same order (the usual policy-only edit), rows are
/// compared a 64-bit word at a time.
fn changed_pairs(b: &Side<'_>, a: &Side<'_>, ends: &[UnionEnd], p: usize) -> Vec<(usize, usize)> {
    let identical = ends.len() == b.scenario.endpoints.len()
        && ends.len() == a.scenario.endpoints.len()
        && ends.iter().enumerate().all(|(i, (_, ib, ia))| *ib == Some(i) && *ia == Some(i));
    if identical {
        changed_pairs_by_rows(b, a, ends.len(), p)
    } else {
        changed_pairs_by_cells(b, a, ends, p)
    }
}

/// [`changed_pairs`] for identical endpoint lists: XOR of the row words.
fn changed_pairs_by_rows(b: &Side<'_>, a: &Side<'_>, len: usize, p: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for from in 0..len {
        let (Some(rb), Some(ra)) = (b.matrix.row_words(p, from), a.matrix.row_words(p, from)) else { continue };
        for (w, (x, y)) in rb.iter().zip(ra).enumerate() {
            let mut bits = x ^ y;
            while bits != 0 {
                out.push((from, w * 64 + bits.trailing_zeros() as usize));
                bits &= bits - 1;
            }
        }
    }
    out
}

/// [`changed_pairs`] in general: every pair of the union, cell by cell.
fn changed_pairs_by_cells(b: &Side<'_>, a: &Side<'_>, ends: &[UnionEnd], p: usize) -> Vec<(usize, usize)> {
    let at = |side: &Side<'_>, x: Option<usize>, y: Option<usize>| match (x, y) {
        (Some(x), Some(y)) => side.matrix.allowed(p, x, y),
        _ => false,
    };
    let mut out = Vec::new();
    for (i, (_, fb, fa)) in ends.iter().enumerate() {
        for (j, (_, tb, ta)) in ends.iter().enumerate() {
            if at(b, *fb, *tb) != at(a, *fa, *ta) {
                out.push((i, j));
            }
        }
    }
    out
}

/// Compares `before` and `after` on `probes`.
pub fn diff(before: &Scenario, after: &Scenario, probes: &[Probe]) -> DiffJson {
    let b = Side::new(before, probes);
    let a = Side::new(after, probes);
    let ends = union(&b, &a);
    let added = ends.iter().filter(|e| e.1.is_none()).map(|e| e.0.clone()).collect();
    let removed = ends.iter().filter(|e| e.2.is_none()).map(|e| e.0.clone()).collect();
    let mut newly_allowed = Vec::new();
    let mut newly_denied = Vec::new();
    for (p, &probe) in probes.iter().enumerate() {
        for (i, j) in changed_pairs(&b, &a, &ends, p) {
            let (Some(from), Some(to)) = (ends.get(i), ends.get(j)) else { continue };
            let change = ChangeJson {
                from: from.0.clone(),
                to: to.0.clone(),
                probe: probe.to_string(),
                before: verdict(&b, &from.0, &to.0, probe),
                after: verdict(&a, &from.0, &to.0, probe),
            };
            if change.after.allowed {
                newly_allowed.push(change);
            } else {
                newly_denied.push(change);
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

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_core::parse::parse_str;

    /// `netpol gen` clusters differing in their policies only: the row-word
    /// fast path must find exactly the pairs the cell-by-cell walk finds.
    #[test]
    fn row_comparison_equals_cell_comparison() {
        let text = |policies| {
            let mut out = Vec::new();
            let params = crate::gen::GenParams { pods: 150, namespaces: 6, policies, seed: 3 };
            crate::gen::generate(&mut out, params).map(|_| String::from_utf8(out).unwrap_or_default())
        };
        let (Ok(before), Ok(after)) = (text(20), text(35)) else { panic!("gen failed") };
        let (before, after) = (parse_str(&before).scenario, parse_str(&after).scenario);
        let probes = probes(Vec::new(), &before, &after);
        let (b, a) = (Side::new(&before, &probes), Side::new(&after, &probes));
        let ends = union(&b, &a);
        assert_eq!(ends.len(), before.endpoints.len(), "same pods on both sides");
        let mut total = 0;
        for (p, probe) in probes.iter().enumerate() {
            let fast = changed_pairs_by_rows(&b, &a, ends.len(), p);
            assert_eq!(fast, changed_pairs_by_cells(&b, &a, &ends, p), "probe {probe}");
            total += fast.len();
        }
        assert!(total > 0, "the extra policies change some flow");
    }
}
