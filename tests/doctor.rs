#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `chimescope doctor` as a process against an emulator process seeded here: the JSON shape,
//! the text form and the exit codes (0 no error finding, 1 an error finding, 252 bad
//! arguments, 254 the service's error), with the Pinpoint checks (the emulator serves the
//! Pinpoint reads on the same port) and without them (`--no-pinpoint`).

#[path = "common/chat.rs"]
mod chat;
#[path = "common/emu.rs"]
mod emu;
/// The membership gate (`--channel-arn`, `--message-id`, every membership).
#[path = "doctor/membership.rs"]
mod membership;
#[path = "common/pty.rs"]
mod pty;

use emu::EmuProc;
use serde_json::{Value, json};
use std::process::{Command, Output};

const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/doc-inst";
const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const HEX64: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
/// An app whose APNS channel is disabled, and one the caller may not read.
const OFF_APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0ff0ff0ff0ff0ff0ff0ff0ff0ff0ff0";
const DENIED_APP: &str =
    "arn:aws:mobiletargeting:us-east-1:123456789012:apps/de1ed0de1ed0de1ed0de1ed0de1ed0de";
const HEX64_B: &str = "b1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
const HEX64_C: &str = "c1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

fn user(id: &str) -> String {
    format!("{INST}/user/{id}")
}

fn endpoint(user_id: &str, id: &str, token: &str) -> Value {
    json!({
        "AppInstanceUserArn": user(user_id), "EndpointId": id, "Name": "Phone", "Type": "APNS",
        "ResourceArn": APP, "EndpointAttributes": {"DeviceToken": token},
        "AllowMessages": "ALL", "EndpointState": {"Status": "ACTIVE"}
    })
}

/// u-ok: one healthy APNs endpoint. u-bad: a token pasted from a debug print, the same token
/// on a second endpoint, and ExpirationSettings that should already have deleted the user.
/// u-off: an endpoint whose app's APNS channel is disabled. u-denied: a healthy endpoint and a
/// muted one on an app the caller may not read (DeniedOperations).
fn start() -> (EmuProc, tempfile::TempDir) {
    start_with(&[])
}

fn start_with(args: &[&str]) -> (EmuProc, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let pasted = format!("<{HEX64}>");
    let mut muted = on_app(endpoint("u-denied", "ep-muted", HEX64_C), DENIED_APP);
    muted["AllowMessages"] = json!("NONE");
    let seed = json!({
        "AppInstances": [{"AppInstanceArn": INST, "Name": "doctor"}],
        "AppInstanceUsers": [
            {"AppInstanceUserArn": user("u-ok"), "Name": "ok"},
            {"AppInstanceUserArn": user("u-bad"), "Name": "bad", "CreatedTimestamp": 1_600_000_000,
             "ExpirationSettings": {"ExpirationDays": 1, "ExpirationCriterion": "CREATED_TIMESTAMP"}}
        ],
        "AppInstanceUserEndpoints": [
            endpoint("u-ok", "ep-ok", HEX64),
            endpoint("u-bad", "ep-a", &pasted),
            endpoint("u-bad", "ep-b", &pasted),
            on_app(endpoint("u-off", "ep-off", HEX64), OFF_APP),
            on_app(endpoint("u-denied", "ep-fine", HEX64_B), DENIED_APP),
            muted,
        ],
        "PinpointApps": [
            {"Arn": APP, "Name": "doctor push", "Channels": {"APNS": {"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "HasTokenKey": true}}},
            {"Arn": OFF_APP, "Name": "off", "Channels": {"APNS": {"Enabled": false}}},
            {"Arn": DENIED_APP, "Name": "denied", "Channels": {"APNS": {"Enabled": true}},
             "DeniedOperations": ["GetApp", "GetApnsChannel"]}
        ]
    });
    let path = dir.path().join("seed.json");
    std::fs::write(&path, seed.to_string()).unwrap();
    let mut all = vec!["--seed", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let emu = EmuProc::start(&all);
    (emu, dir)
}

fn on_app(mut e: Value, app: &str) -> Value {
    e["ResourceArn"] = json!(app);
    e
}

fn codes(ep: &Value) -> Vec<(String, String)> {
    ep["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["Code"].as_str().unwrap().to_string(), f["Severity"].as_str().unwrap().to_string()))
        .collect()
}

fn doctor(emu: Option<&EmuProc>, home: &std::path::Path, args: &[&str]) -> Output {
    let mut c = base(home);
    c.args(args);
    // Never AWS: without an emulator, a closed loopback port (nothing should be sent anyway).
    c.args(["--endpoint-url", emu.map_or("http://127.0.0.1:9", |e| e.url.as_str())]);
    c.output().unwrap()
}

/// `chimescope doctor` with a clean environment and no endpoint.
fn base(home: &std::path::Path) -> Command {
    let mut c = emu::hermetic_signed(home);
    c.arg("doctor");
    c
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

#[test]
fn a_healthy_user_is_ok_and_exits_0() {
    let (emu, home) = start();
    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &user("u-ok")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        json_of(&out),
        json!({
            "Endpoints": [{"EndpointId": "ep-ok", "Verdict": "ok", "Findings": []}],
            "UserFindings": [],
            "Memberships": []
        })
    );
    let out = doctor(
        Some(&emu),
        home.path(),
        &["--app-instance-user-arn", &user("u-ok"), "--endpoint-id", "ep-ok"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_of(&out)["Endpoints"][0]["EndpointId"], "ep-ok");
}

#[test]
fn error_findings_exit_1_with_the_issue_s_json_shape() {
    let (emu, home) = start();
    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &user("u-bad"), "--no-pinpoint"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    let top: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(top, ["Endpoints", "UserFindings", "PinpointChecks", "Memberships"]);
    assert_eq!(v["PinpointChecks"], "skipped (--no-pinpoint)", "said in the data, not only in text");
    let eps = v["Endpoints"].as_array().unwrap();
    assert_eq!(eps.len(), 2);
    for (ep, id) in eps.iter().zip(["ep-a", "ep-b"]) {
        let keys: Vec<_> = ep.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["EndpointId", "Verdict", "Findings"]);
        assert_eq!(ep["EndpointId"], id);
        assert_eq!(ep["Verdict"], "error");
        let f = &ep["Findings"][0];
        let keys: Vec<_> = f.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["Code", "Severity", "Message", "Evidence", "Fix"]);
        assert_eq!((f["Code"].as_str(), f["Severity"].as_str()), (Some("token-shape"), Some("error")));
        assert!(f["Evidence"].as_str().unwrap().contains("length 66"), "{f}");
    }
    let user_codes: Vec<_> = v["UserFindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["Code"].clone(), f["Severity"].clone()))
        .collect();
    assert_eq!(
        user_codes,
        [(json!("user-expires"), json!("error")), (json!("duplicate-device-token"), json!("warning"))]
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(HEX64), "no token in the output: {stdout}");
}

#[test]
fn one_endpoint_gets_the_user_findings_that_concern_it_never_a_bare_user_ok() {
    let (emu, home) = start();
    let args = ["--app-instance-user-arn", &user("u-bad"), "--endpoint-id", "ep-a", "--no-pinpoint"];
    let out = doctor(Some(&emu), home.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    let eps = v["Endpoints"].as_array().unwrap();
    assert_eq!(eps.len(), 1);
    assert_eq!(eps[0]["EndpointId"], "ep-a");
    let codes: Vec<&str> =
        eps[0]["Findings"].as_array().unwrap().iter().map(|f| f["Code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["token-shape", "user-expires", "duplicate-device-token"], "{v}");
    let user: Vec<&str> =
        v["UserFindings"].as_array().unwrap().iter().map(|f| f["Code"].as_str().unwrap()).collect();
    assert_eq!(user, ["user-expires", "duplicate-device-token"], "{v}");
    assert_eq!(v["UserFindingsAbout"], "ep-a");
    let mut text_args = args.to_vec();
    text_args.extend(["--output", "text"]);
    let out = doctor(Some(&emu), home.path(), &text_args);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("ok (0 findings)"), "{text}");
    assert!(
        text.contains("user u-bad (the findings that concern endpoint ep-a): error (2 findings)"),
        "{text}"
    );
    assert!(!text.contains(HEX64), "{text}");
}

#[test]
fn text_has_a_verdict_line_per_endpoint_then_its_findings() {
    let (emu, home) = start();
    let out =
        doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &user("u-bad"), "--output", "text"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Its own finding, then the user's that concern it (its user is past its expiry, its
    // token is on ep-b too).
    assert_eq!(lines[0], "endpoint ep-a: error (3 findings)", "{text}");
    assert!(
        lines[1].starts_with("  error [token-shape]: the DeviceToken holds '<', '>' or spaces"),
        "{text}"
    );
    assert!(lines[2].starts_with("    evidence: Type: APNS; DeviceToken: length 66, "), "{text}");
    assert!(lines[3].starts_with("    fix: "), "{text}");
    assert!(lines[4].starts_with("  error [user-expires]: "), "{text}");
    assert!(lines[7].starts_with("  warning [duplicate-device-token]: "), "{text}");
    assert_eq!(lines[10], "endpoint ep-b: error (3 findings)", "{text}");
    assert!(lines.contains(&"user u-bad: error (2 findings)"), "{text}");
    assert!(!text.contains("Pinpoint channel checks"), "the Pinpoint checks ran: {text}");
    assert_eq!(lines.last(), Some(&"The user is a member of no channel."), "{text}");
    assert!(!text.contains(HEX64), "{text}");

    let out = doctor(
        Some(&emu),
        home.path(),
        &["--app-instance-user-arn", &user("u-ok"), "--output", "text", "--no-pinpoint"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "endpoint ep-ok: ok (0 findings)\nuser u-ok: ok (0 findings)\nPinpoint channel checks: not run (--no-pinpoint).\nThe user is a member of no channel.\n"
    );
}

#[test]
fn bad_arguments_exit_252_and_service_errors_254() {
    let home = tempfile::tempdir().unwrap();
    let out = doctor(None, home.path(), &["--app-instance-user-arn", "arn:aws:chime:us-east-1:1:nope"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--app-instance-user-arn"));
    let out =
        doctor(None, home.path(), &["--app-instance-user-arn", &user("u-ok"), "--endpoint-id", " ep-1"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--endpoint-id"));
    let out = doctor(None, home.path(), &["--app-instance-user-arn", &user("u-ok"), "--output", "yaml"]);
    assert_eq!(out.status.code(), Some(252), "clap's bad value is the CLI's 252 too");

    let (emu, home) = start();
    let out = doctor(
        Some(&emu),
        home.path(),
        &["--app-instance-user-arn", &user("u-ok"), "--endpoint-id", "ep-none"],
    );
    assert_eq!(out.status.code(), Some(254), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_disabled_channel_is_an_error_finding_and_exits_1_unless_no_pinpoint() {
    let (emu, home) = start();
    let arn = user("u-off");
    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &arn]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_eq!(v["Endpoints"][0]["Verdict"], "error");
    assert_eq!(codes(&v["Endpoints"][0]), [("pinpoint-channel-disabled".to_string(), "error".to_string())]);
    let f = &v["Endpoints"][0]["Findings"][0];
    assert_eq!(f["Evidence"], format!("ResourceArn: {OFF_APP}; APNS channel: Enabled false"));

    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &arn, "--output", "text"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "endpoint ep-off: error (1 finding)", "{text}");
    assert!(
        lines[1].starts_with("  error [pinpoint-channel-disabled]: the app's APNS channel is disabled"),
        "{text}"
    );

    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &arn, "--no-pinpoint"]);
    assert_eq!(out.status.code(), Some(0), "skipped, nothing else is wrong");
    assert_eq!(codes(&json_of(&out)["Endpoints"][0]), []);

    // `[doctor] pinpoint = false` in the config file: the same, and the text says what did it.
    let dir = home.path().join("config/chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[doctor]\npinpoint = false\n").unwrap();
    let (_, log) = emu::admin(&emu.url, "GET", "requests", "");
    let before = log["Requests"].as_array().unwrap().len();
    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &arn, "--output", "text"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Pinpoint channel checks: not run (config: [doctor] pinpoint = false)."), "{text}");
    let (_, log) = emu::admin(&emu.url, "GET", "requests", "");
    let ops: Vec<&str> = log["Requests"].as_array().unwrap()[before..]
        .iter()
        .map(|r| r["Operation"].as_str().unwrap())
        .collect();
    assert!(
        !ops.is_empty() && ops.iter().all(|op| !op.starts_with("GetApp") && !op.ends_with("Channel")),
        "{ops:?}"
    );
}

#[test]
fn a_forbidden_app_is_pinpoint_unreachable_naming_the_iam_actions_and_the_other_findings_still_show() {
    let (emu, home) = start();
    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &user("u-denied")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "messages-off is the user's choice, a warning: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    let eps = v["Endpoints"].as_array().unwrap();
    let by_id = |id: &str| eps.iter().find(|e| e["EndpointId"] == id).unwrap().clone();
    let fine = by_id("ep-fine");
    assert_eq!(fine["Verdict"], "warning", "could not be checked: {fine}");
    assert_eq!(codes(&fine), [("pinpoint-unreachable".to_string(), "warning".to_string())]);
    let f = &fine["Findings"][0];
    assert!(
        f["Fix"].as_str().unwrap().contains("mobiletargeting:GetApp, mobiletargeting:Get*Channel"),
        "{f}"
    );
    let evidence = f["Evidence"].as_str().unwrap();
    assert!(evidence.starts_with("GetApp: ForbiddenException (HTTP 403): "), "{evidence}");
    assert!(evidence.contains("GetApnsChannel: ForbiddenException (HTTP 403)"), "{evidence}");
    let muted = by_id("ep-muted");
    assert_eq!(
        codes(&muted),
        [
            ("messages-off".to_string(), "warning".to_string()),
            ("pinpoint-unreachable".to_string(), "warning".to_string())
        ]
    );

    // Only the healthy one: a warning is no error, exit 0.
    let out = doctor(
        Some(&emu),
        home.path(),
        &["--app-instance-user-arn", &user("u-denied"), "--endpoint-id", "ep-fine", "--output", "text"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("endpoint ep-fine: warning (1 finding)\n  warning [pinpoint-unreachable]: "),
        "{text}"
    );
}

#[test]
fn injected_pinpoint_faults_are_unreachable_and_not_found_is_app_missing() {
    let (emu, home) = start_with(&["--fault", "GetApp:failure", "--fault", "GetApnsChannel:not-found"]);
    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &user("u-ok")]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_eq!(
        codes(&v["Endpoints"][0]),
        [
            ("pinpoint-channel-missing".to_string(), "error".to_string()),
            ("pinpoint-unreachable".to_string(), "warning".to_string())
        ]
    );
    let evidence = v["Endpoints"][0]["Findings"][1]["Evidence"].as_str().unwrap().to_string();
    assert!(evidence.starts_with("GetApp: InternalServerErrorException (HTTP 500)"), "{evidence}");
    let fix = v["Endpoints"][0]["Findings"][1]["Fix"].as_str().unwrap().to_string();
    assert!(fix.starts_with("retry later"), "not an IAM problem: {fix}");
}

#[test]
fn pinpoint_follows_its_own_endpoint_variable_not_identity_s() {
    let (emu, home) = start();
    let arn = user("u-off");
    let run = |pinpoint: &str| {
        let out = base(home.path())
            .env("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", &emu.url)
            .env("AWS_ENDPOINT_URL_PINPOINT", pinpoint)
            // Never AWS: the membership reads follow their own variable.
            .env("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", &emu.url)
            .args(["--app-instance-user-arn", &arn, "--timeout", "5"])
            .output()
            .unwrap();
        (out.status.code(), codes(&json_of(&out)["Endpoints"][0]))
    };
    let (code, found) = run(&emu.url);
    assert_eq!(code, Some(1));
    assert_eq!(found, [("pinpoint-channel-disabled".to_string(), "error".to_string())]);
    // A closed port for Pinpoint only: Identity still answers, Pinpoint is unreachable.
    let (code, found) = run("http://127.0.0.1:9");
    assert_eq!(code, Some(0), "a warning only");
    assert_eq!(found, [("pinpoint-unreachable".to_string(), "warning".to_string())]);
}

/// How many of each Pinpoint read the emulator has logged.
fn pinpoint_reads(emu: &EmuProc) -> Vec<(String, usize)> {
    let (_, log) = emu::admin(&emu.url, "GET", "requests", "");
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for r in log["Requests"].as_array().unwrap() {
        let op = r["Operation"].as_str().unwrap_or_default();
        if op.starts_with("GetApp") || (op.starts_with("Get") && op.ends_with("Channel")) {
            *counts.entry(op.to_string()).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

#[test]
fn endpoints_on_the_same_app_share_its_reads() {
    let (emu, home) = start();
    // u-bad: two APNS endpoints on one app; u-denied: two on an app whose reads are forbidden.
    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &user("u-bad")]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let once = |n| vec![("GetApnsChannel".to_string(), n), ("GetApp".to_string(), n)];
    assert_eq!(pinpoint_reads(&emu), once(1), "read once for both endpoints");
    let out = doctor(Some(&emu), home.path(), &["--app-instance-user-arn", &user("u-denied")]);
    let v = json_of(&out);
    for ep in v["Endpoints"].as_array().unwrap() {
        assert!(codes(ep).contains(&("pinpoint-unreachable".to_string(), "warning".to_string())), "{ep}");
    }
    assert_eq!(pinpoint_reads(&emu), once(2), "a forbidden read is not asked again either");
}

/// The browser agrees with `doctor --endpoint-id`: the Diagnosis of ep-a names its user's
/// expiry at once (two reads of the user), says the tokens were not compared, and `:doctor`
/// describes the user's other endpoint and finds the shared token.
#[test]
fn the_browser_diagnosis_names_the_user_findings_that_concern_the_endpoint() {
    let (emu, home) = start();
    let args = ["--endpoint-url", emu.url.as_str(), "--no-pinpoint"];
    let env = [("AWS_ACCESS_KEY_ID", "AKIDTEST"), ("AWS_SECRET_ACCESS_KEY", "secret")];
    let mut p = pty::Pty::spawn(pty::Spawn { args: &args, env: &env, ..pty::Spawn::default() }, home.path());
    p.wait_for("Nothing looked up yet");
    p.send(&pty::paste(&format!("{}\nep-a", user("u-bad"))));
    p.send(pty::ENTER);
    p.wait_for_all(&[
        "error user-expires",
        "checked the user: 2 endpoints, its expiry; device tokens not compared",
    ]);
    assert!(!p.screen().contains("duplicate-device-token"), "not compared yet");
    p.send(":doctor");
    p.send(pty::ENTER);
    p.wait_for_all(&["duplicate-device-token", "checked the user: 2 endpoints (device tokens"]);
    let screen = p.screen();
    assert!(!screen.contains(HEX64), "no token on screen: {screen}");
    p.send("q");
    p.wait_exit();
}

/// `scan --diagnose` gives each endpoint the user findings that concern it, the user's expiry
/// (read with DescribeAppInstanceUser) among them, as `doctor` does.
#[test]
fn scan_diagnose_names_the_users_expiry_on_each_of_its_endpoints() {
    let (emu, home) = start();
    let mut c = emu::hermetic_signed(home.path());
    c.args(["scan", "--app-instance-arn", INST, "--diagnose", "--no-pinpoint", "--output", "csv"]);
    c.args(["--endpoint-url", emu.url.as_str()]);
    let out = c.output().unwrap();
    let t = String::from_utf8_lossy(&out.stdout);
    let bad: Vec<&str> = t.lines().filter(|l| l.contains("/user/u-bad,")).collect();
    assert_eq!(bad.len(), 2, "{t}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(bad.iter().all(|l| l.contains("user-expires")), "{t}");
    let ok: Vec<&str> = t.lines().filter(|l| l.contains("/user/u-ok,")).collect();
    assert!(ok.iter().all(|l| !l.contains("user-expires")), "{t}");
}

#[test]
fn fcm_credentials_behind_a_key_default_and_an_old_apns_certificate_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let fcm_app = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/fc0fc0fc0fc0fc0fc0fc0fc0fc0fc0fc";
    let cert_app = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/ce0ce0ce0ce0ce0ce0ce0ce0ce0ce0ce";
    let mut gcm = on_app(endpoint("u-fcm", "ep-fcm", &format!("dGVzdA:APA91b{}", "x".repeat(134))), fcm_app);
    gcm["Type"] = json!("GCM");
    let seed = json!({
        "AppInstances": [{"AppInstanceArn": INST, "Name": "doctor"}],
        "AppInstanceUserEndpoints": [gcm, on_app(endpoint("u-cert", "ep-cert", HEX64), cert_app)],
        "PinpointApps": [
            // Credentials uploaded, the default left on the legacy key; HasCredential says
            // nothing (documented as unused) and no finding rests on it.
            {"Arn": fcm_app, "Name": "fcm", "Channels": {"GCM": {"Enabled": true,
                "DefaultAuthenticationMethod": "KEY", "HasFcmServiceCredentials": true, "HasCredential": false}}},
            {"Arn": cert_app, "Name": "cert", "Channels": {"APNS": {"Enabled": true,
                "DefaultAuthenticationMethod": "CERTIFICATE", "HasTokenKey": false, "HasCredential": true,
                "LastModifiedDate": "2020-01-02T03:04:05.000Z"}}}
        ]
    });
    let path = dir.path().join("seed.json");
    std::fs::write(&path, seed.to_string()).unwrap();
    let emu = EmuProc::start(&["--seed", path.to_str().unwrap()]);
    let pinpoint = |v: &Value| -> Vec<(String, String)> {
        codes(&v["Endpoints"][0]).into_iter().filter(|(c, _)| c.starts_with("pinpoint-")).collect()
    };

    let out = doctor(Some(&emu), dir.path(), &["--app-instance-user-arn", &user("u-fcm")]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_eq!(pinpoint(&v), [("pinpoint-fcm-key-default".to_string(), "error".to_string())]);
    let fix = v["Endpoints"][0]["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["Code"] == "pinpoint-fcm-key-default")
        .unwrap()["Fix"]
        .clone();
    assert!(
        fix.as_str().unwrap().contains("DefaultAuthenticationMethod to TOKEN (UpdateGcmChannel)"),
        "{fix}"
    );

    let out =
        doctor(Some(&emu), dir.path(), &["--app-instance-user-arn", &user("u-cert"), "--output", "text"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("  warning [pinpoint-apns-certificate-old]: the APNS channel authenticates with a certificate and was last modified "), "{text}");
    assert!(text.contains("LastModifiedDate 2020-01-02T03:04:05Z"), "{text}");
    let out = doctor(Some(&emu), dir.path(), &["--app-instance-user-arn", &user("u-cert")]);
    assert_eq!(out.status.code(), Some(0), "a warning: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        pinpoint(&json_of(&out)),
        [("pinpoint-apns-certificate-old".to_string(), "warning".to_string())]
    );
}

#[test]
fn the_membership_reads_follow_their_own_endpoint_variable() {
    let (emu, home) = start();
    let run = |messaging: &str| {
        let out = base(home.path())
            .env("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", &emu.url)
            .env("AWS_ENDPOINT_URL_PINPOINT", &emu.url)
            .env("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", messaging)
            .args(["--app-instance-user-arn", &user("u-ok"), "--timeout", "5"])
            .output()
            .unwrap();
        (out.status.code(), json_of(&out))
    };
    let (code, v) = run(&emu.url);
    assert_eq!((code, &v["Memberships"], &v["UserFindings"]), (Some(0), &json!([]), &json!([])));
    // A closed port for Messaging only: the memberships are said not to be checked.
    let (code, v) = run("http://127.0.0.1:9");
    assert_eq!(code, Some(0), "a warning only");
    assert_eq!(v["UserFindings"][0]["Code"], "messaging-unreachable", "{v}");
}
