//! The lint panel under the editor: the core's findings for the scenario on
//! show (id, severity, what will happen, and the fix), each of which lights
//! its YAML in the editor when clicked. The page never decides a finding
//! itself; it lists `netpol_core::lint::lint`'s output as text.

use leptos::prelude::*;
use netpol_core::lint::{Finding, Severity};
use netpol_core::Span;

/// The glyph for a severity (shapes differ, so colour is not needed).
pub fn glyph(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✕",
        Severity::Warning => "!",
        Severity::Info => "i",
    }
}

/// The panel. `on_pick` receives the spans to highlight (the finding's and
/// its related ones).
#[component]
pub fn LintPanel(
    /// The findings, in source order.
    #[prop(into)]
    findings: Signal<Vec<Finding>>,
    /// Called with the spans of a clicked finding.
    on_pick: Callback<Vec<Span>>,
) -> impl IntoView {
    let open = RwSignal::new(true);
    view! {
        <section class="lint" aria-labelledby="lint-title">
            <button
                class="lint-head"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <span id="lint-title">"Lint"</span>
                <span class="badge count" data-testid="lint-count">{move || findings.with(Vec::len)}</span>
                <span class="lint-toggle" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
            </button>
            <Show when=move || open.get()>
                {move || {
                    let list = findings.get();
                    if list.is_empty() {
                        return view! { <p class="lint-none">"No pitfalls found."</p> }.into_any();
                    }
                    view! {
                        <ul class="lint-list" data-testid="lint-list">
                            {list.into_iter().map(|f| item(f, on_pick)).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </Show>
        </section>
    }
}

fn item(f: Finding, on_pick: Callback<Vec<Span>>) -> impl IntoView {
    let mut spans = vec![f.span];
    spans.extend(f.related.iter().copied());
    let sev = f.severity.as_str();
    let fix = (!f.fix.is_empty()).then(|| view! { <pre class="lint-fix">{f.fix.clone()}</pre> });
    view! {
        <li class="lint-item" data-testid="lint-item" data-id=f.id data-severity=sev>
            <button class="lint-main" title="Show in the editor" on:click=move |_| on_pick.run(spans.clone())>
                <span class="lint-glyph" aria-label=sev>{glyph(f.severity)}</span>
                <span class="lint-id">{f.id}</span>
                <span class="lint-msg">{f.message.clone()}</span>
            </button>
            {fix}
        </li>
    }
}
