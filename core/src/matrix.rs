//! The fast whole-cluster evaluator: allow tables per probe, computed from
//! precomputed selector bitsets, never by evaluating pairs one by one, and
//! stored per *output class*, not per endpoint.
//!
//! Once per scenario (`build`, `plan`): every distinct pod and namespace
//! selector and every distinct ipBlock becomes an endpoint bitset (from an
//! inverted label index), every rule gets the set of endpoints its peer list
//! admits, and endpoints are grouped into subject classes (selected by the
//! same policies) and into output classes (`classes`: endpoints that no rule
//! of any tier can tell apart, by exact partition refinement over every peer
//! set). Every set is then compressed to one bit per output class.
//! Per probe (`probe`): rows per subject class, a blocked 64×64 bit
//! transpose to combine the destination's ingress with the source's egress,
//! giving a class × class table whose bit `(a, b)` is the verdict between
//! *different* members of `a` and `b`. Pod loopback (a pod may always reach
//! itself) is applied at lookup. Probes that every rule treats alike (same
//! port matches, same named-port resolutions) share one table.
//!
//! [`MatrixJob`] runs the same computation in bounded steps, plan included
//! (a page keeps handling input between them); [`matrix`] is a job run to
//! the end. With Admin-tier cluster policies, a second bit table records the
//! pairs an Admin `Deny` decided ([`Matrix::admin_denied`]).
//!
//! The result equals [`crate::eval::is_allowed`] on every pair (property
//! test `core/tests/prop_matrix.rs`, which also checks the class queries):
//! same semantics, including host-network exemption and pod loopback
//! (workload endpoints' diagonal is replica-to-replica traffic and follows
//! policy).
//!
//! Cost and limits (figures in `BENCHMARKS.md`): with `N` endpoints, `C`
//! output classes, `S` rule peer sets: the plan holds `S` bitsets over `N`
//! while it is built (`S·N/8` bytes: 6,000 sets at 150,000 pods ≈ 110 MB),
//! refinement reads `S·N/64` words plus each set's smaller side, then the
//! sets shrink to `C` bits. Per distinct table: `C²/8` bytes and one pass of
//! 64×64 transposes (the `netpol gen` cluster: `C` = 1,492 at 10,000 pods,
//! 10,164 at 150,000, so 12.9 MB per table instead of a dense 2.8 GB).
//! Nothing is `O(N²)`: endpoint queries read the class of each end; a dense
//! endpoint row ([`Matrix::row_words_into`]) costs one step per allowed
//! destination. The limit is `C`: a cluster whose pods all differ to the
//! policies (unique labels every selector names) has `C = N` and needs the
//! dense table again. `cargo run --release -p netpol-core --example
//! profile_150k` times the largest size.

pub(crate) mod bitset;
mod build;
mod classes;
mod job;
mod plan;
mod probe;
pub(crate) mod select;
mod tiers;

use alloc::vec::Vec;

use self::bitset::BitSet;
use self::classes::OutputClasses;
use crate::model::{Probe, Scenario};

pub use self::job::MatrixJob;

/// Allow tables for a scenario's endpoints (indices as in
/// [`Scenario::endpoints`]) on a list of probes.
///
/// Stored per *output class*: endpoints that no policy can tell apart (same
/// selecting policies, same membership in every rule's peers, same kind,
/// host-network flag and, when a rule names a port, named ports). Every
/// endpoint-level query is answered from its endpoints' classes; the class
/// queries ([`Matrix::class_allowed`], [`Matrix::class_pair_count`], …) let
/// callers work on classes directly, which is what makes a 150,000-pod
/// cluster fit (a dense table would need 2.8 GB).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    probes: Vec<Probe>,
    /// Endpoints.
    len: usize,
    classes: OutputClasses,
    /// Output classes of pods (whose traffic to themselves is always
    /// allowed); the others are workloads.
    pods: BitSet,
    /// Words per class row.
    words: usize,
    /// Distinct tables over output classes, row-major by source class,
    /// `words` words per row: bit `(a, b)` is the verdict from a member of
    /// `a` to a different member of `b` (no loopback).
    tables: Vec<Vec<u64>>,
    /// Allowed endpoint pairs in each table (loopback included).
    counts: Vec<u64>,
    /// Per table, the class pairs an Admin-tier `Deny` decided, same layout
    /// as `tables`; empty when the scenario has no Admin-tier `Deny` rule.
    admin: Vec<Vec<u64>>,
    /// Which table each probe uses.
    table_of: Vec<usize>,
    /// Per output class.
    isolated_ingress: Vec<bool>,
    isolated_egress: Vec<bool>,
}

/// Bit `(a, b)` of a class table.
fn bit(table: &[u64], words: usize, a: usize, b: usize) -> bool {
    table.get(a * words + b / 64).is_some_and(|w| w >> (b % 64) & 1 == 1)
}

impl Matrix {
    /// The probes, in the order given to [`matrix`].
    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    /// The number of endpoints (rows and columns).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no endpoints.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn table(&self, probe: usize) -> Option<&[u64]> {
        self.table_of.get(probe).and_then(|&t| self.tables.get(t)).map(Vec::as_slice)
    }

    fn admin_table(&self, probe: usize) -> Option<&[u64]> {
        self.table_of.get(probe).and_then(|&t| self.admin.get(t)).map(Vec::as_slice)
    }

    /// Which distinct table probe `probe` uses: probes with the same index
    /// have the same verdict on every pair (every rule treats them alike).
    /// `None` for an out-of-range or not computed probe.
    pub fn table_index(&self, probe: usize) -> Option<usize> {
        self.table_of.get(probe).copied().filter(|&t| t < self.tables.len())
    }

    /// Whether endpoint `from` is a pod whose class is known: its traffic
    /// to itself is always allowed.
    fn pod_loopback(&self, from: usize, to: usize) -> bool {
        from == to && self.class_of(from).is_some_and(|c| self.pods.contains(c))
    }

    /// Whether endpoint `from` may open a connection to endpoint `to` on
    /// probe number `probe` (false for out-of-range indices).
    pub fn allowed(&self, probe: usize, from: usize, to: usize) -> bool {
        let (Some(a), Some(b), Some(t)) = (self.class_of(from), self.class_of(to), self.table(probe)) else {
            return false;
        };
        self.pod_loopback(from, to) || bit(t, self.words, a, b)
    }

    /// Whether an Admin-tier cluster policy's `Deny` rule decided that
    /// `from` may not reach `to` on probe `probe` (on the source's egress or
    /// the destination's ingress), as [`crate::eval::evaluate`]'s tier chain
    /// records it. Such pairs are never allowed; a pod's traffic to itself is
    /// exempt from every tier, so never admin-denied. False for out-of-range
    /// indices and whenever the scenario has no Admin-tier `Deny` rule.
    pub fn admin_denied(&self, probe: usize, from: usize, to: usize) -> bool {
        let (Some(a), Some(b), Some(t)) = (self.class_of(from), self.class_of(to), self.admin_table(probe)) else {
            return false;
        };
        !self.pod_loopback(from, to) && bit(t, self.words, a, b)
    }

    /// Fills `out` with row `from` of probe `probe` as bits over endpoints
    /// (bit `to % 64` of word `to / 64`, `len().div_ceil(64)` words, bits
    /// past [`Matrix::len`] zero), for consumers that count or scan with
    /// word operations. The row is expanded from the class row (the matrix
    /// stores no endpoint rows), costing one step per allowed destination.
    /// Returns false (and leaves `out` empty) for out-of-range indices.
    pub fn row_words_into(&self, probe: usize, from: usize, out: &mut Vec<u64>) -> bool {
        out.clear();
        let (Some(a), Some(t)) = (self.class_of(from), self.table(probe)) else { return false };
        out.resize(self.len.div_ceil(64), 0);
        let row = t.get(a * self.words..(a + 1) * self.words).unwrap_or(&[]);
        for (wi, &word) in row.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let b = wi * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for &m in self.class_members(b) {
                    if let Some(x) = out.get_mut(m as usize / 64) {
                        *x |= 1u64 << (m % 64);
                    }
                }
            }
        }
        if self.pod_loopback(from, from) {
            if let Some(x) = out.get_mut(from / 64) {
                *x |= 1u64 << (from % 64);
            }
        }
        true
    }

    /// Row `from` of probe `probe`: for each destination, whether it is
    /// allowed. Empty for out-of-range indices.
    pub fn row(&self, probe: usize, from: usize) -> impl Iterator<Item = bool> + '_ {
        let len = if from < self.len && self.table(probe).is_some() { self.len } else { 0 };
        (0..len).map(move |to| self.allowed(probe, from, to))
    }

    /// The number of allowed (from, to) endpoint pairs on probe `probe`
    /// (saturating at `usize::MAX` on 32-bit targets: 150,000 endpoints
    /// have 2.25 × 10¹⁰ pairs; [`Matrix::class_pair_count`] sums in `u64`).
    pub fn allowed_count(&self, probe: usize) -> usize {
        let n = self.table_of.get(probe).and_then(|&t| self.counts.get(t)).copied().unwrap_or(0);
        usize::try_from(n).unwrap_or(usize::MAX)
    }

    /// Whether some policy isolates `endpoint` for ingress (never for
    /// host-network endpoints).
    pub fn isolated_ingress(&self, endpoint: usize) -> bool {
        self.class_of(endpoint).and_then(|c| self.isolated_ingress.get(c)).copied().unwrap_or(false)
    }

    /// Whether some policy isolates `endpoint` for egress (never for
    /// host-network endpoints).
    pub fn isolated_egress(&self, endpoint: usize) -> bool {
        self.class_of(endpoint).and_then(|c| self.isolated_egress.get(c)).copied().unwrap_or(false)
    }

    /// The number of output classes: groups of endpoints that every rule of
    /// every policy treats alike, as source and as destination. Usually far
    /// fewer than endpoints (replicas of one workload share a class).
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// The output class of `endpoint` (`None` when out of range).
    pub fn class_of(&self, endpoint: usize) -> Option<usize> {
        self.classes.class_of.get(endpoint).map(|&c| c as usize)
    }

    /// The endpoints of class `class`, ascending (empty when out of range).
    /// Classes are numbered by their smallest member.
    pub fn class_members(&self, class: usize) -> &[u32] {
        self.classes.members(class)
    }

    /// Whether the members of class `from_class` may reach the members of
    /// class `to_class` on probe `probe`: the policy verdict between two
    /// *different* endpoints. On the diagonal (`from_class == to_class`) it
    /// says whether distinct members reach each other; a pod reaching
    /// itself is always allowed whatever this says, while a workload
    /// endpoint's own pair (replica to replica) follows it. False for
    /// out-of-range indices.
    pub fn class_allowed(&self, probe: usize, from_class: usize, to_class: usize) -> bool {
        from_class < self.class_count()
            && to_class < self.class_count()
            && self.table(probe).is_some_and(|t| bit(t, self.words, from_class, to_class))
    }

    /// Row `from_class` of probe `probe`'s class table as words: bit
    /// `b % 64` of word `b / 64` is [`Matrix::class_allowed`]`(probe,
    /// from_class, b)`; `class_count().div_ceil(64)` words, bits past
    /// [`Matrix::class_count`] zero. For consumers that scan class pairs
    /// with word operations (the page's namespace graph at 150,000 pods).
    /// Empty for out-of-range indices.
    pub fn class_row_words(&self, probe: usize, from_class: usize) -> &[u64] {
        if from_class >= self.class_count() {
            return &[];
        }
        self.table(probe).and_then(|t| t.get(from_class * self.words..(from_class + 1) * self.words)).unwrap_or(&[])
    }

    /// Whether an Admin-tier `Deny` decided the verdict between different
    /// members of the two classes (see [`Matrix::admin_denied`]; a pod's
    /// traffic to itself is exempt whatever this says).
    pub fn class_admin_denied(&self, probe: usize, from_class: usize, to_class: usize) -> bool {
        from_class < self.class_count()
            && to_class < self.class_count()
            && self.admin_table(probe).is_some_and(|t| bit(t, self.words, from_class, to_class))
    }

    /// The exact number of allowed (from, to) endpoint pairs with `from`
    /// in `from_class` and `to` in `to_class`, the diagonal included: for two
    /// classes `|a|·|b|` or 0; for one class `c`, `|c|²` when distinct
    /// members may talk, else its self pairs of pods (`|c|` for a pod class,
    /// 0 for workloads). Summed over all class pairs it is
    /// [`Matrix::allowed_count`].
    pub fn class_pair_count(&self, probe: usize, from_class: usize, to_class: usize) -> u64 {
        let (a, b) = (self.class_members(from_class).len() as u64, self.class_members(to_class).len() as u64);
        if self.class_allowed(probe, from_class, to_class) {
            a * b
        } else if from_class == to_class && self.pods.contains(from_class) && self.table(probe).is_some() {
            a
        } else {
            0
        }
    }
}

/// Computes the allow table of every endpoint pair for each probe.
pub fn matrix(scenario: &Scenario, probes: &[Probe]) -> Matrix {
    MatrixJob::new(scenario, probes).complete(scenario)
}

#[cfg(test)]
mod tests;
