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
