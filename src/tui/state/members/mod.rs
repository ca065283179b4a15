//! A user's channel memberships (`M`, `:memberships`, `:ch`): every membership of the user
//! (ListChannelMembershipsForAppInstanceUser, every page, then GetChannelMembershipPreferences a
//! channel, read as the user and paced by the worker: `jobs::memberships`), each with its
//! channel's name and ARN and the member's push preference (ALL, NONE: muted, FILTERED and its
//! rule) judged by the doctor's membership gate (`doctor::membership`). Read only when asked:
//! they cost one request a channel. An overlay over the
//! panes: Enter shows the selected preference in full, `v` its JSON in the raw view, `y` copies
//! the channel's ARN, `r` reads them again. The trace of the detail pane reads the same rows for
//! its membership gate (`state::trace`).

use crate::jobs::worker::{Answer, JobDone, JobRequest, Owner, Query};
use crate::model;
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::state::app::{App, Focus};
use crate::tui::state::detail::Detail;
use crate::tui::state::list::Rows;
use crate::tui::state::raw::view::RawView;

pub mod list;

pub use list::{Members, Membership};

impl App {
    /// The memberships list (open or not: the trace reads it too).
    pub fn members(&self) -> &Members {
        &self.members
    }

    /// The AWS CLI command that reads the selected membership's preferences, as the member.
    pub fn membership_command(&self) -> Option<String> {
        let m = self.members.selected()?;
        let channel = m.of.membership.channel_arn.clone();
        let region = model::messaging::channel_region(&channel)
            .map(str::to_string)
            .unwrap_or_else(|_| self.arn_region(&self.members.user_arn));
        let user = self.members.user_arn.clone();
        let args = [("--channel-arn", channel), ("--member-arn", user.clone()), ("--chime-bearer", user)];
        Some(self.cli_for_in("chime-sdk-messaging", "get-channel-membership-preferences", &args, &region))
    }

    /// The user the panes name: the Scan pane's row under the cursor, the endpoint on show, the
    /// selected user or the user whose endpoints are listed, else the ARN input's.
    fn user_in_view(&self) -> Option<String> {
        if let Some(row) = self.scan_row_under_cursor() {
            return Some(row.app_instance_user_arn);
        }
        match self.focus() {
            Focus::List => {
                let view = self.browse.top()?;
                match &view.rows {
                    Rows::Users(rows) => rows.get(view.selected()?)?.app_instance_user_arn.clone(),
                    Rows::Endpoints(_) => Some(view.arn().to_string()),
                    Rows::Instances(_) => None,
                }
            }
            _ => match &self.detail {
                Detail::Endpoint { query: Query::Describe { user_arn, .. }, .. } => Some(user_arn.clone()),
                Detail::Endpoint { endpoint, .. } => endpoint.app_instance_user_arn.clone(),
                _ => None,
            }
            .or_else(|| self.arn_check().is_ok().then(|| self.arn().value().to_string())),
        }
    }

    /// `M`, `:memberships [ARN]`: open the memberships of the user named (or in view), reading
    /// them unless they are read already.
    pub(in crate::tui::state) fn open_memberships(&mut self, arn: Option<String>) -> Vec<Effect> {
        let Some(user) = arn.or_else(|| self.user_in_view()) else {
            self.notify(Notice::info(
                "M lists a user's channel memberships: open an endpoint, select a user, or :memberships ARN",
            ));
            return vec![];
        };
        if model::parse_user_arn(&user).is_err() {
            self.notify(Notice::error(format!(
                "Not a user ARN: {} (:memberships ARN)",
                model::escape_control(&user)
            )));
            return vec![];
        }
        self.members.open = true;
        if self.members.of_user(&user).is_some() || self.members.reading(&user) {
            return vec![];
        }
        self.read_memberships(&user)
    }

    /// Read `user`'s memberships (again).
    fn read_memberships(&mut self, user: &str) -> Vec<Effect> {
        let id = self.alloc_id();
        self.members.start(user, id);
        vec![Effect::Job(JobRequest {
            id,
            owner: Owner::Members,
            query: Query::Memberships { user_arn: user.to_string() },
        })]
    }

    /// The context is left (`:profile`, `:region`, `:endpoint-url`): what was read there is
    /// forgotten and a read running cancelled.
    pub(in crate::tui::state) fn members_forget(&mut self) -> Vec<Effect> {
        let eff = self.members.loading.map(Effect::CancelJob).into_iter().collect();
        self.members = Members::default();
        eff
    }

    /// The memberships' answer.
    pub(in crate::tui::state) fn members_done(&mut self, done: JobDone) -> Vec<Effect> {
        match done.result {
            Ok(Answer::Memberships(read)) => self.members.loaded(read),
            Ok(_) => {}
            Err(e) => self.members.failed(e),
        }
        vec![]
    }

    /// A key while the memberships are open: its own, everything else swallowed.
    pub(in crate::tui::state) fn members_command(&mut self, c: Cmd) -> Vec<Effect> {
        let page = self.size().1.saturating_sub(12).max(1) as usize;
        if let Some(step) = crate::tui::state::cursor::step(c) {
            self.members.picker.move_by(step, page);
            return vec![];
        }
        match c {
            Cmd::Cancel | Cmd::Memberships => self.members.open = false,
            Cmd::Quit => return self.quit_all(),
            Cmd::Submit => self.members.expanded = !self.members.expanded,
            Cmd::Retry => {
                let user = self.members.user_arn.clone();
                if self.members.loading.is_none() && !user.is_empty() {
                    return self.read_memberships(&user);
                }
            }
            Cmd::RawView => match self.members.selected() {
                Some(m) => {
                    let text = serde_json::to_string_pretty(&m.json()).unwrap_or_default();
                    self.raw = Some(RawView::new("membership".into(), &text, &text));
                }
                None => self.notify(Notice::info("No membership to view")),
            },
            Cmd::CopyField => {
                if let Some(m) = self.members.selected() {
                    let text = m.of.membership.channel_arn.clone();
                    return vec![Effect::Copy { what: "channel ARN".into(), text }];
                }
            }
            _ => {}
        }
        vec![]
    }
}

#[cfg(test)]
mod tests;
