//! `ParseJob` (the resumable parse the page runs between keystrokes) equals
//! `parse_str` on every input, whatever the step sizes: presets, the seed
//! articles' fixtures, generated clusters, and each of them rewritten as the
//! one `kind: List` document `kubectl get … -o yaml` prints, where the job
//! cuts the list into runs of items. Lists it must not cut (irregular layout,
//! syntax errors, duplicate keys, aliases across items, nesting at the depth
//! limit) fall back to whole-document parsing with identical diagnostics.

use std::fmt::Write;

use netpol_core::parse::{parse_str, ParseJob, ParseOutput};
use netpol_core::presets::PRESETS;
use proptest::prelude::*;

/// Runs a job with pseudo-random step budgets (1 to `max_step` units) drawn
/// from `seed`; returns the output and how many documents went in parts.
fn stepped(text: &str, run_bytes: usize, max_step: usize, seed: u64) -> (ParseOutput, usize) {
    let mut job = ParseJob::with_run_bytes(text.to_string(), run_bytes);
    let mut state = seed | 1;
    let mut last = 0;
    let mut steps = 0usize;
    loop {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let budget = 1 + (state >> 33) as usize % max_step.max(1);
        let done = job.step(budget);
        let (now, total) = job.progress();
        assert!(now >= last, "progress never goes back");
        assert!(now <= total, "progress stays within the total: {now} > {total}");
        last = now;
        steps += 1;
        assert!(steps < 10_000_000, "the job ends");
        if done {
            assert!(job.is_done());
            assert_eq!(now, total, "a finished job is at 100%");
            break;
        }
    }
    let parts = job.documents_in_parts();
    (job.finish(), parts)
}

/// `docs` (multi-document YAML) rewritten as kubectl prints a list: items at
/// `indent` spaces, each item's lines two spaces deeper.
fn to_list(docs: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::from("apiVersion: v1\nitems:\n");
    let mut first = true;
    for line in docs.lines() {
        if line == "---" || line.starts_with("--- ") {
            first = true;
            continue;
        }
        if line.trim().is_empty() || (first && line.starts_with('#')) {
            if !first {
                out.push('\n');
            }
            continue;
        }
        let _ = writeln!(out, "{pad}{}{line}", if first { "- " } else { "  " });
        first = false;
    }
    out.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    out
}

/// A kubectl-style dump of `pods` pods and `policies` policies, with the
/// noise kubectl prints (managedFields, status, flow mappings).
fn cluster(pods: usize, policies: usize) -> String {
    let mut y = String::from("apiVersion: v1\nitems:\n");
    for i in 0..pods {
        let _ = write!(
            y,
            "- apiVersion: v1
  kind: Pod
  metadata:
    name: pod-{i}
    namespace: ns-{ns}
    labels: {{app: app-{a}, tier: t{t}}}
    managedFields:
    - apiVersion: v1
      fieldsV1: {{f:metadata: {{f:labels: {{.: {{}}}}}}}}
  spec:
    containers:
    - name: main
      ports:
      - {{containerPort: 8080, name: http, protocol: TCP}}
  status:
    podIP: 10.0.{c}.{d}
",
            ns = i % 7,
            a = i % 5,
            t = i % 3,
            c = i / 256 % 256,
            d = i % 256,
        );
    }
    for i in 0..policies {
        let _ = write!(
            y,
            "- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {{name: np-{i}, namespace: ns-{ns}}}
  spec:
    podSelector:
      matchLabels: {{app: app-{a}}}
    ingress:
    - from:
      - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: ns-{m}}}}}
        podSelector:
          matchExpressions: [{{key: tier, operator: In, values: [t0, t1]}}]
      ports: [{{port: http}}, {{port: 9000, endPort: 9100}}]
    policyTypes: [Ingress]
",
            ns = i % 7,
            a = i % 5,
            m = (i + 1) % 7,
        );
    }
    y.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    y
}

/// Asserts the job equals `parse_str` for several step sizes and run sizes;
/// returns how many documents the default-sized job parsed in parts.
fn assert_same(text: &str) -> usize {
    let expected = parse_str(text);
    let mut parts = 0;
    for (i, (run, step)) in [(32 * 1024, usize::MAX), (1, 1), (200, 50), (4096, 3000)].into_iter().enumerate() {
        let (got, p) = stepped(text, run, step, 17 + i as u64);
        assert_eq!(got, expected, "run {run}, step {step}, text:\n{text}");
        if i == 0 {
            parts = p;
        }
    }
    assert_eq!(ParseJob::new(text).finish(), expected);
    parts
}

#[test]
fn presets_as_written_and_as_kubectl_lists() {
    for p in PRESETS {
        assert_eq!(assert_same(p.yaml), 0, "{}: multi-document text has no List", p.id);
        let list = to_list(p.yaml, 0);
        assert!(!parse_str(&list).scenario.endpoints.is_empty(), "{}: the rewritten list still has pods", p.id);
        assert_eq!(assert_same(&list), 1, "{}: the list is parsed in parts", p.id);
        assert_eq!(assert_same(&to_list(p.yaml, 2)), 1, "{}: items indented by two", p.id);
    }
}

#[test]
fn seed_fixtures_as_written_and_as_lists() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/seeds");
    let mut n = 0;
    let mut in_parts = 0;
    for entry in std::fs::read_dir(dir).expect("tests/seeds") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        assert_same(&text);
        in_parts += assert_same(&to_list(&text, 0));
        n += 1;
    }
    assert!(n >= 40, "found {n} seed fixtures");
    assert!(in_parts * 10 >= n * 9, "most seed lists are cut into parts: {in_parts} of {n}");
}

#[test]
fn generated_cluster_list_is_parsed_in_parts() {
    let text = cluster(300, 40);
    let expected = parse_str(&text);
    assert_eq!(expected.scenario.endpoints.len(), 300);
    assert_eq!(expected.scenario.policies.len(), 40);
    assert_eq!(assert_same(&text), 1);
    // Many runs: each run is a separate step.
    let mut job = ParseJob::with_run_bytes(text.clone(), 1024);
    let mut steps = 0;
    while !job.step(1) {
        steps += 1;
    }
    assert!(steps > 300, "one item per step at most: {steps}");
    assert_eq!(job.finish(), expected);
}

/// Irregular or broken lists: the job falls back to the whole document and
/// reports exactly what `parse_str` reports.
#[test]
fn irregular_lists_fall_back_with_the_same_diagnostics() {
    let base = cluster(6, 2);
    let item2 = base.match_indices("\n- ").nth(2).map(|(i, _)| i + 1).expect("third item");
    let with = |at: usize, s: &str| format!("{}{s}{}", &base[..at], &base[at..]);
    let cases: Vec<(&str, String)> = vec![
        ("duplicate key in an item", base.replacen("  kind: Pod\n", "  kind: Pod\n  kind: Pod\n", 1)),
        ("syntax error in an item", with(item2, "- apiVersion: v1\n  metadata: [unclosed\n")),
        (
            "alias to an anchor in an earlier item",
            base.replacen("    name: pod-0\n", "    name: &n pod-0\n", 1).replacen(
                "    name: pod-3\n",
                "    name: *n\n",
                1,
            ),
        ),
        ("comment at the item indent", with(item2, "# a comment\n")),
        ("kind is not a list", base.replace("kind: List\n", "kind: Foo\n")),
        ("kind repeated in head and tail", base.replacen("apiVersion: v1\n", "apiVersion: v1\nkind: List\n", 1)),
        ("no kind", base.replace("kind: List\n", "")),
        ("merge key in the head", format!("x: &m {{kind: List}}\n<<: *m\n{}", base.replace("kind: List\n", ""))),
        ("flow items", "apiVersion: v1\nkind: List\nitems: [{kind: Pod, metadata: {name: a}}]\n".to_string()),
        ("tab-indented item", with(item2, "-\tapiVersion: v1\n")),
        ("carriage returns", base.replace('\n', "\r\n")),
        ("a quoted scalar spans an item boundary", with(item2, "- apiVersion: \"v1\n- kind: Pod\"\n")),
        ("empty items", "apiVersion: v1\nitems:\nkind: List\n".to_string()),
        ("a second document", format!("{base}---\n{base}")),
    ];
    for (what, text) in &cases {
        let expected = parse_str(text);
        for (run, step) in [(1, 1), (64, 7), (1 << 20, usize::MAX)] {
            let (got, _) = stepped(text, run, step, 5);
            assert_eq!(&got, &expected, "{what}");
        }
    }
    // The duplicate key rejects every item, as the whole document does.
    let dup = &cases[0].1;
    let (out, parts) = stepped(dup, 1, 1, 3);
    assert_eq!(parts, 0);
    assert!(out.scenario.endpoints.is_empty() && out.has_errors());
    // Two regular lists are each cut.
    let (_, parts) = stepped(&cases[13].1, 1, 1, 3);
    assert_eq!(parts, 2);
}

/// A List item nested right at the depth limit is refused or accepted as in
/// the whole document (the item's part is built one level deep).
#[test]
fn depth_limit_counts_the_enclosing_list() {
    for depth in 120..=130 {
        let mut nested = String::new();
        let mut close = String::new();
        for _ in 0..depth {
            nested.push('[');
            close.push(']');
        }
        let text = format!(
            "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {{name: a}}\n  x: {nested}{close}\n- apiVersion: v1\n  kind: Pod\n  metadata: {{name: b}}\nkind: List\n"
        );
        let expected = parse_str(&text);
        assert_eq!(stepped(&text, 1, 1, 9).0, expected, "depth {depth}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random step and run sizes, with a random item replaced by a broken
    /// or unusual one: always `parse_str`'s output.
    #[test]
    fn random_steps_equal_parse_str(
        pods in 1usize..25,
        policies in 0usize..6,
        run in 1usize..5000,
        step in 1usize..20000,
        seed in any::<u64>(),
        mutation in 0usize..6,
        at in any::<prop::sample::Index>(),
    ) {
        let base = cluster(pods, policies);
        let starts: Vec<usize> = base.match_indices("\n- ").map(|(i, _)| i + 1).collect();
        let pos = starts[at.index(starts.len())];
        let insert = [
            "",
            "- apiVersion: v1\n  kind: Pod\n  metadata: {name: pod-0, namespace: ns-0}\n",
            "- apiVersion: v1\n  kind: Pod\n  metadata: {name: [x]}\n",
            "- apiVersion: v1\n  kind: Pod\n  metadata: {name: ok, namespace: ns-1}\n  metadata: {}\n",
            "- kind: Service\n  metadata: {name: s, namespace: ns-0}\n  spec: {selector: {app: app-1}, ports: [{port: 80}]}\n",
            "-\n\n  apiVersion: v1\n  kind: Pod\n  # note\n  metadata:\n    name: late\n\n",
        ][mutation];
        let text = format!("{}{insert}{}", &base[..pos], &base[pos..]);
        let (got, _) = stepped(&text, run, step, seed);
        prop_assert_eq!(got, parse_str(&text));
    }
}
