//! A test push (`chimescope push-test`): the message sent through Pinpoint SendMessages to one
//! endpoint's token, the per-address answer (`MessageResult`), and that answer in words. No SDK
//! type: `aws::pinpoint` converts. The token is a secret: it is never in a message here.

use super::endpoint::{Endpoint, EndpointType};
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

/// The parts of a Pinpoint app ARN (`arn:PARTITION:mobiletargeting:REGION:ACCOUNT:apps/ID`):
/// partition, region, account, app ID; None when it is not one.
pub fn pinpoint_app_arn(arn: &str) -> Option<(&str, &str, &str, &str)> {
    let mut p = arn.splitn(6, ':');
    let (pre, partition, service, region, account, resource) =
        (p.next()?, p.next()?, p.next()?, p.next()?, p.next()?, p.next()?);
    let id = resource.strip_prefix("apps/")?;
    let ok = pre == "arn"
        && !partition.is_empty()
        && service == "mobiletargeting"
        && !region.is_empty()
        && account.len() == 12
        && account.chars().all(|c| c.is_ascii_digit())
        && !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then_some((partition, region, account, id))
}

/// One test push to one endpoint, ready to send: where (the app its ResourceArn names, the
/// channel its Type needs), to what (the token, a secret: `Debug` shows its length only) and
/// what it says.
#[derive(Clone, PartialEq, Eq)]
pub struct PushSend {
    pub user_arn: String,
    pub endpoint_id: String,
    pub endpoint_type: EndpointType,
    /// The Pinpoint app's region, account and ID (from the endpoint's ResourceArn).
    pub region: String,
    pub account: String,
    pub app_id: String,
    pub channel: PinpointChannel,
    /// Sensitive: the DeviceToken (or the VoipDeviceToken on a VoIP channel).
    pub token: String,
    pub push: TestPush,
}

impl std::fmt::Debug for PushSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushSend")
            .field("user_arn", &self.user_arn)
            .field("endpoint_id", &self.endpoint_id)
            .field("endpoint_type", &self.endpoint_type)
            .field("region", &self.region)
            .field("app_id", &self.app_id)
            .field("channel", &self.channel)
            .field("token", &format_args!("<{} chars>", self.token.chars().count()))
            .field("push", &self.push)
            .finish()
    }
}

/// Why an endpoint cannot be sent a test push (said before anything is sent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoPush {
    /// No Type chimescope knows: no channel to send through.
    NoType,
    /// `--voip` on a GCM endpoint.
    NoVoipChannel,
    /// No DeviceToken (or VoipDeviceToken) on the record ("DeviceToken" or "VoipDeviceToken").
    NoToken(&'static str),
    /// The ResourceArn is not a Pinpoint app ARN (as it reads, escaped).
    NotAnApp(String),
}

impl std::fmt::Display for NoPush {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoPush::NoType => {
                f.write_str("the endpoint has no Type chimescope knows: no channel to send through")
            }
            NoPush::NoVoipChannel => {
                f.write_str("--voip: a GCM endpoint has no VoIP channel (VoIP pushes are APNs only)")
            }
            NoPush::NoToken(what) => write!(f, "the endpoint has no {what} to send to"),
            NoPush::NotAnApp(arn) => write!(
                f,
                "the endpoint's ResourceArn {arn} is not a Pinpoint app ARN: there is no app to send through"
            ),
        }
    }
}

impl PushSend {
    /// The test push `push` to the endpoint `ep` (of `user_arn`), through its VoIP channel
    /// with `voip`.
    pub fn to_endpoint(
        ep: &Endpoint,
        user_arn: &str,
        voip: bool,
        push: TestPush,
    ) -> Result<PushSend, NoPush> {
        let kind = ep.endpoint_type.clone().filter(|k| k.is_known()).ok_or(NoPush::NoType)?;
        let channel = channel_for(&kind, voip).ok_or(NoPush::NoVoipChannel)?;
        let token = if voip { ep.voip_device_token.as_deref() } else { ep.device_token.as_deref() };
        let token = token.filter(|t| !t.is_empty()).ok_or(NoPush::NoToken(if voip {
            "VoipDeviceToken"
        } else {
            "DeviceToken"
        }))?;
        let resource = ep.resource_arn.as_deref().unwrap_or_default();
        let (_, region, account, app_id) = pinpoint_app_arn(resource)
            .ok_or_else(|| NoPush::NotAnApp(super::escape_control(resource).into_owned()))?;
        Ok(PushSend {
            user_arn: ep.app_instance_user_arn.clone().unwrap_or_else(|| user_arn.to_string()),
            endpoint_id: ep.endpoint_id.clone().unwrap_or_default(),
            endpoint_type: kind,
            region: region.to_string(),
            account: account.to_string(),
            app_id: app_id.to_string(),
            channel,
            token: token.to_string(),
            push,
        })
    }

    /// The AWS CLI options of `aws pinpoint send-messages` for this push; the token in clear
    /// or, with `masked`, as "<N chars>".
    pub fn cli_args(&self, masked: bool) -> Vec<(&'static str, String)> {
        let token =
            if masked { format!("<{} chars>", self.token.chars().count()) } else { self.token.clone() };
        vec![
            ("--application-id", self.app_id.clone()),
            ("--message-request", self.push.request(&token, self.channel).to_string()),
        ]
    }
}

/// One address's `MessageResult`. `Debug` masks the new token.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PushResult {
    pub delivery_status: String,
    pub status_code: Option<i32>,
    pub status_message: Option<String>,
    pub message_id: Option<String>,
    /// Sensitive: the device's new token.
    pub updated_token: Option<String>,
}

impl std::fmt::Debug for PushResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushResult")
            .field("delivery_status", &self.delivery_status)
            .field("status_code", &self.status_code)
            .field("status_message", &self.status_message)
            .field("message_id", &self.message_id)
            .field(
                "updated_token",
                &self.updated_token.as_ref().map(|t| format!("<{} chars>", t.chars().count())),
            )
            .finish()
    }
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

/// The fix a test push's answer calls for, that chimescope can carry out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushFix {
    /// The provider no longer takes this token (Unregistered, BadDeviceToken, FCM
    /// UNREGISTERED or INVALID_ARGUMENT): deregister the endpoint.
    Deregister,
    /// The provider gave the device a new token (UpdatedToken): register it, then deregister
    /// this endpoint.
    Reregister,
}

/// What to offer after a test push: a re-registration when an UpdatedToken came back, a
/// deregistration when the provider refused the token itself for good; nothing when the
/// fault is the channel's (DeviceTokenNotForTopic, credentials, SENDER_ID_MISMATCH) or passing.
pub fn offered_fix(r: &PushResult) -> Option<PushFix> {
    if r.updated_token.as_deref().is_some_and(|t| !t.is_empty()) {
        return Some(PushFix::Reregister);
    }
    if r.delivery_status != "PERMANENT_FAILURE" {
        return None;
    }
    match r.provider_error().as_deref() {
        Some("Unregistered" | "BadDeviceToken" | "UNREGISTERED" | "INVALID_ARGUMENT") => {
            Some(PushFix::Deregister)
        }
        _ => None,
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
        assert_eq!(offered_fix(&a.result), Some(PushFix::Deregister));
        assert!(!format!("{a:?}").contains("secret-token"));
    }

    #[test]
    fn the_fix_offered_is_the_token_s_only_when_the_token_is_at_fault() {
        let failed = |e: &str| PushResult {
            delivery_status: "PERMANENT_FAILURE".into(),
            status_message: Some(format!(r#"{{"pushProviderError":"{e}"}}"#)),
            ..PushResult::default()
        };
        assert_eq!(offered_fix(&failed("UNREGISTERED")), Some(PushFix::Deregister));
        assert_eq!(offered_fix(&failed("DeviceTokenNotForTopic")), None);
        assert_eq!(offered_fix(&failed("SENDER_ID_MISMATCH")), None);
        let moved = PushResult {
            delivery_status: "SUCCESSFUL".into(),
            updated_token: Some("new-token".into()),
            ..PushResult::default()
        };
        assert_eq!(offered_fix(&moved), Some(PushFix::Reregister));
        assert!(!format!("{moved:?}").contains("new-token"), "Debug masks the new token");
        assert_eq!(
            offered_fix(&PushResult { delivery_status: "SUCCESSFUL".into(), ..PushResult::default() }),
            None
        );
    }

    #[test]
    fn a_push_to_an_endpoint_goes_through_its_app_and_channel_and_debug_hides_the_token() {
        let ep = Endpoint {
            endpoint_id: Some("ep-1".into()),
            endpoint_type: Some(EndpointType::ApnsSandbox),
            resource_arn: Some("arn:aws:mobiletargeting:eu-west-1:123456789012:apps/abc123".into()),
            device_token: Some("secret-token".into()),
            ..Endpoint::default()
        };
        let p = PushSend::to_endpoint(&ep, "arn:user", false, TestPush::default()).unwrap();
        assert_eq!(
            (p.region.as_str(), p.app_id.as_str(), p.channel),
            ("eu-west-1", "abc123", PinpointChannel::ApnsSandbox)
        );
        assert!(!format!("{p:?}").contains("secret-token"));
        let masked = p.cli_args(true);
        assert!(masked[1].1.contains("<12 chars>") && !masked[1].1.contains("secret-token"), "{masked:?}");
        assert!(p.cli_args(false)[1].1.contains("secret-token"));
        assert_eq!(
            PushSend::to_endpoint(&ep, "u", true, TestPush::default()).err(),
            Some(NoPush::NoToken("VoipDeviceToken"))
        );
        let gcm = Endpoint { endpoint_type: Some(EndpointType::Gcm), ..ep.clone() };
        assert_eq!(
            PushSend::to_endpoint(&gcm, "u", true, TestPush::default()).err(),
            Some(NoPush::NoVoipChannel)
        );
        let elsewhere = Endpoint { resource_arn: Some("arn:aws:sns:x".into()), ..ep };
        assert!(matches!(
            PushSend::to_endpoint(&elsewhere, "u", false, TestPush::default()),
            Err(NoPush::NotAnApp(_))
        ));
    }
}
