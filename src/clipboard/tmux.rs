//! Copying inside tmux: `tmux load-buffer -w -` puts the text in tmux's paste buffer and has
//! tmux send OSC 52 to the outer terminal itself; the fallbacks for an old tmux or none (see
//! [`copy`]); and the real runner, which never blocks for longer than [`TMUX_TIMEOUT`].

use super::osc52::{Multiplexer, Terminal, osc52_sequence};
use super::{CopyError, Via};
use std::io::{Read as _, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long we wait for `tmux load-buffer` before giving up (it normally takes milliseconds; the
/// event loop is blocked meanwhile).
const TMUX_TIMEOUT: Duration = Duration::from_secs(2);

/// Runs `tmux ARGS` with `input` on stdin; `Err` carries a short reason.
pub type TmuxRunner = Box<dyn FnMut(&[&str], &[u8]) -> Result<(), String> + Send>;

/// OSC 52 inside tmux (`TMUX` set), `passthrough` being the sequence wrapped for tmux: first
/// `tmux load-buffer -w -` with the text on stdin, after which tmux sends OSC 52 itself. If
/// `-w` fails (tmux before 3.2), the buffer is loaded without it and the passthrough sequence
/// sent; if tmux cannot be run at all, both the plain sequence (taken by `set-clipboard on`)
/// and the passthrough one are sent, reported as plain OSC 52.
pub(super) fn copy(
    tmux: &mut TmuxRunner,
    terminal: &mut Terminal,
    text: &str,
    passthrough: &[u8],
) -> Result<Via, CopyError> {
    if tmux(&["load-buffer", "-w", "-"], text.as_bytes()).is_ok() {
        return Ok(Via::Osc52AndTmux);
    }
    match tmux(&["load-buffer", "-"], text.as_bytes()) {
        Ok(()) => {
            terminal.write(passthrough)?;
            Ok(Via::Osc52AndTmux)
        }
        Err(e) => {
            tracing::warn!(error = %e, "tmux load-buffer failed; sending OSC 52 only");
            let mut both = osc52_sequence(text, Multiplexer::None)?;
            both.extend_from_slice(passthrough);
            terminal.write(&both)?;
            Ok(Via::Osc52)
        }
    }
}

/// The real tmux runner: `tmux ARGS` with stdout discarded (we are in raw mode; nothing may
/// reach the screen), stderr captured for the reason, killed after [`TMUX_TIMEOUT`].
pub(super) fn run_tmux(args: &[&str], input: &[u8]) -> Result<(), String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run tmux: {e}"))?;
    // Feed stdin from a thread: a stuck tmux must not block us on a full pipe.
    let feeder = child.stdin.take().map(|mut stdin| {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        })
    });
    let deadline = Instant::now() + TMUX_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("tmux did not answer within {}s", TMUX_TIMEOUT.as_secs()));
            }
            Err(e) => return Err(format!("waiting for tmux: {e}")),
        }
    };
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    if status.success() {
        return Ok(());
    }
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = stderr.read_to_string(&mut err);
    }
    let err = err.trim();
    Err(if err.is_empty() { format!("tmux {}: {status}", args.join(" ")) } else { err.to_string() })
}
