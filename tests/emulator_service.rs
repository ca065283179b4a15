#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The emulator as the whole service, through the Rust SDK directly (the product's writes will
//! stand on this): Register/Update/Deregister with idempotency, limits and conflicts; the
//! admin API (reset, requests, faults, clock); expirations by the clock; quotas by the clock;
//! regions; `--state` surviving SIGKILL.

#[path = "common/emu.rs"]
mod emu;

use aws_sdk_chimesdkidentity::Client;
use aws_sdk_chimesdkidentity::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_chimesdkidentity::error::ProvideErrorMetadata;
use aws_sdk_chimesdkidentity::types::{
    AllowMessages, AppInstanceUserEndpointType, EndpointAttributes, ExpirationCriterion, ExpirationSettings,
};
use chimescope::emulator::{self, Emulator, Store};
use emu::{EmuProc, INSTANCE, U42, admin};

const PINPOINT: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef";

fn sdk(url: &str, region: &str, key: &str) -> Client {
    let conf = aws_sdk_chimesdkidentity::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(url)
        .credentials_provider(Credentials::new(key, "secret", None, None, "test"))
        .retry_config(aws_sdk_chimesdkidentity::config::retry::RetryConfig::disabled())
        .build();
    Client::from_conf(conf)
}

async fn start(opts: emulator::Options) -> Emulator {
    Emulator::start(opts).await.expect("emulator starts")
}

fn code<E: ProvideErrorMetadata, R>(e: &aws_sdk_chimesdkidentity::error::SdkError<E, R>) -> String {
    e.as_service_error().and_then(|s| s.code()).unwrap_or("(not a service error)").to_string()
}

fn attrs(token: &str) -> EndpointAttributes {
    EndpointAttributes::builder().device_token(token).build().unwrap()
}

async fn new_user(c: &Client, id: &str) -> String {
    c.create_app_instance_user()
        .app_instance_arn(INSTANCE)
        .app_instance_user_id(id)
        .name(id)
        .send()
        .await
        .unwrap()
        .app_instance_user_arn
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_update_deregister_through_the_sdk() {
    let emu = start(emulator::Options { store: Store::demo(), ..Default::default() }).await;
    let c = sdk(&emu.url(), "us-east-1", "AKIDTEST");
    let user = new_user(&c, "writer-1").await;
    let reg = |token: &str, crt: &str| {
        c.register_app_instance_user_endpoint()
            .app_instance_user_arn(&user)
            .r#type(AppInstanceUserEndpointType::Apns)
            .resource_arn(PINPOINT)
            .endpoint_attributes(attrs(token))
            .name("iPhone")
            .client_request_token(crt)
    };
    let first = reg("aa01", "token-1").send().await.unwrap();
    let id = first.endpoint_id.clone().unwrap();
    assert_eq!(first.app_instance_user_arn.as_deref(), Some(user.as_str()));
    assert_eq!(id.len(), 36, "a UUID: {id}");
    // The same token and input: the same answer, nothing new.
    let again = reg("aa01", "token-1").send().await.unwrap();
    assert_eq!(again.endpoint_id.as_deref(), Some(id.as_str()));
    // The same token with another input: the service's error.
    let e = reg("bb02", "token-1").send().await.unwrap_err();
    assert_eq!(code(&e), "ConflictException");
    // The same device token and type under a new request token: Conflict (409).
    let e = reg("aa01", "token-2").send().await.unwrap_err();
    assert_eq!(code(&e), "ConflictException");
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(409));
    // The same device token as another type is another endpoint.
    c.register_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .r#type(AppInstanceUserEndpointType::ApnsSandbox)
        .resource_arn(PINPOINT)
        .endpoint_attributes(attrs("aa01"))
        .send()
        .await
        .unwrap();
    let listed = c.list_app_instance_user_endpoints().app_instance_user_arn(&user).send().await.unwrap();
    assert_eq!(listed.app_instance_user_endpoints().len(), 2);

    let before = c
        .describe_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .endpoint_id(&id)
        .send()
        .await
        .unwrap();
    let before = before.app_instance_user_endpoint.unwrap();
    assert_eq!(before.allow_messages, Some(AllowMessages::All));
    assert_eq!(before.endpoint_state.as_ref().map(|s| s.status.as_str()), Some("ACTIVE"));
    assert!(before.created_timestamp.is_some());
    c.update_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .endpoint_id(&id)
        .name("old iPhone")
        .allow_messages(AllowMessages::None)
        .send()
        .await
        .unwrap();
    let after = c
        .describe_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .endpoint_id(&id)
        .send()
        .await
        .unwrap();
    let after = after.app_instance_user_endpoint.unwrap();
    assert_eq!(after.name.as_deref(), Some("old iPhone"));
    assert_eq!(after.allow_messages, Some(AllowMessages::None));
    assert_eq!(after.endpoint_attributes, before.endpoint_attributes, "only Name and AllowMessages change");
    assert_eq!(after.r#type, before.r#type);
    assert_eq!(after.created_timestamp, before.created_timestamp);

    let out =
        c.deregister_app_instance_user_endpoint().app_instance_user_arn(&user).endpoint_id(&id).send().await;
    assert_eq!(out.map(|_| ()).map_err(|e| code(&e)), Ok(()));
    let e = c
        .describe_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .endpoint_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NotFoundException");
    let e = c
        .deregister_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .endpoint_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NotFoundException");

    // Ten endpoints a user; the eleventh is refused.
    for k in 1..=9 {
        reg(&format!("t{k:02}"), &format!("crt-{k}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{k}: {}", code(&e)));
    }
    let e = reg("t10", "crt-10").send().await.unwrap_err();
    assert_eq!(code(&e), "ResourceLimitExceededException");
    // A Pinpoint app is what ResourceArn names.
    let e = c
        .register_app_instance_user_endpoint()
        .app_instance_user_arn(U42)
        .r#type(AppInstanceUserEndpointType::Gcm)
        .resource_arn("arn:aws:chime:us-east-1:123456789012:app-instance/x")
        .endpoint_attributes(attrs("zz"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "BadRequestException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regions_are_apart_and_only_two_exist() {
    let emu = start(emulator::Options { store: Store::demo(), ..Default::default() }).await;
    let eu = sdk(&emu.url(), "eu-central-1", "AKIDTEST");
    let made = eu.create_app_instance().name("EU").send().await.unwrap().app_instance_arn.unwrap();
    assert!(made.starts_with("arn:aws:chime:eu-central-1:123456789012:app-instance/"), "{made}");
    let us = sdk(&emu.url(), "us-east-1", "AKIDTEST");
    let e = us.describe_app_instance().app_instance_arn(&made).send().await.unwrap_err();
    assert_eq!(code(&e), "NotFoundException");
    let listed = us.list_app_instances().send().await.unwrap();
    assert!(
        listed.app_instances().iter().all(|i| !i.app_instance_arn().unwrap_or("").contains("eu-central-1"))
    );
    let west = sdk(&emu.url(), "us-west-2", "AKIDTEST");
    let e = west.list_app_instances().send().await.unwrap_err();
    assert_eq!(code(&e), "ForbiddenException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_see_only_their_own_resources() {
    let mut accounts = std::collections::HashMap::new();
    accounts.insert("AKIDB".to_string(), "210987654321".to_string());
    let emu = start(emulator::Options { store: Store::demo(), accounts, ..Default::default() }).await;
    let b = sdk(&emu.url(), "us-east-1", "AKIDB");
    assert!(b.list_app_instances().send().await.unwrap().app_instances().is_empty());
    let mine = b.create_app_instance().name("B").send().await.unwrap().app_instance_arn.unwrap();
    assert!(mine.contains(":210987654321:app-instance/"), "{mine}");
    let e = b.describe_app_instance().app_instance_arn(INSTANCE).send().await.unwrap_err();
    assert_eq!(code(&e), "ForbiddenException");
    let a = sdk(&emu.url(), "us-east-1", "AKIDTEST");
    let e = a.describe_app_instance().app_instance_arn(&mine).send().await.unwrap_err();
    assert_eq!(code(&e), "ForbiddenException");
    assert_eq!(a.list_app_instances().send().await.unwrap().app_instances().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_expire_when_the_clock_passes_their_expiration() {
    let emu = start(emulator::Options { store: Store::demo(), ..Default::default() }).await;
    let c = sdk(&emu.url(), "us-east-1", "AKIDTEST");
    let user = c
        .create_app_instance_user()
        .app_instance_arn(INSTANCE)
        .app_instance_user_id("short-lived")
        .name("Temp")
        .expiration_settings(
            ExpirationSettings::builder()
                .expiration_days(1)
                .expiration_criterion(ExpirationCriterion::CreatedTimestamp)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .app_instance_user_arn
        .unwrap();
    c.describe_app_instance_user().app_instance_user_arn(&user).send().await.unwrap();
    let (st, now) = admin(&emu.url(), "POST", "clock", r#"{"Seconds": 86000}"#);
    assert_eq!(st, 200, "{now}");
    c.describe_app_instance_user().app_instance_user_arn(&user).send().await.unwrap();
    admin(&emu.url(), "POST", "clock", r#"{"Seconds": 500}"#);
    let e = c.describe_app_instance_user().app_instance_user_arn(&user).send().await.unwrap_err();
    assert_eq!(code(&e), "NotFoundException", "a day after its creation the user is gone");
    // The seed's own users were past due before the emulator started: kept as seeded.
    c.describe_app_instance_user()
        .app_instance_user_arn(format!("{INSTANCE}/user/u-1001"))
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api_resets_logs_injects_and_refuses_the_unknown() {
    let emu = start(emulator::Options { store: Store::demo(), ..Default::default() }).await;
    let url = emu.url();
    let c = sdk(&url, "us-east-1", "AKIDTEST");
    let user = new_user(&c, "admin-test").await;
    c.register_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .r#type(AppInstanceUserEndpointType::Gcm)
        .resource_arn(PINPOINT)
        .endpoint_attributes(attrs("SECRET-DEVICE-TOKEN"))
        .name("SECRET-NAME")
        .send()
        .await
        .unwrap();
    let (st, log) = admin(&url, "GET", "requests", "");
    assert_eq!(st, 200);
    let reqs = log["Requests"].as_array().unwrap();
    assert_eq!(reqs.len(), 2, "{log}");
    assert_eq!(reqs[1]["Operation"], "RegisterAppInstanceUserEndpoint");
    assert_eq!(reqs[1]["Status"], 201);
    assert_eq!(reqs[0]["Status"], 201);
    for r in reqs {
        assert_eq!(r["RequestId"].as_str().unwrap().len(), 36);
        assert!(r["LatencyMs"].is_number() && r["Time"].is_number(), "{r}");
    }
    let text = log.to_string();
    assert!(!text.contains("SECRET"), "no secret in the request log: {text}");

    // Faults as --fault has them.
    let (st, _) = admin(&url, "POST", "faults", r#"{"Fault": "DescribeAppInstanceUser:throttle:1"}"#);
    assert_eq!(st, 200);
    let e = c.describe_app_instance_user().app_instance_user_arn(&user).send().await.unwrap_err();
    assert_eq!(code(&e), "ThrottledClientException");
    let (st, body) = admin(&url, "POST", "faults", r#"{"Fault": "Nope:throttle"}"#);
    assert_eq!(st, 400, "{body}");
    admin(&url, "POST", "faults", r#"{"Fault": "*:failure"}"#);
    assert!(c.list_app_instances().send().await.is_err());
    admin(&url, "POST", "faults", r#"{"Faults": []}"#);
    c.list_app_instances().send().await.unwrap();

    // Reset: back to the seed.
    let (st, _) = admin(&url, "POST", "reset", "");
    assert_eq!(st, 200);
    let e = c.describe_app_instance_user().app_instance_user_arn(&user).send().await.unwrap_err();
    assert_eq!(code(&e), "NotFoundException");
    assert_eq!(emu.snapshot().user_total(), Store::demo().user_total());

    let (st, _) = admin(&url, "POST", "clock", r#"{"Seconds": -5}"#);
    assert_eq!(st, 400);
    let (st, _) = admin(&url, "GET", "nothing", "");
    assert_eq!(st, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotas_throttle_by_the_emulators_clock() {
    let quotas = vec![("DescribeAppInstance".to_string(), 0.001), ("*".to_string(), 1000.0)];
    let emu = start(emulator::Options { store: Store::demo(), quotas, ..Default::default() }).await;
    let c = sdk(&emu.url(), "us-east-1", "AKIDTEST");
    let d = || c.describe_app_instance().app_instance_arn(INSTANCE).send();
    d().await.unwrap();
    let e = d().await.unwrap_err();
    assert_eq!(code(&e), "ThrottledClientException");
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(429));
    // Other operations have their own bucket.
    c.list_app_instances().send().await.unwrap();
    // One request per 1,000 s: a second of the clock is not enough, 1,000 are.
    emu.advance_clock(1.0).unwrap();
    assert_eq!(code(&d().await.unwrap_err()), "ThrottledClientException");
    emu.advance_clock(1000.0).unwrap();
    d().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_survives_sigkill_after_an_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let path = state.to_str().unwrap().to_string();
    let mut first = EmuProc::start(&["--state", &path]);
    assert!(state.exists(), "the state file is written at start");
    let c = sdk(&first.url, "us-east-1", "AKIDTEST");
    let user = new_user(&c, "persisted").await;
    let id = c
        .register_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .r#type(AppInstanceUserEndpointType::Gcm)
        .resource_arn(PINPOINT)
        .endpoint_attributes(attrs("tok"))
        .send()
        .await
        .unwrap()
        .endpoint_id
        .unwrap();
    c.delete_app_instance_user().app_instance_user_arn(format!("{INSTANCE}/user/u-42")).send().await.unwrap();
    first.kill9();
    // The file is a seed (the writes since are in its journal), and both are private.
    Store::from_seed_file(&state).unwrap();
    #[cfg(unix)]
    for f in [state.clone(), dir.path().join("state.json.journal")] {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&f).unwrap().permissions().mode() & 0o777, 0o600, "{f:?}");
    }
    let second = EmuProc::start(&["--state", &path]);
    let c = sdk(&second.url, "us-east-1", "AKIDTEST");
    let got = c
        .describe_app_instance_user_endpoint()
        .app_instance_user_arn(&user)
        .endpoint_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.app_instance_user_endpoint.unwrap().endpoint_attributes.unwrap().device_token(), "tok");
    let e = c.describe_app_instance_user().app_instance_user_arn(U42).send().await.unwrap_err();
    assert_eq!(code(&e), "NotFoundException", "the delete was persisted too");
    // Reset goes back to the seed, not to the state file, and is persisted.
    admin(&second.url, "POST", "reset", "");
    c.describe_app_instance_user().app_instance_user_arn(U42).send().await.unwrap();
    assert!(Store::from_seed_file(&state).unwrap().user(U42).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_bots_retention_and_tags_belong_to_their_instance() {
    let emu = start(emulator::Options { store: Store::demo(), ..Default::default() }).await;
    let c = sdk(&emu.url(), "us-east-1", "AKIDTEST");
    let other = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab";
    // The staging instance: no admins or tags in the demo seed.
    let qa1 = format!("{other}/user/qa-1");
    // A user of another instance cannot be this one's admin.
    let e = c
        .create_app_instance_admin()
        .app_instance_arn(other)
        .app_instance_admin_arn(U42)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "BadRequestException");
    c.create_app_instance_admin().app_instance_arn(other).app_instance_admin_arn(&qa1).send().await.unwrap();
    let e = c
        .create_app_instance_admin()
        .app_instance_arn(other)
        .app_instance_admin_arn(&qa1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ConflictException");
    let tags: Vec<_> = (0..50)
        .map(|k| {
            aws_sdk_chimesdkidentity::types::Tag::builder().key(format!("k{k}")).value("v").build().unwrap()
        })
        .collect();
    c.tag_resource().resource_arn(other).set_tags(Some(tags)).send().await.unwrap();
    let one = aws_sdk_chimesdkidentity::types::Tag::builder().key("k50").value("v").build().unwrap();
    let e = c.tag_resource().resource_arn(other).tags(one.clone()).send().await.unwrap_err();
    assert_eq!(code(&e), "ResourceLimitExceededException", "the 51st tag");
    let again = aws_sdk_chimesdkidentity::types::Tag::builder().key("k0").value("w").build().unwrap();
    c.tag_resource().resource_arn(other).tags(again).send().await.unwrap();
    let listed = c.list_tags_for_resource().resource_arn(other).send().await.unwrap();
    assert_eq!(listed.tags().len(), 50);
    assert_eq!(listed.tags()[0].value(), "w", "a key set again is replaced");
    let e =
        c.tag_resource().resource_arn(format!("{INSTANCE}/user/nobody")).tags(one).send().await.unwrap_err();
    assert_eq!(code(&e), "NotFoundException");
}

/// The demo seed's staging instance has a user one registration short of the 10-endpoint
/// quota: the 10th registration is accepted, the 11th refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_user_at_nine_endpoints_takes_one_more() {
    let emu = start(emulator::Options { store: Store::demo(), ..Default::default() }).await;
    let c = sdk(&emu.url(), "us-east-1", "AKIDTEST");
    let user = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab/user/qa-limit";
    let listed = c.list_app_instance_user_endpoints().app_instance_user_arn(user).send().await.unwrap();
    assert_eq!(listed.app_instance_user_endpoints().len(), 9);
    let reg = |token: &'static str| {
        c.register_app_instance_user_endpoint()
            .app_instance_user_arn(user)
            .r#type(AppInstanceUserEndpointType::ApnsSandbox)
            .resource_arn(PINPOINT)
            .endpoint_attributes(attrs(token))
    };
    reg("ab10").send().await.unwrap();
    let e = reg("ab11").send().await.unwrap_err();
    assert_eq!(code(&e), "ResourceLimitExceededException");
}
