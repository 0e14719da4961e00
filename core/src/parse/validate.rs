//! The API server's string validations, as pure functions returning what is
//! wrong in words.
//!
//! Mirrors `k8s.io/apimachinery/pkg/util/validation` (`IsQualifiedName`,
//! `IsValidLabelValue`, `IsDNS1123Subdomain`, `IsValidPortName`,
//! `IsValidPortNum`), which `ValidateLabelSelector` and
//! `ValidateNetworkPolicyPort` call.

use alloc::format;
use alloc::string::String;

/// `qualifiedNameMaxLength` / `LabelValueMaxLength`.
const NAME_MAX: usize = 63;
/// `DNS1123SubdomainMaxLength`.
const SUBDOMAIN_MAX: usize = 253;
/// IANA_SVC_NAME length limit (RFC 6335).
const PORT_NAME_MAX: usize = 15;

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, the shape of a label name and
/// a non-empty label value.
fn is_label_token(s: &str) -> bool {
    let b = s.as_bytes();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

const TOKEN_RULE: &str = "start and end with a letter or digit and contain only letters, digits, `-`, `_` and `.`";

/// `IsDNS1123Subdomain`: lower-case labels of `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
/// joined by dots, at most 253 characters.
pub(crate) fn dns1123_subdomain(s: &str) -> Result<(), String> {
    if s.len() > SUBDOMAIN_MAX {
        return Err(format!("must be no more than {SUBDOMAIN_MAX} characters"));
    }
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        matches!((b.first(), b.last()), (Some(f), Some(e)) if (f.is_ascii_lowercase() || f.is_ascii_digit()) && (e.is_ascii_lowercase() || e.is_ascii_digit()))
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
    };
    if s.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(String::from(
            "must be a lower-case DNS subdomain: parts of lower-case letters, digits and `-`, separated by `.`, each starting and ending with a letter or digit",
        ))
    }
}

/// `IsQualifiedName`: a label key, `[prefix/]name`.
pub(crate) fn label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if name.contains('/') {
            return Err(format!(
                "label key `{key}` may contain at most one `/` (between an optional prefix and the name)"
            ));
        }
        if p.is_empty() {
            return Err(format!("label key `{key}` has an empty prefix before `/`"));
        }
        if let Err(e) = dns1123_subdomain(p) {
            return Err(format!("the prefix `{p}` of label key `{key}` {e}"));
        }
    }
    if name.is_empty() {
        return Err(format!("label key `{key}` has an empty name"));
    }
    if name.len() > NAME_MAX {
        return Err(format!("the name part of label key `{key}` must be no more than {NAME_MAX} characters"));
    }
    if !is_label_token(name) {
        return Err(format!("label key `{key}` is invalid: the name must {TOKEN_RULE}"));
    }
    Ok(())
}

/// `IsValidLabelValue`: empty, or up to 63 characters of the label shape.
pub(crate) fn label_value(value: &str) -> Result<(), String> {
    if value.len() > NAME_MAX {
        return Err(format!("label value `{value}` must be no more than {NAME_MAX} characters"));
    }
    if !value.is_empty() && !is_label_token(value) {
        return Err(format!("label value `{value}` is invalid: a value must be empty or {TOKEN_RULE}"));
    }
    Ok(())
}

/// `IsValidPortName` (IANA_SVC_NAME, RFC 6335): 1–15 characters of
/// lower-case letters, digits and `-`, at least one letter, no `-` at either
/// end and no `--`.
pub(crate) fn port_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > PORT_NAME_MAX {
        return Err(format!("port name `{name}` must be 1 to {PORT_NAME_MAX} characters"));
    }
    if !name.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
        return Err(format!("port name `{name}` may contain only lower-case letters, digits and `-`"));
    }
    if !name.bytes().any(|c| c.is_ascii_lowercase()) {
        return Err(format!("port name `{name}` must contain at least one letter"));
    }
    if name.contains("--") {
        return Err(format!("port name `{name}` may not contain `--`"));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err(format!("port name `{name}` may not start or end with `-`"));
    }
    Ok(())
}

/// `IsValidPortNum`: 1–65535.
pub(crate) fn port_number(n: i64) -> Result<u16, String> {
    match u16::try_from(n) {
        Ok(p) if p != 0 => Ok(p),
        _ => Err(format!("port {n} is out of range: it must be between 1 and 65535")),
    }
}

/// Levenshtein distance, for "did you mean" suggestions (inputs are field
/// names: short).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: alloc::vec::Vec<char> = b.chars().collect();
    let mut prev: alloc::vec::Vec<usize> = (0..=b.len()).collect();
    let mut cur = alloc::vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        core::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from apimachinery's validation_test.go (TestIsQualifiedName,
    /// TestIsValidLabelValue, TestIsValidPortName).
    #[test]
    fn label_keys() {
        for ok in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now-with-dashes/simple",
            "now-with-dashes/now-with-dashes",
            "now.with.dots/simple",
            "now-with.dashes-and.dots/simple",
            "1-num.2-num/3-num",
            "1234/5678",
            "1.2.3.4/5678",
            "Uppercase_Is_OK_123",
            "example.com/Uppercase_Is_OK_123",
            "requests.storage-foo",
            "kubernetes.io/metadata.name",
        ] {
            assert_eq!(label_key(ok), Ok(()), "{ok}");
        }
        let long_name = "a".repeat(64);
        let long_prefix = format!("{}/a", "a".repeat(254));
        for bad in [
            "nospecialchars%^=@",
            "cantendwithadash-",
            "-cantstartwithadash-",
            "only/one/slash",
            "Example.com/abc",
            "example_com/abc",
            "example.com/",
            "/simple",
            &long_name,
            &long_prefix,
            "",
        ] {
            assert!(label_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn label_values() {
        for ok in [
            "",
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "end-with-num-1",
            "1234",
            "a".repeat(63).as_str(),
            "Uppercase_Is_OK_123",
        ] {
            assert_eq!(label_value(ok), Ok(()), "{ok}");
        }
        for bad in [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.is_Māori.sun",
            "\\backslashes\\are\\bad",
            "-starts-with-dash",
            "ends-with-dash-",
            ".starts.with.dot",
            "ends.with.dot.",
            "a".repeat(64).as_str(),
        ] {
            assert!(label_value(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn port_names() {
        for ok in ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"] {
            assert_eq!(port_name(ok), Ok(()), "{ok}");
        }
        for bad in ["longerthan15characters", "", "12345", "Upper", "a--b", "-begin", "end-", "a_b", "80"] {
            assert!(port_name(bad).is_err(), "{bad}");
        }
        assert_eq!(port_number(65535), Ok(65535));
        assert!(port_number(0).is_err());
        assert!(port_number(65536).is_err());
        assert!(port_number(-1).is_err());
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("podSelector", "podSelector"), 0);
        assert_eq!(edit_distance("podselector", "podSelector"), 1);
        assert_eq!(edit_distance("podSelectr", "podSelector"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ingres", "ingress"), 1);
        assert_eq!(edit_distance("egress", "ingress"), 2);
    }
}
