//! What the detail pane shows ([`Detail`]) and its cursor ([`DetailCursor`]).

use super::app::{App, Focus};
use super::fields::FIELDS;
use crate::jobs::worker::Query;
use crate::model::Endpoint;
use crate::model::ServiceError;
use crate::tui::action::Cmd;
use std::time::{Duration, Instant};

/// What the detail pane shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    Empty,
    /// `focus` is where the keyboard was when the lookup started: the answer only takes the
    /// focus to the detail pane if the user has not moved it since (typing goes on typing).
    Loading {
        id: u64,
        query: Query,
        region: String,
        started: Instant,
        prev: Box<Detail>,
        focus: Focus,
    },
    Endpoint {
        query: Query,
        region: String,
        endpoint: Box<Endpoint>,
        elapsed: Duration,
        at: jiff::Timestamp,
    },
    Error {
        query: Query,
        region: String,
        error: ServiceError,
        elapsed: Duration,
    },
}

/// The detail pane's cursor: on a row of the Diagnosis group (above the fields), or on a
/// field. Owned here behind methods; the index of a finding is checked against the findings
/// of the moment by [`App::selected_finding`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DetailCursor {
    /// Index into [`FIELDS`].
    field: usize,
    /// On this row of the Diagnosis group (index into [`App::diagnosis`]); None: on `field`.
    finding: Option<usize>,
}

impl DetailCursor {
    /// The field the cursor is on, or was on before it went up to the findings.
    pub fn field(&self) -> usize {
        self.field
    }

    /// The finding the cursor is on, unchecked.
    pub fn finding(&self) -> Option<usize> {
        self.finding
    }

    /// On field `index`.
    pub(super) fn put_on_field(&mut self, index: usize) {
        self.field = index;
        self.finding = None;
    }

    /// On finding `index` (None: back on the field it was on).
    pub(super) fn put_on_finding(&mut self, index: Option<usize>) {
        self.finding = index;
    }
}

/// How far PgUp/PgDn move the field cursor.
const FIELD_PAGE: usize = 5;

impl App {
    pub(super) fn move_cursor(&mut self, c: Cmd) {
        match self.focus() {
            Focus::Arn => {
                if c == Cmd::Down {
                    self.set_focus(Focus::EndpointId);
                }
            }
            Focus::EndpointId => match c {
                Cmd::Up => self.set_focus(Focus::Arn),
                Cmd::Down => self.set_focus(Focus::Detail),
                _ => {}
            },
            Focus::Detail => {
                if self.endpoint().is_none() {
                    return;
                }
                // The Diagnosis group's findings come first, then the fields.
                let n = self.diagnosis().len();
                let at = self.selected_finding().unwrap_or(n + self.cursor.field());
                let to = super::cursor::moved(at, n + FIELDS.len(), FIELD_PAGE, c);
                if to < n {
                    self.cursor.put_on_finding(Some(to));
                } else {
                    self.cursor.put_on_field(to - n);
                }
            }
            Focus::Recent | Focus::List => {}
        }
    }
}
