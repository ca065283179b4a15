//! What surrounds the features: the screen (its size, the theme, the mouse, the key tables in
//! use, what the last frame drew), the message on the status line, the help overlay's scroll,
//! and the clock as of the last tick. Owned here behind methods: a feature reads the clock and
//! the screen's size, and leaves a message through [`super::App::notify`].

use crate::tui::action::{Drawn, Notice};
use crate::tui::keymap::KeyMap;
use crate::tui::theme::Theme;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a message on the status line stays.
pub const NOTICE_TTL: Duration = Duration::from_secs(6);

/// The screen, the status line's message, the help overlay and the clock.
pub struct Chrome {
    theme: Theme,
    /// The screen's size (columns, rows).
    size: (u16, u16),
    /// Mouse support on (flag or config).
    mouse: bool,
    /// The key tables in use: the defaults with the user's `[keys]` over them.
    keymap: Arc<KeyMap>,
    /// What the last frame drew (for clicks on the detail pane's fields).
    drawn: Drawn,
    notice: Option<Notice>,
    /// The help overlay and its scroll offset.
    help: Option<u16>,
    now: Instant,
    wall: jiff::Timestamp,
    /// For local times in the detail pane.
    tz: jiff::tz::TimeZone,
}

impl Default for Chrome {
    fn default() -> Self {
        Self {
            theme: Theme::colored(),
            size: (80, 24),
            mouse: false,
            keymap: Default::default(),
            drawn: Drawn::default(),
            notice: None,
            help: None,
            now: Instant::now(),
            wall: jiff::Timestamp::UNIX_EPOCH,
            tz: jiff::tz::TimeZone::UTC,
        }
    }
}

impl Chrome {
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn mouse(&self) -> bool {
        self.mouse
    }

    pub fn keymap(&self) -> &KeyMap {
        &self.keymap
    }

    pub fn drawn(&self) -> &Drawn {
        &self.drawn
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn help(&self) -> Option<u16> {
        self.help
    }

    pub fn now(&self) -> Instant {
        self.now
    }

    pub fn wall(&self) -> jiff::Timestamp {
        self.wall
    }

    pub fn tz(&self) -> &jiff::tz::TimeZone {
        &self.tz
    }

    pub(super) fn set_theme(&mut self, theme: Theme) {
        self.theme = theme;
    }

    pub(super) fn set_mouse(&mut self, on: bool) {
        self.mouse = on;
    }

    pub(super) fn set_tz(&mut self, tz: jiff::tz::TimeZone) {
        self.tz = tz;
    }

    pub(super) fn set_keymap(&mut self, map: Arc<KeyMap>) {
        self.keymap = map;
    }

    pub(super) fn resized(&mut self, w: u16, h: u16) {
        self.size = (w, h);
    }

    pub(super) fn drew(&mut self, drawn: Drawn) {
        self.drawn = drawn;
    }

    /// A tick of the clock; a message past its time goes.
    pub(super) fn tick(&mut self, now: Instant, wall: jiff::Timestamp) {
        self.now = now;
        self.wall = wall;
        if self.notice.as_ref().and_then(|n| n.until).is_some_and(|u| now >= u) {
            self.notice = None;
        }
    }

    /// Leave a message on the status line for [`NOTICE_TTL`].
    pub(super) fn notify(&mut self, mut n: Notice) {
        n.until = Some(self.now + NOTICE_TTL);
        self.notice = Some(n);
    }

    /// Take the message off the status line (it is returned).
    pub(super) fn take_notice(&mut self) -> Option<Notice> {
        self.notice.take()
    }

    /// Put back a message taken with [`Chrome::take_notice`], as it was.
    pub(super) fn restore_notice(&mut self, n: Option<Notice>) {
        self.notice = n;
    }

    /// Open the help overlay at its top, or (None) close it.
    pub(super) fn set_help(&mut self, scroll: Option<u16>) {
        self.help = scroll;
    }
}
