//! A test push (`chimescope push-test`): the message sent through Pinpoint SendMessages to one
//! endpoint's token, the per-address answer (`MessageResult`), and that answer in words. No SDK
//! type: `aws::pinpoint` converts. The token is a secret: it is never in a message here.

use super::endpoint::EndpointType;
use super::pinpoint::PinpointChannel;
use serde_json::{Map, Value, json};

/// What a test push says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestPush {
    pub title: Option<String>,
    pub body: Option<String>,
    /// A silent (background) push: nothing is shown.
    pub silent: bool,
}

/// The default title and body of a test push.
pub const DEFAULT_TITLE: &str = "chimescope test push";
pub const DEFAULT_BODY: &str = "A test notification sent with chimescope push-test.";

impl TestPush {
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(DEFAULT_TITLE)
    }

    pub fn body(&self) -> &str {
        self.body.as_deref().unwrap_or(DEFAULT_BODY)
    }

    /// APNs' `apns-push-type` for `channel`: `voip`, `background` (silent) or `alert`.
    pub fn apns_push_type(&self, channel: PinpointChannel) -> &'static str {
        if channel.is_voip() {
            "voip"
        } else if self.silent {
            "background"
        } else {
            "alert"
        }
    }

    /// SendMessages' `MessageConfiguration` for `channel`, as the wire and the AWS CLI write it.
    pub fn message_configuration(&self, channel: PinpointChannel) -> Value {
        let mut m = Map::new();
        if !self.silent {
            m.insert("Title".into(), self.title().into());
            m.insert("Body".into(), self.body().into());
        }
        m.insert("SilentPush".into(), self.silent.into());
        if channel == PinpointChannel::Gcm {
            json!({ "GCMMessage": m })
        } else {
            m.insert("APNSPushType".into(), self.apns_push_type(channel).into());
            json!({ "APNSMessage": m })
        }
    }

    /// The whole `MessageRequest` to `token` on `channel`.
    pub fn request(&self, token: &str, channel: PinpointChannel) -> Value {
        json!({
            "Addresses": { token: { "ChannelType": channel.label() } },
            "MessageConfiguration": self.message_configuration(channel),
        })
    }
}

/// The channel a push to an endpoint of `kind` goes through (VoIP: the VoIP channel of its
/// environment; GCM has none).
pub fn channel_for(kind: &EndpointType, voip: bool) -> Option<PinpointChannel> {
    Some(match (kind, voip) {
        (EndpointType::Apns, false) => PinpointChannel::Apns,
        (EndpointType::ApnsSandbox, false) => PinpointChannel::ApnsSandbox,
        (EndpointType::Gcm, false) => PinpointChannel::Gcm,
        (EndpointType::Apns, true) => PinpointChannel::ApnsVoip,
        (EndpointType::ApnsSandbox, true) => PinpointChannel::ApnsVoipSandbox,
        _ => return None,
    })
}

/// One address's `MessageResult`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PushResult {
    pub delivery_status: String,
    pub status_code: Option<i32>,
    pub status_message: Option<String>,
    pub message_id: Option<String>,
    /// Sensitive: the device's new token.
    pub updated_token: Option<String>,
}

/// SendMessages' answer for the one address sent to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PushAnswer {
    pub application_id: Option<String>,
    pub request_id: Option<String>,
    pub result: PushResult,
}

impl PushResult {
    pub fn successful(&self) -> bool {
        self.delivery_status == "SUCCESSFUL"
    }

    /// The provider's error named in `StatusMessage` (`BadDeviceToken`), when it is the JSON
    /// text Pinpoint writes.
    pub fn provider_error(&self) -> Option<String> {
        let v: Value = serde_json::from_str(self.status_message.as_deref()?).ok()?;
        v.get("pushProviderError").and_then(Value::as_str).map(str::to_string)
    }

    /// The model's `MessageResult` members, the new token masked unless `show_secrets`.
    pub fn to_cli_json(&self, show_secrets: bool) -> Value {
        let mut m = Map::new();
        m.insert("DeliveryStatus".into(), self.delivery_status.clone().into());
        if let Some(id) = &self.message_id {
            m.insert("MessageId".into(), id.clone().into());
        }
        if let Some(c) = self.status_code {
            m.insert("StatusCode".into(), c.into());
        }
        if let Some(s) = &self.status_message {
            m.insert("StatusMessage".into(), s.clone().into());
        }
        if let Some(t) = &self.updated_token {
            let t = if show_secrets { t.clone() } else { super::mask(t) };
            m.insert("UpdatedToken".into(), t.into());
        }
        Value::Object(m)
    }
}

impl PushAnswer {
    /// Pinpoint's `MessageResponse` shape, the address (the token) masked unless
    /// `show_secrets`.
    pub fn to_cli_json(&self, token: &str, show_secrets: bool) -> Value {
        let key = if show_secrets { token.to_string() } else { super::mask(token) };
        let mut r = Map::new();
        if let Some(a) = &self.application_id {
            r.insert("ApplicationId".into(), a.clone().into());
        }
        if let Some(id) = &self.request_id {
            r.insert("RequestId".into(), id.clone().into());
        }
        r.insert("Result".into(), json!({ key: self.result.to_cli_json(show_secrets) }));
        json!({ "MessageResponse": r })
    }
}

/// The provider's answer in words, with what to do; `kind` the endpoint's Type.
pub fn explain(r: &PushResult, kind: &EndpointType) -> String {
    if r.successful() {
        let new = if r.updated_token.is_some() {
            " The provider gave the device a new token (UpdatedToken): the app should register it \
             (chimescope register) and deregister this endpoint."
        } else {
            ""
        };
        return format!(
            "accepted by the provider. That is not proof that it was shown: the device may be off, \
             the app may hide it, or the user may have turned notifications off.{new}"
        );
    }
    let error = r.provider_error();
    match error.as_deref() {
        Some("Unregistered") | Some("UNREGISTERED") => {
            "the provider no longer knows this token: the app was removed or the token expired. \
             Deregister this endpoint; the app registers a new token when it runs again."
                .to_string()
        }
        Some("BadDeviceToken") => format!(
            "APNs refused the token: a sandbox (development build) token on a production channel, or \
             the reverse, or a malformed token. This endpoint's Type is {kind}: compare it with the \
             build that made the token (Xcode runs use APNS_SANDBOX, TestFlight and the App Store APNS)."
        ),
        Some("DeviceTokenNotForTopic") => {
            "APNs says the token is not for this topic: the Pinpoint channel's bundle ID is not the app's. \
             Fix the channel's bundle ID (or the app's)."
                .to_string()
        }
        Some("InvalidProviderToken") | Some("ExpiredProviderToken") => {
            "APNs refused the channel's credentials (its signing key, key ID or team ID): update the \
             Pinpoint channel's key. The token itself was not judged."
                .to_string()
        }
        Some("INVALID_ARGUMENT") => {
            "FCM refused the token as invalid: malformed, truncated, or not an FCM registration token \
             (an APNs token on GCM?). Deregister it and register the token the app reports."
                .to_string()
        }
        Some("SENDER_ID_MISMATCH") => {
            "FCM says the token belongs to another Firebase project: the Pinpoint GCM channel's \
             credentials are for a different project than the app's."
                .to_string()
        }
        Some("THIRD_PARTY_AUTH_ERROR") => {
            "FCM could not authenticate with APNs for this (iOS) token: check the APNs credentials \
             uploaded to Firebase."
                .to_string()
        }
        Some("QUOTA_EXCEEDED") => {
            "FCM is throttling sends for this project or device: retry later.".to_string()
        }
        Some("UNAVAILABLE") => "FCM is unavailable right now: retry later.".to_string(),
        Some(other) => format!("the provider answered {}.", super::escape_control(other)),
        None => {
            let m = r.status_message.as_deref().unwrap_or("no message");
            format!("Pinpoint answered: {}", super::escape_control(m))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_pick_the_message_of_the_channel() {
        let t = TestPush { silent: true, ..TestPush::default() };
        let r = t.request("tok", PinpointChannel::ApnsVoipSandbox);
        assert_eq!(r["Addresses"]["tok"]["ChannelType"], "APNS_VOIP_SANDBOX");
        assert_eq!(r["MessageConfiguration"]["APNSMessage"]["APNSPushType"], "voip");
        assert!(r["MessageConfiguration"]["APNSMessage"].get("Title").is_none());
        let r = TestPush::default().request("tok", PinpointChannel::Gcm);
        assert_eq!(r["MessageConfiguration"]["GCMMessage"]["Title"], DEFAULT_TITLE);
        assert_eq!(channel_for(&EndpointType::Gcm, true), None);
        assert_eq!(channel_for(&EndpointType::Apns, true), Some(PinpointChannel::ApnsVoip));
    }

    #[test]
    fn answers_in_words_and_json_without_the_token() {
        let r = PushResult {
            delivery_status: "PERMANENT_FAILURE".into(),
            status_code: Some(400),
            status_message: Some(r#"{"pushProviderError":"BadDeviceToken"}"#.into()),
            ..PushResult::default()
        };
        assert!(explain(&r, &EndpointType::Apns).contains("sandbox"));
        let a = PushAnswer { result: r, ..PushAnswer::default() };
        let v = a.to_cli_json("secret-token", false);
        assert!(!v.to_string().contains("secret-token"));
        assert!(a.to_cli_json("secret-token", true).to_string().contains("secret-token"));
    }
}
