//! The browser's Pinpoint checks end to end: the built binary in a pseudo-terminal against an
//! emulator process (the demo seed's qa-pinpoint user), the Pinpoint reads counted from the
//! emulator's request log. With the checks on, looking up an endpoint reads its app and the
//! finding shows; with `--no-pinpoint` or `[doctor] pinpoint = false` nothing is read and the
//! Diagnosis says the checks are off and what turned them off.

use crate::emu;
use crate::pty;

use emu::EmuProc;
use pty::{ENTER, Pty, Spawn, paste};
use std::path::Path;

const QA: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab/user/qa-pinpoint";
const CREDS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

/// The Pinpoint reads and describes the emulator has logged.
fn reads(url: &str) -> (usize, usize) {
    let (_, log) = emu::admin(url, "GET", "requests", "");
    let ops: Vec<String> = log["Requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Operation"].as_str().unwrap_or_default().to_string())
        .collect();
    let pinpoint = ops.iter().filter(|op| op.starts_with("GetApp") || op.ends_with("Channel")).count();
    let describes = ops.iter().filter(|op| *op == "DescribeAppInstanceUserEndpoint").count();
    (pinpoint, describes)
}

/// Look up qa-pinpoint's pp-disabled (its app's APNS_SANDBOX channel is disabled) and wait for
/// `want` on screen; then quit.
fn look_up(home: &Path, url: &str, extra: &[&str], want: &str) -> String {
    let mut args = vec!["--endpoint-url", url];
    args.extend_from_slice(extra);
    let mut p = Pty::spawn(Spawn { args: &args, env: &CREDS, ..Spawn::default() }, home);
    p.wait_for("Nothing looked up yet");
    p.send(&paste(&format!("{QA}\npp-disabled")));
    p.send(ENTER);
    let screen = p.wait_for_all(&["Endpoint pp-disabled", want]);
    p.send("q");
    p.wait_exit();
    screen
}

#[test]
fn the_check_reads_the_app_and_its_finding_shows() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let screen = look_up(home.path(), &emu.url, &[], "error pinpoint-channel-disabled");
    assert!(!screen.contains("Pinpoint checks off"), "{screen}");
    assert_eq!(reads(&emu.url), (2, 1), "GetApp and GetApnsSandboxChannel, after the describe");
}

#[test]
fn no_pinpoint_reads_nothing_and_the_diagnosis_says_the_checks_are_off() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let screen = look_up(home.path(), &emu.url, &["--no-pinpoint"], "Pinpoint checks off (--no-pinpoint)");
    assert!(
        !screen.contains("pinpoint-channel-disabled") && !screen.contains("checking Pinpoint"),
        "{screen}"
    );
    assert_eq!(reads(&emu.url), (0, 1), "the describe only");
}

#[test]
fn the_config_file_turns_the_checks_off_too() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[doctor]\npinpoint = false\n").unwrap();
    let want = "Pinpoint checks off (config: [doctor] pinpoint = false)";
    let screen = look_up(home.path(), &emu.url, &[], want);
    assert!(!screen.contains("pinpoint-channel-disabled"), "{screen}");
    assert_eq!(reads(&emu.url), (0, 1), "the describe only");
}
