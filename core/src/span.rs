//! Source locations.
//!
//! Every element of the model that came from YAML carries a [`Span`], so an
//! explanation or a diagnostic can point at (and the page can highlight) the
//! exact lines it is about. Lines and columns are 1-based and count from the
//! start of the *source* (the whole editor text or file), not of the document,
//! because that is what an editor gutter shows.

/// A position in a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// Byte offset from the start of the source.
    pub offset: u32,
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
}

/// A range of a source text: `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Index of the source (file or editor buffer) in the parse input.
    pub source: u32,
    /// Index of the YAML document (`---` separated, or `List` item's
    /// enclosing document) within that source, 0-based.
    pub doc: u32,
    /// First position covered.
    pub start: Loc,
    /// First position after the range.
    pub end: Loc,
}

impl Span {
    /// The last line this span covers (a span ending at column 1 of a line
    /// does not cover that line).
    pub fn last_line(&self) -> u32 {
        if self.end.line > self.start.line && self.end.col <= 1 {
            self.end.line - 1
        } else {
            self.end.line
        }
    }

    /// The 1-based inclusive line range `(first, last)` this span covers.
    pub fn lines(&self) -> (u32, u32) {
        (self.start.line, self.last_line())
    }
}
