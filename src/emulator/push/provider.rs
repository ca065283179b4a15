//! What APNs and FCM answer for a device token, as Pinpoint reports it: from the token's
//! outcome set by the seed's `PushOutcomes` or `POST /_chimescope/push-outcomes`, otherwise from
//! the token's shape (hex for APNs, an FCM registration token for GCM). Every wording that no
//! public document fixes is in this file, and in the table of docs/emulator.md.

use serde_json::{Value, json};

/// The push provider behind a Pinpoint channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    Apns,
    Fcm,
}

/// The Pinpoint channels that push, as `ChannelType` names them (and the seed's `Channels` keys).
pub const PUSH_CHANNELS: [&str; 5] = ["APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX", "GCM"];

/// The provider of a push channel.
pub fn provider_of(channel: &str) -> Option<Provider> {
    match channel {
        "GCM" => Some(Provider::Fcm),
        c if PUSH_CHANNELS.contains(&c) => Some(Provider::Apns),
        _ => None,
    }
}

/// The provider errors a token can be given: (name, provider, the provider's HTTP status,
/// Pinpoint's `DeliveryStatus`, whether it rejects the token itself (and so deactivates a Chime
/// endpoint), Pinpoint's `errorMessage`).
pub const ERRORS: [(&str, Provider, u16, &str, bool, &str); 10] = [
    ("Unregistered", Provider::Apns, 410, "PERMANENT_FAILURE", true, "Unregistered or expired token"),
    ("BadDeviceToken", Provider::Apns, 400, "PERMANENT_FAILURE", true, "Unregistered or expired token"),
    ("DeviceTokenNotForTopic", Provider::Apns, 400, "PERMANENT_FAILURE", true, "Device token not for topic"),
    ("InvalidProviderToken", Provider::Apns, 403, "PERMANENT_FAILURE", false, "Invalid provider token"),
    ("INVALID_ARGUMENT", Provider::Fcm, 400, "PERMANENT_FAILURE", true, "Invalid registration token"),
    ("UNREGISTERED", Provider::Fcm, 404, "PERMANENT_FAILURE", true, "Unregistered or expired token"),
    ("SENDER_ID_MISMATCH", Provider::Fcm, 403, "PERMANENT_FAILURE", true, "Sender ID mismatch"),
    (
        "THIRD_PARTY_AUTH_ERROR",
        Provider::Fcm,
        401,
        "PERMANENT_FAILURE",
        false,
        "Third party authentication error",
    ),
    ("QUOTA_EXCEEDED", Provider::Fcm, 429, "THROTTLED", false, "Quota exceeded"),
    ("UNAVAILABLE", Provider::Fcm, 503, "TEMPORARY_FAILURE", false, "Service unavailable"),
];

/// The prefix of an outcome that accepts the push and gives the device a new token.
pub const CANONICAL: &str = "Canonical:";
/// The longest token (or new token) an outcome names.
pub const MAX_TOKEN: usize = 4096;

/// Whether `outcome` is one a token may be given; why not, in words, otherwise (never quoting
/// a token).
pub fn check_outcome(outcome: &str) -> Result<(), String> {
    if let Some(new) = outcome.strip_prefix(CANONICAL) {
        return if token_chars(new) {
            Ok(())
        } else {
            Err(format!(
                "a Canonical outcome names the new token, 1 to {MAX_TOKEN} letters, digits, '-', '_' or ':'"
            ))
        };
    }
    if ERRORS.iter().any(|e| e.0 == outcome) {
        return Ok(());
    }
    let names: Vec<&str> = ERRORS.iter().map(|e| e.0).collect();
    Err(format!(
        "unknown Outcome {:?}: expected one of {}, or Canonical:NEWTOKEN",
        outcome.chars().take(60).collect::<String>(),
        names.join(", ")
    ))
}

fn token_chars(t: &str) -> bool {
    (1..=MAX_TOKEN).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b':')
}

/// An APNs device token: hex, of an even length from 32 to 200 (64 today; Apple says "of
/// variable length").
pub fn apns_shaped(token: &str) -> bool {
    (32..=200).contains(&token.len())
        && token.len().is_multiple_of(2)
        && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// An FCM registration token: opaque text of letters, digits, `-`, `_` and `:` (usually
/// `<id>:APA91b…`, 140 to 165 characters), not an APNs token.
pub fn fcm_shaped(token: &str) -> bool {
    (20..=MAX_TOKEN).contains(&token.len()) && token_chars(token) && !apns_shaped(token)
}

/// One address's result, in the model's `MessageResult` members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// `DeliveryStatus`.
    pub status: &'static str,
    /// `StatusCode`.
    pub code: u16,
    /// The provider's error (`BadDeviceToken`), or Pinpoint's reason when no provider was asked.
    pub error: Option<&'static str>,
    /// `StatusMessage`, the JSON text Pinpoint writes.
    pub message: Option<String>,
    /// `UpdatedToken`.
    pub updated_token: Option<String>,
    /// The provider rejected the token itself: a Chime endpoint holding it is deactivated.
    pub token_rejected: bool,
}

impl Answer {
    pub fn successful(&self) -> bool {
        self.status == "SUCCESSFUL"
    }
}

/// `StatusMessage` for a provider's answer.
fn status_message(channel: &str, provider_status: u16, error: Option<&str>, text: &str) -> String {
    let mut m = serde_json::Map::new();
    if !text.is_empty() {
        m.insert("errorMessage".into(), Value::from(text));
    }
    m.insert("channelType".into(), Value::from(channel));
    m.insert("pushProviderStatusCode".into(), Value::from(provider_status.to_string()));
    if let Some(e) = error {
        m.insert("pushProviderError".into(), Value::from(e));
        m.insert("pushProviderResponse".into(), Value::from(json!({ "reason": e }).to_string()));
    }
    Value::Object(m).to_string()
}

/// A provider error's answer on `channel`.
fn rejected(channel: &str, e: &(&'static str, Provider, u16, &'static str, bool, &'static str)) -> Answer {
    Answer {
        status: e.3,
        code: e.2,
        error: Some(e.0),
        message: Some(status_message(channel, e.2, Some(e.0), e.5)),
        updated_token: None,
        token_rejected: e.4,
    }
}

fn error_named(
    name: &str,
) -> Option<&'static (&'static str, Provider, u16, &'static str, bool, &'static str)> {
    ERRORS.iter().find(|e| e.0 == name)
}

/// What the provider of `channel` answers for `token`, given the outcome set for it (if any).
pub fn answer(channel: &str, token: &str, outcome: Option<&str>) -> Answer {
    let accepted = |updated: Option<String>| Answer {
        status: "SUCCESSFUL",
        code: 200,
        error: None,
        message: Some(status_message(channel, 200, None, "")),
        updated_token: updated,
        token_rejected: false,
    };
    if let Some(o) = outcome {
        if let Some(new) = o.strip_prefix(CANONICAL) {
            return accepted(Some(new.to_string()));
        }
        if let Some(e) = error_named(o) {
            return rejected(channel, e);
        }
    }
    let (fits, refusal) = match provider_of(channel) {
        Some(Provider::Fcm) => (fcm_shaped(token), "INVALID_ARGUMENT"),
        _ => (apns_shaped(token), "BadDeviceToken"),
    };
    match (fits, error_named(refusal)) {
        (false, Some(e)) => rejected(channel, e),
        _ => accepted(None),
    }
}

/// Pinpoint's answer when the app has no such channel (`configured` false) or has it disabled
/// or archived; None when the channel is enabled. No provider is asked.
pub fn channel_answer(channel: &str, record: Option<&Value>) -> Option<Answer> {
    let (reason, text) = match record {
        None => (
            "CHANNEL_NOT_CONFIGURED",
            format!("The {channel} channel is not configured for this application"),
        ),
        Some(c)
            if c.get("Enabled").and_then(Value::as_bool) != Some(true)
                || c.get("IsArchived").and_then(Value::as_bool) == Some(true) =>
        {
            ("CHANNEL_DISABLED", format!("The {channel} channel is not enabled for this application"))
        }
        Some(_) => return None,
    };
    Some(Answer {
        status: "PERMANENT_FAILURE",
        code: 400,
        error: Some(reason),
        message: Some(json!({ "errorMessage": text, "channelType": channel }).to_string()),
        updated_token: None,
        token_rejected: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const FCM: &str = "cXk1:APA91bFakeFakeFakeFakeFakeFakeFakeFakeFakeFake";

    #[test]
    fn shapes_decide_without_an_outcome() {
        assert!(answer("APNS", HEX, None).successful());
        assert!(answer("GCM", FCM, None).successful());
        let a = answer("GCM", HEX, None);
        assert_eq!(
            (a.status, a.code, a.error, a.token_rejected),
            ("PERMANENT_FAILURE", 400, Some("INVALID_ARGUMENT"), true)
        );
        let a = answer("APNS_SANDBOX", FCM, None);
        assert_eq!(a.error, Some("BadDeviceToken"));
        let m: Value = serde_json::from_str(a.message.as_deref().unwrap()).unwrap();
        assert_eq!(m["channelType"], "APNS_SANDBOX");
        assert_eq!(m["pushProviderStatusCode"], "400");
        assert_eq!(m["pushProviderError"], "BadDeviceToken");
    }

    #[test]
    fn outcomes_override_shapes_and_are_checked() {
        let a = answer("APNS", HEX, Some("Unregistered"));
        assert_eq!((a.code, a.token_rejected), (410, true));
        let a = answer("GCM", FCM, Some("UNAVAILABLE"));
        assert_eq!((a.status, a.code, a.token_rejected), ("TEMPORARY_FAILURE", 503, false));
        let a = answer("GCM", FCM, Some("Canonical:new-token"));
        assert_eq!((a.status, a.updated_token.as_deref()), ("SUCCESSFUL", Some("new-token")));
        assert!(check_outcome("QUOTA_EXCEEDED").is_ok());
        assert!(check_outcome("Canonical:").unwrap_err().contains("new token"));
        assert!(check_outcome("Nope").unwrap_err().contains("expected one of Unregistered"));
    }

    #[test]
    fn missing_and_disabled_channels() {
        assert_eq!(channel_answer("GCM", None).unwrap().error, Some("CHANNEL_NOT_CONFIGURED"));
        let off = json!({"Enabled": false});
        assert_eq!(channel_answer("GCM", Some(&off)).unwrap().error, Some("CHANNEL_DISABLED"));
        assert!(channel_answer("GCM", Some(&json!({"Enabled": true}))).is_none());
    }
}
