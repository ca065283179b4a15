#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
#![allow(unsafe_code)] // libc calls, each with its SAFETY note
//! The built binary in a pseudo-terminal, end to end: one test binary (one link) for every
//! test that drives the browser or the process through a real terminal, each theme a module.

#[path = "../common/awscli.rs"]
mod awscli;
#[path = "../common/emu.rs"]
mod emu;
#[path = "../common/pty.rs"]
mod pty;
#[path = "../common/xvfb.rs"]
mod xvfb;

mod browse;
mod clipboard;
mod command;
mod pinpoint;
mod push_test;
mod recent;
mod scan;
mod signals;
mod terminal_lost;
mod tui;
mod writes;
