#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
#![allow(unsafe_code)] // libc calls, each with its SAFETY note
//! What a hostile peer or a closed pipe does to chimescope's output: the built binary with its
//! standard output and error on a pipe whose reader is gone (a FIFO config making it warn
//! first), exit quietly with the command's code and never a panic.

#[path = "common/emu.rs"]
mod emu;

use std::process::Stdio;

/// A FIFO at `rel` under `home`: chimescope says so on stderr and reads nothing from it (the
/// config: refused, 253; the history: a warning, and an empty history).
fn fifo_at(home: &std::path::Path, rel: &str) {
    let fifo = home.join(rel);
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo(3) with a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// A pipe whose reading end is already closed: every write to it fails with EPIPE.
fn closed_pipe() -> std::io::PipeWriter {
    let (r, w) = std::io::pipe().unwrap();
    drop(r);
    w
}

/// `chimescope history 2>&1 | head -1` once `head` has gone: stdout and stderr both on a pipe
/// nobody reads. The command's own exit code, as the AWS CLI (its formatter ignores a closed
/// stdout), never 101 (a panic): with a FIFO config, 253 (the config refused); with a FIFO
/// history, 0 (the warning and the output both lost).
#[test]
fn history_with_stdout_and_stderr_on_a_closed_pipe_exits_quietly() {
    for (fifo, code) in [("config/chimescope/config.toml", 253), ("state/chimescope/history.json", 0)] {
        let home = tempfile::tempdir().unwrap();
        fifo_at(home.path(), fifo);
        for output in ["json", "text"] {
            let w = closed_pipe();
            let status = emu::hermetic(home.path())
                .args(["history", "--output", output])
                .stdin(Stdio::null())
                .stdout(w.try_clone().unwrap())
                .stderr(w)
                .status()
                .unwrap();
            assert_eq!(status.code(), Some(code), "{fifo} {output}: {status:?}");
        }
    }
}

/// Only stdout closed (`| head -1` gone), stderr kept: no "panicked" there, exit 0; and with
/// stderr closed too for a command that fails, its own exit code.
#[test]
fn a_closed_stdout_or_stderr_never_panics() {
    let home = tempfile::tempdir().unwrap();
    fifo_at(home.path(), "state/chimescope/history.json");
    for output in ["json", "text"] {
        let out = emu::hermetic(home.path())
            .args(["history", "--output", output])
            .stdin(Stdio::null())
            .stdout(closed_pipe())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("FIFO"), "the warning about the config: {err}");
        assert_eq!(out.status.code(), Some(0), "{err}");
    }
    // A bad argument with stderr closed: 252 still, no panic (101).
    let status = emu::hermetic(home.path())
        .args(["describe", "--app-instance-user-arn", "arn:bad", "--endpoint-id", "e"])
        .stdout(closed_pipe())
        .stderr(closed_pipe())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(252), "{status:?}");
}

#[path = "common/pty.rs"]
mod pty;

use emu::{EmuProc, SCAN_INST};
use pty::{ENTER, ESC, Pty, Spawn, paste};
use serde_json::Value;

const CREDS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

fn run_command(p: &mut Pty, line: &str) {
    p.send(":");
    p.wait_for("Enter run");
    p.send(line);
    p.send(ENTER);
}

/// The browser's stopped scan of SCAN_INST, its checkpoint then given `rows` as if the service
/// had answered them (a hostile or broken service: the rows file is what the Scan pane shows
/// on resume), counted in the snapshot so that it adds up.
fn add_rows_to_checkpoint(scans: &std::path::Path, rows: &[Value]) {
    let cp = std::fs::read_dir(scans)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a checkpoint");
    let mut rows_path = cp.clone().into_os_string();
    rows_path.push(".rows");
    let mut snap: Value = serde_json::from_slice(&std::fs::read(&cp).unwrap()).unwrap();
    let mut bytes = std::fs::read(&rows_path).unwrap();
    bytes.truncate(snap["RowsLen"].as_u64().unwrap() as usize);
    let t = &mut snap["Tally"];
    for r in rows {
        bytes.extend_from_slice(serde_json::to_string(r).unwrap().as_bytes());
        bytes.push(b'\n');
        for (k, v) in [
            ("ByStatus", "INACTIVE"),
            ("ByReason", "INVALID_DEVICE_TOKEN"),
            ("ByType", "GCM"),
            ("ByAllowMessages", "ALL"),
        ] {
            let n = t[k][v].as_u64().unwrap_or(0);
            t[k][v] = (n + 1).into();
        }
        t["Endpoints"] = (t["Endpoints"].as_u64().unwrap() + 1).into();
        t["CannotReceive"] = (t["CannotReceive"].as_u64().unwrap() + 1).into();
    }
    snap["RowsLen"] = (bytes.len() as u64).into();
    std::fs::write(&rows_path, &bytes).unwrap();
    std::fs::write(&cp, serde_json::to_vec(&snap).unwrap()).unwrap();
}

fn row(user: &str, id: &str) -> Value {
    serde_json::json!({
        "AppInstanceUserArn": user, "EndpointId": id, "Type": "GCM", "AllowMessages": "ALL",
        "Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN", "CannotReceive": true
    })
}

/// Bytes `cat` would not show as they are: C0 controls but the newline, DEL, C1 controls,
/// bidirectional overrides and isolates, line separators.
fn hidden_bytes(text: &[u8]) -> Vec<String> {
    let s = String::from_utf8_lossy(text);
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

/// Rows holding a command after a newline, ESC and OSC 52, U+202E and a
/// quote-breaking endpoint ID reach the Scan pane; `:export x.sh` writes commands only for the
/// rows that can be (each value quoted; the others as comments, escaped), and running the
/// script with `bash` (an `aws` stub recording its arguments) creates none of the files the
/// rows try to; `cat` of it shows no hidden byte. `:export x.csv` of the same rows: no raw
/// control byte, and a cell starting with `=` is prefixed with `'`. `:scan arn:bad` says why.
#[test]
fn hostile_rows_never_run_from_the_sh_export_nor_hide_in_the_csv() {
    let home = tempfile::tempdir().unwrap();
    let seed = emu::scan_seed(home.path(), 40);
    let emu = EmuProc::start(&["--seed", seed.to_str().unwrap()]);
    let args = ["--endpoint-url", emu.url.as_str()];
    let mut p = Pty::spawn(Spawn { args: &args, env: &CREDS, cols: 160, ..Spawn::default() }, home.path());
    p.wait_for("Nothing looked up yet");
    p.send(&paste(SCAN_INST));
    p.wait_for("✓ app instance scan-bench");
    p.send(ESC);
    p.wait_until("the focus out of the input", |s| !s.contains("Enter look up"));
    run_command(&mut p, "scan arn:bad");
    p.wait_for("Not an app-instance ARN");
    // A scan, stopped once it has kept something.
    p.send("S");
    p.wait_until("a few users scanned", |s| {
        s.contains("Running") && s.contains("cannot receive") && !s.contains("cannot receive 0")
    });
    p.send(ESC);
    p.wait_for("Stopped — the checkpoint is kept: S resumes");
    let pwned = home.path().join("PWNED");
    let pwned2 = home.path().join("PWNED2");
    let mallory = format!("{SCAN_INST}/user/mallory");
    let quote_breaker = format!("'; touch {} #", pwned2.display());
    assert!(quote_breaker.len() <= 64, "a valid endpoint ID: {quote_breaker}");
    add_rows_to_checkpoint(
        &home.path().join(".local/state/chimescope/scans"),
        &[
            row(&format!("{SCAN_INST}/user/u\necho PWNED > {}\n#", pwned.display()), "e1"),
            row(&mallory, "e2\u{1b}]52;c;SGk=\u{7}\u{1b}[2J"),
            row(&mallory, "e3\u{202e}kcatta"),
            row(&mallory, &quote_breaker),
            row(&mallory, "=HYPERLINK(\"http://evil.example\")"),
        ],
    );
    // Resumed: the kept rows (and so the hostile ones) first.
    p.send(ESC);
    p.wait_until("the pane gone", |s| !s.contains("Scan app-instance/scan-bench"));
    p.send("S");
    p.wait_for("y resumes it, S starts over");
    p.send("y");
    p.wait_for_all(&["Finished", "HYPERLINK"]);
    run_command(&mut p, "export x.sh");
    p.wait_for("left out as comments");
    run_command(&mut p, "export x.csv");
    p.wait_for("to x.csv");
    p.send("q");
    p.wait_exit();

    let script = std::fs::read(home.path().join("x.sh")).unwrap();
    let text = String::from_utf8_lossy(&script).into_owned();
    assert!(hidden_bytes(&script).is_empty(), "{:?}\n{text}", hidden_bytes(&script));
    assert_eq!(text.matches("\n# left out: ").count(), 3, "{text}");
    assert!(text.contains("\\necho PWNED"), "the newline shown as \\n: {text}");
    // Run it: `aws` is a stub that records each argument between brackets, one call a line.
    let bin = home.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = home.path().join("aws.log");
    let stub = format!(
        "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done >> '{}'\necho >> '{}'\n",
        log.display(),
        log.display()
    );
    std::fs::write(bin.join("aws"), stub).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("aws"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let st = std::process::Command::new("bash")
        .arg(home.path().join("x.sh"))
        .current_dir(home.path())
        .env("PATH", path)
        .status()
        .unwrap();
    assert!(st.success(), "{st:?}");
    assert!(!pwned.exists() && !pwned2.exists(), "nothing the rows hold ran");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        calls.contains(&format!("[--endpoint-id][{quote_breaker}]")),
        "the ID reached aws whole: {calls}"
    );
    assert!(calls.contains("[HYPERLINK") || calls.contains("[=HYPERLINK"), "{calls}");
    assert_eq!(calls.lines().count(), text.lines().filter(|l| l.starts_with("aws ")).count());

    let csv = std::fs::read(home.path().join("x.csv")).unwrap();
    assert!(hidden_bytes(&csv).iter().all(|b| b == "U+000D"), "{:?}", hidden_bytes(&csv));
    let mut r = csv::Reader::from_reader(&csv[..]);
    let ids: Vec<String> = r.records().map(|r| r.unwrap()[1].to_string()).collect();
    assert!(ids.contains(&"'=HYPERLINK(\"http://evil.example\")".to_string()), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("e2\\e]52;c;SGk=")), "{ids:?}");
    assert!(ids.iter().all(|i| !i.starts_with(['=', '+', '-', '@'])), "{ids:?}");
}

/// `:export` onto an existing file asks first (n keeps it byte for byte, y
/// replaces it); a missing directory is refused and not made; a FIFO, a directory and a
/// symbolic link (to a file elsewhere) are refused and left as they were (a device is refused
/// by the same check, `files::refuse_special`).
#[test]
fn export_asks_before_replacing_and_refuses_missing_directories_and_special_files() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let mut p = Pty::spawn(Spawn::default(), h);
    p.wait_for("Nothing looked up yet");
    p.send(ESC);
    p.wait_for("? help");
    run_command(&mut p, &format!("endpoints {}", emu::U42));
    p.wait_for("5 endpoints");
    std::fs::write(h.join("eps.csv"), "mine\n").unwrap();
    run_command(&mut p, "export eps.csv");
    p.wait_for("eps.csv exists: y replaces it, n keeps it");
    p.send("n");
    p.wait_for("Not exported: eps.csv is kept as it was");
    assert_eq!(std::fs::read_to_string(h.join("eps.csv")).unwrap(), "mine\n");
    run_command(&mut p, "export eps.csv");
    p.wait_for("eps.csv exists: y replaces it, n keeps it");
    p.send("y");
    p.wait_for("Exported 5 endpoints to eps.csv");
    assert!(std::fs::read_to_string(h.join("eps.csv")).unwrap().starts_with("EndpointId,"));
    // A missing directory: said, not made.
    run_command(&mut p, "export no-such-dir/eps.csv");
    p.wait_for("does not exist");
    assert!(!h.join("no-such-dir").exists());
    // Special files and a link to a file elsewhere: refused, untouched.
    fifo_at(h, "fifo.csv");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("target.csv");
    std::fs::write(&target, "theirs\n").unwrap();
    std::os::unix::fs::symlink(&target, h.join("link.csv")).unwrap();
    std::fs::create_dir(h.join("dir.csv")).unwrap();
    for (name, says) in
        [("fifo.csv", "is a FIFO"), ("link.csv", "is a symbolic link"), ("dir.csv", "is a directory")]
    {
        run_command(&mut p, &format!("export {name}"));
        p.wait_for(&format!("Not exported to {name}: {name} {says}"));
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs\n");
    assert!(std::fs::symlink_metadata(h.join("link.csv")).unwrap().file_type().is_symlink());
    p.send("q");
    assert!(p.wait_exit().success());
}
