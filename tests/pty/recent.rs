//! Recent lookups end to end: the built binary in a pseudo-terminal against an
//! emulator process. Look up, quit, stop the service, start the browser again against the
//! dead address: the lookups are listed in the Recent pane and Enter shows a stored result
//! ("from history"), offline. The history file holds no device token or name.

use crate::emu;
use crate::pty;

use emu::{EmuProc, U42};
use pty::{ENTER, ESC, Pty, Spawn, TAB, paste};
use std::path::Path;

/// Fake credentials, and nothing from the host's AWS configuration.
const AWS_ENV: [(&str, &str); 5] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
    ("AWS_CONFIG_FILE", "/dev/null"),
    ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

const EP1_TOKEN: &str = "2542283432f8b6b2e09d999a6adf71522d2f6d513525b9842b4cc6e047a2fdd2";

fn browser(url: &str, home: &Path) -> Pty {
    let args = ["--endpoint-url", url];
    Pty::spawn(Spawn { args: &args, env: &AWS_ENV, ..Spawn::default() }, home)
}

fn history_file(home: &Path) -> std::path::PathBuf {
    home.join(".local/state/chimescope/history.json")
}

/// The file holds the lookups and none of their secrets.
fn assert_no_secrets(home: &Path) -> String {
    let text = std::fs::read_to_string(history_file(home)).expect("the history file");
    for secret in [EP1_TOKEN, "Ada's iPhone 15", "Pixel 8 (old)", "DeviceToken", "VoipDeviceToken"] {
        assert!(!text.contains(secret), "{secret:?} in the history file:\n{text}");
    }
    // The ep-9 token (163 chars): check a distinctive piece of the seed's value.
    let seed = emu::demo_seed();
    for ep in seed["AppInstanceUserEndpoints"].as_array().unwrap() {
        for key in ["DeviceToken", "VoipDeviceToken"] {
            if let Some(tok) = ep["EndpointAttributes"][key].as_str() {
                assert!(!text.contains(tok), "a {key} in the history file:\n{text}");
            }
        }
    }
    text
}

#[test]
fn lookups_are_kept_across_restarts_and_shown_offline() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    let url = emu.url.clone();

    // 1. Look up two endpoints while the service runs.
    let mut p = browser(&url, home.path());
    p.wait_for_all(&["Nothing looked up yet", "No recent lookups yet"]);
    p.send(&paste(U42));
    p.send(TAB);
    p.send("ep-9");
    p.send(ENTER);
    p.wait_for_all(&["● INACTIVE: the service will not push to it", "● ep-9", "j/k move"]);
    p.send("i");
    p.send(TAB);
    p.send("\x15"); // Ctrl-U
    p.send("ep-1");
    p.send(ENTER);
    p.wait_for_all(&["✔ Can receive pushes", "● ep-1", "● ep-9", "Recent 2"]);
    p.send("q");
    assert!(p.wait_exit().success());
    let text = assert_no_secrets(home.path());
    assert!(text.contains("\"endpoint_id\":\"ep-1\"") && text.contains("\"endpoint_id\":\"ep-9\""), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(history_file(home.path())).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // 2. The service is gone.
    drop(emu);

    // 3. Start again against the dead address: the lookups are listed, newest first.
    let mut p = browser(&url, home.path());
    let screen = p.wait_for_all(&["Recent 2", "● ep-1", "● ep-9", "ACTIVE · u-42", "INACTIVE · u-42"]);
    let (y1, y9) = (screen.find("● ep-1").unwrap(), screen.find("● ep-9").unwrap());
    assert!(y1 < y9, "newest first:\n{screen}");
    p.send(ESC); // leave the ARN input (wait: ESC and TAB in one read would be Alt-Tab)
    p.wait_for("j/k move");
    p.send(TAB); // detail → Recent
    p.wait_for("Enter show");
    // Enter shows the stored result at once, from the history.
    p.send(ENTER);
    let screen = p.wait_for_all(&[
        "Endpoint ep-1 · from history",
        "From history,",
        "● ACTIVE: the service will push to it",
        "Endpoint ID   ep-1",
        "APNS_SANDBOX",
        // Written without secrets: the tokens were not stored, which is not the same as absent.
        "Device token  not stored (history.store_secrets = false)",
    ]);
    assert!(!screen.contains(EP1_TOKEN), "{screen}");
    // j, Enter: the other one.
    p.send("j");
    p.send(ENTER);
    p.wait_for_all(&["Endpoint ep-9 · from history", "INVALID_DEVICE_TOKEN", "Endpoint ID   ep-9"]);
    // `/` filters; Esc clears.
    p.send("/");
    p.send("ep-1");
    p.wait_for_all(&["Recent 1 of 2", "/ ep-1"]);
    p.send(ESC);
    p.wait_for("Recent 2");
    // `r` refreshes the selected entry (ep-1: the filter kept it selected) from the service,
    // which is down: an error, the stored result kept, the entry now on top.
    p.send("r");
    p.wait_for("NetworkError");
    let screen = p.wait_for("network · u-42");
    assert!(screen.find("● ep-1").unwrap() < screen.find("● ep-9").unwrap(), "{screen}");
    p.send("q");
    assert!(p.wait_exit().success());
    let text = assert_no_secrets(home.path());
    assert!(text.contains("\"kind\":\"failed\""), "the failed refresh is recorded:\n{text}");
    assert!(text.contains("\"last_result\""), "{text}");

    // 4. `d` forgets the selected (newest) entry, ep-1, on disk too.
    let mut p = browser(&url, home.path());
    p.wait_for("Recent 2");
    p.send(ESC);
    p.wait_for("j/k move");
    p.send(TAB);
    p.wait_for("Enter show");
    p.send("d");
    p.wait_for_all(&["Forgot ep-1 of u-42", "Recent 1"]);
    p.send("q");
    assert!(p.wait_exit().success());
    let text = std::fs::read_to_string(history_file(home.path())).unwrap();
    assert!(
        !text.contains("\"endpoint_id\":\"ep-1\"") && text.contains("\"endpoint_id\":\"ep-9\""),
        "{text}"
    );
}

#[test]
fn a_corrupt_history_file_is_moved_aside_with_a_message_on_screen() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".local/state/chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("history.json"), "{ not json").unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    // The message line (cut to the screen's width), and the whole warning in the Recent pane.
    p.wait_for_all(&["No recent lookups yet", "✘ history file", "is damaged", "⚠ history file"]);
    p.send("\x03");
    assert!(p.wait_exit().success());
    let moved: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("history.json.corrupt-"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(std::fs::read_to_string(dir.join(&moved[0])).unwrap(), "{ not json");
}

/// Another browser holds the history file's lock: the lookup's result is on screen at once
/// (the save waits on its own thread, not the screen's), and quitting waits for the save.
#[test]
fn a_locked_history_file_holds_up_neither_the_screen_nor_the_save() {
    let home = tempfile::tempdir().unwrap();
    let emu = EmuProc::start(&[]);
    let file = history_file(home.path());
    let lock = chimescope::store::lock::FileLock::exclusive(
        &chimescope::store::lock::lock_path(&file),
        std::time::Duration::ZERO,
    )
    .unwrap();
    let mut p = browser(&emu.url, home.path());
    p.wait_for_all(&["Nothing looked up yet", "No recent lookups yet"]);
    p.send(&paste(U42));
    p.send(TAB);
    p.send("ep-9");
    p.send(ENTER);
    // The answer is drawn while another browser still holds the history lock. A save on the
    // UI loop would first wait out the lock (5 s), fail, and say so; a save beside the loop
    // waits for the lock and succeeds once it is released below.
    let screen = p.wait_for_all(&["● INACTIVE: the service will not push to it", "● ep-9", "Recent 1"]);
    drop(lock);
    p.send("q");
    assert!(p.wait_exit().success());
    assert!(!screen.contains("cannot save"), "no save error on screen: {screen}");
    let text = std::fs::read_to_string(&file).expect("saved before the browser exited");
    assert!(text.contains("\"endpoint_id\":\"ep-9\""), "{text}");
}

/// A FIFO where the history belongs made the browser wait forever before its first frame.
/// Now it starts, says why the history is not used, leaves the FIFO alone, and at quit keeps
/// the lookup it could not save beside it (exit 255).
#[test]
fn a_fifo_as_history_is_refused_on_screen_and_the_lookup_kept_beside_it() {
    use std::os::unix::fs::FileTypeExt;
    let home = tempfile::tempdir().unwrap();
    let file = history_file(home.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(&file).status().unwrap().success());
    let mut p = Pty::spawn(Spawn::default(), home.path());
    p.wait_for_all(&["No recent lookups yet", "is a FIFO, not a regular file"]);
    p.send(&paste(U42));
    p.send(TAB);
    p.send("ep-1");
    p.send(ENTER);
    p.wait_for_all(&["✔ Can receive pushes", "not saving the history"]);
    p.send("q");
    assert_eq!(p.wait_exit().exit_code(), 255);
    let said = p.output_text();
    assert!(said.contains("1 recent lookup was not saved to"), "{said}");
    assert!(std::fs::symlink_metadata(&file).unwrap().file_type().is_fifo(), "the FIFO was replaced");
    let dir = file.parent().unwrap();
    let aside: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("history.json.unsaved-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    let text = std::fs::read_to_string(dir.join(&aside[0])).unwrap();
    assert!(text.contains("\"endpoint_id\":\"ep-1\"") && !text.contains(EP1_TOKEN), "{text}");
}
