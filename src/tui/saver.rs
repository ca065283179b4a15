//! The browser's file writes, off the event loop: the history, the command line's history and
//! `:export` files. The state asks for them as plain effects ([`crate::tui::action::Effect`]);
//! the loop hands each to one saver thread as a [`Job`], and what the thread reports comes back
//! as a [`Saved`] (the history's result, an export's), which the loop turns into an action.
//!
//! [`crate::store::history::History::save`] takes a file lock (waiting up to
//! [`crate::store::history::LOCK_TIMEOUT`] for another browser), re-reads the file, merges and writes
//! it: too slow for the loop that draws. The loop hands a copy of the history
//! ([`super::recent::Recent::save_job`], which takes the pending changes with it) to one
//! saver thread over a channel; the thread saves the jobs in order (a backlog folded into its
//! newest job, which holds everything the older ones did) and sends each result back
//! ([`SaveDone`]), which the loop gives to [`super::recent::Recent::save_done`] so that warnings
//! and errors reach the message line. On the way out, [`Saver::close`] lets the queue drain and
//! [`flush`] waits (bounded) for the last result.

use crate::store::history::{History, HistoryError};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// How long quitting waits for the saves still queued: one wait for the lock, and the write.
pub const FLUSH_TIMEOUT: Duration = Duration::from_secs(crate::store::history::LOCK_TIMEOUT.as_secs() + 2);

/// A job saved, or not.
#[derive(Debug)]
pub struct SaveDone {
    /// The job as saved (its entries merged with the file's when the save worked).
    pub job: History,
    pub result: Result<Option<String>, HistoryError>,
}

/// An export waiting for the user's word to replace the file there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingExport {
    pub path: String,
    pub bytes: Vec<u8>,
    pub what: String,
}

/// A file write for the saver thread.
#[derive(Debug)]
pub enum Job {
    /// Save the history (merged with the file's under its lock).
    History(History),
    /// Write the command line's history (oldest first) to `path`; a failure is logged.
    Commands { path: std::path::PathBuf, commands: Vec<String> },
    /// Write an export to `to` (`export.path` as typed, for the messages); an existing file is
    /// replaced only when `replace`.
    Export { export: PendingExport, to: std::path::PathBuf, replace: bool },
}

/// What the saver reports back.
#[derive(Debug)]
pub enum Saved {
    History(Box<SaveDone>),
    /// An export written, or why not (`AlreadyExists`: a file is there and was kept).
    Export {
        export: PendingExport,
        result: std::io::Result<()>,
    },
}

/// Carry out one job here.
fn carry_out(job: Job) -> Option<Saved> {
    match job {
        Job::History(mut job) => {
            let result = save_now(&mut job);
            Some(Saved::History(Box::new(SaveDone { job, result })))
        }
        Job::Commands { path, commands } => {
            if let Err(e) = crate::store::history::save_commands(&path, &commands) {
                tracing::warn!(error = %e, "command history not saved");
            }
            None
        }
        Job::Export { export, to, replace } => {
            let result = crate::store::files::write_export(&to, &export.bytes, replace);
            Some(Saved::Export { export, result })
        }
    }
}

/// Save `job` here, with the time it took in the log (never its content: secrets).
pub fn save_now(job: &mut History) -> Result<Option<String>, HistoryError> {
    let started = Instant::now();
    let result = job.save();
    tracing::debug!(
        ms = started.elapsed().as_secs_f64() * 1000.0,
        entries = job.len(),
        ok = result.is_ok(),
        "history saved"
    );
    result
}

/// The saver thread's end of the channel.
pub struct Saver {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Saver {
    /// Start the saver thread; its results arrive on the receiver, which ends once the saver
    /// is closed and every job is done. Without a thread (it could not be started) jobs are
    /// saved on the spot by [`Saver::save`], which returns their results.
    pub fn spawn() -> (Self, UnboundedReceiver<Saved>) {
        let (done_tx, done_rx) = tokio::sync::mpsc::unbounded_channel();
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new().name("saver".into()).spawn(move || run(jobs_rx, done_tx));
        match spawned {
            Ok(thread) => (Self { jobs: Some(jobs_tx), thread: Some(thread) }, done_rx),
            Err(e) => {
                tracing::warn!(error = %e, "no saver thread: writing files on the event loop");
                (Self { jobs: None, thread: None }, done_rx)
            }
        }
    }

    /// Queue `job`. Returns its report instead when there is no thread to carry it out.
    #[must_use]
    pub fn save(&self, job: Job) -> Option<Saved> {
        let job = match &self.jobs {
            Some(tx) => match tx.send(job) {
                Ok(()) => return None,
                Err(mpsc::SendError(job)) => job,
            },
            None => job,
        };
        carry_out(job)
    }

    /// No more jobs: the thread saves what is queued, then ends (and the result receiver with
    /// it).
    pub fn close(&mut self) {
        self.jobs = None;
    }

    /// Whether the thread has ended.
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(|t| t.is_finished())
    }
}

fn run(jobs: mpsc::Receiver<Job>, done: UnboundedSender<Saved>) {
    while let Ok(first) = jobs.recv() {
        // A backlog (saves slowed by another browser's lock): the newest history job holds all
        // the older ones had, so one save does for all; the other jobs keep their order.
        let mut backlog = vec![first];
        backlog.extend(jobs.try_iter());
        let mut history: Option<History> = None;
        let mut others = Vec::new();
        for job in backlog {
            match job {
                Job::History(newer) => {
                    history = Some(match history.take() {
                        Some(older) => {
                            let mut newer = newer;
                            newer.fold_older_job(older);
                            newer
                        }
                        None => newer,
                    });
                }
                other => others.push(other),
            }
        }
        for job in history.map(Job::History).into_iter().chain(others) {
            // The loop may be gone (a quit that stopped waiting): the write happened all the same.
            if let Some(saved) = carry_out(job) {
                let _ = done.send(saved);
            }
        }
    }
}

/// After [`Saver::close`]: the results of the saves still queued, waiting at most `timeout`
/// for them. False when the wait ran out (a save is still running).
pub async fn flush(
    results: &mut UnboundedReceiver<Saved>,
    timeout: Duration,
    mut each: impl FnMut(Saved),
) -> bool {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, results.recv()).await {
            Ok(Some(done)) => each(done),
            Ok(None) => return true,
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Endpoint, Timestamp};
    use crate::store::history::{Entry, Options};

    const ARN: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";

    fn found(id: &str, t: f64) -> Entry {
        let ep = Endpoint { endpoint_id: Some(id.into()), ..Default::default() };
        Entry::new(ARN, id, "us-east-1", Timestamp::from_secs(t), Ok(&ep))
    }

    fn ids(h: &History) -> Vec<String> {
        h.entries().iter().map(|e| e.endpoint_id.clone()).collect()
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
    }

    /// Another browser holds the lock: queueing a save returns at once, the save waits on the
    /// thread, and closing then flushing writes everything in order.
    #[test]
    fn a_held_lock_does_not_block_the_caller_and_quit_flushes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.json");
        let mut h = History::new(&path, Options::default());
        let lock =
            crate::store::lock::FileLock::exclusive(&crate::store::lock::lock_path(&path), Duration::ZERO)
                .unwrap();
        let (mut saver, mut results) = Saver::spawn();
        for (k, id) in ["ep-1", "ep-2", "ep-3"].into_iter().enumerate() {
            h.record(found(id, k as f64 + 1.0));
            assert!(saver.save(Job::History(h.take_save_job())).is_none(), "queued, not saved here");
        }
        std::thread::sleep(Duration::from_millis(200));
        assert!(results.try_recv().is_err(), "still waiting for the lock");
        drop(lock);
        saver.close();
        let mut n = 0;
        let flushed = rt().block_on(flush(&mut results, FLUSH_TIMEOUT, |saved| {
            let Saved::History(done) = saved else { panic!("only history jobs: {saved:?}") };
            n += 1;
            assert!(done.result.as_ref().is_ok_and(|w| w.is_none()), "{:?}", done.result);
            h.absorb_saved(done.job, true);
        }));
        assert!(flushed && (1..=3).contains(&n), "{flushed} {n}");
        // The result channel closes as the thread's function returns, a moment before the
        // thread counts as finished.
        let deadline = Instant::now() + Duration::from_secs(20);
        while !saver.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(saver.is_finished());
        let on_disk = History::load(&path);
        assert_eq!(ids(&on_disk.history), ["ep-3", "ep-2", "ep-1"]);
        assert_eq!(ids(&h), ["ep-3", "ep-2", "ep-1"]);
    }

    /// What is recorded or forgotten while a save runs is kept, and saved by the next job; a
    /// failed save gives its changes back.
    #[test]
    fn changes_during_a_save_survive_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.json");
        let mut h = History::new(&path, Options::default());
        h.record(found("ep-1", 1.0));
        h.record(found("ep-2", 2.0));
        let mut job = h.take_save_job();
        // Meanwhile, on the loop:
        h.record(found("ep-3", 3.0));
        h.forget(ARN, "ep-1");
        let result = save_now(&mut job);
        assert!(result.is_ok());
        h.absorb_saved(job, true);
        assert_eq!(ids(&h), ["ep-3", "ep-2"]);
        assert_eq!(ids(&History::load(&path).history), ["ep-2", "ep-1"]);
        let mut job = h.take_save_job();
        save_now(&mut job).unwrap();
        h.absorb_saved(job, true);
        assert_eq!(ids(&History::load(&path).history), ["ep-3", "ep-2"]);

        // A save that failed (say the lock was held too long) gives its changes back.
        h.record(found("ep-4", 4.0));
        let job = h.take_save_job();
        h.absorb_saved(job, false);
        let mut job = h.take_save_job();
        save_now(&mut job).unwrap();
        h.absorb_saved(job, true);
        assert_eq!(ids(&History::load(&path).history), ["ep-4", "ep-3", "ep-2"]);
    }

    /// An export queued behind a history save held up by another browser's lock is written in
    /// its turn, off the caller's thread, and a file already there is kept unless replacing
    /// was asked for.
    #[test]
    fn exports_and_the_command_history_leave_the_callers_thread() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("rows.csv");
        std::fs::write(&out, "kept\n").unwrap();
        let commands = dir.path().join("commands");
        let (mut saver, mut results) = Saver::spawn();
        let export = |bytes: &str| PendingExport {
            path: "rows.csv".into(),
            bytes: bytes.into(),
            what: "1 endpoint".into(),
        };
        assert!(
            saver.save(Job::Export { export: export("new\n"), to: out.clone(), replace: false }).is_none()
        );
        assert!(
            saver
                .save(Job::Commands { path: commands.clone(), commands: vec!["endpoints".into()] })
                .is_none()
        );
        assert!(
            saver
                .save(Job::Export { export: export("replaced\n"), to: out.clone(), replace: true })
                .is_none()
        );
        saver.close();
        let mut reports = Vec::new();
        assert!(rt().block_on(flush(&mut results, FLUSH_TIMEOUT, |saved| reports.push(saved))));
        let kinds: Vec<_> = reports
            .iter()
            .map(|r| match r {
                Saved::Export { result, .. } => result.as_ref().map_err(|e| e.kind()),
                Saved::History(_) => panic!("no history job was queued"),
            })
            .collect();
        assert_eq!(kinds, [Err(std::io::ErrorKind::AlreadyExists), Ok(&())]);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "replaced\n");
        assert!(std::fs::read_to_string(&commands).unwrap().contains("endpoints"));
    }
}
