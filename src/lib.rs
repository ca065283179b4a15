//! chimescope: a terminal browser for Amazon Chime SDK Identity push endpoints.
//!
//! The binary is thin; everything lives here so that tests and benches reach it.

// No unwrap, expect or panic outside tests: a failure is a message, never a crash (the two
// debug-only test panics say so with an allow of their own).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod aws;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod doctor;
pub mod emulator;
pub mod jobs;
pub mod logging;
pub mod model;
pub mod scan;
pub mod settings;
pub mod store;
pub mod tui;
