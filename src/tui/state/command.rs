//! The command line (`:` in a pane): what was typed, Tab completion, ↑/↓ through the
//! commands run before (kept across restarts: `store::history::commands`), and parsing a line
//! into a [`Command`]. Running one is the App's ([`App::run_command`]); the names, their
//! arguments and the help's words come from the keymap's table ([`keymap::COMMANDS`]).

use super::app::{App, Focus};
use crate::model;
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::keymap::{self, CommandSpec};
use tui_input::{Input, InputRequest};

/// The most commands remembered.
pub const HISTORY_CAP: usize = 100;
/// The longest line the command line takes.
pub const MAX_LINE: usize = 4096;
/// `:watch` without a number.
pub const DEFAULT_WATCH_SECS: u64 = 5;
/// `:watch` refuses a shorter interval.
pub const MIN_WATCH_SECS: u64 = 2;

/// Regions offered after `:region`: the two with Chime SDK Identity first, then the other
/// commercial regions (any well-formed name is accepted).
pub const OTHER_REGIONS: &[&str] = &[
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "eu-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "sa-east-1",
];

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
    /// `:scan [ARN] [--rate N]`.
    Scan {
        arn: Option<String>,
        rate: Option<f64>,
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
        _ => name,
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
        "scan" => {
            let (mut arn, mut rate) = (None, None);
            let mut words = args.iter();
            while let Some(w) = words.next() {
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
            Command::Scan { arn, rate }
        }
        other => {
            exactly(0)?;
            match other {
                "readonly" => Command::Readonly,
                "write" => Command::Write,
                "doctor" => Command::Doctor,
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

/// The longest prefix all of `items` share.
fn common_prefix(items: &[String]) -> String {
    let Some(first) = items.first() else { return String::new() };
    let mut end = first.len();
    for it in &items[1..] {
        end = end.min(first.char_indices().zip(it.chars()).take_while(|((_, a), b)| a == b).count());
    }
    first.chars().take(end).collect()
}

/// The completions on show: the candidates for the word under completion, and which one Tab
/// put in (None: only their common prefix so far).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completions {
    pub items: Vec<String>,
    pub selected: Option<usize>,
    /// Where the completed word starts in the line (bytes).
    pub(super) start: usize,
}

/// The command line and what it keeps while closed.
#[derive(Clone, Debug, Default)]
pub struct CommandLine {
    /// The line being typed; None: closed.
    pub input: Option<Input>,
    /// Commands run before, oldest first (loaded from disk at start).
    pub history: Vec<String>,
    /// ↑/↓: the history entry shown (index into `history`), and the line typed before.
    pub(super) browsing: Option<(usize, String)>,
    pub completions: Option<Completions>,
    /// Profile names from the AWS config and credentials files (read at start).
    pub profiles: Vec<String>,
}

impl CommandLine {
    pub fn is_open(&self) -> bool {
        self.input.is_some()
    }

    pub fn value(&self) -> &str {
        self.input.as_ref().map(|i| i.value()).unwrap_or("")
    }

    fn set_line(&mut self, s: String) {
        self.input = Some(Input::new(s));
    }

    /// Remember a command run (not a repeat of the last one), capped.
    pub fn remember(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || self.history.last().is_some_and(|l| l == line) {
            return;
        }
        self.history.push(line.to_string());
        if self.history.len() > HISTORY_CAP {
            let over = self.history.len() - HISTORY_CAP;
            self.history.drain(..over);
        }
    }

    /// ↑ (older) or ↓ (newer) through the history; past the newest, the line typed before.
    pub(super) fn recall(&mut self, older: bool) {
        let n = self.history.len();
        if n == 0 {
            return;
        }
        let typed = self.value().to_string();
        let next = match (&self.browsing, older) {
            (None, true) => Some(n - 1),
            (None, false) => return,
            (Some((i, _)), true) => Some(i.saturating_sub(1)),
            (Some((i, _)), false) if i + 1 < n => Some(i + 1),
            (Some(_), false) => None,
        };
        match next {
            Some(i) => {
                let draft = self.browsing.take().map(|(_, d)| d).unwrap_or(typed);
                self.browsing = Some((i, draft));
                self.set_line(self.history[i].clone());
            }
            None => {
                let draft = self.browsing.take().map(|(_, d)| d).unwrap_or_default();
                self.set_line(draft);
            }
        }
        self.completions = None;
    }

    /// Tab (or Shift-Tab, `back`): complete the word before the end of the line from
    /// `candidates(word_index, words_before)`.
    pub(super) fn complete(&mut self, back: bool, candidates: impl Fn(usize, &[String]) -> Vec<String>) {
        let line = self.value().to_string();
        // Cycling through the candidates on show.
        if let Some(c) = &mut self.completions
            && !c.items.is_empty()
            && (c.selected.is_some() || line[c.start.min(line.len())..] == common_prefix(&c.items))
        {
            let n = c.items.len();
            let i = match (c.selected, back) {
                (None, false) => 0,
                (None, true) => n - 1,
                (Some(i), false) => (i + 1) % n,
                (Some(i), true) => (i + n - 1) % n,
            };
            c.selected = Some(i);
            let mut s = line[..c.start.min(line.len())].to_string();
            s.push_str(&c.items[i]);
            self.set_line(s);
            return;
        }
        let start = if line.ends_with(char::is_whitespace) {
            line.len()
        } else {
            line.rfind(char::is_whitespace).map(|i| i + 1).unwrap_or(0)
        };
        let before: Vec<String> = line[..start].split_whitespace().map(str::to_string).collect();
        let word = &line[start..];
        let lower = word.to_lowercase();
        let mut items: Vec<String> = candidates(before.len(), &before)
            .into_iter()
            .filter(|c| c.to_lowercase().starts_with(&lower))
            .collect();
        let mut seen = std::collections::HashSet::new();
        items.retain(|c| seen.insert(c.clone()));
        match items.len() {
            0 => self.completions = Some(Completions { items, selected: None, start }),
            1 => {
                let mut s = line[..start].to_string();
                s.push_str(&items[0]);
                s.push(' ');
                self.set_line(s);
                self.completions = None;
            }
            _ => {
                let prefix = common_prefix(&items);
                if prefix.len() > word.len() {
                    let mut s = line[..start].to_string();
                    s.push_str(&prefix);
                    self.set_line(s);
                }
                self.completions = Some(Completions { items, selected: None, start });
            }
        }
    }
}

impl App {
    /// The command line (`state::command`), open or not.
    pub fn command_line(&self) -> &CommandLine {
        &self.cmdline
    }

    /// `:` in a pane: open the command line.
    pub(super) fn open_command_line(&mut self) {
        self.cmdline.input = Some(Input::default());
        self.cmdline.browsing = None;
        self.cmdline.completions = None;
    }

    /// A key while the command line is open.
    pub(super) fn command_line_key(&mut self, c: Cmd) -> Vec<Effect> {
        match c {
            Cmd::Cancel => {
                self.cmdline.input = None;
                self.cmdline.completions = None;
                vec![]
            }
            Cmd::Up => {
                self.cmdline.recall(true);
                vec![]
            }
            Cmd::Down => {
                self.cmdline.recall(false);
                vec![]
            }
            Cmd::Complete | Cmd::CompleteBack => {
                let mut line = std::mem::take(&mut self.cmdline);
                let profiles = line.profiles.clone();
                line.complete(c == Cmd::CompleteBack, |i, before| {
                    self.command_candidates(i, before, &profiles)
                });
                self.cmdline = line;
                vec![]
            }
            Cmd::Submit => {
                let text = self.cmdline.value().to_string();
                self.cmdline.input = None;
                self.cmdline.completions = None;
                self.cmdline.browsing = None;
                if text.trim().is_empty() {
                    return vec![];
                }
                self.cmdline.remember(&text);
                let mut eff = vec![Effect::SaveCommands(self.cmdline.history.clone())];
                match parse(&text) {
                    Ok(cmd) => eff.extend(self.run_command(cmd)),
                    Err(e) => self.notify(Notice::error(e.to_string())),
                }
                eff
            }
            Cmd::Quit => self.command(Cmd::Quit),
            _ => vec![],
        }
    }

    /// Typing on the command line.
    pub(super) fn command_line_edit(&mut self, req: InputRequest) {
        let Some(input) = &mut self.cmdline.input else { return };
        if let InputRequest::InsertChar(c) = req
            && (c.is_control() || input.value().len() >= MAX_LINE)
        {
            return;
        }
        if input.handle(req).is_some_and(|s| s.value) {
            self.cmdline.completions = None;
            self.cmdline.browsing = None;
        }
    }

    /// Pasting on the command line: one line, whitespace trimmed.
    pub(super) fn command_line_paste(&mut self, text: &str) {
        let one: String = text.trim().chars().filter(|c| !c.is_control()).take(MAX_LINE).collect();
        for ch in one.chars() {
            self.command_line_edit(InputRequest::InsertChar(ch));
        }
    }

    /// What Tab offers for word `i` (0: the command's name), the words before it given.
    fn command_candidates(&self, i: usize, before: &[String], profiles: &[String]) -> Vec<String> {
        if i == 0 {
            return keymap::COMMANDS.iter().map(|c| c.name.to_string()).collect();
        }
        let name = before[0].trim_start_matches(':').to_lowercase();
        match (name.as_str(), i) {
            ("profile", 1) => profiles.to_vec(),
            ("region", 1) => {
                model::IDENTITY_REGIONS.iter().chain(OTHER_REGIONS).map(|r| r.to_string()).collect()
            }
            ("watch", 1) => ["5", "10", "30", "60"].map(String::from).to_vec(),
            ("users" | "scan", 1) => self.known_arns(true),
            ("endpoints" | "describe", 1) => self.known_arns(false),
            ("describe", 2) => self.known_endpoint_ids(&before[1]),
            ("endpoint-url", 1) => {
                let mut v = vec!["-".to_string()];
                if let crate::model::Target::Custom(u) | crate::model::Target::Demo(u) = &self.session.target
                {
                    v.push(u.clone());
                }
                v
            }
            _ => vec![],
        }
    }

    /// App-instance (or user) ARNs seen: in the lists, the inputs and the recent lookups.
    fn known_arns(&self, instances: bool) -> Vec<String> {
        use super::list::Rows;
        let mut out = Vec::new();
        for v in &self.browse.stack {
            match (&v.rows, instances) {
                (Rows::Instances(r), true) => out.extend(r.iter().filter_map(|x| x.app_instance_arn.clone())),
                (Rows::Users(r), false) => {
                    out.extend(r.iter().filter_map(|x| x.app_instance_user_arn.clone()))
                }
                _ => {}
            }
        }
        for e in self.recent.history().entries() {
            if instances {
                if let Ok(p) = model::parse_user_arn(&e.user_arn) {
                    out.push(p.app_instance_arn());
                }
            } else {
                out.push(e.user_arn.clone());
            }
        }
        if let Ok(p) = &self.arn_check {
            out.push(if instances { p.app_instance_arn() } else { self.arn.value().to_string() });
        }
        out
    }

    /// Endpoint IDs of `user_arn` seen: in the endpoints list and the recent lookups.
    fn known_endpoint_ids(&self, user_arn: &str) -> Vec<String> {
        use super::list::Rows;
        let mut out = Vec::new();
        for v in &self.browse.stack {
            if let Rows::Endpoints(r) = &v.rows
                && v.arn() == user_arn
            {
                out.extend(r.iter().filter_map(|x| x.endpoint_id.clone()));
            }
        }
        out.extend(
            self.recent
                .history()
                .entries()
                .iter()
                .filter(|e| e.user_arn == user_arn)
                .map(|e| e.endpoint_id.clone()),
        );
        out
    }

    /// Run a parsed command.
    pub(super) fn run_command(&mut self, cmd: Command) -> Vec<Effect> {
        match cmd {
            Command::Quit => self.command(Cmd::Quit),
            Command::Instances => self.browse_to("", ""),
            Command::Users(arn) | Command::Endpoints(arn) => self.browse_to(&arn, ""),
            Command::Describe(arn, id) => {
                let eff = self.browse_to(&arn, &id);
                if !self.browse.stack.is_empty() {
                    self.browse.detail_open = true;
                }
                eff
            }
            Command::Profile(name) => self.switch_profile(name),
            Command::Region(region) => self.switch_region(region),
            Command::EndpointUrl(url) => self.switch_endpoint_url(url),
            Command::Export(path) => self.export(&path),
            Command::Watch(secs) => self.start_watch(secs.unwrap_or(DEFAULT_WATCH_SECS)),
            Command::Readonly => {
                self.session.readonly = true;
                self.notify(Notice::ok("Read-only: writes are off (:write turns them on)"));
                vec![]
            }
            Command::Write => {
                self.session.readonly = false;
                self.notify(Notice::ok(
                    "Writes are on: m, e, D, n (each asks first; :readonly turns them off)",
                ));
                vec![]
            }
            Command::Scan { arn, rate } => self.scan_from_command(arn, rate),
            Command::Doctor => self.doctor_command(),
        }
    }

    /// Fill the inputs and press Enter, as typed (`:instances`, `:users`, `:endpoints`,
    /// `:describe`).
    fn browse_to(&mut self, arn: &str, id: &str) -> Vec<Effect> {
        self.set_inputs(arn, id);
        self.focus = Focus::Arn;
        self.submit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const U42: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42";

    #[test]
    fn commands_parse_with_their_arguments() {
        assert_eq!(parse(":profile prod"), Ok(Command::Profile("prod".into())));
        assert_eq!(parse("region eu-central-1"), Ok(Command::Region("eu-central-1".into())));
        assert_eq!(parse(":instances"), Ok(Command::Instances));
        assert_eq!(parse(":q"), Ok(Command::Quit));
        assert_eq!(parse(":quit"), Ok(Command::Quit));
        assert_eq!(parse(":watch"), Ok(Command::Watch(None)));
        assert_eq!(parse(":watch 10"), Ok(Command::Watch(Some(10))));
        assert_eq!(parse(&format!(":describe {U42} ep-1")), Ok(Command::Describe(U42.into(), "ep-1".into())));
        assert_eq!(parse(&format!(":endpoints {U42}")), Ok(Command::Endpoints(U42.into())));
        assert_eq!(parse(":export '/tmp/my list.csv'"), Ok(Command::Export("/tmp/my list.csv".into())));
        assert_eq!(
            parse(":endpoint-url http://127.0.0.1:4566"),
            Ok(Command::EndpointUrl(Some("http://127.0.0.1:4566".into())))
        );
        assert_eq!(parse(":endpoint-url -"), Ok(Command::EndpointUrl(None)));
        assert_eq!(parse(":scan"), Ok(Command::Scan { arn: None, rate: None }));
        let inst = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c";
        assert_eq!(
            parse(&format!(":scan {inst} --rate 25")),
            Ok(Command::Scan { arn: Some(inst.into()), rate: Some(25.0) })
        );
        assert_eq!(parse(":scan --rate=2.5"), Ok(Command::Scan { arn: None, rate: Some(2.5) }));
        let e = parse(":scan --rate 0").unwrap_err();
        assert!(e.to_string().contains("--rate: give a number of requests a second above 0"), "{e}");
        assert!(parse(":scan --rate").unwrap_err().to_string().contains("--rate needs a number"));
        assert!(parse(&format!(":scan {inst} {inst}")).unwrap_err().to_string().contains("Too many"));
        assert_eq!(parse(":readonly"), Ok(Command::Readonly));
        assert_eq!(parse(":doctor"), Ok(Command::Doctor));
    }

    #[test]
    fn wrong_arguments_say_the_usage() {
        let e = parse(":watch 1").unwrap_err();
        assert!(e.to_string().contains("At least 2 seconds: :watch [SECONDS]"), "{e}");
        let e = parse(":profile").unwrap_err();
        assert_eq!(e.to_string(), "Missing an argument: :profile NAME");
        let e = parse(":instances now").unwrap_err();
        assert!(e.to_string().starts_with("Too many arguments"), "{e}");
        let e = parse(":export list.txt").unwrap_err();
        assert!(e.to_string().contains(".csv or .json"), "{e}");
        let e = parse(":region EU").unwrap_err();
        assert!(e.to_string().contains("upper-case"), "{e}");
        let e = parse(":users arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42").unwrap_err();
        assert!(e.to_string().contains("Not an app-instance ARN"), "{e}");
        assert_eq!(parse("  "), Err(ParseError::Empty));
    }

    #[test]
    fn an_unknown_command_suggests_the_closest() {
        let e = parse(":regoin eu-central-1").unwrap_err();
        assert_eq!(e.to_string(), "Unknown command :regoin; did you mean :region?");
        assert_eq!(closest("inst"), Some("instances"));
        assert_eq!(closest("endpoint"), Some("endpoints"));
        assert_eq!(closest("descibe"), Some("describe"));
        let e = parse(":zzzzzzzz").unwrap_err();
        assert_eq!(e.to_string(), "Unknown command :zzzzzzzz (? lists the commands)");
    }

    #[test]
    fn every_command_in_the_table_parses() {
        for c in keymap::COMMANDS {
            let args = match c.args {
                "" | "[SECONDS]" | "[ARN] [--rate N]" => String::new(),
                "NAME" if c.name == "region" => "us-east-1".into(),
                "NAME" => "prod".into(),
                "URL" => "http://127.0.0.1:1".into(),
                "ARN" if c.name == "users" => "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c".into(),
                "ARN" => U42.into(),
                "ARN ID" => format!("{U42} ep-1"),
                "PATH" => "x.csv".into(),
                other => panic!("arguments {other} of :{} not covered", c.name),
            };
            assert!(parse(&format!(":{} {args}", c.name)).is_ok(), ":{} {args}", c.name);
        }
    }

    #[test]
    fn history_skips_repeats_and_is_capped() {
        let mut l = CommandLine::default();
        l.remember(":instances");
        l.remember(":instances");
        l.remember(":q");
        assert_eq!(l.history, vec![":instances", ":q"]);
        for i in 0..HISTORY_CAP + 5 {
            l.remember(&format!(":watch {}", i + 2));
        }
        assert_eq!(l.history.len(), HISTORY_CAP);
        assert_eq!(l.history.last().map(String::as_str), Some(&*format!(":watch {}", HISTORY_CAP + 6)));
    }

    #[test]
    fn common_prefixes() {
        assert_eq!(common_prefix(&["endpoints".into(), "endpoint-url".into()]), "endpoint");
        assert_eq!(common_prefix(&["a".into()]), "a");
        assert_eq!(common_prefix(&[]), "");
    }

    // -- the command line in the App, through update() --

    use crate::jobs::worker::{Answer, JobDone, JobRequest, Query};
    use crate::tui::action::{Action, ContextSwitch, Level};
    use crate::tui::keymap::{Keyed, Mode, action_for};
    use crate::tui::state::Session;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
        let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        match action_for(app, &ev) {
            Some(a) => app.update(a),
            None => vec![],
        }
    }

    fn typed(app: &mut App, s: &str) -> Vec<Effect> {
        let mut eff = vec![];
        for c in s.chars() {
            eff.extend(key(app, KeyCode::Char(c)));
        }
        eff
    }

    /// The first job the effects start.
    fn first_job(eff: &[Effect], what: &str) -> JobRequest {
        eff.iter()
            .find_map(|e| match e {
                Effect::Job(r) => Some(r.clone()),
                _ => None,
            })
            .expect(what)
    }

    fn in_pane() -> App {
        let mut a = App::new(Session::demo());
        let _ = a.update(Action::Cmd(Cmd::Cancel)); // leave the ARN input
        assert_eq!(a.key_mode(), Mode::Pane);
        a
    }

    #[test]
    fn scan_starts_the_scan_of_the_instance_named_or_says_what_it_needs() {
        const INST: &str =
            "arn:aws:chime:us-east-1:123456789012:app-instance/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9";
        let mut a = in_pane();
        typed(&mut a, ":scan not-an-arn");
        let no_scan = |eff: &[Effect]| !eff.iter().any(|e| matches!(e, Effect::StartScan { .. }));
        assert!(no_scan(&key(&mut a, KeyCode::Enter)));
        assert!(a.notice().unwrap().text.starts_with("Not an app-instance ARN"), "{:?}", a.notice());
        typed(&mut a, ":scan");
        assert!(no_scan(&key(&mut a, KeyCode::Enter)), "nothing to scan yet");
        assert!(a.notice().unwrap().text.starts_with(":scan scans an app instance"), "{:?}", a.notice());
        typed(&mut a, &format!(":scan {INST}"));
        let eff = key(&mut a, KeyCode::Enter);
        assert!(
            eff.iter().any(
                |e| matches!(e, Effect::StartScan { instance, rate, .. } if instance == INST && *rate == 10.0)
            ),
            "{eff:?}"
        );
        assert!(a.scan_covers(), "the Scan pane takes the body");
        // --rate N: this scan and the session's later ones go at N (the pane says so).
        let _ =
            a.update(Action::Scan(crate::scan::background::Event::Done(Ok(crate::scan::Outcome::Finished))));
        typed(&mut a, &format!(":scan {INST} --rate 25"));
        let eff = key(&mut a, KeyCode::Enter);
        assert!(eff.iter().any(|e| matches!(e, Effect::StartScan { rate, .. } if *rate == 25.0)), "{eff:?}");
        assert_eq!(a.scan_view().map(|p| p.rate), Some(25.0));
        let _ =
            a.update(Action::Scan(crate::scan::background::Event::Done(Ok(crate::scan::Outcome::Finished))));
        typed(&mut a, ":scan");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(eff.iter().any(|e| matches!(e, Effect::StartScan { rate, .. } if *rate == 25.0)), "{eff:?}");
    }

    fn real_session(profile: &str) -> Session {
        Session {
            profile: profile.into(),
            target: crate::model::Target::Aws,
            region_flag: None,
            default_region: "us-east-1".into(),
            readonly: false,
        }
    }

    #[test]
    fn colon_opens_the_command_line_in_a_pane_and_types_in_an_input() {
        let mut a = App::new(Session::demo());
        typed(&mut a, ":");
        assert!(!a.command_line().is_open(), "in the ARN input ':' is typed");
        assert_eq!(a.arn.value(), ":");
        let mut a = in_pane();
        typed(&mut a, ":");
        assert!(a.command_line().is_open());
        assert_eq!(a.key_mode(), Mode::Command);
        assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::Command);
        // q types on the command line; Esc closes it.
        typed(&mut a, "q");
        assert_eq!(a.command_line().value(), "q");
        assert!(!a.quitting());
        key(&mut a, KeyCode::Esc);
        assert!(!a.command_line().is_open());
    }

    #[test]
    fn tab_completes_names_then_arguments() {
        let mut a = in_pane();
        typed(&mut a, ":reg");
        key(&mut a, KeyCode::Tab);
        assert_eq!(a.command_line().value(), "region ");
        // The Identity regions first.
        key(&mut a, KeyCode::Tab);
        let c = a.command_line().completions.clone().unwrap();
        assert_eq!(&c.items[..2], &["us-east-1", "eu-central-1"]);
        typed(&mut a, "eu-c");
        key(&mut a, KeyCode::Tab);
        assert_eq!(a.command_line().value(), "region eu-central-1 ");
        // Several: the common part, then Tab cycles through them (Shift-Tab back).
        let mut a = in_pane();
        typed(&mut a, ":end");
        key(&mut a, KeyCode::Tab);
        assert_eq!(a.command_line().value(), "endpoint");
        assert_eq!(a.command_line().completions.as_ref().unwrap().items, vec!["endpoint-url", "endpoints"]);
        key(&mut a, KeyCode::Tab);
        assert_eq!(a.command_line().value(), "endpoint-url");
        key(&mut a, KeyCode::Tab);
        assert_eq!(a.command_line().value(), "endpoints");
        key(&mut a, KeyCode::BackTab);
        assert_eq!(a.command_line().value(), "endpoint-url");
        // Typing ends the cycle.
        typed(&mut a, "x");
        assert!(a.command_line().completions.is_none());
    }

    #[test]
    fn profiles_complete_from_the_aws_files() {
        let mut a = App::new(real_session("default"));
        let _ = a.update(Action::CommandSetup {
            profiles: vec!["default".into(), "prod".into(), "staging".into()],
            history: vec![],
            bell: false,
        });
        a.focus = Focus::Detail;
        typed(&mut a, ":profile p");
        key(&mut a, KeyCode::Tab);
        assert_eq!(a.command_line().value(), "profile prod ");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(
            eff.contains(&Effect::SwitchContext { generation: 1, to: ContextSwitch::Profile("prod".into()) }),
            "{eff:?}"
        );
        assert!(a.switching());
        // An unknown profile is refused before anything is built.
        typed(&mut a, ":profile nope");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(!eff.iter().any(|e| matches!(e, Effect::SwitchContext { .. })));
        let n = a.notice().unwrap();
        assert_eq!(n.level, Level::Error);
        assert!(n.text.contains("defined: default, prod, staging"), "{}", n.text);
    }

    #[test]
    fn history_goes_back_and_forth_and_is_saved() {
        let mut a = in_pane();
        let _ = a.update(Action::CommandSetup {
            profiles: vec![],
            history: vec![":instances".into()],
            bell: false,
        });
        typed(&mut a, ":watch 9");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(eff.contains(&Effect::SaveCommands(vec![":instances".into(), "watch 9".into()])), "{eff:?}");
        typed(&mut a, ":half");
        key(&mut a, KeyCode::Up);
        assert_eq!(a.command_line().value(), "watch 9");
        key(&mut a, KeyCode::Up);
        assert_eq!(a.command_line().value(), ":instances");
        key(&mut a, KeyCode::Up);
        assert_eq!(a.command_line().value(), ":instances", "the oldest stays");
        key(&mut a, KeyCode::Down);
        key(&mut a, KeyCode::Down);
        assert_eq!(a.command_line().value(), "half", "past the newest: what was typed");
    }

    #[test]
    fn an_unknown_command_says_so_and_suggests_the_closest() {
        let mut a = in_pane();
        typed(&mut a, ":instnces");
        key(&mut a, KeyCode::Enter);
        assert_eq!(a.notice().unwrap().text, "Unknown command :instnces; did you mean :instances?");
        typed(&mut a, ":q");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(eff.contains(&Effect::Quit));
    }

    #[test]
    fn instances_users_endpoints_and_describe_open_what_they_name() {
        let mut a = in_pane();
        typed(&mut a, ":instances");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(
            eff.iter()
                .any(|e| matches!(e, Effect::Job(JobRequest { query: Query::ListInstances { .. }, .. })))
        );
        assert_eq!(a.focus, Focus::List);
        typed(&mut a, &format!(":endpoints {U42}"));
        let eff = key(&mut a, KeyCode::Enter);
        assert!(eff.iter().any(|e| matches!(e, Effect::Job(JobRequest { query: Query::ListEndpoints { user_arn, .. }, .. }) if user_arn == U42)), "{eff:?}");
        a.focus = Focus::Detail;
        typed(&mut a, &format!(":describe {U42} ep-1"));
        let eff = key(&mut a, KeyCode::Enter);
        assert!(eff.iter().any(|e| matches!(e, Effect::Job(JobRequest { query: Query::Describe { endpoint_id, .. }, .. }) if endpoint_id == "ep-1")), "{eff:?}");
    }

    #[test]
    fn a_switch_drops_answers_of_the_old_context_and_reloads_the_list() {
        let mut a = in_pane();
        typed(&mut a, ":instances");
        let eff = key(&mut a, KeyCode::Enter);
        let old = first_job(&eff, "a job");
        typed(&mut a, ":region eu-central-1");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(
            eff.contains(&Effect::CancelJob(old.id)),
            "what runs in the old context is cancelled: {eff:?}"
        );
        let generation = eff
            .iter()
            .find_map(|e| match e {
                Effect::SwitchContext { generation, .. } => Some(*generation),
                _ => None,
            })
            .unwrap();
        let mut session = Session::demo();
        session.region_flag = Some("eu-central-1".into());
        let eff = a.update(Action::Switched { generation, result: Ok(session) });
        let new = first_job(&eff, "the list asked again");
        assert_eq!(a.region(), "eu-central-1");
        assert!(a.notice().unwrap().text.contains("eu-central-1"), "{:?}", a.notice());
        // The old page arrives late: dropped; the new one is shown.
        let page = |id, arn: &str| {
            Action::JobDone(JobDone {
                id,
                query: Query::ListInstances { next_token: None },
                result: Ok(Answer::Instances(crate::model::Page {
                    items: vec![crate::model::InstanceSummary {
                        app_instance_arn: Some(arn.into()),
                        name: Some(arn.into()),
                        metadata: None,
                    }],
                    next_token: None,
                })),
                elapsed: std::time::Duration::ZERO,
            })
        };
        let _ = a.update(page(old.id, "arn:aws:chime:us-east-1:123456789012:app-instance/old"));
        assert_eq!(a.browse.top().unwrap().rows.len(), 0, "the old context's page is dropped");
        let _ = a.update(page(new.id, "arn:aws:chime:eu-central-1:210987654321:app-instance/new"));
        assert_eq!(
            a.browse.top().unwrap().rows.key(0),
            Some("arn:aws:chime:eu-central-1:210987654321:app-instance/new")
        );
        assert_eq!(a.account(), Some("210987654321"), "the account, once an answer names it");
        // A switch superseded by another is ignored when it lands.
        assert!(a.update(Action::Switched { generation: 0, result: Err("late".into()) }).is_empty());
    }

    #[test]
    fn the_demo_switches_region_only() {
        let mut a = in_pane();
        typed(&mut a, ":profile prod");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(!eff.iter().any(|e| matches!(e, Effect::SwitchContext { .. })));
        assert!(a.notice().unwrap().text.contains(":region"), "{:?}", a.notice());
        typed(&mut a, ":endpoint-url http://127.0.0.1:9");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(!eff.iter().any(|e| matches!(e, Effect::SwitchContext { .. })));
    }

    #[test]
    fn endpoint_url_switches_and_a_failed_switch_changes_nothing() {
        let mut a = App::new(real_session("prod"));
        a.focus = Focus::Detail;
        typed(&mut a, ":endpoint-url http://127.0.0.1:4566");
        let eff = key(&mut a, KeyCode::Enter);
        let to = ContextSwitch::EndpointUrl(Some("http://127.0.0.1:4566".into()));
        assert!(eff.contains(&Effect::SwitchContext { generation: 1, to }), "{eff:?}");
        let _ =
            a.update(Action::Switched { generation: 1, result: Err("the profile cannot be read".into()) });
        assert!(!a.switching());
        assert_eq!(a.notice().unwrap().text, "Not switched: the profile cannot be read");
        assert_eq!(a.session().target, crate::model::Target::Aws, "still where it was");
        typed(&mut a, ":endpoint-url -");
        let eff = key(&mut a, KeyCode::Enter);
        let to = ContextSwitch::EndpointUrl(None);
        assert!(eff.contains(&Effect::SwitchContext { generation: 2, to }), "{eff:?}");
        typed(&mut a, ":endpoint-url ftp://x");
        let eff = key(&mut a, KeyCode::Enter);
        assert!(!eff.iter().any(|e| matches!(e, Effect::SwitchContext { .. })), "a bad URL is refused");
    }

    #[test]
    fn the_updated_order_is_offered_when_a_time_is_known() {
        use crate::model::{Endpoint, EndpointSummary, Page, Timestamp};
        let mut a = in_pane();
        let summary = |id: &str| EndpointSummary { endpoint_id: Some(id.into()), ..Default::default() };
        let page = |a: &mut App, eff: &[Effect]| {
            let req = first_job(eff, "a job");
            let items = vec![summary("ep-1"), summary("ep-2"), summary("ep-9")];
            let _ = a.update(Action::JobDone(JobDone {
                id: req.id,
                query: req.query,
                result: Ok(Answer::Endpoints(Page { items, next_token: None })),
                elapsed: std::time::Duration::ZERO,
            }));
        };
        typed(&mut a, &format!(":endpoints {U42}"));
        let eff = key(&mut a, KeyCode::Enter);
        page(&mut a, &eff);
        let cycle = |a: &mut App| -> Vec<Option<String>> {
            (0..5)
                .map(|_| {
                    typed(a, ">");
                    a.browse.top().unwrap().sort_label(false)
                })
                .collect()
        };
        assert_eq!(
            cycle(&mut a),
            vec![
                Some("by status".into()),
                Some("by type".into()),
                Some("by ID (names masked)".into()),
                None,
                Some("by status".into())
            ],
            "no time known: no updated order"
        );
        // ep-9 was looked up: its time is known.
        typed(&mut a, &format!(":describe {U42} ep-9"));
        let eff = key(&mut a, KeyCode::Enter);
        let req = first_job(&eff, "a job");
        let ep9 = Endpoint {
            app_instance_user_arn: Some(U42.into()),
            endpoint_id: Some("ep-9".into()),
            last_updated: Some(Timestamp::from_secs(1_760_000_000.0)),
            ..Default::default()
        };
        let _ = a.update(Action::JobDone(JobDone {
            id: req.id,
            query: req.query,
            result: Ok(Answer::Endpoint(Box::new(ep9))),
            elapsed: std::time::Duration::ZERO,
        }));
        typed(&mut a, &format!(":endpoints {U42}"));
        let eff = key(&mut a, KeyCode::Enter);
        page(&mut a, &eff);
        typed(&mut a, ">>>");
        let v = a.browse.top().unwrap();
        assert_eq!(v.sort_label(false).as_deref(), Some("by updated (where known)"));
        assert_eq!(v.rows.key(v.visible()[0]), Some("ep-9"), "the known time first");
    }

    #[test]
    fn readonly_and_write_turn_the_writes_off_and_on() {
        let mut a = in_pane();
        assert!(!a.readonly());
        typed(&mut a, ":readonly");
        key(&mut a, KeyCode::Enter);
        assert!(a.readonly());
        assert!(a.notice().unwrap().text.starts_with("Read-only"));
        typed(&mut a, ":write");
        key(&mut a, KeyCode::Enter);
        assert!(!a.readonly());
        // A context switch keeps it.
        typed(&mut a, ":readonly");
        key(&mut a, KeyCode::Enter);
        typed(&mut a, ":region eu-central-1");
        let eff = key(&mut a, KeyCode::Enter);
        let generation = eff
            .iter()
            .find_map(|e| match e {
                Effect::SwitchContext { generation, .. } => Some(*generation),
                _ => None,
            })
            .unwrap();
        let _ = a.update(Action::Switched { generation, result: Ok(Session::demo()) });
        assert!(a.readonly(), "still read-only after the switch");
    }

    #[test]
    fn no_write_is_sent_while_the_client_is_rebuilt() {
        let mut a = in_pane();
        typed(&mut a, ":region eu-central-1");
        key(&mut a, KeyCode::Enter);
        assert!(a.switching());
        let eff = a.update(Action::Cmd(Cmd::FlipMessages));
        assert!(eff.is_empty(), "{eff:?}");
        assert!(a.notice().unwrap().text.starts_with("Switching context"));
    }
}
