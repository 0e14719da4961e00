//! Importing files: a file picker in the editor's header and dropping files
//! onto the editor. Each `.yaml`/`.yml`/`.json` file is appended to the
//! scenario as more documents (after a `---`), as one undoable edit.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::FileList;

/// Whether a file name is one the parser reads.
pub fn importable(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".yaml", ".yml", ".json"].iter().any(|ext| lower.ends_with(ext))
}

/// `text` with `added` appended as further documents.
pub fn append_documents(text: &str, added: &str) -> String {
    let mut out = String::with_capacity(text.len() + added.len() + 8);
    out.push_str(text);
    if !text.trim().is_empty() {
        if !text.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("---\n");
    }
    out.push_str(added);
    out
}

/// Reads the importable files of `files` (in order) and calls `done` with
/// their names (joined by `, `) and their texts joined as documents; skips
/// other files and unreadable ones.
pub fn read_files(files: FileList, done: Callback<(String, String)>) {
    let list: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
    leptos::task::spawn_local(async move {
        let mut joined = String::new();
        let mut names = Vec::new();
        for f in list.into_iter().filter(|f| importable(&f.name())) {
            if let Ok(v) = JsFuture::from(f.text()).await {
                if let Some(s) = v.as_string() {
                    joined = if joined.is_empty() { s } else { append_documents(&joined, &s) };
                    names.push(f.name());
                }
            }
        }
        if !joined.is_empty() {
            done.run((names.join(", "), joined));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yaml_and_json_files_are_imported() {
        assert!(importable("a.YAML"));
        assert!(importable("b.yml"));
        assert!(importable("c.json"));
        assert!(!importable("d.txt"));
        assert!(!importable("yaml"));
    }

    #[test]
    fn documents_are_separated_by_a_marker() {
        assert_eq!(append_documents("", "kind: Pod\n"), "kind: Pod\n");
        assert_eq!(append_documents("a: 1", "b: 2\n"), "a: 1\n---\nb: 2\n");
        assert_eq!(append_documents("a: 1\n", "b: 2\n"), "a: 1\n---\nb: 2\n");
    }
}
