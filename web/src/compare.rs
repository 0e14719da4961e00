//! Compare mode: a second version of the scenario ("after my change"),
//! edited in its own editor and evaluated like the main text (debounced, by
//! its own [`Pipeline`]); the flows that change between the two versions,
//! as `netpol_core::diff` finds them, each with both explanations side by
//! side.
//!
//! The page owns one [`Compare`]; [`ComparePanel`] is its tab panel.
//! [`Compare::after_for_graph`] is what the allow graph draws added and
//! removed arrows from (`None` while compare mode is off).
//!
//! With a large document (crate::large) the main editor holds only "your
//! changes"; the after editor then holds the after version of those
//! changes, and both versions are evaluated with the same document in
//! front, so the diff shows what the change does to the whole cluster.

use std::sync::Arc;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use netpol_core::diff::{diff_matrices, probes, Change, Diff};
use netpol_core::parse::Severity;
use netpol_core::Span;

use crate::editor::{Editor, Mark};
use crate::flow_sel::{self, FlowChoice};
use crate::highlight;
use crate::inspector::InspectorBody;
use crate::inspector_vm::{inspector_data, InspectorData};
use crate::large::{self, Large, Place};
use crate::markup::{act_at, each_indexed, index_at, region, Markup};
use crate::pipeline::Pipeline;
use crate::state::{Evaluated, Shown};
use crate::text;

/// How long typing in the after editor must pause before it is evaluated
/// (the main editor's delay).
const DEBOUNCE: Duration = Duration::from_millis(200);

/// The most changed flows explained and listed; the rest are counted. Two
/// versions of a big cluster can differ in tens of thousands of flows,
/// and each listed flow costs two explanations.
pub const LIST_CAP: usize = 500;

/// A diff compared by identity, so a `Memo` notifies only on a new one.
#[derive(Clone, Debug)]
pub struct DiffResult(pub Arc<Diff>);

impl PartialEq for DiffResult {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Compare mode's state.
#[derive(Clone, Copy)]
pub struct Compare {
    /// Whether compare mode is on.
    pub on: RwSignal<bool>,
    /// The after text, as the after editor holds it.
    pub text: RwSignal<String>,
    debounced: RwSignal<String>,
    pipeline: Pipeline,
    /// The page's large document, evaluated in front of the after text too.
    large: RwSignal<Option<Arc<Large>>>,
    /// The after version's evaluation (the last valid one while the text
    /// has errors), whether or not compare mode is on.
    pub after: Memo<Option<Arc<Evaluated>>>,
    /// The main inspector's flow, when picked from the list.
    selected: RwSignal<Option<Change>>,
}

impl Compare {
    /// Compare mode, on with `initial` as the after text when a link
    /// carried one, else off; `large` is the page's large document.
    pub fn new(initial: Option<String>, large: RwSignal<Option<Arc<Large>>>) -> Compare {
        let on = RwSignal::new(initial.is_some());
        let start = initial.unwrap_or_default();
        let text = RwSignal::new(start.clone());
        let debounced = RwSignal::new(start.clone());
        let evaluated = move |t: &str| large.with_untracked(|l| large::evaluated_text(l.as_deref(), t));
        let pipeline = Pipeline::new(&if on.get_untracked() { evaluated(&start) } else { String::new() });
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
        // Evaluated only while compare mode is on: behind a large document the
        // after version is the whole cluster again, which must not cost the
        // page a second evaluation nobody looks at.
        Effect::new(move |_| {
            large.track();
            if on.get() {
                debounced.with(|t| pipeline.submit(&evaluated(t)))
            }
        });
        let analysis = pipeline.analysis;
        let after = Memo::new(move |_| analysis.with(|a| a.shown(false).1));
        Compare { on, text, debounced, pipeline, large, after, selected: RwSignal::new(None) }
    }

    /// Turns compare mode on; the after version starts as a copy of
    /// `current` unless one is already being edited.
    pub fn start(self, current: &str) {
        if !self.on.get_untracked() {
            if self.text.with_untracked(String::is_empty) {
                self.set_text(current);
            }
            self.on.set(true);
        }
    }

    /// Replaces the after text and evaluates it at once.
    pub fn set_text(self, s: &str) {
        if self.text.with_untracked(|t| t != s) {
            self.text.set(s.to_string());
        }
        self.debounced.set(s.to_string());
    }

    /// Turns compare mode off (the after text is kept for next time).
    pub fn stop(self) {
        self.on.set(false);
        self.selected.set(None);
    }

    /// Opens what a link carries: compare mode with `text`, or off.
    pub fn open_shared(self, text: Option<&str>) {
        match text {
            Some(t) => {
                self.set_text(t);
                self.on.set(true);
            }
            None => self.stop(),
        }
    }

    /// The after text for a share link: `Some` while compare mode is on.
    pub fn shared_text(self) -> Option<String> {
        self.on.get().then(|| self.text.get())
    }

    /// The after version for the allow graph: `None` while compare mode is
    /// off.
    pub fn after_for_graph(self) -> Memo<Option<Arc<Evaluated>>> {
        Memo::new(move |_| if self.on.get() { self.after.get() } else { None })
    }

    /// The diff between `before` and the after version while compare mode
    /// is on.
    pub fn diff(self, before: Memo<Option<Arc<Evaluated>>>) -> Memo<Option<DiffResult>> {
        Memo::new(move |_| {
            if !self.on.get() {
                return None;
            }
            let (b, a) = (before.get()?, self.after.get()?);
            Some(DiffResult(Arc::new(diff_between(&b, &a))))
        })
    }
}

/// The core's diff of two evaluated versions on the union of their probes,
/// reusing their matrices when the probes are the same.
pub fn diff_between(before: &Evaluated, after: &Evaluated) -> Diff {
    let probes = probes(Vec::new(), &before.scenario, &after.scenario);
    diff_matrices((&before.scenario, &before.matrix), (&after.scenario, &after.matrix), &probes, LIST_CAP)
}

/// The tab label's counts: `+2 −1`, or empty when nothing changed.
pub fn counts_label(d: &Diff) -> String {
    let (plus, minus) = (d.newly_allowed.len(), d.newly_denied.len());
    let more = if d.omitted > 0 { "…" } else { "" };
    match (plus, minus) {
        (0, 0) if d.omitted == 0 => String::new(),
        _ => format!("+{plus} −{minus}{more}"),
    }
}

/// The inspector content for `change` in one version.
fn side_data(ev: Option<&Evaluated>, change: &Change, after: bool) -> InspectorData {
    let Some(ev) = ev else {
        return InspectorData::Message("This version has no valid result yet.".into());
    };
    let outcome = if after { &change.after } else { &change.before };
    if !outcome.present() {
        let why = outcome.reason.trim_start_matches("absent — ").replace("this scenario", "this version");
        return InspectorData::Message(format!("{why}: the flow cannot happen here."));
    }
    let choice = FlowChoice { from: change.from.clone(), to: change.to.clone(), probe: change.probe.to_string() };
    inspector_data(&ev.scenario, &flow_sel::inspect(&ev.scenario, &choice))
}

/// The line of the after editor that line `line` of the evaluated text is
/// (`None` for a line of the large document in front of it).
fn after_line(large: Option<&Large>, line: u32) -> Option<u32> {
    match large.map(|l| l.place(line)) {
        None => Some(line),
        Some(Place::Changes(line)) => Some(line),
        Some(Place::Large(_)) => None,
    }
}

/// The after editor's marks: diagnostics of its own lines (the large
/// document's are shown in the main pane).
fn marks_of(a: &crate::state::Analysis, large: Option<&Large>) -> Vec<Mark> {
    a.diagnostics
        .iter()
        .filter(|d| d.span.source == highlight::EDITOR_SOURCE)
        .filter_map(|d| Some((after_line(large, d.span.start.line)?, d)))
        .map(|(line, d)| Mark {
            line: line.max(1),
            col: d.span.start.col.max(1),
            error: d.severity == Severity::Error,
            message: if d.path.is_empty() { d.message.clone() } else { format!("{}: {}", d.path, d.message) },
        })
        .collect()
}

/// The compare tab's panel: the after editor, the changed flows, and the
/// chosen flow explained before and after.
#[component]
pub fn ComparePanel(
    /// Compare mode's state.
    compare: Compare,
    /// The main (before) version.
    before: Memo<Option<Arc<Evaluated>>>,
    /// The diff ([`Compare::diff`]).
    diff: Memo<Option<DiffResult>>,
    /// Shows a flow in the main inspector.
    on_pick: Callback<FlowChoice>,
    /// Highlights spans of the main (before) text.
    on_focus_before: Callback<Vec<Span>>,
    /// Copies the main text into the after editor.
    on_reset: Callback<()>,
    /// Leaves compare mode.
    on_close: Callback<()>,
) -> impl IntoView {
    let analysis = compare.pipeline.analysis;
    let large = compare.large;
    let marks = Memo::new(move |_| large.with(|l| analysis.with(|a| marks_of(a, l.as_deref()))));
    let after_focus = RwSignal::new(None::<Vec<Span>>);
    let line_count = Memo::new(move |_| compare.text.with(|t| text::line_count(t)));
    let highlight_lines = Memo::new(move |_| {
        let lines = after_focus.with(|s| highlight::lines_of(s.as_deref().unwrap_or_default(), u32::MAX));
        large.with(|l| {
            let count = line_count.get();
            lines.into_iter().filter_map(|n| after_line(l.as_deref(), n)).filter(|&n| n <= count).collect::<Vec<_>>()
        })
    });
    let editor_ref = NodeRef::<html::Textarea>::new();
    let on_focus_after = Callback::new(move |spans: Vec<Span>| after_focus.set(Some(spans)));
    let stale = move || analysis.with(|a| a.shown(false).0 != Shown::Fresh);
    let selected = compare.selected;
    // A new diff drops a selection it no longer lists.
    Effect::new(move |_| {
        diff.with(|d| {
            let listed = |c: &Change| {
                d.as_ref().is_some_and(|d| d.0.newly_allowed.iter().chain(&d.0.newly_denied).any(|x| same_flow(x, c)))
            };
            if selected.with_untracked(|s| s.as_ref().is_some_and(|c| !listed(c))) {
                selected.set(None);
                after_focus.set(None);
            }
        })
    });
    let pick = move |c: Change| {
        on_pick.run(FlowChoice { from: c.from.clone(), to: c.to.clone(), probe: c.probe.to_string() });
        after_focus.set(None);
        selected.set(Some(c));
        // Bring the explanations into view (below the list).
        request_animation_frame(|| {
            if let Ok(Some(el)) = document().query_selector("[data-testid=compare-explain]") {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        });
    };
    // Each side's explanation of the selected change (shown only while one
    // is selected, so without one it is an empty message).
    let side = move |after: bool| {
        selected.with(|c| match c {
            Some(c) if after => compare.after.with(|a| side_data(a.as_deref(), c, true)),
            Some(c) => before.with(|b| side_data(b.as_deref(), c, false)),
            None => InspectorData::Message(String::new()),
        })
    };
    let before_data = Memo::new(move |_| side(false));
    let after_data = Memo::new(move |_| side(true));

    let on_act = move |ev: web_sys::MouseEvent| match act_at(&ev).as_deref() {
        Some("compare-reset") => on_reset.run(()),
        Some("compare-close") => on_close.run(()),
        _ => {}
    };
    view! {
        <div class="compare" data-testid="compare-panel" on:click=on_act>
            {region(Box::new(move || large.with(|l| head_markup(l.as_ref().map(|l| l.name.as_str())))))}
            <div class="compare-grid">
                <div class="compare-editor" data-testid="compare-editor">
                    <div class="compare-sub">
                        <h3>"After"</h3>
                        {region(Box::new(move || {
                            let mut m = Markup::default();
                            if stale() {
                                m.open("span").attr("class", "badge stale").attr("role", "status").end();
                                m.text("errors · comparing the last valid version").close("span");
                            }
                            m.finish().0
                        }))}
                    </div>
                    <Editor text=compare.text marks=marks highlight=highlight_lines node_ref=editor_ref />
                </div>
                <div class="compare-flows" data-testid="changed-flows" aria-label="Changed flows">
                    {changes_view(diff, selected, pick)}
                </div>
            </div>
            {region(Box::new(move || {
                let any = diff.with(|d| d.as_ref().is_some_and(|d| d.0.changed()));
                let mut m = Markup::default();
                if any && selected.with(Option::is_none) {
                    m.leaf("p", "compare-hint", "Pick a changed flow to see its explanation before and after, side by side.");
                }
                m.finish().0
            }))}
            // Mounted once and hidden without a selection: a conditional view
            // with two inspector bodies costs the page more than an attribute.
            <div class="compare-explain" data-testid="compare-explain" hidden=move || selected.with(Option::is_none)>
                {region(Box::new(move || selected.with(|c| c.as_ref().map(explain_title).unwrap_or_default())))}
                <div class="compare-sides">
                    {side_view("compare-before", "Before", before_data, on_focus_before)}
                    {side_view("compare-after", "After", after_data, on_focus_after)}
                </div>
            </div>
        </div>
    }
}

fn same_flow(a: &Change, b: &Change) -> bool {
    a.from == b.from && a.to == b.to && a.probe == b.probe
}

/// `+` for a newly allowed flow, `−` for a newly denied one: the list and
/// the graph never rely on colour alone.
/// One version's explanation of the selected change.
fn side_view(
    testid: &'static str,
    label: &'static str,
    data: Memo<InspectorData>,
    on_focus: crate::inspector::OnFocus,
) -> impl IntoView {
    view! {
        <section class="compare-side" data-testid=testid aria-label=label>
            <h4>{label}</h4>
            <div class="inspector-body">
                <InspectorBody data=data on_focus=on_focus />
            </div>
        </section>
    }
}

/// The selected change's heading: its glyph and the flow.
fn explain_title(c: &Change) -> String {
    let mut m = Markup::default();
    m.open("h3").attr("class", "compare-explain-title").end();
    let allowed = c.after.allowed;
    m.open("span").class("change-glyph", &[(allowed, "allowed"), (!allowed, "denied")]).attr("aria-hidden", "true");
    m.end().text(glyph(c)).close("span");
    m.text(&format!("{} → {} on {}", c.from, c.to, c.probe)).close("h3");
    m.finish().0
}

fn glyph(c: &Change) -> &'static str {
    if c.after.allowed {
        "+"
    } else {
        "−"
    }
}

/// The changed flows, each a button that shows its explanations. Written as
/// HTML text ([`crate::markup`]) and redrawn whole when the diff changes; a
/// new selection only moves the `selected` mark, so the button keeps focus.
fn changes_view(
    diff: Memo<Option<DiffResult>>,
    selected: RwSignal<Option<Change>>,
    pick: impl Fn(Change) + Copy + 'static,
) -> impl IntoView {
    // The changes listed, by `data-change` index.
    let listed = StoredValue::new(Vec::<Change>::new());
    let html = move || {
        let mut m = Markup::default();
        let mut list = Vec::new();
        diff.with(|d| {
            selected.with_untracked(|sel| changes_markup(&mut m, d.as_ref().map(|d| &*d.0), sel.as_ref(), &mut list))
        });
        listed.set_value(list);
        m.finish().0
    };
    let root = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let Some(root) = root.get() else { return };
        selected.with(|sel| {
            listed.with_value(|l| {
                each_indexed(&root, "data-change", |b, k| {
                    let on = l.get(k).zip(sel.as_ref()).is_some_and(|(c, s)| same_flow(c, s));
                    let _ = b.class_list().toggle_with_force("selected", on);
                    let _ = b.set_attribute("aria-pressed", if on { "true" } else { "false" });
                });
            })
        });
    });
    let on_click = move |ev: web_sys::MouseEvent| {
        if let Some(c) = index_at(&ev, "data-change").and_then(|i| listed.with_value(|l| l.get(i).cloned())) {
            pick(c);
        }
    };
    view! { <div class="changes-box" node_ref=root inner_html=html on:click=on_click></div> }
}

fn changes_markup(m: &mut Markup, d: Option<&Diff>, selected: Option<&Change>, listed: &mut Vec<Change>) {
    let Some(d) = d else {
        m.leaf("p", "empty", "Evaluating both versions…");
        return;
    };
    if !d.changed() {
        m.open("p").attr("class", "empty").attr("data-testid", "no-change").end();
        m.text("No flow changes yet. Edit a policy in the after version to see what it allows or denies.");
        m.close("p");
        return;
    }
    for (label, names) in [("Added endpoints", &d.added_endpoints), ("Removed endpoints", &d.removed_endpoints)] {
        if !names.is_empty() {
            m.leaf("p", "muted small", &format!("{label}: {}", names.join(", ")));
        }
    }
    for (title, kind, list) in
        [("Newly allowed", "allowed", &d.newly_allowed), ("Newly denied", "denied", &d.newly_denied)]
    {
        m.leaf("h3", "changes-title", &format!("{title} ({})", list.len()));
        if list.is_empty() {
            m.leaf("p", "muted small", "None.");
        }
        m.open("ul").attr("class", "changes").attr("role", "list").end();
        for c in list {
            let is_selected = selected.is_some_and(|s| same_flow(s, c));
            m.open("li").end().open("button").class("change", &[(true, kind), (is_selected, "selected")]);
            m.attr("aria-pressed", if is_selected { "true" } else { "false" }).attr("data-testid", "changed-flow");
            m.attr("data-kind", kind).attr("title", &c.after.reason).attr("data-change", &listed.len().to_string());
            m.end().open("span").attr("class", "change-glyph").attr("aria-hidden", "true").end();
            m.text(if kind == "allowed" { "+" } else { "−" }).close("span");
            m.open("span").attr("class", "change-flow").end().leaf("span", "change-end", &c.from);
            m.open("span").attr("class", "change-arrow").attr("aria-hidden", "true").end().text(" → ").close("span");
            m.leaf("span", "change-end", &c.to).close("span").leaf("span", "change-probe", &c.probe.to_string());
            m.close("button").close("li");
            listed.push(c.clone());
        }
        m.close("ul");
    }
    if d.omitted > 0 {
        m.open("p").attr("class", "muted small").attr("data-testid", "changes-omitted").end();
        m.text(&format!("{} more changed flows are not listed (`netpol diff` lists them all).", d.omitted)).close("p");
    }
}

/// What compare mode is, the large document both versions follow (if
/// any), and the panel's two buttons.
fn head_markup(large: Option<&str>) -> String {
    let mut m = Markup::default();
    m.open("div").attr("class", "compare-head").end().open("p").attr("class", "compare-intro").end();
    m.text("The main editor is the ").leaf("strong", "", "before").text(" version; edit the ");
    m.leaf("strong", "", "after")
        .text(" version (your change) here. Pick a changed flow to see why, before and after.");
    if let Some(name) = large {
        m.open("span").attr("class", "compare-large").attr("data-testid", "compare-large").end();
        m.text(" Both versions are evaluated after the large document ").leaf("strong", "", name);
        m.text(": the main editor and this one hold the changes before and after.").close("span");
    }
    m.close("p").open("div").attr("class", "compare-actions").end();
    for (act, label) in [("compare-reset", "Copy the current scenario"), ("compare-close", "Leave compare mode")] {
        m.act_button("btn small ghost", act, act, label);
    }
    m.close("div").close("div");
    m.finish().0
}

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_core::parse::parse_str;

    const BEFORE: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
";

    fn evaluated(text: &str) -> Evaluated {
        Evaluated::new(parse_str(text).scenario)
    }

    /// A default-deny added in the after version: both cross flows become
    /// denied (loopback stays allowed: upstream `Reachability.AllowLoopback`).
    #[test]
    fn a_default_deny_is_listed_as_newly_denied() {
        let deny = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
        let (b, a) = (evaluated(BEFORE), evaluated(&format!("{BEFORE}{deny}")));
        let d = diff_between(&b, &a);
        let flows: Vec<(&str, &str)> = d.newly_denied.iter().map(|c| (c.from.as_str(), c.to.as_str())).collect();
        assert_eq!(flows, [("x/a", "x/b"), ("x/b", "x/a")]);
        assert!(d.newly_allowed.is_empty());
        assert_eq!(counts_label(&d), "+0 −2");
        let c = &d.newly_denied[0];
        assert_eq!(glyph(c), "−");
        match side_data(Some(&a), c, true) {
            InspectorData::Flow(f) => assert!(!f.allowed),
            other => panic!("a flow: {other:?}"),
        }
        match side_data(Some(&b), c, false) {
            InspectorData::Flow(f) => assert!(f.allowed),
            other => panic!("a flow: {other:?}"),
        }
    }

    #[test]
    fn an_absent_endpoint_is_explained_in_words() {
        let (b, a) = (evaluated(BEFORE), evaluated(&BEFORE.replace("name: b,", "name: c,")));
        let d = diff_between(&b, &a);
        let gone = d.newly_denied.iter().find(|c| c.to == "x/b").expect("x/b removed");
        match side_data(Some(&a), gone, true) {
            InspectorData::Message(m) => assert_eq!(m, "x/b not in this version: the flow cannot happen here."),
            other => panic!("a message: {other:?}"),
        }
        assert_eq!(counts_label(&diff_between(&b, &b)), "");
    }

    /// With a large document, both versions are the document plus a text:
    /// a policy added to the after text denies flows of the document's pods,
    /// and the after editor's marks are on its own lines.
    #[test]
    fn with_a_large_document_the_after_text_is_evaluated_after_it() {
        let doc = Large::new("cluster.yaml", BEFORE.to_string());
        let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
        let broken = format!("{deny}---\nkind: Pod\nmetadata: {{name: [}}\n");
        let (b, a) = (evaluated(&large::combine(&doc, "")), evaluated(&large::combine(&doc, deny)));
        let flows: Vec<(String, String)> =
            diff_between(&b, &a).newly_denied.iter().map(|c| (c.from.clone(), c.to.clone())).collect();
        assert_eq!(flows, [("x/a".to_string(), "x/b".to_string()), ("x/b".to_string(), "x/a".to_string())]);

        let analysis = crate::state::Analysis::new(&large::combine(&doc, &broken), None);
        let marks = marks_of(&analysis, Some(&doc));
        assert!(!marks.is_empty() && marks.iter().all(|m| m.line > 5 && m.line <= 7), "{marks:?}");
        assert_eq!(after_line(Some(&doc), doc.offset()), None, "the separator is the document's");
        assert_eq!(after_line(Some(&doc), doc.offset() + 1), Some(1));
        assert_eq!(after_line(None, 3), Some(3));
    }
}
