//! The page's derived state, as plain data: what a text parses to, which
//! result the panels show, and whether it is stale.
//!
//! While the text has errors the panels keep showing the last result that
//! had none, marked stale, so a half-typed line never makes arrows flicker
//! in and out. The user can switch to "valid documents only" (the parser
//! drops only the broken documents), and when there has never been a good
//! result (a page restored with errors) that is what is shown.

use std::sync::Arc;

use netpol_core::eval::{external_nodes, ExternalNode};
use netpol_core::lint::{lint, Finding};
use netpol_core::matrix::{matrix, Matrix};
use netpol_core::parse::{parse_str, Diagnostic, Severity};
use netpol_core::{Probe, Protocol, Scenario};

/// A scenario with everything the panels draw from it.
#[derive(Debug)]
pub struct Evaluated {
    /// The scenario.
    pub scenario: Scenario,
    /// The probes the scenario names (`probes_in_use`), or `TCP/80` when it
    /// names none, so the matrix always has something to show.
    pub probes: Vec<Probe>,
    /// The fast engine's tables for `probes`.
    pub matrix: Matrix,
    /// Representative external addresses (ipBlocks and "anything else").
    pub externals: Vec<ExternalNode>,
    /// The core's lint findings for `scenario`, computed with the rest so
    /// the lint panel never recomputes them on the input path.
    pub lint: Vec<Finding>,
}

/// Identity: two results are equal when they are the same evaluation, so a
/// `Memo` holding one notifies only when a new text was evaluated (comparing
/// whole scenarios would cost as much as evaluating them).
impl PartialEq for Evaluated {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Evaluated {
    /// Evaluates `scenario` for every probe it names, in one go (the page
    /// does the same in slices: [`crate::pipeline`]).
    pub fn new(scenario: Scenario) -> Self {
        let probes = probes_for(&scenario);
        let matrix = matrix(&scenario, &probes);
        let externals = external_nodes(&scenario);
        let lint = lint(&scenario);
        Evaluated { scenario, probes, matrix, externals, lint }
    }

    /// "N namespaces · N pods/workloads · N policies", beside the tabs and
    /// on a large document.
    pub fn counts(&self) -> String {
        let s = &self.scenario;
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{} · {} · {}",
            plural(s.namespaces.len(), "namespace", "namespaces"),
            plural(s.endpoints.len(), "pod/workload", "pods/workloads"),
            plural(s.policies.len(), "policy", "policies")
        )
    }
}

/// The probes the panels show for `scenario`: those it names, or `TCP/80`.
pub fn probes_for(scenario: &Scenario) -> Vec<Probe> {
    let mut probes = scenario.probes_in_use();
    if probes.is_empty() {
        probes.push(Probe::new(Protocol::Tcp, 80));
    }
    probes
}

/// Which result the panels show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The current text has no errors.
    Fresh,
    /// The text has errors; the last error-free result is shown.
    Stale,
    /// The text has errors; the documents without errors are shown.
    ValidDocuments,
    /// Nothing to show (no error-free result yet and nothing valid).
    Nothing,
}

/// The analysis of one version of the text.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Increases with every analysis, so a `Memo` can tell versions apart
    /// without comparing scenarios.
    pub generation: u64,
    /// Every diagnostic, in source order.
    pub diagnostics: Arc<Vec<Diagnostic>>,
    /// How many diagnostics are errors.
    pub errors: usize,
    /// The current text's own result (only its valid documents when there
    /// are errors).
    pub current: Arc<Evaluated>,
    /// The last result whose text had no errors.
    pub last_good: Option<Arc<Evaluated>>,
}

impl PartialEq for Analysis {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

impl Analysis {
    /// Parses and evaluates `text`, carrying the last good result over from
    /// `previous`.
    pub fn new(text: &str, previous: Option<&Analysis>) -> Analysis {
        let output = parse_str(text);
        Analysis::assemble(output.diagnostics, Evaluated::new(output.scenario), previous)
    }

    /// The analysis of a text whose parse gave `diagnostics` and whose
    /// scenario evaluated to `current`, after `previous`.
    pub fn assemble(mut diagnostics: Vec<Diagnostic>, current: Evaluated, previous: Option<&Analysis>) -> Analysis {
        netpol_core::sort::sort_by_key(&mut diagnostics, |d| (d.span.start.line, d.span.start.col));
        let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let current = Arc::new(current);
        let last_good = if errors == 0 { Some(current.clone()) } else { previous.and_then(|p| p.last_good.clone()) };
        Analysis {
            generation: previous.map_or(0, |p| p.generation.wrapping_add(1)),
            diagnostics: Arc::new(diagnostics),
            errors,
            current,
            last_good,
        }
    }

    /// What the panels show, and how to label it. `prefer_valid` is the
    /// user's choice of "valid documents only" over "last good version".
    pub fn shown(&self, prefer_valid: bool) -> (Shown, Option<Arc<Evaluated>>) {
        if self.errors == 0 {
            return (Shown::Fresh, Some(self.current.clone()));
        }
        match (&self.last_good, prefer_valid) {
            (Some(good), false) => (Shown::Stale, Some(good.clone())),
            _ if self.current.scenario.endpoints.is_empty() && self.current.scenario.policies.is_empty() => {
                (Shown::Nothing, self.last_good.clone())
            }
            _ => (Shown::ValidDocuments, Some(self.current.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: x\n  labels:\n    app: a\n";
    const BAD_EXTRA: &str = "---\napiVersion: v1\nkind: Pod\nmetadata: [unclosed\n";

    #[test]
    fn errors_keep_the_last_good_result_visible_and_stale() {
        let first = Analysis::new(GOOD, None);
        assert_eq!(first.errors, 0);
        assert_eq!(first.shown(false).0, Shown::Fresh);

        let broken_text = format!("{GOOD}{BAD_EXTRA}");
        let broken = Analysis::new(&broken_text, Some(&first));
        assert!(broken.errors > 0, "{:?}", broken.diagnostics);
        assert!(broken.generation > first.generation);
        let (shown, result) = broken.shown(false);
        assert_eq!(shown, Shown::Stale);
        let result = result.expect("the last good result");
        assert!(Arc::ptr_eq(&result, first.last_good.as_ref().expect("good")));

        // "Valid documents only" shows the pod from the good document.
        let (shown, result) = broken.shown(true);
        assert_eq!(shown, Shown::ValidDocuments);
        assert_eq!(result.map(|r| r.scenario.endpoints.len()), Some(1));
    }

    #[test]
    fn without_a_good_past_the_valid_documents_are_shown() {
        let broken = Analysis::new(&format!("{GOOD}{BAD_EXTRA}"), None);
        assert_eq!(broken.shown(false).0, Shown::ValidDocuments);
        let nothing = Analysis::new("kind: [", None);
        assert_eq!(nothing.shown(false).0, Shown::Nothing);
        assert!(nothing.shown(false).1.is_none());
    }

    #[test]
    fn probes_fall_back_to_tcp_80() {
        let a = Analysis::new(GOOD, None);
        assert_eq!(a.current.probes, vec![Probe::new(Protocol::Tcp, 80)]);
    }
}
