//! A scan's progress on disk, so that running the same command again resumes it.
//!
//! Two files: the checkpoint `FILE` (a small JSON snapshot, replaced atomically: a temporary file
//! then a rename) and `FILE.rows` (the rows kept so far, one JSON object a line, appended). The
//! snapshot records how long the rows file was when it was taken; on resume the rows file is cut
//! back to that length, so rows written after the last snapshot are redone, never counted twice.
//!
//! The snapshot names what the scan is (the instance, the options that change its rows, where
//! requests go); a checkpoint of another scan is refused, as is a damaged one, and neither file is
//! touched then.

use super::report::{Row, Tally};
use crate::store::files;
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

/// Why a checkpoint cannot be used.
#[derive(Debug)]
pub enum LoadError {
    /// It is another scan's.
    Mismatch(Vec<String>),
    /// It cannot be read or is damaged.
    Damaged(String),
}

/// The rows kept so far: an anonymous temporary file without a checkpoint, `FILE.rows` with one.
pub struct Rows {
    file: std::io::BufWriter<std::fs::File>,
    len: u64,
}

impl Rows {
    /// A rows file nobody else sees, removed when the process ends.
    pub fn temporary() -> std::io::Result<Self> {
        Ok(Self { file: std::io::BufWriter::new(tempfile::tempfile()?), len: 0 })
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
        if have < len {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} holds {have} bytes, the checkpoint says {len}: rows are missing", path.display()),
            ));
        }
        f.set_len(len)?;
        let mut file = std::io::BufWriter::new(f);
        file.seek(std::io::SeekFrom::Start(len))?;
        Ok(Self { file, len })
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

/// The checkpoint file and its rows file.
pub struct Checkpoint {
    path: PathBuf,
}

impl Checkpoint {
    pub fn new(path: &Path) -> Self {
        Self { path: path.to_path_buf() }
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

    /// The scan is reported: both files go.
    pub fn remove(&self) -> std::io::Result<()> {
        for p in [self.path.clone(), self.rows_path()] {
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

    fn identity() -> Identity {
        Identity {
            app_instance_arn: "arn:aws:chime:us-east-1:1:app-instance/a".into(),
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
            pending: vec!["u1".into()],
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
                assert!(d[0].contains("app instance arn:aws:chime:us-east-1:1:app-instance/a"), "{d:?}");
                assert!(d[1].contains("without --diagnose"), "{d:?}");
            }
            r => panic!("{r:?}"),
        }
        std::fs::write(cp.path(), b"{\"Version\": 1, \"Ident").unwrap();
        assert!(matches!(cp.load(&identity()), Err(LoadError::Damaged(_))));
        assert_eq!(std::fs::read(cp.path()).unwrap(), b"{\"Version\": 1, \"Ident", "left as it was");
        // A rows file shorter than the snapshot says: damaged.
        let snap = Snapshot { rows_len: 10, ..snap };
        assert!(matches!(cp.rows(Some(&snap)), Err(LoadError::Damaged(_))));
    }
}
