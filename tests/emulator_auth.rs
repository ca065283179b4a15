#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! SigV4 as the service checks it (issue 10, item 8), and faults spent only after
//! authentication (item 12). Signatures come from the real SDK, the AWS CLI, or AWS's own
//! signing crate (aws-sigv4) for the hand-made raw requests.

#[path = "common/awscli.rs"]
mod awscli;
#[path = "common/emu.rs"]
mod emu;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use chimescope::aws::list;
use chimescope::aws::{Client, ClientOptions};
use chimescope::emulator::{self, Credentials, Emulator, Fault, Store};
use chimescope::model::ErrorKind;
use emu::{EmuProc, U42};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PATH: &str = "/app-instance-users/arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Aapp-instance%2F7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69%2Fuser%2Fu-42/endpoints/ep-1";

async fn start(creds: &[&str]) -> Emulator {
    let specs: Vec<String> = creds.iter().map(|s| s.to_string()).collect();
    Emulator::start(emulator::Options {
        store: Store::demo(),
        credentials: Credentials::parse(&specs).unwrap(),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Send a raw request, return the whole response text.
async fn raw(emu: &Emulator, head: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    let mut buf = String::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_string(&mut buf)).await.unwrap().unwrap();
    buf
}

fn status_and_type(resp: &str) -> (String, String) {
    let status = resp.split(' ').nth(1).unwrap_or("").to_string();
    let kind = resp
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("x-amzn-errortype: ").map(|v| v.trim().to_string()))
        .unwrap_or_default();
    (status, kind.to_ascii_lowercase())
}

/// A GET of `PATH` signed by aws-sigv4 with `key`/`secret` at `time`, as raw HTTP.
fn signed(emu: &Emulator, key: &str, secret: &str, time: SystemTime) -> String {
    let host = emu.addr().to_string();
    let url = format!("http://{host}{PATH}");
    let creds = aws_credential_types::Credentials::new(key, secret, None, None, "test");
    let identity = creds.into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("chime")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let headers = [("host", host.as_str())];
    let req = SignableRequest::new("GET", &url, headers.iter().copied(), SignableBody::Bytes(b"")).unwrap();
    let (instructions, _) = sign(req, &params).unwrap().into_parts();
    let mut out = format!("GET {PATH} HTTP/1.1\r\nhost: {host}\r\n");
    for (k, v) in instructions.headers() {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("connection: close\r\n\r\n");
    out
}

#[tokio::test]
async fn malformed_or_incomplete_authorization_is_refused() {
    let emu = start(&[]).await;
    let base = |auth: &str| {
        format!(
            "GET {PATH} HTTP/1.1\r\nhost: x\r\nx-amz-date: 20240101T000000Z\r\nauthorization: {auth}\r\nconnection: close\r\n\r\n"
        )
    };
    let sig = "0".repeat(64);
    for auth in [
        "garbage".to_string(),
        "".to_string(),
        "AWS4-HMAC-SHA256".to_string(),
        "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date".into(),
        format!("AWS4-HMAC-SHA256 Credential=AKID/us-east-1/chime, SignedHeaders=host;x-amz-date, Signature={sig}"),
        format!("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/chime/aws4_request, SignedHeaders=x-amz-date, Signature={sig}"),
        "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc".into(),
        format!("Basic QUtJRDpzZWNyZXQ= Signature={sig}"),
    ] {
        let resp = raw(&emu, &base(&auth)).await;
        assert_eq!(status_and_type(&resp), ("400".into(), "incompletesignatureexception".into()), "{auth:?}: {resp}");
        assert!(!resp.contains("DeviceToken"), "{resp}");
    }
    // A signature without a date header.
    let resp = raw(
        &emu,
        &format!("GET {PATH} HTTP/1.1\r\nhost: x\r\nauthorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/chime/aws4_request, SignedHeaders=host, Signature={sig}\r\nconnection: close\r\n\r\n"),
    )
    .await;
    assert_eq!(status_and_type(&resp).0, "400", "{resp}");
    assert!(resp.contains("X-Amz-Date"), "{resp}");
    // The scope's service is checked even when nothing else is.
    let resp = raw(
        &emu,
        &base(&format!("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature={sig}")),
    )
    .await;
    assert_eq!(status_and_type(&resp), ("403".into(), "invalidsignatureexception".into()), "{resp}");
    // Without --credentials, any well-formed signature is accepted.
    let resp = raw(
        &emu,
        &base(&format!("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature={sig}")),
    )
    .await;
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
}

#[tokio::test]
async fn with_credentials_signatures_and_dates_are_verified() {
    // The demo client signs with these.
    let emu = start(&["AKIDCHIMESCOPEDEMO:chimescope-demo-secret"]).await;
    let c = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    let e = c.describe_endpoint(U42, "ep-1").await.expect("the SDK's signature verifies");
    assert_eq!(e.endpoint_id.as_deref(), Some("ep-1"));
    // Paging: query strings with percent-encoded tokens are signed too.
    let p = c.page(list::Endpoints { user_arn: U42 }, None, Some(2)).await.unwrap();
    c.page(list::Endpoints { user_arn: U42 }, p.next_token, Some(2))
        .await
        .expect("a signed next-token verifies");

    let now = SystemTime::now();
    let ok = raw(&emu, &signed(&emu, "AKIDCHIMESCOPEDEMO", "chimescope-demo-secret", now)).await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");

    let wrong_secret = raw(&emu, &signed(&emu, "AKIDCHIMESCOPEDEMO", "not-the-secret", now)).await;
    assert_eq!(
        status_and_type(&wrong_secret),
        ("403".into(), "invalidsignatureexception".into()),
        "{wrong_secret}"
    );
    assert!(wrong_secret.contains("does not match the signature you provided"), "{wrong_secret}");

    let good = signed(&emu, "AKIDCHIMESCOPEDEMO", "chimescope-demo-secret", now);
    let at = good.find("Signature=").unwrap() + "Signature=".len();
    let mut altered = good.clone().into_bytes();
    altered[at] = if altered[at] == b'0' { b'1' } else { b'0' };
    let resp = raw(&emu, &String::from_utf8(altered).unwrap()).await;
    assert_eq!(status_and_type(&resp), ("403".into(), "invalidsignatureexception".into()), "{resp}");

    let old = raw(
        &emu,
        &signed(&emu, "AKIDCHIMESCOPEDEMO", "chimescope-demo-secret", now - Duration::from_secs(3600)),
    )
    .await;
    assert_eq!(status_and_type(&old), ("403".into(), "invalidsignatureexception".into()), "{old}");
    assert!(old.contains("Signature expired"), "{old}");
    let early = raw(
        &emu,
        &signed(&emu, "AKIDCHIMESCOPEDEMO", "chimescope-demo-secret", now + Duration::from_secs(3600)),
    )
    .await;
    assert!(early.contains("Signature not yet current"), "{early}");

    let unknown = raw(&emu, &signed(&emu, "AKIDSOMEONEELSE", "whatever", now)).await;
    assert_eq!(status_and_type(&unknown), ("403".into(), "unrecognizedclientexception".into()), "{unknown}");
    for r in [&wrong_secret, &old, &unknown] {
        assert!(!r.contains("DeviceToken"), "{r}");
    }
}

#[tokio::test]
async fn the_sdk_reports_a_bad_secret_as_a_service_error() {
    let emu = start(&["AKIDCHIMESCOPEDEMO:another-secret"]).await;
    let c = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    let e = c.describe_endpoint(U42, "ep-1").await.unwrap_err();
    assert_eq!(e.http_status, Some(403), "{e:?}");
    assert_eq!(e.exception, "InvalidSignatureException", "{e:?}");
    assert_eq!(chimescope::commands::exit::of(&e), 254);
}

#[tokio::test]
async fn faults_are_spent_only_on_authenticated_requests() {
    let emu = start(&[]).await;
    emu.add_fault(Fault::parse("DescribeAppInstanceUserEndpoint:throttle:1").unwrap());
    let unsigned = raw(&emu, &format!("GET {PATH} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")).await;
    assert!(unsigned.starts_with("HTTP/1.1 401"), "{unsigned}");
    let c = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    let e = c.describe_endpoint(U42, "ep-1").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Throttled, "the fault was kept for the signed request: {e:?}");
    assert!(c.describe_endpoint(U42, "ep-1").await.is_ok());
}

#[test]
fn the_aws_cli_signature_verifies_and_a_wrong_secret_is_refused() {
    let Some(cli) = awscli::find() else { return };
    let emu =
        EmuProc::start(&["--credentials", "AKIDTEST:secret/with+specials", "--credentials", "AKIDOTHER:x"]);
    let run = |secret: &str, args: &[&str]| {
        let home = tempfile::tempdir().unwrap();
        awscli::command(&cli, &emu.url, "AKIDTEST", secret, home.path()).args(args).output().unwrap()
    };
    let describe =
        ["describe-app-instance-user-endpoint", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1"];
    let out = run("secret/with+specials", &describe);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A next token (with + / =) in the signed query string.
    let list = ["list-app-instance-user-endpoints", "--app-instance-user-arn", U42, "--max-results", "2"];
    let out = run("secret/with+specials", &list);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tok = v["NextToken"].as_str().unwrap().to_string();
    let mut next = list.to_vec();
    next.extend(["--next-token", &tok]);
    let out = run("secret/with+specials", &next);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = run("wrong", &describe);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("InvalidSignatureException"), "{err}");
}
