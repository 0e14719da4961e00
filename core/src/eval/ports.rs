//! `ports[k]` entries checked against a probe.
//!
//! API reference (NetworkPolicyPort): `protocol` must equal the probe's;
//! without `port` every port of the protocol matches; a numeric `port` matches
//! that port, or with `endPort` the inclusive range `port..=endPort`; a named
//! `port` is resolved against the DESTINATION pod's container ports with the
//! same protocol, for ingress and egress rules alike, and matches nothing when
//! the destination declares no such port (or is not a pod).

use crate::explain::{PortCheck, Reason};
use crate::model::{PortRef, PortSpec, Probe};

use super::peer::End;

/// Whether a numeric entry `port` (with optional `endPort`) covers `actual`.
/// An `endPort` below `port` (rejected by the API server) covers nothing.
pub(crate) fn number_covers(port: u16, end_port: Option<u16>, actual: u16) -> bool {
    match end_port {
        Some(end) => port <= actual && actual <= end,
        None => port == actual,
    }
}

/// Whether the entry admits `probe` towards `destination`.
pub(crate) fn matches(spec: &PortSpec, probe: Probe, destination: &End) -> bool {
    if spec.protocol != probe.protocol {
        return false;
    }
    match &spec.port {
        None => true,
        Some(PortRef::Number(n)) => number_covers(*n, spec.end_port, probe.port),
        Some(PortRef::Name(name)) => match destination {
            End::Endpoint { endpoint, .. } => endpoint.resolve_named_port(name, spec.protocol) == Some(probe.port),
            End::Ip(_) | End::Unknown(_) => false,
        },
    }
}

/// The entry `index` checked, with its reason.
pub(crate) fn check(spec: &PortSpec, index: usize, probe: Probe, destination: &End) -> PortCheck {
    let (held, reason) = if spec.protocol != probe.protocol {
        (false, Reason::ProtocolDiffers { wanted: spec.protocol, actual: probe.protocol })
    } else {
        match &spec.port {
            None => (true, Reason::AnyPortOfProtocol { protocol: spec.protocol }),
            Some(PortRef::Number(n)) => (
                number_covers(*n, spec.end_port, probe.port),
                Reason::PortNumber { port: *n, end_port: spec.end_port, actual: probe.port },
            ),
            Some(PortRef::Name(name)) => {
                let resolved = match destination {
                    End::Endpoint { endpoint, .. } => endpoint.resolve_named_port(name, spec.protocol),
                    End::Ip(_) | End::Unknown(_) => None,
                };
                match resolved {
                    Some(resolved) => (
                        resolved == probe.port,
                        Reason::NamedPortResolved { name: name.clone(), resolved, actual: probe.port },
                    ),
                    None => {
                        (false, Reason::NamedPortUnresolved { name: name.clone(), destination: destination.label() })
                    }
                }
            }
        }
    };
    PortCheck { index, held, reason, span: spec.span }
}
