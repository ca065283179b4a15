//! A real X server for clipboard tests: Xvfb on a display it picks itself, killed on drop, and
//! `xclip -o -selection clipboard` to read what was copied. CI installs both (.ci/run); a test
//! that needs them skips, loudly, only when the `Xvfb` binary is missing ([`Xvfb::start`] is
//! `None`, and [`skip_notice`] says so).
//!
//! Use from a test file with `#[path = "common/xvfb.rs"] mod xvfb;`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running Xvfb, killed on drop.
pub struct Xvfb {
    child: Child,
    /// `:N`, for `DISPLAY`.
    pub display: String,
}

impl Xvfb {
    /// Start Xvfb on a free display; `None` when Xvfb is not installed.
    ///
    /// `-displayfd 1` lets the server pick a free display number itself (no race with other
    /// servers or parallel tests) and write it to its stdout once it accepts connections.
    pub fn start() -> Option<Xvfb> {
        let spawned = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "640x480x24"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => panic!("could not start Xvfb: {e}"),
        };
        let stdout = child.stdout.take().expect("Xvfb stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut xvfb = Xvfb { child, display: String::new() };
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        let number = line.trim();
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
            let _ = xvfb.child.kill();
            let mut err = String::new();
            if let Some(mut stderr) = xvfb.child.stderr.take() {
                let _ = stderr.read_to_string(&mut err);
            }
            panic!("Xvfb did not report a display number (got {line:?}); its stderr:\n{err}");
        }
        xvfb.display = format!(":{number}");
        Some(xvfb)
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Say loudly that `test` was skipped because Xvfb is missing.
pub fn skip_notice(test: &str) {
    eprintln!();
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    eprintln!("!!! SKIPPED {test}: Xvfb is not installed.");
    eprintln!("!!! Install it (apt-get install -y xvfb xclip) to test the system clipboard.");
    eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
}

/// `xclip -o -selection clipboard` on `display`.
pub fn xclip_read(display: &str) -> String {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .env("DISPLAY", display)
        .stdin(Stdio::null())
        .output()
        .expect("run xclip (CI installs it with Xvfb; apt-get install xclip)");
    assert!(
        out.status.success(),
        "xclip -o failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("clipboard text is UTF-8")
}
