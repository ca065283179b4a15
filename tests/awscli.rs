#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The AWS CLI, written by other people from the same service model, against the emulator:
//! its outputs must equal the seed and it must name each exception as the service does.
//!
//! The CLI is found at `$CHIMESCOPE_AWS_CLI`, then `.venv-awscli/bin/aws` (where `.ci/run`
//! installs it), then `aws` on PATH. Under CI it must be there; elsewhere a missing CLI skips
//! these tests with a message.

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;

use emu::{EmuProc, INSTANCE, U42, ULOAD, demo_seed};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn run(cli: &Path, url: &str, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    awscli::command(cli, url, "AKIDTEST", "secret", home.path()).args(args).output().expect("run the AWS CLI")
}

fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "aws failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the CLI printed JSON")
}

/// The summary fields of a seeded endpoint, as the list operation returns them.
fn summary(e: &Value) -> Value {
    let mut m = serde_json::Map::new();
    for k in ["AppInstanceUserArn", "EndpointId", "Name", "Type", "AllowMessages", "EndpointState"] {
        if let Some(v) = e.get(k) {
            m.insert(k.into(), v.clone());
        }
    }
    Value::Object(m)
}

#[test]
fn describe_outputs_equal_the_seed() {
    let Some(cli) = awscli::find() else { return };
    let emu = EmuProc::start(&[]);
    let seed = demo_seed();
    let all = seed["AppInstanceUserEndpoints"].as_array().unwrap();
    // One of each kind: every type, both states and reasons, ALL/NONE, with and without VoIP
    // and Name, a user ID with a colon, non-ASCII names, fractional timestamps.
    let wanted = [
        "ep-1",
        "ep-2",
        "ep-9",
        "ep-pinpoint",
        "ep-muted",
        "guest-web",
        "yamada-1",
        "el-1",
        "load-006",
        "load-000",
    ];
    for id in wanted {
        let want = all.iter().find(|e| e["EndpointId"] == id).unwrap_or_else(|| panic!("{id} in seed"));
        let arn = want["AppInstanceUserArn"].as_str().unwrap();
        // The service is regional: ask the region the ARN names.
        let region = arn.split(':').nth(3).unwrap();
        let got = ok_json(&run(
            &cli,
            &emu.url,
            &[
                "describe-app-instance-user-endpoint",
                "--app-instance-user-arn",
                arn,
                "--endpoint-id",
                id,
                "--region",
                region,
            ],
        ));
        assert_eq!(got["AppInstanceUserEndpoint"], *want, "endpoint {id}");
    }
}

#[test]
fn list_outputs_equal_the_seed_across_pages() {
    let Some(cli) = awscli::find() else { return };
    let emu = EmuProc::start(&[]);
    let seed = demo_seed();
    for user in [U42, ULOAD] {
        let want: Vec<Value> = seed["AppInstanceUserEndpoints"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["AppInstanceUserArn"] == user)
            .map(summary)
            .collect();
        let mut got = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut args = vec!["list-app-instance-user-endpoints", "--app-instance-user-arn", user];
            args.extend(["--max-results", "20"]);
            if let Some(t) = &token {
                args.extend(["--next-token", t.as_str()]);
            }
            let v = ok_json(&run(&cli, &emu.url, &args));
            pages += 1;
            got.extend(v["AppInstanceUserEndpoints"].as_array().unwrap().iter().cloned());
            match v.get("NextToken").and_then(Value::as_str) {
                Some(t) => token = Some(t.to_string()),
                None => break,
            }
            assert!(pages < 20, "paging does not end");
        }
        assert_eq!(got, want, "{user}");
        assert_eq!(pages, want.len().div_ceil(20).max(1), "{user}");
    }
}

#[test]
fn users_and_instances_equal_the_seed() {
    let Some(cli) = awscli::find() else { return };
    let emu = EmuProc::start(&[]);
    let seed = demo_seed();
    let v = ok_json(&run(&cli, &emu.url, &["list-app-instances"]));
    let names: Vec<&Value> = v["AppInstances"].as_array().unwrap().iter().map(|i| &i["Name"]).collect();
    // The service is regional: only the instances of the region the CLI sent the request to.
    let want: Vec<&Value> = seed["AppInstances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["AppInstanceArn"].as_str().unwrap().contains(":us-east-1:"))
        .map(|i| &i["Name"])
        .collect();
    assert_eq!(names.len(), 2);
    assert_eq!(names, want);

    let v = ok_json(&run(&cli, &emu.url, &["list-app-instance-users", "--app-instance-arn", INSTANCE]));
    assert_eq!(v["AppInstanceArn"], INSTANCE);
    let want: Vec<&Value> = seed["AppInstanceUsers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["AppInstanceUserArn"].as_str().unwrap().starts_with(INSTANCE))
        .map(|u| &u["AppInstanceUserArn"])
        .collect();
    let got: Vec<&Value> =
        v["AppInstanceUsers"].as_array().unwrap().iter().map(|u| &u["AppInstanceUserArn"]).collect();
    assert_eq!(got, want);

    let want =
        seed["AppInstanceUsers"].as_array().unwrap().iter().find(|u| u["AppInstanceUserArn"] == U42).unwrap();
    let v = ok_json(&run(&cli, &emu.url, &["describe-app-instance-user", "--app-instance-user-arn", U42]));
    assert_eq!(&v["AppInstanceUser"], want);

    let want = &seed["AppInstances"][0];
    let v = ok_json(&run(&cli, &emu.url, &["describe-app-instance", "--app-instance-arn", INSTANCE]));
    assert_eq!(&v["AppInstance"], want);
}

#[test]
fn each_exception_is_reported_by_the_cli_under_its_own_name() {
    let Some(cli) = awscli::find() else { return };
    let faults = [
        ("bad-request", "BadRequestException"),
        ("unauthorized", "UnauthorizedClientException"),
        ("forbidden", "ForbiddenException"),
        ("throttle", "ThrottledClientException"),
        ("failure", "ServiceFailureException"),
        ("unavailable", "ServiceUnavailableException"),
        ("not-found", "NotFoundException"),
    ];
    let specs: Vec<String> =
        faults.iter().map(|(k, _)| format!("DescribeAppInstanceUserEndpoint:{k}:1")).collect();
    let mut args = Vec::new();
    for s in &specs {
        args.extend(["--fault", s.as_str()]);
    }
    let emu = EmuProc::start(&args);
    for (kind, name) in faults {
        let out = run(
            &cli,
            &emu.url,
            &["describe-app-instance-user-endpoint", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1"],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{kind}");
        assert!(err.contains(&format!("({name})")), "{kind}: {err}");
        // AWS CLI v1 (the one on PyPI) exits 255 on any service error; v2 exits 254.
        assert!(matches!(out.status.code(), Some(254 | 255)), "{kind}: {err}");
    }
    // Validation as the service does it: max-results out of range.
    let out = run(
        &cli,
        &emu.url,
        &["list-app-instance-user-endpoints", "--app-instance-user-arn", U42, "--max-results", "51"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(BadRequestException)"), "{err}");
}
