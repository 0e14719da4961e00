//! Which edges the graph draws and which it lights up.
//!
//! A fully open cluster of 500 namespaces has 250,000 namespace pairs:
//! drawing them all is neither fast nor readable. Above [`EDGE_BUDGET`] the
//! graph draws the edges of what the user looks at (the hovered node, the
//! selected edge, the expanded namespaces) and says how many it left out.

use super::model::{GraphEdge, GraphModel, NodeKind};

/// The most edges drawn at once.
pub const EDGE_BUDGET: usize = 1200;
/// Above this many drawn edges, labels show only for the focused ones.
pub const LABEL_LIMIT: usize = 40;

/// The edges to draw, in model order, and how many are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    /// Indices into `GraphModel::edges`.
    pub edges: Vec<usize>,
    /// Edges of the model not drawn.
    pub hidden: usize,
}

/// Chooses the edges to draw given the focused node and the selected edge.
pub fn drawn_edges(model: &GraphModel, focus: Option<usize>, selected: Option<usize>) -> Drawn {
    drawn_edges_where(model, focus, selected, &|_| true)
}

/// [`drawn_edges`] among the edges `visible` keeps (the tier filter); the
/// others are neither drawn nor counted as hidden.
pub fn drawn_edges_where(
    model: &GraphModel,
    focus: Option<usize>,
    selected: Option<usize>,
    visible: &dyn Fn(&GraphEdge) -> bool,
) -> Drawn {
    let shown: Vec<bool> = model.edges.iter().map(visible).collect();
    let total = shown.iter().filter(|&&v| v).count();
    if total <= EDGE_BUDGET {
        let edges = shown.iter().enumerate().filter(|(_, &v)| v).map(|(k, _)| k).collect();
        return Drawn { edges, hidden: 0 };
    }
    let is_pod = |n: usize| matches!(model.nodes.get(n).map(|n| &n.kind), Some(NodeKind::Endpoint { .. }));
    let mut keep = vec![false; model.edges.len()];
    let mut kept = 0;
    // Priority: the selected edge, the focused node's edges, then (only when
    // some namespaces are aggregated) the edges of expanded endpoints.
    let tiers: [&dyn Fn(usize) -> bool; 3] = [
        &|k| Some(k) == selected,
        &|k| model.edges.get(k).is_some_and(|e| Some(e.from) == focus || Some(e.to) == focus),
        &|k| model.aggregated && model.edges.get(k).is_some_and(|e| is_pod(e.from) || is_pod(e.to)),
    ];
    for wanted in tiers {
        for (k, slot) in keep.iter_mut().enumerate() {
            if kept == EDGE_BUDGET {
                break;
            }
            if !*slot && shown.get(k).copied().unwrap_or(false) && wanted(k) {
                *slot = true;
                kept += 1;
            }
        }
    }
    let edges: Vec<usize> = keep.iter().enumerate().filter(|(_, &k)| k).map(|(k, _)| k).collect();
    Drawn { hidden: total - edges.len(), edges }
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
