//! Criterion benchmarks for issue 5 ("How to measure"): parse, the fast
//! matrix for 1 and 10 probes, one flow's explanation, and the naive
//! per-flow `is_allowed` loop the matrix replaces, on generated clusters of
//! 1,000 pods / 50 namespaces / 100 policies and 10,000 / 500 / 1,000.
//!
//! `cargo bench -p netpol-core --bench cluster` (or `cargo xtask bench`,
//! which also prints the summary table). The scenario text is exactly what
//! `netpol gen --pods N --namespaces M --policies P --seed 1` writes: the
//! generator source is compiled in from `cli/src/gen.rs`, not copied.
//!
//! The per-flow loop over all N² pairs of one probe is measured in full at
//! 1k pods (1 M flows). At 10k pods the full loop (100 M flows) would take
//! minutes per sample, so it is measured on the first [`SAMPLE_ROWS`]
//! source rows (all destinations) and `cargo xtask bench` extrapolates
//! linearly by `N / SAMPLE_ROWS` — rows cost alike because sources are
//! drawn uniformly from the namespaces.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use netpol_core::eval::{evaluate, is_allowed};
use netpol_core::matrix::{matrix, MatrixJob};
use netpol_core::model::{Probe, Protocol, Scenario};
use netpol_core::parse::parse_str;
use netpol_core::{Flow, FlowEnd};

#[path = "../../cli/src/gen.rs"]
// The file's unit tests are not compiled in as tests here, hence the allows.
#[allow(dead_code, unused_imports)]
mod gen;

/// The longest single [`MatrixJob::step`] of 64 rows over a whole job.
fn longest_step(s: &Scenario, probes: &[Probe]) -> std::time::Duration {
    let mut job = MatrixJob::new(s, probes);
    let mut longest = std::time::Duration::ZERO;
    loop {
        let t = std::time::Instant::now();
        let done = job.step(s, 64);
        longest = longest.max(t.elapsed());
        if done {
            return longest;
        }
    }
}

/// Source rows of the sampled per-flow loop at 10k pods.
const SAMPLE_ROWS: usize = 20;

/// A cluster size: label, pods, namespaces, policies.
struct Size {
    label: &'static str,
    pods: usize,
    namespaces: usize,
    policies: usize,
}

const SIZES: [Size; 2] = [
    Size { label: "1k", pods: 1_000, namespaces: 50, policies: 100 },
    Size { label: "10k", pods: 10_000, namespaces: 500, policies: 1_000 },
];

/// The YAML `netpol gen` writes for this size with seed 1.
fn yaml(size: &Size) -> String {
    let params = gen::GenParams { pods: size.pods, namespaces: size.namespaces, policies: size.policies, seed: 1 };
    let mut out = Vec::new();
    if let Err(e) = gen::generate(&mut out, params) {
        panic!("generating the {} cluster: {e}", size.label);
    }
    String::from_utf8(out).unwrap_or_else(|e| panic!("generated YAML is not UTF-8: {e}"))
}

fn scenario(text: &str) -> Scenario {
    let parsed = parse_str(text);
    assert!(!parsed.has_errors(), "the generated cluster has parse errors: {:?}", parsed.errors().next());
    parsed.scenario
}

/// The probe of the one-probe benches: the `http` port every app pod declares.
fn one_probe() -> [Probe; 1] {
    [Probe::new(Protocol::Tcp, 8080)]
}

/// Ten probes a user would plausibly ask for; several are treated alike by
/// every rule, which the matrix is meant to exploit.
fn ten_probes() -> Vec<Probe> {
    [80u16, 443, 8080, 8050, 9090, 50051, 5432, 6379, 53, 3000]
        .into_iter()
        .map(|p| Probe::new(if p == 53 { Protocol::Udp } else { Protocol::Tcp }, p))
        .collect()
}

/// Allowed flows from the first `rows` sources to every destination.
fn per_flow_loop(s: &Scenario, rows: usize, probe: Probe) -> usize {
    let n = s.endpoints.len();
    let mut allowed = 0;
    for from in 0..rows.min(n) {
        for to in 0..n {
            let flow = Flow { from: FlowEnd::Endpoint(from), to: FlowEnd::Endpoint(to), probe };
            allowed += usize::from(is_allowed(s, &flow));
        }
    }
    allowed
}

fn benches(c: &mut Criterion) {
    for size in &SIZES {
        let text = yaml(size);
        let s = scenario(&text);
        let n = s.endpoints.len();
        let id = |name: &str| BenchmarkId::new(name, size.label);

        let mut g = c.benchmark_group("parse");
        g.sampling_mode(SamplingMode::Flat).sample_size(10).throughput(criterion::Throughput::Bytes(text.len() as u64));
        g.bench_function(id(&format!("{}-bytes", text.len())), |b| b.iter(|| parse_str(black_box(&text))));
        g.finish();

        let mut g = c.benchmark_group("matrix_1_probe");
        g.sampling_mode(SamplingMode::Flat).sample_size(10);
        g.bench_function(id("fast"), |b| b.iter(|| matrix(black_box(&s), &one_probe())));
        g.finish();

        let ten = ten_probes();
        let mut g = c.benchmark_group("matrix_10_probes");
        g.sampling_mode(SamplingMode::Flat).sample_size(10);
        g.bench_function(id("fast"), |b| b.iter(|| matrix(black_box(&s), &ten)));
        g.finish();

        // The longest uninterrupted unit of a 1-probe MatrixJob driven as the
        // page drives it (64-row steps, web/src/pipeline.rs MATRIX_UNIT).
        let mut g = c.benchmark_group("matrix_job_step");
        g.sampling_mode(SamplingMode::Flat).sample_size(10);
        g.bench_function(id("longest"), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| longest_step(black_box(&s), &one_probe())).sum())
        });
        g.finish();

        let mut g = c.benchmark_group("lint");
        g.sampling_mode(SamplingMode::Flat).sample_size(10);
        g.bench_function(id("all-rules"), |b| b.iter(|| netpol_core::lint::lint(black_box(&s))));
        g.finish();

        // Pod 1 (an app pod) to the middle pod: both in application
        // namespaces, usually selected by several policies.
        let flow = Flow { from: FlowEnd::Endpoint(1), to: FlowEnd::Endpoint(n / 2), probe: one_probe()[0] };
        let mut g = c.benchmark_group("explain_one_flow");
        g.sample_size(50);
        g.bench_function(id("evaluate"), |b| b.iter(|| evaluate(black_box(&s), &flow)));
        g.finish();

        // Full loop when it is affordable (≤ 1 M flows), else a row sample.
        let rows = if n * n <= 1_000_000 { n } else { SAMPLE_ROWS };
        let name = if rows == n { "all-rows".to_string() } else { format!("rows-{rows}-of-{n}") };
        let mut g = c.benchmark_group("per_flow_loop");
        g.sampling_mode(SamplingMode::Flat).sample_size(10).measurement_time(Duration::from_secs(10));
        g.bench_function(id(&name), |b| b.iter(|| per_flow_loop(black_box(&s), rows, one_probe()[0])));
        g.finish();
    }
}

criterion_group!(cluster, benches);
criterion_main!(cluster);
