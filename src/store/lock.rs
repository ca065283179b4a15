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

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs4::fs_std::FileExt::unlock(&self.file);
    }
}
