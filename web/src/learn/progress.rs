//! What the learner has done, kept in `localStorage` under [`STORAGE_KEY`]:
//! for each lesson, the prediction they made and whether the task was
//! completed. Plain data with a line-based format, so it is tested natively
//! and an old or hand-edited value can never break the page.

use netpol_core::lessons::{self, LESSONS};

/// The `localStorage` key. The `v1` is the format below; a new format gets a
/// new key rather than a migration.
pub const STORAGE_KEY: &str = "netpol-playground.learn.v1";

/// One lesson's progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// The verdict the learner predicted (`true`: allowed), once made.
    pub guess: Option<bool>,
    /// Whether the task was completed at least once.
    pub done: bool,
}

/// Every lesson's progress, in course order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    entries: Vec<Entry>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress { entries: vec![Entry::default(); LESSONS.len()] }
    }
}

fn index(id: &str) -> Option<usize> {
    LESSONS.iter().position(|l| l.id == id)
}

impl Progress {
    /// Reads the stored format: one line per lesson, `id<TAB>guess<TAB>done`
    /// with `guess` one of `allowed`, `denied`, `-` and `done` `0` or `1`.
    /// Unknown lessons and malformed lines are skipped.
    pub fn parse(stored: &str) -> Progress {
        let mut p = Progress::default();
        for line in stored.lines() {
            let mut parts = line.split('\t');
            let (Some(id), Some(guess), Some(done)) = (parts.next(), parts.next(), parts.next()) else { continue };
            let Some(i) = index(id) else { continue };
            let guess = match guess {
                "allowed" => Some(true),
                "denied" => Some(false),
                _ => None,
            };
            if let Some(e) = p.entries.get_mut(i) {
                *e = Entry { guess, done: done == "1" };
            }
        }
        p
    }

    /// The stored format (see [`Progress::parse`]); lessons with no progress
    /// are left out.
    pub fn serialize(&self) -> String {
        let mut out = String::new();
        for (l, e) in LESSONS.iter().zip(&self.entries) {
            if *e == Entry::default() {
                continue;
            }
            let guess = e.guess.map_or("-", lessons::verdict_word);
            out.push_str(l.id);
            out.push('\t');
            out.push_str(guess);
            out.push('\t');
            out.push(if e.done { '1' } else { '0' });
            out.push('\n');
        }
        out
    }

    /// The progress of lesson `id` (nothing yet for an unknown id).
    pub fn get(&self, id: &str) -> Entry {
        index(id).and_then(|i| self.entries.get(i).copied()).unwrap_or_default()
    }

    /// Records the learner's prediction; the first one stands, so the reveal
    /// cannot be re-rolled.
    pub fn predict(&mut self, id: &str, allowed: bool) {
        if let Some(e) = index(id).and_then(|i| self.entries.get_mut(i)) {
            e.guess.get_or_insert(allowed);
        }
    }

    /// Marks lesson `id`'s task as completed.
    pub fn complete(&mut self, id: &str) {
        if let Some(e) = index(id).and_then(|i| self.entries.get_mut(i)) {
            e.done = true;
        }
    }

    /// How many tasks are completed.
    pub fn done_count(&self) -> usize {
        self.entries.iter().filter(|e| e.done).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_survives_a_round_trip() {
        let mut p = Progress::default();
        p.predict("or-vs-and", true);
        p.predict("dns-egress", false);
        p.complete("dns-egress");
        let text = p.serialize();
        assert_eq!(text, "or-vs-and\tallowed\t0\ndns-egress\tdenied\t1\n");
        assert_eq!(Progress::parse(&text), p);
        assert_eq!(p.done_count(), 1);
        assert_eq!(p.get("dns-egress"), Entry { guess: Some(false), done: true });
    }

    #[test]
    fn the_first_prediction_stands() {
        let mut p = Progress::default();
        p.predict("ports", false);
        p.predict("ports", true);
        assert_eq!(p.get("ports").guess, Some(false));
    }

    #[test]
    fn garbage_and_unknown_lessons_are_ignored() {
        let p = Progress::parse("nonsense\nno-such-lesson\tallowed\t1\nports\tmaybe\t1\n\t\t\n");
        assert_eq!(p.get("ports"), Entry { guess: None, done: true });
        assert_eq!(p.get("no-such-lesson"), Entry::default());
        assert_eq!(p.done_count(), 1);
        assert_eq!(Progress::parse(""), Progress::default());
    }
}
