//! Findings that need the parser's view of the input, not just the scenario:
//! NP014, policies of other products (which the parser skips with a notice).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::finding;
use super::{lint, sort, Finding};
use crate::parse::ParseOutput;

/// Policy kinds of other products, with the product and what they add that
/// NetworkPolicy lacks.
const OTHER_KINDS: &[(&str, &str)] = &[
    ("GlobalNetworkPolicy", "Calico"),
    ("CiliumNetworkPolicy", "Cilium"),
    ("CiliumClusterwideNetworkPolicy", "Cilium"),
    ("ClusterNetworkPolicy", "Antrea"),
    ("AdminNetworkPolicy", "the AdminNetworkPolicy API"),
    ("BaselineAdminNetworkPolicy", "the AdminNetworkPolicy API"),
];

/// [`lint`] on the parsed scenario, plus the findings about documents the
/// scenario does not contain (NP014). What `netpol lint` and the page call.
pub fn lint_output(parsed: &ParseOutput) -> Vec<Finding> {
    let mut out = lint(&parsed.scenario);
    for doc in parsed.documents.iter().filter(|d| !d.accepted) {
        let Some((_, product)) = OTHER_KINDS.iter().find(|(k, _)| *k == doc.kind) else { continue };
        // The parser records names only for the kinds it converts.
        let name = doc.name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
        let message = format!(
            "`{}{name}` is a {product} resource, not a Kubernetes NetworkPolicy: its deny actions and `order`/priority exist only there. It is not evaluated here, and a cluster without {product} ignores it; Kubernetes NetworkPolicies only allow, and they add up.",
            doc.kind
        );
        let fix = String::from(
            "To express the same with NetworkPolicy, allow only what should get through (a default deny plus allow rules), and narrow the policy that grants unwanted access instead of adding a deny.",
        );
        out.push(finding("NP014", None, doc.span, String::from("kind"), message, fix));
    }
    sort(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testutil::with_id;
    use crate::parse::parse_str;

    #[test]
    fn np014_calico_policy_is_reported_networkpolicy_is_not() {
        let calico = "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: deny-x}\nspec: {order: 50}\n";
        let findings = lint_output(&parse_str(calico));
        let f = with_id(&findings, "NP014");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert!(f[0].message.contains("Calico"), "{}", f[0].message);
        let np =
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {podSelector: {}}\n";
        assert!(with_id(&lint_output(&parse_str(np)), "NP014").is_empty());
    }
}
