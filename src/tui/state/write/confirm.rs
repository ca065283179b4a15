//! A write's confirmation: what it says (the change in words, the AWS CLI command, masked as
//! on screen) and how it is answered: `y`, the typed endpoint ID and its buttons, and, the
//! first time a session writes to AWS, the question where it goes; then the write is sent.

use super::{Confirm, ConfirmFocus, ConfirmKind, Outgoing, Pending};
use crate::jobs::worker::{JobRequest, Owner, Query};
use crate::model::write::Write;
use crate::model::{self, Target};
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::state::app::App;
use crate::tui::state::form::Form;

impl App {
    /// A confirmation of `write`, with its AWS CLI command as shown (masked while secrets are)
    /// and in clear (for `c`); Cancel has the focus.
    pub(super) fn confirmation(
        &self,
        kind: ConfirmKind,
        write: Write,
        title: String,
        lines: Vec<String>,
        verb: &'static str,
    ) -> Confirm {
        let region = self.arn_region(write.user_arn());
        let cli = self.cli_texts(|masked: bool| {
            let args: Vec<(&str, String)> = write.cli_args(masked);
            self.cli_for(write.cli_operation(), &args, &region)
        });
        Self::confirm_of(kind, Outgoing::Write(write), title, lines, verb, cli)
    }

    /// A command's AWS CLI text from `cli(masked)`: as shown (masked while secrets are) and in
    /// clear (for `c`).
    pub(super) fn cli_texts(&self, cli: impl Fn(bool) -> String) -> (String, String) {
        (cli(!self.show_secrets), cli(false))
    }

    /// A confirmation of what `write` sends, answered by `kind`, with its AWS CLI text as
    /// [`App::cli_texts`] gives it; Cancel has the focus.
    pub(super) fn confirm_of(
        kind: ConfirmKind,
        write: Outgoing,
        title: String,
        lines: Vec<String>,
        verb: &'static str,
        (cli_shown, cli): (String, String),
    ) -> Confirm {
        Confirm {
            cli_shown,
            cli,
            kind,
            write,
            title,
            lines,
            verb,
            focus: ConfirmFocus::Cancel,
            refused: None,
            error: None,
            from_form: false,
            then: None,
            then_cli_shown: None,
            pushed: None,
        }
    }

    /// A key in a confirmation: Esc cancels, `c` copies, `y` (or the typed ID and Apply) goes on.
    pub(super) fn confirm_command(&mut self, c: Cmd) -> Vec<Effect> {
        if let Some(eff) = self.push_dialog_command(c) {
            return eff;
        }
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
                // What is copied runs as shown only when nothing is masked: say so when it is.
                let mut shown = conf.cli_shown.clone();
                if let Some(then) = &conf.then_cli_shown {
                    shown = format!("{shown}\n{then}");
                }
                let what = if conf.cli != shown {
                    "AWS CLI command with the secrets in clear"
                } else {
                    "AWS CLI command"
                };
                return vec![Effect::Copy { what: what.into(), text: conf.cli.clone() }];
            }
            Cmd::FocusNext | Cmd::FocusPrev | Cmd::Down | Cmd::Up if typed => {
                conf.focus = conf.focus.step(matches!(c, Cmd::FocusNext | Cmd::Down));
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

    /// Yes: ask once more when writing to AWS (and before the first test push to AWS), else
    /// send.
    pub(super) fn proceed(&mut self) -> Vec<Effect> {
        let to_aws = matches!(self.session.target, Target::Aws);
        let region = match self.writes.confirm.as_ref().map(|c| &c.write) {
            Some(Outgoing::Push(p)) => model::escape_control(&p.region).into_owned(),
            Some(w) => self.arn_region(w.user_arn()),
            None => String::new(),
        };
        let profile = model::escape_control(&self.session.profile).into_owned();
        let Some(conf) = self.writes.confirm.as_mut() else { return vec![] };
        conf.refused = None;
        conf.error = None;
        let push = conf.write.is_push();
        let asked = if push { self.writes.push.aws_ok } else { self.writes.aws_ok };
        match &conf.kind {
            ConfirmKind::AwsOnce { .. } if push => self.writes.push.aws_ok = true,
            ConfirmKind::AwsOnce { .. } => self.writes.aws_ok = true,
            _ if to_aws && !asked => {
                let account = match &conf.write {
                    Outgoing::Push(p) => p.account.clone(),
                    w => model::parse_user_arn(w.user_arn())
                        .map(|a| a.arn.account.clone())
                        .unwrap_or_else(|_| "?".into()),
                };
                let (what, then, title) = if push {
                    ("A test push goes to", ": it notifies a real device.", "Send a test push through AWS?")
                } else {
                    ("Writes go to", ".", "Write to AWS?")
                };
                let lines = vec![
                    format!("{what} account {account}, region {region} (profile {profile}){then}"),
                    "This is the real service, not an emulator. Asked once per session.".into(),
                ];
                let next = Confirm {
                    kind: ConfirmKind::AwsOnce { account, region },
                    title: title.into(),
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
        match (conf.write.clone(), conf.then.clone()) {
            (Outgoing::Write(write), then) => self.send_write(write, then),
            (Outgoing::Push(p), _) => self.send_push(*p),
        }
    }

    /// Send `write` as a job (and `then` after it succeeded).
    pub(super) fn send_write(&mut self, write: Write, then: Option<Write>) -> Vec<Effect> {
        let id = self.alloc_id();
        self.writes.pending =
            Some(Pending { id, write: Outgoing::Write(write.clone()), started: self.now(), then });
        vec![Effect::Job(JobRequest { id, owner: Owner::Write, query: Query::Write(Box::new(write)) })]
    }

    /// A re-registration's confirmation: the registration, then the replaced endpoint's
    /// deregistration, both as AWS CLI commands.
    pub(super) fn then_deregister(&self, conf: &mut Confirm, old_id: &str) {
        let w = Write::Deregister {
            user_arn: conf.write.user_arn().to_string(),
            endpoint_id: old_id.to_string(),
        };
        let region = self.arn_region(w.user_arn());
        let cli = self.cli_for(w.cli_operation(), &w.cli_args(false), &region);
        let id = model::escape_control(old_id);
        conf.title = format!("Register a new endpoint, then deregister {id}?");
        conf.lines.push(format!(
            "Then deregister {id}, only once the registration succeeded (if it fails, {id} stays as it is)."
        ));
        conf.then_cli_shown = Some(cli.clone());
        conf.cli = format!("{}\n{cli}", conf.cli);
        conf.then = Some(w);
    }
}

/// The title, lines and verb of the confirmation of a form's write.
pub(super) fn describe_write(
    w: &Write,
    form: Option<&Form>,
    show: bool,
) -> (String, Vec<String>, &'static str) {
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
                Some(crate::tui::state::form::FormKind::Edit { allow, .. }) => {
                    allow.as_ref().map(|a| a.as_str().to_string()).unwrap_or_else(|| "not set".into())
                }
                _ => "?".into(),
            };
            let mut lines = Vec::new();
            if let Some(n) = &u.name {
                let old = match form.map(|f| &f.kind) {
                    Some(crate::tui::state::form::FormKind::Edit { name, .. }) => name.clone(),
                    _ => None,
                };
                lines.push(format!(
                    "Name: {} → {}",
                    shown_name(old.as_deref(), show),
                    shown_name(Some(n), show)
                ));
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

/// A Name in a confirmation: quoted when secrets are shown, else its length ("none" when there
/// is none: a cleared Name).
fn shown_name(name: Option<&str>, show: bool) -> String {
    match name {
        None | Some("") => "none".to_string(),
        Some(n) if show => format!("\"{}\"", model::escape_control(n)),
        Some(n) => format!("{} ({} chars)", "•".repeat(n.chars().count().min(8)), n.chars().count()),
    }
}
