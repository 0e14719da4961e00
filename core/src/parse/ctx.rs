//! The converters' toolkit: field paths, diagnostics for one object, and
//! typed access to tree nodes that reports wrong types and unknown fields.
//!
//! Paths are linked lists on the stack ([`P`]), rendered only when a
//! diagnostic needs one, so converting 10,000 valid pods builds no strings.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::diag::{Diagnostic, Severity};
use super::tree::{Node, NodeKind, Style, Value};
use super::validate::edit_distance;
use crate::span::Span;

/// One step of a field path.
#[derive(Clone, Copy, Debug)]
enum Seg<'a> {
    Root,
    Field(&'a str),
    /// Several fields at once, already dotted (`spec.template`).
    Dotted(&'a str),
    Index(usize),
}

/// A field path such as `spec.ingress[0].from[1]`, as a list linked through
/// the stack.
#[derive(Clone, Copy, Debug)]
pub(crate) struct P<'a> {
    seg: Seg<'a>,
    parent: Option<&'a P<'a>>,
}

impl<'a> P<'a> {
    /// The empty path (the object itself).
    pub const ROOT: P<'static> = P { seg: Seg::Root, parent: None };

    /// `self.name`.
    pub fn field<'b>(&'b self, name: &'b str) -> P<'b> {
        P { seg: Seg::Field(name), parent: Some(self) }
    }

    /// `self.a.b.c` from `"a.b.c"`, for fixed multi-step paths.
    pub fn dotted<'b>(&'b self, path: &'b str) -> P<'b> {
        P { seg: Seg::Dotted(path), parent: Some(self) }
    }

    /// `self[i]`.
    pub fn index<'b>(&'b self, i: usize) -> P<'b> {
        P { seg: Seg::Index(i), parent: Some(self) }
    }

    /// The path as text: `spec.podSelector.matchLabels["app.kubernetes.io/name"]`.
    pub fn render(&self) -> String {
        let mut segs = Vec::new();
        let mut cur = Some(self);
        while let Some(p) = cur {
            segs.push(p.seg);
            cur = p.parent;
        }
        let mut out = String::new();
        for seg in segs.iter().rev() {
            match seg {
                Seg::Root => {}
                Seg::Field(f) => {
                    let plain = f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !plain {
                        out.push('[');
                        push_quoted(&mut out, f);
                        out.push(']');
                    } else {
                        if !out.is_empty() {
                            out.push('.');
                        }
                        out.push_str(f);
                    }
                }
                Seg::Dotted(d) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(d);
                }
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

/// Collects the diagnostics of one object (document or List item).
pub(crate) struct Ctx<'o> {
    out: &'o mut Vec<Diagnostic>,
    /// Source index.
    pub source: u32,
    /// Document index.
    pub doc: u32,
    /// `Kind ns/name`, once known.
    pub object: Option<String>,
    /// Errors reported so far for this object.
    pub errors: usize,
}

/// Field-specific advice for unknown keys: `(key, message)`.
pub(crate) type Hints<'h> = &'h [(&'h str, &'h str)];

/// How to treat keys a converter does not know.
#[derive(Clone, Copy)]
pub(crate) enum Unknown<'h> {
    /// Ignore them (kubectl dumps are full of fields we do not need).
    Ignore,
    /// Report them as errors, with these hints for likely mistakes.
    Reject(Hints<'h>),
}

impl<'o> Ctx<'o> {
    /// A context writing into `out`.
    pub fn new(out: &'o mut Vec<Diagnostic>, source: u32, doc: u32) -> Self {
        Ctx { out, source, doc, object: None, errors: 0 }
    }

    /// Reports a diagnostic.
    pub fn report(&mut self, severity: Severity, span: Span, path: &P<'_>, message: impl Into<String>) {
        self.report_raw(severity, span, path.render(), message.into());
    }

    /// Reports a diagnostic whose path is already rendered.
    pub fn report_raw(&mut self, severity: Severity, span: Span, path: String, message: String) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.out.push(Diagnostic {
            severity,
            source: self.source,
            doc: Some(self.doc),
            object: self.object.clone(),
            span,
            path,
            message,
        });
    }

    /// Reports an error.
    pub fn error(&mut self, span: Span, path: &P<'_>, message: impl Into<String>) {
        self.report(Severity::Error, span, path, message);
    }

    /// Reports a warning.
    pub fn warn(&mut self, span: Span, path: &P<'_>, message: impl Into<String>) {
        self.report(Severity::Warning, span, path, message);
    }

    /// Reports a notice.
    pub fn notice(&mut self, span: Span, path: &P<'_>, message: impl Into<String>) {
        self.report(Severity::Notice, span, path, message);
    }

    fn wrong_type(&mut self, node: &Node, path: &P<'_>, expected: &str) {
        let found = describe(node);
        let hint = match node.scalar().map(|s| (s.value(), s.style)) {
            Some((Value::Int(_) | Value::Bool(_) | Value::Float, Style::Plain)) if expected == "a string" => {
                format!("; write \"{}\" in quotes", node.text().unwrap_or(""))
            }
            Some((Value::Str(s), Style::Quoted)) if expected == "an integer" && s.parse::<i64>().is_ok() => {
                format!("; write {s} without quotes")
            }
            _ => String::new(),
        };
        self.error(node.span, path, format!("expected {expected}, found {found}{hint}"));
    }

    /// The entries of a mapping; `None` (silently) for null, `None` with an
    /// error for anything else.
    pub fn map<'n>(&mut self, node: &'n Node, path: &P<'_>) -> Option<&'n [(Node, Node)]> {
        match &node.kind {
            NodeKind::Map(entries) => Some(entries),
            _ if node.is_null() => None,
            _ => {
                self.wrong_type(node, path, "a mapping (`key: value` lines)");
                None
            }
        }
    }

    /// The items of a list; `None` for null, `None` with an error otherwise.
    pub fn seq<'n>(&mut self, node: &'n Node, path: &P<'_>) -> Option<&'n [Node]> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items),
            _ if node.is_null() => None,
            _ => {
                self.wrong_type(node, path, "a list (`- ` items)");
                None
            }
        }
    }

    /// A string; `None` for null, `None` with an error for other types.
    pub fn string<'n>(&mut self, node: &'n Node, path: &P<'_>) -> Option<&'n str> {
        match node.scalar().map(|s| (s.value(), s.style)) {
            Some((Value::Str(s), style)) => {
                if style == Style::Plain && is_yaml11_bool(s) {
                    self.warn(
                        node.span,
                        path,
                        format!("kubectl reads an unquoted `{s}` as a boolean (YAML 1.1) and the API server then rejects it; write \"{s}\" in quotes"),
                    );
                }
                Some(s)
            }
            Some((Value::Null, _)) => None,
            _ => {
                self.wrong_type(node, path, "a string");
                None
            }
        }
    }

    /// An integer; `None` for null, `None` with an error otherwise.
    pub fn int(&mut self, node: &Node, path: &P<'_>) -> Option<i64> {
        match node.scalar().map(|s| s.value()) {
            Some(Value::Int(Some(n))) => Some(n),
            Some(Value::Int(None)) => {
                self.error(node.span, path, format!("the number {} is too large", node.text().unwrap_or("")));
                None
            }
            Some(Value::Null) => None,
            _ => {
                self.wrong_type(node, path, "an integer");
                None
            }
        }
    }

    /// A boolean; `None` for null, `None` with an error otherwise.
    pub fn boolean(&mut self, node: &Node, path: &P<'_>) -> Option<bool> {
        match node.scalar().map(|s| s.value()) {
            Some(Value::Bool(b)) => Some(b),
            Some(Value::Null) => None,
            _ => {
                self.wrong_type(node, path, "true or false");
                None
            }
        }
    }

    /// Looks up the `N` known fields of a mapping in one pass, reporting
    /// unknown keys as `unknown` says. Returns `None` (after an error) when
    /// `node` is not a mapping; a null node has no fields.
    pub fn fields<'n, const N: usize>(
        &mut self,
        node: &'n Node,
        path: &P<'_>,
        known: [&'static str; N],
        unknown: Unknown<'_>,
    ) -> Option<[Option<&'n Node>; N]> {
        let mut found: [Option<&'n Node>; N] = [None; N];
        let entries = match &node.kind {
            NodeKind::Map(entries) => entries,
            _ if node.is_null() => return Some(found),
            _ => {
                self.wrong_type(node, path, "a mapping (`key: value` lines)");
                return None;
            }
        };
        for (k, v) in entries {
            let key = k.text();
            match key.and_then(|key| known.iter().position(|f| *f == key)) {
                Some(i) => {
                    if let Some(slot) = found.get_mut(i) {
                        *slot = Some(v);
                    }
                }
                None => {
                    if let Unknown::Reject(hints) = unknown {
                        let message = match key {
                            Some(key) => unknown_field(key, &known, hints),
                            None => String::from("keys here must be field names"),
                        };
                        self.error(k.span, path, message);
                    }
                }
            }
        }
        Some(found)
    }
}

/// The YAML 1.1 booleans that Kubernetes' YAML decoder (go-yaml v2) still
/// resolves, although the YAML 1.2 core schema reads them as strings.
fn is_yaml11_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y" | "yes" | "Yes" | "YES" | "n" | "N" | "no" | "No" | "NO" | "on" | "On" | "ON" | "off" | "Off" | "OFF"
    )
}

/// The message for an unknown field: the caller's hint, the special words for
/// deny/order fields, or "did you mean" the closest known field.
pub(crate) fn unknown_field(key: &str, known: &[&str], hints: Hints<'_>) -> String {
    if let Some((_, hint)) = hints.iter().find(|(k, _)| *k == key) {
        return format!("unknown field `{key}`: {hint}");
    }
    let lower = key.to_ascii_lowercase();
    if matches!(lower.as_str(), "action" | "order" | "priority" | "deny" | "allow" | "tier") {
        return format!(
            "unknown field `{key}`: NetworkPolicy has no deny and no order; those are Calico/Cilium/AdminNetworkPolicy fields. NetworkPolicies only allow, and they add up"
        );
    }
    let best = known
        .iter()
        .map(|k| (if k.eq_ignore_ascii_case(key) { 0 } else { edit_distance(key, k) }, *k))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, k)) if d <= 2 => format!("unknown field `{key}`; did you mean `{k}`?"),
        _ => {
            let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("unknown field `{key}`; the fields here are {}", list.join(", "))
        }
    }
}

/// A short description of a node for "expected X, found Y".
pub(crate) fn describe(node: &Node) -> String {
    match &node.kind {
        NodeKind::Map(_) => "a mapping".to_string(),
        NodeKind::Seq(_) => "a list".to_string(),
        NodeKind::Scalar(s) => match s.value() {
            Value::Null => "nothing (null)".to_string(),
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Int(_) | Value::Float => format!("the number {}", s.text),
            Value::Str(t) => {
                let short: String = t.chars().take(40).collect();
                let more = if short.len() < t.len() { "…" } else { "" };
                format!("the string \"{short}{more}\"")
            }
        },
    }
}

/// The span from the start of `a` to the end of `b` (a `key: value` entry).
pub(crate) fn join(a: Span, b: Span) -> Span {
    Span { source: a.source, doc: a.doc, start: a.start.min(b.start), end: a.end.max(b.end) }
}

/// `text` in double quotes with `"`, `\\` and control characters escaped, as `{:?}` writes a
/// `str`. Written out because the release page is built with `-Zfmt-debug=none`
/// (`xtask/src/web.rs`), under which `{:?}` prints nothing.
fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str("\\u{");
                out.push_str(&format!("{:x}", c as u32));
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_keys_read_as_debug_would_write_them() {
        for key in ["app.kubernetes.io/name", "say \"hi\"", "back\\slash", "tab\tnew\nline", "bell\u{7}", "ünï-cödé"]
        {
            let mut out = String::new();
            push_quoted(&mut out, key);
            assert_eq!(out, format!("{key:?}"));
        }
    }

    #[test]
    fn paths_render_like_the_api_server() {
        let root = P::ROOT;
        let spec = root.field("spec");
        let ing = spec.field("ingress");
        let i0 = ing.index(0);
        let from = i0.field("from");
        let f1 = from.index(1);
        assert_eq!(f1.render(), "spec.ingress[0].from[1]");
        let labels = root.field("metadata");
        let l = labels.field("labels");
        let k = l.field("app.kubernetes.io/name");
        assert_eq!(k.render(), "metadata.labels[\"app.kubernetes.io/name\"]");
        assert_eq!(P::ROOT.render(), "");
    }

    #[test]
    fn unknown_field_suggestions() {
        let known = ["podSelector", "policyTypes", "ingress", "egress"];
        assert_eq!(
            unknown_field("podselector", &known, &[]),
            "unknown field `podselector`; did you mean `podSelector`?"
        );
        assert_eq!(unknown_field("ingres", &known, &[]), "unknown field `ingres`; did you mean `ingress`?");
        assert!(unknown_field("deny", &known, &[]).contains("no deny and no order"));
        assert!(unknown_field("Order", &known, &[]).contains("Calico/Cilium/AdminNetworkPolicy"));
        assert!(unknown_field("zzzzzz", &known, &[]).contains("the fields here are `podSelector`"));
        assert_eq!(unknown_field("to", &known, &[("to", "use `from`")]), "unknown field `to`: use `from`");
    }
}
