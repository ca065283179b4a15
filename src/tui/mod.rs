//! The terminal browser: terminal setup and restore, and the event loop.
//!
//! The loop `select!`s over terminal events, lookup results from the worker, signals and a
//! timer that only runs while something moves on screen (a lookup's spinner, a message about
//! to expire): an idle browser sleeps. Every change goes through [`app::App::update`]; the
//! [`app::Effect`]s it returns are carried out here. The screen is redrawn only after
//! something happened.
//!
//! The terminal is handed back on every way out: a normal quit, an error, SIGTERM/SIGHUP/
//! SIGINT, and a panic (a hook restores it before the panic message is printed).

pub mod app;
pub mod browse;
pub mod keymap;
pub mod recent;
pub mod saver;
pub mod theme;
pub mod ui;

use crate::settings::Settings;
use app::{Action, App, Effect, Notice, Session};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, EventStream,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{BufWriter, IsTerminal, Stdout};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc::UnboundedSender;

/// A config file that cannot be used (the AWS CLI's code for a configuration problem).
pub const EXIT_CONFIG: i32 = crate::settings::EXIT_CONFIG;
/// Not run in a terminal, or bad flags.
pub const EXIT_USAGE: i32 = crate::oneshot::EXIT_BAD_ARGS;
/// The terminal failed under us.
pub const EXIT_TERMINAL: i32 = 1;

/// Run the browser until the user quits; returns the process exit code. The settings
/// (flags, environment, config file) are resolved by the caller: see [`crate::settings`].
pub fn run(s: &Settings) -> i32 {
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "chimescope: the browser needs a terminal; for scripts use `chimescope describe` or `chimescope list`"
        );
        return EXIT_USAGE;
    }
    let log = crate::logging::init_file();
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("chimescope: cannot start the async runtime: {e}");
            return 255;
        }
    };
    tracing::info!(log = ?log, demo = s.demo, mouse = s.mouse, "browser starting");
    rt.block_on(browse(s))
}

async fn browse(s: &Settings) -> i32 {
    let started = Instant::now();
    let (client, _emulator) = match crate::oneshot::connect(s).await {
        Ok(c) => c,
        Err((code, e)) => {
            eprintln!("chimescope: {e}");
            return code;
        }
    };
    let session = Session {
        profile: client.profile_label(),
        target: client.target(),
        region_flag: s.aws.region.clone(),
        default_region: client.default_region(),
    };
    tracing::info!(profile = %session.profile, target = %session.target_label(), "connected");
    let (tx, done_rx) = crate::worker::spawn(Arc::new(client));

    let mut app = App::new(session);
    app.theme = theme::Theme::from_env();
    app.mouse = s.mouse;
    app.show_secrets = s.show_secrets;
    app.tz = jiff::tz::TimeZone::system();
    load_history(&mut app, s.history);

    let mut tui = match Tui::enter(s.mouse) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("chimescope: cannot set up the terminal: {e}");
            return EXIT_TERMINAL;
        }
    };
    if let Ok(size) = tui.terminal.size() {
        app.size = (size.width, size.height);
    }
    // One clipboard for the life of the browser (on X11 the content lives with the handle).
    let (saver, mut saved_rx) = saver::Saver::spawn();
    let mut runner = EffectRunner { tx, clipboard: crate::clipboard::Clipboard::new(s.clipboard), saver };
    let result = event_loop(&mut tui, &mut app, &mut runner, done_rx, &mut saved_rx, started).await;
    drop(tui); // restores the terminal before anything is printed
    flush_history(&mut app, &mut runner.saver, &mut saved_rx).await;
    match result {
        Ok(code) => {
            tracing::info!(code, "browser closed");
            code
        }
        Err(e) => {
            tracing::error!(error = %e, "browser failed");
            eprintln!("chimescope: {e}");
            EXIT_TERMINAL
        }
    }
}

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

/// On the way out (whatever the way): the history saves still queued finish, waiting at most
/// [`saver::FLUSH_TIMEOUT`]. The screen is gone: what went wrong goes to stderr.
async fn flush_history(
    app: &mut App,
    saver: &mut saver::Saver,
    saved_rx: &mut tokio::sync::mpsc::UnboundedReceiver<saver::SaveDone>,
) {
    saver.close();
    let started = Instant::now();
    let mut problems = Vec::new();
    let flushed = saver::flush(saved_rx, saver::FLUSH_TIMEOUT, |done| {
        if let Some(n) = app.recent.save_done(done.job, done.result) {
            problems.push(n.text);
        }
    })
    .await;
    tracing::debug!(ms = started.elapsed().as_secs_f64() * 1000.0, flushed, "history flushed");
    for p in problems {
        eprintln!("chimescope: {p}");
    }
    if !flushed {
        tracing::warn!("history save still running at exit");
        eprintln!("chimescope: the last recent lookups may not be saved (the history file stayed locked)");
    }
}

async fn event_loop(
    tui: &mut Tui,
    app: &mut App,
    runner: &mut EffectRunner,
    mut done_rx: tokio::sync::mpsc::UnboundedReceiver<crate::worker::LookupDone>,
    saved_rx: &mut tokio::sync::mpsc::UnboundedReceiver<saver::SaveDone>,
    started: Instant,
) -> Result<i32, String> {
    let mut events = EventStream::new();
    let mut sigterm = signal(SignalKind::terminate()).ok();
    let mut sighup = signal(SignalKind::hangup()).ok();
    let mut sigint = signal(SignalKind::interrupt()).ok();
    let mut dirty = true;
    let mut first = true;
    loop {
        if dirty {
            app.update(clock());
            tui.terminal.draw(|f| ui::draw(f, app)).map_err(|e| format!("cannot draw: {e}"))?;
            if first {
                first = false;
                tracing::info!(ms = started.elapsed().as_secs_f64() * 1000.0, "first frame");
            }
            dirty = false;
        }
        let effects = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    #[cfg(debug_assertions)]
                    test_panic(&ev);
                    app.update(clock());
                    let Some(action) = keymap::action_for(app, &ev) else {
                        if matches!(ev, Event::FocusGained) {
                            dirty = true;
                        }
                        continue;
                    };
                    app.update(action)
                }
                Some(Err(e)) => return Err(format!("cannot read the terminal: {e}")),
                None => return Err("the terminal went away".into()),
            },
            Some(done) = done_rx.recv() => {
                app.update(clock());
                app.update(Action::LookupDone(done))
            }
            Some(saved) = saved_rx.recv() => {
                app.update(clock());
                match app.recent.save_done(saved.job, saved.result) {
                    Some(n) => app.update(Action::Notify(n)),
                    None => Vec::new(),
                }
            }
            _ = sleep_or_never(app.next_wakeup()) => Vec::new(),
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
        };
        dirty = true;
        if runner.run(app, effects) {
            return Ok(0);
        }
    }
}

/// The recent lookups from `paths::history_file()`, with the config's settings. A damaged or
/// newer file becomes a message on screen, never a refusal to start.
fn load_history(app: &mut App, settings: crate::history::Settings) {
    let Some(path) = crate::paths::history_file() else {
        app.attach_history_in_memory(crate::history::History::new(std::path::PathBuf::new(), settings));
        app.update(Action::Notify(Notice::error("No home directory: recent lookups are not kept")));
        return;
    };
    let started = Instant::now();
    let loaded = crate::history::History::load_with(&path, settings);
    tracing::info!(
        entries = loaded.history.len(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "history loaded"
    );
    app.attach_history(loaded.history);
    if let Some(w) = loaded.warning {
        tracing::warn!(warning = %w, "history");
        app.update(Action::Notify(Notice::error(w.clone())));
        app.recent.warning = Some(w);
    }
}

/// Debug builds only: with `CHIMESCOPE_TEST_PANIC` set, F12 panics, so that the end-to-end
/// tests can check that a panic hands the terminal back.
#[cfg(debug_assertions)]
fn test_panic(ev: &Event) {
    if let Event::Key(k) = ev
        && k.code == crossterm::event::KeyCode::F(12)
        && std::env::var_os("CHIMESCOPE_TEST_PANIC").is_some()
    {
        panic!("test panic (CHIMESCOPE_TEST_PANIC)");
    }
}

/// Carries out the App's effects. The history plugs in here too.
struct EffectRunner {
    tx: UnboundedSender<crate::worker::WorkerMsg>,
    clipboard: crate::clipboard::Clipboard,
    /// Writes the history off the loop; results come back to the loop.
    saver: saver::Saver,
}

impl EffectRunner {
    /// Returns true when the browser must quit.
    fn run(&mut self, app: &mut App, effects: Vec<Effect>) -> bool {
        use crate::worker::WorkerMsg;
        let mut quit = false;
        for e in effects {
            match e {
                Effect::Lookup(req) => {
                    tracing::debug!(id = req.id, "lookup requested");
                    if self.tx.send(WorkerMsg::Start(req)).is_err() {
                        app.update(Action::Notify(Notice::error(
                            "The lookup worker stopped; restart chimescope",
                        )));
                    }
                }
                Effect::CancelLookup(id) => {
                    let _ = self.tx.send(WorkerMsg::Cancel(id));
                }
                Effect::Copy { what, text } => {
                    // The text is never logged: it may be a token.
                    let notice = match self.clipboard.copy(&what, &text) {
                        Ok(report) => Notice::ok(report.to_string()),
                        Err(e) => {
                            tracing::info!(error = %e, what = %what, "copy failed");
                            Notice::error(e.status(&what))
                        }
                    };
                    app.update(Action::Notify(notice));
                }
                Effect::Record(_) | Effect::SaveHistory => {
                    // `update` recorded the lookup (or forgot an entry) in memory; the saver
                    // thread writes a copy (the result comes back to the loop). Secrets are
                    // never logged.
                    if let Some(job) = app.recent.save_job()
                        && let Some(done) = self.saver.save(job)
                        && let Some(n) = app.recent.save_done(done.job, done.result)
                    {
                        app.update(Action::Notify(n));
                    }
                }
                Effect::Quit => quit = true,
            }
        }
        quit
    }
}

/// The terminal in raw mode on the alternate screen; restored when dropped.
struct Tui {
    terminal: Terminal<CrosstermBackend<BufWriter<Stdout>>>,
}

impl Tui {
    fn enter(mouse: bool) -> std::io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let setup = || -> std::io::Result<Terminal<CrosstermBackend<BufWriter<Stdout>>>> {
            let mut out = std::io::stdout();
            execute!(out, EnterAlternateScreen, EnableBracketedPaste, Clear(ClearType::All))?;
            if mouse {
                execute!(out, EnableMouseCapture)?;
            }
            // Not `Terminal::clear`: it asks the terminal for the cursor position, a round
            // trip some terminals never answer.
            // A frame goes out in one write instead of stdout's 1 KiB pieces.
            Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(1 << 16, std::io::stdout())))
        };
        match setup() {
            Ok(terminal) => Ok(Self { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Anything still buffered belongs on the alternate screen, before it is left.
        let _ = std::io::Write::flush(self.terminal.backend_mut());
        restore();
    }
}

/// Hand the terminal back: mouse capture and bracketed paste off, the main screen back, the
/// cursor shown, raw mode off. Safe to call more than once.
pub fn restore() {
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// On a panic anywhere (the UI or a background task), restore the terminal, let the previous
/// hook print the message on the normal screen, and exit: a browser whose terminal was
/// handed back cannot go on drawing.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
            tracing::error!(%info, "panic");
            std::process::exit(101);
        }));
    });
}
