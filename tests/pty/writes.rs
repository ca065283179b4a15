//! The browser's writes end to end: the built binary in a pseudo-terminal against an emulator
//! process over loopback, each effect confirmed by another client (the AWS CLI, else
//! `chimescope describe`): flip AllowMessages, deregister with the typed ID (and a wrong ID
//! doing nothing), register through the form, a duplicate token's ConflictException shown in
//! place, read-only mode refusing.

use crate::awscli;
use crate::emu;
use crate::pty;

use emu::{EmuProc, U42};
use pty::{ENTER, ESC, Pty, Spawn, TAB, paste};
use serde_json::Value;
use std::path::Path;

const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";
const CREDS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

fn browser(home: &Path, url: &str, extra: &[&str]) -> Pty {
    browser_with(home, url, extra, &[])
}

/// [`browser`] with more environment variables.
fn browser_with(home: &Path, url: &str, extra: &[&str], extra_env: &[(&str, &str)]) -> Pty {
    let mut args = vec!["--endpoint-url", url];
    args.extend_from_slice(extra);
    let mut env: Vec<(&str, &str)> = CREDS.to_vec();
    env.extend_from_slice(extra_env);
    let p = Pty::spawn(Spawn { args: &args, env: &env, ..Spawn::default() }, home);
    p.wait_for("Nothing looked up yet");
    p
}

/// No write reached the service (`context` names the case), and ep-1 is as seeded.
fn assert_nothing_written(url: &str, context: &str) {
    for op in [
        "UpdateAppInstanceUserEndpoint",
        "DeregisterAppInstanceUserEndpoint",
        "RegisterAppInstanceUserEndpoint",
    ] {
        assert_eq!(operations(url, op), 0, "{context}: {op}");
    }
    assert_eq!(describe(url, "ep-1").unwrap()["AllowMessages"], "ALL", "{context}");
}

/// The endpoint as another client reads it (None: it does not exist).
fn describe(url: &str, id: &str) -> Option<Value> {
    awscli::describe_elsewhere(url, U42, id)
}

fn operations(url: &str, op: &str) -> usize {
    let (_, log) = emu::admin(url, "GET", "requests", "");
    log["Requests"].as_array().unwrap().iter().filter(|r| r["Operation"] == op).count()
}

/// The user's endpoints listed (Enter with the ARN alone).
fn list_u42(p: &mut Pty) {
    p.send(&paste(U42));
    p.send(ENTER);
    p.wait_for_all(&["Endpoints of", "5 endpoints", "› ● ep-1"]);
}

#[test]
fn m_flips_allow_messages_and_another_client_sees_it() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    p.send(&paste(&format!("{U42}\nep-1")));
    p.send(ENTER);
    p.wait_for("Messages      ALL");
    p.send("m");
    p.wait_for_all(&[
        "Flip AllowMessages of ep-1?",
        "AllowMessages: ALL → NONE",
        "update-app-instance-user-endpoint",
    ]);
    assert_eq!(operations(&emu.url, "UpdateAppInstanceUserEndpoint"), 0, "nothing before y");
    p.send("y");
    let screen = p.wait_for_all(&["AllowMessages of ep-1 is now NONE", "Messages      NONE"]);
    assert!(!screen.contains("Flip AllowMessages"), "the dialog closed: {screen}");
    assert_eq!(describe(&emu.url, "ep-1").unwrap()["AllowMessages"], "NONE");
    // The refreshed record marks what changed (against the lookup before the write).
    p.wait_for("was ALL");
    p.send("q");
    p.wait_exit();
}

#[test]
fn d_deregisters_only_on_the_typed_id_and_the_endpoint_leaves_the_list() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    list_u42(&mut p);
    p.send("j");
    p.wait_for("› ● ep-2");
    // A wrong ID: Enter (to the buttons, on Cancel), Tab (to Deregister), Enter: refused.
    p.send("D");
    p.wait_for_all(&["Deregister ep-2?", "Type the endpoint ID (ep-2) to confirm", "[ Cancel ]"]);
    p.send("ep-9");
    p.send(ENTER);
    p.send(TAB);
    p.send(ENTER);
    p.wait_for("The typed ID does not match the endpoint ID: nothing sent");
    p.send(ESC);
    p.wait_until("the dialog closed", |s| !s.contains("Deregister ep-2?"));
    assert_eq!(operations(&emu.url, "DeregisterAppInstanceUserEndpoint"), 0);
    assert!(describe(&emu.url, "ep-2").is_some(), "still there");
    // Enter on the default (Cancel) cancels too.
    p.send("D");
    p.wait_for("Deregister ep-2?");
    p.send("ep-2");
    p.send(ENTER);
    p.send(ENTER);
    p.wait_for("Cancelled: nothing sent");
    assert_eq!(operations(&emu.url, "DeregisterAppInstanceUserEndpoint"), 0);
    // The right ID, Tab to Deregister, Enter: gone from the list, its record offered.
    p.send("D");
    p.wait_for("Deregister ep-2?");
    p.send("ep-2");
    p.send(ENTER);
    p.send(TAB);
    p.send(ENTER);
    p.wait_for_all(&["Deregistered ep-2 · Y copies its record", "4 endpoints"]);
    let screen = p.screen();
    assert!(!screen.contains("● ep-2 "), "{screen}");
    assert!(describe(&emu.url, "ep-2").is_none(), "another client finds it gone");
    p.send("q");
    p.wait_exit();
}

#[test]
fn n_registers_through_the_form_and_a_duplicate_token_is_shown_in_place() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    list_u42(&mut p);
    p.send("n");
    // u-42's endpoints name two Pinpoint apps: nothing prefilled, and said so.
    p.wait_for_all(&["Register an endpoint for u-42", "different Resource ARNs: paste one"]);
    p.send("g"); // Type: GCM
    p.send(TAB);
    p.send(&paste(APP));
    p.send(TAB);
    // ep-9's device token (GCM): the service refuses it, and the form says so in place.
    let dup = "f82eae6fd063bd7d6440b2:APA91b82eae6fd063bd7d6440b2b313b72f3d8782748e2aaa9a7267434ad15566d6a86e36eb034e56ab674ba3c1827e8433121bf76123c31da95ea87c7bb753b5e873782eae6";
    p.send(&paste(dup));
    p.wait_for(&format!("({} chars, s shows)", dup.len()));
    p.send(ENTER);
    p.wait_for_all(&[
        "Register this endpoint?",
        "register-app-instance-user-endpoint",
        &format!("Device token: {} chars", dup.len()),
    ]);
    assert!(!p.screen().contains("APA91b"), "the token is masked on screen");
    p.send("y");
    p.wait_for_all(&["ConflictException", "Nothing was changed", "Register an endpoint for u-42"]);
    assert_eq!(operations(&emu.url, "RegisterAppInstanceUserEndpoint"), 1);
    // Another token: registered, the form closes, the list shows six.
    p.send("\x15"); // Ctrl-U: clear the field
    p.send(&paste("fcm-new-token-from-the-form"));
    p.wait_until("the failure cleared", |s| !s.contains("ConflictException"));
    p.send(ENTER);
    p.wait_for("Register this endpoint?");
    p.send("y");
    let screen = p.wait_for_all(&["Registered endpoint", "6 endpoints"]);
    let id = screen
        .split("Registered endpoint ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap()
        .to_string();
    let e = describe(&emu.url, &id).expect("another client sees the new endpoint");
    assert_eq!(e["EndpointAttributes"]["DeviceToken"], "fcm-new-token-from-the-form");
    assert_eq!((&e["Type"], &e["ResourceArn"]), (&"GCM".into(), &APP.into()));
    p.send("q");
    p.wait_exit();
}

#[test]
fn read_only_refuses_the_write_keys_and_sends_nothing() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &["--readonly"]);
    p.send(&paste(&format!("{U42}\nep-1")));
    p.send(ENTER);
    let screen = p.wait_for_all(&["Messages      ALL", "read-only · profile"]);
    assert!(!screen.contains("m/e/D"), "write keys hidden: {screen}");
    for k in ["m", "D", "e"] {
        p.send(k);
        p.wait_for("Read-only mode: writes are off (nothing sent)");
        assert!(!p.screen().contains("Flip AllowMessages"));
        p.send("j"); // retire the message
        p.wait_until("the message gone", |s| !s.contains("Read-only mode"));
    }
    p.send("?");
    let help = p.wait_for("Keys");
    assert!(!help.contains("deregister the endpoint"), "{help}");
    p.send(ESC);
    p.wait_until("the help closed", |s| !s.contains("Keys"));
    p.send("q");
    p.wait_exit();
    assert_nothing_written(&emu.url, "--readonly");
}

/// Quitting while a write waits for its answer: stderr names the write and a whole command to
/// check it with, and the exit code is 255, not 0.
#[test]
fn quitting_while_a_write_is_unanswered_exits_255_with_a_whole_command() {
    let emu = EmuProc::start(&["--fault", "UpdateAppInstanceUserEndpoint:slow:20000"]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    p.send(&paste(&format!("{U42}\nep-1")));
    p.send(ENTER);
    p.wait_for("Messages      ALL");
    p.send("m");
    p.wait_for("Flip AllowMessages of ep-1?");
    p.send("y");
    p.wait_for("Sending");
    p.send(pty::CTRL_C);
    let st = p.wait_exit();
    assert_eq!(st.exit_code(), 255, "{st:?}");
    let out = p.output_text();
    assert!(out.contains("it may have been applied"), "{out}");
    assert!(out.contains(&format!("(chimescope list --app-instance-user-arn {U42})")), "{out}");
}

/// Read-only from outside the browser (`--readonly`, `CHIMESCOPE_READONLY=1`, `[aws] readonly`
/// in config.toml): `:write` does not lift it, `m` then `y` sends nothing.
fn write_cannot_lift(source: &str, extra_args: &[&str], extra_env: &[(&str, &str)], config: Option<&str>) {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    if let Some(c) = config {
        let dir = home.path().join(".config/chimescope");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), c).unwrap();
    }
    let mut p = browser_with(home.path(), &emu.url, extra_args, extra_env);
    p.send(&paste(&format!("{U42}\nep-1")));
    p.send(ENTER);
    p.wait_for_all(&["Messages      ALL", "read-only · profile"]);
    p.send(":write");
    p.send(ENTER);
    let screen = p.wait_for("Still read-only");
    assert!(screen.contains(source), "{source} named: {screen}");
    p.send("m");
    p.wait_for("Read-only mode: writes are off (nothing sent)");
    p.send("y");
    assert!(!p.screen().contains("Flip AllowMessages"));
    p.send("q");
    p.wait_exit();
    assert_nothing_written(&emu.url, source);
}

#[test]
fn write_cannot_lift_read_only_from_the_flag() {
    write_cannot_lift("--readonly", &["--readonly"], &[], None);
}

#[test]
fn write_cannot_lift_read_only_from_the_environment() {
    write_cannot_lift("CHIMESCOPE_READONLY", &[], &[("CHIMESCOPE_READONLY", "1")], None);
}

#[test]
fn write_cannot_lift_read_only_from_the_config_file() {
    write_cannot_lift("[aws] readonly", &[], &[], Some("[aws]\nreadonly = true\n"));
}
