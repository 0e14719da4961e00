//! The lint panel under the editor: the core's findings for the scenario on
//! show (id, severity, what will happen, and the fix), each of which lights
//! its YAML in the editor when clicked. The page never decides a finding
//! itself; it lists `netpol_core::lint::lint`'s output as text.

use leptos::prelude::*;
use netpol_core::lint::{Finding, Severity};
use netpol_core::Span;

/// Findings drawn at first, and added by each "Show more". A generated
/// 150,000-pod cluster has over 2,000 findings: drawing them all put
/// thousands of list items (and their accessibility nodes) in the page on
/// every result, for a list nobody reads to the end without a reason to.
pub const PAGE: usize = 100;

/// The "Show more" button's text when `shown` of `total` findings are
/// drawn, or `None` when all are.
pub fn more_label(total: usize, shown: usize) -> Option<String> {
    let hidden = total.checked_sub(shown).filter(|&h| h > 0)?;
    Some(format!("Show {} more ({hidden} not shown)", hidden.min(PAGE)))
}

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
    let shown = RwSignal::new(PAGE);
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
                    let limit = shown.get();
                    findings.with(|list| {
                        if list.is_empty() {
                            return view! { <p class="lint-none">"No pitfalls found."</p> }.into_any();
                        }
                        let more = more_label(list.len(), limit).map(|label| view! {
                            <li class="lint-more">
                                <button
                                    class="btn small ghost"
                                    data-testid="lint-more"
                                    on:click=move |_| shown.update(|n| *n += PAGE)
                                >
                                    {label}
                                </button>
                            </li>
                        });
                        view! {
                            <ul class="lint-list" data-testid="lint-list">
                                {list.iter().take(limit).cloned().map(|f| item(f, on_pick)).collect_view()}
                                {more}
                            </ul>
                        }
                        .into_any()
                    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_more_offers_the_next_page_and_counts_the_rest() {
        assert_eq!(more_label(0, PAGE), None);
        assert_eq!(more_label(PAGE, PAGE), None);
        assert_eq!(more_label(2286, PAGE).as_deref(), Some("Show 100 more (2186 not shown)"));
        assert_eq!(more_label(2286, 2200).as_deref(), Some("Show 86 more (86 not shown)"));
        assert_eq!(more_label(3, 200), None);
    }
}
