#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
#![allow(unsafe_code)] // libc calls, each with its SAFETY note
//! Connections (issue 10, item 9): header-read and idle timeouts, a cap on connections, and a
//! normal request served while many idle connections are held, even when the process is short
//! of descriptors.

#[path = "common/emu.rs"]
mod emu;

use chimescope::aws::{Client, ClientOptions};
use chimescope::emulator::{self, Emulator, Limits, Store};
use emu::{BIN, U42};
use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn start(limits: Limits) -> Emulator {
    Emulator::start(emulator::Options { store: Store::demo(), limits, ..Default::default() }).await.unwrap()
}

/// Read until the server closes; false when it was still open after `within`.
async fn closed_by_server(s: &mut tokio::net::TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

fn signed_head(host: &str) -> String {
    format!(
        "GET /app-instances HTTP/1.1\r\nhost: {host}\r\nx-amz-date: 20240101T000000Z\r\nauthorization: AWS4-HMAC-SHA256 \
         Credential=AKID/20240101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\n\r\n",
        "0".repeat(64)
    )
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let emu = start(Limits { idle_timeout: Duration::from_millis(300), ..Limits::default() }).await;
    let mut s = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    s.write_all(signed_head("x").as_bytes()).await.unwrap();
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    assert!(
        closed_by_server(&mut s, Duration::from_secs(20)).await,
        "an idle keep-alive connection stays open"
    );
}

#[tokio::test]
async fn slow_request_headers_are_cut_off() {
    let emu = start(Limits { header_timeout: Duration::from_millis(500), ..Limits::default() }).await;
    let mut s = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    s.write_all(b"GET /app-instances HTTP/1.1\r\nhost: x\r\n").await.unwrap();
    // Slowloris: a byte every 100 ms keeps the connection busy but never ends the headers.
    let trickle = async {
        for _ in 0..200 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if s.write_all(b"x").await.is_err() {
                return true;
            }
        }
        false
    };
    assert!(trickle.await, "headers trickled in forever were never cut off");
}

#[tokio::test]
async fn a_request_is_served_while_a_thousand_idle_connections_are_held() {
    raise_nofile(4096);
    let emu = start(Limits::default()).await;
    let mut idle = Vec::new();
    for _ in 0..1000 {
        idle.push(tokio::net::TcpStream::connect(emu.addr()).await.unwrap());
    }
    let c = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    let e = c.describe_endpoint(U42, "ep-1").await.expect("served beside 1,000 idle connections");
    assert_eq!(e.endpoint_id.as_deref(), Some("ep-1"));
    drop(idle);
}

#[tokio::test]
async fn at_the_cap_the_idlest_connection_makes_room() {
    let emu = start(Limits { max_connections: Some(50), ..Limits::default() }).await;
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(tokio::net::TcpStream::connect(emu.addr()).await.unwrap());
    }
    let c = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    c.describe_endpoint(U42, "ep-1").await.expect("a new connection is served at the cap");
    // The first idle connections were closed to make room.
    assert!(closed_by_server(&mut idle[0], Duration::from_secs(10)).await);
}

/// Raise the soft descriptor limit (the test holds both ends of every connection).
fn raise_nofile(want: u64) {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: plain libc calls on a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// The emulator as a process with 256 descriptors, 400 idle connections held against it: before,
/// accept failed forever (logged 20 times a second) and every normal request timed out.
#[test]
fn short_of_descriptors_the_emulator_still_serves_and_does_not_spin() {
    raise_nofile(4096);
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n 256 && exec {BIN} emulator"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("listening on http://").unwrap().to_string();
    let mut idle = Vec::new();
    for _ in 0..400 {
        idle.push(std::net::TcpStream::connect(&addr).unwrap());
    }
    std::thread::sleep(Duration::from_millis(300));
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    s.write_all(signed_head(&addr).replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    drop(idle);
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        resp.starts_with("HTTP/1.1 200"),
        "no answer with 400 idle connections and 256 descriptors: {resp:?}"
    );
    assert!(!stderr.contains("accept failed"), "{stderr}");
}
