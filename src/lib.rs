//! chimescope: a terminal browser for Amazon Chime SDK Identity push endpoints.
//!
//! The binary is thin; everything lives here so that tests and benches reach it.

pub mod aws;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod emulator;
pub mod jobs;
pub mod logging;
pub mod model;
pub mod settings;
pub mod store;
pub mod tui;
