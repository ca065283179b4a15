#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `chimescope register`, `update` and `deregister` run as processes against an emulator
//! process over loopback; the AWS CLI (another client, from the same model) confirms each
//! effect. Bad input is 252 naming the option, read-only 253, and neither sends anything.

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;

use emu::{EmuProc, U42};
use serde_json::Value;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};

const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";

fn cmd(home: &Path) -> Command {
    emu::hermetic_signed(home)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn chimescope(home: &Path, url: &str, args: &[&str]) -> Output {
    cmd(home).args(args).args(["--endpoint-url", url]).output().expect("run chimescope")
}

/// The stderr of a command that exited with `code` (asserted).
fn stderr_of(out: &Output, code: i32) -> String {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{err}");
    err
}

fn ok_json(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "stdout {}\nstderr {}", text(&out.stdout), text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// `aws chime-sdk-identity describe-app-instance-user-endpoint` (the independent check).
fn aws_describe(url: &str, user: &str, id: &str) -> Option<Output> {
    let cli = awscli::find()?;
    let home = tempfile::tempdir().unwrap();
    Some(
        awscli::command(&cli, url, "AKIDTEST", "secret", home.path())
            .args([
                "describe-app-instance-user-endpoint",
                "--app-instance-user-arn",
                user,
                "--endpoint-id",
                id,
            ])
            .output()
            .expect("run the AWS CLI"),
    )
}

fn register_args<'a>(token: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "register",
        "--app-instance-user-arn",
        U42,
        "--type",
        "GCM",
        "--resource-arn",
        APP,
        "--device-token",
        token,
        "--name",
        "tablet",
    ];
    a.extend_from_slice(extra);
    a
}

#[test]
fn register_prints_the_ids_and_the_aws_cli_sees_the_endpoint() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let out = chimescope(home.path(), &emu.url, &register_args("fcm-token-cli-1", &[]));
    let v = ok_json(&out);
    assert_eq!(v["AppInstanceUserArn"], U42);
    let id = v["EndpointId"].as_str().unwrap().to_string();
    assert_eq!(v.as_object().unwrap().len(), 2, "the AWS CLI's shape: {v}");
    let err = text(&out.stderr);
    assert!(!err.contains("idempotently"), "a registration that was answered needs no retry: {err}");
    assert!(!err.contains("fcm-token-cli-1"), "no secret on stderr: {err}");
    if let Some(d) = aws_describe(&emu.url, U42, &id) {
        let d = ok_json(&d);
        let e = &d["AppInstanceUserEndpoint"];
        assert_eq!(e["EndpointAttributes"]["DeviceToken"], "fcm-token-cli-1");
        assert_eq!(
            (&e["Type"], &e["Name"], &e["ResourceArn"]),
            (&"GCM".into(), &"tablet".into(), &APP.into())
        );
    }
    // Retried with the same token: the same endpoint, nothing new.
    let a = ok_json(&chimescope(
        home.path(),
        &emu.url,
        &register_args("fcm-token-cli-2", &["--client-request-token", "retry-1"]),
    ));
    let b = ok_json(&chimescope(
        home.path(),
        &emu.url,
        &register_args("fcm-token-cli-2", &["--client-request-token", "retry-1"]),
    ));
    assert_eq!(a["EndpointId"], b["EndpointId"]);
    // The same device token under another request token: ConflictException, exit 254, in words.
    let out = chimescope(home.path(), &emu.url, &register_args("fcm-token-cli-1", &["--output", "text"]));
    let err = stderr_of(&out, 254);
    assert!(
        err.contains("(ConflictException) when calling the RegisterAppInstanceUserEndpoint operation"),
        "{err}"
    );
    assert!(err.contains("Hint:") && err.contains("device token"), "{err}");
    assert!(!err.contains("idempotently"), "a definitive refusal: nothing to retry idempotently: {err}");
}

/// A registration whose outcome is unknown (the service failed) names the ClientRequestToken
/// that makes sending it again safe (issue 22 item 19: it was said before sending, also when a
/// refusal then made it pointless).
#[test]
fn an_unknown_outcome_names_the_token_to_retry_with() {
    let emu = EmuProc::start(&["--fault", "RegisterAppInstanceUserEndpoint:failure"]);
    let home = tempfile::tempdir().unwrap();
    let out = chimescope(home.path(), &emu.url, &register_args("fcm-token-cli-9", &["--timeout", "10"]));
    let err = stderr_of(&out, 254);
    assert!(err.contains("may have been applied; pass --client-request-token "), "{err}");
    assert!(err.contains(" to retry it idempotently"), "{err}");
    assert!(!err.contains("fcm-token-cli-9"), "no secret on stderr: {err}");
}

/// Deregistering an endpoint that is not there: only the describe was sent, and the error
/// names it (issue 22 item 18).
#[test]
fn deregistering_a_missing_endpoint_names_the_describe_that_was_sent() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let out = chimescope(
        home.path(),
        &emu.url,
        &["deregister", "--app-instance-user-arn", U42, "--endpoint-id", "no-such"],
    );
    let err = stderr_of(&out, 254);
    assert!(err.contains("when calling the DescribeAppInstanceUserEndpoint operation"), "{err}");
    assert!(!err.contains("DeregisterAppInstanceUserEndpoint"), "{err}");
}

#[test]
fn update_changes_allow_messages_as_the_aws_cli_sees() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let args =
        ["update", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1", "--allow-messages", "NONE"];
    let v = ok_json(&chimescope(home.path(), &emu.url, &args));
    assert_eq!((&v["AppInstanceUserArn"], &v["EndpointId"]), (&U42.into(), &"ep-1".into()));
    if let Some(d) = aws_describe(&emu.url, U42, "ep-1") {
        assert_eq!(ok_json(&d)["AppInstanceUserEndpoint"]["AllowMessages"], "NONE");
    }
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
            "ALL",
            "--output",
            "text",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("AllowMessages is now ALL"), "{}", text(&out.stdout));
    if let Some(d) = aws_describe(&emu.url, U42, "ep-1") {
        assert_eq!(ok_json(&d)["AppInstanceUserEndpoint"]["AllowMessages"], "ALL");
    }
    // One character: no "1 chars".
    let args = [
        "update",
        "--app-instance-user-arn",
        U42,
        "--endpoint-id",
        "ep-1",
        "--name",
        "x",
        "--output",
        "text",
    ];
    let out = chimescope(home.path(), &emu.url, &args);
    assert!(text(&out.stdout).contains("Name set (1 character)."), "{}", text(&out.stdout));
}

#[test]
fn deregister_prints_the_removed_record_masked_and_the_aws_cli_finds_it_gone() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let v = ok_json(&chimescope(
        home.path(),
        &emu.url,
        &["deregister", "--app-instance-user-arn", U42, "--endpoint-id", "ep-2"],
    ));
    let e = &v["AppInstanceUserEndpoint"];
    assert_eq!(e["EndpointId"], "ep-2");
    let token = e["EndpointAttributes"]["DeviceToken"].as_str().unwrap();
    assert!(token.starts_with("(masked, ") && token.ends_with(" chars)"), "{token}");
    assert!(e["CreatedTimestamp"].as_str().unwrap().ends_with('Z'), "describe's RFC 3339 form");
    if let Some(d) = aws_describe(&emu.url, U42, "ep-2") {
        // AWS CLI v1 (the one on PyPI) exits 255 on any service error; v2 exits 254.
        assert!(matches!(d.status.code(), Some(254 | 255)));
        assert!(text(&d.stderr).contains("(NotFoundException)"), "{}", text(&d.stderr));
    }
    // --show-secrets: the record in clear, so that it can be registered again.
    let seed = emu::demo_seed();
    let want = seed["AppInstanceUserEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["EndpointId"] == "ep-9")
        .unwrap()
        .clone();
    let v = ok_json(&chimescope(
        home.path(),
        &emu.url,
        &["deregister", "--app-instance-user-arn", U42, "--endpoint-id", "ep-9", "--show-secrets"],
    ));
    assert_eq!(v["AppInstanceUserEndpoint"]["EndpointAttributes"], want["EndpointAttributes"]);
    // --output text says what was done; a second deregister is NotFound (254) and sends no write.
    let out = chimescope(
        home.path(),
        &emu.url,
        &["deregister", "--app-instance-user-arn", U42, "--endpoint-id", "ep-muted", "--output", "text"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.starts_with("Deregistered endpoint ep-muted of ") && said.contains("AllowMessages NONE"),
        "{said}"
    );
    let out = chimescope(
        home.path(),
        &emu.url,
        &["deregister", "--app-instance-user-arn", U42, "--endpoint-id", "ep-muted"],
    );
    assert_eq!(out.status.code(), Some(254));
    let (_, log) = emu::admin(&emu.url, "GET", "requests", "");
    let deregisters = log["Requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["Operation"] == "DeregisterAppInstanceUserEndpoint")
        .count();
    assert_eq!(deregisters, 3, "the failed describe stopped the fourth: {log}");
}

/// A loopback port that nobody serves: connections queue in the backlog, and `accept` says
/// whether any came.
fn quiet_port() -> (TcpListener, String) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    (l, url)
}

fn no_connection(l: &TcpListener) {
    l.set_nonblocking(true).unwrap();
    match l.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("a connection was made: {other:?}"),
    }
}

#[test]
fn bad_input_is_252_naming_the_option_and_nothing_is_sent() {
    let (l, url) = quiet_port();
    let home = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "register",
                "--app-instance-user-arn",
                U42,
                "--type",
                "FCM",
                "--resource-arn",
                APP,
                "--device-token",
                "t",
            ],
            "--type",
        ),
        (
            &[
                "register",
                "--app-instance-user-arn",
                U42,
                "--type",
                "GCM",
                "--resource-arn",
                "arn:aws:sns:us-east-1:1:x",
                "--device-token",
                "t",
            ],
            "--resource-arn",
        ),
        (
            &[
                "register",
                "--app-instance-user-arn",
                U42,
                "--type",
                "GCM",
                "--resource-arn",
                APP,
                "--device-token",
                "",
            ],
            "--device-token",
        ),
        (
            &[
                "register",
                "--app-instance-user-arn",
                U42,
                "--type",
                "GCM",
                "--resource-arn",
                APP,
                "--device-token",
                "t",
                "--client-request-token",
                "a b",
            ],
            "--client-request-token",
        ),
        (&["update", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1"], "nothing to change"),
        (
            &["update", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1", "--allow-messages", "SOME"],
            "--allow-messages",
        ),
        (
            &[
                "deregister",
                "--app-instance-user-arn",
                "arn:aws:chime:us-east-1:1:x",
                "--endpoint-id",
                "ep-1",
            ],
            "--app-instance-user-arn",
        ),
    ];
    for (args, field) in cases {
        let out = chimescope(home.path(), &url, args);
        assert_eq!(out.status.code(), Some(252), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(field), "{args:?}: {}", text(&out.stderr));
    }
    no_connection(&l);
}

#[test]
fn read_only_refuses_every_write_with_253_and_connects_to_nothing() {
    let (l, url) = quiet_port();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/chimescope");
    std::fs::create_dir_all(&config).unwrap();
    let writes: [&[&str]; 3] = [
        &[
            "register",
            "--app-instance-user-arn",
            U42,
            "--type",
            "GCM",
            "--resource-arn",
            APP,
            "--device-token",
            "t",
        ],
        &["update", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1", "--allow-messages", "NONE"],
        &["deregister", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1"],
    ];
    for how in ["flag", "env", "config"] {
        std::fs::write(
            config.join("config.toml"),
            if how == "config" { "[aws]\nreadonly = true\n" } else { "" },
        )
        .unwrap();
        for args in writes {
            let mut c = cmd(home.path());
            c.args(args).args(["--endpoint-url", &url]);
            match how {
                "flag" => c.arg("--readonly"),
                "env" => c.env("CHIMESCOPE_READONLY", "1"),
                _ => &mut c,
            };
            let out = c.output().unwrap();
            assert_eq!(out.status.code(), Some(253), "{how} {args:?}: {}", text(&out.stderr));
            let err = text(&out.stderr);
            assert!(err.contains("read-only: nothing sent"), "{how}: {err}");
            let source = match how {
                "flag" => "--readonly",
                "env" => "CHIMESCOPE_READONLY",
                _ => "[aws] readonly in config.toml",
            };
            assert!(err.contains(source), "names what turned it on: {err}");
            assert!(text(&out.stdout).is_empty());
        }
    }
    // The same flag before the subcommand; reads still work in read-only mode (nothing to refuse).
    let out = cmd(home.path())
        .args([
            "--readonly",
            "deregister",
            "--app-instance-user-arn",
            U42,
            "--endpoint-id",
            "ep-1",
            "--endpoint-url",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(253));
    no_connection(&l);
    let emu = EmuProc::start(&[]);
    let out = cmd(home.path())
        .args([
            "describe",
            "--app-instance-user-arn",
            U42,
            "--endpoint-id",
            "ep-1",
            "--readonly",
            "--endpoint-url",
            &emu.url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (_, log) = emu::admin(&emu.url, "GET", "requests", "");
    assert!(
        log["Requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["Operation"] == "DescribeAppInstanceUserEndpoint")
    );
}

fn registrations(url: &str) -> usize {
    let (_, log) = emu::admin(url, "GET", "requests", "");
    log["Requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["Operation"] == "RegisterAppInstanceUserEndpoint")
        .count()
}

/// The doctor's record rules run before `register` sends: an error is refused with 252 and
/// nothing sent (per the emulator's request log) unless `--force`; a warning is said and sent.
#[test]
fn register_refuses_what_the_doctor_calls_an_error_unless_forced() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let hex = "ab".repeat(32);
    // A hex APNs token on GCM; an odd number of hex digits on APNS.
    let odd = "a".repeat(63);
    let cases: [(&str, &str, &str); 2] =
        [("GCM", &hex, "APNs token on a GCM endpoint"), ("APNS", &odd, "odd number")];
    for (kind, token, said) in cases {
        let args = [
            "register",
            "--app-instance-user-arn",
            U42,
            "--type",
            kind,
            "--resource-arn",
            APP,
            "--device-token",
            token,
        ];
        let out = chimescope(home.path(), &emu.url, &args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{kind}: {err}");
        assert!(err.contains("nothing sent") && err.contains(said) && err.contains("--force"), "{err}");
        assert!(!err.contains(token), "no token on stderr: {err}");
        assert_eq!(registrations(&emu.url), 0, "{kind}: nothing sent");
    }
    // --force sends it.
    let args = [
        "register",
        "--app-instance-user-arn",
        U42,
        "--type",
        "GCM",
        "--resource-arn",
        APP,
        "--device-token",
        &hex,
        "--force",
    ];
    ok_json(&chimescope(home.path(), &emu.url, &args));
    assert_eq!(registrations(&emu.url), 1);
    // A warning (a VoIP token on GCM) is said, and sent.
    let out =
        chimescope(home.path(), &emu.url, &register_args("fcm-token-voip", &["--voip-device-token", "cd"]));
    ok_json(&out);
    assert!(text(&out.stderr).contains("warning [voip-token-on-gcm]"), "{}", text(&out.stderr));
    assert_eq!(registrations(&emu.url), 2);
    // u-42 has 5 endpoints in the seed and now 7: three more make 10, and the 11th is refused.
    for i in 0..3 {
        ok_json(&chimescope(home.path(), &emu.url, &register_args(&format!("fcm-token-fill-{i}"), &[])));
    }
    let before = registrations(&emu.url);
    let out = chimescope(home.path(), &emu.url, &register_args("fcm-token-eleventh", &[]));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{err}");
    assert!(err.contains("endpoint-limit") && err.contains("10 endpoints"), "{err}");
    assert_eq!(registrations(&emu.url), before, "the 11th was not sent");
    // `--force` is in the help.
    let help = cmd(home.path()).args(["register", "--help"]).output().unwrap();
    assert!(text(&help.stdout).contains("--force"), "{}", text(&help.stdout));
}
