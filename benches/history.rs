#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a bench: failing loudly is its job
//! Loading a 10,000-entry history (at most 50 ms), filtering it, and saving the
//! default-capped history. Secrets stored, so every entry carries its full result: the
//! largest file the format produces.

use chimescope::model::{
    AllowMessages, Endpoint, EndpointState, EndpointStatus, EndpointType, StatusReason, Timestamp,
};
use chimescope::store::history::{Entry, History, Options};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const N: usize = 10_000;

fn entry(i: usize) -> Entry {
    let arn = format!("arn:aws:chime:us-east-1:123456789012:app-instance/app-{}/user/user-{i:05}", i % 7);
    let id = format!("ep-{i:05}-2b7f4c1e9a3d");
    let ep = Endpoint {
        app_instance_user_arn: Some(arn.clone()),
        endpoint_id: Some(id.clone()),
        name: Some(format!("Device {i} of someone")),
        endpoint_type: Some(if i.is_multiple_of(3) { EndpointType::Gcm } else { EndpointType::Apns }),
        resource_arn: Some("arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef".into()),
        device_token: Some(format!("{i:064x}")),
        voip_device_token: i.is_multiple_of(2).then(|| format!("{:064x}", i * 31)),
        created: Some(Timestamp::from_secs(1_700_000_000.0 + i as f64)),
        last_updated: Some(Timestamp::from_secs(1_700_000_500.25 + i as f64)),
        allow_messages: Some(if i.is_multiple_of(5) { AllowMessages::None } else { AllowMessages::All }),
        state: Some(if i.is_multiple_of(4) {
            EndpointState { status: EndpointStatus::Inactive, reason: Some(StatusReason::InvalidDeviceToken) }
        } else {
            EndpointState { status: EndpointStatus::Active, reason: None }
        }),
    };
    Entry::new(arn, id, "us-east-1", Timestamp::from_secs(1_764_000_000.123 + i as f64), Ok(&ep))
        .via(Some("default".into()), None)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chimescope").join("history.json");
    let big = Options { cap: N, store_secrets: true };
    let mut h = History::new(&path, big);
    for i in 0..N {
        h.record(entry(i));
    }
    h.save().expect("save");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!("history file: {N} entries, {} KiB", size / 1024);
    assert_eq!(History::load_with(&path, big).history.len(), N);

    c.bench_function("history load 10k entries", |b| {
        b.iter(|| {
            let out = History::load_with(black_box(&path), big);
            assert!(out.warning.is_none());
            black_box(out.history.len())
        })
    });

    let loaded = History::load_with(&path, big).history;
    c.bench_function("history filter 10k entries", |b| {
        b.iter(|| black_box(loaded.filter(black_box("user-0999"), true)).len())
    });

    let small_path = dir.path().join("small").join("history.json");
    let mut small = History::new(&small_path, Options::default());
    for i in 0..500 {
        small.record(entry(i));
    }
    let mut i = 500;
    c.bench_function("history record + save, 500 entries", |b| {
        b.iter(|| {
            i += 1;
            small.record(entry(i));
            small.save().expect("save")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
