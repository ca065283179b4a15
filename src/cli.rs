//! Command-line definitions (DESIGN.md, "Command line").

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "chimescope",
    version,
    about = "A terminal browser for Amazon Chime SDK Identity push endpoints",
    long_about = "A terminal browser for Amazon Chime SDK Identity push endpoints \
                  (AppInstanceUserEndpoints). Without a subcommand it opens the browser; \
                  with --demo it runs against an embedded local service, no AWS account needed."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Accepted before or after the subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct Global {
    /// Run against the embedded demo service (seeded from assets/demo/seed.json)
    #[arg(long, global = true)]
    pub demo: bool,
    /// AWS profile to use (default: AWS_PROFILE, then "default")
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Region to send requests to (default: the region in the ARN, then the profile's)
    #[arg(long, global = true, value_name = "NAME")]
    pub region: Option<String>,
    /// Send requests to this URL instead of the AWS endpoint
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Give up on a request after this many seconds, retries included
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<f64>,
    /// Enable mouse support in the browser (off by default, so terminal selection works)
    #[arg(long, global = true)]
    pub mouse: bool,
    /// Clipboard backend: auto, system, osc52 or off (also CHIMESCOPE_CLIPBOARD)
    #[arg(long, global = true, value_name = "BACKEND", env = "CHIMESCOPE_CLIPBOARD")]
    pub clipboard: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    #[default]
    Json,
    Text,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe one endpoint (DescribeAppInstanceUserEndpoint)
    Describe {
        /// The ARN of the AppInstanceUser
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        app_instance_user_arn: String,
        /// The endpoint's ID
        #[arg(long, value_name = "ID", allow_hyphen_values = true)]
        endpoint_id: String,
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
    },
    /// List all endpoints of a user, every page (ListAppInstanceUserEndpoints)
    List {
        /// The ARN of the AppInstanceUser
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        app_instance_user_arn: String,
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
    },
    /// Run the local, wire-compatible Chime SDK Identity service
    Emulator {
        /// Address to listen on (loopback unless told otherwise)
        #[arg(long, default_value = "127.0.0.1:0")]
        bind: String,
        /// Seed file (JSON, see DESIGN.md); default: the demo seed
        #[arg(long, value_name = "FILE")]
        seed: Option<PathBuf>,
        /// Delay every answer by this many milliseconds
        #[arg(long, value_name = "N", default_value_t = 0)]
        latency_ms: u64,
        /// OPERATION:KIND[:COUNT], repeatable (see DESIGN.md "Faults")
        #[arg(long, value_name = "SPEC")]
        fault: Vec<String>,
        /// ACCESS_KEY_ID:SECRET, repeatable: verify SigV4 signatures and dates for real
        /// (without it, any well-formed signature is accepted)
        #[arg(long, value_name = "KEY:SECRET")]
        credentials: Vec<String>,
        /// Allow --bind to a non-loopback address (reachable from other machines)
        #[arg(long)]
        allow_non_loopback: bool,
    },
    /// Print the recent lookups
    History {
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
    },
}

/// `--timeout`: seconds, more than 0 and at most an hour.
fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t <= 3600.0 => Ok(t),
        _ => Err(format!("{s:?} is not a number of seconds between 0 and 3600")),
    }
}
