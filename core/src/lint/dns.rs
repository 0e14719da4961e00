//! NP001 (egress isolation without DNS) and NP005 (port 53 with one protocol).
//!
//! Whether a pod can reach DNS is asked of the evaluator: the source's egress
//! side of a flow to each DNS pod on UDP/53 and TCP/53. The destination's
//! ingress is NP008's business (a deny-all in kube-system), not this one's.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::context::{finding, join, policy_name, rule_path, Cx};
use super::index::SortedMap;
use super::Finding;
use crate::eval::evaluate;
use crate::explain::{Flow, FlowEnd};
use crate::labels::Labels;
use crate::model::{
    ContainerPort, Direction, Endpoint, EndpointKind, NetworkPolicy, PortRef, PortSpec, Protocol, Rule, Scenario,
};
use crate::Probe;

const KUBE_SYSTEM: &str = "kube-system";

/// The standard allow-DNS policy for `namespace`.
pub(crate) fn allow_dns_yaml(namespace: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: {namespace}
spec:
  podSelector: {{}}
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
"
    )
}

/// Whether `e` is the cluster DNS: a kube-dns/CoreDNS pod in kube-system.
fn is_cluster_dns(e: &Endpoint) -> bool {
    e.namespace == KUBE_SYSTEM && matches!(e.labels.get("k8s-app").map(String::as_str), Some("kube-dns" | "coredns"))
}

/// Whether `e` is a DNS server: the cluster DNS, or any endpoint declaring
/// port 53.
pub(crate) fn is_dns(e: &Endpoint) -> bool {
    is_cluster_dns(e) || e.ports.iter().any(|p| p.port == 53)
}

/// At most this many DNS servers are tried per pod (a cluster has a couple;
/// this bounds the work when many pods declare port 53).
const MAX_DNS_TARGETS: usize = 8;

/// The scenario's DNS endpoints (the cluster DNS if present, else endpoints
/// declaring port 53), or, when it has none, a copy of the scenario with the
/// kube-dns pod every cluster has (kube-system, `k8s-app=kube-dns`, UDP and
/// TCP 53), so that rules written for it (`namespaceSelector` on
/// kube-system) can be checked.
fn dns_targets(scenario: &Scenario) -> (Vec<usize>, Option<Scenario>) {
    let pick = |test: fn(&Endpoint) -> bool| -> Vec<usize> {
        scenario.endpoints.iter().enumerate().filter(|(_, e)| test(e)).map(|(i, _)| i).take(MAX_DNS_TARGETS).collect()
    };
    let cluster = pick(is_cluster_dns);
    let real = if cluster.is_empty() { pick(is_dns) } else { cluster };
    if !real.is_empty() {
        return (real, None);
    }
    let mut with_dns = scenario.clone();
    let mut labels = Labels::new();
    labels.insert("k8s-app".to_string(), "kube-dns".to_string());
    let port = |name: &str, protocol| ContainerPort { name: Some(name.to_string()), port: 53, protocol };
    with_dns.endpoints.push(Endpoint {
        namespace: KUBE_SYSTEM.to_string(),
        name: "kube-dns".to_string(),
        kind: EndpointKind::Pod,
        labels,
        ips: Vec::new(),
        ports: Vec::from([port("dns", Protocol::Udp), port("dns-tcp", Protocol::Tcp)]),
        host_network: false,
        span: Default::default(),
    });
    with_dns.normalize();
    (Vec::from([scenario.endpoints.len()]), Some(with_dns))
}

/// What a pod cannot do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Failure {
    /// No DNS over UDP (and maybe not over TCP either): every lookup fails.
    Udp,
    /// UDP works, TCP does not: large answers fail.
    TcpOnly,
}

pub(crate) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    let one_protocol = one_protocol_rules(cx);
    no_dns(cx, &one_protocol, out);
    for f in one_protocol {
        out.push(f.finding);
    }
}

/// NP001: groups the pods that cannot resolve names by the first policy
/// isolating them for egress.
fn no_dns(cx: &Cx, one_protocol: &[OneProtocol], out: &mut Vec<Finding>) {
    let scenario = cx.scenario;
    let (targets, synthetic) = dns_targets(scenario);
    let eval_on = synthetic.as_ref().unwrap_or(scenario);
    // The failing endpoints by (isolating policy, failure), ascending.
    let mut failing: SortedMap<(usize, Failure), Vec<usize>> = SortedMap::new();
    // Endpoints selected by the same egress policies get the same verdicts
    // towards the same targets: evaluate once per such group.
    type Verdicts = ((bool, Option<usize>), bool);
    let mut seen: SortedMap<&[u32], Verdicts> = SortedMap::new();
    for (index, e) in scenario.endpoints.iter().enumerate() {
        if e.host_network || targets.contains(&index) {
            continue;
        }
        let egress = |protocol| {
            let mut isolating = None;
            let ok = targets.iter().any(|&t| {
                let flow =
                    Flow { from: FlowEnd::Endpoint(index), to: FlowEnd::Endpoint(t), probe: Probe::new(protocol, 53) };
                let side = evaluate(eval_on, &flow).egress;
                isolating = side.policies.first().map(|p| p.policy);
                side.allowed
            });
            (ok, isolating)
        };
        let key = cx.egress_key(index);
        let known = key.and_then(|k| seen.get(&k)).copied();
        let ((udp, isolating), tcp) = match known {
            Some(v) => v,
            None => {
                let udp = egress(Protocol::Udp);
                // TCP matters only for an isolated endpoint.
                let tcp = udp.1.is_some() && egress(Protocol::Tcp).0;
                if let Some(k) = key {
                    seen.insert(k, (udp, tcp));
                }
                (udp, tcp)
            }
        };
        let Some(policy) = isolating else { continue };
        let failure = match (udp, tcp) {
            (false, _) => Failure::Udp,
            (true, false) => Failure::TcpOnly,
            (true, true) => continue,
        };
        // A UDP-only port 53 rule in a policy isolating this pod is NP005's
        // finding, with the exact line; do not say it twice.
        if failure == Failure::TcpOnly && one_protocol.iter().any(|o| o.udp_only && selects(cx, o.policy, index)) {
            continue;
        }
        match failing.get_mut(&(policy, failure)) {
            Some(pods) => pods.push(index),
            None => failing.insert((policy, failure), Vec::from([index])),
        }
    }
    let dns_names = match synthetic {
        Some(_) => {
            String::from("kube-dns (the scenario has no DNS pod; assumed in kube-system, labelled k8s-app=kube-dns)")
        }
        None => cx.names(&targets),
    };
    for (&(pi, failure), pods) in failing.iter() {
        let Some(policy) = scenario.policies.get(pi) else { continue };
        if super::shape::kube_system_denied(policy).contains(&"egress") {
            // NP008 reports this deny-all, DNS included.
            continue;
        }
        let (span, path) = egress_span(policy);
        let consequence = match failure {
            Failure::Udp => "on UDP/53: every DNS lookup will time out, so connections by Service name fail even where the policies allow them",
            Failure::TcpOnly => "on TCP/53: DNS answers too large for UDP (many records, DNSSEC) will fail",
        };
        let message = format!(
            "{} {} isolated for egress by {} and cannot reach {dns_names} {consequence}.",
            cx.names(pods),
            if pods.len() == 1 { "is" } else { "are" },
            policy_name(policy),
        );
        let fix = format!(
            "Allow DNS for the namespace with one more policy (policies add up):\n{}",
            allow_dns_yaml(&policy.namespace)
        );
        let mut f = finding("NP001", Some(pi), span, path, message, fix);
        f.related = targets.iter().filter_map(|&t| scenario.endpoints.get(t)).map(|e| e.span).collect();
        out.push(f);
    }
}

fn selects(cx: &Cx, policy: usize, endpoint: usize) -> bool {
    // Ascending (built in endpoint order).
    cx.selected(policy).binary_search(&endpoint).is_ok()
}

/// The egress rules (or the whole policy when it has none) and their path.
fn egress_span(policy: &NetworkPolicy) -> (crate::Span, String) {
    match (policy.egress.first(), policy.egress.last()) {
        (Some(first), Some(last)) => (join(first.span, last.span), String::from("spec.egress")),
        _ => (policy.span, String::from("spec.policyTypes")),
    }
}

/// An NP005 finding, kept with what NP001 needs to avoid repeating it.
struct OneProtocol {
    policy: usize,
    udp_only: bool,
    finding: Finding,
}

/// Whether `p` is exactly port 53 of `protocol`.
fn is_53(p: &PortSpec, protocol: Protocol) -> bool {
    p.protocol == protocol && p.port == Some(PortRef::Number(53)) && p.end_port.is_none_or(|e| e == 53)
}

/// Whether `rule` admits port 53 of `protocol` at all (no ports, a
/// protocol-wide entry, a number or a range covering 53).
fn admits_53(rule: &Rule, protocol: Protocol) -> bool {
    rule.ports.is_empty()
        || rule.ports.iter().any(|p| {
            p.protocol == protocol
                && match &p.port {
                    None => true,
                    Some(PortRef::Number(n)) => crate::eval::number_covers(*n, p.end_port, 53),
                    Some(PortRef::Name(_)) => false,
                }
        })
}

/// NP005: a rule listing port 53 for one protocol, in a policy where no rule
/// of the same direction admits 53 over the other.
fn one_protocol_rules(cx: &Cx) -> Vec<OneProtocol> {
    let mut out = Vec::new();
    for (pi, policy) in cx.policies() {
        for direction in [Direction::Ingress, Direction::Egress] {
            let rules = policy.rules(direction);
            for (ri, rule) in rules.iter().enumerate() {
                for (have, missing) in [(Protocol::Udp, Protocol::Tcp), (Protocol::Tcp, Protocol::Udp)] {
                    let Some((ki, entry)) = rule.ports.iter().enumerate().find(|(_, p)| is_53(p, have)) else {
                        continue;
                    };
                    if rules.iter().any(|r| admits_53(r, missing)) {
                        continue;
                    }
                    let effect = match have {
                        Protocol::Udp => "DNS answers too large for UDP fall back to TCP/53 and will fail, intermittently and only for some names",
                        _ => "ordinary DNS queries use UDP/53 and will all fail",
                    };
                    let message = format!(
                        "{} of {} opens port 53 over {have} only: {effect}.",
                        rule_path(direction, ri),
                        policy_name(policy)
                    );
                    let fix = format!(
                        "Add the other protocol next to it in `ports`:\n    - protocol: {have}\n      port: 53\n    - protocol: {missing}\n      port: 53\n"
                    );
                    let path = format!("{}.ports[{ki}]", rule_path(direction, ri));
                    out.push(OneProtocol {
                        policy: pi,
                        udp_only: have == Protocol::Udp,
                        finding: finding("NP005", Some(pi), entry.span, path, message, fix),
                    });
                }
            }
        }
    }
    out
}

/// `ns/name` of the DNS endpoints, for tests.
#[cfg(test)]
fn dns_names(scenario: &Scenario) -> Vec<String> {
    scenario.endpoints.iter().filter(|e| is_dns(e)).map(super::context::endpoint_name).collect()
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;
    use crate::lint::testutil::{lint_yaml, with_id};

    const CLUSTER: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec: {containers: [{name: c, image: coredns, ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
---
";

    const DENY_EGRESS: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: prod}
spec:
  podSelector: {}
  policyTypes: [Egress]
";

    #[test]
    fn np001_deny_egress_without_dns_is_reported_with_the_pods() {
        let findings = lint_yaml(&format!("{CLUSTER}{DENY_EGRESS}"));
        let f = with_id(&findings, "NP001");
        assert_eq!(f.len(), 1, "{findings:#?}");
        let msg = &f[0].message;
        assert!(msg.contains("`prod/web`") && msg.contains("kube-system/coredns") && msg.contains("UDP/53"), "{msg}");
        assert!(f[0].fix.contains("k8s-app: kube-dns") && f[0].fix.contains("protocol: TCP"));
        assert_eq!(f[0].policy, Some(0));
    }

    #[test]
    fn np001_not_reported_when_dns_is_allowed_on_both_protocols() {
        let allow = allow_dns_yaml("prod");
        let findings = lint_yaml(&format!("{CLUSTER}{DENY_EGRESS}---\n{allow}"));
        assert!(with_id(&findings, "NP001").is_empty(), "{findings:#?}");
        assert!(with_id(&findings, "NP005").is_empty(), "{findings:#?}");
    }

    #[test]
    fn np001_without_dns_pods_assumes_kube_dns_in_kube_system() {
        let web = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: prod}\n---\n";
        let findings = lint_yaml(&format!("{web}{DENY_EGRESS}"));
        assert_eq!(with_id(&findings, "NP001").len(), 1, "{findings:#?}");
        let allowed = lint_yaml(&format!("{web}{DENY_EGRESS}---\n{}", allow_dns_yaml("prod")));
        assert!(with_id(&allowed, "NP001").is_empty(), "{allowed:#?}");
    }

    #[test]
    fn np001_not_reported_for_pods_not_isolated_for_egress() {
        let ingress_only = DENY_EGRESS.replace("[Egress]", "[Ingress]");
        let findings = lint_yaml(&format!("{CLUSTER}{ingress_only}"));
        assert!(with_id(&findings, "NP001").is_empty(), "{findings:#?}");
        assert_eq!(dns_names(&crate::parse::parse_str(CLUSTER).scenario), ["kube-system/coredns"]);
    }

    fn dns_rule(ports: &str) -> String {
        format!(
            "{CLUSTER}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: dns, namespace: prod}}
spec:
  podSelector: {{}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: kube-system}}}}
    ports: {ports}
"
        )
    }

    #[test]
    fn np005_udp_only_is_reported_once_and_not_as_np001() {
        let findings = lint_yaml(&dns_rule("[{protocol: UDP, port: 53}]"));
        let f = with_id(&findings, "NP005");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("over UDP only"), "{}", f[0].message);
        assert_eq!(f[0].path, "spec.egress[0].ports[0]");
        assert!(with_id(&findings, "NP001").is_empty(), "{findings:#?}");
    }

    #[test]
    fn np005_tcp_only_breaks_every_lookup_so_np001_fires_too() {
        let findings = lint_yaml(&dns_rule("[{protocol: TCP, port: 53}]"));
        assert_eq!(with_id(&findings, "NP005").len(), 1, "{findings:#?}");
        assert_eq!(with_id(&findings, "NP001").len(), 1, "{findings:#?}");
    }

    #[test]
    fn np005_not_reported_when_the_other_protocol_is_in_another_rule() {
        let two_rules = dns_rule("[{protocol: UDP, port: 53}]")
            + "  - to:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n    ports: [{protocol: TCP, port: 53}]\n";
        let findings = lint_yaml(&two_rules);
        assert!(with_id(&findings, "NP005").is_empty(), "{findings:#?}");
        assert!(with_id(&findings, "NP001").is_empty(), "{findings:#?}");
    }
}
