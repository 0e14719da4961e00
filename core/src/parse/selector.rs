//! Label maps and `metav1.LabelSelector`s, validated as
//! `ValidateLabels` and `ValidateLabelSelector` (apimachinery
//! `pkg/apis/meta/v1/validation`) do.

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::ctx::{join, Ctx, Unknown, P};
use super::tree::{Node, Value};
use super::validate::{label_key, label_value};
use crate::labels::{LabelSelector, Labels, Operator, Requirement, RequirementOrigin};

/// One validated `key: value` of a label map, with the span of the entry.
pub(crate) struct LabelEntry<'n> {
    pub key: &'n str,
    pub value: &'n str,
    pub span: crate::span::Span,
}

/// Reads a `map[string]string` of labels (object labels, `matchLabels`, a
/// Service selector), validating keys and values. Invalid entries are
/// reported and left out.
pub(crate) fn label_entries<'n>(ctx: &mut Ctx<'_>, node: &'n Node, path: &P<'_>) -> Vec<LabelEntry<'n>> {
    let mut out = Vec::new();
    let Some(entries) = ctx.map(node, path) else {
        return out;
    };
    for (k, v) in entries {
        let Some(key) = k.text() else {
            ctx.error(k.span, path, "label keys must be strings");
            continue;
        };
        let p = path.field(key);
        if let Err(e) = label_key(key) {
            ctx.error(k.span, &p, e);
            continue;
        }
        // A null value decodes as the empty string (Go's JSON decoding of a
        // null map element).
        let value = match v.scalar().map(|s| s.value()) {
            Some(Value::Null) => "",
            _ => match ctx.string(v, &p) {
                Some(s) => s,
                None => continue,
            },
        };
        if let Err(e) = label_value(value) {
            ctx.error(v.span, &p, e);
            continue;
        }
        out.push(LabelEntry { key, value, span: join(k.span, v.span) });
    }
    out
}

/// Reads a label map into [`Labels`].
pub(crate) fn labels(ctx: &mut Ctx<'_>, node: Option<&Node>, path: &P<'_>) -> Labels {
    match node {
        // `extend` inserts one by one (a later duplicate wins, as with
        // `collect`); `collect` would instantiate a whole stable sort.
        Some(n) => {
            let mut labels = Labels::new();
            labels.extend(label_entries(ctx, n, path).into_iter().map(|e| (e.key.to_string(), e.value.to_string())));
            labels
        }
        None => Labels::new(),
    }
}

const SELECTOR_FIELDS: [&str; 2] = ["matchLabels", "matchExpressions"];
const EXPRESSION_FIELDS: [&str; 3] = ["key", "operator", "values"];

/// Reads a label selector. Returns `None` when it is invalid (after
/// reporting why): the API server rejects the whole object then.
pub(crate) fn selector(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<LabelSelector> {
    let before = ctx.errors;
    let [match_labels, match_expressions] = ctx.fields(node, path, SELECTOR_FIELDS, Unknown::Reject(&[]))?;
    let mut requirements = Vec::new();
    if let Some(ml) = match_labels {
        let p = path.field("matchLabels");
        for e in label_entries(ctx, ml, &p) {
            requirements.push(Requirement {
                key: e.key.to_string(),
                op: Operator::Equals,
                values: alloc::vec![e.value.to_string()],
                origin: RequirementOrigin::MatchLabels,
                span: e.span,
            });
        }
    }
    if let Some(me) = match_expressions {
        let p = path.field("matchExpressions");
        for (i, item) in ctx.seq(me, &p).unwrap_or(&[]).iter().enumerate() {
            let pi = p.index(i);
            if let Some(r) = expression(ctx, item, &pi, i) {
                requirements.push(r);
            }
        }
    }
    (ctx.errors == before).then_some(LabelSelector { requirements, span: node.span })
}

fn expression(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>, index: usize) -> Option<Requirement> {
    let [key, operator, values] = ctx.fields(node, path, EXPRESSION_FIELDS, Unknown::Reject(&[]))?;
    let kp = path.field("key");
    let key = match key.and_then(|k| ctx.string(k, &kp).map(|s| (k, s))) {
        Some((k, s)) => {
            if let Err(e) = label_key(s) {
                ctx.error(k.span, &kp, e);
            }
            s
        }
        None => {
            ctx.error(node.span, &kp, "`key` is required");
            ""
        }
    };
    let op_path = path.field("operator");
    let op = match operator.map(|o| (o, ctx.string(o, &op_path))) {
        Some((o, Some(s))) => {
            match s {
                "In" => Some(Operator::In),
                "NotIn" => Some(Operator::NotIn),
                "Exists" => Some(Operator::Exists),
                "DoesNotExist" => Some(Operator::DoesNotExist),
                other => {
                    let fix = ["In", "NotIn", "Exists", "DoesNotExist"]
                        .iter()
                        .find(|v| v.eq_ignore_ascii_case(other))
                        .map(|v| format!(" (write `{v}`; operators are case-sensitive)"))
                        .unwrap_or_default();
                    ctx.error(
                    o.span,
                    &op_path,
                    format!("unknown operator `{other}`{fix}: it must be one of `In`, `NotIn`, `Exists`, `DoesNotExist`"),
                );
                    None
                }
            }
        }
        Some((_, None)) => None,
        None => {
            ctx.error(node.span, &op_path, "`operator` is required: one of `In`, `NotIn`, `Exists`, `DoesNotExist`");
            None
        }
    };
    let vp = path.field("values");
    let mut vals = Vec::new();
    if let Some(v) = values {
        for (j, item) in ctx.seq(v, &vp).unwrap_or(&[]).iter().enumerate() {
            let p = vp.index(j);
            if let Some(s) = ctx.string(item, &p) {
                match label_value(s) {
                    Ok(()) => vals.push(s.to_string()),
                    Err(e) => ctx.error(item.span, &p, e),
                }
            } else if item.is_null() {
                vals.push(alloc::string::String::new());
            }
        }
    }
    let op = op?;
    let values_span = values.map_or(node.span, |v| v.span);
    match op {
        Operator::In | Operator::NotIn if vals.is_empty() && values.is_none_or(|v| ctx_len(v) == 0) => {
            ctx.error(
                values_span,
                &vp,
                format!("`values` must list at least one value when `operator` is `{}`", op.as_str()),
            );
            None
        }
        Operator::Exists | Operator::DoesNotExist if values.is_some_and(|v| ctx_len(v) > 0) => {
            ctx.error(
                values_span,
                &vp,
                format!("`values` must be empty when `operator` is `{}`; remove `values`", op.as_str()),
            );
            None
        }
        _ => Some(Requirement {
            key: key.to_string(),
            op,
            values: vals,
            origin: RequirementOrigin::MatchExpression(index),
            span: node.span,
        }),
    }
}

/// How many items a `values` node has as written (a non-list counts as one).
fn ctx_len(node: &Node) -> usize {
    match &node.kind {
        super::tree::NodeKind::Seq(items) => items.len(),
        _ if node.is_null() => 0,
        _ => 1,
    }
}
