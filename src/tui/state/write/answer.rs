//! A write's answer: success says what changed (and offers a deregistered endpoint's record
//! to `Y`), a refusal is explained where it was asked, a lost answer may have been applied;
//! then what the write changed, or may have, is looked up again.

use super::{ConfirmKind, Outgoing};
use crate::jobs::worker::{Answer, JobDone, Query};
use crate::model::write::{Write, Written};
use crate::model::{self, ErrorKind};
use crate::tui::action::{Effect, Notice};
use crate::tui::state::app::{App, Focus};
use crate::tui::state::detail::Detail;

impl App {
    pub(in crate::tui::state) fn write_done(&mut self, done: JobDone) -> Vec<Effect> {
        if let Some(form) = self.writes.form.as_mut()
            && form.prefill_jobs.contains(&done.id)
        {
            let arn = match &done.result {
                Ok(Answer::Endpoint(e)) => e.resource_arn.clone(),
                _ => None,
            };
            form.prefill_answer(done.id, arn);
            return vec![];
        }
        // (The answer to a write given up on is dropped by the router: already reported.)
        let Some(p) = self.writes.pending.take() else { return vec![] };
        let Outgoing::Write(write) = &p.write else {
            // A test push's answer is `push_done`'s (its owner is another).
            self.writes.pending = Some(p);
            return vec![];
        };
        match &done.result {
            Ok(Answer::Written(w)) => self.log_write_answer(write, Ok(&w.endpoint_id), false),
            Ok(_) => {}
            Err(e) => {
                let lost =
                    matches!(e.kind, ErrorKind::Timeout | ErrorKind::Network | ErrorKind::InvalidResponse);
                self.log_write_answer(write, Err(e), lost)
            }
        }
        match done.result {
            Ok(Answer::Written(w)) => {
                let new_id = model::escape_control(&w.endpoint_id).into_owned();
                let mut eff = self.write_succeeded(write, w);
                if let Some(next) = p.then {
                    // A re-registration: the new endpoint is there; now the old one goes.
                    let old = model::escape_control(next.endpoint_id().unwrap_or("?")).into_owned();
                    self.writes.refresh = None;
                    self.writes.replaced_by = Some((next.user_arn().to_string(), new_id.clone()));
                    self.notify(Notice::info(format!("Registered {new_id}; deregistering {old}…")));
                    eff.extend(self.send_write(next, None));
                }
                eff
            }
            Ok(_) => vec![],
            Err(e)
                if matches!(e.kind, ErrorKind::Timeout | ErrorKind::Network | ErrorKind::InvalidResponse) =>
            {
                // Sent, and no answer to trust: it may have been applied.
                self.writes.confirm = None;
                self.writes.form = None;
                self.notify(Notice::error(format!(
                    "{} got no answer ({}): it may have been applied; looking again",
                    p.write.operation(),
                    e.kind.label()
                )));
                self.refresh_after(write, false)
            }
            Err(e) => {
                // The service said no: nothing changed. Explained where it was asked.
                let from_form = self.writes.confirm.as_ref().is_some_and(|c| c.from_form);
                if from_form && let Some(form) = self.writes.form.as_mut() {
                    self.writes.confirm = None;
                    form.failure = Some(e);
                } else if let Some(conf) = self.writes.confirm.as_mut() {
                    conf.error = Some(e);
                    if let ConfirmKind::AwsOnce { .. } = conf.kind {
                        conf.kind = ConfirmKind::OneKey;
                    }
                } else {
                    // No dialog left to explain it in (the second write of a re-registration).
                    let id = model::escape_control(p.write.endpoint_id().unwrap_or("?")).into_owned();
                    self.notify(Notice::error(format!(
                        "{} of {id} refused: {} ({}); {id} is still registered",
                        p.write.operation(),
                        model::escape_control(&e.message),
                        model::escape_control(&e.exception)
                    )));
                }
                vec![]
            }
        }
    }

    fn write_succeeded(&mut self, write: &Write, w: Written) -> Vec<Effect> {
        self.writes.confirm = None;
        self.writes.form = None;
        let id = model::escape_control(&w.endpoint_id).into_owned();
        let mut eff = self.refresh_after(write, matches!(write, Write::Deregister { .. }));
        let text = match write {
            Write::Register(r) => {
                format!("Registered endpoint {id} ({}): the list shows it", r.endpoint_type)
            }
            Write::Update(u) => match (&u.allow_messages, &u.name) {
                (Some(a), None) => format!("AllowMessages of {id} is now {a}"),
                (None, Some(_)) => format!("Name of {id} changed"),
                _ => format!("Name and AllowMessages of {id} changed"),
            },
            Write::Deregister { user_arn, endpoint_id } => {
                self.record_removed(user_arn, endpoint_id, w.removed.as_deref().cloned());
                let recent = if self.has_recent() { "; Recent keeps it" } else { "" };
                if let Some(rec) = w.removed {
                    self.writes.removed = Some((rec, self.now() + crate::tui::state::app::NOTICE_TTL));
                }
                format!("Deregistered {id} · Y copies its record (to register it again){recent}")
            }
        };
        self.writes.refresh = eff.iter().find_map(|e| match e {
            Effect::Job(r) if matches!(r.query, Query::Describe { .. }) => {
                Some((r.id, Notice::ok(text.clone())))
            }
            _ => None,
        });
        self.notify(Notice::ok(text));
        // A re-registration done: the new endpoint in the detail pane, above the user's list.
        if matches!(write, Write::Deregister { .. })
            && let Some((user, new)) = self.writes.replaced_by.take()
        {
            self.set_inputs(&user, &new);
            self.browse.detail_open = !self.browse.stack.is_empty();
            self.set_focus(Focus::Detail);
            self.cursor.put_on_field(0);
            eff.extend(self.start(Query::Describe { user_arn: user, endpoint_id: new.clone() }));
            self.notify(Notice::ok(format!(
                "Registered {} again as {}: its old endpoint is deregistered (Recent keeps its record)",
                model::escape_control(write.endpoint_id().unwrap_or("?")),
                model::escape_control(&new)
            )));
        }
        eff
    }

    /// After the lookup that refreshes a written endpoint: the write's message again, with
    /// what the marks mean.
    pub(in crate::tui::state) fn after_write_refresh(&mut self, id: u64) {
        match self.writes.refresh.take() {
            Some((want, mut n)) if want == id => {
                if self.changed_fields().is_some() {
                    n.text.push_str(" · ◆ marks what changed");
                }
                self.notify(n);
            }
            other => self.writes.refresh = other,
        }
    }

    /// Look again at what a write changed (or may have): the user's endpoint list when on
    /// show, and the endpoint in the detail pane (a deregistered one leaves it, back to the
    /// list it was opened from).
    pub(super) fn refresh_after(&mut self, w: &Write, removed: bool) -> Vec<Effect> {
        let user = w.user_arn().to_string();
        let mut eff = Vec::new();
        let lists_user = self
            .browse
            .top()
            .is_some_and(|v| matches!(&v.query, Query::ListEndpoints { user_arn, .. } if *user_arn == user));
        if lists_user {
            eff.extend(self.reload());
        }
        let shown = match &self.detail {
            Detail::Endpoint { endpoint, .. } => {
                endpoint.app_instance_user_arn.as_deref() == Some(&user)
                    && w.endpoint_id().is_some_and(|id| endpoint.endpoint_id.as_deref() == Some(id))
            }
            _ => false,
        };
        if shown && let Some(id) = w.endpoint_id() {
            if removed {
                // The user stays in view: their remaining endpoints, beneath what the list
                // showed before (Esc goes back to it).
                self.detail = Detail::Empty;
                self.browse.detail_open = false;
                if !lists_user {
                    let list = Query::ListEndpoints { user_arn: user.clone(), next_token: None };
                    if self.browse.stack.is_empty() {
                        eff.extend(self.open_lists(vec![list]));
                    } else {
                        eff.extend(self.browse.cancel_all());
                        self.browse.stack.push(crate::tui::state::list::ListView::new(list));
                        eff.extend(self.more_rows());
                    }
                }
                self.set_focus(Focus::List);
                self.set_inputs(&user, "");
            } else {
                eff.extend(
                    self.start(Query::Describe { user_arn: user.clone(), endpoint_id: id.to_string() }),
                );
            }
        }
        eff
    }

    /// `Y` just after a deregistration copies the removed record (as the mask on screen
    /// says). None: not that moment.
    pub(in crate::tui::state) fn copy_removed(&mut self) -> Option<Vec<Effect>> {
        let (rec, until) = self.writes.removed.as_ref()?;
        if self.now() >= *until {
            self.writes.removed = None;
            return None;
        }
        Some(vec![crate::tui::state::copy::endpoint_json_copy(rec, self.show_secrets)])
    }
}
