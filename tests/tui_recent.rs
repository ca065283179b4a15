#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The Recent pane on a fixed-size TestBackend: entries in every state, filtered,
//! empty, a stored result shown "from history", the changed fields after a refresh, the
//! narrow layout; the state dot's colour and the word beside it; names masked.

#[path = "common/tui.rs"]
mod tui_fixtures;

use chimescope::jobs::worker::Answer;
use chimescope::model::{EndpointStatus, Timestamp};
use chimescope::model::{ErrorKind, ServiceError};
use chimescope::store::history::{Entry, History, Options};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::{App, Focus};
use chimescope::tui::theme::Theme;
use chimescope::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use std::time::Duration;
use tui_fixtures::{U42, answer, find, new_app, render, screen_text, seed_endpoint, wall};
use tui_input::InputRequest;

const BOB: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/bob";

fn ago(secs: i64) -> Timestamp {
    Timestamp::from_secs((wall().as_second() - secs) as f64)
}

fn found(id: &str, secs_ago: i64) -> Entry {
    let e = seed_endpoint(id);
    // Looked up on the demo, as this browser is.
    Entry::new(U42, id, "us-east-1", ago(secs_ago), Ok(&e)).via(None, Some(DEMO_URL.into()))
}

const DEMO_URL: &str = "http://127.0.0.1:4566";

fn failed(arn: &str, id: &str, secs_ago: i64) -> Entry {
    let mut err =
        ServiceError::new(ErrorKind::NotFound, "no such endpoint", "DescribeAppInstanceUserEndpoint");
    err.http_status = Some(404);
    Entry::new(arn, id, "us-east-1", ago(secs_ago), Err(&err)).via(None, Some(DEMO_URL.into()))
}

/// An app whose history holds `entries` (oldest first in the slice is recorded first).
fn app_with(entries: Vec<Entry>) -> App {
    let mut h = History::new(std::path::PathBuf::new(), Options { cap: 20_000, store_secrets: false });
    for e in entries {
        h.record(e);
    }
    let mut app = new_app();
    app.attach_history_in_memory(h);
    let _ = app.update(Action::Resize(120, 30));
    app
}

/// Mixed states, newest first on screen: ep-1 ACTIVE, ep-muted, a failure, ep-9 INACTIVE,
/// ep-pinpoint INACTIVE.
fn mixed() -> App {
    app_with(vec![
        found("ep-pinpoint", 5 * 86_400),
        found("ep-9", 3 * 3600),
        failed(BOB, "ep-gone", 40 * 60),
        found("ep-muted", 12 * 60),
        found("ep-1", 30),
    ])
}

/// The colour of the state dot on the line of the entry `id` (the dot is just before it).
fn dot_colour(buf: &Buffer, id: &str) -> (String, Color) {
    let (x, y) = find(buf, &format!("● {id} ")).unwrap_or_else(|| panic!("entry {id} on screen"));
    (buf[(x, y)].symbol().to_string(), buf[(x, y)].fg)
}

/// The cells of one pane, one quoted line per row (as TestBackend prints a screen). Panes,
/// not whole screens, are snapshotted: the other panes change for their own reasons.
fn pane(t: &Terminal<TestBackend>, area: ratatui::layout::Rect) -> String {
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in area.top()..area.bottom() {
        s.push('"');
        for x in area.left()..area.right() {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push_str("\"\n");
    }
    s
}

fn areas(app: &App) -> ui::Areas {
    ui::areas(app.screen(), app).expect("a screen large enough")
}

/// Snapshot the Recent pane.
macro_rules! snap_recent {
    ($name:expr, $term:expr, $app:expr) => {
        insta::assert_snapshot!($name, pane(&$term, areas(&$app).recent.expect("the Recent pane")))
    };
}

/// Snapshot the detail pane.
macro_rules! snap_detail {
    ($name:expr, $term:expr, $app:expr) => {
        insta::assert_snapshot!($name, pane(&$term, areas(&$app).detail))
    };
}

fn cmd(app: &mut App, c: Cmd) -> Vec<Effect> {
    app.update(Action::Cmd(c))
}

#[test]
fn entries_in_every_state_with_coloured_dots_and_words() {
    let mut app = mixed();
    app.set_focus(Focus::Recent);
    let t = render(&mut app, 120, 30);
    snap_recent!("recent_entries", t, app);
    let buf = t.backend().buffer();
    assert_eq!(dot_colour(buf, "ep-1"), ("●".into(), Color::Green));
    assert_eq!(dot_colour(buf, "ep-muted"), ("●".into(), Color::Yellow));
    assert_eq!(dot_colour(buf, "ep-gone"), ("●".into(), Color::Red));
    assert_eq!(dot_colour(buf, "ep-9"), ("●".into(), Color::Red));
    assert_eq!(dot_colour(buf, "ep-pinpoint"), ("●".into(), Color::Red));
    // Never colour alone: the word says it too, in the same colour.
    let text = screen_text(&t);
    for word in ["ACTIVE · u-42", "ACTIVE · no messages · u-42", "not found · bob", "INACTIVE · u-42"] {
        assert!(text.contains(word), "{word:?} in\n{text}");
    }
    let (x, y) = find(buf, "INACTIVE · u-42").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Red);
    // Newest first, with relative times.
    let order: Vec<u16> = ["ep-1", "ep-muted", "ep-gone", "ep-9", "ep-pinpoint"]
        .iter()
        .map(|id| find(buf, &format!("● {id} ")).unwrap().1)
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    for when in ["30 s ago", "12 min ago", "40 min ago", "3 h ago", "5 d ago"] {
        assert!(text.contains(when), "{when} in\n{text}");
    }
    // Names are secrets: masked as in the detail pane, shown by `s`.
    assert!(!text.contains("Ada's iPhone 15"), "{text}");
    assert!(text.contains("u-42 · ••••••••"), "{text}");
    let _ = app.update(Action::Cmd(Cmd::ToggleSecrets));
    let text = screen_text(&render(&mut app, 120, 30));
    assert!(text.contains("u-42 · Ada's iPhone"), "{text}");
}

#[test]
fn no_colour_keeps_the_state_readable() {
    let mut app = mixed();
    app.set_theme(Theme::plain());
    let t = render(&mut app, 120, 30);
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            assert_eq!(buf[(x, y)].fg, Color::Reset, "colour at {x},{y}");
        }
    }
    let text = screen_text(&t);
    assert!(text.contains("INACTIVE · u-42") && text.contains("not found · bob"), "{text}");
}

#[test]
fn filtered_by_substring() {
    let mut app = mixed();
    app.set_focus(Focus::Recent);
    cmd(&mut app, Cmd::Filter);
    for c in "PIN".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let t = render(&mut app, 120, 30);
    snap_recent!("recent_filtered", t, app);
    let text = screen_text(&t);
    assert!(text.contains("Recent 1 of 5"), "{text}");
    assert!(text.contains("● ep-pinpoint") && !text.contains("● ep-1 "), "{text}");
    assert!(text.contains("Enter keep filter"), "{text}");
    // No match at all.
    for c in "xyz".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let text = screen_text(&render(&mut app, 120, 30));
    assert!(text.contains("No lookup matches “PINxyz”"), "{text}");
    // Esc clears it.
    cmd(&mut app, Cmd::Cancel);
    let text = screen_text(&render(&mut app, 120, 30));
    assert!(text.contains("Recent 5 ") && text.contains("● ep-1 "), "{text}");
}

#[test]
fn empty() {
    let mut app = app_with(vec![]);
    let t = render(&mut app, 120, 30);
    snap_recent!("recent_empty", t, app);
    assert!(screen_text(&t).contains("No recent lookups yet"));
}

#[test]
fn enter_shows_the_stored_result_from_history() {
    let mut app = mixed();
    app.set_focus(Focus::Recent);
    cmd(&mut app, Cmd::Down); // ep-muted, 12 min ago
    assert!(cmd(&mut app, Cmd::Submit).is_empty(), "no request");
    let t = render(&mut app, 120, 40);
    snap_detail!("recent_from_history", t, app);
    let text = screen_text(&t);
    assert!(text.contains("Endpoint ep-muted · from history"), "{text}");
    assert!(text.contains("From history, 12 min ago"), "{text}");
    assert!(text.contains("⚠ Opted out: AllowMessages is NONE"), "{text}");
    // A stored failure shows as the error it was.
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Submit);
    let text = screen_text(&render(&mut app, 120, 40));
    assert!(text.contains("✘ NotFoundException (not found)"), "{text}");
    assert!(text.contains("From history, 40 min ago"), "{text}");
}

#[test]
fn a_refresh_highlights_the_changed_fields() {
    // Stored 12 minutes ago: ep-1 ACTIVE with its token. Now it is INACTIVE with a new token.
    let mut app = app_with(vec![found("ep-1", 12 * 60)]);
    app.set_focus(Focus::Recent);
    let eff = cmd(&mut app, Cmd::Retry);
    let Some(Effect::Job(req)) = eff.last() else { panic!("{eff:?}") };
    let mut now = seed_endpoint("ep-1");
    now.state = Some(chimescope::model::EndpointState {
        status: EndpointStatus::Inactive,
        reason: Some(chimescope::model::StatusReason::InvalidDeviceToken),
    });
    now.device_token = Some("ffff".repeat(16));
    answer(&mut app, req, Ok(Answer::Endpoint(Box::new(now))), Duration::from_millis(8));
    let t = render(&mut app, 120, 40);
    snap_detail!("recent_changed_fields", t, app);
    let text = screen_text(&t);
    assert!(
        text.contains(
            "3 fields changed since 12 min ago: status ACTIVE → INACTIVE, reason — → INVALID_DEVICE_TOKEN, \
             device token changed"
        ),
        "{text}"
    );
    assert!(!text.contains("ffffffff"), "no secret value in the message or the pane: {text}");
    let buf = t.backend().buffer();
    for row in ["◆Status", "◆Reason", "◆Device token"] {
        let (x, y) = find(buf, row).unwrap_or_else(|| panic!("{row} on screen:\n{text}"));
        assert_eq!(buf[(x, y)].fg, Color::Yellow, "{row}");
    }
    assert!(text.contains("· was ACTIVE"), "{text}");
    assert!(find(buf, "◆Type").is_none() && find(buf, " Type ").is_some(), "unchanged rows are plain");
}

#[test]
fn narrow_screens_show_the_recent_pane_in_the_detail_pane_place() {
    let mut app = mixed();
    let t = render(&mut app, 80, 24);
    assert!(areas(&app).recent.is_none(), "no room beside the detail pane");
    // But the screen says there is a Recent pane, and how to get to it.
    let text = screen_text(&t);
    assert!(text.contains("Recent lookups (5): Tab to them"), "{text}");
    app.set_focus(Focus::Detail);
    cmd(&mut app, Cmd::FocusNext);
    assert_eq!(app.focus(), Focus::Recent);
    let t = render(&mut app, 80, 24);
    snap_recent!("recent_narrow", t, app);
    let text = screen_text(&t);
    assert!(text.contains("Recent 5") && text.contains("● ep-1 "), "{text}");
    // Enter shows the stored result where the list was.
    cmd(&mut app, Cmd::Submit);
    assert_eq!(app.focus(), Focus::Detail);
    let text = screen_text(&render(&mut app, 80, 24));
    assert!(text.contains("Endpoint ep-1 · from history"), "{text}");
}

#[test]
fn only_the_visible_rows_are_drawn_and_the_selection_stays_in_view() {
    let entries: Vec<Entry> = (0..10_000).map(|i| failed(U42, &format!("ep-{i:05}"), 10_000 - i)).collect();
    let mut app = app_with(entries);
    app.set_focus(Focus::Recent);
    cmd(&mut app, Cmd::Bottom);
    let t = render(&mut app, 120, 30);
    let text = screen_text(&t);
    assert!(text.contains("● ep-00000 "), "the oldest, selected, in view:\n{text}");
    assert!(text.contains("▲ 99"), "{text}");
    cmd(&mut app, Cmd::Top);
    let text = screen_text(&render(&mut app, 120, 30));
    assert!(text.contains("● ep-09999 ") && text.contains("▼ 99"), "{text}");
}

#[test]
fn a_click_selects_the_entry_under_it() {
    let mut app = mixed();
    app.set_mouse(true);
    let t = render(&mut app, 120, 30);
    let (x, y) = find(t.backend().buffer(), "● ep-9 ").unwrap();
    let _ = app.update(Action::Click { x: x + 3, y: y + 1 });
    assert_eq!(app.focus(), Focus::Recent);
    assert_eq!(app.recent().selected_entry().unwrap().endpoint_id, "ep-9");
}

#[test]
fn a_stored_result_after_a_failed_refresh_is_never_shown_as_current() {
    // Looked up 3 h ago (ACTIVE), refreshed just now: throttled.
    let mut h = History::new(std::path::PathBuf::new(), Options::default());
    h.record(found("ep-1", 3 * 3600));
    let mut err = ServiceError::new(ErrorKind::Throttled, "Rate exceeded", "DescribeAppInstanceUserEndpoint");
    err.exception = "ThrottledClientException".into();
    err.http_status = Some(429);
    h.record(Entry::new(U42, "ep-1", "us-east-1", ago(5), Err(&err)).via(None, Some(DEMO_URL.into())));
    let mut app = new_app();
    app.attach_history_in_memory(h);
    app.set_focus(Focus::Recent);
    cmd(&mut app, Cmd::Submit);
    let t = render(&mut app, 120, 40);
    let text = screen_text(&t);
    assert!(!text.contains("From history, just now"), "{text}");
    assert!(text.contains("From history: the last good answer, taken 3 h ago"), "{text}");
    assert!(
        text.contains("✘ The latest lookup, 5 s ago, failed: ThrottledClientException (throttled, HTTP")
            && text.contains("429): Rate exceeded"),
        "{text}"
    );
    assert!(text.contains("As of 3 h ago: ✔ Record OK"), "the verdict is qualified: {text}");
}

#[test]
fn each_entry_shows_where_it_was_looked_up() {
    let elsewhere = Entry::new(U42, "ep-9", "eu-central-1", ago(60), Ok(&seed_endpoint("ep-9")))
        .via(Some("prod".into()), None);
    let mut app = app_with(vec![elsewhere, found("ep-1", 30)]);
    let t = render(&mut app, 120, 30);
    let text = screen_text(&t);
    assert!(text.contains("  us-east-1 · demo "), "{text}");
    assert!(text.contains("  ≠ eu-central-1 · profile prod"), "marked as not this browser's: {text}");
    assert_eq!(tui_fixtures::fg_of(t.backend().buffer(), "≠ eu-central-1"), Color::Yellow);
    // Shown, the detail pane says the same.
    app.set_focus(Focus::Recent);
    cmd(&mut app, Cmd::Down);
    cmd(&mut app, Cmd::Submit);
    let text = screen_text(&render(&mut app, 120, 30));
    assert!(text.contains("offline copy from eu-central-1 · profile prod"), "{text}");
    assert!(
        text.contains("⚠ Looked up in eu-central-1 · profile prod; this browser looks up in us-east-1"),
        "{text}"
    );
}

#[test]
fn a_uuid_endpoint_id_is_shown_whole_when_the_screen_has_room() {
    const U1001: &str =
        "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-1001";
    let id = "7b1e4d2c-0a9f-4e38-b6d1-2c3f4a5b6c7d";
    let mut err =
        ServiceError::new(ErrorKind::NotFound, "no such endpoint", "DescribeAppInstanceUserEndpoint");
    err.http_status = Some(404);
    let e = Entry::new(U1001, id, "us-east-1", ago(60), Err(&err)).via(None, Some(DEMO_URL.into()));
    let mut app = app_with(vec![e]);
    let text = screen_text(&render(&mut app, 200, 30));
    assert!(text.contains(&format!("● {id} ")), "{text}");
    // At 120 columns the main panes keep their room: the ID is cut there.
    let text = screen_text(&render(&mut app, 120, 30));
    assert!(text.contains("● 7b1e4d2c-") && !text.contains(id), "{text}");
}
