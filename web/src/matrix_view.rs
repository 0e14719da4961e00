//! The matrix tab: source × destination for one probe, headers grouped by
//! namespace, every cell a button that opens its flow in the inspector.
//! Cells read the core's fast [`Matrix`]; nothing is decided here.

use std::sync::Arc;

use leptos::prelude::*;
use netpol_core::matrix::{matrix, Matrix};
use netpol_core::{Probe, Scenario};

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
    evaluated: Signal<Option<Arc<Evaluated>>>,
    /// The probe, as typed (`TCP/80`).
    probe: RwSignal<String>,
    /// The flow in the inspector, as `(from, to)` labels, to mark its cell.
    #[prop(into)]
    selected: Signal<(String, String)>,
    /// A cell was clicked: `(from, to, probe)`.
    on_pick: Callback<(String, String, String)>,
) -> impl IntoView {
    let parsed = Memo::new(move |_| probe.with(|p| Probe::parse(p)));
    // Which namespaces the table shows, for clusters bigger than a table.
    let filter = RwSignal::new(String::new());
    let table = Memo::new(move |_| {
        let ev = evaluated.get()?;
        let probe = parsed.get()?;
        Some(filter.with(|f| table(&ev, probe, f)))
    });
    let big =
        Memo::new(move |_| evaluated.with(|e| e.as_ref().is_some_and(|e| e.scenario.endpoints.len() > TABLE_LIMIT)));
    let options = Memo::new(move |_| {
        evaluated
            .with(|e| e.as_ref().map(|e| e.probes.iter().map(|p| p.to_string()).collect::<Vec<_>>()))
            .unwrap_or_default()
    });

    view! {
        <div class="matrix-tab">
            <div class="toolbar">
                <label class="field">
                    <span>"Probe"</span>
                    <select
                        aria-label="Probe used in the scenario"
                        on:change=move |ev| probe.set(event_target_value(&ev))
                    >
                        {move || {
                            let current = probe.get();
                            let mut opts = options.get();
                            if !opts.contains(&current) {
                                opts.insert(0, current.clone());
                            }
                            opts.into_iter()
                                .map(|p| {
                                    let selected = p == current;
                                    view! { <option value=p.clone() selected=selected>{p.clone()}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
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
                <Show when=move || big.get() || filter.with(|f| !f.is_empty())>
                    <label class="field">
                        <span>"Namespace"</span>
                        <input
                            data-testid="matrix-filter"
                            aria-label="Show only namespaces whose name contains this text"
                            placeholder="part of a name"
                            prop:value=move || filter.get()
                            on:change=move |ev| filter.set(event_target_value(&ev))
                        />
                    </label>
                </Show>
                <span class="legend" aria-hidden="true">
                    <span class="cell-glyph allowed">"✓"</span>" allowed "
                    <span class="cell-glyph denied">"✕"</span>" denied "
                    <span class="iso">"in"</span>"/"<span class="iso">"out"</span>" isolated"
                </span>
            </div>
            {move || match (table.get(), parsed.get()) {
                (_, None) => view! { <p class="empty">"Type a probe like TCP/80, UDP/53 or 8080."</p> }.into_any(),
                (None, _) => view! { <p class="empty">"Nothing to show yet."</p> }.into_any(),
                (Some(Err(NoTable::UnnamedProbe(p))), _) => view! {
                    <p class="empty" data-testid="matrix-unnamed-probe">
                        {format!("No policy names {p}, and at this size the page computes only the probes the policies name (see the list). Pick one of them.")}
                    </p>
                }.into_any(),
                (Some(Ok(t)), _) if t.labels.is_empty() && filter.with(|f| !f.is_empty()) => view! {
                    <p class="empty">"No namespace contains that text."</p>
                }.into_any(),
                (Some(Ok(t)), _) if t.labels.is_empty() => view! {
                    <p class="empty">"No pods or workloads in the scenario yet."</p>
                }.into_any(),
                (Some(Ok(t)), Some(_)) => table_view(t, selected, on_pick).into_any(),
            }}
        </div>
    }
}

fn iso_chips(isolated: (bool, bool)) -> impl IntoView {
    let (ingress, egress) = isolated;
    view! {
        {ingress.then(|| view! { <span class="iso" title="isolated for ingress" aria-label="isolated for ingress">"in"</span> })}
        {egress.then(|| view! { <span class="iso" title="isolated for egress" aria-label="isolated for egress">"out"</span> })}
    }
}

fn table_view(
    t: Table,
    selected: Signal<(String, String)>,
    on_pick: Callback<(String, String, String)>,
) -> impl IntoView {
    let probe = t.probe.to_string();
    let names: Vec<String> = t.labels.iter().map(|(_, ns, n)| format!("{ns}/{n}")).collect();
    let col_groups = t.groups.clone();
    let header_cols = t
        .labels
        .iter()
        .zip(&t.isolated)
        .map(|((_, _, name), iso)| {
            view! { <th scope="col" class="col-h"><span class="name">{name.clone()}</span>{iso_chips(*iso)}</th> }
        })
        .collect_view();
    let mut rows = Vec::new();
    let mut r = 0usize;
    for g in &t.groups {
        for (k, _) in g.members.iter().enumerate() {
            let row = r;
            let from = names.get(row).cloned().unwrap_or_default();
            let (_, _, name) = t.labels.get(row).cloned().unwrap_or_default();
            let iso = t.isolated.get(row).copied().unwrap_or_default();
            let cells = t
                .allowed
                .get(row)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(c, ok)| {
                    let to = names.get(c).cloned().unwrap_or_default();
                    let to_isolated = t.isolated.get(c).is_some_and(|(ingress, _)| *ingress);
                    let (from, probe) = (from.clone(), probe.clone());
                    let label = format!("{from} to {to} on {probe}: {}", if ok { "allowed" } else { "denied" });
                    let (f2, t2) = (from.clone(), to.clone());
                    let is_sel = move || selected.with(|(a, b)| *a == f2 && *b == t2);
                    view! {
                        <td>
                            <button
                                class="cell"
                                class:allowed=ok
                                class:denied=!ok
                                class:selected=is_sel
                                data-testid="matrix-cell"
                                data-from=from.clone()
                                data-to=to.clone()
                                data-allowed=if ok { "true" } else { "false" }
                                data-to-isolated=if to_isolated { "true" } else { "false" }
                                aria-label=label.clone()
                                title=label
                                on:click=move |_| on_pick.run((from.clone(), to.clone(), probe.clone()))
                            >
                                {if ok { "✓" } else { "✕" }}
                            </button>
                        </td>
                    }
                })
                .collect_view();
            let ns_cell = (k == 0).then(|| {
                view! { <th scope="rowgroup" class="ns-h row-ns" rowspan=g.members.len()>{g.namespace.clone()}</th> }
            });
            rows.push(view! {
                <tr class:group-start=k == 0>
                    {ns_cell}
                    <th scope="row" class="row-h"><span class="name">{name}</span>{iso_chips(iso)}</th>
                    {cells}
                </tr>
            });
            r += 1;
        }
    }
    let hidden = t.hidden;
    view! {
        <div class="matrix-scroll">
            <table data-testid="matrix" class="matrix" aria-label=format!("Who can connect to whom on {}", t.probe)>
                <thead>
                    <tr>
                        <th class="corner" rowspan="2" colspan="2" scope="col">
                            <span class="corner-to">"to →"</span>
                            <span class="corner-from">"from ↓"</span>
                        </th>
                        {col_groups.into_iter().map(|g| view! {
                            <th scope="colgroup" class="ns-h col-ns" colspan=g.members.len()>{g.namespace}</th>
                        }).collect_view()}
                    </tr>
                    <tr>{header_cols}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(hidden > 0).then(|| view! {
            <p class="note" data-testid="matrix-hidden">{format!("{hidden} more endpoints are not shown (at most {TABLE_LIMIT} at a time): type part of a namespace name above to pick which, or use the graph's namespace view.")}</p>
        })}
    }
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
