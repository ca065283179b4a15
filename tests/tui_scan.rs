#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The Scan pane in the whole screen on a fixed-size TestBackend: `S` on an app instance of
//! the list, the engine's events fed in, the pane in the body of the screen with its progress,
//! counts and rows; colours read from the buffer cells.

#[path = "common/tui.rs"]
mod tui_fixtures;

use chimescope::jobs::worker::Answer;
use chimescope::model::{InstanceSummary, Page};
use chimescope::scan::background::Event;
use chimescope::scan::report::{Row, Tally};
use chimescope::scan::{Outcome, Progress};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::Focus;
use ratatui::style::Color;
use std::time::Duration;
use tui_fixtures::{INSTANCE, fg_of, find, new_app, render, screen_text, submit};

fn row(user: &str, id: &str, status: &str, reason: Option<&str>, allow: &str) -> Row {
    Row {
        app_instance_user_arn: format!("{INSTANCE}/user/{user}"),
        endpoint_id: id.into(),
        r#type: Some("APNS".into()),
        allow_messages: Some(allow.into()),
        status: Some(status.into()),
        status_reason: reason.map(str::to_string),
        resource_arn: None,
        created_timestamp: None,
        last_updated_timestamp: None,
        findings: None,
        cannot_receive: allow != "NONE" || status != "ACTIVE",
        opted_out: allow == "NONE" && status == "ACTIVE",
    }
}

#[test]
fn the_scan_pane_takes_the_body_with_progress_counts_and_rows_in_colour() {
    let mut app = new_app();
    let req = submit(&mut app);
    let items = vec![InstanceSummary {
        app_instance_arn: Some(INSTANCE.into()),
        name: Some("Acme Messenger (prod)".into()),
        metadata: None,
    }];
    let _ = tui_fixtures::answer(
        &mut app,
        &req,
        Ok(Answer::Instances(Page { items, next_token: None })),
        Duration::from_millis(5),
    );
    assert_eq!(app.focus(), Focus::List);
    let eff = app.update(Action::Cmd(Cmd::Scan));
    assert!(
        matches!(eff.as_slice(), [Effect::StartScan { instance, .. }] if instance == INSTANCE),
        "{eff:?}"
    );
    let mut tally = Tally::default();
    tally.by_status.insert("ACTIVE".into(), 8);
    tally.by_status.insert("INACTIVE".into(), 2);
    tally.by_reason.insert("INVALID_DEVICE_TOKEN".into(), 2);
    tally.by_type.insert("APNS".into(), 10);
    let _ = app.update(Action::Scan(Event::Progress(Box::new(Progress {
        users: 3,
        users_total: Some(6),
        endpoints: 10,
        cannot_receive: 3,
        tally,
        ..Default::default()
    }))));
    for r in [
        row("u-42", "ep-1", "INACTIVE", Some("INVALID_DEVICE_TOKEN"), "ALL"),
        row("u-42", "ep-muted", "ACTIVE", None, "NONE"),
        row("u-7", "ep-3", "INACTIVE", Some("INVALID_DEVICE_TOKEN"), "ALL"),
    ] {
        let _ = app.update(Action::Scan(Event::CannotReceive(Box::new(r))));
    }
    let term = render(&mut app, 100, 24);
    let text = screen_text(&term);
    let buf = term.backend().buffer();
    for want in [
        "Scan app-instance/7f3c2b1a",
        "50%  users 3 / 6",
        "endpoints 10 · cannot receive 3",
        "status ACTIVE 8, INACTIVE 2 · reason INVALID_DEVICE_TOKEN 2",
        "Running — Esc stops it (the checkpoint is kept)",
        "u-42  ep-1  APNS  INACTIVE INVALID_DEVICE_TOKEN",
        "u-42  ep-muted  APNS  ACTIVE · opted out (AllowMessages NONE)",
        "Esc stop",
    ] {
        assert!(text.contains(want), "{want:?} in\n{text}");
    }
    assert!(!text.contains("1 app instance"), "the list is under the pane:\n{text}");
    // Colours: red dots for INACTIVE, yellow for AllowMessages NONE, the selected row highlighted.
    let (x, y) = find(buf, "u-42  ep-1").unwrap();
    assert_eq!(buf[(x - 2, y)].fg, Color::Red, "the dot of ep-1");
    assert_eq!(buf[(x, y)].bg, Color::DarkGray, "the selected row");
    let (x, y) = find(buf, "u-42  ep-muted").unwrap();
    assert_eq!(buf[(x - 2, y)].fg, Color::Yellow, "the dot of ep-muted");
    assert_eq!(fg_of(buf, "█"), Color::Green, "the bar");
    insta::assert_snapshot!("scan_pane_running", term.backend());
    // Stopped: the pane says how to resume, in yellow.
    let _ = app.update(Action::Scan(Event::Done(Ok(Outcome::Stopped))));
    let term = render(&mut app, 100, 24);
    let buf = term.backend().buffer();
    assert_eq!(fg_of(buf, "Stopped — the checkpoint is kept: S resumes"), Color::Yellow);
}

/// A finished scan of INSTANCE with three rows in the pane (the second muted).
fn finished_scan() -> chimescope::tui::state::App {
    let mut app = new_app();
    app.set_inputs(INSTANCE, "");
    app.set_focus(Focus::Detail);
    let eff = app.update(Action::Cmd(Cmd::Scan));
    assert!(matches!(eff.as_slice(), [Effect::StartScan { .. }]), "{eff:?}");
    for r in [
        row("u-42", "ep-1", "INACTIVE", Some("INVALID_DEVICE_TOKEN"), "ALL"),
        row("u-42", "ep-muted", "ACTIVE", None, "NONE"),
        row("u-7", "ep-3", "INACTIVE", Some("INVALID_DEVICE_TOKEN"), "ALL"),
    ] {
        let _ = app.update(Action::Scan(Event::CannotReceive(Box::new(r))));
    }
    let _ = app.update(Action::Scan(Event::Done(Ok(Outcome::Finished))));
    app
}

#[test]
fn the_batch_dry_run_lists_each_endpoint_with_its_command_and_arms_only_on_the_typed_count() {
    let mut app = finished_scan();
    for c in [Cmd::Mark, Cmd::Mark] {
        let _ = app.update(Action::Cmd(c));
    }
    let term = render(&mut app, 100, 30);
    let text = screen_text(&term);
    assert!(text.contains("Finished · 2 marked: D deregisters them (a dry run first)"), "{text}");
    let buf = term.backend().buffer();
    let (x, y) = find(buf, "● u-42  ep-1").unwrap();
    assert_eq!(buf[(x - 1, y)].symbol(), "*", "the mark");
    assert_eq!(buf[(x - 1, y)].fg, Color::Cyan);
    let eff = app.update(Action::Cmd(Cmd::Deregister));
    assert!(eff.is_empty(), "a dry run sends nothing: {eff:?}");
    let term = render(&mut app, 100, 30);
    let text = screen_text(&term);
    for want in [
        "Dry run: deregister 2 endpoints?",
        "2 endpoints of 1 user. Nothing is sent yet.",
        "Each is described first: one that can receive by now is left alone.",
        "Sent at 10 requests/s (the scan's rate), 2 requests per endpoint.",
        "⚠ 1 is ACTIVE with AllowMessages NONE",
        "u-42  ep-1  APNS  INACTIVE INVALID_DEVICE_TOKEN",
        "aws chime-sdk-identity deregister-app-instance-user-endpoint --app-instance-user-arn",
        "Enter goes on to confirm · c copies the 2 commands",
        "j/k scroll",
    ] {
        assert!(text.contains(want), "{want:?} in\n{text}");
    }
    let buf = term.backend().buffer();
    assert_eq!(fg_of(buf, "aws chime-sdk-identity deregister"), Color::Cyan, "the commands");
    assert_eq!(fg_of(buf, "⚠ 1 is ACTIVE"), Color::Yellow);
    let (x, y) = find(buf, "Dry run: deregister").unwrap();
    assert_eq!(buf[(x - 2, y)].fg, Color::Red, "a deregistration's border is red");
    insta::assert_snapshot!("scan_batch_dry_run", term.backend());
    // Enter: the count is typed; the button is dim until it matches, then red.
    let _ = app.update(Action::Cmd(Cmd::Submit));
    let term = render(&mut app, 100, 30);
    let buf = term.backend().buffer();
    assert!(screen_text(&term).contains("Type 2 to confirm."));
    // While the count is typed, c is one of its characters: the footer does not offer it; on
    // the buttons it does.
    assert!(!screen_text(&term).contains("c copies"), "{}", screen_text(&term));
    assert!(screen_text(&term).contains("Enter goes to the buttons"));
    assert_eq!(fg_of(buf, "[ Deregister 2 ]"), Color::DarkGray);
    let _ = app.update(Action::Edit(tui_input::InputRequest::InsertChar('2')));
    let term = render(&mut app, 100, 30);
    let buf = term.backend().buffer();
    assert_eq!(fg_of(buf, "[ Deregister 2 ]"), Color::Red);
    assert!(!screen_text(&term).contains("(type 2 first)"));
    let _ = app.update(Action::Cmd(Cmd::FocusNext));
    assert!(screen_text(&render(&mut app, 100, 30)).contains("c copies the commands"));
}

#[test]
fn a_click_selects_the_row_under_it_and_the_wheel_moves_in_the_pane() {
    let mut app = finished_scan();
    app.set_mouse(true);
    let term = render(&mut app, 100, 30);
    let (x, y) = find(term.backend().buffer(), "u-7  ep-3").unwrap();
    let _ = app.update(Action::Click { x, y });
    assert_eq!(app.scan_view().map(|p| p.cursor()), Some(2), "the third row");
    assert_eq!(app.focus(), Focus::Detail);
    let term = render(&mut app, 100, 30);
    let buf = term.backend().buffer();
    assert_eq!(buf[(x, y)].bg, Color::DarkGray, "drawn selected");
    let _ = app.update(Action::Wheel { down: false, x, y });
    assert_eq!(app.scan_view().map(|p| p.cursor()), Some(1), "the wheel moves the pane's cursor");
    // Space then marks the row clicked.
    let _ = app.update(Action::Click { x, y: y - 2 });
    let _ = app.update(Action::Cmd(Cmd::Mark));
    assert_eq!(app.scan_view().unwrap().marked().iter().copied().collect::<Vec<_>>(), [0]);
}

#[test]
fn a_long_dry_run_scrolls_and_its_keys_stay_on_screen() {
    let mut app = new_app();
    app.set_inputs(INSTANCE, "");
    app.set_focus(Focus::Detail);
    let _ = app.update(Action::Cmd(Cmd::Scan));
    for i in 0..30 {
        let r = row(&format!("u-{i}"), &format!("ep-{i}"), "INACTIVE", Some("INVALID_DEVICE_TOKEN"), "ALL");
        let _ = app.update(Action::Scan(Event::CannotReceive(Box::new(r))));
    }
    let _ = app.update(Action::Scan(Event::Done(Ok(Outcome::Finished))));
    for c in [Cmd::MarkAll, Cmd::Deregister] {
        let _ = app.update(Action::Cmd(c));
    }
    let term = render(&mut app, 100, 24);
    let text = screen_text(&term);
    assert!(text.contains("Dry run: deregister 30 endpoints?"), "{text}");
    assert!(text.contains("Enter goes on to confirm"), "the keys are not cut off:\n{text}");
    assert!(text.contains("(lines 1–"), "{text}");
    // G scrolls to the end: the last endpoint's command is on screen.
    let g = crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('G'),
        crossterm::event::KeyModifiers::NONE,
    ));
    let action = chimescope::tui::keymap::action_for(&app, &g);
    assert!(matches!(action, Some(Action::Cmd(Cmd::Bottom))), "G in the dry run: {action:?}");
    let _ = app.update(action.unwrap());
    let text = screen_text(&render(&mut app, 100, 24));
    assert!(text.contains("--endpoint-id ep-29"), "{text}");
    assert!(text.contains("Enter goes on to confirm"), "{text}");
}

/// v on a Scan pane row: that row as `chimescope scan --output json` writes it, in the raw
/// view; / finds in it.
#[test]
fn the_raw_view_of_a_scan_row() {
    let mut app = finished_scan();
    let _ = app.update(Action::Cmd(Cmd::Down));
    let _ = app.update(Action::Cmd(Cmd::RawView));
    let text = screen_text(&render(&mut app, 100, 30));
    assert!(text.contains("JSON: scan row"), "{text}");
    assert!(text.contains("\"EndpointId\": \"ep-muted\""), "the row under the cursor: {text}");
    assert!(text.contains("\"AllowMessages\": \"NONE\""), "{text}");
    let _ = app.update(Action::Cmd(Cmd::Filter));
    for c in "none".chars() {
        let _ = app.update(Action::Edit(tui_input::InputRequest::InsertChar(c)));
    }
    let _ = app.update(Action::Cmd(Cmd::Submit));
    let t = render(&mut app, 100, 30);
    assert!(screen_text(&t).contains("match 1/1"), "{}", screen_text(&t));
    let (x, y) = find(t.backend().buffer(), "NONE").unwrap();
    assert_eq!(t.backend().buffer()[(x, y)].bg, app.theme().selected.bg.unwrap());
    // Esc closes it; the Scan pane is there again.
    let _ = app.update(Action::Cmd(Cmd::Cancel));
    assert!(!screen_text(&render(&mut app, 100, 30)).contains("JSON: scan row"));
}
