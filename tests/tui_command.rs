#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The command line (`:`) and the watch on a fixed-size `TestBackend`: what is typed, the
//! completions above it, the hints of command mode, and the watch's line on the detail pane.

#[path = "common/tui.rs"]
mod tui_fixtures;

use chimescope::jobs::worker::{Answer, JobDone};
use chimescope::model::{EndpointStatus, StatusReason};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::keymap::action_for;
use chimescope::tui::state::App;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;
use tui_fixtures::*;

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    match action_for(app, &ev) {
        Some(a) => app.update(a),
        None => vec![],
    }
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        let _ = key(app, KeyCode::Char(c));
    }
}

#[test]
fn the_command_line_with_its_hints() {
    let mut app = showing("ep-1");
    typed(&mut app, ":region eu-c");
    let t = render(&mut app, 100, 24);
    insta::assert_snapshot!("command_line", t.backend());
    let buf = t.backend().buffer();
    let (x, y) = find(buf, ":region eu-c").expect("the line on screen");
    assert_eq!(y, 22, "on the message row, above the status bar");
    assert_eq!(buf[(x, y)].fg, app.theme().key.fg.unwrap(), "the ':' in the key colour");
    assert!(screen_text(&t).contains("Enter run"), "command mode's hints");
}

#[test]
fn the_completions_above_the_command_line() {
    let mut app = showing("ep-1");
    typed(&mut app, ":region ");
    let _ = key(&mut app, KeyCode::Tab);
    let _ = key(&mut app, KeyCode::Tab);
    let _ = key(&mut app, KeyCode::Tab);
    let t = render(&mut app, 100, 24);
    insta::assert_snapshot!("command_completion", t.backend());
    let buf = t.backend().buffer();
    // The candidate Tab put in is highlighted.
    let (x, y) = find(buf, " eu-central-1").unwrap();
    assert_eq!(buf[(x + 1, y)].bg, app.theme().selected.bg.unwrap_or(ratatui::style::Color::Reset));
    assert!(screen_text(&t).contains(":region eu-central-1"));
}

#[test]
fn the_command_names_complete_in_a_box() {
    let mut app = showing("ep-1");
    typed(&mut app, ":e");
    let _ = key(&mut app, KeyCode::Tab);
    let t = render(&mut app, 100, 24);
    insta::assert_snapshot!("command_names", t.backend());
}

#[test]
fn a_watched_change_is_marked_on_the_detail_pane() {
    let mut app = showing("ep-1");
    let _ = app.update(Action::Cmd(Cmd::Watch));
    // Due in 5 s: the clock moves, the describe goes out.
    let later = app.now() + Duration::from_secs(5);
    let wall = app.wall();
    let eff = app.update(Action::Clock { now: later, wall });
    let req = match eff.as_slice() {
        [Effect::Job(r)] => r.clone(),
        other => panic!("{other:?}"),
    };
    let mut flipped = seed_endpoint("ep-1");
    let st = flipped.state.as_mut().unwrap();
    st.status = EndpointStatus::Inactive;
    st.reason = Some(StatusReason::InvalidDeviceToken);
    let _ = app.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query.clone(),
        result: Ok(Answer::Endpoint(Box::new(flipped))),
        elapsed: Duration::from_millis(9),
    }));
    let t = render(&mut app, 100, 30);
    insta::assert_snapshot!("watch_changed", t.backend());
    let text = screen_text(&t);
    assert!(text.contains("status ACTIVE → INACTIVE"), "{text}");
    assert!(text.contains("watching every 5s · 1 answer"), "{text}");
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "changed 00:00:00"), app.theme().changed.fg.unwrap());
    // The changed fields are marked on their rows, with what they were.
    assert!(
        text.contains("◆Status        ● INACTIVE: the service will not push to it · was ACTIVE"),
        "{text}"
    );
    assert_eq!(fg_of(buf, "◆Status"), app.theme().changed.fg.unwrap());
}
