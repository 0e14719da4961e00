//! `netpol matrix`: the endpoint × endpoint allow table in four formats.
//!
//! - `json`: the contract other tools read, exactly
//!   `{"endpoints": [...], "probes": [...], "allowed": {"TCP/80": ["0110…", …]}}`
//!   where `allowed[p][i]` has one character per endpoint and character `j`
//!   is `'1'` iff `endpoints[i]` may open a connection to `endpoints[j]`.
//! - `csv`: one header row `probe,from,to,allowed`, then one row per probe
//!   and ordered pair (rows are sources, in endpoint order), `allowed` being
//!   `1` or `0`. Every field is a plain token (`ns/name` never needs quoting:
//!   Kubernetes names hold no comma or quote), so `cut -d,` and spreadsheets
//!   read it as is.
//! - `table`: per probe, a grid for people: rows are sources (`from`),
//!   columns destinations (`to`), `✓` allowed, `·` denied. Columns are keyed
//!   by row number, with the legend being the numbered row labels.
//! - `summary`: per probe the number of endpoints, pairs, allowed and denied
//!   pairs, and the number of output classes — for timing big clusters
//!   without printing every cell. Works at any size (the counts come from
//!   the matrix's class tables).
//!
//! The formats with one cell per pair refuse clusters where that output
//! would be unreadable or too big to build in memory ([`MAX_TABLE`],
//! [`MAX_CELLS`] endpoints), naming `--format summary` instead.

use std::fmt::Write as _;
use std::io::{self, Write};

use netpol_core::matrix::Matrix;
use netpol_core::{Probe, Scenario};

/// The output format of `netpol matrix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixFormat {
    /// A grid per probe for terminals.
    Table,
    /// `{"endpoints", "probes", "allowed"}` (stable contract).
    Json,
    /// `probe,from,to,allowed` rows.
    Csv,
    /// Counts per probe only.
    Summary,
}

/// The most endpoints `table` prints: a grid wider than a few thousand
/// columns is not for people.
pub const MAX_TABLE: usize = 2_000;
/// The most endpoints `json` and `csv` print: they are built in memory, one
/// character (JSON) or one row (CSV) per pair, so 20,000 endpoints are
/// already 4 × 10⁸ pairs.
pub const MAX_CELLS: usize = 20_000;

/// Writes `m` in `format`; a per-pair format on a cluster above its limit is
/// an error naming `--format summary`.
pub fn write(out: &mut impl Write, scenario: &Scenario, m: &Matrix, format: MatrixFormat) -> io::Result<()> {
    let limit = match format {
        MatrixFormat::Table => MAX_TABLE,
        MatrixFormat::Json | MatrixFormat::Csv => MAX_CELLS,
        MatrixFormat::Summary => usize::MAX,
    };
    if m.len() > limit {
        return Err(io::Error::other(format!(
            "{} endpoints are too many for --format {} (one cell per pair; at most {limit}): use --format summary",
            m.len(),
            match format {
                MatrixFormat::Table => "table",
                MatrixFormat::Json => "json",
                _ => "csv",
            }
        )));
    }
    let names = netpol_core::report::endpoint_names(scenario);
    let probes: &[Probe] = m.probes();
    match format {
        MatrixFormat::Json => write_json(out, scenario, m),
        MatrixFormat::Csv => write_csv(out, scenario, m),
        MatrixFormat::Table => write_table(out, &names, probes, m),
        MatrixFormat::Summary => write_summary(out, probes, m),
    }
}

/// The JSON document, built by the core so the page's export is the same
/// bytes ([`netpol_core::report::matrix_json`]).
fn write_json(out: &mut impl Write, scenario: &Scenario, m: &Matrix) -> io::Result<()> {
    out.write_all(netpol_core::report::matrix_json(scenario, m).as_bytes())
}

/// The CSV rows, built by the core ([`netpol_core::report::matrix_csv`]).
fn write_csv(out: &mut impl Write, scenario: &Scenario, m: &Matrix) -> io::Result<()> {
    out.write_all(netpol_core::report::matrix_csv(scenario, m).as_bytes())
}

/// Column keys are row numbers, right-aligned to the widest one, so the grid
/// stays narrow however long the names are.
fn write_table(out: &mut impl Write, names: &[String], probes: &[Probe], m: &Matrix) -> io::Result<()> {
    let key_width = names.len().saturating_sub(1).to_string().len().max(1);
    let label_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (p, probe) in probes.iter().enumerate() {
        if p > 0 {
            writeln!(out)?;
        }
        let allowed = m.allowed_count(p);
        writeln!(
            out,
            "probe {probe}: rows = from, columns = to (by row number); ✓ allowed, · denied; {allowed} of {} pairs allowed",
            names.len() * names.len()
        )?;
        let mut header = String::new();
        let _ = write!(header, "{:width$}  ", "", width = key_width + 2 + label_width);
        for j in 0..names.len() {
            let _ = write!(header, " {j:>key_width$}");
        }
        writeln!(out, "{}", header.trim_end())?;
        for (i, name) in names.iter().enumerate() {
            let mut line = String::new();
            let _ = write!(line, "{i:>key_width$}  {name:<label_width$}  ");
            for j in 0..names.len() {
                let cell = if m.allowed(p, i, j) { '✓' } else { '·' };
                let _ = write!(line, " {cell:>key_width$}");
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn write_summary(out: &mut impl Write, probes: &[Probe], m: &Matrix) -> io::Result<()> {
    let n = m.len();
    let pairs = (n as u128) * (n as u128);
    // `classes` (last, so readers of the first five columns are unaffected): the output classes
    // the matrix was computed on, endpoints no rule tells apart (issue 5); the same on every row.
    let classes = m.class_count();
    writeln!(
        out,
        "{:<12} {:>10} {:>14} {:>14} {:>14} {:>10}",
        "probe", "endpoints", "pairs", "allowed", "denied", "classes"
    )?;
    for (p, probe) in probes.iter().enumerate() {
        let allowed = m.allowed_count(p) as u128;
        let denied = pairs.saturating_sub(allowed);
        writeln!(out, "{:<12} {n:>10} {pairs:>14} {allowed:>14} {denied:>14} {classes:>10}", probe.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_core::matrix::matrix;
    use netpol_core::model::{Endpoint, EndpointKind, Protocol};

    fn pods(n: usize) -> Scenario {
        let endpoints = (0..n)
            .map(|i| Endpoint {
                namespace: "default".into(),
                name: format!("p{i}"),
                kind: EndpointKind::Pod,
                labels: Default::default(),
                ips: Vec::new(),
                ports: Vec::new(),
                host_network: false,
                span: Default::default(),
            })
            .collect();
        Scenario { endpoints, ..Default::default() }
    }

    #[test]
    fn per_pair_formats_refuse_big_clusters_and_name_summary() {
        let s = pods(MAX_TABLE + 1);
        let m = matrix(&s, &[Probe::new(Protocol::Tcp, 80)]);
        let mut out = Vec::new();
        let err = write(&mut out, &s, &m, MatrixFormat::Table).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("--format summary") && err.contains("2001 endpoints"), "{err}");
        assert!(out.is_empty());
        write(&mut out, &s, &m, MatrixFormat::Summary).map_err(|e| e.to_string()).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out);
        // No policy: every pair allowed.
        assert!(text.contains(&format!("{}", (MAX_TABLE + 1) * (MAX_TABLE + 1))), "{text}");
        let s = pods(MAX_CELLS + 1);
        let m = matrix(&s, &[Probe::new(Protocol::Tcp, 80)]);
        for f in [MatrixFormat::Json, MatrixFormat::Csv] {
            assert!(write(&mut Vec::new(), &s, &m, f).is_err());
        }
    }
}
