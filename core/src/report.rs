//! Text exports of a matrix (CSV, JSON in the CLI's documented shape) and a
//! Markdown report for pull requests, shared by `netpol matrix`/`netpol
//! report` and the page's export menu, so a file saved from the page is
//! byte-for-byte what the CLI prints.
//!
//! Shapes (contracts other tools read, documented in the README):
//! - JSON: `{"endpoints":[...],"probes":[...],"allowed":{"TCP/80":["0110…",…]}}`
//!   on one line; character `j` of `allowed[p][i]` is `1` iff `endpoints[i]`
//!   may open a connection to `endpoints[j]`; the keys of `allowed` are
//!   sorted as strings (the CLI's historical serde_json output).
//! - CSV: header `probe,from,to,allowed`, one row per probe and ordered pair.
//!
//! Everything a share link carries is untrusted, so the Markdown escapes
//! every name and label (no raw HTML, no link syntax survives), and the JSON
//! escapes as serde_json does.

mod markdown;

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write;

use crate::explain::endpoint_label;
use crate::matrix::Matrix;
use crate::model::Scenario;

pub use self::markdown::{markdown, ReportInput, MATRIX_CAP};

/// `namespace/name` of every endpoint, in scenario order.
pub fn endpoint_names(scenario: &Scenario) -> Vec<String> {
    (0..scenario.endpoints.len()).map(|i| endpoint_label(scenario, i)).collect()
}

/// The row of `from` for probe index `p`: one `'1'`/`'0'` per destination.
fn row_bits(m: &Matrix, p: usize, from: usize) -> String {
    m.row(p, from).map(|allowed| if allowed { '1' } else { '0' }).collect()
}

/// `s` as a JSON string literal, escaped exactly as serde_json escapes it
/// (quote, backslash, the short escapes, other control characters as
/// `\u00XX`; everything else, `/` and non-ASCII included, verbatim).
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_array<'a>(out: &mut String, items: impl IntoIterator<Item = &'a str>) {
    out.push('[');
    for (i, s) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(out, s);
    }
    out.push(']');
}

/// The matrix as the CLI's JSON document, with a final newline.
pub fn matrix_json(scenario: &Scenario, m: &Matrix) -> String {
    let names = endpoint_names(scenario);
    let probes: Vec<String> = m.probes().iter().map(ToString::to_string).collect();
    // One entry per distinct probe text, sorted as strings, the last probe of
    // a repeated text winning: the map the CLI has always printed. A sorted
    // `Vec` rather than a `BTreeMap` (one fewer B-tree type in the wasm); the
    // stable sort keeps a text's probes in order, so the last one is kept.
    let mut by_text: Vec<(&str, usize)> = probes.iter().map(String::as_str).zip(0..).collect();
    crate::sort::sort_by(&mut by_text, |a, b| a.0.cmp(b.0));
    let mut allowed: Vec<(&str, usize)> = Vec::with_capacity(by_text.len());
    for (text, p) in by_text {
        match allowed.last_mut() {
            Some(last) if last.0 == text => last.1 = p,
            _ => allowed.push((text, p)),
        }
    }
    let mut out = String::new();
    out.push_str("{\"endpoints\":");
    json_array(&mut out, names.iter().map(String::as_str));
    out.push_str(",\"probes\":");
    json_array(&mut out, probes.iter().map(String::as_str));
    out.push_str(",\"allowed\":{");
    for (k, &(probe, p)) in allowed.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        json_string(&mut out, probe);
        out.push(':');
        let rows: Vec<String> = (0..m.len()).map(|i| row_bits(m, p, i)).collect();
        json_array(&mut out, rows.iter().map(String::as_str));
    }
    out.push_str("}}\n");
    out
}

/// The matrix as CSV: header `probe,from,to,allowed`, then one row per probe
/// and ordered pair (sources in endpoint order), `allowed` `1` or `0`.
///
/// Kubernetes names hold no comma or quote, so fields are written as they
/// are; a name that does (only possible in hand-written or crafted input) is
/// quoted per RFC 4180, and one starting with `=`, `+`, `-` or `@` gets a
/// leading `'` so spreadsheets never read it as a formula.
pub fn matrix_csv(scenario: &Scenario, m: &Matrix) -> String {
    let names: Vec<String> = endpoint_names(scenario).iter().map(|n| csv_field(n)).collect();
    let mut out = String::from("probe,from,to,allowed\n");
    for (p, probe) in m.probes().iter().enumerate() {
        for (i, from) in names.iter().enumerate() {
            for (j, to) in names.iter().enumerate() {
                let bit = if m.allowed(p, i, j) { 1 } else { 0 };
                let _ = writeln!(out, "{probe},{from},{to},{bit}");
            }
        }
    }
    out
}

/// One CSV field: as is when plain, else defused and quoted.
fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@']);
    if !formula && !s.contains([',', '"', '\n', '\r']) {
        return s.to_string();
    }
    let body = if formula { alloc::format!("'{s}") } else { s.to_string() };
    alloc::format!("\"{}\"", body.replace('"', "\"\""))
}

#[cfg(all(test, feature = "yaml"))]
mod tests;
