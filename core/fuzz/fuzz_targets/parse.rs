//! Fuzzes the parser: arbitrary bytes (as lossy UTF-8) must never panic, and
//! every reported span must be a non-inverted range inside the text.
//!
//! Run: `cd core && cargo +nightly fuzz run parse -- -max_total_time=180`
#![no_main]

use libfuzzer_sys::fuzz_target;
use netpol_core::parse::parse_str;
use netpol_core::span::Span;

fn check(text: &str, span: &Span, what: &str) {
    assert!(span.start.offset <= span.end.offset, "{what}: inverted span {span:?}");
    assert!(span.end.offset as usize <= text.len(), "{what}: span past the end {span:?}");
    assert!(span.start.line >= 1 && span.start.col >= 1, "{what}: bad position {span:?}");
    assert!(text.is_char_boundary(span.start.offset as usize), "{what}: offset inside a character");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = parse_str(&text);
    for d in &out.diagnostics {
        check(&text, &d.span, &d.message);
        let _ = d.render("fuzz");
    }
    for p in &out.scenario.policies {
        check(&text, &p.span, "policy");
        for r in p.ingress.iter().chain(&p.egress) {
            check(&text, &r.span, "rule");
            r.peers.iter().for_each(|x| check(&text, &x.span, "peer"));
            r.ports.iter().for_each(|x| check(&text, &x.span, "port"));
        }
    }
    for e in &out.scenario.endpoints {
        check(&text, &e.span, "endpoint");
    }
});
