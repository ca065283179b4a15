#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a bench: failing loudly is its job
//! The emulator at a real app's size (issues 12 and 24), the built binary as users run it.
//!
//! Seeds from `benches/scan_seed.py` (USERS users, one app instance, 1.25 endpoints a user).
//! - Start-up (seed load until the `listening on` line) and resident memory at rest, at 10k
//!   and 100k users.
//! - UpdateAppInstanceUserEndpoint (a write) side by side at 1k and 100k users, in memory and
//!   with `--state`, from 1 and 8 concurrent writers (each on its own keep-alive connection,
//!   on its own users' endpoints): writes per second, p50 and p99 latency, resident memory
//!   after the writes and at its peak.
//!
//! The writers are a minimal HTTP/1.1 client (the emulator without `--credentials` accepts
//! any well-formed signature), so that the client's cost is small beside the emulator's on a
//! shared machine. Each run is bounded: at most EMULATOR_WRITES_SECS seconds (default 3) and
//! 20,000 writes per writer. EMULATOR_WRITES_USERS (default `1000,100000`) picks the sizes of
//! the write runs (a longer run at 10,000 users shows a compaction's peak memory).
//!
//! Run: `cargo bench --bench emulator_writes` (the binary of this build), or with
//! `EMULATOR_BIN=/path/to/chimescope` for another build (a "before" figure).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/scan-bench";
const MAX_PER_WRITER: usize = 20_000;

struct Emu {
    child: Child,
    addr: String,
    startup: Duration,
}

impl Drop for Emu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(bin: &Path, seed: &Path, state: Option<&Path>) -> Emu {
    let t = Instant::now();
    let mut cmd = Command::new(bin);
    cmd.arg("emulator").arg("--seed").arg(seed).stdout(Stdio::piped()).stderr(Stdio::null());
    if let Some(s) = state {
        cmd.arg("--state").arg(s);
    }
    let mut child = cmd.spawn().expect("start the emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let startup = t.elapsed();
    let addr =
        line.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("{line:?}")).to_string();
    Emu { child, addr, startup }
}

/// (VmRSS, VmHWM) in MiB.
fn rss(pid: u32) -> (f64, f64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// One request on a keep-alive connection; the status.
fn put(conn: &mut BufReader<TcpStream>, addr: &str, path: &str, body: &str) -> u16 {
    let req = format!(
        "PUT {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nX-Amz-Date: 20250101T000000Z\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20250101/us-east-1/chime/aws4_request, \
         SignedHeaders=host;x-amz-date, Signature={}\r\nContent-Length: {}\r\n\r\n{body}",
        "0".repeat(64),
        body.len()
    );
    conn.get_mut().write_all(req.as_bytes()).expect("send");
    let mut status = String::new();
    conn.read_line(&mut status).expect("status line");
    let code = status.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        conn.read_line(&mut h).expect("header");
        if h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    conn.read_exact(&mut body).expect("body");
    code
}

fn pct(v: &[Duration], p: f64) -> f64 {
    v[((v.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

/// `writers` threads updating endpoints for `secs`: every latency, and the time taken.
fn writes(emu: &Emu, users: usize, writers: usize, secs: f64) -> (Vec<Duration>, Duration) {
    let t0 = Instant::now();
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let addr = emu.addr.clone();
            std::thread::spawn(move || {
                let mut conn = BufReader::new(TcpStream::connect(&addr).expect("connect"));
                let _ = conn.get_ref().set_nodelay(true);
                let mut lat = Vec::new();
                let t0 = Instant::now();
                for k in 0..MAX_PER_WRITER {
                    if t0.elapsed().as_secs_f64() >= secs {
                        break;
                    }
                    let u = (w + k * writers) % users;
                    let path = format!(
                        "/app-instance-users/{}/endpoints/e{u:06}-0",
                        encode(&format!("{INST}/user/u{u:06}"))
                    );
                    let t = Instant::now();
                    let status = put(&mut conn, &addr, &path, &format!("{{\"Name\":\"phone {k}\"}}"));
                    assert_eq!(status, 200, "write {k} of writer {w}");
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all: Vec<Duration> = handles.into_iter().flat_map(|h| h.join().expect("writer")).collect();
    all.sort();
    (all, t0.elapsed())
}

fn seed(dir: &Path, users: usize) -> PathBuf {
    let p = dir.join(format!("seed-{users}.json"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/scan_seed.py");
    let ok = Command::new("python3").arg(script).arg(users.to_string()).arg(&p).status().expect("python3");
    assert!(ok.success(), "scan_seed.py {users}");
    p
}

fn main() {
    let bin = std::env::var_os("EMULATOR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_chimescope")));
    let secs: f64 = std::env::var("EMULATOR_WRITES_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(3.0);
    let dir = tempfile::tempdir().expect("temp dir");
    println!("emulator: {}", bin.display());
    println!("{:<34} {:>10} {:>12}", "start-up", "time", "RSS at rest");
    for users in [10_000, 100_000] {
        let s = seed(dir.path(), users);
        let emu = start(&bin, &s, None);
        std::thread::sleep(Duration::from_millis(500));
        let (r, _) = rss(emu.child.id());
        println!(
            "{:<34} {:>8.2} s {:>8.0} MiB",
            format!("{}k users", users / 1000),
            emu.startup.as_secs_f64(),
            r
        );
    }
    println!(
        "{:<34} {:>8} {:>11} {:>9} {:>9} {:>9} {:>9}",
        "UpdateAppInstanceUserEndpoint", "writes", "writes/s", "p50 ms", "p99 ms", "RSS MiB", "peak MiB"
    );
    let sizes: Vec<usize> = std::env::var("EMULATOR_WRITES_USERS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 100_000]);
    for users in sizes {
        let s = seed(dir.path(), users);
        for persisted in [false, true] {
            for writers in [1, 8] {
                let state = dir.path().join(format!("state-{users}-{writers}.json"));
                let emu = start(&bin, &s, persisted.then_some(state.as_path()));
                let (lat, took) = writes(&emu, users, writers, secs);
                let (r, peak) = rss(emu.child.id());
                let label = format!(
                    "{}k users, {}, {writers} writer{}",
                    users / 1000,
                    if persisted { "--state" } else { "memory" },
                    if writers == 1 { "" } else { "s" }
                );
                if lat.is_empty() {
                    println!("{label:<34} {:>8} (none completed in {secs} s)", 0);
                    continue;
                }
                println!(
                    "{label:<34} {:>8} {:>11.0} {:>9.2} {:>9.2} {:>9.0} {:>9.0}",
                    lat.len(),
                    lat.len() as f64 / took.as_secs_f64(),
                    pct(&lat, 0.5),
                    pct(&lat, 0.99),
                    r,
                    peak
                );
            }
        }
    }
}
