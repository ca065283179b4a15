//! The doctor's record rules run on a registration before it is sent (the browser's register
//! form as the user types, `chimescope register` before the request): the same checks as
//! [`endpoint_findings`] and [`user_findings`], on the record the registration would make.
//! Pure: no runtime, screen or SDK.

use super::records::{endpoint_findings, user_findings};
use super::{Code, Finding, Severity};
use crate::model::write::Registration;
use crate::model::{AllowMessages, Endpoint, EndpointSummary, Timestamp};

/// What the doctor would find on the endpoint `r` registers, and, when the user's endpoints
/// are known, on the user once it is registered. AllowMessages NONE is the user's choice at
/// registration, not a finding; a user already at the limit makes the registration an error
/// (the service refuses an endpoint over [`super::records::ENDPOINT_LIMIT`]). Errors first.
pub fn registration_findings(r: &Registration, existing: Option<&[EndpointSummary]>) -> Vec<Finding> {
    let ep = Endpoint {
        app_instance_user_arn: Some(r.user_arn.clone()),
        endpoint_type: Some(r.endpoint_type.clone()),
        resource_arn: Some(r.resource_arn.clone()),
        device_token: Some(r.device_token.clone()),
        voip_device_token: r.voip_device_token.clone(),
        allow_messages: Some(r.allow_messages.clone().unwrap_or(AllowMessages::All)),
        ..Endpoint::default()
    };
    // No timestamps: a new record is never stale, whatever the clock says.
    let mut out: Vec<Finding> = endpoint_findings(&ep, Timestamp::from_secs(0.0))
        .into_iter()
        .filter(|f| f.code != Code::MessagesOff)
        .collect();
    if let Some(existing) = existing {
        let records: Vec<Endpoint> = existing
            .iter()
            .map(|s| Endpoint { endpoint_id: s.endpoint_id.clone(), ..Endpoint::default() })
            .collect();
        out.extend(user_findings(&records, None, Timestamp::from_secs(0.0)).into_iter().filter_map(
            |mut f| {
                (f.code == Code::EndpointLimit).then(|| {
                    f.severity = Severity::Error;
                    f.message = format!(
                        "the user has {} endpoints, the most it may have: this registration will fail",
                        records.len()
                    );
                    f
                })
            },
        ));
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// Whether any finding is an error (what `chimescope register` refuses without `--force`).
pub fn has_error(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EndpointType;

    const U: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/a/user/u";
    const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";

    fn reg(kind: EndpointType, token: &str, voip: Option<&str>) -> Registration {
        Registration {
            user_arn: U.into(),
            endpoint_type: kind,
            resource_arn: APP.into(),
            device_token: token.into(),
            voip_device_token: voip.map(str::to_string),
            name: None,
            allow_messages: Some(AllowMessages::None),
            client_request_token: "t1".into(),
        }
    }

    fn codes(f: &[Finding]) -> Vec<(&str, Severity)> {
        f.iter().map(|f| (f.code.as_str(), f.severity)).collect()
    }

    #[test]
    fn the_doctor_rules_run_on_what_would_be_registered() {
        let hex64 = "ab".repeat(32);
        let fcm = format!("dGVzdA:APA91b{}", "x".repeat(150));
        let fcm = fcm.as_str();
        assert!(registration_findings(&reg(EndpointType::Apns, &hex64, None), None).is_empty());
        assert!(registration_findings(&reg(EndpointType::Gcm, fcm, None), None).is_empty());
        let f = registration_findings(&reg(EndpointType::Gcm, &hex64, None), None);
        assert_eq!(codes(&f), [("token-shape", Severity::Error)]);
        assert!(has_error(&f));
        let f = registration_findings(&reg(EndpointType::Gcm, fcm, Some(&hex64)), None);
        assert_eq!(codes(&f), [("voip-token-on-gcm", Severity::Warning)]);
        assert!(!has_error(&f));
        let f = registration_findings(&reg(EndpointType::Apns, &"a".repeat(63), None), None);
        assert_eq!(codes(&f), [("token-shape", Severity::Error)], "odd length");
        let f = registration_findings(&reg(EndpointType::Apns, "abcd", None), None);
        assert_eq!(codes(&f), [("token-shape", Severity::Warning)], "4 hex digits");
        // Never the token in what is said.
        assert!(f.iter().all(|f| !f.to_text().contains("abcd")), "{f:?}");
    }

    #[test]
    fn an_eleventh_endpoint_is_an_error() {
        let hex64 = "ab".repeat(32);
        let summaries = |n: usize| -> Vec<EndpointSummary> {
            (0..n)
                .map(|i| EndpointSummary { endpoint_id: Some(format!("ep-{i}")), ..Default::default() })
                .collect()
        };
        let r = reg(EndpointType::Apns, &hex64, None);
        assert!(registration_findings(&r, Some(&summaries(9))).is_empty(), "the 10th is fine");
        let f = registration_findings(&r, Some(&summaries(10)));
        assert_eq!(codes(&f), [("endpoint-limit", Severity::Error)]);
        assert!(f[0].message.contains("this registration will fail"), "{}", f[0].message);
    }

    /// The fixes of what an update cannot change (a device token, a ResourceArn) name
    /// re-registration, never UpdateAppInstanceUserEndpoint.
    #[test]
    fn fixes_for_a_token_or_resource_arn_name_re_registration() {
        use crate::model::{EndpointState, EndpointStatus, StatusReason};
        let inactive = |reason| Endpoint {
            state: Some(EndpointState { status: EndpointStatus::Inactive, reason: Some(reason) }),
            ..Endpoint::default()
        };
        let old_fcm = Endpoint {
            endpoint_type: Some(EndpointType::Gcm),
            created: Some(Timestamp::from_secs(0.0)),
            last_updated: Some(Timestamp::from_secs(0.0)),
            ..Endpoint::default()
        };
        let now = Timestamp::from_secs(400.0 * 86_400.0);
        let mut seen = Vec::new();
        for ep in
            [inactive(StatusReason::InvalidDeviceToken), inactive(StatusReason::InvalidPinpointArn), old_fcm]
        {
            for f in endpoint_findings(&ep, now) {
                if f.code.reregister() {
                    assert!(!f.fix.contains("UpdateAppInstanceUserEndpoint"), "{}: {}", f.code, f.fix);
                    assert!(
                        f.fix.contains("RegisterAppInstanceUserEndpoint") && f.fix.contains("deregister"),
                        "{}: {}",
                        f.code,
                        f.fix
                    );
                    seen.push(f.code.as_str());
                }
            }
        }
        seen.sort();
        assert_eq!(seen, ["inactive-device-token", "inactive-pinpoint-arn", "stale-fcm-token"]);
    }
}
