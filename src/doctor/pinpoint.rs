//! The findings that need the Pinpoint app: GetApp and the channel the
//! endpoint's Type needs. [`plan`] says what to read for an endpoint, [`fetch`] reads it
//! through any [`PinpointReads`] (the SDK client implements it in `aws/`; the doctor names no
//! runtime), and [`findings`] is a pure function of the answers, table-tested below.

use super::{Code, Finding, Severity, records::pinpoint_arn, sort};
use crate::model::{
    ChannelInfo, Endpoint, EndpointType, ErrorKind, PinpointApp, PinpointChannel, ServiceError, Timestamp,
    escape_control, parse_user_arn,
};
use std::future::Future;

/// The IAM actions the Pinpoint checks need.
pub const IAM_ACTIONS: &str = "mobiletargeting:GetApp, mobiletargeting:Get*Channel";

/// What to read for one endpoint: the app (by its ARN's region and ID) and its channels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub app_arn: String,
    pub region: String,
    pub app_id: String,
    pub channels: Vec<PinpointChannel>,
}

/// What to read, or None when nothing can be: the ResourceArn is no Pinpoint app ARN
/// (`resource-not-pinpoint` says so), or the app is in another account than the user's (its
/// reads would go to the caller's account, where the app is not: `resource-account-mismatch`
/// says so). The channel follows the Type; a VoipDeviceToken on an APNs endpoint also needs
/// the VoIP channel of the same environment.
pub fn plan(ep: &Endpoint) -> Option<Plan> {
    let arn = ep.resource_arn.as_deref()?;
    let (_, region, account, id) = pinpoint_arn(arn)?;
    if let Some(user) = ep.app_instance_user_arn.as_deref().and_then(|a| parse_user_arn(a).ok())
        && user.arn.account != account
    {
        return None;
    }
    let voip = ep.voip_device_token.as_deref().is_some_and(|v| !v.is_empty());
    let channels = match &ep.endpoint_type {
        Some(EndpointType::Apns) if voip => vec![PinpointChannel::Apns, PinpointChannel::ApnsVoip],
        Some(EndpointType::Apns) => vec![PinpointChannel::Apns],
        Some(EndpointType::ApnsSandbox) if voip => {
            vec![PinpointChannel::ApnsSandbox, PinpointChannel::ApnsVoipSandbox]
        }
        Some(EndpointType::ApnsSandbox) => vec![PinpointChannel::ApnsSandbox],
        Some(EndpointType::Gcm) => vec![PinpointChannel::Gcm],
        _ => Vec::new(),
    };
    Some(Plan { app_arn: arn.to_string(), region: region.to_string(), app_id: id.to_string(), channels })
}

/// The Pinpoint reads, by whoever can make them.
pub trait PinpointReads {
    fn get_app(
        &self,
        region: &str,
        app_id: &str,
    ) -> impl Future<Output = Result<PinpointApp, ServiceError>> + Send;
    fn get_channel(
        &self,
        region: &str,
        app_id: &str,
        channel: PinpointChannel,
    ) -> impl Future<Output = Result<ChannelInfo, ServiceError>> + Send;
}

/// The answers for one plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Answers {
    pub plan: Plan,
    pub app: Result<PinpointApp, ServiceError>,
    /// Empty when GetApp failed (the channels of a missing app are not asked for).
    pub channels: Vec<(PinpointChannel, Result<ChannelInfo, ServiceError>)>,
}

/// Read the plan: GetApp, then (when the app answered, or failed for another reason than
/// NotFound) each channel.
pub async fn fetch(reads: &impl PinpointReads, plan: Plan) -> Answers {
    let app = reads.get_app(&plan.region, &plan.app_id).await;
    let mut channels = Vec::new();
    if !matches!(&app, Err(e) if e.kind == ErrorKind::NotFound) {
        for c in &plan.channels {
            channels.push((*c, reads.get_channel(&plan.region, &plan.app_id, *c).await));
        }
    }
    Answers { plan, app, channels }
}

fn failure(op: &str, e: &ServiceError) -> String {
    let status = e.http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
    format!("{op}: {}{status}: {}", escape_control(&e.exception), escape_control(&e.message))
}

/// The findings from the Pinpoint answers, errors first. A problem with the VoIP channel is a
/// warning (the endpoint's other pushes still arrive); with the Type's channel an error.
pub fn findings(answers: &Answers) -> Vec<Finding> {
    findings_at(answers, Timestamp::now())
}

/// [`findings`] as of `now` (a certificate's age counts from it).
pub fn findings_at(answers: &Answers, now: Timestamp) -> Vec<Finding> {
    let mut out = Vec::new();
    let arn = escape_control(&answers.plan.app_arn).into_owned();
    let mut failed: Vec<(String, &ServiceError)> = Vec::new();
    match &answers.app {
        Err(e) if e.kind == ErrorKind::NotFound => out.push(Finding::new(
            Code::PinpointAppMissing,
            "the AWS End User Messaging push (Pinpoint API) app that ResourceArn names does not exist (GetApp: NotFound)".into(),
            format!(
                "ResourceArn: {arn}; GetApp in {}: {}",
                answers.plan.region,
                escape_control(&e.exception)
            ),
        )),
        Err(e) => failed.push(("GetApp".into(), e)),
        Ok(_) => {}
    }
    for (c, answer) in &answers.channels {
        let (severity, what) =
            if c.is_voip() { (Severity::Warning, "VoIP pushes") } else { (Severity::Error, "pushes") };
        let name = c.label();
        match answer {
            Err(e) if e.kind == ErrorKind::NotFound => out.push(
                Finding::new(
                    Code::PinpointChannelMissing,
                    format!(
                        "the AWS End User Messaging push (Pinpoint API) app has no {name} channel: {what} to this endpoint will not arrive"
                    ),
                    format!("ResourceArn: {arn}; {}: NotFound", c.operation()),
                )
                .graded(severity)
                .fixing(format!(
                    "configure the app's {name} channel with Update{}Channel (AWS End User Messaging push, Pinpoint API)",
                    channel_api(*c)
                )),
            ),
            Err(e) => failed.push((c.operation().to_string(), e)),
            Ok(ch) => channel(*c, ch, severity, what, &arn, now, &mut out),
        }
    }
    if !failed.is_empty() {
        let forbidden = failed.iter().any(|(_, e)| e.kind == ErrorKind::Forbidden);
        let ops: Vec<&str> = failed.iter().map(|(o, _)| o.as_str()).collect();
        let actions: Vec<String> = ops.iter().map(|o| format!("mobiletargeting:{o}")).collect();
        let why = if forbidden { "the caller may not read it" } else { "its reads failed" };
        let found = Finding::new(
            Code::PinpointUnreachable,
            format!("the AWS End User Messaging push (Pinpoint API) app could not be fully checked: {why}"),
            failed.iter().map(|(o, e)| failure(o, e)).collect::<Vec<_>>().join("; "),
        );
        out.push(if forbidden {
            found.fixing(format!(
                "allow {IAM_ACTIONS} (here: {}) on {arn} and its channels ({arn}/channels/*) to the caller",
                actions.join(", ")
            ))
        } else {
            found
        });
    }
    sort(&mut out);
    out
}

fn channel_api(c: PinpointChannel) -> &'static str {
    match c {
        PinpointChannel::Apns => "Apns",
        PinpointChannel::ApnsSandbox => "ApnsSandbox",
        PinpointChannel::ApnsVoip => "ApnsVoip",
        PinpointChannel::ApnsVoipSandbox => "ApnsVoipSandbox",
        PinpointChannel::Gcm => "Gcm",
    }
}

fn channel(
    c: PinpointChannel,
    ch: &ChannelInfo,
    severity: Severity,
    what: &str,
    arn: &str,
    now: Timestamp,
    out: &mut Vec<Finding>,
) {
    let name = c.label();
    if ch.enabled == Some(false) {
        out.push(
            Finding::new(
                Code::PinpointChannelDisabled,
                format!("the app's {name} channel is disabled: {what} to this endpoint will not arrive"),
                format!("ResourceArn: {arn}; {name} channel: Enabled false"),
            )
            .graded(severity)
            .fixing(format!("enable the {name} channel (Update{}Channel with Enabled true)", channel_api(c))),
        );
    }
    if ch.is_archived == Some(true) {
        out.push(
            Finding::new(
                Code::PinpointChannelArchived,
                format!("the app's {name} channel is archived: {what} to this endpoint will not arrive"),
                format!("ResourceArn: {arn}; {name} channel: IsArchived true"),
            )
            .graded(severity)
            .fixing(format!(
                "configure the {name} channel again (Update{}Channel), or deregister the endpoint and register its token with a ResourceArn naming an app whose channel is live",
                channel_api(c)
            )),
        );
    }
    let method =
        |m: &str| ch.default_authentication_method.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(m));
    if c == PinpointChannel::Gcm && method("KEY") {
        if ch.has_fcm_service_credentials == Some(true) {
            // The credentials are there, but the channel still sends with the key by default.
            out.push(Finding::new(
                Code::PinpointFcmKeyDefault,
                "the GCM channel has FCM service credentials, but DefaultAuthenticationMethod is still KEY: pushes go the legacy way, which Google shut down".into(),
                format!("ResourceArn: {arn}; GCM channel: DefaultAuthenticationMethod KEY, HasFcmServiceCredentials true"),
            ));
        } else {
            out.push(Finding::new(
                Code::PinpointGcmLegacyKey,
                "the GCM channel authenticates with a legacy FCM server key: Google shut the legacy API down in 2024".into(),
                format!(
                    "ResourceArn: {arn}; GCM channel: DefaultAuthenticationMethod KEY, HasFcmServiceCredentials {}",
                    ch.has_fcm_service_credentials.map_or("absent", |b| if b { "true" } else { "false" })
                ),
            ));
        }
    }
    if c != PinpointChannel::Gcm
        && method("CERTIFICATE")
        && let Some(t) = ch.last_modified
        && now.as_secs_f64() - t.as_secs_f64() >= CERTIFICATE_WARN_DAYS * 86_400.0
    {
        let days = ((now.as_secs_f64() - t.as_secs_f64()) / 86_400.0).floor();
        out.push(
            Finding::new(
                Code::PinpointApnsCertificateOld,
                format!(
                    "the {name} channel authenticates with a certificate and was last modified {days} days ago: APNs certificates expire after a year"
                ),
                format!("ResourceArn: {arn}; {name} channel: DefaultAuthenticationMethod CERTIFICATE, LastModifiedDate {}", t.rfc3339()),
            )
            .fixing(format!(
                "check the certificate's expiry; upload a new one, or switch to token authentication (a .p8 key, which does not expire) with Update{}Channel",
                channel_api(c)
            )),
        );
    }
}

/// An APNs channel on certificate auth last modified this many days ago or more is warned about:
/// a month before a certificate uploaded then expires.
pub const CERTIFICATE_WARN_DAYS: f64 = 335.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AllowMessages, EndpointState, EndpointStatus};

    const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";
    const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const TOKEN_SECRET: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    fn ep(kind: &str, voip: bool) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(USER.into()),
            endpoint_id: Some("ep-1".into()),
            endpoint_type: Some(EndpointType::parse(kind)),
            resource_arn: Some(APP.into()),
            device_token: Some(TOKEN_SECRET.into()),
            voip_device_token: voip.then(|| TOKEN_SECRET.to_string()),
            allow_messages: Some(AllowMessages::All),
            state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
            ..Endpoint::default()
        }
    }

    #[test]
    fn the_plan_follows_the_type_and_the_voip_token() {
        use PinpointChannel::*;
        let cases: [(&str, bool, Vec<PinpointChannel>); 6] = [
            ("APNS", false, vec![Apns]),
            ("APNS", true, vec![Apns, ApnsVoip]),
            ("APNS_SANDBOX", false, vec![ApnsSandbox]),
            ("APNS_SANDBOX", true, vec![ApnsSandbox, ApnsVoipSandbox]),
            ("GCM", false, vec![Gcm]),
            // VoIP is APNs only: voip-token-on-gcm says so; no VoIP channel is read.
            ("GCM", true, vec![Gcm]),
        ];
        for (kind, voip, want) in cases {
            let p = plan(&ep(kind, voip)).unwrap();
            assert_eq!(p.channels, want, "{kind} voip={voip}");
            assert_eq!(
                (p.region.as_str(), p.app_id.as_str()),
                ("us-east-1", "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
            );
        }
        let mut other = ep("APNS", false);
        other.resource_arn = Some("arn:aws:sns:us-east-1:123456789012:app/APNS/x".into());
        assert_eq!(plan(&other), None, "not a Pinpoint ARN");
        other.resource_arn = Some(APP.replace("123456789012", "210987654321"));
        assert_eq!(plan(&other), None, "another account's app cannot be read");
        other.resource_arn = Some(APP.replace("us-east-1", "eu-west-1"));
        assert_eq!(plan(&other).unwrap().region, "eu-west-1", "another region is read there");
    }

    fn err(kind: ErrorKind, exception: &str, status: u16) -> ServiceError {
        ServiceError {
            exception: exception.into(),
            http_status: Some(status),
            ..ServiceError::new(kind, "msg", "GetApp")
        }
    }

    fn ok_channel() -> ChannelInfo {
        ChannelInfo {
            enabled: Some(true),
            is_archived: Some(false),
            default_authentication_method: Some("TOKEN".into()),
            has_token_key: Some(true),
            has_fcm_service_credentials: Some(true),
            ..ChannelInfo::default()
        }
    }

    fn answers(
        kind: &str,
        voip: bool,
        app: Result<PinpointApp, ServiceError>,
        ch: impl Fn(PinpointChannel) -> Result<ChannelInfo, ServiceError>,
    ) -> Answers {
        let plan = plan(&ep(kind, voip)).unwrap();
        let channels = if matches!(&app, Err(e) if e.kind == ErrorKind::NotFound) {
            Vec::new()
        } else {
            plan.channels.iter().map(|c| (*c, ch(*c))).collect()
        };
        Answers { plan, app, channels }
    }

    fn codes(a: &Answers) -> Vec<(&'static str, Severity)> {
        let found = findings(a);
        for f in &found {
            assert!(
                f.code.severities().contains(&f.severity),
                "a severity the registry does not list: {f:?}"
            );
        }
        found.iter().map(|f| (f.code.as_str(), f.severity)).collect()
    }

    #[test]
    fn each_rule_with_its_boundaries() {
        use Severity::*;
        let app = || Ok(PinpointApp::default());
        let nf = || err(ErrorKind::NotFound, "NotFoundException", 404);
        let with = |f: fn(&mut ChannelInfo)| {
            move |_| {
                let mut c = ok_channel();
                f(&mut c);
                Ok(c)
            }
        };
        type Case = (&'static str, Answers, Vec<(&'static str, Severity)>);
        let cases: Vec<Case> = vec![
            ("healthy APNS", answers("APNS", false, app(), |_| Ok(ok_channel())), vec![]),
            ("healthy GCM", answers("GCM", false, app(), |_| Ok(ok_channel())), vec![]),
            (
                "app missing",
                answers("GCM", false, Err(nf()), |_| Ok(ok_channel())),
                vec![("pinpoint-app-missing", Error)],
            ),
            (
                "channel missing",
                answers("APNS", false, app(), |_| Err(nf())),
                vec![("pinpoint-channel-missing", Error)],
            ),
            (
                "VoIP channel missing: a warning",
                answers(
                    "APNS_SANDBOX",
                    true,
                    app(),
                    |c| if c.is_voip() { Err(nf()) } else { Ok(ok_channel()) },
                ),
                vec![("pinpoint-channel-missing", Warning)],
            ),
            (
                "disabled",
                answers("APNS", false, app(), with(|c| c.enabled = Some(false))),
                vec![("pinpoint-channel-disabled", Error)],
            ),
            (
                "Enabled absent is not disabled",
                answers("APNS", false, app(), with(|c| c.enabled = None)),
                vec![],
            ),
            (
                "archived",
                answers("GCM", false, app(), with(|c| c.is_archived = Some(true))),
                vec![("pinpoint-channel-archived", Error)],
            ),
            (
                "disabled and archived",
                answers(
                    "APNS",
                    false,
                    app(),
                    with(|c| {
                        c.enabled = Some(false);
                        c.is_archived = Some(true);
                    }),
                ),
                vec![("pinpoint-channel-disabled", Error), ("pinpoint-channel-archived", Error)],
            ),
            (
                "legacy key",
                answers(
                    "GCM",
                    false,
                    app(),
                    with(|c| {
                        c.default_authentication_method = Some("KEY".into());
                        c.has_fcm_service_credentials = Some(false);
                    }),
                ),
                vec![("pinpoint-gcm-legacy-key", Error)],
            ),
            (
                "legacy key, credentials absent",
                answers(
                    "GCM",
                    false,
                    app(),
                    with(|c| {
                        c.default_authentication_method = Some("KEY".into());
                        c.has_fcm_service_credentials = None;
                    }),
                ),
                vec![("pinpoint-gcm-legacy-key", Error)],
            ),
            (
                "KEY but FCM credentials too: uploaded, still not the default",
                answers("GCM", false, app(), with(|c| c.default_authentication_method = Some("KEY".into()))),
                vec![("pinpoint-fcm-key-default", Error)],
            ),
            (
                "KEY on an APNs channel is not the GCM rule",
                answers(
                    "APNS",
                    false,
                    app(),
                    with(|c| {
                        c.default_authentication_method = Some("KEY".into());
                        c.has_fcm_service_credentials = None;
                    }),
                ),
                vec![],
            ),
            (
                "forbidden GetApp, channels answer",
                answers(
                    "APNS",
                    false,
                    Err(err(ErrorKind::Forbidden, "ForbiddenException", 403)),
                    with(|c| c.enabled = Some(false)),
                ),
                vec![("pinpoint-channel-disabled", Error), ("pinpoint-unreachable", Warning)],
            ),
            (
                "throttled channel",
                answers("GCM", false, app(), |_| {
                    Err(err(ErrorKind::Throttled, "TooManyRequestsException", 429))
                }),
                vec![("pinpoint-unreachable", Warning)],
            ),
        ];
        for (name, a, want) in cases {
            assert_eq!(codes(&a), want, "{name}");
        }
    }

    #[test]
    fn an_apns_certificate_channel_modified_about_a_year_ago_is_a_warning() {
        let now = Timestamp::from_secs(1_800_000_000.0);
        let days_ago = |d: f64| Timestamp::from_secs(1_800_000_000.0 - d * 86_400.0);
        let cert = |d: f64, method: &'static str| {
            move |_| {
                Ok(ChannelInfo {
                    default_authentication_method: Some(method.into()),
                    last_modified: Some(days_ago(d)),
                    ..ok_channel()
                })
            }
        };
        let app = || Ok(PinpointApp::default());
        let codes_at = |a: &Answers| {
            findings_at(a, now).iter().map(|f| (f.code.as_str(), f.severity)).collect::<Vec<_>>()
        };
        let old = answers("APNS", false, app(), cert(400.0, "CERTIFICATE"));
        assert_eq!(codes_at(&old), [("pinpoint-apns-certificate-old", Severity::Warning)]);
        assert!(findings_at(&old, now)[0].message.contains("last modified 400 days ago"));
        assert!(findings_at(&old, now)[0].fix.contains("UpdateApnsChannel"));
        assert_eq!(codes_at(&answers("APNS_SANDBOX", false, app(), cert(335.0, "CERTIFICATE"))).len(), 1);
        assert!(codes_at(&answers("APNS", false, app(), cert(334.0, "CERTIFICATE"))).is_empty(), "recent");
        assert!(
            codes_at(&answers("APNS", false, app(), cert(900.0, "TOKEN"))).is_empty(),
            "a .p8 key does not expire"
        );
    }

    #[test]
    fn unreachable_names_the_iam_actions_and_every_failed_read() {
        let forbidden = err(ErrorKind::Forbidden, "ForbiddenException", 403);
        let a = answers("APNS", true, Err(forbidden.clone()), |_| Err(forbidden.clone()));
        let f = findings(&a);
        assert_eq!(f.len(), 1);
        let f = &f[0];
        assert_eq!(f.code, "pinpoint-unreachable");
        assert!(f.fix.contains("mobiletargeting:GetApp, mobiletargeting:Get*Channel"), "{}", f.fix);
        assert!(f.fix.contains("mobiletargeting:GetApnsVoipChannel"), "{}", f.fix);
        assert_eq!(
            f.evidence,
            "GetApp: ForbiddenException (HTTP 403): msg; GetApnsChannel: ForbiddenException (HTTP 403): msg; GetApnsVoipChannel: ForbiddenException (HTTP 403): msg"
        );
        let throttled = err(ErrorKind::Throttled, "TooManyRequestsException", 429);
        let a = answers("GCM", false, Err(throttled), |_| Ok(ok_channel()));
        let f = &findings(&a)[0];
        assert!(f.fix.starts_with("retry later"), "{}", f.fix);
        assert!(!f.fix.contains("allow"), "{}", f.fix);
    }

    #[test]
    fn evidence_never_shows_a_secret() {
        let nf = err(ErrorKind::NotFound, "NotFoundException", 404);
        for a in [
            answers("APNS", true, Ok(PinpointApp::default()), |_| Err(nf.clone())),
            answers("GCM", false, Err(nf.clone()), |_| Ok(ok_channel())),
        ] {
            for f in findings(&a) {
                assert!(!f.to_text().contains(TOKEN_SECRET), "{}", f.to_text());
            }
        }
    }

    struct Fake {
        app: Result<PinpointApp, ServiceError>,
        asked: std::sync::Mutex<Vec<String>>,
    }

    impl PinpointReads for Fake {
        fn get_app(
            &self,
            region: &str,
            app_id: &str,
        ) -> impl Future<Output = Result<PinpointApp, ServiceError>> + Send {
            self.asked.lock().unwrap().push(format!("GetApp {region} {app_id}"));
            std::future::ready(self.app.clone())
        }
        fn get_channel(
            &self,
            region: &str,
            _app_id: &str,
            channel: PinpointChannel,
        ) -> impl Future<Output = Result<ChannelInfo, ServiceError>> + Send {
            self.asked.lock().unwrap().push(format!("{} {region}", channel.operation()));
            std::future::ready(Ok(ok_channel()))
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        // The futures here are ready at once: poll once with a no-op waker.
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("not ready"),
        }
    }

    #[test]
    fn fetch_reads_the_app_then_the_planned_channels_and_not_those_of_a_missing_app() {
        let fake = Fake { app: Ok(PinpointApp::default()), asked: Default::default() };
        let a = block_on(fetch(&fake, plan(&ep("APNS_SANDBOX", true)).unwrap()));
        assert_eq!(a.channels.len(), 2);
        assert_eq!(
            *fake.asked.lock().unwrap(),
            [
                "GetApp us-east-1 0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                "GetApnsSandboxChannel us-east-1",
                "GetApnsVoipSandboxChannel us-east-1"
            ]
        );
        let fake =
            Fake { app: Err(err(ErrorKind::NotFound, "NotFoundException", 404)), asked: Default::default() };
        let a = block_on(fetch(&fake, plan(&ep("GCM", false)).unwrap()));
        assert!(a.channels.is_empty());
        assert_eq!(fake.asked.lock().unwrap().len(), 1);
    }
}
