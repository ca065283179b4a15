#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The real Rust SDK (through chimescope's client layer) against the emulator, over loopback.

#[path = "common/emu.rs"]
mod emu;

use chimescope::aws::list;
use chimescope::aws::{Client, ClientOptions};
use chimescope::emulator::{self, Emulator, Fault, Store};
use chimescope::model::ErrorKind;
use chimescope::model::paging::Listing;
use chimescope::model::{AllowMessages, EndpointStatus, EndpointType, StatusReason};
use emu::{ACCT, INSTANCE, big_store, demo_seed};
use serde_json::Value;
use std::time::Duration;

fn user(id: &str) -> String {
    format!("{INSTANCE}/user/{id}")
}

async fn start(store: Store) -> Emulator {
    Emulator::start(emulator::Options { store, ..Default::default() }).await.expect("emulator starts")
}

async fn client(emu: &Emulator, attempts: u32, timeout: Duration) -> Client {
    Client::demo(&emu.url(), ClientOptions { max_attempts: attempts, timeout, ..ClientOptions::default() })
        .await
}

#[tokio::test]
async fn describe_round_trips_every_field_of_every_seeded_endpoint() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let seed = demo_seed();
    let endpoints = seed["AppInstanceUserEndpoints"].as_array().unwrap();
    assert!(endpoints.len() >= 40);
    for want in endpoints {
        let arn = want["AppInstanceUserArn"].as_str().unwrap();
        let id = want["EndpointId"].as_str().unwrap();
        let got = c.describe_endpoint(arn, id).await.unwrap_or_else(|e| panic!("{arn} {id}: {e}"));
        // Back to the wire shape: every field, every value, as seeded.
        let back = got.to_json_with(chimescope::model::Timestamp::to_json);
        assert_eq!(&back, want, "endpoint {id}");
    }
}

#[tokio::test]
async fn describe_maps_enums_into_the_model() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let e = c.describe_endpoint(&user("u-42"), "ep-9").await.unwrap();
    assert_eq!(e.endpoint_type, Some(EndpointType::Gcm));
    let st = e.state.unwrap();
    assert_eq!(st.status, EndpointStatus::Inactive);
    assert_eq!(st.reason, Some(StatusReason::InvalidDeviceToken));
    let e = c.describe_endpoint(&user("u-42"), "ep-muted").await.unwrap();
    assert_eq!(e.allow_messages, Some(AllowMessages::None));
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap();
    assert!(e.voip_device_token.is_some());
    assert_eq!(e.created.unwrap().rfc3339(), "2023-11-15T00:25:19Z");
}

#[tokio::test]
async fn labels_with_colons_slashes_and_unicode_are_percent_encoded_and_decoded() {
    let arn = format!("{INSTANCE}/user/us-east-1:4f6c2a9e-8b7d-4e3f-a1c2-9d8e7f6a5b4c");
    let seed = format!(
        r#"{{"AppInstanceUserEndpoints": [
            {{"AppInstanceUserArn": "{arn}", "EndpointId": "a/b c+d%e?f#g", "Type": "GCM", "ResourceArn": "arn:aws:mobiletargeting:us-east-1:1:apps/a",
              "EndpointAttributes": {{"DeviceToken": "t"}}, "EndpointState": {{"Status": "ACTIVE"}}}},
            {{"AppInstanceUserArn": "{arn}", "EndpointId": "ünï-ç😀", "Type": "APNS", "ResourceArn": "arn:aws:mobiletargeting:us-east-1:1:apps/a",
              "EndpointAttributes": {{"DeviceToken": "t2"}}, "EndpointState": {{"Status": "ACTIVE"}}}}
        ]}}"#
    );
    let emu = start(Store::from_seed_str(&seed, "inline").unwrap()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    for id in ["a/b c+d%e?f#g", "ünï-ç😀"] {
        let e = c.describe_endpoint(&arn, id).await.unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(e.endpoint_id.as_deref(), Some(id));
        assert_eq!(e.app_instance_user_arn.as_deref(), Some(arn.as_str()));
    }
    let page = c.page(list::Endpoints { user_arn: &arn }, None, None).await.unwrap();
    assert_eq!(page.items.len(), 2);
}

#[tokio::test]
async fn describe_user_and_instance_round_trip() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let seed = demo_seed();
    for want in seed["AppInstanceUsers"].as_array().unwrap() {
        let arn = want["AppInstanceUserArn"].as_str().unwrap();
        let got = c.describe_user(arn).await.unwrap();
        assert_eq!(got["AppInstanceUserArn"], want["AppInstanceUserArn"]);
        assert_eq!(got["Name"], want["Name"]);
        assert_eq!(got.get("Metadata"), want.get("Metadata"));
        assert_eq!(got.get("ExpirationSettings"), want.get("ExpirationSettings"));
        let created = want["CreatedTimestamp"].as_f64().unwrap();
        let rfc = chimescope::model::Timestamp::from_secs(created).rfc3339();
        assert_eq!(got["CreatedTimestamp"], Value::String(rfc));
    }
    for want in seed["AppInstances"].as_array().unwrap() {
        let arn = want["AppInstanceArn"].as_str().unwrap();
        let got = c.describe_instance(arn).await.unwrap();
        assert_eq!(got["AppInstanceArn"], want["AppInstanceArn"]);
        assert_eq!(got["Name"], want["Name"]);
        assert_eq!(got["Metadata"], want["Metadata"]);
    }
}

#[tokio::test]
async fn paging_across_several_pages_at_every_level() {
    let emu = start(big_store(130, 10, false)).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let inst = format!("arn:aws:chime:us-east-1:{ACCT}:app-instance/big");
    let u0 = format!("{inst}/user/u00000");

    // Endpoints: the 10 a user can have, in pages of 4 → 3 pages, in seed order, no duplicates.
    let mut pages = 0;
    let all = chimescope::jobs::paging::collect_all(Listing::Endpoints, |t| {
        pages += 1;
        c.page(list::Endpoints { user_arn: &u0 }, t, Some(4))
    })
    .await
    .unwrap();
    assert_eq!(pages, 3);
    let ids: Vec<_> = all.iter().map(|e| e.endpoint_id.clone().unwrap()).collect();
    assert_eq!(ids, (0..10).map(|k| format!("e{k:05}")).collect::<Vec<_>>());

    // Users: 130 in pages of 40 → 4 pages.
    let mut pages = 0;
    let users = chimescope::jobs::paging::collect_all(Listing::Users, |t| {
        pages += 1;
        c.page(list::Users { app_instance_arn: &inst }, t, Some(40))
    })
    .await
    .unwrap();
    assert_eq!((pages, users.len()), (4, 130));

    // Instances: 100 (99 seeded + the implicit "big") in pages of 40 → 3 pages.
    let mut pages = 0;
    let instances = chimescope::jobs::paging::collect_all(Listing::Instances, |t| {
        pages += 1;
        c.page(list::Instances, t, Some(40))
    })
    .await
    .unwrap();
    assert_eq!((pages, instances.len()), (3, 100));

    // The token is opaque and holds characters that must be percent-encoded.
    let first = c.page(list::Endpoints { user_arn: &u0 }, None, Some(4)).await.unwrap();
    let tok = first.next_token.unwrap();
    assert!(tok.contains('+') && tok.contains('/'), "{tok}");
}

#[tokio::test]
async fn validation_errors_are_bad_requests() {
    let emu = start(big_store(1, 3, false)).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let u0 = format!("arn:aws:chime:us-east-1:{ACCT}:app-instance/big/user/u00000");
    for bad in [0, 51, -1] {
        let e = c.page(list::Endpoints { user_arn: &u0 }, None, Some(bad)).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadRequest, "max-results {bad}: {e}");
        assert_eq!(e.http_status, Some(400));
        assert_eq!(e.exception, "BadRequestException");
    }
    let e = c.page(list::Endpoints { user_arn: &u0 }, Some("not-a-token".into()), None).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
    assert!(e.message.contains("next token"), "{e}");
}

#[tokio::test]
async fn invalid_input_is_refused_before_any_request() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let before = emu.request_count();
    for (arn, id) in [
        ("arn:aws:chime:us-east-1:1:app-instance/a", "ep"),
        ("not an arn", "ep"),
        (&user("u-42")[..], ""),
        (&user("u-42")[..], &"x".repeat(65)[..]),
        (&user("u-42")[..], "ep\u{1b}[2J"),
    ] {
        let e = c.describe_endpoint(arn, id).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput, "{arn} {id}: {e}");
        assert_eq!(chimescope::commands::exit::of(&e), 252);
    }
    assert_eq!(emu.request_count(), before, "nothing was sent");
}

#[tokio::test]
async fn unknown_resources_are_not_found() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let e = c.describe_endpoint(&user("u-42"), "nope").await.unwrap_err();
    assert_eq!((e.kind, e.http_status), (ErrorKind::NotFound, Some(404)));
    assert_eq!(e.exception, "NotFoundException");
    assert!(e.request_id.as_deref().is_some_and(|r| !r.is_empty()));
    let e = c.page(list::Endpoints { user_arn: &user("nobody") }, None, None).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    let e = c.describe_user(&user("nobody")).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn each_modelled_exception_lands_in_its_kind() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let cases = [
        ("bad-request", ErrorKind::BadRequest, 400, "BadRequestException"),
        ("unauthorized", ErrorKind::Unauthorized, 401, "UnauthorizedClientException"),
        ("forbidden", ErrorKind::Forbidden, 403, "ForbiddenException"),
        ("throttle", ErrorKind::Throttled, 429, "ThrottledClientException"),
        ("failure", ErrorKind::ServiceFailure, 500, "ServiceFailureException"),
        ("unavailable", ErrorKind::ServiceUnavailable, 503, "ServiceUnavailableException"),
        ("not-found", ErrorKind::NotFound, 404, "NotFoundException"),
    ];
    for (fault, kind, status, exception) in cases {
        emu.add_fault(Fault::parse(&format!("DescribeAppInstanceUserEndpoint:{fault}:1")).unwrap());
        let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
        assert_eq!(e.kind, kind, "{fault}: {e:?}");
        assert_eq!(e.http_status, Some(status), "{fault}");
        assert_eq!(e.exception, exception, "{fault}");
        assert!(!e.message.is_empty() && !e.hint.is_empty(), "{fault}");
        assert!(e.request_id.is_some(), "{fault}");
        assert_eq!(chimescope::commands::exit::of(&e), 254);
    }
    // The Forbidden hint names both causes.
    emu.add_fault(Fault::parse("*:forbidden:1").unwrap());
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert!(e.hint.contains("chime:DescribeAppInstanceUserEndpoint") && e.hint.contains("ARN"), "{}", e.hint);
    // And after the faults are used up, it answers again.
    assert!(c.describe_endpoint(&user("u-42"), "ep-1").await.is_ok());
}

#[tokio::test]
async fn broken_answers_are_classified() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    emu.add_fault(Fault::parse("*:malformed:1").unwrap());
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidResponse, "malformed: {e:?}");
    assert_eq!(chimescope::commands::exit::of(&e), 255);

    emu.add_fault(Fault::parse("*:truncated:1").unwrap());
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::InvalidResponse | ErrorKind::Network), "truncated: {e:?}");
    assert_eq!(chimescope::commands::exit::of(&e), 255);

    emu.add_fault(Fault::parse("*:drop:1").unwrap());
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "drop: {e:?}");
    assert_eq!(chimescope::commands::exit::of(&e), 255);
}

#[tokio::test]
async fn slow_beyond_the_timeout_is_a_timeout() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_millis(500)).await;
    emu.add_fault(Fault::parse("*:slow:5000:1").unwrap());
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e:?}");
    assert_eq!(chimescope::commands::exit::of(&e), 255);
}

#[tokio::test]
async fn slow_within_the_timeout_succeeds() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    emu.add_fault(Fault::parse("*:slow:200:1").unwrap());
    assert!(c.describe_endpoint(&user("u-42"), "ep-1").await.is_ok());
}

#[tokio::test]
async fn the_sdk_retries_throttling_and_5xx() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 3, Duration::from_secs(20)).await;
    emu.add_fault(Fault::parse("DescribeAppInstanceUserEndpoint:throttle:1").unwrap());
    emu.add_fault(Fault::parse("DescribeAppInstanceUserEndpoint:unavailable:1").unwrap());
    let before = emu.request_count();
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap();
    assert_eq!(e.endpoint_id.as_deref(), Some("ep-1"));
    assert_eq!(emu.request_count() - before, 3, "two retried failures, then the answer");
}

#[tokio::test]
async fn connection_refused_is_a_network_error() {
    // Bind, learn a free port, stop: nothing listens there now.
    let url = {
        let emu = start(Store::default()).await;
        let u = emu.url();
        emu.stop();
        drop(emu);
        u
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let c = Client::demo(&url, ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e:?}");
}

#[tokio::test]
async fn unsigned_requests_are_unauthorized() {
    let emu = start(Store::demo()).await;
    // A raw HTTP request without SigV4.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    s.write_all(b"GET /app-instances HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).await.unwrap();
    assert!(buf.starts_with("HTTP/1.1 401"), "{buf}");
    assert!(buf.to_ascii_lowercase().contains("x-amzn-errortype: unauthorizedclientexception"), "{buf}");
    assert!(buf.to_ascii_lowercase().contains("x-amzn-requestid: "), "{buf}");
}

#[tokio::test]
async fn requests_go_to_the_region_in_the_arn_unless_told_otherwise() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    let eu =
        "arn:aws:chime:eu-central-1:123456789012:app-instance/e0a1b2c3-d4e5-4f60-8718-293a4b5c6d7e/user/b-7";
    c.describe_endpoint(eu, "jm-1").await.unwrap();
    assert_eq!(emu.last_signing_region().as_deref(), Some("eu-central-1"));
    c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap();
    assert_eq!(emu.last_signing_region().as_deref(), Some("us-east-1"));

    let pinned = Client::demo(
        &emu.url(),
        ClientOptions { region: Some("eu-central-1".into()), max_attempts: 1, ..ClientOptions::default() },
    )
    .await;
    // The service is regional: a us-east-1 endpoint does not exist in eu-central-1.
    let e = pinned.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "{e:?}");
    assert_eq!(emu.last_signing_region().as_deref(), Some("eu-central-1"), "--region wins over the ARN");

    // ListAppInstances is regional: each region lists its own instances.
    let names = |p: chimescope::model::Page<chimescope::model::InstanceSummary>| {
        p.items.into_iter().map(|i| i.name.unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(names(pinned.page(list::Instances, None, None).await.unwrap()), ["Café Berlin Chat"]);
    assert_eq!(
        names(c.page(list::Instances, None, None).await.unwrap()),
        ["Acme Messenger (prod)", "Acme Messenger (staging)"]
    );
}

#[tokio::test]
async fn list_instances_forbidden_names_the_permission_not_an_arn() {
    let emu = start(Store::demo()).await;
    let c = client(&emu, 1, Duration::from_secs(10)).await;
    emu.add_fault(Fault::parse("ListAppInstances:forbidden:1").unwrap());
    let e = c.page(list::Instances, None, None).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert!(!e.hint.contains("ARN"), "ListAppInstances takes no ARN: {}", e.hint);
    assert!(e.hint.contains("chime:ListAppInstances"), "{}", e.hint);
    emu.add_fault(Fault::parse("ListAppInstanceUsers:not-found:1").unwrap());
    let e = c.page(list::Users { app_instance_arn: INSTANCE }, None, None).await.unwrap_err();
    assert!(e.hint.starts_with("no such app instance"), "{}", e.hint);
}

/// A loopback server answering every request with a 200 and a body that never ends.
async fn endless_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                let _ = s.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000000000\r\n\r\n{\"AppInstanceUserEndpoint\":{\"Name\":\"";
                if s.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'x'; 16 * 1024];
                while s.write_all(&chunk).await.is_ok() {}
            });
        }
    });
    url
}

#[tokio::test]
async fn an_oversized_answer_is_an_invalid_response() {
    let url = endless_server().await;
    let c = Client::demo(
        &url,
        ClientOptions {
            max_attempts: 1,
            max_response_bytes: 64 * 1024,
            timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        },
    )
    .await;
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidResponse, "{e:?}");
    assert!(e.message.contains("larger than"), "{e:?}");
    let e = c.page(list::Endpoints { user_arn: &user("u-42") }, None, None).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidResponse, "{e:?}");
}

#[tokio::test]
async fn a_region_that_cannot_be_a_host_name_is_refused_before_sending() {
    let emu = start(Store::demo()).await;
    let before = emu.request_count();
    let c = Client::demo(
        &emu.url(),
        ClientOptions { region: Some("us east 1".into()), ..ClientOptions::default() },
    )
    .await;
    let e = c.describe_endpoint(&user("u-42"), "ep-1").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput, "{e:?}");
    assert!(e.message.contains("is not a region name") && !e.message.contains("interceptor"), "{e:?}");
    assert_eq!(emu.request_count(), before, "nothing was sent");
}

#[tokio::test]
async fn region_warnings_name_the_mismatch_and_the_missing_endpoint() {
    // No request is made: the warnings come from the settings and the ARN alone.
    let c =
        Client::new(ClientOptions { region: Some("eu-central-1".into()), ..ClientOptions::default() }).await;
    let w = chimescope::commands::client::region_warnings(&c, "us-east-1");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("--region eu-central-1 differs from the ARN's region us-east-1"), "{w:?}");
    let c = Client::new(ClientOptions { endpoint_url: None, ..ClientOptions::default() }).await;
    let w = chimescope::commands::client::region_warnings(&c, "ap-south-1");
    assert!(
        w.iter().any(
            |w| w.starts_with("the ARN's region has no Identity endpoint (only us-east-1, eu-central-1)")
        ),
        "{w:?}"
    );
}
