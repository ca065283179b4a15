//! Signals, suspend, failed saves and the log, end to end: the
//! built binary in a pseudo-terminal, signalled with `kill`, run under `ulimit -f`, with the
//! history file locked, and with a log that cannot be written.

use crate::emu;
use crate::pty;

use emu::{EmuProc, U42};
use pty::{CTRL_C, ENTER, Pty, Spawn, TAB, contains, paste, rfind};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const FIRST_FRAME: &str = "Nothing looked up yet";
/// The demo's ep-1 device token.
const EP1_TOKEN: &str = "2542283432f8b6b2e09d999a6adf71522d2f6d513525b9842b4cc6e047a2fdd2";

fn state_dir(home: &Path) -> PathBuf {
    home.join(".local/state/chimescope")
}

fn kill(sig: &str, pid: u32) {
    let st =
        std::process::Command::new("kill").args([&format!("-{sig}"), &pid.to_string()]).status().unwrap();
    assert!(st.success(), "kill -{sig} {pid}");
}

/// The process state letter from /proc (R, S, T for stopped…).
fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next())
}

fn wait_stopped(p: &Pty, pid: u32) {
    let deadline = Instant::now() + pty::TIMEOUT;
    while state(pid) != Some('T') {
        assert!(Instant::now() < deadline, "never stopped; the screen:\n{}", p.screen());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A stopped browser wrote its restore before stopping, but the harness reads the terminal
/// on its own thread: wait (bounded) until what it read shows the terminal handed back.
fn wait_restored(p: &Pty) {
    let restored = |out: &[u8]| {
        rfind(out, ENTER_ALT).is_some_and(|i| {
            let rest = &out[i..];
            rfind(rest, LEAVE_ALT).is_some_and(|l| contains(&rest[l..], SHOW_CURSOR))
        })
    };
    let deadline = Instant::now() + pty::TIMEOUT;
    while !restored(&p.output()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_restored(&p.output());
}

/// The terminal was handed back: after the last time the alternate screen was entered, it
/// was left and the cursor shown again.
fn assert_restored(out: &[u8]) {
    let entered = rfind(out, ENTER_ALT).expect("the alternate screen was entered");
    let rest = &out[entered..];
    assert!(
        contains(rest, LEAVE_ALT),
        "the alternate screen was not left: {:?}",
        String::from_utf8_lossy(rest)
    );
    let left = rfind(rest, LEAVE_ALT).unwrap();
    assert!(contains(&rest[left..], SHOW_CURSOR), "the cursor was not shown again");
}

/// What the program printed after handing the terminal back.
fn after_restore(p: &Pty) -> String {
    let out = p.output();
    let left = rfind(&out, LEAVE_ALT).expect("the alternate screen was left");
    String::from_utf8_lossy(&out[left..]).into_owned()
}

fn entries_in(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    v.sort();
    v
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    entries_in(dir, ".")
}

/// SIGQUIT, SIGUSR1 and SIGALRM killed the browser with the terminal in raw mode on the
/// alternate screen. Now each hands the terminal back and exits 128 + its number.
#[test]
fn sigquit_sigusr1_sigalrm_restore_the_terminal() {
    for (sig, code) in [("QUIT", 131), ("USR1", 138), ("ALRM", 142)] {
        let home = tempfile::tempdir().unwrap();
        let mut p = Pty::spawn(Spawn::default(), home.path());
        p.wait_for(FIRST_FRAME);
        kill(sig, p.pid().unwrap());
        let st = p.wait_exit();
        assert_eq!(st.exit_code(), code, "SIG{sig}: {st:?}");
        assert_restored(&p.output());
    }
}

/// Ctrl-Z arrives as a key in raw mode and did nothing. Now it hands the terminal back and
/// stops; continued (`fg`), the browser takes the terminal again in raw mode and redraws.
#[test]
fn ctrl_z_suspends_with_the_terminal_restored_and_fg_redraws() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    p.wait_for(FIRST_FRAME);
    let pid = p.pid().unwrap();
    p.send("\x1a");
    wait_stopped(&p, pid);
    wait_restored(&p);
    assert!(!p.screen().contains(FIRST_FRAME), "still on the browser's screen:\n{}", p.screen());

    let mark = p.output().len();
    kill("CONT", pid);
    p.wait_for(FIRST_FRAME); // redrawn, whole, on the alternate screen again
    assert!(contains(&p.output()[mark..], ENTER_ALT));
    // Raw mode again: Ctrl-C is a key (quit, exit 0), not the terminal's SIGINT (exit 130).
    p.send(CTRL_C);
    let st = p.wait_exit();
    assert_eq!(st.exit_code(), 0, "{st:?}");
    assert_restored(&p.output());
}

/// SIGTSTP from outside (`kill -TSTP`) suspends the same way; a SIGSTOP the browser cannot
/// see is followed by SIGCONT, on which it takes the terminal again and redraws.
#[test]
fn sigtstp_suspends_and_sigcont_after_sigstop_redraws() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    p.wait_for(FIRST_FRAME);
    let pid = p.pid().unwrap();
    kill("TSTP", pid);
    wait_stopped(&p, pid);
    wait_restored(&p);
    kill("CONT", pid);
    p.wait_for(FIRST_FRAME);

    kill("STOP", pid);
    wait_stopped(&p, pid);
    let mark = p.output().len();
    kill("CONT", pid);
    p.wait_until("the alternate screen entered again", |_| contains(&p.output()[mark..], ENTER_ALT));
    p.wait_for(FIRST_FRAME);
    p.send(CTRL_C);
    assert_eq!(p.wait_exit().exit_code(), 0);
    assert_restored(&p.output());
}

/// A history of `n` lookups (without secrets) in `home`; returns its path.
fn seed_history(home: &Path, n: usize) -> PathBuf {
    use chimescope::model::{Endpoint, Timestamp};
    use chimescope::store::history::{Entry, History, Options};
    let path = state_dir(home).join("history.json");
    let mut h = History::new(&path, Options::default());
    for i in 0..n {
        let id = format!("ep-old-{i:03}");
        let ep = Endpoint {
            endpoint_id: Some(id.clone()),
            resource_arn: Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/app".into()),
            ..Default::default()
        };
        h.record(Entry::new(
            U42,
            &id,
            "us-east-1",
            Timestamp::from_secs(1_700_000_000.0 + i as f64),
            Ok(&ep),
        ));
    }
    h.save().unwrap();
    path
}

fn look_up_ep1(p: &mut Pty) {
    p.send(&paste(U42));
    p.send(TAB);
    p.send("ep-1");
    p.send(ENTER);
}

/// The file beside the history that holds what was not saved: one, mode 0600, holding ep-1
/// and no device token.
fn assert_one_unsaved_file(dir: &Path) -> PathBuf {
    let unsaved = entries_in(dir, "history.json.unsaved-");
    assert_eq!(unsaved.len(), 1, "{unsaved:?}");
    let text = std::fs::read_to_string(&unsaved[0]).unwrap();
    assert!(text.contains("\"endpoint_id\":\"ep-1\""), "{text}");
    assert!(!text.contains(EP1_TOKEN) && !text.contains("DeviceToken"), "a secret in {text}");
    assert_eq!(std::fs::metadata(&unsaved[0]).unwrap().permissions().mode() & 0o777, 0o600);
    let back = chimescope::store::history::History::load(&unsaved[0]);
    assert_eq!((back.warning, back.history.len()), (None, 1));
    unsaved[0].clone()
}

/// `ulimit -f` below the history's size: SIGXFSZ at the save killed the browser, left the
/// terminal on the alternate screen and a partial temporary file behind. Now the write fails,
/// the message says so, the file is untouched, no temporary file is left, and at quit the
/// lookup that could not be saved is written beside the history and named on stderr, with
/// exit code 255.
#[test]
fn sigxfsz_mid_save_keeps_the_browser_and_the_lookup() {
    let home = tempfile::tempdir().unwrap();
    let file = seed_history(home.path(), 40);
    let before = std::fs::read(&file).unwrap();
    assert!(before.len() > 8 * 512, "the history must be larger than the limit");
    let wrap = ["sh", "-c", "ulimit -f 8; exec \"$0\" \"$@\""];
    let mut p = Pty::spawn(Spawn { wrap: &wrap, ..Spawn::default() }, home.path());
    p.wait_for_all(&[FIRST_FRAME, "Recent 40"]);
    look_up_ep1(&mut p);
    p.wait_for_all(&["Can receive pushes", "cannot save the history", "File too large"]);
    assert_eq!(std::fs::read(&file).unwrap(), before, "the history was changed");
    assert_eq!(temp_files(&state_dir(home.path())), Vec::<PathBuf>::new(), "a temporary file was left");
    p.send("q");
    let st = p.wait_exit();
    assert_eq!(st.exit_code(), 255, "{st:?}");
    assert_restored(&p.output());
    let said = after_restore(&p);
    let aside = assert_one_unsaved_file(&state_dir(home.path()));
    assert!(said.contains("cannot save the history") && said.contains("File too large"), "{said}");
    assert!(
        said.contains("1 recent lookup was not saved to") && said.contains(&*aside.to_string_lossy()),
        "{said}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    assert_eq!(temp_files(&state_dir(home.path())), Vec::<PathBuf>::new());
}

/// Another browser holds the history's lock for the whole session: every save fails (after
/// waiting for it), the last one at quit too. Quitting used to print nothing and exit 0,
/// the lookup lost; now it is kept beside the history and said, with exit code 255.
#[test]
fn a_failed_save_is_reported_at_quit_and_the_lookup_kept() {
    let home = tempfile::tempdir().unwrap();
    let file = state_dir(home.path()).join("history.json");
    let lock = chimescope::store::lock::FileLock::exclusive(
        &chimescope::store::lock::lock_path(&file),
        Duration::ZERO,
    )
    .expect("hold the lock");
    let mut p = Pty::spawn(Spawn::default(), home.path());
    p.wait_for(FIRST_FRAME);
    look_up_ep1(&mut p);
    p.wait_for_all(&["Can receive pushes", "Recent 1"]);
    p.wait_for("cannot save the history"); // after the lock wait
    p.send("q");
    let st = p.wait_exit();
    drop(lock);
    assert_eq!(st.exit_code(), 255, "{st:?}");
    assert_restored(&p.output());
    let said = after_restore(&p);
    assert!(said.contains("is held by another process"), "the reason: {said}");
    let aside = assert_one_unsaved_file(&state_dir(home.path()));
    assert!(
        said.contains("1 recent lookup was not saved to") && said.contains(&*aside.to_string_lossy()),
        "{said}"
    );
    assert!(said.contains("without names or device tokens"), "{said}");
    assert!(!file.exists(), "{file:?}");
}

/// A log that cannot be written (full, over `ulimit -f`, a link to /dev/full): tracing's
/// report of the failed write went to stderr, which is the browser's screen. Nothing reaches
/// the terminal now; a link is not followed.
#[test]
fn a_log_that_cannot_be_written_stays_off_the_screen() {
    // Over the file size limit: every append fails (EFBIG).
    let home = tempfile::tempdir().unwrap();
    let log = state_dir(home.path()).join("chimescope.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(&log, "x".repeat(8 * 1024)).unwrap();
    let wrap = ["sh", "-c", "ulimit -f 8; exec \"$0\" \"$@\""];
    let mut p = Pty::spawn(Spawn { wrap: &wrap, ..Spawn::default() }, home.path());
    p.wait_for(FIRST_FRAME);
    look_up_ep1(&mut p);
    p.wait_for("Can receive pushes");
    p.send("q");
    assert_eq!(p.wait_exit().exit_code(), 0);
    let out = p.output_text();
    for leak in ["Unable to write", "INFO", "chimescope::", "browser starting"] {
        assert!(!out.contains(leak), "{leak:?} reached the terminal: {out:?}");
    }
    assert_eq!(std::fs::read(&log).unwrap().len(), 8 * 1024);

    // A link to /dev/full.
    let home = tempfile::tempdir().unwrap();
    let log = state_dir(home.path()).join("chimescope.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("/dev/full", &log).unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    p.wait_for(FIRST_FRAME);
    look_up_ep1(&mut p);
    p.wait_for("Can receive pushes");
    p.send("q");
    assert_eq!(p.wait_exit().exit_code(), 0);
    let out = p.output_text();
    for leak in ["Unable to write", "INFO", "chimescope::", "browser starting"] {
        assert!(!out.contains(leak), "{leak:?} reached the terminal: {out:?}");
    }
    assert!(std::fs::symlink_metadata(&log).unwrap().file_type().is_symlink());
}

/// A log left at 0644 (by an older chimescope, or a umask) is tightened to 0600; the access
/// key ID the AWS SDK logs at INFO when it loads a profile's keys is not in the log at the
/// default level, while chimescope's own INFO lines are.
#[test]
fn the_log_is_private_and_holds_no_access_key_id() {
    const KEY_ID: &str = "AKIAFILESHOSTILE0001";
    let home = tempfile::tempdir().unwrap();
    let log = state_dir(home.path()).join("chimescope.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(&log, "an older line\n").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    let creds = home.path().join("credentials");
    std::fs::write(
        &creds,
        format!("[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = not-a-real-secret\n"),
    )
    .unwrap();
    let emu = EmuProc::start(&[]);
    let creds_s = creds.to_string_lossy().into_owned();
    let env = [
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", creds_s.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let args = ["--endpoint-url", emu.url.as_str()];
    let mut p = Pty::spawn(Spawn { args: &args, env: &env, ..Spawn::default() }, home.path());
    p.wait_for(FIRST_FRAME);
    look_up_ep1(&mut p);
    p.wait_for("Can receive pushes");
    p.send("q");
    assert_eq!(p.wait_exit().exit_code(), 0);
    assert_eq!(std::fs::metadata(&log).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("an older line\n") && text.contains("browser starting"), "{text}");
    assert!(!text.contains(KEY_ID), "the access key ID is in the log:\n{text}");
    assert!(!text.contains(EP1_TOKEN), "{text}");
}
