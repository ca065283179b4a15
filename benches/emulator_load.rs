#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a bench: failing loudly is its job
//! Load on `chimescope emulator` over loopback (issue 10): throughput and latency (p50, p99) of
//! DescribeAppInstanceUserEndpoint and ListAppInstanceUserEndpoints at 1, 16, 64 and 256
//! keep-alive connections, the emulator's RSS before and after, and a normal request's latency
//! while 1,000 idle connections are held. Bounded: 3 s per level (override with
//! EMULATOR_LOAD_SECS), loopback only. Run: `cargo bench --bench emulator_load` (EMULATOR_BIN:
//! the chimescope binary to load, default this build's).
//!
//! The load generator is this process (tokio, raw HTTP/1.1 keep-alive with a well-formed SigV4
//! header, which the emulator accepts without --credentials); it shares the machine's cores
//! with the emulator, so figures are a floor.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

const U42: &str = "arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Aapp-instance%2F7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69%2Fuser%2Fu-42";

fn head(path: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-date: 20240101T000000Z\r\nauthorization: AWS4-HMAC-SHA256 \
         Credential=AKIDBENCH/20240101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, \
         Signature={}\r\n\r\n",
        "0".repeat(64)
    )
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("VmRSS:").map(|v| v.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0))
            })
        })
        .unwrap_or(0)
}

/// One request on a keep-alive connection; its latency.
async fn one(
    r: &mut tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>,
    w: &mut tokio::net::tcp::OwnedWriteHalf,
    req: &[u8],
) -> std::io::Result<Duration> {
    let t = Instant::now();
    w.write_all(req).await?;
    let mut len = 0usize;
    let mut status_ok = false;
    let mut first = true;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("closed"));
        }
        if first {
            status_ok = line.starts_with("HTTP/1.1 200");
            first = false;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length: ") {
            len = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).await?;
    if !status_ok {
        return Err(std::io::Error::other("not 200"));
    }
    Ok(t.elapsed())
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn level(addr: &str, req: &str, conns: usize, secs: f64) -> (f64, f64, f64, usize) {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (addr, req) = (addr.to_string(), req.as_bytes().to_vec());
        tasks.push(tokio::spawn(async move {
            let s = tokio::net::TcpStream::connect(&addr).await.expect("connect");
            let _ = s.set_nodelay(true);
            let (r, mut w) = s.into_split();
            let mut r = tokio::io::BufReader::new(r);
            let mut lat = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                match one(&mut r, &mut w, &req).await {
                    Ok(d) => lat.push(d),
                    Err(_) => {
                        errors += 1;
                        break;
                    }
                }
            }
            (lat, errors)
        }));
    }
    let start = Instant::now();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("task");
        all.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    (all.len() as f64 / elapsed, pct(&all, 0.5), pct(&all, 0.99), errors)
}

fn main() {
    // `cargo bench` passes --bench; nothing to parse.
    let secs: f64 = std::env::var("EMULATOR_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(3.0)
        .clamp(0.5, 30.0);
    // EMULATOR_BIN: another build of chimescope (a "before" figure).
    let bin = std::env::var_os("EMULATOR_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_chimescope").into());
    let mut child = Command::new(bin)
        .arg("emulator")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the emulator");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let addr = line.trim().trim_start_matches("listening on http://").to_string();
    let pid = child.id();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let describe = head(&format!("/app-instance-users/{U42}/endpoints/ep-1"));
    let list = head(&format!("/app-instance-users/{U42}/endpoints?max-results=50"));
    println!("emulator RSS at start: {} KB", rss_kb(pid));
    println!(
        "{:<10} {:>6} {:>12} {:>9} {:>9} {:>7}",
        "operation", "conns", "requests/s", "p50 ms", "p99 ms", "errors"
    );
    rt.block_on(async {
        for (name, req) in [("Describe", &describe), ("List", &list)] {
            for conns in [1, 16, 64, 256] {
                let (rps, p50, p99, errors) = level(&addr, req, conns, secs).await;
                println!("{name:<10} {conns:>6} {rps:>12.0} {p50:>9.3} {p99:>9.3} {errors:>7}");
            }
        }
        println!("emulator RSS after the load: {} KB", rss_kb(pid));
        let mut idle = Vec::new();
        for _ in 0..1000 {
            match tokio::net::TcpStream::connect(&addr).await {
                Ok(s) => idle.push(s),
                Err(e) => {
                    println!("idle connection {} failed: {e}", idle.len());
                    break;
                }
            }
        }
        let s = tokio::net::TcpStream::connect(&addr).await.expect("connect");
        let (r, mut w) = s.into_split();
        let mut r = tokio::io::BufReader::new(r);
        let mut lat = Vec::new();
        for _ in 0..500 {
            if let Ok(d) = one(&mut r, &mut w, describe.as_bytes()).await {
                lat.push(d);
            }
        }
        lat.sort();
        println!(
            "with {} idle connections held: {} of 500 Describe answered, p50 {:.3} ms, p99 {:.3} ms; RSS {} KB",
            idle.len(),
            lat.len(),
            pct(&lat, 0.5),
            pct(&lat, 0.99),
            rss_kb(pid)
        );
    });
    let _ = child.kill();
    let _ = child.wait();
}
