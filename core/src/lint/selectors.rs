//! NP002 (a peer selector matches nothing), NP003 (a policy selects no pod)
//! and NP013 (a namespace named by `kubernetes.io/metadata.name` is not in
//! the scenario), each with the closest label that would match.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::{
    edit_distance, endpoint_name, failure_text, finding, labels_text, match_labels_yaml, peer_path, policy_name,
    selector_text, Cx,
};
use super::{Finding, Severity};
use crate::labels::{LabelSelector, Labels, Operator};
use crate::model::{Direction, Namespace, NetworkPolicy, Peer, PeerKind, NAMESPACE_NAME_LABEL};

pub(crate) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for (pi, policy) in cx.policies() {
        policy_selector(cx, pi, policy, out);
        for direction in [Direction::Ingress, Direction::Egress] {
            for (ri, rule) in policy.rules(direction).iter().enumerate() {
                for (j, peer) in rule.peers.iter().enumerate() {
                    let path = peer_path(direction, ri, j);
                    peer_selectors(cx, pi, policy, peer, &path, out);
                }
            }
        }
    }
}

/// The candidate closest to matching `selector`: fewest failing requirements,
/// then first in order. `None` when there is no candidate.
fn closest<'l, T>(
    selector: &LabelSelector,
    candidates: impl Iterator<Item = (T, &'l Labels)>,
) -> Option<(T, &'l Labels)> {
    let mut best: Option<(usize, T, &Labels)> = None;
    for (item, labels) in candidates {
        let misses = selector.failures(labels).count();
        if best.as_ref().is_none_or(|(m, _, _)| misses < *m) {
            best = Some((misses, item, labels));
        }
    }
    best.map(|(_, item, labels)| (item, labels))
}

/// "x has no `k` label and has `a=b`, not `a=c`".
fn why_not(subject: &str, selector: &LabelSelector, labels: &Labels) -> String {
    let reasons: Vec<String> = selector.failures(labels).map(|r| failure_text(r, labels)).collect();
    format!("{subject} {}", reasons.join(" and "))
}

/// NP003.
fn policy_selector(cx: &Cx, pi: usize, policy: &NetworkPolicy, out: &mut Vec<Finding>) {
    if policy.pod_selector.is_empty() || !cx.selected(pi).is_empty() || !cx.has_endpoints_in(&policy.namespace) {
        return;
    }
    let sel = &policy.pod_selector;
    let here = cx.in_namespaces(&[policy.namespace.as_str()]).into_iter().filter_map(|i| cx.endpoint(i));
    let here = here.filter(|e| !e.host_network);
    let mut hint = match closest(sel, here.map(|e| (e, &e.labels))) {
        Some((e, labels)) => format!(" The closest is: {}.", why_not(&format!("`{}`", endpoint_name(e)), sel, labels)),
        None => String::new(),
    };
    let mut elsewhere = cx.labelled(sel);
    elsewhere.subtract(&cx.in_namespaces_set(&[policy.namespace.as_str()]));
    let mut fix = format!("Make `spec.podSelector` ({}) match the labels of the pods to protect.", selector_text(sel));
    if elsewhere.iter().next().is_some() {
        hint.push_str(&format!(
            " Pods with these labels exist in other namespaces ({}), but a policy only selects pods in its own namespace.",
            cx.names_in(&elsewhere)
        ));
        fix = String::from("Create the policy in the namespace of the pods it should protect (`metadata.namespace`).");
    }
    let message = format!(
        "{} selects no pod in namespace `{}` ({}): it isolates nothing and allows nothing.{hint}",
        policy_name(policy),
        policy.namespace,
        selector_text(sel)
    );
    out.push(finding("NP003", Some(pi), sel.span, String::from("spec.podSelector"), message, fix));
}

/// NP002 / NP013 for one `from`/`to` entry.
fn peer_selectors(cx: &Cx, pi: usize, policy: &NetworkPolicy, peer: &Peer, path: &str, out: &mut Vec<Finding>) {
    let PeerKind::Selectors { namespace_selector, pod_selector } = &peer.kind else { return };
    let namespaces: Vec<&Namespace> = match namespace_selector {
        Some(sel) => {
            let matched: Vec<&Namespace> = cx.matching_namespaces(sel);
            if matched.is_empty() {
                let path = format!("{path}.namespaceSelector");
                out.push(match missing_by_name(cx, sel) {
                    Some(names) => unknown_namespace(cx, pi, policy, sel, &names, path),
                    None => namespace_matches_nothing(cx, pi, policy, sel, path),
                });
                return;
            }
            let path = format!("{path}.namespaceSelector");
            out.extend(unlabelled_namesake(cx, pi, policy, sel, &matched, path));
            matched
        }
        None => cx.scenario.namespace(&policy.namespace).into_iter().collect(),
    };
    let Some(sel) = pod_selector.as_ref().filter(|s| !s.is_empty()) else { return };
    let has_pods = namespaces.iter().any(|n| cx.has_endpoints_in(&n.name));
    if !has_pods || cx.admits_any(&policy.namespace, peer) {
        return;
    }
    out.push(pod_matches_nothing(cx, pi, policy, sel, &namespaces, namespace_selector.is_some(), path));
}

/// The names a selector asks for by `kubernetes.io/metadata.name`
/// (`=`/`In`) when none of them exists; `None` if the selector does not
/// select by name, or one of the names exists (then NP002 explains).
fn missing_by_name(cx: &Cx, sel: &LabelSelector) -> Option<Vec<String>> {
    let req = sel
        .requirements
        .iter()
        .find(|r| r.key == NAMESPACE_NAME_LABEL && matches!(r.op, Operator::Equals | Operator::In))?;
    let all_missing = req.values.iter().all(|v| cx.scenario.namespace(v).is_none());
    all_missing.then(|| req.values.clone())
}

/// NP013: by-name selection of namespaces the scenario does not have.
fn unknown_namespace(
    cx: &Cx,
    pi: usize,
    policy: &NetworkPolicy,
    sel: &LabelSelector,
    names: &[String],
    path: String,
) -> Finding {
    let typo = names.iter().find_map(|n| {
        cx.scenario
            .namespaces
            .iter()
            .map(|ns| (edit_distance(n, &ns.name), ns))
            .filter(|(d, _)| *d > 0 && *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, ns)| (n, ns))
    });
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let mut f = match typo {
        Some((wrong, ns)) => {
            let message = format!(
                "The namespaceSelector of {} names namespace `{wrong}`, which does not exist; namespace `{}` does. As written, it matches nothing.",
                policy_name(policy),
                ns.name
            );
            let fix =
                format!("Did you mean `{}`?\n{}", ns.name, match_labels_yaml(&[(NAMESPACE_NAME_LABEL, &ns.name)], 8));
            let mut f = finding("NP013", Some(pi), sel.span, path, message, fix);
            f.related.extend(ns.span);
            f
        }
        None => {
            let message = format!(
                "The namespaceSelector of {} names namespace {}, which is not in this scenario, so the playground shows no flow through this entry.",
                policy_name(policy),
                quoted.join(", ")
            );
            let fix = format!(
                "If the namespace exists in your cluster, add it (and its pods) to the scenario:\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n",
                names.first().map(String::as_str).unwrap_or("")
            );
            let mut f = finding("NP013", Some(pi), sel.span, path, message, fix);
            f.severity = Severity::Info;
            f
        }
    };
    f.related.push(policy.span);
    f.related.truncate(2);
    f
}

/// NP013, second case: the selector asks for a label value (`purpose:
/// monitoring`) that is the very name of a namespace it does not match, so
/// that namespace most likely lacks the label (seed 003, 陷阱2).
fn unlabelled_namesake(
    cx: &Cx,
    pi: usize,
    policy: &NetworkPolicy,
    sel: &LabelSelector,
    matched: &[&Namespace],
    path: String,
) -> Option<Finding> {
    let (ns, req) = sel
        .requirements
        .iter()
        .filter(|r| r.key != NAMESPACE_NAME_LABEL && matches!(r.op, Operator::Equals | Operator::In))
        .find_map(|r| {
            let ns = r.values.iter().find_map(|v| cx.scenario.namespace(v)).filter(|n| !sel.matches(&n.labels))?;
            Some((ns, r))
        })?;
    let matched_names: Vec<String> = matched.iter().map(|n| n.name.clone()).collect();
    let message = format!(
        "The namespaceSelector ({}) of {} matches {}, but not namespace `{}`, whose name is the value it asks for: {} (it has {}).",
        selector_text(sel),
        policy_name(policy),
        super::context::list(matched_names.into_iter(), 5),
        ns.name,
        why_not(&format!("`{}`", ns.name), sel, &ns.labels),
        labels_text(&ns.labels)
    );
    let fix = format!(
        "If `{0}` is meant, label it: `kubectl label namespace {0} {1}={0}`; or select it by its automatic name label:
      - namespaceSelector:
{2}",
        ns.name,
        req.key,
        match_labels_yaml(&[(NAMESPACE_NAME_LABEL, &ns.name)], 10)
    );
    let mut f = finding("NP013", Some(pi), sel.span, path, message, fix);
    f.related.extend(ns.span);
    Some(f)
}

/// NP002 for a namespaceSelector, with the closest namespace and the label it
/// lacks.
fn namespace_matches_nothing(cx: &Cx, pi: usize, policy: &NetworkPolicy, sel: &LabelSelector, path: String) -> Finding {
    let namespaces = &cx.scenario.namespaces;
    // A namespace carrying one of the wanted values under another key, or
    // named like one of the values, is what the author most likely meant.
    let wanted: Vec<&String> = sel
        .requirements
        .iter()
        .filter(|r| matches!(r.op, Operator::Equals | Operator::In))
        .flat_map(|r| r.values.iter())
        .collect();
    let meant = namespaces
        .iter()
        .find(|n| n.labels.iter().any(|(k, v)| k != NAMESPACE_NAME_LABEL && wanted.contains(&v)))
        .or_else(|| namespaces.iter().find(|n| wanted.contains(&&n.name)))
        .or_else(|| closest(sel, namespaces.iter().map(|n| (n, &n.labels))).map(|(n, _)| n));
    let mut message = format!(
        "The namespaceSelector ({}) of {} matches no namespace in this scenario, so this entry allows nothing.",
        selector_text(sel),
        policy_name(policy)
    );
    let mut fix = String::from(
        "Label the namespace the rule is meant for, or select it by name with `kubernetes.io/metadata.name`.",
    );
    let mut related = Vec::new();
    if let Some(ns) = meant {
        message.push_str(&format!(
            " {} (it has {}).",
            why_not(&format!("Namespace `{}`", ns.name), sel, &ns.labels),
            labels_text(&ns.labels)
        ));
        let labels: Vec<String> = sel
            .failures(&ns.labels)
            .filter(|r| matches!(r.op, Operator::Equals | Operator::In))
            .filter_map(|r| r.values.first().map(|v| format!("{}={v}", r.key)))
            .collect();
        let mut fixes = Vec::new();
        if !labels.is_empty() {
            fixes.push(format!("label the namespace: `kubectl label namespace {} {}`", ns.name, labels.join(" ")));
        }
        fixes.push(format!(
            "or select it by its automatic name label, which every namespace has:\n      - namespaceSelector:\n{}",
            match_labels_yaml(&[(NAMESPACE_NAME_LABEL, &ns.name)], 10)
        ));
        fix = format!("Either {}", fixes.join(", "));
        related.extend(ns.span);
    }
    let mut f = finding("NP002", Some(pi), sel.span, path, message, fix);
    f.related = related;
    f
}

/// NP002 for a podSelector: no pod in the namespaces it looks in matches.
fn pod_matches_nothing(
    cx: &Cx,
    pi: usize,
    policy: &NetworkPolicy,
    sel: &LabelSelector,
    namespaces: &[&Namespace],
    has_namespace_selector: bool,
    path: &str,
) -> Finding {
    let names: Vec<&str> = namespaces.iter().map(|n| n.name.as_str()).collect();
    let inside = cx.in_namespaces(&names).into_iter().filter_map(|i| cx.endpoint(i)).filter(|e| !e.host_network);
    let where_ = if has_namespace_selector {
        format!("the namespaces the namespaceSelector picks ({})", names.join(", "))
    } else {
        format!(
            "the policy's own namespace `{}` (a podSelector without namespaceSelector looks nowhere else)",
            policy.namespace
        )
    };
    let mut message = format!(
        "The podSelector ({}) of {} matches no pod in {where_}, so this entry allows nothing.",
        selector_text(sel),
        policy_name(policy)
    );
    if let Some((e, labels)) = closest(sel, inside.map(|e| (e, &e.labels))) {
        message.push_str(&format!(" The closest is: {}.", why_not(&format!("`{}`", endpoint_name(e)), sel, labels)));
    }
    let mut elsewhere = cx.labelled(sel);
    elsewhere.subtract(&cx.in_namespaces_set(&names));
    let fix = match elsewhere.iter().next().and_then(|i| cx.endpoint(i)) {
        Some(e) if !has_namespace_selector => {
            message.push_str(&format!(" Matching pods exist in other namespaces: {}.", cx.names_in(&elsewhere)));
            format!(
                "To admit them, add a namespaceSelector to the SAME entry (no `-` before it):\n      - namespaceSelector:\n{}        podSelector:\n{}",
                match_labels_yaml(&[(NAMESPACE_NAME_LABEL, &e.namespace)], 10),
                sel_yaml(sel)
            )
        }
        _ => String::from(
            "Make the podSelector match the labels of the pods this rule is meant for, or label those pods.",
        ),
    };
    finding("NP002", Some(pi), sel.span, format!("{path}.podSelector"), message, fix)
}

/// The `matchLabels` part of a selector as YAML under `podSelector:` (only
/// equality requirements; others are summarised in a comment).
fn sel_yaml(sel: &LabelSelector) -> String {
    let pairs: Vec<(&str, &str)> = sel
        .requirements
        .iter()
        .filter(|r| r.op == Operator::Equals)
        .filter_map(|r| r.values.first().map(|v| (r.key.as_str(), v.as_str())))
        .collect();
    if pairs.is_empty() {
        return format!("          # {}\n", selector_text(sel));
    }
    match_labels_yaml(&pairs, 10)
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use crate::lint::testutil::{lint_yaml, with_id};
    use crate::lint::Severity;

    const NAMESPACES: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: monitoring, labels: {name: monitoring}}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Pod
metadata: {name: prometheus, namespace: monitoring, labels: {app: prometheus}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: prod, labels: {app: api}}
---
";

    fn ingress_from(peer: &str) -> String {
        format!(
            "{NAMESPACES}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: allow, namespace: prod}}
spec:
  podSelector: {{matchLabels: {{app: api}}}}
  ingress:
  - from:
    - {peer}
"
        )
    }

    #[test]
    fn np002_namespace_missing_label_names_the_label_it_has() {
        let findings = lint_yaml(&ingress_from("namespaceSelector: {matchLabels: {purpose: monitoring}}"));
        let f = with_id(&findings, "NP002");
        assert_eq!(f.len(), 1, "{findings:#?}");
        let msg = &f[0].message;
        assert!(msg.contains("Namespace `monitoring` has no `purpose` label"), "{msg}");
        assert!(msg.contains("name=monitoring"), "{msg}");
        assert!(f[0].fix.contains("kubectl label namespace monitoring purpose=monitoring"), "{}", f[0].fix);
        assert!(f[0].fix.contains("kubernetes.io/metadata.name: monitoring"), "{}", f[0].fix);
        assert_eq!(f[0].path, "spec.ingress[0].from[0].namespaceSelector");
    }

    #[test]
    fn np002_not_reported_when_the_namespace_matches() {
        let findings = lint_yaml(&ingress_from("namespaceSelector: {matchLabels: {name: monitoring}}"));
        assert!(with_id(&findings, "NP002").is_empty(), "{findings:#?}");
        let empty = lint_yaml(&ingress_from("namespaceSelector: {}"));
        assert!(with_id(&empty, "NP002").is_empty(), "{empty:#?}");
    }

    #[test]
    fn np002_pod_selector_alone_looks_only_in_the_policy_namespace() {
        let findings = lint_yaml(&ingress_from("podSelector: {matchLabels: {app: prometheus}}"));
        let f = with_id(&findings, "NP002");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("`monitoring/prometheus`"), "{}", f[0].message);
        assert!(f[0].fix.contains("kubernetes.io/metadata.name: monitoring"), "{}", f[0].fix);
        let ok = lint_yaml(&ingress_from("podSelector: {matchLabels: {app: api}}"));
        assert!(with_id(&ok, "NP002").is_empty(), "{ok:#?}");
    }

    #[test]
    fn np003_policy_selecting_no_pod_names_the_closest() {
        let yaml = ingress_from("podSelector: {}")
            .replace("podSelector: {matchLabels: {app: api}}", "podSelector: {matchLabels: {app: apii}}");
        let findings = lint_yaml(&yaml);
        let f = with_id(&findings, "NP003");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("`prod/api` has `app=api`, not `app=apii`"), "{}", f[0].message);
        let ok = lint_yaml(&ingress_from("podSelector: {}"));
        assert!(with_id(&ok, "NP003").is_empty(), "{ok:#?}");
    }

    #[test]
    fn np013_typo_in_namespace_name_is_a_warning_missing_one_is_info() {
        let typo =
            lint_yaml(&ingress_from("namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitorng}}"));
        let f = with_id(&typo, "NP013");
        assert_eq!(f.len(), 1, "{typo:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].fix.contains("Did you mean `monitoring`?"), "{}", f[0].fix);
        assert!(with_id(&typo, "NP002").is_empty());
        let absent =
            lint_yaml(&ingress_from("namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: logging}}"));
        let f = with_id(&absent, "NP013");
        assert_eq!(f.len(), 1, "{absent:#?}");
        assert_eq!(f[0].severity, Severity::Info);
        let present =
            lint_yaml(&ingress_from("namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}"));
        assert!(with_id(&present, "NP013").is_empty(), "{present:#?}");
    }

    /// Seed 003, 陷阱2: the namespace named `monitoring` lacks the label
    /// while another namespace has it.
    #[test]
    fn np013_namespace_named_like_the_wanted_value_but_unlabelled() {
        let ops = |value: &str| {
            format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: ops, labels: {{purpose: {value}}}}}\n---\n")
        };
        let yaml =
            format!("{}{}", ops("monitoring"), ingress_from("namespaceSelector: {matchLabels: {purpose: monitoring}}"));
        let findings = lint_yaml(&yaml);
        let f = with_id(&findings, "NP013");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("matches `ops`, but not namespace `monitoring`"), "{}", f[0].message);
        assert!(f[0].fix.contains("kubectl label namespace monitoring purpose=monitoring"), "{}", f[0].fix);
        // No namespace is called `metrics`: matching `ops` alone is fine.
        let yaml =
            format!("{}{}", ops("metrics"), ingress_from("namespaceSelector: {matchLabels: {purpose: metrics}}"));
        let quiet = lint_yaml(&yaml);
        assert!(with_id(&quiet, "NP013").is_empty(), "{quiet:#?}");
        assert!(with_id(&quiet, "NP002").is_empty(), "{quiet:#?}");
    }
}
