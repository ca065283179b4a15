//! Where the keyboard is: [`App::hint_focus`], the status bar's hints (the write keys left out
//! in read-only mode) and the key mode the key map looks keys up in ([`Keyed`]).

use super::*;

impl App {
    /// Whether Esc in the focused pane cancels the lookup running in the detail pane: the
    /// list (going back a level, or clearing its filter) and the Recent pane's filter take
    /// Esc first.
    pub(in crate::tui::state) fn esc_cancels_lookup(&self) -> bool {
        match self.focus {
            Focus::List => false,
            Focus::Recent => !(self.recent.filtering || self.recent.is_filtered()),
            Focus::Arn | Focus::EndpointId | Focus::Detail => true,
        }
    }

    /// Where the keyboard is, for the status bar's hints.
    pub fn hint_focus(&self) -> HintFocus {
        if let Some(h) = self.batch_hint_focus() {
            return h;
        }
        if self.writes.pending.is_some() {
            return HintFocus::Sending;
        }
        if self.export_pending.is_some() {
            return HintFocus::ExportReplace;
        }
        if let Some(c) = &self.writes.confirm {
            return match (&c.kind, c.focus) {
                (
                    crate::tui::state::write::ConfirmKind::Typed { .. },
                    crate::tui::state::write::ConfirmFocus::Input,
                ) => HintFocus::TypedConfirm,
                (crate::tui::state::write::ConfirmKind::Typed { .. }, _) => HintFocus::ConfirmButtons,
                _ => HintFocus::Confirm,
            };
        }
        if self.writes.form.is_some() {
            return HintFocus::Form;
        }
        if self.help.is_some() {
            return HintFocus::Help;
        }
        if self.cmdline.is_open() {
            return HintFocus::Command;
        }
        if let Some(h) = self.scan_hint_focus() {
            return h;
        }
        if self.is_loading() && self.esc_cancels_lookup() {
            return HintFocus::Cancel;
        }
        if self.list_filter_editing() || (self.focus == Focus::Recent && self.recent.filtering) {
            return HintFocus::Filter;
        }
        if self.completion_visible() {
            return HintFocus::Completion;
        }
        match self.focus {
            Focus::List if self.browse.top().is_some_and(|v| v.is_filtered()) => HintFocus::ListFiltered,
            Focus::List => {
                use crate::tui::state::list::Rows;
                // A list's writes are its endpoints': an instance list scans, a user list neither.
                match self.browse.top().map(|v| &v.rows) {
                    Some(Rows::Instances(_)) => HintFocus::InstanceList,
                    Some(Rows::Users(_)) => HintFocus::UserList,
                    _ => HintFocus::List,
                }
            }
            // Esc stops a watch before it goes back to the list.
            Focus::Detail if self.watch.is_some() => HintFocus::Watching,
            Focus::Detail if !self.browse.stack.is_empty() => HintFocus::DetailOfList,
            Focus::Arn | Focus::EndpointId => HintFocus::Input,
            Focus::Recent => HintFocus::Recent,
            Focus::Detail => HintFocus::Detail,
        }
    }

    /// The status bar's hints where the keyboard is.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        if self.readonly() {
            // The write keys are hidden in read-only mode.
            return self
                .hint_focus()
                .hints()
                .iter()
                .filter(|(_, _, cmds)| !cmds.iter().any(|c| crate::tui::state::write::is_write_cmd(*c)))
                .map(|(k, w, _)| (*k, *w))
                .collect();
        }
        keymap::hints(self.hint_focus())
    }
}

impl Keyed for App {
    fn key_mode(&self) -> Mode {
        match self.hint_focus() {
            HintFocus::TypedConfirm | HintFocus::Form => return Mode::Form,
            HintFocus::Confirm
            | HintFocus::ConfirmButtons
            | HintFocus::Sending
            | HintFocus::DryRun
            | HintFocus::ExportReplace => {
                return Mode::Confirm;
            }
            _ => {}
        }
        if self.help.is_some() {
            Mode::Help
        } else if self.cmdline.is_open() {
            Mode::Command
        } else if self.focus.is_input()
            || self.recent_filter_editing()
            || self.list_filter_editing()
            || self.scan_filter_editing()
        {
            // The Recent pane's and the list's filters are inputs too while they have the keyboard.
            Mode::Input
        } else {
            Mode::Pane
        }
    }

    fn mouse_on(&self) -> bool {
        self.mouse
    }
}
