//! What every check needs: the scenario, which endpoints each policy selects
//! and each peer entry admits (asked of the evaluator once), and the small
//! wording helpers that keep messages consistent.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{OnceCell, RefCell};

use super::index::Groups;
use super::{severity_and_title, Finding, Severity};
use crate::eval::{peer_admits, policy_selects};
use crate::explain::FlowEnd;
use crate::labels::{LabelSelector, Labels, Operator, Requirement};
use crate::matrix::bitset::BitSet;
use crate::matrix::select::Selections;
use crate::model::{Direction, Endpoint, Namespace, NetworkPolicy, Peer, PeerKind, Scenario};
use crate::span::Span;

/// What every check needs, computed once per scenario and owned (no
/// borrow of the scenario), so a [`super::LintJob`] can keep it between
/// steps. Built in bounded steps by [`Prepare`].
pub(crate) struct Prepared {
    /// Per policy: the endpoints it selects (host-network pods excluded:
    /// policies never isolate them).
    selected: Vec<Vec<usize>>,
    /// Endpoints by namespace name, to look only where a peer can match.
    by_namespace: NamespaceGroups,
    /// The fast matrix's selector bitsets (inverted label index, sorted
    /// IPs), with their caches per distinct selector and ipBlock: a peer's
    /// admitted endpoints are a few bitset operations instead of one
    /// evaluator call per candidate endpoint. The two agree on every peer
    /// (the matrix property test, `core/tests/prop_matrix.rs`, and
    /// `fast_admitted_equals_the_evaluator_on_every_preset_peer` below).
    selections: RefCell<Selections<'static>>,
    /// Per endpoint, [`Cx::egress_key`].
    egress_keys: EgressKeys,
}

/// Endpoints the label index takes in per [`Prepare::step`] (a few in unit
/// tests, so the presets' small clusters are indexed in several runs too).
const INDEX_RUN: usize = if cfg!(test) { 3 } else { 16 * 1024 };
/// Policies whose selected endpoints are found per [`Prepare::step`].
const SELECTED_RUN: usize = if cfg!(test) { 2 } else { 1024 };

/// [`Prepared`] under construction, one bounded piece per
/// [`Prepare::step`]: the label index's start, the index in runs of
/// endpoints, its completion with the namespace groups, the policies'
/// selections in runs of policies, then the egress keys. The scenario must be the same at every step.
pub(crate) struct Prepare {
    by_namespace: Option<NamespaceGroups>,
    selections: Option<Selections<'static>>,
    indexed: usize,
    index_finished: bool,
    selected: Vec<Vec<usize>>,
    done: Option<Prepared>,
}

impl Prepare {
    pub(crate) fn new() -> Self {
        Prepare {
            by_namespace: None,
            selections: None,
            indexed: 0,
            index_finished: false,
            selected: Vec::new(),
            done: None,
        }
    }

    /// Whether the context is complete.
    pub(crate) fn prepared_ready(&self) -> bool {
        self.done.is_some()
    }

    /// What the next step does, for profiling marks.
    pub(crate) fn next_name(&self) -> &'static str {
        match &self.selections {
            _ if self.done.is_some() => "context: done",
            None => "context: start",
            Some(_) if !self.index_finished => "context: label index, namespace groups",
            Some(_) => "context: selected pods, egress keys",
        }
    }

    /// Does one bounded piece; returns the finished context when this step
    /// completed it (then and later: `Some`).
    pub(crate) fn step(&mut self, scenario: &Scenario) -> Option<&Prepared> {
        if self.done.is_some() {
            return self.done.as_ref();
        }
        let Some(selections) = &mut self.selections else {
            self.selections = Some(Selections::start(scenario));
            return None;
        };
        let endpoints = scenario.endpoints.len();
        if self.indexed < endpoints {
            let end = endpoints.min(self.indexed + INDEX_RUN);
            selections.add(scenario, self.indexed..end);
            self.indexed = end;
            return None;
        }
        if !self.index_finished {
            selections.finish(scenario);
            self.by_namespace = Some(NamespaceGroups::new(selections));
            self.index_finished = true;
            return None;
        }
        let Some(by_namespace) = &self.by_namespace else { return None };
        if self.selected.len() < scenario.policies.len() {
            // A policy selects only in its namespace: try those endpoints
            // alone, against the bitset of its podSelector (one per distinct
            // selector).
            let policies = scenario.policies.iter().skip(self.selected.len()).take(SELECTED_RUN);
            for p in policies {
                let candidates = by_namespace.get(p.namespace.as_str()).unwrap_or(&[]).iter().copied();
                let selectable = |i: &usize| scenario.endpoints.get(*i).is_some_and(|e| !e.host_network);
                let selected = if selections.indexes(None, Some(&p.pod_selector)) {
                    let pods = selections.pods(&p.pod_selector);
                    candidates.filter(|i| pods.contains(*i)).filter(selectable).collect()
                } else {
                    let endpoint = |i: &usize| scenario.endpoints.get(*i);
                    candidates
                        .filter(selectable)
                        .filter(|i| endpoint(i).is_some_and(|e| policy_selects(p, e)))
                        .collect()
                };
                self.selected.push(selected);
            }
            if self.selected.len() < scenario.policies.len() {
                return None;
            }
        }
        let (Some(by_namespace), Some(mut selections)) = (self.by_namespace.take(), self.selections.take()) else {
            return None;
        };
        let selected = core::mem::take(&mut self.selected);
        let egress_keys = egress_keys(scenario, &selected, &mut selections);
        self.done = Some(Prepared { selected, by_namespace, selections: RefCell::new(selections), egress_keys });
        self.done.as_ref()
    }
}

#[cfg(test)]
impl Prepared {
    /// The whole context at once.
    pub(crate) fn new(scenario: &Scenario) -> Self {
        let mut prepare = Prepare::new();
        while prepare.step(scenario).is_none() {}
        prepare.done.expect("Prepare::step ends with the context")
    }
}

/// The scenario and its [`Prepared`] context, as the checks see them.
pub(crate) struct Cx<'a> {
    pub(crate) scenario: &'a Scenario,
    selected: &'a [Vec<usize>],
    by_namespace: &'a NamespaceGroups,
    selections: &'a RefCell<Selections<'static>>,
    egress_keys: &'a EgressKeys,
    /// Endpoints by one of their labels (`key`, `value`), ascending. Built
    /// on first use: only selectors the bitsets cannot answer (a key no
    /// selector of the scenario mentions) need it, and sorting every label
    /// of a 150,000-pod cluster costs more than the rest of the lint.
    by_label: OnceCell<Groups<(&'a str, &'a str)>>,
}

impl<'a> Cx<'a> {
    /// The checks' view of `scenario`, whose context `prepared` is.
    pub(crate) fn view(scenario: &'a Scenario, prepared: &'a Prepared) -> Self {
        Cx {
            scenario,
            selected: &prepared.selected,
            by_namespace: &prepared.by_namespace,
            selections: &prepared.selections,
            egress_keys: &prepared.egress_keys,
            by_label: OnceCell::new(),
        }
    }

    /// The endpoints policy `index` selects.
    pub(crate) fn selected(&self, index: usize) -> &[usize] {
        self.selected.get(index).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The policies, with their index.
    pub(crate) fn policies(&self) -> impl Iterator<Item = (usize, &'a NetworkPolicy)> + 'a {
        self.scenario.policies.iter().enumerate()
    }

    /// The endpoints `peer`, an entry of a policy in `namespace` (of the
    /// scenario or built by a check to compare readings), admits, by the
    /// evaluator's own test.
    pub(crate) fn admitted(&self, namespace: &str, peer: &Peer) -> BitSet {
        if let Some(set) = self.admitted_set(namespace, peer) {
            return set;
        }
        let admitted = self
            .candidates(namespace, peer)
            .filter(|&i| peer_admits(self.scenario, namespace, peer, FlowEnd::Endpoint(i)))
            .filter_map(|i| u32::try_from(i).ok());
        BitSet::from_indices(self.scenario.endpoints.len(), admitted)
    }

    /// Whether `peer` admits at least one endpoint.
    pub(crate) fn admits_any(&self, namespace: &str, peer: &Peer) -> bool {
        if let Some(set) = self.admitted_set(namespace, peer) {
            return set.iter().next().is_some();
        }
        self.candidates(namespace, peer).any(|i| peer_admits(self.scenario, namespace, peer, FlowEnd::Endpoint(i)))
    }

    /// The endpoints `peer` admits from the selector bitsets, the way the
    /// matrix computes a rule's peer set (selectors never admit host-network
    /// endpoints; ipBlocks admit endpoints by any of their IPs). `None` when
    /// the label index lacks a key the peer mentions (a peer built by a
    /// check can mention keys no scenario selector does).
    fn admitted_set(&self, namespace: &str, peer: &Peer) -> Option<BitSet> {
        let mut sel = self.selections.borrow_mut();
        match &peer.kind {
            PeerKind::IpBlock(block) => Some(sel.block(block).clone()),
            PeerKind::Selectors { namespace_selector, pod_selector } => {
                if !sel.indexes(namespace_selector.as_ref(), pod_selector.as_ref()) {
                    return None;
                }
                let mut s = match namespace_selector {
                    Some(n) => sel.namespaces(n).clone(),
                    None => sel.in_namespace(namespace),
                };
                if let Some(p) = pod_selector {
                    s.intersect_with(sel.pods(p));
                }
                s.subtract(&sel.host_network);
                Some(s)
            }
        }
    }

    /// The endpoints a peer can possibly admit: for a selector entry, those
    /// of the namespaces it can match whose labels its podSelector matches
    /// (necessary conditions, so large scenarios stay fast; the verdict is
    /// still the evaluator's); for an ipBlock, every endpoint.
    fn candidates<'s>(&'s self, namespace: &'s str, peer: &'s Peer) -> Box<dyn Iterator<Item = usize> + 's> {
        let PeerKind::Selectors { namespace_selector, pod_selector } = &peer.kind else {
            return Box::new(0..self.scenario.endpoints.len());
        };
        let namespace_ok = move |n: &Namespace| match namespace_selector {
            Some(sel) => sel.matches(&n.labels),
            None => n.name == namespace,
        };
        let pod_ok = move |i: usize| {
            let labels = self.scenario.endpoints.get(i).map(|e| &e.labels);
            labels.is_some_and(|l| pod_selector.as_ref().is_none_or(|s| s.matches(l)))
        };
        // Start from the smaller of: the endpoints of the matching
        // namespaces, and the endpoints carrying the pod selector's most
        // selective equality label (only they can match).
        let namespaces: Vec<&str> =
            self.scenario.namespaces.iter().filter(|n| namespace_ok(n)).map(|n| n.name.as_str()).collect();
        let in_namespaces: usize = namespaces.iter().filter_map(|n| self.by_namespace.get(n)).map(<[usize]>::len).sum();
        let by_label = pod_selector.as_ref().and_then(|s| self.smallest_label_list(s));
        match by_label {
            Some(listed) if listed.len() < in_namespaces => {
                let mut namespaces = namespaces;
                crate::sort::sort(&mut namespaces);
                Box::new(listed.iter().copied().filter(move |&i| {
                    let in_namespace = self
                        .scenario
                        .endpoints
                        .get(i)
                        .is_some_and(|e| namespaces.binary_search(&e.namespace.as_str()).is_ok());
                    in_namespace && pod_ok(i)
                }))
            }
            _ => Box::new(
                namespaces
                    .into_iter()
                    .filter_map(|n| self.by_namespace.get(n))
                    .flat_map(|v| v.iter().copied())
                    .filter(move |&i| pod_ok(i)),
            ),
        }
    }

    /// The scenario's namespaces `selector` matches, in order.
    pub(crate) fn matching_namespaces(&self, selector: &LabelSelector) -> Vec<&'a Namespace> {
        let namespaces = &self.scenario.namespaces;
        match self.selections.borrow().matching_namespaces(selector) {
            Some(set) => set.iter().map_while(|i| namespaces.get(i)).collect(),
            None => namespaces.iter().filter(|n| selector.matches(&n.labels)).collect(),
        }
    }

    /// The endpoints of the namespaces named `names` as a set.
    pub(crate) fn in_namespaces_set(&self, names: &[&str]) -> BitSet {
        let members = names.iter().filter_map(|n| self.by_namespace.get(n)).flatten();
        BitSet::from_indices(self.scenario.endpoints.len(), members.filter_map(|&i| u32::try_from(i).ok()))
    }

    /// Endpoints by label, built on first use.
    fn by_label(&self) -> &Groups<(&'a str, &'a str)> {
        self.by_label.get_or_init(|| {
            let labels = self.scenario.endpoints.iter().enumerate();
            Groups::new(
                labels.flat_map(|(i, e)| e.labels.iter().map(move |(k, v)| ((k.as_str(), v.as_str()), i))).collect(),
            )
        })
    }

    /// The shortest label-index list among `selector`'s equality
    /// requirements: a superset of the endpoints it matches.
    fn smallest_label_list<'s>(&'s self, selector: &'s LabelSelector) -> Option<&'s [usize]> {
        selector
            .requirements
            .iter()
            .filter(|r| r.op == Operator::Equals)
            .map(|r| {
                let value = r.values.first().map(String::as_str).unwrap_or("");
                self.by_label().get(&(r.key.as_str(), value)).unwrap_or(&[])
            })
            .min_by_key(|l| l.len())
    }

    /// The endpoints (of any namespace, not host-network) whose labels
    /// `selector` matches, ascending; through the label index when the
    /// selector has an equality requirement.
    pub(crate) fn labelled(&self, selector: &LabelSelector) -> BitSet {
        let mut sel = self.selections.borrow_mut();
        if sel.indexes(None, Some(selector)) {
            let mut s = sel.pods(selector).clone();
            s.subtract(&sel.host_network);
            return s;
        }
        drop(sel);
        let ok = |i: &usize| self.endpoint(*i).is_some_and(|e| !e.host_network && selector.matches(&e.labels));
        let len = self.scenario.endpoints.len();
        let members: Vec<u32> = match self.smallest_label_list(selector) {
            Some(listed) => listed.iter().copied().filter(ok).filter_map(|i| u32::try_from(i).ok()).collect(),
            None => (0..len).filter(ok).filter_map(|i| u32::try_from(i).ok()).collect(),
        };
        BitSet::from_indices(len, members)
    }

    /// The endpoints (host-network ones excluded) with an IP in `block`.
    pub(crate) fn in_block_on_pod_network(&self, block: &crate::model::IpBlock) -> BitSet {
        let mut sel = self.selections.borrow_mut();
        let mut s = sel.block(block).clone();
        s.subtract(&sel.host_network);
        s
    }

    /// What an egress verdict of endpoint `index` towards a fixed
    /// destination depends on: the policies with egress rules that select it
    /// (NetworkPolicies with the Egress type by index, then cluster policies
    /// as `u32::MAX - index`). Endpoints with equal keys get equal egress
    /// sides, so a check can evaluate one of them for all.
    pub(crate) fn egress_key(&self, index: usize) -> Option<&[u32]> {
        self.egress_keys.get(index)
    }

    /// The endpoint at `index`.    /// The endpoint at `index`.
    pub(crate) fn endpoint(&self, index: usize) -> Option<&'a Endpoint> {
        self.scenario.endpoints.get(index)
    }

    /// Whether namespace `name` has at least one endpoint.
    pub(crate) fn has_endpoints_in(&self, name: &str) -> bool {
        self.by_namespace.get(name).is_some()
    }

    /// The endpoints of the namespaces named `names` (as the endpoints spell
    /// their namespace), ascending.
    pub(crate) fn in_namespaces(&self, names: &[&str]) -> Vec<usize> {
        let mut out: Vec<usize> = names.iter().filter_map(|n| self.by_namespace.get(n)).flatten().copied().collect();
        crate::sort::sort(&mut out);
        out.dedup();
        out
    }

    /// [`Cx::names`] of the members of `set`.
    pub(crate) fn names_in(&self, set: &BitSet) -> String {
        let shown = set.iter().take(5).filter_map(|i| self.endpoint(i)).map(endpoint_name);
        let mut out = list(shown, 5);
        let count = set.count();
        if count > 5 {
            out.push_str(&format!(" and {} more", count - 5));
        }
        out
    }

    /// `ns/name` of each endpoint, at most five, then "and N more".
    pub(crate) fn names(&self, indices: &[usize]) -> String {
        let shown = indices.iter().take(5).filter_map(|&i| self.endpoint(i)).map(endpoint_name);
        let mut out = list(shown, 5);
        if indices.len() > 5 {
            out.push_str(&format!(" and {} more", indices.len() - 5));
        }
        out
    }
}

/// Endpoints grouped by namespace name, ascending within a namespace: the
/// label index's own grouping (it looks every endpoint's namespace up once
/// anyway), kept as sorted names and one list per name.
struct NamespaceGroups {
    /// Namespace names, ascending; `members` has one list per name.
    names: Vec<String>,
    members: Vec<Vec<usize>>,
}

impl NamespaceGroups {
    fn new(selections: &Selections<'_>) -> Self {
        let (mut names, mut members) = (Vec::new(), Vec::new());
        for (name, list) in selections.namespace_members() {
            names.push(String::from(name));
            members.push(list.iter().map(|&i| i as usize).collect());
        }
        NamespaceGroups { names, members }
    }

    /// The endpoints of namespace `name`, if it has any.
    fn get(&self, name: &str) -> Option<&[usize]> {
        let i = self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()?;
        self.members.get(i).map(Vec::as_slice).filter(|list| !list.is_empty())
    }
}

/// [`Cx::egress_key`] of every endpoint: the egress-typed policies in
/// `selected`, then the cluster policies with egress rules whose subject
/// selects it (host-network endpoints are never subjects).
fn egress_keys(scenario: &Scenario, selected: &[Vec<usize>], sel: &mut Selections<'_>) -> EgressKeys {
    // (endpoint, key entry) pairs in the order each endpoint's key lists
    // them, then laid out as one list (no vector per endpoint: 150,000 of
    // them cost more to allocate and free than to fill).
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for ((pi, policy), members) in scenario.policies.iter().enumerate().zip(selected) {
        if policy.policy_types.egress {
            pairs.extend(members.iter().filter_map(|&e| u32::try_from(e).ok()).map(|e| (e, pi as u32)));
        }
    }
    for (ci, policy) in scenario.cluster_policies.iter().enumerate() {
        if policy.egress.is_empty() {
            continue;
        }
        let mut subject = match &policy.subject {
            crate::model::ClusterSubject::Namespaces(ns) => sel.namespaces(ns).clone(),
            crate::model::ClusterSubject::Pods { namespace_selector, pod_selector } => {
                let mut s = sel.namespaces(namespace_selector).clone();
                s.intersect_with(sel.pods(pod_selector));
                s
            }
        };
        subject.subtract(&sel.host_network);
        pairs.extend(subject.iter().filter_map(|e| u32::try_from(e).ok()).map(|e| (e, u32::MAX - ci as u32)));
    }
    // Counting sort by endpoint, stable: each key keeps the order above.
    let len = scenario.endpoints.len();
    let mut start = alloc::vec![0u32; len + 1];
    for &(e, _) in &pairs {
        if let Some(c) = start.get_mut(e as usize + 1) {
            *c += 1;
        }
    }
    for e in 0..len {
        let before = start.get(e).copied().unwrap_or(0);
        if let Some(c) = start.get_mut(e + 1) {
            *c += before;
        }
    }
    let mut next = start.clone();
    let mut keys = alloc::vec![0u32; pairs.len()];
    for (e, k) in pairs {
        if let Some(slot) = next.get_mut(e as usize) {
            if let Some(place) = keys.get_mut(*slot as usize) {
                *place = k;
            }
            *slot += 1;
        }
    }
    EgressKeys { start, keys }
}

/// Every endpoint's [`Cx::egress_key`], laid out as one list: endpoint
/// `e`'s is `keys[start[e]..start[e + 1]]`.
pub(crate) struct EgressKeys {
    start: Vec<u32>,
    keys: Vec<u32>,
}

impl EgressKeys {
    fn get(&self, e: usize) -> Option<&[u32]> {
        let (a, b) = (*self.start.get(e)?, *self.start.get(e + 1)?);
        self.keys.get(a as usize..b as usize)
    }
}

/// A finding of catalogue rule `id` (severity and title from [`super::RULES`]).
pub(crate) fn finding(
    id: &'static str,
    policy: Option<usize>,
    span: Span,
    path: String,
    message: String,
    fix: String,
) -> Finding {
    let (severity, title) = severity_and_title(id).unwrap_or((Severity::Warning, ""));
    Finding { id, severity, title, policy, span, path, message, fix, related: Vec::new() }
}

/// `namespace/name`.
pub(crate) fn endpoint_name(e: &Endpoint) -> String {
    format!("{}/{}", e.namespace, e.name)
}

/// `namespace/name` of a policy, in backticks.
pub(crate) fn policy_name(p: &NetworkPolicy) -> String {
    format!("`{}/{}`", p.namespace, p.name)
}

/// `spec.ingress[i]` / `spec.egress[i]`.
pub(crate) fn rule_path(direction: Direction, index: usize) -> String {
    format!("spec.{}[{index}]", direction.as_str())
}

/// `spec.ingress[i].from[j]` / `spec.egress[i].to[j]`.
pub(crate) fn peer_path(direction: Direction, rule: usize, peer: usize) -> String {
    format!("{}.{}[{peer}]", rule_path(direction, rule), direction.peers_field())
}

/// Items in backticks, comma separated, at most `max`, then "and N more".
/// Only the shown items are formatted: lists can be long.
pub(crate) fn list<S: AsRef<str>>(items: impl Iterator<Item = S>, max: usize) -> String {
    let mut out = String::new();
    let mut rest = 0usize;
    for (i, item) in items.enumerate() {
        if i >= max {
            rest += 1;
            continue;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(item.as_ref());
        out.push('`');
    }
    if rest > 0 {
        out.push_str(&format!(" and {rest} more"));
    }
    out
}

/// The smallest span covering both.
pub(crate) fn join(a: Span, b: Span) -> Span {
    Span { start: a.start.min(b.start), end: a.end.max(b.end), ..a }
}

/// One requirement as a person reads it: `app=web`, `env in (a, b)`,
/// `team` (exists), `!team`.
pub(crate) fn requirement_text(r: &Requirement) -> String {
    match r.op {
        Operator::Equals => format!("{}={}", r.key, r.values.first().map(String::as_str).unwrap_or("")),
        Operator::In => format!("{} in ({})", r.key, r.values.join(", ")),
        Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(", ")),
        Operator::Exists => r.key.clone(),
        Operator::DoesNotExist => format!("!{}", r.key),
    }
}

/// A selector as a person reads it: `app=web, tier=front` or `{}`.
pub(crate) fn selector_text(s: &LabelSelector) -> String {
    if s.is_empty() {
        return String::from("{}");
    }
    s.requirements.iter().map(requirement_text).collect::<Vec<_>>().join(", ")
}

/// Labels as `k=v, k=v` (without the automatic namespace name label), or
/// "no labels".
pub(crate) fn labels_text(labels: &Labels) -> String {
    let shown: Vec<String> = labels
        .iter()
        .filter(|(k, _)| k.as_str() != crate::model::NAMESPACE_NAME_LABEL)
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if shown.is_empty() {
        String::from("no labels")
    } else {
        shown.join(", ")
    }
}

/// Why `labels` fail `r`, as a clause: "has no `purpose` label", "has
/// `env=staging`, not `env=production`".
pub(crate) fn failure_text(r: &Requirement, labels: &Labels) -> String {
    match (r.op, labels.get(&r.key)) {
        (Operator::DoesNotExist, Some(v)) => format!("has `{}={v}`, which `!{}` excludes", r.key, r.key),
        (Operator::NotIn, Some(v)) => format!("has `{}={v}`, which `{}` excludes", r.key, requirement_text(r)),
        (_, Some(v)) => format!("has `{}={v}`, not `{}`", r.key, requirement_text(r)),
        (_, None) => format!("has no `{}` label", r.key),
    }
}

/// The YAML a `matchLabels` block would have for `pairs`, indented by
/// `indent` spaces.
pub(crate) fn match_labels_yaml(pairs: &[(&str, &str)], indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = format!("{pad}matchLabels:\n");
    for (k, v) in pairs {
        out.push_str(&format!("{pad}  {k}: {v}\n"));
    }
    out
}

/// Levenshtein distance, for "did you mean" (short names only).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bitset fast path answers exactly as the evaluator asked endpoint
    /// by endpoint, on every peer of every preset (and on the label-only
    /// lookups `labelled` serves).
    #[cfg(feature = "yaml")]
    #[test]
    fn fast_admitted_equals_the_evaluator_on_every_preset_peer() {
        for preset in crate::presets::PRESETS {
            let s = crate::parse::parse_str(preset.yaml).scenario;
            let prepared = Prepared::new(&s);
            let cx = Cx::view(&s, &prepared);
            for policy in &s.policies {
                for peer in policy.ingress.iter().chain(&policy.egress).flat_map(|r| &r.peers) {
                    let slow: Vec<usize> = (0..s.endpoints.len())
                        .filter(|&i| peer_admits(&s, &policy.namespace, peer, FlowEnd::Endpoint(i)))
                        .collect();
                    let fast: Vec<usize> = cx.admitted(&policy.namespace, peer).iter().collect();
                    assert_eq!(fast, slow, "{} {:?}", preset.id, peer.kind);
                    if let PeerKind::Selectors { pod_selector: Some(sel), .. } = &peer.kind {
                        let slow: Vec<usize> = (0..s.endpoints.len())
                            .filter(|&i| cx.endpoint(i).is_some_and(|e| !e.host_network && sel.matches(&e.labels)))
                            .collect();
                        assert_eq!(cx.labelled(sel).iter().collect::<Vec<_>>(), slow, "{}", preset.id);
                    }
                }
            }
        }
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("production", "prodution"), 1);
        assert_eq!(edit_distance("kube-system", "kube-sytem"), 1);
        assert_eq!(edit_distance("a", "abc"), 2);
        assert_eq!(edit_distance("", "ab"), 2);
    }

    #[test]
    fn list_truncates_after_max() {
        let items = ["a", "b", "c"].iter().map(|s| String::from(*s));
        assert_eq!(list(items, 2), "`a`, `b` and 1 more");
    }
}
