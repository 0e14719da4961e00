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
