//! Issue 5's largest size, which `cargo xtask bench` leaves out (parsing
//! 70 MB of YAML alone takes seconds, so criterion's samples would take
//! longer than the whole bench): one timed run of each workload on
//! `netpol gen --pods 150000 --namespaces 1000 --policies 3000 --seed 1`,
//! the output class count, and the process's peak RSS.
//!
//! `cargo run --release -p netpol-core --example profile_150k [PODS NAMESPACES POLICIES]`
//!
//! Peak RSS is `VmHWM` from `/proc/self/status` (Linux), the same figure as
//! `/usr/bin/time -v`'s "Maximum resident set size"; it includes the YAML
//! text and the parsed scenario.

use std::hint::black_box;
use std::time::{Duration, Instant};

use netpol_core::eval::evaluate;
use netpol_core::matrix::{matrix, MatrixJob};
use netpol_core::model::{Probe, Protocol};
use netpol_core::parse::parse_str;
use netpol_core::{Flow, FlowEnd};

#[path = "../../cli/src/gen.rs"]
#[allow(dead_code, unused_imports)]
mod gen;

fn arg(i: usize, default: usize) -> usize {
    std::env::args().nth(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

fn peak_rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find(|l| l.starts_with("VmHWM")).map_or("unknown".into(), |l| l.trim().to_string())
}

fn main() {
    let (pods, namespaces, policies) = (arg(1, 150_000), arg(2, 1_000), arg(3, 3_000));
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average before: {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
    let mut out = Vec::new();
    if let Err(e) = gen::generate(&mut out, gen::GenParams { pods, namespaces, policies, seed: 1 }) {
        eprintln!("generating: {e}");
        std::process::exit(1);
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    drop(out);
    let (parsed, t) = timed(|| parse_str(&text));
    println!("parse: {t:?} ({} bytes, {} endpoints)", text.len(), parsed.scenario.endpoints.len());
    let s = parsed.scenario;
    let one = [Probe::new(Protocol::Tcp, 8080)];
    let ten: Vec<Probe> = [80u16, 443, 8080, 8050, 9090, 50051, 5432, 6379, 53, 3000]
        .into_iter()
        .map(|p| Probe::new(if p == 53 { Protocol::Udp } else { Protocol::Tcp }, p))
        .collect();
    let (m, t) = timed(|| matrix(&s, &one));
    println!(
        "matrix, 1 probe: {t:?} ({} output classes, {} allowed pairs of {})",
        m.class_count(),
        m.allowed_count(0),
        (m.len() as u64).pow(2)
    );
    drop(m);
    let (m, t) = timed(|| matrix(&s, &ten));
    let tables = (0..ten.len()).filter_map(|p| m.table_index(p)).max().map_or(0, |t| t + 1);
    println!("matrix, 10 probes: {t:?} ({tables} distinct tables)");
    drop(m);
    let mut job = MatrixJob::new(&s, &one);
    let (mut longest, mut steps) = (Duration::ZERO, 0);
    loop {
        let (done, t) = timed(|| job.step(&s, 64));
        longest = longest.max(t);
        steps += 1;
        if done {
            break;
        }
    }
    println!("MatrixJob in 64-row steps: {steps} steps, longest {longest:?}");
    let flow = Flow { from: FlowEnd::Endpoint(1), to: FlowEnd::Endpoint(s.endpoints.len() / 2), probe: one[0] };
    let mut times: Vec<Duration> = (0..51).map(|_| timed(|| black_box(evaluate(&s, &flow))).1).collect();
    times.sort_unstable();
    println!("explain 1 flow: {:?} (median of 51)", times.get(25).copied().unwrap_or_default());
    println!("peak RSS: {}", peak_rss());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average after: {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
}
