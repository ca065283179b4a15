//! Browsing: app instances → users → endpoints, a list pane per level.
//!
//! Enter in the lookup pane reads what was typed ([`intent`]): nothing lists the app
//! instances, an app-instance ARN its users, a user ARN without an endpoint ID its endpoints,
//! and both look the endpoint up as before. The list opens with the levels above it on a
//! stack ([`Browse`]), so Backspace or Esc go back up with the cursor where it was.
//!
//! Pages come from the same worker as lookups: one request at a time per list, each with an
//! id, and a page whose id is no longer awaited (the list was left, reloaded or superseded)
//! is dropped. The next page is asked for when the cursor comes within a screen of the end
//! ([`ListView::wants_page`]); a failed page is shown in place and `r` asks again. `/` filters
//! what is loaded. In the endpoint-ID input the user's endpoints are offered as completions
//! ([`Completion`]): fetched in the background when the input gets the keyboard with a
//! valid user ARN above it, shown in a dropdown under the input, the best match ghosted after
//! the cursor; Tab or → takes it, ↓/↑ choose another, Enter takes the chosen one and looks up.

use super::app::{App, Cmd, Effect, Focus, Notice};
use crate::aws::LookupError;
use crate::model::{self, ArnKind, EndpointSummary, InstanceSummary, UserSummary};
use crate::worker::{Answer, LookupDone, LookupRequest, Query};
use std::time::Instant;
use tui_input::{Input, InputRequest};

/// The next page is asked for when the cursor is this close to the end (or a screenful,
/// when the screen is taller).
pub const NEAR_END: usize = 10;
/// At most this many endpoints are fetched for completions.
pub const COMPLETION_CAP: usize = 1000;
/// Longest filter accepted.
pub const MAX_FILTER: usize = 256;

/// What Enter in the lookup pane asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Open these lists, outermost first; the last is shown, the others wait above it.
    Browse(Vec<Query>),
    /// Look the endpoint up (the lookup's own checks explain anything wrong).
    Describe,
    /// Nothing sent: the input to fix, and why.
    Refuse(Focus, String),
}

/// Read what was typed: see the module documentation.
pub fn intent(arn: &str, endpoint_id: &str) -> Intent {
    let instances = Query::ListInstances { next_token: None };
    if arn.is_empty() {
        return if endpoint_id.is_empty() {
            Intent::Browse(vec![instances])
        } else {
            Intent::Refuse(
                Focus::Arn,
                "Not looked up: an endpoint ID needs its user ARN (with both empty, Enter lists the app instances)"
                    .into(),
            )
        };
    }
    let Ok(parsed) = model::parse_chime_arn("ARN", arn) else { return Intent::Describe };
    let users = |a: String| Query::ListUsers { app_instance_arn: a, next_token: None };
    match parsed.kind {
        ArnKind::AppInstance { .. } if endpoint_id.is_empty() => Intent::Browse(vec![instances, users(arn.into())]),
        ArnKind::AppInstance { .. } => Intent::Refuse(
            Focus::EndpointId,
            "Not looked up: the ARN names an app instance, and endpoints belong to users (clear the endpoint ID to list its users)"
                .into(),
        ),
        ArnKind::User { .. } if endpoint_id.is_empty() => Intent::Browse(vec![
            instances,
            users(parsed.app_instance_arn()),
            Query::ListEndpoints { user_arn: arn.into(), next_token: None },
        ]),
        ArnKind::User { .. } => Intent::Describe,
    }
}

/// The rows of one list, as loaded so far.
#[derive(Clone, Debug, PartialEq)]
pub enum Rows {
    Instances(Vec<InstanceSummary>),
    Users(Vec<UserSummary>),
    Endpoints(Vec<EndpointSummary>),
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    model::escape_control(s)
}

fn width_of(s: Option<&str>) -> usize {
    s.map(|s| super::ui::str_width(&esc(s))).unwrap_or(1)
}

impl Rows {
    fn for_query(q: &Query) -> Rows {
        match q {
            Query::ListInstances { .. } => Rows::Instances(Vec::new()),
            Query::ListUsers { .. } => Rows::Users(Vec::new()),
            Query::ListEndpoints { .. } | Query::Describe { .. } => Rows::Endpoints(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Rows::Instances(v) => v.len(),
            Rows::Users(v) => v.len(),
            Rows::Endpoints(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// "app instances", "users", "endpoints" (singular for one).
    pub fn noun(&self, n: usize) -> &'static str {
        match (self, n == 1) {
            (Rows::Instances(_), true) => "app instance",
            (Rows::Instances(_), false) => "app instances",
            (Rows::Users(_), true) => "user",
            (Rows::Users(_), false) => "users",
            (Rows::Endpoints(_), true) => "endpoint",
            (Rows::Endpoints(_), false) => "endpoints",
        }
    }

    /// What identifies row `i`: its ARN, or for an endpoint its ID.
    pub fn key(&self, i: usize) -> Option<&str> {
        match self {
            Rows::Instances(v) => v.get(i)?.app_instance_arn.as_deref(),
            Rows::Users(v) => v.get(i)?.app_instance_user_arn.as_deref(),
            Rows::Endpoints(v) => v.get(i)?.endpoint_id.as_deref(),
        }
    }

    /// Append a page; returns its next token, or Err when the answer is of another kind.
    fn append(&mut self, answer: Answer) -> Result<Option<String>, ()> {
        let next = answer.next_token().map(str::to_string);
        match (self, answer) {
            (Rows::Instances(v), Answer::Instances(p)) => v.extend(p.items),
            (Rows::Users(v), Answer::Users(p)) => v.extend(p.items),
            (Rows::Endpoints(v), Answer::Endpoints(p)) => v.extend(p.items),
            _ => return Err(()),
        }
        Ok(next)
    }

    /// The widest value of each variable column of row `i` (see [`ListView::widths`]).
    fn widths(&self, i: usize) -> [usize; 3] {
        match self {
            Rows::Instances(v) => {
                let r = &v[i];
                let arn = r.app_instance_arn.as_deref().and_then(|a| model::parse_chime_arn("ARN", a).ok());
                let region = arn.as_ref().map(|p| p.region().len()).unwrap_or(1);
                let id = arn.as_ref().map(|p| super::ui::str_width(&esc(p.app_instance_id()))).unwrap_or(1);
                [width_of(r.name.as_deref()), region, id]
            }
            Rows::Users(v) => {
                let r = &v[i];
                [width_of(r.name.as_deref()), width_of(user_id(r.app_instance_user_arn.as_deref())), 0]
            }
            Rows::Endpoints(v) => {
                let r = &v[i];
                let reason =
                    r.state.as_ref().and_then(|s| s.reason.as_ref()).map(|x| x.as_str().len()).unwrap_or(0);
                let ty = r.endpoint_type.as_ref().map(|t| t.as_str().len()).unwrap_or(1);
                [width_of(r.endpoint_id.as_deref()), reason, ty]
            }
        }
    }

    /// Whether row `i` holds `needle` (lower case). An endpoint's Name is searched only while
    /// secrets are shown: a masked value is not given away by the filter.
    fn matches(&self, i: usize, needle: &str, show_secrets: bool) -> bool {
        let has = |s: Option<&str>| s.is_some_and(|s| s.to_lowercase().contains(needle));
        match self {
            Rows::Instances(v) => {
                let r = &v[i];
                has(r.name.as_deref()) || has(r.metadata.as_deref()) || has(r.app_instance_arn.as_deref())
            }
            Rows::Users(v) => {
                let r = &v[i];
                has(r.name.as_deref())
                    || has(r.metadata.as_deref())
                    || has(r.app_instance_user_arn.as_deref())
            }
            Rows::Endpoints(v) => {
                let r = &v[i];
                let st = r.state.as_ref();
                has(r.endpoint_id.as_deref())
                    || has(st.map(|s| s.status.as_str()))
                    || has(st.and_then(|s| s.reason.as_ref()).map(|x| x.as_str()))
                    || has(r.endpoint_type.as_ref().map(|t| t.as_str()))
                    || has(r.allow_messages.as_ref().map(|a| a.as_str()))
                    || (show_secrets && has(r.name.as_deref()))
            }
        }
    }

    /// Row `i` as JSON (the list operation's shape), for `Y`.
    fn json(&self, i: usize) -> Option<serde_json::Value> {
        Some(match self {
            Rows::Instances(v) => v.get(i)?.to_json(),
            Rows::Users(v) => v.get(i)?.to_json(),
            Rows::Endpoints(v) => v.get(i)?.to_json(),
        })
    }
}

/// The user ID at the end of a user ARN.
pub fn user_id(arn: Option<&str>) -> Option<&str> {
    arn.map(model::short_user)
}

/// One list: what it lists, what is loaded, the cursor and the filter.
#[derive(Clone, Debug)]
pub struct ListView {
    /// The list's first page (no token); later pages are the same query with a token.
    pub query: Query,
    pub rows: Rows,
    /// The widest value of each variable column over every loaded row, kept as pages
    /// arrive so that columns do not move while scrolling: endpoints (ID, reason, type),
    /// users (name, user ID, -), instances (name, region, instance ID).
    pub widths: [usize; 3],
    next_token: Option<String>,
    pub pages: usize,
    /// Every page is loaded.
    pub complete: bool,
    /// The page request in flight: its id and when it left.
    pub loading: Option<(u64, Instant)>,
    /// The last page request failed: shown in place, `r` asks again.
    pub error: Option<LookupError>,
    /// Indices into `rows` that pass the filter, in order.
    visible: Vec<usize>,
    /// Index into the visible rows.
    pub cursor: usize,
    /// The first visible row on screen.
    pub offset: usize,
    pub filter: Input,
    /// The filter input has the keyboard.
    pub filter_open: bool,
    /// Put the cursor on the row with this key when it arrives (a reload, or a level above
    /// one opened from a typed ARN).
    select_key: Option<String>,
    /// Keep paging until this many rows are loaded (a reload goes back to where it was).
    min_rows: usize,
    /// Every NextToken seen: a service that hands one out twice would page forever.
    seen_tokens: crate::jobs::paging::Tokens,
    /// `G` (or End) was pressed before every page was loaded: keep paging, the cursor on the
    /// last row, until the real end.
    pub to_end: bool,
}

impl ListView {
    pub fn new(query: Query) -> Self {
        let query = query.at_page(None);
        Self {
            rows: Rows::for_query(&query),
            query,
            widths: [0; 3],
            next_token: None,
            pages: 0,
            complete: false,
            loading: None,
            error: None,
            visible: Vec::new(),
            cursor: 0,
            offset: 0,
            filter: Input::default(),
            filter_open: false,
            select_key: None,
            min_rows: 0,
            seen_tokens: Default::default(),
            to_end: false,
        }
    }

    /// A list with these rows already loaded (tests and benches).
    pub fn loaded(query: Query, rows: Rows, complete: bool) -> Self {
        let mut v = Self::new(query);
        v.widths = (0..rows.len()).fold([0; 3], |w, i| {
            let r = rows.widths(i);
            [w[0].max(r[0]), w[1].max(r[1]), w[2].max(r[2])]
        });
        v.visible = (0..rows.len()).collect();
        v.rows = rows;
        v.pages = 1;
        v.complete = complete;
        v.next_token = (!complete).then(|| "more".to_string());
        v
    }

    /// The rows that pass the filter (indices into `rows`).
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The row under the cursor (index into `rows`).
    pub fn selected(&self) -> Option<usize> {
        self.visible.get(self.cursor).copied()
    }

    pub fn is_filtered(&self) -> bool {
        !self.filter.value().is_empty()
    }

    pub fn loading_id(&self) -> Option<u64> {
        self.loading.map(|(id, _)| id)
    }

    /// The ARN this list belongs to ("" for the app instances).
    pub fn arn(&self) -> &str {
        match &self.query {
            Query::ListUsers { app_instance_arn, .. } => app_instance_arn,
            Query::ListEndpoints { user_arn, .. } => user_arn,
            _ => "",
        }
    }

    /// Whether the next page should be asked for now: more exist, none is in flight, the
    /// last did not fail, and the cursor is within `max(NEAR_END, height)` rows of the end
    /// of what is shown (or a reload has not yet got back to where it was).
    pub fn wants_page(&self, height: usize) -> bool {
        !self.complete
            && self.loading.is_none()
            && self.error.is_none()
            && (self.to_end
                || self.cursor + NEAR_END.max(height) >= self.visible.len()
                || self.rows.len() < self.min_rows)
    }

    /// Ask for the next page (the first when nothing is loaded).
    fn request(&mut self, id: u64, now: Instant) -> Effect {
        self.loading = Some((id, now));
        self.error = None;
        Effect::Lookup(LookupRequest { id, query: self.query.at_page(self.next_token.clone()) })
    }

    fn cancel(&mut self) -> Option<Effect> {
        self.loading.take().map(|(id, _)| Effect::CancelLookup(id))
    }

    /// A page (or its failure) arrived for the request in flight.
    fn page_done(&mut self, result: Result<Answer, LookupError>, show_secrets: bool) {
        self.loading = None;
        let answer = match result {
            Ok(a) => a,
            Err(e) => {
                self.error = Some(e);
                self.to_end = false;
                return;
            }
        };
        let before = self.rows.len();
        match self.rows.append(answer).map(|next| self.seen_tokens.next(next.as_deref())) {
            Ok(Err(mut e)) => {
                self.pages += 1;
                e.message.push_str("; the rows so far are shown");
                self.error = Some(e);
                self.complete = true;
                self.next_token = None;
            }
            Ok(Ok(next)) => {
                self.pages += 1;
                self.complete = next.is_none();
                self.next_token = next;
            }
            Err(()) => {
                self.error = Some(LookupError::new(
                    crate::aws::ErrorKind::InvalidResponse,
                    "the answer is not a page of this list",
                    "",
                ));
                return;
            }
        }
        let needle = self.filter.value().to_lowercase();
        for i in before..self.rows.len() {
            let w = self.rows.widths(i);
            for (have, new) in self.widths.iter_mut().zip(w) {
                *have = (*have).max(new);
            }
            if needle.is_empty() || self.rows.matches(i, &needle, show_secrets) {
                self.visible.push(i);
            }
        }
        if let Some(key) = &self.select_key
            && let Some(pos) =
                self.visible.iter().position(|&i| i >= before && self.rows.key(i) == Some(key.as_str()))
        {
            self.cursor = pos;
            self.select_key = None;
        }
        if self.to_end {
            self.cursor = self.visible.len().saturating_sub(1);
        }
        if self.complete {
            self.select_key = None;
            self.min_rows = 0;
            self.to_end = false;
        }
    }

    /// Apply the filter again, keeping the cursor on the same row when it still shows.
    pub fn refilter(&mut self, show_secrets: bool) {
        let keep = self.selected();
        let needle = self.filter.value().to_lowercase();
        self.visible = if needle.is_empty() {
            (0..self.rows.len()).collect()
        } else {
            (0..self.rows.len()).filter(|&i| self.rows.matches(i, &needle, show_secrets)).collect()
        };
        self.cursor = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
    }

    fn clear_filter(&mut self, show_secrets: bool) {
        self.filter_open = false;
        self.filter = Input::default();
        self.refilter(show_secrets);
    }

    /// Move the cursor; `height` is the number of rows on screen.
    pub fn move_by(&mut self, c: Cmd, height: usize) {
        let last = self.visible.len().saturating_sub(1);
        let page = height.max(1);
        self.cursor = match c {
            Cmd::Up => self.cursor.saturating_sub(1),
            Cmd::Down => (self.cursor + 1).min(last),
            Cmd::PageUp => self.cursor.saturating_sub(page),
            Cmd::PageDown => (self.cursor + page).min(last),
            Cmd::Top => 0,
            Cmd::Bottom => last,
            _ => self.cursor,
        };
        // G before the last page: to the real end, page by page.
        self.to_end = c == Cmd::Bottom && !self.complete && self.error.is_none();
        self.scroll(height);
    }

    /// Keep the cursor on screen, moving the view as little as possible.
    pub fn scroll(&mut self, height: usize) {
        self.offset = scrolled(self.offset, self.cursor, height);
    }

    /// "loading…", "120 loaded, more…", "57 endpoints", "3 of 57 endpoints".
    pub fn status(&self) -> String {
        let n = self.rows.len();
        if n == 0 && !self.complete {
            return if self.error.is_some() { "not loaded".into() } else { "loading…".into() };
        }
        let shown = if self.is_filtered() { format!("{} of ", self.visible.len()) } else { String::new() };
        if self.complete {
            format!("{shown}{n} {}", self.rows.noun(n))
        } else if self.to_end {
            format!("{shown}{n} loaded, loading to the end…")
        } else {
            format!("{shown}{n} loaded, more…")
        }
    }
}

/// The first row to show so that `cursor` is on a screen of `height` rows starting near
/// `offset`.
pub fn scrolled(offset: usize, cursor: usize, height: usize) -> usize {
    let height = height.max(1);
    if cursor < offset {
        cursor
    } else if cursor >= offset + height {
        cursor + 1 - height
    } else {
        offset
    }
}

/// The user's endpoints, offered in the endpoint-ID input.
#[derive(Clone, Debug, Default)]
pub struct Completion {
    /// Whose endpoints these are.
    pub user_arn: Option<String>,
    pub items: Vec<EndpointSummary>,
    /// The page request in flight.
    pub loading: Option<u64>,
    next_token: Option<String>,
    pub error: Option<LookupError>,
    /// Chosen with ↓/↑: an index into [`Completion::matches`].
    pub selected: Option<usize>,
    /// Closed with Esc (or by a lookup) until the next edit.
    pub hidden: bool,
}

impl Completion {
    /// The candidates for what is typed (indices into `items`): IDs starting with it first,
    /// then those containing it, ignoring case.
    pub fn matches(&self, typed: &str) -> Vec<usize> {
        let t = typed.to_lowercase();
        let mut prefix = Vec::new();
        let mut inner = Vec::new();
        for (i, e) in self.items.iter().enumerate() {
            let Some(id) = e.endpoint_id.as_deref() else { continue };
            let id = id.to_lowercase();
            if id.starts_with(&t) {
                prefix.push(i);
            } else if id.contains(&t) {
                inner.push(i);
            }
        }
        prefix.extend(inner);
        prefix
    }

    /// What Tab or → would put in the input: the chosen candidate, or else the one ID that
    /// starts with what is typed, when only one does (something must be typed). With two or
    /// more (`ep-1` and `ep-10` for `ep-1`) nothing is guessed.
    pub fn chosen(&self, typed: &str) -> Option<&str> {
        let m = self.matches(typed);
        let id = |i: usize| self.items[i].endpoint_id.as_deref();
        match self.selected {
            Some(s) => m.get(s).and_then(|&i| id(i)),
            None if typed.is_empty() => None,
            None => {
                let t = typed.to_lowercase();
                let mut starting =
                    m.iter().filter_map(|&i| id(i)).filter(|c| c.to_lowercase().starts_with(&t));
                match (starting.next(), starting.next()) {
                    (Some(only), None) if only.len() > typed.len() => Some(only),
                    _ => None,
                }
            }
        }
    }

    /// The rest of the chosen candidate after what is typed, drawn after the cursor in the
    /// ghost style (only when it continues the typed text exactly).
    pub fn ghost(&self, typed: &str) -> Option<&str> {
        self.chosen(typed).and_then(|c| c.strip_prefix(typed)).filter(|g| !g.is_empty())
    }

    /// What Enter looks up instead of the typed text: the highlighted row, or the candidate
    /// ghosted after the text. What the user sees is what is looked up.
    pub fn on_enter(&self, typed: &str) -> Option<&str> {
        if self.selected.is_some() {
            return self.chosen(typed);
        }
        self.ghost(typed).and_then(|_| self.chosen(typed))
    }

    /// Tab with several IDs starting with what is typed: as far as they agree (shell-like).
    pub fn common_prefix(&self, typed: &str) -> Option<String> {
        let mut ids =
            self.items.iter().filter_map(|e| e.endpoint_id.as_deref()).filter(|c| c.starts_with(typed));
        let first = ids.next()?;
        let mut common = first.to_string();
        for id in ids {
            let n =
                common.chars().zip(id.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
            common.truncate(n);
        }
        (common.len() > typed.len()).then_some(common)
    }
}

/// Everything browsing keeps.
#[derive(Clone, Debug, Default)]
pub struct Browse {
    /// The lists, outermost first; the last one is on show.
    pub stack: Vec<ListView>,
    /// The detail pane is shown in place of the list (an endpoint was opened or looked up).
    pub detail_open: bool,
    pub completion: Completion,
}

impl Browse {
    pub fn top(&self) -> Option<&ListView> {
        self.stack.last()
    }

    /// The body of the screen shows the list (else the detail pane).
    pub fn shows_list(&self) -> bool {
        !self.stack.is_empty() && !self.detail_open
    }

    /// The list on show is waiting for a page (the spinner turns).
    pub fn is_loading(&self) -> bool {
        self.shows_list() && self.top().is_some_and(|v| v.loading.is_some())
    }

    fn cancel_all(&mut self) -> Vec<Effect> {
        self.stack.iter_mut().filter_map(ListView::cancel).collect()
    }
}

impl App {
    fn alloc_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Rows on screen in the list pane, with the layout `ui` draws.
    pub fn list_height(&self) -> usize {
        match (super::ui::areas(self.screen(), self), self.browse.top()) {
            (Some(a), Some(v)) => super::ui::list::layout(a.detail, v).rows.height as usize,
            _ => NEAR_END,
        }
    }

    /// The list filter has the keyboard.
    pub fn list_filter_editing(&self) -> bool {
        self.focus == Focus::List && self.browse.top().is_some_and(|v| v.filter_open)
    }

    /// The completion dropdown is on show under the endpoint-ID input.
    pub fn completion_visible(&self) -> bool {
        let c = &self.browse.completion;
        self.focus == Focus::EndpointId
            && self.help.is_none()
            && !c.hidden
            && c.user_arn.as_deref() == Some(self.arn.value())
            && (c.error.is_some()
                || (c.loading.is_some() && c.items.is_empty())
                || !c.matches(self.endpoint_id.value()).is_empty())
    }

    /// The completion drawn dimmed after the cursor of the endpoint-ID input.
    pub fn completion_ghost(&self) -> Option<&str> {
        let at_end = self.endpoint_id.cursor() == self.endpoint_id.value().chars().count();
        (at_end && self.completion_visible())
            .then(|| self.browse.completion.ghost(self.endpoint_id.value()))?
    }

    /// Ask for the next page of the list on show if it wants one.
    fn more_rows(&mut self) -> Vec<Effect> {
        let h = self.list_height();
        if !self.browse.shows_list() || !self.browse.top().is_some_and(|v| v.wants_page(h)) {
            return vec![];
        }
        self.request_page()
    }

    /// Ask for the next page of the top list now.
    fn request_page(&mut self) -> Vec<Effect> {
        let id = self.alloc_id();
        let now = self.now;
        let h = self.list_height();
        match self.browse.stack.last_mut() {
            Some(v) => {
                v.scroll(h);
                let mut eff: Vec<Effect> = v.cancel().into_iter().collect();
                eff.push(v.request(id, now));
                eff
            }
            None => vec![],
        }
    }

    /// Enter in the lookup pane when what was typed asks for a list (or is refused).
    /// None: a describe, which the lookup handles.
    pub(super) fn submit_browse(&mut self) -> Option<Vec<Effect>> {
        match intent(self.arn.value(), self.endpoint_id.value()) {
            Intent::Describe => None,
            Intent::Refuse(focus, text) => {
                self.focus = focus;
                self.notify(Notice::error(text));
                Some(vec![])
            }
            Intent::Browse(levels) => Some(self.open_lists(levels)),
        }
    }

    /// Open `levels` (outermost first) and show the last.
    pub fn open_lists(&mut self, levels: Vec<Query>) -> Vec<Effect> {
        let mut eff = self.browse.cancel_all();
        self.browse.stack = levels.into_iter().map(ListView::new).collect();
        // A level above the one shown puts its cursor on the row it leads to, once loaded.
        for i in 1..self.browse.stack.len() {
            let key = self.browse.stack[i].arn().to_string();
            self.browse.stack[i - 1].select_key = Some(key);
        }
        self.browse.detail_open = false;
        self.browse.completion.hidden = true;
        self.focus = Focus::List;
        eff.extend(self.more_rows());
        eff
    }

    /// A click in the list pane: the row under it.
    pub(super) fn list_click(&mut self, y: u16) {
        let h = self.list_height();
        let Some(areas) = super::ui::areas(self.screen(), self) else { return };
        let Some(v) = self.browse.stack.last_mut() else { return };
        let rows = super::ui::list::layout(areas.detail, v).rows;
        if y < rows.y || y >= rows.bottom() {
            return;
        }
        let k = scrolled(v.offset, v.cursor, h) + (y - rows.y) as usize;
        if k < v.visible.len() {
            v.cursor = k;
            v.scroll(h);
        }
    }

    /// Keys while the list, the detail pane opened from it, or the endpoint-ID input has the
    /// keyboard. None: not browsing's, handled as anywhere else.
    pub(super) fn browse_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        match self.focus {
            Focus::List => self.list_command(c),
            Focus::Detail
                if matches!(c, Cmd::Cancel | Cmd::Back)
                    && !self.is_loading()
                    && !self.browse.stack.is_empty() =>
            {
                // Back to the list the endpoint was opened from, its cursor where it was.
                self.browse.detail_open = false;
                self.focus = Focus::List;
                self.restore_inputs();
                Some(self.more_rows())
            }
            Focus::EndpointId => self.completion_command(c),
            Focus::Recent
                if c == Cmd::Submit
                    && !self.recent_filter_editing()
                    && self.recent.selected_entry().is_some() =>
            {
                // A recent lookup opens in the detail pane, over the list.
                self.browse.detail_open = true;
                None
            }
            _ => None,
        }
    }

    fn list_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        let show = self.show_secrets;
        let h = self.list_height();
        let view = self.browse.stack.last_mut()?;
        match c {
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                view.move_by(c, h);
                return Some(self.more_rows());
            }
            Cmd::Submit if view.filter_open => view.filter_open = false,
            Cmd::Submit => return Some(self.drill()),
            Cmd::Cancel if view.filter_open || view.is_filtered() => {
                view.clear_filter(show);
                view.scroll(h);
            }
            Cmd::Cancel | Cmd::Back => return Some(self.back()),
            Cmd::Retry => return Some(self.reload()),
            Cmd::Filter => view.filter_open = true,
            Cmd::ToggleSecrets => {
                // The Name is searched only while shown: filter again, then toggle as usual.
                view.refilter(!show);
                return None;
            }
            Cmd::CopyField => return Some(self.copy_row(false)),
            Cmd::CopyJson => return Some(self.copy_row(true)),
            Cmd::CopyCommand => return Some(self.copy_row_command()),
            Cmd::FocusNext | Cmd::FocusPrev | Cmd::FocusArn => {
                view.filter_open = false;
                return None;
            }
            Cmd::Forget => {}
            _ => return None,
        }
        Some(vec![])
    }

    /// Enter on a row: a level down, or for an endpoint its detail.
    fn drill(&mut self) -> Vec<Effect> {
        let Some(view) = self.browse.top() else { return vec![] };
        let Some(i) = view.selected() else {
            self.notify(Notice::info("Nothing selected"));
            return vec![];
        };
        let next = match &view.rows {
            Rows::Instances(r) => r[i]
                .app_instance_arn
                .clone()
                .map(|a| Query::ListUsers { app_instance_arn: a, next_token: None }),
            Rows::Users(r) => r[i]
                .app_instance_user_arn
                .clone()
                .map(|u| Query::ListEndpoints { user_arn: u, next_token: None }),
            Rows::Endpoints(r) => {
                let user = r[i].app_instance_user_arn.clone().unwrap_or_else(|| view.arn().to_string());
                r[i].endpoint_id.clone().map(|id| Query::Describe { user_arn: user, endpoint_id: id })
            }
        };
        match next {
            None => {
                self.notify(Notice::error("This row has no ARN or ID to open"));
                vec![]
            }
            Some(Query::Describe { user_arn, endpoint_id }) => {
                self.set_inputs(&user_arn, &endpoint_id);
                self.focus = Focus::Detail;
                self.field = 0;
                self.start(Query::Describe { user_arn, endpoint_id })
            }
            Some(q) => {
                self.browse.stack.push(ListView::new(q));
                self.restore_inputs();
                self.more_rows()
            }
        }
    }

    /// Backspace or Esc in a list: up a level (the level above keeps its cursor); at the
    /// outermost list, to the ARN input.
    fn back(&mut self) -> Vec<Effect> {
        if self.browse.stack.len() <= 1 {
            self.focus = Focus::Arn;
            return vec![];
        }
        let mut eff: Vec<Effect> = self.browse.stack.pop().and_then(|mut v| v.cancel()).into_iter().collect();
        self.restore_inputs();
        let h = self.list_height();
        if let Some(v) = self.browse.stack.last_mut() {
            v.scroll(h);
        }
        eff.extend(self.more_rows());
        eff
    }

    /// The lookup inputs name the list on show.
    fn restore_inputs(&mut self) {
        if let Some(arn) = self.browse.top().map(|v| v.arn().to_string()) {
            self.set_inputs(&arn, "");
        }
    }

    /// `r` in a list: ask again for the page that failed; otherwise load the list again,
    /// paging back to where the cursor was.
    fn reload(&mut self) -> Vec<Effect> {
        let show = self.show_secrets;
        let Some(view) = self.browse.stack.last_mut() else { return vec![] };
        if view.error.is_some() {
            return self.request_page();
        }
        let mut eff: Vec<Effect> = view.cancel().into_iter().collect();
        let key = view.selected().and_then(|i| view.rows.key(i)).map(str::to_string);
        let mut fresh = ListView::new(view.query.clone());
        fresh.select_key = key;
        fresh.min_rows = view.rows.len();
        fresh.filter = view.filter.clone();
        *view = fresh;
        view.refilter(show);
        eff.extend(self.request_page());
        eff
    }

    /// `y` copies the selected row's ARN (or endpoint ID), `Y` the row as JSON.
    fn copy_row(&mut self, json: bool) -> Vec<Effect> {
        let Some(view) = self.browse.top() else { return vec![] };
        let Some(i) = view.selected() else {
            self.notify(Notice::info("Nothing to copy yet"));
            return vec![];
        };
        let what = match &view.rows {
            Rows::Instances(_) => "app instance ARN",
            Rows::Users(_) => "user ARN",
            Rows::Endpoints(_) => "endpoint ID",
        };
        let show = self.show_secrets;
        let copy = if json {
            // An endpoint's Name follows the mask on screen, as `Y` in the detail pane.
            let masked = matches!(&view.rows, Rows::Endpoints(r) if r[i].name.is_some()) && !show;
            let what = match (&view.rows, show) {
                (Rows::Endpoints(r), true) if r[i].name.is_some() => "row as JSON, Name in clear",
                _ if masked => "row as JSON, Name masked (s shows it)",
                _ => "row as JSON",
            };
            view.rows.json(i).map(|mut v| {
                if masked && let Some(n) = v.get_mut("Name") {
                    *n = serde_json::Value::String(super::app::masked_value(n.as_str().unwrap_or("")));
                }
                (what.to_string(), serde_json::to_string_pretty(&v).unwrap_or_default())
            })
        } else {
            view.rows.key(i).map(|k| (what.to_string(), k.to_string()))
        };
        match copy {
            Some((what, text)) => vec![Effect::Copy { what, text }],
            None => vec![],
        }
    }

    /// `c` in a list: the AWS CLI command for the selected row (describe it), or with no row
    /// the list command of the level.
    fn copy_row_command(&mut self) -> Vec<Effect> {
        let Some(view) = self.browse.top() else { return vec![] };
        let (op, args): (&str, Vec<(&str, String)>) = match (view.selected(), &view.rows) {
            (Some(i), Rows::Endpoints(r)) => {
                let user = r[i].app_instance_user_arn.clone().unwrap_or_else(|| view.arn().to_string());
                let id = r[i].endpoint_id.clone().unwrap_or_default();
                (
                    "describe-app-instance-user-endpoint",
                    vec![("--app-instance-user-arn", user), ("--endpoint-id", id)],
                )
            }
            (Some(i), Rows::Users(r)) => (
                "describe-app-instance-user",
                vec![("--app-instance-user-arn", r[i].app_instance_user_arn.clone().unwrap_or_default())],
            ),
            (Some(i), Rows::Instances(r)) => (
                "describe-app-instance",
                vec![("--app-instance-arn", r[i].app_instance_arn.clone().unwrap_or_default())],
            ),
            (None, Rows::Endpoints(_)) => (
                "list-app-instance-user-endpoints",
                vec![("--app-instance-user-arn", view.arn().to_string())],
            ),
            (None, Rows::Users(_)) => {
                ("list-app-instance-users", vec![("--app-instance-arn", view.arn().to_string())])
            }
            (None, Rows::Instances(_)) => ("list-app-instances", vec![]),
        };
        let arn = args.first().map(|(_, v)| v.clone()).unwrap_or_default();
        let region = self.arn_region(&arn);
        let text = self.cli_for(op, &args, &region);
        vec![Effect::Copy { what: "AWS CLI command".into(), text }]
    }

    /// Keys in the endpoint-ID input while the dropdown is open.
    fn completion_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        if !self.completion_visible() {
            return None;
        }
        let typed = self.endpoint_id.value().to_string();
        let n = self.browse.completion.matches(&typed).len();
        let loading = self.is_loading();
        let comp = &mut self.browse.completion;
        match c {
            Cmd::FocusNext => {
                let id = match comp.chosen(&typed) {
                    Some(id) => id.to_string(),
                    None => comp.common_prefix(&typed)?,
                };
                self.accept_completion(&id);
            }
            Cmd::Down if n > 0 => comp.selected = Some(comp.selected.map_or(0, |s| (s + 1).min(n - 1))),
            Cmd::Up if comp.selected.is_some() => {
                comp.selected = comp.selected.and_then(|s| s.checked_sub(1))
            }
            Cmd::Cancel if !loading => {
                comp.hidden = true;
                comp.selected = None;
            }
            Cmd::Submit => {
                if let Some(id) = comp.on_enter(&typed).map(str::to_string) {
                    self.accept_completion(&id);
                }
                self.browse.completion.hidden = true;
                return None;
            }
            _ => return None,
        }
        Some(vec![])
    }

    fn accept_completion(&mut self, id: &str) {
        let arn = self.arn.value().to_string();
        self.set_inputs(&arn, id);
        self.browse.completion.selected = None;
    }

    /// Edits that browsing takes: the list filter's, and → at the end of the endpoint-ID
    /// input taking the completion. True: handled.
    pub(super) fn browse_edit(&mut self, req: InputRequest) -> bool {
        if self.list_filter_editing() {
            let show = self.show_secrets;
            let h = self.list_height();
            if let Some(v) = self.browse.stack.last_mut() {
                if let InputRequest::InsertChar(c) = req
                    && (c.is_control() || v.filter.value().len() >= MAX_FILTER)
                {
                    return true;
                }
                if v.filter.handle(req).is_some_and(|s| s.value) {
                    v.refilter(show);
                    v.scroll(h);
                }
            }
            return true;
        }
        if self.focus == Focus::EndpointId {
            if req == InputRequest::GoToNextChar
                && let Some(g) = self.completion_ghost()
            {
                let id = format!("{}{g}", self.endpoint_id.value());
                self.accept_completion(&id);
                return true;
            }
            // The dropdown follows what is typed.
            self.browse.completion.selected = None;
            self.browse.completion.hidden = false;
        }
        false
    }

    /// A paste while the list filter has the keyboard. True: handled.
    pub(super) fn browse_paste(&mut self, text: &str) -> bool {
        if !self.list_filter_editing() {
            return false;
        }
        let show = self.show_secrets;
        let text: String = text.trim().chars().filter(|c| !c.is_control()).take(MAX_FILTER).collect();
        if let Some(v) = self.browse.stack.last_mut() {
            let value = format!("{}{text}", v.filter.value());
            v.filter = Input::new(value);
            v.refilter(show);
        }
        true
    }

    /// Whether an answer is browsing's: a page of a list (awaited or stale) or of the
    /// completions. Lookups (describes) are the detail pane's.
    pub(super) fn browse_owns(&self, done: &LookupDone) -> bool {
        done.query.is_list()
            || self.browse.completion.loading == Some(done.id)
            || self.browse.stack.iter().any(|v| v.loading_id() == Some(done.id))
    }

    /// A page for browsing; one whose id is no longer awaited is dropped.
    pub(super) fn browse_done(&mut self, done: LookupDone) -> Vec<Effect> {
        let show = self.show_secrets;
        if let Some(i) = self.browse.stack.iter().position(|v| v.loading_id() == Some(done.id)) {
            self.browse.stack[i].page_done(done.result, show);
            let h = self.list_height();
            self.browse.stack[i].scroll(h);
            return if i + 1 == self.browse.stack.len() { self.more_rows() } else { vec![] };
        }
        if self.browse.completion.loading == Some(done.id) {
            return self.completion_page(done.result);
        }
        tracing::debug!(id = done.id, "stale page dropped");
        vec![]
    }

    fn completion_page(&mut self, result: Result<Answer, LookupError>) -> Vec<Effect> {
        let c = &mut self.browse.completion;
        c.loading = None;
        match result {
            Ok(Answer::Endpoints(page)) => {
                c.items.extend(page.items);
                c.next_token = page.next_token.filter(|t| !t.is_empty());
            }
            Ok(_) => c.next_token = None,
            Err(e) => {
                c.error = Some(e);
                c.next_token = None;
            }
        }
        match (&c.user_arn, c.next_token.clone()) {
            (Some(user), Some(token)) if c.items.len() < COMPLETION_CAP => {
                let query = Query::ListEndpoints { user_arn: user.clone(), next_token: Some(token) };
                let id = self.alloc_id();
                self.browse.completion.loading = Some(id);
                vec![Effect::Lookup(LookupRequest { id, query })]
            }
            _ => vec![],
        }
    }

    /// After every update: focus follows what the body shows, the list on show gets its next
    /// page if it wants one, and the endpoint-ID input getting the keyboard fetches the
    /// user's endpoints for completion.
    pub(super) fn after_update(&mut self, before: Focus) -> Vec<Effect> {
        if self.focus == Focus::Detail && self.browse.shows_list() {
            self.focus = Focus::List;
        } else if self.focus == Focus::List && !self.browse.shows_list() {
            self.focus = Focus::Detail;
        }
        // A screen made taller, or a page too short to fill it, may want the next page.
        let mut eff = self.more_rows();
        if self.focus == Focus::EndpointId && before != Focus::EndpointId {
            eff.extend(self.offer_completions());
        }
        eff
    }

    fn offer_completions(&mut self) -> Vec<Effect> {
        self.browse.completion.hidden = false;
        self.browse.completion.selected = None;
        if self.arn_check.is_err() {
            return vec![];
        }
        let user = self.arn.value().to_string();
        let c = &self.browse.completion;
        if c.user_arn.as_deref() == Some(user.as_str()) && c.error.is_none() {
            return vec![]; // already here, or on the way
        }
        let eff: Vec<Effect> = c.loading.map(Effect::CancelLookup).into_iter().collect();
        self.browse.completion = Completion { user_arn: Some(user.clone()), ..Completion::default() };
        // An endpoint list of this user already loaded in full serves as it is.
        if let Some(v) = self.browse.stack.iter().find(|v| v.complete && v.arn() == user)
            && let Rows::Endpoints(items) = &v.rows
        {
            self.browse.completion.items = items.clone();
            return eff;
        }
        let mut eff = eff;
        let id = self.alloc_id();
        self.browse.completion.loading = Some(id);
        eff.push(Effect::Lookup(LookupRequest {
            id,
            query: Query::ListEndpoints { user_arn: user, next_token: None },
        }));
        eff
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ErrorKind;
    use crate::model::{AllowMessages, EndpointState, EndpointStatus, EndpointType, Page, StatusReason};
    use crate::tui::app::{Action, Session};
    use std::time::Duration;

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1";
    const U42: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/u-42";

    fn app() -> App {
        App::new(Session::demo())
    }

    fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
        a.update(Action::Cmd(c))
    }

    fn typed(a: &mut App, s: &str) {
        for c in s.chars() {
            a.update(Action::Edit(InputRequest::InsertChar(c)));
        }
    }

    /// The list requests among `eff`.
    fn requests(eff: &[Effect]) -> Vec<LookupRequest> {
        eff.iter()
            .filter_map(|e| match e {
                Effect::Lookup(r) => Some(r.clone()),
                _ => None,
            })
            .collect()
    }

    fn one_request(eff: &[Effect]) -> LookupRequest {
        match requests(eff).as_slice() {
            [r] => r.clone(),
            other => panic!("one request expected, got {other:?} in {eff:?}"),
        }
    }

    fn answer(a: &mut App, req: &LookupRequest, result: Result<Answer, LookupError>) -> Vec<Effect> {
        a.update(Action::LookupDone(LookupDone {
            id: req.id,
            query: req.query.clone(),
            result,
            elapsed: Duration::from_millis(3),
        }))
    }

    /// The Esc hint says what Esc does: in a list opened while a describe runs, it goes back
    /// (or clears the filter), while in the inputs it cancels the describe.
    #[test]
    fn hints_follow_esc_while_a_hidden_lookup_runs() {
        let esc = |a: &App| {
            crate::tui::keymap::hints(a).iter().find(|(k, _)| *k == "Esc").map(|(_, w)| *w).unwrap_or("")
        };
        let mut a = app();
        a.set_inputs(U42, "ep-1");
        let describe = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(esc(&a), "cancel");
        a.set_inputs(U42, "");
        let list = one_request(&cmd(&mut a, Cmd::Submit));
        answer(
            &mut a,
            &list,
            Ok(Answer::Endpoints(Page {
                items: vec![
                    endpoint("ep-1", EndpointStatus::Active, None),
                    endpoint("ep-2", EndpointStatus::Active, None),
                ],
                next_token: None,
            })),
        );
        assert_eq!(a.focus, Focus::List);
        assert!(a.is_loading(), "the describe still runs, hidden behind the list");
        assert_eq!(esc(&a), "back");
        // A filter: Esc clears it, and does not cancel the describe.
        cmd(&mut a, Cmd::Filter);
        typed(&mut a, "ep-2");
        cmd(&mut a, Cmd::Submit);
        assert_eq!(esc(&a), "clear filter");
        let eff = cmd(&mut a, Cmd::Cancel);
        assert!(!eff.contains(&Effect::CancelLookup(describe.id)), "{eff:?}");
        assert!(a.is_loading());
        assert_eq!(esc(&a), "back");
        // In the inputs Esc cancels it, as the hint says.
        cmd(&mut a, Cmd::FocusArn);
        assert_eq!(esc(&a), "cancel");
        assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::CancelLookup(describe.id)]);
    }

    fn endpoint(id: &str, status: EndpointStatus, reason: Option<StatusReason>) -> EndpointSummary {
        EndpointSummary {
            app_instance_user_arn: Some(U42.into()),
            endpoint_id: Some(id.into()),
            name: Some(format!("phone {id}")),
            endpoint_type: Some(EndpointType::Gcm),
            allow_messages: Some(AllowMessages::All),
            state: Some(EndpointState { status, reason }),
        }
    }

    fn demo_endpoints() -> Vec<EndpointSummary> {
        vec![
            endpoint("ep-1", EndpointStatus::Active, None),
            endpoint("ep-2", EndpointStatus::Active, None),
            endpoint("ep-9", EndpointStatus::Inactive, Some(StatusReason::InvalidDeviceToken)),
            endpoint("ep-pinpoint", EndpointStatus::Inactive, Some(StatusReason::InvalidPinpointArn)),
            endpoint("ep-muted", EndpointStatus::Active, None),
        ]
    }

    fn endpoints(n: usize, from: usize, next: Option<&str>) -> Answer {
        Answer::Endpoints(Page {
            items: (from..from + n)
                .map(|k| endpoint(&format!("e{k:04}"), EndpointStatus::Active, None))
                .collect(),
            next_token: next.map(str::to_string),
        })
    }

    fn instances() -> Answer {
        let items = ["i-0", "i-1", "i-2"]
            .iter()
            .map(|i| InstanceSummary {
                app_instance_arn: Some(format!("arn:aws:chime:us-east-1:123456789012:app-instance/{i}")),
                name: Some(format!("instance {i}")),
                metadata: None,
            })
            .collect();
        Answer::Instances(Page { items, next_token: None })
    }

    fn users() -> Answer {
        let items = ["u-1", "u-42", "u-7"]
            .iter()
            .map(|u| UserSummary {
                app_instance_user_arn: Some(format!("{INST}/user/{u}")),
                name: Some(format!("user {u}")),
                metadata: None,
            })
            .collect();
        Answer::Users(Page { items, next_token: None })
    }

    fn top(a: &App) -> &ListView {
        a.browse.top().expect("a list on show")
    }

    fn selected_key(a: &App) -> Option<String> {
        let v = top(a);
        v.selected().and_then(|i| v.rows.key(i)).map(str::to_string)
    }

    #[test]
    fn enter_reads_what_was_typed() {
        let inst = Query::ListInstances { next_token: None };
        let users = Query::ListUsers { app_instance_arn: INST.into(), next_token: None };
        let eps = Query::ListEndpoints { user_arn: U42.into(), next_token: None };
        assert_eq!(intent("", ""), Intent::Browse(vec![inst.clone()]));
        assert_eq!(intent(INST, ""), Intent::Browse(vec![inst.clone(), users.clone()]));
        assert_eq!(intent(U42, ""), Intent::Browse(vec![inst, users, eps.clone()]));
        assert_eq!(intent(U42, "ep-1"), Intent::Describe);
        assert_eq!(
            intent("arn:aws:chime:us-east-1:1:app-inst/x", ""),
            Intent::Describe,
            "the lookup explains"
        );
        assert!(matches!(intent(INST, "ep-1"), Intent::Refuse(Focus::EndpointId, _)));
        assert!(matches!(intent("", "ep-1"), Intent::Refuse(Focus::Arn, _)));

        // In the App: a user ARN alone lists its endpoints, and only that level is asked for.
        let mut a = app();
        a.set_inputs(U42, "");
        let eff = cmd(&mut a, Cmd::Submit);
        assert_eq!(one_request(&eff).query, eps);
        assert_eq!(a.focus, Focus::List);
        assert!(a.browse.shows_list());
        assert_eq!(a.browse.stack.len(), 3, "the levels above wait, unloaded");
        assert_eq!(top(&a).status(), "loading…");
        assert_eq!(a.next_wakeup(), Some(crate::tui::app::SPIN_INTERVAL), "the spinner turns");
        // Refused: nothing sent, focus on the input to fix.
        a.set_inputs(INST, "ep-1");
        a.focus = Focus::Arn;
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        assert_eq!(a.focus, Focus::EndpointId);
    }

    #[test]
    fn drill_down_then_back_up_with_the_cursor_restored() {
        let mut a = app();
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::ListInstances { next_token: None });
        answer(&mut a, &req, Ok(instances()));
        assert_eq!(top(&a).status(), "3 app instances");
        cmd(&mut a, Cmd::Down);
        // Enter on an instance: its users, the ARN input following.
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::ListUsers { app_instance_arn: INST.into(), next_token: None });
        assert_eq!(a.arn.value(), INST);
        answer(&mut a, &req, Ok(users()));
        cmd(&mut a, Cmd::Down);
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::ListEndpoints { user_arn: U42.into(), next_token: None });
        assert_eq!((a.arn.value(), a.endpoint_id.value()), (U42, ""));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Down);
        assert_eq!(selected_key(&a).as_deref(), Some("ep-9"));
        // Enter on an endpoint: the describe, in the detail pane.
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-9".into() });
        assert_eq!(a.focus, Focus::Detail);
        assert!(!a.browse.shows_list());
        assert_eq!(a.endpoint_id.value(), "ep-9");
        // Esc while it runs cancels it first; the next Esc goes back to the list.
        assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::CancelLookup(req.id)]);
        assert_eq!(a.focus, Focus::Detail);
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.focus, Focus::List);
        assert_eq!(selected_key(&a).as_deref(), Some("ep-9"), "the cursor where it was");
        assert_eq!((a.arn.value(), a.endpoint_id.value()), (U42, ""));
        // Backspace (and Esc) go up a level each, cursors kept.
        assert!(cmd(&mut a, Cmd::Back).is_empty(), "the level above is loaded: nothing asked");
        assert_eq!(selected_key(&a), Some(format!("{INST}/user/u-42")));
        assert_eq!(a.arn.value(), INST);
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(selected_key(&a).as_deref(), Some(INST));
        assert_eq!(a.arn.value(), "");
        // At the top, Esc goes to the ARN input and the list stays.
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.focus, Focus::Arn);
        assert!(a.browse.shows_list());
        // Tab comes back to it.
        cmd(&mut a, Cmd::FocusNext);
        cmd(&mut a, Cmd::FocusNext);
        assert_eq!(a.focus, Focus::List);
    }

    #[test]
    fn a_level_above_a_typed_arn_loads_when_shown_with_its_cursor_on_the_way_down() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        let req = one_request(&cmd(&mut a, Cmd::Back));
        assert_eq!(req.query, Query::ListUsers { app_instance_arn: INST.into(), next_token: None });
        answer(&mut a, &req, Ok(users()));
        assert_eq!(selected_key(&a), Some(U42.to_string()));
    }

    #[test]
    fn the_next_page_is_asked_for_near_the_end_and_only_once() {
        let mut a = app();
        a.set_inputs(U42, "");
        let first = one_request(&cmd(&mut a, Cmd::Submit));
        assert!(answer(&mut a, &first, Ok(endpoints(50, 0, Some("t1")))).is_empty(), "the screen is full");
        assert_eq!(top(&a).status(), "50 loaded, more…");
        let h = a.list_height();
        assert!(h < 40, "{h}");
        let mut asked = Vec::new();
        for _ in 0..49 {
            asked.extend(requests(&cmd(&mut a, Cmd::Down)));
        }
        assert_eq!(asked.len(), 1, "one request while one is in flight: {asked:?}");
        let second = asked.remove(0);
        assert_eq!(
            second.query,
            Query::ListEndpoints { user_arn: U42.into(), next_token: Some("t1".into()) }
        );
        assert!(top(&a).cursor + NEAR_END.max(h) >= 50);
        answer(&mut a, &second, Ok(endpoints(50, 50, Some("t2"))));
        assert_eq!(top(&a).status(), "100 loaded, more…");
        let third = one_request(&cmd(&mut a, Cmd::Bottom));
        assert_eq!(third.query.at_page(None), first.query);
        assert_eq!(third.query, first.query.at_page(Some("t2".into())));
        answer(&mut a, &third, Ok(endpoints(20, 100, None)));
        assert_eq!(top(&a).status(), "120 endpoints");
        assert_eq!(top(&a).pages, 3);
        assert!(requests(&cmd(&mut a, Cmd::Bottom)).is_empty(), "complete");
        assert_eq!(selected_key(&a).as_deref(), Some("e0119"));
        // The view follows the cursor.
        let v = top(&a);
        assert!(v.offset <= v.cursor && v.cursor < v.offset + h);
    }

    #[test]
    fn a_next_token_handed_out_twice_stops_paging_with_an_error() {
        let mut a = app();
        a.set_inputs(U42, "");
        let first = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &first, Ok(endpoints(50, 0, Some("loop"))));
        let second = one_request(&cmd(&mut a, Cmd::Bottom));
        answer(&mut a, &second, Ok(endpoints(50, 50, Some("loop"))));
        let v = top(&a);
        assert!(v.error.as_ref().is_some_and(|e| e.message.contains("same NextToken twice")));
        assert_eq!(v.rows.len(), 100, "the rows so far stay");
        assert!(requests(&cmd(&mut a, Cmd::Bottom)).is_empty(), "no third request");
    }

    #[test]
    fn stale_pages_are_dropped() {
        let mut a = app();
        let old = one_request(&cmd(&mut a, Cmd::Submit));
        // Enter again before the answer: the first request is cancelled and superseded.
        a.focus = Focus::Arn;
        let eff = cmd(&mut a, Cmd::Submit);
        assert!(eff.contains(&Effect::CancelLookup(old.id)));
        let new = one_request(&eff);
        assert!(answer(&mut a, &old, Ok(instances())).is_empty());
        assert!(top(&a).rows.is_empty(), "the stale page is dropped");
        assert_eq!(top(&a).loading_id(), Some(new.id));
        answer(&mut a, &new, Ok(instances()));
        assert_eq!(top(&a).rows.len(), 3);
        // Leave a level before its page arrives: cancelled, and its late page dropped.
        let users_req = one_request(&cmd(&mut a, Cmd::Submit));
        let eff = cmd(&mut a, Cmd::Back);
        assert_eq!(eff, vec![Effect::CancelLookup(users_req.id)]);
        assert!(answer(&mut a, &users_req, Ok(users())).is_empty());
        assert_eq!(a.browse.stack.len(), 1);
        assert_eq!(top(&a).rows.len(), 3);
        // The same page delivered twice counts once.
        assert!(answer(&mut a, &new, Ok(instances())).is_empty());
        assert_eq!(top(&a).rows.len(), 3);
    }

    #[test]
    fn slash_filters_what_is_loaded() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        cmd(&mut a, Cmd::Filter);
        assert!(a.list_filter_editing());
        typed(&mut a, "INVALID");
        let keys = |a: &App| {
            let v = top(a);
            v.visible().iter().map(|&i| v.rows.key(i).unwrap().to_string()).collect::<Vec<_>>()
        };
        assert_eq!(keys(&a), ["ep-9", "ep-pinpoint"], "by reason, ignoring case");
        assert_eq!(top(&a).status(), "2 of 5 endpoints");
        // Enter keeps the filter and gives the keys back to the list.
        cmd(&mut a, Cmd::Submit);
        assert!(!a.list_filter_editing());
        cmd(&mut a, Cmd::Down);
        assert_eq!(selected_key(&a).as_deref(), Some("ep-pinpoint"));
        // The masked Name is not searched until shown.
        cmd(&mut a, Cmd::Filter);
        a.update(Action::Edit(InputRequest::DeleteLine));
        a.update(Action::Paste("phone ep-m\n".into()));
        assert!(keys(&a).is_empty());
        a.update(Action::Cmd(Cmd::Submit));
        cmd(&mut a, Cmd::ToggleSecrets);
        assert!(a.show_secrets);
        assert_eq!(keys(&a), ["ep-muted"]);
        // Esc clears the filter and keeps the cursor on its row; the next Esc goes up.
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(keys(&a).len(), 5);
        assert_eq!(selected_key(&a).as_deref(), Some("ep-muted"));
        assert_eq!(a.browse.stack.len(), 3);
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.browse.stack.len(), 2);
    }

    #[test]
    fn a_failed_page_shows_in_place_and_r_asks_again() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Err(LookupError::new(ErrorKind::Throttled, "Rate exceeded", "")));
        assert_eq!(top(&a).error.as_ref().unwrap().kind, ErrorKind::Throttled);
        assert_eq!(top(&a).status(), "not loaded");
        assert!(requests(&cmd(&mut a, Cmd::Down)).is_empty(), "no retry loop");
        let retry = one_request(&cmd(&mut a, Cmd::Retry));
        assert_eq!(retry.query, req.query);
        assert!(top(&a).error.is_none());
        answer(&mut a, &retry, Ok(endpoints(50, 0, Some("t1"))));
        let page2 = one_request(&cmd(&mut a, Cmd::Bottom));
        answer(&mut a, &page2, Err(LookupError::new(ErrorKind::Network, "connection refused", "")));
        assert_eq!(top(&a).rows.len(), 50, "what is loaded stays");
        assert!(requests(&cmd(&mut a, Cmd::Up)).is_empty());
        let again = one_request(&cmd(&mut a, Cmd::Retry));
        assert_eq!(again.query, page2.query, "the page that failed, with its token");
        answer(&mut a, &again, Ok(endpoints(7, 50, None)));
        assert_eq!(top(&a).status(), "57 endpoints");
        // r with nothing failed reloads, paging back to where the cursor was.
        cmd(&mut a, Cmd::Bottom);
        let reload = one_request(&cmd(&mut a, Cmd::Retry));
        assert_eq!(reload.query, req.query);
        assert!(top(&a).rows.is_empty());
        let next = one_request(&answer(&mut a, &reload, Ok(endpoints(50, 0, Some("t1")))));
        answer(&mut a, &next, Ok(endpoints(7, 50, None)));
        assert_eq!(selected_key(&a).as_deref(), Some("e0056"));
    }

    #[test]
    fn the_endpoint_id_input_offers_the_users_endpoints() {
        let mut a = app();
        a.set_inputs(U42, "");
        // The input getting the keyboard fetches them in the background.
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        assert_eq!(req.query, Query::ListEndpoints { user_arn: U42.into(), next_token: None });
        assert_eq!(a.focus, Focus::EndpointId);
        assert!(a.completion_visible(), "open, saying it is loading");
        let more = answer(&mut a, &req, Ok(endpoints(50, 0, Some("t1"))));
        let req2 = one_request(&more);
        assert_eq!(req2.query, req.query.at_page(Some("t1".into())), "all pages, in the background");
        answer(&mut a, &req2, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        assert_eq!(a.browse.completion.items.len(), 55);
        assert!(a.completion_visible());
        // Leaving and coming back does not fetch again.
        cmd(&mut a, Cmd::FocusPrev);
        assert!(cmd(&mut a, Cmd::FocusNext).is_empty());
        // Typed text narrows; the first that starts with it is ghosted; Tab takes it.
        typed(&mut a, "ep-p");
        assert_eq!(a.completion_ghost(), Some("inpoint"));
        assert!(cmd(&mut a, Cmd::FocusNext).is_empty());
        assert_eq!(a.endpoint_id.value(), "ep-pinpoint");
        assert_eq!(a.focus, Focus::EndpointId, "Tab completed instead of moving on");
        // → at the end takes it too.
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "ep-m");
        a.update(Action::Edit(InputRequest::GoToNextChar));
        assert_eq!(a.endpoint_id.value(), "ep-muted");
        // ↓ chooses among the matches; Enter takes the chosen one and looks it up.
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "ep-");
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Up);
        assert_eq!(a.browse.completion.chosen("ep-"), Some("ep-2"));
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-2".into() });
        assert!(!a.completion_visible(), "closed by the lookup");
        // Esc closes the dropdown; the next Esc leaves the input.
        answer(&mut a, &req, Err(LookupError::new(ErrorKind::NotFound, "x", "")));
        typed(&mut a, "x");
        a.update(Action::Edit(InputRequest::DeleteLine));
        assert!(a.completion_visible());
        cmd(&mut a, Cmd::Cancel);
        assert!(!a.completion_visible());
        assert_eq!(a.focus, Focus::EndpointId);
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.focus, Focus::Detail);
        // Another user: fetched afresh (the old request, if any, cancelled).
        a.set_inputs(&U42.replace("u-42", "u-7"), "");
        a.focus = Focus::Arn;
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        assert!(matches!(&req.query, Query::ListEndpoints { user_arn, .. } if user_arn.ends_with("u-7")));
        assert!(a.browse.completion.items.is_empty());
    }

    /// The completions of u-42, loaded: the dropdown open under the endpoint-ID input.
    fn completing(items: Vec<EndpointSummary>) -> App {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items, next_token: None })));
        a
    }

    #[test]
    fn enter_looks_up_the_ghosted_completion_that_is_on_screen() {
        let mut a = completing(demo_endpoints());
        typed(&mut a, "ep-p");
        assert_eq!(a.completion_ghost(), Some("inpoint"), "one ID starts with ep-p: shown");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-pinpoint".into() });
        assert_eq!(a.endpoint_id.value(), "ep-pinpoint", "the input says what was looked up");
        // Two IDs start with what is typed: nothing is guessed, Enter looks up what is typed,
        // and Tab completes as far as they agree.
        let mut a = completing(vec![
            endpoint("ep-1", EndpointStatus::Active, None),
            endpoint("ep-10", EndpointStatus::Active, None),
            endpoint("ep-11", EndpointStatus::Active, None),
        ]);
        typed(&mut a, "ep-1");
        assert_eq!(a.completion_ghost(), None);
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-1".into() });
        let mut a = completing(vec![
            endpoint("ep-10", EndpointStatus::Active, None),
            endpoint("ep-11", EndpointStatus::Active, None),
        ]);
        typed(&mut a, "e");
        cmd(&mut a, Cmd::FocusNext);
        assert_eq!(a.endpoint_id.value(), "ep-1");
    }

    #[test]
    fn the_dropdown_says_it_is_loading() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        assert!(a.completion_visible(), "open while the first page is on its way");
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: vec![], next_token: None })));
        assert!(!a.completion_visible(), "the user has none: nothing to offer");
    }

    #[test]
    fn g_in_a_paged_list_goes_to_the_real_end() {
        let mut a = app();
        a.set_inputs(U42, "");
        let first = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &first, Ok(endpoints(50, 0, Some("t1"))));
        let second = one_request(&cmd(&mut a, Cmd::Bottom));
        assert_eq!(top(&a).status(), "50 loaded, loading to the end…");
        let third = one_request(&answer(&mut a, &second, Ok(endpoints(50, 50, Some("t2")))));
        assert_eq!(selected_key(&a).as_deref(), Some("e0099"), "on the last row so far");
        assert!(answer(&mut a, &third, Ok(endpoints(7, 100, None))).is_empty());
        assert_eq!(selected_key(&a).as_deref(), Some("e0106"), "one G: the last row of the last page");
        assert_eq!(top(&a).status(), "107 endpoints");
        // Another key on the way stops the run to the end.
        let mut a = app();
        a.set_inputs(U42, "");
        let first = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &first, Ok(endpoints(50, 0, Some("t1"))));
        let second = one_request(&cmd(&mut a, Cmd::Bottom));
        cmd(&mut a, Cmd::Top);
        assert!(answer(&mut a, &second, Ok(endpoints(50, 50, Some("t2")))).is_empty());
        assert_eq!(selected_key(&a).as_deref(), Some("e0000"));
    }

    #[test]
    fn c_in_a_list_copies_the_rows_command_and_y_masks_the_name() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        cmd(&mut a, Cmd::Down);
        let eff = cmd(&mut a, Cmd::CopyCommand);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }]
            if text.contains("describe-app-instance-user-endpoint") && text.contains("--endpoint-id ep-2")
                && text.contains(U42)),
            "{eff:?}"
        );
        let eff = cmd(&mut a, Cmd::CopyJson);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, what }]
            if !text.contains("phone ep-2") && text.contains("(masked, 10 chars)") && what.contains("masked")),
            "{eff:?}"
        );
        cmd(&mut a, Cmd::ToggleSecrets);
        let eff = cmd(&mut a, Cmd::CopyJson);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, what }]
            if text.contains("phone ep-2") && what.contains("in clear")),
            "{eff:?}"
        );
    }

    #[test]
    fn c_copies_the_level_list_command_with_no_row() {
        let mut a = app();
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(Answer::Instances(Page { items: vec![], next_token: None })));
        let eff = cmd(&mut a, Cmd::CopyCommand);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }]
            if text.starts_with("aws chime-sdk-identity list-app-instances --region us-east-1")),
            "{eff:?}"
        );
        let mut a = app();
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(instances()));
        cmd(&mut a, Cmd::Down);
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(users()));
        let eff = cmd(&mut a, Cmd::CopyCommand);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }]
            if text.contains("describe-app-instance-user --app-instance-user-arn") && text.contains("/user/u-1")),
            "{eff:?}"
        );
        // Not the last detail lookup's stale describe.
        assert!(!matches!(&eff[..], [Effect::Copy { text, .. }] if text.contains("--endpoint-id")));
    }

    #[test]
    fn y_copies_the_selected_rows_arn() {
        let mut a = app();
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(instances()));
        cmd(&mut a, Cmd::Down);
        let eff = cmd(&mut a, Cmd::CopyField);
        assert!(matches!(&eff[..], [Effect::Copy { what, text }]
            if what == "app instance ARN" && text.ends_with("app-instance/i-1")));
        let eff = cmd(&mut a, Cmd::CopyJson);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }] if text.contains("\"Name\": \"instance i-1\""))
        );
    }
}
