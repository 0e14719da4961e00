#!/usr/bin/env python3
"""Writes the cluster-tier conformance cases (1xx-anp-*): ClusterNetworkPolicy
(policy.networking.k8s.io/v1alpha2) and the superseded AdminNetworkPolicy /
BaselineAdminNetworkPolicy (v1alpha1), on the same topology and in the same
format as make_cases.py (whose helpers it reuses; see README.md).

Each case transcribes a test of the network-policy-api conformance suite,
kubernetes-sigs/network-policy-api conformance/tests/*.go, onto our x/y/z
topology (upstream uses the gryffindor/slytherin/hufflepuff/ravenclaw
namespaces). The reachability programs were written by hand from those
tests' expectations and the API documentation in
apis/v1alpha2/clusternetworkpolicy_types.go; NOT from our evaluator.

Evaluation order (ClusterNetworkPolicySpec.Tier): Admin tier by ascending
priority, then NetworkPolicy, then Baseline tier, then allow. In a policy the
first matching rule decides; Pass skips the rest of the tier.

Run from this directory: `python3 make_anp_cases.py`.
"""

from make_cases import netpol, write_case

NPAPI = "kubernetes-sigs/network-policy-api conformance/tests"
TYPES = "kubernetes-sigs/network-policy-api apis/v1alpha2/clusternetworkpolicy_types.go"


def cnp(name, tier, priority, subject, ingress="", egress=""):
    body = f"  tier: {tier}\n  priority: {priority}\n  subject:\n{subject}"
    if ingress:
        body += f"  ingress:\n{ingress}"
    if egress:
        body += f"  egress:\n{egress}"
    return f"apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: {name}\nspec:\n{body}"


def ns_subject(ns):
    return f"    namespaces:\n      matchLabels:\n        ns: {ns}\n"


def from_ns(ns, field="from"):
    return f"      {field}:\n        - namespaces:\n            matchLabels:\n              ns: {ns}\n"


ALL_NS = "    namespaces: {}\n"

CASES = []


def case(**kw):
    CASES.append(kw)


case(
    id="101-anp-admin-deny-ingress-tcp",
    source=f"{NPAPI}/admin-network-policy-standard-ingress-tcp-rules.go\n  \"Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected\"",
    notes="Admin tier Deny from y into x on TCP/80 only; other ports and protocols fall through to the default allow.",
    policies=[
        cnp(
            "deny-y-to-x-tcp-80",
            "Admin",
            10,
            ns_subject("x"),
            ingress="    - name: deny-from-y\n      action: Deny\n"
            + from_ns("y")
            + "      protocols:\n        - tcp:\n            destinationPort:\n              number: 80\n",
        )
    ],
    probes={"TCP/80": ["y -> x : 0"], "TCP/81": [], "UDP/80": []},
)

case(
    id="102-anp-admin-deny-overrides-network-policy",
    source=f"{NPAPI}/admin-network-policy-standard-integration.go (CNPAdminTierIntegration)\n  \"Should Deny traffic from slytherin to gryffindor respecting admin CNP\"\n  \"Should Deny traffic to slytherin from gryffindor respecting admin CNP\"",
    notes="x's NetworkPolicy admits ingress from y and egress to y, but the Admin tier denies both first.\nThe NetworkPolicy isolates x: ingress only from y (then denied), egress only to y (then denied).",
    policies=[
        cnp(
            "pass-example",
            "Admin",
            10,
            ns_subject("x"),
            ingress="    - action: Deny\n" + from_ns("y"),
            egress="    - action: Deny\n" + from_ns("y", "to"),
        ),
        netpol(
            "allow-gress-y",
            "x",
            "  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns: y\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              ns: y",
        ),
    ],
    probes={p: ["* -> x : 0", "x -> * : 0"] for p in ("TCP/80", "TCP/81")},
)

case(
    id="103-anp-pass-to-network-policy",
    source=f"{NPAPI}/admin-network-policy-standard-integration.go (CNPAdminTierIntegration)\n  \"Should support a 'pass-ingress' policy for admin CNP and respect the match for network policy\"",
    notes="Priority 10 passes y -> x to the NetworkPolicy tier, so the priority 20 Deny is skipped;\nx's NetworkPolicy then admits only y (upstream: the NP ALLOW takes effect).",
    policies=[
        cnp("pass-example", "Admin", 10, ns_subject("x"), ingress="    - action: Pass\n" + from_ns("y")),
        cnp("deny-later", "Admin", 20, ns_subject("x"), ingress="    - action: Deny\n" + from_ns("y")),
        netpol(
            "allow-from-y",
            "x",
            "  podSelector: {}\n  policyTypes:\n    - Ingress\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns: y",
        ),
    ],
    probes={"TCP/80": ["* -> x : 0", "y -> x : 1"], "UDP/81": ["* -> x : 0", "y -> x : 1"]},
)

case(
    id="104-anp-pass-to-baseline",
    source=f"{NPAPI}/admin-network-policy-standard-integration.go (CNPAdminTierIntegration)\n  \"Should support a 'pass-ingress' policy for admin CNP and respect the match for baseline cluster network policy\"\n  \"Should support a 'pass-egress' policy for admin CNP and respect the match for baseline cluster network policy\"",
    notes="No NetworkPolicy: what the Admin tier passes reaches the Baseline Deny (upstream: the baseline DENY takes effect).\nz is not passed and matches no baseline rule: allowed by default.",
    policies=[
        cnp(
            "pass-example",
            "Admin",
            10,
            ns_subject("x"),
            ingress="    - action: Pass\n" + from_ns("y"),
            egress="    - action: Pass\n" + from_ns("y", "to"),
        ),
        cnp(
            "default",
            "Baseline",
            10,
            ns_subject("x"),
            ingress="    - action: Deny\n" + from_ns("y"),
            egress="    - action: Deny\n" + from_ns("y", "to"),
        ),
    ],
    probes={"TCP/80": ["y -> x : 0", "x -> y : 0"]},
)

case(
    id="105-anp-priority-order",
    source=f"{NPAPI}/admin-network-policy-standard-priority.go\n  (lower priority values are evaluated first; {TYPES}, Priority)",
    notes="Priority 5 accepts y/a into x; priority 50 denies all of y. y/a is accepted before the deny is reached.\nThe Accept is final: it also beats the priority 50 Deny for y/a on every port.",
    policies=[
        cnp("deny-y", "Admin", 50, ns_subject("x"), ingress="    - action: Deny\n" + from_ns("y")),
        cnp(
            "accept-y-a",
            "Admin",
            5,
            ns_subject("x"),
            ingress="    - action: Accept\n      from:\n        - pods:\n            namespaceSelector:\n              matchLabels:\n                ns: y\n            podSelector:\n              matchLabels:\n                pod: a\n",
        ),
    ],
    probes={"TCP/80": ["y -> x : 0", "y/a -> x : 1"], "SCTP/81": ["y -> x : 0", "y/a -> x : 1"]},
)

case(
    id="106-anp-port-range-and-named-port",
    source=f"{NPAPI}/admin-network-policy-standard-port-range-rules.go and\n{NPAPI}/admin-network-policy-experimental-egress-rules.go (destinationNamedPort)",
    notes="x's egress: rule 0 accepts z on the named port serve-81-tcp (TCP/81 on every pod);\nrule 1 denies every namespace on TCP 80-81. First matching rule decides.\nUDP is not matched by either rule.",
    policies=[
        cnp(
            "ports",
            "Admin",
            1,
            ns_subject("x"),
            egress="    - action: Accept\n"
            + from_ns("z", "to")
            + "      protocols:\n        - destinationNamedPort: serve-81-tcp\n"
            + "    - action: Deny\n      to:\n        - namespaces: {}\n"
            + "      protocols:\n        - tcp:\n            destinationPort:\n              range:\n                start: 80\n                end: 81\n",
        )
    ],
    probes={"TCP/80": ["x -> * : 0"], "TCP/81": ["x -> * : 0", "x -> z : 1"], "UDP/80": []},
)

case(
    id="107-anp-v1alpha1-baseline-under-network-policy",
    source=f"{NPAPI}/baseline-admin-network-policy-core-ingress-tcp-rules.go and\n{NPAPI}/admin-network-policy-core-integration.go (BaselineAdminNetworkPolicy v1alpha1)",
    notes="The v1alpha1 BaselineAdminNetworkPolicy denies TCP/80 between all pods; x's allow-all NetworkPolicy\noverrides it for ingress into x. Other ports are not matched by the baseline rule.",
    policies=[
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: default\nspec:\n  subject:\n    namespaces: {}\n  ingress:\n    - name: deny-80\n      action: Deny\n      from:\n        - namespaces: {}\n      ports:\n        - portNumber:\n            protocol: TCP\n            port: 80\n",
        netpol("allow-all", "x", "  podSelector: {}\n  ingress:\n    - {}"),
    ],
    probes={"TCP/80": ["* -> * : 0", "* -> x : 1"], "TCP/81": []},
)

case(
    id="108-anp-v1alpha1-egress-networks",
    source=f"{NPAPI}/admin-network-policy-standard-egress-inline-cidr-rules.go (AdminNetworkPolicy v1alpha1)\n  networks also match pod IPs ({TYPES}, Networks)",
    notes="x's egress: Allow to 10.0.2.1/32 (y/a) first, then Deny to 10.0.2.0/24 (all of y) on TCP 80-81.",
    policies=[
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: cidrs\nspec:\n  priority: 3\n  subject:\n    namespaces:\n      matchLabels:\n        ns: x\n  egress:\n    - action: Allow\n      to:\n        - networks: [10.0.2.1/32]\n    - action: Deny\n      to:\n        - networks: [10.0.2.0/24]\n      ports:\n        - portRange:\n            protocol: TCP\n            start: 80\n            end: 81\n",
    ],
    probes={"TCP/80": ["x -> y : 0", "x -> y/a : 1"], "UDP/80": []},
)


if __name__ == "__main__":
    for c in CASES:
        write_case(c)
    print(f"wrote {len(CASES)} cases")
