//! The browser's test push end to end: the built binary in a pseudo-terminal against an
//! emulator process over loopback. `t` asks first (the `aws pinpoint send-messages` command,
//! the token masked), `y` sends exactly one SendMessages (the emulator's request log), the
//! provider's answer is said in words with the fix offered in place (`D`: the deregistration's
//! typed confirmation), and read-only mode refuses `t` with nothing sent. The token is on no
//! screen and in no file.

use crate::emu;
use crate::pty;

use emu::{EmuProc, U42};
use pty::{ENTER, ESC, Pty, Spawn, paste};
use std::path::Path;

const CREDS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

fn browser(home: &Path, url: &str, extra: &[&str]) -> Pty {
    let mut args = vec!["--endpoint-url", url];
    args.extend_from_slice(extra);
    // The log at its most talkative: the token must not be in it either.
    let mut env = CREDS.to_vec();
    env.push(("CHIMESCOPE_LOG", "debug"));
    // Tall enough for the detail pane to show the trace under the fields.
    let p = Pty::spawn(Spawn { args: &args, env: &env, cols: 120, rows: 60, ..Spawn::default() }, home);
    p.wait_for("Nothing looked up yet");
    p
}

/// The demo seed's DeviceToken of u-42's `id`.
fn token_of(id: &str) -> String {
    let seed = emu::demo_seed();
    let e = seed["AppInstanceUserEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["EndpointId"] == id && e["AppInstanceUserArn"] == U42)
        .unwrap()
        .clone();
    e["EndpointAttributes"]["DeviceToken"].as_str().unwrap().to_string()
}

fn operations(url: &str, op: &str) -> usize {
    emu::requests(url).iter().filter(|r| r["Operation"] == op).count()
}

fn open_ep1(p: &mut Pty) {
    p.send(&paste(&format!("{U42}\nep-1")));
    p.send(ENTER);
    p.wait_for("Messages      ALL");
}

/// Every file under `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if String::from_utf8_lossy(&std::fs::read(&p).unwrap()).contains(needle) {
                found.push(p.display().to_string());
            }
        }
    }
    found
}

#[test]
fn t_asks_first_then_sends_one_push_and_offers_the_fix_for_a_dead_token() {
    let emu = EmuProc::start(&[]);
    let token = token_of("ep-1");
    let (status, _) = emu::admin(
        &emu.url,
        "POST",
        "push-outcomes",
        &serde_json::json!({"PushOutcomes": [{"Token": token, "Outcome": "Unregistered"}]}).to_string(),
    );
    assert_eq!(status, 200);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    open_ep1(&mut p);
    // The trace names the provider gate as not checked, and the key that checks it.
    p.wait_for_all(&["Path of a push", "t sends a test push"]);
    p.send("t");
    let screen = p.wait_for_all(&[
        "Test push to ep-1?",
        "aws pinpoint send-messages --application-id",
        "APNS_SANDBOX channel",
        "s: a silent push",
    ]);
    assert!(screen.contains("<64 chars>"), "the token masked in the command: {screen}");
    assert_eq!(operations(&emu.url, "SendMessages"), 0, "nothing before y");
    // s offers a silent push; s again, the alert.
    p.send("s");
    p.wait_for("A silent push (background, nothing shown)");
    p.send("s");
    p.wait_for("s: a silent push");
    p.send("y");
    let screen =
        p.wait_for_all(&["PERMANENT_FAILURE", "Unregistered", "no longer knows this token", "D deregisters"]);
    assert!(!screen.contains(&token), "the token on screen: {screen}");
    assert_eq!(operations(&emu.url, "SendMessages"), 1, "one push per confirmation");
    // The fix in place: D opens the deregistration's typed confirmation of this endpoint.
    p.send("D");
    p.wait_for_all(&["Deregister ep-1?", "Type the endpoint ID (ep-1) to confirm"]);
    p.send(ESC);
    let screen = p.wait_until("the dialog closed", |s| !s.contains("Deregister ep-1?"));
    assert!(screen.contains("Unregistered"), "the trace keeps the provider's answer: {screen}");
    assert_eq!(operations(&emu.url, "DeregisterAppInstanceUserEndpoint"), 0);
    assert_eq!(operations(&emu.url, "SendMessages"), 1);
    p.send("q");
    p.wait_exit();
    assert!(
        files_holding(home.path(), &token).is_empty(),
        "a token in a file: {:?}",
        files_holding(home.path(), &token)
    );
}

#[test]
fn read_only_refuses_t_and_nothing_is_sent() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &["--readonly"]);
    open_ep1(&mut p);
    p.wait_for("a test push asks the provider");
    p.send("t");
    p.wait_for("Read-only mode: a test push is a write (nothing sent)");
    assert_eq!(operations(&emu.url, "SendMessages"), 0);
    let screen = p.screen();
    assert!(!screen.contains("Test push to ep-1?"), "no dialog: {screen}");
    p.send("q");
    p.wait_exit();
}

const QA1: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab/user/qa-1";

/// `M` on the demo's qa-1 (a member of three channels: Device lab ALL, Release alerts muted,
/// Standup filtered on a mention) lists the memberships with their preferences, read as the
/// user in one ListChannelMembershipsForAppInstanceUser page and one
/// GetChannelMembershipPreferences a channel (the emulator's request log); Enter reads a
/// channel's FilterRule; afterwards the trace's membership gate names the muted and the filtered
/// channel with the doctor's codes.
#[test]
fn m_lists_the_users_memberships_with_their_preferences_and_the_trace_uses_them() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    p.send(&paste(&format!("{QA1}\nfarm-ios-1")));
    p.send(ENTER);
    p.wait_for_all(&["Path of a push", "M reads the user's memberships"]);
    assert_eq!(operations(&emu.url, "ListChannelMembershipsForAppInstanceUser"), 0, "read only when asked");
    p.send("M");
    let screen = p.wait_for_all(&[
        "Channel memberships of qa-1 (3)",
        "NONE: muted",
        "Release alerts",
        "Standup",
        "Device lab",
    ]);
    assert!(screen.contains("channel/standup"), "{screen}");
    assert_eq!(operations(&emu.url, "ListChannelMembershipsForAppInstanceUser"), 1);
    assert_eq!(operations(&emu.url, "GetChannelMembershipPreferences"), 3, "one a channel");
    // The filtered channel: its rule, in full with Enter (the rows in the service's order).
    let row = |name: &str| {
        screen
            .lines()
            .position(|l| l.contains(name) && l.contains("channel/"))
            .unwrap_or_else(|| panic!("{name}: {screen}"))
    };
    let first = ["Device lab", "Release alerts", "Standup"].map(row).into_iter().min().unwrap();
    for _ in first..row("Standup") {
        p.send("j");
    }
    p.send(ENTER);
    p.wait_for_all(&[
        r#"FilterRule {"mention":["qa-1"]}"#,
        "channel-filtered",
        "get-channel-membership-preferences",
    ]);
    // v: the membership's JSON.
    p.send("v");
    p.wait_for_all(&["JSON: membership", r#""AllowNotifications": "FILTERED""#]);
    p.send(ESC);
    p.wait_until("the raw view closed", |s| !s.contains("JSON: membership"));
    p.send(ESC);
    p.wait_until("the list closed", |s| !s.contains("Channel memberships of"));
    // The trace's membership gate, from what was read.
    p.send("G");
    p.wait_for_all(&["✗ channel-muted on Release alerts", "channel-filtered on Standup"]);
    assert_eq!(operations(&emu.url, "GetChannelMembershipPreferences"), 3, "nothing read again");
    p.send("q");
    p.wait_exit();
}
