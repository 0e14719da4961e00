//! Snapshots of the text decision chain (`netpol explain --format text`) for
//! each action and tier of the network-policy-api evaluation order
//! (kubernetes-sigs/network-policy-api `apis/v1alpha2/clusternetworkpolicy_types.go`:
//! Admin tier by ascending priority → NetworkPolicy → Baseline tier → default
//! allow; `Accept`/`Deny` final, `Pass` skips to the next tier) and for the
//! superseded v1alpha1 kinds (`Allow` instead of `Accept`). The cases
//! `cluster_policies.rs` already snapshots (Pass → NetworkPolicy allow,
//! ANP no match → BANP Allow) are not repeated.

use expect_test::{expect, Expect};
use netpol_core::eval::{evaluate, explanation_to_text};
use netpol_core::parse::parse_str;
use netpol_core::{Flow, FlowEnd, Probe, Scenario};

/// Namespace `x` (team=red) with pod `a`, namespace `y` (team=blue) with
/// pod `b`, and an external address used by egress cases.
const PODS: &str = "apiVersion: v1
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
metadata: {name: b, namespace: y, labels: {app: b}}
status: {podIP: 10.0.2.2}
";

fn scenario(policies: &[&str]) -> Scenario {
    let mut text = String::from(PODS);
    for p in policies {
        text.push_str("---\n");
        text.push_str(p);
    }
    let out = parse_str(&text);
    let errors: Vec<String> = out.errors().map(|d| d.render("t")).collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    out.scenario
}

fn end(s: &Scenario, name: &str) -> FlowEnd {
    match name.split_once('/') {
        Some((ns, n)) => FlowEnd::Endpoint(s.endpoint_index(ns, n).unwrap_or(usize::MAX)),
        None => FlowEnd::Ip(name.parse().unwrap_or(core::net::IpAddr::from([0, 0, 0, 0]))),
    }
}

fn check(policies: &[&str], from: &str, to: &str, probe: &str, expected: Expect) {
    let s = scenario(policies);
    let probe = Probe::parse(probe).unwrap_or(Probe::new(netpol_core::Protocol::Tcp, 1));
    let flow = Flow { from: end(&s, from), to: end(&s, to), probe };
    expected.assert_eq(&explanation_to_text(&s, &evaluate(&s, &flow)));
}

/// An Admin-tier ClusterNetworkPolicy for pods of `y` with one ingress rule.
fn admin(name: &str, priority: u32, rule: &str) -> String {
    format!(
        "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {{name: {name}}}
spec:
  tier: Admin
  priority: {priority}
  subject: {{namespaces: {{matchLabels: {{team: blue}}}}}}
  ingress:
  - {rule}
"
    )
}

fn baseline(name: &str, rule: &str) -> String {
    format!(
        "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {{name: {name}}}
spec:
  tier: Baseline
  priority: 1
  subject: {{namespaces: {{matchLabels: {{team: blue}}}}}}
  ingress:
  - {rule}
"
    )
}

const FROM_RED: &str = "from: [{namespaces: {matchLabels: {team: red}}}]";

/// A NetworkPolicy in `y` admitting everything into `b`.
const NP_ALLOW_B: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-b, namespace: y}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress: [{}]
";

/// A NetworkPolicy in `y` isolating every pod for ingress, admitting nothing.
const NP_DENY_Y: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: y}
spec: {podSelector: {}}
";

#[test]
fn admin_accept_is_final_even_over_an_isolating_network_policy() {
    check(
        &[&admin("accept-red", 10, &format!("{{name: red-in, action: Accept, {FROM_RED}}}")), NP_DENY_Y],
        "x/a",
        "y/b",
        "TCP/80",
        expect![[r#"
            ALLOWED: x/a -> y/b on TCP/80
            egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
            ingress of y/b: allowed — isolated by y/deny-all
              tiers: Admin `accept-red` (priority 10): ingress[0] `red-in` Accept → allowed
              Admin tier ClusterNetworkPolicy accept-red (lines 19-27)
                ingress[0] Accept (line 27): ✓ matches
                  from: ✓ from[0]
                    ✓ from[0] (line 27)
                          ✓ namespaceSelector (line 27): namespace `x` matches every requirement
                  protocols: ✓ (none listed: every port)
              policy y/deny-all (lines 29-32)
                no ingress rules: allows nothing
        "#]],
    );
}

#[test]
fn admin_deny_is_final_even_over_an_admitting_network_policy() {
    check(
        &[
            &admin(
                "deny-red",
                10,
                &format!("{{action: Deny, {FROM_RED}, protocols: [{{tcp: {{destinationPort: {{number: 80}}}}}}]}}"),
            ),
            NP_ALLOW_B,
        ],
        "x/a",
        "y/b",
        "TCP/80",
        expect![[r#"
            DENIED: x/a -> y/b on TCP/80
            egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
            ingress of y/b: denied — isolated by y/allow-b
              tiers: Admin `deny-red` (priority 10): ingress[0] Deny → denied
              Admin tier ClusterNetworkPolicy deny-red (lines 19-27)
                ingress[0] Deny (line 27): ✓ matches
                  from: ✓ from[0]
                    ✓ from[0] (line 27)
                          ✓ namespaceSelector (line 27): namespace `x` matches every requirement
                  protocols: ✓
                    ✓ protocols[0] (line 27): port 80 is port 80
              policy y/allow-b (lines 29-34)
                ingress[0] (line 34): ✓ matches
                  from: ✓ (none listed: every peer)
                  ports: ✓ (none listed: every port)
        "#]],
    );
}

#[test]
fn admin_pass_to_an_isolating_network_policy_denies() {
    check(
        &[&admin("pass-red", 10, &format!("{{action: Pass, {FROM_RED}}}")), NP_DENY_Y],
        "x/a",
        "y/b",
        "TCP/80",
        expect![[r#"
            DENIED: x/a -> y/b on TCP/80
            egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
            ingress of y/b: denied — isolated by y/deny-all
              tiers: Admin `pass-red` (priority 10): ingress[0] Pass → NetworkPolicy: isolated, no rule allows → denied
              Admin tier ClusterNetworkPolicy pass-red (lines 19-27)
                ingress[0] Pass (line 27): ✓ matches
                  from: ✓ from[0]
                    ✓ from[0] (line 27)
                          ✓ namespaceSelector (line 27): namespace `x` matches every requirement
                  protocols: ✓ (none listed: every port)
              policy y/deny-all (lines 29-32)
                no ingress rules: allows nothing
        "#]],
    );
}

#[test]
fn admin_pass_skips_the_lower_priority_admin_deny_and_reaches_the_baseline() {
    check(
        &[
            &admin("pass-red", 5, &format!("{{action: Pass, {FROM_RED}}}")),
            &admin("deny-red", 10, &format!("{{action: Deny, {FROM_RED}}}")),
            &baseline("baseline-deny", &format!("{{name: no-red, action: Deny, {FROM_RED}}}")),
        ],
        "x/a",
        "y/b",
        "TCP/80",
        expect![[r#"
            DENIED: x/a -> y/b on TCP/80
            egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
            ingress of y/b: denied — not isolated: no policy selects it with policyTypes ingress
              tiers: Admin `pass-red` (priority 5): ingress[0] Pass → NetworkPolicy: not isolated → Baseline `baseline-deny` (priority 1): ingress[0] `no-red` Deny → denied
              Admin tier ClusterNetworkPolicy pass-red (lines 19-27)
                ingress[0] Pass (line 27): ✓ matches
                  from: ✓ from[0]
                    ✓ from[0] (line 27)
                          ✓ namespaceSelector (line 27): namespace `x` matches every requirement
                  protocols: ✓ (none listed: every port)
              Baseline tier ClusterNetworkPolicy baseline-deny (lines 39-47)
                ingress[0] Deny (line 47): ✓ matches
                  from: ✓ from[0]
                    ✓ from[0] (line 47)
                          ✓ namespaceSelector (line 47): namespace `x` matches every requirement
                  protocols: ✓ (none listed: every port)
        "#]],
    );
}

#[test]
fn baseline_accept_decides_for_a_pod_no_network_policy_isolates() {
    check(
        &[&baseline("baseline-accept", &format!("{{action: Accept, {FROM_RED}}}"))],
        "x/a",
        "y/b",
        "TCP/80",
        expect![[r#"
            ALLOWED: x/a -> y/b on TCP/80
            egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
            ingress of y/b: allowed — not isolated: no policy selects it with policyTypes ingress
              tiers: NetworkPolicy: not isolated → Baseline `baseline-accept` (priority 1): ingress[0] Accept → allowed
              Baseline tier ClusterNetworkPolicy baseline-accept (lines 19-27)
                ingress[0] Accept (line 27): ✓ matches
                  from: ✓ from[0]
                    ✓ from[0] (line 27)
                          ✓ namespaceSelector (line 27): namespace `x` matches every requirement
                  protocols: ✓ (none listed: every port)
        "#]],
    );
}

#[test]
fn a_network_policy_allow_overrides_the_baseline_deny() {
    // The Baseline tier is never consulted: the chain has no cluster step,
    // so the text reads as for NetworkPolicies alone.
    check(
        &[&baseline("baseline-deny", &format!("{{action: Deny, {FROM_RED}}}")), NP_ALLOW_B],
        "x/a",
        "y/b",
        "TCP/80",
        expect![[r#"
            ALLOWED: x/a -> y/b on TCP/80
            egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
            ingress of y/b: allowed — isolated by y/allow-b
              policy y/allow-b (lines 29-34)
                ingress[0] (line 34): ✓ matches
                  from: ✓ (none listed: every peer)
                  ports: ✓ (none listed: every port)
              allowed by y/allow-b ingress[0]
        "#]],
    );
}

#[test]
fn no_tier_matches_and_the_default_allows() {
    check(
        &[&admin(
            "deny-red-udp",
            10,
            &format!("{{action: Deny, {FROM_RED}, protocols: [{{udp: {{destinationPort: {{number: 53}}}}}}]}}"),
        )],
        "x/a",
        "y/b",
        "TCP/80",
        expect![[r#"
            ALLOWED: x/a -> y/b on TCP/80
            egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
            ingress of y/b: allowed — not isolated: no policy selects it with policyTypes ingress
              tiers: Admin `deny-red-udp` (priority 10): no rule matches → NetworkPolicy: not isolated → default: allowed
              Admin tier ClusterNetworkPolicy deny-red-udp (lines 19-27)
                ingress[0] Deny (line 27): ✗ no match
                  from: ✓ from[0]
                    ✓ from[0] (line 27)
                          ✓ namespaceSelector (line 27): namespace `x` matches every requirement
                  protocols: ✗
                    ✗ protocols[0] (line 27): protocol is TCP, the entry allows UDP
        "#]],
    );
}

#[test]
fn admin_egress_deny_to_a_network() {
    let deny_egress = "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: no-internet}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  egress:
  - {name: block, action: Deny, to: [{networks: [203.0.113.0/24]}]}
";
    check(
        &[deny_egress],
        "x/a",
        "203.0.113.7",
        "TCP/443",
        expect![[r#"
        DENIED: x/a -> 203.0.113.7 on TCP/443
        egress of x/a: denied — not isolated: no policy selects it with policyTypes egress
          tiers: Admin `no-internet` (priority 1): egress[0] `block` Deny → denied
          Admin tier ClusterNetworkPolicy no-internet (lines 19-27)
            egress[0] Deny (line 27): ✓ matches
              to: ✓ to[0]
                ✓ to[0] (line 27)
                      ✓ networks (line 27): 203.0.113.7 is inside 203.0.113.0/24 and no except
              protocols: ✓ (none listed: every port)
        ingress of 203.0.113.7: allowed — an external address: no NetworkPolicy applies to it
    "#]],
    );
}

#[test]
fn v1alpha1_anp_allow_and_banp_deny() {
    let anp = "apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: allow-dns}
spec:
  priority: 3
  subject: {namespaces: {}}
  ingress:
  - {name: dns, action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {protocol: UDP, port: 53}}]}
";
    let banp = "apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
";
    check(
        &[anp, banp],
        "x/a",
        "y/b",
        "UDP/53",
        expect![[r#"
        ALLOWED: x/a -> y/b on UDP/53
        egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
        ingress of y/b: allowed — not isolated: no policy selects it with policyTypes ingress
          tiers: Admin `allow-dns` (ANP, priority 3): ingress[0] `dns` Allow → allowed
          Admin tier AdminNetworkPolicy allow-dns (lines 19-26)
            ingress[0] Allow (line 26): ✓ matches
              from: ✓ from[0]
                ✓ from[0] (line 26)
                      ✓ namespaceSelector (line 26): empty selector `{}` matches every object, including namespace `x`
              ports: ✓
                ✓ ports[0] (line 26): port 53 is port 53
    "#]],
    );
    check(
        &[anp, banp],
        "x/a",
        "y/b",
        "TCP/80",
        expect![[r#"
        DENIED: x/a -> y/b on TCP/80
        egress of x/a: allowed — not isolated: no policy selects it with policyTypes egress
        ingress of y/b: denied — not isolated: no policy selects it with policyTypes ingress
          tiers: Admin `allow-dns` (ANP, priority 3): no rule matches → NetworkPolicy: not isolated → Baseline `default` (BANP): ingress[0] `deny-all` Deny → denied
          Admin tier AdminNetworkPolicy allow-dns (lines 19-26)
            ingress[0] Allow (line 26): ✗ no match
              from: ✓ from[0]
                ✓ from[0] (line 26)
                      ✓ namespaceSelector (line 26): empty selector `{}` matches every object, including namespace `x`
              ports: ✗
                ✗ ports[0] (line 26): protocol is TCP, the entry allows UDP
          Baseline tier BaselineAdminNetworkPolicy default (lines 28-34)
            ingress[0] Deny (line 34): ✓ matches
              from: ✓ from[0]
                ✓ from[0] (line 34)
                      ✓ namespaceSelector (line 34): empty selector `{}` matches every object, including namespace `x`
              ports: ✓ (none listed: every port)
    "#]],
    );
}
