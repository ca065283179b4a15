//! What the subcommands do and print.
//!
//! - `describe.rs`, `list.rs`, `doctor.rs`, `scan.rs`, `history.rs`: the commands.
//! - `write.rs`: `register`, `update`, `deregister` (the endpoint writes; read-only refusal).
//! - `client.rs`: what `describe` and `list` share (bad arguments, region warnings, failures).
//! - `text.rs`: the `--output text` forms.
//! - `output.rs`: writing to stdout.
//! - `exit.rs`: every exit code.
//! - `aws_cli.rs`: the equivalent AWS CLI command line.

pub mod aws_cli;
pub mod client;
pub mod describe;
pub mod doctor;
pub mod history;
pub mod list;
pub mod output;
pub mod scan;
pub mod text;
pub mod write;

/// The exit codes live at the top (`crate::exit`), where the settings and the client can take
/// them without reaching into the commands; kept here under their old path.
pub use crate::exit;
pub use describe::describe;
pub use doctor::doctor;
pub use list::list;
pub use scan::scan;
