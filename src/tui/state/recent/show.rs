//! Enter in the Recent pane: the entry's stored result in the detail pane at once, no
//! request ([`Viewing`] says when it was taken, and how a later lookup of it failed); a stored
//! failure is shown as the pane shows errors.

use super::{Context, Viewing};
use crate::aws::op;
use crate::jobs::worker::Query;
use crate::model::{ErrorKind, ServiceError};
use crate::store::history::{self, Outcome};
use crate::tui::action::{Effect, Notice};
use crate::tui::state::app::{App, Focus};
use crate::tui::state::detail::Detail;
use std::time::Duration;

impl App {
    /// Enter: the stored result in the detail pane at once, no request.
    pub(super) fn show_selected(&mut self) -> Vec<Effect> {
        let Some(entry) = self.recent.selected_entry().cloned() else {
            self.notify(Notice::info("No recent lookup selected"));
            return vec![];
        };
        let query =
            Query::Describe { user_arn: entry.user_arn.clone(), endpoint_id: entry.endpoint_id.clone() };
        let eff = self.cancel_running();
        self.set_inputs(&entry.user_arn, &entry.endpoint_id);
        self.last_query = Some(query.clone());
        self.cursor.put_on_field(0);
        self.recent.changes = None;
        let result_time = entry.result_time();
        let at = result_time.unwrap_or(entry.time).to_jiff();
        let failed_since = match (&entry.outcome, &entry.last_result) {
            (Outcome::Failed(f), Some(_)) => Some(f.clone()),
            _ => None,
        };
        let (detail, shown_at) = match (&entry.last_result, &entry.outcome) {
            (Some(result), _) => (
                Detail::Endpoint {
                    query: query.clone(),
                    region: entry.region.clone(),
                    endpoint: Box::new(result.clone()),
                    elapsed: Duration::ZERO,
                    at,
                },
                Some(at),
            ),
            (None, Outcome::Failed(f)) => (
                Detail::Error {
                    query: query.clone(),
                    region: entry.region.clone(),
                    error: stored_error(f),
                    elapsed: Duration::ZERO,
                },
                None,
            ),
            (None, Outcome::Found(_)) => {
                self.notify(Notice::info("No stored result for this lookup: r looks it up again"));
                return eff;
            }
        };
        self.detail = detail;
        self.recent.viewing = Some(Viewing {
            query,
            time: entry.time,
            at: shown_at,
            result_time,
            failed_since,
            context: Context::of(&entry),
        });
        // On a narrow screen the list covers the detail pane: show the result there.
        if self.size().0 < crate::tui::state::layout::RECENT_MIN_WIDTH {
            self.set_focus(Focus::Detail);
        }
        eff
    }
}

/// A stored failure as the detail pane shows errors.
fn stored_error(f: &history::Failure) -> ServiceError {
    let kind = ErrorKind::ALL
        .iter()
        .copied()
        .find(|k| k.label() == f.error)
        .or_else(|| ErrorKind::from_code(&f.exception))
        .unwrap_or(ErrorKind::Other);
    let mut e = ServiceError::new(kind, f.message.clone(), op::DESCRIBE_ENDPOINT);
    e.exception = f.exception.clone();
    e.http_status = f.http_status;
    e
}
