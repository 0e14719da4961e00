//! The flow pickers' suggestions: the names that contain what the user
//! typed, at most [`CAP`] of them.
//!
//! # Why a cap
//! A `<datalist>` with one `<option>` per pod is fine at 50 pods and a
//! stall at 150,000 (building, diffing and laying out the list on every
//! keystroke). Nobody scrolls such a list: people type part of a name. So
//! the list holds the first [`CAP`] names containing the typed text
//! (ignoring case), and narrows as they type.

/// At most this many suggestions are offered.
pub const CAP: usize = 50;

/// The first [`CAP`] of `names` containing `typed` (ignoring ASCII case),
/// in their order. An empty `typed` matches everything.
pub fn suggestions<'a>(names: impl IntoIterator<Item = &'a str>, typed: &str) -> Vec<&'a str> {
    let typed = typed.trim().to_ascii_lowercase();
    names.into_iter().filter(|n| contains_ignoring_case(n, &typed)).take(CAP).collect()
}

/// [`suggestions`] of `count` names written on demand: `write(i, buf)`
/// appends the `i`-th name to `buf`, a buffer reused for every name, so a
/// keystroke allocates the names it keeps, not one string per pod.
pub fn suggestions_written(count: usize, typed: &str, mut write: impl FnMut(usize, &mut String)) -> Vec<String> {
    let typed = typed.trim().to_ascii_lowercase();
    let mut name = String::new();
    let mut kept = Vec::new();
    for i in 0..count {
        if kept.len() == CAP {
            break;
        }
        name.clear();
        write(i, &mut name);
        if contains_ignoring_case(&name, &typed) {
            kept.push(name.clone());
        }
    }
    kept
}

/// Whether `haystack` contains the lowercase `needle`, ignoring ASCII case,
/// without allocating (this runs over every name on every keystroke).
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_narrow_as_the_user_types_and_are_capped() {
        let names: Vec<String> = (0..150_000).map(|i| format!("team-{}/api-{i:06}", i % 1000)).collect();
        let all = suggestions(names.iter().map(String::as_str), "");
        assert_eq!(all.len(), CAP);
        assert_eq!(all[0], "team-0/api-000000");
        let some = suggestions(names.iter().map(String::as_str), "TEAM-7/API-00");
        assert!(some.iter().all(|n| n.starts_with("team-7/api-00")), "{some:?}");
        assert_eq!(some.first().copied(), Some("team-7/api-000007"));
        let one = suggestions(names.iter().map(String::as_str), " api-149999 ");
        assert_eq!(one, vec!["team-999/api-149999"]);
        assert!(suggestions(names.iter().map(String::as_str), "nope").is_empty());
    }

    #[test]
    fn written_names_give_the_same_suggestions() {
        let names: Vec<String> = (0..5_000).map(|i| format!("team-{}/api-{i:06}", i % 100)).collect();
        for typed in ["", "TEAM-7/API-00", " api-004999 ", "nope"] {
            let written = suggestions_written(names.len(), typed, |i, buf| buf.push_str(&names[i]));
            assert_eq!(written, suggestions(names.iter().map(String::as_str), typed), "{typed:?}");
        }
    }
}
