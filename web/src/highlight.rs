//! Which editor lines to highlight.
//!
//! The inspector highlights the YAML that decided a verdict (by default) or
//! whatever rule, peer or term the user clicked. Both come down to a set of
//! [`Span`]s; this module turns them into sorted, de-duplicated line numbers
//! of the editor's source, and picks the decisive spans of an explanation.

use netpol_core::eval::tier::Verdict;
use netpol_core::explain::{PeersCheck, PortsCheck, RuleMatch, SideExplanation, TierKind};
use netpol_core::{Explanation, Span};

/// The editor's text is source 0 of the parse input.
pub const EDITOR_SOURCE: u32 = 0;

/// The 1-based lines covered by `spans` in the editor (other sources are
/// ignored), clamped to `line_count`, sorted and without duplicates.
pub fn lines_of(spans: &[Span], line_count: u32) -> Vec<u32> {
    let mut lines: Vec<u32> = spans
        .iter()
        .filter(|s| s.source == EDITOR_SOURCE)
        .flat_map(|s| {
            let (first, last) = s.lines();
            let first = first.max(1);
            let last = last.max(first).min(line_count);
            first..=last
        })
        .collect();
    netpol_core::sort::sort(&mut lines);
    lines.dedup();
    lines
}

/// The spans that decided `explanation`'s verdict.
///
/// - Allowed: on each side that policies govern, the peer entry (or, for a
///   rule without peers, the rule) and the port entry of the first rule that
///   admits the flow.
/// - Denied: on each side that denies, the `podSelector` of every policy
///   that isolates it (nothing admitted the flow, so what decided is that
///   these policies select the pod).
/// - A side decided by a cluster policy (Admin or Baseline tier): that
///   policy's matching rule, whatever the verdict; the NetworkPolicies were
///   not what decided.
pub fn decisive_spans(explanation: &Explanation) -> Vec<Span> {
    let mut spans = Vec::new();
    for side in [&explanation.egress, &explanation.ingress] {
        if let Some(rule) = deciding_cluster_rule(side) {
            if explanation.allowed || !side.allowed {
                spans.push(rule);
            }
        } else if explanation.allowed {
            if let Some(m) = side.first_allowing() {
                spans.extend(match_spans(side, m));
            }
        } else if !side.allowed {
            spans.extend(side.policies.iter().map(|p| p.pod_selector_span));
        }
    }
    spans
}

/// The span of the cluster-policy rule that decided `side`, when its chain
/// ends on an Admin or Baseline step with a final verdict (Accept or Deny).
pub fn deciding_cluster_rule(side: &SideExplanation) -> Option<Span> {
    let last = side.tiers.last()?;
    if last.tier == TierKind::NetworkPolicy || !matches!(last.verdict, Verdict::Allow | Verdict::Deny) {
        return None;
    }
    last.matched_rule().map(|r| r.span)
}

/// The peer (or rule) and port entry spans of a rule match.
pub fn match_spans(side: &SideExplanation, m: &RuleMatch) -> Vec<Span> {
    let Some(rule) =
        side.policies.iter().find(|p| p.policy == m.policy).and_then(|p| p.rules.iter().find(|r| r.index == m.rule))
    else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    match (&rule.peers, m.peer) {
        (PeersCheck::Entries(entries), Some(j)) => {
            spans.extend(entries.iter().find(|e| e.index == j).map(|e| e.span));
        }
        _ => spans.push(rule.span),
    }
    if let (PortsCheck::Entries(entries), Some(k)) = (&rule.ports, m.port) {
        spans.extend(entries.iter().find(|e| e.index == k).map(|e| e.span));
    }
    spans
}

/// The first line of `lines` outside the visible window `[top, bottom]`
/// when none of them is visible, i.e. where to scroll so the highlight is
/// seen; `None` when some highlighted line is already visible.
pub fn scroll_target(lines: &[u32], top: u32, bottom: u32) -> Option<u32> {
    if lines.iter().any(|l| (top..=bottom).contains(l)) {
        None
    } else {
        lines.first().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_core::Loc;

    fn span(source: u32, first: u32, end_line: u32, end_col: u32) -> Span {
        Span {
            source,
            doc: 0,
            start: Loc { offset: 0, line: first, col: 3 },
            end: Loc { offset: 0, line: end_line, col: end_col },
        }
    }

    #[test]
    fn lines_are_merged_sorted_and_clamped() {
        let spans = [span(0, 5, 7, 1), span(0, 3, 4, 9), span(0, 6, 6, 9), span(0, 9, 12, 4)];
        // 5..7 ending at column 1 covers 5..6; 9..12 is clamped to 10 lines.
        assert_eq!(lines_of(&spans, 10), vec![3, 4, 5, 6, 9, 10]);
    }

    #[test]
    fn other_sources_are_ignored() {
        assert_eq!(lines_of(&[span(1, 2, 3, 5)], 10), Vec::<u32>::new());
    }

    /// A flow the Admin tier denies is decided by that rule, not by the
    /// podSelector of the NetworkPolicy the Admin tier overrode.
    #[test]
    fn a_cluster_decision_highlights_the_deciding_rule() {
        let yaml = netpol_core::presets::by_id("cluster-guardrails").map(|p| p.yaml).unwrap_or_default();
        let out = netpol_core::parse::parse_str(yaml);
        let find = |name: &str| {
            let (ns, n) = name.split_once('/').unwrap_or_default();
            netpol_core::FlowEnd::Endpoint(out.scenario.endpoint_index(ns, n).unwrap_or(usize::MAX))
        };
        let flow = |from: &str, to: &str, port: u16| netpol_core::Flow {
            from: find(from),
            to: find(to),
            probe: netpol_core::Probe::new(netpol_core::Protocol::Tcp, port),
        };
        let denied = netpol_core::evaluate(&out.scenario, &flow("tenant-a/web", "sensitive/db", 5432));
        assert!(!denied.allowed);
        let rule = denied.ingress.tiers[0].matched_rule().map(|r| r.span).expect("a deny rule");
        assert_eq!(decisive_spans(&denied), vec![rule]);
        let text_lines = yaml.lines().count() as u32;
        let lines = lines_of(&[rule], text_lines);
        assert!(yaml.lines().nth(lines[0] as usize - 1).unwrap_or_default().contains("deny-everyone-else"));
        // Passed down, the NetworkPolicy that admits decides, as before.
        let passed = netpol_core::evaluate(&out.scenario, &flow("monitoring/prometheus", "sensitive/db", 9187));
        assert!(passed.allowed);
        let m = passed.ingress.first_allowing().copied().expect("an admitting rule");
        assert_eq!(decisive_spans(&passed), match_spans(&passed.ingress, &m));
    }

    #[test]
    fn scroll_target_only_when_nothing_is_visible() {
        assert_eq!(scroll_target(&[40, 41], 1, 30), Some(40));
        assert_eq!(scroll_target(&[29, 40], 1, 30), None);
        assert_eq!(scroll_target(&[], 1, 30), None);
    }
}
