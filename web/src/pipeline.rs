//! Evaluation kept off the input path: parse → matrix → externals → lint as
//! a job done in slices of a few milliseconds on the main thread.
//!
//! # Why not a Web Worker
//! A worker would have to send the whole evaluated scenario back to the
//! page (serde code in a bundle that must shrink to 400 KB gzip) and would
//! hold a second copy of a cluster of up to 150,000 pods. Instead the work
//! is cut into units ([`ParseJob`] steps, [`MatrixJob`] steps, one unit for
//! the externals, then [`LintJob`] steps) and run in slices: a slice
//! does units until its time is up, then yields to the browser (a
//! `MessageChannel` message, which, unlike a nested `setTimeout(0)`, is not
//! clamped to 4 ms), so keystrokes are handled between slices.
//!
//! # Cancellation and results
//! Every submitted text gets a new generation; a slice scheduled for an
//! older generation finds its job gone and stops. Only a finished job
//! publishes, so the panels keep showing the last result (and its
//! last-good/stale state, see [`crate::state`]) until the new one is ready,
//! while [`Pipeline::progress`] says how far the new one is. A job that
//! finishes within [`SYNC_MS`] publishes before the submitting call returns,
//! so small scenarios (the presets) show their result at once.
//!
//! The pure part ([`Job`], [`Scheduler`]) is tested natively; [`Pipeline`]
//! is the browser glue (signals, clock, scheduling).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use netpol_core::eval::external_nodes;
use netpol_core::lint::LintJob;
use netpol_core::matrix::{Matrix, MatrixJob};
use netpol_core::parse::{Diagnostic, ParseJob};
use netpol_core::{Probe, Scenario};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{probes_for, Analysis, Evaluated};

/// How long a job may run inside the call that submits it: a job done in
/// this time publishes at once, as a synchronous evaluation would.
pub const SYNC_MS: f64 = 16.0;
/// Texts longer than this are not even started synchronously (a 1 MB text
/// takes tens of milliseconds just to cut into documents).
const SYNC_BYTES: usize = 256 * 1024;
/// How long one background slice runs before yielding to the browser.
pub const SLICE_MS: f64 = 8.0;
/// Bytes of text per parse step (a few hundred microseconds in wasm).
const PARSE_UNIT: usize = 4 * 1024;
/// Rows per matrix step.
const MATRIX_UNIT: usize = 64;

/// The parse result the later stages work from.
struct Parsed {
    diagnostics: Vec<Diagnostic>,
    scenario: Scenario,
    probes: Vec<Probe>,
}

/// Where a job is.
enum Stage {
    /// Not started: cutting the text into documents is the first unit.
    Start(String),
    Parse(Box<ParseJob>),
    Plan(Box<Parsed>),
    Matrix {
        parsed: Box<Parsed>,
        job: Box<MatrixJob>,
    },
    Externals {
        parsed: Box<Parsed>,
        matrix: Box<Matrix>,
    },
    Lint(Box<Evaluated>, Vec<Diagnostic>, Box<LintJob>),
    Done(Box<Evaluated>, Vec<Diagnostic>),
    /// Only while a stage is being advanced.
    Moving,
}

/// The evaluation of one text, advanced one unit at a time. The result is
/// the same as [`Analysis::new`] of the text (tested).
pub struct Job {
    stage: Stage,
}

impl Job {
    /// A job for `text`; no work is done yet.
    pub fn new(text: impl Into<String>) -> Job {
        Job { stage: Stage::Start(text.into()) }
    }

    /// The stage the job is in, as named in its User Timing marks
    /// (`netpol-stage:<name>`, see [`Pipeline`]).
    pub fn stage_name(&self) -> &'static str {
        match self.stage {
            Stage::Start(_) | Stage::Parse(_) => "parse",
            Stage::Plan(_) | Stage::Matrix { .. } => "matrix",
            Stage::Externals { .. } => "externals",
            Stage::Lint(..) => "lint",
            Stage::Done(..) | Stage::Moving => "done",
        }
    }

    /// Whether the evaluation is complete.
    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done(..))
    }

    /// How far the job is, from 0 to 1: parsing is the first 60%, the
    /// matrix the next 30%, the externals and the lint the rest.
    pub fn progress(&self) -> f64 {
        match &self.stage {
            Stage::Start(_) => 0.0,
            Stage::Parse(p) => {
                let (done, total) = p.progress();
                if total == 0 {
                    0.0
                } else {
                    0.6 * done as f64 / total as f64
                }
            }
            Stage::Plan(_) | Stage::Moving => 0.6,
            Stage::Matrix { job, .. } => 0.6 + 0.3 * job.progress(),
            Stage::Externals { .. } => 0.9,
            Stage::Lint(_, _, job) => {
                let (done, total) = job.progress();
                0.95 + 0.05 * done as f64 / total.max(1) as f64
            }
            Stage::Done(..) => 1.0,
        }
    }

    /// Does units of work until the job is done or `out_of_time()` (asked
    /// after every unit) says to stop; at least one unit. Returns whether
    /// the job is done.
    pub fn run(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> bool {
        while !self.is_done() {
            self.unit();
            if out_of_time() {
                break;
            }
        }
        self.is_done()
    }

    /// One unit of work.
    fn unit(&mut self) {
        self.stage = match std::mem::replace(&mut self.stage, Stage::Moving) {
            Stage::Start(text) => Stage::Parse(Box::new(ParseJob::new(text))),
            Stage::Parse(mut p) => {
                if p.step(PARSE_UNIT) {
                    let out = (*p).finish();
                    let probes = probes_for(&out.scenario);
                    Stage::Plan(Box::new(Parsed { diagnostics: out.diagnostics, scenario: out.scenario, probes }))
                } else {
                    Stage::Parse(p)
                }
            }
            Stage::Plan(parsed) => {
                let job = MatrixJob::new(&parsed.scenario, &parsed.probes);
                Stage::Matrix { parsed, job: Box::new(job) }
            }
            Stage::Matrix { parsed, mut job } => {
                if job.step(&parsed.scenario, MATRIX_UNIT) {
                    Stage::Externals { parsed, matrix: Box::new(job.finish()) }
                } else {
                    Stage::Matrix { parsed, job }
                }
            }
            Stage::Externals { parsed, matrix } => {
                let Parsed { diagnostics, scenario, probes } = *parsed;
                let externals = external_nodes(&scenario);
                Stage::Lint(
                    Box::new(Evaluated { scenario, probes, matrix: *matrix, externals, lint: Vec::new() }),
                    diagnostics,
                    Box::new(LintJob::new()),
                )
            }
            Stage::Lint(mut ev, diagnostics, mut job) => {
                if job.step(&ev.scenario) {
                    ev.lint = job.finish(&ev.scenario);
                    Stage::Done(ev, diagnostics)
                } else {
                    Stage::Lint(ev, diagnostics, job)
                }
            }
            done @ (Stage::Done(..) | Stage::Moving) => done,
        };
    }

    /// Completes the remaining work and returns the analysis, carrying the
    /// last good result over from `previous`.
    pub fn finish(mut self, previous: Option<&Analysis>) -> Analysis {
        self.run(&mut || false);
        match self.stage {
            Stage::Done(ev, diagnostics) => Analysis::assemble(diagnostics, *ev, previous),
            // `run` ends only at `Done`; an empty analysis is the safe answer.
            _ => Analysis::new("", previous),
        }
    }
}

/// What one slice achieved.
pub enum Slice {
    /// The slice's generation is no longer the newest: nothing was done.
    Stale,
    /// Work remains; the job is this far (0 to 1).
    Pending(f64),
    /// The job finished: publish this.
    Done(Box<Job>),
}

/// The newest job and its generation: a newer submission replaces (and so
/// cancels) the job of an older one.
#[derive(Default)]
pub struct Scheduler {
    generation: u64,
    job: Option<Job>,
    submitted: Option<String>,
}

impl Scheduler {
    /// Starts a job for `text` and returns its generation, or `None` when
    /// `text` is what was submitted last (nothing to redo).
    pub fn submit(&mut self, text: &str) -> Option<u64> {
        if self.submitted.as_deref() == Some(text) {
            return None;
        }
        self.generation = self.generation.wrapping_add(1);
        self.submitted = Some(text.to_string());
        self.job = Some(Job::new(text));
        Some(self.generation)
    }

    /// The stage of the current job, if any.
    pub fn stage_name(&self) -> Option<&'static str> {
        self.job.as_ref().map(Job::stage_name)
    }

    /// Runs a slice of the job of `generation` while `out_of_time()` allows.
    pub fn slice(&mut self, generation: u64, out_of_time: &mut dyn FnMut() -> bool) -> Slice {
        if generation != self.generation {
            return Slice::Stale;
        }
        let Some(job) = self.job.as_mut() else {
            return Slice::Stale;
        };
        if job.run(out_of_time) {
            match self.job.take() {
                Some(job) => Slice::Done(Box::new(job)),
                None => Slice::Stale,
            }
        } else {
            Slice::Pending(job.progress())
        }
    }
}

/// The browser side: holds the published analysis and the progress of the
/// job behind it, and runs slices.
#[derive(Clone, Copy)]
pub struct Pipeline {
    /// The newest finished analysis.
    pub analysis: ReadSignal<Analysis>,
    set_analysis: WriteSignal<Analysis>,
    /// Percent done of a job still running (`None` when idle); read with
    /// [`Pipeline::progress`]. `usize`, a signal type the page has anyway.
    progress: RwSignal<Option<usize>>,
    runner: StoredValue<Runner, LocalStorage>,
}

/// The scheduler and the message channel that wakes it.
struct Runner {
    scheduler: Rc<RefCell<Scheduler>>,
    port: Option<web_sys::MessagePort>,
    _wake: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// `performance.mark(name)`, when the page has a `performance` object.
fn user_timing_mark(name: &str) {
    let global = js_sys::global();
    let Ok(perf) = js_sys::Reflect::get(&global, &JsValue::from_str("performance")) else { return };
    let Ok(mark) = js_sys::Reflect::get(&perf, &JsValue::from_str("mark")) else { return };
    if let Some(mark) = mark.dyn_ref::<js_sys::Function>() {
        let _ = mark.call1(&perf, &JsValue::from_str(name));
    }
}

impl Pipeline {
    /// Percent done of a job still running (`None` when idle), tracked.
    pub fn progress(&self) -> Option<usize> {
        self.progress.get()
    }

    /// A pipeline showing the analysis of `text`: done at once when it is
    /// quick, otherwise an empty analysis first and `text`'s when ready.
    pub fn new(text: &str) -> Pipeline {
        // A placeholder until the first result: empty, and never "the last
        // good result" (a first text with errors shows its valid documents).
        let mut placeholder = Analysis::new("", None);
        placeholder.last_good = None;
        let (analysis, set_analysis) = signal(placeholder);
        let progress = RwSignal::new(None);
        let scheduler = Rc::new(RefCell::new(Scheduler::default()));
        let runner = StoredValue::new_local(Runner { scheduler, port: None, _wake: None });
        let pipeline = Pipeline { analysis, set_analysis, progress, runner };
        pipeline.connect();
        pipeline.submit(text);
        pipeline
    }

    /// Sets up the channel whose messages (a generation) run a slice.
    fn connect(self) {
        let Ok(channel) = web_sys::MessageChannel::new() else { return };
        let wake = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(generation) = ev.data().as_f64() {
                self.slice(generation as u64, SLICE_MS);
            }
        });
        channel.port1().set_onmessage(Some(wake.as_ref().unchecked_ref()));
        self.runner.update_value(|r| {
            r.port = Some(channel.port2());
            r._wake = Some(wake);
        });
    }

    /// Evaluates `text`, cancelling the evaluation of any older text.
    pub fn submit(self, text: &str) {
        let generation = self.runner.with_value(|r| r.scheduler.borrow_mut().submit(text));
        match generation {
            // A text this big cannot finish in time: start in the next task,
            // so the keystroke that settled it is not kept waiting.
            Some(g) if text.len() > SYNC_BYTES => self.wake(g),
            Some(g) => self.slice(g, SYNC_MS),
            None => {}
        }
    }

    /// Runs one slice of `generation` for up to `ms`, then publishes (at
    /// once when `ms` is the synchronous budget, else in the next task),
    /// or reports progress and schedules the next slice, or stops if stale.
    fn slice(self, generation: u64, ms: f64) {
        let Some(scheduler) = self.runner.try_with_value(|r| r.scheduler.clone()) else { return };
        let start = now();
        let before = scheduler.borrow().stage_name();
        let outcome = scheduler.borrow_mut().slice(generation, &mut || now() - start >= ms);
        // A mark where a stage ends (within a slice): traces of a big
        // evaluation show where parse, matrix, externals and lint took
        // their time.
        if let Some(before) = before {
            let after = match &outcome {
                Slice::Done(_) => Some("done"),
                _ => scheduler.borrow().stage_name(),
            };
            if after.is_some_and(|a| a != before) {
                user_timing_mark(&["netpol-stage-end:", before].concat());
            }
        }
        match outcome {
            Slice::Stale => {}
            Slice::Pending(p) => {
                let percent = (p * 100.0).clamp(0.0, 99.0) as usize;
                if self.progress.get_untracked() != Some(percent) {
                    self.progress.set(Some(percent));
                }
                self.wake(generation);
            }
            // Done within the submitting call: publish now, as a
            // synchronous evaluation would.
            Slice::Done(job) if ms >= SYNC_MS => self.publish(*job),
            // Done in the background: publish in a task of its own, so the
            // panels' update is not added to the last slice.
            Slice::Done(job) => {
                set_timeout(move || self.publish(*job), std::time::Duration::ZERO);
            }
        }
    }

    /// Schedules a slice of `generation` in a task of its own.
    fn wake(self, generation: u64) {
        self.runner.with_value(|r| {
            if let Some(port) = &r.port {
                let _ = port.post_message(&JsValue::from_f64(generation as f64));
            }
        });
    }

    /// Shows a finished job's analysis. A User Timing mark
    /// (`netpol-publish`) lets profilers and the perf e2e test tell the
    /// slices apart from the panels' update that follows.
    fn publish(self, job: Job) {
        user_timing_mark("netpol-publish");
        let next = self.analysis.with_untracked(|prev| job.finish(Some(prev)));
        let idle = self.runner.try_with_value(|r| r.scheduler.borrow().job.is_none()).unwrap_or(true);
        self.set_analysis.set(next);
        if idle {
            self.progress.set(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_core::presets::PRESETS;
    use std::fmt::Write;

    /// Runs a job one unit per `run` call (the most slices possible).
    fn sliced(text: &str, previous: Option<&Analysis>) -> (Analysis, usize) {
        let mut job = Job::new(text);
        let mut slices = 0;
        let mut last = 0.0;
        while !job.run(&mut || true) {
            let p = job.progress();
            assert!((0.0..1.0).contains(&p) && p >= last, "progress {p} after {last}");
            last = p;
            slices += 1;
        }
        (job.finish(previous), slices)
    }

    fn same(a: &Analysis, b: &Analysis) {
        assert_eq!(a.diagnostics, b.diagnostics);
        assert_eq!(a.errors, b.errors);
        assert_eq!(a.current.scenario, b.current.scenario);
        assert_eq!(a.current.probes, b.current.probes);
        assert_eq!(a.current.matrix, b.current.matrix);
        assert_eq!(a.current.externals, b.current.externals);
        assert_eq!(a.current.lint, b.current.lint);
    }

    /// A cluster of `n` pods over a few namespaces with one policy each.
    fn cluster(n: usize) -> String {
        let mut y = String::new();
        for i in 0..n {
            let _ = write!(
                y,
                "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  namespace: ns{}\n  labels:\n    app: a{}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80{}\nstatus:\n  podIP: 10.0.{}.{}\n",
                i % 4,
                i % 3,
                i % 2,
                i / 250,
                i % 250 + 1
            );
        }
        for ns in 0..4 {
            let _ = write!(
                y,
                "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: ns{ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: a{}\n  ingress:\n  - from:\n    - podSelector: {{matchLabels: {{app: a1}}}}\n    ports:\n    - port: 80\n",
                ns % 3
            );
        }
        y
    }

    #[test]
    fn sliced_jobs_equal_the_one_shot_analysis() {
        for p in PRESETS {
            let (got, _) = sliced(p.yaml, None);
            same(&got, &Analysis::new(p.yaml, None));
        }
        let text = cluster(300);
        let (got, slices) = sliced(&text, None);
        same(&got, &Analysis::new(&text, None));
        assert!(got.current.matrix.allowed_count(0) > 0);
        assert!(slices > 20, "a 300-pod scenario takes many units: {slices}");
    }

    #[test]
    fn errors_keep_the_last_good_result_through_the_pipeline() {
        let good = cluster(3);
        let first = Job::new(good.as_str()).finish(None);
        let broken = format!("{good}---\nkind: [\n");
        let (second, _) = sliced(&broken, Some(&first));
        assert!(second.errors > 0);
        assert!(second.generation > first.generation);
        let (shown, ev) = second.shown(false);
        assert_eq!(shown, crate::state::Shown::Stale);
        let ev = ev.expect("last good");
        assert!(Arc::ptr_eq(&ev, first.last_good.as_ref().expect("good")));
    }

    #[test]
    fn a_placeholder_without_last_good_keeps_a_first_broken_text_on_its_valid_documents() {
        let mut placeholder = Analysis::new("", None);
        placeholder.last_good = None;
        let broken = format!("{}---\nkind: [\n", cluster(2));
        let (a, _) = sliced(&broken, Some(&placeholder));
        assert_eq!(a.shown(false).0, crate::state::Shown::ValidDocuments);
        assert_eq!(a.shown(false).1.map(|e| e.scenario.endpoints.len()), Some(2));
    }

    #[test]
    fn a_newer_submission_cancels_the_older_job() {
        let mut s = Scheduler::default();
        let old = s.submit(&cluster(200)).expect("new text");
        assert!(matches!(s.slice(old, &mut || true), Slice::Pending(_)));
        let new = s.submit("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n").expect("new text");
        assert!(new > old);
        assert!(matches!(s.slice(old, &mut || false), Slice::Stale), "the old job stops at its next slice");
        match s.slice(new, &mut || false) {
            Slice::Done(job) => assert_eq!(job.finish(None).current.scenario.endpoints.len(), 1),
            _ => panic!("the new job runs to the end"),
        }
        // Done: nothing left for either generation.
        assert!(matches!(s.slice(new, &mut || false), Slice::Stale));
        // The same text again starts nothing; a different one does.
        assert!(s.submit("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n").is_none());
        assert!(s.submit("").is_some());
    }

    #[test]
    fn stages_are_named_in_order() {
        let mut job = Job::new(cluster(40));
        let mut names = vec![job.stage_name()];
        while !job.run(&mut || true) {
            if names.last() != Some(&job.stage_name()) {
                names.push(job.stage_name());
            }
        }
        names.push(job.stage_name());
        assert_eq!(names, ["parse", "matrix", "externals", "lint", "done"]);
    }

    #[test]
    fn one_slice_stops_when_time_is_up() {
        let mut s = Scheduler::default();
        let g = s.submit(&cluster(200)).expect("new text");
        let mut units = 0;
        match s.slice(g, &mut || {
            units += 1;
            units >= 3
        }) {
            Slice::Pending(p) => assert!(p < 0.6, "still parsing after 3 units: {p}"),
            _ => panic!("3 units do not finish 200 pods"),
        }
        assert_eq!(units, 3);
    }

    use std::sync::Arc;
}
