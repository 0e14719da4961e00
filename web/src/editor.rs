//! The YAML editor: a plain `<textarea>` (so native undo, IME, spellcheck
//! off, mobile keyboards all just work) with a line-number gutter, error
//! markers with inline messages, and a highlight layer behind the text,
//! all kept in step with the textarea's scroll position.

use leptos::html;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::dom;
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
    #[prop(into)]
    marks: Signal<Vec<Mark>>,
    /// Lines to highlight (sorted).
    #[prop(into)]
    highlight: Signal<Vec<u32>>,
    /// The textarea, for callers that move the cursor or replace the text.
    node_ref: NodeRef<html::Textarea>,
    /// A paste longer than [`crate::large::LARGE_BYTES`] goes here instead
    /// of into the textarea (large-scenario mode).
    #[prop(optional)]
    on_large_paste: Option<Callback<String>>,
) -> impl IntoView {
    let scroll = RwSignal::new((0i32, 0i32));
    let line_count = Memo::new(move |_| text.with(|t| text::line_count(t)));
    let gutter = Memo::new(move |_| gutter_text(line_count.get()));
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

    let transform = move || {
        let (x, y) = scroll.get();
        format!("translate({}px, {}px)", -x, -y)
    };
    let gutter_transform = move || format!("translateY({}px)", -scroll.get().1);

    view! {
        <div class="editor">
            <div class="gutter" aria-hidden="true">
                <div class="gutter-inner" style:transform=gutter_transform>
                    <pre class="line-numbers">{move || gutter.get()}</pre>
                    <For
                        each=move || marks.get()
                        key=|m| (m.line, m.col, m.message.clone())
                        let:m
                    >
                        <span
                            class="gutter-mark"
                            class:error=m.error
                            style:top=line_top(m.line)
                            title=m.message.clone()
                        >
                            {if m.error { "✕" } else { "!" }}
                        </span>
                    </For>
                </div>
            </div>
            <div class="code">
                <div class="layer" aria-hidden="true" style:transform=transform>
                    <For each=move || highlight.get() key=|l| *l let:line>
                        <div
                            class="hl-line"
                            data-testid="highlight-line"
                            data-line=line
                            style:top=line_top(line)
                        ></div>
                    </For>
                    <For
                        each=move || marks.get()
                        key=|m| (m.line, m.col, m.message.clone())
                        let:m
                    >
                        <div class="err-line" class:warn=!m.error style:top=line_top(m.line)></div>
                        <div
                            class="inline-msg"
                            class:warn=!m.error
                            style:top=line_top(m.line)
                            style:left=move || {
                                let w = text.with(|t| text::line_width(t, m.line));
                                format!("calc(var(--pad-x) + {}ch)", w + 3)
                            }
                        >
                            {m.message.clone()}
                        </div>
                    </For>
                </div>
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
                    on:scroll=move |_| {
                        if let Some(el) = node_ref.get() {
                            scroll.set((el.scroll_left(), el.scroll_top()));
                        }
                    }
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
