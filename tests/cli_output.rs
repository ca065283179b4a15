#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The AWS CLI's output habits on every command with JSON output, run as processes against an
//! emulator process: `--query` (JMESPath; a bad expression is 252 with nothing sent, per the
//! emulator's request log) and `--output table`, each checked against the AWS CLI itself on
//! the same data where it is installed, and the table's look pinned by snapshots.

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;

use emu::{EmuProc, INSTANCE, U42};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `chimescope ARGS --endpoint-url URL`, signed, in a hermetic home.
fn chimescope(home: &Path, url: &str, args: &[&str]) -> Output {
    emu::hermetic_signed(home).args(args).args(["--endpoint-url", url]).output().expect("run chimescope")
}

/// The stdout of a command that exited with `code` (asserted).
fn stdout_of(out: &Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "stdout {}\nstderr {}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

/// Every command with JSON output, with arguments that work on the demo seed (the writes on
/// endpoints of their own), and what `--query` picks out of each.
fn commands() -> Vec<(&'static str, Vec<&'static str>, &'static str, i32)> {
    vec![
        (
            "describe",
            vec!["--app-instance-user-arn", U42, "--endpoint-id", "ep-1"],
            "AppInstanceUserEndpoint.EndpointId",
            0,
        ),
        (
            "list",
            vec!["--app-instance-user-arn", U42],
            "AppInstanceUserEndpoints[?EndpointId=='ep-2'].Type | [0]",
            0,
        ),
        (
            "doctor",
            vec!["--app-instance-user-arn", U42, "--endpoint-id", "ep-1", "--no-pinpoint"],
            "Endpoints[0].EndpointId",
            0,
        ),
        (
            "register",
            vec![
                "--app-instance-user-arn",
                U42,
                "--type",
                "GCM",
                "--resource-arn",
                APP,
                "--device-token",
                "fcm-token-query",
            ],
            "AppInstanceUserArn",
            0,
        ),
        (
            "update",
            vec!["--app-instance-user-arn", U42, "--endpoint-id", "ep-2", "--allow-messages", "ALL"],
            "EndpointId",
            0,
        ),
        (
            "deregister",
            vec!["--app-instance-user-arn", U42, "--endpoint-id", "ep-muted"],
            "AppInstanceUserEndpoint.EndpointId",
            0,
        ),
        ("scan", vec!["--app-instance-arn", INSTANCE], "AppInstanceArn", 1),
        ("history", vec![], "version", 0),
    ]
}

#[test]
fn query_picks_from_the_json_of_every_command() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    for (name, args, query, code) in commands() {
        let mut all = vec![name];
        all.extend(&args);
        all.extend(["--query", query, "--output", "json"]);
        let out = if name == "history" {
            emu::hermetic(home.path()).args(&all).output().unwrap()
        } else {
            chimescope(home.path(), &emu.url, &all)
        };
        let got: Value =
            serde_json::from_str(&stdout_of(&out, code)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = match name {
            "describe" => Value::from("ep-1"),
            "list" => Value::from("APNS"),
            "doctor" => Value::from("ep-1"),
            "register" => Value::from(U42),
            "update" => Value::from("ep-2"),
            "deregister" => Value::from("ep-muted"),
            "scan" => Value::from(INSTANCE),
            "history" => Value::from(1),
            _ => got.clone(),
        };
        assert_eq!(got, want, "{name}");
        assert!(!got.is_null(), "{name}: the query found something");
    }
}

#[test]
fn a_bad_query_is_refused_with_252_before_any_request() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    for (name, args, _, _) in commands() {
        for bad in ["AppInstanceUserEndpoints[?", "foo[", "a | | b"] {
            let mut all = vec![name];
            all.extend(&args);
            all.extend(["--query", bad]);
            let out = if name == "history" {
                emu::hermetic(home.path()).args(&all).output().unwrap()
            } else {
                chimescope(home.path(), &emu.url, &all)
            };
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(252), "{name} {bad}: {err}");
            assert!(err.contains("--query: not a JMESPath expression"), "{name}: {err}");
            assert_eq!(err.lines().count(), 1, "one line: {err}");
            assert!(out.stdout.is_empty(), "{name}: {}", text(&out.stdout));
        }
    }
    assert_eq!(emu::requests(&emu.url), Vec::<Value>::new(), "nothing was sent");
    // A query that parses but fails on the data (a function given the wrong type) is the
    // AWS CLI's 255, after the request.
    let out =
        chimescope(home.path(), &emu.url, &["list", "--app-instance-user-arn", U42, "--query", "abs(@)"]);
    assert_eq!(out.status.code(), Some(255), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--query:"), "{}", text(&out.stderr));
}

#[test]
fn query_on_csv_is_refused_before_any_request() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let out = chimescope(
        home.path(),
        &emu.url,
        &["scan", "--app-instance-arn", INSTANCE, "--output", "csv", "--query", "AppInstanceArn"],
    );
    assert_eq!(out.status.code(), Some(252), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("not csv"), "{}", text(&out.stderr));
    assert_eq!(emu::requests(&emu.url), Vec::<Value>::new());
}

/// The AWS CLI's output for the same read and options, where it is installed.
fn aws(emu: &EmuProc, op: &[&str], extra: &[&str]) -> Option<String> {
    let cli = awscli::find()?;
    let home = tempfile::tempdir().unwrap();
    let out = awscli::command(&cli, &emu.url, "AKIDTEST", "secret", home.path())
        .args(op)
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    Some(text(&out.stdout))
}

/// JSON documents equal, key order included (both reserialised compactly).
fn same_json(a: &str, b: &str) -> bool {
    let (a, b): (Value, Value) = (serde_json::from_str(a).unwrap(), serde_json::from_str(b).unwrap());
    serde_json::to_string(&a).unwrap() == serde_json::to_string(&b).unwrap()
}

#[test]
fn query_and_output_match_the_aws_cli_on_the_same_data() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let list_op = ["list-app-instance-user-endpoints", "--app-instance-user-arn", U42];
    let describe_op =
        ["describe-app-instance-user-endpoint", "--app-instance-user-arn", U42, "--endpoint-id", "ep-9"];
    let queries: &[(&[&str], &[&str], &[&str])] = &[
        (
            &list_op,
            &["list", "--app-instance-user-arn", U42],
            &[
                "AppInstanceUserEndpoints[].EndpointId",
                "AppInstanceUserEndpoints[?EndpointState.Status==`INACTIVE`].{Id: EndpointId, Why: EndpointState.StatusReason}",
                "AppInstanceUserEndpoints[?AllowMessages=='NONE'] | length(@)",
                "AppInstanceUserEndpoints[0]",
                "AppInstanceUserEndpoints[].[EndpointId, Type]",
                "sort_by(AppInstanceUserEndpoints, &Type)[].{Type: Type, Id: EndpointId, State: EndpointState}",
                "AppInstanceUserEndpoints[?Type=='GCM'].EndpointState",
                "nothing.here",
            ],
        ),
        (
            &describe_op,
            &["describe", "--app-instance-user-arn", U42, "--endpoint-id", "ep-9"],
            &[
                "AppInstanceUserEndpoint.{Id: EndpointId, Attrs: EndpointAttributes, State: EndpointState}",
                "AppInstanceUserEndpoint.[EndpointId, Type, AllowMessages, ResourceArn]",
                "AppInstanceUserEndpoint.EndpointState.StatusReason",
            ],
        ),
    ];
    let mut compared = 0;
    for (op, ours, exprs) in queries {
        for q in *exprs {
            for output in ["json", "text", "table"] {
                let mut args = ours.to_vec();
                args.extend(["--query", q, "--output", output]);
                let got = stdout_of(&chimescope(home.path(), &emu.url, &args), 0);
                let Some(want) = aws(&emu, op, &["--query", q, "--output", output]) else { return };
                if output == "json" && !want.is_empty() {
                    assert!(same_json(&got, &want), "{q} {output}:\n{got}\nthe AWS CLI:\n{want}");
                } else {
                    assert_eq!(got, want, "{q} {output}");
                }
                compared += 1;
            }
        }
    }
    // The whole list as a table, no query: the AWS CLI's drawing exactly.
    let got = stdout_of(
        &chimescope(home.path(), &emu.url, &["list", "--app-instance-user-arn", U42, "--output", "table"]),
        0,
    );
    if let Some(want) = aws(&emu, &list_op, &["--output", "table"]) {
        assert_eq!(got, want);
        compared += 1;
    }
    assert_eq!(compared, 34);
}

#[test]
fn tables_as_the_aws_cli_draws_them() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let table = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--output", "table"]);
        stdout_of(&chimescope(home.path(), &emu.url, &all), 0)
    };
    insta::assert_snapshot!(
        "table_describe",
        table(&["describe", "--app-instance-user-arn", U42, "--endpoint-id", "ep-9"])
    );
    insta::assert_snapshot!("table_list", table(&["list", "--app-instance-user-arn", U42]));
    insta::assert_snapshot!(
        "table_list_query",
        table(&[
            "list",
            "--app-instance-user-arn",
            U42,
            "--query",
            "AppInstanceUserEndpoints[].{Id: EndpointId, Type: Type, Status: EndpointState.Status}"
        ])
    );
    let mut doctor = vec!["doctor", "--app-instance-user-arn", U42, "--endpoint-id", "ep-9", "--no-pinpoint"];
    doctor.extend([
        "--query",
        "Endpoints[].{Id: EndpointId, Verdict: Verdict, Severities: Findings[].Severity}",
        "--output",
        "table",
    ]);
    // Exit 1: the doctor finds an error.
    insta::assert_snapshot!("table_doctor", stdout_of(&chimescope(home.path(), &emu.url, &doctor), 1));
    // Piped: no colour, as with --no-color.
    let t = table(&["list", "--app-instance-user-arn", U42]);
    assert!(!t.contains('\x1b'), "{t}");
    assert_eq!(t, table(&["list", "--app-instance-user-arn", U42, "--no-color"]));
}

#[test]
fn table_and_text_values_are_escaped_for_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let record = serde_json::json!({"AppInstanceUserEndpoints": [{
        "AppInstanceUserArn": U42, "EndpointId": "ep-x", "Type": "GCM", "ResourceArn": APP,
        "EndpointAttributes": {"DeviceToken": "t"}, "AllowMessages": "ALL",
        "Name": "evil\u{1b}]0;owned\u{7}", "EndpointState": {"Status": "ACTIVE"}
    }]});
    std::fs::write(&seed, record.to_string()).unwrap();
    let emu = EmuProc::start(&["--seed", seed.to_str().unwrap()]);
    let home = tempfile::tempdir().unwrap();
    for output in ["table", "text"] {
        let args = [
            "describe",
            "--app-instance-user-arn",
            U42,
            "--endpoint-id",
            "ep-x",
            "--query",
            "AppInstanceUserEndpoint.[Name]",
            "--output",
            output,
        ];
        let t = stdout_of(&chimescope(home.path(), &emu.url, &args), 0);
        assert!(t.contains("evil\\e]0;owned\\u{7}"), "{output}: {t}");
        assert!(!t.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{output}: {t:?}");
    }
}
