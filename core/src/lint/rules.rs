//! The catalogue: one entry per lint rule, with the paragraph shown in help
//! and documentation. Ids are stable: never renumber, only add.
//!
//! The paragraphs are the files `core/lint-rules/<id>.txt`, so the page can
//! fetch the one a user asks for instead of linking all of them
//! ([`super::help_file_name`]).

use super::{Rule, Severity};

/// A paragraph file's text without its final newline.
const fn help(text: &'static str) -> &'static str {
    text.trim_ascii_end()
}

/// Every lint rule, by id.
pub const RULES: &[Rule] = &[
    Rule {
        id: "NP001",
        severity: Severity::Warning,
        title: "egress isolation without DNS",
        explanation: help(include_str!("../../lint-rules/NP001.txt")),
    },
    Rule {
        id: "NP002",
        severity: Severity::Warning,
        title: "selector matches nothing",
        explanation: help(include_str!("../../lint-rules/NP002.txt")),
    },
    Rule {
        id: "NP003",
        severity: Severity::Warning,
        title: "policy selects no pod",
        explanation: help(include_str!("../../lint-rules/NP003.txt")),
    },
    Rule {
        id: "NP004",
        severity: Severity::Warning,
        title: "named port that no destination declares",
        explanation: help(include_str!("../../lint-rules/NP004.txt")),
    },
    Rule {
        id: "NP005",
        severity: Severity::Warning,
        title: "port 53 with only one protocol",
        explanation: help(include_str!("../../lint-rules/NP005.txt")),
    },
    Rule {
        id: "NP006",
        severity: Severity::Warning,
        title: "rule allows everything",
        explanation: help(include_str!("../../lint-rules/NP006.txt")),
    },
    Rule {
        id: "NP007",
        severity: Severity::Warning,
        title: "ipBlock covers pod IPs",
        explanation: help(include_str!("../../lint-rules/NP007.txt")),
    },
    Rule {
        id: "NP008",
        severity: Severity::Warning,
        title: "deny-all in kube-system",
        explanation: help(include_str!("../../lint-rules/NP008.txt")),
    },
    Rule {
        id: "NP009",
        severity: Severity::Warning,
        title: "extensions/v1beta1 NetworkPolicy",
        explanation: help(include_str!("../../lint-rules/NP009.txt")),
    },
    Rule {
        id: "NP010",
        severity: Severity::Warning,
        title: "AND vs OR in from/to",
        explanation: help(include_str!("../../lint-rules/NP010.txt")),
    },
    Rule {
        id: "NP011",
        severity: Severity::Warning,
        title: "redundant rule",
        explanation: help(include_str!("../../lint-rules/NP011.txt")),
    },
    Rule {
        id: "NP012",
        severity: Severity::Warning,
        title: "policy expects deny or ordering",
        explanation: help(include_str!("../../lint-rules/NP012.txt")),
    },
    Rule {
        id: "NP013",
        severity: Severity::Warning,
        title: "namespaceSelector misses the namespace it names",
        explanation: help(include_str!("../../lint-rules/NP013.txt")),
    },
    Rule {
        id: "NP014",
        severity: Severity::Info,
        title: "policy of another product",
        explanation: help(include_str!("../../lint-rules/NP014.txt")),
    },
    Rule {
        id: "NP015",
        severity: Severity::Warning,
        title: "CNI does not enforce NetworkPolicy",
        explanation: help(include_str!("../../lint-rules/NP015.txt")),
    },
    Rule {
        id: "NP016",
        severity: Severity::Warning,
        title: "rules ignored by policyTypes",
        explanation: help(include_str!("../../lint-rules/NP016.txt")),
    },
    Rule {
        id: "NP017",
        severity: Severity::Warning,
        title: "cluster-policy rule shadowed",
        explanation: help(include_str!("../../lint-rules/NP017.txt")),
    },
    Rule {
        id: "NP018",
        severity: Severity::Warning,
        title: "Baseline deny overridden by NetworkPolicies",
        explanation: help(include_str!("../../lint-rules/NP018.txt")),
    },
    Rule {
        id: "NP019",
        severity: Severity::Info,
        title: "Admin Pass with nothing below it",
        explanation: help(include_str!("../../lint-rules/NP019.txt")),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_well_formed() {
        for pair in RULES.windows(2) {
            if let [a, b] = pair {
                assert!(a.id < b.id, "{} before {}", a.id, b.id);
            }
        }
        for r in RULES {
            assert!(r.id.len() == 5 && r.id.starts_with("NP"), "{}", r.id);
            assert!(!r.title.is_empty() && r.explanation.len() > 80, "{}", r.id);
            let summary = super::super::severity_and_title(r.id);
            assert_eq!(summary, Some((r.severity, r.title)), "{}: the findings' copy of the catalogue", r.id);
        }
    }

    /// The page fetches a paragraph by file name and shows it as one
    /// paragraph of text: each must be one line of prose.
    #[test]
    fn every_rule_has_a_one_paragraph_help_file() {
        for r in RULES {
            assert_eq!(super::super::help_file_name(r.id), alloc::format!("{}.txt", r.id));
            let text = r.explanation;
            assert!(!text.contains('\n') && !text.starts_with('<') && text.ends_with('.'), "{}: {text}", r.id);
        }
    }
}
