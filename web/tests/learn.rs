//! The Learn panel mounted in headless Chromium (`cargo xtask test` runs it
//! with the other wasm-bindgen tests): pick a lesson, load it, predict, and
//! watch the task status follow the scenario it is given.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use netpol_core::lessons::{self, Lesson};
use netpol_core::parse::parse_str;
use netpol_web::flow_sel::FlowChoice;
use netpol_web::learn::{LearnPanel, STORAGE_KEY};
use netpol_web::state::Evaluated;
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

fn click(root: &HtmlElement, selector: &str) {
    let el: HtmlElement = root
        .query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into();
    el.click();
}

fn attr(root: &HtmlElement, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector).ok().flatten().and_then(|e| e.get_attribute(name))
}

fn evaluated(yaml: &str) -> Option<Arc<Evaluated>> {
    Some(Arc::new(Evaluated::new(parse_str(yaml).scenario)))
}

#[wasm_bindgen_test]
async fn a_lesson_loads_reveals_the_computed_verdict_and_checks_the_task_live() {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.remove_item(STORAGE_KEY);
    }
    let lesson = lessons::by_id("ports").expect("lesson");
    let root = container();
    let open = RwSignal::new(true);
    let text = RwSignal::new(String::new());
    let scenario = RwSignal::new(None::<Arc<Evaluated>>);
    let loads = RwSignal::new(Vec::<&'static str>::new());
    let inspected = RwSignal::new(None::<FlowChoice>);
    leptos::mount::mount_to(root.clone(), move || {
        view! {
            <LearnPanel
                open=open
                text=text
                scenario=Memo::new(move |_| scenario.get())
                on_load=Callback::new(move |(l, yaml): (&'static Lesson, &'static str)| {
                    loads.update(|v| v.push(l.id));
                    text.set(yaml.to_string());
                    scenario.set(evaluated(yaml));
                })
                on_text=Callback::new(move |t: String| {
                    scenario.set(evaluated(&t));
                    text.set(t);
                })
                on_inspect=Callback::new(move |c| inspected.set(Some(c)))
            />
        }
    })
    .forget();
    // The list is a markup region, written by an effect after mounting.
    leptos::task::tick().await;

    click(&root, "[data-testid=learn-item][data-id=ports]");
    leptos::task::tick().await;
    assert_eq!(attr(&root, "[data-testid=learn-lesson]", "data-id").as_deref(), Some("ports"));
    assert!(root.query_selector("[data-testid=predict-denied]").expect("selector").is_none());

    click(&root, "[data-testid=learn-load]");
    leptos::task::tick().await;
    assert_eq!(loads.get_untracked(), vec!["ports"]);

    // Guess "denied": the core says the end of a range is included.
    click(&root, "[data-testid=predict-denied]");
    leptos::task::tick().await;
    let actual = lessons::prediction(lesson).expect("resolves").allowed;
    assert_eq!(attr(&root, "[data-testid=learn-reveal]", "data-allowed"), Some(actual.to_string()));
    assert_eq!(attr(&root, "[data-testid=learn-reveal]", "data-correct"), Some((!actual).to_string()));
    assert_eq!(inspected.get_untracked().map(|c| c.to), Some(lesson.prediction.flow.to.to_string()));

    // The starting scenario fails the task; errors in the text suspend the check.
    assert_eq!(attr(&root, "[data-testid=learn-status]", "data-done").as_deref(), Some("false"));
    scenario.set(None);
    leptos::task::tick().await;
    let status = root.query_selector("[data-testid=learn-status]").expect("selector").expect("status");
    assert!(status.text_content().unwrap_or_default().contains("has errors"));

    // Applying the solution completes it, and the progress is stored.
    scenario.set(evaluated(lesson.yaml));
    click(&root, "[data-testid=learn-apply]");
    leptos::task::tick().await;
    assert_eq!(attr(&root, "[data-testid=learn-status]", "data-done").as_deref(), Some("true"));
    leptos::task::tick().await;
    let stored = window().local_storage().ok().flatten().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    assert_eq!(stored.as_deref(), Some("ports\tdenied\t1\n"));
    let count = root.query_selector("[data-testid=learn-count]").expect("selector").expect("count");
    assert_eq!(count.text_content().as_deref(), Some("1 of 8 done"));
}
