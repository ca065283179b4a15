#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! Theme-level checks over every pane: with a selection on show (the detail pane's field
//! cursor, a list row focused and not, a Recent entry, a dropdown row), no text is ever drawn
//! in its own background colour. Every screen is rendered and every non-space cell checked.

#[path = "common/tui.rs"]
mod tui_fixtures;

use chimescope::jobs::worker::{Answer, JobRequest};
use chimescope::model::{Endpoint, EndpointSummary, InstanceSummary, Page, Timestamp, UserSummary};
use chimescope::store::history::{Entry, History, Options};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::{App, FIELDS, Focus};
use chimescope::tui::theme::Theme;
use ratatui::style::Color;
use serde_json::Value;
use std::time::Duration;
use tui_fixtures::{INSTANCE, U42, demo_seed, new_app, render, seed_endpoint, showing, wall};
use tui_input::InputRequest;

fn s(v: &Value, k: &str) -> Option<String> {
    v[k].as_str().map(str::to_string)
}

fn seed(kind: &str) -> Vec<Value> {
    demo_seed()[kind].as_array().unwrap().clone()
}

fn request(eff: &[Effect]) -> JobRequest {
    eff.iter()
        .find_map(|e| match e {
            Effect::Job(r) => Some(r.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a request in {eff:?}"))
}

fn answer(app: &mut App, req: &JobRequest, a: Answer) {
    tui_fixtures::answer(app, req, Ok(a), Duration::from_millis(5));
}

fn endpoints_of(user: &str) -> Vec<EndpointSummary> {
    seed("AppInstanceUserEndpoints")
        .iter()
        .filter(|v| v["AppInstanceUserArn"] == user)
        .map(|v| Endpoint::from_json(v).unwrap().summary())
        .collect()
}

/// Every cell of the screen whose symbol is not blank has a foreground unlike its background.
fn assert_readable(app: &mut App, w: u16, h: u16, what: &str) {
    let t = render(app, w, h);
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if c.symbol().trim().is_empty() || c.bg == Color::Reset {
                continue;
            }
            assert_ne!(
                c.fg,
                c.bg,
                "{what}: {:?} at ({x}, {y}) is drawn in its own background colour {:?}",
                c.symbol(),
                c.bg
            );
        }
    }
}

#[test]
fn no_pane_draws_text_in_its_own_background_colour() {
    // The detail pane, the cursor on every field, for every state, masked and shown.
    for id in ["ep-1", "ep-9", "ep-pinpoint", "ep-muted"] {
        for show in [false, true] {
            let mut app = showing(id);
            app.set_show_secrets(show);
            app.set_focus(Focus::Detail);
            for i in 0..FIELDS.len() {
                app.set_field(i);
                assert_readable(&mut app, 120, 40, &format!("detail {id} field {i} secrets {show}"));
            }
            // And on every finding of the Diagnosis group.
            let _ = app.update(Action::Cmd(Cmd::Top));
            for k in 0..app.diagnosis().len() {
                assert_eq!(app.selected_finding(), Some(k));
                assert_readable(&mut app, 120, 40, &format!("detail {id} finding {k} secrets {show}"));
                let _ = app.update(Action::Cmd(Cmd::Down));
            }
        }
    }
    // The lists, focused (the selection bar) and not (underlined).
    let mut app = new_app();
    let req = request(&app.update(Action::Cmd(Cmd::Submit)));
    let items = seed("AppInstances")
        .iter()
        .map(|v| InstanceSummary {
            app_instance_arn: s(v, "AppInstanceArn"),
            name: s(v, "Name"),
            metadata: s(v, "Metadata"),
        })
        .collect();
    answer(&mut app, &req, Answer::Instances(Page { items, next_token: None }));
    assert_readable(&mut app, 120, 30, "instances");
    let req = request(&app.update(Action::Cmd(Cmd::Submit)));
    let items = seed("AppInstanceUsers")
        .iter()
        .filter(|v| v["AppInstanceUserArn"].as_str().unwrap().starts_with(&format!("{INSTANCE}/")))
        .map(|v| UserSummary {
            app_instance_user_arn: s(v, "AppInstanceUserArn"),
            name: s(v, "Name"),
            metadata: s(v, "Metadata"),
        })
        .collect();
    answer(&mut app, &req, Answer::Users(Page { items, next_token: None }));
    assert_readable(&mut app, 120, 30, "users");
    let mut app = new_app();
    app.set_inputs(U42, "");
    let req = request(&app.update(Action::Cmd(Cmd::Submit)));
    answer(&mut app, &req, Answer::Endpoints(Page { items: endpoints_of(U42), next_token: None }));
    for k in 0..5 {
        app.set_focus(Focus::List);
        assert_readable(&mut app, 120, 30, &format!("endpoints row {k}"));
        app.set_focus(Focus::Arn);
        assert_readable(&mut app, 120, 30, &format!("endpoints row {k}, unfocused"));
        app.set_focus(Focus::List);
        let _ = app.update(Action::Cmd(Cmd::Down));
    }
    // The Recent pane with its selection, and a stored result on show.
    let mut h = History::new(std::path::PathBuf::new(), Options::default());
    for (i, id) in ["ep-pinpoint", "ep-9", "ep-muted", "ep-1"].iter().enumerate() {
        let e = seed_endpoint(id);
        h.record(Entry::new(
            U42,
            *id,
            "us-east-1",
            Timestamp::from_secs((wall().as_second() - 600 * i as i64) as f64),
            Ok(&e),
        ));
    }
    let mut app = new_app();
    app.attach_history_in_memory(h);
    app.set_focus(Focus::Recent);
    for k in 0..4 {
        assert_readable(&mut app, 120, 40, &format!("recent entry {k}"));
        let _ = app.update(Action::Cmd(Cmd::Submit));
        assert_readable(&mut app, 120, 40, &format!("recent entry {k} on show"));
        let _ = app.update(Action::Cmd(Cmd::Down));
    }
    // The completion dropdown with a row chosen.
    let mut app = new_app();
    app.set_inputs(U42, "");
    let req = request(&app.update(Action::Cmd(Cmd::FocusNext)));
    answer(&mut app, &req, Answer::Endpoints(Page { items: endpoints_of(U42), next_token: None }));
    let _ = app.update(Action::Edit(InputRequest::InsertChar('e')));
    for k in 0..5 {
        let _ = app.update(Action::Cmd(Cmd::Down));
        assert_readable(&mut app, 120, 30, &format!("dropdown row {k}"));
    }
    // And the help over it all.
    let _ = app.update(Action::Cmd(Cmd::Help));
    assert_readable(&mut app, 120, 30, "help");
}

#[test]
fn the_selection_bar_keeps_dim_text_readable() {
    // What the bug looked like: the dim explanation on the selected Status row.
    let mut app = showing("ep-1");
    app.set_theme(Theme::colored());
    app.set_focus(Focus::Detail);
    app.set_field(0);
    let t = render(&mut app, 100, 40);
    let buf = t.backend().buffer();
    let (x, y) = tui_fixtures::find(buf, "the service will push to it").unwrap();
    let c = &buf[(x + 3, y)];
    assert_eq!(c.bg, Color::DarkGray, "on the selection bar");
    assert_ne!(c.fg, Color::DarkGray);
}
