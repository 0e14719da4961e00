//! The explanation as plain text for a terminal (`netpol explain --format
//! text`): the verdict, then each side with the policies that isolate it,
//! every rule with its OR list of peer entries and their AND terms (✓/✗ and
//! the reason), the ports, what admits the flow and the near misses, each with
//! the source lines it refers to.

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use crate::explain::{
    endpoint_label, port_entry_label, Exemption, Explanation, FlowEnd, NearMissCause, PeersCheck, PortsCheck,
    RuleMatch, SideExplanation,
};
use crate::model::{Direction, Scenario};
use crate::span::Span;

/// Renders `explanation` as indented text, one check per line.
pub fn explanation_to_text(scenario: &Scenario, explanation: &Explanation) -> String {
    let mut out = String::new();
    let flow = &explanation.flow;
    let verdict = if explanation.allowed { "ALLOWED" } else { "DENIED" };
    let _ = writeln!(
        out,
        "{verdict}: {} -> {} on {}",
        end_label(scenario, flow.from),
        end_label(scenario, flow.to),
        flow.probe
    );
    for side in [&explanation.egress, &explanation.ingress] {
        let subject = match side.direction {
            Direction::Egress => flow.from,
            Direction::Ingress => flow.to,
        };
        side_text(&mut out, scenario, side, &end_label(scenario, subject));
    }
    out
}

fn end_label(scenario: &Scenario, end: FlowEnd) -> String {
    match end {
        FlowEnd::Endpoint(i) => match scenario.endpoints.get(i) {
            Some(_) => endpoint_label(scenario, i),
            None => format!("#{i}"),
        },
        FlowEnd::Ip(ip) => format!("{ip}"),
    }
}

/// ` (line 4)` / ` (lines 4-9)`, or nothing for a span without position.
fn lines(span: &Span) -> String {
    match span.lines() {
        (0, _) => String::new(),
        (a, b) if a >= b => format!(" (line {a})"),
        (a, b) => format!(" (lines {a}-{b})"),
    }
}

mod chain;

fn mark(held: bool) -> &'static str {
    if held {
        "✓"
    } else {
        "✗"
    }
}

fn policy_name(scenario: &Scenario, index: usize) -> String {
    scenario.policies.get(index).map(|p| format!("{}/{}", p.namespace, p.name)).unwrap_or_else(|| format!("#{index}"))
}

fn side_text(out: &mut String, scenario: &Scenario, side: &SideExplanation, subject: &str) {
    let dir = side.direction.as_str();
    let verdict = if side.allowed { "allowed" } else { "denied" };
    let why = match side.exemption {
        Some(Exemption::External) => String::from("an external address: no NetworkPolicy applies to it"),
        Some(Exemption::HostNetwork) => {
            String::from("a hostNetwork pod: policies neither isolate nor select it (its traffic is node traffic)")
        }
        Some(Exemption::Loopback) => String::from(
            "a pod's traffic to itself is always allowed (upstream conformance: Reachability.AllowLoopback)",
        ),
        None if !side.isolated => format!("not isolated: no policy selects it with policyTypes {dir}"),
        None => {
            let names: alloc::vec::Vec<String> =
                side.policies.iter().map(|p| policy_name(scenario, p.policy)).collect();
            format!("isolated by {}", names.join(", "))
        }
    };
    let _ = writeln!(out, "{dir} of {subject}: {verdict} — {why}");
    chain::chain_text(out, scenario, side);
    if !side.other_direction_policies.is_empty() {
        let names: alloc::vec::Vec<String> =
            side.other_direction_policies.iter().map(|&p| policy_name(scenario, p)).collect();
        let _ = writeln!(out, "  also selected by (other direction only, not isolating {dir}): {}", names.join(", "));
    }
    for policy in &side.policies {
        let span = scenario.policies.get(policy.policy).map(|p| p.span).unwrap_or_default();
        let _ = writeln!(out, "  policy {}{}", policy_name(scenario, policy.policy), lines(&span));
        if policy.rules.is_empty() {
            let _ = writeln!(out, "    no {dir} rules: allows nothing");
        }
        for rule in &policy.rules {
            rule_text(out, side.direction, rule);
        }
    }
    for m in &side.allowed_by {
        let _ = writeln!(out, "  allowed by {}", rule_match_text(scenario, side.direction, m));
    }
    if !side.allowed {
        for miss in &side.near_misses {
            let at = rule_match_text(
                scenario,
                side.direction,
                &RuleMatch { policy: miss.policy, rule: miss.rule, peer: miss.peer, port: None },
            );
            let what = match &miss.failed {
                NearMissCause::Term(t) => format!("only {} failed: {}", t.term.as_str(), t.reason.describe()),
                NearMissCause::Ports => String::from("the peer matches but no port entry does"),
            };
            let _ = writeln!(out, "  near miss: {at}: {what}");
        }
    }
}

fn rule_text(out: &mut String, direction: Direction, rule: &crate::explain::RuleExplanation) {
    let dir = direction.as_str();
    let verdict = if rule.matched { "✓ matches" } else { "✗ no match" };
    let _ = writeln!(out, "    {dir}[{}]{}: {verdict}", rule.index, lines(&rule.span));
    checks_text(out, direction, &rule.peers, &rule.ports, "ports");
}

/// A rule's peer list (the OR of entries, each the AND of its terms) and
/// port list, one line per entry and term. `ports_field` names the port
/// list as the rule's kind spells it.
fn checks_text(out: &mut String, direction: Direction, peers: &PeersCheck, ports: &PortsCheck, ports_field: &str) {
    let field = direction.peers_field();
    match peers {
        PeersCheck::Any => {
            let _ = writeln!(out, "      {field}: ✓ (none listed: every peer)");
        }
        PeersCheck::Entries(entries) => {
            let list: alloc::vec::Vec<String> = entries.iter().map(|e| format!("{field}[{}]", e.index)).collect();
            let _ = writeln!(out, "      {field}: {} {}", mark(peers.held()), list.join(" OR "));
            for entry in entries {
                let _ = writeln!(out, "        {} {field}[{}]{}", mark(entry.held), entry.index, lines(&entry.span));
                for (i, term) in entry.terms.iter().enumerate() {
                    let and = if i == 0 { "   " } else { "AND" };
                    let span = term.span.map(|s| lines(&s)).unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "          {and} {} {}{span}: {}",
                        mark(term.held),
                        term.term.as_str(),
                        term.reason.describe()
                    );
                }
            }
        }
    }
    match ports {
        PortsCheck::Any => {
            let _ = writeln!(out, "      {ports_field}: ✓ (none listed: every port)");
        }
        PortsCheck::Entries(entries) => {
            let _ = writeln!(out, "      {ports_field}: {}", mark(ports.held()));
            for entry in entries {
                let _ = writeln!(
                    out,
                    "        {} {ports_field}[{}]{}: {}",
                    mark(entry.held),
                    entry.index,
                    lines(&entry.span),
                    entry.reason.describe()
                );
            }
        }
    }
}

/// `ns/policy ingress[0] from[1] ports[0]` with the entry's port label.
fn rule_match_text(scenario: &Scenario, direction: Direction, m: &RuleMatch) -> String {
    let mut s = format!("{} {}[{}]", policy_name(scenario, m.policy), direction.as_str(), m.rule);
    let rule = scenario.policies.get(m.policy).and_then(|p| p.rules(direction).get(m.rule));
    if let Some(j) = m.peer {
        let span = rule.and_then(|r| r.peers.get(j)).map(|p| lines(&p.span)).unwrap_or_default();
        let _ = write!(s, " {}[{j}]{span}", direction.peers_field());
    }
    if let Some(k) = m.port {
        match rule.and_then(|r| r.ports.get(k)) {
            Some(p) => {
                let _ = write!(s, " ports[{k}] {}", port_entry_label(p.protocol, p.port.as_ref(), p.end_port));
            }
            None => {
                let _ = write!(s, " ports[{k}]");
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use alloc::vec;
    use expect_test::{expect, Expect};

    use super::explanation_to_text;
    use crate::eval::build::*;
    use crate::eval::evaluate;
    use crate::explain::{Flow, FlowEnd};
    use crate::labels::Operator;
    use crate::model::{Probe, Protocol, Scenario};

    fn shop() -> Scenario {
        scenario(
            vec![ns("shop", &[("team", "shop")]), ns("monitoring", &[])],
            vec![
                pod("shop", "web", &[("app", "web")]).ip("10.0.1.5"),
                pod("shop", "db", &[("app", "db")]).ip("10.0.1.6").port("pg", 5432, Protocol::Tcp),
                pod("monitoring", "prom", &[("app", "prometheus")]).ip("10.0.2.9"),
                pod("kube-system", "agent", &[("app", "agent")]).ip("192.168.0.10").host_network(),
            ],
            vec![
                policy("shop", "default-deny", all()).types(true, true),
                policy("shop", "db-ingress", sel(&[("app", "db")]))
                    .ingress(
                        rule()
                            .peer(nss_pods(sel(&[("purpose", "monitoring")]), sel(&[("app", "prometheus")])))
                            .peer(pods(exprs(&[("app", Operator::In, &["web", "api"])])))
                            .port(named(Protocol::Tcp, "pg")),
                    )
                    .ingress(rule().peer(ipblock("10.0.0.0/16", &["10.0.2.0/24"])).port(range(
                        Protocol::Tcp,
                        9000,
                        9100,
                    ))),
                policy("shop", "web-egress", sel(&[("app", "web")])).egress(rule().peer(pods(sel(&[("app", "db")])))),
            ],
        )
    }

    fn check(s: &Scenario, from: FlowEnd, to: FlowEnd, probe: Probe, expect: Expect) {
        let e = evaluate(s, &Flow { from, to, probe });
        expect.assert_eq(&explanation_to_text(s, &e));
    }

    #[test]
    fn allowed_flow_names_the_admitting_entries() {
        let s = shop();
        check(
            &s,
            FlowEnd::Endpoint(0),
            FlowEnd::Endpoint(1),
            Probe::new(Protocol::Tcp, 5432),
            expect![[r#"
                ALLOWED: shop/web -> shop/db on TCP/5432
                egress of shop/web: allowed — isolated by shop/default-deny, shop/web-egress
                  policy shop/default-deny (lines 1-8)
                    no egress rules: allows nothing
                  policy shop/web-egress (lines 38-49)
                    egress[0] (lines 47-49): ✓ matches
                      to: ✓ to[0]
                        ✓ to[0] (lines 48-49)
                              ✓ policy namespace: peer is in the policy's namespace `shop`
                          AND ✓ podSelector (lines 48-49): pod `shop/db` matches every requirement
                      ports: ✓ (none listed: every port)
                  allowed by shop/web-egress egress[0] to[0] (lines 48-49)
                ingress of shop/db: allowed — isolated by shop/default-deny, shop/db-ingress
                  policy shop/default-deny (lines 1-8)
                    no ingress rules: allows nothing
                  policy shop/db-ingress (lines 10-36)
                    ingress[0] (lines 18-27): ✓ matches
                      from: ✓ from[0] OR from[1]
                        ✗ from[0] (lines 19-22)
                              ✗ namespaceSelector (lines 19-20): namespace `shop` has no label `purpose` (needs `purpose=monitoring`)
                          AND ✗ podSelector (lines 21-22): pod `shop/web` has `app=web`, not `app=prometheus`
                        ✓ from[1] (lines 23-24)
                              ✓ policy namespace: peer is in the policy's namespace `shop`
                          AND ✓ podSelector (lines 23-24): pod `shop/web` matches every requirement
                      ports: ✓
                        ✓ ports[0] (lines 26-27): named port `pg` is 5432 on the destination
                    ingress[1] (lines 28-35): ✗ no match
                      from: ✓ from[0]
                        ✓ from[0] (lines 29-32)
                              ✓ ipBlock (line 30): 10.0.1.5 is inside 10.0.0.0/16 and no except
                      ports: ✗
                        ✗ ports[0] (lines 34-35): port 5432 is outside 9000-9100
                  allowed by shop/db-ingress ingress[0] from[1] (lines 23-24) ports[0] TCP/pg
            "#]],
        );
    }

    #[test]
    fn namespace_and_pod_selector_are_anded_and_the_near_miss_names_the_missing_label() {
        let s = shop();
        check(
            &s,
            FlowEnd::Endpoint(2),
            FlowEnd::Endpoint(1),
            Probe::new(Protocol::Tcp, 5432),
            expect![[r#"
                DENIED: monitoring/prom -> shop/db on TCP/5432
                egress of monitoring/prom: allowed — not isolated: no policy selects it with policyTypes egress
                ingress of shop/db: denied — isolated by shop/default-deny, shop/db-ingress
                  policy shop/default-deny (lines 1-8)
                    no ingress rules: allows nothing
                  policy shop/db-ingress (lines 10-36)
                    ingress[0] (lines 18-27): ✗ no match
                      from: ✗ from[0] OR from[1]
                        ✗ from[0] (lines 19-22)
                              ✗ namespaceSelector (lines 19-20): namespace `monitoring` has no label `purpose` (needs `purpose=monitoring`)
                          AND ✓ podSelector (lines 21-22): pod `monitoring/prom` matches every requirement
                        ✗ from[1] (lines 23-24)
                              ✗ policy namespace: peer is in namespace `monitoring`, but a podSelector without namespaceSelector only selects pods in the policy's namespace `shop`
                          AND ✗ podSelector (lines 23-24): pod `monitoring/prom` has `app=prometheus`, not one of `web`, `api`
                      ports: ✓
                        ✓ ports[0] (lines 26-27): named port `pg` is 5432 on the destination
                    ingress[1] (lines 28-35): ✗ no match
                      from: ✗ from[0]
                        ✗ from[0] (lines 29-32)
                              ✗ ipBlock (line 32): 10.0.2.9 is inside except[0] 10.0.2.0/24
                      ports: ✗
                        ✗ ports[0] (lines 34-35): port 5432 is outside 9000-9100
                  near miss: shop/db-ingress ingress[0] from[0] (lines 19-22): only namespaceSelector failed: namespace `monitoring` has no label `purpose` (needs `purpose=monitoring`)
            "#]],
        );
    }

    #[test]
    fn excepted_address_and_wrong_port() {
        let s = shop();
        check(
            &s,
            FlowEnd::Endpoint(2),
            FlowEnd::Endpoint(1),
            Probe::new(Protocol::Tcp, 9050),
            expect![[r#"
                DENIED: monitoring/prom -> shop/db on TCP/9050
                egress of monitoring/prom: allowed — not isolated: no policy selects it with policyTypes egress
                ingress of shop/db: denied — isolated by shop/default-deny, shop/db-ingress
                  policy shop/default-deny (lines 1-8)
                    no ingress rules: allows nothing
                  policy shop/db-ingress (lines 10-36)
                    ingress[0] (lines 18-27): ✗ no match
                      from: ✗ from[0] OR from[1]
                        ✗ from[0] (lines 19-22)
                              ✗ namespaceSelector (lines 19-20): namespace `monitoring` has no label `purpose` (needs `purpose=monitoring`)
                          AND ✓ podSelector (lines 21-22): pod `monitoring/prom` matches every requirement
                        ✗ from[1] (lines 23-24)
                              ✗ policy namespace: peer is in namespace `monitoring`, but a podSelector without namespaceSelector only selects pods in the policy's namespace `shop`
                          AND ✗ podSelector (lines 23-24): pod `monitoring/prom` has `app=prometheus`, not one of `web`, `api`
                      ports: ✗
                        ✗ ports[0] (lines 26-27): named port `pg` is 5432 on the destination, not 9050
                    ingress[1] (lines 28-35): ✗ no match
                      from: ✗ from[0]
                        ✗ from[0] (lines 29-32)
                              ✗ ipBlock (line 32): 10.0.2.9 is inside except[0] 10.0.2.0/24
                      ports: ✓
                        ✓ ports[0] (lines 34-35): port 9050 is inside 9000-9100
                  near miss: shop/db-ingress ingress[1] from[0] (lines 29-32): only ipBlock failed: 10.0.2.9 is inside except[0] 10.0.2.0/24
            "#]],
        );
    }

    #[test]
    fn exemptions_host_network_and_external() {
        let s = shop();
        check(
            &s,
            FlowEnd::Endpoint(3),
            FlowEnd::Ip(ip("203.0.113.7")),
            Probe::new(Protocol::Udp, 53),
            expect![[r#"
                ALLOWED: kube-system/agent -> 203.0.113.7 on UDP/53
                egress of kube-system/agent: allowed — a hostNetwork pod: policies neither isolate nor select it (its traffic is node traffic)
                ingress of 203.0.113.7: allowed — an external address: no NetworkPolicy applies to it
            "#]],
        );
    }
}
