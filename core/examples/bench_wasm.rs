//! The wasm half of `cargo xtask bench` (issue 5): the same workloads as
//! `core/benches/cluster.rs` (parse, matrix for 1 and 10 probes, one flow's
//! explanation, on the `netpol gen` clusters of 1k and 10k pods, seed 1),
//! timed with a plain median-of-runs loop because criterion does not run
//! under WASI. Built for `wasm32-wasip1` and run by Node's `node:wasi`:
//!
//! `cargo build --release -p netpol-core --example bench_wasm --target wasm32-wasip1`
//!
//! It also runs natively (`cargo run --release -p netpol-core --example bench_wasm`).
//! Output, one line per workload: `bench <group> <size> <median_ns> <runs>`.

use std::hint::black_box;
use std::time::Instant;

use netpol_core::eval::evaluate;
use netpol_core::matrix::{matrix, MatrixJob};
use netpol_core::model::{Probe, Protocol};
use netpol_core::parse::parse_str;
use netpol_core::{Flow, FlowEnd};

/// Untimed calls before each measurement.
const WARM_UP: usize = 3;
/// Minimum warm-up time before each measurement, in ms.
const WARM_UP_MS: u128 = 500;

#[path = "../../cli/src/gen.rs"]
#[allow(dead_code, unused_imports)]
mod gen;

/// Median wall time of `runs` calls of `f`, in nanoseconds, after at least
/// [`WARM_UP`] untimed calls and [`WARM_UP_MS`] (V8 first runs wasm from its
/// baseline compiler and tiers up to optimized code in the background, so
/// short workloads need time, not only calls; criterion warms up too).
fn median_ns<T>(runs: usize, mut f: impl FnMut() -> T) -> u128 {
    let warm = Instant::now();
    let mut calls = 0;
    while calls < WARM_UP || warm.elapsed().as_millis() < WARM_UP_MS {
        black_box(f());
        calls += 1;
    }
    let mut times: Vec<u128> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_nanos()
        })
        .collect();
    times.sort_unstable();
    times.get(times.len() / 2).copied().unwrap_or(0)
}

/// The longest single [`MatrixJob::step`] of 64 rows (the page's step) over
/// a whole job, in nanoseconds.
fn longest_step(s: &netpol_core::Scenario, probes: &[Probe]) -> u128 {
    let mut job = MatrixJob::new(s, probes);
    let mut longest = 0;
    loop {
        let t = Instant::now();
        let done = job.step(s, 64);
        longest = longest.max(t.elapsed().as_nanos());
        if done {
            return longest;
        }
    }
}

/// Median of `runs` values of `f` (after one untimed call).
fn median_of(runs: usize, mut f: impl FnMut() -> u128) -> u128 {
    black_box(f());
    let mut values: Vec<u128> = (0..runs.max(1)).map(|_| f()).collect();
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

fn main() {
    // Same sizes and probes as core/benches/cluster.rs.
    let sizes = [("1k", 1_000usize, 50usize, 100usize), ("10k", 10_000, 500, 1_000)];
    let one = [Probe::new(Protocol::Tcp, 8080)];
    let ten: Vec<Probe> = [80u16, 443, 8080, 8050, 9090, 50051, 5432, 6379, 53, 3000]
        .into_iter()
        .map(|p| Probe::new(if p == 53 { Protocol::Udp } else { Protocol::Tcp }, p))
        .collect();
    for (label, pods, namespaces, policies) in sizes {
        let mut out = Vec::new();
        if let Err(e) = gen::generate(&mut out, gen::GenParams { pods, namespaces, policies, seed: 1 }) {
            eprintln!("generating the {label} cluster: {e}");
            std::process::exit(1);
        }
        let text = String::from_utf8_lossy(&out).into_owned();
        let parsed = parse_str(&text);
        if parsed.has_errors() {
            eprintln!("the generated {label} cluster has parse errors");
            std::process::exit(1);
        }
        let s = parsed.scenario;
        let flow = Flow { from: FlowEnd::Endpoint(1), to: FlowEnd::Endpoint(s.endpoints.len() / 2), probe: one[0] };
        let rows: [(&str, u128, usize); 6] = [
            ("parse", median_ns(7, || parse_str(black_box(&text))), 7),
            ("matrix_1_probe", median_ns(11, || matrix(black_box(&s), &one)), 11),
            ("matrix_10_probes", median_ns(11, || matrix(black_box(&s), &ten)), 11),
            ("matrix_job_step", median_of(11, || longest_step(black_box(&s), &one)), 11),
            ("lint", median_ns(7, || netpol_core::lint::lint(black_box(&s))), 7),
            ("explain_one_flow", median_ns(51, || evaluate(black_box(&s), &flow)), 51),
        ];
        for (group, ns, runs) in rows {
            println!("bench {group} {label} {ns} {runs}");
        }
        // Linear memory only grows: after this size's workloads it is the
        // peak so far (the YAML text, the scenario and the 10-probe tables).
        #[cfg(target_arch = "wasm32")]
        println!("memory {label} {}", core::arch::wasm32::memory_size(0) * 65_536);
    }
}
