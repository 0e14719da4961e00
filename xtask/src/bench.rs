//! `cargo xtask bench` (issue 5): runs the criterion benchmarks of netpol-core natively and the same
//! workloads as wasm under Node, then prints one table from that run.
//!
//! Native medians come from criterion's `estimates.json` (`target/criterion/<group>/<id>/new/`);
//! wasm medians from `core/examples/bench_wasm.rs` built for `wasm32-wasip1` and run by Node's
//! `node:wasi` (criterion does not run under WASI, so the wasm side is a plain median-of-runs loop).
//! The load average is printed before and after: on a shared machine it says how much to trust the
//! figures. Nothing is estimated except the 10k per-flow loop, which the bench measures on a row
//! sample and this command scales linearly (and says so in the table).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::run::{cmd, run, Error, Result};
use crate::tools::{cargo, ensure_targets, which};

const GROUPS: [(&str, &str); 7] = [
    ("parse", "parse"),
    ("matrix_1_probe", "matrix, 1 probe"),
    ("matrix_10_probes", "matrix, 10 probes"),
    ("matrix_job_step", "longest MatrixJob step (64 rows, 1 probe)"),
    ("lint", "lint (all rules)"),
    ("explain_one_flow", "explain 1 flow"),
    ("per_flow_loop", "per-flow is_allowed loop, 1 probe"),
];
const SIZES: [(&str, usize); 2] = [("1k", 1_000), ("10k", 10_000)];
const WASM_TARGET: &str = "wasm32-wasip1";

/// Runs everything and prints the table.
pub fn bench(root: &Path) -> Result {
    let load_before = load_average();
    println!("==> native: criterion (release)");
    run(cmd(cargo(), root).args(["bench", "-p", "netpol-core", "--bench", "cluster"]))?;
    let native = criterion_medians(&target_dir(root).join("criterion"))?;
    println!("==> wasm: {WASM_TARGET} under Node");
    let wasm = wasm_medians(root);
    let load_after = load_average();
    print_table(&native, &wasm, &load_before, &load_after);
    Ok(())
}

/// Cargo's target directory, as cargo resolves it for this workspace.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

fn load_average() -> String {
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let fields: Vec<&str> = load.split_whitespace().take(3).collect();
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    if fields.is_empty() {
        format!("unknown ({cpus} CPUs)")
    } else {
        format!("{} ({cpus} CPUs)", fields.join(" "))
    }
}

/// `(group, size) → (bench id, median ns)` from criterion's output of this run.
type Medians = BTreeMap<(String, String), (String, f64)>;

fn criterion_medians(dir: &Path) -> Result<Medians> {
    let mut out = Medians::new();
    for (group, _) in GROUPS {
        let group_dir = dir.join(group);
        let Ok(functions) = fs::read_dir(&group_dir) else {
            return Err(Error::new(format!("no criterion results in {}", group_dir.display())));
        };
        for function in functions.flatten() {
            for (size, _) in SIZES {
                let file = function.path().join(size).join("new").join("estimates.json");
                let Ok(json) = fs::read_to_string(&file) else { continue };
                let median = median_point_estimate(&json)
                    .ok_or_else(|| Error::new(format!("no median in {}", file.display())))?;
                let id = function.file_name().to_string_lossy().into_owned();
                out.insert((group.to_string(), size.to_string()), (id, median));
            }
        }
    }
    Ok(out)
}

/// `median.point_estimate` (ns) of criterion's `estimates.json`, without a JSON dependency: xtask is
/// std only so it builds before anything is installed.
fn median_point_estimate(json: &str) -> Option<f64> {
    let rest = &json[json.find("\"median\"")?..];
    let rest = &rest[rest.find("\"point_estimate\"")? + "\"point_estimate\"".len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let end = rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+')))?;
    rest[..end].parse().ok()
}

/// The wasm medians, or why there are none.
fn wasm_medians(root: &Path) -> std::result::Result<Medians, String> {
    let node = which("node").ok_or("node is not installed")?;
    ensure_targets(root, &[WASM_TARGET]).map_err(|e| e.to_string())?;
    run(cmd(cargo(), root).args([
        "build",
        "--release",
        "-p",
        "netpol-core",
        "--example",
        "bench_wasm",
        "--target",
        WASM_TARGET,
    ]))
    .map_err(|e| e.to_string())?;
    let wasm = target_dir(root).join(WASM_TARGET).join("release/examples/bench_wasm.wasm");
    let script = "import { readFileSync } from 'node:fs';\
        import { WASI } from 'node:wasi';\
        const wasi = new WASI({ version: 'preview1', args: ['bench_wasm'], env: {} });\
        const module = await WebAssembly.compile(readFileSync(process.argv[1]));\
        const instance = await WebAssembly.instantiate(module, wasi.getImportObject());\
        wasi.start(instance);";
    let mut command = cmd(node, root);
    command.args(["--no-warnings", "--input-type=module", "-e", script]).arg(&wasm);
    println!("    $ node --input-type=module -e <node:wasi runner> {}", wasm.display());
    let output = command.output().map_err(|e| format!("could not start node: {e}"))?;
    if !output.status.success() {
        return Err(format!("node failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr)));
    }
    let mut out = Medians::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if let ["bench", group, size, ns, _runs] = line.split_whitespace().collect::<Vec<_>>()[..] {
            let ns: f64 = ns.parse().map_err(|e| format!("bad line `{line}`: {e}"))?;
            out.insert((group.to_string(), size.to_string()), ("wasm".to_string(), ns));
        }
        if let ["memory", size, bytes] = line.split_whitespace().collect::<Vec<_>>()[..] {
            let bytes: f64 = bytes.parse().map_err(|e| format!("bad line `{line}`: {e}"))?;
            out.insert(("memory".to_string(), size.to_string()), ("wasm".to_string(), bytes));
        }
    }
    if out.is_empty() {
        return Err("the wasm run printed no results".into());
    }
    Ok(out)
}

/// A duration in the unit that keeps three significant digits readable.
fn human(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Rows sampled by the per-flow bench id `rows-R-of-N` (None for `all-rows`).
fn sampled_rows(id: &str) -> Option<(f64, f64)> {
    let rest = id.strip_prefix("rows-")?;
    let (rows, n) = rest.split_once("-of-")?;
    Some((rows.parse().ok()?, n.parse().ok()?))
}

fn print_table(native: &Medians, wasm: &std::result::Result<Medians, String>, before: &str, after: &str) {
    println!("\nload average (1/5/15 min) before: {before}; after: {after}");
    println!("| size | workload | native median | wasm median | wasm/native |");
    println!("|---|---|---|---|---|");
    for (size, _) in SIZES {
        for (group, title) in GROUPS {
            let key = (group.to_string(), size.to_string());
            let Some((id, ns)) = native.get(&key) else { continue };
            let (ns, title) = match sampled_rows(id) {
                Some((rows, n)) if rows > 0.0 => {
                    (ns * n / rows, format!("{title} (extrapolated ×{:.0} from {rows} of {n} rows)", n / rows))
                }
                _ => (*ns, title.to_string()),
            };
            let (w, ratio) = match wasm.as_ref().ok().and_then(|m| m.get(&key)) {
                Some((_, w)) => (human(*w), format!("{:.2}×", w / ns)),
                None => ("–".into(), "–".into()),
            };
            println!("| {size} | {title} | {} | {w} | {ratio} |", human(ns));
        }
        let one = native.get(&("matrix_1_probe".to_string(), size.to_string()));
        let ten = native.get(&("matrix_10_probes".to_string(), size.to_string()));
        if let (Some((_, one)), Some((_, ten))) = (one, ten) {
            println!("| {size} | matrix 10 probes / 1 probe | {:.1}× | | |", ten / one);
        }
        if let Some(bytes) = wasm.as_ref().ok().and_then(|m| m.get(&("memory".to_string(), size.to_string()))) {
            println!("| {size} | wasm linear memory after the workloads | | {:.0} MB | |", bytes.1 / 1e6);
        }
        let fast = native.get(&("matrix_1_probe".to_string(), size.to_string()));
        let slow = native.get(&("per_flow_loop".to_string(), size.to_string()));
        if let (Some((_, fast)), Some((id, slow))) = (fast, slow) {
            let slow = sampled_rows(id).map_or(*slow, |(rows, n)| slow * n / rows.max(1.0));
            println!("| {size} | per-flow loop / fast matrix (1 probe) | {:.0}× | | |", slow / fast);
        }
    }
    if let Err(why) = wasm {
        println!("\nwasm: not measured ({why})");
    } else {
        println!("\nwasm: {WASM_TARGET} under Node's node:wasi, median of 7–51 runs after ≥ 3 runs and 0.5 s of");
        println!("warm-up (criterion does not run there); wasm/native divides it by criterion's native median");
        println!("of the same run.");
    }
}
