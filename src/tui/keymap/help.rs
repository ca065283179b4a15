//! The help overlay's text, from the key tables: one section per table ([`SECTIONS`]), each
//! key with what its command does ([`Cmd::describe`]), the inputs' editing keys, and the
//! command line's commands ([`COMMANDS`], which `state::command` also completes and parses).

use super::{Ctx, KeyMap, is_write};
use crate::tui::action::Cmd;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// The help's sections, one per table, in order (a table with no rows is left out).
pub const SECTIONS: &[(&str, Ctx)] = &[
    ("Anywhere", Ctx::Any),
    ("In the inputs", Ctx::Input),
    ("In the panes", Ctx::Pane),
    ("On the command line (:)", Ctx::Command),
    ("In a write's confirmation", Ctx::Confirm),
    ("In a write's form", Ctx::Form),
    ("In the raw view (v)", Ctx::Raw),
    ("In the last actions (a, :actions)", Ctx::Actions),
    ("In a user's memberships (M, :memberships)", Ctx::Members),
];

/// A `:` command, as the help lists it and the command line completes and parses it
/// (`state::command`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    /// Its arguments, as the help writes them ("NAME", "[SECONDS]").
    pub args: &'static str,
    pub what: &'static str,
}

const fn c(name: &'static str, args: &'static str, what: &'static str) -> CommandSpec {
    CommandSpec { name, args, what }
}

/// The command line's commands (`:` in a pane), in the help's order.
pub const COMMANDS: &[CommandSpec] = &[
    c("profile", "NAME", "switch to an AWS profile (from the AWS config and credentials files)"),
    c("region", "NAME", "switch region (the Identity regions first)"),
    c("endpoint-url", "URL", "send requests to this endpoint URL (- for the default)"),
    c("instances", "", "list the app instances of the region"),
    c("users", "ARN", "list the users of an app instance"),
    c("endpoints", "ARN", "list the endpoints of a user"),
    c("describe", "ARN ID", "look an endpoint up"),
    c(
        "export",
        "PATH",
        "write the list or the Scan pane on show to PATH (.csv, .json; .sh: its deregistration commands)",
    ),
    c("watch", "[SECONDS]", "describe the endpoint on show again every SECONDS (default 5, at least 2)"),
    c("readonly", "", "refuse writes"),
    c("write", "", "allow writes"),
    c("doctor", "", "diagnose the endpoint on show"),
    c(
        "scan",
        "[ARN] [--rate N] [--diagnose]",
        "scan an app instance's endpoints (at N requests/s; default 10; --diagnose: with the doctor's checks, as d in the Scan pane)",
    ),
    c("actions", "", "the writes of this session: time, target, outcome; c copies one as an AWS CLI command"),
    c(
        "memberships",
        "[ARN]",
        "the channel memberships of a user (the one on show, listed or selected, or ARN), each with its push preference",
    ),
    c("q", "", "quit (also :quit)"),
];

/// Short names of commands, k9s style: (alias, the command it stands for).
pub const ALIASES: &[(&str, &str)] = &[
    ("ep", "endpoints"),
    ("u", "users"),
    ("i", "instances"),
    ("ch", "memberships"),
    ("channels", "memberships"),
];

/// The command `name` stands for (an alias's command, else `name`).
pub fn unalias(name: &str) -> &str {
    ALIASES.iter().find(|(a, _)| *a == name).map_or(name, |(_, c)| c)
}

/// Editing keys of the inputs (handled by the text-input crate), for the help.
pub const EDITING_HELP: &[(&str, &str)] = &[
    ("←/→  Ctrl-B/Ctrl-F", "move by character"),
    ("Ctrl-←/→  Alt-B/Alt-F", "move by word"),
    ("Home/End  Ctrl-A/Ctrl-E", "start / end of the input"),
    ("Backspace  Delete", "delete a character"),
    ("Ctrl-W  Alt-Backspace", "delete the word before the cursor"),
    ("Ctrl-U  Ctrl-K", "delete the whole input / to the end"),
    ("Ctrl-Y", "paste back what was deleted"),
    ("paste", "bracketed paste, whitespace trimmed"),
];

impl Cmd {
    /// What the key does, for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Cmd::Quit => "quit",
            Cmd::FocusNext => "next pane",
            Cmd::FocusPrev => "previous pane",
            Cmd::FocusArn => "edit the user ARN",
            Cmd::Submit => "look up / list / open the selected row",
            Cmd::Cancel => "cancel the lookup / close / leave the input",
            Cmd::Retry => "look up again (what the inputs say) / refresh a recent lookup / retry a page",
            Cmd::Up => "move up",
            Cmd::Down => "move down",
            Cmd::PageUp => "page up",
            Cmd::PageDown => "page down",
            Cmd::Top => "first field or row",
            Cmd::Bottom => "last field or row (a list: loads to its end)",
            Cmd::ToggleSecrets => "show / mask Name and device tokens",
            Cmd::CopyField => "copy the selected field (its real value), row key or recent endpoint ID",
            Cmd::CopyJson => "copy the endpoint as JSON (Name and tokens as on screen: masked until s)",
            Cmd::CopyCommand => "copy the equivalent AWS CLI command (of the selected row or entry)",
            Cmd::Help => "this help",
            Cmd::Filter => {
                "filter the list (status:INACTIVE msgs:NONE type:GCM reason:… \"exact\") or the recent lookups"
            }
            Cmd::Forget => "forget the selected recent lookup (u brings it back)",
            Cmd::Unforget => "bring back the recent lookup forgotten last (this session)",
            Cmd::Back => "up a level (lists; Esc too)",
            Cmd::CommandLine => "the command line (commands below)",
            Cmd::Complete => "complete the word (again: the next candidate)",
            Cmd::CompleteBack => "the previous candidate",
            Cmd::Watch => "watch the endpoint: describe it every 5 s, changes marked (Esc stops)",
            Cmd::SortNext => "sort the list: by status, type, updated (where known), name, as loaded",
            Cmd::SortPrev => "sort the list the other way round the cycle",
            Cmd::FlipMessages => "flip AllowMessages (ALL ↔ NONE) of the endpoint, after a confirmation",
            Cmd::EditEndpoint => "edit the endpoint's Name and AllowMessages",
            Cmd::Deregister => {
                "deregister the endpoint (type its ID); in the Scan pane the marked rows, after a dry run"
            }
            Cmd::Register => "register an endpoint for the listed user",
            Cmd::Reregister => {
                "register the endpoint again (a new token or Resource ARN), then deregister it once that succeeded"
            }
            Cmd::Confirm => "go on with the write",
            Cmd::Scan => "scan the app instance (selected, or in the ARN input): who cannot receive, and why",
            Cmd::Mark => "mark the row of the Scan pane (D deregisters the marked rows, after a dry run)",
            Cmd::MarkAll => "mark every row the Scan pane shows (again: clear the marks)",
            Cmd::RawView => {
                "the record under the cursor as JSON (endpoint, row, scan row, recent entry), masked as Y copies it"
            }
            Cmd::NextMatch => "the next match of the search",
            Cmd::PrevMatch => "the previous match of the search",
            Cmd::Actions => "the last actions: this session's writes, with their time, target and outcome",
            Cmd::TestPush => {
                "send one test push to the endpoint (Pinpoint SendMessages), after a confirmation: the provider's answer in words"
            }
            Cmd::Silent => "a test push's confirmation: a silent push instead of an alert (and back)",
            Cmd::Memberships => {
                "the user's channel memberships, each with its push preference (ALL, NONE: muted, FILTERED and its rule)"
            }
        }
    }
}

impl Cmd {
    /// What the key does in the table `ctx`: a confirmation and a form give some keys other
    /// words than the panes do (Enter does not look anything up there, Esc cancels the write).
    pub fn describe_in(self, ctx: Ctx) -> &'static str {
        match (ctx, self) {
            (Ctx::Confirm, Cmd::Submit) => {
                "on a typed confirmation: the focused button (Apply needs the typed ID); else: y's reminder"
            }
            (Ctx::Confirm, Cmd::Cancel) => "cancel: nothing is sent (from a form: back to the form)",
            (Ctx::Confirm, Cmd::FocusPrev | Cmd::FocusNext) => {
                "on a typed confirmation: between the input, Cancel and Apply"
            }
            (Ctx::Confirm, Cmd::Up | Cmd::Down) => {
                "a batch's dry run: scroll it; a typed confirmation: between the input and the buttons"
            }
            (Ctx::Confirm, Cmd::PageUp | Cmd::PageDown) => "a batch's dry run: scroll it by a page",
            (Ctx::Confirm, Cmd::Top) => "a batch's dry run: its first endpoint",
            (Ctx::Confirm, Cmd::Bottom) => "a batch's dry run: its last endpoint",
            (Ctx::Confirm, Cmd::CopyCommand) => {
                "copy the AWS CLI command(s) of the write (typed into the input while it has the keyboard)"
            }
            (Ctx::Confirm, Cmd::Deregister) => {
                "after a test push the provider refused the token: deregister the endpoint (type its ID)"
            }
            (Ctx::Confirm, Cmd::Reregister) => {
                "after a test push answered with a new token: register it, then deregister the endpoint"
            }
            (Ctx::Form, Cmd::Submit) => "review the write: its confirmation shows what is sent",
            (Ctx::Form, Cmd::Cancel) => "cancel the form: nothing is sent",
            (Ctx::Form, Cmd::Up) => "the previous field",
            (Ctx::Form, Cmd::Down) => "the next field (Tab too)",
            (Ctx::Raw | Ctx::Actions, Cmd::Cancel) => "close",
            (Ctx::Raw, Cmd::Up | Cmd::Down) => "scroll a line",
            (Ctx::Raw, Cmd::PageUp | Cmd::PageDown) => "scroll a page",
            (Ctx::Raw, Cmd::Top) => "the top",
            (Ctx::Raw, Cmd::Bottom) => "the end",
            (Ctx::Raw, Cmd::Filter) => "search (Enter keeps it, Esc clears it)",
            (Ctx::Raw, Cmd::CopyJson) => "copy the JSON as shown (masked until s)",
            (Ctx::Actions, Cmd::Up | Cmd::Down | Cmd::Top | Cmd::Bottom) => "choose an action",
            (Ctx::Actions, Cmd::CopyCommand) => "copy its AWS CLI command (secrets masked until s)",
            (Ctx::Members, Cmd::Cancel) => "close",
            (Ctx::Members, Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom) => {
                "choose a membership"
            }
            (Ctx::Members, Cmd::Submit) => {
                "the membership's push preference in full (its FilterRule, what it lets through)"
            }
            (Ctx::Members, Cmd::RawView) => "the membership as JSON (its channel summary and preferences)",
            (Ctx::Members, Cmd::CopyField) => "copy the channel's ARN",
            (Ctx::Members, Cmd::Retry) => "read the memberships again",
            _ => self.describe(),
        }
    }
}

/// Help sections: (title, rows of (keys, what)). Built from the default [`KeyMap`] by [`SECTIONS`].
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    help_sections_for(false)
}

/// The help sections; in read-only mode without the write keys and the writes' dialogs.
pub fn help_sections_for(readonly: bool) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    help_sections_with(KeyMap::defaults(), readonly)
}

/// The help sections of the key tables in use (`map`: a user's `[keys]` over the defaults).
pub fn help_sections_with(map: &KeyMap, readonly: bool) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let mut out = Vec::new();
    for &(title, ctx) in SECTIONS {
        if readonly && matches!(ctx, Ctx::Confirm | Ctx::Form) {
            continue;
        }
        let mut rows: Vec<(String, &'static str)> = Vec::new();
        let mut cmds: Vec<Cmd> = Vec::new();
        for bnd in map.bindings().iter().filter(|b| b.ctx == ctx && !(readonly && is_write(b.cmd))) {
            if !cmds.contains(&bnd.cmd) {
                cmds.push(bnd.cmd);
            }
        }
        for cmd in cmds {
            let keys = map.keys_of(ctx, cmd);
            rows.push((keys.join(" "), cmd.describe_in(ctx)));
        }
        if !rows.is_empty() {
            out.push((title, rows));
        }
    }
    out.push(("Editing an input", EDITING_HELP.iter().map(|(k, w)| (k.to_string(), *w)).collect()));
    out.push(("Commands (: in a pane)", command_help()));
    out
}

/// The commands as the help lists them: (":region NAME", what).
pub fn command_help() -> Vec<(String, &'static str)> {
    COMMANDS
        .iter()
        .map(|c| {
            let mut usage =
                if c.args.is_empty() { format!(":{}", c.name) } else { format!(":{} {}", c.name, c.args) };
            for (alias, _) in ALIASES.iter().filter(|(_, n)| *n == c.name) {
                usage.push_str(&format!(" (:{alias})"));
            }
            (usage, c.what)
        })
        .collect()
}

const KEY_COLUMN: usize = 26;

/// The help as drawn, `width` columns wide: the sections of [`help_sections`], each key
/// with what it does.
pub fn help_lines(t: &Theme, width: usize) -> Vec<Line<'static>> {
    help_lines_for(t, width, false)
}

/// [`help_lines`], without the write keys in read-only mode.
pub fn help_lines_for(t: &Theme, width: usize, readonly: bool) -> Vec<Line<'static>> {
    help_lines_with(t, width, readonly, KeyMap::defaults())
}

/// [`help_lines_for`] with the key tables in use.
pub fn help_lines_with(t: &Theme, width: usize, readonly: bool, map: &KeyMap) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, (title, rows)) in help_sections_with(map, readonly).into_iter().enumerate() {
        if i > 0 {
            out.push(Line::default());
        }
        out.push(Line::from(Span::styled(title.to_string(), t.group)));
        for (keys, what) in rows {
            if width > KEY_COLUMN + 10 {
                let mut wrapped = wrap(&[(what.to_string(), t.value)], width - KEY_COLUMN);
                for (j, l) in wrapped.iter_mut().enumerate() {
                    let k = if j == 0 {
                        format!(" {keys:<w$}", w = KEY_COLUMN - 1)
                    } else {
                        " ".repeat(KEY_COLUMN)
                    };
                    l.spans.insert(0, Span::styled(k, t.key));
                }
                out.extend(wrapped);
            } else {
                out.push(Line::from(Span::styled(format!(" {keys}"), t.key)));
                out.extend(wrap(&[(format!("   {what}"), t.value)], width));
            }
        }
    }
    out.push(Line::default());
    out.extend(wrap(
        &[(
            "Colour is never the only sign: states are spelled out. NO_COLOR turns colour off.".to_string(),
            t.dim,
        )],
        width,
    ));
    out
}
