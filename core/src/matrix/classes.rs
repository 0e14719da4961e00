//! Output classes: endpoints that no policy can tell apart, so the matrix
//! stores one bit per pair of classes instead of one per pair of endpoints
//! (issue 5: a 150,000-pod cluster would need 2.8 GB per dense table).
//!
//! Two endpoints are in one output class iff they start in one group (same
//! ingress and egress subject class, same kind, same host-network flag, same
//! named ports when some rule names a port; see [`super::plan`]) and every
//! peer set the plan holds contains both or neither. Then every rule, of
//! every tier, treats them alike as source and as destination, so the
//! verdict from a member of class `a` to a *different* member of class `b`
//! is one bit. The pair of an endpoint with itself differs only by the pod
//! loopback, which [`super::Matrix`] applies at lookup.
//!
//! The partition is computed exactly (no hashing) by refinement: each peer
//! set splits every class it cuts. A set is visited through its smaller side
//! (members or non-members; both split the same way), so a refinement pass
//! costs `N/64` word reads plus `min(|S|, N − |S|)` steps.

use alloc::vec;
use alloc::vec::Vec;

use super::bitset::BitSet;

const NONE: u32 = u32::MAX;

/// A partition of `0..len` being refined.
pub(crate) struct Partition {
    /// Each endpoint's class.
    class_of: Vec<u32>,
    /// Each class's size.
    size: Vec<u32>,
    /// Scratch, per class: members seen on the visited side, and the class
    /// they move to (or [`NONE`]). Zero / `NONE` between passes.
    count: Vec<u32>,
    moved: Vec<u32>,
}

impl Partition {
    /// The partition where endpoint `e` is in class `class_of[e]` (classes
    /// `0..classes`).
    pub(crate) fn from_classes(class_of: Vec<u32>, classes: usize) -> Self {
        let mut size = vec![0u32; classes];
        for &c in &class_of {
            if let Some(s) = size.get_mut(c as usize) {
                *s += 1;
            }
        }
        Partition { class_of, size, count: vec![0; classes], moved: vec![NONE; classes] }
    }

    /// The number of classes so far.
    #[cfg(test)]
    pub(crate) fn classes(&self) -> usize {
        self.size.len()
    }

    /// Splits every class that `set` cuts into its members in `set` and
    /// the others.
    pub(crate) fn refine(&mut self, set: &BitSet) {
        let len = self.class_of.len();
        let ones = set.count();
        // Visit the smaller side: the members, or the non-members.
        let invert = ones * 2 > len;
        let side = |w: u64, wi: usize| -> u64 {
            if !invert {
                return w;
            }
            let valid = len.saturating_sub(wi * 64);
            let mask = if valid >= 64 { u64::MAX } else { (1u64 << valid) - 1 };
            !w & mask
        };
        let mut touched: Vec<u32> = Vec::new();
        for_each(set, side, |e| {
            if let Some(&c) = self.class_of.get(e) {
                if let Some(n) = self.count.get_mut(c as usize) {
                    if *n == 0 {
                        touched.push(c);
                    }
                    *n += 1;
                }
            }
        });
        let mut split = false;
        for &c in &touched {
            let (Some(&n), Some(&s)) = (self.count.get(c as usize), self.size.get(c as usize)) else { continue };
            if n < s {
                let new = self.size.len() as u32;
                self.size.push(n);
                self.count.push(0);
                self.moved.push(NONE);
                if let (Some(old), Some(m)) = (self.size.get_mut(c as usize), self.moved.get_mut(c as usize)) {
                    *old = s - n;
                    *m = new;
                }
                split = true;
            }
        }
        if split {
            for_each(set, side, |e| {
                if let Some(c) = self.class_of.get_mut(e) {
                    if let Some(&m) = self.moved.get(*c as usize) {
                        if m != NONE {
                            *c = m;
                        }
                    }
                }
            });
        }
        for &c in &touched {
            if let Some(n) = self.count.get_mut(c as usize) {
                *n = 0;
            }
            if let Some(m) = self.moved.get_mut(c as usize) {
                *m = NONE;
            }
        }
    }

    /// The final classes, numbered by their smallest member.
    pub(crate) fn finish(self) -> OutputClasses {
        let mut renumber = vec![NONE; self.size.len()];
        let mut next = 0u32;
        let mut class_of = self.class_of;
        let mut size: Vec<u32> = Vec::with_capacity(self.size.len());
        for c in &mut class_of {
            if let Some(r) = renumber.get_mut(*c as usize) {
                if *r == NONE {
                    *r = next;
                    next += 1;
                    size.push(self.size.get(*c as usize).copied().unwrap_or(0));
                }
                *c = *r;
            }
        }
        // Members by class, ascending (a counting sort).
        let mut start = Vec::with_capacity(size.len() + 1);
        let mut at = 0u32;
        for &s in &size {
            start.push(at);
            at += s;
        }
        start.push(at);
        let mut fill: Vec<u32> = start.clone();
        let mut members = vec![0u32; class_of.len()];
        for (e, &c) in class_of.iter().enumerate() {
            if let Some(f) = fill.get_mut(c as usize) {
                if let Some(slot) = members.get_mut(*f as usize) {
                    *slot = e as u32;
                }
                *f += 1;
            }
        }
        OutputClasses { class_of, start, members }
    }
}

/// Calls `f` for every set bit of `side(word, index)` over `set`'s words.
fn for_each(set: &BitSet, side: impl Fn(u64, usize) -> u64, mut f: impl FnMut(usize)) {
    for (wi, &w) in set.words().iter().enumerate() {
        let mut bits = side(w, wi);
        while bits != 0 {
            f(wi * 64 + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }
}

/// The output classes of a scenario's endpoints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct OutputClasses {
    /// Each endpoint's class.
    pub(crate) class_of: Vec<u32>,
    /// Class `c`'s members are `members[start[c]..start[c + 1]]`.
    pub(crate) start: Vec<u32>,
    /// Members, by class, ascending within a class.
    pub(crate) members: Vec<u32>,
}

impl OutputClasses {
    pub(crate) fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// The members of class `c`, ascending (empty when out of range).
    pub(crate) fn members(&self, c: usize) -> &[u32] {
        let (Some(&a), Some(&b)) = (self.start.get(c), self.start.get(c + 1)) else { return &[] };
        self.members.get(a as usize..b as usize).unwrap_or(&[])
    }

    /// Each class's first member: rules treat every member alike, so this
    /// one stands for them in set membership and named-port resolution.
    pub(crate) fn representatives(&self) -> Vec<u32> {
        (0..self.len()).map(|c| self.members(c).first().copied().unwrap_or(0)).collect()
    }

    /// `set` (over endpoints) as a set over classes: class `c` is in it iff
    /// its representative is (then so is every member).
    pub(crate) fn compress(&self, set: &BitSet, reps: &[u32]) -> BitSet {
        BitSet::from_indices(
            reps.len(),
            reps.iter().enumerate().filter(|(_, &e)| set.contains(e as usize)).map(|(c, _)| c as u32),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refinement_splits_exactly_by_membership() {
        // Two initial groups: even and odd endpoints.
        let mut p = Partition::from_classes((0..10u32).map(|i| i % 2).collect(), 2);
        assert_eq!(p.classes(), 2);
        // {0, 1, 2, 3}: splits both groups.
        p.refine(&BitSet::from_indices(10, [0, 1, 2, 3]));
        assert_eq!(p.classes(), 4);
        // A set larger than half (visited through its complement).
        p.refine(&BitSet::from_indices(10, [0, 1, 2, 3, 4, 5, 6, 7]));
        // A set cutting nothing.
        p.refine(&BitSet::ones(10));
        let c = p.finish();
        let groups: Vec<Vec<u32>> = (0..c.len()).map(|k| c.members(k).to_vec()).collect();
        assert_eq!(groups, [vec![0, 2], vec![1, 3], vec![4, 6], vec![5, 7], vec![8], vec![9]]);
        assert_eq!(c.class_of, [0, 1, 0, 1, 2, 3, 2, 3, 4, 5]);
        assert_eq!(c.representatives(), [0, 1, 4, 5, 8, 9]);
        let s = c.compress(&BitSet::from_indices(10, [1, 3, 8]), &c.representatives());
        assert_eq!(s.iter().collect::<Vec<_>>(), [1, 4]);
        assert!(c.members(6).is_empty());
    }

    #[test]
    fn an_empty_partition_has_no_classes() {
        let mut p = Partition::from_classes(Vec::new(), 0);
        p.refine(&BitSet::zeros(0));
        let c = p.finish();
        assert_eq!(c.len(), 0);
        assert!(c.members(0).is_empty());
    }
}
