//! The Markdown report for a pull request: what the scenario holds, what
//! each policy selects, the matrix per probe, the lint findings and, given
//! an "after" version, the flows the change allows or denies.
//!
//! Names, labels and messages come from user input (possibly a share link),
//! so every one of them goes through [`text`], which leaves no Markdown or
//! HTML syntax active: the report renders as the data it holds.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::diff::{diff_capped, Change};
use crate::labels::{LabelSelector, Operator};
use crate::lint::Finding;
use crate::matrix::Matrix;
use crate::model::{Direction, NetworkPolicy, Scenario};

/// The most endpoints whose matrix the report prints cell by cell (a grid
/// wider than this is unreadable in a pull request; the CSV export has it).
pub const MATRIX_CAP: usize = 40;

/// The most changed flows listed one by one.
const CHANGES_CAP: usize = 100;

/// The most endpoint names listed for what a policy selects.
const SELECTED_NAMES: usize = 5;

/// What the report is about.
pub struct ReportInput<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its matrix, on the probes the report shows.
    pub matrix: &'a Matrix,
    /// Its lint findings ([`crate::lint::lint`]).
    pub findings: &'a [Finding],
    /// The changed version to compare with, if any ("after my change").
    pub after: Option<&'a Scenario>,
}

/// The whole report.
pub fn markdown(input: &ReportInput<'_>) -> String {
    let mut out = String::from("## NetworkPolicy report\n\n");
    summary(&mut out, input.scenario);
    policies(&mut out, input.scenario);
    matrix(&mut out, input.scenario, input.matrix);
    findings(&mut out, input.scenario, input.findings);
    if let Some(after) = input.after {
        changes(&mut out, input.scenario, after, input.matrix);
    }
    out
}

/// `s` with every Markdown and HTML construct defused: the ASCII
/// punctuation that opens emphasis, links, code or table cells is
/// backslash-escaped, `<`, `>` and `&` become entities (no raw HTML), the
/// `://` and `www.` that GFM would turn into a link are broken with an
/// escape, and line breaks become spaces (a cell or list item stays one
/// line).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let after = rest.get(c.len_utf8()..).unwrap_or("");
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '@' => {
                out.push('\\');
                out.push(c);
            }
            ':' if after.starts_with("//") => out.push_str("\\:"),
            '.' if out.ends_with("www") || out.ends_with("WWW") => out.push_str("\\."),
            c if c.is_control() => {}
            c => out.push(c),
        }
        rest = after;
    }
    out
}

/// Prose that marks code with backticks (lint messages and fixes): the
/// backtick-delimited parts become code spans, the rest goes through
/// [`text`]. A backtick inside a name only shifts which part is code; code
/// spans show their content literally, so nothing becomes markup either way.
fn rich_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 && !part.trim().is_empty() {
            // Control characters (line breaks) would end a list item.
            let body: String = part.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            out.push('`');
            out.push_str(&body);
            out.push('`');
        } else {
            out.push_str(&text(part));
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn summary(out: &mut String, s: &Scenario) {
    let mut parts = Vec::from([
        plural(s.namespaces.len(), "namespace", "namespaces"),
        plural(s.endpoints.len(), "endpoint", "endpoints"),
        plural(s.services.len(), "service", "services"),
        plural(s.policies.len(), "NetworkPolicy", "NetworkPolicies"),
    ]);
    if !s.cluster_policies.is_empty() {
        parts.push(plural(s.cluster_policies.len(), "cluster policy", "cluster policies"));
    }
    let _ = writeln!(out, "{}.\n", parts.join(" · "));
}

/// A selector as a person reads it: `app=web, tier in (a, b)`.
fn selector_text(s: &LabelSelector) -> String {
    let terms: Vec<String> = s
        .requirements
        .iter()
        .map(|r| match r.op {
            Operator::Equals => format!("{}={}", r.key, r.values.first().map(String::as_str).unwrap_or("")),
            Operator::In => format!("{} in ({})", r.key, r.values.join(", ")),
            Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(", ")),
            Operator::Exists => r.key.clone(),
            Operator::DoesNotExist => format!("!{}", r.key),
        })
        .collect();
    terms.join(", ")
}

/// The endpoints `policy` selects: same namespace, `spec.podSelector`
/// matching, host-network pods excluded (they are never selected; see
/// ARCHITECTURE.md, "hostNetwork pods").
fn selected(s: &Scenario, policy: &NetworkPolicy) -> Vec<usize> {
    (0..s.endpoints.len())
        .filter(|&i| {
            s.endpoints.get(i).is_some_and(|e| {
                !e.host_network && e.namespace == policy.namespace && policy.pod_selector.matches(&e.labels)
            })
        })
        .collect()
}

fn side_cell(p: &NetworkPolicy, d: Direction) -> String {
    if !p.has_type(d) {
        return String::from("—");
    }
    match p.rules(d).len() {
        0 => String::from("isolates, no rule: denies all"),
        n => format!("isolates; {}", plural(n, "rule", "rules")),
    }
}

fn policies(out: &mut String, s: &Scenario) {
    out.push_str("### Policies\n\n");
    if s.policies.is_empty() {
        out.push_str("No NetworkPolicy: every pod may reach every pod.\n\n");
        return;
    }
    out.push_str("| policy | selects | ingress | egress |\n|---|---|---|---|\n");
    for p in &s.policies {
        let sel = if p.pod_selector.is_empty() {
            format!("every pod in {}", text(&p.namespace))
        } else {
            text(&selector_text(&p.pod_selector))
        };
        let hits = selected(s, p);
        let names: Vec<String> =
            hits.iter().take(SELECTED_NAMES).map(|&i| text(&crate::explain::endpoint_label(s, i))).collect();
        let more = hits.len().saturating_sub(SELECTED_NAMES);
        let list = match (hits.len(), more) {
            (0, _) => String::from("no endpoint"),
            (_, 0) => names.join(", "),
            _ => format!("{} and {more} more", names.join(", ")),
        };
        let _ = writeln!(
            out,
            "| {}/{} | {sel}: {list} | {} | {} |",
            text(&p.namespace),
            text(&p.name),
            side_cell(p, Direction::Ingress),
            side_cell(p, Direction::Egress)
        );
    }
    out.push('\n');
}

fn matrix(out: &mut String, s: &Scenario, m: &Matrix) {
    out.push_str("### Matrix\n\n");
    let n = m.len();
    let pairs = n.saturating_mul(n);
    if n > MATRIX_CAP {
        let _ = writeln!(
            out,
            "{n} endpoints: the grid is not printed (this report prints it up to {MATRIX_CAP} endpoints); \
             the CSV export or `netpol matrix --format csv` has every pair.\n"
        );
        out.push_str("| probe | pairs | allowed | denied |\n|---|--:|--:|--:|\n");
        for (p, probe) in m.probes().iter().enumerate() {
            let allowed = m.allowed_count(p);
            let _ = writeln!(out, "| {probe} | {pairs} | {allowed} | {} |", pairs.saturating_sub(allowed));
        }
        out.push('\n');
        return;
    }
    out.push_str("Rows are sources (from), columns destinations (to) by row number; ✓ allowed, · denied.\n\n");
    for (p, probe) in m.probes().iter().enumerate() {
        let _ = writeln!(out, "#### {probe}: {} of {pairs} pairs allowed\n", m.allowed_count(p));
        out.push_str("| # | from \\\\ to |");
        for j in 0..n {
            let _ = write!(out, " {j} |");
        }
        out.push_str("\n|--:|---|");
        for _ in 0..n {
            out.push_str(":-:|");
        }
        out.push('\n');
        for i in 0..n {
            let _ = write!(out, "| {i} | {} |", text(&crate::explain::endpoint_label(s, i)));
            for allowed in m.row(p, i) {
                out.push_str(if allowed { " ✓ |" } else { " · |" });
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// A fenced code block whose fence is longer than any backtick run in
/// `body`, so the body cannot close it.
fn code_block(out: &mut String, body: &str) {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "   {fence}");
    for line in body.lines() {
        let _ = writeln!(out, "   {line}");
    }
    let _ = writeln!(out, "   {fence}");
}

fn findings(out: &mut String, s: &Scenario, list: &[Finding]) {
    out.push_str("### Warnings\n\n");
    if list.is_empty() {
        out.push_str("No lint finding.\n\n");
        return;
    }
    for f in list {
        let policy = f
            .policy
            .and_then(|i| s.policies.get(i))
            .map(|p| format!(" in {}/{}", text(&p.namespace), text(&p.name)))
            .unwrap_or_default();
        let path = if f.path.is_empty() { String::new() } else { format!(", {}", text(&f.path)) };
        let line = f.span.start.line;
        let at = if line > 0 { format!(" (line {line}{path})") } else { path };
        let _ = writeln!(
            out,
            "- **{} {}** {}{policy}{at}: {}",
            f.severity.as_str(),
            f.id,
            text(f.title),
            rich_text(&f.message)
        );
        if !f.fix.is_empty() {
            out.push_str("\n   Fix:\n\n");
            code_block(out, &f.fix);
        }
        out.push('\n');
    }
}

fn change_rows(out: &mut String, label: &str, list: &[Change]) {
    for c in list {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} | {} |",
            text(&c.from),
            text(&c.to),
            c.probe,
            text(&c.before.reason),
            text(&c.after.reason)
        );
    }
}

fn changes(out: &mut String, before: &Scenario, after: &Scenario, m: &Matrix) {
    out.push_str("### Changed flows\n\n");
    let d = diff_capped(before, after, m.probes(), CHANGES_CAP);
    let names = |v: &[String]| v.iter().map(|n| text(n)).collect::<Vec<_>>().join(", ");
    if !d.added_endpoints.is_empty() {
        let _ = writeln!(out, "Added endpoints: {}.\n", names(&d.added_endpoints));
    }
    if !d.removed_endpoints.is_empty() {
        let _ = writeln!(out, "Removed endpoints: {}.\n", names(&d.removed_endpoints));
    }
    if !d.changed() {
        out.push_str("No flow changes on these probes.\n\n");
        return;
    }
    let _ = writeln!(
        out,
        "{} newly allowed (+), {} newly denied (−){}.\n",
        d.newly_allowed.len(),
        d.newly_denied.len(),
        if d.omitted > 0 {
            format!(", and {} more not listed (`netpol diff` lists all)", d.omitted)
        } else {
            String::new()
        }
    );
    out.push_str("| change | from | to | probe | before | after |\n|---|---|---|---|---|---|\n");
    change_rows(out, "+ allowed", &d.newly_allowed);
    change_rows(out, "− denied", &d.newly_denied);
    out.push('\n');
}

/// [`code_block`] for the tests of the parent module.
#[cfg(test)]
pub(super) fn code_block_for_tests(out: &mut String, body: &str) {
    code_block(out, body);
}
