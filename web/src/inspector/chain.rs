//! The decision chain of one side, drawn as a vertical list of steps: each
//! Admin-tier policy consulted, the NetworkPolicy tier (holding the usual
//! policy cards with their OR/AND detail), the Baseline tier and the default.
//! The step that decided is emphasised; each step's head is a button that
//! highlights its YAML.

use leptos::prelude::*;

use super::{policy_view, rich, rule_view, OnFocus};
use crate::inspector_vm::{ChainStep, ChainTier, ChainView, PolicyView, StepOutcome};

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

/// The chain of one side. `status` and `policies` are the NetworkPolicy
/// tier's usual content, drawn inside its step.
pub(super) fn chain_view(
    chain: ChainView,
    status: AnyView,
    policies: Vec<PolicyView>,
    on_focus: OnFocus,
) -> impl IntoView {
    let reached = chain.network_policy_reached;
    let mut np_content = Some((status, policies));
    let steps = chain
        .steps
        .into_iter()
        .map(|step| {
            let inner = if step.tier == ChainTier::NetworkPolicy {
                np_content.take().map(|(status, policies)| np_body(reached, status, policies, on_focus).into_any())
            } else {
                None
            };
            step_view(step, inner, on_focus)
        })
        .collect_view();
    view! {
        <ol class="tier-chain" data-testid="tier-chain" aria-label=format!("Decision chain: {}", chain.summary)>
            {steps}
        </ol>
    }
}

fn np_body(reached: bool, status: AnyView, policies: Vec<PolicyView>, on_focus: OnFocus) -> impl IntoView {
    if reached {
        view! {
            <div class="tier-np">
                {status}
                {policies.into_iter().map(|p| policy_view(p, on_focus)).collect_view()}
            </div>
        }
        .into_any()
    } else if policies.is_empty() {
        ().into_any()
    } else {
        let n = policies.len();
        view! {
            <details class="tier-np tier-np-skipped">
                <summary>
                    {format!(
                        "What {} would say (not consulted)",
                        if n == 1 { "its NetworkPolicy".to_string() } else { format!("its {n} NetworkPolicies") }
                    )}
                </summary>
                {policies.into_iter().map(|p| policy_view(p, on_focus)).collect_view()}
            </details>
        }
        .into_any()
    }
}

fn step_view(step: ChainStep, inner: Option<AnyView>, on_focus: OnFocus) -> impl IntoView {
    let head_parts = view! {
        <span class=tier_class(step.tier)>{step.tier.as_str()}</span>
        {step.policy.clone().map(|p| view! { <code class="tier-policy">{p}</code> })}
        {step.meta.clone().map(|m| view! { <span class="tier-meta">{m}</span> })}
        {step.superseded.then(|| view! {
            <span class="tier-meta tier-old" title="policy.networking.k8s.io/v1alpha1, superseded by ClusterNetworkPolicy (v1alpha2)">
                "v1alpha1"
            </span>
        })}
        <span class=outcome_class(step.outcome) data-testid="tier-outcome">
            <span aria-hidden="true">{outcome_glyph(step.outcome)}</span>" "{step.outcome_label.clone()}
        </span>
        {step.decides.then(|| view! { <span class="chip decisive-chip">"decides"</span> })}
    };
    let head = if step.spans.is_empty() {
        view! { <div class="tier-head">{head_parts}</div> }.into_any()
    } else {
        let spans = step.spans.clone();
        let title = match &step.policy {
            Some(p) => format!("Show {p} in the editor"),
            None => format!("Show the {} rule that decided in the editor", step.tier.as_str()),
        };
        view! {
            <button
                class="tier-head"
                data-testid="tier-step-head"
                title=title
                on:click=move |_| on_focus.run(spans.clone())
            >
                {head_parts}
            </button>
        }
        .into_any()
    };
    let rules = (!step.rules.is_empty()).then(|| {
        let n = step.rules.len();
        view! {
            <details class="tier-rules">
                <summary>{if n == 1 { "1 rule checked".to_string() } else { format!("{n} rules checked, in order") }}</summary>
                {step.rules.into_iter().map(|r| rule_view(r, on_focus)).collect_view()}
            </details>
        }
    });
    view! {
        <li
            class="tier-step"
            class:decides=step.decides
            class:skipped=step.outcome == StepOutcome::NotReached
            data-testid="tier-step"
            data-tier=step.tier.as_str()
            data-outcome=step.outcome.as_str()
            data-decides=if step.decides { "true" } else { "false" }
        >
            <span class=format!("tier-dot {}", step.outcome.as_str()) aria-hidden="true"></span>
            <div class="tier-body">
                {head}
                {step.detail.map(|d| view! { <p class="tier-detail">{rich(&d)}</p> })}
                {step.warning.map(|w| view! {
                    <p class="tier-warning" data-testid="tier-warning" role="note">
                        <span aria-hidden="true">"⚠ "</span>{rich(&w)}
                    </p>
                })}
                {rules}
                {inner}
            </div>
        </li>
    }
}
