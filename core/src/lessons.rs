//! The Learn panel's course: short lessons, each with a scenario, a verdict
//! to predict and a small task that the core checks on the user's edit.
//!
//! The course is data ([`LESSONS`]) plus one rule, [`check`], so that the
//! page only renders: it never decides whether a prediction was right or a
//! task is done. No verdict is stored here. The answer to a prediction is
//! computed by [`crate::evaluate`] on the lesson's own scenario
//! ([`prediction`]), and a task is a list of flow [`Expectation`]s evaluated
//! on whatever scenario the user has in the editor.
//!
//! Every lesson is tested in `core/tests/lessons.rs`: its starting scenario
//! fails its task and the scenario with its [`Solution`] applied passes, so
//! no check holds vacuously, and the claims its text makes are checked
//! against verdicts written from the API reference.
//!
//! The scenarios live in `core/lessons/*.yaml` (one small file per lesson,
//! so a newcomer has little to read) except the guardrails lesson's, which is
//! its own file too but follows the `cluster-guardrails` preset.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::eval::resolve_end;
use crate::explain::Explanation;
use crate::model::{Probe, Scenario};
use crate::parse::parse_str;
use crate::presets::FocusFlow;
use crate::Flow;

mod course;

pub use course::LESSONS;

/// One lesson of the course.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lesson {
    /// Stable identifier; the page stores progress under it.
    pub id: &'static str,
    /// Title in the lesson list.
    pub title: &'static str,
    /// The lesson's prose, `core/lessons/<id>.txt` (feature
    /// `embedded-content`; the page fetches it, see [`text_file_name`]).
    /// Read it through [`Lesson::embedded_text`] or [`LessonText::parse`].
    #[cfg(feature = "embedded-content")]
    pub text: &'static str,
    /// The scenario, as multi-document YAML (feature `embedded-content`;
    /// the page fetches `<`[`DIR`]`>/<id>.yaml` instead, see [`file_name`]).
    #[cfg(feature = "embedded-content")]
    pub yaml: &'static str,
    /// The verdict the user guesses before it is revealed.
    pub prediction: Prediction,
    /// What the user changes in the scenario.
    pub task: Task,
    /// The change that completes the task.
    pub solution: Solution,
}

/// A flow whose verdict the user predicts. The answer is never stored: it is
/// [`crate::evaluate`]'s verdict on the lesson's scenario ([`prediction`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prediction {
    /// The flow.
    pub flow: FocusFlow,
}

/// The lesson's exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Task {
    /// What must hold afterwards, all of it, checked by [`check`].
    pub expect: &'static [Expectation],
}

/// One flow that must be allowed or denied for the task to be done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// The flow.
    pub flow: FocusFlow,
    /// The verdict the task asks for.
    pub allowed: bool,
    /// The expectation in plain words ("Prometheus can reach the API").
    pub says: &'static str,
}

/// The change that completes a task, as text edits of the lesson's YAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Solution {
    /// The YAML to write, as the page shows it.
    pub snippet: &'static str,
    /// Each `find` must occur exactly once in the text it is applied to.
    pub edits: &'static [Edit],
}

/// Replace the one occurrence of `find` with `replace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The text to replace (whole lines, with their indentation).
    pub find: &'static str,
    /// Its replacement.
    pub replace: &'static str,
}

/// A lesson's prose, kept out of the code in `core/lessons/<id>.txt` so
/// that the page fetches it with the lesson's scenario instead of carrying
/// every lesson's text in its wasm (issue 3's size budget).
///
/// The file is a list of sections, each a line `[name]` followed by its
/// text; blank lines around a text are not part of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LessonText<'a> {
    /// What the lesson explains, for people new to Kubernetes networking.
    /// Paragraphs are separated by a blank line.
    pub intro: &'a str,
    /// The prediction's question, in words.
    pub question: &'a str,
    /// Shown after the reveal, whatever the guess: the mechanism behind the
    /// verdict, worded so it reads right next to the computed verdict.
    pub takeaway: &'a str,
    /// The task: what to do, in words.
    pub goal: &'a str,
    /// A nudge toward the solution, without giving it away.
    pub hint: &'a str,
    /// What the page shows under "Show the solution", above the snippet.
    pub explanation: &'a str,
}

impl<'a> LessonText<'a> {
    /// Reads a lesson's text file. `Err` names the first section that is
    /// missing or empty (a host's HTML page served for every path has none).
    pub fn parse(file: &'a str) -> Result<Self, &'static str> {
        let section = |name: &'static str| match section(file, name) {
            Some(text) if !text.trim().is_empty() => Ok(text),
            _ => Err(name),
        };
        Ok(LessonText {
            intro: section("intro")?,
            question: section("question")?,
            takeaway: section("takeaway")?,
            goal: section("goal")?,
            hint: section("hint")?,
            explanation: section("explanation")?,
        })
    }
}

/// The text under the line `[name]`, up to the next `[…]` line, without the
/// line breaks around it.
fn section<'a>(file: &'a str, name: &str) -> Option<&'a str> {
    let mut start = None;
    let mut end = file.len();
    let mut offset = 0;
    for line in file.split_inclusive('\n') {
        let header = line.trim_end().strip_prefix('[').and_then(|l| l.strip_suffix(']'));
        match (start, header) {
            (None, Some(h)) if h == name => start = Some(offset + line.len()),
            (Some(_), Some(_)) => {
                end = offset;
                break;
            }
            _ => {}
        }
        offset += line.len();
    }
    Some(file[start?..end].trim_matches(['\n', '\r']))
}

impl Lesson {
    /// The prose when it is compiled in (feature `embedded-content`).
    #[cfg(feature = "embedded-content")]
    pub fn embedded_text(&self) -> Option<LessonText<'static>> {
        LessonText::parse(self.text).ok()
    }

    /// Without the `embedded-content` feature, never: the page fetches the
    /// file [`text_file_name`] names.
    #[cfg(not(feature = "embedded-content"))]
    pub fn embedded_text(&self) -> Option<LessonText<'static>> {
        None
    }

    /// The scenario when it is compiled in (feature `embedded-content`).
    #[cfg(feature = "embedded-content")]
    pub fn embedded_yaml(&self) -> Option<&'static str> {
        Some(self.yaml)
    }

    /// Without the `embedded-content` feature, never: the page fetches the
    /// file [`file_name`] names.
    #[cfg(not(feature = "embedded-content"))]
    pub fn embedded_yaml(&self) -> Option<&'static str> {
        None
    }
}

/// The lesson with this [`Lesson::id`].
pub fn by_id(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

/// Why a lesson flow cannot be evaluated in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// The source is neither an endpoint of the scenario nor an IP address.
    From,
    /// The destination is neither an endpoint of the scenario nor an IP.
    To,
    /// The probe is not `PROTO/port` (a bug in the course, tested against).
    Probe,
}

/// Resolves a lesson flow in `scenario`.
pub fn resolve(scenario: &Scenario, flow: &FocusFlow) -> Result<Flow, Unresolved> {
    let from = resolve_end(scenario, flow.from).ok_or(Unresolved::From)?;
    let to = resolve_end(scenario, flow.to).ok_or(Unresolved::To)?;
    let probe = Probe::parse(flow.probe).ok_or(Unresolved::Probe)?;
    Ok(Flow { from, to, probe })
}

/// The folder, next to the page, that serves `core/lessons/*.yaml`.
pub const DIR: &str = "lessons";

/// The file holding the lesson `id`'s scenario, in `core/lessons/` and, on
/// the page, under [`DIR`]: `<id>.yaml`.
pub fn file_name(id: &str) -> String {
    format!("{id}.yaml")
}

/// The file holding the lesson `id`'s prose ([`LessonText`]), in
/// `core/lessons/` and, on the page, under [`DIR`]: `<id>.txt`.
pub fn text_file_name(id: &str) -> String {
    format!("{id}.txt")
}

/// The lesson's own scenario, parsed.
#[cfg(feature = "embedded-content")]
pub fn scenario(lesson: &Lesson) -> Scenario {
    parse_str(lesson.yaml).scenario
}

/// The answer to the lesson's prediction: the core's explanation of the
/// prediction flow in the lesson's own scenario (not the editor's, which the
/// user may already have changed). `None` only if the course is broken.
#[cfg(feature = "embedded-content")]
pub fn prediction(lesson: &Lesson) -> Option<Explanation> {
    prediction_in(lesson, lesson.yaml)
}

/// [`prediction`] with the lesson's scenario text given: the page fetches
/// it (`yaml` is the file [`file_name`] names, checked by [`verify`]).
pub fn prediction_in(lesson: &Lesson, yaml: &str) -> Option<Explanation> {
    let scenario = parse_str(yaml).scenario;
    let flow = resolve(&scenario, &lesson.prediction.flow).ok()?;
    Some(crate::evaluate(&scenario, &flow))
}

/// Checks a fetched scenario text for `lesson` with the editor's parser: it
/// must parse without errors and resolve the prediction's flow
/// ([`crate::presets::verify`]).
pub fn verify(lesson: &Lesson, yaml: &str) -> Result<(), crate::presets::Unfit> {
    crate::presets::verify(yaml, &lesson.prediction.flow)
}

/// What one expectation came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The flow has the expected verdict.
    Holds,
    /// The flow has the other verdict.
    Fails,
    /// The flow cannot be evaluated here (an endpoint was renamed or
    /// removed, or another scenario is loaded).
    Unresolved(Unresolved),
}

/// One expectation checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpectationResult {
    /// The expectation.
    pub expectation: &'static Expectation,
    /// What it came to.
    pub outcome: Outcome,
}

impl ExpectationResult {
    /// Whether it holds.
    pub fn holds(&self) -> bool {
        self.outcome == Outcome::Holds
    }

    /// The sentence the page shows for it, e.g. "`sandbox/tool` →
    /// `production/api` on TCP/8080 should be denied, but it is allowed."
    pub fn describe(&self) -> String {
        let e = self.expectation;
        let f = &e.flow;
        let wanted = verdict_word(e.allowed);
        match self.outcome {
            Outcome::Holds => format!("{} → {} on {} is {wanted}.", f.from, f.to, f.probe),
            Outcome::Fails => format!(
                "{} → {} on {} should be {wanted}, but it is {}.",
                f.from,
                f.to,
                f.probe,
                verdict_word(!e.allowed)
            ),
            Outcome::Unresolved(Unresolved::From) => missing(f.from),
            Outcome::Unresolved(Unresolved::To) => missing(f.to),
            Outcome::Unresolved(Unresolved::Probe) => format!("`{}` is not a probe.", f.probe),
        }
    }
}

fn missing(end: &str) -> String {
    format!("There is no `{end}` in the scenario, so this cannot be checked. Load the lesson's scenario?")
}

/// `allowed` or `denied`.
pub fn verdict_word(allowed: bool) -> &'static str {
    if allowed {
        "allowed"
    } else {
        "denied"
    }
}

/// The result of [`check`]: every expectation, in the lesson's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskStatus {
    /// One result per expectation.
    pub results: Vec<ExpectationResult>,
}

impl TaskStatus {
    /// Whether the task is done: every expectation holds.
    pub fn done(&self) -> bool {
        !self.results.is_empty() && self.results.iter().all(ExpectationResult::holds)
    }

    /// The first expectation that does not hold, if any.
    pub fn first_failure(&self) -> Option<&ExpectationResult> {
        self.results.iter().find(|r| !r.holds())
    }

    /// How many expectations hold.
    pub fn holding(&self) -> usize {
        self.results.iter().filter(|r| r.holds()).count()
    }
}

/// Checks the lesson's task on `scenario` (the user's edited scenario): each
/// expectation's flow is evaluated by [`crate::is_allowed`].
pub fn check(lesson: &Lesson, scenario: &Scenario) -> TaskStatus {
    let results = lesson
        .task
        .expect
        .iter()
        .map(|expectation| {
            let outcome = match resolve(scenario, &expectation.flow) {
                Ok(flow) if crate::is_allowed(scenario, &flow) == expectation.allowed => Outcome::Holds,
                Ok(_) => Outcome::Fails,
                Err(why) => Outcome::Unresolved(why),
            };
            ExpectationResult { expectation, outcome }
        })
        .collect();
    TaskStatus { results }
}

/// `text` with the lesson's solution applied, or `None` when some edit's
/// `find` does not occur exactly once (the user already changed those
/// lines) or its replacement is already there (applied twice, which for an
/// edit that only adds a line would add it again). Applied to
/// [`Lesson::yaml`] it gives the solved scenario.
pub fn apply_solution(lesson: &Lesson, text: &str) -> Option<String> {
    let mut out = String::from(text);
    for edit in lesson.solution.edits {
        if out.contains(edit.replace) {
            return None;
        }
        let at = out.find(edit.find)?;
        if out[at + edit.find.len()..].contains(edit.find) {
            return None;
        }
        out.replace_range(at..at + edit.find.len(), edit.replace);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: Edit = Edit { find: "b\n", replace: "B\n" };

    fn with_edits(edits: &'static [Edit]) -> Lesson {
        let mut l = LESSONS[0];
        l.solution.edits = edits;
        l
    }

    #[test]
    fn an_edit_applies_once_and_only_when_its_text_is_there_once() {
        let l = with_edits(&[ONE]);
        assert_eq!(apply_solution(&l, "a\nb\nc\n").as_deref(), Some("a\nB\nc\n"));
        assert_eq!(apply_solution(&l, "a\nc\n"), None, "missing");
        assert_eq!(apply_solution(&l, "b\nb\n"), None, "ambiguous");
    }

    #[test]
    fn an_edit_that_only_adds_a_line_is_not_applied_twice() {
        let l = with_edits(&[Edit { find: "a\n", replace: "a\nz\n" }]);
        let once = apply_solution(&l, "a\n").expect("applies");
        assert_eq!(once, "a\nz\n");
        assert_eq!(apply_solution(&l, &once), None);
    }

    #[test]
    fn edits_apply_in_order() {
        const TWO: &[Edit] = &[ONE, Edit { find: "B\n", replace: "BB\n" }];
        assert_eq!(apply_solution(&with_edits(TWO), "b\n").as_deref(), Some("BB\n"));
    }

    #[test]
    fn an_empty_scenario_leaves_every_expectation_unresolved_and_the_task_undone() {
        for lesson in LESSONS {
            let status = check(lesson, &Scenario::default());
            assert!(!status.done(), "{}", lesson.id);
            assert_eq!(status.holding(), 0, "{}", lesson.id);
            for r in &status.results {
                assert!(matches!(r.outcome, Outcome::Unresolved(_)), "{}: {:?}", lesson.id, r);
                assert!(r.describe().contains("Load the lesson's scenario"), "{}", r.describe());
            }
        }
    }

    #[cfg(feature = "embedded-content")]
    #[test]
    fn every_lesson_scenario_verifies_and_prediction_in_is_prediction() {
        for lesson in LESSONS {
            assert_eq!(verify(lesson, lesson.yaml), Ok(()), "{}", lesson.id);
            assert_eq!(prediction_in(lesson, lesson.yaml), prediction(lesson), "{}", lesson.id);
            assert!(prediction(lesson).is_some(), "{}", lesson.id);
        }
    }

    #[test]
    fn a_fetched_text_that_is_not_the_lesson_is_refused() {
        let other = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: elsewhere\n";
        for lesson in LESSONS {
            assert!(verify(lesson, other).is_err(), "{}", lesson.id);
            assert!(prediction_in(lesson, other).is_none(), "{}", lesson.id);
        }
    }

    const TEXT: &str =
        "[intro]\nOne.\n\nTwo.\n\n[question]\nQ?\n[takeaway]\nT.\n[goal]\nG.\n[hint]\nH.\n[explanation]\n  E:\n";

    #[test]
    fn a_lesson_text_is_read_by_section_without_the_line_breaks_around_each() {
        let t = LessonText::parse(TEXT).expect("parses");
        assert_eq!(t.intro, "One.\n\nTwo.");
        assert_eq!((t.question, t.takeaway, t.goal, t.hint), ("Q?", "T.", "G.", "H."));
        assert_eq!(t.explanation, "  E:", "spaces are the text's own");
        let crlf = TEXT.replace('\n', "\r\n");
        assert_eq!(LessonText::parse(&crlf).map(|t| t.intro), Ok("One.\r\n\r\nTwo."));
    }

    #[test]
    fn a_lesson_text_missing_a_section_or_not_one_at_all_is_refused_by_name() {
        assert_eq!(LessonText::parse(&TEXT.replace("[hint]\nH.", "[hint]\n")), Err("hint"));
        assert_eq!(LessonText::parse(&TEXT.replace("[goal]", "[gaol]")), Err("goal"));
        assert_eq!(LessonText::parse("<!doctype html>\n<html></html>"), Err("intro"));
        assert_eq!(LessonText::parse(""), Err("intro"));
    }

    #[cfg(feature = "embedded-content")]
    #[test]
    fn every_lesson_has_its_text() {
        for lesson in LESSONS {
            assert!(lesson.embedded_text().is_some(), "{}: {:?}", lesson.id, LessonText::parse(lesson.text));
        }
    }

    #[test]
    fn a_task_without_expectations_is_never_done() {
        assert!(!TaskStatus { results: Vec::new() }.done());
    }
}
