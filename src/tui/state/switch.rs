//! Switching context without restarting: `:profile`, `:region`, `:endpoint-url`.
//!
//! The state asks for the switch ([`Effect::SwitchContext`], with a generation); the event
//! loop builds the new client and a worker for it, and answers [`Action::Switched`] with the
//! same generation. Every request of the old context is cancelled, and an answer to one that
//! arrives later is dropped: job ids only grow, and those up to the context's floor
//! (`context::Contexts`) belong to an earlier context. With `--demo` the embedded service
//! stays: only the region changes.

use super::app::App;
use crate::model;
use crate::tui::action::{ContextSwitch, Effect, Notice};
use crate::tui::state::Session;

impl App {
    /// The account of the resources on show, once an answer named one.
    pub fn account(&self) -> Option<&str> {
        self.context.account()
    }

    /// A switch is being made (the new client is built).
    pub fn switching(&self) -> bool {
        self.context.switching().is_some()
    }

    pub(super) fn switch_profile(&mut self, name: String) -> Vec<Effect> {
        if self.session.is_demo() {
            self.notify(Notice::error(
                "The demo signs with throw-away credentials and has no profiles: :region switches its region",
            ));
            return vec![];
        }
        if !self.cmdline.profiles.is_empty() && !self.cmdline.profiles.contains(&name) {
            let known = self.cmdline.profiles.join(", ");
            self.notify(Notice::error(format!(
                "No profile \"{}\" in the AWS config or credentials file (defined: {known})",
                model::escape_control(&name)
            )));
            return vec![];
        }
        self.ask_switch(ContextSwitch::Profile(name))
    }

    pub(super) fn switch_region(&mut self, region: String) -> Vec<Effect> {
        self.ask_switch(ContextSwitch::Region(region))
    }

    pub(super) fn switch_endpoint_url(&mut self, url: Option<String>) -> Vec<Effect> {
        if self.session.is_demo() {
            self.notify(Notice::error(
                "The demo's endpoint is its embedded service: :region switches its region",
            ));
            return vec![];
        }
        self.ask_switch(ContextSwitch::EndpointUrl(url))
    }

    /// Cancel what runs in the old context and ask the event loop for the new one.
    fn ask_switch(&mut self, to: ContextSwitch) -> Vec<Effect> {
        if self.writes.pending.is_some() {
            self.notify(Notice::error("A write is running: switch once it has answered"));
            return vec![];
        }
        if self.batch_running() {
            self.notify(Notice::error(
                "A batch deregistration is running: switch once it has ended (Esc in the Scan pane stops it)",
            ));
            return vec![];
        }
        let mut eff = self.drop_old_context();
        let generation = self.context.begin_switch();
        let what = match &to {
            ContextSwitch::Profile(p) => format!("profile {}", model::escape_control(p)),
            ContextSwitch::Region(r) => format!("region {}", model::escape_control(r)),
            ContextSwitch::EndpointUrl(Some(u)) => format!("endpoint URL {}", model::escape_control(u)),
            ContextSwitch::EndpointUrl(None) => "the default endpoint".to_string(),
        };
        self.notify(Notice::info(format!("Switching to {what}…")));
        eff.push(Effect::SwitchContext { generation, to });
        eff
    }

    /// Cancel every request in flight (they belong to the context being left): their
    /// answers, should any still come, are dropped by id.
    fn drop_old_context(&mut self) -> Vec<Effect> {
        let mut eff = self.cancel_running();
        eff.extend(self.browse.cancel_all());
        eff.extend(self.stop_watch_quietly());
        eff.extend(self.members_forget());
        self.context.drop_old();
        eff
    }

    /// The event loop built (or failed to build) the client of switch `generation`.
    pub(super) fn switched(&mut self, generation: u64, result: Result<Session, String>) -> Vec<Effect> {
        if !self.context.end_switch(generation) {
            return vec![]; // superseded by a later switch
        }
        match result {
            Err(e) => {
                self.notify(Notice::error(format!("Not switched: {e}")));
                // What was cancelled for the switch is asked again where it was.
                if self.browse.shows_list() { self.more_rows() } else { vec![] }
            }
            Ok(session) => {
                // Requests started while the client was built went to the old one.
                let mut eff = self.drop_old_context();
                // Read-only or not is the session's choice (`--readonly`, `:readonly`), kept,
                // and so is what locked it.
                let readonly = self.session.readonly;
                let readonly_locked = self.session.readonly_locked.take();
                self.session = Session { readonly, readonly_locked, ..session };
                self.context.learn_account(None);
                let region = self.region();
                self.notify(Notice::ok(format!(
                    "Now {} · {region} · {}",
                    if self.session.is_demo() {
                        "demo".to_string()
                    } else {
                        format!("profile {}", self.session.profile)
                    },
                    self.session.target_label()
                )));
                // What is on show is asked again in the new context.
                if self.browse.shows_list() {
                    eff.extend(self.reload());
                }
                eff
            }
        }
    }

    /// Whether an answer belongs to an earlier context (dropped).
    pub(super) fn is_of_old_context(&self, id: u64) -> bool {
        self.context.is_old(id)
    }

    /// Note the account an answer names (for the status bar).
    pub(super) fn learn_account(&mut self, done: &crate::jobs::worker::JobDone) {
        use crate::jobs::worker::{Answer, Query};
        let from_arn = |a: &str| model::parse_chime_arn("ARN", a).ok().map(|p| p.arn.account.clone());
        let acct = match (&done.query, &done.result) {
            (_, Err(_)) => None,
            (Query::Describe { user_arn, .. } | Query::ListEndpoints { user_arn, .. }, _) => {
                from_arn(user_arn)
            }
            (Query::ListUsers { app_instance_arn, .. }, _) => from_arn(app_instance_arn),
            (Query::ListInstances { .. }, Ok(Answer::Instances(p))) => {
                p.items.iter().find_map(|i| i.app_instance_arn.as_deref().and_then(from_arn))
            }
            _ => None,
        };
        if acct.is_some() {
            self.context.learn_account(acct);
        }
    }
}
