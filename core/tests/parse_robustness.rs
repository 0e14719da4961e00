//! "Garbage never panics": the parser on mutated valid documents and on
//! hostile inputs (deep nesting, alias bombs, huge texts, odd characters).
//! Every reported position must also lie inside the text.

use netpol_core::parse::{parse_str, ParseOutput};
use netpol_core::span::Span;

const SEED_DOCS: &str = r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: api}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions:
        - {key: team, operator: In, values: [blue, "green"]}
      podSelector: {}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - {port: 8080, endPort: 8090, protocol: TCP}
    - port: http
  egress:
  - to: [{podSelector: {matchLabels: {app: db}}}]
---
kind: List
items:
- kind: Pod
  metadata: {name: p, namespace: shop, labels: &l {app: api}}
  spec:
    containers: [{ports: [{containerPort: 80, name: http}]}]
  status: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}]}
- kind: Deployment
  metadata: {name: d, labels: *l}
  spec: {template: {metadata: {labels: {<<: *l, x: "y"}}, spec: {hostNetwork: true}}}
- kind: Service
  metadata: {name: s}
  spec: {selector: {app: api}, ports: [{port: 80, targetPort: http}], clusterIP: None}
...
{"kind": "Namespace", "metadata": {"name": "shop", "labels": {"team": "blue"}}}
"#;

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const NOISE: &[&str] = &[
    ":", "-", "- ", "[", "]", "{", "}", "'", "\"", "\n", "\t", " ", "&a ", "*a", "!!str ", "|", ">", "#", "%", "---\n",
    "...\n", ",", "?", "@", "\\", "\r", "\u{feff}", "é", "\0", "<<: ", "0x", "~",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut s = text.to_string();
    for _ in 0..1 + rng.below(4) {
        let boundaries: Vec<usize> = (0..=s.len()).filter(|i| s.is_char_boundary(*i)).collect();
        let a = boundaries[rng.below(boundaries.len())];
        let b = boundaries[rng.below(boundaries.len())];
        let (lo, hi) = (a.min(b), a.max(b));
        match rng.below(5) {
            0 => {
                let end = hi.min(lo + 1 + rng.below(40)).max(lo);
                let end = (end..=s.len()).find(|i| s.is_char_boundary(*i)).unwrap_or(s.len());
                s.replace_range(lo..end, "");
            }
            1 => s.insert_str(lo, NOISE[rng.below(NOISE.len())]),
            2 => {
                let piece = s[lo..hi].to_string();
                s.insert_str(hi, &piece);
            }
            3 => s.truncate(hi),
            _ => {
                let lines: Vec<&str> = s.lines().collect();
                if lines.len() > 2 {
                    let i = rng.below(lines.len() - 1);
                    let mut v: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                    v.swap(i, i + 1);
                    s = v.join("\n");
                }
            }
        }
    }
    s
}

fn assert_in_bounds(text: &str, out: &ParseOutput) {
    // `\r\n`, `\n` and a lone `\r` are line breaks, as in YAML and editors.
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count() as u32 + 1;
    let check = |sp: &Span, what: &str| {
        assert!(sp.start.offset <= sp.end.offset, "{what}: inverted span {sp:?}");
        assert!(sp.end.offset as usize <= text.len(), "{what}: end {} past the text ({})", sp.end.offset, text.len());
        assert!(sp.start.line >= 1 && sp.start.line <= lines, "{what}: line {} of {lines}", sp.start.line);
        assert!(sp.start.col >= 1, "{what}: column 0");
        assert!(text.is_char_boundary(sp.start.offset as usize), "{what}: offset inside a character");
    };
    for d in &out.diagnostics {
        check(&d.span, &d.message);
        let _ = d.render("x");
    }
    for p in &out.scenario.policies {
        check(&p.span, "policy");
        for r in p.ingress.iter().chain(&p.egress) {
            check(&r.span, "rule");
            r.peers.iter().for_each(|x| check(&x.span, "peer"));
            r.ports.iter().for_each(|x| check(&x.span, "port"));
        }
    }
    out.scenario.endpoints.iter().for_each(|e| check(&e.span, "endpoint"));
}

#[test]
fn the_seed_documents_are_clean() {
    let out = parse_str(SEED_DOCS);
    assert!(!out.has_errors(), "{:#?}", out.diagnostics);
    assert_eq!((out.scenario.policies.len(), out.scenario.endpoints.len(), out.scenario.services.len()), (1, 2, 1));
    assert_in_bounds(SEED_DOCS, &out);
}

#[test]
fn mutated_documents_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..600 {
        let text = mutate(SEED_DOCS, &mut rng);
        let out = std::panic::catch_unwind(|| parse_str(&text));
        let out = out.unwrap_or_else(|_| panic!("panic on round {round}; input:\n{text}"));
        assert_in_bounds(&text, &out);
    }
}

#[test]
fn hostile_inputs() {
    let mut bomb =
        String::from("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        let r = format!("*{prev}");
        bomb.push_str(&format!("{name}: &{name} [{}]\n", [r.as_str(); 9].join(", ")));
    }
    let inputs = [
        bomb,
        "[".repeat(100_000),
        "{a: ".repeat(50_000),
        (0..300).map(|i| format!("{}- \n", "  ".repeat(i))).collect(),
        "kind: Pod\nmetadata: {name: \"\\x00\\uD800\\U0010FFFF\"}\n".to_string(),
        "\0\0\0".to_string(),
        "\r\r\rkind: Pod\rmetadata: {name: a}\r".to_string(),
        "kind: Pod\n\tmetadata: {name: a}\n".to_string(),
        "\u{feff}\u{feff}kind: Pod\n".to_string(),
        "--- !!map\n--- !!str\n--- &a *a\n".to_string(),
        "kind: *nope\n".to_string(),
        "? [complex, key]\n: value\nkind: Pod\nmetadata: {name: a}\n".to_string(),
        "kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {name: n}\nspec:\n  ingress:\n  - ports:\n    - port: 99999999999999999999999\n      endPort: -1\n".to_string(),
        "é: ü\n---\n\u{1F600}: [\n".to_string(),
        // Found by mutation: a List item whose only value is an alias got a
        // span ending before it started.
        "kind: List\nitems:\n- kind: Pod\n  metadata: {name: p, labels: &l {app: api}}\n- kinels: *l\n".to_string(),
    ];
    for text in &inputs {
        let out = parse_str(text);
        assert_in_bounds(text, &out);
    }
    let bomb_out = parse_str(&inputs[0]);
    assert!(bomb_out.errors().any(|d| d.message.contains("too many nodes")), "{:?}", bomb_out.diagnostics);
}

/// 10 MB of text: long comments and a long annotation in every pod (the
/// 10,000-pod case is in parse_perf.rs; here the point is size, and a debug
/// build must stay quick).
#[test]
fn ten_megabytes_work() {
    let filler = "x".repeat(50_000);
    let mut text = String::from("kind: List\nitems:\n");
    let mut pods = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "# {filler}\n- kind: Pod\n  metadata:\n    name: p{pods}\n    annotations: {{note: \"{filler}\"}}\n    labels: {{app: web}}\n"
        ));
        pods += 1;
    }
    let out = parse_str(&text);
    assert!(!out.has_errors(), "{:?}", out.errors().next());
    assert_eq!(out.scenario.endpoints.len(), pods);
    let last = out.scenario.endpoints.last().map(|e| e.span.end.offset as usize);
    assert_eq!(last, Some(text.trim_end().len()));
}
