//! Terminal events become [`Action`]s through one table. The help overlay is generated from
//! the same table, so it lists every key.

use super::app::{Action, App, Cmd, Focus};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// Everywhere, checked first.
    Any,
    /// In the user ARN and endpoint ID inputs (other keys edit the text).
    Input,
    /// In the detail and recent panes.
    Pane,
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

const N: KeyModifiers = KeyModifiers::NONE;
const C: KeyModifiers = KeyModifiers::CONTROL;
use KeyCode::{BackTab, Backspace, Char, Down, End, Enter, Esc, F, Home, PageDown, PageUp, Tab, Up};

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
            Cmd::Filter => "filter the list or the recent lookups",
            Cmd::Forget => "forget the selected recent lookup",
            Cmd::Back => "up a level (lists; Esc too)",
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
        Home => "Home".into(),
        End => "End".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
        F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) { format!("Ctrl-{}", base.to_uppercase()) } else { base }
}

/// Help sections: (title, rows of (keys, what)). Built from [`BINDINGS`].
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let mut out = Vec::new();
    for (title, ctx) in [("Anywhere", Ctx::Any), ("In the inputs", Ctx::Input), ("In the panes", Ctx::Pane)] {
        let mut rows: Vec<(String, &'static str)> = Vec::new();
        let mut cmds: Vec<Cmd> = Vec::new();
        for bnd in BINDINGS.iter().filter(|b| b.ctx == ctx) {
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
        out.push((title, rows));
    }
    out.push(("Editing an input", EDITING_HELP.iter().map(|(k, w)| (k.to_string(), *w)).collect()));
    out
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

/// The action for a terminal event in the App's current state, if any.
pub fn action_for(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
            if let Some(cmd) = lookup(Ctx::Any, key) {
                return Some(Action::Cmd(cmd));
            }
            if app.help.is_some() {
                // The help overlay: its own few keys, everything else swallowed.
                return match key.code {
                    Esc | Char('q') | Char('?') => Some(Action::Cmd(Cmd::Help)),
                    Up | Char('k') => Some(Action::Cmd(Cmd::Up)),
                    Down | Char('j') => Some(Action::Cmd(Cmd::Down)),
                    PageUp => Some(Action::Cmd(Cmd::PageUp)),
                    PageDown => Some(Action::Cmd(Cmd::PageDown)),
                    Char('u') | Char('b') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        Some(Action::Cmd(Cmd::PageUp))
                    }
                    Char('d') | Char('f') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        Some(Action::Cmd(Cmd::PageDown))
                    }
                    Char(' ') => Some(Action::Cmd(Cmd::PageDown)),
                    Home | Char('g') => Some(Action::Cmd(Cmd::Top)),
                    End | Char('G') => Some(Action::Cmd(Cmd::Bottom)),
                    _ => None,
                };
            }
            // The Recent pane's and the list's filters are inputs too while they have the keyboard.
            if app.focus.is_input() || app.recent_filter_editing() || app.list_filter_editing() {
                if let Some(cmd) = lookup(Ctx::Input, key) {
                    return Some(Action::Cmd(cmd));
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
            } else {
                lookup(Ctx::Pane, key).map(Action::Cmd)
            }
        }
        Event::Key(_) => None,
        Event::Paste(s) => Some(Action::Paste(s.clone())),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Mouse(m) if app.mouse => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { x: m.column, y: m.row }),
            MouseEventKind::ScrollDown => Some(Action::Wheel { down: true, x: m.column, y: m.row }),
            MouseEventKind::ScrollUp => Some(Action::Wheel { down: false, x: m.column, y: m.row }),
            _ => None,
        },
        _ => None,
    }
}

/// Whether Esc in the focused pane cancels the lookup running in the detail pane: the list
/// (going back a level, or clearing its filter) and the Recent pane's filter take Esc first.
fn esc_cancels_lookup(app: &App) -> bool {
    match app.focus {
        Focus::List => false,
        Focus::Recent => !(app.recent.filtering || app.recent.is_filtered()),
        Focus::Arn | Focus::EndpointId | Focus::Detail => true,
    }
}

/// Short key hints for the status bar, by focus (and what Esc does there).
pub fn hints(app: &App) -> &'static [(&'static str, &'static str)] {
    if app.help.is_some() {
        // Esc last: the hints kept longest when the bar is short.
        return &[("j/k", "scroll"), ("PgUp/PgDn", "page"), ("g/G", "top/end"), ("Esc", "close")];
    }
    if app.is_loading() && esc_cancels_lookup(app) {
        return &[("Esc", "cancel"), ("^C", "quit")];
    }
    if app.list_filter_editing() {
        return &[("Enter", "keep filter"), ("Esc", "clear"), ("↑/↓", "move"), ("^C", "quit")];
    }
    if app.completion_visible() {
        return &[
            ("Tab", "complete"),
            ("↓/↑", "choose"),
            ("Enter", "look up"),
            ("Esc", "close"),
            ("^C", "quit"),
        ];
    }
    match app.focus {
        Focus::List if app.browse.top().is_some_and(|v| v.is_filtered()) => &[
            ("Enter", "open"),
            ("Esc", "clear filter"),
            ("/", "filter"),
            ("j/k", "move"),
            ("r", "reload"),
            ("s", "show/mask"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Focus::List => &[
            ("Enter", "open"),
            ("Esc", "back"),
            ("/", "filter"),
            ("j/k", "move"),
            ("r", "reload"),
            ("s", "show/mask"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Focus::Detail if !app.browse.stack.is_empty() => &[
            ("j/k", "move"),
            ("Esc", "back"),
            ("y", "copy"),
            ("s", "show/mask"),
            ("r", "again"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Focus::Arn | Focus::EndpointId => {
            &[("Enter", "look up"), ("Tab", "next"), ("Esc", "leave input"), ("F1", "help"), ("^C", "quit")]
        }
        Focus::Recent => super::recent::hints(app),
        Focus::Detail => &[
            ("j/k", "move"),
            ("y", "copy"),
            ("Y", "JSON"),
            ("s", "show/mask"),
            ("r", "again"),
            ("?", "help"),
            ("q", "quit"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::Session;

    fn key(code: KeyCode, mods: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, mods))
    }

    #[test]
    fn q_types_in_inputs_and_quits_in_panes() {
        let mut app = App::new(Session::demo());
        assert!(matches!(action_for(&app, &key(Char('q'), N)), Some(Action::Edit(_))));
        app.focus = Focus::Detail;
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
            app.focus = f;
            assert!(matches!(action_for(&app, &key(Char('c'), C)), Some(Action::Cmd(Cmd::Quit))));
        }
        app.help = Some(0);
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
        app.mouse = true;
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
        let before = app.arn.cursor();
        app.update(back.unwrap());
        assert!(app.arn.cursor() < before);
    }

    #[test]
    fn the_help_scrolls_with_the_paging_keys() {
        let mut app = App::new(Session::demo());
        app.help = Some(0);
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
        for b in BINDINGS {
            assert!(text.contains(&key_name(b.code, b.mods)), "{:?}", b);
            assert!(text.contains(b.cmd.describe()), "{:?}", b);
        }
    }
}
