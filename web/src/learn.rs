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
    text: Signal<String>,
    /// The editor's current evaluated scenario; `None` while the text has
    /// errors (a stale result must not tick a task off).
    scenario: Signal<Option<Arc<Evaluated>>>,
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

    let status = Memo::new(move |_| {
        let lesson = active.get()?;
        Some(scenario.with(|s| s.as_ref().map(|ev| lessons::check(lesson, &ev.scenario))))
    });
    // A task counts as done once its checks hold after the prediction.
    Effect::new(move |_| {
        let Some(lesson) = active.get() else { return };
        let done = status.with(|s| matches!(s, Some(Some(st)) if st.done()));
        if done && progress.with_untracked(|p| p.get(lesson.id).guess.is_some() && !p.get(lesson.id).done) {
            progress.update(|p| p.complete(lesson.id));
        }
    });
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
                            status=status
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
/// state. Written as HTML text ([`crate::markup`]); a click finds its
/// lesson by `data-id`.
fn lesson_list(progress: RwSignal<Progress>, on_pick: Callback<&'static Lesson>) -> impl IntoView {
    let on_click = move |ev: web_sys::MouseEvent| {
        let id = crate::markup::closest(&ev, "[data-testid=learn-item]").and_then(|b| b.get_attribute("data-id"));
        if let Some(l) = id.and_then(|id| LESSONS.iter().find(|l| l.id == id)) {
            on_pick.run(l);
        }
    };
    view! {
        <p class="learn-lead">
            "A short course on how NetworkPolicy decides. Each lesson loads a small scenario into the editor, "
            "asks you to predict one connection, then gives you one change to make."
        </p>
        <div class="learn-list-box" inner_html=move || progress.with(list_markup) on:click=on_click></div>
        <button
            class="link small learn-reset"
            on:click=move |_| {
                let ok = window()
                    .confirm_with_message("Forget your predictions and completed tasks?")
                    .unwrap_or(false);
                if ok {
                    progress.set(Progress::default());
                }
            }
        >
            "Reset progress"
        </button>
    }
}

fn list_markup(progress: &Progress) -> String {
    let mut m = crate::markup::Markup::default();
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
    m.finish().0
}

/// A lesson's intro, one `<p>` per paragraph (blank-line separated); a
/// placeholder while it is fetched (a failed fetch is said in step 1).
fn intro_markup(intro: Option<&str>, loading: bool) -> String {
    let mut m = crate::markup::Markup::default();
    for para in intro.iter().flat_map(|i| i.split("\n\n")) {
        m.leaf("p", "learn-para", para.trim());
    }
    if intro.is_none() && loading {
        m.leaf("p", "learn-note", "Loading the lesson…");
    }
    m.finish().0
}

/// The task's checks, each held or not, in words and as a flow.
fn checks_markup(st: &TaskStatus) -> String {
    let mut m = crate::markup::Markup::default();
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
    m.finish().0
}

/// One part of the lesson's prose, once it is there. A `fn` picks the part,
/// so that every part shares one reactive text type (each distinct closure
/// in a view costs the page about a kilobyte of wasm).
fn prose_part(
    source: RwSignal<Load>,
    lesson: &'static Lesson,
    part: fn(&LessonText<'static>) -> &'static str,
) -> impl IntoView {
    move || prose(source, lesson).as_ref().map(part)
}

/// The lesson's prose once its files are in (`content::lesson_files`).
fn prose(source: RwSignal<Load>, lesson: &'static Lesson) -> Option<LessonText<'static>> {
    source.with(|s| matches!(s, Load::Ready(_))).then(|| content::lesson_text(lesson)).flatten()
}

#[component]
fn LessonView(
    lesson: &'static Lesson,
    progress: RwSignal<Progress>,
    loaded: RwSignal<Vec<&'static str>>,
    status: Memo<Option<Option<TaskStatus>>>,
    text: Signal<String>,
    on_load: Callback<(&'static Lesson, &'static str)>,
    on_text: Callback<String>,
    on_inspect: Callback<FlowChoice>,
    on_open: Callback<Option<&'static Lesson>>,
) -> impl IntoView {
    // The lesson's scenario, fetched as the lesson opens (at once if cached).
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
    // `None` until it is there.
    let answer = Memo::new(move |_| match source.get() {
        Load::Ready(yaml) => Some(lessons::prediction_in(lesson, yaml).map(|ex| ex.allowed)),
        _ => None,
    });
    let entry = move || progress.with(|p| p.get(lesson.id));
    let is_loaded = move || loaded.with(|l| l.contains(&lesson.id));
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
    let flow = lesson.prediction.flow;

    view! {
        <article class="learn-lesson" data-testid="learn-lesson" data-id=lesson.id>
            <button class="link small learn-back" data-testid="learn-back" on:click=move |_| on_open.run(None)>
                "← All lessons"
            </button>
            <p class="learn-kicker">{format!("Lesson {} of {}", position + 1, LESSONS.len())}</p>
            <h3 id="learn-lesson-title" tabindex="-1">{lesson.title}</h3>
            <div class="learn-intro" inner_html=move || intro_markup(prose(source, lesson).map(|t| t.intro), source.with(|s| *s == Load::Loading))></div>

            <section class="learn-step" aria-labelledby="learn-step-load">
                <h4 id="learn-step-load"><span class="step-num" aria-hidden="true">"1"</span>"Load the scenario"</h4>
                <button
                    class="btn primary"
                    data-testid="learn-load"
                    disabled=move || !matches!(source.get(), Load::Ready(_))
                    aria-busy=move || (source.get() == Load::Loading).to_string()
                    on:click=move |_| {
                        let Load::Ready(yaml) = source.get_untracked() else { return };
                        on_load.run((lesson, yaml));
                        loaded.update(|l| {
                            if !l.contains(&lesson.id) {
                                l.push(lesson.id);
                            }
                        });
                        apply_failed.set(false);
                    }
                >
                    {move || match (source.get() == Load::Loading, is_loaded()) {
                        (true, _) => "Loading the scenario…",
                        (false, true) => "Load it again",
                        (false, false) => "Load the lesson's scenario",
                    }}
                </button>
                {move || match source.get() {
                    Load::Failed(why) => Some(view! {
                        <div class="learn-error" role="alert" data-testid="learn-load-error">
                            <p>{format!("The lesson's scenario could not be loaded. {why}")}</p>
                            <button class="btn small" data-testid="learn-retry" on:click=move |_| fetch()>"Try again"</button>
                        </div>
                    }),
                    _ => None,
                }}
                <Show when=is_loaded>
                    <p class="learn-note">"It is in the editor now. Ctrl+Z, or Undo in the message below, brings your scenario back."</p>
                </Show>
            </section>

            <Show when=move || is_loaded() || entry().guess.is_some()>
                <section class="learn-step" data-testid="learn-predict" aria-labelledby="learn-step-predict">
                    <h4 id="learn-step-predict"><span class="step-num" aria-hidden="true">"2"</span>"Predict"</h4>
                    <p>{prose_part(source, lesson, |t| t.question)}</p>
                    <p class="learn-flow">
                        <code>{flow.from}</code>" → "<code>{flow.to}</code>" on "<code>{flow.probe}</code>
                    </p>
                    {move || match (entry().guess, answer.get()) {
                        (None, _) => view! {
                            <div class="learn-choices" role="group" aria-label="Your prediction">
                                <button class="btn choice" data-testid="predict-allowed" on:click=move |_| guess(true)>"Allowed"</button>
                                <button class="btn choice" data-testid="predict-denied" on:click=move |_| guess(false)>"Denied"</button>
                            </div>
                        }.into_any(),
                        (Some(g), Some(Some(actual))) => view! {
                            <div
                                id="learn-reveal"
                                tabindex="-1"
                                class="learn-reveal"
                                class:right=g == actual
                                data-testid="learn-reveal"
                                data-correct=(g == actual).to_string()
                                data-allowed=actual.to_string()
                                role="status"
                            >
                                <p class="learn-verdict">
                                    <span aria-hidden="true">{if g == actual { "✓ " } else { "✗ " }}</span>
                                    {reveal_text(g, actual)}
                                    <span class="muted">{format!(" You said {}.", lessons::verdict_word(g))}</span>
                                </p>
                                <p>{prose_part(source, lesson, |t| t.takeaway)}</p>
                                <button class="link small" data-testid="learn-show-flow" on:click=move |_| show_flow()>
                                    "Show it in the flow inspector"
                                </button>
                            </div>
                        }.into_any(),
                        (Some(_), Some(None)) => view! {
                            <p class="learn-note">"This lesson's flow does not resolve in its scenario."</p>
                        }.into_any(),
                        // Fetching the scenario (or it failed, said above).
                        (Some(_), None) => view! {
                            <p class="learn-note" aria-busy="true" data-testid="learn-reveal-pending">
                                "The verdict appears once the lesson's scenario is loaded."
                            </p>
                        }.into_any(),
                    }}
                </section>
            </Show>

            <Show when=move || entry().guess.is_some()>
                <section class="learn-step" data-testid="learn-task" aria-labelledby="learn-step-task">
                    <h4 id="learn-step-task"><span class="step-num" aria-hidden="true">"3"</span>"Your task"</h4>
                    <p>{prose_part(source, lesson, |t| t.goal)}</p>
                    {move || {
                        let st = status.get().flatten();
                        let (done, line) = status_line(st.as_ref());
                        view! {
                            <p class="learn-status" class:done=done role="status" data-testid="learn-status" data-done=done.to_string()>
                                <span aria-hidden="true">{if done { "✓ " } else { "… " }}</span>
                                {line}
                            </p>
                            <ul class="learn-checks" inner_html=st.map(|st| checks_markup(&st)).unwrap_or_default()></ul>
                        }
                    }}
                    <details class="learn-more">
                        <summary>"Hint"</summary>
                        <p>{prose_part(source, lesson, |t| t.hint)}</p>
                    </details>
                    <details class="learn-more" data-testid="learn-solution">
                        <summary>"Show the solution"</summary>
                        <p>{prose_part(source, lesson, |t| t.explanation)}</p>
                        <pre class="learn-snippet">{lesson.solution.snippet}</pre>
                        <button
                            class="btn small"
                            data-testid="learn-apply"
                            on:click=move |_| match lessons::apply_solution(lesson, &text.get_untracked()) {
                                Some(t) => {
                                    apply_failed.set(false);
                                    on_text.run(t);
                                }
                                None => apply_failed.set(true),
                            }
                        >
                            "Apply it to the editor"
                        </button>
                        <Show when=move || apply_failed.get()>
                            <p class="learn-note" role="alert">
                                "The editor no longer has the lines this changes. Load the lesson's scenario again, or make the change by hand."
                            </p>
                        </Show>
                    </details>
                </section>
            </Show>

            <nav class="learn-nav" aria-label="Lessons">
                {prev.map(|p| view! {
                    <button class="btn small ghost" on:click=move |_| on_open.run(Some(p))>"← Previous"</button>
                })}
                {next.map(|n| view! {
                    <button class="btn small" data-testid="learn-next" on:click=move |_| on_open.run(Some(n))>
                        "Next: " {n.title}
                    </button>
                })}
            </nav>
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
