#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The AWS CLI (`aws chime-sdk-messaging`, generated from the same model by other people)
//! against the emulator's Messaging subset: every served operation, and the modelled errors
//! (bearer refusals, not found, a bad filter rule, an operation the emulator does not serve).

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/chat.rs"]
mod chat;
#[path = "common/emu.rs"]
mod emu;

use chat::{ALICE, BOB, BOT, CAROL, DAVE, INST};
use emu::EmuProc;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Output;

/// `send-channel-message` of a STANDARD, PERSISTENT `content` to channel `ch` as `bearer`, then
/// `extra` options.
fn send<'a>(ch: &'a str, content: &'a str, bearer: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "send-channel-message",
        "--channel-arn",
        ch,
        "--content",
        content,
        "--type",
        "STANDARD",
        "--persistence",
        "PERSISTENT",
        "--chime-bearer",
        bearer,
    ];
    args.extend_from_slice(extra);
    args
}

struct Cli {
    bin: std::path::PathBuf,
    url: String,
    home: tempfile::TempDir,
}

impl Cli {
    fn run(&self, service: &str, args: &[&str]) -> Output {
        awscli::command_for(&self.bin, service, &self.url, "AKIDTEST", "secret", self.home.path())
            .args(args)
            .output()
            .unwrap()
    }
    /// A Messaging command that must succeed: its JSON (null for an empty answer).
    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run("chime-sdk-messaging", args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            return Value::Null;
        }
        serde_json::from_slice(&out.stdout).unwrap()
    }
    /// A Messaging command that must fail with `exception`: its stderr.
    fn fails(&self, args: &[&str], exception: &str) -> String {
        let out = self.run("chime-sdk-messaging", args);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "{args:?} succeeded: {}", String::from_utf8_lossy(&out.stdout));
        assert!(err.contains(&format!("({exception})")), "{args:?}: {err}");
        err
    }
}

fn start(dir: &Path) -> Option<(EmuProc, Cli)> {
    let bin = awscli::find()?;
    let seed = chat::write_seed(dir, json!({}));
    let emu = EmuProc::start(&["--seed", seed.to_str().unwrap()]);
    let url = emu.url.clone();
    Some((emu, Cli { bin, url, home: tempfile::tempdir().unwrap() }))
}

#[test]
fn channels_memberships_preferences_messages_and_tags_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_emu, cli)) = start(dir.path()) else { return };
    let created = cli.ok(&[
        "create-channel",
        "--app-instance-arn",
        INST,
        "--name",
        "General",
        "--channel-id",
        "general",
        "--member-arns",
        BOB,
        "--chime-bearer",
        ALICE,
        "--tags",
        "Key=team,Value=core",
    ]);
    let ch = format!("{INST}/channel/general");
    assert_eq!(created["ChannelArn"], ch.as_str());
    let d = cli.ok(&["describe-channel", "--channel-arn", &ch, "--chime-bearer", BOB]);
    assert_eq!(d["Channel"]["Name"], "General");
    assert_eq!(d["Channel"]["Privacy"], "PUBLIC");
    assert_eq!(d["Channel"]["Mode"], "UNRESTRICTED");
    assert_eq!(d["Channel"]["CreatedBy"], json!({"Arn": ALICE, "Name": "Alice"}));
    let l = cli.ok(&["list-channels", "--app-instance-arn", INST, "--chime-bearer", BOB]);
    assert_eq!(l["Channels"].as_array().unwrap().len(), 1);

    // UpdateChannel: the creator (moderator) may, another member may not.
    cli.ok(&[
        "update-channel",
        "--channel-arn",
        &ch,
        "--name",
        "All hands",
        "--mode",
        "RESTRICTED",
        "--chime-bearer",
        ALICE,
    ]);
    cli.fails(
        &["update-channel", "--channel-arn", &ch, "--name", "Mine", "--chime-bearer", BOB],
        "ForbiddenException",
    );
    // RESTRICTED: only the moderator adds members.
    cli.fails(
        &[
            "create-channel-membership",
            "--channel-arn",
            &ch,
            "--member-arn",
            CAROL,
            "--type",
            "DEFAULT",
            "--chime-bearer",
            BOB,
        ],
        "ForbiddenException",
    );
    let m = cli.ok(&[
        "create-channel-membership",
        "--channel-arn",
        &ch,
        "--member-arn",
        CAROL,
        "--type",
        "DEFAULT",
        "--chime-bearer",
        ALICE,
    ]);
    assert_eq!(m["Member"], json!({"Arn": CAROL, "Name": "Carol"}));
    let b = cli.ok(&[
        "batch-create-channel-membership",
        "--channel-arn",
        &ch,
        "--member-arns",
        BOT,
        DAVE,
        "--chime-bearer",
        ALICE,
    ]);
    assert_eq!(b["BatchChannelMemberships"]["Members"], json!([{"Arn": BOT, "Name": "Helper"}]));
    assert_eq!(b["Errors"][0]["MemberArn"], DAVE);
    assert_eq!(b["Errors"][0]["ErrorCode"], "NotFound");
    let dm = cli.ok(&[
        "describe-channel-membership",
        "--channel-arn",
        &ch,
        "--member-arn",
        CAROL,
        "--chime-bearer",
        BOB,
    ]);
    assert_eq!(dm["ChannelMembership"]["InvitedBy"]["Arn"], ALICE);
    assert_eq!(dm["ChannelMembership"]["Type"], "DEFAULT");
    cli.fails(
        &["describe-channel-membership", "--channel-arn", &ch, "--member-arn", DAVE, "--chime-bearer", BOB],
        "NotFoundException",
    );
    // Paging: four members, two a page.
    let p1 = cli.ok(&[
        "list-channel-memberships",
        "--channel-arn",
        &ch,
        "--chime-bearer",
        BOB,
        "--max-results",
        "2",
        "--no-paginate",
    ]);
    assert_eq!(p1["ChannelMemberships"].as_array().unwrap().len(), 2);
    let next = p1["NextToken"].as_str().unwrap();
    let p2 = cli.ok(&[
        "list-channel-memberships",
        "--channel-arn",
        &ch,
        "--chime-bearer",
        BOB,
        "--max-results",
        "2",
        "--next-token",
        next,
        "--no-paginate",
    ]);
    let all: Vec<&str> = p1["ChannelMemberships"]
        .as_array()
        .unwrap()
        .iter()
        .chain(p2["ChannelMemberships"].as_array().unwrap())
        .map(|m| m["Member"]["Arn"].as_str().unwrap())
        .collect();
    assert_eq!(all, [ALICE, BOB, CAROL, BOT]);
    assert!(p2.get("NextToken").is_none());

    // ForAppInstanceUser: oneself, or another user only as an AppInstanceAdmin.
    let mine = cli.ok(&[
        "list-channel-memberships-for-app-instance-user",
        "--app-instance-user-arn",
        BOB,
        "--chime-bearer",
        BOB,
    ]);
    assert_eq!(mine["ChannelMemberships"][0]["ChannelSummary"]["ChannelArn"], ch.as_str());
    cli.fails(
        &[
            "list-channel-memberships-for-app-instance-user",
            "--app-instance-user-arn",
            CAROL,
            "--chime-bearer",
            BOB,
        ],
        "ForbiddenException",
    );
    let hers = cli.ok(&[
        "list-channel-memberships-for-app-instance-user",
        "--app-instance-user-arn",
        CAROL,
        "--chime-bearer",
        ALICE,
    ]);
    assert_eq!(hers["ChannelMemberships"].as_array().unwrap().len(), 1);
    let one = cli.ok(&[
        "describe-channel-membership-for-app-instance-user",
        "--channel-arn",
        &ch,
        "--app-instance-user-arn",
        BOB,
        "--chime-bearer",
        BOB,
    ]);
    assert_eq!(one["ChannelMembership"]["AppInstanceUserMembershipSummary"]["Type"], "DEFAULT");
    assert_eq!(one["ChannelMembership"]["ChannelSummary"]["Name"], "All hands");

    // Preferences: the member's own only, an admin neither reads nor writes them.
    let prefs = r#"{"PushNotifications": {"AllowNotifications": "FILTERED", "FilterRule": "{\"mention\":[\"Bob\"]}"}}"#;
    let put = cli.ok(&[
        "put-channel-membership-preferences",
        "--channel-arn",
        &ch,
        "--member-arn",
        BOB,
        "--chime-bearer",
        BOB,
        "--preferences",
        prefs,
    ]);
    assert_eq!(put["Preferences"]["PushNotifications"]["AllowNotifications"], "FILTERED");
    let got = cli.ok(&[
        "get-channel-membership-preferences",
        "--channel-arn",
        &ch,
        "--member-arn",
        BOB,
        "--chime-bearer",
        BOB,
    ]);
    assert_eq!(got["Preferences"]["PushNotifications"]["FilterRule"], r#"{"mention":["Bob"]}"#);
    assert_eq!(got["Member"]["Arn"], BOB);
    cli.fails(
        &[
            "get-channel-membership-preferences",
            "--channel-arn",
            &ch,
            "--member-arn",
            BOB,
            "--chime-bearer",
            ALICE,
        ],
        "ForbiddenException",
    );
    cli.fails(
        &[
            "put-channel-membership-preferences",
            "--channel-arn",
            &ch,
            "--member-arn",
            BOB,
            "--chime-bearer",
            ALICE,
            "--preferences",
            prefs,
        ],
        "ForbiddenException",
    );
    let six: Vec<String> = (0..6).map(|i| format!(r#"{{\"k{i}\":[\"v\"]}}"#)).collect();
    let bad = format!(
        r#"{{"PushNotifications": {{"AllowNotifications": "FILTERED", "FilterRule": "{{\"$or\":[{}]}}"}}}}"#,
        six.join(",")
    );
    let err = cli.fails(
        &[
            "put-channel-membership-preferences",
            "--channel-arn",
            &ch,
            "--member-arn",
            BOB,
            "--chime-bearer",
            BOB,
            "--preferences",
            &bad,
        ],
        "BadRequestException",
    );
    assert!(err.contains("at most 5"), "{err}");
    let not_json =
        r#"{"PushNotifications": {"AllowNotifications": "FILTERED", "FilterRule": "mention=Bob"}}"#;
    cli.fails(
        &[
            "put-channel-membership-preferences",
            "--channel-arn",
            &ch,
            "--member-arn",
            BOB,
            "--chime-bearer",
            BOB,
            "--preferences",
            not_json,
        ],
        "BadRequestException",
    );

    // Messages: sent, read back one at a time and listed (newest first, or oldest first).
    let attrs = r#"{"mention": {"StringValues": ["Bob"]}}"#;
    let first = cli.ok(&send(
        &ch,
        "hello Bob",
        CAROL,
        &["--message-attributes", attrs, "--push-notification", "Title=Carol,Body=hello,Type=DEFAULT"],
    ));
    let id1 = first["MessageId"].as_str().unwrap().to_string();
    assert_eq!(first["Status"]["Value"], "SENT");
    let second = cli.ok(&send(&ch, "second", BOB, &[]));
    let id2 = second["MessageId"].as_str().unwrap().to_string();
    let got =
        cli.ok(&["get-channel-message", "--channel-arn", &ch, "--message-id", &id1, "--chime-bearer", BOB]);
    let msg = &got["ChannelMessage"];
    assert_eq!(msg["Content"], "hello Bob");
    assert_eq!(msg["Sender"], json!({"Arn": CAROL, "Name": "Carol"}));
    assert_eq!(msg["MessageAttributes"], serde_json::from_str::<Value>(attrs).unwrap());
    assert!(msg.get("PushNotification").is_none(), "{msg}");
    let newest = cli.ok(&["list-channel-messages", "--channel-arn", &ch, "--chime-bearer", BOB]);
    let ids: Vec<&str> = newest["ChannelMessages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["MessageId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id2.as_str(), id1.as_str()]);
    let oldest = cli.ok(&[
        "list-channel-messages",
        "--channel-arn",
        &ch,
        "--chime-bearer",
        BOB,
        "--sort-order",
        "ASCENDING",
        "--not-before",
        "2000-01-01T00:00:00Z",
    ]);
    assert_eq!(oldest["ChannelMessages"][0]["MessageId"], id1.as_str());
    let none = cli.ok(&[
        "list-channel-messages",
        "--channel-arn",
        &ch,
        "--chime-bearer",
        BOB,
        "--not-after",
        "2000-01-01T00:00:00Z",
    ]);
    assert_eq!(none["ChannelMessages"], json!([]));
    cli.fails(
        &["get-channel-message", "--channel-arn", &ch, "--message-id", "nope", "--chime-bearer", BOB],
        "NotFoundException",
    );
    let big = format!(r#"{{"k": {{"StringValues": ["{}"]}}}}"#, "x".repeat(1100));
    cli.fails(&send(&ch, "x", BOB, &["--message-attributes", &big]), "BadRequestException");

    // Tags on a channel, through Messaging's own commands (the /tags route, by the ARN's kind).
    let tags = cli.ok(&["list-tags-for-resource", "--resource-arn", &ch]);
    assert_eq!(tags["Tags"], json!([{"Key": "team", "Value": "core"}]));
    cli.ok(&["tag-resource", "--resource-arn", &ch, "--tags", "Key=tier,Value=gold"]);
    cli.ok(&["untag-resource", "--resource-arn", &ch, "--tag-keys", "team"]);
    let tags = cli.ok(&["list-tags-for-resource", "--resource-arn", &ch]);
    assert_eq!(tags["Tags"], json!([{"Key": "tier", "Value": "gold"}]));

    // A member leaves; deleting a user takes its memberships with it.
    cli.ok(&[
        "delete-channel-membership",
        "--channel-arn",
        &ch,
        "--member-arn",
        BOT,
        "--chime-bearer",
        ALICE,
    ]);
    let out = cli.run("chime-sdk-identity", &["delete-app-instance-user", "--app-instance-user-arn", CAROL]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let left = cli.ok(&["list-channel-memberships", "--channel-arn", &ch, "--chime-bearer", BOB]);
    let left: Vec<&str> = left["ChannelMemberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Member"]["Arn"].as_str().unwrap())
        .collect();
    assert_eq!(left, [ALICE, BOB]);

    // DeleteChannel: a member is refused, the moderator deletes it, and then it is not found.
    cli.fails(&["delete-channel", "--channel-arn", &ch, "--chime-bearer", BOB], "ForbiddenException");
    cli.ok(&["delete-channel", "--channel-arn", &ch, "--chime-bearer", ALICE]);
    cli.fails(&["describe-channel", "--channel-arn", &ch, "--chime-bearer", ALICE], "NotFoundException");
}

#[test]
fn bearers_private_channels_and_unserved_operations_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_emu, cli)) = start(dir.path()) else { return };
    let made = cli.ok(&[
        "create-channel",
        "--app-instance-arn",
        INST,
        "--name",
        "Secret",
        "--privacy",
        "PRIVATE",
        "--member-arns",
        CAROL,
        "--chime-bearer",
        ALICE,
    ]);
    let ch = made["ChannelArn"].as_str().unwrap().to_string();
    assert!(ch.starts_with(&format!("{INST}/channel/")), "{ch}");
    // Bob is of the instance but not a member: he neither reads nor sends.
    let err =
        cli.fails(&["describe-channel", "--channel-arn", &ch, "--chime-bearer", BOB], "ForbiddenException");
    assert!(err.contains("not a member of the private channel"), "{err}");
    cli.fails(&send(&ch, "hi", BOB, &[]), "ForbiddenException");
    cli.fails(&["list-channel-messages", "--channel-arn", &ch, "--chime-bearer", BOB], "ForbiddenException");
    cli.ok(&send(&ch, "hi", CAROL, &[]));
    // Bob lists the public channels only; asking for the private ones is an admin's right.
    let l = cli.ok(&["list-channels", "--app-instance-arn", INST, "--chime-bearer", BOB]);
    assert_eq!(l["Channels"], json!([]));
    cli.fails(
        &["list-channels", "--app-instance-arn", INST, "--privacy", "PRIVATE", "--chime-bearer", BOB],
        "ForbiddenException",
    );
    let l = cli.ok(&[
        "list-channels",
        "--app-instance-arn",
        INST,
        "--privacy",
        "PRIVATE",
        "--chime-bearer",
        ALICE,
    ]);
    assert_eq!(l["Channels"][0]["Name"], "Secret");
    // A bearer that is no user or bot of the instance, or does not exist.
    let stranger = "arn:aws:chime:us-east-1:123456789012:app-instance/other/user/x";
    let err = cli
        .fails(&["describe-channel", "--channel-arn", &ch, "--chime-bearer", stranger], "ForbiddenException");
    assert!(err.contains("x-amz-chime-bearer"), "{err}");
    cli.fails(&["describe-channel", "--channel-arn", &ch, "--chime-bearer", DAVE], "ForbiddenException");
    let missing = format!("{INST}/channel/missing");
    cli.fails(&["describe-channel", "--channel-arn", &missing, "--chime-bearer", ALICE], "NotFoundException");
    // An operation of the model the emulator does not serve names itself; never a 404.
    let err = cli.fails(
        &["create-channel-ban", "--channel-arn", &ch, "--member-arn", BOB, "--chime-bearer", ALICE],
        "NotImplementedException",
    );
    assert!(err.contains("CreateChannelBan") && err.contains("does not serve"), "{err}");
    let err = cli.fails(&["get-messaging-session-endpoint"], "NotImplementedException");
    assert!(err.contains("GetMessagingSessionEndpoint"), "{err}");
    // Deleting the app instance takes its channels with it.
    let out = cli.run("chime-sdk-identity", &["delete-app-instance", "--app-instance-arn", INST]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let state = emu::admin(&cli.url, "GET", "state", "").1;
    assert!(state.get("Channels").is_none(), "{state}");
}
