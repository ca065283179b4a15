#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The push path's half that the emulator decides without Chime SDK messaging: gates 3 to 6 of a
//! channel message's push to one endpoint (the delivery function, one case per gate and reason:
//! the push log's line and the endpoint's state afterwards), Pinpoint SendMessages through the
//! real SDK (`aws-sdk-pinpoint`) over loopback, the admin API's push outcomes and push log, and
//! that neither the request log nor the push log ever holds a token.

#[path = "common/emu.rs"]
mod emu;
#[path = "common/push.rs"]
mod push;

use aws_sdk_pinpoint as pp;
use chimescope::emulator::push::{Push, deliver};
use chimescope::emulator::{self, Emulator, Store};
use push::*;
use serde_json::{Value, json};

fn store() -> Store {
    Store::from_seed_str(&seed().to_string(), "push seed").unwrap()
}

fn message(voip: bool) -> Push<'static> {
    Push { channel_arn: CHANNEL, message_id: "msg-1", member_arn: USER, voip, now: 1_700_000_000.0 }
}

fn state_of(store: &Store, id: &str) -> Value {
    store.endpoint(USER, id).map(|e| e["EndpointState"].clone()).unwrap_or(Value::Null)
}

/// (endpoint, VoIP, gate, outcome, reason, delivery status, status code, state afterwards)
type Case =
    (&'static str, bool, u8, &'static str, Option<&'static str>, Option<&'static str>, Option<u16>, Value);

#[test]
fn each_gate_and_reason_gives_its_line_and_leaves_the_endpoint_as_the_service_would() {
    let active = json!({"Status": "ACTIVE"});
    let bad_token = json!({"Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN"});
    let cases: [Case; 13] = [
        ("e-muted", false, 3, "SKIPPED", Some("ALLOW_MESSAGES_NONE"), None, None, active.clone()),
        (
            "e-inactive",
            false,
            3,
            "SKIPPED",
            Some("ENDPOINT_INACTIVE"),
            None,
            None,
            json!({"Status": "INACTIVE"}),
        ),
        ("e-gone", false, 3, "SKIPPED", Some("ENDPOINT_NOT_FOUND"), None, None, Value::Null),
        ("e-ok", true, 3, "SKIPPED", Some("NO_VOIP_DEVICE_TOKEN"), None, None, active.clone()),
        (
            "e-noapp",
            false,
            4,
            "FAILED",
            Some("PINPOINT_APP_NOT_FOUND"),
            None,
            None,
            json!({"Status": "INACTIVE", "StatusReason": "INVALID_PINPOINT_ARN"}),
        ),
        (
            "e-nochannel",
            false,
            5,
            "FAILED",
            Some("CHANNEL_NOT_CONFIGURED"),
            Some("PERMANENT_FAILURE"),
            Some(400),
            active.clone(),
        ),
        (
            "e-disabled",
            false,
            5,
            "FAILED",
            Some("CHANNEL_DISABLED"),
            Some("PERMANENT_FAILURE"),
            Some(400),
            active.clone(),
        ),
        ("e-gcm-voip", true, 5, "FAILED", Some("NO_VOIP_CHANNEL"), None, None, active.clone()),
        ("e-ok", false, 6, "SENT", None, Some("SUCCESSFUL"), Some(200), active.clone()),
        ("e-voip", true, 6, "SENT", None, Some("SUCCESSFUL"), Some(200), active.clone()),
        ("e-gcm-voip", false, 6, "SENT", None, Some("SUCCESSFUL"), Some(200), active.clone()),
        (
            "e-unreg",
            false,
            6,
            "FAILED",
            Some("Unregistered"),
            Some("PERMANENT_FAILURE"),
            Some(410),
            bad_token.clone(),
        ),
        (
            "e-shape",
            false,
            6,
            "FAILED",
            Some("INVALID_ARGUMENT"),
            Some("PERMANENT_FAILURE"),
            Some(400),
            bad_token,
        ),
    ];
    let mut store = store();
    for (i, (id, voip, gate, outcome, reason, status, code, after)) in cases.into_iter().enumerate() {
        let line = deliver(&mut store, &message(voip), id);
        let v = serde_json::to_value(&line).unwrap();
        let want = json!({"Seq": i + 1, "Time": 1_700_000_000.0, "ChannelArn": CHANNEL, "MessageId": "msg-1",
            "MemberArn": USER, "EndpointId": id, "Gate": gate, "Outcome": outcome, "Reason": reason,
            "DeliveryStatus": status, "StatusCode": code});
        assert_eq!(v, want, "case {id} (VoIP {voip})");
        assert_eq!(state_of(&store, id), after, "the state of {id} after its push");
    }
    assert_eq!(store.push_log().len(), 13);
    // A deactivated endpoint is not pushed to again: gate 3 stops it.
    let again = deliver(&mut store, &message(false), "e-unreg");
    assert_eq!((again.gate, again.reason.as_deref()), (3, Some("ENDPOINT_INACTIVE")));
}

#[test]
fn the_provider_outcomes_decide_gate_six_and_only_token_rejections_deactivate() {
    // Each outcome set for a token, given to an ACTIVE endpoint of the channel's type.
    let deactivating = [
        "Unregistered",
        "BadDeviceToken",
        "DeviceTokenNotForTopic",
        "INVALID_ARGUMENT",
        "UNREGISTERED",
        "SENDER_ID_MISMATCH",
    ];
    for (i, outcome) in OUTCOMES.iter().enumerate() {
        let (token, channel) = outcome_token(i);
        let kind = if channel == "GCM" { "GCM" } else { "APNS" };
        let mut seed = seed();
        seed["AppInstanceUserEndpoints"] = json!([{"AppInstanceUserArn": USER, "EndpointId": "e", "Type": kind,
            "ResourceArn": app_arn(FULL_APP), "EndpointAttributes": {"DeviceToken": token}, "AllowMessages": "ALL",
            "EndpointState": {"Status": "ACTIVE"}}]);
        let mut store = Store::from_seed_str(&seed.to_string(), "seed").unwrap();
        let line = deliver(&mut store, &message(false), "e");
        assert_eq!((line.gate, line.reason.as_deref()), (6, Some(*outcome)));
        let status = state_of(&store, "e")["Status"].clone();
        let want = if deactivating.contains(outcome) { "INACTIVE" } else { "ACTIVE" };
        assert_eq!(status, want, "{outcome}");
    }
}

async fn start() -> Emulator {
    Emulator::start(emulator::Options { store: store(), ..Default::default() }).await.unwrap()
}

fn sdk(url: &str) -> pp::Client {
    let conf = pp::Config::builder()
        .behavior_version(pp::config::BehaviorVersion::latest())
        .region(pp::config::Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(pp::config::Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .retry_config(pp::config::retry::RetryConfig::standard().with_max_attempts(1))
        .build();
    pp::Client::from_conf(conf)
}

fn request(addresses: &[(String, pp::types::ChannelType)]) -> pp::types::MessageRequest {
    let mut r = pp::types::MessageRequest::builder().message_configuration(
        pp::types::DirectMessageConfiguration::builder()
            .default_push_notification_message(
                pp::types::DefaultPushNotificationMessage::builder().title("t").body("b").build(),
            )
            .build(),
    );
    for (token, channel) in addresses {
        r = r.addresses(
            token,
            pp::types::AddressConfiguration::builder().channel_type(channel.clone()).build(),
        );
    }
    r.build()
}

/// SendMessages to `app` for `addresses`: the per-address results, or the call's error.
async fn send(
    client: &pp::Client,
    app: &str,
    addresses: &[(String, pp::types::ChannelType)],
) -> Result<
    std::collections::HashMap<String, pp::types::MessageResult>,
    pp::operation::send_messages::SendMessagesError,
> {
    let out = client.send_messages().application_id(app).message_request(request(addresses)).send().await;
    let out = out.map_err(|e| e.into_service_error())?;
    Ok(out.message_response().and_then(|r| r.result()).cloned().unwrap_or_default())
}

#[tokio::test]
async fn send_messages_through_the_sdk_gives_each_address_its_result() {
    use pp::types::{ChannelType, DeliveryStatus};
    let emu = start().await;
    let client = sdk(&emu.url());
    let mut addresses: Vec<(String, ChannelType)> = (0..OUTCOMES.len())
        .map(|i| {
            let (t, c) = outcome_token(i);
            (t, if c == "GCM" { ChannelType::Gcm } else { ChannelType::Apns })
        })
        .collect();
    addresses.push((canonical_token(), ChannelType::Gcm));
    addresses.push((hex(1), ChannelType::Apns));
    addresses.push((fcm(1), ChannelType::Apns));
    addresses.push((hex(2), ChannelType::ApnsSandbox));
    addresses.push((hex(3), ChannelType::ApnsVoipSandbox));
    let out =
        client.send_messages().application_id(FULL_APP).message_request(request(&addresses)).send().await;
    let resp = out.unwrap().message_response().cloned().unwrap();
    assert_eq!(resp.application_id(), Some(FULL_APP));
    let result = resp.result().unwrap();
    assert_eq!(result.len(), addresses.len());
    let expected: [(u16, DeliveryStatus); 10] = [
        (410, DeliveryStatus::PermanentFailure),
        (400, DeliveryStatus::PermanentFailure),
        (400, DeliveryStatus::PermanentFailure),
        (403, DeliveryStatus::PermanentFailure),
        (400, DeliveryStatus::PermanentFailure),
        (404, DeliveryStatus::PermanentFailure),
        (403, DeliveryStatus::PermanentFailure),
        (401, DeliveryStatus::PermanentFailure),
        (429, DeliveryStatus::Throttled),
        (503, DeliveryStatus::TemporaryFailure),
    ];
    for (i, (code, status)) in expected.into_iter().enumerate() {
        let r = &result[&outcome_token(i).0];
        assert_eq!(
            (r.status_code(), r.delivery_status()),
            (Some(code as i32), Some(&status)),
            "{}",
            OUTCOMES[i]
        );
        let m: Value = serde_json::from_str(r.status_message().unwrap()).unwrap();
        assert_eq!(m["pushProviderError"], OUTCOMES[i]);
        assert_eq!(m["pushProviderStatusCode"], code.to_string());
        assert!(r.message_id().is_some_and(|id| !id.is_empty()));
    }
    let canonical = &result[&canonical_token()];
    assert_eq!(canonical.delivery_status(), Some(&DeliveryStatus::Successful));
    assert_eq!(canonical.updated_token(), Some(NEW_TOKEN));
    assert_eq!(result[&hex(1)].delivery_status(), Some(&DeliveryStatus::Successful));
    let fcm_on_apns = &result[&fcm(1)];
    assert_eq!(
        (fcm_on_apns.status_code(), fcm_on_apns.delivery_status()),
        (Some(400), Some(&DeliveryStatus::PermanentFailure))
    );
    assert!(fcm_on_apns.status_message().unwrap().contains("\"pushProviderError\":\"BadDeviceToken\""));
    let disabled = &result[&hex(2)];
    assert_eq!(disabled.delivery_status(), Some(&DeliveryStatus::PermanentFailure));
    assert!(disabled.status_message().unwrap().contains("APNS_SANDBOX channel is not enabled"));
    assert!(
        result[&hex(3)].status_message().unwrap().contains("APNS_VOIP_SANDBOX channel is not configured")
    );

    // A missing app is the call's NotFound; an app the caller may not send through is Forbidden.
    let one = [(hex(1), ChannelType::Apns)];
    let e = send(&client, "nope", &one).await.unwrap_err();
    assert!(e.is_not_found_exception());
    let e = send(&client, DENIED_APP, &one).await.unwrap_err();
    assert!(e.is_forbidden_exception(), "{e:?}");
    // More than 100 recipients is the call's BadRequest.
    let many: Vec<(String, ChannelType)> = (0..101u8).map(|n| (fcm(n), ChannelType::Gcm)).collect();
    let e = send(&client, FULL_APP, &many).await.unwrap_err();
    assert!(e.is_bad_request_exception(), "{e:?}");
    assert!(format!("{e:?}").contains("at most 100 recipients"));
}

// The admin helper blocks: the emulator serves on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_outcomes_are_set_by_the_admin_api_and_checked_as_the_seed_is() {
    use pp::types::{ChannelType, DeliveryStatus};
    let emu = start().await;
    let url = emu.url();
    let client = sdk(&url);
    let token = fcm(50);
    let one = [(token.clone(), ChannelType::Gcm)];
    let send = || async { send(&client, GCM_APP, &one).await.unwrap()[&token].clone() };
    assert_eq!(send().await.delivery_status(), Some(&DeliveryStatus::Successful));
    let body = json!({"PushOutcomes": [{"Token": token, "Outcome": "UNREGISTERED"}]}).to_string();
    let (status, answer) = emu::admin(&url, "POST", "push-outcomes", &body);
    assert_eq!((status, answer), (200, json!({"PushOutcomes": 1})));
    let r = send().await;
    assert_eq!((r.delivery_status(), r.status_code()), (Some(&DeliveryStatus::PermanentFailure), Some(404)));
    // A refused list changes nothing and never quotes a token.
    let body = json!({"PushOutcomes": [{"Token": "k", "Outcome": "UNAVAILABLE"}, {"Token": token, "Outcome": "Later"}]});
    let (status, answer) = emu::admin(&url, "POST", "push-outcomes", &body.to_string());
    assert_eq!(status, 400);
    let message = answer["Message"].as_str().unwrap();
    assert!(
        message.contains("entry 1")
            && message.contains("unknown Outcome \"Later\"")
            && !message.contains(&token),
        "{message}"
    );
    assert_eq!(send().await.status_code(), Some(404));
    let (status, _) = emu::admin(&url, "POST", "push-outcomes", "{\"Outcomes\": []}");
    assert_eq!(status, 400);
    // The state document carries them.
    let (_, state) = emu::admin(&url, "GET", "state", "");
    assert_eq!(state["PushOutcomes"], json!([{"Token": token, "Outcome": "UNREGISTERED"}]));
}

// The admin helper blocks: the emulator serves on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_push_log_is_paged_and_filtered_and_no_log_holds_a_token() {
    use pp::types::ChannelType;
    let emu = start().await;
    let url = emu.url();
    let other = "arn:aws:chime:us-east-1:123456789012:app-instance/push/channel/other";
    for id in ["e-ok", "e-unreg", "e-shape", "e-voip", "e-noapp"] {
        emu.deliver_push(&message(false), id).unwrap();
    }
    let second = Push { channel_arn: other, message_id: "msg-2", ..message(true) };
    emu.deliver_push(&second, "e-voip").unwrap();
    let (status, all) = emu::admin(&url, "GET", "pushes", "");
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["Pushes"].as_array().unwrap().len(), 6);
    assert_eq!(all["More"], false);
    let q = |k: &str, v: &str| format!("pushes?{k}={}", v.replace(':', "%3A").replace('/', "%2F"));
    let (_, page) = emu::admin(&url, "GET", &q("channel-arn", other), "");
    let lines = page["Pushes"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0]["MessageId"].as_str(), lines[0]["Outcome"].as_str()), (Some("msg-2"), Some("SENT")));
    let (_, page) = emu::admin(&url, "GET", &q("message-id", "msg-1"), "");
    assert_eq!(page["Pushes"].as_array().unwrap().len(), 5);
    let (_, page) =
        emu::admin(&url, "GET", &q("member-arn", "arn:aws:chime:us-east-1:1:app-instance/x/user/y"), "");
    assert_eq!(page["Pushes"], json!([]));
    let (_, page) = emu::admin(&url, "GET", "pushes?since=2&limit=2", "");
    let seqs: Vec<u64> =
        page["Pushes"].as_array().unwrap().iter().map(|l| l["Seq"].as_u64().unwrap()).collect();
    assert_eq!((seqs, page["NextSince"].as_u64(), page["More"].as_bool()), (vec![3, 4], Some(4), Some(true)));
    let (status, page) = emu::admin(&url, "GET", "pushes?token=x", "");
    assert_eq!(status, 400, "{page}");
    let (status, _) = emu::admin(&url, "GET", "pushes?limit=0", "");
    assert_eq!(status, 400);

    // Send every token through SendMessages too, then look for them in both logs.
    let client = sdk(&url);
    let addresses: Vec<(String, ChannelType)> =
        all_tokens().into_iter().filter(|t| t != NEW_TOKEN).map(|t| (t, ChannelType::Gcm)).collect();
    send(&client, FULL_APP, &addresses).await.unwrap();
    let requests = serde_json::to_string(&emu::requests(&url)).unwrap();
    assert!(requests.contains("SendMessages"), "{requests}");
    let (_, pushes) = emu::admin(&url, "GET", "pushes", "");
    let pushes = pushes.to_string();
    for t in all_tokens() {
        assert!(!requests.contains(&t), "the request log holds a token");
        assert!(!pushes.contains(&t), "the push log holds a token");
    }
    for name in ["device e-ok", "Ana"] {
        assert!(!pushes.contains(name), "the push log holds a name");
    }
}
