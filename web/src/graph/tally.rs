//! Counting the core's allowed pairs between graph units, with word
//! operations on the matrix's row bitsets instead of pair-by-pair loops.
//!
//! A unit (a collapsed namespace, or one shown endpoint) is tallied in one
//! pass over its members' rows:
//!
//! - each member's rows (one per shown probe, loopback bit cleared) are ORed
//!   per probe into the unit's rows, so "which probes reach destination `j`
//!   from this unit" costs one OR per word, not one lookup per pair;
//! - their union is added into *bit-sliced counters* (plane `k` holds bit `k`
//!   of a per-destination counter), so counting costs `planes` word
//!   operations per 64 destinations, whatever the allowed-pair count.
//!
//! Then the destinations are read back run by run (consecutive endpoints in
//! one node, see [`runs`]) with popcounts. A 10,000-endpoint row is ~160
//! words, so a source costs ~160 × (probes + planes) word operations, and
//! reading a unit back costs one step per run: the whole namespace graph of
//! a 10,000-pod, 500-namespace cluster is O(N²/64 + units × runs), never
//! the 10⁸ pair lookups, even when `kubectl get -A` interleaves namespaces.

use netpol_core::matrix::Matrix;

/// Consecutive endpoints `start..end` drawn in node `unit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Run {
    pub start: usize,
    pub end: usize,
    pub unit: usize,
}

/// The runs of `endpoint_node` (endpoints with no node, `usize::MAX`, are
/// left out).
pub(super) fn runs(endpoint_node: &[usize]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (j, &unit) in endpoint_node.iter().enumerate() {
        if unit == usize::MAX {
            continue;
        }
        match out.last_mut() {
            Some(r) if r.unit == unit && r.end == j => r.end = j + 1,
            _ => out.push(Run { start: j, end: j + 1, unit }),
        }
    }
    out
}

/// What one unit reaches in one run of destinations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct RunHit {
    /// The destination unit.
    pub unit: usize,
    /// (source, destination) pairs allowed on at least one shown probe.
    pub pairs: u64,
    /// Bit `k` when the `k`-th shown probe allows some pair.
    pub probes: u64,
    /// A destination in the run that some member reaches.
    pub first: usize,
}

/// Accumulates one unit's rows; reused unit after unit.
pub(super) struct UnitTally {
    /// Matrix probe index of each distinct table among the shown probes:
    /// the matrix shares one table between probes every policy treats
    /// alike ([`Matrix::table_index`]), so each is read once.
    tables: Vec<usize>,
    /// For each shown probe, its position in `tables`.
    table_of: Vec<usize>,
    /// Per distinct table, the OR of the members' rows.
    rows: Vec<Vec<u64>>,
    /// Bit-sliced counters of the members' union rows.
    planes: Vec<Vec<u64>>,
    /// The union of `rows`.
    any: Vec<u64>,
    /// The intersection of `rows`: destinations every shown probe reaches.
    all: Vec<u64>,
    /// One member's union row (scratch).
    member: Vec<u64>,
    /// One member's row on one table (scratch).
    dense: Vec<u64>,
    words: usize,
}

impl UnitTally {
    /// Scratch space for the shown `probes` (matrix probe indices) over
    /// `len` endpoints.
    pub fn new(matrix: &Matrix, probes: &[usize], len: usize) -> Self {
        let words = len.div_ceil(64);
        let identity = |p: usize| matrix.table_index(p);
        let mut tables: Vec<usize> = Vec::new();
        let mut table_of = Vec::with_capacity(probes.len());
        for &p in probes {
            let same = tables.iter().position(|&t| identity(t).is_some() && identity(t) == identity(p));
            table_of.push(same.unwrap_or_else(|| {
                tables.push(p);
                tables.len() - 1
            }));
        }
        UnitTally {
            rows: vec![vec![0; words]; tables.len()],
            tables,
            table_of,
            planes: Vec::new(),
            any: vec![0; words],
            all: vec![0; words],
            member: vec![0; words],
            dense: Vec::with_capacity(words),
            words,
        }
    }

    /// For each shown probe, the first shown probe sharing its matrix
    /// table (itself when none before it does). The matrix shares a table
    /// only between probes that every rule treats alike (`netpol_core::matrix`),
    /// so such probes have the same verdict on every flow.
    pub fn alike(&self) -> Vec<usize> {
        self.table_of
            .iter()
            .enumerate()
            .map(|(k, &t)| self.table_of.iter().position(|&x| x == t).unwrap_or(k))
            .collect()
    }

    /// Starts a new unit.
    pub fn clear(&mut self) {
        for row in &mut self.rows {
            row.fill(0);
        }
        for plane in &mut self.planes {
            plane.fill(0);
        }
        self.any.fill(0);
    }

    /// Adds source endpoint `from`'s rows for the shown probes (matrix
    /// probe indices), without the diagonal: a pod's traffic to itself is
    /// not an edge (other members' pairs into `from` still count).
    pub fn add(&mut self, matrix: &Matrix, from: usize) {
        self.member.fill(0);
        let (w0, self_bit) = (from / 64, 1u64 << (from % 64));
        for (row, &p) in self.rows.iter_mut().zip(&self.tables) {
            if !matrix.row_words_into(p, from, &mut self.dense) || self.dense.len() != self.words {
                continue;
            }
            let words = &self.dense;
            // Whole words (vectorisable), then the diagonal's word redone
            // from its values before, without the self bit.
            let own = words.get(w0).copied().unwrap_or(0) & !self_bit;
            let (acc0, m0) = (row.get(w0).copied().unwrap_or(0), self.member.get(w0).copied().unwrap_or(0));
            for ((acc, m), &x) in row.iter_mut().zip(self.member.iter_mut()).zip(words) {
                *acc |= x;
                *m |= x;
            }
            if let (Some(acc), Some(m)) = (row.get_mut(w0), self.member.get_mut(w0)) {
                *acc = acc0 | own;
                *m = m0 | own;
            }
        }
        self.add_member_counts();
    }

    /// Adds `member` (a 0/1 row) to the bit-sliced counters: a ripple-carry
    /// add, one word op per plane, growing a plane when a carry is left.
    fn add_member_counts(&mut self) {
        for (w, &bits) in self.member.iter().enumerate() {
            if bits == 0 {
                continue;
            }
            if let Some(a) = self.any.get_mut(w) {
                *a |= bits;
            }
            let mut carry = bits;
            for plane in &mut self.planes {
                if carry == 0 {
                    break;
                }
                let Some(x) = plane.get_mut(w) else { break };
                let next = *x & carry;
                *x ^= carry;
                carry = next;
            }
            if carry != 0 {
                let mut plane = vec![0; self.words];
                if let Some(x) = plane.get_mut(w) {
                    *x = carry;
                }
                self.planes.push(plane);
            }
        }
    }

    /// Calls `f` for every run some member reaches, in run order (bit by
    /// bit when runs are short, as with interleaved namespaces: then a unit
    /// may be reported several times and callers add the counts up).
    pub fn each_run(&mut self, runs: &[Run], endpoint_node: &[usize], mut f: impl FnMut(RunHit)) {
        // Destinations every probe reaches need no per-probe check.
        let shown = self.table_of.len();
        let full = if shown >= 64 { u64::MAX } else { (1u64 << shown) - 1 };
        // Bit `t` of a per-table mask stands for every shown probe using
        // table `t`.
        let expand: Vec<u64> = (0..self.tables.len())
            .map(|t| self.table_of.iter().enumerate().filter(|&(_, &x)| x == t).fold(0u64, |m, (k, _)| m | 1 << k))
            .collect();
        let spread = |per_table: u64| {
            expand.iter().enumerate().filter(|&(t, _)| per_table >> t & 1 == 1).fold(0u64, |m, (_, &e)| m | e)
        };
        self.all.copy_from_slice(&self.any);
        for row in &self.rows {
            for (a, &w) in self.all.iter_mut().zip(row) {
                *a &= w;
            }
        }
        // Runs pay off when they average 8 endpoints or more.
        if runs.len().saturating_mul(8) > endpoint_node.len() {
            // Per word, the planes' and rows' words are read once into
            // registers-sized scratch, then each set bit is decoded.
            let mut plane_w = [0u64; 64];
            let mut row_w = [0u64; 64];
            let planes = self.planes.len().min(64);
            let probes = self.rows.len().min(64);
            for (w, &word) in self.any.iter().enumerate() {
                if word == 0 {
                    continue;
                }
                for (slot, p) in plane_w.iter_mut().zip(&self.planes) {
                    *slot = p.get(w).copied().unwrap_or(0);
                }
                for (slot, r) in row_w.iter_mut().zip(&self.rows) {
                    *slot = r.get(w).copied().unwrap_or(0);
                }
                let all = self.all.get(w).copied().unwrap_or(0);
                let mut bits = word;
                while bits != 0 {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let j = w * 64 + b;
                    let Some(&unit) = endpoint_node.get(j).filter(|&&u| u != usize::MAX) else {
                        continue;
                    };
                    let mut pairs = 0u64;
                    for (k, &p) in plane_w[..planes].iter().enumerate() {
                        pairs |= (p >> b & 1) << k;
                    }
                    let mask = if all >> b & 1 == 1 {
                        full
                    } else {
                        spread(row_w[..probes].iter().enumerate().fold(0u64, |m, (k, &r)| m | (r >> b & 1) << k))
                    };
                    f(RunHit { unit, pairs, probes: mask, first: j });
                }
            }
            return;
        }
        for r in runs {
            let Some(first) = first_in_range(&self.any, r.start, r.end) else {
                continue;
            };
            let pairs: u64 = self.planes.iter().enumerate().map(|(k, p)| count_range(p, r.start, r.end) << k).sum();
            let probes = if first_in_range(&self.all, r.start, r.end).is_some() {
                full
            } else {
                spread(
                    self.rows
                        .iter()
                        .enumerate()
                        .filter(|(_, row)| first_in_range(row, r.start, r.end).is_some())
                        .fold(0u64, |m, (k, _)| m | 1 << k),
                )
            };
            f(RunHit { unit: r.unit, pairs, probes, first });
        }
    }
}

/// Set bits of `words` in bit positions `start..end`.
fn count_range(words: &[u64], start: usize, end: usize) -> u64 {
    let mut total = 0u64;
    let mut at = start;
    while at < end {
        let (w, b) = (at / 64, at % 64);
        let take = (64 - b).min(end - at);
        let mask = if take == 64 { u64::MAX } else { ((1u64 << take) - 1) << b };
        total += u64::from((words.get(w).copied().unwrap_or(0) & mask).count_ones());
        at += take;
    }
    total
}

/// The first set bit of `words` in `start..end`.
fn first_in_range(words: &[u64], start: usize, end: usize) -> Option<usize> {
    let mut at = start;
    while at < end {
        let (w, b) = (at / 64, at % 64);
        let take = (64 - b).min(end - at);
        let mask = if take == 64 { u64::MAX } else { ((1u64 << take) - 1) << b };
        let hit = words.get(w).copied().unwrap_or(0) & mask;
        if hit != 0 {
            return Some(w * 64 + hit.trailing_zeros() as usize);
        }
        at += take;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_counts_cross_word_boundaries() {
        let words = [u64::MAX, 0b1011, 1 << 63];
        assert_eq!(count_range(&words, 0, 64), 64);
        assert_eq!(count_range(&words, 60, 68), 4 + 3);
        assert_eq!(count_range(&words, 65, 66), 1);
        assert_eq!(count_range(&words, 66, 191), 1);
        assert_eq!(count_range(&words, 66, 192), 2);
        assert_eq!(count_range(&words, 5, 5), 0);
        assert_eq!(first_in_range(&words, 64, 192), Some(64));
        assert_eq!(first_in_range(&words, 66, 192), Some(67));
        assert_eq!(first_in_range(&words, 68, 191), None);
        assert_eq!(first_in_range(&words, 68, 192), Some(191));
    }

    #[test]
    fn runs_group_consecutive_endpoints_of_one_node() {
        let r = runs(&[0, 0, 1, usize::MAX, 1, 0]);
        assert_eq!(
            r,
            [
                Run { start: 0, end: 2, unit: 0 },
                Run { start: 2, end: 3, unit: 1 },
                Run { start: 4, end: 5, unit: 1 },
                Run { start: 5, end: 6, unit: 0 },
            ]
        );
    }
}
