//! [`MatrixJob`]: the matrix computed in bounded steps, so a page can keep
//! handling input between them (issue 5: "typing never stalls").
//!
//! The job owns everything it has computed (the plan being built, the probe
//! signatures, the class rows, the tables so far) and borrows the scenario
//! only during a call. Work is counted in rows: one plan unit (one policy,
//! one peer set refined or compressed; the few whole-scenario units end a
//! step), one subject-class row, or one source row of one distinct table
//! (source rows go 64 at a time, one bit-transpose block). Tables are over
//! output classes ([`super::classes`]), so rows are class rows.
//! [`super::matrix`] is a job run in one step, so the two cannot differ.

use alloc::vec;
use alloc::vec::Vec;

use super::bitset::{words_for, BitSet};
use super::build::PlanBuilder;
use super::classes::OutputClasses;
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
    /// Allowed endpoint pairs (pod loopback included).
    pub(crate) allowed: u64,
}

/// The table being computed.
struct Work {
    ingress: Vec<TieredRow>,
    egress: Vec<TieredRow>,
    bits: Vec<u64>,
    admin: Vec<u64>,
    /// The next block of 64 source rows to fill.
    next_block: usize,
    allowed: u64,
}

/// A matrix computation that can be advanced a bounded amount at a time.
pub struct MatrixJob {
    probes: Vec<Probe>,
    /// Endpoints in the scenario.
    endpoints: usize,
    /// Until the plan is built.
    builder: Option<PlanBuilder>,
    plan: Option<Plan>,
    /// The distinct signatures, in first-use order; `tables` is parallel.
    signatures: Vec<Signature>,
    table_of: Vec<usize>,
    tables: Vec<Table>,
    current: Option<Work>,
    /// [`MatrixJob::remaining`] when the plan was finished: the table
    /// rows, for [`MatrixJob::progress`].
    table_rows: usize,
}

impl MatrixJob {
    /// Starts the computation; cheap (the plan is built by
    /// [`MatrixJob::step`], in bounded units).
    pub fn new(scenario: &Scenario, probes: &[Probe]) -> Self {
        MatrixJob {
            probes: probes.to_vec(),
            endpoints: scenario.endpoints.len(),
            builder: Some(PlanBuilder::new(scenario)),
            plan: None,
            signatures: Vec::new(),
            table_of: Vec::new(),
            tables: Vec::new(),
            current: None,
            table_rows: 0,
        }
    }

    /// Whether every table is computed.
    pub fn is_done(&self) -> bool {
        self.plan.is_some() && self.tables.len() >= self.signatures.len()
    }

    /// Rows of work left, roughly, for a progress display: plan units left,
    /// then class rows and source rows of the tables not finished. Before
    /// the plan is built, the tables are counted at their upper bound (one
    /// class per endpoint, one table per probe); the count never grows.
    pub fn remaining(&self) -> usize {
        let Some(plan) = &self.plan else {
            let planning = self.builder.as_ref().map_or(0, PlanBuilder::remaining);
            return planning + 1 + self.probes.len().saturating_mul(self.endpoints.saturating_mul(3));
        };
        let per_table = plan.ingress_classes.len() + plan.egress_classes.len() + plan.len;
        let left = self.signatures.len().saturating_sub(self.tables.len()) * per_table;
        let done_in_current =
            self.current.as_ref().map_or(0, |w| w.ingress.len() + w.egress.len() + (w.next_block * 64).min(plan.len));
        left.saturating_sub(done_in_current)
    }

    /// How far the job is, from 0 to 1, for a progress display: the plan's
    /// units are the first half, the tables' rows the second. Unlike
    /// [`MatrixJob::remaining`], whose count before the plan is an upper
    /// bound (one class per endpoint) that the plan then cuts by orders of
    /// magnitude, it moves while the plan is built. Never decreases.
    pub fn progress(&self) -> f64 {
        match &self.builder {
            Some(builder) => 0.5 * builder.fraction_done(),
            None => 0.5 + 0.5 * (1.0 - self.remaining() as f64 / self.table_rows.max(1) as f64),
        }
    }

    /// Does roughly `work` rows of work (at least one unit); returns true
    /// when the whole matrix is computed. `scenario` must be the one given
    /// to [`MatrixJob::new`], unchanged.
    pub fn step(&mut self, scenario: &Scenario, work: usize) -> bool {
        let mut budget = work.max(1);
        while budget > 0 && !self.is_done() {
            if self.plan.is_none() {
                let Some(builder) = self.builder.as_mut() else { break };
                let cost = builder.cost();
                if let Some(plan) = builder.step(scenario) {
                    self.builder = None;
                    self.start_tables(scenario, plan);
                }
                budget = budget.saturating_sub(cost);
                continue;
            }
            let Some(plan) = self.plan.as_ref() else { break };
            let t = self.tables.len();
            let Some(sig) = self.signatures.get(t) else { break };
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

    /// The plan is built: which probes share a table (their signatures).
    fn start_tables(&mut self, scenario: &Scenario, plan: Plan) {
        for &p in &self.probes {
            let sig = probe::signature(&plan, scenario, p);
            let index = match self.signatures.iter().position(|s| *s == sig) {
                Some(i) => i,
                None => {
                    self.signatures.push(sig);
                    self.signatures.len() - 1
                }
            };
            self.table_of.push(index);
        }
        self.plan = Some(plan);
        self.table_rows = self.remaining();
    }

    /// Runs the job to the end and returns the matrix: always equal to
    /// [`super::matrix`] of the same scenario and probes.
    pub fn complete(mut self, scenario: &Scenario) -> Matrix {
        while !self.step(scenario, usize::MAX) {}
        self.finish()
    }

    /// The computed matrix, once [`MatrixJob::step`] has returned true
    /// (then equal to [`super::matrix`]). Tables not computed yet are left
    /// out: their probes allow nothing and count zero (before the plan is
    /// built there are no classes at all), so a caller that cannot tell
    /// whether the job is done should use [`MatrixJob::complete`].
    pub fn finish(mut self) -> Matrix {
        let Some(plan) = self.plan.take() else {
            return Matrix {
                probes: self.probes,
                len: self.endpoints,
                classes: OutputClasses::default(),
                pods: BitSet::zeros(0),
                words: 0,
                tables: Vec::new(),
                counts: Vec::new(),
                admin: Vec::new(),
                table_of: Vec::new(),
                isolated_ingress: Vec::new(),
                isolated_egress: Vec::new(),
            };
        };
        let isolated_ingress = plan.ingress_class_of.iter().map(|&c| plan.isolated(&plan.ingress_classes, c)).collect();
        let isolated_egress = plan.egress_class_of.iter().map(|&c| plan.isolated(&plan.egress_classes, c)).collect();
        Matrix {
            probes: self.probes,
            len: self.endpoints,
            words: words_for(plan.len),
            classes: plan.outputs,
            pods: plan.pods,
            counts: self.tables.iter().map(|t| t.allowed).collect(),
            admin: self.tables.iter_mut().map(|t| core::mem::take(&mut t.admin)).collect(),
            tables: self.tables.into_iter().map(|t| t.bits).collect(),
            table_of: self.table_of,
            isolated_ingress,
            isolated_egress,
        }
    }
}

/// Fills source blocks `blocks` (64 source classes each) of the current
/// table: `allowed[a][b] = egress[class(a)][b] & ingress[class(b)][a]` by
/// transposing the ingress rows, then counts the allowed endpoint pairs; and
/// the admin-denied table the same way with `|`. No diagonal override: bit
/// `(a, a)` is the verdict between two different members of `a`.
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
    let size = |c: usize| plan.outputs.members(c).len() as u64;
    // Per word of classes: the members of all 64, and whether each has one
    // member (then a popcount counts the word).
    let word_members: Vec<(u64, bool)> = (0..w)
        .map(|wi| {
            let sizes = (wi * 64..(wi * 64 + 64).min(len)).map(size);
            sizes.fold((0, true), |(sum, single), n| (sum + n, single && n == 1))
        })
        .collect();
    for s in first..last {
        let Some(row) = cur.bits.get_mut(s * w..(s + 1) * w) else { break };
        if let Some(eg) = row_of(&plan.egress_class_of, &egress_rows, s) {
            for (a, b) in row.iter_mut().zip(eg) {
                *a &= b;
            }
        }
        // Endpoint pairs: |s| × the members of every allowed class, except
        // that a class's pairs with itself are its self pairs (pods only)
        // when two different members may not talk.
        let mut reached = 0u64;
        for (&word, (wi, &(all, single))) in row.iter().zip(word_members.iter().enumerate()) {
            if word == 0 {
                continue;
            }
            if single {
                reached += u64::from(word.count_ones());
            } else if word == u64::MAX || (wi + 1 == w && word.count_ones() as usize == len - wi * 64) {
                reached += all;
            } else {
                let mut bits = word;
                while bits != 0 {
                    reached += size(wi * 64 + bits.trailing_zeros() as usize);
                    bits &= bits - 1;
                }
            }
        }
        cur.allowed += size(s) * reached;
        let diagonal = row.get(s / 64).is_some_and(|x| x >> (s % 64) & 1 == 1);
        if !diagonal && plan.pods.contains(s) {
            cur.allowed += size(s);
        }
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
    }
}
