//! The key tables: every binding, one row each, tagged with the [`Ctx`] (table) it belongs
//! to; which [`Mode`] the keyboard is in picks the table. Also how a key is written
//! ([`key_name`]) and which commands write ([`is_write`]).

use crate::tui::action::Cmd;
use crossterm::event::{KeyCode, KeyModifiers};

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
    pub(super) fn of(mode: Mode) -> Ctx {
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

pub(super) const N: KeyModifiers = KeyModifiers::NONE;
pub(super) const C: KeyModifiers = KeyModifiers::CONTROL;
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
    b(Ctx::Pane, Char('u'), N, Cmd::Unforget),
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
    b(Ctx::Pane, Char('R'), N, Cmd::Reregister),
    b(Ctx::Pane, Char('t'), N, Cmd::TestPush),
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
    // A test push's confirmation: s a silent push instead; after its answer, the fix.
    b(Ctx::Confirm, Char('s'), N, Cmd::Silent),
    b(Ctx::Confirm, Char('D'), N, Cmd::Deregister),
    b(Ctx::Confirm, Char('R'), N, Cmd::Reregister),
    // A batch's dry run scrolls.
    b(Ctx::Confirm, Up, N, Cmd::Up),
    b(Ctx::Confirm, Char('k'), N, Cmd::Up),
    b(Ctx::Confirm, Down, N, Cmd::Down),
    b(Ctx::Confirm, Char('j'), N, Cmd::Down),
    b(Ctx::Confirm, PageUp, N, Cmd::PageUp),
    b(Ctx::Confirm, PageDown, N, Cmd::PageDown),
    b(Ctx::Confirm, Char('g'), N, Cmd::Top),
    b(Ctx::Confirm, Home, N, Cmd::Top),
    b(Ctx::Confirm, Char('G'), N, Cmd::Bottom),
    b(Ctx::Confirm, End, N, Cmd::Bottom),
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

/// Whether a command writes (register, update, deregister, a test push), or marks rows for a
/// batch deregistration: hidden in read-only mode.
pub fn is_write(cmd: Cmd) -> bool {
    matches!(
        cmd,
        Cmd::FlipMessages
            | Cmd::EditEndpoint
            | Cmd::Deregister
            | Cmd::Register
            | Cmd::Reregister
            | Cmd::TestPush
            | Cmd::Mark
            | Cmd::MarkAll
    )
}
