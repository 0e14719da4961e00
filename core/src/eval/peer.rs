//! Flow ends and `from[j]`/`to[j]` peer entries checked against them.
//!
//! A peer entry is the AND of its terms: `namespaceSelector` (or, when absent,
//! the implied "same namespace as the policy"), `podSelector`, or `ipBlock`.
//! Selectors only ever match pods on the pod network: never an external
//! address, never a `hostNetwork` pod. An `ipBlock` matches an external
//! address, or an endpoint when ANY of its IPs is in the block.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::explain::{FlowEnd, LabelSubject, PeerCheck, Reason, Term, TermCheck};
use crate::labels::{LabelSelector, Labels};
use crate::model::{Endpoint, IpBlock, Peer, PeerKind, Scenario};
use crate::span::Span;

use super::selector;

/// Labels of a namespace the scenario does not list (its invariants say this
/// cannot happen; if it does, the namespace simply has no labels).
static NO_LABELS: Labels = Labels::new();

/// One end of a flow, looked up in the scenario once.
#[derive(Clone, Copy, Debug)]
pub(crate) enum End<'a> {
    /// An endpoint of the scenario.
    Endpoint {
        /// Its index.
        index: usize,
        /// The endpoint.
        endpoint: &'a Endpoint,
        /// Its namespace's labels.
        namespace_labels: &'a Labels,
    },
    /// An external address.
    Ip(IpAddr),
    /// An endpoint index the scenario does not have: no policy selects it and
    /// no peer matches it.
    Unknown(usize),
}

impl<'a> End<'a> {
    /// Looks `end` up in `scenario`.
    pub(crate) fn resolve(scenario: &'a Scenario, end: FlowEnd) -> End<'a> {
        match end {
            FlowEnd::Ip(ip) => End::Ip(ip),
            FlowEnd::Endpoint(index) => match scenario.endpoints.get(index) {
                Some(endpoint) => End::Endpoint {
                    index,
                    endpoint,
                    namespace_labels: scenario.namespace_labels(&endpoint.namespace).unwrap_or(&NO_LABELS),
                },
                None => End::Unknown(index),
            },
        }
    }

    /// `namespace/name`, the IP, or `#index` for messages.
    pub(crate) fn label(&self) -> String {
        match self {
            End::Endpoint { endpoint, .. } => endpoint_name(endpoint),
            End::Ip(ip) => format!("{ip}"),
            End::Unknown(i) => format!("#{i}"),
        }
    }
}

/// `namespace/name`.
pub(crate) fn endpoint_name(endpoint: &Endpoint) -> String {
    format!("{}/{}", endpoint.namespace, endpoint.name)
}

/// The pod and namespace labels selectors are checked against, or why
/// selectors cannot match this end at all.
pub(crate) fn selectable<'a>(end: &End<'a>) -> Result<(&'a Endpoint, &'a Labels), Reason> {
    match *end {
        End::Endpoint { endpoint, .. } if endpoint.host_network => {
            Err(Reason::HostNetworkNotSelectable { endpoint: endpoint_name(endpoint) })
        }
        End::Endpoint { endpoint, namespace_labels, .. } => Ok((endpoint, namespace_labels)),
        End::Ip(ip) => Err(Reason::ExternalNotSelectable { ip }),
        End::Unknown(index) => Err(Reason::UnknownEndpoint { index }),
    }
}

/// Whether the peer entry admits `end`, for a policy in `policy_namespace`.
pub(crate) fn matches(policy_namespace: &str, peer: &Peer, end: &End) -> bool {
    match &peer.kind {
        PeerKind::IpBlock(block) => ip_block_matches(block, end),
        PeerKind::Selectors { namespace_selector, pod_selector } => {
            let Ok((endpoint, namespace_labels)) = selectable(end) else { return false };
            let namespace_ok = match namespace_selector {
                Some(sel) => sel.matches(namespace_labels),
                None => endpoint.namespace == policy_namespace,
            };
            namespace_ok && pod_selector.as_ref().is_none_or(|sel| sel.matches(&endpoint.labels))
        }
    }
}

/// Whether an ipBlock admits `end`: an address in the block, or an endpoint
/// with at least one IP in it.
pub(crate) fn ip_block_matches(block: &IpBlock, end: &End) -> bool {
    match end {
        End::Ip(ip) => block.contains(ip),
        End::Endpoint { endpoint, .. } => endpoint.ips.iter().any(|ip| block.contains(ip)),
        End::Unknown(_) => false,
    }
}

/// The peer entry `index` checked term by term. Every term is evaluated (no
/// short circuit) so the explanation can say which ones failed.
pub(crate) fn check(policy_namespace: &str, peer: &Peer, index: usize, end: &End) -> PeerCheck {
    let terms = match &peer.kind {
        PeerKind::IpBlock(block) => Vec::from([check_ip_block(block, end)]),
        PeerKind::Selectors { namespace_selector, pod_selector } => {
            let mut terms = Vec::with_capacity(2);
            terms.push(match namespace_selector {
                Some(sel) => check_namespace_selector(sel, end),
                None => check_policy_namespace(policy_namespace, end),
            });
            if let Some(sel) = pod_selector {
                terms.push(check_pod_selector(sel, end));
            }
            terms
        }
    };
    PeerCheck { index, held: terms.iter().all(|t| t.held), terms, span: peer.span }
}

pub(crate) fn term(term: Term, held: bool, reason: Reason, span: Option<Span>) -> TermCheck {
    TermCheck { term, held, reason, span }
}

pub(crate) fn check_namespace_selector(sel: &LabelSelector, end: &End) -> TermCheck {
    let (held, reason) = match selectable(end) {
        Ok((endpoint, ns_labels)) => {
            selector::check(sel, ns_labels, LabelSubject::Namespace(endpoint.namespace.clone()))
        }
        Err(reason) => (false, reason),
    };
    term(Term::NamespaceSelector, held, reason, Some(sel.span))
}

fn check_policy_namespace(policy_namespace: &str, end: &End) -> TermCheck {
    let (held, reason) = match selectable(end) {
        Ok((endpoint, _)) => (
            endpoint.namespace == policy_namespace,
            Reason::SameNamespace {
                peer_namespace: endpoint.namespace.clone(),
                policy_namespace: String::from(policy_namespace),
            },
        ),
        Err(reason) => (false, reason),
    };
    term(Term::PolicyNamespace, held, reason, None)
}

pub(crate) fn check_pod_selector(sel: &LabelSelector, end: &End) -> TermCheck {
    let (held, reason) = match selectable(end) {
        Ok((endpoint, _)) => selector::check(sel, &endpoint.labels, LabelSubject::Endpoint(endpoint_name(endpoint))),
        Err(reason) => (false, reason),
    };
    term(Term::PodSelector, held, reason, Some(sel.span))
}

/// The ipBlock term, pointing at the `except` entry when that is what
/// excluded the address.
fn check_ip_block(block: &IpBlock, end: &End) -> TermCheck {
    let (held, reason, span) = match end {
        End::Ip(ip) => ip_reason(block, *ip),
        End::Endpoint { endpoint, .. } => {
            let admitted = endpoint.ips.iter().find(|ip| block.contains(ip));
            match (admitted, endpoint.ips.first()) {
                (Some(ip), _) => ip_reason(block, *ip),
                // No IP is in the block: explain with the first one.
                (None, Some(ip)) => ip_reason(block, *ip),
                (None, None) => (false, Reason::NoIp { endpoint: endpoint_name(endpoint) }, block.cidr_span),
            }
        }
        End::Unknown(index) => (false, Reason::UnknownEndpoint { index: *index }, block.cidr_span),
    };
    term(Term::IpBlock, held, reason, Some(span))
}

fn ip_reason(block: &IpBlock, ip: IpAddr) -> (bool, Reason, Span) {
    if !block.cidr.contains(&ip) {
        return (false, Reason::IpOutsideCidr { ip, cidr: block.cidr }, block.cidr_span);
    }
    match block.excepted_by(&ip) {
        Some(index) => {
            let except = block.except.get(index).copied().unwrap_or(block.cidr);
            let span = block.except_spans.get(index).copied().unwrap_or(block.cidr_span);
            (false, Reason::IpExcepted { ip, except, index }, span)
        }
        None => (true, Reason::IpInBlock { ip, cidr: block.cidr }, block.cidr_span),
    }
}
