#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! Hostile files: planted symbolic links at the history's
//! temporary and lock names and at the history itself, FIFOs, devices, directories and
//! oversized files as history or config, a history over its cap, and what a failed save
//! leaves for a person to find. Library calls and the binary run as a process; every test in
//! its own temporary directory.

use chimescope::model::{AllowMessages, Endpoint, EndpointState, EndpointStatus, EndpointType, Timestamp};
use chimescope::store::history::{Entry, History, HistoryError, Options};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_chimescope");
const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";
const TOKEN: &str = "7f3c9a1e5b2d4f6081a3c5e7f9b1d3e5a7c9e1f3b5d7f9a1c3e5a7b9d1f3e5a7";

fn endpoint(id: &str) -> Endpoint {
    Endpoint {
        app_instance_user_arn: Some(ARN.into()),
        endpoint_id: Some(id.into()),
        name: Some("Alice's work iPhone".into()),
        endpoint_type: Some(EndpointType::ApnsSandbox),
        resource_arn: Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/app".into()),
        device_token: Some(TOKEN.into()),
        voip_device_token: None,
        created: Some(Timestamp::from_secs(1_700_000_000.0)),
        last_updated: Some(Timestamp::from_secs(1_700_000_100.0)),
        allow_messages: Some(AllowMessages::All),
        state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
    }
}

fn found(id: &str, t: f64) -> Entry {
    Entry::new(ARN, id, "us-east-1", Timestamp::from_secs(t), Ok(&endpoint(id)))
}

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

fn state_dir(home: &Path) -> PathBuf {
    home.join(".local/state/chimescope")
}

/// The binary with HOME and the XDG directories in `home`, stdin closed, killed after 20 s
/// (a hang is a failure, never a stuck test). `wrap`: a shell line run first (`ulimit`).
fn run(home: &Path, args: &[&str], wrap: Option<&str>) -> Output {
    let mut cmd = match wrap {
        Some(line) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("{line}; exec \"$0\" \"$@\"")).arg(BIN);
            c
        }
        None => Command::new(BIN),
    };
    let child = cmd
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()))
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn chimescope");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(out) => out.expect("wait for chimescope"),
        Err(_) => {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            panic!("chimescope {args:?} did not finish within 20 s (it hangs)");
        }
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(st.success());
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// --- Item 3: symbolic links --------------------------------------------------------------

/// The old temporary name was `.history.json.tmp-<pid>-<n>`, opened without O_EXCL or
/// O_NOFOLLOW: symbolic links planted at those names made a save overwrite and chmod the file
/// they point to. The temporary file is now unpredictable and created exclusively.
#[test]
fn a_symlink_planted_at_the_temporary_name_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let hist_dir = dir.path().join("state");
    std::fs::create_dir(&hist_dir).unwrap();
    let path = hist_dir.join("history.json");
    let pid = std::process::id();
    for n in 0..64 {
        std::os::unix::fs::symlink(&victim, hist_dir.join(format!(".history.json.tmp-{pid}-{n}"))).unwrap();
    }
    let mut h = History::new(&path, Options::default());
    h.record(found("ep-1", 1.0));
    h.save().expect("the save works");
    h.record(found("ep-2", 2.0));
    h.save().expect("and again");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n", "the link's target was written");
    assert_eq!(mode(&victim), 0o644, "the link's target was chmodded");
    let back = History::load(&path);
    assert_eq!(back.warning, None);
    assert_eq!(back.history.len(), 2);
    assert_eq!(mode(&path), 0o600);
    // No temporary file left behind: only the planted links, the history and its lock.
    let left: Vec<String> = names_in(&hist_dir).into_iter().filter(|n| !n.contains(".tmp-")).collect();
    assert_eq!(left, ["history.json", "history.json.lock"]);
}

/// A symbolic link at the lock file's name is not followed (it made the save create or open
/// the file it points to); the save fails and says why.
#[test]
fn a_symlink_planted_at_the_lock_file_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("created-elsewhere");
    let path = dir.path().join("history.json");
    std::os::unix::fs::symlink(&victim, dir.path().join("history.json.lock")).unwrap();
    let mut h = History::new(&path, Options::default());
    h.record(found("ep-1", 1.0));
    let err = h.save().expect_err("a linked lock file is refused");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(!victim.exists(), "the lock file's link was followed");
}

/// A history path that is a symbolic link to a file elsewhere is neither read through nor
/// replaced: the session starts empty and read-only, and says so.
#[test]
fn a_symlinked_history_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere.json");
    let mut other = History::new(&elsewhere, Options::default());
    other.record(found("theirs", 1.0));
    other.save().unwrap();
    let before = std::fs::read(&elsewhere).unwrap();
    let path = dir.path().join("history.json");
    std::os::unix::fs::symlink(&elsewhere, &path).unwrap();

    let loaded = History::load(&path);
    let warning = loaded.warning.expect("a warning");
    assert!(warning.contains("is a symbolic link") && warning.contains("not saved"), "{warning}");
    assert!(loaded.history.is_empty(), "read through the link");
    let mut h = loaded.history;
    h.record(found("mine", 2.0));
    match h.save() {
        Err(HistoryError::Refused { why, .. }) => assert!(why.contains("symbolic link"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(path.symlink_metadata().unwrap().file_type().is_symlink(), "the link was replaced");
    assert_eq!(std::fs::read(&elsewhere).unwrap(), before);
    // Even a history that did not load it refuses to replace it (it became a link meanwhile).
    let mut h = History::new(&path, Options::default());
    h.record(found("mine", 2.0));
    assert!(matches!(h.save(), Err(HistoryError::Refused { .. })));
    assert!(path.symlink_metadata().unwrap().file_type().is_symlink());
}

// --- Item 4: special files, bounded reads ------------------------------------------------

/// A FIFO as history made `chimescope history` (and the browser) wait forever.
#[test]
fn a_fifo_as_history_is_refused_without_waiting() {
    let home = tempfile::tempdir().unwrap();
    let dir = state_dir(home.path());
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("history.json");
    mkfifo(&fifo);
    let out = run(home.path(), &["history", "--output", "text"], None);
    assert!(out.status.success(), "{out:?}");
    let err = text(&out.stderr);
    assert!(err.contains("is a FIFO, not a regular file"), "{err}");
    assert!(out.stdout.is_empty());
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO was moved");
}

/// `/dev/zero` as history was read until memory ran out (the run is kept under a 2 GB address
/// space limit, so that the unfixed program fails instead of eating the machine).
#[test]
fn dev_zero_as_history_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let dir = state_dir(home.path());
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("history.json")).unwrap();
    let out = run(home.path(), &["history", "--output", "text"], Some("ulimit -v 2000000"));
    assert!(out.status.success(), "{out:?}");
    let err = text(&out.stderr);
    assert!(err.contains("is a symbolic link, not a regular file"), "{err}");
    // The library refuses the device itself too, followed or not, without reading it.
    for follow in [true, false] {
        let e = chimescope::store::files::read_bounded(Path::new("/dev/zero"), 1 << 20, follow).unwrap_err();
        assert!(chimescope::store::files::is_refusal(&e), "{e}");
        assert!(e.to_string().contains("a character device"), "{e}");
    }
}

/// A FIFO, `/dev/zero` (through a link, as dotfiles often are) or a directory as the config
/// file: refused with a clear message and exit 253, no hang, no unbounded read.
#[test]
fn special_files_as_config_are_refused() {
    type Make<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Make); 3] = [
        ("is a FIFO", &|p| mkfifo(p)),
        ("is a character device", &|p| std::os::unix::fs::symlink("/dev/zero", p).unwrap()),
        ("is a directory", &|p| std::fs::create_dir(p).unwrap()),
    ];
    for (says, make) in cases {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".config/chimescope");
        std::fs::create_dir_all(&dir).unwrap();
        make(&dir.join("config.toml"));
        // No terminal: the config is read first, and its error wins.
        let out = run(home.path(), &[], Some("ulimit -v 2000000"));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(253), "{says}: {out:?}");
        assert!(err.contains(says) && err.contains("config.toml"), "{says}: {err}");
    }
}

/// A config file is read up to a bound (a real one is a few hundred bytes).
#[test]
fn an_oversized_config_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    let f = std::fs::File::create(dir.join("config.toml")).unwrap();
    f.set_len(64 << 20).unwrap(); // sparse: no disk used
    let out = run(home.path(), &[], None);
    assert_eq!(out.status.code(), Some(253), "{out:?}");
    assert!(text(&out.stderr).contains("larger than 1 MiB"), "{}", text(&out.stderr));
}

/// A history file larger than the bound is not read whole: it is damage, moved aside with
/// its bytes, and the message says why.
#[test]
fn an_oversized_history_is_not_read_and_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.json");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(chimescope::store::history::MAX_FILE_BYTES + 1).unwrap(); // sparse
    let loaded = History::load(&path);
    let w = loaded.warning.expect("a warning");
    assert!(w.contains("larger than 256 MiB") && w.contains("moved it to"), "{w}");
    assert!(!path.exists());
    assert!(names_in(dir.path()).iter().any(|n| n.starts_with("history.json.corrupt-")));
}

// --- Item 7: `chimescope history` and a directory; the cap ----------------------------------

/// A directory where the history belongs was "damaged" and renamed; it is left alone.
#[test]
fn history_command_leaves_a_directory_alone() {
    let home = tempfile::tempdir().unwrap();
    let dir = state_dir(home.path());
    let at = dir.join("history.json");
    std::fs::create_dir_all(at.join("inside")).unwrap();
    let out = run(home.path(), &["history", "--output", "text"], None);
    assert!(out.status.success(), "{out:?}");
    let err = text(&out.stderr);
    assert!(err.contains("is a directory, not a regular file"), "{err}");
    assert!(at.join("inside").is_dir(), "the directory was moved");
    assert!(!names_in(&dir).iter().any(|n| n.contains("corrupt")), "{:?}", names_in(&dir));
}

/// A file holding more lookups than `history.cap` was cut to the cap at the first save,
/// silently. Now the save says so, and what it cut is kept beside the history.
#[test]
fn a_file_over_the_cap_is_cut_with_a_message_and_the_rest_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.json");
    let big = Options { cap: usize::MAX, store_secrets: false };
    let mut h = History::new(&path, big);
    for i in 0..2000 {
        h.record(found(&format!("ep-{i:05}"), 1000.0 + i as f64));
    }
    h.save().unwrap();

    let loaded = History::load_with(&path, Options { cap: 500, store_secrets: false });
    assert_eq!(loaded.warning, None);
    let mut h = loaded.history;
    assert_eq!(h.len(), 500);
    h.record(found("new", 5000.0));
    let warning = h.save().unwrap().expect("the cut is reported");
    assert!(
        warning.contains("held 2000 lookups, more than history.cap = 500")
            && warning.contains("kept the newest 500 and moved the 1501 older ones to"),
        "{warning}"
    );
    let aside: Vec<String> =
        names_in(dir.path()).into_iter().filter(|n| n.starts_with("history.json.over-cap-")).collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(warning.contains(&aside[0]), "{warning}");
    let kept = History::load_with(&path, big).history;
    let cut = History::load_with(&dir.path().join(&aside[0]), big).history;
    assert_eq!((kept.len(), cut.len()), (500, 1501));
    assert_eq!(kept.entries()[0].endpoint_id, "new");
    assert_eq!(cut.entries()[0].endpoint_id, "ep-01500", "the newest cut one");
    assert_eq!(cut.entries()[1500].endpoint_id, "ep-00000");
    assert_eq!(mode(&dir.path().join(&aside[0])), 0o600);
    // Only a file over the cap: the usual trimming of the oldest entry stays quiet.
    h.record(found("newer", 6000.0));
    assert_eq!(h.save().unwrap(), None);
    assert_eq!(History::load_with(&path, big).history.len(), 500);
}

// --- Item 2: what a failed save leaves ---------------------------------------------------

/// The lookups a failed save gave back, and those whose save has not come back yet, are
/// `unsaved`; written beside the history they are a history file of their own, without
/// secrets unless `store_secrets`.
#[test]
fn unsaved_lookups_are_listed_and_written_beside_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.json");
    let mut h = History::new(&path, Options::default());
    h.record(found("ep-1", 1.0));
    h.record(found("ep-2", 2.0));
    h.record(found("ep-3", 3.0));
    // A first job saved fine.
    let mut job = h.take_save_job();
    job.save().unwrap();
    h.absorb_saved(job, true);
    assert!(h.unsaved().is_empty());
    // Two lookups, their job on its way: unsaved until it comes back.
    h.record(found("ep-4", 4.0));
    h.record(found("ep-5", 5.0));
    let job = h.take_save_job();
    let ids = |h: &History| h.unsaved().iter().map(|e| e.endpoint_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&h), ["ep-5", "ep-4"]);
    // It failed: still unsaved (given back, for the next save).
    h.absorb_saved(job, false);
    assert_eq!(ids(&h), ["ep-5", "ep-4"]);
    let aside = h.write_unsaved_aside().unwrap().expect("a file");
    let name = aside.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("history.json.unsaved-"), "{name}");
    assert_eq!(mode(&aside), 0o600);
    let bytes = std::fs::read_to_string(&aside).unwrap();
    assert!(!bytes.contains(TOKEN) && !bytes.contains("Alice"), "secrets in {bytes}");
    let back = History::load(&aside);
    assert_eq!(back.warning, None);
    assert_eq!(
        back.history.entries().iter().map(|e| e.endpoint_id.as_str()).collect::<Vec<_>>(),
        ["ep-5", "ep-4"]
    );
    // A second one does not replace the first.
    let again = h.write_unsaved_aside().unwrap().unwrap();
    assert_ne!(again, aside);
    assert!(aside.exists());
    // The next save writes them: nothing unsaved.
    let mut job = h.take_save_job();
    job.save().unwrap();
    h.absorb_saved(job, true);
    assert!(h.unsaved().is_empty());
    assert_eq!(h.write_unsaved_aside().unwrap(), None);
    // With store_secrets, the file beside keeps them too.
    let mut h = History::new(&path, Options { store_secrets: true, ..Options::default() });
    h.record(found("ep-6", 6.0));
    let aside = h.write_unsaved_aside().unwrap().unwrap();
    assert!(std::fs::read_to_string(aside).unwrap().contains(TOKEN));
}

/// Jobs saved in order, a backlog folded into its newest job: an older job's result does not
/// mark the newer job's lookups saved.
#[test]
fn an_older_jobs_result_does_not_mark_newer_lookups_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.json");
    let mut h = History::new(&path, Options::default());
    h.record(found("ep-1", 1.0));
    let mut first = h.take_save_job();
    h.record(found("ep-1", 2.0)); // the same key again, in the next job
    h.record(found("ep-2", 3.0));
    let second = h.take_save_job();
    first.save().unwrap();
    h.absorb_saved(first, true);
    let ids: Vec<_> = h.unsaved().iter().map(|e| e.endpoint_id.clone()).collect();
    assert_eq!(ids, ["ep-2", "ep-1"], "the second job is still out");
    let mut second = second;
    second.save().unwrap();
    h.absorb_saved(second, true);
    assert!(h.unsaved().is_empty());
}
