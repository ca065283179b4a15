#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The list pane of each browsing level on a fixed-size TestBackend (instances, users,
//! endpoints with mixed states, loading more, a failed page in place, a filter, the
//! completion dropdown), with the state dot's colour read from the buffer cells.

#[path = "common/tui.rs"]
mod tui_fixtures;

use chimescope::jobs::worker::{Answer, JobRequest};
use chimescope::model::{Endpoint, EndpointSummary, InstanceSummary, Page, UserSummary};
use chimescope::model::{ErrorKind, ServiceError};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::{App, Focus};
use chimescope::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use serde_json::Value;
use std::time::Duration;
use tui_fixtures::{INSTANCE, U42, ULOAD, demo_seed, fg_of, find, new_app, render, screen_text};
use tui_input::InputRequest;

fn s(v: &Value, k: &str) -> Option<String> {
    v[k].as_str().map(str::to_string)
}

fn seed_instances() -> Vec<InstanceSummary> {
    demo_seed()["AppInstances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| InstanceSummary {
            app_instance_arn: s(v, "AppInstanceArn"),
            name: s(v, "Name"),
            metadata: s(v, "Metadata"),
        })
        .collect()
}

fn seed_users(instance: &str) -> Vec<UserSummary> {
    demo_seed()["AppInstanceUsers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["AppInstanceUserArn"].as_str().unwrap().starts_with(&format!("{instance}/")))
        .map(|v| UserSummary {
            app_instance_user_arn: s(v, "AppInstanceUserArn"),
            name: s(v, "Name"),
            metadata: s(v, "Metadata"),
        })
        .collect()
}

fn seed_endpoints(user: &str) -> Vec<EndpointSummary> {
    demo_seed()["AppInstanceUserEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["AppInstanceUserArn"] == user)
        .map(|v| Endpoint::from_json(v).unwrap().summary())
        .collect()
}

fn request(eff: &[Effect]) -> JobRequest {
    let reqs: Vec<_> = eff
        .iter()
        .filter_map(|e| match e {
            Effect::Job(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(reqs.len(), 1, "{eff:?}");
    reqs[0].clone()
}

fn answer(app: &mut App, req: &JobRequest, result: Result<Answer, ServiceError>) -> Vec<Effect> {
    tui_fixtures::answer(app, req, result, Duration::from_millis(5))
}

/// `n` users of INSTANCE, `load-000`…, named `Load user #000`…: a list long enough to page.
fn load_users(n: usize) -> Vec<UserSummary> {
    (0..n)
        .map(|k| UserSummary {
            app_instance_user_arn: Some(format!("{INSTANCE}/user/load-{k:03}")),
            name: Some(format!("Load user #{k:03}")),
            metadata: None,
        })
        .collect()
}

fn page<T>(items: Vec<T>, next: Option<&str>) -> Page<T> {
    Page { items, next_token: next.map(str::to_string) }
}

/// Type `arn` (nothing in the endpoint ID), Enter, answer the one request with `result`.
fn listing(app: &mut App, arn: &str, result: Result<Answer, ServiceError>) {
    app.set_inputs(arn, "");
    let req = request(&app.update(Action::Cmd(Cmd::Submit)));
    answer(app, &req, result);
}

/// The colour of the state dot on the row that shows `id`.
fn dot_colour(buf: &Buffer, id: &str) -> Color {
    let (_, y) = find(buf, &format!("● {id} ")).unwrap_or_else(|| panic!("the row of {id}"));
    let x = (0..buf.area.width).find(|&x| buf[(x, y)].symbol() == "●").unwrap();
    buf[(x, y)].fg
}

macro_rules! snap {
    ($name:expr, $term:expr) => {
        insta::assert_snapshot!($name, $term.backend())
    };
}

#[test]
fn instances() {
    let mut app = new_app();
    listing(&mut app, "", Ok(Answer::Instances(page(seed_instances(), None))));
    let t = render(&mut app, 120, 24);
    snap!("browse_instances", t);
    let s = screen_text(&t);
    assert!(s.contains("App instances"), "{s}");
    assert!(s.contains("3 app instances"), "{s}");
    assert!(s.contains("Café Berlin Chat") && s.contains("eu-central-1"), "{s}");
    assert!(s.contains("Enter open"), "the hints are the list's: {s}");
    assert_eq!(app.focus(), Focus::List);
}

#[test]
fn users_of_an_instance() {
    let mut app = new_app();
    listing(&mut app, INSTANCE, Ok(Answer::Users(page(seed_users(INSTANCE), None))));
    let _ = app.update(Action::Cmd(Cmd::Down));
    let t = render(&mut app, 100, 24);
    snap!("browse_users", t);
    let s = screen_text(&t);
    assert!(s.contains("Users of 7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69"), "{s}");
    assert!(s.contains("Ada Lovelace") && s.contains("u-42") && s.contains("6 users"), "{s}");
    assert!(s.contains("✓ app instance 7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69"), "{s}");
    // The row under the cursor is highlighted across the pane.
    let (x, y) = find(t.backend().buffer(), "José Álvarez").unwrap();
    assert_eq!(t.backend().buffer()[(x, y)].bg, Color::DarkGray);
}

#[test]
fn endpoints_with_mixed_states() {
    let mut app = new_app();
    // Opened from the instance's users, so the title names the user.
    listing(&mut app, INSTANCE, Ok(Answer::Users(page(seed_users(INSTANCE), None))));
    let req = request(&app.update(Action::Cmd(Cmd::Submit)));
    answer(&mut app, &req, Ok(Answer::Endpoints(page(seed_endpoints(U42), None))));
    let t = render(&mut app, 120, 24);
    snap!("browse_endpoints", t);
    let buf = t.backend().buffer();
    let s = screen_text(&t);
    assert!(s.contains("Endpoints of Ada Lovelace (u-42)"), "{s}");
    assert!(s.contains("5 endpoints"), "{s}");
    assert_eq!(dot_colour(buf, "ep-1"), Color::Green);
    assert_eq!(dot_colour(buf, "ep-2"), Color::Green);
    assert_eq!(dot_colour(buf, "ep-9"), Color::Red);
    assert_eq!(dot_colour(buf, "ep-pinpoint"), Color::Red);
    assert_eq!(dot_colour(buf, "ep-muted"), Color::Yellow, "ACTIVE but receives nothing");
    assert_eq!(fg_of(buf, "INVALID_DEVICE_TOKEN"), Color::Red);
    assert_eq!(fg_of(buf, "NONE"), Color::Yellow);
    assert!(!s.contains("Pixel 8 (old)"), "names are masked: {s}");
    // `s` shows them.
    let _ = app.update(Action::Cmd(Cmd::ToggleSecrets));
    let t = render(&mut app, 120, 24);
    assert!(screen_text(&t).contains("Pixel 8 (old)"));
}

#[test]
fn no_color_keeps_the_state_readable() {
    let mut app = new_app();
    app.set_theme(Theme::plain());
    listing(&mut app, U42, Ok(Answer::Endpoints(page(seed_endpoints(U42), None))));
    let t = render(&mut app, 120, 24);
    let buf = t.backend().buffer();
    assert_eq!(dot_colour(buf, "ep-9"), Color::Reset);
    let s = screen_text(&t);
    assert!(s.contains("INACTIVE") && s.contains("INVALID_DEVICE_TOKEN"), "the word carries it: {s}");
    let (x, y) = find(buf, "ep-1").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED), "the cursor without colour");
}

#[test]
fn loading_more() {
    let mut app = new_app();
    let _ = app.update(Action::Resize(120, 24));
    // A user has at most 10 endpoints: the long list is an instance's users.
    let all = load_users(57);
    listing(&mut app, INSTANCE, Ok(Answer::Users(page(all[..50].to_vec(), Some("next")))));
    let mut asked = Vec::new();
    for _ in 0..45 {
        asked.extend(app.update(Action::Cmd(Cmd::Down)));
    }
    let req = request(&asked);
    let t = render(&mut app, 120, 24);
    snap!("browse_loading_more", t);
    let s = screen_text(&t);
    assert!(s.contains("50 loaded, more…"), "{s}");
    assert!(s.contains("loading page 2…"), "{s}");
    assert!(s.contains("46/50"), "{s}");
    answer(&mut app, &req, Ok(Answer::Users(page(all[50..].to_vec(), None))));
    let t = render(&mut app, 120, 24);
    let s = screen_text(&t);
    assert!(s.contains("57 users") && !s.contains("loading page"), "{s}");
}

#[test]
fn errors_in_place() {
    // The first page failed: the error fills the pane, with its hint and the way out.
    let mut app = new_app();
    let mut err = ServiceError::new(ErrorKind::Throttled, "Rate exceeded", "ListAppInstanceUserEndpoints");
    err.http_status = Some(429);
    listing(&mut app, U42, Err(err.clone()));
    let t = render(&mut app, 100, 24);
    snap!("browse_error_first_page", t);
    let s = screen_text(&t);
    assert!(s.contains("✘ ThrottledClientException (throttled)") && s.contains("r tries again"), "{s}");
    assert_eq!(fg_of(t.backend().buffer(), "✘ ThrottledClientException"), Color::Red);

    // A later page failed: what is loaded stays, the failure on the last line.
    let mut app = new_app();
    let _ = app.update(Action::Resize(100, 24));
    let all = load_users(50);
    listing(&mut app, INSTANCE, Ok(Answer::Users(page(all, Some("next")))));
    let req = request(&app.update(Action::Cmd(Cmd::Bottom)));
    answer(&mut app, &req, Err(err));
    let t = render(&mut app, 100, 24);
    snap!("browse_error_next_page", t);
    let s = screen_text(&t);
    assert!(s.contains("✘ page 2 failed: ThrottledClientException: Rate exceeded · r tries again"), "{s}");
    let again = request(&app.update(Action::Cmd(Cmd::Retry)));
    assert_eq!(again.query, req.query);
}

#[test]
fn a_filter() {
    let mut app = new_app();
    listing(&mut app, U42, Ok(Answer::Endpoints(page(seed_endpoints(U42), None))));
    let _ = app.update(Action::Cmd(Cmd::Filter));
    for c in "inactive".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let t = render(&mut app, 100, 20);
    snap!("browse_filter", t);
    let s = screen_text(&t);
    assert!(s.contains("/inactive") && s.contains("2 of 5 match"), "{s}");
    assert!(s.contains("ep-9") && s.contains("ep-pinpoint") && !s.contains("ep-muted"), "{s}");
    assert!(s.contains("Enter keep filter"), "{s}");
}

#[test]
fn the_completion_dropdown() {
    let mut app = new_app();
    app.set_inputs(U42, "");
    let req = request(&app.update(Action::Cmd(Cmd::FocusNext)));
    answer(&mut app, &req, Ok(Answer::Endpoints(page(seed_endpoints(U42), None))));
    for c in "ep-p".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let t = render(&mut app, 100, 24);
    snap!("browse_completion", t);
    let s = screen_text(&t);
    assert!(s.contains("ep-pinpoint") && s.contains("Tab completes"), "{s}");
    let buf = t.backend().buffer();
    // The ghost after the cursor is dimmed.
    let (x, y) = find(buf, "ep-pinpoint").unwrap();
    assert_eq!(buf[(x + 4, y)].fg, Color::DarkGray, "the completed part is a ghost");
    // The dropdown's dots carry the state too.
    assert_eq!(dot_colour(buf, "ep-pinpoint"), Color::Red);
    // Tab takes it.
    let _ = app.update(Action::Cmd(Cmd::FocusNext));
    assert_eq!(app.endpoint_id().value(), "ep-pinpoint");
}

#[test]
fn ten_thousand_rows_draw_only_what_shows() {
    let mut app = new_app();
    // An instance's users (a user's endpoints are at most 10).
    let rows: Vec<UserSummary> = (0..10_000)
        .map(|k| UserSummary {
            app_instance_user_arn: Some(format!("{INSTANCE}/user/ep-{k:05}")),
            name: Some(format!("user {k}")),
            metadata: None,
        })
        .collect();
    listing(&mut app, INSTANCE, Ok(Answer::Users(page(rows, None))));
    let _ = app.update(Action::Resize(120, 30));
    let _ = app.update(Action::Cmd(Cmd::Bottom));
    let t = render(&mut app, 120, 30);
    let s = screen_text(&t);
    assert!(s.contains("ep-09999") && s.contains("10000 users") && s.contains("10000/10000"), "{s}");
    assert!(!s.contains("ep-00000"), "{s}");
}

#[test]
fn a_long_title_leaves_room_for_the_count() {
    let mut app = new_app();
    listing(&mut app, INSTANCE, Ok(Answer::Users(page(seed_users(INSTANCE), None))));
    let users = seed_users(INSTANCE);
    let k = users.iter().position(|u| u.app_instance_user_arn.as_deref() == Some(ULOAD)).unwrap();
    for _ in 0..k {
        let _ = app.update(Action::Cmd(Cmd::Down));
    }
    let req = request(&app.update(Action::Cmd(Cmd::Submit)));
    answer(&mut app, &req, Ok(Answer::Endpoints(page(seed_endpoints(ULOAD), None))));
    let _ = app.update(Action::Cmd(Cmd::Filter));
    for c in "load-003".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let _ = app.update(Action::Cmd(Cmd::Submit));
    for w in [80u16, 79, 78, 77, 76, 75, 70, 60, 50, 40] {
        let t = render(&mut app, w, 24);
        let s = screen_text(&t);
        let top = s.lines().find(|l| l.contains("of 10 endpoints")).unwrap_or_else(|| panic!("{s}"));
        assert!(top.ends_with(" 1 of 10 endpoints ┐"), "{w}: {top}");
        let left = top.split(" 1 of 10").next().unwrap();
        assert!(left.ends_with('─'), "a border cell separates the titles at {w}: {top}");
        assert!(left.contains("Endpoints of ") || w < 50, "{w}: {top}");
        if w == 76 {
            assert!(left.contains("…"), "the left title is cut with an ellipsis: {top}");
        }
    }
}

#[test]
fn the_completion_dropdown_lines_up_its_columns() {
    let mut app = new_app();
    app.set_inputs(U42, "");
    let req = request(&app.update(Action::Cmd(Cmd::FocusNext)));
    answer(&mut app, &req, Ok(Answer::Endpoints(page(seed_endpoints(U42), None))));
    for c in "ep-".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let t = render(&mut app, 100, 24);
    let s = screen_text(&t);
    let buf = t.backend().buffer();
    // ep-pinpoint is longer than the others: every status still starts in one column.
    let mut xs = Vec::new();
    for id in ["ep-1", "ep-9", "ep-muted", "ep-pinpoint"] {
        let (_, y) = find(buf, &format!("● {id} ")).unwrap_or_else(|| panic!("{id} in the dropdown: {s}"));
        let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let x = ["ACTIVE", "INACTIVE"].iter().filter_map(|w| row.find(&format!(" {w}"))).min().unwrap();
        xs.push((id, x));
    }
    assert!(xs.iter().all(|&(_, x)| x == xs[0].1), "the status column moves: {xs:?}\n{s}");
}

/// u-1001 of the demo seed, whose endpoint IDs are UUIDs.
const U1001: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69/user/u-1001";

#[test]
fn uuid_endpoint_ids_are_shown_whole_when_there_is_room() {
    // The list at 200 columns.
    let mut app = new_app();
    listing(&mut app, U1001, Ok(Answer::Endpoints(page(seed_endpoints(U1001), None))));
    let s = screen_text(&render(&mut app, 200, 30));
    assert!(s.contains("7b1e4d2c-0a9f-4e38-b6d1-2c3f4a5b6c7d "), "{s}");
    // The dropdown under the endpoint-ID input, at 120 columns.
    let mut app = new_app();
    app.set_inputs(U1001, "");
    let req = request(&app.update(Action::Cmd(Cmd::FocusNext)));
    answer(&mut app, &req, Ok(Answer::Endpoints(page(seed_endpoints(U1001), None))));
    let s = screen_text(&render(&mut app, 120, 30));
    assert!(s.contains("7b1e4d2c-0a9f-4e38-b6d1-2c3f4a5b6c7d "), "{s}");
    // Cut only when the pane is too narrow for it.
    let mut app = new_app();
    listing(&mut app, U1001, Ok(Answer::Endpoints(page(seed_endpoints(U1001), None))));
    let s = screen_text(&render(&mut app, 60, 20));
    assert!(s.contains("7b1e4d2c-") && s.contains('…'), "{s}");
}

#[test]
fn the_dropdown_says_none_in_words_and_that_it_is_loading() {
    let mut app = new_app();
    app.set_inputs(U42, "");
    let req = request(&app.update(Action::Cmd(Cmd::FocusNext)));
    let s = screen_text(&render(&mut app, 100, 24));
    assert!(s.contains("loading the user's endpoints…"), "not an empty gap while it loads: {s}");
    answer(&mut app, &req, Ok(Answer::Endpoints(page(seed_endpoints(U42), None))));
    for c in "ep-m".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    app.set_theme(Theme::plain());
    let s = screen_text(&render(&mut app, 100, 24));
    assert!(s.contains("● ep-muted") && s.contains("ACTIVE no msgs"), "NONE is not colour alone: {s}");
}

#[test]
fn an_empty_endpoint_list_keeps_its_reason_header() {
    let mut app = new_app();
    listing(&mut app, U42, Ok(Answer::Endpoints(page(vec![], None))));
    let s = screen_text(&render(&mut app, 100, 24));
    assert!(s.contains("ID  STATUS    REASON  TYPE  MSGS  DIAG  NAME"), "{s}");
    assert!(s.contains("No endpoints here."), "{s}");
}

#[test]
fn the_input_label_names_an_app_instance_arn() {
    let mut app = new_app();
    app.set_inputs(INSTANCE, "");
    let s = screen_text(&render(&mut app, 100, 24));
    assert!(s.contains("›Instance arn:aws:chime"), "{s}");
    app.set_inputs(U42, "");
    let s = screen_text(&render(&mut app, 100, 24));
    assert!(s.contains("›User ARN …ime:us-east-1"), "{s}");
}

#[test]
fn the_ghost_is_distinct_without_colour() {
    let mut app = new_app();
    app.set_theme(Theme::plain());
    app.set_inputs(U42, "");
    let req = request(&app.update(Action::Cmd(Cmd::FocusNext)));
    answer(&mut app, &req, Ok(Answer::Endpoints(page(seed_endpoints(U42), None))));
    for c in "ep-p".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let t = render(&mut app, 100, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "ep-pinpoint").unwrap();
    let typed = buf[(x, y)].modifier;
    let ghost = buf[(x + 4, y)].modifier;
    assert!(!typed.intersects(Modifier::DIM | Modifier::ITALIC), "{typed:?}");
    assert!(ghost.contains(Modifier::DIM | Modifier::ITALIC), "{ghost:?}");
    assert!(screen_text(&t).contains("ep-pinpoint  ← Tab/Enter"), "said in words too");
}

#[test]
fn list_hints_name_keys_that_work_where_the_focus_is() {
    let mut app = new_app();
    listing(&mut app, U42, Err(ServiceError::new(ErrorKind::Throttled, "Rate exceeded", "op")));
    let s = screen_text(&render(&mut app, 100, 24));
    assert!(s.contains("r tries again · Esc goes back"), "{s}");
    app.set_focus(Focus::Arn);
    let s = screen_text(&render(&mut app, 100, 24));
    assert!(!s.contains("r tries again ·") && s.contains("Tab to the list, then r tries again"), "{s}");
}

/// A structured filter and a sort: `status:INACTIVE` keeps the two that cannot receive, `>`
/// orders by status (cannot receive first), the title says the order, the cursor stays on its
/// row, and `<` goes back to the order loaded.
#[test]
fn a_structured_filter_and_a_sort() {
    let mut app = new_app();
    listing(&mut app, U42, Ok(Answer::Endpoints(page(seed_endpoints(U42), None))));
    let _ = app.update(Action::Cmd(Cmd::Filter));
    for c in "msgs:NONE".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let s = screen_text(&render(&mut app, 100, 20));
    assert!(s.contains("1 of 5 match") && s.contains("ep-muted") && !s.contains("ep-9 "), "{s}");
    let _ = app.update(Action::Cmd(Cmd::Cancel));
    let _ = app.update(Action::Cmd(Cmd::Filter));
    for c in "status:INACTIVE".chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let _ = app.update(Action::Cmd(Cmd::Submit));
    let s = screen_text(&render(&mut app, 100, 20));
    assert!(s.contains("2 of 5 match") && s.contains("ep-9") && s.contains("ep-pinpoint"), "{s}");
    assert!(!s.contains("ep-1 ") && !s.contains("ep-muted"), "{s}");
    // Clear it, sort by status: the two that cannot receive first, then the muted one.
    let _ = app.update(Action::Cmd(Cmd::Cancel));
    let _ = app.update(Action::Cmd(Cmd::SortNext));
    let t = render(&mut app, 100, 20);
    snap!("browse_sorted_by_status", t);
    let s = screen_text(&t);
    assert!(s.contains("5 endpoints · by status ▼"), "{s}");
    let row = |id: &str| find(t.backend().buffer(), &format!("● {id} ")).unwrap().1;
    assert!(row("ep-9") < row("ep-muted") && row("ep-pinpoint") < row("ep-muted"), "{s}");
    assert!(row("ep-muted") < row("ep-1"), "{s}");
    assert_eq!(fg_of(t.backend().buffer(), "by status"), app.theme().key.fg.unwrap());
    let _ = app.update(Action::Cmd(Cmd::SortPrev));
    let s = screen_text(&render(&mut app, 100, 20));
    assert!(!s.contains("by status"), "{s}");
}

mod memberships {
    use super::*;
    use chimescope::jobs::worker::Query;
    use chimescope::model::messaging::{ChannelMembership, MemberOf, PushPreferences};
    use tui_fixtures::{answer, showing};

    fn member(id: &str, name: &str, allow: Option<&str>, rule: Option<&str>) -> MemberOf {
        MemberOf {
            membership: ChannelMembership {
                channel_arn: format!("{INSTANCE}/channel/{id}"),
                channel_name: Some(name.into()),
                mode: Some("UNRESTRICTED".into()),
                privacy: Some("PUBLIC".into()),
                membership_type: Some("DEFAULT".into()),
            },
            preferences: PushPreferences {
                allow_notifications: allow.map(str::to_string),
                filter_rule: rule.map(str::to_string),
            },
        }
    }

    /// ep-1 of u-42 on show, `M` pressed and answered with four memberships: ALL, muted,
    /// filtered, a rule that cannot be read.
    fn listed() -> App {
        let mut app = showing("ep-1");
        let eff = app.update(Action::Cmd(Cmd::Memberships));
        let [Effect::Job(req)] = eff.as_slice() else { panic!("{eff:?}") };
        assert_eq!(req.query, Query::Memberships { user_arn: U42.into() });
        let read = vec![
            member("lab", "Device lab", Some("ALL"), None),
            member("alerts", "Release alerts", Some("NONE"), None),
            member("standup", "Standup", Some("FILTERED"), Some(r#"{"mention":["u-42"]}"#)),
            member("broken", "Broken rule", Some("FILTERED"), Some("{mention")),
        ];
        let _ = answer(&mut app, req, Ok(Answer::Memberships(read)), Duration::from_millis(3));
        app
    }

    /// The list: one row a channel with its preference in words and colour (muted and a bad
    /// rule red, filtered yellow, ALL green); Enter shows the selected one in full with the
    /// registry's finding and the AWS CLI command that reads it; v its JSON over the list.
    #[test]
    fn the_memberships_list_colours_muted_and_filtered_and_enter_shows_one_in_full() {
        let mut app = listed();
        let t = render(&mut app, 110, 30);
        let text = screen_text(&t);
        assert!(text.contains("Channel memberships of u-42 (4)"), "{text}");
        for row in ["ALL", "NONE: muted", "FILTERED", "FILTERED: bad rule"] {
            assert!(text.contains(row), "{row}: {text}");
        }
        let buf = t.backend().buffer();
        let th = app.theme().clone();
        assert_eq!(fg_of(buf, "NONE: muted"), th.status_bad.fg.unwrap());
        assert_eq!(fg_of(buf, "FILTERED: bad rule"), th.status_bad.fg.unwrap());
        assert_eq!(fg_of(buf, "Device lab"), th.value.fg.unwrap_or(Color::Reset));
        let (x, y) = find(buf, "Standup").unwrap();
        let filtered_at = (1..x).rev().find(|&x| buf[(x, y)].symbol() == "F").unwrap();
        assert_eq!(buf[(filtered_at, y)].fg, th.status_warn.fg.unwrap());
        assert!(text.contains("Enter preference · v JSON"), "the hints: {text}");
        insta::assert_snapshot!("memberships_list", text);
        // The muted one, in full.
        let _ = app.update(Action::Cmd(Cmd::Down));
        let _ = app.update(Action::Cmd(Cmd::Submit));
        let t = render(&mut app, 110, 30);
        let text = screen_text(&t);
        assert!(text.contains("warning channel-muted: the user muted the channel"), "{text}");
        assert!(text.contains("aws chime-sdk-messaging get-channel-membership-preferences"), "{text}");
        assert_eq!(fg_of(t.backend().buffer(), "warning channel-muted"), th.status_warn.fg.unwrap());
        insta::assert_snapshot!("memberships_in_full", text);
        // The bad rule: filter-rule-invalid.
        let _ = app.update(Action::Cmd(Cmd::Bottom));
        let text = screen_text(&render(&mut app, 110, 30));
        assert!(text.contains("filter-rule-invalid"), "{text}");
        // v: its JSON in the raw view, over the list; Esc back to the list.
        let _ = app.update(Action::Cmd(Cmd::RawView));
        let text = screen_text(&render(&mut app, 110, 30));
        assert!(text.contains("JSON: membership"), "{text}");
        assert!(text.contains(r#""FilterRule": "{mention""#), "{text}");
        let _ = app.update(Action::Cmd(Cmd::Cancel));
        let text = screen_text(&render(&mut app, 110, 30));
        assert!(text.contains("Channel memberships of u-42"), "{text}");
    }

    /// A read refused (Forbidden) is said in words in the list, never a panic.
    #[test]
    fn a_refused_read_is_said_in_words() {
        let mut app = showing("ep-1");
        let eff = app.update(Action::Cmd(Cmd::Memberships));
        let [Effect::Job(req)] = eff.as_slice() else { panic!("{eff:?}") };
        let mut e = ServiceError::new(
            ErrorKind::Forbidden,
            "User is not authorized",
            "ListChannelMembershipsForAppInstanceUser",
        );
        e.exception = "ForbiddenException".into();
        e.http_status = Some(403);
        let _ = answer(&mut app, req, Err(e), Duration::from_millis(3));
        let t = render(&mut app, 100, 30);
        let text = screen_text(&t);
        assert!(text.contains("✘ ForbiddenException (HTTP 403): User is not authorized"), "{text}");
        assert!(text.contains("r reads them again"), "{text}");
        assert_eq!(fg_of(t.backend().buffer(), "✘ ForbiddenException"), app.theme().status_bad.fg.unwrap());
    }

    /// On an 80×24 screen the trace under the fields comes into view on the last field (G), and
    /// once the memberships are read its membership gate says what stops the pushes (red ✗,
    /// the registry's codes with their channels).
    #[test]
    fn the_trace_is_visible_on_80x24_with_the_membership_gate_from_the_list() {
        let mut app = listed();
        let _ = app.update(Action::Cmd(Cmd::Cancel));
        app.set_focus(Focus::Detail);
        let _ = app.update(Action::Cmd(Cmd::Bottom));
        let t = render(&mut app, 80, 24);
        let text = screen_text(&t);
        assert!(text.contains("Path of a push"), "{text}");
        for gate in [" message ", " membership ", " endpoint ", " channel ", " provider "] {
            assert!(text.contains(gate), "{gate}: {text}");
        }
        assert!(text.contains("✗ channel-muted on Release alerts"), "{text}");
        let buf = t.backend().buffer();
        assert_eq!(fg_of(buf, "✗ channel-muted"), app.theme().status_bad.fg.unwrap());
        assert_eq!(fg_of(buf, "○ not checked"), app.theme().status_unknown.fg.unwrap());
        // The field stays in view.
        assert!(text.contains("Updated"), "{text}");
    }
}
