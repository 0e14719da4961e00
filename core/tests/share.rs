//! Share links (issue 4): round trips, the frozen v1 contract, link sizes,
//! and robustness against broken, truncated, tampered, future-version and
//! bomb fragments. Run with `cargo test -p netpol-core --features share --test share`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use netpol_core::presets::PRESETS;
use netpol_core::share::{
    decode, encode, fragment_of_zlib, link_length_warning, payload, try_encode, ShareErrorKind, SharedFlow,
    SharedState, View, MAX_DECODED_BYTES,
};
use proptest::prelude::*;

fn kind(fragment: &str) -> Result<SharedState, ShareErrorKind> {
    decode(fragment).map_err(|e| e.kind().clone())
}

fn flow(from: &str, to: &str, probe: &str) -> SharedFlow {
    SharedFlow { from: from.to_string(), to: to.to_string(), probe: probe.to_string() }
}

/// Wraps raw payload bytes the way the encoder does, to test what the
/// payload reader does with bytes no encoder of this release writes.
fn fragment_of_payload(payload: &[u8]) -> String {
    let z = miniz_oxide::deflate::compress_to_vec_zlib(payload, 6);
    format!("v1.{}", URL_SAFE_NO_PAD.encode(z))
}

// ---------------------------------------------------------------------------
// The contract: fragments made by the first release decode forever.
// Never edit these strings or their expected states; add new ones instead.

#[test]
fn frozen_fragments_decode_forever() {
    // Made by `encode` of release 0.1.0.
    let minimal = "v1.eNoBOwDE_wE2YXBpVmVyc2lvbjogdjEKa2luZDogTmFtZXNwYWNlCm1ldGFkYXRhOgogIG5hbWU6IHNob3AKBAEAS8ESgw";
    assert_eq!(
        decode(minimal),
        Ok(SharedState {
            scenario: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n".to_string(),
            compare: None,
            flow: None,
            view: View::Graph,
        })
    );

    // Made by `encode` of release 0.1.0: every field, non-ASCII text.
    let full = "v1.eNqtjDEKwjAYhWkrIsFD_OBuLSJCZg_Qxe5_m4DBNgmm1EEKrg4FQUcv4OTq4JabFHoPU_EI5S2Px_c-z8zAfqR9ZfbN7BPaxw3a8x26a9NdGoJaJPxghJIUqojshWQUYsVIwUtkWCIlABILTuHI0383GjM3mJ3Sbskx5bmhcEKtf1RN_GRwrxPWJABvaqqM9kTofv4kWsz7rIPxdhOHq-XIC77ScFEn";
    assert_eq!(
        decode(full),
        Ok(SharedState {
            scenario: "# ünïcødé ✓ — 名前\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels: {app: web}\n".to_string(),
            compare: Some("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels: {app: api}\n".to_string()),
            flow: Some(flow("svc:shop/web", "10.0.0.7", "UDP/53")),
            view: View::Compare,
        })
    );

    // As a later release may write v1: an unknown top-level record (tag 9),
    // an unknown record inside the flow (tag 4) and a view code (7) this
    // release does not know. All are skipped; the view falls back to graph.
    let from_later_release =
        "v1.eNoBPgDB_wELa2luZDogTGlzdAoJC2xhdGVyIGZpZWxkAx8BBWEvb25lAggxMC4xLjIuMwMIVENQLzg0NDMEAmhpBAEH-5wOXw";
    assert_eq!(
        decode(from_later_release),
        Ok(SharedState {
            scenario: "kind: List\n".to_string(),
            compare: None,
            flow: Some(flow("a/one", "10.1.2.3", "TCP/8443")),
            view: View::Graph,
        })
    );
}

// ---------------------------------------------------------------------------
// Size: a 200-line scenario gives a link well under 2,000 characters.

#[test]
fn every_preset_with_its_flow_fits_in_2000_characters() {
    let biggest = PRESETS.iter().max_by_key(|p| p.yaml.lines().count()).expect("presets exist");
    assert!(
        biggest.yaml.lines().count() >= 200,
        "the size claim is about a 200-line scenario; the biggest preset `{}` has fewer lines",
        biggest.id
    );
    for preset in PRESETS {
        let state = SharedState {
            scenario: preset.yaml.to_string(),
            compare: None,
            flow: Some(flow(preset.focus.from, preset.focus.to, preset.focus.probe)),
            view: View::Inspector,
        };
        let fragment = encode(&state);
        assert!(
            fragment.len() < 2_000,
            "{} ({} lines): {} characters",
            preset.id,
            preset.yaml.lines().count(),
            fragment.len()
        );
        assert_eq!(link_length_warning(fragment.len()), None);
        assert_eq!(decode(&fragment), Ok(state), "{}", preset.id);
    }
}

#[test]
fn a_compare_text_that_differs_by_one_edit_costs_little() {
    // The compare text is usually the scenario with a small change; deflate's
    // window spans both, so the link grows by far less than a second copy.
    let scenario = PRESETS.iter().max_by_key(|p| p.yaml.len()).map(|p| p.yaml).expect("presets exist");
    assert!(scenario.len() < 32 * 1024, "beyond deflate's window the claim does not hold");
    let alone = encode(&SharedState { scenario: scenario.to_string(), ..SharedState::default() });
    let with_compare = encode(&SharedState {
        scenario: scenario.to_string(),
        compare: Some(scenario.replacen("port: ", "port: 1", 1)),
        flow: None,
        view: View::Compare,
    });
    assert!(with_compare.len() < alone.len() + 200, "alone {}, with compare {}", alone.len(), with_compare.len());
}

#[test]
fn long_link_warning_is_about_8000_characters() {
    assert_eq!(link_length_warning(8_000), None);
    let warning = link_length_warning(8_001).expect("a warning past 8,000");
    assert!(warning.contains("file"), "{warning}");
}

// ---------------------------------------------------------------------------
// Errors a user can read.

#[test]
fn messages_name_the_problem() {
    let message = |f: &str| decode(f).map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(
        message("v3.AAAA"),
        Err("This link was made by a newer version of the playground (v3); this page understands v1. Open it with a newer release.".to_string())
    );
    assert!(message("").is_err_and(|m| m.contains("nothing follows")));
    assert!(message("hello").is_err_and(|m| m.contains("not a playground share link")));
    assert!(message("v1.@@@").is_err_and(|m| m.contains("characters a share link cannot have")));
    let valid = encode(&SharedState::default());
    assert!(message(&valid[..valid.len() - 3]).is_err_and(|m| m.contains("cut off")));
}

#[test]
fn every_error_kind_has_a_full_sentence() {
    let kinds = [
        "",
        "x",
        "v0.AAAA",
        "v7.AAAA",
        "v1.A",
        "v1.eNoDAAAAAAE", // a valid zlib stream of an empty payload: no scenario
    ];
    for fragment in kinds {
        let err = decode(fragment).expect_err(fragment);
        let text = err.to_string();
        assert!(text.starts_with("This ") && text.ends_with('.'), "{fragment}: {text}");
    }
}

#[test]
fn a_checksum_mismatch_is_reported_as_alteration() {
    // A payload holding an empty scenario, then the same with its Adler-32 broken.
    let good = miniz_oxide::deflate::compress_to_vec_zlib(&[1, 0], 10);
    let mut bad = good.clone();
    if let Some(last) = bad.last_mut() {
        *last ^= 0x10;
    }
    assert!(kind(&format!("v1.{}", URL_SAFE_NO_PAD.encode(&good))).is_ok());
    assert_eq!(kind(&format!("v1.{}", URL_SAFE_NO_PAD.encode(&bad))), Err(ShareErrorKind::ChecksumMismatch));
}

#[test]
fn a_tampered_fragment_is_refused_not_silently_changed() {
    let state = SharedState {
        scenario: PRESETS[0].yaml.to_string(),
        compare: None,
        flow: Some(flow("dev/debug", "shop/db", "TCP/5432")),
        view: View::Matrix,
    };
    let fragment = encode(&state);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut refused = 0;
    let body_start = 3;
    for i in body_start..fragment.len() {
        let original = fragment.as_bytes()[i];
        // Two replacements per position keep the test quick; the proptest
        // below tries many more.
        for &c in alphabet.iter().filter(|&&c| c != original).take(2) {
            let mut bytes = fragment.clone().into_bytes();
            bytes[i] = c;
            let tampered = String::from_utf8(bytes).expect("ASCII");
            match decode(&tampered) {
                Err(_) => refused += 1,
                Ok(got) => assert_eq!(got, state, "position {i} changed to {}", c as char),
            }
        }
    }
    // Only the padding bits deflate leaves before the checksum can change
    // without effect; nearly every tampering must be refused.
    let tried = 2 * (fragment.len() - body_start);
    assert!(refused * 100 >= tried * 99, "{refused} of {tried} refused");
}

#[test]
fn trailing_characters_are_refused() {
    let fragment = encode(&SharedState::default());
    for extra in ["A", "AA", "AAAA", "AAAAAAAA"] {
        assert!(kind(&format!("{fragment}{extra}")).is_err(), "{extra}");
    }
}

#[test]
fn payload_errors_surface_through_decode() {
    assert_eq!(kind(&fragment_of_payload(&[])), Err(ShareErrorKind::MissingField { field: "scenario" }));
    assert_eq!(kind(&fragment_of_payload(&[1, 9, b'a'])), Err(ShareErrorKind::PayloadTruncated));
    assert_eq!(kind(&fragment_of_payload(&[1, 1, 0x80])), Err(ShareErrorKind::NotUtf8 { field: "scenario" }));
    assert_eq!(kind(&fragment_of_payload(&[1, 0, 1, 0])), Err(ShareErrorKind::DuplicateField { field: "scenario" }));
}

// ---------------------------------------------------------------------------
// Size limits: decompression bombs and oversized scenarios.

/// A zlib stream that inflates to `len` zero bytes (a whole number of
/// 258-byte runs plus one), built by hand as one fixed-Huffman block of
/// "copy 258 bytes from distance 1" codes, as a bomb would be. It has no
/// checksum: a decoder must stop before it would need one.
fn bomb(len: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }
    impl Bits {
        /// Appends `count` bits of `value`, least significant first.
        fn lsb(&mut self, value: u32, count: u32) {
            for i in 0..count {
                self.acc |= ((value >> i) & 1) << self.n;
                self.n += 1;
                if self.n == 8 {
                    self.out.push(self.acc as u8);
                    self.acc = 0;
                    self.n = 0;
                }
            }
        }
        /// Appends a Huffman code, most significant bit first (RFC 1951 3.1.1).
        fn code(&mut self, code: u32, count: u32) {
            for i in (0..count).rev() {
                self.lsb((code >> i) & 1, 1);
            }
        }
    }
    let mut bits = Bits { out: vec![0x78, 0x01], acc: 0, n: 0 };
    bits.lsb(1, 1); // BFINAL
    bits.lsb(1, 2); // BTYPE = fixed Huffman
    bits.code(0b0011_0000, 8); // literal 0
    for _ in 0..(len - 1) / 258 {
        bits.code(0b1100_0101, 8); // length symbol 285 = 258 bytes
        bits.code(0, 5); // distance symbol 0 = distance 1
    }
    bits.code(0, 7); // end of block (symbol 256)
    if bits.n > 0 {
        bits.out.push(bits.acc as u8);
    }
    bits.out
}

#[test]
fn a_decompression_bomb_is_refused_at_the_limit() {
    // Sanity: with its Adler-32 appended (of n zeros: a = 1, b = n), a small
    // bomb is a valid zlib stream of exactly the zeros it claims.
    let n = 1 + 258 * 4;
    let mut small = bomb(n);
    small.extend_from_slice(&(((n as u32 % 65_521) << 16) | 1).to_be_bytes());
    let inflated = miniz_oxide::inflate::decompress_to_vec_zlib(&small).map_err(|e| e.status);
    assert_eq!(inflated, Ok(vec![0; n]));

    // 64 MiB from a fragment of about 3% of that; refused after 4 MiB.
    let z = bomb(64 << 20);
    let fragment = format!("v1.{}", URL_SAFE_NO_PAD.encode(&z));
    assert!(fragment.len() < (64 << 20) / 20, "{}", fragment.len());
    assert_eq!(kind(&fragment), Err(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES }));
}

#[test]
fn a_payload_just_over_the_limit_is_refused_and_try_encode_says_so() {
    let state = SharedState { scenario: "# padding\n".repeat(MAX_DECODED_BYTES / 10 + 1), ..SharedState::default() };
    assert_eq!(
        try_encode(&state).map_err(|e| e.kind().clone()),
        Err(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES })
    );
    let fragment = encode(&state);
    assert!(fragment.len() < 20_000, "repetitive text compresses: {}", fragment.len());
    assert_eq!(kind(&fragment), Err(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES }));
}

#[test]
fn a_payload_at_the_limit_still_opens() {
    // The payload adds 1 tag byte, a 4-byte length, and the view record (3).
    let scenario = "x".repeat(MAX_DECODED_BYTES - 8);
    let state = SharedState { scenario, ..SharedState::default() };
    let fragment = try_encode(&state).expect("exactly at the limit");
    assert_eq!(decode(&fragment), Ok(state));
}

// ---------------------------------------------------------------------------
// Properties.

fn any_view() -> impl Strategy<Value = View> {
    prop::sample::select(View::ALL.to_vec())
}

fn any_flow() -> impl Strategy<Value = SharedFlow> {
    (any::<String>(), any::<String>(), any::<String>()).prop_map(|(from, to, probe)| SharedFlow { from, to, probe })
}

fn any_state() -> impl Strategy<Value = SharedState> {
    (
        prop_oneof![any::<String>(), "(\\PC{0,80}\n){0,40}"],
        prop::option::of(any::<String>()),
        prop::option::of(any_flow()),
        any_view(),
    )
        .prop_map(|(scenario, compare, flow, view)| SharedState { scenario, compare, flow, view })
}

/// Text that decode must survive: arbitrary strings, strings that look like
/// fragments, and fragments of arbitrary bytes.
fn hostile_input() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "#?v[0-9]{0,3}\\.?[A-Za-z0-9_=+/ -]{0,200}",
        prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| format!("v1.{}", URL_SAFE_NO_PAD.encode(b))),
        prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| fragment_of_payload(&b)),
    ]
}

proptest! {
    #[test]
    fn encode_then_decode_is_identity(state in any_state()) {
        let fragment = encode(&state);
        prop_assert!(fragment.starts_with("v1."));
        prop_assert_eq!(decode(&fragment), Ok(state.clone()));
        prop_assert_eq!(decode(&format!("#{fragment}")), Ok(state));
    }

    #[test]
    fn decode_never_panics_and_what_it_accepts_round_trips(input in hostile_input()) {
        if let Ok(state) = decode(&input) {
            prop_assert_eq!(decode(&encode(&state)), Ok(state));
        }
    }

    #[test]
    fn truncations_are_refused(state in any_state(), cut in any::<prop::sample::Index>()) {
        let fragment = encode(&state);
        let at = cut.index(fragment.len());
        prop_assert!(decode(&fragment[..at]).is_err(), "prefix of {} chars accepted", at);
    }

    #[test]
    fn single_character_changes_are_refused_or_harmless(
        state in any_state(),
        at in any::<prop::sample::Index>(),
        c in "[A-Za-z0-9_.#-]",
        edit in 0..3u8,
    ) {
        let fragment = encode(&state);
        let i = at.index(fragment.len());
        let mut tampered = fragment.clone();
        match edit {
            0 => tampered.replace_range(i..=i, &c),
            1 => tampered.insert_str(i, &c),
            _ => { tampered.remove(i); }
        }
        if let Ok(got) = decode(&tampered) {
            prop_assert_eq!(got, state, "{} accepted as a different state", tampered);
        }
    }
}

// ---------------------------------------------------------------------------
// The page compresses with the browser's CompressionStream("deflate"), the CLI
// with miniz: a link is any zlib stream of the payload, whatever its level.

#[test]
fn the_payload_compressed_at_any_level_opens_the_same_state() {
    let state = SharedState {
        scenario: PRESETS[0].yaml.to_string(),
        compare: Some("kind: Namespace\n".to_string()),
        flow: Some(flow("shop/web", "svc:shop/db", "TCP/5432")),
        view: View::Matrix,
    };
    let bytes = payload(&state).expect("a small state");
    for level in 0..=10 {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, level);
        assert_eq!(decode(&fragment_of_zlib(&z)), Ok(state.clone()), "level {level}");
    }
    // At miniz's best level the two halves are exactly `encode`.
    let best = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 10);
    assert_eq!(fragment_of_zlib(&best), encode(&state));
    assert_eq!(try_encode(&state).as_deref(), Ok(encode(&state).as_str()));
}

#[test]
fn the_payload_of_a_state_too_large_to_open_is_refused() {
    let state =
        SharedState { scenario: "x".repeat(MAX_DECODED_BYTES + 1), compare: None, flow: None, view: View::Graph };
    assert_eq!(
        payload(&state).map_err(|e| e.kind().clone()),
        Err(ShareErrorKind::TooLarge { limit: MAX_DECODED_BYTES })
    );
}
