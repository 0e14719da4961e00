//! The "Export ▾" menu: the matrix as CSV and JSON and the Markdown report
//! (all three built by `netpol_core::report`, so they are the CLI's bytes),
//! and the allow graph as a standalone SVG or a PNG.
//!
//! The SVG is a deep copy of the page's `[data-testid=allow-graph]` with
//! every element's computed presentation (fill, stroke, font, …) written
//! into its own `style`, so it renders the same with no stylesheet; labels
//! are text nodes, which the serializer escapes, and the copy is scrubbed of
//! `script`, `foreignObject` and `on*` attributes as a second line of
//! defence. The PNG is that SVG drawn on a canvas from a `blob:` image (the
//! page's CSP allows `img-src blob:`; nothing is fetched).

use std::sync::Arc;

use leptos::prelude::*;
use netpol_core::report::{markdown, matrix_csv, matrix_json, ReportInput};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, Element, HtmlCanvasElement, HtmlImageElement, SvgElement, Url};

use crate::graph::num;
use crate::share_link::{download, download_blob};
use crate::state::Evaluated;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The presentation properties copied from the page's computed style onto
/// each element of the exported SVG.
const STYLE_PROPS: [&str; 20] = [
    "display",
    "visibility",
    "opacity",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "marker-end",
    "marker-start",
    "paint-order",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
];

/// The largest PNG side in pixels (a canvas beyond ~16k fails silently).
const PNG_MAX_SIDE: f64 = 8192.0;

/// What can be exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// `netpol matrix --format csv`.
    MatrixCsv,
    /// `netpol matrix --format json`.
    MatrixJson,
    /// The graph as standalone SVG.
    GraphSvg,
    /// The graph as PNG.
    GraphPng,
    /// `netpol report` (with the changed flows in compare mode).
    Report,
}

impl Export {
    /// Every export, in menu order.
    pub const ALL: [Export; 5] =
        [Export::MatrixCsv, Export::MatrixJson, Export::GraphSvg, Export::GraphPng, Export::Report];

    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            Export::MatrixCsv => "Matrix (.csv)",
            Export::MatrixJson => "Matrix (.json)",
            Export::GraphSvg => "Graph (.svg)",
            Export::GraphPng => "Graph (.png)",
            Export::Report => "Report for a pull request (.md)",
        }
    }

    /// The downloaded file's name.
    pub fn file_name(self) -> &'static str {
        match self {
            Export::MatrixCsv => "netpol-matrix.csv",
            Export::MatrixJson => "netpol-matrix.json",
            Export::GraphSvg => "netpol-graph.svg",
            Export::GraphPng => "netpol-graph.png",
            Export::Report => "netpol-report.md",
        }
    }

    /// A stable id for tests.
    pub fn id(self) -> &'static str {
        match self {
            Export::MatrixCsv => "csv",
            Export::MatrixJson => "json",
            Export::GraphSvg => "svg",
            Export::GraphPng => "png",
            Export::Report => "md",
        }
    }
}

/// The text of a text export of `ev` (`None` for the graph images).
pub fn text_export(what: Export, ev: &Evaluated, after: Option<&Evaluated>) -> Option<(String, &'static str)> {
    match what {
        Export::MatrixCsv => Some((matrix_csv(&ev.scenario, &ev.matrix), "text/csv")),
        Export::MatrixJson => Some((matrix_json(&ev.scenario, &ev.matrix), "application/json")),
        Export::Report => {
            let input = ReportInput {
                scenario: &ev.scenario,
                matrix: &ev.matrix,
                findings: &ev.lint,
                after: after.map(|a| &a.scenario),
            };
            Some((markdown(&input), "text/markdown"))
        }
        Export::GraphSvg | Export::GraphPng => None,
    }
}

/// The menu button and its items.
#[component]
pub fn ExportMenu(
    /// What the panels show.
    evaluated: Memo<Option<Arc<Evaluated>>>,
    /// Compare mode's after version (the report then lists changed flows).
    after: Memo<Option<Arc<Evaluated>>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    // Opening moves focus into the menu, so Escape and Tab work from the
    // keyboard at once.
    Effect::new(move |_| {
        if open.get() {
            request_animation_frame(|| {
                let first = document().query_selector("#export-menu [role=menuitem]").ok().flatten();
                if let Some(el) = first.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = el.focus();
                }
            });
        }
    });
    let run = move |what: Export| {
        open.set(false);
        failed.set(None);
        let Some(ev) = evaluated.get_untracked() else {
            failed.set(Some("Nothing to export until the scenario has a valid version.".into()));
            return;
        };
        let after = after.get_untracked();
        if let Some((text, mime)) = text_export(what, &ev, after.as_deref()) {
            download(what.file_name(), mime, &text);
            return;
        }
        let Some(svg) = standalone_svg() else {
            failed.set(Some("Open the Graph tab once to draw the graph, then export it.".into()));
            return;
        };
        match what {
            Export::GraphSvg => download(what.file_name(), "image/svg+xml", &svg.text),
            _ => {
                if png(&svg, what.file_name()).is_err() {
                    failed.set(Some("The browser could not draw the graph as PNG.".into()));
                }
            }
        }
    };
    // The open menu (its backdrop closes it) and the last failure, as one
    // markup region; the items' clicks and Escape go to the wrapper.
    let menu = move || failed.with(|f| menu_markup(open.get(), f.as_deref()));
    let on_click = move |ev: web_sys::MouseEvent| {
        if crate::markup::closest(&ev, "[data-act=export-close]").is_some() {
            open.set(false);
            return;
        }
        let id = crate::markup::closest(&ev, "[data-export]").and_then(|e| e.get_attribute("data-export"));
        if let Some(what) = Export::ALL.into_iter().find(|w| id.as_deref() == Some(w.id())) {
            run(what);
        }
    };
    view! {
        <div
            class="menu-wrap export-wrap"
            on:click=on_click
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    open.set(false);
                }
            }
        >
            <button
                class="btn small ghost"
                data-testid="export-menu"
                aria-haspopup="true"
                aria-expanded=move || open.get().to_string()
                aria-controls="export-menu"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Export"<span aria-hidden="true">" ▾"</span>
            </button>
            {crate::markup::region(Box::new(menu))}
        </div>
    }
}

/// A serialized standalone SVG and its size in CSS pixels.
pub struct StandaloneSvg {
    /// The document text.
    pub text: String,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// The page's allow graph as a standalone SVG, or `None` when it is not on
/// the page (or has no size yet: never drawn).
pub fn standalone_svg() -> Option<StandaloneSvg> {
    let doc = document();
    let original: SvgElement = doc.query_selector("svg[data-testid=allow-graph]").ok()??.dyn_into().ok()?;
    let graphics: &web_sys::SvgGraphicsElement = original.unchecked_ref();
    let bbox = graphics.get_b_box().ok()?;
    let (pad, w, h) = (16.0, bbox.width() as f64, bbox.height() as f64);
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    let copy: Element = original.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    inline_styles(&original, &copy);
    scrub(&copy);
    // Rounded to tenths and written by `graph::num` (integer arithmetic): `f64`'s `Display`
    // would link the float formatting code (~15 KB of wasm) for this one menu. The padding is
    // far larger than the rounding, and the returned size is the one written.
    let tenths = |v: f64| (v * 10.0).round() / 10.0;
    let (x, y) = (tenths(bbox.x() as f64 - pad), tenths(bbox.y() as f64 - pad));
    let (width, height) = (tenths(w + 2.0 * pad), tenths(h + 2.0 * pad));
    let mut view_box = String::new();
    num::join(&mut view_box, &[x, y, width, height], &[" ", " ", " "]);
    let _ = copy.set_attribute("viewBox", &view_box);
    let _ = copy.set_attribute("width", &num::num(width));
    let _ = copy.set_attribute("height", &num::num(height));
    let _ = copy.set_attribute("xmlns", SVG_NS);
    for attr in ["data-testid", "class", "role"] {
        let _ = copy.remove_attribute(attr);
    }
    // The canvas colour is the svg element's CSS background, which an image
    // does not carry: draw it as a rectangle behind everything.
    let background = computed(&original, "background-color").filter(|c| !c.is_empty());
    if let Ok(rect) = doc.create_element_ns(Some(SVG_NS), "rect") {
        for (k, v) in [("x", x), ("y", y), ("width", width), ("height", height)] {
            let _ = rect.set_attribute(k, &num::num(v));
        }
        if let Some(svg_rect) = rect.dyn_ref::<SvgElement>() {
            let _ = svg_rect.style().set_property("fill", background.as_deref().unwrap_or("#ffffff"));
        }
        let first = copy.first_element_child();
        let _ = copy.insert_before(&rect, first.as_ref().map(|e| e.unchecked_ref()));
    }
    let text = web_sys::XmlSerializer::new().ok()?.serialize_to_string(&copy).ok()?;
    Some(StandaloneSvg { text: format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}"), width, height })
}

fn computed(el: &Element, prop: &str) -> Option<String> {
    window().get_computed_style(el).ok()??.get_property_value(prop).ok()
}

/// Copies the computed presentation of every element of `original` onto the
/// same element of `copy` (a deep clone, so document order matches).
fn inline_styles(original: &Element, copy: &Element) {
    let (Ok(from), Ok(to)) = (original.query_selector_all("*"), copy.query_selector_all("*")) else { return };
    let win = window();
    for i in 0..from.length().min(to.length()) {
        let (Some(a), Some(b)) = (from.item(i), to.item(i)) else { continue };
        let (Some(a), Some(b)) = (a.dyn_ref::<Element>(), b.dyn_ref::<SvgElement>()) else { continue };
        let Ok(Some(style)) = win.get_computed_style(a) else { continue };
        let target = b.style();
        for prop in STYLE_PROPS {
            if let Ok(v) = style.get_property_value(prop) {
                if !v.is_empty() {
                    let _ = target.set_property(prop, &v);
                }
            }
        }
    }
}

/// Removes anything executable from the copy: `script` and `foreignObject`
/// elements and `on*` attributes (the graph has none; a link must never
/// smuggle one into a file someone opens).
fn scrub(root: &Element) {
    if let Ok(bad) = root.query_selector_all("script, foreignObject") {
        for i in 0..bad.length() {
            if let Some(e) = bad.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                e.remove();
            }
        }
    }
    let Ok(all) = root.query_selector_all("*") else { return };
    for el in (0..all.length()).filter_map(|i| all.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()) {
        let names = el.get_attribute_names();
        for name in names.iter().filter_map(|n| n.as_string()) {
            let lower = name.to_ascii_lowercase();
            let href =
                lower.ends_with("href") && el.get_attribute(&name).is_some_and(|v| !v.trim_start().starts_with('#'));
            if lower.starts_with("on") || href {
                let _ = el.remove_attribute(&name);
            }
        }
    }
}

/// Draws `svg` on a canvas at twice its size (at most [`PNG_MAX_SIDE`]) and
/// downloads it as `name` once the image has loaded.
fn png(svg: &StandaloneSvg, name: &'static str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(&svg.text));
    let opts = BlobPropertyBag::new();
    opts.set_type("image/svg+xml;charset=utf-8");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let img = HtmlImageElement::new()?;
    let scale = (PNG_MAX_SIDE / svg.width.max(svg.height)).min(2.0);
    let (w, h) = ((svg.width * scale).round().max(1.0), (svg.height * scale).round().max(1.0));
    let loaded = img.clone();
    let src = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&src);
        let _ = draw_and_download(&loaded, w, h, name);
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
    Ok(())
}

fn draw_and_download(img: &HtmlImageElement, w: f64, h: f64, name: &'static str) -> Result<(), JsValue> {
    let canvas: HtmlCanvasElement = document().create_element("canvas")?.dyn_into()?;
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or_else(|| JsValue::from_str("no 2d context"))?.dyn_into()?;
    ctx.draw_image_with_html_image_element_and_dw_and_dh(img, 0.0, 0.0, w, h)?;
    let done = Closure::once_into_js(move |blob: JsValue| {
        if let Ok(blob) = blob.dyn_into::<Blob>() {
            download_blob(name, &blob);
        }
    });
    canvas.to_blob(done.unchecked_ref())
}

/// The menu's items, one per [`Export`]: HTML text ([`crate::markup`]), with
/// one click listener on the menu.
/// The menu while `open` (a backdrop that closes it, then one item per
/// export), and the last export's failure.
fn menu_markup(open: bool, failed: Option<&str>) -> String {
    let mut m = crate::markup::Markup::default();
    if open {
        m.open("div").attr("class", "menu-backdrop").attr(crate::markup::ACT_ATTR, "export-close").end().close("div");
        m.open("div").attr("id", "export-menu").attr("class", "menu export-menu").attr("role", "menu");
        m.attr("aria-label", "Export").end();
        for what in Export::ALL {
            m.open("button").attr("class", "menu-item").attr("role", "menuitem").attr("data-testid", "export-item");
            m.attr("data-export", what.id()).end().leaf("span", "menu-title", what.label()).close("button");
        }
        m.close("div");
    }
    if let Some(why) = failed {
        m.open("span").attr("class", "export-error").attr("role", "alert").end().text(why).close("span");
    }
    m.finish().0
}

#[cfg(test)]
mod tests {
    use super::*;
    use netpol_core::parse::parse_str;

    #[test]
    fn text_exports_are_the_core_reports() {
        let ev = Evaluated::new(parse_str("apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n").scenario);
        let (csv, mime) = text_export(Export::MatrixCsv, &ev, None).expect("csv");
        assert_eq!((csv.as_str(), mime), ("probe,from,to,allowed\nTCP/80,x/a,x/a,1\n", "text/csv"));
        let (json, _) = text_export(Export::MatrixJson, &ev, None).expect("json");
        assert_eq!(json, "{\"endpoints\":[\"x/a\"],\"probes\":[\"TCP/80\"],\"allowed\":{\"TCP/80\":[\"1\"]}}\n");
        let (md, _) = text_export(Export::Report, &ev, Some(&ev)).expect("md");
        assert!(md.contains("### Changed flows"), "{md}");
        assert!(text_export(Export::GraphSvg, &ev, None).is_none());
    }

    #[test]
    fn every_export_has_a_distinct_file_and_id() {
        let mut names: Vec<&str> = Export::ALL.iter().map(|e| e.file_name()).collect();
        let mut ids: Vec<&str> = Export::ALL.iter().map(|e| e.id()).collect();
        names.sort();
        names.dedup();
        ids.sort();
        ids.dedup();
        assert_eq!((names.len(), ids.len()), (5, 5));
    }
}
