//! `chimescope doctor`'s membership gate against the emulator over loopback: the binary reads
//! Chime SDK Messaging as the member (the emulator refuses preferences to anyone else), and each
//! new finding comes out in JSON and text with its exit code. The client's FilterRule evaluator is
//! held against the emulator's over the documentation's examples.

use super::chat::{self, ALICE, BOB, CAROL, INST};
use super::emu::{self, EmuProc};
use serde_json::{Value, json};
use std::process::Output;

fn channel(id: &str) -> String {
    format!("{INST}/channel/{id}")
}

/// A membership of `member` in `ch` with push preferences (`allow`, `rule`).
fn membership(ch: &str, member: &str, allow: Option<&str>, rule: Option<&str>) -> Value {
    let mut m = json!({"ChannelArn": channel(ch), "Member": {"Arn": member}, "Type": "DEFAULT"});
    if let Some(a) = allow {
        let mut push = json!({"AllowNotifications": a});
        if let Some(r) = rule {
            push["FilterRule"] = json!(r);
        }
        m["Preferences"] = json!({"PushNotifications": push});
    }
    m
}

fn message(ch: &str, id: &str, attrs: Value) -> Value {
    json!({"ChannelArn": channel(ch), "MessageId": id, "Content": "hello", "Sender": {"Arn": ALICE},
        "MessageAttributes": attrs, "Type": "STANDARD", "Persistence": "PERSISTENT",
        "PushNotification": {"Title": "t", "Body": "b", "Type": "DEFAULT"}})
}

fn mention(who: &str) -> Value {
    json!({"mention": {"StringValues": [who]}})
}

/// Bob in three channels (muted, filtered to mentions of Bob, open), Carol in one with a rule this
/// client cannot read; messages mentioning Bob and Tom in the filtered channel.
fn story() -> Value {
    let channels: Vec<Value> = ["muted", "mentions", "open", "odd"]
        .iter()
        .map(|c| json!({"ChannelArn": channel(c), "Name": c, "Privacy": "PUBLIC", "Mode": "UNRESTRICTED"}))
        .collect();
    let mut channels = channels;
    channels.push(json!({"ChannelArn": channel("private"), "Name": "private", "Privacy": "PRIVATE", "Mode": "RESTRICTED"}));
    json!({
        "Channels": channels,
        "ChannelMemberships": [
            membership("muted", BOB, Some("NONE"), None),
            membership("mentions", BOB, Some("FILTERED"), Some(r#"{"mention":["Bob"]}"#)),
            membership("open", BOB, None, None),
            membership("mentions", ALICE, None, None),
            membership("private", BOB, None, None),
            membership("odd", CAROL, Some("FILTERED"), Some(r#"{"$or":[{"$or":[{"mention":["Carol"]}]}]}"#)),
        ],
        "ChannelMessages": [
            message("mentions", "m-bob", mention("Bob")),
            message("mentions", "m-tom", mention("Tom")),
            message("private", "m-p", mention("Bob")),
        ],
    })
}

fn start(extra: Value) -> (EmuProc, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let seed = chat::write_seed(home.path(), extra);
    let emu = EmuProc::start(&["--seed", seed.to_str().unwrap()]);
    (emu, home)
}

fn doctor(emu: &EmuProc, home: &std::path::Path, args: &[&str]) -> Output {
    let mut c = emu::hermetic_signed(home);
    c.arg("doctor").args(args).args(["--no-pinpoint", "--endpoint-url", &emu.url]);
    c.output().unwrap()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

fn text_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn finding(v: &Value) -> (String, String) {
    let f = &v["Memberships"][0]["Findings"][0];
    (f["Code"].as_str().unwrap_or("none").into(), f["Severity"].as_str().unwrap_or("none").into())
}

#[test]
fn a_muted_channel_is_an_error_with_the_members_own_fix() {
    let (emu, home) = start(story());
    let c = channel("muted");
    let out = doctor(&emu, home.path(), &["--app-instance-user-arn", BOB, "--channel-arn", &c]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_eq!(finding(&v), ("channel-muted".into(), "error".into()));
    assert_eq!(v["Memberships"][0]["AllowNotifications"], "NONE");
    let fix = v["Memberships"][0]["Findings"][0]["Fix"].as_str().unwrap();
    assert!(
        fix.contains(&format!(
            "aws chime-sdk-messaging put-channel-membership-preferences --channel-arn {c} --member-arn {BOB} --chime-bearer {BOB} --preferences '{{\"PushNotifications\":{{\"AllowNotifications\":\"ALL\"}}}}'"
        )),
        "{fix}"
    );
    // The trace: the membership gate fails; what cannot be seen is said.
    let gates: Vec<(&str, &str)> = v["Trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["Gate"].as_str().unwrap(), s["Result"].as_str().unwrap()))
        .collect();
    assert_eq!(gates[..2], [("message", "not checked"), ("membership", "fail")]);
    assert_eq!(gates[4], ("provider", "not checked"));

    let out =
        doctor(&emu, home.path(), &["--app-instance-user-arn", BOB, "--channel-arn", &c, "--output", "text"]);
    assert_eq!(out.status.code(), Some(1));
    let text = text_of(&out);
    assert!(text.contains(&format!("channel {c} (NONE): error (1 finding)")), "{text}");
    assert!(text.contains("  error [channel-muted]: the user muted the channel"), "{text}");
    assert!(text.contains("  ✗ membership: fail: AllowNotifications NONE: no push"), "{text}");

    // As every JSON command: --query and --output table.
    let out = doctor(
        &emu,
        home.path(),
        &["--app-instance-user-arn", BOB, "--channel-arn", &c, "--query", "Memberships[0].Findings[0].Code"],
    );
    assert_eq!(json_of(&out), json!("channel-muted"));
    let out = doctor(
        &emu,
        home.path(),
        &[
            "--app-instance-user-arn",
            BOB,
            "--channel-arn",
            &c,
            "--query",
            "Memberships[].[ChannelArn,AllowNotifications]",
            "--output",
            "table",
        ],
    );
    assert!(text_of(&out).contains("NONE"), "{}", text_of(&out));
}

#[test]
fn a_filtered_channel_names_the_constraint_that_stopped_the_message() {
    let (emu, home) = start(story());
    let c = channel("mentions");
    let args = |m: &'static str| -> Vec<String> {
        ["--app-instance-user-arn", BOB, "--channel-arn", &c, "--message-id", m].map(String::from).to_vec()
    };
    let doctor = |home: &std::path::Path, a: &[String]| {
        doctor(&emu, home, &a.iter().map(String::as_str).collect::<Vec<_>>())
    };

    let out = doctor(home.path(), &args("m-tom"));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_eq!(finding(&v), ("channel-filtered".into(), "error".into()));
    assert_eq!(v["Message"]["FilterRule"], "stopped");
    assert_eq!(v["Message"]["StoppedBy"], r#"mention is "Bob" (the message's mention: "Tom")"#);
    assert_eq!(v["Message"]["MessageAttributes"], json!({"mention": {"StringValues": ["Tom"]}}));
    assert!(v["Message"]["PushNotification"].as_str().unwrap().contains("not in GetChannelMessage's answer"));
    assert!(!v.to_string().contains("hello"), "never the message's content: {v}");

    let out = doctor(home.path(), &args("m-bob"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_eq!(finding(&v), ("channel-filtered".into(), "info".into()));
    assert_eq!(v["Message"]["FilterRule"], "passed");

    let mut text_args = args("m-tom");
    text_args.extend(["--output".into(), "text".into()]);
    let text = text_of(&doctor(home.path(), &text_args));
    assert!(text.contains("message m-tom: attributes mention=Tom"), "{text}");
    assert!(
        text.contains("? message: not checked: whether the message was sent with a PushNotification is not in GetChannelMessage's answer"),
        "{text}"
    );
    assert!(text.contains(r#"✗ membership: fail: FILTERED: stopped by mention is "Bob""#), "{text}");

    // Without a message: the rule alone, a warning.
    let out = doctor(home.path(), &args("m-bob")[..4]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(finding(&json_of(&out)), ("channel-filtered".into(), "warning".into()));
}

#[test]
fn not_a_member_and_an_unreadable_rule_are_errors() {
    let (emu, home) = start(story());
    let c = channel("muted");
    let out = doctor(&emu, home.path(), &["--app-instance-user-arn", CAROL, "--channel-arn", &c]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_eq!(finding(&v), ("not-a-member".into(), "error".into()));
    assert_eq!(v["Memberships"][0]["Member"], false);
    let fix = v["Memberships"][0]["Findings"][0]["Fix"].as_str().unwrap();
    assert!(fix.contains("aws chime-sdk-messaging create-channel-membership"), "{fix}");
    // A message of a channel the user is not in is not read (a private channel would refuse it).
    let out = doctor(
        &emu,
        home.path(),
        &["--app-instance-user-arn", CAROL, "--channel-arn", &channel("private"), "--message-id", "m-p"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(finding(&json_of(&out)), ("not-a-member".into(), "error".into()));

    // A rule the emulator stored (an $or inside an $or) that this client does not read.
    let out =
        doctor(&emu, home.path(), &["--app-instance-user-arn", CAROL, "--channel-arn", &channel("odd")]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(finding(&v), ("filter-rule-invalid".into(), "error".into()));
    assert!(v["Memberships"][0]["Findings"][0]["Message"].as_str().unwrap().contains("$or inside an $or"));

    // Bad input: a clear message, exit 252, nothing sent.
    let out = doctor(
        &emu,
        home.path(),
        &["--app-instance-user-arn", BOB, "--channel-arn", "arn:aws:chime:us-east-1:1:nope"],
    );
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--channel-arn: not a channel ARN"));
    let out = doctor(&emu, home.path(), &["--app-instance-user-arn", BOB, "--message-id", "m-bob"]);
    assert_eq!(out.status.code(), Some(252), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn without_a_channel_every_membership_across_pages_with_its_preference() {
    // 61 channels: two pages of ListChannelMembershipsForAppInstanceUser (50 a page).
    let mut extra = story();
    for i in 0..57 {
        let id = format!("many-{i:02}");
        extra["Channels"].as_array_mut().unwrap().push(json!({"ChannelArn": channel(&id), "Name": id}));
        extra["ChannelMemberships"].as_array_mut().unwrap().push(membership(&id, BOB, Some("ALL"), None));
    }
    let (emu, home) = start(extra);
    let out = doctor(&emu, home.path(), &["--app-instance-user-arn", BOB]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a muted channel among many is a warning: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    let ms = v["Memberships"].as_array().unwrap();
    assert_eq!(ms.len(), 61);
    let by = |id: &str| ms.iter().find(|m| m["ChannelArn"] == channel(id)).unwrap();
    assert_eq!(finding(&json!({"Memberships": [by("muted")]})), ("channel-muted".into(), "warning".into()));
    assert_eq!(
        finding(&json!({"Memberships": [by("mentions")]})),
        ("channel-filtered".into(), "warning".into())
    );
    assert_eq!(by("mentions")["FilterRule"], r#"{"mention":["Bob"]}"#);
    assert_eq!(by("open")["AllowNotifications"], "ALL", "no preference set is ALL");
    assert_eq!(by("open")["Findings"], json!([]));
    let (_, log) = emu::admin(&emu.url, "GET", "requests", "");
    let count =
        |op: &str| log["Requests"].as_array().unwrap().iter().filter(|r| r["Operation"] == op).count();
    assert_eq!(count("ListChannelMembershipsForAppInstanceUser"), 2);
    assert_eq!(count("GetChannelMembershipPreferences"), 61);
    assert!(v.get("Trace").is_none(), "the trace is one channel's");

    let text = text_of(&doctor(&emu, home.path(), &["--app-instance-user-arn", BOB, "--output", "text"]));
    assert!(
        text.contains(&format!(
            "channel {} (FILTERED {{\"mention\":[\"Bob\"]}}): warning (1 finding)",
            channel("mentions")
        )),
        "{text}"
    );
}

/// The documentation's examples ("Using filter rules to filter messages"): each rule, the
/// attributes it gives and whether a member with that rule gets the push.
fn doc_examples() -> Vec<(&'static str, Value, bool)> {
    let t = |v: &str| json!({"type": {"StringValues": [v]}});
    vec![
        (r#"{"mention":["Bob"]}"#, json!({"mention": {"StringValues": ["Bob", "Alice"]}}), true),
        (r#"{"mention":["Bob"]}"#, mention("Tom"), false),
        (r#"{"type":[{"anything-but": ["Room"]}]}"#, t("Conversation"), true),
        (r#"{"type":[{"anything-but": ["Room"]}]}"#, t("Room"), false),
        (
            r#"{"type":[{"anything-but": ["Room"]}],"mention":["Bob"]}"#,
            json!({"mention": {"StringValues": ["Bob"]}, "type": {"StringValues": ["Conversation"]}}),
            true,
        ),
        (r#"{"$or":[{"mention":["Bob"]},{"type":[{"anything-but": ["Room"]}]}]}"#, mention("Bob"), true),
        (r#"{"$or":[{"mention":["Bob"]},{"type":[{"anything-but": ["Room"]}]}]}"#, t("Conversation"), true),
        (r#"{"type":[{"anything-but": ["USER_ARN"]}]}"#, t("USER_ARN"), false),
    ]
}

fn attrs_of(v: &Value) -> chimescope::doctor::filter::Attributes {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, a)| {
            let vals = a["StringValues"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string());
            (k.clone(), vals.collect())
        })
        .collect()
}

#[test]
fn the_client_and_the_emulator_agree_on_the_documentation_s_examples() {
    use chimescope::doctor::filter::{FilterRule, Outcome};
    use chimescope::emulator::messaging::filter as emulator;
    for (rule, attrs, expected) in doc_examples() {
        let client = FilterRule::parse(rule).unwrap().check(&attrs_of(&attrs)) == Outcome::Passed;
        let emulated = emulator::parse(rule).unwrap().check(&attrs).is_ok();
        assert_eq!((client, emulated), (expected, expected), "{rule} on {attrs}");
    }
}

#[test]
fn the_doctor_reads_each_example_through_the_wire_as_the_documentation_says() {
    // Each example as Carol's preference on its own channel, with its message: the doctor's
    // verdict on the message is the documentation's.
    let examples = doc_examples();
    let mut extra = json!({"Channels": [], "ChannelMemberships": [], "ChannelMessages": []});
    for (i, (rule, attrs, _)) in examples.iter().enumerate() {
        let id = format!("doc-{i}");
        extra["Channels"].as_array_mut().unwrap().push(json!({"ChannelArn": channel(&id), "Name": id}));
        extra["ChannelMemberships"].as_array_mut().unwrap().push(membership(
            &id,
            CAROL,
            Some("FILTERED"),
            Some(rule),
        ));
        extra["ChannelMessages"].as_array_mut().unwrap().push(message(&id, "m", attrs.clone()));
    }
    let (emu, home) = start(extra);
    for (i, (rule, _, expected)) in examples.iter().enumerate() {
        let c = channel(&format!("doc-{i}"));
        let out = doctor(
            &emu,
            home.path(),
            &["--app-instance-user-arn", CAROL, "--channel-arn", &c, "--message-id", "m"],
        );
        let v = json_of(&out);
        let want = if *expected { "passed" } else { "stopped" };
        assert_eq!(v["Message"]["FilterRule"], want, "{rule}: {v}");
        assert_eq!(out.status.code(), Some(if *expected { 0 } else { 1 }), "{rule}");
    }
}

#[test]
fn the_demo_s_channel_story_is_diagnosed_as_the_docs_say() {
    let i = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab";
    let (user, standup) = (format!("{i}/user/qa-1"), format!("{i}/channel/standup"));
    let home = tempfile::tempdir().unwrap();
    let run =
        |args: &[&str]| emu::hermetic(home.path()).arg("--demo").arg("doctor").args(args).output().unwrap();
    let out = run(&[
        "--app-instance-user-arn",
        &user,
        "--channel-arn",
        &standup,
        "--message-id",
        "6a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f",
        "--output",
        "text",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let text = text_of(&out);
    assert!(
        text.contains(
            r#"✗ membership: fail: FILTERED: stopped by mention is "qa-1" (the message's mention: "qa-3")"#
        ),
        "{text}"
    );
    let v = json_of(&run(&[
        "--app-instance-user-arn",
        &user,
        "--query",
        "Memberships[].[ChannelName,AllowNotifications]",
    ]));
    let mut got: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    got.sort();
    let names: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names.iter().any(|(_, p)| *p == "NONE") && names.iter().any(|(_, p)| *p == "FILTERED"),
        "{names:?}"
    );
}

/// Each documentation example sent for real: Carol (one healthy APNs endpoint) holds the rule on
/// her own channel, Alice sends the example's attributes with a PushNotification through the
/// SDK, and the emulator's push log (its evaluator) and the doctor (the client's) must both say
/// what the documentation says.
#[test]
fn the_push_log_and_the_doctor_agree_with_the_documentation_s_examples() {
    use aws_sdk_chimesdkmessaging as msg;
    use msg::types::{MessageAttributeValue, PushNotificationConfiguration, PushNotificationType};
    let app = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let examples = doc_examples();
    let mut extra = json!({
        "Channels": [], "ChannelMemberships": [],
        "AppInstanceUserEndpoints": [{"AppInstanceUserArn": CAROL, "EndpointId": "ep-carol", "Name": "Phone",
            "Type": "APNS", "ResourceArn": app, "EndpointAttributes": {"DeviceToken": "ab".repeat(32)},
            "AllowMessages": "ALL", "EndpointState": {"Status": "ACTIVE"}}],
        "PinpointApps": [{"Arn": app, "Name": "push", "Channels": {"APNS": {"Enabled": true,
            "DefaultAuthenticationMethod": "TOKEN", "HasTokenKey": true}}}],
    });
    for (i, (rule, _, _)) in examples.iter().enumerate() {
        let id = format!("doc-{i}");
        extra["Channels"].as_array_mut().unwrap().push(json!({"ChannelArn": channel(&id), "Name": id}));
        extra["ChannelMemberships"].as_array_mut().unwrap().push(membership(
            &id,
            CAROL,
            Some("FILTERED"),
            Some(rule),
        ));
        extra["ChannelMemberships"].as_array_mut().unwrap().push(membership(&id, ALICE, Some("NONE"), None));
    }
    let (emu, home) = start(extra);
    let conf = msg::Config::builder()
        .behavior_version(msg::config::BehaviorVersion::latest())
        .region(msg::config::Region::new("us-east-1"))
        .endpoint_url(&emu.url)
        .credentials_provider(msg::config::Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .build();
    let sdk = msg::Client::from_conf(conf);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for (i, (rule, attrs, expected)) in examples.iter().enumerate() {
        let c = channel(&format!("doc-{i}"));
        let mut req = sdk
            .send_channel_message()
            .channel_arn(&c)
            .content("hello")
            .r#type(msg::types::ChannelMessageType::Standard)
            .persistence(msg::types::ChannelMessagePersistenceType::Persistent)
            .chime_bearer(ALICE)
            .push_notification(
                PushNotificationConfiguration::builder()
                    .title("t")
                    .body("b")
                    .r#type(PushNotificationType::Default)
                    .build(),
            );
        for (k, v) in attrs.as_object().unwrap() {
            let mut a = MessageAttributeValue::builder();
            for s in v["StringValues"].as_array().unwrap() {
                a = a.string_values(s.as_str().unwrap());
            }
            req = req.message_attributes(k, a.build());
        }
        let id = rt.block_on(req.send()).unwrap().message_id().unwrap().to_string();

        let (status, log) = emu::admin(&emu.url, "GET", &format!("pushes?message-id={id}"), "");
        assert_eq!(status, 200, "{log}");
        let carol: Vec<&Value> =
            log["Pushes"].as_array().unwrap().iter().filter(|l| l["MemberArn"] == CAROL).collect();
        assert!(!carol.is_empty(), "{log}");
        let stopped_by_rule = carol.iter().any(|l| l["Gate"] == 2 && l["Outcome"] == "SKIPPED");
        assert_eq!(!stopped_by_rule, *expected, "the emulator on {rule}: {log}");

        let out = doctor(
            &emu,
            home.path(),
            &["--app-instance-user-arn", CAROL, "--channel-arn", &c, "--message-id", &id],
        );
        let v = json_of(&out);
        assert_eq!(
            v["Message"]["FilterRule"],
            if *expected { "passed" } else { "stopped" },
            "the doctor on {rule}: {v}"
        );
    }
}
