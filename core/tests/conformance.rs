//! The conformance corpus (`tests/conformance/*.yaml` + `*.expect`) run
//! against all three ways the core decides a flow: the fast [`matrix`], the
//! per-flow [`is_allowed`], and the explaining [`evaluate`].
//!
//! Each case transcribes a test of the upstream e2e suite
//! (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go) or a
//! rule of the API reference; the expected tables were written from those
//! sources, never from this crate's output (see
//! `tests/conformance/README.md`). A mismatch prints the case, the probe and
//! the expected and actual tables side by side with the differing cells
//! marked.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use netpol_core::eval::{evaluate, is_allowed};
use netpol_core::matrix::matrix;
use netpol_core::parse::{parse_sources, Source};
use netpol_core::{Flow, FlowEnd, Probe, Scenario};

/// One `probe …` block of an `.expect` file.
struct Table {
    probe: Probe,
    /// Column (and row) names, `namespace/name`.
    names: Vec<String>,
    /// `rows[i][j]`: may `names[i]` connect to `names[j]`.
    rows: Vec<Vec<bool>>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("conformance")
}

/// Parses the `.expect` format documented in `tests/conformance/README.md`.
fn parse_expect(text: &str) -> Result<Vec<Table>, String> {
    let mut tables: Vec<Table> = Vec::new();
    let mut lines = text.lines().enumerate().map(|(n, l)| (n + 1, l.trim_end()));
    while let Some((n, line)) = lines.next() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let probe_text = line.strip_prefix("probe ").ok_or(format!("line {n}: expected `probe PROTO/PORT`"))?;
        let probe = Probe::parse(probe_text.trim()).ok_or(format!("line {n}: bad probe `{probe_text}`"))?;
        let (hn, header) = lines.next().ok_or(format!("line {n}: probe without header"))?;
        let names: Vec<String> = header.split_whitespace().map(str::to_string).collect();
        if names.is_empty() {
            return Err(format!("line {hn}: empty header"));
        }
        let mut rows = Vec::with_capacity(names.len());
        for expected_name in &names {
            let (rn, row) = lines.next().ok_or(format!("probe {probe}: missing row {expected_name}"))?;
            let mut cells = row.split_whitespace();
            let name = cells.next().unwrap_or_default();
            if name != expected_name {
                return Err(format!("line {rn}: row `{name}` where `{expected_name}` was expected"));
            }
            let bits: Vec<bool> = cells
                .map(|c| match c {
                    "1" => Ok(true),
                    "0" => Ok(false),
                    other => Err(format!("line {rn}: cell `{other}` is not 0 or 1")),
                })
                .collect::<Result<_, _>>()?;
            if bits.len() != names.len() {
                return Err(format!("line {rn}: {} cells for {} columns", bits.len(), names.len()));
            }
            rows.push(bits);
        }
        if tables.iter().any(|t| t.probe == probe) {
            return Err(format!("probe {probe} appears twice"));
        }
        tables.push(Table { probe, names, rows });
    }
    if tables.is_empty() {
        return Err("no `probe` block".into());
    }
    Ok(tables)
}

/// Renders a table with `!` after every cell that differs from `other`.
fn render(names: &[String], rows: &[Vec<bool>], other: &[Vec<bool>]) -> String {
    let width = names.iter().map(String::len).max().unwrap_or(1) + 2;
    let mut s = format!("{:width$}", "");
    for n in names {
        let _ = write!(s, "{n:<w$}", w = width - 1);
    }
    s.push('\n');
    for (i, n) in names.iter().enumerate() {
        let _ = write!(s, "{n:width$}");
        for (j, cell) in rows[i].iter().enumerate() {
            let mark = if other[i][j] != *cell { "!" } else { "" };
            let text = format!("{}{mark}", u8::from(*cell));
            let _ = write!(s, "{text:<w$}", w = width - 1);
        }
        s.push('\n');
    }
    s
}

/// Runs one case; returns a readable report of every mismatch.
fn run_case(yaml_path: &Path) -> Result<usize, String> {
    let case = yaml_path.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_string();
    let text = fs::read_to_string(yaml_path).map_err(|e| format!("{case}: {e}"))?;
    let expect_path = yaml_path.with_extension("expect");
    let expect_text =
        fs::read_to_string(&expect_path).map_err(|e| format!("{case}: {}: {e}", expect_path.display()))?;
    let tables = parse_expect(&expect_text).map_err(|e| format!("{case}.expect: {e}"))?;

    let source_name = format!("{case}.yaml");
    let output = parse_sources(&[Source { name: &source_name, text: &text }]);
    if output.has_errors() {
        let rendered: Vec<String> = output.diagnostics.iter().map(|d| d.render(&source_name)).collect();
        return Err(format!("{case}: the scenario has parse errors:\n{}", rendered.join("\n")));
    }
    let scenario = output.scenario;
    let probes: Vec<Probe> = tables.iter().map(|t| t.probe).collect();
    let fast = matrix(&scenario, &probes);

    let mut report = String::new();
    for (p, table) in tables.iter().enumerate() {
        let index = endpoint_indices(&scenario, &table.names).map_err(|e| format!("{case} {}: {e}", table.probe))?;
        let got = |f: &dyn Fn(usize, usize) -> bool| -> Vec<Vec<bool>> {
            index.iter().map(|&i| index.iter().map(|&j| f(i, j)).collect()).collect()
        };
        let flow =
            |i: usize, j: usize| Flow { from: FlowEnd::Endpoint(i), to: FlowEnd::Endpoint(j), probe: table.probe };
        let engines: [(&str, Vec<Vec<bool>>); 3] = [
            ("matrix", got(&|i, j| fast.allowed(p, i, j))),
            ("is_allowed", got(&|i, j| is_allowed(&scenario, &flow(i, j)))),
            ("evaluate", got(&|i, j| evaluate(&scenario, &flow(i, j)).allowed)),
        ];
        for (engine, actual) in &engines {
            if *actual != table.rows {
                let _ = write!(
                    report,
                    "\n=== {case}, probe {}, engine `{engine}` disagrees (rows = from, columns = to; `!` marks a differing cell)\n--- expected\n{}--- got\n{}",
                    table.probe,
                    render(&table.names, &table.rows, actual),
                    render(&table.names, actual, &table.rows),
                );
            }
        }
    }
    if report.is_empty() {
        Ok(tables.len())
    } else {
        Err(report)
    }
}

/// Maps table names to scenario endpoint indices, requiring the table to
/// cover every endpoint exactly once (a missing endpoint is a corpus bug).
fn endpoint_indices(scenario: &Scenario, names: &[String]) -> Result<Vec<usize>, String> {
    let by_name: BTreeMap<String, usize> =
        scenario.endpoints.iter().enumerate().map(|(i, e)| (format!("{}/{}", e.namespace, e.name), i)).collect();
    if by_name.len() != names.len() {
        let listed: Vec<&String> = by_name.keys().collect();
        return Err(format!("table has {} endpoints, scenario has {}: {listed:?}", names.len(), by_name.len()));
    }
    names.iter().map(|n| by_name.get(n).copied().ok_or(format!("`{n}` is not an endpoint of the scenario"))).collect()
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("tests/conformance exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn conformance_corpus_matches_all_engines() {
    let files = case_files();
    assert!(files.len() >= 30, "the corpus must hold at least 30 cases, found {}", files.len());
    let mut failures = Vec::new();
    let mut tables = 0;
    for file in &files {
        match run_case(file) {
            Ok(n) => tables += n,
            Err(report) => failures.push(report),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} conformance cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(tables >= files.len(), "every case has at least one probe table");
}

#[test]
fn every_expect_file_has_a_scenario() {
    let dir = corpus_dir();
    for entry in fs::read_dir(&dir).expect("tests/conformance exists").filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "expect") {
            assert!(path.with_extension("yaml").exists(), "{} has no .yaml", path.display());
        }
    }
}

#[test]
fn expect_parser_rejects_malformed_tables() {
    assert!(parse_expect("probe TCP/80\n   x/a\nx/a 1\n").is_ok());
    assert!(parse_expect("probe TCP/80\n   x/a\nx/a 2\n").is_err(), "cell must be 0/1");
    assert!(parse_expect("probe TCP/80\n   x/a x/b\nx/a 1 1\n").is_err(), "missing row");
    assert!(parse_expect("probe TCP/80\n   x/a\nx/b 1\n").is_err(), "row name mismatch");
    assert!(parse_expect("probe ICMP/1\n   x/a\nx/a 1\n").is_err(), "bad probe");
    assert!(parse_expect("# only a comment\n").is_err(), "no table");
}
