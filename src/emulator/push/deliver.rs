//! Simulated delivery of one channel message's push to one endpoint of one member: gates 3 to 6
//! of the push path, decided in order, with one push-log line for what happened. Gates 1 (the
//! message asks for a push) and 2 (the member's preferences) are the caller's, who logs what
//! they stopped through [`note`].

use super::log::{Line, Outcome};
use super::provider::{self, Answer};
use crate::emulator::arn;
use crate::emulator::store::{Record, Store};
use serde_json::{Value, json};

/// The push of one channel message to one member.
#[derive(Clone, Copy, Debug)]
pub struct Push<'a> {
    pub channel_arn: &'a str,
    pub message_id: &'a str,
    /// The member: an app instance user's ARN (a bot has no endpoints).
    pub member_arn: &'a str,
    /// `PushNotification.Type` VOIP: to the endpoint's `VoipDeviceToken` through the VoIP channel
    /// of its environment (APNS → APNS_VOIP, APNS_SANDBOX → APNS_VOIP_SANDBOX).
    pub voip: bool,
    /// The emulator's clock, epoch seconds.
    pub now: f64,
}

/// A line for a gate the caller decided.
#[derive(Clone, Copy, Debug)]
pub struct Note<'a> {
    pub channel_arn: &'a str,
    pub message_id: &'a str,
    /// None for a line about the whole message (gate 1).
    pub member_arn: Option<&'a str>,
    pub endpoint_id: Option<&'a str>,
    /// 1 or 2.
    pub gate: u8,
    pub outcome: Outcome,
    /// In capitals, e.g. `NO_PUSH_NOTIFICATION`, `ALLOW_NOTIFICATIONS_NONE`, `FILTERED_OUT`.
    pub reason: &'a str,
    pub now: f64,
}

/// Append a line for a gate the caller decided (1: the message has no `PushNotification`; 2:
/// the member's preferences stopped it, or it has no endpoint); the line as logged (inside a
/// write, as staged: see `Store::log_push`).
pub fn note(store: &mut Store, n: &Note<'_>) -> Line {
    store.log_push(Line {
        seq: 0,
        time: n.now,
        channel_arn: n.channel_arn.to_string(),
        message_id: n.message_id.to_string(),
        member_arn: n.member_arn.map(str::to_string),
        endpoint_id: n.endpoint_id.map(str::to_string),
        gate: n.gate,
        outcome: n.outcome,
        reason: Some(n.reason.to_string()),
        delivery_status: None,
        status_code: None,
    })
}

/// Deliver `push` to the member's endpoint `endpoint_id`, deciding in order:
/// 3. the endpoint exists, `AllowMessages` is ALL and its state ACTIVE (else SKIPPED:
///    `ENDPOINT_NOT_FOUND`, `ALLOW_MESSAGES_NONE`, `ENDPOINT_INACTIVE`, or for VoIP
///    `NO_VOIP_DEVICE_TOKEN`);
/// 4. the Pinpoint app its `ResourceArn` names exists, in the member's account and region (else
///    FAILED `PINPOINT_APP_NOT_FOUND`, and the endpoint is deactivated: INACTIVE,
///    INVALID_PINPOINT_ARN);
/// 5. the app has an enabled channel for the endpoint's Type (VoIP: the VoIP channel of its
///    environment) (else FAILED `CHANNEL_NOT_CONFIGURED`, `CHANNEL_DISABLED` or
///    `NO_VOIP_CHANNEL`);
/// 6. the provider's answer for the token (`provider::answer`): SENT when SUCCESSFUL (Reason
///    `UPDATED_TOKEN` when it gave a new one), else FAILED with the provider's error as the
///    Reason; a rejection of the token itself deactivates the endpoint (INACTIVE,
///    INVALID_DEVICE_TOKEN).
///
/// Appends exactly one line to the push log and returns it (inside a write, the line joins the
/// log when the write is kept: see `Store::log_push`). Changes to the endpoint go through the
/// store's writes (journalled with `--state`): call it inside the operation's write.
pub fn deliver(store: &mut Store, push: &Push<'_>, endpoint_id: &str) -> Line {
    let line = |gate: u8, outcome: Outcome, reason: Option<&str>, answer: Option<&Answer>| Line {
        seq: 0,
        time: push.now,
        channel_arn: push.channel_arn.to_string(),
        message_id: push.message_id.to_string(),
        member_arn: Some(push.member_arn.to_string()),
        endpoint_id: Some(endpoint_id.to_string()),
        gate,
        outcome,
        reason: reason.map(str::to_string),
        delivery_status: answer.map(|a| a.status.to_string()),
        status_code: answer.map(|a| a.code),
    };
    let decided = decide(store, push, endpoint_id);
    let logged = match &decided {
        Decision::Skipped(reason) => line(3, Outcome::Skipped, Some(reason), None),
        Decision::NoApp => {
            deactivate(store, push.member_arn, endpoint_id, "INVALID_PINPOINT_ARN");
            line(4, Outcome::Failed, Some("PINPOINT_APP_NOT_FOUND"), None)
        }
        Decision::Channel(a) => line(5, Outcome::Failed, a.error, Some(a)),
        Decision::NoVoipChannel => line(5, Outcome::Failed, Some("NO_VOIP_CHANNEL"), None),
        Decision::Provider(a) if a.successful() => {
            let reason = a.updated_token.as_ref().map(|_| "UPDATED_TOKEN");
            line(6, Outcome::Sent, reason, Some(a))
        }
        Decision::Provider(a) => {
            if a.token_rejected {
                deactivate(store, push.member_arn, endpoint_id, "INVALID_DEVICE_TOKEN");
            }
            line(6, Outcome::Failed, a.error, Some(a))
        }
    };
    store.log_push(logged)
}

enum Decision {
    Skipped(&'static str),
    NoApp,
    Channel(Answer),
    NoVoipChannel,
    Provider(Answer),
}

fn text<'a>(r: &'a Record, key: &str) -> &'a str {
    r.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The Pinpoint channel a push to an endpoint of `kind` goes through.
pub fn channel_for(kind: &str, voip: bool) -> Option<&'static str> {
    match (kind, voip) {
        ("APNS", false) => Some("APNS"),
        ("APNS_SANDBOX", false) => Some("APNS_SANDBOX"),
        ("GCM", false) => Some("GCM"),
        ("APNS", true) => Some("APNS_VOIP"),
        ("APNS_SANDBOX", true) => Some("APNS_VOIP_SANDBOX"),
        _ => None,
    }
}

fn decide(store: &Store, push: &Push<'_>, endpoint_id: &str) -> Decision {
    let Some(ep) = store.endpoint(push.member_arn, endpoint_id) else {
        return Decision::Skipped("ENDPOINT_NOT_FOUND");
    };
    if text(&ep, "AllowMessages") == "NONE" {
        return Decision::Skipped("ALLOW_MESSAGES_NONE");
    }
    let state = ep.get("EndpointState").and_then(|s| s.get("Status")).and_then(Value::as_str);
    if state.is_some_and(|s| s != "ACTIVE") {
        return Decision::Skipped("ENDPOINT_INACTIVE");
    }
    let attrs = ep.get("EndpointAttributes");
    let token_key = if push.voip { "VoipDeviceToken" } else { "DeviceToken" };
    let token = attrs.and_then(|a| a.get(token_key)).and_then(Value::as_str).unwrap_or("");
    if token.is_empty() {
        return Decision::Skipped(if push.voip { "NO_VOIP_DEVICE_TOKEN" } else { "NO_DEVICE_TOKEN" });
    }
    let member = arn::parse(push.member_arn);
    let app = arn::pinpoint_app(text(&ep, "ResourceArn"))
        .filter(|(region, account, _)| member.is_some_and(|m| m.region == *region && m.account == *account))
        .and_then(|(region, account, id)| store.pinpoint_app(region, Some(account), id));
    let Some(app) = app else { return Decision::NoApp };
    let Some(channel) = channel_for(text(&ep, "Type"), push.voip) else { return Decision::NoVoipChannel };
    if let Some(a) = provider::channel_answer(channel, app.get("Channels").and_then(|c| c.get(channel))) {
        return Decision::Channel(a);
    }
    Decision::Provider(provider::answer(channel, token, store.push_outcome(token)))
}

fn deactivate(store: &mut Store, user: &str, endpoint_id: &str, reason: &str) {
    store.update_endpoint(user, endpoint_id, |rec| {
        rec.insert("EndpointState".into(), json!({"Status": "INACTIVE", "StatusReason": reason}));
    });
}
