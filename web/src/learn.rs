//! The Learn panel (issue 6): a short course of lessons beside the editor.
//!
//! A lesson reads top to bottom: its intro, a button that loads its scenario
//! into the editor (through the page's undoable path, like a preset), a flow
//! to predict (Allowed or Denied) before the verdict is revealed and shown in
//! the flow inspector, then a task checked live on every evaluation of the
//! editor's scenario, with a hint and the solution.
//!
//! Everything it says about verdicts comes from `netpol_core::lessons`: the
//! answer to a prediction is [`lessons::prediction`] and a task's status is
//! [`lessons::check`]. This module renders them and keeps [`Progress`].
//!
//! A lesson's scenario may have to be fetched ([`crate::content`]): opening
//! a lesson starts the fetch, the load button says "Loading…" until it is
//! there, and a failed fetch is said in the panel with a "Try again".

mod progress;

use std::sync::Arc;

use leptos::prelude::*;
use netpol_core::lessons::{self, Lesson, LessonText, TaskStatus, LESSONS};

pub use self::progress::{Entry, Progress, STORAGE_KEY};
use crate::content::{self, Load};
use crate::flow_sel::FlowChoice;
use crate::markup::{region, Markup};
use crate::state::Evaluated;

fn load_progress() -> Progress {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|s| Progress::parse(&s))
        .unwrap_or_default()
}

fn save_progress(p: &Progress) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.set_item(STORAGE_KEY, &p.serialize());
    }
}

/// The flow of a lesson as the inspector's choice.
pub fn choice_of(flow: &netpol_core::presets::FocusFlow) -> FlowChoice {
    FlowChoice { from: flow.from.to_string(), to: flow.to.to_string(), probe: flow.probe.to_string() }
}

/// The reveal's headline: whether the guess was right, and the verdict.
pub fn reveal_text(guess: bool, actual: bool) -> String {
    let verdict = lessons::verdict_word(actual);
    if guess == actual {
        format!("Right: it is {verdict}.")
    } else {
        format!("Not quite: it is {verdict}.")
    }
}

/// The task's one-line status.
pub fn status_line(status: Option<&TaskStatus>) -> (bool, String) {
    match status {
        None => (false, "The scenario has errors. Fix them and the task is checked again.".into()),
        Some(s) if s.done() => (true, "Task complete. Every check holds.".into()),
        Some(s) => {
            let why = s.first_failure().map(|r| r.describe()).unwrap_or_default();
            (false, format!("Not yet ({} of {} checks hold). {why}", s.holding(), s.results.len()))
        }
    }
}

/// Moves focus to the element with `id` after the next render.
fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

/// On the stacked phone layout the inspector is far below: bring it in view.
fn scroll_to_inspector() {
    let narrow = window().match_media("(max-width: 900px)").ok().flatten().is_some_and(|m| m.matches());
    if narrow {
        if let Some(el) = document().get_element_by_id("inspector-title") {
            el.scroll_into_view();
        }
    }
}

/// The panel. It stays mounted while closed (`hidden`), so the open lesson
/// and its step survive closing and reopening.
#[component]
pub fn LearnPanel(
    /// Whether the panel is shown.
    open: RwSignal<bool>,
    /// The editor's text, to apply a solution to.
    text: RwSignal<String>,
    /// The editor's current evaluated scenario; `None` while the text has
    /// errors (a stale result must not tick a task off).
    scenario: Memo<Option<Arc<Evaluated>>>,
    /// Load a lesson's scenario (the text given) into the editor, undoably.
    on_load: Callback<(&'static Lesson, &'static str)>,
    /// Replace the editor's text, undoably (the solution).
    on_text: Callback<String>,
    /// Show a flow in the flow inspector.
    on_inspect: Callback<FlowChoice>,
) -> impl IntoView {
    let progress = RwSignal::new(load_progress());
    Effect::new(move |_| progress.with(save_progress));
    let active = RwSignal::new(None::<&'static Lesson>);
    // Lessons whose scenario was loaded in this visit.
    let loaded = RwSignal::new(Vec::<&'static str>::new());

    Effect::new(move |_| {
        if open.get() {
            focus_later(if active.get_untracked().is_some() { "learn-lesson-title" } else { "learn-title" });
        }
    });

    let open_lesson = move |l: Option<&'static Lesson>| {
        active.set(l);
        focus_later(if l.is_some() { "learn-lesson-title" } else { "learn-title" });
    };

    view! {
        <aside
            id="learn-panel"
            class="learn"
            data-testid="learn-panel"
            aria-labelledby="learn-title"
            hidden=move || !open.get()
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    open.set(false);
                    focus_later("learn-open");
                }
            }
        >
            <header class="learn-head">
                <h2 id="learn-title" tabindex="-1">"Learn"</h2>
                <span class="learn-count" data-testid="learn-count">
                    {move || format!("{} of {} done", progress.with(Progress::done_count), LESSONS.len())}
                </span>
                <button
                    class="icon-btn"
                    aria-label="Close the Learn panel"
                    on:click=move |_| {
                        open.set(false);
                        focus_later("learn-open");
                    }
                >
                    "✕"
                </button>
            </header>
            <div class="learn-body">
                {move || match active.get() {
                    None => lesson_list(progress, Callback::new(move |l| open_lesson(Some(l)))).into_any(),
                    Some(l) => view! {
                        <LessonView
                            lesson=l
                            progress=progress
                            loaded=loaded
                            scenario=scenario
                            text=text
                            on_load=on_load
                            on_text=on_text
                            on_inspect=on_inspect
                            on_open=Callback::new(open_lesson)
                        />
                    }
                    .into_any(),
                }}
            </div>
        </aside>
    }
}

/// The lessons, each a button opening it, with its number or ✓ and its
/// state, and a button that forgets the progress. Written as HTML text
/// ([`crate::markup`]); a click finds its lesson by `data-id`.
fn lesson_list(progress: RwSignal<Progress>, on_pick: Callback<&'static Lesson>) -> impl IntoView {
    let on_click = move |ev: web_sys::MouseEvent| {
        if crate::markup::closest(&ev, "[data-act=reset]").is_some() {
            let ok = window().confirm_with_message("Forget your predictions and completed tasks?").unwrap_or(false);
            if ok {
                progress.set(Progress::default());
            }
            return;
        }
        let id = crate::markup::closest(&ev, "[data-testid=learn-item]").and_then(|b| b.get_attribute("data-id"));
        if let Some(l) = id.and_then(|id| LESSONS.iter().find(|l| l.id == id)) {
            on_pick.run(l);
        }
    };
    view! { <div class="part" on:click=on_click>{region(Box::new(move || progress.with(list_markup)))}</div> }
}

fn list_markup(progress: &Progress) -> String {
    let mut m = crate::markup::Markup::default();
    m.leaf(
        "p",
        "learn-lead",
        "A short course on how NetworkPolicy decides. Each lesson loads a small scenario into the editor, asks you to predict one connection, then gives you one change to make.",
    );
    m.open("ol").attr("class", "learn-list").attr("data-testid", "learn-list").end();
    for (i, l) in LESSONS.iter().enumerate() {
        let e = progress.get(l.id);
        let state = if e.done {
            "Done"
        } else if e.guess.is_some() {
            "Started"
        } else {
            ""
        };
        m.open("li").end().open("button").attr("class", "learn-item").attr("data-testid", "learn-item");
        m.attr("data-id", l.id).attr("data-done", if e.done { "true" } else { "false" }).end();
        m.open("span").attr("class", if e.done { "learn-num done" } else { "learn-num" }).attr("aria-hidden", "true");
        m.end().text(&if e.done { "✓".to_string() } else { (i + 1).to_string() }).close("span");
        m.leaf("span", "learn-item-title", l.title).leaf("span", "learn-item-state", state).close("button").close("li");
    }
    m.close("ol");
    m.open("button").attr("class", "link small learn-reset").attr(crate::markup::ACT_ATTR, "reset").end();
    m.text("Reset progress").close("button");
    m.finish().0
}

/// A lesson's intro, one `<p>` per paragraph (blank-line separated); a
/// placeholder while it is fetched (a failed fetch is said in step 1).
fn intro_markup(m: &mut Markup, intro: Option<&str>, loading: bool) {
    for para in intro.iter().flat_map(|i| i.split("\n\n")) {
        m.leaf("p", "learn-para", para.trim());
    }
    if intro.is_none() && loading {
        m.leaf("p", "learn-note", "Loading the lesson…");
    }
}

/// The task's checks, each held or not, in words and as a flow.
fn checks_markup(m: &mut Markup, st: &TaskStatus) {
    for r in &st.results {
        let holds = r.holds();
        m.open("li");
        if holds {
            m.attr("class", "ok");
        }
        m.attr("data-testid", "learn-check").attr("data-holds", if holds { "true" } else { "false" }).end();
        m.open("span").attr("class", "learn-glyph").attr("aria-label", if holds { "holds" } else { "does not hold" });
        m.end().text(if holds { "✓" } else { "✗" }).close("span");
        m.open("span").end().text(r.expectation.says).leaf("span", "learn-check-flow", &r.describe());
        m.close("span").close("li");
    }
}

/// The lesson's prose once its files are in (`content::lesson_files`).
fn prose(source: RwSignal<Load>, lesson: &'static Lesson) -> Option<LessonText<'static>> {
    source.with(|s| matches!(s, Load::Ready(_))).then(|| content::lesson_text(lesson)).flatten()
}

/// What a lesson's markup shows, read from its signals.
struct LessonState {
    lesson: &'static Lesson,
    position: usize,
    source: Load,
    prose: Option<LessonText<'static>>,
    loaded: bool,
    guess: Option<bool>,
    /// The computed verdict: `None` until the scenario is there.
    answer: Option<Option<bool>>,
}

/// `<h4>` with its step number.
fn step_title(m: &mut Markup, id: &'static str, number: &str, title: &str) {
    m.open("h4").attr("id", id).end();
    m.open("span").attr("class", "step-num").attr("aria-hidden", "true").end().text(number).close("span");
    m.text(title).close("h4");
}

/// The lesson's head, its first step (loading the scenario) and its second
/// (the prediction and its reveal).
fn lesson_markup(st: &LessonState) -> String {
    let mut m = Markup::default();
    m.act_button("link small learn-back", "back", "learn-back", "← All lessons");
    m.leaf("p", "learn-kicker", &format!("Lesson {} of {}", st.position + 1, LESSONS.len()));
    m.open("h3").attr("id", "learn-lesson-title").attr("tabindex", "-1").end().text(st.lesson.title).close("h3");
    m.open("div").attr("class", "learn-intro").end();
    intro_markup(&mut m, st.prose.map(|t| t.intro), st.source == Load::Loading);
    m.close("div");

    m.open("section").attr("class", "learn-step").attr("aria-labelledby", "learn-step-load").end();
    step_title(&mut m, "learn-step-load", "1", "Load the scenario");
    let loading = st.source == Load::Loading;
    m.open("button").attr("class", "btn primary").attr("data-testid", "learn-load");
    m.attr(crate::markup::ACT_ATTR, "load").flag("disabled", !matches!(st.source, Load::Ready(_)));
    m.attr("aria-busy", if loading { "true" } else { "false" }).end();
    m.text(match (loading, st.loaded) {
        (true, _) => "Loading the scenario…",
        (false, true) => "Load it again",
        (false, false) => "Load the lesson's scenario",
    });
    m.close("button");
    if let Load::Failed(why) = &st.source {
        m.open("div").attr("class", "learn-error").attr("role", "alert").attr("data-testid", "learn-load-error").end();
        m.leaf("p", "", &format!("The lesson's scenario could not be loaded. {why}"));
        m.act_button("btn small", "retry", "learn-retry", "Try again");
        m.close("div");
    }
    if st.loaded {
        m.leaf(
            "p",
            "learn-note",
            "It is in the editor now. Ctrl+Z, or Undo in the message below, brings your scenario back.",
        );
    }
    m.close("section");

    if st.loaded || st.guess.is_some() {
        predict_markup(&mut m, st);
    }
    m.finish().0
}

/// Step 2: the question, then the two choices or the reveal.
fn predict_markup(m: &mut Markup, st: &LessonState) {
    m.open("section").attr("class", "learn-step").attr("data-testid", "learn-predict");
    m.attr("aria-labelledby", "learn-step-predict").end();
    step_title(m, "learn-step-predict", "2", "Predict");
    m.leaf("p", "", st.prose.map_or("", |t| t.question));
    let flow = st.lesson.prediction.flow;
    m.open("p").attr("class", "learn-flow").end().leaf("code", "", flow.from).text(" → ").leaf("code", "", flow.to);
    m.text(" on ").leaf("code", "", flow.probe).close("p");
    match (st.guess, st.answer) {
        (None, _) => {
            m.open("div")
                .attr("class", "learn-choices")
                .attr("role", "group")
                .attr("aria-label", "Your prediction")
                .end();
            m.act_button("btn choice", "allowed", "predict-allowed", "Allowed");
            m.act_button("btn choice", "denied", "predict-denied", "Denied");
            m.close("div");
        }
        (Some(g), Some(Some(actual))) => {
            let right = g == actual;
            m.open("div").attr("id", "learn-reveal").attr("tabindex", "-1").class("learn-reveal", &[(right, "right")]);
            m.attr("data-testid", "learn-reveal").attr("data-correct", if right { "true" } else { "false" });
            m.attr("data-allowed", if actual { "true" } else { "false" }).attr("role", "status").end();
            m.open("p").attr("class", "learn-verdict").end();
            m.open("span").attr("aria-hidden", "true").end().text(if right { "✓ " } else { "✗ " }).close("span");
            m.text(&reveal_text(g, actual));
            m.leaf("span", "muted", &format!(" You said {}.", lessons::verdict_word(g))).close("p");
            m.leaf("p", "", st.prose.map_or("", |t| t.takeaway));
            m.act_button("link small", "show-flow", "learn-show-flow", "Show it in the flow inspector");
            m.close("div");
        }
        (Some(_), Some(None)) => {
            m.leaf("p", "learn-note", "This lesson's flow does not resolve in its scenario.");
        }
        // Fetching the scenario (or it failed, said above).
        (Some(_), None) => {
            m.open("p")
                .attr("class", "learn-note")
                .attr("aria-busy", "true")
                .attr("data-testid", "learn-reveal-pending");
            m.end().text("The verdict appears once the lesson's scenario is loaded.").close("p");
        }
    }
    m.close("section");
}

/// Step 3's title and goal.
fn goal_markup(prose: Option<LessonText<'static>>) -> String {
    let mut m = Markup::default();
    step_title(&mut m, "learn-step-task", "3", "Your task");
    m.leaf("p", "", prose.map_or("", |t| t.goal));
    m.finish().0
}

/// The task's live status line and checks.
fn status_markup(st: Option<&TaskStatus>) -> String {
    let (done, line) = status_line(st);
    let mut m = Markup::default();
    m.open("p").class("learn-status", &[(done, "done")]).attr("role", "status").attr("data-testid", "learn-status");
    m.attr("data-done", if done { "true" } else { "false" }).end();
    m.open("span").attr("aria-hidden", "true").end().text(if done { "✓ " } else { "… " }).close("span");
    m.text(&line).close("p");
    m.open("ul").attr("class", "learn-checks").end();
    if let Some(st) = st {
        checks_markup(&mut m, st);
    }
    m.close("ul");
    m.finish().0
}

/// The hint and the solution, each behind a `<details>`.
fn solution_markup(lesson: &Lesson, prose: Option<LessonText<'static>>, apply_failed: bool) -> String {
    let mut m = Markup::default();
    m.open("details").attr("class", "learn-more").end().leaf("summary", "", "Hint");
    m.leaf("p", "", prose.map_or("", |t| t.hint)).close("details");
    m.open("details").attr("class", "learn-more").attr("data-testid", "learn-solution").end();
    m.leaf("summary", "", "Show the solution").leaf("p", "", prose.map_or("", |t| t.explanation));
    m.leaf("pre", "learn-snippet", lesson.solution.snippet);
    m.act_button("btn small", "apply", "learn-apply", "Apply it to the editor");
    if apply_failed {
        m.open("p").attr("class", "learn-note").attr("role", "alert").end();
        m.text("The editor no longer has the lines this changes. Load the lesson's scenario again, or make the change by hand.");
        m.close("p");
    }
    m.close("details");
    m.finish().0
}

/// Links to the lessons before and after.
fn nav_markup(prev: Option<&Lesson>, next: Option<&Lesson>) -> String {
    let mut m = Markup::default();
    m.open("nav").attr("class", "learn-nav").attr("aria-label", "Lessons").end();
    if prev.is_some() {
        m.act_button("btn small ghost", "prev", "", "← Previous");
    }
    if let Some(n) = next {
        m.act_button("btn small", "next", "learn-next", &format!("Next: {}", n.title));
    }
    m.close("nav");
    m.finish().0
}

/// One lesson, written as markup ([`crate::markup::region`]s) with one
/// click listener that tells its buttons apart by `data-act`.
#[component]
fn LessonView(
    lesson: &'static Lesson,
    progress: RwSignal<Progress>,
    loaded: RwSignal<Vec<&'static str>>,
    scenario: Memo<Option<Arc<Evaluated>>>,
    text: RwSignal<String>,
    on_load: Callback<(&'static Lesson, &'static str)>,
    on_text: Callback<String>,
    on_inspect: Callback<FlowChoice>,
    on_open: Callback<Option<&'static Lesson>>,
) -> impl IntoView {
    // The task's checks on the editor's scenario (`None` while it has errors).
    let status = move || scenario.with(|s| s.as_ref().map(|ev| lessons::check(lesson, &ev.scenario)));
    // A task counts as done once its checks hold after the prediction.
    Effect::new(move |_| {
        let done = status().is_some_and(|st| st.done());
        if done && progress.with_untracked(|p| p.get(lesson.id).guess.is_some() && !p.get(lesson.id).done) {
            progress.update(|p| p.complete(lesson.id));
        }
    });
    // The lesson's scenario and prose, fetched as the lesson opens (at once
    // if cached).
    let source = RwSignal::new(Load::Loading);
    let fetch = move || {
        source.set(Load::Loading);
        content::lesson_files(lesson, move |r| {
            // The lesson may have been left while it loaded.
            let _ = source.try_set(Load::from(r));
        });
    };
    fetch();
    let position = LESSONS.iter().position(|l| l.id == lesson.id).unwrap_or(0);
    let prev = position.checked_sub(1).and_then(|i| LESSONS.get(i));
    let next = LESSONS.get(position + 1);
    // The answer, computed by the core on the lesson's own scenario:
    // `None` until it is there. Read only when the lesson's head is written
    // again (a lesson's scenario is a few objects).
    let answer = move || match source.get() {
        Load::Ready(yaml) => Some(lessons::prediction_in(lesson, yaml).map(|ex| ex.allowed)),
        _ => None,
    };
    let guessed = move || progress.with(|p| p.get(lesson.id).guess);
    let show_flow = move || {
        on_inspect.run(choice_of(&lesson.prediction.flow));
        scroll_to_inspector();
    };
    let guess = move |allowed: bool| {
        progress.update(|p| p.predict(lesson.id, allowed));
        show_flow();
        focus_later("learn-reveal");
    };
    let apply_failed = RwSignal::new(false);
    let load = move || {
        let Load::Ready(yaml) = source.get_untracked() else { return };
        on_load.run((lesson, yaml));
        loaded.update(|l| {
            if !l.contains(&lesson.id) {
                l.push(lesson.id);
            }
        });
        apply_failed.set(false);
    };
    let apply = move || match lessons::apply_solution(lesson, &text.get_untracked()) {
        Some(t) => {
            apply_failed.set(false);
            on_text.run(t);
        }
        None => apply_failed.set(true),
    };
    let on_click = move |ev: web_sys::MouseEvent| match crate::markup::act_at(&ev).as_deref() {
        Some("back") => on_open.run(None),
        Some("load") => load(),
        Some("retry") => fetch(),
        Some("allowed") => guess(true),
        Some("denied") => guess(false),
        Some("show-flow") => show_flow(),
        Some("apply") => apply(),
        Some("prev") => on_open.run(prev),
        Some("next") => on_open.run(next),
        _ => {}
    };
    let head = move || {
        lesson_markup(&LessonState {
            lesson,
            position,
            source: source.get(),
            prose: prose(source, lesson),
            loaded: loaded.with(|l| l.contains(&lesson.id)),
            guess: guessed(),
            answer: answer(),
        })
    };

    view! {
        <article class="learn-lesson" data-testid="learn-lesson" data-id=lesson.id on:click=on_click>
            {region(Box::new(head))}
            // Hidden until the prediction, not unmounted: a `Show` costs the page
            // more than an attribute.
            <section
                class="learn-step"
                data-testid="learn-task"
                aria-labelledby="learn-step-task"
                hidden=move || guessed().is_none()
            >
                {region(Box::new(move || goal_markup(prose(source, lesson))))}
                {region(Box::new(move || status_markup(status().as_ref())))}
                {region(Box::new(move || solution_markup(lesson, prose(source, lesson), apply_failed.get())))}
            </section>
            <div class="part" inner_html=nav_markup(prev, next)></div>
        </article>
    }
}

/// The header button that opens and closes the panel.
#[component]
pub fn LearnButton(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button
            id="learn-open"
            class="btn"
            class:active=move || open.get()
            data-testid="learn-open"
            aria-controls="learn-panel"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            "Learn"
        </button>
    }
}

#[cfg(test)]
mod tests {
    use netpol_core::parse::parse_str;

    use super::*;

    #[test]
    fn the_reveal_says_right_or_wrong_and_the_real_verdict() {
        assert_eq!(reveal_text(true, true), "Right: it is allowed.");
        assert_eq!(reveal_text(true, false), "Not quite: it is denied.");
        assert_eq!(reveal_text(false, true), "Not quite: it is allowed.");
    }

    #[test]
    fn the_status_line_names_the_first_failing_check_and_errors_suspend_it() {
        let lesson = lessons::by_id("or-vs-and").expect("lesson");
        let start = lessons::check(lesson, &parse_str(lesson.yaml).scenario);
        let (done, line) = status_line(Some(&start));
        assert!(!done);
        assert!(line.starts_with("Not yet (2 of 4 checks hold)."), "{line}");
        assert!(line.contains("alice/web → data/db on TCP/5432 should be denied, but it is allowed."), "{line}");

        let solved = lessons::apply_solution(lesson, lesson.yaml).expect("applies");
        let end = lessons::check(lesson, &parse_str(&solved).scenario);
        assert_eq!(status_line(Some(&end)), (true, "Task complete. Every check holds.".to_string()));
        assert!(!status_line(None).0);
    }
}
