//! `netpol diff`: which flows a change to the policies allows or denies.
//!
//! The comparison and the wording of each verdict are the core's
//! ([`netpol_core::diff`]); this module only formats them.
//!
//! JSON shape (field names are a contract):
//!
//! ```text
//! {"probes": ["TCP/80", ...],
//!  "newly_allowed": [CHANGE], "newly_denied": [CHANGE],
//!  "added_endpoints": ["ns/name", ...], "removed_endpoints": ["ns/name", ...]}
//! CHANGE  = {"from": "ns/name", "to": "ns/name", "probe": "TCP/80", "before": VERDICT, "after": VERDICT}
//! VERDICT = {"present": bool,          both endpoints exist in this scenario
//!            "allowed": bool,
//!            "reason": "text",          the deciding rule, as in the text output
//!            "allowed_by": [{"direction": "egress"|"ingress", "policy": "ns/name", "rule": i,
//!                            "peer": j|null, "port": k|null}]}
//! ```

use std::io::{self, Write};

use clap::ValueEnum;
use netpol_core::diff::{AllowedBy, Change, Diff, Outcome};
use netpol_core::Probe;
use serde::Serialize;

/// Output format of `netpol diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Changed flows grouped as newly allowed / newly denied, each with the
    /// deciding rule before and after.
    Text,
    /// The documented JSON object.
    Json,
}

/// A rule entry that admits a flow on one side.
#[derive(Serialize)]
struct AllowedByJson<'a> {
    direction: &'static str,
    policy: &'a str,
    rule: usize,
    peer: Option<usize>,
    port: Option<usize>,
}

/// A flow's verdict in one scenario.
#[derive(Serialize)]
struct VerdictJson<'a> {
    present: bool,
    allowed: bool,
    reason: &'a str,
    allowed_by: Vec<AllowedByJson<'a>>,
}

/// One changed flow.
#[derive(Serialize)]
struct ChangeJson<'a> {
    from: &'a str,
    to: &'a str,
    probe: String,
    before: VerdictJson<'a>,
    after: VerdictJson<'a>,
}

/// The whole diff.
#[derive(Serialize)]
struct DiffJson<'a> {
    probes: Vec<String>,
    newly_allowed: Vec<ChangeJson<'a>>,
    newly_denied: Vec<ChangeJson<'a>>,
    added_endpoints: &'a [String],
    removed_endpoints: &'a [String],
}

fn allowed_by_json(m: &AllowedBy) -> AllowedByJson<'_> {
    AllowedByJson { direction: m.direction.as_str(), policy: &m.policy, rule: m.rule, peer: m.peer, port: m.port }
}

fn verdict_json(o: &Outcome) -> VerdictJson<'_> {
    VerdictJson {
        present: o.present(),
        allowed: o.allowed,
        reason: &o.reason,
        allowed_by: o.allowed_by.iter().map(allowed_by_json).collect(),
    }
}

fn change_json(c: &Change) -> ChangeJson<'_> {
    ChangeJson {
        from: &c.from,
        to: &c.to,
        probe: c.probe.to_string(),
        before: verdict_json(&c.before),
        after: verdict_json(&c.after),
    }
}

fn diff_json(d: &Diff) -> DiffJson<'_> {
    DiffJson {
        probes: d.probes.iter().map(Probe::to_string).collect(),
        newly_allowed: d.newly_allowed.iter().map(change_json).collect(),
        newly_denied: d.newly_denied.iter().map(change_json).collect(),
        added_endpoints: &d.added_endpoints,
        removed_endpoints: &d.removed_endpoints,
    }
}

fn write_changes(out: &mut impl Write, title: &str, changes: &[Change]) -> io::Result<()> {
    writeln!(out, "{title} ({}):", changes.len())?;
    for c in changes {
        writeln!(out, "  {} -> {} on {}", c.from, c.to, c.probe)?;
        writeln!(out, "    before: {}", c.before.reason)?;
        writeln!(out, "    after:  {}", c.after.reason)?;
    }
    Ok(())
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// Writes the diff in `format`.
pub fn write(out: &mut impl Write, d: &Diff, format: DiffFormat) -> io::Result<()> {
    match format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &diff_json(d))?;
            writeln!(out)
        }
        DiffFormat::Text => {
            let probes: Vec<String> = d.probes.iter().map(Probe::to_string).collect();
            writeln!(out, "probes: {}", probes.join(", "))?;
            writeln!(out, "added endpoints: {}", list(&d.added_endpoints))?;
            writeln!(out, "removed endpoints: {}", list(&d.removed_endpoints))?;
            writeln!(out)?;
            write_changes(out, "newly allowed", &d.newly_allowed)?;
            writeln!(out)?;
            write_changes(out, "newly denied", &d.newly_denied)?;
            writeln!(out)?;
            match d.total() {
                0 => writeln!(out, "no flow changed"),
                1 => writeln!(out, "1 flow changed"),
                n => writeln!(out, "{n} flows changed"),
            }
        }
    }
}
