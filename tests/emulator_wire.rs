#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
#![allow(unsafe_code)] // libc calls, each with its SAFETY note
//! Wire details (issue 10, items 10, 11, 13) and seed files (items 4 and 7, the seed side).

#[path = "common/emu.rs"]
mod emu;

use base64::Engine;
use chimescope::aws::list;
use chimescope::aws::{Client, ClientOptions};
use chimescope::emulator::{self, Emulator, Store};
use chimescope::model::ErrorKind;
use emu::{BIN, U42};
use std::collections::HashSet;
use std::process::Command;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[tokio::test]
async fn a_forged_paging_token_is_a_bad_request_and_never_wraps() {
    let emu =
        Emulator::start(emulator::Options { store: Store::demo(), ..Default::default() }).await.unwrap();
    let c = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    // The old token format: magic, then "OFFSET\nSCOPE"; offset 2^64-2 wrapped to the start.
    let mut raw = vec![0xfb, 0xff, 0xbf];
    raw.extend_from_slice(format!("{}\n{U42}", u64::MAX - 1).as_bytes());
    let forged = base64::engine::general_purpose::STANDARD.encode(raw);
    let e = c.page(list::Endpoints { user_arn: U42 }, Some(forged), Some(5)).await.unwrap_err();
    assert_eq!((e.kind, e.http_status), (ErrorKind::BadRequest, Some(400)), "{e:?}");
    assert!(e.message.contains("next token"), "{e}");
    // A real token, altered in one character, is refused too.
    let first = c.page(list::Endpoints { user_arn: U42 }, None, Some(2)).await.unwrap();
    let tok = first.next_token.unwrap();
    let mut bytes = tok.into_bytes();
    let i = bytes.len() - 3;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let e = c
        .page(list::Endpoints { user_arn: U42 }, Some(String::from_utf8(bytes).unwrap()), Some(2))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest, "{e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn request_ids_are_unique_under_load() {
    let emu =
        Emulator::start(emulator::Options { store: Store::demo(), ..Default::default() }).await.unwrap();
    let head = format!(
        "GET /app-instances HTTP/1.1\r\nhost: x\r\nx-amz-date: 20240101T000000Z\r\nauthorization: AWS4-HMAC-SHA256 \
         Credential=AKID/20240101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\n\r\n",
        "0".repeat(64)
    );
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let (addr, head) = (emu.addr(), head.clone());
        tasks.push(tokio::spawn(async move {
            let s = tokio::net::TcpStream::connect(addr).await.unwrap();
            let (r, mut w) = s.into_split();
            let mut r = BufReader::new(r);
            let mut ids = Vec::new();
            for _ in 0..500 {
                w.write_all(head.as_bytes()).await.unwrap();
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    r.read_line(&mut line).await.unwrap();
                    let l = line.to_ascii_lowercase();
                    if let Some(v) = l.strip_prefix("x-amzn-requestid: ") {
                        ids.push(v.trim().to_string());
                    }
                    if let Some(v) = l.strip_prefix("content-length: ") {
                        len = v.trim().parse().unwrap();
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0u8; len];
                r.read_exact(&mut body).await.unwrap();
            }
            ids
        }));
    }
    let mut all = HashSet::new();
    let mut n = 0;
    for t in tasks {
        for id in t.await.unwrap() {
            n += 1;
            assert!(all.insert(id.clone()), "request id {id} repeated");
        }
    }
    assert_eq!(n, 16_000);
}

#[test]
fn a_non_loopback_bind_needs_the_flag() {
    let out = Command::new(BIN).args(["emulator", "--bind", "0.0.0.0:0"]).output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{err}");
    assert!(err.contains("--allow-non-loopback") && err.contains("not a loopback address"), "{err}");
    assert!(out.stdout.is_empty(), "nothing was served");
}

/// Run `chimescope emulator --seed PATH`; it must exit (not hang or grow) within 20 s.
fn refuse(path: &std::path::Path) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .args(["emulator", "--seed"])
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string_blocking(&mut err);
            return (status.code(), err);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the emulator was still reading {} after 20 s", path.display());
}

trait ReadAll {
    fn read_to_string_blocking(&mut self, s: &mut String);
}
impl<R: std::io::Read> ReadAll for R {
    fn read_to_string_blocking(&mut self, s: &mut String) {
        let _ = std::io::Read::read_to_string(self, s);
    }
}

#[test]
fn seeds_that_are_not_regular_files_are_refused() {
    let (code, err) = refuse(std::path::Path::new("/dev/zero"));
    assert_eq!(code, Some(252), "{err}");
    assert!(err.contains("/dev/zero") && err.contains("not a regular file (a character device)"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("seed.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (code, err) = refuse(&fifo);
    assert_eq!(code, Some(252), "{err}");
    assert!(err.contains("not a regular file (a FIFO)"), "{err}");

    let (code, err) = refuse(dir.path());
    assert_eq!(code, Some(252), "{err}");
    assert!(err.contains("a directory"), "{err}");

    // Bounded: a (sparse) file larger than the limit is refused without being read.
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(emulator::MAX_SEED_BYTES + 1).unwrap();
    let (code, err) = refuse(&big);
    assert_eq!(code, Some(252), "{err}");
    assert!(err.contains("larger than 64 MiB"), "{err}");
}

#[test]
fn seed_files_with_a_bom_load_and_missing_required_fields_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let arn = "arn:aws:chime:us-east-1:123456789012:app-instance/x/user/y";
    let good = format!(
        "\u{feff}{{\"AppInstanceUserEndpoints\": [{{\"AppInstanceUserArn\": \"{arn}\", \"EndpointId\": \"e\", \"Type\": \"GCM\",\n\
         \"ResourceArn\": \"arn:aws:mobiletargeting:us-east-1:123456789012:apps/a\", \"EndpointAttributes\": {{\"DeviceToken\": \"t\"}}}}]}}"
    );
    let bom = dir.path().join("bom.json");
    std::fs::write(&bom, &good).unwrap();
    let emu = emu::EmuProc::start(&["--seed", bom.to_str().unwrap()]);
    assert!(emu.url.starts_with("http://127.0.0.1:"), "a seed with a BOM is served");
    drop(emu);

    let missing = dir.path().join("missing.json");
    std::fs::write(
        &missing,
        format!("{{\"AppInstanceUserEndpoints\": [\n\n  {{\"AppInstanceUserArn\": \"{arn}\", \"EndpointId\": \"e\", \"Type\": \"GCM\"}}]}}"),
    )
    .unwrap();
    let (code, err) = refuse(&missing);
    assert_eq!(code, Some(252), "{err}");
    assert!(err.contains(&format!("{}:3:", missing.display())), "{err}");
    assert!(err.contains("without ResourceArn"), "{err}");
}
