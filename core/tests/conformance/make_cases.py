#!/usr/bin/env python3
"""Writes the conformance corpus: one NNN-name.yaml scenario and one
NNN-name.expect truth table per case.

The expected tables are NOT computed by our evaluator. Each case carries the
`reachability` program of the upstream e2e test it transcribes
(kubernetes/kubernetes test/e2e/network/netpol/network_policy.go), in the
upstream vocabulary, written by hand:

    "* -> x : 0"      ExpectPeer(&Peer{}, &Peer{Namespace: x}, false)
    "x/b -> x/a : 1"  Expect(x/b, x/a, true)
    "* -> x/a : 0"    ExpectAllIngress(x/a, false)
    "x/a -> * : 0"    ExpectAllEgress(x/a, false)

Tables start all-allowed (NewReachability(pods, true)), the statements are
applied in order, and finally every pod may reach itself (AllowLoopback; see
README.md). For probes or pods the upstream test does not cover, the program
was extended by reasoning from the API reference; each such line says so in
the case's comment.

Run from this directory: `python3 make_cases.py` (rewrites every case).
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))

NAMESPACES = ["x", "y", "z"]
PODS = ["a", "b", "c"]
IP = {(ns, p): f"10.0.{i + 1}.{j + 1}" for i, ns in enumerate(NAMESPACES) for j, p in enumerate(PODS)}
UPSTREAM = "kubernetes/kubernetes test/e2e/network/netpol/network_policy.go"
APIREF = "kubernetes.io/docs/reference/kubernetes-api/networking-resources/network-policy-v1"
CONCEPTS = "kubernetes.io/docs/concepts/services-networking/network-policies"


def namespace_yaml(ns, extra_labels):
    labels = {"ns": ns}
    labels.update(extra_labels.get(ns, {}))
    body = "".join(f"    {k}: {v}\n" for k, v in labels.items())
    return f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n  labels:\n{body}"


def pod_yaml(ns, pod, extra_labels, ip=None, host_network=False):
    labels = {"pod": pod}
    labels.update(extra_labels.get(f"{ns}/{pod}", {}))
    lab = "".join(f"    {k}: {v}\n" for k, v in labels.items())
    ports = ""
    for port in (80, 81):
        for proto in ("TCP", "UDP", "SCTP"):
            ports += (
                f"        - name: serve-{port}-{proto.lower()}\n"
                f"          containerPort: {port}\n"
                f"          protocol: {proto}\n"
            )
    hn = "  hostNetwork: true\n" if host_network else ""
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n  namespace: {ns}\n  labels:\n{lab}"
        f"spec:\n{hn}  containers:\n    - name: agnhost\n      image: registry.k8s.io/e2e-test-images/agnhost:2.53\n"
        f"      ports:\n{ports}status:\n  podIP: {ip or IP[(ns, pod)]}\n"
    )


def pod_names(extra_pods):
    names = [f"{ns}/{p}" for ns in NAMESPACES for p in PODS]
    names += [e["name"] for e in extra_pods]
    return names


def matches(sel, name):
    if sel == "*":
        return True
    if "/" in sel:
        return sel == name
    return name.split("/")[0] == sel


def truth_table(names, program, workloads=()):
    table = {(f, t): True for f in names for t in names}
    for stmt in program:
        lhs, val = stmt.split(":")
        src, dst = [s.strip() for s in lhs.split("->")]
        v = val.strip() == "1"
        assert val.strip() in ("0", "1"), stmt
        for f in names:
            for t in names:
                if matches(src, f) and matches(dst, t):
                    table[(f, t)] = v
    for n in names:
        # AllowLoopback, for pods only: a workload endpoint stands for all its
        # replicas, so its "self" cell is replica-to-replica traffic that
        # policies decide like any other.
        if n not in workloads:
            table[(n, n)] = True
    return table


def render_expect(case_id, names, probes, workloads=()):
    width = max(len(n) for n in names) + 2
    out = [
        f"# {case_id}: expected reachability per probe.",
        "# Rows are clients (from), columns servers (to); 1 = allowed, 0 = denied.",
        "# Derived from the reachability program in the .yaml header, not from our evaluator.",
    ]
    for probe, program in probes.items():
        table = truth_table(names, program, workloads)
        out.append("")
        out.append(f"probe {probe}")
        out.append(" " * width + " ".join(n.ljust(width - 2) for n in names).rstrip())
        for f in names:
            row = " ".join(("1" if table[(f, t)] else "0").ljust(width - 2) for t in names).rstrip()
            out.append(f.ljust(width) + row)
    return "\n".join(out) + "\n"


def write_case(case):
    cid = case["id"]
    extra_labels = case.get("labels", {})
    extra_pods = case.get("extra_pods", [])
    names = pod_names(extra_pods)
    header = [f"# {cid}", "#"]
    for line in case["source"].strip().splitlines():
        header.append(f"# {line}".rstrip())
    header.append("#")
    header.append("# Topology: namespaces x, y, z (label ns=<name>) with pods a, b, c (label")
    header.append("# pod=<name>) serving TCP/UDP/SCTP on 80 and 81 (named serve-<port>-<proto>),")
    header.append("# as in the upstream suite's model.")
    if case.get("notes"):
        header.append("#")
        for line in case["notes"].strip().splitlines():
            header.append(f"# {line}".rstrip())
    header.append("#")
    header.append("# Reachability program per probe (upstream Expect* calls; see README.md):")
    for probe, program in case["probes"].items():
        header.append(f"#   {probe}: " + ("; ".join(program) if program else "all allowed"))
    docs = [namespace_yaml(ns, extra_labels) for ns in NAMESPACES]
    docs += [pod_yaml(ns, p, extra_labels) for ns in NAMESPACES for p in PODS]
    for e in extra_pods:
        docs.append(e["yaml"])
    docs += [p.strip("\n") + "\n" for p in case["policies"]]
    text = "\n".join(header) + "\n" + "".join("---\n" + d for d in docs)
    with open(os.path.join(HERE, f"{cid}.yaml"), "w") as f:
        f.write(text)
    with open(os.path.join(HERE, f"{cid}.expect"), "w") as f:
        workloads = {e["name"] for e in extra_pods if e.get("workload")}
        f.write(render_expect(cid, names, case["probes"], workloads))


def netpol(name, ns, spec):
    return f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n{spec.strip(chr(10))}\n"


def up(test):
    return f"Upstream: {UPSTREAM}\n  It(\"{test}\")"


CASES = []


def case(**kw):
    CASES.append(kw)


# --- default deny / allow all -------------------------------------------------

DENY_INGRESS_X = netpol("deny-ingress", "x", "  podSelector: {}\n  policyTypes:\n    - Ingress")

case(
    id="001-default-deny-ingress",
    source=up("should support a 'default-deny-ingress' policy") + "\n(TCP, and the UDP and SCTP variants of the same test.)",
    policies=[DENY_INGRESS_X],
    probes={p: ["* -> x : 0"] for p in ("TCP/80", "UDP/80", "SCTP/80")},
)

case(
    id="002-default-deny-all",
    source=up("should support a 'default-deny-all' policy"),
    policies=[netpol("deny-all", "x", "  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress")],
    probes={"TCP/80": ["* -> x : 0", "x -> * : 0"], "UDP/81": ["* -> x : 0", "x -> * : 0"]},
)

case(
    id="003-deny-egress-namespace",
    source=up("should deny egress from all pods in a namespace"),
    policies=[netpol("deny-egress-ns-x", "x", "  podSelector: {}\n  policyTypes:\n    - Egress")],
    probes={"TCP/80": ["x -> * : 0"]},
)

case(
    id="004-deny-egress-pod",
    source=up("should deny egress from pods based on PodSelector"),
    policies=[
        netpol(
            "deny-egress-pod-a",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress",
        )
    ],
    probes={"TCP/80": ["x/a -> * : 0"]},
)

case(
    id="005-allow-all-ingress",
    source=up("should support allow-all policy"),
    policies=[netpol("allow-all", "x", "  podSelector: {}\n  ingress:\n    - {}")],
    probes={"TCP/80": [], "TCP/81": []},
)

case(
    id="006-egress-allow-all-takes-precedence",
    source=up("should enforce multiple egress policies with egress allow-all policy taking precedence")
    + "\n(the state after both policies exist)",
    policies=[
        netpol("allow-egress-port-80", "x", "  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - ports:\n        - port: 80"),
        netpol("allow-egress", "x", "  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - {}"),
    ],
    probes={"TCP/81": [], "TCP/80": []},
)

case(
    id="007-egress-port-80-only",
    source=up("should enforce multiple egress policies with egress allow-all policy taking precedence")
    + "\n(the first step: only allow-egress-port-80 exists)",
    notes="TCP/80 (all allowed) is reasoned from the API reference: the one egress rule admits\nevery peer on TCP port 80.",
    policies=[netpol("allow-egress-port-80", "x", "  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - ports:\n        - port: 80")],
    probes={"TCP/81": ["x -> * : 0"], "TCP/80": []},
)

case(
    id="008-podselector-same-namespace",
    source=up("should enforce policy to allow traffic from pods within server namespace based on PodSelector"),
    policies=[
        netpol(
            "x-a-allows-x-b",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              pod: b",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "x/b -> x/a : 1"]},
)

case(
    id="009-namespaceselector-custom-label",
    source=up("should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector")
    + "\n(older revisions of the test select the namespace by its `ns: y` label, as here)",
    policies=[
        netpol(
            "allow-client-a-via-ns-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns: y",
        )
    ],
    probes={"TCP/80": ["x -> x/a : 0", "z -> x/a : 0"]},
)

case(
    id="010-ingress-from-all-namespaces",
    source=up("should enforce policy to allow ingress traffic from pods in all namespaces"),
    policies=[
        netpol(
            "allow-from-another-ns",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector: {}",
        )
    ],
    probes={"TCP/80": []},
)

case(
    id="011-allow-ingress-target-over-default-deny",
    source=up("should enforce policy to allow ingress traffic for a target"),
    notes="Upstream has no x/c; x/c is selected by deny-all like x/b, so it is denied too.",
    policies=[
        netpol("deny-all", "x", "  podSelector: {}\n  policyTypes:\n    - Ingress"),
        netpol(
            "allow-all-to-a",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - podSelector: {}\n          namespaceSelector: {}",
        ),
    ],
    probes={"TCP/80": ["* -> x : 0", "* -> x/a : 1"]},
)

case(
    id="012-podselector-matchexpressions-in",
    source=up("should enforce policy based on PodSelector with MatchExpressions"),
    policies=[
        netpol(
            "x-a-allows-x-b",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - podSelector:\n            matchExpressions:\n              - key: pod\n                operator: In\n                values: [b]",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "x/b -> x/a : 1"]},
)

case(
    id="013-namespaceselector-matchexpressions-in",
    source=up("should enforce policy based on NamespaceSelector with MatchExpressions"),
    policies=[
        netpol(
            "allow-ns-y-match-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: kubernetes.io/metadata.name\n                operator: In\n                values: [y]",
        )
    ],
    probes={"TCP/80": ["x -> x/a : 0", "z -> x/a : 0"]},
)

case(
    id="014-or-podselector-or-namespaceselector",
    source=up("should enforce policy based on PodSelector or NamespaceSelector")
    + "\nTwo entries in one `from` list are ORed.",
    notes="Upstream expects x/a -> x/a denied but ignores loopback; here loopback is allowed.",
    policies=[
        netpol(
            "allow-ns-y-match-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: kubernetes.io/metadata.name\n                operator: NotIn\n                values: [x]\n        - podSelector:\n            matchLabels:\n              pod: b",
        )
    ],
    probes={"TCP/80": ["x/a -> x/a : 0", "x/c -> x/a : 0"]},
)

case(
    id="015-and-podselector-and-namespaceselector",
    source=up("should enforce policy based on PodSelector and NamespaceSelector")
    + "\nBoth selectors in ONE `from` entry are ANDed.",
    policies=[
        netpol(
            "allow-ns-y-podselector-and-nsselector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: kubernetes.io/metadata.name\n                operator: NotIn\n                values: [x]\n          podSelector:\n            matchLabels:\n              pod: b",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "y/b -> x/a : 1", "z/b -> x/a : 1"]},
)

case(
    id="016-multiple-podselectors-and-namespaceselectors",
    source=up("should enforce policy based on Multiple PodSelectors and NamespaceSelectors"),
    notes="Upstream has no z/a, z/b, z/c; by the same rule z/b and z/c are admitted, z/a is not.",
    policies=[
        netpol(
            "allow-ns-y-z-pod-b-c",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: kubernetes.io/metadata.name\n                operator: NotIn\n                values: [x]\n          podSelector:\n            matchExpressions:\n              - key: pod\n                operator: In\n                values: [b, c]",
        )
    ],
    probes={"TCP/80": ["x -> x/a : 0", "y/a -> x/a : 0", "z/a -> x/a : 0"]},
)

case(
    id="017-any-podselectors",
    source=up("should enforce policy based on any PodSelectors"),
    policies=[
        netpol(
            "allow-ns-x-pod-b-c",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              pod: b\n        - podSelector:\n            matchLabels:\n              pod: c",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "x/b -> x/a : 1", "x/c -> x/a : 1"]},
)

case(
    id="018-pod-in-other-namespace",
    source=up(
        "should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector"
    )
    + "\n(TCP, and the UDP and SCTP variants of the same test.)",
    policies=[
        netpol(
            "allow-ns-y-pod-a-via-namespace-pod-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: y\n          podSelector:\n            matchLabels:\n              pod: a",
        )
    ],
    probes={p: ["* -> x/a : 0", "y/a -> x/a : 1"] for p in ("TCP/80", "UDP/80", "SCTP/80")},
)

PORT81_FROM_Y = netpol(
    "allow-client-a-via-ns-selector",
    "x",
    "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: y\n      ports:\n        - protocol: TCP\n          port: 81",
)

case(
    id="019-ports",
    source=up("should enforce policy based on Ports"),
    notes="UDP/81 is reasoned from the API reference: the only port entry is TCP.",
    policies=[PORT81_FROM_Y],
    probes={
        "TCP/81": ["x -> x/a : 0", "y -> x/a : 1", "z -> x/a : 0"],
        "TCP/80": ["* -> x/a : 0"],
        "UDP/81": ["* -> x/a : 0"],
    },
)

case(
    id="020-stacked-policies",
    source=up("should enforce multiple, stacked policies with overlapping podSelectors")
    + "\n(the final state: both policies exist; policies add up)",
    policies=[
        PORT81_FROM_Y,
        netpol(
            "allow-client-a-via-ns-selector-80",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: y\n      ports:\n        - protocol: TCP\n          port: 80",
        ),
    ],
    probes={
        "TCP/81": ["x -> x/a : 0", "y -> x/a : 1", "z -> x/a : 0"],
        "TCP/80": ["x -> x/a : 0", "y -> x/a : 1", "z -> x/a : 0"],
    },
)

case(
    id="021-named-port-ingress",
    source=up("should allow ingress access on one named port"),
    notes="UDP/81 is reasoned from the API reference: `serve-81-tcp` with the default protocol TCP\nnames no UDP port.",
    policies=[netpol("allow-all", "x", "  podSelector: {}\n  ingress:\n    - ports:\n        - port: serve-81-tcp")],
    probes={"TCP/81": [], "TCP/80": ["* -> x : 0"], "UDP/81": ["* -> x : 0"]},
)

case(
    id="022-named-port-from-namespace",
    source=up("should allow ingress access from namespace on one named port"),
    policies=[
        netpol(
            "allow-client-a-via-ns-selector-80",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: y\n      ports:\n        - port: serve-80-tcp\n          protocol: TCP",
        )
    ],
    probes={"TCP/80": ["x -> x/a : 0", "z -> x/a : 0"], "TCP/81": ["* -> x/a : 0"]},
)

case(
    id="023-named-port-egress",
    source=up("should allow egress access on one named port"),
    notes="UDP/80 is reasoned from the API reference: the named port is resolved on the\ndestination for TCP only.",
    policies=[netpol("allow-egress", "x", "  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - ports:\n        - port: serve-80-tcp")],
    probes={"TCP/80": [], "TCP/81": ["x -> * : 0"], "UDP/80": ["x -> * : 0"]},
)

case(
    id="024-ingress-and-egress-together",
    source=up("should work with Ingress, Egress specified together"),
    policies=[
        netpol(
            "allow-client-a-via-pod-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n    - Ingress\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              pod: b\n  egress:\n    - ports:\n        - port: 80",
        )
    ],
    probes={
        "TCP/80": ["* -> x/a : 0", "x/b -> x/a : 1"],
        "TCP/81": ["* -> x/a : 0", "x/a -> * : 0", "x/b -> x/a : 1"],
    },
)

case(
    id="025-egress-denied-on-client-side",
    source=up(
        "should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)"
    ),
    policies=[
        netpol(
            "allow-to-ns-y-pod-a",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: y\n          podSelector:\n            matchLabels:\n              pod: a",
        ),
        netpol(
            "allow-from-xa-on-ya-match-selector",
            "y",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: x\n          podSelector:\n            matchLabels:\n              pod: a",
        ),
        netpol(
            "allow-from-xa-on-yb-match-selector",
            "y",
            "  podSelector:\n    matchLabels:\n      pod: b\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: x\n          podSelector:\n            matchLabels:\n              pod: a",
        ),
    ],
    probes={"TCP/80": ["x/a -> * : 0", "* -> y/a : 0", "x/a -> y/a : 1", "* -> y/b : 0"]},
)

case(
    id="026-egress-to-pod-in-other-namespace",
    source=up(
        "should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector"
    ),
    policies=[
        netpol(
            "allow-to-ns-y-pod-a",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: y\n          podSelector:\n            matchLabels:\n              pod: a",
        )
    ],
    probes={"TCP/80": ["x/a -> * : 0", "x/a -> y/a : 1"]},
)

case(
    id="027-any-port-of-one-protocol",
    source=up("should enforce ingress policy allowing any port traffic to a server on a specific protocol"),
    notes="TCP/81 and SCTP/81 are reasoned from the API reference: `protocol: TCP` without\n`port` admits every TCP port and no other protocol.",
    policies=[
        netpol(
            "allow-ingress-by-proto",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - ports:\n        - protocol: TCP",
        )
    ],
    probes={"TCP/80": [], "TCP/81": [], "UDP/80": ["* -> x/a : 0"], "SCTP/81": ["* -> x/a : 0"]},
)

case(
    id="028-ingress-allow-all-takes-precedence",
    source=up("should enforce multiple ingress policies with ingress allow-all policy taking precedence")
    + "\n(the state after both policies exist)",
    policies=[
        netpol("allow-ingress-port-80", "x", "  podSelector: {}\n  ingress:\n    - ports:\n        - port: 80"),
        netpol("allow-ingress", "x", "  podSelector: {}\n  ingress:\n    - {}"),
    ],
    probes={"TCP/81": [], "TCP/80": []},
)

case(
    id="029-ingress-port-80-only",
    source=up("should enforce multiple ingress policies with ingress allow-all policy taking precedence")
    + "\n(the first step: only allow-ingress-port-80 exists)",
    notes="TCP/80 (all allowed) is reasoned from the API reference.",
    policies=[netpol("allow-ingress-port-80", "x", "  podSelector: {}\n  ingress:\n    - ports:\n        - port: 80")],
    probes={"TCP/81": ["* -> x : 0"], "TCP/80": []},
)

case(
    id="030-egress-to-cidr",
    source=up("should allow egress access to server in CIDR block")
    + "\nThe CIDR is y/b's pod IP with a /32 host mask, as upstream builds it.",
    policies=[
        netpol(
            "allow-client-a-via-cidr-egress-rule",
            "x",
            f"  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - ipBlock:\n            cidr: {IP[('y', 'b')]}/32",
        )
    ],
    probes={"TCP/80": ["x/a -> * : 0", "x/a -> y/b : 1"]},
)

case(
    id="031-egress-cidr-except",
    source=up("should enforce except clause while egress access to server in CIDR block")
    + "\nThe CIDR is makeLargeCIDRForIP(x/b) = 0.0.0.0/4; the except is x/b's IP/32.",
    policies=[
        netpol(
            "allow-client-a-via-cidr-egress-rule",
            "x",
            f"  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/4\n            except:\n              - {IP[('x', 'b')]}/32",
        )
    ],
    probes={"TCP/80": ["x/a -> x/b : 0"]},
)

case(
    id="032-cidr-and-except-overlap-allowed",
    source=up("should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed")
    + "\nUpstream replaces the first policy by the second (same name); here both exist under\ndifferent names, so the addresses add up: x/b is excepted by one policy and\nadmitted by the other, hence allowed.",
    notes="Program: union of both policies' egress for x/a (every pod IP is inside 0.0.0.0/4).",
    policies=[
        netpol(
            "allow-client-a-via-cidr-egress-rule",
            "x",
            f"  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/4\n            except:\n              - {IP[('x', 'b')]}/32",
        ),
        netpol(
            "allow-client-a-to-x-b",
            "x",
            f"  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - ipBlock:\n            cidr: {IP[('x', 'b')]}/32",
        ),
    ],
    probes={"TCP/80": []},
)

case(
    id="033-ingress-and-egress-independent",
    source=up(
        "should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector"
    ),
    policies=[
        netpol(
            "allow-egress-for-target",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - {}",
        ),
        netpol(
            "deny-ingress-via-label-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Ingress",
        ),
    ],
    probes={"TCP/80": ["* -> x/a : 0"]},
)

case(
    id="034-sctp-is-not-tcp",
    source=up("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP"),
    notes="SCTP/81 is reasoned from the API reference: the SCTP rule admits x/a on 81.",
    policies=[
        DENY_INGRESS_X,
        netpol(
            "allow-only-sctp-ingress-on-port-81",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - ports:\n        - port: 81\n          protocol: SCTP",
        ),
    ],
    probes={"TCP/81": ["* -> x : 0"], "SCTP/81": ["* -> x : 0", "* -> x/a : 1"]},
)

case(
    id="035-sctp-rule-isolates",
    source=up("should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP"),
    notes="SCTP/80 is reasoned from the API reference.",
    policies=[
        netpol(
            "allow-only-sctp-ingress-on-port-80",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - ports:\n        - port: 80\n          protocol: SCTP",
        )
    ],
    probes={"TCP/81": ["* -> x/a : 0"], "SCTP/80": [], "SCTP/81": ["* -> x/a : 0"]},
)

case(
    id="036-udp-rule-does-not-admit-tcp",
    source=up("should not allow access by TCP when a policy specifies only UDP"),
    notes="UDP/81 is reasoned from the API reference.",
    policies=[
        netpol(
            "allow-only-udp-ingress-on-port-81",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - ports:\n        - port: 81\n          protocol: UDP",
        )
    ],
    probes={"TCP/81": ["* -> x/a : 0"], "UDP/81": []},
)

case(
    id="037-default-namespace-label-matchlabels",
    source=up("should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label")
    + "\nThe namespaces do not declare kubernetes.io/metadata.name: the API server sets it.",
    policies=[
        netpol(
            "allow-client-a-via-ns-selector-for-immutable-ns-label",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: y",
        )
    ],
    probes={"TCP/80": ["x -> x/a : 0", "z -> x/a : 0"]},
)

case(
    id="038-default-namespace-label-notin-egress",
    source=up("should enforce policy based on NamespaceSelector with MatchExpressions using default ns label"),
    policies=[
        netpol(
            "allow-ns-y-match-selector-for-immutable-ns-label",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - namespaceSelector:\n            matchExpressions:\n              - key: kubernetes.io/metadata.name\n                operator: NotIn\n                values: [y]",
        )
    ],
    probes={"TCP/80": ["x/a -> y : 0"]},
)

case(
    id="039-deny-ingress-from-other-namespaces",
    source=up("should deny ingress from pods on other namespaces")
    + "\nA lone podSelector `{}` means every pod of the policy's own namespace.",
    policies=[
        netpol("deny-empty-policy", "x", "  podSelector: {}\n  ingress:\n    - from:\n        - podSelector: {}")
    ],
    probes={"TCP/80": ["y -> x : 0", "z -> x : 0"]},
)

case(
    id="040-updated-namespace-label",
    source=up("should allow ingress access from updated namespace") + "\n(the state after namespace y got ns2=updated)",
    labels={"y": {"ns2": "updated"}},
    policies=[
        netpol(
            "allow-client-a-via-ns-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns2: updated",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "y -> * : 1"]},
)

case(
    id="041-updated-pod-label",
    source=up("should allow ingress access from updated pod") + "\n(the state after x/b got pod2=updated)",
    labels={"x/b": {"pod2": "updated"}},
    policies=[
        netpol(
            "allow-client-a-via-pod-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              pod: b\n              pod2: updated",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "x/b -> x/a : 1"]},
)

case(
    id="042-deny-ingress-to-updated-pod",
    source=up("should deny ingress access to updated pod") + "\n(the state after x/a got target=isolated)",
    labels={"x/a": {"target": "isolated"}},
    policies=[
        netpol(
            "deny-ingress-via-label-selector",
            "x",
            "  podSelector:\n    matchLabels:\n      target: isolated\n  policyTypes:\n    - Ingress",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0"]},
)

case(
    id="043-stop-enforcing-after-delete",
    source=up("should stop enforcing policies after they are deleted")
    + "\n(the first step, deny-all in x; the deleted state is case 044's empty policy set)",
    policies=[netpol("deny-all", "x", "  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress")],
    probes={"TCP/80": ["x -> * : 0", "* -> x : 0"]},
)

case(
    id="044-no-policies",
    source=up("should stop enforcing policies after they are deleted") + "\n(after deletion: no policy at all)",
    notes="Without any policy no pod is isolated: everything is allowed on every protocol.",
    policies=[],
    probes={"TCP/80": [], "UDP/81": [], "SCTP/80": []},
)

# --- API reference semantics ----------------------------------------------------

case(
    id="045-endport-range",
    source=f"API reference: {APIREF}\n  NetworkPolicyPort.endPort: `port` through `endPort` inclusive, same protocol.\nConcepts: {CONCEPTS} (\"Targeting a range of ports\")",
    policies=[
        netpol(
            "allow-range-from-y",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns: y\n      ports:\n        - protocol: TCP\n          port: 81\n          endPort: 1000",
        )
    ],
    probes={
        "TCP/80": ["* -> x/a : 0"],
        "TCP/81": ["* -> x/a : 0", "y -> x/a : 1"],
        "TCP/1000": ["* -> x/a : 0", "y -> x/a : 1"],
        "TCP/1001": ["* -> x/a : 0"],
        "UDP/81": ["* -> x/a : 0"],
    },
)

case(
    id="046-namespaceselector-exists",
    source=f"API reference: {APIREF}\n  LabelSelectorRequirement operator Exists: the key must be present.",
    labels={"y": {"team": "blue"}},
    policies=[
        netpol(
            "allow-from-team-namespaces",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: team\n                operator: Exists",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "y -> x/a : 1"]},
)

case(
    id="047-namespaceselector-doesnotexist",
    source=f"API reference: {APIREF}\n  LabelSelectorRequirement operator DoesNotExist: the key must be absent.",
    labels={"y": {"team": "blue"}},
    policies=[
        netpol(
            "allow-from-teamless-namespaces",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: team\n                operator: DoesNotExist",
        )
    ],
    probes={"TCP/80": ["y -> x/a : 0"]},
)

case(
    id="048-podselector-notin-absent-key",
    source=f"API reference: {APIREF}\n  LabelSelectorRequirement operator NotIn: holds when the key is absent or its\n  value is not listed (k8s.io/apimachinery/pkg/labels Requirement.Matches).",
    labels={"x/c": {"tier": "db"}, "x/b": {"tier": "web"}},
    policies=[
        netpol(
            "allow-non-db",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - podSelector:\n            matchExpressions:\n              - key: tier\n                operator: NotIn\n                values: [db]",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "x -> x/a : 1", "x/c -> x/a : 0"]},
)

case(
    id="049-policy-in-other-namespace",
    source=f"Concepts: {CONCEPTS}\n  A policy's podSelector selects pods in the policy's own namespace only.",
    policies=[netpol("deny-a", "y", "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Ingress")],
    probes={"TCP/80": ["* -> y/a : 0"]},
)

case(
    id="050-policytypes-both-without-rules",
    source=f"API reference: {APIREF}\n  policyTypes [Ingress, Egress] with no rules: the pod is isolated both ways and\n  nothing is allowed.",
    policies=[
        netpol(
            "isolate-a",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Ingress\n    - Egress",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "x/a -> * : 0"]},
)

case(
    id="051-policytypes-defaulted-with-egress",
    source=f"API reference: {APIREF}\n  policyTypes omitted: Ingress always, plus Egress because an egress section exists.",
    policies=[
        netpol(
            "a-egress-to-b",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              pod: b",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "x/a -> * : 0", "x/a -> x/b : 1"]},
)

case(
    id="052-policytypes-egress-only",
    source=f"API reference: {APIREF}\n  policyTypes [Egress]: the pod is isolated for egress only; ingress stays open.",
    policies=[
        netpol(
            "a-egress-only",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              ns: z",
        )
    ],
    probes={"TCP/80": ["x/a -> * : 0", "x/a -> z : 1"]},
)

case(
    id="053-empty-from-with-ports",
    source=f"API reference: {APIREF}\n  NetworkPolicyIngressRule.from empty: matches all sources; ports restrict the rule.",
    policies=[
        netpol(
            "any-source-on-81",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from: []\n      ports:\n        - port: 81",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0"], "TCP/81": [], "UDP/81": ["* -> x/a : 0"]},
)

case(
    id="054-multiple-ports-and-protocols",
    source=f"API reference: {APIREF}\n  NetworkPolicyPort list: a probe matches when any entry has its protocol and port.",
    policies=[
        netpol(
            "mixed-ports",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - ports:\n        - port: 80\n        - protocol: UDP\n          port: 81\n        - protocol: SCTP\n          port: serve-80-sctp",
        )
    ],
    probes={
        "TCP/80": [],
        "TCP/81": ["* -> x/a : 0"],
        "UDP/80": ["* -> x/a : 0"],
        "UDP/81": [],
        "SCTP/80": [],
        "SCTP/81": ["* -> x/a : 0"],
    },
)

case(
    id="055-ingress-ipblock-except",
    source=f"API reference: {APIREF}\n  IPBlock: cidr minus except (the reference's example: 172.17.0.0/16 except\n  172.17.1.0/24), matched against pod IPs.\nConcepts: {CONCEPTS} (the test-network-policy example)",
    policies=[
        netpol(
            "from-cluster-but-y",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 10.0.0.0/16\n            except:\n              - 10.0.2.0/24",
        )
    ],
    probes={"TCP/80": ["y -> x/a : 0"]},
)

case(
    id="056-hostnetwork-pod",
    source=f"Concepts: {CONCEPTS} (\"NetworkPolicy and hostNetwork pods\")\n  hostNetwork pods are neither isolated by policies nor selected by pod or\n  namespace selectors (the common implementation; the page calls it undefined).",
    notes="x/h is a hostNetwork pod in x with pod=h. deny-all in x does not isolate it; y's\npolicy admits namespace x, but its selectors do not match the host-network x/h.\nAll lines below are reasoned from the concepts page, there is no upstream test.",
    extra_pods=[
        {
            "name": "x/h",
            "yaml": pod_yaml("x", "h", {}, ip="172.18.0.2", host_network=True),
        }
    ],
    policies=[
        netpol("deny-all", "x", "  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress"),
        netpol(
            "a-from-x",
            "y",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns: x",
        ),
    ],
    probes={
        "TCP/80": [
            "* -> x : 0",
            "x -> * : 0",
            "y -> x/h : 1",
            "z -> x/h : 1",
            "x/h -> y : 1",
            "x/h -> z : 1",
            "* -> y/a : 0",
        ]
    },
)

WORKLOADS = [
    {
        "name": "x/web",
        "workload": True,
        "yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: x\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      pod: web\n  template:\n    metadata:\n      labels:\n        pod: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 80\n",
    },
    {
        "name": "y/db",
        "workload": True,
        "yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: y\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      pod: db\n  template:\n    metadata:\n      labels:\n        pod: db\n    spec:\n      containers:\n        - name: db\n          image: postgres\n          ports:\n            - name: pg\n              containerPort: 5432\n",
    },
]

case(
    id="057-workloads",
    source=f"Issue #2 (workloads): a Deployment's or StatefulSet's pod template is one endpoint named\nafter the workload, selected by its template labels.\nConcepts: {CONCEPTS} (policies select pods by labels, whatever created them)",
    notes="Reasoned from the API reference: y/db admits only pods labelled pod=web in\nnamespaces labelled ns=x, on its named port pg (5432). A workload's diagonal cell is\ntraffic between its replicas, which policies decide (no loopback exemption, see\nREADME.md): y/db's replicas are not pod=web in ns=x, so y/db -> y/db is denied.",
    extra_pods=WORKLOADS,
    policies=[
        netpol(
            "db-from-web",
            "y",
            "  podSelector:\n    matchLabels:\n      pod: db\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns: x\n          podSelector:\n            matchLabels:\n              pod: web\n      ports:\n        - port: pg",
        )
    ],
    probes={"TCP/5432": ["* -> y/db : 0", "x/web -> y/db : 1"], "TCP/80": ["* -> y/db : 0"]},
)

case(
    id="058-loopback-under-deny-all-everywhere",
    source="Upstream: kubernetes/kubernetes test/e2e/network/netpol/reachability.go\n  (Reachability.AllowLoopback; network_policy.go ignores loopback because CNIs\n  differ: kubernetes/kubernetes#95879). This project's convention: a pod may\n  always reach itself.",
    policies=[
        netpol("deny-all", ns_, "  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress") for ns_ in NAMESPACES
    ],
    probes={"TCP/80": ["* -> * : 0"], "UDP/80": ["* -> * : 0"]},
)

case(
    id="059-egress-ipblock-to-namespace-range",
    source=f"API reference: {APIREF}\n  egress `to` ipBlock matches destination pod IPs; except carves a hole.",
    policies=[
        netpol(
            "to-z-but-z-c",
            "x",
            "  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.3.0/24\n            except:\n              - 10.0.3.3/32",
        )
    ],
    probes={"TCP/80": ["x -> * : 0", "x -> z : 1", "x -> z/c : 0"]},
)

case(
    id="060-ingress-from-own-and-other-namespace-selectors",
    source=f"Concepts: {CONCEPTS} (\"Behavior of to and from selectors\")\n  The two-element form (OR) versus the single-element form (AND) of\n  namespaceSelector + podSelector, side by side on two targets.",
    policies=[
        netpol(
            "a-or",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns: y\n        - podSelector:\n            matchLabels:\n              pod: b",
        ),
        netpol(
            "b-and",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: b\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              ns: y\n          podSelector:\n            matchLabels:\n              pod: b",
        ),
    ],
    probes={"TCP/80": ["* -> x/a : 0", "y -> x/a : 1", "x/b -> x/a : 1", "* -> x/b : 0", "y/b -> x/b : 1"]},
)


case(
    id="061-named-port-other-protocol",
    source=f"API reference: {APIREF}\n  NetworkPolicyPort.port by name: resolved on the destination pod among container\n  ports of the entry's protocol (default TCP); a name declared only for another\n  protocol resolves to nothing, so the entry matches nothing.",
    policies=[
        netpol(
            "udp-name-with-tcp-protocol",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - ports:\n        - port: serve-80-udp",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0"], "UDP/80": ["* -> x/a : 0"], "TCP/81": ["* -> x/a : 0"]},
)

case(
    id="062-default-deny-egress-with-dns",
    source=f"Concepts: {CONCEPTS} (default deny all egress), and the DNS egress pattern of the\nseed articles: egress allowed only to one resolver pod on UDP/53.",
    notes="Reasoned from the API reference: x's pods may send only UDP/53 to z/a (ns=z, pod=a).",
    policies=[
        netpol("default-deny-egress", "x", "  podSelector: {}\n  policyTypes:\n    - Egress"),
        netpol(
            "allow-dns",
            "x",
            "  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              ns: z\n          podSelector:\n            matchLabels:\n              pod: a\n      ports:\n        - protocol: UDP\n          port: 53",
        ),
    ],
    probes={"UDP/53": ["x -> * : 0", "x -> z/a : 1"], "TCP/53": ["x -> * : 0"], "TCP/80": ["x -> * : 0"]},
)

case(
    id="063-rules-are-ored",
    source=f"API reference: {APIREF}\n  NetworkPolicySpec.ingress: traffic is allowed if it matches at least one rule;\n  inside a rule, a peer AND a port must match.",
    policies=[
        netpol(
            "b-or-port-81",
            "x",
            "  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              pod: b\n    - ports:\n        - port: 81",
        )
    ],
    probes={"TCP/80": ["* -> x/a : 0", "x/b -> x/a : 1"], "TCP/81": [], "UDP/81": ["* -> x/a : 0", "x/b -> x/a : 1"]},
)


if __name__ == "__main__":
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case id"
    for c in CASES:
        write_case(c)
    print(f"wrote {len(CASES)} cases")
