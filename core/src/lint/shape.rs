//! Findings about a policy's overall shape: NP008 (deny-all in kube-system),
//! NP009 (`extensions/v1beta1`) and NP016 (rules of a direction that
//! `policyTypes` leaves out, which the API ignores).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::{finding, join, policy_name, Cx};
use super::dns::is_dns;
use super::Finding;
use crate::model::{Direction, NetworkPolicy, PolicyApiVersion};

pub(crate) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for (pi, policy) in cx.policies() {
        kube_system_deny_all(cx, pi, policy, out);
        if policy.api_version == PolicyApiVersion::ExtensionsV1beta1 {
            let message = format!(
                "{} uses `apiVersion: extensions/v1beta1`, removed in Kubernetes 1.16: every current API server rejects it, so it is never applied.",
                policy_name(policy)
            );
            let fix = String::from("Change the first line to `apiVersion: networking.k8s.io/v1`; the fields and their meaning are the same.");
            out.push(finding("NP009", Some(pi), policy.span, String::from("apiVersion"), message, fix));
        }
        ignored_rules(pi, policy, out);
    }
}

/// The directions for which `policy` is a deny-all in kube-system
/// (`podSelector: {}`, the type listed, no rule); empty if it is not one.
pub(crate) fn kube_system_denied(policy: &NetworkPolicy) -> Vec<&'static str> {
    if policy.namespace != "kube-system" || !policy.pod_selector.is_empty() {
        return Vec::new();
    }
    [Direction::Ingress, Direction::Egress]
        .into_iter()
        .filter(|&d| policy.has_type(d) && policy.rules(d).is_empty())
        .map(Direction::as_str)
        .collect()
}

/// NP008: `podSelector: {}` in kube-system with a direction isolated and no
/// rule for it.
fn kube_system_deny_all(cx: &Cx, pi: usize, policy: &NetworkPolicy, out: &mut Vec<Finding>) {
    let denied = kube_system_denied(policy);
    if denied.is_empty() {
        return;
    }
    let pods = cx.selected(pi);
    let dns: Vec<usize> = pods.iter().copied().filter(|&i| cx.endpoint(i).is_some_and(is_dns)).collect();
    let components =
        if pods.is_empty() { String::from("CoreDNS and the other cluster add-ons") } else { cx.names(pods) };
    let dns_effect = if denied.contains(&"ingress") {
        format!(
            "; {} no longer answers, so every pod in the cluster fails DNS lookups",
            if dns.is_empty() { String::from("CoreDNS") } else { cx.names(&dns) }
        )
    } else {
        String::from("; they can no longer reach the API server or upstream DNS")
    };
    let message = format!(
        "{} denies all {} traffic of every pod in kube-system ({components}){dns_effect}.",
        policy_name(policy),
        denied.join(" and ")
    );
    let fix = String::from(
        "Leave kube-system out of namespace-wide default deny. If you must restrict it, allow what its components need, starting with DNS:
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: kube-system-allow-dns
  namespace: kube-system
spec:
  podSelector:
    matchLabels:
      k8s-app: kube-dns
  policyTypes:
  - Ingress
  ingress:
  - ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
",
    );
    let mut f = finding("NP008", Some(pi), policy.span, String::from("spec.podSelector"), message, fix);
    f.related = dns.iter().filter_map(|&i| cx.endpoint(i)).map(|e| e.span).collect();
    out.push(f);
}

/// NP016: an explicit `policyTypes` without a direction that has rules.
fn ignored_rules(pi: usize, policy: &NetworkPolicy, out: &mut Vec<Finding>) {
    if !policy.policy_types.explicit {
        return;
    }
    for direction in [Direction::Ingress, Direction::Egress] {
        let rules = policy.rules(direction);
        let (Some(first), Some(last)) = (rules.first(), rules.last()) else { continue };
        if policy.has_type(direction) {
            continue;
        }
        let kind = match direction {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        };
        let message = format!(
            "{} has {} {} rule(s) but `policyTypes` does not list `{kind}`, so they are ignored: they neither isolate nor allow anything.",
            policy_name(policy),
            rules.len(),
            direction.as_str()
        );
        let fix = format!("Add `- {kind}` to `spec.policyTypes`, or delete the `{}` section.", direction.as_str());
        let span = join(first.span, last.span);
        out.push(finding("NP016", Some(pi), span, format!("spec.{}", direction.as_str()), message, fix));
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use crate::lint::testutil::{lint_yaml, with_id};

    fn policy(api: &str, namespace: &str, spec: &str) -> String {
        format!(
            "
apiVersion: v1
kind: Pod
metadata: {{name: coredns, namespace: kube-system, labels: {{k8s-app: kube-dns}}}}
---
apiVersion: {api}
kind: NetworkPolicy
metadata: {{name: p, namespace: {namespace}}}
spec:
{spec}"
        )
    }

    const DENY_ALL: &str = "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n";

    #[test]
    fn np008_deny_all_in_kube_system_names_coredns() {
        let findings = lint_yaml(&policy("networking.k8s.io/v1", "kube-system", DENY_ALL));
        let f = with_id(&findings, "NP008");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("ingress and egress"), "{}", f[0].message);
        assert!(f[0].message.contains("`kube-system/coredns` no longer answers"), "{}", f[0].message);
        let elsewhere = lint_yaml(&policy("networking.k8s.io/v1", "prod", DENY_ALL));
        assert!(with_id(&elsewhere, "NP008").is_empty(), "{elsewhere:#?}");
        let targeted = lint_yaml(&policy(
            "networking.k8s.io/v1",
            "kube-system",
            "  podSelector: {matchLabels: {k8s-app: kube-dns}}\n  ingress: [{ports: [{port: 53, protocol: UDP}, {port: 53}]}]\n",
        ));
        assert!(with_id(&targeted, "NP008").is_empty(), "{targeted:#?}");
    }

    #[test]
    fn np009_extensions_v1beta1() {
        let old = lint_yaml(&policy("extensions/v1beta1", "prod", DENY_ALL));
        assert_eq!(with_id(&old, "NP009").len(), 1, "{old:#?}");
        let new = lint_yaml(&policy("networking.k8s.io/v1", "prod", DENY_ALL));
        assert!(with_id(&new, "NP009").is_empty(), "{new:#?}");
    }

    #[test]
    fn np016_egress_rules_without_egress_type_are_ignored() {
        let spec = "  podSelector: {}\n  policyTypes: [Ingress]\n  egress: [{ports: [{port: 443}]}]\n";
        let findings = lint_yaml(&policy("networking.k8s.io/v1", "prod", spec));
        let f = with_id(&findings, "NP016");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert_eq!(f[0].path, "spec.egress");
        let defaulted = "  podSelector: {}\n  egress: [{ports: [{port: 443}]}]\n";
        let ok = lint_yaml(&policy("networking.k8s.io/v1", "prod", defaulted));
        assert!(with_id(&ok, "NP016").is_empty(), "{ok:#?}");
    }
}
