//! Recent lookups on disk (DESIGN.md, "Files on disk").
//!
//! Every lookup, found or failed, becomes an [`Entry`]. A [`History`] holds them in memory,
//! newest first, one per user ARN + endpoint ID, capped; [`History::save`] writes them to
//! `$XDG_STATE_HOME/chimescope/history.json`.
//!
//! # The file
//! ```json
//! { "version": 1,
//!   "entries": [
//!     { "user_arn": "arn:aws:chime:…/user/u-42", "endpoint_id": "ep-1", "region": "us-east-1",
//!       "profile": "default", "endpoint_url": "http://127.0.0.1:4566",      (each optional)
//!       "time": 1764101700.123,                                             (epoch seconds)
//!       "outcome": { "kind": "found", "status": "ACTIVE", "reason": "…", "type": "APNS",
//!                    "allow_messages": "ALL", "name": "…" }                 (each optional)
//!              or { "kind": "failed", "error": "not found", "exception": "NotFoundException",
//!                    "http_status": 404, "message": "…" },
//!       "last_result": { …the AppInstanceUserEndpoint wire shape, epoch-second times… } } ] }
//! ```
//! Written one compact entry per line, newest first. Unknown keys are ignored (so version 1
//! can grow optional fields); a missing required key or a wrong type is damage. `Name`
//! (in the outcome and the result), `DeviceToken` and `VoipDeviceToken` are left out unless
//! `store_secrets` is set (config `history.store_secrets`, default false).
//!
//! # Writing, and two browsers at once
//! [`History::save`] takes an exclusive `flock` (fs4) on the sidecar `history.json.lock`,
//! re-reads the file, merges, writes it atomically (temporary file + rename, mode 0600) and
//! unlocks. The merge applies *this session's changes* to what is on disk: every entry on
//! disk is kept (another browser may have added it) except those this session forgot, and the
//! entries this session recorded since its last save are added; per user ARN + endpoint ID the
//! newest time wins, and a winner without a stored result inherits the loser's. Forgetting
//! leaves a tombstone (the key and the time) for the rest of the session: disk entries of that
//! key no newer than the tombstone are dropped at every merge, so nothing forgotten comes back,
//! while a later lookup of it (here or in another browser) does. Readers take no lock (the file
//! is only ever replaced whole); a load that finds damage takes the lock, re-reads, and only
//! then moves the file aside, so it never moves away a good file another browser just wrote.
//!
//! # Damaged files
//! A file that cannot be read or parsed (bad JSON, an empty file, version 0 or no version,
//! the wrong shape) is renamed to `history.json.corrupt-<UTC time, 20261125T201500Z>` (its bytes
//! kept for a person to look at) and the history starts empty, with a warning naming both
//! paths. A *newer* version is refused rather than moved aside: the file is left untouched,
//! the history is empty and read-only for the session, and [`History::save`] returns
//! [`HistoryError::NewerVersion`]; a newer chimescope's history is never overwritten or hidden
//! by an older one.
//!
//! # Where the parts are
//! - `entry.rs`: one remembered lookup ([`Entry`]) and its outcome.
//! - `diff.rs`: which fields changed between a stored result and a fresh one ([`diff`]).
//! - `merge.rs`: how this session's changes are applied to what is on disk.
//! - `save.rs`: saving (lock, re-read, merge, write) and the save jobs of the saver thread.
//! - `file.rs`: the document's bytes, reading it, and moving a damaged one aside.
//! - `json.rs`: how an entry reads and writes as JSON (serde helpers).
//! - `commands.rs`: the browser's command-line history, in its own small file beside this one.
//! - this file: the [`History`] in memory (record, forget, filter, load).

mod commands;
mod diff;
mod entry;
mod file;
mod json;
mod merge;
mod save;

pub use commands::{load_commands, save_commands};
pub use diff::{Field, FieldChange, diff};
pub use entry::{Entry, Failure, Found, Outcome, REMOVED, short_user};

use file::{Disk, document_bytes, read_or_recover};
use merge::sort_newest_first;

use crate::model::Timestamp;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The schema version this build reads and writes.
pub const VERSION: u64 = 1;
/// How many entries are kept unless the config says otherwise (`history.cap`).
pub const DEFAULT_CAP: usize = 500;
/// How long [`History::save`] waits for another browser holding the lock.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest history file read (a 150,000-entry file with stored results is about 100 MB);
/// a longer one is damage, moved aside.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// The current time, to the millisecond.
pub fn now() -> Timestamp {
    Timestamp::now()
}

/// How a history behaves; from the config (`history.cap`, `history.store_secrets`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Most entries kept; the oldest are dropped. At least 1.
    pub cap: usize,
    /// Write Name, DeviceToken and VoipDeviceToken to the file.
    pub store_secrets: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { cap: DEFAULT_CAP, store_secrets: false }
    }
}

/// What [`History::load`] found.
#[derive(Debug)]
pub struct LoadOutcome {
    pub history: History,
    /// For the user (a message on screen, or stderr): the file was moved aside, or is from a
    /// newer chimescope, or could not be read. `None` when all went well (a missing file too).
    pub warning: Option<String>,
}

/// Why [`History::save`] did not write.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot save the history to {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "not saving the history: {path} was written by a newer chimescope (version {version}); \
         it is left as it is"
    )]
    NewerVersion { path: PathBuf, version: u64 },
    /// The history path is a symbolic link or a special file (a FIFO, a device, a directory):
    /// it is neither followed, read, moved nor replaced.
    #[error("not saving the history: {why}")]
    Refused { path: PathBuf, why: String },
}

type Key = (String, String);

/// Recent lookups in memory, newest first, at most one per user ARN + endpoint ID.
#[derive(Clone, Debug)]
pub struct History {
    path: PathBuf,
    settings: Options,
    entries: Vec<Entry>,
    /// Keys recorded since the last save: what this session adds at the next merge.
    pending: HashSet<Key>,
    /// Keys forgotten this session, with when: disk entries no newer stay out.
    tombstones: HashMap<Key, Timestamp>,
    /// Set when the file is from a newer version: the session never writes it.
    newer_version: Option<u64>,
    /// Set when the path is a symbolic link or a special file: the session never writes it.
    refused: Option<String>,
    /// Keys handed to a save job that has not come back yet, with the newest job's number.
    in_flight: HashMap<Key, u64>,
    /// A job's number (see [`History::take_save_job`]); in the history itself, the last one
    /// given out.
    job_seq: u64,
}

impl History {
    /// An empty history that will be saved to `path`.
    pub fn new(path: impl Into<PathBuf>, settings: Options) -> Self {
        Self {
            path: path.into(),
            settings: Options { cap: settings.cap.max(1), ..settings },
            entries: Vec::new(),
            pending: HashSet::new(),
            tombstones: HashMap::new(),
            newer_version: None,
            refused: None,
            in_flight: HashMap::new(),
            job_seq: 0,
        }
    }

    /// [`History::load_with`] with the default settings.
    pub fn load(path: &Path) -> LoadOutcome {
        Self::load_with(path, Options::default())
    }

    /// Read the history at `path`. Never fails: a missing file is an empty history; a damaged
    /// one is moved aside (see the module documentation) and reported in `warning`.
    pub fn load_with(path: &Path, settings: Options) -> LoadOutcome {
        let mut history = Self::new(path, settings);
        let (disk, warning) = read_or_recover(path);
        match disk {
            Disk::Entries(mut entries) => {
                sort_newest_first(&mut entries);
                entries.truncate(history.settings.cap);
                history.entries = entries;
            }
            Disk::Newer(v) => history.newer_version = Some(v),
            Disk::Refused(why) => history.refused = Some(why),
        }
        LoadOutcome { history, warning }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn settings(&self) -> Options {
        self.settings
    }

    /// Change the cap (the oldest entries beyond it are dropped now).
    pub fn set_cap(&mut self, cap: usize) {
        self.settings.cap = cap.max(1);
        self.entries.truncate(self.settings.cap);
    }

    /// Whether the next save writes Name and tokens.
    pub fn set_store_secrets(&mut self, store: bool) {
        self.settings.store_secrets = store;
    }

    /// `Some(version)` when the file belongs to a newer chimescope and this session will not
    /// write it.
    pub fn newer_version(&self) -> Option<u64> {
        self.newer_version
    }

    /// `Some(why)` when the history path is a symbolic link or a special file, which this
    /// session neither reads nor writes.
    pub fn refused(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    /// Newest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, index: usize) -> Option<&Entry> {
        self.entries.get(index)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The index of the entry for this user ARN + endpoint ID.
    pub fn position(&self, user_arn: &str, endpoint_id: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.key() == (user_arn, endpoint_id))
    }

    /// Remember a lookup: it goes to the top, replacing the entry for the same user ARN and
    /// endpoint ID. A failed lookup keeps the previous entry's stored result (the outcome says
    /// it failed). Returns how the new result differs from the stored one (empty when either
    /// is missing), for the UI to highlight.
    pub fn record(&mut self, mut entry: Entry) -> Vec<FieldChange> {
        let mut changes = Vec::new();
        if let Some(i) = self.position(&entry.user_arn, &entry.endpoint_id) {
            let old = self.entries.remove(i);
            match (&old.last_result, &entry.last_result) {
                (Some(a), Some(b)) => changes = diff(a, b),
                (Some(_), None) => {
                    entry.result_time = old.result_time();
                    entry.last_result = old.last_result;
                }
                _ => {}
            }
        }
        let key = (entry.user_arn.clone(), entry.endpoint_id.clone());
        self.tombstones.remove(&key);
        self.pending.insert(key);
        self.entries.insert(0, entry);
        self.entries.truncate(self.settings.cap);
        changes
    }

    /// Drop the entry for this user ARN + endpoint ID, here and (at the next save) on disk.
    /// Returns whether there was one.
    pub fn forget(&mut self, user_arn: &str, endpoint_id: &str) -> bool {
        let key = (user_arn.to_string(), endpoint_id.to_string());
        let removed = self.position(user_arn, endpoint_id).map(|i| self.entries.remove(i));
        let when = removed.as_ref().map_or(now(), |e| e.time.max(now()));
        self.pending.remove(&key);
        let t = self.tombstones.entry(key).or_insert(when);
        *t = (*t).max(when);
        removed.is_some()
    }

    /// Undo [`History::forget`]: `entry` back at `index` (or the end), its tombstone lifted,
    /// saved at the next save. A newer entry for the same key (looked up again since) wins.
    pub fn restore(&mut self, index: usize, entry: Entry) {
        if self.position(&entry.user_arn, &entry.endpoint_id).is_some() {
            return;
        }
        let key = (entry.user_arn.clone(), entry.endpoint_id.clone());
        self.tombstones.remove(&key);
        self.pending.insert(key);
        self.entries.insert(index.min(self.entries.len()), entry);
        self.entries.truncate(self.settings.cap);
    }

    /// The indices (into [`History::entries`]) of the entries whose user ARN, endpoint ID or
    /// stored Name contains `query`, ignoring case; all of them for an empty query.
    /// `names`: whether stored Names count (false while they are masked on screen, so that a
    /// filter cannot be used to guess a hidden Name).
    pub fn filter(&self, query: &str, names: bool) -> Vec<usize> {
        let q = query.trim();
        if q.is_empty() {
            return (0..self.entries.len()).collect();
        }
        let needle = q.to_lowercase();
        let hit = |s: &str| contains_ignore_case(s, &needle);
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| hit(&e.endpoint_id) || hit(&e.user_arn) || (names && e.name().is_some_and(hit)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The document as this history would write it (secrets as the settings say).
    pub fn to_json(&self) -> serde_json::Value {
        let entries: Vec<Entry> = if self.settings.store_secrets {
            self.entries.clone()
        } else {
            self.entries.iter().map(Entry::without_secrets).collect()
        };
        serde_json::json!({ "version": VERSION, "entries": entries })
    }

    /// The file's bytes: the same document, one compact entry per line (readable, greppable
    /// and a third the size of pretty-printed JSON, which keeps loading fast).
    pub fn to_file_bytes(&self) -> Vec<u8> {
        document_bytes(&self.entries, self.settings.store_secrets)
    }
}

/// `needle` must already be lower case.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Entries and histories the unit tests share (here and in `commands::history`).
    use super::{Entry, History, Options};
    use crate::model::{AllowMessages, Endpoint, EndpointState, EndpointStatus, EndpointType, Timestamp};
    use crate::model::{ErrorKind, ServiceError};

    pub const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";

    pub fn endpoint(id: &str) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(ARN.into()),
            endpoint_id: Some(id.into()),
            name: Some("Alice's iPhone".into()),
            endpoint_type: Some(EndpointType::Apns),
            resource_arn: Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/app".into()),
            device_token: Some("a".repeat(64)),
            voip_device_token: Some("b".repeat(64)),
            created: Some(Timestamp::from_secs(1_700_000_000.0)),
            last_updated: Some(Timestamp::from_secs(1_700_000_100.0)),
            allow_messages: Some(AllowMessages::All),
            state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
        }
    }

    pub fn found(id: &str, t: f64) -> Entry {
        Entry::new(ARN, id, "us-east-1", Timestamp::from_secs(t), Ok(&endpoint(id)))
    }

    pub fn failed(id: &str, t: f64) -> Entry {
        let e = ServiceError::new(ErrorKind::Throttled, "slow down", "DescribeAppInstanceUserEndpoint");
        Entry::new(ARN, id, "us-east-1", Timestamp::from_secs(t), Err(&e))
    }

    pub fn mem() -> History {
        History::new("/nonexistent/history.json", Options::default())
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::model::{EndpointState, EndpointStatus, StatusReason};

    #[test]
    fn record_moves_the_same_key_to_the_top() {
        let mut h = mem();
        h.record(found("ep-1", 1.0));
        h.record(found("ep-2", 2.0));
        h.record(found("ep-1", 3.0));
        let ids: Vec<_> = h.entries().iter().map(|e| e.endpoint_id.as_str()).collect();
        assert_eq!(ids, ["ep-1", "ep-2"]);
        assert_eq!(h.entries()[0].time, Timestamp::from_secs(3.0));
    }

    #[test]
    fn a_failed_refresh_keeps_the_last_good_result() {
        let mut h = mem();
        h.record(found("ep-1", 1.0));
        h.record(failed("ep-1", 2.0));
        assert_eq!(h.len(), 1);
        let e = &h.entries()[0];
        assert!(e.is_failed());
        assert_eq!(e.status_word(), "throttled");
        assert_eq!(e.health(), None);
        assert_eq!(e.last_result.as_ref(), Some(&endpoint("ep-1")));
    }

    #[test]
    fn record_reports_changes() {
        let mut h = mem();
        h.record(found("ep-1", 1.0));
        let mut ep = endpoint("ep-1");
        ep.state = Some(EndpointState {
            status: EndpointStatus::Inactive,
            reason: Some(StatusReason::InvalidDeviceToken),
        });
        let changes = h.record(Entry::new(ARN, "ep-1", "us-east-1", Timestamp::from_secs(2.0), Ok(&ep)));
        let fields: Vec<_> = changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, [Field::Status, Field::Reason]);
        assert_eq!(changes[0].to_string(), "status ACTIVE → INACTIVE");
    }

    #[test]
    fn cap_drops_the_oldest() {
        let mut h = History::new("/nonexistent", Options { cap: 3, store_secrets: false });
        for i in 0..5 {
            h.record(found(&format!("ep-{i}"), i as f64));
        }
        let ids: Vec<_> = h.entries().iter().map(|e| e.endpoint_id.as_str()).collect();
        assert_eq!(ids, ["ep-4", "ep-3", "ep-2"]);
        h.set_cap(1);
        assert_eq!(h.len(), 1);
        h.set_cap(0);
        assert_eq!(h.settings().cap, 1, "a cap of 0 means 1");
    }

    #[test]
    fn forget_removes() {
        let mut h = mem();
        h.record(found("ep-1", 1.0));
        h.record(found("ep-2", 2.0));
        assert!(h.forget(ARN, "ep-1"));
        assert!(!h.forget(ARN, "ep-1"));
        assert_eq!(h.len(), 1);
        assert_eq!(h.position(ARN, "ep-2"), Some(0));
    }

    #[test]
    fn filter_is_case_insensitive_over_arn_id_and_name() {
        let mut h = mem();
        h.record(found("ep-ONE", 1.0));
        h.record(failed("other", 2.0));
        assert_eq!(h.filter("", true), [0, 1]);
        assert_eq!(h.filter("ep-one", true), [1]);
        assert_eq!(h.filter("U-42", true), [0, 1]);
        assert_eq!(h.filter("alice", true), [1], "the name of the found one");
        assert_eq!(h.filter("ALICE'S IPHONE", true), [1]);
        h.record(failed("ep-ONE", 3.0));
        assert_eq!(h.filter("alice", true), [0], "the name in the result kept through a failure");
        assert_eq!(h.filter("nothing", true), Vec::<usize>::new());
        assert_eq!(h.filter("alice", false), Vec::<usize>::new(), "masked names are not searched");
        assert!(contains_ignore_case("Ümlaut", "üm"));
    }
}
