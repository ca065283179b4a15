//! The terminal browser.

use crate::cli::Global;

/// Run the browser until the user quits; returns the process exit code.
pub fn run(_g: &Global) -> i32 {
    eprintln!("chimescope: the browser is not built yet");
    1
}
