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

/// `D` on the endpoint on show, its ID typed, Tab to Deregister, Enter: sent.
fn deregister_typed(p: &mut Pty, id: &str) {
    p.send("D");
    p.wait_for(&format!("Deregister {id}?"));
    p.send(id);
    p.send(ENTER);
    p.send(TAB);
    p.send(ENTER);
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
    deregister_typed(&mut p, "ep-2");
    p.wait_for_all(&["Deregistered ep-2 · Y copies its record", "4 endpoints"]);
    let screen = p.screen();
    // Gone from the list (Recent keeps it, as deregistered).
    assert!(!screen.contains("│  ● ep-2 "), "{screen}");
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

#[test]
fn deregistering_a_described_endpoint_keeps_the_user_and_recent_keeps_the_record() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    p.send(&paste(&format!("{U42}\nep-2")));
    p.send(ENTER);
    p.wait_for("Endpoint ID   ep-2");
    deregister_typed(&mut p, "ep-2");
    // The user stays in view: their remaining endpoints, the ARN input still theirs.
    let screen = p.wait_for_all(&["Deregistered ep-2", "Endpoints of", "4 endpoints", "Recent keeps it"]);
    assert!(screen.contains("User ARN …123456789012:app-instance/"), "{screen}");
    assert!(!screen.contains("ep-2         ACTIVE"), "{screen}");
    // Recent no longer shows ep-2 as current: it says it was deregistered.
    p.wait_for("deregistered · u-42");
    // Long after the notice, the record is still there: Recent, s (in clear), Y.
    p.send("s");
    for _ in 0..4 {
        if p.screen().contains("Enter show") {
            break;
        }
        p.send(TAB);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    p.wait_for("Enter show");
    p.send(ENTER);
    p.wait_for_all(&["✘ Deregistered", "this is the record removed", "Y copies it, to register it again"]);
    p.send("Y");
    p.wait_for("Copied endpoint as JSON, Name and device tokens in clear");
    p.send("q");
    assert!(p.wait_exit().success());
    let copied = pty::osc52_payloads(&p.output());
    let json: Value = serde_json::from_str(copied.last().expect("a copy")).expect("JSON");
    let ep = &json["AppInstanceUserEndpoint"];
    assert_eq!(ep["EndpointId"], "ep-2");
    let token = ep["EndpointAttributes"]["DeviceToken"].as_str().unwrap();
    assert!(!token.contains("masked") && !token.is_empty(), "{token}");
    // On disk: the entry says deregistered, and holds no secret.
    let text = std::fs::read_to_string(home.path().join(".local/state/chimescope/history.json")).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["entries"][0]["outcome"]["error"], "deregistered", "{text}");
    assert!(!text.contains(token), "{text}");
    // `chimescope history` says so too.
    let out = std::process::Command::new(pty::BIN)
        .args(["history", "--output", "text"])
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join(".local/state"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.lines().any(|l| l.contains("ep-2") && l.contains("deregistered")), "{out}");
}

#[test]
fn e_keeps_the_name_when_left_empty_and_clears_it_only_when_chosen() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    let before = describe(&emu.url, "ep-1").unwrap()["Name"].as_str().unwrap().to_string();
    assert!(!before.is_empty());
    p.send(&paste(&format!("{U42}\nep-1")));
    p.send(ENTER);
    p.wait_for("Messages      ALL");
    p.send("e");
    // The Name field starts empty and says the Name stays, masked by its length.
    let n = before.chars().count();
    let screen = p.wait_for_all(&["Edit endpoint ep-1", &format!("unchanged (now {n} chars"), "Clear Name"]);
    assert!(!screen.contains(&before), "{screen}");
    // Enter with nothing changed: refused, nothing sent.
    p.send(ENTER);
    p.wait_for("Nothing changed");
    // Clear Name: yes (Tab twice, y), Enter: the confirmation says old → none.
    p.send(TAB);
    p.send(TAB);
    p.send("y");
    p.wait_for("○ no  ● yes");
    p.send(ENTER);
    p.wait_for_all(&["Update endpoint ep-1?", &format!("({n} chars) → none")]);
    assert_eq!(operations(&emu.url, "UpdateAppInstanceUserEndpoint"), 0, "nothing before y");
    p.send("y");
    p.wait_for("Name of ep-1 changed");
    let after = describe(&emu.url, "ep-1").unwrap();
    assert!(after["Name"].as_str().is_none_or(str::is_empty), "{after}");
    p.send("q");
    p.wait_exit();
}

/// The user's endpoints as another client lists them: (ID, device token).
fn endpoints_of_u42(url: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in ["ep-1", "ep-2", "ep-9", "ep-pinpoint", "ep-muted"] {
        if let Some(e) = describe(url, id) {
            out.push((
                id.to_string(),
                e["EndpointAttributes"]["DeviceToken"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    out
}

#[test]
fn r_registers_a_new_endpoint_first_and_only_then_deregisters_the_old_one() {
    // The first registration is refused (as a missing IAM permission would be).
    let emu = EmuProc::start(&["--fault", "RegisterAppInstanceUserEndpoint:forbidden:1"]);
    let home = tempfile::tempdir().unwrap();
    let mut p = browser(home.path(), &emu.url, &[]);
    p.send(&paste(&format!("{U42}\nep-9")));
    p.send(ENTER);
    p.wait_for("INVALID_DEVICE_TOKEN");
    // The Diagnosis offers it on the finding (g: the cursor to the first one).
    p.send("g");
    p.wait_for("R does it here");
    p.send("R");
    // Prefilled from the record: its Type, its Resource ARN; the token asked anew.
    p.wait_for_all(&["Register ep-9 again", "● GCM", &APP[APP.len() - 30..], "the device's new token"]);
    // The registration refused: said in place, ep-9 untouched.
    let token = format!("cN3w9x2aQ:APA91b{}", "Q".repeat(140));
    p.send(&paste(&token));
    p.send(ENTER);
    p.wait_for_all(&[
        "Register a new endpoint, then deregister ep-9?",
        "deregister-app-instance-user-endpoint",
    ]);
    p.send("y");
    p.wait_for_all(&["ForbiddenException", "Register ep-9 again"]);
    assert_eq!(operations(&emu.url, "RegisterAppInstanceUserEndpoint"), 1);
    assert_eq!(operations(&emu.url, "DeregisterAppInstanceUserEndpoint"), 0, "the old one stays");
    assert!(describe(&emu.url, "ep-9").is_some());
    // Again: registered, then ep-9 deregistered.
    p.send(ENTER);
    p.wait_for("Register a new endpoint, then deregister ep-9?");
    p.send("y");
    p.wait_for("Registered ep-9 again as");
    assert!(describe(&emu.url, "ep-9").is_none(), "the old one went");
    let (_, log) = emu::admin(&emu.url, "GET", "requests", "");
    let ops: Vec<&str> = log["Requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["Operation"].as_str())
        .filter(|o| o.starts_with("Register") || o.starts_with("Deregister"))
        .collect();
    assert_eq!(
        ops,
        [
            "RegisterAppInstanceUserEndpoint",
            "RegisterAppInstanceUserEndpoint",
            "DeregisterAppInstanceUserEndpoint"
        ],
        "registered first, deregistered after"
    );
    // The new endpoint is the user's, with the new token.
    let out = std::process::Command::new(pty::BIN)
        .args(["list", "--app-instance-user-arn", U42, "--endpoint-url", &emu.url, "--output", "json"])
        .envs(CREDS)
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let ids: Vec<&str> = listed["AppInstanceUserEndpoints"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["EndpointId"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids.len(), 5, "{listed}");
    assert!(!ids.contains(&"ep-9"), "{listed}");
    assert!(!endpoints_of_u42(&emu.url).iter().any(|(id, _)| id == "ep-9"));
    p.send("q");
    p.wait_exit();
}
