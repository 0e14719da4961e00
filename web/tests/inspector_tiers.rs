//! The inspector's decision chain across tiers, mounted in headless Chromium:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p netpol-web --target wasm32-unknown-unknown --test inspector_tiers`
//! (`cargo xtask test` runs every web test this way). Flows of the
//! cluster-guardrails preset, evaluated in the network-policy-api order
//! (Admin → NetworkPolicy → Baseline → default allow).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use netpol_core::presets::by_id;
use netpol_web::flow_sel::{inspect, FlowChoice};
use netpol_web::inspector::InspectorBody;
use netpol_web::inspector_vm::{inspector_data, InspectorData};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> HtmlElement {
    let doc = document();
    let div = doc.create_element("div").expect("a div");
    doc.body().expect("a body").append_child(&div).expect("appended");
    div.unchecked_into()
}

/// `attr` of every element matching `selector` under `root`, in order.
fn attrs(root: &HtmlElement, selector: &str, attr: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.get_attribute(attr).unwrap_or_default())
        .collect()
}

fn guardrails(from: &str, to: &str, probe: &str) -> InspectorData {
    let yaml = by_id("cluster-guardrails").expect("the cluster-guardrails preset").yaml;
    let out = netpol_core::parse::parse_str(yaml);
    let choice = FlowChoice { from: from.into(), to: to.into(), probe: probe.into() };
    inspector_data(&out.scenario, &inspect(&out.scenario, &choice))
}

/// Mounts the inspector for `data`; returns the root and the number of
/// spans of the last focus request.
fn mount(data: InspectorData) -> (HtmlElement, RwSignal<Option<usize>>) {
    let root = container();
    let focused = RwSignal::new(None::<usize>);
    leptos::mount::mount_to(root.clone(), move || {
        view! {
            <InspectorBody
                data=Memo::new(move |_| data.clone())
                on_focus=Callback::new(move |spans: Vec<netpol_core::Span>| focused.set(Some(spans.len())))
            />
        }
    })
    .forget();
    (root, focused)
}

#[wasm_bindgen_test]
fn an_admin_deny_is_drawn_as_the_deciding_step() {
    let (root, focused) = mount(guardrails("tenant-a/web", "sensitive/db", "TCP/5432"));
    assert_eq!(attrs(&root, "[data-testid=verdict]", "data-allowed"), vec!["false"]);
    // One chain per side: the source's egress, the destination's ingress.
    assert_eq!(root.query_selector_all("[data-testid=tier-chain]").expect("selector").length(), 2);
    let ingress = "section.side:nth-child(2) [data-testid=tier-step]";
    assert_eq!(attrs(&root, ingress, "data-tier"), vec!["Admin", "NetworkPolicy", "Baseline"]);
    assert_eq!(attrs(&root, ingress, "data-outcome"), vec!["deny", "skipped", "skipped"]);
    assert_eq!(attrs(&root, ingress, "data-decides"), vec!["true", "false", "false"]);
    let head: HtmlElement = root
        .query_selector("section.side:nth-child(2) [data-testid=tier-step-head]")
        .expect("selector")
        .expect("a clickable step")
        .unchecked_into();
    assert!(head.text_content().unwrap_or_default().contains("protect-db"));
    head.click();
    assert_eq!(focused.get_untracked(), Some(1), "the Deny rule's span");
    // The overridden NetworkPolicy is tucked away, not drawn as if it decided.
    let skipped = root.query_selector(".tier-np-skipped").expect("selector").expect("a collapsed NetworkPolicy step");
    assert!(skipped.get_attribute("open").is_none());
}

#[wasm_bindgen_test]
fn a_pass_leads_to_the_network_policy_step_with_its_policy_card() {
    let (root, _) = mount(guardrails("monitoring/prometheus", "sensitive/db", "TCP/9187"));
    assert_eq!(attrs(&root, "[data-testid=verdict]", "data-allowed"), vec!["true"]);
    let ingress = "section.side:nth-child(2) [data-testid=tier-step]";
    assert_eq!(attrs(&root, ingress, "data-outcome"), vec!["pass", "allow", "skipped"]);
    let np = root
        .query_selector("section.side:nth-child(2) [data-testid=tier-step][data-tier=NetworkPolicy]")
        .expect("selector")
        .expect("the NetworkPolicy step");
    assert_eq!(np.query_selector_all(".policy").expect("selector").length(), 1);
}

#[wasm_bindgen_test]
fn a_scenario_without_cluster_policies_draws_no_chain() {
    let yaml = by_id("or-vs-and").expect("preset").yaml;
    let out = netpol_core::parse::parse_str(yaml);
    let choice = FlowChoice { from: "alice/web".into(), to: "or-demo/db".into(), probe: "TCP/5432".into() };
    let (root, _) = mount(inspector_data(&out.scenario, &inspect(&out.scenario, &choice)));
    assert_eq!(root.query_selector_all("[data-testid=tier-chain]").expect("selector").length(), 0);
    assert_eq!(attrs(&root, "[data-testid=peer-entry]", "data-held"), vec!["true", "false"]);
}
