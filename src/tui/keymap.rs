//! Terminal events become [`Action`]s through one table per mode ([`BINDINGS`], each row
//! tagged with its [`Ctx`]: anywhere, normal mode's inputs and panes, the help, the command
//! line, a confirmation, a form). The help overlay ([`help_lines`]) and the status bar's
//! hints ([`hints`]) come from the same tables ([`SECTIONS`]): a hint names the commands it
//! stands for, and tests check that every key in the help is bound to what it says, every
//! hint's keys are bound in its mode, and every [`Cmd`] has a key or a `:` command
//! ([`COMMANDS`]).
//!
//! A leaf beside the state: which mode the keys are in is the state's to say
//! ([`Keyed::key_mode`], [`HintFocus`]); this module never looks inside it.

use super::action::{Action, Cmd};
use super::text::wrap;
use super::theme::Theme;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};
use ratatui::text::{Line, Span};

/// Which table a key is looked up in (after [`Ctx::Any`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The help overlay: its own few keys, everything else swallowed.
    Help,
    /// An input has the keyboard (the user ARN, the endpoint ID, a filter): other keys edit it.
    Input,
    /// A pane has the keyboard (detail, list, recent).
    Pane,
    /// The command line (`:`) has the keyboard: other keys edit it.
    Command,
    /// A confirmation of a write: its own few keys, everything else swallowed.
    Confirm,
    /// A write's form (or a typed confirmation's input): other keys edit the field.
    Form,
}

impl Mode {
    /// Whether keys that are not in the mode's table edit text.
    pub fn edits_text(self) -> bool {
        matches!(self, Mode::Input | Mode::Command | Mode::Form)
    }
}

/// What the keymap needs to know of the state.
pub trait Keyed {
    fn key_mode(&self) -> Mode;
    /// Mouse support on.
    fn mouse_on(&self) -> bool;
}

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// Everywhere, checked first.
    Any,
    /// In the user ARN and endpoint ID inputs (other keys edit the text).
    Input,
    /// In the detail and recent panes.
    Pane,
    /// In the help overlay.
    Help,
    /// On the command line.
    Command,
    /// In a write's confirmation.
    Confirm,
    /// In a write's form (and the input of a typed confirmation).
    Form,
}

impl Ctx {
    fn of(mode: Mode) -> Ctx {
        match mode {
            Mode::Help => Ctx::Help,
            Mode::Input => Ctx::Input,
            Mode::Pane => Ctx::Pane,
            Mode::Command => Ctx::Command,
            Mode::Confirm => Ctx::Confirm,
            Mode::Form => Ctx::Form,
        }
    }
}

/// The help's sections, one per table, in order (a table with no rows is left out).
pub const SECTIONS: &[(&str, Ctx)] = &[
    ("Anywhere", Ctx::Any),
    ("In the inputs", Ctx::Input),
    ("In the panes", Ctx::Pane),
    ("On the command line (:)", Ctx::Command),
    ("In a write's confirmation", Ctx::Confirm),
    ("In a write's form", Ctx::Form),
];

#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub ctx: Ctx,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub cmd: Cmd,
}

const fn b(ctx: Ctx, code: KeyCode, mods: KeyModifiers, cmd: Cmd) -> Binding {
    Binding { ctx, code, mods, cmd }
}

const N: KeyModifiers = KeyModifiers::NONE;
const C: KeyModifiers = KeyModifiers::CONTROL;
use KeyCode::{
    BackTab, Backspace, Char, Down, End, Enter, Esc, F, Home, Left, PageDown, PageUp, Right, Tab, Up,
};
const H: Ctx = Ctx::Help;

pub const BINDINGS: &[Binding] = &[
    b(Ctx::Any, Char('c'), C, Cmd::Quit),
    b(Ctx::Any, Tab, N, Cmd::FocusNext),
    b(Ctx::Any, BackTab, N, Cmd::FocusPrev),
    b(Ctx::Any, F(1), N, Cmd::Help),
    b(Ctx::Any, Char('r'), C, Cmd::Retry),
    b(Ctx::Input, Enter, N, Cmd::Submit),
    b(Ctx::Input, Esc, N, Cmd::Cancel),
    b(Ctx::Input, Up, N, Cmd::Up),
    b(Ctx::Input, Down, N, Cmd::Down),
    b(Ctx::Pane, Char('q'), N, Cmd::Quit),
    b(Ctx::Pane, Esc, N, Cmd::Cancel),
    b(Ctx::Pane, Char('?'), N, Cmd::Help),
    b(Ctx::Pane, Char('k'), N, Cmd::Up),
    b(Ctx::Pane, Up, N, Cmd::Up),
    b(Ctx::Pane, Char('j'), N, Cmd::Down),
    b(Ctx::Pane, Down, N, Cmd::Down),
    b(Ctx::Pane, PageUp, N, Cmd::PageUp),
    b(Ctx::Pane, Char('u'), C, Cmd::PageUp),
    b(Ctx::Pane, PageDown, N, Cmd::PageDown),
    b(Ctx::Pane, Char('d'), C, Cmd::PageDown),
    b(Ctx::Pane, Char('g'), N, Cmd::Top),
    b(Ctx::Pane, Home, N, Cmd::Top),
    b(Ctx::Pane, Char('G'), N, Cmd::Bottom),
    b(Ctx::Pane, End, N, Cmd::Bottom),
    b(Ctx::Pane, Char('s'), N, Cmd::ToggleSecrets),
    b(Ctx::Pane, Char('y'), N, Cmd::CopyField),
    b(Ctx::Pane, Char('Y'), N, Cmd::CopyJson),
    b(Ctx::Pane, Char('c'), N, Cmd::CopyCommand),
    b(Ctx::Pane, Char('r'), N, Cmd::Retry),
    b(Ctx::Pane, Char('i'), N, Cmd::FocusArn),
    b(Ctx::Pane, Char('/'), N, Cmd::Filter),
    b(Ctx::Pane, Char('d'), N, Cmd::Forget),
    b(Ctx::Pane, Enter, N, Cmd::Submit),
    b(Ctx::Pane, Backspace, N, Cmd::Back),
    b(Ctx::Pane, Char(':'), N, Cmd::CommandLine),
    b(Ctx::Pane, Char('w'), N, Cmd::Watch),
    b(Ctx::Pane, Char('>'), N, Cmd::SortNext),
    b(Ctx::Pane, Char('<'), N, Cmd::SortPrev),
    // Writes (hidden and refused in read-only mode).
    b(Ctx::Pane, Char('m'), N, Cmd::FlipMessages),
    b(Ctx::Pane, Char('e'), N, Cmd::EditEndpoint),
    b(Ctx::Pane, Char('D'), N, Cmd::Deregister),
    b(Ctx::Pane, Char('n'), N, Cmd::Register),
    // A scan of an app instance (a read: also in read-only mode); marks for a batch.
    b(Ctx::Pane, Char('S'), N, Cmd::Scan),
    b(Ctx::Pane, Char(' '), N, Cmd::Mark),
    b(Ctx::Pane, Char('*'), N, Cmd::MarkAll),
    // A write's confirmation: y goes on, Esc or n cancels, c copies the AWS CLI command.
    b(Ctx::Confirm, Char('y'), N, Cmd::Confirm),
    b(Ctx::Confirm, Char('n'), N, Cmd::Cancel),
    b(Ctx::Confirm, Esc, N, Cmd::Cancel),
    b(Ctx::Confirm, Char('c'), N, Cmd::CopyCommand),
    b(Ctx::Confirm, Enter, N, Cmd::Submit),
    b(Ctx::Confirm, Left, N, Cmd::FocusPrev),
    b(Ctx::Confirm, Right, N, Cmd::FocusNext),
    // A batch's dry run scrolls.
    b(Ctx::Confirm, Up, N, Cmd::Up),
    b(Ctx::Confirm, Char('k'), N, Cmd::Up),
    b(Ctx::Confirm, Down, N, Cmd::Down),
    b(Ctx::Confirm, Char('j'), N, Cmd::Down),
    b(Ctx::Confirm, PageUp, N, Cmd::PageUp),
    b(Ctx::Confirm, PageDown, N, Cmd::PageDown),
    // A write's form: Tab / arrows move between fields, Enter reviews, Esc cancels.
    b(Ctx::Form, Enter, N, Cmd::Submit),
    b(Ctx::Form, Esc, N, Cmd::Cancel),
    b(Ctx::Form, Up, N, Cmd::Up),
    b(Ctx::Form, Down, N, Cmd::Down),
    // The help overlay: Esc, q or ? closes it; the rest scrolls.
    b(H, Esc, N, Cmd::Help),
    b(H, Char('q'), N, Cmd::Help),
    b(H, Char('?'), N, Cmd::Help),
    b(H, Up, N, Cmd::Up),
    b(H, Char('k'), N, Cmd::Up),
    b(H, Down, N, Cmd::Down),
    b(H, Char('j'), N, Cmd::Down),
    b(H, PageUp, N, Cmd::PageUp),
    b(H, Char('u'), C, Cmd::PageUp),
    b(H, Char('b'), C, Cmd::PageUp),
    b(H, PageDown, N, Cmd::PageDown),
    b(H, Char('d'), C, Cmd::PageDown),
    b(H, Char('f'), C, Cmd::PageDown),
    b(H, Char(' '), N, Cmd::PageDown),
    b(H, Home, N, Cmd::Top),
    b(H, Char('g'), N, Cmd::Top),
    b(H, End, N, Cmd::Bottom),
    b(H, Char('G'), N, Cmd::Bottom),
    // The command line: other keys edit it.
    b(Ctx::Command, Enter, N, Cmd::Submit),
    b(Ctx::Command, Esc, N, Cmd::Cancel),
    b(Ctx::Command, Tab, N, Cmd::Complete),
    b(Ctx::Command, BackTab, N, Cmd::CompleteBack),
    b(Ctx::Command, Up, N, Cmd::Up),
    b(Ctx::Command, Down, N, Cmd::Down),
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
    c("scan", "[ARN] [--rate N]", "scan an app instance's endpoints (at N requests/s; default 10)"),
    c("q", "", "quit (also :quit)"),
];

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
            Cmd::Forget => "forget the selected recent lookup",
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
            Cmd::Confirm => "go on with the write",
            Cmd::Scan => "scan the app instance (selected, or in the ARN input): who cannot receive, and why",
            Cmd::Mark => "mark the row of the Scan pane (D deregisters the marked rows, after a dry run)",
            Cmd::MarkAll => "mark every row the Scan pane shows (again: clear the marks)",
        }
    }
}

/// How a key is written in the help and the status bar.
pub fn key_name(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        Char(' ') => "Space".to_string(),
        Char(c) => c.to_string(),
        Tab => "Tab".into(),
        BackTab => "Shift-Tab".into(),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        Up => "↑".into(),
        Down => "↓".into(),
        Left => "←".into(),
        Right => "→".into(),
        Home => "Home".into(),
        End => "End".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
        F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) { format!("Ctrl-{}", base.to_uppercase()) } else { base }
}

/// Whether a command writes (register, update, deregister), or marks rows for a batch
/// deregistration: hidden in read-only mode.
pub fn is_write(cmd: Cmd) -> bool {
    matches!(
        cmd,
        Cmd::FlipMessages | Cmd::EditEndpoint | Cmd::Deregister | Cmd::Register | Cmd::Mark | Cmd::MarkAll
    )
}

/// Help sections: (title, rows of (keys, what)). Built from [`BINDINGS`] by [`SECTIONS`].
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    help_sections_for(false)
}

/// The help sections; in read-only mode without the write keys and the writes' dialogs.
pub fn help_sections_for(readonly: bool) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let mut out = Vec::new();
    for &(title, ctx) in SECTIONS {
        if readonly && matches!(ctx, Ctx::Confirm | Ctx::Form) {
            continue;
        }
        let mut rows: Vec<(String, &'static str)> = Vec::new();
        let mut cmds: Vec<Cmd> = Vec::new();
        for bnd in BINDINGS.iter().filter(|b| b.ctx == ctx && !(readonly && is_write(b.cmd))) {
            if !cmds.contains(&bnd.cmd) {
                cmds.push(bnd.cmd);
            }
        }
        for cmd in cmds {
            let keys: Vec<String> = BINDINGS
                .iter()
                .filter(|b| b.ctx == ctx && b.cmd == cmd)
                .map(|b| key_name(b.code, b.mods))
                .collect();
            rows.push((keys.join(" "), cmd.describe()));
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
            let usage =
                if c.args.is_empty() { format!(":{}", c.name) } else { format!(":{} {}", c.name, c.args) };
            (usage, c.what)
        })
        .collect()
}

fn matches(b: &Binding, key: &KeyEvent) -> bool {
    // Terminals report Shift with upper-case letters, '?' and Shift-Tab; the character
    // already says it.
    let ignore_shift = matches!(key.code, Char(_) | BackTab);
    let strip = |m: KeyModifiers| if ignore_shift { m - KeyModifiers::SHIFT } else { m };
    b.code == key.code && strip(b.mods) == strip(key.modifiers)
}

fn lookup(ctx: Ctx, key: &KeyEvent) -> Option<Cmd> {
    BINDINGS.iter().find(|b| b.ctx == ctx && matches(b, key)).map(|b| b.cmd)
}

/// The action for a terminal event in the state's current mode, if any: the mode's table
/// first, then [`Ctx::Any`] (so that Tab completes on the command line), then, in a mode
/// that edits text, the text-input crate's editing keys.
pub fn action_for<K: Keyed + ?Sized>(app: &K, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
            let mode = app.key_mode();
            if let Some(cmd) = lookup(Ctx::of(mode), key) {
                return Some(Action::Cmd(cmd));
            }
            if let Some(cmd) = lookup(Ctx::Any, key) {
                return Some(Action::Cmd(cmd));
            }
            if !mode.edits_text() {
                return None;
            }
            // Terminals send Alt-B / Alt-F as ESC b / ESC f, which crossterm reports with
            // ALT; the text-input crate only knows META for them.
            if key.modifiers == KeyModifiers::ALT {
                match key.code {
                    Char('b') => return Some(Action::Edit(tui_input::InputRequest::GoToPrevWord)),
                    Char('f') => return Some(Action::Edit(tui_input::InputRequest::GoToNextWord)),
                    _ => {}
                }
            }
            tui_input::backend::crossterm::to_input_request(event).map(Action::Edit)
        }
        Event::Key(_) => None,
        Event::Paste(s) => Some(Action::Paste(s.clone())),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Mouse(m) if app.mouse_on() => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { x: m.column, y: m.row }),
            MouseEventKind::ScrollDown => Some(Action::Wheel { down: true, x: m.column, y: m.row }),
            MouseEventKind::ScrollUp => Some(Action::Wheel { down: false, x: m.column, y: m.row }),
            _ => None,
        },
        _ => None,
    }
}

/// Where the keyboard is, as the status bar's hints see it (the state decides: see
/// `state::App::hint_focus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// The Scan pane.
    Scan,
    /// The offer to resume a stopped scan.
    ScanResume,
    /// A batch deregistration's dry run.
    DryRun,
    /// The command line has the keyboard.
    Command,
    /// The detail pane while its endpoint is watched.
    Watching,
}

/// A status-bar hint: the keys as shown, what they do, and the commands they stand for.
pub type Hint = (&'static str, &'static str, &'static [Cmd]);

impl HintFocus {
    /// The table the hint's keys are looked up in (after [`Ctx::Any`]).
    pub fn mode(self) -> Mode {
        match self {
            HintFocus::Help => Mode::Help,
            HintFocus::Filter | HintFocus::Completion | HintFocus::Input => Mode::Input,
            HintFocus::Command => Mode::Command,
            HintFocus::Cancel => Mode::Pane,
            HintFocus::Confirm | HintFocus::ConfirmButtons | HintFocus::Sending | HintFocus::DryRun => {
                Mode::Confirm
            }
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
            HintFocus::Confirm => &[
                ("c", "copy aws command", &[CopyCommand]),
                ("y", "go on", &[Confirm]),
                ("Esc", "cancel", &[Cancel]),
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
                ("/", "filter", &[Filter]),
                ("j/k", "move", &[Down, Up]),
                ("S", "scan/resume", &[Scan]),
                ("?", "help", &[Help]),
                ("q", "quit", &[Quit]),
            ],
            HintFocus::DryRun => &[
                ("j/k", "scroll", &[Down, Up]),
                ("c", "copy commands", &[CopyCommand]),
                ("Enter", "go on", &[Submit]),
                ("Esc", "cancel", &[Cancel]),
            ],
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

#[cfg(test)]
/// The keys of a hint as written ("j/k", "^C", "PgUp/PgDn") in the names of [`key_name`].
fn hint_keys(keys: &str) -> Vec<String> {
    if keys == "/" || keys == ":" {
        return vec![keys.into()];
    }
    keys.split('/')
        .map(|k| if let Some(c) = k.strip_prefix('^') { format!("Ctrl-{c}") } else { k.into() })
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
    let mut out = Vec::new();
    for (i, (title, rows)) in help_sections_for(readonly).into_iter().enumerate() {
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

#[cfg(test)]
mod tests {
    // Actions are fed and the state (or some effects) checked: not every effect is used.
    #![allow(unused_must_use)]
    use super::*;
    use crate::tui::state::{App, Focus, Session};

    fn key(code: KeyCode, mods: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, mods))
    }

    #[test]
    fn q_types_in_inputs_and_quits_in_panes() {
        let mut app = App::new(Session::demo());
        assert!(matches!(action_for(&app, &key(Char('q'), N)), Some(Action::Edit(_))));
        app.set_focus(Focus::Detail);
        assert!(matches!(action_for(&app, &key(Char('q'), N)), Some(Action::Cmd(Cmd::Quit))));
        assert!(matches!(
            action_for(&app, &key(Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Cmd(Cmd::Bottom))
        ));
        assert!(matches!(
            action_for(&app, &key(BackTab, KeyModifiers::SHIFT)),
            Some(Action::Cmd(Cmd::FocusPrev))
        ));
    }

    #[test]
    fn ctrl_c_quits_anywhere() {
        let mut app = App::new(Session::demo());
        for f in [Focus::Arn, Focus::EndpointId, Focus::Detail] {
            app.set_focus(f);
            assert!(matches!(action_for(&app, &key(Char('c'), C)), Some(Action::Cmd(Cmd::Quit))));
        }
        app.update(Action::Cmd(Cmd::Help));
        assert!(matches!(action_for(&app, &key(Char('c'), C)), Some(Action::Cmd(Cmd::Quit))));
    }

    #[test]
    fn mouse_only_when_enabled() {
        let mut app = App::new(Session::demo());
        let ev = Event::Mouse(crossterm::event::MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 3,
            row: 3,
            modifiers: N,
        });
        assert!(action_for(&app, &ev).is_none());
        app.set_mouse(true);
        assert!(matches!(action_for(&app, &ev), Some(Action::Click { x: 3, y: 3 })));
    }

    #[test]
    fn alt_b_and_alt_f_move_by_word_in_the_inputs() {
        use tui_input::InputRequest;
        let mut app = App::new(Session::demo());
        app.set_inputs("arn:aws:chime:us-east-1", "");
        let alt = KeyModifiers::ALT;
        let back = action_for(&app, &key(Char('b'), alt));
        assert!(matches!(back, Some(Action::Edit(InputRequest::GoToPrevWord))), "{back:?}");
        let fwd = action_for(&app, &key(Char('f'), alt));
        assert!(matches!(fwd, Some(Action::Edit(InputRequest::GoToNextWord))), "{fwd:?}");
        // And they move the cursor.
        let before = app.arn().cursor();
        app.update(back.unwrap());
        assert!(app.arn().cursor() < before);
    }

    #[test]
    fn the_help_scrolls_with_the_paging_keys() {
        let mut app = App::new(Session::demo());
        app.update(Action::Cmd(Cmd::Help));
        for (code, mods, want) in [
            (PageDown, N, Cmd::PageDown),
            (PageUp, N, Cmd::PageUp),
            (Char('G'), KeyModifiers::SHIFT, Cmd::Bottom),
            (End, N, Cmd::Bottom),
            (Char('g'), N, Cmd::Top),
            (Home, N, Cmd::Top),
        ] {
            assert_eq!(
                action_for(&app, &key(code, mods)).map(|a| format!("{a:?}")),
                Some(format!("{:?}", Action::Cmd(want)))
            );
        }
    }

    #[test]
    fn the_help_lists_every_binding() {
        let text: String = help_sections()
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|(k, w)| format!("{k} {w}\n")))
            .collect();
        // (The help's own keys are on its bottom border: see `help_mode_keys_are_the_tables`.)
        for b in BINDINGS.iter().filter(|b| b.ctx != Ctx::Help) {
            assert!(text.contains(&key_name(b.code, b.mods)), "{:?}", b);
            assert!(text.contains(b.cmd.describe()), "{:?}", b);
        }
    }

    /// The keys named in the help's bottom border scroll it, by its table.
    #[test]
    fn help_mode_keys_are_the_tables() {
        let app = {
            let mut a = App::new(Session::demo());
            a.update(Action::Cmd(Cmd::Help));
            a
        };
        for (code, want) in [
            (Char('j'), Cmd::Down),
            (Char('k'), Cmd::Up),
            (PageUp, Cmd::PageUp),
            (PageDown, Cmd::PageDown),
            (Char('g'), Cmd::Top),
            (Char('G'), Cmd::Bottom),
            (Esc, Cmd::Help),
        ] {
            assert!(matches!(action_for(&app, &key(code, N)), Some(Action::Cmd(c)) if c == want), "{code:?}");
        }
        // Anything else is swallowed.
        assert!(action_for(&app, &key(Char('y'), N)).is_none());
    }

    /// Every key listed in the help is bound, in its section's table, to the command it
    /// describes.
    #[test]
    fn every_key_in_the_help_has_its_action() {
        for (title, rows) in help_sections() {
            // (Not in SECTIONS: the text-input crate's editing keys.)
            let Some(&(_, ctx)) = SECTIONS.iter().find(|(t, _)| *t == title) else { continue };
            for (keys, what) in rows {
                for k in keys.split(' ') {
                    assert!(
                        BINDINGS.iter().any(|b| b.ctx == ctx
                            && key_name(b.code, b.mods) == k
                            && b.cmd.describe() == what),
                        "{title}: {k} ({what}) is not bound"
                    );
                }
            }
        }
    }

    /// Every hint the status bar can show names keys bound, in the table of its mode (or
    /// anywhere), to the commands it stands for.
    #[test]
    fn the_hints_shown_are_a_subset_of_the_table() {
        use HintFocus::*;
        for focus in [
            Help,
            Cancel,
            Filter,
            Completion,
            ListFiltered,
            List,
            DetailOfList,
            Input,
            Recent,
            Detail,
            Command,
            Watching,
            Confirm,
            TypedConfirm,
            ConfirmButtons,
            Form,
            Sending,
            InstanceList,
            Scan,
            ScanResume,
            DryRun,
        ] {
            let ctx = Ctx::of(focus.mode());
            for (keys, what, cmds) in focus.hints() {
                let names = hint_keys(keys);
                assert_eq!(names.len(), cmds.len(), "{focus:?}: {keys} {what}");
                for (name, cmd) in names.iter().zip(cmds.iter()) {
                    assert!(
                        BINDINGS.iter().any(|b| (b.ctx == ctx || b.ctx == Ctx::Any)
                            && key_name(b.code, b.mods) == *name
                            && b.cmd == *cmd),
                        "{focus:?}: hint {keys} {what}: {name} is not bound to {cmd:?}"
                    );
                }
            }
        }
    }

    /// The help lists every `:` command with its arguments, and each parses (see
    /// `state::command`'s `every_command_in_the_table_parses`).
    #[test]
    fn the_help_lists_the_commands() {
        let sections = help_sections();
        let (_, rows) = sections.iter().find(|(t, _)| t.starts_with("Commands")).expect("a Commands section");
        assert_eq!(rows.len(), COMMANDS.len());
        for (c, (usage, what)) in COMMANDS.iter().zip(rows) {
            assert!(usage.starts_with(&format!(":{}", c.name)) && usage.ends_with(c.args), "{usage}");
            assert_eq!(*what, c.what);
        }
        let text: String = help_lines(&Theme::colored(), 100).iter().map(|l| format!("{l}\n")).collect();
        for needle in
            [":profile NAME", ":region NAME", ":watch [SECONDS]", ":export PATH", ":describe ARN ID", ":q"]
        {
            assert!(text.contains(needle), "{needle} in the help");
        }
    }

    /// `Cmd::ALL` holds every command once, each at its index.
    #[test]
    fn all_commands_are_listed_once() {
        for (i, c) in Cmd::ALL.iter().enumerate() {
            assert_eq!(c.index(), i, "{c:?}");
        }
    }

    /// Nothing live is unlisted: every command is reachable, by a key in one of the tables
    /// (and so in the help) or by a `:` command.
    #[test]
    fn every_action_has_a_key_or_a_command() {
        let keys: String =
            help_sections().iter().flat_map(|(_, rows)| rows.iter().map(|(_, w)| format!("{w}\n"))).collect();
        for &c in Cmd::ALL {
            let bound = BINDINGS.iter().any(|b| b.cmd == c);
            assert!(bound, "{c:?} has no key");
            if bound && BINDINGS.iter().any(|b| b.cmd == c && b.ctx != Ctx::Help) {
                assert!(keys.contains(c.describe()), "{c:?} is bound but not in the help");
            }
        }
    }

    /// Each state the browser can be in shows the hints of its focus.
    #[test]
    fn the_state_picks_the_hints_of_its_focus() {
        let mut app = App::new(Session::demo());
        assert_eq!(app.hint_focus(), HintFocus::Input);
        app.set_focus(Focus::Detail);
        assert_eq!(app.hint_focus(), HintFocus::Detail);
        assert_eq!(app.hints(), hints(HintFocus::Detail));
        app.update(Action::Cmd(Cmd::Help));
        assert_eq!(app.hint_focus(), HintFocus::Help);
    }
}
