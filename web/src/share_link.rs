//! Share links: the page state in the URL fragment (so no server ever sees
//! it), made and read by `netpol_core::share`, plus the browser plumbing
//! around it (the current fragment, the clipboard, a file download).
//!
//! Whatever a link carries is untrusted data: it only ever becomes the
//! editor's text and the flow pickers' values, which Leptos renders as text
//! nodes and properties, never as markup.

use leptos::prelude::{document, window};
use netpol_core::share::{self, ShareError, ShareErrorKind, SharedFlow, SharedState, View};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, HtmlAnchorElement, HtmlInputElement, ReadableStreamDefaultReader, ReadableWritablePair,
    Response, Url,
};

use crate::flow_sel::FlowChoice;

/// The current fragment without its `#`, or `None` when there is none.
pub fn current_fragment() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let f = hash.strip_prefix('#').unwrap_or(&hash);
    (!f.trim().is_empty()).then(|| f.to_string())
}

/// The page's address without fragment or query: what a link starts with.
pub fn page_base() -> String {
    let loc = window().location();
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    origin + &path
}

/// The state a link reopens; `compare` is compare mode's after text, when
/// it is on.
pub fn state(scenario: String, choice: &FlowChoice, view: View, compare: Option<String>) -> SharedState {
    let flow = (!choice.from.is_empty() || !choice.to.is_empty()).then(|| SharedFlow {
        from: choice.from.clone(),
        to: choice.to.clone(),
        probe: choice.probe.clone(),
    });
    SharedState { scenario, compare, flow, view }
}

/// A link to `state`: `Ok(url)`, or the reason no link can be made (a text
/// too large for any link to carry, or a browser without a zlib compressor).
///
/// The payload comes from `netpol_core::share`; the browser compresses it
/// ([`zlib`]), so the page's wasm carries no deflater of its own.
pub async fn link(base: &str, state: &SharedState) -> Result<String, String> {
    let payload = share::payload(state).map_err(|e| e.to_string())?;
    let compressed = zlib(&payload).await?;
    Ok([base, "#", &share::fragment_of_zlib(&compressed)].concat())
}

/// Opens a link's fragment: `netpol_core::share` reads the link and the
/// state ([`share::zlib_of_fragment`], [`share::state_of_payload`]); the
/// browser inflates it ([`inflate`]), so the page's wasm carries no
/// inflater. The error is the core's sentence for the user.
pub async fn open(fragment: &str) -> Result<SharedState, String> {
    let zlib = share::zlib_of_fragment(fragment).map_err(|e| e.to_string())?;
    let payload = inflate(&zlib).await.map_err(|kind| ShareError::new(kind).to_string())?;
    share::state_of_payload(&payload).map_err(|e| e.to_string())
}

#[wasm_bindgen]
extern "C" {
    /// The Compression Streams API's transform (every current browser); bound
    /// here because web-sys marks it unstable.
    type CompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;

    /// Its inverse.
    type DecompressionStream;

    #[wasm_bindgen(constructor, catch, js_class = "DecompressionStream")]
    fn new_decompression(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// `data` as a zlib stream (RFC 1950): `CompressionStream("deflate")`, fed
/// from a `Blob` and read whole through a `Response`.
async fn zlib(data: &[u8]) -> Result<Vec<u8>, String> {
    let failed = |_| "This browser cannot compress a link (no CompressionStream).".to_string();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(data));
    let blob = Blob::new_with_u8_array_sequence(&parts).map_err(failed)?;
    let deflate = CompressionStream::new("deflate").map_err(failed)?;
    let stream = blob.stream().pipe_through(deflate.unchecked_ref::<ReadableWritablePair>());
    let response = Response::new_with_opt_readable_stream(Some(&stream)).map_err(failed)?;
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(failed)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A zlib stream (RFC 1950) inflated by `DecompressionStream("deflate")`,
/// read chunk by chunk and given up past [`share::MAX_DECODED_BYTES`], so a
/// small link cannot make the page hold gigabytes. The browser also checks
/// the stream's Adler-32 and refuses bytes after its end, as the core's
/// inflater does. Its errors do not say why in a standard way: a message
/// that mentions truncation counts as a cut-off link, any other as a
/// damaged one.
async fn inflate(zlib: &[u8]) -> Result<Vec<u8>, ShareErrorKind> {
    let damaged = |e: JsValue| {
        let message = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
        if message.to_ascii_lowercase().contains("truncat") {
            ShareErrorKind::Truncated
        } else {
            ShareErrorKind::BadCompression
        }
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(zlib));
    let blob = Blob::new_with_u8_array_sequence(&parts).map_err(damaged)?;
    let inflater = DecompressionStream::new_decompression("deflate").map_err(damaged)?;
    let stream = blob.stream().pipe_through(inflater.unchecked_ref::<ReadableWritablePair>());
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(damaged)?;
        if js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            return Ok(out);
        }
        let bytes = js_sys::Reflect::get(&chunk, &"value".into()).map_err(damaged)?;
        let bytes: js_sys::Uint8Array = bytes.dyn_into().map_err(damaged)?;
        let (start, len) = (out.len(), bytes.length() as usize);
        if start + len > share::MAX_DECODED_BYTES {
            let _ = reader.cancel();
            return Err(ShareErrorKind::TooLarge { limit: share::MAX_DECODED_BYTES });
        }
        out.resize(start + len, 0);
        bytes.copy_to(&mut out[start..]);
    }
}

/// Why a scenario holding a large document has no link: a URL carries at
/// most a few MB in any browser (and far less in chat tools), while such a
/// document is itself several MB before compression.
pub fn too_large_for_a_link(large: &crate::large::Large) -> String {
    format!(
        "This scenario includes {} ({}): too large for any link to carry. Download the scenario as a file and share that instead.",
        large.name,
        crate::large::size_text(large.text.len())
    )
}

/// The flow a link selects, as the inspector's pickers hold it.
pub fn choice_of(flow: &SharedFlow) -> FlowChoice {
    FlowChoice { from: flow.from.clone(), to: flow.to.clone(), probe: flow.probe.clone() }
}

/// Puts `text` on the clipboard; calls `done(true)` when the browser
/// confirms, `done(false)` when it refuses (no permission, insecure
/// context), so the caller can fall back to a selected text field.
pub fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
    let promise = window().navigator().clipboard().write_text(text);
    leptos::task::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        done(ok);
    });
}

/// Selects the whole value of the input with `id`, so Ctrl+C copies it.
pub fn select_input(id: &str) {
    if let Some(input) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
        let _ = input.focus();
        input.select();
    }
}

/// Offers `contents` as a file download named `name`.
pub fn download(name: &str, mime: &str, contents: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &opts) {
        download_blob(name, &blob);
    }
}

/// Offers `blob` as a file download named `name` (through a `blob:` URL,
/// revoked at once: the download has its own reference).
pub fn download_blob(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(a) = document().create_element("a").ok().and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = Url::revoke_object_url(&url);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_flow_is_shared_when_none_is_chosen() {
        let st = state(String::new(), &FlowChoice::default(), View::Graph, None);
        assert!(st.flow.is_none());
        assert!(st.compare.is_none());
    }
}
