//! Recent lookups on disk (issue 5; DESIGN.md, "Files on disk").
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

use crate::aws::error::LookupError;
use crate::cli::Output;
use crate::model::{
    AllowMessages, Endpoint, EndpointStatus, EndpointType, Health, StatusReason, Timestamp, escape_control,
    health_of,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Write;
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

/// Two times closer than this are the same time (they went through a decimal JSON number).
const SAME_TIME: f64 = 1e-3;

/// The current time, to the millisecond.
pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64 / 1000.0)
        .unwrap_or(0.0);
    Timestamp(secs)
}

// ---------------------------------------------------------------------------------------------
// Entries

/// One remembered lookup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub user_arn: String,
    pub endpoint_id: String,
    /// The region the request went to.
    pub region: String,
    /// The profile used, when one was named or configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The endpoint URL the request went to, when not the AWS default (`--endpoint-url`, demo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// When the lookup finished, epoch seconds.
    #[serde(with = "ts")]
    pub time: Timestamp,
    pub outcome: Outcome,
    /// The last successful result, for viewing offline. Kept through a failed refresh.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_endpoint")]
    pub last_result: Option<Endpoint>,
}

/// What the lookup came back with. On disk: an object with `"kind": "found"` or `"failed"`
/// and the fields of the variant beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "OutcomeWire")]
pub enum Outcome {
    Found(Found),
    Failed(Failure),
}

/// The summary of a successful lookup.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Found {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_wire")]
    pub status: Option<EndpointStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_wire")]
    pub reason: Option<StatusReason>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none", with = "opt_wire")]
    pub endpoint_type: Option<EndpointType>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_wire")]
    pub allow_messages: Option<AllowMessages>,
    /// The endpoint's Name; sensitive, written only with `store_secrets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The summary of a failed lookup.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// `ErrorKind::label()`: "not found", "throttled", …
    pub error: String,
    /// The exception name as sent (or the kind's name).
    pub exception: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default)]
    pub message: String,
}

impl Entry {
    /// The entry for a lookup of `user_arn` + `endpoint_id` sent to `region` that finished at
    /// `time`. Add where it went with [`Entry::via`].
    pub fn new(
        user_arn: impl Into<String>,
        endpoint_id: impl Into<String>,
        region: impl Into<String>,
        time: Timestamp,
        result: Result<&Endpoint, &LookupError>,
    ) -> Self {
        let (outcome, last_result) = match result {
            Ok(ep) => (
                Outcome::Found(Found {
                    status: ep.state.as_ref().map(|s| s.status.clone()),
                    reason: ep.state.as_ref().and_then(|s| s.reason.clone()),
                    endpoint_type: ep.endpoint_type.clone(),
                    allow_messages: ep.allow_messages.clone(),
                    name: ep.name.clone(),
                }),
                Some(ep.clone()),
            ),
            Err(e) => (
                Outcome::Failed(Failure {
                    error: e.kind.label().to_string(),
                    exception: e.exception.clone(),
                    http_status: e.http_status,
                    message: e.message.clone(),
                }),
                None,
            ),
        };
        Self {
            user_arn: user_arn.into(),
            endpoint_id: endpoint_id.into(),
            region: region.into(),
            profile: None,
            endpoint_url: None,
            time,
            outcome,
            last_result,
        }
    }

    /// Where the request went: the profile and/or the endpoint URL.
    pub fn via(mut self, profile: Option<String>, endpoint_url: Option<String>) -> Self {
        self.profile = profile;
        self.endpoint_url = endpoint_url;
        self
    }

    pub fn is_failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }

    /// The state dot's meaning; `None` when the latest lookup failed.
    pub fn health(&self) -> Option<Health> {
        match &self.outcome {
            Outcome::Found(f) => {
                let state = f
                    .status
                    .clone()
                    .map(|status| crate::model::EndpointState { status, reason: f.reason.clone() });
                Some(health_of(state.as_ref(), f.allow_messages.as_ref()))
            }
            Outcome::Failed(_) => None,
        }
    }

    /// The word beside the dot: the status as sent ("ACTIVE", "INACTIVE"), or the error label
    /// ("not found").
    pub fn status_word(&self) -> &str {
        match &self.outcome {
            Outcome::Found(f) => f.status.as_ref().map(|s| s.as_str()).unwrap_or("UNKNOWN"),
            Outcome::Failed(f) => &f.error,
        }
    }

    /// The endpoint's Name as far as this entry knows it (outcome or stored result).
    pub fn name(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Found(Found { name: Some(n), .. }) => Some(n),
            _ => self.last_result.as_ref().and_then(|r| r.name.as_deref()),
        }
    }

    /// The user ID of the ARN (`u-42`), or the ARN itself when it does not parse.
    pub fn short_user(&self) -> &str {
        short_user(&self.user_arn)
    }

    /// The same entry without Name, DeviceToken and VoipDeviceToken.
    pub fn without_secrets(&self) -> Self {
        let mut e = self.clone();
        if let Outcome::Found(f) = &mut e.outcome {
            f.name = None;
        }
        if let Some(r) = &mut e.last_result {
            r.name = None;
            r.device_token = None;
            r.voip_device_token = None;
        }
        e
    }

    fn key(&self) -> (&str, &str) {
        (&self.user_arn, &self.endpoint_id)
    }
}

pub use crate::model::short_user;

/// A history document of `entries`, one compact entry per line (see
/// [`History::to_file_bytes`]); Name and tokens only with `store_secrets`.
fn document_bytes(entries: &[Entry], store_secrets: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + entries.len() * 600);
    out.extend_from_slice(format!("{{\"version\": {VERSION}, \"entries\": [").as_bytes());
    let mut first = true;
    let mut one = Vec::with_capacity(1024);
    for e in entries {
        one.clear();
        let written = if store_secrets {
            serde_json::to_writer(&mut one, e)
        } else {
            serde_json::to_writer(&mut one, &e.without_secrets())
        };
        // Only a non-finite time fails; such an entry is dropped, never half-written.
        if let Err(err) = written {
            tracing::warn!(endpoint_id = %e.endpoint_id, "history: entry not saved: {err}");
            continue;
        }
        out.extend_from_slice(if first { b"\n" } else { b",\n" });
        out.extend_from_slice(&one);
        first = false;
    }
    out.extend_from_slice(b"\n]}\n");
    out
}

/// `history.json.<what>-20261125T201500Z`: a name beside the history for a file kept for a
/// person (damaged, cut by the cap, not saved).
fn stamped(path: &Path, what: &str) -> PathBuf {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut s = path.as_os_str().to_owned();
    s.push(format!(".{what}-{stamp}"));
    PathBuf::from(s)
}

/// "just now", "42 s ago", "12 min ago", "3 h ago", "5 d ago" (and "in the future" for a
/// clock that went back).
pub fn relative_time(then: Timestamp, now: Timestamp) -> String {
    let d = now.0 - then.0;
    if !d.is_finite() {
        return "?".into();
    }
    if d < -1.0 {
        return "in the future".into();
    }
    let s = d.max(0.0) as u64;
    match s {
        0..5 => "just now".into(),
        5..60 => format!("{s} s ago"),
        60..3600 => format!("{} min ago", s / 60),
        3600..86_400 => format!("{} h ago", s / 3600),
        _ => format!("{} d ago", s / 86_400),
    }
}

// ---------------------------------------------------------------------------------------------
// Changes between two results

/// A field of an endpoint that [`diff`] compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Status,
    Reason,
    AllowMessages,
    Type,
    ResourceArn,
    DeviceToken,
    VoipDeviceToken,
    Updated,
    Name,
}

impl Field {
    /// A label for messages ("status", "device token").
    pub fn label(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Reason => "reason",
            Self::AllowMessages => "allow messages",
            Self::Type => "type",
            Self::ResourceArn => "resource ARN",
            Self::DeviceToken => "device token",
            Self::VoipDeviceToken => "VoIP device token",
            Self::Updated => "updated time",
            Self::Name => "name",
        }
    }

    /// Secret fields: a change is reported, their values never are.
    pub fn is_secret(self) -> bool {
        matches!(self, Self::DeviceToken | Self::VoipDeviceToken | Self::Name)
    }
}

/// One field that differs between a stored result and a fresh one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: Field,
    /// The old and new values, for display; always `None` for secret fields.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl fmt::Display for FieldChange {
    /// `status ACTIVE → INACTIVE`, `device token changed` (secrets: never the values).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_secret() {
            return write!(f, "{} changed", self.field.label());
        }
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        write!(f, "{} {} → {}", self.field.label(), show(&self.before), show(&self.after))
    }
}

/// The fields that changed from `old` to `new`, in display order, for the UI to highlight
/// after a refresh. Token and Name changes carry no values.
pub fn diff(old: &Endpoint, new: &Endpoint) -> Vec<FieldChange> {
    fn s<T: ToString>(v: Option<T>) -> Option<String> {
        v.map(|v| v.to_string())
    }
    let mut out = Vec::new();
    let mut plain = |field, before: Option<String>, after: Option<String>| {
        if before != after {
            out.push(FieldChange { field, before, after });
        }
    };
    let status = |e: &Endpoint| s(e.state.as_ref().map(|st| &st.status));
    let reason = |e: &Endpoint| s(e.state.as_ref().and_then(|st| st.reason.as_ref()));
    plain(Field::Status, status(old), status(new));
    plain(Field::Reason, reason(old), reason(new));
    plain(Field::AllowMessages, s(old.allow_messages.as_ref()), s(new.allow_messages.as_ref()));
    plain(Field::Type, s(old.endpoint_type.as_ref()), s(new.endpoint_type.as_ref()));
    plain(Field::ResourceArn, old.resource_arn.clone(), new.resource_arn.clone());
    // A stored result written without secrets (the default) has no DeviceToken, which every
    // real endpoint has (EndpointAttributes.DeviceToken is required): then the secret fields
    // were not stored, not changed, and are not compared.
    let secrets_stored = old.device_token.is_some() || new.device_token.is_none();
    if !secrets_stored {
        return finish(out, old, new, false);
    }
    let secret_pairs = [
        (Field::DeviceToken, &old.device_token, &new.device_token),
        (Field::VoipDeviceToken, &old.voip_device_token, &new.voip_device_token),
    ];
    for (field, a, b) in secret_pairs {
        if a != b {
            out.push(FieldChange { field, before: None, after: None });
        }
    }
    finish(out, old, new, true)
}

/// The update time, and the name when secrets are compared.
fn finish(mut out: Vec<FieldChange>, old: &Endpoint, new: &Endpoint, secrets: bool) -> Vec<FieldChange> {
    let updated = |e: &Endpoint| e.last_updated.map(|t| t.rfc3339());
    if old.last_updated != new.last_updated {
        out.push(FieldChange { field: Field::Updated, before: updated(old), after: updated(new) });
    }
    if secrets && old.name != new.name {
        out.push(FieldChange { field: Field::Name, before: None, after: None });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The history

/// How a history behaves; from the config (`history.cap`, `history.store_secrets`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Most entries kept; the oldest are dropped. At least 1.
    pub cap: usize,
    /// Write Name, DeviceToken and VoipDeviceToken to the file.
    pub store_secrets: bool,
}

impl Default for Settings {
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
    settings: Settings,
    entries: Vec<Entry>,
    /// Keys recorded since the last save: what this session adds at the next merge.
    pending: HashSet<Key>,
    /// Keys forgotten this session, with when: disk entries no newer stay out.
    tombstones: HashMap<Key, f64>,
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
    pub fn new(path: impl Into<PathBuf>, settings: Settings) -> Self {
        Self {
            path: path.into(),
            settings: Settings { cap: settings.cap.max(1), ..settings },
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
        Self::load_with(path, Settings::default())
    }

    /// Read the history at `path`. Never fails: a missing file is an empty history; a damaged
    /// one is moved aside (see the module documentation) and reported in `warning`.
    pub fn load_with(path: &Path, settings: Settings) -> LoadOutcome {
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

    pub fn settings(&self) -> Settings {
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

    /// The lookups recorded this session that are not in the file: their save failed, or has
    /// not come back yet. Newest first.
    pub fn unsaved(&self) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| {
                let key = (e.user_arn.clone(), e.endpoint_id.clone());
                self.pending.contains(&key) || self.in_flight.contains_key(&key)
            })
            .collect()
    }

    /// Write [`History::unsaved`] to a new file beside the history,
    /// `history.json.unsaved-<UTC time>` (the history's format, mode 0600, secrets only with
    /// `store_secrets`), for a person to find after a failed save. `Ok(None)` when everything
    /// is saved or the history has no file.
    pub fn write_unsaved_aside(&self) -> std::io::Result<Option<PathBuf>> {
        let unsaved: Vec<Entry> = self.unsaved().into_iter().cloned().collect();
        if unsaved.is_empty() || self.path.as_os_str().is_empty() {
            return Ok(None);
        }
        let bytes = document_bytes(&unsaved, self.settings.store_secrets);
        crate::paths::write_new(&stamped(&self.path, "unsaved"), &bytes).map(Some)
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
                (Some(_), None) => entry.last_result = old.last_result,
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
        let when = removed.as_ref().map_or(now().0, |e| e.time.0.max(now().0));
        self.pending.remove(&key);
        let t = self.tombstones.entry(key).or_insert(when);
        *t = t.max(when);
        removed.is_some()
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

    /// Merge this session's changes into the file and write it (see the module
    /// documentation). Afterwards the history holds the merged entries, which may include
    /// other browsers' lookups. `Ok(Some(warning))` when the file on disk had become damaged
    /// and was moved aside first.
    pub fn save(&mut self) -> Result<Option<String>, HistoryError> {
        if let Some(version) = self.newer_version {
            return Err(HistoryError::NewerVersion { path: self.path.clone(), version });
        }
        if let Some(why) = &self.refused {
            return Err(HistoryError::Refused { path: self.path.clone(), why: why.clone() });
        }
        let path = self.path.clone();
        let io = move |source| HistoryError::Io { path: path.clone(), source };
        let _lock = crate::paths::FileLock::exclusive(&crate::paths::lock_path(&self.path), LOCK_TIMEOUT)
            .map_err(&io)?;
        let (disk, mut warning) = read_or_recover_locked(&self.path);
        let disk = match disk {
            Disk::Entries(e) => e,
            Disk::Newer(version) => {
                self.newer_version = Some(version);
                return Err(HistoryError::NewerVersion { path: self.path.clone(), version });
            }
            Disk::Refused(why) => {
                self.refused = Some(why.clone());
                return Err(HistoryError::Refused { path: self.path.clone(), why });
            }
        };
        let cap = self.settings.cap;
        let on_disk = disk.len();
        let mut merged = self.merge_uncapped(disk);
        let cut = merged.split_off(merged.len().min(cap));
        // The cap drops the oldest lookup when a new one comes in; but a file that already
        // held more than the cap (a lower `history.cap`, a file from elsewhere) is not cut
        // silently: what goes is kept beside it, and the message says so.
        if on_disk > cap && !cut.is_empty() {
            let bytes = document_bytes(&cut, self.settings.store_secrets);
            let aside = crate::paths::write_new(&stamped(&self.path, "over-cap"), &bytes).map_err(&io)?;
            let note = format!(
                "history file {} held {on_disk} lookups, more than history.cap = {cap}: kept the \
                 newest {cap} and moved the {} older ones to {}",
                self.path.display(),
                cut.len(),
                aside.display()
            );
            warning = Some(match warning {
                Some(w) => format!("{w}; {note}"),
                None => note,
            });
        }
        let bytes = document_bytes(&merged, self.settings.store_secrets);
        crate::paths::write_atomic(&self.path, &bytes).map_err(|source| {
            match crate::paths::is_refusal(&source) {
                true => {
                    let why = source.to_string();
                    HistoryError::Refused { path: self.path.clone(), why }
                }
                false => io(source),
            }
        })?;
        self.entries = merged;
        self.pending.clear();
        Ok(warning)
    }

    /// A copy to [`History::save`] elsewhere (a saver thread), taking this session's pending
    /// changes with it: the next job only carries what is recorded after this one. Hand the
    /// saved copy back to [`History::absorb_saved`].
    pub fn take_save_job(&mut self) -> History {
        self.job_seq += 1;
        let mut job = self.clone();
        job.in_flight.clear();
        for key in self.pending.drain() {
            self.in_flight.insert(key, self.job_seq);
        }
        job
    }

    /// Fold an older, not yet saved job into this newer one: saving this one saves both (it
    /// already holds every entry and tombstone the older one had, and now its pending keys).
    pub fn fold_older_job(&mut self, older: History) {
        self.pending.extend(older.pending);
        self.job_seq = self.job_seq.max(older.job_seq);
    }

    /// Take back a job from [`History::take_save_job`] after its save. Saved (`ok`): the
    /// entries become the file's as merged then, with what this history recorded and forgot
    /// meanwhile applied on top, exactly as if the save had happened here. Not saved: its
    /// pending changes come back, for the next save to write.
    pub fn absorb_saved(&mut self, job: History, ok: bool) {
        if job.newer_version.is_some() {
            self.newer_version = job.newer_version;
        }
        if job.refused.is_some() {
            self.refused = job.refused.clone();
        }
        // Jobs are saved in order (a backlog folded into its newest job): this one and every
        // older one are done.
        self.in_flight.retain(|_, seq| *seq > job.job_seq);
        if ok {
            self.entries = self.merge(job.entries);
        } else {
            self.pending.extend(job.pending);
        }
    }

    /// This session's changes applied to `disk`, capped.
    fn merge(&self, disk: Vec<Entry>) -> Vec<Entry> {
        let mut out = self.merge_uncapped(disk);
        out.truncate(self.settings.cap);
        out
    }

    /// This session's changes applied to `disk`, newest first, all of them.
    fn merge_uncapped(&self, disk: Vec<Entry>) -> Vec<Entry> {
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
            if tomb.is_some_and(|&t| d.time.0 <= t + SAME_TIME) {
                continue;
            }
            // The same lookup as ours (same key and time): keep ours, which may hold secrets
            // the file does not.
            match mine.get(&d.key()) {
                Some(m) if (m.time.0 - d.time.0).abs() < SAME_TIME => add((*m).clone()),
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
        time: Timestamp(f64::NEG_INFINITY),
        outcome: Outcome::Failed(Failure::default()),
        last_result: None,
    }
}

/// Of two entries for one key, the newer; it inherits the other's stored result if it has none.
fn newer_of(a: Entry, b: Entry) -> Entry {
    let (mut win, lose) = if b.time.0 > a.time.0 { (b, a) } else { (a, b) };
    if win.last_result.is_none() {
        win.last_result = lose.last_result;
    }
    win
}

fn sort_newest_first(entries: &mut [Entry]) {
    entries.sort_by(|a, b| b.time.0.total_cmp(&a.time.0));
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

// ---------------------------------------------------------------------------------------------
// Reading the file

enum Disk {
    Entries(Vec<Entry>),
    Newer(u64),
    /// A symbolic link or a special file: why it is left alone.
    Refused(String),
}

enum Parsed {
    Ok(Vec<Entry>),
    Newer(u64),
    /// Why the file is not a history this build can read.
    Bad(String),
}

#[derive(Deserialize)]
struct Header {
    version: u64,
}

#[derive(Deserialize)]
struct Document {
    version: u64,
    entries: Vec<Entry>,
}

/// One pass in the usual case; only a file that does not parse as version 1 is looked at
/// again, for its version alone (a newer version may have another shape).
fn parse(bytes: &[u8]) -> Parsed {
    let error = match serde_json::from_slice::<Document>(bytes) {
        Ok(d) if d.version == VERSION => return Parsed::Ok(d.entries),
        Ok(d) => format!("unknown version {}", d.version),
        Err(e) => e.to_string(),
    };
    match serde_json::from_slice::<Header>(bytes) {
        Ok(h) if h.version > VERSION => Parsed::Newer(h.version),
        Ok(h) if h.version < VERSION => Parsed::Bad(format!("unknown version {}", h.version)),
        _ => Parsed::Bad(error),
    }
}

/// What reading the file found.
enum Read {
    Missing,
    Parsed(Parsed),
    /// A symbolic link or a special file (never followed, read nor waited on).
    Refused(String),
    Failed(std::io::Error),
}

/// Read at most [`MAX_FILE_BYTES`] of a regular file, never through a symbolic link.
fn read(path: &Path) -> Read {
    match crate::paths::read_bounded(path, MAX_FILE_BYTES, false) {
        Ok(bytes) => Read::Parsed(parse(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Read::Missing,
        Err(e) if crate::paths::is_refusal(&e) => Read::Refused(e.to_string()),
        Err(e) => Read::Failed(e),
    }
}

fn refused(why: String) -> (Disk, Option<String>) {
    let warning = format!("history: {why}, and this session's lookups are not saved");
    (Disk::Refused(why), Some(warning))
}

/// Read without the lock (the file is only ever replaced whole); take it only to move a
/// damaged file aside, re-checking under it.
fn read_or_recover(path: &Path) -> (Disk, Option<String>) {
    match read(path) {
        Read::Missing => (Disk::Entries(Vec::new()), None),
        Read::Parsed(Parsed::Ok(e)) => (Disk::Entries(e), None),
        Read::Parsed(Parsed::Newer(v)) => (Disk::Newer(v), Some(newer_warning(path, v))),
        Read::Refused(why) => refused(why),
        Read::Parsed(Parsed::Bad(_)) | Read::Failed(_) => {
            let lock = crate::paths::FileLock::exclusive(&crate::paths::lock_path(path), LOCK_TIMEOUT);
            let out = read_or_recover_locked(path);
            drop(lock);
            out
        }
    }
}

/// The same, with the lock held (or impossible to take).
fn read_or_recover_locked(path: &Path) -> (Disk, Option<String>) {
    let why = match read(path) {
        Read::Missing => return (Disk::Entries(Vec::new()), None),
        Read::Parsed(Parsed::Ok(e)) => return (Disk::Entries(e), None),
        Read::Parsed(Parsed::Newer(v)) => return (Disk::Newer(v), Some(newer_warning(path, v))),
        Read::Refused(why) => return refused(why),
        Read::Parsed(Parsed::Bad(why)) => why,
        Read::Failed(e) => format!("cannot read it: {e}"),
    };
    let warning = match move_aside(path) {
        Ok(aside) => format!(
            "history file {} is damaged ({why}); moved it to {} and started an empty history",
            path.display(),
            aside.display()
        ),
        Err(e) => format!(
            "history file {} is damaged ({why}) and could not be moved aside ({e}); \
             starting with an empty history",
            path.display()
        ),
    };
    (Disk::Entries(Vec::new()), Some(warning))
}

fn newer_warning(path: &Path, version: u64) -> String {
    format!(
        "history file {} was written by a newer chimescope (version {version}); it is left as \
         it is and this session's lookups will not be saved",
        path.display()
    )
}

/// `history.json.corrupt-20261125T201500Z` (then `-2`, `-3`… if taken); returns the new path.
fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let base = stamped(path, "corrupt");
    let mut aside = base.clone();
    let mut n = 1;
    while aside.symlink_metadata().is_ok() {
        n += 1;
        let mut s = base.as_os_str().to_owned();
        s.push(format!("-{n}"));
        aside = PathBuf::from(s);
    }
    std::fs::rename(path, &aside)?;
    Ok(aside)
}

// ---------------------------------------------------------------------------------------------
// serde helpers

mod ts {
    use crate::model::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        if !t.0.is_finite() {
            return Err(serde::ser::Error::custom("time must be a finite number"));
        }
        t.to_json().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let v = f64::deserialize(d)?;
        if v.is_finite() { Ok(Timestamp(v)) } else { Err(D::Error::custom("time must be a finite number")) }
    }
}

/// The wire enums as their strings.
trait WireStr: Sized {
    fn wire(&self) -> &str;
    fn from_wire(s: &str) -> Self;
}

macro_rules! wire_str {
    ($($t:ty),*) => {$(
        impl WireStr for $t {
            fn wire(&self) -> &str {
                self.as_str()
            }
            fn from_wire(s: &str) -> Self {
                Self::parse(s)
            }
        }
    )*};
}
wire_str!(EndpointStatus, StatusReason, EndpointType, AllowMessages);

mod opt_wire {
    use super::WireStr;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: WireStr, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_str(v.wire()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: WireStr, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        Ok(Option::<std::borrow::Cow<'de, str>>::deserialize(d)?.map(|s| T::from_wire(&s)))
    }
}

mod opt_endpoint {
    use crate::model::{Endpoint, Timestamp};
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    pub fn serialize<S: Serializer>(v: &Option<Endpoint>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref().map(|e| e.to_json_with(Timestamp::to_json)).serialize(s)
    }

    /// The same wire shape `Endpoint::from_json` reads (unknown keys ignored, timestamps as
    /// epoch seconds or RFC 3339), read straight into typed fields: no `Value` tree per entry,
    /// which keeps a 10,000-entry load fast. `wire_endpoint_reads_like_from_json` keeps the two
    /// in step.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Endpoint>, D::Error> {
        Ok(Option::<Wire>::deserialize(d)?.map(Wire::into_endpoint))
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub(super) struct Wire {
        app_instance_user_arn: Option<String>,
        endpoint_id: Option<String>,
        name: Option<String>,
        #[serde(rename = "Type")]
        endpoint_type: Option<String>,
        resource_arn: Option<String>,
        endpoint_attributes: Option<Attributes>,
        created_timestamp: Option<Ts>,
        last_updated_timestamp: Option<Ts>,
        allow_messages: Option<String>,
        endpoint_state: Option<State>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Attributes {
        device_token: Option<String>,
        voip_device_token: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct State {
        status: String,
        status_reason: Option<String>,
    }

    struct Ts(Timestamp);

    impl<'de> Deserialize<'de> for Ts {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Ts;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("epoch seconds (a number) or an RFC 3339 string")
                }
                fn visit_f64<E: Error>(self, v: f64) -> Result<Ts, E> {
                    Ok(Ts(Timestamp(v)))
                }
                fn visit_i64<E: Error>(self, v: i64) -> Result<Ts, E> {
                    Ok(Ts(Timestamp(v as f64)))
                }
                fn visit_u64<E: Error>(self, v: u64) -> Result<Ts, E> {
                    Ok(Ts(Timestamp(v as f64)))
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Ts, E> {
                    crate::model::parse_timestamp_json(&serde_json::Value::String(v.into()))
                        .map(Ts)
                        .map_err(E::custom)
                }
            }
            d.deserialize_any(V)
        }
    }

    impl Wire {
        pub(super) fn into_endpoint(self) -> Endpoint {
            use crate::model::{AllowMessages, EndpointState, EndpointStatus, EndpointType, StatusReason};
            let (device_token, voip_device_token) = match self.endpoint_attributes {
                Some(a) => (a.device_token, a.voip_device_token),
                None => (None, None),
            };
            Endpoint {
                app_instance_user_arn: self.app_instance_user_arn,
                endpoint_id: self.endpoint_id,
                name: self.name,
                endpoint_type: self.endpoint_type.map(|t| EndpointType::parse(&t)),
                resource_arn: self.resource_arn,
                device_token,
                voip_device_token,
                created: self.created_timestamp.map(|t| t.0),
                last_updated: self.last_updated_timestamp.map(|t| t.0),
                allow_messages: self.allow_messages.map(|a| AllowMessages::parse(&a)),
                state: self.endpoint_state.map(|s| EndpointState {
                    status: EndpointStatus::parse(&s.status),
                    reason: s.status_reason.map(|r| StatusReason::parse(&r)),
                }),
            }
        }
    }
}

/// The outcome as read: every field of both variants, checked by `TryFrom` (this avoids the
/// buffering an internally tagged enum costs on every entry).
#[derive(Deserialize)]
struct OutcomeWire {
    kind: String,
    #[serde(default, with = "opt_wire")]
    status: Option<EndpointStatus>,
    #[serde(default, with = "opt_wire")]
    reason: Option<StatusReason>,
    #[serde(rename = "type", default, with = "opt_wire")]
    endpoint_type: Option<EndpointType>,
    #[serde(default, with = "opt_wire")]
    allow_messages: Option<AllowMessages>,
    #[serde(default)]
    name: Option<String>,
    error: Option<String>,
    exception: Option<String>,
    #[serde(default)]
    http_status: Option<u16>,
    #[serde(default)]
    message: Option<String>,
}

impl TryFrom<OutcomeWire> for Outcome {
    type Error = String;

    fn try_from(w: OutcomeWire) -> Result<Self, String> {
        match w.kind.as_str() {
            "found" => Ok(Outcome::Found(Found {
                status: w.status,
                reason: w.reason,
                endpoint_type: w.endpoint_type,
                allow_messages: w.allow_messages,
                name: w.name,
            })),
            "failed" => Ok(Outcome::Failed(Failure {
                error: w.error.ok_or("a failed outcome needs \"error\"")?,
                exception: w.exception.ok_or("a failed outcome needs \"exception\"")?,
                http_status: w.http_status,
                message: w.message.unwrap_or_default(),
            })),
            other => Err(format!("unknown outcome kind {other:?}")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// `chimescope history`

/// One line of `history --output text`: relative time, absolute time (UTC), dot and status
/// word, endpoint ID, short user, region; tab-separated, control characters escaped.
pub fn text_line(e: &Entry, now: Timestamp) -> String {
    let dot = if e.is_failed() { "✗" } else { "●" };
    format!(
        "{}\t{}\t{dot} {}\t{}\t{}\t{}",
        relative_time(e.time, now),
        Timestamp(e.time.0.floor()).rfc3339(),
        escape_control(e.status_word()),
        escape_control(&e.endpoint_id),
        escape_control(e.short_user()),
        escape_control(&e.region),
    )
}

/// `chimescope history [--output json|text]`: the recent lookups for scripts. JSON is the
/// document as stored; text is one [`text_line`] per entry, newest first. A damaged file is
/// reported on stderr and reads as empty; the exit code is 0 unless stdout fails.
pub fn print(output: Output) -> i32 {
    let history = match crate::paths::history_file() {
        Some(path) => {
            let loaded = History::load_with(&path, Settings { cap: usize::MAX, store_secrets: true });
            if let Some(w) = &loaded.warning {
                eprintln!("chimescope: warning: {w}");
            }
            loaded.history
        }
        None => {
            eprintln!("chimescope: warning: no home directory, so no history");
            History::new(PathBuf::new(), Settings { cap: usize::MAX, store_secrets: true })
        }
    };
    let text = match output {
        Output::Json => serde_json::to_string_pretty(&history.to_json()).unwrap_or_default() + "\n",
        Output::Text => {
            let now = now();
            history.entries().iter().map(|e| text_line(e, now) + "\n").collect()
        }
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("chimescope: cannot write output: {e}");
            255
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::error::ErrorKind;
    use crate::model::EndpointState;

    const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";

    fn endpoint(id: &str) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(ARN.into()),
            endpoint_id: Some(id.into()),
            name: Some("Alice's iPhone".into()),
            endpoint_type: Some(EndpointType::Apns),
            resource_arn: Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/app".into()),
            device_token: Some("a".repeat(64)),
            voip_device_token: Some("b".repeat(64)),
            created: Some(Timestamp(1_700_000_000.0)),
            last_updated: Some(Timestamp(1_700_000_100.0)),
            allow_messages: Some(AllowMessages::All),
            state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
        }
    }

    fn found(id: &str, t: f64) -> Entry {
        Entry::new(ARN, id, "us-east-1", Timestamp(t), Ok(&endpoint(id)))
    }

    fn failed(id: &str, t: f64) -> Entry {
        let e = LookupError::new(ErrorKind::Throttled, "slow down", "DescribeAppInstanceUserEndpoint");
        Entry::new(ARN, id, "us-east-1", Timestamp(t), Err(&e))
    }

    fn mem() -> History {
        History::new("/nonexistent/history.json", Settings::default())
    }

    #[test]
    fn record_moves_the_same_key_to_the_top() {
        let mut h = mem();
        h.record(found("ep-1", 1.0));
        h.record(found("ep-2", 2.0));
        h.record(found("ep-1", 3.0));
        let ids: Vec<_> = h.entries().iter().map(|e| e.endpoint_id.as_str()).collect();
        assert_eq!(ids, ["ep-1", "ep-2"]);
        assert_eq!(h.entries()[0].time, Timestamp(3.0));
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
        let changes = h.record(Entry::new(ARN, "ep-1", "us-east-1", Timestamp(2.0), Ok(&ep)));
        let fields: Vec<_> = changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, [Field::Status, Field::Reason]);
        assert_eq!(changes[0].to_string(), "status ACTIVE → INACTIVE");
    }

    #[test]
    fn cap_drops_the_oldest() {
        let mut h = History::new("/nonexistent", Settings { cap: 3, store_secrets: false });
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

    #[test]
    fn without_secrets_drops_name_and_tokens() {
        let e = found("ep-1", 1.0).without_secrets();
        let r = e.last_result.as_ref().unwrap();
        assert_eq!((&r.name, &r.device_token, &r.voip_device_token), (&None, &None, &None));
        assert!(matches!(&e.outcome, Outcome::Found(f) if f.name.is_none()));
        assert_eq!(r.resource_arn, endpoint("ep-1").resource_arn);
    }

    #[test]
    fn entry_json_round_trip() {
        for e in [found("ep-1", 1_764_101_700.123), failed("ep-2", 5.0).via(Some("dev".into()), None)] {
            let s = serde_json::to_string(&e).unwrap();
            let back: Entry = serde_json::from_str(&s).unwrap();
            assert_eq!(back, e);
        }
        let v = serde_json::to_value(failed("ep-2", 5.0)).unwrap();
        assert_eq!(v["outcome"]["kind"], "failed");
        assert_eq!(v["outcome"]["exception"], "ThrottledClientException");
        assert_eq!(v["time"], 5);
        let v = serde_json::to_value(found("ep-1", 5.5)).unwrap();
        assert_eq!(v["outcome"]["kind"], "found");
        assert_eq!(v["outcome"]["type"], "APNS");
        assert_eq!(v["last_result"]["EndpointAttributes"]["DeviceToken"], "a".repeat(64));
    }

    #[test]
    fn wire_endpoint_reads_like_from_json() {
        let mut samples = vec![
            serde_json::json!({}),
            serde_json::json!({"EndpointState": {"Status": "SOMETHING_NEW"}, "Type": "NEW",
                "CreatedTimestamp": "2023-11-14T22:13:20.5Z", "LastUpdatedTimestamp": 17,
                "EndpointAttributes": {"DeviceToken": "t"}, "Unknown": [1, 2]}),
        ];
        let mut e = endpoint("ep-1");
        e.state = Some(EndpointState {
            status: EndpointStatus::Inactive,
            reason: Some(StatusReason::InvalidPinpointArn),
        });
        samples.push(e.to_json_with(Timestamp::to_json));
        for v in samples {
            let wire: opt_endpoint::Wire = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(wire.into_endpoint(), Endpoint::from_json(&v).unwrap(), "{v}");
        }
        for bad in [
            serde_json::json!({"Name": 5}),
            serde_json::json!({"EndpointState": {}}),
            serde_json::json!({"CreatedTimestamp": "yesterday"}),
            serde_json::json!({"EndpointAttributes": "x"}),
        ] {
            assert!(Endpoint::from_json(&bad).is_err());
            assert!(serde_json::from_value::<opt_endpoint::Wire>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn parse_classifies_files() {
        assert!(matches!(parse(br#"{"version":1,"entries":[]}"#), Parsed::Ok(e) if e.is_empty()));
        assert!(matches!(parse(br#"{"version":7,"entries":"whatever"}"#), Parsed::Newer(7)));
        for bad in [
            &b"not json"[..],
            b"[]",
            b"{}",
            br#"{"version":0,"entries":[]}"#,
            br#"{"version":1}"#,
            br#"{"version":1,"entries":{}}"#,
            br#"{"version":1,"entries":[{"user_arn":"a"}]}"#,
            br#"{"version":"1","entries":[]}"#,
            br#"{"version":1,"entries":[{"user_arn":"a","endpoint_id":"b","region":"r","time":1,
                "outcome":{"kind":"odd"}}]}"#,
            br#"{"version":1,"entries":[{"user_arn":"a","endpoint_id":"b","region":"r","time":1,
                "outcome":{"kind":"failed"}}]}"#,
            br#"{"version":1,"entries":[{"user_arn":"a","endpoint_id":"b","region":"r","time":1,
                "outcome":{"kind":"found"},"last_result":{"EndpointState":{}}}]}"#,
        ] {
            assert!(matches!(parse(bad), Parsed::Bad(_)), "{}", String::from_utf8_lossy(bad));
        }
        let ok = br#"{"version":1,"entries":[{"user_arn":"a","endpoint_id":"b","region":"r",
            "time":1,"outcome":{"kind":"failed","error":"e","exception":"X"},"later":"field"}]}"#;
        assert!(matches!(parse(ok), Parsed::Ok(e) if e.len() == 1), "unknown keys are ignored");
        assert!(matches!(parse(b""), Parsed::Bad(_)), "an empty file is damaged");
    }

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
    fn file_bytes_are_one_entry_per_line_and_skip_unwritable_entries() {
        let mut h = History::new("/nonexistent", Settings { cap: 10, store_secrets: true });
        h.record(found("ep-1", 1.0));
        h.record(found("bad", f64::NAN));
        h.record(found("ep-2", 2.0));
        let bytes = h.to_file_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(matches!(parse(&bytes), Parsed::Ok(e) if e.len() == 2));
        h.entries.clear();
        assert!(matches!(parse(&h.to_file_bytes()), Parsed::Ok(e) if e.is_empty()));
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
        let far_future = now().0 + 1e6;
        let merged = h.merge(vec![found("ep-1", far_future)]);
        assert_eq!(merged.len(), 1);
    }

    #[test]
    fn a_result_stored_without_secrets_does_not_count_them_as_changed() {
        let fresh = endpoint("ep-1");
        let stored = found("ep-1", 1.0).without_secrets().last_result.unwrap();
        assert!(diff(&stored, &fresh).is_empty(), "{:?}", diff(&stored, &fresh));
        let mut changed = fresh.clone();
        changed.state = Some(EndpointState { status: EndpointStatus::Inactive, reason: None });
        let fields: Vec<_> = diff(&stored, &changed).iter().map(|c| c.field).collect();
        assert_eq!(fields, [Field::Status]);
    }

    #[test]
    fn diff_names_changed_fields_without_secret_values() {
        let a = endpoint("ep-1");
        assert!(diff(&a, &a).is_empty());
        let mut b = a.clone();
        b.device_token = Some("c".repeat(64));
        b.voip_device_token = None;
        b.last_updated = Some(Timestamp(1_700_000_200.0));
        b.allow_messages = Some(AllowMessages::None);
        b.endpoint_type = Some(EndpointType::Gcm);
        b.resource_arn = None;
        b.name = Some("Bob".into());
        let d = diff(&a, &b);
        let fields: Vec<_> = d.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            [
                Field::AllowMessages,
                Field::Type,
                Field::ResourceArn,
                Field::DeviceToken,
                Field::VoipDeviceToken,
                Field::Updated,
                Field::Name
            ]
        );
        for c in &d {
            let s = c.to_string();
            assert!(!s.contains("aaaa") && !s.contains("cccc") && !s.contains("Bob"), "{s}");
            if c.field.is_secret() {
                assert_eq!((&c.before, &c.after), (&None, &None));
            }
        }
        assert_eq!(d[5].to_string(), "updated time 2023-11-14T22:15:00Z → 2023-11-14T22:16:40Z");
    }

    #[test]
    fn relative_times() {
        let t = |d: f64| relative_time(Timestamp(1000.0), Timestamp(1000.0 + d));
        assert_eq!(t(0.0), "just now");
        assert_eq!(t(42.0), "42 s ago");
        assert_eq!(t(12.0 * 60.0 + 5.0), "12 min ago");
        assert_eq!(t(3.0 * 3600.0), "3 h ago");
        assert_eq!(t(5.0 * 86_400.0), "5 d ago");
        assert_eq!(t(-100.0), "in the future");
    }

    #[test]
    fn short_users_and_text_lines() {
        assert_eq!(short_user(ARN), "u-42");
        assert_eq!(short_user("not-an-arn"), "not-an-arn");
        let line = text_line(&found("ep-1", 1_700_000_000.5), Timestamp(1_700_000_721.0));
        assert_eq!(line, "12 min ago\t2023-11-14T22:13:20Z\t● ACTIVE\tep-1\tu-42\tus-east-1");
        let line = text_line(&failed("ep\u{1b}[2J", 1_700_000_000.0), Timestamp(1_700_000_000.0));
        assert_eq!(line, "just now\t2023-11-14T22:13:20Z\t✗ throttled\tep\\e[2J\tu-42\tus-east-1");
    }
}
