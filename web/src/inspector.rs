//! The flow inspector: the verdict, then both sides as the core explained
//! them, with the peer list drawn as the OR list it is and each entry's AND
//! terms marked held or failed. Every rule, entry and term is a button that
//! highlights its YAML in the editor. When the scenario has cluster policies,
//! each side is drawn as its decision chain across tiers ([`chain`]).

use leptos::prelude::*;
use netpol_core::Span;

use crate::inspector_vm::{
    code_spans, CheckView, FlowView, InspectorData, NearMissView, PeerView, PolicyView, RuleView, SideStatus, SideView,
};

mod chain;

/// Highlights spans in the editor.
pub type OnFocus = Callback<Vec<Span>>;

/// The core's sentence with its `quoted` parts drawn as code.
fn rich(text: &str) -> impl IntoView {
    code_spans(text)
        .into_iter()
        .map(|(code, part)| if code { view! { <code>{part}</code> }.into_any() } else { part.into_any() })
        .collect_view()
}

fn glyph(held: bool) -> &'static str {
    if held {
        "✓"
    } else {
        "✕"
    }
}

fn held_attr(held: bool) -> &'static str {
    if held {
        "true"
    } else {
        "false"
    }
}

/// The inspector body for `data`.
#[component]
pub fn InspectorBody(
    /// What to show.
    #[prop(into)]
    data: Signal<InspectorData>,
    /// Highlight these spans in the editor.
    on_focus: OnFocus,
) -> impl IntoView {
    move || match data.get() {
        InspectorData::Message(m) => view! { <p class="empty">{m}</p> }.into_any(),
        InspectorData::Flow(f) => flow_view(*f, on_focus).into_any(),
        InspectorData::Service { summary, allowed, backends } => {
            let total = backends.len();
            let all = allowed == total;
            view! {
                <div
                    class="verdict"
                    class:allowed=all
                    class:denied=!all
                    data-testid="verdict"
                    data-allowed=held_attr(all)
                    role="status"
                >
                    <span class="verdict-glyph" aria-hidden="true">{glyph(all)}</span>
                    <span class="verdict-word">
                        {if all { "Allowed".to_string() } else { format!("Allowed to {allowed} of {total} backends") }}
                    </span>
                    <span class="verdict-flow">{summary}</span>
                </div>
                <p class="explain-note">
                    "Policies never select a Service: the connection goes to a backend pod on the Service's "
                    <code>"targetPort"</code>", and that pod's policies decide. One explanation per backend:"
                </p>
                {backends.into_iter().enumerate().map(|(i, b)| view! {
                    <details class="backend" open=i == 0>
                        <summary>
                            <span class="chip" class:ok=b.flow.allowed class:bad=!b.flow.allowed>
                                {glyph(b.flow.allowed)}
                            </span>
                            " "{b.mapping}
                        </summary>
                        {sides_view(b.flow.sides, on_focus)}
                    </details>
                }).collect_view()}
            }
            .into_any()
        }
    }
}

fn flow_view(f: FlowView, on_focus: OnFocus) -> impl IntoView {
    view! {
        <div
            class="verdict"
            class:allowed=f.allowed
            class:denied=!f.allowed
            data-testid="verdict"
            data-allowed=held_attr(f.allowed)
            role="status"
        >
            <span class="verdict-glyph" aria-hidden="true">{glyph(f.allowed)}</span>
            <span class="verdict-word">{if f.allowed { "Allowed" } else { "Denied" }}</span>
            <span class="verdict-flow">{f.summary}</span>
        </div>
        <p class="explain-note">
            "A connection needs both: the source's egress AND the destination's ingress must allow it."
        </p>
        {sides_view(f.sides, on_focus)}
    }
}

fn sides_view(sides: [SideView; 2], on_focus: OnFocus) -> impl IntoView {
    let [egress, ingress] = sides;
    view! {
        <div class="sides">
            {side_view(egress, on_focus)}
            {side_view(ingress, on_focus)}
        </div>
    }
}

fn span_button(label: String, spans: Vec<Span>, on_focus: OnFocus, class: &'static str) -> impl IntoView {
    let title = format!("Show {label} in the editor");
    view! {
        <button class=format!("link {class}") title=title on:click=move |_| on_focus.run(spans.clone())>
            {label.clone()}
        </button>
    }
}

fn side_view(s: SideView, on_focus: OnFocus) -> impl IntoView {
    // A side no policy governs says so in one sentence; the other side gets the room.
    let compact = s.policies.is_empty() && s.near_misses.is_empty() && s.chain.is_none();
    // Inside a decision chain the NetworkPolicy tier is one step of several.
    let tiered = s.chain.is_some();
    let status = match s.status {
        SideStatus::Exempt(why) => view! { <p class="side-status">{why}</p> }.into_any(),
        SideStatus::NotIsolated => view! {
            <p class="side-status">
                "Not isolated: no NetworkPolicy selecting this pod has "
                <code>{if s.direction == netpol_core::Direction::Egress { "Egress" } else { "Ingress" }}</code>
                {if tiered {
                    " in its policyTypes, so this tier does not decide: the next one does.".to_string()
                } else {
                    format!(" in its policyTypes, so every {} connection is allowed.", s.direction.as_str())
                }}
            </p>
        }
        .into_any(),
        SideStatus::Isolated(by) => view! {
            <p class="side-status">
                "Isolated by " {by.len()} {if by.len() == 1 { " policy" } else { " policies" }}
                ". Allowed only if some rule of one of them admits the connection (rules add up; there is no deny)."
            </p>
        }
        .into_any(),
    };
    let other = (!s.other_direction.is_empty()).then(|| {
        view! {
            <p class="side-note">
                {format!(
                    "Also selecting this pod, for the other direction only: {}.",
                    s.other_direction.join(", ")
                )}
            </p>
        }
    });
    let near = (!s.near_misses.is_empty()).then(|| {
        view! {
            <div class="near-misses">
                <h5>"Near misses"</h5>
                <ul>{s.near_misses.into_iter().map(|n| near_miss(n, on_focus)).collect_view()}</ul>
            </div>
        }
    });
    view! {
        <section class="side" class:compact=compact aria-label=s.title.clone()>
            <header class="side-head">
                <h4>{s.title.clone()}</h4>
                <span class="chip" class:ok=s.allowed class:bad=!s.allowed>
                    {glyph(s.allowed)} " " {if s.allowed { "allows" } else { "denies" }}
                </span>
            </header>
            {match s.chain {
                Some(c) => chain::chain_view(c, status, s.policies, on_focus).into_any(),
                None => view! {
                    {status}
                    {s.policies.into_iter().map(|p| policy_view(p, on_focus)).collect_view()}
                }
                .into_any(),
            }}
            {near}
            {other}
        </section>
    }
}

fn near_miss(n: NearMissView, on_focus: OnFocus) -> impl IntoView {
    let spans: Vec<Span> = n.span.into_iter().collect();
    view! {
        <li class="near-miss">
            <button class="link" on:click=move |_| on_focus.run(spans.clone())>{n.location}</button>
            " "<span>{rich(&n.hint)}</span>
        </li>
    }
}

fn policy_view(p: PolicyView, on_focus: OnFocus) -> impl IntoView {
    let policy_spans: Vec<Span> = p.span.into_iter().collect();
    let empty = p.rules.is_empty();
    view! {
        <article class="policy" class:admits=p.admits>
            <header class="policy-head">
                {span_button(p.name.clone(), policy_spans, on_focus, "policy-name")}
                <span class="chip" class:ok=p.admits class:bad=!p.admits>
                    {if p.admits { "✓ admits" } else { "✕ admits nothing here" }}
                </span>
            </header>
            <p class="policy-sub">
                "Selects this pod via "
                {span_button("spec.podSelector".to_string(), vec![p.selector_span], on_focus, "code")}
            </p>
            {empty.then(|| view! {
                <p class="side-note">"No rules for this direction: the policy isolates the pod and admits nothing."</p>
            })}
            {p.rules.into_iter().map(|r| rule_view(r, on_focus)).collect_view()}
        </article>
    }
}

fn rule_view(r: RuleView, on_focus: OnFocus) -> impl IntoView {
    let ports = match r.ports {
        None => view! { <span class="muted">{format!("any port (no {} list)", r.ports_field)}</span> }.into_any(),
        Some(list) => view! {
            <span class="or-inline">
                {list.into_iter().enumerate().map(|(i, c)| view! {
                    {(i > 0).then(|| view! { <span class="or-word small">"OR"</span> })}
                    {check_chip(c, on_focus)}
                }).collect_view()}
            </span>
        }
        .into_any(),
    };
    let field = r.peers_field;
    let peers = match r.peers {
        None => view! {
            <p class="muted">{format!("any peer: no `{field}` list, so every source and address matches")}</p>
        }
        .into_any(),
        Some(list) => {
            let n = list.len();
            view! {
                <div class="or-list" role="list" aria-label=format!("{field}: {n} entries, any one is enough (OR)")>
                    {list.into_iter().enumerate().map(|(i, p)| view! {
                        {(i > 0).then(|| view! { <div class="or-sep" aria-hidden="true"><span>"OR"</span></div> })}
                        {peer_view(p, on_focus)}
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <div class="rule" class:matched=r.matched>
            <div class="rule-head">
                {span_button(r.label.clone(), vec![r.span], on_focus, "rule-name")}
                {r.name.map(|n| view! { <code class="rule-given-name">{n}</code> })}
                <span class="chip" class:ok=r.matched class:bad=!r.matched>
                    {match (r.action, r.matched) {
                        (None, true) => "✓ admits".to_string(),
                        (None, false) => "✕ does not admit".to_string(),
                        (Some(a), true) => format!("✓ matches → {a}"),
                        (Some(a), false) => format!("✕ no match ({a} not applied)"),
                    }}
                </span>
                <span class="muted small">{format!("= ({field} list) AND ({})", r.ports_field)}</span>
            </div>
            <div class="rule-part">
                <span class="part-label" class:ok=r.ports_held class:bad=!r.ports_held>
                    {glyph(r.ports_held)}" "{r.ports_field}
                </span>
                {ports}
            </div>
            <div class="rule-part peers">
                <span class="part-label" class:ok=r.peers_held class:bad=!r.peers_held>
                    {glyph(r.peers_held)}" "{field}
                </span>
                {peers}
            </div>
        </div>
    }
}

fn check_chip(c: CheckView, on_focus: OnFocus) -> impl IntoView {
    let spans: Vec<Span> = c.span.into_iter().collect();
    view! {
        <button
            class="check"
            class:ok=c.held
            class:bad=!c.held
            title=c.reason.clone()
            on:click=move |_| on_focus.run(spans.clone())
        >
            <span aria-hidden="true">{glyph(c.held)}</span>" "{c.label}": "<span class="reason">{rich(&c.reason)}</span>
        </button>
    }
}

fn peer_view(p: PeerView, on_focus: OnFocus) -> impl IntoView {
    let span = p.span;
    let terms = p
        .terms
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let spans: Vec<Span> = t.span.into_iter().collect();
            view! {
                {(i > 0).then(|| view! { <div class="and-sep" aria-hidden="true">"AND"</div> })}
                <button
                    class="term"
                    class:ok=t.held
                    class:bad=!t.held
                    data-testid="term"
                    data-held=held_attr(t.held)
                    on:click=move |ev| {
                        ev.stop_propagation();
                        on_focus.run(spans.clone());
                    }
                >
                    <span class="term-glyph" aria-label=if t.held { "held" } else { "failed" }>{glyph(t.held)}</span>
                    <span class="term-name">{t.label}</span>
                    <span class="reason">{rich(&t.reason)}</span>
                </button>
            }
        })
        .collect_view();
    view! {
        <div
            class="peer"
            class:held=p.held
            class:decisive=p.decisive
            role="listitem"
            data-testid="peer-entry"
            data-index=p.index
            data-held=held_attr(p.held)
        >
            <div class="peer-head">
                {span_button(p.label.clone(), vec![span], on_focus, "peer-name")}
                <span class="chip" class:ok=p.held class:bad=!p.held>
                    {if p.held { "✓ matches" } else { "✕ no match" }}
                </span>
                {p.decisive.then(|| view! { <span class="chip decisive-chip">"decides"</span> })}
            </div>
            <div class="terms">{terms}</div>
        </div>
    }
}
