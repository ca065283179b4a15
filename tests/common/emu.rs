//! Run `chimescope emulator` as a process for tests: parse its first stdout line for the URL,
//! kill it on drop. Also the demo seed's ARNs, and a big in-process store for paging.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_chimescope");

/// The built binary in a clean, hermetic environment under `home`: PATH only, HOME, the XDG
/// directories and the AWS files under it, no instance metadata (no real profile can leak in).
pub fn hermetic(home: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

/// [`hermetic`] with test credentials, for commands that sign requests to an emulator.
pub fn hermetic_signed(home: &std::path::Path) -> Command {
    let mut c = hermetic(home);
    c.env("AWS_ACCESS_KEY_ID", "AKIDTEST").env("AWS_SECRET_ACCESS_KEY", "secret");
    c
}

pub struct EmuProc {
    child: Child,
    pub url: String,
}

impl EmuProc {
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .arg("emulator")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn chimescope emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("read first line");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        EmuProc { child, url }
    }
}

impl Drop for EmuProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo seed as JSON.
pub fn demo_seed() -> serde_json::Value {
    serde_json::from_str(chimescope::emulator::store::DEMO_SEED).unwrap()
}

pub const U42: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-42";
pub const ULOAD: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-load-test";
pub const INSTANCE: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69";

pub const ACCT: &str = "123456789012";

/// A store for paging: 120 app instances (`…:app-instance/i0000` on), and under the instance
/// `…:app-instance/big` `users` users (`u00000` on), the first with `per_user` endpoints
/// (`e00000` on), every other one with one. All ACTIVE, or with `mixed_states` every seventh
/// (`k % 7 == 3`) INACTIVE with INVALID_DEVICE_TOKEN.
pub fn big_store(users: usize, per_user: usize, mixed_states: bool) -> chimescope::emulator::Store {
    let inst = format!("arn:aws:chime:us-east-1:{ACCT}:app-instance/big");
    let mut eps = Vec::new();
    for u in 0..users {
        let n = if u == 0 { per_user } else { 1 };
        for k in 0..n {
            eps.push(serde_json::json!({
                "AppInstanceUserArn": format!("{inst}/user/u{u:05}"),
                "EndpointId": format!("e{k:05}"),
                "Type": "GCM",
                "ResourceArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/bench",
                "EndpointAttributes": {"DeviceToken": format!("tok{k}")},
                "AllowMessages": "ALL",
                "EndpointState": if mixed_states && k % 7 == 3 {
                    serde_json::json!({"Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN"})
                } else {
                    serde_json::json!({"Status": "ACTIVE"})
                }
            }));
        }
    }
    // With "big" itself: 100, the most an account's region can have.
    let instances: Vec<_> = (0..99)
        .map(|i| {
            serde_json::json!({
                "AppInstanceArn": format!("arn:aws:chime:us-east-1:{ACCT}:app-instance/i{i:04}"),
                "Name": format!("instance {i}")
            })
        })
        .collect();
    let seed = serde_json::json!({"AppInstances": instances, "AppInstanceUserEndpoints": eps});
    chimescope::emulator::Store::from_seed_str(&seed.to_string(), "big").unwrap()
}

impl EmuProc {
    /// SIGKILL the emulator (no chance to flush anything) and wait for it.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every request the emulator's log holds, paged through `GET /_chimescope/requests?since=N`
/// (one answer holds at most 1,000).
pub fn requests(url: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    let mut since = 0;
    // Bounded: the log holds at most 10,000 requests, 1,000 a page.
    for _ in 0..20 {
        let (status, page) = admin(url, "GET", &format!("requests?since={since}"), "");
        assert_eq!(status, 200, "{page}");
        all.extend(page["Requests"].as_array().cloned().unwrap_or_default());
        since = page["NextSince"].as_u64().unwrap_or(since);
        if page["More"] != true {
            break;
        }
    }
    all
}

/// A request to the emulator's admin API (`/_chimescope/…`, unsigned, from its own origin,
/// JSON): status and JSON body.
pub fn admin(url: &str, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).expect("connect to the emulator");
    write!(
        s,
        "{method} /_chimescope/{path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status: u16 = out.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let json = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(json).unwrap_or(serde_json::Value::Null))
}

/// The app instance benches/scan_seed.py seeds.
pub const SCAN_INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/scan-bench";

/// Write benches/scan_seed.py's seed of `users` users to `dir/seed.json`.
pub fn scan_seed(dir: &std::path::Path, users: u64) -> std::path::PathBuf {
    let seed = dir.join("seed.json");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/scan_seed.py");
    let st = Command::new("python3").arg(script).arg(users.to_string()).arg(&seed).status().unwrap();
    assert!(st.success());
    seed
}

/// What benches/scan_seed.py's rule implies for `users` users.
pub struct Expected {
    pub endpoints: u64,
    pub inactive: u64,
    pub muted: u64,
    /// INACTIVE: what cannot receive (an opted-out endpoint is counted apart).
    pub cannot: u64,
    /// AllowMessages NONE and ACTIVE: opted out.
    pub opted_out: u64,
}

pub fn scan_seed_expected(users: u64) -> Expected {
    let (mut n, mut e) = (0u64, Expected { endpoints: 0, inactive: 0, muted: 0, cannot: 0, opted_out: 0 });
    for u in 0..users {
        for _ in 0..(if u % 4 == 0 { 2 } else { 1 }) {
            let inactive = n % 7 == 3;
            let muted = n % 11 == 5;
            e.endpoints += 1;
            e.inactive += u64::from(inactive);
            e.muted += u64::from(muted);
            e.cannot += u64::from(inactive);
            e.opted_out += u64::from(muted && !inactive);
            n += 1;
        }
    }
    e
}
