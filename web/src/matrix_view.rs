//! The matrix tab: source × destination for one probe, headers grouped by
//! namespace, every cell a button that opens its flow in the inspector.
//! Cells read the core's fast [`Matrix`]; nothing is decided here.

use std::sync::Arc;

use leptos::prelude::*;
use netpol_core::matrix::{matrix, Matrix};
use netpol_core::{Probe, Scenario};

use crate::flow_sel::FlowChoice;
use crate::markup::{closest, Markup};
use crate::state::Evaluated;

/// Above this many endpoints the table shows only the first ones (a
/// 100 × 100 table is already more than a person reads; the graph's
/// namespace view is the tool for big clusters).
pub const TABLE_LIMIT: usize = 80;

/// Above this many endpoints a probe the scenario does not name is not
/// computed on the fly: that is a whole matrix, seconds of work on the
/// input path for a 150,000-pod cluster (issue 5).
pub const EXTRA_PROBE_LIMIT: usize = 5_000;

/// A namespace and its endpoints (indices, input order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The namespace.
    pub namespace: String,
    /// Endpoint indices.
    pub members: Vec<usize>,
}

/// Everything the table draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The probe.
    pub probe: Probe,
    /// Namespace groups, sorted by name; rows and columns follow this order.
    pub groups: Vec<Group>,
    /// `namespace/name` per endpoint index shown.
    pub labels: Vec<(usize, String, String)>,
    /// `allowed[r][c]` for the `r`-th and `c`-th shown endpoints.
    pub allowed: Vec<Vec<bool>>,
    /// Per shown endpoint: isolated for ingress, for egress.
    pub isolated: Vec<(bool, bool)>,
    /// Endpoints left out because of [`TABLE_LIMIT`] or the filter.
    pub hidden: usize,
}

/// Why no table is drawn for a probe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoTable {
    /// The probe is not one the scenario names, and the scenario is too big
    /// to compute a matrix for it on the fly ([`EXTRA_PROBE_LIMIT`]).
    UnnamedProbe(Probe),
}

/// Groups the first `limit` endpoints whose namespace contains `filter`
/// (all for an empty one) by namespace (namespaces sorted by name,
/// endpoints in input order within one).
pub fn groups(scenario: &Scenario, filter: &str, limit: usize) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let filter = filter.trim();
    let mut shown: Vec<(usize, &str)> = scenario
        .endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| e.namespace.contains(filter))
        .take(limit)
        .map(|(i, e)| (i, e.namespace.as_str()))
        .collect();
    netpol_core::sort::sort_by(&mut shown, |a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)));
    for (i, ns) in shown {
        match groups.last_mut() {
            Some(g) if g.namespace == ns => g.members.push(i),
            _ => groups.push(Group { namespace: ns.to_string(), members: vec![i] }),
        }
    }
    groups
}

/// Builds the table for `probe` over the endpoints whose namespace contains
/// `filter`, from the evaluated tables, running the fast engine for this
/// one probe when the scenario does not name it (up to
/// [`EXTRA_PROBE_LIMIT`] endpoints).
pub fn table(ev: &Evaluated, probe: Probe, filter: &str) -> Result<Table, NoTable> {
    let extra;
    let (m, p): (&Matrix, usize) = match ev.matrix.probes().iter().position(|q| *q == probe) {
        Some(p) => (&ev.matrix, p),
        None if ev.scenario.endpoints.len() > EXTRA_PROBE_LIMIT => return Err(NoTable::UnnamedProbe(probe)),
        None => {
            extra = matrix(&ev.scenario, &[probe]);
            (&extra, 0)
        }
    };
    let n = ev.scenario.endpoints.len().min(m.len());
    let groups = groups(&ev.scenario, filter, TABLE_LIMIT);
    let order: Vec<usize> = groups.iter().flat_map(|g| g.members.iter().copied()).collect();
    let labels = order
        .iter()
        .filter_map(|&i| ev.scenario.endpoints.get(i).map(|e| (i, e.namespace.clone(), e.name.clone())))
        .collect();
    let allowed = order.iter().map(|&i| order.iter().map(|&j| m.allowed(p, i, j)).collect()).collect();
    let isolated = order.iter().map(|&i| (m.isolated_ingress(i), m.isolated_egress(i))).collect();
    Ok(Table { probe, groups, labels, allowed, isolated, hidden: n.saturating_sub(order.len()) })
}

/// The matrix tab.
#[component]
pub fn MatrixView(
    /// What to draw from.
    #[prop(into)]
    evaluated: Memo<Option<Arc<Evaluated>>>,
    /// The probe, as typed (`TCP/80`).
    probe: RwSignal<String>,
    /// The flow in the inspector, to mark its cell.
    selected: RwSignal<FlowChoice>,
    /// A cell was clicked: `(from, to, probe)`.
    on_pick: Callback<(String, String, String)>,
) -> impl IntoView {
    // Cheap: parsed where it is read, not memoised (one memo type fewer).
    let parsed = move || probe.with(|p| Probe::parse(p));
    // Which namespaces the table shows, for clusters bigger than a table.
    let filter = RwSignal::new(String::new());
    let table = Memo::new(move |_| {
        let ev = evaluated.get()?;
        let probe = parsed()?;
        Some(filter.with(|f| table(&ev, probe, f)))
    });
    let big =
        Memo::new(move |_| evaluated.with(|e| e.as_ref().is_some_and(|e| e.scenario.endpoints.len() > TABLE_LIMIT)));

    view! {
        <div class="matrix-tab">
            <div class="toolbar">
                <label class="field">
                    <span>"Probe"</span>
                    <select
                        aria-label="Probe used in the scenario"
                        on:change=move |ev| probe.set(event_target_value(&ev))
                        inner_html=move || {
                            probe.with(|current| evaluated.with(|e| probe_options(e.as_ref().map_or(&[], |e| &e.probes), current)))
                        }
                    ></select>
                </label>
                <label class="field">
                    <span>"or type"</span>
                    <input
                        class="probe-input"
                        aria-label="Any probe, e.g. TCP/8080 or UDP/53"
                        placeholder="TCP/8080"
                        prop:value=move || probe.get()
                        on:change=move |ev| probe.set(event_target_value(&ev))
                    />
                </label>
                // Hidden, not unmounted: a `Show` costs the page more than an attribute.
                <label class="field" hidden=move || !(big.get() || filter.with(|f| !f.is_empty()))>
                    <span>"Namespace"</span>
                    <input
                        data-testid="matrix-filter"
                        aria-label="Show only namespaces whose name contains this text"
                        placeholder="part of a name"
                        prop:value=move || filter.get()
                        on:change=move |ev| filter.set(event_target_value(&ev))
                    />
                </label>
                <span class="legend" aria-hidden="true" inner_html=LEGEND></span>
            </div>
            {move || match (table.get(), parsed()) {
                (Some(Ok(t)), Some(_)) if !t.labels.is_empty() => table_view(t, selected, on_pick).into_any(),
                (table, parsed) => {
                    let why = no_table_text(table.as_ref(), parsed.is_some(), filter.with(|f| !f.is_empty()));
                    view! { <div class="part" inner_html=why></div> }.into_any()
                }
            }}
        </div>
    }
}

/// The toolbar's key to the cells' glyphs.
const LEGEND: &str = concat!(
    r#"<span class="cell-glyph allowed">✓</span> allowed "#,
    r#"<span class="cell-glyph denied">✕</span> denied "#,
    r#"<span class="iso">in</span>/<span class="iso">out</span> isolated"#,
);

/// The probe list's options: the scenario's probes, and the typed one
/// first when it is not among them; the typed one is selected.
fn probe_options(probes: &[Probe], current: &str) -> String {
    let mut m = Markup::default();
    let probes: Vec<String> = probes.iter().map(Probe::to_string).collect();
    let typed = (!probes.iter().any(|p| p == current)).then_some(current);
    for p in typed.into_iter().chain(probes.iter().map(String::as_str)) {
        m.open("option").attr("value", p).flag("selected", p == current).end().text(p).close("option");
    }
    m.finish().0
}

/// Why there is no table, as a paragraph.
fn no_table_text(table: Option<&Result<Table, NoTable>>, probe_parses: bool, filtering: bool) -> String {
    let mut m = Markup::default();
    m.open("p").attr("class", "empty");
    let text = match table {
        _ if !probe_parses => "Type a probe like TCP/80, UDP/53 or 8080.".to_owned(),
        None => "Nothing to show yet.".to_owned(),
        Some(Err(NoTable::UnnamedProbe(p))) => {
            m.attr("data-testid", "matrix-unnamed-probe");
            format!("No policy names {p}, and at this size the page computes only the probes the policies name (see the list). Pick one of them.")
        }
        Some(Ok(_)) if filtering => "No namespace contains that text.".to_owned(),
        Some(Ok(_)) => "No pods or workloads in the scenario yet.".to_owned(),
    };
    m.end().text(&text).close("p");
    m.finish().0
}

/// The "in"/"out" chips of an endpoint isolated for ingress/egress.
fn iso_chips(m: &mut Markup, (ingress, egress): (bool, bool)) {
    for (on, dir, word) in [(ingress, "ingress", "in"), (egress, "egress", "out")] {
        if on {
            let what = ["isolated for ", dir].concat();
            m.open("span").attr("class", "iso").attr("title", &what).attr("aria-label", &what).end();
            m.text(word).close("span");
        }
    }
}

/// The table for `t`, written as HTML text ([`crate::markup`]): up to
/// [`TABLE_LIMIT`]² cells, redrawn whole when the result, the probe or the
/// filter changes. One click listener reads the clicked cell's
/// `data-from`/`data-to`; the selected cell's mark is moved by an effect
/// instead of redrawing the table.
fn table_view(t: Table, selected: RwSignal<FlowChoice>, on_pick: Callback<(String, String, String)>) -> impl IntoView {
    let probe = t.probe.to_string();
    let names: Vec<String> = t.labels.iter().map(|(_, ns, n)| format!("{ns}/{n}")).collect();
    let html = selected.with_untracked(|c| table_markup(&t, &names, (&c.from, &c.to)));
    let root = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(root) = root.get() else { return };
        selected.with(|c| mark_selected(&root, &names, &c.from, &c.to));
    });
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(cell) = closest(&ev, "button.cell") else { return };
        let end = |name| cell.get_attribute(name).unwrap_or_default();
        on_pick.run((end("data-from"), end("data-to"), probe.clone()));
    };
    view! { <div class="matrix-table" node_ref=root inner_html=html on:click=on_click></div> }
}

/// Moves the `selected` class to the cell of `from` → `to`, if it is shown.
fn mark_selected(root: &web_sys::Element, names: &[String], from: &str, to: &str) {
    if let Ok(Some(old)) = root.query_selector(".cell.selected") {
        let _ = old.class_list().remove_1("selected");
    }
    let index = |name: &str| names.iter().position(|n| n == name);
    let (Some(r), Some(c)) = (index(from), index(to)) else { return };
    // Rows of the body are the endpoints in order; a row's `td`s are its cells.
    let selector = format!("tbody tr:nth-child({}) td:nth-of-type({}) > .cell", r + 1, c + 1);
    if let Ok(Some(cell)) = root.query_selector(&selector) {
        let _ = cell.class_list().add_1("selected");
    }
}

fn table_markup(t: &Table, names: &[String], (sel_from, sel_to): (&str, &str)) -> String {
    let mut m = Markup::default();
    let probe = t.probe.to_string();
    m.open("div").attr("class", "matrix-scroll").end();
    m.open("table")
        .attr("data-testid", "matrix")
        .attr("class", "matrix")
        .attr("aria-label", &format!("Who can connect to whom on {probe}"))
        .end();
    m.open("thead").end().open("tr").end();
    m.open("th").attr("class", "corner").attr("rowspan", "2").attr("colspan", "2").attr("scope", "col").end();
    m.leaf("span", "corner-to", "to →").leaf("span", "corner-from", "from ↓").close("th");
    for g in &t.groups {
        m.open("th").attr("scope", "colgroup").attr("class", "ns-h col-ns");
        m.attr("colspan", &g.members.len().to_string()).end().text(&g.namespace).close("th");
    }
    m.close("tr").open("tr").end();
    for ((_, _, name), iso) in t.labels.iter().zip(&t.isolated) {
        m.open("th").attr("scope", "col").attr("class", "col-h").end().leaf("span", "name", name);
        iso_chips(&mut m, *iso);
        m.close("th");
    }
    m.close("tr").close("thead").open("tbody").end();
    let mut row = 0usize;
    for g in &t.groups {
        for k in 0..g.members.len() {
            let from = names.get(row).map_or("", String::as_str);
            let (_, _, name) = t.labels.get(row).cloned().unwrap_or_default();
            m.open("tr");
            if k == 0 {
                m.attr("class", "group-start").end();
                m.open("th").attr("scope", "rowgroup").attr("class", "ns-h row-ns");
                m.attr("rowspan", &g.members.len().to_string()).end().text(&g.namespace).close("th");
            } else {
                m.end();
            }
            m.open("th").attr("scope", "row").attr("class", "row-h").end().leaf("span", "name", &name);
            iso_chips(&mut m, t.isolated.get(row).copied().unwrap_or_default());
            m.close("th");
            for (c, &ok) in t.allowed.get(row).map_or(&[][..], Vec::as_slice).iter().enumerate() {
                let to = names.get(c).map_or("", String::as_str);
                let to_isolated = t.isolated.get(c).is_some_and(|(ingress, _)| *ingress);
                let label = format!("{from} to {to} on {probe}: {}", if ok { "allowed" } else { "denied" });
                let selected = from == sel_from && to == sel_to;
                m.open("td").end().open("button");
                m.class("cell", &[(ok, "allowed"), (!ok, "denied"), (selected, "selected")]);
                m.attr("data-testid", "matrix-cell");
                m.attr("data-from", from).attr("data-to", to).attr("data-allowed", if ok { "true" } else { "false" });
                m.attr("data-to-isolated", if to_isolated { "true" } else { "false" });
                m.attr("aria-label", &label).attr("title", &label).end();
                m.text(if ok { "✓" } else { "✕" }).close("button").close("td");
            }
            m.close("tr");
            row += 1;
        }
    }
    m.close("tbody").close("table").close("div");
    if t.hidden > 0 {
        m.open("p").attr("class", "note").attr("data-testid", "matrix-hidden").end();
        m.text(&format!(
            "{} more endpoints are not shown (at most {TABLE_LIMIT} at a time): type part of a namespace name above to pick which, or use the graph's namespace view.",
            t.hidden
        ));
        m.close("p");
    }
    m.finish().0
}

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_core::parse::parse_str;

    const TWO_NS: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: b1, namespace: b}
---
apiVersion: v1
kind: Pod
metadata: {name: a1, namespace: a}
---
apiVersion: v1
kind: Pod
metadata: {name: b2, namespace: b}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: b}
spec:
  podSelector: {}
  policyTypes: [Ingress]
";

    #[test]
    fn endpoints_are_grouped_by_sorted_namespace_in_input_order() {
        let out = parse_str(TWO_NS);
        let g = groups(&out.scenario, "", usize::MAX);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].namespace, "a");
        assert_eq!(g[1].namespace, "b");
        assert_eq!(g[1].members.len(), 2);
        assert!(g[1].members[0] < g[1].members[1]);
    }

    #[test]
    fn table_copies_the_core_verdicts_for_unnamed_probes_too() {
        let out = parse_str(TWO_NS);
        assert!(!out.has_errors(), "{:?}", out.diagnostics);
        let ev = Evaluated::new(out.scenario);
        let t = table(&ev, Probe::parse("TCP/8443").expect("probe"), "").expect("small enough");
        assert_eq!(t.labels.len(), 3);
        // Row/column 0 is a/a1; 1 and 2 are b's pods, isolated for ingress.
        assert_eq!(t.isolated[1], (true, false));
        assert!(t.allowed[1][0], "b -> a is not restricted");
        assert!(!t.allowed[0][1], "a -> b is denied by the deny-all ingress policy");
        assert_eq!(t.hidden, 0);
    }

    #[test]
    fn a_namespace_filter_picks_the_rows_and_columns() {
        let out = parse_str(TWO_NS);
        let ev = Evaluated::new(out.scenario);
        let t = table(&ev, Probe::parse("TCP/80").expect("probe"), " b ").expect("small enough");
        assert_eq!(t.labels.iter().map(|l| l.2.as_str()).collect::<Vec<_>>(), ["b1", "b2"]);
        assert_eq!(t.hidden, 1);
        assert!(!t.allowed[0][1], "b -> b is denied by b's deny-all ingress");
    }

    #[test]
    fn big_scenarios_do_not_compute_unnamed_probes_on_the_fly() {
        let mut y = String::new();
        for i in 0..=EXTRA_PROBE_LIMIT {
            y.push_str(&format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: n{}}}\n", i % 7));
        }
        let ev = Evaluated::new(parse_str(&y).scenario);
        let named = ev.probes[0];
        let t = table(&ev, named, "n3").expect("a named probe");
        assert_eq!(t.labels.len(), TABLE_LIMIT);
        assert!(t.labels.iter().all(|l| l.1 == "n3"));
        let other = Probe::parse("UDP/53").expect("probe");
        assert_eq!(table(&ev, other, ""), Err(NoTable::UnnamedProbe(other)));
    }
}
