//! Watching an endpoint (`w`, `:watch [SECONDS]`): describe it again every few seconds, and
//! when an answer differs from the one on show, say which fields changed (the detail pane's
//! border and a message; the terminal bell with `[ui] bell = true`). Esc stops it, and so does
//! the 30th minute. The describes are jobs like any other, with their own ids; a failed one is
//! shown on the border and the next is asked for as planned.

use super::app::{App, Focus};
use super::detail::Detail;
use super::list::Rows;
use super::recent::Changes;
use crate::jobs::worker::{Answer, JobDone, JobRequest, Owner, Query};
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
    next: Instant,
    /// The describe in flight.
    in_flight: Option<u64>,
    /// Answers received.
    pub polls: u32,
    /// The last change seen: when, and what changed ("status ACTIVE → INACTIVE").
    pub last_change: Option<(jiff::Timestamp, Vec<String>)>,
    /// The last describe failed: why.
    pub last_error: Option<String>,
    /// Started from a list row: the first answer is put on show.
    adopt: bool,
}

/// The watch feature's state: the endpoint being watched, and whether a change rings the bell
/// (`[ui] bell`). Owned here; the rest of the state asks [`App::watch`] and [`Watching::awaits`].
#[derive(Clone, Debug, Default)]
pub struct Watching {
    current: Option<Watch>,
    bell: bool,
}

impl Watching {
    /// Whether job `id` is the watch's describe in flight.
    pub(super) fn awaits(&self, id: u64) -> bool {
        self.current.as_ref().is_some_and(|w| w.in_flight == Some(id))
    }

    /// Ring the bell when a watched endpoint changes.
    pub(super) fn set_bell(&mut self, on: bool) {
        self.bell = on;
    }
}

impl App {
    /// The endpoint being watched, if any.
    pub fn watch(&self) -> Option<&Watch> {
        self.watch.current.as_ref()
    }

    /// `w` or `:watch N`: the endpoint on show (or the endpoint row under the cursor).
    pub(super) fn start_watch(&mut self, secs: u64) -> Vec<Effect> {
        let secs = secs.max(super::command::MIN_WATCH_SECS);
        let target = match (&self.detail, self.focus()) {
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
        let opened_from_list = self.focus() == Focus::List;
        self.watch.current = Some(Watch {
            user_arn,
            endpoint_id: endpoint_id.clone(),
            every,
            started: self.now(),
            next: if opened_from_list { self.now() } else { self.now() + every },
            in_flight: None,
            polls: 0,
            last_change: None,
            last_error: None,
            adopt: opened_from_list,
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
        match self.watch.current.take() {
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
        let now = self.now();
        let Some(w) = &mut self.watch.current else { return vec![] };
        if now.saturating_duration_since(w.started) >= WATCH_LIMIT {
            let eff = self.stop_watch_quietly();
            self.notify(Notice::info("Watch stopped after 30 minutes (w watches again)"));
            return eff;
        }
        if w.in_flight.is_some() || now < w.next {
            return vec![];
        }
        let id = self.context.next_job();
        w.in_flight = Some(id);
        let query = Query::Describe { user_arn: w.user_arn.clone(), endpoint_id: w.endpoint_id.clone() };
        vec![Effect::Job(JobRequest { id, owner: Owner::Watch, query })]
    }

    /// When the watch wants the loop to wake (its next describe).
    pub(super) fn watch_wakeup(&self) -> Option<Duration> {
        let w = self.watch.current.as_ref()?;
        if w.in_flight.is_some() {
            return None;
        }
        Some(w.next.saturating_duration_since(self.now()).max(Duration::from_millis(10)))
    }

    pub(super) fn watch_done(&mut self, done: JobDone) -> Vec<Effect> {
        let now = self.now();
        let wall = self.wall();
        let bell = self.watch.bell;
        let Some(w) = &mut self.watch.current else { return vec![] };
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
        let adopt = std::mem::take(&mut w.adopt);
        let (user_arn, endpoint_id) = (w.user_arn.clone(), w.endpoint_id.clone());
        let mut eff = Vec::new();
        let same = |q: &Query| matches!(q, Query::Describe { user_arn: a, endpoint_id: i } if *a == user_arn && *i == endpoint_id);
        match &mut self.detail {
            Detail::Endpoint { query, endpoint: shown, at, elapsed, .. } if same(query) => {
                let changes = diff(shown, &endpoint);
                let before = *at;
                *shown = endpoint;
                *at = wall;
                *elapsed = done.elapsed;
                // The detail pane marks the fields that changed (◆ and what they were), from
                // this answer on, until a later one changes something else.
                let query = query.clone();
                match &mut self.recent.changes {
                    Some(c) if changes.is_empty() && c.query == query && c.at == before => c.at = wall,
                    _ if changes.is_empty() => {}
                    slot => {
                        *slot = Some(Changes {
                            query,
                            at: wall,
                            since: super::recent::timestamp(before),
                            fields: changes.clone(),
                        })
                    }
                }
                if !changes.is_empty() {
                    let words: Vec<String> = changes.iter().map(|c| c.to_string()).collect();
                    let text =
                        format!("{} changed: {}", model::escape_control(&endpoint_id), words.join(", "));
                    if let Some(w) = &mut self.watch.current {
                        w.last_change = Some((wall, words));
                    }
                    self.notify(Notice::ok(text));
                    if bell {
                        eff.push(Effect::Bell);
                    }
                }
            }
            Detail::Loading { .. } => {}
            _ if !adopt => {
                // Another endpoint (or nothing) is on show now: the watch has lost its pane.
                eff.extend(self.stop_watch_quietly());
                self.notify(Notice::info(format!(
                    "Watch of {} stopped: another endpoint is on show (w watches it)",
                    model::escape_control(&endpoint_id)
                )));
            }
            _ => {
                // The first answer of a watch started from a list: it is what is on show now.
                let region = self.query_region(&done.query);
                self.detail =
                    Detail::Endpoint { query: done.query, region, endpoint, elapsed: done.elapsed, at: wall };
                self.browse.detail_open = true;
                self.set_focus(Focus::Detail);
            }
        }
        eff
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::worker::JobRequest;
    use crate::model::{AllowMessages, Endpoint, EndpointState, EndpointStatus};
    use crate::tui::action::{Action, Cmd};
    use crate::tui::state::Session;

    const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42";

    fn endpoint(allow: AllowMessages) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(ARN.into()),
            endpoint_id: Some("ep-1".into()),
            allow_messages: Some(allow),
            state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
            ..Default::default()
        }
    }

    fn job(eff: &[Effect]) -> JobRequest {
        eff.iter()
            .find_map(|e| match e {
                Effect::Job(r) => Some(r.clone()),
                _ => None,
            })
            .expect("a describe")
    }

    fn answered(a: &mut App, req: &JobRequest, e: Endpoint) -> Vec<Effect> {
        a.update(Action::JobDone(JobDone {
            id: req.id,
            owner: req.owner,
            query: req.query.clone(),
            result: Ok(Answer::Endpoint(Box::new(e))),
            elapsed: Duration::from_millis(3),
        }))
    }

    /// An app showing ep-1, with the bell on or off.
    fn showing(bell: bool) -> App {
        let mut a = App::new(Session::demo());
        let _ = a.update(Action::CommandSetup { profiles: vec![], history: vec![], bell, scan_rate: None });
        a.set_inputs(ARN, "ep-1");
        let req = job(&a.update(Action::Cmd(Cmd::Submit)));
        let _ = answered(&mut a, &req, endpoint(AllowMessages::All));
        assert_eq!(a.focus(), Focus::Detail);
        a
    }

    fn tick(a: &mut App, secs: u64) -> Vec<Effect> {
        let now = a.now() + Duration::from_secs(secs);
        let wall = a.wall();
        a.update(Action::Clock { now, wall })
    }

    #[test]
    fn w_describes_every_interval_and_marks_a_change() {
        let mut a = showing(false);
        assert!(a.update(Action::Cmd(Cmd::Watch)).is_empty(), "the first describe is due in 5 s");
        assert_eq!(a.next_wakeup().map(|d| d.as_secs()), Some(5));
        assert!(tick(&mut a, 4).is_empty());
        let req = job(&tick(&mut a, 1));
        assert!(tick(&mut a, 5).is_empty(), "one describe at a time");
        // Unchanged: nothing said.
        assert!(answered(&mut a, &req, endpoint(AllowMessages::All)).is_empty());
        assert!(a.watch().unwrap().last_change.is_none());
        let req = job(&tick(&mut a, 5));
        let eff = answered(&mut a, &req, endpoint(AllowMessages::None));
        assert!(!eff.contains(&Effect::Bell), "no bell unless [ui] bell = true");
        let w = a.watch().unwrap();
        assert_eq!(w.polls, 2);
        assert_eq!(w.last_change.as_ref().unwrap().1, vec!["allow messages ALL → NONE".to_string()]);
        assert!(a.notice().unwrap().text.contains("ep-1 changed: allow messages ALL → NONE"));
        assert_eq!(a.endpoint().unwrap().allow_messages, Some(AllowMessages::None), "the new answer on show");
        let marked =
            |a: &App| a.changed_fields().map(|c| c.fields.iter().map(|f| f.to_string()).collect::<Vec<_>>());
        assert_eq!(
            marked(&a),
            Some(vec!["allow messages ALL → NONE".to_string()]),
            "marked in the detail pane"
        );
        // An unchanged answer keeps the mark.
        let req = job(&tick(&mut a, 5));
        let _ = answered(&mut a, &req, endpoint(AllowMessages::None));
        assert_eq!(marked(&a), Some(vec!["allow messages ALL → NONE".to_string()]));
        // Esc stops it, and its describe in flight.
        let req = job(&tick(&mut a, 5));
        assert_eq!(a.update(Action::Cmd(Cmd::Cancel)), vec![Effect::CancelJob(req.id)]);
        assert!(a.watch().is_none());
        assert!(
            answered(&mut a, &req, endpoint(AllowMessages::All)).is_empty(),
            "its late answer is dropped"
        );
        assert_eq!(a.endpoint().unwrap().allow_messages, Some(AllowMessages::None));
    }

    #[test]
    fn the_bell_rings_only_when_configured() {
        let mut a = showing(true);
        let _ = a.update(Action::Cmd(Cmd::Watch));
        let req = job(&tick(&mut a, 5));
        assert_eq!(answered(&mut a, &req, endpoint(AllowMessages::None)), vec![Effect::Bell]);
    }

    #[test]
    fn a_watch_stops_after_thirty_minutes() {
        let mut a = showing(false);
        let _ = a.update(Action::Cmd(Cmd::Watch));
        for _ in 0..(30 * 60 / 5 - 1) {
            let req = job(&tick(&mut a, 5));
            let _ = answered(&mut a, &req, endpoint(AllowMessages::All));
        }
        assert!(a.watch().is_some());
        assert!(tick(&mut a, 5).is_empty(), "the 30th minute: no more describes");
        assert!(a.watch().is_none());
        assert!(a.notice().unwrap().text.contains("after 30 minutes"));
    }

    #[test]
    fn watch_takes_at_least_two_seconds_and_needs_an_endpoint() {
        let mut a = App::new(Session::demo());
        let _ = a.update(Action::Cmd(Cmd::Cancel));
        assert!(a.update(Action::Cmd(Cmd::Watch)).is_empty());
        assert!(a.notice().unwrap().text.starts_with("Nothing to watch"));
        let mut a = showing(false);
        let _ = a.start_watch(1);
        assert_eq!(a.watch().unwrap().every, Duration::from_secs(2));
    }

    #[test]
    fn another_lookup_ends_the_watch_of_the_endpoint_it_replaced() {
        let mut a = showing(false);
        let _ = a.update(Action::Cmd(Cmd::Watch));
        let req = job(&tick(&mut a, 5));
        // The user looks ep-9 up meanwhile.
        a.set_inputs(ARN, "ep-9");
        let other = job(&a.update(Action::Cmd(Cmd::Submit)));
        let mut ep9 = endpoint(AllowMessages::All);
        ep9.endpoint_id = Some("ep-9".into());
        let _ = answered(&mut a, &other, ep9);
        let _ = answered(&mut a, &req, endpoint(AllowMessages::None));
        assert_eq!(a.endpoint().unwrap().endpoint_id.as_deref(), Some("ep-9"), "ep-9 stays on show");
        assert!(a.watch().is_none());
    }
}
