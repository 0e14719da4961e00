//! `cargo xtask …`: the project's build, test and serve commands (alias in `.cargo/config.toml`).
//!
//! On a fresh machine `cargo xtask test` installs whatever is missing (rustup targets, Trunk, the
//! wasm-bindgen CLI, Node packages, Debian's Chromium) and runs every suite; `.ci/run` calls exactly
//! that. Std only, so it compiles in seconds before anything else is installed.

mod bench;
mod commands;
mod manifest;
mod run;
mod sizes;
mod tools;
mod web;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  test [--quick] [--keep-going]
                    install what is missing, then run every check and test suite
                    (--quick: skip the wasm tests, the release build + size budget and e2e;
                     --keep-going: run every step even after a failure, report all at the end)
  serve             build and serve the playground at http://127.0.0.1:8080
  dist              build the release page into dist/ and print its sizes (raw, gzip, brotli)
  e2e [ARGS...]     build dist/ and run the Playwright suite only; ARGS go to `playwright test`
  bench             run the criterion benchmarks (native) and the same workloads as wasm under Node,
                    then print one table (BENCHMARKS.md records a run)
  help              this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let result = match args.first().map(String::as_str) {
        Some("test") => commands::test(&root, &args[1..]),
        Some("serve") => commands::serve(&root),
        Some("dist") => commands::dist(&root),
        Some("e2e") => commands::e2e(&root, &args[1..]),
        Some("bench") => bench::bench(&root),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("xtask: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives in `<root>/xtask`, whatever the current directory is.
fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
