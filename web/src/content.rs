//! Scenario texts fetched on first use (issue 3's size budget).
//!
//! The page's wasm is built without netpol-core's `embedded-content`
//! feature: of the presets' and lessons' scenarios it embeds only the
//! default preset (its first paint). The others are the very files of
//! `core/presets` and `core/lessons`, copied next to the page by Trunk
//! (`index.html`), fetched from the page's own origin (the CSP allows
//! `connect-src 'self'`) the first time they are asked for, checked by the
//! core's parser ([`presets::verify`], [`lessons::verify`]) and kept for the
//! rest of the visit.
//!
//! A lesson's prose (`lessons/<id>.txt`) comes with its scenario, and a
//! preset's paragraph (`presets/<id>.txt`) with its.
//!
//! A text compiled in (the default preset; every text in builds with the
//! feature, such as the wasm-bindgen tests) is answered at once, without a
//! fetch, as is a text fetched before: the callback then runs before
//! [`preset_yaml`]/[`lesson_files`] return, so no loading state flashes.

use std::cell::RefCell;

use netpol_core::lessons::{self, Lesson, LessonText};
use netpol_core::presets::{self, Preset};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A text being fetched, arrived, or refused, for views to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Load {
    /// The fetch is under way.
    Loading,
    /// The checked text.
    Ready(&'static str),
    /// Why it is not there, as a sentence for the user.
    Failed(String),
}

impl From<Result<&'static str, String>> for Load {
    fn from(r: Result<&'static str, String>) -> Self {
        r.map_or_else(Load::Failed, Load::Ready)
    }
}

thread_local! {
    /// Fetched texts by path. Each is leaked once so it lives as long as the
    /// page, like an embedded text: at most one copy per file, a few KB each.
    static CACHE: RefCell<Vec<(String, &'static str)>> = const { RefCell::new(Vec::new()) };
}

fn cached(path: &str) -> Option<&'static str> {
    CACHE.with_borrow(|c| c.iter().find(|(p, _)| p == path).map(|(_, t)| *t))
}

/// Receives a text or why it is missing, as a sentence for the user.
type Done = Box<dyn FnOnce(Result<&'static str, String>)>;
/// Why a fetched text is not the file asked for, in words that follow
/// "The file … " (a host may answer any path with its own HTML page).
type Check = Box<dyn Fn(&str) -> Result<(), String>>;

/// The preset's scenario: embedded, cached, or fetched from
/// `presets/<id>.yaml`; `done` receives it or the reason it is missing.
/// The preset's paragraph ([`preset_lesson`]) is fetched with it, before
/// `done` runs, so the banner that follows has it.
pub fn preset_yaml(p: &'static Preset, done: impl FnOnce(Result<&'static str, String>) + 'static) {
    let path = format!("{}/{}", presets::DIR, presets::file_name(p.id));
    let check = move |t: &str| presets::verify(t, &p.focus).map_err(|u| u.describe().to_string());
    let with_paragraph = move |result: Result<&'static str, String>| {
        if result.is_err() || preset_lesson(p).is_some() {
            return done(result);
        }
        // Without its paragraph the preset still loads; the banner then
        // shows the one-line summary.
        let check = |t: &str| if is_paragraph(t) { Ok(()) } else { Err(String::new()) };
        get(None, lesson_path(p), Box::new(check), Box::new(move |_| done(result)));
    };
    get(p.embedded_yaml(), path, Box::new(check), Box::new(with_paragraph));
}

/// The preset's paragraph, if it is compiled in (the default preset's) or
/// was fetched with its scenario (`presets/<id>.txt`).
pub fn preset_lesson(p: &Preset) -> Option<&'static str> {
    p.embedded_lesson().or_else(|| cached(&lesson_path(p)).map(str::trim_end))
}

fn lesson_path(p: &Preset) -> String {
    format!("{}/{}", presets::DIR, presets::lesson_file_name(p.id))
}

/// Whether a fetched paragraph is one: a line of prose, not a host's HTML
/// page served for every path.
fn is_paragraph(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && !t.contains('\n') && !t.starts_with('<')
}

/// The lesson's scenario: embedded, cached, or fetched from
/// `lessons/<id>.yaml`; `done` receives it or the reason it is missing.
/// The lesson's prose ([`lesson_text`], `lessons/<id>.txt`) is fetched with
/// it, before `done` runs: a lesson reads as nothing without it, so a
/// scenario whose text is missing is an error too.
pub fn lesson_files(l: &'static Lesson, done: impl FnOnce(Result<&'static str, String>) + 'static) {
    let path = format!("{}/{}", lessons::DIR, lessons::file_name(l.id));
    let check = move |t: &str| lessons::verify(l, t).map_err(|u| u.describe().to_string());
    let with_text = move |result: Result<&'static str, String>| {
        if result.is_err() || lesson_text(l).is_some() {
            return done(result);
        }
        let check = |t: &str| {
            LessonText::parse(t).map(drop).map_err(|section| format!("is not the lesson's text: it has no [{section}]"))
        };
        get(None, lesson_text_path(l), Box::new(check), Box::new(move |text| done(text.and(result))));
    };
    get(l.embedded_yaml(), path, Box::new(check), Box::new(with_text));
}

/// The lesson's prose, if it is compiled in or was fetched with its
/// scenario ([`lesson_files`]).
pub fn lesson_text(l: &Lesson) -> Option<LessonText<'static>> {
    l.embedded_text().or_else(|| cached(&lesson_text_path(l)).and_then(|t| LessonText::parse(t).ok()))
}

fn lesson_text_path(l: &Lesson) -> String {
    format!("{}/{}", lessons::DIR, lessons::text_file_name(l.id))
}

/// Lint rule `id`'s paragraph (`lint-rules/<id>.txt`): cached, or fetched;
/// `done` receives it or the reason it is missing. The page links no
/// paragraph: most visits never ask for one.
pub fn rule_help(id: &str, done: impl FnOnce(Result<&'static str, String>) + 'static) {
    let check = |t: &str| if is_paragraph(t) { Ok(()) } else { Err("is not a rule's paragraph".to_string()) };
    get(None, rule_help_path(id), Box::new(check), Box::new(done));
}

/// Lint rule `id`'s paragraph, if it was fetched ([`rule_help`]).
pub fn cached_rule_help(id: &str) -> Option<&'static str> {
    cached(&rule_help_path(id)).map(str::trim_end)
}

fn rule_help_path(id: &str) -> String {
    format!("{}/{}", netpol_core::lint::HELP_DIR, netpol_core::lint::help_file_name(id))
}

/// Answers `done` with the embedded text, the cached one, or the file at
/// `path` once fetched and checked. Not generic, so that every text shares
/// one fetch future in the wasm.
fn get(embedded: Option<&'static str>, path: String, check: Check, done: Done) {
    if let Some(t) = embedded.or_else(|| cached(&path)) {
        return done(Ok(t));
    }
    leptos::task::spawn_local(async move {
        let result = match fetch_text(&path).await {
            Ok(text) => match check(&text) {
                Ok(()) => {
                    let text: &'static str = Box::leak(text.into_boxed_str());
                    CACHE.with_borrow_mut(|c| c.push((path, text)));
                    Ok(text)
                }
                Err(why) => Err(format!("The file {path} {why}.")),
            },
            Err(why) => Err(format!("Could not fetch {path} from this site ({why}).")),
        };
        done(result);
    });
}

/// GETs `path` relative to the page; the error says what went wrong in a
/// few words (an HTTP status, or the browser's reason: offline, a page
/// opened from `file://`).
async fn fetch_text(path: &str) -> Result<String, String> {
    let reason = |e: wasm_bindgen::JsValue| {
        e.dyn_ref::<js_sys::Error>().map_or_else(|| "network error".to_string(), |e| String::from(e.message()))
    };
    let response = JsFuture::from(leptos::prelude::window().fetch_with_str(path)).await.map_err(reason)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not an HTTP response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(reason)?).await.map_err(reason)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_is_one_line_of_prose() {
        assert!(is_paragraph("Policies add up.\n"));
        assert!(!is_paragraph("<!doctype html>\n<html></html>"));
        assert!(!is_paragraph("one\ntwo"));
        assert!(!is_paragraph("  \n"));
    }
}
