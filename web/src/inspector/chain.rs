//! The decision chain of one side, drawn as a vertical list of steps: each
//! Admin-tier policy consulted, the NetworkPolicy tier (holding the usual
//! policy cards with their OR/AND detail), the Baseline tier and the default.
//! The step that decided is emphasised; each step's head is a button that
//! highlights its YAML.

use super::{policy_view, rule_view, side_status};
use crate::inspector_vm::{ChainStep, ChainTier, ChainView, SideView, StepOutcome};
use crate::markup::Markup;

fn tier_class(t: ChainTier) -> &'static str {
    match t {
        ChainTier::Admin => "tier-badge admin",
        ChainTier::NetworkPolicy => "tier-badge np",
        ChainTier::Baseline => "tier-badge baseline",
        ChainTier::Default => "tier-badge default",
    }
}

fn outcome_class(o: StepOutcome) -> &'static str {
    match o {
        StepOutcome::Allow => "tier-outcome allow",
        StepOutcome::Deny => "tier-outcome deny",
        StepOutcome::Pass => "tier-outcome pass",
        StepOutcome::NoMatch => "tier-outcome nomatch",
        StepOutcome::NotReached => "tier-outcome skipped",
    }
}

fn outcome_glyph(o: StepOutcome) -> &'static str {
    match o {
        StepOutcome::Allow => "✓",
        StepOutcome::Deny => "✕",
        StepOutcome::Pass => "↓",
        StepOutcome::NoMatch => "–",
        StepOutcome::NotReached => "·",
    }
}

/// The chain of one side `s`, whose status and policies are the
/// NetworkPolicy tier's usual content, drawn inside its step.
pub(super) fn chain_view(m: &mut Markup, chain: &ChainView, s: &SideView) {
    m.open("ol")
        .attr("class", "tier-chain")
        .attr("data-testid", "tier-chain")
        .attr("aria-label", &format!("Decision chain: {}", chain.summary))
        .end();
    let mut np_drawn = false;
    for step in &chain.steps {
        let np = step.tier == ChainTier::NetworkPolicy && !np_drawn;
        np_drawn |= np;
        step_view(m, step, np.then_some((chain.network_policy_reached, s)));
    }
    m.close("ol");
}

/// The NetworkPolicy tier's content: the side's status and policy cards,
/// or, when an earlier tier decided, what its policies would have said.
fn np_body(m: &mut Markup, reached: bool, s: &SideView) {
    if reached {
        m.open("div").attr("class", "tier-np").end();
        side_status(m, s, true);
        for p in &s.policies {
            policy_view(m, p);
        }
        m.close("div");
    } else if !s.policies.is_empty() {
        let n = s.policies.len();
        let whose = if n == 1 { "its NetworkPolicy".to_string() } else { format!("its {n} NetworkPolicies") };
        m.open("details").attr("class", "tier-np tier-np-skipped").end();
        m.leaf("summary", "", &format!("What {whose} would say (not consulted)"));
        for p in &s.policies {
            policy_view(m, p);
        }
        m.close("details");
    }
}

fn step_head(m: &mut Markup, step: &ChainStep) {
    m.leaf("span", tier_class(step.tier), step.tier.as_str());
    if let Some(p) = &step.policy {
        m.leaf("code", "tier-policy", p);
    }
    if let Some(meta) = &step.meta {
        m.leaf("span", "tier-meta", meta);
    }
    if step.superseded {
        m.open("span")
            .attr("class", "tier-meta tier-old")
            .attr("title", "policy.networking.k8s.io/v1alpha1, superseded by ClusterNetworkPolicy (v1alpha2)")
            .end()
            .text("v1alpha1")
            .close("span");
    }
    m.open("span").attr("class", outcome_class(step.outcome)).attr("data-testid", "tier-outcome").end();
    m.open("span").attr("aria-hidden", "true").end().text(outcome_glyph(step.outcome)).close("span");
    m.text(" ").text(&step.outcome_label).close("span");
    if step.decides {
        m.leaf("span", "chip decisive-chip", "decides");
    }
}

fn step_view(m: &mut Markup, step: &ChainStep, np: Option<(bool, &SideView)>) {
    m.open("li")
        .class("tier-step", &[(step.decides, "decides"), (step.outcome == StepOutcome::NotReached, "skipped")])
        .attr("data-testid", "tier-step")
        .attr("data-tier", step.tier.as_str())
        .attr("data-outcome", step.outcome.as_str())
        .attr("data-decides", if step.decides { "true" } else { "false" })
        .end();
    m.open("span").attr("class", &["tier-dot ", step.outcome.as_str()].concat()).attr("aria-hidden", "true").end();
    m.close("span").open("div").attr("class", "tier-body").end();
    if step.spans.is_empty() {
        m.open("div").attr("class", "tier-head").end();
        step_head(m, step);
        m.close("div");
    } else {
        let title = match &step.policy {
            Some(p) => format!("Show {p} in the editor"),
            None => format!("Show the {} rule that decided in the editor", step.tier.as_str()),
        };
        m.open("button")
            .attr("class", "tier-head")
            .attr("data-testid", "tier-step-head")
            .attr("title", &title)
            .focus(step.spans.clone())
            .end();
        step_head(m, step);
        m.close("button");
    }
    if let Some(d) = &step.detail {
        m.open("p").attr("class", "tier-detail").end().rich(d).close("p");
    }
    if let Some(w) = &step.warning {
        m.open("p").attr("class", "tier-warning").attr("data-testid", "tier-warning").attr("role", "note").end();
        m.open("span").attr("aria-hidden", "true").end().text("⚠ ").close("span").rich(w).close("p");
    }
    if !step.rules.is_empty() {
        let n = step.rules.len();
        m.open("details").attr("class", "tier-rules").end();
        m.leaf(
            "summary",
            "",
            &if n == 1 { "1 rule checked".to_string() } else { format!("{n} rules checked, in order") },
        );
        for r in &step.rules {
            rule_view(m, r);
        }
        m.close("details");
    }
    if let Some((reached, s)) = np {
        np_body(m, reached, s);
    }
    m.close("div").close("li");
}
