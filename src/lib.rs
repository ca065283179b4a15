//! chimescope: a terminal browser for Amazon Chime SDK Identity push endpoints.
//!
//! The binary is thin; everything lives here so that tests and benches reach it.

// The lints (no unwrap, expect or panic outside tests, no unsafe code, no `println!`) are in
// the `[lints]` table of Cargo.toml, for every target; the two debug-only test panics say so
// with an allow of their own. `println!`/`eprintln!` panic when the stream is closed: write
// through [`say!`]/[`say_inline!`] (stderr) or `commands::output` (stdout), which never do.

/// `eprintln!` that never panics: when stderr is closed or full (`2>&1 | head -1` after the
/// reader left) the line is dropped, as the AWS CLI drops it, and the command goes on to its
/// own exit code.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see [`say!`]).
#[macro_export]
macro_rules! say_inline {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut err = std::io::stderr();
        let _ = write!(err, $($arg)*).and_then(|()| err.flush());
    }};
}

pub mod aws;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod defaults;
pub mod doctor;
// The emulator is a server: its own start-up lines (owned there).
#[allow(clippy::print_stderr, clippy::print_stdout)]
// The emulator raises its descriptor limit with getrlimit/setrlimit through libc, each call
// with its SAFETY note; the only unsafe code of the library.
#[allow(unsafe_code)]
pub mod emulator;
pub mod exit;
pub mod jobs;
pub mod logging;
pub mod model;
pub mod scan;
pub mod settings;
pub mod store;
pub mod tui;
