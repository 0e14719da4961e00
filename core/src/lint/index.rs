//! Sorted `Vec`s in place of the lint's `BTreeMap`s.
//!
//! Why: each `BTreeMap<K, V>` type brings its own copy of the B-tree's
//! insert, node split, search, iteration and drop code into the page's wasm
//! (about 3–4 KB per key/value type before `wasm-opt`). The lint builds its
//! indexes once and then only looks keys up, which a sorted `Vec` and a
//! binary search do with a fraction of that code; grouping sorts through
//! [`crate::sort`], the one shared copy of the standard sort. Iteration is in
//! ascending key order, as with a `BTreeMap`, so output order is unchanged.

use alloc::vec::Vec;

/// Values grouped by key, ascending by key; within a key in the order they
/// were given (what `BTreeMap<K, Vec<usize>>` filled by
/// `entry(k).or_default().push(v)` holds).
pub(crate) struct Groups<K> {
    entries: Vec<(K, Vec<usize>)>,
}

impl<K: Ord> Groups<K> {
    /// Groups `pairs` (key, value) by key.
    pub(crate) fn new(mut pairs: Vec<(K, usize)>) -> Self {
        // Stable: values of one key keep their input order.
        crate::sort::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
        let mut entries: Vec<(K, Vec<usize>)> = Vec::new();
        for (key, value) in pairs {
            match entries.last_mut() {
                Some((last, values)) if *last == key => values.push(value),
                _ => entries.push((key, alloc::vec![value])),
            }
        }
        Groups { entries }
    }

    /// The values of `key`, if it has any.
    pub(crate) fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&[usize]>
    where
        K: core::borrow::Borrow<Q>,
    {
        let i = self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key)).ok()?;
        self.entries.get(i).map(|(_, values)| values.as_slice())
    }

    /// The groups, ascending by key.
    #[cfg(test)]
    pub(crate) fn into_entries(self) -> Vec<(K, Vec<usize>)> {
        self.entries
    }
}

/// A map filled by [`SortedMap::insert`] and read by [`SortedMap::get`],
/// for the lint's caches (a few hundred keys at most: one per peer or per
/// distinct egress key).
pub(crate) struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K: Ord, V> SortedMap<K, V> {
    pub(crate) fn new() -> Self {
        SortedMap { entries: Vec::new() }
    }

    /// The value stored for `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        let i = self.entries.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.entries.get(i).map(|(_, v)| v)
    }

    /// The value stored for `key`, to change it in place.
    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let i = self.entries.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    /// The entries, ascending by key.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Stores `value` for `key`, replacing any earlier one.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        match self.entries.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => {
                if let Some(slot) = self.entries.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.entries.insert(i, (key, value)),
        }
    }
}

/// A set filled by [`SortedSet::insert`], read in ascending order.
pub(crate) struct SortedSet<T> {
    items: Vec<T>,
}

impl<T: Ord> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet { items: Vec::new() }
    }
}

impl<T: Ord> SortedSet<T> {
    /// Adds `item` unless it is there already.
    pub(crate) fn insert(&mut self, item: T) {
        if let Err(i) = self.items.binary_search(&item) {
            self.items.insert(i, item);
        }
    }

    /// The items, ascending.
    pub(crate) fn iter(&self) -> core::slice::Iter<'_, T> {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::vec;

    #[test]
    fn groups_hold_what_a_btreemap_of_vecs_holds() {
        let pairs = vec![("b", 3), ("a", 1), ("b", 0), ("c", 2), ("a", 4), ("b", 5)];
        let mut expected: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &(k, v) in &pairs {
            expected.entry(k).or_default().push(v);
        }
        let groups = Groups::new(pairs);
        assert_eq!(groups.get(&"b"), Some(&[3, 0, 5][..]));
        assert_eq!(groups.get(&"z"), None);
        assert_eq!(groups.into_entries(), expected.into_iter().collect::<Vec<_>>());
        assert!(Groups::<u8>::new(Vec::new()).into_entries().is_empty());
    }

    #[test]
    fn sorted_map_inserts_replaces_and_finds() {
        let mut m = SortedMap::new();
        for (k, v) in [(5, 'a'), (1, 'b'), (9, 'c'), (5, 'd')] {
            m.insert(k, v);
        }
        assert_eq!((m.get(&1), m.get(&5), m.get(&9), m.get(&2)), (Some(&'b'), Some(&'d'), Some(&'c'), None));
        assert_eq!(m.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [1, 5, 9]);
        if let Some(v) = m.get_mut(&9) {
            *v = 'e';
        }
        assert_eq!(m.get(&9), Some(&'e'));
    }

    #[test]
    fn sorted_set_keeps_one_of_each_ascending() {
        let mut s = SortedSet::default();
        for x in [3, 1, 3, 2, 1] {
            s.insert(x);
        }
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
    }
}
