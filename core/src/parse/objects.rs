//! Documents into objects: `List` unwrapping, `kind` dispatch, metadata,
//! and the cross-object checks (duplicates, endpoint name clashes).

use alloc::collections::btree_map::{BTreeMap, IntoIter};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::cluster_policy::{cluster_kind, cluster_policy};
use super::ctx::{Ctx, Unknown, P};
use super::diag::{Diagnostic, DocumentInfo, Severity};
use super::endpoint::{endpoint, endpoint_kind};
use super::policy::policy;
use super::selector::labels;
use super::service::service;
use super::tree::{Built, Node, NodeKind, PosMap};
use super::Source;
use crate::model::{EndpointKind, Namespace, PolicyApiVersion, Scenario};
use crate::span::Span;

/// Where an accepted object was declared, for duplicate messages.
#[derive(Clone, Copy)]
struct Declared {
    source: u32,
    line: u32,
}

/// Accumulates the scenario and diagnostics across all sources.
pub(crate) struct Collector {
    pub scenario: Scenario,
    pub diagnostics: Vec<Diagnostic>,
    pub documents: Vec<DocumentInfo>,
    /// The sources' names, for duplicate messages.
    names: Vec<String>,
    seen: BTreeMap<(&'static str, String, String), Declared>,
    endpoint_kinds: BTreeMap<(String, String), EndpointKind>,
    /// `seen` and `endpoint_kinds` being freed by [`Collector::release`]:
    /// draining an owning iterator frees nodes as it goes, without the
    /// rebalancing code that `pop_first` would link into the page.
    releasing: Option<Releasing>,
}

type Releasing = (IntoIter<(&'static str, String, String), Declared>, IntoIter<(String, String), EndpointKind>);

/// What a document's kind is, for dispatch.
enum Kind {
    Namespace,
    Endpoint(EndpointKind),
    Service,
    Policy,
    /// A cluster-scoped ClusterNetworkPolicy / AdminNetworkPolicy /
    /// BaselineAdminNetworkPolicy.
    Cluster(crate::model::ClusterPolicyApi),
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Endpoint(k) => k.as_str(),
            Kind::Service => "Service",
            Kind::Policy => "NetworkPolicy",
            Kind::Cluster(api) => api.kind(),
        }
    }
}

impl Collector {
    /// An empty collector for `sources`.
    pub fn new(sources: &[Source<'_>]) -> Self {
        Collector {
            scenario: Scenario::default(),
            diagnostics: Vec::new(),
            documents: Vec::new(),
            names: sources.iter().map(|s| s.name.to_string()).collect(),
            seen: BTreeMap::new(),
            endpoint_kinds: BTreeMap::new(),
            releasing: None,
        }
    }

    /// Frees up to `n` entries of the indexes kept to find duplicates and
    /// endpoint name clashes, which no later document needs once every
    /// document is in; returns whether they are empty. Freeing a 150,000-pod
    /// cluster's at once takes hundreds of milliseconds, so a
    /// [`super::ParseJob`] does it in steps.
    pub fn release(&mut self, n: usize) -> bool {
        let (seen, kinds) = self.releasing.get_or_insert_with(|| {
            (core::mem::take(&mut self.seen).into_iter(), core::mem::take(&mut self.endpoint_kinds).into_iter())
        });
        for _ in 0..n {
            if seen.next().is_none() && kinds.next().is_none() {
                break;
            }
        }
        seen.len() == 0 && kinds.len() == 0
    }

    /// Takes in one built document.
    pub fn document(&mut self, source: u32, doc: u32, pos: &PosMap<'_>, built: Built) {
        let mut ctx = Ctx::new(&mut self.diagnostics, source, doc);
        if let Some(f) = built.fatal {
            ctx.report_raw(Severity::Error, f.span, f.path, f.message);
            self.documents.push(DocumentInfo {
                source,
                index: doc,
                kind: String::new(),
                namespace: None,
                name: None,
                span: pos.whole(),
                accepted: false,
            });
            return;
        }
        let rejected = !built.issues.is_empty();
        for issue in built.issues {
            ctx.report_raw(Severity::Error, issue.span, issue.path, issue.message);
        }
        let Some(root) = built.root else { return };
        if root.is_null() {
            return;
        }
        self.value(source, doc, &root, None, rejected);
    }

    /// Takes in the items of a `kind: List` document whose items were built
    /// apart (see [`super::split::list_layout`]): exactly what [`Self::document`]
    /// does with the items of the whole document's tree when it has no issues.
    pub fn list_items(&mut self, source: u32, doc: u32, items: &[Node], item_kind: Option<&str>) {
        for item in items {
            self.value(source, doc, item, item_kind, false);
        }
    }

    /// A document root or List item: a List (recursively) or one object.
    fn value(&mut self, source: u32, doc: u32, node: &Node, default_kind: Option<&str>, rejected: bool) {
        let kind = node.get("kind").and_then(Node::text).or(default_kind);
        let items = node.get("items");
        if let (Some(kind), Some(items)) = (kind, items) {
            if kind.ends_with("List") {
                let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
                let ip = P::ROOT.field("items");
                let items = Ctx::new(&mut self.diagnostics, source, doc).seq(items, &ip);
                let Some(items) = items else { return };
                for item in items {
                    self.value(source, doc, item, item_kind, rejected);
                }
                return;
            }
        }
        self.object(source, doc, node, default_kind, rejected);
    }

    fn object(&mut self, source: u32, doc: u32, node: &Node, default_kind: Option<&str>, rejected: bool) {
        let mut info = DocumentInfo {
            source,
            index: doc,
            kind: String::new(),
            namespace: None,
            name: None,
            span: node.span,
            accepted: false,
        };
        let accepted = self.convert(source, doc, node, default_kind, rejected, &mut info);
        info.accepted = accepted;
        self.documents.push(info);
    }

    /// Converts one object into the scenario; returns whether it was added.
    fn convert(
        &mut self,
        source: u32,
        doc: u32,
        node: &Node,
        default_kind: Option<&str>,
        rejected: bool,
        info: &mut DocumentInfo,
    ) -> bool {
        let mut ctx = Ctx::new(&mut self.diagnostics, source, doc);
        let root = P::ROOT;
        if !matches!(node.kind, NodeKind::Map(_)) {
            let found = super::ctx::describe(node);
            ctx.error(
                node.span,
                &root,
                format!("expected a Kubernetes object (`apiVersion`, `kind`, `metadata`, …), found {found}"),
            );
            return false;
        }
        let Some([api_version, kind_node, metadata]) =
            ctx.fields(node, &root, ["apiVersion", "kind", "metadata"], Unknown::Ignore)
        else {
            return false;
        };
        let kp = root.field("kind");
        let kind_text = match kind_node.and_then(|k| ctx.string(k, &kp)) {
            Some(k) => k,
            None => match default_kind {
                Some(k) => k,
                None => {
                    if kind_node.is_none_or(Node::is_null) {
                        ctx.error(node.span, &kp, "this document has no `kind`; add one, e.g. `kind: NetworkPolicy`");
                    }
                    return false;
                }
            },
        };
        info.kind = kind_text.to_string();
        let kind = match kind_text {
            "Namespace" => Kind::Namespace,
            "Service" => Kind::Service,
            "NetworkPolicy" => Kind::Policy,
            other => {
                match endpoint_kind(other).map(Kind::Endpoint).or_else(|| cluster_kind(other).map(Kind::Cluster)) {
                    Some(k) => k,
                    None => {
                        // Name the skipped object for the document list,
                        // without validating a kind we do not read.
                        let meta = |key: &str| metadata.and_then(|m| m.get(key)).and_then(Node::text).map(String::from);
                        info.name = meta("name");
                        info.namespace = meta("namespace");
                        let span = kind_node.map_or(node.span, |k| k.span);
                        ctx.notice(
                            span,
                            &kp,
                            format!("skipped: a `{other}` does not take part in NetworkPolicy evaluation"),
                        );
                        return false;
                    }
                }
            }
        };
        let kind_name = kind.name();
        // Metadata: name (required), namespace (default "default"), labels.
        let mp = root.field("metadata");
        let [name, namespace, labels_node] = match metadata {
            Some(m) => match ctx.fields(m, &mp, ["name", "namespace", "labels"], Unknown::Ignore) {
                Some(f) => f,
                None => return false,
            },
            None => [None; 3],
        };
        let np = mp.field("name");
        let Some(name) = name.and_then(|n| ctx.string(n, &np)).filter(|n| !n.is_empty()) else {
            if name.is_none_or(Node::is_null) {
                ctx.error(node.span, &np, format!("this {kind_name} has no `metadata.name`; every object needs one"));
            }
            return false;
        };
        let nsp = mp.field("namespace");
        let namespace = match kind {
            Kind::Namespace | Kind::Cluster(_) => String::new(),
            _ => namespace.and_then(|n| ctx.string(n, &nsp)).filter(|n| !n.is_empty()).unwrap_or("default").to_string(),
        };
        info.name = Some(name.to_string());
        ctx.object = Some(match kind {
            Kind::Namespace => format!("Namespace {name}"),
            Kind::Cluster(_) => format!("{kind_name} {name}"),
            _ => format!("{kind_name} {namespace}/{name}"),
        });
        if !matches!(kind, Kind::Namespace | Kind::Cluster(_)) {
            info.namespace = Some(namespace.clone());
        }
        let object_labels = labels(&mut ctx, labels_node, &mp.field("labels"));
        let name = name.to_string();
        let added = match kind {
            Kind::Namespace => {
                Some(Added::Namespace(Namespace { name: name.clone(), labels: object_labels, span: Some(node.span) }))
            }
            Kind::Service => service(&mut ctx, node, namespace.clone(), name.clone()).map(Added::Service),
            Kind::Endpoint(k) => {
                endpoint(&mut ctx, node, k, namespace.clone(), name.clone(), object_labels).map(Added::Endpoint)
            }
            Kind::Policy => {
                let version = policy_version(&mut ctx, api_version, node.span);
                let p = version.and_then(|v| policy(&mut ctx, node, v, namespace.clone(), name.clone()));
                p.map(Added::Policy)
            }
            Kind::Cluster(api) => cluster_policy(&mut ctx, node, api, api_version, name.clone()).map(Added::Cluster),
        };
        if rejected || ctx.errors > 0 {
            return false;
        }
        let Some(added) = added else { return false };
        // Duplicates: the API server refuses to create the second.
        let key = (kind_name, namespace.clone(), name.clone());
        if let Some(first) = self.seen.get(&key) {
            let whom = match kind {
                Kind::Namespace => format!("Namespace {name}"),
                Kind::Cluster(_) => format!("{kind_name} {name}"),
                _ => format!("{kind_name} {namespace}/{name}"),
            };
            let at = self.names.get(first.source as usize).map_or("<input>", String::as_str);
            ctx.error(
                node.span,
                &mp.field("name"),
                format!("duplicate {whom}: it is already defined at {at}:{}; the first definition is used", first.line),
            );
            return false;
        }
        self.seen.insert(key, Declared { source, line: node.span.start.line });
        if let Added::Endpoint(e) = &added {
            let id = (namespace.clone(), name.clone());
            if let Some(other) = self.endpoint_kinds.get(&id).filter(|k| **k != e.kind) {
                ctx.warn(
                    node.span,
                    &mp.field("name"),
                    format!(
                        "a {} is also called {namespace}/{name}; both are kept, but `{namespace}/{name}` in the CLI and matrix means the first",
                        other.as_str()
                    ),
                );
            } else {
                self.endpoint_kinds.insert(id, e.kind);
            }
        }
        match added {
            Added::Namespace(n) => self.scenario.namespaces.push(n),
            Added::Service(s) => self.scenario.services.push(s),
            Added::Endpoint(e) => self.scenario.endpoints.push(e),
            Added::Policy(p) => self.scenario.policies.push(p),
            Added::Cluster(p) => self.scenario.cluster_policies.push(p),
        }
        true
    }
}

/// A converted object, before the cross-object checks.
enum Added {
    Namespace(Namespace),
    Service(crate::model::Service),
    Endpoint(crate::model::Endpoint),
    Policy(crate::model::NetworkPolicy),
    Cluster(crate::model::ClusterPolicy),
}

/// `apiVersion` of a NetworkPolicy: `networking.k8s.io/v1`, or the removed
/// `extensions/v1beta1` (same fields and meaning) with a notice.
fn policy_version(ctx: &mut Ctx<'_>, node: Option<&Node>, obj: Span) -> Option<PolicyApiVersion> {
    let ap = P::ROOT.field("apiVersion");
    let Some(n) = node.filter(|n| !n.is_null()) else {
        ctx.error(obj, &ap, "`apiVersion` is required: write `apiVersion: networking.k8s.io/v1`");
        return None;
    };
    match ctx.string(n, &ap)? {
        "networking.k8s.io/v1" => Some(PolicyApiVersion::NetworkingV1),
        "extensions/v1beta1" => {
            ctx.notice(
                n.span,
                &ap,
                "extensions/v1beta1 NetworkPolicy was removed in Kubernetes 1.16; it is read with the same meaning here, but use `networking.k8s.io/v1`",
            );
            Some(PolicyApiVersion::ExtensionsV1beta1)
        }
        other => {
            ctx.error(
                n.span,
                &ap,
                format!("NetworkPolicy is not served as `{other}`: write `apiVersion: networking.k8s.io/v1`"),
            );
            None
        }
    }
}
