//! The command line's tests: parsing, history, completion, and running commands through `update()`.

use super::*;

const U42: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42";

#[test]
fn commands_parse_with_their_arguments() {
    assert_eq!(parse(":profile prod"), Ok(Command::Profile("prod".into())));
    assert_eq!(parse("region eu-central-1"), Ok(Command::Region("eu-central-1".into())));
    assert_eq!(parse(":instances"), Ok(Command::Instances));
    assert_eq!(parse(":q"), Ok(Command::Quit));
    assert_eq!(parse(":quit"), Ok(Command::Quit));
    assert_eq!(parse(":watch"), Ok(Command::Watch(None)));
    assert_eq!(parse(":watch 10"), Ok(Command::Watch(Some(10))));
    assert_eq!(parse(&format!(":describe {U42} ep-1")), Ok(Command::Describe(U42.into(), "ep-1".into())));
    assert_eq!(parse(&format!(":endpoints {U42}")), Ok(Command::Endpoints(U42.into())));
    assert_eq!(parse(":export '/tmp/my list.csv'"), Ok(Command::Export("/tmp/my list.csv".into())));
    assert_eq!(
        parse(":endpoint-url http://127.0.0.1:4566"),
        Ok(Command::EndpointUrl(Some("http://127.0.0.1:4566".into())))
    );
    assert_eq!(parse(":endpoint-url -"), Ok(Command::EndpointUrl(None)));
    assert_eq!(parse(":scan"), Ok(Command::Scan { arn: None, rate: None, diagnose: false }));
    let inst = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c";
    assert_eq!(
        parse(&format!(":scan {inst} --rate 25")),
        Ok(Command::Scan { arn: Some(inst.into()), rate: Some(25.0), diagnose: false })
    );
    assert_eq!(parse(":scan --rate=2.5"), Ok(Command::Scan { arn: None, rate: Some(2.5), diagnose: false }));
    assert_eq!(
        parse(":scan --diagnose --rate 5"),
        Ok(Command::Scan { arn: None, rate: Some(5.0), diagnose: true }),
        "with the doctor's checks"
    );
    let e = parse(":scan --rate 0").unwrap_err();
    assert!(e.to_string().contains("--rate: give a number of requests a second above 0"), "{e}");
    assert!(parse(":scan --rate").unwrap_err().to_string().contains("--rate needs a number"));
    for slow in ["1e-300", "0.001", "NaN", "inf"] {
        let e = parse(&format!(":scan --rate {slow}")).unwrap_err().to_string();
        assert!(e.contains("--rate: ") && e.contains("0.01"), "{slow}: {e}");
    }
    assert!(parse(&format!(":scan {inst} {inst}")).unwrap_err().to_string().contains("Too many"));
    assert_eq!(parse(":readonly"), Ok(Command::Readonly));
    assert_eq!(parse(":doctor"), Ok(Command::Doctor));
}

#[test]
fn wrong_arguments_say_the_usage() {
    let e = parse(":watch 1").unwrap_err();
    assert!(e.to_string().contains("At least 2 seconds: :watch [SECONDS]"), "{e}");
    let e = parse(":profile").unwrap_err();
    assert_eq!(e.to_string(), "Missing an argument: :profile NAME");
    let e = parse(":instances now").unwrap_err();
    assert!(e.to_string().starts_with("Too many arguments"), "{e}");
    let e = parse(":export list.txt").unwrap_err();
    assert!(e.to_string().contains(".csv or .json"), "{e}");
    let e = parse(":region EU").unwrap_err();
    assert!(e.to_string().contains("upper-case"), "{e}");
    let e = parse(":users arn:aws:chime:us-east-1:123456789012:app-instance/7f3c/user/u-42").unwrap_err();
    assert!(e.to_string().contains("Not an app-instance ARN"), "{e}");
    assert_eq!(parse("  "), Err(ParseError::Empty));
}

#[test]
fn an_unknown_command_suggests_the_closest() {
    let e = parse(":regoin eu-central-1").unwrap_err();
    assert_eq!(e.to_string(), "Unknown command :regoin; did you mean :region?");
    assert_eq!(closest("inst"), Some("instances"));
    assert_eq!(closest("endpoint"), Some("endpoints"));
    assert_eq!(closest("descibe"), Some("describe"));
    let e = parse(":zzzzzzzz").unwrap_err();
    assert_eq!(e.to_string(), "Unknown command :zzzzzzzz (? lists the commands)");
}

#[test]
fn every_command_in_the_table_parses() {
    for c in keymap::COMMANDS {
        let args = match c.args {
            "" | "[SECONDS]" | "[ARN] [--rate N] [--diagnose]" => String::new(),
            "[ARN]" => U42.into(),
            "NAME" if c.name == "region" => "us-east-1".into(),
            "NAME" => "prod".into(),
            "URL" => "http://127.0.0.1:1".into(),
            "ARN" if c.name == "users" => "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c".into(),
            "ARN" => U42.into(),
            "ARN ID" => format!("{U42} ep-1"),
            "PATH" => "x.csv".into(),
            other => panic!("arguments {other} of :{} not covered", c.name),
        };
        assert!(parse(&format!(":{} {args}", c.name)).is_ok(), ":{} {args}", c.name);
    }
}

#[test]
fn history_skips_repeats_and_is_capped() {
    let mut l = CommandLine::default();
    l.remember(":instances");
    l.remember(":instances");
    l.remember(":q");
    assert_eq!(l.history, vec![":instances", ":q"]);
    for i in 0..HISTORY_CAP + 5 {
        l.remember(&format!(":watch {}", i + 2));
    }
    assert_eq!(l.history.len(), HISTORY_CAP);
    assert_eq!(l.history.last().map(String::as_str), Some(&*format!(":watch {}", HISTORY_CAP + 6)));
}

#[test]
fn common_prefixes() {
    assert_eq!(common_prefix(&["endpoints".into(), "endpoint-url".into()]), "endpoint");
    assert_eq!(common_prefix(&["a".into()]), "a");
    assert_eq!(common_prefix(&[]), "");
}

// -- the command line in the App, through update() --

use crate::jobs::worker::{Answer, JobDone, JobRequest, Query};
use crate::tui::action::{Action, ContextSwitch, Level};
use crate::tui::keymap::{Keyed, Mode, action_for};
use crate::tui::state::Session;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    match action_for(app, &ev) {
        Some(a) => app.update(a),
        None => vec![],
    }
}

fn typed(app: &mut App, s: &str) -> Vec<Effect> {
    let mut eff = vec![];
    for c in s.chars() {
        eff.extend(key(app, KeyCode::Char(c)));
    }
    eff
}

/// The first job the effects start.
fn first_job(eff: &[Effect], what: &str) -> JobRequest {
    eff.iter()
        .find_map(|e| match e {
            Effect::Job(r) => Some(r.clone()),
            _ => None,
        })
        .expect(what)
}

fn in_pane() -> App {
    let mut a = App::new(Session::demo());
    let _ = a.update(Action::Cmd(Cmd::Cancel)); // leave the ARN input
    assert_eq!(a.key_mode(), Mode::Pane);
    a
}

#[test]
fn scan_starts_the_scan_of_the_instance_named_or_says_what_it_needs() {
    const INST: &str =
        "arn:aws:chime:us-east-1:123456789012:app-instance/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9";
    let mut a = in_pane();
    typed(&mut a, ":scan not-an-arn");
    let no_scan = |eff: &[Effect]| !eff.iter().any(|e| matches!(e, Effect::StartScan { .. }));
    assert!(no_scan(&key(&mut a, KeyCode::Enter)));
    assert!(a.notice().unwrap().text.starts_with("Not an app-instance ARN"), "{:?}", a.notice());
    typed(&mut a, ":scan");
    assert!(no_scan(&key(&mut a, KeyCode::Enter)), "nothing to scan yet");
    assert!(a.notice().unwrap().text.starts_with(":scan scans an app instance"), "{:?}", a.notice());
    typed(&mut a, &format!(":scan {INST}"));
    let eff = key(&mut a, KeyCode::Enter);
    assert!(
        eff.iter().any(
            |e| matches!(e, Effect::StartScan { instance, rate, .. } if instance == INST && *rate == 10.0)
        ),
        "{eff:?}"
    );
    assert!(a.scan_covers(), "the Scan pane takes the body");
    // --rate N: this scan and the session's later ones go at N (the pane says so).
    let _ = a.update(Action::Scan(crate::scan::background::Event::Done(Ok(crate::scan::Outcome::Finished))));
    typed(&mut a, &format!(":scan {INST} --rate 25"));
    let eff = key(&mut a, KeyCode::Enter);
    assert!(eff.iter().any(|e| matches!(e, Effect::StartScan { rate, .. } if *rate == 25.0)), "{eff:?}");
    assert_eq!(a.scan_view().map(|p| p.rate), Some(25.0));
    let _ = a.update(Action::Scan(crate::scan::background::Event::Done(Ok(crate::scan::Outcome::Finished))));
    typed(&mut a, ":scan");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(eff.iter().any(|e| matches!(e, Effect::StartScan { rate, .. } if *rate == 25.0)), "{eff:?}");
    // [scan] rate, as the event loop hands it over at start, is the session's default.
    let mut b = in_pane();
    let _ = b.update(Action::CommandSetup {
        profiles: vec![],
        history: vec![],
        bell: false,
        scan_rate: Some(40.0),
    });
    typed(&mut b, &format!(":scan {INST}"));
    let eff = key(&mut b, KeyCode::Enter);
    assert!(eff.iter().any(|e| matches!(e, Effect::StartScan { rate, .. } if *rate == 40.0)), "{eff:?}");
}

fn real_session(profile: &str) -> Session {
    Session {
        profile: profile.into(),
        target: crate::model::Target::Aws,
        region_flag: None,
        default_region: "us-east-1".into(),
        readonly: false,
        readonly_locked: None,
    }
}

#[test]
fn colon_opens_the_command_line_in_a_pane_and_types_in_an_input() {
    let mut a = App::new(Session::demo());
    typed(&mut a, ":");
    assert!(!a.command_line().is_open(), "in the ARN input ':' is typed");
    assert_eq!(a.arn().value(), ":");
    let mut a = in_pane();
    typed(&mut a, ":");
    assert!(a.command_line().is_open());
    assert_eq!(a.key_mode(), Mode::Command);
    assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::Command);
    // q types on the command line; Esc closes it.
    typed(&mut a, "q");
    assert_eq!(a.command_line().value(), "q");
    assert!(!a.quitting());
    key(&mut a, KeyCode::Esc);
    assert!(!a.command_line().is_open());
}

#[test]
fn tab_completes_names_then_arguments() {
    let mut a = in_pane();
    typed(&mut a, ":reg");
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.command_line().value(), "region ");
    // The Identity regions first.
    key(&mut a, KeyCode::Tab);
    let c = a.command_line().completions.clone().unwrap();
    assert_eq!(&c.items[..2], &["us-east-1", "eu-central-1"]);
    typed(&mut a, "eu-c");
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.command_line().value(), "region eu-central-1 ");
    // Several: the common part, then Tab cycles through them (Shift-Tab back).
    let mut a = in_pane();
    typed(&mut a, ":end");
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.command_line().value(), "endpoint");
    assert_eq!(a.command_line().completions.as_ref().unwrap().items, vec!["endpoint-url", "endpoints"]);
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.command_line().value(), "endpoint-url");
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.command_line().value(), "endpoints");
    key(&mut a, KeyCode::BackTab);
    assert_eq!(a.command_line().value(), "endpoint-url");
    // Typing ends the cycle.
    typed(&mut a, "x");
    assert!(a.command_line().completions.is_none());
}

#[test]
fn profiles_complete_from_the_aws_files() {
    let mut a = App::new(real_session("default"));
    let _ = a.update(Action::CommandSetup {
        profiles: vec!["default".into(), "prod".into(), "staging".into()],
        history: vec![],
        bell: false,
        scan_rate: None,
    });
    a.set_focus(Focus::Detail);
    typed(&mut a, ":profile p");
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.command_line().value(), "profile prod ");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(
        eff.contains(&Effect::SwitchContext { generation: 1, to: ContextSwitch::Profile("prod".into()) }),
        "{eff:?}"
    );
    assert!(a.switching());
    // An unknown profile is refused before anything is built.
    typed(&mut a, ":profile nope");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(!eff.iter().any(|e| matches!(e, Effect::SwitchContext { .. })));
    let n = a.notice().unwrap();
    assert_eq!(n.level, Level::Error);
    assert!(n.text.contains("defined: default, prod, staging"), "{}", n.text);
}

#[test]
fn history_goes_back_and_forth_and_is_saved() {
    let mut a = in_pane();
    let _ = a.update(Action::CommandSetup {
        profiles: vec![],
        history: vec![":instances".into()],
        bell: false,
        scan_rate: None,
    });
    typed(&mut a, ":watch 9");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(eff.contains(&Effect::SaveCommands(vec![":instances".into(), "watch 9".into()])), "{eff:?}");
    typed(&mut a, ":half");
    key(&mut a, KeyCode::Up);
    assert_eq!(a.command_line().value(), "watch 9");
    key(&mut a, KeyCode::Up);
    assert_eq!(a.command_line().value(), ":instances");
    key(&mut a, KeyCode::Up);
    assert_eq!(a.command_line().value(), ":instances", "the oldest stays");
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    assert_eq!(a.command_line().value(), "half", "past the newest: what was typed");
}

#[test]
fn an_unknown_command_says_so_and_suggests_the_closest() {
    let mut a = in_pane();
    typed(&mut a, ":instnces");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.notice().unwrap().text, "Unknown command :instnces; did you mean :instances?");
    typed(&mut a, ":q");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(eff.contains(&Effect::Quit));
}

#[test]
fn instances_users_endpoints_and_describe_open_what_they_name() {
    let mut a = in_pane();
    typed(&mut a, ":instances");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(
        eff.iter().any(|e| matches!(e, Effect::Job(JobRequest { query: Query::ListInstances { .. }, .. })))
    );
    assert_eq!(a.focus(), Focus::List);
    typed(&mut a, &format!(":endpoints {U42}"));
    let eff = key(&mut a, KeyCode::Enter);
    assert!(eff.iter().any(|e| matches!(e, Effect::Job(JobRequest { query: Query::ListEndpoints { user_arn, .. }, .. }) if user_arn == U42)), "{eff:?}");
    a.set_focus(Focus::Detail);
    typed(&mut a, &format!(":describe {U42} ep-1"));
    let eff = key(&mut a, KeyCode::Enter);
    assert!(eff.iter().any(|e| matches!(e, Effect::Job(JobRequest { query: Query::Describe { endpoint_id, .. }, .. }) if endpoint_id == "ep-1")), "{eff:?}");
}

#[test]
fn a_switch_drops_answers_of_the_old_context_and_reloads_the_list() {
    let mut a = in_pane();
    typed(&mut a, ":instances");
    let eff = key(&mut a, KeyCode::Enter);
    let old = first_job(&eff, "a job");
    typed(&mut a, ":region eu-central-1");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(eff.contains(&Effect::CancelJob(old.id)), "what runs in the old context is cancelled: {eff:?}");
    let generation = eff
        .iter()
        .find_map(|e| match e {
            Effect::SwitchContext { generation, .. } => Some(*generation),
            _ => None,
        })
        .unwrap();
    let mut session = Session::demo();
    session.region_flag = Some("eu-central-1".into());
    let eff = a.update(Action::Switched { generation, result: Ok(session) });
    let new = first_job(&eff, "the list asked again");
    assert_eq!(a.region(), "eu-central-1");
    assert!(a.notice().unwrap().text.contains("eu-central-1"), "{:?}", a.notice());
    // The old page arrives late: dropped; the new one is shown.
    let page = |id, arn: &str| {
        Action::JobDone(JobDone {
            id,
            owner: crate::jobs::worker::Owner::List,
            query: Query::ListInstances { next_token: None },
            result: Ok(Answer::Instances(crate::model::Page {
                items: vec![crate::model::InstanceSummary {
                    app_instance_arn: Some(arn.into()),
                    name: Some(arn.into()),
                    metadata: None,
                }],
                next_token: None,
            })),
            elapsed: std::time::Duration::ZERO,
        })
    };
    let _ = a.update(page(old.id, "arn:aws:chime:us-east-1:123456789012:app-instance/old"));
    assert_eq!(a.browse.top().unwrap().rows.len(), 0, "the old context's page is dropped");
    let _ = a.update(page(new.id, "arn:aws:chime:eu-central-1:210987654321:app-instance/new"));
    assert_eq!(
        a.browse.top().unwrap().rows.key(0),
        Some("arn:aws:chime:eu-central-1:210987654321:app-instance/new")
    );
    assert_eq!(a.account(), Some("210987654321"), "the account, once an answer names it");
    // A switch superseded by another is ignored when it lands.
    assert!(a.update(Action::Switched { generation: 0, result: Err("late".into()) }).is_empty());
}

#[test]
fn the_demo_switches_region_only() {
    let mut a = in_pane();
    typed(&mut a, ":profile prod");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(!eff.iter().any(|e| matches!(e, Effect::SwitchContext { .. })));
    assert!(a.notice().unwrap().text.contains(":region"), "{:?}", a.notice());
    typed(&mut a, ":endpoint-url http://127.0.0.1:9");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(!eff.iter().any(|e| matches!(e, Effect::SwitchContext { .. })));
}

/// `:profile` + Tab in the demo: not an empty box, but why there is nothing.
#[test]
fn profile_tab_in_the_demo_says_why_there_is_nothing() {
    let mut a = in_pane();
    typed(&mut a, ":profile ");
    key(&mut a, KeyCode::Tab);
    let n = a.notice().expect("a word on why");
    assert!(n.text.starts_with("No profiles in the demo"), "{}", n.text);
    assert!(n.text.contains("without --demo"), "{}", n.text);
}

#[test]
fn endpoint_url_switches_and_a_failed_switch_changes_nothing() {
    let mut a = App::new(real_session("prod"));
    a.set_focus(Focus::Detail);
    typed(&mut a, ":endpoint-url http://127.0.0.1:4566");
    let eff = key(&mut a, KeyCode::Enter);
    let to = ContextSwitch::EndpointUrl(Some("http://127.0.0.1:4566".into()));
    assert!(eff.contains(&Effect::SwitchContext { generation: 1, to }), "{eff:?}");
    let _ = a.update(Action::Switched { generation: 1, result: Err("the profile cannot be read".into()) });
    assert!(!a.switching());
    assert_eq!(a.notice().unwrap().text, "Not switched: the profile cannot be read");
    assert_eq!(a.session().target, crate::model::Target::Aws, "still where it was");
    typed(&mut a, ":endpoint-url -");
    let eff = key(&mut a, KeyCode::Enter);
    let to = ContextSwitch::EndpointUrl(None);
    assert!(eff.contains(&Effect::SwitchContext { generation: 2, to }), "{eff:?}");
    typed(&mut a, ":endpoint-url ftp://x");
    let eff = key(&mut a, KeyCode::Enter);
    assert!(!eff.iter().any(|e| matches!(e, Effect::SwitchContext { .. })), "a bad URL is refused");
}

#[test]
fn the_updated_order_is_offered_when_a_time_is_known() {
    use crate::model::{Endpoint, EndpointSummary, Page, Timestamp};
    let mut a = in_pane();
    let summary = |id: &str| EndpointSummary { endpoint_id: Some(id.into()), ..Default::default() };
    let page = |a: &mut App, eff: &[Effect]| {
        let req = first_job(eff, "a job");
        let items = vec![summary("ep-1"), summary("ep-2"), summary("ep-9")];
        let _ = a.update(Action::JobDone(JobDone {
            id: req.id,
            owner: req.owner,
            query: req.query,
            result: Ok(Answer::Endpoints(Page { items, next_token: None })),
            elapsed: std::time::Duration::ZERO,
        }));
    };
    typed(&mut a, &format!(":endpoints {U42}"));
    let eff = key(&mut a, KeyCode::Enter);
    page(&mut a, &eff);
    let cycle = |a: &mut App| -> Vec<Option<String>> {
        (0..5)
            .map(|_| {
                typed(a, ">");
                a.browse.top().unwrap().sort_label(false)
            })
            .collect()
    };
    assert_eq!(
        cycle(&mut a),
        vec![
            Some("by status".into()),
            Some("by type".into()),
            Some("by ID (names masked)".into()),
            None,
            Some("by status".into())
        ],
        "no time known: no updated order"
    );
    // ep-9 was looked up: its time is known.
    typed(&mut a, &format!(":describe {U42} ep-9"));
    let eff = key(&mut a, KeyCode::Enter);
    let req = first_job(&eff, "a job");
    let ep9 = Endpoint {
        app_instance_user_arn: Some(U42.into()),
        endpoint_id: Some("ep-9".into()),
        last_updated: Some(Timestamp::from_secs(1_760_000_000.0)),
        ..Default::default()
    };
    let _ = a.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query,
        result: Ok(Answer::Endpoint(Box::new(ep9))),
        elapsed: std::time::Duration::ZERO,
    }));
    typed(&mut a, &format!(":endpoints {U42}"));
    let eff = key(&mut a, KeyCode::Enter);
    page(&mut a, &eff);
    typed(&mut a, ">>>");
    let v = a.browse.top().unwrap();
    assert_eq!(v.sort_label(false).as_deref(), Some("by updated (where known)"));
    assert_eq!(v.rows.key(v.visible()[0]), Some("ep-9"), "the known time first");
}

#[test]
fn readonly_and_write_turn_the_writes_off_and_on() {
    let mut a = in_pane();
    assert!(!a.readonly());
    typed(&mut a, ":readonly");
    key(&mut a, KeyCode::Enter);
    assert!(a.readonly());
    assert!(a.notice().unwrap().text.starts_with("Read-only"));
    typed(&mut a, ":write");
    key(&mut a, KeyCode::Enter);
    assert!(!a.readonly());
    // A context switch keeps it.
    typed(&mut a, ":readonly");
    key(&mut a, KeyCode::Enter);
    switch_region(&mut a, "eu-central-1");
    assert!(a.readonly(), "still read-only after the switch");
}

/// `:region NAME`, and the switch done (to the demo's session).
fn switch_region(a: &mut App, region: &str) {
    typed(a, &format!(":region {region}"));
    let eff = key(a, KeyCode::Enter);
    let generation = eff
        .iter()
        .find_map(|e| match e {
            Effect::SwitchContext { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("a context switch");
    let _ = a.update(Action::Switched { generation, result: Ok(Session::demo()) });
}

#[test]
fn write_cannot_lift_read_only_from_outside_even_after_a_switch() {
    let mut a = App::new(Session::demo().locked_readonly("CHIMESCOPE_READONLY"));
    let _ = a.update(Action::Cmd(Cmd::Cancel)); // leave the ARN input
    typed(&mut a, ":write");
    key(&mut a, KeyCode::Enter);
    assert!(a.readonly());
    let text = &a.notice().unwrap().text;
    assert!(text.contains("CHIMESCOPE_READONLY turned it on") && text.contains("restart"), "{text}");
    // :readonly then :write: still the outside's read-only.
    typed(&mut a, ":readonly");
    key(&mut a, KeyCode::Enter);
    typed(&mut a, ":write");
    key(&mut a, KeyCode::Enter);
    assert!(a.readonly());
    // A context switch keeps the lock.
    switch_region(&mut a, "eu-central-1");
    typed(&mut a, ":write");
    key(&mut a, KeyCode::Enter);
    assert!(a.readonly(), "still read-only after the switch");
}

#[test]
fn no_write_is_sent_while_the_client_is_rebuilt() {
    let mut a = in_pane();
    typed(&mut a, ":region eu-central-1");
    key(&mut a, KeyCode::Enter);
    assert!(a.switching());
    let eff = a.update(Action::Cmd(Cmd::FlipMessages));
    assert!(eff.is_empty(), "{eff:?}");
    assert!(a.notice().unwrap().text.starts_with("Switching context"));
}
