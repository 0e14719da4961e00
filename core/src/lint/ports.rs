//! NP004: a named port that no destination pod declares.
//!
//! Per the API reference (NetworkPolicyPort.port), a name resolves against
//! the destination's container ports, with the entry's protocol, for ingress
//! and egress rules alike: for ingress the destination is a pod the policy
//! selects; for egress, a pod the rule's peers admit.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::{finding, policy_name, rule_path, Cx};
use super::Finding;
use crate::model::{Direction, PortRef, Rule};

pub(crate) fn check(cx: &Cx, out: &mut Vec<Finding>) {
    for (pi, policy) in cx.policies() {
        for direction in [Direction::Ingress, Direction::Egress] {
            for (ri, rule) in policy.rules(direction).iter().enumerate() {
                if !rule.ports.iter().any(|p| matches!(p.port, Some(PortRef::Name(_)))) {
                    continue;
                }
                let destinations = match direction {
                    Direction::Ingress => cx.selected(pi).to_vec(),
                    Direction::Egress => egress_destinations(cx, &policy.namespace, rule),
                };
                if destinations.is_empty() {
                    // Nothing to resolve against: NP002/NP003 say why.
                    continue;
                }
                for (ki, spec) in rule.ports.iter().enumerate() {
                    let Some(PortRef::Name(name)) = &spec.port else { continue };
                    let declares =
                        |i: &usize| cx.endpoint(*i).and_then(|e| e.resolve_named_port(name, spec.protocol)).is_some();
                    if destinations.iter().any(declares) {
                        continue;
                    }
                    let other_protocol: Vec<String> = destinations
                        .iter()
                        .filter_map(|&i| cx.endpoint(i))
                        .flat_map(|e| {
                            e.ports.iter().filter(|p| p.name.as_deref() == Some(name.as_str())).map(move |p| {
                                format!("`{}/{}` declares it as {}/{}", e.namespace, e.name, p.protocol, p.port)
                            })
                        })
                        .collect();
                    let whose = match direction {
                        Direction::Ingress => "the pods the policy selects",
                        Direction::Egress => "the pods this rule's peers admit",
                    };
                    let mut message = format!(
                        "Named port `{name}` ({}) in {} of {} is declared by none of {whose} ({}), so this port entry matches no traffic.",
                        spec.protocol,
                        rule_path(direction, ri),
                        policy_name(policy),
                        cx.names(&destinations)
                    );
                    let fix = if other_protocol.is_empty() {
                        format!(
                            "Declare the port on the destination pods (`ports: [{{name: {name}, containerPort: <number>}}]` in the container), or write the port number instead of the name."
                        )
                    } else {
                        message.push_str(&format!(" Only with another protocol: {}.", other_protocol.join("; ")));
                        String::from("Set `protocol` on the port entry to the protocol the pods declare.")
                    };
                    let path = format!("{}.ports[{ki}]", rule_path(direction, ri));
                    out.push(finding("NP004", Some(pi), spec.span, path, message, fix));
                }
            }
        }
    }
}

/// The endpoints an egress rule may connect to (every endpoint when the rule
/// has no peer list).
fn egress_destinations(cx: &Cx, namespace: &str, rule: &Rule) -> Vec<usize> {
    if rule.peers.is_empty() {
        return (0..cx.scenario.endpoints.len()).collect();
    }
    let mut peers = rule.peers.iter().map(|p| cx.admitted(namespace, p));
    let Some(mut all) = peers.next() else { return Vec::new() };
    for admitted in peers {
        all.union_with(&admitted);
    }
    all.iter().collect()
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use alloc::format;
    use alloc::string::String;

    use crate::lint::testutil::{lint_yaml, with_id};

    fn scenario(direction: &str, port: &str) -> String {
        let peers = if direction == "ingress" { "from" } else { "to" };
        format!(
            "
apiVersion: v1
kind: Pod
metadata: {{name: api, namespace: prod, labels: {{app: api}}}}
spec: {{containers: [{{name: c, image: x, ports: [{{name: http, containerPort: 8080}}, {{name: dns, containerPort: 53, protocol: UDP}}]}}]}}
---
apiVersion: v1
kind: Pod
metadata: {{name: web, namespace: prod, labels: {{app: web}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: p, namespace: prod}}
spec:
  podSelector: {{matchLabels: {{app: {sel}}}}}
  policyTypes: [Ingress, Egress]
  {direction}:
  - {peers}: [{{podSelector: {{matchLabels: {{app: {peer}}}}}}}]
    ports: [{port}]
",
            sel = if direction == "ingress" { "api" } else { "web" },
            peer = if direction == "ingress" { "web" } else { "api" },
        )
    }

    #[test]
    fn np004_ingress_named_port_resolves_on_the_selected_pods() {
        let bad = lint_yaml(&scenario("ingress", "{port: metrics}"));
        let f = with_id(&bad, "NP004");
        assert_eq!(f.len(), 1, "{bad:#?}");
        assert!(f[0].message.contains("`metrics`") && f[0].message.contains("`prod/api`"), "{}", f[0].message);
        let good = lint_yaml(&scenario("ingress", "{port: http}"));
        assert!(with_id(&good, "NP004").is_empty(), "{good:#?}");
    }

    #[test]
    fn np004_egress_named_port_resolves_on_the_peers_and_checks_protocol() {
        let wrong_protocol = lint_yaml(&scenario("egress", "{port: dns}"));
        let f = with_id(&wrong_protocol, "NP004");
        assert_eq!(f.len(), 1, "{wrong_protocol:#?}");
        assert!(f[0].message.contains("declares it as UDP/53"), "{}", f[0].message);
        let good = lint_yaml(&scenario("egress", "{port: dns, protocol: UDP}"));
        assert!(with_id(&good, "NP004").is_empty(), "{good:#?}");
    }
}
