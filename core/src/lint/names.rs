//! NP012 (a policy that expects deny) and NP015 (a CNI that does not enforce
//! NetworkPolicy): findings about what the author expects of the model, read
//! from names and from the cluster's own pods.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::{finding, policy_name, Cx};
use super::Finding;
use crate::model::{Direction, Endpoint, NetworkPolicy};

/// Name words that announce a deny of something in particular.
const DENY_WORDS: &[&str] = &["deny", "block", "reject", "drop", "forbid", "blacklist", "blocklist", "ban-"];
/// Name words of a deliberate default deny (which NetworkPolicy does express).
const DEFAULT_WORDS: &[&str] = &["all", "default", "baseline"];

pub(crate) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let mut selecting = None;
    for (pi, policy) in cx.policies() {
        expects_deny(cx, pi, policy, &mut selecting, out);
    }
    cni_without_policy(cx, out);
}

/// NP012: named like a targeted deny. With rules, those rules allow; without,
/// the policy only isolates, and other policies' allowances remain.
/// Per endpoint, the policies selecting it (ascending), as offsets into one
/// list: `policies[start[e]..start[e + 1]]`.
struct Selecting {
    start: Vec<usize>,
    policies: Vec<usize>,
}

impl Selecting {
    fn new(cx: &Cx) -> Self {
        let len = cx.scenario.endpoints.len();
        let mut count = alloc::vec![0usize; len + 1];
        for (pi, _) in cx.policies() {
            for &e in cx.selected(pi) {
                if let Some(c) = count.get_mut(e + 1) {
                    *c += 1;
                }
            }
        }
        for e in 0..len {
            let before = count.get(e).copied().unwrap_or(0);
            if let Some(c) = count.get_mut(e + 1) {
                *c += before;
            }
        }
        let mut next = count.clone();
        let mut policies = alloc::vec![0usize; count.last().copied().unwrap_or(0)];
        for (pi, _) in cx.policies() {
            for &e in cx.selected(pi) {
                if let Some(slot) = next.get_mut(e) {
                    if let Some(p) = policies.get_mut(*slot) {
                        *p = pi;
                    }
                    *slot += 1;
                }
            }
        }
        Selecting { start: count, policies }
    }

    /// The policies selecting endpoint `e`, ascending.
    fn of(&self, e: usize) -> &[usize] {
        let (Some(&a), Some(&b)) = (self.start.get(e), self.start.get(e + 1)) else { return &[] };
        self.policies.get(a..b).unwrap_or(&[])
    }
}

fn expects_deny(cx: &Cx, pi: usize, policy: &NetworkPolicy, selecting: &mut Option<Selecting>, out: &mut Vec<Finding>) {
    let lower = policy.name.to_ascii_lowercase();
    let Some(word) = DENY_WORDS.iter().find(|w| lower.contains(*w)) else { return };
    if DEFAULT_WORDS.iter().any(|w| lower.contains(w)) {
        return;
    }
    let directions: Vec<Direction> =
        [Direction::Ingress, Direction::Egress].into_iter().filter(|&d| policy.has_type(d)).collect();
    let with_rules: Vec<Direction> = directions.iter().copied().filter(|&d| !policy.rules(d).is_empty()).collect();
    let message = if let Some(d) = with_rules.first() {
        format!(
            "{} is named like a deny (`{word}`), but NetworkPolicy has no deny: its {} rules ALLOW the peers they name, they do not block them.",
            policy_name(policy),
            d.as_str()
        )
    } else {
        // The policies sharing a selected endpoint with this one, through
        // the endpoint -> policies index (built once, on first need).
        let selecting = selecting.get_or_insert_with(|| Selecting::new(cx));
        let sharing = cx.selected(pi).iter().flat_map(|&e| selecting.of(e).iter().copied());
        let sharing = crate::sort::sorted_unique(sharing.filter(|&qi| qi != pi).collect());
        let others: Vec<String> = sharing
            .into_iter()
            .filter_map(|qi| cx.scenario.policies.get(qi))
            .filter(|q| directions.iter().any(|&d| q.has_type(d) && !q.rules(d).is_empty()))
            .map(policy_name)
            .collect();
        if others.is_empty() {
            // A rule-less policy nobody else allows through is an honest
            // deny-all, whatever its name.
            return;
        }
        format!(
            "{} is named like a deny (`{word}`), but NetworkPolicy has no deny and no order: a policy without rules only isolates its pods, and what {} allow to the same pods stays allowed.",
            policy_name(policy),
            others.join(", ")
        )
    };
    let fix = String::from(
        "To take access away, narrow the policy that grants it (its from/to and ports): policies only allow, and they add up. Deny rules and priorities exist only in CNI-specific resources (Calico, Cilium, Antrea) and in AdminNetworkPolicy.",
    );
    out.push(finding("NP012", Some(pi), policy.span, String::from("metadata.name"), message, fix));
}

fn label_is(e: &Endpoint, key: &str, values: &[&str]) -> bool {
    e.labels.get(key).is_some_and(|v| values.contains(&v.as_str()))
}

/// Whether `e` is a pod of a plugin that enforces NetworkPolicy.
fn enforces(e: &Endpoint) -> bool {
    label_is(e, "k8s-app", &["calico-node", "canal", "cilium", "kube-router", "weave-net"])
        || label_is(e, "app", &["antrea", "cilium", "calico-node", "kube-router"])
        || label_is(e, "name", &["weave-net"])
        || ["calico-node", "canal", "cilium", "antrea-agent", "kube-router", "weave-net"]
            .iter()
            .any(|n| e.name.starts_with(n))
}

/// Whether `e` is a flannel pod.
fn is_flannel(e: &Endpoint) -> bool {
    label_is(e, "app", &["flannel"]) || label_is(e, "k8s-app", &["flannel"]) || e.name.starts_with("kube-flannel")
}

/// NP015: flannel alone, with policies present.
fn cni_without_policy(cx: &Cx, out: &mut Vec<Finding>) {
    let scenario = cx.scenario;
    if scenario.policies.is_empty() {
        return;
    }
    // Flannel first: most clusters have none, and then one cheap pass over
    // the pods decides (the enforcing plugins take nine tests per pod).
    let Some(flannel) = scenario.endpoints.iter().find(|e| is_flannel(e)) else { return };
    if scenario.endpoints.iter().any(enforces) {
        return;
    }
    let message = format!(
        "The network plugin is flannel (`{}/{}`), which does not implement NetworkPolicy: the API server accepts the {} policies and nothing enforces them, so every connection stays allowed.",
        flannel.namespace,
        flannel.name,
        scenario.policies.len()
    );
    let fix = String::from(
        "Use a plugin that enforces NetworkPolicy: Calico, Cilium or Antrea, or Canal (flannel for networking plus Calico for policy). Check with `kubectl get pods -n kube-system -l k8s-app=calico-node` (or `-l k8s-app=cilium`, `-l app=antrea`).",
    );
    out.push(finding("NP015", None, flannel.span, String::from("metadata.name"), message, fix));
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use crate::lint::testutil::{lint_yaml, with_id};

    fn scenario(extra: &str) -> String {
        format!(
            "
apiVersion: v1
kind: Pod
metadata: {{name: api, namespace: prod, labels: {{app: api}}}}
---
apiVersion: v1
kind: Pod
metadata: {{name: x, namespace: prod, labels: {{team: x}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: allow-team-x, namespace: prod}}
spec:
  podSelector: {{matchLabels: {{app: api}}}}
  ingress: [{{from: [{{podSelector: {{matchLabels: {{team: x}}}}}}]}}]
---
{extra}"
        )
    }

    const DENY_X: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-team-x, namespace: prod}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
";

    #[test]
    fn np012_targeted_deny_names_the_policy_that_still_allows() {
        let findings = lint_yaml(&scenario(DENY_X));
        let f = with_id(&findings, "NP012");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("`prod/allow-team-x`"), "{}", f[0].message);
        let with_rules = DENY_X.to_string() + "  ingress: [{from: [{podSelector: {matchLabels: {team: x}}}]}]\n";
        let f = lint_yaml(&scenario(&with_rules));
        assert!(with_id(&f, "NP012")[0].message.contains("ALLOW the peers"), "{f:#?}");
    }

    #[test]
    fn np012_default_deny_names_are_fine() {
        let deny_all = DENY_X.replace("deny-team-x", "default-deny-all");
        let findings = lint_yaml(&scenario(&deny_all));
        assert!(with_id(&findings, "NP012").is_empty(), "{findings:#?}");
    }

    use alloc::string::ToString;

    const FLANNEL: &str = "apiVersion: v1
kind: Pod
metadata: {name: kube-flannel-ds-abcde, namespace: kube-flannel, labels: {app: flannel}}
";

    #[test]
    fn np015_flannel_alone_does_not_enforce() {
        let findings = lint_yaml(&scenario(FLANNEL));
        let f = with_id(&findings, "NP015");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("kube-flannel/kube-flannel-ds-abcde"), "{}", f[0].message);
        let canal = format!("{FLANNEL}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: canal-x, namespace: kube-system, labels: {{k8s-app: canal}}}}\n");
        let findings = lint_yaml(&scenario(&canal));
        assert!(with_id(&findings, "NP015").is_empty(), "{findings:#?}");
    }
}
