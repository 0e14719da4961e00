//! Counting the core's allowed pairs between graph units from the matrix's
//! endpoint classes, never pair by pair.
//!
//! The matrix groups endpoints that every rule treats alike into classes
//! and decides class pairs (`Matrix::class_allowed`: the verdict between
//! two *different* endpoints of the two classes). A unit (a collapsed
//! namespace or one shown endpoint) holds some members of some classes, so
//! the allowed pairs from unit `U` to unit `V` are
//!
//! Σ over class pairs (a, b) allowed on some shown probe of
//! `|a ∩ U| · |b ∩ V|`, minus, when `a = b` and `U = V`, the `|a ∩ U|`
//! pairs of an endpoint with itself (its loopback is not an edge).
//!
//! That is exact, and costs one pass over the endpoints (per-class unit
//! histograms) plus one verdict per class pair and distinct table, plus one
//! step per (class pair, unit pair) that is allowed: O(classes² +
//! endpoints + allowed unit pairs) whatever the endpoint count (150,000
//! pods are a few thousand classes), where endpoint rows would cost
//! O(endpoints²).

use std::collections::BTreeMap;

use netpol_core::matrix::Matrix;

/// For each shown probe (matrix probe indices), the first shown probe with
/// the same matrix table (itself when none before it has). The matrix
/// shares a table only between probes every rule treats alike, so they
/// have the same verdict on every flow.
pub(super) fn alike(matrix: &Matrix, probes: &[usize]) -> Vec<usize> {
    probes
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let t = matrix.table_index(p);
            probes.iter().position(|&q| t.is_some() && matrix.table_index(q) == t).unwrap_or(k)
        })
        .collect()
}

/// Allowed pairs from one unit to another (or inside one, `from == to`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct UnitPair {
    pub from: usize,
    pub to: usize,
    /// Endpoint pairs (source ≠ destination) allowed on some shown probe.
    pub pairs: u64,
    /// Bit `k` when the `k`-th shown probe allows some of them.
    pub probes: u64,
    /// One allowed endpoint pair (`from` ≠ `to` endpoints); meaningless for
    /// a unit's pairs inside itself.
    pub example: (usize, usize),
}

/// One class's members in one unit.
#[derive(Clone, Copy)]
struct Share {
    unit: usize,
    count: u64,
    first: usize,
}

/// Every unit pair with an allowed endpoint pair, sorted by `(from, to)`.
/// `endpoint_node[i]` is endpoint `i`'s unit (`usize::MAX`: not drawn);
/// `probes` are matrix probe indices (at most 64).
pub(super) fn unit_pairs(matrix: &Matrix, probes: &[usize], endpoint_node: &[usize]) -> Vec<UnitPair> {
    // Distinct tables among the shown probes, each with the mask of the
    // shown probes using it.
    let mut tables: Vec<(usize, u64)> = Vec::new();
    for (k, &p) in probes.iter().enumerate().take(64) {
        let Some(t) = matrix.table_index(p) else { continue };
        match tables.iter_mut().find(|(q, _)| matrix.table_index(*q) == Some(t)) {
            Some((_, mask)) => *mask |= 1 << k,
            None => tables.push((p, 1 << k)),
        }
    }
    // Per class, its members per unit (one pass over the members).
    let classes = matrix.class_count();
    let mut shares: Vec<Vec<Share>> = vec![Vec::new(); classes];
    let mut slot: BTreeMap<usize, usize> = BTreeMap::new();
    for (c, list) in shares.iter_mut().enumerate() {
        slot.clear();
        for &m in matrix.class_members(c) {
            let i = m as usize;
            let Some(&unit) = endpoint_node.get(i).filter(|&&u| u != usize::MAX) else { continue };
            match slot.get(&unit) {
                Some(&at) => {
                    if let Some(s) = list.get_mut(at) {
                        s.count += 1;
                    }
                }
                None => {
                    slot.insert(unit, list.len());
                    list.push(Share { unit, count: 1, first: i });
                }
            }
        }
    }
    let active: Vec<usize> = (0..classes).filter(|&c| !shares[c].is_empty()).collect();
    let mut acc: BTreeMap<(usize, usize), UnitPair> = BTreeMap::new();
    for &a in &active {
        for &b in &active {
            let mask = tables.iter().filter(|&&(p, _)| matrix.class_allowed(p, a, b)).fold(0u64, |m, &(_, e)| m | e);
            if mask == 0 {
                continue;
            }
            for sa in &shares[a] {
                for sb in &shares[b] {
                    let pairs =
                        if a == b && sa.unit == sb.unit { sa.count * (sa.count - 1) } else { sa.count * sb.count };
                    if pairs == 0 {
                        continue;
                    }
                    let e = acc.entry((sa.unit, sb.unit)).or_insert(UnitPair {
                        from: sa.unit,
                        to: sb.unit,
                        pairs: 0,
                        probes: 0,
                        example: (sa.first, sb.first),
                    });
                    e.pairs += pairs;
                    e.probes |= mask;
                }
            }
        }
    }
    acc.into_values().collect()
}
