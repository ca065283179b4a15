//! Writing a command's output.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set (before `main`, by the binary) when the process started with standard output closed.
/// The standard library then puts `/dev/null` there, so writes "succeed": without this flag
/// `describe >&-` would exit 0 having printed nothing anywhere.
pub static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

/// Write `text` to stdout and flush; the exit code: 0, also when the reader went away (a
/// closed pipe, `| head`), or 255 with the reason on stderr when stdout was closed from the
/// start (`>&-`) or cannot be written.
pub fn write_stdout(text: &str) -> i32 {
    if STDOUT_CLOSED_AT_START.load(Ordering::Relaxed) {
        crate::say!("chimescope: cannot write output: standard output is closed");
        return super::exit::EXIT_OTHER;
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => super::exit::EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => super::exit::EXIT_OK,
        Err(e) => {
            crate::say!("chimescope: cannot write output: {e}");
            super::exit::EXIT_OTHER
        }
    }
}
