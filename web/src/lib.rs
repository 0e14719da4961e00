//! # netpol-web
//!
//! The NetworkPolicy playground page (Leptos, client-side rendered, built by
//! Trunk). Everything is computed in the browser by `netpol-core`; this
//! crate renders what the core decides and never decides a verdict itself.
//!
//! - Pure logic, tested natively (`cargo test -p netpol-web`): [`text`]
//!   (line/offset arithmetic), [`state`] (parse → last good / stale),
//!   [`flow_sel`] (what the inspector shows), [`inspector_vm`] (the
//!   explanation as labelled rows), [`highlight`] (which lines to light),
//!   [`matrix_view::table`].
//! - Components: [`app::App`], [`editor`], [`matrix_view`], [`inspector`],
//!   [`presets_menu`], [`help`], and the allow graph in [`graph`].

pub mod app;
pub mod compare;
pub mod content;
pub mod dom;
pub mod editor;
pub mod export;
pub mod flow_sel;
pub mod graph;
pub mod help;
pub mod highlight;
pub mod import;
pub mod inspector;
pub mod inspector_vm;
pub mod large;
pub mod large_view;
pub mod learn;
pub mod lint_panel;
pub mod markup;
pub mod matrix_view;
pub mod pickers;
pub mod pipeline;
pub mod presets_menu;
pub mod share_link;
pub mod state;
pub mod text;

pub use app::App;

/// Replaces the static loading skeleton of `index.html` with the app. A
/// link's fragment is opened first (the browser inflates it, which is
/// asynchronous), so the page starts on the shared scenario, or on the
/// user's own with the reason the link could not be opened.
pub fn mount() {
    let start = |opened: Option<Result<netpol_core::share::SharedState, String>>| {
        if let Some(skeleton) = leptos::prelude::document().get_element_by_id("skeleton") {
            skeleton.remove();
        }
        leptos::mount::mount_to_body(move || leptos::prelude::view! { <App opened=opened /> });
    };
    match share_link::current_fragment() {
        None => start(None),
        Some(fragment) => wasm_bindgen_futures::spawn_local(async move {
            start(Some(share_link::open(&fragment).await));
        }),
    }
}
