//! The browser end to end: the built binary with `--demo` in a pseudo-terminal.

use crate::emu;
use crate::pty;

use emu::U42;
use pty::{CTRL_C, ENTER, ESC, Pty, Spawn, TAB, contains, osc52_payloads, paste, rfind};

const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const PASTE_OFF: &[u8] = b"\x1b[?2004l";
const PASTE_ON: &[u8] = b"\x1b[?2004h";

/// The terminal was handed back: the alternate screen left (and not entered again after),
/// bracketed paste and mouse reporting off, the cursor shown.
fn assert_restored(out: &[u8]) {
    let left = rfind(out, LEAVE_ALT).expect("the alternate screen was left");
    assert!(rfind(out, ENTER_ALT).is_some_and(|e| e < left), "entered again after leaving");
    assert!(contains(out, PASTE_ON), "bracketed paste was on");
    assert!(
        rfind(out, PASTE_OFF).is_some_and(|p| p > rfind(out, PASTE_ON).unwrap_or(0)),
        "bracketed paste off"
    );
    assert!(contains(out, b"\x1b[?1000l"), "mouse reporting off");
    assert!(contains(&out[left..], b"\x1b[?25h") || contains(out, b"\x1b[?25h"), "cursor shown");
}

fn first_frame(p: &Pty) {
    p.wait_for("Nothing looked up yet");
}

#[test]
fn demo_lookup_shows_the_endpoint_and_quits_cleanly() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    first_frame(&p);
    // A frame arrives in pieces: wait for the status bar too before asserting on it.
    let screen = p.wait_for_all(&["Nothing looked up yet", "profile demo · us-east-1 · demo (local)"]);
    assert!(screen.contains("profile demo · us-east-1 · demo (local)"), "{screen}");

    // A paste with whitespace around it lands trimmed and is parsed as it arrives.
    p.send(&paste(&format!("  {U42}\n")));
    p.wait_for("✓ region us-east-1");
    p.send(TAB);
    p.send("ep-9");
    p.send(ENTER);
    let screen = p.wait_for_all(&[
        "INVALID_DEVICE_TOKEN",
        "● INACTIVE: the service will not push to it",
        "the push service rejected the device token",
        "Endpoint ID   ep-9",
        "GCM Firebase Cloud Messaging",
        "Device token  •••••••• 163 chars",
        "j/k move",
    ]);
    assert!(!screen.contains("Pixel 8 (old)"), "the name is masked: {screen}");

    // Focus moved to the detail pane: `s` shows the secrets.
    p.send("s");
    p.wait_for("Pixel 8 (old)");

    // Back to the input, another endpoint.
    p.send("i");
    p.send(TAB);
    p.send("\x15"); // Ctrl-U: delete the line
    p.send("ep-1");
    p.send(ENTER);
    p.wait_for_all(&["✔ Can receive pushes", "● ACTIVE", "APNS_SANDBOX", "Ada's iPhone 15", "j/k move"]);

    p.send("q");
    let status = p.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&p.output());
}

#[test]
fn errors_show_in_the_detail_pane_and_ctrl_c_quits_from_an_input() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    first_frame(&p);
    // (An app-instance ARN is valid: Enter lists its users. This one is not.)
    p.send("arn:aws:chime:us-east-1:1:app-instance/x/usr/y");
    p.wait_for("after the app instance ID comes");
    // Enter sends nothing invalid
    p.send(ENTER);
    p.wait_for("Not looked up");
    p.send("\x15");
    p.send(&paste(U42));
    p.send(TAB);
    p.send("no-such-endpoint");
    p.send(ENTER);
    p.wait_for_all(&["✘ NotFoundException (not found)", "HTTP status   404", "Hint", "no such endpoint"]);
    // still in the input: q types
    p.send("q");
    p.wait_for("no-such-endpointq");
    p.send(CTRL_C);
    let status = p.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&p.output());
}

#[test]
fn help_overlay_and_mouse_flag() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn { args: &["--demo", "--mouse"], ..Spawn::default() }, home.path());
    first_frame(&p);
    assert!(contains(&p.output(), b"\x1b[?1000h"), "mouse capture on with --mouse");
    p.send(ESC); // leave the input
    p.wait_for("j/k move");
    p.send("?");
    p.wait_for("Keys");
    p.wait_for("copy the endpoint as JSON");
    p.send(ESC);
    p.wait_until("the help to close", |s| !s.contains("copy the endpoint as JSON"));
    p.send("q");
    let status = p.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&p.output());
}

#[test]
fn sigterm_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    first_frame(&p);
    let pid = p.pid().expect("a pid");
    let killed = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert!(killed.success());
    let status = p.wait_exit();
    assert_eq!(status.exit_code(), 143, "{status:?}");
    assert_restored(&p.output());
}

#[test]
fn a_malformed_config_is_refused_with_its_line() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[ui]\nmouse = false\nmuose = true\n").unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    let status = p.wait_exit();
    assert_eq!(status.exit_code(), 253, "{status:?}");
    let out = p.output_text();
    assert!(out.contains("config.toml, line 3"), "{out}");
    assert!(out.contains("muose"), "{out}");
    assert!(!contains(&p.output(), ENTER_ALT), "the screen never opened");
}

#[test]
fn a_small_terminal_says_so() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn { cols: 20, rows: 6, ..Spawn::default() }, home.path());
    p.wait_for("Terminal too");
    p.send(CTRL_C);
    let status = p.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&p.output());
}

/// Debug builds have a panicking lookup (endpoint ID `test-panic`) behind CHIMESCOPE_TEST_PANIC.
#[cfg(debug_assertions)]
#[test]
fn a_panicking_lookup_is_an_error_for_that_lookup_not_an_exit() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn { env: &[("CHIMESCOPE_TEST_PANIC", "1")], ..Spawn::default() }, home.path());
    first_frame(&p);
    p.send(&paste(U42));
    p.wait_for("✓ region us-east-1");
    p.send(TAB);
    p.send("test-panic");
    p.send(ENTER);
    let screen = p.wait_for_all(&["✘ InternalError", "test panic in a lookup", "bug in chimescope"]);
    assert!(!screen.contains("Nothing looked up yet"), "{screen}");
    // The browser goes on, the endpoint input still focused: the next lookup works.
    p.send("\x15"); // Ctrl-U: delete the line
    p.send("ep-1");
    p.send(ENTER);
    p.wait_for_all(&["✔ Can receive pushes", "Endpoint ep-1 "]);
    p.send("q");
    let status = p.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let out = p.output();
    assert_restored(&out);
    assert!(!contains(&out, b"panicked at"), "no panic message reached the terminal");
}

/// Debug builds have a panic on F12 behind CHIMESCOPE_TEST_PANIC.
#[cfg(debug_assertions)]
#[test]
fn a_panic_restores_the_terminal_before_the_message() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn { env: &[("CHIMESCOPE_TEST_PANIC", "1")], ..Spawn::default() }, home.path());
    first_frame(&p);
    p.send("\x1b[24~"); // F12
    let status = p.wait_exit();
    assert_eq!(status.exit_code(), 101, "{status:?}");
    let out = p.output();
    assert_restored(&out);
    let left = rfind(&out, LEAVE_ALT).unwrap();
    let msg = rfind(&out, b"test panic (CHIMESCOPE_TEST_PANIC)").expect("the panic message");
    assert!(msg > left, "the message is printed on the normal screen, after leaving the alternate one");
}

/// `chimescope emulator` with slow answers, killed on drop.
struct SlowService {
    child: std::process::Child,
    url: String,
}

impl SlowService {
    fn start(latency_ms: u64) -> Self {
        use std::io::BufRead;
        let mut child = std::process::Command::new(pty::BIN)
            .args(["emulator", "--latency-ms", &latency_ms.to_string()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the emulator");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.trim().strip_prefix("listening on ").expect("the emulator's address").to_string();
        Self { child, url }
    }
}

impl Drop for SlowService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_slow_lookup_keeps_the_screen_answering_and_esc_cancels_it() {
    let svc = SlowService::start(60_000);
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let args = ["--endpoint-url", svc.url.as_str()];
    let mut p = Pty::spawn(Spawn { args: &args, env: &env, ..Spawn::default() }, home.path());
    p.wait_for_all(&["Nothing looked up yet", &format!("custom {}", svc.url)]);
    p.send(&paste(U42));
    p.send(TAB);
    p.send("ep-1");
    p.send(ENTER);
    p.wait_for_all(&["Looking up ep-1 in us-east-1", "Esc cancel"]);
    // Keys still work while the answer is a minute away.
    p.send("x");
    p.wait_for("Endpoint ep-1x");
    p.send(ESC);
    p.wait_for_all(&["Lookup cancelled", "Nothing looked up yet"]);
    // Ctrl-R under inputs that changed since: what they say now (the detail pane never shows
    // an endpoint the inputs do not name), and the message says why.
    p.send("\x12");
    p.wait_for_all(&["Looking up ep-1x in us-east-1", "The inputs changed since the last lookup"]);
    p.send(CTRL_C);
    let status = p.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&p.output());
}

#[test]
fn y_and_big_y_copy_through_osc52_with_feedback() {
    let home = tempfile::tempdir().unwrap();
    let mut p =
        Pty::spawn(Spawn { env: &[("CHIMESCOPE_CLIPBOARD", "osc52")], ..Spawn::default() }, home.path());
    first_frame(&p);
    p.send(&paste(U42));
    p.send(TAB);
    p.send("ep-1");
    p.send(ENTER);
    p.wait_for_all(&["✔ Can receive pushes", "j/k move"]);
    // The field cursor to the device token (masked on screen), and copy its real value.
    p.send("gjjjjjjjjjj");
    p.send("y");
    p.wait_for("Copied device token in clear (64 chars) via OSC 52");
    // `Y` follows the mask on screen, and says so.
    p.send("Y");
    p.wait_for("Copied endpoint as JSON, Name and device tokens masked");
    p.send("q");
    assert!(p.wait_exit().success());
    let copied = osc52_payloads(&p.output());
    assert_eq!(copied.len(), 2, "{copied:?}");
    assert_eq!(copied[0], "2542283432f8b6b2e09d999a6adf71522d2f6d513525b9842b4cc6e047a2fdd2");
    let json: serde_json::Value = serde_json::from_str(&copied[1]).expect("JSON");
    assert_eq!(json["AppInstanceUserEndpoint"]["EndpointId"], "ep-1");
    assert_eq!(json["AppInstanceUserEndpoint"]["EndpointAttributes"]["DeviceToken"], "(masked, 64 chars)");
    assert_eq!(json["AppInstanceUserEndpoint"]["CreatedTimestamp"], "2023-11-15T00:25:19Z");
}

#[test]
fn a_tmux_paste_with_cr_fills_both_inputs_and_alt_b_moves_by_word() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    first_frame(&p);
    // tmux's paste-buffer sends lines ended by CR, inside bracketed paste.
    p.send(&paste(&format!("{U42}\rep-9")));
    p.wait_for_all(&["›Endpoint ep-9", "1 of 5"]);
    p.send(ENTER);
    p.wait_for("Cannot receive pushes");
    // Alt-B (ESC b) in an input moves back a word: what is typed next goes before it.
    p.send("\x1b[Z"); // Shift-Tab back to the endpoint-ID input
    p.wait_for("›Endpoint ep-9");
    p.send("\x1bb");
    p.send("x");
    p.wait_until("x typed before the last word", |s| {
        s.contains("›Endpoint ep-x9") || s.contains("›Endpoint xep-9")
    });
    p.send(CTRL_C);
    assert!(p.wait_exit().success());
}

/// A terminal without bracketed paste types a pasted "ARN ep-9" key by key: it is split as a
/// bracketed paste is, and Enter looks the endpoint up.
#[test]
fn an_arn_and_id_typed_without_bracketed_paste_are_split() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    first_frame(&p);
    p.send(&format!("{U42} ep-9"));
    // The ARN input holds the ARN alone (its tail shown), the endpoint input ep-9.
    p.wait_for_all(&["/user/u-42 ", "Endpoint ep-9"]);
    p.send(ENTER);
    let screen = p.wait_for_all(&["Endpoint ID   ep-9", "INVALID_DEVICE_TOKEN"]);
    assert!(!screen.contains(&format!("{U42} ep-9")), "both in the ARN input: {screen}");
    p.send(CTRL_C);
    assert!(p.wait_exit().success());
}

/// The demo's `pp-disabled` (ACTIVE, ALL, its APNS_SANDBOX channel disabled): the verdict line
/// says why not, the State row the state, and Recent's entry says it cannot receive.
#[test]
fn pp_disabled_reads_cannot_receive_in_the_verdict_and_in_recent() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    first_frame(&p);
    let user = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab/user/qa-pinpoint";
    p.send(&paste(user));
    p.wait_for("✓ region us-east-1");
    p.send(TAB);
    p.send("pp-disabled");
    p.send(ENTER);
    let screen = p.wait_for_all(&[
        "✘ the app's APNS_SANDBOX channel is disabled",
        "● ACTIVE: the service will push to it",
        "ACTIVE · cannot receive",
    ]);
    assert!(!screen.contains("Can receive pushes"), "{screen}");
    assert!(!screen.contains("can receive pushes"), "{screen}");
    p.send("q");
    assert!(p.wait_exit().success());
}
