//! What every check needs: the scenario, which endpoints each policy selects
//! and each peer entry admits (asked of the evaluator once), and the small
//! wording helpers that keep messages consistent.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{rule, Finding, Severity};
use crate::eval::{peer_admits, policy_selects};
use crate::explain::FlowEnd;
use crate::labels::{LabelSelector, Labels, Operator, Requirement};
use crate::model::{Direction, Endpoint, NetworkPolicy, Peer, PeerKind, Scenario};
use crate::span::Span;

/// The scenario with per-policy selections computed once.
pub(crate) struct Cx<'a> {
    pub(crate) scenario: &'a Scenario,
    /// Per policy: the endpoints it selects (host-network pods excluded:
    /// policies never isolate them).
    selected: Vec<Vec<usize>>,
    /// Endpoints by namespace name, to look only where a peer can match.
    by_namespace: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(scenario: &'a Scenario) -> Self {
        let selected = scenario
            .policies
            .iter()
            .map(|p| {
                scenario
                    .endpoints
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| !e.host_network && policy_selects(p, e))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let mut by_namespace: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, e) in scenario.endpoints.iter().enumerate() {
            by_namespace.entry(e.namespace.as_str()).or_default().push(i);
        }
        Cx { scenario, selected, by_namespace }
    }

    /// The endpoints policy `index` selects.
    pub(crate) fn selected(&self, index: usize) -> &[usize] {
        self.selected.get(index).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The policies, with their index.
    pub(crate) fn policies(&self) -> impl Iterator<Item = (usize, &'a NetworkPolicy)> + 'a {
        self.scenario.policies.iter().enumerate()
    }

    /// The endpoints `peer` (of a policy in `namespace`) admits, by the
    /// evaluator's own test. A selector entry is only tried on the endpoints
    /// of the namespaces it can match (a necessary condition), so large
    /// scenarios stay fast; the verdict is still the evaluator's.
    pub(crate) fn admitted(&self, namespace: &str, peer: &Peer) -> Vec<usize> {
        let admits = |i: &usize| peer_admits(self.scenario, namespace, peer, FlowEnd::Endpoint(*i));
        match &peer.kind {
            PeerKind::IpBlock(_) => (0..self.scenario.endpoints.len()).filter(admits).collect(),
            PeerKind::Selectors { namespace_selector, .. } => {
                let mut out: Vec<usize> = self
                    .scenario
                    .namespaces
                    .iter()
                    .filter(|n| match namespace_selector {
                        Some(sel) => sel.matches(&n.labels),
                        None => n.name == namespace,
                    })
                    .filter_map(|n| self.by_namespace.get(n.name.as_str()))
                    .flat_map(|v| v.iter().copied())
                    .filter(admits)
                    .collect();
                out.sort_unstable();
                out
            }
        }
    }

    /// The endpoint at `index`.
    pub(crate) fn endpoint(&self, index: usize) -> Option<&'a Endpoint> {
        self.scenario.endpoints.get(index)
    }

    /// Whether namespace `name` has at least one endpoint.
    pub(crate) fn has_endpoints_in(&self, name: &str) -> bool {
        self.by_namespace.contains_key(name)
    }

    /// `ns/name` of each endpoint, at most five, then "and N more".
    pub(crate) fn names(&self, indices: &[usize]) -> String {
        list(indices.iter().filter_map(|&i| self.endpoint(i)).map(endpoint_name), 5)
    }
}

/// A finding of catalogue rule `id` (severity and title from [`super::RULES`]).
pub(crate) fn finding(
    id: &'static str,
    policy: Option<usize>,
    span: Span,
    path: String,
    message: String,
    fix: String,
) -> Finding {
    let (severity, title) = rule(id).map_or((Severity::Warning, ""), |r| (r.severity, r.title));
    Finding { id, severity, title, policy, span, path, message, fix, related: Vec::new() }
}

/// `namespace/name`.
pub(crate) fn endpoint_name(e: &Endpoint) -> String {
    format!("{}/{}", e.namespace, e.name)
}

/// `namespace/name` of a policy, in backticks.
pub(crate) fn policy_name(p: &NetworkPolicy) -> String {
    format!("`{}/{}`", p.namespace, p.name)
}

/// `spec.ingress[i]` / `spec.egress[i]`.
pub(crate) fn rule_path(direction: Direction, index: usize) -> String {
    format!("spec.{}[{index}]", direction.as_str())
}

/// `spec.ingress[i].from[j]` / `spec.egress[i].to[j]`.
pub(crate) fn peer_path(direction: Direction, rule: usize, peer: usize) -> String {
    format!("{}.{}[{peer}]", rule_path(direction, rule), direction.peers_field())
}

/// Items in backticks, comma separated, at most `max`, then "and N more".
pub(crate) fn list(items: impl Iterator<Item = String>, max: usize) -> String {
    let items: Vec<String> = items.collect();
    let mut out = String::new();
    for (i, item) in items.iter().take(max).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(item);
        out.push('`');
    }
    if items.len() > max {
        out.push_str(&format!(" and {} more", items.len() - max));
    }
    out
}

/// The smallest span covering both.
pub(crate) fn join(a: Span, b: Span) -> Span {
    Span { start: a.start.min(b.start), end: a.end.max(b.end), ..a }
}

/// One requirement as a person reads it: `app=web`, `env in (a, b)`,
/// `team` (exists), `!team`.
pub(crate) fn requirement_text(r: &Requirement) -> String {
    match r.op {
        Operator::Equals => format!("{}={}", r.key, r.values.first().map(String::as_str).unwrap_or("")),
        Operator::In => format!("{} in ({})", r.key, r.values.join(", ")),
        Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(", ")),
        Operator::Exists => r.key.clone(),
        Operator::DoesNotExist => format!("!{}", r.key),
    }
}

/// A selector as a person reads it: `app=web, tier=front` or `{}`.
pub(crate) fn selector_text(s: &LabelSelector) -> String {
    if s.is_empty() {
        return String::from("{}");
    }
    s.requirements.iter().map(requirement_text).collect::<Vec<_>>().join(", ")
}

/// Labels as `k=v, k=v` (without the automatic namespace name label), or
/// "no labels".
pub(crate) fn labels_text(labels: &Labels) -> String {
    let shown: Vec<String> = labels
        .iter()
        .filter(|(k, _)| k.as_str() != crate::model::NAMESPACE_NAME_LABEL)
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if shown.is_empty() {
        String::from("no labels")
    } else {
        shown.join(", ")
    }
}

/// Why `labels` fail `r`, as a clause: "has no `purpose` label", "has
/// `env=staging`, not `env=production`".
pub(crate) fn failure_text(r: &Requirement, labels: &Labels) -> String {
    match (r.op, labels.get(&r.key)) {
        (Operator::DoesNotExist, Some(v)) => format!("has `{}={v}`, which `!{}` excludes", r.key, r.key),
        (Operator::NotIn, Some(v)) => format!("has `{}={v}`, which `{}` excludes", r.key, requirement_text(r)),
        (_, Some(v)) => format!("has `{}={v}`, not `{}`", r.key, requirement_text(r)),
        (_, None) => format!("has no `{}` label", r.key),
    }
}

/// The YAML a `matchLabels` block would have for `pairs`, indented by
/// `indent` spaces.
pub(crate) fn match_labels_yaml(pairs: &[(&str, &str)], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = format!("{pad}matchLabels:\n");
    for (k, v) in pairs {
        out.push_str(&format!("{pad}  {k}: {v}\n"));
    }
    out
}

/// Levenshtein distance, for "did you mean" (short names only).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("production", "prodution"), 1);
        assert_eq!(edit_distance("kube-system", "kube-sytem"), 1);
        assert_eq!(edit_distance("a", "abc"), 2);
        assert_eq!(edit_distance("", "ab"), 2);
    }

    #[test]
    fn list_truncates_after_max() {
        let items = ["a", "b", "c"].iter().map(|s| String::from(*s));
        assert_eq!(list(items, 2), "`a`, `b` and 1 more");
    }
}
