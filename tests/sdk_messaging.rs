#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The Rust SDK for Chime SDK Messaging (the crate the client uses) against the emulator over
//! loopback: channels made, messages with attributes and a push notification sent and read
//! back; with `--state`, channels, memberships (with their preferences) and messages survive
//! a crash (SIGKILL) and restart from the journal, and the admin API's state carries them.

#[path = "common/chat.rs"]
mod chat;
#[path = "common/emu.rs"]
mod emu;
#[path = "common/sdk.rs"]
mod sdk;

use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::error::ProvideErrorMetadata;
use aws_sdk_chimesdkmessaging::types::{
    AllowNotifications, ChannelMembershipPreferences, ChannelMessagePersistenceType, ChannelMessageType,
    MessageAttributeValue, PushNotificationConfiguration, PushNotificationPreferences, PushNotificationType,
    SortOrder,
};
use chat::{ALICE, BOB, CAROL, INST};
use chimescope::emulator::{Emulator, Store};
use std::path::Path;

fn sdk(url: &str) -> Client {
    sdk::messaging(url)
}

async fn start() -> Emulator {
    sdk::started(&chat::seed(), "chat.json").await
}

/// `chimescope emulator --seed … --state …` (killed when dropped: SIGKILL, as a crash).
fn start_process(dir: &Path) -> emu::EmuProc {
    let seed = chat::write_seed(dir, serde_json::json!({}));
    let state = dir.join("state.json");
    emu::EmuProc::start(&["--seed", seed.to_str().unwrap(), "--state", state.to_str().unwrap()])
}

/// A channel of alice's with bob and carol; its ARN.
async fn channel(c: &Client) -> String {
    let made = c
        .create_channel()
        .app_instance_arn(INST)
        .name("Team")
        .member_arns(BOB)
        .member_arns(CAROL)
        .chime_bearer(ALICE)
        .send()
        .await
        .unwrap();
    made.channel_arn().unwrap().to_string()
}

async fn send(c: &Client, ch: &str, from: &str, content: &str, mention: Option<&str>) -> String {
    let mut req = c
        .send_channel_message()
        .channel_arn(ch)
        .content(content)
        .r#type(ChannelMessageType::Standard)
        .persistence(ChannelMessagePersistenceType::Persistent)
        .chime_bearer(from)
        .push_notification(
            PushNotificationConfiguration::builder()
                .title("Team")
                .body("new message")
                .r#type(PushNotificationType::Default)
                .build(),
        );
    if let Some(m) = mention {
        req = req.message_attributes("mention", MessageAttributeValue::builder().string_values(m).build());
    }
    req.send().await.unwrap().message_id().unwrap().to_string()
}

#[tokio::test]
async fn messages_sent_with_the_sdk_are_read_back_with_their_attributes() {
    let emu = start().await;
    let c = sdk(&emu.url());
    let ch = channel(&c).await;
    let first = send(&c, &ch, CAROL, "hello @Bob", Some("Bob")).await;
    let second = send(&c, &ch, BOB, "hi Carol", None).await;
    assert_ne!(first, second);

    let got =
        c.get_channel_message().channel_arn(&ch).message_id(&first).chime_bearer(BOB).send().await.unwrap();
    let m = got.channel_message().unwrap();
    assert_eq!(m.content(), Some("hello @Bob"));
    assert_eq!(m.sender().and_then(|s| s.arn()), Some(CAROL));
    assert_eq!(m.sender().and_then(|s| s.name()), Some("Carol"));
    let attrs = m.message_attributes().unwrap();
    assert_eq!(attrs["mention"].string_values(), ["Bob".to_string()]);
    assert!(m.created_timestamp().is_some());
    assert_eq!(m.status().and_then(|s| s.value()).map(|v| v.as_str()), Some("SENT"));

    let listed = c
        .list_channel_messages()
        .channel_arn(&ch)
        .chime_bearer(ALICE)
        .sort_order(SortOrder::Ascending)
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = listed.channel_messages().iter().filter_map(|m| m.message_id()).collect();
    assert_eq!(ids, [first.as_str(), second.as_str()]);
    let d = c.describe_channel().channel_arn(&ch).chime_bearer(BOB).send().await.unwrap();
    assert!(d.channel().unwrap().last_message_timestamp().is_some());

    let e = c
        .get_channel_message()
        .channel_arn(&ch)
        .message_id("nope")
        .chime_bearer(BOB)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.as_service_error().and_then(|s| s.code()), Some("NotFoundException"));
    let e =
        c.create_channel_ban().channel_arn(&ch).member_arn(BOB).chime_bearer(ALICE).send().await.unwrap_err();
    let raw = e.raw_response().map(|r| r.status().as_u16());
    assert_eq!(raw, Some(501), "{e:?}");
    assert!(format!("{:?}", e.as_service_error()).contains("CreateChannelBan"), "{e:?}");
}

#[tokio::test]
async fn channels_memberships_preferences_and_messages_survive_a_restart_with_state() {
    let dir = tempfile::tempdir().unwrap();
    let (ch, id) = {
        let emu = start_process(dir.path());
        let c = sdk(&emu.url);
        let ch = channel(&c).await;
        let prefs = ChannelMembershipPreferences::builder()
            .push_notifications(
                PushNotificationPreferences::builder()
                    .allow_notifications(AllowNotifications::Filtered)
                    .filter_rule(r#"{"mention":["Bob"]}"#)
                    .build()
                    .unwrap(),
            )
            .build();
        c.put_channel_membership_preferences()
            .channel_arn(&ch)
            .member_arn(BOB)
            .chime_bearer(BOB)
            .preferences(prefs)
            .send()
            .await
            .unwrap();
        let id = send(&c, &ch, CAROL, "persisted", Some("Bob")).await;
        (ch, id)
    };
    let emu = start_process(dir.path());
    let c = sdk(&emu.url);
    let got =
        c.get_channel_message().channel_arn(&ch).message_id(&id).chime_bearer(BOB).send().await.unwrap();
    assert_eq!(got.channel_message().unwrap().content(), Some("persisted"));
    let p = c
        .get_channel_membership_preferences()
        .channel_arn(&ch)
        .member_arn(BOB)
        .chime_bearer(BOB)
        .send()
        .await
        .unwrap();
    let push = p.preferences().unwrap().push_notifications().unwrap();
    assert_eq!(push.allow_notifications(), &AllowNotifications::Filtered);
    assert_eq!(push.filter_rule(), Some(r#"{"mention":["Bob"]}"#));
    let members = c
        .list_channel_memberships()
        .channel_arn(&ch)
        .chime_bearer(BOB)
        .send()
        .await
        .unwrap()
        .channel_memberships()
        .len();
    assert_eq!(members, 3);

    // The whole state as a seed carries the three lists, the push notification included.
    let (status, seed) = emu::admin(&emu.url, "GET", "state", "");
    assert_eq!(status, 200);
    assert_eq!(seed["Channels"][0]["ChannelArn"], ch.as_str());
    assert_eq!(seed["ChannelMemberships"].as_array().unwrap().len(), 3);
    assert_eq!(seed["ChannelMessages"][0]["PushNotification"]["Title"], "Team");
    let again = Store::from_seed_str(&seed.to_string(), "state").unwrap();
    assert_eq!(again.to_seed(), seed);
    let (status, _) = emu::admin(&emu.url, "POST", "state", &chat::seed().to_string());
    assert_eq!(status, 200);
    let e = c.describe_channel().channel_arn(&ch).chime_bearer(BOB).send().await.unwrap_err();
    assert_eq!(e.as_service_error().and_then(|s| s.code()), Some("NotFoundException"));
}

#[tokio::test]
async fn a_client_request_token_sends_a_message_once() {
    let emu = start().await;
    let c = sdk(&emu.url());
    let ch = channel(&c).await;
    let send = |content: &'static str| {
        c.send_channel_message()
            .channel_arn(&ch)
            .content(content)
            .r#type(ChannelMessageType::Standard)
            .persistence(ChannelMessagePersistenceType::Persistent)
            .chime_bearer(BOB)
            .client_request_token("retry-0001")
            .send()
    };
    let first = send("once").await.unwrap().message_id().unwrap().to_string();
    let again = send("once").await.unwrap().message_id().unwrap().to_string();
    assert_eq!(first, again);
    let e = send("another").await.unwrap_err();
    assert_eq!(e.as_service_error().and_then(|s| s.code()), Some("ConflictException"));
    let listed = c.list_channel_messages().channel_arn(&ch).chime_bearer(BOB).send().await.unwrap();
    assert_eq!(listed.channel_messages().len(), 1);
}
