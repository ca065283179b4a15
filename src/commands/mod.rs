//! What the subcommands do and print: `chimescope history`, the equivalent AWS CLI command
//! line, and writing to stdout.

pub mod aws_cli;
pub mod history;
pub mod output;
