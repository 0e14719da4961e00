//! Counting a matrix row's allowed destinations per graph unit, fast.
//!
//! Endpoints of one namespace usually have consecutive indices (`kubectl
//! get -A` lists them namespace by namespace), so a row is cut into *runs*
//! of consecutive endpoints drawn in the same node, and each run is counted
//! with word popcounts instead of bit by bit. A 10,000-endpoint row in 500
//! namespaces is then ~160 words and ~500 runs, not 10,000 lookups. When
//! runs are short (interleaved input, the pod view) the row's set bits are
//! visited instead, so the cost follows the allowed pairs.

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

/// One source's rows for the shown probes, loopback bit cleared, plus their
/// union.
pub(super) struct RowTally {
    rows: Vec<Vec<u64>>,
    any: Vec<u64>,
}

impl RowTally {
    /// Scratch space for `probes` rows of `len` endpoints.
    pub fn new(probes: usize, len: usize) -> Self {
        let words = len.div_ceil(64);
        RowTally { rows: vec![vec![0; words]; probes], any: vec![0; words] }
    }

    /// Loads row `from` of each probe index in `probes` (as many as `new`
    /// was given), without the diagonal: a pod's traffic to itself is not
    /// an edge.
    pub fn load(&mut self, matrix: &Matrix, probes: &[usize], from: usize) {
        self.any.fill(0);
        for (row, &p) in self.rows.iter_mut().zip(probes) {
            match matrix.row_words(p, from) {
                Some(words) if words.len() == row.len() => row.copy_from_slice(words),
                _ => row.fill(0),
            }
            if let Some(w) = row.get_mut(from / 64) {
                *w &= !(1u64 << (from % 64));
            }
            for (a, w) in self.any.iter_mut().zip(row.iter()) {
                *a |= w;
            }
        }
    }

    /// Calls `f(unit, allowed, probe_mask, an_allowed_destination)` for
    /// the allowed destinations of the loaded row, grouped per run when runs
    /// are long (namespace-ordered input) and bit by bit otherwise (then a
    /// unit may be reported several times; callers add the counts up).
    pub fn each_run(&self, runs: &[Run], endpoint_node: &[usize], mut f: impl FnMut(usize, u64, u64, usize)) {
        // Runs pay off when they average 8 endpoints or more; interleaved
        // input would make every run one endpoint long.
        if runs.len().saturating_mul(8) > endpoint_node.len() {
            for (w, &word) in self.any.iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let j = w * 64 + b;
                    let Some(&unit) = endpoint_node.get(j) else {
                        continue;
                    };
                    let mut mask = 0u64;
                    for (k, row) in self.rows.iter().enumerate() {
                        if row.get(w).is_some_and(|x| x >> b & 1 == 1) {
                            mask |= 1 << k;
                        }
                    }
                    f(unit, 1, mask, j);
                }
            }
            return;
        }
        for r in runs {
            let count = count_range(&self.any, r.start, r.end);
            if count == 0 {
                continue;
            }
            let mut mask = 0u64;
            for (k, row) in self.rows.iter().enumerate() {
                if count_range(row, r.start, r.end) > 0 {
                    mask |= 1 << k;
                }
            }
            let first = first_in_range(&self.any, r.start, r.end).unwrap_or(r.start);
            f(r.unit, count, mask, first);
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
