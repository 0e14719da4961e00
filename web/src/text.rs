//! Line and offset arithmetic on the editor text.
//!
//! The core reports positions as 1-based lines and columns counted in
//! characters; a `<textarea>` selects by UTF-16 code unit. These helpers
//! convert between the two without ever panicking on out-of-range input
//! (a diagnostic may point one past the end of a line or of the text).

/// The number of lines the editor shows for `text` (an empty text is one
/// line; a trailing newline opens one more line, as in every editor).
pub fn line_count(text: &str) -> u32 {
    let newlines = text.bytes().filter(|&b| b == b'\n').count();
    u32::try_from(newlines).map_or(u32::MAX, |n| n.saturating_add(1))
}

/// The text of 1-based line `line` without its line break, or `None` past
/// the end.
pub fn line_text(text: &str, line: u32) -> Option<&str> {
    let index = usize::try_from(line.checked_sub(1)?).ok()?;
    text.split('\n').nth(index).map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// The UTF-16 offset (what `selectionStart` counts) of 1-based `line` and
/// 1-based character column `col`, clamped to the end of that line and to
/// the end of the text.
pub fn utf16_offset(text: &str, line: u32, col: u32) -> u32 {
    let mut offset: usize = 0;
    let target_line = line.max(1);
    let mut current = 1u32;
    let mut rest = text;
    while current < target_line {
        match rest.find('\n') {
            Some(i) => {
                offset += rest[..=i].encode_utf16().count();
                rest = &rest[i + 1..];
                current += 1;
            }
            None => {
                // Past the last line: the end of the text.
                offset += rest.encode_utf16().count();
                return u32::try_from(offset).unwrap_or(u32::MAX);
            }
        }
    }
    let this_line = rest.split('\n').next().unwrap_or("");
    let this_line = this_line.strip_suffix('\r').unwrap_or(this_line);
    let wanted_chars = usize::try_from(col.max(1) - 1).unwrap_or(usize::MAX);
    offset += this_line.chars().take(wanted_chars).map(char::len_utf16).sum::<usize>();
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// The 1-based line containing UTF-16 offset `offset` (clamped to the text).
pub fn line_at_utf16(text: &str, offset: u32) -> u32 {
    let mut seen: u32 = 0;
    let mut line = 1u32;
    for c in text.chars() {
        if seen >= offset {
            break;
        }
        seen = seen.saturating_add(u32::try_from(c.len_utf16()).unwrap_or(2));
        if c == '\n' {
            line += 1;
        }
    }
    line
}

/// The width in characters of 1-based `line` (tabs count as one), used to
/// place an inline message just after the line's text in a monospace editor.
pub fn line_width(text: &str, line: u32) -> u32 {
    line_text(text, line).map_or(0, |l| u32::try_from(l.chars().count()).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_count_counts_a_trailing_newline_as_an_open_line() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\n"), 2);
        assert_eq!(line_count("a\nb\nc"), 3);
    }

    #[test]
    fn line_text_strips_breaks_and_rejects_out_of_range() {
        let t = "one\r\ntwo\nthree";
        assert_eq!(line_text(t, 1), Some("one"));
        assert_eq!(line_text(t, 2), Some("two"));
        assert_eq!(line_text(t, 3), Some("three"));
        assert_eq!(line_text(t, 4), None);
        assert_eq!(line_text(t, 0), None);
    }

    #[test]
    fn utf16_offset_counts_code_units_and_clamps() {
        let t = "ab\ncé𝄞d\nx";
        assert_eq!(utf16_offset(t, 1, 1), 0);
        assert_eq!(utf16_offset(t, 1, 3), 2);
        assert_eq!(utf16_offset(t, 2, 1), 3);
        // `𝄞` is two UTF-16 code units: column 4 ('d') is 3 + 1 + 1 + 2.
        assert_eq!(utf16_offset(t, 2, 4), 7);
        // Column past the end of the line clamps to its end (before '\n').
        assert_eq!(utf16_offset(t, 2, 99), 8);
        assert_eq!(utf16_offset(t, 3, 1), 9);
        // Line past the end clamps to the end of the text.
        assert_eq!(utf16_offset(t, 42, 1), 10);
        // Line and column 0 are treated as 1.
        assert_eq!(utf16_offset(t, 0, 0), 0);
    }

    #[test]
    fn line_at_utf16_inverts_utf16_offset() {
        let t = "ab\ncé𝄞d\nx";
        for line in 1..=3 {
            assert_eq!(line_at_utf16(t, utf16_offset(t, line, 1)), line);
        }
        assert_eq!(line_at_utf16(t, 1000), 3);
    }

    #[test]
    fn line_width_counts_characters() {
        assert_eq!(line_width("héllo\nx", 1), 5);
        assert_eq!(line_width("héllo\nx", 3), 0);
    }
}
