//! `netpol lint`: the core linter's findings as text or JSON.
//!
//! The findings come from `netpol_core::lint::lint_output` (the scenario plus
//! the documents it skipped); this module only adds file names to the
//! locations and formats. JSON shape (field names are a contract):
//!
//! ```text
//! {"findings": [{"id": "NP001", "severity": "error"|"warning"|"info", "title": "…",
//!                "policy": "ns/name"|null, "file": "…", "line": l, "column": c, "end_line": l,
//!                "path": "spec.egress[0]", "message": "…", "fix": "…",
//!                "related": [{"file", "line", "column", "end_line"}]}]}
//! ```
//!
//! Lines and columns are 1-based (0 when the finding has no position).

use std::io::{self, Write};

use clap::ValueEnum;
use netpol_core::lint::{findings_to_text, lint_output, Finding, Severity, RULES};
use netpol_core::{Scenario, Span};
use serde::Serialize;

/// Output format of `netpol lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// One block per finding, `file:line:col: severity[ID] title`, then the
    /// message, the fix and related lines; a summary line last.
    Text,
    /// `{"findings": [...]}`, see the module documentation.
    Json,
}

/// What `--deny` turns into a failing exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DenyLevel {
    /// Any warning or error finding makes the exit code 1.
    Warnings,
}

/// Whether any finding reaches the level `--deny warnings` rejects.
pub fn has_warnings(findings: &[Finding]) -> bool {
    findings.iter().any(|f| matches!(f.severity, Severity::Warning | Severity::Error))
}

/// Lints the parsed input.
pub fn findings(parsed: &netpol_core::parse::ParseOutput) -> Vec<Finding> {
    lint_output(parsed)
}

fn file_of<'a>(names: &'a [String], span: &Span) -> &'a str {
    names.get(span.source as usize).map(String::as_str).unwrap_or("<input>")
}

/// Writes `findings` as text: the core's rendering of each finding, with the
/// file name put in front of its `line:col`, then the core's summary line.
pub fn write_text(out: &mut impl Write, scenario: &Scenario, names: &[String], findings: &[Finding]) -> io::Result<()> {
    for f in findings {
        let block = findings_to_text(scenario, std::slice::from_ref(f));
        // The core's block is the finding, a blank line, then a summary line
        // for this one finding, which is dropped (the real summary is last).
        let trimmed = block.trim_end_matches('\n');
        let body = trimmed.rsplit_once('\n').map_or(trimmed, |(body, _summary)| body).trim_end_matches('\n');
        // The core names related places by lines only; say which file.
        let body = match body.rsplit_once('\n') {
            Some((head, see)) if see.starts_with("  see: ") && !f.related.is_empty() => {
                format!("{head}\n  see: {}", related_text(names, &f.related))
            }
            _ => body.to_string(),
        };
        let file = file_of(names, &f.span);
        if f.span.start.line == 0 {
            // No position: findings_to_text wrote `0:0: `; say only the file.
            let rest = body.strip_prefix("0:0: ").unwrap_or(&body);
            writeln!(out, "{file}: {rest}\n")?;
        } else {
            writeln!(out, "{file}:{body}\n")?;
        }
    }
    let summary = findings_to_text(scenario, findings);
    let last = summary.trim_end_matches('\n').rsplit('\n').next().unwrap_or("");
    writeln!(out, "{last}")
}

/// `file:line:col (lines a-b)` for each related span with a position.
fn related_text(names: &[String], related: &[Span]) -> String {
    let parts: Vec<String> = related
        .iter()
        .filter(|s| s.start.line > 0)
        .map(|s| {
            let (first, last) = s.lines();
            let range = if last > first { format!(" (lines {first}-{last})") } else { String::new() };
            format!("{}:{}:{}{range}", file_of(names, s), s.start.line, s.start.col)
        })
        .collect();
    parts.join(", ")
}

#[derive(Serialize)]
struct FindingsJson<'a> {
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct LocationJson<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    id: &'static str,
    severity: &'static str,
    title: &'static str,
    policy: Option<String>,
    #[serde(flatten)]
    location: LocationJson<'a>,
    path: &'a str,
    message: &'a str,
    fix: &'a str,
    related: Vec<LocationJson<'a>>,
}

fn location<'a>(names: &'a [String], span: &Span) -> LocationJson<'a> {
    LocationJson {
        file: file_of(names, span),
        line: span.start.line,
        column: span.start.col,
        end_line: span.last_line(),
    }
}

/// Writes `findings` as the documented JSON object.
pub fn write_json(out: &mut impl Write, scenario: &Scenario, names: &[String], findings: &[Finding]) -> io::Result<()> {
    let doc = FindingsJson {
        findings: findings
            .iter()
            .map(|f| FindingJson {
                id: f.id,
                severity: f.severity.as_str(),
                title: f.title,
                policy: f.policy.and_then(|i| scenario.policies.get(i)).map(|p| format!("{}/{}", p.namespace, p.name)),
                location: location(names, &f.span),
                path: &f.path,
                message: &f.message,
                fix: &f.fix,
                related: f.related.iter().map(|s| location(names, s)).collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// `netpol lint --list`: the rule catalogue, one rule a line.
pub fn write_rules(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{:<6} {:<8} TITLE", "ID", "SEVERITY")?;
    for r in RULES {
        writeln!(out, "{:<6} {:<8} {}", r.id, r.severity.as_str(), r.title)?;
    }
    Ok(())
}
