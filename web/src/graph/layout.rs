//! Where everything of the allow graph goes, deterministically.
//!
//! Namespace groups sit on a grid in name order; the nodes of an expanded
//! group sit on a grid inside its box, each cell as wide as its column's
//! widest label; external nodes form a column to the right. Edges are
//! quadratic Bézier curves between node borders that always bend to the
//! left of their direction, so `a → b` and `b → a` are two distinct arrows.
//!
//! Text is measured from its character count: node labels use a monospace
//! font whose advance is 0.6 em in every common monospace face, so the
//! estimate is an upper bound and labels never overflow their boxes.
//!
//! Cost: linear in nodes and edges (plus sorting nothing: the model is
//! already ordered).

use super::model::{GraphEdge, GraphModel, GraphNode, NodeKind};
use super::num;

/// Node label font size (px); the CSS must use the same.
pub const LABEL_FONT: f64 = 12.0;
/// Detail-line and edge-label font size (px).
pub const SMALL_FONT: f64 = 10.0;
/// Monospace advance per character, as a fraction of the font size (0.6 em
/// for DejaVu Sans Mono, Liberation Mono, Menlo, Consolas; rounded up).
pub const CHAR_EM: f64 = 0.62;
/// Height of a node box.
pub const NODE_H: f64 = 40.0;
/// Height of an edge label's background.
pub const EDGE_LABEL_H: f64 = 14.0;

const NODE_PAD_X: f64 = 10.0;
const NODE_MIN_W: f64 = 64.0;
const CELL_GAP_X: f64 = 64.0;
const CELL_GAP_Y: f64 = 38.0;
const BOX_PAD: f64 = 16.0;
const BOX_HEADER: f64 = 26.0;
const GROUP_GAP: f64 = 64.0;
const EXTERNAL_GAP_X: f64 = 90.0;
const EXTERNAL_GAP_Y: f64 = 30.0;
const MARGIN: f64 = 24.0;
const ARROW_LEN: f64 = 9.0;
const ARROW_HALF_W: f64 = 4.5;

/// A point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// x (px, SVG user units).
    pub x: f64,
    /// y.
    pub y: f64,
}

impl Point {
    const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
}

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// The centre.
    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Whether the two rectangles share interior area.
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether `o` lies inside (borders may touch).
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.x + o.w <= self.x + self.w && o.y + o.h <= self.y + self.h
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        Rect { x, y, w: (self.x + self.w).max(o.x + o.w) - x, h: (self.y + self.h).max(o.y + o.h) - y }
    }
}

/// An edge's geometry.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EdgeGeom {
    /// Where the curve leaves the source's border.
    pub start: Point,
    /// The Bézier control point.
    pub control: Point,
    /// Where the arrow's tip touches the destination's border.
    pub end: Point,
    /// Arrowhead corners: tip, left, right.
    pub arrow: [Point; 3],
    /// The label's background box, centred on the curve's midpoint.
    pub label: Rect,
}

impl EdgeGeom {
    /// The SVG path data of the curve (stopping at the arrowhead's base).
    pub fn path(&self) -> String {
        let base = self.arrow_base();
        let mut s = String::from("M");
        let values = [self.start.x, self.start.y, self.control.x, self.control.y, base.x, base.y];
        num::join(&mut s, &values, &[",", " Q", ",", " ", ","]);
        s
    }

    /// The arrowhead as SVG `points`.
    pub fn arrow_points(&self) -> String {
        let [a, b, c] = self.arrow;
        let mut s = String::new();
        num::join(&mut s, &[a.x, a.y, b.x, b.y, c.x, c.y], &[",", " ", ",", " ", ","]);
        s
    }

    /// The curve's point at parameter `t` in `0..=1`.
    pub fn point_at(&self, t: f64) -> Point {
        let (a, b, c) = ((1.0 - t) * (1.0 - t), 2.0 * t * (1.0 - t), t * t);
        Point::new(
            a * self.start.x + b * self.control.x + c * self.end.x,
            a * self.start.y + b * self.control.y + c * self.end.y,
        )
    }

    /// The label box (as wide as [`EdgeGeom::label`]) centred on the point
    /// at `t`.
    pub fn label_at(&self, t: f64) -> Rect {
        let p = self.point_at(t);
        Rect { x: p.x - self.label.w / 2.0, y: p.y - self.label.h / 2.0, ..self.label }
    }

    fn arrow_base(&self) -> Point {
        let [tip, l, r] = self.arrow;
        let _ = tip;
        Point::new((l.x + r.x) / 2.0, (l.y + r.y) / 2.0)
    }
}

/// Where everything goes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// One box per model node.
    pub nodes: Vec<Rect>,
    /// One box per model group (for collapsed groups, the node's box).
    pub groups: Vec<Rect>,
    /// One geometry per model edge.
    pub edges: Vec<EdgeGeom>,
    /// The drawing's size, including the margin.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Layout {
    /// What an edge label must not cover: every node box and every group's
    /// header strip (the namespace name).
    pub fn label_obstacles(&self) -> Vec<Rect> {
        let headers = self.groups.iter().map(|g| Rect { h: BOX_HEADER.min(g.h), ..*g });
        self.nodes.iter().copied().chain(headers).collect()
    }
}

/// Width of `text` at `font` px in the monospace face.
pub fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * CHAR_EM
}

/// Width of an isolation marker's shield icon.
pub const SHIELD_W: f64 = 9.0;
/// Space between items of a node's second line.
const DETAIL_GAP: f64 = 7.0;

/// Where each marker of a node's second line starts, relative to the text
/// start, and the whole line's width: `detail`, then per marker a shield
/// and its text.
pub fn detail_line(detail: &str, markers: &[String]) -> (Vec<f64>, f64) {
    let mut x = text_width(detail, SMALL_FONT);
    let mut starts = Vec::with_capacity(markers.len());
    for m in markers {
        if x > 0.0 {
            x += DETAIL_GAP;
        }
        starts.push(x);
        x += SHIELD_W + 2.0 + text_width(m, SMALL_FONT);
    }
    (starts, x)
}

/// The size of a node box: wide enough for its label and second line.
pub fn node_size(node: &GraphNode) -> (f64, f64) {
    let (_, detail_w) = detail_line(&node.detail(), &node.markers());
    let w = text_width(&node.label, LABEL_FONT).max(detail_w) + 2.0 * NODE_PAD_X;
    (w.max(NODE_MIN_W), NODE_H)
}

/// Lays out `model`, nodes and every edge. Deterministic: the same model
/// gives the same layout.
pub fn layout(model: &GraphModel) -> Layout {
    let mut l = layout_nodes(model);
    l.edges = model.edges.iter().map(|e| edge_between(&l.nodes, e, &model.edge_label(e))).collect();
    l
}

/// Lays out groups and nodes only (`edges` stays empty): what the component
/// uses, since it draws a budget of edges with [`edge_between`].
pub fn layout_nodes(model: &GraphModel) -> Layout {
    let mut nodes = vec![Rect::default(); model.nodes.len()];
    let sizes: Vec<(f64, f64)> = model.nodes.iter().map(node_size).collect();

    // 1. Each group's size and its nodes' offsets inside it.
    let mut group_sizes = Vec::with_capacity(model.groups.len());
    let mut offsets: Vec<(f64, f64)> = vec![(0.0, 0.0); model.nodes.len()];
    for g in &model.groups {
        let collapsed = g.nodes.len() == 1
            && matches!(model.nodes.get(g.nodes[0]).map(|n| &n.kind), Some(NodeKind::Namespace { .. }));
        if collapsed {
            let (w, h) = sizes.get(g.nodes[0]).copied().unwrap_or((NODE_MIN_W, NODE_H));
            group_sizes.push((w, h));
            continue;
        }
        let count = g.nodes.len();
        let cols = inner_columns(count);
        let mut col_w = vec![0.0f64; cols];
        for (k, &n) in g.nodes.iter().enumerate() {
            let w = sizes.get(n).map_or(NODE_MIN_W, |s| s.0);
            col_w[k % cols] = col_w[k % cols].max(w);
        }
        let rows = count.div_ceil(cols).max(1);
        let mut col_x = Vec::with_capacity(cols);
        let mut x = BOX_PAD;
        for w in &col_w {
            col_x.push(x);
            x += w + CELL_GAP_X;
        }
        let header_w = text_width(&g.namespace, LABEL_FONT) + 2.0 * BOX_PAD + 30.0;
        let inner_w = if count == 0 { 0.0 } else { x - CELL_GAP_X + BOX_PAD };
        let w = inner_w.max(header_w).max(120.0);
        let h = BOX_HEADER + BOX_PAD + rows as f64 * NODE_H + (rows - 1) as f64 * CELL_GAP_Y + BOX_PAD;
        for (k, &n) in g.nodes.iter().enumerate() {
            let (c, r) = (k % cols, k / cols);
            let nw = sizes.get(n).map_or(NODE_MIN_W, |s| s.0);
            // Centre the node in its column so arrows between columns are even.
            let ox = col_x[c] + (col_w[c] - nw) / 2.0;
            let oy = BOX_HEADER + BOX_PAD + r as f64 * (NODE_H + CELL_GAP_Y);
            if let Some(o) = offsets.get_mut(n) {
                *o = (ox, oy);
            }
        }
        group_sizes.push((w, h));
    }

    // 2. Groups on a grid: column widths and row heights from the largest.
    let gcols = outer_columns(&group_sizes);
    let growsn = group_sizes.len().div_ceil(gcols).max(1);
    let mut gcol_w = vec![0.0f64; gcols];
    let mut grow_h = vec![0.0f64; growsn];
    for (k, &(w, h)) in group_sizes.iter().enumerate() {
        gcol_w[k % gcols] = gcol_w[k % gcols].max(w);
        grow_h[k / gcols] = grow_h[k / gcols].max(h);
    }
    let gcol_x = running(&gcol_w, MARGIN, GROUP_GAP);
    let grow_y = running(&grow_h, MARGIN, GROUP_GAP);
    let mut groups = Vec::with_capacity(model.groups.len());
    for (k, g) in model.groups.iter().enumerate() {
        let (w, h) = group_sizes[k];
        let rect = Rect { x: gcol_x[k % gcols], y: grow_y[k / gcols], w, h };
        for &n in &g.nodes {
            let (ox, oy) = offsets.get(n).copied().unwrap_or_default();
            let (nw, nh) = sizes.get(n).copied().unwrap_or((NODE_MIN_W, NODE_H));
            if let Some(r) = nodes.get_mut(n) {
                *r = if g.expanded { Rect { x: rect.x + ox, y: rect.y + oy, w: nw, h: nh } } else { rect };
            }
        }
        groups.push(rect);
    }
    let grid_right = if groups.is_empty() {
        MARGIN
    } else {
        gcol_x.last().copied().unwrap_or(MARGIN) + gcol_w.last().copied().unwrap_or(0.0)
    };
    let grid_bottom = if groups.is_empty() {
        MARGIN
    } else {
        grow_y.last().copied().unwrap_or(MARGIN) + grow_h.last().copied().unwrap_or(0.0)
    };

    // 3. External nodes: columns to the right, as tall as the grid allows.
    let ext_x0 = if groups.is_empty() { MARGIN } else { grid_right + EXTERNAL_GAP_X };
    let per_col = (((grid_bottom - MARGIN) / (NODE_H + EXTERNAL_GAP_Y)).floor() as usize).max(6);
    let mut x = ext_x0;
    let mut col_w = 0.0f64;
    let mut right = grid_right;
    let mut bottom = grid_bottom;
    for (k, &n) in model.externals.iter().enumerate() {
        if k > 0 && k % per_col == 0 {
            x += col_w + EXTERNAL_GAP_X / 2.0;
            col_w = 0.0;
        }
        let (w, h) = sizes.get(n).copied().unwrap_or((NODE_MIN_W, NODE_H));
        let y = MARGIN + (k % per_col) as f64 * (NODE_H + EXTERNAL_GAP_Y);
        if let Some(r) = nodes.get_mut(n) {
            *r = Rect { x, y, w, h };
        }
        col_w = col_w.max(w);
        right = right.max(x + w);
        bottom = bottom.max(y + h);
    }

    Layout { nodes, groups, edges: Vec::new(), width: right + MARGIN, height: bottom + MARGIN }
}

/// Columns of nodes inside a box: about square in pixels, since a node is
/// roughly three times as wide (label + gap) as tall (height + gap).
fn inner_columns(count: usize) -> usize {
    if count <= 3 {
        return count.max(1);
    }
    ((count as f64 / 1.6).sqrt().ceil() as usize).clamp(1, count)
}

/// Columns of groups: roughly a 16:10 drawing.
fn outer_columns(sizes: &[(f64, f64)]) -> usize {
    if sizes.is_empty() {
        return 1;
    }
    let area: f64 = sizes.iter().map(|&(w, h)| (w + GROUP_GAP) * (h + GROUP_GAP)).sum();
    let avg_w = sizes.iter().map(|s| s.0 + GROUP_GAP).sum::<f64>() / sizes.len() as f64;
    let target_w = (area * 1.6).sqrt();
    ((target_w / avg_w).round() as usize).clamp(1, sizes.len())
}

/// Start positions of consecutive spans separated by `gap`, from `origin`.
fn running(spans: &[f64], origin: f64, gap: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(spans.len());
    let mut at = origin;
    for s in spans {
        out.push(at);
        at += s + gap;
    }
    out
}

/// The geometry of `edge` between the laid-out node boxes.
pub fn edge_between(nodes: &[Rect], edge: &GraphEdge, label: &str) -> EdgeGeom {
    let (Some(a), Some(b)) = (nodes.get(edge.from), nodes.get(edge.to)) else {
        return EdgeGeom::default();
    };
    curve(a, b, label)
}

/// A curve from box `a` to box `b`, bending left of its direction.
pub fn curve(a: &Rect, b: &Rect, label: &str) -> EdgeGeom {
    curve_bent(a, b, label, 1.0)
}

/// [`curve`] with its bend scaled by `scale`: a second arrow between the
/// same two boxes (a denied-by-admin one) bends further, so it never lies on
/// the allowed arrow.
pub fn curve_bent(a: &Rect, b: &Rect, label: &str, scale: f64) -> EdgeGeom {
    let (ca, cb) = (a.center(), b.center());
    let (dx, dy) = (cb.x - ca.x, cb.y - ca.y);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    // Left normal (SVG y points down, so this bends left of travel).
    let (nx, ny) = (dy / len, -dx / len);
    let bend = (len * 0.15).clamp(14.0, 70.0) * scale;
    let control = Point::new((ca.x + cb.x) / 2.0 + nx * bend, (ca.y + cb.y) / 2.0 + ny * bend);
    let start = border_towards(a, control);
    let end = border_towards(b, control);
    // Arrowhead along the curve's end tangent (end - control).
    let (tx, ty) = (end.x - control.x, end.y - control.y);
    let tl = (tx * tx + ty * ty).sqrt().max(1e-6);
    let (ux, uy) = (tx / tl, ty / tl);
    let base = Point::new(end.x - ux * ARROW_LEN, end.y - uy * ARROW_LEN);
    let arrow = [
        end,
        Point::new(base.x - uy * ARROW_HALF_W, base.y + ux * ARROW_HALF_W),
        Point::new(base.x + uy * ARROW_HALF_W, base.y - ux * ARROW_HALF_W),
    ];
    let mid =
        Point::new(0.25 * start.x + 0.5 * control.x + 0.25 * end.x, 0.25 * start.y + 0.5 * control.y + 0.25 * end.y);
    let lw = text_width(label, SMALL_FONT) + 8.0;
    let label = Rect { x: mid.x - lw / 2.0, y: mid.y - EDGE_LABEL_H / 2.0, w: lw, h: EDGE_LABEL_H };
    EdgeGeom { start, control, end, arrow, label }
}

/// Where along its curve a label is tried first, then next.
const LABEL_SPOTS: [f64; 5] = [0.5, 0.38, 0.62, 0.28, 0.72];

/// Places the labels of the edges with `wanted[k]`, in order, each at the
/// first spot along its curve where it overlaps neither a node nor a label
/// placed before it; `None` when there is no such spot (the edge's
/// `<title>` and hover still tell its ports). So drawn labels never overlap.
/// Cost: O(wanted × (nodes + placed)), for the few dozen labels shown.
pub fn place_labels(geoms: &[EdgeGeom], nodes: &[Rect], wanted: &[bool]) -> Vec<Option<Rect>> {
    let everywhere = Rect { x: f64::MIN / 4.0, y: f64::MIN / 4.0, w: f64::MAX / 2.0, h: f64::MAX / 2.0 };
    place_labels_within(geoms, nodes, wanted, everywhere)
}

/// [`place_labels`] keeping every label inside `bounds` (the drawing), so
/// none is cut at the canvas edge.
pub fn place_labels_within(geoms: &[EdgeGeom], nodes: &[Rect], wanted: &[bool], bounds: Rect) -> Vec<Option<Rect>> {
    let mut placed: Vec<Rect> = Vec::new();
    geoms
        .iter()
        .zip(wanted)
        .map(|(g, &want)| {
            if !want {
                return None;
            }
            let spot = LABEL_SPOTS.iter().map(|&t| g.label_at(t)).find(|r| {
                bounds.contains(r) && !nodes.iter().any(|n| n.intersects(r)) && !placed.iter().any(|p| p.intersects(r))
            })?;
            placed.push(spot);
            Some(spot)
        })
        .collect()
}

/// Where the ray from `r`'s centre towards `p` leaves `r`.
fn border_towards(r: &Rect, p: Point) -> Point {
    let c = r.center();
    let (vx, vy) = (p.x - c.x, p.y - c.y);
    let (hw, hh) = (r.w / 2.0, r.h / 2.0);
    let tx = if vx.abs() > 1e-9 { hw / vx.abs() } else { f64::INFINITY };
    let ty = if vy.abs() > 1e-9 { hh / vy.abs() } else { f64::INFINITY };
    let t = tx.min(ty);
    if !t.is_finite() {
        return c;
    }
    Point::new(c.x + vx * t, c.y + vy * t)
}

#[cfg(test)]
mod tests {
    use super::super::model::{build, Level, ViewState};
    use super::super::testdata;
    use super::*;
    use netpol_core::eval::external_nodes;
    use netpol_core::matrix::matrix;

    fn pods() -> ViewState {
        ViewState { level: Level::Pods, ..ViewState::default() }
    }

    fn model_of(count: usize, namespaces: usize, view: &ViewState) -> GraphModel {
        let s = testdata::scenario(count, namespaces);
        let m = matrix(&s, &s.probes_in_use());
        let probes: Vec<usize> = (0..m.probes().len()).collect();
        build(&s, &m, &probes, &external_nodes(&s), view)
    }

    /// The readability bar: 50 nodes in 6 namespaces, no two node
    /// boxes (which hold the labels) overlap, every node sits inside its
    /// namespace box, every label fits its node, and external nodes are
    /// outside every box.
    #[test]
    fn fifty_nodes_in_six_namespaces_do_not_overlap() {
        let g = model_of(50, 6, &pods());
        assert_eq!(g.groups.len(), 6);
        assert!(g.externals.len() >= 2, "ipBlock and 'other' nodes");
        let l = layout(&g);
        assert_eq!(l.nodes.len(), g.nodes.len());
        for (a, ra) in l.nodes.iter().enumerate() {
            for (b, rb) in l.nodes.iter().enumerate().skip(a + 1) {
                assert!(!ra.intersects(rb), "{} and {} overlap: {ra:?} {rb:?}", g.nodes[a].id, g.nodes[b].id);
            }
            let n = &g.nodes[a];
            let label_w = text_width(&n.label, LABEL_FONT).max(detail_line(&n.detail(), &n.markers()).1);
            assert!(label_w + 2.0 * NODE_PAD_X <= ra.w + 1e-9, "{}'s label overflows", n.id);
        }
        for (gi, group) in g.groups.iter().enumerate() {
            for &n in &group.nodes {
                assert!(l.groups[gi].contains(&l.nodes[n]), "{} outside {}", g.nodes[n].id, group.namespace);
                // Below the box's header, so the namespace label stays free.
                assert!(l.nodes[n].y >= l.groups[gi].y + BOX_HEADER);
            }
            for (gj, other) in l.groups.iter().enumerate().skip(gi + 1) {
                assert!(!l.groups[gi].intersects(other), "boxes {gi} and {gj} overlap");
            }
        }
        for &x in &g.externals {
            assert!(l.groups.iter().all(|b| !b.intersects(&l.nodes[x])), "external {} inside a box", g.nodes[x].id);
        }
        for r in l.nodes.iter().chain(&l.groups) {
            assert!(r.x >= 0.0 && r.y >= 0.0 && r.x + r.w <= l.width && r.y + r.h <= l.height);
        }
    }

    #[test]
    fn layout_is_deterministic() {
        let g = model_of(50, 6, &pods());
        assert_eq!(layout(&g), layout(&g.clone()));
        let agg = model_of(70, 6, &ViewState { level: Level::Namespaces, ..ViewState::default() });
        assert_eq!(layout(&agg), layout(&agg));
    }

    #[test]
    fn namespaces_are_placed_in_name_order() {
        let g = model_of(30, 9, &ViewState { level: Level::Namespaces, ..ViewState::default() });
        let l = layout(&g);
        let names: Vec<_> = g.groups.iter().map(|g| g.namespace.clone()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        // Reading order: row by row, left to right.
        for w in l.groups.windows(2) {
            assert!(w[1].y > w[0].y || (w[1].y == w[0].y && w[1].x > w[0].x));
        }
    }

    /// Opposite edges a → b and b → a bend to opposite sides, so both arrows
    /// are visible; arrow tips sit on the destination's border.
    #[test]
    fn opposite_edges_are_distinct_and_arrows_touch_the_border() {
        let a = Rect { x: 0.0, y: 0.0, w: 100.0, h: NODE_H };
        let b = Rect { x: 300.0, y: 120.0, w: 80.0, h: NODE_H };
        let ab = curve(&a, &b, "TCP/80");
        let ba = curve(&b, &a, "TCP/80");
        let dist = |p: Point, q: Point| ((p.x - q.x).powi(2) + (p.y - q.y).powi(2)).sqrt();
        assert!(dist(ab.control, ba.control) > 20.0, "controls {:?} {:?}", ab.control, ba.control);
        assert!(!ab.label.intersects(&ba.label), "the two labels are apart");
        let on_border = |r: &Rect, p: Point| {
            let inside = p.x >= r.x - 1e-6 && p.x <= r.x + r.w + 1e-6 && p.y >= r.y - 1e-6 && p.y <= r.y + r.h + 1e-6;
            let edge = (p.x - r.x).abs() < 1e-6
                || (p.x - r.x - r.w).abs() < 1e-6
                || (p.y - r.y).abs() < 1e-6
                || (p.y - r.y - r.h).abs() < 1e-6;
            inside && edge
        };
        assert!(on_border(&b, ab.end) && on_border(&a, ab.start));
        assert_eq!(ab.arrow[0], ab.end);
        assert!(ab.path().starts_with('M') && ab.path().contains(" Q"));
    }

    /// The aggregated view of a 10,000-endpoint, 500-namespace layout stays
    /// linear: a rough guard (the timing is printed by the ignored
    /// `perf` test in `model`, not asserted).
    #[test]
    fn namespace_grid_scales_to_five_hundred_boxes() {
        let mut g = GraphModel::default();
        for k in 0..500 {
            let name = format!("namespace-{k:03}");
            g.groups.push(super::super::model::GraphGroup { namespace: name.clone(), expanded: false, nodes: vec![k] });
            g.nodes.push(super::super::model::GraphNode {
                id: name.clone(),
                label: name.clone(),
                badge: None,
                kind: NodeKind::Namespace { name },
                isolation: super::super::model::Isolation { ingress: 3, egress: 0, members: 20 },
                internal: None,
            });
        }
        let l = layout_nodes(&g);
        for (i, a) in l.groups.iter().enumerate() {
            assert_eq!(l.nodes[i], *a, "a collapsed namespace's node is its box");
        }
        // Neighbours in the grid do not overlap (sorted reading order).
        for w in l.groups.windows(2) {
            assert!(!w[0].intersects(&w[1]));
        }
        let aspect = l.width / l.height;
        assert!((0.8..3.0).contains(&aspect), "aspect {aspect}");
    }

    /// Drawn edge labels overlap neither each other nor any node, even
    /// where many arrows meet (every pod's DNS arrow into one CoreDNS).
    #[test]
    fn placed_labels_never_overlap() {
        let g = model_of(50, 6, &pods());
        let l = layout(&g);
        let obstacles = l.label_obstacles();
        assert_eq!(obstacles.len(), l.nodes.len() + l.groups.len());
        let placed = place_labels(&l.edges, &obstacles, &vec![true; l.edges.len()]);
        let shown: Vec<Rect> = placed.iter().flatten().copied().collect();
        assert!(shown.len() > 10, "most labels find a spot ({} of {})", shown.len(), l.edges.len());
        for (a, ra) in shown.iter().enumerate() {
            assert!(l.nodes.iter().all(|n| !n.intersects(ra)));
            // Namespace names stay readable too.
            assert!(l.groups.iter().all(|g| !Rect { h: 26.0, ..*g }.intersects(ra)));
            for rb in shown.iter().skip(a + 1) {
                assert!(!ra.intersects(rb));
            }
        }
        let none = place_labels(&l.edges, &l.nodes, &vec![false; l.edges.len()]);
        assert!(none.iter().all(Option::is_none));
    }
}
