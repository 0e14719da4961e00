//! Reading the FILE arguments into a parsed [`Scenario`].
//!
//! Every subcommand that reads a cluster goes through [`load`]: it expands
//! directories, reads `-` from stdin, parses everything in one call (so
//! spans index the sources in argument order) and prints every diagnostic to
//! stderr as `file:line:col: path: message`. Errors never stop the command:
//! the good documents still evaluate and the caller exits with code 2 at the
//! end, which is what a CI pipeline wants.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use netpol_core::parse::{parse_sources, ParseOutput, Source};
use netpol_core::Scenario;

/// A parsed input set.
pub struct Loaded {
    /// The scenario built from every good document.
    pub scenario: Scenario,
    /// The source names, indexed like [`netpol_core::Span::source`].
    pub names: Vec<String>,
    /// Whether any document had an error (the exit code becomes 2).
    pub has_errors: bool,
}

/// Why the inputs could not be read at all (as opposed to parse errors,
/// which are reported and survived).
#[derive(Debug)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// File extensions taken from a directory argument.
const DIR_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Expands the FILE arguments: `-` stays `-`, a directory becomes its
/// `*.yaml`/`*.yml`/`*.json` files (not recursive) sorted by name, anything
/// else is taken as a file.
fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" || !arg.is_dir() {
            out.push(arg.clone());
            continue;
        }
        let entries = fs::read_dir(arg).map_err(|e| InputError(format!("{}: {e}", arg.display())))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && has_input_extension(p))
            .collect();
        files.sort();
        out.extend(files);
    }
    Ok(out)
}

fn has_input_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| DIR_EXTENSIONS.contains(&e))
}

/// Reads one expanded argument; `-` reads stdin (at most once is useful,
/// later reads see an empty stream).
fn read_one(path: &Path) -> Result<(String, String), InputError> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        io::stdin().read_to_string(&mut text).map_err(|e| InputError(format!("<stdin>: {e}")))?;
        return Ok(("<stdin>".to_string(), text));
    }
    let text = fs::read_to_string(path).map_err(|e| InputError(format!("{}: {e}", path.display())))?;
    Ok((path.display().to_string(), text))
}

/// One input read as text: its display name and contents.
pub struct Text {
    /// The file name as given (or `<stdin>`).
    pub name: String,
    /// The whole file.
    pub text: String,
}

/// Expands and reads `args` without parsing (for `netpol share`, which
/// carries the text as written).
pub fn read_texts(args: &[PathBuf]) -> Result<Vec<Text>, InputError> {
    let paths = expand(args)?;
    if paths.is_empty() {
        return Err(InputError("no input files (a directory argument held no *.yaml, *.yml or *.json)".into()));
    }
    paths.iter().map(|p| read_one(p).map(|(name, text)| Text { name, text })).collect()
}

/// Reads and parses `args`, printing diagnostics to stderr, and returns
/// the whole parse output (for `netpol lint`, which also looks at the
/// documents the scenario does not contain) with the source names.
pub fn load_output(args: &[PathBuf]) -> Result<(ParseOutput, Vec<String>), InputError> {
    let owned = read_texts(args)?;
    let sources: Vec<Source<'_>> = owned.iter().map(|t| Source { name: &t.name, text: &t.text }).collect();
    let output = parse_sources(&sources);
    let names: Vec<String> = owned.into_iter().map(|t| t.name).collect();
    for diagnostic in &output.diagnostics {
        let name = names.get(diagnostic.source as usize).map(String::as_str).unwrap_or("<input>");
        eprintln!("{}", diagnostic.render(name));
    }
    Ok((output, names))
}

/// Reads and parses `args`, printing diagnostics to stderr.
pub fn load(args: &[PathBuf]) -> Result<Loaded, InputError> {
    let (output, names) = load_output(args)?;
    let has_errors = output.has_errors();
    Ok(Loaded { scenario: output.scenario, names, has_errors })
}
