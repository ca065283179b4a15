//! The last actions (`a`, `:actions`): every write of the session (register, update,
//! deregister, the two halves of a re-registration, each endpoint of a batch, each test push) with its time,
//! target and outcome, each copyable as its AWS CLI command (`c`; Name and tokens masked
//! until `s`). In memory only, for the session: the commands may hold device tokens, so they
//! are never written to disk. Undo is not promised.

use crate::model::push::PushSend;
use crate::model::write::Write;
use crate::model::{self, ServiceError};
use crate::scan::batch::Outcome as BatchOutcome;
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::state::app::App;

pub mod log;

pub use log::{ActionLog, Did, Logged, MAX_ACTIONS};

/// A service error in a few words, escaped.
fn refused(e: &ServiceError) -> String {
    format!("refused: {} ({})", model::escape_control(&e.message), model::escape_control(&e.exception))
}

impl App {
    /// The last actions.
    pub fn action_log(&self) -> &ActionLog {
        &self.actions
    }

    /// Note what became of `write`.
    pub(super) fn log_write(&mut self, write: &Write, endpoint_id: Option<&str>, outcome: String, ok: bool) {
        let region = self.arn_region(write.user_arn());
        self.actions.push(Logged {
            time: self.wall(),
            what: Did::Write(write.clone()),
            endpoint_id: endpoint_id.map(str::to_string),
            region,
            outcome,
            ok,
        });
    }

    /// Note what became of a test push (its token stays in the entry, masked on screen and in
    /// `c` until `s`, and never leaves memory).
    pub(in crate::tui::state) fn log_push(&mut self, push: &PushSend, outcome: String, ok: bool) {
        self.actions.push(Logged {
            time: self.wall(),
            what: Did::Push(Box::new(push.clone())),
            endpoint_id: Some(push.endpoint_id.clone()),
            region: push.region.clone(),
            outcome,
            ok,
        });
    }

    /// A test push's answer, as [`Self::log_write_answer`] says a write's.
    pub(in crate::tui::state) fn log_push_error(&mut self, push: &PushSend, e: &ServiceError, lost: bool) {
        let outcome =
            if lost { format!("no answer ({}): may have been sent", e.kind.label()) } else { refused(e) };
        self.log_push(push, outcome, false);
    }

    /// A write's answer: succeeded, refused, or lost (it may have been applied).
    pub(super) fn log_write_answer(
        &mut self,
        write: &Write,
        result: Result<&str, &ServiceError>,
        lost: bool,
    ) {
        match result {
            Ok(id) => self.log_write(write, Some(id), "done".into(), true),
            Err(e) if lost => self.log_write(
                write,
                None,
                format!("no answer ({}): may have been applied", e.kind.label()),
                false,
            ),
            Err(e) => self.log_write(write, None, refused(e), false),
        }
    }

    /// Item `index` of the batch running from the Scan pane is done.
    pub(super) fn log_batch_item(&mut self, index: usize, outcome: &BatchOutcome) {
        let Some(pane) = self.scan.pane.as_ref() else { return };
        let Some(row) = pane.batch.as_ref().and_then(|b| b.rows.get(index)).and_then(|r| pane.row(*r)) else {
            return;
        };
        let write = Write::Deregister {
            user_arn: row.app_instance_user_arn.clone(),
            endpoint_id: row.endpoint_id.clone(),
        };
        let (text, ok) = match outcome {
            BatchOutcome::Deregistered(_) => ("batch: done".to_string(), true),
            BatchOutcome::Skipped(why) => (format!("batch: skipped ({})", model::escape_control(why)), true),
            BatchOutcome::Gone => ("batch: already gone".to_string(), true),
            BatchOutcome::Failed(e) => (format!("batch: {}", refused(e)), false),
            BatchOutcome::Unsure(e) => {
                (format!("batch: no answer ({}): may have been applied", e.kind.label()), false)
            }
            BatchOutcome::NotSent => ("batch: not sent (stopped)".to_string(), false),
        };
        self.log_write(&write, None, text, ok);
    }

    /// The AWS CLI command of entry `i`, secrets masked unless shown.
    pub fn logged_command(&self, i: usize) -> Option<String> {
        let e = self.actions.entries.get(i)?;
        Some(match &e.what {
            Did::Write(w) => self.cli_for(w.cli_operation(), &w.cli_args(!self.show_secrets), &e.region),
            Did::Push(p) => {
                self.cli_for_in("pinpoint", "send-messages", &p.cli_args(!self.show_secrets), &p.region)
            }
        })
    }

    /// `a`, `:actions`: open the last actions.
    pub(super) fn open_actions(&mut self) -> Vec<Effect> {
        if self.actions.entries.is_empty() {
            self.notify(Notice::info(
                "No write yet this session: the last actions list each write (m, e, D, n, R, a batch) and test push (t) with its outcome",
            ));
            return vec![];
        }
        self.actions.open = true;
        vec![]
    }

    /// A key while the last actions are open.
    pub(super) fn actions_command(&mut self, c: Cmd) -> Vec<Effect> {
        let page = self.size().1.saturating_sub(12).max(1) as usize;
        let log = &mut self.actions;
        // The moves are every list's (`picker`).
        if let Some(step) = crate::tui::state::cursor::step(c) {
            log.picker.move_by(step, page);
            return vec![];
        }
        match c {
            Cmd::Cancel | Cmd::Actions => log.open = false,
            Cmd::Quit => return self.quit_all(),
            Cmd::ToggleSecrets => {
                self.show_secrets = !self.show_secrets;
                self.recent.set_names_visible(self.show_secrets);
            }
            Cmd::CopyCommand => {
                if let Some(text) = self.logged_command(self.actions.cursor()) {
                    let what = if self.show_secrets {
                        "AWS CLI command, secrets in clear"
                    } else {
                        "AWS CLI command, secrets masked (s shows them)"
                    };
                    return vec![Effect::Copy { what: what.into(), text }];
                }
            }
            _ => {}
        }
        vec![]
    }
}
