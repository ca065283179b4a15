#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The whole push path through the wire: channel messages sent with the Rust SDK
//! (`aws-sdk-chimesdkmessaging` SendChannelMessage) to a channel whose every member is one case
//! of one gate, then the push log (`GET /_chimescope/pushes`) and each member's endpoint
//! (`aws-sdk-chimesdkidentity` DescribeAppInstanceUserEndpoint) read back: one case per gate and
//! reason. Every filter-rule example of the documentation, set with
//! PutChannelMembershipPreferences and decided on a message sent. The request log and the push
//! log never hold a token, and the push log never a name or the message's text.

#[path = "common/emu.rs"]
mod emu;
#[path = "common/push.rs"]
mod push;
#[path = "common/sdk.rs"]
mod sdk;

use aws_sdk_chimesdkidentity as identity;
use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::types::{
    AllowNotifications, ChannelMembershipPreferences, ChannelMessagePersistenceType, ChannelMessageType,
    MessageAttributeValue, PushNotificationConfiguration, PushNotificationPreferences, PushNotificationType,
    Target,
};
use chimescope::emulator::{self, Emulator, Store};
use push::{FULL_APP, GCM_APP, INSTANCE, app_arn, fcm, hex};
use serde_json::{Value, json};

const CHANNEL: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/push/channel/gates";
const SECRET_TEXT: &str = "the quarterly numbers are in";
const SECRET_TITLE: &str = "Finance room";
const SECRET_BODY: &str = "You have a new message about numbers";

fn user(id: &str) -> String {
    format!("{INSTANCE}/user/{id}")
}

/// A token given an outcome by the seed.
fn unreg_token() -> String {
    hex(200)
}
fn unavailable_token() -> String {
    fcm(201)
}
fn canonical_token() -> String {
    fcm(202)
}

/// One member of the channel: its ID, its push preferences on the channel (None: none set),
/// and its one endpoint (None: no endpoint).
struct Member {
    id: &'static str,
    preferences: Option<Value>,
    endpoint: Option<Value>,
}

fn endpoint(kind: &str, app: &str, attrs: Value, allow: &str, status: &str) -> Option<Value> {
    Some(json!({"Type": kind, "ResourceArn": app_arn(app), "EndpointAttributes": attrs,
        "AllowMessages": allow, "EndpointState": {"Status": status}}))
}

fn members() -> Vec<Member> {
    let ok = |kind: &str, attrs: Value| endpoint(kind, FULL_APP, attrs, "ALL", "ACTIVE");
    let m = |id, preferences, endpoint| Member { id, preferences, endpoint };
    vec![
        m("sender", None, None),
        m(
            "muted",
            Some(json!({"PushNotifications": {"AllowNotifications": "NONE"}})),
            ok("APNS", json!({"DeviceToken": hex(1)})),
        ),
        m(
            "filtered",
            Some(json!({"PushNotifications": {"AllowNotifications": "FILTERED",
                "FilterRule": "{\"mention\":[\"carol\"]}"}})),
            ok("APNS", json!({"DeviceToken": hex(2)})),
        ),
        m("allow-none", None, endpoint("APNS", FULL_APP, json!({"DeviceToken": hex(3)}), "NONE", "ACTIVE")),
        m("inactive", None, endpoint("APNS", FULL_APP, json!({"DeviceToken": hex(4)}), "ALL", "INACTIVE")),
        m(
            "noapp",
            None,
            endpoint(
                "APNS",
                "0000000000000000000000000000dead",
                json!({"DeviceToken": hex(5)}),
                "ALL",
                "ACTIVE",
            ),
        ),
        m("nochannel", None, endpoint("APNS", GCM_APP, json!({"DeviceToken": hex(6)}), "ALL", "ACTIVE")),
        m("disabled", None, ok("APNS_SANDBOX", json!({"DeviceToken": hex(7)}))),
        m("ok", None, ok("APNS", json!({"DeviceToken": hex(8)}))),
        m("voip", None, ok("APNS", json!({"DeviceToken": hex(9), "VoipDeviceToken": hex(10)}))),
        m("gcm-voip", None, ok("GCM", json!({"DeviceToken": fcm(11), "VoipDeviceToken": fcm(12)}))),
        m("canonical", None, ok("GCM", json!({"DeviceToken": canonical_token()}))),
        m("unreg", None, ok("APNS", json!({"DeviceToken": unreg_token()}))),
        m("shape", None, ok("GCM", json!({"DeviceToken": hex(13)}))),
        m("unavailable", None, ok("GCM", json!({"DeviceToken": unavailable_token()}))),
    ]
}

fn seed() -> Value {
    let mut s = push::seed();
    let ms = members();
    s["AppInstanceUsers"] = json!(
        ms.iter()
            .map(|m| json!({"AppInstanceUserArn": user(m.id), "Name": format!("Name of {}", m.id)}))
            .collect::<Vec<_>>()
    );
    s["AppInstanceUserEndpoints"] = json!(
        ms.iter()
            .filter_map(|m| {
                let mut e = m.endpoint.clone()?;
                e["AppInstanceUserArn"] = json!(user(m.id));
                e["EndpointId"] = json!(format!("{}-phone", m.id));
                e["Name"] = json!(format!("Phone of {}", m.id));
                Some(e)
            })
            .collect::<Vec<_>>()
    );
    s["Channels"] = json!([{"ChannelArn": CHANNEL, "Name": "Gates", "Mode": "UNRESTRICTED", "Privacy": "PUBLIC",
        "CreatedBy": {"Arn": user("sender")}}]);
    s["ChannelMemberships"] = json!(
        ms.iter()
            .map(|m| {
                let mut r = json!({"ChannelArn": CHANNEL, "Member": {"Arn": user(m.id)}, "Type": "DEFAULT"});
                if let Some(p) = &m.preferences {
                    r["Preferences"] = p.clone();
                }
                r
            })
            .collect::<Vec<_>>()
    );
    s["PushOutcomes"] = json!([
        {"Token": unreg_token(), "Outcome": "Unregistered"},
        {"Token": unavailable_token(), "Outcome": "UNAVAILABLE"},
        {"Token": canonical_token(), "Outcome": "Canonical:a-new-token-for-the-device"},
    ]);
    s
}

/// Every token the seed holds.
fn tokens() -> Vec<String> {
    let mut t = Vec::new();
    for m in members() {
        for k in ["DeviceToken", "VoipDeviceToken"] {
            if let Some(v) = m.endpoint.as_ref().and_then(|e| e["EndpointAttributes"][k].as_str()) {
                t.push(v.to_string());
            }
        }
    }
    t.push("a-new-token-for-the-device".into());
    t
}

async fn start(seed: &Value) -> Emulator {
    sdk::started(seed, "gates.json").await
}

fn messaging(url: &str) -> Client {
    sdk::messaging(url)
}

fn identity(url: &str) -> identity::Client {
    sdk::identity(url)
}

/// Send a message from `from`: `push` None sends none; `Some(voip)` a DEFAULT or VOIP one.
async fn send(
    c: &Client,
    channel: &str,
    from: &str,
    push: Option<bool>,
    attrs: &[(&str, &str)],
    target: Option<&str>,
) -> String {
    let mut req = c
        .send_channel_message()
        .channel_arn(channel)
        .content(SECRET_TEXT)
        .r#type(ChannelMessageType::Standard)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .chime_bearer(from);
    if let Some(voip) = push {
        let kind = if voip { PushNotificationType::Voip } else { PushNotificationType::Default };
        req = req.push_notification(
            PushNotificationConfiguration::builder()
                .title(SECRET_TITLE)
                .body(SECRET_BODY)
                .r#type(kind)
                .build(),
        );
    }
    for (k, v) in attrs {
        req = req.message_attributes(*k, MessageAttributeValue::builder().string_values(*v).build());
    }
    if let Some(t) = target {
        req = req.target(Target::builder().member_arn(t).build());
    }
    req.send().await.unwrap().message_id().unwrap().to_string()
}

fn query(v: &str) -> String {
    v.replace(':', "%3A").replace('/', "%2F")
}

/// The push log's lines for a message (and a member).
fn lines(url: &str, message: &str, member: Option<&str>) -> Vec<Value> {
    let mut path = format!("pushes?message-id={message}");
    if let Some(m) = member {
        path.push_str(&format!("&member-arn={}", query(m)));
    }
    let (status, page) = emu::admin(url, "GET", &path, "");
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["More"], false);
    page["Pushes"].as_array().unwrap().clone()
}

/// (Gate, Outcome, Reason, DeliveryStatus, StatusCode) of a line.
fn verdict(l: &Value) -> (u64, String, Value, Value, Value) {
    (
        l["Gate"].as_u64().unwrap(),
        l["Outcome"].as_str().unwrap().to_string(),
        l["Reason"].clone(),
        l["DeliveryStatus"].clone(),
        l["StatusCode"].clone(),
    )
}

/// The endpoint's `(Status, StatusReason)` read back with DescribeAppInstanceUserEndpoint.
async fn state(c: &identity::Client, member: &str) -> (String, Option<String>) {
    let out = c
        .describe_app_instance_user_endpoint()
        .app_instance_user_arn(user(member))
        .endpoint_id(format!("{member}-phone"))
        .send()
        .await
        .unwrap();
    let s = out.app_instance_user_endpoint().unwrap().endpoint_state().unwrap();
    (s.status().as_str().to_string(), s.status_reason().map(|r| r.as_str().to_string()))
}

/// (member, gate, outcome, reason, delivery status, status code, endpoint state afterwards)
type Case = (
    &'static str,
    u64,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<u16>,
    Option<(&'static str, Option<&'static str>)>,
);

const ACTIVE: Option<(&str, Option<&str>)> = Some(("ACTIVE", None));

async fn check(url: &str, ids: &identity::Client, message: &str, cases: &[Case]) {
    for (member, gate, outcome, reason, status, code, after) in cases {
        let got = lines(url, message, Some(&user(member)));
        assert_eq!(got.len(), 1, "one line for {member}: {got:?}");
        let l = &got[0];
        assert_eq!(
            verdict(l),
            (*gate, outcome.to_string(), json!(reason), json!(status), json!(code)),
            "the line of {member}"
        );
        assert_eq!(l["ChannelArn"], CHANNEL);
        let has_endpoint = members().iter().any(|m| m.id == *member && m.endpoint.is_some());
        let endpoint =
            if *gate >= 3 && has_endpoint { json!(format!("{member}-phone")) } else { Value::Null };
        assert_eq!(l["EndpointId"], endpoint, "the endpoint of {member}'s line");
        if let Some((s, r)) = after {
            let want = (s.to_string(), r.map(str::to_string));
            assert_eq!(state(ids, member).await, want, "the endpoint of {member} afterwards");
        }
    }
}

// The admin helper blocks: the emulator serves on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_case_per_gate_and_reason_through_the_sdk() {
    let emu = start(&seed()).await;
    let url = emu.url();
    let (c, ids) = (messaging(&url), identity(&url));
    let sender = user("sender");
    let everyone = members().len();
    let bad_token = Some(("INACTIVE", Some("INVALID_DEVICE_TOKEN")));

    // Gate 1: a message without a PushNotification pushes nothing, in one line.
    let quiet = send(&c, CHANNEL, &sender, None, &[], None).await;
    let got = lines(&url, &quiet, None);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        verdict(&got[0]),
        (1, "SKIPPED".into(), json!("NO_PUSH_NOTIFICATION"), Value::Null, Value::Null)
    );
    assert_eq!((got[0]["MemberArn"].clone(), got[0]["EndpointId"].clone()), (Value::Null, Value::Null));

    // Gates 1 to 6 on a DEFAULT push: one line per member (each has at most one endpoint).
    let m = send(&c, CHANNEL, &sender, Some(false), &[("mention", "dave")], None).await;
    assert_eq!(lines(&url, &m, None).len(), everyone);
    let cases: [Case; 15] = [
        ("sender", 3, "SKIPPED", Some("NO_ENDPOINTS"), None, None, None),
        ("muted", 2, "SKIPPED", Some("ALLOW_NOTIFICATIONS_NONE"), None, None, ACTIVE),
        ("filtered", 2, "SKIPPED", Some("FILTERED_OUT"), None, None, ACTIVE),
        ("allow-none", 3, "SKIPPED", Some("ALLOW_MESSAGES_NONE"), None, None, ACTIVE),
        ("inactive", 3, "SKIPPED", Some("ENDPOINT_INACTIVE"), None, None, Some(("INACTIVE", None))),
        (
            "noapp",
            4,
            "FAILED",
            Some("PINPOINT_APP_NOT_FOUND"),
            None,
            None,
            Some(("INACTIVE", Some("INVALID_PINPOINT_ARN"))),
        ),
        (
            "nochannel",
            5,
            "FAILED",
            Some("CHANNEL_NOT_CONFIGURED"),
            Some("PERMANENT_FAILURE"),
            Some(400),
            ACTIVE,
        ),
        ("disabled", 5, "FAILED", Some("CHANNEL_DISABLED"), Some("PERMANENT_FAILURE"), Some(400), ACTIVE),
        ("ok", 6, "SENT", None, Some("SUCCESSFUL"), Some(200), ACTIVE),
        ("voip", 6, "SENT", None, Some("SUCCESSFUL"), Some(200), ACTIVE),
        ("gcm-voip", 6, "SENT", None, Some("SUCCESSFUL"), Some(200), ACTIVE),
        ("canonical", 6, "SENT", Some("UPDATED_TOKEN"), Some("SUCCESSFUL"), Some(200), ACTIVE),
        ("unreg", 6, "FAILED", Some("Unregistered"), Some("PERMANENT_FAILURE"), Some(410), bad_token),
        ("shape", 6, "FAILED", Some("INVALID_ARGUMENT"), Some("PERMANENT_FAILURE"), Some(400), bad_token),
        ("unavailable", 6, "FAILED", Some("UNAVAILABLE"), Some("TEMPORARY_FAILURE"), Some(503), ACTIVE),
    ];
    check(&url, &ids, &m, &cases).await;

    // The same rule lets a message through that mentions carol.
    let m = send(&c, CHANNEL, &sender, Some(false), &[("mention", "carol")], None).await;
    check(&url, &ids, &m, &[("filtered", 6, "SENT", None, Some("SUCCESSFUL"), Some(200), ACTIVE)]).await;

    // A VOIP push goes to the VoipDeviceToken through the VoIP channel of the endpoint's
    // environment; the endpoints deactivated above are not pushed to again.
    let m = send(&c, CHANNEL, &sender, Some(true), &[], None).await;
    let cases: [Case; 5] = [
        ("voip", 6, "SENT", None, Some("SUCCESSFUL"), Some(200), ACTIVE),
        ("ok", 3, "SKIPPED", Some("NO_VOIP_DEVICE_TOKEN"), None, None, ACTIVE),
        ("gcm-voip", 5, "FAILED", Some("NO_VOIP_CHANNEL"), None, None, ACTIVE),
        ("unreg", 3, "SKIPPED", Some("ENDPOINT_INACTIVE"), None, None, bad_token),
        ("noapp", 3, "SKIPPED", Some("ENDPOINT_INACTIVE"), None, None, None),
    ];
    check(&url, &ids, &m, &cases).await;

    // A targeted message: the members it does not target stop at gate 1.
    let m = send(&c, CHANNEL, &sender, Some(false), &[], Some(&user("ok"))).await;
    let cases: [Case; 3] = [
        ("ok", 6, "SENT", None, Some("SUCCESSFUL"), Some(200), ACTIVE),
        ("muted", 1, "SKIPPED", Some("NOT_TARGETED"), None, None, ACTIVE),
        ("sender", 1, "SKIPPED", Some("NOT_TARGETED"), None, None, None),
    ];
    check(&url, &ids, &m, &cases).await;

    // Neither log holds a token; the push log no name, text, title or body either.
    let requests = serde_json::to_string(&emu::requests(&url)).unwrap();
    assert!(requests.contains("SendChannelMessage"), "{requests}");
    let (_, pushes) = emu::admin(&url, "GET", "pushes", "");
    let pushes = pushes.to_string();
    for t in tokens() {
        assert!(!requests.contains(&t), "the request log holds a token");
        assert!(!pushes.contains(&t), "the push log holds a token");
    }
    for secret in ["Name of", "Phone of", SECRET_TEXT, SECRET_TITLE, SECRET_BODY, "carol", "dave"] {
        assert!(!pushes.contains(secret), "the push log holds {secret:?}");
    }
}

/// A filter rule, the attributes of a message, and whether the member gets the push.
type Example = (&'static str, &'static [(&'static str, &'static str)], bool);

/// Set a member's preferences through the wire, as the member itself.
async fn prefer(c: &Client, member: &str, rule: &str) {
    let prefs = ChannelMembershipPreferences::builder()
        .push_notifications(
            PushNotificationPreferences::builder()
                .allow_notifications(AllowNotifications::Filtered)
                .filter_rule(rule)
                .build()
                .unwrap(),
        )
        .build();
    c.put_channel_membership_preferences()
        .channel_arn(CHANNEL)
        .member_arn(member)
        .chime_bearer(member)
        .preferences(prefs)
        .send()
        .await
        .unwrap();
}

// The admin helper blocks: the emulator serves on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_filter_rule_example_of_the_documentation_through_the_wire() {
    let emu = start(&seed()).await;
    let url = emu.url();
    let c = messaging(&url);
    let (me, other) = (user("ok"), user("sender"));
    let examples: [Example; 10] = [
        // Preventing messages to the sender: the example's rule, with the example's message.
        (r#"{"type":[{"anything-but": ["USER_ARN"]}]}"#, &[("senderId", "USER_ARN")], true),
        (r#"{"type":[{"anything-but": ["USER_ARN"]}]}"#, &[("type", "USER_ARN")], false),
        // Inclusive exact string matching.
        (r#"{"mention":["Bob"]}"#, &[("mention", "Bob")], true),
        (r#"{"mention":["Bob"]}"#, &[("mention", "Bobby")], false),
        (r#"{"mention":["Bob"]}"#, &[], false),
        // The complexity example (4): keys ANDed, one of them an exclusion.
        (
            r#"{"type":[{"anything-but": ["Room"]}],"mention":["Bob"]}"#,
            &[("type", "DM"), ("mention", "Bob")],
            true,
        ),
        (
            r#"{"type":[{"anything-but": ["Room"]}],"mention":["Bob"]}"#,
            &[("type", "Room"), ("mention", "Bob")],
            false,
        ),
        (
            r#"{"type":[{"anything-but": ["Room"]}],"mention":["Bob"]}"#,
            &[("type", "DM"), ("mention", "Al")],
            false,
        ),
        // Several rules ORed.
        (r#"{"$or":[{"mention":["Bob"]},{"type":["Urgent"]}]}"#, &[("type", "Urgent")], true),
        (r#"{"$or":[{"mention":["Bob"]},{"type":["Urgent"]}]}"#, &[("type", "Chat")], false),
    ];
    for (rule, attrs, gets_it) in examples {
        prefer(&c, &me, rule).await;
        let m = send(&c, CHANNEL, &other, Some(false), attrs, None).await;
        let got = lines(&url, &m, Some(&me));
        assert_eq!(got.len(), 1, "{got:?}");
        let want = if gets_it {
            (6, "SENT".to_string(), Value::Null, json!("SUCCESSFUL"), json!(200))
        } else {
            (2, "SKIPPED".to_string(), json!("FILTERED_OUT"), Value::Null, Value::Null)
        };
        assert_eq!(verdict(&got[0]), want, "rule {rule} on {attrs:?}");
    }
    // A rule over a limit is refused and the preferences stay as they were.
    let values: Vec<String> = (0..20).map(|i| format!("\"v{i}\"")).collect();
    let over = format!("{{\"k\":[{}]}}", values.join(","));
    let prefs = ChannelMembershipPreferences::builder()
        .push_notifications(
            PushNotificationPreferences::builder()
                .allow_notifications(AllowNotifications::Filtered)
                .filter_rule(over)
                .build()
                .unwrap(),
        )
        .build();
    let e = c
        .put_channel_membership_preferences()
        .channel_arn(CHANNEL)
        .member_arn(&me)
        .chime_bearer(&me)
        .preferences(prefs)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_bad_request_exception(), "{e:?}");
}

// The admin helper blocks: the emulator serves on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_s_channel_story_reaches_one_device_and_not_the_other() {
    let emu =
        Emulator::start(emulator::Options { store: Store::demo(), ..Default::default() }).await.unwrap();
    let url = emu.url();
    let (c, ids) = (messaging(&url), identity(&url));
    let inst = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab";
    let (qa1, qa2) = (format!("{inst}/user/qa-1"), format!("{inst}/user/qa-2"));
    let in_channel = |ch: &str| format!("{inst}/channel/{ch}");
    let line_of = |lines: &[Value], endpoint: &str| {
        let l = lines.iter().find(|l| l["EndpointId"] == endpoint).unwrap().clone();
        (l["Gate"].as_u64().unwrap(), l["Outcome"].as_str().unwrap().to_string(), l["Reason"].clone())
    };
    // Muted in one channel, filtered to mentions in another: nothing reaches either device.
    let m = send(&c, &in_channel("release-alerts"), &qa2, Some(false), &[], None).await;
    let got = lines(&url, &m, Some(&qa1));
    assert_eq!(verdict(&got[0]).2, json!("ALLOW_NOTIFICATIONS_NONE"));
    let m = send(&c, &in_channel("standup"), &qa2, Some(false), &[("mention", "qa-3")], None).await;
    assert_eq!(verdict(&lines(&url, &m, Some(&qa1))[0]).2, json!("FILTERED_OUT"));
    // The open channel: the Pixel gets it, the iPhone's token is Unregistered.
    let m = send(&c, &in_channel("device-lab"), &qa2, Some(false), &[], None).await;
    let got = lines(&url, &m, Some(&qa1));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(line_of(&got, "farm-and-1"), (6, "SENT".into(), Value::Null));
    assert_eq!(line_of(&got, "farm-ios-1"), (6, "FAILED".into(), json!("Unregistered")));
    let state = |id: &'static str| {
        let ids = ids.clone();
        let qa1 = qa1.clone();
        async move {
            let out = ids
                .describe_app_instance_user_endpoint()
                .app_instance_user_arn(qa1)
                .endpoint_id(id)
                .send()
                .await
                .unwrap();
            let s = out.app_instance_user_endpoint().unwrap().endpoint_state().unwrap().clone();
            (s.status().as_str().to_string(), s.status_reason().map(|r| r.as_str().to_string()))
        }
    };
    assert_eq!(state("farm-ios-1").await, ("INACTIVE".into(), Some("INVALID_DEVICE_TOKEN".into())));
    assert_eq!(state("farm-and-1").await, ("ACTIVE".into(), None));
}
