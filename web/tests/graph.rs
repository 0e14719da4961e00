//! The allow graph mounted in headless Chromium: one `graph-node` per model
//! node, one `graph-edge` per model edge, accessible titles, hover focus,
//! edge clicks and namespace expansion.
//!
//! Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p netpol-web --target wasm32-unknown-unknown --test graph`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use netpol_core::eval::external_nodes;
use netpol_core::matrix::matrix;
use netpol_core::parse::parse_str;
use netpol_core::presets;
use netpol_web::graph::{build, AllowGraph, GraphEndpoint, GraphModel, Level, ViewState};
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

fn click(el: &web_sys::Element) {
    let ev = web_sys::Event::new("click").expect("an event");
    el.dispatch_event(&ev).expect("dispatched");
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
                model=Signal::stored(model)
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
    hovered.dispatch_event(&web_sys::Event::new("mouseenter").expect("event")).expect("dispatched");
    leptos::task::tick().await;
    assert!(!hovered.class_list().contains("dim"));
    let dimmed = with_testid(&svg, "node", "graph-node").iter().filter(|n| n.class_list().contains("dim")).count()
        + with_testid(&svg, "edge", "graph-edge").iter().filter(|n| n.class_list().contains("dim")).count();
    assert!(dimmed > 0, "something unrelated is dimmed");
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
        view! { <AllowGraph model=Signal::stored(model) view_state=state on_edge_click=Callback::new(|_| ())/> }
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
