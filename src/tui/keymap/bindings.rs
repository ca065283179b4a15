//! The key tables: every binding, one row each, tagged with the [`Ctx`] (table) it belongs
//! to; which [`Mode`] the keyboard is in picks the table. Also how a key is written
//! ([`key_name`]) and which commands write ([`is_write`]).

use super::HintFocus;
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
    /// The raw view of a record (JSON): its own keys, everything else swallowed.
    Raw,
    /// The last actions of the session: its own keys, everything else swallowed.
    Actions,
    /// A user's channel memberships: its own keys, everything else swallowed.
    Members,
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
    /// In the raw view of a record.
    Raw,
    /// In the last actions.
    Actions,
    /// In a user's channel memberships.
    Members,
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
            Mode::Raw => Ctx::Raw,
            Mode::Actions => Ctx::Actions,
            Mode::Members => Ctx::Members,
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
const R: Ctx = Ctx::Raw;

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
    // The raw view of the record under the cursor; the session's last actions.
    b(Ctx::Pane, Char('v'), N, Cmd::RawView),
    b(Ctx::Pane, Char('a'), N, Cmd::Actions),
    // The channel memberships of the user on show (or listed, or selected).
    b(Ctx::Pane, Char('M'), N, Cmd::Memberships),
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
    // The raw view: it scrolls, / searches, y copies, s shows or masks; Esc or q closes it.
    b(R, Esc, N, Cmd::Cancel),
    b(R, Char('q'), N, Cmd::Cancel),
    b(R, Up, N, Cmd::Up),
    b(R, Char('k'), N, Cmd::Up),
    b(R, Down, N, Cmd::Down),
    b(R, Char('j'), N, Cmd::Down),
    b(R, PageUp, N, Cmd::PageUp),
    b(R, Char('u'), C, Cmd::PageUp),
    b(R, PageDown, N, Cmd::PageDown),
    b(R, Char('d'), C, Cmd::PageDown),
    b(R, Home, N, Cmd::Top),
    b(R, Char('g'), N, Cmd::Top),
    b(R, End, N, Cmd::Bottom),
    b(R, Char('G'), N, Cmd::Bottom),
    b(R, Char('/'), N, Cmd::Filter),
    b(R, Char('n'), N, Cmd::NextMatch),
    b(R, Char('N'), N, Cmd::PrevMatch),
    b(R, Char('y'), N, Cmd::CopyJson),
    b(R, Char('s'), N, Cmd::ToggleSecrets),
    // The last actions: move, c copies the selected one's AWS CLI command; Esc or q closes.
    b(Ctx::Actions, Esc, N, Cmd::Cancel),
    b(Ctx::Actions, Char('q'), N, Cmd::Cancel),
    b(Ctx::Actions, Up, N, Cmd::Up),
    b(Ctx::Actions, Char('k'), N, Cmd::Up),
    b(Ctx::Actions, Down, N, Cmd::Down),
    b(Ctx::Actions, Char('j'), N, Cmd::Down),
    b(Ctx::Actions, Home, N, Cmd::Top),
    b(Ctx::Actions, Char('g'), N, Cmd::Top),
    b(Ctx::Actions, End, N, Cmd::Bottom),
    b(Ctx::Actions, Char('G'), N, Cmd::Bottom),
    b(Ctx::Actions, Char('c'), N, Cmd::CopyCommand),
    b(Ctx::Actions, Char('s'), N, Cmd::ToggleSecrets),
    // A user's memberships: move, Enter the preference in full, v its JSON, y the channel ARN,
    // r reads them again; Esc or q closes.
    b(Ctx::Members, Esc, N, Cmd::Cancel),
    b(Ctx::Members, Char('q'), N, Cmd::Cancel),
    b(Ctx::Members, Up, N, Cmd::Up),
    b(Ctx::Members, Char('k'), N, Cmd::Up),
    b(Ctx::Members, Down, N, Cmd::Down),
    b(Ctx::Members, Char('j'), N, Cmd::Down),
    b(Ctx::Members, PageUp, N, Cmd::PageUp),
    b(Ctx::Members, PageDown, N, Cmd::PageDown),
    b(Ctx::Members, Home, N, Cmd::Top),
    b(Ctx::Members, Char('g'), N, Cmd::Top),
    b(Ctx::Members, End, N, Cmd::Bottom),
    b(Ctx::Members, Char('G'), N, Cmd::Bottom),
    b(Ctx::Members, Enter, N, Cmd::Submit),
    b(Ctx::Members, Char('v'), N, Cmd::RawView),
    b(Ctx::Members, Char('y'), N, Cmd::CopyField),
    b(Ctx::Members, Char('r'), N, Cmd::Retry),
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

impl Ctx {
    /// Every table, as `[keys]` names them (`raw.filter = "?"`).
    pub const ALL: &'static [(Ctx, &'static str)] = &[
        (Ctx::Any, "any"),
        (Ctx::Input, "input"),
        (Ctx::Pane, "pane"),
        (Ctx::Help, "help"),
        (Ctx::Command, "command"),
        (Ctx::Confirm, "confirm"),
        (Ctx::Form, "form"),
        (Ctx::Raw, "raw"),
        (Ctx::Actions, "actions"),
        (Ctx::Members, "memberships"),
    ];

    /// The table's name in `[keys]`.
    pub fn name(self) -> &'static str {
        Ctx::ALL.iter().find(|(c, _)| *c == self).map_or("any", |(_, n)| n)
    }

    /// Whether other keys type text there (and Ctx::Any, looked up before the typing): a plain
    /// character a user binds is not bound there.
    fn types(self) -> bool {
        matches!(self, Ctx::Any | Ctx::Input | Ctx::Command | Ctx::Form)
    }
}

/// The same key, as a terminal reports it (Shift is in the character already).
pub(super) fn same_key(a: (KeyCode, KeyModifiers), b: (KeyCode, KeyModifiers)) -> bool {
    let strip = |(c, m): (KeyCode, KeyModifiers)| {
        if matches!(c, Char(_) | BackTab) { (c, m - KeyModifiers::SHIFT) } else { (c, m) }
    };
    strip(a) == strip(b)
}

/// A key with its modifiers.
type Key = (KeyCode, KeyModifiers);

/// A `[keys]` entry that cannot be used: its line and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError {
    pub line: Option<usize>,
    pub message: String,
}

/// The key tables in use: [`BINDINGS`] with a user's `[keys]` over them. The help, the
/// hints and the key lookup all read this.
#[derive(Clone, Debug)]
pub struct KeyMap {
    bindings: Vec<Binding>,
    /// The (table, action) pairs the user's file rebinds.
    changed: Vec<(Ctx, Cmd)>,
    /// The hints whose keys the user's file changed: (where, index in its hints, keys).
    labels: Vec<(HintFocus, usize, String)>,
}

impl Default for KeyMap {
    fn default() -> Self {
        Self { bindings: BINDINGS.to_vec(), changed: Vec::new(), labels: Vec::new() }
    }
}

impl KeyMap {
    /// The defaults, shared (tests, and the help without a user's keys).
    pub fn defaults() -> &'static KeyMap {
        static DEFAULTS: std::sync::LazyLock<KeyMap> = std::sync::LazyLock::new(KeyMap::default);
        &DEFAULTS
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The command of `key` in table `ctx`.
    pub fn lookup(&self, ctx: Ctx, code: KeyCode, mods: KeyModifiers) -> Option<Cmd> {
        self.bindings.iter().find(|b| b.ctx == ctx && same_key((b.code, b.mods), (code, mods))).map(|b| b.cmd)
    }

    /// The keys of `cmd` in `ctx`, as the help writes them.
    pub fn keys_of(&self, ctx: Ctx, cmd: Cmd) -> Vec<String> {
        self.bindings
            .iter()
            .filter(|b| b.ctx == ctx && b.cmd == cmd)
            .map(|b| key_name(b.code, b.mods))
            .collect()
    }

    /// Whether the user's file rebinds `cmd` in `ctx` (or anywhere, for Ctx::Any's).
    pub fn changed(&self, ctx: Ctx, cmd: Cmd) -> bool {
        self.changed.iter().any(|&(c, m)| m == cmd && (c == ctx || c == Ctx::Any))
    }

    /// The keys hint `i` of `focus` shows: `default` unless the user's file rebinds them.
    pub fn hint_label<'a>(&'a self, focus: HintFocus, i: usize, default: &'a str) -> &'a str {
        self.labels.iter().find(|(f, j, _)| *f == focus && *j == i).map_or(default, |(_, _, l)| l.as_str())
    }

    /// The hints' keys as this map binds them, for the hints it changes.
    fn relabel(&mut self) {
        use strum::VariantArray;
        let mut labels = Vec::new();
        for &focus in HintFocus::VARIANTS {
            let ctx = Ctx::of(focus.mode());
            for (i, (_, _, cmds)) in focus.hints().iter().enumerate() {
                if !cmds.iter().any(|c| self.changed(ctx, *c)) {
                    continue;
                }
                let mut seen: Vec<Cmd> = Vec::new();
                let mut keys: Vec<String> = Vec::new();
                for &c in cmds.iter() {
                    if seen.contains(&c) {
                        continue;
                    }
                    seen.push(c);
                    let k = self
                        .keys_of(ctx, c)
                        .into_iter()
                        .next()
                        .or_else(|| self.keys_of(Ctx::Any, c).into_iter().next());
                    if let Some(k) = k {
                        keys.push(super::hints::short_key(&k));
                    }
                }
                labels.push((focus, i, keys.join("/")));
            }
        }
        self.labels = labels;
    }

    /// The defaults with a user's `[keys]` over them: each entry `action = key` (or a list)
    /// replaces the action's keys in the normal mode's tables where it has any (anywhere,
    /// the inputs, the panes), else in every table where it has any; `TABLE.action` in that
    /// table only. Where letters type, a plain character is not bound (the action keeps its
    /// keys there). An unknown action or table, a key that is not one, or a key another
    /// action has in the same table is refused with the entry's line.
    pub fn with_user(entries: &[crate::config::KeyEntry]) -> Result<KeyMap, KeyError> {
        let mut map = KeyMap::default();
        // Where each entry's keys go: (entry, table, action, keys).
        let mut plan: Vec<(usize, Ctx, Cmd, Vec<Key>)> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let err = |message: String| KeyError {
                line: e.line,
                message: format!("[keys] {}: {message}", e.action),
            };
            let (table, name) = match e.action.split_once('.') {
                Some((t, n)) => {
                    let ctx = Ctx::ALL.iter().find(|(_, tn)| *tn == t).map(|(c, _)| *c).ok_or_else(|| {
                        err(format!(
                            "no table {t:?}; the tables are {}",
                            Ctx::ALL.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
                        ))
                    })?;
                    (Some(ctx), n)
                }
                None => (None, e.action.as_str()),
            };
            let cmd = Cmd::named(name).ok_or_else(|| {
                err(format!(
                    "no action {name:?}; the actions are {}",
                    Cmd::ALL.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
                ))
            })?;
            if e.keys.is_empty() {
                return Err(err("no key given".into()));
            }
            let keys = e
                .keys
                .iter()
                .map(|k| super::keys::parse_key(k).map_err(&err))
                .collect::<Result<Vec<_>, _>>()?;
            let bound: Vec<Ctx> = Ctx::ALL
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| BINDINGS.iter().any(|b| b.ctx == *c && b.cmd == cmd))
                .collect();
            let tables: Vec<Ctx> = match table {
                Some(t) => vec![t],
                None => {
                    let normal: Vec<Ctx> = bound
                        .iter()
                        .copied()
                        .filter(|c| matches!(c, Ctx::Any | Ctx::Input | Ctx::Pane))
                        .collect();
                    if !normal.is_empty() {
                        normal
                    } else if !bound.is_empty() {
                        bound
                    } else {
                        vec![Ctx::Pane]
                    }
                }
            };
            for t in tables {
                let plain = |(c, m): &(KeyCode, KeyModifiers)| {
                    matches!(c, Char(_)) && !m.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                };
                let keys: Vec<_> = if t.types() {
                    keys.iter().copied().filter(|k| !plain(k)).collect()
                } else {
                    keys.clone()
                };
                if keys.is_empty() {
                    continue;
                }
                plan.push((i, t, cmd, keys));
            }
        }
        for (_, t, cmd, _) in &plan {
            map.bindings.retain(|b| !(b.ctx == *t && b.cmd == *cmd));
            map.changed.push((*t, *cmd));
        }
        for (_, t, cmd, keys) in &plan {
            for &(code, mods) in keys {
                map.bindings.push(Binding { ctx: *t, code, mods, cmd: *cmd });
            }
        }
        // A key another action has in the same table (or in the table looked up around it).
        for (i, t, cmd, keys) in &plan {
            for &k in keys {
                let other = map.bindings.iter().find(|b| {
                    b.cmd != *cmd
                        && (b.ctx == *t || b.ctx == Ctx::Any || *t == Ctx::Any)
                        && same_key((b.code, b.mods), k)
                });
                if let Some(o) = other {
                    let e = &entries[*i];
                    let whose = match map.changed.iter().any(|&(c, m)| m == o.cmd && c == o.ctx) {
                        true => "given to",
                        false => "already",
                    };
                    return Err(KeyError {
                        line: e.line,
                        message: format!(
                            "[keys] {}: {} is {whose} {} in the {} table; give another key, or rebind {} too",
                            e.action,
                            key_name(k.0, k.1),
                            o.cmd.name(),
                            o.ctx.name(),
                            o.cmd.name()
                        ),
                    });
                }
            }
        }
        map.relabel();
        Ok(map)
    }
}
