//! SVG numbers as text, to one decimal, with integer arithmetic.
//!
//! Why not `format!("{:.1}", x)` or an `f64` attribute value: both link the
//! standard library's float formatting (`core::fmt::float`, ~15 KB of wasm,
//! issue 3's size budget) and the graph is its only user on the page. A
//! coordinate needs no more than tenths of a drawing unit, so it is rounded
//! to an integer count of tenths and written with integer `Display`.

use std::fmt::Write as _;

/// Appends `v` rounded to tenths: `12.3`, `-0.5`, `40` (no trailing `.0`).
/// Non-finite values (never produced by the layout) are written as `0`,
/// which keeps the SVG attribute valid.
pub fn push(out: &mut String, v: f64) {
    let tenths = if v.is_finite() { (v * 10.0).round() } else { 0.0 };
    // Clamped so the cast is exact; drawings are far smaller than 10^17.
    let tenths = tenths.clamp(-1e17, 1e17) as i64;
    if tenths < 0 {
        out.push('-');
    }
    let abs = tenths.unsigned_abs();
    let _ = write!(out, "{}", abs / 10);
    let digit = (abs % 10) as u8;
    if digit != 0 {
        out.push('.');
        out.push(char::from(b'0' + digit));
    }
}

/// `v` rounded to tenths, as an attribute value.
pub fn num(v: f64) -> String {
    let mut s = String::new();
    push(&mut s, v);
    s
}

/// `values` to tenths, separated as `seps[k]` before value `k + 1`
/// (e.g. `M1,2 Q3,4 5,6` is `[",", " Q", ",", " ", ","]` after an `M`).
pub fn join(out: &mut String, values: &[f64], seps: &[&str]) {
    for (k, &v) in values.iter().enumerate() {
        if k > 0 {
            out.push_str(seps.get(k - 1).copied().unwrap_or(" "));
        }
        push(out, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same text as `{:.1}` up to the trailing `.0`, which SVG does not need.
    #[test]
    fn tenths_match_float_formatting() {
        for v in [0.0, 0.04, 0.05, 0.26, 1.0, 12.34, 12.35, 99.96, 123_456.7, -0.5, -3.21, -0.04, 7.5e6] {
            let want = format!("{v:.1}");
            let want = want.strip_suffix(".0").unwrap_or(&want);
            let want = if want == "-0" { "0" } else { want };
            let got = num(v);
            // Halfway cases may round either way in binary; both are within
            // half a tenth of `v`.
            let parsed: f64 = got.parse().unwrap_or(f64::NAN);
            assert!((parsed - v).abs() <= 0.050_001, "{v}: {got}");
            if (v * 100.0).round() % 10.0 != 5.0 {
                assert_eq!(got, want, "{v}");
            }
        }
    }

    #[test]
    fn non_finite_values_stay_valid_numbers() {
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
    }

    #[test]
    fn joins_with_separators() {
        let mut s = String::from("M");
        join(&mut s, &[1.0, 2.25, 3.0, 4.0, 5.5, 6.0], &[",", " Q", ",", " ", ","]);
        assert_eq!(s, "M1,2.3 Q3,4 5.5,6");
    }
}
