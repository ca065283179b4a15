//! The browser's state and the one place it changes: [`App::update`] takes an [`Action`] and
//! returns the [`Effect`]s for the event loop to carry out. It does no I/O, reads no clock
//! (time arrives as [`Action::Clock`]) and never panics, so it is tested with plain unit tests.
//!
//! - this file: [`Focus`], the [`App`] and its fields, its accessors and the setters tests use.
//! - `update.rs`: [`App::update`], routing each action and each key's command to the state
//!   module that owns it, and the edits of the inputs.
//! - `keys.rs`: where the keyboard is ([`App::hint_focus`]), the status bar's hints and the
//!   key mode the key map reads ([`Keyed`]).
//! - `tests.rs`: the tests of what is here.

mod keys;
mod update;

use super::browse::Browse;
use super::cursor;
use super::detail::Detail;
use super::fields::{FIELDS, FieldId};
use super::paste::MAX_PASTE;
use super::recent::Recent;
use super::session::Session;
use crate::jobs::worker::Query;
use crate::model::{self, Endpoint, InputError, ParsedArn};
use crate::tui::action::{Action, Cmd, Drawn, Effect, HistoryCopy, Notice};
use crate::tui::keymap::{self, HintFocus, Keyed, Mode};
use crate::tui::theme::Theme;
use std::time::{Duration, Instant};
use tui_input::{Input, InputRequest};

/// How long a message on the status line stays.
pub const NOTICE_TTL: Duration = Duration::from_secs(6);
/// Redraw interval while a lookup runs (spinner and elapsed time).
pub const SPIN_INTERVAL: Duration = Duration::from_millis(100);

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Focus {
    Arn,
    EndpointId,
    Detail,
    /// The recent lookups (history); in the Tab cycle only when [`App::has_recent`] is set.
    Recent,
    /// A list being browsed (instances, users, endpoints): `super::browse`. It takes the
    /// detail pane's place while shown.
    List,
}

impl Focus {
    pub fn is_input(self) -> bool {
        matches!(self, Focus::Arn | Focus::EndpointId)
    }
}

/// The browser's whole state. Rendering reads it; only [`App::update`] changes it.
///
/// Fields are private to the state modules: drawing, the key map and the event loop read them
/// through accessors. The `set_*` methods put the state where a sequence of keys would (for
/// tests and benches, and the event loop's configuration at start); everything else changes
/// only through `update`.
pub struct App {
    pub(super) session: Session,
    pub(super) theme: Theme,
    pub(super) focus: Focus,
    pub(super) arn: Input,
    pub(super) endpoint_id: Input,
    /// The ARN input parsed, kept in step with every edit.
    pub(super) arn_check: Result<ParsedArn, InputError>,
    pub(super) id_check: Result<(), InputError>,
    pub(super) detail: Detail,
    /// Index into [`FIELDS`].
    pub(super) field: usize,
    /// The cursor is on this row of the Diagnosis group (index into [`App::diagnosis`]),
    /// above the fields; None: on the field `field`.
    pub(super) finding: Option<usize>,
    pub(super) show_secrets: bool,
    /// The help overlay and its scroll offset.
    pub(super) help: Option<u16>,
    pub(super) notice: Option<Notice>,
    pub(super) size: (u16, u16),
    /// Mouse support on (flag or config).
    pub(super) mouse: bool,
    /// Whether the Recent pane exists (set when the history is wired in).
    pub(super) has_recent: bool,
    /// The recent lookups (history), their filter and selection: `super::recent`.
    pub(super) recent: Recent,
    /// The lists being browsed and the endpoint-ID completions: `super::browse`.
    pub(super) browse: Browse,
    pub(super) now: Instant,
    pub(super) wall: jiff::Timestamp,
    /// For local times in the detail pane.
    pub(super) tz: jiff::tz::TimeZone,
    pub(super) quit: bool,
    pub(super) last_query: Option<Query>,
    pub(super) next_id: u64,
    /// The Pinpoint checks of the endpoint on show: `super::pinpoint`.
    pub(super) pinpoint: super::pinpoint::PinpointCheck,
    pub(super) user_check: super::user_check::UserCheck,
    /// Why the Pinpoint checks are off (`--no-pinpoint`, the config file), when they are.
    pub(super) pinpoint_off: Option<String>,
    /// What the last frame drew (for clicks on the detail pane's fields).
    pub(super) drawn: Drawn,
    /// The command line (`:`), its history and completions: `super::command`.
    pub(super) cmdline: super::command::CommandLine,
    /// The account the answers came from, once one named it (status bar).
    pub(super) account: Option<String>,
    /// Context switches asked for so far, and the one being built: `super::switch`.
    pub(super) context_gen: u64,
    pub(super) switching: Option<u64>,
    /// Jobs with an id up to this one belong to an earlier context: their answers are dropped.
    pub(super) context_floor: u64,
    /// The endpoint being watched: `super::watch`.
    pub(super) watch: Option<super::watch::Watch>,
    /// Ring the bell when a watched endpoint changes (`[ui] bell`).
    pub(super) bell: bool,
    /// The writes: dialogs, forms, the write running (`super::write`).
    pub(super) writes: super::write::Writes,
    /// The background scan and its pane (`super::scan`).
    pub(super) scan: super::scan::ScanState,
    /// An `:export` whose file exists, waiting for y (replace it) or n (`super::export`).
    pub(super) export_pending: Option<crate::tui::action::PendingExport>,
    /// The raw view of a record (`v`): `super::raw`.
    pub(super) raw: Option<super::raw::view::RawView>,
    /// The session's writes and their outcome (`a`, `:actions`): `super::actions`.
    pub(super) actions: super::actions::log::ActionLog,
    /// A user's channel memberships (`M`, `:memberships`): `super::members`.
    pub(super) members: super::members::list::Members,
    /// The key tables in use: the defaults with the user's `[keys]` over them.
    pub(super) keymap: std::sync::Arc<crate::tui::keymap::KeyMap>,
}

impl App {
    pub fn new(session: Session) -> Self {
        let arn = Input::default();
        let endpoint_id = Input::default();
        Self {
            session,
            theme: Theme::colored(),
            focus: Focus::Arn,
            arn_check: model::parse_user_arn(arn.value()),
            id_check: model::validate_endpoint_id(endpoint_id.value()),
            arn,
            endpoint_id,
            detail: Detail::Empty,
            field: 0,
            finding: None,
            show_secrets: false,
            help: None,
            notice: None,
            size: (80, 24),
            mouse: false,
            has_recent: false,
            recent: Default::default(),
            browse: Default::default(),
            now: Instant::now(),
            wall: jiff::Timestamp::UNIX_EPOCH,
            tz: jiff::tz::TimeZone::UTC,
            quit: false,
            last_query: None,
            next_id: 0,
            pinpoint: Default::default(),
            user_check: Default::default(),
            pinpoint_off: None,
            drawn: Drawn::default(),
            cmdline: Default::default(),
            account: None,
            context_gen: 0,
            switching: None,
            context_floor: 0,
            watch: None,
            bell: false,
            writes: Default::default(),
            scan: Default::default(),
            export_pending: None,
            raw: None,
            actions: Default::default(),
            members: Default::default(),
            keymap: Default::default(),
        }
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// The ARN input.
    pub fn arn(&self) -> &Input {
        &self.arn
    }

    /// The endpoint-ID input.
    pub fn endpoint_id(&self) -> &Input {
        &self.endpoint_id
    }

    pub fn detail(&self) -> &Detail {
        &self.detail
    }

    /// Index of the detail pane's cursor into the fields.
    pub fn field(&self) -> usize {
        self.field
    }

    pub fn show_secrets(&self) -> bool {
        self.show_secrets
    }

    pub fn mouse(&self) -> bool {
        self.mouse
    }

    pub fn recent(&self) -> &Recent {
        &self.recent
    }

    pub fn browse(&self) -> &Browse {
        &self.browse
    }

    /// The clock as of the last tick.
    pub fn now(&self) -> Instant {
        self.now
    }

    pub fn tz(&self) -> &jiff::tz::TimeZone {
        &self.tz
    }

    pub fn set_theme(&mut self, theme: Theme) {
        self.theme = theme;
    }

    /// Move the focus (as Tab, or a click, would).
    pub fn set_focus(&mut self, focus: Focus) {
        self.focus = focus;
    }

    /// Put the detail pane's cursor on field `index` (as j/k would).
    pub fn set_field(&mut self, index: usize) {
        self.field = index;
        self.finding = None;
    }

    /// Secrets shown or masked (as `s` toggles).
    pub fn set_show_secrets(&mut self, show: bool) {
        self.show_secrets = show;
    }

    pub fn set_mouse(&mut self, on: bool) {
        self.mouse = on;
    }

    /// The lists being browsed, outermost first, and whether the detail pane is open over them
    /// (as browsing to them and Enter on an endpoint would).
    pub fn set_lists(&mut self, stack: Vec<super::list::ListView>, detail_open: bool) {
        self.browse.stack = stack;
        self.browse.detail_open = detail_open;
    }

    /// The time zone for local times in the detail pane.
    pub fn set_tz(&mut self, tz: jiff::tz::TimeZone) {
        self.tz = tz;
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The ARN input parsed (or what is wrong with it).
    pub fn arn_check(&self) -> &Result<ParsedArn, InputError> {
        &self.arn_check
    }

    pub fn id_check(&self) -> &Result<(), InputError> {
        &self.id_check
    }

    /// The help overlay's scroll offset while it is open.
    pub fn help(&self) -> Option<u16> {
        self.help
    }

    /// The message on the status line.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The screen's size (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Whether the Recent pane exists.
    pub fn has_recent(&self) -> bool {
        self.has_recent
    }

    /// The wall clock, as of the last [`Action::Clock`].
    pub fn wall(&self) -> jiff::Timestamp {
        self.wall
    }

    /// The user asked to quit.
    pub fn quitting(&self) -> bool {
        self.quit
    }

    /// Fill both inputs (tests, history, the command line).
    pub fn set_inputs(&mut self, arn: &str, endpoint_id: &str) {
        self.arn = Input::new(arn.to_string());
        self.endpoint_id = Input::new(endpoint_id.to_string());
        self.recheck();
    }

    pub(super) fn recheck(&mut self) {
        self.arn_check = model::parse_user_arn(self.arn.value());
        self.id_check = model::validate_endpoint_id(self.endpoint_id.value());
    }

    /// The region a lookup of the current input would go to.
    pub fn region(&self) -> String {
        // An app-instance ARN (browsing its users) names a region too.
        let instance = || model::parse_instance_arn(self.arn.value()).ok();
        match &self.arn_check {
            Ok(p) => self.session.region_for(Some(p.region())),
            Err(_) => self.session.region_for(instance().as_ref().map(|p| p.region())),
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.detail, Detail::Loading { .. })
    }

    /// The endpoint on show, if any.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        match &self.detail {
            Detail::Endpoint { endpoint, .. } => Some(endpoint),
            _ => None,
        }
    }

    pub fn selected_field(&self) -> FieldId {
        FIELDS[self.field.min(FIELDS.len() - 1)]
    }

    /// When the event loop must wake even with no input: the spinner while a lookup runs,
    /// the expiry of a status message. None: sleep until something happens.
    pub fn next_wakeup(&self) -> Option<Duration> {
        let mut wake = None;
        if self.is_loading() || self.browse.is_loading() || self.writes.pending.is_some() {
            wake = Some(SPIN_INTERVAL);
        }
        if let Some(until) = self.notice.as_ref().and_then(|n| n.until) {
            let d = until.saturating_duration_since(self.now).max(Duration::from_millis(10));
            wake = Some(wake.map_or(d, |w: Duration| w.min(d)));
        }
        if let Some(d) = self.watch_wakeup() {
            wake = Some(wake.map_or(d, |w: Duration| w.min(d)));
        }
        wake
    }

    pub fn focus_order(&self) -> &'static [Focus] {
        // While a list is browsed it takes the detail pane's place.
        match (self.has_recent, self.body().is_list()) {
            (true, false) => &[Focus::Arn, Focus::EndpointId, Focus::Detail, Focus::Recent],
            (false, false) => &[Focus::Arn, Focus::EndpointId, Focus::Detail],
            (true, true) => &[Focus::Arn, Focus::EndpointId, Focus::List, Focus::Recent],
            (false, true) => &[Focus::Arn, Focus::EndpointId, Focus::List],
        }
    }

    pub(super) fn cycle_focus(&mut self, forward: bool) {
        let order = self.focus_order();
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = order.len();
        self.focus = order[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    pub(super) fn notify(&mut self, mut n: Notice) {
        n.until = Some(self.now + NOTICE_TTL);
        self.notice = Some(n);
    }
}

#[cfg(test)]
mod tests;
