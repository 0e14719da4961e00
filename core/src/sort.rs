//! Stable sorting through one shared copy of the standard library's sort.
//!
//! Why: every `slice::sort_by` call site with its own element type or closure
//! instantiates the whole standard stable sort (driftsort with its quicksort,
//! merge and small-sort parts), about 4 KB of wasm each; `twiggy monos` found
//! 142 such functions (70 KB before `wasm-opt`) in the page. The functions
//! here sort a list of positions instead, with the comparison behind
//! `&mut dyn FnMut`, so the standard sort is instantiated once for the whole
//! program; what is generic per call site is a small closure and a loop of
//! swaps. The price is one allocation and an indirect call per comparison,
//! which the page's list sizes (thousands, not millions) do not notice.

use alloc::vec::Vec;
use core::cmp::Ordering;

/// Sorts `items` by `compare`, stably, like [`slice::sort_by`].
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let view: &[T] = items;
    let swaps = swaps_sorting(view.len(), &mut |a, b| match (view.get(a), view.get(b)) {
        (Some(x), Some(y)) => compare(x, y),
        // Positions come from `0..len`; this arm only keeps the closure total.
        _ => a.cmp(&b),
    });
    for (a, b) in swaps {
        items.swap(a, b);
    }
}

/// Sorts `items` by the key `key` extracts, stably, like [`slice::sort_by_key`].
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in ascending order, stably, like [`slice::sort`] (and, for
/// the total orders this crate sorts by, like `sort_unstable`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// `items` ascending without duplicates: what collecting into a `BTreeSet`
/// and back gives, without the B-tree code a set type brings into the wasm.
/// Look items up with `binary_search`.
pub fn sorted_unique<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    sort(&mut items);
    items.dedup();
    items
}

/// The swaps that sort positions `0..len` by `compare`: stable-sorts the
/// positions (the one instance of the standard sort), then turns the
/// permutation into swaps applied in order.
#[inline(never)]
fn swaps_sorting(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    // `at[p]`: the original position of the item now at `p`; `pos[i]`: where
    // original item `i` is now. Step `i` brings item `order[i]` to `i`.
    let mut at: Vec<usize> = (0..len).collect();
    let mut pos: Vec<usize> = (0..len).collect();
    let mut swaps = Vec::with_capacity(len);
    for (i, &wanted) in order.iter().enumerate() {
        let (Some(&from), Some(&here)) = (pos.get(wanted), at.get(i)) else { continue };
        if from == i {
            continue;
        }
        swaps.push((i, from));
        if let (Some(a), Some(b)) = (at.get_mut(from), pos.get_mut(here)) {
            *a = here;
            *b = from;
        }
        if let (Some(a), Some(b)) = (at.get_mut(i), pos.get_mut(wanted)) {
            *a = wanted;
            *b = i;
        }
    }
    swaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// A small deterministic generator, so the tests need no dependency.
    fn numbers(seed: u64, len: usize, modulo: u64) -> Vec<u64> {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (x >> 33) % modulo
            })
            .collect()
    }

    #[test]
    fn sorts_like_the_standard_sort() {
        for (seed, len, modulo) in [(1, 0, 5), (2, 1, 5), (3, 2, 2), (4, 17, 3), (5, 100, 1000), (6, 1000, 10)] {
            let mut ours = numbers(seed, len, modulo);
            let mut std_sorted = ours.clone();
            std_sorted.sort();
            sort(&mut ours);
            assert_eq!(ours, std_sorted, "seed {seed}, len {len}");
        }
    }

    #[test]
    fn is_stable() {
        // Pairs (key, input position); sorting by key must keep positions ascending within a key.
        let keys = numbers(7, 500, 7);
        let mut items: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
        sort_by_key(&mut items, |&(k, _)| k);
        let mut expected: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
        expected.sort_by_key(|&(k, _)| k);
        assert_eq!(items, expected);
    }

    #[test]
    fn sorted_unique_is_a_btreeset_as_a_vec() {
        let items = numbers(8, 300, 40);
        let expected: Vec<u64> =
            items.iter().copied().collect::<alloc::collections::BTreeSet<_>>().into_iter().collect();
        assert_eq!(sorted_unique(items), expected);
        assert!(sorted_unique(Vec::<u8>::new()).is_empty());
    }

    #[test]
    fn sorts_in_reverse_and_by_compare() {
        let mut words = vec!["pear", "apple", "fig", "banana", "apple"];
        sort_by(&mut words, |a, b| b.cmp(a));
        assert_eq!(words, ["pear", "fig", "banana", "apple", "apple"]);
        let mut already = vec![1, 2, 3, 4];
        sort(&mut already);
        assert_eq!(already, [1, 2, 3, 4]);
        let mut reversed: Vec<u32> = (0..50).rev().collect();
        sort(&mut reversed);
        assert_eq!(reversed, (0..50).collect::<Vec<u32>>());
    }
}
