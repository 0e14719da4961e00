//! The presets menu: every ready-made scenario with its title and summary.

use leptos::prelude::*;
use netpol_core::presets::{Preset, PRESETS};

/// A button that opens the list of presets; picking one calls `on_pick`.
#[component]
pub fn PresetsMenu(
    /// A preset was chosen.
    on_pick: Callback<&'static Preset>,
    /// Whether the menu is open (the header's "Presets" link opens it too).
    open: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="menu-wrap">
            <button
                class="btn"
                aria-haspopup="true"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="preset-menu"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Presets"<span aria-hidden="true">" ▾"</span>
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| open.set(false)></div>
                <div
                    id="preset-menu"
                    class="menu"
                    role="menu"
                    data-testid="preset-menu"
                    aria-label="Ready-made scenarios"
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            open.set(false);
                        }
                    }
                >
                    {PRESETS.iter().map(|p| view! {
                        <button
                            class="menu-item"
                            role="menuitem"
                            data-testid="preset-item"
                            data-id=p.id
                            on:click=move |_| {
                                open.set(false);
                                on_pick.run(p);
                            }
                        >
                            <span class="menu-title">{p.title}</span>
                            <span class="menu-summary">{p.summary}</span>
                        </button>
                    }).collect_view()}
                </div>
            </Show>
        </div>
    }
}
