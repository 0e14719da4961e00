//! NP006 (a rule that allows everything in a policy meant to restrict) and
//! NP007 (an ipBlock that covers pod IPs).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::{finding, peer_path, policy_name, rule_path, Cx};
use super::Finding;
use crate::model::{Direction, NetworkPolicy, PeerKind, Rule};

/// Words in a policy name that say it is meant to restrict.
const RESTRICTIVE: &[&str] =
    &["deny", "restrict", "isolat", "only", "limit", "lock", "strict", "block", "secure", "zero-trust", "least"];

pub(crate) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for (pi, policy) in cx.policies() {
        for direction in [Direction::Ingress, Direction::Egress] {
            if !policy.has_type(direction) {
                continue;
            }
            let rules = policy.rules(direction);
            for (ri, rule) in rules.iter().enumerate() {
                allows_everything(pi, policy, direction, rules, ri, rule, out);
                for (j, peer) in rule.peers.iter().enumerate() {
                    ip_block_over_pods(cx, pi, policy, direction, ri, j, &peer.kind, out);
                }
            }
        }
    }
}

/// What an all-allowing rule admits, or `None` if it is narrower.
fn everything(rule: &Rule, direction: Direction) -> Option<String> {
    if !rule.ports.is_empty() {
        return None;
    }
    if rule.peers.is_empty() {
        return Some(format!(
            "has no `{}` peers and no `ports`, so it allows every {} (every pod and every external address) on every port",
            direction.peers_field(),
            match direction {
                Direction::Ingress => "source",
                Direction::Egress => "destination",
            }
        ));
    }
    rule.peers.iter().find_map(|p| match &p.kind {
        PeerKind::Selectors { namespace_selector: Some(ns), pod_selector }
            if ns.is_empty() && pod_selector.as_ref().is_none_or(|s| s.is_empty()) =>
        {
            Some(String::from(
                "has `namespaceSelector: {}` and no `ports`, so it allows every pod of every namespace on every port",
            ))
        }
        PeerKind::IpBlock(b) if b.cidr.prefix_len() == 0 && b.except.is_empty() => Some(format!(
            "has `ipBlock: {{cidr: {}}}` and no `ports`, so it allows every address on every port",
            b.cidr
        )),
        _ => None,
    })
}

/// NP006.
fn allows_everything(
    pi: usize,
    policy: &NetworkPolicy,
    direction: Direction,
    rules: &[Rule],
    ri: usize,
    rule: &Rule,
    out: &mut Vec<Finding>,
) {
    let Some(what) = everything(rule, direction) else { return };
    let narrower: Vec<usize> = (0..rules.len())
        .filter(|&i| i != ri && rules.get(i).is_some_and(|r| everything(r, direction).is_none()))
        .collect();
    let lower = policy.name.to_ascii_lowercase();
    let named = RESTRICTIVE.iter().find(|w| lower.contains(*w));
    let why = match (narrower.is_empty(), named) {
        (false, _) => format!(
            "the policy's other {} rules are narrower, and policies add up, so they have no effect",
            direction.as_str()
        ),
        (true, Some(word)) => format!("yet the policy's name (`{word}`) says it is meant to restrict"),
        (true, None) => return,
    };
    let message = format!("{} of {} {what}: {why}.", rule_path(direction, ri), policy_name(policy));
    let fix = format!(
        "Remove this rule (a leftover `- {{}}` or `{}: []`?), or give it the peers and ports it is meant for, e.g.\n  - {}:\n    - podSelector:\n        matchLabels:\n          app: <client>\n    ports:\n    - protocol: TCP\n      port: <port>\n",
        direction.peers_field(),
        direction.peers_field()
    );
    let mut f = finding("NP006", Some(pi), rule.span, rule_path(direction, ri), message, fix);
    f.related = narrower.iter().filter_map(|&i| rules.get(i)).map(|r| r.span).collect();
    out.push(f);
}

/// NP007: an ipBlock (not `/0`, which means "anywhere" on purpose) that
/// contains IPs of pods on the pod network.
#[allow(clippy::too_many_arguments)]
fn ip_block_over_pods(
    cx: &Cx,
    pi: usize,
    policy: &NetworkPolicy,
    direction: Direction,
    ri: usize,
    j: usize,
    kind: &PeerKind,
    out: &mut Vec<Finding>,
) {
    let PeerKind::IpBlock(block) = kind else { return };
    if block.cidr.prefix_len() == 0 {
        return;
    }
    let covered = cx.in_block_on_pod_network(block);
    if covered.iter().next().is_none() {
        return;
    }
    let ips: Vec<String> = covered
        .iter()
        .filter_map(|i| cx.endpoint(i))
        .flat_map(|e| e.ips.iter().filter(|ip| block.contains(ip)).map(|ip| format!("{ip}")))
        .take(3)
        .collect();
    let message = format!(
        "The ipBlock `{}` in {} of {} covers the IPs of pods {} ({}): pod IPs change whenever a pod is recreated, so this rule will stop matching them (ipBlock is meant for addresses outside the cluster).",
        block.cidr,
        peer_path(direction, ri, j),
        policy_name(policy),
        cx.names_in(&covered),
        ips.join(", ")
    );
    let fix = format!(
        "Select those pods by label with a podSelector (plus a namespaceSelector for other namespaces); if the block is meant for external addresses, exclude the pod network:\n    - ipBlock:\n        cidr: {}\n        except:\n        - <pod CIDR, e.g. 10.244.0.0/16>\n",
        block.cidr
    );
    let mut f = finding("NP007", Some(pi), block.cidr_span, peer_path(direction, ri, j), message, fix);
    f.related = covered.iter().filter_map(|i| cx.endpoint(i)).map(|e| e.span).take(5).collect();
    out.push(f);
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use crate::lint::testutil::{lint_yaml, with_id};

    fn policy(name: &str, rules: &str) -> String {
        format!(
            "
apiVersion: v1
kind: Pod
metadata: {{name: api, namespace: prod, labels: {{app: api}}}}
status: {{podIP: 10.244.1.5}}
---
apiVersion: v1
kind: Pod
metadata: {{name: web, namespace: prod, labels: {{app: web}}}}
status: {{podIP: 10.244.1.6}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: {name}, namespace: prod}}
spec:
  podSelector: {{matchLabels: {{app: api}}}}
  ingress:
{rules}"
        )
    }

    const NARROW: &str = "  - from: [{podSelector: {matchLabels: {app: web}}}]\n    ports: [{port: 8080}]\n";

    #[test]
    fn np006_empty_rule_next_to_narrower_rules() {
        let findings = lint_yaml(&policy("api", &format!("{NARROW}  - {{}}\n")));
        let f = with_id(&findings, "NP006");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert_eq!(f[0].path, "spec.ingress[1]");
        assert_eq!(f[0].related.len(), 1);
        let ns_all = lint_yaml(&policy("api", &format!("{NARROW}  - from: [{{namespaceSelector: {{}}}}]\n")));
        assert_eq!(with_id(&ns_all, "NP006").len(), 1, "{ns_all:#?}");
    }

    #[test]
    fn np006_alone_only_when_the_name_says_restrict() {
        let restrict = lint_yaml(&policy("api-restrict", "  - from: []\n"));
        assert_eq!(with_id(&restrict, "NP006").len(), 1, "{restrict:#?}");
        let allow_all = lint_yaml(&policy("allow-all", "  - {}\n"));
        assert!(with_id(&allow_all, "NP006").is_empty(), "{allow_all:#?}");
        let with_ports = lint_yaml(&policy("api-restrict", &format!("{NARROW}  - ports: [{{port: 9090}}]\n")));
        assert!(with_id(&with_ports, "NP006").is_empty(), "{with_ports:#?}");
    }

    #[test]
    fn np007_ipblock_over_pod_ips_names_the_pods() {
        let findings = lint_yaml(&policy("api", "  - from: [{ipBlock: {cidr: 10.244.1.0/24}}]\n"));
        let f = with_id(&findings, "NP007");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("`prod/api`, `prod/web`"), "{}", f[0].message);
        let excepted =
            lint_yaml(&policy("api", "  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.244.0.0/16]}}]\n"));
        assert!(with_id(&excepted, "NP007").is_empty(), "{excepted:#?}");
        let anywhere =
            lint_yaml(&policy("api", "  - from: [{ipBlock: {cidr: 0.0.0.0/0}}]\n    ports: [{port: 443}]\n"));
        assert!(with_id(&anywhere, "NP007").is_empty(), "{anywhere:#?}");
    }
}
