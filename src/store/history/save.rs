//! Saving: lock, re-read, merge, write (see the module documentation of [`super`]); the
//! lookups not saved yet, written aside for a person; and the save jobs a saver thread runs.

use super::file::{Disk, document_bytes, read_or_recover_locked, stamped};
use super::{Entry, History, HistoryError, LOCK_TIMEOUT};
use crate::store::files;
use crate::store::lock::{FileLock, lock_path};
use std::path::PathBuf;

impl History {
    /// The lookups recorded this session that are not in the file: their save failed, or has
    /// not come back yet. Newest first.
    pub fn unsaved(&self) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| {
                let key = (e.user_arn.clone(), e.endpoint_id.clone());
                self.pending.contains(&key) || self.in_flight.contains_key(&key)
            })
            .collect()
    }

    /// Write [`History::unsaved`] to a new file beside the history,
    /// `history.json.unsaved-<UTC time>` (the history's format, mode 0600, secrets only with
    /// `store_secrets`), for a person to find after a failed save. `Ok(None)` when everything
    /// is saved or the history has no file.
    pub fn write_unsaved_aside(&self) -> std::io::Result<Option<PathBuf>> {
        let unsaved: Vec<Entry> = self.unsaved().into_iter().cloned().collect();
        if unsaved.is_empty() || self.path.as_os_str().is_empty() {
            return Ok(None);
        }
        let bytes = document_bytes(&unsaved, self.settings.store_secrets);
        files::write_new(&stamped(&self.path, "unsaved"), &bytes).map(Some)
    }

    /// Merge this session's changes into the file and write it (see the module
    /// documentation). Afterwards the history holds the merged entries, which may include
    /// other browsers' lookups. `Ok(Some(warning))` when the file on disk had become damaged
    /// and was moved aside first.
    pub fn save(&mut self) -> Result<Option<String>, HistoryError> {
        if let Some(version) = self.newer_version {
            return Err(HistoryError::NewerVersion { path: self.path.clone(), version });
        }
        if let Some(why) = &self.refused {
            return Err(HistoryError::Refused { path: self.path.clone(), why: why.clone() });
        }
        let path = self.path.clone();
        let io = move |source| HistoryError::Io { path: path.clone(), source };
        let _lock = FileLock::exclusive(&lock_path(&self.path), LOCK_TIMEOUT).map_err(&io)?;
        let (disk, mut warning) = read_or_recover_locked(&self.path);
        let disk = match disk {
            Disk::Entries(e) => e,
            Disk::Newer(version) => {
                self.newer_version = Some(version);
                return Err(HistoryError::NewerVersion { path: self.path.clone(), version });
            }
            Disk::Refused(why) => {
                self.refused = Some(why.clone());
                return Err(HistoryError::Refused { path: self.path.clone(), why });
            }
        };
        let cap = self.settings.cap;
        let on_disk = disk.len();
        let mut merged = self.merge_uncapped(disk);
        let cut = merged.split_off(merged.len().min(cap));
        // The cap drops the oldest lookup when a new one comes in; but a file that already
        // held more than the cap (a lower `history.cap`, a file from elsewhere) is not cut
        // silently: what goes is kept beside it, and the message says so.
        if on_disk > cap && !cut.is_empty() {
            let bytes = document_bytes(&cut, self.settings.store_secrets);
            let aside = files::write_new(&stamped(&self.path, "over-cap"), &bytes).map_err(&io)?;
            let note = format!(
                "history file {} held {on_disk} lookups, more than history.cap = {cap}: kept the \
                 newest {cap} and moved the {} older ones to {}",
                self.path.display(),
                cut.len(),
                aside.display()
            );
            warning = Some(match warning {
                Some(w) => format!("{w}; {note}"),
                None => note,
            });
        }
        let bytes = document_bytes(&merged, self.settings.store_secrets);
        files::write_atomic(&self.path, &bytes).map_err(|source| match files::is_refusal(&source) {
            true => {
                let why = source.to_string();
                HistoryError::Refused { path: self.path.clone(), why }
            }
            false => io(source),
        })?;
        self.entries = merged;
        self.pending.clear();
        Ok(warning)
    }

    /// A copy to [`History::save`] elsewhere (a saver thread), taking this session's pending
    /// changes with it: the next job only carries what is recorded after this one. Hand the
    /// saved copy back to [`History::absorb_saved`].
    pub fn take_save_job(&mut self) -> History {
        self.job_seq += 1;
        let mut job = self.clone();
        job.in_flight.clear();
        for key in self.pending.drain() {
            self.in_flight.insert(key, self.job_seq);
        }
        job
    }

    /// Fold an older, not yet saved job into this newer one: saving this one saves both (it
    /// already holds every entry and tombstone the older one had, and now its pending keys).
    pub fn fold_older_job(&mut self, older: History) {
        self.pending.extend(older.pending);
        self.job_seq = self.job_seq.max(older.job_seq);
    }

    /// Take back a job from [`History::take_save_job`] after its save. Saved (`ok`): the
    /// entries become the file's as merged then, with what this history recorded and forgot
    /// meanwhile applied on top, exactly as if the save had happened here. Not saved: its
    /// pending changes come back, for the next save to write.
    pub fn absorb_saved(&mut self, job: History, ok: bool) {
        if job.newer_version.is_some() {
            self.newer_version = job.newer_version;
        }
        if job.refused.is_some() {
            self.refused = job.refused.clone();
        }
        // Jobs are saved in order (a backlog folded into its newest job): this one and every
        // older one are done.
        self.in_flight.retain(|_, seq| *seq > job.job_seq);
        if ok {
            self.entries = self.merge(job.entries);
        } else {
            self.pending.extend(job.pending);
        }
    }
}
