//! Answers routed by owner: a job carries who asked ([`Owner`]), and its answer goes to them by
//! a match on it. One rule drops stale answers: an answer is used only while its owner still
//! awaits that job's id, in the context (profile, region, endpoint URL) it was asked in.

use super::app::App;
use super::detail::Detail;
use crate::jobs::worker::{JobDone, Owner, Query};
use crate::tui::action::Effect;

impl App {
    /// Whether `owner` still awaits the answer to job `id`.
    fn awaits(&self, owner: Owner, id: u64) -> bool {
        match owner {
            Owner::Detail => matches!(&self.detail, Detail::Loading { id: l, .. } if *l == id),
            Owner::List => self.browse.stack.iter().any(|v| v.loading_id() == Some(id)),
            Owner::Completion => self.browse.completion.loading == Some(id),
            Owner::Watch => self.watch.awaits(id),
            Owner::Pinpoint => self.pinpoint.awaits(id),
            Owner::UserCheck => self.user_check.awaits(id),
            Owner::Write => self.writes.pending.as_ref().is_some_and(|p| p.id == id),
            Owner::Prefill => self.writes.form.as_ref().is_some_and(|f| f.prefill_jobs.contains(&id)),
            Owner::PushTest => self.push_awaits(id),
            Owner::Members => self.members.awaits(id),
        }
    }

    /// A job's answer, to the one who asked.
    pub(super) fn job_done(&mut self, done: JobDone) -> Vec<Effect> {
        if self.is_of_old_context(done.id) || !self.awaits(done.owner, done.id) {
            tracing::debug!(id = done.id, owner = ?done.owner, "stale answer dropped");
            return vec![];
        }
        match done.owner {
            Owner::Pinpoint => return self.pinpoint_done(done),
            Owner::UserCheck => return self.user_check_done(done),
            _ => {}
        }
        // The status bar names the account the answers come from.
        self.learn_account(&done);
        match done.owner {
            Owner::Watch => self.watch_done(done),
            Owner::Write | Owner::Prefill => self.write_done(done),
            Owner::PushTest => self.push_done(done),
            Owner::Members => self.members_done(done),
            Owner::List | Owner::Completion => self.browse_done(done),
            Owner::Detail | Owner::Pinpoint | Owner::UserCheck => {
                let describe = matches!(done.query, Query::Describe { .. });
                let mut eff = self.answer_arrived(done);
                if describe {
                    // The checks that follow an endpoint's describe.
                    eff.extend(self.pinpoint_after_describe());
                    eff.extend(self.user_check_start(false));
                }
                eff
            }
        }
    }
}
