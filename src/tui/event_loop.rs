//! The browser session: connect, then the loop, and the history flushed on the way out
//! (`super::history_io`).
//!
//! The loop `select!`s over terminal events, lookup results from the worker, signals and a
//! timer that only runs while something moves on screen (a lookup's spinner, a message about
//! to expire): an idle browser sleeps. Every change goes through [`App::update`]; the
//! [`Effect`]s it returns are carried out here, all of them, by [`dispatch`]. The screen is redrawn only after
//! something happened.
//!
//! The terminal is handed back on every way out: a normal quit, an error, SIGTERM, SIGHUP,
//! SIGINT, SIGQUIT, SIGUSR1, SIGALRM (exit 128 + the signal's number), and a panic (a hook
//! restores it before the panic message is printed). Ctrl-Z (or SIGTSTP) hands it back and
//! stops; `fg` (SIGCONT) takes it again and redraws. SIGXFSZ (`ulimit -f`) does not kill the
//! browser: the write that went over the limit fails, and the save reports it. Nothing is
//! written to the terminal while the browser owns it (the log goes to its file, or nowhere).
//!
//! On the way out, lookups whose save failed are tried once more; what is still not saved is
//! written beside the history (`history.json.unsaved-<time>`, or listed on stderr when even
//! that fails), said on stderr, and the exit code is [`EXIT_UNSAVED`].

use super::action::{Action, ContextSwitch, Effect, Notice, PendingExport};
use super::history_io::{flush_history, load_history};
use super::state::{App, Session};
use super::terminal::{Tui, is_lost, is_suspend_key, say};
use super::{EXIT_TERMINAL, EXIT_UNSAVED, EXIT_WRITE_UNSETTLED, copier, keymap, saver, scanner, theme, ui};
use crate::settings::Settings;
use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc::UnboundedSender;

/// The whole browser session, from connecting to the way out; returns the exit code.
pub async fn session(s: &Settings) -> i32 {
    let started = Instant::now();
    let (client, _emulator) = match crate::jobs::connect(s).await {
        Ok(c) => c,
        Err((code, e)) => {
            say(&e);
            return code;
        }
    };
    let mut session = session_of(&client);
    if s.readonly {
        session = session.locked_readonly(s.readonly_source.to_string());
    }
    tracing::info!(profile = %session.profile, target = %session.target_label(), "connected");
    let mut scanner = scanner::Scanner::new(&client).await;
    scanner.set_concurrency(s.scan_concurrency);
    scanner.set_max_throttles(s.scan_max_throttles);
    scanner.set_pinpoint(s.pinpoint);
    let demo_url = _emulator.as_ref().map(|e| e.url());
    let (tx, done_rx) = crate::jobs::worker::spawn(Arc::new(client), s.rate);

    let mut app = App::new(session);
    let _ = app.update(Action::Setup {
        theme: Box::new(theme::Theme::from_env()),
        mouse: s.mouse,
        show_secrets: s.show_secrets,
        tz: jiff::tz::TimeZone::system(),
    });
    if let Some(why) = s.pinpoint_off() {
        let _ = app.update(Action::PinpointOff(why));
    }
    // Checked before the terminal was taken (`tui::run`): an error here is not expected.
    if let Ok(map) = super::keymap::KeyMap::with_user(&s.keys) {
        let _ = app.update(Action::Keys(Arc::new(map)));
    }
    load_history(&mut app, s.history);
    let commands_file = crate::store::paths::command_history_file();
    let _ = app.update(Action::CommandSetup {
        profiles: if s.demo { Vec::new() } else { crate::aws::profile_names().await },
        history: commands_file.as_deref().map(crate::store::history::load_commands).unwrap_or_default(),
        bell: s.bell,
        scan_rate: Some(s.scan_rate),
    });

    let mut tui = match Tui::enter(s.mouse) {
        Ok(t) => t,
        Err(e) => {
            say(format_args!("cannot set up the terminal: {e}"));
            return EXIT_TERMINAL;
        }
    };
    if let Ok(size) = tui.terminal.size() {
        let _ = app.update(Action::Resize(size.width, size.height));
    }
    // One clipboard for the life of the browser (on X11 the content lives with the handle),
    // on its own thread: a copy inside tmux can take seconds.
    let (copier, copied_rx) = copier::Copier::spawn(s.clipboard);
    let (saver, saved_rx) = saver::Saver::spawn();
    let (switch_tx, switched_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut runner = Runner {
        tx,
        copier,
        saver,
        switch_tx,
        opts: s.aws.clone(),
        demo_url,
        commands_file,
        scanner,
        rate: s.rate,
        locked_readonly: s.readonly.then(|| s.readonly_source.to_string()),
    };
    let mut inbox = Inbox { done: done_rx, saved: saved_rx, copied: copied_rx, switched: switched_rx };
    let result = event_loop(&mut tui, &mut app, &mut runner, &mut inbox, started).await;
    drop(tui); // restores the terminal before anything is printed
    // A scan still running keeps its checkpoint (S resumes it next time).
    runner.scanner.finish(Duration::from_secs(2)).await;
    if let Some(m) = &app.writes().unsettled {
        say(m);
    }
    let saved = flush_history(&mut app, &mut runner.saver, &mut inbox.saved).await;
    match result {
        Ok(code) => {
            let code = if code == 0 && !saved { EXIT_UNSAVED } else { code };
            // A write whose outcome is unknown is not a clean exit: 255, as the AWS CLI after a
            // request that got no answer.
            let code =
                if code == 0 && app.writes().unsettled.is_some() { EXIT_WRITE_UNSETTLED } else { code };
            tracing::info!(code, "browser closed");
            code
        }
        Err(e) => {
            tracing::error!(error = %e, "browser failed");
            say(&e);
            EXIT_TERMINAL
        }
    }
}

/// What the state knows of where requests go, from the client.
fn session_of(client: &crate::aws::Client) -> Session {
    Session {
        profile: client.profile_label(),
        target: client.target(),
        region_flag: client.options().region.clone(),
        default_region: client.default_region(),
        readonly: false,
        readonly_locked: None,
    }
}

/// A client built for a context switch, or why not.
type Built = (u64, Result<(crate::aws::Client, crate::aws::ClientOptions), String>);

/// Build the client of another context (`:profile`, `:region`, `:endpoint-url`): off the
/// loop, the answer comes back on `tx`. With the demo, its service stays and only the region
/// changes.
fn build_client(
    generation: u64,
    mut opts: crate::aws::ClientOptions,
    to: ContextSwitch,
    demo_url: Option<String>,
    tx: UnboundedSender<Built>,
) {
    tokio::spawn(async move {
        match to {
            ContextSwitch::Profile(p) => {
                opts.profile = Some(p);
                // The new profile's own region applies, unless a region was chosen.
            }
            ContextSwitch::Region(r) => opts.region = Some(r),
            ContextSwitch::EndpointUrl(u) => opts.endpoint_url = u,
        }
        let built = match &demo_url {
            Some(url) => {
                let mut o = opts.clone();
                o.endpoint_url = None;
                Ok((crate::aws::Client::demo(url, o).await, opts))
            }
            None => {
                let checked = match &opts.profile {
                    Some(p) => crate::aws::check_profile(p, ":profile").await.map_err(|e| e.message),
                    None => Ok(()),
                };
                match checked {
                    Ok(()) => Ok((crate::aws::Client::new(opts.clone()).await, opts)),
                    Err(e) => Err(e),
                }
            }
        };
        let _ = tx.send((generation, built));
    });
}

/// The time, for the state (which never reads a clock itself).
fn clock() -> Action {
    Action::Clock { now: Instant::now(), wall: jiff::Timestamp::now() }
}

async fn sleep_or_never(d: Option<Duration>) {
    match d {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

async fn signalled(s: &mut Option<Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending().await,
    }
}

/// What comes back to the loop from the work it handed out.
struct Inbox {
    done: tokio::sync::mpsc::UnboundedReceiver<crate::jobs::worker::JobDone>,
    saved: tokio::sync::mpsc::UnboundedReceiver<saver::Saved>,
    copied: tokio::sync::mpsc::UnboundedReceiver<Notice>,
    /// Clients built for a context switch.
    switched: tokio::sync::mpsc::UnboundedReceiver<Built>,
}

async fn event_loop(
    tui: &mut Tui,
    app: &mut App,
    runner: &mut Runner,
    inbox: &mut Inbox,
    started: Instant,
) -> Result<i32, String> {
    let mut events = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate()).ok();
    let mut sighup = signal(SignalKind::hangup()).ok();
    let mut sigint = signal(SignalKind::interrupt()).ok();
    let mut sigquit = signal(SignalKind::quit()).ok();
    let mut sigusr1 = signal(SignalKind::user_defined1()).ok();
    let mut sigalrm = signal(SignalKind::alarm()).ok();
    let mut sigtstp = signal(SignalKind::from_raw(rustix::process::Signal::TSTP.as_raw())).ok();
    let mut sigcont = signal(SignalKind::from_raw(rustix::process::Signal::CONT.as_raw())).ok();
    let mut hangup = super::terminal::hangup_watch();
    let mut dirty = true;
    let mut first = true;
    loop {
        if dirty {
            let mut effects = app.update(clock());
            let mut drawn = None;
            match tui.terminal.draw(|f| drawn = Some(ui::draw_frame(f, app))) {
                Ok(_) => {}
                Err(e) if is_lost(&e) => return Ok(terminal_lost(&e)),
                Err(e) => return Err(format!("cannot draw: {e}")),
            }
            if let Some(d) = drawn {
                effects.extend(app.update(Action::Drawn(d)));
            }
            if first {
                first = false;
                tracing::info!(ms = started.elapsed().as_secs_f64() * 1000.0, "first frame");
            }
            dirty = false;
            if dispatch(runner, app, effects) {
                return Ok(0);
            }
        }
        // Every action goes with the time it happened at.
        let (mut effects, action) = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    #[cfg(debug_assertions)]
                    test_panic(&ev);
                    if is_suspend_key(&ev) {
                        let size = match tui.suspend() {
                    Ok(size) => size,
                    Err(e) if is_lost(&e) => return Ok(terminal_lost(&e)),
                    Err(e) => return Err(format!("cannot take the terminal back: {e}")),
                };
                        (Vec::new(), size.map(|(w, h)| Action::Resize(w, h)))
                    } else {
                        let effects = app.update(clock());
                        match keymap::action_for(app, &ev) {
                            Some(action) => (effects, Some(action)),
                            None => {
                                if matches!(ev, Event::FocusGained) {
                                    dirty = true;
                                }
                                if dispatch(runner, app, effects) {
                                    return Ok(0);
                                }
                                continue;
                            }
                        }
                    }
                }
                Some(Err(e)) if is_lost(&e) => return Ok(terminal_lost(&e)),
                Some(Err(e)) => return Err(format!("cannot read the terminal: {e}")),
                None => return Ok(terminal_lost("no more input")),
            },
            Some(()) = hangup.recv() => return Ok(terminal_lost("hung up")),
            Some(done) = inbox.done.recv() => (app.update(clock()), Some(Action::JobDone(done))),
            Some(saved) = inbox.saved.recv() => (app.update(clock()), Some(saved_action(saved))),
            Some(notice) = inbox.copied.recv() => (app.update(clock()), Some(Action::Notify(notice))),
            ev = runner.scanner.next_any() => (app.update(clock()), Some(match ev {
                scanner::Next::Scan(ev) => Action::Scan(ev),
                scanner::Next::Batch(ev) => Action::Batch(ev),
            })),
            Some((generation, built)) = inbox.switched.recv() => {
                let result = match built {
                    Ok((client, opts)) => {
                        // A new worker for the new client; the old one stops with its sender,
                        // aborting what it still runs, and its answers are no longer read.
                        // (Read-only or not stays as the state has it: `state::switch`.)
                        let session = session_of(&client);
                        runner.scanner.switch(&client).await;
                        tracing::info!(profile = %session.profile, target = %session.target_label(), "switched");
                        let (tx, done) = crate::jobs::worker::spawn(Arc::new(client), runner.rate);
                        runner.tx = tx;
                        inbox.done = done;
                        runner.opts = opts;
                        Ok(session)
                    }
                    Err(e) => Err(e),
                };
                (app.update(clock()), Some(Action::Switched { generation, result }))
            }
            _ = sleep_or_never(app.next_wakeup()) => (Vec::new(), None),
            _ = signalled(&mut sigterm) => {
                tracing::info!("SIGTERM");
                return Ok(143);
            }
            _ = signalled(&mut sighup) => {
                tracing::info!("SIGHUP");
                return Ok(129);
            }
            _ = signalled(&mut sigint) => {
                tracing::info!("SIGINT");
                return Ok(130);
            }
            _ = signalled(&mut sigquit) => {
                tracing::info!("SIGQUIT");
                return Ok(131);
            }
            _ = signalled(&mut sigusr1) => {
                tracing::info!("SIGUSR1");
                return Ok(138);
            }
            _ = signalled(&mut sigalrm) => {
                tracing::info!("SIGALRM");
                return Ok(142);
            }
            _ = signalled(&mut sigtstp) => {
                tracing::info!("SIGTSTP");
                let size = match tui.suspend() {
                    Ok(size) => size,
                    Err(e) if is_lost(&e) => return Ok(terminal_lost(&e)),
                    Err(e) => return Err(format!("cannot take the terminal back: {e}")),
                };
                (Vec::new(), size.map(|(w, h)| Action::Resize(w, h)))
            }
            _ = signalled(&mut sigcont) => {
                // Stopped from outside (SIGSTOP) and continued: the shell may have put the
                // terminal back in its own modes meanwhile.
                tracing::info!("SIGCONT");
                let size = match tui.resume() {
                    Ok(size) => size,
                    Err(e) if is_lost(&e) => return Ok(terminal_lost(&e)),
                    Err(e) => return Err(format!("cannot take the terminal back: {e}")),
                };
                (Vec::new(), size.map(|(w, h)| Action::Resize(w, h)))
            }
        };
        if let Some(action) = action {
            effects.extend(app.update(action));
        }
        dirty = true;
        if dispatch(runner, app, effects) {
            return Ok(0);
        }
    }
}

/// The terminal is gone (its other side closed, a tmux session killed, with SIGHUP ignored
/// or not sent): the way out is SIGHUP's, exit 129 with the history saved.
fn terminal_lost(why: impl std::fmt::Display) -> i32 {
    tracing::info!(%why, "terminal lost");
    129
}

/// Debug builds only: with `CHIMESCOPE_TEST_PANIC` set, F12 panics, so that the end-to-end
/// tests can check that a panic hands the terminal back.
#[cfg(debug_assertions)]
#[allow(clippy::panic)]
fn test_panic(ev: &Event) {
    if let Event::Key(k) = ev
        && k.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("CHIMESCOPE_TEST_PANIC").is_some()
    {
        panic!("test panic (CHIMESCOPE_TEST_PANIC)");
    }
}

/// Where effects go: the lookup worker, the clipboard's thread, the history's saver thread.
struct Runner {
    tx: UnboundedSender<crate::jobs::worker::WorkerMsg>,
    copier: copier::Copier,
    /// Writes the history off the loop; results come back to the loop.
    saver: saver::Saver,
    /// The background scan (the Scan pane's).
    scanner: scanner::Scanner,
    /// Where clients built for a context switch are sent.
    switch_tx: UnboundedSender<Built>,
    /// The current client's options (a switch changes one of them).
    opts: crate::aws::ClientOptions,
    /// The embedded demo service's URL, with `--demo`.
    demo_url: Option<String>,
    /// Where the command line's history is kept (None: not kept).
    commands_file: Option<std::path::PathBuf>,
    /// The worker's pace (a new worker after a switch keeps it).
    rate: f64,
    /// Read-only from a flag, the environment or the config file: a second guard, under the
    /// state's, so that no write reaches the worker whatever the state asks.
    locked_readonly: Option<String>,
}

/// `~/x` is under the home directory.
/// What the saver reports, as the action the state takes it in.
fn saved_action(saved: saver::Saved) -> Action {
    match saved {
        saver::Saved::History(done) => Action::HistorySaved(done),
        saver::Saved::Export { export, result } => {
            let shown = crate::model::escape_control(&export.path).into_owned();
            match result {
                Ok(()) => Action::Notify(Notice::ok(format!("Exported {} to {shown}", export.what))),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    Action::ExportExists(Box::new(export))
                }
                Err(e) => {
                    let e = crate::model::escape_control(&e.to_string()).into_owned();
                    Action::Notify(Notice::error(format!("Not exported to {shown}: {e}")))
                }
            }
        }
    }
}

impl Runner {
    /// Hand a file write to the saver; its report, when it came at once (no saver thread),
    /// goes to the state.
    fn save(&self, app: &mut App, job: saver::Job) -> Vec<Effect> {
        match self.saver.save(job) {
            Some(saved) => app.update(saved_action(saved)),
            None => Vec::new(),
        }
    }
}

fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

/// Carry out every effect, and the effects of the actions their outcomes become (a failed
/// send, a save that ran on the spot), until none is left. Returns true when the browser
/// must quit.
fn dispatch(runner: &mut Runner, app: &mut App, effects: Vec<Effect>) -> bool {
    use crate::jobs::worker::WorkerMsg;
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    let mut quit = false;
    while let Some(e) = queue.pop_front() {
        let follow_up = match e {
            Effect::Job(req) if req.query.is_write() && runner.locked_readonly.is_some() => {
                let source = runner.locked_readonly.as_deref().unwrap_or_default();
                tracing::warn!(id = req.id, "write refused: read-only");
                let message = format!("read-only: nothing sent ({source} is on)");
                let op = match &req.query {
                    crate::jobs::worker::Query::Write(w) => w.operation(),
                    crate::jobs::worker::Query::PushTest(_) => crate::aws::pinpoint::SEND_MESSAGES,
                    _ => "",
                };
                app.update(Action::JobDone(crate::jobs::worker::JobDone {
                    id: req.id,
                    owner: req.owner,
                    result: Err(crate::model::ServiceError::new(
                        crate::model::ErrorKind::InvalidInput,
                        message,
                        op,
                    )),
                    query: req.query,
                    elapsed: Duration::ZERO,
                }))
            }
            Effect::StartBatch { .. } if runner.locked_readonly.is_some() => {
                tracing::warn!("batch refused: read-only");
                app.update(Action::Notify(Notice::error("Read-only: nothing sent")))
            }
            Effect::Job(req) => {
                tracing::debug!(id = req.id, "request sent");
                if runner.tx.send(WorkerMsg::Start(req)).is_err() {
                    app.update(Action::Notify(Notice::error("The lookup worker stopped; restart chimescope")))
                } else {
                    Vec::new()
                }
            }
            Effect::CancelJob(id) => {
                let _ = runner.tx.send(WorkerMsg::Cancel(id));
                Vec::new()
            }
            // The text is never logged: it may be a token. The outcome comes back as a
            // message (at once when there is no clipboard thread).
            Effect::Copy { what, text } => match runner.copier.copy(what, text) {
                Some(notice) => app.update(Action::Notify(notice)),
                None => Vec::new(),
            },
            // `update` recorded the lookup (or forgot an entry) in memory; asked to, it answers
            // with a copy to write (Effect::WriteHistory).
            Effect::Record(_) | Effect::SaveHistory => app.update(Action::SaveHistory),
            // The file writes go to the saver thread; what it reports comes back to the loop
            // (at once when there is no thread). Secrets are never logged.
            Effect::WriteHistory(job) => runner.save(app, saver::Job::History(*job.0)),
            Effect::StartScan { instance, resume, rate, diagnose } => {
                match runner.scanner.start(&instance, resume, rate, diagnose) {
                    Ok(scanner::Started::Running) => {
                        tracing::info!(rate, "scan started");
                        Vec::new()
                    }
                    Ok(scanner::Started::Resumable) => app.update(Action::ScanResumable(instance)),
                    Err(e) => app.update(Action::Scan(crate::scan::background::Event::Done(Err(e)))),
                }
            }
            Effect::StopScan => {
                runner.scanner.stop();
                Vec::new()
            }
            Effect::StartBatch { items, rate } => {
                tracing::info!(endpoints = items.len(), rate, "batch deregistration started");
                runner.scanner.start_batch(items, rate);
                Vec::new()
            }
            Effect::StopBatch => {
                runner.scanner.stop_batch();
                Vec::new()
            }
            Effect::SaveCommands(commands) => match runner.commands_file.clone() {
                Some(path) => runner.save(app, saver::Job::Commands { path, commands }),
                None => Vec::new(),
            },
            Effect::SwitchContext { generation, to } => {
                build_client(
                    generation,
                    runner.opts.clone(),
                    to,
                    runner.demo_url.clone(),
                    runner.switch_tx.clone(),
                );
                Vec::new()
            }
            Effect::Export { path, bytes, what, replace } => {
                let to = expand_home(&path);
                runner.save(
                    app,
                    saver::Job::Export { export: PendingExport { path, bytes, what }, to, replace },
                )
            }
            Effect::Bell => {
                let mut out = std::io::stdout();
                let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                Vec::new()
            }
            Effect::Quit => {
                quit = true;
                Vec::new()
            }
        };
        queue.extend(follow_up);
    }
    quit
}
