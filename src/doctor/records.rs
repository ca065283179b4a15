//! The findings from the records alone: what the endpoint record says
//! about itself, and what the user's endpoints and ExpirationSettings say about the user.

use super::{Code, Finding, Severity, sort};
use crate::model::{
    AllowMessages, Endpoint, EndpointStatus, EndpointSummary, EndpointType, StatusReason, Timestamp,
    escape_control, mask, parse_user_arn,
};
use serde_json::Value;
use std::collections::BTreeMap;

const DAY: f64 = 86_400.0;
/// FCM expires a token idle for longer than this.
pub const FCM_IDLE_DAYS: f64 = 270.0;
/// Endpoints a user may have; the next registration past it fails.
pub const ENDPOINT_LIMIT: usize = 10;
/// How near an expiry is worth a warning.
pub const EXPIRY_WARNING_DAYS: f64 = 30.0;
/// The length of an APNs token today, in hex digits (32 bytes).
const APNS_HEX_LEN: usize = 64;

/// A user's ExpirationSettings (DescribeAppInstanceUser), with the timestamp it counts from.
#[derive(Clone, Debug, PartialEq)]
pub struct UserExpiration {
    pub days: i64,
    /// `CREATED_TIMESTAMP` (the only criterion the service has).
    pub criterion: String,
    /// The user's CreatedTimestamp.
    pub created: Option<Timestamp>,
}

impl UserExpiration {
    /// From the user as `describe_user` returns it (the value under `AppInstanceUser`); `None`
    /// when it has no ExpirationSettings.
    pub fn from_user_json(user: &Value) -> Option<Self> {
        let x = user.get("ExpirationSettings")?;
        let days = x.get("ExpirationDays")?.as_i64()?;
        let criterion = x.get("ExpirationCriterion").and_then(Value::as_str).unwrap_or("CREATED_TIMESTAMP");
        let created = user.get("CreatedTimestamp").and_then(|v| Timestamp::from_json(v).ok());
        Some(Self { days, criterion: criterion.to_string(), created })
    }
}

/// The findings about one endpoint from its record, errors first.
pub fn endpoint_findings(ep: &Endpoint, now: Timestamp) -> Vec<Finding> {
    let mut out = Vec::new();
    state(ep, &mut out);
    if ep.allow_messages == Some(AllowMessages::None) {
        out.push(Finding::new(
            Code::MessagesOff,
            "AllowMessages is NONE: the user opted out, so the endpoint receives no messages".into(),
            "AllowMessages: NONE".into(),
        ));
    }
    if let Some(kind) = &ep.endpoint_type {
        if let Some(t) = &ep.device_token {
            out.extend(token_shape(kind, "DeviceToken", t));
        }
        if let Some(v) = &ep.voip_device_token {
            match kind {
                EndpointType::Gcm => out.push(Finding::new(
                    Code::VoipTokenOnGcm,
                    "a VoipDeviceToken on a GCM endpoint: VoIP pushes are APNs only, so none will arrive"
                        .into(),
                    format!("Type: GCM; VoipDeviceToken: {}", token_evidence(v)),
                )),
                _ => out.extend(token_shape(kind, "VoipDeviceToken", v)),
            }
        }
    }
    resource(ep, &mut out);
    stale(ep, now, &mut out);
    sort(&mut out);
    out
}

/// The findings a list row can show: those of [`endpoint_findings`] whose code the registry
/// marks for rows ([`Code::in_rows`]: they need only what an `AppInstanceUserEndpointSummary`
/// holds, no tokens, ResourceArn or timestamps).
pub fn summary_findings(s: &EndpointSummary) -> Vec<Finding> {
    let ep = Endpoint {
        app_instance_user_arn: s.app_instance_user_arn.clone(),
        endpoint_id: s.endpoint_id.clone(),
        endpoint_type: s.endpoint_type.clone(),
        allow_messages: s.allow_messages.clone(),
        state: s.state.clone(),
        ..Endpoint::default()
    };
    endpoint_findings(&ep, Timestamp::from_secs(0.0)).into_iter().filter(|f| f.code.in_rows()).collect()
}

fn state(ep: &Endpoint, out: &mut Vec<Finding>) {
    let Some(s) = &ep.state else { return };
    if s.status != EndpointStatus::Inactive {
        return;
    }
    match &s.reason {
        Some(StatusReason::InvalidDeviceToken) => out.push(Finding::new(
            Code::InactiveDeviceToken,
            "INACTIVE: the push service rejected the device token".into(),
            "EndpointState: INACTIVE, INVALID_DEVICE_TOKEN".into(),
        )),
        Some(StatusReason::InvalidPinpointArn) => out.push(Finding::new(
            Code::InactivePinpointArn,
            "INACTIVE: ResourceArn does not name a usable Pinpoint app".into(),
            format!(
                "EndpointState: INACTIVE, INVALID_PINPOINT_ARN; ResourceArn: {}",
                escape_control(ep.resource_arn.as_deref().unwrap_or("(none)"))
            ),
        )),
        _ => {}
    }
}

/// What a token is made of, without showing it.
pub fn alphabet(t: &str) -> String {
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_hexdigit()) {
        return if t.chars().any(|c| c.is_ascii_uppercase()) { "hex (0-9 A-F)" } else { "hex (0-9 a-f)" }
            .into();
    }
    let mut parts = Vec::new();
    let has = |p: fn(char) -> bool| t.chars().any(p);
    if has(|c| c.is_ascii_alphabetic()) {
        parts.push("letters");
    }
    if has(|c| c.is_ascii_digit()) {
        parts.push("digits");
    }
    if has(|c| c == '-' || c == '_') {
        parts.push("'-' '_'");
    }
    if has(|c| c == ':') {
        parts.push("':'");
    }
    if has(char::is_whitespace) {
        parts.push("spaces");
    }
    if has(|c| c == '<' || c == '>') {
        parts.push("'<' '>'");
    }
    if has(|c| !(c.is_ascii_alphanumeric() || "-_:<>".contains(c) || c.is_whitespace())) {
        parts.push("other characters");
    }
    if parts.is_empty() { "none (empty)".into() } else { parts.join(", ") }
}

/// A token as evidence: its length, alphabet and masked form.
pub fn token_evidence(t: &str) -> String {
    format!("length {}, alphabet {}, {}", t.chars().count(), alphabet(t), mask(t))
}

fn is_hex(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| c.is_ascii_hexdigit())
}

/// FCM's registration-token form: `<id>:APA91b…` in letters, digits, `-` and `_`.
fn fcm_like(t: &str) -> bool {
    let token_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    match t.split_once(':') {
        Some((id, rest)) => {
            !id.is_empty()
                && id.chars().all(token_char)
                && rest.starts_with("APA91b")
                && rest.chars().all(token_char)
        }
        None => false,
    }
}

fn token_shape(kind: &EndpointType, field: &str, t: &str) -> Option<Finding> {
    let evidence = format!("Type: {kind}; {field}: {}", token_evidence(t));
    let bad = |severity, message: String, fix: &str| {
        Some(Finding::new(Code::TokenShape, message, evidence.clone()).graded(severity).fixing(fix))
    };
    if t.is_empty() {
        return bad(Severity::Error, format!("the {field} is empty"), "register the token the app received");
    }
    if t.chars().any(|c| c == '<' || c == '>' || c.is_whitespace()) {
        return bad(
            Severity::Error,
            format!("the {field} holds '<', '>' or spaces: it was pasted from a debug print"),
            "register the token as the push service gave it (for APNs the hex of its bytes, no '<', '>' or spaces)",
        );
    }
    match kind {
        EndpointType::Apns | EndpointType::ApnsSandbox => {
            if fcm_like(t) {
                return bad(
                    Severity::Error,
                    format!("the {field} is an FCM token on an {kind} endpoint"),
                    "register it on a GCM endpoint, or register the app's APNs token here",
                );
            }
            if !is_hex(t) {
                return bad(
                    Severity::Error,
                    format!("the {field} is not hex: APNs tokens are the hex of their bytes"),
                    "register the hex of the token's bytes (not base64, not a description string)",
                );
            }
            if t.len() % 2 == 1 {
                return bad(
                    Severity::Error,
                    format!("the {field} has an odd number of hex digits: not whole bytes, so cut or padded"),
                    "register the whole token as the app received it",
                );
            }
            if t.len() < APNS_HEX_LEN {
                return bad(
                    Severity::Warning,
                    format!("the {field} is shorter than an APNs token ({APNS_HEX_LEN} hex digits today)"),
                    "check that the whole token was registered",
                );
            }
            if t.len() > APNS_HEX_LEN {
                return bad(
                    Severity::Info,
                    format!(
                        "the {field} is longer than today's {APNS_HEX_LEN} hex digits (Apple says the length may grow)"
                    ),
                    "nothing, if the app registered it as received",
                );
            }
            None
        }
        EndpointType::Gcm => {
            if is_hex(t) && t.len() >= 32 {
                return bad(
                    Severity::Error,
                    format!("the {field} is hex: it looks like an APNs token on a GCM endpoint"),
                    "register it on an APNS / APNS_SANDBOX endpoint, or register the app's FCM token here",
                );
            }
            if !fcm_like(t) {
                return bad(
                    Severity::Warning,
                    format!("the {field} does not look like an FCM registration token (<id>:APA91b…)"),
                    "register the token FirebaseMessaging.getToken() gives",
                );
            }
            let n = t.chars().count();
            if !(140..=165).contains(&n) {
                return bad(
                    Severity::Info,
                    format!("the {field} has FCM's form but an unusual length ({n}; usually 140 to 165)"),
                    "check that the whole token was registered",
                );
            }
            None
        }
        EndpointType::Unknown(_) => None,
    }
}

/// The parts of a Pinpoint app ARN: partition, region, account, app ID.
pub fn pinpoint_arn(arn: &str) -> Option<(&str, &str, &str, &str)> {
    crate::model::push::pinpoint_app_arn(arn)
}

fn resource(ep: &Endpoint, out: &mut Vec<Finding>) {
    let shown = escape_control(ep.resource_arn.as_deref().unwrap_or("(none)")).into_owned();
    let Some((_, region, account, _)) = ep.resource_arn.as_deref().and_then(pinpoint_arn) else {
        out.push(Finding::new(
            Code::ResourceNotPinpoint,
            Code::ResourceNotPinpoint.title().into(),
            format!(
                "ResourceArn: {shown}; expected arn:<partition>:mobiletargeting:<region>:<account>:apps/<id>"
            ),
        ));
        return;
    };
    let Some(user) = ep.app_instance_user_arn.as_deref().and_then(|a| parse_user_arn(a).ok()) else { return };
    if user.arn.region != region {
        out.push(Finding::new(
            Code::ResourceRegionMismatch,
            format!(
                "the AWS End User Messaging push (Pinpoint API) app is in {region}, the user in {}",
                user.arn.region
            ),
            format!("ResourceArn: {shown}; user region: {}", user.arn.region),
        ));
    }
    if user.arn.account != account {
        out.push(Finding::new(
            Code::ResourceAccountMismatch,
            format!(
                "the AWS End User Messaging push (Pinpoint API) app is in account {account}, the user in {}",
                user.arn.account
            ),
            format!("ResourceArn: {shown}; user account: {}", user.arn.account),
        ));
    }
}

fn stale(ep: &Endpoint, now: Timestamp, out: &mut Vec<Finding>) {
    if ep.endpoint_type != Some(EndpointType::Gcm) {
        return;
    }
    // A token is set only at registration (an update changes Name or AllowMessages, never the
    // token): its age is the record's age, whatever was updated since.
    let Some(created) = ep.created else { return };
    let age = (now.as_secs_f64() - created.as_secs_f64()) / DAY;
    if age > FCM_IDLE_DAYS {
        out.push(Finding::new(
            Code::StaleFcmToken,
            format!(
                "the FCM token was registered {} days ago: FCM expires tokens idle over 270 days (a test push tells for certain)",
                age.floor()
            ),
            format!("CreatedTimestamp: {}", created.floor_second().rfc3339()),
        ));
    }
}

/// The user's endpoints that share a device token, by token (empty tokens are no token).
fn token_groups(endpoints: &[Endpoint]) -> BTreeMap<&str, Vec<&Endpoint>> {
    let mut by_token: BTreeMap<&str, Vec<&Endpoint>> = BTreeMap::new();
    for ep in endpoints {
        if let Some(t) = ep.device_token.as_deref().filter(|t| !t.is_empty()) {
            by_token.entry(t).or_default().push(ep);
        }
    }
    by_token.retain(|_, eps| eps.len() > 1);
    by_token
}

/// The finding about endpoints holding the same token: the same push arriving twice, or, on an
/// APNS and an APNS_SANDBOX endpoint, one of them in the wrong environment.
fn shared_token(t: &str, eps: &[&Endpoint]) -> Finding {
    let id = |e: &Endpoint| escape_control(e.endpoint_id.as_deref().unwrap_or("?")).into_owned();
    let typed = |e: &Endpoint| {
        format!("{} ({})", id(e), escape_control(e.endpoint_type.as_ref().map_or("no Type", |k| k.as_str())))
    };
    let is = |k: EndpointType| eps.iter().any(|e| e.endpoint_type.as_ref() == Some(&k));
    if is(EndpointType::Apns) && is(EndpointType::ApnsSandbox) {
        // A token belongs to one APNs environment: not a push arriving twice, but one endpoint
        // whose pushes go to the wrong environment and fail.
        let ids: Vec<String> = eps.iter().map(|e| typed(e)).collect();
        return Finding::new(
            Code::TokenInBothApnsEnvironments,
            "the same device token is on an APNS and an APNS_SANDBOX endpoint: a token belongs to one APNs environment, so one of them is in the wrong environment and its pushes fail".into(),
            format!("endpoints {}; DeviceToken: {}", ids.join(", "), token_evidence(t)),
        );
    }
    let ids: Vec<String> = eps.iter().map(|e| id(e)).collect();
    Finding::new(
        Code::DuplicateDeviceToken,
        format!(
            "{} endpoints hold the same device token: pushes arrive twice or on a signed-out device",
            ids.len()
        ),
        format!("endpoints {}; DeviceToken: {}", ids.join(", "), token_evidence(t)),
    )
}

/// The findings about the user: its endpoints together, and its expiration when known.
pub fn user_findings(
    endpoints: &[Endpoint],
    expiration: Option<&UserExpiration>,
    now: Timestamp,
) -> Vec<Finding> {
    user_rules(endpoints, expiration, now, None)
}

/// The user's findings that concern the endpoint `endpoint_id`: a token it shares with
/// another endpoint of the user, the user's endpoint limit and its expiry (which deletes it).
pub fn user_findings_for(
    endpoints: &[Endpoint],
    expiration: Option<&UserExpiration>,
    now: Timestamp,
    endpoint_id: &str,
) -> Vec<Finding> {
    user_rules(endpoints, expiration, now, Some(endpoint_id))
}

fn user_rules(
    endpoints: &[Endpoint],
    expiration: Option<&UserExpiration>,
    now: Timestamp,
    about: Option<&str>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (t, eps) in token_groups(endpoints) {
        if about.is_none_or(|id| eps.iter().any(|e| e.endpoint_id.as_deref() == Some(id))) {
            out.push(shared_token(t, &eps));
        }
    }
    if endpoints.len() >= ENDPOINT_LIMIT {
        out.push(Finding::new(
            Code::EndpointLimit,
            format!("the user has {} endpoints: the next registration will fail", endpoints.len()),
            format!("{} endpoints; the limit is {ENDPOINT_LIMIT} per user", endpoints.len()),
        ));
    }
    if let Some(x) = expiration
        && let Some(created) = x.created
    {
        let at = created.as_secs_f64() + x.days as f64 * DAY;
        let left = (at - now.as_secs_f64()) / DAY;
        let when = Timestamp::try_from_secs(at).map(|t| t.floor_second().rfc3339()).unwrap_or_default();
        let evidence = format!(
            "ExpirationSettings: {} days from {}; CreatedTimestamp: {}; expires {when}",
            x.days,
            escape_control(&x.criterion),
            created.floor_second().rfc3339()
        );
        if left <= 0.0 {
            out.push(
                Finding::new(
                    Code::UserExpires,
                    "the user's ExpirationSettings say it should already have been deleted (with its endpoints)"
                        .into(),
                    evidence,
                )
                .graded(Severity::Error),
            );
        } else if left <= EXPIRY_WARNING_DAYS {
            out.push(Finding::new(
                Code::UserExpires,
                format!("the user and its endpoints will be deleted in {} days", left.ceil()),
                evidence,
            ));
        }
    }
    sort(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EndpointState;

    const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";
    const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const NOW: f64 = 1_750_000_000.0;
    const HEX64: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    fn fcm(len: usize) -> String {
        let head = "cXyZ12-_ab:APA91b";
        head.to_string() + &"Q".repeat(len - head.len())
    }

    fn ep(kind: &str, token: &str) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(USER.into()),
            endpoint_id: Some("ep-1".into()),
            endpoint_type: Some(EndpointType::parse(kind)),
            resource_arn: Some(APP.into()),
            device_token: Some(token.into()),
            last_updated: Some(Timestamp::from_secs(NOW)),
            allow_messages: Some(AllowMessages::All),
            state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
            ..Endpoint::default()
        }
    }

    fn codes(ep: &Endpoint) -> Vec<(&'static str, Severity)> {
        let found = endpoint_findings(ep, Timestamp::from_secs(NOW));
        for f in &found {
            assert!(
                f.code.severities().contains(&f.severity),
                "a severity the registry does not list: {f:?}"
            );
        }
        found.iter().map(|f| (f.code.as_str(), f.severity)).collect()
    }

    #[test]
    fn a_good_endpoint_has_no_findings() {
        assert_eq!(codes(&ep("APNS", HEX64)), []);
        assert_eq!(codes(&ep("APNS_SANDBOX", HEX64)), []);
        assert_eq!(codes(&ep("GCM", &fcm(152))), []);
    }

    #[test]
    fn token_shapes() {
        use Severity::*;
        let hex = |n: usize| "ab".repeat(n / 2) + if n % 2 == 1 { "c" } else { "" };
        let cases: Vec<(&str, String, Option<Severity>)> = vec![
            ("APNS", hex(63), Some(Error)),
            ("APNS", hex(64), None),
            ("APNS", hex(65), Some(Error)),
            ("APNS", hex(66), Some(Info)),
            ("APNS", hex(32), Some(Warning)),
            ("APNS", HEX64.to_uppercase(), None),
            ("APNS", format!("<{HEX64}>"), Some(Error)),
            (
                "APNS",
                "<a1b2c3d4 e5f60718 293a4b5c 6d7e8f90 a1b2c3d4 e5f60718 293a4b5c 6d7e8f90>".into(),
                Some(Error),
            ),
            ("APNS_SANDBOX", "a1b2 c3d4".into(), Some(Error)),
            ("APNS", fcm(152), Some(Error)),
            ("APNS_SANDBOX", fcm(152), Some(Error)),
            ("APNS", "obHX0mHkDiU1qwT2Xy9Zf1w3bUo6dXyM5pZLkA==".into(), Some(Error)),
            ("APNS", String::new(), Some(Error)),
            ("GCM", HEX64.into(), Some(Error)),
            ("GCM", fcm(140), None),
            ("GCM", fcm(165), None),
            ("GCM", fcm(139), Some(Info)),
            ("GCM", fcm(166), Some(Info)),
            ("GCM", "not-an-fcm-token".into(), Some(Warning)),
            ("GCM", format!(" {} ", fcm(150)), Some(Error)),
            ("GCM", String::new(), Some(Error)),
            ("SOMETHING_NEW", "x".into(), None),
        ];
        for (kind, token, want) in cases {
            let got: Vec<_> = endpoint_findings(&ep(kind, &token), Timestamp::from_secs(NOW))
                .into_iter()
                .filter(|f| f.code == "token-shape")
                .collect();
            assert_eq!(got.first().map(|f| f.severity), want, "{kind} {token:?}: {got:?}");
            assert!(got.len() <= 1);
            for f in &got {
                assert!(!token.is_empty() && !f.evidence.contains(&token) || token.is_empty(), "{f:?}");
                assert!(!f.message.contains(&token) || token.is_empty());
                assert!(f.evidence.contains(&format!("length {}", token.chars().count())), "{f:?}");
                assert!(f.evidence.contains("••••••"), "{f:?}");
            }
        }
    }

    #[test]
    fn token_evidence_names_the_alphabet_and_never_the_token() {
        let e = token_evidence(&format!("<{HEX64}>"));
        assert_eq!(e, "length 66, alphabet letters, digits, '<' '>', •••••• (66 chars)");
        assert_eq!(alphabet(HEX64), "hex (0-9 a-f)");
        assert_eq!(alphabet("AB12"), "hex (0-9 A-F)");
        assert_eq!(alphabet(&fcm(150)), "letters, digits, '-' '_', ':'");
        assert_eq!(alphabet("a b"), "letters, spaces");
        assert_eq!(alphabet("é"), "other characters");
    }

    #[test]
    fn states_and_messages() {
        let mut e = ep("APNS", HEX64);
        e.state = Some(EndpointState {
            status: EndpointStatus::Inactive,
            reason: Some(StatusReason::InvalidDeviceToken),
        });
        assert_eq!(codes(&e), [("inactive-device-token", Severity::Error)]);
        e.state = Some(EndpointState {
            status: EndpointStatus::Inactive,
            reason: Some(StatusReason::InvalidPinpointArn),
        });
        assert_eq!(codes(&e), [("inactive-pinpoint-arn", Severity::Error)]);
        let mut e = ep("APNS", HEX64);
        e.allow_messages = Some(AllowMessages::None);
        assert_eq!(codes(&e), [("messages-off", Severity::Warning)], "the user's choice: a warning");
    }

    #[test]
    fn voip_tokens() {
        let mut e = ep("GCM", &fcm(150));
        e.voip_device_token = Some(HEX64.into());
        assert_eq!(codes(&e), [("voip-token-on-gcm", Severity::Warning)]);
        let mut e = ep("APNS", HEX64);
        e.voip_device_token = Some(HEX64.into());
        assert_eq!(codes(&e), []);
        e.voip_device_token = Some(format!("<{HEX64}>"));
        let f = endpoint_findings(&e, Timestamp::from_secs(NOW));
        assert_eq!(f[0].code, "token-shape");
        assert!(f[0].message.contains("VoipDeviceToken"), "{f:?}");
    }

    #[test]
    fn resource_arns() {
        let with = |arn: Option<&str>| {
            let mut e = ep("APNS", HEX64);
            e.resource_arn = arn.map(String::from);
            codes(&e)
        };
        use Severity::*;
        assert_eq!(with(Some(APP)), []);
        assert_eq!(with(None), [("resource-not-pinpoint", Error)]);
        assert_eq!(
            with(Some("arn:aws:sns:us-east-1:123456789012:app/APNS/x")),
            [("resource-not-pinpoint", Error)]
        );
        assert_eq!(
            with(Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/")),
            [("resource-not-pinpoint", Error)]
        );
        assert_eq!(
            with(Some("arn:aws:mobiletargeting:us-east-1:12345:apps/x")),
            [("resource-not-pinpoint", Error)]
        );
        assert_eq!(
            with(Some("arn:aws:mobiletargeting:eu-central-1:123456789012:apps/x")),
            [("resource-region-mismatch", Warning)]
        );
        assert_eq!(
            with(Some("arn:aws:mobiletargeting:us-east-1:210987654321:apps/x")),
            [("resource-account-mismatch", Error)]
        );
        assert_eq!(
            with(Some("arn:aws:mobiletargeting:eu-central-1:210987654321:apps/x")),
            [("resource-account-mismatch", Error), ("resource-region-mismatch", Warning)],
            "errors first"
        );
    }

    #[test]
    fn stale_fcm_tokens_at_270_days() {
        for (days, kind, want) in [
            (269.0, "GCM", false),
            (270.0, "GCM", false),
            (270.0 + 1.0 / DAY, "GCM", true),
            (271.0, "GCM", true),
            (400.0, "APNS", false),
        ] {
            let token = if kind == "GCM" { fcm(150) } else { HEX64.into() };
            let mut e = ep(kind, &token);
            e.created = Some(Timestamp::from_secs(NOW - days * DAY));
            let got = codes(&e).contains(&("stale-fcm-token", Severity::Warning));
            assert_eq!(got, want, "{kind} {days}");
        }
    }

    #[test]
    fn a_stale_fcm_token_is_measured_from_its_registration_not_the_last_update() {
        // AllowMessages flipped yesterday: LastUpdatedTimestamp is fresh, the token 3 years old.
        let mut e = ep("GCM", &fcm(150));
        e.created = Some(Timestamp::from_secs(NOW - 3.0 * 365.0 * DAY));
        e.last_updated = Some(Timestamp::from_secs(NOW - DAY));
        let f = endpoint_findings(&e, Timestamp::from_secs(NOW));
        assert_eq!(f.iter().map(|f| f.code).collect::<Vec<_>>(), ["stale-fcm-token"]);
        assert!(f[0].evidence.starts_with("CreatedTimestamp: "), "{f:?}");
        assert!(f[0].message.contains("registered 1095 days ago"), "{f:?}");
        assert!(f[0].message.contains("a test push tells for certain"), "{f:?}");
        // Updated long ago but registered recently: impossible for the token to be older.
        e.created = Some(Timestamp::from_secs(NOW - 10.0 * DAY));
        assert_eq!(codes(&e), []);
    }

    fn eps(n: usize, token: impl Fn(usize) -> String) -> Vec<Endpoint> {
        (0..n).map(|i| Endpoint { endpoint_id: Some(format!("ep-{i}")), ..ep("APNS", &token(i)) }).collect()
    }

    fn user_codes(v: &[Endpoint], x: Option<&UserExpiration>) -> Vec<(&'static str, Severity)> {
        user_findings(v, x, Timestamp::from_secs(NOW)).iter().map(|f| (f.code.as_str(), f.severity)).collect()
    }

    #[test]
    fn endpoint_limit_at_10() {
        let distinct = |i: usize| format!("{i:064x}");
        assert_eq!(user_codes(&eps(9, distinct), None), []);
        assert_eq!(user_codes(&eps(10, distinct), None), [("endpoint-limit", Severity::Warning)]);
        assert_eq!(user_codes(&eps(11, distinct), None), [("endpoint-limit", Severity::Warning)]);
        assert_eq!(user_codes(&[], None), []);
    }

    #[test]
    fn duplicate_device_tokens() {
        let v = eps(3, |i| if i < 2 { HEX64.into() } else { format!("{i:064x}") });
        let f = user_findings(&v, None, Timestamp::from_secs(NOW));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].code.as_str(), f[0].severity), ("duplicate-device-token", Severity::Warning));
        assert!(f[0].evidence.contains("ep-0, ep-1"), "{f:?}");
        assert!(!f[0].evidence.contains(HEX64), "no secret in the evidence");
        assert_eq!(user_codes(&eps(2, |i| format!("{i:064x}")), None), []);
        assert_eq!(user_codes(&eps(2, |_| String::new()), None), [], "empty tokens are not duplicates");
    }

    #[test]
    fn one_token_in_both_apns_environments_is_one_endpoint_in_the_wrong_one() {
        let mut v = eps(2, |_| HEX64.into());
        v[1].endpoint_type = Some(EndpointType::ApnsSandbox);
        let f = user_findings(&v, None, Timestamp::from_secs(NOW));
        assert_eq!(f.iter().map(|f| f.code).collect::<Vec<_>>(), ["token-in-both-apns-environments"]);
        assert!(f[0].message.contains("wrong environment"), "{f:?}");
        assert!(!f[0].message.contains("twice"), "{f:?}");
        assert!(f[0].evidence.contains("ep-0 (APNS), ep-1 (APNS_SANDBOX)"), "{f:?}");
        assert!(!f[0].evidence.contains(HEX64));
    }

    #[test]
    fn user_expiry_within_30_days() {
        let x = |days_ago: f64, days: i64| UserExpiration {
            days,
            criterion: "CREATED_TIMESTAMP".into(),
            created: Some(Timestamp::from_secs(NOW - days_ago * DAY)),
        };
        use Severity::*;
        assert_eq!(user_codes(&[], Some(&x(10.0, 100))), []);
        assert_eq!(user_codes(&[], Some(&x(69.0, 100))), []);
        assert_eq!(user_codes(&[], Some(&x(70.0, 100))), [("user-expires", Warning)]);
        assert_eq!(user_codes(&[], Some(&x(99.0, 100))), [("user-expires", Warning)]);
        assert_eq!(user_codes(&[], Some(&x(100.0, 100))), [("user-expires", Error)]);
        assert_eq!(user_codes(&[], Some(&x(500.0, 100))), [("user-expires", Error)]);
        let no_created = UserExpiration { created: None, ..x(0.0, 1) };
        assert_eq!(user_codes(&[], Some(&no_created)), []);
    }

    #[test]
    fn expiration_from_the_user_json() {
        let u = serde_json::json!({
            "AppInstanceUserArn": USER, "CreatedTimestamp": 1_700_000_000,
            "ExpirationSettings": {"ExpirationDays": 7, "ExpirationCriterion": "CREATED_TIMESTAMP"}
        });
        let x = UserExpiration::from_user_json(&u).unwrap();
        assert_eq!(x.days, 7);
        assert_eq!(x.created, Some(Timestamp::from_secs(1_700_000_000.0)));
        assert_eq!(UserExpiration::from_user_json(&serde_json::json!({"Name": "n"})), None);
    }

    #[test]
    fn a_summary_shows_only_what_it_holds() {
        let sum =
            |status: EndpointStatus, reason: Option<StatusReason>, allow: AllowMessages| EndpointSummary {
                app_instance_user_arn: Some(USER.into()),
                endpoint_id: Some("ep-1".into()),
                endpoint_type: Some(EndpointType::Gcm),
                allow_messages: Some(allow),
                state: Some(EndpointState { status, reason }),
                ..EndpointSummary::default()
            };
        let codes =
            |s: &EndpointSummary| summary_findings(s).iter().map(|f| f.code.as_str()).collect::<Vec<_>>();
        let active = sum(EndpointStatus::Active, None, AllowMessages::All);
        assert_eq!(
            codes(&active),
            Vec::<&str>::new(),
            "no ResourceArn in a summary: not resource-not-pinpoint"
        );
        assert_eq!(codes(&sum(EndpointStatus::Active, None, AllowMessages::None)), ["messages-off"]);
        let bad = sum(EndpointStatus::Inactive, Some(StatusReason::InvalidDeviceToken), AllowMessages::None);
        assert_eq!(codes(&bad), ["inactive-device-token", "messages-off"]);
        let arn = sum(EndpointStatus::Inactive, Some(StatusReason::InvalidPinpointArn), AllowMessages::All);
        assert_eq!(codes(&arn), ["inactive-pinpoint-arn"]);
        for s in [&active, &bad, &arn] {
            assert!(summary_findings(s).iter().all(|f| f.code.in_rows()));
        }
    }

    #[test]
    fn the_codes_a_row_shows_are_those_the_registry_marks_and_all_of_them_occur() {
        use std::collections::BTreeSet;
        let mut seen = BTreeSet::new();
        let reasons = [None, Some(StatusReason::InvalidDeviceToken), Some(StatusReason::InvalidPinpointArn)];
        for status in [EndpointStatus::Active, EndpointStatus::Inactive] {
            for reason in reasons.clone() {
                for allow in [AllowMessages::All, AllowMessages::None] {
                    let s = EndpointSummary {
                        app_instance_user_arn: Some(USER.into()),
                        endpoint_id: Some("ep-1".into()),
                        endpoint_type: Some(EndpointType::Apns),
                        allow_messages: Some(allow),
                        state: Some(EndpointState { status: status.clone(), reason: reason.clone() }),
                        ..EndpointSummary::default()
                    };
                    for f in summary_findings(&s) {
                        assert!(f.code.in_rows(), "{f:?}");
                        assert!(f.code.severities().contains(&f.severity), "{f:?}");
                        seen.insert(f.code);
                    }
                }
            }
        }
        assert_eq!(seen, Code::in_rows_all().collect::<BTreeSet<_>>());
    }
}
