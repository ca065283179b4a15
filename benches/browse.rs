#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a bench: failing loudly is its job
//! Browsing speed:
//! - the list pane with 10,000 rows loaded (target: at most 1 ms a frame): only the rows on
//!   screen are drawn;
//! - listing 2,000 users in 40 pages of 50 through the local service with no added latency
//!   (target: at most 2 s), the way the browser does it (the App's list state, the background
//!   worker, G until the last page) and the way `chimescope list` does (`paging::list_all`).
//!
//! `cargo bench --bench browse`. The raw client loop is `cargo bench --bench paging`.

use chimescope::aws::{Client, ClientOptions};
use chimescope::emulator::{self, Emulator, Store};
use chimescope::jobs::paging;
use chimescope::jobs::worker::{self, Answer, JobDone, Query, WorkerMsg};
use chimescope::model::{
    AllowMessages, EndpointState, EndpointStatus, EndpointSummary, EndpointType, Page, StatusReason,
};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::{App, Session};
use chimescope::tui::ui;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/bench/user/u00000";
const INSTANCE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/bench";

/// An App showing a list of `n` endpoints in mixed states.
fn app_with_rows(n: usize, w: u16, h: u16) -> App {
    let mut app = App::new(Session::demo());
    let _ = app.update(Action::Resize(w, h));
    app.set_inputs(USER, "");
    let req = match app.update(Action::Cmd(Cmd::Submit)).as_slice() {
        [Effect::Job(r)] => r.clone(),
        other => panic!("{other:?}"),
    };
    let items = (0..n)
        .map(|k| EndpointSummary {
            app_instance_user_arn: Some(USER.into()),
            endpoint_id: Some(format!("endpoint-{k:06}")),
            name: Some(format!("device {k}")),
            endpoint_type: Some(
                [EndpointType::Apns, EndpointType::ApnsSandbox, EndpointType::Gcm][k % 3].clone(),
            ),
            allow_messages: Some(if k % 11 == 0 { AllowMessages::None } else { AllowMessages::All }),
            state: Some(if k % 7 == 3 {
                EndpointState {
                    status: EndpointStatus::Inactive,
                    reason: Some(StatusReason::InvalidDeviceToken),
                }
            } else {
                EndpointState { status: EndpointStatus::Active, reason: None }
            }),
        })
        .collect();
    let _ = app.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query,
        result: Ok(Answer::Endpoints(Page { items, next_token: None })),
        elapsed: Duration::from_millis(1),
    }));
    app
}

fn render(c: &mut Criterion) {
    let (w, h) = (160u16, 50u16);
    let mut app = app_with_rows(10_000, w, h);
    assert_eq!(app.browse().top().unwrap().rows.len(), 10_000);
    for _ in 0..5_000 {
        let _ = app.update(Action::Cmd(Cmd::Down));
    }
    let area = ui::areas(app.screen(), &app).unwrap().detail;
    let mut buf = Buffer::empty(area);
    let mut flip = false;
    // The list pane alone, into a buffer, the cursor moving each frame.
    c.bench_function("list_pane_10000_rows", |b| {
        b.iter(|| {
            flip = !flip;
            let _ = app.update(Action::Cmd(if flip { Cmd::Down } else { Cmd::Up }));
            buf.reset();
            ui::list::draw(&mut buf, black_box(area), black_box(&app));
        })
    });
    // The whole frame (every pane, then the diff against the last frame).
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    c.bench_function("full_frame_10000_rows", |b| {
        b.iter(|| {
            flip = !flip;
            let _ = app.update(Action::Cmd(if flip { Cmd::PageDown } else { Cmd::PageUp }));
            term.draw(|f| ui::draw(f, black_box(&app))).unwrap();
        })
    });
}

fn store(users: usize) -> Store {
    let eps: Vec<_> = (0..users)
        .map(|u| {
            serde_json::json!({
                "AppInstanceUserArn": format!("{INSTANCE}/user/u{u:05}"),
                "EndpointId": "e0",
                "Type": "GCM",
                "ResourceArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/bench",
                "EndpointAttributes": {"DeviceToken": "x".repeat(152)},
                "AllowMessages": "ALL",
                "EndpointState": {"Status": "ACTIVE"}
            })
        })
        .collect();
    Store::from_seed_str(&serde_json::json!({"AppInstanceUserEndpoints": eps}).to_string(), "bench").unwrap()
}

/// Open the users list in a fresh App and press G until every page is in, with the real
/// worker carrying the requests. Returns the pages loaded.
async fn browse_all_users(
    tx: &tokio::sync::mpsc::UnboundedSender<WorkerMsg>,
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<JobDone>,
) -> usize {
    let mut app = App::new(Session::demo());
    let _ = app.update(Action::Resize(120, 40));
    app.set_inputs(INSTANCE, "");
    let mut eff = app.update(Action::Cmd(Cmd::Submit));
    loop {
        let mut out = 0;
        for e in eff.drain(..) {
            if let Effect::Job(r) = e {
                tx.send(WorkerMsg::Start(r)).unwrap();
                out += 1;
            }
        }
        if out == 0 {
            if app.browse().top().unwrap().complete {
                return app.browse().top().unwrap().pages;
            }
            eff = app.update(Action::Cmd(Cmd::Bottom));
            continue;
        }
        for _ in 0..out {
            let done = rx.recv().await.unwrap();
            eff.extend(app.update(Action::JobDone(done)));
        }
    }
}

fn paging(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (emu, client) = rt.block_on(async {
        let emu =
            Emulator::start(emulator::Options { store: store(2000), ..Default::default() }).await.unwrap();
        let client =
            Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
        (emu, client)
    });
    let client = Arc::new(client);
    let (tx, mut rx) = {
        let _guard = rt.enter();
        worker::spawn(client.clone(), 10_000.0)
    };
    let mut g = c.benchmark_group("browse_paging");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("browser: 2000 users, 40 pages (App + worker, G)", |b| {
        b.iter(|| {
            let pages = rt.block_on(browse_all_users(&tx, &mut rx));
            assert_eq!(pages, 40);
        })
    });
    g.bench_function("chimescope list path: 2000 users, 40 pages (paging::list_all)", |b| {
        b.iter(|| {
            let q = Query::ListUsers { app_instance_arn: INSTANCE.into(), next_token: None };
            let all = rt.block_on(paging::list_all(&client, &q)).unwrap();
            let Answer::Users(p) = all else { panic!("users") };
            assert_eq!(p.items.len(), 2000);
        })
    });
    g.finish();
    drop(tx);
    drop(emu);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(200).measurement_time(Duration::from_secs(3));
    targets = render, paging
}
criterion_main!(benches);
