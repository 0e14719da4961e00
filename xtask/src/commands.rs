//! The subcommands: what each runs, in which order.

use std::fs;
use std::path::{Path, PathBuf};

use crate::run::{cmd, run, Done, Error, Result, Steps};
use crate::tools;
use crate::web::{self, Web};

/// Rust targets: the page, and the bare-metal target that proves `netpol-core` is `no_std`.
const TARGETS: [&str; 2] = ["wasm32-unknown-unknown", "wasm32v1-none"];

/// `cargo xtask test [--quick] [--keep-going]`: every check and suite, fail-fast (or, with
/// `--keep-going`, every step and all failures at the end), with a timing table.
pub fn test(root: &Path, args: &[String]) -> Result {
    let mut quick = false;
    let mut keep_going = false;
    for arg in args {
        match arg.as_str() {
            "--quick" => quick = true,
            "--keep-going" => keep_going = true,
            other => {
                return Err(Error::new(format!("unknown option `{other}` for `test`"))
                    .hint("usage: cargo xtask test [--quick] [--keep-going]"))
            }
        }
    }
    let web = web::detect(root)?;
    let browser_skip = if quick {
        Some("--quick".to_string())
    } else if web.is_none() {
        Some(web::NO_WEB.to_string())
    } else {
        None
    };
    if let Some(why) = &browser_skip {
        println!("xtask: the wasm tests, release build + size budget and e2e are SKIPPED: {why}");
    }
    setup_path(root)?;
    let mut steps = Steps::new(keep_going);

    steps.step("ensure tools", || {
        tools::ensure_rust_components(root)?;
        tools::ensure_targets(root, &TARGETS)?;
        match &browser_skip {
            None => {
                web::ensure_build_tools(root)?;
                tools::ensure_chromium(root)?;
            }
            Some(why) => println!("    not needed now ({why}): trunk, wasm-bindgen-cli, node packages, chromium"),
        }
        Ok(Done::Ran)
    })?;

    steps.step("rustfmt --check", || {
        run(cmd(tools::cargo(), root).args(["fmt", "--all", "--", "--check"]))
            .map_err(|e| e.hint("format your own files: `cargo fmt -p CRATE` or `rustfmt --edition 2021 FILE`"))
            .map(|()| Done::Ran)
    })?;

    steps.step("clippy -D warnings", || {
        run(cmd(tools::cargo(), root).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
            .map_err(|e| e.hint("fix the warnings printed above (each names its file and line)"))
            .map(|()| Done::Ran)
    })?;

    steps.step("cargo test --workspace (native)", || {
        run(cmd(tools::cargo(), root).args(["test", "--workspace"]))
            .map_err(|e| e.hint("the failing test is named above; re-run it with `cargo test -p CRATE NAME`"))
            .map(|()| Done::Ran)
    })?;

    steps.step("no_std build of netpol-core (wasm32v1-none)", || {
        run(cmd(tools::cargo(), root).args([
            "build",
            "-p",
            "netpol-core",
            "--no-default-features",
            "--target",
            "wasm32v1-none",
        ]))
        .map_err(|e| {
            e.hint("netpol-core without `yaml` must build with only `core` + `alloc`: no std paths, no std-only deps")
        })
        .map(|()| Done::Ran)
    })?;

    let runnable_web = match (&browser_skip, &web) {
        (None, Some(web)) => Ok(web),
        (Some(why), _) => Err(why.clone()),
        (None, None) => Err(web::NO_WEB.to_string()),
    };

    steps.step("wasm-bindgen tests of the web crate (headless Chromium)", || match &runnable_web {
        Ok(web) => web::wasm_tests(root, web).map(|()| Done::Ran),
        Err(why) => Ok(Done::Skipped(why.clone())),
    })?;

    // With --keep-going, e2e must not test a stale dist/ left by an earlier build.
    let mut built = false;
    steps.step("trunk build --release + size budget", || match &runnable_web {
        Ok(_) => {
            web::trunk_build(root)?;
            built = true;
            web::check_budget(root, true)?;
            Ok(Done::Ran)
        }
        Err(why) => Ok(Done::Skipped(why.clone())),
    })?;

    steps.step("e2e: Playwright against dist/", || match &runnable_web {
        Ok(_) if built => web::e2e(root, &[]).map(|()| Done::Ran),
        Ok(_) => Ok(Done::Skipped("the release build failed".to_string())),
        Err(why) => Ok(Done::Skipped(why.clone())),
    })?;

    steps.finish()?;
    println!("\nxtask test: every step passed");
    Ok(())
}

/// `cargo xtask serve`: the playground at http://127.0.0.1:8080, or, before the page exists, the
/// CLI's help and the matrix of a bundled preset.
pub fn serve(root: &Path) -> Result {
    setup_path(root)?;
    if web::detect(root)?.is_some() {
        web::ensure_build_tools(root)?;
        println!("==> serving the playground at http://127.0.0.1:8080 (Ctrl-C to stop)");
        return web::serve(root);
    }
    println!("xtask: {}; showing the CLI instead.\n", web::NO_WEB);
    println!("==> netpol --help");
    run(cmd(tools::cargo(), root).args(["run", "--quiet", "-p", "netpol-cli", "--", "--help"]))
        .map_err(|e| e.hint("the CLI lives in cli/; see its own output above"))?;
    match first_preset(root) {
        Some(preset) => {
            let shown = preset.strip_prefix(root).unwrap_or(&preset).to_path_buf();
            println!("\n==> netpol matrix {}", shown.display());
            run(cmd(tools::cargo(), root).args(["run", "--quiet", "-p", "netpol-cli", "--", "matrix"]).arg(&shown))
        }
        None => {
            println!("\nxtask: no preset in core/presets/ yet, so no example matrix to show.");
            Ok(())
        }
    }
}

/// The first YAML file (by name) in `core/presets/`.
fn first_preset(root: &Path) -> Option<PathBuf> {
    let mut yaml: Vec<PathBuf> = fs::read_dir(root.join("core").join("presets"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    yaml.sort();
    yaml.into_iter().next()
}

/// `cargo xtask dist`: the release page in `dist/`, and its sizes.
pub fn dist(root: &Path) -> Result {
    setup_path(root)?;
    require_web(root)?;
    let mut steps = Steps::new(false);
    steps.step("ensure build tools", || web::ensure_build_tools(root).map(|()| Done::Ran))?;
    steps.step("trunk build --release", || web::trunk_build(root).map(|()| Done::Ran))?;
    steps.step("sizes of dist/", || web::check_budget(root, false).map(|()| Done::Ran))?;
    steps.finish()?;
    println!("\ndist/ is ready: serve it with any static file host.");
    Ok(())
}

/// `cargo xtask e2e [ARGS]`: rebuild `dist/` and run Playwright only, for working on specs.
pub fn e2e(root: &Path, args: &[String]) -> Result {
    setup_path(root)?;
    require_web(root)?;
    let mut steps = Steps::new(false);
    steps.step("ensure tools", || {
        web::ensure_build_tools(root)?;
        tools::ensure_chromium(root)?;
        Ok(Done::Ran)
    })?;
    steps.step("trunk build --release", || web::trunk_build(root).map(|()| Done::Ran))?;
    steps.step("e2e: Playwright against dist/", || web::e2e(root, args).map(|()| Done::Ran))?;
    steps.finish()
}

fn require_web(root: &Path) -> Result<Web> {
    web::detect(root)?.ok_or_else(|| Error::new(web::NO_WEB))
}

/// Freshly installed tools must be found: `~/.cargo/bin` (cargo install) and `e2e/node_modules/.bin`
/// (wasm-opt for Trunk, playwright) go in front of `PATH` for every command xtask starts.
fn setup_path(root: &Path) -> Result {
    let mut dirs = vec![root.join("e2e").join("node_modules").join(".bin")];
    dirs.extend(tools::cargo_bin_dir());
    tools::prepend_path(&dirs)
}
