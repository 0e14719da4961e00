//! A small marked YAML tree built from `saphyr-parser` events.
//!
//! Every node carries its [`Span`] in source coordinates, and scalars keep
//! their style, so `"80"` (a string) and `80` (an integer) stay apart, as do
//! `~`/`null` and `"null"`. Scalars are typed by the YAML 1.2 core schema
//! ([`Scalar::value`]).
//!
//! Hostile input is bounded here, once, so the converters can recurse freely:
//! nesting deeper than [`MAX_DEPTH`] and alias expansion beyond a budget
//! proportional to the text (the "billion laughs" bomb) stop the document
//! with an error. Building is one pass over the events with an explicit
//! stack: no recursion, no quadratic work.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span as YSpan, Tag};

use crate::span::{Loc, Span};

/// Deepest nesting of mappings and sequences accepted in a document
/// (Kubernetes objects need about 15).
pub(crate) const MAX_DEPTH: usize = 128;

/// A node of the tree.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Where it is written (for an alias: the alias; nodes inside it keep
    /// the anchored node's positions).
    pub span: Span,
}

/// The three YAML node kinds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NodeKind {
    /// Key/value pairs in source order (duplicate keys removed, merge keys
    /// `<<` applied).
    Map(Vec<(Node, Node)>),
    /// Items in order.
    Seq(Vec<Node>),
    /// A scalar.
    Scalar(Scalar),
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// Plain: typed by the core schema.
    Plain,
    /// `'…'` or `"…"`: always a string.
    Quoted,
    /// `|` or `>`: always a string.
    Block,
}

/// A scalar and how it was written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scalar {
    /// The text, after unescaping and folding.
    pub text: String,
    /// Its style.
    pub style: Style,
    /// A core-schema tag (`!!str`, `!!int`, …) when one was written.
    pub tag: Option<CoreTag>,
}

/// The core-schema tags that change how a scalar is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CoreTag {
    /// `!!str`.
    Str,
    /// `!!int`.
    Int,
    /// `!!bool`.
    Bool,
    /// `!!null`.
    Null,
    /// `!!float`.
    Float,
}

/// A scalar's typed value under the YAML 1.2 core schema.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Value<'a> {
    /// `null`, `Null`, `NULL`, `~` or nothing.
    Null,
    /// `true`/`false` (and their capitalised forms).
    Bool(bool),
    /// An integer; `None` when it does not fit in an `i64`.
    Int(Option<i64>),
    /// A floating-point number.
    Float,
    /// Anything else, and every quoted or block scalar.
    Str(&'a str),
}

fn parse_int(s: &str) -> Option<Option<i64>> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let (radix, body) = if let Some(h) = s.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = s.strip_prefix("0o") {
        (8, o)
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = i64::from_str_radix(body, radix).ok();
    Some(if neg { v.and_then(i64::checked_neg) } else { v })
}

fn is_float(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(t, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (t.get(..i).unwrap_or(""), Some(t.get(i + 1..).unwrap_or(""))),
        None => (t, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && frac.is_none_or(digits) && !(int.is_empty() && frac.unwrap_or("").is_empty());
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exp_ok && (frac.is_some() || exp.is_some())
}

impl Scalar {
    /// The value under the YAML 1.2 core schema (tags win over the style).
    pub fn value(&self) -> Value<'_> {
        let s = self.text.as_str();
        match self.tag {
            Some(CoreTag::Str) => return Value::Str(s),
            Some(CoreTag::Null) => return Value::Null,
            Some(CoreTag::Int) => return parse_int(s).map_or(Value::Str(s), Value::Int),
            Some(CoreTag::Bool) => {
                return match s {
                    "true" | "True" | "TRUE" => Value::Bool(true),
                    "false" | "False" | "FALSE" => Value::Bool(false),
                    _ => Value::Str(s),
                }
            }
            Some(CoreTag::Float) => return Value::Float,
            None => {}
        }
        if self.style != Style::Plain {
            return Value::Str(s);
        }
        match s {
            "" | "~" | "null" | "Null" | "NULL" => Value::Null,
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            _ => match parse_int(s) {
                Some(v) => Value::Int(v),
                None if is_float(s) => Value::Float,
                None => Value::Str(s),
            },
        }
    }
}

impl Node {
    /// The scalar, if this is one.
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text, whatever its type (for keys).
    pub fn text(&self) -> Option<&str> {
        self.scalar().map(|s| s.text.as_str())
    }

    /// Whether this is a null scalar.
    pub fn is_null(&self) -> bool {
        self.scalar().is_some_and(|s| s.value() == Value::Null)
    }

    /// The value of key `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.text() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Converts saphyr's character-based markers to source [`Loc`]s.
///
/// saphyr counts characters; the model wants byte offsets. For ASCII text
/// they are equal; otherwise a checkpoint every 64 characters keeps each
/// conversion O(64).
pub(crate) struct PosMap<'a> {
    text: &'a str,
    base_offset: usize,
    base_line: u32,
    source: u32,
    doc: u32,
    checkpoints: Option<Vec<usize>>,
}

const CHECKPOINT: usize = 64;

impl<'a> PosMap<'a> {
    /// A map for `text`, which starts at byte `base_offset` and 1-based line
    /// `base_line` of source `source`, and is document `doc` of it.
    pub fn new(text: &'a str, base_offset: usize, base_line: u32, source: u32, doc: u32) -> Self {
        let checkpoints = (!text.is_ascii()).then(|| {
            text.char_indices().enumerate().filter(|(i, _)| i % CHECKPOINT == 0).map(|(_, (b, _))| b).collect()
        });
        PosMap { text, base_offset, base_line, source, doc, checkpoints }
    }

    fn byte_of(&self, chars: usize) -> usize {
        let Some(cps) = &self.checkpoints else {
            return chars.min(self.text.len());
        };
        let Some(&start) = cps.get(chars / CHECKPOINT) else {
            return self.text.len();
        };
        let rest = self.text.get(start..).unwrap_or("");
        rest.char_indices().nth(chars % CHECKPOINT).map_or(self.text.len(), |(b, _)| start + b)
    }

    /// The source location of a marker.
    pub fn loc(&self, m: &Marker) -> Loc {
        let line = self.base_line as usize + m.line().saturating_sub(1);
        Loc {
            offset: clamp_u32(self.base_offset + self.byte_of(m.index())),
            line: clamp_u32(line.max(1)),
            col: clamp_u32(m.col() + 1),
        }
    }

    /// The source span of a saphyr span.
    pub fn span(&self, s: &YSpan) -> Span {
        self.span_of(self.loc(&s.start), self.loc(&s.end))
    }

    /// A span in this document.
    pub fn span_of(&self, start: Loc, end: Loc) -> Span {
        // Never inverted, whatever the input.
        let end = if end.offset < start.offset { start } else { end };
        Span { source: self.source, doc: self.doc, start, end }
    }

    /// The span of the whole text.
    pub fn whole(&self) -> Span {
        let start = Loc { offset: clamp_u32(self.base_offset), line: self.base_line, col: 1 };
        self.span_of(start, end_loc(self.text, start))
    }
}

fn clamp_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The location just after `text`, which starts at `start` (column 1).
pub(crate) fn end_loc(text: &str, start: Loc) -> Loc {
    let (lines, last_start) = line_breaks(text);
    let last = text.get(last_start..).unwrap_or("");
    let col = if lines == 0 { start.col as usize + last.chars().count() } else { last.chars().count() + 1 };
    Loc {
        offset: clamp_u32(start.offset as usize + text.len()),
        line: clamp_u32(start.line as usize + lines),
        col: clamp_u32(col),
    }
}

/// The number of line breaks in `text` (`\r\n`, `\n` or a lone `\r`, as
/// YAML and editors count them) and the byte offset where the last line
/// starts.
pub(crate) fn line_breaks(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut count, mut last) = (0, 0);
    for (i, b) in bytes.iter().enumerate() {
        let is_break = *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if is_break {
            count += 1;
            last = i + 1;
        }
    }
    (count, last)
}

/// A problem found while building the tree.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TreeIssue {
    /// Where.
    pub span: Span,
    /// The path of the node, as far as the builder knows it.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The result of building one document's tree.
#[derive(Debug, Default)]
pub(crate) struct Built {
    /// The root node; `None` when the document is empty or unreadable.
    pub root: Option<Node>,
    /// A problem that made the document unreadable (syntax error, too deep,
    /// alias bomb).
    pub fatal: Option<TreeIssue>,
    /// Problems that leave a usable tree (duplicate keys).
    pub issues: Vec<TreeIssue>,
}

enum Frame {
    Map { start: Loc, anchor: usize, entries: Vec<(Node, Node)>, key: Option<Node>, size: usize, height: usize },
    Seq { start: Loc, anchor: usize, items: Vec<Node>, size: usize, height: usize },
}

struct Anchored {
    node: Node,
    size: usize,
    height: usize,
}

struct Builder<'p, 'a> {
    pos: &'p PosMap<'a>,
    stack: Vec<Frame>,
    /// Anchor id to its value, sorted by id (a sorted `Vec` rather than a
    /// `BTreeMap`: one fewer map type instantiated in the wasm).
    anchors: Vec<(usize, Anchored)>,
    budget: usize,
    /// Levels that enclose this text in its document (a List item parsed on
    /// its own sits one level below the root `items` list).
    outer: usize,
    out: Built,
    done: bool,
    skip: Option<Skip>,
    skipped_anchors: Vec<usize>,
}

/// A collection being skipped (see [`SKIPPED_KEYS`]).
struct Skip {
    depth: usize,
    start: Loc,
    anchor: usize,
}

/// Keys whose collection values nothing here ever reads, and which dominate
/// `kubectl get -o yaml` dumps. Their values are parsed but not built: the
/// tree holds an empty placeholder (so an unknown-field check still sees the
/// key). Keeps a 10,000-pod dump fast and small.
const SKIPPED_KEYS: &[&str] = &[
    "managedFields",
    "containerStatuses",
    "initContainerStatuses",
    "ephemeralContainerStatuses",
    "conditions",
    "volumes",
    "volumeMounts",
    "env",
    "envFrom",
    "tolerations",
    "affinity",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "resources",
    "securityContext",
];

fn is_merge_key(k: &Node) -> bool {
    k.scalar().is_some_and(|s| s.style == Style::Plain && s.text == "<<")
}

/// Whether two keys of a mapping are the same scalar, without allocating for
/// the usual small mappings.
fn has_duplicate_key(entries: &[(Node, Node)]) -> bool {
    fn key(entry: &(Node, Node)) -> Option<&str> {
        entry.0.scalar().filter(|s| s.style != Style::Block).map(|s| s.text.as_str())
    }
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, a)| key(a).is_some_and(|ka| entries.iter().skip(i + 1).any(|b| key(b) == Some(ka))));
    }
    let mut keys: Vec<&str> = entries.iter().filter_map(key).collect();
    crate::sort::sort(&mut keys);
    keys.windows(2).any(|w| w.first() == w.get(1))
}

fn core_tag(tag: Option<&Tag>) -> Option<CoreTag> {
    let tag = tag?;
    if !tag.is_yaml_core_schema() {
        return None;
    }
    match tag.suffix.as_str() {
        "str" => Some(CoreTag::Str),
        "int" => Some(CoreTag::Int),
        "bool" => Some(CoreTag::Bool),
        "null" => Some(CoreTag::Null),
        "float" => Some(CoreTag::Float),
        _ => None,
    }
}

impl Builder<'_, '_> {
    fn path(&self) -> String {
        let mut p = String::new();
        for f in &self.stack {
            match f {
                Frame::Map { key: Some(k), .. } => {
                    if !p.is_empty() {
                        p.push('.');
                    }
                    p.push_str(k.text().unwrap_or("?"));
                }
                Frame::Map { .. } => {}
                Frame::Seq { items, .. } => p.push_str(&format!("[{}]", items.len())),
            }
        }
        p
    }

    fn fatal(&mut self, span: Span, message: String) {
        let path = self.path();
        self.out.fatal = Some(TreeIssue { span, path, message });
        self.done = true;
    }

    /// How deep the next collection would sit in the whole document.
    fn depth(&self) -> usize {
        self.stack.len() + self.outer
    }

    fn push(&mut self, frame: Frame, span: Span) {
        if self.depth() >= MAX_DEPTH {
            self.fatal(span, format!("nested deeper than {MAX_DEPTH} levels; this is not a Kubernetes object"));
            return;
        }
        self.stack.push(frame);
    }

    /// Attaches a finished node (of `size` nodes and `height` levels) to its
    /// parent, or makes it the root.
    fn complete(&mut self, node: Node, anchor: usize, size: usize, height: usize) {
        if anchor != 0 {
            if !self.spend(size, node.span) {
                return;
            }
            let anchored = Anchored { node: node.clone(), size, height };
            match self.anchors.binary_search_by_key(&anchor, |(id, _)| *id) {
                Ok(i) => {
                    if let Some(slot) = self.anchors.get_mut(i) {
                        slot.1 = anchored;
                    }
                }
                Err(i) => self.anchors.insert(i, (anchor, anchored)),
            }
        }
        match self.stack.last_mut() {
            None => {
                if self.out.root.is_none() {
                    self.out.root = Some(node);
                } else {
                    self.fatal(node.span, "a second document starts here without a `---` line".to_string());
                }
            }
            Some(Frame::Seq { items, size: s, height: h, .. }) => {
                items.push(node);
                *s += size;
                *h = (*h).max(height + 1);
            }
            Some(Frame::Map { entries, key, size: s, height: h, .. }) => {
                match key.take() {
                    Some(k) => entries.push((k, node)),
                    None => *key = Some(node),
                }
                *s += size;
                *h = (*h).max(height + 1);
            }
        }
    }

    fn spend(&mut self, size: usize, span: Span) -> bool {
        match self.budget.checked_sub(size) {
            Some(rest) => {
                self.budget = rest;
                true
            }
            None => {
                self.fatal(
                    span,
                    "anchors and aliases expand to too many nodes (an \"entity expansion\" bomb?)".to_string(),
                );
                false
            }
        }
    }

    /// The value anchored as `id`, if any.
    fn anchored(&self, id: usize) -> Option<&Anchored> {
        let i = self.anchors.binary_search_by_key(&id, |(a, _)| *a).ok()?;
        self.anchors.get(i).map(|(_, a)| a)
    }

    fn alias(&mut self, id: usize, span: Span) {
        let Some(a) = self.anchored(id) else {
            let message = if self.skipped_anchors.contains(&id) {
                format!(
                    "this alias refers to an anchor inside a field that is not read here ({}); copy the value instead",
                    SKIPPED_KEYS.join(", ")
                )
            } else {
                "alias to an unknown anchor".to_string()
            };
            self.fatal(span, message);
            return;
        };
        let (size, height) = (a.size, a.height);
        if self.depth() + height >= MAX_DEPTH {
            self.fatal(span, format!("alias expands deeper than {MAX_DEPTH} levels"));
            return;
        }
        if !self.spend(size, span) {
            return;
        }
        let node = self.anchored(id).map(|a| a.node.clone());
        if let Some(mut node) = node {
            // The alias itself is where this value is written, so enclosing
            // spans stay inside the text around it; nodes inside keep the
            // anchor's positions.
            node.span = span;
            self.complete(node, 0, size, height);
        }
    }

    fn end_map(&mut self, end: &YSpan) {
        let Some(Frame::Map { start, anchor, entries, key, size, height }) = self.stack.pop() else {
            return;
        };
        let end_loc = if end.is_empty() { None } else { Some(self.pos.loc(&end.end)) };
        let last_end = entries.last().map(|(_, v)| v.span.end).or(key.as_ref().map(|k| k.span.end));
        let span = self.pos.span_of(start, end_loc.or(last_end).unwrap_or(start));
        let entries = self.dedup_and_merge(entries);
        self.complete(Node { kind: NodeKind::Map(entries), span }, anchor, size + 1, height);
    }

    fn end_seq(&mut self, end: &YSpan) {
        let Some(Frame::Seq { start, anchor, items, size, height }) = self.stack.pop() else {
            return;
        };
        let end_loc = if end.is_empty() { None } else { Some(self.pos.loc(&end.end)) };
        let span = self.pos.span_of(start, end_loc.or(items.last().map(|n| n.span.end)).unwrap_or(start));
        self.complete(Node { kind: NodeKind::Seq(items), span }, anchor, size + 1, height);
    }

    /// Drops repeated keys (reporting them, as kubectl's YAML decoder rejects
    /// them) and applies YAML merge keys (`<<: *base`), which Kubernetes'
    /// YAML decoder supports: merged entries never override explicit ones.
    fn dedup_and_merge(&mut self, entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
        if !entries.iter().any(|(k, _)| is_merge_key(k)) && !has_duplicate_key(&entries) {
            return entries;
        }
        // Keys seen so far with where they first appear, sorted by key (a
        // sorted `Vec` rather than a `BTreeMap`: one fewer map type in the wasm).
        let mut seen: Vec<(String, Loc)> = Vec::new();
        let mut kept = Vec::with_capacity(entries.len());
        let mut merges = Vec::new();
        for (k, v) in entries {
            let Some(text) = k.scalar().filter(|s| s.style != Style::Block).map(|s| s.text.clone()) else {
                kept.push((k, v));
                continue;
            };
            if text == "<<" && k.scalar().is_some_and(|s| s.style == Style::Plain) {
                merges.push(v);
                continue;
            }
            match seen.binary_search_by(|(s, _)| s.as_str().cmp(&text)) {
                Ok(i) => {
                    let line = seen.get(i).map_or(0, |(_, first)| first.line);
                    let path = self.path();
                    self.out.issues.push(TreeIssue {
                        span: k.span,
                        path,
                        message: format!("duplicate key `{text}` (first at line {line}); remove one of them"),
                    });
                    continue;
                }
                Err(i) => seen.insert(i, (text, k.span.start)),
            }
            kept.push((k, v));
        }
        for m in merges {
            let sources: Vec<Node> = match m.kind {
                NodeKind::Map(_) => alloc::vec![m],
                NodeKind::Seq(items) => items,
                NodeKind::Scalar(_) => Vec::new(),
            };
            for src in sources {
                if let NodeKind::Map(es) = src.kind {
                    for (k, v) in es {
                        if let Some(t) = k.text() {
                            if let Err(i) = seen.binary_search_by(|(s, _)| s.as_str().cmp(t)) {
                                seen.insert(i, (t.to_string(), k.span.start));
                                kept.push((k, v));
                            }
                        }
                    }
                }
            }
        }
        kept
    }

    /// Whether the collection starting now is the value of a skipped key.
    fn starts_skipped(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: Some(k), .. })
            if k.scalar().is_some_and(|s| s.style == Style::Plain && SKIPPED_KEYS.contains(&s.text.as_str())))
    }

    /// Consumes an event inside a skipped collection; completes the
    /// placeholder when the collection ends.
    fn skip_event(&mut self, ev: &Event<'_>, ys: &YSpan) {
        let Some(skip) = self.skip.as_mut() else {
            return;
        };
        match ev {
            Event::SequenceStart(a, _) | Event::MappingStart(a, _) => {
                skip.depth += 1;
                let too_deep = self.stack.len() + self.outer + skip.depth > MAX_DEPTH;
                if *a != 0 {
                    self.skipped_anchors.push(*a);
                }
                if too_deep {
                    let span = self.pos.span(ys);
                    self.fatal(span, format!("nested deeper than {MAX_DEPTH} levels; this is not a Kubernetes object"));
                }
            }
            Event::Scalar(_, _, a, _) if *a != 0 => self.skipped_anchors.push(*a),
            Event::SequenceEnd | Event::MappingEnd => {
                skip.depth -= 1;
                if skip.depth == 0 {
                    let (start, anchor) = (skip.start, skip.anchor);
                    self.skip = None;
                    if anchor != 0 {
                        self.skipped_anchors.push(anchor);
                    }
                    let scalar = Scalar { text: String::new(), style: Style::Plain, tag: None };
                    let span = self.pos.span_of(start, self.pos.loc(&ys.end));
                    self.complete(Node { kind: NodeKind::Scalar(scalar), span }, 0, 1, 0);
                }
            }
            _ => {}
        }
    }

    fn event(&mut self, ev: Event<'_>, ys: &YSpan) {
        if self.skip.is_some() {
            self.skip_event(&ev, ys);
            return;
        }
        if let Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) = ev {
            if self.starts_skipped() {
                self.skip = Some(Skip { depth: 1, start: self.pos.loc(&ys.start), anchor });
                return;
            }
        }
        match ev {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::DocumentEnd => {}
            Event::Alias(id) => {
                let span = self.pos.span(ys);
                self.alias(id, span);
            }
            Event::Scalar(text, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                };
                let scalar = Scalar { text: text.into_owned(), style, tag: core_tag(tag.as_deref()) };
                let node = Node { kind: NodeKind::Scalar(scalar), span: self.pos.span(ys) };
                self.complete(node, anchor, 1, 0);
            }
            Event::SequenceStart(anchor, _) => {
                let start = self.pos.loc(&ys.start);
                let frame = Frame::Seq { start, anchor, items: Vec::new(), size: 0, height: 0 };
                self.push(frame, self.pos.span(ys));
            }
            Event::MappingStart(anchor, _) => {
                let start = self.pos.loc(&ys.start);
                let frame = Frame::Map { start, anchor, entries: Vec::new(), key: None, size: 0, height: 0 };
                self.push(frame, self.pos.span(ys));
            }
            Event::SequenceEnd => self.end_seq(ys),
            Event::MappingEnd => self.end_map(ys),
        }
    }
}

/// The alias expansion budget of a document: proportional to its text.
pub(crate) fn alias_budget(text: &str) -> usize {
    10_000 + text.len() / 8
}

/// Builds the tree of one document's text.
pub(crate) fn build(text: &str, pos: &PosMap<'_>) -> Built {
    let mut budget = alias_budget(text);
    build_part(text, pos, 0, &mut budget)
}

/// Builds the tree of a part of a document (a run of a List's items, see
/// [`super::split::list_layout`]) that sits `outer` levels deep in it,
/// spending from the document's alias `budget`, so the depth and expansion
/// limits are those of the whole document.
pub(crate) fn build_part(text: &str, pos: &PosMap<'_>, outer: usize, budget: &mut usize) -> Built {
    let mut b = Builder {
        pos,
        stack: Vec::new(),
        anchors: Vec::new(),
        budget: *budget,
        outer,
        out: Built::default(),
        done: false,
        skip: None,
        skipped_anchors: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    while !b.done {
        match parser.next_event() {
            None | Some(Ok((Event::StreamEnd, _))) => break,
            Some(Ok((ev, ys))) => b.event(ev, &ys),
            Some(Err(e)) => {
                // An error at the end of the text (an unclosed bracket) is
                // shown at the last written character, not on the next
                // document's `---` line.
                let trimmed = text.trim_end();
                let mut at = pos.loc(e.marker());
                if at.offset as usize >= pos.base_offset + trimmed.len() {
                    let start = Loc { offset: clamp_u32(pos.base_offset), line: pos.base_line, col: 1 };
                    at = end_loc(trimmed, start);
                }
                b.stack.clear();
                b.fatal(pos.span_of(at, at), format!("YAML syntax error: {}", e.info()));
            }
        }
    }
    if b.out.fatal.is_some() {
        b.out.root = None;
    }
    *budget = b.budget;
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Built {
        let pos = PosMap::new(text, 0, 1, 0, 0);
        build(text, &pos)
    }

    fn scalar(text: &str, style: Style) -> Scalar {
        Scalar { text: text.to_string(), style, tag: None }
    }

    #[test]
    fn core_schema_typing() {
        assert_eq!(scalar("80", Style::Plain).value(), Value::Int(Some(80)));
        assert_eq!(scalar("80", Style::Quoted).value(), Value::Str("80"));
        assert_eq!(scalar("~", Style::Plain).value(), Value::Null);
        assert_eq!(scalar("", Style::Plain).value(), Value::Null);
        assert_eq!(scalar("null", Style::Quoted).value(), Value::Str("null"));
        assert_eq!(scalar("True", Style::Plain).value(), Value::Bool(true));
        // YAML 1.1 booleans are strings in the 1.2 core schema.
        assert_eq!(scalar("yes", Style::Plain).value(), Value::Str("yes"));
        assert_eq!(scalar("0x1F", Style::Plain).value(), Value::Int(Some(31)));
        assert_eq!(scalar("-12", Style::Plain).value(), Value::Int(Some(-12)));
        assert_eq!(scalar("99999999999999999999", Style::Plain).value(), Value::Int(None));
        assert_eq!(scalar("1.5", Style::Plain).value(), Value::Float);
        assert_eq!(scalar("1e3", Style::Plain).value(), Value::Float);
        assert_eq!(scalar(".inf", Style::Plain).value(), Value::Float);
        assert_eq!(scalar("1.2.3", Style::Plain).value(), Value::Str("1.2.3"));
        assert_eq!(scalar("-", Style::Plain).value(), Value::Str("-"));
        assert_eq!(scalar(".", Style::Plain).value(), Value::Str("."));
        let tagged = Scalar { text: "80".to_string(), style: Style::Plain, tag: Some(CoreTag::Str) };
        assert_eq!(tagged.value(), Value::Str("80"));
    }

    #[test]
    fn spans_are_source_positions() {
        let b = tree("a: 1\nb:\n  c: \"x\"\n");
        let root = b.root.expect("root");
        let c = root.get("b").and_then(|b| b.get("c")).expect("c");
        assert_eq!((c.span.start.line, c.span.start.col, c.span.start.offset), (3, 6, 13));
        assert_eq!(c.span.end.offset, 16);
        assert_eq!(root.span.start.line, 1);
        assert_eq!(root.span.end.offset, 16);
    }

    #[test]
    fn non_ascii_offsets_are_bytes_and_columns_characters() {
        let text = "# é ü\nname: \"é\"\nv: x\n";
        let root = tree(text).root.expect("root");
        let v = root.get("v").expect("v");
        assert_eq!(v.span.start.offset as usize, text.find("x").expect("x"));
        assert_eq!((v.span.start.line, v.span.start.col), (3, 4));
        let n = root.get("name").expect("name");
        assert_eq!((n.span.start.line, n.span.start.col), (2, 7));
    }

    #[test]
    fn duplicate_keys_keep_the_first_and_are_reported() {
        let b = tree("a: 1\nb: 2\na: 3\n");
        let root = b.root.expect("root");
        assert_eq!(root.get("a").and_then(Node::text), Some("1"));
        assert_eq!(b.issues.len(), 1);
        assert_eq!(b.issues[0].span.start.line, 3);
    }

    #[test]
    fn merge_keys_and_aliases() {
        let b = tree("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nl: *b\n");
        let root = b.root.expect("root");
        let m = root.get("m").expect("m");
        assert_eq!(m.get("x").and_then(Node::text), Some("1"));
        assert_eq!(m.get("y").and_then(Node::text), Some("3"));
        assert_eq!(root.get("l").and_then(|l| l.get("y")).and_then(Node::text), Some("2"));
    }

    /// Found by mutation fuzzing: a mapping whose last value is an alias
    /// ended before it started (the alias carried the anchor's span).
    #[test]
    fn spans_around_aliases_are_not_inverted() {
        let b = tree("a: &l {x: 1}\nb:\n- k: *l\n");
        let root = b.root.expect("root");
        let item = root.get("b").and_then(|b| match &b.kind {
            NodeKind::Seq(items) => items.first(),
            _ => None,
        });
        let item = item.expect("item");
        assert_eq!((item.span.start.line, item.span.end.line), (3, 3));
        assert!(item.span.start.offset <= item.span.end.offset);
        let k = item.get("k").expect("k");
        assert_eq!(k.get("x").map(|x| x.span.start.line), Some(1));
    }

    #[test]
    fn alias_bombs_and_deep_nesting_stop_with_an_error() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let r = format!("*{}", w[0]);
            bomb.push_str(&format!("{}: &{} [{r}, {r}, {r}, {r}, {r}, {r}, {r}, {r}, {r}, {r}]\n", w[1], w[1]));
        }
        let b = tree(&bomb);
        assert!(b.root.is_none());
        assert!(b.fatal.expect("fatal").message.contains("too many"));
        let deep = "[".repeat(10_000);
        let b = tree(&deep);
        assert!(b.fatal.is_some());
        let deep_skipped: String = core::iter::once("managedFields:\n".to_string())
            .chain((1..200).map(|i| format!("{}k:\n", " ".repeat(i))))
            .collect();
        let message = tree(&deep_skipped).fatal.map(|f| f.message);
        assert!(message.as_deref().is_some_and(|m| m.contains("deeper")), "{message:?}");
        let deep_block: String = (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(tree(&deep_block).fatal.expect("fatal").message.contains("deeper"));
    }

    #[test]
    fn unread_heavy_fields_are_skipped_but_keep_their_key() {
        let b = tree("metadata:\n  managedFields:\n  - {a: [1, {b: 2}]}\n  - x\n  name: n\nenv: plain\n");
        let root = b.root.expect("root");
        let m = root.get("metadata").expect("metadata");
        let mf = m.get("managedFields").expect("placeholder");
        assert!(mf.is_null());
        assert_eq!((mf.span.start.line, mf.span.end.line), (3, 5));
        assert_eq!(m.get("name").and_then(Node::text), Some("n"));
        // Only collections are skipped; scalars are cheap and kept.
        assert_eq!(root.get("env").and_then(Node::text), Some("plain"));
        let b = tree("a:\n  env: [&x {k: v}]\nb: *x\n");
        assert!(b.fatal.expect("fatal").message.contains("not read here"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let text = "a: 1\nb: [1, 2\n";
        let pos = PosMap::new(text, 100, 10, 0, 0);
        let b = build(text, &pos);
        let f = b.fatal.expect("fatal");
        assert!(f.message.starts_with("YAML syntax error"));
        assert!(f.span.start.line >= 11);
        assert!(f.span.start.offset >= 100);
    }
}
