//! NP010: the AND-vs-OR trap in `from`/`to` lists.
//!
//! API reference (NetworkPolicyPeer, and the concepts page "Behavior of to
//! and from selectors"): entries of the list are ORed; `namespaceSelector`
//! and `podSelector` in ONE entry are ANDed. Both readings are computed with
//! the evaluator's peer test, so the message says which pods each admits.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::{finding, join, peer_path, policy_name, selector_text, Cx};
use super::{Finding, Severity};
use crate::labels::LabelSelector;
use crate::matrix::bitset::BitSet;
use crate::model::{Direction, NetworkPolicy, Peer, PeerKind, NAMESPACE_NAME_LABEL};

/// `(namespaceSelector, podSelector)` of a selector entry.
fn selectors(peer: &Peer) -> Option<(Option<&LabelSelector>, Option<&LabelSelector>)> {
    match &peer.kind {
        PeerKind::Selectors { namespace_selector, pod_selector } => {
            Some((namespace_selector.as_ref(), pod_selector.as_ref()))
        }
        PeerKind::IpBlock(_) => None,
    }
}

pub(crate) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for (pi, policy) in cx.policies() {
        for direction in [Direction::Ingress, Direction::Egress] {
            for (ri, rule) in policy.rules(direction).iter().enumerate() {
                for (j, pair) in rule.peers.windows(2).enumerate() {
                    if let [a, b] = pair {
                        let at = Place { pi, direction, ri, j, list_len: rule.peers.len() };
                        split_pair(cx, policy, at, a, b, out);
                    }
                }
                for (j, peer) in rule.peers.iter().enumerate() {
                    joined(cx, pi, policy, direction, ri, j, peer, out);
                }
            }
        }
    }
}

/// "`a`, `b` (2 pods)" or "no pod".
fn admitted_text(cx: &Cx, admitted: &BitSet) -> String {
    match admitted.count() {
        0 => String::from("no pod"),
        1 => format!("1 pod: {}", cx.names_in(admitted)),
        n => format!("{n} pods: {}", cx.names_in(admitted)),
    }
}

/// Where a pair of entries is: policy, direction, rule, first entry, and the
/// length of the list.
#[derive(Clone, Copy)]
struct Place {
    pi: usize,
    direction: Direction,
    ri: usize,
    j: usize,
    list_len: usize,
}

/// An entry with only a namespaceSelector next to one with only a
/// podSelector, in either order.
fn split_pair(cx: &Cx, policy: &NetworkPolicy, at: Place, a: &Peer, b: &Peer, out: &mut Vec<Finding>) {
    let Place { pi, direction, ri, j, list_len } = at;
    let (Some(sa), Some(sb)) = (selectors(a), selectors(b)) else { return };
    let (ns, pods) = match (sa, sb) {
        ((Some(ns), None), (None, Some(pods))) | ((None, Some(pods)), (Some(ns), None)) => (ns, pods),
        _ => return,
    };
    // The fix deletes the `-` of the second entry, whichever selector it has.
    let pod_first = sa.1.is_some();
    let (first_field, second_field) =
        if pod_first { ("podSelector", "namespaceSelector") } else { ("namespaceSelector", "podSelector") };
    let (first_text, second_text) =
        if pod_first { (selector_text(pods), selector_text(ns)) } else { (selector_text(ns), selector_text(pods)) };
    let mut as_written = cx.admitted(&policy.namespace, a);
    as_written.union_with(&cx.admitted(&policy.namespace, b));
    let combined = Peer {
        kind: PeerKind::Selectors { namespace_selector: Some(ns.clone()), pod_selector: Some(pods.clone()) },
        span: join(a.span, b.span),
    };
    let as_one = cx.admitted(&policy.namespace, &combined);
    let field = direction.peers_field();
    let message = format!(
        "`{field}[{j}]` ({first_field} {first_text}) and `{field}[{}]` ({second_field} {second_text}) of {} are two entries, so they are ORed: every pod in the selected namespaces, OR pods labelled {} in `{}`; as written that admits {}. If you meant pods labelled {} IN the selected namespaces (one entry, ANDed), that would be {}.",
        j + 1,
        policy_name(policy),
        selector_text(pods),
        policy.namespace,
        admitted_text(cx, &as_written),
        selector_text(pods),
        admitted_text(cx, &as_one),
    );
    let line = b.span.start.line;
    let fix = format!(
        "For AND, delete the `-` before `{second_field}` (line {line}) and indent it under `{first_field}`, so both are one entry:\n    - {first_field}: …\n      {second_field}: …\nIf OR is what you meant, nothing to change."
    );
    let mut f = finding("NP010", Some(pi), join(a.span, b.span), peer_path(direction, ri, j), message, fix);
    f.related = Vec::from([b.span]);
    // A longer list (the API reference's own example adds an ipBlock) reads
    // as a deliberate list of alternatives; two lone entries are the trap.
    if list_len > 2 {
        f.severity = Severity::Info;
    }
    out.push(f);
}

/// The reverse trap, as information: one entry with both selectors (neither
/// `{}`, and the namespace not picked by name, which is clearly AND).
#[allow(clippy::too_many_arguments)]
fn joined(
    cx: &Cx,
    pi: usize,
    policy: &NetworkPolicy,
    direction: Direction,
    ri: usize,
    j: usize,
    peer: &Peer,
    out: &mut Vec<Finding>,
) {
    let Some((Some(ns), Some(pods))) = selectors(peer) else { return };
    let by_name = ns.requirements.iter().all(|r| r.key == NAMESPACE_NAME_LABEL);
    if ns.is_empty() || pods.is_empty() || by_name {
        return;
    }
    let as_written = cx.admitted(&policy.namespace, peer);
    let message = format!(
        "`{}[{j}]` of {} has both selectors in one entry, so a peer must match both: pods labelled {} in namespaces labelled {} ({}). If either was meant to be enough, they must be two entries.",
        direction.peers_field(),
        policy_name(policy),
        selector_text(pods),
        selector_text(ns),
        admitted_text(cx, &as_written)
    );
    let line = pods.span.start.line;
    let fix = format!(
        "For OR, put a `-` before `podSelector` (line {line}) at the namespaceSelector's indentation, making it a second entry:\n    - namespaceSelector: …\n    - podSelector: …\nIf AND is what you meant, nothing to change."
    );
    let mut f = finding("NP010", Some(pi), peer.span, peer_path(direction, ri, j), message, fix);
    f.severity = Severity::Info;
    out.push(f);
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use crate::lint::testutil::{lint_yaml, with_id};
    use crate::lint::Severity;

    fn policy(from: &str) -> String {
        format!(
            "
apiVersion: v1
kind: Namespace
metadata: {{name: alice, labels: {{user: alice}}}}
---
apiVersion: v1
kind: Pod
metadata: {{name: client, namespace: alice, labels: {{role: client}}}}
---
apiVersion: v1
kind: Pod
metadata: {{name: web, namespace: alice, labels: {{role: web}}}}
---
apiVersion: v1
kind: Pod
metadata: {{name: db, namespace: demo, labels: {{app: db}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: p, namespace: demo}}
spec:
  podSelector: {{matchLabels: {{app: db}}}}
  ingress:
  - from:
{from}"
        )
    }

    #[test]
    fn np010_namespace_entry_followed_by_pod_entry_explains_both_readings() {
        let or = "    - namespaceSelector:\n        matchLabels: {user: alice}\n    - podSelector:\n        matchLabels: {role: client}\n";
        let findings = lint_yaml(&policy(or));
        let f = with_id(&findings, "NP010");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("2 pods: `alice/client`, `alice/web`"), "{}", f[0].message);
        assert!(f[0].message.contains("that would be 1 pod: `alice/client`"), "{}", f[0].message);
        assert!(f[0].fix.contains("delete the `-` before `podSelector` (line 27)"), "{}", f[0].fix);
    }

    #[test]
    fn np010_reversed_pair_warns_one_entry_informs_by_name_is_silent() {
        let and = "    - namespaceSelector:\n        matchLabels: {user: alice}\n      podSelector:\n        matchLabels: {role: client}\n";
        let findings = lint_yaml(&policy(and));
        let f = with_id(&findings, "NP010");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert_eq!(f[0].severity, Severity::Info);
        let by_name = "    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: alice}\n      podSelector:\n        matchLabels: {role: client}\n";
        let quiet = lint_yaml(&policy(by_name));
        assert!(with_id(&quiet, "NP010").is_empty(), "{quiet:#?}");
        let reversed = "    - podSelector:\n        matchLabels: {role: client}\n    - namespaceSelector:\n        matchLabels: {user: alice}\n";
        let findings = lint_yaml(&policy(reversed));
        let f = with_id(&findings, "NP010");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(
            f[0].message.contains("`from[0]` (podSelector role=client) and `from[1]` (namespaceSelector user=alice)"),
            "{}",
            f[0].message
        );
        assert!(f[0].fix.contains("delete the `-` before `namespaceSelector` (line 27)"), "{}", f[0].fix);
        let unrelated = "    - podSelector:\n        matchLabels: {role: client}\n    - podSelector:\n        matchLabels: {role: web}\n";
        let quiet = lint_yaml(&policy(unrelated));
        assert!(with_id(&quiet, "NP010").is_empty(), "{quiet:#?}");
    }
}
