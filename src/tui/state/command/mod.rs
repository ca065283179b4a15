//! The command line (`:` in a pane): what was typed, Tab completion, ↑/↓ through the
//! commands run before (kept across restarts: `store::history::commands`), and parsing a line
//! into a [`Command`]. Running one is the App's ([`App::run_command`]); the names, their
//! arguments and the help's words come from the keymap's table ([`keymap::COMMANDS`]).
//!
//! - this file: the line, its history and completion, and the App's side (keys, edits, the
//!   candidates, running a command).
//! - `parse.rs`: a line into a [`Command`], or what is wrong with it ([`ParseError`]); the
//!   `:export` formats.
//! - `tests.rs`: the tests of both.

mod parse;
#[cfg(test)]
mod tests;

pub use parse::{Command, ExportFormat, ParseError, closest, export_format, parse};

use super::app::{App, Focus};
use crate::model;
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::keymap;
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
                // No profile to offer: say why rather than an empty box.
                let words: Vec<&str> = line.value().split_whitespace().collect();
                if profiles.is_empty()
                    && line.completions.as_ref().is_some_and(|c| c.items.is_empty())
                    && words
                        .first()
                        .is_some_and(|w| w.trim_start_matches(':').eq_ignore_ascii_case("profile"))
                {
                    self.notify(Notice::info(if matches!(self.session.target, crate::model::Target::Demo(_)) {
                        "No profiles in the demo: it runs on its own embedded service with throw-away credentials (start without --demo to use your AWS profiles)"
                    } else {
                        "No AWS profiles found in the AWS config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/)"
                    }));
                }
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
            return keymap::COMMANDS
                .iter()
                .map(|c| c.name)
                .chain(keymap::ALIASES.iter().map(|(a, _)| *a))
                .map(str::to_string)
                .collect();
        }
        let name = before[0].trim_start_matches(':').to_lowercase();
        let name = keymap::unalias(&name);
        match (name, i) {
            ("profile", 1) => profiles.to_vec(),
            ("region", 1) => {
                model::IDENTITY_REGIONS.iter().chain(OTHER_REGIONS).map(|r| r.to_string()).collect()
            }
            ("watch", 1) => ["5", "10", "30", "60"].map(String::from).to_vec(),
            ("users" | "scan", 1) => self.known_arns(true),
            ("endpoints" | "describe" | "memberships", 1) => self.known_arns(false),
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
        if let Ok(p) = self.arn_check() {
            out.push(if instances { p.app_instance_arn() } else { self.arn().value().to_string() });
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
                // A batch deregistration running sends no more.
                if let Some(eff) = self.stop_batch() {
                    self.notify(Notice::ok(
                        "Read-only: writes are off, and the batch stops (the endpoints in hand finish, the rest are not sent)",
                    ));
                    return eff;
                }
                self.notify(Notice::ok("Read-only: writes are off (:write turns them on)"));
                vec![]
            }
            Command::Write => {
                if let Some(source) = &self.session.readonly_locked {
                    // A safety setting from outside is not lifted from inside: whoever set it
                    // (a wrapper script, a shared config) meant every write refused.
                    self.notify(Notice::error(format!(
                        "Still read-only: {} turned it on, and :write only lifts :readonly; restart chimescope without it to write",
                        crate::model::escape_control(source)
                    )));
                    return vec![];
                }
                self.session.readonly = false;
                self.notify(Notice::ok(
                    "Writes are on: m, e, D, n (each asks first; :readonly turns them off)",
                ));
                vec![]
            }
            Command::Scan { arn, rate, diagnose } => self.scan_from_command(arn, rate, diagnose),
            Command::Doctor => self.doctor_command(),
            Command::Actions => self.open_actions(),
            Command::Memberships(arn) => self.open_memberships(arn),
        }
    }

    /// Fill the inputs and press Enter, as typed (`:instances`, `:users`, `:endpoints`,
    /// `:describe`).
    fn browse_to(&mut self, arn: &str, id: &str) -> Vec<Effect> {
        self.set_inputs(arn, id);
        self.set_focus(Focus::Arn);
        self.submit()
    }
}
