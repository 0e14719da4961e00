//! Just enough reading of `Cargo.lock`, `Cargo.toml` and `Trunk.toml` to pick tool versions.
//!
//! These files are machine-written or follow a fixed, simple layout (`key = "value"` lines inside
//! `[section]`s), so a line scanner is enough and keeps xtask free of a TOML dependency, which keeps
//! `cargo xtask` compiling in a second or two on a fresh machine.

/// Every version of package `name` recorded in a `Cargo.lock`, in file order, without duplicates.
pub fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions: Vec<String> = Vec::new();
    let mut current_name: Option<&str> = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            current_name = None;
        } else if let Some(value) = string_value(line, "name") {
            current_name = Some(value);
        } else if let Some(value) = string_value(line, "version") {
            if current_name == Some(name) && !versions.iter().any(|v| v == value) {
                versions.push(value.to_string());
            }
        }
    }
    versions
}

/// The value of `key = "value"` in section `[section]` of a TOML file with that simple layout.
pub fn section_value<'a>(toml: &'a str, section: &str, key: &str) -> Option<&'a str> {
    let header = format!("[{section}]");
    let mut inside = false;
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == header;
        } else if inside {
            if let Some(value) = string_value(line, key) {
                return Some(value);
            }
        }
    }
    None
}

/// `Some("v")` when `line` is `key = "v"` (spaces around `=` optional, trailing comment allowed).
fn string_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    rest.get(..end)
}

/// The version in a tool's `--version` output such as `trunk 0.21.14` or
/// `wasm-opt version 132 (version_132)`: the first whitespace-separated word starting with a digit.
pub fn version_word(output: &str) -> Option<&str> {
    output.split_whitespace().find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
}

/// The `"version"` field of an npm `package.json`.
pub fn package_json_version(json: &str) -> Option<&str> {
    let at = json.find("\"version\"")?;
    let rest = json.get(at + "\"version\"".len()..)?.trim_start();
    let rest = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
    rest.get(..rest.find('"')?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.131"

[[package]]
name = "js-sys"
version = "0.3.77"
"#;

    #[test]
    fn finds_the_locked_version_of_exactly_that_package() {
        assert_eq!(locked_versions(LOCK, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(locked_versions(LOCK, "wasm-bindgen-macro"), ["0.2.131"]);
        assert!(locked_versions(LOCK, "leptos").is_empty());
    }

    #[test]
    fn reports_every_distinct_version_when_a_package_is_locked_twice() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert_eq!(locked_versions(&lock, "wasm-bindgen"), ["0.2.130", "0.2.99"]);
    }

    #[test]
    fn reads_values_only_from_the_named_section() {
        let toml = "[build]\nname = \"no\"\n[package]\nversion = \"1\"\nname = \"netpol-web\" # c\n[tools]\nwasm_bindgen = \"0.2.130\"\n";
        assert_eq!(section_value(toml, "package", "name"), Some("netpol-web"));
        assert_eq!(section_value(toml, "tools", "wasm_bindgen"), Some("0.2.130"));
        assert_eq!(section_value(toml, "tools", "wasm_opt"), None);
        assert_eq!(section_value(toml, "serve", "name"), None);
    }

    #[test]
    fn does_not_confuse_keys_sharing_a_prefix() {
        assert_eq!(string_value("wasm_bindgen_x = \"1\"", "wasm_bindgen"), None);
        assert_eq!(string_value("wasm_bindgen=\"2\"", "wasm_bindgen"), Some("2"));
    }

    #[test]
    fn extracts_versions_from_tool_banners() {
        assert_eq!(version_word("trunk 0.21.14"), Some("0.21.14"));
        assert_eq!(version_word("wasm-bindgen 0.2.130"), Some("0.2.130"));
        assert_eq!(version_word("wasm-opt version 132 (version_132)"), Some("132"));
        assert_eq!(version_word("v20.20.2"), None);
    }

    #[test]
    fn reads_the_package_json_version() {
        let json = "{\n  \"name\": \"@playwright/test\",\n  \"version\": \"1.65.1\",\n}";
        assert_eq!(package_json_version(json), Some("1.65.1"));
        assert_eq!(package_json_version("{}"), None);
    }
}
