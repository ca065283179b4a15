//! The write keys outside a dialog (`m`, `e`, `D`, `n`): the endpoint they act on (the detail
//! pane's, or the selected row of a user's endpoints), and the confirmation or form each opens.

use super::{ConfirmFocus, ConfirmKind, PREFILL_MAX};
use crate::jobs::worker::{JobRequest, Owner, Query};
use crate::model::write::{EndpointUpdate, Write};
use crate::model::{self, AllowMessages};
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::state::app::{App, Focus};
use crate::tui::state::detail::Detail;
use crate::tui::state::form::Form;
use crate::tui::state::list::Rows;
use tui_input::Input;

/// The endpoint a write key acts on.
struct On {
    user_arn: String,
    endpoint_id: String,
    allow: Option<AllowMessages>,
    name: Option<String>,
    summary: String,
}

impl App {
    /// The endpoint on show: the detail pane's, or the selected row of a user's endpoints.
    fn write_target(&self) -> Option<On> {
        match self.focus() {
            Focus::Detail => {
                let Detail::Endpoint { endpoint, query, .. } = &self.detail else { return None };
                let user = endpoint.app_instance_user_arn.clone().or_else(|| match query {
                    Query::Describe { user_arn, .. } => Some(user_arn.clone()),
                    _ => None,
                })?;
                let summary = type_and_status(
                    endpoint.endpoint_type.as_ref().map(|t| t.to_string()),
                    endpoint.state.as_ref().map(|s| s.status.to_string()),
                );
                Some(On {
                    user_arn: user,
                    endpoint_id: endpoint.endpoint_id.clone()?,
                    allow: endpoint.allow_messages.clone(),
                    name: endpoint.name.clone(),
                    summary,
                })
            }
            Focus::List => {
                let view = self.browse.top()?;
                let i = view.selected()?;
                let Rows::Endpoints(rows) = &view.rows else { return None };
                let r = rows.get(i)?;
                let summary = type_and_status(
                    r.endpoint_type.as_ref().map(|t| t.to_string()),
                    r.state.as_ref().map(|s| s.status.to_string()),
                );
                Some(On {
                    user_arn: r.app_instance_user_arn.clone().unwrap_or_else(|| view.arn().to_string()),
                    endpoint_id: r.endpoint_id.clone()?,
                    allow: r.allow_messages.clone(),
                    name: r.name.clone(),
                    summary,
                })
            }
            _ => None,
        }
    }

    /// The user whose endpoints are listed (for `n`).
    fn listed_user(&self) -> Option<String> {
        if self.focus() != Focus::List {
            return None;
        }
        match &self.browse.top()?.query {
            Query::ListEndpoints { user_arn, .. } => Some(user_arn.clone()),
            _ => None,
        }
    }

    /// `m`, `e`, `D`, `n`, `R`, `t` outside a dialog.
    pub(in crate::tui::state) fn write_key(&mut self, c: Cmd) -> Vec<Effect> {
        if self.readonly() {
            let what = if c == Cmd::TestPush { "a test push is a write" } else { "writes are off" };
            self.notify(Notice::error(format!("Read-only mode: {what} (nothing sent)")));
            return vec![];
        }
        if self.writes.pending.is_some() {
            self.notify(Notice::info("A write is still running: wait for its answer"));
            return vec![];
        }
        if c == Cmd::Register {
            return self.open_register();
        }
        if c == Cmd::Reregister {
            return self.open_reregister();
        }
        if c == Cmd::TestPush {
            return self.open_push_test();
        }
        let Some(on) = self.write_target() else {
            self.notify(Notice::info(
                "Select an endpoint first: in the detail pane, or a row of a user's endpoints",
            ));
            return vec![];
        };
        match c {
            Cmd::FlipMessages => {
                let (from, to) = match on.allow {
                    Some(AllowMessages::None) => ("NONE", AllowMessages::All),
                    Some(AllowMessages::All) => ("ALL", AllowMessages::None),
                    _ => ("not set", AllowMessages::None),
                };
                let lines = vec![
                    format!("AllowMessages: {from} → {to}"),
                    format!("The endpoint then {}.", to.explain()),
                ];
                let w = Write::Update(EndpointUpdate {
                    user_arn: on.user_arn.clone(),
                    endpoint_id: on.endpoint_id.clone(),
                    name: None,
                    allow_messages: Some(to),
                });
                let title = format!("Flip AllowMessages of {}?", model::escape_control(&on.endpoint_id));
                self.writes.confirm = Some(self.confirmation(ConfirmKind::OneKey, w, title, lines, "flip"));
            }
            Cmd::EditEndpoint => {
                self.writes.form = Some(Form::for_edit(
                    &on.user_arn,
                    &on.endpoint_id,
                    on.name.as_deref(),
                    on.allow.as_ref(),
                ));
            }
            Cmd::Deregister => {
                let id = on.endpoint_id.clone();
                let lines = vec![
                    format!(
                        "Deregister endpoint {} of {}{}.",
                        model::escape_control(&id),
                        model::escape_control(model::short_user(&on.user_arn)),
                        if on.summary.is_empty() { String::new() } else { format!(" ({})", on.summary) }
                    ),
                    "Pushes to this device stop until its app registers again.".into(),
                    format!("Type the endpoint ID ({}) to confirm.", model::escape_control(&id)),
                ];
                let w = Write::Deregister { user_arn: on.user_arn.clone(), endpoint_id: id.clone() };
                let kind = ConfirmKind::Typed { want: id.clone(), input: Input::default() };
                let title = format!("Deregister {}?", model::escape_control(&id));
                let mut c = self.confirmation(kind, w, title, lines, "deregister");
                c.focus = ConfirmFocus::Input;
                self.writes.confirm = Some(c);
            }
            _ => {}
        }
        vec![]
    }

    /// `n`: the register form for the listed user; the Resource ARN is prefilled from the
    /// user's other endpoints (read with describes, at most [`PREFILL_MAX`]) when they agree.
    fn open_register(&mut self) -> Vec<Effect> {
        let Some(user) = self.listed_user() else {
            self.notify(Notice::info(
                "n registers an endpoint from a user's endpoint list (Enter on a user)",
            ));
            return vec![];
        };
        let listed = match self.browse.top().map(|v| &v.rows) {
            Some(Rows::Endpoints(rows)) => Some(rows.clone()),
            _ => None,
        };
        let ids: Vec<String> =
            listed.iter().flatten().filter_map(|r| r.endpoint_id.clone()).take(PREFILL_MAX).collect();
        let mut form = Form::register(&user, None, crate::commands::write::new_request_token());
        // The Type the user's endpoints have, when they agree on one.
        let types: Vec<String> = listed
            .iter()
            .flatten()
            .filter_map(|r| r.endpoint_type.as_ref().map(|t| t.as_str().to_string()))
            .collect();
        if let Some(first) = types.first()
            && types.iter().all(|t| t == first)
        {
            form.preselect_type(first);
        }
        form.user_endpoints = listed;
        let mut eff = Vec::new();
        for id in ids {
            let job = self.alloc_id();
            form.prefill_jobs.push(job);
            eff.push(Effect::Job(JobRequest {
                id: job,
                owner: Owner::Prefill,
                query: Query::Describe { user_arn: user.clone(), endpoint_id: id },
            }));
        }
        if !form.prefill_jobs.is_empty()
            && let Some(f) = form.fields.get_mut(1)
        {
            f.note = Some("reading the user's endpoints for their Resource ARN…".into());
        }
        self.writes.form = Some(form);
        eff
    }
}

impl App {
    /// `R` on the endpoint in the detail pane: the register form prefilled from its record,
    /// for a new device token or Resource ARN; the endpoint is deregistered only after the new
    /// one is registered.
    fn open_reregister(&mut self) -> Vec<Effect> {
        let Detail::Endpoint { endpoint, .. } = &self.detail else {
            self.notify(Notice::info(
                "R registers an endpoint again from its record: open the endpoint first (Enter)",
            ));
            return vec![];
        };
        if self.from_history().is_some() {
            self.notify(Notice::info(
                "This is a stored copy: r looks the endpoint up, then R registers it again",
            ));
            return vec![];
        }
        if endpoint.endpoint_id.is_none() || endpoint.app_instance_user_arn.is_none() {
            self.notify(Notice::error("This record has no endpoint ID or user ARN to register again"));
            return vec![];
        }
        let form = Form::reregister(endpoint, crate::commands::write::new_request_token());
        self.writes.form = Some(form);
        vec![]
    }
}

/// "GCM, ACTIVE": what a confirmation names the endpoint by, beside its ID.
fn type_and_status(endpoint_type: Option<String>, status: Option<String>) -> String {
    [endpoint_type, status].into_iter().flatten().collect::<Vec<_>>().join(", ")
}
