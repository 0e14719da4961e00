//! A label selector checked against labels, with the reason a person reads.

use alloc::string::String;
use alloc::vec::Vec;

use crate::explain::{LabelSubject, Reason};
use crate::labels::{LabelSelector, Labels, Operator, Requirement};

/// Whether `selector` matches `labels`, and why. A failure names the first
/// requirement that fails (requirements are ANDed, so one is enough to say
/// why); a match says whether it was the match-everything `{}`.
pub(crate) fn check(selector: &LabelSelector, labels: &Labels, subject: LabelSubject) -> (bool, Reason) {
    match selector.failures(labels).next() {
        Some(req) => (false, failure_reason(req, labels, subject)),
        None if selector.is_empty() => (true, Reason::EmptySelectorMatchesAll { subject }),
        None => (true, Reason::SelectorMatched { subject }),
    }
}

/// Why `req` fails on `labels` (the caller knows it fails).
fn failure_reason(req: &Requirement, labels: &Labels, subject: LabelSubject) -> Reason {
    let key = req.key.clone();
    let wanted: Vec<String> = req.values.clone();
    match (req.op, labels.get(&req.key)) {
        (Operator::DoesNotExist, Some(v)) => Reason::LabelPresent { subject, key, actual: v.clone() },
        (op, Some(v)) => Reason::LabelValue { subject, key, actual: v.clone(), op, wanted },
        // Equals/In/Exists on a missing key. (NotIn and DoesNotExist never fail
        // on a missing key, but the arm keeps the function total.)
        (op, None) => Reason::LabelMissing { subject, key, op, wanted },
    }
}
