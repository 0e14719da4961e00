//! The catalogue: one entry per lint rule, with the paragraph shown in help
//! and documentation. Ids are stable: never renumber, only add.

use super::{Rule, Severity};

/// Every lint rule, by id.
pub const RULES: &[Rule] = &[
    Rule {
        id: "NP001",
        severity: Severity::Warning,
        title: "egress isolation without DNS",
        explanation: "A pod that some policy isolates for egress can only open the connections an egress rule allows, and that includes DNS. Pods find Services by name through kube-dns (CoreDNS, pods labelled k8s-app=kube-dns in kube-system), on UDP port 53 and, for large answers, TCP port 53. If no egress rule allows that, every name lookup times out and the application fails even where the policies allow the connection itself. The check asks the evaluator whether each egress-isolated pod may reach the DNS pods of the scenario (or, when the scenario has none, a kube-dns pod where every cluster has one) on UDP/53 and TCP/53.",
    },
    Rule {
        id: "NP002",
        severity: Severity::Warning,
        title: "selector matches nothing",
        explanation: "A namespaceSelector or podSelector in a from/to entry that matches no namespace or pod of the scenario allows nothing. The usual cause is a namespace that lacks the label the selector needs (namespace labels are set by hand, except kubernetes.io/metadata.name, which the API server sets to the namespace's name), or a podSelector without namespaceSelector, which only looks in the policy's own namespace. The finding names the closest namespace or pod and the label it lacks.",
    },
    Rule {
        id: "NP003",
        severity: Severity::Warning,
        title: "policy selects no pod",
        explanation: "spec.podSelector picks the pods a policy applies to, only in the policy's own namespace. If it matches no pod there, the policy has no effect at all: nothing is isolated and nothing is allowed. Check the labels, and that the policy is in the same namespace as the pods.",
    },
    Rule {
        id: "NP004",
        severity: Severity::Warning,
        title: "named port that no destination declares",
        explanation: "A named port (port: http) is resolved against the container ports of the destination pod, for ingress and egress rules alike: for an ingress rule, the pods the policy selects; for an egress rule, the pods the rule's peers select. If none of them declares a port with that name and protocol, the port entry matches no traffic.",
    },
    Rule {
        id: "NP005",
        severity: Severity::Warning,
        title: "port 53 with only one protocol",
        explanation: "DNS uses UDP port 53 for ordinary queries and TCP port 53 when an answer does not fit in a UDP packet. A rule that opens 53 over TCP only breaks every lookup; over UDP only, it breaks the large answers, which fail intermittently and are hard to diagnose. Allow both.",
    },
    Rule {
        id: "NP006",
        severity: Severity::Warning,
        title: "rule allows everything",
        explanation: "A rule with no from/to (or an empty list) and no ports allows every peer, external addresses included, on every port; a namespaceSelector: {} entry with no ports allows every pod of every namespace. Policies add up, so in a policy that otherwise restricts (it has narrower rules, or its name says it restricts), such a rule makes the narrower rules pointless. It is often a leftover `- {}` or `from: []`.",
    },
    Rule {
        id: "NP007",
        severity: Severity::Warning,
        title: "ipBlock covers pod IPs",
        explanation: "ipBlock is meant for addresses outside the cluster. Pod IPs change whenever a pod is recreated, so a policy that relies on an ipBlock covering them breaks silently later; and whether the CNI applies ipBlocks to pod traffic at all after NAT is implementation-specific. Select pods with podSelector/namespaceSelector, and exclude the pod network from broad blocks with except.",
    },
    Rule {
        id: "NP008",
        severity: Severity::Warning,
        title: "deny-all in kube-system",
        explanation: "A default-deny policy (podSelector: {} with no rules for a direction) in kube-system isolates CoreDNS, metrics-server and the other cluster add-ons. Every pod in the cluster then fails DNS lookups, and cluster features that talk to those add-ons stop working. Leave kube-system out of namespace-wide default deny, or allow exactly what its components need (UDP and TCP 53 to kube-dns first).",
    },
    Rule {
        id: "NP009",
        severity: Severity::Warning,
        title: "extensions/v1beta1 NetworkPolicy",
        explanation: "NetworkPolicy in extensions/v1beta1 was deprecated in 1.9 and removed in Kubernetes 1.16: any current API server rejects the object. The semantics are the same in networking.k8s.io/v1, so changing apiVersion is all it takes.",
    },
    Rule {
        id: "NP010",
        severity: Severity::Warning,
        title: "AND vs OR in from/to",
        explanation: "Entries of a from/to list are ORed; the selectors inside one entry are ANDed. A namespaceSelector entry directly followed by a podSelector entry (`- namespaceSelector` / `- podSelector`) admits every pod of the selected namespaces OR the selected pods of the policy's own namespace, which is much more than `pods X in namespaces Y`. One character flips it: delete the `-` before podSelector to make one entry. The reverse (one entry with both selectors where either was meant) is reported as information.",
    },
    Rule {
        id: "NP011",
        severity: Severity::Warning,
        title: "redundant rule",
        explanation: "A rule whose every allowed flow is also allowed by another rule, for the same pods and direction, adds nothing: policies are a union. It is often a leftover, or a sign that the covering rule is broader than intended. The check compares the rules' verdicts, as the evaluator gives them, on every pair of endpoints of the scenario plus representative external addresses, on every port in use and the ports around them; it is skipped for scenarios too large to compare this way.",
    },
    Rule {
        id: "NP012",
        severity: Severity::Warning,
        title: "policy expects deny or ordering",
        explanation: "NetworkPolicy has no deny rule and no order: policies only allow, and a connection is allowed if any policy selecting the pod allows it. A policy named `deny-…` or `block-…` for a particular peer does not take anything away. Its rules allow the peers they name, and without rules it only isolates, while what other policies allow stays allowed. To remove access, narrow the policy that grants it. Deny and priority exist only in CNI-specific resources (Calico, Cilium, Antrea) and in AdminNetworkPolicy. Fields such as `action` or `order` in a NetworkPolicy are rejected by the parser, like the API server rejects them.",
    },
    Rule {
        id: "NP013",
        severity: Severity::Warning,
        title: "namespaceSelector misses the namespace it names",
        explanation: "Two ways a namespaceSelector misses the namespace its author had in mind. By name: it selects kubernetes.io/metadata.name=X and there is no namespace X; a near miss of an existing name is a typo (a warning, with the closest name), otherwise X is simply not part of the scenario (information: add it to see its flows). By label: it asks for a label value that is the very name of a namespace it does not match (purpose=monitoring, and namespace monitoring has no purpose label); that namespace most likely was never labelled, which the API server never complains about. Selectors that match no namespace at all are NP002.",
    },
    Rule {
        id: "NP014",
        severity: Severity::Info,
        title: "policy of another product",
        explanation: "Calico's GlobalNetworkPolicy, Cilium's CiliumNetworkPolicy and similar resources have deny actions and an order; Kubernetes NetworkPolicy has neither. They are not evaluated here, and a cluster without that CNI ignores them. Only the allow-only, additive NetworkPolicy semantics apply to the policies in this playground.",
    },
    Rule {
        id: "NP015",
        severity: Severity::Warning,
        title: "CNI does not enforce NetworkPolicy",
        explanation: "NetworkPolicy is enforced by the network plugin. Flannel on its own does not implement it: the API server accepts the policies and nothing enforces them, so every flow stays allowed. The check looks for flannel pods in the scenario and for a plugin that enforces policies (Calico, Canal, Cilium, Antrea, Weave Net, kube-router).",
    },
    Rule {
        id: "NP016",
        severity: Severity::Warning,
        title: "rules ignored by policyTypes",
        explanation: "When policyTypes is written, it alone decides which directions the policy isolates, and the rules of a direction it does not list are ignored. An egress section in a policy with `policyTypes: [Ingress]` allows nothing and isolates nothing.",
    },
    Rule {
        id: "NP017",
        severity: Severity::Warning,
        title: "cluster-policy rule shadowed",
        explanation: "Cluster policies are consulted in order: the Admin tier by ascending priority, then NetworkPolicies, then the Baseline tier by ascending priority, and inside a policy the first rule that matches decides (Accept and Deny are final, Pass skips the rest of the tier). A rule whose every flow is already decided, or passed, by an earlier rule of the same policy or by a policy consulted before it never applies. It is often a rule written below a broader one, or a priority number that puts the wrong policy first. The check asks the evaluator, on every pair of the scenario's endpoints and representative external addresses and on the ports in use, which rule decides each flow the shadowed rule matches.",
    },
    Rule {
        id: "NP018",
        severity: Severity::Warning,
        title: "Baseline deny overridden by NetworkPolicies",
        explanation: "The Baseline tier comes after NetworkPolicies: it only decides for a pod that no NetworkPolicy isolates in that direction. A Baseline Deny whose every flow reaches a pod isolated by some NetworkPolicy never takes effect; what the NetworkPolicies allow stays allowed. That is the intended use of the Baseline tier (a default that namespace owners may relax), but when it never applies anywhere it is dead weight, or a guardrail that was meant for the Admin tier, which NetworkPolicies cannot override.",
    },
    Rule {
        id: "NP019",
        severity: Severity::Info,
        title: "Admin Pass with nothing below it",
        explanation: "An Admin-tier Pass hands a flow to the NetworkPolicy tier and then the Baseline tier. If no NetworkPolicy isolates the pod and no Baseline rule matches, the flow is allowed by default, so the Pass means the same as Accept. That is fine when namespace owners are expected to add policies later, but it is often a guardrail that assumed some policy below would decide.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_well_formed() {
        for pair in RULES.windows(2) {
            if let [a, b] = pair {
                assert!(a.id < b.id, "{} before {}", a.id, b.id);
            }
        }
        for r in RULES {
            assert!(r.id.len() == 5 && r.id.starts_with("NP"), "{}", r.id);
            assert!(!r.title.is_empty() && r.explanation.len() > 80, "{}", r.id);
            let summary = super::super::severity_and_title(r.id);
            assert_eq!(summary, Some((r.severity, r.title)), "{}: the findings' copy of the catalogue", r.id);
        }
    }
}
