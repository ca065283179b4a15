//! The browser's writes: `m` flips AllowMessages after a one-key confirmation, `e`
//! edits Name and AllowMessages in a form, `D` deregisters after the endpoint ID is typed,
//! `n` registers from a user's endpoint list. Every confirmation shows the equivalent AWS CLI
//! command (`c` copies it); against AWS the first write of a session asks once more where it
//! goes. A write runs as a worker job; its answer refreshes what it changed. A write whose
//! answer is lost (cancelled, timed out, the connection gone) is said to be possibly applied,
//! and what it may have changed is looked up again. In read-only mode the keys are refused.
//!
//! - `mod.rs`: the writes' state ([`Writes`]): the confirmation, the form, the write in flight
//! - `open`: the write keys outside a dialog: which endpoint they act on, what each opens
//! - `confirm`: what a confirmation says, and its answer (y, the typed ID, the AWS question)
//! - `dialog`: keys, edits and pastes while a dialog or form has the keyboard
//! - `answer`: the write's answer, and looking again at what it changed
//! - `push`: `t`, the test push: its confirmation (a silent one offered), its answer in words,
//!   and the fix offered in place after a permanent failure (`pushed`: its state, plain data)

mod answer;
mod confirm;
mod dialog;
mod open;
mod push;
mod pushed;
#[cfg(test)]
mod tests;

use super::app::App;
use super::form::Form;
use crate::model::push::PushSend;
use crate::model::write::Write;
use crate::model::{Endpoint, ServiceError};

use crate::tui::action::{Cmd, Notice};
pub use pushed::{LastPush, PushFix, PushShown, PushTests};
use std::time::Instant;
use tui_input::Input;

/// How many of a user's endpoints are read to prefill a registration's Resource ARN.
pub const PREFILL_MAX: usize = 10;

/// What a confirmation asks.
#[derive(Clone, Debug)]
pub enum ConfirmKind {
    /// `y` goes on.
    OneKey,
    /// The endpoint ID must be typed; Cancel is the default button.
    Typed { want: String, input: Input },
    /// The first write of a session to AWS: where it goes, asked once.
    AwsOnce { account: String, region: String },
}

/// Where the keyboard is in a typed confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmFocus {
    Input,
    Cancel,
    Apply,
}

impl ConfirmFocus {
    /// Tab / ↓ (`forward`) or Shift-Tab / ↑ in a typed confirmation: input, Cancel, the
    /// button, round again.
    pub fn step(self, forward: bool) -> Self {
        let order = [ConfirmFocus::Input, ConfirmFocus::Cancel, ConfirmFocus::Apply];
        let i = order.iter().position(|f| *f == self).unwrap_or(1);
        order[if forward { (i + 1) % 3 } else { (i + 2) % 3 }]
    }
}

/// What a confirmation sends: an endpoint write, or a test push.
#[derive(Clone, Debug, PartialEq)]
pub enum Outgoing {
    Write(Write),
    Push(Box<PushSend>),
}

impl Outgoing {
    /// The operation's name (`SendMessages` for a test push).
    pub fn operation(&self) -> &'static str {
        match self {
            Outgoing::Write(w) => w.operation(),
            Outgoing::Push(_) => crate::aws::pinpoint::SEND_MESSAGES,
        }
    }

    pub fn user_arn(&self) -> &str {
        match self {
            Outgoing::Write(w) => w.user_arn(),
            Outgoing::Push(p) => &p.user_arn,
        }
    }

    /// The endpoint written or pushed to, when known before the answer.
    pub fn endpoint_id(&self) -> Option<&str> {
        match self {
            Outgoing::Write(w) => w.endpoint_id(),
            Outgoing::Push(p) => Some(&p.endpoint_id),
        }
    }

    pub fn is_push(&self) -> bool {
        matches!(self, Outgoing::Push(_))
    }
}

#[derive(Clone, Debug)]
pub struct Confirm {
    pub kind: ConfirmKind,
    pub write: Outgoing,
    pub title: String,
    /// What will change, in words (no secret's value).
    pub lines: Vec<String>,
    /// The equivalent AWS CLI command as shown (secrets as "<N chars>" while masked).
    pub cli_shown: String,
    /// The same with the real values, for `c`.
    pub cli: String,
    /// The verb on the button and the `y` hint ("flip", "deregister").
    pub verb: &'static str,
    pub focus: ConfirmFocus,
    /// A refusal inside the dialog ("the typed ID does not match").
    pub refused: Option<String>,
    /// The service's answer to the last attempt, explained in place.
    pub error: Option<ServiceError>,
    /// Opened from a form (the form is under it).
    pub from_form: bool,
    /// A second write sent only after this one succeeded (a re-registration: the replaced
    /// endpoint's deregistration).
    pub then: Option<Write>,
    /// `then`'s AWS CLI command as shown (it is in `cli` too, after a newline).
    pub then_cli_shown: Option<String>,
    /// A test push's answer, in words, with the fix offered (the dialog stays to show it).
    pub pushed: Option<PushShown>,
}

/// A write sent and not yet answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub id: u64,
    pub write: Outgoing,
    pub started: Instant,
    /// What to send once this write succeeded ([`Confirm::then`]).
    pub then: Option<Write>,
}

/// The writes' state in the browser.
#[derive(Clone, Debug, Default)]
pub struct Writes {
    pub confirm: Option<Confirm>,
    pub form: Option<Form>,
    pub pending: Option<Pending>,
    /// The user said yes to "writes go to account …" (asked once per session, AWS only).
    pub aws_ok: bool,
    /// The record of the last deregistered endpoint, offered to `Y` while its message shows.
    pub removed: Option<(Box<Endpoint>, Instant)>,
    /// The lookup that refreshes the detail pane after a write, and the write's message, said
    /// again when it arrives (the refresh's own "fields changed" message would hide it).
    pub refresh: Option<(u64, Notice)>,
    /// A re-registration's new endpoint (user ARN, ID), shown once the old one is deregistered.
    pub replaced_by: Option<(String, String)>,
    /// Quit while a write ran: what to say on stderr once the terminal is restored.
    pub unsettled: Option<String>,
    /// The dialog of a batch deregistration from the Scan pane (`super::batch`).
    pub batch: Option<Box<super::batch::BatchConfirm>>,
    /// The test pushes (`t`): the AWS question asked, the record being read, the last answer.
    pub push: PushTests,
}

impl Writes {
    /// A dialog or form has the keyboard.
    pub fn active(&self) -> bool {
        self.confirm.is_some() || self.form.is_some() || self.batch.is_some()
    }
}

/// Whether a command is one of the write keys (hidden and refused in read-only mode).
pub fn is_write_cmd(c: Cmd) -> bool {
    crate::tui::keymap::is_write(c)
}

impl App {
    pub fn writes(&self) -> &Writes {
        &self.writes
    }

    /// Read-only mode (--readonly, CHIMESCOPE_READONLY, [aws] readonly).
    pub fn readonly(&self) -> bool {
        self.session.readonly
    }
}
