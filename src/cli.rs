//! Command-line definitions (DESIGN.md, "Command line").
//!
//! The client options ([`ClientArgs`]) are accepted before or after a client subcommand
//! (`chimescope --demo describe …` and `chimescope describe … --demo`); each subcommand's
//! `--help` lists only what it takes: the browser's own options ([`BrowserArgs`]) only for the
//! browser, no client options for `history` or `emulator`. [`Cli::global`] merges the two
//! places into one [`Global`], refusing an option given to a mode that does not take it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "chimescope",
    version,
    about = "A terminal browser for Amazon Chime SDK Identity push endpoints",
    long_about = "A terminal browser for Amazon Chime SDK Identity push endpoints \
                  (AppInstanceUserEndpoints). Without a subcommand it opens the browser; \
                  with --demo it runs against an embedded local service, no AWS account needed.",
    override_usage = "chimescope [OPTIONS]                the browser\n       \
                      chimescope <COMMAND> [OPTIONS]      see chimescope <COMMAND> --help"
)]
pub struct Cli {
    #[command(flatten)]
    pub client: ClientArgs,
    #[command(flatten)]
    pub browser: BrowserArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where requests go and how long to wait: the browser and every client command take these.
#[derive(Debug, Clone, Default, PartialEq, Args)]
pub struct ClientArgs {
    /// Run against the embedded demo service (seeded from assets/demo/seed.json)
    #[arg(long)]
    pub demo: bool,
    /// AWS profile to use (default: AWS_PROFILE, then [aws] profile in config.toml, then "default")
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Region to send requests to (default: the region in the ARN, then the profile's)
    #[arg(long, value_name = "NAME")]
    pub region: Option<String>,
    /// Send requests to this URL instead of the AWS endpoint
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Give up on a request after this many seconds, retries included (default: 10, or [aws] timeout_secs)
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<f64>,
    /// Refuse every write (register, update, deregister, push-test); also CHIMESCOPE_READONLY=1 or [aws] readonly
    #[arg(long)]
    pub readonly: bool,
}

impl ClientArgs {
    /// `later` (given after the subcommand) over `self` (given before it).
    fn merged(&self, later: &ClientArgs) -> ClientArgs {
        ClientArgs {
            demo: self.demo || later.demo,
            profile: later.profile.clone().or_else(|| self.profile.clone()),
            region: later.region.clone().or_else(|| self.region.clone()),
            endpoint_url: later.endpoint_url.clone().or_else(|| self.endpoint_url.clone()),
            timeout: later.timeout.or(self.timeout),
            readonly: self.readonly || later.readonly,
        }
    }

    /// The first option set here, as typed (for "does not take" messages).
    fn first_given(&self) -> Option<&'static str> {
        if self.demo {
            Some("--demo")
        } else if self.profile.is_some() {
            Some("--profile")
        } else if self.region.is_some() {
            Some("--region")
        } else if self.endpoint_url.is_some() {
            Some("--endpoint-url")
        } else if self.timeout.is_some() {
            Some("--timeout")
        } else if self.readonly {
            Some("--readonly")
        } else {
            None
        }
    }
}

/// The browser's own options.
#[derive(Debug, Clone, Default, PartialEq, Args)]
pub struct BrowserArgs {
    /// Enable mouse support in the browser (off by default, so terminal selection works)
    #[arg(long)]
    pub mouse: bool,
    /// Clipboard backend: auto, system, osc52 or off (also CHIMESCOPE_CLIPBOARD)
    #[arg(long, value_name = "BACKEND", env = "CHIMESCOPE_CLIPBOARD")]
    pub clipboard: Option<String>,
    /// The browser's pace: Chime SDK Identity requests a second (default 10; also [aws] rate)
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// Skip the Pinpoint application and channel checks in the Diagnosis (also [doctor] pinpoint = false)
    #[arg(long)]
    pub no_pinpoint: bool,
}

/// Every option a mode may take, merged from before and after the subcommand. `clipboard`
/// holds `--clipboard` or `CHIMESCOPE_CLIPBOARD` (clap reads the variable).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Global {
    pub demo: bool,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub timeout: Option<f64>,
    /// `--readonly`.
    pub readonly: bool,
    pub mouse: bool,
    pub clipboard: Option<String>,
    /// The browser's `--rate`.
    pub rate: Option<f64>,
    /// The browser's `--no-pinpoint` (`doctor` and `scan` take theirs after the subcommand).
    pub no_pinpoint: bool,
}

/// `--output`: `json` (the AWS CLI's shapes), `text` (ours, for people), `table` (the AWS CLI's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    #[default]
    Json,
    Text,
    Table,
}

/// `scan --output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ScanOutput {
    #[default]
    Json,
    Csv,
    Text,
    Table,
}

/// What `push-test` sends, and to which endpoint.
#[derive(Debug, Clone, Default, PartialEq, Args)]
pub struct PushTestArgs {
    /// The ARN of the AppInstanceUser
    #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
    pub app_instance_user_arn: String,
    /// The endpoint's ID
    #[arg(long, value_name = "ID", allow_hyphen_values = true)]
    pub endpoint_id: String,
    /// The notification's title (default: "chimescope test push")
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub title: Option<String>,
    /// The notification's body
    #[arg(long, value_name = "B", allow_hyphen_values = true)]
    pub body: Option<String>,
    /// A silent (background) push: nothing is shown on the device
    #[arg(long)]
    pub silent: bool,
    /// To the VoipDeviceToken through the VoIP channel of the endpoint's environment (APNs)
    #[arg(long)]
    pub voip: bool,
    /// Print the request that would be sent (the token masked), and send nothing (the
    /// endpoint is read)
    #[arg(long)]
    pub dry_run: bool,
    /// Print the token (the result's address) and an UpdatedToken in clear (masked by default)
    #[arg(long)]
    pub show_secrets: bool,
}

/// How a command with JSON output shows it: the AWS CLI's `--query`, colour, the pager.
#[derive(Debug, Clone, Default, PartialEq, Args)]
pub struct PrintArgs {
    /// A JMESPath expression applied to the JSON output, as the AWS CLI's --query (a bad one
    /// is refused before any request)
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// No colour in the output (also NO_COLOR)
    #[arg(long)]
    pub no_color: bool,
    /// Never page the output (by default long output to a terminal goes through $AWS_PAGER, else
    /// $PAGER, else `less`, as the AWS CLI v2 pages it)
    #[arg(long)]
    pub no_pager: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe one endpoint (DescribeAppInstanceUserEndpoint)
    #[command(
        override_usage = "chimescope describe --app-instance-user-arn <ARN> --endpoint-id <ID> [OPTIONS]"
    )]
    Describe {
        /// The ARN of the AppInstanceUser
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        app_instance_user_arn: String,
        /// The endpoint's ID
        #[arg(long, value_name = "ID", allow_hyphen_values = true)]
        endpoint_id: String,
        /// json (the AWS CLI's shapes), text (for people; with --query, the AWS CLI's text) or table
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// List all endpoints of a user, every page (ListAppInstanceUserEndpoints)
    #[command(override_usage = "chimescope list --app-instance-user-arn <ARN> [OPTIONS]")]
    List {
        /// The ARN of the AppInstanceUser
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        app_instance_user_arn: String,
        /// json (the AWS CLI's shapes), text (for people; with --query, the AWS CLI's text) or table
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Why pushes to a user's endpoints will not arrive: findings from the records
    ///
    /// Reads the user's endpoints (DescribeAppInstanceUser, ListAppInstanceUserEndpoints,
    /// DescribeAppInstanceUserEndpoint) and, unless --no-pinpoint, the Pinpoint app each
    /// endpoint's ResourceArn names: GetApp and the Get*Channel of its type, each read once
    /// (it needs mobiletargeting:GetApp and mobiletargeting:Get*Channel). Nothing is written.
    #[command(
        override_usage = "chimescope doctor --app-instance-user-arn <ARN> [--endpoint-id <ID>] [OPTIONS]"
    )]
    Doctor {
        /// The ARN of the AppInstanceUser
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        app_instance_user_arn: String,
        /// One endpoint's ID (default: every endpoint of the user, and the user-level findings)
        #[arg(long, value_name = "ID", allow_hyphen_values = true)]
        endpoint_id: Option<String>,
        /// A channel: the user's membership and push preferences on it, and the path of one push
        /// (default: every membership of the user with its preferences)
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        channel_arn: Option<String>,
        /// A message of --channel-arn: its attributes, and whether the user's FilterRule lets it through
        #[arg(long, value_name = "ID", allow_hyphen_values = true, requires = "channel_arn")]
        message_id: Option<String>,
        /// json (the AWS CLI's shapes), text (for people; with --query, the AWS CLI's text) or table
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
        #[command(flatten)]
        print: PrintArgs,
        /// Skip the Pinpoint application and channel checks (also [doctor] pinpoint = false)
        #[arg(long)]
        no_pinpoint: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Register an endpoint for a user (RegisterAppInstanceUserEndpoint)
    ///
    /// The request comes from the options, or from --cli-input-json FILE (`-`: standard input):
    /// the AWS CLI's input shape, or a record as `describe`, `deregister --show-secrets` and the
    /// browser's `Y` print it (its EndpointId, state and times are left out). An option given
    /// too wins over the file's value.
    #[command(
        override_usage = "chimescope register --app-instance-user-arn <ARN> --type <TYPE> --resource-arn <ARN> --device-token <T> [OPTIONS]\n       \
                          chimescope register --cli-input-json <FILE|-> [OPTIONS]\n       \
                          chimescope register --generate-cli-skeleton"
    )]
    Register {
        /// The ARN of the AppInstanceUser
        #[arg(long, value_name = "ARN", allow_hyphen_values = true, required_unless_present_any = REGISTER_INPUTS)]
        app_instance_user_arn: Option<String>,
        /// APNS, APNS_SANDBOX or GCM
        #[arg(long = "type", value_name = "TYPE", allow_hyphen_values = true, required_unless_present_any = REGISTER_INPUTS)]
        endpoint_type: Option<String>,
        /// The Pinpoint app's ARN (arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID)
        #[arg(long, value_name = "ARN", allow_hyphen_values = true, required_unless_present_any = REGISTER_INPUTS)]
        resource_arn: Option<String>,
        /// The device token (APNs or FCM)
        #[arg(long, value_name = "T", allow_hyphen_values = true, required_unless_present_any = REGISTER_INPUTS)]
        device_token: Option<String>,
        /// The VoIP device token (APNs)
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        voip_device_token: Option<String>,
        /// The endpoint's name
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        name: Option<String>,
        /// ALL or NONE (the service's default: ALL)
        #[arg(long, value_name = "ALL|NONE", allow_hyphen_values = true)]
        allow_messages: Option<String>,
        /// Idempotency token, 2-64 of A-Z a-z 0-9 - _ (default: a new UUID, printed on stderr)
        #[arg(long, value_name = "T", allow_hyphen_values = true)]
        client_request_token: Option<String>,
        /// Send it even when the doctor's record checks find an error in it (a token of the wrong shape
        /// or for another Type, an 11th endpoint); without it such a registration is refused (exit 252)
        #[arg(long)]
        force: bool,
        /// Read the request from FILE (`-`: standard input), as JSON: the AWS CLI's input names, or
        /// a record as `describe --output json` prints it; masked values are refused
        #[arg(long, value_name = "FILE|-", allow_hyphen_values = true)]
        cli_input_json: Option<String>,
        /// Print the shape --cli-input-json reads, and send nothing
        #[arg(long, conflicts_with_all = ["cli_input_json", "dry_run"])]
        generate_cli_skeleton: bool,
        /// Print the request that would be sent (secrets masked), and send nothing
        #[arg(long)]
        dry_run: bool,
        /// json (the AWS CLI's shapes), text (for people; with --query, the AWS CLI's text) or table
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Change an endpoint's Name or AllowMessages (UpdateAppInstanceUserEndpoint)
    #[command(
        override_usage = "chimescope update --app-instance-user-arn <ARN> --endpoint-id <ID> [--name <N>] [--allow-messages ALL|NONE] [OPTIONS]"
    )]
    Update {
        /// The ARN of the AppInstanceUser
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        app_instance_user_arn: String,
        /// The endpoint's ID
        #[arg(long, value_name = "ID", allow_hyphen_values = true)]
        endpoint_id: String,
        /// The new name
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        name: Option<String>,
        /// ALL or NONE
        #[arg(long, value_name = "ALL|NONE", allow_hyphen_values = true)]
        allow_messages: Option<String>,
        /// Print the request that would be sent, and send nothing (no read either)
        #[arg(long)]
        dry_run: bool,
        /// json (the AWS CLI's shapes), text (for people; with --query, the AWS CLI's text) or table
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Deregister an endpoint, printing the record removed (DeregisterAppInstanceUserEndpoint)
    #[command(
        override_usage = "chimescope deregister --app-instance-user-arn <ARN> --endpoint-id <ID> [OPTIONS]"
    )]
    Deregister {
        /// The ARN of the AppInstanceUser
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        app_instance_user_arn: String,
        /// The endpoint's ID
        #[arg(long, value_name = "ID", allow_hyphen_values = true)]
        endpoint_id: String,
        /// Print Name and the device tokens of the removed record in clear (masked by default)
        #[arg(long)]
        show_secrets: bool,
        /// Print the request that would be sent, and send nothing (no read either)
        #[arg(long)]
        dry_run: bool,
        /// json (the AWS CLI's shapes), text (for people; with --query, the AWS CLI's text) or table
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Send one test push to an endpoint and say what the provider answered (Pinpoint SendMessages)
    ///
    /// Reads the endpoint (token, Type, ResourceArn) and sends one push to its token through the
    /// Pinpoint app its ResourceArn names, on the channel its Type needs. It notifies a real
    /// device: it is a write (refused by --readonly). Exit 0 when the provider accepted it, 1 when
    /// it did not.
    #[command(
        name = "push-test",
        override_usage = "chimescope push-test --app-instance-user-arn <ARN> --endpoint-id <ID> [--title <T>] [--body <B>] [--silent] [--voip] [--dry-run] [OPTIONS]"
    )]
    PushTest {
        #[command(flatten)]
        push: PushTestArgs,
        /// json (Pinpoint's MessageResponse shape), text (the answer in words) or table
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Scan every user's endpoints of an app instance: which cannot receive pushes, and why
    #[command(
        override_usage = "chimescope scan --app-instance-arn <ARN> [--rate N] [--concurrency N] [--max-throttles N] \
                                [--checkpoint FILE] [--output json|csv|text] [--out FILE] [--describe] [--diagnose [--no-pinpoint]] [OPTIONS]"
    )]
    Scan {
        /// The ARN of the AppInstance
        #[arg(long, value_name = "ARN", allow_hyphen_values = true)]
        app_instance_arn: String,
        /// At most this many requests a second (default 10, or [scan] rate; the account's budget is
        /// 50/s, shared with the app)
        #[arg(long, value_name = "N", value_parser = parse_rate)]
        rate: Option<f64>,
        /// At most this many requests in flight (default 8, or [scan] concurrency)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
        concurrency: Option<u16>,
        /// Stop after N requests in a row are throttled (default 30, or [scan] max_throttles): a
        /// service that refuses every request is not asked for ever; the checkpoint is kept
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
        max_throttles: Option<u64>,
        /// Save progress to FILE (and FILE.rows) as it goes; the same command again resumes
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        /// json (a summary and the endpoints that cannot receive), csv (every endpoint), text or table
        #[arg(long, value_enum, default_value_t = ScanOutput::Json)]
        output: ScanOutput,
        #[command(flatten)]
        print: PrintArgs,
        /// Write the report to FILE (atomically) instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Also describe each endpoint (ResourceArn, times)
        #[arg(long)]
        describe: bool,
        /// Run the doctor on each endpoint: its record findings and the Pinpoint app's channel
        /// checks, each app read once (implies --describe)
        #[arg(long)]
        diagnose: bool,
        /// With --diagnose: skip the Pinpoint application and channel checks (also [doctor] pinpoint = false)
        #[arg(long)]
        no_pinpoint: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Run the local, wire-compatible Chime SDK Identity service
    #[command(override_usage = "chimescope emulator [OPTIONS]")]
    Emulator {
        /// Address to listen on (loopback unless told otherwise)
        #[arg(long, default_value = "127.0.0.1:0")]
        bind: String,
        /// Seed file (JSON, see docs/emulator.md); default: the demo seed
        #[arg(long, value_name = "FILE")]
        seed: Option<PathBuf>,
        /// Delay every answer by this many milliseconds
        #[arg(long, value_name = "N", default_value_t = 0)]
        latency_ms: u64,
        /// OPERATION:KIND[:COUNT], repeatable (see docs/emulator.md, "Faults")
        #[arg(long, value_name = "SPEC")]
        fault: Vec<String>,
        /// ACCESS_KEY_ID:SECRET, repeatable: verify SigV4 signatures and dates for real
        /// (without it, any well-formed signature is accepted)
        #[arg(long, value_name = "KEY:SECRET")]
        credentials: Vec<String>,
        /// Allow --bind to a non-loopback address (reachable from other machines)
        #[arg(long)]
        allow_non_loopback: bool,
        /// Load from FILE when it exists (else from the seed), and write every acknowledged
        /// write to it atomically, in seed format (device tokens included)
        #[arg(long, value_name = "FILE")]
        state: Option<PathBuf>,
        /// Apply a set of quotas: `aws` (the documented rates)
        #[arg(long, value_name = "SET", value_parser = ["aws"])]
        quotas: Option<String>,
        /// OPERATION=RATE, repeatable: a token bucket of RATE requests/s (`*` = the account)
        #[arg(long, value_name = "OP=RATE")]
        quota: Vec<String>,
        /// ACCESS_KEY_ID=ACCOUNT_ID, repeatable: the account of a key (default 123456789012);
        /// with any, each account sees only its own resources
        #[arg(long, value_name = "KEY=ACCOUNT")]
        account: Vec<String>,
    },
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell)
    #[command(override_usage = "chimescope completions <SHELL>")]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `chimescope man | man -l -`)
    #[command(override_usage = "chimescope man")]
    Man,
    /// Print the recent lookups
    #[command(override_usage = "chimescope history [--output json|text|table]")]
    History {
        /// json (the AWS CLI's shapes), text (for people; with --query, the AWS CLI's text) or table
        #[arg(long, value_enum, default_value_t = Output::Json)]
        output: Output,
        #[command(flatten)]
        print: PrintArgs,
    },
}

impl Cli {
    /// The options of the chosen mode, merged from before and after the subcommand; an
    /// option the mode does not take is refused (a message for exit code 252).
    pub fn global(&self) -> Result<Global, String> {
        let (client, browser_ok, client_ok) = match &self.command {
            None => (self.client.clone(), true, true),
            Some(
                Command::Describe { client, .. }
                | Command::List { client, .. }
                | Command::Doctor { client, .. }
                | Command::Register { client, .. }
                | Command::Update { client, .. }
                | Command::Deregister { client, .. }
                | Command::PushTest { client, .. }
                | Command::Scan { client, .. },
            ) => (self.client.merged(client), false, true),
            Some(
                Command::Emulator { .. }
                | Command::History { .. }
                | Command::Completions { .. }
                | Command::Man,
            ) => (self.client.clone(), false, false),
        };
        let name = self.command.as_ref().map(Command::name).unwrap_or("the browser");
        if !client_ok && let Some(flag) = client.first_given() {
            return Err(format!("{flag} does not apply to `chimescope {name}`"));
        }
        if !browser_ok {
            if self.browser.rate.is_some() {
                return Err(format!(
                    "--rate before the subcommand is an option of the browser; `chimescope {name}` does not take it there"
                ));
            }
            if self.browser.no_pinpoint {
                let after = if matches!(self.command, Some(Command::Doctor { .. } | Command::Scan { .. })) {
                    format!("give it after `{name}`")
                } else {
                    format!("`chimescope {name}` does not take it")
                };
                return Err(format!(
                    "--no-pinpoint before the subcommand is an option of the browser; {after}"
                ));
            }
            if self.browser.mouse {
                return Err(format!(
                    "--mouse is an option of the browser; `chimescope {name}` does not take it"
                ));
            }
            // CHIMESCOPE_CLIPBOARD in the environment is fine; only the flag is refused.
            let from_env = std::env::var("CHIMESCOPE_CLIPBOARD").ok();
            if self.browser.clipboard.is_some() && self.browser.clipboard != from_env {
                return Err(format!(
                    "--clipboard is an option of the browser; `chimescope {name}` does not take it"
                ));
            }
        }
        Ok(Global {
            demo: client.demo,
            profile: client.profile,
            region: client.region,
            endpoint_url: client.endpoint_url,
            timeout: client.timeout,
            readonly: client.readonly,
            mouse: self.browser.mouse,
            rate: self.browser.rate,
            no_pinpoint: self.browser.no_pinpoint,
            clipboard: if browser_ok { self.browser.clipboard.clone() } else { None },
        })
    }
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Describe { .. } => "describe",
            Command::List { .. } => "list",
            Command::Doctor { .. } => "doctor",
            Command::Register { .. } => "register",
            Command::Update { .. } => "update",
            Command::Deregister { .. } => "deregister",
            Command::PushTest { .. } => "push-test",
            Command::Scan { .. } => "scan",
            Command::Emulator { .. } => "emulator",
            Command::History { .. } => "history",
            Command::Completions { .. } => "completions",
            Command::Man => "man",
        }
    }
}

/// What `register` may take its request from instead of the four options it needs.
const REGISTER_INPUTS: [&str; 2] = ["cli_input_json", "generate_cli_skeleton"];

/// The slowest pace a rate may ask for: one request every 100 seconds (slower never ends a
/// scan in any useful time).
pub const MIN_RATE: f64 = 0.01;
/// The fastest: far beyond the account's 50 requests a second.
pub const MAX_RATE: f64 = 10_000.0;

/// `--rate`: requests a second, from [`MIN_RATE`] to [`MAX_RATE`].
pub(crate) fn parse_rate(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(r) => check_rate(r),
        _ => Err("not a number of requests a second; expected e.g. 10 or 0.5".into()),
    }
}

/// A rate (`--rate`, `:scan --rate`, `[aws] rate`, `[scan] rate`) within its bounds, or what is
/// wrong with it: NaN, infinities, 0, negatives, below [`MIN_RATE`] or above [`MAX_RATE`].
pub(crate) fn check_rate(r: f64) -> Result<f64, String> {
    if r.is_finite() && (MIN_RATE..=MAX_RATE).contains(&r) {
        Ok(r)
    } else if r.is_finite() && r > MAX_RATE {
        Err(format!("{r} requests a second is over the limit of {MAX_RATE}"))
    } else if r.is_finite() && r > 0.0 {
        Err(format!(
            "{r} requests a second is below the least of {MIN_RATE} (one request every 100 s): the work would never end"
        ))
    } else {
        Err(format!(
            "give a number of requests a second above 0, at least {MIN_RATE} (e.g. 10 or 0.5), not {r}"
        ))
    }
}

/// `--timeout`: seconds, more than 0 and at most an hour.
fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t <= 3600.0 => Ok(t),
        Ok(0.0) => {
            Err("0 would give up before asking; give a number of seconds above 0 (e.g. 10 or 0.5)".into())
        }
        Ok(t) if t.is_finite() && t < 0.0 => Err("a timeout cannot be negative; give seconds above 0".into()),
        Ok(t) if t.is_finite() => Err(format!("{t} seconds is more than the limit of 3600 (an hour)")),
        _ => Err("not a number of seconds; expected e.g. 10 or 0.5 (at most 3600)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    fn global(args: &[&str]) -> Result<Global, String> {
        let mut v = vec!["chimescope"];
        v.extend_from_slice(args);
        Cli::try_parse_from(v).map_err(|e| e.to_string())?.global()
    }

    #[test]
    fn client_options_merge_from_both_sides_of_the_subcommand() {
        let g = global(&["--profile", "a", "list", "--app-instance-user-arn", "x", "--region", "r"]).unwrap();
        assert_eq!((g.profile.as_deref(), g.region.as_deref()), (Some("a"), Some("r")));
        let g =
            global(&["--timeout", "3", "list", "--app-instance-user-arn", "x", "--timeout", "4"]).unwrap();
        assert_eq!(g.timeout, Some(4.0), "the later one wins");
    }

    #[test]
    fn options_of_other_modes_are_refused() {
        assert!(
            global(&["--mouse", "list", "--app-instance-user-arn", "x"]).unwrap_err().contains("--mouse")
        );
        assert!(global(&["--demo", "emulator"]).unwrap_err().contains("--demo does not apply"));
        assert!(global(&["--region", "x", "history"]).is_err());
        assert!(global(&["history", "--demo"]).is_err(), "clap refuses it: history takes no --demo");
        assert!(global(&["--mouse", "--demo"]).is_ok());
    }

    #[test]
    fn no_pinpoint_is_the_browser_s_before_a_subcommand_and_doctor_s_or_scan_s_after_it() {
        assert!(global(&["--no-pinpoint"]).unwrap().no_pinpoint);
        assert!(global(&["--demo", "--no-pinpoint"]).unwrap().no_pinpoint);
        let e = global(&["--no-pinpoint", "doctor", "--app-instance-user-arn", "x"]).unwrap_err();
        assert!(e.contains("give it after `doctor`"), "{e}");
        let e = global(&["--no-pinpoint", "list", "--app-instance-user-arn", "x"]).unwrap_err();
        assert!(e.contains("`chimescope list` does not take it"), "{e}");
        let cli =
            Cli::try_parse_from(["chimescope", "doctor", "--app-instance-user-arn", "x", "--no-pinpoint"])
                .unwrap();
        assert!(matches!(cli.command, Some(Command::Doctor { no_pinpoint: true, .. })));
        assert!(!cli.global().unwrap().no_pinpoint, "the doctor's own, not the browser's");
    }

    #[test]
    fn timeout_messages_fit_the_value() {
        assert!(parse_timeout("0").unwrap_err().contains("above 0"));
        assert!(!parse_timeout("0").unwrap_err().contains("between 0"));
        assert!(parse_timeout("-1").unwrap_err().contains("negative"));
        assert!(parse_timeout("7200").unwrap_err().contains("3600"));
        assert!(parse_timeout("soon").unwrap_err().contains("not a number"));
        assert_eq!(parse_timeout("0.5"), Ok(0.5));
    }
}
