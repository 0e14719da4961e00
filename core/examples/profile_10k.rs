//! Where the time goes at issue 5's sizes, phase by phase: parse, the
//! matrix job (`MatrixJob::new`, then its steps, plan units included: the
//! longest step is what a page's slice must absorb), the output class
//! count, and lint. For profiling, not for the bench table.
//!
//! `cargo run --release -p netpol-core --example profile_10k [PODS NAMESPACES POLICIES [STEP]]`
//! (`SKIP_LINT=1` to leave lint out, e.g. under `perf record`).

use std::time::Instant;

use netpol_core::matrix::MatrixJob;
use netpol_core::model::{Probe, Protocol};
use netpol_core::parse::parse_str;

#[path = "../../cli/src/gen.rs"]
#[allow(dead_code, unused_imports)]
mod gen;

fn arg(i: usize, default: usize) -> usize {
    std::env::args().nth(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn main() {
    let (pods, namespaces, policies, step) = (arg(1, 10_000), arg(2, 500), arg(3, 1_000), arg(4, 512));
    let mut out = Vec::new();
    if let Err(e) = gen::generate(&mut out, gen::GenParams { pods, namespaces, policies, seed: 1 }) {
        eprintln!("generating: {e}");
        std::process::exit(1);
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    let t = Instant::now();
    let parsed = parse_str(&text);
    println!("parse: {:?} ({} bytes)", t.elapsed(), text.len());
    let s = parsed.scenario;
    let probes = [Probe::new(Protocol::Tcp, 8080)];
    let t = Instant::now();
    let mut job = MatrixJob::new(&s, &probes);
    println!("MatrixJob::new: {:?}", t.elapsed());
    let t = Instant::now();
    let mut job2 = MatrixJob::new(&s, &probes);
    println!("MatrixJob::new again: {:?}", t.elapsed());
    let t = Instant::now();
    job2.step(&s, 1);
    println!("first unit (label index): {:?}", t.elapsed());
    drop(job2);
    let mut worst = std::time::Duration::ZERO;
    let mut steps = 0;
    let t = Instant::now();
    loop {
        let ts = Instant::now();
        let before = job.remaining();
        let done = job.step(&s, step);
        let took = ts.elapsed();
        worst = worst.max(took);
        if std::env::var_os("SLOW_STEPS").is_some()
            && took.as_millis() >= std::env::var("SLOW_STEPS").ok().and_then(|v| v.parse().ok()).unwrap_or(2)
        {
            println!("  step {steps}: {took:?} (remaining {before} -> {})", job.remaining());
        }
        steps += 1;
        if done {
            break;
        }
    }
    println!("steps: {steps} of {step} rows in {:?}, longest {:?}", t.elapsed(), worst);
    let m = job.finish();
    println!("allowed pairs: {}, output classes: {} of {} endpoints", m.allowed_count(0), m.class_count(), m.len());
    if std::env::var_os("SKIP_LINT").is_some() {
        return;
    }
    let t = Instant::now();
    let findings = netpol_core::lint::lint(&s);
    println!("lint: {:?} ({} findings)", t.elapsed(), findings.len());
}
