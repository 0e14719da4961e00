//! The YAML editor: a plain `<textarea>` (so native undo, IME, spellcheck
//! off, mobile keyboards all just work) with a line-number gutter, error
//! markers with inline messages, and a highlight layer behind the text,
//! all kept in step with the textarea's scroll position.

use leptos::html;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::dom;
use crate::markup::{self, Markup, Style};
use crate::text;

/// A diagnostic as the editor draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// An error (red, ✕) rather than a warning or notice (amber, !).
    pub error: bool,
    /// The message.
    pub message: String,
}

/// The gutter's text: the line numbers, one per line.
pub fn gutter_text(lines: u32) -> String {
    let mut s = String::new();
    for n in 1..=lines {
        if n > 1 {
            s.push('\n');
        }
        s.push_str(&n.to_string());
    }
    s
}

fn line_top(line: u32) -> String {
    format!("{}px", dom::PAD_TOP_PX + (i32::try_from(line).unwrap_or(1) - 1) * dom::LINE_HEIGHT_PX)
}

/// The editor. Writes every edit to `text`; draws `marks` and the
/// `highlight`ed lines.
#[component]
pub fn Editor(
    /// The scenario text.
    text: RwSignal<String>,
    /// Diagnostics to mark.
    marks: Memo<Vec<Mark>>,
    /// Lines to highlight (sorted).
    highlight: Memo<Vec<u32>>,
    /// The textarea, for callers that move the cursor or replace the text.
    node_ref: NodeRef<html::Textarea>,
    /// A paste longer than [`crate::large::LARGE_BYTES`] goes here instead
    /// of into the textarea (large-scenario mode).
    #[prop(optional)]
    on_large_paste: Option<Callback<String>>,
) -> impl IntoView {
    let line_count = Memo::new(move |_| text.with(|t| text::line_count(t)));
    // After Escape, the next Tab leaves the editor instead of indenting, so
    // keyboard users are never trapped (as in CodeMirror and VS Code).
    let escaped = RwSignal::new(false);

    let on_keydown = move |ev: KeyboardEvent| {
        let Some(el) = node_ref.get() else { return };
        let key = ev.key();
        if key == "Escape" {
            escaped.set(true);
            return;
        }
        if key != "Tab" || ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
            escaped.set(false);
            return;
        }
        if escaped.get_untracked() {
            escaped.set(false);
            return;
        }
        ev.prevent_default();
        if ev.shift_key() {
            outdent(&el);
        } else {
            dom::insert_text(&el, "  ");
        }
    };

    // The marks and highlights are redrawn whole when they change (once per
    // evaluation), so they are HTML text (crate::markup), not keyed lists.
    let gutter_marks = NodeRef::<html::Div>::new();
    let layer = NodeRef::<html::Div>::new();
    let gutter_inner = NodeRef::<html::Div>::new();
    // The gutter and the layer follow the textarea's scroll position, set
    // straight on their style (no signal: nothing else reads it).
    let on_scroll = move |_| {
        let Some(el) = node_ref.get() else { return };
        let (x, y) = (el.scroll_left(), el.scroll_top());
        if let Some(layer) = layer.get() {
            let _ = web_sys::HtmlElement::style(&layer)
                .set_property("transform", &format!("translate({}px, {}px)", -x, -y));
        }
        if let Some(gutter) = gutter_inner.get() {
            let _ = web_sys::HtmlElement::style(&gutter).set_property("transform", &format!("translateY({}px)", -y));
        }
    };
    Effect::new(move |_| {
        if let Some(el) = gutter_marks.get() {
            let (html, styles) = marks.with(|ms| gutter_markup(ms));
            markup::render(&el, &html, &styles);
        }
    });
    Effect::new(move |_| {
        if let Some(el) = layer.get() {
            let lines = highlight.get();
            let (html, styles) = marks.with(|ms| text.with(|t| layer_markup(&lines, ms, t)));
            markup::render(&el, &html, &styles);
        }
    });

    view! {
        <div class="editor">
            <div class="gutter" aria-hidden="true">
                <div class="gutter-inner" node_ref=gutter_inner>
                    <pre class="line-numbers">{move || gutter_text(line_count.get())}</pre>
                    <div class="gutter-marks" node_ref=gutter_marks></div>
                </div>
            </div>
            <div class="code">
                <div class="layer" aria-hidden="true" node_ref=layer></div>
                <textarea
                    node_ref=node_ref
                    data-testid="editor"
                    class="textarea"
                    aria-label="Scenario YAML: namespaces, pods, services and NetworkPolicies"
                    aria-describedby="editor-help"
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    wrap="off"
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:paste=move |ev: web_sys::ClipboardEvent| {
                        let Some(on_large) = on_large_paste else { return };
                        let pasted = ev.clipboard_data().and_then(|d| d.get_data("text/plain").ok());
                        if let Some(pasted) = pasted.filter(|p| p.len() > crate::large::LARGE_BYTES) {
                            ev.prevent_default();
                            on_large.run(pasted);
                        }
                    }
                    on:scroll=on_scroll
                    on:keydown=on_keydown
                >
                    // The initial text as the textarea's content (its default
                    // value): a `prop:value` would be reset by the marker
                    // comments debug builds put inside elements.
                    {text.get_untracked()}
                </textarea>
            </div>
        </div>
        <p id="editor-help" class="editor-help">
            "Tab indents · Shift+Tab outdents · Esc then Tab leaves the editor · Ctrl+Z undoes (presets too)"
        </p>
    }
}

/// The gutter's markers: ✕ or ! beside each marked line, the message as a
/// tooltip.
fn gutter_markup(marks: &[Mark]) -> (String, Vec<Style>) {
    let mut m = Markup::default();
    for mark in marks {
        m.open("span").attr("class", if mark.error { "gutter-mark error" } else { "gutter-mark" });
        m.style(&[("top", &line_top(mark.line))]).attr("title", &mark.message).end();
        m.text(if mark.error { "✕" } else { "!" }).close("span");
    }
    m.finish_with_styles()
}

/// The layer behind the text: highlighted lines, then each marked line's
/// tint and its message, placed three columns after the line's end in
/// `text`.
fn layer_markup(highlight: &[u32], marks: &[Mark], text: &str) -> (String, Vec<Style>) {
    let mut m = Markup::default();
    for &line in highlight {
        m.open("div").attr("class", "hl-line").attr("data-testid", "highlight-line");
        m.attr("data-line", &line.to_string()).style(&[("top", &line_top(line))]).end().close("div");
    }
    for mark in marks {
        let top = line_top(mark.line);
        m.open("div").attr("class", if mark.error { "err-line" } else { "err-line warn" }).style(&[("top", &top)]);
        m.end().close("div");
        let left = format!("calc(var(--pad-x) + {}ch)", text::line_width(text, mark.line) + 3);
        m.open("div").attr("class", if mark.error { "inline-msg" } else { "inline-msg warn" });
        m.style(&[("top", &top), ("left", &left)]).end().text(&mark.message).close("div");
    }
    m.finish_with_styles()
}

/// Removes up to two leading spaces from the cursor's line, as an undoable
/// edit, keeping the cursor where it was relative to the text.
fn outdent(el: &web_sys::HtmlTextAreaElement) {
    let value = el.value();
    let cursor = el.selection_start().ok().flatten().unwrap_or(0);
    let line = text::line_at_utf16(&value, cursor);
    let start = text::utf16_offset(&value, line, 1);
    let spaces = text::line_text(&value, line).map_or(0, |l| l.chars().take(2).take_while(|c| *c == ' ').count());
    if spaces == 0 {
        return;
    }
    let n = u32::try_from(spaces).unwrap_or(0);
    let _ = el.set_selection_range(start, start + n);
    dom::delete_selection(el);
    let back = cursor.saturating_sub(n).max(start);
    let _ = el.set_selection_range(back, back);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gutter_has_one_number_per_line() {
        assert_eq!(gutter_text(1), "1");
        assert_eq!(gutter_text(3), "1\n2\n3");
    }
}
