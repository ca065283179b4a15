//! Browsing driven through `update()`: what Enter reads, the stack of lists, paging, the
//! filter, the completions and the copy keys.

// Actions are fed and the state (or some effects) checked: not every effect is used.
#![allow(unused_must_use)]
use super::*;
use crate::jobs::worker::{Answer, JobRequest};
use crate::model::ErrorKind;
use crate::model::ServiceError;
use crate::model::{AllowMessages, EndpointState, EndpointStatus, EndpointType, Page, StatusReason};
use crate::model::{EndpointSummary, InstanceSummary, UserSummary};
use crate::tui::action::Action;
use crate::tui::state::Session;
use crate::tui::state::testing::{answer, jobs as requests};

const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1";
const U42: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/u-42";

fn app() -> App {
    App::new(Session::demo())
}

fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
    a.update(Action::Cmd(c))
}

fn typed(a: &mut App, s: &str) {
    for c in s.chars() {
        a.update(Action::Edit(InputRequest::InsertChar(c)));
    }
}

fn one_request(eff: &[Effect]) -> JobRequest {
    match requests(eff).as_slice() {
        [r] => r.clone(),
        other => panic!("one request expected, got {other:?} in {eff:?}"),
    }
}

/// The Esc hint says what Esc does: in a list opened while a describe runs, it goes back
/// (or clears the filter), while in the inputs it cancels the describe.
#[test]
fn hints_follow_esc_while_a_hidden_lookup_runs() {
    let esc = |a: &App| a.hints().iter().find(|(k, _)| *k == "Esc").map(|(_, w)| *w).unwrap_or("");
    let mut a = app();
    a.set_inputs(U42, "ep-1");
    let describe = one_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(esc(&a), "cancel");
    a.set_inputs(U42, "");
    let list = one_request(&cmd(&mut a, Cmd::Submit));
    answer(
        &mut a,
        &list,
        Ok(Answer::Endpoints(Page {
            items: vec![
                endpoint("ep-1", EndpointStatus::Active, None),
                endpoint("ep-2", EndpointStatus::Active, None),
            ],
            next_token: None,
        })),
    );
    assert_eq!(a.focus(), Focus::List);
    assert!(a.is_loading(), "the describe still runs, hidden behind the list");
    assert_eq!(esc(&a), "back");
    // A filter: Esc clears it, and does not cancel the describe.
    cmd(&mut a, Cmd::Filter);
    typed(&mut a, "ep-2");
    cmd(&mut a, Cmd::Submit);
    assert_eq!(esc(&a), "clear filter");
    let eff = cmd(&mut a, Cmd::Cancel);
    assert!(!eff.contains(&Effect::CancelJob(describe.id)), "{eff:?}");
    assert!(a.is_loading());
    assert_eq!(esc(&a), "back");
    // In the inputs Esc cancels it, as the hint says.
    cmd(&mut a, Cmd::FocusArn);
    assert_eq!(esc(&a), "cancel");
    assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::CancelJob(describe.id)]);
}

fn endpoint(id: &str, status: EndpointStatus, reason: Option<StatusReason>) -> EndpointSummary {
    EndpointSummary {
        app_instance_user_arn: Some(U42.into()),
        endpoint_id: Some(id.into()),
        name: Some(format!("phone {id}")),
        endpoint_type: Some(EndpointType::Gcm),
        allow_messages: Some(AllowMessages::All),
        state: Some(EndpointState { status, reason }),
    }
}

fn demo_endpoints() -> Vec<EndpointSummary> {
    vec![
        endpoint("ep-1", EndpointStatus::Active, None),
        endpoint("ep-2", EndpointStatus::Active, None),
        endpoint("ep-9", EndpointStatus::Inactive, Some(StatusReason::InvalidDeviceToken)),
        endpoint("ep-pinpoint", EndpointStatus::Inactive, Some(StatusReason::InvalidPinpointArn)),
        endpoint("ep-muted", EndpointStatus::Active, None),
    ]
}

fn endpoints(n: usize, from: usize, next: Option<&str>) -> Answer {
    Answer::Endpoints(Page {
        items: (from..from + n)
            .map(|k| endpoint(&format!("e{k:04}"), EndpointStatus::Active, None))
            .collect(),
        next_token: next.map(str::to_string),
    })
}

/// `n` users of INST from the `from`th on (user IDs `e0000`…): a list long enough to page (a
/// user's endpoints are at most 10).
fn many_users(n: usize, from: usize, next: Option<&str>) -> Answer {
    Answer::Users(Page {
        items: (from..from + n)
            .map(|k| UserSummary {
                app_instance_user_arn: Some(format!("{INST}/user/e{k:04}")),
                name: Some(format!("user {k}")),
                metadata: None,
            })
            .collect(),
        next_token: next.map(str::to_string),
    })
}

fn instances() -> Answer {
    let items = ["i-0", "i-1", "i-2"]
        .iter()
        .map(|i| InstanceSummary {
            app_instance_arn: Some(format!("arn:aws:chime:us-east-1:123456789012:app-instance/{i}")),
            name: Some(format!("instance {i}")),
            metadata: None,
        })
        .collect();
    Answer::Instances(Page { items, next_token: None })
}

fn users() -> Answer {
    let items = ["u-1", "u-42", "u-7"]
        .iter()
        .map(|u| UserSummary {
            app_instance_user_arn: Some(format!("{INST}/user/{u}")),
            name: Some(format!("user {u}")),
            metadata: None,
        })
        .collect();
    Answer::Users(Page { items, next_token: None })
}

fn top(a: &App) -> &ListView {
    a.browse.top().expect("a list on show")
}

fn selected_key(a: &App) -> Option<String> {
    let v = top(a);
    v.selected().and_then(|i| v.rows.key(i)).map(str::to_string)
}

/// The user ID of the selected row of a list of users.
fn selected_user(a: &App) -> Option<String> {
    selected_key(a).map(|k| crate::model::short_user(&k).to_string())
}

#[test]
fn enter_reads_what_was_typed() {
    let inst = Query::ListInstances { next_token: None };
    let users = Query::ListUsers { app_instance_arn: INST.into(), next_token: None };
    let eps = Query::ListEndpoints { user_arn: U42.into(), next_token: None };
    assert_eq!(intent("", ""), Intent::Browse(vec![inst.clone()]));
    assert_eq!(intent(INST, ""), Intent::Browse(vec![inst.clone(), users.clone()]));
    assert_eq!(intent(U42, ""), Intent::Browse(vec![inst, users, eps.clone()]));
    assert_eq!(intent(U42, "ep-1"), Intent::Describe);
    assert_eq!(intent("arn:aws:chime:us-east-1:1:app-inst/x", ""), Intent::Describe, "the lookup explains");
    assert!(matches!(intent(INST, "ep-1"), Intent::Refuse(Focus::EndpointId, _)));
    assert!(matches!(intent("", "ep-1"), Intent::Refuse(Focus::Arn, _)));

    // In the App: a user ARN alone lists its endpoints, and only that level is asked for.
    let mut a = app();
    a.set_inputs(U42, "");
    let eff = cmd(&mut a, Cmd::Submit);
    assert_eq!(one_request(&eff).query, eps);
    assert_eq!(a.focus(), Focus::List);
    assert!(a.browse.shows_list());
    assert_eq!(a.browse.stack.len(), 3, "the levels above wait, unloaded");
    assert_eq!(top(&a).status(), "loading…");
    assert_eq!(a.next_wakeup(), Some(crate::tui::state::app::SPIN_INTERVAL), "the spinner turns");
    // Refused: nothing sent, focus on the input to fix.
    a.set_inputs(INST, "ep-1");
    a.set_focus(Focus::Arn);
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert_eq!(a.focus(), Focus::EndpointId);
}

#[test]
fn drill_down_then_back_up_with_the_cursor_restored() {
    let mut a = app();
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(req.query, Query::ListInstances { next_token: None });
    answer(&mut a, &req, Ok(instances()));
    assert_eq!(top(&a).status(), "3 app instances");
    cmd(&mut a, Cmd::Down);
    // Enter on an instance: its users, the ARN input following.
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(req.query, Query::ListUsers { app_instance_arn: INST.into(), next_token: None });
    assert_eq!(a.arn().value(), INST);
    answer(&mut a, &req, Ok(users()));
    // The writes are an endpoint's: the users list offers none.
    assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::UserList);
    assert!(!a.hints().iter().any(|(_, w)| *w == "write"), "{:?}", a.hints());
    cmd(&mut a, Cmd::Down);
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(req.query, Query::ListEndpoints { user_arn: U42.into(), next_token: None });
    assert_eq!((a.arn().value(), a.endpoint_id().value()), (U42, ""));
    answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
    assert!(a.hints().contains(&("m/e/D/n", "write")), "{:?}", a.hints());
    cmd(&mut a, Cmd::Down);
    cmd(&mut a, Cmd::Down);
    assert_eq!(selected_key(&a).as_deref(), Some("ep-9"));
    // Enter on an endpoint: the describe, in the detail pane.
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-9".into() });
    assert_eq!(a.focus(), Focus::Detail);
    assert!(!a.browse.shows_list());
    assert_eq!(a.endpoint_id().value(), "ep-9");
    // A watch of an endpoint opened from the list: Esc stops the watch, and the hint says so.
    let shown = crate::model::Endpoint {
        app_instance_user_arn: Some(U42.into()),
        endpoint_id: Some("ep-9".into()),
        ..Default::default()
    };
    answer(&mut a, &req, Ok(Answer::Endpoint(Box::new(shown))));
    cmd(&mut a, Cmd::Watch);
    assert!(a.watch().is_some());
    assert!(a.hints().contains(&("Esc", "stop watch")), "{:?}", a.hints());
    assert!(!a.hints().contains(&("Esc", "back")), "{:?}", a.hints());
    cmd(&mut a, Cmd::Cancel);
    assert!(a.watch().is_none());
    assert!(a.hints().contains(&("Esc", "back")), "{:?}", a.hints());
    let req = one_request(&cmd(&mut a, Cmd::Retry));
    // Esc while it runs cancels it first; the next Esc goes back to the list.
    assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::CancelJob(req.id)]);
    assert_eq!(a.focus(), Focus::Detail);
    cmd(&mut a, Cmd::Cancel);
    assert_eq!(a.focus(), Focus::List);
    assert_eq!(selected_key(&a).as_deref(), Some("ep-9"), "the cursor where it was");
    assert_eq!((a.arn().value(), a.endpoint_id().value()), (U42, ""));
    // Backspace (and Esc) go up a level each, cursors kept.
    assert!(cmd(&mut a, Cmd::Back).is_empty(), "the level above is loaded: nothing asked");
    assert_eq!(selected_key(&a), Some(format!("{INST}/user/u-42")));
    assert_eq!(a.arn().value(), INST);
    cmd(&mut a, Cmd::Cancel);
    assert_eq!(selected_key(&a).as_deref(), Some(INST));
    assert_eq!(a.arn().value(), "");
    // At the top, Esc goes to the ARN input and the list stays.
    cmd(&mut a, Cmd::Cancel);
    assert_eq!(a.focus(), Focus::Arn);
    assert!(a.browse.shows_list());
    // Tab comes back to it.
    cmd(&mut a, Cmd::FocusNext);
    cmd(&mut a, Cmd::FocusNext);
    assert_eq!(a.focus(), Focus::List);
}

#[test]
fn a_level_above_a_typed_arn_loads_when_shown_with_its_cursor_on_the_way_down() {
    let mut a = app();
    a.set_inputs(U42, "");
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
    let req = one_request(&cmd(&mut a, Cmd::Back));
    assert_eq!(req.query, Query::ListUsers { app_instance_arn: INST.into(), next_token: None });
    answer(&mut a, &req, Ok(users()));
    assert_eq!(selected_key(&a), Some(U42.to_string()));
}

#[test]
fn the_next_page_is_asked_for_near_the_end_and_only_once() {
    let mut a = app();
    a.set_inputs(INST, "");
    let first = one_request(&cmd(&mut a, Cmd::Submit));
    assert!(answer(&mut a, &first, Ok(many_users(50, 0, Some("t1")))).is_empty(), "the screen is full");
    assert_eq!(top(&a).status(), "50 loaded, more…");
    let h = a.list_height();
    assert!(h < 40, "{h}");
    let mut asked = Vec::new();
    for _ in 0..49 {
        asked.extend(requests(&cmd(&mut a, Cmd::Down)));
    }
    assert_eq!(asked.len(), 1, "one request while one is in flight: {asked:?}");
    let second = asked.remove(0);
    assert_eq!(
        second.query,
        Query::ListUsers { app_instance_arn: INST.into(), next_token: Some("t1".into()) }
    );
    assert!(top(&a).cursor() + NEAR_END.max(h) >= 50);
    answer(&mut a, &second, Ok(many_users(50, 50, Some("t2"))));
    assert_eq!(top(&a).status(), "100 loaded, more…");
    let third = one_request(&cmd(&mut a, Cmd::Bottom));
    assert_eq!(third.query.at_page(None), first.query);
    assert_eq!(third.query, first.query.at_page(Some("t2".into())));
    answer(&mut a, &third, Ok(many_users(20, 100, None)));
    assert_eq!(top(&a).status(), "120 users");
    assert_eq!(top(&a).pages, 3);
    assert!(requests(&cmd(&mut a, Cmd::Bottom)).is_empty(), "complete");
    assert_eq!(selected_user(&a).as_deref(), Some("e0119"));
    // The view follows the cursor.
    let v = top(&a);
    assert!(v.offset() <= v.cursor() && v.cursor() < v.offset() + h);
}

#[test]
fn a_next_token_handed_out_twice_stops_paging_with_an_error() {
    let mut a = app();
    a.set_inputs(INST, "");
    let first = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &first, Ok(many_users(50, 0, Some("loop"))));
    let second = one_request(&cmd(&mut a, Cmd::Bottom));
    answer(&mut a, &second, Ok(many_users(50, 50, Some("loop"))));
    let v = top(&a);
    assert!(v.error.as_ref().is_some_and(|e| e.message.contains("NextToken of an earlier page again")));
    assert_eq!(v.rows.len(), 50, "the rows so far stay; the page that repeated a token is not shown");
    assert!(requests(&cmd(&mut a, Cmd::Bottom)).is_empty(), "no third request");
}

#[test]
fn more_endpoints_than_a_user_can_have_stop_paging_with_an_error() {
    let mut a = app();
    a.set_inputs(U42, "");
    let first = one_request(&cmd(&mut a, Cmd::Submit));
    // A short list: the next page is asked for at once.
    let second = one_request(&answer(&mut a, &first, Ok(endpoints(6, 0, Some("t1")))));
    assert!(answer(&mut a, &second, Ok(endpoints(6, 6, Some("t2")))).is_empty(), "no third request");
    let v = top(&a);
    let e = v.error.as_ref().expect("an invalid response");
    assert_eq!(e.kind, ErrorKind::InvalidResponse);
    assert!(e.message.contains("ListAppInstanceUserEndpoints: the service listed 12 endpoints"), "{e}");
    assert_eq!(v.rows.len(), 6, "the page beyond the quota is not shown");
    assert!(requests(&cmd(&mut a, Cmd::Bottom)).is_empty(), "no third request");
}

#[test]
fn completions_stop_at_a_repeated_token_or_more_endpoints_than_a_user_can_have() {
    for (second, what) in [
        (endpoints(1, 5, Some("t1")), "NextToken of an earlier page again"),
        (endpoints(6, 5, Some("t2")), "11 endpoints or more"),
    ] {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        let req2 = one_request(&answer(&mut a, &req, Ok(endpoints(5, 0, Some("t1")))));
        assert!(answer(&mut a, &req2, Ok(second)).is_empty(), "no third request");
        let c = &a.browse.completion;
        assert!(c.error.as_ref().is_some_and(|e| e.message.contains(what)), "{:?}", c.error);
        assert_eq!(c.items.len(), 5, "the page beyond the bounds is not offered");
    }
}

#[test]
fn stale_pages_are_dropped() {
    let mut a = app();
    let old = one_request(&cmd(&mut a, Cmd::Submit));
    // Enter again before the answer: the first request is cancelled and superseded.
    a.set_focus(Focus::Arn);
    let eff = cmd(&mut a, Cmd::Submit);
    assert!(eff.contains(&Effect::CancelJob(old.id)));
    let new = one_request(&eff);
    assert!(answer(&mut a, &old, Ok(instances())).is_empty());
    assert!(top(&a).rows.is_empty(), "the stale page is dropped");
    assert_eq!(top(&a).loading_id(), Some(new.id));
    answer(&mut a, &new, Ok(instances()));
    assert_eq!(top(&a).rows.len(), 3);
    // Leave a level before its page arrives: cancelled, and its late page dropped.
    let users_req = one_request(&cmd(&mut a, Cmd::Submit));
    let eff = cmd(&mut a, Cmd::Back);
    assert_eq!(eff, vec![Effect::CancelJob(users_req.id)]);
    assert!(answer(&mut a, &users_req, Ok(users())).is_empty());
    assert_eq!(a.browse.stack.len(), 1);
    assert_eq!(top(&a).rows.len(), 3);
    // The same page delivered twice counts once.
    assert!(answer(&mut a, &new, Ok(instances())).is_empty());
    assert_eq!(top(&a).rows.len(), 3);
}

#[test]
fn slash_filters_what_is_loaded() {
    let mut a = app();
    a.set_inputs(U42, "");
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
    cmd(&mut a, Cmd::Filter);
    assert!(a.list_filter_editing());
    typed(&mut a, "INVALID");
    let keys = |a: &App| {
        let v = top(a);
        v.visible().iter().map(|&i| v.rows.key(i).unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(keys(&a), ["ep-9", "ep-pinpoint"], "by reason, ignoring case");
    assert_eq!(top(&a).status(), "2 of 5 endpoints");
    // Enter keeps the filter and gives the keys back to the list.
    cmd(&mut a, Cmd::Submit);
    assert!(!a.list_filter_editing());
    cmd(&mut a, Cmd::Down);
    assert_eq!(selected_key(&a).as_deref(), Some("ep-pinpoint"));
    // The masked Name is not searched until shown.
    cmd(&mut a, Cmd::Filter);
    a.update(Action::Edit(InputRequest::DeleteLine));
    a.update(Action::Paste("phone ep-m\n".into()));
    assert!(keys(&a).is_empty());
    a.update(Action::Cmd(Cmd::Submit));
    cmd(&mut a, Cmd::ToggleSecrets);
    assert!(a.show_secrets);
    assert_eq!(keys(&a), ["ep-muted"]);
    // Esc clears the filter and keeps the cursor on its row; the next Esc goes up.
    cmd(&mut a, Cmd::Cancel);
    assert_eq!(keys(&a).len(), 5);
    assert_eq!(selected_key(&a).as_deref(), Some("ep-muted"));
    assert_eq!(a.browse.stack.len(), 3);
    cmd(&mut a, Cmd::Cancel);
    assert_eq!(a.browse.stack.len(), 2);
}

#[test]
fn a_failed_page_shows_in_place_and_r_asks_again() {
    let mut a = app();
    a.set_inputs(INST, "");
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &req, Err(ServiceError::new(ErrorKind::Throttled, "Rate exceeded", "")));
    assert_eq!(top(&a).error.as_ref().unwrap().kind, ErrorKind::Throttled);
    assert_eq!(top(&a).status(), "not loaded");
    assert!(requests(&cmd(&mut a, Cmd::Down)).is_empty(), "no retry loop");
    let retry = one_request(&cmd(&mut a, Cmd::Retry));
    assert_eq!(retry.query, req.query);
    assert!(top(&a).error.is_none());
    answer(&mut a, &retry, Ok(many_users(50, 0, Some("t1"))));
    let page2 = one_request(&cmd(&mut a, Cmd::Bottom));
    answer(&mut a, &page2, Err(ServiceError::new(ErrorKind::Network, "connection refused", "")));
    assert_eq!(top(&a).rows.len(), 50, "what is loaded stays");
    assert!(requests(&cmd(&mut a, Cmd::Up)).is_empty());
    let again = one_request(&cmd(&mut a, Cmd::Retry));
    assert_eq!(again.query, page2.query, "the page that failed, with its token");
    answer(&mut a, &again, Ok(many_users(7, 50, None)));
    assert_eq!(top(&a).status(), "57 users");
    // r with nothing failed reloads, paging back to where the cursor was.
    cmd(&mut a, Cmd::Bottom);
    let reload = one_request(&cmd(&mut a, Cmd::Retry));
    assert_eq!(reload.query, req.query);
    assert!(top(&a).rows.is_empty());
    let next = one_request(&answer(&mut a, &reload, Ok(many_users(50, 0, Some("t1")))));
    answer(&mut a, &next, Ok(many_users(7, 50, None)));
    assert_eq!(selected_user(&a).as_deref(), Some("e0056"));
}

#[test]
fn the_endpoint_id_input_offers_the_users_endpoints() {
    let mut a = app();
    a.set_inputs(U42, "");
    // The input getting the keyboard fetches them in the background.
    let req = one_request(&cmd(&mut a, Cmd::FocusNext));
    assert_eq!(req.query, Query::ListEndpoints { user_arn: U42.into(), next_token: None });
    assert_eq!(a.focus(), Focus::EndpointId);
    assert!(a.completion_visible(), "open, saying it is loading");
    let more = answer(&mut a, &req, Ok(endpoints(5, 0, Some("t1"))));
    let req2 = one_request(&more);
    assert_eq!(req2.query, req.query.at_page(Some("t1".into())), "all pages, in the background");
    answer(&mut a, &req2, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
    assert_eq!(a.browse.completion.items.len(), 10);
    assert!(a.completion_visible());
    // Leaving and coming back does not fetch again.
    cmd(&mut a, Cmd::FocusPrev);
    assert!(cmd(&mut a, Cmd::FocusNext).is_empty());
    // Typed text narrows; the first that starts with it is ghosted; Tab takes it.
    typed(&mut a, "ep-p");
    assert_eq!(a.completion_ghost(), Some("inpoint"));
    assert!(cmd(&mut a, Cmd::FocusNext).is_empty());
    assert_eq!(a.endpoint_id().value(), "ep-pinpoint");
    assert_eq!(a.focus(), Focus::EndpointId, "Tab completed instead of moving on");
    // → at the end takes it too.
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "ep-m");
    a.update(Action::Edit(InputRequest::GoToNextChar));
    assert_eq!(a.endpoint_id().value(), "ep-muted");
    // ↓ chooses among the matches; Enter takes the chosen one and looks it up.
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "ep-");
    cmd(&mut a, Cmd::Down);
    cmd(&mut a, Cmd::Down);
    cmd(&mut a, Cmd::Down);
    cmd(&mut a, Cmd::Up);
    assert_eq!(a.browse.completion.chosen("ep-"), Some("ep-2"));
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-2".into() });
    assert!(!a.completion_visible(), "closed by the lookup");
    // Esc closes the dropdown; the next Esc leaves the input.
    answer(&mut a, &req, Err(ServiceError::new(ErrorKind::NotFound, "x", "")));
    typed(&mut a, "x");
    a.update(Action::Edit(InputRequest::DeleteLine));
    assert!(a.completion_visible());
    cmd(&mut a, Cmd::Cancel);
    assert!(!a.completion_visible());
    assert_eq!(a.focus(), Focus::EndpointId);
    cmd(&mut a, Cmd::Cancel);
    assert_eq!(a.focus(), Focus::Detail);
    // Another user: fetched afresh (the old request, if any, cancelled).
    a.set_inputs(&U42.replace("u-42", "u-7"), "");
    a.set_focus(Focus::Arn);
    let req = one_request(&cmd(&mut a, Cmd::FocusNext));
    assert!(matches!(&req.query, Query::ListEndpoints { user_arn, .. } if user_arn.ends_with("u-7")));
    assert!(a.browse.completion.items.is_empty());
}

/// The completions of u-42, loaded: the dropdown open under the endpoint-ID input.
fn completing(items: Vec<EndpointSummary>) -> App {
    let mut a = app();
    a.set_inputs(U42, "");
    let req = one_request(&cmd(&mut a, Cmd::FocusNext));
    answer(&mut a, &req, Ok(Answer::Endpoints(Page { items, next_token: None })));
    a
}

#[test]
fn enter_looks_up_the_ghosted_completion_that_is_on_screen() {
    let mut a = completing(demo_endpoints());
    typed(&mut a, "ep-p");
    assert_eq!(a.completion_ghost(), Some("inpoint"), "one ID starts with ep-p: shown");
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-pinpoint".into() });
    assert_eq!(a.endpoint_id().value(), "ep-pinpoint", "the input says what was looked up");
    // Two IDs start with what is typed: nothing is guessed, Enter looks up what is typed,
    // and Tab completes as far as they agree.
    let mut a = completing(vec![
        endpoint("ep-1", EndpointStatus::Active, None),
        endpoint("ep-10", EndpointStatus::Active, None),
        endpoint("ep-11", EndpointStatus::Active, None),
    ]);
    typed(&mut a, "ep-1");
    assert_eq!(a.completion_ghost(), None);
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-1".into() });
    let mut a = completing(vec![
        endpoint("ep-10", EndpointStatus::Active, None),
        endpoint("ep-11", EndpointStatus::Active, None),
    ]);
    typed(&mut a, "e");
    cmd(&mut a, Cmd::FocusNext);
    assert_eq!(a.endpoint_id().value(), "ep-1");
}

#[test]
fn the_dropdown_says_it_is_loading() {
    let mut a = app();
    a.set_inputs(U42, "");
    let req = one_request(&cmd(&mut a, Cmd::FocusNext));
    assert!(a.completion_visible(), "open while the first page is on its way");
    answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: vec![], next_token: None })));
    assert!(!a.completion_visible(), "the user has none: nothing to offer");
}

#[test]
fn g_in_a_paged_list_goes_to_the_real_end() {
    let mut a = app();
    a.set_inputs(INST, "");
    let first = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &first, Ok(many_users(50, 0, Some("t1"))));
    let second = one_request(&cmd(&mut a, Cmd::Bottom));
    assert_eq!(top(&a).status(), "50 loaded, loading to the end…");
    let third = one_request(&answer(&mut a, &second, Ok(many_users(50, 50, Some("t2")))));
    assert_eq!(selected_user(&a).as_deref(), Some("e0099"), "on the last row so far");
    assert!(answer(&mut a, &third, Ok(many_users(7, 100, None))).is_empty());
    assert_eq!(selected_user(&a).as_deref(), Some("e0106"), "one G: the last row of the last page");
    assert_eq!(top(&a).status(), "107 users");
    // Another key on the way stops the run to the end.
    let mut a = app();
    a.set_inputs(INST, "");
    let first = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &first, Ok(many_users(50, 0, Some("t1"))));
    let second = one_request(&cmd(&mut a, Cmd::Bottom));
    cmd(&mut a, Cmd::Top);
    assert!(answer(&mut a, &second, Ok(many_users(50, 50, Some("t2")))).is_empty());
    assert_eq!(selected_user(&a).as_deref(), Some("e0000"));
}

#[test]
fn c_in_a_list_copies_the_rows_command_and_y_masks_the_name() {
    let mut a = app();
    a.set_inputs(U42, "");
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
    cmd(&mut a, Cmd::Down);
    let eff = cmd(&mut a, Cmd::CopyCommand);
    assert!(
        matches!(&eff[..], [Effect::Copy { text, .. }]
        if text.contains("describe-app-instance-user-endpoint") && text.contains("--endpoint-id ep-2")
            && text.contains(U42)),
        "{eff:?}"
    );
    let eff = cmd(&mut a, Cmd::CopyJson);
    assert!(
        matches!(&eff[..], [Effect::Copy { text, what }]
        if !text.contains("phone ep-2") && text.contains("(masked, 10 chars)") && what.contains("masked")),
        "{eff:?}"
    );
    cmd(&mut a, Cmd::ToggleSecrets);
    let eff = cmd(&mut a, Cmd::CopyJson);
    assert!(
        matches!(&eff[..], [Effect::Copy { text, what }]
        if text.contains("phone ep-2") && what.contains("in clear")),
        "{eff:?}"
    );
}

#[test]
fn c_copies_the_level_list_command_with_no_row() {
    let mut a = app();
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &req, Ok(Answer::Instances(Page { items: vec![], next_token: None })));
    let eff = cmd(&mut a, Cmd::CopyCommand);
    assert!(
        matches!(&eff[..], [Effect::Copy { text, .. }]
        if text.starts_with("aws chime-sdk-identity list-app-instances --region us-east-1")),
        "{eff:?}"
    );
    let mut a = app();
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &req, Ok(instances()));
    cmd(&mut a, Cmd::Down);
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &req, Ok(users()));
    let eff = cmd(&mut a, Cmd::CopyCommand);
    assert!(
        matches!(&eff[..], [Effect::Copy { text, .. }]
        if text.contains("describe-app-instance-user --app-instance-user-arn") && text.contains("/user/u-1")),
        "{eff:?}"
    );
    // Not the last detail lookup's stale describe.
    assert!(!matches!(&eff[..], [Effect::Copy { text, .. }] if text.contains("--endpoint-id")));
}

#[test]
fn y_copies_the_selected_rows_arn() {
    let mut a = app();
    let req = one_request(&cmd(&mut a, Cmd::Submit));
    answer(&mut a, &req, Ok(instances()));
    cmd(&mut a, Cmd::Down);
    let eff = cmd(&mut a, Cmd::CopyField);
    assert!(matches!(&eff[..], [Effect::Copy { what, text }]
        if what == "app instance ARN" && text.ends_with("app-instance/i-1")));
    let eff = cmd(&mut a, Cmd::CopyJson);
    assert!(matches!(&eff[..], [Effect::Copy { text, .. }] if text.contains("\"Name\": \"instance i-1\"")));
}
