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
/// synced, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    ensure_private_dir(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = open_private(&tmp, false)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
