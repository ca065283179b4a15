#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a bench: failing loudly is its job
//! Paging through the local service with the real SDK: 2,000 users in 40 pages of 50
//! (at most 2 s), and the 10 endpoints a user can have in 3 pages of 4.

use chimescope::aws::list;
use chimescope::aws::{Client, ClientOptions};
use chimescope::emulator::{self, Emulator, Store};
use chimescope::model::paging::Listing;
use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;

const INSTANCE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/bench";

fn store(users: usize, endpoints: usize) -> Store {
    let mut eps = Vec::new();
    for u in 0..users {
        let n = if u == 0 { endpoints } else { 1 };
        for k in 0..n {
            eps.push(serde_json::json!({
                "AppInstanceUserArn": format!("{INSTANCE}/user/u{u:05}"),
                "EndpointId": format!("e{k:05}"),
                "Name": format!("device {k}"),
                "Type": "GCM",
                "ResourceArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/bench",
                "EndpointAttributes": {"DeviceToken": "x".repeat(152)},
                "AllowMessages": "ALL",
                "EndpointState": {"Status": "ACTIVE"}
            }));
        }
    }
    Store::from_seed_str(&serde_json::json!({"AppInstanceUserEndpoints": eps}).to_string(), "bench").unwrap()
}

fn paging(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (emu, client) = rt.block_on(async {
        let emu = Emulator::start(emulator::Options { store: store(2000, 10), ..Default::default() })
            .await
            .unwrap();
        let client =
            Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
        (emu, client)
    });
    let user0 = format!("{INSTANCE}/user/u00000");
    let mut g = c.benchmark_group("paging");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("list 2000 users (40 pages)", |b| {
        b.iter(|| {
            let users = rt
                .block_on(chimescope::jobs::paging::collect_all(Listing::Users, |t| {
                    client.page(list::Users { app_instance_arn: INSTANCE }, t, Some(50))
                }))
                .unwrap();
            assert_eq!(users.len(), 2000);
        })
    });
    g.bench_function("list 10 endpoints (3 pages)", |b| {
        b.iter(|| {
            let of_user0 = list::Endpoints { user_arn: &user0 };
            let eps = rt
                .block_on(chimescope::jobs::paging::collect_all(Listing::Endpoints, |t| {
                    client.page(of_user0, t, Some(4))
                }))
                .unwrap();
            assert_eq!(eps.len(), 10);
        })
    });
    g.finish();
    drop(emu);
}

criterion_group!(benches, paging);
criterion_main!(benches);
