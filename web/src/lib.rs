//! # netpol-web
//!
//! The NetworkPolicy playground page. Everything is computed in the browser by
//! `netpol-core`; this crate only renders what the core decides.

pub mod graph;

use leptos::prelude::*;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="app-header">
            <h1>"NetworkPolicy Playground"</h1>
        </header>
    }
}

/// Replaces the loading skeleton with the app.
pub fn mount() {
    if let Some(skeleton) = document().get_element_by_id("skeleton") {
        skeleton.remove();
    }
    leptos::mount::mount_to_body(App);
}
