#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The AWS CLI (generated from the same Pinpoint model by other people) against the emulator's
//! Pinpoint reads: `aws pinpoint get-app` and the `get-*-channel` commands print what the
//! emulator was seeded with, and its NotFound and Forbidden answers are the CLI's service
//! errors (exit 254, or 255 for v1, the exception named).

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;

use emu::EmuProc;
use serde_json::{Value, json};
use std::process::Output;

const ID: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const DENIED: &str = "de1ed0de1ed0de1ed0de1ed0de1ed0de";
const ARN: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn start() -> (EmuProc, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let seed = json!({"PinpointApps": [
        {"Arn": ARN, "Name": "Chat Android", "CreationDate": "2024-01-02T03:04:05.000Z",
         "Channels": {
            "APNS": {"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "HasTokenKey": true},
            "GCM": {"Enabled": false, "DefaultAuthenticationMethod": "KEY", "HasCredential": true,
                    "HasFcmServiceCredentials": false, "IsArchived": true, "Version": 2,
                    "Credential": "AIza-never-answered"}}},
        {"Arn": format!("arn:aws:mobiletargeting:us-east-1:123456789012:apps/{DENIED}"), "Name": "Locked",
         "DeniedOperations": ["GetApp"]}
    ]});
    let path = dir.path().join("seed.json");
    std::fs::write(&path, seed.to_string()).unwrap();
    (EmuProc::start(&["--seed", path.to_str().unwrap()]), dir)
}

fn aws(cli: &std::path::Path, url: &str, home: &std::path::Path, args: &[&str]) -> Output {
    awscli::command_for(cli, "pinpoint", url, "AKIDTEST", "secret", home).args(args).output().unwrap()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

#[test]
fn get_app_and_the_channels_print_what_the_emulator_holds() {
    let Some(cli) = awscli::find() else { return };
    let (emu, home) = start();
    let out = aws(&cli, &emu.url, home.path(), &["get-app", "--application-id", ID]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        json_of(&out),
        json!({"ApplicationResponse": {"Arn": ARN, "Id": ID, "Name": "Chat Android", "CreationDate": "2024-01-02T03:04:05.000Z"}})
    );
    let out = aws(&cli, &emu.url, home.path(), &["get-gcm-channel", "--application-id", ID]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        json_of(&out),
        json!({"GCMChannelResponse": {"ApplicationId": ID, "DefaultAuthenticationMethod": "KEY", "Enabled": false,
            "HasCredential": true, "HasFcmServiceCredentials": false, "IsArchived": true, "Platform": "GCM", "Version": 2}}),
        "the model's members in its order, the credential never"
    );
    let out = aws(&cli, &emu.url, home.path(), &["get-apns-channel", "--application-id", ID]);
    assert_eq!(
        json_of(&out),
        json!({"APNSChannelResponse": {"ApplicationId": ID, "DefaultAuthenticationMethod": "TOKEN", "Enabled": true,
            "HasTokenKey": true, "Platform": "APNS"}})
    );
}

#[test]
fn not_found_and_forbidden_are_service_errors_the_cli_names() {
    let Some(cli) = awscli::find() else { return };
    let (emu, home) = start();
    let cases: [(&[&str], &str); 4] = [
        (&["get-app", "--application-id", "nope"], "NotFoundException"),
        (&["get-gcm-channel", "--application-id", "nope"], "NotFoundException"),
        (&["get-apns-voip-sandbox-channel", "--application-id", ID], "NotFoundException"),
        (&["get-app", "--application-id", DENIED], "ForbiddenException"),
    ];
    for (args, exception) in cases {
        let out = aws(&cli, &emu.url, home.path(), args);
        let err = String::from_utf8_lossy(&out.stderr);
        // AWS CLI v2 exits 254 on a service error, v1 (the one on PyPI) 255.
        assert!(matches!(out.status.code(), Some(254 | 255)), "{args:?}: {err}");
        assert!(err.contains(&format!("An error occurred ({exception})")), "{args:?}: {err}");
    }
}
