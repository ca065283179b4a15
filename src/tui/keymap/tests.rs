//! The key tables checked against the help, the hints and the commands, and keys read in
//! each mode.

// Actions are fed and the state (or some effects) checked: not every effect is used.
#![allow(unused_must_use)]
use super::bindings::{C, N};
use super::hints::hint_keys;
use super::*;
use crate::tui::action::Cmd;
use crate::tui::state::{App, Focus, Session};
use crate::tui::theme::Theme;
use crossterm::event::KeyCode::BackTab;
use crossterm::event::KeyCode::{self, End, Esc, Home, PageDown, PageUp};
use crossterm::event::KeyEvent;

fn key(code: KeyCode, mods: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, mods))
}

#[test]
fn q_types_in_inputs_and_quits_in_panes() {
    let mut app = App::new(Session::demo());
    assert!(matches!(action_for(&app, &key(Char('q'), N)), Some(Action::Edit(_))));
    app.set_focus(Focus::Detail);
    assert!(matches!(action_for(&app, &key(Char('q'), N)), Some(Action::Cmd(Cmd::Quit))));
    assert!(matches!(action_for(&app, &key(Char('G'), KeyModifiers::SHIFT)), Some(Action::Cmd(Cmd::Bottom))));
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
    let text: String =
        help_sections().iter().flat_map(|(_, rows)| rows.iter().map(|(k, w)| format!("{k} {w}\n"))).collect();
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
                        && b.cmd.describe_in(ctx) == what),
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
    use strum::VariantArray;
    for &focus in HintFocus::VARIANTS {
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
        // A short name follows: ":endpoints ARN (:ep)".
        let usage = usage.split(" (:").next().unwrap_or_default();
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

/// The help of a write's confirmation and form describes what the keys do there, not in the
/// panes ("Enter — look up / list", "n Esc — cancel the lookup", "← previous
/// pane" were shown).
#[test]
fn the_dialogs_help_describes_their_own_keys() {
    let sections = help_sections();
    for title in ["In a write's confirmation", "In a write's form"] {
        let (_, rows) = sections.iter().find(|(t, _)| *t == title).expect(title);
        for (keys, what) in rows {
            for pane_words in ["look up", "the lookup", "pane", "list"] {
                assert!(!what.contains(pane_words), "{title}: {keys} says {what:?}");
            }
        }
        let esc = rows.iter().find(|(k, _)| k.split(' ').any(|k| k == "Esc")).expect("Esc row");
        assert!(esc.1.contains("nothing is sent"), "{title}: Esc says {:?}", esc.1);
    }
    let (_, confirm) = sections.iter().find(|(t, _)| *t == "In a write's confirmation").unwrap();
    let enter = confirm.iter().find(|(k, _)| k == "Enter").expect("Enter row");
    assert!(enter.1.contains("button"), "{:?}", enter.1);
}

fn entry(action: &str, keys: &[&str], line: usize) -> crate::config::KeyEntry {
    crate::config::KeyEntry {
        action: action.into(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
        line: Some(line),
    }
}

/// `[keys]` of config.toml over the defaults: the new key works where the old one did, the
/// old one no longer does, the help and the hints show the new one.
#[test]
fn a_users_keys_replace_the_defaults_in_the_help_and_the_hints() {
    let map =
        KeyMap::with_user(&[entry("raw-view", &["V"], 2), entry("watch", &["W", "ctrl-w"], 3)]).unwrap();
    assert_eq!(map.lookup(Ctx::Pane, Char('V'), KeyModifiers::SHIFT), Some(Cmd::RawView));
    assert_eq!(map.lookup(Ctx::Pane, Char('v'), N), None, "v is free again");
    assert_eq!(map.lookup(Ctx::Pane, Char('w'), C), Some(Cmd::Watch));
    let sections = help_sections_with(&map, false);
    let (_, panes) = sections.iter().find(|(t, _)| *t == "In the panes").unwrap();
    assert!(panes.contains(&("V".to_string(), Cmd::RawView.describe())), "{panes:?}");
    assert!(panes.contains(&("W Ctrl-W".to_string(), Cmd::Watch.describe())), "{panes:?}");
    let mut app = App::new(Session::demo());
    app.update(Action::Keys(std::sync::Arc::new(map)));
    app.set_focus(Focus::Detail);
    assert!(app.hints().contains(&("W", "watch")), "{:?}", app.hints());
    assert!(app.hints().contains(&("j/k", "move")), "the others as they were: {:?}", app.hints());
    // And the key is read in the app's tables.
    let v = action_for(&app, &key(Char('V'), KeyModifiers::SHIFT));
    assert!(matches!(v, Some(Action::Cmd(Cmd::RawView))), "{v:?}");
    assert!(action_for(&app, &key(Char('v'), N)).is_none());
}

/// A table named: only there. Where letters type, a plain character is not bound (typing
/// stays typing) and the action keeps its keys there.
#[test]
fn a_table_named_and_the_inputs_typing() {
    let map =
        KeyMap::with_user(&[entry("raw.filter", &["f"], 1), entry("cancel", &["x", "ctrl-g"], 2)]).unwrap();
    assert_eq!(map.lookup(Ctx::Raw, Char('f'), N), Some(Cmd::Filter));
    assert_eq!(map.lookup(Ctx::Raw, Char('/'), N), None);
    assert_eq!(map.lookup(Ctx::Pane, Char('/'), N), Some(Cmd::Filter), "the panes keep /");
    assert_eq!(map.lookup(Ctx::Pane, Char('x'), N), Some(Cmd::Cancel));
    assert_eq!(map.lookup(Ctx::Input, Char('x'), N), None, "x types in the inputs");
    assert_eq!(map.lookup(Ctx::Input, Char('g'), C), Some(Cmd::Cancel));
    assert_eq!(map.lookup(Ctx::Input, Esc, N), None, "replaced by Ctrl-G there");
    assert_eq!(map.lookup(Ctx::Help, Esc, N), Some(Cmd::Help), "the help's own table is not touched");
}

/// An unknown action, table or key, and a key another action has, are refused with the line.
#[test]
fn unknown_actions_and_clashes_are_refused_with_their_line() {
    let e = KeyMap::with_user(&[entry("raw-veiw", &["V"], 7)]).unwrap_err();
    assert_eq!(e.line, Some(7));
    assert!(e.message.contains("raw-veiw") && e.message.contains("raw-view"), "{e:?}");
    let e = KeyMap::with_user(&[entry("nowhere.help", &["V"], 3)]).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("no table"), "{e:?}");
    let e = KeyMap::with_user(&[entry("help", &["hyper-h"], 4)]).unwrap_err();
    assert_eq!(e.line, Some(4));
    assert!(e.message.contains("not a key"), "{e:?}");
    // y is CopyField's in the panes.
    let e = KeyMap::with_user(&[entry("raw-view", &["v"], 1), entry("watch", &["y"], 5)]).unwrap_err();
    assert_eq!(e.line, Some(5), "{e:?}");
    assert!(e.message.contains("copy-field") && e.message.contains("pane"), "{e:?}");
    // Two actions given the same key.
    let e = KeyMap::with_user(&[entry("raw-view", &["V"], 1), entry("watch", &["V"], 2)]).unwrap_err();
    assert!(e.message.contains("given to"), "{e:?}");
    // Ctrl-C quits anywhere: a pane key cannot hide it.
    let e = KeyMap::with_user(&[entry("raw-view", &["ctrl-c"], 9)]).unwrap_err();
    assert!(e.message.contains("quit"), "{e:?}");
    // Moving y away frees it.
    assert!(
        KeyMap::with_user(&[
            entry("copy-field", &["c"], 1),
            entry("copy-command", &["C"], 2),
            entry("watch", &["y"], 3)
        ])
        .is_ok()
    );
}

/// Every action has a name in `[keys]`, and names are found back.
#[test]
fn every_action_has_a_name() {
    for &c in Cmd::ALL {
        assert_eq!(Cmd::named(c.name()), Some(c), "{c:?}");
        assert!(c.name().chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'), "{}", c.name());
    }
    assert_eq!(Cmd::RawView.name(), "raw-view");
}
