//! Parsing a command line: its words (shell-quoted, `shlex`) into a [`Command`] with its
//! arguments checked, or a [`ParseError`] with the command's usage; the closest name to an
//! unknown one; the `:export` formats by extension.

use super::MIN_WATCH_SECS;
use crate::model;
use crate::tui::keymap::{self, CommandSpec};

/// A parsed command line.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Profile(String),
    Region(String),
    /// None: back to the default (no endpoint URL).
    EndpointUrl(Option<String>),
    Instances,
    Users(String),
    Endpoints(String),
    Describe(String, String),
    Export(String),
    Watch(Option<u64>),
    Readonly,
    Write,
    Doctor,
    /// `:actions`: the session's writes.
    Actions,
    /// `:memberships [ARN]` (`:ch`, `:channels`): a user's channel memberships (None: the user on
    /// show, listed or selected).
    Memberships(Option<String>),
    /// `:scan [ARN] [--rate N] [--diagnose]`.
    Scan {
        arn: Option<String>,
        rate: Option<f64>,
        /// With the doctor's checks (as `chimescope scan --diagnose`).
        diagnose: bool,
    },
    Quit,
}

/// What is wrong with a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    /// Not a command; the closest name, when one is close.
    Unknown {
        name: String,
        closest: Option<&'static str>,
    },
    /// A command with the wrong arguments: its usage.
    Usage {
        usage: String,
        problem: String,
    },
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Empty => f.write_str("No command typed (: then a command; ? lists them)"),
            ParseError::Unknown { name, closest: Some(c) } => {
                write!(f, "Unknown command :{}; did you mean :{c}?", model::escape_control(name))
            }
            ParseError::Unknown { name, closest: None } => {
                write!(f, "Unknown command :{} (? lists the commands)", model::escape_control(name))
            }
            ParseError::Usage { usage, problem } => write!(f, "{problem}: {usage}"),
        }
    }
}

fn spec(name: &str) -> Option<&'static CommandSpec> {
    keymap::COMMANDS.iter().find(|c| c.name == name)
}

fn usage_of(s: &CommandSpec) -> String {
    if s.args.is_empty() { format!(":{}", s.name) } else { format!(":{} {}", s.name, s.args) }
}

/// The closest command name to `name` (edit distance at most 3, or a prefix of exactly one).
pub fn closest(name: &str) -> Option<&'static str> {
    let name = name.to_lowercase();
    let starts: Vec<&'static str> = keymap::COMMANDS
        .iter()
        .map(|c| c.name)
        .filter(|n| n.starts_with(&name) && !name.is_empty())
        .collect();
    if starts.len() == 1 {
        return Some(starts[0]);
    }
    keymap::COMMANDS
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&name, c.name), c.name))
        .filter(|(d, n)| *d <= 3.min(n.len().max(name.len()) / 2 + 1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Split a line into words as a shell would (quotes keep spaces); an unbalanced quote
/// splits on whitespace.
fn words(line: &str) -> Vec<String> {
    shlex::split(line).unwrap_or_else(|| line.split_whitespace().map(str::to_string).collect())
}

/// Parse a command line (with or without its leading ':').
pub fn parse(line: &str) -> Result<Command, ParseError> {
    let line = line.trim();
    let line = line.strip_prefix(':').unwrap_or(line);
    let w = words(line);
    let Some((first, args)) = w.split_first() else { return Err(ParseError::Empty) };
    let name = first.to_lowercase();
    let name = match name.as_str() {
        "quit" | "q!" => "q".to_string(),
        "ro" => "readonly".to_string(),
        _ => keymap::unalias(&name).to_string(),
    };
    let Some(s) = spec(&name) else {
        return Err(ParseError::Unknown { closest: closest(&name), name: first.clone() });
    };
    let usage = |problem: &str| ParseError::Usage { usage: usage_of(s), problem: problem.to_string() };
    let exactly = |n: usize| -> Result<(), ParseError> {
        match args.len().cmp(&n) {
            std::cmp::Ordering::Equal => Ok(()),
            std::cmp::Ordering::Less => Err(usage("Missing an argument")),
            std::cmp::Ordering::Greater => Err(usage("Too many arguments")),
        }
    };
    let arg = |i: usize| args[i].clone();
    Ok(match s.name {
        "profile" => {
            exactly(1)?;
            Command::Profile(arg(0))
        }
        "region" => {
            exactly(1)?;
            crate::aws::check_region(&args[0]).map_err(|e| usage(&e))?;
            Command::Region(arg(0))
        }
        "endpoint-url" => {
            exactly(1)?;
            if matches!(args[0].as_str(), "-" | "default" | "none") {
                Command::EndpointUrl(None)
            } else {
                crate::settings::check_url(&args[0]).map_err(|e| usage(&e))?;
                Command::EndpointUrl(Some(arg(0)))
            }
        }
        "instances" => {
            exactly(0)?;
            Command::Instances
        }
        "users" => {
            exactly(1)?;
            model::parse_instance_arn(&args[0])
                .map_err(|e| usage(&format!("Not an app-instance ARN ({e})")))?;
            Command::Users(arg(0))
        }
        "endpoints" => {
            exactly(1)?;
            model::parse_user_arn(&args[0]).map_err(|e| usage(&format!("Not a user ARN ({e})")))?;
            Command::Endpoints(arg(0))
        }
        "describe" => {
            exactly(2)?;
            model::parse_user_arn(&args[0]).map_err(|e| usage(&format!("Not a user ARN ({e})")))?;
            model::validate_endpoint_id(&args[1]).map_err(|e| usage(&format!("Not an endpoint ID ({e})")))?;
            Command::Describe(arg(0), arg(1))
        }
        "export" => {
            exactly(1)?;
            if export_format(&args[0]).is_none() {
                return Err(usage(
                    "The file must end in .csv or .json (or .sh: the Scan pane's deregistration commands)",
                ));
            }
            Command::Export(arg(0))
        }
        "watch" => {
            if args.len() > 1 {
                return Err(usage("Too many arguments"));
            }
            match args.first() {
                None => Command::Watch(None),
                Some(a) => {
                    let n: u64 = a.parse().map_err(|_| usage("SECONDS must be a whole number"))?;
                    if n < MIN_WATCH_SECS {
                        return Err(usage(&format!("At least {MIN_WATCH_SECS} seconds")));
                    }
                    Command::Watch(Some(n))
                }
            }
        }
        "memberships" => {
            if args.len() > 1 {
                return Err(usage("Too many arguments"));
            }
            if let Some(a) = args.first() {
                model::parse_user_arn(a).map_err(|e| usage(&format!("Not a user ARN ({e})")))?;
            }
            Command::Memberships(args.first().cloned())
        }
        "scan" => {
            let (mut arn, mut rate, mut diagnose) = (None, None, false);
            let mut words = args.iter();
            while let Some(w) = words.next() {
                if w == "--diagnose" {
                    diagnose = true;
                    continue;
                }
                let value = match w.strip_prefix("--rate") {
                    Some("") => Some(words.next().ok_or_else(|| usage("--rate needs a number"))?.as_str()),
                    Some(v) if v.starts_with('=') => Some(&v[1..]),
                    _ => None,
                };
                match value {
                    Some(v) => {
                        rate = Some(crate::cli::parse_rate(v).map_err(|e| usage(&format!("--rate: {e}")))?)
                    }
                    None if arn.is_none() => {
                        model::parse_instance_arn(w)
                            .map_err(|e| usage(&format!("Not an app-instance ARN ({e})")))?;
                        arn = Some(w.clone());
                    }
                    None => return Err(usage("Too many arguments")),
                }
            }
            Command::Scan { arn, rate, diagnose }
        }
        other => {
            exactly(0)?;
            match other {
                "readonly" => Command::Readonly,
                "write" => Command::Write,
                "doctor" => Command::Doctor,
                "actions" => Command::Actions,
                _ => Command::Quit,
            }
        }
    })
}

/// How `:export` writes a file, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
    /// The Scan pane's deregistration commands, one a line.
    Script,
}

pub fn export_format(path: &str) -> Option<ExportFormat> {
    let lower = path.to_lowercase();
    if lower.ends_with(".csv") {
        Some(ExportFormat::Csv)
    } else if lower.ends_with(".json") {
        Some(ExportFormat::Json)
    } else if lower.ends_with(".sh") {
        Some(ExportFormat::Script)
    } else {
        None
    }
}
