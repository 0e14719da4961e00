//! The linter on the seed articles' own examples and on the presets.
//!
//! Seed 003_f3860464ab92af66.txt ("K8s网络安全策略实战") lists five pitfalls
//! (5大常见陷阱) and a troubleshooting table (错误排查表). Each test below takes
//! the article's YAML as it is stored in `tests/seeds/` (see that folder's
//! headers for where each comes from), puts it in the cluster the article
//! talks about (`003-cluster.yaml`), and checks that the pitfall's finding
//! appears on the "❌ 错误" version and not on the "✅ 正确" one.
//!
//! Then every preset: the clean ones produce no warning, and those that
//! teach a pitfall produce exactly the finding for it.

use std::collections::BTreeSet;

use netpol_core::lint::{findings_to_text, lint, lint_output, Finding, Severity, RULES};
use netpol_core::parse::{parse_str, ParseOutput};
use netpol_core::presets::PRESETS;

macro_rules! seed {
    ($name:literal) => {
        include_str!(concat!("seeds/", $name))
    };
}

const CLUSTER: &str = seed!("003-cluster.yaml");

/// Parses `parts` as one multi-document source, failing on parse errors.
fn parse(parts: &[&str]) -> ParseOutput {
    let out = parse_str(&parts.join("\n---\n"));
    let errors: Vec<String> = out.errors().map(|d| d.render("<seed>")).collect();
    assert!(errors.is_empty(), "parse errors: {errors:#?}");
    out
}

fn findings(parts: &[&str]) -> Vec<Finding> {
    lint_output(&parse(parts))
}

fn with_id<'a>(findings: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.id == id).collect()
}

/// The ids of the warnings and errors (not information).
fn warning_ids(findings: &[Finding]) -> BTreeSet<&'static str> {
    findings.iter().filter(|f| f.severity != Severity::Info).map(|f| f.id).collect()
}

/// 陷阱1 忘记允许DNS流量 (and the table's 服务发现失败 / DNS egress被阻断): the
/// default-deny-all of production blocks DNS; the corrected version allows
/// UDP and TCP 53 to kube-system.
#[test]
fn seed003_pitfall1_forgotten_dns() {
    let wrong = findings(&[CLUSTER, seed!("003-default-deny-all.yaml")]);
    let f = with_id(&wrong, "NP001");
    assert_eq!(f.len(), 1, "{wrong:#?}");
    for pod in ["production/web", "production/api", "production/postgres", "production/redis"] {
        assert!(f[0].message.contains(pod), "{pod} missing from: {}", f[0].message);
    }
    assert!(f[0].message.contains("kube-system/coredns"), "{}", f[0].message);
    let right = findings(&[CLUSTER, seed!("003-pitfall1-right.yaml")]);
    assert!(with_id(&right, "NP001").is_empty(), "{right:#?}");
    assert!(warning_ids(&right).is_empty(), "{right:#?}");
}

/// 陷阱2 命名空间缺少标签 (and the table's 跨命名空间访问被拒): before
/// `kubectl label namespace monitoring purpose=monitoring`, the
/// namespaceSelector matches no namespace.
#[test]
fn seed003_pitfall2_namespace_missing_label() {
    let unlabelled =
        CLUSTER.replace("  name: monitoring\n  labels:\n    purpose: monitoring\n", "  name: monitoring\n");
    assert_ne!(unlabelled, CLUSTER, "the cluster fixture changed; update this test");
    let wrong = findings(&[&unlabelled, seed!("003-pitfall2-wrong.yaml")]);
    let f = with_id(&wrong, "NP002");
    assert_eq!(f.len(), 1, "{wrong:#?}");
    assert!(f[0].message.contains("Namespace `monitoring` has no `purpose` label"), "{}", f[0].message);
    assert!(f[0].fix.contains("kubectl label namespace monitoring purpose=monitoring"), "{}", f[0].fix);
    assert!(f[0].fix.contains("kubernetes.io/metadata.name: monitoring"), "{}", f[0].fix);
    // The article's YAML alone, with no cluster at all: still nothing matches.
    let alone = findings(&[seed!("003-pitfall2-wrong.yaml")]);
    assert_eq!(with_id(&alone, "NP002").len(), 1, "{alone:#?}");
    // The corrected version, once the namespace is labelled.
    let right = findings(&[CLUSTER, seed!("003-pitfall2-right.yaml")]);
    assert!(warning_ids(&right).is_empty(), "{right:#?}");
}

/// 陷阱3 CNI不支持NetworkPolicy (and the table's NetworkPolicy不生效): the
/// article gives no YAML, only "使用flannel作为CNI"; here flannel's own
/// DaemonSet (kube-flannel.yml: namespace kube-flannel, `app: flannel`).
#[test]
fn seed003_pitfall3_cni_without_networkpolicy() {
    const FLANNEL: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-flannel-ds
  namespace: kube-flannel
  labels:
    app: flannel
spec:
  selector:
    matchLabels:
      app: flannel
  template:
    metadata:
      labels:
        app: flannel
        tier: node
    spec:
      hostNetwork: true
      containers:
      - name: kube-flannel
        image: docker.io/flannel/flannel:v0.25.1
";
    const CALICO: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: kube-system
spec:
  selector:
    matchLabels:
      k8s-app: calico-node
  template:
    metadata:
      labels:
        k8s-app: calico-node
    spec:
      hostNetwork: true
      containers:
      - name: calico-node
        image: docker.io/calico/node:v3.28.0
";
    let wrong = findings(&[CLUSTER, FLANNEL, seed!("003-pitfall1-right.yaml")]);
    let f = with_id(&wrong, "NP015");
    assert_eq!(f.len(), 1, "{wrong:#?}");
    assert!(f[0].message.contains("kube-flannel/kube-flannel-ds"), "{}", f[0].message);
    let right = findings(&[CLUSTER, FLANNEL, CALICO, seed!("003-pitfall1-right.yaml")]);
    assert!(with_id(&right, "NP015").is_empty(), "{right:#?}");
}

/// 陷阱4 策略顺序导致覆盖 (and the table's Calico策略冲突): the article's
/// Calico GlobalNetworkPolicy with `order` and `action: Deny`.
#[test]
fn seed003_pitfall4_order_and_deny() {
    let calico = findings(&[CLUSTER, seed!("003-pitfall4-calico.yaml")]);
    let f = with_id(&calico, "NP014");
    assert_eq!(f.len(), 1, "{calico:#?}");
    // The name is shown when the parser records it for skipped kinds.
    let named = f[0].message.contains("`GlobalNetworkPolicy deny-suspicious` is a Calico resource");
    assert!(named || f[0].message.contains("`GlobalNetworkPolicy` is a Calico resource"), "{}", f[0].message);
    assert!(f[0].message.contains("only allow, and they add up"), "{}", f[0].message);
    // The same idea written as a Kubernetes NetworkPolicy: the parser rejects
    // `order`/`action` like the API server does, with the explanation, so
    // the linter does not repeat it (NP012 covers the valid variants).
    let as_np = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-suspicious, namespace: production}
spec:
  order: 50
  podSelector: {}
";
    let parsed = parse_str(as_np);
    let error = parsed.errors().next().map(|d| d.message.clone()).unwrap_or_default();
    assert!(error.contains("no deny and no order"), "{error}");
    // A valid NetworkPolicy meant as a targeted deny: it allows instead.
    let deny_named = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-suspicious, namespace: production}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: web}}
";
    let f = findings(&[CLUSTER, deny_named]);
    assert_eq!(with_id(&f, "NP012").len(), 1, "{f:#?}");
}

/// 陷阱5 忽略kube-system命名空间.
#[test]
fn seed003_pitfall5_kube_system_deny_all() {
    let wrong = findings(&[CLUSTER, seed!("003-pitfall5-wrong.yaml")]);
    let f = with_id(&wrong, "NP008");
    assert_eq!(f.len(), 1, "{wrong:#?}");
    assert!(f[0].message.contains("`kube-system/coredns` no longer answers"), "{}", f[0].message);
    assert_eq!(warning_ids(&wrong), BTreeSet::from(["NP008"]), "{wrong:#?}");
    let right = findings(&[CLUSTER, seed!("003-pitfall5-right.yaml")]);
    assert!(warning_ids(&right).is_empty(), "{right:#?}");
}

/// 模式2 三层应用微隔离: the article's own three-tier example opens port 53
/// over UDP only in each policy, and its frontend rule ANDs
/// `env=production` with `app=ingress-nginx`, which no pod satisfies (the
/// controller lives in ingress-nginx).
#[test]
fn seed003_micro_segmentation_has_udp_only_dns_and_an_empty_and() {
    let f = findings(&[CLUSTER, seed!("003-micro-segmentation.yaml")]);
    let udp_only: Vec<&str> = with_id(&f, "NP005").iter().map(|x| x.path.as_str()).collect();
    assert_eq!(udp_only, ["spec.egress[1].ports[0]", "spec.egress[2].ports[0]", "spec.egress[0].ports[0]"]);
    let empty = with_id(&f, "NP002");
    assert_eq!(empty.len(), 1, "{f:#?}");
    assert_eq!(empty[0].path, "spec.ingress[0].from[0].podSelector");
}

/// Seed 001 (FAQ, "允许 DNS 和监控"): `namespaceSelector: {name: monitoring}`
/// in a cluster whose namespaces carry `kubernetes.io/metadata.name` only
/// where nobody labelled them.
#[test]
fn seed001_name_label_that_nobody_set() {
    // One document of 001-policies.yaml is invalid YAML as the article wrote
    // it (see seeds.rs); the others are linted.
    let parsed = parse_str(&[seed!("001-cluster.yaml"), seed!("001-policies.yaml")].join("\n---\n"));
    let f = lint_output(&parsed);
    let text = findings_to_text(&parsed.scenario, &f);
    let monitoring: Vec<&Finding> =
        f.iter().filter(|x| x.id == "NP002" && x.message.contains("(name=monitoring)")).collect();
    assert_eq!(monitoring.len(), 1, "{text}");
    assert!(monitoring[0].fix.contains("kubernetes.io/metadata.name: monitoring"), "{text}");
}

/// Clean presets have no warning; pitfall presets have exactly theirs.
/// Presets that isolate egress without a DNS allowance get NP001: true of the
/// scenario (their pods could not resolve names), though not their topic.
#[test]
fn presets_have_exactly_their_findings() {
    let expected: &[(&str, &[&str])] = &[
        ("default-allow", &[]),
        ("default-deny-ingress", &[]),
        // Egress isolation with no rule: DNS is blocked, as its lesson says.
        ("default-deny-egress", &["NP001"]),
        ("default-deny-all", &["NP001"]),
        ("allow-from-monitoring", &[]),
        ("frontend-backend-6379", &[]),
        ("or-vs-and", &["NP010"]),
        ("policies-add-up", &["NP012"]),
        ("named-ports", &[]),
        ("endport-range", &[]),
        // The API reference's example: its egress allows only 10.0.0.0/24:5978.
        ("ipblock-except", &["NP001"]),
        ("three-tier", &[]),
        ("three-tier-namespaces", &[]),
        ("ingress-controller", &[]),
        ("dns-forgotten", &["NP001"]),
        ("dns-done-right", &[]),
        ("kube-system-deny-all", &["NP008"]),
        ("namespace-missing-label", &["NP002"]),
        // Every Admin and Baseline rule decides some flow: no NP017/NP018/NP019.
        ("cluster-guardrails", &[]),
    ];
    let mut report = Vec::new();
    for preset in PRESETS {
        let out = parse_str(preset.yaml);
        let f = lint_output(&out);
        let want: BTreeSet<&str> = expected
            .iter()
            .find(|(id, _)| *id == preset.id)
            .map(|(_, ids)| ids.iter().copied().collect())
            .unwrap_or_else(|| panic!("preset `{}` is not in this table; add its expected findings", preset.id));
        if warning_ids(&f) != want {
            report.push(format!("{}: want {want:?}\n{}", preset.id, findings_to_text(&out.scenario, &f)));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The pitfall presets' findings point at their own pitfall, one each.
#[test]
fn pitfall_presets_have_one_finding_each() {
    for (id, rule) in
        [("dns-forgotten", "NP001"), ("kube-system-deny-all", "NP008"), ("namespace-missing-label", "NP002")]
    {
        let preset = PRESETS.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no preset {id}"));
        let f = lint(&parse_str(preset.yaml).scenario);
        let warnings: Vec<&Finding> = f.iter().filter(|x| x.severity != Severity::Info).collect();
        assert_eq!(warnings.len(), 1, "{id}: {f:#?}");
        assert_eq!(warnings[0].id, rule, "{id}");
    }
}

#[test]
fn every_finding_names_a_catalogue_rule_and_has_a_fix() {
    let mut all = Vec::new();
    for preset in PRESETS {
        all.extend(lint_output(&parse_str(preset.yaml)));
    }
    all.extend(findings(&[CLUSTER, seed!("003-micro-segmentation.yaml"), seed!("003-pitfall4-calico.yaml")]));
    assert!(!all.is_empty());
    for f in &all {
        let rule = RULES.iter().find(|r| r.id == f.id).unwrap_or_else(|| panic!("{} not in RULES", f.id));
        assert_eq!(f.title, rule.title);
        assert!(!f.message.is_empty() && !f.fix.is_empty(), "{f:#?}");
        assert!(f.span.start.line > 0, "{f:#?}");
    }
}

#[test]
fn findings_are_sorted_and_deterministic() {
    let text = [CLUSTER, seed!("003-micro-segmentation.yaml"), seed!("003-default-deny-all.yaml")].join("\n---\n");
    let a = lint(&parse_str(&text).scenario);
    let b = lint(&parse_str(&text).scenario);
    assert_eq!(a, b);
    for pair in a.windows(2) {
        if let [x, y] = pair {
            assert!((x.span.start.offset, x.id) <= (y.span.start.offset, y.id), "{x:#?} before {y:#?}");
        }
    }
}

/// The tier rules on the cluster-guardrails preset after two edits an admin
/// could make by mistake: a catch-all Deny written above `accept-backend`
/// (NP017: the Admin tier's first matching rule decides, network-policy-api
/// `ClusterNetworkPolicySpec` ingress docs), and tenant-b opening every pod
/// with a NetworkPolicy, so the Baseline deny that protects it is never
/// consulted (NP018: the Baseline tier comes after NetworkPolicies).
#[test]
fn cluster_guardrails_with_a_shadowing_rule_and_an_overridden_baseline() {
    let preset = PRESETS.iter().find(|p| p.id == "cluster-guardrails").expect("preset cluster-guardrails");
    let yaml = preset
        .yaml
        .replacen(
            "    - name: accept-backend",
            "    - name: deny-all-first\n      action: Deny\n      from:\n        - namespaces: {}\n    - name: accept-backend",
            1,
        )
        .replacen("  podSelector:\n    matchLabels:\n      app: web\n  policyTypes:", "  podSelector: {}\n  policyTypes:", 1);
    assert_eq!(yaml.matches("deny-all-first").count(), 1, "the preset changed; update this test");
    assert!(yaml.contains("  podSelector: {}\n  policyTypes:"), "the preset changed; update this test");
    let f = findings(&[&yaml]);
    let np017 = with_id(&f, "NP017");
    let shadowed: BTreeSet<&str> = np017.iter().map(|x| x.path.as_str()).collect();
    assert_eq!(shadowed, BTreeSet::from(["spec.ingress[2]", "spec.ingress[3]"]), "{f:#?}");
    assert!(np017.iter().all(|x| !x.related.is_empty()));
    let np018 = with_id(&f, "NP018");
    assert_eq!(np018.len(), 1, "{f:#?}");
    assert!(np018[0].message.contains("`isolate-tenant-b`"), "{}", np018[0].message);
    assert!(np018[0].message.contains("`tenant-b/allow-tenant-a`"), "{}", np018[0].message);
}
