//! A scan's progress on disk, so that running the same command again resumes it.
//!
//! Two files: the checkpoint `FILE` (a small JSON snapshot, replaced atomically: a temporary file
//! then a rename) and `FILE.rows` (the rows kept so far, one JSON object a line, appended). The
//! snapshot records how long the rows file was when it was taken; on resume the rows file is cut
//! back to that length, so rows written after the last snapshot are redone, never counted twice.
//!
//! The snapshot names what the scan is (the instance, the options that change its rows, where
//! requests go); a checkpoint of another scan is refused, as is a damaged one or one whose
//! numbers do not add up ([`Snapshot::check`]: a hand-edited or foreign file), and neither file
//! is touched then.
//!
//! One scan at a time: a scan locks `FILE.lock` (holding its process ID) for as long as it runs;
//! a second scan of the same checkpoint is refused, naming the holder ([`LoadError::Busy`]).
//! A rows file cut inside a row (a full disk, a hand edit) is cut back to its last whole row.

use super::report::{Row, Tally};
use crate::store::files;
use crate::store::lock::{FileLock, NotLocked, lock_path};
use serde::{Deserialize, Serialize};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

pub const VERSION: u32 = 1;
/// The largest checkpoint read (a real one holds a few pages of user ARNs: tens of KB).
const MAX_BYTES: u64 = 16 << 20;

/// What makes two scans the same scan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Identity {
    pub app_instance_arn: String,
    pub describe: bool,
    pub diagnose: bool,
    /// With `diagnose`, the Pinpoint checks too (absent, as before they were made: without).
    #[serde(default)]
    pub pinpoint: bool,
    /// Every endpoint's row is kept (CSV), or only those that cannot receive.
    pub all_rows: bool,
    pub region: String,
    pub endpoint_url: Option<String>,
}

impl Identity {
    /// How `other` (the checkpoint's) differs from this scan, in words.
    pub fn differences(&self, other: &Identity) -> Vec<String> {
        let mut d = Vec::new();
        let yes = |b: bool| if b { "with" } else { "without" };
        if self.app_instance_arn != other.app_instance_arn {
            d.push(format!(
                "it is of the app instance {}",
                crate::model::escape_control(&other.app_instance_arn)
            ));
        }
        if self.describe != other.describe {
            d.push(format!("it was started {} --describe", yes(other.describe)));
        }
        if self.diagnose != other.diagnose {
            d.push(format!("it was started {} --diagnose", yes(other.diagnose)));
        }
        if self.pinpoint != other.pinpoint {
            let how = if other.pinpoint { "with the Pinpoint checks" } else { "without the Pinpoint checks" };
            d.push(format!("it was started {how} (--no-pinpoint leaves them out)"));
        }
        if self.all_rows != other.all_rows {
            let out = if other.all_rows { "--output csv" } else { "--output json or text" };
            d.push(format!("it was started with {out}"));
        }
        if self.region != other.region {
            d.push(format!(
                "its requests went to the region {}",
                crate::model::escape_control(&other.region)
            ));
        }
        if self.endpoint_url != other.endpoint_url {
            let url = other.endpoint_url.as_deref().unwrap_or("(AWS)");
            d.push(format!("its requests went to {}", crate::model::escape_control(url)));
        }
        d
    }
}

/// The snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Snapshot {
    pub version: u32,
    pub identity: Identity,
    /// The NextToken of the next page of users to fetch (`None`: the first, or none left).
    pub next_token: Option<String>,
    /// Every page of users has been fetched.
    pub users_listed: bool,
    /// Users fetched and not finished: they are scanned again on resume.
    pub pending: Vec<String>,
    pub tally: Tally,
    /// The length of the rows file when the snapshot was taken.
    pub rows_len: u64,
}

/// The most users a checkpoint can have pending or done (the service's quota per instance).
const MAX_USERS: u64 = 100_000;
/// The most endpoints a user has (the service's quota).
const MAX_ENDPOINTS_PER_USER: u64 = 10;
/// The largest count a checkpoint may hold (the largest integer JSON readers keep exactly); a
/// run adds to it without ever overflowing.
const MAX_COUNT: u64 = 1 << 53;

impl Snapshot {
    /// Whether the snapshot adds up, for a checkpoint read from disk: pending users of this
    /// instance, each once; counts within bounds whose sums agree; a users listing said finished
    /// only after a request. `Err`: what does not (for [`LoadError::Damaged`]).
    pub fn check(&self) -> Result<(), String> {
        let instance = &self.identity.app_instance_arn;
        let t = &self.tally;
        if self.pending.len() as u64 > MAX_USERS {
            return Err(format!(
                "it has {} users pending, more than an app instance holds",
                self.pending.len()
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for u in &self.pending {
            let shown = || crate::model::escape_control(u).into_owned();
            match crate::model::parse_user_arn(u) {
                Ok(p) if &p.app_instance_arn() == instance => {}
                Ok(_) => return Err(format!("its pending user {} is of another app instance", shown())),
                Err(e) => return Err(format!("its pending user {} is not a user ARN ({e})", shown())),
            }
            if !seen.insert(u.as_str()) {
                return Err(format!("its pending user {} is listed twice", shown()));
            }
        }
        for (what, n) in [
            ("users", t.users),
            ("endpoints", t.endpoints),
            ("cannot receive", t.cannot_receive),
            ("requests", t.requests),
            ("throttled", t.throttled),
            ("Pinpoint requests", t.pinpoint_requests),
        ] {
            if n > MAX_COUNT {
                return Err(format!("its count of {what} ({n}) is out of range"));
            }
        }
        if t.users.saturating_add(self.pending.len() as u64) > MAX_USERS {
            return Err(format!("it counts {} users, more than an app instance holds", t.users));
        }
        if t.endpoints > t.users.saturating_mul(MAX_ENDPOINTS_PER_USER) {
            return Err(format!(
                "it counts {} endpoints for {} users (a user has at most {MAX_ENDPOINTS_PER_USER})",
                t.endpoints, t.users
            ));
        }
        let sum = |m: &std::collections::BTreeMap<String, u64>| {
            m.values().try_fold(0u64, |a, &n| a.checked_add(n).filter(|&s| s <= MAX_COUNT))
        };
        for (what, m) in
            [("status", &t.by_status), ("type", &t.by_type), ("AllowMessages", &t.by_allow_messages)]
        {
            match sum(m) {
                Some(n) if n == t.endpoints => {}
                Some(n) => {
                    return Err(format!(
                        "its counts by {what} add up to {n}, not its {} endpoints",
                        t.endpoints
                    ));
                }
                None => return Err(format!("its counts by {what} are out of range")),
            }
        }
        match sum(&t.by_reason) {
            Some(n) if n <= t.endpoints => {}
            _ => return Err(format!("its counts by reason exceed its {} endpoints", t.endpoints)),
        }
        if t.cannot_receive > t.endpoints {
            return Err(format!(
                "it counts {} endpoints that cannot receive of {} endpoints",
                t.cannot_receive, t.endpoints
            ));
        }
        if t.throttled > t.requests || t.requests < t.users {
            return Err(format!(
                "its {} requests cannot have scanned {} users ({} throttled)",
                t.requests, t.users, t.throttled
            ));
        }
        if self.users_listed && (t.requests == 0 || self.next_token.is_some()) {
            return Err("it says every user was listed, without the requests that list them".into());
        }
        if !t.seconds.is_finite() || t.seconds < 0.0 {
            return Err("its duration is not a number of seconds".into());
        }
        if self.rows_len > MAX_COUNT {
            return Err("its rows length is out of range".into());
        }
        Ok(())
    }
}

/// Why a checkpoint cannot be used.
#[derive(Debug)]
pub enum LoadError {
    /// It is another scan's.
    Mismatch(Vec<String>),
    /// It cannot be read, is damaged or does not add up.
    Damaged(String),
    /// Another scan is using it (that process's ID, when known).
    Busy(Option<u32>),
}

/// The rows kept so far: an anonymous temporary file without a checkpoint, `FILE.rows` with one.
pub struct Rows {
    file: std::io::BufWriter<std::fs::File>,
    len: u64,
    /// Bytes of rows the checkpoint counted that were cut off on opening (a damaged tail).
    lost: u64,
}

impl Rows {
    /// A rows file nobody else sees, removed when the process ends.
    pub fn temporary() -> std::io::Result<Self> {
        Ok(Self { file: std::io::BufWriter::new(tempfile::tempfile()?), len: 0, lost: 0 })
    }

    /// `path`, created (0600) or cut back to `len`.
    fn open(path: &Path, len: u64) -> std::io::Result<Self> {
        files::refuse_special(path)?;
        let f = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        let have = f.metadata()?.len();
        let whole = whole_rows(&f, len.min(have))?;
        f.set_len(whole)?;
        let mut file = std::io::BufWriter::new(f);
        file.seek(std::io::SeekFrom::Start(whole))?;
        Ok(Self { file, len: whole, lost: len - whole })
    }

    /// Bytes of counted rows cut off on opening: the rows file was cut inside a row or is
    /// shorter than the checkpoint says (0: none).
    pub fn lost(&self) -> u64 {
        self.lost
    }

    pub fn append(&mut self, row: &Row) -> std::io::Result<()> {
        let mut line = serde_json::to_string(row).map_err(std::io::Error::other)?;
        line.push('\n');
        self.file.write_all(line.as_bytes())?;
        self.len += line.len() as u64;
        Ok(())
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn flush(&mut self, sync: bool) -> std::io::Result<()> {
        self.file.flush()?;
        if sync {
            self.file.get_ref().sync_data()?;
        }
        Ok(())
    }

    /// The rows from the start, for the report.
    pub fn reader(&mut self) -> std::io::Result<std::io::BufReader<std::fs::File>> {
        self.file.flush()?;
        let mut f = self.file.get_ref().try_clone()?;
        f.seek(std::io::SeekFrom::Start(0))?;
        Ok(std::io::BufReader::new(f))
    }
}

/// The length of the whole rows among the first `len` bytes of `f`: `len` when they end a row
/// (or are none), else the end of the last whole row before it (a row cut by a full disk, a
/// hand edit, or a file shorter than its checkpoint says).
fn whole_rows(f: &std::fs::File, len: u64) -> std::io::Result<u64> {
    use std::io::Read;
    let mut end = len;
    let mut buf = vec![0u8; 8192];
    let mut r = f;
    while end > 0 {
        let start = end.saturating_sub(buf.len() as u64);
        let chunk = &mut buf[..(end - start) as usize];
        r.seek(std::io::SeekFrom::Start(start))?;
        r.read_exact(chunk)?;
        if end == len && chunk.last() == Some(&b'\n') {
            return Ok(len);
        }
        if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// Whether another process holds the lock of the checkpoint `path` (and its ID, if known).
pub fn holder(path: &Path) -> Option<Option<u32>> {
    if lock_path(path).symlink_metadata().is_err() {
        return None;
    }
    match FileLock::try_owned(&lock_path(path)) {
        Err(NotLocked::Held(pid)) => Some(pid),
        _ => None,
    }
}

/// The checkpoint file and its rows file.
pub struct Checkpoint {
    path: PathBuf,
    /// Held while the scan runs (see the module's comment).
    lock: Option<FileLock>,
}

impl Checkpoint {
    pub fn new(path: &Path) -> Self {
        Self { path: path.to_path_buf(), lock: None }
    }

    /// Take the checkpoint's lock for this process (none other may use it meanwhile).
    pub fn lock(&mut self) -> Result<(), LoadError> {
        if self.lock.is_none() {
            let lock = FileLock::try_owned(&lock_path(&self.path)).map_err(|e| match e {
                NotLocked::Held(pid) => LoadError::Busy(pid),
                NotLocked::Io(e) => LoadError::Damaged(format!("cannot lock it: {e}")),
            })?;
            self.lock = Some(lock);
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn rows_path(&self) -> PathBuf {
        let mut s = self.path.as_os_str().to_owned();
        s.push(".rows");
        PathBuf::from(s)
    }

    /// The snapshot there, if any, checked to be this scan's.
    pub fn load(&self, identity: &Identity) -> Result<Option<Snapshot>, LoadError> {
        let bytes = match files::read_bounded(&self.path, MAX_BYTES, false) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(LoadError::Damaged(format!("cannot read it: {e}"))),
        };
        let snap: Snapshot = serde_json::from_slice(&bytes)
            .map_err(|e| LoadError::Damaged(format!("it is not a chimescope scan checkpoint ({e})")))?;
        if snap.version != VERSION {
            return Err(LoadError::Damaged(format!(
                "it is of version {}, this chimescope reads version {VERSION}",
                snap.version
            )));
        }
        let d = identity.differences(&snap.identity);
        if !d.is_empty() {
            return Err(LoadError::Mismatch(d));
        }
        snap.check().map_err(|e| LoadError::Damaged(format!("it does not add up: {e}")))?;
        Ok(Some(snap))
    }

    /// The rows file for `snap` (cut back to its length), or a new one.
    pub fn rows(&self, snap: Option<&Snapshot>) -> Result<Rows, LoadError> {
        let path = self.rows_path();
        if snap.is_none() && path.symlink_metadata().is_ok() {
            // Left over from a scan whose checkpoint is gone: start it again.
            std::fs::remove_file(&path)
                .map_err(|e| LoadError::Damaged(format!("{}: {e}", path.display())))?;
        }
        Rows::open(&path, snap.map_or(0, |s| s.rows_len)).map_err(|e| LoadError::Damaged(e.to_string()))
    }

    /// Save `snap` (its rows flushed first); `sync`: to the disk, not only past the process.
    pub fn save(&self, snap: &Snapshot, rows: &mut Rows, sync: bool) -> std::io::Result<()> {
        rows.flush(sync)?;
        let bytes = serde_json::to_vec(snap).map_err(std::io::Error::other)?;
        files::write_atomic_with(&self.path, &bytes, sync)
    }

    /// The scan is reported: both files go (and the lock file, while held).
    pub fn remove(&self) -> std::io::Result<()> {
        let lock = self.lock.as_ref().map(|_| lock_path(&self.path));
        for p in [Some(self.path.clone()), Some(self.rows_path()), lock].into_iter().flatten() {
            match std::fs::remove_file(&p) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/a";

    fn user(n: u32) -> String {
        format!("{INST}/user/u{n}")
    }

    fn identity() -> Identity {
        Identity {
            app_instance_arn: INST.into(),
            describe: false,
            diagnose: false,
            pinpoint: false,
            all_rows: false,
            region: "us-east-1".into(),
            endpoint_url: None,
        }
    }

    fn row(id: &str) -> Row {
        Row {
            app_instance_user_arn: "u".into(),
            endpoint_id: id.into(),
            r#type: None,
            allow_messages: None,
            status: None,
            status_reason: None,
            resource_arn: None,
            created_timestamp: None,
            last_updated_timestamp: None,
            findings: None,
            cannot_receive: true,
            opted_out: false,
        }
    }

    #[test]
    fn a_snapshot_round_trips_and_rows_past_it_are_cut_back() {
        let dir = tempfile::tempdir().unwrap();
        let cp = Checkpoint::new(&dir.path().join("scan.json"));
        assert!(cp.load(&identity()).unwrap().is_none());
        let mut rows = cp.rows(None).unwrap();
        rows.append(&row("a")).unwrap();
        let snap = Snapshot {
            version: VERSION,
            identity: identity(),
            next_token: Some("t".into()),
            users_listed: false,
            pending: vec![user(1)],
            tally: Tally::default(),
            rows_len: rows.len(),
        };
        cp.save(&snap, &mut rows, true).unwrap();
        rows.append(&row("after")).unwrap();
        rows.flush(false).unwrap();
        let back = cp.load(&identity()).unwrap().unwrap();
        assert_eq!(back, snap);
        let mut rows = cp.rows(Some(&back)).unwrap();
        let text = std::io::read_to_string(rows.reader().unwrap()).unwrap();
        assert!(text.contains("\"a\"") && !text.contains("after"), "{text}");
        cp.remove().unwrap();
        assert!(!cp.path().exists() && !cp.rows_path().exists());
    }

    #[test]
    fn another_scans_or_a_damaged_checkpoint_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let cp = Checkpoint::new(&dir.path().join("scan.json"));
        let mut rows = cp.rows(None).unwrap();
        let snap = Snapshot {
            version: VERSION,
            identity: identity(),
            next_token: None,
            users_listed: false,
            pending: vec![],
            tally: Tally::default(),
            rows_len: 0,
        };
        cp.save(&snap, &mut rows, false).unwrap();
        let other = Identity { app_instance_arn: "arn:other".into(), diagnose: true, ..identity() };
        match cp.load(&other) {
            Err(LoadError::Mismatch(d)) => {
                assert!(d[0].contains(&format!("app instance {INST}")), "{d:?}");
                assert!(d[1].contains("without --diagnose"), "{d:?}");
            }
            r => panic!("{r:?}"),
        }
        std::fs::write(cp.path(), b"{\"Version\": 1, \"Ident").unwrap();
        assert!(matches!(cp.load(&identity()), Err(LoadError::Damaged(_))));
        assert_eq!(std::fs::read(cp.path()).unwrap(), b"{\"Version\": 1, \"Ident", "left as it was");
    }

    fn snap_with(users: u64, rows: &[Row]) -> Snapshot {
        let mut tally = Tally { users, requests: users + 1, ..Default::default() };
        for r in rows {
            tally.add(r);
        }
        Snapshot {
            version: VERSION,
            identity: identity(),
            next_token: None,
            users_listed: true,
            pending: vec![user(1), user(2)],
            tally,
            rows_len: 0,
        }
    }

    /// A checkpoint that does not add up is refused (and left as it is).
    #[test]
    fn a_snapshot_that_does_not_add_up_is_refused() {
        let good = snap_with(3, &[row("a"), row("b")]);
        good.check().unwrap();
        let bad = |f: &dyn Fn(&mut Snapshot), says: &str| {
            let mut s = good.clone();
            f(&mut s);
            let e = s.check().unwrap_err();
            assert!(e.contains(says), "{says}: {e}");
        };
        bad(
            &|s| s.pending.push("arn:aws:chime:us-east-1:123456789012:app-instance/other/user/x".into()),
            "another app instance",
        );
        bad(&|s| s.pending.push(user(1)), "listed twice");
        bad(&|s| s.pending.push("u\n1".into()), "not a user ARN");
        bad(&|s| s.tally.endpoints = u64::MAX, "out of range");
        bad(
            &|s| {
                s.tally.by_status.insert("X".into(), u64::MAX);
            },
            "by status",
        );
        bad(&|s| s.tally.cannot_receive = 3, "cannot receive");
        bad(&|s| s.tally.endpoints = 3, "add up to 2");
        bad(&|s| s.tally.requests = 0, "requests");
        bad(
            &|s| {
                s.tally = Tally::default();
                s.pending.clear();
            },
            "without the requests",
        );
        bad(&|s| s.tally.seconds = f64::NAN, "seconds");
        // Refused through load, the file untouched.
        let dir = tempfile::tempdir().unwrap();
        let cp = Checkpoint::new(&dir.path().join("scan.json"));
        let mut tampered = good.clone();
        tampered.tally.users = u64::MAX;
        let bytes = serde_json::to_vec(&tampered).unwrap();
        std::fs::write(cp.path(), &bytes).unwrap();
        assert!(matches!(cp.load(&identity()), Err(LoadError::Damaged(m)) if m.contains("does not add up")));
        assert_eq!(std::fs::read(cp.path()).unwrap(), bytes);
    }

    /// A rows file cut inside a row (or shorter than the snapshot says) is cut
    /// back to its last whole row.
    #[test]
    fn a_rows_file_cut_mid_row_is_cut_back_to_its_last_whole_row() {
        let dir = tempfile::tempdir().unwrap();
        let cp = Checkpoint::new(&dir.path().join("scan.json"));
        let mut rows = cp.rows(None).unwrap();
        rows.append(&row("a")).unwrap();
        let whole = rows.len();
        rows.append(&row("b")).unwrap();
        let full = rows.len();
        rows.flush(false).unwrap();
        drop(rows);
        let f = std::fs::OpenOptions::new().write(true).open(cp.rows_path()).unwrap();
        f.set_len(full - 5).unwrap();
        let snap = Snapshot { rows_len: full, ..snap_with(1, &[]) };
        let mut rows = cp.rows(Some(&snap)).unwrap();
        assert_eq!(rows.len(), whole);
        assert_eq!(rows.lost(), full - whole);
        let text = std::io::read_to_string(rows.reader().unwrap()).unwrap();
        assert_eq!(text.lines().count(), 1);
        assert!(text.ends_with('\n') && text.contains("\"a\""), "{text}");
        rows.append(&row("c")).unwrap();
        let text = std::io::read_to_string(rows.reader().unwrap()).unwrap();
        for l in text.lines() {
            serde_json::from_str::<Row>(l).unwrap();
        }
        // A snapshot pointing inside a row: cut back the same way.
        let snap = Snapshot { rows_len: whole + 3, ..snap };
        assert_eq!(cp.rows(Some(&snap)).unwrap().len(), whole);
    }

    /// A second holder of a checkpoint is refused, named by its process ID.
    #[test]
    fn a_locked_checkpoint_is_refused_naming_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scan.json");
        let mut first = Checkpoint::new(&path);
        first.lock().unwrap();
        assert_eq!(holder(&path), Some(Some(std::process::id())));
        let mut second = Checkpoint::new(&path);
        assert!(matches!(second.lock(), Err(LoadError::Busy(Some(p))) if p == std::process::id()));
        first.remove().unwrap();
        drop(first);
        assert!(!lock_path(&path).exists(), "the lock file goes with the checkpoint");
        second.lock().unwrap();
    }
}
