#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
#![allow(unsafe_code)] // libc calls, each with its SAFETY note
//! `chimescope scan` as a process against an emulator process seeded by benches/scan_seed.py:
//! the summary's counts are what the seed implies, the CSV's rows, throttling under a small quota
//! (converges, nothing lost, every throttle counted because the SDK does not retry behind the
//! scan's back), a scan stopped by SIGINT or killed by SIGKILL and resumed reports what an
//! uninterrupted one does within one scan's requests + concurrency + one page, refused
//! checkpoints, exit codes and bad input. With `--diagnose`, the Pinpoint checks: each app and
//! channel read once a run (counted from the emulator's request log), their findings in the
//! JSON and CSV, `--no-pinpoint`, and a diagnosed scan resumed.

#[path = "common/emu.rs"]
mod emu;

use emu::{EmuProc, SCAN_INST as INST, scan_seed_expected as expected};
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
        emu::requests(&self.emu.url)
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
    for k in ["Requests", "Throttled", "PinpointRequests", "Seconds"] {
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
    assert_eq!(v["OptedOut"], e.opted_out, "AllowMessages NONE counted apart, not as cannot receive");
    assert_eq!(v["Checked"], "state");
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
    assert!(!text.contains("can receive pushes"), "only the state was checked: {text}");
    assert!(
        text.contains(
            "No endpoint is INACTIVE or in an unknown state; records and Pinpoint channels not checked: `scan --diagnose`."
        ),
        "{text}"
    );
    let env = start(30, &[]);
    let out = env.scan(&["--app-instance-arn", INST, "--output", "text", "--rate", "1000"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("Cannot receive pushes: {}", expected(30).cannot)), "{text}");
    assert!(text.contains("INACTIVE INVALID_DEVICE_TOKEN"), "{text}");
    assert!(
        text.contains(&format!(
            "Opted out (AllowMessages NONE, the user's choice): {}",
            expected(30).opted_out
        )),
        "{text}"
    );
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

/// A service that throttles every request is not asked for ever: after `--max-throttles` in a
/// row the scan stops, says why and how to raise the bound, and keeps its checkpoint (issue 22
/// item 17: it went on at 0.7/s with no word).
#[test]
fn a_service_that_throttles_every_request_stops_the_scan_after_the_bound() {
    let env = start(20, &["--fault", "ListAppInstanceUsers:throttle"]);
    let cp = env.path("cp.json");
    let out = env.scan(&[
        "--app-instance-arn",
        INST,
        "--rate",
        "1000",
        "--max-throttles",
        "5",
        "--checkpoint",
        cp.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(254), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("throttled 5 times in a row"), "{err}");
    assert!(err.contains("--max-throttles"), "{err}");
    assert!(err.contains("run the same command again to resume"), "{err}");
    let log = env.logged();
    assert_eq!(log.len(), 5, "five requests, each throttled: {log:?}");
    assert!(log.iter().all(|r| r["Status"] == 429));
    // Out of range is refused before anything is sent.
    let out = env.scan(&["--app-instance-arn", INST, "--max-throttles", "0"]);
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    assert_eq!(env.logged().len(), 5);
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
    let log = env.logged();
    // With --diagnose each user with endpoints is read once too (its expiry).
    let user_reads = log.iter().filter(|r| r["Operation"] == "DescribeAppInstanceUser").count();
    assert!((1..=10).contains(&user_reads), "{user_reads}");
    assert_eq!(v["Requests"], requests_for(10) + e.endpoints + user_reads as u64, "a describe per endpoint");
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

const PP_INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/scan-pp";
/// The Pinpoint apps of the Pinpoint seed: a healthy, b with its GCM channel disabled, c not
/// there, d that the caller may not read (every read Forbidden).
const PP_APPS: [char; 4] = ['a', 'b', 'c', 'd'];
/// The Pinpoint reads one run of a diagnosed scan of that seed makes: GetApp of each app, then
/// the APNS and GCM channels of each but the missing one.
const PP_READS: [(&str, usize); 3] = [("GetApp", 4), ("GetApnsChannel", 3), ("GetGcmChannel", 3)];

fn pp_app(c: char) -> String {
    format!("arn:aws:mobiletargeting:us-east-1:123456789012:apps/{}", c.to_string().repeat(32))
}

/// Endpoint n of the Pinpoint seed: its app and whether it is APNS (else GCM).
fn pp_endpoint(n: usize) -> (char, bool) {
    (PP_APPS[n % 4], (n / 4).is_multiple_of(2))
}

/// User u holds 2 endpoints when u % 3 == 0, else 1.
fn pp_endpoints(users: usize) -> usize {
    (0..users).map(|u| if u % 3 == 0 { 2 } else { 1 }).sum()
}

/// Whether endpoint n cannot receive: its app is missing, or it is GCM on the app whose GCM
/// channel is disabled.
fn pp_cannot(n: usize) -> bool {
    match pp_endpoint(n) {
        ('c', _) => true,
        ('b', apns) => !apns,
        _ => false,
    }
}

/// `users` users of `PP_INST`, every endpoint ACTIVE, ALL, with a well-formed token and fresh, so
/// that only the Pinpoint checks find anything.
fn start_pinpoint(users: usize) -> Env {
    start_pinpoint_with(users, &[])
}

fn start_pinpoint_with(users: usize, emu_args: &[&str]) -> Env {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let apns =
        serde_json::json!({"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "HasTokenKey": true});
    let gcm = |enabled: bool| {
        serde_json::json!({"Enabled": enabled, "DefaultAuthenticationMethod": "TOKEN",
        "HasFcmServiceCredentials": true})
    };
    let apps = serde_json::json!([
        {"Arn": pp_app('a'), "Name": "healthy", "Channels": {"APNS": apns, "GCM": gcm(true)}},
        {"Arn": pp_app('b'), "Name": "gcm off", "Channels": {"APNS": apns, "GCM": gcm(false)}},
        {"Arn": pp_app('d'), "Name": "locked", "Channels": {"APNS": apns, "GCM": gcm(true)},
         "DeniedOperations": ["GetApp", "GetApnsChannel", "GetGcmChannel"]},
    ]);
    let mut eps = Vec::new();
    let mut n = 0;
    for u in 0..users {
        for k in 0..(if u % 3 == 0 { 2 } else { 1 }) {
            let (app, apns) = pp_endpoint(n);
            let token =
                if apns { format!("{n:064x}") } else { format!("{n:022x}:APA91b{}", "x".repeat(134)) };
            eps.push(serde_json::json!({
                "AppInstanceUserArn": format!("{PP_INST}/user/u{u:04}"),
                "EndpointId": format!("e{u:04}-{k}"),
                "Name": format!("Phone of user {u}"),
                "Type": if apns { "APNS" } else { "GCM" },
                "ResourceArn": pp_app(app),
                "EndpointAttributes": {"DeviceToken": token},
                "CreatedTimestamp": now, "LastUpdatedTimestamp": now,
                "AllowMessages": "ALL",
                "EndpointState": {"Status": "ACTIVE"},
            }));
            n += 1;
        }
    }
    let seed = serde_json::json!({
        "AppInstances": [{"AppInstanceArn": PP_INST, "Name": "scan pinpoint"}],
        "AppInstanceUserEndpoints": eps,
        "PinpointApps": apps,
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.json");
    std::fs::write(&path, serde_json::to_vec(&seed).unwrap()).unwrap();
    let mut args = vec!["--seed", path.to_str().unwrap()];
    args.extend_from_slice(emu_args);
    let emu = EmuProc::start(&args);
    Env { dir, emu }
}

/// How many of each Pinpoint read the emulator has logged.
fn pinpoint_reads(log: &[Value]) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for r in log {
        let op = r["Operation"].as_str().unwrap_or_default();
        if op.starts_with("GetApp") || (op.starts_with("Get") && op.ends_with("Channel")) {
            *counts.entry(op.to_string()).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

fn reads_times(k: usize) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = PP_READS.iter().map(|(op, n)| (op.to_string(), n * k)).collect();
    v.sort();
    v
}

fn codes_of(row: &Value) -> Vec<String> {
    row["Findings"].as_array().unwrap().iter().map(|f| f["Code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn diagnose_reads_each_pinpoint_app_once_and_its_findings_show_in_the_json_and_csv() {
    let users = 45;
    let env = start_pinpoint(users);
    let endpoints = pp_endpoints(users);
    let out = env.scan(&["--app-instance-arn", PP_INST, "--rate", "1000", "--diagnose"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["Endpoints"], endpoints);
    let log = env.logged();
    assert_eq!(
        pinpoint_reads(&log),
        reads_times(1),
        "each app and channel read once for {endpoints} endpoints"
    );
    let pinpoint: usize = PP_READS.iter().map(|(_, n)| n).sum();
    assert_eq!(v["PinpointRequests"], pinpoint);
    assert_eq!(
        v["Requests"].as_u64().unwrap() + pinpoint as u64,
        log.len() as u64,
        "Requests counts the Identity requests, PinpointRequests the rest"
    );
    let user_reads = log.iter().filter(|r| r["Operation"] == "DescribeAppInstanceUser").count();
    assert!((1..=users).contains(&user_reads), "a read of each user with endpoints: {user_reads}");
    assert_eq!(
        v["Requests"],
        1 + users + endpoints + user_reads,
        "a page of users, a list per user, a describe per endpoint"
    );
    // The endpoints that cannot receive are those of the missing app and GCM on the disabled
    // channel; the unreadable app's endpoints get a warning only.
    let cannot: Vec<&Value> = v["CannotReceive"].as_array().unwrap().iter().collect();
    assert_eq!(cannot.len(), (0..endpoints).filter(|&n| pp_cannot(n)).count());
    for r in &cannot {
        let codes = codes_of(r);
        let arn = r["ResourceArn"].as_str().unwrap();
        if arn == pp_app('c') {
            assert_eq!(codes, ["pinpoint-app-missing"], "{r}");
        } else {
            assert_eq!((arn, r["Type"].as_str().unwrap()), (pp_app('b').as_str(), "GCM"), "{r}");
            assert_eq!(codes, ["pinpoint-channel-disabled"], "{r}");
        }
        assert!(!r.to_string().contains("APA91b"), "no token in the report: {r}");
    }

    // The CSV: every endpoint's codes in the Findings column.
    let out = env.scan(&["--app-instance-arn", PP_INST, "--rate", "1000", "--diagnose", "--output", "csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(pinpoint_reads(&env.logged()), reads_times(2), "read once again by the second scan");
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), endpoints);
    let mut n = 0;
    for u in 0..users {
        for k in 0..(if u % 3 == 0 { 2 } else { 1 }) {
            let row = rows.iter().find(|r| r[1] == format!("e{u:04}-{k}")).unwrap();
            let want = match pp_endpoint(n) {
                ('a', _) => "",
                ('b', true) => "",
                ('b', false) => "pinpoint-channel-disabled",
                ('c', _) => "pinpoint-app-missing",
                _ => "pinpoint-unreachable",
            };
            assert_eq!(&row[6], want, "endpoint {n}: {row:?}");
            n += 1;
        }
    }

    // The text report counts the Pinpoint requests apart.
    let out = env.scan(&["--app-instance-arn", PP_INST, "--rate", "1000", "--diagnose", "--output", "text"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("), {pinpoint} Pinpoint requests, in ")), "{text}");
    assert!(text.contains("error [pinpoint-app-missing]"), "{text}");
}

#[test]
fn no_pinpoint_diagnoses_the_records_only_and_reads_no_app() {
    let env = start_pinpoint(12);
    let out = env.scan(&["--app-instance-arn", PP_INST, "--rate", "1000", "--diagnose", "--no-pinpoint"]);
    assert_eq!(out.status.code(), Some(0), "nothing wrong in the records: {}", stderr(&out));
    let v = json_of(&out);
    assert_eq!(v["PinpointRequests"], 0);
    assert_eq!(v["CannotReceive"], serde_json::json!([]));
    assert!(pinpoint_reads(&env.logged()).is_empty(), "{:?}", pinpoint_reads(&env.logged()));
    let args = ["--app-instance-arn", PP_INST, "--diagnose", "--no-pinpoint", "--output", "text"];
    let text = String::from_utf8(env.scan(&args).stdout).unwrap();
    assert!(text.contains("Pinpoint channel checks: not run (--no-pinpoint)."), "{text}");
    // A checkpoint of a scan with the checks is not resumed without them (its rows differ).
    let cp = env.path("scan.checkpoint");
    let snapshot = serde_json::json!({
        "Version": 1,
        "Identity": {"AppInstanceArn": PP_INST, "Describe": true, "Diagnose": true, "Pinpoint": true,
                     "AllRows": false, "Region": "us-east-1", "EndpointUrl": env.emu.url},
        "NextToken": null, "UsersListed": false, "Pending": [],
        "Tally": {"Users": 0, "Endpoints": 0, "ByStatus": {}, "ByReason": {}, "ByType": {},
                  "ByAllowMessages": {}, "CannotReceive": 0, "Requests": 0, "Throttled": 0, "Seconds": 0.0},
        "RowsLen": 0,
    });
    std::fs::write(&cp, serde_json::to_vec(&snapshot).unwrap()).unwrap();
    let cp_s = cp.to_str().unwrap();
    let args = ["--app-instance-arn", PP_INST, "--diagnose", "--no-pinpoint", "--checkpoint", cp_s];
    let out = env.scan(&args);
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    assert!(stderr(&out).contains("it was started with the Pinpoint checks"), "{}", stderr(&out));
    // With the checks, it resumes (from nothing done) and reads each app once.
    let out =
        env.scan(&["--app-instance-arn", PP_INST, "--diagnose", "--rate", "1000", "--checkpoint", cp_s]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("resuming the scan"), "{}", stderr(&out));
    assert_eq!(pinpoint_reads(&env.logged()), reads_times(1));
    // `[doctor] pinpoint = false` in the config file is --no-pinpoint too.
    let dir = env.path("config/chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[doctor]\npinpoint = false\n").unwrap();
    let out = env.scan(&["--app-instance-arn", PP_INST, "--rate", "1000", "--diagnose"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["PinpointRequests"], 0);
    assert_eq!(pinpoint_reads(&env.logged()), reads_times(1), "no more reads");
    let out = env.scan(&["--app-instance-arn", PP_INST, "--diagnose", "--output", "text"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Pinpoint channel checks: not run (config: [doctor] pinpoint = false)."), "{text}");
}

fn diagnosed_then_resumed(signal: i32) {
    let users = 120;
    let env = start_pinpoint(users);
    let cp = env.path("scan.checkpoint");
    let cp_s = cp.to_str().unwrap();
    let args = [
        "--app-instance-arn",
        PP_INST,
        "--rate",
        "60",
        "--concurrency",
        "4",
        "--diagnose",
        "--checkpoint",
        cp_s,
    ];
    let mut child = env.cmd(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_users(&mut child, &cp, 40);
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, signal) };
    let first = child.wait_with_output().unwrap();
    let code = if signal == libc::SIGINT { Some(130) } else { None };
    assert_eq!(first.status.code(), code, "{}", stderr(&first));
    assert!(users_done(&cp) >= 40 && users_done(&cp) < users as u64, "{}", users_done(&cp));
    let resumed = env.scan(&args);
    assert_eq!(resumed.status.code(), Some(1), "{}", stderr(&resumed));
    let reads = pinpoint_reads(&env.logged());
    for ((op, n), (_, once)) in reads.iter().zip(reads_times(1)) {
        assert!(*n <= 2 * once, "{op}: {n} reads in two runs, at most one per app a run");
    }
    let v = json_of(&resumed);
    let sent: usize = reads.iter().map(|(_, n)| n).sum();
    assert_eq!(v["PinpointRequests"], sent, "counted across both runs");
    let full = env.scan(&["--app-instance-arn", PP_INST, "--rate", "1000", "--diagnose"]);
    assert_eq!(comparable(&v), comparable(&json_of(&full)));
    assert_eq!(v["Users"], users);
}

#[test]
fn a_diagnosed_scan_stopped_by_sigint_and_resumed_reports_what_an_uninterrupted_one_does() {
    diagnosed_then_resumed(libc::SIGINT);
}

#[test]
fn a_diagnosed_scan_killed_by_sigkill_and_resumed_reports_what_an_uninterrupted_one_does() {
    diagnosed_then_resumed(libc::SIGKILL);
}

#[test]
fn a_throttled_pinpoint_read_is_sent_again_and_counted_apart_from_the_identity_requests() {
    // The first two GetApp are throttled (429 TooManyRequestsException), and a channel read fails once.
    let env =
        start_pinpoint_with(30, &["--fault", "GetApp:throttle:2", "--fault", "GetGcmChannel:failure:1"]);
    let out = env.scan(&["--app-instance-arn", PP_INST, "--rate", "1000", "--diagnose"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json_of(&out);
    let once: usize = PP_READS.iter().map(|(_, n)| n).sum();
    assert_eq!(v["PinpointRequests"], once + 3, "each retry counted");
    assert_eq!(v["Throttled"], 0, "Pinpoint's throttles are not the Identity limiter's");
    let log = env.logged();
    let reads: usize = pinpoint_reads(&log).iter().map(|(_, n)| n).sum();
    assert_eq!(reads, once + 3);
    assert_eq!(v["Requests"].as_u64().unwrap() as usize + reads, log.len());
    // Sent again until answered: the findings are those of an undisturbed scan (of another
    // emulator, seeded a moment later: the records' times aside).
    let clean = start_pinpoint(30);
    let want = json_of(&clean.scan(&["--app-instance-arn", PP_INST, "--rate", "1000", "--diagnose"]));
    let untimed = |v: &Value| {
        let mut v = comparable(v);
        for r in v["CannotReceive"].as_array_mut().unwrap() {
            let m = r.as_object_mut().unwrap();
            m.remove("CreatedTimestamp").unwrap();
            m.remove("LastUpdatedTimestamp").unwrap();
        }
        v
    };
    assert_eq!(untimed(&v), untimed(&want));
}

/// `--out` where the report cannot go (a missing directory, `/dev/full`, a directory) is
/// refused before the first request (252, bad arguments), not after the whole scan.
#[test]
fn an_unwritable_out_is_refused_before_anything_is_sent() {
    let env = start(3, &[]);
    let missing = env.path("no-such-dir/report.json");
    let dir = env.path("a-dir");
    std::fs::create_dir(&dir).unwrap();
    for (out, says) in [
        (missing.to_str().unwrap(), "does not exist"),
        ("/dev/full", "a character device"),
        (dir.to_str().unwrap(), "a directory"),
    ] {
        let o = env.scan(&["--app-instance-arn", INST, "--out", out]);
        assert_eq!(o.status.code(), Some(252), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains("--out") && stderr(&o).contains(says), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains("nothing was sent"), "{}", stderr(&o));
    }
    assert!(env.logged().is_empty(), "no request sent: {:?}", env.logged());
    assert!(!missing.parent().unwrap().exists(), "no directory made");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no probe file left behind");
}

/// Issue 21 item 7: a second scan of a checkpoint in use is refused (253) naming the holder's
/// process ID, and leaves the first one's files alone; a rows file then cut inside a row is
/// cut back to its last whole row on resume, which reports (no "expected ','").
#[test]
fn a_second_scan_of_a_checkpoint_in_use_is_refused_and_a_cut_rows_file_is_repaired() {
    let env = start(100, &[]);
    let cp = env.path("scan.checkpoint");
    let cp_s = cp.to_str().unwrap();
    let args = ["--app-instance-arn", INST, "--rate", "30", "--concurrency", "2", "--checkpoint", cp_s];
    let mut first = env.cmd(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_users(&mut first, &cp, 5);
    let second = env.scan(&args);
    assert_eq!(second.status.code(), Some(253), "{}", stderr(&second));
    let err = stderr(&second);
    assert!(
        err.contains("in use by another scan") && err.contains(&format!("process {}", first.id())),
        "{err}"
    );
    assert!(second.stdout.is_empty());
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(first.id() as i32, libc::SIGINT) };
    assert_eq!(first.wait_with_output().unwrap().status.code(), Some(130));
    // Cut the rows file inside its last row.
    let rows = env.path("scan.checkpoint.rows");
    let len = std::fs::metadata(&rows).unwrap().len();
    assert!(len > 10, "rows were kept");
    std::fs::OpenOptions::new().write(true).open(&rows).unwrap().set_len(len - 7).unwrap();
    let resumed = env.scan(&args);
    assert_eq!(resumed.status.code(), Some(1), "{}", stderr(&resumed));
    assert!(stderr(&resumed).contains("cut inside a row"), "{}", stderr(&resumed));
    let v = json_of(&resumed);
    assert_eq!(v["Users"], 100);
    assert!(!cp.exists() && !rows.exists(), "a reported scan's files go");
}

/// Issue 21 item 8: a checkpoint that does not add up (a tally of u64::MAX, a pending user of
/// another instance or twice, every user listed after no request) is refused with 253, its
/// bytes untouched, nothing sent.
#[test]
fn a_tampered_checkpoint_is_refused_and_left_untouched() {
    let env = start(60, &[]);
    let cp = env.path("scan.checkpoint");
    let cp_s = cp.to_str().unwrap();
    let args = ["--app-instance-arn", INST, "--rate", "30", "--concurrency", "2", "--checkpoint", cp_s];
    let mut child = env.cmd(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_users(&mut child, &cp, 3);
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(child.wait_with_output().unwrap().status.code(), Some(143));
    let good: Value = serde_json::from_slice(&std::fs::read(&cp).unwrap()).unwrap();
    let sent = env.logged().len();
    let tamper = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        v
    };
    let user = format!("{INST}/user/u0");
    let cases = [
        ("out of range", tamper(&|v| v["Tally"]["Users"] = serde_json::json!(u64::MAX))),
        ("out of range", tamper(&|v| v["Tally"]["Requests"] = serde_json::json!(u64::MAX))),
        (
            "another app instance",
            tamper(&|v| {
                v["Pending"]
                    .as_array_mut()
                    .unwrap()
                    .push("arn:aws:chime:us-east-1:123456789012:app-instance/other/user/mallory".into())
            }),
        ),
        (
            "listed twice",
            tamper(&|v| {
                v["Pending"] = serde_json::json!([user, user]);
            }),
        ),
        (
            "without the requests",
            tamper(&|v| {
                v["UsersListed"] = true.into();
                v["NextToken"] = Value::Null;
                v["Pending"] = serde_json::json!([]);
                v["Tally"] = serde_json::json!({"Users": 0, "Endpoints": 0, "ByStatus": {}, "ByReason": {},
                    "ByType": {}, "ByAllowMessages": {}, "CannotReceive": 0, "Requests": 0, "Throttled": 0,
                    "Seconds": 0.0});
                v["RowsLen"] = 0.into();
            }),
        ),
    ];
    for (says, v) in cases {
        let bytes = serde_json::to_vec(&v).unwrap();
        std::fs::write(&cp, &bytes).unwrap();
        let out = env.scan(&args);
        assert_eq!(out.status.code(), Some(253), "{says}: {}", stderr(&out));
        assert!(stderr(&out).contains("does not add up") && stderr(&out).contains(says), "{}", stderr(&out));
        assert_eq!(std::fs::read(&cp).unwrap(), bytes, "{says}: left as it was");
    }
    assert_eq!(env.logged().len(), sent, "nothing sent for a refused checkpoint");
}
