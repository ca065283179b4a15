//! Where chimescope keeps its files (DESIGN.md, "Files on disk"), and how it writes them.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `$XDG_STATE_HOME/chimescope` (default `~/.local/state/chimescope`).
pub fn state_dir() -> Option<PathBuf> {
    dirs::state_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local").join("state")))
        .map(|d| d.join("chimescope"))
}

/// `$XDG_CONFIG_HOME/chimescope` (default `~/.config/chimescope`).
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("chimescope"))
}

pub fn config_file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

pub fn history_file() -> Option<PathBuf> {
    state_dir().map(|d| d.join("history.json"))
}

pub fn log_file() -> Option<PathBuf> {
    state_dir().map(|d| d.join("chimescope.log"))
}

/// Create a private directory (0700) and its parents.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

fn open_private(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true);
    if append {
        o.append(true);
    } else {
        o.truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Open a file for appending, created with mode 0600.
pub fn open_append_private(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent() {
        ensure_private_dir(dir)?;
    }
    open_append_inner(path)
}

fn open_append_inner(path: &Path) -> std::io::Result<std::fs::File> {
    open_private(path, true)
}

/// Write `bytes` to `path` atomically: a temporary file (mode 0600) in the same directory,
/// synced, then renamed over the target. The temporary name is unique per process and call,
/// so two threads writing at once never share one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    ensure_private_dir(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let result = (|| {
        let mut f = open_private(&tmp, false)?;
        // A stale temporary file left by a crash keeps its old mode through open(): set it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    } else {
        // Make the rename itself durable; a failure here loses nothing already written.
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    result
}

/// `<path>.lock`: the sidecar file that writers of `path` lock.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

/// An exclusive advisory lock (`flock`, through fs4) on a lock file; released when dropped.
#[derive(Debug)]
pub struct FileLock {
    file: std::fs::File,
}

impl FileLock {
    /// Lock `lock_file` (created with mode 0600, its directory 0700, if missing), waiting up
    /// to `timeout` for another holder; `ErrorKind::WouldBlock` when it is still held then.
    /// Locks are per open file, so two threads of one process exclude each other too.
    pub fn exclusive(lock_file: &Path, timeout: std::time::Duration) -> std::io::Result<Self> {
        use fs4::fs_std::FileExt;
        if let Some(dir) = lock_file.parent() {
            ensure_private_dir(dir)?;
        }
        let file = open_private(lock_file, true)?;
        let deadline = std::time::Instant::now() + timeout;
        let mut pause = std::time::Duration::from_millis(1);
        loop {
            if FileExt::try_lock_exclusive(&file)? {
                return Ok(Self { file });
            }
            if std::time::Instant::now() >= deadline {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::WouldBlock,
                    format!("{} is held by another process", lock_file.display()),
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs4::fs_std::FileExt::unlock(&self.file);
    }
}
