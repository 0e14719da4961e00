//! `netpol lint`: the core linter's findings through the binary, on
//! fixtures with a known finding (`kube-system-deny.yaml`: NP008, a
//! default deny in kube-system), an info-only one (`shop.yaml`: NP010 as
//! information, its AND is intended) and a clean one (`clean.yaml`).

mod common;

use common::{fixture, json, keys, netpol, stderr, stdout};

#[test]
fn text_locates_the_finding_in_file_line_col_form() {
    let path = fixture("kube-system-deny.yaml");
    let out = netpol(&["lint", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!(
            "{path}:7:1: warning[NP008] deny-all in kube-system (NetworkPolicy kube-system/deny-all, spec.podSelector)"
        )
    );
    assert!(text.contains("  fix: Leave kube-system out"), "{text}");
    assert!(text.ends_with("\n0 error(s), 1 warning(s), 0 info\n"), "{text}");
}

#[test]
fn clean_input_prints_only_the_summary() {
    let out = netpol(&["lint", "--deny", "warnings", &fixture("clean.yaml")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "0 error(s), 0 warning(s), 0 info\n");
    let doc = json(&netpol(&["lint", "--format", "json", &fixture("clean.yaml")]));
    assert_eq!(doc, serde_json::json!({"findings": []}));
}

#[test]
fn json_has_the_documented_fields() {
    let path = fixture("kube-system-deny.yaml");
    let out = netpol(&["lint", "--format", "json", &path]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    assert_eq!(keys(&doc), ["findings"]);
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{doc}");
    let f = &findings[0];
    assert_eq!(
        keys(f),
        [
            "column", "end_line", "file", "fix", "id", "line", "message", "path", "policy", "related", "severity",
            "title"
        ]
    );
    assert_eq!(f["id"], "NP008");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["title"], "deny-all in kube-system");
    assert_eq!(f["policy"], "kube-system/deny-all");
    assert_eq!(f["file"], path.as_str());
    assert_eq!((f["line"].as_u64(), f["column"].as_u64(), f["end_line"].as_u64()), (Some(7), Some(1), Some(15)));
    assert_eq!(f["path"], "spec.podSelector");
    assert!(f["message"].as_str().is_some_and(|m| m.contains("DNS")), "{f}");
    assert!(f["fix"].as_str().is_some_and(|m| m.contains("port: 53")), "{f}");
    assert_eq!(f["related"], serde_json::json!([]));
}

#[test]
fn deny_warnings_exits_1_only_for_warnings_or_errors() {
    let warn = netpol(&["lint", "--deny", "warnings", &fixture("kube-system-deny.yaml")]);
    assert_eq!(warn.status.code(), Some(1));
    assert!(stdout(&warn).contains("warning[NP008]"));
    // shop.yaml has an info finding only.
    let info = netpol(&["lint", "--deny", "warnings", &fixture("shop.yaml")]);
    assert_eq!(info.status.code(), Some(0), "{}", stdout(&info));
    assert!(stdout(&info).contains("info[NP010]"), "{}", stdout(&info));
    let json_warn = netpol(&["lint", "--format", "json", "--deny", "warnings", &fixture("kube-system-deny.yaml")]);
    assert_eq!(json_warn.status.code(), Some(1));
}

#[test]
fn input_errors_exit_2_even_with_deny() {
    let path = fixture("broken.yaml");
    let out = netpol(&["lint", "--deny", "warnings", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.yaml:33:27:"), "{}", stderr(&out));
    assert_eq!(netpol(&["lint"]).status.code(), Some(2));
    assert_eq!(netpol(&["lint", "--deny", "everything", &fixture("clean.yaml")]).status.code(), Some(2));
    assert_eq!(netpol(&["lint", "/does/not/exist.yaml"]).status.code(), Some(2));
}

#[test]
fn list_prints_every_rule() {
    let out = netpol(&["lint", "--list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first().map(|l| l.split_whitespace().collect::<Vec<_>>()), Some(vec!["ID", "SEVERITY", "TITLE"]));
    assert_eq!(lines.len(), 1 + netpol_core::lint::RULES.len());
    for rule in netpol_core::lint::RULES {
        let line = lines.iter().find(|l| l.starts_with(rule.id)).unwrap_or_else(|| panic!("{} missing", rule.id));
        assert!(line.contains(rule.severity.as_str()) && line.ends_with(rule.title), "{line}");
    }
    assert!(text.contains("NP001  warning  egress isolation without DNS"), "{text}");
}

#[test]
fn related_places_name_their_file() {
    // `dns/`: an egress default deny in one file, the DNS pod it cannot
    // reach in another (NP001 points at the pod as the related place).
    let dir = fixture("dns");
    let pod_file = format!("{dir}/10-kube-system.yaml");
    let out = netpol(&["lint", &dir]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{dir}/20-prod.yaml:22:1: warning[NP001] ")), "{text}");
    assert!(text.contains(&format!("\n  see: {pod_file}:7:1 (lines 7-26)\n")), "{text}");

    let doc = json(&netpol(&["lint", "--format", "json", &dir]));
    let f = &doc["findings"][0];
    assert_eq!(f["id"], "NP001");
    assert_eq!(f["related"], serde_json::json!([{"file": pod_file, "line": 7, "column": 1, "end_line": 26}]));
}
