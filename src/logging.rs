//! Logging with `tracing`: to the log file while the browser runs (never the terminal), to
//! stderr for the emulator. Filter with `CHIMESCOPE_LOG` (e.g. `debug`). Secrets are never
//! passed to a log macro.
//!
//! By default the file gets chimescope's own lines from INFO up and the libraries' from WARN
//! up: the AWS SDK logs the credentials it loaded (their access key ID) at INFO. A log line
//! that cannot be written (a full disk, `ulimit -f`) is dropped: tracing's own report of it
//! would go to stderr, which is the screen while the browser runs.

use tracing_subscriber::EnvFilter;

/// The file's default filter: chimescope at INFO, every other crate at WARN.
pub const FILE_DEFAULT: &str = "warn,chimescope=info";

fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env("CHIMESCOPE_LOG").unwrap_or_else(|_| EnvFilter::new(default))
}

/// The browser: append to `$XDG_STATE_HOME/chimescope/chimescope.log` (mode 0600, an existing
/// file tightened to it; a symbolic link or a special file there is not used). Returns the
/// path, or None when the file cannot be opened (then nothing is logged).
pub fn init_file() -> Option<std::path::PathBuf> {
    let path = crate::store::paths::log_file()?;
    let file = crate::store::files::open_append_private(&path).ok()?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(FILE_DEFAULT))
        .with_ansi(false)
        .log_internal_errors(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
    Some(path)
}

/// The one-shot commands log only when asked (`CHIMESCOPE_LOG` set), to the log file.
pub fn init_command() {
    if std::env::var_os("CHIMESCOPE_LOG").is_some() {
        init_file();
    }
}

/// The emulator: stderr, warnings by default.
pub fn init_stderr() {
    let _ = tracing_subscriber::fmt().with_env_filter(filter("warn")).with_writer(std::io::stderr).try_init();
}
