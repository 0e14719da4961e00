//! Labels and label selectors (`metav1.LabelSelector`).
//!
//! Selectors are parsed from their stringly YAML form once, at the edge, into
//! [`Requirement`]s with a typed [`Operator`]; the hot path never sees strings
//! like `"In"`.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::span::Span;

/// A set of labels: key to value, sorted by key.
pub type Labels = BTreeMap<String, String>;

/// How a [`Requirement`] compares a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `matchLabels: {key: value}`: the label exists and equals the one value.
    Equals,
    /// `operator: In`: the label exists and its value is one of `values`.
    In,
    /// `operator: NotIn`: the label is absent, or its value is none of `values`.
    NotIn,
    /// `operator: Exists`: the label exists (any value).
    Exists,
    /// `operator: DoesNotExist`: the label is absent.
    DoesNotExist,
}

impl Operator {
    /// The operator as written in YAML (`Equals` is `matchLabels`).
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "=",
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
        }
    }
}

/// Where a requirement was written, so explanations can name the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequirementOrigin {
    /// An entry of `matchLabels`.
    MatchLabels,
    /// `matchExpressions[i]`.
    MatchExpression(usize),
}

/// One condition of a selector. All requirements of a selector must hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The comparison.
    pub op: Operator,
    /// The values (one for `Equals`, at least one for `In`/`NotIn`, none for
    /// `Exists`/`DoesNotExist`).
    pub values: Vec<String>,
    /// Which field this came from.
    pub origin: RequirementOrigin,
    /// Where it is written.
    pub span: Span,
}

impl Requirement {
    /// Whether `labels` satisfy this requirement. `NotIn` and `DoesNotExist`
    /// hold when the key is absent, as in `k8s.io/apimachinery/pkg/labels`.
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.op {
            Operator::Equals | Operator::In => value.is_some_and(|v| self.values.contains(v)),
            Operator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }
}

/// A label selector: the AND of its requirements. An empty selector (`{}`)
/// matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// `matchLabels` entries first (as `Equals`), then `matchExpressions`.
    pub requirements: Vec<Requirement>,
    /// Where the selector is written (the whole `podSelector:` value).
    pub span: Span,
}

impl LabelSelector {
    /// A selector that matches everything (`{}`).
    pub fn everything(span: Span) -> Self {
        LabelSelector { requirements: Vec::new(), span }
    }

    /// Whether this is `{}`, which matches every object.
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// The requirements `labels` fail, in order.
    pub fn failures<'a>(&'a self, labels: &'a Labels) -> impl Iterator<Item = &'a Requirement> + 'a {
        self.requirements.iter().filter(move |r| !r.matches(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn req(key: &str, op: Operator, values: &[&str]) -> Requirement {
        Requirement {
            key: key.to_string(),
            op,
            values: values.iter().map(|v| v.to_string()).collect(),
            origin: RequirementOrigin::MatchExpression(0),
            span: Span::default(),
        }
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// Table from the LabelSelector operator semantics in
    /// k8s.io/apimachinery/pkg/labels (selector.go, `Requirement.Matches`).
    #[test]
    fn requirement_operators_follow_apimachinery() {
        let with = labels(&[("env", "prod")]);
        let without = labels(&[]);
        let cases = vec![
            (req("env", Operator::Equals, &["prod"]), true, false),
            (req("env", Operator::In, &["dev", "prod"]), true, false),
            (req("env", Operator::In, &["dev"]), false, false),
            // NotIn holds when the key is absent.
            (req("env", Operator::NotIn, &["prod"]), false, true),
            (req("env", Operator::NotIn, &["dev"]), true, true),
            (req("env", Operator::Exists, &[]), true, false),
            // DoesNotExist holds only when the key is absent.
            (req("env", Operator::DoesNotExist, &[]), false, true),
        ];
        for (r, on_with, on_without) in cases {
            assert_eq!(r.matches(&with), on_with, "{:?} on env=prod", r.op);
            assert_eq!(r.matches(&without), on_without, "{:?} on no labels", r.op);
        }
    }

    #[test]
    fn empty_selector_matches_everything_and_requirements_are_anded() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        assert!(LabelSelector::default().matches(&l));
        let sel = LabelSelector {
            requirements: vec![req("app", Operator::Equals, &["web"]), req("tier", Operator::In, &["back"])],
            span: Span::default(),
        };
        assert!(!sel.matches(&l));
        assert_eq!(sel.failures(&l).count(), 1);
    }
}
