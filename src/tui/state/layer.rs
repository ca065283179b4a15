//! Who gets a key: the layers that can hold the keyboard, and the one place their precedence
//! is decided ([`App::layers`]).
//!
//! A key goes down the stack, top first, until a layer takes it ([`App::command`],
//! [`App::edit`], [`App::paste_text`]); a layer that lets a key pass answers `None`. The status
//! bar's hints are those of the topmost layer that has any ([`App::hint_focus`]); the key map
//! looks keys up in the top layer's mode ([`Keyed::key_mode`]); drawing paints the overlays
//! bottom up (`ui::draw_frame`) over the body that [`App::body`] names.
//!
//! Each layer's own handling lives with its feature: the dialogs in `write/`, `batch.rs` and
//! `export.rs`, the command line in `command/`, the scan in `scan.rs`, the panes in
//! `app/update.rs` (which hands lists, completions and Recent their keys).

use super::app::App;
use crate::tui::action::{Cmd, Effect};
use crate::tui::keymap::{HintFocus, Keyed, Mode};
use tui_input::InputRequest;

/// A layer of the screen that can hold the keyboard, from the top down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::VariantArray)]
pub enum Layer {
    /// A batch's dialogs: the dry run, the typed confirmation, the first write to AWS.
    Batch,
    /// A write on its way: its own hints (Esc stops waiting); its keys go on down.
    Sending,
    /// `:export` onto a file that exists: y replaces it, n keeps it.
    ExportReplace,
    /// A write's confirmation.
    Confirm,
    /// A write's form (register, edit, re-register).
    Form,
    /// The help overlay.
    Help,
    /// The raw view of a record (`v`).
    Raw,
    /// A user's channel memberships (`M`, `:memberships`).
    Members,
    /// The last actions (`a`, `:actions`).
    Actions,
    /// The command line (`:`).
    CommandLine,
    /// The offer to resume a scan from its checkpoint.
    ScanResume,
    /// The Scan pane, or an endpoint opened from it, holding the body.
    Scan,
    /// The panes: the inputs, the detail pane or a list in the body, Recent.
    Panes,
}

/// What the body of the screen (below the inputs, beside Recent) shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// The detail pane: an endpoint, a lookup running, a message.
    Detail,
    /// A list being browsed (instances, users, endpoints).
    List,
    /// The Scan pane.
    Scan,
}

impl Body {
    pub fn is_list(self) -> bool {
        self == Body::List
    }
}

impl App {
    /// The layers shown, top first: the one place their precedence is decided. The panes are
    /// always last.
    pub fn layers(&self) -> Vec<Layer> {
        let w = &self.writes;
        [
            (Layer::Batch, w.batch.is_some()),
            (Layer::Sending, w.pending.is_some()),
            (Layer::ExportReplace, self.export_pending.is_some()),
            (Layer::Confirm, w.confirm.is_some()),
            (Layer::Form, w.form.is_some()),
            (Layer::Help, self.help().is_some()),
            (Layer::Raw, self.raw.is_some()),
            (Layer::Members, self.members.open),
            (Layer::Actions, self.actions.open),
            (Layer::CommandLine, self.cmdline.is_open()),
            (Layer::ScanResume, self.scan.offer.is_some()),
            (Layer::Scan, self.scan_covers()),
            (Layer::Panes, true),
        ]
        .into_iter()
        .filter_map(|(l, shown)| shown.then_some(l))
        .collect()
    }

    /// The layer with the keyboard.
    pub fn layer(&self) -> Layer {
        self.layers().first().copied().unwrap_or(Layer::Panes)
    }

    /// What the body shows.
    pub fn body(&self) -> Body {
        if self.scan_view().is_some() {
            Body::Scan
        } else if self.browse.shows_list() && !self.scan_covers() {
            Body::List
        } else {
            Body::Detail
        }
    }

    /// A key's command, down the stack until a layer takes it.
    pub(in crate::tui::state) fn command(&mut self, c: Cmd) -> Vec<Effect> {
        for layer in self.layers() {
            let taken = match layer {
                Layer::Batch | Layer::Confirm | Layer::Form => Some(self.write_dialog_command(c)),
                Layer::Sending => None,
                Layer::ExportReplace => self.export_pending_command(c),
                Layer::Help => Some(self.help_command(c)),
                Layer::Raw => Some(self.raw_command(c)),
                Layer::Members => Some(self.members_command(c)),
                Layer::Actions => Some(self.actions_command(c)),
                Layer::CommandLine => {
                    if c == Cmd::Submit && self.scan_covers() {
                        let line = self.cmdline.value().trim().trim_start_matches(':').to_string();
                        self.scan_before_command_line(line.split_whitespace().next());
                    }
                    Some(self.command_line_key(c))
                }
                Layer::ScanResume => Some(self.scan_offer_command(c)),
                // S is the panes' (it scans what they name, the Scan pane's instance too), and
                // so are v, a and M.
                Layer::Scan if matches!(c, Cmd::Scan | Cmd::RawView | Cmd::Actions | Cmd::Memberships) => {
                    None
                }
                Layer::Scan => self.scan_pane_command(c),
                Layer::Panes => Some(self.panes_command(c)),
            };
            if let Some(eff) = taken {
                return eff;
            }
        }
        vec![]
    }

    /// An edit of what is typed, down the stack until a layer takes it.
    pub(in crate::tui::state) fn edit(&mut self, req: InputRequest) {
        for layer in self.layers() {
            let taken = match layer {
                Layer::Batch | Layer::Confirm | Layer::Form => self.write_edit(req),
                Layer::CommandLine => {
                    self.command_line_edit(req);
                    true
                }
                Layer::Scan => self.scan_edit(req),
                Layer::Raw => self.raw_edit(req),
                Layer::Panes => {
                    self.panes_edit(req);
                    true
                }
                Layer::Sending
                | Layer::ExportReplace
                | Layer::Help
                | Layer::ScanResume
                | Layer::Members
                | Layer::Actions => false,
            };
            if taken {
                return;
            }
        }
    }

    /// A paste, down the stack until a layer takes it.
    pub(in crate::tui::state) fn paste_text(&mut self, text: &str) {
        for layer in self.layers() {
            let taken = match layer {
                Layer::Batch | Layer::Confirm | Layer::Form => self.write_paste(text),
                Layer::CommandLine => {
                    self.command_line_paste(text);
                    true
                }
                Layer::Panes => {
                    self.paste(text);
                    true
                }
                Layer::Raw => {
                    for ch in text.chars().filter(|c| !c.is_control()) {
                        self.raw_edit(InputRequest::InsertChar(ch));
                    }
                    true
                }
                Layer::Sending
                | Layer::ExportReplace
                | Layer::Help
                | Layer::ScanResume
                | Layer::Scan
                | Layer::Members
                | Layer::Actions => false,
            };
            if taken {
                return;
            }
        }
    }

    /// Where the keyboard is, for the status bar's hints: the topmost layer's that has any.
    pub fn hint_focus(&self) -> HintFocus {
        self.layers()
            .into_iter()
            .find_map(|layer| match layer {
                Layer::Batch => self.batch_hint_focus(),
                Layer::Sending => Some(HintFocus::Sending),
                Layer::ExportReplace => Some(HintFocus::ExportReplace),
                Layer::Confirm => self.confirm_hint_focus(),
                Layer::Form => Some(HintFocus::Form),
                Layer::Help => Some(HintFocus::Help),
                Layer::Raw if self.raw_search_editing() => Some(HintFocus::RawSearch),
                Layer::Raw => Some(HintFocus::Raw),
                Layer::Members => Some(HintFocus::Members),
                Layer::Actions => Some(HintFocus::Actions),
                Layer::CommandLine => Some(HintFocus::Command),
                Layer::ScanResume => Some(HintFocus::ScanResume),
                Layer::Scan => self.scan_hint_focus(),
                Layer::Panes => Some(self.panes_hint_focus()),
            })
            .unwrap_or(HintFocus::Input)
    }
}

impl Keyed for App {
    fn keymap(&self) -> &crate::tui::keymap::KeyMap {
        self.chrome.keymap()
    }

    fn key_mode(&self) -> Mode {
        match self.layer() {
            Layer::Batch | Layer::Sending | Layer::ExportReplace | Layer::Confirm | Layer::Form => {
                match self.hint_focus() {
                    HintFocus::TypedConfirm | HintFocus::Form => Mode::Form,
                    _ => Mode::Confirm,
                }
            }
            Layer::Help => Mode::Help,
            Layer::Raw if self.raw_search_editing() => Mode::Input,
            Layer::Raw => Mode::Raw,
            Layer::Members => Mode::Members,
            Layer::Actions => Mode::Actions,
            Layer::CommandLine => Mode::Command,
            Layer::ScanResume | Layer::Scan | Layer::Panes => {
                // The Recent pane's, the list's and the Scan pane's filters are inputs too while
                // they have the keyboard.
                if self.focus().is_input()
                    || self.recent_filter_editing()
                    || self.list_filter_editing()
                    || self.scan_filter_editing()
                {
                    Mode::Input
                } else {
                    Mode::Pane
                }
            }
        }
    }

    fn mouse_on(&self) -> bool {
        self.mouse()
    }
}

#[cfg(test)]
mod tests {
    // Actions are fed and the state checked: not every effect is used.
    #![allow(unused_must_use)]
    use super::*;
    use crate::tui::action::Action;
    use crate::tui::state::Focus;
    use crate::tui::state::Session;

    #[test]
    fn the_panes_are_always_the_bottom_layer_and_alone_at_rest() {
        let a = App::new(Session::demo());
        assert_eq!(a.layers(), vec![Layer::Panes]);
        assert_eq!(a.body(), Body::Detail);
    }

    #[test]
    fn help_over_the_command_line_takes_the_keys_and_the_hints() {
        let mut a = App::new(Session::demo());
        a.set_focus(Focus::Detail);
        a.update(Action::Cmd(Cmd::CommandLine));
        assert_eq!(a.layer(), Layer::CommandLine);
        assert_eq!(a.key_mode(), Mode::Command);
        a.chrome.set_help(Some(0));
        assert_eq!(a.layers()[..2], [Layer::Help, Layer::CommandLine]);
        assert_eq!(a.hint_focus(), HintFocus::Help);
        assert_eq!(a.key_mode(), Mode::Help);
        // Esc closes the top layer only.
        a.update(Action::Cmd(Cmd::Cancel));
        assert_eq!(a.layer(), Layer::CommandLine);
    }
}
