//! Share links: what the playground shows, as a versioned, compressed,
//! base64url URL fragment.
//!
//! A link carries a [`SharedState`]: the scenario text, the compare text if
//! any, the selected flow and the open view. It lives in the URL fragment
//! (`#…`), which browsers never send to a server. The web page and the `netpol
//! share` command both use [`encode`] and [`decode`], so they agree on one
//! format.
//!
//! [`SharedState`] is its own type, not a `Serialize` derive on the model: the
//! format below is a contract, and the model must stay free to change.
//!
//! # The format (a contract)
//!
//! **Links made by any release must open in every later release.** The test
//! `frozen_fragments_decode_forever` in `core/tests/share.rs` holds fragments
//! made by the first release; never change their expected output.
//!
//! A fragment is `v<N>.<body>`:
//! - `v<N>.` is the version tag: `v`, a decimal number without leading zeros,
//!   a dot. This page writes and reads **v1**. A larger number is a link from
//!   a newer release ([`ShareErrorKind::FutureVersion`]); `v0` was never made.
//! - `<body>` is base64url without padding (RFC 4648 §5, canonical: unused
//!   trailing bits must be zero) of a zlib stream (RFC 1950: deflate, RFC 1951,
//!   plus an Adler-32 checksum of the payload, so a damaged or altered link is
//!   refused instead of opening as different text). Nothing may follow the
//!   zlib stream. [`encode`] (the CLI) uses miniz's best level; the page uses the
//!   browser's compressor ([`payload`], [`fragment_of_zlib`]). Any level decodes.
//! - The inflated **payload** is at most [`MAX_DECODED_BYTES`]; a decoder
//!   stops inflating there, so a tiny link cannot expand to gigabytes.
//!
//! The v1 payload is a sequence of records, each
//! `tag: varint, length: varint, value: length bytes`, where a varint is
//! unsigned LEB128 (7 bits per byte, least significant group first, high bit
//! set on every byte but the last; at most 10 bytes). Records may come in any
//! order (this encoder writes them by ascending tag). **A decoder skips
//! records whose tag it does not know**, so a later release may add fields to
//! v1 as long as an older page may safely ignore them; a change an older page
//! must not ignore needs a new version number instead. A known tag seen twice
//! is an error.
//!
//! | tag | field | value |
//! |---|---|---|
//! | 1 | scenario (required) | UTF-8 text |
//! | 2 | compare text (optional) | UTF-8 text |
//! | 3 | flow (optional) | records: 1 = from, 2 = to, 3 = probe, each UTF-8 text and required |
//! | 4 | view (optional, default graph) | one varint: 0 graph, 1 matrix, 2 inspector, 3 compare; an unknown number opens the graph |
//!
//! The flow's texts are kept as written (`shop/db`, `10.0.0.7`,
//! `svc:shop/db`, `TCP/5432`); the front end that opens the link interprets
//! them, like text typed by a user.

mod error;
mod payload;
mod zlib;

use alloc::string::String;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

pub use error::{ShareError, ShareErrorKind};

/// The version this module writes, and the newest it reads.
pub const VERSION: u32 = 1;

/// The largest payload a link may inflate to: 4 MiB, far more than any
/// scenario someone would type, and small enough that a decompression bomb
/// cannot exhaust a browser tab.
pub const MAX_DECODED_BYTES: usize = 4 * 1024 * 1024;

/// Links longer than this may be cut off by common chat tools and e-mail
/// clients, so the page offers a file download instead.
pub const LONG_LINK_CHARS: usize = 8_000;

/// Everything a link reopens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedState {
    /// The scenario, as the multi-document YAML/JSON text the user edits.
    pub scenario: String,
    /// The "after" version of the policies in compare mode, if any.
    pub compare: Option<String>,
    /// The flow selected in the inspector, if any.
    pub flow: Option<SharedFlow>,
    /// The view that was open.
    pub view: View,
}

/// A selected flow, as the user wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedFlow {
    /// The client: `namespace/name`, an IP address, or `svc:namespace/name`.
    pub from: String,
    /// The server, in the same forms as `from`.
    pub to: String,
    /// Protocol and port, as [`crate::Probe::parse`] reads it (`TCP/80`).
    pub probe: String,
}

/// The panel that was open when the link was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum View {
    /// The allow graph (what the page opens on).
    #[default]
    Graph,
    /// The connectivity matrix.
    Matrix,
    /// The rule-by-rule explanation of the selected flow.
    Inspector,
    /// The before/after comparison.
    Compare,
}

impl View {
    /// Every view, in wire-code order.
    pub const ALL: [View; 4] = [View::Graph, View::Matrix, View::Inspector, View::Compare];

    /// The number that stands for this view in a v1 payload. Never renumber.
    const fn code(self) -> u64 {
        match self {
            View::Graph => 0,
            View::Matrix => 1,
            View::Inspector => 2,
            View::Compare => 3,
        }
    }

    /// The view a wire code stands for; a code from a later release that
    /// this one does not know opens the default view, as unknown fields do.
    fn from_code(code: u64) -> View {
        match code {
            1 => View::Matrix,
            2 => View::Inspector,
            3 => View::Compare,
            _ => View::Graph,
        }
    }
}

/// Encodes `state` as a fragment **without** the leading `#`: `v1.` and the
/// base64url of the compressed payload.
///
/// The result only ever contains `A-Z a-z 0-9 - _ . v`, so it needs no
/// percent-encoding in a URL. A state whose payload exceeds
/// [`MAX_DECODED_BYTES`] still encodes, but [`decode`] refuses it; use
/// [`try_encode`] where text of that size can occur (files on disk).
pub fn encode(state: &SharedState) -> String {
    fragment_of_zlib(&zlib::compress(&payload::write(state)))
}

/// Like [`encode`], but refuses ([`ShareErrorKind::TooLarge`]) a state that
/// [`decode`] could not open again.
pub fn try_encode(state: &SharedState) -> Result<String, ShareError> {
    payload(state).map(|p| fragment_of_zlib(&zlib::compress(&p)))
}

/// The first half of [`try_encode`], for a front end that has its own zlib
/// compressor: the uncompressed payload, or [`ShareErrorKind::TooLarge`] for a
/// state that [`decode`] could not open again. Compress it as a zlib stream
/// (RFC 1950) at any level and pass the stream to [`fragment_of_zlib`].
///
/// The page does this with the browser's `CompressionStream("deflate")`
/// (which writes zlib streams), so its wasm carries only miniz's inflater:
/// the deflater was 6.7 KB of the page's gzipped download.
pub fn payload(state: &SharedState) -> Result<alloc::vec::Vec<u8>, ShareError> {
    if payload::len(state) > MAX_DECODED_BYTES {
        return Err(ShareError::new(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES }));
    }
    Ok(payload::write(state))
}

/// The fragment for a zlib stream of a [`payload`]: the version tag and the
/// stream in base64url. Any conforming zlib stream decodes the same, so links
/// made by different compressors differ in bytes but open the same state.
pub fn fragment_of_zlib(zlib: &[u8]) -> String {
    let mut out = String::with_capacity(4 + zlib.len().div_ceil(3) * 4);
    out.push('v');
    push_decimal(&mut out, VERSION);
    out.push('.');
    URL_SAFE_NO_PAD.encode_string(zlib, &mut out);
    out
}

/// Decodes a fragment made by [`encode`] of this or any earlier release.
///
/// Accepts the fragment with or without its leading `#`, and also a whole
/// link (everything up to the first `#` is ignored, as the fragment alphabet
/// has no `#`); surrounding whitespace is ignored. Never panics: any other
/// input gives a [`ShareError`] whose message can be shown to the user as is.
pub fn decode(fragment: &str) -> Result<SharedState, ShareError> {
    let compressed = zlib_of_fragment(fragment)?;
    let payload = zlib::inflate(&compressed, MAX_DECODED_BYTES).map_err(ShareError::new)?;
    state_of_payload(&payload)
}

/// The first half of [`decode`], for a front end that has its own zlib
/// inflater: the fragment's zlib stream (RFC 1950), after its version tag
/// and base64url were checked. Inflate it to at most [`MAX_DECODED_BYTES`]
/// (refusing more with [`ShareErrorKind::TooLarge`]) and pass the result
/// to [`state_of_payload`].
///
/// The page does this with the browser's `DecompressionStream("deflate")`,
/// so its wasm carries no inflater either (miniz's was 10 KB of it).
pub fn zlib_of_fragment(fragment: &str) -> Result<alloc::vec::Vec<u8>, ShareError> {
    let fragment = fragment.trim_ascii();
    let fragment = match fragment.split_once('#') {
        Some((_, after)) => after.trim_ascii(),
        None => fragment,
    };
    if fragment.is_empty() {
        return Err(ShareError::new(ShareErrorKind::Empty));
    }
    let body = strip_version(fragment)?;
    if body.len() > max_body_chars() {
        return Err(ShareError::new(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES }));
    }
    URL_SAFE_NO_PAD.decode(body).map_err(|_| ShareError::new(ShareErrorKind::BadBase64))
}

/// The second half of [`decode`]: the state in an inflated payload.
pub fn state_of_payload(payload: &[u8]) -> Result<SharedState, ShareError> {
    if payload.len() > MAX_DECODED_BYTES {
        return Err(ShareError::new(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES }));
    }
    payload::read(payload).map_err(ShareError::new)
}

/// A warning for the page to show when a link of `fragment_len` characters
/// (the fragment, or better the whole link) is longer than
/// [`LONG_LINK_CHARS`]; `None` when it is short enough to paste anywhere.
pub fn link_length_warning(fragment_len: usize) -> Option<&'static str> {
    (fragment_len > LONG_LINK_CHARS).then_some(
        "This link is longer than 8,000 characters: some chat tools and e-mail clients cut \
         such links off. Download the scenario as a file and send that instead.",
    )
}

/// Checks the version tag and returns what follows it.
fn strip_version(fragment: &str) -> Result<&str, ShareError> {
    let missing = || ShareError::new(ShareErrorKind::MissingVersion);
    let rest = fragment.strip_prefix('v').ok_or_else(missing)?;
    let (digits, body) = rest.split_once('.').ok_or_else(missing)?;
    // At most 9 digits always fits a u32; no leading zeros, so that every
    // version has exactly one spelling.
    let well_formed = !digits.is_empty()
        && digits.len() <= 9
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !well_formed {
        return Err(missing());
    }
    let found = digits.parse::<u32>().map_err(|_| missing())?;
    match found {
        VERSION => Ok(body),
        0 => Err(ShareError::new(ShareErrorKind::UnknownVersion { found })),
        _ if found > VERSION => Err(ShareError::new(ShareErrorKind::FutureVersion { found })),
        _ => Err(ShareError::new(ShareErrorKind::UnknownVersion { found })),
    }
}

/// The longest base64 body a link within [`MAX_DECODED_BYTES`] can have:
/// deflate never expands data by more than its stored-block framing (5 bytes
/// per block of at most 64 KiB) plus the zlib header and checksum. Longer
/// bodies are refused before anything is allocated for them.
const fn max_body_chars() -> usize {
    let max_compressed = MAX_DECODED_BYTES + (MAX_DECODED_BYTES / 16_384 + 1) * 5 + 64;
    max_compressed.div_ceil(3) * 4
}

/// Appends `n` in decimal without going through `core::fmt`.
fn push_decimal(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut n = n;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (n % 10) as u8;
        }
        len += 1;
        n /= 10;
        if n == 0 || len == digits.len() {
            break;
        }
    }
    for &d in digits.iter().take(len).rev() {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn state() -> SharedState {
        SharedState {
            scenario: "kind: Pod\n".to_string(),
            compare: None,
            flow: Some(SharedFlow {
                from: "shop/web".to_string(),
                to: "shop/db".to_string(),
                probe: "TCP/5432".to_string(),
            }),
            view: View::Inspector,
        }
    }

    #[test]
    fn fragment_starts_with_the_version_tag_and_uses_the_url_safe_alphabet() {
        let fragment = encode(&state());
        assert!(fragment.starts_with("v1."), "{fragment}");
        let body = &fragment[3..];
        assert!(body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&fragment), Ok(state()));
    }

    #[test]
    fn leading_hash_whitespace_and_a_whole_link_are_accepted() {
        let fragment = encode(&state());
        for input in [
            alloc::format!("#{fragment}"),
            alloc::format!("  #{fragment}\n"),
            alloc::format!("https://example.test/playground/#{fragment}"),
        ] {
            assert_eq!(decode(&input), Ok(state()), "{input}");
        }
    }

    #[test]
    fn the_two_halves_of_decode_with_another_inflater_open_the_same_state() {
        let zlib = zlib_of_fragment(&encode(&state())).expect("a zlib stream");
        let payload = zlib::inflate(&zlib, MAX_DECODED_BYTES).expect("inflates");
        assert_eq!(state_of_payload(&payload), Ok(state()));
        assert_eq!(zlib_of_fragment("v1.@@").map_err(|e| e.kind().clone()), Err(ShareErrorKind::BadBase64));
        let too_large = alloc::vec![0u8; MAX_DECODED_BYTES + 1];
        assert_eq!(
            state_of_payload(&too_large).map_err(|e| e.kind().clone()),
            Err(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES })
        );
    }

    #[test]
    fn version_tags() {
        let kind = |s: &str| decode(s).map(|_| ()).map_err(|e| e.kind().clone());
        assert_eq!(kind(""), Err(ShareErrorKind::Empty));
        assert_eq!(kind("#"), Err(ShareErrorKind::Empty));
        assert_eq!(kind("  # "), Err(ShareErrorKind::Empty));
        assert_eq!(kind("eJwLAAA"), Err(ShareErrorKind::MissingVersion));
        assert_eq!(kind("v1"), Err(ShareErrorKind::MissingVersion));
        assert_eq!(kind("v.abc"), Err(ShareErrorKind::MissingVersion));
        assert_eq!(kind("v01.abc"), Err(ShareErrorKind::MissingVersion));
        assert_eq!(kind("v+1.abc"), Err(ShareErrorKind::MissingVersion));
        assert_eq!(kind("V1.abc"), Err(ShareErrorKind::MissingVersion));
        assert_eq!(kind("v9999999999.abc"), Err(ShareErrorKind::MissingVersion));
        assert_eq!(kind("v0.abc"), Err(ShareErrorKind::UnknownVersion { found: 0 }));
        assert_eq!(kind("v2.abc"), Err(ShareErrorKind::FutureVersion { found: 2 }));
        assert_eq!(kind("v999999999."), Err(ShareErrorKind::FutureVersion { found: 999_999_999 }));
        assert_eq!(kind("v1."), Err(ShareErrorKind::Truncated));
        assert_eq!(kind("v1.a=="), Err(ShareErrorKind::BadBase64));
        assert_eq!(kind("v1.ab+/"), Err(ShareErrorKind::BadBase64));
    }

    #[test]
    fn push_decimal_writes_every_width() {
        for n in [0, 7, 10, 99, 1_000, 4_294_967_295] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn body_limit_admits_incompressible_payloads() {
        // Deflate's worst case is stored blocks; measure their overhead on
        // random bytes (xorshift) and check that the early length limit,
        // scaled the same way, would admit them at the full payload size.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let n = 256 * 1024;
        let data: alloc::vec::Vec<u8> = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect();
        let overhead = zlib::compress(&data).len().saturating_sub(n);
        let scaled = MAX_DECODED_BYTES + overhead * (MAX_DECODED_BYTES / n) + 6;
        assert!(scaled.div_ceil(3) * 4 <= max_body_chars(), "overhead {overhead} for {n} bytes");
    }

    #[test]
    fn overlong_body_is_refused_before_decoding() {
        let mut s = String::from("v1.");
        s.extend(core::iter::repeat_n('A', max_body_chars() + 1));
        assert_eq!(
            decode(&s).map_err(|e| e.kind().clone()),
            Err(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES })
        );
    }

    #[test]
    fn long_link_warning_threshold() {
        assert_eq!(link_length_warning(0), None);
        assert_eq!(link_length_warning(LONG_LINK_CHARS), None);
        assert!(link_length_warning(LONG_LINK_CHARS + 1).is_some_and(|w| w.contains("8,000")));
    }

    #[test]
    fn unknown_view_codes_open_the_default_view() {
        for view in View::ALL {
            assert_eq!(View::from_code(view.code()), view);
        }
        assert_eq!(View::from_code(4), View::Graph);
        assert_eq!(View::from_code(u64::MAX), View::Graph);
    }
}
