//! Verdicts for flows between endpoints and external addresses, from
//! [`netpol_core::eval::is_allowed`], at a cost the 10,000-pod view affords.
//!
//! Asking the core about every (endpoint, external node, direction, probe)
//! against the whole scenario costs one scan of every policy per question:
//! seconds on a cluster with thousands of policies. The core is asked the
//! same questions against a copy of the scenario that holds only the
//! policies of the endpoint's own namespace. That is the same question: a
//! NetworkPolicy selects pods of its own namespace only (`spec.podSelector`,
//! "selects pods in the policy's namespace", networking.k8s.io/v1 API
//! reference), and the external end of such a flow is never subject to a
//! policy, so only the endpoint's side is decided and only its namespace's
//! policies can decide it. Nor does the core look at any endpoint but the
//! flow's own for such a flow, so the copy holds just that endpoint (as
//! endpoint 0), the cluster policies and the namespaces (only the
//! endpoint's own when there are no cluster policies): copying all
//! 150,000 endpoints (and dropping the copy) cost more than every question
//! asked. `external_edges_follow_is_allowed` in `model` checks the answers
//! against the core on the whole scenario.

use std::collections::BTreeMap;

use netpol_core::eval::{is_allowed, ExternalNode};
use netpol_core::labels::Labels;
use netpol_core::matrix::Matrix;
use netpol_core::{Flow, FlowEnd, Probe, Scenario};

/// Allowed-probe masks (bit `k` for `probes[k]`) per endpoint and external
/// node: `out` for endpoint → external, `inbound` for external → endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ExternalVerdicts {
    externals: usize,
    out: Vec<u64>,
    inbound: Vec<u64>,
}

impl ExternalVerdicts {
    /// Endpoint `i` → external node `x`.
    pub fn out(&self, i: usize, x: usize) -> u64 {
        self.out.get(i * self.externals + x).copied().unwrap_or(0)
    }

    /// External node `x` → endpoint `i`.
    pub fn inbound(&self, x: usize, i: usize) -> u64 {
        self.inbound.get(i * self.externals + x).copied().unwrap_or(0)
    }
}

/// Asks the core about the first `n` endpoints and every external node on
/// each of `probes`.
pub(super) fn verdicts(
    scenario: &Scenario,
    n: usize,
    externals: &[ExternalNode],
    probes: &[Probe],
) -> ExternalVerdicts {
    let own: Vec<usize> = (0..probes.len()).collect();
    verdicts_alike(scenario, None, &namespace_members(scenario, n), n, externals, probes, &own)
}

/// The first `n` endpoints by namespace: `members[k]` lists, ascending,
/// those in `scenario.namespaces[k]` (an endpoint in a namespace the list
/// lacks is in none).
pub(super) fn namespace_members(scenario: &Scenario, n: usize) -> Vec<Vec<usize>> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); scenario.namespaces.len()];
    for (i, e) in scenario.endpoints.iter().enumerate().take(n) {
        if let Ok(k) = scenario.namespaces.binary_search_by(|x| x.name.as_str().cmp(&e.namespace)) {
            members[k].push(i);
        }
    }
    members
}

/// [`verdicts`] asking only once per group of probes every rule treats
/// alike: `alike[k]` is the first probe of `k`'s group (see
/// `tally::alike`), whose answers `k` reuses. With `classes` (the
/// scenario's matrix), endpoints in one matrix class are asked once: a
/// class is endpoints every rule of every policy treats alike
/// (`Matrix::class_of`), so their flows to and from an address are decided
/// alike too. `members` are the first `n` endpoints by namespace
/// ([`namespace_members`]).
pub(super) fn verdicts_alike(
    scenario: &Scenario,
    classes: Option<&Matrix>,
    members: &[Vec<usize>],
    n: usize,
    externals: &[ExternalNode],
    probes: &[Probe],
    alike: &[usize],
) -> ExternalVerdicts {
    let x_count = externals.len();
    let mut v = ExternalVerdicts { externals: x_count, out: vec![0; n * x_count], inbound: vec![0; n * x_count] };
    if x_count == 0 || n == 0 {
        return v;
    }
    // Policies per namespace, in one pass (`members`: the endpoints, from
    // `namespace_members(scenario, n)`).
    let ns_index = |name: &str| scenario.namespaces.binary_search_by(|x| x.name.as_str().cmp(name)).ok();
    let mut policies: Vec<Vec<usize>> = vec![Vec::new(); scenario.namespaces.len()];
    for (p, policy) in scenario.policies.iter().enumerate() {
        if let Some(k) = ns_index(&policy.namespace) {
            policies[k].push(p);
        }
    }
    // The scenario the core is asked against: the namespaces and cluster
    // policies, then per namespace its policies and per question its
    // endpoint (index 0).
    // Without cluster policies only the endpoint's own namespace is read
    // (its labels, for the endpoint's end), so the copy holds just that one
    // and the core's namespace lookups stay short.
    let own_namespace_only = scenario.cluster_policies.is_empty();
    let mut local = Scenario {
        namespaces: if own_namespace_only { Vec::new() } else { scenario.namespaces.clone() },
        cluster_policies: scenario.cluster_policies.clone(),
        ..Scenario::default()
    };
    // One representative per matrix class, whatever its namespace: a class
    // is endpoints every rule of every policy (and so every namespace's
    // policies) treats alike.
    let mut by_class: Vec<usize> = vec![usize::MAX; classes.map_or(0, Matrix::class_count)];
    for (k, (list, own)) in members.iter().zip(&policies).enumerate() {
        // The namespace's policies (and namespace) are copied when its first
        // question is asked: many namespaces only reuse answers.
        let mut loaded = false;
        // Without classes, endpoints of one namespace with equal labels,
        // declared ports and host-network flag are the same question to the
        // core (an external end is never an endpoint: `external_nodes` picks
        // addresses no endpoint has), so each such group is asked once.
        let mut seen: BTreeMap<(&Labels, bool), Vec<usize>> = BTreeMap::new();
        for &i in list.iter().filter(|&&i| i < n) {
            let Some(e) = scenario.endpoints.get(i) else { continue };
            let class = classes.and_then(|m| m.class_of(i));
            let twin = match class {
                Some(c) => by_class.get(c).copied().filter(|&r| r != usize::MAX),
                None => {
                    let reps = seen.entry((&e.labels, e.host_network)).or_default();
                    let twin =
                        reps.iter().copied().find(|&r| scenario.endpoints.get(r).is_some_and(|o| o.ports == e.ports));
                    if twin.is_none() {
                        reps.push(i);
                    }
                    twin
                }
            };
            if let Some(r) = twin {
                for x in 0..x_count {
                    v.out[i * x_count + x] = v.out[r * x_count + x];
                    v.inbound[i * x_count + x] = v.inbound[r * x_count + x];
                }
                continue;
            }
            if let Some(slot) = class.and_then(|c| by_class.get_mut(c)) {
                *slot = i;
            }
            if !loaded {
                local.policies = own.iter().filter_map(|&p| scenario.policies.get(p).cloned()).collect();
                if own_namespace_only {
                    local.namespaces = scenario.namespaces.get(k).cloned().into_iter().collect();
                }
                loaded = true;
            }
            local.endpoints.clear();
            local.endpoints.push(e.clone());
            let me = FlowEnd::Endpoint(0);
            for (x, ext) in externals.iter().enumerate() {
                let them = FlowEnd::Ip(ext.address);
                let (mut out, mut into) = (0u64, 0u64);
                for (k, &probe) in probes.iter().enumerate() {
                    let first = alike.get(k).copied().filter(|&f| f < k);
                    let (o, i) = match first {
                        Some(f) => (out >> f & 1 == 1, into >> f & 1 == 1),
                        None => (
                            is_allowed(&local, &Flow { from: me, to: them, probe }),
                            is_allowed(&local, &Flow { from: them, to: me, probe }),
                        ),
                    };
                    out |= u64::from(o) << k;
                    into |= u64::from(i) << k;
                }
                v.out[i * x_count + x] = out;
                v.inbound[i * x_count + x] = into;
            }
        }
    }
    v
}
