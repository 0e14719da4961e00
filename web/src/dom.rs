//! Small DOM helpers the components share: editing the textarea so native
//! undo keeps working, moving its cursor, and localStorage.

use leptos::prelude::{document, window};
use wasm_bindgen::JsCast;
use web_sys::{Event, EventInit, HtmlDocument, HtmlTextAreaElement};

use crate::text;

/// Height of one editor line in CSS pixels (`--line-h` in style.css).
pub const LINE_HEIGHT_PX: i32 = 20;
/// Top padding of the editor text (`--pad-y` in style.css).
pub const PAD_TOP_PX: i32 = 8;

/// Inserts `s` at the textarea's selection as if typed, so it lands on the
/// browser's undo stack (Ctrl+Z undoes it). `execCommand("insertText")` is
/// the only way to get that; where it is unavailable the text is spliced in
/// and an `input` event is sent so the page still sees the change.
pub fn insert_text(el: &HtmlTextAreaElement, s: &str) {
    let done = document()
        .dyn_into::<HtmlDocument>()
        .ok()
        .and_then(|d| d.exec_command_with_show_ui_and_value("insertText", false, s).ok())
        .unwrap_or(false);
    if !done {
        let start = el.selection_start().ok().flatten().unwrap_or(0);
        let end = el.selection_end().ok().flatten().unwrap_or(start);
        let _ = el.set_range_text_with_start_and_end(s, start, end);
        let after = start + u32::try_from(s.encode_utf16().count()).unwrap_or(0);
        let _ = el.set_selection_range(after, after);
        dispatch_input(el);
    }
}

/// Deletes the current selection as an undoable edit.
pub fn delete_selection(el: &HtmlTextAreaElement) {
    let done = document().dyn_into::<HtmlDocument>().ok().and_then(|d| d.exec_command("delete").ok()).unwrap_or(false);
    if !done {
        insert_text(el, "");
    }
}

/// Above this many lines, [`replace_all`] sets the text directly instead of
/// as an undoable edit: Chromium's `execCommand("insertText")` grows
/// quadratically with the lines inserted, so importing a cluster would
/// freeze the page for minutes (issue 5). Measured in headless Chromium with
/// the textarea under `contain: strict` (web/style.css; without it every
/// step laid out the whole page, ~10× slower): 250 lines 0.19 s, 1,000
/// lines 1.9 s, 4,000 lines 31 s. Every preset is under 250 lines and stays
/// undoable.
pub const UNDOABLE_LINES: usize = 500;

/// Replaces the whole text as one undoable edit (a direct set above
/// [`UNDOABLE_LINES`] lines).
pub fn replace_all(el: &HtmlTextAreaElement, s: &str) {
    let _ = el.focus();
    el.select();
    if s.lines().nth(UNDOABLE_LINES).is_none() {
        insert_text(el, s);
    }
    if el.value() != s {
        // The browser refused the edit (e.g. the element is hidden): set it.
        el.set_value(s);
        dispatch_input(el);
    }
    let _ = el.set_selection_range(0, 0);
    el.set_scroll_top(0);
    // The insertion scrolled to its end, often far right on a long last line.
    el.set_scroll_left(0);
}

fn dispatch_input(el: &HtmlTextAreaElement) {
    let init = EventInit::new();
    init.set_bubbles(true);
    if let Ok(ev) = Event::new_with_event_init_dict("input", &init) {
        let _ = el.dispatch_event(&ev);
    }
}

/// Focuses the editor with the cursor at 1-based `line`/`col` and scrolls
/// that line into the middle third of the view.
pub fn jump_to(el: &HtmlTextAreaElement, line: u32, col: u32) {
    let value = el.value();
    let offset = text::utf16_offset(&value, line, col);
    let _ = el.focus();
    let _ = el.set_selection_range(offset, offset);
    reveal_line(el, line, true);
}

/// Scrolls so `line` is visible; with `always`, even when it already is,
/// it is brought to the upper third.
pub fn reveal_line(el: &HtmlTextAreaElement, line: u32, always: bool) {
    let y = PAD_TOP_PX + (i32::try_from(line).unwrap_or(1) - 1) * LINE_HEIGHT_PX;
    let top = el.scroll_top();
    let height = el.client_height();
    let visible = y >= top && y + LINE_HEIGHT_PX <= top + height;
    if always || !visible {
        el.set_scroll_top((y - height / 3).max(0));
    }
}

/// The 1-based first and last lines the editor shows.
pub fn visible_lines(el: &HtmlTextAreaElement) -> (u32, u32) {
    let top = (el.scroll_top() - PAD_TOP_PX).max(0);
    let first = top / LINE_HEIGHT_PX + 1;
    let last = (top + el.client_height()) / LINE_HEIGHT_PX;
    (u32::try_from(first).unwrap_or(1), u32::try_from(last.max(first)).unwrap_or(1))
}

/// Where the scenario is saved between visits.
pub const STORAGE_KEY: &str = "netpol-playground.scenario.v1";

/// The saved scenario text, if any.
pub fn load_saved() -> Option<String> {
    window().local_storage().ok().flatten()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Saves the scenario text; quietly does nothing when storage is
/// unavailable (private mode, quota).
pub fn save(text: &str) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, text);
    }
}
