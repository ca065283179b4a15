//! The Recent pane driven through `update()`: recording, the filter, showing a stored
//! result, refreshing, forgetting, the copy keys and the contexts.

// Actions are fed and the state (or some effects) checked: not every effect is used.
#![allow(unused_must_use)]
use super::*;
use crate::jobs::worker::{Answer, JobDone};
use crate::model::{Endpoint, EndpointState, EndpointStatus};
use crate::model::{ErrorKind, ServiceError};
use crate::tui::action::Action;
use crate::tui::action::Effect;
use crate::tui::state::Session;
use std::time::Duration;
use tui_input::InputRequest;

const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42";
const ARN2: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/bob";

fn wall(secs: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_764_000_000 + secs).unwrap()
}

fn endpoint(id: &str, status: EndpointStatus, token: &str) -> Endpoint {
    Endpoint {
        app_instance_user_arn: Some(ARN.into()),
        endpoint_id: Some(id.into()),
        name: Some("Ada's phone".into()),
        device_token: Some(token.into()),
        state: Some(EndpointState { status, reason: None }),
        ..Default::default()
    }
}

fn app() -> App {
    let mut a = App::new(Session::demo());
    a.attach_history_in_memory(History::new(PathBuf::new(), Options::default()));
    a.update(Action::Resize(120, 40));
    let now = a.now();
    a.update(Action::Clock { now, wall: wall(0) });
    a
}

/// Look up `arn` + `id` at `secs` and answer with `result`; returns the effects of the answer.
fn lookup(
    a: &mut App,
    secs: i64,
    arn: &str,
    id: &str,
    result: Result<Endpoint, ServiceError>,
) -> Vec<Effect> {
    let now = a.now();
    a.update(Action::Clock { now, wall: wall(secs) });
    a.set_inputs(arn, id);
    a.set_focus(Focus::EndpointId);
    let eff = a.update(Action::Cmd(Cmd::Submit));
    let Some(Effect::Job(req)) = eff.last() else { panic!("{eff:?}") };
    let req = req.clone();
    a.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query,
        result: result.map(|e| Answer::Endpoint(Box::new(e))),
        elapsed: Duration::from_millis(5),
    }))
}

fn ids(a: &App) -> Vec<String> {
    a.recent.matches().iter().map(|&i| a.recent.history().entries()[i].endpoint_id.clone()).collect()
}

fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
    a.update(Action::Cmd(c))
}

fn typed(a: &mut App, s: &str) {
    for c in s.chars() {
        a.update(Action::Edit(InputRequest::InsertChar(c)));
    }
}

#[test]
fn every_lookup_is_recorded_newest_first_and_a_repeat_moves_to_the_top() {
    let mut a = app();
    assert!(a.recent.history().is_empty());
    let eff = lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t1")));
    // The runner saves on Record (the jobs after it: the user checks).
    assert!(matches!(eff.first(), Some(Effect::Record(_))), "the runner saves on Record: {eff:?}");
    assert!(eff[1..].iter().all(|e| matches!(e, Effect::Job(_))), "{eff:?}");
    lookup(&mut a, 10, ARN, "ep-9", Err(ServiceError::new(ErrorKind::NotFound, "no", "op")));
    lookup(&mut a, 20, ARN2, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
    assert_eq!(ids(&a), ["ep-1", "ep-9", "ep-1"]);
    assert!(a.recent.history().entries()[1].is_failed(), "failed lookups are recorded too");
    assert_eq!(a.recent.history().entries()[0].user_arn, ARN2);
    // The same ARN + ID again: moved to the top, no duplicate.
    lookup(&mut a, 30, ARN, "ep-9", Ok(endpoint("ep-9", EndpointStatus::Active, "t")));
    assert_eq!(ids(&a), ["ep-9", "ep-1", "ep-1"]);
    assert_eq!(a.recent.history().len(), 3);
    assert_eq!(a.recent.selected(), 0, "the new lookup is selected");
    let top = &a.recent.history().entries()[0];
    assert_eq!((top.endpoint_id.as_str(), top.user_arn.as_str()), ("ep-9", ARN));
    assert_eq!(top.endpoint_url.as_deref(), Some("http://127.0.0.1:4566"));
    assert_eq!(top.time, timestamp(wall(30)));
}

#[test]
fn j_k_move_and_enter_shows_the_stored_result_at_once() {
    let mut a = app();
    lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t1")));
    lookup(&mut a, 60, ARN, "ep-9", Ok(endpoint("ep-9", EndpointStatus::Inactive, "t9")));
    a.set_focus(Focus::Recent);
    cmd(&mut a, Cmd::Down);
    assert_eq!(a.recent.selected_entry().unwrap().endpoint_id, "ep-1");
    cmd(&mut a, Cmd::Down);
    assert_eq!(a.recent.selected(), 1, "stops at the end");
    cmd(&mut a, Cmd::Up);
    cmd(&mut a, Cmd::Up);
    assert_eq!(a.recent.selected(), 0);
    cmd(&mut a, Cmd::Bottom);
    let now = a.now();
    a.update(Action::Clock { now, wall: wall(12 * 60) });
    let eff = cmd(&mut a, Cmd::Submit);
    assert!(eff.is_empty(), "no request: {eff:?}");
    assert!(!a.is_loading());
    assert_eq!(a.endpoint().unwrap().endpoint_id.as_deref(), Some("ep-1"));
    let v = a.from_history().expect("marked as from the history");
    assert_eq!(crate::model::time::relative_time(v.time, timestamp(a.wall())), "12 min ago");
    assert_eq!(a.focus(), Focus::Recent, "the list keeps the keyboard");
    assert_eq!(a.arn().value(), ARN);
    assert_eq!(a.endpoint_id().value(), "ep-1");
    // r refreshes it from the service; the answer is no longer "from history".
    let eff = cmd(&mut a, Cmd::Retry);
    let Some(Effect::Job(req)) = eff.last() else { panic!("{eff:?}") };
    assert_eq!(req.query, Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() });
    a.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query.clone(),
        result: Ok(Answer::Endpoint(Box::new(endpoint("ep-1", EndpointStatus::Active, "t1")))),
        elapsed: Duration::from_millis(5),
    }));
    assert!(a.from_history().is_none());
    assert!(a.changed_fields().is_none(), "nothing changed");
}

#[test]
fn a_stored_failure_shows_as_an_error_from_history() {
    let mut a = app();
    let mut err = ServiceError::new(ErrorKind::NotFound, "no such endpoint", "op");
    err.http_status = Some(404);
    lookup(&mut a, 0, ARN, "nope", Err(err));
    a.set_focus(Focus::Recent);
    cmd(&mut a, Cmd::Submit);
    match &a.detail {
        Detail::Error { error, .. } => {
            assert_eq!(error.kind, ErrorKind::NotFound);
            assert_eq!(error.http_status, Some(404));
            assert_eq!(error.message, "no such endpoint");
        }
        other => panic!("{other:?}"),
    }
    assert!(a.from_history().is_some());
}

#[test]
fn filter_narrows_by_substring_and_esc_clears() {
    let mut a = app();
    lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
    lookup(&mut a, 1, ARN2, "ep-2", Ok(endpoint("ep-2", EndpointStatus::Active, "t")));
    lookup(&mut a, 2, ARN, "other", Ok(endpoint("other", EndpointStatus::Active, "t")));
    // `/` from the detail pane goes to the Recent pane's filter.
    a.set_focus(Focus::Detail);
    cmd(&mut a, Cmd::Filter);
    assert!(a.recent_filter_editing());
    typed(&mut a, "EP-");
    assert_eq!(ids(&a), ["ep-2", "ep-1"], "ignoring case");
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "bob");
    assert_eq!(ids(&a), ["ep-2"], "the ARN is searched");
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "ada");
    assert!(ids(&a).is_empty(), "a masked name is not searched");
    a.update(Action::Cmd(Cmd::ToggleSecrets));
    assert_eq!(ids(&a), ["other", "ep-2", "ep-1"], "a shown name is searched (held in memory)");
    a.update(Action::Cmd(Cmd::ToggleSecrets));
    a.update(Action::Edit(InputRequest::DeleteLine));
    a.update(Action::Paste(" zzz \n".into()));
    assert!(ids(&a).is_empty());
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "ep-1");
    // Enter keeps the filter and gives the keys back to the list.
    cmd(&mut a, Cmd::Submit);
    assert!(!a.recent_filter_editing());
    assert_eq!(ids(&a), ["ep-1"]);
    // Enter again shows the one match.
    cmd(&mut a, Cmd::Submit);
    assert_eq!(a.endpoint().unwrap().endpoint_id.as_deref(), Some("ep-1"));
    // Esc clears the filter.
    cmd(&mut a, Cmd::Cancel);
    assert_eq!(a.recent.filter.value(), "");
    assert_eq!(ids(&a).len(), 3);
    assert_eq!(a.recent.selected_entry().unwrap().endpoint_id, "ep-1", "the selection is kept");
}

#[test]
fn d_forgets_the_selected_entry_and_asks_for_a_save() {
    let mut a = app();
    lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
    lookup(&mut a, 1, ARN, "ep-2", Ok(endpoint("ep-2", EndpointStatus::Active, "t")));
    a.set_focus(Focus::Recent);
    assert_eq!(cmd(&mut a, Cmd::Forget), vec![Effect::SaveHistory]);
    assert_eq!(ids(&a), ["ep-1"]);
    assert!(a.notice().unwrap().text.contains("Forgot ep-2 of u-42"));
    assert_eq!(cmd(&mut a, Cmd::Forget), vec![Effect::SaveHistory]);
    assert!(ids(&a).is_empty());
    assert!(cmd(&mut a, Cmd::Forget).is_empty(), "nothing left to forget");
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    // u brings them back, the last forgotten first, where they were.
    assert_eq!(cmd(&mut a, Cmd::Unforget), vec![Effect::SaveHistory]);
    assert_eq!(ids(&a), ["ep-1"]);
    assert!(a.notice().unwrap().text.contains("Brought back ep-1 of u-42"));
    assert_eq!(cmd(&mut a, Cmd::Unforget), vec![Effect::SaveHistory]);
    assert_eq!(ids(&a), ["ep-2", "ep-1"]);
    assert_eq!(a.recent.selected_entry().unwrap().endpoint_id, "ep-2", "the one brought back is selected");
    assert!(cmd(&mut a, Cmd::Unforget).is_empty());
    assert!(a.notice().unwrap().text.starts_with("Nothing to bring back"));
    // Saved: the tombstone is lifted, the entries are in the file again.
    let json = a.recent.history().to_json().to_string();
    assert!(json.contains("ep-2") && json.contains("ep-1"), "{json}");
}

#[test]
fn a_refresh_that_differs_names_the_changed_fields_without_secrets() {
    let mut a = app();
    lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "secret-token-1")));
    let eff = lookup(
        &mut a,
        12 * 60,
        ARN,
        "ep-1",
        Ok(endpoint("ep-1", EndpointStatus::Inactive, "secret-token-2")),
    );
    // Recorded once (the rest: the user checks of the new lookup).
    assert_eq!(eff.iter().filter(|e| matches!(e, Effect::Record(_))).count(), 1);
    let c = a.changed_fields().expect("changes on show");
    let fields: Vec<Field> = c.fields.iter().map(|f| f.field).collect();
    assert_eq!(fields, [Field::Status, Field::DeviceToken]);
    let text = &a.notice().unwrap().text;
    assert_eq!(text, "2 fields changed since 12 min ago: status ACTIVE → INACTIVE, device token changed");
    assert!(!text.contains("secret-token"));
    // Showing something else drops the highlight.
    a.set_focus(Focus::Recent);
    cmd(&mut a, Cmd::Submit);
    assert!(a.changed_fields().is_none());
    // A failed refresh shows no changes and keeps the stored result.
    lookup(&mut a, 13 * 60, ARN, "ep-1", Err(ServiceError::new(ErrorKind::Network, "down", "op")));
    assert!(a.changed_fields().is_none());
    assert!(a.recent.history().entries()[0].last_result.is_some());
}

#[test]
fn the_filter_matches_the_status_shown_on_each_row() {
    let mut a = app();
    lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
    lookup(&mut a, 1, ARN, "ep-9", Ok(endpoint("ep-9", EndpointStatus::Inactive, "t")));
    lookup(&mut a, 2, ARN, "nope", Err(ServiceError::new(ErrorKind::NotFound, "no", "op")));
    let mut muted = endpoint("ep-m", EndpointStatus::Active, "t");
    muted.allow_messages = Some(model::AllowMessages::None);
    lookup(&mut a, 3, ARN, "ep-m", Ok(muted));
    a.set_focus(Focus::Recent);
    cmd(&mut a, Cmd::Filter);
    typed(&mut a, "INACTIVE");
    assert_eq!(ids(&a), ["ep-9"]);
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "not found");
    assert_eq!(ids(&a), ["nope"]);
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "no messages");
    assert_eq!(ids(&a), ["ep-m"]);
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "demo");
    assert_eq!(ids(&a).len(), 4, "the context shown on each row");
}

#[test]
fn copy_keys_in_recent_act_on_the_selected_entry() {
    let mut a = app();
    lookup(&mut a, 0, ARN2, "ep-2", Ok(endpoint("ep-2", EndpointStatus::Active, "tok-2")));
    lookup(&mut a, 1, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "tok-1")));
    // The detail pane shows ep-1; the selection goes to ep-2.
    a.set_focus(Focus::Recent);
    cmd(&mut a, Cmd::Down);
    assert_eq!(a.recent.selected_entry().unwrap().endpoint_id, "ep-2");
    let eff = cmd(&mut a, Cmd::CopyField);
    assert_eq!(eff, vec![Effect::Copy { what: "endpoint ID".into(), text: "ep-2".into() }]);
    let eff = cmd(&mut a, Cmd::CopyCommand);
    assert!(
        matches!(&eff[..], [Effect::Copy { text, .. }]
        if text.contains(ARN2) && text.contains("--endpoint-id ep-2") && text.contains("--region us-east-1")),
        "{eff:?}"
    );
    let eff = cmd(&mut a, Cmd::CopyJson);
    assert!(
        matches!(&eff[..], [Effect::Copy { text, .. }]
        if text.contains("\"EndpointId\": \"ep-2\"") && !text.contains("tok-2")),
        "{eff:?}"
    );
}

#[test]
fn a_refresh_from_another_context_says_so_and_reports_no_changes() {
    let mut a = app();
    // Stored by a browser on profile prod, real AWS, in eu-central-1.
    let old = Entry::new(
        ARN,
        "ep-1",
        "eu-central-1",
        timestamp(wall(0)),
        Ok(&endpoint("ep-1", EndpointStatus::Active, "t1")),
    )
    .via(Some("prod".into()), None);
    a.recent.history.record(old);
    a.recent.refilter();
    a.set_focus(Focus::Recent);
    let now = a.now();
    a.update(Action::Clock { now, wall: wall(60) });
    let eff = cmd(&mut a, Cmd::Retry);
    assert!(
        a.notice().is_some_and(|n| n.text.contains("it was looked up in eu-central-1 · profile prod")),
        "{:?}",
        a.notice()
    );
    let Some(Effect::Job(req)) = eff.last() else { panic!("{eff:?}") };
    a.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query.clone(),
        result: Ok(Answer::Endpoint(Box::new(endpoint("ep-1", EndpointStatus::Inactive, "t2")))),
        elapsed: Duration::from_millis(5),
    }));
    assert!(a.changed_fields().is_none(), "two backends: the difference is not a change");
    let text = &a.notice().unwrap().text;
    assert!(text.contains("not compared") && text.contains("us-east-1 · demo"), "{text}");
}

#[test]
fn a_stored_result_after_a_failed_refresh_says_when_it_was_taken() {
    let mut a = app();
    lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
    lookup(
        &mut a,
        3 * 3600,
        ARN,
        "ep-1",
        Err(ServiceError::new(ErrorKind::Throttled, "Rate exceeded", "op")),
    );
    a.set_focus(Focus::Recent);
    cmd(&mut a, Cmd::Submit);
    let v = a.from_history().expect("the stored result on show");
    assert_eq!(v.result_time, Some(timestamp(wall(0))), "the last good answer's time, not the failure's");
    assert!(v.failed_since.as_ref().is_some_and(|f| f.message == "Rate exceeded"));
}

#[test]
fn without_a_history_nothing_is_recorded() {
    let mut a = App::new(Session::demo());
    assert!(!a.has_recent());
    lookup(&mut a, 0, ARN, "ep-1", Ok(endpoint("ep-1", EndpointStatus::Active, "t")));
    assert!(a.recent.history().is_empty());
    a.set_focus(Focus::Detail);
    cmd(&mut a, Cmd::Filter);
    assert_eq!(a.focus(), Focus::Detail);
}
