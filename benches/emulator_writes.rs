#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a bench: failing loudly is its job
//! Writes on the emulator (issue 12): RegisterAppInstanceUserEndpoint then
//! DeregisterAppInstanceUserEndpoint, sequentially through the Rust SDK over loopback, in
//! memory and with `--state` (every acknowledged write persisted atomically before its
//! answer: the latency of that). Prints writes per second and p50/p99 latency. Bounded:
//! EMULATOR_WRITES users × 10 endpoints (default 100 × 10 = 1,000 registers, then as many
//! deregisters). Run: `cargo bench --bench emulator_writes`.
//!
//! The client shares the machine's cores with the emulator, and the SDK's own work is in each
//! figure, so these are floors for the emulator.

use aws_sdk_chimesdkidentity::Client;
use aws_sdk_chimesdkidentity::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_chimesdkidentity::types::{AppInstanceUserEndpointType, EndpointAttributes};
use chimescope::emulator::{self, Emulator, Store};
use std::time::{Duration, Instant};

const INSTANCE: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69";

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

fn report(what: &str, mut lat: Vec<Duration>, total: Duration) {
    println!(
        "{what:<28} {:>6} writes  {:>8.0} writes/s  p50 {:.3} ms  p99 {:.3} ms",
        lat.len(),
        lat.len() as f64 / total.as_secs_f64(),
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99)
    );
}

async fn run(label: &str, state: Option<std::path::PathBuf>, users: usize) {
    let emu =
        Emulator::start(emulator::Options { store: Store::demo(), state_file: state, ..Default::default() })
            .await
            .expect("emulator starts");
    let conf = aws_sdk_chimesdkidentity::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(emu.url())
        .credentials_provider(Credentials::new("AKIDBENCH", "secret", None, None, "bench"))
        .build();
    let c = Client::from_conf(conf);
    let mut arns = Vec::new();
    for u in 0..users {
        let out = c
            .create_app_instance_user()
            .app_instance_arn(INSTANCE)
            .app_instance_user_id(format!("bench-{u}"))
            .name("bench")
            .send()
            .await
            .expect("create user");
        arns.push(out.app_instance_user_arn.unwrap_or_default());
    }
    let mut ids = Vec::new();
    let mut lat = Vec::new();
    let t0 = Instant::now();
    for (u, arn) in arns.iter().enumerate() {
        for k in 0..10 {
            let t = Instant::now();
            let out = c
                .register_app_instance_user_endpoint()
                .app_instance_user_arn(arn)
                .r#type(AppInstanceUserEndpointType::Gcm)
                .resource_arn("arn:aws:mobiletargeting:us-east-1:123456789012:apps/bench")
                .endpoint_attributes(
                    EndpointAttributes::builder().device_token(format!("t{u}-{k}")).build().unwrap(),
                )
                .send()
                .await
                .expect("register");
            lat.push(t.elapsed());
            ids.push((arn.clone(), out.endpoint_id.unwrap_or_default()));
        }
    }
    report(&format!("{label} Register"), lat, t0.elapsed());
    let mut lat = Vec::new();
    let t0 = Instant::now();
    for (arn, id) in &ids {
        let t = Instant::now();
        c.deregister_app_instance_user_endpoint()
            .app_instance_user_arn(arn)
            .endpoint_id(id)
            .send()
            .await
            .expect("deregister");
        lat.push(t.elapsed());
    }
    report(&format!("{label} Deregister"), lat, t0.elapsed());
}

fn main() {
    let users: usize = std::env::var("EMULATOR_WRITES").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    rt.block_on(async {
        run("in memory:", None, users).await;
        let dir = tempfile::tempdir().expect("temp dir");
        run("--state:", Some(dir.path().join("state.json")), users).await;
    });
}
