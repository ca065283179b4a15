#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a bench: failing loudly is its job
//! Rendering speed of the browser: a full frame at 200x60 with an endpoint shown
//! (target: median at most 500 µs); the Recent pane with 10,000 entries (target: at most
//! 1 ms; only the visible rows are built).
//!
//! `cargo bench --bench render`. Startup time and memory are measured by
//! `benches/tui_startup.py` (a pseudo-terminal, public tools only).

#[path = "../tests/common/tui.rs"]
mod tui_fixtures;

use chimescope::model::Endpoint;
use chimescope::tui::action::{Action, Cmd};
use chimescope::tui::state::App;
use chimescope::tui::ui;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::Duration;
use tui_fixtures::{U42, app_at, demo_seed, show};

/// An app at a `w`×`h` screen showing the demo seed's endpoint `id`, its clock the real time.
fn app_showing(id: &str, w: u16, h: u16) -> App {
    let mut app = app_at(jiff::Timestamp::now());
    let _ = app.update(Action::Resize(w, h));
    show(&mut app, id);
    app
}

fn bench(c: &mut Criterion) {
    let (w, h) = (200u16, 60u16);
    let app = app_showing("ep-9", w, h);

    // What one frame costs the browser: lay out and draw every pane into the frame buffer,
    // then diff it against the previous frame (the terminal draw path, minus the tty write).
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut flip = false;
    let mut app = app;
    c.bench_function("full_frame_200x60_endpoint", |b| {
        b.iter(|| {
            // Alternate the field cursor so that every frame differs from the last.
            flip = !flip;
            let _ = app.update(Action::Cmd(if flip { Cmd::Down } else { Cmd::Up }));
            term.draw(|f| ui::draw(f, black_box(&app))).unwrap();
        })
    });

    // An unchanged frame (a redraw after an event that changed nothing on screen).
    c.bench_function("same_frame_200x60_endpoint", |b| {
        b.iter(|| {
            term.draw(|f| ui::draw(f, black_box(&app))).unwrap();
        })
    });
}

/// The Recent pane alone, and a whole frame with it, over a history of 10,000 entries in
/// mixed states, the selection moving through the middle of the list.
fn recent_10000(c: &mut Criterion) {
    use chimescope::model::Timestamp;
    use chimescope::store::history::{Entry, History, Options};
    let eps: Vec<Endpoint> = demo_seed()["AppInstanceUserEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| Endpoint::from_json(v).unwrap())
        .collect();
    let now = jiff::Timestamp::now();
    let mut h = History::new(std::path::PathBuf::new(), Options { cap: 10_000, store_secrets: false });
    for i in 0..10_000usize {
        let t = Timestamp::from_secs((now.as_second() - 10_000 + i as i64) as f64);
        let id = format!("ep-{i:05}");
        let entry = if i % 7 == 0 {
            let err =
                chimescope::model::ServiceError::new(chimescope::model::ErrorKind::NotFound, "gone", "op");
            Entry::new(U42, id, "us-east-1", t, Err(&err))
        } else {
            Entry::new(U42, id, "us-east-1", t, Ok(&eps[i % eps.len()]))
        };
        h.record(entry);
    }
    assert_eq!(h.len(), 10_000);
    let (w, hgt) = (200u16, 60u16);
    let mut app = app_showing("ep-1", w, hgt);
    app.attach_history_in_memory(h);
    app.set_focus(chimescope::tui::state::Focus::Recent);
    for _ in 0..5_000 {
        let _ = app.update(Action::Cmd(Cmd::Down));
    }
    let area = ui::areas(ratatui::layout::Rect::new(0, 0, w, hgt), &app).unwrap().recent.unwrap();
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let mut flip = false;
    c.bench_function("recent_pane_10000_entries", |b| {
        b.iter(|| {
            flip = !flip;
            let _ = app.update(Action::Cmd(if flip { Cmd::Down } else { Cmd::Up }));
            ui::recent::draw(&mut buf, area, black_box(&app));
        })
    });
    let mut term = Terminal::new(TestBackend::new(w, hgt)).unwrap();
    c.bench_function("full_frame_200x60_recent_10000", |b| {
        b.iter(|| {
            flip = !flip;
            let _ = app.update(Action::Cmd(if flip { Cmd::Down } else { Cmd::Up }));
            term.draw(|f| ui::draw(f, black_box(&app))).unwrap();
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(200).measurement_time(Duration::from_secs(3));
    targets = bench, recent_10000
}
criterion_main!(benches);
