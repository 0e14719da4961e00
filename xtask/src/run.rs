//! Running external commands and named steps, with headers, timings and helpful failures.
//!
//! Every step prints `==> name` before it starts and its outcome with the elapsed time after, so a CI
//! log shows at a glance which step failed and where the time went.

use std::fmt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A failure with what went wrong and, where we know it, what to do about it.
#[derive(Debug)]
pub struct Error {
    message: String,
    hint: Option<String>,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), hint: None }
    }

    /// Adds (or replaces) the advice printed under the message.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

pub type Result<T = ()> = std::result::Result<T, Error>;

/// A command whose program and arguments are echoed before it runs.
pub fn cmd(program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
    let mut command = Command::new(program);
    command.current_dir(dir);
    command
}

/// Human-readable rendering of a command line, for logs and error messages.
pub fn display(command: &Command) -> String {
    let program = Path::new(command.get_program());
    // `$CARGO` is a long toolchain path; the name says enough.
    let mut text = if program.file_name().is_some_and(|n| n == "cargo") {
        "cargo".to_string()
    } else {
        program.to_string_lossy().into_owned()
    };
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs a command with inherited stdio; a non-zero exit becomes an [`Error`] naming the command.
pub fn run(command: &mut Command) -> Result {
    let shown = display(command);
    println!("    $ {shown}");
    let status = command.status().map_err(|e| Error::new(format!("could not start `{shown}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::new(format!("`{shown}` failed ({status})")))
    }
}

/// Runs a probe such as `tool --version` quietly: its trimmed stdout when it succeeded, `None` when
/// the program is missing or failed. Used to decide whether something must be installed.
pub fn probe(command: &mut Command) -> Option<String> {
    let out = command.stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    if out.status.success() {
        Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        None
    }
}

/// What a step did.
pub enum Done {
    Ran,
    Skipped(String),
}

/// One line of the final timing table.
struct Record {
    name: String,
    elapsed: Duration,
    outcome: &'static str,
}

/// Runs named steps in order, stops at the first failure (unless told to keep going), and prints a
/// timing table at the end.
#[derive(Default)]
pub struct Steps {
    records: Vec<Record>,
    started: Option<Instant>,
    /// Run the remaining steps after a failure and report every failure at the end.
    keep_going: bool,
    /// Failures held back while keeping going.
    failures: Vec<Error>,
}

impl Steps {
    /// Steps that, with `keep_going`, carry on past failures and report them all in [`Steps::finish`].
    pub fn new(keep_going: bool) -> Self {
        Self { keep_going, ..Self::default() }
    }

    /// Prints the timing table and, with `keep_going`, fails with every held-back failure.
    pub fn finish(self) -> Result {
        self.summary();
        match self.failures.len() {
            0 => Ok(()),
            1 => Err(self.failures.into_iter().next().unwrap_or_else(|| Error::new("a step failed"))),
            n => {
                let list: Vec<String> = self.failures.iter().map(|e| format!("  - {e}")).collect();
                Err(Error::new(format!("{n} steps failed:\n{}", list.join("\n"))))
            }
        }
    }

    /// Runs one step, printing its header, its outcome and its duration.
    pub fn step(&mut self, name: &str, body: impl FnOnce() -> Result<Done>) -> Result {
        let started = Instant::now();
        self.started.get_or_insert(started);
        println!("\n==> {name}");
        let result = body();
        let elapsed = started.elapsed();
        let outcome = match &result {
            Ok(Done::Ran) => {
                println!("    ok: {name} ({})", secs(elapsed));
                "ok"
            }
            Ok(Done::Skipped(why)) => {
                println!("    SKIPPED: {name}: {why}");
                "skipped"
            }
            Err(_) => "FAILED",
        };
        self.records.push(Record { name: name.to_string(), elapsed, outcome });
        let Err(e) = result else { return Ok(()) };
        let err = Error { message: format!("step `{name}` failed: {}", e.message), hint: e.hint };
        if self.keep_going {
            println!("    FAILED (keeping going): {err}");
            self.failures.push(err);
            Ok(())
        } else {
            self.summary();
            Err(err)
        }
    }

    /// Prints every step's outcome and duration.
    pub fn summary(&self) {
        println!("\n==> timings");
        for r in &self.records {
            println!("    {:<8} {:>8}  {}", r.outcome, secs(r.elapsed), r.name);
        }
        if let Some(started) = self.started {
            println!("    {:<8} {:>8}  total", "", secs(started.elapsed()));
        }
    }
}

/// Formats a duration as seconds with one decimal, e.g. `12.3s`.
pub fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_display_includes_hint_on_its_own_line() {
        let e = Error::new("trunk failed").hint("run `cargo xtask dist`");
        assert_eq!(e.to_string(), "trunk failed\n  hint: run `cargo xtask dist`");
    }

    #[test]
    fn keep_going_runs_every_step_and_reports_all_failures() {
        let mut steps = Steps::new(true);
        let mut ran_after_failure = false;
        assert!(steps.step("a", || Err(Error::new("first"))).is_ok());
        assert!(steps
            .step("b", || {
                ran_after_failure = true;
                Ok(Done::Ran)
            })
            .is_ok());
        assert!(steps.step("c", || Err(Error::new("second"))).is_ok());
        assert!(ran_after_failure);
        let message = steps.finish().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.starts_with("2 steps failed:"), "{message}");
        assert!(message.contains("step `a` failed: first") && message.contains("step `c` failed: second"), "{message}");
    }

    #[test]
    fn display_shows_cargo_by_name_and_other_programs_as_given() {
        let dir = std::env::temp_dir();
        let mut c = cmd("/root/.rustup/toolchains/stable/bin/cargo", &dir);
        c.args(["fmt", "--check"]);
        assert_eq!(display(&c), "cargo fmt --check");
        let mut c = cmd("e2e/node_modules/.bin/playwright", &dir);
        c.arg("test");
        assert_eq!(display(&c), "e2e/node_modules/.bin/playwright test");
    }

    #[test]
    fn probe_reports_missing_programs_as_none() {
        let dir = std::env::temp_dir();
        assert_eq!(probe(&mut cmd("xtask-no-such-program-here", &dir)), None);
    }

    #[test]
    fn failing_step_stops_with_its_name_and_hint() {
        let mut steps = Steps::default();
        assert!(steps.step("fine", || Ok(Done::Ran)).is_ok());
        let err = steps.step("broken", || Err(Error::new("boom").hint("fix it"))).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("step `broken` failed: boom\n  hint: fix it"));
    }
}
