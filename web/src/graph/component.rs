//! The `AllowGraph` Leptos component: draws a [`GraphModel`] as SVG with
//! zoom, pan, hover focus and clickable edges.
//!
//! It renders and reports clicks; it never decides a verdict. The model
//! comes from [`super::model::build`], the geometry from [`super::layout`].

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;

use super::camera::{ViewBox, ZOOM_STEP};
use super::compare::{self, ChangeKind};
use super::focus::{self, LABEL_LIMIT};
use super::layout::{self, EdgeGeom, Layout, Rect, NODE_H};
use super::model::{is_aggregated, GraphEndpoint, GraphModel, Level, NodeKind, ViewState};
use super::num::{self, num};
use super::tiers::{self, TierFilter};
use crate::markup::{self, closest, index_at, Markup};
use crate::state::Evaluated;

#[wasm_bindgen]
extern "C" {
    /// Any DOM element, viewed only for `getBoundingClientRect` (bound here
    /// so the crate needs no extra `web-sys` feature).
    type Measured;
    /// The `DOMRect` `getBoundingClientRect` returns.
    type ClientRect;
    #[wasm_bindgen(method, js_name = getBoundingClientRect)]
    fn bounding_rect(this: &Measured) -> ClientRect;
    #[wasm_bindgen(method, getter)]
    fn left(this: &ClientRect) -> f64;
    #[wasm_bindgen(method, getter)]
    fn top(this: &ClientRect) -> f64;
}

/// A pointer drag in progress: where it was last seen and how far it went.
#[derive(Clone, Copy, Debug, Default)]
struct Drag {
    last: (f64, f64),
    travelled: f64,
}

/// The allow graph.
///
/// - `model`: what to draw; rebuild it when the scenario, the probes or
///   `view_state` change.
/// - `view_state`: the level and the expanded namespaces; the component
///   writes it when the user toggles the level or clicks a namespace.
/// - `on_edge_click`: an arrow was clicked (or activated by keyboard); gets
///   the edge's example pair.
/// - `on_node_click`: an endpoint or external node was clicked.
/// - `selected_edge`: the pair shown in the inspector, highlighted.
/// - `evaluated` and `after`: compare mode (issue 4). While both are set,
///   the graph draws the after version with every change marked (see
///   [`compare`]); `evaluated` is the version `model` was built from and the
///   one the inspector shows, so clicks and the selection speak its indices.
#[component]
pub fn AllowGraph(
    model: Memo<GraphModel>,
    view_state: RwSignal<ViewState>,
    on_edge_click: Callback<(GraphEndpoint, GraphEndpoint)>,
    #[prop(optional)] on_node_click: Option<Callback<GraphEndpoint>>,
    #[prop(optional)] selected_edge: Option<Memo<Option<(GraphEndpoint, GraphEndpoint)>>>,
    #[prop(optional)] evaluated: Option<Memo<Option<Arc<Evaluated>>>>,
    #[prop(optional)] after: Option<Memo<Option<Arc<Evaluated>>>>,
) -> impl IntoView {
    let input = model;
    // The after version with its changes marked while comparing, else the
    // model given.
    let model = Memo::new(move |_| match (evaluated.and_then(|e| e.get()), after.and_then(|a| a.get())) {
        (Some(before), Some(after)) => view_state.with(|v| compare::build_compare(&before, &after, v)),
        _ => input.get(),
    });
    // Compare-mode index maps (before ↔ after), for clicks and selection.
    let to_after = move |end: GraphEndpoint| -> Option<GraphEndpoint> {
        model.with(|m| match (&m.compare, end) {
            (Some(c), GraphEndpoint::Endpoint(i)) => c.to_after.get(i).copied().flatten().map(GraphEndpoint::Endpoint),
            _ => Some(end),
        })
    };
    let to_before = move |end: GraphEndpoint| -> Option<GraphEndpoint> {
        model.with_untracked(|m| match (&m.compare, end) {
            (Some(c), GraphEndpoint::Endpoint(i)) => c.to_before.get(i).copied().flatten().map(GraphEndpoint::Endpoint),
            _ => Some(end),
        })
    };
    let tier = move || view_state.with(|v| v.tier);
    let layout = Memo::new(move |_| model.with(layout::layout_nodes));
    let camera = RwSignal::new(None::<ViewBox>);
    let fitted = move || layout.with(|l| ViewBox::fit(l.width, l.height));
    let viewbox = move || camera.get().unwrap_or_else(fitted);
    let hovered = RwSignal::new(None::<usize>);
    let selected = Memo::new(move |_| {
        let (a, b) = selected_edge?.get()?;
        let (a, b) = (to_after(a)?, to_after(b)?);
        model.with(|m| {
            let key = (m.node_of(a)?, m.node_of(b)?);
            m.edges.binary_search_by(|e| (e.from, e.to).cmp(&key)).ok()
        })
    });
    // Which arrows the tier filter keeps.
    let visible = move |m: &GraphModel, e: &super::model::GraphEdge, filter: TierFilter| {
        filter == TierFilter::All || (m.tiers_classified && e.tiers & filter.bits() != 0)
    };
    // The overview of a big model, once per model and filter (not per hover).
    let overview = Memo::new(move |_| {
        let filter = tier();
        model.with(|m| focus::overview(m, &|e| visible(m, e, filter)))
    });
    let drawn = Memo::new(move |_| {
        let filter = tier();
        model.with(|m| {
            overview.with(|o| {
                focus::drawn_edges_with(m, o.as_ref(), hovered.get(), selected.get(), &|e| visible(m, e, filter))
            })
        })
    });
    // Denied-by-admin arrows: with the All and Admin filters; all of them
    // up to a budget, else those of the hovered node.
    let denied_drawn = Memo::new(move |_| {
        // In compare mode the changes are the subject: denials only on ask.
        let filter = tier();
        if !(filter == TierFilter::Admin || (filter == TierFilter::All && model.with(|m| m.compare.is_none()))) {
            return Vec::new();
        }
        let h = hovered.get();
        model.with(|m| {
            let all = m.denied.len() <= DENIED_BUDGET;
            (0..m.denied.len())
                .filter(|&k| all || m.denied.get(k).is_some_and(|d| Some(d.from) == h || Some(d.to) == h))
                .take(DENIED_BUDGET)
                // u32 like the other index lists the page memoises (one memo type fewer).
                .filter_map(|k| u32::try_from(k).ok())
                .collect::<Vec<u32>>()
        })
    });
    let lit = Memo::new(move |_| hovered.get().map(|h| model.with(|m| focus::lit_by(m, h))));
    let geoms = Memo::new(move |_| {
        model.with(|m| {
            layout.with(|l| {
                let mut out: Vec<EdgeViewData> =
                    drawn.with(|d| d.edges.iter().filter_map(|&k| edge_view_data(m, l, k)).collect());
                denied_drawn.with(|ks| out.extend(ks.iter().filter_map(|&k| denied_view_data(m, l, k as usize))));
                out
            })
        })
    });

    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let drag = StoredValue::new(None::<Drag>);
    let dragged = StoredValue::new(false);
    let client_size = move || {
        svg_ref.get_untracked().map_or((1.0, 1.0), |el| (f64::from(el.client_width()), f64::from(el.client_height())))
    };
    let zoom_at = move |factor: f64, px: Option<(f64, f64)>| {
        let (cw, ch) = client_size();
        let vb = camera.get_untracked().unwrap_or_else(|| layout.with_untracked(|l| ViewBox::fit(l.width, l.height)));
        let fit = layout.with_untracked(|l| ViewBox::fit(l.width, l.height));
        let (ux, uy) = match px {
            Some((x, y)) => vb.to_user(x, y, cw, ch),
            None => (vb.x + vb.w / 2.0, vb.y + vb.h / 2.0),
        };
        camera.set(Some(vb.zoom(factor, ux, uy, &fit)));
    };
    let on_wheel = move |e: ev::WheelEvent| {
        e.prevent_default();
        let Some(el) = svg_ref.get_untracked() else {
            return;
        };
        let rect = el.unchecked_ref::<Measured>().bounding_rect();
        let px = (f64::from(e.client_x()) - rect.left(), f64::from(e.client_y()) - rect.top());
        let factor = if e.delta_y() < 0.0 { ZOOM_STEP } else { 1.0 / ZOOM_STEP };
        zoom_at(factor, Some(px));
    };
    let on_pointerdown = move |e: ev::PointerEvent| {
        if e.button() == 0 {
            drag.set_value(Some(Drag { last: (f64::from(e.client_x()), f64::from(e.client_y())), travelled: 0.0 }));
            dragged.set_value(false);
        }
    };
    let on_pointermove = move |e: ev::PointerEvent| {
        let Some(mut d) = drag.get_value() else {
            return;
        };
        let at = (f64::from(e.client_x()), f64::from(e.client_y()));
        let (dx, dy) = (at.0 - d.last.0, at.1 - d.last.1);
        d.travelled += dx.abs() + dy.abs();
        d.last = at;
        drag.set_value(Some(d));
        if d.travelled > 4.0 {
            dragged.set_value(true);
            let (cw, ch) = client_size();
            let vb =
                camera.get_untracked().unwrap_or_else(|| layout.with_untracked(|l| ViewBox::fit(l.width, l.height)));
            camera.set(Some(vb.pan(dx, dy, cw, ch)));
        }
    };
    let end_drag = move |_| drag.set_value(None);

    let endpoints = move || model.with(|m| m.endpoint_node.len());
    let namespace_level = move || is_aggregated(endpoints(), &view_state.get());
    let set_level = move |level: Level| {
        view_state.update(|v| {
            v.level = level;
            v.expanded.clear();
        });
        camera.set(None);
        hovered.set(None);
    };

    // Clicks that ended a drag are not clicks.
    let node_click = move |n: usize| {
        if dragged.get_value() {
            return;
        }
        let kind = model.with_untracked(|m| m.nodes.get(n).map(|n| n.kind.clone()));
        match kind {
            Some(NodeKind::Namespace { name }) => {
                view_state.update(|v| {
                    if v.level == Level::Auto {
                        v.level = Level::Namespaces;
                    }
                    v.toggle_namespace(&name);
                });
                hovered.set(None);
            }
            Some(NodeKind::Endpoint { index, .. }) => {
                if let Some(cb) = on_node_click {
                    cb.run(GraphEndpoint::Endpoint(index));
                }
            }
            Some(NodeKind::External { address, .. }) => {
                if let Some(cb) = on_node_click {
                    cb.run(GraphEndpoint::External(address));
                }
            }
            None => {}
        }
    };
    // In compare mode the pair is translated to the before version's
    // indices (the inspector's); a pair with a pod only the after version
    // has cannot be opened there.
    let edge_click = move |example: (GraphEndpoint, GraphEndpoint)| {
        if dragged.get_value() {
            return;
        }
        if let (Some(a), Some(b)) = (to_before(example.0), to_before(example.1)) {
            on_edge_click.run((a, b));
        }
    };
    let collapse = move |ns: String| {
        if dragged.get_value() {
            return;
        }
        view_state.update(|v| v.toggle_namespace(&ns));
    };

    // The layers are SVG markup (crate::markup): namespace boxes and nodes
    // are redrawn when the model or its layout changes, arrows when what is
    // drawn, lit or selected changes; hover and selection marks on nodes
    // move by effect. One listener per layer handles its clicks and keys.
    let groups_html = move || {
        model.with(|m| {
            layout.with(|l| {
                let show_toggle = m.aggregated || is_aggregated(m.endpoint_node.len(), &view_state.get_untracked());
                let mut out = Markup::default();
                for (g, r) in m.groups.iter().zip(&l.groups).filter(|(g, _)| g.expanded) {
                    group_markup(&mut out, &g.namespace, g.nodes.is_empty(), *r, show_toggle);
                }
                out.finish().0
            })
        })
    };
    let nodes_html =
        move || model.with(|m| layout.with(|l| lit.with_untracked(|lit| nodes_markup(m, l, lit.as_ref()))));
    let nodes_ref = NodeRef::<leptos::svg::G>::new();
    Effect::new(move |_| {
        let Some(layer) = nodes_ref.get() else { return };
        lit.with(|lit| {
            markup::each_indexed(&layer, "data-n", |el, n| {
                let dim = lit.as_ref().is_some_and(|l| !l.nodes.get(n).copied().unwrap_or(false));
                let _ = el.class_list().toggle_with_force("dim", dim);
            })
        });
    });
    let on_nodes_click = move |ev: ev::MouseEvent| {
        if let Some(n) = index_at(&ev, "data-n") {
            node_click(n);
        }
    };
    let on_nodes_key = move |ev: ev::KeyboardEvent| {
        if let Some(n) = activated(&ev).then(|| index_at(&ev, "data-n")).flatten() {
            ev.prevent_default();
            node_click(n);
        }
    };
    // Hover and focus, delegated: the node under the pointer (or focused),
    // or none when it leaves the nodes.
    let hover_to = move |target: Option<web_sys::EventTarget>| {
        let n = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-n]").ok().flatten())
            .and_then(|e| e.get_attribute("data-n")?.parse::<usize>().ok());
        if hovered.get_untracked() != n {
            hovered.set(n);
        }
    };
    let on_nodes_over = move |ev: ev::MouseEvent| hover_to(ev.target());
    let on_nodes_out = move |ev: ev::MouseEvent| hover_to(ev.related_target());
    let on_nodes_focusin = move |ev: ev::FocusEvent| hover_to(ev.target());
    let on_nodes_focusout = move |ev: ev::FocusEvent| hover_to(ev.related_target());
    let on_groups_click = move |ev: ev::MouseEvent| {
        if let Some(ns) = closest(&ev, "[data-collapse]").and_then(|e| e.get_attribute("data-collapse")) {
            collapse(ns);
        }
    };
    let on_groups_key = move |ev: ev::KeyboardEvent| {
        let ns = activated(&ev).then(|| closest(&ev, "[data-collapse]")?.get_attribute("data-collapse")).flatten();
        if let Some(ns) = ns {
            ev.prevent_default();
            collapse(ns);
        }
    };
    // Labels: all when few edges are drawn, else those of the focused node
    // and the selected edge; each placed where it overlaps nothing.
    let placement = Memo::new(move |_| {
        let sel = selected.get();
        geoms.with(|gs| {
            let many = gs.len() > LABEL_LIMIT;
            let wanted: Vec<bool> = lit.with(|lit| {
                gs.iter()
                    .map(|d| {
                        let focused = match d.denied {
                            false => {
                                Some(d.index) == sel
                                    || lit.as_ref().is_some_and(|l| l.edges.get(d.index).copied().unwrap_or(false))
                            }
                            true => lit.as_ref().is_some_and(|l| {
                                l.nodes.get(d.from).copied().unwrap_or(false)
                                    && l.nodes.get(d.to).copied().unwrap_or(false)
                            }),
                        };
                        // Comparing, unchanged arrows keep quiet unless focused.
                        let quiet = d.change == Some(ChangeKind::Same);
                        focused || (!many && !quiet)
                    })
                    .collect()
            });
            let curves: Vec<EdgeGeom> = gs.iter().map(|d| d.geom).collect();
            // Compare badges are obstacles too.
            let badges = gs.iter().filter(|d| d.change.is_some_and(|c| c != ChangeKind::Same)).map(|d| {
                let p = d.geom.point_at(BADGE_AT);
                Rect { x: p.x - 8.0, y: p.y - 8.0, w: 16.0, h: 16.0 }
            });
            layout.with(|l| {
                let obstacles: Vec<Rect> = l.label_obstacles().into_iter().chain(badges).collect();
                let bounds = Rect { x: 0.0, y: 0.0, w: l.width, h: l.height };
                // One spot per drawn arrow, in `geoms`' order.
                layout::place_labels_within(&curves, &obstacles, &wanted, bounds)
            })
        })
    });
    let edges_ref = NodeRef::<leptos::svg::G>::new();
    // The drawn arrows' example pairs, by `data-e` index, for clicks.
    let edge_examples = StoredValue::new(Vec::<(GraphEndpoint, GraphEndpoint)>::new());
    Effect::new(move |_| {
        let Some(layer) = edges_ref.get() else { return };
        let (sel, h) = (selected.get(), hovered.get());
        let html = geoms.with(|gs| {
            edge_examples.set_value(gs.iter().map(|d| d.example).collect());
            placement.with(|spots| lit.with(|lit| edges_markup(gs, spots, lit.as_ref(), h, sel)))
        });
        // A rebuilt arrow that had the keyboard focus gets it back.
        let focused =
            document().active_element().filter(|e| layer.contains(Some(e))).and_then(|e| e.get_attribute("data-key"));
        markup::render(&layer, &html, &[]);
        if let Some(key) = focused {
            let again = layer.query_selector(&format!("[data-key=\"{key}\"]")).ok().flatten();
            if let Some(el) = again.and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok()) {
                let _ = el.focus();
            }
        }
    });
    let edge_at = move |ev: &web_sys::Event| -> Option<(GraphEndpoint, GraphEndpoint)> {
        let k = index_at(ev, "data-e")?;
        edge_examples.with_value(|x| x.get(k).copied())
    };
    let on_edges_click = move |ev: ev::MouseEvent| {
        if let Some(example) = edge_at(&ev) {
            edge_click(example);
        }
    };
    let on_edges_key = move |ev: ev::KeyboardEvent| {
        if let Some(example) = activated(&ev).then(|| edge_at(&ev)).flatten() {
            ev.prevent_default();
            edge_click(example);
        }
    };
    let status = move || {
        let (hidden, total) = (drawn.with(|d| d.hidden), model.with(|m| m.edges.len()));
        let dropped = model.with(|m| m.dropped_probes);
        let mut parts = Vec::new();
        if total == 0 && endpoints() > 0 {
            parts.push("No allowed connections between different endpoints for the shown probes.".to_owned());
        }
        if hidden > 0 {
            let aggregated = model.with(|m| m.aggregated);
            parts.extend(drawn.with(|d| focus::status_text(d, aggregated)));
        }
        if dropped > 0 {
            parts.push(format!("{dropped} more probes are not shown."));
        }
        model.with(|m| {
            let filter = tier();
            if filter != TierFilter::All {
                if m.tiers_classified {
                    let shown = drawn.with(|d| d.edges.len() + d.hidden);
                    parts.push(format!(
                        "Tier filter: {shown} of {total} arrows have a side the {} decided.",
                        match filter {
                            TierFilter::Default => "default allow".to_owned(),
                            f => format!("{} tier", f.label()),
                        }
                    ));
                } else {
                    parts.push(format!(
                        "Too many connections to sort by tier in this view ({} flows to explain): expand fewer namespaces.",
                        m.tier_cost
                    ));
                }
            }
            if !m.denied.is_empty() && denied_drawn.with(|d| !d.is_empty()) {
                let n = m.denied.len();
                parts.push(format!(
                    "{n} ⊘ {} for flows an Admin-tier Deny refuses{}.",
                    if n == 1 { "arrow" } else { "arrows" },
                    if n > DENIED_BUDGET { " (hover a node to see its)" } else { "" }
                ));
            } else if !m.denied_complete {
                parts.push("Too many endpoints to look for flows Admin policies deny in this view.".to_owned());
            }
            if let Some(c) = &m.compare {
                if c.complete {
                    parts.push(format!(
                        "Compare: {} newly allowed (+), {} newly denied (−); unchanged arrows are faded.",
                        pairs_text(c.added),
                        pairs_text(c.removed)
                    ));
                    if c.inside > 0 {
                        parts.push(format!("{} changed pairs inside collapsed namespaces: expand them to see.", c.inside));
                    }
                    if c.only_before > 0 {
                        parts.push(format!("{} endpoints exist only before the change and are not drawn.", c.only_before));
                    }
                } else {
                    parts.push("Compare: too many endpoints to mark changes arrow by arrow; see the changed flows list.".to_owned());
                }
            }
        });
        parts.join(" ")
    };
    let tier_disabled = move |f: TierFilter| {
        f != TierFilter::All
            && model.with(|m| {
                (!m.tiers_classified && m.tier_cost > tiers::CLASSIFY_BUDGET)
                    || (matches!(f, TierFilter::Admin | TierFilter::Baseline) && !m.cluster_policies)
            })
    };
    let pods_disabled = move || !model.with(|m| m.pod_view_available);
    let controls = move || {
        let tiers = TierFilter::CHOICES.map(|f| (f, tier_disabled(f)));
        let cluster_policies = model.with(|m| m.cluster_policies);
        controls_markup(namespace_level(), pods_disabled(), tier(), &tiers, cluster_policies)
    };
    // The toolbar's and the zoom buttons' clicks, by `data-act`.
    let on_controls_click = move |ev: web_sys::MouseEvent| {
        let Some(button) = closest(&ev, "[data-act]") else { return };
        match button.get_attribute(markup::ACT_ATTR).as_deref() {
            Some("pods") => set_level(Level::Pods),
            Some("namespaces") => set_level(Level::Namespaces),
            Some("tier") => {
                let label = button.get_attribute("data-tier");
                if let Some(f) = TierFilter::CHOICES.into_iter().find(|f| Some(f.label()) == label.as_deref()) {
                    view_state.update(|v| v.tier = f);
                    hovered.set(None);
                }
            }
            Some("zoom-in") => zoom_at(ZOOM_STEP, None),
            Some("zoom-out") => zoom_at(1.0 / ZOOM_STEP, None),
            Some("fit") => camera.set(None),
            _ => {}
        }
    };
    let legend =
        move || model.with(|m| legend_markup(!m.denied.is_empty() && m.compare.is_none(), m.compare.is_some()));

    view! {
        <div class="allow-graph">
            <div class="graph-toolbar" role="toolbar" aria-label="Graph controls" on:click=on_controls_click>
                // The buttons' row: in a narrow pane one line that scrolls sideways (graph.css).
                {markup::region(Box::new(controls))}
                <p class="graph-status" aria-live="polite">{status}</p>
            </div>
            // The zoom buttons float over the canvas's lower right corner, as on a map: in the toolbar they took a
            // row of their own whenever the tier buttons filled it (a 1280x800 window lost the
            // bottom of the default graph to it).
            <div class="graph-stage">
                <div class="graph-zoom" role="group" aria-label="Zoom" on:click=on_controls_click inner_html=ZOOM_HTML></div>
                <svg
                    node_ref=svg_ref
                    class="graph-canvas"
                    data-testid="allow-graph"
                    role="img"
                    aria-label="Allow graph: arrows are allowed connections"
                    viewBox=move || viewbox().attr()
                    on:wheel=on_wheel
                    on:pointerdown=on_pointerdown
                    on:pointermove=on_pointermove
                    on:pointerup=end_drag
                    on:pointerleave=end_drag
                >
                    <title>"Allow graph"</title>
                    <g class="layer-groups" inner_html=groups_html on:click=on_groups_click on:keydown=on_groups_key></g>
                    <g class="layer-edges" node_ref=edges_ref on:click=on_edges_click on:keydown=on_edges_key></g>
                    <g
                        class="layer-nodes"
                        node_ref=nodes_ref
                        inner_html=nodes_html
                        on:click=on_nodes_click
                        on:keydown=on_nodes_key
                        on:mouseover=on_nodes_over
                        on:mouseout=on_nodes_out
                        on:focusin=on_nodes_focusin
                        on:focusout=on_nodes_focusout
                    ></g>
                </svg>
            </div>
            {markup::region(Box::new(legend))}
        </div>
    }
}

/// Where along an arrow its compare badge sits.
const BADGE_AT: f64 = 0.8;

/// "1 pair", "3 pairs".
fn pairs_text(n: u64) -> String {
    format!("{n} {}", if n == 1 { "pair" } else { "pairs" })
}

/// The most denied-by-admin arrows drawn at once (beyond, those of the
/// hovered node).
const DENIED_BUDGET: usize = 300;

/// What one drawn edge needs, computed outside the view.
#[derive(Clone, Debug, PartialEq)]
struct EdgeViewData {
    /// Index in `GraphModel::edges`, or in `GraphModel::denied` when `denied`.
    index: usize,
    denied: bool,
    from: usize,
    to: usize,
    geom: EdgeGeom,
    label: String,
    title: String,
    from_id: String,
    to_id: String,
    aggregate: bool,
    example: (GraphEndpoint, GraphEndpoint),
    /// In compare mode, how the arrow changed.
    change: Option<ChangeKind>,
    /// The deciding tiers, as words (empty until classified).
    tiers: Option<String>,
}

fn edge_view_data(m: &GraphModel, l: &Layout, k: usize) -> Option<EdgeViewData> {
    let e = m.edges.get(k)?;
    let comparing = m.compare.is_some();
    let label = if comparing { compare::change_label(m, e) } else { m.edge_label(e) };
    let words = tiers::tier_words(e.tiers);
    let mut title = if comparing { compare::change_title(m, e) } else { m.edge_title(e) };
    if m.tiers_classified && !words.is_empty() && !comparing {
        title.push_str("; decided by ");
        title.push_str(&words.join(" and "));
    }
    Some(EdgeViewData {
        index: k,
        denied: false,
        from: e.from,
        to: e.to,
        geom: layout::edge_between(&l.nodes, e, &label),
        title,
        from_id: m.nodes.get(e.from)?.id.clone(),
        to_id: m.nodes.get(e.to)?.id.clone(),
        aggregate: e.pairs.total > 1,
        example: e.example,
        change: comparing.then(|| e.change.map_or(ChangeKind::Same, |c| c.kind())),
        tiers: (m.tiers_classified && !words.is_empty()).then(|| words.join(" ")),
        label,
    })
}

/// A denied-by-admin arrow: bent further than an allowed arrow between the
/// same nodes, labelled with the Admin policy that denied.
fn denied_view_data(m: &GraphModel, l: &Layout, k: usize) -> Option<EdgeViewData> {
    let d = m.denied.get(k)?;
    let (a, b) = (l.nodes.get(d.from)?, l.nodes.get(d.to)?);
    let (from_id, to_id) = (m.nodes.get(d.from)?.id.clone(), m.nodes.get(d.to)?.id.clone());
    let names = match d.policies.as_slice() {
        [] => "an Admin policy".to_owned(),
        [one] => one.clone(),
        [one, rest @ ..] => format!("{one} +{}", rest.len()),
    };
    let label = format!("⊘ denied by admin {names}");
    let mut title = format!(
        "{from_id} → {to_id}: denied by admin policy {} on {}",
        d.policies.join(", "),
        m.probe_list(d.probes, usize::MAX)
    );
    if d.pairs.total > 1 {
        title.push_str(&format!(" ({} of {} endpoint pairs)", d.pairs.allowed, d.pairs.total));
    }
    Some(EdgeViewData {
        index: k,
        denied: true,
        from: d.from,
        to: d.to,
        geom: layout::curve_bent(a, b, &label, 2.4),
        title,
        from_id,
        to_id,
        aggregate: d.pairs.total > 1,
        example: d.example,
        change: None,
        tiers: Some("Admin".to_owned()),
        label,
    })
}

/// The outline of a shield, 9 × 11 units, for isolation markers.
const SHIELD_PATH: &str = "M4.5 0 L9 1.8 V5.2 C9 8 7 9.9 4.5 11 C2 9.9 0 8 0 5.2 V1.8 Z";

/// `translate(x,y)` to tenths (see [`num`]).
fn translate(x: f64, y: f64) -> String {
    let mut s = String::from("translate(");
    num::join(&mut s, &[x, y], &[","]);
    s.push(')');
    s
}

/// An isolation marker: a shield at (`x`, `top`) and its text (`in`, `out`).
fn marker_markup(m: &mut Markup, x: f64, top: f64, text: &str) {
    m.open("g").attr("class", "iso-marker").end();
    m.open("path").attr("class", "shield").attr("d", SHIELD_PATH).attr("transform", &translate(x, top)).end();
    m.close("path").open("text").attr("class", "node-detail iso-text");
    m.attr("x", &num(x + layout::SHIELD_W + 2.0)).attr("y", &num(top + 8.0)).end().text(text).close("text");
    m.close("g");
}

/// An expanded namespace's box and its header (a collapse button, with
/// `data-collapse`, when the graph is at namespace level).
fn group_markup(m: &mut Markup, namespace: &str, empty: bool, r: Rect, toggle: bool) {
    m.open("g").attr("class", "group").attr("data-namespace", namespace).end();
    m.open("rect").attr("class", "group-box").attr("x", &num(r.x)).attr("y", &num(r.y));
    m.attr("width", &num(r.w)).attr("height", &num(r.h)).attr("rx", "10").end().close("rect");
    m.open("text").attr("class", if toggle { "group-label toggle" } else { "group-label" });
    m.attr("x", &num(r.x + 12.0)).attr("y", &num(r.y + 19.0));
    if toggle {
        m.attr("role", "button").attr("tabindex", "0").attr("data-collapse", namespace);
    }
    m.end().open("title").end();
    if toggle {
        m.text(&format!("namespace {namespace}: click to collapse"));
    } else {
        m.text(&format!("namespace {namespace}"));
    }
    m.close("title").text(&if toggle { format!("▾ {namespace}") } else { namespace.to_owned() }).close("text");
    if empty {
        m.open("text").attr("class", "node-detail").attr("x", &num(r.x + 12.0)).attr("y", &num(r.y + 46.0));
        m.end().text("no pods").close("text");
    }
    m.close("g");
}

/// Every node of `m` at its place in `l`, dimmed where `lit` leaves it out.
fn nodes_markup(m: &GraphModel, l: &Layout, lit: Option<&focus::Lit>) -> String {
    let mut out = Markup::default();
    for (n, (node, r)) in m.nodes.iter().zip(&l.nodes).enumerate() {
        let kind = node.kind_name();
        let collapsed = matches!(node.kind, NodeKind::Namespace { .. });
        let dim = lit.is_some_and(|l| !l.nodes.get(n).copied().unwrap_or(false));
        let title = node.title();
        out.open("g").class(
            &["node node-", kind].concat(),
            &[(node.isolation.ingress > 0, "iso-in"), (node.isolation.egress > 0, "iso-out"), (dim, "dim")],
        );
        out.attr("data-testid", "graph-node").attr("data-id", &node.id);
        out.attr("data-kind", kind).attr("tabindex", "0").attr("role", "button").attr("aria-label", &title);
        out.attr("data-n", &n.to_string()).end().open("title").end().text(&title).close("title");
        out.open("rect").attr("class", "node-box").attr("x", &num(r.x)).attr("y", &num(r.y));
        out.attr("width", &num(r.w)).attr("height", &num(r.h));
        out.attr("rx", &num(if kind == "external" { NODE_H / 2.0 } else { 6.0 })).end().close("rect");
        out.open("text").attr("class", "node-label").attr("x", &num(r.x + 10.0)).attr("y", &num(r.y + 17.0)).end();
        out.text(&if collapsed { format!("▸ {}", node.label) } else { node.label.clone() }).close("text");
        let detail = node.detail();
        out.open("text").attr("class", "node-detail").attr("x", &num(r.x + 10.0)).attr("y", &num(r.y + 32.0)).end();
        out.text(&detail).close("text");
        let markers = node.markers();
        let (starts, _) = layout::detail_line(&detail, &markers);
        for (text, dx) in markers.iter().zip(starts) {
            marker_markup(&mut out, r.x + 10.0 + dx, r.y + 24.0, text);
        }
        out.close("g");
    }
    out.finish().0
}

/// Whether a key press activates the focused node or arrow, as a button's
/// would (Enter or Space).
fn activated(ev: &ev::KeyboardEvent) -> bool {
    matches!(ev.key().as_str(), "Enter" | " ")
}

/// The drawn arrows: allowed ones, then denied-by-admin ones, each with its
/// label where `spots` (one per arrow) placed it (hidden where it has no spot), dimmed
/// where the hovered node's `lit` leaves it out, and the `selected` one
/// marked.
fn edges_markup(
    gs: &[EdgeViewData],
    spots: &[Option<Rect>],
    lit: Option<&focus::Lit>,
    hovered: Option<usize>,
    selected: Option<usize>,
) -> String {
    let mut m = Markup::default();
    for (i, d) in gs.iter().enumerate() {
        let (k, denied, g) = (d.index, d.denied, d.geom);
        let dim = lit.is_some_and(|l| match denied {
            false => !l.edges.get(k).copied().unwrap_or(false),
            true => !(hovered == Some(d.from) || hovered == Some(d.to)),
        });
        let change = d.change.map(ChangeKind::as_str);
        let change_class = change.map(|c| ["change-", c].concat()).unwrap_or_default();
        m.open("g").class(
            "edge",
            &[
                (change.is_some(), &change_class),
                (d.aggregate, "aggregate"),
                (denied, "denied-admin"),
                (dim, "dim"),
                (!denied && selected == Some(k), "selected"),
            ],
        );
        m.attr("data-testid", if denied { "graph-edge-denied" } else { "graph-edge" });
        m.attr("data-from", &d.from_id).attr("data-to", &d.to_id);
        if let Some(c) = change {
            m.attr("data-change", c);
        }
        if let Some(t) = &d.tiers {
            m.attr("data-tiers", t);
        }
        m.attr("tabindex", "0").attr("role", "button").attr("aria-label", &d.title);
        m.attr("data-e", &i.to_string()).attr("data-key", &format!("{}-{k}", u8::from(denied))).end();
        m.open("title").end().text(&d.title).close("title");
        let path = g.path();
        m.open("path").attr("class", "edge-hit").attr("d", &path).end().close("path");
        m.open("path").attr("class", "edge-line").attr("d", &path).end().close("path");
        if denied {
            let [tip, l, r] = g.arrow;
            let (cx, cy) = ((tip.x + (l.x + r.x) / 2.0) / 2.0, (tip.y + (l.y + r.y) / 2.0) / 2.0);
            m.open("g").attr("class", "denied-mark").end();
            m.open("circle").attr("cx", &num(cx)).attr("cy", &num(cy)).attr("r", "5").end().close("circle");
            m.open("line").attr("x1", &num(cx - 3.4)).attr("y1", &num(cy + 3.4));
            m.attr("x2", &num(cx + 3.4)).attr("y2", &num(cy - 3.4)).end().close("line").close("g");
        } else {
            m.open("polygon").attr("class", "edge-arrow").attr("points", &g.arrow_points()).end().close("polygon");
        }
        if let Some(b) = d.change.map(ChangeKind::badge).filter(|b| !b.is_empty()) {
            let p = g.point_at(BADGE_AT);
            m.open("g").attr("class", "change-badge").attr("aria-hidden", "true").end();
            m.open("circle").attr("cx", &num(p.x)).attr("cy", &num(p.y)).attr("r", "7").end().close("circle");
            m.open("text").attr("x", &num(p.x)).attr("y", &num(p.y + 3.6)).end().text(b).close("text").close("g");
        }
        let spot = spots.get(i).copied().flatten();
        let r = spot.unwrap_or(g.label);
        m.open("g").attr("class", if spot.is_some() { "edge-label" } else { "edge-label hidden" }).end();
        m.open("rect").attr("x", &num(r.x)).attr("y", &num(r.y)).attr("width", &num(g.label.w));
        m.attr("height", &num(g.label.h)).attr("rx", "3").end().close("rect");
        m.open("text").attr("x", &num(r.x + r.w / 2.0)).attr("y", &num(r.y + r.h - 3.5)).end();
        m.text(&d.label).close("text").close("g").close("g");
    }
    m.finish().0
}

/// The zoom buttons, floating over the canvas (static: their clicks go by
/// `data-act`).
const ZOOM_HTML: &str = concat!(
    r#"<button type="button" aria-label="Zoom in" title="Zoom in" data-act="zoom-in">+</button>"#,
    r#"<button type="button" aria-label="Zoom out" title="Zoom out" data-act="zoom-out">−</button>"#,
    r#"<button type="button" aria-label="Fit the whole graph" title="Fit" data-act="fit">Fit</button>"#,
);

/// The level buttons (pods or namespaces) and the tier filter, each tier
/// with whether it is disabled.
fn controls_markup(
    namespaces: bool,
    pods_disabled: bool,
    tier: TierFilter,
    tiers: &[(TierFilter, bool)],
    cluster_policies: bool,
) -> String {
    let mut m = Markup::default();
    let pressed = |on: bool| if on { "true" } else { "false" };
    m.open("div").attr("class", "graph-controls").end();
    m.open("div").attr("class", "graph-level").attr("role", "group").attr("aria-label", "Level of detail").end();
    let pods_title = if pods_disabled {
        format!("Too many endpoints for the pod view (over {})", super::model::POD_VIEW_LIMIT)
    } else {
        "Show every pod and workload".to_owned()
    };
    m.open("button").attr("type", "button").attr("aria-pressed", pressed(!namespaces)).flag("disabled", pods_disabled);
    m.attr("title", &pods_title).attr(markup::ACT_ATTR, "pods").end().text("Pods").close("button");
    m.open("button").attr("type", "button").attr("aria-pressed", pressed(namespaces));
    m.attr("title", "Show one node per namespace; click a namespace to expand it").attr(markup::ACT_ATTR, "namespaces");
    m.end().text("Namespaces").close("button").close("div");
    m.open("div")
        .attr("class", "graph-tiers")
        .attr("role", "group")
        .attr("aria-label", "Show arrows decided by tier")
        .end();
    m.open("span")
        .attr("class", "graph-tiers-label")
        .attr("aria-hidden", "true")
        .end()
        .text("Decided by")
        .close("span");
    for &(f, disabled) in tiers {
        let title = match (disabled, cluster_policies) {
            (false, _) => f.describe(),
            (true, true) => "Too many connections to sort by tier in this view: expand fewer namespaces",
            (true, false) => "This scenario has no cluster policies (ClusterNetworkPolicy, AdminNetworkPolicy)",
        };
        m.open("button").attr("type", "button").attr("data-tier", f.label()).attr("aria-pressed", pressed(tier == f));
        m.flag("disabled", disabled).attr("title", title).attr(markup::ACT_ATTR, "tier").end();
        m.text(f.label()).close("button");
    }
    m.close("div").close("div");
    m.finish().0
}

/// An arrow's swatch in the legend, drawn with the graph's own classes.
fn arrow_swatch(class: &str) -> String {
    format!(
        r#"<svg class="legend-swatch" viewBox="0 0 40 14" aria-hidden="true"><g class="{class}"><path class="edge-line" d="M2,7 L30,7"/><polygon class="edge-arrow" points="38,7 29,2.5 29,11.5"/></g></svg>"#
    )
}

/// The legend: what the markers, arrows and shapes mean (the tier and
/// compare entries only when the graph shows them). Our own static markup,
/// nothing from the scenario.
fn legend_markup(denied: bool, comparing: bool) -> String {
    let mut html = String::from(r#"<ul class="graph-legend" aria-label="Legend">"#);
    let mark = |m: &str| format!(r#"<span class="legend-mark">{m}</span>"#);
    let item = |html: &mut String, class: &str, inner: &str| {
        html.push_str(&format!(r#"<li class="{class}">{inner}</li>"#));
    };
    if comparing {
        let added = [arrow_swatch("edge change-added"), mark("+"), "newly allowed (thick, solid)".into()].concat();
        item(&mut html, "legend-change", &added);
        let removed = [arrow_swatch("edge change-removed"), mark("−"), "newly denied (dashed)".into()].concat();
        item(&mut html, "legend-change", &removed);
        item(&mut html, "legend-change", &[mark("±"), "both, on different pairs or ports".into()].concat());
        item(&mut html, "legend-change", &[arrow_swatch("edge change-same"), "unchanged (faded)".into()].concat());
    }
    if denied {
        html.push_str(concat!(
            r#"<li class="legend-denied"><svg class="legend-swatch" viewBox="0 0 40 14" aria-hidden="true">"#,
            r#"<g class="edge denied-admin"><path class="edge-line" d="M2,7 L28,7"/><g class="denied-mark">"#,
            r#"<circle cx="33" cy="7" r="5"/><line x1="29.6" y1="10.4" x2="36.4" y2="3.6"/></g></g></svg>"#,
            "denied by an Admin-tier policy (⊘, dashed): no NetworkPolicy can allow it</li>"
        ));
    }
    let allowed =
        [arrow_swatch(""), "allowed connection, labelled with its ports (or pod pairs between namespaces)".into()];
    item(&mut html, "", &allowed.concat());
    let shield = format!(
        r#"<svg class="legend-shield" viewBox="-1 -1 11 13" aria-hidden="true"><path class="shield" d="{SHIELD_PATH}"/></svg>"#
    );
    item(
        &mut html,
        "",
        &[shield.clone(), mark("in"), "isolated for ingress: only what a policy allows may come in".into()].concat(),
    );
    item(
        &mut html,
        "",
        &[shield, mark("out"), "isolated for egress: only what a policy allows may go out".into()].concat(),
    );
    html.push_str(concat!(
        r#"<li><svg class="legend-swatch" viewBox="0 0 40 14" aria-hidden="true"><rect class="legend-ns" x="1" y="1" width="38" height="12" rx="3"/></svg>"#,
        "namespace (▸ collapsed: click to expand)</li>",
        r#"<li><svg class="legend-swatch" viewBox="0 0 40 14" aria-hidden="true"><rect class="legend-ext" x="1" y="1" width="38" height="12" rx="6"/></svg>"#,
        "external address (an ipBlock, or any other address)</li></ul>"
    ));
    html
}
