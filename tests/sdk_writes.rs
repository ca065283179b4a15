#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The endpoint writes through chimescope's client layer (the real Rust SDK) against the
//! emulator over loopback: each effect read back, each write failure classified with its hint.

#[path = "common/emu.rs"]
mod emu;

use chimescope::aws::{Client, ClientOptions};
use chimescope::emulator::{self, Emulator, Fault, Store};
use chimescope::model::write::{EndpointUpdate, Registration, Write};
use chimescope::model::{AllowMessages, EndpointType, ErrorKind};
use emu::{INSTANCE, U42};
use std::time::Duration;

const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";
const QA_LIMIT: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab/user/qa-limit";

async fn start() -> (Emulator, Client) {
    let emu = Emulator::start(emulator::Options { store: Store::demo(), ..Default::default() })
        .await
        .expect("emulator starts");
    let c = Client::demo(
        &emu.url(),
        ClientOptions { max_attempts: 1, timeout: Duration::from_secs(10), ..ClientOptions::default() },
    )
    .await;
    (emu, c)
}

fn reg(user: &str, token: &str, crt: &str) -> Registration {
    Registration {
        user_arn: user.into(),
        endpoint_type: EndpointType::Gcm,
        resource_arn: APP.into(),
        device_token: token.into(),
        voip_device_token: None,
        name: Some("tablet".into()),
        allow_messages: None,
        client_request_token: crt.into(),
    }
}

#[tokio::test]
async fn register_update_deregister_round_trip() {
    let (_emu, c) = start().await;
    let w = c.write(&Write::Register(reg(U42, "fcm-new-token", "crt-1"))).await.unwrap();
    assert_eq!(w.user_arn, U42);
    let e = c.describe_endpoint(U42, &w.endpoint_id).await.unwrap();
    assert_eq!(e.device_token.as_deref(), Some("fcm-new-token"));
    assert_eq!(e.name.as_deref(), Some("tablet"));
    assert_eq!(e.allow_messages, Some(AllowMessages::All));
    // The same token again: the same answer, nothing new (idempotent).
    let again = c.write(&Write::Register(reg(U42, "fcm-new-token", "crt-1"))).await.unwrap();
    assert_eq!(again.endpoint_id, w.endpoint_id);
    let up = EndpointUpdate {
        user_arn: U42.into(),
        endpoint_id: w.endpoint_id.clone(),
        name: None,
        allow_messages: Some(AllowMessages::None),
    };
    c.write(&Write::Update(up)).await.unwrap();
    let e = c.describe_endpoint(U42, &w.endpoint_id).await.unwrap();
    assert_eq!(e.allow_messages, Some(AllowMessages::None));
    assert_eq!(e.name.as_deref(), Some("tablet"), "an update leaves what it does not name");
    c.write(&Write::Deregister { user_arn: U42.into(), endpoint_id: w.endpoint_id.clone() }).await.unwrap();
    let gone = c.describe_endpoint(U42, &w.endpoint_id).await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn a_duplicate_token_is_a_conflict_and_the_eleventh_endpoint_a_limit() {
    let (_emu, c) = start().await;
    let first = c.write(&Write::Register(reg(U42, "dup-token", "crt-a"))).await.unwrap();
    let e = c.write(&Write::Register(reg(U42, "dup-token", "crt-b"))).await.unwrap_err();
    assert_eq!((e.kind, e.http_status), (ErrorKind::Conflict, Some(409)), "{e:?}");
    assert!(e.hint.contains("device token") && e.hint.contains("nothing was registered"), "{}", e.hint);
    assert!(!e.message.contains("dup-token"), "the token is a secret: {}", e.message);
    let _ = first;
    c.write(&Write::Register(reg(QA_LIMIT, "tenth", "crt-10"))).await.unwrap();
    let e = c.write(&Write::Register(reg(QA_LIMIT, "eleventh", "crt-11"))).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::ResourceLimitExceeded, "{e:?}");
    assert!(e.hint.contains("10") && e.hint.contains("deregister"), "{}", e.hint);
}

#[tokio::test]
async fn forbidden_names_the_iam_action_and_throttling_says_so() {
    let (emu, c) = start().await;
    let cases = [
        ("RegisterAppInstanceUserEndpoint", Write::Register(reg(U42, "t-forbidden", "crt-f"))),
        (
            "UpdateAppInstanceUserEndpoint",
            Write::Update(EndpointUpdate {
                user_arn: U42.into(),
                endpoint_id: "ep-1".into(),
                name: Some("x".into()),
                allow_messages: None,
            }),
        ),
        (
            "DeregisterAppInstanceUserEndpoint",
            Write::Deregister { user_arn: U42.into(), endpoint_id: "ep-1".into() },
        ),
    ];
    for (op, w) in &cases {
        emu.add_fault(Fault::parse(&format!("{op}:forbidden:1")).unwrap());
        let e = c.write(w).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Forbidden, "{op}");
        assert!(e.hint.contains(&format!("chime:{op}")), "{op}: {}", e.hint);
        emu.add_fault(Fault::parse(&format!("{op}:throttle:1")).unwrap());
        let e = c.write(w).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Throttled, "{op}");
        assert!(e.hint.contains("throttling"), "{op}: {}", e.hint);
    }
    // Nothing was applied by the failed writes: ep-1 is still there, unchanged.
    let e = c.describe_endpoint(U42, "ep-1").await.unwrap();
    assert_ne!(e.name.as_deref(), Some("x"));
}

#[tokio::test]
async fn invalid_input_is_refused_before_anything_is_sent() {
    let (emu, c) = start().await;
    let before = emu.requests().len();
    let bad = Registration { resource_arn: INSTANCE.to_string(), ..reg(U42, "t", "crt-x") };
    let e = c.write(&Write::Register(bad)).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput);
    assert!(e.message.starts_with("--resource-arn"), "{}", e.message);
    assert_eq!(emu.requests().len(), before, "nothing reached the service");
}
