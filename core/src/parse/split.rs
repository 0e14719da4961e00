//! Splitting a source into YAML documents, by lines, before any parsing.
//!
//! A YAML syntax error stops the event parser for the rest of the stream, so
//! each document is parsed on its own: a broken document then never hides the
//! ones after it. The YAML spec forbids `---` and `...` at the start of a line
//! inside a document's content (they are always markers), so a line-based
//! split agrees with a real YAML parser.

use alloc::vec::Vec;

/// One document's text and where it starts in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Chunk<'a> {
    /// The document's text (it may start with its `---` line).
    pub text: &'a str,
    /// Byte offset of `text` in the source.
    pub offset: usize,
    /// 1-based line of the first line of `text` in the source.
    pub line: u32,
}

/// Whether `line` is the document marker `mark`, alone or followed by a blank.
fn is_marker(line: &str, mark: &str) -> bool {
    line.strip_prefix(mark).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Whether a line holds something besides blanks and a comment.
fn has_content(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    !t.is_empty() && !t.starts_with('#')
}

/// Splits `text` into documents that have content. Leading comments and
/// directives stay with the document they precede; empty documents (only
/// comments, or `---` alone) are dropped. A leading byte order mark is
/// skipped.
pub(crate) fn split(text: &str) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let begin = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut cur_start = begin;
    let mut cur_line: u32 = 1;
    let mut content = false;
    let mut directive = false;
    let mut pos = begin;
    let mut line_no: u32 = 1;
    fn push<'a>(chunks: &mut Vec<Chunk<'a>>, text: &'a str, start: usize, end: usize, line: u32) {
        if let Some(t) = text.get(start..end) {
            chunks.push(Chunk { text: t, offset: start, line });
        }
    }
    while pos < text.len() {
        let rest = text.get(pos..).unwrap_or("");
        let (line_len, next) = match rest.find('\n') {
            Some(i) => (i, pos + i + 1),
            None => (rest.len(), text.len()),
        };
        let raw = rest.get(..line_len).unwrap_or("");
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if is_marker(line, "---") {
            if content {
                push(&mut chunks, text, cur_start, pos, cur_line);
            }
            if content || !directive {
                cur_start = pos;
                cur_line = line_no;
            }
            directive = false;
            // `--- {a: 1}` or `--- !tag` carries content on the marker line.
            content = has_content(line.get(3..).unwrap_or(""));
        } else if is_marker(line, "...") {
            if content {
                push(&mut chunks, text, cur_start, next, cur_line);
            }
            cur_start = next;
            cur_line = line_no.saturating_add(1);
            content = false;
            directive = false;
        } else if has_content(line) {
            if !content && line.starts_with('%') {
                directive = true;
            } else {
                content = true;
            }
        }
        pos = next;
        // A lone `\r` is a line break too (YAML and editors count it).
        let lone_cr = super::tree::line_breaks(line).0;
        line_no = line_no.saturating_add(1).saturating_add(u32::try_from(lone_cr).unwrap_or(u32::MAX));
    }
    if content {
        push(&mut chunks, text, cur_start, text.len(), cur_line);
    }
    chunks
}

/// A run of whole lines of a document: byte range relative to the
/// document's text and the 1-based source line where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Piece {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Source line of `start`.
    pub line: u32,
}

/// A `kind: List` document in `kubectl get -o yaml`'s layout, cut into parts
/// that can be parsed one at a time (see [`list_layout`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ListLayout {
    /// The lines before `items:` (the document marker, `apiVersion`, …).
    pub head: Piece,
    /// Runs of whole items, in order, each about `run_bytes` long.
    pub runs: Vec<Piece>,
    /// The lines after the items (`kind: List`, `metadata`, …).
    pub tail: Piece,
}

/// Cuts a document laid out as kubectl prints a list into its head, runs of
/// items, and tail, or `None` when the layout is anything else.
///
/// # Why
/// A dump of a cluster (`kubectl get pods,svc,netpol -A -o yaml`) is ONE
/// document holding thousands of `items`; parsed as one document it is one
/// uninterruptible piece of work (a second or more in the browser), and the
/// page must be able to pause between small pieces. kubectl's layout is
/// regular: `items:` at column 1 of the root mapping, then every item starts
/// with `- ` at one fixed indent, and everything inside an item is indented
/// deeper. In block YAML a line at that indent starting with `- ` can only
/// begin the next item (block scalars and plain multi-line scalars must be
/// indented deeper; a quoted or flow scalar spanning such a line would make
/// the piece before it fail to parse, which sends the caller back to
/// whole-document parsing). Cutting at those lines keeps every byte at its
/// place, so positions stay exact; the caller checks the parts (no syntax
/// error, no duplicate or merge keys, anchors resolved within each part)
/// and falls back to the whole document when any check fails.
///
/// Carriage returns, tabs in indentation and comments at or left of the
/// item indent are treated as irregular.
pub(crate) fn list_layout(doc: &str, first_line: u32, run_bytes: usize) -> Option<ListLayout> {
    if doc.contains('\r') {
        return None;
    }
    let mut pos = 0;
    let mut line = first_line;
    let mut head: Option<Piece> = None;
    let mut indent: Option<usize> = None;
    let mut runs = Vec::new();
    let mut run: Option<Piece> = None;
    let mut tail = None;
    while pos < doc.len() {
        let rest = doc.get(pos..).unwrap_or("");
        let (raw, next) = match rest.find('\n') {
            Some(i) => (rest.get(..i).unwrap_or(""), pos + i + 1),
            None => (rest, doc.len()),
        };
        let body = raw.trim_start_matches(' ');
        let lead = raw.len() - body.len();
        let blank = body.trim_end_matches(' ').is_empty();
        if body.starts_with('\t') {
            return None;
        }
        match head {
            None => {
                if raw.trim_end_matches(' ') == "items:" {
                    head = Some(Piece { start: 0, end: pos, line: first_line });
                }
            }
            Some(_) if blank => {}
            Some(_) => {
                let item_start = body == "-" || body.starts_with("- ");
                match indent {
                    None if item_start => indent = Some(lead),
                    None => return None,
                    Some(i) if lead > i => {}
                    Some(_) if body.starts_with('#') => return None,
                    Some(i) if lead == i && item_start => {}
                    Some(_) => {
                        tail = Some(Piece { start: pos, end: doc.len(), line });
                        break;
                    }
                }
                if item_start && indent == Some(lead) {
                    match run {
                        Some(r) if pos - r.start >= run_bytes => {
                            runs.push(Piece { end: pos, ..r });
                            run = Some(Piece { start: pos, end: pos, line });
                        }
                        Some(_) => {}
                        None => run = Some(Piece { start: pos, end: pos, line }),
                    }
                }
            }
        }
        line = line.saturating_add(u32::from(raw.len() < rest.len()));
        pos = next;
    }
    let tail = tail.unwrap_or(Piece { start: doc.len(), end: doc.len(), line });
    runs.push(Piece { end: tail.start, ..run? });
    Some(ListLayout { head: head?, runs, tail })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn texts(s: &str) -> Vec<(&str, u32)> {
        split(s).into_iter().map(|c| (c.text, c.line)).collect()
    }

    #[test]
    fn splits_on_markers_and_keeps_lines() {
        let s = "a: 1\n---\nb: 2\n--- # c\nc: 3\n...\nd: 4\n";
        assert_eq!(texts(s), vec![("a: 1\n", 1), ("---\nb: 2\n", 2), ("--- # c\nc: 3\n...\n", 4), ("d: 4\n", 7)]);
    }

    #[test]
    fn drops_empty_documents_and_keeps_leading_comments() {
        let s = "# header\n---\n---\n# only a comment\n---\nx: 1\n---\n";
        assert_eq!(texts(s), vec![("---\nx: 1\n", 5)]);
        let s = "# header\nx: 1\n";
        assert_eq!(texts(s), vec![("# header\nx: 1\n", 1)]);
    }

    #[test]
    fn directives_stay_with_their_document() {
        let s = "%YAML 1.2\n---\nx: 1\n";
        assert_eq!(texts(s), vec![("%YAML 1.2\n---\nx: 1\n", 1)]);
    }

    #[test]
    fn kubectl_list_layout_is_cut_at_item_lines() {
        let doc = "---\napiVersion: v1\nitems:\n- a: 1\n  b: 2\n\n- a: 3\n  c:\n  - x\n- a: 4\nkind: List\n";
        let l = list_layout(doc, 5, 1).expect("regular");
        assert_eq!(l.head, Piece { start: 0, end: 19, line: 5 });
        let runs: Vec<(&str, u32)> = l.runs.iter().map(|r| (&doc[r.start..r.end], r.line)).collect();
        assert_eq!(runs, vec![("- a: 1\n  b: 2\n\n", 8), ("- a: 3\n  c:\n  - x\n", 11), ("- a: 4\n", 14)]);
        assert_eq!((&doc[l.tail.start..l.tail.end], l.tail.line), ("kind: List\n", 15));
        // Bigger runs group items; the layout covers the items exactly.
        let l = list_layout(doc, 1, 1 << 20).expect("regular");
        assert_eq!(l.runs.len(), 1);
        assert_eq!((l.runs[0].start, l.runs[0].end), (26, 66));
        // Items indented under `items:`.
        let l = list_layout("items:\n  - a: 1\n  - b: 2\n", 1, 1).expect("indented");
        assert_eq!((l.runs.len(), l.tail.start), (2, 25));
    }

    #[test]
    fn irregular_lists_have_no_layout() {
        assert_eq!(list_layout("kind: List\nitems: []\n", 1, 1), None);
        assert_eq!(list_layout("items:\nkind: List\n", 1, 1), None);
        assert_eq!(list_layout("items:\n- a\n# c\n- b\n", 1, 1), None);
        assert_eq!(list_layout("items:\r\n- a\r\n", 1, 1), None);
        assert_eq!(list_layout("items:\n- a\n\tb\n", 1, 1), None);
        assert_eq!(list_layout("kind: Pod\n", 1, 1), None);
    }

    #[test]
    fn crlf_bom_and_lookalikes() {
        let s = "\u{feff}a: 1\r\n---\r\nb: 2\r\n----\r\n";
        let chunks = split(s);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].offset, 3);
        assert_eq!(chunks[1].text, "---\r\nb: 2\r\n----\r\n");
        assert_eq!(chunks[1].line, 2);
        assert_eq!(texts("--- {a: 1}\n"), vec![("--- {a: 1}\n", 1)]);
        assert!(split("").is_empty());
        assert!(split("\n\n# x\n").is_empty());
    }
}
