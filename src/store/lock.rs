//! The file lock that writers of a file take on its sidecar `<file>.lock` (fs4's `flock`).

use super::files::{ensure_private_dir, open_private};
use std::path::{Path, PathBuf};

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

/// Why [`FileLock::try_owned`] did not get the lock.
#[derive(Debug)]
pub enum NotLocked {
    /// Another process holds it (its process ID, when it wrote one).
    Held(Option<u32>),
    /// The lock file cannot be made or opened.
    Io(std::io::Error),
}

impl FileLock {
    /// Lock `lock_file` now or not at all (no wait), and write this process's ID in it so that
    /// another process refused can name the holder. The lock file is created (0600) in an
    /// existing directory only.
    pub fn try_owned(lock_file: &Path) -> Result<Self, NotLocked> {
        use fs4::fs_std::FileExt;
        use std::io::Write;
        let mut file = open_private(lock_file, true).map_err(NotLocked::Io)?;
        if !FileExt::try_lock_exclusive(&file).map_err(NotLocked::Io)? {
            let holder = super::files::read_bounded(lock_file, 64, false)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.trim().parse().ok());
            return Err(NotLocked::Held(holder));
        }
        // Appending to an emptied file: the ID alone.
        file.set_len(0).and_then(|()| writeln!(file, "{}", std::process::id())).map_err(NotLocked::Io)?;
        Ok(Self { file })
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs4::fs_std::FileExt::unlock(&self.file);
    }
}
