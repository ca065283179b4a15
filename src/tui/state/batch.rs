//! Deregistering, in one confirmed batch, endpoints a scan found that cannot receive (issue
//! 15). In the Scan pane Space marks a row and `*` every row shown; `D` opens a dry run of the
//! marked rows (or the selected one): each endpoint and the AWS CLI command that would
//! deregister it, nothing sent, `c` copying the commands as a script. Enter goes on to the
//! confirmation, where the number of endpoints is typed (Cancel is the default button); against
//! AWS the first write of the session asks once more where it goes. The batch then runs in the
//! background at the scan's rate ([`crate::scan::batch`]): the pane marks each row with what
//! became of it, Esc stops it (what was not sent is said so), and at the end the rows that were
//! not deregistered stay marked, so that `D` again tries them again. `Y` copies the removed
//! records. Read-only mode refuses `D`.

use super::app::{App, Focus};
use super::scan::Run;
use super::write::ConfirmFocus;
use crate::model::write::Write;
use crate::model::{self, Endpoint, Target};
use crate::scan::batch::{Event, Item, Outcome};
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::keymap::HintFocus;
use std::collections::{HashMap, HashSet};
use tui_input::{Input, InputRequest};

/// Where the batch's dialog is.
#[derive(Clone, Debug)]
pub enum Stage {
    /// What would be sent; nothing is yet.
    DryRun,
    /// The number of endpoints is typed to confirm.
    Typed { input: Input, focus: ConfirmFocus },
    /// The first write of a session to AWS: where it goes, asked once.
    AwsOnce { account: String, region: String, profile: String },
}

/// The dialog of a batch not yet sent.
#[derive(Clone, Debug)]
pub struct BatchConfirm {
    pub stage: Stage,
    /// The Scan pane's rows, in the batch's order.
    pub rows: Vec<usize>,
    pub items: Vec<Item>,
    /// One line per endpoint: user, ID, type, why it cannot receive.
    pub lines: Vec<String>,
    /// How many users the endpoints belong to.
    pub users: usize,
    /// How many are ACTIVE with AllowMessages NONE (a working device whose user turned
    /// messages off).
    pub muted: usize,
    /// The AWS CLI command for each endpoint.
    pub commands: Vec<String>,
    /// The first endpoint of the list on show.
    pub scroll: usize,
    /// A refusal inside the dialog ("the typed number does not match").
    pub refused: Option<String>,
    /// The requests a second it will be sent at.
    pub rate: f64,
}

impl BatchConfirm {
    /// What must be typed to confirm.
    pub fn want(&self) -> String {
        self.items.len().to_string()
    }

    /// The commands, one a line, as `c` copies them.
    pub fn script(&self) -> String {
        let mut s = self.commands.join("\n");
        s.push('\n');
        s
    }

    pub fn title(&self) -> String {
        let n = self.items.len();
        match self.stage {
            Stage::DryRun => format!("Dry run: deregister {n} endpoint{}?", plural(n)),
            Stage::Typed { .. } => format!("Deregister {n} endpoint{}?", plural(n)),
            Stage::AwsOnce { .. } => "Write to AWS?".into(),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A batch sent: what became of each endpoint.
#[derive(Clone, Debug)]
pub struct BatchRun {
    /// The Scan pane's rows, in the batch's order.
    pub rows: Vec<usize>,
    /// Per endpoint, once known.
    pub outcomes: Vec<Option<Outcome>>,
    by_row: HashMap<usize, usize>,
    pub throttled: u64,
    /// The pace now (lower than `limit` after a throttle).
    pub rate: f64,
    /// The most requests a second (the scan's rate).
    pub limit: f64,
    /// Ended; true: stopped before the end.
    pub done: Option<bool>,
    /// Esc was pressed: stopping.
    pub stopping: bool,
}

/// How many endpoints had each outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub deregistered: usize,
    pub skipped: usize,
    pub gone: usize,
    pub failed: usize,
    pub unsure: usize,
    pub not_sent: usize,
    pub pending: usize,
}

impl BatchRun {
    pub fn new(rows: Vec<usize>, rate: f64) -> Self {
        let by_row = rows.iter().enumerate().map(|(i, r)| (*r, i)).collect();
        Self {
            outcomes: vec![None; rows.len()],
            rows,
            by_row,
            throttled: 0,
            rate,
            limit: rate,
            done: None,
            stopping: false,
        }
    }

    pub fn running(&self) -> bool {
        self.done.is_none()
    }

    /// A row's place in the batch: None, not in it; Some(None), not done yet.
    pub fn outcome(&self, row: usize) -> Option<Option<&Outcome>> {
        self.by_row.get(&row).map(|&i| self.outcomes.get(i).and_then(Option::as_ref))
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for o in &self.outcomes {
            match o {
                None => c.pending += 1,
                Some(Outcome::Deregistered(_)) => c.deregistered += 1,
                Some(Outcome::Skipped(_)) => c.skipped += 1,
                Some(Outcome::Gone) => c.gone += 1,
                Some(Outcome::Failed(_)) => c.failed += 1,
                Some(Outcome::Unsure(_)) => c.unsure += 1,
                Some(Outcome::NotSent) => c.not_sent += 1,
            }
        }
        c
    }

    pub fn apply(&mut self, ev: Event) {
        match ev {
            Event::Item { index, outcome } => {
                if let Some(o) = self.outcomes.get_mut(index) {
                    *o = Some(outcome);
                }
            }
            Event::Progress { throttled, rate, .. } => (self.throttled, self.rate) = (throttled, rate),
            Event::Done { stopped } => self.done = Some(stopped),
        }
    }

    /// The records removed, for `Y`.
    pub fn removed(&self) -> Vec<&Endpoint> {
        self.outcomes
            .iter()
            .filter_map(|o| match o {
                Some(Outcome::Deregistered(r)) => Some(r.as_ref()),
                _ => None,
            })
            .collect()
    }

    /// "Deregistered 7 of 10 · 1 skipped (can receive now) · 2 failed".
    pub fn summary(&self) -> String {
        let c = self.counts();
        let mut parts = vec![format!("Deregistered {} of {}", c.deregistered, self.rows.len())];
        for (n, what) in [
            (c.skipped, "skipped (can receive now)"),
            (c.gone, "already gone"),
            (c.failed, "refused"),
            (c.unsure, "may have been applied (answer lost)"),
            (c.not_sent, "not sent"),
            (c.pending, "to go"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        parts.join(" · ")
    }
}

/// The word for what became of a row (also what the pane's filter matches).
pub fn outcome_word(o: Option<&Outcome>) -> &'static str {
    match o {
        None => "queued",
        Some(Outcome::Deregistered(_)) => "deregistered",
        Some(Outcome::Skipped(_)) => "skipped",
        Some(Outcome::Gone) => "gone",
        Some(Outcome::Failed(_)) => "refused",
        Some(Outcome::Unsure(_)) => "unsure",
        Some(Outcome::NotSent) => "not sent",
    }
}

impl App {
    /// `D` in the Scan pane: the dry run of the marked rows (or the selected one).
    pub(super) fn open_batch(&mut self) -> Vec<Effect> {
        if self.readonly() {
            self.notify(Notice::error("Read-only mode: writes are off (nothing sent)"));
            return vec![];
        }
        let Some(pane) = self.scan.pane.as_ref() else { return vec![] };
        if pane.batch.as_ref().is_some_and(|b| b.running()) {
            self.notify(Notice::info("A batch runs: wait for it, or Esc stops it"));
            return vec![];
        }
        if pane.run == Run::Running {
            self.notify(Notice::info(
                "The scan is still running: deregister once it has finished (or Esc stops it)",
            ));
            return vec![];
        }
        let rows: Vec<usize> = if pane.marked().is_empty() {
            pane.visible_indices().get(pane.cursor()).copied().into_iter().collect()
        } else {
            pane.marked().iter().copied().collect()
        };
        if rows.is_empty() {
            self.notify(Notice::info("Nothing to deregister: no endpoint here cannot receive"));
            return vec![];
        }
        let mut items = Vec::new();
        let mut lines = Vec::new();
        let mut commands = Vec::new();
        let mut users = HashSet::new();
        let mut muted = 0;
        for &i in &rows {
            let Some(r) = pane.row(i) else { continue };
            let w = Write::Deregister {
                user_arn: r.app_instance_user_arn.clone(),
                endpoint_id: r.endpoint_id.clone(),
            };
            let region = self.arn_region(&r.app_instance_user_arn);
            commands.push(self.cli_for(w.cli_operation(), &w.cli_args(false), &region));
            users.insert(r.app_instance_user_arn.clone());
            muted += usize::from(
                r.status.as_deref() == Some("ACTIVE") && r.allow_messages.as_deref() == Some("NONE"),
            );
            lines.push(super::scan::ScanPane::row_line(r));
            items
                .push(Item { user_arn: r.app_instance_user_arn.clone(), endpoint_id: r.endpoint_id.clone() });
        }
        self.writes.batch = Some(Box::new(BatchConfirm {
            stage: Stage::DryRun,
            rows,
            items,
            lines,
            users: users.len(),
            muted,
            commands,
            scroll: 0,
            refused: None,
            rate: pane.rate,
        }));
        vec![]
    }

    /// Keys while the batch's dialog is open (all of them).
    pub(super) fn batch_dialog_command(&mut self, c: Cmd) -> Vec<Effect> {
        // An endpoint takes about three lines (its own and its wrapped command).
        let page = (self.size().1.saturating_sub(16) / 3).max(1) as usize;
        let Some(b) = self.writes.batch.as_mut() else { return vec![] };
        let total = b.items.len();
        match c {
            Cmd::Quit => {
                self.writes.batch = None;
                self.quit = true;
                let mut eff = self.cancel_running();
                self.batch_on_quit();
                eff.push(Effect::Quit);
                return eff;
            }
            Cmd::CopyCommand => {
                let n = b.commands.len();
                return vec![Effect::Copy {
                    what: format!("{n} AWS CLI command{}", plural(n)),
                    text: b.script(),
                }];
            }
            Cmd::Cancel => {
                self.writes.batch = None;
                self.notify(Notice::info("Cancelled: nothing sent"));
                return vec![];
            }
            _ => {}
        }
        match &mut b.stage {
            Stage::DryRun => match c {
                Cmd::Up => b.scroll = b.scroll.saturating_sub(1),
                Cmd::Down => b.scroll = (b.scroll + 1).min(total.saturating_sub(1)),
                Cmd::PageUp => b.scroll = b.scroll.saturating_sub(page),
                Cmd::PageDown => b.scroll = (b.scroll + page).min(total.saturating_sub(1)),
                Cmd::Top => b.scroll = 0,
                Cmd::Bottom => b.scroll = total.saturating_sub(1),
                Cmd::Submit | Cmd::Confirm => {
                    b.stage = Stage::Typed { input: Input::default(), focus: ConfirmFocus::Input };
                }
                _ => {}
            },
            Stage::Typed { input, focus } => match c {
                Cmd::FocusNext | Cmd::FocusPrev | Cmd::Down | Cmd::Up => {
                    *focus = focus.step(matches!(c, Cmd::FocusNext | Cmd::Down));
                }
                Cmd::Submit => match focus {
                    ConfirmFocus::Input => *focus = ConfirmFocus::Cancel,
                    ConfirmFocus::Cancel => {
                        self.writes.batch = None;
                        self.notify(Notice::info("Cancelled: nothing sent"));
                    }
                    ConfirmFocus::Apply => {
                        if input.value().trim() != b.items.len().to_string() {
                            b.refused = Some(format!(
                                "Type {} (the number of endpoints) to confirm: nothing sent",
                                b.items.len()
                            ));
                            *focus = ConfirmFocus::Input;
                            return vec![];
                        }
                        return self.batch_proceed();
                    }
                },
                _ => {}
            },
            Stage::AwsOnce { .. } => {
                if c == Cmd::Confirm {
                    self.writes.aws_ok = true;
                    return self.batch_proceed();
                }
                if c == Cmd::Submit {
                    b.refused = Some("Press y to go on, or Esc to cancel".into());
                }
            }
        }
        vec![]
    }

    /// Confirmed: ask once more when writing to AWS, else send.
    fn batch_proceed(&mut self) -> Vec<Effect> {
        let to_aws = matches!(self.session.target, Target::Aws);
        let profile = model::escape_control(&self.session.profile).into_owned();
        let Some(b) = self.writes.batch.as_ref() else { return vec![] };
        let first = b.items.first().map(|i| i.user_arn.clone()).unwrap_or_default();
        if to_aws && !self.writes.aws_ok {
            let region = self.arn_region(&first);
            let account =
                model::parse_user_arn(&first).map(|a| a.arn.account.clone()).unwrap_or_else(|_| "?".into());
            if let Some(b) = self.writes.batch.as_mut() {
                b.refused = None;
                b.stage = Stage::AwsOnce { account, region, profile };
            }
            return vec![];
        }
        let Some(b) = self.writes.batch.take() else { return vec![] };
        let b = *b;
        let n = b.items.len();
        if let Some(pane) = self.scan.pane.as_mut() {
            pane.batch = Some(BatchRun::new(b.rows, b.rate));
        }
        self.set_focus(Focus::Detail);
        self.notify(Notice::info(format!(
            "Deregistering {n} endpoint{} at {} requests/s · Esc stops (the rest are not sent)",
            plural(n),
            b.rate
        )));
        vec![Effect::StartBatch { items: b.items, rate: b.rate }]
    }

    /// An edit while the batch's dialog is open (true: it took it).
    pub(super) fn batch_edit(&mut self, req: InputRequest) -> bool {
        let Some(b) = self.writes.batch.as_mut() else { return false };
        if let Stage::Typed { input, focus: ConfirmFocus::Input } = &mut b.stage {
            if let InputRequest::InsertChar(c) = req
                && (c.is_control() || input.value().len() >= 16)
            {
                return true;
            }
            input.handle(req);
            b.refused = None;
        }
        true
    }

    /// A paste while the batch's dialog is open (true: it took it).
    pub(super) fn batch_paste(&mut self, text: &str) -> bool {
        let Some(b) = self.writes.batch.as_mut() else { return false };
        if let Stage::Typed { input, focus: ConfirmFocus::Input } = &mut b.stage {
            for c in text.trim().chars().filter(|c| !c.is_control()).take(16) {
                input.handle(InputRequest::InsertChar(c));
            }
        }
        true
    }

    /// An event of the running batch.
    pub(super) fn batch_event(&mut self, ev: Event) {
        let done = matches!(ev, Event::Done { .. });
        if let Event::Item { index, outcome } = &ev {
            self.log_batch_item(*index, outcome);
        }
        let Some(pane) = self.scan.pane.as_mut() else { return };
        let Some(run) = pane.batch.as_mut() else { return };
        run.apply(ev);
        if !done {
            // The filter sees what the batch made of each row.
            pane.refresh();
            return;
        }
        // What was not deregistered stays marked: D again tries it again.
        let again: Vec<usize> = run
            .rows
            .iter()
            .zip(&run.outcomes)
            .filter(|(_, o)| {
                matches!(o, Some(Outcome::Failed(_) | Outcome::Unsure(_) | Outcome::NotSent) | None)
            })
            .map(|(r, _)| *r)
            .collect();
        let removed = !run.removed().is_empty();
        let mut text = run.summary();
        let c = run.counts();
        pane.set_marks(again.iter().copied());
        if !again.is_empty() {
            text.push_str(" · still marked: D tries them again");
        }
        if removed {
            text.push_str(" · Y copies the removed records");
        }
        let n = if c.failed + c.unsure > 0 { Notice::error(text) } else { Notice::ok(text) };
        self.notify(n);
    }

    /// `Y` in the Scan pane after a batch: the removed records. None: there are none.
    pub(super) fn copy_batch_removed(&mut self) -> Option<Vec<Effect>> {
        let run = self.scan.pane.as_ref()?.batch.as_ref()?;
        let removed = run.removed();
        if removed.is_empty() {
            return None;
        }
        Some(vec![super::copy::endpoints_json_copy(&removed, self.show_secrets)])
    }

    /// Esc in the Scan pane while a batch runs: stop it. None: no batch runs.
    pub(super) fn stop_batch(&mut self) -> Option<Vec<Effect>> {
        let run = self.scan.pane.as_mut()?.batch.as_mut().filter(|b| b.running())?;
        run.stopping = true;
        self.notify(Notice::info("Stopping the batch: the endpoints in hand finish, the rest are not sent"));
        Some(vec![Effect::StopBatch])
    }

    /// Whether a batch runs.
    pub fn batch_running(&self) -> bool {
        self.scan.pane.as_ref().and_then(|p| p.batch.as_ref()).is_some_and(|b| b.running())
    }

    /// Quitting while a batch runs: what to say on stderr once the terminal is restored.
    pub(super) fn batch_on_quit(&mut self) {
        let Some(run) = self.scan.pane.as_ref().and_then(|p| p.batch.as_ref()).filter(|b| b.running()) else {
            return;
        };
        let c = run.counts();
        let words = format!(
            "A batch deregistration was stopped by quitting: {} of {} deregistered before; the endpoints in hand were let finish, the rest not sent. Scan again (S) to see what is left.",
            c.deregistered,
            run.rows.len()
        );
        self.writes.unsettled = Some(match self.writes.unsettled.take() {
            Some(w) => format!("{w}\n{words}"),
            None => words,
        });
    }

    /// The hints while the batch's dialog is open.
    pub(super) fn batch_hint_focus(&self) -> Option<HintFocus> {
        let b = self.writes.batch.as_ref()?;
        Some(match &b.stage {
            Stage::DryRun => HintFocus::DryRun,
            Stage::Typed { focus: ConfirmFocus::Input, .. } => HintFocus::TypedConfirm,
            Stage::Typed { .. } => HintFocus::ConfirmButtons,
            Stage::AwsOnce { .. } => HintFocus::Confirm,
        })
    }
}

#[cfg(test)]
mod tests {
    // Actions are fed and the state (or some effects) checked: not every effect is used.
    #![allow(unused_must_use)]
    use super::*;
    use crate::model::{ErrorKind, ServiceError};
    use crate::scan::Outcome as ScanOutcome;
    use crate::scan::background::Event as ScanEvent;
    use crate::scan::report::Row;
    use crate::tui::action::{Action, ScanStart};
    use crate::tui::state::Session;

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1";

    fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
        a.update(Action::Cmd(c))
    }

    fn typed(a: &mut App, s: &str) {
        for c in s.chars() {
            a.update(Action::Edit(InputRequest::InsertChar(c)));
        }
    }

    fn row(u: &str, id: &str, status: &str, allow: &str) -> Row {
        let reason = (status == "INACTIVE").then_some("INVALID_DEVICE_TOKEN");
        Row::for_test(&format!("{INST}/user/{u}"), id, status, reason, allow)
    }

    /// A finished scan of i-1 that found e1 (u1), e2 (u2, muted) and e3 (u2) in the pane.
    fn scanned(session: Session) -> App {
        let mut a = App::new(session);
        a.set_inputs(INST, "");
        a.set_focus(Focus::Detail);
        assert_eq!(
            cmd(&mut a, Cmd::Scan),
            vec![Effect::StartScan {
                instance: INST.into(),
                resume: ScanStart::Ask,
                rate: 10.0,
                diagnose: false
            }]
        );
        for r in [
            row("u1", "e1", "INACTIVE", "ALL"),
            row("u2", "e2", "ACTIVE", "NONE"),
            row("u2", "e3", "INACTIVE", "ALL"),
        ] {
            a.update(Action::Scan(ScanEvent::CannotReceive(Box::new(r))));
        }
        a.update(Action::Scan(ScanEvent::Done(Ok(ScanOutcome::Finished))));
        assert!(a.scan_view().is_some());
        a
    }

    fn dialog(a: &App) -> &BatchConfirm {
        a.writes().batch.as_deref().expect("the batch's dialog")
    }

    #[test]
    fn space_and_star_mark_rows_and_d_opens_a_dry_run_of_them_with_the_commands() {
        let mut a = scanned(Session::demo());
        assert!(a.hints().contains(&("Space/*", "mark")) && a.hints().contains(&("D", "deregister")));
        cmd(&mut a, Cmd::Mark);
        assert_eq!(a.scan_view().unwrap().cursor(), 1, "Space moves down");
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Mark);
        assert_eq!(a.scan_view().unwrap().marked().iter().copied().collect::<Vec<_>>(), [0, 2]);
        assert!(cmd(&mut a, Cmd::Deregister).is_empty(), "a dry run sends nothing");
        let b = dialog(&a);
        assert_eq!(b.title(), "Dry run: deregister 2 endpoints?");
        assert_eq!((b.items.len(), b.users, b.muted), (2, 2, 0));
        assert_eq!(
            b.lines,
            ["u1  e1  GCM  INACTIVE INVALID_DEVICE_TOKEN", "u2  e3  GCM  INACTIVE INVALID_DEVICE_TOKEN"]
        );
        assert_eq!(a.hint_focus(), HintFocus::DryRun);
        assert_eq!(crate::tui::keymap::Keyed::key_mode(&a), crate::tui::keymap::Mode::Confirm);
        // c copies every command, one a line, as a script.
        let eff = cmd(&mut a, Cmd::CopyCommand);
        let [Effect::Copy { what, text }] = eff.as_slice() else { panic!("{eff:?}") };
        assert_eq!(what, "2 AWS CLI commands");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with("aws chime-sdk-identity deregister-app-instance-user-endpoint"),
            "{}",
            lines[0]
        );
        assert!(lines[0].contains(&format!("{INST}/user/u1")) && lines[0].contains("e1"), "{}", lines[0]);
        assert!(lines[1].contains("e3"), "{}", lines[1]);
        // Esc: nothing sent, the marks kept.
        assert!(cmd(&mut a, Cmd::Cancel).is_empty());
        assert!(a.writes().batch.is_none());
        assert!(a.notice().is_some_and(|n| n.text.contains("nothing sent")));
        assert_eq!(a.scan_view().unwrap().marked().len(), 2);
        // * marks every row shown but the opted-out one (the user's choice): those two are
        // marked already, so * clears them; again, marks them (never the opted-out one).
        cmd(&mut a, Cmd::MarkAll);
        assert!(a.scan_view().unwrap().marked().is_empty());
        cmd(&mut a, Cmd::MarkAll);
        assert_eq!(a.scan_view().unwrap().marked().iter().copied().collect::<Vec<_>>(), [0, 2]);
        cmd(&mut a, Cmd::MarkAll);
        assert!(a.scan_view().unwrap().marked().is_empty());
        // No marks: D takes the selected row; a muted one is pointed out.
        cmd(&mut a, Cmd::Top);
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Deregister);
        let b = dialog(&a);
        assert_eq!((b.items.len(), b.muted), (1, 1));
        assert_eq!(b.items[0].endpoint_id, "e2");
    }

    #[test]
    fn the_count_must_be_typed_then_the_batch_runs_and_each_row_says_what_became_of_it() {
        let mut a = scanned(Session::demo());
        cmd(&mut a, Cmd::MarkAll);
        // The opted-out one only when marked by hand.
        cmd(&mut a, Cmd::Top);
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Mark);
        cmd(&mut a, Cmd::Deregister);
        cmd(&mut a, Cmd::Submit);
        assert!(matches!(dialog(&a).stage, Stage::Typed { focus: ConfirmFocus::Input, .. }));
        assert_eq!(a.hint_focus(), HintFocus::TypedConfirm);
        // Enter leaves the input on Cancel, the default: pressed, nothing is sent.
        cmd(&mut a, Cmd::Submit);
        assert!(matches!(dialog(&a).stage, Stage::Typed { focus: ConfirmFocus::Cancel, .. }));
        assert_eq!(a.hint_focus(), HintFocus::ConfirmButtons);
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        assert!(a.writes().batch.is_none(), "cancelled");
        // Again, with the wrong number typed: refused in place.
        cmd(&mut a, Cmd::Deregister);
        cmd(&mut a, Cmd::Submit);
        typed(&mut a, "2");
        cmd(&mut a, Cmd::FocusNext);
        cmd(&mut a, Cmd::FocusNext);
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        assert!(
            dialog(&a).refused.as_deref().is_some_and(|r| r.contains("Type 3")),
            "{:?}",
            dialog(&a).refused
        );
        // The right number, on the Deregister button.
        a.update(Action::Edit(InputRequest::DeletePrevChar));
        typed(&mut a, "3");
        cmd(&mut a, Cmd::FocusNext);
        cmd(&mut a, Cmd::FocusNext);
        let eff = cmd(&mut a, Cmd::Submit);
        let [Effect::StartBatch { items, rate }] = eff.as_slice() else { panic!("{eff:?}") };
        assert_eq!(items.iter().map(|i| i.endpoint_id.as_str()).collect::<Vec<_>>(), ["e1", "e2", "e3"]);
        assert_eq!(*rate, crate::tui::scanner::RATE, "the scan's rate");
        assert!(a.writes().batch.is_none() && a.batch_running());
        // No second batch, and no scan, while it runs.
        assert!(cmd(&mut a, Cmd::Deregister).is_empty());
        assert!(a.notice().is_some_and(|n| n.text.contains("A batch runs")));
        assert!(cmd(&mut a, Cmd::Scan).is_empty());
        // The outcomes arrive.
        let rec = crate::model::Endpoint {
            endpoint_id: Some("e1".into()),
            device_token: Some("secret-token".into()),
            ..Default::default()
        };
        a.update(Action::Batch(Event::Item { index: 0, outcome: Outcome::Deregistered(Box::new(rec)) }));
        a.update(Action::Batch(Event::Item {
            index: 1,
            outcome: Outcome::Skipped("it can receive now".into()),
        }));
        a.update(Action::Batch(Event::Item {
            index: 2,
            outcome: Outcome::Failed(ServiceError::new(
                ErrorKind::Forbidden,
                "no",
                "DeregisterAppInstanceUserEndpoint",
            )),
        }));
        let pane = a.scan_view().unwrap();
        let run = pane.batch.as_ref().unwrap();
        assert_eq!(outcome_word(run.outcome(0).unwrap()), "deregistered");
        assert_eq!(outcome_word(run.outcome(2).unwrap()), "refused");
        a.update(Action::Batch(Event::Done { stopped: false }));
        let n = a.notice().unwrap();
        assert!(
            n.text.contains("Deregistered 1 of 3 · 1 skipped (can receive now) · 1 refused")
                && n.text.contains("still marked")
                && n.text.contains("Y copies"),
            "{}",
            n.text
        );
        assert_eq!(
            a.scan_view().unwrap().marked().iter().copied().collect::<Vec<_>>(),
            [2],
            "the refused one"
        );
        // The filter finds rows by what became of them.
        a.scan.pane.as_mut().unwrap().set_filter("deregistered");
        assert_eq!(a.scan_view().unwrap().visible_indices(), [0]);
        a.scan.pane.as_mut().unwrap().set_filter("");
        // Y: the removed records, masked as on screen.
        let eff = cmd(&mut a, Cmd::CopyJson);
        let [Effect::Copy { what, text }] = eff.as_slice() else { panic!("{eff:?}") };
        assert!(what.contains("1 removed records") && what.contains("masked"), "{what}");
        assert!(
            text.contains("AppInstanceUserEndpoints")
                && text.contains("e1")
                && !text.contains("secret-token"),
            "{text}"
        );
    }

    #[test]
    fn read_only_refuses_d_and_a_running_scan_is_waited_for() {
        let mut a = scanned(Session { readonly: true, ..Session::demo() });
        assert!(!a.hints().contains(&("D", "deregister")), "hidden in read-only mode");
        assert!(!a.hints().contains(&("Space/*", "mark")));
        cmd(&mut a, Cmd::Mark);
        assert!(a.scan_view().unwrap().marked().is_empty(), "no marks in read-only mode");
        assert!(a.notice().is_some_and(|n| n.text.contains("Read-only")));
        assert!(cmd(&mut a, Cmd::Deregister).is_empty());
        assert!(a.writes().batch.is_none());
        assert!(a.notice().is_some_and(|n| n.text.contains("Read-only")));
        // A scan still running: not yet.
        let mut a = App::new(Session::demo());
        a.set_inputs(INST, "");
        a.set_focus(Focus::Detail);
        cmd(&mut a, Cmd::Scan);
        a.update(Action::Scan(ScanEvent::CannotReceive(Box::new(row("u1", "e1", "INACTIVE", "ALL")))));
        assert!(cmd(&mut a, Cmd::Deregister).is_empty());
        assert!(a.writes().batch.is_none());
        assert!(a.notice().is_some_and(|n| n.text.contains("still running")), "{:?}", a.notice());
    }

    #[test]
    fn esc_stops_a_running_batch_and_quitting_leaves_a_word_for_stderr() {
        let mut a = scanned(Session::demo());
        cmd(&mut a, Cmd::Deregister);
        cmd(&mut a, Cmd::Submit);
        typed(&mut a, "1");
        cmd(&mut a, Cmd::FocusNext);
        cmd(&mut a, Cmd::FocusNext);
        assert!(matches!(cmd(&mut a, Cmd::Submit).as_slice(), [Effect::StartBatch { .. }]));
        assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::StopBatch]);
        assert!(a.scan_view().is_some(), "the pane stays while it stops");
        assert!(a.notice().is_some_and(|n| n.text.contains("the rest are not sent")));
        // No context switch until it has ended (its outcomes belong to this context).
        cmd(&mut a, Cmd::CommandLine);
        typed(&mut a, "region eu-central-1");
        assert!(cmd(&mut a, Cmd::Submit).iter().all(|e| !matches!(e, Effect::SwitchContext { .. })));
        assert!(
            a.notice().is_some_and(|n| n.text.contains("batch deregistration is running")),
            "{:?}",
            a.notice()
        );
        let eff = cmd(&mut a, Cmd::Quit);
        assert!(eff.contains(&Effect::Quit));
        assert!(
            a.writes().unsettled.as_deref().is_some_and(|w| w.contains("batch deregistration")),
            "{:?}",
            a.writes().unsettled
        );
    }

    #[test]
    fn readonly_turned_on_while_a_batch_runs_stops_it() {
        let mut a = scanned(Session::demo());
        cmd(&mut a, Cmd::Deregister);
        cmd(&mut a, Cmd::Submit);
        typed(&mut a, "1");
        cmd(&mut a, Cmd::FocusPrev);
        assert!(matches!(cmd(&mut a, Cmd::Submit).as_slice(), [Effect::StartBatch { .. }]));
        cmd(&mut a, Cmd::CommandLine);
        typed(&mut a, "readonly");
        let eff = cmd(&mut a, Cmd::Submit);
        assert!(eff.contains(&Effect::StopBatch), "{eff:?}");
        assert!(a.readonly());
        assert!(a.notice().is_some_and(|n| n.text.contains("the batch stops")), "{:?}", a.notice());
    }

    #[test]
    fn against_aws_the_first_write_asks_once_more_where_it_goes() {
        let mut a = scanned(Session { target: Target::Aws, profile: "prod".into(), ..Session::demo() });
        cmd(&mut a, Cmd::Deregister);
        cmd(&mut a, Cmd::Submit);
        typed(&mut a, "1");
        cmd(&mut a, Cmd::FocusPrev);
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        let Stage::AwsOnce { account, region, profile } = &dialog(&a).stage else {
            panic!("{:?}", dialog(&a).stage)
        };
        assert_eq!(
            (account.as_str(), region.as_str(), profile.as_str()),
            ("123456789012", "us-east-1", "prod")
        );
        assert_eq!(dialog(&a).title(), "Write to AWS?");
        assert_eq!(a.hint_focus(), HintFocus::Confirm);
        assert!(matches!(cmd(&mut a, Cmd::Confirm).as_slice(), [Effect::StartBatch { .. }]));
        assert!(a.writes().aws_ok, "asked once per session");
    }

    fn export(a: &mut App, path: &str) -> (Vec<u8>, String) {
        cmd(a, Cmd::CommandLine);
        typed(a, &format!("export {path}"));
        let eff = cmd(a, Cmd::Submit);
        let found = eff.iter().find_map(|e| match e {
            Effect::Export { path: p, bytes, what, .. } if p == path => Some((bytes.clone(), what.clone())),
            _ => None,
        });
        found.unwrap_or_else(|| panic!("{eff:?} {:?}", a.notice()))
    }

    #[test]
    fn export_over_the_scan_pane_writes_its_rows_or_the_deregistration_script() {
        let mut a = scanned(Session::demo());
        let (csv, what) = export(&mut a, "found.csv");
        let text = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0], "AppInstanceUserArn,EndpointId,Type,AllowMessages,Status,StatusReason,Findings",
            "scan's CSV"
        );
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(lines[2], format!("{INST}/user/u2,e2,GCM,NONE,ACTIVE,,"));
        assert_eq!(what, "3 endpoints");
        assert!(a.scan_view().is_some(), "the pane stays on show");
        let (json, _) = export(&mut a, "found.json");
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["AppInstanceArn"], INST);
        assert_eq!(v["CannotReceive"].as_array().unwrap().len(), 3);
        // .sh without marks: the rows shown but the opted-out one (the user's choice), each
        // command after a comment saying why.
        let (sh, what) = export(&mut a, "dereg.sh");
        let text = String::from_utf8(sh).unwrap();
        let cmds: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(cmds.len(), 2, "{text}");
        assert!(!text.contains("--endpoint-id e2"), "the opted-out row is left out: {text}");
        assert!(text.contains("# Left out: 1 opted out (AllowMessages NONE"), "{text}");
        assert!(text.contains("# e1: INACTIVE INVALID_DEVICE_TOKEN\naws chime-sdk-identity"), "{text}");
        assert_eq!(
            what,
            "2 deregistration command(s) (the rows shown); 1 opted out left out (mark one to include it)"
        );
        // .sh: the marked rows' commands (else the rows shown), one a line, after a comment.
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Mark);
        let (sh, what) = export(&mut a, "dereg.sh");
        let text = String::from_utf8(sh).unwrap();
        let cmds: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(text.starts_with("#!/bin/sh\n# Deregister 1 endpoint(s)"), "{text}");
        assert_eq!(cmds.len(), 1, "{text}");
        assert!(
            cmds[0].starts_with("aws chime-sdk-identity deregister-app-instance-user-endpoint")
                && cmds[0].contains("--endpoint-id e2"),
            "{}",
            cmds[0]
        );
        assert_eq!(what, "1 deregistration command(s) (the marked rows)");
        assert!(text.contains("# e2: ACTIVE · opted out (AllowMessages NONE)\n"), "marked, it is in: {text}");
        // A .sh of a list is refused, saying what it is for.
        let mut b = App::new(Session::demo());
        b.set_focus(Focus::Detail);
        cmd(&mut b, Cmd::CommandLine);
        typed(&mut b, "export x.sh");
        assert!(cmd(&mut b, Cmd::Submit).iter().all(|e| !matches!(e, Effect::Export { .. })));
        assert!(
            b.notice().is_some_and(|n| n.text.contains("Scan pane's deregistration commands")),
            "{:?}",
            b.notice()
        );
    }
}
