//! The command line end to end: the built binary in a pseudo-terminal, against the embedded
//! demo service or an emulator process. `:region` then `:instances` shows the demo's
//! eu-central-1 instance; `:profile` switches between two profiles of a temporary AWS config
//! (the status bar says so, and the new profile's region applies); `w` sees an AllowMessages
//! flip made with the AWS CLI; `:export` writes the list on show as CSV; the commands are
//! remembered across restarts. No timing assertions: every wait is bounded and for the screen.

use crate::awscli;
use crate::emu;
use crate::pty;

use emu::{EmuProc, U42};
use pty::{ENTER, ESC, Pty, Spawn, TAB};

const UP: &str = "\x1b[A";

fn demo(home: &std::path::Path) -> Pty {
    let mut p = Pty::spawn(Spawn::default(), home);
    p.wait_for("Nothing looked up yet");
    leave_input(&mut p);
    p
}

/// Out of the ARN input: `:` opens the command line from a pane. (Waited for: an ESC right
/// before ':' would read as Alt-:.)
fn leave_input(p: &mut Pty) {
    p.send(ESC);
    p.wait_for("? help");
}

fn run(p: &mut Pty, line: &str) {
    p.send(":");
    p.wait_for("Enter run");
    p.send(line);
    p.send(ENTER);
}

#[test]
fn region_then_instances_shows_the_eu_central_1_instance() {
    let home = tempfile::tempdir().unwrap();
    let mut p = demo(home.path());
    // A lookup in us-east-1, remembered in the Recent pane.
    run(&mut p, &format!("describe {U42} ep-1"));
    p.wait_for_all(&["Endpoint ID   ep-1", "  us-east-1 · demo"]);
    run(&mut p, "instances");
    p.wait_for_all(&["2 app instances", "Acme Messenger (prod)"]);
    let screen = p.screen();
    assert!(!screen.contains("Café Berlin Chat"), "not in us-east-1: {screen}");
    run(&mut p, "region eu-central-1");
    // The list on show is asked again in the new region.
    p.wait_for_all(&["1 app instance", "Café Berlin Chat", "· eu-central-1 · demo"]);
    // The Recent pane marks the lookup made in the other context.
    p.wait_for("≠ us-east-1 · demo");
    run(&mut p, "region us-east-1");
    p.wait_for_all(&["2 app instances", "· us-east-1 · demo"]);
    run(&mut p, "region eu-central-1");
    p.wait_for("Café Berlin Chat");
    run(&mut p, "instances");
    p.wait_for_all(&["1 app instance", "Café Berlin Chat"]);
    p.send("q");
    assert!(p.wait_exit().success());

    // The commands are remembered: ↑ on a new command line brings the last one back.
    let mut p = demo(home.path());
    p.send(":");
    p.wait_for("Enter run");
    p.send(UP);
    p.wait_for(":instances");
    p.send(UP);
    p.wait_for(":region eu-central-1");
    p.send(ESC);
    p.wait_until("the command line closed", |s| !s.contains("Enter run"));
    p.send("q");
    assert!(p.wait_exit().success());
}

#[test]
fn an_unknown_command_suggests_the_closest_and_readonly_toggles() {
    let home = tempfile::tempdir().unwrap();
    let mut p = demo(home.path());
    run(&mut p, "regoin eu-central-1");
    p.wait_for("Unknown command :regoin; did you mean :region?");
    // :readonly and :write turn the writes off and on; the status bar says which.
    run(&mut p, "readonly");
    p.wait_for_all(&["Read-only: writes are off", "read-only · profile demo"]);
    run(&mut p, "write");
    let screen = p.wait_for("Writes are on");
    assert!(!screen.contains("read-only · profile"), "{screen}");
    run(&mut p, "q");
    assert!(p.wait_exit().success());
}

#[test]
fn profile_switches_between_two_profiles_of_the_aws_config() {
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let aws = home.path().join("aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("config"),
        "[profile alpha]\nregion = us-east-1\n\n[profile beta]\nregion = eu-central-1\n",
    )
    .unwrap();
    std::fs::write(
        aws.join("credentials"),
        "[alpha]\naws_access_key_id = AKIDALPHA\naws_secret_access_key = a\n\n\
         [beta]\naws_access_key_id = AKIDBETA\naws_secret_access_key = b\n",
    )
    .unwrap();
    let config = aws.join("config").display().to_string();
    let creds = aws.join("credentials").display().to_string();
    let env = [
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", creds.as_str()),
        ("AWS_ENDPOINT_URL", emu.url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let mut p =
        Pty::spawn(Spawn { args: &["--profile", "alpha"], env: &env, ..Default::default() }, home.path());
    p.wait_for_all(&["Nothing looked up yet", "profile alpha"]);
    leave_input(&mut p);
    run(&mut p, "instances");
    p.wait_for_all(&["2 app instances", "profile alpha · 123456789012 · us-east-1 · custom"]);

    // The profiles complete from the files named by the environment.
    p.send(":profile b");
    p.wait_for(":profile b");
    p.send(TAB);
    p.wait_for(":profile beta");
    p.send(ENTER);
    // Switched in place: the status bar says so, and beta's region applies to the list.
    p.wait_for_all(&["profile beta", "eu-central-1 · custom", "Café Berlin Chat", "1 app instance"]);
    let screen = p.screen();
    assert!(!screen.contains("profile alpha"), "{screen}");

    // A profile the files do not define is refused, and nothing changes.
    run(&mut p, "profile gamma");
    p.wait_for("No profile \"gamma\"");
    p.wait_for("profile beta");
    run(&mut p, "profile alpha");
    p.wait_for_all(&["profile alpha", "2 app instances"]);
    p.send("q");
    assert!(p.wait_exit().success());
}

#[test]
fn w_sees_an_allow_messages_flip_made_with_the_aws_cli() {
    let Some(cli) = awscli::find() else { return };
    let emu = EmuProc::start(&[]);
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let mut p = Pty::spawn(
        Spawn { args: &["--endpoint-url", &emu.url], env: &env, ..Default::default() },
        home.path(),
    );
    p.wait_for("Nothing looked up yet");
    leave_input(&mut p);
    run(&mut p, &format!("describe {U42} ep-1"));
    p.wait_for_all(&["Endpoint ID   ep-1", "ALL receives all messages"]);
    run(&mut p, "watch 2");
    p.wait_for("watching every 2s");
    // The customer's device is muted meanwhile.
    let cli_home = tempfile::tempdir().unwrap();
    let out = awscli::command(&cli, &emu.url, "AKIDTEST", "secret", cli_home.path())
        .args(["update-app-instance-user-endpoint", "--app-instance-user-arn", U42, "--endpoint-id", "ep-1"])
        .args(["--allow-messages", "NONE"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Within the next describes (bounded wait, no timing asserted): the change is marked.
    let screen = p.wait_for_all(&["allow messages ALL → NONE", "◆Messages", "· was ALL"]);
    assert!(screen.contains("changed"), "{screen}");
    // Esc stops the watch.
    p.send(ESC);
    p.wait_for("Watch stopped");
    let screen = p.wait_until("the watch line gone", |s| !s.contains("watching every"));
    assert!(!screen.contains("watching every"));
    p.send("q");
    assert!(p.wait_exit().success());
}

#[test]
fn export_writes_the_list_on_show_as_csv() {
    let home = tempfile::tempdir().unwrap();
    let mut p = demo(home.path());
    run(&mut p, &format!("endpoints {U42}"));
    let screen = p.wait_for_all(&["5 endpoints", "› ● ep-1"]);
    run(&mut p, "export eps.csv");
    p.wait_for("Exported 5 endpoints to eps.csv");
    let text = std::fs::read_to_string(home.path().join("eps.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        ["EndpointId", "Status", "StatusReason", "Type", "AllowMessages", "Name", "AppInstanceUserArn"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5);
    // Each row is on screen, in the same order, with its status and reason.
    let mut last = 0;
    for r in &rows {
        let id = &r[0];
        let line_no = screen
            .lines()
            .position(|l| l.contains(&format!("● {id} ")))
            .unwrap_or_else(|| panic!("{id} on screen:\n{screen}"));
        assert!(line_no >= last, "{id} in the list's order");
        last = line_no;
        let line = screen.lines().nth(line_no).unwrap();
        assert!(line.contains(&r[1]), "{id}: {} on {line}", &r[1]);
        assert!(line.contains(&r[2]), "{id}: {} on {line}", &r[2]);
        assert_eq!(&r[6], U42);
        assert!(
            r[5].is_empty() || r[5].starts_with("(masked, "),
            "the name is masked as on screen: {:?}",
            &r[5]
        );
    }
    assert!(rows.iter().any(|r| &r[1] == "INACTIVE"));
    p.send("q");
    assert!(p.wait_exit().success());
}
