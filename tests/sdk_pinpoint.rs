#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The Pinpoint reads through the real SDK (`aws-sdk-pinpoint`, and chimescope's client layer)
//! against the emulator over loopback: the six operations as seeded, each NotFound and
//! Forbidden, injected faults, signature checks, and the demo seed's apps giving every
//! `pinpoint-*` finding at least once.

#[path = "common/emu.rs"]
mod emu;

use aws_sdk_pinpoint as pp;
use chimescope::aws::{Client, ClientOptions};
use chimescope::doctor::pinpoint;
use chimescope::emulator::{self, Credentials, Emulator, Fault, Store};
use chimescope::model::{ErrorKind, PinpointChannel};
use serde_json::json;
use std::collections::BTreeSet;

const APP_ID: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const HALF_ID: &str = "aaaa0000bbbb1111cccc2222dddd3333";
const DENIED_ID: &str = "de1ed0de1ed0de1ed0de1ed0de1ed0de";
const SERVER_KEY: &str = "AIzaSyLEGACY-server-key-never-answered";

fn seed() -> Store {
    let app = |id: &str| format!("arn:aws:mobiletargeting:us-east-1:123456789012:apps/{id}");
    let seed = json!({"PinpointApps": [
        {"Arn": app(APP_ID), "Name": "Chat iOS", "CreationDate": "2024-01-02T03:04:05.000Z", "tags": {"team": "chat"},
         "Channels": {
            "APNS": {"Enabled": true, "DefaultAuthenticationMethod": "TOKEN", "HasTokenKey": true},
            "APNS_SANDBOX": {"Enabled": false},
            "APNS_VOIP": {"Enabled": true, "IsArchived": true},
            "APNS_VOIP_SANDBOX": {"Enabled": true, "Version": 3},
            "GCM": {"Enabled": true, "DefaultAuthenticationMethod": "KEY", "HasCredential": true,
                    "HasFcmServiceCredentials": false, "Credential": SERVER_KEY}}},
        {"Arn": app(HALF_ID), "Name": "No channels"},
        {"Arn": app(DENIED_ID), "Name": "Locked", "Channels": {"GCM": {"Enabled": true}},
         "DeniedOperations": ["GetApp", "GetApnsChannel", "GetApnsSandboxChannel", "GetApnsVoipChannel",
                              "GetApnsVoipSandboxChannel", "GetGcmChannel"]}
    ]});
    Store::from_seed_str(&seed.to_string(), "pinpoint seed").unwrap()
}

async fn start(store: Store, credentials: Credentials) -> Emulator {
    Emulator::start(emulator::Options { store, credentials, ..Default::default() }).await.unwrap()
}

fn sdk(url: &str, region: &str, secret: &str) -> pp::Client {
    let conf = pp::Config::builder()
        .behavior_version(pp::config::BehaviorVersion::latest())
        .region(pp::config::Region::new(region.to_string()))
        .endpoint_url(url)
        .credentials_provider(pp::config::Credentials::new("AKIDTEST", secret, None, None, "test"))
        .retry_config(pp::config::retry::RetryConfig::standard().with_max_attempts(1))
        .build();
    pp::Client::from_conf(conf)
}

fn code<E: pp::error::ProvideErrorMetadata + std::fmt::Debug>(
    e: &pp::error::SdkError<E, pp::config::http::HttpResponse>,
) -> String {
    match e {
        pp::error::SdkError::ServiceError(s) => s.err().code().unwrap_or("").to_string(),
        other => format!("not a service error: {other:?}"),
    }
}

#[tokio::test]
async fn the_sdk_reads_the_app_and_every_channel_as_seeded() {
    let emu = start(seed(), Credentials::default()).await;
    let c = sdk(&emu.url(), "us-east-1", "secret");
    let app = c.get_app().application_id(APP_ID).send().await.unwrap();
    let a = app.application_response().unwrap();
    assert_eq!(a.name(), Some("Chat iOS"));
    assert_eq!(a.id(), Some(APP_ID));
    assert_eq!(
        a.arn(),
        Some(format!("arn:aws:mobiletargeting:us-east-1:123456789012:apps/{APP_ID}").as_str())
    );
    assert_eq!(a.creation_date(), Some("2024-01-02T03:04:05.000Z"));
    assert_eq!(a.tags().and_then(|t| t.get("team")).map(String::as_str), Some("chat"));

    let apns = c.get_apns_channel().application_id(APP_ID).send().await.unwrap();
    let r = apns.apns_channel_response().unwrap();
    assert_eq!((r.enabled(), r.has_token_key(), r.platform()), (Some(true), Some(true), Some("APNS")));
    assert_eq!(r.default_authentication_method(), Some("TOKEN"));
    assert_eq!(r.application_id(), Some(APP_ID));
    let sb = c.get_apns_sandbox_channel().application_id(APP_ID).send().await.unwrap();
    assert_eq!(sb.apns_sandbox_channel_response().unwrap().enabled(), Some(false));
    let voip = c.get_apns_voip_channel().application_id(APP_ID).send().await.unwrap();
    assert_eq!(voip.apns_voip_channel_response().unwrap().is_archived(), Some(true));
    let vs = c.get_apns_voip_sandbox_channel().application_id(APP_ID).send().await.unwrap();
    let vs = vs.apns_voip_sandbox_channel_response().unwrap();
    assert_eq!((vs.version(), vs.platform()), (Some(3), Some("APNS_VOIP_SANDBOX")));
    let gcm = c.get_gcm_channel().application_id(APP_ID).send().await.unwrap();
    let g = gcm.gcm_channel_response().unwrap();
    assert_eq!(g.default_authentication_method(), Some("KEY"));
    assert_eq!((g.has_credential(), g.has_fcm_service_credentials()), (Some(true), Some(false)));
    assert_eq!(g.credential(), None, "the server key is write-only");
}

#[tokio::test]
async fn each_read_answers_not_found_for_a_missing_app_or_channel() {
    let emu = start(seed(), Credentials::default()).await;
    let c = sdk(&emu.url(), "us-east-1", "secret");
    let e = c.get_app().application_id("nope").send().await.unwrap_err();
    assert!(e.as_service_error().is_some_and(|s| s.is_not_found_exception()), "{e:?}");
    // The app lives in us-east-1 only.
    let eu = sdk(&emu.url(), "eu-central-1", "secret");
    let e = eu.get_app().application_id(APP_ID).send().await.unwrap_err();
    assert_eq!(code(&e), "NotFoundException");
    for id in [HALF_ID, "nope"] {
        macro_rules! nf {
            ($call:ident) => {{
                let e = c.$call().application_id(id).send().await.unwrap_err();
                assert!(
                    e.as_service_error().is_some_and(|s| s.is_not_found_exception()),
                    "{} {id}: {e:?}",
                    stringify!($call)
                );
                let raw = e.raw_response().unwrap();
                assert_eq!(raw.status().as_u16(), 404);
                assert_eq!(raw.headers().get("x-amzn-ErrorType"), Some("NotFoundException"));
            }};
        }
        nf!(get_apns_channel);
        nf!(get_apns_sandbox_channel);
        nf!(get_apns_voip_channel);
        nf!(get_apns_voip_sandbox_channel);
        nf!(get_gcm_channel);
    }
}

// The admin API helper blocks: the emulator needs a thread of its own meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_read_answers_forbidden_when_denied_or_injected() {
    let emu = start(seed(), Credentials::default()).await;
    let c = sdk(&emu.url(), "us-east-1", "secret");
    macro_rules! forbidden {
        ($call:ident, $id:expr) => {{
            let e = c.$call().application_id($id).send().await.unwrap_err();
            assert!(
                e.as_service_error().is_some_and(|s| s.is_forbidden_exception()),
                "{}: {e:?}",
                stringify!($call)
            );
            assert_eq!(e.raw_response().unwrap().status().as_u16(), 403);
        }};
    }
    forbidden!(get_app, DENIED_ID);
    forbidden!(get_apns_channel, DENIED_ID);
    forbidden!(get_apns_sandbox_channel, DENIED_ID);
    forbidden!(get_apns_voip_channel, DENIED_ID);
    forbidden!(get_apns_voip_sandbox_channel, DENIED_ID);
    forbidden!(get_gcm_channel, DENIED_ID);
    // Injected, through the library and through the admin API.
    emu.add_fault(Fault::parse("GetApp:forbidden:1").unwrap());
    forbidden!(get_app, APP_ID);
    c.get_app().application_id(APP_ID).send().await.expect("the fault was spent");
    let (status, _) = emu::admin(&emu.url(), "POST", "faults", r#"{"Fault": "GetGcmChannel:throttle:1"}"#);
    assert_eq!(status, 200);
    let e = c.get_gcm_channel().application_id(APP_ID).send().await.unwrap_err();
    assert!(e.as_service_error().is_some_and(|s| s.is_too_many_requests_exception()), "{e:?}");
    let log = emu.requests();
    assert!(log.iter().any(|r| r.operation == "GetGcmChannel" && r.status == 429), "{log:?}");
}

#[tokio::test]
async fn signatures_are_checked_for_pinpoint_too() {
    let mut creds = Credentials::default();
    creds.add("AKIDTEST", "right-secret");
    let emu = start(seed(), creds).await;
    let ok = sdk(&emu.url(), "us-east-1", "right-secret");
    ok.get_app().application_id(APP_ID).send().await.expect("a good signature is served");
    let bad = sdk(&emu.url(), "us-east-1", "wrong-secret");
    let e = bad.get_app().application_id(APP_ID).send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidSignatureException");
    assert_eq!(e.raw_response().unwrap().status().as_u16(), 403);
    let before = emu.request_count();
    emu.add_fault(Fault::parse("*:failure").unwrap());
    let e = bad.get_gcm_channel().application_id(APP_ID).send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidSignatureException", "faults are spent only by authenticated requests");
    assert_eq!(emu.request_count(), before + 1);
}

async fn client(emu: &Emulator) -> Client {
    Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await
}

#[tokio::test]
async fn the_client_layer_classifies_not_found_and_forbidden_and_drops_the_credential() {
    let emu = start(seed(), Credentials::default()).await;
    let c = client(&emu).await;
    let app = c.get_app("us-east-1", APP_ID).await.unwrap();
    assert_eq!(app.name.as_deref(), Some("Chat iOS"));
    let g = c.get_channel("us-east-1", APP_ID, PinpointChannel::Gcm).await.unwrap();
    assert_eq!(g.default_authentication_method.as_deref(), Some("KEY"));
    assert!(!format!("{g:?}").contains(SERVER_KEY));
    let e = c.get_app("us-east-1", "nope").await.unwrap_err();
    assert_eq!(
        (e.kind, e.exception.as_str(), e.http_status),
        (ErrorKind::NotFound, "NotFoundException", Some(404))
    );
    assert!(e.request_id.is_some(), "{e:?}");
    for &ch in PinpointChannel::ALL {
        let e = c.get_channel("us-east-1", HALF_ID, ch).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound, "{ch:?}");
        let e = c.get_channel("us-east-1", DENIED_ID, ch).await.unwrap_err();
        assert_eq!((e.kind, e.exception.as_str()), (ErrorKind::Forbidden, "ForbiddenException"), "{ch:?}");
        assert!(e.message.contains(&format!("mobiletargeting:{}", ch.operation())), "{}", e.message);
    }
    let e = c.get_app("us east 1", APP_ID).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInput, "nothing is sent to a region that is no host name");
}

#[tokio::test]
async fn every_pinpoint_finding_appears_in_the_demo() {
    let emu = start(Store::demo(), Credentials::default()).await;
    let c = client(&emu).await;
    let seed = emu::demo_seed();
    let mut seen = BTreeSet::new();
    for want in seed["AppInstanceUserEndpoints"].as_array().unwrap() {
        let arn = want["AppInstanceUserArn"].as_str().unwrap();
        let id = want["EndpointId"].as_str().unwrap();
        let ep = c.describe_endpoint(arn, id).await.unwrap();
        let Some(plan) = pinpoint::plan(&ep) else { continue };
        for f in pinpoint::findings(&pinpoint::fetch(&c, plan).await) {
            seen.insert(f.code.as_str());
            if id.starts_with("pp-") {
                assert!(id != "pp-ok", "pp-ok is healthy: {f:?}");
            }
        }
    }
    let want: BTreeSet<&str> = [
        "pinpoint-app-missing",
        "pinpoint-channel-missing",
        "pinpoint-channel-disabled",
        "pinpoint-channel-archived",
        "pinpoint-gcm-legacy-key",
        "pinpoint-unreachable",
    ]
    .into();
    assert_eq!(seen, want);
}

#[tokio::test]
async fn the_browser_s_worker_job_answers_the_findings() {
    use chimescope::jobs::worker::{Answer, Query, run_query};
    let emu = start(Store::demo(), Credentials::default()).await;
    let c = client(&emu).await;
    let user = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab/user/qa-pinpoint";
    for (id, want) in [("pp-ok", vec![]), ("pp-legacy-key", vec!["pinpoint-gcm-legacy-key"])] {
        let ep = c.describe_endpoint(user, id).await.unwrap();
        let plan = pinpoint::plan(&ep).unwrap();
        let Ok(Answer::Pinpoint(found)) = run_query(&c, &Query::Pinpoint { plan }).await else {
            panic!("{id}")
        };
        assert_eq!(found.iter().map(|f| f.code).collect::<Vec<_>>(), want, "{id}");
    }
}
