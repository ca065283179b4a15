//! `chimescope describe`, `list` and `emulator` run as processes: output and exit codes.

#[path = "common/emu.rs"]
mod emu;

use emu::{BIN, EmuProc, U42, ULOAD, demo_seed};
use serde_json::Value;
use std::net::TcpListener;
use std::process::{Command, Output};

/// A command with a clean, hermetic AWS environment (no real profile, no IMDS).
fn cmd(home: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

fn with_creds(c: &mut Command) -> &mut Command {
    c.env("AWS_ACCESS_KEY_ID", "AKIDTEST").env("AWS_SECRET_ACCESS_KEY", "secret")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run(c: &mut Command) -> Output {
    c.output().expect("run chimescope")
}

/// The first endpoint `id` in the demo seed, as seeded.
fn seeded(id: &str) -> Value {
    let seed = demo_seed();
    seed["AppInstanceUserEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["EndpointId"] == id)
        .unwrap()
        .clone()
}

/// `describe` the endpoint `id` of the user `arn`, then the `rest` of the arguments.
fn describe_args<'a>(arn: &'a str, id: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["describe", "--app-instance-user-arn", arn, "--endpoint-id", id];
    args.extend_from_slice(rest);
    args
}

#[test]
fn describe_json_is_the_aws_cli_shape_with_rfc3339_times() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(describe_args(U42, "ep-1", &["--demo"])));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["AppInstanceUserEndpoint"];
    let want = seeded("ep-1");
    for k in [
        "AppInstanceUserArn",
        "EndpointId",
        "Name",
        "Type",
        "ResourceArn",
        "EndpointAttributes",
        "AllowMessages",
        "EndpointState",
    ] {
        assert_eq!(e[k], want[k], "{k}");
    }
    let created = chimescope::model::Timestamp(want["CreatedTimestamp"].as_f64().unwrap()).rfc3339();
    assert_eq!(e["CreatedTimestamp"], Value::String(created.clone()));
    assert!(created.ends_with('Z'));
    // Keys in the order of the response syntax.
    let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "AppInstanceUserArn",
            "EndpointId",
            "Name",
            "Type",
            "ResourceArn",
            "EndpointAttributes",
            "CreatedTimestamp",
            "LastUpdatedTimestamp",
            "AllowMessages",
            "EndpointState"
        ]
    );
}

#[test]
fn global_flags_go_before_or_after_the_subcommand() {
    let home = tempfile::tempdir().unwrap();
    let a = run(cmd(home.path()).arg("--demo").args(describe_args(U42, "ep-2", &[])));
    let b = run(cmd(home.path()).args(describe_args(U42, "ep-2", &["--demo"])));
    assert_eq!(a.status.code(), Some(0), "{}", text(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn describe_text_explains_the_state_and_masks_secrets() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(describe_args(U42, "ep-9", &["--demo", "--output", "text"])));
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out.stdout);
    assert!(t.contains("INACTIVE (INVALID_DEVICE_TOKEN: the push service rejected the device token"), "{t}");
    assert!(t.contains("GCM (Firebase Cloud Messaging"), "{t}");
    let want = seeded("ep-9");
    let token = want["EndpointAttributes"]["DeviceToken"].as_str().unwrap();
    assert!(!t.contains(token), "the device token is masked");
    assert!(!t.contains("Pixel 8 (old)"), "the name is masked");
    assert!(t.contains(&format!("({} chars)", token.len())), "{t}");
}

#[test]
fn list_returns_every_page() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(["list", "--demo", "--app-instance-user-arn", ULOAD]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v["AppInstanceUserEndpoints"].as_array().unwrap();
    assert_eq!(items.len(), 57, "more than one page of 50");
    assert_eq!(items[56]["EndpointId"], "load-056");
    assert!(v.get("NextToken").is_none());

    let out =
        run(cmd(home.path()).args(["list", "--demo", "--output", "text", "--app-instance-user-arn", ULOAD]));
    let t = text(&out.stdout);
    assert_eq!(t.lines().count(), 57);
    assert!(t.lines().any(|l| l.starts_with("load-003\tINACTIVE\tINVALID_DEVICE_TOKEN\t")), "{t}");
}

/// A listener that nobody answers on: proves that nothing was sent.
fn silent_listener() -> (TcpListener, String) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    (l, url)
}

#[test]
fn bad_arguments_exit_252_naming_the_field_and_send_nothing() {
    let home = tempfile::tempdir().unwrap();
    let (listener, url) = silent_listener();
    let long = "x".repeat(65);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--app-instance-user-arn", "arn:aws:chime:us-east-1:1:app-instance/a", "--endpoint-id", "e"],
            "--app-instance-user-arn",
        ),
        (vec!["--app-instance-user-arn", "hello", "--endpoint-id", "e"], "must start with \"arn:\""),
        (vec!["--app-instance-user-arn", U42, "--endpoint-id", ""], "--endpoint-id: endpoint ID: is empty"),
        (vec!["--app-instance-user-arn", U42, "--endpoint-id", &long], "65 characters"),
        (vec!["--app-instance-user-arn", U42, "--endpoint-id", "e\u{7}x"], "control character U+0007"),
        (
            vec![
                "--app-instance-user-arn",
                "arn:aws:chime:us-east-1:1:app-instance/a/user/b\nc",
                "--endpoint-id",
                "e",
            ],
            "U+000A",
        ),
        (vec!["--endpoint-id", "e"], "--app-instance-user-arn"),
    ];
    for (args, want) in cases {
        let out =
            run(with_creds(&mut cmd(home.path())).arg("describe").args(&args).args(["--endpoint-url", &url]));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    let out = run(with_creds(&mut cmd(home.path())).args([
        "list",
        "--app-instance-user-arn",
        "arn:nope",
        "--endpoint-url",
        &url,
    ]));
    assert_eq!(out.status.code(), Some(252));
    let out = run(cmd(home.path()).args(["describe", "--bogus"]));
    assert_eq!(out.status.code(), Some(252));
    assert!(listener.accept().is_err(), "no connection was made");
}

#[test]
fn service_errors_exit_254_with_name_message_status_request_id_and_hint() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&["--fault", "DescribeAppInstanceUserEndpoint:forbidden:1"]);
    let describe = |id: &str| {
        run(with_creds(&mut cmd(home.path())).args(describe_args(U42, id, &["--endpoint-url", &emu.url])))
    };
    let out = describe("ep-1");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(254), "{err}");
    assert!(err.contains("(ForbiddenException)") && err.contains("DescribeAppInstanceUserEndpoint"), "{err}");
    assert!(err.contains("HTTP status: 403"), "{err}");
    assert!(err.contains("Request ID:"), "{err}");
    assert!(err.contains("Hint:") && err.contains("IAM"), "{err}");

    let out = describe("missing");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(254), "{err}");
    assert!(err.contains("(NotFoundException)") && err.contains("HTTP status: 404"), "{err}");

    let out = describe("ep-1");
    assert_eq!(out.status.code(), Some(0), "the fault was used up: {}", text(&out.stderr));
}

#[test]
fn missing_credentials_exit_253() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    let out = run(cmd(home.path()).args(describe_args(U42, "ep-1", &["--endpoint-url", &emu.url])));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(253), "{err}");
    assert!(err.to_lowercase().contains("credentials"), "{err}");
}

#[test]
fn network_failure_and_timeout_exit_255() {
    let home = tempfile::tempdir().unwrap();
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let out =
        run(with_creds(&mut cmd(home.path())).args(describe_args(U42, "ep-1", &["--endpoint-url", &url])));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(255), "{err}");
    assert!(err.contains("NetworkError"), "{err}");

    let emu = EmuProc::start(&["--fault", "*:slow:5000"]);
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        U42,
        "ep-1",
        &["--endpoint-url", &emu.url, "--timeout", "0.5"],
    )));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(255), "{err}");
    assert!(err.contains("(Timeout)"), "{err}");
}

#[test]
fn the_emulator_refuses_a_malformed_seed_with_path_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(&seed, "{\n  \"AppInstanceUserEndpoints\": [\n    {\"EndpointId\": \"e\",}\n  ]\n}\n")
        .unwrap();
    let out = Command::new(BIN).args(["emulator", "--seed"]).arg(&seed).output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{err}");
    assert!(err.contains(&format!("{}:3:", seed.display())), "{err}");

    let out = Command::new(BIN).args(["emulator", "--fault", "Describe:explode"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert!(text(&out.stderr).contains("unknown operation"), "{}", text(&out.stderr));
}

#[test]
fn the_emulator_serves_a_custom_seed_and_latency() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let arn = "arn:aws:chime:eu-central-1:111122223333:app-instance/x/user/y";
    std::fs::write(
        &seed,
        format!(
            r#"{{"AppInstanceUserEndpoints": [{{"AppInstanceUserArn": "{arn}", "EndpointId": "only",
               "Type": "GCM", "EndpointAttributes": {{"DeviceToken": "t"}},
               "ResourceArn": "arn:aws:mobiletargeting:eu-central-1:111122223333:apps/x",
               "EndpointState": {{"Status": "ACTIVE"}}, "CreatedTimestamp": 1700000000.123}}]}}"#
        ),
    )
    .unwrap();
    let emu = EmuProc::start(&["--seed", seed.to_str().unwrap(), "--latency-ms", "20"]);
    let home = tempfile::tempdir().unwrap();
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        arn,
        "only",
        &["--endpoint-url", &emu.url],
    )));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["AppInstanceUserEndpoint"]["CreatedTimestamp"], "2023-11-14T22:13:20.123Z");
}

#[test]
fn the_service_specific_endpoint_variable_is_honoured() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    let out = run(with_creds(&mut cmd(home.path()))
        .env("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", &emu.url)
        .args(describe_args(U42, "ep-1", &[])));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_named_profile_supplies_credentials_and_endpoint() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    std::fs::write(
        home.path().join("aws-config"),
        format!("[profile blue]\nregion = eu-central-1\nendpoint_url = {}\n", emu.url),
    )
    .unwrap();
    std::fs::write(
        home.path().join("aws-credentials"),
        "[blue]\naws_access_key_id = AKIDBLUE\naws_secret_access_key = blue-secret\n",
    )
    .unwrap();
    let args = describe_args(U42, "ep-1", &[]);
    let out = run(cmd(home.path()).args(&args).args(["--profile", "blue"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(cmd(home.path()).args(&args).env("AWS_PROFILE", "blue"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A profile that does not exist is a configuration problem, not a crash.
    let out = run(cmd(home.path()).args(&args).args(["--profile", "nope", "--endpoint-url", &emu.url]));
    assert_eq!(out.status.code(), Some(253), "{}", text(&out.stderr));
}
