//! One probe's table from a [`Plan`], over output classes (every set below
//! has one bit per output class, see [`super::classes`]).
//!
//! 1. Each rule's ports are reduced to [`PortMatch`]: all destinations, none,
//!    or those where one of its named ports resolves to the probe's port.
//! 2. Per ingress class, the allowed sources: the union of the peer sets of
//!    its policies' rules whose ports match at the class's destinations.
//!    Per egress class, the allowed destinations: the union of each rule's
//!    peer set intersected with the destinations its ports match.
//! 3. `allowed[s][d] = egress[class(s)][d] & ingress[class(d)][s]`: the
//!    ingress rows (indexed by destination) are transposed 64×64 bits at a
//!    time straight into the table (indexed by source), then ANDed with the
//!    egress rows.
//! 4. No diagonal here: bit `(a, a)` is the verdict between two different
//!    members of class `a`; the pod loopback is applied at lookup.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::bitset::{transpose64, BitSet};
use super::plan::{Class, Plan, PlannedRule, OPEN};
use super::tiers::{self, ClusterSignature, Side, CLUSTER};
use crate::eval::number_covers;
use crate::model::{NetworkPolicy, PortRef, Probe, Protocol, Rule, Scenario};

/// What a rule's `ports` make of one probe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PortMatch {
    /// Every destination (no ports listed, or an entry covers the port).
    All,
    /// No destination.
    None,
    /// Destinations declaring one of these named ports as the probe's port.
    Named(Vec<(String, Protocol)>),
}

fn port_match(rule: &Rule, probe: Probe) -> PortMatch {
    if rule.ports.is_empty() {
        return PortMatch::All;
    }
    let mut named = Vec::new();
    for spec in rule.ports.iter().filter(|p| p.protocol == probe.protocol) {
        match &spec.port {
            None => return PortMatch::All,
            Some(PortRef::Number(n)) if number_covers(*n, spec.end_port, probe.port) => return PortMatch::All,
            Some(PortRef::Number(_)) => {}
            Some(PortRef::Name(name)) => named.push((name.to_owned(), spec.protocol)),
        }
    }
    if named.is_empty() {
        PortMatch::None
    } else {
        PortMatch::Named(named)
    }
}

/// Everything about a probe that the table depends on. Two probes with equal
/// signatures have equal tables, so only one is computed. Owned (names are
/// copied), so a [`super::MatrixJob`] can keep it between steps.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Signature {
    /// Per policy, per ingress rule, then per egress rule.
    ingress: Vec<Vec<PortMatch>>,
    egress: Vec<Vec<PortMatch>>,
    /// For each named port the matches mention: the endpoints where it
    /// resolves to the probe's port.
    resolved: BTreeMap<(String, Protocol), BitSet>,
    /// The cluster tiers' port matches.
    cluster: ClusterSignature,
}

pub(crate) fn signature(plan: &Plan, scenario: &Scenario, probe: Probe) -> Signature {
    let reduce = |planned: &[Vec<PlannedRule>], rules: fn(&NetworkPolicy) -> &[Rule]| -> Vec<Vec<PortMatch>> {
        planned
            .iter()
            .zip(&scenario.policies)
            .map(|(p, policy)| rules(policy).iter().take(p.len()).map(|r| port_match(r, probe)).collect())
            .collect()
    };
    let ingress = reduce(&plan.ingress_rules, |p| &p.ingress);
    let egress = reduce(&plan.egress_rules, |p| &p.egress);
    let mut resolved = BTreeMap::new();
    for m in ingress.iter().chain(&egress).flatten() {
        if let PortMatch::Named(names) = m {
            for (name, protocol) in names {
                resolved.entry((name.clone(), *protocol)).or_insert_with(|| {
                    // Per output class, at its representative: members
                    // declare the same named ports whenever a rule names one.
                    let hits = plan.reps.iter().enumerate().filter_map(|(c, &e)| {
                        let e = scenario.endpoints.get(e as usize)?;
                        (e.resolve_named_port(name, *protocol) == Some(probe.port)).then_some(c as u32)
                    });
                    BitSet::from_indices(plan.len, hits)
                });
            }
        }
    }
    let cluster = tiers::signature(scenario, &plan.reps, probe);
    Signature { ingress, egress, resolved, cluster }
}

/// The destination classes whose declared named ports make `names` match.
fn named_destinations(sig: &Signature, names: &[(String, Protocol)], len: usize) -> BitSet {
    let mut s = BitSet::zeros(len);
    for (name, protocol) in names {
        if let Some(hits) = sig.resolved.get(&(name.clone(), *protocol)) {
            s.union_with(hits);
        }
    }
    s
}

/// The allowed sources of ingress class `class` (and the admin-denied ones).
pub(crate) fn ingress_row(plan: &Plan, scenario: &Scenario, sig: &Signature, class: &Class) -> tiers::TieredRow {
    let mut row = BitSet::zeros(plan.len);
    for &p in &class.policies {
        let (Some(rules), Some(matches)) = (plan.ingress_rules.get(p as usize), sig.ingress.get(p as usize)) else {
            continue;
        };
        for (peers, m) in rules.iter().zip(matches) {
            let applies = match m {
                PortMatch::All => true,
                PortMatch::None => false,
                // `resolved` holds every name the matches mention.
                PortMatch::Named(names) => names.iter().any(|(name, protocol)| {
                    sig.resolved.get(&(name.clone(), *protocol)).is_some_and(|hits| hits.contains(class.representative))
                }),
            };
            if applies {
                row.union_with(peers);
            }
        }
    }
    with_tiers(plan, scenario, sig, &class.policies, row, Side::Ingress { representative: class.representative })
}

/// The allowed destinations of egress class `class` (and the admin-denied
/// ones).
pub(crate) fn egress_row(plan: &Plan, scenario: &Scenario, sig: &Signature, class: &Class) -> tiers::TieredRow {
    let mut row = BitSet::zeros(plan.len);
    for &p in &class.policies {
        let (Some(rules), Some(matches)) = (plan.egress_rules.get(p as usize), sig.egress.get(p as usize)) else {
            continue;
        };
        for (peers, m) in rules.iter().zip(matches) {
            match m {
                PortMatch::All => row.union_with(peers),
                PortMatch::None => {}
                PortMatch::Named(names) => row.union_with_and(peers, &named_destinations(sig, names, plan.len)),
            }
        }
    }
    with_tiers(plan, scenario, sig, &class.policies, row, Side::Egress)
}

/// The NetworkPolicy row `np` of a class with the cluster tiers around it
/// (unchanged when no cluster policy selects the class).
fn with_tiers(
    plan: &Plan,
    scenario: &Scenario,
    sig: &Signature,
    policies: &[u32],
    np: BitSet,
    side: Side,
) -> tiers::TieredRow {
    if policies.iter().all(|&p| p < CLUSTER) {
        return tiers::TieredRow { allowed: np, admin_denied: BitSet::zeros(0) };
    }
    let isolated = policies.iter().any(|&p| p < CLUSTER);
    tiers::row(scenario, &plan.cluster, &sig.cluster, policies, isolated.then_some(&np), side, plan.len)
}

/// The row of endpoint `e` among class rows (`None`: the endpoint is
/// [`OPEN`] on that side).
pub(crate) fn row_of<'r>(class_of: &[u32], rows: &[&'r BitSet], e: usize) -> Option<&'r [u64]> {
    match class_of.get(e).copied() {
        Some(OPEN) | None => None,
        Some(c) => rows.get(c as usize).map(|r| r.words()),
    }
}

/// Writes the transpose of the destination rows into the source rows of
/// source blocks `blocks` (64 sources each) of `out` (`len` rows of `w`
/// words, starting zeroed): bit `s` of `rows[d]` becomes bit `d` of row `s`.
/// `rows` holds `w * 64` rows of `w` words (padded with empty rows).
///
/// Blocks are visited in tiles of [`TILE`] destination blocks so that both
/// the reads (a few hundred destination rows, sequentially) and the writes
/// (whole cache lines of 64 source rows) stay in cache. All-zero blocks are
/// skipped (the output starts zeroed) and all-one blocks are their own
/// transpose.
pub(crate) fn transpose_into(rows: &[&[u64]], w: usize, blocks: core::ops::Range<usize>, out: &mut [u64]) {
    const TILE: usize = 8;
    let mut block = [0u64; 64];
    for tile in (0..w).step_by(TILE) {
        for bj in blocks.clone() {
            for bi in tile..(tile + TILE).min(w) {
                let mut any = 0u64;
                let mut all = u64::MAX;
                let Some(dests) = rows.get(bi * 64..bi * 64 + 64) else { continue };
                for (slot, row) in block.iter_mut().zip(dests) {
                    *slot = row.get(bj).copied().unwrap_or(0);
                    any |= *slot;
                    all &= *slot;
                }
                if any == 0 {
                    continue;
                }
                if all != u64::MAX {
                    transpose64(&mut block);
                }
                for (k, word) in block.iter().enumerate() {
                    if let Some(slot) = out.get_mut((bj * 64 + k) * w + bi) {
                        *slot = *word;
                    }
                }
            }
        }
    }
}
