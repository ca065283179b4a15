//! The file: the document's bytes (one compact entry per line), reading it (bounded, never
//! through a symbolic link), classifying what was read, and moving a damaged file aside.

use super::{Entry, LOCK_TIMEOUT, MAX_FILE_BYTES, VERSION};
use crate::store::files;
use crate::store::lock::{FileLock, lock_path};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A history document of `entries`, one compact entry per line (see
/// [`super::History::to_file_bytes`]); Name and tokens only with `store_secrets`.
pub(super) fn document_bytes(entries: &[Entry], store_secrets: bool) -> Vec<u8> {
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
        // Nothing in an entry fails to serialize today; should something, the entry is
        // dropped, never half-written.
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
pub(super) fn stamped(path: &Path, what: &str) -> PathBuf {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut s = path.as_os_str().to_owned();
    s.push(format!(".{what}-{stamp}"));
    PathBuf::from(s)
}

/// What the file holds, as far as a history is concerned.
pub(super) enum Disk {
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
    match files::read_bounded(path, MAX_FILE_BYTES, false) {
        Ok(bytes) => Read::Parsed(parse(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Read::Missing,
        Err(e) if files::is_refusal(&e) => Read::Refused(e.to_string()),
        Err(e) => Read::Failed(e),
    }
}

fn refused(why: String) -> (Disk, Option<String>) {
    let warning = format!("history: {why}, and this session's lookups are not saved");
    (Disk::Refused(why), Some(warning))
}

/// Read without the lock (the file is only ever replaced whole); take it only to move a
/// damaged file aside, re-checking under it.
pub(super) fn read_or_recover(path: &Path) -> (Disk, Option<String>) {
    match read(path) {
        Read::Missing => (Disk::Entries(Vec::new()), None),
        Read::Parsed(Parsed::Ok(e)) => (Disk::Entries(e), None),
        Read::Parsed(Parsed::Newer(v)) => (Disk::Newer(v), Some(newer_warning(path, v))),
        Read::Refused(why) => refused(why),
        Read::Parsed(Parsed::Bad(_)) | Read::Failed(_) => {
            let lock = FileLock::exclusive(&lock_path(path), LOCK_TIMEOUT);
            let out = read_or_recover_locked(path);
            drop(lock);
            out
        }
    }
}

/// The same, with the lock held (or impossible to take).
pub(super) fn read_or_recover_locked(path: &Path) -> (Disk, Option<String>) {
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

#[cfg(test)]
mod tests {
    use super::super::Options;
    use super::super::fixtures::*;
    use super::*;
    use crate::store::history::History;

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
    fn file_bytes_are_one_entry_per_line_and_skip_unwritable_entries() {
        let mut h = History::new("/nonexistent", Options { cap: 10, store_secrets: true });
        h.record(found("ep-1", 1.0));
        // A time that is not a number, which could once not be written, is no Timestamp now.
        assert_eq!(crate::model::Timestamp::try_from_secs(f64::NAN), None);
        h.record(found("ep-2", 2.0));
        let bytes = h.to_file_bytes();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(matches!(parse(&bytes), Parsed::Ok(e) if e.len() == 2));
        h.entries.clear();
        assert!(matches!(parse(&h.to_file_bytes()), Parsed::Ok(e) if e.is_empty()));
    }
}
