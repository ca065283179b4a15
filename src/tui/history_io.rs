//! The history on the way into a session and out of it: loaded (a damaged or newer file a
//! message on screen, never a refusal to start) and, at the end, flushed (the saves still
//! queued waited for, what could not be saved written beside the file or listed on stderr).
//! The saves in between run on the saver's thread ([`super::saver`]).

use super::action::{Action, Notice};
use super::saver;
use super::state::App;
use super::terminal::say;
use std::io::Write;
use std::time::Instant;

/// The recent lookups from `store::paths::history_file()`, with the config's settings. A damaged or
/// newer file becomes a message on screen, never a refusal to start.
pub(super) fn load_history(app: &mut App, settings: crate::store::history::Options) {
    let Some(path) = crate::store::paths::history_file() else {
        let history = crate::store::history::History::new(std::path::PathBuf::new(), settings);
        let _ =
            app.update(Action::AttachHistory { history: Box::new(history), persist: false, warning: None });
        let _ = app.update(Action::Notify(Notice::error("No home directory: recent lookups are not kept")));
        return;
    };
    let started = Instant::now();
    let loaded = crate::store::history::History::load_with(&path, settings);
    tracing::info!(
        entries = loaded.history.len(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "history loaded"
    );
    if let Some(w) = &loaded.warning {
        tracing::warn!(warning = %w, "history");
    }
    let warning = loaded.warning.clone();
    let _ = app.update(Action::AttachHistory {
        history: Box::new(loaded.history),
        persist: true,
        warning: warning.clone(),
    });
    if let Some(w) = warning {
        let _ = app.update(Action::Notify(Notice::error(w)));
    }
}

/// On the way out (whatever the way): what a failed save gave back is tried once more, and
/// the history saves still queued finish, waiting at most [`saver::FLUSH_TIMEOUT`]. The
/// screen is gone: what went wrong goes to stderr, and the lookups still not saved are
/// written beside the history (or listed on stderr when that fails too). Returns whether
/// everything was saved. The history changes only through `App::update`, as in the loop.
pub(super) async fn flush_history(
    app: &mut App,
    saver: &mut saver::Saver,
    saved_rx: &mut tokio::sync::mpsc::UnboundedReceiver<saver::Saved>,
) -> bool {
    let mut problems = Vec::new();
    // A save's outcome as a message (an error, or a warning), said on stderr.
    let mut saved = |app: &mut App, saved: saver::Saved| {
        // An export finishing on the way out has no screen left to be reported on.
        let saver::Saved::History(done) = saved else { return };
        let _ = app.update(Action::Notify(Notice::info("")));
        let _ = app.update(Action::HistorySaved(done));
        if let Some(n) = app.notice().filter(|n| !n.text.is_empty()) {
            problems.push(n.text.clone());
        }
    };
    let history_file = app.recent().history().path().to_path_buf();
    let kept = !history_file.as_os_str().is_empty();
    if kept && !app.recent().history().unsaved().is_empty() {
        for effect in app.update(Action::SaveHistory) {
            if let crate::tui::action::Effect::WriteHistory(job) = effect
                && let Some(done) = saver.save(saver::Job::History(*job.0))
            {
                saved(app, done);
            }
        }
    }
    saver.close();
    let started = Instant::now();
    let flushed = saver::flush(saved_rx, saver::FLUSH_TIMEOUT, |done| saved(app, done)).await;
    tracing::debug!(ms = started.elapsed().as_secs_f64() * 1000.0, flushed, "history flushed");
    for p in problems {
        say(p);
    }
    if !flushed {
        tracing::warn!("history save still running at exit");
        say("the history file stayed locked; the last save may not have finished");
    }
    let history = app.recent().history();
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
            say(format_args!(
                "{lookups} not saved to {}; they are in {} ({what})",
                history_file.display(),
                aside.display()
            ));
        }
        Ok(None) => {}
        Err(e) => {
            say(format_args!("{lookups} not saved to {}, nor beside it ({e}):", history_file.display()));
            let now = crate::store::history::now();
            let mut err = std::io::stderr();
            for entry in unsaved {
                let _ = writeln!(err, "  {}", crate::commands::history::text_line(entry, now));
            }
        }
    }
    false
}
