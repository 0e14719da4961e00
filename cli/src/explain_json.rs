//! The JSON form of an [`Explanation`]: the CLI's own, documented output
//! types (the core model is not serializable on purpose, so this shape can
//! stay stable while the model changes).
//!
//! Shape (all field names are part of the contract):
//!
//! ```text
//! {
//!   "flow": {"from": END, "to": END, "probe": "TCP/80"},
//!   "allowed": bool,
//!   "egress": SIDE, "ingress": SIDE
//! }
//! END  = {"endpoint": "ns/name"} | {"ip": "10.0.0.1"}
//! SIDE = {
//!   "direction": "egress"|"ingress",
//!   "subject": "ns/name"|null,            the pod whose policies decide this side
//!   "exemption": null|"external"|"host_network"|"loopback",
//!   "isolated": bool, "allowed": bool,
//!   "isolated_by": ["ns/name", ...],      policies selecting the subject with this type
//!   "other_direction_policies": ["ns/name", ...],
//!   "allowed_by": [{"policy": "ns/name", "rule": i, "peer": j|null, "port": k|null}],
//!   "policies": [{"policy": "ns/name", "span": SPAN, "pod_selector_span": SPAN, "rules": [RULE]}],
//!   "near_misses": [{"policy", "rule", "peer": j|null, "failed": "ports"|TERM}]
//! }
//! RULE = {"rule": i, "matched": bool, "span": SPAN,
//!         "peers": null|[{"peer": j, "held": bool, "span": SPAN, "terms": [TERM]}],
//!         "ports": null|[{"port": k, "held": bool, "reason": "text", "span": SPAN}]}
//! TERM = {"term": "namespaceSelector"|"podSelector"|"policy namespace"|"ipBlock",
//!         "held": bool, "reason": "text", "span": SPAN|null}
//! SPAN = {"source": "file name", "doc": n, "start_line": l, "end_line": l}
//! ```
//!
//! `peers`/`ports` are `null` when the rule has no such list (it matches
//! every peer / every port), exactly as `peer`/`port` are `null` in
//! `allowed_by`. Indices are 0-based positions in the YAML lists.

use netpol_core::eval::tier::Verdict;
use netpol_core::explain::Exemption;
use netpol_core::explain::{
    endpoint_label, ClusterRuleExplanation, NearMiss, NearMissCause, PeersCheck, PolicyExplanation, PortsCheck,
    RuleExplanation, RuleMatch, SideExplanation, TermCheck, TierStep,
};
use netpol_core::{Direction, Explanation, FlowEnd, Scenario, Span};
use serde::Serialize;

/// Names the sources so spans can say which file they point into.
pub struct Ctx<'a> {
    /// The scenario the explanation indexes into.
    pub scenario: &'a Scenario,
    /// Source names by index.
    pub sources: &'a [String],
}

impl Ctx<'_> {
    fn policy(&self, index: usize) -> String {
        self.scenario.policies.get(index).map(|p| format!("{}/{}", p.namespace, p.name)).unwrap_or_default()
    }

    fn span(&self, span: &Span) -> SpanJson {
        let (start_line, end_line) = span.lines();
        SpanJson {
            source: self.sources.get(span.source as usize).cloned().unwrap_or_default(),
            doc: span.doc,
            start_line,
            end_line,
        }
    }
}

/// A source range, by lines (1-based, inclusive).
#[derive(Serialize)]
pub struct SpanJson {
    source: String,
    doc: u32,
    start_line: u32,
    end_line: u32,
}

/// One end of the flow.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndJson {
    /// A scenario endpoint.
    Endpoint(String),
    /// An address.
    Ip(String),
}

/// The flow explained.
#[derive(Serialize)]
pub struct FlowJson {
    from: EndJson,
    to: EndJson,
    probe: String,
}

/// The whole explanation.
#[derive(Serialize)]
pub struct ExplanationJson {
    flow: FlowJson,
    /// The verdict: both sides allow.
    pub allowed: bool,
    egress: SideJson,
    ingress: SideJson,
}

#[derive(Serialize)]
struct SideJson {
    direction: &'static str,
    subject: Option<String>,
    exemption: Option<&'static str>,
    isolated: bool,
    allowed: bool,
    isolated_by: Vec<String>,
    other_direction_policies: Vec<String>,
    allowed_by: Vec<RuleMatchJson>,
    policies: Vec<PolicyJson>,
    near_misses: Vec<NearMissJson>,
    /// The decision chain across tiers (Admin → NetworkPolicy → Baseline);
    /// only the NetworkPolicy step when the input has no cluster policies.
    tiers: Vec<TierStepJson>,
}

#[derive(Serialize)]
struct TierStepJson {
    tier: &'static str,
    /// `name` of the cluster policy; null for the NetworkPolicy step.
    policy: Option<String>,
    priority: Option<u32>,
    /// `allow`, `deny`, `pass` or `no_match`.
    verdict: &'static str,
    /// The cluster policy's rules checked in order, up to the deciding one.
    rules: Vec<ClusterRuleJson>,
}

#[derive(Serialize)]
struct ClusterRuleJson {
    rule: usize,
    name: Option<String>,
    action: &'static str,
    matched: bool,
    span: SpanJson,
    peers: Option<Vec<PeerJson>>,
    ports: Option<Vec<PortJson>>,
}

#[derive(Serialize)]
struct RuleMatchJson {
    policy: String,
    rule: usize,
    peer: Option<usize>,
    port: Option<usize>,
}

#[derive(Serialize)]
struct PolicyJson {
    policy: String,
    span: Option<SpanJson>,
    pod_selector_span: SpanJson,
    rules: Vec<RuleJson>,
}

#[derive(Serialize)]
struct RuleJson {
    rule: usize,
    matched: bool,
    span: SpanJson,
    peers: Option<Vec<PeerJson>>,
    ports: Option<Vec<PortJson>>,
}

#[derive(Serialize)]
struct PeerJson {
    peer: usize,
    held: bool,
    span: SpanJson,
    terms: Vec<TermJson>,
}

#[derive(Serialize)]
struct TermJson {
    term: &'static str,
    held: bool,
    reason: String,
    span: Option<SpanJson>,
}

#[derive(Serialize)]
struct PortJson {
    port: usize,
    held: bool,
    reason: String,
    span: SpanJson,
}

#[derive(Serialize)]
#[serde(untagged)]
enum FailedJson {
    Ports(&'static str),
    Term(TermJson),
}

#[derive(Serialize)]
struct NearMissJson {
    policy: String,
    rule: usize,
    peer: Option<usize>,
    failed: FailedJson,
}

fn exemption_name(e: Exemption) -> &'static str {
    match e {
        Exemption::External => "external",
        Exemption::HostNetwork => "host_network",
        Exemption::Loopback => "loopback",
    }
}

fn end_json(ctx: &Ctx<'_>, end: &FlowEnd) -> EndJson {
    match end {
        FlowEnd::Endpoint(i) => EndJson::Endpoint(endpoint_label(ctx.scenario, *i)),
        FlowEnd::Ip(ip) => EndJson::Ip(ip.to_string()),
    }
}

fn term_json(ctx: &Ctx<'_>, t: &TermCheck) -> TermJson {
    TermJson {
        term: t.term.as_str(),
        held: t.held,
        reason: t.reason.describe(),
        span: t.span.as_ref().map(|s| ctx.span(s)),
    }
}

fn peers_json(ctx: &Ctx<'_>, peers: &PeersCheck) -> Option<Vec<PeerJson>> {
    match peers {
        PeersCheck::Any => None,
        PeersCheck::Entries(entries) => Some(
            entries
                .iter()
                .map(|p| PeerJson {
                    peer: p.index,
                    held: p.held,
                    span: ctx.span(&p.span),
                    terms: p.terms.iter().map(|t| term_json(ctx, t)).collect(),
                })
                .collect(),
        ),
    }
}

fn ports_json(ctx: &Ctx<'_>, ports: &PortsCheck) -> Option<Vec<PortJson>> {
    match ports {
        PortsCheck::Any => None,
        PortsCheck::Entries(entries) => Some(
            entries
                .iter()
                .map(|p| PortJson { port: p.index, held: p.held, reason: p.reason.describe(), span: ctx.span(&p.span) })
                .collect(),
        ),
    }
}

fn rule_json(ctx: &Ctx<'_>, r: &RuleExplanation) -> RuleJson {
    RuleJson {
        rule: r.index,
        matched: r.matched,
        span: ctx.span(&r.span),
        peers: peers_json(ctx, &r.peers),
        ports: ports_json(ctx, &r.ports),
    }
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Allow => "allow",
        Verdict::Deny => "deny",
        Verdict::Pass => "pass",
        Verdict::NoMatch => "no_match",
    }
}

fn tier_step_json(ctx: &Ctx<'_>, direction: Direction, step: &TierStep) -> TierStepJson {
    let policy = step.policy.and_then(|i| ctx.scenario.cluster_policies.get(i));
    let rule_json = |r: &ClusterRuleExplanation| ClusterRuleJson {
        rule: r.index,
        name: policy.and_then(|p| p.rules(direction).get(r.index)).and_then(|c| c.name.clone()),
        action: policy.map_or("", |p| r.action.as_str(p.api)),
        matched: r.matched,
        span: ctx.span(&r.span),
        peers: peers_json(ctx, &r.peers),
        ports: ports_json(ctx, &r.ports),
    };
    TierStepJson {
        tier: step.tier.as_str(),
        policy: policy.map(|p| p.name.clone()),
        priority: policy.map(|p| p.priority),
        verdict: verdict_name(step.verdict),
        rules: step.rules.iter().map(rule_json).collect(),
    }
}

fn policy_json(ctx: &Ctx<'_>, p: &PolicyExplanation) -> PolicyJson {
    PolicyJson {
        policy: ctx.policy(p.policy),
        span: ctx.scenario.policies.get(p.policy).map(|np| ctx.span(&np.span)),
        pod_selector_span: ctx.span(&p.pod_selector_span),
        rules: p.rules.iter().map(|r| rule_json(ctx, r)).collect(),
    }
}

fn rule_match_json(ctx: &Ctx<'_>, m: &RuleMatch) -> RuleMatchJson {
    RuleMatchJson { policy: ctx.policy(m.policy), rule: m.rule, peer: m.peer, port: m.port }
}

fn near_miss_json(ctx: &Ctx<'_>, n: &NearMiss) -> NearMissJson {
    let failed = match &n.failed {
        NearMissCause::Ports => FailedJson::Ports("ports"),
        NearMissCause::Term(t) => FailedJson::Term(term_json(ctx, t)),
    };
    NearMissJson { policy: ctx.policy(n.policy), rule: n.rule, peer: n.peer, failed }
}

fn side_json(ctx: &Ctx<'_>, s: &SideExplanation) -> SideJson {
    SideJson {
        direction: s.direction.as_str(),
        subject: s.subject.map(|i| endpoint_label(ctx.scenario, i)),
        exemption: s.exemption.map(exemption_name),
        isolated: s.isolated,
        allowed: s.allowed,
        isolated_by: s.policies.iter().map(|p| ctx.policy(p.policy)).collect(),
        other_direction_policies: s.other_direction_policies.iter().map(|&p| ctx.policy(p)).collect(),
        allowed_by: s.allowed_by.iter().map(|m| rule_match_json(ctx, m)).collect(),
        policies: s.policies.iter().map(|p| policy_json(ctx, p)).collect(),
        near_misses: s.near_misses.iter().map(|n| near_miss_json(ctx, n)).collect(),
        tiers: s.tiers.iter().map(|t| tier_step_json(ctx, s.direction, t)).collect(),
    }
}

/// Converts an explanation to its JSON form.
pub fn explanation_json(ctx: &Ctx<'_>, e: &Explanation) -> ExplanationJson {
    ExplanationJson {
        flow: FlowJson {
            from: end_json(ctx, &e.flow.from),
            to: end_json(ctx, &e.flow.to),
            probe: e.flow.probe.to_string(),
        },
        allowed: e.allowed,
        egress: side_json(ctx, &e.egress),
        ingress: side_json(ctx, &e.ingress),
    }
}
