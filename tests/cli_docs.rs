#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `chimescope completions SHELL` and `chimescope man`, run as processes: a script for every
//! shell, loaded and asked for completions by a real bash; a manual page that `man` (or groff)
//! renders without a warning, with every subcommand in it.

#[path = "common/emu.rs"]
mod emu;

use emu::BIN;
use std::process::Command;

const SUBCOMMANDS: [&str; 12] = [
    "describe",
    "list",
    "doctor",
    "register",
    "update",
    "deregister",
    "push-test",
    "scan",
    "emulator",
    "history",
    "completions",
    "man",
];

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run(args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let out = emu::hermetic(home.path()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn a_completion_script_for_every_shell_names_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(&["completions", shell]);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell}: {sub}");
        }
        // fish names long options without their dashes.
        for option in ["cli-input-json", "query", "allow-non-loopback", "no-pager"] {
            assert!(script.contains(option), "{shell}: {option}");
        }
    }
    let home = tempfile::tempdir().unwrap();
    let out = emu::hermetic(home.path()).args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252), "an unknown shell is a bad argument");
}

/// Ask bash, with the script loaded, for the completions of the words `line`.
fn bash_completes(line: &[&str]) -> Vec<String> {
    let words = line.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" ");
    let script = format!(
        "source <(\"$0\" completions bash) || exit 9; complete -p chimescope || exit 8; \
         COMP_WORDS=({words}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
         _chimescope chimescope \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        line.len() - 1,
        line.join(" ")
    );
    let out = Command::new("bash").arg("-c").arg(&script).arg(BIN).output().expect("bash");
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("complete ") && first.ends_with("-F _chimescope chimescope"), "{stdout}");
    stdout.lines().skip(1).map(str::to_string).collect()
}

#[test]
fn bash_loads_the_script_and_completes_subcommands_and_options() {
    let subs = bash_completes(&["chimescope", ""]);
    for sub in SUBCOMMANDS {
        assert!(subs.iter().any(|s| s == sub), "{sub} in {subs:?}");
    }
    let opts = bash_completes(&["chimescope", "register", "--cli-"]);
    assert_eq!(opts, ["--cli-input-json"]);
    let outputs = bash_completes(&["chimescope", "list", "--output", ""]);
    assert_eq!(outputs, ["json", "text", "table"]);
    let emulator = bash_completes(&["chimescope", "emulator", "--allow"]);
    assert_eq!(emulator, ["--allow-non-loopback"]);
}

#[test]
fn the_manual_page_renders_and_covers_every_subcommand() {
    let page = run(&["man"]);
    assert!(page.lines().any(|l| l.starts_with(".TH chimescope 1")), "{page}");
    // The roff itself: every request line is one man(7) knows.
    let known =
        [".TH", ".SH", ".SS", ".TP", ".PP", ".IP", ".RS", ".RE", ".br", ".ie", ".el", ".B", ".I", ".sp"];
    for line in page.lines().filter(|l| l.starts_with('.')) {
        let req = line.split_whitespace().next().unwrap_or_default();
        assert!(known.contains(&req), "unknown request {line:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chimescope.1");
    std::fs::write(&file, &page).unwrap();
    let rendered = if Command::new("man").arg("--version").output().is_ok_and(|o| o.status.success()) {
        let out = Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "no warnings");
        text(&out.stdout)
    } else {
        eprintln!("SKIPPED rendering: no man on this machine (the roff was checked above)");
        page.clone()
    };
    if Command::new("groff").arg("--version").output().is_ok_and(|o| o.status.success()) {
        let out = Command::new("groff").args(["-man", "-ww", "-z", "-Tutf8"]).arg(&file).output().unwrap();
        assert!(out.status.success() && out.stderr.is_empty(), "groff warns: {}", text(&out.stderr));
    }
    for sub in SUBCOMMANDS {
        let head = format!("CHIMESCOPE {}", sub.to_uppercase());
        assert!(rendered.contains(&head), "{head}");
    }
    let roff = page.replace("\\-", "-");
    for option in
        ["--cli-input-json", "--generate-cli-skeleton", "--dry-run", "--query", "--no-pager", "--quotas"]
    {
        assert!(roff.contains(option), "{option}");
    }
}
