//! Keys, edits and pastes while a write's dialog or form has the keyboard: all of them go to
//! it (a batch's dialog, the write in flight, the confirmation, or the form), none to the
//! panes under it. Quitting or Esc while a write runs says it may have been applied.

use super::confirm::describe_write;
use super::{ConfirmFocus, ConfirmKind, Outgoing};
use crate::model;
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::state::app::App;
use tui_input::InputRequest;

impl App {
    /// Keys while a dialog or form is open (all of them: nothing reaches the panes under it).
    pub(in crate::tui::state) fn write_dialog_command(&mut self, c: Cmd) -> Vec<Effect> {
        if self.writes.batch.is_some() {
            return self.batch_dialog_command(c);
        }
        if c == Cmd::Quit {
            self.quit = true;
            let mut eff = self.cancel_running();
            if let Some(p) = self.writes.pending.take() {
                eff.push(Effect::CancelJob(p.id));
                let (happened, check) = if p.write.is_push() {
                    ("it may have been sent", "see the device, or the provider's console,")
                } else {
                    ("it may have been applied", "look it up (chimescope list --app-instance-user-arn USER)")
                };
                let what = match p.write.endpoint_id() {
                    Some(id) => format!(
                        "endpoint {} of {}",
                        model::escape_control(id),
                        model::escape_control(p.write.user_arn())
                    ),
                    None => format!("an endpoint of {}", model::escape_control(p.write.user_arn())),
                };
                // The whole ARN, quoted for a shell: a command to paste, not to complete by hand.
                self.writes.unsettled = Some(format!(
                    "{} for {what} was sent, and the browser quit before its answer: {happened}; {} before trying again",
                    p.write.operation(),
                    check.replace(
                        "USER",
                        &crate::commands::aws_cli::shell_quote(&model::escape_control(p.write.user_arn()))
                    )
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
                    let what = if self.writes.pending.as_ref().is_some_and(|p| p.write.is_push()) {
                        "the push may still be sent"
                    } else {
                        "the write may still be applied"
                    };
                    self.notify(Notice::info(format!("Sending… Esc stops waiting ({what})")));
                    vec![]
                }
            };
        }
        if self.writes.confirm.is_some() {
            return self.confirm_command(c);
        }
        self.form_command(c)
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
                    let (title, lines, verb) =
                        describe_write(&w, self.writes.form.as_ref(), self.show_secrets);
                    let mut conf = self.confirmation(ConfirmKind::OneKey, w, title, lines, verb);
                    conf.from_form = true;
                    if let Some(old) =
                        self.writes.form.as_ref().and_then(|f| f.replaces_id()).map(str::to_string)
                    {
                        self.then_deregister(&mut conf, &old);
                    }
                    self.writes.confirm = Some(conf);
                }
                Err(m) => form.message = Some(m),
            },
            _ => {}
        }
        vec![]
    }

    /// An edit while a dialog or form has the keyboard (true: it took it).
    pub(in crate::tui::state) fn write_edit(&mut self, req: InputRequest) -> bool {
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
    pub(in crate::tui::state) fn write_paste(&mut self, text: &str) -> bool {
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
        let Outgoing::Write(write) = &p.write else {
            if let Outgoing::Push(push) = &p.write {
                self.log_push(push, "stopped waiting: may have been sent".into(), false);
            }
            self.notify(Notice::error(format!(
                "Stopped waiting for {}: the test push was sent and may reach the device",
                p.write.operation()
            )));
            return vec![Effect::CancelJob(p.id)];
        };
        self.log_write(write, None, "stopped waiting: may have been applied".into(), false);
        self.notify(Notice::error(format!(
            "Stopped waiting for {}: it was sent and may have been applied; looking again",
            p.write.operation()
        )));
        let mut eff = vec![Effect::CancelJob(p.id)];
        eff.extend(self.refresh_after(write, false));
        eff
    }
}
