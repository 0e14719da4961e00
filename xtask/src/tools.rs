//! Installing what a fresh machine lacks, checking versions first so a warm machine pays nothing.
//!
//! The machines reach only package registries (crates.io, npm, Debian), so every tool comes from one
//! of them: see `shared/TOOLCHAIN.md` for why each version was chosen. Nothing here downloads a
//! prebuilt binary from anywhere else.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use crate::manifest;
use crate::run::{cmd, probe, run, Error, Result};

/// Trunk 0.22 needs a newer rustc than the pinned stable; 0.21.14 is the verified one.
pub const TRUNK_VERSION: &str = "0.21.14";
/// The npm `binaryen` major version; Debian's binaryen 108 produces a wasm that fails at start-up.
pub const WASM_OPT_VERSION: &str = "132";
/// `@playwright/test`, pinned in `e2e/package.json`.
pub const PLAYWRIGHT_VERSION: &str = "1.65.1";
/// Playwright refuses older Node releases.
const NODE_MIN_MAJOR: u32 = 20;
/// The Debian browser and driver that Playwright and wasm-bindgen-test drive.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Where `cargo install` puts binaries; prepended to `PATH` so a tool installed a moment ago is found.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    Some(home.join("bin"))
}

/// Puts `dirs` in front of `PATH` for this process and every command it starts.
pub fn prepend_path(dirs: &[PathBuf]) -> Result {
    let mut all: Vec<PathBuf> = dirs.to_vec();
    if let Some(old) = env::var_os("PATH") {
        all.extend(env::split_paths(&old));
    }
    let joined = env::join_paths(all).map_err(|e| Error::new(format!("bad PATH entry: {e}")))?;
    // Single-threaded at this point: nothing else reads the environment concurrently.
    env::set_var("PATH", joined);
    Ok(())
}

/// The `cargo` that runs xtask (so the same toolchain builds everything), else `cargo` from `PATH`.
pub fn cargo() -> PathBuf {
    env::var_os("CARGO").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("cargo"))
}

/// Finds an executable on `PATH`, like `which`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
}

/// rustfmt and clippy, which `rustup` may leave out of a minimal profile.
pub fn ensure_rust_components(root: &Path) -> Result {
    let fmt = probe(cmd(cargo(), root).args(["fmt", "--version"]));
    let clippy = probe(cmd(cargo(), root).args(["clippy", "--version"]));
    if let (Some(fmt), Some(clippy)) = (&fmt, &clippy) {
        println!("    rustfmt: {fmt}; clippy: {clippy}");
        return Ok(());
    }
    run(cmd("rustup", root).args(["component", "add", "rustfmt", "clippy"]))
        .map_err(|e| e.hint("install rustup (https://rustup.rs) or add rustfmt and clippy to your toolchain"))
}

/// The standard library's sources, which the release page's `-Zbuild-std` compiles
/// ([`crate::web::SIZE_BUILD_ENV`]). A rustup component of the same stable toolchain, fetched like
/// a target.
pub fn ensure_rust_src(root: &Path) -> Result {
    let sysroot = probe(cmd("rustc", root).args(["--print", "sysroot"])).ok_or_else(|| {
        Error::new("`rustc --print sysroot` failed").hint("install Rust with rustup (https://rustup.rs)")
    })?;
    let library = Path::new(&sysroot).join("lib/rustlib/src/rust/library/std/Cargo.toml");
    if library.is_file() {
        println!("    rust-src present");
        return Ok(());
    }
    run(cmd("rustup", root).args(["component", "add", "rust-src"]))
        .map_err(|e| e.hint("the release page rebuilds std for size (-Zbuild-std), which needs rust-src"))
}

/// Rust targets: `wasm32-unknown-unknown` for the page, `wasm32v1-none` for the `no_std` check.
pub fn ensure_targets(root: &Path, targets: &[&str]) -> Result {
    let installed = probe(cmd("rustup", root).args(["target", "list", "--installed"])).ok_or_else(|| {
        Error::new("`rustup target list --installed` failed")
            .hint("install Rust with rustup (https://rustup.rs); xtask adds targets through it")
    })?;
    let missing: Vec<&str> = targets.iter().copied().filter(|t| !installed.lines().any(|l| l.trim() == *t)).collect();
    if missing.is_empty() {
        println!("    rust targets present: {}", targets.join(", "));
        return Ok(());
    }
    run(cmd("rustup", root).args(["target", "add"]).args(&missing))
}

/// Trunk at exactly [`TRUNK_VERSION`], built from crates.io (about 5 minutes on 2 cores).
pub fn ensure_trunk(root: &Path) -> Result {
    let found = probe(cmd("trunk", root).arg("--version"));
    let version = found.as_deref().and_then(manifest::version_word);
    if version == Some(TRUNK_VERSION) {
        println!("    trunk {TRUNK_VERSION} present");
        return Ok(());
    }
    println!(
        "    trunk {TRUNK_VERSION} needed, found {}: installing from crates.io (takes ~5 min)",
        version.unwrap_or("none")
    );
    run(cmd(cargo(), root).args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))?;
    check_now(root, "trunk", TRUNK_VERSION)
}

/// `wasm-bindgen` and `wasm-bindgen-test-runner` at the version `Cargo.lock` uses. The CLI must
/// match the library exactly, so it is installed without `--locked` (its own lockfile pins a crate
/// version the registry lacks, see TOOLCHAIN.md).
pub fn ensure_wasm_bindgen(root: &Path, version: &str) -> Result {
    let found = probe(cmd("wasm-bindgen", root).arg("--version"));
    let current = found.as_deref().and_then(manifest::version_word);
    if current == Some(version) && which("wasm-bindgen-test-runner").is_some() {
        println!("    wasm-bindgen-cli {version} present");
        return Ok(());
    }
    println!(
        "    wasm-bindgen-cli {version} needed (Cargo.lock), found {}: installing (takes ~2 min)",
        current.unwrap_or("none")
    );
    run(cmd(cargo(), root).args(["install", "wasm-bindgen-cli", "--version", version, "--force"]))?;
    check_now(root, "wasm-bindgen", version)
}

/// After an install: the tool on `PATH` must now report the wanted version.
fn check_now(root: &Path, tool: &str, version: &str) -> Result {
    let found = probe(cmd(tool, root).arg("--version"));
    if found.as_deref().and_then(manifest::version_word) == Some(version) {
        Ok(())
    } else {
        Err(Error::new(format!("installed {tool} {version} but `{tool} --version` now says {:?}", found))
            .hint("another copy earlier on PATH shadows the one in ~/.cargo/bin; remove it"))
    }
}

/// The wasm-bindgen version the workspace locks, if any crate uses it; an error if it locks two,
/// because one CLI can only serve one.
pub fn locked_wasm_bindgen(root: &Path) -> Result<Option<String>> {
    let lock =
        fs::read_to_string(root.join("Cargo.lock")).map_err(|e| Error::new(format!("cannot read Cargo.lock: {e}")))?;
    let versions = manifest::locked_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        many => Err(Error::new(format!("Cargo.lock holds several wasm-bindgen versions: {}", many.join(", ")))
            .hint("`cargo update -p wasm-bindgen --precise X` so that a single version remains")),
    }
}

/// Trunk's `[tools] wasm_bindgen` pin must equal the locked version, or Trunk (offline) refuses.
pub fn check_trunk_pin(root: &Path, locked: &str) -> Result {
    let Ok(trunk_toml) = fs::read_to_string(root.join("Trunk.toml")) else {
        return Ok(());
    };
    match manifest::section_value(&trunk_toml, "tools", "wasm_bindgen") {
        Some(pinned) if pinned != locked => Err(Error::new(format!(
            "Trunk.toml pins wasm_bindgen = \"{pinned}\" but Cargo.lock has wasm-bindgen {locked}"
        ))
        .hint("bump the pin in Trunk.toml and the crate in Cargo.lock together")),
        _ => Ok(()),
    }
}

/// Node (≥ 20) and npm, from Debian when absent.
pub fn ensure_node(root: &Path) -> Result {
    if probe(cmd("npm", root).arg("--version")).is_none() {
        println!("    node/npm missing: installing Debian's nodejs and npm");
        apt_install(root, &["nodejs", "npm"])?;
    }
    let version = probe(cmd("node", root).arg("--version"))
        .ok_or_else(|| Error::new("`node --version` failed after installing nodejs"))?;
    let major = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(m) if m >= NODE_MIN_MAJOR => {
            println!("    node {version}");
            Ok(())
        }
        _ => {
            Err(Error::new(format!("Playwright {PLAYWRIGHT_VERSION} needs Node >= {NODE_MIN_MAJOR}, found {version}"))
                .hint("install Node 20 or newer (e.g. the nodejs package of a newer Debian)"))
        }
    }
}

/// `npm ci` in `e2e/` when `node_modules` is missing or was installed from another lockfile, then
/// checks that wasm-opt and Playwright have the pinned versions.
pub fn ensure_node_modules(root: &Path) -> Result {
    let e2e = root.join("e2e");
    let lock = fs::read_to_string(e2e.join("package-lock.json"))
        .map_err(|e| Error::new(format!("cannot read e2e/package-lock.json: {e}")))?;
    // npm writes its own copy of the lockfile; ours records which lockfile we installed from.
    let stamp = e2e.join("node_modules").join(".xtask-installed-lock");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(lock.as_str()) {
        println!("    e2e/node_modules matches package-lock.json");
    } else {
        run(cmd("npm", &e2e).args(["ci", "--no-audit", "--no-fund"]).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
            .map_err(|e| e.hint("npm needs the npm registry; see the npm output above"))?;
        fs::write(&stamp, &lock).map_err(|e| Error::new(format!("cannot write {}: {e}", stamp.display())))?;
    }
    let bin = e2e.join("node_modules").join(".bin");
    let wasm_opt = probe(cmd(bin.join("wasm-opt"), root).arg("--version"));
    if wasm_opt.as_deref().and_then(manifest::version_word) != Some(WASM_OPT_VERSION) {
        return Err(Error::new(format!(
            "e2e/node_modules/.bin/wasm-opt reports {wasm_opt:?}, expected version {WASM_OPT_VERSION}"
        ))
        .hint("e2e/package.json must pin binaryen 132.0.0 (Debian's binaryen breaks the page)"));
    }
    let pw_json = e2e.join("node_modules/@playwright/test/package.json");
    let pw = fs::read_to_string(&pw_json).unwrap_or_default();
    if manifest::package_json_version(&pw) != Some(PLAYWRIGHT_VERSION) {
        return Err(Error::new(format!("{} is not version {PLAYWRIGHT_VERSION}", pw_json.display()))
            .hint("e2e/package.json must pin @playwright/test 1.65.1; then `npm install` in e2e/"));
    }
    println!("    wasm-opt {WASM_OPT_VERSION}, @playwright/test {PLAYWRIGHT_VERSION}");
    Ok(())
}

/// Debian's chromium and chromium-driver (Playwright may not download its own browser here).
pub fn ensure_chromium(root: &Path) -> Result {
    if !Path::new(CHROMIUM).is_file() || !Path::new(CHROMEDRIVER).is_file() {
        println!("    {CHROMIUM} or {CHROMEDRIVER} missing: installing from Debian");
        apt_install(root, &["chromium", "chromium-driver"])?;
    }
    let driver = probe(cmd(CHROMEDRIVER, root).arg("--version"))
        .ok_or_else(|| Error::new(format!("`{CHROMEDRIVER} --version` failed")))?;
    println!("    {driver}");
    Ok(())
}

/// `apt-get update && apt-get install -y PACKAGES`, as root or through passwordless sudo.
fn apt_install(root: &Path, packages: &[&str]) -> Result {
    let is_root = probe(cmd("id", root).arg("-u")).as_deref() == Some("0");
    let sudo = !is_root && probe(cmd("sudo", root).args(["-n", "true"])).is_some();
    if !is_root && !sudo {
        return Err(Error::new(format!(
            "need to install {} but not root and no passwordless sudo",
            packages.join(" ")
        ))
        .hint(format!("run `sudo apt-get update && sudo apt-get install -y {}`, then retry", packages.join(" "))));
    }
    let apt = |args: &[&str]| {
        let mut c = if sudo {
            let mut c = cmd("sudo", root);
            c.arg("apt-get");
            c
        } else {
            cmd("apt-get", root)
        };
        // Wait for a concurrent apt/dpkg run instead of failing on its lock.
        c.args(["-o", "DPkg::Lock::Timeout=600"]).args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt(&["update"]))?;
    run(apt(&["install", "-y"]).args(packages))
}
