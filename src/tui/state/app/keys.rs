//! The hints of the dialogs and the panes (the layers' order is `state::layer`'s), and the
//! status bar's hints, the write keys left out in read-only mode.

use super::*;

impl App {
    /// Whether Esc in the focused pane cancels the lookup running in the detail pane: the
    /// list (going back a level, or clearing its filter) and the Recent pane's filter take
    /// Esc first.
    pub(in crate::tui::state) fn esc_cancels_lookup(&self) -> bool {
        match self.focus() {
            Focus::List => false,
            Focus::Recent => !(self.recent.filtering || self.recent.is_filtered()),
            Focus::Arn | Focus::EndpointId | Focus::Detail => true,
        }
    }

    /// The confirmation's hints: a typed one while its input or its buttons have the keyboard.
    pub(in crate::tui::state) fn confirm_hint_focus(&self) -> Option<HintFocus> {
        use crate::tui::state::write::{ConfirmFocus, ConfirmKind};
        let c = self.writes.confirm.as_ref()?;
        if c.write.is_push() && !matches!(c.kind, ConfirmKind::AwsOnce { .. }) {
            use crate::tui::state::write::PushFix;
            return Some(match c.pushed.as_ref().map(|p| p.fix) {
                None => HintFocus::PushConfirm,
                Some(Some(PushFix::Reregister)) => HintFocus::PushAnswer,
                Some(Some(PushFix::Deregister)) => HintFocus::PushAnswerDeregister,
                Some(None) => HintFocus::PushAnswered,
            });
        }
        Some(match (&c.kind, c.focus) {
            (ConfirmKind::Typed { .. }, ConfirmFocus::Input) => HintFocus::TypedConfirm,
            (ConfirmKind::Typed { .. }, _) => HintFocus::ConfirmButtons,
            _ => HintFocus::Confirm,
        })
    }

    /// The panes' hints (the bottom layer's): a lookup to cancel, a filter being typed, the
    /// completions, else the focused pane's.
    pub(in crate::tui::state) fn panes_hint_focus(&self) -> HintFocus {
        if self.is_loading() && self.esc_cancels_lookup() {
            return HintFocus::Cancel;
        }
        if self.list_filter_editing() || (self.focus() == Focus::Recent && self.recent.filtering) {
            return HintFocus::Filter;
        }
        if self.completion_visible() {
            return HintFocus::Completion;
        }
        match self.focus() {
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
            Focus::Detail if self.watch().is_some() => HintFocus::Watching,
            Focus::Detail if !self.browse.stack.is_empty() => HintFocus::DetailOfList,
            Focus::Arn | Focus::EndpointId => HintFocus::Input,
            Focus::Recent => HintFocus::Recent,
            Focus::Detail => HintFocus::Detail,
        }
    }

    /// The status bar's hints where the keyboard is.
    /// Their keys are the user's where `[keys]` in config.toml rebinds them.
    pub fn hints(&self) -> Vec<(&str, &'static str)> {
        let focus = self.hint_focus();
        let readonly = self.readonly();
        focus
            .hints()
            .iter()
            .enumerate()
            // The write keys are hidden in read-only mode.
            .filter(|(_, (_, _, cmds))| {
                !(readonly && cmds.iter().any(|c| crate::tui::state::write::is_write_cmd(*c)))
            })
            .map(|(i, (k, w, _))| (self.chrome.keymap().hint_label(focus, i, k), *w))
            .collect()
    }

    /// The key tables in use.
    pub fn keymap(&self) -> &keymap::KeyMap {
        self.chrome.keymap()
    }
}
