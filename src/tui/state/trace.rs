//! The path of one push, as the detail pane traces it under the endpoint on show: message →
//! membership → endpoint → channel → provider, each gate passed (✓), failed (✗, with its
//! reason) or not checked (with what checks it). The endpoint and channel gates come from what
//! the doctor found (the Diagnosis group); the provider gate from the last test push of this
//! endpoint (`t`); the message and membership gates are the doctor's on the command line
//! (`chimescope doctor --channel-arn`), which reads the channel as the user.

use super::app::App;
use crate::doctor::code::Stage;
use crate::doctor::{Code, Finding, Severity};
use crate::model::{self, AllowMessages, EndpointStatus};

/// One gate of the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Message,
    Membership,
    Endpoint,
    Channel,
    Provider,
}

impl Gate {
    /// The gates in the order a push passes them.
    pub const ALL: [Gate; 5] =
        [Gate::Message, Gate::Membership, Gate::Endpoint, Gate::Channel, Gate::Provider];

    pub fn label(self) -> &'static str {
        match self {
            Gate::Message => "message",
            Gate::Membership => "membership",
            Gate::Endpoint => "endpoint",
            Gate::Channel => "channel",
            Gate::Provider => "provider",
        }
    }
}

/// What the trace says of a gate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Passed, with what was seen.
    Pass(String),
    /// Stopped here, with why.
    Fail(String),
    /// Not checked, with what checks it (a key, or a command).
    NotChecked(String),
}

/// Whether a finding is about the Pinpoint app and channel (the channel gate) rather than
/// the endpoint's record or its user: the registry's gate, as `chimescope doctor`'s trace has it
/// (a ResourceArn that names no usable app is the record's fault, so the endpoint's gate).
fn is_channel(code: Code) -> bool {
    code.stage() == Stage::Channel
}

/// The first error among `findings` (they come errors first), as "code: message".
fn first_error<'a>(findings: impl Iterator<Item = &'a Finding>) -> Option<String> {
    findings
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {}", f.code, model::escape_control(&f.message)))
        .next()
}

impl App {
    /// The trace of the endpoint on show (None when none is).
    pub fn push_trace(&self) -> Option<Vec<(Gate, Mark)>> {
        let e = self.endpoint()?;
        let findings = self.diagnosis();
        let user = match self.detail() {
            super::detail::Detail::Endpoint {
                query: crate::jobs::worker::Query::Describe { user_arn, .. },
                ..
            } => user_arn.clone(),
            _ => e.app_instance_user_arn.clone().unwrap_or_default(),
        };
        let (message, membership) = self.membership_gates(&user);
        let endpoint = {
            let state = e.state.as_ref().map(|s| s.status.clone());
            if let Some(why) = first_error(findings.iter().filter(|f| !is_channel(f.code))) {
                Mark::Fail(why)
            } else if matches!(e.allow_messages, Some(AllowMessages::None)) {
                Mark::Fail("AllowMessages NONE: the endpoint receives no push".into())
            } else if state == Some(EndpointStatus::Inactive) {
                Mark::Fail(format!(
                    "INACTIVE: {}",
                    crate::doctor::verdict::state_meaning(&EndpointStatus::Inactive)
                ))
            } else if state == Some(EndpointStatus::Active) {
                let allow = e.allow_messages.as_ref().map(|a| a.as_str()).unwrap_or("not set");
                Mark::Pass(format!("ACTIVE, AllowMessages {allow}"))
            } else {
                Mark::NotChecked("the endpoint's state is not known: r looks it up again".into())
            }
        };
        let channel = if let Some(why) = first_error(findings.iter().filter(|f| is_channel(f.code))) {
            Mark::Fail(why)
        } else if let Some(off) = self.pinpoint_off() {
            Mark::NotChecked(format!("Pinpoint checks off ({off})"))
        } else if self.pinpoint_running() {
            Mark::NotChecked("checking Pinpoint…".into())
        } else if let Some(f) = findings.iter().find(|f| f.code == Code::PinpointUnreachable) {
            Mark::NotChecked(format!("Pinpoint could not be read: {}", model::escape_control(&f.message)))
        } else if self.pinpoint_answered() {
            let ty = e.endpoint_type.as_ref().map(|t| t.to_string()).unwrap_or_default();
            Mark::Pass(format!("the Pinpoint app and the channel {ty} needs are there and enabled"))
        } else {
            Mark::NotChecked(":doctor checks the Pinpoint app and channel".into())
        };
        let provider = match self.last_push() {
            Some(p) if p.result.successful() => Mark::Pass(format!(
                "{} on {}: {}",
                model::escape_control(&p.result.delivery_status),
                p.channel.label(),
                p.words
            )),
            Some(p) => {
                let why = p.result.provider_error().unwrap_or_else(|| p.result.delivery_status.clone());
                Mark::Fail(format!("{} on {}: {}", model::escape_control(&why), p.channel.label(), p.words))
            }
            None if self.readonly() => {
                Mark::NotChecked("a test push asks the provider (a write: off in read-only mode)".into())
            }
            None => Mark::NotChecked("t sends a test push and shows the provider's answer".into()),
        };
        Some(vec![
            (Gate::Message, message),
            (Gate::Membership, membership),
            (Gate::Endpoint, endpoint),
            (Gate::Channel, channel),
            (Gate::Provider, provider),
        ])
    }
}

impl App {
    /// The message and membership gates of `user`'s trace: from the memberships read (`M`),
    /// judged as `chimescope doctor` judges them (the registry's codes), else what reads them.
    fn membership_gates(&self, user: &str) -> (Mark, Mark) {
        const SENT_WITH_PUSH: &str = "whether it was sent with a PushNotification cannot be seen afterwards";
        let members = self.members();
        // A membership chosen in the list names its channel in the doctor's command.
        let chosen = members.of_user(user).and_then(|_| members.selected());
        let message = Mark::NotChecked(match chosen {
            Some(m) => format!(
                "chimescope doctor --channel-arn {} --message-id M (a PushNotification cannot be seen afterwards)",
                model::escape_control(&m.of.membership.channel_arn)
            ),
            None => format!("chimescope doctor --channel-arn C --message-id M ({SENT_WITH_PUSH})"),
        });
        let membership = if let Some(rows) = members.of_user(user) {
            if rows.is_empty() {
                Mark::Fail(format!(
                    "{}: the user is a member of no channel: no channel message is pushed to it",
                    Code::NotAMember
                ))
            } else {
                let stops: Vec<String> = rows
                    .iter()
                    .flat_map(|m| m.findings.iter().map(move |f| (m, f)))
                    .map(|(m, f)| match f.code {
                        Code::ChannelFiltered | Code::FilterRuleInvalid => {
                            format!("{} on {} (FilterRule {})", f.code, m.name(), m.rule())
                        }
                        _ => format!("{} on {}", f.code, m.name()),
                    })
                    .collect();
                let all = rows.iter().filter(|m| !m.stands_out()).count();
                let n = rows.len();
                if stops.is_empty() {
                    Mark::Pass(format!("member of {n} channels, each pushes every message (ALL)"))
                } else {
                    Mark::Fail(format!(
                        "{}; {all} of {n} channels push every message (M lists them)",
                        stops.join("; ")
                    ))
                }
            }
        } else if members.reading(user) {
            Mark::NotChecked("reading the user's channel memberships…".into())
        } else if let Some(e) = members.error_of(user) {
            Mark::NotChecked(format!(
                "the memberships could not be read ({}: {}): M, then r, reads them again",
                model::escape_control(&e.exception),
                model::escape_control(&e.message)
            ))
        } else {
            Mark::NotChecked(
                "M reads the user's memberships and their push preferences (chimescope doctor --channel-arn C too)"
                    .into(),
            )
        };
        (message, membership)
    }
}

#[cfg(test)]
mod tests {
    #![allow(unused_must_use)]
    use super::*;
    use crate::jobs::worker::{Answer, JobDone, Query};
    use crate::model::{Endpoint, EndpointState, EndpointType};
    use crate::tui::action::{Action, Cmd};
    use crate::tui::state::Session;

    const U: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/u-42";

    fn showing(e: Endpoint) -> App {
        let mut a = App::new(Session::demo());
        a.update(Action::PinpointOff("--no-pinpoint".into()));
        a.set_inputs(U, "ep-1");
        let eff = a.update(Action::Cmd(Cmd::Submit));
        let r = eff
            .iter()
            .find_map(|e| match e {
                crate::tui::action::Effect::Job(r) => Some(r.clone()),
                _ => None,
            })
            .unwrap();
        a.update(Action::JobDone(JobDone {
            id: r.id,
            owner: r.owner,
            query: Query::Describe { user_arn: U.into(), endpoint_id: "ep-1".into() },
            result: Ok(Answer::Endpoint(Box::new(e))),
            elapsed: std::time::Duration::from_millis(1),
        }));
        a
    }

    fn ep(status: EndpointStatus, allow: AllowMessages) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(U.into()),
            endpoint_id: Some("ep-1".into()),
            endpoint_type: Some(EndpointType::Gcm),
            resource_arn: Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/app1".into()),
            device_token: Some("t".repeat(150)),
            allow_messages: Some(allow),
            state: Some(EndpointState { status, reason: None }),
            ..Default::default()
        }
    }

    #[test]
    fn the_trace_names_each_gate_in_order_and_what_checks_the_unchecked() {
        let a = showing(ep(EndpointStatus::Active, AllowMessages::All));
        let t = a.push_trace().unwrap();
        assert_eq!(t.iter().map(|(g, _)| *g).collect::<Vec<_>>(), Gate::ALL.to_vec());
        assert!(matches!(&t[0].1, Mark::NotChecked(w) if w.contains("--message-id")));
        assert!(matches!(&t[1].1, Mark::NotChecked(w) if w.contains("--channel-arn")));
        assert_eq!(t[2].1, Mark::Pass("ACTIVE, AllowMessages ALL".into()));
        assert!(matches!(&t[3].1, Mark::NotChecked(w) if w.contains("off")), "{:?}", t[3]);
        assert!(matches!(&t[4].1, Mark::NotChecked(w) if w.starts_with("t sends")));
    }

    #[test]
    fn an_endpoint_that_cannot_receive_fails_its_gate_with_the_reason() {
        let a = showing(ep(EndpointStatus::Active, AllowMessages::None));
        assert!(matches!(&a.push_trace().unwrap()[2].1, Mark::Fail(w) if w.contains("AllowMessages NONE")));
        let a = showing(ep(EndpointStatus::Inactive, AllowMessages::All));
        assert!(
            matches!(&a.push_trace().unwrap()[2].1, Mark::Fail(w) if w.contains("INACTIVE") || w.starts_with("inactive-")),
            "{:?}",
            a.push_trace()
        );
        let mut elsewhere = ep(EndpointStatus::Active, AllowMessages::All);
        elsewhere.resource_arn = Some("arn:aws:sns:us-east-1:123456789012:app/GCM/x".into());
        let a = showing(elsewhere);
        assert!(
            matches!(&a.push_trace().unwrap()[2].1, Mark::Fail(w) if w.starts_with("resource-not-pinpoint"))
        );
    }

    #[test]
    fn the_gates_are_the_registry_s() {
        for code in Code::ALL {
            assert_eq!(is_channel(*code), code.stage() == Stage::Channel, "{code}");
        }
        assert!(is_channel(Code::PinpointFcmKeyDefault), "a channel's credential is the channel's gate");
        assert!(!is_channel(Code::ResourceNotPinpoint), "the record's ResourceArn is the endpoint's gate");
    }
}
