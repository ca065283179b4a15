//! Browsing end to end: the built binary with `--demo` in a pseudo-terminal, from an app
//! instance to a user to an endpoint's detail and back up, completions in the endpoint-ID
//! input, and lazy paging of a long list.

use crate::emu;
use crate::pty;

use emu::{INSTANCE, U42};
use pty::{ENTER, ESC, Pty, Spawn, TAB, paste};

const BACKSPACE: &str = "\x7f";
const CTRL_U: &str = "\x15";

fn start(home: &std::path::Path) -> Pty {
    let p = Pty::spawn(Spawn::default(), home);
    p.wait_for("Nothing looked up yet");
    p
}

#[test]
fn from_an_app_instance_to_a_user_to_an_endpoint_and_back_up() {
    let home = tempfile::tempdir().unwrap();
    let mut p = start(home.path());

    // The instance ARN, Enter: its users.
    p.send(&paste(INSTANCE));
    p.wait_for("Enter lists its users");
    p.send(ENTER);
    p.wait_for_all(&["Users of 7f3c2b1a", "6 users", "› Ada Lovelace", "Enter open"]);

    // Move about, back to u-42, Enter: its endpoints, state at a glance.
    p.send("jj");
    p.wait_for("› Zoë Kowalczyk");
    p.send("kk");
    p.wait_for("› Ada Lovelace");
    p.send(ENTER);
    p.wait_for_all(&[
        "Endpoints of Ada Lovelace (u-42)",
        "5 endpoints",
        "› ● ep-1",
        "INVALID_DEVICE_TOKEN",
        "INVALID_PINPOINT_ARN",
    ]);

    // Pick ep-9, Enter: the detail pane.
    p.send("jj");
    p.wait_for("› ● ep-9");
    p.send(ENTER);
    let screen = p.wait_for_all(&[
        "● INACTIVE: the service will not push to it",
        "INVALID_DEVICE_TOKEN",
        "the push service rejected the device token",
        "Endpoint ID   ep-9",
        "Esc back",
    ]);
    assert!(!screen.contains("Pixel 8 (old)"), "the name is masked: {screen}");

    // Esc: back to the endpoints with the cursor where it was; again: the users.
    p.send(ESC);
    p.wait_for_all(&["5 endpoints", "› ● ep-9"]);
    p.send(ESC);
    p.wait_for_all(&["6 users", "› Ada Lovelace"]);
    // Backspace: the app instances (loaded now), the cursor on the one we came from.
    p.send(BACKSPACE);
    // ListAppInstances is regional: the demo lists the two us-east-1 instances.
    p.wait_for_all(&["2 app instances", "› Acme Messenger (prod)"]);

    p.send("q");
    let status = p.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn the_endpoint_id_input_completes_the_users_endpoints() {
    let home = tempfile::tempdir().unwrap();
    let mut p = start(home.path());
    p.send(&paste(U42));
    p.send(TAB);
    // The dropdown lists the user's endpoints.
    p.wait_for_all(&["5 endpoints", "ep-pinpoint", "Tab completes"]);
    p.send("ep-p");
    p.wait_for("1 of 5");
    p.send(TAB);
    p.wait_for("Endpoint ep-pinpoint");
    p.send(ENTER);
    p.wait_for_all(&["INVALID_PINPOINT_ARN", "● INACTIVE: the service will not push to it"]);
    // ↓ chooses, Enter takes the choice and looks it up.
    p.send("i");
    p.send(TAB);
    p.send(CTRL_U);
    p.wait_for("5 endpoints");
    p.send("\x1b[B\x1b[B"); // ↓ ↓: the second, ep-2
    p.send(ENTER);
    p.wait_for_all(&["Endpoint ID   ep-2", "● ACTIVE"]);
    p.send("q");
    assert!(p.wait_exit().success());
}

#[test]
fn a_long_list_pages_as_the_cursor_nears_the_end() {
    // A user has at most 10 endpoints (one page): the long list is an instance's 57 users.
    let dir = tempfile::tempdir().unwrap();
    let seed = emu::scan_seed(dir.path(), 57);
    let e = emu::EmuProc::start(&["--seed", seed.to_str().unwrap()]);
    let home = tempfile::tempdir().unwrap();
    let env =
        [("AWS_ACCESS_KEY_ID", "AKIDTEST"), ("AWS_SECRET_ACCESS_KEY", "secret"), ("AWS_REGION", "us-east-1")];
    let mut p =
        Pty::spawn(Spawn { args: &["--endpoint-url", &e.url], env: &env, ..Spawn::default() }, home.path());
    p.wait_for("Nothing looked up yet");
    p.send(&paste(emu::SCAN_INST));
    p.send(ENTER);
    p.wait_for_all(&["Users of scan-bench", "50 loaded, more…"]);
    // One G goes to the real end: the pages still to come are loaded, the cursor on the last.
    p.send("G");
    p.wait_for_all(&["57 users", "u000056"]);
    // `/` filters what is loaded.
    p.send("/u00005");
    p.wait_for("7 of 57 match");
    p.send(ENTER);
    p.send(ESC);
    p.wait_until("the filter to clear", |s| !s.contains("of 57 match"));
    p.send("q");
    assert!(p.wait_exit().success());
}
