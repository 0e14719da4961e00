//! `netpol share`: a scenario as a share-link fragment, and back.
//!
//! The format is `netpol_core::share`'s, the one the page reads, so a link
//! printed here opens the same scenario in the playground. The CLI only
//! gathers the text (the files concatenated as one multi-document YAML, as
//! the page's editor holds it), the flow and the view, and formats output.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::ValueEnum;
use netpol_core::share::{self, SharedFlow, SharedState, View};
use netpol_core::Probe;
use serde::Serialize;

use crate::input;
use crate::Failure;

/// The views a link can open with (the compare view needs compare text,
/// which the CLI does not make).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ViewArg {
    /// The allow graph.
    Graph,
    /// The connectivity matrix.
    Matrix,
    /// The rule-by-rule explanation of the selected flow.
    Inspector,
}

impl From<ViewArg> for View {
    fn from(v: ViewArg) -> View {
        match v {
            ViewArg::Graph => View::Graph,
            ViewArg::Matrix => View::Matrix,
            ViewArg::Inspector => View::Inspector,
        }
    }
}

/// Output of `share --decode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DecodeFormat {
    /// The scenario text only.
    Text,
    /// The whole state: `{"scenario", "compare", "flow", "view"}`.
    Json,
}

/// Parses `--flow FROM,TO,PROBE`: three non-empty parts, the probe in
/// `PROTO/PORT` form. The parts are kept as written (the page interprets
/// them like typed text), only the probe is checked so a typo is caught here.
pub fn parse_flow(s: &str) -> Result<SharedFlow, String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let [from, to, probe] = parts.as_slice() else {
        return Err(format!("`{s}` is not a flow: use FROM,TO,PROBE, e.g. prod/web,prod/db,TCP/5432"));
    };
    if from.is_empty() || to.is_empty() {
        return Err(format!("`{s}` is not a flow: FROM and TO must not be empty"));
    }
    let probe = Probe::parse(probe)
        .ok_or_else(|| format!("`{probe}` is not a probe: use PROTO/PORT with TCP, UDP or SCTP and a port 1-65535"))?;
    Ok(SharedFlow { from: (*from).to_string(), to: (*to).to_string(), probe: probe.to_string() })
}

/// Joins the inputs as one multi-document text: each file as written,
/// separated by `---` lines (a document separator on its own line, so every
/// file's documents stay whole).
pub fn concatenate(texts: &[input::Text]) -> String {
    let mut out = String::new();
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str("---\n");
        }
        out.push_str(&t.text);
    }
    out
}

/// `share FILE...`: prints `#fragment`, or `URL#fragment` with a base URL
/// (whose own fragment, if any, is replaced). Warns on stderr when the link
/// is too long for chat tools.
pub fn encode(
    out: &mut impl Write,
    files: &[PathBuf],
    base_url: Option<&str>,
    flow: Option<SharedFlow>,
    view: ViewArg,
) -> Result<(), Failure> {
    let texts = input::read_texts(files)?;
    let state = SharedState { scenario: concatenate(&texts), compare: None, flow, view: view.into() };
    let fragment = share::try_encode(&state).map_err(|e| Failure::Usage(e.to_string()))?;
    let base = base_url.map(|u| u.split_once('#').map_or(u, |(before, _)| before)).unwrap_or("");
    let link = format!("{base}#{fragment}");
    if let Some(warning) = share::link_length_warning(link.chars().count()) {
        eprintln!("netpol: warning: {} characters. {warning}", link.chars().count());
    }
    writeln!(out, "{link}")?;
    Ok(())
}

#[derive(Serialize)]
struct StateJson<'a> {
    scenario: &'a str,
    compare: Option<&'a str>,
    flow: Option<FlowJson<'a>>,
    view: &'static str,
}

#[derive(Serialize)]
struct FlowJson<'a> {
    from: &'a str,
    to: &'a str,
    probe: &'a str,
}

fn view_name(v: View) -> &'static str {
    match v {
        View::Graph => "graph",
        View::Matrix => "matrix",
        View::Inspector => "inspector",
        View::Compare => "compare",
    }
}

/// `share --decode`: prints the scenario text as it was shared, or the
/// whole state as JSON. A link that does not decode is an input error with
/// the core's message.
pub fn decode(out: &mut impl Write, fragment: &str, format: DecodeFormat) -> Result<(), Failure> {
    let state = share::decode(fragment).map_err(|e| Failure::Usage(e.to_string()))?;
    match format {
        DecodeFormat::Text => out.write_all(state.scenario.as_bytes())?,
        DecodeFormat::Json => {
            let json = StateJson {
                scenario: &state.scenario,
                compare: state.compare.as_deref(),
                flow: state.flow.as_ref().map(|f| FlowJson { from: &f.from, to: &f.to, probe: &f.probe }),
                view: view_name(state.view),
            };
            serde_json::to_writer_pretty(&mut *out, &json).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> input::Text {
        input::Text { name: "x".into(), text: s.into() }
    }

    #[test]
    fn files_are_joined_with_separator_lines() {
        assert_eq!(concatenate(&[text("a: 1\n"), text("b: 2")]), "a: 1\n---\nb: 2");
        assert_eq!(concatenate(&[text("a: 1"), text("b: 2\n")]), "a: 1\n---\nb: 2\n");
        assert_eq!(concatenate(&[text("a: 1\n")]), "a: 1\n");
    }

    #[test]
    fn flow_needs_three_parts_and_a_probe() {
        let f = parse_flow("prod/web, prod/db ,tcp/5432").map_err(|e| e.to_string());
        assert_eq!(f, Ok(SharedFlow { from: "prod/web".into(), to: "prod/db".into(), probe: "TCP/5432".into() }));
        assert!(parse_flow("prod/web,prod/db").is_err());
        assert!(parse_flow("prod/web,prod/db,TCP/5432,x").is_err());
        assert!(parse_flow(",prod/db,TCP/80").is_err());
        assert!(parse_flow("a,b,ICMP/1").is_err());
    }
}
