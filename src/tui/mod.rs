//! The terminal browser.
//!
//! - `mod.rs`: [`run`], the entry point: a terminal, a runtime, the session
//! - `terminal`: raw mode and the alternate screen, taken and handed back
//! - `event_loop`: the session: connect, the loop, every effect carried out, the history flushed at exit
//! - `action`: the protocol (commands, actions, effects, notices)
//! - `keymap`: keys → actions, one table per mode; the hints and the help from the same tables
//! - `state/`: the state and `App::update`, the only place it changes; never imports `ui`
//! - `ui/`: drawing, one file per pane, reading the state only
//! - `text`: text measurement shared by state and drawing
//! - `theme`: named styles
//! - `saver`, `copier`: the history's writes and the clipboard, off the UI thread
//! - `scanner`: the background scan of an app instance (the Scan pane's)

pub mod action;
pub mod copier;
pub mod event_loop;
mod history_io;
pub mod keymap;
pub mod saver;
pub mod scanner;
pub mod state;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod ui;

pub use terminal::restore;

use crate::settings::Settings;
use std::io::IsTerminal;
use tokio::signal::unix::{SignalKind, signal};

/// A config file that cannot be used (the AWS CLI's code for a configuration problem).
pub const EXIT_CONFIG: i32 = crate::exit::EXIT_CONFIG;
/// Not run in a terminal, or bad flags.
pub const EXIT_USAGE: i32 = crate::exit::EXIT_BAD_ARGS;
/// The terminal failed under us.
pub const EXIT_TERMINAL: i32 = crate::exit::EXIT_TERMINAL;
/// Quit, but some lookups could not be saved to the history (they are beside it, see
/// `history_io::flush_history`): the AWS CLI's "anything else".
pub const EXIT_UNSAVED: i32 = crate::exit::EXIT_OTHER;
/// Quit while a write was sent and not answered: it may have been applied (said on stderr).
pub const EXIT_WRITE_UNSETTLED: i32 = crate::exit::EXIT_OTHER;

/// Run the browser until the user quits; returns the process exit code. The settings
/// (flags, environment, config file) are resolved by the caller: see [`crate::settings`].
pub fn run(s: &Settings) -> i32 {
    // `[keys]` of config.toml: refused as any config error is (exit 253), terminal or not.
    if let Err(e) = keymap::KeyMap::with_user(&s.keys) {
        let e = crate::config::ConfigError {
            path: s.config_path.clone(),
            line: e.line,
            column: None,
            message: e.message,
        };
        crate::say!("chimescope: {e}");
        return EXIT_CONFIG;
    }
    if !std::io::stdout().is_terminal() {
        crate::say!(
            "chimescope: the browser needs a terminal; for scripts use `chimescope describe` or `chimescope list`"
        );
        return EXIT_USAGE;
    }
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            crate::say!("chimescope: cannot start the async runtime: {e}");
            return crate::exit::EXIT_OTHER;
        }
    };
    // Before any file is written (the log included): a write over `ulimit -f` fails with
    // EFBIG instead of killing the browser with the terminal in raw mode. A handler, once
    // installed, stays for the life of the process.
    {
        let _rt = rt.enter();
        if let Err(e) = signal(SignalKind::from_raw(rustix::process::Signal::XFSZ.as_raw())) {
            crate::say!("chimescope: cannot handle SIGXFSZ: {e}");
        }
    }
    let log = crate::logging::init_file();
    tracing::info!(log = ?log, demo = s.demo, mouse = s.mouse, "browser starting");
    rt.block_on(event_loop::session(s))
}
