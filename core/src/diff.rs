//! Before/after comparison of two scenarios: which flows a policy change
//! newly allows or newly denies. Shared by `netpol diff` and the page's
//! compare mode, so both list exactly the same changes with the same words.
//!
//! Both scenarios' matrices (the fast engine, [`crate::matrix`]) are compared
//! over the union of their endpoints, matched by `namespace/name`. An
//! endpoint on one side only cannot connect on the other, so its flows count
//! as denied there: a new pod's allowed flows are newly allowed, a removed
//! pod's allowed flows newly denied. Each changed flow is then explained on
//! both sides with [`crate::evaluate`], naming the rule that decided.

use alloc::borrow::Cow;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::eval::tier::Verdict;
use crate::explain::{endpoint_label, Exemption, Explanation, SideExplanation, TierKind};
use crate::model::{Direction, Probe, Protocol, Scenario};
use crate::{evaluate, Flow, FlowEnd, Matrix};

/// The changed flows between two scenarios.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    /// The probes compared, in order.
    pub probes: Vec<Probe>,
    /// Flows denied before (or with an end absent) and allowed after, by
    /// probe, then source and destination in union order.
    pub newly_allowed: Vec<Change>,
    /// Flows allowed before and denied (or with an end absent) after.
    pub newly_denied: Vec<Change>,
    /// `ns/name` of the endpoints only the after scenario has.
    pub added_endpoints: Vec<String>,
    /// `ns/name` of the endpoints only the before scenario has.
    pub removed_endpoints: Vec<String>,
    /// Changed flows beyond the cap given to [`diff_capped`], counted but not
    /// listed (always 0 from [`diff`]).
    pub omitted: usize,
}

impl Diff {
    /// Whether any flow changed (including omitted ones).
    pub fn changed(&self) -> bool {
        !self.newly_allowed.is_empty() || !self.newly_denied.is_empty() || self.omitted > 0
    }

    /// The number of changed flows, listed or omitted.
    pub fn total(&self) -> usize {
        self.newly_allowed.len() + self.newly_denied.len() + self.omitted
    }
}

/// One flow whose verdict differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The client, `ns/name`.
    pub from: String,
    /// The server, `ns/name`.
    pub to: String,
    /// The probe.
    pub probe: Probe,
    /// The flow in the before scenario.
    pub before: Outcome,
    /// The flow in the after scenario.
    pub after: Outcome,
}

/// A flow's verdict in one scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The source and destination endpoint indices in this scenario; `None`
    /// when either end is absent from it.
    pub ends: Option<(usize, usize)>,
    /// Whether the connection is allowed (false when an end is absent).
    pub allowed: bool,
    /// The deciding rule in words (`netpol diff`'s text).
    pub reason: String,
    /// Every NetworkPolicy rule entry admitting the flow, egress then ingress.
    pub allowed_by: Vec<AllowedBy>,
}

impl Outcome {
    /// Whether both ends exist in this scenario.
    pub fn present(&self) -> bool {
        self.ends.is_some()
    }

    /// The flow to hand to [`crate::evaluate`] for the full explanation in
    /// this scenario, when both ends exist.
    pub fn flow(&self, probe: Probe) -> Option<Flow> {
        self.ends.map(|(a, b)| Flow { from: FlowEnd::Endpoint(a), to: FlowEnd::Endpoint(b), probe })
    }
}

/// A NetworkPolicy rule entry that admits a flow on one side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedBy {
    /// The side the rule is on.
    pub direction: Direction,
    /// The policy, `ns/name`.
    pub policy: String,
    /// Index in the policy's `ingress`/`egress`.
    pub rule: usize,
    /// The matching `from`/`to` entry, if the rule has a peer list.
    pub peer: Option<usize>,
    /// The matching `ports` entry, if the rule has a port list.
    pub port: Option<usize>,
}

/// The probes to compare: the given ones (deduplicated, in order), or every
/// port either scenario names, sorted; TCP/80 when there are none.
pub fn probes(given: Vec<Probe>, before: &Scenario, after: &Scenario) -> Vec<Probe> {
    let mut probes = if given.is_empty() {
        // Inserted, not collected: `collect` into a set sorts first (a whole
        // stable sort instance in the wasm for this one element type).
        let mut all = BTreeSet::new();
        all.extend(before.probes_in_use().into_iter().chain(after.probes_in_use()));
        all.into_iter().collect()
    } else {
        given
    };
    let mut seen = BTreeSet::new();
    probes.retain(|p| seen.insert(*p));
    if probes.is_empty() {
        probes.push(Probe::new(Protocol::Tcp, 80));
    }
    probes
}

/// Compares `before` and `after` on `probes`, listing and explaining every
/// changed flow.
pub fn diff(before: &Scenario, after: &Scenario, probes: &[Probe]) -> Diff {
    diff_capped(before, after, probes, usize::MAX)
}

/// [`diff`] that explains at most `cap` changed flows and counts the rest in
/// [`Diff::omitted`]: a page comparing two big clusters must stay
/// responsive, and nobody reads ten thousand explanations.
pub fn diff_capped(before: &Scenario, after: &Scenario, probes: &[Probe], cap: usize) -> Diff {
    compare(Side::new(before, probes), Side::new(after, probes), probes, cap)
}

/// [`diff_capped`] reusing matrices a caller already has (the page keeps
/// one per version): each must be its scenario's matrix on `probes`, in that
/// order; one that is not (other probes) is recomputed.
pub fn diff_matrices(before: (&Scenario, &Matrix), after: (&Scenario, &Matrix), probes: &[Probe], cap: usize) -> Diff {
    fn side<'a>((scenario, m): (&'a Scenario, &'a Matrix), probes: &[Probe]) -> Side<'a> {
        if m.probes() == probes && m.len() == scenario.endpoints.len() {
            Side::with_matrix(scenario, Cow::Borrowed(m))
        } else {
            Side::new(scenario, probes)
        }
    }
    compare(side(before, probes), side(after, probes), probes, cap)
}

/// One endpoint pair whose verdict differs on one probe, without
/// explanations: what the graph needs to mark every changed arrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairChange {
    /// Index into the matrices' probes.
    pub probe: usize,
    /// The source's endpoint index before and after (`None`: absent there).
    pub from: (Option<usize>, Option<usize>),
    /// The destination's endpoint index before and after.
    pub to: (Option<usize>, Option<usize>),
    /// Whether the after version allows it (else the before version did).
    pub now_allowed: bool,
}

/// Every changed (source, destination, probe) between two evaluated
/// versions, matched and compared exactly as [`diff`] does (same endpoint
/// union, word-wise when the endpoint lists are identical), but uncapped and
/// unexplained. Both matrices must be on the same probes; when they are not,
/// nothing can be compared and the result is empty.
pub fn pair_changes(before: (&Scenario, &Matrix), after: (&Scenario, &Matrix)) -> Vec<PairChange> {
    let (bm, am) = (before.1, after.1);
    if bm.probes() != am.probes() || bm.len() != before.0.endpoints.len() || am.len() != after.0.endpoints.len() {
        return Vec::new();
    }
    let b = Side::with_matrix(before.0, Cow::Borrowed(bm));
    let a = Side::with_matrix(after.0, Cow::Borrowed(am));
    let ends = union(&b, &a);
    let mut out = Vec::new();
    for p in 0..bm.probes().len() {
        for (i, j) in changed_pairs(&b, &a, &ends, p) {
            let (Some(f), Some(t)) = (ends.get(i), ends.get(j)) else { continue };
            let now_allowed = match (f.after, t.after) {
                (Some(x), Some(y)) => am.allowed(p, x, y),
                _ => false,
            };
            out.push(PairChange { probe: p, from: (f.before, f.after), to: (t.before, t.after), now_allowed });
        }
    }
    out
}

fn compare(b: Side<'_>, a: Side<'_>, probes: &[Probe], cap: usize) -> Diff {
    let ends = union(&b, &a);
    let added = ends.iter().filter(|e| e.before.is_none()).map(|e| e.label.clone()).collect();
    let removed = ends.iter().filter(|e| e.after.is_none()).map(|e| e.label.clone()).collect();
    let mut d = Diff {
        probes: probes.to_vec(),
        newly_allowed: Vec::new(),
        newly_denied: Vec::new(),
        added_endpoints: added,
        removed_endpoints: removed,
        omitted: 0,
    };
    for (p, &probe) in probes.iter().enumerate() {
        for (i, j) in changed_pairs(&b, &a, &ends, p) {
            let (Some(from), Some(to)) = (ends.get(i), ends.get(j)) else { continue };
            if d.newly_allowed.len() + d.newly_denied.len() >= cap {
                d.omitted += 1;
                continue;
            }
            let change = Change {
                from: from.label.clone(),
                to: to.label.clone(),
                probe,
                before: outcome(&b, from.before, to.before, probe, [&from.label, &to.label]),
                after: outcome(&a, from.after, to.after, probe, [&from.label, &to.label]),
            };
            if change.after.allowed {
                d.newly_allowed.push(change);
            } else {
                d.newly_denied.push(change);
            }
        }
    }
    d
}

/// One side of the comparison.
struct Side<'a> {
    scenario: &'a Scenario,
    /// Endpoint index by `ns/name` (first occurrence).
    index: BTreeMap<String, usize>,
    /// Allow tables for the diff's probes (given or computed).
    matrix: Cow<'a, Matrix>,
}

impl<'a> Side<'a> {
    fn new(scenario: &'a Scenario, probes: &[Probe]) -> Self {
        Side::with_matrix(scenario, Cow::Owned(crate::matrix(scenario, probes)))
    }

    fn with_matrix(scenario: &'a Scenario, matrix: Cow<'a, Matrix>) -> Self {
        let mut index = BTreeMap::new();
        for i in 0..scenario.endpoints.len() {
            index.entry(endpoint_label(scenario, i)).or_insert(i);
        }
        Side { scenario, index, matrix }
    }
}

/// An endpoint of the union: its label and its index before and after.
struct UnionEnd {
    label: String,
    before: Option<usize>,
    after: Option<usize>,
}

/// The union of both sides' endpoint labels, in before's order then after's
/// new ones, with each label's index on each side.
fn union(b: &Side<'_>, a: &Side<'_>) -> Vec<UnionEnd> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for s in [b.scenario, a.scenario] {
        for i in 0..s.endpoints.len() {
            let label = endpoint_label(s, i);
            if seen.insert(label.clone()) {
                let (before, after) = (b.index.get(&label).copied(), a.index.get(&label).copied());
                out.push(UnionEnd { label, before, after });
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
        && ends.iter().enumerate().all(|(i, e)| e.before == Some(i) && e.after == Some(i));
    if identical {
        changed_pairs_by_rows(b, a, ends.len(), p)
    } else {
        changed_pairs_by_cells(b, a, ends, p)
    }
}

/// [`changed_pairs`] for identical endpoint lists: XOR of the row words.
fn changed_pairs_by_rows(b: &Side<'_>, a: &Side<'_>, len: usize, p: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut rb, mut ra) = (Vec::new(), Vec::new());
    for from in 0..len {
        if !(b.matrix.row_words_into(p, from, &mut rb) && a.matrix.row_words_into(p, from, &mut ra)) {
            continue;
        }
        for (w, (x, y)) in rb.iter().zip(&ra).enumerate() {
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
    for (i, f) in ends.iter().enumerate() {
        for (j, t) in ends.iter().enumerate() {
            if at(b, f.before, t.before) != at(a, f.after, t.after) {
                out.push((i, j));
            }
        }
    }
    out
}

/// Explains `from → to` on `probe` in one scenario.
fn outcome(side: &Side<'_>, from: Option<usize>, to: Option<usize>, probe: Probe, labels: [&str; 2]) -> Outcome {
    let (Some(a), Some(b)) = (from, to) else {
        let mut missing: Vec<&str> = Vec::new();
        for (end, label) in [from, to].into_iter().zip(labels) {
            if end.is_none() && !missing.contains(&label) {
                missing.push(label);
            }
        }
        return Outcome {
            ends: None,
            allowed: false,
            reason: format!("absent — {} not in this scenario", missing.join(" and ")),
            allowed_by: Vec::new(),
        };
    };
    let scenario = side.scenario;
    let e = evaluate(scenario, &Flow { from: FlowEnd::Endpoint(a), to: FlowEnd::Endpoint(b), probe });
    let mut by = Vec::new();
    for s in [&e.egress, &e.ingress] {
        by.extend(s.allowed_by.iter().map(|m| AllowedBy {
            direction: s.direction,
            policy: policy_name(scenario, m.policy),
            rule: m.rule,
            peer: m.peer,
            port: m.port,
        }));
    }
    Outcome { ends: Some((a, b)), allowed: e.allowed, reason: verdict_reason(scenario, &e), allowed_by: by }
}

/// A whole flow's decision in one line: "allowed — …; …" with both sides,
/// or "denied — …" with the side that denied.
pub fn verdict_reason(scenario: &Scenario, e: &Explanation) -> String {
    if e.egress.exemption == Some(Exemption::Loopback) {
        // Both sides are exempt for the same reason; say it once.
        "allowed — a pod may always reach itself (loopback follows no policy)".to_string()
    } else if e.allowed {
        format!("allowed — {}; {}", side_reason(scenario, &e.egress), side_reason(scenario, &e.ingress))
    } else {
        let denying = if e.egress.allowed { &e.ingress } else { &e.egress };
        format!("denied — {}", side_reason(scenario, denying))
    }
}

fn policy_name(scenario: &Scenario, i: usize) -> String {
    scenario.policies.get(i).map(|p| format!("{}/{}", p.namespace, p.name)).unwrap_or_default()
}

/// One side's decision in words: the exemption, the cluster policy rule,
/// the admitting NetworkPolicy rule, "not isolated", or the isolating
/// policies when no rule admits.
pub fn side_reason(scenario: &Scenario, side: &SideExplanation) -> String {
    let dir = side.direction.as_str();
    let who = side.subject.map(|i| endpoint_label(scenario, i)).unwrap_or_else(|| "the address".to_string());
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

#[cfg(all(test, feature = "yaml"))]
mod tests;
