//! The Scan pane end to end (issue 15): the built binary with `--demo` in a pseudo-terminal,
//! `S` on the first app instance, the pane with its progress and the endpoints that cannot
//! receive, Enter on one opens its detail, Esc goes back to the pane.

#[path = "common/pty.rs"]
mod pty;

use pty::{ENTER, ESC, Pty, Spawn};

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
