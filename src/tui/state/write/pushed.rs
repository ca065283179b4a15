//! The test push's state and its answer as shown: plain data (the browser's handling is
//! `push.rs`), so that the writes' state can hold it without importing that handling.

use crate::model::push::PushResult;
use crate::model::{self, Endpoint, PinpointChannel};

pub use crate::model::push::PushFix;

/// The test pushes' state.
#[derive(Clone, Debug, Default)]
pub struct PushTests {
    /// The user said yes to "a test push goes to account …" (asked once per session, AWS only).
    pub aws_ok: bool,
    /// The describe that reads a listed endpoint's record before its confirmation.
    pub reading: Option<u64>,
    /// The record of the endpoint the dialog is about (for `R`: the register form from it).
    pub record: Option<Box<Endpoint>>,
    /// The last answer of this session, for the trace of the endpoint it was about.
    pub last: Option<LastPush>,
}

/// A test push's answer, remembered for the trace.
#[derive(Clone, Debug, PartialEq)]
pub struct LastPush {
    pub user_arn: String,
    pub endpoint_id: String,
    pub channel: PinpointChannel,
    pub result: PushResult,
    /// The answer in words.
    pub words: String,
}

/// A test push's answer as its dialog shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PushShown {
    pub result: PushResult,
    /// The answer in words, with what to do.
    pub words: String,
    pub fix: Option<PushFix>,
}

impl PushShown {
    /// "PERMANENT_FAILURE (410, Unregistered)".
    pub fn status(&self) -> String {
        let r = &self.result;
        let code = r.status_code.map(|c| c.to_string()).unwrap_or_else(|| "no status code".into());
        let provider =
            r.provider_error().map(|e| format!(", {}", model::escape_control(&e))).unwrap_or_default();
        format!("{} ({code}{provider})", model::escape_control(&r.delivery_status))
    }
}
