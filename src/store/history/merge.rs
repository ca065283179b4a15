//! The merge: this session's changes applied to the entries on disk (see the module
//! documentation of [`super`], "Writing, and two browsers at once").

use super::{Entry, Failure, History, Key, Outcome};
use crate::model::Timestamp;
use std::collections::HashMap;

impl History {
    /// This session's changes applied to `disk`, capped.
    pub(super) fn merge(&self, disk: Vec<Entry>) -> Vec<Entry> {
        let mut out = self.merge_uncapped(disk);
        out.truncate(self.settings.cap);
        out
    }

    /// This session's changes applied to `disk`, newest first, all of them.
    pub(super) fn merge_uncapped(&self, disk: Vec<Entry>) -> Vec<Entry> {
        let mine: HashMap<(&str, &str), &Entry> = self.entries.iter().map(|e| (e.key(), e)).collect();
        let mut out: Vec<Entry> = Vec::with_capacity(disk.len() + self.pending.len());
        let mut index: HashMap<Key, usize> = HashMap::with_capacity(out.capacity());
        let mut add = |e: Entry| {
            let key = (e.user_arn.clone(), e.endpoint_id.clone());
            match index.get(&key) {
                None => {
                    index.insert(key, out.len());
                    out.push(e);
                }
                Some(&i) => out[i] = newer_of(std::mem::replace(&mut out[i], placeholder()), e),
            }
        };
        for d in disk {
            let tomb = self.tombstones.get(&(d.user_arn.clone(), d.endpoint_id.clone()));
            if tomb.is_some_and(|&t| d.time <= t) {
                continue;
            }
            // The same lookup as ours (same key and time): keep ours, which may hold secrets
            // the file does not.
            match mine.get(&d.key()) {
                Some(m) if m.time == d.time => add((*m).clone()),
                _ => add(d),
            }
        }
        // What this session recorded since its last save, and what is on its way to the file
        // in a job not back yet (saved by then, or given back to `pending`).
        for (arn, id) in self.pending.iter().chain(self.in_flight.keys()) {
            if let Some(m) = mine.get(&(arn.as_str(), id.as_str())) {
                add((*m).clone());
            }
        }
        sort_newest_first(&mut out);
        out
    }
}

fn placeholder() -> Entry {
    Entry {
        user_arn: String::new(),
        endpoint_id: String::new(),
        region: String::new(),
        profile: None,
        endpoint_url: None,
        time: Timestamp::MIN,
        outcome: Outcome::Failed(Failure::default()),
        last_result: None,
        result_time: None,
    }
}

/// Of two entries for one key, the newer; it inherits the other's stored result if it has none.
fn newer_of(a: Entry, b: Entry) -> Entry {
    let (mut win, lose) = if b.time > a.time { (b, a) } else { (a, b) };
    if win.last_result.is_none() && lose.last_result.is_some() {
        win.result_time = lose.result_time();
        win.last_result = lose.last_result;
    }
    win
}

pub(super) fn sort_newest_first(entries: &mut [Entry]) {
    entries.sort_by_key(|e| std::cmp::Reverse(e.time));
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::now;

    #[test]
    fn merge_applies_this_sessions_changes_to_disk() {
        let mut h = mem();
        h.record(found("mine", 10.0));
        h.record(found("both", 5.0));
        h.entries.push(found("gone-elsewhere", 1.0)); // loaded earlier, not recorded now
        h.forget(ARN, "forgotten");
        let disk = vec![
            found("theirs", 20.0),
            failed("both", 8.0), // newer than ours: wins, keeps our result
            found("forgotten", 3.0),
        ];
        let merged = h.merge(disk);
        let ids: Vec<_> = merged.iter().map(|e| e.endpoint_id.as_str()).collect();
        assert_eq!(ids, ["theirs", "mine", "both"]);
        assert!(merged[2].is_failed());
        assert!(merged[2].last_result.is_some());
    }

    #[test]
    fn merge_keeps_our_secrets_for_the_same_lookup() {
        let mut h = mem();
        h.record(found("ep-1", 10.0));
        h.pending.clear(); // saved already
        let merged = h.merge(vec![found("ep-1", 10.0).without_secrets()]);
        assert_eq!(merged[0].name(), Some("Alice's iPhone"));
    }

    #[test]
    fn a_later_lookup_elsewhere_survives_our_tombstone() {
        let mut h = mem();
        h.record(found("ep-1", 10.0));
        h.forget(ARN, "ep-1");
        let far_future = now().as_secs_f64() + 1e6;
        let merged = h.merge(vec![found("ep-1", far_future)]);
        assert_eq!(merged.len(), 1);
    }
}
