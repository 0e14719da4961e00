//! A parse that can be done a little at a time: [`ParseJob`].
//!
//! # Why
//! The page parses as the user types, on the browser's main thread. A
//! cluster dump of several MB takes a second or more to parse; done in one
//! go it freezes typing. A [`ParseJob`] does the same work as
//! [`super::parse_str`] in steps of a bounded size, so the caller can let
//! input events run between steps, or drop the job when a newer text
//! arrives. The result is equal to `parse_str`'s, field for field (tested on
//! the presets, the seeds and generated clusters with random step sizes).
//!
//! # Units of work
//! A document is the natural unit: [`super::split`] already cuts the text
//! into documents that are parsed independently. `kubectl get … -o yaml`
//! prints ONE `kind: List` document with thousands of items, so such a
//! document is cut further into runs of items ([`split::list_layout`]),
//! each built on its own (phase 1); once every run built without a problem,
//! the items are converted a few at a time (phase 2). When any part has a
//! syntax error, a duplicate key or an alias it cannot resolve alone, the
//! document is parsed whole instead, exactly as `parse_str` does, so its
//! diagnostics are the whole document's. Nothing is converted before phase 1
//! succeeded, so falling back never needs to undo anything.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::objects::Collector;
use super::split::{self, ListLayout, Piece};
use super::tree::{self, Node, NodeKind, PosMap};
use super::{cluster_policy, ParseOutput, Source};
use crate::model::Normalizer;

/// What diagnostics call the text of a job.
const NAME: &str = "<input>";

/// About how many bytes of items are built as one part of a List: a few
/// milliseconds of work in wasm (about 2.5 KB/ms), so one step fits a slice.
const RUN_BYTES: usize = 8 * 1024;

/// Duplicate-index entries freed per unit of step budget's worth of work
/// once every document is in (one entry, two strings, costs about as much as
/// converting 16 bytes of YAML).
const RELEASE_BYTES_PER_ENTRY: usize = 16;

/// Objects whose namespace [`Normalizer::scan`] looks at in the time one
/// duplicate-index entry takes to free.
const NORMALIZE_OBJECTS_PER_ENTRY: usize = 4;

/// A document of the text: byte range and first line.
#[derive(Clone, Copy, Debug)]
struct Doc {
    start: usize,
    end: usize,
    line: u32,
}

/// A List document being parsed in parts.
struct ListWork {
    doc: Doc,
    index: u32,
    item_kind: Option<String>,
    runs: Vec<Piece>,
    next_run: usize,
    budget: usize,
    items: Vec<Node>,
    next_item: usize,
}

/// A resumable parse of one text named `<input>`: [`ParseJob::step`] until
/// it returns `true`, then [`ParseJob::finish`]. Equal to
/// [`super::parse_str`] of the same text.
pub struct ParseJob {
    text: String,
    docs: Vec<Doc>,
    next_doc: usize,
    list: Option<ListWork>,
    collector: Collector,
    run_bytes: usize,
    done: usize,
    total: usize,
    in_parts: usize,
    /// Whether the collector's duplicate indexes are freed (the work after
    /// the documents).
    released: bool,
    /// The scenario's normalisation, its pass over every object done in
    /// steps once every document is in (the last work).
    normalizer: Option<Normalizer>,
    /// Whether `normalizer` has looked at every object.
    scanned: bool,
}

impl ParseJob {
    /// A job for `text`; cutting it into documents is done here (one pass
    /// over the lines).
    pub fn new(text: impl Into<String>) -> Self {
        Self::with_run_bytes(text.into(), RUN_BYTES)
    }

    /// A job that builds a List's items in runs of about `run_bytes` bytes
    /// (the default is 8 KiB). Smaller runs make smaller steps; tests use
    /// tiny ones to cut lists at every item.
    pub fn with_run_bytes(text: String, run_bytes: usize) -> Self {
        let docs: Vec<Doc> = split::split(&text)
            .into_iter()
            .map(|c| Doc { start: c.offset, end: c.offset + c.text.len(), line: c.line })
            .collect();
        let total = docs.iter().map(|d| 2 * (d.end - d.start)).sum();
        let collector = Collector::new(&[Source { name: NAME, text: "" }]);
        ParseJob {
            text,
            docs,
            next_doc: 0,
            list: None,
            collector,
            run_bytes: run_bytes.max(1),
            done: 0,
            total,
            in_parts: 0,
            released: false,
            normalizer: None,
            scanned: false,
        }
    }

    /// Work done and total work, in units of about one byte of a document
    /// (each byte counts twice: building the tree, then converting it).
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.total)
    }

    /// How many documents were (so far) parsed in parts rather than whole:
    /// kubectl-style Lists whose parts all read cleanly.
    pub fn documents_in_parts(&self) -> usize {
        self.in_parts
    }

    /// Whether all the work is done.
    pub fn is_done(&self) -> bool {
        self.documents_done() && self.released && self.scanned
    }

    /// Whether every document is in the collector.
    fn documents_done(&self) -> bool {
        self.list.is_none() && self.next_doc >= self.docs.len()
    }

    /// Does at least one unit of work (a document, a run of List items, or
    /// one item), and more while `budget` work units (about bytes of text)
    /// last. Returns whether the job is done.
    pub fn step(&mut self, budget: usize) -> bool {
        let mut left = budget;
        loop {
            let cost = if self.list.is_some() {
                self.list_step()
            } else if self.documents_done() {
                self.release_step(left)
            } else {
                self.doc_step()
            };
            left = left.saturating_sub(cost.max(1));
            if self.is_done() {
                return true;
            }
            if left == 0 {
                return false;
            }
        }
    }

    /// Finishes the remaining work and returns what `parse_str` would.
    pub fn finish(mut self) -> ParseOutput {
        while !self.step(usize::MAX) {}
        let mut scenario = self.collector.scenario;
        let mut diagnostics = self.collector.diagnostics;
        cluster_policy::priority_collisions(&scenario, &mut diagnostics);
        match self.normalizer {
            Some(normalizer) => normalizer.finish(&mut scenario),
            None => scenario.normalize(),
        }
        ParseOutput { scenario, diagnostics, documents: self.collector.documents }
    }

    /// The work after the documents, about `budget` units of it: frees the
    /// text and part of the collector's duplicate indexes, then looks at the
    /// namespaces of part of the objects for [`Normalizer`].
    fn release_step(&mut self, budget: usize) -> usize {
        let entries = (budget / RELEASE_BYTES_PER_ENTRY).max(1);
        if !self.released {
            self.text = String::new();
            self.released = self.collector.release(entries);
        } else {
            let scenario = &self.collector.scenario;
            let normalizer = self.normalizer.get_or_insert_with(|| Normalizer::new(scenario));
            self.scanned = normalizer.scan(scenario, entries.saturating_mul(NORMALIZE_OBJECTS_PER_ENTRY));
        }
        entries.saturating_mul(RELEASE_BYTES_PER_ENTRY)
    }

    /// Starts the next document: a List in kubectl's layout is set up for
    /// parsing in parts; any other document is parsed whole.
    fn doc_step(&mut self) -> usize {
        let Some(&doc) = self.docs.get(self.next_doc) else {
            return 0;
        };
        let index = u32::try_from(self.next_doc).unwrap_or(u32::MAX);
        self.next_doc += 1;
        match self.list_work(doc, index) {
            Some(work) => {
                let head = work.runs.first().map_or(0, |r| r.start);
                self.list = Some(work);
                head
            }
            None => self.whole(doc, index),
        }
    }

    /// Parses a document whole, as `parse_str` does.
    fn whole(&mut self, doc: Doc, index: u32) -> usize {
        let text = self.text.get(doc.start..doc.end).unwrap_or("");
        let pos = PosMap::new(text, doc.start, doc.line, 0, index);
        let built = tree::build(text, &pos);
        self.collector.document(0, index, &pos, built);
        let cost = 2 * (doc.end - doc.start);
        self.done += cost;
        cost
    }

    /// The plan for a List document in kubectl's layout whose head and
    /// tail (everything but the items) read cleanly, or `None`.
    fn list_work(&self, doc: Doc, index: u32) -> Option<ListWork> {
        let text = self.text.get(doc.start..doc.end)?;
        let ListLayout { head, runs, tail } = split::list_layout(text, doc.line, self.run_bytes)?;
        let mut budget = tree::alias_budget(text);
        let mut keys: Vec<String> = Vec::new();
        let mut kind = None;
        for part in [head, tail] {
            let part_text = text.get(part.start..part.end)?;
            let pos = PosMap::new(part_text, doc.start + part.start, part.line, 0, index);
            let built = tree::build_part(part_text, &pos, 0, &mut budget);
            if built.fatal.is_some() || !built.issues.is_empty() {
                return None;
            }
            let entries = match built.root {
                None => continue,
                Some(Node { kind: NodeKind::Map(entries), .. }) => entries,
                Some(_) => return None,
            };
            for (key, value) in entries {
                // Only a block mapping at the root's indent, with plain keys
                // the whole document would not merge or repeat.
                let name = key.scalar().filter(|s| s.style == tree::Style::Plain)?.text.clone();
                if key.span.start.col != 1 || matches!(name.as_str(), "items" | "<<") || keys.contains(&name) {
                    return None;
                }
                if name == "kind" {
                    kind = value.text().map(ToString::to_string);
                }
                keys.push(name);
            }
        }
        // The whole document is read as a List only when its kind says so.
        let kind = kind.filter(|k| k.ends_with("List"))?;
        let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty()).map(ToString::to_string);
        Some(ListWork { doc, index, item_kind, runs, next_run: 0, budget, items: Vec::new(), next_item: 0 })
    }

    /// Builds the next run of items (phase 1) or converts the next item
    /// (phase 2); falls back to the whole document when a run has a problem.
    fn list_step(&mut self) -> usize {
        let Some(mut work) = self.list.take() else {
            return 0;
        };
        if let Some(run) = work.runs.get(work.next_run).copied() {
            work.next_run += 1;
            let text = self.text.get(work.doc.start..work.doc.end).unwrap_or("");
            let run_text = text.get(run.start..run.end).unwrap_or("");
            let pos = PosMap::new(run_text, work.doc.start + run.start, run.line, 0, work.index);
            // One level deep: the run's items sit in the root's `items`.
            let built = tree::build_part(run_text, &pos, 1, &mut work.budget);
            match built.root {
                Some(Node { kind: NodeKind::Seq(items), .. }) if built.fatal.is_none() && built.issues.is_empty() => {
                    work.items.extend(items);
                    self.done += run_text.len();
                    self.list = Some(work);
                    return run_text.len();
                }
                _ => {
                    // Undo the progress of the runs built so far.
                    let built_bytes: usize = work.runs.iter().take(work.next_run - 1).map(|r| r.end - r.start).sum();
                    self.done = self.done.saturating_sub(built_bytes);
                    return self.whole(work.doc, work.index);
                }
            }
        }
        let Some(item) = work.items.get(work.next_item) else {
            // Every item is converted: the document is finished, and its
            // head and tail count as done.
            let doc_len = work.doc.end - work.doc.start;
            let items_len: usize = work.runs.iter().map(|r| r.end - r.start).sum();
            self.done += 2 * doc_len.saturating_sub(items_len);
            self.in_parts += 1;
            return 0;
        };
        work.next_item += 1;
        let cost = (item.span.end.offset.saturating_sub(item.span.start.offset)) as usize;
        self.collector.list_items(0, work.index, core::slice::from_ref(item), work.item_kind.as_deref());
        // The item's tree is no longer needed: free it now rather than all
        // items' at the end of the document (half a second in one step for
        // 150,000 pods). Its span stays for the accounting below.
        if let Some(converted) = work.items.get_mut(work.next_item - 1) {
            converted.kind = NodeKind::Seq(Vec::new());
        }
        self.done += cost;
        if work.next_item >= work.items.len() {
            let doc_len = work.doc.end - work.doc.start;
            let items_len: usize = work.runs.iter().map(|r| r.end - r.start).sum();
            let converted: usize =
                work.items.iter().map(|i| (i.span.end.offset.saturating_sub(i.span.start.offset)) as usize).sum();
            // Whatever the item spans do not cover (blank lines, head,
            // tail) counts as done now, so progress ends at the total.
            self.done += (2 * doc_len).saturating_sub(items_len + converted);
            self.in_parts += 1;
            return cost;
        }
        self.list = Some(work);
        cost
    }
}
