//! The App's own tests: focus, lookups, stale answers, paste, messages, the field cursor, help.

// Actions are fed and the state (or some effects) checked: not every effect is used.
#![allow(unused_must_use)]
use super::*;
use crate::jobs::worker::{Answer, JobDone, JobRequest};
use crate::model::{EndpointState, EndpointStatus};
use crate::model::{ErrorKind, ServiceError};
use crate::tui::action::Level;
use crate::tui::state::paste::MAX_PASTE;

const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42";

fn app() -> App {
    App::new(Session::demo())
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
}

fn endpoint() -> Endpoint {
    Endpoint {
        app_instance_user_arn: Some(ARN.into()),
        endpoint_id: Some("ep-1".into()),
        name: Some("phone".into()),
        device_token: Some("abcd".into()),
        state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
        ..Default::default()
    }
}

fn done(id: u64, result: Result<Answer, ServiceError>) -> Action {
    Action::JobDone(JobDone {
        id,
        owner: crate::jobs::worker::Owner::Detail,
        query: Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() },
        result,
        elapsed: Duration::from_millis(12),
    })
}

fn started_id(eff: &[Effect]) -> u64 {
    eff.iter()
        .find_map(|e| match e {
            Effect::Job(r) => Some(r.id),
            _ => None,
        })
        .expect("a lookup effect")
}

#[test]
fn focus_starts_in_the_arn_input_and_tab_cycles() {
    let mut a = app();
    assert_eq!(a.focus(), Focus::Arn);
    for want in [Focus::EndpointId, Focus::Detail, Focus::Arn] {
        a.update(Action::Cmd(Cmd::FocusNext));
        assert_eq!(a.focus(), want);
    }
    a.update(Action::Cmd(Cmd::FocusPrev));
    assert_eq!(a.focus(), Focus::Detail);
    a.attach_history_in_memory(crate::store::history::History::new(
        std::path::PathBuf::new(),
        Default::default(),
    ));
    a.update(Action::Cmd(Cmd::FocusNext));
    assert_eq!(a.focus(), Focus::Recent);
    a.update(Action::Cmd(Cmd::FocusNext));
    assert_eq!(a.focus(), Focus::Arn);
}

#[test]
fn an_answer_does_not_take_the_keyboard_from_an_input_the_user_moved_to() {
    let mut a = app();
    a.set_inputs(ARN, "ep-1");
    a.set_focus(Focus::EndpointId);
    let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
    // While it runs, the user goes back to the ARN and types.
    a.set_focus(Focus::Arn);
    a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
    assert_eq!(a.focus(), Focus::Arn, "typing goes on typing");
    assert!(matches!(a.detail, Detail::Endpoint { .. }));
    // Left where it was, the focus moves to the answer.
    a.set_focus(Focus::EndpointId);
    let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
    a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
    assert_eq!(a.focus(), Focus::Detail);
}

#[test]
fn help_scrolls_no_further_than_its_end() {
    let mut a = app();
    a.update(Action::Resize(80, 24));
    a.chrome.set_help(Some(0));
    let max = super::super::layout::help_max_scroll(&a) as u16;
    assert!(max > 0, "the help is longer than 24 rows");
    for _ in 0..300 {
        a.update(Action::Cmd(Cmd::Down));
    }
    assert_eq!(a.help(), Some(max));
    a.update(Action::Cmd(Cmd::Up));
    assert_eq!(a.help(), Some(max - 1), "the first k scrolls back at once");
}

#[test]
fn typing_validates_the_arn() {
    let mut a = app();
    typed(&mut a, "arn:aws:chime:us-east-1");
    assert!(a.arn_check().as_ref().unwrap_err().problem.contains("4 of the 6"));
    typed(&mut a, ":123456789012:app-instance/7f3c/user/u-42");
    let p = a.arn_check().as_ref().unwrap();
    assert_eq!(p.user_id(), Some("u-42"));
    assert_eq!(a.region(), "us-east-1");
    // word delete comes from the text-input crate
    let before = a.arn().value().len();
    a.update(Action::Edit(InputRequest::DeletePrevWord));
    assert!(a.arn().value().len() < before);
    a.update(Action::Edit(InputRequest::DeleteLine));
    assert!(a.arn_check().is_err());
}

#[test]
fn nothing_invalid_is_sent() {
    let mut a = app();
    // (An app-instance ARN, or a user ARN with no endpoint ID, lists: `browse`.)
    typed(&mut a, "arn:aws:chime:us-east-1:1:app-instance/a/usr/b");
    let eff = a.update(Action::Cmd(Cmd::Submit));
    assert!(eff.is_empty());
    assert_eq!(a.focus(), Focus::Arn);
    assert_eq!(a.notice().unwrap().level, Level::Error);
    a.set_inputs(ARN, " ep-1");
    a.set_focus(Focus::Arn);
    let eff = a.update(Action::Cmd(Cmd::Submit));
    // (Only the user's endpoints, for completion, as the ID input gets the keyboard.)
    assert!(!eff.iter().any(|e| matches!(e, Effect::Job(r) if !r.query.is_list())), "{eff:?}");
    assert_eq!(a.focus(), Focus::EndpointId, "moves to the input that needs fixing");
}

#[test]
fn a_lookup_runs_and_focus_moves_to_the_detail() {
    let mut a = app();
    a.set_inputs(ARN, "ep-1");
    let eff = a.update(Action::Cmd(Cmd::Submit));
    assert_eq!(
        eff,
        vec![Effect::Job(JobRequest {
            id: 1,
            owner: crate::jobs::worker::Owner::Detail,
            query: Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() }
        })]
    );
    assert!(a.is_loading());
    assert_eq!(a.next_wakeup(), Some(SPIN_INTERVAL));
    let eff = a.update(done(1, Ok(Answer::Endpoint(Box::new(endpoint())))));
    // Recorded; and the user-level checks read the user (its endpoints, its expiry).
    assert!(matches!(&eff[0], Effect::Record(r) if r.result.is_ok() && r.region == "us-east-1"));
    let queries: Vec<&Query> = eff[1..]
        .iter()
        .map(|e| match e {
            Effect::Job(r) => &r.query,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(
        matches!(queries.as_slice(), [Query::ListEndpoints { .. }, Query::DescribeUser { .. }]),
        "{queries:?}"
    );
    assert_eq!(a.focus(), Focus::Detail);
    assert_eq!(a.endpoint().unwrap().endpoint_id.as_deref(), Some("ep-1"));
    assert_eq!(a.next_wakeup(), None, "idle: no wake-ups");
}

#[test]
fn stale_results_are_dropped() {
    let mut a = app();
    a.set_inputs(ARN, "ep-1");
    let first = started_id(&a.update(Action::Cmd(Cmd::Submit)));
    let eff = a.update(Action::Cmd(Cmd::Submit));
    assert_eq!(eff[0], Effect::CancelJob(first), "the superseded lookup is aborted");
    let second = started_id(&eff);
    assert!(a.update(done(first, Ok(Answer::Endpoint(Box::new(endpoint()))))).is_empty());
    assert!(a.is_loading());
    a.update(done(second, Ok(Answer::Endpoint(Box::new(endpoint())))));
    assert!(a.endpoint().is_some());
    // an answer arriving after it is shown changes nothing
    assert!(a.update(done(second, Err(ServiceError::new(ErrorKind::Timeout, "x", "")))).is_empty());
    assert!(a.endpoint().is_some());
}

#[test]
fn esc_cancels_and_restores_what_was_shown() {
    let mut a = app();
    a.set_inputs(ARN, "ep-1");
    let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
    a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
    let id = started_id(&a.update(Action::Cmd(Cmd::Retry)));
    assert_eq!(a.update(Action::Cmd(Cmd::Cancel)), vec![Effect::CancelJob(id)]);
    assert!(a.endpoint().is_some());
    assert!(a.update(done(id, Err(ServiceError::new(ErrorKind::Timeout, "x", "")))).is_empty());
}

#[test]
fn errors_stay_in_the_detail_pane_with_focus_kept() {
    let mut a = app();
    a.set_inputs(ARN, "nope");
    a.set_focus(Focus::EndpointId);
    let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
    let eff = a.update(done(id, Err(ServiceError::new(ErrorKind::NotFound, "no such endpoint", ""))));
    assert!(matches!(&eff[0], Effect::Record(r) if r.result.is_err()));
    assert!(matches!(&a.detail, Detail::Error { error, .. } if error.kind == ErrorKind::NotFound));
    assert_eq!(a.focus(), Focus::EndpointId);
}

#[test]
fn retry_repeats_the_last_query() {
    let mut a = app();
    assert!(a.update(Action::Cmd(Cmd::Retry)).is_empty());
    a.set_inputs(ARN, "ep-1");
    a.update(Action::Cmd(Cmd::Submit));
    a.set_inputs("", "");
    let eff = a.update(Action::Cmd(Cmd::Retry));
    assert!(matches!(&eff[..], [Effect::CancelJob(1), Effect::Job(r)]
        if r.query == Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-1".into() }));
    assert_eq!((a.arn().value(), a.endpoint_id().value()), (ARN, "ep-1"), "the inputs name what is repeated");
}

#[test]
fn paste_trims_and_inserts_at_the_cursor() {
    let mut a = app();
    a.update(Action::Paste(format!("  {ARN}\n")));
    assert_eq!(a.arn().value(), ARN);
    assert!(a.arn_check().is_ok());
    a.update(Action::Cmd(Cmd::FocusNext));
    typed(&mut a, "ep-");
    a.update(Action::Paste("1\t".into()));
    assert_eq!(a.endpoint_id().value(), "ep-1");
    // quotes and a trailing comma (copied out of JSON) are dropped
    a.set_focus(Focus::Arn);
    a.inputs.clear(crate::tui::state::inputs::Which::Arn);
    a.update(Action::Paste(format!("\"{ARN}\",")));
    assert_eq!(a.arn().value(), ARN);
    // "ARN<newline>ID" fills both inputs
    a.update(Action::Paste(format!("{ARN}\n  'ep-9'\n")));
    assert_eq!((a.arn().value(), a.endpoint_id().value(), a.focus()), (ARN, "ep-9", Focus::EndpointId));
    assert!(a.arn_check().is_ok() && a.id_check().is_ok());
    // outside the inputs, an ARN goes to the ARN input
    a.set_focus(Focus::Detail);
    a.update(Action::Paste("arn:aws:chime:eu-central-1:123456789012:app-instance/i/user/u".into()));
    assert_eq!(a.focus(), Focus::Arn);
    assert_eq!(a.region(), "eu-central-1");
    a.update(Action::Paste("x".repeat(MAX_PASTE + 10)));
    assert!(a.arn().value().len() < MAX_PASTE + 100);
}

#[test]
fn a_pasted_arn_and_id_split_on_cr_space_and_comma() {
    // tmux pastes lines with CR; tickets write "ARN ep-9" or "ARN, ep-9".
    for text in [
        format!("{ARN}\rep-9"),
        format!("{ARN}\r\nep-9\r"),
        format!("{ARN} ep-9"),
        format!("{ARN},ep-9"),
        format!("{ARN}, ep-9"),
        format!("\"{ARN}\", \"ep-9\""),
    ] {
        let mut a = app();
        a.update(Action::Paste(text.clone()));
        assert_eq!((a.arn().value(), a.endpoint_id().value()), (ARN, "ep-9"), "{text:?}");
        assert!(a.arn_check().is_ok(), "{text:?}");
        assert_eq!(a.focus(), Focus::EndpointId);
    }
    // An ARN alone is never split, and a user ID never gets "u-42, ep-9".
    let mut a = app();
    a.update(Action::Paste(ARN.into()));
    assert_eq!((a.arn().value(), a.endpoint_id().value()), (ARN, ""));
    let mut a = app();
    a.update(Action::Paste(format!("{ARN}, ep-9, ep-10")));
    assert!(a.arn_check().is_err(), "three values: not a pair, and not a valid ARN either");
}

/// Without bracketed paste a terminal types a pasted "ARN ep-9" key by key: it ends split as
/// a bracketed paste is, not with both in the ARN input.
#[test]
fn a_typed_arn_and_id_split_as_a_paste_does() {
    for sep in [" ", ", ", ","] {
        let mut a = app();
        a.set_inputs("", "ep-old");
        typed(&mut a, &format!("{ARN}{sep}ep-9"));
        assert_eq!((a.arn().value(), a.endpoint_id().value()), (ARN, "ep-9"), "{sep:?}");
        assert!(a.arn_check().is_ok() && a.id_check().is_ok(), "{sep:?}");
        assert_eq!(a.focus(), Focus::EndpointId);
    }
    // A space inside the ARN (the cursor moved back) is not a split.
    let mut a = app();
    typed(&mut a, ARN);
    a.update(Action::Edit(InputRequest::GoToPrevChar));
    typed(&mut a, " ");
    assert_eq!(a.focus(), Focus::Arn);
}

#[test]
fn retry_under_changed_inputs_looks_up_what_they_say() {
    let mut a = app();
    a.set_inputs(ARN, "ep-1");
    let id = started_id(&a.update(Action::Cmd(Cmd::Submit)));
    a.update(done(id, Ok(Answer::Endpoint(Box::new(endpoint())))));
    // The user edits the ID, then presses Ctrl-R.
    a.set_inputs(ARN, "ep-9");
    let eff = a.update(Action::Cmd(Cmd::Retry));
    assert!(
        matches!(eff.last(), Some(Effect::Job(r))
        if r.query == Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-9".into() }),
        "{eff:?}"
    );
    assert!(a.notice().is_some_and(|n| n.text.contains("inputs changed")));
    // Unchanged, it repeats.
    let eff = a.update(Action::Cmd(Cmd::Retry));
    assert!(matches!(eff.last(), Some(Effect::Job(r))
        if r.query == Query::Describe { user_arn: ARN.into(), endpoint_id: "ep-9".into() }));
}

#[test]
fn a_message_goes_with_the_next_action() {
    let mut a = app();
    a.set_focus(Focus::Detail);
    a.update(Action::Cmd(Cmd::ToggleSecrets));
    assert!(a.notice().is_some_and(|n| n.text.contains("Secrets shown")));
    a.update(Action::Cmd(Cmd::Down));
    assert!(a.notice().is_none(), "the toast about the last key went with the next one");
    // The answer to a copy (an effect's result) is not an action of the user's.
    a.update(Action::Cmd(Cmd::CopyField));
    a.update(Action::Notify(Notice::ok("Copied x")));
    a.update(Action::Clock { now: a.now(), wall: a.wall() });
    assert!(a.notice().is_some());
}

#[test]
fn field_cursor_and_copy() {
    let mut a = app();
    a.set_inputs(ARN, "ep-1");
    a.update(Action::Cmd(Cmd::Submit));
    a.update(done(1, Ok(Answer::Endpoint(Box::new(endpoint())))));
    a.update(Action::Cmd(Cmd::Bottom));
    assert_eq!(a.selected_field(), FieldId::Updated);
    a.update(Action::Cmd(Cmd::Down));
    assert_eq!(a.selected_field(), FieldId::Updated);
    a.update(Action::Cmd(Cmd::Top));
    while a.selected_field() != FieldId::DeviceToken {
        a.update(Action::Cmd(Cmd::Down));
    }
    assert!(!a.show_secrets);
    assert_eq!(
        a.update(Action::Cmd(Cmd::CopyField)),
        vec![Effect::Copy { what: "device token in clear".into(), text: "abcd".into() }],
        "the real value, also when masked"
    );
    // Y follows the mask on screen, and says so.
    let json = a.update(Action::Cmd(Cmd::CopyJson));
    assert!(
        matches!(&json[0], Effect::Copy { text, what }
        if text.contains("\"DeviceToken\": \"(masked, 4 chars)\"") && !text.contains("abcd")
            && !text.contains("phone") && what.contains("masked")),
        "{json:?}"
    );
    let cmd = a.update(Action::Cmd(Cmd::CopyCommand));
    assert!(matches!(&cmd[0], Effect::Copy { text, .. }
        if text.contains("--endpoint-id ep-1 --region us-east-1 --endpoint-url http://127.0.0.1:4566")));
    a.update(Action::Cmd(Cmd::ToggleSecrets));
    assert!(a.show_secrets);
    // Shown, Y copies them in clear and the message says secrets are included.
    let json = a.update(Action::Cmd(Cmd::CopyJson));
    assert!(
        matches!(&json[0], Effect::Copy { text, what }
        if text.contains("\"DeviceToken\": \"abcd\"") && what.contains("in clear")),
        "{json:?}"
    );
    a.update(Action::Cmd(Cmd::Up));
    a.update(Action::Cmd(Cmd::Up));
    a.update(Action::Cmd(Cmd::Up));
    assert_eq!(a.selected_field(), FieldId::AppInstance);
    assert!(a.update(Action::Cmd(Cmd::CopyField)).iter().any(|e| matches!(e, Effect::Copy { text, .. }
        if text == "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c")));
}

#[test]
fn help_swallows_keys_until_closed() {
    let mut a = app();
    a.update(Action::Cmd(Cmd::Help));
    assert!(a.help().is_some());
    a.set_inputs(ARN, "ep-1");
    assert!(a.update(Action::Cmd(Cmd::Submit)).is_empty());
    a.update(Action::Cmd(Cmd::Cancel));
    assert!(a.help().is_none());
    assert_eq!(a.update(Action::Cmd(Cmd::Quit)), vec![Effect::Quit]);
}

#[test]
fn esc_in_an_input_leaves_it_and_notices_expire() {
    let mut a = app();
    a.update(Action::Cmd(Cmd::Cancel));
    assert_eq!(a.focus(), Focus::Detail);
    a.update(Action::Cmd(Cmd::ToggleSecrets));
    assert!(a.notice().is_some());
    assert!(a.next_wakeup().is_some());
    let later = a.now() + NOTICE_TTL;
    a.update(Action::Clock { now: later, wall: a.wall() });
    assert!(a.notice().is_none());
}

#[test]
fn quit_cancels_a_running_lookup() {
    let mut a = app();
    a.set_inputs(ARN, "ep-1");
    a.update(Action::Cmd(Cmd::Submit));
    assert_eq!(a.update(Action::Cmd(Cmd::Quit)), vec![Effect::CancelJob(1), Effect::Quit]);
    assert!(a.quitting());
}
