//! The page: header, editor, graph/matrix tabs and the flow inspector, wired
//! together with signals. State flows one way:
//!
//! text ─(200 ms debounce)─▶ Analysis (parse + core evaluation + lint, in
//! time slices: [`crate::pipeline`]) ─▶ what is shown (fresh, stale or valid
//! documents) ─▶ graph, matrix, inspector, lint panel.
//!
//! The editor is the only writer of the text (presets go through it too, so
//! Ctrl+Z can take them back).

use std::sync::Arc;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use netpol_core::eval::is_allowed;
use netpol_core::parse::Severity;
use netpol_core::presets::{by_id, Preset, DEFAULT_PRESET_ID};
use netpol_core::share::{self, SharedState, View};
use netpol_core::{Flow, FlowEnd, Probe, Span};

use crate::dom;
use crate::editor::{Editor, Mark};
use crate::flow_sel::{self, FlowChoice, Target};
use crate::graph::{self, AllowGraph, GraphEndpoint, ViewState};
use crate::highlight;
use crate::inspector::InspectorBody;
use crate::inspector_vm::{inspector_data, InspectorData};
use crate::large::{self, Large, Place};
use crate::large_view::{LargeView, LineNote};
use crate::learn::{LearnButton, LearnPanel};
use crate::lint_panel::LintPanel;
use crate::markup::{region, Markup};
use crate::matrix_view::MatrixView;
use crate::pipeline::Pipeline;
use crate::presets_menu::PresetsMenu;
use crate::share_link;
use crate::state::{Analysis, Evaluated, Shown};
use crate::text;

/// How long typing must pause before the text is re-evaluated.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// Where the inspected flow is saved between visits.
const FLOW_KEY: &str = "netpol-playground.flow.v1";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Graph,
    Matrix,
    Compare,
}

/// A short-lived message with an undo action.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Toast {
    id: u64,
    message: String,
    previous: String,
    /// The large document the scenario held before (crate::large).
    previous_large: Option<Arc<Large>>,
}

fn default_preset() -> Option<&'static Preset> {
    by_id(DEFAULT_PRESET_ID).or_else(|| netpol_core::presets::PRESETS.first())
}

fn focus_choice(p: &Preset) -> FlowChoice {
    FlowChoice { from: p.focus.from.to_string(), to: p.focus.to.to_string(), probe: p.focus.probe.to_string() }
}

fn load_choice() -> Option<FlowChoice> {
    let raw = window().local_storage().ok().flatten()?.get_item(FLOW_KEY).ok().flatten()?;
    let mut parts = raw.split('\t');
    Some(FlowChoice {
        from: parts.next()?.to_string(),
        to: parts.next()?.to_string(),
        probe: parts.next()?.to_string(),
    })
}

fn save_choice(c: &FlowChoice) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.set_item(FLOW_KEY, &format!("{}\t{}\t{}", c.from, c.to, c.probe));
    }
}

fn graph_end(end: FlowEnd) -> GraphEndpoint {
    match end {
        FlowEnd::Endpoint(i) => GraphEndpoint::Endpoint(i),
        FlowEnd::Ip(ip) => GraphEndpoint::External(ip),
    }
}

/// The whole page.
#[component]
pub fn App(
    /// The link's fragment, opened (`share_link::open`), if the page was
    /// opened with one: on success it is shown instead of the user's own
    /// scenario (which stays saved until they edit); on failure the user's
    /// scenario is shown with the reason.
    opened: Option<Result<SharedState, String>>,
) -> impl IntoView {
    let saved = dom::load_saved();
    let first_visit = saved.is_none();
    let (shared, share_failure) = match opened {
        Some(Ok(st)) => (Some(st), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let own_text = move || dom::load_saved().unwrap_or_else(|| netpol_core::presets::DEFAULT_YAML.to_string());
    let own_choice = move || {
        dom::load_saved().and_then(|_| load_choice()).or_else(|| default_preset().map(focus_choice)).unwrap_or_default()
    };
    let initial_text = shared.as_ref().map_or_else(own_text, |s| s.scenario.clone());
    let initial_choice =
        shared.as_ref().and_then(|s| s.flow.as_ref().map(share_link::choice_of)).unwrap_or_else(own_choice);
    let initial_view = shared.as_ref().map_or(View::Graph, |s| s.view);
    // While a shared scenario is shown unedited, nothing is saved, so the
    // user's own scenario is still there to go back to.
    let viewing_shared = RwSignal::new(shared.is_some());
    let share_error = RwSignal::new(share_failure);
    let shared_text = StoredValue::new(initial_text.clone());
    let text = RwSignal::new(initial_text.clone());
    // Large-scenario mode (crate::large): a text of several MB is held
    // outside the textarea and evaluated together with it.
    let large = RwSignal::new(if shared.is_none() { large::load().map(Arc::new) } else { None });
    // Compare mode (crate::compare): on when the link carried an after text.
    let compare = crate::compare::Compare::new(shared.as_ref().and_then(|s| s.compare.clone()), large);
    let large_error = RwSignal::new(None::<String>);
    let text_error = RwSignal::new(None::<String>);
    let evaluated_text = move |t: &str| large.with_untracked(|l| large::evaluated_text(l.as_deref(), t));
    // Evaluated now, so a small scenario is on screen with the first render.
    let pipeline = Pipeline::new(&evaluated_text(&initial_text));
    let debounced = RwSignal::new(initial_text);
    let editor_ref = NodeRef::<html::Textarea>::new();

    // Debounce: every edit restarts a 200 ms timer; only the last one fires.
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let t = text.get();
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                if debounced.with_untracked(|d| *d != t) {
                    debounced.set(t);
                }
            },
            DEBOUNCE,
        )
        .ok();
        timer.set_value(handle);
    });
    // Nothing typed is ever lost: every settled text is saved (once the
    // user edits a shared scenario, it becomes theirs).
    Effect::new(move |_| {
        debounced.with(|t| {
            if viewing_shared.get_untracked() && shared_text.with_value(|s| s == t) {
                return;
            }
            if viewing_shared.get_untracked() {
                // The edited shared scenario replaces the user's own,
                // including a large document they had.
                let _ = large::save(None);
            }
            viewing_shared.set(false);
            // A refusal is shown under the editor.
            let refused = large::save_text(t).err();
            if text_error.with_untracked(|e| *e != refused) {
                text_error.set(refused);
            }
        })
    });
    // The large document is saved when it changes; when the browser's
    // storage refuses it, the page says so (crate::large::save).
    Effect::new(move |first: Option<()>| {
        let l = large.get();
        if first.is_some() && !viewing_shared.get_untracked() {
            large_error.set(large::save(l.as_deref()).err());
        }
    });

    // Every settled text is evaluated off the input path; a newer one
    // cancels an older evaluation.
    Effect::new(move |_| {
        large.track();
        debounced.with(|t| pipeline.submit(&evaluated_text(t)))
    });
    let analysis = pipeline.analysis;
    let prefer_valid = RwSignal::new(false);
    // What the panels show: `Evaluated` compares by identity, so the memo
    // notifies only on a new result. The mode is cheap to read again.
    let evaluated = Memo::new(move |_| analysis.with(|a| a.shown(prefer_valid.get()).1));
    let mode = move || analysis.with(|a| a.shown(prefer_valid.get()).0);
    let compare_diff = compare.diff(evaluated);
    let compare_after = compare.after_for_graph();

    let choice = RwSignal::new(initial_choice.clone());
    Effect::new(move |_| {
        if !viewing_shared.get() {
            choice.with(save_choice);
        }
    });
    let matrix_probe = RwSignal::new(if Probe::parse(&initial_choice.probe).is_some() {
        initial_choice.probe.clone()
    } else {
        "TCP/80".to_string()
    });

    let inspector = Memo::new(move |_| {
        evaluated.with(|ev| match ev {
            Some(ev) => choice.with(|c| inspector_data(&ev.scenario, &flow_sel::inspect(&ev.scenario, c))),
            None => InspectorData::Message("Nothing to inspect until the scenario has a pod.".into()),
        })
    });

    // Highlight: what the user clicked in the inspector, else what decided.
    let focus_spans = RwSignal::new(None::<Vec<Span>>);
    Effect::new(move |_| {
        choice.track();
        evaluated.track();
        focus_spans.set(None);
    });
    let line_count = Memo::new(move |_| text.with(|t| text::line_count(t)));
    let highlight_lines = Memo::new(move |_| {
        let spans = focus_spans.get().unwrap_or_else(|| {
            inspector.with(|i| match i {
                InspectorData::Flow(flow) => flow.decisive.clone(),
                InspectorData::Service { backends, .. } => {
                    backends.first().map(|b| b.flow.decisive.clone()).unwrap_or_default()
                }
                InspectorData::Message(_) => Vec::new(),
            })
        });
        // Lines of the evaluated text: the large document's, then the editor's.
        let offset = large.with(|l| l.as_ref().map_or(0, |l| l.offset()));
        highlight::lines_of(&spans, offset.saturating_add(line_count.get()))
    });
    let highlight_all = highlight_lines;
    let highlight_lines = Memo::new(move |_| {
        large.with(|l| match l {
            Some(l) => highlight_all.with(|v| {
                v.iter().filter_map(|&n| if let Place::Changes(c) = l.place(n) { Some(c) } else { None }).collect()
            }),
            None => highlight_all.get(),
        })
    });
    let large_decisive = Memo::new(move |_| {
        large.with(|l| {
            l.as_ref().map_or_else(Vec::new, |l| {
                highlight_all.with(|v| {
                    v.iter()
                        .filter_map(|&n| match l.place(n) {
                            Place::Large(line) => {
                                l.line(line).map(|t| LineNote { line, text: t.to_string(), error: false })
                            }
                            Place::Changes(_) => None,
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    });
    // Scroll the editor to the highlight when the user asked for something
    // (not while they type, and not as the page opens: the effect's first
    // run is its setup, and a first result that landed before the next frame
    // used to scroll the default scenario past its opening comment).
    let reveal = RwSignal::new(0u64);
    Effect::new(move |setup: Option<()>| {
        reveal.track();
        if setup.is_none() {
            return;
        }
        // After layout, so the textarea has its size and its text.
        request_animation_frame(move || {
            let lines = highlight_lines.get_untracked();
            if let Some(el) = editor_ref.get_untracked() {
                let (top, bottom) = dom::visible_lines(&el);
                if let Some(line) = highlight::scroll_target(&lines, top, bottom) {
                    dom::reveal_line(&el, line, true);
                }
            }
        });
    });
    let on_focus = Callback::new(move |spans: Vec<Span>| {
        focus_spans.set(Some(spans));
        reveal.update(|n| *n += 1);
    });

    let marks = Memo::new(move |_| {
        let l = large.get();
        analysis.with(|a| {
            a.diagnostics
                .iter()
                .filter(|d| d.span.source == highlight::EDITOR_SOURCE)
                .filter_map(|d| match &l {
                    Some(l) => match l.place(d.span.start.line) {
                        Place::Changes(line) => Some((line, d)),
                        Place::Large(_) => None,
                    },
                    None => Some((d.span.start.line, d)),
                })
                .map(|(line, d)| Mark {
                    line: line.max(1),
                    col: d.span.start.col.max(1),
                    error: d.severity == Severity::Error,
                    message: if d.path.is_empty() { d.message.clone() } else { format!("{}: {}", d.path, d.message) },
                })
                .collect::<Vec<_>>()
        })
    });
    // The large document's own diagnostics, listed in its summary.
    let large_problems = Memo::new(move |_| {
        let Some(l) = large.get() else { return Vec::new() };
        analysis.with(|a| {
            a.diagnostics
                .iter()
                .filter(|d| d.span.source == highlight::EDITOR_SOURCE)
                .filter_map(|d| match l.place(d.span.start.line) {
                    Place::Large(line) => Some(LineNote {
                        line,
                        text: if d.path.is_empty() { d.message.clone() } else { format!("{}: {}", d.path, d.message) },
                        error: d.severity == Severity::Error,
                    }),
                    Place::Changes(_) => None,
                })
                .collect::<Vec<_>>()
        })
    });

    let pick_flow = move |from: String, to: String, probe: String| {
        choice.set(FlowChoice { from, to, probe });
        reveal.update(|n| *n += 1);
    };
    let on_cell = Callback::new(move |(from, to, probe): (String, String, String)| pick_flow(from, to, probe));

    // Graph.
    let view_state = RwSignal::new(ViewState::default());
    let graph_model = Memo::new(move |_| {
        let Some(ev) = evaluated.get() else {
            return graph::GraphModel::default();
        };
        let all: Vec<usize> = (0..ev.matrix.probes().len()).collect();
        view_state.with(|v| graph::build(&ev.scenario, &ev.matrix, &all, &ev.externals, v))
    });
    let selected_edge = Memo::new(move |_| {
        let ev = evaluated.get()?;
        choice.with(|c| {
            let from = netpol_core::eval::resolve_end(&ev.scenario, &c.from)?;
            match flow_sel::resolve_target(&ev.scenario, &c.to)? {
                Target::End(to) => Some((graph_end(from), graph_end(to))),
                Target::Service(_) => None,
            }
        })
    });
    let on_edge = Callback::new(move |(a, b): (GraphEndpoint, GraphEndpoint)| {
        let Some(ev) = evaluated.get_untracked() else {
            return;
        };
        let (from, to) = (a.flow_end(), b.flow_end());
        let current = choice.with_untracked(|c| Probe::parse(&c.probe));
        // Keep the probe if the core allows the pair on it, else the first
        // probe the core allows it on.
        let allowed_on = |p: Probe| is_allowed(&ev.scenario, &Flow { from, to, probe: p });
        let probe = current
            .filter(|p| allowed_on(*p))
            .or_else(|| ev.probes.iter().copied().find(|p| allowed_on(*p)))
            .or(current)
            .unwrap_or(Probe::new(netpol_core::Protocol::Tcp, 80));
        pick_flow(flow_sel::end_text(&ev.scenario, from), flow_sel::end_text(&ev.scenario, to), probe.to_string());
    });
    let on_node = Callback::new(move |n: GraphEndpoint| {
        let Some(ev) = evaluated.get_untracked() else {
            return;
        };
        let from = flow_sel::end_text(&ev.scenario, n.flow_end());
        choice.update(|c| c.from = from);
        reveal.update(|n| *n += 1);
    });

    // Presets, lesson, toast.
    let lesson = RwSignal::new(if first_visit { default_preset() } else { None });
    let lesson_open = RwSignal::new(false);
    // A new scenario in which neither end of the inspected flow exists (the
    // user replaced a preset's text with their cluster): open a flow of the
    // new scenario instead of "No pod `shop/web`", and drop the preset's
    // lesson, which no longer describes what is on screen.
    // Runs on a new result only: the mode is read untracked, since picking a
    // preset sets `prefer_valid` (and the inspected flow) before its result.
    Effect::new(move |_| {
        evaluated.with(|ev| {
            let (Shown::Fresh, Some(ev)) = (untrack(mode), ev.as_ref()) else { return };
            // Nothing to open in an empty scenario: the pipeline's placeholder
            // before the first result, or a text the user is about to replace.
            if ev.scenario.endpoints.is_empty() {
                return;
            }
            if lesson.with_untracked(|l| l.is_some_and(|p| flow_sel::stranded(&ev.scenario, &focus_choice(p)))) {
                lesson.set(None);
            }
            if choice.with_untracked(|c| flow_sel::stranded(&ev.scenario, c)) {
                if let Some(c) = flow_sel::suggest(&ev.scenario, &ev.matrix) {
                    matrix_probe.set(c.probe.clone());
                    choice.set(c);
                }
            }
        })
    });
    let toast = RwSignal::new(None::<Toast>);
    let menu_open = RwSignal::new(false);
    let help_open = RwSignal::new(false);
    let tab = RwSignal::new(if compare.on.get_untracked() {
        Tab::Compare
    } else if initial_view == View::Matrix {
        Tab::Matrix
    } else {
        Tab::Graph
    });
    let inspector_max = RwSignal::new(initial_view == View::Inspector);
    let set_text_undoably = move |s: &str| {
        if let Some(el) = editor_ref.get_untracked() {
            dom::replace_all(&el, s);
        }
        if text.with_untracked(|t| t != s) {
            text.set(s.to_string());
        }
        // Evaluate at once: the user asked for this text, no need to wait.
        debounced.set(s.to_string());
    };
    let on_preset = Callback::new(move |(p, yaml): (&'static Preset, &'static str)| {
        let previous = text.get_untracked();
        let previous_large = large.get_untracked();
        large.set(None);
        set_text_undoably(yaml);
        choice.set(focus_choice(p));
        matrix_probe.set(p.focus.probe.to_string());
        prefer_valid.set(false);
        lesson.set(Some(p));
        lesson_open.set(false);
        let id = toast.with_untracked(|t| t.as_ref().map_or(0, |t| t.id + 1));
        toast.set(Some(Toast { id, message: format!("Loaded “{}”.", p.title), previous, previous_large }));
        set_timeout(
            move || {
                if toast.with_untracked(|t| t.as_ref().is_some_and(|t| t.id == id)) {
                    toast.set(None);
                }
            },
            Duration::from_secs(10),
        );
        reveal.update(|n| *n += 1);
    });
    let undo_preset = move || {
        if let Some(t) = toast.get_untracked() {
            large.set(t.previous_large.clone());
            set_text_undoably(&t.previous);
            lesson.set(None);
            toast.set(None);
        }
    };

    // Learn panel (crate::learn): lessons load and solve through the same
    // undoable path and toast as presets, and reveal flows in the inspector.
    let learn_open = RwSignal::new(false);
    let learn_text = move |new_text: &str, message: String| {
        let previous = text.get_untracked();
        let previous_large = large.get_untracked();
        large.set(None);
        set_text_undoably(new_text);
        prefer_valid.set(false);
        lesson.set(None);
        let id = toast.with_untracked(|t| t.as_ref().map_or(0, |t| t.id + 1));
        toast.set(Some(Toast { id, message, previous, previous_large }));
        set_timeout(
            move || {
                if toast.with_untracked(|t| t.as_ref().is_some_and(|t| t.id == id)) {
                    toast.set(None);
                }
            },
            Duration::from_secs(10),
        );
    };
    let on_lesson_load = Callback::new(move |(l, yaml): (&'static netpol_core::lessons::Lesson, &'static str)| {
        learn_text(yaml, format!("Loaded the lesson “{}”.", l.title));
        // The source and probe of the prediction, but no destination yet:
        // the inspector must not give the answer away before the guess.
        let f = l.prediction.flow;
        choice.set(FlowChoice { from: f.from.to_string(), to: String::new(), probe: f.probe.to_string() });
        matrix_probe.set(f.probe.to_string());
        reveal.update(|n| *n += 1);
    });
    let on_lesson_text = Callback::new(move |t: String| learn_text(&t, "Applied the solution.".to_string()));
    let on_lesson_flow = Callback::new(move |c: FlowChoice| {
        if Probe::parse(&c.probe).is_some() {
            matrix_probe.set(c.probe.clone());
        }
        inspector_max.set(false);
        pick_flow(c.from, c.to, c.probe);
    });
    let learn_scenario = Memo::new(move |_| if mode() == Shown::Fresh { evaluated.get() } else { None });

    // Opening a shared state (first load, back/forward, a pasted link).
    let apply_shared = move |st: SharedState| {
        shared_text.set_value(st.scenario.clone());
        viewing_shared.set(true);
        share_error.set(None);
        large.set(None);
        set_text_undoably(&st.scenario);
        if let Some(c) = st.flow.as_ref().map(share_link::choice_of) {
            if Probe::parse(&c.probe).is_some() {
                matrix_probe.set(c.probe.clone());
            }
            choice.set(c);
        }
        compare.open_shared(st.compare.as_deref());
        tab.set(if st.compare.is_some() {
            Tab::Compare
        } else if st.view == View::Matrix {
            Tab::Matrix
        } else {
            Tab::Graph
        });
        inspector_max.set(st.view == View::Inspector);
        lesson.set(None);
    };
    let back_to_own = move || {
        viewing_shared.set(false);
        compare.stop();
        large.set(large::load().map(Arc::new));
        set_text_undoably(&own_text());
        choice.set(own_choice());
    };
    // The link being opened, so that of two quick changes only the last
    // one's result is applied (the browser inflates links asynchronously).
    let opening = StoredValue::new(0u64);
    let _hash = window_event_listener(leptos::ev::hashchange, move |_| {
        opening.update_value(|n| *n += 1);
        let this = opening.get_value();
        match share_link::current_fragment() {
            Some(fragment) => leptos::task::spawn_local(async move {
                let opened = share_link::open(&fragment).await;
                if opening.try_get_value() != Some(this) {
                    return;
                }
                match opened {
                    Ok(st) => apply_shared(st),
                    Err(e) => share_error.set(Some(e)),
                }
            }),
            None => {
                share_error.set(None);
                if viewing_shared.get_untracked() {
                    back_to_own();
                }
            }
        }
    });
    // How many times "Copy link" was pressed (0: the popover is closed);
    // every press makes a fresh popover, which copies the current link.
    let share_open = RwSignal::new(0u64);
    // What a link would carry now, or why there can be none.
    let current_state = Signal::derive(move || {
        let view = if inspector_max.get() {
            View::Inspector
        } else if tab.get() == Tab::Matrix {
            View::Matrix
        } else {
            View::Graph
        };
        if let Some(l) = large.get() {
            return Err(share_link::too_large_for_a_link(&l));
        }
        Ok(choice.with(|c| share_link::state(text.get(), c, view, compare.shared_text())))
    });
    let download_yaml =
        move || text.with_untracked(|t| share_link::download("scenario.yaml", "application/yaml", &evaluated_text(t)));

    let on_import = Callback::new(move |(names, added): (String, String)| {
        // A large import is held outside the textarea (crate::large); a
        // preset's lesson no longer describes the scenario.
        if large.with_untracked(Option::is_some) || added.len() > large::LARGE_BYTES / 2 {
            lesson.set(None);
        }
        if let Some(l) = large.get_untracked() {
            let joined = crate::import::append_documents(&l.text, &added);
            large.set(Some(Arc::new(Large::new(format!("{} + {names}", l.name), joined))));
            return;
        }
        let joined = text.with_untracked(|t| crate::import::append_documents(t, &added));
        if joined.len() > large::LARGE_BYTES {
            if text.with_untracked(|t| t.len()) > large::LARGE_BYTES / 4 {
                large.set(Some(Arc::new(Large::new(names, joined))));
                set_text_undoably("");
            } else {
                large.set(Some(Arc::new(Large::new(names, added))));
            }
            return;
        }
        set_text_undoably(&joined);
    });

    // Computed by the pipeline with the rest of the evaluation.
    let lint_findings =
        Memo::new(move |_| evaluated.with(|e| e.as_ref().map(|ev| ev.lint.clone()).unwrap_or_default()));

    // The buttons of the page's markup regions (notices, toast, status,
    // tabs, the inspector's expand button).
    let on_act = move |ev: web_sys::MouseEvent| match crate::markup::act_at(&ev).as_deref() {
        Some("share-dismiss") => share_error.set(None),
        Some("back-to-mine") => back_to_own(),
        Some("lesson-more") => lesson_open.update(|o| *o = !*o),
        Some("lesson-dismiss") => lesson.set(None),
        Some("toast-undo") => undo_preset(),
        Some("toast-close") => toast.set(None),
        Some("valid-docs") => prefer_valid.set(true),
        Some("last-valid") => prefer_valid.set(false),
        Some("expand") => inspector_max.update(|m| *m = !*m),
        Some(act @ ("tab-graph" | "tab-matrix" | "tab-compare")) => {
            if act == "tab-compare" {
                compare.start(&text.get_untracked());
            }
            tab.set(match act {
                "tab-graph" => Tab::Graph,
                "tab-matrix" => Tab::Matrix,
                _ => Tab::Compare,
            });
            inspector_max.set(false);
        }
        _ => {}
    };

    view! {
        <div class="app" on:click=on_act>
            <header class="app-header">
                <div class="brand">
                    <span class="logo" aria-hidden="true"></span>
                    <h1>"NetworkPolicy Playground"</h1>
                </div>
                <p class="tagline">
                    "Paste Kubernetes YAML and see who can talk to whom, and exactly which rule decides. Runs entirely in your browser."
                </p>
                <nav class="header-actions" aria-label="Page">
                    <LearnButton open=learn_open />
                    <PresetsMenu on_pick=on_preset open=menu_open />
                    <button
                        class="btn"
                        data-testid="copy-link"
                        aria-haspopup="dialog"
                        aria-expanded=move || (share_open.get() > 0).to_string()
                        on:click=move |_| share_open.update(|n| *n = n.wrapping_add(1).max(1))
                    >
                        "Copy link"
                    </button>
                    <button class="btn ghost" aria-haspopup="dialog" on:click=move |_| help_open.set(true)>
                        "Help"
                    </button>
                </nav>
            </header>
            {move || (share_open.get() > 0).then(|| view! {
                <SharePopover state=current_state on_close=Callback::new(move |_| share_open.set(0)) on_download=Callback::new(move |_| download_yaml()) />
            })}
            {region(Box::new(move || {
                notices_markup(share_error.get().as_deref(), viewing_shared.get(), lesson.get(), lesson_open.get())
            }))}
            <main class="workspace" class:learning=move || learn_open.get()>
                <section
                    class="pane editor-pane"
                    aria-labelledby="editor-title"
                    on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                    on:drop=move |ev: leptos::ev::DragEvent| {
                        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
                            ev.prevent_default();
                            crate::import::read_files(files, on_import);
                        }
                    }
                >
                    <div class="pane-head">
                        <h2 id="editor-title">"Scenario"</h2>
                        {region(Box::new(move || status_badge(analysis, mode())))}
                        {region(Box::new(move || {
                            let mut m = Markup::default();
                            if let Some(p) = pipeline.progress() {
                                m.open("span").attr("class", "badge busy").attr("data-testid", "eval-progress");
                                m.attr("role", "status").attr("aria-live", "polite").end();
                                m.text(&format!("Evaluating… {p}%")).close("span");
                            }
                            m.finish().0
                        }))}
                        <label class="btn small ghost import" title="Add .yaml/.yml/.json files to the scenario (or drop them on the editor)">
                            "Import…"
                            <input
                                type="file"
                                class="visually-hidden"
                                data-testid="import-file"
                                multiple
                                accept=".yaml,.yml,.json"
                                on:change=move |ev| {
                                    let input: web_sys::HtmlInputElement = event_target(&ev);
                                    if let Some(files) = input.files() {
                                        crate::import::read_files(files, on_import);
                                    }
                                    input.set_value("");
                                }
                            />
                        </label>
                        <button class="btn small ghost" data-testid="export-yaml" on:click=move |_| download_yaml()>
                            "Export .yaml"
                        </button>
                        <crate::export::ExportMenu evaluated=evaluated after=compare_after />
                    </div>
                    {move || large.get().map(|l| view! {
                        <LargeView
                            large=l
                            evaluated=evaluated
                            problems=large_problems
                            decisive=large_decisive
                            storage_error=large_error
                            on_edit=Callback::new(move |_| {
                                let all = large.get_untracked().map(|l| text.with_untracked(|t| large::combine(&l, t)));
                                large.set(None);
                                if let Some(all) = all {
                                    set_text_undoably(&all);
                                }
                            })
                            on_remove=Callback::new(move |_| large.set(None))
                        />
                        <h3 class="changes-title" id="changes-title">"Your changes"</h3>
                    })}
                    {region(Box::new(move || {
                        let mut m = Markup::default();
                        if let Some(e) = text_error.get() {
                            m.open("p").attr("class", "share-warn").attr("role", "alert").attr("data-testid", "not-saved");
                            m.end().text(&e).close("p");
                        }
                        m.finish().0
                    }))}
                    <Editor
                        text=text
                        marks=marks
                        highlight=highlight_lines
                        node_ref=editor_ref
                        on_large_paste=Callback::new(move |pasted: String| {
                            let joined = match large.get_untracked() {
                                Some(l) => crate::import::append_documents(&l.text, &pasted),
                                None => pasted,
                            };
                            large.set(Some(Arc::new(Large::new("pasted text", joined))));
                            lesson.set(None);
                        })
                    />
                    {error_list(marks, editor_ref)}
                    <LintPanel findings=lint_findings on_pick=on_focus />
                </section>
                <section class="pane right-pane" class:inspector-max=move || inspector_max.get()>
                    <div class="views">
                        {region(Box::new(move || {
                            let count = compare_diff.with(|d| d.as_ref().map(|d| crate::compare::counts_label(&d.0)));
                            let note = evaluated.with(|e| e.as_ref().map(|e| e.counts()));
                            tabs_markup(tab.get(), count.as_deref(), note.as_deref())
                        }))}
                        <div
                            id="panel-graph"
                            class="tab-panel"
                            role="tabpanel"
                            aria-labelledby="tab-graph"
                            hidden=move || tab.get() != Tab::Graph
                        >
                            <AllowGraph
                                model=graph_model
                                view_state=view_state
                                on_edge_click=on_edge
                                on_node_click=on_node
                                selected_edge=selected_edge
                                evaluated=evaluated
                                after=compare_after
                            />
                        </div>
                        <div
                            id="panel-matrix"
                            class="tab-panel"
                            role="tabpanel"
                            aria-labelledby="tab-matrix"
                            hidden=move || tab.get() != Tab::Matrix
                        >
                            // Mounted only while shown: a hidden 80×80 table
                            // would still be rebuilt on every result, which at
                            // thousands of pods stalls the page when it lands.
                            <Show when=move || tab.get() == Tab::Matrix>
                                <MatrixView
                                    evaluated=evaluated
                                    probe=matrix_probe
                                    selected=choice
                                    on_pick=on_cell
                                />
                            </Show>
                        </div>
                        <div
                            id="panel-compare"
                            class="tab-panel"
                            role="tabpanel"
                            aria-labelledby="tab-compare"
                            hidden=move || tab.get() != Tab::Compare
                        >
                            // Mounted only while shown: its editor must not
                            // double the main one for tests and screen readers.
                            <Show when=move || tab.get() == Tab::Compare && compare.on.get()>
                                <crate::compare::ComparePanel
                                    compare=compare
                                    before=evaluated
                                    diff=compare_diff
                                    on_pick=Callback::new(move |c: FlowChoice| pick_flow(c.from, c.to, c.probe))
                                    on_focus_before=on_focus
                                    on_reset=Callback::new(move |_| compare.set_text(&text.get_untracked()))
                                    on_close=Callback::new(move |_| {
                                        compare.stop();
                                        tab.set(Tab::Graph);
                                    })
                                />
                            </Show>
                        </div>
                    </div>
                    <section class="inspector" data-testid="inspector" aria-labelledby="inspector-title">
                        <div class="pane-head">
                            <h2 id="inspector-title">"Flow inspector"</h2>
                            {region(Box::new(move || {
                                let max = inspector_max.get();
                                let mut m = Markup::default();
                                m.open("button").attr("class", "btn small ghost expand").attr(crate::markup::ACT_ATTR, "expand");
                                m.attr("aria-pressed", if max { "true" } else { "false" }).end();
                                m.text(if max { "▾ Show graph" } else { "▴ Expand inspector" }).close("button");
                                m.finish().0
                            }))}
                        </div>
                        {pickers(choice, evaluated, reveal)}
                        <div class="inspector-body">
                            <InspectorBody data=inspector on_focus=on_focus />
                        </div>
                    </section>
                </section>
                <LearnPanel
                    open=learn_open
                    text=text
                    scenario=learn_scenario
                    on_load=on_lesson_load
                    on_text=on_lesson_text
                    on_inspect=on_lesson_flow
                />
            </main>
            {region(Box::new(move || toast.with(|t| toast_markup(t.as_ref()))))}
            <Show when=move || help_open.get()>
                <crate::help::Help on_close=Callback::new(move |_| help_open.set(false)) />
            </Show>
        </div>
    }
}

fn status_badge(analysis: ReadSignal<Analysis>, mode: Shown) -> String {
    let errors = analysis.with(|a| a.errors);
    let has_good = analysis.with(|a| a.last_good.is_some());
    let n = if errors == 1 { "1 error".to_string() } else { format!("{errors} errors") };
    let mut m = Markup::default();
    if mode == Shown::Fresh {
        m.open("span").attr("class", "badge ok").attr("role", "status").end().text("✓ Valid").close("span");
        return m.finish().0;
    }
    m.open("span").attr("class", "badge stale").attr("data-testid", "stale-badge").attr("role", "status").end();
    let (what, button) = match mode {
        Shown::Stale => ("showing the last valid version", Some(("valid-docs", "show valid documents only"))),
        Shown::ValidDocuments => {
            ("showing only the documents without errors", has_good.then_some(("last-valid", "show last valid version")))
        }
        _ => ("nothing valid yet", None),
    };
    m.text(&format!("{n} · {what}"));
    if let Some((act, label)) = button {
        m.open("button")
            .attr("class", "link small")
            .attr(crate::markup::ACT_ATTR, act)
            .end()
            .text(label)
            .close("button");
    }
    m.close("span");
    m.finish().0
}

/// The view tabs (the compare tab with its count of changed flows), and
/// the scenario's counts beside them.
fn tabs_markup(tab: Tab, compare_count: Option<&str>, note: Option<&str>) -> String {
    const COMPARE_TITLE: &str = "Compare the scenario with a changed version: which flows it allows or denies";
    let mut m = Markup::default();
    m.open("div").attr("class", "tabs").attr("role", "tablist").attr("aria-label", "Views").end();
    let tabs = [
        (Tab::Graph, "tab-graph", "panel-graph", "Graph"),
        (Tab::Matrix, "tab-matrix", "panel-matrix", "Matrix"),
        (Tab::Compare, "tab-compare", "panel-compare", "Compare"),
    ];
    for (t, id, panel, label) in tabs {
        let on = t == tab;
        m.open("button").attr("role", "tab").attr("id", id).attr("aria-controls", panel);
        m.attr("aria-selected", if on { "true" } else { "false" }).attr(crate::markup::ACT_ATTR, id);
        if on {
            m.attr("class", "active");
        }
        if t == Tab::Compare {
            m.attr("data-testid", "tab-compare").attr("title", COMPARE_TITLE);
        }
        m.end().text(label);
        if let Some(count) = compare_count.filter(|c| t == Tab::Compare && !c.is_empty()) {
            m.open("span").attr("class", "tab-count").attr("data-testid", "compare-count").end().text(count);
            m.close("span");
        }
        m.close("button");
    }
    m.leaf("span", "tab-note", note.unwrap_or("")).close("div");
    m.finish().0
}

/// The notices under the header: a link that could not be opened, the
/// shared scenario being shown, and the picked preset's lesson.
fn notices_markup(
    share_error: Option<&str>,
    viewing_shared: bool,
    lesson: Option<&Preset>,
    lesson_open: bool,
) -> String {
    let mut m = Markup::default();
    let icon_button = |m: &mut Markup, act: &str, label: &str| {
        m.open("button").attr("class", "icon-btn").attr("aria-label", label).attr(crate::markup::ACT_ATTR, act);
        m.end().text("✕").close("button");
    };
    if let Some(msg) = share_error {
        m.open("div").attr("class", "banner error").attr("role", "alert").attr("data-testid", "share-error").end();
        m.leaf("span", "", &format!("This link could not be opened: {msg} Your own scenario is shown."));
        icon_button(&mut m, "share-dismiss", "Dismiss");
        m.close("div");
    }
    if viewing_shared {
        m.open("div").attr("class", "banner").attr("role", "status").attr("data-testid", "shared-banner").end();
        m.leaf("span", "", "Opened a shared scenario · ");
        m.act_button("link", "back-to-mine", "back-to-mine", "Back to my scenario");
        m.leaf("span", "muted", " (editing it makes it yours)").close("div");
    }
    if let Some(p) = lesson {
        m.open("aside")
            .class("lesson", &[(lesson_open, "expanded")])
            .attr("aria-label", "What this preset teaches")
            .end();
        m.open("div").attr("class", "lesson-body").end().leaf("strong", "", p.title).text(" ");
        m.leaf("span", "lesson-text", crate::content::preset_lesson(p).unwrap_or(p.summary)).close("div");
        m.open("button").attr("class", "link small lesson-more").attr(crate::markup::ACT_ATTR, "lesson-more");
        m.attr("aria-expanded", if lesson_open { "true" } else { "false" }).end();
        m.text(if lesson_open { "Less" } else { "More" }).close("button");
        icon_button(&mut m, "lesson-dismiss", "Dismiss the lesson");
        m.close("aside");
    }
    m.finish().0
}

/// The message after a preset or lesson replaced the scenario, with Undo.
fn toast_markup(toast: Option<&Toast>) -> String {
    let mut m = Markup::default();
    if let Some(t) = toast {
        m.open("div").attr("class", "toast").attr("role", "status").end().leaf("span", "", &t.message);
        m.act_button("btn small", "toast-undo", "", "Undo");
        m.open("button")
            .attr("class", "icon-btn")
            .attr("aria-label", "Close")
            .attr(crate::markup::ACT_ATTR, "toast-close");
        m.end().text("✕").close("button").close("div");
    }
    m.finish().0
}

/// The problems under the editor, each a button that moves the cursor to
/// its line and column. Written as HTML text ([`crate::markup`]): redrawn
/// whole with every evaluation.
fn error_list(marks: Memo<Vec<Mark>>, editor_ref: NodeRef<html::Textarea>) -> impl IntoView {
    let html = move || marks.with(|ms| error_list_markup(ms));
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(item) = crate::markup::closest(&ev, "[data-pos]") else { return };
        let pos = item.get_attribute("data-pos").unwrap_or_default();
        let mut parts = pos.split(':').map(|n| n.parse::<u32>().ok());
        if let (Some(Some(line)), Some(Some(col)), Some(el)) = (parts.next(), parts.next(), editor_ref.get_untracked())
        {
            dom::jump_to(&el, line, col);
        }
    };
    view! { <div class="error-list-box" inner_html=html on:click=on_click></div> }
}

fn error_list_markup(marks: &[Mark]) -> String {
    let mut m = crate::markup::Markup::default();
    if marks.is_empty() {
        return String::new();
    }
    m.open("ul").attr("class", "error-list").attr("data-testid", "error-list");
    m.attr("aria-label", "Problems in the scenario").end();
    for mark in marks {
        let pos = format!("{}:{}", mark.line, mark.col);
        m.open("li").end().open("button").attr("class", if mark.error { "error-item" } else { "error-item warn" });
        m.attr("data-testid", "error-item").attr("data-pos", &pos).end();
        m.open("span").attr("class", "err-glyph").attr("aria-hidden", "true").end();
        m.text(if mark.error { "✕" } else { "!" }).close("span");
        m.leaf("span", "err-pos", &pos).leaf("span", "err-msg", &mark.message).close("button").close("li");
    }
    m.close("ul");
    m.finish().0
}

fn pickers(
    choice: RwSignal<FlowChoice>,
    evaluated: Memo<Option<Arc<Evaluated>>>,
    reveal: RwSignal<u64>,
) -> impl IntoView {
    // The suggestion lists are built only while a picker has focus: with
    // thousands of pods, rebuilding 2 × N `<option>`s on every result would
    // stall the page when a big evaluation lands. They hold the names that
    // contain what is typed, at most crate::pickers::CAP of them.
    let lists_on = RwSignal::new(false);
    let typed_from = RwSignal::new(String::new());
    let typed_to = RwSignal::new(String::new());
    let set = move |f: fn(&mut FlowChoice, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            choice.update(|c| f(c, v));
            reveal.update(|n| *n += 1);
        }
    };
    view! {
        <div class="pickers" on:focusin=move |_| lists_on.set(true)>
            <label class="field">
                <span>"From"</span>
                <input
                    list="flow-sources"
                    aria-label="Source: a pod or workload (namespace/name) or an IP address"
                    placeholder="namespace/pod or IP"
                    prop:value=move || choice.with(|c| c.from.clone())
                    on:input=move |ev| typed_from.set(event_target_value(&ev))
                    on:change=set(|c, v| c.from = v)
                />
            </label>
            <button
                class="icon-btn swap"
                title="Swap source and destination"
                aria-label="Swap source and destination"
                on:click=move |_| {
                    choice.update(|c| {
                        let to = c.to.strip_prefix(flow_sel::SERVICE_PREFIX).unwrap_or(&c.to).to_string();
                        c.to = std::mem::replace(&mut c.from, to);
                    });
                    reveal.update(|n| *n += 1);
                }
            >
                "⇄"
            </button>
            <label class="field">
                <span>"To"</span>
                <input
                    list="flow-targets"
                    aria-label="Destination: a pod, workload, Service (service:namespace/name) or an IP address"
                    placeholder="namespace/pod, service:ns/name or IP"
                    prop:value=move || choice.with(|c| c.to.clone())
                    on:input=move |ev| typed_to.set(event_target_value(&ev))
                    on:change=set(|c, v| c.to = v)
                />
            </label>
            <label class="field narrow">
                <span>"Probe"</span>
                <input
                    list="flow-probes"
                    aria-label="Protocol and port, e.g. TCP/80"
                    placeholder="TCP/80"
                    prop:value=move || choice.with(|c| c.probe.clone())
                    on:change=set(|c, v| c.probe = v)
                />
            </label>
            // The suggestions are HTML text (crate::markup): option lists redrawn as the user types.
            <datalist id="flow-sources" inner_html=move || {
                if !lists_on.get() {
                    return String::new();
                }
                evaluated.with(|ev| typed_from.with(|q| ev.as_deref().map(|ev| suggestions_markup(ev, q, false)).unwrap_or_default()))
            }></datalist>
            <datalist id="flow-targets" inner_html=move || {
                if !lists_on.get() {
                    return String::new();
                }
                evaluated.with(|ev| typed_to.with(|q| ev.as_deref().map(|ev| suggestions_markup(ev, q, true)).unwrap_or_default()))
            }></datalist>
            <datalist id="flow-probes" inner_html=move || {
                if !lists_on.get() {
                    return String::new();
                }
                evaluated.with(|ev| {
                    let probes: Vec<String> = ev.iter().flat_map(|ev| ev.probes.iter().map(|p| p.to_string())).collect();
                    options_markup(probes.iter().map(|p| (p.as_str(), "")))
                })
            }></datalist>
        </div>
    }
}

/// The `<option>`s of a flow end's suggestions for `typed`: the pods and
/// workloads (`namespace/name`), with `services` the Services
/// (`service:namespace/name`), then the external addresses with their labels.
fn suggestions_markup(ev: &Evaluated, typed: &str, services: bool) -> String {
    let s = &ev.scenario;
    let ends = s.endpoints.len();
    let count = ends + if services { s.services.len() } else { 0 };
    let picks = crate::pickers::suggestions_written(count, typed, |i, name| {
        let (prefix, namespace, object) = match s.endpoints.get(i) {
            Some(e) => ("", &e.namespace, &e.name),
            None => match s.services.get(i - ends) {
                Some(v) => (flow_sel::SERVICE_PREFIX, &v.namespace, &v.name),
                None => return,
            },
        };
        name.push_str(prefix);
        name.push_str(namespace);
        name.push('/');
        name.push_str(object);
    });
    let externals: Vec<(String, &str)> =
        ev.externals.iter().map(|x| (x.address.to_string(), x.label.as_str())).collect();
    let picks = picks.iter().map(|p| (p.as_str(), ""));
    options_markup(picks.chain(externals.iter().map(|(a, l)| (a.as_str(), *l))))
}

/// `<option value=…>label</option>` for each `(value, label)`.
fn options_markup<'a>(options: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut m = crate::markup::Markup::default();
    for (value, label) in options {
        m.open("option").attr("value", value).end().text(label).close("option");
    }
    m.finish().0
}

/// The share popover: the link, selected, with what happened to the
/// clipboard; a download instead when the link is too long to paste. The
/// browser compresses the link ([`share_link::link`]), so it appears a moment
/// after the popover.
#[component]
fn SharePopover(
    state: Signal<Result<SharedState, String>>,
    on_close: Callback<()>,
    on_download: Callback<()>,
) -> impl IntoView {
    // Always `Some`: an `Option<String>` signal, a type the page has anyway.
    let status = RwSignal::new(Some("Making the link…".to_string()));
    // The link once made, or why there is none.
    let made = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let wanted = state.get_untracked();
    leptos::task::spawn_local(async move {
        let link = match wanted {
            Ok(st) => share_link::link(&share_link::page_base(), &st).await,
            Err(e) => Err(e),
        };
        if let Ok(l) = &link {
            status.set(Some("Copying…".into()));
            share_link::copy(l, move |ok| {
                status.set(Some(
                    if ok {
                        "Link copied to the clipboard."
                    } else {
                        "Copy the selected link with Ctrl+C (the browser refused the clipboard)."
                    }
                    .into(),
                ));
                if !ok {
                    share_link::select_input("share-url");
                }
            });
            request_animation_frame(|| share_link::select_input("share-url"));
        }
        match link {
            Ok(l) => made.set(Some(l)),
            Err(e) => failed.set(Some(e)),
        }
    });
    // Two regions, so that a new status does not write the link's input
    // again and lose its selection.
    let status_part = move || {
        let mut m = Markup::default();
        if failed.with(Option::is_none) {
            m.open("p")
                .attr("class", "share-status")
                .attr("role", "status")
                .end()
                .text(status.with(|s| s.clone().unwrap_or_default()).as_str())
                .close("p");
        }
        m.finish().0
    };
    let link_part = move || made.with(|l| failed.with(|e| share_markup(l.as_deref(), e.as_deref())));
    let on_click = move |ev: web_sys::MouseEvent| match crate::markup::act_at(&ev).as_deref() {
        Some("download") => on_download.run(()),
        Some("close") => on_close.run(()),
        _ => {}
    };
    view! {
        <div
            class="popover share-pop"
            role="dialog"
            aria-label="Share link"
            data-testid="share-popover"
            on:click=on_click
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            {region(Box::new(status_part))}
            {region(Box::new(link_part))}
            <button class="icon-btn close" aria-label="Close" data-act="close">"✕"</button>
        </div>
    }
}

/// The share popover's link, selected by the caller, or why there is none;
/// a download instead when the link is too long to paste.
fn share_markup(link: Option<&str>, failed: Option<&str>) -> String {
    let mut m = Markup::default();
    let download = |m: &mut Markup| {
        m.act_button("btn", "download", "download-yaml", "Download scenario (.yaml)");
    };
    match (link, failed) {
        (_, Some(e)) => {
            m.leaf("p", "share-warn", e);
            download(&mut m);
        }
        (None, None) => {}
        (Some(link), None) => {
            m.open("input").attr("id", "share-url").attr("class", "share-url").attr("data-testid", "share-link");
            m.flag("readonly", true).attr("value", link).end();
            if let Some(w) = share::link_length_warning(link.len()) {
                m.open("p").attr("class", "share-warn").attr("data-testid", "share-long").end().text(w).close("p");
                download(&mut m);
            }
            m.leaf("p", "muted small", "The scenario travels in the link after the #: no server sees it.");
        }
    }
    m.finish().0
}
