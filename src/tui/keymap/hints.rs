//! The status bar's hints: where the keyboard is ([`HintFocus`], the state's to say) and,
//! for each, the keys shown with what they do and the commands they stand for, so that a
//! test can check each hint against the key tables.

use super::Mode;
use crate::tui::action::Cmd;

/// Where the keyboard is, as the status bar's hints see it (the state decides: see
/// `state::App::hint_focus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::VariantArray)]
pub enum HintFocus {
    Help,
    /// A lookup runs and Esc cancels it.
    Cancel,
    /// A filter (the list's or the Recent pane's) is typed.
    Filter,
    /// The completion dropdown is open under the endpoint-ID input.
    Completion,
    ListFiltered,
    List,
    /// The detail pane, opened from a list.
    DetailOfList,
    /// A write's one-key confirmation.
    Confirm,
    /// A test push's confirmation (s: silent).
    PushConfirm,
    /// A test push's answer, its fix offered.
    PushAnswer,
    /// A typed confirmation, the ID being typed.
    TypedConfirm,
    /// A typed confirmation, on its buttons.
    ConfirmButtons,
    /// A write's form.
    Form,
    /// A write was sent and its answer is awaited.
    Sending,
    Input,
    Recent,
    Detail,
    /// The list of app instances (S scans the selected one).
    InstanceList,
    /// The Scan pane, finished or stopped.
    Scan,
    /// The Scan pane while its scan runs (nothing to deregister yet: its rows are not all in).
    ScanRunning,
    /// The list of an app instance's users (the writes are an endpoint's: none here).
    UserList,
    /// The offer to resume a stopped scan.
    ScanResume,
    /// `:export`'s file exists: replace it?
    ExportReplace,
    /// A batch deregistration's dry run.
    DryRun,
    /// The command line has the keyboard.
    Command,
    /// The detail pane while its endpoint is watched.
    Watching,
    /// The raw view of a record.
    Raw,
    /// The raw view's search being typed.
    RawSearch,
    /// The last actions.
    Actions,
    /// A user's channel memberships.
    Members,
    /// A test push's answer with nothing to fix: close, copy.
    PushAnswered,
    /// A test push's answer with a dead token: D deregisters.
    PushAnswerDeregister,
}

/// A status-bar hint: the keys as shown, what they do, and the commands they stand for.
pub type Hint = (&'static str, &'static str, &'static [Cmd]);

impl HintFocus {
    /// The table the hint's keys are looked up in (after [`Ctx::Any`](super::Ctx::Any)).
    pub fn mode(self) -> Mode {
        match self {
            HintFocus::Help => Mode::Help,
            HintFocus::Filter | HintFocus::Completion | HintFocus::Input | HintFocus::RawSearch => {
                Mode::Input
            }
            HintFocus::Raw => Mode::Raw,
            HintFocus::Actions => Mode::Actions,
            HintFocus::Members => Mode::Members,
            HintFocus::Command => Mode::Command,
            HintFocus::Cancel => Mode::Pane,
            HintFocus::Confirm
            | HintFocus::PushConfirm
            | HintFocus::PushAnswer
            | HintFocus::PushAnswered
            | HintFocus::PushAnswerDeregister
            | HintFocus::ConfirmButtons
            | HintFocus::Sending
            | HintFocus::DryRun
            | HintFocus::ExportReplace => Mode::Confirm,
            HintFocus::TypedConfirm | HintFocus::Form => Mode::Form,
            _ => Mode::Pane,
        }
    }

    /// The hints, most important last but two: the bar drops from the third last when short
    /// ("? help" and "q quit" are kept longest).
    pub fn hints(self) -> &'static [Hint] {
        use Cmd::*;
        match self {
            // Esc last: the hints kept longest when the bar is short.
            HintFocus::Help => &[
                ("j/k", "scroll", &[Down, Up]),
                ("PgUp/PgDn", "page", &[PageUp, PageDown]),
                ("g/G", "top/end", &[Top, Bottom]),
                ("Esc", "close", &[Help]),
            ],
            HintFocus::Cancel => &[("Esc", "cancel", &[Cancel]), ("^C", "quit", &[Quit])],
            // Dropped from the third last when short: j/k first, the search last.
            HintFocus::Raw => &[
                ("/", "search", &[Filter]),
                ("n/N", "next/prev", &[NextMatch, PrevMatch]),
                ("y", "copy", &[CopyJson]),
                ("j/k", "scroll", &[Down, Up]),
                ("s", "show/mask", &[ToggleSecrets]),
                ("Esc", "close", &[Cancel]),
            ],
            HintFocus::RawSearch => {
                &[("Enter", "keep search", &[Submit]), ("Esc", "clear", &[Cancel]), ("^C", "quit", &[Quit])]
            }
            HintFocus::Actions => &[
                ("j/k", "move", &[Down, Up]),
                ("c", "copy aws command", &[CopyCommand]),
                ("s", "show/mask", &[ToggleSecrets]),
                ("Esc", "close", &[Cancel]),
            ],
            HintFocus::Confirm => &[
                ("c", "copy aws command", &[CopyCommand]),
                ("y", "go on", &[Confirm]),
                ("Esc", "cancel", &[Cancel]),
            ],
            HintFocus::PushConfirm => &[
                ("c", "copy aws command", &[CopyCommand]),
                ("s", "silent/alert", &[Silent]),
                ("y", "send", &[Confirm]),
                ("Esc", "cancel", &[Cancel]),
            ],
            // The fix next to Esc: the last two are kept longest.
            HintFocus::PushAnswer => &[
                ("c", "copy aws command", &[CopyCommand]),
                ("D", "deregister", &[Deregister]),
                ("R", "register the new token", &[Reregister]),
                ("Esc", "close", &[Cancel]),
            ],
            HintFocus::PushAnswerDeregister => &[
                ("c", "copy aws command", &[CopyCommand]),
                ("D", "deregister (the fix)", &[Deregister]),
                ("Esc", "close", &[Cancel]),
            ],
            HintFocus::PushAnswered => {
                &[("c", "copy aws command", &[CopyCommand]), ("Esc", "close", &[Cancel])]
            }
            HintFocus::Members => &[
                ("Enter", "preference", &[Submit]),
                ("v", "JSON", &[RawView]),
                ("y", "copy ARN", &[CopyField]),
                ("r", "reload", &[Retry]),
                ("j/k", "move", &[Down, Up]),
                ("Esc", "close", &[Cancel]),
            ],
            HintFocus::TypedConfirm => &[
                ("Enter", "to the buttons", &[Submit]),
                ("Tab", "next", &[FocusNext]),
                ("Esc", "cancel", &[Cancel]),
            ],
            HintFocus::ConfirmButtons => &[
                ("c", "copy aws command", &[CopyCommand]),
                ("Tab", "choose", &[FocusNext]),
                ("Enter", "press", &[Submit]),
                ("Esc", "cancel", &[Cancel]),
            ],
            HintFocus::Form => &[
                ("Tab/↑/↓", "field", &[FocusNext, Up, Down]),
                ("Enter", "review", &[Submit]),
                ("Esc", "cancel", &[Cancel]),
            ],
            HintFocus::Sending => &[("Esc", "stop waiting", &[Cancel]), ("^C", "quit", &[Quit])],
            HintFocus::Filter => &[
                ("Enter", "keep filter", &[Submit]),
                ("Esc", "clear", &[Cancel]),
                ("↑/↓", "move", &[Up, Down]),
                ("^C", "quit", &[Quit]),
            ],
            HintFocus::Completion => &[
                ("Tab", "complete", &[FocusNext]),
                ("↓/↑", "choose", &[Down, Up]),
                ("Enter", "look up", &[Submit]),
                ("Esc", "close", &[Cancel]),
                ("^C", "quit", &[Quit]),
            ],
            HintFocus::ListFiltered => &[
                ("Enter", "open", &[Submit]),
                ("Esc", "clear filter", &[Cancel]),
                ("/", "filter", &[Filter]),
                ("j/k", "move", &[Down, Up]),
                ("r", "reload", &[Retry]),
                ("s", "show/mask", &[ToggleSecrets]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::InstanceList => &[
                ("Enter", "open", &[Submit]),
                ("S", "scan", &[Scan]),
                ("Esc", "back", &[Cancel]),
                ("/", "filter", &[Filter]),
                ("j/k", "move", &[Down, Up]),
                ("r", "reload", &[Retry]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::Scan => &[
                ("Enter", "open", &[Submit]),
                ("Esc", "stop/back", &[Cancel]),
                ("D", "deregister", &[Deregister]),
                ("Space/*", "mark", &[Mark, MarkAll]),
                ("d", "diagnose", &[Forget]),
                ("/", "filter", &[Filter]),
                ("j/k", "move", &[Down, Up]),
                ("S", "scan/resume", &[Scan]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::ScanRunning => &[
                ("Enter", "open", &[Submit]),
                ("Esc", "stop", &[Cancel]),
                ("Space/*", "mark", &[Mark, MarkAll]),
                ("/", "filter", &[Filter]),
                ("j/k", "move", &[Down, Up]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::UserList => &[
                ("Enter", "open", &[Submit]),
                ("Esc", "back", &[Cancel]),
                ("/", "filter", &[Filter]),
                ("j/k", "move", &[Down, Up]),
                ("r", "reload", &[Retry]),
                ("M", "memberships", &[Memberships]),
                ("v", "JSON view", &[RawView]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::DryRun => &[
                ("j/k", "scroll", &[Down, Up]),
                ("c", "copy commands", &[CopyCommand]),
                ("Enter", "go on", &[Submit]),
                ("Esc", "cancel", &[Cancel]),
            ],
            HintFocus::ExportReplace => {
                &[("y", "replace the file", &[Confirm]), ("n/Esc", "keep it", &[Cancel, Cancel])]
            }
            HintFocus::ScanResume => &[
                ("y", "resume the scan", &[CopyField]),
                ("S", "start over", &[Scan]),
                ("Esc", "cancel", &[Cancel]),
            ],
            HintFocus::List => &[
                ("Enter", "open", &[Submit]),
                ("Esc", "back", &[Cancel]),
                ("/", "filter", &[Filter]),
                ("j/k", "move", &[Down, Up]),
                ("r", "reload", &[Retry]),
                ("s", "show/mask", &[ToggleSecrets]),
                ("m/e/D/n", "write", &[FlipMessages, EditEndpoint, Deregister, Register]),
                ("t", "test push", &[TestPush]),
                ("M", "memberships", &[Memberships]),
                ("v", "JSON view", &[RawView]),
                ("a", "last actions", &[Actions]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::DetailOfList => &[
                ("j/k", "move", &[Down, Up]),
                ("Esc", "back", &[Cancel]),
                ("y", "copy", &[CopyField]),
                ("s", "show/mask", &[ToggleSecrets]),
                ("r", "again", &[Retry]),
                ("m/e/D", "write", &[FlipMessages, EditEndpoint, Deregister]),
                ("t", "test push", &[TestPush]),
                ("M", "memberships", &[Memberships]),
                ("v", "JSON view", &[RawView]),
                ("a", "last actions", &[Actions]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::Input => &[
                ("Enter", "look up", &[Submit]),
                ("Tab", "next", &[FocusNext]),
                ("Esc", "leave input", &[Cancel]),
                ("F1", "help", &[Help]),
                ("^C", "quit", &[Quit]),
            ],
            HintFocus::Recent => &[
                ("j/k", "move", &[Down, Up]),
                ("Enter", "show", &[Submit]),
                ("r", "refresh", &[Retry]),
                ("/", "filter", &[Filter]),
                ("d", "forget", &[Forget]),
                ("v", "JSON view", &[RawView]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::Command => &[
                ("Enter", "run", &[Submit]),
                ("Tab", "complete", &[Complete]),
                ("↑/↓", "history", &[Up, Down]),
                ("Esc", "close", &[Cancel]),
                ("^C", "quit", &[Quit]),
            ],
            HintFocus::Watching => &[
                ("Esc", "stop watch", &[Cancel]),
                ("j/k", "move", &[Down, Up]),
                ("y", "copy", &[CopyField]),
                (":", "command", &[CommandLine]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::Detail => &[
                ("j/k", "move", &[Down, Up]),
                ("y", "copy", &[CopyField]),
                ("Y", "JSON", &[CopyJson]),
                ("s", "show/mask", &[ToggleSecrets]),
                ("r", "again", &[Retry]),
                ("w", "watch", &[Watch]),
                ("m/e/D", "write", &[FlipMessages, EditEndpoint, Deregister]),
                ("t", "test push", &[TestPush]),
                ("M", "memberships", &[Memberships]),
                ("v", "JSON view", &[RawView]),
                ("a", "last actions", &[Actions]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
        }
    }
}

/// Short key hints for the status bar, as (keys, what).
pub fn hints(focus: HintFocus) -> Vec<(&'static str, &'static str)> {
    focus.hints().iter().map(|(k, w, _)| (*k, *w)).collect()
}

/// How a hint writes a key: "^R" for Ctrl-R, else as the help does.
pub(super) fn short_key(name: &str) -> String {
    match name.strip_prefix("Ctrl-") {
        Some(k) => format!("^{k}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
/// The keys of a hint as written ("j/k", "^C", "PgUp/PgDn") in the names of
/// [`key_name`](super::key_name).
pub(super) fn hint_keys(keys: &str) -> Vec<String> {
    if keys == "/" || keys == ":" {
        return vec![keys.into()];
    }
    keys.split('/')
        .map(|k| if let Some(c) = k.strip_prefix('^') { format!("Ctrl-{c}") } else { k.into() })
        .collect()
}
