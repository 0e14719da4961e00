//! `netpol share`: links made by the binary decode back to the same text
//! (the format itself is tested in core/tests/share.rs; here, the command).

mod common;

use common::{fixture, json, keys, netpol, netpol_stdin, stderr, stdout};

/// The fragment `share` prints for `args`, without its trailing newline.
fn share(args: &[&str]) -> String {
    let mut full = vec!["share"];
    full.extend_from_slice(args);
    let out = netpol(&full);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    text.trim_end().to_string()
}

#[test]
fn share_then_decode_gives_the_file_back() {
    let path = fixture("shop.yaml");
    let fragment = share(&[&path]);
    assert!(fragment.starts_with("#v1."), "{fragment}");
    assert!(fragment[4..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{fragment}");
    let decoded = netpol(&["share", "--decode", &fragment]);
    assert_eq!(decoded.status.code(), Some(0), "{}", stderr(&decoded));
    let original = std::fs::read(&path).expect("fixture");
    assert_eq!(decoded.stdout, original);
}

#[test]
fn several_files_are_one_text_with_separator_lines() {
    let (a, b) = (fixture("shop.yaml"), fixture("clean.yaml"));
    let fragment = share(&[&a, &b]);
    let decoded = netpol(&["share", "--decode", &fragment]);
    let a_text = std::fs::read_to_string(&a).expect("fixture");
    let b_text = std::fs::read_to_string(&b).expect("fixture");
    assert!(a_text.ends_with('\n'));
    assert_eq!(stdout(&decoded), format!("{a_text}---\n{b_text}"));
    // The joined text is a valid scenario with both files' endpoints.
    let matrix = netpol_stdin(&["matrix", "--format", "json", "-"], &decoded.stdout);
    assert_eq!(matrix.status.code(), Some(0), "{}", stderr(&matrix));
    assert_eq!(json(&matrix)["endpoints"].as_array().map(Vec::len), Some(5));
}

#[test]
fn base_url_prints_the_whole_link_which_decodes() {
    let path = fixture("shop.yaml");
    let fragment = share(&[&path]);
    let link = share(&["--base-url", "http://127.0.0.1:8080/", &path]);
    assert_eq!(link, format!("http://127.0.0.1:8080/{fragment}"));
    // A fragment already on the base URL is replaced, not kept.
    let replaced = share(&["--base-url", "http://127.0.0.1:8080/#v1.old", &path]);
    assert_eq!(replaced, link);
    let decoded = netpol(&["share", "--decode", &link]);
    assert_eq!(decoded.status.code(), Some(0));
    assert_eq!(decoded.stdout, std::fs::read(&path).expect("fixture"));
}

#[test]
fn flow_and_view_travel_in_the_link() {
    let path = fixture("shop.yaml");
    let fragment = share(&["--flow", "frontend/web,backend/api,tcp/8080", "--view", "inspector", &path]);
    let out = netpol(&["share", "--decode", &fragment, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(keys(&doc), ["compare", "flow", "scenario", "view"]);
    assert_eq!(doc["flow"], serde_json::json!({"from": "frontend/web", "to": "backend/api", "probe": "TCP/8080"}));
    assert_eq!(doc["view"], "inspector");
    assert_eq!(doc["compare"], serde_json::Value::Null);
    assert_eq!(doc["scenario"].as_str().map(str::as_bytes), Some(std::fs::read(&path).expect("fixture").as_slice()));

    let plain = json(&netpol(&["share", "--decode", &share(&[&path]), "--format", "json"]));
    assert_eq!(plain["flow"], serde_json::Value::Null);
    assert_eq!(plain["view"], "graph");
}

#[test]
fn a_tampered_link_exits_2_with_the_reason() {
    let fragment = share(&[&fixture("shop.yaml")]);
    // Change one character in the middle of the body to another of the
    // alphabet: the zlib stream or its Adler-32 checksum no longer holds.
    let mid = fragment.len() / 2;
    let mut tampered = fragment.clone().into_bytes();
    tampered[mid] = if tampered[mid] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let out = netpol(&["share", "--decode", &tampered]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", stdout(&out));
    let err = stderr(&out);
    assert!(err.starts_with("netpol: This link is damaged:"), "{err}");

    let cut = netpol(&["share", "--decode", &fragment[..fragment.len() / 2]]);
    assert_eq!(cut.status.code(), Some(2));
    assert!(stderr(&cut).starts_with("netpol: This link is"), "{}", stderr(&cut));

    let future = netpol(&["share", "--decode", &fragment.replacen("#v1.", "#v2.", 1)]);
    assert_eq!(future.status.code(), Some(2));
    assert!(stderr(&future).contains("newer version"), "{}", stderr(&future));

    let not_a_link = netpol(&["share", "--decode", "https://example.test/page"]);
    assert_eq!(not_a_link.status.code(), Some(2));
    assert!(stderr(&not_a_link).contains("not a playground share link"), "{}", stderr(&not_a_link));
}

#[test]
fn usage_errors_exit_2() {
    let shop = fixture("shop.yaml");
    assert_eq!(netpol(&["share"]).status.code(), Some(2));
    assert_eq!(netpol(&["share", "--flow", "a,b", &shop]).status.code(), Some(2));
    assert_eq!(netpol(&["share", "--flow", "a,b,ICMP/1", &shop]).status.code(), Some(2));
    assert_eq!(netpol(&["share", "--view", "compare", &shop]).status.code(), Some(2));
    assert_eq!(netpol(&["share", "--decode", "#v1.x", &shop]).status.code(), Some(2));
    assert_eq!(netpol(&["share", "/does/not/exist.yaml"]).status.code(), Some(2));
}

#[test]
fn a_long_link_gets_a_warning_on_stderr() {
    let cluster = netpol(&["gen", "--pods", "2000", "--namespaces", "20", "--policies", "200"]);
    assert_eq!(cluster.status.code(), Some(0));
    let out = netpol_stdin(&["share", "-"], &cluster.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).trim_end().len() > 8_000);
    assert!(stderr(&out).contains("longer than 8,000 characters"), "{}", stderr(&out));

    let short = netpol(&["share", &fixture("shop.yaml")]);
    assert!(short.stderr.is_empty(), "{}", stderr(&short));
}
