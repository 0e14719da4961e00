//! Helpers for the per-rule unit tests: parse small YAML, lint it.

use alloc::string::String;
use alloc::vec::Vec;

use super::{lint, Finding};
use crate::parse::{parse_str, Severity};

/// Lints `yaml`, failing the test when the parser reports an error (a lint
/// test must be about a valid policy).
pub(crate) fn lint_yaml(yaml: &str) -> Vec<Finding> {
    let out = parse_str(yaml);
    let errors: Vec<String> =
        out.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.render("<test>")).collect();
    assert!(errors.is_empty(), "test YAML does not parse cleanly: {errors:?}");
    lint(&out.scenario)
}

/// The findings with id `id`.
pub(crate) fn with_id<'a>(findings: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.id == id).collect()
}
