//! A lost terminal: the browser in a pseudo-terminal whose master side is
//! closed (a tmux session killed) under a parent that ignores SIGHUP, so that no signal comes
//! and only the terminal itself tells: reads end (EOF or EIO), writes fail (EIO). The browser
//! ends as SIGHUP ends it (exit 129, the lookup in the history), never spinning, never
//! panicking on a write to the lost stderr.
//!
//! The harness in `common/pty.rs` keeps a reader thread on a copy of the master, which would
//! keep the terminal alive: this test holds the only copy, reads it between polls, and closes
//! it.

use crate::emu;
use crate::pty;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::os::fd::RawFd;
use std::path::Path;
use std::time::{Duration, Instant};

/// Generous: a liveness bound for a loaded CI machine, not a timing assertion.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Wait (bounded) until `fd` has something to read.
fn readable(fd: RawFd, ms: i32) -> bool {
    let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut p, 1, ms) };
    n > 0 && p.revents & libc::POLLIN != 0
}

/// Read the terminal into `screen` until it shows `text`.
fn wait_for(fd: RawFd, reader: &mut dyn Read, screen: &mut vt100::Parser, text: &str) {
    let deadline = Instant::now() + TIMEOUT;
    let mut buf = [0u8; 8192];
    while !screen.screen().contents().contains(text) {
        assert!(Instant::now() < deadline, "timed out waiting for {text:?}:\n{}", screen.screen().contents());
        if readable(fd, 50) {
            let n = reader.read(&mut buf).expect("read the terminal");
            screen.process(&buf[..n]);
        }
    }
}

/// Start the browser with `script` (`sh -c`, the binary and its arguments after it) in a
/// pseudo-terminal, look up an endpoint, close the terminal; the exit code and the log.
fn lost_terminal_ends_the_browser(home: &Path, script: &str) -> (u32, String) {
    let pair = native_pty_system()
        .openpty(PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", script, emu::BIN, "--demo"]);
    pty::hermetic(&mut cmd, home);
    let mut child = pair.slave.spawn_command(cmd).expect("spawn chimescope in the pty");
    drop(pair.slave);
    let fd = pair.master.as_raw_fd().expect("the master's descriptor");
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let mut writer = pair.master.take_writer().expect("pty writer");
    let mut screen = vt100::Parser::new(40, 120, 0);
    wait_for(fd, &mut *reader, &mut screen, "Nothing looked up yet");
    // A lookup, for the history.
    writer.write_all(format!("\x1b[200~{}\x1b[201~\tep-1\r", emu::U42).as_bytes()).unwrap();
    writer.flush().unwrap();
    wait_for(fd, &mut *reader, &mut screen, "Device token");
    // The terminal goes away: every copy of the master closed.
    drop(writer);
    drop(reader);
    drop(pair.master);
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running {TIMEOUT:?} after its terminal was closed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let log =
        std::fs::read_to_string(home.join(".local/state/chimescope/chimescope.log")).unwrap_or_default();
    (status.exit_code(), log)
}

fn assert_ended_as_sighup_does(home: &Path, code: u32, log: &str) {
    assert!(!log.contains("panic"), "no panic in the log:\n{log}");
    assert!(!log.contains("failed printing"), "{log}");
    assert_eq!(code, 129, "the log:\n{log}");
    let history = std::fs::read_to_string(home.join(".local/state/chimescope/history.json")).expect(log);
    assert!(history.contains("\"endpoint_id\":\"ep-1\""), "{history}");
}

/// The browser leads the terminal's session: the hangup sends it SIGHUP (and SIGCONT), and
/// every write to the terminal fails from then on.
#[test]
fn a_closed_terminal_ends_the_browser_as_sighup_does() {
    let home = tempfile::tempdir().unwrap();
    let (code, log) = lost_terminal_ends_the_browser(home.path(), "exec \"$0\" \"$@\"");
    assert_ended_as_sighup_does(home.path(), code, &log);
}

/// A parent shell leads the session and ignores SIGHUP (a tmux pane's shell under a parent
/// that ignores it): the kernel signals the session's leader only, so no signal reaches the
/// browser; the terminal itself says it is gone.
#[test]
fn a_closed_terminal_under_a_parent_ignoring_sighup_ends_the_browser() {
    let home = tempfile::tempdir().unwrap();
    let (code, log) = lost_terminal_ends_the_browser(home.path(), "trap '' HUP; \"$0\" \"$@\"; exit $?");
    assert_ended_as_sighup_does(home.path(), code, &log);
    assert!(log.contains("terminal lost"), "the log says why it ended:\n{log}");
    assert!(!log.contains("SIGHUP"), "no signal came:\n{log}");
}
