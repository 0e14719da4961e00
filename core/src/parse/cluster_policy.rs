//! `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`) and the
//! superseded `AdminNetworkPolicy` / `BaselineAdminNetworkPolicy`
//! (`policy.networking.k8s.io/v1alpha1`) into [`ClusterPolicy`], validated as
//! the CRDs' OpenAPI and CEL rules do (kubernetes-sigs/network-policy-api
//! `apis/v1alpha2/clusternetworkpolicy_types.go`,
//! `apis/v1alpha1/adminnetworkpolicy_types.go`,
//! `apis/v1alpha1/baselineadminnetworkpolicy_types.go`).
//!
//! As for NetworkPolicy, unknown fields under `spec` are errors: the CRD's
//! structural schema would prune them silently, which is worse.

mod rules;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::ctx::{Ctx, Unknown, P};
use super::diag::{Diagnostic, Severity};
use super::selector::selector;
use super::tree::Node;
use crate::labels::LabelSelector;
use crate::model::{ClusterPolicy, ClusterPolicyApi, ClusterSubject, ClusterTier, Direction, Scenario};
use crate::span::Span;

/// The group of all three kinds.
const GROUP: &str = "policy.networking.k8s.io";

/// The kind `kind` names, if it is one of ours.
pub(crate) fn cluster_kind(kind: &str) -> Option<ClusterPolicyApi> {
    match kind {
        "ClusterNetworkPolicy" => Some(ClusterPolicyApi::ClusterNetworkPolicy),
        "AdminNetworkPolicy" => Some(ClusterPolicyApi::AdminNetworkPolicy),
        "BaselineAdminNetworkPolicy" => Some(ClusterPolicyApi::BaselineAdminNetworkPolicy),
        _ => None,
    }
}

/// The only `apiVersion` each kind is served as.
fn served_version(api: ClusterPolicyApi) -> &'static str {
    match api {
        ClusterPolicyApi::ClusterNetworkPolicy => "policy.networking.k8s.io/v1alpha2",
        _ => "policy.networking.k8s.io/v1alpha1",
    }
}

/// Converts a cluster policy object; `None` when the API server would reject
/// it.
pub(crate) fn cluster_policy(
    ctx: &mut Ctx<'_>,
    obj: &Node,
    api: ClusterPolicyApi,
    api_version: Option<&Node>,
    name: String,
) -> Option<ClusterPolicy> {
    let before = ctx.errors;
    check_version(ctx, obj, api, api_version)?;
    let root = P::ROOT;
    if api == ClusterPolicyApi::BaselineAdminNetworkPolicy && name != "default" {
        // CEL rule on the BANP CRD: `self.metadata.name == 'default'`.
        let span = obj.get("metadata").and_then(|m| m.get("name")).map_or(obj.span, |n| n.span);
        ctx.error(
            span,
            &root.dotted("metadata.name"),
            "only one BaselineAdminNetworkPolicy can exist and it must be named `default`",
        );
    }
    let sp = root.field("spec");
    let Some(spec) = obj.get("spec").filter(|s| !s.is_null()) else {
        ctx.error(obj.span, &sp, format!("`spec` is required for a {}", api.kind()));
        return None;
    };
    let [tier_node, priority_node, subject_node, ingress, egress] = ctx.fields(
        spec,
        &sp,
        ["tier", "priority", "subject", "ingress", "egress"],
        Unknown::Reject(&[("order", "cluster policies are ordered by `priority` (0–1000, lower first)")]),
    )?;
    let tier = tier(ctx, api, tier_node, spec.span, &sp);
    let priority = priority(ctx, api, priority_node, spec.span, &sp);
    let subject_path = sp.field("subject");
    let (subject, subject_span) = match subject_node.filter(|s| !s.is_null()) {
        Some(s) => (subject(ctx, s, &subject_path), s.span),
        None => {
            ctx.error(spec.span, &subject_path, "`subject` is required: `namespaces: {…}` or `pods: {…}`");
            (None, spec.span)
        }
    };
    let ingress = rules::rules(ctx, api, Direction::Ingress, ingress, &sp.field("ingress"));
    let egress = rules::rules(ctx, api, Direction::Egress, egress, &sp.field("egress"));
    if ctx.errors > before {
        return None;
    }
    Some(ClusterPolicy {
        name,
        api,
        tier: tier?,
        priority: priority?,
        subject: subject?,
        subject_span,
        ingress,
        egress,
        span: obj.span,
    })
}

/// `apiVersion` must be the one the kind is served as; v1alpha1 kinds get a
/// notice that ClusterNetworkPolicy supersedes them.
fn check_version(ctx: &mut Ctx<'_>, obj: &Node, api: ClusterPolicyApi, node: Option<&Node>) -> Option<()> {
    let ap = P::ROOT.field("apiVersion");
    let wanted = served_version(api);
    let Some(n) = node.filter(|n| !n.is_null()) else {
        ctx.error(obj.span, &ap, format!("`apiVersion` is required: write `apiVersion: {wanted}`"));
        return None;
    };
    let written = ctx.string(n, &ap)?;
    if written != wanted {
        let hint = if written.starts_with(GROUP) && api == ClusterPolicyApi::ClusterNetworkPolicy {
            String::from("; AdminNetworkPolicy and BaselineAdminNetworkPolicy are the v1alpha1 kinds")
        } else {
            String::new()
        };
        ctx.error(n.span, &ap, format!("{} is served as `{wanted}`, not `{written}`{hint}", api.kind()));
        return None;
    }
    if api != ClusterPolicyApi::ClusterNetworkPolicy {
        let tier = match api {
            ClusterPolicyApi::BaselineAdminNetworkPolicy => "Baseline",
            _ => "Admin",
        };
        ctx.notice(
            n.span,
            &ap,
            format!(
                "{} (v1alpha1) is superseded by ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, `tier: {tier}`); it is evaluated with the same meaning",
                api.kind()
            ),
        );
    }
    Some(())
}

/// `spec.tier`: required for ClusterNetworkPolicy, implied (and not a field)
/// for the v1alpha1 kinds.
fn tier(ctx: &mut Ctx<'_>, api: ClusterPolicyApi, node: Option<&Node>, spec: Span, sp: &P<'_>) -> Option<ClusterTier> {
    let tp = sp.field("tier");
    match api {
        ClusterPolicyApi::ClusterNetworkPolicy => {
            let Some(n) = node.filter(|n| !n.is_null()) else {
                ctx.error(spec, &tp, "`tier` is required: `Admin` (before NetworkPolicies) or `Baseline` (after them)");
                return None;
            };
            match ctx.string(n, &tp)? {
                "Admin" => Some(ClusterTier::Admin),
                "Baseline" => Some(ClusterTier::Baseline),
                other => {
                    ctx.error(n.span, &tp, format!("unsupported value `{other}`: the tier is `Admin` or `Baseline`"));
                    None
                }
            }
        }
        _ => {
            if let Some(n) = node {
                ctx.error(n.span, &tp, format!("unknown field `tier`: a {} is always in its own tier", api.kind()));
            }
            Some(match api {
                ClusterPolicyApi::BaselineAdminNetworkPolicy => ClusterTier::Baseline,
                _ => ClusterTier::Admin,
            })
        }
    }
}

/// `spec.priority`: 0–1000 and required, except for the BaselineAdminNetworkPolicy
/// singleton, which has none.
fn priority(ctx: &mut Ctx<'_>, api: ClusterPolicyApi, node: Option<&Node>, spec: Span, sp: &P<'_>) -> Option<u32> {
    let pp = sp.field("priority");
    if api == ClusterPolicyApi::BaselineAdminNetworkPolicy {
        if let Some(n) = node {
            ctx.error(
                n.span,
                &pp,
                "unknown field `priority`: the BaselineAdminNetworkPolicy is a singleton without priority",
            );
        }
        return Some(0);
    }
    let Some(n) = node.filter(|n| !n.is_null()) else {
        ctx.error(spec, &pp, "`priority` is required: 0 to 1000, lower values are evaluated first");
        return None;
    };
    let value = ctx.int(n, &pp)?;
    match u32::try_from(value).ok().filter(|v| *v <= 1000) {
        Some(v) => Some(v),
        None => {
            ctx.error(n.span, &pp, format!("priority {value} is out of range: it must be between 0 and 1000"));
            None
        }
    }
}

/// `spec.subject`: exactly one of `namespaces` (a selector) or `pods`
/// (`namespaceSelector` + `podSelector`).
fn subject(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<ClusterSubject> {
    let [namespaces, pods] = ctx.fields(node, path, ["namespaces", "pods"], Unknown::Reject(SUBJECT_HINTS))?;
    match (namespaces, pods) {
        (Some(n), None) => selector(ctx, n, &path.field("namespaces")).map(ClusterSubject::Namespaces),
        (None, Some(p)) => {
            let (namespace_selector, pod_selector) = namespaced_pod(ctx, p, &path.field("pods"))?;
            Some(ClusterSubject::Pods { namespace_selector, pod_selector })
        }
        (Some(_), Some(_)) => {
            ctx.error(node.span, path, "set exactly one of `namespaces` or `pods`, not both");
            None
        }
        (None, None) => {
            ctx.error(node.span, path, "set exactly one of `namespaces` or `pods`");
            None
        }
    }
}

const SUBJECT_HINTS: &[(&str, &str)] = &[
    ("namespaceSelector", "write `namespaces: {matchLabels: …}` or `pods: {namespaceSelector: …, podSelector: …}`"),
    ("podSelector", "pods are selected with `pods: {namespaceSelector: {}, podSelector: …}`"),
];

/// `{namespaceSelector, podSelector}`: `podSelector` is required,
/// `namespaceSelector` defaults to `{}` (every namespace).
pub(super) fn namespaced_pod(ctx: &mut Ctx<'_>, node: &Node, path: &P<'_>) -> Option<(LabelSelector, LabelSelector)> {
    let [ns, pod] = ctx.fields(node, path, ["namespaceSelector", "podSelector"], Unknown::Reject(&[]))?;
    let namespace_selector = match ns {
        Some(n) => selector(ctx, n, &path.field("namespaceSelector"))?,
        None => LabelSelector { requirements: Vec::new(), span: node.span },
    };
    let Some(pod) = pod else {
        ctx.error(node.span, &path.field("podSelector"), "`podSelector` is required (`{}` selects every pod)");
        return None;
    };
    let pod_selector = selector(ctx, pod, &path.field("podSelector"))?;
    Some((namespace_selector, pod_selector))
}

/// Warns about policies of the same tier with the same priority: upstream
/// leaves their relative order undefined ("the implementation can apply any
/// of the matching policies"), so an implementation may disagree with the
/// order used here (by name).
pub(crate) fn priority_collisions(scenario: &Scenario, diagnostics: &mut Vec<Diagnostic>) {
    let policies = &scenario.cluster_policies;
    for (i, p) in policies.iter().enumerate() {
        if p.api == ClusterPolicyApi::BaselineAdminNetworkPolicy {
            continue;
        }
        let earlier = policies.iter().take(i).filter(|q| {
            q.tier == p.tier && q.priority == p.priority && q.api != ClusterPolicyApi::BaselineAdminNetworkPolicy
        });
        for q in earlier {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                source: p.span.source,
                doc: Some(p.span.doc),
                object: Some(format!("{} {}", p.api.kind(), p.name)),
                span: p.span,
                path: String::from("spec.priority"),
                message: format!(
                    "undefined order between {} `{}` and {} `{}`: both are {} tier priority {}; implementations may apply either first (this tool orders them by name)",
                    q.api.kind(),
                    q.name,
                    p.api.kind(),
                    p.name,
                    p.tier.as_str(),
                    p.priority
                ),
            });
        }
    }
}
