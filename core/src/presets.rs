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
    /// One paragraph: what the preset teaches and what to look at.
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

/// The folder, next to the page, that serves `core/presets/*.yaml` (see
/// [`file_name`]).
pub const DIR: &str = "presets";

/// The file holding the preset `id`'s scenario, in `core/presets/` and, on
/// the page, under [`DIR`]: `<id>.yaml`.
pub fn file_name(id: &str) -> alloc::string::String {
    alloc::format!("{id}.yaml")
}

impl Preset {
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
        lesson: "Kubernetes starts wide open: until some NetworkPolicy selects a pod, that pod accepts connections from anyone and may connect anywhere. Here a debugging pod in the dev namespace reaches the production database directly. Look at the graph: every pod has an arrow to every other pod. Then open one of the default-deny presets to see how a single policy changes that.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/default-allow.yaml"),
        focus: FocusFlow { from: "dev/debug", to: "shop/db", probe: "TCP/5432" },
        tags: &["basics"],
    },
    Preset {
        id: "default-deny-ingress",
        title: "Default deny: ingress",
        summary: "An empty podSelector with policyTypes [Ingress] closes every pod of a namespace to incoming connections.",
        lesson: "A policy selects pods; a selected pod becomes isolated for the directions in its policyTypes, and then only what some rule allows gets through. This policy selects every pod in production (podSelector {}) for Ingress and has no rules, so nothing can connect to them, not even other production pods. Notice what does not change: production pods can still open connections out (to staging, for example), and staging is untouched, because a policy only ever selects pods in its own namespace.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/default-deny-ingress.yaml"),
        focus: FocusFlow { from: "staging/api", to: "production/api", probe: "TCP/8080" },
        tags: &["basics", "default-deny", "ingress"],
    },
    Preset {
        id: "default-deny-egress",
        title: "Default deny: egress",
        summary: "policyTypes [Egress] with no rules stops a namespace's pods from opening any connection.",
        lesson: "Egress isolation works on the client side: the production pods cannot open a connection to anything, not to each other, not to staging, and not to the DNS server in kube-system. Incoming connections from staging still work because nothing isolates production for ingress. Open the inspector on a denied flow and see that the destination's side says \"not isolated\": it is the source's egress that refuses. Note that Egress must be written in policyTypes; a policy with no egress section is an Ingress policy by default.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/default-deny-egress.yaml"),
        focus: FocusFlow { from: "production/web", to: "production/api", probe: "TCP/8080" },
        tags: &["basics", "default-deny", "egress", "policy-types"],
    },
    Preset {
        id: "default-deny-all",
        title: "Default deny: both directions",
        summary: "The usual first step: isolate every pod of a namespace for ingress and egress.",
        lesson: "This is the baseline most guides start with: one policy, podSelector {}, both policy types, no rules. Inside my-app nothing gets in or out, so even the frontend cannot reach its own backend: the inspector shows both sides refusing. The pods in tools are not selected by any policy and keep talking to each other. From here, every allowed flow has to be opened explicitly, usually on both ends.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/default-deny-all.yaml"),
        focus: FocusFlow { from: "my-app/frontend", to: "my-app/backend", probe: "TCP/6379" },
        tags: &["basics", "default-deny", "ingress", "egress"],
    },
    Preset {
        id: "allow-from-monitoring",
        title: "Allow from the monitoring namespace",
        summary: "A namespaceSelector on kubernetes.io/metadata.name admits every pod of one namespace.",
        lesson: "The policy selects every pod in my-app and admits any pod whose namespace matches the namespaceSelector. It uses the label kubernetes.io/metadata.name, which the API server puts on every namespace with the namespace's own name, so it needs no labelling by hand. Prometheus can scrape any port of any my-app pod; a client in team-b cannot get in. Also notice that my-app's own pods can no longer reach each other: a policy that allows something also isolates the pods it selects.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/allow-from-monitoring.yaml"),
        focus: FocusFlow { from: "monitoring/prometheus", to: "my-app/backend", probe: "TCP/9121" },
        tags: &["namespaces", "ingress", "namespace-labels"],
    },
    Preset {
        id: "frontend-backend-6379",
        title: "Frontend to backend on TCP 6379",
        summary: "Allow one pod label from the same namespace, on one port only.",
        lesson: "The rule has a peer (pods labelled app=frontend) and a port (TCP 6379), and a connection must match both. So the frontend reaches the backend on 6379 but not on port 80, which the backend also listens on; the worker cannot reach it at all. The pod labelled app=frontend in the namespace other is refused too: a podSelector without a namespaceSelector only looks in the policy's own namespace. The frontend is a Deployment, so policies match the labels of its pod template; the Service is only a name for the backend pods, and policies never select Services.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/frontend-backend-6379.yaml"),
        focus: FocusFlow { from: "my-app/frontend", to: "my-app/backend", probe: "TCP/6379" },
        tags: &["pods", "ports", "ingress"],
    },
    Preset {
        id: "or-vs-and",
        title: "OR vs AND in from/to",
        summary: "Two list items are OR; two selectors in one item are AND. One dash makes the difference.",
        lesson: "Both policies use the same two selectors. In or-demo they are two entries of the from list, so a source needs to match only one: every pod of alice's namespace gets in (even the web pod, which is not a client), and so do role=client pods of or-demo itself. In and-demo they are one entry, so a source must match both: only role=client pods inside alice's namespace. Start on alice/web to or-demo/db, allowed by from[0] alone, then switch the destination to and-demo/db and watch the same flow fail on the podSelector term. bob's client is refused by both.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/or-vs-and.yaml"),
        focus: FocusFlow { from: "alice/web", to: "or-demo/db", probe: "TCP/5432" },
        tags: &["peers", "or-and", "namespaces"],
    },
    Preset {
        id: "policies-add-up",
        title: "Policies add up (no deny)",
        summary: "Several policies on one pod are a union; a policy cannot take away what another allows.",
        lesson: "Three policies select the same server. allow-team-x and allow-team-y each admit one team, and the result is their union: both teams get in, team-z does not. The third policy, deny-team-x, was meant to shut team-x out, but NetworkPolicy has no deny rule and no order: a policy with no rules only isolates, which the others already did, and allows nothing. Look at the inspector for team-x: it is still allowed, by allow-team-x. To remove access, you have to change the policy that grants it.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/policies-add-up.yaml"),
        focus: FocusFlow { from: "team-y/client", to: "api/server", probe: "TCP/8080" },
        tags: &["additive", "no-deny", "pitfall"],
    },
    Preset {
        id: "named-ports",
        title: "Named ports",
        summary: "port: http resolves on each destination pod, so one rule can mean different numbers.",
        lesson: "A port can be written by name. The name is looked up in the container ports of the pod receiving the connection, for the rule's protocol. Here http is 8080 on api-v1 and 9090 on api-v2, so the same rule opens 8080 on one and 9090 on the other; api-legacy declares no port named http, so the rule opens nothing there, and its port 8000 stays closed. This is handy when versions move ports, and a classic surprise when a pod forgets to name its port.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/named-ports.yaml"),
        focus: FocusFlow { from: "shop/web", to: "shop/api-v2", probe: "TCP/9090" },
        tags: &["ports", "named-ports"],
    },
    Preset {
        id: "endport-range",
        title: "Port ranges with endPort",
        summary: "port plus endPort allows a whole range, both ends included (Kubernetes 1.25+, beta since 1.22).",
        lesson: "A media server needs a block of UDP ports. Instead of listing a hundred ports, the rule says port: 40000 with endPort: 40100, and every port from 40000 to 40100 is allowed, both ends included; 40101 is not. The range applies to its own protocol only, so TCP 40050 stays closed. The recorder shows the same idea for egress to an address block outside the cluster, taken from the Kubernetes documentation. endPort needs a numeric port: it cannot extend a named one.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/endport-range.yaml"),
        focus: FocusFlow { from: "players/player", to: "media/sfu", probe: "UDP/40050" },
        tags: &["ports", "end-port", "ipblock"],
    },
    Preset {
        id: "ipblock-except",
        title: "ipBlock with except",
        summary: "Admit an address range minus a hole, alongside pod and namespace peers.",
        lesson: "The db pod accepts TCP 6379 from three peers, an OR list: addresses in 172.17.0.0/16 except 172.17.1.0/24, any pod of a namespace labelled project=myproject, and role=frontend pods of its own namespace. Try 172.17.0.20 (allowed) and 172.17.1.20 (refused: it falls into the except). ipBlock is meant for addresses outside the cluster; pods are better chosen by labels, because their IPs change. The egress rule lets db connect only to 10.0.0.0/24 on TCP 5978.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/ipblock-except.yaml"),
        focus: FocusFlow { from: "172.17.1.20", to: "default/db", probe: "TCP/6379" },
        tags: &["ipblock", "external", "peers"],
    },
    Preset {
        id: "three-tier",
        title: "Three-tier app in one namespace",
        summary: "Default deny, DNS for everyone, then web → api → db one hop and one port at a time.",
        lesson: "A complete small application. The baseline denies everything in shop; allow-dns lets every pod query CoreDNS on UDP and TCP 53; then one policy per tier says what it accepts and what it may call. The web tier takes port 80 from anywhere and calls the api on 8080; the api calls the database on 5432; the database only accepts the api. Each allowed hop needs both ends to agree, so open web to api in the inspector and see the egress rule and the ingress rule that allow it. Then try web to db: the frontend cannot skip a tier.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/three-tier.yaml"),
        focus: FocusFlow { from: "shop/web", to: "shop/api", probe: "TCP/8080" },
        tags: &["three-tier", "default-deny", "dns", "pods"],
    },
    Preset {
        id: "three-tier-namespaces",
        title: "Three tiers across namespaces (zero-trust labels)",
        summary: "Namespaces labelled env/tier/team; policies select tiers by label, not by name.",
        lesson: "Each tier lives in its own namespace, and the namespaces carry labels for environment, tier and team. The database admits namespaces labelled tier=api and env=prod, so the production backend gets in, while the staging namespace, also tier=api but env=staging, does not: the labels in one matchLabels must all hold. The frontend cannot reach the database at all. The backend has an egress allow-list (the data tier and DNS), which limits what a compromised backend could reach.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/three-tier-namespaces.yaml"),
        focus: FocusFlow { from: "backend/api", to: "database/postgres", probe: "TCP/5432" },
        tags: &["three-tier", "namespaces", "namespace-labels", "egress", "dns"],
    },
    Preset {
        id: "ingress-controller",
        title: "Ingress controller admission",
        summary: "Only pods marked expose=true accept traffic, and only from the ingress-nginx namespace.",
        lesson: "Internet traffic enters through the ingress controller, so the pods behind it only need to accept the controller. The policy selects pods labelled expose=true and admits the namespace labelled name=ingress-nginx on TCP 8080. That label is not automatic (only kubernetes.io/metadata.name is), so the namespace sets it by hand. The baseline policy matters too: without it the admin pod, which is not marked, would not be selected by any policy and would stay open to everyone, including the sandbox.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/ingress-controller.yaml"),
        focus: FocusFlow { from: "ingress-nginx/controller", to: "frontend/web", probe: "TCP/8080" },
        tags: &["ingress", "namespaces", "namespace-labels"],
    },
    Preset {
        id: "dns-forgotten",
        title: "The forgotten DNS egress",
        summary: "Egress default deny without a DNS rule: connections by IP work, name lookups fail.",
        lesson: "This is the most common NetworkPolicy outage. production denies all egress, then allows web to call api on 8080, and the inspector confirms that flow is allowed. But the application connects to api.production.svc, a name, and looking it up means a UDP query to CoreDNS on port 53, which nothing allows: the web pod's egress refuses it. The app sees name resolution errors, not connection errors. Compare with the preset that adds the DNS rule.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/dns-forgotten.yaml"),
        focus: FocusFlow { from: "production/web", to: "kube-system/coredns", probe: "UDP/53" },
        tags: &["dns", "egress", "pitfall"],
    },
    Preset {
        id: "dns-done-right",
        title: "DNS egress done right",
        summary: "Allow UDP and TCP 53 to the kube-dns pods of kube-system, and nothing else there.",
        lesson: "One more policy fixes the lookups: every production pod may reach the pods labelled k8s-app=kube-dns in the namespace kube-system, on UDP 53 and TCP 53 (TCP carries answers too large for UDP). Both selectors sit in one entry, so it is the kube-dns pods inside kube-system and not, say, the metrics server next to them. CoreDNS itself is not isolated, so its ingress side allows the query.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/dns-done-right.yaml"),
        focus: FocusFlow { from: "production/web", to: "kube-system/coredns", probe: "UDP/53" },
        tags: &["dns", "egress", "or-and"],
    },
    Preset {
        id: "kube-system-deny-all",
        title: "Pitfall: default deny in kube-system",
        summary: "A deny-all in kube-system breaks DNS for every namespace, even ones without policies.",
        lesson: "Applying the same baseline to every namespace, kube-system included, looks consistent but breaks the cluster. A connection needs the client's egress and the server's ingress to allow it. The production namespace has no policy, so its side is open, yet its DNS queries fail: CoreDNS's ingress is now isolated with no rule. CoreDNS also cannot reach the upstream resolver any more. The commented-out policy at the end of the file is the fix from the article; uncomment it and watch DNS come back.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/kube-system-deny-all.yaml"),
        focus: FocusFlow { from: "production/web", to: "kube-system/coredns", probe: "UDP/53" },
        tags: &["pitfall", "kube-system", "dns", "default-deny"],
    },
    Preset {
        id: "namespace-missing-label",
        title: "Pitfall: a namespace missing its label",
        summary: "namespaceSelector purpose=monitoring, but the monitoring namespace was never labelled: the selector matches nothing.",
        lesson: "A namespaceSelector looks at the labels of namespaces, never at their names. This policy admits namespaces labelled purpose=monitoring, but the monitoring namespace was never labelled, so the selector matches no namespace at all: Prometheus is refused, and because the policy selects every pod in production, nothing else gets in either. A real cluster gives no warning; the policy is valid, it just matches nothing. The inspector names the missing label. Add it to the monitoring Namespace and every pod of monitoring is admitted; uncomment the podSelector in the same entry, as the article's corrected version does, and only Prometheus is.",
        #[cfg(feature = "embedded-content")]
        yaml: include_str!("../presets/namespace-missing-label.yaml"),
        focus: FocusFlow { from: "monitoring/prometheus", to: "production/api", probe: "TCP/8080" },
        tags: &["pitfall", "namespaces", "namespace-labels"],
    },
    Preset {
        id: "cluster-guardrails",
        title: "Cluster admin guardrails that developers cannot override",
        summary: "An Admin-tier ClusterNetworkPolicy protects the database whatever NetworkPolicies say; a Baseline tier sets defaults they may relax.",
        lesson: "NetworkPolicy cannot deny and has no order, so a cluster admin cannot use it to protect anything from namespace owners. ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) adds tiers around NetworkPolicy: the Admin tier is consulted first, by ascending priority, and its Accept and Deny are final; NetworkPolicies come next; the Baseline tier comes after them and only decides for pods that no NetworkPolicy isolates; whatever nobody decides is allowed. Here protect-db lets the backend namespace into sensitive/db and denies every other pod, so the developer's allow-all-to-db changes nothing for tenant-a's web pod: the inspector's chain stops at the Admin tier. Prometheus is different: its scrape on TCP 9187 matches a Pass, which hands the decision to the NetworkPolicy tier, and allow-all-to-db admits it; on 5432 it falls to the deny. Namespace selectors never match addresses outside the cluster, so an external client reaches the db through the developer's policy. Below, the Baseline tier keeps tenants apart: tenant-a cannot reach tenant-b's worker, but tenant-b opened its web pod to tenant-a on 8080 with a NetworkPolicy, and for that pod the Baseline tier is never consulted.",
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
