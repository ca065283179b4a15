//! What the detail pane shows ([`Detail`]) and its field cursor.

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

/// How far PgUp/PgDn move the field cursor.
const FIELD_PAGE: usize = 5;

impl App {
    pub(super) fn move_cursor(&mut self, c: Cmd) {
        match self.focus {
            Focus::Arn => {
                if c == Cmd::Down {
                    self.focus = Focus::EndpointId;
                }
            }
            Focus::EndpointId => match c {
                Cmd::Up => self.focus = Focus::Arn,
                Cmd::Down => self.focus = Focus::Detail,
                _ => {}
            },
            Focus::Detail => {
                if self.endpoint().is_none() {
                    return;
                }
                // The Diagnosis group's findings come first, then the fields.
                let n = self.diagnosis().len();
                let at = self.selected_finding().unwrap_or(n + self.field);
                let to = super::cursor::moved(at, n + FIELDS.len(), FIELD_PAGE, c);
                if to < n {
                    self.finding = Some(to);
                } else {
                    self.finding = None;
                    self.field = to - n;
                }
            }
            Focus::Recent | Focus::List => {}
        }
    }
}
