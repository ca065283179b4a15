//! What the subcommands do and print.
//!
//! - `describe.rs`, `list.rs`, `doctor.rs`, `scan.rs`, `history.rs`: the commands.
//! - `write.rs`: `register`, `update`, `deregister` (the endpoint writes; read-only refusal).
//! - `push_test.rs`: `push-test` (one Pinpoint SendMessages to an endpoint's token, a write).
//! - `client.rs`: what `describe` and `list` share (bad arguments, region warnings, failures).
//! - `text.rs`: the `--output text` forms.
//! - `format.rs`: `--query`, `--output json|text|table` and the AWS CLI's text; `table.rs`: the
//!   AWS CLI's table; `pager.rs`: long output through `$PAGER`.
//! - `output.rs`: writing to stdout.
//! - `crate::exit`: every exit code (kept here as `commands::exit` too).
//! - `aws_cli.rs`: the equivalent AWS CLI command line.
//! - `cli_input.rs`: `register --cli-input-json` and `--generate-cli-skeleton`, the request of a
//!   `--dry-run`.
//! - `docs.rs`: `completions` and `man`.

pub mod aws_cli;
pub mod cli_input;
pub mod client;
pub mod describe;
pub mod docs;
pub mod doctor;
pub mod format;
pub mod history;
pub mod list;
pub mod output;
pub mod pager;
pub mod push_test;
pub mod scan;
pub mod table;
pub mod text;
pub mod write;

/// The exit codes live at the top (`crate::exit`), where the settings and the client can take
/// them without reaching into the commands; kept here under their old path.
pub use crate::exit;
pub use describe::describe;
pub use doctor::doctor;
pub use list::list;
pub use scan::scan;
