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
//!
//! - `mod.rs`: [`action_for`], an event to its action in the state's mode
//! - `bindings`: the key tables ([`BINDINGS`]), the modes and how a key is written
//! - `hints`: the status bar's hints for each place the keyboard can be ([`HintFocus`])
//! - `help`: the help's sections, the `:` commands ([`COMMANDS`]) and what each command does

mod bindings;
mod help;
mod hints;
mod keys;

pub use bindings::{BINDINGS, Binding, Ctx, KeyError, KeyMap, Mode, is_write, key_name};
pub use help::{
    ALIASES, COMMANDS, CommandSpec, EDITING_HELP, SECTIONS, command_help, help_lines, help_lines_for,
    help_lines_with, help_sections, help_sections_for, help_sections_with, unalias,
};
pub use hints::{Hint, HintFocus, hints};
pub use keys::parse_key;

use super::action::Action;
use crossterm::event::KeyCode::Char;
use crossterm::event::{Event, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

/// What the keymap needs to know of the state.
pub trait Keyed {
    fn key_mode(&self) -> Mode;
    /// Mouse support on.
    fn mouse_on(&self) -> bool;
    /// The key tables in use (the defaults with the user's `[keys]` over them).
    fn keymap(&self) -> &KeyMap {
        KeyMap::defaults()
    }
}

/// The action for a terminal event in the state's current mode, if any: the mode's table
/// first, then [`Ctx::Any`] (so that Tab completes on the command line), then, in a mode
/// that edits text, the text-input crate's editing keys.
pub fn action_for<K: Keyed + ?Sized>(app: &K, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
            let mode = app.key_mode();
            // Terminals report Shift with upper-case letters, '?' and Shift-Tab; the
            // character already says it (see `bindings::same_key`).
            let map = app.keymap();
            if let Some(cmd) = map.lookup(Ctx::of(mode), key.code, key.modifiers) {
                return Some(Action::Cmd(cmd));
            }
            if let Some(cmd) = map.lookup(Ctx::Any, key.code, key.modifiers) {
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

#[cfg(test)]
mod tests;
