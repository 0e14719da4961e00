//! The web crate's build and browser tests: Trunk, wasm-bindgen-test in headless Chromium, and
//! Playwright against the built `dist/`.

use std::fs;
use std::net::TcpListener;
use std::path::Path;

use crate::manifest;
use crate::run::{cmd, run, Error, Result};
use crate::sizes;
use crate::tools;

/// The Leptos app crate in `web/`, once it exists.
pub struct Web {
    /// Its package name, read from `web/Cargo.toml` (e.g. `netpol-web`).
    pub package: String,
}

/// `Some` when `web/Cargo.toml` exists. Steps that need the page are skipped, loudly, until then.
pub fn detect(root: &Path) -> Result<Option<Web>> {
    let manifest_path = root.join("web").join("Cargo.toml");
    let Ok(text) = fs::read_to_string(&manifest_path) else {
        return Ok(None);
    };
    let package = manifest::section_value(&text, "package", "name")
        .ok_or_else(|| Error::new("web/Cargo.toml has no [package] name"))?;
    Ok(Some(Web { package: package.to_string() }))
}

/// The Rust target Trunk builds the page for.
pub const PAGE_TARGET: &str = "wasm32-unknown-unknown";

/// The environment of the release page's build (`trunk build --release` by `dist`, `test` and
/// `e2e`): size options that stable Rust has but keeps behind `-Z`, which `RUSTC_BOOTSTRAP=1`
/// unlocks on the pinned stable toolchain. Measured together at 336769d: 528.2 -> 490.0 KB gzip
/// wasm (-38 KB, 7.2%); `-Zlocation-detail=none -Zfmt-debug=shallow` alone were -8.4 KB.
/// - `-Zbuild-std` with `optimize_for_size`: std, core and alloc compiled with the page's own
///   profile (`opt-level = "z"`, LTO) and their size-over-speed code paths, instead of the
///   prebuilt speed-tuned std;
/// - `-Cpanic=immediate-abort`: a panic is a wasm `unreachable` trap straight away. The page is
///   dead after a panic either way; what goes is the message in the console (and with it the
///   formatting machinery and ~500 source locations). `cargo xtask serve` and the wasm tests
///   build without this environment, so a panic there still prints its message and location;
/// - `-Zlocation-detail=none`: no file/line/column strings for `#[track_caller]` sites;
/// - `-Zfmt-debug=none`: `{:?}` prints nothing (-3.5 KB more than `shallow`). Nothing the page
///   shows may go through `Debug`: the one such use, `parse/ctx.rs`' quoting of a field name,
///   is written out by hand (`push_quoted`, tested against `{:?}`).
/// - `-Cllvm-args=-inline-threshold=0` (what rustc's deprecation of `-Cinline-threshold` points
///   to): LLVM inlines only where that does not grow the code; -3.0 KB gzip. The core's wasm
///   benchmark built like the page (`opt-level = "z"`, wasm32-wasip1, Node) showed no difference
///   beyond its ±20% run-to-run noise at 1k and 10k pods (parse, matrix, lint, explain).
///
/// A toolchain that drops one of these flags fails the build with rustc's "unknown option"; the
/// fix is to remove that flag here, and the size gate shows what it cost.
pub const SIZE_BUILD_ENV: &[(&str, &str)] = &[
    ("RUSTC_BOOTSTRAP", "1"),
    ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
    ("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"),
    (
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        // `--cfg erase_components` repeats `.cargo/config.toml`, which this variable replaces.
        "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Cllvm-args=-inline-threshold=0",
    ),
];

/// The notice printed by every step skipped because there is no page yet.
pub const NO_WEB: &str = "web/Cargo.toml does not exist yet (the Leptos app is still to come)";

/// Everything Trunk needs: the page's Rust target, trunk itself, the wasm-bindgen CLI matching
/// `Cargo.lock`, and the npm wasm-opt (on `PATH` via `e2e/node_modules/.bin`). `dist`, `serve`
/// and `e2e` call only this, so on a fresh machine it must add the target too.
pub fn ensure_build_tools(root: &Path) -> Result {
    tools::ensure_targets(root, &[PAGE_TARGET])?;
    tools::ensure_rust_src(root)?;
    tools::ensure_trunk(root)?;
    let locked = tools::locked_wasm_bindgen(root)?.ok_or_else(|| {
        Error::new("web/ exists but Cargo.lock has no wasm-bindgen")
            .hint("add \"web\" to the workspace members in Cargo.toml and depend on leptos/wasm-bindgen")
    })?;
    tools::check_trunk_pin(root, &locked)?;
    tools::ensure_wasm_bindgen(root, &locked)?;
    tools::ensure_node(root)?;
    tools::ensure_node_modules(root)
}

/// `trunk build --release` at the repository root into `dist/`.
pub fn trunk_build(root: &Path) -> Result {
    if !root.join("index.html").is_file() {
        return Err(Error::new("index.html is missing at the repository root")
            .hint("Trunk builds the page from index.html and Trunk.toml (owned by the web crate)"));
    }
    // Trunk may pass `--offline` to cargo (Trunk.toml `offline = true`): download every locked
    // crate, for every target, first.
    run(cmd(tools::cargo(), root).arg("fetch"))?;
    run(cmd("trunk", root)
        .args(["build", "--release"])
        .envs(SIZE_BUILD_ENV.iter().copied())
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        // A build error is a message, not a crash: skip Trunk's 20-line anyhow backtrace.
        .env("RUST_BACKTRACE", "0"))
    .map_err(|e| e.hint("see Trunk's message above; tool versions are in shared/TOOLCHAIN.md"))?;
    if root.join("dist").join("index.html").is_file() {
        Ok(())
    } else {
        Err(Error::new("trunk finished but dist/index.html does not exist"))
    }
}

/// Prints the size table of `dist/` and fails when wasm + JS exceed the gzip budget.
pub fn check_budget(root: &Path, enforce: bool) -> Result {
    let files = sizes::measure(&root.join("dist"))?;
    print!("{}", sizes::table(&files));
    let (_, gzip) = sizes::budget_totals(&files);
    if gzip <= sizes::BUDGET_GZIP_BYTES {
        return Ok(());
    }
    let err = Error::new(format!(
        "wasm + js is {} gzipped, over the {} budget",
        sizes::kb(gzip),
        sizes::kb(sizes::BUDGET_GZIP_BYTES)
    ))
    .hint("measure what each dependency costs with `twiggy top` on the dist/*.wasm and drop the heaviest");
    if enforce {
        Err(err)
    } else {
        println!("    WARNING: {err}");
        Ok(())
    }
}

/// The web crate's tests compiled to wasm and run by `wasm-bindgen-test-runner`: under Node, or in
/// headless Chromium through `/usr/bin/chromedriver` for tests configured `run_in_browser`.
pub fn wasm_tests(root: &Path, web: &Web) -> Result {
    run(cmd(tools::cargo(), root)
        .args(["test", "-p", &web.package, "--target", "wasm32-unknown-unknown"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", tools::CHROMEDRIVER))
}

/// Playwright's suite in `e2e/` against `dist/`, served by `e2e/fixtures/static-server.mjs` on a
/// free loopback port (so parallel runs on one machine do not collide).
pub fn e2e(root: &Path, extra_args: &[String]) -> Result {
    if !root.join("dist").join("index.html").is_file() {
        return Err(Error::new("dist/index.html does not exist").hint("build it first: `cargo xtask dist`"));
    }
    let shots = root.join("target").join("e2e-screenshots");
    fs::create_dir_all(&shots).map_err(|e| Error::new(format!("cannot create {}: {e}", shots.display())))?;
    e2e_fixtures(root)?;
    let port = free_port()?;
    let e2e = root.join("e2e");
    run(cmd(e2e.join("node_modules").join(".bin").join("playwright"), &e2e)
        .arg("test")
        .args(extra_args)
        .env("E2E_PORT", port.to_string())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
    .map_err(|e| {
        e.hint(format!(
            "failure screenshots and traces are under target/e2e-results/; re-run one spec with \
             `cargo xtask e2e tests/NAME.spec.ts`; screenshots in {}",
            shots.display()
        ))
    })
}

/// The generated clusters the e2e specs load, written to `target/e2e-fixtures/` by `netpol gen`
/// (deterministic, so generated on every run rather than committed: they are megabytes).
/// `e2e/tests/perf.spec.ts` loads `cluster-2000.yaml` (issue 5: the page stays responsive while a
/// 2,000-pod scenario evaluates); `e2e/tests/huge.spec.ts` imports `cluster-huge.yaml`, a
/// `--compact` cluster of [`HUGE`] (large-scenario mode, web/src/large.rs).
pub fn e2e_fixtures(root: &Path) -> Result {
    let dir = root.join("target").join("e2e-fixtures");
    fs::create_dir_all(&dir).map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))?;
    gen_fixture(
        root,
        &dir.join("cluster-2000.yaml"),
        &["--pods", "2000", "--namespaces", "100", "--policies", "200", "--seed", "7"],
    )?;
    gen_fixture(root, &dir.join("cluster-huge.yaml"), &HUGE)
}

/// `netpol gen` arguments of `huge.spec.ts`'s cluster. Not issue 5's 150,000 pods: on two CI
/// cores the page needs minutes for those (the allow graph's namespace view and the lint are
/// single long units at that size; see ARCHITECTURE.md, "Keeping evaluation off the input
/// path"), while the spec should take about two minutes.
pub const HUGE: [&str; 9] =
    ["--pods", "20000", "--namespaces", "500", "--policies", "1000", "--seed", "1", "--compact"];

/// Writes `netpol gen ARGS` to `path`.
fn gen_fixture(root: &Path, path: &Path, args: &[&str]) -> Result {
    let file = fs::File::create(path).map_err(|e| Error::new(format!("cannot create {}: {e}", path.display())))?;
    run(cmd(tools::cargo(), root)
        .args(["run", "--quiet", "--release", "-p", "netpol-cli", "--bin", "netpol", "--", "gen"])
        .args(args)
        .stdout(file))
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| Error::new(format!("cannot bind a loopback port: {e}")))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| Error::new(format!("cannot read the bound port: {e}")))
}

/// `trunk serve --release` on http://127.0.0.1:8080, rebuilding on change, until interrupted.
pub fn serve(root: &Path) -> Result {
    run(cmd("trunk", root)
        .args(["serve", "--release", "--address", "127.0.0.1", "--port", "8080"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Between `free_port` closing its listener and the caller binding the port, another process
    /// may take it (a CI run saw exactly that once, with the whole workspace's tests running in
    /// parallel). So: every port is nonzero, and binding works for nearly all of them; a single
    /// attempt asserting success would be a flaky test.
    #[test]
    fn free_ports_are_nonzero_and_bindable() {
        let mut bound = 0;
        for _ in 0..5 {
            let port = match free_port() {
                Ok(p) => p,
                Err(e) => panic!("{e}"),
            };
            assert_ne!(port, 0);
            bound += usize::from(TcpListener::bind(("127.0.0.1", port)).is_ok());
        }
        assert!(bound >= 4, "only {bound} of 5 free ports could be bound");
    }
}
