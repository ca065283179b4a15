//! `--state FILE`: a snapshot in seed format plus a journal of acknowledged writes.
//!
//! - `FILE` is a seed (what the emulator held at the last compaction); `FILE.journal` holds one
//!   line per acknowledged write (`HASH JSON`, HASH the first 16 hex digits of the SHA-256 of
//!   JSON): the keys it changed and their values after. A write is appended and flushed to disk
//!   before its answer leaves; writers that arrive while a flush is under way share the next
//!   one (group commit, on the journal's own thread).
//! - A checkpoint line (`{"Checkpoint": SHA-256 of a snapshot}`) says that the lines after it
//!   apply on top of that snapshot. When the journal outgrows the snapshot, it is folded in the
//!   background: the store is written to a temporary file (while no write is pending, so it is
//!   exactly what is durable) with a checkpoint appended at that point, the file flushed,
//!   renamed over `FILE`, the directory flushed, and the journal cut to start at the checkpoint
//!   (a new file, flushed and renamed). A crash at any step leaves a snapshot and a journal
//!   that hold a checkpoint of it.
//! - Start-up loads the snapshot and replays what follows its last checkpoint. A torn last
//!   line (a crash mid-append) is dropped with a warning naming its byte offset; damage before
//!   the last line refuses to start, naming the file and the offset, and changes nothing.
//! - A write whose append or flush fails (a full disk, a file size limit) is rolled back, with
//!   every write queued after it, and answered ServiceFailureException; the journal is cut back
//!   to its last good length (if that fails too, every later write is refused).
//! - `FILE.lock` is held (flock) while the emulator runs: a second one on the same state is
//!   refused. Temporary files (`.chimescope-state*`) left by a killed emulator are removed at
//!   start. `FILE` (and its journal and lock) must not be symbolic links.

use super::push::log::Line;
use super::seed;
use super::store::{Change, Key, Store};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::Duration;
use tokio::sync::oneshot;

/// How temporary files beside the state begin.
pub const TEMP_PREFIX: &str = ".chimescope-state";
/// A journal is folded into the snapshot once it is larger than the snapshot and than this.
const MIN_COMPACT_BYTES: u64 = 1024 * 1024;
/// The largest journal read at start-up.
const MAX_JOURNAL_BYTES: u64 = 1024 * 1024 * 1024;

/// Why the state cannot be used (the emulator does not start).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StateError(pub String);

/// The answer to a write's wait: Ok once it is on disk, or why it was rolled back (no path).
pub type Ack = oneshot::Receiver<Result<(), String>>;

struct Paths {
    state: PathBuf,
    journal: PathBuf,
    lock: PathBuf,
    dir: PathBuf,
}

impl Paths {
    fn of(state: &Path) -> Self {
        let with = |ext: &str| {
            let mut s = state.as_os_str().to_owned();
            s.push(ext);
            PathBuf::from(s)
        };
        let dir = match state.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Paths { state: state.to_path_buf(), journal: with(".journal"), lock: with(".lock"), dir }
    }
}

struct Pending {
    changes: Vec<Change>,
    /// The write's push-log lines: they join the log once the write is on disk (dropped when
    /// it is rolled back).
    pushes: Vec<Line>,
    tx: Option<oneshot::Sender<Result<(), String>>>,
}

struct Inner {
    /// Lines appended and not yet handed to the file.
    buf: Vec<u8>,
    /// Writes not yet on disk, in order.
    pending: Vec<Pending>,
    /// The journal's bytes on disk.
    len: u64,
    snapshot_len: u64,
    compacting: bool,
    /// Set when the journal could not be cut back after a failure: nothing more is accepted.
    broken: Option<String>,
    stop: bool,
}

/// The journal of a running emulator.
pub struct Journal {
    paths: Paths,
    inner: Mutex<Inner>,
    wake: Condvar,
    file: Mutex<File>,
    /// Held while the snapshot is replaced (a compaction, a reset): one at a time.
    swap: Mutex<()>,
    _lock: File,
    store: Arc<RwLock<Store>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// One journal line: `HASH JSON\n`.
fn line(json: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + 18);
    out.extend_from_slice(&sha_hex(json.as_bytes()).as_bytes()[..16]);
    out.push(b' ');
    out.extend_from_slice(json.as_bytes());
    out.push(b'\n');
    out
}

fn checkpoint_line(sha: &str) -> Vec<u8> {
    line(&json!({ "Checkpoint": sha }).to_string())
}

fn key_parts(k: &Key) -> Option<(&'static str, &str, &str)> {
    Some(match k {
        Key::Instance(a) => ("I", a, ""),
        Key::User(a) => ("U", a, ""),
        Key::Endpoint(u, e) => ("E", u, e),
        Key::Bot(a) => ("B", a, ""),
        Key::Admin(i, a) => ("A", i, a),
        Key::Retention(i) => ("R", i, ""),
        Key::Tags(a) => ("T", a, ""),
        Key::Channel(a) => ("C", a, ""),
        Key::Membership(c, m) => ("M", c, m),
        Key::Message(c, id) => ("G", c, id),
        Key::PushOutcomes => ("P", "", ""),
        Key::Token(_) => return None,
    })
}

fn key_of(kind: &str, a: &str, b: &str) -> Option<Key> {
    let (a, b) = (a.to_string(), b.to_string());
    Some(match kind {
        "I" => Key::Instance(a),
        "U" => Key::User(a),
        "E" => Key::Endpoint(a, b),
        "B" => Key::Bot(a),
        "A" => Key::Admin(a, b),
        "R" => Key::Retention(a),
        "T" => Key::Tags(a),
        "C" => Key::Channel(a),
        "M" => Key::Membership(a, b),
        "G" => Key::Message(a, b),
        "P" => Key::PushOutcomes,
        _ => return None,
    })
}

/// A write's line: `{"Write": [[KIND, A, B, VALUE|null], …]}` (None: nothing to journal).
fn write_line(changes: &[Change]) -> Option<Vec<u8>> {
    let items: Vec<Value> = changes
        .iter()
        .filter_map(|c| {
            let (k, a, b) = key_parts(&c.key)?;
            Some(json!([k, a, b, c.after.clone().unwrap_or(Value::Null)]))
        })
        .collect();
    (!items.is_empty()).then(|| line(&json!({ "Write": items }).to_string()))
}

/// A writer that hashes what it writes and counts it.
struct Hashing<W: Write> {
    inner: W,
    sha: Sha256,
    len: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn private_temp(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix(TEMP_PREFIX).tempfile_in(dir)
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Write `store` as a snapshot into a new temporary file beside the state (not yet flushed to
/// disk): the file (to rename), its SHA-256 and length.
fn write_snapshot(store: &Store, dir: &Path) -> std::io::Result<(tempfile::NamedTempFile, String, u64)> {
    let tmp = private_temp(dir)?;
    let (sha, len) = {
        let file: &File = tmp.as_file();
        let mut w = Hashing { inner: BufWriter::new(file), sha: Sha256::new(), len: 0 };
        store.write_seed(&mut w)?;
        w.flush()?;
        (hex::encode(w.sha.clone().finalize()), w.len)
    };
    Ok((tmp, sha, len))
}

/// What an I/O error says, without any path.
fn why(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(libc::ENOSPC) => "no space left on the device".into(),
        Some(libc::EFBIG) => "the file size limit was reached".into(),
        Some(libc::EDQUOT) => "the disk quota was reached".into(),
        Some(libc::EACCES) | Some(libc::EPERM) => "permission denied".into(),
        Some(libc::EROFS) => "the file system is read-only".into(),
        _ => format!("{:?}", e.kind()).to_lowercase(),
    }
}

fn refuse_symlink(p: &Path, what: &str) -> Result<(), StateError> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => Err(StateError(format!(
            "{what} {} is a symbolic link: refused (give the path of the file itself)",
            p.display()
        ))),
        _ => Ok(()),
    }
}

fn open_private(p: &Path, truncate: bool) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true).create(true).truncate(truncate);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    o.open(p)
}

/// The journal's lines after the last checkpoint of `sha`, parsed; and where a torn last line
/// starts, if any.
struct Replay {
    changes: Vec<(Key, Option<Value>)>,
    torn_at: Option<u64>,
    len: u64,
    /// Whether the journal holds any line (a checkpoint of this snapshot or not).
    any: bool,
}

fn damaged(path: &Path, off: usize, what: &str) -> StateError {
    StateError(format!(
        "{}: damaged record at byte {off} ({what}), not the last one: refusing to start, nothing was \
         changed (move the journal away to start from the snapshot alone, losing the writes it holds)",
        path.display()
    ))
}

fn read_journal(path: &Path, bytes: &[u8], sha: &str) -> Result<Replay, StateError> {
    let mut entries: Vec<(usize, Value)> = Vec::new();
    let mut torn_at = None;
    let mut off = 0;
    while off < bytes.len() {
        let end = bytes[off..].iter().position(|&b| b == b'\n').map(|n| off + n);
        let last = end.is_none_or(|e| e + 1 >= bytes.len());
        let parsed = end.ok_or("no end of line").and_then(|e| {
            let l = std::str::from_utf8(&bytes[off..e]).map_err(|_| "not UTF-8")?;
            let (h, j) = l.split_once(' ').ok_or("no checksum")?;
            if h.len() != 16 || sha_hex(j.as_bytes())[..16] != *h {
                return Err("checksum mismatch");
            }
            serde_json::from_str::<Value>(j).map_err(|_| "not JSON")
        });
        match parsed {
            Ok(v) => entries.push((off, v)),
            Err(_) if last => {
                torn_at = Some(off as u64);
                break;
            }
            Err(what) => return Err(damaged(path, off, what)),
        }
        off = end.map_or(bytes.len(), |e| e + 1);
    }
    let any = !entries.is_empty();
    let from = entries.iter().rposition(|(_, v)| v.get("Checkpoint").and_then(Value::as_str) == Some(sha));
    let Some(from) = from else {
        if any {
            return Err(StateError(format!(
                "{}: does not continue the state file beside it (no checkpoint of it; was the state \
                 file replaced?): refusing to start, nothing was changed",
                path.display()
            )));
        }
        return Ok(Replay { changes: Vec::new(), torn_at, len: 0, any });
    };
    let mut changes = Vec::new();
    for (at, v) in &entries[from + 1..] {
        if v.get("Checkpoint").is_some() {
            continue;
        }
        let items =
            v.get("Write").and_then(Value::as_array).ok_or_else(|| damaged(path, *at, "unknown record"))?;
        for it in items {
            let parts = it.as_array().filter(|p| p.len() == 4);
            let key = parts.and_then(|p| key_of(p[0].as_str()?, p[1].as_str()?, p[2].as_str()?));
            let (Some(p), Some(key)) = (parts, key) else {
                return Err(damaged(path, *at, "unknown change"));
            };
            changes.push((key, Some(p[3].clone()).filter(|v| !v.is_null())));
        }
    }
    let len = torn_at.unwrap_or(bytes.len() as u64);
    Ok(Replay { changes, torn_at, len, any })
}

/// Open `--state`: lock it, load the snapshot (or write `seed` as the first one) and replay the
/// journal. Nothing is changed on disk before everything has been checked.
pub fn open(state: &Path, seed: Store) -> Result<(Store, Opened), StateError> {
    let paths = Paths::of(state);
    refuse_symlink(&paths.state, "the state file")?;
    refuse_symlink(&paths.journal, "the state's journal")?;
    refuse_symlink(&paths.lock, "the state's lock file")?;
    let io = |p: &Path, e: std::io::Error| StateError(format!("{}: {e}", p.display()));
    let lock_file = open_private(&paths.lock, false).map_err(|e| io(&paths.lock, e))?;
    match lock_file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(StateError(format!(
                "{} is in use by another emulator (it holds {}): refused",
                paths.state.display(),
                paths.lock.display()
            )));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(&paths.lock, e)),
    }
    // Everything is read and checked before anything is written.
    let (mut store, sha, snapshot_len, fresh) = if paths.state.exists() {
        let text =
            seed::read_file(&paths.state).map_err(|e| StateError(format!("unusable state file: {e}")))?;
        let sha = sha_hex(text.as_bytes());
        let store = Store::from_seed_str(&text, &paths.state.display().to_string())
            .map_err(|e| StateError(format!("unusable state file: {e}")))?;
        (store, sha, text.len() as u64, false)
    } else {
        (seed, String::new(), 0, true)
    };
    let replay = if paths.journal.exists() {
        let f = File::open(&paths.journal).map_err(|e| io(&paths.journal, e))?;
        let mut bytes = Vec::new();
        f.take(MAX_JOURNAL_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io(&paths.journal, e))?;
        if bytes.len() as u64 > MAX_JOURNAL_BYTES {
            return Err(StateError(format!("{}: larger than 1 GiB: refused", paths.journal.display())));
        }
        let r = read_journal(&paths.journal, &bytes, &sha)?;
        if fresh && r.any {
            return Err(StateError(format!(
                "{}: a journal without its state file {}: refusing to start, nothing was changed",
                paths.journal.display(),
                paths.state.display()
            )));
        }
        Some(r)
    } else {
        None
    };
    // From here on, files change.
    remove_leftovers(&paths.dir);
    let (sha, snapshot_len) = if fresh {
        let (tmp, sha, len) = write_snapshot(&store, &paths.dir)
            .and_then(|t| t.0.as_file().sync_all().map(|_| t))
            .map_err(|e| io(&paths.state, e))?;
        tmp.persist(&paths.state).map_err(|e| io(&paths.state, e.error))?;
        sync_dir(&paths.dir);
        (sha, len)
    } else {
        (sha, snapshot_len)
    };
    let journal_len;
    let file = match replay {
        Some(r) if r.len > 0 => {
            if let Some(at) = r.torn_at {
                tracing::warn!(
                    journal = %paths.journal.display(),
                    offset = at,
                    "the journal's last record is torn (a crash mid-write): dropped"
                );
            }
            let f = open_private(&paths.journal, false).map_err(|e| io(&paths.journal, e))?;
            f.set_len(r.len).and_then(|_| f.sync_all()).map_err(|e| io(&paths.journal, e))?;
            store.replay(r.changes);
            journal_len = r.len;
            f
        }
        other => {
            if let Some(at) = other.and_then(|r| r.torn_at) {
                tracing::warn!(
                    journal = %paths.journal.display(),
                    offset = at,
                    "the journal's last record is torn (a crash mid-write): dropped"
                );
            }
            let mut f = open_private(&paths.journal, true).map_err(|e| io(&paths.journal, e))?;
            let l = checkpoint_line(&sha);
            f.write_all(&l).and_then(|_| f.sync_all()).map_err(|e| io(&paths.journal, e))?;
            sync_dir(&paths.dir);
            journal_len = l.len() as u64;
            f
        }
    };
    let file = reopen_append(file, &paths.journal).map_err(|e| io(&paths.journal, e))?;
    Ok((store, Opened { paths, file, lock: lock_file, len: journal_len, snapshot_len }))
}

fn reopen_append(f: File, path: &Path) -> std::io::Result<File> {
    drop(f);
    let mut o = OpenOptions::new();
    o.append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path)
}

fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            match std::fs::remove_file(e.path()) {
                Ok(()) => {
                    tracing::info!(file = %e.path().display(), "a leftover temporary state file removed")
                }
                Err(err) => {
                    tracing::warn!(file = %e.path().display(), error = %err, "a leftover temporary state file could not be removed")
                }
            }
        }
    }
}

/// A state opened and checked, its journal not yet running.
pub struct Opened {
    paths: Paths,
    file: File,
    lock: File,
    len: u64,
    snapshot_len: u64,
}

impl Journal {
    /// Start the journal's thread for the store it keeps.
    pub fn start(o: Opened, store: Arc<RwLock<Store>>) -> Arc<Journal> {
        let j = Arc::new(Journal {
            paths: o.paths,
            inner: Mutex::new(Inner {
                buf: Vec::new(),
                pending: Vec::new(),
                len: o.len,
                snapshot_len: o.snapshot_len,
                compacting: false,
                broken: None,
                stop: false,
            }),
            wake: Condvar::new(),
            file: Mutex::new(o.file),
            swap: Mutex::new(()),
            _lock: o.lock,
            store,
        });
        let t = j.clone();
        let spawned =
            std::thread::Builder::new().name("chimescope-journal".into()).spawn(move || t.flusher());
        if let Err(e) = spawned {
            lock(&j.inner).broken = Some(format!("the journal's thread did not start ({e})"));
        }
        j.maybe_compact(&mut lock(&j.inner));
        j
    }

    /// Stop the thread (after what is queued is flushed).
    pub fn shutdown(&self) {
        lock(&self.inner).stop = true;
        self.wake.notify_all();
    }

    /// Queue a write's changes; called with the store's write lock held, so that the journal's
    /// order is the order the writes were applied in. Ok(None): nothing to wait for; Err: the
    /// write cannot be persisted (the caller rolls it back). The write's push-log lines are
    /// taken out of `pushes` when it is queued, and join the log once it is on disk (never, if
    /// it is rolled back); when nothing is queued (Ok(None)) they are left for the caller.
    pub fn enqueue(&self, changes: Vec<Change>, pushes: &mut Vec<Line>) -> Result<Option<Ack>, String> {
        let mut inner = lock(&self.inner);
        if let Some(b) = &inner.broken {
            return Err(b.clone());
        }
        let bytes = write_line(&changes);
        if bytes.is_none() && inner.pending.is_empty() {
            // Nothing of its own, nothing before it unflushed (an idempotent retry).
            return Ok(None);
        }
        let (tx, rx) = oneshot::channel();
        if let Some(b) = bytes {
            inner.buf.extend_from_slice(&b);
        }
        inner.pending.push(Pending { changes, pushes: std::mem::take(pushes), tx: Some(tx) });
        drop(inner);
        self.wake.notify_all();
        Ok(Some(rx))
    }

    fn flusher(self: Arc<Self>) {
        loop {
            let (bytes, n) = {
                let mut inner = lock(&self.inner);
                while inner.pending.is_empty() && !inner.stop {
                    inner = self.wake.wait(inner).unwrap_or_else(|e| e.into_inner());
                }
                if inner.pending.is_empty() && inner.stop {
                    return;
                }
                (std::mem::take(&mut inner.buf), inner.pending.len())
            };
            let res = if bytes.is_empty() {
                Ok(())
            } else {
                let f = lock(&self.file);
                (&*f).write_all(&bytes).and_then(|_| f.sync_data())
            };
            match res {
                Ok(()) => {
                    let mut inner = lock(&self.inner);
                    inner.len += bytes.len() as u64;
                    let mut done: Vec<Pending> = inner.pending.drain(..n).collect();
                    self.maybe_compact(&mut inner);
                    drop(inner);
                    // The pushes of the writes now on disk join the log before they are
                    // answered (the journal's lock is not held: a rollback takes the store first).
                    if done.iter().any(|p| !p.pushes.is_empty()) {
                        let mut store = self.store.write().unwrap_or_else(|e| e.into_inner());
                        for p in &mut done {
                            store.commit_pushes(std::mem::take(&mut p.pushes));
                        }
                    }
                    for mut p in done {
                        if let Some(tx) = p.tx.take() {
                            let _ = tx.send(Ok(()));
                        }
                    }
                }
                Err(e) => self.roll_back(&e),
            }
        }
    }

    /// A flush failed: every write not on disk is undone (the newest first) and answered with
    /// why, and the journal cut back to its last good length.
    fn roll_back(&self, e: &std::io::Error) {
        let reason = why(e);
        tracing::error!(
            journal = %self.paths.journal.display(),
            error = %e,
            "the journal could not be written: the writes not on disk are rolled back"
        );
        let mut store = self.store.write().unwrap_or_else(|e| e.into_inner());
        let mut inner = lock(&self.inner);
        let failed: Vec<Pending> = inner.pending.drain(..).collect();
        inner.buf.clear();
        let f = lock(&self.file);
        if let Err(e2) = f.set_len(inner.len).and_then(|_| f.sync_data()) {
            tracing::error!(journal = %self.paths.journal.display(), error = %e2, "the journal could not be cut back: every further write is refused");
            inner.broken = Some(format!("the state could not be written ({reason}) nor repaired"));
        }
        drop(f);
        for p in failed.iter().rev() {
            store.undo(&p.changes);
        }
        drop(inner);
        drop(store);
        for mut p in failed {
            if let Some(tx) = p.tx.take() {
                let _ = tx.send(Err(reason.clone()));
            }
        }
    }

    fn maybe_compact(self: &Arc<Self>, inner: &mut Inner) {
        if inner.compacting || inner.stop || inner.len <= inner.snapshot_len.max(MIN_COMPACT_BYTES) {
            return;
        }
        inner.compacting = true;
        let j = self.clone();
        let spawned = std::thread::Builder::new().name("chimescope-compact".into()).spawn(move || {
            if let Err(e) = j.compact() {
                tracing::warn!(state = %j.paths.state.display(), error = %e, "the journal could not be folded into the state file (tried again later)");
                let mut inner = lock(&j.inner);
                // Not before the journal has grown as much again.
                inner.snapshot_len = inner.len;
            }
            lock(&j.inner).compacting = false;
        });
        if spawned.is_err() {
            inner.compacting = false;
        }
    }

    /// Wait (at most 2 s) until no write is pending, with the store held by `hold` (so that no
    /// new write is applied): then what it holds is exactly what is on disk. The journal's
    /// thread flushes the pending writes meanwhile; if a flush fails, its rollback waits for
    /// the store until this gives up. None when writes never drained.
    fn quiet<G>(&self, hold: impl Fn() -> G) -> Option<G> {
        for _ in 0..3 {
            let g = hold();
            let deadline = std::time::Instant::now() + Duration::from_secs(2);
            while std::time::Instant::now() < deadline {
                if lock(&self.inner).pending.is_empty() {
                    return Some(g);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            drop(g);
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    /// Fold the journal into a new snapshot.
    fn compact(&self) -> std::io::Result<()> {
        let _one = lock(&self.swap);
        let g = self
            .quiet(|| self.store.read().unwrap_or_else(|e| e.into_inner()))
            .ok_or_else(|| std::io::Error::other("writes never paused"))?;
        let (tmp, sha, len) = write_snapshot(&g, &self.paths.dir)?;
        // The checkpoint sits exactly where the snapshot was taken.
        let (ack, at) = {
            let mut inner = lock(&self.inner);
            let at = inner.len + inner.buf.len() as u64;
            inner.buf.extend_from_slice(&checkpoint_line(&sha));
            let (tx, rx) = oneshot::channel();
            inner.pending.push(Pending { changes: Vec::new(), pushes: Vec::new(), tx: Some(tx) });
            (rx, at)
        };
        self.wake.notify_all();
        drop(g);
        tmp.as_file().sync_all()?;
        match ack.blocking_recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(std::io::Error::other(e)),
            Err(_) => return Err(std::io::Error::other("the journal stopped")),
        }
        tmp.persist(&self.paths.state).map_err(|e| e.error)?;
        sync_dir(&self.paths.dir);
        // Cut the journal to start at the checkpoint: the lines before it are in the snapshot.
        let mut inner = lock(&self.inner);
        let mut f = lock(&self.file);
        let mut old = File::open(&self.paths.journal)?;
        let mut tail = Vec::new();
        std::io::Seek::seek(&mut old, std::io::SeekFrom::Start(at))?;
        old.read_to_end(&mut tail)?;
        let new = private_temp(&self.paths.dir)?;
        new.as_file().write_all(&tail)?;
        new.as_file().sync_all()?;
        new.persist(&self.paths.journal).map_err(|e| e.error)?;
        sync_dir(&self.paths.dir);
        *f = reopen_append(File::open(&self.paths.journal)?, &self.paths.journal)?;
        inner.len = inner.len.saturating_sub(at);
        inner.snapshot_len = len;
        tracing::info!(state = %self.paths.state.display(), bytes = len, "the journal was folded into the state file");
        Ok(())
    }

    /// Replace the whole state (reset, `POST /_chimescope/state`): written as the new
    /// snapshot before it is served; on failure nothing changes.
    pub fn replace(&self, new: Store) -> Result<(), String> {
        let _one = lock(&self.swap);
        let Some(mut store) = self.quiet(|| self.store.write().unwrap_or_else(|e| e.into_inner())) else {
            return Err("writes never paused".into());
        };
        let fail = |e: std::io::Error| {
            tracing::error!(state = %self.paths.state.display(), error = %e, "the state could not be replaced");
            why(&e)
        };
        let (tmp, sha, len) = write_snapshot(&new, &self.paths.dir)
            .and_then(|t| t.0.as_file().sync_all().map(|_| t))
            .map_err(fail)?;
        {
            let mut inner = lock(&self.inner);
            if let Some(b) = &inner.broken {
                return Err(b.clone());
            }
            let f = lock(&self.file);
            let l = checkpoint_line(&sha);
            if let Err(e) = (&*f).write_all(&l).and_then(|_| f.sync_data()) {
                let _ = f.set_len(inner.len);
                return Err(fail(e));
            }
            inner.len += l.len() as u64;
            inner.snapshot_len = len;
        }
        tmp.persist(&self.paths.state).map_err(|e| fail(e.error))?;
        sync_dir(&self.paths.dir);
        *store = new;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_check_themselves() {
        let l = line("{\"Write\": []}");
        let text = std::str::from_utf8(&l).unwrap();
        assert!(text.ends_with('\n'));
        let (h, j) = text.trim_end().split_once(' ').unwrap();
        assert_eq!(h, &sha_hex(j.as_bytes())[..16]);
    }
}
