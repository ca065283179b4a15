//! What the subcommands do and print.
//!
//! - `describe.rs`, `list.rs`, `doctor.rs`, `scan.rs`, `history.rs`: the commands.
//! - `write.rs`: `register`, `update`, `deregister` (the endpoint writes; read-only refusal).
//! - `client.rs`: what `describe` and `list` share (bad arguments, region warnings, failures).
//! - `text.rs`: the `--output text` forms.
//! - `format.rs`: `--query`, `--output json|text|table` and the AWS CLI's text; `table.rs`: the
//!   AWS CLI's table; `pager.rs`: long output through `$PAGER`.
//! - `output.rs`: writing to stdout.
//! - `exit.rs`: every exit code.
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
pub mod exit;
pub mod format;
pub mod history;
pub mod list;
pub mod output;
pub mod pager;
pub mod scan;
pub mod table;
pub mod text;
pub mod write;

pub use describe::describe;
pub use doctor::doctor;
pub use list::list;
pub use scan::scan;
