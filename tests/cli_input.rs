#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `register --cli-input-json` and `--generate-cli-skeleton`, and `--dry-run` on the writes,
//! run as processes against an emulator process; the emulator's request log says what was
//! sent (nothing, for every refusal and every dry run).

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;

use emu::{EmuProc, U42};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn chimescope(home: &Path, url: &str, args: &[&str]) -> Output {
    emu::hermetic_signed(home).args(args).args(["--endpoint-url", url]).output().expect("run chimescope")
}

/// `chimescope ARGS` with `input` on its standard input.
fn with_stdin(home: &Path, url: &str, args: &[&str], input: &str) -> Output {
    let mut child = emu::hermetic_signed(home)
        .args(args)
        .args(["--endpoint-url", url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok_json(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "stdout {}\nstderr {}", text(&out.stdout), text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The writes in the emulator's request log.
fn writes(url: &str) -> Vec<Value> {
    emu::requests(url)
        .into_iter()
        .filter(|r| {
            let op = r["Operation"].as_str().unwrap_or_default();
            op.starts_with("Register") || op.starts_with("Update") || op.starts_with("Deregister")
        })
        .collect()
}

fn describe(home: &Path, url: &str, id: &str) -> Value {
    let out = chimescope(home, url, &["describe", "--app-instance-user-arn", U42, "--endpoint-id", id]);
    ok_json(&out)["AppInstanceUserEndpoint"].clone()
}

/// The record without what a new registration changes: its ID and times.
fn but_id(mut rec: Value) -> Value {
    let m = rec.as_object_mut().unwrap();
    for k in ["EndpointId", "CreatedTimestamp", "LastUpdatedTimestamp"] {
        m.remove(k);
    }
    rec
}

#[test]
fn a_deregistered_endpoint_is_put_back_from_its_printed_record() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    for (id, via_stdin) in [("ep-1", false), ("ep-muted", true)] {
        let before = describe(home.path(), &emu.url, id);
        let out = chimescope(
            home.path(),
            &emu.url,
            &["deregister", "--app-instance-user-arn", U42, "--endpoint-id", id, "--show-secrets"],
        );
        ok_json(&out);
        let printed = text(&out.stdout);
        let back = if via_stdin {
            with_stdin(home.path(), &emu.url, &["register", "--cli-input-json", "-"], &printed)
        } else {
            let file = home.path().join(format!("{id}.json"));
            std::fs::write(&file, &printed).unwrap();
            let arg = format!("file://{}", file.display());
            chimescope(home.path(), &emu.url, &["register", "--cli-input-json", &arg])
        };
        let new_id = ok_json(&back)["EndpointId"].as_str().unwrap().to_string();
        assert_ne!(new_id, id);
        let after = describe(home.path(), &emu.url, &new_id);
        assert_eq!(but_id(after), but_id(before), "{id}: the same endpoint but its ID");
    }
}

#[test]
fn masked_or_malformed_input_is_refused_with_252_and_nothing_sent() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    // The record as `deregister` prints it by default: masked.
    let rec = describe(home.path(), &emu.url, "ep-2");
    let mut shown = serde_json::json!({"AppInstanceUserEndpoint": rec});
    shown["AppInstanceUserEndpoint"]["EndpointAttributes"]["DeviceToken"] = "(masked, 64 chars)".into();
    let bad_type = serde_json::json!({"AppInstanceUserEndpoint": {"AppInstanceUserArn": 5}});
    let cases: Vec<(String, &str)> = vec![
        (shown.to_string(), "DeviceToken is masked"),
        (r#"{"AppInstanceUserArn": "x", "Typo": "GCM"}"#.into(), "unknown key Typo"),
        (r#"{"Type": "GCM"}"#.into(), "AppInstanceUserArn is missing"),
        ("[1, 2]".into(), "expected a JSON object"),
        ("{not json".into(), "not JSON"),
        (bad_type.to_string(), "AppInstanceUserArn must be a string"),
    ];
    for (input, said) in &cases {
        let out = with_stdin(home.path(), &emu.url, &["register", "--cli-input-json", "-"], input);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{said}: {err}");
        assert!(err.contains(said), "{said}: {err}");
        assert!(
            !err.contains(rec["EndpointAttributes"]["DeviceToken"].as_str().unwrap()),
            "no token said: {err}"
        );
    }
    let missing =
        chimescope(home.path(), &emu.url, &["register", "--cli-input-json", "/nonexistent/rec.json"]);
    assert_eq!(missing.status.code(), Some(252));
    assert!(text(&missing.stderr).contains("/nonexistent/rec.json"), "{}", text(&missing.stderr));
    // The masked Name of a record printed masked, with the token given as an option: still refused.
    let mut named = serde_json::json!({"AppInstanceUserEndpoint": describe(home.path(), &emu.url, "ep-1")});
    named["AppInstanceUserEndpoint"]["Name"] = "(masked, 15 chars)".into();
    let out = with_stdin(
        home.path(),
        &emu.url,
        &["register", "--cli-input-json", "-", "--device-token", "other"],
        &named.to_string(),
    );
    assert_eq!(out.status.code(), Some(252), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Name is masked"), "{}", text(&out.stderr));
    assert_eq!(writes(&emu.url), Vec::<Value>::new(), "nothing was sent");
}

#[test]
fn options_win_over_the_input_file() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let rec = serde_json::json!({"AppInstanceUserEndpoint": describe(home.path(), &emu.url, "ep-muted")});
    let out = with_stdin(
        home.path(),
        &emu.url,
        &[
            "register",
            "--cli-input-json",
            "-",
            "--device-token",
            "fcm-token-from-option",
            "--name",
            "from option",
        ],
        &rec.to_string(),
    );
    let id = ok_json(&out)["EndpointId"].as_str().unwrap().to_string();
    let e = describe(home.path(), &emu.url, &id);
    assert_eq!(e["EndpointAttributes"]["DeviceToken"], "fcm-token-from-option");
    assert_eq!(e["Name"], "from option");
    assert_eq!(e["ResourceArn"], rec["AppInstanceUserEndpoint"]["ResourceArn"]);
}

#[test]
fn the_skeleton_is_the_aws_clis() {
    let home = tempfile::tempdir().unwrap();
    let out = emu::hermetic(home.path()).args(["register", "--generate-cli-skeleton"]).output().unwrap();
    let ours = ok_json(&out);
    assert_eq!(ours["EndpointAttributes"]["DeviceToken"], "");
    if let Some(cli) = awscli::find() {
        let out = awscli::command(&cli, "http://127.0.0.1:9", "AKIDTEST", "secret", home.path())
            .args(["register-app-instance-user-endpoint", "--generate-cli-skeleton"])
            .output()
            .unwrap();
        let mut theirs = ok_json(&out);
        // The enums' example values vary between AWS CLI versions: the names and order do not.
        for (k, allowed) in
            [("Type", &["APNS", "APNS_SANDBOX", "GCM"][..]), ("AllowMessages", &["ALL", "NONE"])]
        {
            assert!(allowed.contains(&theirs[k].as_str().unwrap()), "{theirs}");
            theirs[k] = ours[k].clone();
        }
        assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&theirs).unwrap());
    }
}

#[test]
fn dry_runs_print_the_request_masked_and_send_nothing() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let token = "fcm-token-dry-run-0123456789";
    let register = [
        "register",
        "--app-instance-user-arn",
        U42,
        "--type",
        "GCM",
        "--resource-arn",
        "arn:aws:mobiletargeting:us-east-1:123456789012:apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d",
        "--device-token",
        token,
        "--name",
        "secret name",
        "--client-request-token",
        "dry-1",
        "--dry-run",
    ];
    let update = [
        "update",
        "--app-instance-user-arn",
        U42,
        "--endpoint-id",
        "ep-1",
        "--name",
        "secret name",
        "--dry-run",
    ];
    let deregister = ["deregister", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1", "--dry-run"];
    for (args, op) in [
        (&register[..], "RegisterAppInstanceUserEndpoint"),
        (&update[..], "UpdateAppInstanceUserEndpoint"),
        (&deregister[..], "DeregisterAppInstanceUserEndpoint"),
    ] {
        let v = ok_json(&chimescope(home.path(), &emu.url, args));
        assert_eq!((&v["DryRun"], &v["Operation"]), (&Value::Bool(true), &Value::from(op)), "{v}");
        assert_eq!(v["Request"]["AppInstanceUserArn"], U42);
        let out = chimescope(home.path(), &emu.url, &[args, &["--output", "text"]].concat());
        let t = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(t.contains(op) && t.contains("nothing sent"), "{t}");
        for shown in [v.to_string(), t.clone(), text(&out.stderr)] {
            assert!(!shown.contains(token) && !shown.contains("secret name"), "masked: {shown}");
        }
    }
    let v = ok_json(&chimescope(home.path(), &emu.url, &register));
    assert_eq!(v["Request"]["EndpointAttributes"]["DeviceToken"], format!("(masked, {} chars)", token.len()));
    assert_eq!(v["Request"]["ClientRequestToken"], "dry-1");
    // Read-only: a dry run still sends nothing, and says the write would be refused.
    let out = emu::hermetic_signed(home.path())
        .args(deregister)
        .args(["--endpoint-url", &emu.url, "--readonly"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("read-only"), "{}", text(&out.stderr));
    // A bad value is refused as without --dry-run.
    let out = chimescope(
        home.path(),
        &emu.url,
        &[
            "update",
            "--app-instance-user-arn",
            U42,
            "--endpoint-id",
            "ep-1",
            "--allow-messages",
            "SOME",
            "--dry-run",
        ],
    );
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(emu::requests(&emu.url), Vec::<Value>::new(), "nothing at all was sent, not even a read");
}
