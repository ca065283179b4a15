//! The browser's protocol: what a key asks for ([`Cmd`]), everything that can happen
//! ([`Action`]), what the event loop must do ([`Effect`]), and messages for the status line
//! ([`Notice`]). No state here: `state::App::update` turns actions into effects.

pub use super::saver::PendingExport;
use super::saver::SaveDone;
use super::state::session::Session;
use super::theme::Theme;
use crate::jobs::worker::{JobDone, JobRequest, Query};
use crate::model::ErrorKind;
use crate::store::history::History;
use std::time::Instant;
use tui_input::InputRequest;

/// What a key (or a click) asks for. Keys map to these through the table in `keymap`; a
/// user's `[keys]` in config.toml names them in kebab case ([`Cmd::name`]: `raw-view`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
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
    /// u: bring back the recent lookup forgotten last (this session).
    Unforget,
    /// Backspace: up a level in a list (browsing).
    Back,
    /// `:`: open the command line.
    CommandLine,
    /// Tab on the command line: complete the word (again: the next candidate).
    Complete,
    /// Shift-Tab on the command line: the previous candidate.
    CompleteBack,
    /// w: watch the endpoint on show (describe it again every few seconds).
    Watch,
    /// `>`: the list's next order (status, type, name, as loaded).
    SortNext,
    /// `<`: the list's previous order.
    SortPrev,
    /// m: flip AllowMessages of the endpoint on show (after a confirmation).
    FlipMessages,
    /// e: edit Name and AllowMessages in a form.
    EditEndpoint,
    /// D: deregister (after the endpoint ID is typed).
    Deregister,
    /// n: register an endpoint for the listed user (a form).
    Register,
    /// R: register the endpoint on show again (new token or Resource ARN), then deregister it.
    Reregister,
    /// y in a confirmation: go on.
    Confirm,
    /// S: scan the app instance selected (or in the ARN input) in the background.
    Scan,
    /// Space in the Scan pane: mark the row (for a batch deregistration).
    Mark,
    /// `*` in the Scan pane: mark every row shown (again: clear the marks).
    MarkAll,
    /// v: the record under the cursor as JSON, in the raw view.
    RawView,
    /// n in the raw view: the next match of the search.
    NextMatch,
    /// N in the raw view: the previous match.
    PrevMatch,
    /// a: the session's last actions (the writes sent, their outcome).
    Actions,
    /// t: a test push to the endpoint on show (after a confirmation).
    TestPush,
    /// s in a test push's confirmation: a silent push instead of an alert (and back).
    Silent,
    /// M: the channel memberships of the user on show, each with its push preferences.
    Memberships,
}

impl Cmd {
    /// Every command, for the tests that check each has a key or a `:` command (the match in
    /// [`Cmd::index`] is exhaustive: a new variant must be given its place here).
    pub const ALL: &'static [Cmd] = &[
        Cmd::Quit,
        Cmd::FocusNext,
        Cmd::FocusPrev,
        Cmd::FocusArn,
        Cmd::Submit,
        Cmd::Cancel,
        Cmd::Retry,
        Cmd::Up,
        Cmd::Down,
        Cmd::PageUp,
        Cmd::PageDown,
        Cmd::Top,
        Cmd::Bottom,
        Cmd::ToggleSecrets,
        Cmd::CopyField,
        Cmd::CopyJson,
        Cmd::CopyCommand,
        Cmd::Help,
        Cmd::Filter,
        Cmd::Forget,
        Cmd::Back,
        Cmd::CommandLine,
        Cmd::Complete,
        Cmd::CompleteBack,
        Cmd::Watch,
        Cmd::SortNext,
        Cmd::SortPrev,
        Cmd::FlipMessages,
        Cmd::EditEndpoint,
        Cmd::Deregister,
        Cmd::Register,
        Cmd::Confirm,
        Cmd::Scan,
        Cmd::Mark,
        Cmd::MarkAll,
        Cmd::Unforget,
        Cmd::Reregister,
        Cmd::RawView,
        Cmd::NextMatch,
        Cmd::PrevMatch,
        Cmd::Actions,
        Cmd::TestPush,
        Cmd::Silent,
        Cmd::Memberships,
    ];

    /// The action's name in `[keys]` of config.toml (`copy-json`).
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The action named `name` in `[keys]`.
    pub fn named(name: &str) -> Option<Cmd> {
        Cmd::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The command's place in [`Cmd::ALL`].
    pub const fn index(self) -> usize {
        match self {
            Cmd::Quit => 0,
            Cmd::FocusNext => 1,
            Cmd::FocusPrev => 2,
            Cmd::FocusArn => 3,
            Cmd::Submit => 4,
            Cmd::Cancel => 5,
            Cmd::Retry => 6,
            Cmd::Up => 7,
            Cmd::Down => 8,
            Cmd::PageUp => 9,
            Cmd::PageDown => 10,
            Cmd::Top => 11,
            Cmd::Bottom => 12,
            Cmd::ToggleSecrets => 13,
            Cmd::CopyField => 14,
            Cmd::CopyJson => 15,
            Cmd::CopyCommand => 16,
            Cmd::Help => 17,
            Cmd::Filter => 18,
            Cmd::Forget => 19,
            Cmd::Back => 20,
            Cmd::CommandLine => 21,
            Cmd::Complete => 22,
            Cmd::CompleteBack => 23,
            Cmd::Watch => 24,
            Cmd::SortNext => 25,
            Cmd::SortPrev => 26,
            Cmd::FlipMessages => 27,
            Cmd::EditEndpoint => 28,
            Cmd::Deregister => 29,
            Cmd::Register => 30,
            Cmd::Confirm => 31,
            Cmd::Scan => 32,
            Cmd::Mark => 33,
            Cmd::MarkAll => 34,
            Cmd::Unforget => 35,
            Cmd::Reregister => 36,
            Cmd::RawView => 37,
            Cmd::NextMatch => 38,
            Cmd::PrevMatch => 39,
            Cmd::Actions => 40,
            Cmd::TestPush => 41,
            Cmd::Silent => 42,
            Cmd::Memberships => 43,
        }
    }
}

/// Everything that can happen to the browser. Each one goes through `state::App::update`.
#[derive(Debug)]
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
    JobDone(JobDone),
    /// A message for the status line (for example the outcome of a copy).
    Notify(Notice),
    /// The settings the browser starts with (theme, mouse, secrets shown, time zone).
    Setup {
        theme: Box<Theme>,
        mouse: bool,
        show_secrets: bool,
        tz: jiff::tz::TimeZone,
    },
    /// The history, loaded: the Recent pane appears. `persist`: saved to its file;
    /// `warning`: what loading found wrong, shown in the empty pane.
    AttachHistory {
        history: Box<History>,
        persist: bool,
        warning: Option<String>,
    },
    /// Write the history if anything is to be written: answered with [`Effect::WriteHistory`].
    SaveHistory,
    /// A history save finished (or failed).
    HistorySaved(Box<SaveDone>),
    /// What the last frame drew that only drawing knows (for hit-testing).
    Drawn(Drawn),
    /// An event of the background scan (`crate::scan::background`).
    Scan(crate::scan::background::Event),
    /// A scan of this app instance was stopped before (a checkpoint is on disk): offer to resume.
    ScanResumable(String),
    /// `:export`'s file exists: ask before replacing it (the export, to send again).
    ExportExists(Box<PendingExport>),
    /// The Pinpoint checks are off (`--no-pinpoint`, `[doctor] pinpoint = false`): no check is
    /// started, and the Diagnosis says so, naming what turned them off.
    PinpointOff(String),
    /// The key tables to use: the defaults with the user's `[keys]` over them.
    Keys(std::sync::Arc<super::keymap::KeyMap>),
    /// An event of the batch deregistration (`crate::scan::batch`).
    Batch(crate::scan::batch::Event),
    /// What the command line starts with: the profiles in the AWS config and credentials
    /// files, the commands run before (from disk), whether a watch rings the bell, and the
    /// scans' rate (`[scan] rate`; None: the default).
    CommandSetup {
        profiles: Vec<String>,
        history: Vec<String>,
        bell: bool,
        scan_rate: Option<f64>,
    },
    /// The client of context switch `generation` is built (the new session), or why not.
    Switched {
        generation: u64,
        result: Result<Session, String>,
    },
}

/// A change of context asked for on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextSwitch {
    Profile(String),
    Region(String),
    /// None: no endpoint URL (the AWS endpoints).
    EndpointUrl(Option<String>),
}

/// What the event loop must do for the App.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Job(JobRequest),
    CancelJob(u64),
    /// Put `text` on the clipboard; `what` names it for the feedback ("device token").
    Copy {
        what: String,
        text: String,
    },
    /// A finished lookup, recorded in the history in memory by `update`; the event loop has
    /// the history saved.
    Record(Recorded),
    /// Write the history (after forgetting an entry).
    SaveHistory,
    /// Scan an app instance in the background.
    StartScan {
        instance: String,
        resume: ScanStart,
        /// Requests a second (the ceiling of the scan's adaptive rate).
        rate: f64,
        /// With the doctor's checks (`:scan --diagnose`, `d` in the Scan pane): each endpoint
        /// described, its record findings and its Pinpoint app's channel.
        diagnose: bool,
    },
    /// Stop the background scan, keeping its checkpoint.
    StopScan,
    /// Deregister these endpoints in the background, at `rate` requests/s (`crate::scan::batch`).
    StartBatch {
        items: Vec<crate::scan::batch::Item>,
        rate: f64,
    },
    /// Stop the batch: the endpoints in hand finish, the rest are not sent.
    StopBatch,
    /// Write the command line's history (oldest first).
    SaveCommands(Vec<String>),
    /// Write this copy of the history (which carries the changes to save) to its file.
    WriteHistory(HistoryCopy),
    /// Build the client for another context and answer [`Action::Switched`].
    SwitchContext {
        generation: u64,
        to: ContextSwitch,
    },
    /// Write `bytes` to `path` (`:export`); `what` names them for the message ("5 endpoints").
    /// A file there is replaced only when `replace` (the user said so); else the event loop
    /// answers [`Action::ExportExists`].
    Export {
        path: String,
        bytes: Vec<u8>,
        what: String,
        replace: bool,
    },
    /// Ring the terminal bell (a watched endpoint changed, `[ui] bell = true`).
    Bell,
    Quit,
}

/// A copy of the history to write ([`Effect::WriteHistory`]); two are equal when they write the
/// same entries to the same file (for tests of the effects).
#[derive(Clone, Debug)]
pub struct HistoryCopy(pub Box<History>);

impl PartialEq for HistoryCopy {
    fn eq(&self, other: &Self) -> bool {
        self.0.path() == other.0.path() && self.0.entries() == other.0.entries()
    }
}

/// How [`Effect::StartScan`] treats a checkpoint of the same scan left on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanStart {
    /// If there is one, do not start: ask (`Action::ScanResumable`).
    Ask,
    /// Go on from it.
    Resume,
    /// Remove it and start over.
    Over,
}

/// What a finished lookup was, as recorded (no copy of the endpoint: its secrets stay in the
/// state).
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub query: Query,
    pub region: String,
    /// Found, or the kind of error.
    pub result: Result<(), ErrorKind>,
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

/// What a frame drew that the state cannot work out itself: the screen rows of the detail
/// pane's fields (their text wraps), for clicks. Sent back by the event loop after each draw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    /// (screen row, index into the field catalogue) for each row showing a field.
    pub detail_fields: Vec<(u16, usize)>,
    /// (screen row, index into the Diagnosis group's findings) for each row showing one.
    pub detail_findings: Vec<(u16, usize)>,
    /// (screen row, place among the rows shown) for each row of the Scan pane's list.
    pub scan_rows: Vec<(u16, usize)>,
}
