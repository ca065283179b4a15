//! Watching an endpoint (`w`, `:watch [SECONDS]`): describe it again every few seconds, and
//! when an answer differs from the one on show, say which fields changed (the detail pane's
//! border and a message; the terminal bell with `[ui] bell = true`). Esc stops it, and so does
//! the 30th minute. The describes are jobs like any other, with their own ids; a failed one is
//! shown on the border and the next is asked for as planned.

use super::app::{App, Focus};
use super::detail::Detail;
use super::list::Rows;
use crate::jobs::worker::{Answer, JobDone, JobRequest, Query};
use crate::model;
use crate::store::history::diff;
use crate::tui::action::{Effect, Notice};
use std::time::{Duration, Instant};

/// A watch stops by itself after this long.
pub const WATCH_LIMIT: Duration = Duration::from_secs(30 * 60);

/// An endpoint being watched.
#[derive(Clone, Debug, PartialEq)]
pub struct Watch {
    pub user_arn: String,
    pub endpoint_id: String,
    pub every: Duration,
    pub started: Instant,
    /// When the next describe is due.
    pub(super) next: Instant,
    /// The describe in flight.
    pub(super) in_flight: Option<u64>,
    /// Answers received.
    pub polls: u32,
    /// The last change seen: when, and what changed ("status ACTIVE → INACTIVE").
    pub last_change: Option<(jiff::Timestamp, Vec<String>)>,
    /// The last describe failed: why.
    pub last_error: Option<String>,
}

impl App {
    /// The endpoint being watched, if any.
    pub fn watch(&self) -> Option<&Watch> {
        self.watch.as_ref()
    }

    /// `w` or `:watch N`: the endpoint on show (or the endpoint row under the cursor).
    pub(super) fn start_watch(&mut self, secs: u64) -> Vec<Effect> {
        let secs = secs.max(super::command::MIN_WATCH_SECS);
        let target = match (&self.detail, self.focus) {
            (_, Focus::List) => self.browse.top().and_then(|v| match (&v.rows, v.selected()) {
                (Rows::Endpoints(r), Some(i)) => r[i].endpoint_id.clone().map(|id| (v.arn().to_string(), id)),
                _ => None,
            }),
            (Detail::Endpoint { query: Query::Describe { user_arn, endpoint_id }, .. }, _) => {
                Some((user_arn.clone(), endpoint_id.clone()))
            }
            _ => None,
        };
        let Some((user_arn, endpoint_id)) = target else {
            self.notify(Notice::error(
                "Nothing to watch: look an endpoint up (or select one in a list) first",
            ));
            return vec![];
        };
        let mut eff = self.stop_watch_quietly();
        let every = Duration::from_secs(secs);
        let opened_from_list = self.focus == Focus::List;
        self.watch = Some(Watch {
            user_arn,
            endpoint_id: endpoint_id.clone(),
            every,
            started: self.now,
            next: if opened_from_list { self.now } else { self.now + every },
            in_flight: None,
            polls: 0,
            last_change: None,
            last_error: None,
        });
        self.notify(Notice::info(format!(
            "Watching {} every {secs}s (Esc stops)",
            model::escape_control(&endpoint_id)
        )));
        eff.extend(self.watch_tick());
        eff
    }

    /// Stop the watch (and its describe in flight), without a message.
    pub(super) fn stop_watch_quietly(&mut self) -> Vec<Effect> {
        match self.watch.take() {
            Some(Watch { in_flight: Some(id), .. }) => vec![Effect::CancelJob(id)],
            _ => vec![],
        }
    }

    /// Esc while watching.
    pub(super) fn stop_watch(&mut self) -> Vec<Effect> {
        let eff = self.stop_watch_quietly();
        self.notify(Notice::info("Watch stopped"));
        eff
    }

    /// On each clock: the next describe when it is due; the end at the time limit.
    pub(super) fn watch_tick(&mut self) -> Vec<Effect> {
        let now = self.now;
        let Some(w) = &mut self.watch else { return vec![] };
        if now.saturating_duration_since(w.started) >= WATCH_LIMIT {
            let eff = self.stop_watch_quietly();
            self.notify(Notice::info("Watch stopped after 30 minutes (w watches again)"));
            return eff;
        }
        if w.in_flight.is_some() || now < w.next {
            return vec![];
        }
        self.next_id += 1;
        let id = self.next_id;
        w.in_flight = Some(id);
        let query = Query::Describe { user_arn: w.user_arn.clone(), endpoint_id: w.endpoint_id.clone() };
        vec![Effect::Job(JobRequest { id, query })]
    }

    /// When the watch wants the loop to wake (its next describe).
    pub(super) fn watch_wakeup(&self) -> Option<Duration> {
        let w = self.watch.as_ref()?;
        if w.in_flight.is_some() {
            return None;
        }
        Some(w.next.saturating_duration_since(self.now).max(Duration::from_millis(10)))
    }

    /// Whether this answer is the watch's.
    pub(super) fn watch_owns(&self, done: &JobDone) -> bool {
        self.watch.as_ref().is_some_and(|w| w.in_flight == Some(done.id))
    }

    pub(super) fn watch_done(&mut self, done: JobDone) -> Vec<Effect> {
        let now = self.now;
        let wall = self.wall;
        let bell = self.bell;
        let Some(w) = &mut self.watch else { return vec![] };
        w.in_flight = None;
        w.next = now + w.every;
        let endpoint = match done.result {
            Ok(Answer::Endpoint(e)) => e,
            Ok(_) => return vec![],
            Err(e) => {
                w.last_error = Some(e.message.clone());
                return vec![];
            }
        };
        w.polls += 1;
        w.last_error = None;
        let (user_arn, endpoint_id) = (w.user_arn.clone(), w.endpoint_id.clone());
        let mut eff = Vec::new();
        let same = |q: &Query| matches!(q, Query::Describe { user_arn: a, endpoint_id: i } if *a == user_arn && *i == endpoint_id);
        match &mut self.detail {
            Detail::Endpoint { query, endpoint: shown, at, elapsed, .. } if same(query) => {
                let changes = diff(shown, &endpoint);
                *shown = endpoint;
                *at = wall;
                *elapsed = done.elapsed;
                if !changes.is_empty() {
                    let words: Vec<String> = changes.iter().map(|c| c.to_string()).collect();
                    let text =
                        format!("{} changed: {}", model::escape_control(&endpoint_id), words.join(", "));
                    if let Some(w) = &mut self.watch {
                        w.last_change = Some((wall, words));
                    }
                    self.notify(Notice::ok(text));
                    if bell {
                        eff.push(Effect::Bell);
                    }
                }
            }
            Detail::Loading { .. } => {}
            _ => {
                // The first answer of a watch started from a list: it is what is on show now.
                let region = self.query_region(&done.query);
                self.detail =
                    Detail::Endpoint { query: done.query, region, endpoint, elapsed: done.elapsed, at: wall };
                self.browse.detail_open = true;
                self.focus = Focus::Detail;
            }
        }
        eff
    }
}
