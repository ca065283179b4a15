//! What the Recent pane's keys do: move, filter (typed and pasted), Enter, `r` refreshes the
//! selected lookup (saying so when it was made elsewhere), `d` forgets it, and `y` / `Y` / `c`
//! copy its endpoint ID, its stored result, or the AWS CLI command that looks it up where it
//! was looked up; `/` and `d` elsewhere come to the pane.

use super::Context;
use crate::jobs::worker::Query;
use crate::model;
use crate::store::history;
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::state::app::{App, Focus};
use crate::tui::text::MAX_FILTER;
use tui_input::{Input, InputRequest};

/// Forgotten recent lookups kept for `u`, this session (the oldest dropped first).
const MAX_FORGOTTEN: usize = 100;

impl App {
    /// A key in the Recent pane. `None`: not the pane's, handled as anywhere else.
    pub(in crate::tui::state) fn recent_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        if !self.has_recent() {
            return None;
        }
        match c {
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                self.recent.move_by(c);
            }
            Cmd::Submit if self.recent.filtering => self.recent.filtering = false,
            Cmd::Submit => return Some(self.show_selected()),
            Cmd::Cancel if self.recent.filtering || self.recent.is_filtered() => {
                self.recent.filtering = false;
                self.recent.filter = Input::default();
                self.recent.refilter();
            }
            Cmd::Retry => return Some(self.refresh_selected()),
            Cmd::CopyField | Cmd::CopyJson | Cmd::CopyCommand if !self.recent.filtering => {
                return Some(self.copy_entry(c));
            }
            Cmd::Filter => self.recent.filtering = true,
            Cmd::Forget => return Some(self.forget_selected()),
            Cmd::Unforget => return Some(self.unforget()),
            Cmd::FocusNext | Cmd::FocusPrev | Cmd::FocusArn => {
                self.recent.filtering = false;
                return None;
            }
            _ => return None,
        }
        Some(vec![])
    }

    /// `/` or `d` outside the Recent pane.
    pub(in crate::tui::state) fn recent_elsewhere(&mut self, c: Cmd) -> Vec<Effect> {
        if !self.has_recent() {
            self.notify(Notice::info("No recent lookups in this session"));
            return vec![];
        }
        self.set_focus(Focus::Recent);
        if c == Cmd::Filter {
            self.recent.filtering = true;
        } else {
            self.notify(Notice::info("Select a recent lookup, then press d to forget it"));
        }
        vec![]
    }

    /// Edit the filter (keys typed while it has the keyboard).
    pub(in crate::tui::state) fn recent_edit(&mut self, req: InputRequest) {
        if let InputRequest::InsertChar(c) = req
            && (c.is_control() || self.recent.filter.value().len() >= MAX_FILTER)
        {
            return;
        }
        if self.recent.filter.handle(req).is_some_and(|s| s.value) {
            self.recent.refilter();
        }
    }

    /// A paste while the filter has the keyboard.
    pub(in crate::tui::state) fn recent_paste(&mut self, text: &str) {
        let text: String = text.trim().chars().filter(|c| !c.is_control()).take(MAX_FILTER).collect();
        let value = format!("{}{}", self.recent.filter.value(), text);
        let cursor = value.chars().count();
        self.recent.filter = Input::new(value).with_cursor(cursor);
        self.recent.refilter();
    }

    /// A click on screen row `y` of the Recent pane at `area`: select the entry there.
    pub(in crate::tui::state) fn recent_click(&mut self, area: ratatui::layout::Rect, y: u16) {
        if let Some(n) = crate::tui::state::layout::recent_entry_at(self, area, y) {
            self.recent.select(n);
        }
    }

    /// y / Y / c on the selected entry: its endpoint ID, its stored result as JSON (following
    /// the mask, as in the detail pane), the AWS CLI command that looks it up where it was
    /// looked up (its region, profile and endpoint URL).
    pub(super) fn copy_entry(&mut self, c: Cmd) -> Vec<Effect> {
        let Some(e) = self.recent.selected_entry().cloned() else {
            self.notify(Notice::info("No recent lookup selected"));
            return vec![];
        };
        match c {
            Cmd::CopyField => vec![Effect::Copy { what: "endpoint ID".into(), text: e.endpoint_id.clone() }],
            Cmd::CopyJson => match &e.last_result {
                Some(r) => vec![crate::tui::state::copy::endpoint_json_copy(r, self.show_secrets)],
                None => {
                    self.notify(Notice::info("No stored result for this lookup: r looks it up again"));
                    vec![]
                }
            },
            _ => {
                let ctx = Context::of(&e);
                let profile = ctx.profile.as_deref().filter(|p| *p != "default");
                let text = crate::commands::aws_cli::aws_cli_command(
                    &e.user_arn,
                    &e.endpoint_id,
                    &e.region,
                    profile,
                    ctx.endpoint_url.as_deref(),
                );
                vec![Effect::Copy { what: "AWS CLI command".into(), text }]
            }
        }
    }

    /// r: look the selected entry up again.
    pub(super) fn refresh_selected(&mut self) -> Vec<Effect> {
        let Some(entry) = self.recent.selected_entry() else {
            self.notify(Notice::info("No recent lookup selected"));
            return vec![];
        };
        let (arn, id) = (entry.user_arn.clone(), entry.endpoint_id.clone());
        let then = Context::of(entry);
        self.set_inputs(&arn, &id);
        let eff = self.start(Query::Describe { user_arn: arn, endpoint_id: id.clone() });
        let now = self.session_context(&self.region());
        if !then.same_as(&now) {
            self.notify(Notice::info(format!(
                "Looking {} up in {}; it was looked up in {} (the answers will not be compared)",
                model::escape_control(&id),
                now.label(),
                then.label()
            )));
        }
        eff
    }

    /// d: forget the selected entry, here and (at the save) on disk.
    pub(super) fn forget_selected(&mut self) -> Vec<Effect> {
        let Some(entry) = self.recent.selected_entry() else {
            self.notify(Notice::info("No recent lookup selected"));
            return vec![];
        };
        let (arn, id) = (entry.user_arn.clone(), entry.endpoint_id.clone());
        let text = format!(
            "Forgot {} of {}",
            model::escape_control(&id),
            model::escape_control(history::short_user(&arn))
        );
        let at = self.recent.history.position(&arn, &id);
        let entry = entry.clone();
        self.recent.history.forget(&arn, &id);
        if let Some(at) = at {
            if self.recent.forgotten.len() >= MAX_FORGOTTEN {
                self.recent.forgotten.remove(0);
            }
            self.recent.forgotten.push((at, entry));
        }
        self.recent.refilter();
        self.notify(Notice::info(format!("{text} (u brings it back)")));
        vec![Effect::SaveHistory]
    }

    /// `u`: the recent lookup forgotten last comes back where it was (this session only).
    pub(in crate::tui::state) fn unforget(&mut self) -> Vec<Effect> {
        let Some((at, entry)) = self.recent.forgotten.pop() else {
            self.notify(Notice::info(
                "Nothing to bring back: no recent lookup was forgotten in this session",
            ));
            return vec![];
        };
        let text = format!(
            "Brought back {} of {}",
            model::escape_control(&entry.endpoint_id),
            model::escape_control(history::short_user(&entry.user_arn))
        );
        let (arn, id) = (entry.user_arn.clone(), entry.endpoint_id.clone());
        self.recent.history.restore(at, entry);
        self.recent.refilter();
        self.recent.select_key(&arn, &id);
        self.notify(Notice::info(text));
        vec![Effect::SaveHistory]
    }
}
