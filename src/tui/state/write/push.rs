//! `t`: a test push to the endpoint on show (the detail pane's, or the selected row of a user's
//! endpoints, whose record is read first for its token). It asks in the writes' confirmation
//! (the equivalent `aws pinpoint send-messages`, the token masked while secrets are; `s` a
//! silent push instead), sends one SendMessages per `y` as a worker job, and shows the
//! provider's answer in words in the same dialog. After a permanent failure of the token the
//! fix is offered there: `D` deregisters, `R` registers the UpdatedToken the provider gave.
//! Against AWS the first test push of a session names the account and region. The token is
//! never in a message, a log line or the history.

use super::{Confirm, ConfirmKind, LastPush, Outgoing, Pending, PushFix, PushShown};
use crate::jobs::worker::{Answer, JobDone, JobRequest, Owner, Query};
use crate::model::push::{self, PushSend, TestPush};
use crate::model::{self, Endpoint, ErrorKind};
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::state::app::{App, Focus};
use crate::tui::state::detail::Detail;
use crate::tui::state::form::Form;
use crate::tui::state::list::Rows;

impl App {
    /// `t` outside a dialog (read-only mode and a write in flight were refused before).
    pub(super) fn open_push_test(&mut self) -> Vec<Effect> {
        match self.focus() {
            Focus::Detail => {
                let Detail::Endpoint { endpoint, query, .. } = &self.detail else {
                    self.notify(Notice::info("t sends a test push to an endpoint: open one first"));
                    return vec![];
                };
                if self.from_history().is_some() {
                    self.notify(Notice::info(
                        "This is a stored copy: r looks the endpoint up, then t sends a test push",
                    ));
                    return vec![];
                }
                let user = match query {
                    Query::Describe { user_arn, .. } => user_arn.clone(),
                    _ => endpoint.app_instance_user_arn.clone().unwrap_or_default(),
                };
                let endpoint = endpoint.clone();
                self.push_confirm_for(&endpoint, &user, TestPush::default());
                vec![]
            }
            Focus::List => {
                let Some(view) = self.browse.top() else { return vec![] };
                let (Some(i), Rows::Endpoints(rows)) = (view.selected(), &view.rows) else {
                    self.notify(Notice::info(
                        "t sends a test push to an endpoint: select one of a user's endpoints",
                    ));
                    return vec![];
                };
                let Some(r) = rows.get(i) else { return vec![] };
                let (Some(id), user) = (
                    r.endpoint_id.clone(),
                    r.app_instance_user_arn.clone().unwrap_or_else(|| view.arn().to_string()),
                ) else {
                    return vec![];
                };
                // A list row has no token: the record is read first.
                let job = self.alloc_id();
                self.writes.push.reading = Some(job);
                self.notify(Notice::info(format!(
                    "Reading endpoint {} for its token…",
                    model::escape_control(&id)
                )));
                vec![Effect::Job(JobRequest {
                    id: job,
                    owner: Owner::PushTest,
                    query: Query::Describe { user_arn: user, endpoint_id: id },
                })]
            }
            _ => {
                self.notify(Notice::info(
                    "Select an endpoint first: in the detail pane, or a row of a user's endpoints",
                ));
                vec![]
            }
        }
    }

    /// The confirmation of a test push to `ep`, or why there can be none.
    fn push_confirm_for(&mut self, ep: &Endpoint, user_arn: &str, msg: TestPush) {
        match PushSend::to_endpoint(ep, user_arn, false, msg) {
            Ok(p) => {
                self.writes.push.record = Some(Box::new(ep.clone()));
                self.writes.confirm = Some(self.push_confirmation(p));
            }
            Err(e) => self.notify(Notice::error(format!("No test push: {e} (nothing sent)"))),
        }
    }

    /// What a test push's confirmation says: where it goes, what it shows, the AWS CLI command
    /// (the token masked while secrets are).
    fn push_confirmation(&self, p: PushSend) -> Confirm {
        let esc = |s: &str| model::escape_control(s).into_owned();
        let cli = self.cli_texts(|masked: bool| {
            self.cli_for_in("pinpoint", "send-messages", &p.cli_args(masked), &p.region)
        });
        let what = if p.push.silent {
            "A silent push (background, nothing shown): the provider still answers for the token. s: an alert instead."
                .to_string()
        } else {
            format!(
                "An alert titled \"{}\": the device shows it. s: a silent push instead.",
                esc(p.push.title())
            )
        };
        let lines = vec![
            format!(
                "Send one test push to endpoint {} ({}) of {}.",
                esc(&p.endpoint_id),
                p.endpoint_type,
                esc(model::short_user(&p.user_arn))
            ),
            format!(
                "Through Pinpoint app {} ({}) on the {} channel, to its DeviceToken ({} chars).",
                esc(&p.app_id),
                esc(&p.region),
                p.channel.label(),
                p.token.chars().count()
            ),
            what,
            "It notifies a real device: one push per y.".into(),
        ];
        let title = format!("Test push to {}?", esc(&p.endpoint_id));
        Self::confirm_of(ConfirmKind::OneKey, Outgoing::Push(Box::new(p)), title, lines, "send", cli)
    }

    /// Send the test push `p` as a job.
    pub(super) fn send_push(&mut self, p: PushSend) -> Vec<Effect> {
        let id = self.alloc_id();
        let write = Outgoing::Push(Box::new(p.clone()));
        self.writes.pending = Some(Pending { id, write, started: self.now(), then: None });
        vec![Effect::Job(JobRequest { id, owner: Owner::PushTest, query: Query::PushTest(Box::new(p)) })]
    }

    /// Whether job `id` is a test push's (its record read, or the push sent).
    pub(in crate::tui::state) fn push_awaits(&self, id: u64) -> bool {
        self.writes.push.reading == Some(id)
            || self.writes.pending.as_ref().is_some_and(|p| p.id == id && p.write.is_push())
    }

    /// A test push's job answered: the record read (the confirmation opens), or the push's
    /// answer (shown in the dialog, in words, with the fix).
    pub(in crate::tui::state) fn push_done(&mut self, done: JobDone) -> Vec<Effect> {
        if self.writes.push.reading == Some(done.id) {
            self.writes.push.reading = None;
            match done.result {
                Ok(Answer::Endpoint(ep)) => {
                    let user = match &done.query {
                        Query::Describe { user_arn, .. } => user_arn.clone(),
                        _ => String::new(),
                    };
                    self.push_confirm_for(&ep, &user, TestPush::default());
                }
                Ok(_) => {}
                Err(e) => self.notify(Notice::error(format!(
                    "No test push: the endpoint could not be read ({}): {} (nothing sent)",
                    model::escape_control(&e.exception),
                    model::escape_control(&e.message)
                ))),
            }
            return vec![];
        }
        let Some(p) = self.writes.pending.take() else { return vec![] };
        let Outgoing::Push(sent) = p.write else { return vec![] };
        match done.result {
            Ok(Answer::Pushed(a)) => {
                let words = push::explain(&a.result, &sent.endpoint_type);
                let shown = PushShown {
                    fix: push::offered_fix(&a.result),
                    result: a.result.clone(),
                    words: words.clone(),
                };
                let ok = a.result.successful();
                let status = shown.status();
                self.log_push(&sent, model::escape_control(&status).into_owned(), ok);
                self.writes.push.last = Some(LastPush {
                    user_arn: sent.user_arn.clone(),
                    endpoint_id: sent.endpoint_id.clone(),
                    channel: sent.channel,
                    result: a.result,
                    words,
                });
                let id = model::escape_control(&sent.endpoint_id).into_owned();
                if let Some(conf) = self.writes.confirm.as_mut() {
                    conf.kind = ConfirmKind::OneKey;
                    conf.title = format!("Test push to {id}: the provider's answer");
                    conf.pushed = Some(shown);
                    // It was sent: no more "one push per y" (y sends nothing now).
                    if let Some(last) = conf.lines.last_mut() {
                        *last = "One push was sent.".into();
                    }
                }
                if ok {
                    self.notify(Notice::ok(format!("Test push to {id}: {status}, accepted by the provider")));
                } else {
                    self.notify(Notice::error(format!("Test push to {id}: {status}")));
                }
            }
            Ok(_) => {}
            Err(e)
                if matches!(e.kind, ErrorKind::Timeout | ErrorKind::Network | ErrorKind::InvalidResponse) =>
            {
                self.writes.confirm = None;
                self.log_push_error(&sent, &e, true);
                self.notify(Notice::error(format!(
                    "SendMessages got no answer ({}): the test push may have been sent",
                    e.kind.label()
                )));
            }
            Err(e) => {
                // Pinpoint said no: nothing was sent. Explained where it was asked.
                self.log_push_error(&sent, &e, false);
                if let Some(conf) = self.writes.confirm.as_mut() {
                    conf.error = Some(e);
                    conf.kind = ConfirmKind::OneKey;
                } else {
                    self.notify(Notice::error(format!(
                        "Test push refused: {} ({})",
                        model::escape_control(&e.message),
                        model::escape_control(&e.exception)
                    )));
                }
            }
        }
        vec![]
    }

    /// A key in a test push's confirmation, or in the dialog showing its answer. None: the
    /// confirmation's usual handling (y, c, Esc).
    pub(super) fn push_dialog_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        let conf = self.writes.confirm.as_mut()?;
        let Outgoing::Push(p) = &conf.write else { return None };
        if let Some(shown) = &conf.pushed {
            let fix = shown.fix;
            return Some(match (c, fix) {
                (Cmd::Cancel | Cmd::Submit, _) => {
                    self.writes.confirm = None;
                    vec![]
                }
                (Cmd::CopyCommand, _) => return None,
                (Cmd::Deregister, Some(_)) => {
                    // The fix, in place: the typed deregistration of this endpoint.
                    self.writes.confirm = None;
                    self.write_key(Cmd::Deregister)
                }
                (Cmd::Reregister, Some(PushFix::Reregister)) => self.reregister_with_updated_token(),
                _ => {
                    let keys = match fix {
                        Some(PushFix::Reregister) => "R registers the new token, D deregisters, Esc closes",
                        Some(PushFix::Deregister) => "D deregisters this endpoint, Esc closes",
                        None => "Esc closes; t sends another",
                    };
                    if let Some(conf) = self.writes.confirm.as_mut() {
                        conf.refused = Some(format!("Sent: {keys}"));
                    }
                    vec![]
                }
            });
        }
        match c {
            Cmd::Silent if matches!(conf.kind, ConfirmKind::OneKey) => {
                let mut next = (**p).clone();
                next.push = TestPush { silent: !next.push.silent, ..TestPush::default() };
                let error = conf.error.take();
                let mut conf = self.push_confirmation(next);
                conf.error = error;
                self.writes.confirm = Some(conf);
                Some(vec![])
            }
            _ => None,
        }
    }

    /// `R` after a test push answered with an UpdatedToken: the register form from the
    /// endpoint's record, with the new token filled in; the old endpoint is deregistered only
    /// after the new one is registered.
    fn reregister_with_updated_token(&mut self) -> Vec<Effect> {
        let token =
            self.writes.confirm.as_ref().and_then(|c| c.pushed.as_ref()?.result.updated_token.clone());
        let (Some(record), Some(token)) = (self.writes.push.record.clone(), token) else {
            return vec![];
        };
        self.writes.confirm = None;
        let mut form = Form::reregister(&record, crate::commands::write::new_request_token());
        form.set_device_token(&token, "the UpdatedToken the provider gave in the test push");
        self.writes.form = Some(form);
        vec![]
    }

    /// The last test push's answer about the endpoint on show, for its trace.
    pub fn last_push(&self) -> Option<&LastPush> {
        let last = self.writes.push.last.as_ref()?;
        let Detail::Endpoint { endpoint, query, .. } = &self.detail else { return None };
        let user = match query {
            Query::Describe { user_arn, .. } => Some(user_arn.as_str()),
            _ => endpoint.app_instance_user_arn.as_deref(),
        };
        (user == Some(last.user_arn.as_str()) && endpoint.endpoint_id.as_deref() == Some(&last.endpoint_id))
            .then_some(last)
    }
}
