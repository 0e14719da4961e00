//! Fuzzes the parser: arbitrary bytes (as lossy UTF-8) must never panic, and
//! every reported position must lie inside the text.
//!
//! Run: `cd core/fuzz && cargo +nightly fuzz run parse -- -max_total_time=180`
#![no_main]

use libfuzzer_sys::fuzz_target;
use netpol_core::parse::parse_str;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = parse_str(&text);
    for d in &out.diagnostics {
        assert!(
            d.span.end.offset as usize <= text.len(),
            "diagnostic past the end: {d:?}"
        );
        assert!(
            d.span.start.line >= 1 && d.span.start.col >= 1,
            "bad position: {d:?}"
        );
        let _ = d.render("fuzz");
    }
    for p in &out.scenario.policies {
        assert!(p.span.end.offset as usize <= text.len());
    }
});
