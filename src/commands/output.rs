//! Writing a command's output.

use std::io::Write;

/// Write `text` to stdout and flush; the exit code: 0, also when the reader went away (a
/// closed pipe, `| head`), or 255 with the reason on stderr when stdout cannot be written.
pub fn write_stdout(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("chimescope: cannot write output: {e}");
            255
        }
    }
}
