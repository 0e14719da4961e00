//! The allow graph mounted in headless Chromium: one `graph-node` per model
//! node, one `graph-edge` per model edge, accessible titles, hover focus,
//! edge clicks and namespace expansion.
//!
//! Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p netpol-web --target wasm32-unknown-unknown --test graph`.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use netpol_core::eval::external_nodes;
use netpol_core::matrix::matrix;
use netpol_core::parse::parse_str;
use netpol_core::presets;
use netpol_web::graph::{build, AllowGraph, GraphEndpoint, GraphModel, Level, TierFilter, ViewState};
use netpol_web::state::Evaluated;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn model_for(preset: &str, view: &ViewState) -> GraphModel {
    let yaml = presets::by_id(preset).map(|p| p.yaml).unwrap_or_default();
    let s = parse_str(yaml).scenario;
    let m = matrix(&s, &s.probes_in_use());
    let probes: Vec<usize> = (0..m.probes().len()).collect();
    build(&s, &m, &probes, &external_nodes(&s), view)
}

fn container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc.create_element("div").expect("a div");
    doc.body().expect("a body").append_child(&div).expect("appended");
    div.unchecked_into()
}

/// Elements under `root` with class `class`, and those among them carrying
/// `data-testid="testid"`.
fn with_testid(root: &web_sys::Element, class: &str, testid: &str) -> Vec<web_sys::Element> {
    let all = root.get_elements_by_class_name(class);
    (0..all.length())
        .filter_map(|i| all.item(i))
        .filter(|e| e.get_attribute("data-testid").as_deref() == Some(testid))
        .collect()
}

/// Sends `kind` to `el` as the browser does for a pointer: bubbling, so the
/// graph's layer-wide listeners see it.
fn send(el: &web_sys::Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict(kind, &init).expect("an event");
    el.dispatch_event(&ev).expect("dispatched");
}

fn click(el: &web_sys::Element) {
    send(el, "click");
}

#[wasm_bindgen_test]
async fn draws_one_element_per_node_and_edge_and_reports_edge_clicks() {
    let view = ViewState { level: Level::Pods, ..ViewState::default() };
    let model = model_for("three-tier", &view);
    assert!(model.nodes.len() >= 4 && !model.edges.is_empty(), "the preset has nodes and arrows");
    let (nodes, edges) = (model.nodes.len(), model.edges.len());
    let boxes = model.groups.iter().filter(|g| g.expanded).count();
    let first = model.edges[0];
    let clicked = RwSignal::new(Vec::<(GraphEndpoint, GraphEndpoint)>::new());
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AllowGraph
                model=Memo::new(move |_| model.clone())
                view_state=RwSignal::new(view)
                on_edge_click=Callback::new(move |pair| clicked.update(|c| c.push(pair)))
            />
        }
    });
    leptos::task::tick().await;

    let svg = root.query_selector("svg[data-testid=allow-graph]").expect("query").expect("the graph's svg");
    assert!(svg.get_attribute("viewBox").is_some());
    let node_els = with_testid(&svg, "node", "graph-node");
    let edge_els = with_testid(&svg, "edge", "graph-edge");
    assert_eq!(node_els.len(), nodes);
    assert_eq!(edge_els.len(), edges);
    assert!(node_els.iter().all(|n| n.get_attribute("data-id").is_some_and(|id| !id.is_empty())));
    assert!(edge_els.iter().all(|e| e.get_attribute("data-from").is_some() && e.get_attribute("data-to").is_some()));
    assert_eq!(
        svg.get_elements_by_tag_name("title").length() as usize,
        1 + boxes + nodes + edges,
        "the graph, every namespace box, node and edge has a <title>"
    );

    click(&edge_els[0]);
    assert_eq!(clicked.get_untracked(), [first.example]);

    // Hovering a node dims what it is not connected to.
    let hovered = &node_els[0];
    send(hovered, "mouseover");
    leptos::task::tick().await;
    assert!(!hovered.class_list().contains("dim"));
    let dimmed = with_testid(&svg, "node", "graph-node").iter().filter(|n| n.class_list().contains("dim")).count()
        + with_testid(&svg, "edge", "graph-edge").iter().filter(|n| n.class_list().contains("dim")).count();
    assert!(dimmed > 0, "something unrelated is dimmed");
    root.remove();
}

/// The arrows are redrawn whenever the selection or the hover changes (they
/// are SVG markup, `web/src/graph/component.rs`): an arrow that had the
/// keyboard focus keeps it, so a keyboard user who opens an arrow is not
/// thrown back to the top of the page.
#[wasm_bindgen_test]
async fn an_opened_arrow_keeps_the_focus_across_the_redraw() {
    let view = ViewState { level: Level::Pods, ..ViewState::default() };
    let model = model_for("three-tier", &view);
    let selected = RwSignal::new(None::<(GraphEndpoint, GraphEndpoint)>);
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AllowGraph
                model=Memo::new(move |_| model.clone())
                view_state=RwSignal::new(view)
                on_edge_click=Callback::new(move |pair| selected.set(Some(pair)))
                selected_edge=Memo::new(move |_| selected.get())
            />
        }
    });
    leptos::task::tick().await;
    let svg = root.query_selector("svg[data-testid=allow-graph]").expect("query").expect("the graph's svg");
    let edge = with_testid(&svg, "edge", "graph-edge").pop().expect("an arrow");
    let (from, to) = (edge.get_attribute("data-from"), edge.get_attribute("data-to"));
    edge.dyn_ref::<web_sys::SvgElement>().expect("an SVG element").focus().expect("focusable");
    click(&edge);
    leptos::task::tick().await;
    let active = document().active_element().expect("something has the focus");
    assert!(!edge.is_connected(), "the arrows were redrawn");
    assert_eq!((active.get_attribute("data-from"), active.get_attribute("data-to")), (from, to));
    assert!(active.class_list().contains("selected"), "the opened arrow is marked");
    root.remove();
}

#[wasm_bindgen_test]
async fn clicking_a_collapsed_namespace_expands_it() {
    let view = ViewState { level: Level::Namespaces, ..ViewState::default() };
    let model = model_for("three-tier-namespaces", &view);
    assert!(model.aggregated);
    let namespaces = model.groups.len();
    let state = RwSignal::new(view);
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <AllowGraph model=Memo::new(move |_| model.clone()) view_state=state on_edge_click=Callback::new(|_| ())/> }
    });
    leptos::task::tick().await;
    let svg = root.query_selector("svg[data-testid=allow-graph]").expect("query").expect("the svg");
    let ns_nodes: Vec<_> = with_testid(&svg, "node", "graph-node")
        .into_iter()
        .filter(|n| n.get_attribute("data-kind").as_deref() == Some("namespace"))
        .collect();
    assert_eq!(ns_nodes.len(), namespaces);
    let name = ns_nodes[0].get_attribute("data-id").expect("an id");
    click(&ns_nodes[0]);
    assert!(state.get_untracked().expanded.contains(&name), "{name} expanded");
    root.remove();
}

/// A graph whose model follows the view state, as the page wires it.
fn live_graph(preset: &str, state: RwSignal<ViewState>) -> (web_sys::HtmlElement, Arc<Evaluated>) {
    let yaml = presets::by_id(preset).map(|p| p.yaml).unwrap_or_default();
    let ev = Arc::new(Evaluated::new(parse_str(yaml).scenario));
    let for_model = ev.clone();
    let model = Memo::new(move |_| {
        let all: Vec<usize> = (0..for_model.matrix.probes().len()).collect();
        state.with(|v| build(&for_model.scenario, &for_model.matrix, &all, &for_model.externals, v))
    });
    let root = container();
    let mounted = root.clone();
    // Kept mounted for the test's life (the test removes the root).
    leptos::mount::mount_to(mounted, move || {
        view! { <AllowGraph model=model view_state=state on_edge_click=Callback::new(|_| ())/> }
    })
    .forget();
    (root, ev)
}

fn attr_list(root: &web_sys::Element, selector: &str, attr: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("query");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute(attr))
        .collect()
}

#[wasm_bindgen_test]
async fn tier_filter_redraws_and_denied_by_admin_arrows_are_labelled() {
    let state = RwSignal::new(ViewState { level: Level::Pods, ..ViewState::default() });
    let (root, _) = live_graph("cluster-guardrails", state);
    leptos::task::tick().await;
    let all = attr_list(&root, "[data-testid=graph-edge]", "data-from").len();
    let denied = attr_list(&root, "[data-testid=graph-edge-denied]", "aria-label");
    assert!(
        denied.iter().any(|l| l.starts_with("tenant-a/web → sensitive/db: denied by admin policy protect-db")),
        "{denied:?}"
    );
    let admin = root.query_selector(".graph-tiers button[data-tier=Admin]").expect("query").expect("an Admin button");
    click(&admin);
    leptos::task::tick().await;
    assert_eq!(state.get_untracked().tier, TierFilter::Admin);
    // The toolbar is a markup region: the pressed button is a new element.
    let admin = root.query_selector(".graph-tiers button[data-tier=Admin]").expect("query").expect("an Admin button");
    assert_eq!(admin.get_attribute("aria-pressed").as_deref(), Some("true"));
    let tiers = attr_list(&root, "[data-testid=graph-edge]", "data-tiers");
    assert!(!tiers.is_empty() && tiers.len() < all, "the Admin filter keeps some, not all: {tiers:?} of {all}");
    assert!(tiers.iter().all(|t| t.contains("Admin")));
    assert_eq!(attr_list(&root, "[data-testid=graph-edge-denied]", "data-from").len(), denied.len());
    let baseline = root.query_selector(".graph-tiers button[data-tier=Baseline]").expect("query").expect("a button");
    click(&baseline);
    leptos::task::tick().await;
    assert!(attr_list(&root, "[data-testid=graph-edge-denied]", "data-from").is_empty(), "denials are Admin's");
    root.remove();
}

#[wasm_bindgen_test]
async fn compare_mode_marks_changed_arrows_and_clicks_speak_the_before_version() {
    let yaml = presets::by_id("three-tier").map(|p| p.yaml).unwrap_or_default();
    let before = Arc::new(Evaluated::new(parse_str(yaml).scenario));
    // The after version drops its last document (a policy).
    let cut = yaml.rfind("\n---").unwrap_or(yaml.len());
    let after = Arc::new(Evaluated::new(parse_str(&yaml[..cut]).scenario));
    let state = RwSignal::new(ViewState { level: Level::Pods, ..ViewState::default() });
    let all: Vec<usize> = (0..before.matrix.probes().len()).collect();
    let model = build(&before.scenario, &before.matrix, &all, &before.externals, &state.get_untracked());
    let after_signal = RwSignal::new(None::<Arc<Evaluated>>);
    let clicked = RwSignal::new(Vec::<(GraphEndpoint, GraphEndpoint)>::new());
    let root = container();
    let b = before.clone();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <AllowGraph
                model=Memo::new(move |_| model.clone())
                view_state=state
                on_edge_click=Callback::new(move |pair| clicked.update(|c| c.push(pair)))
                evaluated=Memo::new(move |_| Some(b.clone()))
                after=Memo::new(move |_| after_signal.get())
            />
        }
    });
    leptos::task::tick().await;
    assert!(attr_list(&root, "[data-testid=graph-edge]", "data-change").is_empty(), "not comparing yet");
    after_signal.set(Some(after));
    leptos::task::tick().await;
    let changes = attr_list(&root, "[data-testid=graph-edge]", "data-change");
    assert!(changes.iter().any(|c| c != "same"), "some arrow changed: {changes:?}");
    let legend =
        root.query_selector(".graph-legend").expect("query").expect("legend").text_content().unwrap_or_default();
    assert!(legend.contains("newly allowed") && legend.contains("newly denied"), "{legend}");
    let changed = root
        .query_selector("[data-testid=graph-edge]:not([data-change=same])")
        .expect("query")
        .expect("a changed arrow");
    click(&changed);
    let (from, to) =
        (changed.get_attribute("data-from").unwrap_or_default(), changed.get_attribute("data-to").unwrap_or_default());
    let name = |e: GraphEndpoint| match e {
        GraphEndpoint::Endpoint(i) => before.scenario.endpoints.get(i).map(|e| format!("{}/{}", e.namespace, e.name)),
        GraphEndpoint::External(_) => None,
    };
    let got = clicked.get_untracked();
    assert_eq!(got.len(), 1);
    if let Some(&(a, b)) = got.first() {
        assert_eq!((name(a), name(b)), (Some(from), Some(to)), "the pair in the before version's indices");
    }
    root.remove();
}
