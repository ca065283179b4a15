#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The browser's Pinpoint checks: a describe answer is shown at once and starts a
//! background job for the Pinpoint app; its findings join the Diagnosis group when it answers;
//! an answer superseded by another describe is dropped; and the endpoint list's finding
//! marker column. Driven through `App::update`, drawn on a TestBackend, colours read back.

#[path = "common/tui.rs"]
mod tui_fixtures;

use chimescope::doctor::pinpoint::{self, Answers};
use chimescope::doctor::{Finding, Severity};
use chimescope::jobs::worker::{Answer, JobDone, JobRequest, Query};
use chimescope::model::{ChannelInfo, Endpoint, ErrorKind, Page, PinpointApp, PinpointChannel, ServiceError};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::{App, Focus};
use ratatui::style::Color;
use std::time::Duration;
use tui_fixtures::{U42, demo_seed, fg_of, find, new_app, render, screen_text, seed_endpoint, submit};

/// Look `id` up and answer the describe: the effects of the answer.
fn describe(app: &mut App, id: &str) -> Vec<Effect> {
    app.set_inputs(U42, id);
    let req = submit(app);
    tui_fixtures::answer(
        app,
        &req,
        Ok(Answer::Endpoint(Box::new(seed_endpoint(id)))),
        Duration::from_millis(9),
    )
}

/// The Pinpoint job among `eff`.
fn check(eff: &[Effect]) -> JobRequest {
    let jobs: Vec<&JobRequest> = eff
        .iter()
        .filter_map(|e| match e {
            Effect::Job(r) if matches!(r.query, Query::Pinpoint { .. }) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(jobs.len(), 1, "{eff:?}");
    jobs[0].clone()
}

fn done(app: &mut App, req: &JobRequest, findings: Vec<Finding>) -> Vec<Effect> {
    app.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query.clone(),
        result: Ok(Answer::Pinpoint(findings)),
        elapsed: Duration::from_millis(30),
    }))
}

/// What the doctor finds for `ep` when GetApp is forbidden and the channel is disabled.
fn findings_for(ep: &Endpoint) -> Vec<Finding> {
    let plan = pinpoint::plan(ep).unwrap();
    let forbidden = ServiceError {
        exception: "ForbiddenException".into(),
        http_status: Some(403),
        ..ServiceError::new(
            ErrorKind::Forbidden,
            "not authorized to perform: mobiletargeting:GetApp",
            "GetApp",
        )
    };
    let channels = plan
        .channels
        .iter()
        .map(|c| (*c, Ok(ChannelInfo { enabled: Some(false), ..ChannelInfo::default() })))
        .collect();
    pinpoint::findings(&Answers { plan, app: Err::<PinpointApp, _>(forbidden), channels })
}

#[test]
fn a_describe_answer_is_shown_at_once_and_starts_the_check_of_its_app() {
    let mut app = new_app();
    let eff = describe(&mut app, "ep-2");
    assert!(app.endpoint().is_some(), "the describe is on show before any Pinpoint answer");
    let req = check(&eff);
    let Query::Pinpoint { plan } = &req.query else { unreachable!() };
    assert_eq!(plan.app_id, "5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d");
    assert_eq!(plan.channels, [PinpointChannel::Apns]);
    assert!(app.pinpoint_running());
    let text = screen_text(&render(&mut app, 100, 30));
    assert!(text.contains("ACTIVE"), "{text}");
    // ep-1: APNS_SANDBOX with a VoIP token checks the VoIP sandbox channel too.
    let Query::Pinpoint { plan } = check(&describe(&mut app, "ep-1")).query else { unreachable!() };
    assert_eq!(plan.channels, [PinpointChannel::ApnsSandbox, PinpointChannel::ApnsVoipSandbox]);
}

#[test]
fn findings_join_the_diagnosis_and_a_superseded_answer_is_dropped() {
    let mut app = new_app();
    let first = check(&describe(&mut app, "ep-2"));
    let eff = describe(&mut app, "ep-1");
    assert!(eff.contains(&Effect::CancelJob(first.id)), "the running check is cancelled: {eff:?}");
    let second = check(&eff);
    assert_ne!(first.id, second.id);
    // The first check's answer arrives anyway: dropped.
    let _ = done(&mut app, &first, findings_for(&seed_endpoint("ep-2")));
    assert!(
        app.diagnosis().iter().all(|f| !f.code.as_str().starts_with("pinpoint-")),
        "{:?}",
        app.diagnosis()
    );
    assert!(app.pinpoint_running());
    let _ = done(&mut app, &second, findings_for(&seed_endpoint("ep-1")));
    assert!(!app.pinpoint_running());
    let codes: Vec<(&str, Severity)> =
        app.diagnosis().iter().map(|f| (f.code.as_str(), f.severity)).collect();
    assert_eq!(
        codes,
        [
            ("pinpoint-channel-disabled", Severity::Error),
            ("pinpoint-channel-disabled", Severity::Warning),
            ("pinpoint-unreachable", Severity::Warning)
        ]
    );
    // Another endpoint on show: the findings were about ep-1, they are not shown for it.
    let _ = describe(&mut app, "ep-9");
    assert!(app.diagnosis().iter().all(|f| !f.code.as_str().starts_with("pinpoint-")));
}

#[test]
fn an_endpoint_whose_resource_is_no_pinpoint_app_starts_no_check() {
    let mut app = new_app();
    let mut ep = seed_endpoint("ep-2");
    ep.resource_arn = Some("arn:aws:sns:us-east-1:123456789012:app/APNS/x".into());
    app.set_inputs(U42, "ep-2");
    let req = submit(&mut app);
    let eff =
        tui_fixtures::answer(&mut app, &req, Ok(Answer::Endpoint(Box::new(ep))), Duration::from_millis(9));
    // No Pinpoint check (the user checks' reads go on).
    assert!(
        !eff.iter().any(|e| matches!(e, Effect::Job(r) if matches!(r.query, Query::Pinpoint { .. }))),
        "{eff:?}"
    );
    assert!(!app.pinpoint_running());
}

macro_rules! snap {
    ($name:expr, $term:expr) => {
        insta::assert_snapshot!($name, $term.backend())
    };
}

#[test]
fn diagnosis_group_with_pinpoint_findings() {
    let mut app = new_app();
    let req = check(&describe(&mut app, "ep-1"));
    let _ = done(&mut app, &req, findings_for(&seed_endpoint("ep-1")));
    app.set_focus(Focus::Detail);
    let _ = app.update(Action::Cmd(Cmd::Top));
    // To the third finding, pinpoint-unreachable: its fix names the IAM actions.
    let _ = app.update(Action::Cmd(Cmd::Down));
    let _ = app.update(Action::Cmd(Cmd::Down));
    assert_eq!(app.selected_finding(), Some(2));
    let t = render(&mut app, 110, 40);
    snap!("diagnosis_pinpoint", t);
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "error pinpoint-channel-disabled:"), Color::Red, "the error in red");
    let text = screen_text(&t);
    assert!(text.contains("pinpoint-unreachable"), "{text}");
    assert!(
        text.contains("mobiletargeting:GetApp, mobiletargeting:Get*Channel"),
        "the selected finding's fix: {text}"
    );
}

#[test]
fn the_endpoint_list_marks_the_findings_a_summary_shows() {
    let mut app = new_app();
    app.set_inputs(U42, "");
    let eff = app.update(Action::Cmd(Cmd::Submit));
    let Some(Effect::Job(req)) = eff.iter().find(|e| matches!(e, Effect::Job(_))).cloned() else {
        panic!("{eff:?}")
    };
    let rows: Vec<_> = demo_seed()["AppInstanceUserEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["AppInstanceUserArn"] == U42)
        .map(|v| Endpoint::from_json(v).unwrap().summary())
        .collect();
    let _ = tui_fixtures::answer(
        &mut app,
        &req,
        Ok(Answer::Endpoints(Page { items: rows, next_token: None })),
        Duration::from_millis(5),
    );
    let t = render(&mut app, 120, 20);
    snap!("endpoint_list_markers", t);
    let buf = t.backend().buffer();
    let (hx, hy) = find(buf, "DIAG").expect("the marker column's header");
    let marker_at = |id: &str| {
        let (_, y) = find(buf, &format!("● {id} ")).unwrap();
        assert!(y > hy);
        let cell: String = (hx..hx + 4).map(|x| buf[(x, y)].symbol().to_string()).collect();
        (cell, buf[(hx, y)].fg)
    };
    assert_eq!(marker_at("ep-1"), ("    ".to_string(), marker_at("ep-1").1), "healthy: blank");
    assert_eq!(marker_at("ep-9"), ("✗ 1 ".to_string(), Color::Red), "inactive-device-token");
    assert_eq!(marker_at("ep-pinpoint"), ("✗ 1 ".to_string(), Color::Red), "inactive-pinpoint-arn");
    assert_eq!(marker_at("ep-muted"), ("! 1 ".to_string(), Color::Yellow), "messages-off: a warning");
}

/// ep-2 with its ResourceArn's app in eu-west-1: a record warning (resource-region-mismatch),
/// and a Pinpoint check (in that region) still to make.
fn ep2_elsewhere() -> Endpoint {
    let mut ep = seed_endpoint("ep-2");
    ep.resource_arn = ep.resource_arn.map(|a| a.replace("us-east-1", "eu-west-1"));
    ep
}

/// Look ep-2 (as [`ep2_elsewhere`]) up, by Enter or by `r`, and answer the describe.
fn describe_elsewhere(app: &mut App, cmd: Cmd) -> Vec<Effect> {
    let eff = app.update(Action::Cmd(cmd));
    let Some(Effect::Job(req)) = eff.iter().find(|e| matches!(e, Effect::Job(_))).cloned() else {
        panic!("{eff:?}")
    };
    tui_fixtures::answer(app, &req, Ok(Answer::Endpoint(Box::new(ep2_elsewhere()))), Duration::from_millis(9))
}

fn codes(app: &App) -> Vec<&'static str> {
    app.diagnosis().iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn while_the_check_runs_the_diagnosis_says_so_in_dim_and_the_line_goes_when_it_answers() {
    let mut app = new_app();
    let req = check(&describe(&mut app, "ep-2"));
    app.set_focus(Focus::Detail);
    let t = render(&mut app, 100, 24);
    snap!("diagnosis_checking", t);
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "checking Pinpoint…"), Color::DarkGray, "dim");
    assert_eq!(fg_of(buf, "Diagnosis"), fg_of(buf, "Identity"), "the group's title, as the others'");
    let (_, line) = find(buf, "checking Pinpoint…").unwrap();
    let (_, head) = find(buf, "Diagnosis").unwrap();
    assert_eq!(line, head + 1, "under the group's title");
    // Answered, nothing found: no line and no finding (the group stays only for what the user
    // checks say they checked).
    let _ = done(&mut app, &req, Vec::new());
    let text = screen_text(&render(&mut app, 100, 24));
    assert!(!text.contains("checking Pinpoint") && !text.contains("pinpoint-"), "{text}");
    assert!(app.diagnosis().is_empty(), "{text}");
    // With findings: the line goes, the findings stay, in their colours.
    let req = check(&describe(&mut app, "ep-1"));
    let _ = done(&mut app, &req, findings_for(&seed_endpoint("ep-1")));
    let t = render(&mut app, 100, 30);
    assert!(!screen_text(&t).contains("checking Pinpoint"), "{}", screen_text(&t));
    assert_eq!(fg_of(t.backend().buffer(), "error pinpoint-channel-disabled:"), Color::Red);
}

#[test]
fn the_diagnosis_cursor_stays_on_its_finding_when_the_pinpoint_findings_arrive() {
    let mut app = new_app();
    app.set_inputs(U42, "ep-2");
    let first = check(&describe_elsewhere(&mut app, Cmd::Submit));
    assert_eq!(codes(&app), ["resource-region-mismatch"]);
    app.set_focus(Focus::Detail);
    let _ = app.update(Action::Cmd(Cmd::Top));
    assert_eq!(app.selected_finding(), Some(0));
    // An error from Pinpoint sorts in above the warning under the cursor: the cursor follows it.
    let _ = done(&mut app, &first, findings_for(&ep2_elsewhere()));
    assert_eq!(
        codes(&app),
        ["pinpoint-channel-disabled", "resource-region-mismatch", "pinpoint-unreachable"]
    );
    assert_eq!(app.selected_finding(), Some(1), "still on resource-region-mismatch");
    let fix: String = app.diagnosis()[1].fix.chars().take(40).collect();
    let text = screen_text(&render(&mut app, 110, 40));
    assert!(text.contains(&format!("fix: {fix}")), "the selected finding's fix shows: {text}");

    // On a Pinpoint finding, `r` looks the endpoint up again: its findings stay on show while
    // the check runs again, and the cursor with them.
    let _ = app.update(Action::Cmd(Cmd::Top));
    assert_eq!(app.selected_finding(), Some(0));
    let again = describe_elsewhere(&mut app, Cmd::Retry);
    let second = check(&again);
    assert!(app.pinpoint_running());
    assert_eq!(
        codes(&app),
        ["pinpoint-channel-disabled", "resource-region-mismatch", "pinpoint-unreachable"]
    );
    assert_eq!(app.selected_finding(), Some(0));
    assert!(screen_text(&render(&mut app, 110, 40)).contains("checking Pinpoint…"));
    // This time the channel is fine and the read allowed: the finding under the cursor is gone,
    // and the cursor takes the one now in its place.
    let _ = done(&mut app, &second, Vec::new());
    assert_eq!(codes(&app), ["resource-region-mismatch"]);
    assert_eq!(app.selected_finding(), Some(0));

    // On a field, the cursor stays on that field whatever arrives above it.
    let _ = app.update(Action::Cmd(Cmd::Down));
    let _ = app.update(Action::Cmd(Cmd::Down));
    let field = app.field();
    assert_eq!(app.selected_finding(), None);
    let third = check(&describe_elsewhere(&mut app, Cmd::Retry));
    let _ = done(&mut app, &third, findings_for(&ep2_elsewhere()));
    assert_eq!((app.selected_finding(), app.field()), (None, field));
}

/// Type `text` (`\n` is Enter) through the key map: the effects.
fn keys(app: &mut App, text: &str) -> Vec<Effect> {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let mut eff = Vec::new();
    for c in text.chars() {
        let code = if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) };
        let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(a) = chimescope::tui::keymap::action_for(app, &ev) {
            eff.extend(app.update(a));
        }
    }
    eff
}

#[test]
fn with_the_checks_off_no_job_starts_and_the_diagnosis_says_what_turned_them_off() {
    for why in ["--no-pinpoint", "config: [doctor] pinpoint = false"] {
        let mut app = new_app();
        let _ = app.update(Action::PinpointOff(why.into()));
        let eff = describe(&mut app, "ep-1");
        assert!(app.endpoint().is_some());
        assert!(
            !eff.iter().any(|e| matches!(e, Effect::Job(r) if matches!(r.query, Query::Pinpoint { .. }))),
            "no Pinpoint job: {eff:?}"
        );
        assert!(!app.pinpoint_running());
        // `:doctor` runs the record findings again, and no check either.
        app.set_focus(Focus::Detail);
        let eff = keys(&mut app, ":doctor\n");
        // No Pinpoint check (the user checks' reads go on).
        assert!(
            !eff.iter().any(|e| matches!(e, Effect::Job(r) if matches!(r.query, Query::Pinpoint { .. }))),
            "{eff:?}"
        );
        let t = render(&mut app, 100, 24);
        let note = format!("Pinpoint checks off ({why})");
        assert_eq!(fg_of(t.backend().buffer(), &note), Color::DarkGray, "dim");
        let text = screen_text(&t);
        assert!(!text.contains("checking Pinpoint"), "{text}");
        assert!(text.contains(&format!("; {note}")), "the doctor's message says so too: {text}");
        if why == "--no-pinpoint" {
            snap!("diagnosis_pinpoint_off", t);
        }
    }
}

/// The demo's `pp-disabled` (ACTIVE, ALL, its APNS_SANDBOX channel disabled) reads one verdict
/// on screen: the verdict line red with the channel's finding, the State row the state (green
/// ACTIVE, no "can receive"), and Recent's dot red with "cannot receive" beside it.
#[test]
fn pp_disabled_reads_one_verdict_in_the_detail_pane_and_recent() {
    use chimescope::store::history::{History, Options};
    const QA: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab/user/qa-pinpoint";
    let seed = demo_seed();
    let v = seed["AppInstanceUserEndpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["EndpointId"] == "pp-disabled")
        .unwrap()
        .clone();
    let ep = Endpoint::from_json(&v).unwrap();
    let mut app = new_app();
    app.attach_history_in_memory(History::new(std::path::PathBuf::new(), Options::default()));
    app.set_inputs(QA, "pp-disabled");
    let req = submit(&mut app);
    let eff =
        tui_fixtures::answer(&mut app, &req, Ok(Answer::Endpoint(Box::new(ep))), Duration::from_millis(9));
    // Until the channel answers, the verdict says it is not checked yet.
    let t = render(&mut app, 120, 40);
    assert!(screen_text(&t).contains("✔ Record OK · checking the Pinpoint channel…"), "{}", screen_text(&t));
    let disabled = Finding {
        code: chimescope::doctor::Code::PinpointChannelDisabled,
        severity: Severity::Error,
        message: "the app's APNS_SANDBOX channel is disabled: pushes to this endpoint will not arrive".into(),
        evidence: "APNS_SANDBOX: Enabled false".into(),
        fix: "enable the channel".into(),
    };
    done(&mut app, &check(&eff), vec![disabled]);
    let t = render(&mut app, 120, 40);
    let text = screen_text(&t);
    let buf = t.backend().buffer();
    assert!(!text.contains("can receive pushes") && !text.contains("Can receive pushes"), "{text}");
    assert_eq!(fg_of(buf, "✘ the app's APNS_SANDBOX channel is disabled"), Color::Red, "{text}");
    assert_eq!(
        fg_of(buf, "● ACTIVE: the service will push to it"),
        Color::Green,
        "the state, not the outcome"
    );
    let (x, y) = find(buf, "ACTIVE · cannot receive").unwrap_or_else(|| panic!("{text}"));
    assert_eq!(buf[(x, y)].fg, Color::Red, "Recent's word");
    let (dx, dy) = find(buf, "● pp-disabled").unwrap_or_else(|| panic!("{text}"));
    assert_eq!(buf[(dx, dy)].fg, Color::Red, "Recent's dot");
}
