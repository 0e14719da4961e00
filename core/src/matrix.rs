//! The fast whole-cluster evaluator: endpoint × endpoint allow tables per
//! probe, computed from precomputed selector bitsets, never by evaluating
//! pairs one by one.
//!
//! Once per scenario (`plan`): every distinct pod and namespace selector
//! and every distinct ipBlock becomes an endpoint bitset (from an inverted
//! label index), every rule gets the set of endpoints its peer list admits,
//! and endpoints are grouped into classes selected by the same policies.
//! Per probe (`probe`): rows per class, a blocked 64×64 bit transpose to
//! combine the destination's ingress with the source's egress, and the pod
//! diagonal. Probes that every rule treats alike (same port matches, same
//! named-port resolutions) share one table.
//!
//! [`MatrixJob`] runs the same computation in bounded steps (a page keeps
//! handling input between them); [`matrix`] is a job run in one step. With
//! Admin-tier cluster policies, a second bit table records the pairs an
//! Admin `Deny` decided ([`Matrix::admin_denied`]).
//!
//! The result equals [`crate::eval::is_allowed`] on every pair (property
//! test `core/tests/prop_matrix.rs`): same semantics, including host-network
//! exemption and pod loopback (workload endpoints' diagonal is
//! replica-to-replica traffic and follows policy).
//!
//! Cost and limits: per distinct table, `N²/8` bytes of output (12.5 MB at
//! 10,000 endpoints) and one pass of 64×64 transposes over it; rows are
//! computed per endpoint class, so the policy work scales with classes, not
//! endpoints. The dense output is the limit: at 150,000 endpoints a table
//! would need 2.8 GB, so that size needs class-level output (issue 5), which
//! this module does not provide yet. `cargo run --release -p netpol-core
//! --example matrix_10k` times the issue-5 cluster size.

pub(crate) mod bitset;
mod job;
mod plan;
mod probe;
pub(crate) mod select;
mod tiers;

use alloc::vec::Vec;

use crate::model::{Probe, Scenario};

pub use self::job::MatrixJob;

/// Allow tables for a scenario's endpoints (indices as in
/// [`Scenario::endpoints`]) on a list of probes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    probes: Vec<Probe>,
    len: usize,
    words: usize,
    /// Distinct tables, row-major by source, `words` words per row.
    tables: Vec<Vec<u64>>,
    /// Allowed pairs in each table.
    counts: Vec<usize>,
    /// Per table, the pairs an Admin-tier `Deny` decided, same layout as
    /// `tables`; empty when the scenario has no Admin-tier `Deny` rule.
    admin: Vec<Vec<u64>>,
    /// Which table each probe uses.
    table_of: Vec<usize>,
    isolated_ingress: Vec<bool>,
    isolated_egress: Vec<bool>,
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

    /// Whether endpoint `from` may open a connection to endpoint `to` on
    /// probe number `probe` (false for out-of-range indices).
    pub fn allowed(&self, probe: usize, from: usize, to: usize) -> bool {
        if from >= self.len || to >= self.len {
            return false;
        }
        let word = self.table(probe).and_then(|t| t.get(from * self.words + to / 64));
        word.is_some_and(|w| w >> (to % 64) & 1 == 1)
    }

    /// Whether an Admin-tier cluster policy's `Deny` rule decided that
    /// `from` may not reach `to` on probe `probe` (on the source's egress or
    /// the destination's ingress), as [`crate::eval::evaluate`]'s tier chain
    /// records it. Such pairs are never allowed; a pod's traffic to itself is
    /// exempt from every tier, so never admin-denied. False for out-of-range
    /// indices and whenever the scenario has no Admin-tier `Deny` rule.
    pub fn admin_denied(&self, probe: usize, from: usize, to: usize) -> bool {
        if from >= self.len || to >= self.len {
            return false;
        }
        let table = self.table_of.get(probe).and_then(|&t| self.admin.get(t));
        let word = table.and_then(|t| t.get(from * self.words + to / 64));
        word.is_some_and(|w| w >> (to % 64) & 1 == 1)
    }

    /// Row `from` of probe `probe` as bits (bit `to % 64` of word `to / 64`;
    /// bits past [`Matrix::len`] are zero), for consumers that want to count
    /// or scan fast. `None` for out-of-range indices.
    pub fn row_words(&self, probe: usize, from: usize) -> Option<&[u64]> {
        if from >= self.len {
            return None;
        }
        self.table(probe)?.get(from * self.words..(from + 1) * self.words)
    }

    /// Row `from` of probe `probe`: for each destination, whether it is
    /// allowed. Empty for out-of-range indices.
    pub fn row(&self, probe: usize, from: usize) -> impl Iterator<Item = bool> + '_ {
        let words = self.row_words(probe, from).unwrap_or(&[]);
        let len = if words.is_empty() { 0 } else { self.len };
        (0..len).map(move |to| words.get(to / 64).is_some_and(|w| w >> (to % 64) & 1 == 1))
    }

    /// The number of allowed (from, to) pairs on probe `probe`.
    pub fn allowed_count(&self, probe: usize) -> usize {
        self.table_of.get(probe).and_then(|&t| self.counts.get(t)).copied().unwrap_or(0)
    }

    /// Whether some policy isolates `endpoint` for ingress (never for
    /// host-network endpoints).
    pub fn isolated_ingress(&self, endpoint: usize) -> bool {
        self.isolated_ingress.get(endpoint).copied().unwrap_or(false)
    }

    /// Whether some policy isolates `endpoint` for egress (never for
    /// host-network endpoints).
    pub fn isolated_egress(&self, endpoint: usize) -> bool {
        self.isolated_egress.get(endpoint).copied().unwrap_or(false)
    }
}

/// Computes the allow table of every endpoint pair for each probe.
pub fn matrix(scenario: &Scenario, probes: &[Probe]) -> Matrix {
    MatrixJob::new(scenario, probes).complete(scenario)
}

#[cfg(test)]
mod tests;
