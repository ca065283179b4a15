//! The one answer to "can this endpoint receive pushes?": every mode (`describe`
//! and `list` text, the browser's verdict line and Recent's dot, `scan` with and without
//! `--diagnose`, the Scan pane) asks [`read`], with what it checked. A mode that did not check
//! something says so in the verdict itself, never a bare ✔.

use super::{Finding, Severity};
use crate::model::{AllowMessages, EndpointState, EndpointStatus};

/// What was checked before the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// A list summary: the state and AllowMessages only (`list`, `scan` without `--diagnose`).
    State,
    /// The record's own findings, not the Pinpoint app (`describe`).
    Record,
    /// The record; the Pinpoint checks are running (the browser, until they answer).
    Checking,
    /// The record; the Pinpoint checks are turned off (`--no-pinpoint`, the config file).
    PinpointOff,
    /// The record and the Pinpoint app and channel (`doctor`, `scan --diagnose`, the browser).
    Channel,
}

/// How the verdict reads, worst last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Everything that decides it was checked and is fine.
    Ok,
    /// Fine as far as it was checked; the rest was not.
    Unchecked,
    /// AllowMessages NONE: the user's choice, counted apart.
    OptedOut,
    /// A warning: pushes may not arrive.
    Warning,
    /// No known state.
    Unknown,
    /// Pushes will not arrive.
    Error,
}

impl Level {
    /// Whether pushes will not arrive as far as is known (INACTIVE, no known state, an error
    /// finding): what a scan counts as "cannot receive". Opted out is not.
    pub fn cannot_receive(self) -> bool {
        matches!(self, Self::Error | Self::Unknown)
    }

    pub fn icon(self) -> &'static str {
        match self {
            Self::Ok | Self::Unchecked => "✔",
            Self::OptedOut | Self::Warning => "⚠",
            Self::Unknown => "?",
            Self::Error => "✘",
        }
    }
}

/// The verdict: how it reads and the line that says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub level: Level,
    pub text: String,
}

/// What the state says of the channel, for a verdict that checked less than the doctor does.
fn unchecked(checked: Checked) -> &'static str {
    match checked {
        Checked::State => "✔ State OK · record and channel not checked: `chimescope doctor`",
        Checked::Record => "✔ Record OK · channel not checked: `chimescope doctor`",
        Checked::Checking => "✔ Record OK · checking the Pinpoint channel…",
        Checked::PinpointOff => "✔ Record OK · channel not checked (Pinpoint checks off)",
        Checked::Channel => "✔ Can receive pushes: record and Pinpoint channel checked",
    }
}

/// The verdict on an endpoint from its state, AllowMessages and the findings (the doctor's,
/// any order) of what was `checked`.
pub fn read(
    state: Option<&EndpointState>,
    allow: Option<&AllowMessages>,
    findings: &[Finding],
    checked: Checked,
) -> Reading {
    let r = |level: Level, text: String| Reading { level, text };
    match state.map(|s| (&s.status, s.reason.as_ref())) {
        Some((EndpointStatus::Inactive, Some(why))) => {
            return r(Level::Error, format!("✘ Cannot receive pushes: {}", why.explain()));
        }
        Some((EndpointStatus::Inactive, None)) => {
            return r(Level::Error, "✘ Cannot receive pushes: the endpoint is INACTIVE".into());
        }
        Some((EndpointStatus::Active, _)) => {}
        _ => {
            return r(
                Level::Unknown,
                "? Whether it can receive pushes is unknown: the state is missing or new".into(),
            );
        }
    }
    // The codes a row shows are those the state and AllowMessages say: the verdict says them
    // from the state above, not from the finding.
    let worst = |sev: Severity| findings.iter().find(|f| f.severity == sev && !f.code.in_rows());
    if let Some(f) = worst(Severity::Error) {
        return r(Level::Error, format!("✘ {}", f.message));
    }
    if allow == Some(&AllowMessages::None) {
        return r(
            Level::OptedOut,
            "⚠ Opted out: AllowMessages is NONE, so no messages are delivered (the user's choice)".into(),
        );
    }
    if let Some(f) = worst(Severity::Warning) {
        return r(Level::Warning, format!("⚠ {}", f.message));
    }
    let level = if checked == Checked::Channel { Level::Ok } else { Level::Unchecked };
    r(level, unchecked(checked).into())
}

/// What the State row says: the state, not the outcome (the verdict says that).
pub fn state_meaning(status: &EndpointStatus) -> &'static str {
    match status {
        EndpointStatus::Active => "the service will push to it",
        EndpointStatus::Inactive => "the service will not push to it",
        EndpointStatus::Unknown(_) => "a status chimescope does not know",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Code;
    use crate::model::StatusReason;

    fn f(code: Code, severity: Severity, message: &str) -> Finding {
        Finding::new(code, message.into(), String::new()).graded(severity)
    }

    fn state(status: EndpointStatus, reason: Option<StatusReason>) -> Option<EndpointState> {
        Some(EndpointState { status, reason })
    }

    #[test]
    fn what_was_not_checked_is_said_never_a_bare_can_receive() {
        let active = state(EndpointStatus::Active, None);
        let all = Some(AllowMessages::All);
        for c in [Checked::State, Checked::Record, Checked::Checking, Checked::PinpointOff] {
            let v = read(active.as_ref(), all.as_ref(), &[], c);
            assert_eq!(v.level, Level::Unchecked, "{c:?}");
            assert!(!v.text.contains("Can receive"), "{c:?}: {}", v.text);
            assert!(v.text.contains("channel"), "{c:?}: {}", v.text);
        }
        let v = read(active.as_ref(), all.as_ref(), &[], Checked::Channel);
        assert_eq!(v.level, Level::Ok);
        assert!(v.text.starts_with("✔ Can receive pushes"), "{}", v.text);
    }

    #[test]
    fn the_worst_decides_and_opted_out_is_a_warning_of_its_own() {
        let active = state(EndpointStatus::Active, None);
        let none = Some(AllowMessages::None);
        let off = f(Code::MessagesOff, Severity::Warning, "off");
        let v = read(active.as_ref(), none.as_ref(), std::slice::from_ref(&off), Checked::Channel);
        assert_eq!(v.level, Level::OptedOut);
        assert!(v.text.starts_with("⚠ Opted out"), "{}", v.text);
        assert!(!v.level.cannot_receive());
        let channel = f(Code::PinpointChannelDisabled, Severity::Error, "the APNS channel is disabled");
        let v = read(active.as_ref(), none.as_ref(), &[off, channel], Checked::Channel);
        assert_eq!((v.level, v.text.as_str()), (Level::Error, "✘ the APNS channel is disabled"));
        let inactive = state(EndpointStatus::Inactive, Some(StatusReason::InvalidDeviceToken));
        let v = read(inactive.as_ref(), none.as_ref(), &[], Checked::State);
        assert_eq!(v.level, Level::Error);
        assert!(v.text.starts_with("✘ Cannot receive pushes: the push service rejected"), "{}", v.text);
        assert_eq!(read(None, None, &[], Checked::Channel).level, Level::Unknown);
    }
}
