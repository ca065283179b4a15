//! The browser's state and the one place it changes: [`App::update`] takes an [`Action`] and
//! returns the [`Effect`]s for the event loop to carry out. It does no I/O, reads no clock
//! (time arrives as [`Action::Clock`]) and never panics, so it is tested with plain unit tests.

use crate::aws::{LookupError, Target, op};
use crate::model::{self, Endpoint, InputError, ParsedArn};
use crate::worker::{Answer, LookupDone, LookupRequest, Query};
use std::time::{Duration, Instant};
use tui_input::{Input, InputRequest};

/// How long a message on the status line stays.
pub const NOTICE_TTL: Duration = Duration::from_secs(6);
/// Redraw interval while a lookup runs (spinner and elapsed time).
pub const SPIN_INTERVAL: Duration = Duration::from_millis(100);
/// Longest paste accepted into an input (an ARN has at most 1600 characters).
pub const MAX_PASTE: usize = 4096;

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

/// Where requests go and on whose behalf: fixed for the life of the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// "default", the profile's name, or "demo".
    pub profile: String,
    pub target: Target,
    /// `--region` (or the config file's), which wins over the ARN's region.
    pub region_flag: Option<String>,
    /// The profile's or environment's region, for requests that carry no ARN.
    pub default_region: String,
}

impl Session {
    /// The same rule as the client's: the flag, then the ARN, then the profile.
    pub fn region_for(&self, arn_region: Option<&str>) -> String {
        crate::aws::choose_region(self.region_flag.as_deref(), arn_region, &self.default_region)
    }

    /// Where requests go, for the status bar.
    pub fn target_label(&self) -> String {
        match &self.target {
            Target::Aws => "AWS".into(),
            Target::Custom(u) => format!("custom {}", model::escape_control(u)),
            Target::Demo(_) => "demo (local)".into(),
        }
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.target, Target::Demo(_))
    }

    /// A session for tests and benches: the embedded demo service.
    pub fn demo() -> Self {
        Self {
            profile: "demo".into(),
            target: Target::Demo("http://127.0.0.1:4566".into()),
            region_flag: None,
            default_region: "us-east-1".into(),
        }
    }
}

/// What a key (or a click) asks for. Keys map to these through the table in `keymap`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmd {
    Quit,
    FocusNext,
    FocusPrev,
    FocusArn,
    /// Enter in an input: look up.
    Submit,
    /// Esc: cancel the running lookup, close the help, or leave the input.
    Cancel,
    /// r: repeat the last lookup.
    Retry,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    ToggleSecrets,
    /// y: the selected field's real value (also when masked).
    CopyField,
    /// Y: the endpoint as `describe --output json` prints it.
    CopyJson,
    /// c: the equivalent AWS CLI command line.
    CopyCommand,
    Help,
    /// `/`: filter the recent lookups (history).
    Filter,
    /// d: forget the selected recent lookup (history).
    Forget,
    /// Backspace: up a level in a list (browsing).
    Back,
}

/// Everything that can happen to the browser.
#[derive(Clone, Debug)]
pub enum Action {
    Cmd(Cmd),
    /// Edit the focused input (cursor movement, word delete, ...).
    Edit(InputRequest),
    /// Bracketed paste.
    Paste(String),
    Resize(u16, u16),
    /// A left click at a screen cell (mouse support on).
    Click {
        x: u16,
        y: u16,
    },
    /// The wheel at a screen cell.
    Wheel {
        down: bool,
        x: u16,
        y: u16,
    },
    /// The time, sent by the event loop before each batch of actions.
    Clock {
        now: Instant,
        wall: jiff::Timestamp,
    },
    LookupDone(LookupDone),
    /// A message for the status line (for example the outcome of a copy).
    Notify(Notice),
}

/// What the event loop must do for the App.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Lookup(LookupRequest),
    CancelLookup(u64),
    /// Put `text` on the clipboard; `what` names it for the feedback ("device token").
    Copy {
        what: String,
        text: String,
    },
    /// A finished lookup, for the history (recorded in memory by `update`; the event loop
    /// saves the history).
    Record(Box<Record>),
    /// Write the history (after forgetting an entry).
    SaveHistory,
    Quit,
}

/// A finished lookup as the history wants it. Holds secrets: the history strips them.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub query: Query,
    pub region: String,
    pub profile: String,
    pub target: Target,
    pub at: jiff::Timestamp,
    pub result: Result<Endpoint, LookupError>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Ok,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub level: Level,
    /// Set by the App when the notice is shown.
    pub until: Option<Instant>,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Self { text: text.into(), level: Level::Info, until: None }
    }
    pub fn ok(text: impl Into<String>) -> Self {
        Self { text: text.into(), level: Level::Ok, until: None }
    }
    pub fn error(text: impl Into<String>) -> Self {
        Self { text: text.into(), level: Level::Error, until: None }
    }
}

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
        error: LookupError,
        elapsed: Duration,
    },
}

/// The fields of the detail pane, in the order shown; the field cursor indexes this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldId {
    Status,
    Reason,
    Messages,
    EndpointId,
    Type,
    Name,
    UserArn,
    AppInstance,
    User,
    ResourceArn,
    DeviceToken,
    VoipToken,
    Created,
    Updated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    State,
    Identity,
    Tokens,
    Times,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::State => "State",
            Group::Identity => "Identity",
            Group::Tokens => "Tokens",
            Group::Times => "Times",
        }
    }
}

pub const FIELDS: [FieldId; 14] = [
    FieldId::Status,
    FieldId::Reason,
    FieldId::Messages,
    FieldId::EndpointId,
    FieldId::Type,
    FieldId::Name,
    FieldId::UserArn,
    FieldId::AppInstance,
    FieldId::User,
    FieldId::ResourceArn,
    FieldId::DeviceToken,
    FieldId::VoipToken,
    FieldId::Created,
    FieldId::Updated,
];

impl FieldId {
    pub fn label(self) -> &'static str {
        match self {
            FieldId::Status => "Status",
            FieldId::Reason => "Reason",
            FieldId::Messages => "Messages",
            FieldId::EndpointId => "Endpoint ID",
            FieldId::Type => "Type",
            FieldId::Name => "Name",
            FieldId::UserArn => "User ARN",
            FieldId::AppInstance => "App instance",
            FieldId::User => "User ID",
            FieldId::ResourceArn => "Resource ARN",
            FieldId::DeviceToken => "Device token",
            FieldId::VoipToken => "VoIP token",
            FieldId::Created => "Created",
            FieldId::Updated => "Updated",
        }
    }

    /// How the copy feedback names it.
    pub fn what(self) -> &'static str {
        match self {
            FieldId::Status => "status",
            FieldId::Reason => "status reason",
            FieldId::Messages => "AllowMessages",
            FieldId::EndpointId => "endpoint ID",
            FieldId::Type => "endpoint type",
            FieldId::Name => "endpoint name",
            FieldId::UserArn => "user ARN",
            FieldId::AppInstance => "app instance ARN",
            FieldId::User => "user ID",
            FieldId::ResourceArn => "resource ARN",
            FieldId::DeviceToken => "device token",
            FieldId::VoipToken => "VoIP device token",
            FieldId::Created => "created time",
            FieldId::Updated => "last updated time",
        }
    }

    pub fn group(self) -> Group {
        match self {
            FieldId::Status | FieldId::Reason | FieldId::Messages => Group::State,
            FieldId::DeviceToken | FieldId::VoipToken => Group::Tokens,
            FieldId::Created | FieldId::Updated => Group::Times,
            _ => Group::Identity,
        }
    }

    /// Masked unless secrets are shown.
    pub fn is_secret(self) -> bool {
        matches!(self, FieldId::Name | FieldId::DeviceToken | FieldId::VoipToken)
    }

    /// The real value, as copied (None: the field is absent).
    pub fn raw(self, e: &Endpoint) -> Option<String> {
        let parsed = || e.app_instance_user_arn.as_deref().and_then(|a| model::parse_user_arn(a).ok());
        match self {
            FieldId::Status => e.state.as_ref().map(|s| s.status.to_string()),
            FieldId::Reason => e.state.as_ref().and_then(|s| s.reason.as_ref()).map(|r| r.to_string()),
            FieldId::Messages => e.allow_messages.as_ref().map(|a| a.to_string()),
            FieldId::EndpointId => e.endpoint_id.clone(),
            FieldId::Type => e.endpoint_type.as_ref().map(|t| t.to_string()),
            FieldId::Name => e.name.clone(),
            FieldId::UserArn => e.app_instance_user_arn.clone(),
            FieldId::AppInstance => parsed().map(|p| p.app_instance_arn()),
            FieldId::User => parsed().and_then(|p| p.user_id().map(str::to_string)),
            FieldId::ResourceArn => e.resource_arn.clone(),
            FieldId::DeviceToken => e.device_token.clone(),
            FieldId::VoipToken => e.voip_device_token.clone(),
            FieldId::Created => e.created.map(|t| t.rfc3339()),
            FieldId::Updated => e.last_updated.map(|t| t.rfc3339()),
        }
    }
}

/// The browser's whole state. Rendering reads it; only [`App::update`] changes it.
pub struct App {
    pub session: Session,
    pub theme: super::theme::Theme,
    pub focus: Focus,
    pub arn: Input,
    pub endpoint_id: Input,
    /// The ARN input parsed, kept in step with every edit.
    pub arn_check: Result<ParsedArn, InputError>,
    pub id_check: Result<(), InputError>,
    pub detail: Detail,
    /// Index into [`FIELDS`].
    pub field: usize,
    pub show_secrets: bool,
    /// The help overlay and its scroll offset.
    pub help: Option<u16>,
    pub notice: Option<Notice>,
    pub size: (u16, u16),
    /// Mouse support on (flag or config).
    pub mouse: bool,
    /// Whether the Recent pane exists (set when the history is wired in).
    pub has_recent: bool,
    /// The recent lookups (history), their filter and selection: `super::recent`.
    pub recent: super::recent::Recent,
    /// The lists being browsed and the endpoint-ID completions: `super::browse`.
    pub browse: super::browse::Browse,
    pub now: Instant,
    pub wall: jiff::Timestamp,
    /// For local times in the detail pane.
    pub tz: jiff::tz::TimeZone,
    pub quit: bool,
    pub(super) last_query: Option<Query>,
    pub(super) next_id: u64,
}

impl App {
    pub fn new(session: Session) -> Self {
        let arn = Input::default();
        let endpoint_id = Input::default();
        Self {
            session,
            theme: super::theme::Theme::colored(),
            focus: Focus::Arn,
            arn_check: model::parse_user_arn(arn.value()),
            id_check: model::validate_endpoint_id(endpoint_id.value()),
            arn,
            endpoint_id,
            detail: Detail::Empty,
            field: 0,
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
        }
    }

    /// Fill both inputs (tests, history, the command line).
    pub fn set_inputs(&mut self, arn: &str, endpoint_id: &str) {
        self.arn = Input::new(arn.to_string());
        self.endpoint_id = Input::new(endpoint_id.to_string());
        self.recheck();
    }

    fn recheck(&mut self) {
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
        if self.is_loading() || self.browse.is_loading() {
            wake = Some(SPIN_INTERVAL);
        }
        if let Some(until) = self.notice.as_ref().and_then(|n| n.until) {
            let d = until.saturating_duration_since(self.now).max(Duration::from_millis(10));
            wake = Some(wake.map_or(d, |w: Duration| w.min(d)));
        }
        wake
    }

    pub fn focus_order(&self) -> &'static [Focus] {
        // While a list is browsed it takes the detail pane's place.
        match (self.has_recent, self.browse.shows_list()) {
            (true, false) => &[Focus::Arn, Focus::EndpointId, Focus::Detail, Focus::Recent],
            (false, false) => &[Focus::Arn, Focus::EndpointId, Focus::Detail],
            (true, true) => &[Focus::Arn, Focus::EndpointId, Focus::List, Focus::Recent],
            (false, true) => &[Focus::Arn, Focus::EndpointId, Focus::List],
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        let order = self.focus_order();
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = order.len();
        self.focus = order[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    pub(super) fn notify(&mut self, mut n: Notice) {
        n.until = Some(self.now + NOTICE_TTL);
        self.notice = Some(n);
    }

    /// The one place state changes.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let before = self.focus;
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
                vec![]
            }
            Action::LookupDone(done) => self.lookup_done(done),
            Action::Notify(n) => {
                self.notify(n);
                vec![]
            }
        };
        eff.extend(self.after_update(before));
        eff
    }

    fn command(&mut self, c: Cmd) -> Vec<Effect> {
        if self.help.is_some() {
            match c {
                Cmd::Quit => {}
                Cmd::Up => {
                    self.help = self.help.map(|s| s.saturating_sub(1));
                    return vec![];
                }
                Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                    let max = super::ui::help::max_scroll(self).min(u16::MAX as usize) as u16;
                    let page = super::ui::help::page(self).max(1);
                    self.help = self.help.map(|s| match c {
                        Cmd::PageUp => s.saturating_sub(page),
                        Cmd::PageDown => s.saturating_add(page).min(max),
                        Cmd::Top => 0,
                        Cmd::Bottom => max,
                        _ => s.saturating_add(1).min(max),
                    });
                    return vec![];
                }
                Cmd::Help | Cmd::Cancel => {
                    self.help = None;
                    return vec![];
                }
                _ => return vec![],
            }
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
            Cmd::Back => {}
        }
        vec![]
    }

    fn edit(&mut self, req: InputRequest) {
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

    fn paste(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if self.recent_filter_editing() {
            return self.recent_paste(text);
        }
        if self.browse_paste(text) {
            return;
        }
        // "ARN <newline or tab> endpoint ID", as copied from a ticket or a spreadsheet row,
        // fills both inputs.
        if let Some((arn, id)) = arn_and_id(text)
            && arn.len() + id.len() <= MAX_PASTE
        {
            self.set_inputs(arn, id);
            self.focus = Focus::EndpointId;
            self.notify(Notice::info("Pasted the ARN and the endpoint ID: Enter looks it up"));
            return;
        }
        let text = unquote(text);
        let mut chars: String = text.chars().take(MAX_PASTE).collect();
        if chars.len() < text.len() {
            self.notify(Notice::error(format!("Paste cut to its first {MAX_PASTE} characters")));
            chars = chars.trim_end().to_string();
        }
        if !self.focus.is_input() {
            // Outside the inputs, an ARN replaces the ARN, anything else the endpoint ID.
            if chars.starts_with("arn:") {
                self.focus = Focus::Arn;
                self.arn = Input::default();
            } else {
                self.focus = Focus::EndpointId;
                self.endpoint_id = Input::default();
            }
        }
        let input = if self.focus == Focus::Arn { &mut self.arn } else { &mut self.endpoint_id };
        // Insert at the cursor: a new value built once rather than char by char.
        let cursor = input.cursor();
        let value = input.value();
        let split = value.char_indices().nth(cursor).map(|(i, _)| i).unwrap_or(value.len());
        let new_value = format!("{}{}{}", &value[..split], chars, &value[split..]);
        let new_cursor = cursor + chars.chars().count();
        *input = Input::new(new_value).with_cursor(new_cursor);
        self.recheck();
    }

    fn submit(&mut self) -> Vec<Effect> {
        // An empty ARN, an app-instance ARN, or a user ARN alone lists (`super::browse`).
        if let Some(eff) = self.submit_browse() {
            return eff;
        }
        if let Err(e) = &self.arn_check {
            let text = format!("Not looked up: the {e}");
            self.focus = Focus::Arn;
            self.notify(Notice::error(text));
            return vec![];
        }
        if let Err(e) = &self.id_check {
            let text = format!("Not looked up: the {e}");
            self.focus = Focus::EndpointId;
            self.notify(Notice::error(text));
            return vec![];
        }
        let q = Query::Describe {
            user_arn: self.arn.value().to_string(),
            endpoint_id: self.endpoint_id.value().to_string(),
        };
        self.start(q)
    }

    /// r / Ctrl-R: the last lookup again, so long as the inputs still name it. Inputs
    /// changed since then are looked up as they are now (as Enter would), so that the detail
    /// pane never shows an endpoint the inputs do not name; inputs emptied since are filled
    /// back in with what is repeated.
    fn retry(&mut self) -> Vec<Effect> {
        let Some(q) = self.last_query.clone() else {
            self.notify(Notice::info("Nothing to repeat yet: look something up first"));
            return vec![];
        };
        if let Query::Describe { user_arn, endpoint_id } = &q {
            let (arn, id) = (self.arn.value(), self.endpoint_id.value());
            if arn.is_empty() && id.is_empty() {
                self.set_inputs(user_arn, endpoint_id);
            } else if arn != user_arn || id != endpoint_id {
                let eff = self.submit();
                if eff.iter().any(|e| matches!(e, Effect::Lookup(_))) && self.notice.is_none() {
                    self.notify(Notice::info(
                        "The inputs changed since the last lookup: looked up what they say now",
                    ));
                }
                return eff;
            }
        }
        self.start(q)
    }

    fn query_region(&self, q: &Query) -> String {
        let arn = match q {
            Query::Describe { user_arn, .. } | Query::ListEndpoints { user_arn, .. } => user_arn.as_str(),
            Query::ListUsers { app_instance_arn, .. } => app_instance_arn.as_str(),
            Query::ListInstances { .. } => "",
        };
        let parsed = model::parse_chime_arn("ARN", arn).ok();
        self.session.region_for(parsed.as_ref().map(|p| p.region()))
    }

    pub(super) fn start(&mut self, query: Query) -> Vec<Effect> {
        let mut eff = Vec::new();
        let prev = match std::mem::replace(&mut self.detail, Detail::Empty) {
            Detail::Loading { id, prev, .. } => {
                eff.push(Effect::CancelLookup(id));
                *prev
            }
            other => other,
        };
        self.next_id += 1;
        let id = self.next_id;
        let region = self.query_region(&query);
        self.detail = Detail::Loading {
            id,
            query: query.clone(),
            region,
            started: self.now,
            prev: Box::new(prev),
            focus: self.focus,
        };
        self.last_query = Some(query.clone());
        // A lookup shows in the detail pane, over a list being browsed.
        self.browse.detail_open = true;
        eff.push(Effect::Lookup(LookupRequest { id, query }));
        eff
    }

    pub(super) fn cancel_running(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.detail, Detail::Empty) {
            Detail::Loading { id, prev, .. } => {
                self.detail = *prev;
                vec![Effect::CancelLookup(id)]
            }
            other => {
                self.detail = other;
                vec![]
            }
        }
    }

    fn cancel(&mut self) -> Vec<Effect> {
        let eff = self.cancel_running();
        if !eff.is_empty() {
            self.notify(Notice::info("Lookup cancelled"));
        } else if self.focus.is_input() {
            self.focus = Focus::Detail;
        } else {
            self.notice = None;
        }
        eff
    }

    fn lookup_done(&mut self, done: LookupDone) -> Vec<Effect> {
        // Pages of the lists being browsed (and of the completions) are browsing's.
        if self.browse_owns(&done) {
            return self.browse_done(done);
        }
        let (id, region, focus_at_start) = match &self.detail {
            Detail::Loading { id, region, focus, .. } => (*id, region.clone(), *focus),
            _ => return vec![],
        };
        if id != done.id {
            // A stale answer (cancelled or superseded): dropped.
            return vec![];
        }
        let result = match done.result {
            Ok(Answer::Endpoint(e)) => Ok(e),
            Ok(_) => return vec![], // list answers: browsing (issue 6) handles them
            Err(e) => Err(e),
        };
        let record = Record {
            query: done.query.clone(),
            region: region.clone(),
            profile: self.session.profile.clone(),
            target: self.session.target.clone(),
            at: self.wall,
            result: result.as_ref().map(|e| (**e).clone()).map_err(Clone::clone),
        };
        self.detail = match result {
            Ok(endpoint) => {
                if self.focus == focus_at_start {
                    self.focus = Focus::Detail;
                }
                Detail::Endpoint { query: done.query, region, endpoint, elapsed: done.elapsed, at: self.wall }
            }
            Err(error) => Detail::Error { query: done.query, region, error, elapsed: done.elapsed },
        };
        self.record_lookup(&record);
        vec![Effect::Record(Box::new(record))]
    }

    fn move_cursor(&mut self, c: Cmd) {
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
                let last = FIELDS.len() - 1;
                self.field = match c {
                    Cmd::Up => self.field.saturating_sub(1),
                    Cmd::Down => (self.field + 1).min(last),
                    Cmd::PageUp => self.field.saturating_sub(5),
                    Cmd::PageDown => (self.field + 5).min(last),
                    Cmd::Top => 0,
                    Cmd::Bottom => last,
                    _ => self.field,
                };
            }
            Focus::Recent | Focus::List => {}
        }
    }

    fn copy_field(&mut self) -> Vec<Effect> {
        match &self.detail {
            Detail::Endpoint { endpoint, .. } => {
                let f = self.selected_field();
                match f.raw(endpoint) {
                    Some(text) => vec![Effect::Copy { what: f.what().to_string(), text }],
                    None => {
                        self.notify(Notice::info(format!("Nothing to copy: the {} is not set", f.what())));
                        vec![]
                    }
                }
            }
            Detail::Error { error, .. } => {
                vec![Effect::Copy { what: "error report".into(), text: error.report(op::DESCRIBE_ENDPOINT) }]
            }
            _ => {
                self.notify(Notice::info("Nothing to copy yet"));
                vec![]
            }
        }
    }

    fn copy_json(&mut self) -> Vec<Effect> {
        match &self.detail {
            Detail::Endpoint { endpoint, .. } => vec![endpoint_json_copy(endpoint, self.show_secrets)],
            Detail::Error { .. } => self.copy_field(),
            _ => {
                self.notify(Notice::info("Nothing to copy yet"));
                vec![]
            }
        }
    }

    /// The AWS CLI command that does the same lookup.
    pub fn cli_command(&self, q: &Query) -> Option<String> {
        let Query::Describe { user_arn, endpoint_id } = q else { return None };
        let region = self.query_region(q);
        Some(self.cli_for(
            "describe-app-instance-user-endpoint",
            &[("--app-instance-user-arn", user_arn.clone()), ("--endpoint-id", endpoint_id.clone())],
            &region,
        ))
    }

    /// The region a request about `arn` goes to ("" or unparsable: the profile's).
    pub(super) fn arn_region(&self, arn: &str) -> String {
        let parsed = model::parse_chime_arn("ARN", arn).ok();
        self.session.region_for(parsed.as_ref().map(|p| p.region()))
    }

    /// An AWS CLI command line with this session's profile and endpoint URL.
    pub(super) fn cli_for(&self, operation: &str, args: &[(&str, String)], region: &str) -> String {
        let profile = (!matches!(self.session.profile.as_str(), "default" | "demo"))
            .then_some(self.session.profile.as_str());
        let url = match &self.session.target {
            Target::Aws => None,
            Target::Custom(u) | Target::Demo(u) => Some(u.as_str()),
        };
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::commands::aws_cli::aws_cli_command_for(operation, &args, region, profile, url)
    }

    fn copy_command(&mut self) -> Vec<Effect> {
        let q = match &self.detail {
            Detail::Endpoint { query, .. } | Detail::Error { query, .. } | Detail::Loading { query, .. } => {
                Some(query.clone())
            }
            Detail::Empty => None,
        };
        let q = q.or_else(|| {
            (self.arn_check.is_ok() && self.id_check.is_ok()).then(|| Query::Describe {
                user_arn: self.arn.value().to_string(),
                endpoint_id: self.endpoint_id.value().to_string(),
            })
        });
        match q.and_then(|q| self.cli_command(&q)) {
            Some(text) => vec![Effect::Copy { what: "AWS CLI command".into(), text }],
            None => {
                self.notify(Notice::info("Nothing to copy yet: enter a user ARN and an endpoint ID"));
                vec![]
            }
        }
    }

    /// The pane under a screen cell, with the layout `ui` draws.
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Focus> {
        let areas = super::ui::areas(self.screen(), self)?;
        let hit = |r: ratatui::layout::Rect| r.contains(ratatui::layout::Position { x, y });
        if hit(areas.lookup) {
            // Inside the lookup pane: the first input row is the ARN, the rest the ID.
            let arn_row = areas.lookup.y + u16::from(self.size.1 >= super::ui::COMPACT_HEIGHT);
            return Some(if y <= arn_row { Focus::Arn } else { Focus::EndpointId });
        }
        // Recent first: on a narrow screen it covers the detail pane while it has the focus.
        if areas.recent.is_some_and(hit) {
            return Some(Focus::Recent);
        }
        if hit(areas.detail) {
            return Some(if self.browse.shows_list() { Focus::List } else { Focus::Detail });
        }
        None
    }

    pub fn screen(&self) -> ratatui::layout::Rect {
        ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1)
    }

    fn click(&mut self, x: u16, y: u16) {
        let Some(f) = self.pane_at(x, y) else { return };
        self.focus = f;
        if f == Focus::Recent
            && let Some(area) = super::ui::areas(self.screen(), self).and_then(|a| a.recent)
        {
            self.recent_click(area, y);
        }
        if f == Focus::List {
            self.list_click(y);
        }
        if f == Focus::Detail
            && let Some(areas) = super::ui::areas(self.screen(), self)
            && let Some(i) = super::ui::detail::field_at(self, areas.detail, y)
        {
            self.field = i;
        }
    }
}

/// `Y`: the endpoint as JSON, following the mask on screen. Masked (the default), Name and
/// the device tokens are replaced by "(masked, N chars)" and the message says so; shown
/// (`s`), they are copied in clear and the message says that too.
pub fn endpoint_json_copy(e: &Endpoint, show_secrets: bool) -> Effect {
    if show_secrets {
        let secrets = e.name.is_some() || e.device_token.is_some() || e.voip_device_token.is_some();
        let what =
            if secrets { "endpoint as JSON, Name and device tokens in clear" } else { "endpoint as JSON" };
        return Effect::Copy { what: what.into(), text: e.to_cli_json_string() };
    }
    let mut m = e.clone();
    for v in [&mut m.name, &mut m.device_token, &mut m.voip_device_token] {
        if let Some(s) = v.as_mut() {
            *s = masked_value(s);
        }
    }
    Effect::Copy {
        what: "endpoint as JSON, Name and device tokens masked (s shows them)".into(),
        text: m.to_cli_json_string(),
    }
}

/// What a masked secret becomes in copied JSON.
pub fn masked_value(s: &str) -> String {
    format!("(masked, {} chars)", s.chars().count())
}

/// "ARN and endpoint ID" in one paste: on two lines (LF, CRLF, or CR as tmux pastes them),
/// tab-separated, or separated by spaces and/or a comma (`ARN ep-9`, `ARN,ep-9`, `ARN, ep-9`).
/// A user ARN holds no space or comma, so these never split one.
pub fn arn_and_id(text: &str) -> Option<(&str, &str)> {
    fn pair(parts: Vec<&str>) -> Option<(&str, &str)> {
        match parts[..] {
            [arn, id] if arn.starts_with("arn:") && !id.starts_with("arn:") => Some((arn, id)),
            _ => None,
        }
    }
    let lines: Vec<&str> = text.split(['\n', '\r', '\t']).map(unquote).filter(|p| !p.is_empty()).collect();
    if lines.len() > 1 {
        return pair(lines);
    }
    pair(text.split(|c: char| c.is_whitespace() || c == ',').map(unquote).filter(|p| !p.is_empty()).collect())
}

/// A pasted value without the quotes and trailing comma it often carries when copied out of
/// JSON or a shell line (`"arn:…",`).
fn unquote(s: &str) -> &str {
    let s = s.trim().trim_end_matches(',').trim_end();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.trim();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ErrorKind;
    use crate::model::{EndpointState, EndpointStatus};

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

    fn done(id: u64, result: Result<Answer, LookupError>) -> Action {
        Action::LookupDone(LookupDone {
            id,
            query: Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() },
            result,
            elapsed: Duration::from_millis(12),
        })
    }

    fn started_id(eff: &[Effect]) -> u64 {
        eff.iter()
            .find_map(|e| match e {
                Effect::Lookup(r) => Some(r.id),
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
        let max = crate::tui::ui::help::max_scroll(&a) as u16;
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
        assert!(!eff.iter().any(|e| matches!(e, Effect::Lookup(r) if !r.query.is_list())), "{eff:?}");
        assert_eq!(a.focus, Focus::EndpointId, "moves to the input that needs fixing");
    }

    #[test]
    fn a_lookup_runs_and_focus_moves_to_the_detail() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        let eff = a.update(Action::Cmd(Cmd::Submit));
        assert_eq!(
            eff,
            vec![Effect::Lookup(LookupRequest {
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
        assert_eq!(eff[0], Effect::CancelLookup(first), "the superseded lookup is aborted");
        let second = started_id(&eff);
        assert!(a.update(done(first, Ok(Answer::Endpoint(Box::new(endpoint()))))).is_empty());
        assert!(a.is_loading());
        a.update(done(second, Ok(Answer::Endpoint(Box::new(endpoint())))));
        assert!(a.endpoint().is_some());
        // an answer arriving after it is shown changes nothing
        assert!(a.update(done(second, Err(LookupError::new(ErrorKind::Timeout, "x", "")))).is_empty());
        assert!(a.endpoint().is_some());
    }

    #[test]
    fn esc_cancels_and_restores_what_was_shown() {
        let mut a = app();
        a.set_inputs(ARN, "ep-1");
        let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
        a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
        let id = started_id(&a.update(Action::Cmd(Cmd::Retry)));
        assert_eq!(a.update(Action::Cmd(Cmd::Cancel)), vec![Effect::CancelLookup(id)]);
        assert!(a.endpoint().is_some());
        assert!(a.update(done(id, Err(LookupError::new(ErrorKind::Timeout, "x", "")))).is_empty());
    }

    #[test]
    fn errors_stay_in_the_detail_pane_with_focus_kept() {
        let mut a = app();
        a.set_inputs(ARN, "nope");
        a.focus = Focus::EndpointId;
        let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
        let eff = a.update(done(id, Err(LookupError::new(ErrorKind::NotFound, "no such endpoint", ""))));
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
        assert!(matches!(&eff[..], [Effect::CancelLookup(1), Effect::Lookup(r)]
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
            matches!(eff.last(), Some(Effect::Lookup(r))
            if r.query == Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-9".into() }),
            "{eff:?}"
        );
        assert!(a.notice.as_ref().is_some_and(|n| n.text.contains("inputs changed")));
        // Unchanged, it repeats.
        let eff = a.update(Action::Cmd(Cmd::Retry));
        assert!(matches!(eff.last(), Some(Effect::Lookup(r))
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
        assert_eq!(a.update(Action::Cmd(Cmd::Quit)), vec![Effect::CancelLookup(1), Effect::Quit]);
        assert!(a.quit);
    }
}
