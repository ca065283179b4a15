//! The Recent pane's state and what its keys do: the history in memory, the filter,
//! the selection, a stored result on show ("from history, 12 min ago"), and the fields that
//! changed since the stored result after a refresh.
//!
//! Everything here is pure, like the rest of [`App::update`]: recording and forgetting change
//! the history in memory only, and the event loop has it written off the loop: on
//! [`Effect::Record`](crate::tui::action::Effect::Record) and
//! [`Effect::SaveHistory`](crate::tui::action::Effect::SaveHistory) it asks for a copy
//! (`Action::SaveHistory`, [`Recent::save_job`]) and hands it to the saver thread
//! (`tui::saver`); the result comes back as `Action::HistorySaved` ([`Recent::save_done`]).
//! Drawing is in `ui::recent`.
//!
//! - `mod.rs`: the recent lookups in memory ([`Recent`]): filter, selection, save jobs
//! - `keys`: what the Recent pane's keys do (move, filter, copy, refresh, forget)
//! - `show`: a stored result on show in the detail pane (Enter), no request
//! - `record`: a finished lookup remembered, and what changed since its stored result

mod keys;
mod record;
mod show;
#[cfg(test)]
mod tests;

pub use record::changes_message;

use super::app::{App, Focus};
use super::detail::Detail;
use super::fields::FieldId;
use super::picker::{Keep, Picker};
use crate::jobs::worker::Query;
use crate::model::{self, Timestamp};
use crate::store::history::{self, Entry, Field, FieldChange, History, Options};
use crate::tui::action::{Cmd, Notice};
use std::path::PathBuf;
use tui_input::Input;

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
    /// The selection among them.
    picker: Picker,
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
    /// Lookups forgotten with `d` in this session, with where they were, for `u` (in memory only).
    pub(super) forgotten: Vec<(usize, Entry)>,
    /// The widest endpoint ID in the history (the pane widens for it when the screen has room).
    pub id_width: usize,
    /// The pane exists: a history was wired in (not so for the default, empty one).
    shown: bool,
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
        let mut r = Self::detached(History::new(PathBuf::new(), Options::default()));
        r.shown = false;
        r
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
            picker: Picker::default(),
            filter: Input::default(),
            filtering: false,
            viewing: None,
            changes: None,
            warning: None,
            newer_warned: false,
            names_visible: false,
            forgotten: Vec::new(),
            id_width: 0,
            shown: true,
        };
        r.refilter();
        r
    }

    /// Whether the Recent pane exists (a history was wired in).
    pub fn shown(&self) -> bool {
        self.shown
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// The entries that pass the filter (indices into `history().entries()`), newest first.
    pub fn matches(&self) -> &[usize] {
        self.picker.visible()
    }

    /// The selection, as an index into [`Recent::matches`].
    pub fn selected(&self) -> usize {
        self.picker.cursor()
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.picker.selected().and_then(|i| self.history.get(i))
    }

    pub fn is_filtered(&self) -> bool {
        !self.filter.value().trim().is_empty()
    }

    pub(super) fn select_key(&mut self, user_arn: &str, endpoint_id: &str) {
        if let Some(pos) = self.history.position(user_arn, endpoint_id) {
            self.picker.select_row(pos);
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
        let matches = if needle.is_empty() {
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
        // The entries move (a new lookup goes first): the selection follows its entry by its key.
        self.picker.show(matches, Keep::Place);
        if let Some((arn, id)) = key {
            self.select_key(&arn, &id);
        }
    }

    pub(super) fn move_by(&mut self, c: Cmd) {
        if let Some(step) = super::cursor::step(c) {
            self.picker.move_by(step, PAGE);
        }
    }

    /// Select the `n`th visible match (a click); false when there is none.
    pub fn select(&mut self, n: usize) -> bool {
        self.picker.select_pos(n)
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

impl App {
    /// Wire in the history: the Recent pane appears and every lookup is recorded.
    pub fn attach_history(&mut self, history: History) {
        self.recent = Recent::new(history);
    }

    /// A history that is never written (tests, benches).
    pub fn attach_history_in_memory(&mut self, history: History) {
        self.recent = Recent::detached(history);
    }

    /// The filter input has the keyboard.
    pub fn recent_filter_editing(&self) -> bool {
        self.has_recent() && self.focus() == Focus::Recent && self.recent.filtering
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
}
