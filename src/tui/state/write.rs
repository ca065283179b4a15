//! The browser's writes (issue 13): `m` flips AllowMessages after a one-key confirmation, `e`
//! edits Name and AllowMessages in a form, `D` deregisters after the endpoint ID is typed,
//! `n` registers from a user's endpoint list. Every confirmation shows the equivalent AWS CLI
//! command (`c` copies it); against AWS the first write of a session asks once more where it
//! goes. A write runs as a worker job; its answer refreshes what it changed. A write whose
//! answer is lost (cancelled, timed out, the connection gone) is said to be possibly applied,
//! and what it may have changed is looked up again. In read-only mode the keys are refused.

use super::app::{App, Focus};
use super::detail::Detail;
use super::form::Form;
use super::list::Rows;
use crate::jobs::worker::{Answer, JobDone, JobRequest, Query};
use crate::model::write::{EndpointUpdate, Write, Written};
use crate::model::{self, AllowMessages, Endpoint, ErrorKind, ServiceError, Target};
use crate::tui::action::{Cmd, Effect, Notice};
use std::time::Instant;
use tui_input::{Input, InputRequest};

/// How many of a user's endpoints are read to prefill a registration's Resource ARN.
pub const PREFILL_MAX: usize = 10;

/// What a confirmation asks.
#[derive(Clone, Debug)]
pub enum ConfirmKind {
    /// `y` goes on.
    OneKey,
    /// The endpoint ID must be typed; Cancel is the default button.
    Typed { want: String, input: Input },
    /// The first write of a session to AWS: where it goes, asked once.
    AwsOnce { account: String, region: String },
}

/// Where the keyboard is in a typed confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmFocus {
    Input,
    Cancel,
    Apply,
}

#[derive(Clone, Debug)]
pub struct Confirm {
    pub kind: ConfirmKind,
    pub write: Write,
    pub title: String,
    /// What will change, in words (no secret's value).
    pub lines: Vec<String>,
    /// The equivalent AWS CLI command as shown (secrets as "<N chars>" while masked).
    pub cli_shown: String,
    /// The same with the real values, for `c`.
    pub cli: String,
    /// The verb on the button and the `y` hint ("flip", "deregister").
    pub verb: &'static str,
    pub focus: ConfirmFocus,
    /// A refusal inside the dialog ("the typed ID does not match").
    pub refused: Option<String>,
    /// The service's answer to the last attempt, explained in place.
    pub error: Option<ServiceError>,
    /// Opened from a form (the form is under it).
    pub from_form: bool,
}

/// A write sent and not yet answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub id: u64,
    pub write: Write,
    pub started: Instant,
}

/// The writes' state in the browser.
#[derive(Clone, Debug, Default)]
pub struct Writes {
    pub confirm: Option<Confirm>,
    pub form: Option<Form>,
    pub pending: Option<Pending>,
    /// The user said yes to "writes go to account …" (asked once per session, AWS only).
    pub aws_ok: bool,
    /// The record of the last deregistered endpoint, offered to `Y` while its message shows.
    pub removed: Option<(Box<Endpoint>, Instant)>,
    /// The lookup that refreshes the detail pane after a write, and the write's message, said
    /// again when it arrives (the refresh's own "fields changed" message would hide it).
    pub refresh: Option<(u64, Notice)>,
    /// Quit while a write ran: what to say on stderr once the terminal is restored.
    pub unsettled: Option<String>,
    /// The dialog of a batch deregistration from the Scan pane (`super::batch`).
    pub batch: Option<Box<super::batch::BatchConfirm>>,
}

impl Writes {
    /// A dialog or form has the keyboard.
    pub fn active(&self) -> bool {
        self.confirm.is_some() || self.form.is_some() || self.batch.is_some()
    }
}

/// The endpoint a write key acts on.
struct On {
    user_arn: String,
    endpoint_id: String,
    allow: Option<AllowMessages>,
    name: Option<String>,
    summary: String,
}

/// Whether a command is one of the write keys (hidden and refused in read-only mode).
pub fn is_write_cmd(c: Cmd) -> bool {
    crate::tui::keymap::is_write(c)
}

impl App {
    pub fn writes(&self) -> &Writes {
        &self.writes
    }

    /// Read-only mode (--readonly, CHIMESCOPE_READONLY, [aws] readonly).
    pub fn readonly(&self) -> bool {
        self.session.readonly
    }

    /// The endpoint on show: the detail pane's, or the selected row of a user's endpoints.
    fn write_target(&self) -> Option<On> {
        match self.focus {
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
        if self.focus != Focus::List {
            return None;
        }
        match &self.browse.top()?.query {
            Query::ListEndpoints { user_arn, .. } => Some(user_arn.clone()),
            _ => None,
        }
    }

    /// `m`, `e`, `D`, `n` outside a dialog.
    pub(super) fn write_key(&mut self, c: Cmd) -> Vec<Effect> {
        if self.readonly() {
            self.notify(Notice::error("Read-only mode: writes are off (nothing sent)"));
            return vec![];
        }
        if self.writes.pending.is_some() {
            self.notify(Notice::info("A write is still running: wait for its answer"));
            return vec![];
        }
        if c == Cmd::Register {
            return self.open_register();
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

    fn confirmation(
        &self,
        kind: ConfirmKind,
        write: Write,
        title: String,
        lines: Vec<String>,
        verb: &'static str,
    ) -> Confirm {
        let region = self.arn_region(write.user_arn());
        let cli = |masked: bool| {
            let args: Vec<(&str, String)> = write.cli_args(masked);
            self.cli_for(write.cli_operation(), &args, &region)
        };
        Confirm {
            cli_shown: cli(!self.show_secrets),
            cli: cli(false),
            kind,
            write,
            title,
            lines,
            verb,
            focus: ConfirmFocus::Cancel,
            refused: None,
            error: None,
            from_form: false,
        }
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
        let ids: Vec<String> = match self.browse.top().map(|v| &v.rows) {
            Some(Rows::Endpoints(rows)) => {
                rows.iter().filter_map(|r| r.endpoint_id.clone()).take(PREFILL_MAX).collect()
            }
            _ => vec![],
        };
        let mut form = Form::register(&user, None, crate::commands::write::new_request_token());
        let mut eff = Vec::new();
        for id in ids {
            let job = self.alloc_id();
            form.prefill_jobs.push(job);
            eff.push(Effect::Job(JobRequest {
                id: job,
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

    /// Keys while a dialog or form is open (all of them: nothing reaches the panes under it).
    pub(super) fn write_dialog_command(&mut self, c: Cmd) -> Vec<Effect> {
        if self.writes.batch.is_some() {
            return self.batch_dialog_command(c);
        }
        if c == Cmd::Quit {
            self.quit = true;
            let mut eff = self.cancel_running();
            if let Some(p) = self.writes.pending.take() {
                eff.push(Effect::CancelJob(p.id));
                let what = match p.write.endpoint_id() {
                    Some(id) => format!(
                        "endpoint {} of {}",
                        model::escape_control(id),
                        model::escape_control(p.write.user_arn())
                    ),
                    None => format!("an endpoint of {}", model::escape_control(p.write.user_arn())),
                };
                self.writes.unsettled = Some(format!(
                    "{} for {what} was sent, and the browser quit before its answer: it may have been applied; look it up (chimescope list --app-instance-user-arn …) before trying again",
                    p.write.operation()
                ));
            }
            self.batch_on_quit();
            eff.push(Effect::Quit);
            return eff;
        }
        if self.writes.pending.is_some() {
            return match c {
                Cmd::Cancel => self.cancel_write(),
                _ => {
                    self.notify(Notice::info("Sending… Esc stops waiting (the write may still be applied)"));
                    vec![]
                }
            };
        }
        if self.writes.confirm.is_some() {
            return self.confirm_command(c);
        }
        self.form_command(c)
    }

    fn confirm_command(&mut self, c: Cmd) -> Vec<Effect> {
        let Some(conf) = self.writes.confirm.as_mut() else { return vec![] };
        let typed = matches!(conf.kind, ConfirmKind::Typed { .. });
        match c {
            Cmd::Cancel | Cmd::Back if !(typed && c == Cmd::Back) => {
                // Esc always cancels; from a form, back to the form.
                let from_form = conf.from_form;
                self.writes.confirm = None;
                if !from_form {
                    self.notify(Notice::info("Cancelled: nothing sent"));
                }
            }
            Cmd::CopyCommand => {
                return vec![Effect::Copy { what: "AWS CLI command".into(), text: conf.cli.clone() }];
            }
            Cmd::FocusNext | Cmd::FocusPrev | Cmd::Down | Cmd::Up if typed => {
                let order = [ConfirmFocus::Input, ConfirmFocus::Cancel, ConfirmFocus::Apply];
                let i = order.iter().position(|f| *f == conf.focus).unwrap_or(1);
                let fwd = matches!(c, Cmd::FocusNext | Cmd::Down);
                conf.focus = order[if fwd { (i + 1) % 3 } else { (i + 2) % 3 }];
            }
            Cmd::Submit if typed => match conf.focus {
                // Enter in the input goes to the buttons, on Cancel (the default).
                ConfirmFocus::Input => conf.focus = ConfirmFocus::Cancel,
                ConfirmFocus::Cancel => {
                    self.writes.confirm = None;
                    self.notify(Notice::info("Cancelled: nothing sent"));
                }
                ConfirmFocus::Apply => {
                    let ok = match &conf.kind {
                        ConfirmKind::Typed { want, input } => input.value() == want,
                        _ => false,
                    };
                    if !ok {
                        conf.refused =
                            Some("The typed ID does not match the endpoint ID: nothing sent".into());
                        conf.focus = ConfirmFocus::Input;
                        return vec![];
                    }
                    return self.proceed();
                }
            },
            Cmd::Confirm if !typed => return self.proceed(),
            Cmd::Submit => {
                conf.refused = Some(format!("Press y to {}, or Esc to cancel", conf.verb));
            }
            _ => {}
        }
        vec![]
    }

    /// Yes: ask once more when writing to AWS, else send.
    fn proceed(&mut self) -> Vec<Effect> {
        let to_aws = matches!(self.session.target, Target::Aws);
        let region =
            self.writes.confirm.as_ref().map(|c| self.arn_region(c.write.user_arn())).unwrap_or_default();
        let profile = model::escape_control(&self.session.profile).into_owned();
        let Some(conf) = self.writes.confirm.as_mut() else { return vec![] };
        conf.refused = None;
        conf.error = None;
        match &conf.kind {
            ConfirmKind::AwsOnce { .. } => self.writes.aws_ok = true,
            _ if to_aws && !self.writes.aws_ok => {
                let account = model::parse_user_arn(conf.write.user_arn())
                    .map(|a| a.arn.account.clone())
                    .unwrap_or_else(|_| "?".into());
                let lines = vec![
                    format!("Writes go to account {account}, region {region} (profile {profile})."),
                    "This is the real service, not an emulator. Asked once per session.".into(),
                ];
                let next = Confirm {
                    kind: ConfirmKind::AwsOnce { account, region },
                    title: "Write to AWS?".into(),
                    lines,
                    verb: "go on",
                    focus: ConfirmFocus::Cancel,
                    refused: None,
                    error: None,
                    ..conf.clone()
                };
                *conf = next;
                return vec![];
            }
            _ => {}
        }
        let write = conf.write.clone();
        let id = self.alloc_id();
        self.writes.pending = Some(Pending { id, write: write.clone(), started: self.now });
        vec![Effect::Job(JobRequest { id, query: Query::Write(Box::new(write)) })]
    }

    fn form_command(&mut self, c: Cmd) -> Vec<Effect> {
        let Some(form) = self.writes.form.as_mut() else { return vec![] };
        match c {
            Cmd::Cancel => {
                let jobs = std::mem::take(&mut form.prefill_jobs);
                self.writes.form = None;
                self.notify(Notice::info("Cancelled: nothing sent"));
                return jobs.into_iter().map(Effect::CancelJob).collect();
            }
            Cmd::FocusNext | Cmd::Down => form.move_focus(true),
            Cmd::FocusPrev | Cmd::Up => form.move_focus(false),
            Cmd::Submit => match form.to_write() {
                Ok(w) => {
                    form.message = None;
                    form.failure = None;
                    let (title, lines, verb) = describe_write(&w, self.writes.form.as_ref());
                    let mut conf = self.confirmation(ConfirmKind::OneKey, w, title, lines, verb);
                    conf.from_form = true;
                    self.writes.confirm = Some(conf);
                }
                Err(m) => form.message = Some(m),
            },
            _ => {}
        }
        vec![]
    }

    /// An edit while a dialog or form has the keyboard (true: it took it).
    pub(super) fn write_edit(&mut self, req: InputRequest) -> bool {
        if !self.writes.active() {
            return false;
        }
        if self.writes.batch.is_some() {
            return self.batch_edit(req);
        }
        if self.writes.pending.is_some() {
            return true;
        }
        if let Some(conf) = self.writes.confirm.as_mut() {
            if let (ConfirmKind::Typed { input, .. }, ConfirmFocus::Input) = (&mut conf.kind, conf.focus) {
                if let InputRequest::InsertChar(c) = req
                    && (c.is_control() || input.value().len() >= 256)
                {
                    return true;
                }
                input.handle(req);
                conf.refused = None;
            }
            return true;
        }
        if let Some(form) = self.writes.form.as_mut() {
            form.edit(req);
            form.message = None;
            form.failure = None;
        }
        true
    }

    /// A paste while a dialog or form has the keyboard (true: it took it).
    pub(super) fn write_paste(&mut self, text: &str) -> bool {
        if !self.writes.active() {
            return false;
        }
        if self.writes.batch.is_some() {
            return self.batch_paste(text);
        }
        if self.writes.pending.is_some() {
            return true;
        }
        if let Some(conf) = self.writes.confirm.as_mut() {
            if let (ConfirmKind::Typed { input, .. }, ConfirmFocus::Input) = (&mut conf.kind, conf.focus) {
                let t: String = text.trim().chars().filter(|c| !c.is_control()).take(256).collect();
                for c in t.chars() {
                    input.handle(InputRequest::InsertChar(c));
                }
            }
            return true;
        }
        if let Some(form) = self.writes.form.as_mut() {
            form.paste(text);
        }
        true
    }

    /// Esc while a write runs: it was sent, so it may have been applied; say so and look
    /// again at what it may have changed.
    fn cancel_write(&mut self) -> Vec<Effect> {
        let Some(p) = self.writes.pending.take() else { return vec![] };
        self.writes.confirm = None;
        self.writes.form = None;
        self.notify(Notice::error(format!(
            "Stopped waiting for {}: it was sent and may have been applied; looking again",
            p.write.operation()
        )));
        let mut eff = vec![Effect::CancelJob(p.id)];
        eff.extend(self.refresh_after(&p.write, false));
        eff
    }

    /// Whether an answer is the writes' (the write itself, or a prefill describe).
    pub(super) fn writes_own(&self, done: &JobDone) -> bool {
        self.writes.pending.as_ref().is_some_and(|p| p.id == done.id)
            || self.writes.form.as_ref().is_some_and(|f| f.prefill_jobs.contains(&done.id))
            || done.query.is_write()
    }

    pub(super) fn write_done(&mut self, done: JobDone) -> Vec<Effect> {
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
        let Some(p) = self.writes.pending.as_ref().filter(|p| p.id == done.id).cloned() else {
            // The answer to a write given up on (cancelled): already reported and refreshed.
            return vec![];
        };
        self.writes.pending = None;
        match done.result {
            Ok(Answer::Written(w)) => self.write_succeeded(&p.write, w),
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
                self.refresh_after(&p.write, false)
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
                }
                vec![]
            }
        }
    }

    fn write_succeeded(&mut self, write: &Write, w: Written) -> Vec<Effect> {
        self.writes.confirm = None;
        self.writes.form = None;
        let id = model::escape_control(&w.endpoint_id).into_owned();
        let eff = self.refresh_after(write, matches!(write, Write::Deregister { .. }));
        let text = match write {
            Write::Register(r) => {
                format!("Registered endpoint {id} ({}): the list shows it", r.endpoint_type)
            }
            Write::Update(u) => match (&u.allow_messages, &u.name) {
                (Some(a), None) => format!("AllowMessages of {id} is now {a}"),
                (None, Some(_)) => format!("Name of {id} changed"),
                _ => format!("Name and AllowMessages of {id} changed"),
            },
            Write::Deregister { .. } => {
                if let Some(rec) = w.removed {
                    self.writes.removed = Some((rec, self.now + super::app::NOTICE_TTL));
                }
                format!("Deregistered {id} · Y copies its record (to register it again)")
            }
        };
        self.writes.refresh = eff.iter().find_map(|e| match e {
            Effect::Job(r) if matches!(r.query, Query::Describe { .. }) => {
                Some((r.id, Notice::ok(text.clone())))
            }
            _ => None,
        });
        self.notify(Notice::ok(text));
        eff
    }

    /// After the lookup that refreshes a written endpoint: the write's message again, with
    /// what the marks mean.
    pub(super) fn after_write_refresh(&mut self, id: u64) {
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
    fn refresh_after(&mut self, w: &Write, removed: bool) -> Vec<Effect> {
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
                self.detail = Detail::Empty;
                if !self.browse.stack.is_empty() {
                    self.browse.detail_open = false;
                    self.focus = Focus::List;
                    self.restore_inputs();
                }
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
    pub(super) fn copy_removed(&mut self) -> Option<Vec<Effect>> {
        let (rec, until) = self.writes.removed.take()?;
        if self.now >= until {
            return None;
        }
        Some(vec![super::copy::endpoint_json_copy(&rec, self.show_secrets)])
    }
}

/// The title, lines and verb of the confirmation of a form's write.
fn describe_write(w: &Write, form: Option<&Form>) -> (String, Vec<String>, &'static str) {
    let esc = |s: &str| model::escape_control(s).into_owned();
    match w {
        Write::Register(r) => {
            let mut lines = vec![
                format!(
                    "Register a {} endpoint for {}.",
                    r.endpoint_type,
                    esc(model::short_user(&r.user_arn))
                ),
                format!("Resource ARN: {}", esc(&r.resource_arn)),
                format!("Device token: {} chars", r.device_token.chars().count()),
            ];
            if let Some(v) = &r.voip_device_token {
                lines.push(format!("VoIP token: {} chars", v.chars().count()));
            }
            if let Some(n) = &r.name {
                lines.push(format!("Name: {} chars", n.chars().count()));
            }
            lines.push(format!(
                "AllowMessages: {}",
                r.allow_messages.as_ref().map(|a| a.as_str()).unwrap_or("ALL")
            ));
            ("Register this endpoint?".into(), lines, "register")
        }
        Write::Update(u) => {
            let was = match form.map(|f| &f.kind) {
                Some(super::form::FormKind::Edit { allow, .. }) => {
                    allow.as_ref().map(|a| a.as_str().to_string()).unwrap_or_else(|| "not set".into())
                }
                _ => "?".into(),
            };
            let mut lines = Vec::new();
            if let Some(n) = &u.name {
                lines.push(format!("Name: changed (now {} chars)", n.chars().count()));
            }
            if let Some(a) = &u.allow_messages {
                lines.push(format!("AllowMessages: {was} → {a} (the endpoint then {})", a.explain()));
            }
            (format!("Update endpoint {}?", esc(&u.endpoint_id)), lines, "update")
        }
        Write::Deregister { endpoint_id, .. } => {
            (format!("Deregister {}?", esc(endpoint_id)), vec![], "deregister")
        }
    }
}

/// "GCM, ACTIVE": what a confirmation names the endpoint by, beside its ID.
fn type_and_status(endpoint_type: Option<String>, status: Option<String>) -> String {
    [endpoint_type, status].into_iter().flatten().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    // Actions are fed and the state (or some effects) checked: not every effect is used.
    #![allow(unused_must_use)]
    use super::*;
    use crate::model::write::Written;
    use crate::model::{EndpointState, EndpointStatus, EndpointSummary, EndpointType, Page};
    use crate::tui::action::Action;
    use crate::tui::state::Session;
    use std::time::Duration;

    const U: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/u-42";
    const P: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/app1";

    fn endpoint(id: &str, allow: AllowMessages) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(U.into()),
            endpoint_id: Some(id.into()),
            name: Some("phone".into()),
            endpoint_type: Some(EndpointType::Gcm),
            resource_arn: Some(P.into()),
            device_token: Some("tok".into()),
            allow_messages: Some(allow),
            state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
            ..Default::default()
        }
    }

    fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
        a.update(Action::Cmd(c))
    }

    fn typed(a: &mut App, s: &str) {
        for c in s.chars() {
            a.update(Action::Edit(InputRequest::InsertChar(c)));
        }
    }

    fn jobs(eff: &[Effect]) -> Vec<JobRequest> {
        eff.iter()
            .filter_map(|e| match e {
                Effect::Job(r) => Some(r.clone()),
                _ => None,
            })
            .collect()
    }

    fn answer(a: &mut App, r: &JobRequest, result: Result<Answer, ServiceError>) -> Vec<Effect> {
        a.update(Action::JobDone(JobDone {
            id: r.id,
            query: r.query.clone(),
            result,
            elapsed: Duration::from_millis(5),
        }))
    }

    /// An app showing ep-1 of u-42 in the detail pane (AllowMessages ALL).
    fn showing(session: Session) -> App {
        let mut a = App::new(session);
        a.set_inputs(U, "ep-1");
        let r = jobs(&cmd(&mut a, Cmd::Submit)).remove(0);
        answer(&mut a, &r, Ok(Answer::Endpoint(Box::new(endpoint("ep-1", AllowMessages::All)))));
        assert_eq!(a.focus, Focus::Detail);
        a
    }

    fn written(id: &str) -> Answer {
        Answer::Written(Written { user_arn: U.into(), endpoint_id: id.into(), removed: None })
    }

    #[test]
    fn m_asks_once_says_what_changes_and_sends_the_flip_then_refreshes() {
        let mut a = showing(Session::demo());
        assert!(cmd(&mut a, Cmd::FlipMessages).is_empty(), "nothing is sent before the confirmation");
        let c = a.writes.confirm.clone().unwrap();
        assert_eq!(c.lines[0], "AllowMessages: ALL → NONE");
        assert!(c.cli.starts_with("aws chime-sdk-identity update-app-instance-user-endpoint"), "{}", c.cli);
        assert!(c.cli.contains("--allow-messages NONE") && c.cli.contains("--endpoint-url"), "{}", c.cli);
        // c copies the command; Enter alone does not go on.
        assert!(matches!(&cmd(&mut a, Cmd::CopyCommand)[..], [Effect::Copy { text, .. }] if *text == c.cli));
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        assert!(a.writes.confirm.is_some());
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        let want = Write::Update(EndpointUpdate {
            user_arn: U.into(),
            endpoint_id: "ep-1".into(),
            name: None,
            allow_messages: Some(AllowMessages::None),
        });
        assert_eq!(sent.iter().map(|r| &r.query).collect::<Vec<_>>(), vec![&Query::Write(Box::new(want))]);
        assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::Sending);
        let eff = answer(&mut a, &sent[0], Ok(written("ep-1")));
        assert!(a.writes.confirm.is_none());
        let refresh = jobs(&eff);
        assert_eq!(refresh[0].query, Query::Describe { user_arn: U.into(), endpoint_id: "ep-1".into() });
        assert!(a.notice().unwrap().text.contains("AllowMessages of ep-1 is now NONE"));
    }

    #[test]
    fn esc_cancels_a_confirmation_and_nothing_is_sent() {
        let mut a = showing(Session::demo());
        cmd(&mut a, Cmd::FlipMessages);
        assert!(cmd(&mut a, Cmd::Cancel).is_empty());
        assert!(a.writes.confirm.is_none());
        assert!(a.notice().unwrap().text.contains("nothing sent"));
    }

    #[test]
    fn d_needs_the_typed_id_and_cancel_is_the_default() {
        let mut a = showing(Session::demo());
        cmd(&mut a, Cmd::Deregister);
        assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::TypedConfirm);
        typed(&mut a, "ep-2");
        // Enter from the input lands on Cancel, the default; Enter there cancels.
        cmd(&mut a, Cmd::Submit);
        assert_eq!(a.writes.confirm.as_ref().unwrap().focus, ConfirmFocus::Cancel);
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        assert!(a.writes.confirm.is_none(), "cancelled");
        // 'c' types into the ID input, and copies on the buttons.
        cmd(&mut a, Cmd::Deregister);
        assert!(a.update(Action::Edit(InputRequest::InsertChar('c'))).is_empty());
        cmd(&mut a, Cmd::FocusNext);
        assert!(matches!(&cmd(&mut a, Cmd::CopyCommand)[..], [Effect::Copy { text, .. }]
            if text.contains("deregister-app-instance-user-endpoint")));
        cmd(&mut a, Cmd::Cancel);
        // A wrong ID on the Deregister button does nothing.
        cmd(&mut a, Cmd::Deregister);
        typed(&mut a, "ep-2");
        cmd(&mut a, Cmd::FocusNext);
        cmd(&mut a, Cmd::FocusNext);
        assert_eq!(a.writes.confirm.as_ref().unwrap().focus, ConfirmFocus::Apply);
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        let c = a.writes.confirm.as_ref().unwrap();
        assert!(c.refused.as_deref().unwrap().contains("does not match"));
        assert_eq!(c.focus, ConfirmFocus::Input);
        // The right ID: sent.
        for _ in 0..4 {
            a.update(Action::Edit(InputRequest::DeletePrevChar));
        }
        typed(&mut a, "ep-1");
        cmd(&mut a, Cmd::FocusPrev); // Input → Apply (backwards)
        let sent = jobs(&cmd(&mut a, Cmd::Submit));
        assert_eq!(
            sent[0].query,
            Query::Write(Box::new(Write::Deregister { user_arn: U.into(), endpoint_id: "ep-1".into() }))
        );
        let removed = Written {
            user_arn: U.into(),
            endpoint_id: "ep-1".into(),
            removed: Some(Box::new(endpoint("ep-1", AllowMessages::All))),
        };
        answer(&mut a, &sent[0], Ok(Answer::Written(removed)));
        assert!(matches!(a.detail, Detail::Empty), "the deregistered endpoint leaves the pane");
        assert!(a.notice().unwrap().text.contains("Y copies its record"));
        let copy = cmd(&mut a, Cmd::CopyJson);
        assert!(
            matches!(&copy[..], [Effect::Copy { text, .. }] if text.contains("\"EndpointId\": \"ep-1\"") && !text.contains("\"tok\"")),
            "{copy:?}"
        );
    }

    #[test]
    fn a_refused_write_is_explained_in_place_and_a_lost_one_may_have_been_applied() {
        let mut a = showing(Session::demo());
        cmd(&mut a, Cmd::FlipMessages);
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        let mut e = ServiceError::new(ErrorKind::Forbidden, "denied", "UpdateAppInstanceUserEndpoint");
        e.hint = "lacks chime:UpdateAppInstanceUserEndpoint".into();
        assert!(answer(&mut a, &sent[0], Err(e)).is_empty(), "nothing to refresh: nothing changed");
        let c = a.writes.confirm.as_ref().unwrap();
        assert_eq!(c.error.as_ref().unwrap().kind, ErrorKind::Forbidden);
        // Again, and this time the answer is lost.
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        let eff = answer(&mut a, &sent[0], Err(ServiceError::new(ErrorKind::Timeout, "slow", "")));
        assert!(a.writes.confirm.is_none());
        assert!(a.notice().unwrap().text.contains("may have been applied"));
        let again = jobs(&eff).into_iter().find(|r| matches!(r.query, Query::Describe { .. }));
        let again = again.expect("looked up again");
        answer(&mut a, &again, Ok(Answer::Endpoint(Box::new(endpoint("ep-1", AllowMessages::All)))));
        // Esc while a write runs: cancelled, reported as possibly applied, refreshed.
        cmd(&mut a, Cmd::FlipMessages);
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        let eff = cmd(&mut a, Cmd::Cancel);
        assert!(eff.contains(&Effect::CancelJob(sent[0].id)));
        assert!(jobs(&eff).iter().any(|r| matches!(r.query, Query::Describe { .. })));
        assert!(a.notice().unwrap().text.contains("may have been applied"));
        assert!(answer(&mut a, &sent[0], Ok(written("ep-1"))).is_empty(), "its late answer changes nothing");
    }

    #[test]
    fn quitting_while_a_write_runs_leaves_a_word_for_stderr() {
        let mut a = showing(Session::demo());
        cmd(&mut a, Cmd::FlipMessages);
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        let eff = cmd(&mut a, Cmd::Quit);
        assert!(eff.contains(&Effect::CancelJob(sent[0].id)) && eff.contains(&Effect::Quit));
        let m = a.writes().unsettled.as_deref().unwrap();
        assert!(
            m.starts_with("UpdateAppInstanceUserEndpoint for endpoint ep-1 of")
                && m.contains("may have been applied"),
            "{m}"
        );
    }

    #[test]
    fn read_only_refuses_the_write_keys_and_hides_them() {
        let mut a = showing(Session { readonly: true, ..Session::demo() });
        for c in [Cmd::FlipMessages, Cmd::EditEndpoint, Cmd::Deregister, Cmd::Register] {
            assert!(cmd(&mut a, c).is_empty());
            assert!(!a.writes.active());
            assert!(a.notice().unwrap().text.starts_with("Read-only mode"), "{c:?}");
        }
        assert!(a.hints().iter().all(|(k, _)| !k.contains('m')), "{:?}", a.hints());
        let normal = showing(Session::demo());
        assert!(normal.hints().iter().any(|(k, _)| *k == "m/e/D"));
    }

    #[test]
    fn the_first_write_to_aws_asks_once_more_where_it_goes() {
        let aws = Session { target: Target::Aws, profile: "prod".into(), ..Session::demo() };
        let mut a = showing(aws);
        cmd(&mut a, Cmd::FlipMessages);
        assert!(jobs(&cmd(&mut a, Cmd::Confirm)).is_empty(), "asked once more first");
        let c = a.writes.confirm.as_ref().unwrap();
        assert!(
            c.lines[0].contains("account 123456789012, region us-east-1 (profile prod)"),
            "{:?}",
            c.lines
        );
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        assert_eq!(sent.len(), 1);
        let refresh = jobs(&answer(&mut a, &sent[0], Ok(written("ep-1")))).remove(0);
        answer(&mut a, &refresh, Ok(Answer::Endpoint(Box::new(endpoint("ep-1", AllowMessages::None)))));
        // The second write of the session goes after one confirmation.
        cmd(&mut a, Cmd::FlipMessages);
        assert_eq!(jobs(&cmd(&mut a, Cmd::Confirm)).len(), 1);
    }

    fn listing(a: &mut App) {
        a.set_inputs(U, "");
        let r = jobs(&cmd(a, Cmd::Submit)).into_iter().find(|r| r.query.is_list()).unwrap();
        let rows = ["ep-1", "ep-2"]
            .iter()
            .map(|id| EndpointSummary {
                app_instance_user_arn: Some(U.into()),
                endpoint_id: Some(id.to_string()),
                allow_messages: Some(AllowMessages::All),
                ..Default::default()
            })
            .collect();
        answer(a, &r, Ok(Answer::Endpoints(Page { items: rows, next_token: None })));
        assert_eq!(a.focus, Focus::List);
    }

    #[test]
    fn n_opens_the_register_form_prefilled_and_a_conflict_stays_in_it() {
        let mut a = App::new(Session::demo());
        listing(&mut a);
        let prefill = jobs(&cmd(&mut a, Cmd::Register));
        assert_eq!(prefill.len(), 2, "the user's endpoints are read for their Resource ARN");
        for r in &prefill {
            let Query::Describe { endpoint_id, .. } = &r.query else { panic!() };
            answer(&mut a, r, Ok(Answer::Endpoint(Box::new(endpoint(endpoint_id, AllowMessages::All)))));
        }
        let form = a.writes.form.as_ref().unwrap();
        assert_eq!(form.fields[1].text_value(), P);
        assert_eq!(a.focus, Focus::List, "the prefill reads did not open a detail pane");
        // Enter with no device token: refused, naming the field.
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        assert!(a.writes.form.as_ref().unwrap().message.as_deref().unwrap().starts_with("Device token"));
        a.update(Action::Paste("  fcm-dup \n".into()));
        cmd(&mut a, Cmd::Submit);
        let c = a.writes.confirm.as_ref().unwrap();
        assert!(
            c.cli.contains("register-app-instance-user-endpoint") && c.cli.contains("DeviceToken=fcm-dup"),
            "{}",
            c.cli
        );
        assert!(!c.cli_shown.contains("fcm-dup"), "the token is masked on screen: {}", c.cli_shown);
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        let Query::Write(w) = &sent[0].query else { panic!("{sent:?}") };
        let Write::Register(r) = &**w else { panic!("{w:?}") };
        assert_eq!((r.device_token.as_str(), r.endpoint_type.as_str()), ("fcm-dup", "APNS"));
        let e =
            ServiceError::new(ErrorKind::Conflict, "already registered", "RegisterAppInstanceUserEndpoint");
        answer(&mut a, &sent[0], Err(e));
        let form = a.writes.form.as_ref().expect("the form stays, with the error in it");
        assert_eq!(form.failure.as_ref().unwrap().kind, ErrorKind::Conflict);
        assert!(a.writes.confirm.is_none());
        // Sent again (another token typed): success closes the form and reloads the list.
        cmd(&mut a, Cmd::Submit);
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        let eff = answer(&mut a, &sent[0], Ok(written("new-1")));
        assert!(!a.writes.active());
        assert!(
            jobs(&eff)
                .iter()
                .any(|r| matches!(&r.query, Query::ListEndpoints { user_arn, .. } if user_arn == U))
        );
        assert!(a.notice().unwrap().text.contains("Registered endpoint new-1"));
    }

    #[test]
    fn e_edits_name_and_messages_from_a_list_row() {
        let mut a = App::new(Session::demo());
        listing(&mut a);
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::EditEndpoint);
        assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::Form);
        typed(&mut a, "tablet");
        cmd(&mut a, Cmd::Down);
        typed(&mut a, "n");
        cmd(&mut a, Cmd::Submit);
        let c = a.writes.confirm.as_ref().unwrap();
        assert!(c.lines.iter().any(|l| l.contains("ALL → NONE")), "{:?}", c.lines);
        let sent = jobs(&cmd(&mut a, Cmd::Confirm));
        let Query::Write(w) = &sent[0].query else { panic!() };
        let Write::Update(u) = &**w else { panic!() };
        assert_eq!(u.endpoint_id, "ep-2");
        assert_eq!((u.name.as_deref(), &u.allow_messages), (Some("tablet"), &Some(AllowMessages::None)));
    }
}
