//! The browser on a fixed-size `TestBackend`, for tests and benches: endpoints from the demo
//! seed, an `App` whose wall clock is fixed (or given), an app that looked up an endpoint and
//! shows it, drawing a screen, and reading text and colours back from its cells.
//!
//! Use from a test file with `#[path = "common/tui.rs"] mod tui_fixtures;`, from a bench with
//! `#[path = "../tests/common/tui.rs"] mod tui_fixtures;`.
#![allow(dead_code)]

#[path = "emu.rs"]
mod emu;

// Not every includer uses every one.
#[allow(unused_imports)]
pub use emu::{INSTANCE, U42, ULOAD, demo_seed};

use chimescope::jobs::worker::{Answer, JobDone, JobRequest};
use chimescope::model::Endpoint;
use chimescope::model::ServiceError;
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::{App, Session};
use chimescope::tui::theme::Theme;
use chimescope::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::time::Duration;

/// 2025-01-01T00:00:00Z: ages in snapshots do not move.
pub fn wall() -> jiff::Timestamp {
    "2025-01-01T00:00:00Z".parse().unwrap()
}

/// The endpoint `id` of u-42 in the demo seed.
pub fn seed_endpoint(id: &str) -> Endpoint {
    let seed = demo_seed();
    let v = seed["AppInstanceUserEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["EndpointId"] == id && e["AppInstanceUserArn"] == U42)
        .unwrap_or_else(|| panic!("{id} in the demo seed"));
    Endpoint::from_json(v).unwrap()
}

/// A demo app in colour whose wall clock reads `wall`.
pub fn app_at(wall: jiff::Timestamp) -> App {
    let mut app = App::new(Session::demo());
    app.set_theme(Theme::colored());
    let now = app.now();
    let _ = app.update(Action::Clock { now, wall });
    app
}

/// A demo app in colour at the fixed [`wall`] time.
pub fn new_app() -> App {
    app_at(wall())
}

/// Enter on what is typed: the one effect is the lookup it starts.
pub fn submit(app: &mut App) -> JobRequest {
    match app.update(Action::Cmd(Cmd::Submit)).as_slice() {
        [Effect::Job(r)] => r.clone(),
        other => panic!("{other:?}"),
    }
}

/// The lookup `req` finished with `result` after `elapsed`.
pub fn answer(
    app: &mut App,
    req: &JobRequest,
    result: Result<Answer, ServiceError>,
    elapsed: Duration,
) -> Vec<Effect> {
    app.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query.clone(),
        result,
        elapsed,
    }))
}

/// Look up the endpoint `id` of u-42 and show it (the demo seed's, answered in 12 ms).
pub fn show(app: &mut App, id: &str) {
    app.set_inputs(U42, id);
    let req = submit(app);
    let _ = answer(app, &req, Ok(Answer::Endpoint(Box::new(seed_endpoint(id)))), Duration::from_millis(12));
}

/// A new app that looked up `id` and shows the result.
pub fn showing(id: &str) -> App {
    let mut app = new_app();
    show(&mut app, id);
    app
}

/// Draw `app` on a new `w`×`h` TestBackend.
pub fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let _ = app.update(Action::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut drawn = None;
    t.draw(|f| drawn = Some(ui::draw_frame(f, app))).unwrap();
    // What was drawn goes back to the state, as the event loop does (for clicks).
    let _ = app.update(Action::Drawn(drawn.unwrap()));
    t
}

/// Where `needle` starts on screen (cell coordinates).
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut row = String::new();
        let mut xs = Vec::new();
        for x in area.left()..area.right() {
            let sym = buf[(x, y)].symbol();
            for _ in 0..sym.len() {
                xs.push(x);
            }
            row.push_str(sym);
        }
        if let Some(i) = row.find(needle) {
            return Some((xs[i], y));
        }
    }
    None
}

/// The colour of the cell where `text` is drawn.
pub fn fg_of(buf: &Buffer, text: &str) -> Color {
    let (x, y) = find(buf, text).unwrap_or_else(|| panic!("{text:?} on screen"));
    buf[(x, y)].fg
}

/// The whole screen as text, one line per row.
pub fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}
