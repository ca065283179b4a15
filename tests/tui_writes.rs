#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The writes' dialogs on a TestBackend: each one as a snapshot, and the colours that carry
//! meaning read from the cells (a Deregister button that is armed, errors, the read-only mark).

#[path = "common/tui.rs"]
mod tui_fixtures;

use chimescope::jobs::worker::{Answer, JobRequest, Query};
use chimescope::model::{ErrorKind, Page, ServiceError, Target};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::{App, Session};
use chimescope::tui::theme::Theme;
use std::time::Duration;
use tui_fixtures::{U42, answer, fg_of, find, render, screen_text, seed_endpoint, show, wall};
use tui_input::InputRequest;

fn cmd(app: &mut App, c: Cmd) -> Vec<Effect> {
    app.update(Action::Cmd(c))
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        let _ = app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
}

fn app_with(session: Session) -> App {
    let mut app = App::new(session);
    app.set_theme(Theme::colored());
    let now = app.now();
    let _ = app.update(Action::Clock { now, wall: wall() });
    app
}

fn showing(session: Session, id: &str) -> App {
    let mut app = app_with(session);
    show(&mut app, id);
    app
}

/// The text of the one copy `eff` asks for.
fn copied(eff: Vec<Effect>) -> String {
    match eff.as_slice() {
        [Effect::Copy { text, .. }] => text.clone(),
        other => panic!("{other:?}"),
    }
}

fn jobs(eff: &[Effect]) -> Vec<JobRequest> {
    eff.iter()
        .filter_map(|e| match e {
            Effect::Job(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// The list of u-42's endpoints (from the demo seed), with the cursor on the first row.
fn listing() -> App {
    let mut app = app_with(Session::demo());
    app.set_inputs(U42, "");
    let req = jobs(&cmd(&mut app, Cmd::Submit)).into_iter().find(|r| r.query.is_list()).unwrap();
    let items = ["ep-1", "ep-2"].iter().map(|id| seed_endpoint(id).summary()).collect();
    let _ = answer(
        &mut app,
        &req,
        Ok(Answer::Endpoints(Page { items, next_token: None })),
        Duration::from_millis(9),
    );
    app
}

#[test]
fn flip_confirmation() {
    let mut app = showing(Session::demo(), "ep-1");
    let _ = cmd(&mut app, Cmd::FlipMessages);
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(text.contains("AllowMessages: ALL → NONE"), "{text}");
    assert!(text.contains("y flip · Esc or n cancels · c copies the command"), "{text}");
    let buf = t.backend().buffer();
    assert_eq!(
        fg_of(buf, "aws chime-sdk-identity update-app-instance-user-endpoint"),
        app.theme().key.fg.unwrap()
    );
    insta::assert_snapshot!("writes_flip_confirm", text);
}

#[test]
fn deregister_confirmation_arms_its_button_only_on_the_typed_id() {
    let mut app = showing(Session::demo(), "ep-2");
    let _ = cmd(&mut app, Cmd::Deregister);
    typed(&mut app, "ep-");
    let t = render(&mut app, 100, 30);
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "[ Deregister ]"), app.theme().dim.fg.unwrap(), "not armed: dim");
    assert!(find(buf, "(type the ID first)").is_some());
    // The border is red: a destructive dialog.
    let (x, y) = find(buf, "Deregister ep-2?").unwrap();
    assert_eq!(buf[(x - 2, y)].fg, app.theme().status_bad.fg.unwrap());
    typed(&mut app, "2");
    let t = render(&mut app, 100, 30);
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "[ Deregister ]"), app.theme().status_bad.fg.unwrap(), "armed: red");
    assert!(find(buf, "(type the ID first)").is_none());
    assert!(screen_text(&t).contains("deregister-app-instance-user-endpoint"));
    insta::assert_snapshot!("writes_deregister_typed", screen_text(&t));
}

#[test]
fn edit_form() {
    let mut app = showing(Session::demo(), "ep-1");
    let _ = cmd(&mut app, Cmd::EditEndpoint);
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(text.contains("Edit endpoint ep-1"), "{text}");
    assert!(!text.contains("Sarah"), "the Name is masked until s: {text}");
    insta::assert_snapshot!("writes_edit_form", text);
}

#[test]
fn register_form_validates_as_typed_and_shows_a_conflict_in_place() {
    let mut app = listing();
    let prefill = jobs(&cmd(&mut app, Cmd::Register));
    assert_eq!(prefill.len(), 2);
    for r in &prefill {
        let Query::Describe { endpoint_id, .. } = &r.query else { panic!() };
        let e = seed_endpoint(endpoint_id);
        let _ = answer(&mut app, r, Ok(Answer::Endpoint(Box::new(e))), Duration::from_millis(3));
    }
    let _ = cmd(&mut app, Cmd::Down); // to the Resource ARN
    let _ = cmd(&mut app, Cmd::Down); // to the device token
    typed(&mut app, " x");
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(text.contains("from the user's 2 endpoints (they agree)"), "{text}");
    assert!(text.contains("✘ has leading or trailing whitespace"), "{text}");
    assert_eq!(fg_of(t.backend().buffer(), "✘ has leading"), app.theme().status_bad.fg.unwrap());
    insta::assert_snapshot!("writes_register_form", text);
    let _ = app.update(Action::Edit(InputRequest::DeleteLine));
    let _ = app.update(Action::Paste("fcm-token-dup".into()));
    let _ = cmd(&mut app, Cmd::Submit);
    let sent = jobs(&cmd(&mut app, Cmd::Confirm));
    let mut e = ServiceError::new(
        ErrorKind::Conflict,
        "This device token is already registered",
        "RegisterAppInstanceUserEndpoint",
    );
    e.http_status = Some(409);
    e.hint = "the user already has an endpoint with this device token and type".into();
    let _ = answer(&mut app, &sent[0], Err(e), Duration::from_millis(4));
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(
        text.contains("✘ ConflictException (HTTP 409): This device token is already registered"),
        "{text}"
    );
    assert_eq!(fg_of(t.backend().buffer(), "✘ ConflictException"), app.theme().status_bad.fg.unwrap());
    insta::assert_snapshot!("writes_register_conflict", text);
}

#[test]
fn the_first_write_to_aws_names_account_and_region() {
    let aws = Session { target: Target::Aws, profile: "prod".into(), ..Session::demo() };
    let mut app = showing(aws, "ep-1");
    let _ = cmd(&mut app, Cmd::FlipMessages);
    assert!(jobs(&cmd(&mut app, Cmd::Confirm)).is_empty());
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(text.contains("Writes go to account 123456789012, region us-east-1 (profile prod)."), "{text}");
    insta::assert_snapshot!("writes_aws_once", text);
}

#[test]
fn read_only_shows_in_the_status_bar_and_hides_the_write_keys() {
    let mut app = showing(Session { readonly: true, ..Session::demo() }, "ep-1");
    let t = render(&mut app, 120, 30);
    let text = screen_text(&t);
    assert!(text.contains(" read-only · profile demo"), "{text}");
    assert!(!text.contains("m/e/D"), "{text}");
    let _ = cmd(&mut app, Cmd::Help);
    let t = render(&mut app, 120, 60);
    let help = screen_text(&t);
    assert!(!help.contains("deregister the endpoint"), "{help}");
    let mut normal = showing(Session::demo(), "ep-1");
    let _ = cmd(&mut normal, Cmd::Help);
    let t = render(&mut normal, 120, 60);
    let _ = t;
    let lines = chimescope::tui::keymap::help_lines_for(normal.theme(), 100, false);
    let all: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    assert!(all.contains("deregister the endpoint (type its ID)"), "{all}");
    assert!(
        all.contains("mark the row of the Scan pane") && !help.contains("mark the row"),
        "marks serve the batch deregistration only"
    );
}

/// The register form runs the doctor's record rules on what it would register as it is typed:
/// a hex APNs token with Type GCM is shown as an error under the fields, in red; choosing APNS
/// clears it.
#[test]
fn register_form_shows_the_doctors_findings_as_typed() {
    let mut app = listing();
    let prefill = jobs(&cmd(&mut app, Cmd::Register));
    for r in &prefill {
        let Query::Describe { endpoint_id, .. } = &r.query else { panic!() };
        let e = seed_endpoint(endpoint_id);
        let _ = answer(&mut app, r, Ok(Answer::Endpoint(Box::new(e))), Duration::from_millis(3));
    }
    typed(&mut app, "g"); // Type GCM
    let _ = cmd(&mut app, Cmd::Down); // to the Resource ARN (prefilled)
    let _ = cmd(&mut app, Cmd::Down); // to the device token
    let _ = app.update(Action::Paste("ab".repeat(32)));
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(
        text.contains("✘ token-shape: the DeviceToken is hex: it looks like an APNs token on a GCM"),
        "{text}"
    );
    assert_eq!(fg_of(t.backend().buffer(), "✘ token-shape"), app.theme().status_bad.fg.unwrap());
    assert!(!text.contains(&"ab".repeat(32)), "the token stays masked: {text}");
    // Back to the Type, APNS: nothing to say.
    let _ = cmd(&mut app, Cmd::Up);
    let _ = cmd(&mut app, Cmd::Up);
    typed(&mut app, "a");
    let text = screen_text(&render(&mut app, 100, 30));
    assert!(!text.contains("token-shape"), "{text}");
}

/// The last actions (a): each write with its time, target and outcome, the refused one in
/// red, and c copies its AWS CLI command with the device token masked until s.
#[test]
fn the_last_actions_list_each_write_and_copy_its_aws_cli_command() {
    use chimescope::model::write::Written;
    let mut app = listing();
    // Nothing yet: a word, no pane.
    let _ = cmd(&mut app, Cmd::Actions);
    assert!(!screen_text(&render(&mut app, 100, 30)).contains("Last actions"));
    // A registration, answered.
    let prefill = jobs(&cmd(&mut app, Cmd::Register));
    for r in &prefill {
        let Query::Describe { endpoint_id, .. } = &r.query else { panic!() };
        let e = seed_endpoint(endpoint_id);
        let _ = answer(&mut app, r, Ok(Answer::Endpoint(Box::new(e))), Duration::from_millis(3));
    }
    let _ = cmd(&mut app, Cmd::Down);
    let _ = cmd(&mut app, Cmd::Down);
    let _ = app.update(Action::Edit(InputRequest::DeleteLine));
    let token = "fcm-token-new-0123456789";
    let _ = app.update(Action::Paste(token.into()));
    let _ = cmd(&mut app, Cmd::Submit);
    let sent = jobs(&cmd(&mut app, Cmd::Confirm));
    let written = Written { user_arn: U42.into(), endpoint_id: "ep-new".into(), removed: None };
    let _ = answer(&mut app, &sent[0], Ok(Answer::Written(written)), Duration::from_millis(4));
    // A flip of ep-1, refused.
    app.set_focus(chimescope::tui::state::Focus::EndpointId);
    show(&mut app, "ep-1");
    let _ = cmd(&mut app, Cmd::FlipMessages);
    let sent = jobs(&cmd(&mut app, Cmd::Confirm));
    let mut e = ServiceError::new(ErrorKind::Forbidden, "not allowed", "UpdateAppInstanceUserEndpoint");
    e.http_status = Some(403);
    let _ = answer(&mut app, &sent[0], Err(e), Duration::from_millis(4));
    // (The refusal may be shown in its dialog: closed.)
    if !app.layers().is_empty() && app.layers()[0] != chimescope::tui::state::layer::Layer::Panes {
        let _ = cmd(&mut app, Cmd::Cancel);
    }

    let _ = cmd(&mut app, Cmd::Actions);
    let t = render(&mut app, 120, 30);
    let text = screen_text(&t);
    assert!(text.contains("Last actions (2)"), "{text}");
    assert!(text.contains("00:00:00  register"), "the time and the operation: {text}");
    assert!(text.contains("u-42 ep-new  done"), "the target and the outcome: {text}");
    assert!(text.contains("update     u-42 ep-1  refused: not allowed"), "{text}");
    assert!(!text.contains(token), "the token is masked on screen: {text}");
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "done"), app.theme().status_ok.fg.unwrap());
    // The cursor is on the newest: the refused flip; its command is under the list.
    assert!(text.contains("aws chime-sdk-identity update-app-instance-user-endpoint"), "{text}");
    let flip = copied(cmd(&mut app, Cmd::CopyCommand));
    assert!(
        flip.contains("update-app-instance-user-endpoint") && flip.contains("--allow-messages NONE"),
        "{flip}"
    );
    let _ = cmd(&mut app, Cmd::Up);
    let reg = copied(cmd(&mut app, Cmd::CopyCommand));
    assert!(reg.contains("register-app-instance-user-endpoint"), "{reg}");
    assert!(!reg.contains(token) && reg.contains("chars>"), "masked until s: {reg}");
    let _ = cmd(&mut app, Cmd::ToggleSecrets);
    let reg = copied(cmd(&mut app, Cmd::CopyCommand));
    assert!(reg.contains(token), "in clear once shown: {reg}");
    // Esc closes it.
    let _ = cmd(&mut app, Cmd::Cancel);
    assert!(!screen_text(&render(&mut app, 120, 30)).contains("Last actions"));
}

/// In read-only mode no write is sent, so none is listed.
#[test]
fn the_last_actions_hold_nothing_refused_in_read_only_mode() {
    let mut app = showing(Session { readonly: true, ..Session::demo() }, "ep-1");
    assert!(jobs(&cmd(&mut app, Cmd::FlipMessages)).is_empty());
    assert!(jobs(&cmd(&mut app, Cmd::Confirm)).is_empty());
    assert!(app.action_log().entries.is_empty());
}

/// `t`: the test push's confirmation shows the `aws pinpoint send-messages` command in the
/// key colour with the token masked; `y` sends one SendMessages job; the provider's answer is
/// in the dialog in words, its status in red, and the fix offered in the key colour.
#[test]
fn test_push_confirmation_and_the_provider_s_answer_with_its_fix() {
    use chimescope::model::push::{PushAnswer, PushResult};
    let mut app = showing(Session::demo(), "ep-1");
    let token = seed_endpoint("ep-1").device_token.unwrap();
    assert!(jobs(&cmd(&mut app, Cmd::TestPush)).is_empty(), "nothing is sent before y");
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(text.contains("Test push to ep-1?"), "{text}");
    assert!(text.contains("APNS_SANDBOX channel, to its DeviceToken (64 chars)"), "{text}");
    assert!(text.contains("y sends · s silent/alert · Esc or n cancels"), "{text}");
    assert!(!text.contains(&token), "the token is masked: {text}");
    assert!(text.contains(&format!("<{} chars>", token.chars().count())), "{text}");
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "aws pinpoint send-messages"), app.theme().key.fg.unwrap());
    insta::assert_snapshot!("writes_push_confirm", text);
    // y: one job, the test push.
    let sent = jobs(&cmd(&mut app, Cmd::Confirm));
    assert_eq!(sent.len(), 1);
    let Query::PushTest(p) = &sent[0].query else { panic!("{:?}", sent[0].query) };
    assert_eq!((p.token.as_str(), p.channel.label()), (token.as_str(), "APNS_SANDBOX"));
    assert!(!format!("{:?}", sent[0]).contains(&token), "the job's Debug hides the token");
    let result = PushResult {
        delivery_status: "PERMANENT_FAILURE".into(),
        status_code: Some(410),
        status_message: Some(r#"{"pushProviderError":"Unregistered"}"#.into()),
        ..PushResult::default()
    };
    let pushed = PushAnswer { application_id: Some("app".into()), request_id: None, result };
    let _ = answer(&mut app, &sent[0], Ok(Answer::Pushed(Box::new(pushed))), Duration::from_millis(7));
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(text.contains("✘ PERMANENT_FAILURE (410, Unregistered)"), "{text}");
    assert!(text.contains("no longer knows this token"), "{text}");
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "✘ PERMANENT_FAILURE"), app.theme().status_bad.fg.unwrap());
    assert_eq!(fg_of(buf, "D deregisters this endpoint"), app.theme().key.fg.unwrap());
    insta::assert_snapshot!("writes_push_answer", text);
    // D: the fix, in place: the typed deregistration of this endpoint.
    let _ = cmd(&mut app, Cmd::Deregister);
    let t = render(&mut app, 100, 30);
    assert!(screen_text(&t).contains("Deregister ep-1?"), "{}", screen_text(&t));
}

/// The detail pane's trace: the five gates in order, the endpoint's passed (green ✓), the
/// unchecked ones said with what checks them; after a test push the provider's gate is its
/// answer (red ✗ for a dead token).
#[test]
fn the_trace_of_a_push_on_the_detail_pane() {
    use chimescope::model::push::{PushAnswer, PushResult};
    let mut app = showing(Session::demo(), "ep-1");
    let t = render(&mut app, 120, 60);
    let text = screen_text(&t);
    let at = text.find("Path of a push").unwrap_or_else(|| panic!("{text}"));
    let trace = &text[at..];
    let order: Vec<usize> = [" message ", " membership ", " endpoint ", " channel ", " provider "]
        .iter()
        .map(|g| trace.find(g).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "gates in order: {trace}");
    assert!(trace.contains("✓ ACTIVE, AllowMessages ALL"), "{trace}");
    assert!(trace.contains("○ not checked: chimescope doctor --channel-arn C"), "{trace}");
    assert!(trace.contains("○ not checked: M reads the user's memberships"), "{trace}");
    assert!(trace.contains("○ not checked: t sends a test push"), "{trace}");
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "✓ ACTIVE, AllowMessages ALL"), app.theme().status_ok.fg.unwrap());
    assert_eq!(fg_of(buf, "○ not checked: t sends"), app.theme().status_unknown.fg.unwrap());
    // After a test push answered Unregistered, the provider gate says so.
    let sent = {
        let _ = cmd(&mut app, Cmd::TestPush);
        jobs(&cmd(&mut app, Cmd::Confirm))
    };
    let result = PushResult {
        delivery_status: "PERMANENT_FAILURE".into(),
        status_code: Some(410),
        status_message: Some(r#"{"pushProviderError":"Unregistered"}"#.into()),
        ..PushResult::default()
    };
    let pushed = PushAnswer { result, ..PushAnswer::default() };
    let _ = answer(&mut app, &sent[0], Ok(Answer::Pushed(Box::new(pushed))), Duration::from_millis(7));
    let _ = cmd(&mut app, Cmd::Cancel);
    let t = render(&mut app, 120, 60);
    let text = screen_text(&t);
    assert!(text.contains("✗ Unregistered on APNS_SANDBOX"), "{text}");
    assert_eq!(fg_of(t.backend().buffer(), "✗ Unregistered"), app.theme().status_bad.fg.unwrap());
}

/// Against AWS, the first test push of a session names the account and region of the app it
/// goes through, even after a write was confirmed; read-only refuses `t` with nothing sent.
#[test]
fn the_first_test_push_to_aws_names_account_and_region_and_read_only_refuses_it() {
    let aws = Session { target: Target::Aws, profile: "prod".into(), ..Session::demo() };
    let mut app = showing(aws, "ep-1");
    let _ = cmd(&mut app, Cmd::TestPush);
    assert!(jobs(&cmd(&mut app, Cmd::Confirm)).is_empty(), "asked first");
    let t = render(&mut app, 100, 30);
    let text = screen_text(&t);
    assert!(text.contains("Send a test push through AWS?"), "{text}");
    assert!(
        text.contains("A test push goes to account 123456789012, region us-east-1 (profile prod)"),
        "{text}"
    );
    assert_eq!(jobs(&cmd(&mut app, Cmd::Confirm)).len(), 1, "then sent");
    let mut ro = showing(Session { readonly: true, ..Session::demo() }, "ep-1");
    assert!(cmd(&mut ro, Cmd::TestPush).is_empty());
    let t = render(&mut ro, 100, 30);
    let text = screen_text(&t);
    assert!(text.contains("Read-only mode: a test push is a write (nothing sent)"), "{text}");
    assert!(!text.contains("Test push to ep-1?"), "{text}");
}

/// A finding whose fix may keep the token (a Resource ARN naming no app): the offer says that
/// R needs a new token and how to keep this one (D first, then n), in the key colour; a finding
/// of a dead token keeps the plain offer.
#[test]
fn the_reregister_offer_says_how_to_keep_the_token_when_only_the_resource_arn_is_wrong() {
    let mut app = showing(Session::demo(), "ep-pinpoint");
    let _ = cmd(&mut app, Cmd::Top);
    let t = render(&mut app, 120, 50);
    let text = screen_text(&t);
    assert!(text.contains("R does it here with a new token"), "{text}");
    assert!(text.contains("to keep this token, D deregisters"), "{text}");
    assert_eq!(fg_of(t.backend().buffer(), "R does it here with"), app.theme().key.fg.unwrap());
    let mut app = showing(Session::demo(), "ep-9");
    let _ = cmd(&mut app, Cmd::Top);
    let text = screen_text(&render(&mut app, 120, 50));
    assert!(text.contains("R does it here: the register form"), "{text}");
    assert!(!text.contains("to keep this token"), "{text}");
}

/// A test push joins the last actions with its outcome, and `c` copies it as the
/// `aws pinpoint send-messages` command, the token masked until s.
#[test]
fn a_test_push_is_in_the_last_actions_and_copies_as_its_aws_cli_command() {
    use chimescope::model::push::{PushAnswer, PushResult};
    let mut app = showing(Session::demo(), "ep-1");
    let token = seed_endpoint("ep-1").device_token.unwrap();
    let _ = cmd(&mut app, Cmd::TestPush);
    let sent = jobs(&cmd(&mut app, Cmd::Confirm));
    let result = PushResult {
        delivery_status: "PERMANENT_FAILURE".into(),
        status_code: Some(410),
        status_message: Some(r#"{"pushProviderError":"Unregistered"}"#.into()),
        ..PushResult::default()
    };
    let pushed = PushAnswer { application_id: Some("app".into()), request_id: None, result };
    let _ = answer(&mut app, &sent[0], Ok(Answer::Pushed(Box::new(pushed))), Duration::from_millis(7));
    let _ = cmd(&mut app, Cmd::Cancel);
    let _ = cmd(&mut app, Cmd::Actions);
    let t = render(&mut app, 120, 30);
    let text = screen_text(&t);
    assert!(text.contains("Last actions (1)"), "{text}");
    assert!(text.contains("test push"), "{text}");
    assert!(text.contains("u-42 ep-1"), "{text}");
    assert!(text.contains("PERMANENT_FAILURE"), "{text}");
    assert!(!text.contains(&token), "the token is masked on screen: {text}");
    let line = copied(cmd(&mut app, Cmd::CopyCommand));
    assert!(line.starts_with("aws pinpoint send-messages --application-id"), "{line}");
    assert!(!line.contains(&token) && line.contains("chars>"), "masked until s: {line}");
    let _ = cmd(&mut app, Cmd::ToggleSecrets);
    assert!(copied(cmd(&mut app, Cmd::CopyCommand)).contains(&token), "in clear once shown");
}

/// After the provider's answer the test push's dialog says what the keys do now, at 80×24 too:
/// the answer and the fix it offers (D) come first, in the key colour, and nothing says y sends
/// (y sends nothing more); the status bar's hints are the fix's and Esc's. An accepted push
/// offers no fix: Esc closes.
#[test]
fn after_the_answer_the_test_push_dialog_and_hints_say_what_the_keys_do_now() {
    use chimescope::model::push::{PushAnswer, PushResult};
    let mut app = showing(Session::demo(), "ep-1");
    let _ = cmd(&mut app, Cmd::TestPush);
    let text = screen_text(&render(&mut app, 80, 24));
    assert!(text.contains("one push per y"), "before: {text}");
    let sent = jobs(&cmd(&mut app, Cmd::Confirm));
    let dead = PushResult {
        delivery_status: "PERMANENT_FAILURE".into(),
        status_code: Some(410),
        status_message: Some(r#"{"pushProviderError":"Unregistered"}"#.into()),
        ..PushResult::default()
    };
    let pushed = PushAnswer { result: dead, ..PushAnswer::default() };
    let _ = answer(&mut app, &sent[0], Ok(Answer::Pushed(Box::new(pushed))), Duration::from_millis(7));
    let t = render(&mut app, 80, 24);
    let text = screen_text(&t);
    assert!(text.contains("✘ PERMANENT_FAILURE (410, Unregistered)"), "{text}");
    assert!(text.contains("D deregisters this endpoint"), "{text}");
    // The dialog covers the status bar at this size: its hints, as the bar would show them.
    let hints = app.hints();
    assert!(hints.contains(&("D", "deregister (the fix)")), "{hints:?}");
    assert!(!hints.iter().any(|(k, _)| k.contains('y') || k.contains('R')), "{hints:?}");
    assert!(!text.contains("y send"), "{text}");
    assert!(!text.contains("per y"), "{text}");
    assert!(text.contains("One push was sent."), "{text}");
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "D deregisters this endpoint"), app.theme().key.fg.unwrap());
    assert_eq!(fg_of(buf, "✘ PERMANENT_FAILURE"), app.theme().status_bad.fg.unwrap());
    assert!(jobs(&cmd(&mut app, Cmd::Confirm)).is_empty(), "y sends nothing more");
    // Accepted: no fix, Esc closes.
    let _ = cmd(&mut app, Cmd::Cancel);
    let _ = cmd(&mut app, Cmd::TestPush);
    let sent = jobs(&cmd(&mut app, Cmd::Confirm));
    let ok =
        PushResult { delivery_status: "SUCCESSFUL".into(), status_code: Some(200), ..PushResult::default() };
    let pushed = PushAnswer { result: ok, ..PushAnswer::default() };
    let _ = answer(&mut app, &sent[0], Ok(Answer::Pushed(Box::new(pushed))), Duration::from_millis(7));
    let text = screen_text(&render(&mut app, 80, 24));
    assert!(text.contains("✔ SUCCESSFUL"), "{text}");
    assert!(text.contains("Esc closes (then t sends another)"), "{text}");
    assert!(!text.contains("y send") && !text.contains("D/R"), "{text}");
    assert_eq!(app.hints(), vec![("c", "copy aws command"), ("Esc", "close")]);
}
