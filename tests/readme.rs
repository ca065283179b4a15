#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! The README and the manual in `docs/` against the program, as the help is checked against
//! the key tables: every key written `<kbd>…</kbd>` is one the browser binds (or an input's
//! editing key), the key table of `docs/browser.md` is the whole table in one piece (each row's
//! keys bound where the row says, every binding in a row), every `:` command named is one the
//! command line knows and its table lists them all, the documented `config.toml` is the
//! built-in default, and every relative link points to a file (and a heading) that exists.
//! The README's five-minute walkthrough is played in the demo, the built binary in a
//! pseudo-terminal, each screen text it quotes waited for on screen.

#[path = "common/pty.rs"]
mod pty;

use chimescope::tui::keymap::{ALIASES, BINDINGS, COMMANDS, Ctx, EDITING_HELP, key_name};
use pty::{ENTER, Pty, Spawn, TAB, paste};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every page of docs/, as (path relative to the repository, text).
fn pages() -> Vec<(PathBuf, String)> {
    let mut out = vec![(PathBuf::from("README.md"), read(&root().join("README.md")))];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("a docs/ directory")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    assert!(!docs.is_empty(), "docs/ holds the manual's pages");
    for p in docs {
        let rel = p.strip_prefix(root()).unwrap().to_path_buf();
        out.push((rel, read(&p)));
    }
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn page(name: &str) -> String {
    read(&root().join(name))
}

/// The text between each `open` and the next `close`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else { break };
        out.push(&after[..j]);
        rest = &after[j + close.len()..];
    }
    out
}

/// The keys written `<kbd>…</kbd>` in a text.
fn kbds(text: &str) -> Vec<String> {
    between(text, "<kbd>", "</kbd>").into_iter().map(|k| unescape(k.trim())).collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Every key the browser binds, as the help writes it, with its table.
fn bound() -> Vec<(Ctx, String)> {
    BINDINGS.iter().map(|b| (b.ctx, key_name(b.code, b.mods))).collect()
}

/// The inputs' editing keys, as the help writes them ("Ctrl-←/→" is Ctrl-← and Ctrl-→).
fn editing_keys() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (keys, _) in EDITING_HELP {
        for group in keys.split_whitespace() {
            let mut prefix = "";
            for part in group.split('/') {
                if let Some(i) = part.rfind('-').filter(|&i| i + 1 < part.len()) {
                    prefix = &part[..=i];
                    out.insert(part.to_string());
                } else {
                    out.insert(format!("{prefix}{part}"));
                }
            }
        }
    }
    out
}

/// A key named in the docs that the browser does not know, if any.
fn unknown_keys(text: &str) -> Vec<String> {
    let bound: BTreeSet<String> = bound().into_iter().map(|(_, k)| k).collect();
    let editing = editing_keys();
    kbds(text).into_iter().filter(|k| !bound.contains(k) && !editing.contains(k)).collect()
}

/// The text outside fenced code blocks.
fn prose(text: &str) -> String {
    let mut in_code = false;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The `:` commands named in backticks (`` `:scan --rate N` `` names `scan`), outside code
/// blocks.
fn commands_named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for code in between(&prose(text), "`", "`") {
        if let Some(rest) = code.strip_prefix(':') {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

fn known_command(name: &str) -> bool {
    // `:quit` is `:q`'s long form (the help says so in `:q`'s line).
    // k9s's short names (`:ep`) are the commands' aliases.
    name == "quit" || COMMANDS.iter().any(|c| c.name == name) || ALIASES.iter().any(|(a, _)| *a == name)
}

/// The rows of the table whose header line starts with `header`, as cells; None when no
/// table has that header. A table ends at its first line that is not a row.
fn table(text: &str, header: &str) -> Option<Vec<Vec<String>>> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(header));
    lines.next()?;
    let rows = lines
        .take_while(|l| l.starts_with('|'))
        .filter(|l| !l.starts_with("| ---"))
        .map(|l| l.trim().trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect())
        .collect();
    Some(rows)
}

fn ctx_of(place: &str) -> Option<Ctx> {
    Some(match place {
        "anywhere" => Ctx::Any,
        "inputs" => Ctx::Input,
        "panes" => Ctx::Pane,
        "command line" => Ctx::Command,
        "confirmation" => Ctx::Confirm,
        "form" => Ctx::Form,
        "help" => Ctx::Help,
        "raw view" => Ctx::Raw,
        "last actions" => Ctx::Actions,
        "memberships" => Ctx::Members,
        _ => return None,
    })
}

/// What is wrong with a key table: a row whose place is unknown, a key not bound where its
/// row says, a binding no row names.
fn key_table_problems(rows: &[Vec<String>]) -> Vec<String> {
    let bound = bound();
    let mut problems = Vec::new();
    let mut covered: Vec<(Ctx, String)> = Vec::new();
    for row in rows {
        let Some(ctx) = ctx_of(&row[0]) else {
            problems.push(format!("row {row:?}: unknown place {:?}", row[0]));
            continue;
        };
        let keys = kbds(&row[1]);
        if keys.is_empty() {
            problems.push(format!("row {row:?}: no key"));
        }
        for key in keys {
            if bound.iter().any(|(c, k)| *c == ctx && *k == key) {
                covered.push((ctx, key));
            } else {
                problems.push(format!("{key:?} is not bound in {:?} (row {row:?})", row[0]));
            }
        }
    }
    for (ctx, key) in bound {
        if !covered.contains(&(ctx, key.clone())) {
            problems.push(format!("the binding {key:?} in {ctx:?} is in no row of the key table"));
        }
    }
    problems
}

/// Runs `problems` on every page and fails naming the page; answers how many things `count`
/// found in all.
fn each_page(
    what: &str,
    count: impl Fn(&str) -> usize,
    problems: impl Fn(&Path, &str) -> Vec<String>,
) -> usize {
    let mut found = 0;
    for (path, text) in pages() {
        found += count(&text);
        let wrong = problems(&path, &text);
        assert!(wrong.is_empty(), "{}: {what}: {wrong:?}", path.display());
    }
    found
}

#[test]
fn every_key_named_in_the_readme_and_the_docs_is_bound() {
    let named = each_page("keys the browser does not bind", |t| kbds(t).len(), |_, t| unknown_keys(t));
    assert!(named > 50, "the docs name keys as <kbd>…</kbd> ({named} found)");
    assert!(!kbds(&page("README.md")).is_empty(), "the README's walkthrough names its keys");
}

#[test]
fn an_unknown_key_is_refused() {
    assert_eq!(unknown_keys("press <kbd>Z</kbd> then <kbd>m</kbd>"), vec!["Z".to_string()]);
    assert_eq!(unknown_keys("<kbd>Ctrl-Q</kbd>"), vec!["Ctrl-Q".to_string()]);
    assert!(
        unknown_keys("<kbd>Ctrl-→</kbd> <kbd>Alt-B</kbd> <kbd>Shift-Tab</kbd> <kbd>&lt;</kbd>").is_empty()
    );
    let rows = vec![vec!["panes".to_string(), "<kbd>x</kbd>".to_string(), "nothing".to_string()]];
    assert!(key_table_problems(&rows).iter().any(|p| p.contains("\"x\" is not bound")));
    // A key bound elsewhere, but not where the row says, is refused too.
    let rows = vec![vec!["form".to_string(), "<kbd>q</kbd>".to_string(), "quit".to_string()]];
    assert!(key_table_problems(&rows).iter().any(|p| p.contains("\"q\" is not bound in \"form\"")));
}

#[test]
fn the_key_table_is_one_table_holding_every_binding_where_it_applies() {
    let text = page("docs/browser.md");
    let header = "| where | keys |";
    assert_eq!(text.matches(header).count(), 1, "one key table in docs/browser.md");
    for (path, other) in pages() {
        if path != Path::new("docs/browser.md") {
            assert!(!other.contains(header), "{}: the key table lives in docs/browser.md", path.display());
        }
    }
    let rows = table(&text, header).unwrap();
    let problems = key_table_problems(&rows);
    assert!(problems.is_empty(), "docs/browser.md's key table:\n{}", problems.join("\n"));
}

#[test]
fn every_command_named_is_known_and_the_command_table_lists_them_all() {
    for (path, text) in pages() {
        let unknown: Vec<String> = commands_named(&text).into_iter().filter(|c| !known_command(c)).collect();
        assert!(
            unknown.is_empty(),
            "{}: commands the command line does not know: {unknown:?}",
            path.display()
        );
    }
    assert!(!known_command("regoin") && commands_named("`:regoin eu` and `:q`") == ["regoin", "q"]);
    let rows = table(&page("docs/browser.md"), "| command |").expect("the command table");
    let listed: BTreeSet<String> = rows.iter().flat_map(|r| commands_named(&r[0])).collect();
    for c in COMMANDS {
        assert!(listed.contains(c.name), "`:{}` is missing from docs/browser.md's command table", c.name);
    }
}

#[test]
fn the_documented_config_is_the_default_one() {
    let text = page("docs/files.md");
    let block = between(&text, "```toml\n", "```").into_iter().next().expect("a toml block in docs/files.md");
    assert_eq!(block.trim(), chimescope::config::DEFAULT_CONFIG.trim());
}

/// GitHub's anchor of a heading: lower case, spaces to `-`, other punctuation dropped.
fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    prose(text)
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| slug(l.trim_start_matches('#').trim()))
        .collect()
}

/// The targets of the Markdown links `[text](target)` outside code.
fn links(text: &str) -> Vec<String> {
    prose(text)
        .lines()
        .flat_map(|l| between(l, "](", ")").into_iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn broken_links(path: &Path, text: &str) -> Vec<String> {
    let dir = root().join(path).parent().unwrap().to_path_buf();
    let mut broken = Vec::new();
    for target in links(text) {
        if target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        let (file, anchor) = match target.split_once('#') {
            Some((f, a)) => (f, Some(a)),
            None => (target.as_str(), None),
        };
        let file = if file.is_empty() { root().join(path) } else { dir.join(file) };
        if !file.exists() {
            broken.push(format!("{target}: no such file"));
            continue;
        }
        let is_page = file.extension().is_some_and(|x| x == "md");
        if let Some(anchor) = anchor.filter(|_| is_page)
            && !anchors(&read(&file)).contains(anchor)
        {
            broken.push(format!("{target}: no such heading"));
        }
    }
    broken
}

#[test]
fn every_relative_link_points_to_a_file_that_exists() {
    let seen = each_page("broken links", |t| links(t).len(), broken_links);
    assert!(seen > 10, "the README links the manual ({seen} links)");
    // The README links every page of the manual.
    let readme = page("README.md");
    for (path, _) in pages().into_iter().skip(1) {
        assert!(readme.contains(&format!("]({})", path.display())), "README.md links {}", path.display());
    }
    let broken = broken_links(Path::new("README.md"), "[a](docs/nowhere.md) [b](docs/browser.md#no-such)");
    assert_eq!(broken.len(), 2, "{broken:?}");
}

/// The README's text with its whitespace collapsed (a quote may wrap across lines).
fn readme_words() -> String {
    page("README.md").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Waits until the screen shows each of `quotes`, which the README quotes word for word.
fn shows_as_the_readme_says(p: &Pty, quotes: &[&str]) {
    let readme = readme_words();
    for q in quotes {
        let words = q.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(readme.contains(&words), "the README quotes {q:?}");
    }
    p.wait_for_all(quotes);
}

#[test]
fn the_readme_walkthrough_works_in_the_demo() {
    const UP: &str = "\x1b[A";
    const CTRL_U: &str = "\x15";
    const APP: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d";
    let readme = readme_words();
    assert!(readme.contains(APP), "the README names the working app");
    let home = tempfile::tempdir().unwrap();
    let mut p = Pty::spawn(Spawn { cols: 160, rows: 45, ..Spawn::default() }, home.path());
    p.wait_for("Nothing looked up yet");

    // Find an endpoint that cannot receive: Enter lists the app instances, S scans the first.
    p.send(ENTER);
    p.wait_for("Acme Messenger (prod)");
    p.send("S");
    shows_as_the_readme_says(&p, &["zoe-ipad  APNS_SANDBOX  INACTIVE INVALID_PINPOINT_ARN"]);
    p.wait_for("Finished");
    p.send("/zoe-ipad");
    p.send(ENTER);
    p.wait_for("filter \"zoe-ipad\"");
    p.send(ENTER);

    // Read why.
    shows_as_the_readme_says(
        &p,
        &[
            "✘ Cannot receive pushes: ResourceArn does not name a usable Pinpoint app; fix the ResourceArn",
            "inactive-pinpoint-arn",
            "pinpoint-app-missing",
        ],
    );

    // Fix it: R, a new token, the Resource ARN cleared and a working app pasted, Enter, y.
    p.send("R");
    p.wait_for("Register zoe-ipad again");
    p.send(&paste(&"a1b2c3d4".repeat(8)));
    p.wait_for("(64 chars");
    p.send(UP);
    p.send(CTRL_U);
    p.send(&paste(APP));
    p.wait_for("apps/5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d");
    p.send(ENTER);
    shows_as_the_readme_says(
        &p,
        &[
            "aws chime-sdk-identity register-app-instance-user-endpoint",
            "deregister-app-instance-user-endpoint",
        ],
    );
    p.send("y");
    p.wait_for("Registered zoe-ipad again as");

    // Check the fix: the new endpoint on show, :doctor; then i, Tab, Ctrl-U, Enter lists the
    // user's endpoints.
    shows_as_the_readme_says(&p, &["✔ Can receive pushes: record and Pinpoint channel checked"]);
    p.send(":doctor");
    p.send(ENTER);
    p.wait_for("device tokens compared");
    p.send("i");
    p.send(TAB);
    p.send(CTRL_U);
    p.send(ENTER);
    // Two endpoints, both ACTIVE: zoe-android and the new one (zoe-ipad only in Recent).
    let list = p.wait_for_all(&["Endpoints of u-1002", "2 endpoints", "› ● zoe-android"]);
    assert!(!list.contains("INACTIVE"), "zoe-ipad is gone from the list:\n{list}");
    p.send("m");
    shows_as_the_readme_says(&p, &["AllowMessages: NONE → ALL"]);
    p.send("y");
    p.wait_for("AllowMessages of zoe-android is now ALL");
    p.send("q");
    assert!(p.wait_exit().success());
}

#[test]
fn the_readme_opens_with_the_demo_and_the_test_command_ci_runs() {
    let ci = page(".ci/run");
    let test_command = ci
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("cargo nextest run"))
        .expect(".ci/run runs the tests with cargo nextest");
    let readme = page("README.md");
    let quick_start = readme.split("\n## ").nth(1).expect("a first section");
    assert!(quick_start.starts_with("Quick start"), "{quick_start}");
    for command in ["cargo run --release -- --demo", test_command] {
        assert!(
            quick_start.lines().any(|l| l == format!("    {command}")),
            "the README's quick start shows `{command}` as a command of its own"
        );
    }
}
