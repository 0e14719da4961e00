//! The flow inspector: the verdict, then both sides as the core explained
//! them, with the peer list drawn as the OR list it is and each entry's AND
//! terms marked held or failed. Every rule, entry and term is a button that
//! highlights its YAML in the editor. When the scenario has cluster policies,
//! each side is drawn as its decision chain across tiers ([`chain`]).
//!
//! The explanation is rebuilt whole whenever the inspected flow or the
//! scenario changes, so it is written as HTML text ([`crate::markup`]) rather
//! than as Leptos views: same markup, a fraction of the code.

use leptos::prelude::*;
use netpol_core::Span;

use crate::inspector_vm::{
    CheckView, FlowView, InspectorData, NearMissView, PeerView, PolicyView, RuleView, SideStatus, SideView,
};
use crate::markup::{focus_index, Markup};

mod chain;

/// Highlights spans in the editor.
pub type OnFocus = Callback<Vec<Span>>;

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

/// `class` followed by ` ok` or ` bad`.
fn ok_bad(m: &mut Markup, class: &str, ok: bool) {
    m.class(class, &[(ok, "ok"), (!ok, "bad")]);
}

/// The inspector body for `data`.
#[component]
pub fn InspectorBody(
    /// What to show.
    data: Memo<InspectorData>,
    /// Highlight these spans in the editor.
    on_focus: OnFocus,
) -> impl IntoView {
    let targets = StoredValue::new(Vec::<Vec<Span>>::new());
    let html = move || {
        let mut m = Markup::default();
        data.with(|d| body(&mut m, d));
        let (html, spans) = m.finish();
        targets.set_value(spans);
        html
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if let Some(spans) = focus_index(&ev).and_then(|i| targets.with_value(|t| t.get(i).cloned())) {
            on_focus.run(spans);
        }
    };
    view! { <div class="explanation" inner_html=html on:click=on_click></div> }
}

fn body(m: &mut Markup, data: &InspectorData) {
    match data {
        InspectorData::Message(text) => {
            m.leaf("p", "empty", text);
        }
        InspectorData::Flow(f) => flow_view(m, f),
        InspectorData::Service { summary, allowed, backends } => {
            let total = backends.len();
            let all = *allowed == total;
            let word = if all { "Allowed".to_string() } else { format!("Allowed to {allowed} of {total} backends") };
            verdict(m, all, &word, summary);
            m.open("p").attr("class", "explain-note").end();
            m.text("Policies never select a Service: the connection goes to a backend pod on the Service's ");
            m.leaf("code", "", "targetPort");
            m.text(", and that pod's policies decide. One explanation per backend:").close("p");
            for (i, b) in backends.iter().enumerate() {
                m.open("details").attr("class", "backend").flag("open", i == 0).end();
                m.open("summary").end().open("span");
                ok_bad(m, "chip", b.flow.allowed);
                m.end().text(glyph(b.flow.allowed)).close("span").text(" ").text(&b.mapping).close("summary");
                sides_view(m, &b.flow.sides);
                m.close("details");
            }
        }
    }
}

fn verdict(m: &mut Markup, allowed: bool, word: &str, summary: &str) {
    m.open("div")
        .attr("class", if allowed { "verdict allowed" } else { "verdict denied" })
        .attr("data-testid", "verdict")
        .attr("data-allowed", held_attr(allowed))
        .attr("role", "status")
        .end();
    m.open("span").attr("class", "verdict-glyph").attr("aria-hidden", "true").end().text(glyph(allowed)).close("span");
    m.leaf("span", "verdict-word", word).leaf("span", "verdict-flow", summary).close("div");
}

fn flow_view(m: &mut Markup, f: &FlowView) {
    verdict(m, f.allowed, if f.allowed { "Allowed" } else { "Denied" }, &f.summary);
    m.leaf(
        "p",
        "explain-note",
        "A connection needs both: the source's egress AND the destination's ingress must allow it.",
    );
    sides_view(m, &f.sides);
}

fn sides_view(m: &mut Markup, sides: &[SideView; 2]) {
    m.open("div").attr("class", "sides").end();
    for side in sides {
        side_view(m, side);
    }
    m.close("div");
}

/// A button that highlights `spans` in the editor, labelled `label`.
fn span_button(m: &mut Markup, label: &str, spans: Vec<Span>, class: &str) {
    m.open("button")
        .attr("class", &["link ", class].concat())
        .attr("title", &["Show ", label, " in the editor"].concat())
        .focus(spans)
        .end()
        .text(label)
        .close("button");
}

fn side_status(m: &mut Markup, s: &SideView, tiered: bool) {
    match &s.status {
        SideStatus::Exempt(why) => {
            m.leaf("p", "side-status", why);
        }
        SideStatus::NotIsolated => {
            m.open("p").attr("class", "side-status").end();
            m.text("Not isolated: no NetworkPolicy selecting this pod has ");
            m.leaf("code", "", if s.direction == netpol_core::Direction::Egress { "Egress" } else { "Ingress" });
            if tiered {
                m.text(" in its policyTypes, so this tier does not decide: the next one does.");
            } else {
                m.text(&format!(" in its policyTypes, so every {} connection is allowed.", s.direction.as_str()));
            }
            m.close("p");
        }
        SideStatus::Isolated(by) => {
            let n = by.len();
            m.open("p").attr("class", "side-status").end();
            m.text(&format!("Isolated by {n} {}", if n == 1 { "policy" } else { "policies" }));
            m.text(
                ". Allowed only if some rule of one of them admits the connection (rules add up; there is no deny).",
            );
            m.close("p");
        }
    }
}

fn side_view(m: &mut Markup, s: &SideView) {
    // A side no policy governs says so in one sentence; the other side gets the room.
    let compact = s.policies.is_empty() && s.near_misses.is_empty() && s.chain.is_none();
    m.open("section").attr("class", if compact { "side compact" } else { "side" }).attr("aria-label", &s.title).end();
    m.open("header").attr("class", "side-head").end().leaf("h4", "", &s.title).open("span");
    ok_bad(m, "chip", s.allowed);
    m.end().text(glyph(s.allowed)).text(if s.allowed { " allows" } else { " denies" }).close("span").close("header");
    match &s.chain {
        // Inside a decision chain the NetworkPolicy tier is one step of several.
        Some(c) => chain::chain_view(m, c, s),
        None => {
            side_status(m, s, false);
            for p in &s.policies {
                policy_view(m, p);
            }
        }
    }
    if !s.near_misses.is_empty() {
        m.open("div").attr("class", "near-misses").end().leaf("h5", "", "Near misses").open("ul").end();
        for n in &s.near_misses {
            near_miss(m, n);
        }
        m.close("ul").close("div");
    }
    if !s.other_direction.is_empty() {
        let text = format!("Also selecting this pod, for the other direction only: {}.", s.other_direction.join(", "));
        m.leaf("p", "side-note", &text);
    }
    m.close("section");
}

fn near_miss(m: &mut Markup, n: &NearMissView) {
    m.open("li").attr("class", "near-miss").end();
    m.open("button").attr("class", "link").focus(n.span.into_iter().collect()).end().text(&n.location).close("button");
    m.text(" ").open("span").end().rich(&n.hint).close("span").close("li");
}

fn policy_view(m: &mut Markup, p: &PolicyView) {
    m.open("article").attr("class", if p.admits { "policy admits" } else { "policy" }).end();
    m.open("header").attr("class", "policy-head").end();
    span_button(m, &p.name, p.span.into_iter().collect(), "policy-name");
    m.open("span");
    ok_bad(m, "chip", p.admits);
    m.end().text(if p.admits { "✓ admits" } else { "✕ admits nothing here" }).close("span").close("header");
    m.open("p").attr("class", "policy-sub").end().text("Selects this pod via ");
    span_button(m, "spec.podSelector", vec![p.selector_span], "code");
    m.close("p");
    if p.rules.is_empty() {
        m.leaf("p", "side-note", "No rules for this direction: the policy isolates the pod and admits nothing.");
    }
    for r in &p.rules {
        rule_view(m, r);
    }
    m.close("article");
}

fn rule_view(m: &mut Markup, r: &RuleView) {
    let field = r.peers_field;
    m.open("div").attr("class", if r.matched { "rule matched" } else { "rule" }).end();
    m.open("div").attr("class", "rule-head").end();
    span_button(m, &r.label, vec![r.span], "rule-name");
    if let Some(name) = &r.name {
        m.leaf("code", "rule-given-name", name);
    }
    let chip = match (r.action, r.matched) {
        (None, true) => "✓ admits".to_string(),
        (None, false) => "✕ does not admit".to_string(),
        (Some(a), true) => format!("✓ matches → {a}"),
        (Some(a), false) => format!("✕ no match ({a} not applied)"),
    };
    m.open("span");
    ok_bad(m, "chip", r.matched);
    m.end().text(&chip).close("span");
    m.leaf("span", "muted small", &format!("= ({field} list) AND ({})", r.ports_field)).close("div");

    part_head(m, r.ports_held, r.ports_field, "rule-part");
    match &r.ports {
        None => {
            m.leaf("span", "muted", &format!("any port (no {} list)", r.ports_field));
        }
        Some(list) => {
            m.open("span").attr("class", "or-inline").end();
            for (i, c) in list.iter().enumerate() {
                if i > 0 {
                    m.leaf("span", "or-word small", "OR");
                }
                check_chip(m, c);
            }
            m.close("span");
        }
    }
    m.close("div");

    part_head(m, r.peers_held, field, "rule-part peers");
    match &r.peers {
        None => {
            m.leaf("p", "muted", &format!("any peer: no `{field}` list, so every source and address matches"));
        }
        Some(list) => {
            let n = list.len();
            m.open("div")
                .attr("class", "or-list")
                .attr("role", "list")
                .attr("aria-label", &format!("{field}: {n} entries, any one is enough (OR)"))
                .end();
            for (i, p) in list.iter().enumerate() {
                if i > 0 {
                    m.open("div").attr("class", "or-sep").attr("aria-hidden", "true").end();
                    m.leaf("span", "", "OR").close("div");
                }
                peer_view(m, p);
            }
            m.close("div");
        }
    }
    m.close("div").close("div");
}

/// Opens a rule part (`<div class=…>`) and writes its held/failed label.
fn part_head(m: &mut Markup, held: bool, field: &str, class: &'static str) {
    m.open("div").attr("class", class).end().open("span");
    ok_bad(m, "part-label", held);
    m.end().text(glyph(held)).text(" ").text(field).close("span");
}

fn check_chip(m: &mut Markup, c: &CheckView) {
    m.open("button");
    ok_bad(m, "check", c.held);
    m.attr("title", &c.reason).focus(c.span.into_iter().collect()).end();
    m.open("span").attr("aria-hidden", "true").end().text(glyph(c.held)).close("span");
    m.text(" ").text(&c.label).text(": ").open("span").attr("class", "reason").end().rich(&c.reason);
    m.close("span").close("button");
}

fn peer_view(m: &mut Markup, p: &PeerView) {
    m.open("div")
        .class("peer", &[(p.held, "held"), (p.decisive, "decisive")])
        .attr("role", "listitem")
        .attr("data-testid", "peer-entry")
        .attr("data-index", &p.index.to_string())
        .attr("data-held", held_attr(p.held))
        .end();
    m.open("div").attr("class", "peer-head").end();
    span_button(m, &p.label, vec![p.span], "peer-name");
    m.open("span");
    ok_bad(m, "chip", p.held);
    m.end().text(if p.held { "✓ matches" } else { "✕ no match" }).close("span");
    if p.decisive {
        m.leaf("span", "chip decisive-chip", "decides");
    }
    m.close("div").open("div").attr("class", "terms").end();
    for (i, t) in p.terms.iter().enumerate() {
        if i > 0 {
            m.open("div").attr("class", "and-sep").attr("aria-hidden", "true").end().text("AND").close("div");
        }
        m.open("button");
        ok_bad(m, "term", t.held);
        m.attr("data-testid", "term").attr("data-held", held_attr(t.held)).focus(t.span.into_iter().collect()).end();
        m.open("span")
            .attr("class", "term-glyph")
            .attr("aria-label", if t.held { "held" } else { "failed" })
            .end()
            .text(glyph(t.held))
            .close("span");
        m.leaf("span", "term-name", &t.label);
        m.open("span").attr("class", "reason").end().rich(&t.reason).close("span").close("button");
    }
    m.close("div").close("div");
}
