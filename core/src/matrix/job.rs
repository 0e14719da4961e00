//! [`MatrixJob`]: the matrix computed in bounded steps, so a page can keep
//! handling input between them (issue 5: "typing never stalls").
//!
//! The job owns everything it has computed (the plan, the probe signatures,
//! the class rows, the tables so far) and borrows the scenario only during a
//! call. Work is counted in rows: one class row, or one source row of one
//! distinct table (source rows go 64 at a time, one bit-transpose block).
//! [`super::matrix`] is a job run in one step, so the two cannot differ.

use alloc::vec;
use alloc::vec::Vec;

use super::bitset::{words_for, BitSet};
use super::plan::Plan;
use super::probe::{self, row_of, transpose_into, Signature};
use super::tiers::TieredRow;
use super::Matrix;
use crate::model::{Probe, Scenario};

/// A finished distinct table.
pub(crate) struct Table {
    pub(crate) bits: Vec<u64>,
    /// Admin-tier denials, same layout; empty when the scenario has no
    /// Admin-tier `Deny` rule.
    pub(crate) admin: Vec<u64>,
    pub(crate) allowed: usize,
}

/// The table being computed.
struct Work {
    ingress: Vec<TieredRow>,
    egress: Vec<TieredRow>,
    bits: Vec<u64>,
    admin: Vec<u64>,
    /// The next block of 64 source rows to fill.
    next_block: usize,
    allowed: usize,
}

/// A matrix computation that can be advanced a bounded amount at a time.
pub struct MatrixJob {
    probes: Vec<Probe>,
    plan: Plan,
    /// The distinct signatures, in first-use order; `tables` is parallel.
    signatures: Vec<Signature>,
    table_of: Vec<usize>,
    tables: Vec<Table>,
    current: Option<Work>,
}

impl MatrixJob {
    /// Plans the computation: selector bitsets, endpoint classes, and which
    /// probes share a table. No table is computed yet.
    pub fn new(scenario: &Scenario, probes: &[Probe]) -> Self {
        let plan = Plan::new(scenario);
        let mut signatures: Vec<Signature> = Vec::new();
        let mut table_of = Vec::with_capacity(probes.len());
        for &p in probes {
            let sig = probe::signature(&plan, scenario, p);
            let index = match signatures.iter().position(|s| *s == sig) {
                Some(i) => i,
                None => {
                    signatures.push(sig);
                    signatures.len() - 1
                }
            };
            table_of.push(index);
        }
        MatrixJob { probes: probes.to_vec(), plan, signatures, table_of, tables: Vec::new(), current: None }
    }

    /// Whether every table is computed.
    pub fn is_done(&self) -> bool {
        self.tables.len() >= self.signatures.len()
    }

    /// Rows of work left, roughly (class rows and source rows of the tables
    /// not finished), for a progress display.
    pub fn remaining(&self) -> usize {
        let per_table = self.plan.ingress_classes.len() + self.plan.egress_classes.len() + self.plan.len;
        let left = self.signatures.len().saturating_sub(self.tables.len()) * per_table;
        let done_in_current = self
            .current
            .as_ref()
            .map_or(0, |w| w.ingress.len() + w.egress.len() + (w.next_block * 64).min(self.plan.len));
        left.saturating_sub(done_in_current)
    }

    /// Does roughly `work` rows of work (at least one unit); returns true
    /// when the whole matrix is computed. `scenario` must be the one given
    /// to [`MatrixJob::new`], unchanged.
    pub fn step(&mut self, scenario: &Scenario, work: usize) -> bool {
        let mut budget = work.max(1);
        while budget > 0 && !self.is_done() {
            let t = self.tables.len();
            let Some(sig) = self.signatures.get(t) else { break };
            let plan = &self.plan;
            let w = words_for(plan.len);
            let cur = self.current.get_or_insert_with(|| Work {
                ingress: Vec::with_capacity(plan.ingress_classes.len()),
                egress: Vec::with_capacity(plan.egress_classes.len()),
                bits: vec![0u64; plan.len * w],
                admin: if plan.cluster.admin_deny { vec![0u64; plan.len * w] } else { Vec::new() },
                next_block: 0,
                allowed: 0,
            });
            if let Some(class) = plan.ingress_classes.get(cur.ingress.len()) {
                cur.ingress.push(probe::ingress_row(plan, scenario, sig, class));
                budget -= 1;
            } else if let Some(class) = plan.egress_classes.get(cur.egress.len()) {
                cur.egress.push(probe::egress_row(plan, scenario, sig, class));
                budget -= 1;
            } else if cur.next_block < w {
                let blocks = budget.div_ceil(64).min(w - cur.next_block);
                fill_blocks(plan, cur, cur.next_block..cur.next_block + blocks);
                cur.next_block += blocks;
                budget = budget.saturating_sub(blocks * 64);
            } else if let Some(done) = self.current.take() {
                self.tables.push(Table { bits: done.bits, admin: done.admin, allowed: done.allowed });
            }
        }
        self.is_done()
    }

    /// Runs the job to the end and returns the matrix: always equal to
    /// [`super::matrix`] of the same scenario and probes.
    pub fn complete(mut self, scenario: &Scenario) -> Matrix {
        self.step(scenario, usize::MAX);
        self.finish()
    }

    /// The computed matrix, once [`MatrixJob::step`] has returned true
    /// (then equal to [`super::matrix`]). Tables not computed yet are left
    /// out: their probes allow nothing and count zero, so a caller that
    /// cannot tell whether the job is done should use
    /// [`MatrixJob::complete`].
    pub fn finish(mut self) -> Matrix {
        let plan = &self.plan;
        Matrix {
            probes: self.probes,
            len: plan.len,
            words: words_for(plan.len),
            counts: self.tables.iter().map(|t| t.allowed).collect(),
            admin: self.tables.iter_mut().map(|t| core::mem::take(&mut t.admin)).collect(),
            tables: self.tables.into_iter().map(|t| t.bits).collect(),
            table_of: self.table_of,
            isolated_ingress: plan.ingress_class_of.iter().map(|&c| plan.isolated(&plan.ingress_classes, c)).collect(),
            isolated_egress: plan.egress_class_of.iter().map(|&c| plan.isolated(&plan.egress_classes, c)).collect(),
        }
    }
}

/// Fills source blocks `blocks` of the current table:
/// `allowed[s][d] = egress[class(s)][d] & ingress[class(d)][s]` by
/// transposing the ingress rows, then the pod diagonal and the count; and the
/// admin-denied table the same way with `|`.
fn fill_blocks(plan: &Plan, cur: &mut Work, blocks: core::ops::Range<usize>) {
    let len = plan.len;
    let w = words_for(len);
    let ones = BitSet::ones(len);
    let zero = vec![0u64; w];
    let allowed_rows: Vec<&BitSet> = cur.ingress.iter().map(|r| &r.allowed).collect();
    let egress_rows: Vec<&BitSet> = cur.egress.iter().map(|r| &r.allowed).collect();
    // Allowed sources of each destination, by reference (no copy per row),
    // padded with empty rows to a multiple of 64 so every block is full.
    let dest_rows: Vec<&[u64]> = (0..w * 64)
        .map(|d| match row_of(&plan.ingress_class_of, &allowed_rows, d) {
            Some(r) => r,
            None if d < len => ones.words(),
            None => &zero,
        })
        .collect();
    transpose_into(&dest_rows, w, blocks.clone(), &mut cur.bits);
    let first = blocks.start * 64;
    let last = (blocks.end * 64).min(len);
    for s in first..last {
        let Some(row) = cur.bits.get_mut(s * w..(s + 1) * w) else { break };
        if let Some(eg) = row_of(&plan.egress_class_of, &egress_rows, s) {
            for (a, b) in row.iter_mut().zip(eg) {
                *a &= b;
            }
        }
        if plan.pods.contains(s) {
            if let Some(word) = row.get_mut(s / 64) {
                *word |= 1u64 << (s % 64);
            }
        }
        cur.allowed += row.iter().map(|x| x.count_ones() as usize).sum::<usize>();
    }
    if cur.admin.is_empty() {
        return;
    }
    let denied_in: Vec<&BitSet> = cur.ingress.iter().map(|r| &r.admin_denied).collect();
    let denied_out: Vec<&BitSet> = cur.egress.iter().map(|r| &r.admin_denied).collect();
    let dest_rows: Vec<&[u64]> = (0..w * 64)
        .map(|d| match row_of(&plan.ingress_class_of, &denied_in, d) {
            Some(r) if !r.is_empty() => r,
            _ => &zero,
        })
        .collect();
    transpose_into(&dest_rows, w, blocks, &mut cur.admin);
    for s in first..last {
        let Some(row) = cur.admin.get_mut(s * w..(s + 1) * w) else { break };
        if let Some(eg) = row_of(&plan.egress_class_of, &denied_out, s) {
            for (a, b) in row.iter_mut().zip(eg) {
                *a |= b;
            }
        }
        // A pod's traffic to itself is exempt from every tier.
        if plan.pods.contains(s) {
            if let Some(word) = row.get_mut(s / 64) {
                *word &= !(1u64 << (s % 64));
            }
        }
    }
}
