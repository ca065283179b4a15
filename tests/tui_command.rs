#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The command line (`:`) and the watch on a fixed-size `TestBackend`: what is typed, the
//! completions above it, the hints of command mode, and the watch's line on the detail pane.

#[path = "common/tui.rs"]
mod tui_fixtures;

#[path = "common/pty.rs"]
mod pty;

use chimescope::jobs::worker::{Answer, JobDone, Query};
use chimescope::model::{EndpointStatus, StatusReason};
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::keymap::action_for;
use chimescope::tui::state::App;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;
use tui_fixtures::*;

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    match action_for(app, &ev) {
        Some(a) => app.update(a),
        None => vec![],
    }
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        let _ = key(app, KeyCode::Char(c));
    }
}

#[test]
fn the_command_line_with_its_hints() {
    let mut app = showing("ep-1");
    typed(&mut app, ":region eu-c");
    let t = render(&mut app, 100, 24);
    insta::assert_snapshot!("command_line", t.backend());
    let buf = t.backend().buffer();
    let (x, y) = find(buf, ":region eu-c").expect("the line on screen");
    assert_eq!(y, 22, "on the message row, above the status bar");
    assert_eq!(buf[(x, y)].fg, app.theme().key.fg.unwrap(), "the ':' in the key colour");
    assert!(screen_text(&t).contains("Enter run"), "command mode's hints");
}

#[test]
fn the_completions_above_the_command_line() {
    let mut app = showing("ep-1");
    typed(&mut app, ":region ");
    let _ = key(&mut app, KeyCode::Tab);
    let _ = key(&mut app, KeyCode::Tab);
    let _ = key(&mut app, KeyCode::Tab);
    let t = render(&mut app, 100, 24);
    insta::assert_snapshot!("command_completion", t.backend());
    let buf = t.backend().buffer();
    // The candidate Tab put in is highlighted.
    let (x, y) = find(buf, " eu-central-1").unwrap();
    assert_eq!(buf[(x + 1, y)].bg, app.theme().selected.bg.unwrap_or(ratatui::style::Color::Reset));
    assert!(screen_text(&t).contains(":region eu-central-1"));
}

#[test]
fn the_command_names_complete_in_a_box() {
    let mut app = showing("ep-1");
    typed(&mut app, ":e");
    let _ = key(&mut app, KeyCode::Tab);
    let t = render(&mut app, 100, 24);
    insta::assert_snapshot!("command_names", t.backend());
}

#[test]
fn a_watched_change_is_marked_on_the_detail_pane() {
    let mut app = showing("ep-1");
    let _ = app.update(Action::Cmd(Cmd::Watch));
    // Due in 5 s: the clock moves, the describe goes out.
    let later = app.now() + Duration::from_secs(5);
    let wall = app.wall();
    let eff = app.update(Action::Clock { now: later, wall });
    let req = match eff.as_slice() {
        [Effect::Job(r)] => r.clone(),
        other => panic!("{other:?}"),
    };
    let mut flipped = seed_endpoint("ep-1");
    let st = flipped.state.as_mut().unwrap();
    st.status = EndpointStatus::Inactive;
    st.reason = Some(StatusReason::InvalidDeviceToken);
    let _ = app.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query.clone(),
        result: Ok(Answer::Endpoint(Box::new(flipped))),
        elapsed: Duration::from_millis(9),
    }));
    let t = render(&mut app, 100, 30);
    insta::assert_snapshot!("watch_changed", t.backend());
    let text = screen_text(&t);
    assert!(text.contains("status ACTIVE → INACTIVE"), "{text}");
    assert!(text.contains("watching every 5s · 1 answer"), "{text}");
    let buf = t.backend().buffer();
    assert_eq!(fg_of(buf, "changed 00:00:00"), app.theme().changed.fg.unwrap());
    // The changed fields are marked on their rows, with what they were.
    assert!(
        text.contains("◆Status        ● INACTIVE: the service will not push to it · was ACTIVE"),
        "{text}"
    );
    assert_eq!(fg_of(buf, "◆Status"), app.theme().changed.fg.unwrap());
}

/// k9s's short names: `:ep`, `:u`, `:i` are `:endpoints`, `:users`, `:instances`; `:ch` (and
/// `:channels`) is `:memberships`, which reads the channel memberships of the user on show; Tab
/// offers them with the commands.
#[test]
fn the_k9s_aliases_run_their_commands_and_complete() {
    use chimescope::tui::state::command::{Command, parse};
    assert_eq!(parse(":i").unwrap(), parse(":instances").unwrap());
    assert_eq!(parse(&format!(":ep {U42}")).unwrap(), parse(&format!(":endpoints {U42}")).unwrap());
    assert_eq!(parse(&format!(":u {INSTANCE}")).unwrap(), parse(&format!(":users {INSTANCE}")).unwrap());
    assert_eq!(parse(":ch").unwrap(), Command::Memberships(None));
    assert_eq!(parse(":channels").unwrap(), Command::Memberships(None));
    assert_eq!(parse(&format!(":ch {U42}")).unwrap(), Command::Memberships(Some(U42.into())));
    assert!(parse(":ch not-an-arn").is_err());
    let mut app = showing("ep-1");
    typed(&mut app, ":ch");
    let eff = key(&mut app, KeyCode::Enter);
    assert!(
        eff.iter()
            .any(|e| matches!(e, Effect::Job(r) if r.query == Query::Memberships { user_arn: U42.into() })),
        "{eff:?}"
    );
    let t = render(&mut app, 120, 24);
    assert!(screen_text(&t).contains("Channel memberships of u-42"), "{}", screen_text(&t));
    let _ = key(&mut app, KeyCode::Esc);
    // :i lists the app instances, as :instances does.
    typed(&mut app, ":i");
    let eff = key(&mut app, KeyCode::Enter);
    assert!(
        eff.iter().any(|e| matches!(e, Effect::Job(r) if format!("{:?}", r.query).contains("Instances"))),
        "{eff:?}"
    );
    // Tab completes an alias as it completes a command's name.
    let mut app = showing("ep-1");
    typed(&mut app, ":e");
    let _ = key(&mut app, KeyCode::Tab);
    let text = screen_text(&render(&mut app, 100, 24));
    assert!(text.contains(" ep ") && text.contains("endpoints"), "{text}");
    // And the help names them beside their commands.
    let help: String =
        chimescope::tui::keymap::command_help().iter().map(|(u, _)| format!("{u}\n")).collect();
    assert!(
        help.contains(":endpoints ARN (:ep)") && help.contains(":memberships [ARN] (:ch) (:channels)"),
        "{help}"
    );
}

/// `[keys]` in config.toml, in the built binary: the help shows the user's key, the status
/// bar's hint too, and the key works (the raw view opens on V).
#[test]
fn a_keys_override_in_config_toml_is_in_the_help_and_works() {
    use pty::{ENTER, ESC, Pty, Spawn, TAB, paste};
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[keys]\nraw-view = \"V\"\nwatch = \"W\"\n").unwrap();
    let mut p = Pty::spawn(Spawn { cols: 160, rows: 100, ..Spawn::default() }, home.path());
    p.wait_for("Nothing looked up yet");
    p.send(&paste(U42));
    p.send(TAB);
    p.send(&paste("ep-1"));
    p.send(ENTER);
    p.wait_for_all(&["Endpoint ID", "W watch"]);
    p.send("?");
    // (The watch row's words may wrap: their start is enough.) Both rows are waited for: a
    // frame caught half-drawn under load may hold the first and not yet the second.
    let words: String = chimescope::tui::action::Cmd::Watch.describe().chars().take(30).collect();
    let help = p.wait_for_all(&["the record under the cursor as JSON", &words]);
    let row = help.lines().find(|l| l.contains("the record under the cursor as JSON")).unwrap();
    assert!(row.trim_start_matches(['│', ' ']).starts_with("V "), "the user's key: {row}");
    let watch =
        help.lines().find(|l| l.contains(&words)).unwrap_or_else(|| panic!("{words:?} in the help:\n{help}"));
    assert!(watch.trim_start_matches(['│', ' ']).starts_with("W "), "{watch}");
    p.send(ESC);
    p.wait_until("the help closed", |s| !s.contains("the record under the cursor as JSON"));
    p.send("V");
    let raw = p.wait_for("JSON: endpoint");
    assert!(raw.contains("(masked, 64 chars)"), "{raw}");
    p.send(ESC);
    p.wait_until("the raw view closed", |s| !s.contains("JSON: endpoint"));
    p.send("q");
    assert!(p.wait_exit().success());
}

/// An unknown action or a clash in `[keys]` is refused before the browser starts, with the
/// file and the line (exit 253, as any config error).
#[test]
fn a_bad_keys_table_is_refused_with_its_line() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("cfg/chimescope");
    std::fs::create_dir_all(&dir).unwrap();
    for (text, line, words) in [
        ("# mine\n[keys]\nraw-veiw = \"V\"\n", 3, "no action \"raw-veiw\""),
        ("[ui]\nmouse = false\n\n[keys]\nraw-view = \"V\"\nwatch = \"y\"\n", 6, "copy-field"),
    ] {
        std::fs::write(dir.join("config.toml"), text).unwrap();
        let out = std::process::Command::new(pty::BIN)
            .arg("--demo")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("cfg"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(253), "{err}");
        assert!(err.contains(&format!("config.toml, line {line}")) && err.contains(words), "{err}");
    }
}
