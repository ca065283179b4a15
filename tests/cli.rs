#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `chimescope describe`, `list` and `emulator` run as processes: output and exit codes.

#[path = "common/emu.rs"]
mod emu;

use emu::{BIN, EmuProc, U42, ULOAD, demo_seed};
use serde_json::Value;
use std::net::TcpListener;
use std::process::{Command, Output};

/// A command with a clean, hermetic AWS environment (no real profile, no IMDS).
fn cmd(home: &std::path::Path) -> Command {
    emu::hermetic(home)
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
    let created =
        chimescope::model::Timestamp::from_secs(want["CreatedTimestamp"].as_f64().unwrap()).rfc3339();
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
    assert!(
        t.starts_with("✘ Cannot receive pushes: the push service rejected the device token"),
        "the verdict comes first: {t}"
    );
    assert!(t.contains("\nStatus       INACTIVE — INVALID_DEVICE_TOKEN\n"), "{t}");
    assert!(t.contains("\nType         GCM — Firebase Cloud Messaging (Android)\n"), "{t}");
    assert!(!t.contains("))"), "no nested parentheses: {t}");
    let want = seeded("ep-9");
    let token = want["EndpointAttributes"]["DeviceToken"].as_str().unwrap();
    assert!(!t.contains(token), "the device token is masked");
    assert!(!t.contains("Pixel 8 (old)"), "the name is masked");
    assert!(t.contains(&format!("({} chars)", token.len())), "{t}");
}

#[test]
fn list_returns_every_endpoint() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(["list", "--demo", "--app-instance-user-arn", ULOAD]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v["AppInstanceUserEndpoints"].as_array().unwrap();
    assert_eq!(items.len(), 10, "the most a user can have");
    assert_eq!(items[9]["EndpointId"], "load-009");
    assert!(v.get("NextToken").is_none());

    let out =
        run(cmd(home.path()).args(["list", "--demo", "--output", "text", "--app-instance-user-arn", ULOAD]));
    let t = text(&out.stdout);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 2 + 10, "a summary, a header, one row each: {t}");
    assert!(lines[0].starts_with("10 endpoints of user u-load-test: "), "{t}");
    assert!(lines[1].starts_with("ENDPOINT ID  STATUS    REASON "), "{t}");
    let row = lines.iter().find(|l| l.starts_with("load-003 ")).unwrap();
    assert!(row.contains(" INACTIVE  INVALID_DEVICE_TOKEN "), "{t}");
    // Columns line up: every row's STATUS starts where the header's does.
    let col = lines[1].find("STATUS").unwrap();
    assert!(
        lines[2..].iter().all(|l| l[col..].starts_with("ACTIVE") || l[col..].starts_with("INACTIVE")),
        "{t}"
    );
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

// ---------------------------------------------------------------------------------------------
// Settings: flags over environment over config.toml (issue 9 item 19, issue 10 item 0)

/// Write `$XDG_CONFIG_HOME/chimescope/config.toml` under `home` (see `cmd`).
fn write_config(home: &std::path::Path, text: &str) -> std::path::PathBuf {
    let dir = home.join("config").join("chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("config.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// An AWS profile `blue` whose endpoint is `url`, with credentials.
fn blue_profile(home: &std::path::Path, url: &str) {
    std::fs::write(
        home.join("aws-config"),
        format!("[profile blue]\nregion = us-east-1\nendpoint_url = {url}\n"),
    )
    .unwrap();
    std::fs::write(
        home.join("aws-credentials"),
        "[blue]\naws_access_key_id = AKIDBLUE\naws_secret_access_key = blue-secret\n",
    )
    .unwrap();
}

#[test]
fn describe_and_list_use_the_config_files_profile() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    blue_profile(home.path(), &emu.url);
    write_config(home.path(), "[aws]\nprofile = \"blue\"\n");
    let out = run(cmd(home.path()).args(describe_args(U42, "ep-1", &[])));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(cmd(home.path()).args(["list", "--app-instance-user-arn", U42]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // AWS_PROFILE wins over the file, the flag over both.
    let out = run(cmd(home.path()).env("AWS_PROFILE", "nope").args(describe_args(U42, "ep-1", &[])));
    assert_eq!(out.status.code(), Some(253), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("AWS_PROFILE"), "{}", text(&out.stderr));
    let out = run(cmd(home.path()).env("AWS_PROFILE", "nope").args(describe_args(
        U42,
        "ep-1",
        &["--profile", "blue"],
    )));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn describe_uses_the_config_files_timeout_unless_a_flag_says_otherwise() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&["--fault", "*:slow:3000"]);
    write_config(home.path(), "[aws]\ntimeout_secs = 0.3\n");
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        U42,
        "ep-1",
        &["--endpoint-url", &emu.url],
    )));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(255), "{err}");
    assert!(err.contains("(Timeout)"), "{err}");
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        U42,
        "ep-1",
        &["--endpoint-url", &emu.url, "--timeout", "20"],
    )));
    assert_eq!(out.status.code(), Some(0), "the flag wins: {}", text(&out.stderr));
}

#[test]
fn a_broken_config_file_is_refused_by_every_mode() {
    let home = tempfile::tempdir().unwrap();
    let (listener, url) = silent_listener();
    let path = write_config(home.path(), "[aws]\ntimeout_secs = 3\nregion = \"us-east-1\"\n");
    let runs = [
        describe_args(U42, "ep-1", &["--endpoint-url", &url]),
        vec!["list", "--app-instance-user-arn", U42, "--endpoint-url", &url],
        vec!["history"],
        describe_args(U42, "ep-1", &["--demo"]),
    ];
    for args in runs {
        let out = run(with_creds(&mut cmd(home.path())).args(&args));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(253), "{args:?}: {err}");
        assert!(err.contains(&format!("{}, line 3", path.display())), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
    assert!(listener.accept().is_err(), "nothing was sent");
}

#[test]
fn rates_too_slow_or_no_number_are_refused_naming_the_bound() {
    let home = tempfile::tempdir().unwrap();
    let (listener, url) = silent_listener();
    let inst = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69";
    let cases = [
        ("1e-300", "below the least of 0.01"),
        ("0.005", "below the least of 0.01"),
        ("NaN", "at least 0.01"),
        ("inf", "at least 0.01"),
        ("0", "at least 0.01"),
        ("1e308", "over the limit of 10000"),
    ];
    for (rate, want) in cases {
        for args in [
            vec!["scan", "--app-instance-arn", inst, "--rate", rate, "--endpoint-url", &url],
            vec!["--rate", rate, "--endpoint-url", &url],
        ] {
            let out = run(with_creds(&mut cmd(home.path())).args(&args));
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(252), "{args:?}: {err}");
            assert!(err.contains("--rate") && err.contains(want), "{args:?}: {err}");
        }
    }
    // The same bounds in the config file: a configuration error naming the line.
    for (table, rate) in [("scan", "0.001"), ("aws", "1e-300"), ("scan", "nan")] {
        let path = write_config(home.path(), &format!("[{table}]\nrate = {rate}\n"));
        let out = run(with_creds(&mut cmd(home.path())).args([
            "scan",
            "--app-instance-arn",
            inst,
            "--endpoint-url",
            &url,
        ]));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(253), "{table} {rate}: {err}");
        assert!(err.contains(&format!("{}, line 2", path.display())) && err.contains(" 0.01"), "{err}");
    }
    assert!(listener.accept().is_err(), "nothing was sent");
}

#[test]
fn empty_endpoint_variables_mean_unset() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    // The service-specific variable empty: the general one is used.
    let out = run(with_creds(&mut cmd(home.path()))
        .env("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "")
        .env("AWS_ENDPOINT_URL", &emu.url)
        .args(describe_args(U42, "ep-1", &[])));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Both empty: the profile's endpoint is used, as if neither were set.
    blue_profile(home.path(), &emu.url);
    for (k, v) in [("AWS_ENDPOINT_URL", ""), ("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", "")] {
        let out = run(cmd(home.path())
            .env(k, v)
            .env("AWS_ENDPOINT_URL", "")
            .env("AWS_PROFILE", "blue")
            .args(describe_args(U42, "ep-1", &[])));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{k}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // Not a URL at all: a configuration error naming the variable, nothing sent.
    let out = run(with_creds(&mut cmd(home.path()))
        .env("AWS_ENDPOINT_URL", "not a url")
        .args(describe_args(U42, "ep-1", &[])));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(253), "{err}");
    assert!(err.contains("AWS_ENDPOINT_URL: "), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Words (issue 9 item 16)

#[test]
fn a_region_that_is_no_region_name_is_a_bad_argument() {
    let home = tempfile::tempdir().unwrap();
    let (listener, url) = silent_listener();
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        U42,
        "ep-1",
        &["--region", "us east 1", "--endpoint-url", &url],
    )));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{err}");
    assert!(err.contains("--region: \"us east 1\" is not a region name"), "{err}");
    assert!(!err.contains("interceptor"), "no SDK internals: {err}");
    let out = run(with_creds(&mut cmd(home.path())).env("AWS_REGION", "us east 1").args(describe_args(
        U42,
        "ep-1",
        &["--endpoint-url", &url],
    )));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(253), "a bad environment is configuration: {err}");
    assert!(err.contains("AWS_REGION: ") && !err.contains("interceptor"), "{err}");
    assert!(listener.accept().is_err(), "nothing was sent");
}

#[test]
fn a_zero_timeout_is_explained_as_such() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(describe_args(U42, "ep-1", &["--demo", "--timeout", "0"])));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{err}");
    assert!(!err.contains("between 0 and"), "0 is between 0 and 3600: {err}");
    assert!(err.contains("above 0"), "{err}");
}

#[test]
fn a_truncated_answer_is_not_blamed_on_the_network() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&["--fault", "DescribeAppInstanceUserEndpoint:truncated"]);
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        U42,
        "ep-1",
        &["--endpoint-url", &emu.url],
    )));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(255), "{err}");
    assert!(err.contains("cut short"), "{err}");
    assert!(!err.contains("could not reach"), "{err}");
}

#[test]
fn not_found_hints_fit_the_operation() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    let nobody = U42.replace("u-42", "u-nobody");
    let out = run(with_creds(&mut cmd(home.path())).args([
        "list",
        "--app-instance-user-arn",
        &nobody,
        "--endpoint-url",
        &emu.url,
    ]));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(254), "{err}");
    let hint = err.lines().find(|l| l.contains("Hint:")).unwrap();
    assert!(!hint.contains("endpoint ID"), "list takes no endpoint ID: {hint}");
    assert!(hint.contains("no such user"), "{hint}");
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        U42,
        "ep-none",
        &["--endpoint-url", &emu.url],
    )));
    assert!(text(&out.stderr).contains("no such endpoint: check the endpoint ID"), "{}", text(&out.stderr));
}

#[test]
fn a_mistyped_profile_is_named_as_the_cause() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    blue_profile(home.path(), &emu.url);
    // Even with credentials in the environment (which the SDK would silently use instead).
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(U42, "ep-1", &["--profile", "bleu"])));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(253), "{err}");
    // The files read are named as read: AWS_CONFIG_FILE points elsewhere than ~/.aws/config
    // here (issue 22 item 18).
    let config = home.path().join("aws-config");
    assert!(
        err.contains(&format!(
            "the profile \"bleu\" (--profile) is not in {} (AWS_CONFIG_FILE)",
            config.display()
        )),
        "{err}"
    );
    assert!(!err.contains("~/.aws/config"), "{err}");
    assert!(err.contains("defined: blue"), "{err}");
    assert!(!err.contains("sso login"), "{err}");
    assert!(out.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Text output (issue 9 item 17)

#[test]
fn text_output_counts_one_char_and_says_when_a_list_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let arn = "arn:aws:chime:us-east-1:111122223333:app-instance/x/user/y";
    std::fs::write(
        &seed,
        format!(
            r#"{{"AppInstanceUserEndpoints": [{{"AppInstanceUserArn": "{arn}", "EndpointId": "one",
               "Name": "N", "Type": "APNS", "EndpointAttributes": {{"DeviceToken": "t"}},
               "ResourceArn": "arn:aws:mobiletargeting:us-east-1:111122223333:apps/x",
               "AllowMessages": "NONE", "EndpointState": {{"Status": "ACTIVE"}}}}],
               "AppInstanceUsers": [{{"AppInstanceUserArn": "{arn_z}", "Name": "z"}}]}}"#,
            arn_z = arn.replace("/user/y", "/user/z")
        ),
    )
    .unwrap();
    let emu = EmuProc::start(&["--seed", seed.to_str().unwrap()]);
    let home = tempfile::tempdir().unwrap();
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        arn,
        "one",
        &["--endpoint-url", &emu.url, "--output", "text"],
    )));
    let t = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The record's own findings first (a token "t" is no APNs token); the state as it is.
    assert!(t.starts_with("✘ the DeviceToken is not hex"), "{t}");
    assert!(t.contains("\nStatus       ACTIVE — the service will push to it\n"), "{t}");
    assert!(t.contains("\nName         •••••• (1 char)\n"), "{t}");
    assert!(t.contains("\nDeviceToken  •••••• (1 char)\n"), "{t}");
    let other = arn.replace("/user/y", "/user/z");
    let out = run(with_creds(&mut cmd(home.path())).args([
        "list",
        "--app-instance-user-arn",
        &other,
        "--endpoint-url",
        &emu.url,
        "--output",
        "text",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "No endpoints: user z has none registered.\n");
    let out = run(with_creds(&mut cmd(home.path())).args([
        "list",
        "--app-instance-user-arn",
        arn,
        "--endpoint-url",
        &emu.url,
        "--output",
        "text",
    ]));
    let t = text(&out.stdout);
    assert!(
        t.starts_with(
            "1 endpoint of user y: 1 opted out (AllowMessages NONE); records and Pinpoint channels not checked: `chimescope doctor`\n"
        ),
        "{t}"
    );
}

#[test]
fn an_empty_history_says_so() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(["history", "--output", "text"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.starts_with("No recent lookups yet (they are kept in "), "{t}");
    assert!(t.contains("history.json"), "{t}");
}

// ---------------------------------------------------------------------------------------------
// Help (issue 9 item 18)

fn help(args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(args).arg("--help"));
    assert_eq!(out.status.code(), Some(0));
    text(&out.stdout)
}

#[test]
fn each_help_lists_only_what_the_mode_takes() {
    let browser = help(&[]);
    for o in ["--mouse", "--clipboard", "--demo", "--profile", "--timeout"] {
        assert!(browser.contains(o), "browser: {o}\n{browser}");
    }
    for sub in ["describe", "list"] {
        let h = help(&[sub]);
        assert!(!h.contains("--mouse") && !h.contains("--clipboard"), "{sub}: {h}");
        for o in ["--demo", "--profile", "--region", "--endpoint-url", "--timeout", "--output"] {
            assert!(h.contains(o), "{sub}: {o}\n{h}");
        }
    }
    for sub in ["history", "emulator"] {
        let h = help(&[sub]);
        for o in ["--mouse", "--clipboard", "--demo", "--profile", "--region", "--endpoint-url", "--timeout"]
        {
            assert!(!h.contains(o), "{sub} lists {o}:\n{h}");
        }
    }
    assert!(help(&["emulator"]).contains("--fault"));
    // doctor says what it reads from Pinpoint, and the rights that takes (issue 22 item 19).
    let doctor = help(&["doctor"]);
    for w in ["GetApp", "Get*Channel", "mobiletargeting:GetApp", "--no-pinpoint"] {
        assert!(doctor.contains(w), "doctor --help: {w}\n{doctor}");
    }
}

#[test]
fn options_of_another_mode_are_refused_and_usage_shows_no_used_flag_as_required() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(["describe", "--demo", "--app-instance-user-arn", U42]));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{err}");
    let usage = err.lines().find(|l| l.starts_with("Usage:")).unwrap();
    assert!(!usage.contains("--demo"), "{usage}");
    assert!(usage.contains("[OPTIONS]"), "{usage}");
    let out = run(cmd(home.path())
        .args(["--mouse", "describe", "--demo", "--app-instance-user-arn", U42])
        .args(["--endpoint-id", "ep-1"]));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{err}");
    assert!(err.contains("--mouse is an option of the browser"), "{err}");
    let out = run(cmd(home.path()).args(["--demo", "emulator"]));
    assert_eq!(out.status.code(), Some(252));
    assert!(text(&out.stderr).contains("--demo does not apply to `chimescope emulator`"));
    // Client options still go before or after the subcommand.
    let out = run(cmd(home.path()).args(["--timeout", "5", "--demo"]).args(describe_args(U42, "ep-1", &[])));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

// ---------------------------------------------------------------------------------------------
// Where the request goes (issue 9 item 9)

#[test]
fn a_region_other_than_the_arns_is_warned_about() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(describe_args(U42, "ep-1", &["--demo", "--region", "eu-central-1"])));
    let err = text(&out.stderr);
    assert!(err.contains("warning: --region eu-central-1 differs from the ARN's region us-east-1"), "{err}");
    let out = run(cmd(home.path()).args(describe_args(U42, "ep-1", &["--demo", "--region", "us-east-1"])));
    assert!(!text(&out.stderr).contains("warning"), "{}", text(&out.stderr));
}

// ---------------------------------------------------------------------------------------------
// Hostile answers and closed output (issue 10 items 1 and 7)

/// A loopback server that answers every request with a 200 whose chunked body never ends.
/// Returns its URL and a counter of the bytes it managed to send.
fn endless_body_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicU64>) {
    use std::io::{Read, Write};
    use std::sync::atomic::Ordering;
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = sent.clone();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut c) = conn else { return };
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let _ = c.read(&mut buf);
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                if c.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
                let _ = c.write_all(b"6\r\n{\"a\":\"\r\n");
                while c.write_all(chunk.as_bytes()).is_ok() {
                    counter.fetch_add(64 * 1024, Ordering::Relaxed);
                }
            });
        }
    });
    (url, sent)
}

#[test]
fn an_endless_answer_is_cut_off_as_an_invalid_response() {
    let home = tempfile::tempdir().unwrap();
    let (url, sent) = endless_body_server();
    let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
        U42,
        "ep-1",
        &["--endpoint-url", &url, "--timeout", "5"],
    )));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(255), "{err}");
    assert!(err.contains("(InvalidResponse)"), "{err}");
    assert!(err.contains("larger than 1024 KiB"), "{err}");
    assert!(!err.contains("(Timeout)"), "stopped by the limit, not the clock: {err}");
    // The client stopped reading: what the server got out is bounded (socket buffers aside),
    // per attempt.
    let sent = sent.load(std::sync::atomic::Ordering::Relaxed);
    assert!(sent < 64 * 1024 * 1024, "{sent} bytes went out");
}

/// An in-process emulator's URL, as `EmuProc` gives one.
struct EmuUrl {
    url: String,
}

#[test]
fn impossible_timestamps_are_an_invalid_response() {
    let arn = "arn:aws:chime:us-east-1:111122223333:app-instance/x/user/y";
    let seed = format!(
        r#"{{"AppInstanceUserEndpoints": [{{"AppInstanceUserArn": "{arn}", "EndpointId": "far",
           "Type": "GCM", "EndpointAttributes": {{"DeviceToken": "t"}},
           "ResourceArn": "arn:aws:mobiletargeting:us-east-1:111122223333:apps/x",
           "EndpointState": {{"Status": "ACTIVE"}}, "CreatedTimestamp": 1e300}}]}}"#
    );
    // `--seed` refuses such a time; a lying service is made through the library.
    let store = chimescope::emulator::Store::from_seed_str(&seed, "lying").unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let served = rt
        .block_on(chimescope::emulator::Emulator::start(chimescope::emulator::Options {
            store,
            ..Default::default()
        }))
        .unwrap();
    let emu = EmuUrl { url: served.url() };
    let home = tempfile::tempdir().unwrap();
    for output in ["json", "text"] {
        let out = run(with_creds(&mut cmd(home.path())).args(describe_args(
            arn,
            "far",
            &["--endpoint-url", &emu.url, "--output", output],
        )));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(255), "{err}");
        assert!(err.contains("(InvalidResponse)") && err.contains("CreatedTimestamp"), "{err}");
        assert!(!text(&out.stdout).contains("9223372036854776000"), "{}", text(&out.stdout));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn json_output_escapes_c1_controls() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let arn = "arn:aws:chime:us-east-1:111122223333:app-instance/x/user/y";
    // NEL (U+0085) is a line terminator to the service's Java patterns, so a Name cannot hold it;
    // DCS (U+0090) is another C1 control that can.
    let name = "csi\u{9b}31m-dcs\u{90}-rlo\u{202e}";
    let ep = serde_json::json!({"AppInstanceUserArn": arn, "EndpointId": "c1", "Name": name, "Type": "GCM",
        "EndpointAttributes": {"DeviceToken": "t"}, "EndpointState": {"Status": "ACTIVE"},
        "ResourceArn": "arn:aws:mobiletargeting:us-east-1:111122223333:apps/x"});
    std::fs::write(&seed, serde_json::json!({"AppInstanceUserEndpoints": [ep]}).to_string()).unwrap();
    let emu = EmuProc::start(&["--seed", seed.to_str().unwrap()]);
    let home = tempfile::tempdir().unwrap();
    let describe =
        run(with_creds(&mut cmd(home.path())).args(describe_args(arn, "c1", &["--endpoint-url", &emu.url])));
    let list = run(with_creds(&mut cmd(home.path())).args([
        "list",
        "--app-instance-user-arn",
        arn,
        "--endpoint-url",
        &emu.url,
    ]));
    for (out, pointer) in
        [(describe, "/AppInstanceUserEndpoint/Name"), (list, "/AppInstanceUserEndpoints/0/Name")]
    {
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let s = text(&out.stdout);
        assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "raw controls: {s:?}");
        assert!(s.contains("csi\\u009b31m-dcs\\u0090-rlo\\u202e"), "{s}");
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v.pointer(pointer).unwrap(), name, "the same value once decoded");
    }
}

#[test]
fn a_closed_stdout_is_a_failure_not_silence() {
    let home = tempfile::tempdir().unwrap();
    // BIN started by sh with its stdout closed or redirected, in `cmd`'s environment.
    let through_sh = |redirect: &str, args: &[&str]| {
        let env = cmd(home.path());
        let mut sh = Command::new("sh");
        sh.env_clear().envs(env.get_envs().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))));
        sh.arg("-c").arg(format!("exec \"$0\" \"$@\" {redirect}")).arg(BIN).args(args);
        run(&mut sh)
    };
    let args = describe_args(U42, "ep-1", &["--demo"]);
    let out = through_sh(">&-", &args);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(255), "{err}");
    assert!(err.contains("cannot write output: standard output is closed"), "{err}");
    for args in [vec!["list", "--demo", "--app-instance-user-arn", U42], vec!["history"]] {
        let out = through_sh(">&-", &args);
        assert_eq!(out.status.code(), Some(255), "{args:?}: {}", text(&out.stderr));
    }
    let out = through_sh(">/dev/null", &args);
    assert_eq!(out.status.code(), Some(0), "/dev/null is a fine place for output: {}", text(&out.stderr));
}

/// The demo's qa-pinpoint user: `pp-disabled` is ACTIVE, AllowMessages ALL, a good token, but
/// its APNS_SANDBOX channel is disabled. No mode says it can receive pushes (issue 22).
const QA_PINPOINT: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab/user/qa-pinpoint";

#[test]
fn pp_disabled_reads_one_verdict_in_every_mode() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cmd(home.path()).args(describe_args(
        QA_PINPOINT,
        "pp-disabled",
        &["--demo", "--output", "text"],
    )));
    let t = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(t.starts_with("✔ Record OK · channel not checked: `chimescope doctor`\n"), "{t}");
    assert!(!t.contains("Can receive pushes"), "{t}");
    assert!(t.contains("\nStatus       ACTIVE — the service will push to it\n"), "{t}");
    let out = run(cmd(home.path()).args([
        "list",
        "--demo",
        "--output",
        "text",
        "--app-instance-user-arn",
        QA_PINPOINT,
    ]));
    let t = text(&out.stdout);
    assert!(!t.contains("can receive pushes"), "{t}");
    assert!(
        t.lines().next().unwrap().ends_with("records and Pinpoint channels not checked: `chimescope doctor`"),
        "{t}"
    );
    // The checks that read the channel find it.
    let out = run(cmd(home.path()).args([
        "doctor",
        "--demo",
        "--app-instance-user-arn",
        QA_PINPOINT,
        "--endpoint-id",
        "pp-disabled",
        "--output",
        "text",
    ]));
    let t = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.starts_with("endpoint pp-disabled: error"), "{t}");
    assert!(t.contains("[pinpoint-channel-disabled]"), "{t}");
    let instance = QA_PINPOINT.split("/user/").next().unwrap();
    let out =
        run(cmd(home.path()).args(["scan", "--demo", "--app-instance-arn", instance, "--output", "text"]));
    let t = text(&out.stdout);
    assert!(!t.contains("Every endpoint can receive pushes"), "{t}");
    let out = run(cmd(home.path()).args([
        "scan",
        "--demo",
        "--app-instance-arn",
        instance,
        "--diagnose",
        "--output",
        "text",
    ]));
    let t = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let line = t.lines().find(|l| l.contains("pp-disabled")).unwrap_or_else(|| panic!("{t}"));
    assert!(line.contains("ACTIVE, but pinpoint-channel-disabled"), "{line}");
}

#[test]
fn scan_diagnose_includes_the_user_findings_that_concern_each_endpoint() {
    let home = tempfile::tempdir().unwrap();
    let instance = ULOAD.split("/user/").next().unwrap();
    let out = run(cmd(home.path()).args([
        "scan",
        "--demo",
        "--app-instance-arn",
        instance,
        "--diagnose",
        "--no-pinpoint",
        "--output",
        "csv",
    ]));
    let t = text(&out.stdout);
    let load: Vec<&str> = t.lines().filter(|l| l.contains("/user/u-load-test,")).collect();
    assert!(load.len() >= 10, "{t}");
    assert!(load.iter().all(|l| l.contains("endpoint-limit")), "the user's limit concerns each: {t}");
}
