//! The writes driven through `update()`: the keys, the confirmations, the forms, the
//! answers and what they refresh.

// Actions are fed and the state (or some effects) checked: not every effect is used.
#![allow(unused_must_use)]
use super::*;
use crate::jobs::worker::{Answer, JobRequest, Owner, Query};
use crate::model::write::EndpointUpdate;
use crate::model::write::Written;
use crate::model::{AllowMessages, ErrorKind, Target};
use crate::model::{EndpointState, EndpointStatus, EndpointSummary, EndpointType, Page};
use crate::tui::action::Action;
use crate::tui::action::Effect;
use crate::tui::state::Focus;
use crate::tui::state::Session;
use crate::tui::state::detail::Detail;
use crate::tui::state::testing::{answer, jobs};
use tui_input::InputRequest;

const U: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/u-42";
const P: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/app1";

fn endpoint(id: &str, allow: AllowMessages) -> Endpoint {
    Endpoint {
        app_instance_user_arn: Some(U.into()),
        endpoint_id: Some(id.into()),
        name: Some("phone".into()),
        endpoint_type: Some(EndpointType::Gcm),
        resource_arn: Some(P.into()),
        device_token: Some("tok".into()),
        allow_messages: Some(allow),
        state: Some(EndpointState { status: EndpointStatus::Active, reason: None }),
        ..Default::default()
    }
}

fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
    a.update(Action::Cmd(c))
}

fn typed(a: &mut App, s: &str) {
    for c in s.chars() {
        a.update(Action::Edit(InputRequest::InsertChar(c)));
    }
}

/// An app showing ep-1 of u-42 in the detail pane (AllowMessages ALL).
fn showing(session: Session) -> App {
    let mut a = App::new(session);
    a.set_inputs(U, "ep-1");
    let r = jobs(&cmd(&mut a, Cmd::Submit)).remove(0);
    answer(&mut a, &r, Ok(Answer::Endpoint(Box::new(endpoint("ep-1", AllowMessages::All)))));
    assert_eq!(a.focus(), Focus::Detail);
    a
}

fn written(id: &str) -> Answer {
    Answer::Written(Written { user_arn: U.into(), endpoint_id: id.into(), removed: None })
}

#[test]
fn m_asks_once_says_what_changes_and_sends_the_flip_then_refreshes() {
    let mut a = showing(Session::demo());
    assert!(cmd(&mut a, Cmd::FlipMessages).is_empty(), "nothing is sent before the confirmation");
    let c = a.writes.confirm.clone().unwrap();
    assert_eq!(c.lines[0], "AllowMessages: ALL → NONE");
    assert!(c.cli.starts_with("aws chime-sdk-identity update-app-instance-user-endpoint"), "{}", c.cli);
    assert!(c.cli.contains("--allow-messages NONE") && c.cli.contains("--endpoint-url"), "{}", c.cli);
    // c copies the command; Enter alone does not go on.
    assert!(matches!(&cmd(&mut a, Cmd::CopyCommand)[..], [Effect::Copy { text, .. }] if *text == c.cli));
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.writes.confirm.is_some());
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let want = Write::Update(EndpointUpdate {
        user_arn: U.into(),
        endpoint_id: "ep-1".into(),
        name: None,
        allow_messages: Some(AllowMessages::None),
    });
    assert_eq!(sent.iter().map(|r| &r.query).collect::<Vec<_>>(), vec![&Query::Write(Box::new(want))]);
    assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::Sending);
    let eff = answer(&mut a, &sent[0], Ok(written("ep-1")));
    assert!(a.writes.confirm.is_none());
    let refresh = jobs(&eff);
    assert_eq!(refresh[0].query, Query::Describe { user_arn: U.into(), endpoint_id: "ep-1".into() });
    assert!(a.notice().unwrap().text.contains("AllowMessages of ep-1 is now NONE"));
}

#[test]
fn esc_cancels_a_confirmation_and_nothing_is_sent() {
    let mut a = showing(Session::demo());
    cmd(&mut a, Cmd::FlipMessages);
    assert!(cmd(&mut a, Cmd::Cancel).is_empty());
    assert!(a.writes.confirm.is_none());
    assert!(a.notice().unwrap().text.contains("nothing sent"));
}

#[test]
fn d_needs_the_typed_id_and_cancel_is_the_default() {
    let mut a = showing(Session::demo());
    cmd(&mut a, Cmd::Deregister);
    assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::TypedConfirm);
    typed(&mut a, "ep-2");
    // Enter from the input lands on Cancel, the default; Enter there cancels.
    cmd(&mut a, Cmd::Submit);
    assert_eq!(a.writes.confirm.as_ref().unwrap().focus, ConfirmFocus::Cancel);
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.writes.confirm.is_none(), "cancelled");
    // 'c' types into the ID input, and copies on the buttons.
    cmd(&mut a, Cmd::Deregister);
    assert!(a.update(Action::Edit(InputRequest::InsertChar('c'))).is_empty());
    cmd(&mut a, Cmd::FocusNext);
    assert!(matches!(&cmd(&mut a, Cmd::CopyCommand)[..], [Effect::Copy { text, .. }]
        if text.contains("deregister-app-instance-user-endpoint")));
    cmd(&mut a, Cmd::Cancel);
    // A wrong ID on the Deregister button does nothing.
    cmd(&mut a, Cmd::Deregister);
    typed(&mut a, "ep-2");
    cmd(&mut a, Cmd::FocusNext);
    cmd(&mut a, Cmd::FocusNext);
    assert_eq!(a.writes.confirm.as_ref().unwrap().focus, ConfirmFocus::Apply);
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    let c = a.writes.confirm.as_ref().unwrap();
    assert!(c.refused.as_deref().unwrap().contains("does not match"));
    assert_eq!(c.focus, ConfirmFocus::Input);
    // The right ID: sent.
    for _ in 0..4 {
        a.update(Action::Edit(InputRequest::DeletePrevChar));
    }
    typed(&mut a, "ep-1");
    cmd(&mut a, Cmd::FocusPrev); // Input → Apply (backwards)
    let sent = jobs(&cmd(&mut a, Cmd::Submit));
    assert_eq!(
        sent[0].query,
        Query::Write(Box::new(Write::Deregister { user_arn: U.into(), endpoint_id: "ep-1".into() }))
    );
    let removed = Written {
        user_arn: U.into(),
        endpoint_id: "ep-1".into(),
        removed: Some(Box::new(endpoint("ep-1", AllowMessages::All))),
    };
    answer(&mut a, &sent[0], Ok(Answer::Written(removed)));
    assert!(matches!(a.detail, Detail::Empty), "the deregistered endpoint leaves the pane");
    assert!(a.notice().unwrap().text.contains("Y copies its record"));
    let copy = cmd(&mut a, Cmd::CopyJson);
    assert!(
        matches!(&copy[..], [Effect::Copy { text, .. }] if text.contains("\"EndpointId\": \"ep-1\"") && !text.contains("\"tok\"")),
        "{copy:?}"
    );
}

#[test]
fn a_refused_write_is_explained_in_place_and_a_lost_one_may_have_been_applied() {
    let mut a = showing(Session::demo());
    cmd(&mut a, Cmd::FlipMessages);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let mut e = ServiceError::new(ErrorKind::Forbidden, "denied", "UpdateAppInstanceUserEndpoint");
    e.hint = "lacks chime:UpdateAppInstanceUserEndpoint".into();
    assert!(answer(&mut a, &sent[0], Err(e)).is_empty(), "nothing to refresh: nothing changed");
    let c = a.writes.confirm.as_ref().unwrap();
    assert_eq!(c.error.as_ref().unwrap().kind, ErrorKind::Forbidden);
    // Again, and this time the answer is lost.
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let eff = answer(&mut a, &sent[0], Err(ServiceError::new(ErrorKind::Timeout, "slow", "")));
    assert!(a.writes.confirm.is_none());
    assert!(a.notice().unwrap().text.contains("may have been applied"));
    let again = jobs(&eff).into_iter().find(|r| matches!(r.query, Query::Describe { .. }));
    let again = again.expect("looked up again");
    answer(&mut a, &again, Ok(Answer::Endpoint(Box::new(endpoint("ep-1", AllowMessages::All)))));
    // Esc while a write runs: cancelled, reported as possibly applied, refreshed.
    cmd(&mut a, Cmd::FlipMessages);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let eff = cmd(&mut a, Cmd::Cancel);
    assert!(eff.contains(&Effect::CancelJob(sent[0].id)));
    assert!(jobs(&eff).iter().any(|r| matches!(r.query, Query::Describe { .. })));
    assert!(a.notice().unwrap().text.contains("may have been applied"));
    assert!(answer(&mut a, &sent[0], Ok(written("ep-1"))).is_empty(), "its late answer changes nothing");
}

#[test]
fn quitting_while_a_write_runs_leaves_a_word_for_stderr() {
    let mut a = showing(Session::demo());
    cmd(&mut a, Cmd::FlipMessages);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let eff = cmd(&mut a, Cmd::Quit);
    assert!(eff.contains(&Effect::CancelJob(sent[0].id)) && eff.contains(&Effect::Quit));
    let m = a.writes().unsettled.as_deref().unwrap();
    assert!(
        m.starts_with("UpdateAppInstanceUserEndpoint for endpoint ep-1 of")
            && m.contains("may have been applied"),
        "{m}"
    );
    // The command it suggests is whole (one once elided the ARN).
    let arn = a.writes().confirm.as_ref().map_or_else(
        || a.endpoint().unwrap().app_instance_user_arn.clone().unwrap(),
        |c| c.write.user_arn().to_string(),
    );
    assert!(m.contains(&format!("(chimescope list --app-instance-user-arn {arn})")), "{m}");
    assert!(!m.contains('…'), "{m}");
}

#[test]
fn read_only_refuses_the_write_keys_and_hides_them() {
    let mut a = showing(Session { readonly: true, ..Session::demo() });
    for c in [Cmd::FlipMessages, Cmd::EditEndpoint, Cmd::Deregister, Cmd::Register] {
        assert!(cmd(&mut a, c).is_empty());
        assert!(!a.writes.active());
        assert!(a.notice().unwrap().text.starts_with("Read-only mode"), "{c:?}");
    }
    assert!(a.hints().iter().all(|(k, _)| !k.contains('m')), "{:?}", a.hints());
    let normal = showing(Session::demo());
    assert!(normal.hints().iter().any(|(k, _)| *k == "m/e/D"));
}

#[test]
fn the_first_write_to_aws_asks_once_more_where_it_goes() {
    let aws = Session { target: Target::Aws, profile: "prod".into(), ..Session::demo() };
    let mut a = showing(aws);
    cmd(&mut a, Cmd::FlipMessages);
    assert!(jobs(&cmd(&mut a, Cmd::Confirm)).is_empty(), "asked once more first");
    let c = a.writes.confirm.as_ref().unwrap();
    assert!(c.lines[0].contains("account 123456789012, region us-east-1 (profile prod)"), "{:?}", c.lines);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    assert_eq!(sent.len(), 1);
    let refresh = jobs(&answer(&mut a, &sent[0], Ok(written("ep-1")))).remove(0);
    answer(&mut a, &refresh, Ok(Answer::Endpoint(Box::new(endpoint("ep-1", AllowMessages::None)))));
    // The second write of the session goes after one confirmation.
    cmd(&mut a, Cmd::FlipMessages);
    assert_eq!(jobs(&cmd(&mut a, Cmd::Confirm)).len(), 1);
}

fn listing(a: &mut App) {
    a.set_inputs(U, "");
    let r = jobs(&cmd(a, Cmd::Submit)).into_iter().find(|r| r.query.is_list()).unwrap();
    let rows = ["ep-1", "ep-2"]
        .iter()
        .map(|id| EndpointSummary {
            app_instance_user_arn: Some(U.into()),
            endpoint_id: Some(id.to_string()),
            allow_messages: Some(AllowMessages::All),
            ..Default::default()
        })
        .collect();
    answer(a, &r, Ok(Answer::Endpoints(Page { items: rows, next_token: None })));
    assert_eq!(a.focus(), Focus::List);
}

#[test]
fn n_opens_the_register_form_prefilled_and_a_conflict_stays_in_it() {
    let mut a = App::new(Session::demo());
    listing(&mut a);
    let prefill = jobs(&cmd(&mut a, Cmd::Register));
    assert_eq!(prefill.len(), 2, "the user's endpoints are read for their Resource ARN");
    for r in &prefill {
        let Query::Describe { endpoint_id, .. } = &r.query else { panic!() };
        answer(&mut a, r, Ok(Answer::Endpoint(Box::new(endpoint(endpoint_id, AllowMessages::All)))));
    }
    let form = a.writes.form.as_ref().unwrap();
    assert_eq!(form.fields[1].text_value(), P);
    assert_eq!(a.focus(), Focus::List, "the prefill reads did not open a detail pane");
    // Enter with no device token: refused, naming the field.
    assert!(cmd(&mut a, Cmd::Submit).is_empty());
    assert!(a.writes.form.as_ref().unwrap().message.as_deref().unwrap().starts_with("Device token"));
    a.update(Action::Paste("  fcm-dup \n".into()));
    cmd(&mut a, Cmd::Submit);
    let c = a.writes.confirm.as_ref().unwrap();
    assert!(
        c.cli.contains("register-app-instance-user-endpoint") && c.cli.contains("DeviceToken=fcm-dup"),
        "{}",
        c.cli
    );
    assert!(!c.cli_shown.contains("fcm-dup"), "the token is masked on screen: {}", c.cli_shown);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let Query::Write(w) = &sent[0].query else { panic!("{sent:?}") };
    let Write::Register(r) = &**w else { panic!("{w:?}") };
    assert_eq!((r.device_token.as_str(), r.endpoint_type.as_str()), ("fcm-dup", "APNS"));
    let e = ServiceError::new(ErrorKind::Conflict, "already registered", "RegisterAppInstanceUserEndpoint");
    answer(&mut a, &sent[0], Err(e));
    let form = a.writes.form.as_ref().expect("the form stays, with the error in it");
    assert_eq!(form.failure.as_ref().unwrap().kind, ErrorKind::Conflict);
    assert!(a.writes.confirm.is_none());
    // Sent again (another token typed): success closes the form and reloads the list.
    cmd(&mut a, Cmd::Submit);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let eff = answer(&mut a, &sent[0], Ok(written("new-1")));
    assert!(!a.writes.active());
    assert!(
        jobs(&eff).iter().any(|r| matches!(&r.query, Query::ListEndpoints { user_arn, .. } if user_arn == U))
    );
    assert!(a.notice().unwrap().text.contains("Registered endpoint new-1"));
}

#[test]
fn e_edits_name_and_messages_from_a_list_row() {
    let mut a = App::new(Session::demo());
    listing(&mut a);
    cmd(&mut a, Cmd::Down);
    cmd(&mut a, Cmd::EditEndpoint);
    assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::Form);
    typed(&mut a, "tablet");
    cmd(&mut a, Cmd::Down);
    typed(&mut a, "n");
    cmd(&mut a, Cmd::Submit);
    let c = a.writes.confirm.as_ref().unwrap();
    assert!(c.lines.iter().any(|l| l.contains("ALL → NONE")), "{:?}", c.lines);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let Query::Write(w) = &sent[0].query else { panic!() };
    let Write::Update(u) = &**w else { panic!() };
    assert_eq!(u.endpoint_id, "ep-2");
    assert_eq!((u.name.as_deref(), &u.allow_messages), (Some("tablet"), &Some(AllowMessages::None)));
}

#[test]
fn r_registers_first_and_deregisters_only_after_success_or_says_what_stayed() {
    let mut a = showing(Session::demo());
    cmd(&mut a, Cmd::Reregister);
    let form = a.writes.form.as_ref().expect("the register form");
    assert_eq!(form.title(), "Register ep-1 again");
    assert_eq!(form.fields[1].text_value(), P, "the Resource ARN from the record");
    assert_eq!(form.fields[0].text_value(), "GCM", "the Type from the record");
    // The replaced endpoint's own token is refused before anything is sent.
    typed(&mut a, "tok");
    assert!(
        a.writes.form.as_ref().unwrap().fields[2]
            .error
            .as_deref()
            .unwrap()
            .contains("replaced endpoint's own token")
    );
    a.update(Action::Edit(InputRequest::DeleteLine));
    typed(&mut a, "fresh-token");
    cmd(&mut a, Cmd::Submit);
    let c = a.writes.confirm.as_ref().expect("the confirmation");
    assert!(c.cli_shown.contains("register-app-instance-user-endpoint"), "{}", c.cli_shown);
    let then = c.then_cli_shown.as_deref().unwrap_or_default();
    assert!(then.contains("deregister-app-instance-user-endpoint") && then.contains("ep-1"), "{then}");
    assert!(c.cli.ends_with(then), "c copies both, in order: {}", c.cli);
    assert!(c.lines.iter().any(|l| l.contains("Then deregister ep-1, only once the registration succeeded")));
    // The registration is sent alone; refused, nothing else goes.
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    assert!(
        matches!(&sent[..], [r] if matches!(&r.query, Query::Write(w) if matches!(**w, Write::Register(_))))
    );
    let refused = ServiceError::new(ErrorKind::Forbidden, "no", "RegisterAppInstanceUserEndpoint");
    let eff = answer(&mut a, &sent[0], Err(refused));
    assert!(jobs(&eff).iter().all(|r| !r.query.is_write()), "no deregistration after a refusal");
    assert!(a.writes.form.as_ref().unwrap().failure.is_some(), "explained in the form");
    // Again, accepted: the deregistration of ep-1 follows.
    cmd(&mut a, Cmd::Submit);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let eff = answer(&mut a, &sent[0], Ok(written("new-1")));
    let next: Vec<JobRequest> = jobs(&eff).into_iter().filter(|r| r.query.is_write()).collect();
    assert!(
        matches!(&next[..], [r] if matches!(&r.query, Query::Write(w) if matches!(&**w, Write::Deregister { endpoint_id, .. } if endpoint_id == "ep-1")))
    );
    // Its refusal is said (no dialog is left), naming what stayed.
    let refused = ServiceError::new(ErrorKind::Forbidden, "denied", "DeregisterAppInstanceUserEndpoint");
    answer(&mut a, &next[0], Err(refused));
    let n = a.notice().unwrap().text.clone();
    assert!(
        n.contains("DeregisterAppInstanceUserEndpoint of ep-1 refused") && n.contains("still registered"),
        "{n}"
    );
}

#[test]
fn n_defaults_the_type_to_the_one_the_users_endpoints_have() {
    let mut a = App::new(Session::demo());
    a.set_inputs(U, "");
    let r = jobs(&cmd(&mut a, Cmd::Submit)).into_iter().find(|r| r.query.is_list()).unwrap();
    let row = |id: &str, t: EndpointType| EndpointSummary {
        app_instance_user_arn: Some(U.into()),
        endpoint_id: Some(id.to_string()),
        endpoint_type: Some(t),
        ..Default::default()
    };
    let rows = vec![row("ep-1", EndpointType::Gcm), row("ep-2", EndpointType::Gcm)];
    answer(&mut a, &r, Ok(Answer::Endpoints(Page { items: rows, next_token: None })));
    cmd(&mut a, Cmd::Register);
    let f = &a.writes.form.as_ref().unwrap().fields[0];
    assert_eq!((f.text_value(), f.note.as_deref()), ("GCM", Some("the Type of the user's endpoints")));
    // Types that differ: the first option, no note.
    cmd(&mut a, Cmd::Cancel);
    let mut b = App::new(Session::demo());
    b.set_inputs(U, "");
    let r = jobs(&cmd(&mut b, Cmd::Submit)).into_iter().find(|r| r.query.is_list()).unwrap();
    let rows = vec![row("ep-1", EndpointType::Gcm), row("ep-2", EndpointType::Apns)];
    answer(&mut b, &r, Ok(Answer::Endpoints(Page { items: rows, next_token: None })));
    cmd(&mut b, Cmd::Register);
    let f = &b.writes.form.as_ref().unwrap().fields[0];
    assert_eq!((f.text_value(), f.note.as_deref()), ("APNS", None));
}

#[test]
fn after_a_re_registration_the_new_endpoint_is_shown_over_the_users_list() {
    let mut a = showing(Session::demo());
    cmd(&mut a, Cmd::Reregister);
    typed(&mut a, "fresh-token");
    cmd(&mut a, Cmd::Submit);
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let eff = answer(&mut a, &sent[0], Ok(written("new-1")));
    let dereg: Vec<JobRequest> = jobs(&eff).into_iter().filter(|r| r.query.is_write()).collect();
    let eff = answer(&mut a, &dereg[0], Ok(written("ep-1")));
    let describe = jobs(&eff)
        .into_iter()
        .find(|r| matches!(&r.query, Query::Describe { endpoint_id, .. } if endpoint_id == "new-1"))
        .expect("the new endpoint looked up");
    answer(&mut a, &describe, Ok(Answer::Endpoint(Box::new(endpoint("new-1", AllowMessages::All)))));
    assert_eq!(a.focus(), Focus::Detail);
    assert!(!a.browse.shows_list(), "the detail pane over the list");
    assert_eq!(a.endpoint().and_then(|e| e.endpoint_id.as_deref()), Some("new-1"));
    assert!(a.notice().unwrap().text.contains("Registered ep-1 again as new-1"), "{:?}", a.notice());
}

/// `t` on a row of a user's endpoints: the record is read first (for its token), then the
/// confirmation opens; one push per `y`; an UpdatedToken offers `R`, the register form with the
/// new token; a lost answer may have been sent, and nothing is looked up again.
#[test]
fn t_on_a_listed_endpoint_reads_it_first_then_asks_and_offers_the_new_token() {
    use crate::model::push::{PushAnswer, PushResult};
    let mut a = App::new(Session::demo());
    listing(&mut a);
    let read = jobs(&cmd(&mut a, Cmd::TestPush));
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].owner, Owner::PushTest);
    assert_eq!(read[0].query, Query::Describe { user_arn: U.into(), endpoint_id: "ep-1".into() });
    assert!(a.writes.confirm.is_none(), "no confirmation before the record is read");
    answer(&mut a, &read[0], Ok(Answer::Endpoint(Box::new(endpoint("ep-1", AllowMessages::All)))));
    let c = a.writes.confirm.as_ref().unwrap();
    assert!(c.cli.starts_with("aws pinpoint send-messages --application-id app1"), "{}", c.cli);
    assert!(c.cli.contains("\"tok\"") && !c.cli_shown.contains("\"tok\""), "{}", c.cli_shown);
    assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::PushConfirm);
    // s: silent, and the command says so.
    cmd(&mut a, Cmd::Silent);
    assert!(a.writes.confirm.as_ref().unwrap().cli.contains("\"SilentPush\":true"));
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    assert_eq!(sent.len(), 1);
    let Query::PushTest(p) = &sent[0].query else { panic!() };
    assert!(p.push.silent);
    assert!(jobs(&cmd(&mut a, Cmd::Confirm)).is_empty(), "a second y while it runs sends nothing");
    let moved = PushResult {
        delivery_status: "SUCCESSFUL".into(),
        status_code: Some(200),
        updated_token: Some("new-token".into()),
        ..PushResult::default()
    };
    answer(
        &mut a,
        &sent[0],
        Ok(Answer::Pushed(Box::new(PushAnswer { result: moved, ..PushAnswer::default() }))),
    );
    let c = a.writes.confirm.as_ref().unwrap();
    assert_eq!(c.pushed.as_ref().unwrap().fix, Some(PushFix::Reregister));
    assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::PushAnswer);
    assert!(!a.notice().unwrap().text.contains("new-token"));
    assert!(jobs(&cmd(&mut a, Cmd::Confirm)).is_empty(), "y after the answer sends nothing");
    cmd(&mut a, Cmd::Reregister);
    let form = a.writes.form.as_ref().expect("the register form");
    let token = form.fields.iter().find(|f| f.label.contains("Device")).unwrap();
    assert_eq!(token.text_value(), "new-token");
    assert!(form.replaces_id() == Some("ep-1"));
    cmd(&mut a, Cmd::Cancel);
    // A lost answer: it may have been sent; nothing to look up again.
    let read = jobs(&cmd(&mut a, Cmd::TestPush)).remove(0);
    answer(&mut a, &read, Ok(Answer::Endpoint(Box::new(endpoint("ep-1", AllowMessages::All)))));
    let sent = jobs(&cmd(&mut a, Cmd::Confirm));
    let eff = answer(&mut a, &sent[0], Err(ServiceError::new(ErrorKind::Timeout, "slow", "SendMessages")));
    assert!(jobs(&eff).is_empty(), "{eff:?}");
    assert!(a.notice().unwrap().text.contains("may have been sent"));
    assert!(a.writes.confirm.is_none());
}
