//! The browser's state and the one place it changes: [`App::update`] takes an [`Action`] and
//! returns the [`Effect`]s for the event loop to carry out. It does no I/O, reads no clock
//! (time arrives as [`Action::Clock`]) and never panics, so it is tested with plain unit tests.

use super::browse::Browse;
use super::cursor;
use super::detail::Detail;
use super::fields::{FIELDS, FieldId};
use super::paste::MAX_PASTE;
use super::recent::Recent;
use super::session::Session;
use crate::jobs::worker::Query;
use crate::model::{self, Endpoint, InputError, ParsedArn};
use crate::store::history::History;
use crate::tui::action::{Action, Cmd, Drawn, Effect, Notice};
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
    /// Why the Pinpoint checks are off (`--no-pinpoint`, the config file), when they are.
    pub(super) pinpoint_off: Option<String>,
    /// What the last frame drew (for clicks on the detail pane's fields).
    pub(super) drawn: Drawn,
    /// A copy of the history to write, left by [`Action::SaveHistory`] for the event loop
    /// (gone at the next update).
    pub(super) outbox: Option<History>,
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
            pinpoint_off: None,
            drawn: Drawn::default(),
            outbox: None,
            cmdline: Default::default(),
            account: None,
            context_gen: 0,
            switching: None,
            context_floor: 0,
            watch: None,
            bell: false,
            writes: Default::default(),
            scan: Default::default(),
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

    /// The history to write, left by the last [`Action::SaveHistory`].
    pub fn history_outbox(&self) -> Option<&History> {
        self.outbox.as_ref()
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
        match (self.has_recent, self.browse.shows_list() && !self.scan_covers()) {
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

    /// The one place state changes. Every effect returned must be carried out.
    #[must_use]
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let before = self.focus;
        self.outbox = None;
        // A message is about the action before: the next thing the user does retires it (the
        // action may leave one of its own).
        if matches!(
            action,
            Action::Cmd(_) | Action::Edit(_) | Action::Paste(_) | Action::Click { .. } | Action::Wheel { .. }
        ) {
            self.notice = None;
        }
        let mut eff = match action {
            Action::Cmd(c) => self.command(c),
            Action::Edit(req) if self.cmdline.is_open() && self.help.is_none() => {
                self.command_line_edit(req);
                vec![]
            }
            Action::Paste(text) if self.cmdline.is_open() && self.help.is_none() => {
                self.command_line_paste(&text);
                vec![]
            }
            Action::Edit(req) => {
                self.edit(req);
                vec![]
            }
            Action::Paste(text) => {
                self.paste(&text);
                vec![]
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Action::Click { x, y } => {
                self.click(x, y);
                vec![]
            }
            Action::Wheel { down, x, y } => {
                if let Some(f) = self.pane_at(x, y) {
                    self.focus = f;
                }
                self.command(if down { Cmd::Down } else { Cmd::Up })
            }
            Action::Clock { now, wall } => {
                self.now = now;
                self.wall = wall;
                if self.notice.as_ref().and_then(|n| n.until).is_some_and(|u| now >= u) {
                    self.notice = None;
                }
                self.watch_tick()
            }
            // An answer from a context left since (`super::switch`) is dropped.
            Action::JobDone(done) if self.is_of_old_context(done.id) => vec![],
            Action::JobDone(done) if self.watch_owns(&done) => {
                self.learn_account(&done);
                self.watch_done(done)
            }
            Action::JobDone(done) if self.pinpoint_owns(&done) => self.pinpoint_done(done),
            Action::JobDone(done) => {
                self.learn_account(&done);
                let describe = matches!(&self.detail, Detail::Loading { id, .. } if *id == done.id)
                    && matches!(done.query, Query::Describe { .. });
                let mut eff = self.answer_arrived(done);
                if describe {
                    eff.extend(self.pinpoint_after_describe());
                }
                eff
            }
            Action::Notify(n) => {
                self.notify(n);
                vec![]
            }
            Action::Setup { theme, mouse, show_secrets, tz } => {
                self.theme = *theme;
                self.mouse = mouse;
                self.show_secrets = show_secrets;
                self.recent.set_names_visible(show_secrets);
                self.tz = tz;
                vec![]
            }
            Action::PinpointOff(why) => {
                self.pinpoint_off = Some(why);
                vec![]
            }
            Action::AttachHistory { history, persist, warning } => {
                if persist {
                    self.attach_history(*history);
                } else {
                    self.attach_history_in_memory(*history);
                }
                self.recent.warning = warning;
                vec![]
            }
            Action::SaveHistory => {
                self.outbox = self.recent.save_job();
                vec![]
            }
            Action::HistorySaved(done) => {
                let done = *done;
                if let Some(n) = self.recent.save_done(done.job, done.result) {
                    self.notify(n);
                }
                vec![]
            }
            Action::Drawn(drawn) => {
                self.drawn = drawn;
                vec![]
            }
            Action::Scan(ev) => {
                self.scan_event(ev);
                vec![]
            }
            Action::ScanResumable(instance) => {
                self.scan_resumable(instance);
                vec![]
            }
            Action::Batch(ev) => {
                self.batch_event(ev);
                vec![]
            }
            Action::CommandSetup { profiles, history, bell } => {
                self.cmdline.profiles = profiles;
                self.cmdline.history = history;
                self.bell = bell;
                vec![]
            }
            Action::Switched { generation, result } => self.switched(generation, result),
        };
        eff.extend(self.after_update(before));
        eff
    }

    pub(super) fn command(&mut self, c: Cmd) -> Vec<Effect> {
        if self.writes.active() {
            return self.write_dialog_command(c);
        }
        if let Some(eff) = self.scan_command(c) {
            return eff;
        }
        if super::write::is_write_cmd(c) && self.help.is_none() {
            // A write sent while the client is rebuilt would go to the worker being replaced.
            if self.switching() {
                self.notify(Notice::error(
                    "Switching context: the write was not sent (try again in a moment)",
                ));
                return vec![];
            }
            return self.write_key(c);
        }
        if c == Cmd::CopyJson
            && self.help.is_none()
            && let Some(eff) = self.copy_removed()
        {
            return eff;
        }
        if self.help.is_some() {
            match c {
                Cmd::Quit => {}
                Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                    let max = super::layout::help_max_scroll(self).min(u16::MAX as usize - 1);
                    let page = super::layout::help_page(self).max(1) as usize;
                    self.help = self.help.map(|s| cursor::moved(s as usize, max + 1, page, c) as u16);
                    return vec![];
                }
                Cmd::Help | Cmd::Cancel => {
                    self.help = None;
                    return vec![];
                }
                _ => return vec![],
            }
        }
        if self.cmdline.is_open() {
            return self.command_line_key(c);
        }
        // Esc in a pane stops a watch first.
        if c == Cmd::Cancel && self.watch.is_some() && self.key_mode() == Mode::Pane && !self.is_loading() {
            return self.stop_watch();
        }
        if let Some(eff) = self.browse_command(c) {
            return eff;
        }
        if self.focus == Focus::Recent
            && let Some(eff) = self.recent_command(c)
        {
            return eff;
        }
        match c {
            Cmd::Quit => {
                self.quit = true;
                let mut eff = self.cancel_running();
                self.batch_on_quit();
                eff.push(Effect::Quit);
                return eff;
            }
            Cmd::FocusNext => self.cycle_focus(true),
            Cmd::FocusPrev => self.cycle_focus(false),
            Cmd::FocusArn => self.focus = Focus::Arn,
            Cmd::Submit => return self.submit(),
            Cmd::Cancel => return self.cancel(),
            Cmd::Retry => return self.retry(),
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => self.move_cursor(c),
            Cmd::ToggleSecrets => {
                self.show_secrets = !self.show_secrets;
                self.recent.set_names_visible(self.show_secrets);
                self.notify(Notice::info(if self.show_secrets {
                    "Secrets shown (s masks them again)"
                } else {
                    "Secrets masked"
                }));
            }
            Cmd::CopyField => return self.copy_field(),
            Cmd::CopyJson => return self.copy_json(),
            Cmd::CopyCommand => return self.copy_command(),
            Cmd::Help => self.help = Some(0),
            Cmd::Filter | Cmd::Forget => return self.recent_elsewhere(c),
            Cmd::CommandLine => self.open_command_line(),
            Cmd::Watch => return self.start_watch(super::command::DEFAULT_WATCH_SECS),
            Cmd::SortNext | Cmd::SortPrev => {
                self.notify(Notice::info("< and > sort a list (:instances, :endpoints ARN)"))
            }
            Cmd::Back | Cmd::Complete | Cmd::CompleteBack => {}
            Cmd::FlipMessages
            | Cmd::EditEndpoint
            | Cmd::Deregister
            | Cmd::Register
            | Cmd::Confirm
            | Cmd::Scan
            | Cmd::Mark
            | Cmd::MarkAll => {}
        }
        vec![]
    }

    pub(super) fn edit(&mut self, req: InputRequest) {
        if self.write_edit(req) {
            return;
        }
        if self.scan_edit(req) {
            return;
        }
        if self.recent_filter_editing() {
            return self.recent_edit(req);
        }
        if self.browse_edit(req) {
            return;
        }
        let input = match self.focus {
            Focus::Arn => &mut self.arn,
            Focus::EndpointId => &mut self.endpoint_id,
            _ => return,
        };
        if let InputRequest::InsertChar(c) = req
            && (c.is_control() || input.value().len() >= MAX_PASTE * 4)
        {
            return;
        }
        if input.handle(req).is_some_and(|s| s.value) {
            self.recheck();
        }
    }
}

impl App {
    /// Whether Esc in the focused pane cancels the lookup running in the detail pane: the
    /// list (going back a level, or clearing its filter) and the Recent pane's filter take
    /// Esc first.
    pub(super) fn esc_cancels_lookup(&self) -> bool {
        match self.focus {
            Focus::List => false,
            Focus::Recent => !(self.recent.filtering || self.recent.is_filtered()),
            Focus::Arn | Focus::EndpointId | Focus::Detail => true,
        }
    }

    /// Where the keyboard is, for the status bar's hints.
    pub fn hint_focus(&self) -> HintFocus {
        if let Some(h) = self.batch_hint_focus() {
            return h;
        }
        if self.writes.pending.is_some() {
            return HintFocus::Sending;
        }
        if let Some(c) = &self.writes.confirm {
            return match (&c.kind, c.focus) {
                (super::write::ConfirmKind::Typed { .. }, super::write::ConfirmFocus::Input) => {
                    HintFocus::TypedConfirm
                }
                (super::write::ConfirmKind::Typed { .. }, _) => HintFocus::ConfirmButtons,
                _ => HintFocus::Confirm,
            };
        }
        if self.writes.form.is_some() {
            return HintFocus::Form;
        }
        if self.help.is_some() {
            return HintFocus::Help;
        }
        if self.cmdline.is_open() {
            return HintFocus::Command;
        }
        if let Some(h) = self.scan_hint_focus() {
            return h;
        }
        if self.is_loading() && self.esc_cancels_lookup() {
            return HintFocus::Cancel;
        }
        if self.list_filter_editing() || (self.focus == Focus::Recent && self.recent.filtering) {
            return HintFocus::Filter;
        }
        if self.completion_visible() {
            return HintFocus::Completion;
        }
        match self.focus {
            Focus::List if self.browse.top().is_some_and(|v| v.is_filtered()) => HintFocus::ListFiltered,
            Focus::List
                if self.browse.top().is_some_and(|v| matches!(v.rows, super::list::Rows::Instances(_))) =>
            {
                HintFocus::InstanceList
            }
            Focus::List => HintFocus::List,
            Focus::Detail if !self.browse.stack.is_empty() => HintFocus::DetailOfList,
            Focus::Arn | Focus::EndpointId => HintFocus::Input,
            Focus::Recent => HintFocus::Recent,
            Focus::Detail if self.watch.is_some() => HintFocus::Watching,
            Focus::Detail => HintFocus::Detail,
        }
    }

    /// The status bar's hints where the keyboard is.
    pub fn hints(&self) -> Vec<(&'static str, &'static str)> {
        if self.readonly() {
            // The write keys are hidden in read-only mode.
            return self
                .hint_focus()
                .hints()
                .iter()
                .filter(|(_, _, cmds)| !cmds.iter().any(|c| super::write::is_write_cmd(*c)))
                .map(|(k, w, _)| (*k, *w))
                .collect();
        }
        keymap::hints(self.hint_focus())
    }
}

impl Keyed for App {
    fn key_mode(&self) -> Mode {
        match self.hint_focus() {
            HintFocus::TypedConfirm | HintFocus::Form => return Mode::Form,
            HintFocus::Confirm | HintFocus::ConfirmButtons | HintFocus::Sending | HintFocus::DryRun => {
                return Mode::Confirm;
            }
            _ => {}
        }
        if self.help.is_some() {
            Mode::Help
        } else if self.cmdline.is_open() {
            Mode::Command
        } else if self.focus.is_input()
            || self.recent_filter_editing()
            || self.list_filter_editing()
            || self.scan_filter_editing()
        {
            // The Recent pane's and the list's filters are inputs too while they have the keyboard.
            Mode::Input
        } else {
            Mode::Pane
        }
    }

    fn mouse_on(&self) -> bool {
        self.mouse
    }
}

#[cfg(test)]
mod tests {
    // Actions are fed and the state (or some effects) checked: not every effect is used.
    #![allow(unused_must_use)]
    use super::*;
    use crate::jobs::worker::{Answer, JobDone, JobRequest};
    use crate::model::{EndpointState, EndpointStatus};
    use crate::model::{ErrorKind, ServiceError};
    use crate::tui::action::Level;
    use crate::tui::state::paste::MAX_PASTE;

    const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42";

    fn app() -> App {
        App::new(Session::demo())
    }

    fn typed(app: &mut App, s: &str) {
        for c in s.chars() {
            app.update(Action::Edit(InputRequest::InsertChar(c)));
        }
    }

    fn endpoint() -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(ARN.into()),
            endpoint_id: Some("ep-1".into()),
            name: Some("phone".into()),
            device_token: Some("abcd".into()),
            state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
            ..Default::default()
        }
    }

    fn done(id: u64, result: Result<Answer, ServiceError>) -> Action {
        Action::JobDone(JobDone {
            id,
            query: Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() },
            result,
            elapsed: Duration::from_millis(12),
        })
    }

    fn started_id(eff: &[Effect]) -> u64 {
        eff.iter()
            .find_map(|e| match e {
                Effect::Job(r) => Some(r.id),
                _ => None,
            })
            .expect("a lookup effect")
    }

    #[test]
    fn focus_starts_in_the_arn_input_and_tab_cycles() {
        let mut a = app();
        assert_eq!(a.focus, Focus::Arn);
        for want in [Focus::EndpointId, Focus::Detail, Focus::Arn] {
            a.update(Action::Cmd(Cmd::FocusNext));
            assert_eq!(a.focus, want);
        }
        a.update(Action::Cmd(Cmd::FocusPrev));
        assert_eq!(a.focus, Focus::Detail);
        a.has_recent = true;
        a.update(Action::Cmd(Cmd::FocusNext));
        assert_eq!(a.focus, Focus::Recent);
        a.update(Action::Cmd(Cmd::FocusNext));
        assert_eq!(a.focus, Focus::Arn);
    }

    #[test]
    fn an_answer_does_not_take_the_keyboard_from_an_input_the_user_moved_to() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        a.focus = Focus::EndpointId;
        let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
        // While it runs, the user goes back to the ARN and types.
        a.focus = Focus::Arn;
        a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
        assert_eq!(a.focus, Focus::Arn, "typing goes on typing");
        assert!(matches!(a.detail, Detail::Endpoint { .. }));
        // Left where it was, the focus moves to the answer.
        a.focus = Focus::EndpointId;
        let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
        a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
        assert_eq!(a.focus, Focus::Detail);
    }

    #[test]
    fn help_scrolls_no_further_than_its_end() {
        let mut a = app();
        a.update(Action::Resize(80, 24));
        a.help = Some(0);
        let max = super::super::layout::help_max_scroll(&a) as u16;
        assert!(max > 0, "the help is longer than 24 rows");
        for _ in 0..300 {
            a.update(Action::Cmd(Cmd::Down));
        }
        assert_eq!(a.help, Some(max));
        a.update(Action::Cmd(Cmd::Up));
        assert_eq!(a.help, Some(max - 1), "the first k scrolls back at once");
    }

    #[test]
    fn typing_validates_the_arn() {
        let mut a = app();
        typed(&mut a, "arn:aws:chime:us-east-1");
        assert!(a.arn_check.as_ref().unwrap_err().problem.contains("4 of the 6"));
        typed(&mut a, ":123456789012:app-instance/7f3c/user/u-42");
        let p = a.arn_check.as_ref().unwrap();
        assert_eq!(p.user_id(), Some("u-42"));
        assert_eq!(a.region(), "us-east-1");
        // word delete comes from the text-input crate
        let before = a.arn.value().len();
        a.update(Action::Edit(InputRequest::DeletePrevWord));
        assert!(a.arn.value().len() < before);
        a.update(Action::Edit(InputRequest::DeleteLine));
        assert!(a.arn_check.is_err());
    }

    #[test]
    fn nothing_invalid_is_sent() {
        let mut a = app();
        // (An app-instance ARN, or a user ARN with no endpoint ID, lists: `browse`.)
        typed(&mut a, "arn:aws:chime:us-east-1:1:app-instance/a/usr/b");
        let eff = a.update(Action::Cmd(Cmd::Submit));
        assert!(eff.is_empty());
        assert_eq!(a.focus, Focus::Arn);
        assert_eq!(a.notice.as_ref().unwrap().level, Level::Error);
        a.set_inputs(ARN, " ep-1");
        a.focus = Focus::Arn;
        let eff = a.update(Action::Cmd(Cmd::Submit));
        // (Only the user's endpoints, for completion, as the ID input gets the keyboard.)
        assert!(!eff.iter().any(|e| matches!(e, Effect::Job(r) if !r.query.is_list())), "{eff:?}");
        assert_eq!(a.focus, Focus::EndpointId, "moves to the input that needs fixing");
    }

    #[test]
    fn a_lookup_runs_and_focus_moves_to_the_detail() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        let eff = a.update(Action::Cmd(Cmd::Submit));
        assert_eq!(
            eff,
            vec![Effect::Job(JobRequest {
                id: 1,
                query: Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() }
            })]
        );
        assert!(a.is_loading());
        assert_eq!(a.next_wakeup(), Some(SPIN_INTERVAL));
        let eff = a.update(done(1, Ok(Answer::Endpoint(Box::new(endpoint())))));
        assert!(matches!(eff.as_slice(), [Effect::Record(r)] if r.result.is_ok() && r.region == "us-east-1"));
        assert_eq!(a.focus, Focus::Detail);
        assert_eq!(a.endpoint().unwrap().endpoint_id.as_deref(), Some("ep-1"));
        assert_eq!(a.next_wakeup(), None, "idle: no wake-ups");
    }

    #[test]
    fn stale_results_are_dropped() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        let first = started_id(&a.update(Action::Cmd(Cmd::Submit)));
        let eff = a.update(Action::Cmd(Cmd::Submit));
        assert_eq!(eff[0], Effect::CancelJob(first), "the superseded lookup is aborted");
        let second = started_id(&eff);
        assert!(a.update(done(first, Ok(Answer::Endpoint(Box::new(endpoint()))))).is_empty());
        assert!(a.is_loading());
        a.update(done(second, Ok(Answer::Endpoint(Box::new(endpoint())))));
        assert!(a.endpoint().is_some());
        // an answer arriving after it is shown changes nothing
        assert!(a.update(done(second, Err(ServiceError::new(ErrorKind::Timeout, "x", "")))).is_empty());
        assert!(a.endpoint().is_some());
    }

    #[test]
    fn esc_cancels_and_restores_what_was_shown() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
        a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
        let id = started_id(&a.update(Action::Cmd(Cmd::Retry)));
        assert_eq!(a.update(Action::Cmd(Cmd::Cancel)), vec![Effect::CancelJob(id)]);
        assert!(a.endpoint().is_some());
        assert!(a.update(done(id, Err(ServiceError::new(ErrorKind::Timeout, "x", "")))).is_empty());
    }

    #[test]
    fn errors_stay_in_the_detail_pane_with_focus_kept() {
        let mut a = app();
        a.set_inputs(ARN, "nope");
        a.focus = Focus::EndpointId;
        let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
        let eff = a.update(done(id, Err(ServiceError::new(ErrorKind::NotFound, "no such endpoint", ""))));
        assert!(matches!(&eff[0], Effect::Record(r) if r.result.is_err()));
        assert!(matches!(&a.detail, Detail::Error { error, .. } if error.kind == ErrorKind::NotFound));
        assert_eq!(a.focus, Focus::EndpointId);
    }

    #[test]
    fn retry_repeats_the_last_query() {
        let mut a = app();
        assert!(a.update(Action::Cmd(Cmd::Retry)).is_empty());
        a.set_inputs(ARN, "ep-1");
        a.update(Action::Cmd(Cmd::Submit));
        a.set_inputs("", "");
        let eff = a.update(Action::Cmd(Cmd::Retry));
        assert!(matches!(&eff[..], [Effect::CancelJob(1), Effect::Job(r)]
            if r.query == Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() }));
        assert_eq!((a.arn.value(), a.endpoint_id.value()), (ARN, "ep-1"), "the inputs name what is repeated");
    }

    #[test]
    fn paste_trims_and_inserts_at_the_cursor() {
        let mut a = app();
        a.update(Action::Paste(format!("  {ARN}\n")));
        assert_eq!(a.arn.value(), ARN);
        assert!(a.arn_check.is_ok());
        a.update(Action::Cmd(Cmd::FocusNext));
        typed(&mut a, "ep-");
        a.update(Action::Paste("1\t".into()));
        assert_eq!(a.endpoint_id.value(), "ep-1");
        // quotes and a trailing comma (copied out of JSON) are dropped
        a.focus = Focus::Arn;
        a.arn = Input::default();
        a.update(Action::Paste(format!("\"{ARN}\",")));
        assert_eq!(a.arn.value(), ARN);
        // "ARN<newline>ID" fills both inputs
        a.update(Action::Paste(format!("{ARN}\n  'ep-9'\n")));
        assert_eq!((a.arn.value(), a.endpoint_id.value(), a.focus), (ARN, "ep-9", Focus::EndpointId));
        assert!(a.arn_check.is_ok() && a.id_check.is_ok());
        // outside the inputs, an ARN goes to the ARN input
        a.focus = Focus::Detail;
        a.update(Action::Paste("arn:aws:chime:eu-central-1:123456789012:app-instance/i/user/u".into()));
        assert_eq!(a.focus, Focus::Arn);
        assert_eq!(a.region(), "eu-central-1");
        a.update(Action::Paste("x".repeat(MAX_PASTE + 10)));
        assert!(a.arn.value().len() < MAX_PASTE + 100);
    }

    #[test]
    fn a_pasted_arn_and_id_split_on_cr_space_and_comma() {
        // tmux pastes lines with CR; tickets write "ARN ep-9" or "ARN, ep-9".
        for text in [
            format!("{ARN}\rep-9"),
            format!("{ARN}\r\nep-9\r"),
            format!("{ARN} ep-9"),
            format!("{ARN},ep-9"),
            format!("{ARN}, ep-9"),
            format!("\"{ARN}\", \"ep-9\""),
        ] {
            let mut a = app();
            a.update(Action::Paste(text.clone()));
            assert_eq!((a.arn.value(), a.endpoint_id.value()), (ARN, "ep-9"), "{text:?}");
            assert!(a.arn_check.is_ok(), "{text:?}");
            assert_eq!(a.focus, Focus::EndpointId);
        }
        // An ARN alone is never split, and a user ID never gets "u-42, ep-9".
        let mut a = app();
        a.update(Action::Paste(ARN.into()));
        assert_eq!((a.arn.value(), a.endpoint_id.value()), (ARN, ""));
        let mut a = app();
        a.update(Action::Paste(format!("{ARN}, ep-9, ep-10")));
        assert!(a.arn_check.is_err(), "three values: not a pair, and not a valid ARN either");
    }

    #[test]
    fn retry_under_changed_inputs_looks_up_what_they_say() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
        a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
        // The user edits the ID, then presses Ctrl-R.
        a.set_inputs(ARN, "ep-9");
        let eff = a.update(Action::Cmd(Cmd::Retry));
        assert!(
            matches!(eff.last(), Some(Effect::Job(r))
            if r.query == Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-9".into() }),
            "{eff:?}"
        );
        assert!(a.notice.as_ref().is_some_and(|n| n.text.contains("inputs changed")));
        // Unchanged, it repeats.
        let eff = a.update(Action::Cmd(Cmd::Retry));
        assert!(matches!(eff.last(), Some(Effect::Job(r))
            if r.query == Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-9".into() }));
    }

    #[test]
    fn a_message_goes_with_the_next_action() {
        let mut a = app();
        a.focus = Focus::Detail;
        a.update(Action::Cmd(Cmd::ToggleSecrets));
        assert!(a.notice.as_ref().is_some_and(|n| n.text.contains("Secrets shown")));
        a.update(Action::Cmd(Cmd::Down));
        assert!(a.notice.is_none(), "the toast about the last key went with the next one");
        // The answer to a copy (an effect's result) is not an action of the user's.
        a.update(Action::Cmd(Cmd::CopyField));
        a.update(Action::Notify(Notice::ok("Copied x")));
        a.update(Action::Clock { now: a.now, wall: a.wall });
        assert!(a.notice.is_some());
    }

    #[test]
    fn field_cursor_and_copy() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        a.update(Action::Cmd(Cmd::Submit));
        a.update(done(1, Ok(Answer::Endpoint(Box::new(endpoint())))));
        a.update(Action::Cmd(Cmd::Bottom));
        assert_eq!(a.selected_field(), FieldId::Updated);
        a.update(Action::Cmd(Cmd::Down));
        assert_eq!(a.selected_field(), FieldId::Updated);
        a.update(Action::Cmd(Cmd::Top));
        while a.selected_field() != FieldId::DeviceToken {
            a.update(Action::Cmd(Cmd::Down));
        }
        assert!(!a.show_secrets);
        assert_eq!(
            a.update(Action::Cmd(Cmd::CopyField)),
            vec![Effect::Copy { what: "device token".into(), text: "abcd".into() }],
            "the real value, also when masked"
        );
        // Y follows the mask on screen, and says so.
        let json = a.update(Action::Cmd(Cmd::CopyJson));
        assert!(
            matches!(&json[0], Effect::Copy { text, what }
            if text.contains("\"DeviceToken\": \"(masked, 4 chars)\"") && !text.contains("abcd")
                && !text.contains("phone") && what.contains("masked")),
            "{json:?}"
        );
        let cmd = a.update(Action::Cmd(Cmd::CopyCommand));
        assert!(matches!(&cmd[0], Effect::Copy { text, .. }
            if text.contains("--endpoint-id ep-1 --region us-east-1 --endpoint-url http://127.0.0.1:4566")));
        a.update(Action::Cmd(Cmd::ToggleSecrets));
        assert!(a.show_secrets);
        // Shown, Y copies them in clear and the message says secrets are included.
        let json = a.update(Action::Cmd(Cmd::CopyJson));
        assert!(
            matches!(&json[0], Effect::Copy { text, what }
            if text.contains("\"DeviceToken\": \"abcd\"") && what.contains("in clear")),
            "{json:?}"
        );
        a.update(Action::Cmd(Cmd::Up));
        a.update(Action::Cmd(Cmd::Up));
        a.update(Action::Cmd(Cmd::Up));
        assert_eq!(a.selected_field(), FieldId::AppInstance);
        assert!(a.update(Action::Cmd(Cmd::CopyField)).iter().any(|e| matches!(e, Effect::Copy { text, .. }
            if text == "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c")));
    }

    #[test]
    fn help_swallows_keys_until_closed() {
        let mut a = app();
        a.update(Action::Cmd(Cmd::Help));
        assert!(a.help.is_some());
        a.set_inputs(ARN, "ep-1");
        assert!(a.update(Action::Cmd(Cmd::Submit)).is_empty());
        a.update(Action::Cmd(Cmd::Cancel));
        assert!(a.help.is_none());
        assert_eq!(a.update(Action::Cmd(Cmd::Quit)), vec![Effect::Quit]);
    }

    #[test]
    fn esc_in_an_input_leaves_it_and_notices_expire() {
        let mut a = app();
        a.update(Action::Cmd(Cmd::Cancel));
        assert_eq!(a.focus, Focus::Detail);
        a.update(Action::Cmd(Cmd::ToggleSecrets));
        assert!(a.notice.is_some());
        assert!(a.next_wakeup().is_some());
        let later = a.now + NOTICE_TTL;
        a.update(Action::Clock { now: later, wall: a.wall });
        assert!(a.notice.is_none());
    }

    #[test]
    fn quit_cancels_a_running_lookup() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        a.update(Action::Cmd(Cmd::Submit));
        assert_eq!(a.update(Action::Cmd(Cmd::Quit)), vec![Effect::CancelJob(1), Effect::Quit]);
        assert!(a.quit);
    }
}
