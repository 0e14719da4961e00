//! Label selectors, namespaces and ipBlocks turned into endpoint bitsets, each
//! distinct one computed once.
//!
//! Selectors are evaluated against an inverted index (key → value → members)
//! rather than object by object: `In`/`Equals` is a union of value lists,
//! `Exists` the key's list, `NotIn`/`DoesNotExist` their complements (which is
//! exactly "absent or different", as `k8s.io/apimachinery/pkg/labels` says),
//! and the selector the intersection of its requirements.

use alloc::borrow::ToOwned;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use core::marker::PhantomData;
use core::net::IpAddr;

use ipnet::IpNet;

use super::bitset::BitSet;
use crate::labels::{LabelSelector, Labels, Operator};
use crate::model::{ClusterPeerKind, ClusterSubject, IpBlock, PeerKind, Scenario};

/// The members having one key: all of them, and by value.
type KeyMembers = (Vec<u32>, BTreeMap<String, Vec<u32>>);

/// Members (by index) having each label key, and each key=value. Owns its
/// strings (one copy per distinct key and value), so a
/// [`super::MatrixJob`] can keep it between steps without borrowing the
/// scenario.
struct LabelIndex {
    len: usize,
    keys: BTreeMap<String, KeyMembers>,
}

impl LabelIndex {
    /// Indexes only the `wanted` keys: labels no selector mentions (pod
    /// template hashes, versions, …) would cost time and never be asked for.
    fn build<'a>(len: usize, labels: impl Iterator<Item = &'a Labels>, wanted: &BTreeSet<&str>) -> Self {
        let mut keys: BTreeMap<String, KeyMembers> = BTreeMap::new();
        keys.extend(wanted.iter().map(|k| ((*k).to_owned(), KeyMembers::default())));
        let mut index = LabelIndex { len, keys };
        for (i, l) in labels.enumerate() {
            index.add(i as u32, l);
        }
        index
    }

    /// Adds member `i` (members must come in ascending order).
    fn add(&mut self, i: u32, labels: &Labels) {
        let add = |entry: &mut KeyMembers, v: &String| {
            entry.0.push(i);
            match entry.1.get_mut(v.as_str()) {
                Some(members) => members.push(i),
                None => {
                    entry.1.insert(v.clone(), alloc::vec![i]);
                }
            }
        };
        // Look up from the shorter side: a pod usually has fewer labels than
        // the selectors mention keys (each member list still gets `i` once).
        if labels.len() < self.keys.len() {
            for (key, v) in labels {
                if let Some(entry) = self.keys.get_mut(key.as_str()) {
                    add(entry, v);
                }
            }
        } else {
            for (key, entry) in self.keys.iter_mut() {
                if let Some(v) = labels.get(key.as_str()) {
                    add(entry, v);
                }
            }
        }
    }

    /// The members `selector` matches.
    fn eval(&self, selector: &LabelSelector) -> BitSet {
        let mut result = BitSet::ones(self.len);
        for req in &selector.requirements {
            let entry = self.keys.get(req.key.as_str());
            let with_values = || {
                let mut s = BitSet::zeros(self.len);
                if let Some((_, by_value)) = entry {
                    for v in &req.values {
                        if let Some(members) = by_value.get(v.as_str()) {
                            for &m in members {
                                s.insert(m as usize);
                            }
                        }
                    }
                }
                s
            };
            let with_key = || BitSet::from_indices(self.len, entry.map(|e| e.0.iter().copied()).into_iter().flatten());
            let set = match req.op {
                Operator::Equals | Operator::In => with_values(),
                Operator::NotIn => {
                    let mut s = with_values();
                    s.complement();
                    s
                }
                Operator::Exists => with_key(),
                Operator::DoesNotExist => {
                    let mut s = with_key();
                    s.complement();
                    s
                }
            };
            result.intersect_with(&set);
        }
        result
    }
}

/// A selector's meaning, independent of where it is written: requirements
/// sorted, so identical selectors share one bitset.
type SelectorKey = Vec<(String, u8, Vec<String>)>;

fn selector_key(selector: &LabelSelector) -> SelectorKey {
    let mut key: SelectorKey = selector
        .requirements
        .iter()
        .map(|r| {
            let op = match r.op {
                Operator::Equals => 0,
                Operator::In => 1,
                Operator::NotIn => 2,
                Operator::Exists => 3,
                Operator::DoesNotExist => 4,
            };
            let mut values: Vec<String> = r.values.to_vec();
            crate::sort::sort(&mut values);
            (r.key.clone(), op, values)
        })
        .collect();
    crate::sort::sort(&mut key);
    key
}

/// An address as a point on one line per family, so CIDRs become ranges.
fn ip_point(ip: &IpAddr) -> (u8, u128) {
    match ip {
        IpAddr::V4(v4) => (4, u32::from(*v4).into()),
        IpAddr::V6(v6) => (6, u128::from(*v6)),
    }
}

fn net_range(net: &IpNet) -> (u8, u128, u128) {
    let (family, lo) = ip_point(&net.network());
    let (_, hi) = ip_point(&net.broadcast());
    (family, lo, hi)
}

/// Everything about the scenario's endpoints that selectors and ipBlocks
/// need, with caches for the distinct selectors and blocks. Owns all it
/// holds (the lifetime only ties it to one scenario for its users).
pub(crate) struct Selections<'a> {
    /// Number of endpoints.
    pub(crate) len: usize,
    /// Namespace name to index: the scenario's namespaces, then any an
    /// endpoint uses that the scenario does not list (with no labels, as the
    /// evaluator treats them).
    lookup: BTreeMap<String, u32>,
    /// Endpoints of each namespace.
    members: Vec<Vec<u32>>,
    /// `hostNetwork` endpoints: never selected, never isolated.
    pub(crate) host_network: BitSet,
    pods: LabelIndex,
    namespaces: LabelIndex,
    /// Every endpoint IP as (family, value, endpoint), sorted.
    ips: Vec<(u8, u128, u32)>,
    /// Every endpoint IP in endpoint order: endpoint `e`'s are
    /// `endpoint_ips[ip_start[e]..ip_start[e + 1]]`.
    endpoint_ips: Vec<(u8, u128)>,
    ip_start: Vec<u32>,
    /// [`Selections::block`]'s sets of the CIDR alone, without `except`.
    cidr_cache: BTreeMap<IpNet, BitSet>,
    pod_cache: BTreeMap<SelectorKey, BitSet>,
    namespace_cache: BTreeMap<SelectorKey, BitSet>,
    block_cache: BTreeMap<(IpNet, Vec<IpNet>), BitSet>,
    scenario: PhantomData<&'a Scenario>,
}

static NO_LABELS: Labels = Labels::new();

/// The label keys pod selectors and namespace selectors mention.
fn selector_keys<'a>(scenario: &'a Scenario) -> (BTreeSet<&'a str>, BTreeSet<&'a str>) {
    let mut pods = BTreeSet::new();
    let mut namespaces = BTreeSet::new();
    let keys = |s: &'a LabelSelector| -> Vec<&'a str> { s.requirements.iter().map(|r| r.key.as_str()).collect() };
    for policy in &scenario.policies {
        pods.extend(keys(&policy.pod_selector));
        for rule in policy.ingress.iter().chain(&policy.egress) {
            for peer in &rule.peers {
                if let PeerKind::Selectors { namespace_selector, pod_selector } = &peer.kind {
                    namespaces.extend(namespace_selector.iter().flat_map(keys));
                    pods.extend(pod_selector.iter().flat_map(keys));
                }
            }
        }
    }
    // Cluster policies: subjects and peers (node selectors select nothing).
    for policy in &scenario.cluster_policies {
        let mut add = |ns: &'a LabelSelector, pod: Option<&'a LabelSelector>| {
            namespaces.extend(keys(ns));
            pods.extend(pod.into_iter().flat_map(keys));
        };
        match &policy.subject {
            ClusterSubject::Namespaces(ns) => add(ns, None),
            ClusterSubject::Pods { namespace_selector, pod_selector } => add(namespace_selector, Some(pod_selector)),
        }
        for peer in policy.ingress.iter().chain(&policy.egress).flat_map(|r| &r.peers) {
            match &peer.kind {
                ClusterPeerKind::Namespaces(ns) => add(ns, None),
                ClusterPeerKind::Pods { namespace_selector, pod_selector } => {
                    add(namespace_selector, Some(pod_selector))
                }
                ClusterPeerKind::Networks(..) | ClusterPeerKind::Nodes(_) => {}
            }
        }
    }
    (pods, namespaces)
}

impl<'a> Selections<'a> {
    /// The part before any endpoint: the scenario's namespaces and the keys
    /// to index. Endpoints are then indexed by [`Selections::add`] in runs
    /// (a [`super::MatrixJob`] does one run per step), and
    /// [`Selections::finish`] completes the index.
    pub(crate) fn start(scenario: &Scenario) -> Self {
        let len = scenario.endpoints.len();
        let mut lookup: BTreeMap<String, u32> = BTreeMap::new();
        for (i, n) in scenario.namespaces.iter().enumerate() {
            lookup.entry(n.name.clone()).or_insert(i as u32);
        }
        let (pod_keys, _) = selector_keys(scenario);
        Selections {
            len,
            pods: LabelIndex::build(len, core::iter::empty(), &pod_keys),
            namespaces: LabelIndex { len: 0, keys: BTreeMap::new() },
            lookup,
            members: alloc::vec![Vec::new(); scenario.namespaces.len()],
            host_network: BitSet::zeros(len),
            ips: Vec::new(),
            endpoint_ips: Vec::new(),
            ip_start: Vec::from([0]),
            cidr_cache: BTreeMap::new(),
            pod_cache: BTreeMap::new(),
            namespace_cache: BTreeMap::new(),
            block_cache: BTreeMap::new(),
            scenario: PhantomData,
        }
    }

    /// Indexes endpoints `range` (in order: each run starts where the last
    /// one ended).
    pub(crate) fn add(&mut self, scenario: &Scenario, range: core::ops::Range<usize>) {
        let mut last: Option<(&str, u32)> = None;
        let start = range.start;
        for (i, e) in scenario.endpoints.get(range).into_iter().flatten().enumerate() {
            let i = start + i;
            // Endpoints usually come grouped by namespace: skip the lookup then.
            let ns = match last {
                Some((name, ns)) if name == e.namespace => ns,
                _ => match self.lookup.get(e.namespace.as_str()) {
                    Some(&ns) => ns,
                    None => {
                        // A namespace the scenario does not list: no labels.
                        let next = self.members.len() as u32;
                        self.lookup.insert(e.namespace.clone(), next);
                        self.members.push(Vec::new());
                        next
                    }
                },
            };
            last = Some((e.namespace.as_str(), ns));
            if let Some(m) = self.members.get_mut(ns as usize) {
                m.push(i as u32);
            }
            if e.host_network {
                self.host_network.insert(i);
            }
            for ip in &e.ips {
                let (f, v) = ip_point(ip);
                self.ips.push((f, v, i as u32));
                self.endpoint_ips.push((f, v));
            }
            self.ip_start.push(u32::try_from(self.endpoint_ips.len()).unwrap_or(u32::MAX));
            self.pods.add(i as u32, &e.labels);
        }
    }

    /// Completes the index once every endpoint is added: the namespaces'
    /// label index (the listed namespaces, then those only endpoints name,
    /// without labels) and the sorted IPs.
    pub(crate) fn finish(&mut self, scenario: &Scenario) {
        let (_, namespace_keys) = selector_keys(scenario);
        let count = self.members.len();
        let labels = (0..count).map(|i| scenario.namespaces.get(i).map_or(&NO_LABELS, |n| &n.labels));
        self.namespaces = LabelIndex::build(count, labels, &namespace_keys);
        crate::sort::sort(&mut self.ips);
    }

    /// Each namespace name (the scenario's, then those only endpoints use)
    /// with its endpoints, ascending by name.
    pub(crate) fn namespace_members(&self) -> impl Iterator<Item = (&str, &[u32])> {
        self.lookup
            .iter()
            .map(|(name, &i)| (name.as_str(), self.members.get(i as usize).map_or(&[][..], Vec::as_slice)))
    }

    /// The endpoints of namespace `name` (none if no endpoint lives there).
    pub(crate) fn in_namespace(&self, name: &str) -> BitSet {
        let members = self.lookup.get(name).and_then(|&i| self.members.get(i as usize));
        BitSet::from_indices(self.len, members.into_iter().flatten().copied())
    }

    /// The endpoints whose labels `selector` matches (host-network included;
    /// callers remove them where selectors must not see them).
    pub(crate) fn pods(&mut self, selector: &LabelSelector) -> &BitSet {
        let pods = &self.pods;
        self.pod_cache.entry(selector_key(selector)).or_insert_with(|| pods.eval(selector))
    }

    /// The endpoints in namespaces `selector` matches.
    pub(crate) fn namespaces(&mut self, selector: &LabelSelector) -> &BitSet {
        let key = selector_key(selector);
        if !self.namespace_cache.contains_key(&key) {
            let set = self.namespaces_uncached(selector);
            self.namespace_cache.insert(key.clone(), set);
        }
        // Just inserted when missing; the fallback is never taken.
        self.namespace_cache.entry(key).or_insert_with(|| BitSet::zeros(0))
    }

    /// [`Selections::namespaces`] without the cache, for selectors that
    /// are not part of the scenario (check [`Selections::indexes`] first).
    pub(crate) fn namespaces_uncached(&self, selector: &LabelSelector) -> BitSet {
        let matched = self.namespaces.eval(selector);
        if matched.is_full() {
            return BitSet::ones(self.len);
        }
        let mut s = BitSet::zeros(self.len);
        for ns in matched.iter() {
            for &m in self.members.get(ns).into_iter().flatten() {
                s.insert(m as usize);
            }
        }
        s
    }

    /// The namespaces `selector` matches, by index in the scenario's
    /// namespaces (then those only endpoints name), or `None` when the index
    /// lacks one of its keys.
    pub(crate) fn matching_namespaces(&self, selector: &LabelSelector) -> Option<BitSet> {
        self.indexes(Some(selector), None).then(|| self.namespaces.eval(selector))
    }

    /// Whether the label index answers `pods` and `namespaces` exactly: the
    /// index holds only the keys the scenario's selectors mention, so a
    /// selector built elsewhere may mention one it lacks.
    pub(crate) fn indexes(&self, namespaces: Option<&LabelSelector>, pods: Option<&LabelSelector>) -> bool {
        let has = |index: &LabelIndex, s: Option<&LabelSelector>| {
            s.is_none_or(|s| s.requirements.iter().all(|r| index.keys.contains_key(r.key.as_str())))
        };
        has(&self.namespaces, namespaces) && has(&self.pods, pods)
    }

    /// The endpoints with at least one IP in `block` (in `cidr`, in no `except`).
    pub(crate) fn block(&mut self, block: &IpBlock) -> &BitSet {
        let key = (block.cidr, block.except.clone());
        if !self.block_cache.contains_key(&key) {
            let set = if block.except.is_empty() { self.cidr(block.cidr).clone() } else { self.with_except(block) };
            self.block_cache.insert(key.clone(), set);
        }
        self.block_cache.entry(key).or_insert_with(|| BitSet::zeros(0))
    }

    /// The endpoints with at least one IP in `cidr`, cached per CIDR.
    fn cidr(&mut self, cidr: IpNet) -> &BitSet {
        if !self.cidr_cache.contains_key(&cidr) {
            let set = self.in_range(net_range(&cidr), &[]);
            self.cidr_cache.insert(cidr, set);
        }
        self.cidr_cache.entry(cidr).or_insert_with(|| BitSet::zeros(0))
    }

    /// [`Selections::block`] for a block with `except` entries: the CIDR's
    /// set (shared by every block with that CIDR: a cluster's policies often
    /// write `10.0.0.0/8` with a different `except` each), then only the
    /// endpoints with an IP inside an `except` are looked at again. Costs
    /// the IPs in the excepts, not every IP in the CIDR.
    fn with_except(&mut self, block: &IpBlock) -> BitSet {
        let mut set = self.cidr(block.cidr).clone();
        let range = net_range(&block.cidr);
        let excepts: Vec<(u8, u128, u128)> = block.except.iter().map(net_range).collect();
        for &(family, lo, hi) in &excepts {
            let start = self.ips.partition_point(|&(f, v, _)| (f, v) < (family, lo));
            for &(f, v, e) in self.ips.get(start..).into_iter().flatten() {
                if (f, v) > (family, hi) {
                    break;
                }
                let e = e as usize;
                let ips = match (self.ip_start.get(e), self.ip_start.get(e + 1)) {
                    (Some(&a), Some(&b)) => self.endpoint_ips.get(a as usize..b as usize).unwrap_or(&[]),
                    _ => &[],
                };
                let kept = ips.iter().any(|&(f, v)| {
                    f == range.0
                        && range.1 <= v
                        && v <= range.2
                        && !excepts.iter().any(|&(ef, elo, ehi)| ef == f && elo <= v && v <= ehi)
                });
                if !kept {
                    set.remove(e);
                }
            }
        }
        set
    }

    /// The endpoints with an IP in `range` and in none of `excepts`.
    fn in_range(&self, (family, lo, hi): (u8, u128, u128), excepts: &[(u8, u128, u128)]) -> BitSet {
        let start = self.ips.partition_point(|&(f, v, _)| (f, v) < (family, lo));
        let mut s = BitSet::zeros(self.len);
        for &(f, v, e) in self.ips.get(start..).into_iter().flatten() {
            if (f, v) > (family, hi) {
                break;
            }
            if !excepts.iter().any(|&(ef, elo, ehi)| ef == f && elo <= v && v <= ehi) {
                s.insert(e as usize);
            }
        }
        s
    }

    /// [`Selections::block`] without the caches, endpoint IP by endpoint
    /// IP: what the cached computation is tested against.
    #[cfg(test)]
    pub(crate) fn block_uncached(&self, block: &IpBlock) -> BitSet {
        let excepts: Vec<(u8, u128, u128)> = block.except.iter().map(net_range).collect();
        self.in_range(net_range(&block.cidr), &excepts)
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec::Vec;

    use super::*;
    use crate::model::{Endpoint, EndpointKind};

    fn endpoint(name: &str, ips: &[&str]) -> Endpoint {
        Endpoint {
            namespace: "ns".to_string(),
            name: name.to_string(),
            kind: EndpointKind::Pod,
            labels: Labels::new(),
            ips: ips.iter().filter_map(|ip| ip.parse().ok()).collect(),
            ports: Vec::new(),
            host_network: false,
            span: Default::default(),
        }
    }

    fn block(cidr: &str, except: &[&str]) -> IpBlock {
        IpBlock {
            cidr: cidr.parse().unwrap_or_else(|_| IpNet::default()),
            cidr_span: Default::default(),
            except: except.iter().filter_map(|e| e.parse().ok()).collect(),
            except_spans: Vec::new(),
        }
    }

    /// The cached block sets (the CIDR's set once, then only the IPs in the
    /// excepts looked at again) equal the IP-by-IP computation, with
    /// endpoints holding IPs both inside and outside an except, in another
    /// family, and none.
    #[test]
    fn cached_blocks_equal_the_ip_by_ip_sets() {
        let mut scenario = Scenario::default();
        let ips: [&[&str]; 7] = [
            &["10.1.0.5"],
            &["10.2.0.5"],
            &["10.2.0.6", "10.3.0.1"],
            &["10.2.0.7", "192.168.1.1"],
            &["fd00::1", "10.2.0.8"],
            &[],
            &["11.0.0.1"],
        ];
        for (i, list) in ips.iter().enumerate() {
            scenario.endpoints.push(endpoint(&alloc::format!("p{i}"), list));
        }
        let mut sel = Selections::start(&scenario);
        sel.add(&scenario, 0..3);
        sel.add(&scenario, 3..scenario.endpoints.len());
        sel.finish(&scenario);
        let blocks = [
            block("10.0.0.0/8", &[]),
            block("10.0.0.0/8", &["10.2.0.0/16"]),
            block("10.0.0.0/8", &["10.2.0.0/16", "10.3.0.0/16"]),
            block("10.2.0.0/16", &["10.2.0.6/31"]),
            block("0.0.0.0/0", &["10.0.0.0/8", "192.168.0.0/16"]),
            block("fd00::/8", &["fd00::1/128"]),
        ];
        for b in &blocks {
            let slow: Vec<usize> = sel.block_uncached(b).iter().collect();
            let fast: Vec<usize> = sel.block(b).iter().collect();
            assert_eq!(fast, slow, "{} except {:?}", b.cidr, b.except);
        }
        assert_eq!(sel.block(&blocks[1]).iter().collect::<Vec<_>>(), [0, 2]);
    }
}
