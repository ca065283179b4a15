//! chimescope: a terminal browser for Amazon Chime SDK Identity push endpoints.
//!
//! The binary is thin; everything lives here so that tests and benches reach it.

// No unwrap, expect or panic outside tests: a failure is a message, never a crash (the two
// debug-only test panics say so with an allow of their own).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
// `println!`/`eprintln!` panic when the stream is closed (`| head`, `2>&-`): write through
// [`say!`]/[`say_inline!`] (stderr) or `commands::output` (stdout), which never do.
#![deny(clippy::print_stderr, clippy::print_stdout)]

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
pub mod emulator;
pub mod exit;
pub mod jobs;
pub mod logging;
pub mod model;
pub mod scan;
pub mod settings;
pub mod store;
pub mod tui;
