#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The one-shot commands in a real pseudo-terminal: long output goes through `$AWS_PAGER` or
//! `$PAGER` (a script here that records what it got), not with `--no-pager`, not when piped, not
//! when it fits; `--output table` is in colour on a terminal unless `--no-color` or `NO_COLOR`.

#[path = "common/emu.rs"]
mod emu;
#[path = "common/pty.rs"]
mod pty;

use emu::U42;
use pty::{Pty, Spawn, contains};
use std::path::Path;

/// A pager that records what it was given in `dir/paged.txt`; its command line.
fn recording_pager(dir: &Path) -> String {
    let script = dir.join("pager.sh");
    std::fs::write(&script, "#!/bin/sh\ncat > \"$(dirname \"$0\")/paged.txt\"\necho PAGER-RAN\n").unwrap();
    format!("sh {}", script.display())
}

const LIST: [&str; 4] = ["list", "--demo", "--app-instance-user-arn", U42];

/// Run `args` in a 10-row terminal with `env`; the screen text and the exit code.
fn in_pty(args: &[&str], env: &[(&str, &str)], home: &Path) -> (String, Vec<u8>, u32) {
    let mut p = Pty::spawn(Spawn { args, env, rows: 10, cols: 120, ..Spawn::default() }, home);
    let status = p.wait_exit();
    (p.output_text(), p.output(), status.exit_code())
}

#[test]
fn long_output_on_a_terminal_goes_through_the_pager() {
    let home = tempfile::tempdir().unwrap();
    let pager = recording_pager(home.path());
    let paged = home.path().join("paged.txt");
    let (screen, _, code) = in_pty(&LIST, &[("PAGER", &pager)], home.path());
    assert_eq!(code, 0, "{screen}");
    let got = std::fs::read_to_string(&paged).expect("the pager ran");
    let v: serde_json::Value = serde_json::from_str(&got).expect("the whole JSON went to the pager");
    assert_eq!(v["AppInstanceUserEndpoints"].as_array().unwrap().len(), 5);
    assert!(screen.contains("PAGER-RAN") && !screen.contains("AppInstanceUserEndpoints"), "{screen}");

    // --no-pager: straight to the terminal.
    std::fs::remove_file(&paged).unwrap();
    let (screen, _, code) = in_pty(&[&LIST[..], &["--no-pager"]].concat(), &[("PAGER", &pager)], home.path());
    assert_eq!(code, 0);
    assert!(screen.contains("AppInstanceUserEndpoints") && !paged.exists(), "{screen}");

    // Output that fits the terminal is printed as is.
    let short =
        [&LIST[..], &["--query", "AppInstanceUserEndpoints[0].EndpointId", "--output", "text"]].concat();
    let (screen, _, _) = in_pty(&short, &[("PAGER", &pager)], home.path());
    assert!(screen.contains("ep-1") && !paged.exists(), "{screen}");

    // PAGER set empty: no pager.
    let (screen, _, _) = in_pty(&LIST, &[("PAGER", "")], home.path());
    assert!(screen.contains("AppInstanceUserEndpoints") && !paged.exists(), "{screen}");

    // A pager that cannot be run: said, and the output printed anyway.
    let (screen, _, code) = in_pty(&LIST, &[("PAGER", "no-such-pager-here")], home.path());
    assert_eq!(code, 0);
    assert!(screen.contains("could not be run") && screen.contains("AppInstanceUserEndpoints"), "{screen}");

    // A scan's report too.
    let scan = ["scan", "--demo", "--app-instance-arn", emu::INSTANCE, "--output", "text"];
    let (screen, _, code) = in_pty(&scan, &[("PAGER", &pager)], home.path());
    assert_eq!(code, 1, "an endpoint cannot receive: {screen}");
    let got = std::fs::read_to_string(&paged).expect("the scan's report went to the pager");
    assert!(got.contains("ep-9"), "{got}");
    std::fs::remove_file(&paged).unwrap();

    // Piped: never paged.
    let out = emu::hermetic(home.path()).args(LIST).env("PAGER", &pager).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("AppInstanceUserEndpoints") && !paged.exists());
}

/// A pager named `name` that records its input and its `LESS` in `dir/NAME.txt`, `dir/NAME.less`.
fn named_pager(dir: &Path, name: &str) -> String {
    let script = dir.join(format!("{name}.sh"));
    let body = format!(
        "#!/bin/sh\nd=\"$(dirname \"$0\")\"\ncat > \"$d/{name}.txt\"\nprintf '%s' \"${{LESS-unset}}\" > \"$d/{name}.less\"\necho {name}-RAN\n"
    );
    std::fs::write(&script, body).unwrap();
    format!("sh {}", script.display())
}

#[test]
fn aws_pager_wins_over_pager_and_less_gets_frx_unless_the_user_set_less() {
    let home = tempfile::tempdir().unwrap();
    let (aws, pager) = (named_pager(home.path(), "awspager"), named_pager(home.path(), "pager"));
    let read = |f: &str| std::fs::read_to_string(home.path().join(f));

    // AWS_PAGER first, as the AWS CLI v2 reads it; the pager's LESS is FRX when none is set.
    let (screen, _, code) = in_pty(&LIST, &[("AWS_PAGER", &aws), ("PAGER", &pager)], home.path());
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("awspager-RAN"), "{screen}");
    assert!(read("awspager.txt").unwrap().contains("AppInstanceUserEndpoints"));
    assert_eq!(read("awspager.less").unwrap(), "FRX");
    assert!(read("pager.txt").is_err(), "PAGER was not run");

    // The user's own LESS is left as it is.
    let (screen, _, _) = in_pty(&LIST, &[("PAGER", &pager), ("LESS", "-S")], home.path());
    assert!(screen.contains("pager-RAN"), "{screen}");
    assert_eq!(read("pager.less").unwrap(), "-S");
    std::fs::remove_file(home.path().join("pager.txt")).unwrap();

    // AWS_PAGER set empty (the AWS CLI users' way to turn paging off): no pager at all.
    let (screen, _, code) = in_pty(&LIST, &[("AWS_PAGER", ""), ("PAGER", &pager)], home.path());
    assert_eq!(code, 0);
    assert!(screen.contains("AppInstanceUserEndpoints") && !screen.contains("-RAN"), "{screen}");
    assert!(read("pager.txt").is_err(), "PAGER was not run");
}

#[test]
fn tables_are_in_colour_on_a_terminal_unless_asked_not_to() {
    let home = tempfile::tempdir().unwrap();
    let table = [&LIST[..], &["--output", "table", "--no-pager"]].concat();
    let blue = b"\x1b[1m\x1b[34mep-1\x1b[0m";
    let (_, out, code) = in_pty(&table, &[], home.path());
    assert_eq!(code, 0);
    assert!(contains(&out, blue), "{}", String::from_utf8_lossy(&out));
    let (_, out, _) = in_pty(&[&table[..], &["--no-color"]].concat(), &[], home.path());
    assert!(!contains(&out, b"\x1b[") && contains(&out, b"ep-1"), "{}", String::from_utf8_lossy(&out));
    let (_, out, _) = in_pty(&table, &[("NO_COLOR", "1")], home.path());
    assert!(!contains(&out, b"\x1b[") && contains(&out, b"ep-1"), "{}", String::from_utf8_lossy(&out));
    // A report written to a file is never in colour, though stdout is a terminal.
    let file = home.path().join("report.txt");
    let scan = [
        "scan",
        "--demo",
        "--app-instance-arn",
        emu::INSTANCE,
        "--output",
        "table",
        "--out",
        file.to_str().unwrap(),
    ];
    let (screen, _, code) = in_pty(&scan, &[], home.path());
    assert_eq!(code, 1, "{screen}");
    let report = std::fs::read_to_string(&file).unwrap();
    assert!(report.contains("ep-9") && !report.contains('\x1b'), "{report:?}");
}

#[test]
fn ctrl_c_in_the_pager_is_the_pagers() {
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("pager.sh");
    // Bounded: it gives up after 20 s without a Ctrl-C.
    std::fs::write(
        &script,
        "cat > /dev/null\necho PAGER-STARTED\ntrap 'echo INT-SEEN; exit 0' INT\n\
         i=0; while [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done\necho NO-INT\n",
    )
    .unwrap();
    let pager = format!("sh {}", script.display());
    let mut p = Pty::spawn(
        Spawn { args: &LIST, env: &[("PAGER", &pager)], rows: 10, ..Spawn::default() },
        home.path(),
    );
    p.wait_for("PAGER-STARTED");
    p.send(pty::CTRL_C);
    p.wait_for("INT-SEEN");
    let status = p.wait_exit();
    assert_eq!(status.exit_code(), 0, "chimescope waited for its pager: {}", p.output_text());
    assert!(status.signal().is_none(), "{status:?}");
}
