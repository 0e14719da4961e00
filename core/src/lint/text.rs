//! Findings as plain text for a terminal (`netpol lint --format text`):
//! `line:col: severity[ID] title`, the message, the fix indented, and the
//! related locations, in the order given.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use super::Finding;
use crate::model::Scenario;
use crate::span::Span;

/// `line 4` / `lines 4-9`, or nothing for a span without position.
fn lines(span: &Span) -> String {
    match span.lines() {
        (0, _) => String::new(),
        (a, b) if a >= b => format!("line {a}"),
        (a, b) => format!("lines {a}-{b}"),
    }
}

/// Renders `findings` (as [`super::lint`] returns them) one block each,
/// followed by a summary line. `scenario` names the policies findings point
/// at.
pub fn findings_to_text(scenario: &Scenario, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let start = f.span.start;
        let _ = write!(out, "{}:{}: {}[{}] {}", start.line, start.col, f.severity.as_str(), f.id, f.title);
        if let Some(p) = f.policy.and_then(|i| scenario.policies.get(i)) {
            let _ = write!(out, " (NetworkPolicy {}/{}", p.namespace, p.name);
            if !f.path.is_empty() {
                let _ = write!(out, ", {}", f.path);
            }
            out.push(')');
        } else if !f.path.is_empty() {
            let _ = write!(out, " ({})", f.path);
        }
        out.push('\n');
        let _ = writeln!(out, "  {}", f.message);
        if !f.fix.is_empty() {
            out.push_str("  fix:");
            for (i, line) in f.fix.lines().enumerate() {
                let sep = if i == 0 { " " } else { "    " };
                let _ = writeln!(out, "{sep}{line}");
            }
        }
        let related: alloc::vec::Vec<String> = f.related.iter().map(lines).filter(|l| !l.is_empty()).collect();
        if !related.is_empty() {
            let _ = writeln!(out, "  see: {}", related.join(", "));
        }
        out.push('\n');
    }
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} info",
        count(super::Severity::Error),
        count(super::Severity::Warning),
        count(super::Severity::Info)
    );
    out
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;
    use crate::lint::lint;
    use crate::parse::parse_str;

    #[test]
    fn text_names_the_place_the_rule_and_the_fix() {
        let yaml = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: kube-system}
spec:
  podSelector: {}
  policyTypes: [Ingress]
";
        let parsed = parse_str(yaml);
        let findings = lint(&parsed.scenario);
        let text = findings_to_text(&parsed.scenario, &findings);
        assert!(
            text.starts_with(
                "1:1: warning[NP008] deny-all in kube-system (NetworkPolicy kube-system/p, spec.podSelector)\n"
            ),
            "{text}"
        );
        assert!(text.contains("  fix: Leave kube-system out"), "{text}");
        assert!(text.ends_with("0 error(s), 1 warning(s), 0 info\n"), "{text}");
    }
}
