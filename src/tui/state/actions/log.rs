//! The last actions' state: the log of the session's writes and its cursor. No `App` here
//! (the keys are `super`'s), so that the state hub does not take this file in.

use crate::model;
use crate::model::push::PushSend;
use crate::model::write::Write;
use crate::tui::state::picker::{Keep, Picker};

/// The most actions kept (the oldest go first).
pub const MAX_ACTIONS: usize = 1000;

/// What was sent: a write of the endpoint, or a test push to it.
#[derive(Clone, Debug)]
pub enum Did {
    Write(Write),
    Push(Box<PushSend>),
}

impl Did {
    pub fn user_arn(&self) -> &str {
        match self {
            Did::Write(w) => w.user_arn(),
            Did::Push(p) => &p.user_arn,
        }
    }

    pub fn endpoint_id(&self) -> Option<&str> {
        match self {
            Did::Write(w) => w.endpoint_id(),
            Did::Push(p) => Some(&p.endpoint_id),
        }
    }
}

/// One write or test push and what became of it.
#[derive(Clone, Debug)]
pub struct Logged {
    /// When its outcome was known.
    pub time: jiff::Timestamp,
    pub what: Did,
    /// The endpoint written (a registration's, once answered).
    pub endpoint_id: Option<String>,
    /// The region it went to.
    pub region: String,
    /// What became of it, in words (escaped for the terminal).
    pub outcome: String,
    /// It did what was asked.
    pub ok: bool,
}

impl Logged {
    /// The operation in a word: register, update, deregister, test push.
    pub fn verb(&self) -> &'static str {
        match &self.what {
            Did::Write(Write::Register(_)) => "register",
            Did::Write(Write::Update(_)) => "update",
            Did::Write(Write::Deregister { .. }) => "deregister",
            Did::Push(_) => "test push",
        }
    }

    /// What it wrote, in one line: the operation and the target, escaped.
    pub fn target(&self) -> String {
        let id = self.endpoint_id.as_deref().or(self.what.endpoint_id()).unwrap_or("(new endpoint)");
        format!(
            "{} {}",
            model::escape_control(model::short_user(self.what.user_arn())),
            model::escape_control(id)
        )
    }
}

/// The log and its cursor; `open`: the pane is on show.
#[derive(Clone, Debug, Default)]
pub struct ActionLog {
    pub entries: Vec<Logged>,
    /// The cursor, as every list has it (`picker`).
    pub picker: Picker,
    pub open: bool,
}

impl ActionLog {
    /// Add `entry`, the oldest dropped beyond [`MAX_ACTIONS`]; the cursor goes to it unless
    /// the pane is on show (then it stays where it is).
    pub fn push(&mut self, entry: Logged) {
        self.entries.push(entry);
        if self.entries.len() > MAX_ACTIONS {
            self.entries.remove(0);
        }
        self.picker.show((0..self.entries.len()).collect(), Keep::Place);
        if !self.open {
            self.picker.select_pos(self.entries.len().saturating_sub(1));
        }
    }

    /// The entry under the cursor.
    pub fn cursor(&self) -> usize {
        self.picker.selected().unwrap_or(0)
    }
}
