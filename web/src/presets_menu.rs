//! The presets menu: every ready-made scenario with its title and summary.
//!
//! A preset's scenario may have to be fetched first ([`crate::content`]):
//! the picked item then says "Loading…" and the menu stays open until it
//! arrives; if it cannot, the menu says why and the editor is untouched.

use leptos::prelude::*;
use netpol_core::presets::{Preset, PRESETS};

use crate::content;
use crate::markup::{closest, region, Markup, ACT_ATTR};

/// A button that opens the list of presets; picking one calls `on_pick`
/// with the preset and its scenario text.
#[component]
pub fn PresetsMenu(
    /// A preset was chosen and its scenario is here.
    on_pick: Callback<(&'static Preset, &'static str)>,
    /// Whether the menu is open (the header's "Presets" link opens it too).
    open: RwSignal<bool>,
) -> impl IntoView {
    // Opening the menu moves focus to its first item, so it is usable from
    // the keyboard; arrow keys move between items (see `on_keydown`).
    Effect::new(move |_| {
        if open.get() {
            request_animation_frame(|| focus_item(0, 0));
        }
    });
    // The preset being fetched, and why the last one could not be.
    let pending = RwSignal::new(None::<&'static Preset>);
    // Said under the item that failed, which has focus (the menu scrolls).
    let failed_at = RwSignal::new(None::<&'static Preset>);
    let why = RwSignal::new(None::<String>);
    let pick = move |p: &'static Preset| {
        if pending.get_untracked().is_some() {
            return;
        }
        why.set(None);
        pending.set(Some(p));
        content::preset_yaml(p, move |r| {
            pending.set(None);
            match r {
                // Closing the menu while it loaded meant "never mind".
                Ok(yaml) if open.get_untracked() => {
                    open.set(false);
                    on_pick.run((p, yaml));
                }
                Ok(_) => {}
                Err(reason) => {
                    failed_at.set(Some(p));
                    why.set(Some(format!("“{}” could not be loaded. {reason} Your scenario is unchanged.", p.title)));
                }
            }
        });
    };
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
            // Hidden while closed, not unmounted: a `Show` costs the page more
            // than two attributes.
            <div class="menu-backdrop" hidden=move || !open.get() on:click=move |_| open.set(false)></div>
            <div
                id="preset-menu"
                hidden=move || !open.get()
                class="menu"
                role="menu"
                data-testid="preset-menu"
                aria-label="Ready-made scenarios"
                aria-busy=move || pending.get().is_some().to_string()
                on:click=move |ev: web_sys::MouseEvent| {
                    let id = closest(&ev, "[data-act=preset]").and_then(|b| b.get_attribute("data-id"));
                    if let Some(p) = id.and_then(|id| PRESETS.iter().find(|p| p.id == id)) {
                        pick(p);
                    }
                }
                on:keydown=move |ev| match ev.key().as_str() {
                    "Escape" => open.set(false),
                    "ArrowDown" => {
                        ev.prevent_default();
                        focus_item(current_item().map_or(0, |i| i + 1), 0);
                    }
                    "ArrowUp" => {
                        ev.prevent_default();
                        focus_item(current_item().unwrap_or(0), -1);
                    }
                    _ => {}
                }
            >
                {region(Box::new(move || why.with(|w| items_markup(pending.get(), failed_at.get().zip(w.as_deref())))))}
            </div>
        </div>
    }
}

/// The menu's items: each preset's title and summary, "Loading…" on the
/// one being fetched, and why the last one could not be under it.
fn items_markup(pending: Option<&Preset>, failed: Option<(&Preset, &str)>) -> String {
    let mut m = Markup::default();
    for p in PRESETS {
        let loading = pending.is_some_and(|q| q.id == p.id);
        m.open("button").class("menu-item", &[(loading, "loading")]).attr("role", "menuitem");
        m.attr("data-testid", "preset-item").attr("data-id", p.id).attr(ACT_ATTR, "preset");
        m.attr("aria-busy", if loading { "true" } else { "false" }).end();
        m.open("span").attr("class", "menu-title").end().text(p.title);
        if loading {
            m.open("span").attr("class", "menu-loading").attr("data-testid", "preset-loading").end();
            m.text(" Loading…").close("span");
        }
        m.close("span").leaf("span", "menu-summary", p.summary);
        if let Some((_, why)) = failed.filter(|(q, _)| q.id == p.id) {
            m.open("span").attr("class", "menu-error").attr("role", "alert").attr("data-testid", "preset-error").end();
            m.text(why).close("span");
        }
        m.close("button");
    }
    m.finish().0
}

fn menu_items() -> Vec<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let Ok(list) = document().query_selector_all("#preset-menu [role=menuitem]") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

/// The index of the focused menu item, if one is focused.
fn current_item() -> Option<usize> {
    let active = document().active_element()?;
    menu_items().iter().position(|e| {
        let e: &web_sys::Element = e;
        *e == active
    })
}

/// Focuses item `index + delta`, wrapping around.
fn focus_item(index: usize, delta: isize) {
    let items = menu_items();
    if items.is_empty() {
        return;
    }
    let n = items.len() as isize;
    let i = ((index as isize + delta) % n + n) % n;
    if let Some(item) = items.get(i as usize) {
        let _ = item.focus();
    }
}
