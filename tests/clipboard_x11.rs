#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The clipboard against a real X server (Xvfb) and with no display at all (issue 4).
//!
//! arboard reads `DISPLAY` from the process environment when its handle is created, and keeps
//! one X connection per process. So each test body runs in a child process (this same test
//! binary, re-run with `--exact NAME`) whose environment is set on the `Command`; nothing here
//! mutates the environment of the test process. Xvfb is required: CI installs it (.ci/run); the
//! X11 test is skipped, loudly, only when the `Xvfb` binary is missing.

#[path = "common/xvfb.rs"]
mod xvfb;

use chimescope::clipboard::{Backend, BackendChoice, Clipboard, Multiplexer, Origin, Via, osc52_sequence};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use xvfb::{Xvfb, skip_notice, xclip_read};

/// Set in the child process; the value is the test to run.
const CHILD: &str = "CHIMESCOPE_CLIPBOARD_TEST_CHILD";

/// Variables that steer the clipboard; removed from every child so the host's session (a
/// desktop, SSH, tmux, screen) cannot change what is tested.
const STEERING: [&str; 8] = [
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "SSH_CONNECTION",
    "SSH_TTY",
    "SSH_CLIENT",
    "TMUX",
    "STY",
    "CHIMESCOPE_CLIPBOARD",
];

const JSON: &str = "{\n  \"AppInstanceUserEndpoint\": {\n    \"EndpointId\": \"ep-1\",\n    \
                    \"Name\": \"Pixel 8 \u{2014} l'équipe\",\n    \"EndpointState\": {\"Status\": \"ACTIVE\"}\n  }\n}";

/// Re-run this test binary for test `name` with `env` set (and the steering variables unset).
fn run_child(name: &str, env: &[(&str, &str)]) {
    let exe = std::env::current_exe().expect("current test binary");
    let mut cmd = Command::new(exe);
    cmd.args(["--exact", name, "--nocapture", "--test-threads=1"]);
    for k in STEERING {
        cmd.env_remove(k);
    }
    cmd.env(CHILD, name);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the child test process");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child {name} failed ({})\n{stdout}\n{stderr}", out.status);
    // libtest prints "running 0 tests" when --exact matched nothing; make sure it ran.
    assert!(stdout.contains("1 passed"), "child {name} did not run the test:\n{stdout}\n{stderr}");
}

fn is_child(name: &str) -> bool {
    std::env::var(CHILD).is_ok_and(|v| v == name)
}

/// A writer standing in for the terminal, whose bytes the test reads back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn bytes(&self) -> Vec<u8> {
        self.0.lock().expect("capture lock").clone()
    }
}

#[test]
fn system_backend_puts_text_on_the_x11_clipboard() {
    const NAME: &str = "system_backend_puts_text_on_the_x11_clipboard";
    if is_child(NAME) {
        return system_child();
    }
    let Some(xvfb) = Xvfb::start() else {
        return skip_notice(NAME);
    };
    run_child(NAME, &[("DISPLAY", &xvfb.display)]);
    drop(xvfb);
}

/// In the child: `DISPLAY` points at the Xvfb, no Wayland, no SSH.
fn system_child() {
    let display = std::env::var("DISPLAY").expect("DISPLAY set by the parent");
    let terminal = Captured::default();
    let mut clip =
        Clipboard::with_writer(BackendChoice::new(Backend::System, Origin::Env), Box::new(terminal.clone()));
    let report = clip.copy("endpoint JSON", JSON).expect("copy through the system clipboard");
    assert_eq!(report.via, Via::System);
    assert_eq!(
        report.to_string(),
        format!("Copied endpoint JSON ({} chars) via system clipboard", JSON.chars().count())
    );
    // The clipboard is still alive: X11 serves the text from its handle.
    assert_eq!(xclip_read(&display), JSON);
    assert!(terminal.bytes().is_empty(), "no OSC 52 when the system clipboard works");

    // `auto` with a display and no SSH picks the system clipboard too.
    let mut auto = Clipboard::with_writer(BackendChoice::default(), Box::new(terminal.clone()));
    let report = auto.copy("device token", "tok-123").expect("auto copy");
    assert_eq!(report.to_string(), "Copied device token (7 chars) via system clipboard");
    assert_eq!(xclip_read(&display), "tok-123");
    assert!(terminal.bytes().is_empty());

    // Both handles are still alive here; the first one (the long-lived one) keeps serving.
    drop(auto);
    let report = clip.copy("endpoint JSON", JSON).expect("copy again");
    assert_eq!(report.via, Via::System);
    assert_eq!(xclip_read(&display), JSON);
}

#[test]
fn auto_without_any_display_falls_back_to_osc52() {
    const NAME: &str = "auto_without_any_display_falls_back_to_osc52";
    if is_child(NAME) {
        return no_display_child();
    }
    run_child(NAME, &[]);
}

/// In the child: no `DISPLAY`, no `WAYLAND_DISPLAY`, no SSH, no tmux; the process environment
/// is the real one (`Clipboard` reads it), the terminal is a capture.
fn no_display_child() {
    assert!(std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none());
    let terminal = Captured::default();
    let mut clip = Clipboard::with_writer(BackendChoice::default(), Box::new(terminal.clone()));
    let report = clip.copy("endpoint JSON", JSON).expect("auto must not fail without a display");
    assert_eq!(report.via, Via::Osc52);
    assert_eq!(report.fell_back, None);
    assert_eq!(
        report.to_string(),
        format!("Copied endpoint JSON ({} chars) via OSC 52", JSON.chars().count())
    );
    assert_eq!(terminal.bytes(), osc52_sequence(JSON, Multiplexer::None).expect("sequence"));

    // Explicit `system` with no display says why, and writes nothing.
    let mut system =
        Clipboard::with_writer(BackendChoice::new(Backend::System, Origin::Flag), Box::new(terminal.clone()));
    let err = system.copy("endpoint JSON", JSON).expect_err("no display");
    assert!(err.to_string().starts_with("system clipboard failed: "), "{err}");
    assert_eq!(terminal.bytes(), osc52_sequence(JSON, Multiplexer::None).expect("sequence"));
}

/// A private tmux server (its own socket in a temporary directory), killed on drop.
struct TmuxServer {
    socket: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl TmuxServer {
    /// `None` when tmux is not installed.
    fn start() -> Option<TmuxServer> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let socket = dir.path().join("tmux.sock");
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-s", "clip", "sleep 600"])
            .env_remove("TMUX")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => panic!("could not start tmux: {e}"),
            Ok(s) => {
                assert!(s.success(), "tmux new-session failed: {s}");
                Some(TmuxServer { socket, _dir: dir })
            }
        }
    }

    /// The value tmux puts in `TMUX` for its panes: `socket,pid,session` (the client only uses
    /// the socket path).
    fn tmux_env(&self) -> String {
        format!("{},{},0", self.socket.display(), std::process::id())
    }

    fn show_buffer(&self) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("show-buffer")
            .env_remove("TMUX")
            .output()
            .expect("tmux show-buffer");
        assert!(out.status.success(), "tmux show-buffer: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("UTF-8 buffer")
    }
}

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .env_remove("TMUX")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
fn osc52_inside_tmux_lands_in_the_tmux_buffer() {
    const NAME: &str = "osc52_inside_tmux_lands_in_the_tmux_buffer";
    if is_child(NAME) {
        return tmux_child();
    }
    let Some(server) = TmuxServer::start() else {
        eprintln!("!!! SKIPPED {NAME}: tmux is not installed (CI does not install it; optional).");
        return;
    };
    run_child(NAME, &[("TMUX", &server.tmux_env())]);
    // The child has exited; the buffer lives in the tmux server.
    assert_eq!(server.show_buffer(), JSON);
}

/// In the child: `TMUX` points at the private server; the real `tmux` binary is run.
fn tmux_child() {
    let terminal = Captured::default();
    let mut clip =
        Clipboard::with_writer(BackendChoice::new(Backend::Osc52, Origin::Flag), Box::new(terminal.clone()));
    let report = clip.copy("endpoint JSON", JSON).expect("copy inside tmux");
    assert_eq!(report.via, Via::Osc52AndTmux, "{report}");
    assert_eq!(
        report.to_string(),
        format!("Copied endpoint JSON ({} chars) via OSC 52 and tmux buffer", JSON.chars().count())
    );
    // tmux 3.2+ sends OSC 52 to its clients itself (`load-buffer -w`); before that we send the
    // passthrough-wrapped sequence.
    let bytes = terminal.bytes();
    assert!(
        bytes.is_empty() || bytes == osc52_sequence(JSON, Multiplexer::Tmux).expect("sequence"),
        "unexpected terminal bytes {bytes:?}"
    );
}
