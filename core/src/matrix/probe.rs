//! One probe's table from a [`Plan`].
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
//! 4. The diagonal of pods is set: a pod may always reach itself.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use super::bitset::{transpose64, words_for, BitSet};
use super::plan::{Plan, PlannedRule, OPEN};
use super::tiers::{self, ClusterSignature, Side, CLUSTER};
use crate::eval::number_covers;
use crate::model::{PortRef, Probe, Protocol, Rule};

/// What a rule's `ports` make of one probe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PortMatch<'a> {
    /// Every destination (no ports listed, or an entry covers the port).
    All,
    /// No destination.
    None,
    /// Destinations declaring one of these named ports as the probe's port.
    Named(Vec<(&'a str, Protocol)>),
}

fn port_match(rule: &Rule, probe: Probe) -> PortMatch<'_> {
    if rule.ports.is_empty() {
        return PortMatch::All;
    }
    let mut named = Vec::new();
    for spec in rule.ports.iter().filter(|p| p.protocol == probe.protocol) {
        match &spec.port {
            None => return PortMatch::All,
            Some(PortRef::Number(n)) if number_covers(*n, spec.end_port, probe.port) => return PortMatch::All,
            Some(PortRef::Number(_)) => {}
            Some(PortRef::Name(name)) => named.push((name.as_str(), spec.protocol)),
        }
    }
    if named.is_empty() {
        PortMatch::None
    } else {
        PortMatch::Named(named)
    }
}

/// Everything about a probe that the table depends on. Two probes with equal
/// signatures have equal tables, so only one is computed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Signature<'a> {
    /// Per policy, per ingress rule, then per egress rule.
    ingress: Vec<Vec<PortMatch<'a>>>,
    egress: Vec<Vec<PortMatch<'a>>>,
    /// For each named port the matches mention: the endpoints where it
    /// resolves to the probe's port.
    resolved: BTreeMap<(&'a str, Protocol), BitSet>,
    /// The cluster tiers' port matches.
    cluster: ClusterSignature<'a>,
}

pub(crate) fn signature<'a>(plan: &Plan<'a>, probe: Probe) -> Signature<'a> {
    let reduce = |rules: &Vec<Vec<PlannedRule<'a>>>| -> Vec<Vec<PortMatch<'a>>> {
        rules.iter().map(|rs| rs.iter().map(|r| port_match(r.rule, probe)).collect()).collect()
    };
    let ingress = reduce(&plan.ingress_rules);
    let egress = reduce(&plan.egress_rules);
    let mut resolved = BTreeMap::new();
    for m in ingress.iter().chain(&egress).flatten() {
        if let PortMatch::Named(names) = m {
            for &(name, protocol) in names {
                resolved.entry((name, protocol)).or_insert_with(|| {
                    let hits = plan.endpoints.iter().enumerate().filter_map(|(i, e)| {
                        (e.resolve_named_port(name, protocol) == Some(probe.port)).then_some(i as u32)
                    });
                    BitSet::from_indices(plan.len, hits)
                });
            }
        }
    }
    let cluster = tiers::signature(&plan.cluster, plan.endpoints, probe);
    Signature { ingress, egress, resolved, cluster }
}

/// A computed table: row `s` (words `s*w .. s*w+w`) holds the destinations
/// `s` may reach.
pub(crate) struct Table {
    pub(crate) bits: Vec<u64>,
    pub(crate) allowed: usize,
}

/// The destinations whose declared named ports make `names` match.
fn named_destinations(sig: &Signature, names: &[(&str, Protocol)], len: usize) -> BitSet {
    let mut s = BitSet::zeros(len);
    for key in names {
        if let Some(hits) = sig.resolved.get(key) {
            s.union_with(hits);
        }
    }
    s
}

fn ingress_rows(plan: &Plan, sig: &Signature, probe: Probe) -> Vec<BitSet> {
    plan.ingress_classes
        .iter()
        .map(|class| {
            let mut row = BitSet::zeros(plan.len);
            let rep = plan.endpoints.get(class.representative);
            for &p in &class.policies {
                let (Some(rules), Some(matches)) = (plan.ingress_rules.get(p as usize), sig.ingress.get(p as usize))
                else {
                    continue;
                };
                for (rule, m) in rules.iter().zip(matches) {
                    let applies = match m {
                        PortMatch::All => true,
                        PortMatch::None => false,
                        PortMatch::Named(names) => names.iter().any(|&(name, protocol)| {
                            rep.is_some_and(|e| e.resolve_named_port(name, protocol) == Some(probe.port))
                        }),
                    };
                    if applies {
                        row.union_with(&rule.peers);
                    }
                }
            }
            with_tiers(plan, sig, &class.policies, row, Side::Ingress { representative: class.representative })
        })
        .collect()
}

fn egress_rows(plan: &Plan, sig: &Signature) -> Vec<BitSet> {
    plan.egress_classes
        .iter()
        .map(|class| {
            let mut row = BitSet::zeros(plan.len);
            for &p in &class.policies {
                let (Some(rules), Some(matches)) = (plan.egress_rules.get(p as usize), sig.egress.get(p as usize))
                else {
                    continue;
                };
                for (rule, m) in rules.iter().zip(matches) {
                    match m {
                        PortMatch::All => row.union_with(&rule.peers),
                        PortMatch::None => {}
                        PortMatch::Named(names) => {
                            row.union_with_and(&rule.peers, &named_destinations(sig, names, plan.len))
                        }
                    }
                }
            }
            with_tiers(plan, sig, &class.policies, row, Side::Egress)
        })
        .collect()
}

/// The NetworkPolicy row `np` of a class with the cluster tiers around it
/// (unchanged when no cluster policy selects the class).
fn with_tiers(plan: &Plan, sig: &Signature, policies: &[u32], np: BitSet, side: Side) -> BitSet {
    if policies.iter().all(|&p| p < CLUSTER) {
        return np;
    }
    let isolated = policies.iter().any(|&p| p < CLUSTER);
    tiers::row(&plan.cluster, &sig.cluster, policies, isolated.then_some(&np), side, plan.len)
}

/// Writes the transpose of the `w*64` rows of `w` words in `rows` into
/// `out` (`w*64` rows of `w` words): bit `s` of row `d` becomes bit `d` of
/// row `s`.
///
/// Blocks are visited in tiles of [`TILE`] destination blocks so that both
/// the reads (a few hundred source rows, sequentially) and the writes (whole
/// cache lines of 64 destination rows) stay in cache. All-zero blocks are
/// skipped (the output starts zeroed) and all-one blocks are their own
/// transpose.
fn transpose_into(rows: &[&[u64]], w: usize, out: &mut [u64]) {
    const TILE: usize = 8;
    let mut block = [0u64; 64];
    for tile in (0..w).step_by(TILE) {
        for bj in 0..w {
            for bi in tile..(tile + TILE).min(w) {
                let mut any = 0u64;
                let mut all = u64::MAX;
                for (slot, row) in block.iter_mut().zip(&rows[bi * 64..bi * 64 + 64]) {
                    *slot = row[bj];
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
                    out[(bj * 64 + k) * w + bi] = *word;
                }
            }
        }
    }
}

pub(crate) fn table(plan: &Plan, sig: &Signature, probe: Probe) -> Table {
    let len = plan.len;
    let w = words_for(len);
    let ones = BitSet::ones(len);
    let ingress = ingress_rows(plan, sig, probe);
    let egress = egress_rows(plan, sig);
    fn row_of<'r>(class_of: &[u32], rows: &'r [BitSet], e: usize) -> Option<&'r [u64]> {
        match class_of.get(e).copied() {
            Some(OPEN) | None => None,
            Some(c) => rows.get(c as usize).map(|r| r.words()),
        }
    }
    // Allowed sources of each destination, by reference (no copy per row),
    // padded with empty rows to a multiple of 64 so every block is full.
    let zero = vec![0u64; w];
    let dest_rows: Vec<&[u64]> = (0..w * 64)
        .map(|d| match row_of(&plan.ingress_class_of, &ingress, d) {
            Some(r) => r,
            None if d < len => ones.words(),
            None => &zero,
        })
        .collect();
    // Rows padded the same way; the padding is cut off at the end.
    let mut bits = vec![0u64; w * 64 * w];
    transpose_into(&dest_rows, w, &mut bits);
    bits.truncate(len * w);
    // One pass: AND with the egress row, set the pod diagonal, count.
    let mut allowed = 0;
    for (s, row) in bits.chunks_exact_mut(w.max(1)).enumerate() {
        if let Some(eg) = row_of(&plan.egress_class_of, &egress, s) {
            for (a, b) in row.iter_mut().zip(eg) {
                *a &= b;
            }
        }
        if plan.pods.contains(s) {
            if let Some(word) = row.get_mut(s / 64) {
                *word |= 1u64 << (s % 64);
            }
        }
        allowed += row.iter().map(|x| x.count_ones() as usize).sum::<usize>();
    }
    Table { bits, allowed }
}
