//! One list being browsed (app instances, users or endpoints): the rows loaded so far
//! ([`Rows`], in `rows.rs`, which the filter sorts too), paged ([`ListView`]): the cursor, the
//! filter, and the page in flight.

use super::filter::{Filter, SortKey};
pub use super::rows::{Rows, user_id};
use crate::jobs::worker::{Answer, JobRequest, Owner, Query};
use crate::model::ServiceError;
use crate::tui::action::{Cmd, Effect};
use std::time::Instant;
use tui_input::Input;

/// The next page is asked for when the cursor is this close to the end (or a screenful,
/// when the screen is taller).
pub const NEAR_END: usize = 10;

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
    pub(super) next_token: Option<String>,
    pub pages: usize,
    /// Every page is loaded.
    pub complete: bool,
    /// The page request in flight: its id and when it left.
    pub loading: Option<(u64, Instant)>,
    /// The last page request failed: shown in place, `r` asks again.
    pub error: Option<ServiceError>,
    /// Indices into `rows` that pass the filter, in order.
    pub(super) visible: Vec<usize>,
    /// Index into the visible rows.
    pub cursor: usize,
    /// The first visible row on screen.
    pub offset: usize,
    pub filter: Input,
    /// The filter input has the keyboard.
    pub filter_open: bool,
    /// Put the cursor on the row with this key when it arrives (a reload, or a level above
    /// one opened from a typed ARN).
    pub(super) select_key: Option<String>,
    /// Keep paging until this many rows are loaded (a reload goes back to where it was).
    pub(super) min_rows: usize,
    /// The list's bounds (its quota, every NextToken seen): a service that hands out tokens
    /// forever, repeats or cycles them, or lists more than the quota is stopped.
    pub(super) bound: crate::model::paging::Pages,
    /// `G` (or End) was pressed before every page was loaded: keep paging, the cursor on the
    /// last row, until the real end.
    pub to_end: bool,
    /// The order shown (`<` / `>`); None: as loaded. See `super::filter`.
    pub sort: Option<SortKey>,
    /// Endpoints' updated times where known (looked up before), by endpoint ID: the
    /// "updated" order (filled by the App from the recent lookups and the detail pane).
    pub updated: std::collections::HashMap<String, crate::model::Timestamp>,
}

impl ListView {
    pub fn new(query: Query) -> Self {
        let query = query.at_page(None);
        let bound = crate::model::paging::Pages::new(
            query.listing().unwrap_or(crate::model::paging::Listing::Endpoints),
        );
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
            bound,
            to_end: false,
            sort: None,
            updated: Default::default(),
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
    pub(super) fn request(&mut self, id: u64, now: Instant) -> Effect {
        self.loading = Some((id, now));
        self.error = None;
        Effect::Job(JobRequest { id, owner: Owner::List, query: self.query.at_page(self.next_token.clone()) })
    }

    pub(super) fn cancel(&mut self) -> Option<Effect> {
        self.loading.take().map(|(id, _)| Effect::CancelJob(id))
    }

    /// A page (or its failure) arrived for the request in flight.
    pub(super) fn page_done(&mut self, result: Result<Answer, ServiceError>, show_secrets: bool) {
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
        // A page beyond the list's bounds is not shown: the rows before it are.
        if let Err(mut e) = self.bound.next(answer.rows(), answer.next_token()) {
            e.message.push_str("; the rows so far are shown");
            self.error = Some(e);
            self.complete = true;
            self.next_token = None;
            self.to_end = false;
            return;
        }
        match self.rows.append(answer) {
            Ok(next) => {
                self.pages += 1;
                self.complete = next.is_none();
                self.next_token = next;
            }
            Err(()) => {
                self.error = Some(ServiceError::new(
                    crate::model::ErrorKind::InvalidResponse,
                    "the answer is not a page of this list",
                    "",
                ));
                return;
            }
        }
        let filter = Filter::parse(self.filter.value());
        for i in before..self.rows.len() {
            let w = self.rows.widths(i);
            for (have, new) in self.widths.iter_mut().zip(w) {
                *have = (*have).max(new);
            }
            if filter.matches(&self.rows, i, show_secrets) {
                self.visible.push(i);
            }
        }
        if let Some(key) = self.sort {
            // The new rows take their places in the order shown; the cursor stays on its row.
            let keep = self.visible.get(self.cursor).copied();
            super::filter::sort(&mut self.visible, &self.rows, key, show_secrets, &self.updated);
            if let Some(k) = keep {
                self.cursor = self.visible.iter().position(|&i| i == k).unwrap_or(self.cursor);
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
        let filter = Filter::parse(self.filter.value());
        self.visible = if filter.is_empty() {
            (0..self.rows.len()).collect()
        } else {
            (0..self.rows.len()).filter(|&i| filter.matches(&self.rows, i, show_secrets)).collect()
        };
        if let Some(key) = self.sort {
            super::filter::sort(&mut self.visible, &self.rows, key, show_secrets, &self.updated);
        }
        self.cursor = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0)
            .min(self.visible.len().saturating_sub(1));
    }

    pub(super) fn clear_filter(&mut self, show_secrets: bool) {
        self.filter_open = false;
        self.filter = Input::default();
        self.refilter(show_secrets);
    }

    /// Move the cursor; `height` is the number of rows on screen.
    pub fn move_by(&mut self, c: Cmd, height: usize) {
        self.cursor = super::cursor::moved(self.cursor, self.visible.len(), height.max(1), c);
        // G before the last page: to the real end, page by page.
        self.to_end = c == Cmd::Bottom && !self.complete && self.error.is_none();
        self.scroll(height);
    }

    /// Keep the cursor on screen, moving the view as little as possible.
    pub fn scroll(&mut self, height: usize) {
        self.offset = scrolled(self.offset, self.cursor, height);
    }

    /// `>` (or `<`, back): the next order; the cursor stays on its row.
    pub fn cycle_sort(&mut self, forward: bool, show_secrets: bool, height: usize) {
        let times = self.updated.keys().any(|id| match &self.rows {
            Rows::Endpoints(r) => r.iter().any(|e| e.endpoint_id.as_deref() == Some(id.as_str())),
            _ => false,
        });
        self.sort = super::filter::cycle(&self.rows, self.sort, forward, times);
        self.refilter(show_secrets);
        self.scroll(height);
    }

    /// How the list is ordered, for its title: "by status" (None: as loaded).
    pub fn sort_label(&self, show_secrets: bool) -> Option<String> {
        self.sort.map(|k| format!("by {}", k.label(&self.rows, show_secrets)))
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
