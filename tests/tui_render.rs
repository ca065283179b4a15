#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The browser's screens on a fixed-size TestBackend: snapshots of each state, the status
//! cell's colour, and a property test that no sequence of keys, pastes and resizes panics.

#[path = "common/tui.rs"]
mod tui_fixtures;

use chimescope::jobs::worker::{Answer, JobDone, Query};
use chimescope::model::{ErrorKind, ServiceError};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::{App, Detail, Focus};
use chimescope::tui::theme::Theme;
use chimescope::tui::{keymap, ui};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use std::time::{Duration, Instant};
use tui_fixtures::{
    U42, answer, fg_of, find, new_app, render, screen_text, seed_endpoint, showing, submit, wall,
};

fn failing(err: ServiceError) -> App {
    let mut app = new_app();
    app.set_inputs(U42, "ep-404");
    app.set_focus(Focus::EndpointId);
    let req = submit(&mut app);
    answer(&mut app, &req, Err(err), Duration::from_millis(340));
    app
}

macro_rules! snap {
    ($name:expr, $term:expr) => {
        insta::assert_snapshot!($name, $term.backend())
    };
}

#[test]
fn empty() {
    let mut app = new_app();
    let t = render(&mut app, 100, 24);
    snap!("empty", t);
    let text = screen_text(&t);
    assert!(text.contains("profile demo · us-east-1 · demo (local)"), "{text}");
    assert!(text.contains("Enter look up"), "{text}");
}

#[test]
fn invalid_arn_being_typed() {
    let mut app = new_app();
    let _ = app.update(Action::Paste("arn:aws:chime:US-east-1:123456789012:app-instance/x".into()));
    let t = render(&mut app, 100, 24);
    snap!("invalid_arn", t);
    assert_eq!(fg_of(t.backend().buffer(), "✘ the region"), Color::Red);
}

#[test]
fn valid_arn_is_shown_parsed() {
    let mut app = new_app();
    let _ = app.update(Action::Paste(U42.into()));
    let t = render(&mut app, 100, 24);
    let text = screen_text(&t);
    assert!(text.contains("✓ region us-east-1"), "{text}");
    assert!(text.contains("user u-42"), "{text}");
    assert_eq!(fg_of(t.backend().buffer(), "✓ region"), Color::Green);
}

#[test]
fn loading() {
    let mut app = new_app();
    app.set_inputs(U42, "ep-1");
    let _ = app.update(Action::Cmd(Cmd::Submit));
    let later = app.now() + Duration::from_millis(1234);
    let _ = app.update(Action::Clock { now: later, wall: wall() });
    let t = render(&mut app, 100, 24);
    snap!("loading", t);
    assert!(screen_text(&t).contains("Looking up ep-1 in us-east-1 … 1.2 s"));
}

#[test]
fn active() {
    let mut app = showing("ep-1");
    let t = render(&mut app, 100, 40);
    snap!("active", t);
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "● ACTIVE: the service will push to it"), Color::Green);
    // The channel is being checked: no green verdict, and it says so.
    assert_ne!(fg_of(buf, "✔ Record OK · checking the Pinpoint channel…"), Color::Green);
    let text = screen_text(&t);
    assert!(!text.contains("2542283432f8"), "the device token is masked");
    assert!(text.contains("64 chars"), "its length is shown");
    assert!(text.contains("APNS_SANDBOX Apple Push Notification service sandbox (development builds only)"));
    assert!(text.contains("2023-11-15 00:25:19 UTC · 1 year ago"), "{text}");
}

#[test]
fn inactive_invalid_device_token() {
    let mut app = showing("ep-9");
    let t = render(&mut app, 100, 40);
    snap!("inactive_invalid_device_token", t);
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "● INACTIVE"), Color::Red);
    assert_eq!(fg_of(buf, "INVALID_DEVICE_TOKEN: the push service rejected"), Color::Red);
}

#[test]
fn inactive_invalid_pinpoint_arn() {
    let mut app = showing("ep-pinpoint");
    let t = render(&mut app, 100, 40);
    snap!("inactive_invalid_pinpoint_arn", t);
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "● INACTIVE"), Color::Red);
    assert!(screen_text(&t).contains("ResourceArn does not name a usable Pinpoint app"));
}

#[test]
fn allow_messages_none() {
    let mut app = showing("ep-muted");
    let t = render(&mut app, 100, 40);
    snap!("allow_messages_none", t);
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "NONE receives no messages"), Color::Yellow);
    assert_eq!(fg_of(buf, "● ACTIVE"), Color::Green);
    assert_eq!(fg_of(buf, "⚠ Opted out: AllowMessages is NONE"), Color::Yellow);
}

#[test]
fn each_error_kind() {
    for &kind in ErrorKind::ALL {
        let mut e = ServiceError::new(
            kind,
            format!("what the {} said", kind.name()),
            "DescribeAppInstanceUserEndpoint",
        );
        if kind.is_service() {
            e.http_status = Some(match kind {
                ErrorKind::NotFound => 404,
                ErrorKind::Forbidden => 403,
                ErrorKind::Throttled => 429,
                _ => 400,
            });
            e.request_id = Some("4f1c0b9e-0000-4000-8000-000000000001".into());
        }
        let mut app = failing(e);
        let t = render(&mut app, 100, 24);
        snap!(format!("error_{}", kind.name()), t);
        let text = screen_text(&t);
        assert!(text.contains(&format!("✘ {}", kind.name())), "{text}");
        assert!(text.contains("Hint"), "{text}");
        assert_eq!(fg_of(t.backend().buffer(), &format!("✘ {}", kind.name())), Color::Red);
    }
}

#[test]
fn secrets_shown() {
    let mut app = showing("ep-1");
    let _ = app.update(Action::Cmd(Cmd::ToggleSecrets));
    let t = render(&mut app, 100, 40);
    snap!("secrets_shown", t);
    let text = screen_text(&t);
    assert!(text.contains("2542283432f8b6b2e09d999a6adf71522d2f6d513525b9842b4cc6e047a2fdd2"));
    assert!(text.contains("Ada's iPhone 15"));
}

#[test]
fn small_40x12() {
    let mut app = showing("ep-9");
    let t = render(&mut app, 40, 12);
    snap!("small_40x12", t);
    // the field cursor scrolls the pane and the border says there is more
    assert!(screen_text(&t).contains("more"));
    let _ = app.update(Action::Cmd(Cmd::Bottom));
    let t = render(&mut app, 40, 12);
    let text = screen_text(&t);
    assert!(text.contains("Updated"), "{text}");
    assert!(text.contains("above"), "{text}");
}

#[test]
fn large_200x50_with_local_time() {
    let mut app = showing("ep-1");
    app.set_tz(jiff::tz::TimeZone::fixed(jiff::tz::offset(2)));
    let t = render(&mut app, 200, 50);
    snap!("large_200x50", t);
    assert!(screen_text(&t).contains("local 2023-11-15 02:25:19 +02:00"));
}

#[test]
fn help_overlay() {
    let mut app = showing("ep-1");
    let _ = app.update(Action::Cmd(Cmd::Help));
    let t = render(&mut app, 100, 40);
    snap!("help", t);
}

#[test]
fn too_small_and_tiny() {
    let mut app = showing("ep-1");
    let t = render(&mut app, 20, 5);
    snap!("too_small", t);
    assert!(screen_text(&t).contains("Terminal too"));
    for (w, h) in [(1, 1), (2, 1), (1, 3), (0, 0), (29, 9), (30, 10), (31, 11)] {
        let _ = render(&mut app, w, h);
    }
}

#[test]
fn no_color_keeps_the_status_readable() {
    let mut app = showing("ep-9");
    app.set_theme(Theme::plain());
    let t = render(&mut app, 100, 40);
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            assert_eq!(buf[(x, y)].fg, Color::Reset, "colour at {x},{y}");
            assert_eq!(buf[(x, y)].bg, Color::Reset, "colour at {x},{y}");
        }
    }
    let text = screen_text(&t);
    assert!(text.contains("● INACTIVE: the service will not push to it"));
    assert!(text.contains("✘ Cannot receive pushes"));
}

#[test]
fn escape_sequences_in_values_are_shown_escaped() {
    let mut app = new_app();
    app.set_inputs(U42, "ep-1");
    let req = submit(&mut app);
    let mut e = seed_endpoint("ep-1");
    e.name = Some("evil\u{1b}[2J\u{1b}]52;c;AAAA\u{7}name".into());
    e.resource_arn = Some("arn:aws:mobiletargeting:us-east-1:1:apps/x\u{9b}31m".into());
    answer(&mut app, &req, Ok(Answer::Endpoint(Box::new(e))), Duration::from_millis(1));
    let _ = app.update(Action::Cmd(Cmd::ToggleSecrets));
    // ...and typed into an input
    let _ = app.update(Action::Cmd(Cmd::FocusArn));
    let _ = app.update(Action::Paste("x\u{1b}[31my".into()));
    let t = render(&mut app, 120, 40);
    let text = screen_text(&t);
    assert!(text.contains("evil\\e[2J\\e]52;c;AAAA\\u{7}name"), "{text}");
    assert!(text.contains("apps/x\\u{9b}31m"), "{text}");
    assert!(text.contains("␛[31my"), "{text}");
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "a raw control character reached the screen");
}

#[test]
fn mouse_click_selects_a_field() {
    let mut app = showing("ep-1");
    app.set_mouse(true);
    let t = render(&mut app, 100, 40);
    let (_, y) = find(t.backend().buffer(), "Device token").unwrap();
    let _ = app.update(Action::Click { x: 5, y });
    assert_eq!(app.focus(), Focus::Detail);
    assert_eq!(app.selected_field(), chimescope::tui::state::FieldId::DeviceToken);
    let (_, y) = find(t.backend().buffer(), "User ARN").unwrap();
    let _ = app.update(Action::Click { x: 30, y });
    assert_eq!(app.focus(), Focus::Arn);
}

// ---------------------------------------------------------------------------------------
// Random sequences never panic
// ---------------------------------------------------------------------------------------

mod props {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Op {
        Key(KeyCode, KeyModifiers),
        Paste(String),
        Resize(u16, u16),
        /// Answer the running lookup: Ok with a seed endpoint, or an error.
        Answer(bool, u8),
        /// Let time pass.
        Tick(u16),
    }

    fn key_code() -> impl Strategy<Value = KeyCode> {
        prop_oneof![
            4 => any::<char>().prop_map(KeyCode::Char),
            4 => prop::sample::select(vec!['q', 'j', 'k', 's', 'y', 'Y', 'c', 'r', 'g', 'G', '?', '/', 'd', 'i', 'a', '-', ':'])
                .prop_map(KeyCode::Char),
            3 => prop::sample::select(vec![
                KeyCode::Enter, KeyCode::Esc, KeyCode::Tab, KeyCode::BackTab, KeyCode::Backspace,
                KeyCode::Delete, KeyCode::Left, KeyCode::Right, KeyCode::Up, KeyCode::Down,
                KeyCode::Home, KeyCode::End, KeyCode::PageUp, KeyCode::PageDown, KeyCode::F(1),
            ]),
        ]
    }

    fn mods() -> impl Strategy<Value = KeyModifiers> {
        prop::sample::select(vec![
            KeyModifiers::NONE,
            KeyModifiers::NONE,
            KeyModifiers::NONE,
            KeyModifiers::SHIFT,
            KeyModifiers::CONTROL,
            KeyModifiers::ALT,
            KeyModifiers::CONTROL | KeyModifiers::ALT,
        ])
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            10 => (key_code(), mods())
                .prop_filter("Ctrl-C quits", |(c, m)| !(*c == KeyCode::Char('c') && m.contains(KeyModifiers::CONTROL)))
                .prop_map(|(c, m)| Op::Key(c, m)),
            2 => prop_oneof![
                Just(U42.to_string()),
                Just(format!("  {U42}\n")),
                Just("ep-1".to_string()),
                ".{0,80}".prop_map(|s| s),
                "[\\x00-\\x1f\\x7f-\\x9f a-z:/山]{0,40}".prop_map(|s| s),
            ].prop_map(Op::Paste),
            1 => (0u16..230, 0u16..70).prop_map(|(w, h)| Op::Resize(w, h)),
            2 => (any::<bool>(), any::<u8>()).prop_map(|(ok, n)| Op::Answer(ok, n)),
            1 => (0u16..10_000).prop_map(Op::Tick),
        ]
    }

    fn apply(
        app: &mut App,
        running: &mut Option<(u64, chimescope::jobs::worker::Owner, Query)>,
        effects: Vec<Effect>,
    ) {
        for e in effects {
            match e {
                Effect::Job(r) => *running = Some((r.id, r.owner, r.query)),
                Effect::CancelJob(_)
                | Effect::Copy { .. }
                | Effect::Record(_)
                | Effect::SaveHistory
                | Effect::StartScan { .. }
                | Effect::StopScan
                | Effect::StartBatch { .. }
                | Effect::StopBatch
                | Effect::SaveCommands(_)
                | Effect::WriteHistory(_)
                | Effect::SwitchContext { .. }
                | Effect::Export { .. }
                | Effect::Bell
                | Effect::Quit => {}
            }
        }
        let _ = app;
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 200, ..ProptestConfig::default() })]
        #[test]
        fn random_input_never_panics(ops in prop::collection::vec(op(), 0..40), mouse in any::<bool>()) {
            let mut app = new_app();
            app.set_mouse(mouse);
            let mut running: Option<(u64, chimescope::jobs::worker::Owner, Query)> = None;
            let (mut w, mut h) = (80u16, 24u16);
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            let eps = ["ep-1", "ep-9", "ep-pinpoint", "ep-muted"];
            for op in ops {
                let effects = match op {
                    Op::Key(code, mods) => {
                        let ev = Event::Key(KeyEvent::new(code, mods));
                        match keymap::action_for(&app, &ev) {
                            Some(a) => app.update(a),
                            None => vec![],
                        }
                    }
                    Op::Paste(s) => app.update(Action::Paste(s)),
                    Op::Resize(nw, nh) => {
                        w = nw;
                        h = nh;
                        term = Terminal::new(TestBackend::new(w, h)).unwrap();
                        app.update(Action::Resize(w, h))
                    }
                    Op::Answer(ok, n) => match running.take() {
                        Some((id, owner, query)) => {
                            let result = if ok {
                                Ok(Answer::Endpoint(Box::new(seed_endpoint(eps[n as usize % eps.len()]))))
                            } else {
                                Err(ServiceError::new(ErrorKind::NotFound, "x".repeat(n as usize), "op"))
                            };
                            app.update(Action::JobDone(JobDone { id, owner, query, result, elapsed: Duration::from_millis(n as u64) }))
                        }
                        None => vec![],
                    },
                    Op::Tick(ms) => {
                        let now = app.now() + Duration::from_millis(ms as u64);
                        app.update(Action::Clock { now, wall: wall() })
                    }
                };
                apply(&mut app, &mut running, effects);
                term.draw(|f| ui::draw(f, &app)).unwrap();
                if let Some(i) = app.endpoint().map(|_| app.field()) {
                    prop_assert!(i < chimescope::tui::state::FIELDS.len());
                }
                if let Detail::Loading { .. } = app.detail() {
                    prop_assert!(app.next_wakeup().is_some());
                }
            }
            let _ = Instant::now();
        }
    }
}

#[test]
fn typical_80x24_scrolls_with_the_cursor() {
    let mut app = showing("ep-pinpoint");
    let t = render(&mut app, 80, 24);
    snap!("typical_80x24", t);
    for _ in 0..10 {
        let _ = app.update(Action::Cmd(Cmd::Down));
    }
    let t = render(&mut app, 80, 24);
    snap!("typical_80x24_scrolled", t);
    assert_eq!(app.selected_field(), chimescope::tui::state::FieldId::DeviceToken);
    assert!(screen_text(&t).contains("Device token"));
}

/// The cursor of a scrolled input full of double-width characters sits right after the last
/// one, whatever the parity of the scroll offset.
#[test]
fn the_cursor_follows_wide_characters() {
    for (value, w) in [
        ("山田太郎".repeat(6), 40u16),
        ("山田太郎".repeat(6), 41),
        (format!("a{}", "山田太郎".repeat(6)), 40),
        (format!("a{}", "山田太郎".repeat(6)), 41),
        ("東京都港区六本木".repeat(3), 33),
    ] {
        let mut app = new_app();
        app.set_inputs(&value, "");
        app.set_focus(Focus::Arn);
        let mut t = render(&mut app, w, 24);
        let buf = t.backend().buffer().clone();
        let pos = t.get_cursor_position().unwrap();
        let row: Vec<&str> = (0..w).map(|x| buf[(x, pos.y)].symbol()).collect();
        let last = value.chars().last().unwrap().to_string();
        assert_eq!(row[pos.x as usize - 2], last, "{w} {value}: the cursor at {pos:?} in {row:?}");
        assert_eq!(row[pos.x as usize], " ", "{w} {value}: nothing under the cursor: {row:?}");
        // The cursor is on the field's last column, or the one before (a wide character
        // does not fit in one).
        let last_col = w - 2;
        assert!(pos.x == last_col || pos.x == last_col - 1, "{w} {value}: {pos:?}");
    }
}

/// A demo app whose session has `--region` set.
fn with_region_flag(region: &str) -> App {
    let session = chimescope::tui::state::Session {
        region_flag: Some(region.into()),
        ..chimescope::tui::state::Session::demo()
    };
    let mut app = App::new(session);
    app.set_theme(Theme::colored());
    app
}

#[test]
fn the_arn_check_marks_only_what_can_be_looked_up() {
    // An account ID of 11 digits, a user ID with a comma or a further segment: refused.
    for (arn, why) in [
        (U42.replace("123456789012", "12345678901"), "has 11 digits; an AWS account ID is exactly 12 digits"),
        (format!("{U42}, ep-9"), "holds"),
        (format!("{U42}/extra"), "goes on after a '/'"),
    ] {
        let mut app = new_app();
        app.set_inputs(&arn, "");
        let t = render(&mut app, 200, 24);
        let text = screen_text(&t);
        assert!(text.contains(why) && !text.contains('✓'), "{arn}: {text}");
        assert_eq!(fg_of(t.backend().buffer(), "✘ "), Color::Red);
    }
    // --region other than the ARN's: a warning, not a green check.
    let mut app = with_region_flag("eu-central-1");
    app.set_inputs(U42, "ep-1");
    let t = render(&mut app, 200, 24);
    let text = screen_text(&t);
    assert!(!text.contains('✓'), "{text}");
    assert!(text.contains("⚠ --region eu-central-1 differs from the ARN's region us-east-1"), "{text}");
    assert_eq!(fg_of(t.backend().buffer(), "⚠ --region"), Color::Yellow);
    // An ARN in a region with no Identity endpoint.
    let mut app = new_app();
    app.set_inputs(&U42.replace("us-east-1", "ap-south-1"), "ep-1");
    let text = screen_text(&render(&mut app, 200, 24));
    assert!(!text.contains('✓'), "{text}");
    assert!(
        text.contains("the ARN's region has no Identity endpoint (only us-east-1, eu-central-1)"),
        "{text}"
    );
}

#[test]
fn a_network_error_in_a_region_without_an_endpoint_says_why_first() {
    let mut app = new_app();
    app.set_inputs(&U42.replace("us-east-1", "ap-south-1"), "ep-1");
    app.set_focus(Focus::EndpointId);
    let req = submit(&mut app);
    let mut err =
        ServiceError::new(ErrorKind::Network, "dispatch failure", "DescribeAppInstanceUserEndpoint");
    err.hint = "could not reach the service: check the network, proxy and --endpoint-url".into();
    answer(&mut app, &req, Err(err), Duration::from_millis(30));
    let text = screen_text(&render(&mut app, 120, 30));
    let note = text.find("the ARN's region has no Identity endpoint (only us-east-1, eu-central-1)");
    let proxy = text.find("proxy");
    assert!(note.is_some() && note < proxy, "{text}");
}

#[test]
fn allow_messages_none_never_says_it_can_receive_pushes() {
    let mut app = showing("ep-muted");
    let text = screen_text(&render(&mut app, 100, 40));
    assert!(text.contains("receives no messages"), "{text}");
    assert!(!text.contains("can receive pushes"), "the Status row contradicts the verdict: {text}");
}

#[test]
fn hints_on_screen_are_true_for_the_focus() {
    // After a failed lookup the focus stays in the input, where r and y type.
    let mut app = failing(ServiceError::new(ErrorKind::NotFound, "no such endpoint", ""));
    assert_eq!(app.focus(), Focus::EndpointId);
    let text = screen_text(&render(&mut app, 100, 24));
    assert!(!text.contains("r retries") && !text.contains("y copies the report ·"), "{text}");
    assert!(text.contains("Enter tries again"), "{text}");
    app.set_focus(Focus::Detail);
    let text = screen_text(&render(&mut app, 100, 24));
    assert!(text.contains("r retries · y copies the report"), "{text}");
    // A masked value says "s shows" only where s shows.
    let mut app = showing("ep-1");
    app.set_focus(Focus::EndpointId);
    let text = screen_text(&render(&mut app, 100, 40));
    assert!(!text.contains("s shows"), "{text}");
    app.set_focus(Focus::Detail);
    assert!(screen_text(&render(&mut app, 100, 40)).contains("s shows"));
}

#[test]
fn the_first_screen_names_the_help_key_that_works_in_the_input() {
    let mut app = new_app();
    assert_eq!(app.focus(), Focus::Arn);
    let text = screen_text(&render(&mut app, 100, 24));
    assert!(!text.contains("? or F1"), "? types into the ARN input: {text}");
    assert!(text.contains("F1 lists every key"), "{text}");
    // And `?` does type there.
    let ev = Event::Key(KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT));
    assert!(matches!(keymap::action_for(&app, &ev), Some(Action::Edit(_))));
    app.set_focus(Focus::Detail);
    assert!(screen_text(&render(&mut app, 100, 24)).contains("? or F1 lists every key"));
}

#[test]
fn the_help_fits_80_columns_and_g_reaches_its_end() {
    let mut app = new_app();
    let _ = app.update(Action::Resize(80, 24));
    let _ = app.update(Action::Cmd(Cmd::Help));
    let _ = app.update(Action::Cmd(Cmd::Bottom));
    let text = screen_text(&render(&mut app, 80, 24));
    assert!(text.contains("NO_COLOR turns") && text.contains("colour off."), "the last line whole: {text}");
    let _ = app.update(Action::Cmd(Cmd::Top));
    assert!(screen_text(&render(&mut app, 80, 24)).contains("Anywhere"));
    let _ = app.update(Action::Cmd(Cmd::PageDown));
    assert!(!screen_text(&render(&mut app, 80, 24)).contains("Anywhere"), "a page down");
}

// ---------------------------------------------------------------------------------------
// The Diagnosis group: the doctor's findings at the top of the detail pane

#[test]
fn diagnosis_group_of_a_muted_endpoint() {
    let mut app = showing("ep-muted");
    app.set_focus(Focus::Detail);
    // The cursor starts on Status; Top takes it to the first finding (which shows its fix).
    let _ = app.update(Action::Cmd(Cmd::Top));
    assert_eq!(app.selected_finding(), Some(0));
    let t = render(&mut app, 100, 40);
    snap!("diagnosis_muted", t);
    let buf = t.backend().buffer();
    let theme = &app.theme();
    // Opting out is the user's choice: a warning, in rule order before the stale token.
    let (_, err_y) = find(buf, "warning messages-off").unwrap();
    let (_, warn_y) = find(buf, "warning stale-fcm-token").unwrap();
    assert!(err_y < warn_y, "rule order");
    assert_eq!(theme.status_bad.fg, Some(Color::Red));
    assert_eq!(theme.status_warn.fg, Some(Color::Yellow));
    let (x, y) = find(buf, "⚠ warning messages-off").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Yellow, "the icon");
    assert_eq!(buf[(x + 2, y)].fg, Color::Yellow, "the severity and code");
    let (x, y) = find(buf, "⚠ warning stale-fcm-token").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
    assert_eq!(buf[(x + 2, y)].fg, Color::Yellow);
    // The evidence dim (the first finding's is under the selection bar, the second's is not).
    assert_eq!(fg_of(buf, "evidence: CreatedTimestamp"), Color::DarkGray);
    let (x, y) = find(buf, "evidence: AllowMessages: NONE").unwrap();
    assert_eq!(buf[(x, y)].bg, Color::DarkGray, "the cursor's finding is selected");
    let text = screen_text(&t);
    assert!(text.contains("fix: if the user did not opt out"), "the fix under the cursor: {text}");
    assert!(!text.contains("fix: the app should refresh"), "not under the others: {text}");
    // The Diagnosis group sits above the State group, under the verdict.
    let (_, diag) = find(buf, "Diagnosis").unwrap();
    let (_, state) = find(buf, "State").unwrap();
    let (_, verdict) = find(buf, "⚠ Opted out: AllowMessages is NONE").unwrap();
    assert!(verdict < diag && diag < state);
}

#[test]
fn the_verdict_takes_the_worst_finding_when_the_state_does_not_say_it() {
    // ACTIVE, ALL: the state says it can receive pushes, but the token is no APNs token.
    let mut app = new_app();
    app.set_inputs(U42, "ep-1");
    let req = submit(&mut app);
    let mut e = seed_endpoint("ep-1");
    e.device_token = Some("<0a1b 2c3d>".into());
    answer(&mut app, &req, Ok(Answer::Endpoint(Box::new(e))), Duration::from_millis(1));
    let t = render(&mut app, 100, 40);
    let text = screen_text(&t);
    assert!(!text.contains("✔ Can receive pushes"), "{text}");
    let verdict = format!("✘ {}", app.diagnosis()[0].message);
    assert!(verdict.contains("debug print"), "{verdict}");
    assert_eq!(fg_of(t.backend().buffer(), &verdict[..20]), Color::Red);
    // No secret on screen: the evidence is masked.
    assert!(!text.contains("0a1b 2c3d"), "{text}");
    // ep-1 as seeded has no error or warning: its verdict is the state's.
    let mut app = showing("ep-1");
    assert!(app.diagnosis().iter().all(|f| f.severity < chimescope::doctor::Severity::Warning));
    let t = render(&mut app, 100, 40);
    assert_ne!(fg_of(t.backend().buffer(), "✔ Record OK · checking"), Color::Green, "not checked yet");
}

#[test]
fn y_on_a_finding_copies_it_with_its_evidence_and_fix() {
    let mut app = showing("ep-9");
    app.set_focus(Focus::Detail);
    let findings = app.diagnosis();
    assert_eq!(findings[0].code, "inactive-device-token");
    // Up from Status goes to the last finding, then the one above it.
    assert_eq!(app.selected_finding(), None);
    let _ = app.update(Action::Cmd(Cmd::Up));
    assert_eq!(app.selected_finding(), Some(findings.len() - 1));
    let _ = app.update(Action::Cmd(Cmd::Top));
    assert_eq!(app.selected_finding(), Some(0));
    let eff = app.update(Action::Cmd(Cmd::CopyField));
    assert_eq!(
        eff,
        vec![Effect::Copy { what: "finding inactive-device-token".into(), text: findings[0].to_text() }]
    );
    let Effect::Copy { text, .. } = &eff[0] else { unreachable!() };
    assert!(text.contains("evidence: EndpointState: INACTIVE, INVALID_DEVICE_TOKEN"), "{text}");
    assert!(text.contains("fix: "), "{text}");
    // Down past the last finding lands on Status, where y copies the field again.
    for _ in 0..findings.len() {
        let _ = app.update(Action::Cmd(Cmd::Down));
    }
    assert_eq!(app.selected_finding(), None);
    assert_eq!(app.selected_field(), chimescope::tui::state::FieldId::Status);
    assert_eq!(
        app.update(Action::Cmd(Cmd::CopyField)),
        vec![Effect::Copy { what: "status".into(), text: "INACTIVE".into() }]
    );
    // A click on a finding's row puts the cursor on it.
    app.set_mouse(true);
    let t = render(&mut app, 100, 40);
    let (_, y) = find(t.backend().buffer(), "warning stale-fcm-token").unwrap();
    let _ = app.update(Action::Click { x: 10, y });
    assert_eq!(app.selected_finding(), Some(1));
}

#[test]
fn user_level_findings_only_with_the_user_s_endpoints_in_the_browse_list() {
    use chimescope::model::EndpointSummary;
    use chimescope::tui::state::list::{ListView, Rows};
    let mut app = showing("ep-1");
    assert!(!app.diagnosis().iter().any(|f| f.code == "endpoint-limit"), "no list: skipped");
    let summary = |i: usize| EndpointSummary {
        app_instance_user_arn: Some(U42.into()),
        endpoint_id: Some(if i == 0 { "ep-1".into() } else { format!("ep-x{i}") }),
        name: None,
        endpoint_type: None,
        allow_messages: None,
        state: None,
    };
    let list = |n: usize| {
        ListView::loaded(
            Query::ListEndpoints { user_arn: U42.into(), next_token: None },
            Rows::Endpoints((0..n).map(summary).collect()),
            true,
        )
    };
    app.set_lists(vec![list(9)], false);
    assert!(!app.diagnosis().iter().any(|f| f.code == "endpoint-limit"), "9 endpoints");
    app.set_lists(vec![list(10)], false);
    let d = app.diagnosis();
    let f = d.iter().find(|f| f.code == "endpoint-limit").expect("10 endpoints");
    assert!(f.message.contains("10 endpoints"), "{f:?}");
    app.set_lists(vec![list(10)], true);
    let t = render(&mut app, 100, 40);
    assert_eq!(fg_of(t.backend().buffer(), "warning endpoint-limit"), Color::Yellow);
}

#[test]
fn the_verdict_stays_on_top_when_the_pane_scrolls() {
    // At 40x12 the pane scrolls with the cursor; the verdict stays on its first rows.
    let mut app = showing("ep-9");
    app.set_focus(Focus::Detail);
    let _ = app.update(Action::Cmd(Cmd::Bottom));
    let t = render(&mut app, 40, 12);
    let bottom = screen_text(&t);
    assert!(bottom.contains("Updated") && bottom.contains("above"), "{bottom}");
    let (_, pane_top) = find(t.backend().buffer(), "┌ Endpoint ep-9").expect("the pane");
    let (_, verdict) =
        find(t.backend().buffer(), "✘ Cannot receive pushes").expect("the verdict is on screen");
    assert_eq!(verdict, pane_top + 1, "{bottom}");
    assert_eq!(fg_of(t.backend().buffer(), "✘ Cannot receive pushes"), Color::Red);
}

#[test]
fn the_doctor_command_puts_the_cursor_on_the_worst_finding_and_says_what_it_found() {
    fn run(app: &mut App, line: &str) {
        let mut press = |code| {
            let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
            if let Some(a) = keymap::action_for(app, &ev) {
                let _ = app.update(a);
            }
        };
        for c in line.chars() {
            press(KeyCode::Char(c));
        }
        press(KeyCode::Enter);
    }
    let mut app = new_app();
    app.set_focus(Focus::Detail);
    run(&mut app, ":doctor");
    let said = app.notice().map(|n| n.text.clone()).unwrap_or_default();
    assert!(said.starts_with(":doctor diagnoses the endpoint on show"), "{said}");

    let mut app = showing("ep-9");
    app.set_focus(Focus::List);
    run(&mut app, ":doctor");
    assert_eq!(app.focus(), Focus::Detail);
    assert_eq!(app.selected_finding(), Some(0), "the cursor on the worst finding");
    let worst = app.diagnosis()[0].clone();
    assert_eq!(worst.severity.as_str(), "error");
    let said = app.notice().map(|n| n.text.clone()).unwrap_or_default();
    assert!(said.starts_with("Doctor: ") && said.contains(worst.code.as_str()), "{said}");
}
