//! `netpol`: the command-line front end of the NetworkPolicy playground.
//!
//! It reads Kubernetes YAML/JSON (files, directories, `-` for stdin), asks
//! `netpol-core` for verdicts and formats them; it never decides anything
//! itself. Exit codes are for CI pipelines: 0 on success, 2 when any input
//! document had an error (results from the good documents are still
//! printed) or the command line was wrong. Two commands also use 1, for
//! "the check found something": `lint --deny warnings` (a warning or error
//! finding) and `diff` (a flow changed).

mod diff_cmd;
mod explain_cmd;
mod explain_json;
mod gen;
mod input;
mod lint_cmd;
mod matrix_out;
mod share_cmd;

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use netpol_core::Probe;

use crate::diff_cmd::DiffFormat;
use crate::explain_cmd::ExplainFormat;
use crate::lint_cmd::{DenyLevel, LintFormat};
use crate::matrix_out::MatrixFormat;
use crate::share_cmd::{DecodeFormat, ViewArg};

/// Exit code for input errors and usage errors (clap uses 2 as well).
const EXIT_INPUT_ERROR: u8 = 2;

/// Exit code of `lint --deny warnings` with findings and of `diff` with
/// changed flows: the check ran and found something.
const EXIT_FOUND: u8 = 1;

/// Kubernetes NetworkPolicy evaluation: who may connect to whom, and why.
#[derive(Parser)]
#[command(name = "netpol", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the endpoint × endpoint allow matrix per probe.
    ///
    /// Formats: `table` (a grid per probe: rows = from, columns = to by row
    /// number; ✓ allowed, · denied), `json` (exactly {"endpoints": [...],
    /// "probes": [...], "allowed": {"TCP/80": ["0110...", ...]}}, where
    /// character j of allowed[p][i] is '1' iff endpoints[i] may connect to
    /// endpoints[j]), `csv` (header `probe,from,to,allowed`, one row per
    /// ordered pair, allowed = 1 or 0) and `summary` (per probe: endpoints,
    /// pairs, allowed and denied counts).
    Matrix {
        /// A probe such as TCP/80, udp/53 or 8080 (= TCP). Repeatable.
        /// Default: every port the input names (TCP/80 if none).
        #[arg(long = "probe", value_name = "PROTO/PORT", value_parser = parse_probe)]
        probes: Vec<Probe>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
        format: MatrixFormat,
        /// Print parse and matrix times to stderr.
        #[arg(long)]
        timings: bool,
        /// Input files; `-` reads stdin; a directory means its *.yaml, *.yml
        /// and *.json files, sorted by name.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Explain one flow: the verdict, and every policy, rule, peer and port
    /// check that decided it.
    ///
    /// --from and --to take `NS/NAME` (a pod or workload; a bare NAME is in
    /// `default`) or an IP address. --to may also name a Service as
    /// `svc:NS/NAME` (or `svc/NS/NAME`), or as plain `NS/NAME` when no pod or
    /// workload has that name: each backend pod is then explained with the
    /// service port mapped to its targetPort.
    Explain {
        /// The client: NS/NAME or an IP.
        #[arg(long, value_name = "NS/NAME|IP")]
        from: String,
        /// The server: NS/NAME, an IP, or svc:NS/NAME.
        #[arg(long, value_name = "NS/NAME|IP|svc:NS/NAME")]
        to: String,
        /// Protocol and destination port, e.g. TCP/80.
        #[arg(long, value_name = "PROTO/PORT", value_parser = parse_probe)]
        probe: Probe,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
        format: ExplainFormat,
        /// Input files (`-` = stdin, directories as for `matrix`).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Check the input and print every diagnostic; exit 2 on any error.
    Validate {
        /// Input files (`-` = stdin, directories as for `matrix`).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print a share link (URL fragment) that opens the scenario in the
    /// playground, or decode one.
    ///
    /// The FILEs are joined as one multi-document text (files separated by
    /// `---` lines), compressed and printed as `#v1.…`: append it to the
    /// page's URL, or pass --base-url to print the whole link. Nothing is
    /// sent anywhere; the fragment is the scenario. With --decode, prints the
    /// scenario text a fragment or link carries (--format json: the whole
    /// state, {"scenario", "compare", "flow", "view"}); a broken, truncated
    /// or altered link exits 2 with the reason.
    Share {
        /// The playground's URL; the output is then the whole link.
        #[arg(long, value_name = "URL", conflicts_with = "decode")]
        base_url: Option<String>,
        /// The flow to select in the inspector: FROM,TO,PROBE
        /// (e.g. prod/web,prod/db,TCP/5432).
        #[arg(long, value_name = "FROM,TO,PROBE", value_parser = share_cmd::parse_flow, conflicts_with = "decode")]
        flow: Option<netpol_core::share::SharedFlow>,
        /// The view the link opens.
        #[arg(long, value_enum, default_value_t = ViewArg::Graph, conflicts_with = "decode")]
        view: ViewArg,
        /// Decode this fragment (with or without `#`) or whole link instead.
        #[arg(long, value_name = "FRAGMENT_OR_URL")]
        decode: Option<String>,
        /// Output of --decode.
        #[arg(long, value_enum, default_value_t = DecodeFormat::Text, requires = "decode")]
        format: DecodeFormat,
        /// Input files (`-` = stdin, directories as for `matrix`).
        #[arg(required_unless_present = "decode", conflicts_with = "decode", value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Warn about the classic NetworkPolicy pitfalls (DNS egress, selectors
    /// that match nothing, AND vs OR, …), each with a rule id and a fix.
    ///
    /// Text output: `file:line:col: severity[ID] title (NetworkPolicy
    /// ns/name, field path)`, the consequence, the fix, then a summary line.
    /// JSON: {"findings": [{"id", "severity", "title", "policy", "file",
    /// "line", "column", "end_line", "path", "message", "fix", "related":
    /// [{"file", "line", "column", "end_line"}]}]}. Exit codes: 0 (findings
    /// do not fail the command), 1 with --deny warnings when any warning or
    /// error finding exists (for CI), 2 on input errors. --list prints the
    /// rules.
    Lint {
        /// Output format.
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        /// `warnings`: exit 1 when any warning or error finding exists.
        #[arg(long, value_enum, value_name = "LEVEL")]
        deny: Option<DenyLevel>,
        /// Print the rule catalogue (id, severity, title) and exit.
        #[arg(long, conflicts_with_all = ["files", "deny"])]
        list: bool,
        /// Input files (`-` = stdin, directories as for `matrix`).
        #[arg(required_unless_present = "list", value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Compare two versions of a cluster's policies: which flows become
    /// allowed, which become denied, and the rule deciding each, before and
    /// after.
    ///
    /// Endpoints are matched by namespace/name; one on a single side is
    /// listed as added or removed, and its allowed flows count as changes.
    /// Exit codes: 0 when no flow changed, 1 when some did, 2 on input
    /// errors. JSON: {"probes", "newly_allowed": [{"from", "to", "probe",
    /// "before": V, "after": V}], "newly_denied": [...], "added_endpoints",
    /// "removed_endpoints"} with V = {"present", "allowed", "reason",
    /// "allowed_by": [{"direction", "policy", "rule", "peer", "port"}]}.
    Diff {
        /// The old version: files or directories.
        #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
        before: Vec<PathBuf>,
        /// The new version: files or directories.
        #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
        after: Vec<PathBuf>,
        /// A probe such as TCP/80. Repeatable. Default: every port either
        /// version names (TCP/80 if none).
        #[arg(long = "probe", value_name = "PROTO/PORT", value_parser = parse_probe)]
        probes: Vec<Probe>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Print a Markdown report for a pull request: counts, what each policy
    /// selects, the matrix per probe (the grid up to 40 endpoints, counts
    /// beyond), the lint findings and, with --after, the changed flows.
    ///
    /// Names and labels are escaped, so the report renders as the data it
    /// holds whatever the input contains. The page's "Export ▾ → Markdown
    /// report" writes the same text.
    Report {
        /// A probe such as TCP/80. Repeatable. Default: every port the
        /// input (and --after) names (TCP/80 if none).
        #[arg(long = "probe", value_name = "PROTO/PORT", value_parser = parse_probe)]
        probes: Vec<Probe>,
        /// The changed version to compare with: a file or directory
        /// (repeatable).
        #[arg(long, value_name = "PATH")]
        after: Vec<PathBuf>,
        /// Input files (`-` = stdin, directories as for `matrix`).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Write a deterministic synthetic cluster as multi-document YAML.
    ///
    /// Same sizes and seed give the same bytes. Namespace 0 is kube-system
    /// with a coredns pod; the others have labels env (prod/staging/dev),
    /// team (8 teams) and tier (frontend/backend/data). Pods carry app, tier
    /// and version labels, IPs from 10.0.1.1 upwards in 10.0.0.0/8, and named
    /// ports http (8080), metrics (9090), grpc (50051, backends) and dns (53).
    /// Policies mix default-deny, podSelector and namespaceSelector peers, AND
    /// peers, matchExpressions (In, NotIn, Exists, DoesNotExist), ipBlocks
    /// with except, named ports, endPort ranges and DNS egress rules.
    Gen {
        /// Number of pods.
        #[arg(long, default_value_t = 100)]
        pods: usize,
        /// Number of namespaces (at least 1; namespace 0 is kube-system).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
        namespaces: u32,
        /// Number of NetworkPolicies.
        #[arg(long, default_value_t = 20)]
        policies: usize,
        /// PRNG seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the same cluster as one `kind: List` whose items are
        /// one-line flow mappings: about two thirds of the bytes, one object
        /// per line (for very large clusters in the playground page).
        #[arg(long)]
        compact: bool,
    },
}

fn parse_probe(s: &str) -> Result<Probe, String> {
    Probe::parse(s)
        .ok_or_else(|| format!("`{s}` is not a probe: use PROTO/PORT with TCP, UDP or SCTP and a port 1-65535"))
}

/// A command's failure that is not an input-document error.
enum Failure {
    /// Bad input or arguments: message, exit 2.
    Usage(String),
    /// Writing stdout failed (e.g. a closed pipe).
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

impl From<input::InputError> for Failure {
    fn from(e: input::InputError) -> Self {
        Failure::Usage(e.0)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = run(&mut out, cli.command).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            eprintln!("netpol: {msg}");
            ExitCode::from(EXIT_INPUT_ERROR)
        }
        // A reader that stops early (`| head`) is not a failure worth a message.
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            eprintln!("netpol: {e}");
            ExitCode::FAILURE
        }
    }
}

fn exit_code(has_errors: bool) -> ExitCode {
    if has_errors {
        ExitCode::from(EXIT_INPUT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

fn run(out: &mut impl Write, command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Matrix { probes, format, timings, files } => {
            let started = Instant::now();
            let loaded = input::load(&files)?;
            let parsed = Instant::now();
            let mut probes = if probes.is_empty() { loaded.scenario.probes_in_use() } else { probes };
            // A probe asked for twice is one column of the JSON `allowed` map.
            let mut seen = std::collections::BTreeSet::new();
            probes.retain(|p| seen.insert(*p));
            if probes.is_empty() {
                probes.push(Probe::new(netpol_core::Protocol::Tcp, 80));
            }
            let m = netpol_core::matrix::matrix(&loaded.scenario, &probes);
            let computed = Instant::now();
            matrix_out::write(out, &loaded.scenario, &m, format)?;
            if timings {
                eprintln!(
                    "timings: read+parse {:.1} ms, matrix {:.1} ms ({} endpoints, {} probes)",
                    (parsed - started).as_secs_f64() * 1e3,
                    (computed - parsed).as_secs_f64() * 1e3,
                    m.len(),
                    probes.len()
                );
            }
            Ok(exit_code(loaded.has_errors))
        }
        Command::Explain { from, to, probe, format, files } => {
            let loaded = input::load(&files)?;
            let scenario = &loaded.scenario;
            let from = explain_cmd::resolve_from(scenario, &from).map_err(Failure::Usage)?;
            let target = explain_cmd::resolve_to(scenario, &to).map_err(Failure::Usage)?;
            let ctx = explain_json::Ctx { scenario, sources: &loaded.names };
            explain_cmd::run(out, &ctx, from, target, probe, format)?;
            Ok(exit_code(loaded.has_errors))
        }
        Command::Validate { files } => {
            let loaded = input::load(&files)?;
            let s = &loaded.scenario;
            let verdict = if loaded.has_errors { "errors found" } else { "ok" };
            writeln!(
                out,
                "{verdict}: {} namespaces, {} endpoints, {} services, {} policies",
                s.namespaces.len(),
                s.endpoints.len(),
                s.services.len(),
                s.policies.len()
            )?;
            Ok(exit_code(loaded.has_errors))
        }
        Command::Share { base_url, flow, view, decode, format, files } => {
            match decode {
                Some(fragment) => share_cmd::decode(out, &fragment, format)?,
                None => share_cmd::encode(out, &files, base_url.as_deref(), flow, view)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Lint { format, deny, list, files } => {
            if list {
                lint_cmd::write_rules(out)?;
                return Ok(ExitCode::SUCCESS);
            }
            let (parsed, names) = input::load_output(&files)?;
            let findings = lint_cmd::findings(&parsed);
            match format {
                LintFormat::Text => lint_cmd::write_text(out, &parsed.scenario, &names, &findings)?,
                LintFormat::Json => lint_cmd::write_json(out, &parsed.scenario, &names, &findings)?,
            }
            if parsed.has_errors() {
                return Ok(ExitCode::from(EXIT_INPUT_ERROR));
            }
            let denied = deny == Some(DenyLevel::Warnings) && lint_cmd::has_warnings(&findings);
            Ok(if denied { ExitCode::from(EXIT_FOUND) } else { ExitCode::SUCCESS })
        }
        Command::Diff { before, after, probes, format } => {
            let before = input::load(&before)?;
            let after = input::load(&after)?;
            let probes = netpol_core::diff::probes(probes, &before.scenario, &after.scenario);
            let d = netpol_core::diff::diff(&before.scenario, &after.scenario, &probes);
            diff_cmd::write(out, &d, format)?;
            Ok(if before.has_errors || after.has_errors {
                ExitCode::from(EXIT_INPUT_ERROR)
            } else if d.changed() {
                ExitCode::from(EXIT_FOUND)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Report { probes, after, files } => {
            let loaded = input::load(&files)?;
            let after = if after.is_empty() { None } else { Some(input::load(&after)?) };
            let after_scenario = after.as_ref().map(|a| &a.scenario);
            let probes =
                netpol_core::diff::probes(probes, &loaded.scenario, after_scenario.unwrap_or(&loaded.scenario));
            let m = netpol_core::matrix(&loaded.scenario, &probes);
            let findings = netpol_core::lint::lint(&loaded.scenario);
            let report = netpol_core::report::ReportInput {
                scenario: &loaded.scenario,
                matrix: &m,
                findings: &findings,
                after: after_scenario,
            };
            out.write_all(netpol_core::report::markdown(&report).as_bytes())?;
            Ok(exit_code(loaded.has_errors || after.is_some_and(|a| a.has_errors)))
        }
        Command::Gen { pods, namespaces, policies, seed, compact } => {
            let params = gen::GenParams { pods, namespaces: namespaces as usize, policies, seed };
            if compact {
                gen::generate_compact(out, params)?;
            } else {
                gen::generate(out, params)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
