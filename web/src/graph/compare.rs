//! Compare mode on the graph (issue 4): the after version's arrows, each
//! marked with what changed since the before version — pairs newly allowed
//! (`+`), newly denied (`−`), both on different pairs or probes (`±`) — and
//! arrows for connections the change removed entirely.
//!
//! Endpoints are matched by `namespace/name`, as `netpol_core::diff` does:
//! an endpoint only the after version has counts as denied before, so its
//! allowed flows are newly allowed. Verdicts come from the two versions'
//! matrices (over the union of their probes) and, for external addresses,
//! from `is_allowed` on each version; this module only compares them.
//!
//! Cost: one matrix lookup per after-version endpoint pair and probe, so
//! the comparison is drawn up to [`tiers::LOOKUP_BUDGET`] lookups (about
//! 2,000 endpoints on one probe); above that the graph says so.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use netpol_core::diff::pair_changes;
use netpol_core::matrix::{matrix, Matrix};
use netpol_core::Probe;

use super::external;
use super::model::{build, GraphEdge, GraphEndpoint, GraphModel, PairCount, ViewState};
use super::tiers;
use crate::state::Evaluated;

/// What changed on one arrow (pairs counted once however many probes
/// changed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EdgeChange {
    /// Pairs allowed after on some probe denied before.
    pub added: u64,
    /// The probes newly allowed for some pair.
    pub added_probes: u64,
    /// Pairs allowed before on some probe denied after.
    pub removed: u64,
    /// The probes newly denied for some pair.
    pub removed_probes: u64,
}

/// How an arrow is drawn in compare mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only newly allowed pairs: solid, thick, `+`.
    Added,
    /// Only newly denied pairs: dashed, `−`.
    Removed,
    /// Both: `±`.
    Mixed,
    /// Nothing changed: faded.
    Same,
}

impl ChangeKind {
    /// The `data-change` value and CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Mixed => "mixed",
            ChangeKind::Same => "same",
        }
    }

    /// The badge drawn on the arrow.
    pub fn badge(self) -> &'static str {
        match self {
            ChangeKind::Added => "+",
            ChangeKind::Removed => "−",
            ChangeKind::Mixed => "±",
            ChangeKind::Same => "",
        }
    }
}

impl EdgeChange {
    /// How to draw it.
    pub fn kind(&self) -> ChangeKind {
        match (self.added > 0, self.removed > 0) {
            (true, false) => ChangeKind::Added,
            (false, true) => ChangeKind::Removed,
            (true, true) => ChangeKind::Mixed,
            (false, false) => ChangeKind::Same,
        }
    }
}

/// The comparison as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompareSummary {
    /// Changed pairs between distinct nodes (drawn).
    pub added: u64,
    /// Newly denied pairs between distinct nodes (drawn).
    pub removed: u64,
    /// Changed pairs inside one collapsed namespace (not drawn as arrows).
    pub inside: u64,
    /// Endpoints only the before version has (not drawn).
    pub only_before: usize,
    /// Whether every pair was compared (false above the lookup budget).
    pub complete: bool,
    /// For each after-version endpoint, its index in the before version:
    /// what a click hands to the inspector, which shows the before version.
    pub to_before: Vec<Option<usize>>,
    /// For each before-version endpoint, its index in the after version.
    pub to_after: Vec<Option<usize>>,
}

/// `scenario`'s matrix on `probes`: the evaluated one when it has exactly
/// these probes, else computed.
fn on_probes<'a>(ev: &'a Evaluated, probes: &[Probe], slot: &'a mut Option<Matrix>) -> &'a Matrix {
    if ev.matrix.probes() == probes {
        return &ev.matrix;
    }
    slot.insert(matrix(&ev.scenario, probes))
}

/// The after version's graph with every edge's `change` set (and edges for
/// connections only the before version had), under `view`.
pub fn build_compare(before: &Evaluated, after: &Evaluated, view: &ViewState) -> GraphModel {
    let mut probes: Vec<Probe> = after.probes.clone();
    for p in &before.probes {
        if !probes.contains(p) {
            probes.push(*p);
        }
    }
    probes.truncate(super::model::MAX_PROBES);
    let (mut b_slot, mut a_slot) = (None, None);
    let bm = on_probes(before, &probes, &mut b_slot);
    let am = on_probes(after, &probes, &mut a_slot);
    let all: Vec<usize> = (0..probes.len()).collect();
    let mut model = build(&after.scenario, am, &all, &after.externals, view);

    // Endpoints matched by namespace/name.
    let (nb, na) = (before.scenario.endpoints.len().min(bm.len()), after.scenario.endpoints.len().min(am.len()));
    // First occurrence wins, as in `netpol_core::diff`.
    let mut names: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (i, e) in before.scenario.endpoints.iter().take(nb).enumerate() {
        names.entry((e.namespace.as_str(), e.name.as_str())).or_insert(i);
    }
    let to_before: Vec<Option<usize>> = after
        .scenario
        .endpoints
        .iter()
        .take(na)
        .map(|e| names.get(&(e.namespace.as_str(), e.name.as_str())).copied())
        .collect();
    let mut to_after = vec![None; nb];
    for (a, b) in to_before.iter().enumerate() {
        if let Some(slot) = b.and_then(|b| to_after.get_mut(b)) {
            *slot = Some(a);
        }
    }
    let mut summary = CompareSummary {
        only_before: to_after.iter().filter(|a| a.is_none()).count(),
        complete: true,
        ..CompareSummary::default()
    };

    let lookups = (na as u64).saturating_mul(na as u64).saturating_mul(2 * probes.len() as u64);
    let mut changes: BTreeMap<(usize, usize), (EdgeChange, (GraphEndpoint, GraphEndpoint))> = BTreeMap::new();
    if lookups > tiers::LOOKUP_BUDGET {
        summary.complete = false;
    } else {
        let mut record = |a: GraphEndpoint, b: GraphEndpoint, u: usize, v: usize, was: u64, now: u64| {
            let (add, rem) = (now & !was, was & !now);
            if add == 0 && rem == 0 {
                return;
            }
            let (c, _) = changes.entry((u, v)).or_insert((EdgeChange::default(), (a, b)));
            c.added += u64::from(add != 0);
            c.added_probes |= add;
            c.removed += u64::from(rem != 0);
            c.removed_probes |= rem;
        };
        let node = |i: usize| model.endpoint_node.get(i).copied().unwrap_or(usize::MAX);
        // The core's diff decides which pod pairs changed; the graph only
        // folds them into arrows of the after version (a pair with an
        // endpoint the after version lacks has no arrow: `only_before`).
        let mut pairs: BTreeMap<(usize, usize), (u64, u64)> = BTreeMap::new();
        for c in pair_changes((&before.scenario, bm), (&after.scenario, am)) {
            let (Some(ia), Some(ja)) = (c.from.1, c.to.1) else { continue };
            if ia == ja || ia >= na || ja >= na {
                continue;
            }
            let (was, now) = pairs.entry((ia, ja)).or_default();
            *(if c.now_allowed { now } else { was }) |= 1u64 << c.probe;
        }
        for ((ia, ja), (was, now)) in pairs {
            record(GraphEndpoint::Endpoint(ia), GraphEndpoint::Endpoint(ja), node(ia), node(ja), was, now);
        }
        // External addresses: the after version's, asked of both versions.
        let ext_after = external::verdicts(&after.scenario, na, &after.externals, &probes);
        let ext_before = external::verdicts(&before.scenario, nb, &after.externals, &probes);
        for (x, ext) in after.externals.iter().enumerate() {
            let Some(&xn) = model.externals.get(x) else { continue };
            for ia in 0..na {
                let b = to_before.get(ia).copied().flatten();
                let (out_was, in_was) = b.map_or((0, 0), |ib| (ext_before.out(ib, x), ext_before.inbound(x, ib)));
                let (e, xa) = (GraphEndpoint::Endpoint(ia), GraphEndpoint::External(ext.address));
                record(e, xa, node(ia), xn, out_was, ext_after.out(ia, x));
                record(xa, e, xn, node(ia), in_was, ext_after.inbound(x, ia));
            }
        }
    }

    for ((u, v), (c, example)) in changes {
        if u == v {
            summary.inside += c.added + c.removed;
            continue;
        }
        summary.added += c.added;
        summary.removed += c.removed;
        match model.edges.binary_search_by(|e| (e.from, e.to).cmp(&(u, v))) {
            Ok(k) => {
                if let Some(e) = model.edges.get_mut(k) {
                    e.change = Some(c);
                }
            }
            Err(k) => {
                let size = |n: usize| model.endpoint_node.iter().filter(|&&m| m == n).count().max(1) as u64;
                let edge = GraphEdge {
                    from: u,
                    to: v,
                    probes: 0,
                    pairs: PairCount { allowed: 0, total: size(u) * size(v) },
                    example,
                    tiers: 0,
                    change: Some(c),
                };
                model.edges.insert(k, edge);
            }
        }
    }
    summary.to_before = to_before;
    summary.to_after = to_after;
    model.compare = Some(summary);
    model
}

/// The compare-mode label of an edge: the changed probes for one pair
/// ("+ TCP/80  − TCP/443"), the changed pair counts for aggregated edges
/// ("+3 −1 pod pairs"), or the usual label when nothing changed.
pub fn change_label(model: &GraphModel, edge: &GraphEdge) -> String {
    let Some(c) = edge.change.filter(|c| c.kind() != ChangeKind::Same) else {
        return model.edge_label(edge);
    };
    let mut s = String::new();
    if edge.pairs.total > 1 {
        if c.added > 0 {
            let _ = write!(s, "+{}", c.added);
        }
        if c.removed > 0 {
            let _ = write!(s, "{}−{}", if s.is_empty() { "" } else { " " }, c.removed);
        }
        s.push_str(" pod pairs");
        return s;
    }
    if c.added_probes != 0 {
        let _ = write!(s, "+ {}", model.probe_list(c.added_probes, 2));
    }
    if c.removed_probes != 0 {
        let _ = write!(s, "{}− {}", if s.is_empty() { "" } else { "  " }, model.probe_list(c.removed_probes, 2));
    }
    s
}

/// The compare-mode description of an edge, for its `<title>`.
pub fn change_title(model: &GraphModel, edge: &GraphEdge) -> String {
    let name = |n: usize| model.nodes.get(n).map(|n| n.id.as_str()).unwrap_or("?");
    let Some(c) = edge.change.filter(|c| c.kind() != ChangeKind::Same) else {
        return format!("{} (unchanged)", model.edge_title(edge));
    };
    let mut s = format!("{} → {}:", name(edge.from), name(edge.to));
    if c.added > 0 {
        let _ = write!(s, " newly allowed on {}", model.probe_list(c.added_probes, usize::MAX));
        if edge.pairs.total > 1 {
            let _ = write!(s, " ({} pairs)", c.added);
        }
    }
    if c.removed > 0 {
        let _ = write!(
            s,
            "{} newly denied on {}",
            if c.added > 0 { ";" } else { "" },
            model.probe_list(c.removed_probes, usize::MAX)
        );
        if edge.pairs.total > 1 {
            let _ = write!(s, " ({} pairs)", c.removed);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use netpol_core::parse::parse_str;
    use netpol_core::presets;

    use super::super::model::{Level, NodeKind};
    use super::*;

    fn evaluated(yaml: &str) -> Evaluated {
        Evaluated::new(parse_str(yaml).scenario)
    }

    fn preset(id: &str) -> String {
        presets::by_id(id).map(|p| p.yaml.to_owned()).unwrap_or_default()
    }

    fn kinds(g: &GraphModel) -> BTreeMap<(String, String), ChangeKind> {
        g.edges
            .iter()
            .map(|e| {
                let id = |n: usize| g.nodes[n].id.clone();
                ((id(e.from), id(e.to)), e.change.map_or(ChangeKind::Same, |c| c.kind()))
            })
            .collect()
    }

    /// Against the per-pair truth: an arrow is marked added/removed exactly
    /// when some pair between its ends changed verdict on some probe.
    fn check_against_pairs(before: &Evaluated, after: &Evaluated, view: &ViewState) {
        let g = build_compare(before, after, view);
        let summary = g.compare.clone().unwrap_or_default();
        assert!(summary.complete);
        let probes: Vec<Probe> = g.probes.clone();
        let find = |ev: &Evaluated, ns: &str, name: &str| {
            ev.scenario.endpoints.iter().position(|e| e.namespace == ns && e.name == name)
        };
        let mut want: BTreeMap<(usize, usize), (bool, bool)> = BTreeMap::new();
        for (ia, ea) in after.scenario.endpoints.iter().enumerate() {
            for (ja, eb) in after.scenario.endpoints.iter().enumerate() {
                if ia == ja {
                    continue;
                }
                let (u, v) = (g.endpoint_node[ia], g.endpoint_node[ja]);
                for &probe in &probes {
                    let flow = |s, a, b| {
                        netpol_core::is_allowed(
                            s,
                            &netpol_core::Flow {
                                from: netpol_core::FlowEnd::Endpoint(a),
                                to: netpol_core::FlowEnd::Endpoint(b),
                                probe,
                            },
                        )
                    };
                    let now = flow(&after.scenario, ia, ja);
                    let was = match (find(before, &ea.namespace, &ea.name), find(before, &eb.namespace, &eb.name)) {
                        (Some(ib), Some(jb)) => flow(&before.scenario, ib, jb),
                        _ => false,
                    };
                    if now != was && u != v {
                        let w = want.entry((u, v)).or_default();
                        w.0 |= now;
                        w.1 |= was;
                    }
                }
            }
        }
        let got: BTreeMap<(usize, usize), (bool, bool)> = g
            .edges
            .iter()
            .filter(|e| matches!(g.nodes[e.from].kind, NodeKind::Endpoint { .. } | NodeKind::Namespace { .. }))
            .filter(|e| matches!(g.nodes[e.to].kind, NodeKind::Endpoint { .. } | NodeKind::Namespace { .. }))
            .filter_map(|e| e.change.map(|c| ((e.from, e.to), (c.added > 0, c.removed > 0))))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_tightened_policy_marks_exactly_the_changed_arrows() {
        let before = evaluated(&preset("three-tier"));
        // Drop the last policy document: what it allowed is newly denied.
        let text = preset("three-tier");
        let cut = text.rfind("\n---").unwrap_or(text.len());
        let after = evaluated(&text[..cut]);
        for level in [Level::Pods, Level::Namespaces] {
            let view = ViewState { level, ..ViewState::default() };
            check_against_pairs(&before, &after, &view);
            check_against_pairs(&after, &before, &view);
        }
        let g = build_compare(&before, &after, &ViewState { level: Level::Pods, ..ViewState::default() });
        let k = kinds(&g);
        assert!(k.values().any(|&c| c != ChangeKind::Same), "dropping a policy changes some arrow: {k:?}");
    }

    #[test]
    fn same_text_changes_nothing_and_new_pods_count_as_newly_allowed() {
        let text = preset("cluster-guardrails");
        let (a, b) = (evaluated(&text), evaluated(&text));
        let g = build_compare(&a, &b, &ViewState { level: Level::Pods, ..ViewState::default() });
        assert!(g.edges.iter().all(|e| e.change.is_none()));
        assert_eq!(g.compare.as_ref().map(|c| (c.added, c.removed)), Some((0, 0)));

        let extra = format!(
            "{text}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: newcomer\n  namespace: backend\n  labels:\n    app: newcomer\n"
        );
        let after = evaluated(&extra);
        check_against_pairs(&a, &after, &ViewState { level: Level::Pods, ..ViewState::default() });
        let g = build_compare(&a, &after, &ViewState { level: Level::Pods, ..ViewState::default() });
        let k = kinds(&g);
        assert!(k.iter().any(|((f, _), &c)| f == "backend/newcomer" && c == ChangeKind::Added), "{k:?}");
        assert!(g.edges.iter().all(|e| !matches!(e.change.map(|c| c.kind()), Some(ChangeKind::Removed))));
    }

    #[test]
    fn labels_say_plus_and_minus() {
        let probes: Vec<Probe> = ["TCP/80", "TCP/443"].iter().filter_map(|p| Probe::parse(p)).collect();
        let g = GraphModel { probes, ..GraphModel::default() };
        let pair = (GraphEndpoint::Endpoint(0), GraphEndpoint::Endpoint(1));
        let edge = |change, total| GraphEdge {
            from: 0,
            to: 1,
            probes: 1,
            pairs: PairCount { allowed: 1, total },
            example: pair,
            tiers: 0,
            change: Some(change),
        };
        let c = EdgeChange { added: 1, added_probes: 0b01, removed: 1, removed_probes: 0b10 };
        assert_eq!(c.kind(), ChangeKind::Mixed);
        assert_eq!(change_label(&g, &edge(c, 1)), "+ TCP/80  − TCP/443");
        let c = EdgeChange { added: 3, added_probes: 1, ..EdgeChange::default() };
        assert_eq!(change_label(&g, &edge(c, 12)), "+3 pod pairs");
        assert!(change_title(&g, &edge(c, 12)).contains("newly allowed on TCP/80 (3 pairs)"));
        assert_eq!(ChangeKind::Removed.badge(), "−");
    }
}
