//! What the parser reports: [`Diagnostic`]s about the input and a
//! [`DocumentInfo`] for every object it saw.

use alloc::format;
use alloc::string::String;

use crate::span::Span;

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The API server would reject the object (or the text is not YAML): the
    /// object is left out of the scenario.
    Error,
    /// The object is kept, but probably not what was meant.
    Warning,
    /// Information: something was skipped or is deprecated.
    Notice,
}

impl Severity {
    /// `error` / `warning` / `notice`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

/// One problem found in the input, located as precisely as possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Index of the [`super::Source`] in the parse input.
    pub source: u32,
    /// Index of the document in that source (`None` for whole-source
    /// problems).
    pub doc: Option<u32>,
    /// The object concerned, e.g. `NetworkPolicy prod/deny-all`, when known.
    pub object: Option<String>,
    /// Where: the offending value when there is one.
    pub span: Span,
    /// The field path inside the object, e.g.
    /// `spec.ingress[0].from[1].namespaceSelector.matchExpressions[0].operator`
    /// (empty when the problem is about the document as a whole).
    pub path: String,
    /// What is wrong and, when possible, how to fix it, in plain words.
    pub message: String,
}

impl Diagnostic {
    /// `file:line:col: path: message`, the form the CLI prints (and editors
    /// understand). Warnings and notices say so before the path.
    pub fn render(&self, source_name: &str) -> String {
        let severity = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
            Severity::Notice => "notice: ",
        };
        let start = self.span.start;
        if self.path.is_empty() {
            format!("{source_name}:{}:{}: {severity}{}", start.line, start.col, self.message)
        } else {
            format!("{source_name}:{}:{}: {severity}{}: {}", start.line, start.col, self.path, self.message)
        }
    }
}

/// An object (a document, or one item of a `List`) the parser saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentInfo {
    /// Index of the source.
    pub source: u32,
    /// Index of the document in the source (List items share their List's).
    pub index: u32,
    /// `kind` (empty when the document could not be read).
    pub kind: String,
    /// `metadata.namespace` (after defaulting), for namespaced kinds.
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: Option<String>,
    /// The whole document or List item.
    pub span: Span,
    /// Whether the object became part of the scenario.
    pub accepted: bool,
}
