//! The editor pane's view of a large document ([`crate::large`]): what it
//! is, its first lines, the lines of it that decide the inspected flow and
//! its problems, with a way back to plain text editing.

use std::sync::Arc;

use leptos::prelude::*;

use crate::large::{size_text, Large};
use crate::markup::Markup;
use crate::state::Evaluated;

/// At most this many of the document's problems or decisive lines are
/// listed (a broken 150,000-pod file can have thousands).
const LIST_CAP: usize = 20;

/// A line of the large document with something to say about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineNote {
    /// 1-based line in the document.
    pub line: u32,
    /// What to say (a diagnostic's message, or the line's own text).
    pub text: String,
    /// An error rather than a warning or a highlighted line.
    pub error: bool,
}

/// The summary of a large document, above the editable changes.
#[component]
pub fn LargeView(
    /// The document.
    large: Arc<Large>,
    /// The evaluated scenario, for its counts.
    evaluated: Memo<Option<Arc<Evaluated>>>,
    /// Its diagnostics.
    problems: Memo<Vec<LineNote>>,
    /// Its lines that decide the inspected flow.
    decisive: Memo<Vec<LineNote>>,
    /// Why the document could not be saved, if it could not.
    storage_error: RwSignal<Option<String>>,
    /// Puts the document back into the textarea.
    on_edit: Callback<()>,
    /// Drops the document from the scenario.
    on_remove: Callback<()>,
) -> impl IntoView {
    let facts = format!("{} · {} lines", size_text(large.text.len()), large.lines);
    let preview = large.preview();
    let name = large.name.clone();
    view! {
        <div class="large-doc" data-testid="large-doc" role="region" aria-label="Imported large document">
            <div class="large-head">
                <span class="large-icon" aria-hidden="true">"▤"</span>
                <div class="large-title">
                    <strong>{name}</strong>
                    <span class="muted small">{facts}</span>
                    <span class="small" data-testid="large-counts">{move || evaluated.with(|e| e.as_ref().map(|e| e.counts()))}</span>
                </div>
                <button
                    class="btn small ghost"
                    data-testid="edit-as-text"
                    title="Put the whole document into the text editor (slow at this size)"
                    on:click=move |_| on_edit.run(())
                >
                    "Edit as text (slow)"
                </button>
                <button class="btn small ghost" data-testid="remove-large" on:click=move |_| on_remove.run(())>
                    "Remove"
                </button>
            </div>
            <p class="muted small">
                "Read-only here: too large to edit smoothly as text. Add or change objects in “Your changes” below; both are evaluated as one scenario."
            </p>
            {crate::markup::region(Box::new(move || {
                let mut m = Markup::default();
                if let Some(e) = storage_error.get() {
                    m.open("p").attr("class", "share-warn").attr("role", "alert").attr("data-testid", "large-not-saved");
                    m.end().text(&e).close("p");
                }
                m.finish().0
            }))}
            <pre class="large-preview" aria-label="The document's first lines">{preview}</pre>
            <div class="large-lists" inner_html=move || {
                let mut m = Markup::default();
                decisive.with(|n| notes_markup(&mut m, n, "Lines of this document that decide the inspected flow", "large-decisive"));
                problems.with(|n| notes_markup(&mut m, n, "Problems in this document", "large-problems"));
                m.finish().0
            }></div>
        </div>
    }
}

/// A titled list of at most [`LIST_CAP`] notes, then how many more there
/// are; nothing for no notes. HTML text ([`crate::markup`]).
fn notes_markup(m: &mut Markup, notes: &[LineNote], label: &str, testid: &str) {
    if notes.is_empty() {
        return;
    }
    m.open("div").attr("class", "large-notes").attr("data-testid", testid).end().leaf("h3", "", label).open("ul").end();
    for n in notes.iter().take(LIST_CAP) {
        m.open("li");
        if n.error {
            m.attr("class", "error");
        }
        m.end();
        m.leaf("span", "err-pos", &format!("line {}", n.line)).leaf("code", "", &n.text).close("li");
    }
    m.close("ul");
    let more = notes.len().saturating_sub(LIST_CAP);
    if more > 0 {
        m.leaf("p", "muted small", &format!("… and {more} more."));
    }
    m.close("div");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(line: u32, text: &str, error: bool) -> LineNote {
        LineNote { line, text: text.to_string(), error }
    }

    #[test]
    fn notes_are_listed_up_to_the_cap_with_the_rest_counted() {
        let mut m = Markup::default();
        notes_markup(&mut m, &[], "Problems", "large-problems");
        assert_eq!(m.finish().0, "", "no notes, no list");

        let many: Vec<LineNote> = (1..=LIST_CAP as u32 + 3).map(|n| note(n, "x: <y>", n == 1)).collect();
        let mut m = Markup::default();
        notes_markup(&mut m, &many, "Problems", "large-problems");
        let html = m.finish().0;
        assert!(html.starts_with("<div class=\"large-notes\" data-testid=\"large-problems\"><h3>Problems</h3><ul>"));
        assert_eq!(html.matches("<li").count(), LIST_CAP);
        assert!(
            html.contains("<li class=\"error\"><span class=\"err-pos\">line 1</span><code>x: &lt;y&gt;</code></li>")
        );
        assert!(html.ends_with("<p class=\"muted small\">… and 3 more.</p></div>"), "{html}");
    }
}
