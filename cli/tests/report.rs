//! `netpol report`: the Markdown report for a pull request (built by
//! `netpol_core::report`), on the shop fixture and its one-line edit.

mod common;

use common::{fixture, netpol, stderr, stdout};

#[test]
fn report_has_summary_policies_matrix_and_warnings() {
    let out = netpol(&["report", &fixture("shop.yaml")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.starts_with("## NetworkPolicy report\n\n2 namespaces · 3 endpoints · 1 service · 3 NetworkPolicies.\n"));
    assert!(md.contains("| backend/db-from-api | app=db: backend/db | isolates; 1 rule | — |"), "{md}");
    assert!(md.contains("#### TCP/5432: 6 of 9 pairs allowed"), "{md}");
    assert!(md.contains("| 1 | backend/api | ✓ | ✓ | ✓ |"), "{md}");
    // shop.yaml's api-from-frontend ANDs a namespace and a pod selector.
    assert!(md.contains("- **info NP010**"), "{md}");
    assert!(!md.contains("### Changed flows"));
}

#[test]
fn report_with_after_lists_the_changed_flow() {
    let out = netpol(&["report", "--after", &fixture("shop-db-from-web.yaml"), &fixture("shop.yaml")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("### Changed flows\n\n0 newly allowed (+), 1 newly denied (−).\n"), "{md}");
    assert!(md.contains("| − denied | backend/api | backend/db | TCP/5432 | allowed — "), "{md}");
}

#[test]
fn report_input_errors_exit_2() {
    let out = netpol(&["report", &fixture("broken.yaml")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).starts_with("## NetworkPolicy report"), "the good documents are still reported");
}

/// The CSV and JSON shapes now come from the core; the README examples
/// still hold byte for byte.
#[test]
fn matrix_json_and_csv_are_the_readme_examples() {
    let json = netpol(&["matrix", "--format", "json", &fixture("shop.yaml")]);
    assert_eq!(
        stdout(&json),
        "{\"endpoints\":[\"frontend/web\",\"backend/api\",\"backend/db\"],\"probes\":[\"TCP/5432\",\"TCP/8080\"],\"allowed\":{\"TCP/5432\":[\"100\",\"111\",\"101\"],\"TCP/8080\":[\"110\",\"110\",\"101\"]}}\n"
    );
    let csv = netpol(&["matrix", "--format", "csv", "--probe", "TCP/8080", &fixture("shop.yaml")]);
    let text = stdout(&csv);
    let head: Vec<&str> = text.lines().take(4).collect();
    assert_eq!(
        head,
        [
            "probe,from,to,allowed",
            "TCP/8080,frontend/web,frontend/web,1",
            "TCP/8080,frontend/web,backend/api,1",
            "TCP/8080,frontend/web,backend/db,0"
        ]
    );
}
