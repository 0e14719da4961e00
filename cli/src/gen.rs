//! `netpol gen`: a deterministic synthetic cluster, as multi-document YAML.
//!
//! Same `--seed` and sizes give the same bytes on every machine (a tiny
//! splitmix64 PRNG, no floating point, no hash-map order). Meant for
//! benchmarks and for trying the playground on something cluster-sized.
//!
//! ## Distribution
//! - **Namespaces** (`--namespaces M`, at least 1): namespace 0 is
//!   `kube-system` (`team=platform, env=prod, tier=infra`); the others are
//!   `<team>-<i>` with `env` drawn from prod/staging/dev (weights 3:2:1),
//!   `team` from 8 teams and `tier` from frontend/backend/data.
//! - **Pods** (`--pods N`): pod 0 is `kube-system/coredns-0`
//!   (`k8s-app=kube-dns`, named port `dns` 53 on UDP and TCP). The others go
//!   to a uniformly drawn application namespace (kube-system only when it is
//!   the sole namespace) with labels `app` (drawn from the apps of the
//!   namespace's tier: 3 frontend, 6 backend, 4 data apps), `tier` and
//!   `version` (v1–v3). IPs are consecutive from 10.0.1.1 inside
//!   10.0.0.0/8. Container ports: every pod `http` 8080/TCP and `metrics`
//!   9090/TCP; backend pods also `grpc` 50051/TCP; data pods also an unnamed
//!   5432/TCP.
//! - **Policies** (`--policies P`): spread round-robin over the application
//!   namespaces, each of one kind drawn with these weights (percent):
//!   default-deny ingress 10, default-deny ingress+egress 5, ingress from
//!   same-namespace apps (`podSelector` with `In`) on named port `http` 20,
//!   ingress from a team's namespaces (`namespaceSelector` matchLabels) on
//!   8080 15, AND peer (`namespaceSelector` env `In` + `podSelector`
//!   tier=frontend) on `http` and `grpc` 15, matchExpressions (`NotIn`,
//!   `Exists`, `DoesNotExist`) 10, ipBlocks (ingress from 10.0.0.0/8 except
//!   a /16 on `metrics`, egress to 0.0.0.0/0 except 10.0.0.0/8 on 443) 10,
//!   port range 8000–8100 (`endPort`) from namespaces named by
//!   `kubernetes.io/metadata.name` `In` 5, egress allowing DNS to kube-dns
//!   (UDP and TCP 53) plus the own namespace 10. Policies select either a
//!   whole namespace (`{}`) or one app of it.
//!
//! ## Compact output (`--compact`)
//! The same objects, in the same order and from the same random draws, as
//! ONE `kind: List` document whose items are one-line flow mappings
//! (`- {apiVersion: v1, kind: Pod, metadata: {…}, …}`): a 150,000-pod
//! cluster is about two thirds of the bytes, every object is still on a line
//! of its own (so a diagnostic's line names one object), and the layout is
//! kubectl's (`items:` at column 1, one item per `- ` line), which the
//! parser cuts into runs of items to parse a little at a time. Left out are
//! the fields the API defaults (`protocol: TCP`, the default of container
//! ports and of NetworkPolicy ports) and container images, which no policy
//! can see: the parsed scenario is the same (tested). It is made by
//! [`Compact`], a writer that rewrites the normal output document by
//! document, so the two can never describe different clusters.

use std::io::{self, Write};

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, well distributed, and
/// identical everywhere, which is all a generator for test data needs.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One element of a non-empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len());
        &items[i.min(items.len() - 1)]
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut r = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }
}

/// Sizes and seed of a generated cluster.
#[derive(Clone, Copy, Debug)]
pub struct GenParams {
    /// Number of pods.
    pub pods: usize,
    /// Number of namespaces (at least 1).
    pub namespaces: usize,
    /// Number of NetworkPolicies.
    pub policies: usize,
    /// PRNG seed.
    pub seed: u64,
}

const TEAMS: [&str; 8] = ["payments", "search", "identity", "checkout", "platform", "data", "ml", "growth"];
const ENVS: [&str; 3] = ["prod", "staging", "dev"];
const ENV_WEIGHTS: [u32; 3] = [3, 2, 1];
const TIERS: [&str; 3] = ["frontend", "backend", "data"];
const FRONTEND_APPS: [&str; 3] = ["web", "ui", "gateway"];
const BACKEND_APPS: [&str; 6] = ["api", "auth", "cart", "orders", "search", "billing"];
const DATA_APPS: [&str; 4] = ["postgres", "redis", "kafka", "elastic"];
const VERSIONS: [&str; 3] = ["v1", "v2", "v3"];

/// Policy kinds, in the order of [`POLICY_WEIGHTS`].
#[derive(Clone, Copy)]
enum Kind {
    DenyIngress,
    DenyAll,
    PodSelector,
    NamespaceSelector,
    AndPeer,
    Expressions,
    IpBlocks,
    PortRange,
    DnsEgress,
}

const KINDS: [Kind; 9] = [
    Kind::DenyIngress,
    Kind::DenyAll,
    Kind::PodSelector,
    Kind::NamespaceSelector,
    Kind::AndPeer,
    Kind::Expressions,
    Kind::IpBlocks,
    Kind::PortRange,
    Kind::DnsEgress,
];
const POLICY_WEIGHTS: [u32; 9] = [10, 5, 20, 15, 15, 10, 10, 5, 10];

struct Ns {
    name: String,
    env: &'static str,
    team: &'static str,
    tier: usize,
}

fn apps_of(tier: usize) -> &'static [&'static str] {
    match tier {
        0 => &FRONTEND_APPS,
        1 => &BACKEND_APPS,
        _ => &DATA_APPS,
    }
}

fn namespaces(rng: &mut SplitMix64, count: usize) -> Vec<Ns> {
    let mut out = Vec::with_capacity(count);
    out.push(Ns { name: "kube-system".into(), env: "prod", team: "platform", tier: usize::MAX });
    for i in 1..count {
        let team = *rng.pick(&TEAMS);
        let env = ENVS[rng.weighted(&ENV_WEIGHTS)];
        let tier = rng.below(TIERS.len());
        out.push(Ns { name: format!("{team}-{i}"), env, team, tier });
    }
    out
}

fn write_namespace(out: &mut impl Write, ns: &Ns) -> io::Result<()> {
    let tier = TIERS.get(ns.tier).copied().unwrap_or("infra");
    write!(
        out,
        "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n  labels:\n    env: {}\n    team: {}\n    tier: {tier}\n",
        ns.name, ns.env, ns.team
    )
}

/// `10.0.1.1` + `index`, inside 10.0.0.0/8 (enough for 16 M pods).
fn pod_ip(index: usize) -> String {
    let n = index + 257;
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

fn write_port(out: &mut impl Write, name: Option<&str>, port: u16, protocol: &str) -> io::Result<()> {
    match name {
        Some(name) => {
            writeln!(out, "        - name: {name}\n          containerPort: {port}\n          protocol: {protocol}")
        }
        None => writeln!(out, "        - containerPort: {port}\n          protocol: {protocol}"),
    }
}

fn write_dns_pod(out: &mut impl Write) -> io::Result<()> {
    write!(
        out,
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: coredns-0\n  namespace: kube-system\n  labels:\n    k8s-app: kube-dns\nspec:\n  containers:\n    - name: coredns\n      image: registry.k8s.io/coredns/coredns:v1.11.1\n      ports:\n"
    )?;
    write_port(out, Some("dns"), 53, "UDP")?;
    write_port(out, Some("dns-tcp"), 53, "TCP")?;
    write_port(out, Some("metrics"), 9153, "TCP")?;
    writeln!(out, "status:\n  podIP: {}", pod_ip(0))
}

fn write_app_pod(out: &mut impl Write, rng: &mut SplitMix64, index: usize, ns: &Ns) -> io::Result<()> {
    let tier = ns.tier.min(TIERS.len() - 1);
    let app = *rng.pick(apps_of(tier));
    let version = *rng.pick(&VERSIONS);
    write!(
        out,
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {app}-{index:06}\n  namespace: {}\n  labels:\n    app: {app}\n    tier: {}\n    version: {version}\nspec:\n  containers:\n    - name: {app}\n      image: registry.example/{app}:{version}\n      ports:\n",
        ns.name, TIERS[tier]
    )?;
    write_port(out, Some("http"), 8080, "TCP")?;
    write_port(out, Some("metrics"), 9090, "TCP")?;
    if tier == 1 {
        write_port(out, Some("grpc"), 50051, "TCP")?;
    }
    if tier == 2 {
        write_port(out, None, 5432, "TCP")?;
    }
    writeln!(out, "status:\n  podIP: {}", pod_ip(index))
}

/// The `spec.podSelector` block (indented for `spec:`): `{}` or one app.
fn target_selector(rng: &mut SplitMix64, ns: &Ns) -> String {
    if rng.below(3) == 0 {
        "  podSelector: {}\n".into()
    } else {
        let app = rng.pick(apps_of(ns.tier.min(TIERS.len() - 1)));
        format!("  podSelector:\n    matchLabels:\n      app: {app}\n")
    }
}

fn policy_body(rng: &mut SplitMix64, kind: Kind, ns: &Ns) -> (&'static str, String) {
    match kind {
        Kind::DenyIngress => ("default-deny-ingress", "  podSelector: {}\n  policyTypes:\n    - Ingress\n".into()),
        Kind::DenyAll => ("default-deny-all", "  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\n".into()),
        Kind::PodSelector => {
            let a = rng.pick(&FRONTEND_APPS);
            let b = rng.pick(&BACKEND_APPS);
            let body = format!(
                "{}  ingress:\n    - from:\n        - podSelector:\n            matchExpressions:\n              - key: app\n                operator: In\n                values: [{a}, {b}]\n      ports:\n        - port: http\n",
                target_selector(rng, ns)
            );
            ("allow-same-ns-apps", body)
        }
        Kind::NamespaceSelector => {
            let team = rng.pick(&TEAMS);
            let body = format!(
                "{}  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: {team}\n      ports:\n        - protocol: TCP\n          port: 8080\n",
                target_selector(rng, ns)
            );
            ("allow-from-team", body)
        }
        Kind::AndPeer => {
            let env = rng.pick(&ENVS[..2]);
            let body = format!(
                "{}  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: env\n                operator: In\n                values: [{env}, dev]\n          podSelector:\n            matchLabels:\n              tier: frontend\n      ports:\n        - port: http\n        - port: grpc\n",
                target_selector(rng, ns)
            );
            ("allow-frontends-of-env", body)
        }
        Kind::Expressions => {
            let excluded = rng.pick(&BACKEND_APPS);
            let body = format!(
                "{}  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: team\n                operator: Exists\n              - key: quarantine\n                operator: DoesNotExist\n          podSelector:\n            matchExpressions:\n              - key: app\n                operator: NotIn\n                values: [{excluded}]\n              - key: version\n                operator: Exists\n",
                target_selector(rng, ns)
            );
            ("allow-versioned-apps", body)
        }
        Kind::IpBlocks => {
            let hole = 1 + rng.below(200);
            let body = format!(
                "{}  policyTypes:\n    - Ingress\n    - Egress\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n            except:\n              - 10.{hole}.0.0/16\n      ports:\n        - port: metrics\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 10.0.0.0/8\n              - 192.168.0.0/16\n      ports:\n        - protocol: TCP\n          port: 443\n",
                target_selector(rng, ns)
            );
            ("ipblock-scrape-and-internet", body)
        }
        Kind::PortRange => {
            let a = rng.pick(&TEAMS);
            let body = format!(
                "{}  ingress:\n    - from:\n        - namespaceSelector:\n            matchExpressions:\n              - key: kubernetes.io/metadata.name\n                operator: In\n                values: [{a}-1, {a}-2, kube-system]\n      ports:\n        - protocol: TCP\n          port: 8000\n          endPort: 8100\n",
                target_selector(rng, ns)
            );
            ("allow-port-range", body)
        }
        Kind::DnsEgress => (
            "allow-dns-egress",
            "  podSelector: {}\n  policyTypes:\n    - Egress\n  egress:\n    - to:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: kube-system\n          podSelector:\n            matchLabels:\n              k8s-app: kube-dns\n      ports:\n        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53\n    - to:\n        - podSelector: {}\n"
                .into(),
        ),
    }
}

/// Writes the whole cluster: namespaces, then pods, then policies.
pub fn generate(out: &mut impl Write, params: GenParams) -> io::Result<()> {
    let mut rng = SplitMix64::new(params.seed);
    let nss = namespaces(&mut rng, params.namespaces.max(1));
    writeln!(
        out,
        "# netpol gen --pods {} --namespaces {} --policies {} --seed {}",
        params.pods,
        nss.len(),
        params.policies,
        params.seed
    )?;
    for ns in &nss {
        write_namespace(out, ns)?;
    }
    let app_namespaces = if nss.len() > 1 { &nss[1..] } else { &nss[..] };
    for index in 0..params.pods {
        if index == 0 {
            write_dns_pod(out)?;
        } else {
            let ns = rng.pick(app_namespaces);
            write_app_pod(out, &mut rng, index, ns)?;
        }
    }
    for index in 0..params.policies {
        let ns = &app_namespaces[index % app_namespaces.len()];
        let kind = KINDS[rng.weighted(&POLICY_WEIGHTS)];
        let (name, body) = policy_body(&mut rng, kind, ns);
        write!(
            out,
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}-{index:05}\n  namespace: {}\nspec:\n{body}",
            ns.name
        )?;
    }
    Ok(())
}

/// Writes the cluster as one `kind: List` of one-line items (see the module
/// documentation); the same cluster as [`generate`] with the same `params`.
pub fn generate_compact(out: &mut impl Write, params: GenParams) -> io::Result<()> {
    let mut compact = Compact { out, buf: Vec::new(), started: false };
    generate(&mut compact, params)?;
    compact.finish()
}

/// A writer that receives [`generate`]'s multi-document block YAML and
/// writes each document as one flow-style item of a `kind: List`.
///
/// It reads only the block YAML the generator itself writes: mappings
/// indented by two, sequences (`- `) indented by two under their key,
/// scalars and flow collections (`{}`, `[a, b]`) that need no quoting in
/// flow context; the test below checks both outputs parse to the same
/// scenario.
struct Compact<'a, W: Write> {
    out: &'a mut W,
    /// Text received and not yet written: the current document.
    buf: Vec<u8>,
    /// Whether the List's head (`apiVersion`, `kind`, `items:`) is written.
    started: bool,
}

impl<W: Write> Write for Compact<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        // Every complete document before the newest `---` line is done.
        while let Some(k) = find_marker(&self.buf) {
            let doc: Vec<u8> = self.buf.drain(..k).collect();
            self.emit(&doc)?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Where the second document marker line (`---` at the start of a line
/// after the first byte) begins in `buf`.
fn find_marker(buf: &[u8]) -> Option<usize> {
    buf.windows(5).position(|w| w == b"\n---\n").map(|i| i + 1).filter(|&k| k > 0)
}

impl<W: Write> Compact<'_, W> {
    /// Writes one received piece: comment lines as they are (the header),
    /// a document as one List item.
    fn emit(&mut self, doc: &[u8]) -> io::Result<()> {
        let text = String::from_utf8_lossy(doc);
        let mut body = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') && body.is_empty() {
                let line = if line.starts_with("# netpol gen ") { format!("{line} --compact") } else { line.into() };
                writeln!(self.out, "{line}")?;
            } else if line != "---" && !line.trim().is_empty() {
                body.push(line);
            }
        }
        if body.is_empty() {
            return Ok(());
        }
        if !self.started {
            self.started = true;
            writeln!(self.out, "apiVersion: v1\nkind: List\nitems:")?;
        }
        let lines: Vec<(usize, &str)> = body.iter().map(|l| (l.len() - l.trim_start().len(), l.trim_start())).collect();
        let mut at = 0;
        let node = block(&lines, &mut at, 0);
        let mut flow = String::with_capacity(doc.len());
        write_flow(&node, &mut flow);
        writeln!(self.out, "- {flow}")
    }

    fn finish(mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.buf);
        self.emit(&rest)?;
        if !self.started {
            writeln!(self.out, "apiVersion: v1\nkind: List\nitems: []")?;
        }
        self.out.flush()
    }
}

/// A block YAML node as the generator writes it.
enum Node<'a> {
    /// A scalar or a flow collection, written as it was.
    Plain(&'a str),
    Map(Vec<(&'a str, Node<'a>)>),
    Seq(Vec<Node<'a>>),
}

/// Reads the block node starting at `lines[*at]`, whose lines are indented
/// by `indent`.
fn block<'a>(lines: &[(usize, &'a str)], at: &mut usize, indent: usize) -> Node<'a> {
    match lines.get(*at) {
        Some((i, l)) if *i == indent && (l.starts_with("- ") || *l == "-") => seq(lines, at, indent),
        _ => map(lines, at, indent, None),
    }
}

fn seq<'a>(lines: &[(usize, &'a str)], at: &mut usize, indent: usize) -> Node<'a> {
    let mut items = Vec::new();
    while let Some(&(i, l)) = lines.get(*at) {
        if i != indent || !(l.starts_with("- ") || l == "-") {
            break;
        }
        let rest = l.get(2..).unwrap_or("");
        if key_of(rest).is_some() {
            // A mapping item: its first key is on the `- ` line, the others
            // are indented to that key's column.
            items.push(map(lines, at, indent + 2, Some(rest)));
        } else {
            *at += 1;
            items.push(Node::Plain(rest));
        }
    }
    Node::Seq(items)
}

/// `key` and the rest of a `key: value` or `key:` line.
fn key_of(line: &str) -> Option<(&str, &str)> {
    if line.starts_with('{') || line.starts_with('[') {
        return None;
    }
    if let Some(k) = line.strip_suffix(':') {
        return Some((k, ""));
    }
    line.split_once(": ")
}

/// Reads a mapping at `indent`; `first` is its first line's text when it
/// began on a sequence item's `- ` line.
fn map<'a>(lines: &[(usize, &'a str)], at: &mut usize, indent: usize, mut first: Option<&'a str>) -> Node<'a> {
    let mut entries = Vec::new();
    loop {
        let line = match first.take() {
            Some(l) => l,
            None => match lines.get(*at) {
                Some(&(i, l)) if i == indent && !l.starts_with("- ") => l,
                _ => break,
            },
        };
        *at += 1;
        let Some((key, value)) = key_of(line) else { break };
        let value = if value.is_empty() {
            match lines.get(*at) {
                Some(&(i, _)) if i > indent => block(lines, at, i),
                _ => Node::Plain("null"),
            }
        } else {
            Node::Plain(value)
        };
        // Left out: what the API defaults (`protocol: TCP`, for container
        // ports and policy ports alike) and what no policy can see (images).
        if !matches!((key, &value), ("image", _) | ("protocol", Node::Plain("TCP"))) {
            entries.push((key, value));
        }
    }
    Node::Map(entries)
}

fn write_flow(node: &Node<'_>, out: &mut String) {
    match node {
        Node::Plain(s) => out.push_str(s),
        Node::Map(entries) => {
            out.push('{');
            for (n, (k, v)) in entries.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                write_flow(v, out);
            }
            out.push('}');
        }
        Node::Seq(items) => {
            out.push('[');
            for (n, v) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                write_flow(v, out);
            }
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation
        // (prng.di.unimi.it/splitmix64.c).
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..1000 {
            assert_eq!(rng.weighted(&[0, 5, 0]), 1);
        }
    }

    fn text(params: GenParams, compact: bool) -> String {
        let mut out = Vec::new();
        let done = if compact { generate_compact(&mut out, params) } else { generate(&mut out, params) };
        assert!(done.is_ok());
        String::from_utf8(out).unwrap_or_default()
    }

    /// `--compact` writes the same cluster: the same namespaces, endpoints,
    /// services and policies (everything but their positions) and the same
    /// matrix on every probe the policies name, with no diagnostics.
    #[test]
    fn compact_output_parses_to_the_same_scenario() {
        use netpol_core::matrix::matrix;
        use netpol_core::parse::parse_str;
        for (pods, namespaces, policies, seed) in [(300, 12, 120, 42), (40, 1, 30, 7), (0, 3, 0, 1), (5, 2, 400, 9)] {
            let params = GenParams { pods, namespaces, policies, seed };
            let (normal, compact) = (text(params, false), text(params, true));
            let (a, b) = (parse_str(&normal), parse_str(&compact));
            assert!(
                b.diagnostics.iter().all(|d| d.severity != netpol_core::parse::Severity::Error),
                "{:?}",
                b.diagnostics
            );
            assert_eq!(a.diagnostics.len(), b.diagnostics.len(), "{:?}", b.diagnostics);
            let (a, b) = (a.scenario, b.scenario);
            let ns = |s: &netpol_core::Scenario| {
                s.namespaces.iter().map(|n| (n.name.clone(), n.labels.clone())).collect::<Vec<_>>()
            };
            assert_eq!(ns(&a), ns(&b));
            assert_eq!(a.endpoints.len(), pods);
            assert_eq!(b.endpoints.len(), pods);
            for (x, y) in a.endpoints.iter().zip(&b.endpoints) {
                assert_eq!(
                    (&x.namespace, &x.name, &x.labels, &x.ips, &x.ports),
                    (&y.namespace, &y.name, &y.labels, &y.ips, &y.ports)
                );
            }
            assert_eq!(a.policies.len(), b.policies.len());
            for (x, y) in a.policies.iter().zip(&b.policies) {
                assert_eq!((&x.namespace, &x.name, &x.policy_types), (&y.namespace, &y.name, &y.policy_types));
                let reqs = |s: &netpol_core::labels::LabelSelector| {
                    s.requirements.iter().map(|r| (r.key.clone(), r.op, r.values.clone())).collect::<Vec<_>>()
                };
                assert_eq!(reqs(&x.pod_selector), reqs(&y.pod_selector));
                assert_eq!((x.ingress.len(), x.egress.len()), (y.ingress.len(), y.egress.len()));
                for (r, q) in x.ingress.iter().chain(&x.egress).zip(y.ingress.iter().chain(&y.egress)) {
                    assert_eq!((r.peers.len(), r.ports.len()), (q.peers.len(), q.ports.len()));
                    for (p, o) in r.ports.iter().zip(&q.ports) {
                        assert_eq!((p.protocol, &p.port, p.end_port), (o.protocol, &o.port, o.end_port));
                    }
                }
            }
            let mut probes = a.probes_in_use();
            probes.push(netpol_core::Probe::new(netpol_core::Protocol::Tcp, 8080));
            assert_eq!(matrix(&a, &probes), matrix(&b, &probes), "the matrices differ");
        }
    }

    /// One object per line, inside one List the parser cuts into runs of
    /// items; a diagnostic's line is its object's line.
    #[test]
    fn compact_output_is_one_object_per_line() {
        let params = GenParams { pods: 50, namespaces: 4, policies: 20, seed: 3 };
        let compact = text(params, true);
        assert!(compact.starts_with("# netpol gen --pods 50 --namespaces 4 --policies 20 --seed 3 --compact\napiVersion: v1\nkind: List\nitems:\n"));
        let items = compact.lines().filter(|l| l.starts_with("- {")).count();
        assert_eq!(items, 4 + 50 + 20);
        assert!(10 * text(params, false).len() > 14 * compact.len(), "compact is much smaller");
        let out = netpol_core::parse::parse_str(&compact);
        let line_of_pod_7 =
            compact.lines().position(|l| l.contains("name: ") && l.contains("-000007,")).map(|i| i as u32 + 1);
        let pod = out.scenario.endpoints.iter().find(|e| e.name.ends_with("-000007"));
        assert_eq!(pod.map(|e| e.span.start.line), line_of_pod_7);
    }
}
