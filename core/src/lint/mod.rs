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

/// The folder, next to the page, holding each rule's paragraph as
/// `<id>.txt` (the files of `core/lint-rules`, which [`RULES`] embeds).
pub const HELP_DIR: &str = "lint-rules";

/// The file name of rule `id`'s paragraph in [`HELP_DIR`].
pub fn help_file_name(id: &str) -> String {
    alloc::format!("{id}.txt")
}

/// The catalogue entry with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// What a finding takes from its rule: [`RULES`] without the paragraphs,
/// copied at compile time. Findings look their rule up here, so a front end
/// that only lints (the page) does not link the paragraphs (2.6 KB of its
/// gzipped wasm); [`rule`] still has them for help and documentation.
const SUMMARIES: [(&str, Severity, &str); RULES.len()] = {
    let mut out = [("", Severity::Warning, ""); RULES.len()];
    let mut i = 0;
    while i < RULES.len() {
        out[i] = (RULES[i].id, RULES[i].severity, RULES[i].title);
        i += 1;
    }
    out
};

/// The severity and title of the rule `id`, from [`SUMMARIES`].
pub(crate) fn severity_and_title(id: &str) -> Option<(Severity, &'static str)> {
    SUMMARIES.iter().find(|s| s.0 == id).map(|s| (s.1, s.2))
}

/// Every finding for `scenario`, sorted by source position, then id: a
/// [`LintJob`] run to the end.
pub fn lint(scenario: &Scenario) -> Vec<Finding> {
    lint_marked(scenario, &mut |_| {})
}

/// [`lint`], calling `mark` after each step with its name (for profiling:
/// `core/examples/profile_lint.rs`).
#[doc(hidden)]
pub fn lint_marked(scenario: &Scenario, mark: &mut dyn FnMut(&'static str)) -> Vec<Finding> {
    let mut job = LintJob::new();
    loop {
        let name = job.next_name();
        let done = job.step(scenario);
        mark(name);
        if done {
            return job.finish(scenario);
        }
    }
}

/// One check: its findings from the shared context.
type Check = fn(&context::Cx, &mut Vec<Finding>);

/// The checks, in the order their findings are collected (the output is
/// sorted afterwards), with the names profiling marks give them.
const CHECKS: [(&str, Check); 9] = [
    ("NP001 NP005 dns", dns::check),
    ("NP002 NP003 NP013 selectors", selectors::check),
    ("NP004 ports", ports::check),
    ("NP006 NP007 permissive", permissive::check),
    ("NP008 NP009 NP016 shape", shape::check),
    ("NP010 peers", peers::check),
    ("NP011 redundant", redundant::check),
    ("NP012 NP015 names", names::check),
    ("NP017 NP018 NP019 tiers", tiers::check),
];

/// The lint done a bounded piece at a time, as [`crate::matrix::MatrixJob`]
/// does the matrix, so the page can let input events run in between: first
/// the shared context (the label index in runs of endpoints, then the
/// namespace groups, the policies' selected pods in runs of policies, egress
/// keys), then one check per step, then the sort. It owns everything it keeps
/// between steps; every [`LintJob::step`] must be given the same scenario.
/// [`LintJob::finish`] returns exactly what [`lint`] does.
pub struct LintJob {
    prepare: context::Prepare,
    /// Checks run so far.
    next_check: usize,
    sorted: bool,
    out: Vec<Finding>,
}

impl Default for LintJob {
    fn default() -> Self {
        Self::new()
    }
}

impl LintJob {
    /// A job with nothing done yet.
    pub fn new() -> Self {
        LintJob { prepare: context::Prepare::new(), next_check: 0, sorted: false, out: Vec::new() }
    }

    /// Whether every step is done.
    pub fn is_done(&self) -> bool {
        self.sorted
    }

    /// Steps done and steps in all, counting each check and the final sort
    /// as one (the context's steps count as none): equal only once done.
    pub fn progress(&self) -> (usize, usize) {
        (self.next_check + usize::from(self.sorted), CHECKS.len() + 1)
    }

    /// What the next step does.
    fn next_name(&self) -> &'static str {
        if self.prepare.prepared_ready() {
            match CHECKS.get(self.next_check) {
                Some((name, _)) => name,
                None => "sort",
            }
        } else {
            self.prepare.next_name()
        }
    }

    /// Does one bounded piece of work on `scenario` (the same at every
    /// step); returns whether the job is done.
    pub fn step(&mut self, scenario: &Scenario) -> bool {
        if self.sorted {
            return true;
        }
        let ready = self.prepare.prepared_ready();
        let Some(prepared) = self.prepare.step(scenario) else { return false };
        if !ready {
            // This step finished the context.
            return false;
        }
        match CHECKS.get(self.next_check) {
            Some((_, check)) => {
                check(&context::Cx::view(scenario, prepared), &mut self.out);
                self.next_check += 1;
            }
            None => {
                sort(&mut self.out);
                self.sorted = true;
            }
        }
        self.sorted
    }

    /// Completes the remaining steps and returns the findings, sorted by
    /// source position, then id.
    pub fn finish(mut self, scenario: &Scenario) -> Vec<Finding> {
        while !self.step(scenario) {}
        self.out
    }
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

#[cfg(all(test, feature = "yaml", feature = "embedded-content"))]
mod tests {
    use super::*;

    /// A job stepped one piece at a time, with another scenario's job
    /// stepped in between (nothing is shared between jobs), gives what
    /// `lint` gives, on every preset; the context takes several steps.
    #[test]
    fn lint_job_in_steps_equals_lint() {
        let scenarios: Vec<Scenario> =
            crate::presets::PRESETS.iter().map(|p| crate::parse::parse_str(p.yaml).scenario).collect();
        for (i, s) in scenarios.iter().enumerate() {
            let other = scenarios.get(i + 1).or(scenarios.first()).unwrap_or(s);
            let (mut job, mut interleaved) = (LintJob::new(), LintJob::new());
            let mut steps = 0;
            while !job.step(s) {
                interleaved.step(other);
                steps += 1;
                assert!(steps < 100_000, "the job ends");
            }
            assert!(job.is_done());
            assert_eq!(job.progress(), (CHECKS.len() + 1, CHECKS.len() + 1));
            assert!(steps > CHECKS.len() + 2, "context in several steps: {steps}");
            assert_eq!(job.finish(s), lint(s), "scenario {i}");
            assert_eq!(interleaved.finish(other), lint(other));
        }
    }
}
