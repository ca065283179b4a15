//! A finished lookup remembered: where it went ([`App::session_context`]), and when it
//! refreshes a stored result of the same context that differs, which fields changed
//! ([`changes_message`]; secrets say that they changed, never their values).

use super::{Changes, Context, timestamp};
use crate::jobs::worker::Query;
use crate::model::{self, Endpoint, ServiceError, Target, Timestamp};
use crate::store::history::{Entry, FieldChange};
use crate::tui::action::{Notice, Recorded};
use crate::tui::state::app::App;

impl App {
    /// The context a lookup made now goes to, for an ARN whose region is `region`.
    pub fn session_context(&self, region: &str) -> Context {
        let endpoint_url = match &self.session.target {
            Target::Aws => None,
            Target::Custom(u) | Target::Demo(u) => Some(u.clone()),
        };
        let profile = (self.session.profile != "demo").then(|| self.session.profile.clone());
        Context { profile, endpoint_url, region: region.to_string() }
    }

    /// A finished lookup (from `lookup_done`): remember it, and when it refreshes a stored
    /// result that differs, say what changed.
    pub(in crate::tui::state) fn record_lookup(
        &mut self,
        rec: &Recorded,
        at: jiff::Timestamp,
        result: Result<&Endpoint, &ServiceError>,
    ) {
        if !self.has_recent() {
            return;
        }
        let Query::Describe { user_arn, endpoint_id } = &rec.query else { return };
        let time = timestamp(at);
        let before = self.recent.history.position(user_arn, endpoint_id).and_then(|i| {
            let e = self.recent.history.get(i)?;
            e.result_time()
        });
        let now = self.session_context(&rec.region);
        let (profile, url) = (now.profile.clone(), now.endpoint_url.clone());
        // A stored result from another backend or region is not the same endpoint's past:
        // the difference is not a change.
        let elsewhere = self
            .recent
            .history
            .position(user_arn, endpoint_id)
            .and_then(|i| self.recent.history.get(i))
            .map(Context::of)
            .filter(|c| !c.same_as(&now));
        let entry = Entry::new(user_arn.as_str(), endpoint_id.as_str(), rec.region.as_str(), time, result)
            .via(profile, url);
        let fields = self.recent.history.record(entry);
        self.recent.viewing = None;
        self.recent.changes = None;
        self.recent.refilter();
        self.recent.select_key(user_arn, endpoint_id);
        if let Some(then) = elsewhere {
            self.notify(Notice::info(format!(
                "Looked up in {}; the stored result was from {}: not compared",
                now.label(),
                then.label()
            )));
            return;
        }
        if let (Ok(_), Some(since), false) = (result, before, fields.is_empty()) {
            self.notify(Notice::info(changes_message(&fields, since, time)));
            self.recent.changes = Some(Changes { query: rec.query.clone(), at, since, fields });
        }
    }
}

impl App {
    /// A deregistration from this browser: Recent stops showing the endpoint as current and
    /// keeps the record removed (for the session in full; on disk as any stored result), where
    /// Enter shows it and `Y` copies it (after `s`: in clear), to register it again.
    pub(in crate::tui::state) fn record_removed(
        &mut self,
        user_arn: &str,
        endpoint_id: &str,
        record: Option<Endpoint>,
    ) {
        if !self.has_recent() {
            return;
        }
        let region = self.arn_region(user_arn);
        let now = self.session_context(&region);
        let entry = Entry::removed(user_arn, endpoint_id, region, timestamp(self.wall()), record)
            .via(now.profile, now.endpoint_url);
        self.recent.history.record(entry);
        if self.recent.viewing.as_ref().is_some_and(|v| {
            matches!(&v.query, Query::Describe { user_arn: u, endpoint_id: e } if u == user_arn && e == endpoint_id)
        }) {
            self.recent.viewing = None;
        }
        self.recent.refilter();
        self.recent.select_key(user_arn, endpoint_id);
    }
}

/// "2 fields changed since 12 min ago: status ACTIVE → INACTIVE, device token changed".
/// Secret fields say that they changed, never their values.
pub fn changes_message(changes: &[FieldChange], since: Timestamp, now: Timestamp) -> String {
    let n = changes.len();
    let list: Vec<String> = changes.iter().map(|c| c.to_string()).collect();
    format!(
        "{n} field{} changed since {}: {}",
        if n == 1 { "" } else { "s" },
        crate::model::time::relative_time(since, now),
        model::escape_control(&list.join(", "))
    )
}
