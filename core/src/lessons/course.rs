//! The lessons themselves, in course order. Text only: verdicts are computed
//! (see the parent module), and `core/tests/lessons.rs` checks every claim
//! made here against verdicts written from the API reference.

use super::{Edit, Expectation, Lesson, Prediction, Solution, Task};
use crate::presets::FocusFlow;

const fn flow(from: &'static str, to: &'static str, probe: &'static str) -> FocusFlow {
    FocusFlow { from, to, probe }
}

const fn allowed(from: &'static str, to: &'static str, probe: &'static str, says: &'static str) -> Expectation {
    Expectation { flow: flow(from, to, probe), allowed: true, says }
}

const fn denied(from: &'static str, to: &'static str, probe: &'static str, says: &'static str) -> Expectation {
    Expectation { flow: flow(from, to, probe), allowed: false, says }
}

/// The DNS policy of the `dns-egress` lesson's solution: the seed articles'
/// allow-dns rule, narrowed to the kube-dns pods (one entry: AND). A macro,
/// so `concat!` can append it to the lesson's marker line at compile time.
macro_rules! dns_policy {
    () => {
        "---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: production
spec:
  podSelector: {}
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
    };
}

/// Every lesson, in course order: from no policy at all to cluster tiers.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "default-deny",
        title: "Default allow, and how to deny by default",
        intro: "Kubernetes starts wide open. As long as no NetworkPolicy selects a pod, that pod accepts connections from anyone and may connect anywhere. This is called default allow.

A NetworkPolicy changes that for the pods it selects. Its podSelector picks pods by their labels, and only in the policy's own namespace. A selected pod becomes isolated for the directions listed in policyTypes: from then on, only what some rule allows gets through. So a policy with no rules at all allows nothing. Written for every pod of a namespace, that is the usual first step, the \"default deny\".

The shop team wrote such a policy here. Read carefully which pods it selects.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/default-deny.yaml"),
        prediction: Prediction {
            flow: flow("dev/debug", "shop/db", "TCP/5432"),
            question: "Can the debug pod in dev open a connection to shop's database on TCP 5432?",
            takeaway: "The policy selects only the pods labelled app=web. No policy selects the database, so it is not isolated and accepts connections from anyone. A policy protects only the pods its podSelector picks.",
        },
        task: Task {
            goal: "Make it a real default deny: change the podSelector so that the policy selects every pod in shop.",
            expect: &[
                denied("dev/debug", "shop/db", "TCP/5432", "The debug pod can no longer reach the database."),
                denied("shop/web", "shop/db", "TCP/5432", "Not even shop's own web pod gets in: no rule allows it."),
                allowed(
                    "shop/db",
                    "dev/debug",
                    "TCP/8080",
                    "shop's pods can still open connections out: the policy isolates Ingress only.",
                ),
            ],
        },
        hint: "An empty selector, written {}, matches every pod in the policy's namespace.",
        solution: Solution {
            explanation: "Replace the three lines of the podSelector with an empty selector:",
            snippet: "spec:\n  podSelector: {}\n  policyTypes:\n    - Ingress",
            edits: &[Edit { find: "  podSelector:\n    matchLabels:\n      app: web\n", replace: "  podSelector: {}\n" }],
        },
    },
    Lesson {
        id: "ingress-egress",
        title: "Ingress, egress and policyTypes",
        intro: "Every connection has two sides. Egress is what a pod sends out: it is judged at the pod that opens the connection. Ingress is what a pod receives: it is judged at the pod being connected to. A connection between two pods needs both: the client's egress must allow it, and the server's ingress must allow it.

A policy's policyTypes says which of the two directions it controls for the pods it selects. If you leave policyTypes out, Kubernetes fills it in: Ingress always, and Egress only when the policy has an egress section. So a policy controls ingress only, unless it says otherwise.

The lock-down policy here was meant to cut the app namespace off from everything, in and out.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/ingress-egress.yaml"),
        prediction: Prediction {
            flow: flow("app/web", "203.0.113.10", "TCP/443"),
            question: "Can app/web open a connection to 203.0.113.10, an address on the internet, on TCP 443?",
            takeaway: "lock-down lists only Ingress in policyTypes. It isolates the app pods for incoming connections and says nothing about outgoing ones, so their egress is not isolated. An address outside the cluster has no policy of its own, so nothing refuses the connection.",
        },
        task: Task {
            goal: "Change the policy so that app's pods cannot open any connection either, while it still keeps everything out.",
            expect: &[
                denied("app/web", "203.0.113.10", "TCP/443", "app/web cannot reach the internet."),
                denied("app/web", "tools/client", "TCP/80", "app/web cannot reach pods of other namespaces."),
                denied("tools/client", "app/api", "TCP/8080", "Nothing gets into app."),
            ],
        },
        hint: "policyTypes is a list of directions. Which one is missing?",
        solution: Solution {
            explanation: "Add Egress to policyTypes. With no egress rules, the pods may open no connection at all:",
            snippet: "  policyTypes:\n    - Ingress\n    - Egress",
            edits: &[Edit { find: "    - Ingress\n", replace: "    - Ingress\n    - Egress\n" }],
        },
    },
    Lesson {
        id: "or-vs-and",
        title: "OR vs AND in from and to",
        intro: "A rule's from (or to) is a list of peers. A connection matches the rule if it matches any one entry of the list: the entries are ORed. Inside one entry you can put a namespaceSelector and a podSelector together, and then the source must match both: they are ANDed.

In YAML the difference is a single dash. Each dash starts a new entry. Two selectors under one dash are one entry (AND); two dashes make two entries (OR).

One more thing: a podSelector with no namespaceSelector in its entry only looks at pods in the policy's own namespace.

The data team wants its database to accept the client pods of alice's namespace, and nobody else.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/or-vs-and.yaml"),
        prediction: Prediction {
            flow: flow("alice/web", "data/db", "TCP/5432"),
            question: "Can the web pod in alice's namespace, which is not a client, connect to the database on TCP 5432?",
            takeaway: "The from list has two entries, so a source has to match only one of them. from[0] admits every pod of a namespace labelled user=alice, web included. from[1] admits role=client pods of the policy's own namespace, data.",
        },
        task: Task {
            goal: "Remove one character so that a source must match both selectors: only role=client pods in alice's namespace get in.",
            expect: &[
                allowed("alice/client", "data/db", "TCP/5432", "alice's client gets in."),
                denied("alice/web", "data/db", "TCP/5432", "alice's web pod, which is not a client, stays out."),
                denied("bob/client", "data/db", "TCP/5432", "bob's client stays out."),
                denied("data/client", "data/db", "TCP/5432", "The client pod in data itself stays out."),
            ],
        },
        hint: "Look at the dash in front of the second podSelector. Without it, the podSelector joins the namespaceSelector's entry; keep it lined up under namespaceSelector.",
        solution: Solution {
            explanation: "Delete the dash before podSelector and keep podSelector lined up under namespaceSelector:",
            snippet: "    - from:\n        - namespaceSelector:\n            matchLabels:\n              user: alice\n          podSelector:\n            matchLabels:\n              role: client",
            edits: &[Edit { find: "        - podSelector:\n", replace: "          podSelector:\n" }],
        },
    },
    Lesson {
        id: "namespace-labels",
        title: "Namespace labels and kubernetes.io/metadata.name",
        intro: "A namespaceSelector chooses namespaces by their labels, never by their names. A label exists only if somebody wrote it into the namespace's metadata, and anyone allowed to edit a namespace can give it any label. So a label such as name: monitoring proves nothing about which namespace carries it.

There is one exception. The Kubernetes control plane sets the label kubernetes.io/metadata.name on every namespace, with the namespace's own name as its value, and nobody can change it. Nobody has to add it either. It is the reliable way to say \"this namespace\" in a selector.

The production team wants only the monitoring namespace to reach its API.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/namespace-labels.yaml"),
        prediction: Prediction {
            flow: flow("monitoring/prometheus", "production/api", "TCP/8080"),
            question: "Can Prometheus, in the monitoring namespace, connect to the production API on TCP 8080?",
            takeaway: "The selector asks for the label name=monitoring. Nobody gave the monitoring namespace that label, so the selector does not match it, and since the policy isolates every production pod, Prometheus is refused. The sandbox namespace does carry the label, so its pods get in instead.",
        },
        task: Task {
            goal: "Change one line so that only the monitoring namespace can reach the API.",
            expect: &[
                allowed("monitoring/prometheus", "production/api", "TCP/8080", "Prometheus can reach the API."),
                denied(
                    "sandbox/tool",
                    "production/api",
                    "TCP/8080",
                    "The sandbox, labelled name=monitoring by hand, cannot.",
                ),
            ],
        },
        hint: "Select the namespace by the label the control plane sets on every namespace, not by a label someone has to add.",
        solution: Solution {
            explanation: "Match the automatic label instead of the hand-made one:",
            snippet: "        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: monitoring",
            edits: &[Edit {
                find: "              name: monitoring\n",
                replace: "              kubernetes.io/metadata.name: monitoring\n",
            }],
        },
    },
    Lesson {
        id: "ports",
        title: "Ports, named ports and ranges",
        intro: "A rule can limit the ports it allows. Each entry of ports has a protocol (TCP if you leave it out) and a port, and a connection must match the rule's peers and one of its port entries. A rule with no ports allows every port.

A port can be a number or a name. A name is looked up in the container ports of the pod receiving the connection, for the entry's protocol, so one rule can mean 8080 on one pod and 9090 on another. On a pod that declares no port of that name, the entry matches nothing.

A number with an endPort allows a whole range, both ends included. endPort needs a numeric port and Kubernetes 1.25 or later.

Here, version 2 of the API moved its http port from 8080 to 9090, and a media server takes a block of UDP ports.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/ports.yaml"),
        prediction: Prediction {
            flow: flow("shop/web", "shop/media", "UDP/40100"),
            question: "Can web send to the media server on UDP 40100, the last port of the range?",
            takeaway: "port: 40000 with endPort: 40100 allows every UDP port from 40000 to 40100, both ends included. The protocol is part of the entry: the same numbers over TCP are not allowed.",
        },
        task: Task {
            goal: "Change one line so that web reaches each API pod on the port that pod calls http, and on no other port.",
            expect: &[
                allowed("shop/web", "shop/api-v1", "TCP/8080", "web reaches api-v1 on its http port, 8080."),
                allowed("shop/web", "shop/api-v2", "TCP/9090", "web reaches api-v2 on its http port, 9090."),
                denied("shop/web", "shop/api-v2", "TCP/8080", "8080 is not http on api-v2, so it stays closed there."),
                denied("shop/web", "shop/api-v1", "TCP/9100", "The metrics port stays closed."),
            ],
        },
        hint: "port accepts the name of a container port as well as a number.",
        solution: Solution {
            explanation: "Write the port by its name; each API pod resolves it to its own number:",
            snippet: "      ports:\n        - protocol: TCP\n          port: http",
            edits: &[Edit { find: "          port: 8080\n", replace: "          port: http\n" }],
        },
    },
    Lesson {
        id: "policies-add-up",
        title: "Policies add up: there is no deny",
        intro: "When several policies select the same pod, their rules add up: a connection is allowed if any rule of any of them allows it. The order in which the policies were written does not matter, and none of them can take away what another allows.

A NetworkPolicy has no deny rule. A policy with no rules does only one thing: it isolates the pods it selects, so that only what some rule allows gets through. If other policies already isolate those pods, it changes nothing.

So to take access away, you change or delete the rule that grants it.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/policies-add-up.yaml"),
        prediction: Prediction {
            flow: flow("blue/client", "api/server", "TCP/8080"),
            question: "deny-blue was written after allow-teams to shut the blue team out. Can blue's client connect to the server on TCP 8080?",
            takeaway: "allow-teams admits the namespaces labelled team=blue or team=green on 8080, allow-metrics admits monitoring on 9090, and the server accepts the union of both. deny-blue has no rules: it allows nothing and denies nothing, and only isolates the server, which the other two already did.",
        },
        task: Task {
            goal: "Take the blue team's access away, and keep green's and Prometheus's. deny-blue cannot do it: change one line of the policy that grants the access.",
            expect: &[
                denied("blue/client", "api/server", "TCP/8080", "blue's client can no longer reach the server."),
                allowed("green/client", "api/server", "TCP/8080", "green's client still can."),
                allowed("monitoring/prometheus", "api/server", "TCP/9090", "Prometheus still scrapes the metrics port."),
            ],
        },
        hint: "Which policy lets blue in? Look at its list of teams.",
        solution: Solution {
            explanation: "Remove blue from allow-teams. You may delete deny-blue too: it never did anything.",
            snippet: "              - key: team\n                operator: In\n                values: [green]",
            edits: &[Edit { find: "                values: [blue, green]\n", replace: "                values: [green]\n" }],
        },
    },
    Lesson {
        id: "dns-egress",
        title: "DNS egress",
        intro: "Applications connect to names such as api.production.svc, and a name has to be looked up first. In a cluster that lookup is a query to CoreDNS, which runs as pods labelled k8s-app=kube-dns in the kube-system namespace, on port 53: over UDP for ordinary answers, over TCP for large ones.

The query is a connection like any other. Once a pod is isolated for egress, it can reach only what its egress rules allow, and DNS is not allowed unless a rule says so. Connections by IP address still work, which makes this outage confusing: everything that uses a name fails with resolution errors.

The production namespace here denies all egress and then lets web call the api on port 8080.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/dns-egress.yaml"),
        prediction: Prediction {
            flow: flow("production/web", "kube-system/coredns", "UDP/53"),
            question: "Can web send a DNS query to CoreDNS on UDP 53?",
            takeaway: "production's pods are isolated for egress, and no egress rule allows port 53, so web's own egress refuses the query before it reaches CoreDNS. web can reach the api by IP address but cannot look up its name.",
        },
        task: Task {
            goal: "Let every production pod look up names: allow UDP and TCP port 53 to the kube-dns pods in kube-system, and nothing else there.",
            expect: &[
                allowed("production/web", "kube-system/coredns", "UDP/53", "web can query CoreDNS over UDP."),
                allowed("production/web", "kube-system/coredns", "TCP/53", "web can query it over TCP too, for large answers."),
                allowed("production/api", "kube-system/coredns", "UDP/53", "Every production pod can, not only web."),
                denied("production/web", "kube-system/coredns", "TCP/9153", "Only port 53 is open on CoreDNS."),
                denied(
                    "production/web",
                    "kube-system/metrics-server",
                    "TCP/10250",
                    "The rest of kube-system stays out of reach.",
                ),
            ],
        },
        hint: "Add a policy that selects every production pod for Egress. Its rule needs one to entry holding a namespaceSelector and a podSelector together (AND), and two port entries.",
        solution: Solution {
            explanation: "Add this policy at the end of the scenario:",
            snippet: dns_policy!(),
            edits: &[Edit {
                find: "# Your DNS policy goes below this line.\n",
                replace: concat!("# Your DNS policy goes below this line.\n", dns_policy!()),
            }],
        },
    },
    Lesson {
        id: "cluster-guardrails",
        title: "Cluster admin guardrails that developers cannot override",
        intro: "NetworkPolicies belong to namespaces, and whoever may edit a namespace may add one that allows anything. Since policies only add up, a cluster admin cannot use them to protect anything from a namespace's owners.

ClusterNetworkPolicy, from the Kubernetes network-policy-api project (it replaces AdminNetworkPolicy and BaselineAdminNetworkPolicy), adds cluster-wide tiers around NetworkPolicy. The Admin tier is consulted first, by ascending priority. Its rules have actions: Accept and Deny are final and no NetworkPolicy can change them, while Pass hands the decision down to the NetworkPolicies. After them comes the Baseline tier, a default for pods that no NetworkPolicy isolates. Whatever nobody decides is allowed.

Inside one cluster policy, rules are read in order and the first rule that matches decides. Your network plugin has to implement these APIs for them to take effect.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/cluster-guardrails.yaml"),
        prediction: Prediction {
            flow: flow("tenant-a/web", "sensitive/db", "TCP/5432"),
            question: "The admin's protect-db accepts backend and has a rule for everyone else. Can tenant-a's web pod connect to the database on TCP 5432?",
            takeaway: "protect-db's first rule does not match tenant-a, so its second rule decides, and that rule's action is Pass: the Admin tier hands the decision to the NetworkPolicies, where the developer's allow-all-to-db admits everyone. The inspector shows the chain, Admin first, then NetworkPolicy.",
        },
        task: Task {
            goal: "Change one word so that no pod outside backend can reach the database, whatever a NetworkPolicy in sensitive says.",
            expect: &[
                denied("tenant-a/web", "sensitive/db", "TCP/5432", "tenant-a's web pod cannot reach the database."),
                allowed("backend/api", "sensitive/db", "TCP/5432", "The backend still can."),
            ],
        },
        hint: "Of the three actions, Accept, Deny and Pass, which one is final and refuses?",
        solution: Solution {
            explanation: "Make the last rule deny. Deny in the Admin tier is final, so allow-all-to-db is never consulted for pods:",
            snippet: "    - name: everyone-else\n      action: Deny\n      from:\n        - namespaces: {}",
            edits: &[Edit { find: "      action: Pass\n", replace: "      action: Deny\n" }],
        },
    },
];
