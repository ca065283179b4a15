//! The Rust SDKs' clients for the emulator over loopback, and an emulator started in the test's
//! process from a seed: region us-east-1, the test keys, no retries (a test sees every answer as
//! the emulator gave it).
#![allow(dead_code)]

use aws_sdk_chimesdkidentity as identity;
use aws_sdk_chimesdkmessaging as messaging;
use chimescope::emulator::{self, Emulator, Store};

/// Chime SDK Identity at `url`.
pub fn identity(url: &str) -> identity::Client {
    let conf = identity::Config::builder()
        .behavior_version(identity::config::BehaviorVersion::latest())
        .region(identity::config::Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(identity::config::Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .retry_config(identity::config::retry::RetryConfig::disabled())
        .build();
    identity::Client::from_conf(conf)
}

/// Chime SDK Messaging at `url`.
pub fn messaging(url: &str) -> messaging::Client {
    let conf = messaging::Config::builder()
        .behavior_version(messaging::config::BehaviorVersion::latest())
        .region(messaging::config::Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(messaging::config::Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .retry_config(messaging::config::retry::RetryConfig::disabled())
        .build();
    messaging::Client::from_conf(conf)
}

/// An emulator in this process serving `seed` (`name` is the file name its errors would give).
pub async fn started(seed: &serde_json::Value, name: &str) -> Emulator {
    let store = Store::from_seed_str(&seed.to_string(), name).unwrap();
    Emulator::start(emulator::Options { store, ..Default::default() }).await.unwrap()
}
