//! HTML text for read-only panels, set with one `innerHTML` per change.
//!
//! Why not `view!`: Leptos compiles every distinct view shape into its own
//! typed tree with its own build and rebuild code. A panel that is rebuilt
//! whole whenever its data changes (the inspector's explanation) gains
//! nothing from that machinery and pays for it in download size: the
//! inspector's views were 13 KB of the page's gzipped wasm. Here the same
//! markup is a string written by a handful of non-generic functions.
//!
//! Safety: every piece of text and every attribute value goes through
//! [`escape`], so names and labels from the user's YAML can never become
//! markup. Tag and attribute names are `&'static str`, written by our code.
//!
//! Clicks: an element that should highlight YAML when clicked gets a
//! `data-focus` index into [`Markup::targets`]; the panel has one click
//! listener that finds the nearest such element ([`focus_index`]).

use netpol_core::Span;
use wasm_bindgen::JsCast;

/// The attribute naming a click target's index in [`Markup::targets`].
pub const FOCUS_ATTR: &str = "data-focus";

/// The attribute naming an element's index in the styles of
/// [`Markup::finish_with_styles`].
pub const STYLE_ATTR: &str = "data-style";

/// CSS properties of one element, set through the CSSOM by [`render`].
pub type Style = Vec<(&'static str, String)>;

/// HTML being written, and the spans its click targets highlight.
#[derive(Default)]
pub struct Markup {
    html: String,
    targets: Vec<Vec<Span>>,
    styles: Vec<Style>,
}

impl Markup {
    /// Starts an element: `<tag`. Add attributes, then [`Markup::end`].
    pub fn open(&mut self, tag: &'static str) -> &mut Self {
        self.html.push('<');
        self.html.push_str(tag);
        self
    }

    /// An attribute of the element being opened; `value` is escaped.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.html.push(' ');
        self.html.push_str(name);
        self.html.push_str("=\"");
        escape(&mut self.html, value);
        self.html.push('"');
        self
    }

    /// The `class` attribute: `base`, then the name of each flag that is on
    /// (`class("peer", &[(held, "held"), (decisive, "decisive")])`).
    pub fn class(&mut self, base: &str, flags: &[(bool, &str)]) -> &mut Self {
        self.html.push_str(" class=\"");
        escape(&mut self.html, base);
        for &(on, name) in flags {
            if on {
                self.html.push(' ');
                escape(&mut self.html, name);
            }
        }
        self.html.push('"');
        self
    }

    /// A boolean attribute (`open`, `hidden`), written only when `on`.
    pub fn flag(&mut self, name: &'static str, on: bool) -> &mut Self {
        if on {
            self.html.push(' ');
            self.html.push_str(name);
        }
        self
    }

    /// Makes the element being opened a click target highlighting `spans`.
    pub fn focus(&mut self, spans: Vec<Span>) -> &mut Self {
        let index = self.targets.len().to_string();
        self.targets.push(spans);
        self.attr(FOCUS_ATTR, &index)
    }

    /// Gives the element being opened inline styles. They are not written
    /// as a `style` attribute: the page's Content-Security-Policy
    /// (`style-src 'self'`) refuses those in parsed HTML. [`render`] sets
    /// them through the CSSOM, which the policy allows.
    pub fn style(&mut self, props: &[(&'static str, &str)]) -> &mut Self {
        let index = self.styles.len().to_string();
        self.styles.push(props.iter().map(|&(k, v)| (k, v.to_string())).collect());
        self.attr(STYLE_ATTR, &index)
    }

    /// Ends the start tag: `>`.
    pub fn end(&mut self) -> &mut Self {
        self.html.push('>');
        self
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &'static str) -> &mut Self {
        self.html.push_str("</");
        self.html.push_str(tag);
        self.html.push('>');
        self
    }

    /// Text content, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape(&mut self.html, text);
        self
    }

    /// `<tag class="class">text</tag>`.
    pub fn leaf(&mut self, tag: &'static str, class: &str, text: &str) -> &mut Self {
        self.open(tag);
        if !class.is_empty() {
            self.attr("class", class);
        }
        self.end().text(text).close(tag)
    }

    /// `<button class="class" data-act="act" data-testid="testid">label</button>`
    /// (no test id when `testid` is empty): a button of a [`region`], told
    /// apart by its panel's click listener ([`act_at`]).
    pub fn act_button(&mut self, class: &str, act: &str, testid: &str, label: &str) -> &mut Self {
        self.open("button").attr("class", class).attr(ACT_ATTR, act);
        if !testid.is_empty() {
            self.attr("data-testid", testid);
        }
        self.end().text(label).close("button")
    }

    /// A sentence of the core's with its `quoted` parts drawn as `<code>`.
    /// A text with an odd number of backticks is written as it is.
    pub fn rich(&mut self, text: &str) -> &mut Self {
        if text.matches('`').count() % 2 == 1 {
            return self.text(text);
        }
        for (i, part) in text.split('`').enumerate() {
            if part.is_empty() {
                continue;
            }
            if i % 2 == 1 {
                self.leaf("code", "", part);
            } else {
                self.text(part);
            }
        }
        self
    }

    /// The HTML and the click targets' spans, by `data-focus` index.
    pub fn finish(self) -> (String, Vec<Vec<Span>>) {
        (self.html, self.targets)
    }

    /// The HTML and the elements' styles, by `data-style` index, for [`render`].
    pub fn finish_with_styles(self) -> (String, Vec<Style>) {
        (self.html, self.styles)
    }
}

/// Replaces `root`'s content with `html` and sets each `data-style`
/// element's [`Style`].
pub fn render(root: &web_sys::Element, html: &str, styles: &[Style]) {
    root.set_inner_html(html);
    each_indexed(root, STYLE_ATTR, |el, k| {
        let (Some(el), Some(style)) = (el.dyn_ref::<web_sys::HtmlElement>(), styles.get(k)) else { return };
        for (prop, value) in style {
            let _ = el.style().set_property(prop, value);
        }
    });
}

/// The attribute naming what a button of a [`region`] does (`data-act="load"`):
/// how its panel's one click listener tells buttons apart, and how the
/// button that had keyboard focus is found again after a rewrite.
pub const ACT_ATTR: &str = "data-act";

/// A `<div class="part">` holding the markup `html` writes, written again
/// whenever the signals `html` reads change. For parts of a panel that
/// buttons live in: across a rewrite, the element that had keyboard focus
/// (found again by its `data-act`, with its `data-id` if it has one, or by
/// its `id`) keeps it, and each `<details>`
/// stays open or closed. `html` is boxed so that every region shares one
/// effect in the wasm.
pub fn region(html: Box<dyn Fn() -> String>) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let html = html();
        if let Some(root) = node.get() {
            rewrite(&root, &html);
        }
    });
    view! { <div class="part" node_ref=node></div> }
}

/// [`region`]'s rewrite: `root`'s content becomes `html`, keeping the focus
/// and the `<details>` states.
fn rewrite(root: &web_sys::Element, html: &str) {
    let focused = leptos::prelude::document().active_element().filter(|e| root.contains(Some(e))).and_then(|e| {
        let of_item = e.get_attribute("data-id").map(|id| format!("[data-id=\"{id}\"]")).unwrap_or_default();
        e.get_attribute(ACT_ATTR).map(|a| format!("[{ACT_ATTR}=\"{a}\"]{of_item}")).or_else(|| {
            let id = e.id();
            (!id.is_empty()).then(|| format!("#{id}"))
        })
    });
    let details = |root: &web_sys::Element| {
        let list = root.query_selector_all("details").ok();
        (0..list.as_ref().map_or(0, |l| l.length()))
            .filter_map(|i| list.as_ref()?.item(i)?.dyn_into::<web_sys::HtmlDetailsElement>().ok())
            .collect::<Vec<_>>()
    };
    let open: Vec<bool> = details(root).iter().map(|d| d.open()).collect();
    root.set_inner_html(html);
    let now = details(root);
    if now.len() == open.len() {
        now.iter().zip(open).for_each(|(d, open)| d.set_open(open));
    }
    if let Some(el) = focused.and_then(|s| root.query_selector(&s).ok().flatten()) {
        if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Calls `f` with every element under `root` that has the index attribute
/// `attr` (`data-n="3"`), and that index: how effects update marks on
/// markup without redrawing it.
pub fn each_indexed(root: &web_sys::Element, attr: &str, mut f: impl FnMut(&web_sys::Element, usize)) {
    let Ok(list) = root.query_selector_all(&format!("[{attr}]")) else { return };
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        if let Some(k) = el.get_attribute(attr).and_then(|k| k.parse::<usize>().ok()) {
            f(&el, k);
        }
    }
}

/// Appends `text` with the five characters that matter in HTML text and
/// double-quoted attribute values replaced by entities.
pub fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The element matching `selector` nearest to the event's target (itself or
/// an ancestor), if any: how a delegated listener tells what was clicked.
pub fn closest(ev: &web_sys::Event, selector: &str) -> Option<web_sys::Element> {
    ev.target()?.dyn_into::<web_sys::Element>().ok()?.closest(selector).ok()?
}

/// The `data-act` of the button nearest to the event's target (itself or an
/// ancestor), if the click was on one: what a panel's listener dispatches on.
pub fn act_at(ev: &web_sys::Event) -> Option<String> {
    closest(ev, "[data-act]")?.get_attribute(ACT_ATTR)
}

/// The index in attribute `attr` of the element nearest to the event's
/// target (itself or an ancestor) that has one.
pub fn index_at(ev: &web_sys::Event, attr: &str) -> Option<usize> {
    closest(ev, &format!("[{attr}]"))?.get_attribute(attr)?.parse().ok()
}

/// The `data-focus` index of the click target nearest to the event's target
/// (itself or an ancestor), if the click was on one.
pub fn focus_index(ev: &web_sys::Event) -> Option<usize> {
    index_at(ev, FOCUS_ATTR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attribute_values_are_escaped() {
        let mut m = Markup::default();
        m.open("p").attr("title", "a\"b<c>&'").end().text("<script>x</script> & \"q\"").close("p");
        let (html, _) = m.finish();
        assert_eq!(
            html,
            "<p title=\"a&quot;b&lt;c&gt;&amp;&#39;\">&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;</p>"
        );
    }

    #[test]
    fn rich_draws_backtick_pairs_as_code_and_keeps_odd_ticks() {
        let mut m = Markup::default();
        m.rich("namespace `alice` has `a<b`.");
        assert_eq!(m.finish().0, "namespace <code>alice</code> has <code>a&lt;b</code>.");
        let mut m = Markup::default();
        m.rich("odd ` tick");
        assert_eq!(m.finish().0, "odd ` tick");
        let mut m = Markup::default();
        m.rich("`x`");
        assert_eq!(m.finish().0, "<code>x</code>");
    }

    #[test]
    fn click_targets_are_numbered_in_order() {
        let mut m = Markup::default();
        m.open("button").focus(vec![]).end().close("button");
        m.open("button").attr("class", "b").focus(vec![]).end().close("button");
        let (html, targets) = m.finish();
        assert_eq!(html, "<button data-focus=\"0\"></button><button class=\"b\" data-focus=\"1\"></button>");
        assert_eq!(targets.len(), 2);
    }

    #[test]
    fn styles_are_indexed_never_written_inline() {
        let mut m = Markup::default();
        m.open("div").style(&[("top", "4px")]).end().close("div");
        m.open("div").style(&[("top", "8px"), ("left", "1ch")]).end().close("div");
        let (html, styles) = m.finish_with_styles();
        assert_eq!(html, "<div data-style=\"0\"></div><div data-style=\"1\"></div>");
        assert!(!html.contains(" style="), "{html}");
        assert_eq!(styles[1], vec![("top", "8px".to_string()), ("left", "1ch".to_string())]);
    }

    #[test]
    fn class_lists_the_flags_that_are_on_in_order() {
        let mut m = Markup::default();
        m.open("div").class("peer", &[(true, "held"), (false, "x"), (true, "decisive")]).end().close("div");
        assert_eq!(m.finish().0, "<div class=\"peer held decisive\"></div>");
    }

    #[test]
    fn flags_are_written_only_when_on() {
        let mut m = Markup::default();
        m.open("details").flag("open", true).flag("hidden", false).end().close("details");
        assert_eq!(m.finish().0, "<details open></details>");
    }
}
