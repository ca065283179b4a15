//! `chimescope scan` as a process against an emulator process seeded by benches/scan_seed.py:
//! the summary's counts are what the seed implies, the CSV's rows, throttling under a small quota
//! (converges, nothing lost, every throttle counted because the SDK does not retry behind the
//! scan's back), a scan stopped by SIGINT or killed by SIGKILL and resumed reports what an
//! uninterrupted one does within one scan's requests + concurrency + one page, refused
//! checkpoints, exit codes and bad input.

#[path = "common/emu.rs"]
mod emu;

use emu::{EmuProc, SCAN_INST as INST, admin, scan_seed_expected as expected};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Pages of users plus one list per user.
fn requests_for(users: u64) -> u64 {
    users.div_ceil(50).max(1) + users
}

struct Env {
    dir: tempfile::TempDir,
    emu: EmuProc,
}

fn start(users: u64, emu_args: &[&str]) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let seed = emu::scan_seed(dir.path(), users);
    let mut args = vec!["--seed", seed.to_str().unwrap()];
    args.extend_from_slice(emu_args);
    let emu = EmuProc::start(&args);
    Env { dir, emu }
}

impl Env {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = emu::hermetic_signed(self.dir.path());
        c.arg("scan").args(["--endpoint-url", &self.emu.url]).args(args);
        c
    }

    fn scan(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The service requests the emulator has logged so far.
    fn logged(&self) -> Vec<Value> {
        let (status, v) = admin(&self.emu.url, "GET", "requests", "");
        assert_eq!(status, 200);
        v["Requests"].as_array().unwrap().clone()
    }
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The report without what depends on how it ran (requests, seconds), CannotReceive sorted.
fn comparable(v: &Value) -> Value {
    let mut v = v.clone();
    let m = v.as_object_mut().unwrap();
    for k in ["Requests", "Throttled", "Seconds"] {
        assert!(m.remove(k).is_some(), "{k}");
    }
    let mut rows = m["CannotReceive"].as_array().unwrap().clone();
    rows.sort_by_key(|r| r.to_string());
    m["CannotReceive"] = Value::Array(rows);
    v
}

#[test]
fn the_summary_counts_what_the_seed_holds_and_exits_1() {
    let env = start(120, &[]);
    let out = env.scan(&["--app-instance-arn", INST, "--rate", "1000"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    let e = expected(120);
    assert_eq!(v["AppInstanceArn"], INST);
    assert_eq!(v["Users"], 120);
    assert_eq!(v["Endpoints"], e.endpoints);
    assert_eq!(v["ByStatus"]["INACTIVE"], e.inactive);
    assert_eq!(v["ByStatus"]["ACTIVE"], e.endpoints - e.inactive);
    assert_eq!(v["ByReason"]["INVALID_DEVICE_TOKEN"], e.inactive);
    assert_eq!(v["ByType"]["GCM"], e.endpoints);
    assert_eq!(v["ByAllowMessages"]["NONE"], e.muted);
    assert_eq!(v["CannotReceive"].as_array().unwrap().len() as u64, e.cannot);
    let first = &v["CannotReceive"][0];
    assert!(first["AppInstanceUserArn"].as_str().unwrap().starts_with(INST), "{first}");
    assert!(first["EndpointState"]["Status"].is_string(), "{first}");
    assert_eq!(v["Throttled"], 0);
    assert_eq!(v["Requests"], requests_for(120));
    assert_eq!(env.logged().len() as u64, requests_for(120), "the emulator saw as many");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Phone of user"), "no Name");
    assert!(
        out.stderr.is_empty() || !stderr(&out).contains("users "),
        "no progress when stderr is not a terminal"
    );
}

#[test]
fn the_csv_has_the_header_and_one_row_per_endpoint_and_never_a_name() {
    let env = start(40, &[]);
    let out = env.scan(&["--app-instance-arn", INST, "--rate", "1000", "--output", "csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        ["AppInstanceUserArn", "EndpointId", "Type", "AllowMessages", "Status", "StatusReason", "Findings"]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let e = expected(40);
    assert_eq!(rows.len() as u64, e.endpoints);
    let inactive = rows.iter().filter(|r| &r[4] == "INACTIVE" && &r[5] == "INVALID_DEVICE_TOKEN").count();
    assert_eq!(inactive as u64, e.inactive);
    let row = rows.iter().find(|r| r[0].ends_with("/user/u000000") && &r[1] == "e000000-0").unwrap();
    assert_eq!((&row[2], &row[3], &row[4]), ("GCM", "ALL", "ACTIVE"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Phone of user"));
}

#[test]
fn a_healthy_instance_exits_0_and_the_text_report_says_so() {
    // 2 users hold endpoints n = 0, 1, 2: all ACTIVE and ALL (the first inactive one is n = 3).
    let env = start(2, &[]);
    let out = env.scan(&["--app-instance-arn", INST, "--output", "text"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 users, 3 endpoints"), "{text}");
    assert!(text.contains("Every endpoint can receive pushes."), "{text}");
    let env = start(30, &[]);
    let out = env.scan(&["--app-instance-arn", INST, "--output", "text", "--rate", "1000"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("Cannot receive pushes: {}", expected(30).cannot)), "{text}");
    assert!(text.contains("INACTIVE INVALID_DEVICE_TOKEN") && text.contains("AllowMessages NONE"), "{text}");
}

#[test]
fn throttles_are_the_scans_to_retry_and_count_not_the_sdks() {
    let env = start(20, &["--fault", "ListAppInstanceUserEndpoints:throttle:3"]);
    let out = env.scan(&["--app-instance-arn", INST, "--rate", "1000"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["Users"], 20);
    assert_eq!(v["Endpoints"], expected(20).endpoints);
    assert_eq!(v["Throttled"], 3, "each throttle seen by the scan (the SDK retried none)");
    assert_eq!(v["Requests"], requests_for(20) + 3);
    let log = env.logged();
    assert_eq!(log.iter().filter(|r| r["Status"] == 429).count(), 3);
    assert_eq!(log.len() as u64, requests_for(20) + 3);
}

#[test]
fn under_a_small_quota_the_scan_converges_and_loses_nothing() {
    let env = start(150, &["--quota", "*=40"]);
    let out = env.scan(&["--app-instance-arn", INST, "--rate", "400", "--concurrency", "8"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    let e = expected(150);
    assert_eq!((v["Users"].as_u64(), v["Endpoints"].as_u64()), (Some(150), Some(e.endpoints)));
    assert_eq!(v["CannotReceive"].as_array().unwrap().len() as u64, e.cannot);
    let throttled = v["Throttled"].as_u64().unwrap();
    assert!(throttled > 0, "a rate ten times the quota is throttled at first");
    assert_eq!(
        v["Requests"].as_u64().unwrap(),
        requests_for(150) + throttled,
        "every throttled one sent again, once"
    );
    let log = env.logged();
    assert_eq!(log.iter().filter(|r| r["Status"] == 200).count() as u64, requests_for(150));
    assert_eq!(log.iter().filter(|r| r["Status"] == 429).count() as u64, throttled);
}

/// The checkpoint's count of users done, when it has one.
fn users_done(cp: &Path) -> u64 {
    std::fs::read(cp)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v["Tally"]["Users"].as_u64())
        .unwrap_or(0)
}

fn wait_for_users(child: &mut Child, cp: &Path, n: u64) {
    let start = Instant::now();
    while users_done(cp) < n {
        assert!(child.try_wait().unwrap().is_none(), "the scan ended before {n} users");
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn interrupted_then_resumed(signal: i32) {
    let users = 150;
    let env = start(users, &[]);
    let cp = env.path("scan.checkpoint");
    let (cp_s, conc) = (cp.to_str().unwrap(), "4");
    let args = ["--app-instance-arn", INST, "--rate", "40", "--concurrency", conc, "--checkpoint", cp_s];
    let mut child = env.cmd(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_users(&mut child, &cp, 60);
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, signal) };
    let first = child.wait_with_output().unwrap();
    if signal == libc::SIGINT {
        assert_eq!(first.status.code(), Some(130), "{}", stderr(&first));
        let err = stderr(&first);
        assert!(err.contains("run the same command again to resume"), "{err}");
        assert!(first.stdout.is_empty(), "no report from a stopped scan");
    } else {
        assert_eq!(first.status.code(), None, "killed");
    }
    assert!(users_done(&cp) >= 60 && users_done(&cp) < users, "{}", users_done(&cp));
    let resumed = env.scan(&args);
    assert_eq!(resumed.status.code(), Some(1), "{}", stderr(&resumed));
    assert!(stderr(&resumed).contains("resuming the scan"), "{}", stderr(&resumed));
    assert!(!cp.exists(), "a reported scan's checkpoint is removed");
    let sent = env.logged().len() as u64;
    let full = env.scan(&["--app-instance-arn", INST, "--rate", "1000"]);
    assert_eq!(comparable(&json_of(&resumed)), comparable(&json_of(&full)));
    let one_scan = requests_for(users);
    assert!(sent <= one_scan + 4 + 1, "{sent} requests for a scan of {one_scan}");
    assert!(json_of(&resumed)["Requests"].as_u64().unwrap() <= one_scan + 4 + 1);
    assert_eq!(json_of(&resumed)["Users"], users);
}

#[test]
fn a_scan_stopped_by_sigint_resumes_to_the_uninterrupted_report() {
    interrupted_then_resumed(libc::SIGINT);
}

#[test]
fn a_scan_killed_by_sigkill_resumes_to_the_uninterrupted_report() {
    interrupted_then_resumed(libc::SIGKILL);
}

#[test]
fn a_checkpoint_of_another_scan_or_a_damaged_one_is_refused_and_left_alone() {
    let env = start(100, &[]);
    let cp = env.path("scan.checkpoint");
    let cp_s = cp.to_str().unwrap();
    let args = ["--app-instance-arn", INST, "--rate", "30", "--concurrency", "2", "--checkpoint", cp_s];
    let mut child = env.cmd(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_users(&mut child, &cp, 5);
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(child.wait_with_output().unwrap().status.code(), Some(143));
    let before = std::fs::read(&cp).unwrap();
    let sent = env.logged().len();
    let mut other: Vec<&str> = args.to_vec();
    other.push("--diagnose");
    let out = env.scan(&other);
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    assert!(stderr(&out).contains("it was started without --diagnose"), "{}", stderr(&out));
    let out = env.scan(&["--app-instance-arn", &format!("{INST}x"), "--checkpoint", cp_s]);
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr(&out).contains("it is of the app instance"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&cp).unwrap(), before, "left as it was");
    std::fs::write(&cp, &before[..before.len() / 2]).unwrap();
    let out = env.scan(&args);
    assert_eq!(out.status.code(), Some(253), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot be used") && stderr(&out).contains("left as it is"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&cp).unwrap(), &before[..before.len() / 2]);
    assert_eq!(env.logged().len(), sent, "nothing sent for a refused checkpoint");
}

#[test]
fn diagnose_describes_each_endpoint_and_gives_findings() {
    let env = start(10, &[]);
    let out = env.scan(&["--app-instance-arn", INST, "--rate", "1000", "--diagnose"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let v = json_of(&out);
    let e = expected(10);
    assert_eq!(v["Requests"], requests_for(10) + e.endpoints, "a describe per endpoint");
    let log = env.logged();
    let describes = log.iter().filter(|r| r["Operation"] == "DescribeAppInstanceUserEndpoint").count();
    assert_eq!(describes as u64, e.endpoints);
    let rows = v["CannotReceive"].as_array().unwrap();
    assert!(rows.len() as u64 >= e.cannot);
    for r in rows {
        assert!(r["Findings"].is_array(), "{r}");
        assert!(r["ResourceArn"].as_str().unwrap().starts_with("arn:aws:mobiletargeting:"), "{r}");
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains("tok1"), "no token in the report");
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let env = start(1, &[]);
    let out = env.scan(&["--app-instance-arn", "arn:aws:chime:us-east-1:123:app-instance/x"]);
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    assert!(stderr(&out).contains("--app-instance-arn"), "{}", stderr(&out));
    for bad in [["--rate", "0"], ["--rate", "soon"], ["--concurrency", "0"], ["--output", "xml"]] {
        let mut args = vec!["--app-instance-arn", INST];
        args.extend_from_slice(&bad);
        assert_eq!(env.scan(&args).status.code(), Some(252), "{bad:?}");
    }
    assert!(env.logged().is_empty(), "nothing sent");
    // A missing instance: the service's NotFound, 254.
    let out = env.scan(&["--app-instance-arn", &format!("{INST}-gone")]);
    assert_eq!(out.status.code(), Some(254), "{}", stderr(&out));
}

#[test]
fn out_writes_the_report_to_a_file() {
    let env = start(5, &[]);
    let path = env.path("report.json");
    let out = env.scan(&["--app-instance-arn", INST, "--out", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(v["Users"], 5);
}

#[path = "common/pty.rs"]
mod pty;

/// On a terminal: the progress line on stderr (never in the report on stdout), and Ctrl-C stops
/// the scan cleanly and says how to resume.
#[test]
fn on_a_terminal_progress_shows_on_stderr_and_ctrl_c_says_how_to_resume() {
    let env = start(200, &[]);
    let report = env.path("report.json");
    let cp = env.path("scan.checkpoint");
    // sh -c SCRIPT BIN ARGS…: stdout to the report file, stderr left on the terminal.
    let wrap_script = ["sh", "-c", "exec \"$0\" \"$@\" >\"$REPORT\""];
    let args = [
        "scan",
        "--app-instance-arn",
        INST,
        "--endpoint-url",
        &env.emu.url,
        "--rate",
        "20",
        "--checkpoint",
        cp.to_str().unwrap(),
    ];
    let vars = [
        ("REPORT", report.to_str().unwrap()),
        ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let mut t = pty::Pty::spawn(
        pty::Spawn { args: &args, cols: 160, rows: 10, env: &vars, wrap: &wrap_script },
        env.dir.path(),
    );
    t.wait_until("the progress line", |s| {
        s.contains("users ") && s.contains("req/s") && s.contains("throttled 0")
    });
    t.send(pty::CTRL_C);
    let status = t.wait_exit();
    assert_eq!(status.exit_code(), 130);
    let text = t.output_text();
    assert!(
        text.contains("stopped after") && text.contains("run the same command again to resume it"),
        "{text}"
    );
    assert!(std::fs::read(&report).unwrap().is_empty(), "nothing on stdout");
    assert!(cp.exists());
}
