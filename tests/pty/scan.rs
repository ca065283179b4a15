//! The Scan pane end to end: the built binary in a pseudo-terminal. With `--demo`:
//! `S` on the first app instance, the pane with its progress and the endpoints that cannot
//! receive, Enter on one opens its detail, Esc goes back to the pane. Against an emulator
//! process seeded by benches/scan_seed.py: a scan stopped with Esc and resumed with `S` `y`
//! finds what the seed implies; rows marked with Space are deregistered in one batch after a
//! dry run and the typed count, and another client (the AWS CLI, else `chimescope describe`)
//! finds them gone and the unmarked one still there.

use crate::awscli;
use crate::emu;
use crate::pty;

use emu::{EmuProc, SCAN_INST};
use pty::{ENTER, ESC, Pty, Spawn, TAB, paste};
use std::path::Path;

const CREDS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

/// An emulator seeded with `users` users of benches/scan_seed.py, and the browser against it
/// with the scan's app instance in the ARN input and the focus out of it.
fn scan_env(home: &Path, users: u64) -> (EmuProc, Pty) {
    let seed = emu::scan_seed(home, users);
    let emu = EmuProc::start(&["--seed", seed.to_str().unwrap()]);
    let args = ["--endpoint-url", emu.url.as_str()];
    let mut p = Pty::spawn(Spawn { args: &args, env: &CREDS, cols: 120, ..Spawn::default() }, home);
    p.wait_for("Nothing looked up yet");
    p.send(&paste(SCAN_INST));
    p.wait_for("✓ app instance scan-bench");
    // Out of the input (a key right after Esc would read as Alt and that key).
    p.send(ESC);
    p.wait_until("the focus out of the input", |s| !s.contains("Enter look up"));
    (emu, p)
}

fn operations(url: &str, op: &str) -> usize {
    emu::requests(url).iter().filter(|r| r["Operation"] == op).count()
}

/// Whether another client finds the endpoint.
fn exists(url: &str, user: &str, id: &str) -> bool {
    awscli::describe_elsewhere(url, user, id).is_some()
}

/// The users done, as the pane's first line says ("  50%  users 12 / 60").
fn users_done(screen: &str) -> Option<u64> {
    let at = screen.find("%  users ")? + "%  users ".len();
    let rest = &screen[at..];
    rest.split_whitespace().next()?.parse().ok()
}

#[test]
fn esc_stops_a_scan_and_s_then_y_resumes_it_to_the_whole_count() {
    let home = tempfile::tempdir().unwrap();
    let users = 60;
    let (emu, mut p) = scan_env(home.path(), users);
    p.send("S");
    // At 10 requests/s the 61 requests take seconds: stop once a few users are done.
    p.wait_until("a few users scanned", |s| s.contains("Running") && users_done(s).is_some_and(|n| n >= 5));
    p.send(ESC);
    let screen = p.wait_for("Stopped — the checkpoint is kept: S resumes");
    let stopped_at = users_done(&screen).unwrap();
    assert!(stopped_at < users, "{screen}");
    let scans = home.path().join(".local/state/chimescope/scans");
    let kept: Vec<_> = std::fs::read_dir(&scans).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(kept.iter().any(|p| p.extension().is_some_and(|e| e == "json")), "{kept:?}");
    // Esc again gives the body back; S on the instance offers to resume, y does.
    p.send(ESC);
    p.wait_until("the pane gone", |s| !s.contains("Scan app-instance/scan-bench"));
    p.send("S");
    p.wait_for("y resumes it, S starts over");
    p.send("y");
    let e = emu::scan_seed_expected(users);
    let screen = p.wait_for_all(&[
        "Finished",
        &format!("users {users} / {users}"),
        &format!("endpoints {} · cannot receive {}", e.endpoints, e.cannot),
    ]);
    assert!(screen.contains("u000002  e000002-0"), "{screen}");
    // The resumed scan listed again only the users in hand when it stopped.
    let lists = operations(&emu.url, "ListAppInstanceUserEndpoints") as u64;
    assert!((users..=users + 8).contains(&lists), "{lists} lists for {users} users");
    assert!(std::fs::read_dir(&scans).unwrap().next().is_none(), "a finished scan's checkpoint goes");
    p.send("q");
    assert!(p.wait_exit().success());
}

#[test]
fn marked_rows_are_deregistered_in_one_batch_after_a_dry_run_and_the_typed_count() {
    let home = tempfile::tempdir().unwrap();
    // 12 users: e000002-0 and e000008-0 INACTIVE, e000004-0 AllowMessages NONE.
    let (emu, mut p) = scan_env(home.path(), 12);
    p.send("S");
    p.wait_for_all(&["Finished", "cannot receive 2 · opted out 1", "D deregister"]);
    p.send("  ");
    let screen = p.wait_for("2 marked: D deregisters them");
    let marked: Vec<(String, String)> = screen
        .lines()
        .filter(|l| l.contains("*● "))
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let dot = w.iter().position(|w| w.ends_with('●')).unwrap();
            (w[dot + 1].to_string(), w[dot + 2].to_string())
        })
        .collect();
    assert_eq!(marked.len(), 2, "{screen}");
    // D: a dry run, nothing sent.
    p.send("D");
    p.wait_for_all(&[
        "Dry run: deregister 2 endpoints?",
        "deregister-app-instance-user-endpoint",
        "Enter goes on",
    ]);
    assert_eq!(operations(&emu.url, "DeregisterAppInstanceUserEndpoint"), 0);
    p.send(ENTER);
    p.wait_for("Type 2 to confirm");
    // The count typed, Tab past Cancel to the button, Enter.
    p.send("2");
    p.send(TAB);
    p.send(TAB);
    p.send(ENTER);
    let screen = p.wait_for("Batch: Deregistered 2 of 2");
    assert_eq!(screen.matches("✓ deregistered").count(), 2, "{screen}");
    assert_eq!(operations(&emu.url, "DeregisterAppInstanceUserEndpoint"), 2);
    for (user, id) in &marked {
        assert!(!exists(&emu.url, &format!("{SCAN_INST}/user/{user}"), id), "{user} {id} is gone");
    }
    let all = [("u000002", "e000002-0"), ("u000004", "e000004-0"), ("u000008", "e000008-0")];
    let left: Vec<_> =
        all.iter().filter(|(u, i)| !marked.contains(&(u.to_string(), i.to_string()))).collect();
    assert_eq!(left.len(), 1);
    assert!(
        exists(&emu.url, &format!("{SCAN_INST}/user/{}", left[0].0), left[0].1),
        "the unmarked one stays"
    );
    p.send("q");
    assert!(p.wait_exit().success());
}

#[test]
fn s_on_an_instance_scans_it_and_enter_opens_an_endpoint_that_cannot_receive() {
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn::default(), home.path());
    p.wait_for("Nothing looked up yet");
    // Enter with nothing typed lists the app instances; the hints offer S.
    p.send(ENTER);
    p.wait_for_all(&["2 app instances", "› Acme Messenger (prod)", "S scan"]);
    p.send("S");
    // The pane: progress, counts, and the inactive endpoints of the demo (words and dot).
    let screen =
        p.wait_for_all(&["Scan app-instance/7f3c2b1a", "users 6 / 6", "Finished", "● u-", "INACTIVE"]);
    assert!(screen.contains("status ACTIVE"), "{screen}");
    // The selected (first) row: "● USER  ID  TYPE  WHY".
    let row = screen
        .lines()
        .skip_while(|l| !l.contains("Finished"))
        .nth(1)
        .expect("a row under the status line")
        .to_string();
    let words: Vec<&str> = row.split_whitespace().collect();
    let dot = words.iter().position(|w| w.ends_with('●')).expect("the row's dot");
    let id = words[dot + 2].to_string();
    p.send(ENTER);
    p.wait_for_all(&[&format!("Endpoint ID   {id}"), "Esc back"]);
    p.send(ESC);
    p.wait_for_all(&["Scan app-instance/7f3c2b1a", "Finished", &format!("{}  {id}", words[dot + 1])]);
    p.send("q");
    assert!(p.wait_exit().success());
}
