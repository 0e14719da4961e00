//! Which edges the graph draws and which it lights up.
//!
//! A fully open cluster of 500 namespaces has 250,000 namespace pairs:
//! drawing them all is neither fast nor readable. Up to [`EDGE_BUDGET`]
//! edges everything is drawn. Above it the graph opens on an *overview*:
//! at most [`OVERVIEW_BUDGET`] arrows chosen because they differ from the
//! cluster's common case (see [`Overview`]), with the rest summarised in
//! words ([`status_text`]); the hovered node's, the selected edge's and the
//! expanded namespaces' arrows are added on top, up to [`EDGE_BUDGET`].

use super::model::{GraphEdge, GraphModel, NodeKind};

/// The most edges drawn at once.
pub const EDGE_BUDGET: usize = 1200;
/// Above [`EDGE_BUDGET`], the most arrows drawn before the user points at
/// anything: enough to see the shape of a 100-namespace cluster, few enough
/// to stay readable and cheap to draw when a result is published.
pub const OVERVIEW_BUDGET: usize = 300;
/// Above this many drawn edges, labels show only for the focused ones.
pub const LABEL_LIMIT: usize = 40;

/// What the cluster mostly does between different units, measured in
/// endpoint pairs, and so which arrows the overview picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emphasis {
    /// Fewer than half of the endpoint pairs between units are allowed
    /// (isolated namespaces): the allowed arrows are the exception, the
    /// widest first (largest allowed fraction, then most allowed pairs).
    Openings,
    /// At least half are allowed (an open cluster): restrictions are the
    /// exception, so partly allowed arrows come first, the most restricted
    /// first (smallest allowed fraction), fully allowed arrows last; unit
    /// pairs with no arrow at all are counted in words.
    Restrictions,
}

/// The overview of a model with more edges than [`EDGE_BUDGET`]: the
/// arrows drawn unfocused and what they leave out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overview {
    /// Which arrows were picked.
    pub emphasis: Emphasis,
    /// Edge indices drawn unfocused, in model order.
    pub edges: Vec<usize>,
    /// Arrows (visible under the filter) left out.
    pub more: usize,
    /// Ordered pairs of different endpoint units with no allowed pair.
    pub closed: u64,
    /// Ordered pairs of different endpoint units.
    pub unit_pairs: u64,
}

/// The edges to draw, in model order, and how many are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Indices into `GraphModel::edges`.
    pub edges: Vec<usize>,
    /// Edges of the model (visible under the filter) not drawn.
    pub hidden: usize,
    /// Set when the model is over [`EDGE_BUDGET`]: the overview's choice.
    pub overview: Option<Overview>,
}

/// Chooses the edges to draw given the focused node and the selected edge.
pub fn drawn_edges(model: &GraphModel, focus: Option<usize>, selected: Option<usize>) -> Drawn {
    let overview = overview(model, &|_| true);
    drawn_edges_with(model, overview.as_ref(), focus, selected, &|_| true)
}

/// The overview among the edges `visible` keeps (the tier filter), or
/// `None` when they fit in [`EDGE_BUDGET`] and are all drawn. Independent
/// of hover, so the page computes it once per model and filter.
pub fn overview(model: &GraphModel, visible: &dyn Fn(&GraphEdge) -> bool) -> Option<Overview> {
    let shown: Vec<usize> = (0..model.edges.len()).filter(|&k| model.edges.get(k).is_some_and(visible)).collect();
    if shown.len() <= EDGE_BUDGET {
        return None;
    }
    let UnitCounts { units, open_unit_pairs, emphasis } = unit_counts(model);
    // Keys are unique ([`arrow_key`]), so the first OVERVIEW_BUDGET of the
    // sorted keys are found by sorting chunks of twice the budget and
    // keeping the best half each time: O(arrows · log budget) and no
    // vector of all arrows (360,000 at 1,000 namespaces).
    let mut keyed: Vec<(u64, u64, usize)> = Vec::with_capacity(2 * OVERVIEW_BUDGET);
    // Once a chunk was cut: the worst key kept, which OVERVIEW_BUDGET
    // better keys beat, so no worse key can be among the first.
    let mut worst_kept = None;
    for &k in &shown {
        let Some(kk) = arrow_key(model, emphasis, k) else { continue };
        if worst_kept.is_some_and(|w| kk > w) {
            continue;
        }
        keyed.push(kk);
        if keyed.len() == 2 * OVERVIEW_BUDGET {
            netpol_core::sort::sort(&mut keyed);
            keyed.truncate(OVERVIEW_BUDGET);
            worst_kept = keyed.last().copied();
        }
    }
    netpol_core::sort::sort(&mut keyed);
    let mut ranked: Vec<usize> = keyed.iter().take(OVERVIEW_BUDGET).map(|&(_, _, k)| k).collect();
    netpol_core::sort::sort(&mut ranked);
    let unit_pairs = units * units.saturating_sub(1);
    Some(Overview {
        emphasis,
        more: shown.len() - ranked.len(),
        edges: ranked,
        closed: unit_pairs.saturating_sub(open_unit_pairs),
        unit_pairs,
    })
}

/// The endpoint units of an overview (collapsed namespaces and endpoints;
/// external nodes are not units), how many ordered unit pairs have an
/// arrow, and what the cluster mostly does between units.
struct UnitCounts {
    units: u64,
    open_unit_pairs: u64,
    emphasis: Emphasis,
}

fn unit_counts(model: &GraphModel) -> UnitCounts {
    let size = |n: usize| match model.nodes.get(n).map(|n| (&n.kind, n.isolation.members)) {
        Some((NodeKind::External { .. }, _)) | None => None,
        Some((_, members)) => Some(members as u64),
    };
    let (mut units, mut endpoints, mut squares) = (0u64, 0u64, 0u64);
    for n in 0..model.nodes.len() {
        if let Some(k) = size(n) {
            units += 1;
            endpoints += k;
            squares += k * k;
        }
    }
    // Endpoint pairs between different units, and how many are allowed.
    let possible = endpoints * endpoints - squares;
    let mut allowed = 0u64;
    let mut open_unit_pairs = 0u64;
    for e in &model.edges {
        if size(e.from).is_some() && size(e.to).is_some() {
            allowed += e.pairs.allowed;
            open_unit_pairs += 1;
        }
    }
    let emphasis = if allowed * 2 < possible { Emphasis::Openings } else { Emphasis::Restrictions };
    UnitCounts { units, open_unit_pairs, emphasis }
}

/// Arrow `k`'s rank in the overview, smallest first: the allowed share in
/// 2^-32 units, then the allowed count, both inverted for openings (widest
/// first), then the model order, so keys are unique.
fn arrow_key(model: &GraphModel, emphasis: Emphasis, k: usize) -> Option<(u64, u64, usize)> {
    let p = model.edges.get(k)?.pairs;
    let share = ((u128::from(p.allowed) << 32) / u128::from(p.total.max(1))).min(u128::from(u64::MAX)) as u64;
    Some(match emphasis {
        Emphasis::Openings => (u64::MAX - share, u64::MAX - p.allowed, k),
        Emphasis::Restrictions => (share, p.allowed, k),
    })
}

/// The edges to draw: all visible ones without an overview; else the
/// overview's, plus the selected edge, the focused node's edges and (when
/// some namespaces are aggregated) the edges of expanded endpoints, in
/// that priority, up to [`EDGE_BUDGET`].
pub fn drawn_edges_with(
    model: &GraphModel,
    overview: Option<&Overview>,
    focus: Option<usize>,
    selected: Option<usize>,
    visible: &dyn Fn(&GraphEdge) -> bool,
) -> Drawn {
    let Some(overview) = overview else {
        let edges = (0..model.edges.len()).filter(|&k| model.edges.get(k).is_some_and(visible)).collect();
        return Drawn { edges, hidden: 0, overview: None };
    };
    // Per hover: one counting pass and one pass per wanted set, no
    // per-edge allocation; the kept edges are a bitset read in order.
    let total = model.edges.iter().filter(|e| visible(e)).count();
    let shown = |k: usize| model.edges.get(k).is_some_and(visible);
    let is_pod = |n: usize| matches!(model.nodes.get(n).map(|n| &n.kind), Some(NodeKind::Endpoint { .. }));
    let mut keep = vec![0u64; model.edges.len().div_ceil(64)];
    let mut kept = 0;
    // Marks edge `k` kept; whether it was new.
    let take = |k: usize, keep: &mut [u64]| -> bool {
        match keep.get_mut(k / 64).filter(|w| **w >> (k % 64) & 1 == 0) {
            Some(w) => {
                *w |= 1 << (k % 64);
                true
            }
            None => false,
        }
    };
    for &k in &overview.edges {
        if shown(k) && take(k, &mut keep) {
            kept += 1;
        }
    }
    // The selected edge, the focused node's edges, the expanded endpoints'
    // edges, each in model order, while under the budget.
    let pod_edges = model.aggregated && model.nodes.iter().any(|n| matches!(n.kind, NodeKind::Endpoint { .. }));
    let wanted: [&dyn Fn(&GraphEdge) -> bool; 2] =
        [&|e| Some(e.from) == focus || Some(e.to) == focus, &|e| pod_edges && (is_pod(e.from) || is_pod(e.to))];
    if let Some(k) = selected.filter(|&k| shown(k)) {
        if kept < EDGE_BUDGET && take(k, &mut keep) {
            kept += 1;
        }
    }
    for (t, want) in wanted.iter().enumerate() {
        if (t == 0 && focus.is_none()) || (t == 1 && !pod_edges) {
            continue;
        }
        for (k, e) in model.edges.iter().enumerate() {
            if kept >= EDGE_BUDGET {
                break;
            }
            if want(e) && keep.get(k / 64).is_some_and(|w| w >> (k % 64) & 1 == 0) && visible(e) && take(k, &mut keep) {
                kept += 1;
            }
        }
    }
    let mut edges: Vec<usize> = Vec::with_capacity(kept);
    for (wi, &w) in keep.iter().enumerate() {
        let mut bits = w;
        while bits != 0 {
            edges.push(wi * 64 + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }
    Drawn { hidden: total - edges.len(), edges, overview: Some(overview.clone()) }
}

/// The words under the toolbar for an overview: what is drawn, why, and
/// what is left out. `None` when every arrow is drawn.
pub fn status_text(drawn: &Drawn, aggregated: bool) -> Option<String> {
    let o = drawn.overview.as_ref()?;
    let unit = if aggregated { "namespace" } else { "endpoint" };
    let shown = thousands(o.edges.len() as u64);
    let mut s = match o.emphasis {
        Emphasis::Openings => format!(
            "Most {unit}s are isolated from each other: showing the {shown} widest openings (largest share of allowed pod pairs first)."
        ),
        Emphasis::Restrictions => format!(
            "Most {unit}s are open to each other: showing the {shown} most restricted arrows (smallest share of allowed pod pairs first)."
        ),
    };
    if drawn.hidden > 0 {
        let pairs = if drawn.hidden == 1 { "pair" } else { "pairs" };
        s.push_str(&format!(
            " {} more {unit} {pairs} allowed, not drawn: hover a {unit} to see its arrows",
            thousands(drawn.hidden as u64)
        ));
        s.push_str(if aggregated { ", or click it to expand it." } else { "." });
    }
    if o.emphasis == Emphasis::Restrictions && o.closed > 0 {
        s.push_str(&format!(
            " {} of {} {unit} pairs allow nothing at all.",
            thousands(o.closed),
            thousands(o.unit_pairs)
        ));
    }
    Some(s)
}

/// `12345` as `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the focused node touches: itself, its neighbours and its edges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lit {
    /// Per node.
    pub nodes: Vec<bool>,
    /// Per model edge.
    pub edges: Vec<bool>,
}

/// The nodes and edges connected to `node`.
pub fn lit_by(model: &GraphModel, node: usize) -> Lit {
    let mut lit = Lit { nodes: vec![false; model.nodes.len()], edges: vec![false; model.edges.len()] };
    if let Some(n) = lit.nodes.get_mut(node) {
        *n = true;
    }
    for (k, e) in model.edges.iter().enumerate() {
        if e.from == node || e.to == node {
            lit.edges[k] = true;
            for end in [e.from, e.to] {
                if let Some(n) = lit.nodes.get_mut(end) {
                    *n = true;
                }
            }
        }
    }
    lit
}

#[cfg(test)]
mod tests {
    use super::super::model::{GraphEdge, GraphEndpoint, GraphNode, Isolation, PairCount};
    use super::*;

    /// `units` collapsed namespaces of `members` endpoints each, and an
    /// edge for every ordered pair `pairs(a, b)` returns allowed pairs for.
    fn model(units: usize, members: usize, pairs: impl Fn(usize, usize) -> u64) -> GraphModel {
        let nodes = (0..units)
            .map(|n| GraphNode {
                id: format!("ns{n}"),
                label: format!("ns{n}"),
                badge: None,
                kind: NodeKind::Namespace { name: format!("ns{n}") },
                isolation: Isolation { members, ..Isolation::default() },
                internal: None,
            })
            .collect();
        let total = (members * members) as u64;
        let mut edges = Vec::new();
        for a in 0..units {
            for b in (0..units).filter(|&b| b != a) {
                let allowed = pairs(a, b);
                if allowed > 0 {
                    edges.push(GraphEdge {
                        from: a,
                        to: b,
                        probes: 1,
                        pairs: PairCount { allowed, total },
                        example: (GraphEndpoint::Endpoint(a), GraphEndpoint::Endpoint(b)),
                        tiers: 0,
                        change: None,
                    });
                }
            }
        }
        GraphModel { nodes, edges, aggregated: true, ..GraphModel::default() }
    }

    #[test]
    fn everything_is_drawn_within_the_budget() {
        let m = model(30, 4, |_, _| 1);
        assert_eq!(m.edges.len(), 870);
        let d = drawn_edges(&m, None, None);
        assert_eq!((d.edges.len(), d.hidden, &d.overview), (870, 0, &None));
        assert_eq!(status_text(&d, true), None);
    }

    /// An isolated cluster (few allowed pairs): the overview shows the
    /// widest openings, at once, without hover; hovering adds the node's
    /// arrows; the words count what is left out.
    #[test]
    fn isolated_clusters_open_on_their_widest_openings() {
        // 100 namespaces of 20 pods: every pair allows 1 of 400 pod pairs,
        // except ns0 → ns{b}, fully open, and ns1 → ns{b}, half open.
        let m = model(100, 20, |a, _| match a {
            0 => 400,
            1 => 200,
            _ => 1,
        });
        assert_eq!(m.edges.len(), 9900);
        let d = drawn_edges(&m, None, None);
        let o = d.overview.clone().expect("over the budget");
        assert_eq!(o.emphasis, Emphasis::Openings);
        assert_eq!(d.edges.len(), OVERVIEW_BUDGET);
        assert_eq!(d.hidden, 9900 - OVERVIEW_BUDGET);
        // ns0's 99 arrows first, then ns1's, then the rest in model order.
        let from = |k: usize| m.edges[k].from;
        assert_eq!(d.edges.iter().filter(|&&k| from(k) == 0).count(), 99);
        assert_eq!(d.edges.iter().filter(|&&k| from(k) == 1).count(), 99);
        assert!(d.edges.windows(2).all(|w| w[0] < w[1]), "model order");
        let text = status_text(&d, true).unwrap_or_default();
        assert!(text.contains("showing the 300 widest openings"), "{text}");
        assert!(text.contains("9,600 more namespace pairs allowed"), "{text}");

        // Hovering ns50 adds its 198 arrows (those not drawn yet).
        let hovered = drawn_edges(&m, Some(50), None);
        let of_50 = |k: &usize| m.edges[*k].from == 50 || m.edges[*k].to == 50;
        assert_eq!(hovered.edges.iter().filter(|k| of_50(k)).count(), 198);
        assert!(d.edges.iter().all(|k| hovered.edges.contains(k)), "the overview stays while hovering");
        assert_eq!(hovered.hidden, 9900 - hovered.edges.len());
    }

    /// An open cluster: restrictions are the news. Partly allowed arrows
    /// come first (most restricted first) and closed pairs are counted.
    #[test]
    fn open_clusters_open_on_their_restrictions() {
        // 60 namespaces of 10 pods, fully open except: ns3 → anything is
        // closed, anything → ns7 allows 10 of 100 pairs, ns9 → ns8 50.
        let m = model(60, 10, |a, b| match (a, b) {
            (3, _) => 0,
            (_, 7) => 10,
            (9, 8) => 50,
            _ => 100,
        });
        let d = drawn_edges(&m, None, None);
        let o = d.overview.clone().expect("over the budget");
        assert_eq!(o.emphasis, Emphasis::Restrictions);
        assert_eq!((o.closed, o.unit_pairs), (59, 60 * 59));
        let restricted: Vec<usize> = (0..m.edges.len()).filter(|&k| m.edges[k].pairs.allowed < 100).collect();
        assert_eq!(restricted.len(), 58 + 1);
        assert!(restricted.iter().all(|k| d.edges.contains(k)), "every restricted arrow is drawn");
        assert_eq!(d.edges.len(), OVERVIEW_BUDGET);
        let text = status_text(&d, true).unwrap_or_default();
        assert!(text.contains("most restricted"), "{text}");
        assert!(text.contains("59 of 3,540 namespace pairs allow nothing at all"), "{text}");
    }

    /// The tier filter's hidden arrows are neither drawn nor counted.
    #[test]
    fn the_filter_applies_before_the_budget() {
        let m = model(100, 2, |a, _| if a < 5 { 4 } else { 1 });
        let visible = |e: &GraphEdge| e.from < 10;
        let o = overview(&m, &visible);
        assert_eq!(o, None, "990 visible arrows fit the budget");
        let d = drawn_edges_with(&m, None, None, None, &visible);
        assert_eq!((d.edges.len(), d.hidden), (990, 0));
    }

    /// The straightforward overview and drawn edges (a full sort of every
    /// arrow's key, per-edge flags), the reference for the fast ones.
    fn overview_reference(model: &GraphModel, visible: &dyn Fn(&GraphEdge) -> bool) -> Option<Overview> {
        let shown: Vec<usize> = (0..model.edges.len()).filter(|&k| model.edges.get(k).is_some_and(visible)).collect();
        if shown.len() <= EDGE_BUDGET {
            return None;
        }
        let UnitCounts { units, open_unit_pairs, emphasis } = unit_counts(model);
        // Every arrow's key, sorted once.
        let mut keyed: Vec<(u64, u64, usize)> = shown.iter().filter_map(|&k| arrow_key(model, emphasis, k)).collect();
        netpol_core::sort::sort(&mut keyed);
        let mut ranked: Vec<usize> = keyed.iter().take(OVERVIEW_BUDGET).map(|&(_, _, k)| k).collect();
        netpol_core::sort::sort(&mut ranked);
        let unit_pairs = units * units.saturating_sub(1);
        Some(Overview {
            emphasis,
            more: shown.len() - ranked.len(),
            edges: ranked,
            closed: unit_pairs.saturating_sub(open_unit_pairs),
            unit_pairs,
        })
    }
    fn drawn_edges_with_reference(
        model: &GraphModel,
        overview: Option<&Overview>,
        focus: Option<usize>,
        selected: Option<usize>,
        visible: &dyn Fn(&GraphEdge) -> bool,
    ) -> Drawn {
        let shown: Vec<bool> = model.edges.iter().map(visible).collect();
        let total = shown.iter().filter(|&&v| v).count();
        let Some(overview) = overview else {
            let edges = shown.iter().enumerate().filter(|(_, &v)| v).map(|(k, _)| k).collect();
            return Drawn { edges, hidden: 0, overview: None };
        };
        let is_pod = |n: usize| matches!(model.nodes.get(n).map(|n| &n.kind), Some(NodeKind::Endpoint { .. }));
        let mut keep = vec![false; model.edges.len()];
        let mut kept = 0;
        for &k in &overview.edges {
            if let Some(slot) = keep.get_mut(k).filter(|_| shown.get(k).copied().unwrap_or(false)) {
                *slot = true;
                kept += 1;
            }
        }
        let tiers: [&dyn Fn(usize) -> bool; 3] = [
            &|k| Some(k) == selected,
            &|k| model.edges.get(k).is_some_and(|e| Some(e.from) == focus || Some(e.to) == focus),
            &|k| model.aggregated && model.edges.get(k).is_some_and(|e| is_pod(e.from) || is_pod(e.to)),
        ];
        for wanted in tiers {
            for (k, slot) in keep.iter_mut().enumerate() {
                if kept >= EDGE_BUDGET {
                    break;
                }
                if !*slot && shown.get(k).copied().unwrap_or(false) && wanted(k) {
                    *slot = true;
                    kept += 1;
                }
            }
        }
        let edges: Vec<usize> = keep.iter().enumerate().filter(|(_, &k)| k).map(|(k, _)| k).collect();
        Drawn { hidden: total - edges.len(), edges, overview: Some(overview.clone()) }
    }

    /// The fast overview (chunked top-k) and drawn edges (bitset, per-tier
    /// scans) equal the straightforward ones on random models: mixed
    /// namespace and endpoint nodes, both emphases, a tier filter, any
    /// focus and selection.
    #[test]
    fn fast_overview_and_drawn_edges_equal_the_reference() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n.max(1)
        };
        let (mut overviews, mut emphases) = (0, 0u8);
        for round in 0..12 {
            let units = 40 + next(40) as usize;
            // Sparse rounds (openings) and dense ones (restrictions).
            let density = if round % 2 == 0 { 1 + next(4) } else { 0 };
            let mut m = model(units, 1 + next(5) as usize, |_, _| 0);
            // Some nodes are expanded endpoints.
            for n in 0..units {
                if next(6) == 0 {
                    m.nodes[n].kind = NodeKind::Endpoint { index: n, kind: netpol_core::model::EndpointKind::Pod };
                    m.nodes[n].isolation.members = 1;
                }
            }
            let size = |m: &GraphModel, n: usize| m.nodes[n].isolation.members as u64;
            for a in 0..units {
                for b in (0..units).filter(|&b| b != a) {
                    if density == 0 && next(8) > 0 || density > 0 && next(density + 1) == 0 {
                        continue;
                    }
                    let total = size(&m, a) * size(&m, b);
                    // Few distinct shares, so keys tie on share and count.
                    let allowed = [total, total / 2, 1, total][next(4) as usize].max(1);
                    m.edges.push(GraphEdge {
                        from: a,
                        to: b,
                        probes: 1 + next(3),
                        pairs: PairCount { allowed, total },
                        example: (GraphEndpoint::Endpoint(a), GraphEndpoint::Endpoint(b)),
                        tiers: 1 << next(4),
                        change: None,
                    });
                }
            }
            let filters: [&dyn Fn(&GraphEdge) -> bool; 3] =
                [&|_| true, &|e: &GraphEdge| e.tiers & 0b0111 != 0, &|e: &GraphEdge| e.probes != 2];
            for visible in filters {
                let want = overview_reference(&m, visible);
                let got = overview(&m, visible);
                assert_eq!(got, want, "round {round}");
                overviews += usize::from(got.is_some());
                emphases |= got.as_ref().map_or(0, |o| 1 << (o.emphasis as u8));
                for _ in 0..6 {
                    let focus = (next(3) > 0).then(|| next(units as u64 + 2) as usize);
                    let selected = (next(2) > 0).then(|| next(m.edges.len() as u64 + 2) as usize);
                    let want = drawn_edges_with_reference(&m, want.as_ref(), focus, selected, visible);
                    let got = drawn_edges_with(&m, got.as_ref(), focus, selected, visible);
                    assert_eq!(got, want, "round {round}, focus {focus:?}, selected {selected:?}");
                }
            }
        }
        assert!(overviews > 6, "most models are over the budget ({overviews})");
        assert_eq!(emphases, 0b11, "both emphases");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
