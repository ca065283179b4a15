//! The Recent pane's state and what its keys do (issue 5): the history in memory, the filter,
//! the selection, a stored result on show ("from history, 12 min ago"), and the fields that
//! changed since the stored result after a refresh.
//!
//! Everything here is pure, like the rest of [`App::update`]: recording and forgetting change
//! the history in memory only, and the event loop has it written off the loop: on
//! [`Effect::Record`] and [`Effect::SaveHistory`] it asks for a copy (`Action::SaveHistory`,
//! [`Recent::save_job`]) and hands it to the saver thread (`tui::saver`); the result comes
//! back as `Action::HistorySaved` ([`Recent::save_done`]). Drawing is in `ui::recent`.

use super::app::{App, Focus};
use super::detail::Detail;
use super::fields::FieldId;
use crate::aws::op;
use crate::jobs::worker::Query;
use crate::model::Endpoint;
use crate::model::{self, Timestamp};
use crate::model::{ErrorKind, ServiceError, Target};
use crate::store::history::{self, Entry, Field, FieldChange, History, Options, Outcome};
use crate::tui::action::{Cmd, Effect, Notice, Recorded};
use crate::tui::text::MAX_FILTER;
use std::path::PathBuf;
use std::time::Duration;
use tui_input::{Input, InputRequest};

pub use super::context::Context;

/// How far PgUp/PgDn move in the list.
const PAGE: usize = 10;

/// The recent lookups as the browser holds them.
#[derive(Clone, Debug)]
pub struct Recent {
    history: History,
    /// Whether the history is saved to its file (false when there is no home directory, and in a
    /// detached, never-loaded history).
    persist: bool,
    /// Indices into the history's entries that pass the filter, newest first.
    matches: Vec<usize>,
    /// Index into `matches`.
    selected: usize,
    /// The filter text (substring of user ARN, endpoint ID or Name, ignoring case).
    pub filter: Input,
    /// The filter input has the keyboard (after `/`, until Enter or Esc).
    pub filtering: bool,
    /// The detail pane shows this entry's stored result.
    pub viewing: Option<Viewing>,
    /// The fields that changed at the last refresh of a remembered endpoint.
    pub changes: Option<Changes>,
    /// What loading the file found wrong (moved aside, newer version), shown in the empty
    /// pane in full (the message line may be too short for the paths).
    pub warning: Option<String>,
    /// The newer-version refusal was shown once; later saves stay quiet.
    newer_warned: bool,
    /// Names are shown (`s`): only then does the filter search them.
    names_visible: bool,
    /// The widest endpoint ID in the history (the pane widens for it when the screen has room).
    pub id_width: usize,
}

/// A stored result on show in the detail pane.
#[derive(Clone, Debug, PartialEq)]
pub struct Viewing {
    pub query: Query,
    /// When the latest lookup of the entry was made.
    pub time: Timestamp,
    /// The `at` of the `Detail::Endpoint` put on show (None: a stored failure).
    pub at: Option<jiff::Timestamp>,
    /// When the result on show was looked up (None: unknown, an older file).
    pub result_time: Option<Timestamp>,
    /// The latest lookup failed after the result on show was taken: how.
    pub failed_since: Option<history::Failure>,
    /// Where the entry was looked up.
    pub context: Context,
}

/// How a refreshed result differs from the stored one.
#[derive(Clone, Debug, PartialEq)]
pub struct Changes {
    pub query: Query,
    /// The `at` of the `Detail::Endpoint` the changes belong to.
    pub at: jiff::Timestamp,
    /// When the stored result was looked up.
    pub since: Timestamp,
    pub fields: Vec<FieldChange>,
}

impl Default for Recent {
    fn default() -> Self {
        Self::detached(History::new(PathBuf::new(), Options::default()))
    }
}

impl Recent {
    /// A history that is saved to its file.
    pub fn new(history: History) -> Self {
        Self { persist: true, ..Self::detached(history) }
    }

    /// A history kept in memory only (tests, benches, no home directory).
    pub fn detached(history: History) -> Self {
        let mut r = Self {
            history,
            persist: false,
            matches: Vec::new(),
            selected: 0,
            filter: Input::default(),
            filtering: false,
            viewing: None,
            changes: None,
            warning: None,
            newer_warned: false,
            names_visible: false,
            id_width: 0,
        };
        r.refilter();
        r
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// The entries that pass the filter (indices into `history().entries()`), newest first.
    pub fn matches(&self) -> &[usize] {
        &self.matches
    }

    /// The selection, as an index into [`Recent::matches`].
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.matches.get(self.selected).and_then(|&i| self.history.get(i))
    }

    pub fn is_filtered(&self) -> bool {
        !self.filter.value().trim().is_empty()
    }

    pub(super) fn select_key(&mut self, user_arn: &str, endpoint_id: &str) {
        if let Some(pos) = self.history.position(user_arn, endpoint_id)
            && let Some(s) = self.matches.iter().position(|&i| i == pos)
        {
            self.selected = s;
        }
    }

    /// Names are shown or masked: the filter searches them only while shown.
    pub fn set_names_visible(&mut self, visible: bool) {
        if self.names_visible != visible {
            self.names_visible = visible;
            self.refilter();
        }
    }

    /// Recompute the matches, keeping the selected entry selected when it still matches.
    pub fn refilter(&mut self) {
        let key = self.selected_entry().map(|e| (e.user_arn.clone(), e.endpoint_id.clone()));
        let needle = self.filter.value().trim().to_lowercase();
        self.matches = if needle.is_empty() {
            (0..self.history.len()).collect()
        } else {
            let names = self.names_visible;
            let entries = self.history.entries();
            (0..entries.len()).filter(|&i| entry_matches(&entries[i], &needle, names)).collect()
        };
        self.id_width = self
            .history
            .entries()
            .iter()
            .map(|e| crate::tui::text::str_width(&model::escape_control(&e.endpoint_id)))
            .max()
            .unwrap_or(0);
        self.selected = self.selected.min(self.matches.len().saturating_sub(1));
        if let Some((arn, id)) = key {
            self.select_key(&arn, &id);
        }
    }

    pub(super) fn move_by(&mut self, c: Cmd) {
        self.selected = super::cursor::moved(self.selected, self.matches.len(), PAGE, c);
    }

    /// Select the `n`th visible match (a click); false when there is none.
    pub fn select(&mut self, n: usize) -> bool {
        if n < self.matches.len() {
            self.selected = n;
            true
        } else {
            false
        }
    }

    /// What to write, to hand to a saver ([`super::saver`]): a copy of the history taking
    /// the changes made since the last job. None when nothing is written (a detached history,
    /// or a newer version's file already reported). The copy comes back in [`Recent::save_done`].
    pub fn save_job(&mut self) -> Option<History> {
        if !self.persist {
            return None;
        }
        if self.history.newer_version().is_some() && self.newer_warned {
            return None;
        }
        Some(self.history.take_save_job())
    }

    /// A job from [`Recent::save_job`] was saved (or not): take in what the file held
    /// (other browsers' lookups), keeping what changed here meanwhile. Returns a message for
    /// the screen when something went wrong.
    pub fn save_done(
        &mut self,
        job: History,
        result: Result<Option<String>, history::HistoryError>,
    ) -> Option<Notice> {
        self.history.absorb_saved(job, result.is_ok());
        self.refilter();
        match result {
            Ok(None) => None,
            Ok(Some(warning)) => Some(Notice::error(warning)),
            Err(e) => {
                let newer = matches!(e, history::HistoryError::NewerVersion { .. });
                if newer && std::mem::replace(&mut self.newer_warned, true) {
                    // Queued jobs of the same session: the refusal was already shown.
                    return None;
                }
                tracing::warn!(error = %e, "history not saved");
                Some(Notice::error(e.to_string()))
            }
        }
    }
}

/// Whether an entry shows `needle` (lower case): what its rows show, as the list filter
/// searches what its rows show: the endpoint ID, the user (the whole ARN), the status word
/// ("INACTIVE", "not found") and "no messages", the context (region, profile or "demo"), and
/// the Name only while names are shown (a masked value is not given away by the filter).
pub fn entry_matches(e: &Entry, needle: &str, names: bool) -> bool {
    let has = |s: &str| s.to_lowercase().contains(needle);
    let muted = e.health() == Some(model::Health::Muted);
    has(&e.endpoint_id)
        || has(&e.user_arn)
        || has(e.status_word())
        || (muted && has("no messages"))
        || has(&Context::of(e).label())
        || (names && e.name().is_some_and(has))
}

/// The detail pane's field for a field the history compares.
pub fn field_id(f: Field) -> FieldId {
    match f {
        Field::Status => FieldId::Status,
        Field::Reason => FieldId::Reason,
        Field::AllowMessages => FieldId::Messages,
        Field::Type => FieldId::Type,
        Field::ResourceArn => FieldId::ResourceArn,
        Field::DeviceToken => FieldId::DeviceToken,
        Field::VoipDeviceToken => FieldId::VoipToken,
        Field::Updated => FieldId::Updated,
        Field::Name => FieldId::Name,
    }
}

/// The wall clock as the history keeps time.
pub fn timestamp(t: jiff::Timestamp) -> Timestamp {
    Timestamp::from_jiff_millis(t)
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

/// A stored failure as the detail pane shows errors.
fn stored_error(f: &history::Failure) -> ServiceError {
    let kind = ErrorKind::ALL
        .into_iter()
        .find(|k| k.label() == f.error)
        .or_else(|| ErrorKind::from_code(&f.exception))
        .unwrap_or(ErrorKind::Other);
    let mut e = ServiceError::new(kind, f.message.clone(), op::DESCRIBE_ENDPOINT);
    e.exception = f.exception.clone();
    e.http_status = f.http_status;
    e
}

impl App {
    /// Wire in the history: the Recent pane appears and every lookup is recorded.
    pub fn attach_history(&mut self, history: History) {
        self.recent = Recent::new(history);
        self.has_recent = true;
    }

    /// A history that is never written (tests, benches).
    pub fn attach_history_in_memory(&mut self, history: History) {
        self.recent = Recent::detached(history);
        self.has_recent = true;
    }

    /// The filter input has the keyboard.
    pub fn recent_filter_editing(&self) -> bool {
        self.has_recent && self.focus == Focus::Recent && self.recent.filtering
    }

    /// The stored result on show in the detail pane, if what it shows came from the history.
    pub fn from_history(&self) -> Option<&Viewing> {
        let v = self.recent.viewing.as_ref()?;
        let shown = match &self.detail {
            Detail::Endpoint { query, at, .. } => *query == v.query && v.at == Some(*at),
            Detail::Error { query, .. } => *query == v.query && v.at.is_none(),
            _ => false,
        };
        shown.then_some(v)
    }

    /// The fields to highlight in the detail pane: changed since the stored result.
    pub fn changed_fields(&self) -> Option<&Changes> {
        let c = self.recent.changes.as_ref()?;
        match &self.detail {
            Detail::Endpoint { query, at, .. } if *query == c.query && *at == c.at => Some(c),
            _ => None,
        }
    }

    /// A key in the Recent pane. `None`: not the pane's, handled as anywhere else.
    pub(super) fn recent_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        if !self.has_recent {
            return None;
        }
        match c {
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                self.recent.move_by(c);
            }
            Cmd::Submit if self.recent.filtering => self.recent.filtering = false,
            Cmd::Submit => return Some(self.show_selected()),
            Cmd::Cancel if self.recent.filtering || self.recent.is_filtered() => {
                self.recent.filtering = false;
                self.recent.filter = Input::default();
                self.recent.refilter();
            }
            Cmd::Retry => return Some(self.refresh_selected()),
            Cmd::CopyField | Cmd::CopyJson | Cmd::CopyCommand if !self.recent.filtering => {
                return Some(self.copy_entry(c));
            }
            Cmd::Filter => self.recent.filtering = true,
            Cmd::Forget => return Some(self.forget_selected()),
            Cmd::FocusNext | Cmd::FocusPrev | Cmd::FocusArn => {
                self.recent.filtering = false;
                return None;
            }
            _ => return None,
        }
        Some(vec![])
    }

    /// `/` or `d` outside the Recent pane.
    pub(super) fn recent_elsewhere(&mut self, c: Cmd) -> Vec<Effect> {
        if !self.has_recent {
            self.notify(Notice::info("No recent lookups in this session"));
            return vec![];
        }
        self.focus = Focus::Recent;
        if c == Cmd::Filter {
            self.recent.filtering = true;
        } else {
            self.notify(Notice::info("Select a recent lookup, then press d to forget it"));
        }
        vec![]
    }

    /// Edit the filter (keys typed while it has the keyboard).
    pub(super) fn recent_edit(&mut self, req: InputRequest) {
        if let InputRequest::InsertChar(c) = req
            && (c.is_control() || self.recent.filter.value().len() >= MAX_FILTER)
        {
            return;
        }
        if self.recent.filter.handle(req).is_some_and(|s| s.value) {
            self.recent.refilter();
        }
    }

    /// A paste while the filter has the keyboard.
    pub(super) fn recent_paste(&mut self, text: &str) {
        let text: String = text.trim().chars().filter(|c| !c.is_control()).take(MAX_FILTER).collect();
        let value = format!("{}{}", self.recent.filter.value(), text);
        let cursor = value.chars().count();
        self.recent.filter = Input::new(value).with_cursor(cursor);
        self.recent.refilter();
    }

    /// A click on screen row `y` of the Recent pane at `area`: select the entry there.
    pub(super) fn recent_click(&mut self, area: ratatui::layout::Rect, y: u16) {
        if let Some(n) = super::layout::recent_entry_at(self, area, y) {
            self.recent.select(n);
        }
    }

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
        self.field = 0;
        self.finding = None;
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
        if self.size.0 < super::layout::RECENT_MIN_WIDTH {
            self.focus = Focus::Detail;
        }
        eff
    }

    /// The context a lookup made now goes to, for an ARN whose region is `region`.
    pub fn session_context(&self, region: &str) -> Context {
        let endpoint_url = match &self.session.target {
            Target::Aws => None,
            Target::Custom(u) | Target::Demo(u) => Some(u.clone()),
        };
        let profile = (self.session.profile != "demo").then(|| self.session.profile.clone());
        Context { profile, endpoint_url, region: region.to_string() }
    }

    /// y / Y / c on the selected entry: its endpoint ID, its stored result as JSON (following
    /// the mask, as in the detail pane), the AWS CLI command that looks it up where it was
    /// looked up (its region, profile and endpoint URL).
    pub(super) fn copy_entry(&mut self, c: Cmd) -> Vec<Effect> {
        let Some(e) = self.recent.selected_entry().cloned() else {
            self.notify(Notice::info("No recent lookup selected"));
            return vec![];
        };
        match c {
            Cmd::CopyField => vec![Effect::Copy { what: "endpoint ID".into(), text: e.endpoint_id.clone() }],
            Cmd::CopyJson => match &e.last_result {
                Some(r) => vec![super::copy::endpoint_json_copy(r, self.show_secrets)],
                None => {
                    self.notify(Notice::info("No stored result for this lookup: r looks it up again"));
                    vec![]
                }
            },
            _ => {
                let ctx = Context::of(&e);
                let profile = ctx.profile.as_deref().filter(|p| *p != "default");
                let text = crate::commands::aws_cli::aws_cli_command(
                    &e.user_arn,
                    &e.endpoint_id,
                    &e.region,
                    profile,
                    ctx.endpoint_url.as_deref(),
                );
                vec![Effect::Copy { what: "AWS CLI command".into(), text }]
            }
        }
    }

    /// r: look the selected entry up again.
    pub(super) fn refresh_selected(&mut self) -> Vec<Effect> {
        let Some(entry) = self.recent.selected_entry() else {
            self.notify(Notice::info("No recent lookup selected"));
            return vec![];
        };
        let (arn, id) = (entry.user_arn.clone(), entry.endpoint_id.clone());
        let then = Context::of(entry);
        self.set_inputs(&arn, &id);
        let eff = self.start(Query::Describe { user_arn: arn, endpoint_id: id.clone() });
        let now = self.session_context(&self.region());
        if !then.same_as(&now) {
            self.notify(Notice::info(format!(
                "Looking {} up in {}; it was looked up in {} (the answers will not be compared)",
                model::escape_control(&id),
                now.label(),
                then.label()
            )));
        }
        eff
    }

    /// d: forget the selected entry, here and (at the save) on disk.
    pub(super) fn forget_selected(&mut self) -> Vec<Effect> {
        let Some(entry) = self.recent.selected_entry() else {
            self.notify(Notice::info("No recent lookup selected"));
            return vec![];
        };
        let (arn, id) = (entry.user_arn.clone(), entry.endpoint_id.clone());
        let text = format!(
            "Forgot {} of {}",
            model::escape_control(&id),
            model::escape_control(history::short_user(&arn))
        );
        self.recent.history.forget(&arn, &id);
        self.recent.refilter();
        self.notify(Notice::info(text));
        vec![Effect::SaveHistory]
    }

    /// A finished lookup (from `lookup_done`): remember it, and when it refreshes a stored
    /// result that differs, say what changed.
    pub(super) fn record_lookup(
        &mut self,
        rec: &Recorded,
        at: jiff::Timestamp,
        result: Result<&Endpoint, &ServiceError>,
    ) {
        if !self.has_recent {
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

#[cfg(test)]
mod tests {
    // Actions are fed and the state (or some effects) checked: not every effect is used.
    #![allow(unused_must_use)]
    use super::*;
    use crate::jobs::worker::{Answer, JobDone};
    use crate::model::{Endpoint, EndpointState, EndpointStatus};
    use crate::tui::action::Action;
    use crate::tui::state::Session;

    const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42";
    const ARN2: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/bob";

    fn wall(secs: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_764_000_000 + secs).unwrap()
    }

    fn endpoint(id: &str, status: EndpointStatus, token: &str) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(ARN.into()),
            endpoint_id: Some(id.into()),
            name: Some("Ada's phone".into()),
            device_token: Some(token.into()),
            state: Some(EndpointState { status, reason: None }),
            ..Default::default()
        }
    }

    fn app() -> App {
        let mut a = App::new(Session::demo());
        a.attach_history_in_memory(History::new(PathBuf::new(), Options::default()));
        a.update(Action::Resize(120, 40));
        let now = a.now;
        a.update(Action::Clock { now, wall: wall(0) });
        a
    }

    /// Look up `arn` + `id` at `secs` and answer with `result`; returns the effects of the answer.
    fn lookup(
        a: &mut App,
        secs: i64,
        arn: &str,
        id: &str,
        result: Result<Endpoint, ServiceError>,
    ) -> Vec<Effect> {
        let now = a.now;
        a.update(Action::Clock { now, wall: wall(secs) });
        a.set_inputs(arn, id);
        a.focus = Focus::EndpointId;
        let eff = a.update(Action::Cmd(Cmd::Submit));
        let Some(Effect::Job(req)) = eff.last() else { panic!("{eff:?}") };
        let req = req.clone();
        a.update(Action::JobDone(JobDone {
            id: req.id,
            query: req.query,
            result: result.map(|e| Answer::Endpoint(Box::new(e))),
            elapsed: Duration::from_millis(5),
        }))
    }

    fn ids(a: &App) -> Vec<String> {
        a.recent.matches().iter().map(|&i| a.recent.history().entries()[i].endpoint_id.clone()).collect()
    }

    fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
        a.update(Action::Cmd(c))
    }

    fn typed(a: &mut App, s: &str) {
        for c in s.chars() {
            a.update(Action::Edit(InputRequest::InsertChar(c)));
        }
    }

    #[test]
    fn every_lookup_is_recorded_newest_first_and_a_repeat_moves_to_the_top() {
        let mut a = app();
        assert!(a.recent.history().is_empty());
        let eff = lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t1")));
        assert!(matches!(eff.as_slice(), [Effect::Record(_)]), "the runner saves on Record: {eff:?}");
        lookup(&mut a, 10, ARN, "ep-9", Err(ServiceError::new(ErrorKind::NotFound, "no", "op")));
        lookup(&mut a, 20, ARN2, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
        assert_eq!(ids(&a), ["ep-1", "ep-9", "ep-1"]);
        assert!(a.recent.history().entries()[1].is_failed(), "failed lookups are recorded too");
        assert_eq!(a.recent.history().entries()[0].user_arn, ARN2);
        // The same ARN + ID again: moved to the top, no duplicate.
        lookup(&mut a, 30, ARN, "ep-9", Ok(endpoint("ep-9", EndpointStatus::Active, "t")));
        assert_eq!(ids(&a), ["ep-9", "ep-1", "ep-1"]);
        assert_eq!(a.recent.history().len(), 3);
        assert_eq!(a.recent.selected(), 0, "the new lookup is selected");
        let top = &a.recent.history().entries()[0];
        assert_eq!((top.endpoint_id.as_str(), top.user_arn.as_str()), ("ep-9", ARN));
        assert_eq!(top.endpoint_url.as_deref(), Some("http://127.0.0.1:4566"));
        assert_eq!(top.time, timestamp(wall(30)));
    }

    #[test]
    fn j_k_move_and_enter_shows_the_stored_result_at_once() {
        let mut a = app();
        lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t1")));
        lookup(&mut a, 60, ARN, "ep-9", Ok(endpoint("ep-9", EndpointStatus::Inactive, "t9")));
        a.focus = Focus::Recent;
        cmd(&mut a, Cmd::Down);
        assert_eq!(a.recent.selected_entry().unwrap().endpoint_id, "ep-1");
        cmd(&mut a, Cmd::Down);
        assert_eq!(a.recent.selected(), 1, "stops at the end");
        cmd(&mut a, Cmd::Up);
        cmd(&mut a, Cmd::Up);
        assert_eq!(a.recent.selected(), 0);
        cmd(&mut a, Cmd::Bottom);
        let now = a.now;
        a.update(Action::Clock { now, wall: wall(12 * 60) });
        let eff = cmd(&mut a, Cmd::Submit);
        assert!(eff.is_empty(), "no request: {eff:?}");
        assert!(!a.is_loading());
        assert_eq!(a.endpoint().unwrap().endpoint_id.as_deref(), Some("ep-1"));
        let v = a.from_history().expect("marked as from the history");
        assert_eq!(crate::model::time::relative_time(v.time, timestamp(a.wall)), "12 min ago");
        assert_eq!(a.focus, Focus::Recent, "the list keeps the keyboard");
        assert_eq!(a.arn.value(), ARN);
        assert_eq!(a.endpoint_id.value(), "ep-1");
        // r refreshes it from the service; the answer is no longer "from history".
        let eff = cmd(&mut a, Cmd::Retry);
        let Some(Effect::Job(req)) = eff.last() else { panic!("{eff:?}") };
        assert_eq!(req.query, Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() });
        a.update(Action::JobDone(JobDone {
            id: req.id,
            query: req.query.clone(),
            result: Ok(Answer::Endpoint(Box::new(endpoint("ep-1", EndpointStatus::Active, "t1")))),
            elapsed: Duration::from_millis(5),
        }));
        assert!(a.from_history().is_none());
        assert!(a.changed_fields().is_none(), "nothing changed");
    }

    #[test]
    fn a_stored_failure_shows_as_an_error_from_history() {
        let mut a = app();
        let mut err = ServiceError::new(ErrorKind::NotFound, "no such endpoint", "op");
        err.http_status = Some(404);
        lookup(&mut a, 0, ARN, "nope", Err(err));
        a.focus = Focus::Recent;
        cmd(&mut a, Cmd::Submit);
        match &a.detail {
            Detail::Error { error, .. } => {
                assert_eq!(error.kind, ErrorKind::NotFound);
                assert_eq!(error.http_status, Some(404));
                assert_eq!(error.message, "no such endpoint");
            }
            other => panic!("{other:?}"),
        }
        assert!(a.from_history().is_some());
    }

    #[test]
    fn filter_narrows_by_substring_and_esc_clears() {
        let mut a = app();
        lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
        lookup(&mut a, 1, ARN2, "ep-2", Ok(endpoint("ep-2", EndpointStatus::Active, "t")));
        lookup(&mut a, 2, ARN, "other", Ok(endpoint("other", EndpointStatus::Active, "t")));
        // `/` from the detail pane goes to the Recent pane's filter.
        a.focus = Focus::Detail;
        cmd(&mut a, Cmd::Filter);
        assert!(a.recent_filter_editing());
        typed(&mut a, "EP-");
        assert_eq!(ids(&a), ["ep-2", "ep-1"], "ignoring case");
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "bob");
        assert_eq!(ids(&a), ["ep-2"], "the ARN is searched");
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "ada");
        assert!(ids(&a).is_empty(), "a masked name is not searched");
        a.update(Action::Cmd(Cmd::ToggleSecrets));
        assert_eq!(ids(&a), ["other", "ep-2", "ep-1"], "a shown name is searched (held in memory)");
        a.update(Action::Cmd(Cmd::ToggleSecrets));
        a.update(Action::Edit(InputRequest::DeleteLine));
        a.update(Action::Paste(" zzz \n".into()));
        assert!(ids(&a).is_empty());
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "ep-1");
        // Enter keeps the filter and gives the keys back to the list.
        cmd(&mut a, Cmd::Submit);
        assert!(!a.recent_filter_editing());
        assert_eq!(ids(&a), ["ep-1"]);
        // Enter again shows the one match.
        cmd(&mut a, Cmd::Submit);
        assert_eq!(a.endpoint().unwrap().endpoint_id.as_deref(), Some("ep-1"));
        // Esc clears the filter.
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.recent.filter.value(), "");
        assert_eq!(ids(&a).len(), 3);
        assert_eq!(a.recent.selected_entry().unwrap().endpoint_id, "ep-1", "the selection is kept");
    }

    #[test]
    fn d_forgets_the_selected_entry_and_asks_for_a_save() {
        let mut a = app();
        lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
        lookup(&mut a, 1, ARN, "ep-2", Ok(endpoint("ep-2", EndpointStatus::Active, "t")));
        a.focus = Focus::Recent;
        assert_eq!(cmd(&mut a, Cmd::Forget), vec![Effect::SaveHistory]);
        assert_eq!(ids(&a), ["ep-1"]);
        assert!(a.notice.as_ref().unwrap().text.contains("Forgot ep-2 of u-42"));
        assert_eq!(cmd(&mut a, Cmd::Forget), vec![Effect::SaveHistory]);
        assert!(ids(&a).is_empty());
        assert!(cmd(&mut a, Cmd::Forget).is_empty(), "nothing left to forget");
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
    }

    #[test]
    fn a_refresh_that_differs_names_the_changed_fields_without_secrets() {
        let mut a = app();
        lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "secret-token-1")));
        let eff = lookup(
            &mut a,
            12 * 60,
            ARN,
            "ep-1",
            Ok(endpoint("ep-1", EndpointStatus::Inactive, "secret-token-2")),
        );
        assert!(matches!(eff.as_slice(), [Effect::Record(_)]));
        let c = a.changed_fields().expect("changes on show");
        let fields: Vec<Field> = c.fields.iter().map(|f| f.field).collect();
        assert_eq!(fields, [Field::Status, Field::DeviceToken]);
        let text = &a.notice.as_ref().unwrap().text;
        assert_eq!(text, "2 fields changed since 12 min ago: status ACTIVE → INACTIVE, device token changed");
        assert!(!text.contains("secret-token"));
        // Showing something else drops the highlight.
        a.focus = Focus::Recent;
        cmd(&mut a, Cmd::Submit);
        assert!(a.changed_fields().is_none());
        // A failed refresh shows no changes and keeps the stored result.
        lookup(&mut a, 13 * 60, ARN, "ep-1", Err(ServiceError::new(ErrorKind::Network, "down", "op")));
        assert!(a.changed_fields().is_none());
        assert!(a.recent.history().entries()[0].last_result.is_some());
    }

    #[test]
    fn the_filter_matches_the_status_shown_on_each_row() {
        let mut a = app();
        lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
        lookup(&mut a, 1, ARN, "ep-9", Ok(endpoint("ep-9", EndpointStatus::Inactive, "t")));
        lookup(&mut a, 2, ARN, "nope", Err(ServiceError::new(ErrorKind::NotFound, "no", "op")));
        let mut muted = endpoint("ep-m", EndpointStatus::Active, "t");
        muted.allow_messages = Some(model::AllowMessages::None);
        lookup(&mut a, 3, ARN, "ep-m", Ok(muted));
        a.focus = Focus::Recent;
        cmd(&mut a, Cmd::Filter);
        typed(&mut a, "INACTIVE");
        assert_eq!(ids(&a), ["ep-9"]);
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "not found");
        assert_eq!(ids(&a), ["nope"]);
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "no messages");
        assert_eq!(ids(&a), ["ep-m"]);
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "demo");
        assert_eq!(ids(&a).len(), 4, "the context shown on each row");
    }

    #[test]
    fn copy_keys_in_recent_act_on_the_selected_entry() {
        let mut a = app();
        lookup(&mut a, 0, ARN2, "ep-2", Ok(endpoint("ep-2", EndpointStatus::Active, "tok-2")));
        lookup(&mut a, 1, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "tok-1")));
        // The detail pane shows ep-1; the selection goes to ep-2.
        a.focus = Focus::Recent;
        cmd(&mut a, Cmd::Down);
        assert_eq!(a.recent.selected_entry().unwrap().endpoint_id, "ep-2");
        let eff = cmd(&mut a, Cmd::CopyField);
        assert_eq!(eff, vec![Effect::Copy { what: "endpoint ID".into(), text: "ep-2".into() }]);
        let eff = cmd(&mut a, Cmd::CopyCommand);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }]
            if text.contains(ARN2) && text.contains("--endpoint-id ep-2") && text.contains("--region us-east-1")),
            "{eff:?}"
        );
        let eff = cmd(&mut a, Cmd::CopyJson);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }]
            if text.contains("\"EndpointId\": \"ep-2\"") && !text.contains("tok-2")),
            "{eff:?}"
        );
    }

    #[test]
    fn a_refresh_from_another_context_says_so_and_reports_no_changes() {
        let mut a = app();
        // Stored by a browser on profile prod, real AWS, in eu-central-1.
        let old = Entry::new(
            ARN,
            "ep-1",
            "eu-central-1",
            timestamp(wall(0)),
            Ok(&endpoint("ep-1", EndpointStatus::Active, "t1")),
        )
        .via(Some("prod".into()), None);
        a.recent.history.record(old);
        a.recent.refilter();
        a.focus = Focus::Recent;
        let now = a.now;
        a.update(Action::Clock { now, wall: wall(60) });
        let eff = cmd(&mut a, Cmd::Retry);
        assert!(
            a.notice
                .as_ref()
                .is_some_and(|n| n.text.contains("it was looked up in eu-central-1 · profile prod")),
            "{:?}",
            a.notice
        );
        let Some(Effect::Job(req)) = eff.last() else { panic!("{eff:?}") };
        a.update(Action::JobDone(JobDone {
            id: req.id,
            query: req.query.clone(),
            result: Ok(Answer::Endpoint(Box::new(endpoint("ep-1", EndpointStatus::Inactive, "t2")))),
            elapsed: Duration::from_millis(5),
        }));
        assert!(a.changed_fields().is_none(), "two backends: the difference is not a change");
        let text = &a.notice.as_ref().unwrap().text;
        assert!(text.contains("not compared") && text.contains("us-east-1 · demo"), "{text}");
    }

    #[test]
    fn a_stored_result_after_a_failed_refresh_says_when_it_was_taken() {
        let mut a = app();
        lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
        lookup(
            &mut a,
            3 * 3600,
            ARN,
            "ep-1",
            Err(ServiceError::new(ErrorKind::Throttled, "Rate exceeded", "op")),
        );
        a.focus = Focus::Recent;
        cmd(&mut a, Cmd::Submit);
        let v = a.from_history().expect("the stored result on show");
        assert_eq!(v.result_time, Some(timestamp(wall(0))), "the last good answer's time, not the failure's");
        assert!(v.failed_since.as_ref().is_some_and(|f| f.message == "Rate exceeded"));
    }

    #[test]
    fn without_a_history_nothing_is_recorded() {
        let mut a = App::new(Session::demo());
        assert!(!a.has_recent);
        lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
        assert!(a.recent.history().is_empty());
        a.focus = Focus::Detail;
        cmd(&mut a, Cmd::Filter);
        assert_eq!(a.focus, Focus::Detail);
    }
}
