//! The seed articles' examples (`shared/seeds/*.txt`), evaluated.
//!
//! Every YAML example of the five articles is in `tests/seeds/` (verbatim, or
//! re-indented where the extracted text lost its indentation), next to a
//! `*-cluster.yaml` with the pods and namespaces the article talks about. Each
//! test states, in its assertions, what the article's text says will happen,
//! checked against the NetworkPolicy API reference
//! (kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/)
//! and the concepts page. Where an article's YAML does not do what its text
//! says, the test keeps the YAML as written, asserts what a cluster would
//! really do, and says why in a comment.

use netpol_core::eval::{evaluate, is_allowed, resolve_end};
use netpol_core::explain::RuleMatch;
use netpol_core::parse::{parse_str, ParseOutput, Severity};
use netpol_core::{Explanation, Flow, Probe, Scenario};

/// A fixture under `tests/seeds/`.
macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("seeds/", $name))
    };
}

/// One expected verdict: `(from, to, probe, allowed)`.
type Case = (&'static str, &'static str, &'static str, bool);

/// Joins YAML texts into one multi-document source.
fn join(parts: &[&str]) -> String {
    parts.join("\n---\n")
}

/// Parses `yaml`, failing on any error or warning.
fn build_text(what: &str, yaml: &str) -> Scenario {
    let out = parse_str(yaml);
    let bad: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .map(|d| d.render(what))
        .collect();
    assert!(bad.is_empty(), "{what}: expected no errors or warnings, got:\n{}", bad.join("\n"));
    out.scenario
}

fn build(what: &str, parts: &[&str]) -> Scenario {
    build_text(what, &join(parts))
}

fn explain(scenario: &Scenario, what: &str, from: &str, to: &str, probe: &str) -> Explanation {
    let resolve = |end: &str| resolve_end(scenario, end).unwrap_or_else(|| panic!("{what}: `{end}` does not resolve"));
    let probe = Probe::parse(probe).unwrap_or_else(|| panic!("{what}: bad probe `{probe}`"));
    let flow = Flow { from: resolve(from), to: resolve(to), probe };
    let ex = evaluate(scenario, &flow);
    assert_eq!(ex.allowed, is_allowed(scenario, &flow), "{what}: evaluate and is_allowed disagree on {from} -> {to}");
    ex
}

/// Checks every case and reports all mismatches at once.
fn check(scenario: &Scenario, what: &str, cases: &[Case]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|&(from, to, probe, want)| {
            let got = explain(scenario, what, from, to, probe).allowed;
            (got != want).then(|| format!("  {from} -> {to} {probe}: expected {}, got {}", verdict(want), verdict(got)))
        })
        .collect();
    assert!(wrong.is_empty(), "{what}: wrong verdicts:\n{}", wrong.join("\n"));
}

/// Checks only the destination's ingress side of each case.
fn check_ingress(scenario: &Scenario, what: &str, cases: &[Case]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|&(from, to, probe, want)| {
            let got = explain(scenario, what, from, to, probe).ingress.allowed;
            (got != want).then(|| {
                format!("  ingress of {from} -> {to} {probe}: expected {}, got {}", verdict(want), verdict(got))
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{what}: wrong ingress verdicts:\n{}", wrong.join("\n"));
}

fn verdict(allowed: bool) -> &'static str {
    if allowed {
        "allowed"
    } else {
        "denied"
    }
}

/// The `(policy name, rule, peer, port)` entries that admit a side.
fn admitting(scenario: &Scenario, allowed_by: &[RuleMatch]) -> Vec<(String, usize, Option<usize>, Option<usize>)> {
    allowed_by
        .iter()
        .map(|m| {
            let p = &scenario.policies[m.policy];
            (format!("{}/{}", p.namespace, p.name), m.rule, m.peer, m.port)
        })
        .collect()
}

fn m(
    policy: &str,
    rule: usize,
    peer: Option<usize>,
    port: Option<usize>,
) -> (String, usize, Option<usize>, Option<usize>) {
    (policy.to_string(), rule, peer, port)
}

/// Adds a label to the `Namespace` document named `ns`, as
/// `kubectl label namespace` would.
fn with_namespace_label(yaml: &str, ns: &str, key: &str, value: &str) -> String {
    let head = format!("kind: Namespace\nmetadata:\n  name: {ns}\n");
    let at = yaml.find(&head).unwrap_or_else(|| panic!("no Namespace `{ns}` in the fixture")) + head.len();
    let (before, after) = yaml.split_at(at);
    let rest = after.strip_prefix("  labels:\n").unwrap_or(after);
    format!("{before}  labels:\n    {key}: {value}\n{rest}")
}

fn names(scenario: &Scenario) -> Vec<String> {
    scenario.policies.iter().map(|p| format!("{}/{}", p.namespace, p.name)).collect()
}

fn errors(out: &ParseOutput) -> Vec<&netpol_core::parse::Diagnostic> {
    out.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect()
}

// ===========================================================================
// 000_52744862b2e4066a.txt (zh-TW)

const C000: &str = fixture!("000-cluster.yaml");

/// "預設拒絕": once selected, a pod is default-deny for the listed types;
/// default-deny-all walls my-app off in both directions.
#[test]
fn seed_000_default_deny_all_walls_off_my_app() {
    let s = build("000 default-deny-all", &[C000, fixture!("000-default-deny-all.yaml")]);
    check(
        &s,
        "000 default-deny-all",
        &[
            ("my-app/frontend", "my-app/backend", "TCP/6379", false),
            ("monitoring/prometheus", "my-app/backend", "TCP/6379", false),
            ("my-app/backend", "monitoring/prometheus", "TCP/9090", false),
            ("203.0.113.9", "my-app/frontend", "TCP/80", false),
            // "如果一個 Pod 沒有被任何 NetworkPolicy 選中,那麼它將維持預設的「完全開放」狀態"
            ("team-b/client", "monitoring/prometheus", "TCP/9090", true),
        ],
    );
}

/// "只接收來自 monitoring Namespace 的流量", selected by the automatic
/// kubernetes.io/metadata.name label.
#[test]
fn seed_000_allow_from_monitoring() {
    let s = build("000 allow-from-monitoring", &[C000, fixture!("000-allow-from-monitoring.yaml")]);
    check(
        &s,
        "000 allow-from-monitoring",
        &[
            ("monitoring/prometheus", "my-app/backend", "TCP/6379", true),
            ("monitoring/prometheus", "my-app/frontend", "TCP/80", true),
            ("team-b/client", "my-app/backend", "TCP/6379", false),
            ("my-app/frontend", "my-app/backend", "TCP/6379", false),
            // Ingress only: my-app may still connect out.
            ("my-app/backend", "team-b/client", "TCP/80", true),
        ],
    );
}

/// "只允許 frontend Pod 訪問 backend Pod 的 6379 埠號": peer AND port.
#[test]
fn seed_000_backend_policy_frontend_only_on_6379() {
    let s = build("000 backend-policy", &[C000, fixture!("000-backend-policy.yaml")]);
    check(
        &s,
        "000 backend-policy",
        &[
            ("my-app/frontend", "my-app/backend", "TCP/6379", true),
            // "只能走送餐專用通道": not another port of the same pod.
            ("my-app/frontend", "my-app/backend", "TCP/80", false),
            ("my-app/worker", "my-app/backend", "TCP/6379", false),
            // team-b/client is labelled app=frontend too, but a podSelector
            // without namespaceSelector selects only in the policy's namespace.
            ("team-b/client", "my-app/backend", "TCP/6379", false),
            ("monitoring/prometheus", "my-app/backend", "TCP/6379", false),
            // Only backend is selected.
            ("my-app/worker", "my-app/frontend", "TCP/80", true),
        ],
    );
}

/// The article's OR-vs-AND rule: entries of `from` (each `-`) are ORed; the
/// selectors inside one entry are ANDed. The OR example admits "the namespace
/// with user: alice OR pods with role: client"; the AND example only "pods
/// with role: client in the namespace with user: alice". Both readings are
/// evaluated on the same sources and give different verdicts.
#[test]
fn seed_000_or_vs_and_two_entries_are_or_one_entry_is_and() {
    let s = build(
        "000 OR vs AND",
        &[fixture!("000-or-and-cluster.yaml"), fixture!("000-or.yaml"), fixture!("000-and.yaml")],
    );
    let what = "000 OR vs AND";
    // (source, allowed by OR, allowed by AND)
    let table = [
        // In alice's namespace but not a client: OR admits (namespace entry),
        // AND refuses (the podSelector term fails).
        ("alice/web", true, false),
        // A client, but in my-app rather than alice's namespace: OR admits
        // (pod entry, the policy's own namespace), AND refuses.
        ("my-app/client", true, false),
        // Both conditions: admitted by both readings.
        ("alice/client", true, true),
        // A client in another namespace: the OR's podSelector only looks in
        // the policy's namespace (my-app), so neither admits.
        ("bob/client", false, false),
    ];
    let mut differ = 0;
    for (from, or_allowed, and_allowed) in table {
        let or = explain(&s, what, from, "my-app/db-or", "TCP/5432");
        let and = explain(&s, what, from, "my-app/db-and", "TCP/5432");
        assert_eq!(or.allowed, or_allowed, "{from} -> db-or (OR reading)");
        assert_eq!(and.allowed, and_allowed, "{from} -> db-and (AND reading)");
        differ += usize::from(or.allowed != and.allowed);
    }
    assert_eq!(differ, 2, "the two readings must differ on exactly the two flows the article contrasts");

    // Which entry decides.
    let by = |from: &str, to: &str| admitting(&s, &explain(&s, what, from, to, "TCP/5432").ingress.allowed_by);
    assert_eq!(by("alice/web", "my-app/db-or"), [m("my-app/or-example", 0, Some(0), None)]);
    assert_eq!(by("my-app/client", "my-app/db-or"), [m("my-app/or-example", 0, Some(1), None)]);
    assert_eq!(by("alice/client", "my-app/db-or"), [m("my-app/or-example", 0, Some(0), None)]);
    assert_eq!(by("alice/client", "my-app/db-and"), [m("my-app/and-example", 0, Some(0), None)]);
}

// ===========================================================================
// 001_a7a7fd7548534130.txt (zh-CN)

const C001: &str = fixture!("001-cluster.yaml");
const P001: &str = fixture!("001-policies.yaml");

/// The article's allow-from-backend has `ports:` indented under the `from`
/// list instead of under the rule: the text is not valid YAML (a mapping key
/// where a sequence entry is expected), so `kubectl apply` would reject it.
/// As written, that one document is an error and the others still apply.
#[test]
fn seed_001_allow_from_backend_as_written_is_invalid_yaml() {
    let text = join(&[C001, P001]);
    let out = parse_str(&text);
    assert!(out.has_errors());
    let errs = errors(&out);
    assert_eq!(errs.len(), 1, "exactly the broken document is reported: {errs:?}");
    // The error is located inside the allow-from-backend document.
    let doc_start =
        text.find("  name: allow-from-backend").map(|at| text[..at].lines().count() as u32).expect("fixture");
    let doc_end = doc_start + 20;
    let line = errs[0].span.start.line;
    assert!((doc_start - 5..=doc_end).contains(&line), "error at line {line}, document around {doc_start}");

    // The five other policies are kept.
    let mut got = names(&out.scenario);
    got.sort();
    assert_eq!(
        got,
        [
            "backend/internal-service-isolation",
            "backend/restrict-egress",
            "database/allow-dns-egress",
            "database/deny-all-baseline",
            "frontend/allow-ingress-controller",
        ]
    );
    // So the article's scenario 1 does not work as published: the baseline
    // closes postgres and nothing reopens it.
    check(&out.scenario, "001 as written", &[("backend/orders", "database/postgres", "TCP/5432", false)]);
}

/// The same policies with allow-from-backend's `ports:` moved under the rule,
/// as the article clearly intends ("只开放 5432").
fn policies_001_fixed() -> String {
    let broken = "        ports:\n          - protocol: TCP\n            port: 5432\n";
    assert_eq!(P001.matches(broken).count(), 1);
    P001.replace(broken, "      ports:\n        - protocol: TCP\n          port: 5432\n")
}

/// Scenario 1 ("仅允许指定 Namespace 的 Pod 通信"): backend -> database on
/// 5432 only; the frontend must not reach the database.
#[test]
fn seed_001_scenario_1_three_tiers_by_namespace_labels() {
    let s = build_text("001 scenario 1", &join(&[C001, &policies_001_fixed()]));
    check(
        &s,
        "001 scenario 1",
        &[
            ("backend/orders", "database/postgres", "TCP/5432", true),
            ("backend/gateway", "database/postgres", "TCP/5432", true),
            // "Database 不能被 Frontend 直接访问"
            ("frontend/web", "database/postgres", "TCP/5432", false),
            // "只开放 5432,其他端口仍然拒绝"
            ("backend/orders", "database/postgres", "TCP/5433", false),
            // allow-from-backend selects only app=postgres; redis stays
            // closed by the baseline, although restrict-egress allows 6379.
            ("backend/orders", "database/redis", "TCP/6379", false),
            // allow-dns-egress: UDP 53 to kube-system, and only UDP.
            ("database/postgres", "kube-system/coredns", "UDP/53", true),
            ("database/postgres", "kube-system/coredns", "TCP/53", false),
        ],
    );
    let ex = explain(&s, "001 scenario 1", "backend/orders", "database/postgres", "TCP/5432");
    assert_eq!(admitting(&s, &ex.ingress.allowed_by), [m("database/allow-from-backend", 0, Some(0), Some(0))]);
    assert_eq!(admitting(&s, &ex.egress.allowed_by), [m("backend/restrict-egress", 0, Some(0), Some(0))]);
}

/// "允许监控系统抓取指标" is an *egress* rule of the database pods to
/// namespaces labelled `name: monitoring`. Scraping is Prometheus connecting
/// *into* the database pods, which the baseline still denies; and the
/// article never gives monitoring a `name` label (only
/// kubernetes.io/metadata.name is automatic), so as written the rule matches
/// nothing at all.
#[test]
fn seed_001_monitoring_rule_is_egress_and_needs_a_name_label() {
    let policies = policies_001_fixed();
    let s = build_text("001 monitoring", &join(&[C001, &policies]));
    check(
        &s,
        "001 monitoring (as written)",
        &[
            ("monitoring/prometheus", "database/postgres", "TCP/9187", false),
            ("database/postgres", "monitoring/prometheus", "TCP/9090", false),
        ],
    );
    let labelled = with_namespace_label(C001, "monitoring", "name", "monitoring");
    let s = build_text("001 monitoring (labelled)", &join(&[&labelled, &policies]));
    check(
        &s,
        "001 monitoring (labelled)",
        &[
            // The rule now lets the database connect out to monitoring ...
            ("database/postgres", "monitoring/prometheus", "TCP/9090", true),
            // ... but scraping still cannot get in.
            ("monitoring/prometheus", "database/postgres", "TCP/9187", false),
        ],
    );
}

/// Scenario 2, layer 1 ("Ingress Controller 准入控制"): the selector wants a
/// namespace labelled `name: ingress-nginx`. Real ingress-nginx installs label
/// their namespace app.kubernetes.io/name=ingress-nginx, not `name`, so as
/// written the controller is shut out; with the label it gets in on 8080.
#[test]
fn seed_001_scenario_2_ingress_controller_admission() {
    let policies = policies_001_fixed();
    let s = build_text("001 ingress controller", &join(&[C001, &policies]));
    check(
        &s,
        "001 ingress controller (as written)",
        &[
            ("ingress-nginx/controller", "frontend/web", "TCP/8080", false),
            // Pods without expose=true are not selected by any policy in
            // frontend (the article shows no baseline there): still open.
            ("ingress-nginx/controller", "frontend/admin", "TCP/8080", true),
            ("monitoring/prometheus", "frontend/admin", "TCP/8080", true),
        ],
    );
    let labelled = with_namespace_label(C001, "ingress-nginx", "name", "ingress-nginx");
    let s = build_text("001 ingress controller (labelled)", &join(&[&labelled, &policies]));
    check(
        &s,
        "001 ingress controller (labelled)",
        &[
            ("ingress-nginx/controller", "frontend/web", "TCP/8080", true),
            ("ingress-nginx/controller", "frontend/web", "TCP/80", false),
            ("monitoring/prometheus", "frontend/web", "TCP/8080", false),
        ],
    );
}

/// Scenario 2, layers 2 and 3: internal-service-isolation and restrict-egress.
#[test]
fn seed_001_scenario_2_internal_services_and_egress_allow_list() {
    let s = build_text("001 layers 2-3", &join(&[C001, &policies_001_fixed()]));
    let what = "001 layers 2-3";
    // Ingress side of the internal service: from[0] (tier=api pods of
    // backend) OR from[1] (namespaces labelled env=prod,tier=api). The backend
    // namespace itself carries env=prod,tier=api, so from[1] admits every
    // backend pod and from[0] adds nothing.
    check_ingress(
        &s,
        what,
        &[
            ("backend/gateway", "backend/orders", "TCP/8080", true),
            ("backend/worker", "backend/orders", "TCP/8080", true),
            ("frontend/web", "backend/orders", "TCP/8080", false),
        ],
    );
    let ex = explain(&s, what, "backend/gateway", "backend/orders", "TCP/8080");
    assert_eq!(
        admitting(&s, &ex.ingress.allowed_by),
        [
            m("backend/internal-service-isolation", 0, Some(0), None),
            m("backend/internal-service-isolation", 0, Some(1), None)
        ]
    );
    let ex = explain(&s, what, "backend/worker", "backend/orders", "TCP/8080");
    assert_eq!(admitting(&s, &ex.ingress.allowed_by), [m("backend/internal-service-isolation", 0, Some(1), None)]);

    check(
        &s,
        what,
        &[
            // restrict-egress selects every backend pod, so backend pods can
            // no longer call each other on 8080, whatever the ingress side says.
            ("backend/gateway", "backend/orders", "TCP/8080", false),
            // "允许访问外部 HTTPS API(如支付接口)" is written as
            // `namespaceSelector: {}`, which means every pod of every
            // namespace, never an address outside the cluster: the payment
            // API stays unreachable ...
            ("backend/orders", "203.0.113.10", "TCP/443", false),
            // ... while every pod in the cluster becomes reachable on 443.
            ("backend/orders", "frontend/admin", "TCP/443", true),
            ("backend/orders", "kube-system/coredns", "UDP/53", true),
            ("backend/orders", "kube-system/coredns", "TCP/53", false),
        ],
    );
}

/// "DNS 放行的最佳实践": method 1 allows the whole kube-system namespace,
/// method 2 (namespaceSelector AND podSelector, "更精确") only the kube-dns
/// pods. Both only UDP 53, as written.
#[test]
fn seed_001_dns_methods_namespace_vs_pod() {
    let s = build("001 DNS methods", &[fixture!("001-dns-methods.yaml")]);
    check(
        &s,
        "001 DNS methods",
        &[
            ("method-1/app", "kube-system/coredns", "UDP/53", true),
            ("method-2/app", "kube-system/coredns", "UDP/53", true),
            ("method-1/app", "kube-system/metrics-server", "UDP/53", true),
            ("method-2/app", "kube-system/metrics-server", "UDP/53", false),
            ("method-1/app", "kube-system/coredns", "TCP/53", false),
            ("method-2/app", "kube-system/coredns", "TCP/53", false),
        ],
    );
}

/// "常见问题": Q1 health checks from 0.0.0.0/0, Q2 an external database by
/// ipBlock, Q3 "多个 NetworkPolicy 是叠加的(取并集)".
#[test]
fn seed_001_faq_health_checks_external_db_and_policies_add_up() {
    let s = build("001 FAQ", &[fixture!("001-faq.yaml")]);
    check(
        &s,
        "001 FAQ",
        &[
            // Q1: the kubelet on the node reaches the health port ...
            ("10.0.0.11", "app/web", "TCP/8080", true),
            // ... and since 0.0.0.0/0 contains every pod IP too, so does
            // every pod of the cluster: the rule is wider than "健康检查".
            ("z/client", "app/web", "TCP/8080", true),
            ("10.0.0.11", "app/web", "TCP/9090", false),
            // Q2
            ("app/worker", "10.0.5.20", "TCP/5432", true),
            ("app/worker", "10.0.6.20", "TCP/5432", false),
            ("app/worker", "10.0.5.20", "TCP/443", false),
            // Q3: "X 和 Y 都可以访问"
            ("x/client", "app/api", "TCP/9000", true),
            ("y/client", "app/api", "TCP/9000", true),
            ("z/client", "app/api", "TCP/9000", false),
        ],
    );
    let by = |from: &str| admitting(&s, &explain(&s, "001 FAQ", from, "app/api", "TCP/9000").ingress.allowed_by);
    assert_eq!(by("x/client"), [m("app/policy-a", 0, Some(0), None)]);
    assert_eq!(by("y/client"), [m("app/policy-b", 0, Some(0), None)]);
}

// ===========================================================================
// 002_a98e2d36e92642e3.txt (zh-CN)

const C002: &str = fixture!("002-cluster.yaml");
const NGINX: &str = "default/nginx-701339712-e0qfq";
const NGINX2: &str = "default/nginx-701339712-o00ef";
const BUSYBOX: &str = "default/busybox-472357175-y0m47";

/// "默认拒绝所有 Pod 之间 Ingress 通信" (the policy has no namespace: default).
#[test]
fn seed_002_default_deny_ingress() {
    let s = build("002 deny ingress", &[C002, fixture!("002-default-deny-ingress.yaml")]);
    check(
        &s,
        "002 deny ingress",
        &[
            (BUSYBOX, NGINX, "TCP/80", false),
            ("myproject/worker", "default/db", "TCP/6379", false),
            (BUSYBOX, "myproject/worker", "TCP/80", true),
            ("secondary/client", "secondary/web", "TCP/80", true),
        ],
    );
}

/// "默认拒绝所有 Pod 之间 Egress 通信".
#[test]
fn seed_002_default_deny_egress() {
    let s = build("002 deny egress", &[C002, fixture!("002-default-deny-egress.yaml")]);
    check(
        &s,
        "002 deny egress",
        &[
            (BUSYBOX, NGINX, "TCP/80", false),
            (BUSYBOX, "myproject/worker", "TCP/80", false),
            ("myproject/worker", "default/db", "TCP/6379", true),
        ],
    );
}

/// "默认拒绝所有 Pod 之间 Ingress 和 Egress 通信".
#[test]
fn seed_002_default_deny_both() {
    let s = build("002 deny both", &[C002, fixture!("002-default-deny-both.yaml")]);
    check(
        &s,
        "002 deny both",
        &[
            (BUSYBOX, NGINX, "TCP/80", false),
            (BUSYBOX, "myproject/worker", "TCP/80", false),
            ("myproject/worker", "default/db", "TCP/6379", false),
            ("myproject/worker", "secondary/web", "TCP/80", true),
        ],
    );
}

/// "默认允许所有 Pod 之间 Ingress 通信": `ingress: [{}]` isolates and then
/// admits everything.
#[test]
fn seed_002_allow_all_ingress() {
    let s = build("002 allow-all ingress", &[C002, fixture!("002-allow-all-ingress.yaml")]);
    check(
        &s,
        "002 allow-all ingress",
        &[
            (BUSYBOX, NGINX, "TCP/80", true),
            ("myproject/worker", "default/db", "TCP/6379", true),
            ("203.0.113.9", NGINX, "TCP/8080", true),
        ],
    );
    let ex = explain(&s, "002 allow-all ingress", BUSYBOX, NGINX, "TCP/80");
    assert!(ex.ingress.isolated);
    assert_eq!(admitting(&s, &ex.ingress.allowed_by), [m("default/allow-all", 0, None, None)]);
}

/// "默认允许所有 Pod 之间 Egress 通信" as written has no `policyTypes`. The
/// API defaults policyTypes to Ingress plus Egress when an egress section
/// exists ("all policies (whether or not they contain an ingress section) are
/// assumed to affect ingress"), so this policy also isolates every pod of
/// default for ingress with no ingress rule: it allows all egress AND denies
/// all ingress. The Kubernetes docs' version lists `policyTypes: [Egress]`.
#[test]
fn seed_002_allow_all_egress_without_policy_types_also_denies_ingress() {
    let s = build("002 allow-all egress", &[C002, fixture!("002-allow-all-egress.yaml")]);
    check(
        &s,
        "002 allow-all egress",
        &[
            (BUSYBOX, "myproject/worker", "TCP/80", true),
            (BUSYBOX, "203.0.113.9", "TCP/443", true),
            (BUSYBOX, NGINX, "TCP/80", false),
            ("myproject/worker", "default/db", "TCP/6379", false),
        ],
    );
    let ex = explain(&s, "002 allow-all egress", BUSYBOX, NGINX, "TCP/80");
    assert!(ex.egress.allowed && ex.ingress.isolated && !ex.ingress.allowed);
}

/// "Pod 隔离", first example: `protocol: tcp`. The API server accepts only
/// TCP, UDP and SCTP (case-sensitive: validation reports "Unsupported value"),
/// so the whole policy is rejected and nothing is isolated.
#[test]
fn seed_002_lowercase_protocol_is_rejected() {
    let text = join(&[C002, fixture!("002-test-network-policy-lowercase.yaml")]);
    let out = parse_str(&text);
    assert!(out.has_errors());
    let errs = errors(&out);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].path, "spec.ingress[0].ports[0].protocol");
    let line = text.lines().position(|l| l.trim() == "- protocol: tcp").map(|i| i as u32 + 1).expect("fixture");
    assert_eq!(errs[0].span.start.line, line);
    assert!(out.scenario.policies.is_empty());
    check(&out.scenario, "002 lowercase", &[(BUSYBOX, "default/db", "TCP/6379", true)]);
}

/// "Pod 隔离", second example. The article's text says project=myprojects
/// and TCP 5987; the YAML, which is what a cluster applies, says
/// project=myproject and 5978.
#[test]
fn seed_002_ipblock_except_namespace_and_pod_peers() {
    let s = build("002 test-network-policy", &[C002, fixture!("002-test-network-policy.yaml")]);
    let what = "002 test-network-policy";
    check(
        &s,
        what,
        &[
            ("default/frontend", "default/db", "TCP/6379", true),
            ("myproject/worker", "default/db", "TCP/6379", true),
            ("172.17.0.5", "default/db", "TCP/6379", true),
            ("172.17.1.5", "default/db", "TCP/6379", false),
            ("172.18.0.5", "default/db", "TCP/6379", false),
            (BUSYBOX, "default/db", "TCP/6379", false),
            ("default/frontend", "default/db", "TCP/80", false),
            ("default/db", "10.0.0.5", "TCP/5978", true),
            ("default/db", "10.0.0.5", "TCP/5987", false),
            ("default/db", "10.0.1.5", "TCP/5978", false),
            ("default/db", BUSYBOX, "TCP/80", false),
        ],
    );
    let by = |from: &str| admitting(&s, &explain(&s, what, from, "default/db", "TCP/6379").ingress.allowed_by);
    assert_eq!(by("172.17.0.5"), [m("default/test-network-policy", 0, Some(0), Some(0))]);
    assert_eq!(by("myproject/worker"), [m("default/test-network-policy", 0, Some(1), Some(0))]);
    assert_eq!(by("default/frontend"), [m("default/test-network-policy", 0, Some(2), Some(0))]);
}

/// "简单示例": the nginx walkthrough, step by step.
#[test]
fn seed_002_nginx_walkthrough() {
    // Before any policy, busybox reaches nginx ("wget --spider" succeeds).
    let s = build("002 walkthrough, no policy", &[C002]);
    check(&s, "002 no policy", &[(BUSYBOX, NGINX, "TCP/80", true), ("secondary/client", NGINX2, "TCP/80", true)]);

    // default-deny: "其他 Pod(包括 namespace 外部)不能访问 nginx 了".
    let s = build("002 walkthrough, default-deny", &[C002, fixture!("002-default-deny-ingress.yaml")]);
    check(&s, "002 default-deny", &[(BUSYBOX, NGINX, "TCP/80", false), ("secondary/client", NGINX2, "TCP/80", false)]);

    // access-nginx: only pods labelled access=true.
    let s = build("002 walkthrough, access-nginx", &[C002, fixture!("002-access-nginx.yaml")]);
    check(
        &s,
        "002 access-nginx",
        &[
            (BUSYBOX, NGINX, "TCP/80", false),
            ("default/busybox-access", NGINX, "TCP/80", true),
            ("default/busybox-access", NGINX2, "TCP/80", true),
            // A podSelector alone means pods of the policy's namespace.
            ("secondary/client", NGINX, "TCP/80", false),
        ],
    );

    // "最后开启 nginx 服务的外部访问": front-end-access is in namespace
    // sock-shop, so it selects run=nginx pods there, not the default nginx
    // the walkthrough built. The default nginx stays closed to the outside;
    // sock-shop's nginx becomes isolated and open on TCP 80 only.
    let s = build(
        "002 walkthrough, front-end-access",
        &[C002, fixture!("002-access-nginx.yaml"), fixture!("002-front-end-access.yaml")],
    );
    check(
        &s,
        "002 front-end-access",
        &[
            ("203.0.113.9", NGINX, "TCP/80", false),
            ("203.0.113.9", "sock-shop/nginx", "TCP/80", true),
            (BUSYBOX, "sock-shop/nginx", "TCP/80", true),
            ("203.0.113.9", "sock-shop/nginx", "TCP/443", false),
        ],
    );
}

/// "使用场景": web-deny-all, api-allow and the namespace-wide default-deny
/// without policyTypes (which defaults to Ingress).
#[test]
fn seed_002_use_cases_deny_service_allow_pods_deny_namespace() {
    let s = build("002 web-deny-all", &[C002, fixture!("002-web-deny-all.yaml")]);
    check(
        &s,
        "002 web-deny-all",
        &[
            (BUSYBOX, "default/web", "TCP/80", false),
            ("prod/client", "default/web", "TCP/80", false),
            ("default/web", BUSYBOX, "TCP/80", true),
            (BUSYBOX, NGINX, "TCP/80", true),
        ],
    );

    let s = build("002 api-allow", &[C002, fixture!("002-api-allow.yaml")]);
    check(
        &s,
        "002 api-allow",
        &[
            ("default/bookstore-web", "default/apiserver", "TCP/80", true),
            ("default/coffeeshop", "default/apiserver", "TCP/80", false),
            ("prod/client", "default/apiserver", "TCP/80", false),
        ],
    );

    let s = build("002 default-deny (no policyTypes)", &[C002, fixture!("002-default-deny-no-types.yaml")]);
    check(
        &s,
        "002 default-deny (no policyTypes)",
        &[
            (BUSYBOX, NGINX, "TCP/80", false),
            ("default/web", "default/apiserver", "TCP/80", false),
            (NGINX, "myproject/worker", "TCP/80", true),
        ],
    );
}

/// "禁止其他 namespace 访问服务": `matchLabels:` with no value is null, an
/// empty selector: every pod of secondary is selected, and `podSelector: {}`
/// admits only pods of secondary.
#[test]
fn seed_002_web_deny_other_namespaces() {
    let s = build("002 web-deny-other-namespaces", &[C002, fixture!("002-web-deny-other-namespaces.yaml")]);
    check(
        &s,
        "002 web-deny-other-namespaces",
        &[
            ("secondary/client", "secondary/web", "TCP/80", true),
            (BUSYBOX, "secondary/web", "TCP/80", false),
            ("prod/client", "secondary/client", "TCP/80", false),
        ],
    );
}

/// "只允许指定 namespace 访问服务" and "允许外网访问服务".
#[test]
fn seed_002_web_allow_prod_and_external() {
    let s = build("002 web-allow-prod", &[C002, fixture!("002-web-allow-prod.yaml")]);
    check(
        &s,
        "002 web-allow-prod",
        &[
            ("prod/client", "default/web", "TCP/80", true),
            ("secondary/client", "default/web", "TCP/80", false),
            // Even its own namespace: default is not labelled purpose=production.
            (BUSYBOX, "default/web", "TCP/80", false),
            ("prod/client", "secondary/web", "TCP/80", true),
        ],
    );

    let s = build("002 web-allow-external", &[C002, fixture!("002-web-allow-external.yaml")]);
    check(
        &s,
        "002 web-allow-external",
        &[
            ("203.0.113.9", "default/web", "TCP/80", true),
            ("203.0.113.9", "default/web", "TCP/443", false),
            // `port: 80` without protocol means TCP.
            ("203.0.113.9", "default/web", "UDP/80", false),
            ("secondary/client", "default/web", "TCP/80", true),
            ("secondary/client", "secondary/web", "TCP/80", true),
        ],
    );
}

// ===========================================================================
// 003_f3860464ab92af66.txt (zh-CN)

const C003: &str = fixture!("003-cluster.yaml");

/// 模式1: the three namespace-level default denies.
#[test]
fn seed_003_pattern_1_default_deny_variants() {
    let s = build("003 deny ingress", &[C003, fixture!("003-default-deny-ingress.yaml")]);
    check(
        &s,
        "003 deny ingress",
        &[
            ("production/web", "production/api", "TCP/8080", false),
            ("staging/api", "production/api", "TCP/8080", false),
            ("production/api", "staging/api", "TCP/8080", true),
        ],
    );
    let s = build("003 deny egress", &[C003, fixture!("003-default-deny-egress.yaml")]);
    check(
        &s,
        "003 deny egress",
        &[
            ("production/web", "production/api", "TCP/8080", false),
            ("production/api", "staging/api", "TCP/8080", false),
            ("staging/api", "production/api", "TCP/8080", true),
        ],
    );
    let s = build("003 deny all", &[C003, fixture!("003-default-deny-all.yaml")]);
    check(
        &s,
        "003 deny all",
        &[
            ("production/web", "production/api", "TCP/8080", false),
            ("production/api", "staging/api", "TCP/8080", false),
            ("staging/api", "production/api", "TCP/8080", false),
            ("staging/api", "monitoring/prometheus", "TCP/9090", true),
        ],
    );
}

/// 陷阱1 "忘记允许DNS流量": the ❌ version breaks DNS; the ✅ version (and
/// 模式1's allow-dns-egress added to the ❌ one) allows UDP and TCP 53 to
/// kube-system and nothing else.
#[test]
fn seed_003_pitfall_1_forgotten_dns() {
    let s = build("003 pitfall 1 wrong", &[C003, fixture!("003-default-deny-all.yaml")]);
    check(
        &s,
        "003 pitfall 1 wrong",
        &[
            ("production/web", "kube-system/coredns", "UDP/53", false),
            ("production/web", "kube-system/coredns", "TCP/53", false),
        ],
    );
    let right = [
        ("production/web", "kube-system/coredns", "UDP/53", true),
        ("production/web", "kube-system/coredns", "TCP/53", true),
        // The rule selects the namespace, so any kube-system pod on 53.
        ("production/web", "kube-system/metrics-server", "UDP/53", true),
        ("production/web", "kube-system/metrics-server", "TCP/10250", false),
        ("production/web", "production/api", "TCP/8080", false),
        ("production/web", "8.8.8.8", "UDP/53", false),
    ];
    let s = build("003 pitfall 1 right", &[C003, fixture!("003-pitfall1-right.yaml")]);
    check(&s, "003 pitfall 1 right", &right);
    let s = build(
        "003 pattern 1 deny-all + allow-dns-egress",
        &[C003, fixture!("003-default-deny-all.yaml"), fixture!("003-allow-dns-egress.yaml")],
    );
    check(&s, "003 pattern 1 deny-all + allow-dns-egress", &right);
}

/// 模式2 "三层应用微隔离" with "跨命名空间策略" (allow-from-monitoring).
#[test]
fn seed_003_pattern_2_micro_segmentation() {
    let what = "003 pattern 2";
    let s = build(what, &[C003, fixture!("003-micro-segmentation.yaml")]);
    check(
        &s,
        what,
        &[
            ("production/web", "production/api", "TCP/8080", true),
            ("production/api", "production/postgres", "TCP/5432", true),
            ("production/web", "production/postgres", "TCP/5432", false),
            ("staging/api", "production/postgres", "TCP/5432", false),
            // DNS rules list only UDP.
            ("production/web", "kube-system/coredns", "UDP/53", true),
            ("production/web", "kube-system/coredns", "TCP/53", false),
            ("production/postgres", "kube-system/coredns", "UDP/53", true),
            // Prometheus AND namespace purpose=monitoring, on 9090 only.
            ("monitoring/prometheus", "production/api", "TCP/9090", true),
            ("monitoring/prometheus", "production/api", "TCP/8080", false),
            ("monitoring/grafana", "production/api", "TCP/9090", false),
            // allow-from-monitoring selects every production pod, so redis,
            // which no other policy selects, becomes isolated for ingress and
            // admits only Prometheus: together, the article's policies cut the
            // backend off from its cache although backend-policy allows 6379
            // egress.
            ("production/api", "production/redis", "TCP/6379", false),
            // The frontend rule wants app=ingress-nginx pods in namespaces
            // labelled env=production; the article labels only production
            // that way, so a controller in ingress-nginx is shut out.
            ("ingress-nginx/controller", "production/web", "TCP/8080", false),
        ],
    );
    let ex = explain(&s, what, "monitoring/prometheus", "production/api", "TCP/9090");
    assert_eq!(admitting(&s, &ex.ingress.allowed_by), [m("production/allow-from-monitoring", 0, Some(0), Some(0))]);

    let labelled = with_namespace_label(C003, "ingress-nginx", "env", "production");
    let s = build("003 pattern 2 (ingress-nginx labelled)", &[&labelled, fixture!("003-micro-segmentation.yaml")]);
    check(
        &s,
        "003 pattern 2 (ingress-nginx labelled)",
        &[
            ("ingress-nginx/controller", "production/web", "TCP/8080", true),
            ("ingress-nginx/controller", "production/web", "TCP/8443", true),
            ("ingress-nginx/controller", "production/web", "TCP/80", false),
            ("ingress-nginx/controller", "production/api", "TCP/8080", false),
        ],
    );
}

/// 模式6 "zero-trust-foundation": ingress from every pod of production on
/// every port (`ports: []`), egress only DNS. Both sides of a flow between
/// two production pods are this policy, and its egress side refuses.
#[test]
fn seed_003_pattern_6_zero_trust_foundation() {
    let what = "003 pattern 6";
    let s = build(what, &[C003, fixture!("003-zero-trust-foundation.yaml")]);
    check(
        &s,
        what,
        &[
            ("production/web", "production/api", "TCP/8080", false),
            ("staging/api", "production/api", "TCP/8080", false),
            ("production/web", "kube-system/coredns", "UDP/53", true),
            ("production/web", "kube-system/coredns", "TCP/53", true),
        ],
    );
    let ex = explain(&s, what, "production/web", "production/api", "TCP/8080");
    assert!(ex.ingress.allowed, "same-namespace ingress is allowed");
    assert!(!ex.egress.allowed, "but egress is DNS only");
    assert_eq!(admitting(&s, &ex.ingress.allowed_by), [m("production/zero-trust-foundation", 0, Some(0), None)]);
}

/// 陷阱2 "命名空间缺少标签": before `kubectl label namespace monitoring
/// purpose=monitoring`, the selector matches no namespace.
#[test]
fn seed_003_pitfall_2_namespace_missing_label() {
    let unlabelled_head = "  name: monitoring\n  labels:\n    purpose: monitoring\n";
    assert_eq!(C003.matches(unlabelled_head).count(), 1);
    let unlabelled = C003.replace(unlabelled_head, "  name: monitoring\n");

    let s = build_text("003 pitfall 2 wrong", &join(&[&unlabelled, fixture!("003-pitfall2-wrong.yaml")]));
    check(
        &s,
        "003 pitfall 2 wrong",
        &[
            ("monitoring/prometheus", "default/app", "TCP/8080", false),
            ("monitoring/grafana", "default/app", "TCP/8080", false),
        ],
    );
    // After labelling, the right version admits Prometheus only (AND).
    let s = build("003 pitfall 2 right", &[C003, fixture!("003-pitfall2-right.yaml")]);
    check(
        &s,
        "003 pitfall 2 right",
        &[
            ("monitoring/prometheus", "default/app", "TCP/8080", true),
            ("monitoring/grafana", "default/app", "TCP/8080", false),
            ("production/web", "default/app", "TCP/8080", false),
        ],
    );
}

/// 陷阱4 "策略顺序导致覆盖": NetworkPolicy has no deny and no order. The
/// Calico policy with `order` and `action: Deny` is another API: it is
/// skipped with a notice, never an error, and changes no verdict here.
#[test]
fn seed_003_pitfall_4_calico_policy_is_not_a_network_policy() {
    let text = join(&[C003, fixture!("003-pitfall4-calico.yaml")]);
    let out = parse_str(&text);
    assert!(!out.has_errors());
    assert!(out.diagnostics.iter().any(|d| d.severity == Severity::Notice), "a skipped kind gets a notice");
    assert!(out.scenario.policies.is_empty());
    check(&out.scenario, "003 pitfall 4", &[("production/web", "production/api", "TCP/8080", true)]);
}

/// 陷阱5 "忽略kube-system命名空间": a default deny in kube-system breaks DNS
/// for every namespace; the ✅ version opens CoreDNS on 53 to everyone, and
/// since policies add up it also repairs DNS when the deny is there.
#[test]
fn seed_003_pitfall_5_kube_system_default_deny() {
    let s = build("003 pitfall 5 wrong", &[C003, fixture!("003-pitfall5-wrong.yaml")]);
    check(
        &s,
        "003 pitfall 5 wrong",
        &[
            ("production/web", "kube-system/coredns", "UDP/53", false),
            ("staging/api", "kube-system/coredns", "UDP/53", false),
            ("kube-system/coredns", "8.8.8.8", "UDP/53", false),
            ("production/web", "production/api", "TCP/8080", true),
        ],
    );
    let ex = explain(&s, "003 pitfall 5 wrong", "production/web", "kube-system/coredns", "UDP/53");
    assert!(ex.egress.allowed && !ex.ingress.allowed);

    let s = build("003 pitfall 5 right", &[C003, fixture!("003-pitfall5-right.yaml")]);
    check(
        &s,
        "003 pitfall 5 right",
        &[
            ("production/web", "kube-system/coredns", "UDP/53", true),
            ("production/web", "kube-system/coredns", "TCP/53", true),
            ("203.0.113.9", "kube-system/coredns", "UDP/53", true),
            ("production/web", "kube-system/coredns", "TCP/9153", false),
            ("production/web", "kube-system/metrics-server", "TCP/10250", true),
        ],
    );

    let s =
        build("003 pitfall 5 both", &[C003, fixture!("003-pitfall5-wrong.yaml"), fixture!("003-pitfall5-right.yaml")]);
    check(
        &s,
        "003 pitfall 5 both",
        &[
            ("production/web", "kube-system/coredns", "UDP/53", true),
            ("kube-system/coredns", "8.8.8.8", "UDP/53", false),
            ("production/web", "kube-system/metrics-server", "TCP/10250", false),
        ],
    );
}

/// 模式3-6: Cilium, Calico, Istio and audit policies are other APIs; they are
/// skipped with notices and add no NetworkPolicy.
#[test]
fn seed_003_other_products_policies_are_skipped_with_notices() {
    let text = join(&[C003, fixture!("003-other-kinds.yaml")]);
    let out = parse_str(&text);
    assert!(!out.has_errors(), "{:?}", errors(&out));
    assert!(!out.diagnostics.iter().any(|d| d.severity == Severity::Warning));
    let notices = out.diagnostics.iter().filter(|d| d.severity == Severity::Notice).count();
    assert!(notices >= 5, "one notice per skipped document, got {notices}");
    assert!(out.scenario.policies.is_empty());
}

/// 模式5's CiliumClusterwideNetworkPolicy writes `ingress:` twice in one
/// mapping. YAML requires unique keys and kubectl refuses the file ("mapping
/// key \"ingress\" already defined"), so this is an error at the second key,
/// not a skipped kind, and the rest of the input still loads.
#[test]
fn seed_003_cilium_clusterwide_policy_has_a_duplicate_key() {
    let text = join(&[C003, fixture!("003-cilium-clusterwide.yaml")]);
    let out = parse_str(&text);
    let errs = errors(&out);
    assert_eq!(errs.len(), 1, "{errs:?}");
    let doc = text.find("name: allow-mtls-traffic").expect("fixture");
    let second_key = text[doc..]
        .match_indices("\n  ingress:")
        .nth(1)
        .map(|(at, _)| text[..doc + at + 1].lines().count() as u32 + 1)
        .expect("two ingress keys");
    assert_eq!(errs[0].span.start.line, second_key);
    assert_eq!(out.scenario.endpoints.len(), 11);
}

// ===========================================================================
// 004_c735e64c65af7d07.txt (ja)

const C004: &str = fixture!("004-cluster.yaml");

/// "デフォルトですべて拒否": the three policies together deny everything in
/// production, in both directions.
#[test]
fn seed_004_deny_all_variants() {
    let s = build("004 deny all", &[C004, fixture!("004-deny-all.yaml")]);
    assert_eq!(s.policies.len(), 3);
    check(
        &s,
        "004 deny all",
        &[
            ("production/frontend", "production/backend", "TCP/8080", false),
            ("other/client", "production/frontend", "TCP/80", false),
            ("production/backend", "kube-system/coredns", "UDP/53", false),
            ("other/client", "kube-system/coredns", "UDP/53", true),
        ],
    );
}

/// "特定のPodからのIngressを許可", "Namespaceからを許可",
/// "外部へのEgressを許可" and "DNSを許可".
#[test]
fn seed_004_allow_recipes() {
    let s = build("004 allow-frontend", &[C004, fixture!("004-allow-frontend.yaml")]);
    check(
        &s,
        "004 allow-frontend",
        &[
            ("production/frontend", "production/backend", "TCP/8080", true),
            ("production/frontend", "production/backend", "TCP/9090", false),
            ("production/database", "production/backend", "TCP/8080", false),
            ("other/client", "production/backend", "TCP/8080", false),
        ],
    );

    let s = build("004 allow-from-monitoring", &[C004, fixture!("004-allow-from-monitoring.yaml")]);
    check(
        &s,
        "004 allow-from-monitoring",
        &[
            ("monitoring/prometheus", "production/backend", "TCP/9090", true),
            ("monitoring/prometheus", "production/database", "TCP/5432", true),
            ("other/client", "production/backend", "TCP/9090", false),
            ("production/frontend", "production/backend", "TCP/8080", false),
        ],
    );

    let s = build("004 allow-external-db", &[C004, fixture!("004-allow-external-db.yaml")]);
    check(
        &s,
        "004 allow-external-db",
        &[
            ("production/backend", "10.0.0.5", "TCP/5432", true),
            ("production/backend", "10.0.1.5", "TCP/5432", false),
            ("production/backend", "10.0.0.5", "TCP/443", false),
            // Egress isolated to that block: the in-cluster database's pod IP
            // is outside it.
            ("production/backend", "production/database", "TCP/5432", false),
            ("production/frontend", "production/database", "TCP/5432", true),
        ],
    );

    let s = build("004 allow-dns", &[C004, fixture!("004-allow-dns.yaml")]);
    check(
        &s,
        "004 allow-dns",
        &[
            ("production/frontend", "kube-system/coredns", "UDP/53", true),
            ("production/backend", "kube-system/coredns", "UDP/53", true),
            ("production/frontend", "kube-system/coredns", "TCP/53", false),
            ("production/frontend", "kube-system/metrics-server", "UDP/53", false),
            ("production/frontend", "production/backend", "TCP/8080", false),
        ],
    );
}

/// "完全な例": the complete three-tier example. Two things the article does
/// not say: the backend policy has no DNS rule, so once it isolates egress
/// the backend cannot resolve names (only the frontend has a DNS rule); and
/// the frontend's DNS rule is `namespaceSelector: {}`, every pod of the
/// cluster on UDP 53, which does not include DNS servers outside the cluster.
#[test]
fn seed_004_complete_three_tier_example() {
    let what = "004 three-tier";
    let s = build(what, &[C004, fixture!("004-three-tier.yaml")]);
    assert_eq!(s.policies.len(), 3);
    check(
        &s,
        what,
        &[
            // "インターネットからのIngress": from: [] admits everyone on 80.
            ("203.0.113.9", "production/frontend", "TCP/80", true),
            ("other/client", "production/frontend", "TCP/80", true),
            ("203.0.113.9", "production/frontend", "TCP/443", false),
            ("production/frontend", "production/backend", "TCP/8080", true),
            ("production/backend", "production/database", "TCP/5432", true),
            // "データベース:バックエンドからのみ許可"
            ("production/frontend", "production/database", "TCP/5432", false),
            ("other/client", "production/backend", "TCP/8080", false),
            // DNS
            ("production/frontend", "kube-system/coredns", "UDP/53", true),
            ("production/frontend", "kube-system/metrics-server", "UDP/53", true),
            ("production/frontend", "8.8.8.8", "UDP/53", false),
            ("production/backend", "kube-system/coredns", "UDP/53", false),
            // The database policy is Ingress only: its egress is open.
            ("production/database", "203.0.113.9", "TCP/443", true),
        ],
    );
    let ex = explain(&s, what, "production/frontend", "production/backend", "TCP/8080");
    assert_eq!(admitting(&s, &ex.egress.allowed_by), [m("production/frontend-policy", 0, Some(0), Some(0))]);
    assert_eq!(admitting(&s, &ex.ingress.allowed_by), [m("production/backend-policy", 0, Some(0), Some(0))]);
}
