#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The history file: round trip, cap, de-duplication, secrets, mode, damaged files, two
//! writers at once, and `chimescope history` run as a process. Every test works in its own
//! temporary directory; nothing touches the real ~/.local/state.

use chimescope::model::{
    AllowMessages, Endpoint, EndpointState, EndpointStatus, EndpointType, StatusReason, Timestamp,
};
use chimescope::model::{ErrorKind, ServiceError};
use chimescope::store::history::{self, Entry, History, HistoryError, Options};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_chimescope");
const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";
const TOKEN: &str = "7f3c9a1e5b2d4f6081a3c5e7f9b1d3e5a7c9e1f3b5d7f9a1c3e5a7b9d1f3e5a7";
const VOIP: &str = "voip0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
const NAME: &str = "Alice's work iPhone";

fn endpoint(id: &str) -> Endpoint {
    Endpoint {
        app_instance_user_arn: Some(ARN.into()),
        endpoint_id: Some(id.into()),
        name: Some(NAME.into()),
        endpoint_type: Some(EndpointType::ApnsSandbox),
        resource_arn: Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/app".into()),
        device_token: Some(TOKEN.into()),
        voip_device_token: Some(VOIP.into()),
        created: Some(Timestamp::from_secs(1_700_000_000.0)),
        last_updated: Some(Timestamp::from_secs(1_700_000_100.5)),
        allow_messages: Some(AllowMessages::All),
        state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
    }
}

fn found(id: &str, t: f64) -> Entry {
    Entry::new(ARN, id, "us-east-1", Timestamp::from_secs(t), Ok(&endpoint(id)))
        .via(Some("default".into()), None)
}

fn failed(id: &str, t: f64) -> Entry {
    let mut e = ServiceError::new(ErrorKind::NotFound, "no such endpoint", "DescribeAppInstanceUserEndpoint");
    e.http_status = Some(404);
    Entry::new(ARN, id, "us-east-1", Timestamp::from_secs(t), Err(&e))
        .via(None, Some("http://127.0.0.1:4566".into()))
}

fn file_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("chimescope").join("history.json")
}

fn secrets(store: bool) -> Options {
    Options { store_secrets: store, ..Options::default() }
}

fn load(path: &Path, settings: Options) -> History {
    let out = History::load_with(path, settings);
    assert_eq!(out.warning, None);
    out.history
}

fn ids(h: &History) -> Vec<&str> {
    h.entries().iter().map(|e| e.endpoint_id.as_str()).collect()
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut h = History::new(&path, secrets(true));
    h.record(found("ep-1", 1_764_101_700.125));
    h.record(failed("ep-2", 1_764_101_800.0));
    let mut inactive = endpoint("ep-3");
    inactive.state = Some(EndpointState {
        status: EndpointStatus::Inactive,
        reason: Some(StatusReason::InvalidDeviceToken),
    });
    h.record(Entry::new(ARN, "ep-3", "eu-central-1", Timestamp::from_secs(1_764_101_900.0), Ok(&inactive)));
    assert_eq!(h.save().unwrap(), None);

    let back = load(&path, secrets(true));
    assert_eq!(back.entries(), h.entries());
    assert_eq!(ids(&back), ["ep-3", "ep-2", "ep-1"]);

    let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["entries"][0]["outcome"]["status"], "INACTIVE");
    assert_eq!(doc["entries"][0]["outcome"]["reason"], "INVALID_DEVICE_TOKEN");
    assert_eq!(doc["entries"][1]["outcome"]["error"], "not found");
    assert_eq!(doc["entries"][1]["outcome"]["http_status"], 404);
    assert_eq!(doc["entries"][1]["endpoint_url"], "http://127.0.0.1:4566");
    assert_eq!(doc["entries"][2]["profile"], "default");
    assert_eq!(doc["entries"][2]["last_result"]["LastUpdatedTimestamp"], 1_700_000_100.5);
}

#[test]
fn missing_file_is_an_empty_history_without_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = History::load(&file_in(&dir));
    assert!(out.history.is_empty());
    assert_eq!(out.warning, None);
    assert!(!dir.path().join("chimescope").exists(), "loading creates nothing");
}

#[test]
fn cap_drops_the_oldest_on_save_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut h = History::new(&path, Options { cap: 5, store_secrets: false });
    for i in 0..8 {
        h.record(found(&format!("ep-{i}"), 1000.0 + i as f64));
        h.save().unwrap();
    }
    assert_eq!(ids(&h), ["ep-7", "ep-6", "ep-5", "ep-4", "ep-3"]);
    assert_eq!(ids(&load(&path, Options::default())), ids(&h));
    let small = load(&path, Options { cap: 2, store_secrets: false });
    assert_eq!(ids(&small), ["ep-7", "ep-6"]);
    assert_eq!(Options::default().cap, 500);
}

#[test]
fn looking_up_again_moves_to_the_top_instead_of_duplicating() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut h = History::new(&path, Options::default());
    h.record(found("ep-1", 1.0));
    h.record(found("ep-2", 2.0));
    h.save().unwrap();

    let mut h = load(&path, Options::default());
    h.record(failed("ep-1", 3.0));
    h.save().unwrap();
    let back = load(&path, Options::default());
    assert_eq!(ids(&back), ["ep-1", "ep-2"]);
    let e = &back.entries()[0];
    assert!(e.is_failed(), "the outcome is the latest one");
    assert_eq!(
        e.last_result.as_ref().and_then(|r| r.endpoint_id.as_deref()),
        Some("ep-1"),
        "the last good result is kept"
    );
}

#[test]
fn secrets_are_absent_from_the_file_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut h = History::new(&path, Options::default());
    h.record(found("ep-1", 1.0));
    h.save().unwrap();
    let raw = std::fs::read_to_string(&path).unwrap();
    for secret in [TOKEN, VOIP, NAME, "DeviceToken", "\"Name\"", "\"name\""] {
        assert!(!raw.contains(secret), "{secret:?} is in the file:\n{raw}");
    }
    assert!(raw.contains("ep-1") && raw.contains("APNS_SANDBOX"));
    // In memory the session still has them.
    assert_eq!(h.entries()[0].name(), Some(NAME));
    assert!(load(&path, Options::default()).entries()[0].name().is_none());
}

#[test]
fn secrets_are_in_the_file_when_store_secrets_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut h = History::new(&path, secrets(true));
    h.record(found("ep-1", 1.0));
    h.save().unwrap();
    let raw = std::fs::read_to_string(&path).unwrap();
    for secret in [TOKEN, VOIP, NAME] {
        assert!(raw.contains(secret), "{secret:?} is not in the file");
    }
    // Turning it off again scrubs the file at the next save.
    let mut h = load(&path, secrets(false));
    h.record(found("ep-2", 2.0));
    h.save().unwrap();
    let raw = std::fs::read_to_string(&path).unwrap();
    for secret in [TOKEN, VOIP, NAME] {
        assert!(!raw.contains(secret), "{secret:?} is still in the file");
    }
}

#[cfg(unix)]
#[test]
fn file_is_mode_0600_and_its_directory_0700() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut h = History::new(&path, Options::default());
    h.record(found("ep-1", 1.0));
    h.save().unwrap();
    h.record(found("ep-2", 2.0));
    h.save().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&chimescope::store::lock::lock_path(&path)), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn aside_files(path: &Path) -> Vec<PathBuf> {
    let name = path.file_name().unwrap().to_str().unwrap().to_string();
    let mut v: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with(&format!("{name}.corrupt-")))
        .collect();
    v.sort();
    v
}

#[test]
fn corrupt_file_is_moved_aside_with_its_bytes() {
    let bad_files: [&[u8]; 5] = [
        b"{\"version\": 1, \"entries\": [ {\"user_arn\": ",
        b"\xff\xfe not even utf-8",
        b"[1, 2, 3]",
        b"{\"version\": 0, \"entries\": []}",
        b"{\"version\": 1, \"entries\": [{\"user_arn\": \"a\", \"endpoint_id\": \"b\"}]}",
    ];
    for bad in bad_files {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(&dir);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bad).unwrap();

        let out = History::load(&path);
        assert!(out.history.is_empty());
        let asides = aside_files(&path);
        assert_eq!(asides.len(), 1, "{asides:?}");
        let aside = &asides[0];
        let stamp = aside.to_str().unwrap().rsplit("corrupt-").next().unwrap();
        assert!(
            stamp.len() == 16 && stamp.ends_with('Z') && stamp.as_bytes()[8] == b'T',
            "stamp like 20261125T201500Z: {stamp}"
        );
        assert_eq!(std::fs::read(aside).unwrap(), bad, "the bad file's bytes are kept");
        assert!(!path.exists());
        let warning = out.warning.expect("a warning");
        assert!(warning.contains(path.to_str().unwrap()), "{warning}");
        assert!(warning.contains(aside.to_str().unwrap()), "{warning}");

        // The browser carries on: the next save writes a good file.
        let mut h = out.history;
        h.record(found("ep-1", 1.0));
        assert_eq!(h.save().unwrap(), None);
        assert_eq!(ids(&load(&path, Options::default())), ["ep-1"]);
    }
}

#[test]
fn a_second_corrupt_file_in_the_same_second_gets_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "first").unwrap();
    assert!(History::load(&path).warning.is_some());
    std::fs::write(&path, "second").unwrap();
    assert!(History::load(&path).warning.is_some());
    let asides = aside_files(&path);
    assert_eq!(asides.len(), 2, "{asides:?}");
    let mut contents: Vec<_> = asides.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    contents.sort();
    assert_eq!(contents, ["first", "second"]);
}

#[test]
fn a_file_damaged_while_running_is_moved_aside_at_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut h = History::new(&path, Options::default());
    h.record(found("ep-1", 1.0));
    h.save().unwrap();
    std::fs::write(&path, "garbage").unwrap();
    h.record(found("ep-2", 2.0));
    let warning = h.save().unwrap().expect("a warning");
    assert!(warning.contains("corrupt-"), "{warning}");
    assert_eq!(std::fs::read(&aside_files(&path)[0]).unwrap(), b"garbage");
    assert_eq!(ids(&load(&path, Options::default())), ["ep-2"]);
}

#[test]
fn a_newer_version_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let future = br#"{"version": 2, "entries": {"a new": "shape"}}"#;
    std::fs::write(&path, future).unwrap();

    let out = History::load(&path);
    assert!(out.history.is_empty());
    assert_eq!(out.history.newer_version(), Some(2));
    let warning = out.warning.expect("a warning");
    assert!(warning.contains("newer") && warning.contains(path.to_str().unwrap()), "{warning}");

    let mut h = out.history;
    h.record(found("ep-1", 1.0));
    assert!(matches!(h.save(), Err(HistoryError::NewerVersion { version: 2, .. })));
    assert_eq!(std::fs::read(&path).unwrap(), future);
    assert!(aside_files(&path).is_empty());
}

#[test]
fn forgotten_entries_stay_forgotten_across_browsers() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let mut first = History::new(&path, Options::default());
    first.record(found("ep-1", 1.0));
    first.record(found("ep-2", 2.0));
    first.save().unwrap();

    let mut a = load(&path, Options::default());
    let mut b = load(&path, Options::default());
    assert!(a.forget(ARN, "ep-1"));
    a.save().unwrap();
    b.record(found("ep-3", 3.0));
    b.save().unwrap();
    assert_eq!(ids(&b), ["ep-3", "ep-2"], "b did not bring ep-1 back");
    // a saves again: ep-1 is still on a's tombstone list, and b's entry is merged in.
    a.record(found("ep-4", 4.0));
    a.save().unwrap();
    assert_eq!(ids(&load(&path, Options::default())), ["ep-4", "ep-3", "ep-2"]);
    assert_eq!(ids(&a), ["ep-4", "ep-3", "ep-2"]);
}

const PER_WRITER: usize = 40;

/// Record and save `PER_WRITER` distinct entries one at a time, as a browser does.
fn write_many(path: &Path, writer: &str) {
    let mut h = History::load_with(path, Options { cap: 10_000, store_secrets: false }).history;
    for i in 0..PER_WRITER {
        h.record(found(&format!("{writer}-{i}"), history::now().as_secs_f64()));
        h.save().unwrap();
    }
}

fn assert_has_all(path: &Path, writers: &[&str]) {
    let h = load(path, Options { cap: 10_000, store_secrets: false });
    let mut got: Vec<_> = ids(&h).into_iter().map(str::to_string).collect();
    got.sort();
    let mut want: Vec<_> =
        writers.iter().flat_map(|w| (0..PER_WRITER).map(move |i| format!("{w}-{i}"))).collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn two_writers_at_once_threads() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    std::thread::scope(|s| {
        for w in ["left", "right"] {
            let path = &path;
            s.spawn(move || write_many(path, w));
        }
    });
    assert_has_all(&path, &["left", "right"]);
}

/// Not a test on its own: the body of a child process for `two_writers_at_once_processes`.
#[test]
fn child_writer() {
    if let (Some(path), Some(name)) =
        (std::env::var_os("CHIMESCOPE_TEST_HISTORY"), std::env::var("CHIMESCOPE_TEST_WRITER").ok())
    {
        write_many(Path::new(&path), &name);
    }
}

#[test]
fn two_writers_at_once_processes() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir);
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = ["one", "two"]
        .iter()
        .map(|w| {
            Command::new(&exe)
                .args(["--exact", "child_writer", "--test-threads=1", "--quiet"])
                .env("CHIMESCOPE_TEST_HISTORY", &path)
                .env("CHIMESCOPE_TEST_WRITER", w)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    assert_has_all(&path, &["one", "two"]);
}

// `chimescope history` as a process -----------------------------------------------------------

fn history_cmd(state: &Path, output: &str) -> std::process::Output {
    Command::new(BIN)
        .args(["history", "--output", output])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", state.join("home"))
        .env("XDG_STATE_HOME", state)
        .env("XDG_CONFIG_HOME", state.join("config"))
        .output()
        .expect("run chimescope history")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn seeded_state() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut h = History::new(dir.path().join("chimescope/history.json"), Options::default());
    h.record(found("ep-1", history::now().as_secs_f64() - 12.0 * 60.0 - 10.0));
    h.record(failed("ep-9", history::now().as_secs_f64() - 30.0));
    h.save().unwrap();
    dir
}

#[test]
fn history_command_json_prints_the_entries_as_stored() {
    let dir = seeded_state();
    let out = history_cmd(dir.path(), "json");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stored: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("chimescope/history.json")).unwrap()).unwrap();
    assert_eq!(v, stored);
    assert_eq!(v["entries"][0]["endpoint_id"], "ep-9");
    assert_eq!(v["entries"][1]["outcome"]["status"], "ACTIVE");
}

#[test]
fn history_command_text_prints_one_line_each() {
    let dir = seeded_state();
    let out = history_cmd(dir.path(), "text");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // A header, then one aligned row per lookup (columns two spaces apart or more).
    let lines: Vec<Vec<&str>> =
        stdout.lines().map(|l| l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect()).collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0], ["WHEN", "TIME (UTC)", "RESULT", "ENDPOINT ID", "USER", "REGION"], "{stdout}");
    assert!(lines[1][0].ends_with("s ago") || lines[1][0] == "just now", "{stdout}");
    assert_eq!(&lines[1][2..], ["✗ not found", "ep-9", "u-42", "us-east-1"]);
    assert_eq!(lines[2][0], "12 min ago");
    assert!(lines[2][1].ends_with('Z') && lines[2][1].contains('T'), "{stdout}");
    assert_eq!(&lines[2][2..], ["● ACTIVE", "ep-1", "u-42", "us-east-1"]);
    let col = stdout.lines().next().unwrap().find("ENDPOINT ID").unwrap();
    assert!(stdout.lines().all(|l| l.chars().count() > col), "{stdout}");
}

#[test]
fn history_command_with_no_history_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = history_cmd(dir.path(), "text");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("No recent lookups yet"), "{}", text(&out.stdout));
    let out = history_cmd(dir.path(), "json");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!({"version": 1, "entries": []}));
}

#[test]
fn history_command_with_a_corrupt_file_warns_and_continues_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chimescope/history.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    for output in ["text", "json"] {
        std::fs::write(&path, "{ not json").unwrap();
        let out = history_cmd(dir.path(), output);
        assert_eq!(out.status.code(), Some(0));
        let stderr = text(&out.stderr);
        assert!(stderr.contains("warning") && stderr.contains(path.to_str().unwrap()), "{stderr}");
        assert!(stderr.contains(".corrupt-"), "{stderr}");
        if output == "text" {
            assert!(text(&out.stdout).starts_with("No recent lookups yet"), "{}", text(&out.stdout));
        } else {
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["entries"], serde_json::json!([]));
        }
    }
    assert_eq!(aside_files(&path).len(), 2);
}
