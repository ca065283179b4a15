//! The browser's state and the one place it changes: [`App::update`] takes an [`Action`] and
//! returns the [`Effect`]s for the event loop to carry out. It does no I/O, reads no clock
//! (time arrives as [`Action::Clock`]) and never panics, so it is tested with plain unit tests.
//!
//! - this file: [`Focus`] (derived from the stored [`Pane`] and what the body shows), the
//!   [`App`] with one field per feature (each feature's state is its own struct, its fields
//!   private to its module), its accessors and the setters tests use.
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
use crate::tui::action::{Action, Cmd, Effect, HistoryCopy, Notice};
use crate::tui::keymap::{self, HintFocus, Keyed, Mode};
use crate::tui::theme::Theme;
use std::time::{Duration, Instant};
use tui_input::{Input, InputRequest};

pub use super::chrome::NOTICE_TTL;
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

/// Where the user put the keyboard among the panes: the one piece of focus that is stored.
/// Whether the body's slot is the detail pane or a list is not stored but read from what the
/// body shows ([`App::focus`]), so it never needs repairing after an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pane {
    Arn,
    EndpointId,
    /// The body: the detail pane, a list or the Scan pane, whichever [`App::body`] names.
    Body,
    Recent,
}

impl From<Focus> for Pane {
    fn from(f: Focus) -> Self {
        match f {
            Focus::Arn => Pane::Arn,
            Focus::EndpointId => Pane::EndpointId,
            Focus::Detail | Focus::List => Pane::Body,
            Focus::Recent => Pane::Recent,
        }
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
    /// The screen, the status line's message, the help overlay, the clock: `super::chrome`.
    pub(super) chrome: super::chrome::Chrome,
    /// Which pane has the keyboard ([`App::focus`] derives the rest).
    pane: Pane,
    /// The ARN and endpoint-ID inputs and their checks: `super::inputs`.
    pub(super) inputs: super::inputs::Inputs,
    pub(super) detail: Detail,
    /// The detail pane's cursor, on a finding or a field: `super::detail`.
    pub(super) cursor: super::detail::DetailCursor,
    pub(super) show_secrets: bool,
    /// The recent lookups (history), their filter and selection: `super::recent`.
    pub(super) recent: Recent,
    /// The lists being browsed and the endpoint-ID completions: `super::browse`.
    pub(super) browse: Browse,
    pub(super) quit: bool,
    pub(super) last_query: Option<Query>,
    /// The Pinpoint checks of the endpoint on show: `super::pinpoint`.
    pub(super) pinpoint: super::pinpoint::PinpointCheck,
    pub(super) user_check: super::user_check::UserCheck,
    /// The command line (`:`), its history and completions: `super::command`.
    pub(super) cmdline: super::command::CommandLine,
    /// The job ids, the context switch being made, the account: `super::context`.
    pub(super) context: super::context::Contexts,
    /// The endpoint being watched and the bell: `super::watch`.
    pub(super) watch: super::watch::Watching,
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
}

impl App {
    pub fn new(session: Session) -> Self {
        Self {
            session,
            chrome: Default::default(),
            pane: Pane::Arn,
            inputs: Default::default(),
            detail: Detail::Empty,
            cursor: Default::default(),
            show_secrets: false,
            recent: Default::default(),
            browse: Default::default(),
            quit: false,
            last_query: None,
            pinpoint: Default::default(),
            user_check: Default::default(),
            cmdline: Default::default(),
            context: Default::default(),
            watch: Default::default(),
            writes: Default::default(),
            scan: Default::default(),
            export_pending: None,
            raw: None,
            actions: Default::default(),
            members: Default::default(),
        }
    }

    pub fn theme(&self) -> &Theme {
        self.chrome.theme()
    }

    /// Which pane has the keyboard: the pane the user put it in, the body's slot being a list
    /// while a list is shown there and the detail pane otherwise.
    pub fn focus(&self) -> Focus {
        match self.pane {
            Pane::Arn => Focus::Arn,
            Pane::EndpointId => Focus::EndpointId,
            Pane::Recent => Focus::Recent,
            Pane::Body if self.body().is_list() => Focus::List,
            Pane::Body => Focus::Detail,
        }
    }

    /// The ARN input.
    pub fn arn(&self) -> &Input {
        self.inputs.arn()
    }

    /// The endpoint-ID input.
    pub fn endpoint_id(&self) -> &Input {
        self.inputs.endpoint_id()
    }

    pub fn detail(&self) -> &Detail {
        &self.detail
    }

    /// Index of the detail pane's cursor into the fields.
    pub fn field(&self) -> usize {
        self.cursor.field()
    }

    pub fn show_secrets(&self) -> bool {
        self.show_secrets
    }

    pub fn mouse(&self) -> bool {
        self.chrome.mouse()
    }

    pub fn recent(&self) -> &Recent {
        &self.recent
    }

    pub fn browse(&self) -> &Browse {
        &self.browse
    }

    /// The clock as of the last tick.
    pub fn now(&self) -> Instant {
        self.chrome.now()
    }

    pub fn tz(&self) -> &jiff::tz::TimeZone {
        self.chrome.tz()
    }

    pub fn set_theme(&mut self, theme: Theme) {
        self.chrome.set_theme(theme);
    }

    /// Move the focus (as Tab, or a click, would).
    pub fn set_focus(&mut self, focus: Focus) {
        self.pane = focus.into();
    }

    /// Put the detail pane's cursor on field `index` (as j/k would).
    pub fn set_field(&mut self, index: usize) {
        self.cursor.put_on_field(index);
    }

    /// Secrets shown or masked (as `s` toggles).
    pub fn set_show_secrets(&mut self, show: bool) {
        self.show_secrets = show;
    }

    pub fn set_mouse(&mut self, on: bool) {
        self.chrome.set_mouse(on);
    }

    /// The lists being browsed, outermost first, and whether the detail pane is open over them
    /// (as browsing to them and Enter on an endpoint would).
    pub fn set_lists(&mut self, stack: Vec<super::list::ListView>, detail_open: bool) {
        self.browse.stack = stack;
        self.browse.detail_open = detail_open;
    }

    /// The time zone for local times in the detail pane.
    pub fn set_tz(&mut self, tz: jiff::tz::TimeZone) {
        self.chrome.set_tz(tz);
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The ARN input parsed (or what is wrong with it).
    pub fn arn_check(&self) -> &Result<ParsedArn, InputError> {
        self.inputs.arn_check()
    }

    pub fn id_check(&self) -> &Result<(), InputError> {
        self.inputs.id_check()
    }

    /// The help overlay's scroll offset while it is open.
    pub fn help(&self) -> Option<u16> {
        self.chrome.help()
    }

    /// The message on the status line.
    pub fn notice(&self) -> Option<&Notice> {
        self.chrome.notice()
    }

    /// The screen's size (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        self.chrome.size()
    }

    /// Whether the Recent pane exists.
    pub fn has_recent(&self) -> bool {
        self.recent.shown()
    }

    /// The wall clock, as of the last [`Action::Clock`].
    pub fn wall(&self) -> jiff::Timestamp {
        self.chrome.wall()
    }

    /// The user asked to quit.
    pub fn quitting(&self) -> bool {
        self.quit
    }

    /// Fill both inputs (tests, history, the command line).
    pub fn set_inputs(&mut self, arn: &str, endpoint_id: &str) {
        self.inputs.set(arn, endpoint_id);
    }

    /// The region a lookup of the current input would go to.
    pub fn region(&self) -> String {
        // An app-instance ARN (browsing its users) names a region too.
        let instance = || model::parse_instance_arn(self.arn().value()).ok();
        match self.arn_check() {
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
        FIELDS[self.cursor.field().min(FIELDS.len() - 1)]
    }

    /// When the event loop must wake even with no input: the spinner while a lookup runs,
    /// the expiry of a status message. None: sleep until something happens.
    pub fn next_wakeup(&self) -> Option<Duration> {
        let mut wake = None;
        if self.is_loading() || self.browse.is_loading() || self.writes.pending.is_some() {
            wake = Some(SPIN_INTERVAL);
        }
        if let Some(until) = self.notice().and_then(|n| n.until) {
            let d = until.saturating_duration_since(self.now()).max(Duration::from_millis(10));
            wake = Some(wake.map_or(d, |w: Duration| w.min(d)));
        }
        if let Some(d) = self.watch_wakeup() {
            wake = Some(wake.map_or(d, |w: Duration| w.min(d)));
        }
        wake
    }

    pub fn focus_order(&self) -> &'static [Focus] {
        // While a list is browsed it takes the detail pane's place.
        match (self.has_recent(), self.body().is_list()) {
            (true, false) => &[Focus::Arn, Focus::EndpointId, Focus::Detail, Focus::Recent],
            (false, false) => &[Focus::Arn, Focus::EndpointId, Focus::Detail],
            (true, true) => &[Focus::Arn, Focus::EndpointId, Focus::List, Focus::Recent],
            (false, true) => &[Focus::Arn, Focus::EndpointId, Focus::List],
        }
    }

    pub(super) fn cycle_focus(&mut self, forward: bool) {
        let order = self.focus_order();
        let focus = self.focus();
        let i = order.iter().position(|f| *f == focus).unwrap_or(0);
        let n = order.len();
        self.set_focus(order[if forward { (i + 1) % n } else { (i + n - 1) % n }]);
    }

    /// Why the Pinpoint checks are off (`--no-pinpoint`, the config file), when they are.
    pub fn pinpoint_off(&self) -> Option<&str> {
        self.pinpoint.off()
    }

    pub(super) fn notify(&mut self, n: Notice) {
        self.chrome.notify(n);
    }
}

#[cfg(test)]
mod tests;
