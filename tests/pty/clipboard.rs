//! Copying from the browser end to end: the built binary in a pseudo-terminal.
//! With a real X server (Xvfb) and `CHIMESCOPE_CLIPBOARD=system`, `Y` puts the same JSON that
//! `chimescope describe --output json` prints where `xclip` reads it, while the browser runs.
//! With no display at all, `auto` falls back to OSC 52 without an error. (`y`/`Y` with an
//! explicit `osc52` backend: `tui_pty::y_and_big_y_copy_through_osc52_with_feedback`.)

use crate::emu;
use crate::pty;
use crate::xvfb;

use emu::U42;
use pty::{ENTER, Pty, Spawn, TAB, contains, osc52_payloads, paste};
use xvfb::{Xvfb, skip_notice, xclip_read};

/// What `chimescope describe --demo ... --output json` prints for `id`, without the final
/// newline (the clipboard gets the document; the command ends its output with a line end).
fn describe_json(id: &str) -> String {
    let out = std::process::Command::new(pty::BIN)
        .args(["describe", "--demo", "--app-instance-user-arn", U42, "--endpoint-id", id, "--output", "json"])
        .env_remove("DISPLAY")
        .output()
        .expect("run chimescope describe");
    assert!(out.status.success(), "describe failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    text.strip_suffix('\n').expect("a final newline").to_string()
}

fn look_up(p: &mut Pty, id: &str) {
    p.wait_for("Nothing looked up yet");
    p.send(&paste(U42));
    p.send(TAB);
    p.send(id);
    p.send(ENTER);
    p.wait_for_all(&[&format!("Endpoint ID   {id}"), "j/k move"]);
}

#[test]
fn big_y_puts_the_describe_json_on_the_x11_clipboard_while_the_browser_runs() {
    let Some(x) = Xvfb::start() else {
        return skip_notice("big_y_puts_the_describe_json_on_the_x11_clipboard_while_the_browser_runs");
    };
    let want = describe_json("ep-1");
    let home = tempfile::tempdir().unwrap();
    let env = [("CHIMESCOPE_CLIPBOARD", "system"), ("DISPLAY", x.display.as_str())];
    let mut p = Pty::spawn(Spawn { env: &env, ..Spawn::default() }, home.path());
    look_up(&mut p, "ep-1");
    // `Y` follows the mask: with the secrets shown it copies the record whole, and says so.
    p.send("s");
    p.wait_for("Secrets shown");
    p.send("Y");
    p.wait_for(&format!(
        "Copied endpoint as JSON, Name and device tokens in clear ({} chars) via system clipboard",
        want.chars().count()
    ));
    // Still running: X11 serves the selection from the browser's clipboard handle.
    assert_eq!(xclip_read(&x.display), want);
    assert!(!contains(&p.output(), b"\x1b]52;"), "no OSC 52 when the system clipboard works");
    // `y` on the device token (masked on screen) copies its real value there too.
    p.send("gjjjjjjjjjj");
    p.send("y");
    p.wait_for("Copied device token (64 chars) via system clipboard");
    assert_eq!(xclip_read(&x.display), "2542283432f8b6b2e09d999a6adf71522d2f6d513525b9842b4cc6e047a2fdd2");
    p.send("q");
    assert!(p.wait_exit().success());
}

#[test]
fn auto_with_no_display_at_all_falls_back_to_osc52_without_an_error() {
    let want = describe_json("ep-1");
    let home = tempfile::tempdir().unwrap();
    // The PTY's environment is cleared: no DISPLAY, WAYLAND_DISPLAY, SSH_*, TMUX or STY, and
    // no CHIMESCOPE_CLIPBOARD (so `auto`).
    let mut p = Pty::spawn(Spawn::default(), home.path());
    look_up(&mut p, "ep-1");
    p.send("s");
    p.wait_for("Secrets shown");
    p.send("Y");
    let screen = p.wait_for(&format!(
        "Copied endpoint as JSON, Name and device tokens in clear ({} chars) via OSC 52",
        want.chars().count()
    ));
    assert!(!screen.contains("failed") && !screen.contains("✘"), "no error: {screen}");
    p.send("q");
    assert!(p.wait_exit().success());
    assert_eq!(osc52_payloads(&p.output()), [want]);
}
