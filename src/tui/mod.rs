//! The terminal browser: terminal setup and restore, and the event loop.
//!
//! The loop `select!`s over terminal events, lookup results from the worker, signals and a
//! timer that only runs while something moves on screen (a lookup's spinner, a message about
//! to expire): an idle browser sleeps. Every change goes through [`app::App::update`]; the
//! [`app::Effect`]s it returns are carried out here. The screen is redrawn only after
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
pub const EXIT_CONFIG: i32 = crate::commands::exit::EXIT_CONFIG;
/// Not run in a terminal, or bad flags.
pub const EXIT_USAGE: i32 = crate::commands::exit::EXIT_BAD_ARGS;
/// The terminal failed under us.
pub const EXIT_TERMINAL: i32 = crate::commands::exit::EXIT_TERMINAL;
/// Quit, but some lookups could not be saved to the history (they are beside it, see
/// [`flush_history`]): the AWS CLI's "anything else".
pub const EXIT_UNSAVED: i32 = crate::commands::exit::EXIT_OTHER;

/// Run the browser until the user quits; returns the process exit code. The settings
/// (flags, environment, config file) are resolved by the caller: see [`crate::settings`].
pub fn run(s: &Settings) -> i32 {
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "chimescope: the browser needs a terminal; for scripts use `chimescope describe` or `chimescope list`"
        );
        return EXIT_USAGE;
    }
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("chimescope: cannot start the async runtime: {e}");
            return crate::commands::exit::EXIT_OTHER;
        }
    };
    // Before any file is written (the log included): a write over `ulimit -f` fails with
    // EFBIG instead of killing the browser with the terminal in raw mode. A handler, once
    // installed, stays for the life of the process.
    {
        let _rt = rt.enter();
        if let Err(e) = signal(SignalKind::from_raw(rustix::process::Signal::XFSZ.as_raw())) {
            eprintln!("chimescope: cannot handle SIGXFSZ: {e}");
        }
    }
    let log = crate::logging::init_file();
    tracing::info!(log = ?log, demo = s.demo, mouse = s.mouse, "browser starting");
    rt.block_on(browse(s))
}

async fn browse(s: &Settings) -> i32 {
    let started = Instant::now();
    let (client, _emulator) = match crate::jobs::connect(s).await {
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
    let saved = flush_history(&mut app, &mut runner.saver, &mut saved_rx).await;
    match result {
        Ok(code) => {
            let code = if code == 0 && !saved { EXIT_UNSAVED } else { code };
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

/// On the way out (whatever the way): what a failed save gave back is tried once more, and
/// the history saves still queued finish, waiting at most [`saver::FLUSH_TIMEOUT`]. The
/// screen is gone: what went wrong goes to stderr, and the lookups still not saved are
/// written beside the history (or listed on stderr when that fails too). Returns whether
/// everything was saved.
async fn flush_history(
    app: &mut App,
    saver: &mut saver::Saver,
    saved_rx: &mut tokio::sync::mpsc::UnboundedReceiver<saver::SaveDone>,
) -> bool {
    let mut problems = Vec::new();
    let history_file = app.recent.history().path().to_path_buf();
    let kept = !history_file.as_os_str().is_empty();
    if kept
        && !app.recent.history().unsaved().is_empty()
        && let Some(job) = app.recent.save_job()
        && let Some(done) = saver.save(job)
        && let Some(n) = app.recent.save_done(done.job, done.result)
    {
        problems.push(n.text);
    }
    saver.close();
    let started = Instant::now();
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
        eprintln!("chimescope: the history file stayed locked; the last save may not have finished");
    }
    let history = app.recent.history();
    let unsaved = history.unsaved();
    if !kept || unsaved.is_empty() {
        return true;
    }
    let n = unsaved.len();
    let lookups = if n == 1 { "1 recent lookup was".to_string() } else { format!("{n} recent lookups were") };
    tracing::warn!(unsaved = n, "history: lookups not saved at exit");
    match history.write_unsaved_aside() {
        Ok(Some(aside)) => {
            let what = if history.settings().store_secrets {
                "the history's format"
            } else {
                "the history's format, without names or device tokens"
            };
            eprintln!(
                "chimescope: {lookups} not saved to {}; they are in {} ({what})",
                history_file.display(),
                aside.display()
            );
        }
        Ok(None) => {}
        Err(e) => {
            eprintln!("chimescope: {lookups} not saved to {}, nor beside it ({e}):", history_file.display());
            let now = crate::store::history::now();
            for entry in unsaved {
                eprintln!("  {}", crate::commands::history::text_line(entry, now));
            }
        }
    }
    false
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
    let mut sigquit = signal(SignalKind::quit()).ok();
    let mut sigusr1 = signal(SignalKind::user_defined1()).ok();
    let mut sigalrm = signal(SignalKind::alarm()).ok();
    let mut sigtstp = signal(SignalKind::from_raw(rustix::process::Signal::TSTP.as_raw())).ok();
    let mut sigcont = signal(SignalKind::from_raw(rustix::process::Signal::CONT.as_raw())).ok();
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
                    if is_suspend_key(&ev) {
                        tui.suspend(app).map_err(|e| format!("cannot take the terminal back: {e}"))?;
                        dirty = true;
                        continue;
                    }
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
                tui.suspend(app).map_err(|e| format!("cannot take the terminal back: {e}"))?;
                Vec::new()
            }
            _ = signalled(&mut sigcont) => {
                // Stopped from outside (SIGSTOP) and continued: the shell may have put the
                // terminal back in its own modes meanwhile.
                tracing::info!("SIGCONT");
                tui.resume(app).map_err(|e| format!("cannot take the terminal back: {e}"))?;
                Vec::new()
            }
        };
        dirty = true;
        if runner.run(app, effects) {
            return Ok(0);
        }
    }
}

/// The recent lookups from `store::paths::history_file()`, with the config's settings. A damaged or
/// newer file becomes a message on screen, never a refusal to start.
fn load_history(app: &mut App, settings: crate::store::history::Settings) {
    let Some(path) = crate::store::paths::history_file() else {
        app.attach_history_in_memory(crate::store::history::History::new(
            std::path::PathBuf::new(),
            settings,
        ));
        app.update(Action::Notify(Notice::error("No home directory: recent lookups are not kept")));
        return;
    };
    let started = Instant::now();
    let loaded = crate::store::history::History::load_with(&path, settings);
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

/// Ctrl-Z: in raw mode the terminal sends it as a key, not as SIGTSTP.
fn is_suspend_key(ev: &Event) -> bool {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    matches!(ev, Event::Key(k) if k.code == KeyCode::Char('z')
        && k.modifiers == KeyModifiers::CONTROL
        && k.kind != KeyEventKind::Release)
}

/// The terminal in raw mode on the alternate screen; restored when dropped.
struct Tui {
    terminal: Terminal<CrosstermBackend<BufWriter<Stdout>>>,
    mouse: bool,
}

/// Raw mode, the alternate screen (cleared), bracketed paste and, if asked, mouse capture.
fn take_terminal(mouse: bool) -> std::io::Result<()> {
    enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, Clear(ClearType::All))?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

impl Tui {
    fn enter(mouse: bool) -> std::io::Result<Self> {
        install_panic_hook();
        let setup = || -> std::io::Result<Terminal<CrosstermBackend<BufWriter<Stdout>>>> {
            take_terminal(mouse)?;
            // Not `Terminal::clear`: it asks the terminal for the cursor position, a round
            // trip some terminals never answer.
            // A frame goes out in one write instead of stdout's 1 KiB pieces.
            Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(1 << 16, std::io::stdout())))
        };
        match setup() {
            Ok(terminal) => Ok(Self { terminal, mouse }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Ctrl-Z: hand the terminal back, stop (SIGSTOP: our SIGTSTP handler would only bring
    /// us back here), and when continued take the terminal again and redraw.
    fn suspend(&mut self, app: &mut App) -> std::io::Result<()> {
        tracing::info!("suspended");
        let _ = std::io::Write::flush(self.terminal.backend_mut());
        restore();
        if let Err(e) =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::STOP)
        {
            tracing::warn!(error = %e, "cannot stop");
        }
        self.resume(app)
    }

    /// Take the terminal again (raw mode, alternate screen), whatever state it was left in,
    /// and have the next draw repaint every cell.
    fn resume(&mut self, app: &mut App) -> std::io::Result<()> {
        tracing::info!("resumed");
        // crossterm skips enabling raw mode when it thinks it is on: turn it off first (a
        // no-op after `restore`), so that raw mode is set again for real.
        let _ = disable_raw_mode();
        take_terminal(self.mouse)?;
        // Both buffers blank: the next frame is drawn whole on the cleared screen.
        self.terminal.swap_buffers();
        self.terminal.swap_buffers();
        if let Ok(size) = self.terminal.size() {
            app.update(Action::Resize(size.width, size.height));
        }
        Ok(())
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
            // A lookup task's panic is caught and becomes that lookup's error: the browser
            // and its terminal stay as they are.
            if crate::jobs::worker::in_lookup() {
                tracing::error!(%info, "panic in a lookup task");
                return;
            }
            restore();
            previous(info);
            tracing::error!(%info, "panic");
            std::process::exit(101);
        }));
    });
}
