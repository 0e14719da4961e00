//! Kubernetes YAML/JSON documents into a [`crate::Scenario`], with positions.
//!
//! # Why this design
//! The explanation highlights the exact lines of every policy, rule and peer,
//! and every error names its line, column and field path. `serde_yaml` (the
//! usual choice) is archived upstream and reports positions only for its own
//! errors, never for values. `saphyr-parser` is maintained, `no_std`, and
//! reports a span for every event, so we build our own small marked tree from
//! its events ([`tree`]) and convert that tree to the model by hand, one
//! module per kind. Converting by hand is also what yields exact field paths
//! (`spec.ingress[0].from[1].ipBlock.except[0]`) and the API server's own
//! validation messages, which a serde derive would not.
//!
//! # Pipeline
//! 1. [`split`]: each source is cut into documents by lines (`---`, `...`)
//!    before parsing, because a YAML syntax error stops the event parser for
//!    the rest of the stream. A broken document thus never hides the others.
//! 2. [`tree`]: each document becomes a tree of maps, lists and scalars with
//!    source spans and scalar styles (`"80"` is not `80`), typed by the YAML
//!    1.2 core schema. Depth and alias expansion are bounded here.
//! 3. [`objects`]: `List`s are unwrapped (what `kubectl get -o yaml` prints),
//!    each object is dispatched on `kind` to [`endpoint`], [`service`] or
//!    [`policy`] (which use [`selector`] and [`validate`]), and cross-object
//!    checks run (duplicates, endpoint name clashes).
//! 4. The [`Scenario`] is normalized (implied namespaces, name labels).
//!
//! [`ParseJob`] does the same work in bounded steps, so the page can parse a
//! cluster dump between keystrokes; a kubectl `List` is cut into runs of
//! items there ([`split::list_layout`]) because it is one huge document.
//!
//! # Cost
//! One pass over the events, one tree per document, no quadratic work.
//! Collections under fields nothing reads (`managedFields`, container
//! statuses, probes, …) are parsed but not built. The synthetic cluster of
//! `tests/parse_perf.rs` (10,000 pods, 1,000 policies, 7.3 MB) takes about
//! 0.7 s of CPU in release, of which `saphyr-parser`'s event stream alone is
//! about 0.3 s; the rest is building the tree and converting it.
//!
//! # Invariants
//! - Parsing never fails and never panics: it returns the scenario of every
//!   acceptable object plus [`Diagnostic`]s.
//! - An object with an [`Severity::Error`] is left out of the scenario, as the
//!   API server would reject it; every other object is kept.
//! - Spans are source coordinates: 1-based line and character column, byte
//!   offset, counted from the start of the whole source text.

mod cluster_policy;
mod ctx;
mod diag;
mod endpoint;
mod job;
mod objects;
mod policy;
mod selector;
mod service;
mod split;
mod tree;
mod validate;

use alloc::vec::Vec;

pub use diag::{Diagnostic, DocumentInfo, Severity};
pub use job::ParseJob;

use crate::model::Scenario;

/// One input text: a file or the editor buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source<'a> {
    /// What diagnostics call it (a file name, `<input>`, `-` for stdin).
    pub name: &'a str,
    /// The whole text.
    pub text: &'a str,
}

/// Everything the parser produces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOutput {
    /// The accepted objects, normalized.
    pub scenario: Scenario,
    /// Errors, warnings and notices, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// Every object seen (List items each get one), accepted or not, and
    /// every document that could not be read.
    pub documents: Vec<DocumentInfo>,
}

impl ParseOutput {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error)
    }
}

/// Parses several sources into one scenario. The source index in spans and
/// diagnostics is the position in `sources`.
pub fn parse_sources(sources: &[Source<'_>]) -> ParseOutput {
    let mut collector = objects::Collector::new(sources);
    for (si, src) in sources.iter().enumerate() {
        let si = u32::try_from(si).unwrap_or(u32::MAX);
        for (di, chunk) in split::split(src.text).into_iter().enumerate() {
            let di = u32::try_from(di).unwrap_or(u32::MAX);
            let pos = tree::PosMap::new(chunk.text, chunk.offset, chunk.line, si, di);
            let built = tree::build(chunk.text, &pos);
            collector.document(si, di, &pos, built);
        }
    }
    let mut scenario = collector.scenario;
    let mut diagnostics = collector.diagnostics;
    cluster_policy::priority_collisions(&scenario, &mut diagnostics);
    scenario.normalize();
    ParseOutput { scenario, diagnostics, documents: collector.documents }
}

/// Parses one source named `<input>`.
pub fn parse_str(text: &str) -> ParseOutput {
    parse_sources(&[Source { name: "<input>", text }])
}
