#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! `chimescope completions SHELL` and `chimescope man`, run as processes: a script for every
//! shell, loaded and asked for completions by a real bash, fish and zsh (zsh in tmux, as a user types); a manual page that `man` (or groff)
//! renders without a warning, with every subcommand in it; and every `chimescope …` command line
//! in the README and the docs/ pages one the program takes (its subcommand and long options).

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

/// Whether `program` is installed (it answers `version_flag`); under CI it must be (`.ci/run`
/// installs zsh, fish and tmux), elsewhere a test that needs it skips, loudly.
fn have(program: &str, version_flag: &str) -> bool {
    if Command::new(program).arg(version_flag).output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "{program} is required under CI (.ci/run installs it)");
    eprintln!("SKIPPED: {program} is not installed");
    false
}

/// Ask fish, with the script loaded, for the completions of `line` (`complete -C`), without
/// their descriptions.
fn fish_completes(line: &str) -> Vec<String> {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new("fish")
        .args(["--no-config", "-c", "$argv[1] completions fish | source; or exit 9; complete -C $argv[2]"])
        .args([BIN, line])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .output()
        .expect("fish");
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout).lines().map(|l| l.split('\t').next().unwrap_or_default().to_string()).collect()
}

#[test]
fn fish_loads_the_script_and_completes_subcommands_and_options() {
    if !have("fish", "--version") {
        return;
    }
    let subs = fish_completes("chimescope ");
    for sub in SUBCOMMANDS {
        assert!(subs.iter().any(|s| s == sub), "{sub} in {subs:?}");
    }
    assert_eq!(fish_completes("chimescope register --cli-"), ["--cli-input-json"]);
    assert_eq!(fish_completes("chimescope pu"), ["push-test"]);
    let mut outputs = fish_completes("chimescope list --output ");
    outputs.sort();
    assert_eq!(outputs, ["json", "table", "text"]);
}

/// An interactive zsh in a private tmux server (its own socket), with compinit and the script
/// loaded: zsh completes only in its line editor, so the test types as a user does and reads the
/// screen. The server is killed on drop.
struct Zsh {
    dir: tempfile::TempDir,
}

impl Zsh {
    fn tmux(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S").arg(self.dir.path().join("sock"));
        c
    }

    fn start() -> Self {
        let zsh = Self { dir: tempfile::tempdir().unwrap() };
        let bin_dir = std::path::Path::new(BIN).parent().unwrap().display().to_string();
        let shell = format!(
            "env -i HOME='{}' PATH='{bin_dir}:/usr/local/bin:/usr/bin:/bin' TERM=xterm zsh -f",
            zsh.dir.path().display()
        );
        let st = zsh.tmux().args(["new-session", "-d", "-x", "200", "-y", "50", &shell]).status().unwrap();
        assert!(st.success(), "tmux new-session");
        zsh.keys(&["autoload -U compinit; compinit -u -D; source <(chimescope completions zsh) && print -r LOADED-OK", "Enter"]);
        zsh.wait_for("\nLOADED-OK");
        zsh
    }

    fn keys(&self, keys: &[&str]) {
        assert!(self.tmux().arg("send-keys").args(keys).status().unwrap().success(), "tmux send-keys");
    }

    fn screen(&self) -> String {
        text(&self.tmux().args(["capture-pane", "-p", "-J"]).output().unwrap().stdout)
    }

    /// The screen once it shows `what`; a panic with the screen after 30 s.
    fn wait_for(&self, what: &str) -> String {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(std::time::Instant::now() < until, "waited for {what:?}; the screen:\n{screen}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Zsh {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

#[test]
fn zsh_loads_the_script_and_completes_subcommands_and_options() {
    if !have("zsh", "--version") || !have("tmux", "-V") {
        return;
    }
    let zsh = Zsh::start();
    // A unique prefix is completed in the line itself.
    zsh.keys(&["chimescope pu", "Tab"]);
    zsh.wait_for("chimescope push-test ");
    // Several: listed under the line, each with its help.
    zsh.keys(&["C-u", "chimescope register --cli", "Tab"]);
    let screen = zsh.wait_for("--cli-input-json");
    assert!(screen.contains("Read the request from FILE"), "{screen}");
    zsh.keys(&["C-u", "chimescope list --output ", "Tab"]);
    let screen = zsh.wait_for("table");
    for value in ["json", "text"] {
        assert!(screen.lines().any(|l| l.split_whitespace().any(|w| w == value)), "{value}: {screen}");
    }
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

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and the pages of docs/, as (name, text).
fn doc_pages() -> Vec<(String, String)> {
    let mut names = vec!["README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    names.extend(docs);
    names.into_iter().map(|n| (n.clone(), std::fs::read_to_string(root().join(&n)).unwrap())).collect()
}

/// Every `chimescope …` command line of a Markdown text: the code blocks' lines (fenced or
/// indented) that start with it (after an optional `$ `; a synopsis line's note after three spaces left out), joined with
/// their continuations (a trailing `\`, or an indented line of options under a synopsis line),
/// and each inline code span that names it (a span may
/// wrap across lines). Each is the words after `chimescope`, up to a pipe, a redirection or
/// the next `chimescope`.
fn command_lines(text: &str) -> Vec<Vec<String>> {
    let mut found: Vec<String> = Vec::new();
    let mut prose = String::new();
    let mut in_code = false;
    let mut lines = text.lines().peekable();
    // Bounded: each turn takes at least one line.
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let t = line.trim_start().trim_start_matches("$ ");
        // An indented code block's line (four spaces) is code too.
        let code = in_code || (line.starts_with("    ") && t.starts_with("chimescope "));
        if !code {
            prose.push_str(line);
            prose.push('\n');
            continue;
        }
        if !t.starts_with("chimescope") {
            continue;
        }
        let mut joined = without_note(t).to_string();
        while joined.ends_with('\\') || lines.peek().is_some_and(|n| continues_synopsis(n)) {
            joined = joined.trim_end_matches('\\').to_string();
            match lines.next() {
                Some(n) => {
                    joined.push(' ');
                    joined.push_str(without_note(n.trim()));
                }
                None => break,
            }
        }
        found.push(joined);
    }
    let mut rest = prose.as_str();
    while let Some(i) = rest.find('`') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('`') else { break };
        found.push(after[..j].split_whitespace().collect::<Vec<_>>().join(" "));
        rest = &after[j + 1..];
    }
    let mut out = Vec::new();
    for text in found {
        let mut current: Option<Vec<String>> = None;
        for word in text.split_whitespace() {
            let word = word.trim_start_matches(['<', '$', '(']);
            if word == "chimescope" {
                out.extend(current.take());
                current = Some(Vec::new());
            } else if matches!(word, "|" | ";" | "&&") || word.starts_with('>') || word.starts_with('<') {
                out.extend(current.take());
            } else if let Some(c) = current.as_mut() {
                c.push(word.trim_end_matches([')', ',', '\\']).to_string());
            }
        }
        out.extend(current);
    }
    out
}

/// A synopsis line without the note after it (set off by three spaces or more).
fn without_note(line: &str) -> &str {
    line.split("   ").next().unwrap_or_default().trim_end()
}

/// An indented line of a synopsis that goes on with the options of the line above.
fn continues_synopsis(line: &str) -> bool {
    line.starts_with(' ') && matches!(line.trim_start().chars().next(), Some('[' | '-'))
}

/// What is wrong with a command line (its words after `chimescope`): a subcommand or a long
/// option the program does not have (`--help` and `--version` are clap's own).
fn command_line_problems(words: &[String]) -> Vec<String> {
    let mut root = <chimescope::cli::Cli as clap::CommandFactory>::command();
    root.build();
    let mut current: Option<&clap::Command> = None;
    let mut problems = Vec::new();
    let mut words = words.iter().peekable();
    while let Some(word) = words.next() {
        let w = word.trim_matches(|c| c == '[' || c == ']').trim_end_matches("...").trim_end_matches(']');
        let cmd = current.unwrap_or(&root);
        if let Some(long) = w.strip_prefix("--") {
            let long = long.split('=').next().unwrap_or_default();
            match cmd.get_arguments().find(|a| a.get_long() == Some(long)) {
                Some(arg) => {
                    let takes_value = arg.get_action().takes_values();
                    if takes_value && !long.is_empty() && !word.contains('=') {
                        // Its value (a placeholder such as ARN, or json|text).
                        if words.peek().is_some_and(|n| !n.trim_start_matches('[').starts_with('-')) {
                            words.next();
                        }
                    }
                }
                None => problems.push(format!("`{}` has no option --{long}", cmd.get_name())),
            }
        } else if current.is_none()
            && !w.is_empty()
            && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            && w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        {
            match root.find_subcommand(w) {
                Some(sub) => current = Some(sub),
                None => {
                    problems.push(format!("no subcommand {w:?}"));
                    return problems;
                }
            }
        }
    }
    problems
}

#[test]
fn every_command_line_in_the_readme_and_the_docs_is_one_the_program_takes() {
    let mut checked = 0;
    let mut subcommands = std::collections::BTreeSet::new();
    for (name, text) in doc_pages() {
        for words in command_lines(&text) {
            let problems = command_line_problems(&words);
            assert!(problems.is_empty(), "{name}: `chimescope {}`: {problems:?}", words.join(" "));
            subcommands.extend(words.iter().find(|w| SUBCOMMANDS.contains(&w.as_str())).cloned());
            checked += 1;
        }
    }
    assert!(checked > 30, "the docs show the commands ({checked} command lines found)");
    for sub in SUBCOMMANDS {
        assert!(subcommands.contains(sub), "no command line in the docs shows `chimescope {sub}`");
    }
}

#[test]
fn a_command_line_the_program_does_not_take_is_found() {
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let found = command_lines(
        "Run `chimescope lst --app-instance-user-arn X`, or\n\n```\n$ chimescope describe --endpoint-ids ID \\\n  \
         --output json | jq .\nchimescope register --type GCM\n                    [--colour]\n```\n\n    \
         chimescope --demo list --app-instance-user-arn \\\n      ARN --outptu table\n",
    );
    assert_eq!(
        found,
        vec![
            words("describe --endpoint-ids ID --output json"),
            words("register --type GCM [--colour]"),
            words("--demo list --app-instance-user-arn ARN --outptu table"),
            words("lst --app-instance-user-arn X"),
        ]
    );
    let problems: Vec<Vec<String>> = found.iter().map(|w| command_line_problems(w)).collect();
    assert_eq!(problems[0], ["`describe` has no option --endpoint-ids"]);
    assert_eq!(problems[1], ["`register` has no option --colour"]);
    assert_eq!(problems[2], ["`list` has no option --outptu"]);
    assert_eq!(problems[3], ["no subcommand \"lst\""]);
    // Options before the subcommand are the top level's, and their values are not subcommands.
    assert!(command_line_problems(&words("--profile prod --demo doctor --no-pinpoint")).is_empty());
    assert!(command_line_problems(&words("--version")).is_empty());
    assert!(command_line_problems(&words("list --help")).is_empty());
}
