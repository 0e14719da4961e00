//! Components mounted into a real document in headless Chromium:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p netpol-web --target wasm32-unknown-unknown` (what
//! `cargo xtask test` runs).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use netpol_core::presets::by_id;
use netpol_web::editor::{Editor, Mark};
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

fn attrs(root: &HtmlElement, selector: &str, attr: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.get_attribute(attr).unwrap_or_default())
        .collect()
}

fn or_and_data(to: &str) -> InspectorData {
    let yaml = by_id("or-vs-and").expect("preset").yaml;
    let out = netpol_core::parse::parse_str(yaml);
    let choice = FlowChoice { from: "alice/web".into(), to: to.into(), probe: "TCP/5432".into() };
    inspector_data(&out.scenario, &inspect(&out.scenario, &choice))
}

#[wasm_bindgen_test]
fn inspector_draws_the_or_list_with_the_matching_entry() {
    let root = container();
    let data = or_and_data("or-demo/db");
    let focused = RwSignal::new(0usize);
    leptos::mount::mount_to(root.clone(), move || {
        view! {
            <InspectorBody
                data=Memo::new(move |_| data.clone())
                on_focus=Callback::new(move |spans: Vec<netpol_core::Span>| focused.set(spans.len()))
            />
        }
    })
    .forget();
    assert_eq!(attrs(&root, "[data-testid=verdict]", "data-allowed"), vec!["true"]);
    assert_eq!(attrs(&root, "[data-testid=peer-entry]", "data-held"), vec!["true", "false"]);
    assert_eq!(attrs(&root, "[data-testid=peer-entry]", "data-index"), vec!["0", "1"]);
    // One OR separator between the two entries.
    assert_eq!(root.query_selector_all(".or-sep").expect("selector").length(), 1);
    // Clicking a term asks the page to highlight its span.
    let term: HtmlElement =
        root.query_selector("[data-testid=term]").expect("selector").expect("a term").unchecked_into();
    term.click();
    assert_eq!(focused.get_untracked(), 1);
}

/// The inspector writes its explanation as HTML text (`netpol_web::markup`):
/// whatever the scenario or the page puts in it stays text, and a click on
/// an element inside a click target is the target's click.
#[wasm_bindgen_test]
async fn inspector_text_is_never_markup_and_inner_clicks_reach_their_target() {
    let root = container();
    let hostile = "<img src=x onerror=\"document.title='owned'\"> & \"quotes\"";
    let data = RwSignal::new(InspectorData::Message(hostile.to_string()));
    let focused = RwSignal::new(Vec::<netpol_core::Span>::new());
    leptos::mount::mount_to(root.clone(), move || {
        view! {
            <InspectorBody
                data=Memo::new(move |_| data.get())
                on_focus=Callback::new(move |spans: Vec<netpol_core::Span>| focused.set(spans))
            />
        }
    })
    .forget();
    assert_eq!(root.query_selector_all("img").expect("selector").length(), 0);
    assert_eq!(root.text_content().unwrap_or_default(), hostile);

    // The same panel, updated: a term's name is a span inside the term's button.
    data.set(or_and_data("and-demo/db"));
    leptos::task::tick().await;
    let name: HtmlElement =
        root.query_selector("[data-testid=term] .term-name").expect("selector").expect("a term name").unchecked_into();
    name.click();
    let term_spans = focused.get_untracked();
    assert_eq!(term_spans.len(), 1, "the term's own span");
    // The entry's button highlights the whole entry, a different span.
    let entry: HtmlElement =
        root.query_selector(".peer-name").expect("selector").expect("an entry button").unchecked_into();
    entry.click();
    assert_eq!(focused.get_untracked().len(), 1);
    assert_ne!(focused.get_untracked(), term_spans);
}

#[wasm_bindgen_test]
fn inspector_draws_the_and_entry_with_one_failed_term() {
    let root = container();
    let data = or_and_data("and-demo/db");
    leptos::mount::mount_to(root.clone(), move || {
        view! { <InspectorBody data=Memo::new(move |_| data.clone()) on_focus=Callback::new(|_| {}) /> }
    })
    .forget();
    assert_eq!(attrs(&root, "[data-testid=verdict]", "data-allowed"), vec!["false"]);
    assert_eq!(attrs(&root, "[data-testid=peer-entry]", "data-held"), vec!["false"]);
    assert_eq!(attrs(&root, "[data-testid=term]", "data-held"), vec!["true", "false"]);
    assert!(root.text_content().unwrap_or_default().contains("would match if"));
}

#[wasm_bindgen_test]
async fn editor_numbers_lines_marks_errors_and_writes_edits() {
    let root = container();
    let text = RwSignal::new("a: 1\nb: [\nc: 3".to_string());
    let node_ref = NodeRef::new();
    let marks = vec![Mark { line: 2, col: 4, error: true, message: "unclosed".into() }];
    leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Editor
                text=text
                marks=Memo::new(move |_| marks.clone())
                highlight=Memo::new(|_| vec![1, 3])
                node_ref=node_ref
            />
        }
    })
    .forget();
    // The marks and highlights are drawn by effects, after the first render.
    leptos::task::tick().await;
    let numbers = root.query_selector(".line-numbers").expect("selector").expect("gutter");
    assert_eq!(numbers.text_content().as_deref(), Some("1\n2\n3"));
    assert_eq!(attrs(&root, "[data-testid=highlight-line]", "data-line"), vec!["1", "3"]);
    assert_eq!(root.query_selector_all(".gutter-mark.error").expect("selector").length(), 1);
    // The message sits three columns after the end of its line (`b: [`, 4 columns).
    let message = || root.query_selector(".inline-msg").expect("selector").expect("an inline message");
    assert_eq!(message().text_content().as_deref(), Some("unclosed"));
    let left =
        |m: web_sys::Element| m.unchecked_into::<HtmlElement>().style().get_property_value("left").unwrap_or_default();
    assert_eq!(left(message()), "calc(var(--pad-x) + 7ch)");

    let ta: web_sys::HtmlTextAreaElement =
        root.query_selector("[data-testid=editor]").expect("selector").expect("textarea").unchecked_into();
    assert_eq!(ta.value(), "a: 1\nb: [\nc: 3");
    ta.set_value("x: 1");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    ta.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).expect("event")).expect("sent");
    assert_eq!(text.get_untracked(), "x: 1");
    // The edit removed line 2: its message moves to the start, where the line would be.
    leptos::task::tick().await;
    assert_eq!(left(message()), "calc(var(--pad-x) + 3ch)");
}

/// The page's links are compressed by the browser's `CompressionStream`, not
/// by the core's miniz: the fragment still opens, through the core's decoder
/// (the CLI's), exactly the state it was made from.
#[wasm_bindgen_test]
async fn a_link_made_by_the_browser_opens_the_same_state() {
    use netpol_core::share::{self, View};
    use netpol_web::share_link;
    let choice = FlowChoice { from: "a/x".into(), to: "b/y".into(), probe: "TCP/80".into() };
    let scenario = by_id("or-vs-and").expect("preset").yaml.to_string();
    let st = share_link::state(scenario, &choice, View::Matrix, Some("kind: Namespace\n".into()));
    let url = share_link::link("http://h/p", &st).await.expect("a link");
    assert!(url.starts_with("http://h/p#v1."), "{url}");
    let back = share::decode(&url).expect("decodes");
    assert_eq!(back, st);
    assert_eq!(back.flow.as_ref().map(share_link::choice_of), Some(choice));
    // Compressed, not stored: the preset is several KB of repetitive YAML.
    assert!(url.len() < st.scenario.len() / 2, "{} chars for {} bytes", url.len(), st.scenario.len());
}

/// The page opens links with the browser's `DecompressionStream`
/// (`share_link::open`), not the core's miniz: links the core made at every
/// level open the same state, and damaged, cut-off or oversized ones are
/// refused with the core's own sentences.
#[wasm_bindgen_test]
async fn the_browser_opens_links_the_core_made_and_refuses_broken_ones() {
    use netpol_core::share::{self, ShareError, ShareErrorKind, SharedState, View, MAX_DECODED_BYTES};
    use netpol_web::share_link;
    let st = SharedState {
        scenario: by_id("or-vs-and").expect("preset").yaml.to_string(),
        compare: None,
        flow: None,
        view: View::Graph,
    };
    let fragment = share::encode(&st);
    assert_eq!(share_link::open(&fragment).await, Ok(st.clone()));
    assert_eq!(share_link::open(&format!("https://x.test/#{fragment}")).await, Ok(st));

    let says = |kind| Err(ShareError::new(kind).to_string());
    // A fragment cut short (but still whole base64 characters): the stream ends early.
    let cut = &fragment[..fragment.len() - 40];
    let opened = share_link::open(cut).await;
    assert!(opened == says(ShareErrorKind::Truncated) || opened == says(ShareErrorKind::BadCompression), "{opened:?}");
    // One byte of the compressed data changed: the browser's Adler-32 check refuses it.
    let mut zlib = share::zlib_of_fragment(&fragment).expect("zlib");
    let middle = zlib.len() / 2;
    zlib[middle] ^= 0x20;
    let opened = share_link::open(&share::fragment_of_zlib(&zlib)).await;
    assert!(opened.is_err(), "{opened:?}");
    // A zlib stream of 5 MB of zeros, a few KB long: refused before it is all held.
    let bomb =
        SharedState { scenario: "\0".repeat(MAX_DECODED_BYTES + 1), compare: None, flow: None, view: View::Graph };
    assert_eq!(
        share_link::open(&share::encode(&bomb)).await,
        says(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES })
    );
    assert_eq!(share_link::open("v1.").await.map_err(|e| e.is_empty()), Err(false));
}

/// A markup region is written again whenever its signals change
/// (`netpol_web::markup::region`): the button that had keyboard focus keeps
/// it, and an open `<details>` stays open.
#[wasm_bindgen_test]
async fn a_markup_region_keeps_focus_and_open_details_across_a_rewrite() {
    use netpol_web::markup::region;
    let root = container();
    let n = RwSignal::new(0);
    leptos::mount::mount_to(root.clone(), move || {
        region(Box::new(move || {
            format!(
                "<button data-act=\"go\">Go {}</button><details><summary>More</summary><p>{}</p></details>\
                 <button data-act=\"pick\" data-id=\"a\">A</button><button data-act=\"pick\" data-id=\"b\">B</button>",
                n.get(),
                n.get()
            )
        }))
    })
    .forget();
    leptos::task::tick().await;
    let query = |s: &str| root.query_selector(s).ok().flatten().expect(s);
    let button = query("[data-act=go]").dyn_into::<HtmlElement>().expect("button");
    button.focus().expect("focus");
    query("details").dyn_into::<web_sys::HtmlDetailsElement>().expect("details").set_open(true);

    n.set(1);
    leptos::task::tick().await;
    let again = query("[data-act=go]");
    assert_eq!(again.text_content().as_deref(), Some("Go 1"));
    assert!(!again.is_same_node(Some(&button)), "the button was written again");
    assert!(document().active_element().is_some_and(|e| e.is_same_node(Some(&again))), "focus is back on it");
    assert!(query("details").dyn_into::<web_sys::HtmlDetailsElement>().expect("details").open());

    // Of buttons that do the same thing, the one for the same item.
    query("[data-id=b]").dyn_into::<HtmlElement>().expect("button").focus().expect("focus");
    n.set(2);
    leptos::task::tick().await;
    let b = query("[data-id=b]");
    assert!(document().active_element().is_some_and(|e| e.is_same_node(Some(&b))), "focus is on item b");
}
