#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The emulator against a hostile peer (issue 21, items 4, 5, 6, 11, 12, 15, 17; issue 22,
//! item 5), over loopback with real HTTP: signed requests replayed with another body and
//! unsigned payloads, the admin API called cross-origin, through a rebound name, without
//! JSON or without a signature, clock and quota bounds, the request log paged, spent faults,
//! the idempotency records bounded, seeds beyond the service's quotas, `--account` without
//! `--credentials`, malformed ARNs.

#[path = "common/emu.rs"]
mod emu;

use aws_sdk_chimesdkidentity::Client;
use aws_sdk_chimesdkidentity::config::{BehaviorVersion, Credentials as SdkCredentials, Region};
use aws_sdk_chimesdkidentity::error::ProvideErrorMetadata;
use aws_sdk_chimesdkidentity::types::{AppInstanceUserEndpointType, EndpointAttributes};
use aws_sigv4::http_request::{PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use chimescope::emulator::{self, Credentials, Emulator, Store};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const INSTANCE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/hostile";
const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/hostile/user/u-1";
const PINPOINT: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef";
const KEY: &str = "AKIDHOSTILE";
const SECRET: &str = "hostile-secret";

/// A store with one user holding one endpoint.
fn small_store() -> Store {
    let seed = serde_json::json!({"AppInstanceUserEndpoints": [{
        "AppInstanceUserArn": USER, "EndpointId": "ep-1", "Type": "GCM", "ResourceArn": PINPOINT,
        "EndpointAttributes": {"DeviceToken": "token-1"}, "AllowMessages": "ALL",
        "EndpointState": {"Status": "ACTIVE"}
    }]});
    Store::from_seed_str(&seed.to_string(), "small").unwrap()
}

async fn start(store: Store, creds: &[&str]) -> Emulator {
    let specs: Vec<String> = creds.iter().map(|s| s.to_string()).collect();
    Emulator::start(emulator::Options {
        store,
        credentials: Credentials::parse(&specs).unwrap(),
        ..Default::default()
    })
    .await
    .unwrap()
}

fn sdk(url: &str, secret: &str) -> Client {
    let conf = aws_sdk_chimesdkidentity::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(SdkCredentials::new(KEY, secret, None, None, "test"))
        .retry_config(aws_sdk_chimesdkidentity::config::retry::RetryConfig::disabled())
        .build();
    Client::from_conf(conf)
}

fn code<E: ProvideErrorMetadata, R>(e: &aws_sdk_chimesdkidentity::error::SdkError<E, R>) -> String {
    e.as_service_error().and_then(|s| s.code()).unwrap_or("(not a service error)").to_string()
}

/// Send raw bytes, return the whole response text.
async fn raw(emu: &Emulator, bytes: &[u8]) -> String {
    let mut s = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    s.write_all(bytes).await.unwrap();
    let mut buf = String::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_string(&mut buf)).await.unwrap().unwrap();
    buf
}

fn status(resp: &str) -> u16 {
    resp.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn error_type(resp: &str) -> String {
    resp.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("x-amzn-errortype").then(|| v.trim().to_string())
        })
        .unwrap_or_default()
}

fn json_body(resp: &str) -> serde_json::Value {
    serde_json::from_str(resp.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("")).unwrap_or_default()
}

/// The headers aws-sigv4 adds to sign `method path` with `body` (and `content-type: application/json`).
fn sign_headers(
    emu: &Emulator,
    method: &str,
    path: &str,
    body: SignableBody<'_>,
    secret: &str,
) -> Vec<(String, String)> {
    let host = emu.addr().to_string();
    let url = format!("http://{host}{path}");
    let creds = aws_credential_types::Credentials::new(KEY, secret, None, None, "test");
    let identity = creds.into();
    let mut settings = SigningSettings::default();
    settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("chime")
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let headers = [("host", host.as_str()), ("content-type", "application/json")];
    let req = SignableRequest::new(method, &url, headers.iter().copied(), body).unwrap();
    let (instructions, _) = sign(req, &params).unwrap().into_parts();
    instructions.headers().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A raw HTTP/1.1 request with these signing headers and `body`.
fn request(emu: &Emulator, method: &str, path: &str, signing: &[(String, String)], body: &str) -> String {
    let mut out = format!(
        "{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        emu.addr(),
        body.len()
    );
    for (k, v) in signing {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("connection: close\r\n\r\n");
    out.push_str(body);
    out
}

fn register_path() -> String {
    let enc: String = USER.replace(':', "%3A").replace('/', "%2F");
    format!("/app-instance-users/{enc}/endpoints")
}

fn register_body(token: &str, crt: &str) -> String {
    serde_json::json!({
        "Type": "GCM", "ResourceArn": PINPOINT, "EndpointAttributes": {"DeviceToken": token},
        "ClientRequestToken": crt
    })
    .to_string()
}

fn endpoint_count(emu: &Emulator) -> usize {
    emu.snapshot().endpoints_of(USER).map(|v| v.len()).unwrap_or(0)
}

#[tokio::test]
async fn a_signed_request_replayed_with_another_body_is_refused() {
    let emu = start(small_store(), &[&format!("{KEY}:{SECRET}")]).await;
    let path = register_path();
    let original = register_body("token-original", "crt-original");
    let signing = sign_headers(&emu, "POST", &path, SignableBody::Bytes(original.as_bytes()), SECRET);
    assert!(signing.iter().any(|(k, _)| k == "x-amz-content-sha256"), "{signing:?}");
    let ok = raw(&emu, request(&emu, "POST", &path, &signing, &original).as_bytes()).await;
    assert_eq!(status(&ok), 201, "{ok}");
    assert_eq!(endpoint_count(&emu), 2);

    // The captured headers (signature and x-amz-content-sha256 of the original body) with a
    // body of the attacker's.
    let forged = register_body("token-of-the-attacker", "crt-attacker");
    let replay = raw(&emu, request(&emu, "POST", &path, &signing, &forged).as_bytes()).await;
    assert_eq!(
        (status(&replay), error_type(&replay).as_str()),
        (403, "InvalidSignatureException"),
        "{replay}"
    );
    assert!(replay.contains("x-amz-content-sha256"), "{replay}");
    // Without the hash header, the signature itself no longer matches.
    let no_hash: Vec<_> = signing.iter().filter(|(k, _)| k != "x-amz-content-sha256").cloned().collect();
    let replay = raw(&emu, request(&emu, "POST", &path, &no_hash, &forged).as_bytes()).await;
    assert_eq!(
        (status(&replay), error_type(&replay).as_str()),
        (403, "InvalidSignatureException"),
        "{replay}"
    );
    assert_eq!(endpoint_count(&emu), 2, "nothing of the forged body was applied");
}

#[tokio::test]
async fn an_unsigned_payload_is_refused_with_credentials() {
    let emu = start(small_store(), &[&format!("{KEY}:{SECRET}")]).await;
    let path = register_path();
    let body = register_body("token-unsigned", "crt-unsigned");
    let signing = sign_headers(&emu, "POST", &path, SignableBody::UnsignedPayload, SECRET);
    assert!(
        signing.iter().any(|(k, v)| k == "x-amz-content-sha256" && v == "UNSIGNED-PAYLOAD"),
        "{signing:?}"
    );
    let resp = raw(&emu, request(&emu, "POST", &path, &signing, &body).as_bytes()).await;
    assert_eq!((status(&resp), error_type(&resp).as_str()), (403, "InvalidSignatureException"), "{resp}");
    assert!(resp.contains("UNSIGNED-PAYLOAD"), "{resp}");
    assert_eq!(endpoint_count(&emu), 1);
    // The same body, signed, is served.
    let signing = sign_headers(&emu, "POST", &path, SignableBody::Bytes(body.as_bytes()), SECRET);
    let resp = raw(&emu, request(&emu, "POST", &path, &signing, &body).as_bytes()).await;
    assert_eq!(status(&resp), 201, "{resp}");
}

/// A raw admin request with these extra header lines.
fn admin_request(method: &str, what: &str, host: &str, extra: &str, body: &str) -> String {
    format!(
        "{method} /_chimescope/{what} HTTP/1.1\r\nhost: {host}\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn the_admin_api_refuses_foreign_origins_hosts_and_non_json_posts() {
    let emu = start(small_store(), &[]).await;
    let c = sdk(&emu.url(), "secret");
    let port = emu.addr().port();
    let own = emu.addr().to_string();
    // Something that a reset would wipe.
    c.register_app_instance_user_endpoint()
        .app_instance_user_arn(USER)
        .r#type(AppInstanceUserEndpointType::Gcm)
        .resource_arn(PINPOINT)
        .endpoint_attributes(EndpointAttributes::builder().device_token("token-kept").build().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(endpoint_count(&emu), 2);

    // A web page's "simple" POST: a foreign Origin, text/plain.
    let evil = "origin: http://evil.example\r\ncontent-type: text/plain\r\n";
    let r = raw(&emu, admin_request("POST", "reset", &own, evil, "x").as_bytes()).await;
    assert_eq!((status(&r), error_type(&r).as_str()), (403, "ForbiddenException"), "{r}");
    assert!(r.contains("cross-origin"), "{r}");
    let r =
        raw(&emu, admin_request("POST", "faults", &own, evil, r#"{"Fault": "*:failure"}"#).as_bytes()).await;
    assert_eq!(status(&r), 403, "{r}");
    // The same origin but not JSON.
    let plain = "content-type: text/plain\r\n";
    let r = raw(&emu, admin_request("POST", "reset", &own, plain, "x").as_bytes()).await;
    assert_eq!(status(&r), 415, "{r}");
    assert!(r.contains("application/json"), "{r}");
    let r = raw(&emu, admin_request("POST", "reset", &own, "", "").as_bytes()).await;
    assert_eq!(status(&r), 415, "no Content-Type: {r}");
    // DNS rebinding: a name that resolves to 127.0.0.1, or another port.
    let json = "content-type: application/json\r\n";
    for host in [format!("evil.example:{port}"), "127.0.0.1:1".to_string(), "evil.example".into(), "".into()]
    {
        let r = raw(&emu, admin_request("POST", "reset", &host, json, "{}").as_bytes()).await;
        assert_eq!((status(&r), error_type(&r).as_str()), (403, "ForbiddenException"), "{host}: {r}");
        let r = raw(&emu, admin_request("GET", "requests", &host, "", "").as_bytes()).await;
        assert_eq!(status(&r), 403, "{host}: {r}");
    }
    // "null" (a sandboxed page) and an https look-alike are foreign too.
    for origin in ["null", &format!("https://{own}"), &format!("http://evil.example:{port}")] {
        let h = format!("origin: {origin}\r\n{json}");
        let r = raw(&emu, admin_request("POST", "faults", &own, &h, r#"{"Faults": []}"#).as_bytes()).await;
        assert_eq!(status(&r), 403, "{origin}: {r}");
    }
    assert_eq!(endpoint_count(&emu), 2, "nothing was reset");
    c.describe_app_instance_user_endpoint()
        .app_instance_user_arn(USER)
        .endpoint_id("ep-1")
        .send()
        .await
        .expect("no fault was added");

    // The server's own names and origins are served.
    for (host, origin) in [
        (own.clone(), format!("http://{own}")),
        (format!("localhost:{port}"), format!("http://localhost:{port}")),
        (format!("[::1]:{port}"), format!("http://127.0.0.1:{port}")),
    ] {
        let h = format!("origin: {origin}\r\n{json}");
        let r = raw(&emu, admin_request("POST", "faults", &host, &h, r#"{"Faults": []}"#).as_bytes()).await;
        assert_eq!(status(&r), 200, "{host} {origin}: {r}");
    }
    let r = raw(
        &emu,
        admin_request("POST", "reset", &own, "content-type: application/json; charset=utf-8\r\n", "")
            .as_bytes(),
    )
    .await;
    assert_eq!(status(&r), 200, "{r}");
    assert_eq!(endpoint_count(&emu), 1, "the reset was applied");
}

#[tokio::test]
async fn with_credentials_the_admin_api_needs_a_signed_request() {
    let emu = start(small_store(), &[&format!("{KEY}:{SECRET}"), "AKIDOTHER:other-secret"]).await;
    let own = emu.addr().to_string();
    let json = "content-type: application/json\r\n";
    let r = raw(&emu, admin_request("POST", "reset", &own, json, "{}").as_bytes()).await;
    assert_eq!((status(&r), error_type(&r).as_str()), (401, "UnauthorizedClientException"), "{r}");
    let r = raw(&emu, admin_request("GET", "requests", &own, "", "").as_bytes()).await;
    assert_eq!(status(&r), 401, "{r}");

    let body = r#"{"Fault": "DescribeAppInstance:throttle:1"}"#;
    let wrong =
        sign_headers(&emu, "POST", "/_chimescope/faults", SignableBody::Bytes(body.as_bytes()), "not-it");
    let r = raw(&emu, request(&emu, "POST", "/_chimescope/faults", &wrong, body).as_bytes()).await;
    assert_eq!((status(&r), error_type(&r).as_str()), (403, "InvalidSignatureException"), "{r}");
    let good =
        sign_headers(&emu, "POST", "/_chimescope/faults", SignableBody::Bytes(body.as_bytes()), SECRET);
    let r = raw(&emu, request(&emu, "POST", "/_chimescope/faults", &good, body).as_bytes()).await;
    assert_eq!(status(&r), 200, "{r}");
    assert_eq!(json_body(&r)["Faults"], 1, "{r}");
    // A signed GET too.
    let get = sign_headers(&emu, "GET", "/_chimescope/requests?limit=5", SignableBody::Bytes(b""), SECRET);
    let r = raw(&emu, request(&emu, "GET", "/_chimescope/requests?limit=5", &get, "").as_bytes()).await;
    assert_eq!(status(&r), 200, "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_advances_are_bounded_and_now_stays_a_time() {
    let emu = Emulator::start(emulator::Options {
        store: small_store(),
        quotas: vec![("*".to_string(), 50.0)],
        ..Default::default()
    })
    .await
    .unwrap();
    let url = emu.url();
    for secs in ["1e26", "1e308", "-5", "\"x\"", "null", "3.2e9"] {
        let (st, body) = emu::admin(&url, "POST", "clock", &format!(r#"{{"Seconds": {secs}}}"#));
        assert_eq!(st, 400, "{secs}: {body}");
        assert_eq!(body["Code"], "BadRequest", "{secs}: {body}");
    }
    // Twice the largest step is fine; years past 9999 are not.
    let (st, body) = emu::admin(&url, "POST", "clock", r#"{"Seconds": 86400}"#);
    assert_eq!(st, 200, "{body}");
    let now = body["Now"].as_f64().expect("Now is a number");
    assert!(now > 1.7e9 && now < 1e11, "{body}");
    let mut refused = 0;
    for _ in 0..100 {
        let (st, body) = emu::admin(&url, "POST", "clock", r#"{"Seconds": 3155760000}"#);
        if st == 400 {
            assert!(body["Message"].as_str().unwrap().contains("9999"), "{body}");
            refused += 1;
            break;
        }
    }
    assert_eq!(refused, 1, "the clock stops before year 9999");
    // Requests are still served, not throttled, and timestamps are times.
    let c = sdk(&url, "secret");
    let out = c
        .create_app_instance_user()
        .app_instance_arn(INSTANCE)
        .app_instance_user_id("late")
        .name("late")
        .send()
        .await
        .expect("served after the clock moved");
    let u = c
        .describe_app_instance_user()
        .app_instance_user_arn(out.app_instance_user_arn.unwrap())
        .send()
        .await
        .unwrap()
        .app_instance_user
        .unwrap();
    let t = u.created_timestamp.unwrap().secs();
    assert!(t > 1_700_000_000, "{t}");
}

#[tokio::test]
async fn quota_rates_out_of_range_are_refused() {
    for rate in [1e308, f64::NAN, f64::INFINITY, -1.0, 0.0, 1e7] {
        let r = Emulator::start(emulator::Options {
            quotas: vec![("*".to_string(), rate)],
            ..Default::default()
        })
        .await;
        let e = r.err().unwrap_or_else(|| panic!("{rate} was accepted"));
        assert!(e.to_string().contains("requests per second"), "{rate}: {e}");
    }
    for spec in ["*=1e308", "*=NaN", "*=inf", "*=-1", "*=0", "ListAppInstances=1e9"] {
        let out = Command::new(emu::BIN).args(["emulator", "--quota", spec]).output().unwrap();
        assert_eq!(out.status.code(), Some(252), "{spec}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--quota") && err.contains("from 0.001 to 1000000"), "{spec}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_log_is_paged_and_spent_faults_are_dropped() {
    let emu = start(small_store(), &[]).await;
    let url = emu.url();
    // 1,005 requests (unsigned: answered 401, logged all the same).
    for _ in 0..1005 {
        raw(
            &emu,
            format!("GET /app-instances HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n", emu.addr())
                .as_bytes(),
        )
        .await;
    }
    let (st, first) = emu::admin(&url, "GET", "requests", "");
    assert_eq!(st, 200);
    assert_eq!(first["Requests"].as_array().unwrap().len(), 1000, "the default page");
    assert_eq!(first["More"], true);
    assert_eq!(first["NextSince"], 1000);
    let (_, rest) = emu::admin(&url, "GET", "requests?since=1000", "");
    let seqs: Vec<u64> =
        rest["Requests"].as_array().unwrap().iter().map(|r| r["Seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1001..=1005).collect::<Vec<_>>());
    assert_eq!(rest["More"], false);
    assert_eq!(rest["NextSince"], 1005);
    let (_, small) = emu::admin(&url, "GET", "requests?since=10&limit=3", "");
    assert_eq!(small["Requests"].as_array().unwrap().len(), 3);
    assert_eq!(small["NextSince"], 13);
    let (_, none) = emu::admin(&url, "GET", "requests?since=5000", "");
    assert_eq!(
        (none["Requests"].as_array().unwrap().len(), &none["NextSince"]),
        (0, &serde_json::json!(5000))
    );
    for bad in ["limit=0", "limit=1001", "limit=x", "since=-1", "bogus=1"] {
        let (st, _) = emu::admin(&url, "GET", &format!("requests?{bad}"), "");
        assert_eq!(st, 400, "{bad}");
    }

    // Spent faults are removed: the count the admin API answers shows it.
    let (_, r) =
        emu::admin(&url, "POST", "faults", r#"{"Fault": "DescribeAppInstanceUserEndpoint:throttle:1"}"#);
    assert_eq!(r["Faults"], 1);
    let c = sdk(&url, "secret");
    let e =
        c.describe_app_instance_user_endpoint().app_instance_user_arn(USER).endpoint_id("ep-1").send().await;
    assert_eq!(code(&e.unwrap_err()), "ThrottledClientException");
    let (_, r) = emu::admin(&url, "POST", "faults", r#"{"Fault": "ListAppInstances:throttle:1"}"#);
    assert_eq!(r["Faults"], 1, "the spent fault is gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_records_expire_and_are_capped() {
    let mut store = small_store();
    store.limit_idempotency_records(50);
    let emu = start(store, &[]).await;
    let c = sdk(&emu.url(), "secret");
    let register = |token: String, crt: String| {
        let c = c.clone();
        async move {
            c.register_app_instance_user_endpoint()
                .app_instance_user_arn(USER)
                .r#type(AppInstanceUserEndpointType::Gcm)
                .resource_arn(PINPOINT)
                .endpoint_attributes(EndpointAttributes::builder().device_token(token).build().unwrap())
                .client_request_token(crt)
                .send()
                .await
                .map(|o| o.endpoint_id.unwrap())
        }
    };
    let deregister = |id: String| {
        let c = c.clone();
        async move {
            c.deregister_app_instance_user_endpoint()
                .app_instance_user_arn(USER)
                .endpoint_id(id)
                .send()
                .await
                .unwrap();
        }
    };
    for i in 0..200 {
        let id = register(format!("cycle-{i}"), format!("crt-{i}")).await.unwrap();
        deregister(id).await;
    }
    assert_eq!(emu.idempotency_records(), 50, "the table is capped");
    assert_eq!(endpoint_count(&emu), 1);

    // Within its lifetime a token answers the first request again (and creates nothing);
    // after it, the same token is a new request.
    let first = register("token-again".into(), "crt-again".into()).await.unwrap();
    deregister(first.clone()).await;
    let retry = register("token-again".into(), "crt-again".into()).await.unwrap();
    assert_eq!(retry, first, "an idempotent retry");
    assert_eq!(endpoint_count(&emu), 1, "the retry created nothing");
    emu.advance_clock(chimescope::emulator::idempotency::LIFETIME_SECS + 1.0).unwrap();
    let later = register("token-again".into(), "crt-again".into()).await.unwrap();
    assert_ne!(later, first, "an expired token is a new request");
    assert_eq!(endpoint_count(&emu), 2);
    assert_eq!(emu.idempotency_records(), 1, "the expired records are gone");
}

fn write_seed(dir: &std::path::Path, name: &str, seed: &serde_json::Value) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(seed).unwrap()).unwrap();
    p
}

fn endpoint(user: &str, id: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut e = serde_json::json!({
        "AppInstanceUserArn": user, "EndpointId": id, "Type": "GCM", "ResourceArn": PINPOINT,
        "EndpointAttributes": {"DeviceToken": format!("tok-{id}")}
    });
    for (k, v) in extra.as_object().unwrap() {
        e[k] = v.clone();
    }
    e
}

#[test]
fn seeds_beyond_the_service_limits_are_refused_with_the_path_and_what() {
    let dir = tempfile::tempdir().unwrap();
    let eleven: Vec<_> = (0..11).map(|i| endpoint(USER, &format!("e{i}"), serde_json::json!({}))).collect();
    let instances: Vec<_> = (0..101)
        .map(|i| serde_json::json!({"AppInstanceArn": format!("{INSTANCE}-{i}"), "Name": "x"}))
        .collect();
    let cases = [
        ("eleven.json", serde_json::json!({"AppInstanceUserEndpoints": eleven}), "more than 10 endpoints"),
        (
            "far.json",
            serde_json::json!({"AppInstanceUserEndpoints": [endpoint(USER, "e", serde_json::json!({"CreatedTimestamp": 1e300}))]}),
            "CreatedTimestamp",
        ),
        (
            "negative.json",
            serde_json::json!({"AppInstanceUsers": [{"AppInstanceUserArn": USER, "Name": "n", "LastUpdatedTimestamp": -1}]}),
            "LastUpdatedTimestamp",
        ),
        ("instances.json", serde_json::json!({"AppInstances": instances}), "more than 100 app instances"),
    ];
    for (name, seed, what) in cases {
        let path = write_seed(dir.path(), name, &seed);
        let out = Command::new(emu::BIN).arg("emulator").arg("--seed").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{name}: {err}");
        assert!(err.contains(&format!("{}:", path.display())) && err.contains(what), "{name}: {err}");
        assert!(!err.contains("tok-"), "never a device token: {err}");
    }
    // Ten endpoints, and sane times, load.
    let ten: Vec<_> = (0..10)
        .map(|i| endpoint(USER, &format!("e{i}"), serde_json::json!({"CreatedTimestamp": 1.7e9})))
        .collect();
    let path = write_seed(dir.path(), "ten.json", &serde_json::json!({"AppInstanceUserEndpoints": ten}));
    let _ok = emu::EmuProc::start(&["--seed", path.to_str().unwrap()]);
}

/// Start `chimescope emulator ARGS`, wait for its URL line, stop it: its stderr.
fn start_stderr(args: &[&str]) -> String {
    let mut child = Command::new(emu::BIN)
        .arg("emulator")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 9];
    out.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"listening");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    err
}

#[test]
fn account_without_credentials_warns_on_start() {
    let err = start_stderr(&["--account", "AKIDA=111111111111"]);
    assert!(err.contains("warning:") && err.contains("any caller can claim any account"), "{err}");
    let err = start_stderr(&["--account", "AKIDA=111111111111", "--credentials", "AKIDA:secret"]);
    assert!(!err.contains("claim any account"), "{err}");
}

#[tokio::test]
async fn malformed_arns_are_answered_as_the_service_does() {
    let emu = start(small_store(), &[]).await;
    let c = sdk(&emu.url(), "secret");
    // The field answers a malformed ARN ForbiddenException or (when the model's pattern
    // already refuses it) BadRequestException; never NotFound.
    let forbidden = |e: String, what: &str| {
        assert!(e == "ForbiddenException" || e == "BadRequestException", "{what}: {e}");
    };
    for bad in ["arn:bad", "arn:aws:chime:us-east-1:123456789012:bogus", "not-an-arn"] {
        let e = c
            .describe_app_instance_user_endpoint()
            .app_instance_user_arn(bad)
            .endpoint_id("ep-1")
            .send()
            .await;
        let e = e.unwrap_err();
        forbidden(code(&e), bad);
        if code(&e) == "ForbiddenException" {
            let msg = e.as_service_error().and_then(|s| s.message()).unwrap_or("").to_string();
            assert!(msg.contains("invalid app instance user ARN"), "{msg}");
        }
        let e = c.describe_app_instance_user().app_instance_user_arn(bad).send().await.unwrap_err();
        forbidden(code(&e), bad);
        let e = c.list_app_instance_user_endpoints().app_instance_user_arn(bad).send().await.unwrap_err();
        forbidden(code(&e), bad);
        let e = c
            .deregister_app_instance_user_endpoint()
            .app_instance_user_arn(bad)
            .endpoint_id("e")
            .send()
            .await;
        forbidden(code(&e.unwrap_err()), bad);
        let e = c.describe_app_instance().app_instance_arn(bad).send().await.unwrap_err();
        forbidden(code(&e), bad);
        let e = c.list_app_instance_users().app_instance_arn(bad).send().await.unwrap_err();
        forbidden(code(&e), bad);
    }
    // A well-formed ARN that names nothing is still NotFound.
    let gone = format!("{INSTANCE}/user/nobody");
    let e = c.describe_app_instance_user().app_instance_user_arn(gone).send().await.unwrap_err();
    assert_eq!(code(&e), "NotFoundException");
}
