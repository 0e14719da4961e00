//! ClusterNetworkPolicy (v1alpha2) and AdminNetworkPolicy /
//! BaselineAdminNetworkPolicy (v1alpha1) end to end: parsing and its
//! diagnostics, tier order, `Pass`, priority ties and the text decision
//! chain. Semantics from kubernetes-sigs/network-policy-api
//! `apis/v1alpha2/clusternetworkpolicy_types.go` (Tier, Priority, Action
//! docs) and `apis/v1alpha1/*_types.go`.

use expect_test::{expect, Expect};
use netpol_core::eval::{evaluate, explanation_to_text, is_allowed};
use netpol_core::explain::TierKind;
use netpol_core::matrix::matrix;
use netpol_core::parse::{parse_sources, parse_str, Severity, Source};
use netpol_core::{Flow, FlowEnd, Probe, Scenario};

/// Namespaces `x` and `y`, pods `a` (app=a) and `b` (app=b) in each, `b`
/// serving `http` on TCP/8080.
const PODS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {team: red}}
---
apiVersion: v1
kind: Namespace
metadata: {name: y, labels: {team: blue}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.1.2}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: y, labels: {app: a}}
status: {podIP: 10.0.2.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: y, labels: {app: b}}
status: {podIP: 10.0.2.2}
";

fn scenario(policies: &str) -> Scenario {
    let text = format!("{PODS}---\n{policies}");
    let out = parse_str(&text);
    let errors: Vec<String> = out.errors().map(|d| d.render("t")).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    out.scenario
}

fn idx(s: &Scenario, name: &str) -> usize {
    let (ns, n) = name.split_once('/').unwrap_or(("", name));
    s.endpoint_index(ns, n).unwrap_or(usize::MAX)
}

/// Whether `from` may reach `to` on `probe`, asserting that all three
/// engines agree.
fn allowed(s: &Scenario, from: &str, to: &str, probe: &str) -> bool {
    let probe = Probe::parse(probe).unwrap_or(Probe::new(netpol_core::Protocol::Tcp, 1));
    let flow = Flow { from: FlowEnd::Endpoint(idx(s, from)), to: FlowEnd::Endpoint(idx(s, to)), probe };
    let fast = is_allowed(s, &flow);
    assert_eq!(evaluate(s, &flow).allowed, fast, "evaluate vs is_allowed {from} -> {to}");
    let m = matrix(s, &[probe]);
    assert_eq!(m.allowed(0, idx(s, from), idx(s, to)), fast, "matrix vs is_allowed {from} -> {to}");
    fast
}

fn diagnostics(yaml: &str, expected: Expect) {
    let out = parse_sources(&[Source { name: "f.yaml", text: yaml }]);
    let text: String = out.diagnostics.iter().map(|d| format!("{}\n", d.render("f.yaml"))).collect();
    expected.assert_eq(&text);
}

const DENY_X_FROM_Y: &str = "
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: deny-from-y}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: red}}}
  ingress:
  - name: no-blue
    action: Deny
    from: [{namespaces: {matchLabels: {team: blue}}}]
";

const NP_ALLOW_ALL_X: &str = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all, namespace: x}
spec:
  podSelector: {}
  ingress: [{}]
";

#[test]
fn admin_deny_cannot_be_overridden_by_a_network_policy() {
    let s = scenario(&format!("{DENY_X_FROM_Y}---\n{NP_ALLOW_ALL_X}"));
    assert!(!allowed(&s, "y/a", "x/a", "TCP/80"));
    assert!(allowed(&s, "x/b", "x/a", "TCP/80"));
    // Egress of y/a is not a subject: only the ingress side denies.
    assert!(allowed(&s, "x/a", "y/a", "TCP/80"));
}

#[test]
fn pass_hands_the_decision_to_network_policies_and_skips_the_rest_of_the_admin_tier() {
    let pass = "
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: pass-a}
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {}}
  ingress:
  - action: Pass
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}}]
";
    let deny_np = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: x}
spec: {podSelector: {}}
";
    // Passed: the Admin deny at priority 10 is skipped; no NetworkPolicy in
    // y isolates, so y/a -> x/a is allowed by default.
    let s = scenario(&format!("{pass}---\n{DENY_X_FROM_Y}"));
    assert!(allowed(&s, "y/a", "x/a", "TCP/80"));
    assert!(!allowed(&s, "y/b", "x/a", "TCP/80"));
    // With a deny-all NetworkPolicy in x, the passed flow is decided there.
    let s = scenario(&format!("{pass}---\n{DENY_X_FROM_Y}---\n{deny_np}"));
    assert!(!allowed(&s, "y/a", "x/a", "TCP/80"));
}

#[test]
fn baseline_applies_only_where_no_network_policy_isolates() {
    let banp = "
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - action: Deny
    from: [{namespaces: {}}]
";
    let s = scenario(banp);
    assert!(!allowed(&s, "x/a", "y/a", "TCP/80"));
    let s = scenario(&format!("{banp}---\n{NP_ALLOW_ALL_X}"));
    assert!(allowed(&s, "y/a", "x/a", "TCP/80"), "the NetworkPolicy overrides the baseline");
    assert!(!allowed(&s, "x/a", "y/a", "TCP/80"), "y has no NetworkPolicy: baseline denies");
}

#[test]
fn lower_priority_number_wins_and_ties_go_by_name_with_a_warning() {
    let policy = |name: &str, priority: u32, action: &str| {
        format!(
            "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {{name: {name}}}
spec:
  tier: Admin
  priority: {priority}
  subject: {{namespaces: {{}}}}
  ingress: [{{action: {action}, from: [{{namespaces: {{}}}}]}}]
"
        )
    };
    let s = scenario(&format!("{}---\n{}", policy("z-deny", 20, "Deny"), policy("a-accept", 30, "Accept")));
    assert!(!allowed(&s, "x/a", "y/a", "TCP/80"), "priority 20 before 30");
    let s = scenario(&format!("{}---\n{}", policy("z-deny", 20, "Deny"), policy("a-accept", 20, "Accept")));
    assert!(allowed(&s, "x/a", "y/a", "TCP/80"), "a tie is broken by name: a-accept first");
    let text = format!("{}---\n{}", policy("z-deny", 20, "Deny"), policy("a-accept", 20, "Accept"));
    let out = parse_str(&text);
    let warnings: Vec<&str> =
        out.diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(|d| d.message.as_str()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0]
        .starts_with("undefined order between ClusterNetworkPolicy `z-deny` and ClusterNetworkPolicy `a-accept`"));
}

#[test]
fn first_matching_rule_decides_within_a_policy_and_port_forms_match() {
    let cnp = "
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: ports}
spec:
  tier: Admin
  priority: 1
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: b}}}}
  ingress:
  - {action: Accept, from: [{namespaces: {}}], protocols: [{destinationNamedPort: http}]}
  - {action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {range: {start: 8000, end: 9000}}}}]}
  - {action: Deny, from: [{namespaces: {}}], protocols: [{udp: {destinationPort: {number: 53}}}]}
";
    let s = scenario(cnp);
    assert!(allowed(&s, "y/a", "x/b", "TCP/8080"), "named port http = 8080 on x/b, Accept first");
    assert!(!allowed(&s, "y/a", "x/b", "TCP/8081"), "in the range");
    assert!(!allowed(&s, "y/a", "x/b", "UDP/53"));
    assert!(allowed(&s, "y/a", "x/b", "TCP/53"), "other protocol: no rule matches");
    assert!(!allowed(&s, "y/a", "y/b", "TCP/8080"), "y/b has no port named http: the range denies");
}

#[test]
fn egress_networks_match_pod_ips_and_external_addresses() {
    let anp = "
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-net}
spec:
  priority: 3
  subject: {namespaces: {matchLabels: {team: red}}}
  egress:
  - {action: Deny, to: [{networks: [10.0.2.0/24, 192.0.2.0/24]}], ports: [{portNumber: {protocol: TCP, port: 80}}]}
";
    let s = scenario(anp);
    assert!(!allowed(&s, "x/a", "y/a", "TCP/80"));
    assert!(allowed(&s, "x/a", "y/a", "TCP/81"));
    assert!(allowed(&s, "x/a", "x/b", "TCP/80"));
    let ext = Flow {
        from: FlowEnd::Endpoint(idx(&s, "x/a")),
        to: FlowEnd::Ip("192.0.2.9".parse().unwrap_or(core::net::IpAddr::from([0, 0, 0, 0]))),
        probe: Probe::new(netpol_core::Protocol::Tcp, 80),
    };
    assert!(!is_allowed(&s, &ext));
    assert!(!evaluate(&s, &ext).allowed);
}

#[test]
fn explanation_chain_names_each_tier() {
    let pass = "
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: pass-a}
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {}}
  ingress:
  - name: to-namespace-owners
    action: Pass
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}}]
";
    let s = scenario(&format!("{pass}---\n{DENY_X_FROM_Y}---\n{NP_ALLOW_ALL_X}"));
    let flow = Flow {
        from: FlowEnd::Endpoint(idx(&s, "y/a")),
        to: FlowEnd::Endpoint(idx(&s, "x/a")),
        probe: Probe::new(netpol_core::Protocol::Tcp, 80),
    };
    let e = evaluate(&s, &flow);
    let tiers: Vec<TierKind> = e.ingress.tiers.iter().map(|t| t.tier).collect();
    assert_eq!(tiers, [TierKind::Admin, TierKind::NetworkPolicy]);
    expect![[r#"
        ALLOWED: y/a -> x/a on TCP/80
        egress of y/a: allowed — not isolated: no policy selects it with policyTypes egress
        ingress of x/a: allowed — isolated by x/allow-all
          tiers: Admin `pass-a` (priority 5): ingress[0] `to-namespace-owners` Pass → NetworkPolicy: a rule allows → allowed
          Admin tier ClusterNetworkPolicy pass-a (lines 32-42)
            ingress[0] Pass (lines 40-42): ✓ matches
              from: ✓ from[0]
                ✓ from[0] (line 42)
                      ✓ namespaceSelector (line 42): empty selector `{}` matches every object, including namespace `y`
                  AND ✓ podSelector (line 42): pod `y/a` matches every requirement
              protocols: ✓ (none listed: every port)
          policy x/allow-all (lines 58-63)
            ingress[0] (line 63): ✓ matches
              from: ✓ (none listed: every peer)
              ports: ✓ (none listed: every port)
          allowed by x/allow-all ingress[0]
    "#]]
    .assert_eq(&explanation_to_text(&s, &e));
}

#[test]
fn v1alpha1_kinds_get_a_superseded_notice() {
    diagnostics(
        "apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: anp}
spec:
  priority: 3
  subject: {namespaces: {}}
  ingress: [{action: Allow, from: [{namespaces: {}}]}]
",
        expect![[r#"
            f.yaml:1:13: notice: apiVersion: AdminNetworkPolicy (v1alpha1) is superseded by ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, `tier: Admin`); it is evaluated with the same meaning
        "#]],
    );
}

#[test]
fn validation_errors_name_the_field() {
    diagnostics(
        "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: bad}
spec:
  tier: Middle
  priority: 1001
  subject: {namespaces: {}, pods: {podSelector: {}}}
  ingress:
  - action: Allow
    from: []
    protocols: [{tcp: {destinationPort: {range: {start: 90, end: 80}}}}]
  egress:
  - action: Deny
    to: [{networks: [10.0.0.0/33]}]
    ports: []
",
        expect![[r#"
            f.yaml:5:9: spec.tier: unsupported value `Middle`: the tier is `Admin` or `Baseline`
            f.yaml:6:13: spec.priority: priority 1001 is out of range: it must be between 0 and 1000
            f.yaml:7:12: spec.subject: set exactly one of `namespaces` or `pods`, not both
            f.yaml:9:13: spec.ingress[0].action: unsupported action `Allow`: ClusterNetworkPolicy expects `Accept`, `Deny` or `Pass`; ClusterNetworkPolicy spells it `Accept`
            f.yaml:10:11: spec.ingress[0].from: `from` is required and must list at least one peer (there is no "every peer" shorthand here)
            f.yaml:11:49: spec.ingress[0].protocols[0].tcp.destinationPort.range: start port 90 must be less than end port 80
            f.yaml:15:5: spec.egress[0]: unknown field `ports`: ClusterNetworkPolicy matches ports under `protocols`, e.g. `protocols: [{tcp: {destinationPort: {number: 80}}}]`
            f.yaml:14:22: spec.egress[0].to[0].networks[0]: `10.0.0.0/33` is not a CIDR such as 10.0.0.0/8 or fd00::/8
        "#]],
    );
    diagnostics(
        "apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: mine}
spec:
  priority: 4
  subject: {pods: {namespaceSelector: {}}}
  egress:
  - action: Pass
    to: [{namespaces: {}}]
    ports: [{namedPort: http}, {portNumber: {protocol: ICMP, port: 1}}]
",
        expect![[r#"
            f.yaml:1:13: notice: apiVersion: BaselineAdminNetworkPolicy (v1alpha1) is superseded by ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, `tier: Baseline`); it is evaluated with the same meaning
            f.yaml:3:18: metadata.name: only one BaselineAdminNetworkPolicy can exist and it must be named `default`
            f.yaml:5:13: spec.priority: unknown field `priority`: the BaselineAdminNetworkPolicy is a singleton without priority
            f.yaml:6:19: spec.subject.pods.podSelector: `podSelector` is required (`{}` selects every pod)
            f.yaml:8:13: spec.egress[0].action: unsupported action `Pass`: BaselineAdminNetworkPolicy expects `Allow` or `Deny`; the baseline tier is the last one, there is nothing to pass to
            f.yaml:10:56: spec.egress[0].ports[1].portNumber.protocol: unsupported protocol `ICMP`: use TCP, UDP or SCTP
        "#]],
    );
}

#[test]
fn a_rejected_cluster_policy_is_left_out() {
    let out = parse_str(
        "apiVersion: policy.networking.k8s.io/v1alpha1
kind: ClusterNetworkPolicy
metadata: {name: wrong-version}
spec: {tier: Admin, priority: 1, subject: {namespaces: {}}}
",
    );
    assert!(out.has_errors());
    assert!(out.scenario.cluster_policies.is_empty());
}

#[test]
fn an_admin_decision_stops_the_chain_and_empties_allowed_by() {
    let s = scenario(&format!("{DENY_X_FROM_Y}---\n{NP_ALLOW_ALL_X}"));
    let flow = Flow {
        from: FlowEnd::Endpoint(idx(&s, "y/a")),
        to: FlowEnd::Endpoint(idx(&s, "x/a")),
        probe: Probe::new(netpol_core::Protocol::Tcp, 80),
    };
    let e = evaluate(&s, &flow);
    assert!(!e.allowed);
    let side = &e.ingress;
    assert!(side.isolated, "the NetworkPolicy still isolates x/a");
    assert_eq!(side.policies.len(), 1, "what the NetworkPolicy tier would check is still shown");
    assert!(side.allowed_by.is_empty() && side.near_misses.is_empty(), "but it was not reached");
    let tiers: Vec<TierKind> = side.tiers.iter().map(|t| t.tier).collect();
    assert_eq!(tiers, [TierKind::Admin]);
    let rule = side.tiers.first().and_then(|t| t.matched_rule()).map(|r| r.index);
    assert_eq!(rule, Some(0));
}

#[test]
fn baseline_steps_follow_an_unisolated_network_policy_step() {
    let cnp = "
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: base}
spec:
  tier: Baseline
  priority: 1
  subject: {namespaces: {}}
  egress:
  - {action: Accept, to: [{namespaces: {matchLabels: {team: red}}}]}
  - {action: Deny, to: [{namespaces: {}}]}
";
    let s = scenario(cnp);
    assert!(allowed(&s, "y/a", "x/b", "TCP/80"));
    assert!(!allowed(&s, "x/a", "y/b", "TCP/80"));
    let flow = Flow {
        from: FlowEnd::Endpoint(idx(&s, "x/a")),
        to: FlowEnd::Endpoint(idx(&s, "y/b")),
        probe: Probe::new(netpol_core::Protocol::Tcp, 80),
    };
    let e = evaluate(&s, &flow);
    let tiers: Vec<TierKind> = e.egress.tiers.iter().map(|t| t.tier).collect();
    assert_eq!(tiers, [TierKind::NetworkPolicy, TierKind::Baseline]);
    assert_eq!(e.egress.tiers.last().map(|t| t.rules.len()), Some(2), "rule 0 checked, rule 1 decided");
}

#[test]
fn probes_in_use_include_cluster_policy_ports() {
    let s = scenario(
        "
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: p}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  ingress:
  - action: Deny
    from: [{namespaces: {}}]
    protocols: [{udp: {destinationPort: {number: 5353}}}, {sctp: {destinationPort: {range: {start: 9000, end: 9100}}}}]
",
    );
    let probes = s.probes_in_use();
    assert!(probes.contains(&Probe::new(netpol_core::Protocol::Udp, 5353)));
    assert!(probes.contains(&Probe::new(netpol_core::Protocol::Sctp, 9000)));
}

#[test]
fn v1alpha1_chain_uses_the_v1alpha1_spelling() {
    let s = scenario(
        "
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: web}
spec:
  priority: 7
  subject: {namespaces: {matchLabels: {team: blue}}}
  ingress:
  - {action: Deny, from: [{namespaces: {matchLabels: {team: blue}}}], ports: [{portNumber: {protocol: UDP, port: 53}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {name: red-ok, action: Allow, from: [{namespaces: {matchLabels: {team: red}}}]}
",
    );
    let flow = Flow {
        from: FlowEnd::Endpoint(idx(&s, "x/a")),
        to: FlowEnd::Endpoint(idx(&s, "y/b")),
        probe: Probe::new(netpol_core::Protocol::Tcp, 80),
    };
    expect![[r#"
        ALLOWED: x/a -> y/b on TCP/80
        egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
        ingress of y/b: allowed — not isolated: no policy selects it with policyTypes ingress
          tiers: Admin `web` (ANP, priority 7): no rule matches → NetworkPolicy: not isolated → Baseline `default` (BANP): ingress[0] `red-ok` Allow → allowed
          Admin tier AdminNetworkPolicy web (lines 32-39)
            ingress[0] Deny (line 39): ✗ no match
              from: ✗ from[0]
                ✗ from[0] (line 39)
                      ✗ namespaceSelector (line 39): namespace `x` has `team=red`, not `team=blue`
              ports: ✗
                ✗ ports[0] (line 39): protocol is TCP, the entry allows UDP
          Baseline tier BaselineAdminNetworkPolicy default (lines 41-47)
            ingress[0] Allow (line 47): ✓ matches
              from: ✓ from[0]
                ✓ from[0] (line 47)
                      ✓ namespaceSelector (line 47): namespace `x` matches every requirement
              ports: ✓ (none listed: every port)
    "#]].assert_eq(&explanation_to_text(&s, &evaluate(&s, &flow)));
}
