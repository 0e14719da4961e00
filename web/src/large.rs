//! Large-scenario mode (issue 5): a pasted or imported text of several MB
//! (a 150,000-pod cluster is 25–75 MB) is held outside the `<textarea>`.
//!
//! # Why
//! A browser textarea holding megabytes costs on every keystroke: its own
//! editing and painting, the copy of `.value` into wasm, the gutter and the
//! line scans, and a `localStorage` write per settled text. None of that
//! helps a reader of a cluster dump, which nobody edits line by line. So
//! above [`LARGE_BYTES`] the text becomes a read-only imported file: the
//! editor shows a summary and its first lines, and the textarea keeps only
//! the user's own (small) changes. Both are evaluated as ONE scenario, the
//! file first, then a `---`, then the changes ([`combine`]), so a policy
//! typed in the changes applies to the imported pods. Diagnostics and
//! highlighted lines are mapped back to the text they belong to
//! ([`Large::place`]). "Edit as text" puts everything back in the textarea.
//!
//! Nothing is silently dropped: when the file is too large for the
//! browser's storage, [`save`] says so and the page shows it; the changes
//! are saved as before.

use leptos::prelude::window;

/// Texts longer than this (in bytes) are held as a large document. A
/// textarea stays pleasant up to about 1 MB (the 2,000-pod perf fixture).
pub const LARGE_BYTES: usize = 2 * 1024 * 1024;

/// Where the large document is kept between visits (the changes stay under
/// the editor's own key).
pub const STORAGE_KEY: &str = "netpol-playground.large.v1";
/// Where the large document's file name is kept.
const NAME_KEY: &str = "netpol-playground.large-name.v1";

/// How many of the file's first lines the summary shows.
const PREVIEW_LINES: usize = 12;

/// A large document: the text and what the summary shows about it.
#[derive(Debug, PartialEq, Eq)]
pub struct Large {
    /// Where it came from (a file name, or "pasted text").
    pub name: String,
    /// The text, ending with a line break.
    pub text: String,
    /// Its number of lines.
    pub lines: u32,
    /// The byte offset where each line starts, so [`Large::line`] is a
    /// lookup rather than a scan of up to tens of MB: the inspector shows
    /// the document's decisive lines on every flow picked.
    line_starts: Vec<usize>,
}

/// Where a line of the combined text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// 1-based line of the large document.
    Large(u32),
    /// 1-based line of the editable changes.
    Changes(u32),
}

impl Large {
    /// Holds `text` (a line break is added when it lacks one, so the
    /// changes always start on a line of their own).
    pub fn new(name: impl Into<String>, mut text: String) -> Large {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        // The start after the final line break is the end of the text, not a line.
        line_starts.pop();
        let lines = u32::try_from(line_starts.len()).unwrap_or(u32::MAX);
        Large { name: name.into(), text, lines, line_starts }
    }

    /// The combined text's line where the changes' line 1 is, minus one:
    /// the document's lines and the `---` between.
    pub fn offset(&self) -> u32 {
        self.lines.saturating_add(1)
    }

    /// Which text a 1-based line of [`combine`]'s output belongs to (the
    /// separator counts as the document's).
    pub fn place(&self, line: u32) -> Place {
        if line <= self.offset() {
            Place::Large(line)
        } else {
            Place::Changes(line - self.offset())
        }
    }

    /// The first lines, for the summary.
    pub fn preview(&self) -> String {
        let mut out = String::new();
        for l in self.text.lines().take(PREVIEW_LINES) {
            // A one-line List item of a compact dump can be very long.
            let cut = l.char_indices().nth(160).map_or(l, |(i, _)| l.get(..i).unwrap_or(l));
            out.push_str(cut);
            if cut.len() < l.len() {
                out.push('…');
            }
            out.push('\n');
        }
        out
    }

    /// 1-based `line` of the document, for showing a decisive line.
    pub fn line(&self, line: u32) -> Option<&str> {
        let index = usize::try_from(line.checked_sub(1)?).ok()?;
        let start = *self.line_starts.get(index)?;
        let end = self.line_starts.get(index + 1).map_or(self.text.len(), |&next| next - 1);
        let l = self.text.get(start..end)?;
        let l = l.strip_suffix('\n').unwrap_or(l);
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
}

/// The text evaluated for an editor's `text`: behind the large document
/// when there is one ([`combine`]), else the text itself. The main editor
/// and compare mode's after editor both go through it.
pub fn evaluated_text(large: Option<&Large>, text: &str) -> String {
    match large {
        Some(l) => combine(l, text),
        None => text.to_string(),
    }
}

/// The text evaluated: the large document, a document marker, the changes.
pub fn combine(large: &Large, changes: &str) -> String {
    let mut out = String::with_capacity(large.text.len() + changes.len() + 4);
    out.push_str(&large.text);
    out.push_str("---\n");
    out.push_str(changes);
    out
}

/// A size in words (`"31.4 MB"`), without floating-point formatting.
pub fn size_text(bytes: usize) -> String {
    let tenths = bytes.saturating_mul(10) / (1024 * 1024);
    if tenths >= 10 {
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Saves the large document (or forgets it, for `None`). `Err` says, for
/// the user, why it could not be kept: the browser's storage holds a few MB
/// per site and refuses more.
pub fn save(large: Option<&Large>) -> Result<(), String> {
    let storage =
        window().local_storage().ok().flatten().ok_or_else(|| "this browser offers no storage".to_string())?;
    let Some(large) = large else {
        let _ = storage.remove_item(STORAGE_KEY);
        let _ = storage.remove_item(NAME_KEY);
        return Ok(());
    };
    let kept = storage.set_item(STORAGE_KEY, &large.text).and_then(|()| storage.set_item(NAME_KEY, &large.name));
    kept.map_err(|_| {
        // A half-written document must not come back on reload.
        let _ = storage.remove_item(STORAGE_KEY);
        let _ = storage.remove_item(NAME_KEY);
        format!(
            "{} ({}) is too large for this browser's storage: it will not be restored after a reload (your changes are saved). Export .yaml keeps a copy.",
            large.name,
            size_text(large.text.len())
        )
    })
}

/// Saves the editor's text (the changes, or everything when no document is
/// held) under [`crate::dom::STORAGE_KEY`]. `Err` says, for the user, that
/// the browser refused it; the previous saved version is left as it was.
pub fn save_text(text: &str) -> Result<(), String> {
    let Some(storage) = window().local_storage().ok().flatten() else { return Ok(()) };
    storage.set_item(crate::dom::STORAGE_KEY, text).map_err(|_| {
        format!(
            "The scenario text ({}) is too large for this browser's storage: the last version that fit will come back after a reload. Export .yaml keeps a copy.",
            size_text(text.len())
        )
    })
}

/// The large document saved by an earlier visit.
pub fn load() -> Option<Large> {
    let storage = window().local_storage().ok().flatten()?;
    let text = storage.get_item(STORAGE_KEY).ok().flatten()?;
    let name = storage.get_item(NAME_KEY).ok().flatten().unwrap_or_else(|| "imported file".into());
    Some(Large::new(name, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_core::parse::parse_str;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: a}}\n";

    #[test]
    fn lines_of_the_combined_text_map_back_to_their_text() {
        let big = Large::new("f.yaml", POD.trim_end().to_string());
        assert_eq!(big.lines, 3);
        let changes = "kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: [broken\n";
        let all = combine(&big, changes);
        assert_eq!(big.place(3), Place::Large(3));
        assert_eq!(big.place(4), Place::Large(4), "the separator");
        assert_eq!(big.place(5), Place::Changes(1));
        // The parser's error line, mapped, is the changes' own line.
        let out = parse_str(&all);
        let err = out.diagnostics.iter().find(|d| d.severity == netpol_core::parse::Severity::Error);
        let own = parse_str(changes);
        let own_err = own.diagnostics.iter().find(|d| d.severity == netpol_core::parse::Severity::Error);
        let line = err.map(|d| big.place(d.span.start.line));
        assert_eq!(line, own_err.map(|d| Place::Changes(d.span.start.line)));
        // The pod of the large document is still in the scenario.
        assert_eq!(out.scenario.endpoints.len(), 1);
    }

    #[test]
    fn a_policy_in_the_changes_applies_to_the_large_documents_pods() {
        let big = Large::new("f.yaml", POD.to_string());
        let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: d, namespace: x}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
        let out = parse_str(&combine(&big, deny));
        assert_eq!(out.scenario.policies.len(), 1);
        let p = &out.scenario.policies[0];
        assert_eq!(big.place(p.span.start.line), Place::Changes(1));
    }

    /// The line index gives what scanning the text gives, for every line.
    #[test]
    fn lines_come_from_the_index_as_from_the_text() {
        for text in ["a\nbb\n\nccc", "a\r\nb\r\n", "é ü\n– x –\n", "", "\n\n"] {
            let big = Large::new("f", text.to_string());
            for line in 0..=big.lines + 2 {
                let expected = if line <= big.lines { crate::text::line_text(&big.text, line) } else { None };
                assert_eq!(big.line(line), expected, "{text:?} line {line}");
            }
        }
        assert_eq!(Large::new("f", "a\nb".into()).lines, 2);
    }

    #[test]
    fn sizes_and_previews_read_well() {
        assert_eq!(size_text(500), "1 KB");
        assert_eq!(size_text(3 * 1024 * 1024 + 512 * 1024), "3.5 MB");
        let long = format!("- {{{}}}\n", "a: b, ".repeat(100));
        let big = Large::new("f", long.repeat(20));
        let preview = big.preview();
        assert_eq!(preview.lines().count(), PREVIEW_LINES);
        assert!(preview.lines().all(|l| l.chars().count() <= 161 && l.ends_with('…')));
        assert_eq!(big.line(2), Some(long.trim_end()));
    }
}
