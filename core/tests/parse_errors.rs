//! One test per validation rule of the parser: each asserts the severity,
//! line, column, field path and message of what is reported, as rendered
//! `file:line:col: [severity: ]path: message` lines (expect-test snapshots;
//! refresh with `UPDATE_EXPECT=1` and review the diff).
//!
//! The rules are the API server's: k8s.io/kubernetes
//! pkg/apis/networking/validation/validation.go (`ValidateNetworkPolicySpec`,
//! `ValidateNetworkPolicyPeer`, `ValidateNetworkPolicyPort`,
//! `ValidateIPBlock`) and k8s.io/apimachinery
//! pkg/apis/meta/v1/validation (`ValidateLabelSelector`, `ValidateLabels`).

use expect_test::{expect, Expect};
use netpol_core::parse::{parse_sources, parse_str, Severity, Source};

/// Renders every diagnostic of `yaml` (a source named `f.yaml`), one per line.
fn check(yaml: &str, expected: Expect) {
    let out = parse_sources(&[Source { name: "f.yaml", text: yaml }]);
    let text: String = out.diagnostics.iter().map(|d| format!("{}\n", d.render("f.yaml"))).collect();
    expected.assert_eq(&text);
}

/// A NetworkPolicy `prod/np` whose `spec:` is on line 5; `body` starts on
/// line 6 and is indented by two spaces already.
fn np(body: &str) -> String {
    format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: np, namespace: prod}}\n# spec follows\nspec:\n{body}")
}

/// Asserts the policy was rejected (left out of the scenario).
fn rejected(yaml: &str) {
    let out = parse_str(yaml);
    assert!(out.scenario.policies.is_empty(), "policy should be rejected");
    assert!(out.has_errors());
}

#[test]
fn match_labels_key_must_be_a_qualified_name() {
    let y = np("  podSelector:\n    matchLabels:\n      bad key: x\n");
    check(
        &y,
        expect![[r#"
        f.yaml:8:7: spec.podSelector.matchLabels["bad key"]: label key `bad key` is invalid: the name must start and end with a letter or digit and contain only letters, digits, `-`, `_` and `.`
    "#]],
    );
    rejected(&y);
    check(
        &np("  podSelector:\n    matchLabels:\n      Example.com/app: x\n"),
        expect![[r#"
        f.yaml:8:7: spec.podSelector.matchLabels["Example.com/app"]: the prefix `Example.com` of label key `Example.com/app` must be a lower-case DNS subdomain: parts of lower-case letters, digits and `-`, separated by `.`, each starting and ending with a letter or digit
    "#]],
    );
}

#[test]
fn match_labels_value_must_be_a_label_value() {
    check(
        &np("  podSelector:\n    matchLabels:\n      app: -web\n"),
        expect![[r#"
        f.yaml:8:12: spec.podSelector.matchLabels.app: label value `-web` is invalid: a value must be empty or start and end with a letter or digit and contain only letters, digits, `-`, `_` and `.`
    "#]],
    );
    let long = "a".repeat(64);
    check(
        &np(&format!("  podSelector:\n    matchLabels:\n      app: {long}\n")),
        expect![[r#"
        f.yaml:8:12: spec.podSelector.matchLabels.app: label value `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa` must be no more than 63 characters
    "#]],
    );
}

#[test]
fn match_labels_value_must_be_a_string() {
    check(
        &np("  podSelector:\n    matchLabels:\n      version: 1\n      on: true\n"),
        expect![[r#"
        f.yaml:8:16: spec.podSelector.matchLabels.version: expected a string, found the number 1; write "1" in quotes
        f.yaml:9:11: spec.podSelector.matchLabels.on: expected a string, found the boolean true; write "true" in quotes
    "#]],
    );
}

/// Kubernetes decodes YAML with go-yaml v2, which still reads `yes`/`no`/
/// `on`/`off` as booleans; the 1.2 core schema we parse with reads them as
/// strings, so warn where a string is expected.
#[test]
fn yaml_1_1_booleans_warn() {
    check(
        &np("  podSelector:\n    matchLabels:\n      enabled: yes\n      quoted: \"no\"\n"),
        expect![[r#"
            f.yaml:8:16: warning: spec.podSelector.matchLabels.enabled: kubectl reads an unquoted `yes` as a boolean (YAML 1.1) and the API server then rejects it; write "yes" in quotes
        "#]],
    );
}

#[test]
fn match_expressions_key_and_values_are_validated() {
    let y = np(
        "  podSelector:\n    matchExpressions:\n    - key: a/b/c\n      operator: In\n      values: [ok, \"no way\"]\n",
    );
    check(
        &y,
        expect![[r#"
        f.yaml:8:12: spec.podSelector.matchExpressions[0].key: label key `a/b/c` may contain at most one `/` (between an optional prefix and the name)
        f.yaml:10:20: spec.podSelector.matchExpressions[0].values[1]: label value `no way` is invalid: a value must be empty or start and end with a letter or digit and contain only letters, digits, `-`, `_` and `.`
    "#]],
    );
    rejected(&y);
}

#[test]
fn in_and_not_in_need_values() {
    check(&np("  podSelector:\n    matchExpressions:\n    - {key: env, operator: NotIn, values: []}\n    - {key: env, operator: In}\n"), expect![[r#"
        f.yaml:8:43: spec.podSelector.matchExpressions[0].values: `values` must list at least one value when `operator` is `NotIn`
        f.yaml:9:7: spec.podSelector.matchExpressions[1].values: `values` must list at least one value when `operator` is `In`
    "#]]);
}

#[test]
fn exists_and_does_not_exist_take_no_values() {
    check(
        &np("  podSelector:\n    matchExpressions:\n    - key: env\n      operator: Exists\n      values: [prod]\n"),
        expect![[r#"
        f.yaml:10:15: spec.podSelector.matchExpressions[0].values: `values` must be empty when `operator` is `Exists`; remove `values`
    "#]],
    );
}

#[test]
fn unknown_operator_names_the_four_valid_ones() {
    check(
        &np("  podSelector:\n    matchExpressions:\n    - key: env\n      operator: Equals\n      values: [prod]\n"),
        expect![[r#"
        f.yaml:9:17: spec.podSelector.matchExpressions[0].operator: unknown operator `Equals`: it must be one of `In`, `NotIn`, `Exists`, `DoesNotExist`
    "#]],
    );
    check(
        &np("  podSelector:\n    matchExpressions:\n    - {key: env, operator: notin, values: [a]}\n"),
        expect![[r#"
        f.yaml:8:28: spec.podSelector.matchExpressions[0].operator: unknown operator `notin` (write `NotIn`; operators are case-sensitive): it must be one of `In`, `NotIn`, `Exists`, `DoesNotExist`
    "#]],
    );
}

#[test]
fn object_labels_are_validated() {
    let y = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: \"web server\"\n    -x: y\n";
    check(
        y,
        expect![[r#"
        f.yaml:6:10: metadata.labels.app: label value `web server` is invalid: a value must be empty or start and end with a letter or digit and contain only letters, digits, `-`, `_` and `.`
        f.yaml:7:5: metadata.labels["-x"]: label key `-x` is invalid: the name must start and end with a letter or digit and contain only letters, digits, `-`, `_` and `.`
    "#]],
    );
    assert!(parse_str(y).scenario.endpoints.is_empty());
}

#[test]
fn port_numbers_are_1_to_65535() {
    let y = np("  podSelector: {}\n  ingress:\n  - ports:\n    - port: 0\n    - port: 70000\n    - port: 99999999999999999999\n");
    check(
        &y,
        expect![[r#"
            f.yaml:9:13: spec.ingress[0].ports[0].port: port 0 is out of range: it must be between 1 and 65535
            f.yaml:10:13: spec.ingress[0].ports[1].port: port 70000 is out of range: it must be between 1 and 65535
            f.yaml:11:13: spec.ingress[0].ports[2].port: port 99999999999999999999 is out of range: it must be between 1 and 65535
        "#]],
    );
    rejected(&y);
}

#[test]
fn named_ports_must_be_iana_svc_names() {
    check(&np("  podSelector: {}\n  ingress:\n  - ports:\n    - port: Http\n    - port: my-very-long-port-name\n    - port: a--b\n"), expect![[r#"
        f.yaml:9:13: spec.ingress[0].ports[0].port: port name `Http` may contain only lower-case letters, digits and `-`
        f.yaml:10:13: spec.ingress[0].ports[1].port: port name `my-very-long-port-name` must be 1 to 15 characters
        f.yaml:11:13: spec.ingress[0].ports[2].port: port name `a--b` may not contain `--`
    "#]]);
}

#[test]
fn a_quoted_port_number_is_a_bad_name() {
    check(
        &np("  podSelector: {}\n  ingress:\n  - ports:\n    - port: \"80\"\n"),
        expect![[r#"
        f.yaml:9:13: spec.ingress[0].ports[0].port: "80" is a string, so it is read as a port name, and a name needs a letter: write 80 without quotes
    "#]],
    );
}

#[test]
fn end_port_needs_a_numeric_port_at_or_below_it() {
    check(&np("  podSelector: {}\n  egress:\n  - ports:\n    - {protocol: udp, endPort: 90}\n    - {port: http, endPort: 90}\n    - {port: 100, endPort: 90}\n    - {port: 80, endPort: 90}\n"), expect![[r#"
        f.yaml:9:18: spec.egress[0].ports[0].protocol: unsupported protocol `udp`: write `UDP` (protocols are upper case)
        f.yaml:9:32: spec.egress[0].ports[0].endPort: `endPort` may not be given without a numeric `port` (the start of the range)
        f.yaml:10:29: spec.egress[0].ports[1].endPort: `endPort` may not be given when `port` is a name (`http`); use a number
        f.yaml:11:28: spec.egress[0].ports[2].endPort: `endPort` 90 must be greater than or equal to `port` 100
    "#]]);
}

#[test]
fn protocol_is_exactly_tcp_udp_or_sctp() {
    check(
        &np("  podSelector: {}\n  ingress:\n  - ports:\n    - {protocol: tcp, port: 80}\n    - {protocol: ICMP}\n"),
        expect![[r#"
        f.yaml:9:18: spec.ingress[0].ports[0].protocol: unsupported protocol `tcp`: write `TCP` (protocols are upper case)
        f.yaml:10:18: spec.ingress[0].ports[1].protocol: unsupported protocol `ICMP`: it must be `TCP`, `UDP` or `SCTP`
    "#]],
    );
}

#[test]
fn cidrs_must_parse() {
    check(&np("  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.1}\n    - ipBlock: {cidr: 10.0.0.0/40}\n    - ipBlock: {cidr: 'fe80::/64', except: [nonsense]}\n    - ipBlock: {except: [10.0.0.0/8]}\n"), expect![[r#"
        f.yaml:9:23: spec.ingress[0].from[0].ipBlock.cidr: `10.0.0.1` is not a CIDR: add a prefix length, e.g. `10.0.0.1/32` for one IPv4 address
        f.yaml:10:23: spec.ingress[0].from[1].ipBlock.cidr: `10.0.0.0/40` is not a valid CIDR: prefix length 40 is too long
        f.yaml:11:45: spec.ingress[0].from[2].ipBlock.except[0]: `nonsense` is not a CIDR: add a prefix length, e.g. `nonsense/32` for one IPv4 address
        f.yaml:12:16: spec.ingress[0].from[3].ipBlock.cidr: `cidr` is required, e.g. `cidr: 10.0.0.0/8`
    "#]]);
}

#[test]
fn host_bits_are_accepted_with_a_warning() {
    let y = np("  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.1/24}\n");
    check(
        &y,
        expect![[r#"
        f.yaml:9:23: warning: spec.ingress[0].from[0].ipBlock.cidr: `10.0.0.1/24` has host bits set; the API server accepts it and uses `10.0.0.0/24`
    "#]],
    );
    let out = parse_str(&y);
    assert_eq!(out.scenario.policies.len(), 1);
}

#[test]
fn except_must_be_strictly_inside_cidr_and_same_family() {
    let y = np("  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.0.0.0/16\n        except:\n        - 10.0.0.0/16\n        - 10.1.0.0/24\n        - 10.0.0.0/8\n        - fd00::/64\n        - 10.0.5.0/24\n");
    check(
        &y,
        expect![[r#"
        f.yaml:12:11: spec.ingress[0].from[0].ipBlock.except[0]: `10.0.0.0/16` must be strictly inside cidr `10.0.0.0/16` (a smaller block within it)
        f.yaml:13:11: spec.ingress[0].from[0].ipBlock.except[1]: `10.1.0.0/24` must be strictly inside cidr `10.0.0.0/16` (a smaller block within it)
        f.yaml:14:11: spec.ingress[0].from[0].ipBlock.except[2]: `10.0.0.0/8` must be strictly inside cidr `10.0.0.0/16` (a smaller block within it)
        f.yaml:15:11: spec.ingress[0].from[0].ipBlock.except[3]: `fd00::/64` and cidr `10.0.0.0/16` are of different IP families
    "#]],
    );
    rejected(&y);
}

#[test]
fn a_peer_must_set_a_field() {
    check(
        &np("  podSelector: {}\n  ingress:\n  - from:\n    - {}\n    - podSelector:\n"),
        expect![[r#"
        f.yaml:9:7: spec.ingress[0].from[0]: an entry must set at least one of `podSelector`, `namespaceSelector` or `ipBlock`; to allow every peer, leave out the whole list
        f.yaml:10:7: spec.ingress[0].from[1]: `podSelector` is empty (null), so this entry selects nothing and the API server rejects it; write `podSelector: {}` to match everything
    "#]],
    );
}

#[test]
fn ip_block_is_not_combined_with_selectors() {
    check(
        &np("  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n      namespaceSelector: {}\n"),
        expect![[r#"
        f.yaml:9:7: spec.egress[0].to[0]: `ipBlock` may not be combined with `podSelector` or `namespaceSelector` in one entry; make them separate entries of the list
    "#]],
    );
}

#[test]
fn policy_types_are_ingress_or_egress() {
    check(
        &np("  podSelector: {}\n  policyTypes: [ingress, Sideways]\n"),
        expect![[r#"
        f.yaml:7:17: spec.policyTypes[0]: unsupported policy type `ingress` (write `Ingress`): it must be `Ingress` or `Egress`
        f.yaml:7:26: spec.policyTypes[1]: unsupported policy type `Sideways`: it must be `Ingress` or `Egress`
    "#]],
    );
    check(
        &np("  podSelector: {}\n  policyTypes: [Ingress, Egress, Ingress]\n"),
        expect![[r#"
        f.yaml:7:16: spec.policyTypes: may not list more than two policyTypes (`Ingress`, `Egress`)
    "#]],
    );
}

#[test]
fn unknown_spec_fields_get_a_suggestion() {
    check(&np("  podselector: {}\n  ingress:\n  - from:\n    - podSelectr: {}\n      namespaceSelector: {matchLabel: {a: b}}\n"), expect![[r#"
        f.yaml:6:3: spec: unknown field `podselector`; did you mean `podSelector`?
        f.yaml:9:7: spec.ingress[0].from[0]: unknown field `podSelectr`; did you mean `podSelector`?
        f.yaml:10:27: spec.ingress[0].from[0].namespaceSelector: unknown field `matchLabel`; did you mean `matchLabels`?
    "#]]);
}

#[test]
fn deny_and_order_fields_are_explained() {
    check(
        &np("  podSelector: {}\n  order: 10\n  ingress:\n  - action: Deny\n"),
        expect![[r#"
        f.yaml:7:3: spec: unknown field `order`: NetworkPolicy has no deny and no order; those are Calico/Cilium/AdminNetworkPolicy fields. NetworkPolicies only allow, and they add up
        f.yaml:9:5: spec.ingress[0]: unknown field `action`: NetworkPolicy has no deny and no order; those are Calico/Cilium/AdminNetworkPolicy fields. NetworkPolicies only allow, and they add up
    "#]],
    );
}

#[test]
fn misplaced_fields_get_specific_advice() {
    check(&np("  podSelector: {}\n  ingress:\n  - to: []\n  egress:\n  - to:\n    - podSelector: {}\n      ports: [{port: 53}]\n"), expect![[r#"
        f.yaml:8:5: spec.ingress[0]: unknown field `to`: ingress rules list their peers under `from`; `to` is for egress rules
        f.yaml:12:7: spec.egress[0].to[0]: unknown field `ports`: `ports` belongs to the rule, next to `from`/`to`, not inside one of its entries
    "#]]);
    check(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\npodSelector: {}\n",
        expect![[r#"
        f.yaml:4:1: podSelector: `podSelector` must be inside `spec`
        f.yaml:1:1: warning: spec: this policy has no `spec`: it selects every pod in namespace `default` and denies all their incoming traffic
    "#]],
    );
}

#[test]
fn wrong_types_say_what_was_expected() {
    check(&np("  podSelector: []\n  ingress: allow-all\n  egress:\n  - to: {podSelector: {}}\n    ports:\n    - port: [80]\n"), expect![[r#"
        f.yaml:6:16: spec.podSelector: expected a mapping (`key: value` lines), found a list
        f.yaml:7:12: spec.ingress: expected a list (`- ` items), found the string "allow-all"
        f.yaml:9:9: spec.egress[0].to: expected a list (`- ` items), found a mapping
        f.yaml:11:13: spec.egress[0].ports[0].port: expected a port number or a port name, found a list
    "#]]);
}

#[test]
fn a_document_needs_a_kind_and_a_name() {
    check(
        "apiVersion: v1\nmetadata: {name: x}\n---\nkind: Pod\nmetadata: {namespace: a}\n",
        expect![[r#"
        f.yaml:1:1: kind: this document has no `kind`; add one, e.g. `kind: NetworkPolicy`
        f.yaml:4:1: metadata.name: this Pod has no `metadata.name`; every object needs one
    "#]],
    );
    check(
        "- just\n- a list\n",
        expect![[r#"
        f.yaml:1:1: expected a Kubernetes object (`apiVersion`, `kind`, `metadata`, …), found a list
    "#]],
    );
}

#[test]
fn network_policy_api_versions() {
    let y = "apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: old}\nspec: {podSelector: {}}\n---\napiVersion: networking.k8s.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: wrong}\nspec: {podSelector: {}}\n";
    check(
        y,
        expect![[r#"
        f.yaml:1:13: notice: apiVersion: extensions/v1beta1 NetworkPolicy was removed in Kubernetes 1.16; it is read with the same meaning here, but use `networking.k8s.io/v1`
        f.yaml:6:13: apiVersion: NetworkPolicy is not served as `networking.k8s.io/v1beta1`: write `apiVersion: networking.k8s.io/v1`
    "#]],
    );
    let out = parse_str(y);
    assert_eq!(out.scenario.policies.len(), 1);
    assert_eq!(out.scenario.policies[0].api_version, netpol_core::model::PolicyApiVersion::ExtensionsV1beta1);
}

#[test]
fn other_kinds_are_skipped_with_a_notice() {
    let y = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";
    check(
        y,
        expect![[r#"
        f.yaml:2:7: notice: kind: skipped: a `ConfigMap` does not take part in NetworkPolicy evaluation
        f.yaml:7:7: notice: kind: skipped: a `Widget` does not take part in NetworkPolicy evaluation
    "#]],
    );
    let out = parse_str(y);
    assert!(!out.has_errors());
    let named: Vec<_> = out.documents.iter().map(|d| (d.kind.as_str(), d.name.as_deref(), d.accepted)).collect();
    assert_eq!(named, [("ConfigMap", Some("c"), false), ("Widget", Some("w"), false)]);
}

#[test]
fn duplicate_objects_keep_the_first() {
    let y = "kind: Pod\nmetadata: {name: a, labels: {v: one}}\n---\nkind: Pod\nmetadata: {name: a, labels: {v: two}}\n";
    check(
        y,
        expect![[r#"
        f.yaml:4:1: metadata.name: duplicate Pod default/a: it is already defined at f.yaml:1; the first definition is used
    "#]],
    );
    let out = parse_str(y);
    assert_eq!(out.scenario.endpoints.len(), 1);
    assert_eq!(out.scenario.endpoints[0].labels.get("v").map(String::as_str), Some("one"));
}

#[test]
fn endpoints_sharing_a_name_across_kinds_warn() {
    let y = "kind: Pod\nmetadata: {name: web}\n---\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {metadata: {labels: {app: web}}}}\n";
    check(
        y,
        expect![[r#"
        f.yaml:4:1: warning: metadata.name: a Pod is also called default/web; both are kept, but `default/web` in the CLI and matrix means the first
    "#]],
    );
    assert_eq!(parse_str(y).scenario.endpoints.len(), 2);
}

#[test]
fn duplicate_yaml_keys_are_errors() {
    let y = np("  podSelector: {}\n  ingress: []\n  ingress:\n  - {}\n");
    check(
        &y,
        expect![[r#"
        f.yaml:8:3: spec: duplicate key `ingress` (first at line 7); remove one of them
    "#]],
    );
    rejected(&y);
}

#[test]
fn container_and_service_ports_are_validated() {
    let y = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - ports:\n    - {containerPort: 0}\n    - {containerPort: 80, name: HTTP}\n---\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - {port: 80, targetPort: \"8080\"}\n  - {targetPort: 80}\n";
    check(
        y,
        expect![[r#"
        f.yaml:6:23: spec.containers[0].ports[0].containerPort: port 0 is out of range: it must be between 1 and 65535
        f.yaml:7:33: spec.containers[0].ports[1].name: port name `HTTP` may contain only lower-case letters, digits and `-`
        f.yaml:13:28: spec.ports[0].targetPort: "8080" is a string, so it is read as a port name, and a name needs a letter: write 8080 without quotes
        f.yaml:14:5: spec.ports[1].port: `port` is required
    "#]],
    );
}

#[test]
fn syntax_errors_point_into_their_document() {
    let y = "kind: Namespace\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: {name: [oops\n---\nkind: Namespace\nmetadata: {name: b}\n";
    let out = parse_str(y);
    let errors: Vec<_> = out.errors().collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].doc, Some(1));
    assert_eq!(errors[0].severity, Severity::Error);
    assert_eq!(errors[0].span.start.line, 5, "{}", errors[0].render("f"));
    assert!(errors[0].message.starts_with("YAML syntax error"), "{}", errors[0].message);
    let names: Vec<_> = out.scenario.namespaces.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
}
