//! Warnings for the classic NetworkPolicy pitfalls, each with a stable id, the
//! place it is about and a fix.
//!
//! The parser already rejects what the API server would reject (syntax,
//! validation, unknown fields such as Calico's `action`/`order` under `spec`)
//! and notes `extensions/v1beta1`. The linter is about policies that are
//! *valid* but will not do what their author meant: egress isolation that
//! breaks DNS, selectors that match nothing, named ports nobody declares,
//! rules that allow everything, the AND-vs-OR trap, shadowed rules, cluster-policy
//! rules that a higher tier or priority always decides first, and so on.
//! The catalogue, with a paragraph per rule, is [`RULES`].
//!
//! # Invariants
//! - The linter never decides a verdict itself: whenever a check is about
//!   what traffic a policy allows, it asks the evaluator ([`crate::eval`]),
//!   so lint and playground can never disagree.
//! - Findings are about the scenario as given: "matches nothing" means
//!   "matches nothing among these namespaces and pods".
//! - Output is deterministic: sorted by source position, then id.

mod context;
mod dns;
#[cfg(feature = "yaml")]
mod docs;
mod index;
mod names;
mod peers;
mod permissive;
mod ports;
mod redundant;
mod rules;
mod selectors;
mod shape;
#[cfg(all(test, feature = "yaml"))]
mod testutil;
pub mod text;
mod tiers;

use alloc::string::String;
use alloc::vec::Vec;

use crate::model::Scenario;
use crate::span::Span;

pub use self::rules::RULES;
pub use self::text::findings_to_text;

#[cfg(feature = "yaml")]
pub use self::docs::lint_output;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The policy will break something in the cluster.
    Error,
    /// The policy is very likely not what its author meant.
    Warning,
    /// Worth knowing; often intended.
    Info,
}

impl Severity {
    /// `error` / `warning` / `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem found in a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule's stable id, e.g. `NP001`.
    pub id: &'static str,
    /// How much it matters (usually the rule's, sometimes lowered to
    /// [`Severity::Info`] when the case is likely intended).
    pub severity: Severity,
    /// The rule's title.
    pub title: &'static str,
    /// The policy concerned, by index in [`Scenario::policies`].
    pub policy: Option<usize>,
    /// The exact YAML the finding is about.
    pub span: Span,
    /// The field path inside the object, e.g. `spec.egress[0].to[1]`.
    pub path: String,
    /// What will happen in the cluster, naming the objects.
    pub message: String,
    /// A concrete fix, often a YAML snippet.
    pub fix: String,
    /// Other places that matter, e.g. the rule that covers a redundant one.
    pub related: Vec<Span>,
}

/// One entry of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, `NP` and three digits.
    pub id: &'static str,
    /// The usual severity.
    pub severity: Severity,
    /// A short title.
    pub title: &'static str,
    /// A paragraph for documentation and help: what the pitfall is and why
    /// it matters.
    pub explanation: &'static str,
}

/// The catalogue entry with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Every finding for `scenario`, sorted by source position, then id.
pub fn lint(scenario: &Scenario) -> Vec<Finding> {
    lint_marked(scenario, &mut |_| {})
}

/// [`lint`], calling `mark` after each phase with its name (for profiling).
#[doc(hidden)]
pub fn lint_marked(scenario: &Scenario, mark: &mut dyn FnMut(&'static str)) -> Vec<Finding> {
    let cx = context::Cx::new_marked(scenario, mark);
    let mut out = Vec::new();
    dns::check(&cx, &mut out);
    mark("dns NP001 NP005");
    selectors::check(&cx, &mut out);
    mark("selectors");
    ports::check(&cx, &mut out);
    mark("ports");
    permissive::check(&cx, &mut out);
    mark("permissive");
    shape::check(&cx, &mut out);
    mark("shape");
    peers::check(&cx, &mut out);
    mark("peers");
    redundant::check(&cx, &mut out);
    mark("redundant");
    names::check(&cx, &mut out);
    mark("names");
    tiers::check(&cx, &mut out);
    mark("tiers");
    sort(&mut out);
    mark("sort");
    drop(cx);
    mark("drop context");
    out
}

/// Sorts findings by source, position, id, then message (for a total order).
fn sort(findings: &mut [Finding]) {
    crate::sort::sort_by(findings, |a, b| {
        (a.span.source, a.span.start.offset, a.span.start.line, a.id, &a.message).cmp(&(
            b.span.source,
            b.span.start.offset,
            b.span.start.line,
            b.id,
            &b.message,
        ))
    });
}
