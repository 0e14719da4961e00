//! Which policy tier decided the graph's arrows, and the flows an
//! Admin-tier `Deny` refused (issue 7).
//!
//! The tiers are the network-policy-api evaluation order (Admin-tier cluster
//! policies → NetworkPolicy → Baseline-tier cluster policies → default
//! allow; `apis/v1alpha2/clusternetworkpolicy_types.go`). Nothing here
//! decides: the deciding tier of each side is read off the decision chain
//! `netpol_core::evaluate` records ([`SideExplanation::tiers`]), and which
//! pairs an Admin `Deny` refused comes from [`Matrix::admin_denied`].
//!
//! Cost: one `evaluate` per allowed (pair, probe) of the drawn edges, so
//! classification runs only while that count stays under a budget (the
//! detailed views of a few hundred endpoints); the 10,000-pod namespace
//! view offers the filter once fewer namespaces are expanded.

use std::collections::BTreeSet;

use netpol_core::eval::tier::Verdict;
use netpol_core::explain::{SideExplanation, TierKind};
use netpol_core::matrix::Matrix;
use netpol_core::model::ClusterTier;
use netpol_core::{evaluate, Explanation, Flow, Probe, Scenario};

use super::model::{GraphEndpoint, GraphModel, NodeKind, PairCount};

/// Tier bits of [`super::model::GraphEdge::tiers`].
pub const ADMIN: u8 = 1;
/// The NetworkPolicy tier.
pub const NETWORK_POLICY: u8 = 2;
/// The Baseline tier.
pub const BASELINE: u8 = 4;
/// No tier decided: the default allow.
pub const DEFAULT: u8 = 8;

/// Most flow evaluations classification may spend when the user asked for
/// a tier filter (~50 ms native in the browser's order of magnitude).
pub const CLASSIFY_BUDGET: u64 = 20_000;
/// Most spent unasked, so that scenarios with cluster policies get tier
/// words in their arrows' descriptions while the user types.
pub const EAGER_BUDGET: u64 = 3_000;
/// Most matrix lookups spent looking for admin-denied pairs.
pub const LOOKUP_BUDGET: u64 = 4_000_000;
/// Most flow evaluations spent naming the Admin policies behind denied
/// arrows (beyond it, each arrow names the policy of its example pair).
pub const NAMING_BUDGET: u64 = 2_000;

/// The tier filter of the graph's toolbar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TierFilter {
    /// Every arrow.
    #[default]
    All,
    /// Arrows a side of which an Admin-tier cluster policy decided.
    Admin,
    /// Arrows a side of which a NetworkPolicy decided.
    NetworkPolicy,
    /// Arrows a side of which a Baseline-tier cluster policy decided.
    Baseline,
    /// Arrows a side of which no tier decided (the default allow).
    Default,
}

impl TierFilter {
    /// The toolbar's choices, in evaluation order.
    pub const CHOICES: [TierFilter; 5] =
        [TierFilter::All, TierFilter::Admin, TierFilter::NetworkPolicy, TierFilter::Baseline, TierFilter::Default];

    /// The edge tier bits this filter keeps.
    pub fn bits(self) -> u8 {
        match self {
            TierFilter::All => ADMIN | NETWORK_POLICY | BASELINE | DEFAULT,
            TierFilter::Admin => ADMIN,
            TierFilter::NetworkPolicy => NETWORK_POLICY,
            TierFilter::Baseline => BASELINE,
            TierFilter::Default => DEFAULT,
        }
    }

    /// The button text.
    pub fn label(self) -> &'static str {
        match self {
            TierFilter::All => "All",
            TierFilter::Admin => "Admin",
            TierFilter::NetworkPolicy => "NetworkPolicy",
            TierFilter::Baseline => "Baseline",
            TierFilter::Default => "Default allow",
        }
    }

    /// The button's tooltip.
    pub fn describe(self) -> &'static str {
        match self {
            TierFilter::All => "Show every arrow",
            TierFilter::Admin => "Show arrows an Admin-tier cluster policy decided (and flows it denied)",
            TierFilter::NetworkPolicy => "Show arrows a NetworkPolicy decided",
            TierFilter::Baseline => "Show arrows a Baseline-tier cluster policy decided",
            TierFilter::Default => "Show arrows no policy decided on some side (the default allow)",
        }
    }
}

/// The words of tier bits: `Admin`, `NetworkPolicy`, `Baseline`, `default allow`.
pub fn tier_words(bits: u8) -> Vec<&'static str> {
    [(ADMIN, "Admin"), (NETWORK_POLICY, "NetworkPolicy"), (BASELINE, "Baseline"), (DEFAULT, "default allow")]
        .into_iter()
        .filter(|&(b, _)| bits & b != 0)
        .map(|(_, w)| w)
        .collect()
}

/// The tier bit that decided one side, and the deciding step's verdict:
/// the last step of the chain when final, else the default allow. `None`
/// for a side no tier looks at (loopback, host network, an IP end).
pub fn side_tier(side: &SideExplanation) -> Option<(u8, Verdict)> {
    let last = side.tiers.last()?;
    Some(match last.verdict {
        v @ (Verdict::Allow | Verdict::Deny) => {
            let bit = match last.tier {
                TierKind::Admin => ADMIN,
                TierKind::NetworkPolicy => NETWORK_POLICY,
                TierKind::Baseline => BASELINE,
            };
            (bit, v)
        }
        Verdict::Pass | Verdict::NoMatch => (DEFAULT, Verdict::Allow),
    })
}

/// The tiers that decided the sides of an allowed flow (0 when denied).
pub fn allowed_tiers(e: &Explanation) -> u8 {
    if !e.allowed {
        return 0;
    }
    [&e.egress, &e.ingress].into_iter().filter_map(side_tier).fold(0, |acc, (bit, _)| acc | bit)
}

/// The Admin-tier cluster policy (index in `Scenario::cluster_policies`)
/// whose `Deny` decided a side of the flow, if one did.
pub fn admin_denier(e: &Explanation) -> Option<usize> {
    [&e.egress, &e.ingress].into_iter().find_map(|side| {
        let last = side.tiers.last()?;
        (last.tier == TierKind::Admin && last.verdict == Verdict::Deny).then_some(last.policy).flatten()
    })
}

/// Whether any cluster policy sits in the Admin tier.
pub fn has_admin_tier(scenario: &Scenario) -> bool {
    scenario.cluster_policies.iter().any(|p| p.tier == ClusterTier::Admin)
}

/// The endpoints and addresses each node stands for.
pub(super) fn node_ends(model: &GraphModel) -> Vec<Vec<GraphEndpoint>> {
    let mut ends: Vec<Vec<GraphEndpoint>> = vec![Vec::new(); model.nodes.len()];
    for (i, &n) in model.endpoint_node.iter().enumerate() {
        if let Some(list) = ends.get_mut(n) {
            list.push(GraphEndpoint::Endpoint(i));
        }
    }
    for (n, node) in model.nodes.iter().enumerate() {
        if let (NodeKind::External { address, .. }, Some(list)) = (&node.kind, ends.get_mut(n)) {
            list.push(GraphEndpoint::External(*address));
        }
    }
    ends
}

/// Flow evaluations [`classify`] would spend: one per allowed pair and
/// allowed probe of each edge (an upper bound for aggregated edges).
pub fn classify_cost(model: &GraphModel) -> u64 {
    model.edges.iter().map(|e| e.pairs.allowed.saturating_mul(u64::from(e.probes.count_ones()))).sum()
}

/// Sets every edge's `tiers` from the core's decision chains, when that
/// costs at most `budget` evaluations (and matrix lookups stay under
/// [`LOOKUP_BUDGET`]); returns whether it did.
pub fn classify(model: &mut GraphModel, scenario: &Scenario, matrix: &Matrix, chosen: &[usize], budget: u64) -> bool {
    let lookups: u64 = model.edges.iter().map(|e| e.pairs.total.saturating_mul(u64::from(e.probes.count_ones()))).sum();
    if classify_cost(model) > budget || lookups > LOOKUP_BUDGET {
        return false;
    }
    let ends = node_ends(model);
    let probes = model.probes.clone();
    for edge in &mut model.edges {
        let (Some(sources), Some(targets)) = (ends.get(edge.from), ends.get(edge.to)) else {
            continue;
        };
        let mut bits = 0u8;
        for &a in sources {
            for &b in targets {
                if a == b {
                    continue;
                }
                for (k, &probe) in probes.iter().enumerate() {
                    if edge.probes >> k & 1 == 0 {
                        continue;
                    }
                    // Endpoint pairs the matrix denies need no explanation.
                    if let (GraphEndpoint::Endpoint(i), GraphEndpoint::Endpoint(j)) = (a, b) {
                        if !chosen.get(k).is_some_and(|&p| matrix.allowed(p, i, j)) {
                            continue;
                        }
                    }
                    bits |= allowed_tiers(&evaluate(scenario, &Flow { from: a.flow_end(), to: b.flow_end(), probe }));
                }
            }
        }
        edge.tiers = bits;
    }
    true
}

/// Flows an Admin-tier `Deny` refused, between two nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeniedEdge {
    /// Source node index.
    pub from: usize,
    /// Destination node index.
    pub to: usize,
    /// Bit `k` when `GraphModel::probes[k]` is admin-denied for some pair.
    pub probes: u64,
    /// Denied pairs (`allowed` counts the denied ones) out of all pairs.
    pub pairs: PairCount,
    /// One denied pair, what a click opens in the inspector.
    pub example: (GraphEndpoint, GraphEndpoint),
    /// Names of the Admin policies that denied (at least the example's).
    pub policies: Vec<String>,
}

/// What [`admin_denied`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Denied {
    /// The edges, sorted by `(from, to)`.
    pub edges: Vec<DeniedEdge>,
    /// Whether every pair was looked at (false when over the budgets).
    pub complete: bool,
}

/// The node pairs with flows an Admin-tier `Deny` refused on the shown
/// probes: endpoint pairs from the matrix, flows to and from external
/// nodes from `evaluate`. Pairs inside one collapsed namespace are not
/// drawn (no self-arrows). Empty when no cluster policy is in the Admin tier.
pub fn admin_denied(model: &GraphModel, scenario: &Scenario, matrix: &Matrix, chosen: &[usize]) -> Denied {
    if !has_admin_tier(scenario) {
        return Denied { edges: Vec::new(), complete: true };
    }
    let n = model.endpoint_node.len() as u64;
    let externals = model.externals.len() as u64;
    let probes = chosen.len() as u64;
    let lookups = n.saturating_mul(n).saturating_mul(probes);
    let evaluations = 2 * n * externals * probes;
    if lookups > LOOKUP_BUDGET || evaluations > CLASSIFY_BUDGET {
        return Denied { edges: Vec::new(), complete: false };
    }
    let ends = node_ends(model);
    let mut named = 0u64;
    let mut edges = Vec::new();
    for (u, sources) in ends.iter().enumerate() {
        for (v, targets) in ends.iter().enumerate() {
            if u == v {
                continue;
            }
            let mut found: Option<DeniedEdge> = None;
            let mut policies = BTreeSet::new();
            for &a in sources {
                for &b in targets {
                    let mut mask = 0u64;
                    for (k, &probe) in model.probes.iter().enumerate() {
                        let denied_by = match (a, b) {
                            (GraphEndpoint::Endpoint(i), GraphEndpoint::Endpoint(j)) => {
                                if !chosen.get(k).is_some_and(|&p| matrix.admin_denied(p, i, j)) {
                                    continue;
                                }
                                if named < NAMING_BUDGET || found.is_none() {
                                    named += 1;
                                    admin_denier(&flow(scenario, a, b, probe))
                                } else {
                                    None
                                }
                            }
                            _ => {
                                let Some(p) = admin_denier(&flow(scenario, a, b, probe)) else { continue };
                                Some(p)
                            }
                        };
                        mask |= 1 << k;
                        if let Some(p) = denied_by.and_then(|p| scenario.cluster_policies.get(p)) {
                            policies.insert(p.name.clone());
                        }
                    }
                    if mask == 0 {
                        continue;
                    }
                    let e = found.get_or_insert_with(|| DeniedEdge {
                        from: u,
                        to: v,
                        probes: 0,
                        pairs: PairCount { allowed: 0, total: (sources.len() * targets.len()) as u64 },
                        example: (a, b),
                        policies: Vec::new(),
                    });
                    e.probes |= mask;
                    e.pairs.allowed += 1;
                }
            }
            if let Some(mut e) = found {
                e.policies = policies.into_iter().collect();
                edges.push(e);
            }
        }
    }
    Denied { edges, complete: true }
}

fn flow(scenario: &Scenario, a: GraphEndpoint, b: GraphEndpoint, probe: Probe) -> Explanation {
    evaluate(scenario, &Flow { from: a.flow_end(), to: b.flow_end(), probe })
}

#[cfg(test)]
mod tests {
    use netpol_core::eval::external_nodes;
    use netpol_core::matrix::matrix;
    use netpol_core::parse::parse_str;
    use netpol_core::presets;

    use super::super::model::{build, Level, ViewState};
    use super::*;

    fn guardrails(tier: TierFilter) -> (Scenario, Matrix, GraphModel) {
        let yaml = presets::by_id("cluster-guardrails").map(|p| p.yaml).unwrap_or_default();
        let s = parse_str(yaml).scenario;
        let m = matrix(&s, &s.probes_in_use());
        let all: Vec<usize> = (0..m.probes().len()).collect();
        let view = ViewState { level: Level::Pods, tier, ..ViewState::default() };
        let g = build(&s, &m, &all, &external_nodes(&s), &view);
        (s, m, g)
    }

    fn edge_tiers(g: &GraphModel, from: &str, to: &str) -> Option<u8> {
        let id = |n: usize| g.nodes.get(n).map(|n| n.id.as_str());
        g.edges.iter().find(|e| id(e.from) == Some(from) && id(e.to) == Some(to)).map(|e| e.tiers)
    }

    /// The preset's lessons, read off the arrows: the Admin tier accepts
    /// backend → db; monitoring's metrics scrape is passed down to the
    /// NetworkPolicy that allows all into the db; tenant-b's web is opened to
    /// tenant-a by a NetworkPolicy; unselected pods fall to the default allow.
    /// (network-policy-api `apis/v1alpha2/clusternetworkpolicy_types.go`:
    /// Admin → NetworkPolicy → Baseline → default.)
    #[test]
    fn arrows_carry_the_tier_that_decided_them() {
        let (_, _, g) = guardrails(TierFilter::All);
        assert!(g.cluster_policies && g.tiers_classified, "cluster policies: classified unasked");
        let api_db = edge_tiers(&g, "backend/api", "sensitive/db").unwrap_or(0);
        assert_ne!(api_db & ADMIN, 0, "protect-db accepts backend");
        assert_eq!(api_db & NETWORK_POLICY, 0, "the Admin Accept is final: allow-all-to-db is never reached");
        let scrape = edge_tiers(&g, "monitoring/prometheus", "sensitive/db").unwrap_or(0);
        assert_ne!(scrape & NETWORK_POLICY, 0, "Pass hands the scrape to allow-all-to-db");
        assert_eq!(scrape & ADMIN, 0);
        let tenants = edge_tiers(&g, "tenant-a/web", "tenant-b/web").unwrap_or(0);
        assert_ne!(tenants & NETWORK_POLICY, 0, "allow-tenant-a opens tenant-b's web");
        assert_eq!(edge_tiers(&g, "tenant-b/worker", "backend/api"), Some(DEFAULT), "nobody selects either side");
        assert_eq!(edge_tiers(&g, "tenant-a/web", "tenant-b/worker"), None, "the Baseline deny protects the worker");
        assert_eq!(edge_tiers(&g, "tenant-a/web", "sensitive/db"), None, "protect-db denies other namespaces");
    }

    /// Denied-by-admin arrows are exactly the endpoint pairs whose decision
    /// chain ends in an Admin-tier Deny on some shown probe (checked against
    /// `evaluate` pair by pair), named after the policy.
    #[test]
    fn denied_arrows_are_the_admin_denies_of_the_decision_chain() {
        let (s, m, g) = guardrails(TierFilter::All);
        assert!(g.denied_complete);
        let mut want = Vec::new();
        for i in 0..m.len() {
            for j in 0..m.len() {
                let deniers: Vec<usize> = m
                    .probes()
                    .iter()
                    .filter_map(|&probe| {
                        let flow = Flow {
                            from: netpol_core::FlowEnd::Endpoint(i),
                            to: netpol_core::FlowEnd::Endpoint(j),
                            probe,
                        };
                        admin_denier(&evaluate(&s, &flow))
                    })
                    .collect();
                if i != j && !deniers.is_empty() {
                    want.push((g.endpoint_node[i], g.endpoint_node[j]));
                }
            }
        }
        let got: Vec<(usize, usize)> = g
            .denied
            .iter()
            .filter(|d| {
                d.pairs.total == 1 && g.nodes[d.from].kind_name() == "pod" && g.nodes[d.to].kind_name() == "pod"
            })
            .map(|d| (d.from, d.to))
            .collect();
        assert_eq!(got, want);
        let web_db = g
            .denied
            .iter()
            .find(|d| g.nodes[d.from].id == "tenant-a/web" && g.nodes[d.to].id == "sensitive/db")
            .map(|d| d.policies.clone());
        assert_eq!(web_db, Some(vec!["protect-db".to_owned()]));
        // Never both allowed and admin-denied on the same probe.
        for d in g.denied.iter().filter(|d| d.pairs.total == 1) {
            if let Some(e) = g.edges.iter().find(|e| (e.from, e.to) == (d.from, d.to)) {
                assert_eq!(e.probes & d.probes, 0, "a pair's probe is allowed or denied, not both");
            }
        }
    }

    #[test]
    fn without_cluster_policies_nothing_is_classified_until_a_filter_is_chosen() {
        let yaml = presets::by_id("three-tier").map(|p| p.yaml).unwrap_or_default();
        let s = parse_str(yaml).scenario;
        let m = matrix(&s, &s.probes_in_use());
        let all: Vec<usize> = (0..m.probes().len()).collect();
        let mut view = ViewState { level: Level::Pods, ..ViewState::default() };
        let g = build(&s, &m, &all, &[], &view);
        assert!(!g.tiers_classified && g.denied.is_empty() && !g.edges.is_empty());
        assert!(g.edges.iter().all(|e| e.tiers == 0));
        view.tier = TierFilter::NetworkPolicy;
        let g = build(&s, &m, &all, &[], &view);
        assert!(g.tiers_classified);
        // Without cluster policies only the NetworkPolicy tier and the
        // default decide, and an isolated side is the NetworkPolicy's.
        for e in &g.edges {
            assert_eq!(e.tiers & (ADMIN | BASELINE), 0);
            let (GraphEndpoint::Endpoint(i), GraphEndpoint::Endpoint(j)) = e.example else { continue };
            if m.isolated_ingress(j) || m.isolated_egress(i) {
                assert_ne!(e.tiers & NETWORK_POLICY, 0);
            }
        }
        // Over budget: not classified, and says so.
        let mut g2 = g.clone();
        assert!(!classify(&mut g2, &s, &m, &all, 0) || classify_cost(&g2) == 0);
    }

    #[test]
    fn filters_name_their_bits_and_words() {
        assert_eq!(TierFilter::All.bits(), ADMIN | NETWORK_POLICY | BASELINE | DEFAULT);
        assert_eq!(TierFilter::CHOICES.iter().skip(1).fold(0, |a, f| a | f.bits()), TierFilter::All.bits());
        assert_eq!(tier_words(ADMIN | DEFAULT), ["Admin", "default allow"]);
    }
}
