//! The help dialog: how to use the page and the three rules of NetworkPolicy
//! that surprise people most.

use leptos::html;
use leptos::prelude::*;

/// A modal dialog; `on_close` hides it (Escape, the button, or the backdrop).
#[component]
pub fn Help(on_close: Callback<()>) -> impl IntoView {
    let close_ref = NodeRef::<html::Button>::new();
    // Move focus into the dialog so keyboard users land in it.
    Effect::new(move |_| {
        if let Some(b) = close_ref.get() {
            let _ = b.focus();
        }
    });
    view! {
        <div class="dialog-backdrop" on:click=move |_| on_close.run(())></div>
        <div
            class="dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="help-title"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <header class="dialog-head">
                <h2 id="help-title">"How to use the playground"</h2>
                <button node_ref=close_ref class="icon-btn" aria-label="Close help" on:click=move |_| on_close.run(())>
                    "✕"
                </button>
            </header>
            <div class="dialog-body">
                <ol>
                    <li>
                        <strong>"Describe a cluster"</strong>" in the editor: Namespaces, Pods or workloads, Services and "
                        "NetworkPolicies as multi-document YAML. A "<code>"kubectl get … -o yaml"</code>" dump works too. "
                        "Or start from a "<strong>"preset"</strong>"."
                    </li>
                    <li>
                        <strong>"Read the graph or the matrix"</strong>": an arrow (or ✓) means the connection is allowed. "
                        "Pods marked "<span class="iso">"in"</span>" / "<span class="iso">"out"</span>" are isolated for ingress / egress."
                    </li>
                    <li>
                        <strong>"Click an arrow or a cell"</strong>" to open the flow in the inspector, or type a source, "
                        "destination and probe. Click any rule, entry or term to highlight its YAML."
                    </li>
                </ol>
                <h3>"Three rules worth remembering"</h3>
                <ul>
                    <li>
                        "Entries of a "<code>"from"</code>"/"<code>"to"</code>" list are ORed; the selectors inside one entry are ANDed. "
                        "One "<code>"-"</code>" turns AND into OR."
                    </li>
                    <li>
                        "A pod is isolated for a direction as soon as one policy selecting it lists that direction in "
                        <code>"policyTypes"</code>"; then only what some rule admits is allowed. Policies add up; there is no deny rule."
                    </li>
                    <li>
                        "A connection needs both sides: the source's egress and the destination's ingress. "
                        "Forgetting DNS (UDP/53 to kube-system) under a default-deny egress is the classic outage."
                    </li>
                </ul>
                <h3>"Keyboard"</h3>
                <p>
                    "In the editor, Tab indents and Shift+Tab outdents; press Esc then Tab to move on. "
                    "Ctrl+Z undoes edits, loading a preset included. Your scenario is saved in this browser."
                </p>
                <p class="muted">
                    "Semantics follow the networking.k8s.io/v1 API reference and the upstream conformance tests. "
                    "Nothing leaves your browser."
                </p>
            </div>
        </div>
    }
}
