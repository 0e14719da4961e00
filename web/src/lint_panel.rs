//! The lint panel under the editor: the core's findings for the scenario on
//! show (id, severity, what will happen, and the fix), each of which lights
//! its YAML in the editor when clicked, and "Why it matters": the rule's
//! paragraph, fetched the first time it is opened
//! ([`crate::content::rule_help`]). The page never decides a finding itself;
//! it lists `netpol_core::lint::lint`'s output as text.

use leptos::prelude::*;
use netpol_core::lint::{Finding, Severity};
use netpol_core::Span;

use crate::markup::{closest, focus_index, Markup, ACT_ATTR};

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
///
/// The list is written as HTML text ([`crate::markup`]): it is redrawn whole
/// with every result, and a message's `quoted` parts are drawn as code.
#[component]
pub fn LintPanel(
    /// The findings, in source order.
    findings: Memo<Vec<Finding>>,
    /// Called with the spans of a clicked finding.
    on_pick: Callback<Vec<Span>>,
) -> impl IntoView {
    let open = RwSignal::new(true);
    let shown = RwSignal::new(PAGE);
    let targets = StoredValue::new(Vec::<Vec<Span>>::new());
    // Rule paragraphs that arrived (they live in `content`'s cache), and the
    // rule whose paragraph could not be fetched, with why.
    let helps_arrived = RwSignal::new(0usize);
    let help_failed = RwSignal::new(None::<String>);
    let help_why = RwSignal::new(None::<String>);
    let html = move || {
        let mut m = Markup::default();
        let limit = shown.get();
        helps_arrived.track();
        help_failed.with(|rule| {
            help_why.with(|why| {
                let failure = rule.as_deref().zip(why.as_deref());
                findings.with(|list| list_markup(&mut m, list, limit, failure));
            })
        });
        let (html, spans) = m.finish();
        targets.set_value(spans);
        html
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if let Some(summary) = closest(&ev, "[data-act=lint-why]") {
            let Some(id) = summary.get_attribute("data-id") else { return };
            // No signal is set here: a list written again before the click's
            // default action would replace the `<details>` it is about to open.
            if crate::content::cached_rule_help(&id).is_none() {
                let rule = id.clone();
                crate::content::rule_help(&id, move |r| match r {
                    Ok(_) => helps_arrived.update(|n| *n += 1),
                    Err(why) => {
                        help_why.set(Some(why));
                        help_failed.set(Some(rule));
                    }
                });
            }
        } else if closest(&ev, "[data-testid=lint-more]").is_some() {
            shown.update(|n| *n += PAGE);
        } else if let Some(spans) = focus_index(&ev).and_then(|i| targets.with_value(|t| t.get(i).cloned())) {
            on_pick.run(spans);
        }
    };
    let head = move || {
        let open = open.get();
        let mut m = Markup::default();
        m.open("button").attr("class", "lint-head").attr("aria-expanded", if open { "true" } else { "false" });
        m.attr(crate::markup::ACT_ATTR, "lint-toggle").end();
        m.open("span").attr("id", "lint-title").end().text("Lint").close("span");
        m.open("span").attr("class", "badge count").attr("data-testid", "lint-count").end();
        m.text(&findings.with(Vec::len).to_string()).close("span");
        m.open("span").attr("class", "lint-toggle").attr("aria-hidden", "true").end();
        m.text(if open { "▾" } else { "▸" }).close("span").close("button");
        m.finish().0
    };
    let on_head_click = move |ev: web_sys::MouseEvent| {
        if closest(&ev, "[data-act=lint-toggle]").is_some() {
            open.update(|o| *o = !*o);
        }
    };
    view! {
        <section class="lint" aria-labelledby="lint-title">
            <div class="part" on:click=on_head_click>{crate::markup::region(Box::new(head))}</div>
            // A region, so an open "Why it matters" stays open while the list is written again.
            <div class="lint-body" hidden=move || !open.get() on:click=on_click>
                {crate::markup::region(Box::new(html))}
            </div>
        </section>
    }
}

/// The first `limit` findings of `list`, then "Show more" if some are left.
/// `failure` is the rule whose paragraph could not be fetched, and why.
fn list_markup(m: &mut Markup, list: &[Finding], limit: usize, failure: Option<(&str, &str)>) {
    if list.is_empty() {
        m.leaf("p", "lint-none", "No pitfalls found.");
        return;
    }
    m.open("ul").attr("class", "lint-list").attr("data-testid", "lint-list").end();
    for f in list.iter().take(limit) {
        item(m, f, help_text(f.id, failure));
    }
    if let Some(label) = more_label(list.len(), limit) {
        m.open("li").attr("class", "lint-more").end();
        m.open("button").attr("class", "btn small ghost").attr("data-testid", "lint-more").end();
        m.text(&label).close("button").close("li");
    }
    m.close("ul");
}

/// Rule `id`'s paragraph once fetched, else why it could not be, else
/// "Loading…" (shown only once the user opens it, which starts the fetch).
fn help_text<'a>(id: &str, failure: Option<(&str, &'a str)>) -> &'a str {
    match (crate::content::cached_rule_help(id), failure) {
        (Some(text), _) => text,
        (None, Some((rule, why))) if rule == id => why,
        (None, _) => "Loading…",
    }
}

fn item(m: &mut Markup, f: &Finding, help: &str) {
    let mut spans = vec![f.span];
    spans.extend(f.related.iter().copied());
    let sev = f.severity.as_str();
    m.open("li").attr("class", "lint-item").attr("data-testid", "lint-item").attr("data-id", f.id);
    m.attr("data-severity", sev).end();
    m.open("button").attr("class", "lint-main").attr("title", "Show in the editor").focus(spans).end();
    m.open("span").attr("class", "lint-glyph").attr("aria-label", sev).end().text(glyph(f.severity)).close("span");
    m.leaf("span", "lint-id", f.id);
    m.open("span").attr("class", "lint-msg").end().rich(&f.message).close("span").close("button");
    if !f.fix.is_empty() {
        m.leaf("pre", "lint-fix", &f.fix);
    }
    m.open("details").attr("class", "lint-why").end();
    m.open("summary").attr(ACT_ATTR, "lint-why").attr("data-id", f.id).attr("data-testid", "lint-why").end();
    m.text("Why it matters").close("summary");
    m.open("p").attr("data-testid", "lint-why-text").end().text(help).close("p").close("details");
    m.close("li");
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
