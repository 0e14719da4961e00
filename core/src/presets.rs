//! Ready-made scenarios that teach one thing each.
//!
//! The page's "Presets" menu, the CLI and the lessons all draw from
//! [`PRESETS`]. Each preset is a complete multi-document YAML file under
//! `core/presets/` (namespaces, pods with IPs and container ports, sometimes a
//! Service, and the policies), commented line by line, plus the prose that
//! goes with it and the flow the inspector opens on.
//!
//! The scenarios come from the seed articles (`shared/seeds`); every claim a
//! lesson makes about a verdict is asserted in `core/tests/presets.rs`, so the
//! text cannot drift from what the evaluator decides.
//!
//! The YAML is embedded with `include_str!` (feature `embedded-content`, on
//! by default), so this module needs neither `std` nor the `yaml` feature:
//! front ends parse the text themselves. The page builds without that
//! feature to keep the wasm small (issue 3): it keeps the menu's metadata and
//! [`DEFAULT_YAML`] (its first paint) and fetches the other files, served
//! next to it under [`DIR`], on first use; [`verify`] checks what arrived.

/// The flow the inspector shows when a preset is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FocusFlow {
    /// The client: `namespace/name` of an endpoint, or an IP address.
    pub from: &'static str,
    /// The server: `namespace/name` of an endpoint, or an IP address.
    pub to: &'static str,
    /// Protocol and port, as [`crate::Probe::parse`] reads it (`TCP/6379`).
    pub probe: &'static str,
}

/// One ready-made scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable identifier (also the file name under `core/presets/`); share
    /// links and lessons refer to presets by it.
    pub id: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// One line saying what the scenario shows.
    pub summary: &'static str,
    /// One paragraph: what the preset teaches and what to look at, from
    /// `core/presets/<id>.txt` (feature `embedded-content`; without it, see
    /// [`Preset::embedded_lesson`] and [`lesson_file_name`]). Read it through
    /// [`Preset::embedded_lesson`], which drops the file's final newline.
    #[cfg(feature = "embedded-content")]
    pub lesson: &'static str,
    /// The scenario, as multi-document YAML (feature `embedded-content`;
    /// without it, see [`Preset::embedded_yaml`] and [`file_name`]).
    #[cfg(feature = "embedded-content")]
    pub yaml: &'static str,
    /// The flow the inspector opens on.
    pub focus: FocusFlow,
    /// Topics, for grouping and search (`dns`, `pitfall`, …).
    pub tags: &'static [&'static str],
}

/// The preset the page opens on: a whole application with default deny,
/// per-tier rules and a DNS allowance, so every panel has something to show.
pub const DEFAULT_PRESET_ID: &str = "three-tier";

/// The default preset's scenario, always embedded: the page paints it
/// without fetching anything.
pub const DEFAULT_YAML: &str = include_str!("../presets/three-tier.yaml");

/// The default preset's paragraph, always embedded: the page shows it with
/// its first paint.
pub const DEFAULT_LESSON: &str = include_str!("../presets/three-tier.txt");

/// The folder, next to the page, that serves `core/presets/*.yaml` (see
/// [`file_name`]).
pub const DIR: &str = "presets";

/// The file holding the preset `id`'s scenario, in `core/presets/` and, on
/// the page, under [`DIR`]: `<id>.yaml`.
pub fn file_name(id: &str) -> alloc::string::String {
    alloc::format!("{id}.yaml")
}

/// The file holding the preset `id`'s paragraph, beside its scenario:
/// `<id>.txt`. The page fetches it with the scenario, so the paragraphs are
/// not in its wasm (about 3 KB of its gzipped download).
pub fn lesson_file_name(id: &str) -> alloc::string::String {
    alloc::format!("{id}.txt")
}

impl Preset {
    /// The paragraph when it is compiled in (as [`Preset::embedded_yaml`]),
    /// without the file's final newline.
    #[cfg(feature = "embedded-content")]
    pub fn embedded_lesson(&self) -> Option<&'static str> {
        Some(self.lesson.trim_end())
    }

    /// The paragraph when it is compiled in: without the `embedded-content`
    /// feature, only the default preset's ([`DEFAULT_LESSON`]).
    #[cfg(not(feature = "embedded-content"))]
    pub fn embedded_lesson(&self) -> Option<&'static str> {
        (self.id == DEFAULT_PRESET_ID).then_some(DEFAULT_LESSON.trim_end())
    }

    /// The scenario when it is compiled in: always with the
    /// `embedded-content` feature, and for the default preset without it.
    #[cfg(feature = "embedded-content")]
    pub fn embedded_yaml(&self) -> Option<&'static str> {
        Some(self.yaml)
    }

    /// The scenario when it is compiled in: without the `embedded-content`
    /// feature, only the default preset's ([`DEFAULT_YAML`]).
    #[cfg(not(feature = "embedded-content"))]
    pub fn embedded_yaml(&self) -> Option<&'static str> {
        (self.id == DEFAULT_PRESET_ID).then_some(DEFAULT_YAML)
    }
}

/// Why a fetched scenario text is not the one asked for.
#[cfg(feature = "yaml")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unfit {
    /// The text does not parse cleanly (a host that answers every path with
    /// its own HTML page, or a truncated file): `n` errors.
    Errors(usize),
    /// It parses, but the flow it must open on names an endpoint it lacks:
    /// another scenario than the one asked for.
    MissingFlow,
}

#[cfg(feature = "yaml")]
impl Unfit {
    /// The reason in words, to follow "The file … ".
    pub fn describe(&self) -> &'static str {
        match self {
            Unfit::Errors(_) => "is not the scenario: it does not parse as Kubernetes YAML",
            Unfit::MissingFlow => "is not the scenario: the flow it opens on is missing from it",
        }
    }
}

/// Checks a fetched scenario with the same parser the editor uses: it must
/// parse without errors and resolve `focus` (a preset's or a lesson's flow).
#[cfg(feature = "yaml")]
pub fn verify(yaml: &str, focus: &FocusFlow) -> Result<(), Unfit> {
    let out = crate::parse::parse_str(yaml);
    let errors = out.errors().count();
    if errors > 0 {
        return Err(Unfit::Errors(errors));
    }
    let s = &out.scenario;
    match (crate::eval::resolve_end(s, focus.from), crate::eval::resolve_end(s, focus.to)) {
        (Some(_), Some(_)) => Ok(()),
        _ => Err(Unfit::MissingFlow),
    }
}

/// Every preset, in menu order: from no policy at all to the pitfalls.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "default-allow",
        title: "Default allow (no policy)",
        summary: "With no NetworkPolicy, every pod can reach every other pod on every port.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/default-allow.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/default-allow.yaml"),
        focus: FocusFlow { from: "dev/debug", to: "shop/db", probe: "TCP/5432" },
        tags: &["basics"],
    },
    Preset {
        id: "default-deny-ingress",
        title: "Default deny: ingress",
        summary: "An empty podSelector with policyTypes [Ingress] closes every pod of a namespace to incoming connections.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/default-deny-ingress.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/default-deny-ingress.yaml"),
        focus: FocusFlow { from: "staging/api", to: "production/api", probe: "TCP/8080" },
        tags: &["basics", "default-deny", "ingress"],
    },
    Preset {
        id: "default-deny-egress",
        title: "Default deny: egress",
        summary: "policyTypes [Egress] with no rules stops a namespace's pods from opening any connection.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/default-deny-egress.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/default-deny-egress.yaml"),
        focus: FocusFlow { from: "production/web", to: "production/api", probe: "TCP/8080" },
        tags: &["basics", "default-deny", "egress", "policy-types"],
    },
    Preset {
        id: "default-deny-all",
        title: "Default deny: both directions",
        summary: "The usual first step: isolate every pod of a namespace for ingress and egress.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/default-deny-all.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/default-deny-all.yaml"),
        focus: FocusFlow { from: "my-app/frontend", to: "my-app/backend", probe: "TCP/6379" },
        tags: &["basics", "default-deny", "ingress", "egress"],
    },
    Preset {
        id: "allow-from-monitoring",
        title: "Allow from the monitoring namespace",
        summary: "A namespaceSelector on kubernetes.io/metadata.name admits every pod of one namespace.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/allow-from-monitoring.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/allow-from-monitoring.yaml"),
        focus: FocusFlow { from: "monitoring/prometheus", to: "my-app/backend", probe: "TCP/9121" },
        tags: &["namespaces", "ingress", "namespace-labels"],
    },
    Preset {
        id: "frontend-backend-6379",
        title: "Frontend to backend on TCP 6379",
        summary: "Allow one pod label from the same namespace, on one port only.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/frontend-backend-6379.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/frontend-backend-6379.yaml"),
        focus: FocusFlow { from: "my-app/frontend", to: "my-app/backend", probe: "TCP/6379" },
        tags: &["pods", "ports", "ingress"],
    },
    Preset {
        id: "or-vs-and",
        title: "OR vs AND in from/to",
        summary: "Two list items are OR; two selectors in one item are AND. One dash makes the difference.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/or-vs-and.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/or-vs-and.yaml"),
        focus: FocusFlow { from: "alice/web", to: "or-demo/db", probe: "TCP/5432" },
        tags: &["peers", "or-and", "namespaces"],
    },
    Preset {
        id: "policies-add-up",
        title: "Policies add up (no deny)",
        summary: "Several policies on one pod are a union; a policy cannot take away what another allows.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/policies-add-up.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/policies-add-up.yaml"),
        focus: FocusFlow { from: "team-y/client", to: "api/server", probe: "TCP/8080" },
        tags: &["additive", "no-deny", "pitfall"],
    },
    Preset {
        id: "named-ports",
        title: "Named ports",
        summary: "port: http resolves on each destination pod, so one rule can mean different numbers.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/named-ports.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/named-ports.yaml"),
        focus: FocusFlow { from: "shop/web", to: "shop/api-v2", probe: "TCP/9090" },
        tags: &["ports", "named-ports"],
    },
    Preset {
        id: "endport-range",
        title: "Port ranges with endPort",
        summary: "port plus endPort allows a whole range, both ends included (Kubernetes 1.25+, beta since 1.22).",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/endport-range.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/endport-range.yaml"),
        focus: FocusFlow { from: "players/player", to: "media/sfu", probe: "UDP/40050" },
        tags: &["ports", "end-port", "ipblock"],
    },
    Preset {
        id: "ipblock-except",
        title: "ipBlock with except",
        summary: "Admit an address range minus a hole, alongside pod and namespace peers.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/ipblock-except.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/ipblock-except.yaml"),
        focus: FocusFlow { from: "172.17.1.20", to: "default/db", probe: "TCP/6379" },
        tags: &["ipblock", "external", "peers"],
    },
    Preset {
        id: "three-tier",
        title: "Three-tier app in one namespace",
        summary: "Default deny, DNS for everyone, then web → api → db one hop and one port at a time.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/three-tier.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/three-tier.yaml"),
        focus: FocusFlow { from: "shop/web", to: "shop/api", probe: "TCP/8080" },
        tags: &["three-tier", "default-deny", "dns", "pods"],
    },
    Preset {
        id: "three-tier-namespaces",
        title: "Three tiers across namespaces (zero-trust labels)",
        summary: "Namespaces labelled env/tier/team; policies select tiers by label, not by name.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/three-tier-namespaces.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/three-tier-namespaces.yaml"),
        focus: FocusFlow { from: "backend/api", to: "database/postgres", probe: "TCP/5432" },
        tags: &["three-tier", "namespaces", "namespace-labels", "egress", "dns"],
    },
    Preset {
        id: "ingress-controller",
        title: "Ingress controller admission",
        summary: "Only pods marked expose=true accept traffic, and only from the ingress-nginx namespace.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/ingress-controller.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/ingress-controller.yaml"),
        focus: FocusFlow { from: "ingress-nginx/controller", to: "frontend/web", probe: "TCP/8080" },
        tags: &["ingress", "namespaces", "namespace-labels"],
    },
    Preset {
        id: "dns-forgotten",
        title: "The forgotten DNS egress",
        summary: "Egress default deny without a DNS rule: connections by IP work, name lookups fail.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/dns-forgotten.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/dns-forgotten.yaml"),
        focus: FocusFlow { from: "production/web", to: "kube-system/coredns", probe: "UDP/53" },
        tags: &["dns", "egress", "pitfall"],
    },
    Preset {
        id: "dns-done-right",
        title: "DNS egress done right",
        summary: "Allow UDP and TCP 53 to the kube-dns pods of kube-system, and nothing else there.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/dns-done-right.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/dns-done-right.yaml"),
        focus: FocusFlow { from: "production/web", to: "kube-system/coredns", probe: "UDP/53" },
        tags: &["dns", "egress", "or-and"],
    },
    Preset {
        id: "kube-system-deny-all",
        title: "Pitfall: default deny in kube-system",
        summary: "A deny-all in kube-system breaks DNS for every namespace, even ones without policies.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/kube-system-deny-all.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/kube-system-deny-all.yaml"),
        focus: FocusFlow { from: "production/web", to: "kube-system/coredns", probe: "UDP/53" },
        tags: &["pitfall", "kube-system", "dns", "default-deny"],
    },
    Preset {
        id: "namespace-missing-label",
        title: "Pitfall: a namespace missing its label",
        summary: "namespaceSelector purpose=monitoring, but the monitoring namespace was never labelled: the selector matches nothing.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/namespace-missing-label.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/namespace-missing-label.yaml"),
        focus: FocusFlow { from: "monitoring/prometheus", to: "production/api", probe: "TCP/8080" },
        tags: &["pitfall", "namespaces", "namespace-labels"],
    },
    Preset {
        id: "cluster-guardrails",
        title: "Cluster admin guardrails that developers cannot override",
        summary: "An Admin-tier ClusterNetworkPolicy protects the database whatever NetworkPolicies say; a Baseline tier sets defaults they may relax.",
        #[cfg(feature = "embedded-content")]
        lesson: include_str!("../presets/cluster-guardrails.txt"),
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/cluster-guardrails.yaml"),
        focus: FocusFlow { from: "tenant-a/web", to: "sensitive/db", probe: "TCP/5432" },
        tags: &["tiers", "cluster-network-policy", "admin", "baseline", "deny"],
    },
];

/// The preset with this [`Preset::id`].
pub fn by_id(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// The preset the page opens on ([`DEFAULT_PRESET_ID`]).
pub fn default_preset() -> Option<&'static Preset> {
    by_id(DEFAULT_PRESET_ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "embedded-content")]
    #[test]
    fn the_default_yaml_is_the_default_presets_file() {
        assert_eq!(default_preset().map(|p| p.yaml), Some(DEFAULT_YAML));
        assert_eq!(default_preset().map(|p| p.lesson), Some(DEFAULT_LESSON));
    }

    #[test]
    fn the_default_lesson_is_always_embedded_without_its_newline() {
        let lesson = default_preset().and_then(Preset::embedded_lesson).expect("embedded");
        assert_eq!(lesson, DEFAULT_LESSON.trim_end());
        assert!(!lesson.ends_with('\n') && lesson.len() > 200);
    }

    #[test]
    fn the_default_preset_is_always_embedded() {
        assert_eq!(default_preset().and_then(Preset::embedded_yaml), Some(DEFAULT_YAML));
    }

    #[cfg(all(feature = "yaml", feature = "embedded-content"))]
    #[test]
    fn every_preset_verifies_against_its_own_focus_flow() {
        for p in PRESETS {
            assert_eq!(verify(p.yaml, &p.focus), Ok(()), "{}", p.id);
            assert_eq!(p.embedded_yaml(), Some(p.yaml), "{}", p.id);
        }
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn verify_accepts_the_default_scenario_and_refuses_a_hosts_html_page_or_another_scenario() {
        let p = default_preset().expect("default preset");
        assert_eq!(verify(DEFAULT_YAML, &p.focus), Ok(()));
        let html = "<!doctype html>\n<html><head><title>Not found</title></head></html>\n";
        assert!(matches!(verify(html, &p.focus), Err(Unfit::Errors(_))), "{:?}", verify(html, &p.focus));
        let other = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: elsewhere\n";
        assert_eq!(verify(other, &p.focus), Err(Unfit::MissingFlow));
        assert_eq!(verify("", &p.focus), Err(Unfit::MissingFlow));
    }
}
