//! Counting the core's allowed pairs between graph units from the matrix's
//! endpoint classes, never pair by pair.
//!
//! The matrix groups endpoints that every rule treats alike into classes
//! and decides class pairs (`Matrix::class_allowed`: the verdict between
//! two *different* endpoints of the two classes). A unit (a collapsed
//! namespace or one shown endpoint) holds some members of some classes, so
//! the allowed pairs from unit `U` to unit `V` are
//!
//! Σ over class pairs (a, b) allowed on some shown probe of
//! `|a ∩ U| · |b ∩ V|`, minus, when `a = b` and `U = V`, the `|a ∩ U|`
//! pairs of an endpoint with itself (its loopback is not an edge).
//!
//! Classes with the same row in every shown table (the same allowed
//! destination classes on every probe) contribute alike, so the sum is
//! taken per distinct row: each is scanned once into its destination units
//! and a unit multiplies by its members of the row's classes. That is
//! exact, and costs one pass over the endpoints (per-class unit
//! histograms), a few word reads per 64 class pairs and distinct table (to
//! tell rows apart and scan the distinct ones), plus one step per (unit,
//! distinct row among its classes, destination unit of the row): at
//! 150,000 pods, 10,164 classes have 993 distinct rows, where the 20.7
//! million allowed class pairs or endpoint rows (O(endpoints²)) would cost
//! far more.

use netpol_core::matrix::Matrix;

/// For each shown probe (matrix probe indices), the first shown probe with
/// the same matrix table (itself when none before it has). The matrix
/// shares a table only between probes every rule treats alike, so they
/// have the same verdict on every flow.
pub(super) fn alike(matrix: &Matrix, probes: &[usize]) -> Vec<usize> {
    probes
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let t = matrix.table_index(p);
            probes.iter().position(|&q| t.is_some() && matrix.table_index(q) == t).unwrap_or(k)
        })
        .collect()
}

/// Allowed pairs from one unit to another (or inside one, `from == to`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct UnitPair {
    pub from: usize,
    pub to: usize,
    /// Endpoint pairs (source ≠ destination) allowed on some shown probe.
    pub pairs: u64,
    /// Bit `k` when the `k`-th shown probe allows some of them.
    pub probes: u64,
    /// One allowed endpoint pair (`from` ≠ `to` endpoints); meaningless for
    /// a unit's pairs inside itself.
    pub example: (usize, usize),
}

/// One class's members in one unit.
#[derive(Clone, Copy)]
struct Share {
    unit: usize,
    count: u64,
    first: usize,
}

/// The distinct tables among the shown probes (matrix probe indices), each
/// with the mask of the shown probes using it.
fn distinct_tables(matrix: &Matrix, probes: &[usize]) -> Vec<(usize, u64)> {
    let mut tables: Vec<(usize, u64)> = Vec::new();
    for (k, &p) in probes.iter().enumerate().take(64) {
        let Some(t) = matrix.table_index(p) else { continue };
        match tables.iter_mut().find(|(q, _)| matrix.table_index(*q) == Some(t)) {
            Some((_, mask)) => *mask |= 1 << k,
            None => tables.push((p, 1 << k)),
        }
    }
    tables
}

/// Per class, its members per unit, flattened: class `c`'s shares are
/// `shares[start[c]..start[c + 1]]`, in the order of their first member.
struct Shares {
    start: Vec<usize>,
    shares: Vec<Share>,
}

impl Shares {
    /// One pass over the classes' members (a unit's slot is found through
    /// the last class that touched it, so no map).
    fn new(matrix: &Matrix, endpoint_node: &[usize], units: usize) -> Self {
        let classes = matrix.class_count();
        let mut start = Vec::with_capacity(classes + 1);
        let mut shares: Vec<Share> = Vec::new();
        let mut last_class = vec![usize::MAX; units];
        let mut slot = vec![0usize; units];
        for c in 0..classes {
            start.push(shares.len());
            for &m in matrix.class_members(c) {
                let i = m as usize;
                let Some(&unit) = endpoint_node.get(i).filter(|&&u| u < units) else { continue };
                match (last_class.get_mut(unit), slot.get_mut(unit)) {
                    (Some(last), Some(at)) if *last == c => {
                        if let Some(s) = shares.get_mut(*at) {
                            s.count += 1;
                        }
                    }
                    (Some(last), Some(at)) => {
                        *last = c;
                        *at = shares.len();
                        shares.push(Share { unit, count: 1, first: i });
                    }
                    _ => {}
                }
            }
        }
        start.push(shares.len());
        Shares { start, shares }
    }

    fn of(&self, class: usize) -> &[Share] {
        let (Some(&a), Some(&b)) = (self.start.get(class), self.start.get(class + 1)) else { return &[] };
        self.shares.get(a..b).unwrap_or(&[])
    }
}

/// Calls `f(b, mask)` for every class `b` some table of `rows` allows, in
/// ascending order, with the mask of the tables (probes) allowing it. A
/// word's mask is shared by its bits when every table either allows all of
/// the word's union or none of it (the common case); else the word is split
/// into groups of bits the same tables allow, one pass over the tables per
/// group.
fn scan_row(rows: &[(&[u64], u64)], words: usize, mut f: impl FnMut(usize, u64)) {
    let mut bit_masks = [0u64; 64];
    for wi in 0..words {
        let word = |row: &[u64]| row.get(wi).copied().unwrap_or(0);
        let union = rows.iter().fold(0u64, |acc, &(row, _)| acc | word(row));
        if union == 0 {
            continue;
        }
        let mut uniform = Some(0u64);
        for &(row, e) in rows {
            let w = word(row);
            if w == union {
                uniform = uniform.map(|m| m | e);
            } else if w != 0 {
                uniform = None;
            }
        }
        if uniform.is_none() {
            let mut rest = union;
            while rest != 0 {
                let bit = rest.trailing_zeros();
                let (mut group, mut m) = (rest, 0u64);
                for &(row, e) in rows {
                    let w = word(row);
                    if w >> bit & 1 == 1 {
                        group &= w;
                        m |= e;
                    } else {
                        group &= !w;
                    }
                }
                rest &= !group;
                let mut g = group;
                while g != 0 {
                    if let Some(slot) = bit_masks.get_mut(g.trailing_zeros() as usize) {
                        *slot = m;
                    }
                    g &= g - 1;
                }
            }
        }
        let mut bits = union;
        while bits != 0 {
            let bit = bits.trailing_zeros();
            bits &= bits - 1;
            let m = uniform.unwrap_or_else(|| bit_masks.get(bit as usize).copied().unwrap_or(0));
            f(wi * 64 + bit as usize, m);
        }
    }
}

/// Numbers the classes' rows (all shown tables together): classes with the
/// same number have the same row in every table. Returns each class's row
/// number and each row's first class. Rows are hashed, sorted by hash and
/// compared word by word within a hash, so equal numbers mean equal rows.
fn distinct_rows(matrix: &Matrix, tables: &[(usize, u64)]) -> (Vec<usize>, Vec<usize>) {
    let classes = matrix.class_count();
    // (hash, 0, class): the key type the overview already sorts, so no
    // second instance of the sort in the page's wasm.
    let mut hashed: Vec<(u64, u64, usize)> = (0..classes)
        .map(|c| {
            let mut h = 0xcbf2_9ce4_8422_2325u64;
            for &(p, _) in tables {
                for &w in matrix.class_row_words(p, c) {
                    h = (h ^ w).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(23);
                }
            }
            (h, 0, c)
        })
        .collect();
    netpol_core::sort::sort(&mut hashed);
    let same =
        |a: usize, b: usize| tables.iter().all(|&(p, _)| matrix.class_row_words(p, a) == matrix.class_row_words(p, b));
    let mut row_of = vec![0usize; classes];
    let mut first: Vec<usize> = Vec::new();
    let mut run_start = 0;
    while run_start < hashed.len() {
        let h = hashed[run_start].0;
        let run_end = run_start + hashed[run_start..].iter().take_while(|&&(g, _, _)| g == h).count();
        // Rows of this hash, each with its first class (the run is sorted by class).
        let mut reps: Vec<usize> = Vec::new();
        for &(_, _, c) in &hashed[run_start..run_end] {
            let r = match reps.iter().copied().find(|&r| first.get(r).is_some_and(|&f| same(f, c))) {
                Some(r) => r,
                None => {
                    first.push(c);
                    reps.push(first.len() - 1);
                    first.len() - 1
                }
            };
            if let Some(slot) = row_of.get_mut(c) {
                *slot = r;
            }
        }
        run_start = run_end;
    }
    (row_of, first)
}

/// One destination unit of a row: the members of the row's allowed classes
/// in it, the probes allowing some of them, and the first member of the
/// smallest such class.
#[derive(Clone, Copy)]
struct Dest {
    unit: usize,
    members: u64,
    mask: u64,
    first: usize,
}

/// Every unit pair with an allowed endpoint pair, sorted by `(from, to)`.
/// `endpoint_node[i]` is endpoint `i`'s unit (`usize::MAX`: not drawn);
/// `probes` are matrix probe indices (at most 64).
///
/// Classes with the same row in every shown table reach the same
/// destinations (at 150,000 pods ≈ 10,000 classes have ≈ 1,000 distinct
/// rows), so each distinct row is scanned once ([`scan_row`]) into its
/// destination units with their member counts ([`Dest`]), and a source unit
/// adds, per distinct row among its classes, its members of those classes
/// times each destination's count. Pairs inside a unit (where a class meets
/// itself and an endpoint's pair with itself is left out) are counted class
/// pair by class pair among the unit's own classes. Examples are those of
/// the smallest allowed class pair, as [`unit_pairs_reference`] finds.
/// Cost: O(classes²/64 · tables) to tell rows apart and scan them, plus
/// O(destinations of the rows) per (unit, distinct row), never per
/// endpoint pair or per allowed class pair.
pub(super) fn unit_pairs(matrix: &Matrix, probes: &[usize], endpoint_node: &[usize]) -> Vec<UnitPair> {
    let tables = distinct_tables(matrix, probes);
    let units = endpoint_node.iter().copied().filter(|&u| u != usize::MAX).max().map_or(0, |u| u + 1);
    let shares = Shares::new(matrix, endpoint_node, units);
    let classes = matrix.class_count();
    // Per unit, its (class, share) in class order (a counting sort).
    let mut unit_start = vec![0usize; units + 1];
    for s in &shares.shares {
        if let Some(n) = unit_start.get_mut(s.unit + 1) {
            *n += 1;
        }
    }
    for u in 0..units {
        unit_start[u + 1] += unit_start[u];
    }
    let mut fill = unit_start.clone();
    let mut by_unit = vec![(0usize, 0usize); shares.shares.len()];
    for c in 0..classes {
        let base = shares.start.get(c).copied().unwrap_or(0);
        for (k, s) in shares.of(c).iter().enumerate() {
            if let Some(f) = fill.get_mut(s.unit) {
                if let Some(slot) = by_unit.get_mut(*f) {
                    *slot = (c, base + k);
                }
                *f += 1;
            }
        }
    }

    let words = classes.div_ceil(64);
    let (row_of, row_first) = distinct_rows(matrix, &tables);
    let rows_of =
        |c: usize| -> Vec<(&[u64], u64)> { tables.iter().map(|&(p, e)| (matrix.class_row_words(p, c), e)).collect() };
    // Per distinct row, its destinations (computed when first needed).
    let mut dests: Vec<Option<Vec<Dest>>> = vec![None; row_first.len()];
    // Per destination unit: allowed pairs, probe mask, example.
    let mut acc = vec![(0u64, 0u64, (0usize, 0usize)); units];
    let mut touched: Vec<usize> = Vec::new();
    let mut dest_acc = vec![Dest { unit: 0, members: 0, mask: 0, first: 0 }; units];
    // Per unit: its distinct rows, each with the members of its classes and
    // the first member of the smallest; `seen` maps a row to its slot.
    let mut seen = vec![(usize::MAX, 0usize); row_first.len()];
    let mut mine: Vec<(usize, u64, usize)> = Vec::new();
    let mut out = Vec::new();
    for u in 0..units {
        let list = by_unit.get(unit_start[u]..unit_start[u + 1]).unwrap_or(&[]);
        mine.clear();
        for &(a, si) in list {
            let (Some(&r), Some(sa)) = (row_of.get(a), shares.shares.get(si)) else { continue };
            let Some(slot) = seen.get_mut(r) else { continue };
            if slot.0 == u {
                if let Some(m) = mine.get_mut(slot.1) {
                    m.1 += sa.count;
                }
            } else {
                *slot = (u, mine.len());
                mine.push((r, sa.count, sa.first));
            }
        }
        // Other units, row by row in the order of their smallest class.
        for &(r, weight, first) in &mine {
            let Some(entry) = dests.get_mut(r) else { continue };
            let list = entry.get_or_insert_with(|| {
                let rep = row_first.get(r).copied().unwrap_or(0);
                let mut hit: Vec<usize> = Vec::new();
                scan_row(&rows_of(rep), words, |b, m| {
                    for sb in shares.of(b) {
                        let Some(d) = dest_acc.get_mut(sb.unit) else { continue };
                        if d.members == 0 {
                            hit.push(sb.unit);
                            *d = Dest { unit: sb.unit, members: 0, mask: 0, first: sb.first };
                        }
                        d.members += sb.count;
                        d.mask |= m;
                    }
                });
                netpol_core::sort::sort(&mut hit);
                hit.iter()
                    .filter_map(|&v| {
                        dest_acc
                            .get_mut(v)
                            .map(|d| std::mem::replace(d, Dest { unit: 0, members: 0, mask: 0, first: 0 }))
                    })
                    .collect()
            });
            for d in list.iter().filter(|d| d.unit != u) {
                let Some(t) = acc.get_mut(d.unit) else { continue };
                if t.0 == 0 {
                    touched.push(d.unit);
                    t.2 = (first, d.first);
                }
                t.0 += weight * d.members;
                t.1 |= d.mask;
            }
        }
        // Inside the unit: class pair by class pair among its classes.
        for &(a, si) in list {
            let Some(&sa) = shares.shares.get(si) else { continue };
            let rows = rows_of(a);
            for &(b, sj) in list {
                let Some(&sb) = shares.shares.get(sj) else { continue };
                let m = rows
                    .iter()
                    .filter(|&&(row, _)| row.get(b / 64).is_some_and(|w| w >> (b % 64) & 1 == 1))
                    .fold(0u64, |m, &(_, e)| m | e);
                let pairs = if a == b { sa.count * (sa.count - 1) } else { sa.count * sb.count };
                let Some(t) = acc.get_mut(u).filter(|_| m != 0 && pairs != 0) else { continue };
                if t.0 == 0 {
                    touched.push(u);
                    t.2 = (sa.first, sb.first);
                }
                t.0 += pairs;
                t.1 |= m;
            }
        }
        netpol_core::sort::sort(&mut touched);
        for &v in &touched {
            if let Some(t) = acc.get_mut(v) {
                out.push(UnitPair { from: u, to: v, pairs: t.0, probes: t.1, example: t.2 });
                *t = (0, 0, (0, 0));
            }
        }
        touched.clear();
    }
    out
}

/// The straightforward [`unit_pairs`]: every allowed class pair times every
/// pair of their shares, summed in a map. The reference the fast path is
/// tested against.
#[cfg(test)]
pub(super) fn unit_pairs_reference(matrix: &Matrix, probes: &[usize], endpoint_node: &[usize]) -> Vec<UnitPair> {
    use std::collections::BTreeMap;
    let tables = distinct_tables(matrix, probes);
    let units = endpoint_node.iter().copied().filter(|&u| u != usize::MAX).max().map_or(0, |u| u + 1);
    let shares = Shares::new(matrix, endpoint_node, units);
    let classes = matrix.class_count();
    let mut acc: BTreeMap<(usize, usize), UnitPair> = BTreeMap::new();
    for a in 0..classes {
        for b in 0..classes {
            let mask = tables.iter().filter(|&&(p, _)| matrix.class_allowed(p, a, b)).fold(0u64, |m, &(_, e)| m | e);
            if mask == 0 {
                continue;
            }
            for sa in shares.of(a) {
                for sb in shares.of(b) {
                    let pairs =
                        if a == b && sa.unit == sb.unit { sa.count * (sa.count - 1) } else { sa.count * sb.count };
                    if pairs == 0 {
                        continue;
                    }
                    let e = acc.entry((sa.unit, sb.unit)).or_insert(UnitPair {
                        from: sa.unit,
                        to: sb.unit,
                        pairs: 0,
                        probes: 0,
                        example: (sa.first, sb.first),
                    });
                    e.pairs += pairs;
                    e.probes |= mask;
                }
            }
        }
    }
    acc.into_values().collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use netpol_core::matrix::matrix;
    use netpol_core::Probe;

    use super::super::testdata;
    use super::*;

    /// The word-scanning [`unit_pairs`] equals the straightforward
    /// reference (counts, probe masks and examples) and the matrix's
    /// endpoint verdicts, on random clusters, in every kind of view (all
    /// namespaces collapsed, some expanded, every endpoint its own unit,
    /// some endpoints not drawn) and for several probe selections.
    #[test]
    fn word_scan_equals_the_reference_on_random_clusters() {
        let mut compared = 0;
        for seed in 1..=24u64 {
            let count = 20 + (seed as usize * 7) % 60;
            let namespaces = 2 + seed as usize % 5;
            let s = testdata::random_scenario(seed, count, namespaces);
            let mut probes = s.probes_in_use();
            probes.extend(Probe::parse("TCP/80"));
            probes.extend(Probe::parse("UDP/53"));
            let m = matrix(&s, &probes);
            let n = m.len();
            let ns_of: Vec<usize> = s
                .endpoints
                .iter()
                .map(|e| s.namespaces.binary_search_by(|x| x.name.as_str().cmp(&e.namespace)).unwrap_or(0))
                .collect();
            // Collapsed: namespace index; expanded: own unit after the namespaces.
            let collapsed = ns_of.clone();
            let some_expanded: Vec<usize> =
                (0..n).map(|i| if ns_of[i] == 0 { namespaces + i } else { ns_of[i] }).collect();
            let pods: Vec<usize> = (0..n).collect();
            let hidden: Vec<usize> = (0..n).map(|i| if i % 5 == 3 { usize::MAX } else { ns_of[i] }).collect();
            let all: Vec<usize> = (0..probes.len()).collect();
            let reversed: Vec<usize> = all.iter().rev().copied().collect();
            let one = vec![0];
            for nodes in [&collapsed, &some_expanded, &pods, &hidden] {
                for chosen in [&all, &reversed, &one] {
                    let fast = unit_pairs(&m, chosen, nodes);
                    assert_eq!(fast, unit_pairs_reference(&m, chosen, nodes), "seed {seed}");
                    // And the matrix, endpoint pair by endpoint pair.
                    let mut want: BTreeMap<(usize, usize), (u64, u64)> = BTreeMap::new();
                    for i in 0..n {
                        for j in (0..n).filter(|&j| j != i && nodes[i] != usize::MAX && nodes[j] != usize::MAX) {
                            let mask = chosen
                                .iter()
                                .enumerate()
                                .filter(|&(_, &p)| m.allowed(p, i, j))
                                .fold(0u64, |a, (k, _)| a | 1 << k);
                            if mask != 0 {
                                let w = want.entry((nodes[i], nodes[j])).or_default();
                                w.0 += 1;
                                w.1 |= mask;
                            }
                        }
                    }
                    let got: BTreeMap<(usize, usize), (u64, u64)> =
                        fast.iter().map(|p| ((p.from, p.to), (p.pairs, p.probes))).collect();
                    assert_eq!(got, want, "seed {seed}");
                    // (A unit's pairs inside itself have no meaningful example.)
                    for p in fast.iter().filter(|p| p.from != p.to) {
                        let (i, j) = p.example;
                        assert_eq!((nodes[i], nodes[j]), (p.from, p.to), "seed {seed}: example inside its pair");
                        assert!(i != j && chosen.iter().any(|&q| m.allowed(q, i, j)), "seed {seed}: example allowed");
                    }
                    compared += fast.len();
                }
            }
        }
        assert!(compared > 1000, "the random clusters allow enough to compare ({compared})");
    }
}
