//! The clipboard off the event loop. A copy can take seconds (inside tmux it runs
//! `tmux load-buffer`, waited for up to 2 s), so the one clipboard of the browser lives on its
//! own thread (on X11 the content lives with the handle): the loop hands it what to copy, and
//! the outcome comes back as a [`Notice`] for the message line.

use super::action::Notice;
use crate::clipboard::{BackendChoice, Clipboard};
use std::sync::mpsc;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// A copy to make: what it is (for the message) and the text (never logged: it may be a token).
struct Job {
    what: String,
    text: String,
}

/// The loop's end of the clipboard thread.
pub struct Copier {
    jobs: Option<mpsc::Sender<Job>>,
    /// The clipboard itself when no thread could be started: copies are made on the spot.
    inline: Option<Clipboard>,
}

/// Copy `text` and say how it went.
fn copy_now(clipboard: &mut Clipboard, what: &str, text: &str) -> Notice {
    match clipboard.copy(what, text) {
        Ok(report) => Notice::ok(report.to_string()),
        Err(e) => {
            tracing::info!(error = %e, what = %what, "copy failed");
            Notice::error(e.status(what))
        }
    }
}

impl Copier {
    /// Start the clipboard thread; the outcomes of copies arrive on the receiver.
    pub fn spawn(choice: BackendChoice) -> (Self, UnboundedReceiver<Notice>) {
        let (done_tx, done_rx) = tokio::sync::mpsc::unbounded_channel();
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        let clipboard = Clipboard::new(choice);
        Self::with_clipboard(clipboard, jobs_tx, jobs_rx, done_tx, done_rx)
    }

    /// A copier around a given clipboard (tests).
    pub fn with(clipboard: Clipboard) -> (Self, UnboundedReceiver<Notice>) {
        let (done_tx, done_rx) = tokio::sync::mpsc::unbounded_channel();
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        Self::with_clipboard(clipboard, jobs_tx, jobs_rx, done_tx, done_rx)
    }

    fn with_clipboard(
        clipboard: Clipboard,
        jobs_tx: mpsc::Sender<Job>,
        jobs_rx: mpsc::Receiver<Job>,
        done_tx: UnboundedSender<Notice>,
        done_rx: UnboundedReceiver<Notice>,
    ) -> (Self, UnboundedReceiver<Notice>) {
        // The clipboard moves to the thread; should the thread not start, it comes back.
        let slot = std::sync::Arc::new(std::sync::Mutex::new(Some(clipboard)));
        let theirs = slot.clone();
        let spawned = std::thread::Builder::new().name("clipboard".into()).spawn(move || {
            let Some(mut clipboard) = theirs.lock().ok().and_then(|mut c| c.take()) else { return };
            while let Ok(job) = jobs_rx.recv() {
                let notice = copy_now(&mut clipboard, &job.what, &job.text);
                // The loop may be gone (quitting): nobody to tell.
                let _ = done_tx.send(notice);
            }
        });
        match spawned {
            Ok(_) => (Self { jobs: Some(jobs_tx), inline: None }, done_rx),
            Err(e) => {
                tracing::warn!(error = %e, "no clipboard thread: copying on the event loop");
                let inline = slot.lock().ok().and_then(|mut c| c.take());
                (Self { jobs: None, inline }, done_rx)
            }
        }
    }

    /// Hand a copy to the thread. Returns its outcome instead when there is no thread.
    #[must_use]
    pub fn copy(&mut self, what: String, text: String) -> Option<Notice> {
        let job = match &self.jobs {
            Some(tx) => match tx.send(Job { what, text }) {
                Ok(()) => return None,
                Err(mpsc::SendError(job)) => job,
            },
            None => Job { what, text },
        };
        match self.inline.as_mut() {
            Some(c) => Some(copy_now(c, &job.what, &job.text)),
            None => Some(Notice::error(format!("Not copied: the clipboard stopped ({})", job.what))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::Duration;

    /// A terminal that takes its time: every write waits until the test lets it go.
    struct Slow(Arc<(Mutex<bool>, Condvar)>, Arc<Mutex<Vec<u8>>>);

    impl Write for Slow {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let (lock, cv) = &*self.0;
            let mut go = lock.lock().unwrap();
            while !*go {
                go = cv.wait(go).unwrap();
            }
            self.1.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A copy whose backend blocks does not block the caller; its outcome arrives as a
    /// message once it is done.
    #[test]
    fn a_blocked_copy_does_not_block_the_loop() {
        let gate = Arc::new((Mutex::new(false), Condvar::new()));
        let out = Arc::new(Mutex::new(Vec::new()));
        let choice = BackendChoice {
            backend: crate::clipboard::Backend::Osc52,
            origin: crate::clipboard::Origin::Default,
        };
        let clipboard = Clipboard::with_writer(choice, Box::new(Slow(gate.clone(), out.clone())))
            .env(crate::clipboard::Env::from_pairs(Vec::<(String, String)>::new()));
        let (mut copier, mut done) = Copier::with(clipboard);
        assert!(copier.copy("device token".into(), "abcd".into()).is_none(), "handed over, not done here");
        std::thread::sleep(Duration::from_millis(50));
        assert!(done.try_recv().is_err(), "still blocked in the backend");
        *gate.0.lock().unwrap() = true;
        gate.1.notify_all();
        let notice = done.blocking_recv().expect("the outcome comes back");
        assert!(notice.text.contains("device token"), "{notice:?}");
        assert!(!out.lock().unwrap().is_empty(), "the copy was written");
    }
}
