#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `chimescope push-test` run as a process against an emulator process over loopback: every
//! provider outcome in JSON (Pinpoint's result shape) and text (the answer in words) with its
//! exit code, VoIP, read-only (nothing sent), `--dry-run` (nothing sent, the token masked),
//! Forbidden naming `mobiletargeting:SendMessages`, the same per-address result as `aws pinpoint
//! send-messages` for the same token, and the token in no output, log or file.

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;
#[path = "common/push.rs"]
mod push;

use emu::EmuProc;
use push::*;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Output;

fn start() -> (EmuProc, tempfile::TempDir) {
    start_with(&outcome_seed())
}

fn push_test(home: &Path, url: &str, user: &str, id: &str, extra: &[&str]) -> Output {
    logged(home, url, user, id, extra, None)
}

/// [`push_test`], logging to the log file at `level` (`CHIMESCOPE_LOG`).
fn logged(home: &Path, url: &str, user: &str, id: &str, extra: &[&str], level: Option<&str>) -> Output {
    let mut c = emu::hermetic_signed(home);
    if let Some(l) = level {
        c.env("CHIMESCOPE_LOG", l);
    }
    c.args(["push-test", "--app-instance-user-arn", user, "--endpoint-id", id, "--endpoint-url", url])
        .args(extra)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The one result of a JSON answer, and its key (the masked token).
fn result_of(out: &Output) -> (String, Value) {
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text(&out.stdout), text(&out.stderr)));
    let r = v["MessageResponse"]["Result"].as_object().unwrap();
    assert_eq!(r.len(), 1, "{v}");
    let (k, v) = r.iter().next().unwrap();
    (k.clone(), v.clone())
}

fn assert_no_token(out: &Output) {
    let both = text(&out.stdout) + &text(&out.stderr);
    for t in all_tokens() {
        assert!(!both.contains(&t), "a token in the output: {both}");
    }
}

#[test]
fn each_provider_outcome_in_json_and_words_with_its_exit_code() {
    let (emu, dir) = start();
    let home = dir.path();
    let words = [
        "no longer knows this token",
        "sandbox (development build) token on a production channel",
        "bundle ID is not the app's",
        "channel's credentials",
        "not an FCM registration token",
        "no longer knows this token",
        "another Firebase project",
        "APNs credentials uploaded to Firebase",
        "throttling",
        "unavailable right now",
    ];
    for (i, outcome) in OUTCOMES.iter().enumerate() {
        let (user, id) = (outcome_user(i), format!("o{i}"));
        let out = push_test(home, &emu.url, user, &id, &[]);
        assert_eq!(out.status.code(), Some(1), "{outcome}: {}", text(&out.stderr));
        assert_no_token(&out);
        let (key, r) = result_of(&out);
        assert!(key.starts_with("••••••"), "the address is masked: {key}");
        assert_ne!(r["DeliveryStatus"], "SUCCESSFUL", "{outcome}");
        let m: Value = serde_json::from_str(r["StatusMessage"].as_str().unwrap()).unwrap();
        assert_eq!(m["pushProviderError"], *outcome);
        let out = push_test(home, &emu.url, user, &id, &["--output", "text"]);
        assert_eq!(out.status.code(), Some(1), "{outcome}");
        let said = text(&out.stdout);
        assert!(said.contains(outcome) && said.contains(words[i]), "{outcome}: {said}");
        assert_no_token(&out);
    }
    // Accepted: exit 0, and the words say it is not proof that it was shown.
    let out =
        push_test(home, &emu.url, USER, "e-ok", &["--output", "text", "--title", "Hello", "--body", "World"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("SUCCESSFUL (200)") && said.contains("not proof that it was shown"), "{said}");
    assert!(said.contains("APNS channel"), "{said}");
    // A new token: accepted, the UpdatedToken masked unless --show-secrets, and re-registering said.
    let out = push_test(home, &emu.url, USER_O1, "canon", &[]);
    assert_eq!(out.status.code(), Some(0));
    let (_, r) = result_of(&out);
    assert_eq!(r["DeliveryStatus"], "SUCCESSFUL");
    assert!(r["UpdatedToken"].as_str().unwrap().starts_with("••••••"));
    let out = push_test(home, &emu.url, USER_O1, "canon", &["--show-secrets"]);
    let (key, r) = result_of(&out);
    assert_eq!((key, r["UpdatedToken"].as_str()), (canonical_token(), Some(NEW_TOKEN)));
    let out = push_test(home, &emu.url, USER_O1, "canon", &["--output", "text"]);
    assert!(text(&out.stdout).contains("new token (UpdatedToken)"), "{}", text(&out.stdout));
    // VoIP goes to the VoipDeviceToken through the VoIP channel; a GCM endpoint has none (252).
    let out = push_test(home, &emu.url, USER, "e-voip", &["--voip", "--silent", "--output", "text"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("APNS_VOIP channel"));
    let out = push_test(home, &emu.url, USER, "e-gcm-voip", &["--voip"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(text(&out.stderr).contains("no VoIP channel"));
    // A disabled channel is Pinpoint's answer: a delivery failure (1), said as it is.
    let out = push_test(home, &emu.url, USER, "e-disabled", &["--output", "text"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("channel is not enabled"), "{}", text(&out.stdout));
}

#[test]
fn errors_are_the_aws_cli_s_exit_codes_and_forbidden_names_the_action() {
    let (emu, dir) = start();
    let home = dir.path();
    let out = push_test(home, &emu.url, USER_O2, "denied", &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(254), "{err}");
    assert!(err.contains("ForbiddenException") && err.contains("mobiletargeting:SendMessages"), "{err}");
    let out = push_test(home, &emu.url, USER, "no-such-endpoint", &[]);
    assert_eq!(out.status.code(), Some(254));
    let before = emu::requests(&emu.url).len();
    let out = push_test(home, &emu.url, "arn:bad", "e-ok", &[]);
    assert_eq!(out.status.code(), Some(252));
    assert!(text(&out.stderr).contains("--app-instance-user-arn"));
    let out = push_test(home, &emu.url, USER, "e-ok", &["--silent", "--title", "x"]);
    assert_eq!(out.status.code(), Some(252));
    let long = "x".repeat(300);
    let out = push_test(home, &emu.url, USER, "e-ok", &["--title", &long]);
    assert_eq!(out.status.code(), Some(252));
    assert!(text(&out.stderr).contains("--title must be 1 to 256 characters"));
    assert_eq!(emu::requests(&emu.url).len(), before, "bad arguments send nothing");
}

#[test]
fn read_only_and_dry_run_send_nothing_and_never_show_the_token() {
    let (emu, dir) = start();
    let home = dir.path();
    let out = push_test(home, &emu.url, USER, "e-ok", &["--readonly"]);
    assert_eq!(out.status.code(), Some(253), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("read-only: nothing sent"));
    assert!(emu::requests(&emu.url).is_empty(), "read-only sends nothing at all");

    let out = push_test(home, &emu.url, USER, "e-ok", &["--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_no_token(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["DryRun"].as_bool(), v["ApplicationId"].as_str()), (Some(true), Some(FULL_APP)));
    let addresses = v["MessageRequest"]["Addresses"].as_object().unwrap();
    let (masked, cfg) = addresses.iter().next().unwrap();
    assert!(masked.starts_with("••••••"));
    assert_eq!(cfg, &json!({"ChannelType": "APNS"}));
    let out = push_test(home, &emu.url, USER, "e-ok", &["--dry-run", "--output", "text", "--readonly"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("aws pinpoint send-messages --application-id"),
        "{}",
        text(&out.stdout)
    );
    assert_no_token(&out);
    let ops: Vec<String> =
        emu::requests(&emu.url).iter().map(|r| r["Operation"].as_str().unwrap().to_string()).collect();
    assert!(ops.iter().all(|o| o == "DescribeAppInstanceUserEndpoint"), "{ops:?}");

    // A real push, then no file under HOME (history, log, state) holds a token.
    // The SDK's own lines too (debug): the token is in the request only.
    let level = Some("debug");
    assert_eq!(logged(home, &emu.url, USER, "e-ok", &[], level).status.code(), Some(0));
    assert_eq!(logged(home, &emu.url, USER, "e-unreg", &["--output", "text"], level).status.code(), Some(1));
    let mut stack = vec![home.to_path_buf()];
    let mut files = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "seed.json") {
                files += 1;
                let body = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
                for t in [hex(1), outcome_token(0).0] {
                    assert!(!body.contains(&t), "a token in {}", p.display());
                }
            }
        }
    }
    assert!(files > 0, "the log and state files were looked at");
}

#[test]
fn the_aws_cli_and_push_test_get_the_same_result_for_the_same_token() {
    let Some(cli) = awscli::find() else { return };
    let (emu, dir) = start();
    let home = dir.path();
    let cases = [(0usize, "APNS"), (5, "GCM"), (8, "GCM")];
    for (i, channel) in cases {
        let (token, _) = outcome_token(i);
        let request = json!({"Addresses": {&token: {"ChannelType": channel}},
                             "MessageConfiguration": {"DefaultPushNotificationMessage": {"Body": "b"}}});
        let file = home.join("request.json");
        std::fs::write(&file, request.to_string()).unwrap();
        let out = awscli::command_for(&cli, "pinpoint", &emu.url, "AKIDTEST", "secret", home)
            .args(["send-messages", "--application-id", FULL_APP, "--message-request"])
            .arg(format!("file://{}", file.display()))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let theirs: Value = serde_json::from_slice(&out.stdout).unwrap();
        let theirs = &theirs["MessageResponse"]["Result"][&token];
        let (_, ours) = result_of(&push_test(home, &emu.url, outcome_user(i), &format!("o{i}"), &[]));
        for k in ["DeliveryStatus", "StatusCode", "StatusMessage"] {
            assert_eq!(theirs[k], ours[k], "{k} of {}", OUTCOMES[i]);
        }
    }
}
