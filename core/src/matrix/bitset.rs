//! Fixed-size bitsets over endpoint (or namespace) indices, and the 64×64 bit
//! transpose the matrix uses to turn "allowed sources per destination" into
//! "allowed destinations per source".

use alloc::vec;
use alloc::vec::Vec;

/// Words needed for `len` bits.
pub(crate) fn words_for(len: usize) -> usize {
    len.div_ceil(64)
}

/// A set of indices `0..len`, bit `i` in word `i / 64`, least significant
/// bit first. Bits at and beyond `len` are always zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BitSet {
    words: Vec<u64>,
    len: usize,
}

impl BitSet {
    /// The empty set.
    pub(crate) fn zeros(len: usize) -> Self {
        BitSet { words: vec![0; words_for(len)], len }
    }

    /// The full set `0..len`.
    pub(crate) fn ones(len: usize) -> Self {
        let mut s = BitSet { words: vec![u64::MAX; words_for(len)], len };
        s.clear_tail();
        s
    }

    /// The set of the given indices (out-of-range ones are ignored).
    pub(crate) fn from_indices(len: usize, indices: impl IntoIterator<Item = u32>) -> Self {
        let mut s = BitSet::zeros(len);
        for i in indices {
            s.insert(i as usize);
        }
        s
    }

    fn clear_tail(&mut self) {
        let rem = self.len % 64;
        if rem != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << rem) - 1;
            }
        }
    }

    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    pub(crate) fn insert(&mut self, i: usize) {
        if i < self.len {
            if let Some(w) = self.words.get_mut(i / 64) {
                *w |= 1u64 << (i % 64);
            }
        }
    }

    pub(crate) fn remove(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w &= !(1u64 << (i % 64));
        }
    }

    pub(crate) fn contains(&self, i: usize) -> bool {
        i < self.len && self.words.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    pub(crate) fn is_full(&self) -> bool {
        self.count() == self.len
    }

    pub(crate) fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// `self |= other`.
    pub(crate) fn union_with(&mut self, other: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// `self |= a & b`.
    pub(crate) fn union_with_and(&mut self, a: &BitSet, b: &BitSet) {
        for ((s, x), y) in self.words.iter_mut().zip(&a.words).zip(&b.words) {
            *s |= x & y;
        }
    }

    /// `self &= other`.
    pub(crate) fn intersect_with(&mut self, other: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// `self &= !other`.
    pub(crate) fn subtract(&mut self, other: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// The complement within `0..len`.
    pub(crate) fn complement(&mut self) {
        for w in &mut self.words {
            *w = !*w;
        }
        self.clear_tail();
    }

    /// The members, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            core::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let bit = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + bit)
            })
        })
    }
}

/// Transposes a 64×64 bit block in place: afterwards bit `c` of `a[r]` is
/// what bit `r` of `a[c]` was (least significant bit first). The classic
/// recursive block swap (Hacker's Delight, 7–3), six rounds of 32 swaps.
pub(crate) fn transpose64(a: &mut [u64; 64]) {
    let mut j = 32usize;
    let mut m: u64 = 0x0000_0000_FFFF_FFFF;
    while j != 0 {
        let mut k = 0usize;
        while k < 64 {
            let t = ((a[k] >> j) ^ a[k + j]) & m;
            a[k] ^= t << j;
            a[k + j] ^= t;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn transpose64_swaps_rows_and_columns() {
        let mut a = [0u64; 64];
        // A pseudo-random pattern.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for w in &mut a {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *w = x;
        }
        let orig = a;
        transpose64(&mut a);
        for r in 0..64 {
            for c in 0..64 {
                assert_eq!(a[r] >> c & 1, orig[c] >> r & 1, "({r},{c})");
            }
        }
    }

    #[test]
    fn bitset_ops_respect_length() {
        let mut s = BitSet::ones(70);
        assert_eq!(s.count(), 70);
        s.complement();
        assert_eq!(s.count(), 0);
        let a = BitSet::from_indices(70, [1, 5, 69, 200]);
        assert_eq!(a.iter().collect::<Vec<_>>(), [1, 5, 69]);
        let mut b = BitSet::ones(70);
        b.subtract(&a);
        assert_eq!(b.count(), 67);
        assert!(!b.contains(69) && b.contains(68) && !b.contains(70));
    }
}
