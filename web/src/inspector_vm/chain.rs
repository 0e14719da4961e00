//! The decision chain across tiers, as rows: Admin-tier cluster policies in
//! the order the core consulted them, the NetworkPolicy tier, the Baseline
//! tier and the default allow (network-policy-api evaluation order,
//! `apis/v1alpha2/clusternetworkpolicy_types.go`).
//!
//! Built only when the scenario has cluster policies, so a NetworkPolicy-only
//! scenario keeps the inspector it always had. Every step, outcome and
//! "decides" flag comes from the core's [`SideExplanation::tiers`]; the
//! synthetic rows ("no Admin policy applies", "not reached", the default)
//! only name what the core's chain says by ending or by leaving a tier out.

use netpol_core::eval::tier::Verdict;
use netpol_core::explain::{ClusterRuleExplanation, PeersCheck, PortsCheck, SideExplanation, Term, TierKind, TierStep};
use netpol_core::model::{ClusterPolicy, ClusterPolicyApi, ClusterTier, Direction};
use netpol_core::{Scenario, Span};

use super::{policy_name, ports_view, terms_view, PeerView, RuleView};

/// Which row of the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainTier {
    /// An Admin-tier cluster policy (or "no Admin policy applies").
    Admin,
    /// The namespaced NetworkPolicies.
    NetworkPolicy,
    /// A Baseline-tier cluster policy (or "not consulted").
    Baseline,
    /// Nothing decided: the default allow.
    Default,
}

impl ChainTier {
    /// `Admin` / `NetworkPolicy` / `Baseline` / `Default`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChainTier::Admin => "Admin",
            ChainTier::NetworkPolicy => "NetworkPolicy",
            ChainTier::Baseline => "Baseline",
            ChainTier::Default => "Default",
        }
    }
}

/// What a row decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// Accept/Allow (final), or the NetworkPolicy tier admitting the flow, or the default.
    Allow,
    /// Deny (final), or an isolated side no NetworkPolicy rule admits.
    Deny,
    /// Pass: handed on to the next tier.
    Pass,
    /// Consulted, nothing matched: handed on.
    NoMatch,
    /// Not consulted, because an earlier tier decided.
    NotReached,
}

impl StepOutcome {
    /// A stable token for `data-outcome` attributes and CSS.
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Allow => "allow",
            StepOutcome::Deny => "deny",
            StepOutcome::Pass => "pass",
            StepOutcome::NoMatch => "nomatch",
            StepOutcome::NotReached => "skipped",
        }
    }
}

/// One row of the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainStep {
    /// The tier.
    pub tier: ChainTier,
    /// The cluster policy's name, for Admin/Baseline rows about one policy.
    pub policy: Option<String>,
    /// `priority 10`, `AdminNetworkPolicy · priority 7`, …
    pub meta: Option<String>,
    /// What the row decided.
    pub outcome: StepOutcome,
    /// `Deny`, `Accept`, `Pass`, `no rule matched`, `not isolated`, …
    pub outcome_label: String,
    /// Which rule and entry matched, in one line (backticks mark code).
    pub detail: Option<String>,
    /// This row decided the side's verdict.
    pub decides: bool,
    /// What to highlight in the editor when the row is clicked.
    pub spans: Vec<Span>,
    /// A cluster policy's rules as checked, up to the one that matched.
    pub rules: Vec<RuleView>,
    /// The "undefined order" warning for equal priorities.
    pub warning: Option<String>,
    /// The document is a superseded `v1alpha1` kind.
    pub superseded: bool,
}

/// One side's chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainView {
    /// The rows, in evaluation order.
    pub steps: Vec<ChainStep>,
    /// `Admin protect-db: Deny → denied`, for screen readers and titles.
    pub summary: String,
    /// Whether the NetworkPolicy tier was consulted (its policy cards are
    /// then the live detail, otherwise a "what it would have said").
    pub network_policy_reached: bool,
}

/// The chain of `side`, or `None` when the scenario has no cluster policy or
/// the side is exempt (the core gives no chain then).
pub fn chain_view(scenario: &Scenario, side: &SideExplanation) -> Option<ChainView> {
    if scenario.cluster_policies.is_empty() || side.tiers.is_empty() {
        return None;
    }
    let has_tier = |t: ClusterTier| scenario.cluster_policies.iter().any(|p| p.tier == t);
    let last_final = side.tiers.last().is_some_and(|s| matches!(s.verdict, Verdict::Allow | Verdict::Deny));
    let n = side.tiers.len();
    let mut steps = Vec::new();
    let listed = |k: TierKind| side.tiers.iter().any(|s| s.tier == k);
    if !listed(TierKind::Admin) && has_tier(ClusterTier::Admin) {
        steps.push(placeholder(ChainTier::Admin, StepOutcome::NoMatch, "no policy applies", None));
    }
    // The core lists the NetworkPolicy step only when the tier was consulted.
    let np_reached = listed(TierKind::NetworkPolicy);
    for (i, step) in side.tiers.iter().enumerate() {
        let decides = last_final && i + 1 == n;
        steps.push(match step.tier {
            TierKind::NetworkPolicy => network_policy_step(scenario, side, step.verdict, decides),
            TierKind::Admin | TierKind::Baseline => cluster_step(scenario, side.direction, step, decides),
        });
    }
    if !np_reached {
        steps.push(not_reached(ChainTier::NetworkPolicy, "the Admin tier decided first"));
    }
    if !listed(TierKind::Baseline) && has_tier(ClusterTier::Baseline) {
        steps.push(if last_final {
            not_reached(ChainTier::Baseline, "an earlier tier decided")
        } else {
            placeholder(ChainTier::Baseline, StepOutcome::NoMatch, "no policy applies", None)
        });
    }
    if !last_final {
        let mut d = placeholder(
            ChainTier::Default,
            StepOutcome::Allow,
            "allowed",
            Some("no tier decided, so the connection is allowed"),
        );
        d.decides = true;
        steps.push(d);
    }
    let summary = summary(&steps, side.allowed);
    Some(ChainView { steps, summary, network_policy_reached: np_reached })
}

fn placeholder(tier: ChainTier, outcome: StepOutcome, label: &str, detail: Option<&str>) -> ChainStep {
    ChainStep {
        tier,
        policy: None,
        meta: None,
        outcome,
        outcome_label: label.to_string(),
        detail: detail.map(str::to_string),
        decides: false,
        spans: Vec::new(),
        rules: Vec::new(),
        warning: None,
        superseded: false,
    }
}

fn not_reached(tier: ChainTier, why: &str) -> ChainStep {
    placeholder(tier, StepOutcome::NotReached, "not reached", Some(why))
}

/// `Admin protect-db: Deny → NetworkPolicy: not reached → denied`, listing
/// only the rows that took part.
fn summary(steps: &[ChainStep], allowed: bool) -> String {
    let mut parts: Vec<String> = steps
        .iter()
        .filter(|s| s.policy.is_some() || (s.tier == ChainTier::NetworkPolicy && s.outcome != StepOutcome::NotReached))
        .map(|s| match &s.policy {
            Some(p) => format!("{} {p}: {}", s.tier.as_str(), s.outcome_label),
            None => format!("{}: {}", s.tier.as_str(), s.outcome_label),
        })
        .collect();
    parts.push(if allowed { "allowed".to_string() } else { "denied".to_string() });
    parts.join(" → ")
}

fn network_policy_step(scenario: &Scenario, side: &SideExplanation, verdict: Verdict, decides: bool) -> ChainStep {
    let (outcome, label, detail, spans) = match verdict {
        Verdict::Allow => {
            let first = side.first_allowing();
            let detail = first.map(|m| {
                let mut s = format!("`{}` {}[{}]", policy_name(scenario, m.policy), side.direction.as_str(), m.rule);
                match peer_terms(side, m.policy, m.rule, m.peer) {
                    Some((label, terms)) => s.push_str(&format!(" · {label} ({terms})")),
                    None => s.push_str(" (any peer)"),
                }
                s
            });
            let spans = first.map(|m| crate::highlight::match_spans(side, m)).unwrap_or_default();
            (StepOutcome::Allow, "Allow", detail, spans)
        }
        // The step draws the side's status sentence ("Isolated by …", "Not
        // isolated: …") below its head, so these need no detail line.
        Verdict::Deny => (StepOutcome::Deny, "Deny", None, side.policies.iter().map(|p| p.pod_selector_span).collect()),
        Verdict::Pass | Verdict::NoMatch => (StepOutcome::NoMatch, "not isolated", None, Vec::new()),
    };
    ChainStep {
        tier: ChainTier::NetworkPolicy,
        policy: None,
        meta: None,
        outcome,
        outcome_label: label.to_string(),
        detail,
        decides,
        spans,
        rules: Vec::new(),
        warning: None,
        superseded: false,
    }
}

/// `from[1]` and `namespaceSelector AND podSelector` for a NetworkPolicy match.
fn peer_terms(side: &SideExplanation, policy: usize, rule: usize, peer: Option<usize>) -> Option<(String, String)> {
    let j = peer?;
    let r = side.policies.iter().find(|p| p.policy == policy)?.rules.iter().find(|r| r.index == rule)?;
    let PeersCheck::Entries(entries) = &r.peers else { return None };
    let e = entries.iter().find(|e| e.index == j)?;
    let terms: Vec<&str> = e.terms.iter().map(|t| t.term.as_str()).collect();
    Some((format!("{}[{j}]", side.direction.peers_field()), terms.join(" AND ")))
}

fn cluster_step(scenario: &Scenario, direction: Direction, step: &TierStep, decides: bool) -> ChainStep {
    let tier = if step.tier == TierKind::Admin { ChainTier::Admin } else { ChainTier::Baseline };
    let policy = step.policy.and_then(|i| scenario.cluster_policies.get(i));
    let api = policy.map_or(ClusterPolicyApi::ClusterNetworkPolicy, |p| p.api);
    let matched = step.matched_rule();
    let (outcome, label) = match (step.verdict, matched) {
        (Verdict::NoMatch, _) | (_, None) => (StepOutcome::NoMatch, "no rule matched".to_string()),
        (v, Some(r)) => {
            let o = match v {
                Verdict::Allow => StepOutcome::Allow,
                Verdict::Deny => StepOutcome::Deny,
                _ => StepOutcome::Pass,
            };
            (o, r.action.as_str(api).to_string())
        }
    };
    let rule_name = |r: &ClusterRuleExplanation| {
        policy.and_then(|p| p.rules(direction).get(r.index)).and_then(|rule| rule.name.clone())
    };
    let detail = match matched {
        Some(r) => Some(matched_detail(direction, r, rule_name(r).as_deref(), api)),
        None => Some(match step.rules.len() {
            1 => "its only rule does not match".to_string(),
            k => format!("none of its {k} rules matches"),
        }),
    };
    let spans = match (matched, policy) {
        (Some(r), _) => vec![r.span],
        (None, Some(p)) => vec![p.span],
        (None, None) => Vec::new(),
    };
    ChainStep {
        tier,
        policy: policy.map(|p| p.name.clone()),
        meta: policy.map(meta),
        outcome,
        outcome_label: label,
        detail,
        decides,
        spans,
        rules: step.rules.iter().map(|r| cluster_rule_view(direction, r, rule_name(r), api)).collect(),
        warning: step.policy.and_then(|i| same_priority_warning(scenario, i)),
        superseded: api != ClusterPolicyApi::ClusterNetworkPolicy,
    }
}

/// `priority 10`, or the superseded kind and its priority.
fn meta(p: &ClusterPolicy) -> String {
    match p.api {
        ClusterPolicyApi::ClusterNetworkPolicy => format!("priority {}", p.priority),
        ClusterPolicyApi::AdminNetworkPolicy => format!("AdminNetworkPolicy · priority {}", p.priority),
        ClusterPolicyApi::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy".to_string(),
    }
}

/// `ingress[2] `deny-everyone-else` · from[0] (namespaces) · protocols[0]`.
fn matched_detail(
    direction: Direction,
    r: &ClusterRuleExplanation,
    name: Option<&str>,
    api: ClusterPolicyApi,
) -> String {
    let mut s = format!("{}[{}]", direction.as_str(), r.index);
    if let Some(n) = name {
        s.push_str(&format!(" `{n}`"));
    }
    if let PeersCheck::Entries(entries) = &r.peers {
        if let Some(e) = entries.iter().find(|e| e.held) {
            s.push_str(&format!(" · {}[{}] ({})", direction.peers_field(), e.index, cluster_peer_kind(&e.terms)));
        }
    }
    if let PortsCheck::Entries(entries) = &r.ports {
        if let Some(p) = entries.iter().find(|p| p.held) {
            s.push_str(&format!(" · {}[{}]", ports_field(api), p.index));
        }
    }
    s
}

/// The field a cluster peer was written as, from its checked terms: a lone
/// namespace selector is `namespaces`, a namespace AND pod selector `pods`.
fn cluster_peer_kind(terms: &[netpol_core::explain::TermCheck]) -> &'static str {
    match terms {
        [t] if t.term == Term::NamespaceSelector => "namespaces",
        [t] => t.term.as_str(),
        _ => "pods: namespaceSelector AND podSelector",
    }
}

/// `protocols` in v1alpha2, `ports` in v1alpha1.
fn ports_field(api: ClusterPolicyApi) -> &'static str {
    match api {
        ClusterPolicyApi::ClusterNetworkPolicy => "protocols",
        _ => "ports",
    }
}

fn cluster_rule_view(
    direction: Direction,
    r: &ClusterRuleExplanation,
    name: Option<String>,
    api: ClusterPolicyApi,
) -> RuleView {
    let field = direction.peers_field();
    let first_held = match &r.peers {
        PeersCheck::Entries(e) if r.matched => e.iter().find(|p| p.held).map(|p| p.index),
        _ => None,
    };
    let peers = match &r.peers {
        PeersCheck::Any => None,
        PeersCheck::Entries(entries) => Some(
            entries
                .iter()
                .map(|e| PeerView {
                    index: e.index,
                    label: format!("{field}[{}] {}", e.index, cluster_peer_kind(&e.terms)),
                    held: e.held,
                    decisive: first_held == Some(e.index),
                    span: e.span,
                    terms: terms_view(&e.terms),
                })
                .collect(),
        ),
    };
    RuleView {
        label: format!("{}[{}]", direction.as_str(), r.index),
        name,
        action: Some(r.action.as_str(api)),
        peers_field: field,
        ports_field: ports_field(api),
        matched: r.matched,
        span: r.span,
        ports: ports_view(&r.ports, ports_field(api)),
        ports_held: r.ports.held(),
        peers,
        peers_held: r.peers.held(),
    }
}

/// Upstream leaves the order of equal priorities undefined
/// (`ClusterNetworkPolicySpec.Priority`: "the implementation can apply any of
/// the matching policies"); the parser warns about it and the chain repeats
/// the warning on the step it concerns. A BaselineAdminNetworkPolicy is a
/// singleton without priority, so it never collides.
fn same_priority_warning(scenario: &Scenario, index: usize) -> Option<String> {
    let p = scenario.cluster_policies.get(index)?;
    if p.api == ClusterPolicyApi::BaselineAdminNetworkPolicy {
        return None;
    }
    let others: Vec<String> = scenario
        .cluster_policies
        .iter()
        .enumerate()
        .filter(|(j, q)| {
            *j != index
                && q.tier == p.tier
                && q.priority == p.priority
                && q.api != ClusterPolicyApi::BaselineAdminNetworkPolicy
        })
        .map(|(_, q)| format!("`{}`", q.name))
        .collect();
    if others.is_empty() {
        return None;
    }
    Some(format!(
        "Undefined order: {} also has {} priority {}. Implementations may apply either first; this tool orders them by name.",
        others.join(", "),
        p.tier.as_str(),
        p.priority
    ))
}

#[cfg(test)]
mod tests {
    //! Each action and tier of the network-policy-api evaluation order
    //! (`apis/v1alpha2/clusternetworkpolicy_types.go`: Admin by priority →
    //! NetworkPolicy → Baseline → default allow), as the inspector's rows.
    use super::*;
    use crate::flow_sel::{inspect, FlowChoice};
    use crate::inspector_vm::{inspector_data, FlowView, InspectorData};
    use netpol_core::presets::by_id;

    fn view(yaml: &str, from: &str, to: &str, probe: &str) -> FlowView {
        let out = netpol_core::parse::parse_str(yaml);
        assert!(!out.has_errors(), "{:?}", out.diagnostics);
        let choice = FlowChoice { from: from.into(), to: to.into(), probe: probe.into() };
        match inspector_data(&out.scenario, &inspect(&out.scenario, &choice)) {
            InspectorData::Flow(f) => *f,
            other => panic!("expected a flow, got {other:?}"),
        }
    }

    fn guardrails(from: &str, to: &str, probe: &str) -> FlowView {
        view(by_id("cluster-guardrails").expect("the cluster-guardrails preset").yaml, from, to, probe)
    }

    /// `(tier, policy, outcome, decides)` of each row.
    fn rows(chain: &ChainView) -> Vec<(&'static str, Option<&str>, StepOutcome, bool)> {
        chain.steps.iter().map(|s| (s.tier.as_str(), s.policy.as_deref(), s.outcome, s.decides)).collect()
    }

    fn ingress_chain(f: &FlowView) -> &ChainView {
        f.sides[1].chain.as_ref().expect("an ingress chain")
    }

    fn decider(chain: &ChainView) -> &ChainStep {
        let deciding: Vec<&ChainStep> = chain.steps.iter().filter(|s| s.decides).collect();
        assert_eq!(deciding.len(), 1, "exactly one row decides: {chain:?}");
        deciding[0]
    }

    #[test]
    fn admin_deny_is_final_and_network_policies_are_not_reached() {
        let f = guardrails("tenant-a/web", "sensitive/db", "TCP/5432");
        assert!(!f.allowed);
        let chain = ingress_chain(&f);
        assert_eq!(
            rows(chain),
            vec![
                ("Admin", Some("protect-db"), StepOutcome::Deny, true),
                ("NetworkPolicy", None, StepOutcome::NotReached, false),
                ("Baseline", None, StepOutcome::NotReached, false),
            ]
        );
        let admin = decider(chain);
        assert_eq!(admin.outcome_label, "Deny");
        assert_eq!(admin.meta.as_deref(), Some("priority 10"));
        assert_eq!(admin.detail.as_deref(), Some("ingress[2] `deny-everyone-else` · from[0] (namespaces)"));
        // The first two rules were checked and did not match; the third did.
        let matched: Vec<bool> = admin.rules.iter().map(|r| r.matched).collect();
        assert_eq!(matched, vec![false, false, true]);
        assert_eq!(admin.rules[2].action, Some("Deny"));
        assert_eq!(admin.rules[2].ports_field, "protocols");
        // Clicking the step highlights the rule that denied.
        assert_eq!(admin.spans.len(), 1);
        assert!(admin.spans[0].lines().0 > 0);
        assert!(!chain.network_policy_reached);
        // The developer's allow-all is still shown, as "would say".
        assert_eq!(f.sides[1].policies.len(), 1);
        assert!(f.sides[1].near_misses.is_empty());
        assert_eq!(chain.summary, "Admin protect-db: Deny → denied");
    }

    #[test]
    fn admin_accept_is_final() {
        let f = guardrails("backend/api", "sensitive/db", "TCP/5432");
        assert!(f.allowed);
        let chain = ingress_chain(&f);
        let admin = decider(chain);
        assert_eq!((admin.tier, admin.outcome), (ChainTier::Admin, StepOutcome::Allow));
        assert_eq!(admin.outcome_label, "Accept");
        assert_eq!(admin.detail.as_deref(), Some("ingress[1] `accept-backend` · from[0] (namespaces)"));
        assert_eq!(chain.summary, "Admin protect-db: Accept → allowed");
    }

    #[test]
    fn pass_hands_the_decision_to_the_network_policy_tier() {
        let f = guardrails("monitoring/prometheus", "sensitive/db", "TCP/9187");
        assert!(f.allowed);
        let chain = ingress_chain(&f);
        assert_eq!(
            rows(chain),
            vec![
                ("Admin", Some("protect-db"), StepOutcome::Pass, false),
                ("NetworkPolicy", None, StepOutcome::Allow, true),
                ("Baseline", None, StepOutcome::NotReached, false),
            ]
        );
        let pass = &chain.steps[0];
        assert_eq!(pass.outcome_label, "Pass");
        assert_eq!(
            pass.detail.as_deref(),
            Some("ingress[0] `pass-monitoring-metrics` · from[0] (namespaces) · protocols[0]")
        );
        assert_eq!(chain.steps[1].detail.as_deref(), Some("`sensitive/allow-all-to-db` ingress[0] (any peer)"));
        assert!(chain.network_policy_reached);
        assert_eq!(chain.summary, "Admin protect-db: Pass → NetworkPolicy: Allow → allowed");
        // On 5432 the same client falls through to the deny rule.
        let f = guardrails("monitoring/prometheus", "sensitive/db", "TCP/5432");
        assert_eq!(decider(ingress_chain(&f)).outcome, StepOutcome::Deny);
    }

    #[test]
    fn baseline_deny_decides_for_a_pod_no_network_policy_isolates() {
        let f = guardrails("tenant-a/web", "tenant-b/worker", "TCP/8080");
        assert!(!f.allowed);
        let chain = ingress_chain(&f);
        assert_eq!(
            rows(chain),
            vec![
                ("Admin", None, StepOutcome::NoMatch, false),
                ("NetworkPolicy", None, StepOutcome::NoMatch, false),
                ("Baseline", Some("isolate-tenant-b"), StepOutcome::Deny, true),
            ]
        );
        assert_eq!(chain.summary, "NetworkPolicy: not isolated → Baseline isolate-tenant-b: Deny → denied");
    }

    #[test]
    fn a_network_policy_allow_overrides_the_baseline_deny() {
        let f = guardrails("tenant-a/web", "tenant-b/web", "TCP/8080");
        assert!(f.allowed);
        let chain = ingress_chain(&f);
        assert_eq!(
            rows(chain),
            vec![
                ("Admin", None, StepOutcome::NoMatch, false),
                ("NetworkPolicy", None, StepOutcome::Allow, true),
                ("Baseline", None, StepOutcome::NotReached, false),
            ]
        );
        assert_eq!(
            chain.steps[1].detail.as_deref(),
            Some("`tenant-b/allow-tenant-a` ingress[0] · from[0] (namespaceSelector)")
        );
        // The NetworkPolicy step highlights the admitting entry and port.
        assert_eq!(chain.steps[1].spans.len(), 2);
    }

    #[test]
    fn a_side_no_tier_decides_ends_on_the_default_allow() {
        // Egress of tenant-a/web: no cluster policy has egress rules for it and no NetworkPolicy isolates it.
        let f = guardrails("tenant-a/web", "tenant-b/web", "TCP/8080");
        let chain = f.sides[0].chain.as_ref().expect("an egress chain");
        let last = chain.steps.last().expect("rows");
        assert_eq!((last.tier, last.outcome, last.decides), (ChainTier::Default, StepOutcome::Allow, true));
        assert!(last.spans.is_empty());
        assert_eq!(chain.summary, "NetworkPolicy: not isolated → allowed");
    }

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
metadata: {name: b, namespace: y, labels: {app: b}}
status: {podIP: 10.0.2.2}
";

    #[test]
    fn pass_skips_to_the_baseline_tier_when_no_network_policy_isolates() {
        let yaml = format!(
            "{PODS}---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {{name: pass-red}}
spec:
  tier: Admin
  priority: 5
  subject: {{namespaces: {{}}}}
  ingress:
  - {{action: Pass, from: [{{namespaces: {{matchLabels: {{team: red}}}}}}]}}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {{name: baseline-deny}}
spec:
  tier: Baseline
  priority: 1
  subject: {{namespaces: {{}}}}
  ingress:
  - {{action: Deny, from: [{{namespaces: {{}}}}]}}
"
        );
        let f = view(&yaml, "x/a", "y/b", "TCP/80");
        assert!(!f.allowed);
        assert_eq!(
            rows(ingress_chain(&f)),
            vec![
                ("Admin", Some("pass-red"), StepOutcome::Pass, false),
                ("NetworkPolicy", None, StepOutcome::NoMatch, false),
                ("Baseline", Some("baseline-deny"), StepOutcome::Deny, true),
            ]
        );
    }

    #[test]
    fn v1alpha1_documents_use_their_spelling_and_are_marked_superseded() {
        let yaml = format!(
            "{PODS}---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {{name: web}}
spec:
  priority: 7
  subject: {{namespaces: {{matchLabels: {{team: blue}}}}}}
  ingress:
  - {{action: Deny, from: [{{namespaces: {{matchLabels: {{team: blue}}}}}}], ports: [{{portNumber: {{protocol: UDP, port: 53}}}}]}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {{name: default}}
spec:
  subject: {{namespaces: {{}}}}
  ingress:
  - {{name: red-ok, action: Allow, from: [{{namespaces: {{matchLabels: {{team: red}}}}}}]}}
"
        );
        let f = view(&yaml, "x/a", "y/b", "TCP/80");
        assert!(f.allowed);
        let chain = ingress_chain(&f);
        let admin = &chain.steps[0];
        assert_eq!((admin.outcome, admin.outcome_label.as_str()), (StepOutcome::NoMatch, "no rule matched"));
        assert_eq!(admin.meta.as_deref(), Some("AdminNetworkPolicy · priority 7"));
        assert!(admin.superseded);
        assert_eq!(admin.rules[0].ports_field, "ports");
        let baseline = decider(chain);
        assert_eq!((baseline.tier, baseline.outcome_label.as_str()), (ChainTier::Baseline, "Allow"));
        assert_eq!(baseline.meta.as_deref(), Some("BaselineAdminNetworkPolicy"));
        assert_eq!(baseline.detail.as_deref(), Some("ingress[0] `red-ok` · from[0] (namespaces)"));
        assert!(baseline.warning.is_none());
    }

    #[test]
    fn equal_priorities_carry_the_undefined_order_warning() {
        let policy = |name: &str, action: &str| {
            format!(
                "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {{name: {name}}}
spec:
  tier: Admin
  priority: 10
  subject: {{namespaces: {{}}}}
  ingress:
  - {{action: {action}, from: [{{namespaces: {{}}}}]}}
"
            )
        };
        let yaml = format!("{PODS}---\n{}---\n{}", policy("b-deny", "Deny"), policy("a-accept", "Accept"));
        let f = view(&yaml, "x/a", "y/b", "TCP/80");
        // Ties go by name here: a-accept first.
        let step = decider(ingress_chain(&f));
        assert_eq!(step.policy.as_deref(), Some("a-accept"));
        let warning = step.warning.as_deref().expect("a warning");
        assert!(warning.contains("`b-deny`") && warning.contains("Admin priority 10"), "{warning}");
    }

    #[test]
    fn scenarios_without_cluster_policies_have_no_chain() {
        let f = view(by_id("or-vs-and").expect("preset").yaml, "alice/web", "or-demo/db", "TCP/5432");
        assert!(f.sides.iter().all(|s| s.chain.is_none()));
    }
}
