#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `aws pinpoint send-messages` (the AWS CLI, generated from the same model by other people)
//! against the emulator: every provider outcome a token can be given, the shape rules, a missing
//! or disabled channel, and every error of the call (NotFound, Forbidden, BadRequest) as the
//! CLI's service errors.

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;
#[path = "common/push.rs"]
mod push;

use emu::EmuProc;
use push::*;
use serde_json::{Value, json};
use std::process::Output;

fn start() -> (EmuProc, tempfile::TempDir) {
    start_with(&seed())
}

fn send(cli: &std::path::Path, url: &str, home: &std::path::Path, app: &str, request: &Value) -> Output {
    let file = home.join("request.json");
    std::fs::write(&file, request.to_string()).unwrap();
    awscli::command_for(cli, "pinpoint", url, "AKIDTEST", "secret", home)
        .args(["send-messages", "--application-id", app, "--message-request"])
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap()
}

fn request(addresses: &[(String, &str)]) -> Value {
    let addresses: serde_json::Map<String, Value> =
        addresses.iter().map(|(t, c)| (t.clone(), json!({"ChannelType": c}))).collect();
    json!({"Addresses": addresses,
           "MessageConfiguration": {"DefaultPushNotificationMessage": {"Title": "Hi", "Body": "A test"}}})
}

fn result_of(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["MessageResponse"]["Result"].clone()
}

#[test]
fn every_outcome_and_shape_rule_is_the_cli_s_per_address_result() {
    let Some(cli) = awscli::find() else { return };
    let (emu, home) = start();
    let mut addresses: Vec<(String, &str)> = (0..OUTCOMES.len()).map(outcome_token).collect();
    addresses.extend([
        (canonical_token(), "GCM"),
        (hex(1), "APNS"),
        (fcm(1), "GCM"),
        (fcm(2), "APNS"),
        (hex(2), "GCM"),
        (hex(3), "APNS_SANDBOX"),
        (hex(4), "APNS_VOIP"),
    ]);
    let result = result_of(&send(&cli, &emu.url, home.path(), FULL_APP, &request(&addresses)));
    let codes = [410, 400, 400, 403, 400, 404, 403, 401, 429, 503];
    for (i, code) in codes.into_iter().enumerate() {
        let (token, channel) = outcome_token(i);
        let r = &result[&token];
        let status = match OUTCOMES[i] {
            "QUOTA_EXCEEDED" => "THROTTLED",
            "UNAVAILABLE" => "TEMPORARY_FAILURE",
            _ => "PERMANENT_FAILURE",
        };
        assert_eq!(
            (&r["DeliveryStatus"], &r["StatusCode"]),
            (&json!(status), &json!(code)),
            "{}",
            OUTCOMES[i]
        );
        let m: Value = serde_json::from_str(r["StatusMessage"].as_str().unwrap()).unwrap();
        assert_eq!(m["channelType"], channel);
        assert_eq!(m["pushProviderError"], OUTCOMES[i]);
        assert_eq!(m["pushProviderStatusCode"], code.to_string());
        assert!(r.get("UpdatedToken").is_none());
    }
    assert_eq!(result[canonical_token()]["DeliveryStatus"], "SUCCESSFUL");
    assert_eq!(result[canonical_token()]["UpdatedToken"], NEW_TOKEN);
    for t in [hex(1), fcm(1), hex(4)] {
        assert_eq!(
            (&result[&t]["DeliveryStatus"], &result[&t]["StatusCode"]),
            (&json!("SUCCESSFUL"), &json!(200))
        );
    }
    let other = |t: &str, error: &str| {
        let m: Value = serde_json::from_str(result[t]["StatusMessage"].as_str().unwrap()).unwrap();
        assert_eq!(
            (result[t]["DeliveryStatus"].as_str(), m["pushProviderError"].as_str()),
            (Some("PERMANENT_FAILURE"), Some(error))
        );
    };
    other(&fcm(2), "BadDeviceToken");
    other(&hex(2), "INVALID_ARGUMENT");
    let disabled = &result[hex(3)];
    assert_eq!(
        (&disabled["DeliveryStatus"], &disabled["StatusCode"]),
        (&json!("PERMANENT_FAILURE"), &json!(400))
    );
    assert!(disabled["StatusMessage"].as_str().unwrap().contains("APNS_SANDBOX channel is not enabled"));

    // A channel that is missing, disabled or archived gets Pinpoint's answer, no provider asked.
    let result = result_of(&send(&cli, &emu.url, home.path(), GCM_APP, &request(&[(hex(1), "APNS")])));
    assert!(result[hex(1)]["StatusMessage"].as_str().unwrap().contains("APNS channel is not configured"));
    let result = result_of(&send(&cli, &emu.url, home.path(), DISABLED_APP, &request(&[(fcm(1), "GCM")])));
    assert!(result[fcm(1)]["StatusMessage"].as_str().unwrap().contains("GCM channel is not enabled"));
}

#[test]
fn the_call_s_errors_are_service_errors_the_cli_names() {
    let Some(cli) = awscli::find() else { return };
    let (emu, home) = start();
    let one = request(&[(hex(1), "APNS")]);
    let many: Vec<(String, &str)> = (0..101u8).map(|n| (fcm(n), "GCM")).collect();
    let mut endpoints_and_addresses = request(&(0..60u8).map(|n| (fcm(n), "GCM")).collect::<Vec<_>>());
    endpoints_and_addresses["Endpoints"] = (0..41).map(|n| (format!("ep{n}"), json!({}))).collect();
    let cases: [(&str, Value, &str, &str); 8] = [
        ("nope", one.clone(), "NotFoundException", "Application not found"),
        (DENIED_APP, one.clone(), "ForbiddenException", "mobiletargeting:SendMessages"),
        (FULL_APP, request(&many), "BadRequestException", "at most 100 recipients"),
        (FULL_APP, endpoints_and_addresses, "BadRequestException", "not 101"),
        (
            FULL_APP,
            request(&[(hex(1), "SMS")]),
            "BadRequestException",
            "not served by the chimescope emulator",
        ),
        (
            FULL_APP,
            json!({"Addresses": {"x": {}}, "MessageConfiguration": {}}),
            "BadRequestException",
            "needs a ChannelType",
        ),
        (
            FULL_APP,
            json!({"Addresses": {"x": {"ChannelType": "APNS"}}, "MessageConfiguration": {"GCMMessage": {}}}),
            "BadRequestException",
            "no message for the APNS channel",
        ),
        (
            FULL_APP,
            json!({"Addresses": {}, "MessageConfiguration": {}}),
            "BadRequestException",
            "at least one recipient",
        ),
    ];
    for (app, body, exception, words) in cases {
        let out = send(&cli, &emu.url, home.path(), app, &body);
        let err = String::from_utf8_lossy(&out.stderr);
        // AWS CLI v2 exits 254 on a service error, v1 (the one on PyPI) 255.
        assert!(matches!(out.status.code(), Some(254 | 255)), "{app} {body}: {err}");
        assert!(
            err.contains(&format!("An error occurred ({exception})")) && err.contains(words),
            "{words}: {err}"
        );
        assert!(!err.contains(&hex(1)), "a token in an error: {err}");
    }
    // An endpoint ID: the emulator keeps no Pinpoint endpoints, so it is answered as not found.
    let out = send(
        &cli,
        &emu.url,
        home.path(),
        FULL_APP,
        &json!({"Endpoints": {"ep1": {}},
        "MessageConfiguration": {"GCMMessage": {"Body": "b"}}}),
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["MessageResponse"]["EndpointResult"]["ep1"]["StatusCode"], 404);
}

/// The Rust SDK's per-address results as JSON in the wire's member names (no `MessageId`: it is
/// new on every send).
fn sdk_results(
    result: &std::collections::HashMap<String, aws_sdk_pinpoint::types::MessageResult>,
) -> serde_json::Map<String, Value> {
    result
        .iter()
        .map(|(token, r)| {
            let v = json!({
                "DeliveryStatus": r.delivery_status().map(|s| s.as_str().to_string()),
                "StatusCode": r.status_code(),
                "StatusMessage": r.status_message(),
                "UpdatedToken": r.updated_token(),
            });
            (token.clone(), v)
        })
        .collect()
}

#[tokio::test]
async fn the_cli_and_the_rust_sdk_get_the_same_result_for_each_token() {
    use aws_sdk_pinpoint as pp;
    let Some(cli) = awscli::find() else { return };
    let (emu, home) = start();
    let mut addresses: Vec<(String, &str)> = (0..OUTCOMES.len()).map(outcome_token).collect();
    addresses.extend([
        (canonical_token(), "GCM"),
        (hex(1), "APNS"),
        (fcm(2), "APNS"),
        (hex(2), "GCM"),
        (hex(3), "APNS_SANDBOX"),
        (hex(5), "APNS_VOIP_SANDBOX"),
    ]);
    let by_cli = result_of(&send(&cli, &emu.url, home.path(), FULL_APP, &request(&addresses)));

    let conf = pp::Config::builder()
        .behavior_version(pp::config::BehaviorVersion::latest())
        .region(pp::config::Region::new("us-east-1"))
        .endpoint_url(&emu.url)
        .credentials_provider(pp::config::Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .retry_config(pp::config::retry::RetryConfig::disabled())
        .build();
    let client = pp::Client::from_conf(conf);
    let mut req = pp::types::MessageRequest::builder().message_configuration(
        pp::types::DirectMessageConfiguration::builder()
            .default_push_notification_message(
                pp::types::DefaultPushNotificationMessage::builder().title("Hi").body("A test").build(),
            )
            .build(),
    );
    for (token, channel) in &addresses {
        req = req.addresses(
            token,
            pp::types::AddressConfiguration::builder()
                .channel_type(pp::types::ChannelType::from(*channel))
                .build(),
        );
    }
    let out =
        client.send_messages().application_id(FULL_APP).message_request(req.build()).send().await.unwrap();
    let by_sdk = sdk_results(out.message_response().unwrap().result().unwrap());

    assert_eq!(by_sdk.len(), addresses.len());
    for (token, channel) in &addresses {
        let cli = &by_cli[token];
        let sdk = &by_sdk[token];
        for k in ["DeliveryStatus", "StatusCode", "StatusMessage", "UpdatedToken"] {
            let c = cli.get(k).cloned().unwrap_or(Value::Null);
            assert_eq!(c, sdk[k], "{k} of a token on {channel}");
        }
        assert!(cli["MessageId"].as_str().is_some_and(|id| !id.is_empty()));
    }
    // The cases differ from one another: the comparison is not of empty answers.
    let statuses: std::collections::BTreeSet<String> =
        by_sdk.values().map(|v| v["DeliveryStatus"].as_str().unwrap().to_string()).collect();
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        ["PERMANENT_FAILURE", "SUCCESSFUL", "TEMPORARY_FAILURE", "THROTTLED"]
    );
}
