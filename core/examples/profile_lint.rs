//! Where the time of the page's last single units goes on a large cluster:
//! the parse job's steps (the longest ordinary one, the last one and
//! `finish`), then the lint phase by phase (its shared context, each check).
//!
//! `cargo run --release -p netpol-core --example profile_lint FILE`
//!
//! FILE is e.g. `netpol gen --pods 150000 --namespaces 1000 --policies 3000
//! --seed 1 --compact`.

use std::time::{Duration, Instant};

use netpol_core::lint::lint_marked;
use netpol_core::parse::ParseJob;

/// `struct timespec` of 64-bit Linux.
#[cfg(target_os = "linux")]
#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

#[cfg(target_os = "linux")]
extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

/// This thread's CPU time (Linux `CLOCK_THREAD_CPUTIME_ID`): what a phase
/// costs without the time other processes took the core, which on the
/// shared 2-core machine is most of the wall-clock noise.
#[cfg(target_os = "linux")]
fn cpu_time() -> Duration {
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `t` is a valid, writable timespec; clock 3 is
    // CLOCK_THREAD_CPUTIME_ID on Linux.
    let ok = unsafe { clock_gettime(3, &mut t) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(t.sec.max(0) as u64, t.nsec.clamp(0, 999_999_999) as u32)
}

/// Elsewhere: wall-clock time since the first call.
#[cfg(not(target_os = "linux"))]
fn cpu_time() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// Bytes per parse step, as the page's pipeline (`PARSE_UNIT`).
const PARSE_UNIT: usize = 4 * 1024;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: profile_lint FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average before: {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
    let start = Instant::now();
    let mut job = ParseJob::new(text);
    let mut longest = (Duration::ZERO, 0, 0);
    let mut steps = 0usize;
    let last = loop {
        let t = Instant::now();
        let done = job.step(PARSE_UNIT);
        let took = t.elapsed();
        steps += 1;
        if done {
            break took;
        }
        if took > longest.0 {
            longest = (took, steps, job.progress().0);
        }
        if took > Duration::from_millis(30) {
            println!("parse job: step {steps} took {took:?}, at progress {} of {}", job.progress().0, job.progress().1);
        }
    };
    let (longest, at_step, at_progress) = longest;
    println!("parse job: longest step is step {at_step}, at progress {at_progress} of {}", job.progress().1);
    let t = Instant::now();
    let out = job.finish();
    let finish = t.elapsed();
    println!(
        "parse job: {:?} in {steps} steps; longest step before the last {longest:?}, last step {last:?}, finish {finish:?}",
        start.elapsed()
    );
    let s = out.scenario;
    let mut again = s.clone();
    let t = Instant::now();
    again.normalize();
    println!("normalize (again, on a copy): {:?}", t.elapsed());
    let t = Instant::now();
    drop(again);
    println!("dropping a copy of the scenario: {:?}", t.elapsed());
    println!("{} endpoints, {} policies, {} namespaces", s.endpoints.len(), s.policies.len(), s.namespaces.len());
    // Several rounds, the fastest of each phase kept: the machine is shared,
    // so single timings are noisy.
    let rounds: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(5);
    let mut best: Vec<(&'static str, Duration)> = Vec::new();
    let mut best_total = Duration::MAX;
    for round in 0..rounds {
        let start = Instant::now();
        let cpu_start = cpu_time();
        let mut at = cpu_start;
        let mut phases = Vec::new();
        let findings = lint_marked(&s, &mut |name| {
            let now = cpu_time();
            phases.push((name, now - at));
            at = now;
        });
        let total = start.elapsed();
        let cpu = cpu_time() - cpu_start;
        best_total = best_total.min(cpu);
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&format!("{findings:?}"), &mut hasher);
        let hash = std::hash::Hasher::finish(&hasher);
        println!("lint round {round}: {total:?} wall, {cpu:?} CPU, {} findings (hash {hash:016x})", findings.len());
        if best.is_empty() {
            best = phases;
        } else {
            for (b, (_, t)) in best.iter_mut().zip(phases) {
                b.1 = b.1.min(t);
            }
        }
    }
    println!("lint fastest round {best_total:?} CPU; fastest CPU time of each phase:");
    for (name, took) in best {
        println!("  {name:<28} {:>10.1} ms", took.as_secs_f64() * 1e3);
    }
}
