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
        #[cfg(feature = "embedded-content")]
        text: include_str!("../../lessons/default-deny.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/default-deny.yaml"),
        prediction: Prediction {
            flow: flow("dev/debug", "shop/db", "TCP/5432"),
        },
        task: Task {
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
        solution: Solution {
            snippet: "spec:\n  podSelector: {}\n  policyTypes:\n    - Ingress",
            edits: &[Edit { find: "  podSelector:\n    matchLabels:\n      app: web\n", replace: "  podSelector: {}\n" }],
        },
    },
    Lesson {
        id: "ingress-egress",
        title: "Ingress, egress and policyTypes",
        #[cfg(feature = "embedded-content")]
        text: include_str!("../../lessons/ingress-egress.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/ingress-egress.yaml"),
        prediction: Prediction {
            flow: flow("app/web", "203.0.113.10", "TCP/443"),
        },
        task: Task {
            expect: &[
                denied("app/web", "203.0.113.10", "TCP/443", "app/web cannot reach the internet."),
                denied("app/web", "tools/client", "TCP/80", "app/web cannot reach pods of other namespaces."),
                denied("tools/client", "app/api", "TCP/8080", "Nothing gets into app."),
            ],
        },
        solution: Solution {
            snippet: "  policyTypes:\n    - Ingress\n    - Egress",
            edits: &[Edit { find: "    - Ingress\n", replace: "    - Ingress\n    - Egress\n" }],
        },
    },
    Lesson {
        id: "or-vs-and",
        title: "OR vs AND in from and to",
        #[cfg(feature = "embedded-content")]
        text: include_str!("../../lessons/or-vs-and.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/or-vs-and.yaml"),
        prediction: Prediction {
            flow: flow("alice/web", "data/db", "TCP/5432"),
        },
        task: Task {
            expect: &[
                allowed("alice/client", "data/db", "TCP/5432", "alice's client gets in."),
                denied("alice/web", "data/db", "TCP/5432", "alice's web pod, which is not a client, stays out."),
                denied("bob/client", "data/db", "TCP/5432", "bob's client stays out."),
                denied("data/client", "data/db", "TCP/5432", "The client pod in data itself stays out."),
            ],
        },
        solution: Solution {
            snippet: "    - from:\n        - namespaceSelector:\n            matchLabels:\n              user: alice\n          podSelector:\n            matchLabels:\n              role: client",
            edits: &[Edit { find: "        - podSelector:\n", replace: "          podSelector:\n" }],
        },
    },
    Lesson {
        id: "namespace-labels",
        title: "Namespace labels and kubernetes.io/metadata.name",
        #[cfg(feature = "embedded-content")]
        text: include_str!("../../lessons/namespace-labels.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/namespace-labels.yaml"),
        prediction: Prediction {
            flow: flow("monitoring/prometheus", "production/api", "TCP/8080"),
        },
        task: Task {
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
        solution: Solution {
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
        #[cfg(feature = "embedded-content")]
        text: include_str!("../../lessons/ports.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/ports.yaml"),
        prediction: Prediction {
            flow: flow("shop/web", "shop/media", "UDP/40100"),
        },
        task: Task {
            expect: &[
                allowed("shop/web", "shop/api-v1", "TCP/8080", "web reaches api-v1 on its http port, 8080."),
                allowed("shop/web", "shop/api-v2", "TCP/9090", "web reaches api-v2 on its http port, 9090."),
                denied("shop/web", "shop/api-v2", "TCP/8080", "8080 is not http on api-v2, so it stays closed there."),
                denied("shop/web", "shop/api-v1", "TCP/9100", "The metrics port stays closed."),
            ],
        },
        solution: Solution {
            snippet: "      ports:\n        - protocol: TCP\n          port: http",
            edits: &[Edit { find: "          port: 8080\n", replace: "          port: http\n" }],
        },
    },
    Lesson {
        id: "policies-add-up",
        title: "Policies add up: there is no deny",
        #[cfg(feature = "embedded-content")]
        text: include_str!("../../lessons/policies-add-up.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/policies-add-up.yaml"),
        prediction: Prediction {
            flow: flow("blue/client", "api/server", "TCP/8080"),
        },
        task: Task {
            expect: &[
                denied("blue/client", "api/server", "TCP/8080", "blue's client can no longer reach the server."),
                allowed("green/client", "api/server", "TCP/8080", "green's client still can."),
                allowed("monitoring/prometheus", "api/server", "TCP/9090", "Prometheus still scrapes the metrics port."),
            ],
        },
        solution: Solution {
            snippet: "              - key: team\n                operator: In\n                values: [green]",
            edits: &[Edit { find: "                values: [blue, green]\n", replace: "                values: [green]\n" }],
        },
    },
    Lesson {
        id: "dns-egress",
        title: "DNS egress",
        #[cfg(feature = "embedded-content")]
        text: include_str!("../../lessons/dns-egress.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/dns-egress.yaml"),
        prediction: Prediction {
            flow: flow("production/web", "kube-system/coredns", "UDP/53"),
        },
        task: Task {
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
        solution: Solution {
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
        #[cfg(feature = "embedded-content")]
        text: include_str!("../../lessons/cluster-guardrails.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../../lessons/cluster-guardrails.yaml"),
        prediction: Prediction {
            flow: flow("tenant-a/web", "sensitive/db", "TCP/5432"),
        },
        task: Task {
            expect: &[
                denied("tenant-a/web", "sensitive/db", "TCP/5432", "tenant-a's web pod cannot reach the database."),
                allowed("backend/api", "sensitive/db", "TCP/5432", "The backend still can."),
            ],
        },
        solution: Solution {
            snippet: "    - name: everyone-else\n      action: Deny\n      from:\n        - namespaces: {}",
            edits: &[Edit { find: "      action: Pass\n", replace: "      action: Deny\n" }],
        },
    },
];
