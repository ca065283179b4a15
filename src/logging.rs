//! Logging with `tracing`: to the log file while the browser runs (never the terminal), to
//! stderr for the emulator. Filter with `CHIMESCOPE_LOG` (e.g. `debug`). Secrets are never
//! passed to a log macro.

use tracing_subscriber::EnvFilter;

fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env("CHIMESCOPE_LOG").unwrap_or_else(|_| EnvFilter::new(default))
}

/// The browser: append to `$XDG_STATE_HOME/chimescope/chimescope.log`. Returns the path, or
/// None when the file cannot be opened (then nothing is logged).
pub fn init_file() -> Option<std::path::PathBuf> {
    let path = crate::paths::log_file()?;
    let file = crate::paths::open_append_private(&path).ok()?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter("info"))
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
    Some(path)
}

/// The one-shot commands log only when asked (`CHIMESCOPE_LOG` set), to the log file.
pub fn init_oneshot() {
    if std::env::var_os("CHIMESCOPE_LOG").is_some() {
        init_file();
    }
}

/// The emulator: stderr, warnings by default.
pub fn init_stderr() {
    let _ = tracing_subscriber::fmt().with_env_filter(filter("warn")).with_writer(std::io::stderr).try_init();
}
