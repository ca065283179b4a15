//! Scanning a whole app instance: every user's endpoints, within a rate, resumable,
//! in flat memory. `chimescope scan` and the browser's Scan pane run this engine.
//!
//! - the pace: the token bucket and its AIMD rate, `crate::jobs::rate` ([`rate::Limiter`],
//!   pure; [`rate::Gate`]), shared with the browser's worker.
//! - `send.rs`: the requests of a scan through the gate: throttles sent again (at most
//!   `max_throttles` in a row), passing failures tried again, each counted.
//! - `checkpoint.rs`: the snapshot and rows files, and which checkpoint belongs to which scan.
//! - `report.rs`: a row per endpoint, the counts, the JSON, CSV and text outputs.
//! - `pinpoint.rs`: the doctor's Pinpoint checks for `--diagnose`, each app read once a run.
//! - `progress.rs`: how far a scan is, and the time left.
//! - `background.rs`: the engine in a task, for the browser; `batch.rs`: deregistering the
//!   endpoints a scan found, at its rate.
//! - this file: [`Scan`], the loop that pages through the users and lists (and describes) each
//!   one's endpoints, at most `concurrency` requests in flight.
//!
//! Every request goes through the [`rate::Gate`] and is counted, and so is every retry: the
//! scan's client is built with one attempt per request (`ClientOptions::max_attempts = 1`), so
//! the SDK never retries a throttled request behind the limiter's back. A throttled request
//! lowers the rate and is sent again, so nothing is lost; a 5xx, network failure or timeout is
//! sent again up to three times, after a pause.
//!
//! With the Pinpoint checks on, a user whose endpoints are described waits for their Pinpoint
//! findings ([`pinpoint::Checks`]: its own few requests in flight, not paced by the gate, each
//! app read once and cached) before it is done; those reads are counted apart
//! (`PinpointRequests`).
//!
//! Memory: at most about two pages of users are in hand (the next page of users is fetched when
//! fewer than one page is left), each user's endpoints only until the user is done; rows go to
//! the rows file at once.

pub mod background;
pub mod batch;
pub mod checkpoint;
pub mod pinpoint;
mod progress;
pub mod report;
mod send;

use crate::aws::{self, Client};
use crate::doctor;
use crate::model::paging::{Listing, Pages};
use crate::model::{Endpoint, EndpointSummary, ErrorKind, ServiceError, Timestamp};
use checkpoint::{Checkpoint, Identity, LoadError, Rows, Snapshot};
use futures_util::stream::{FuturesUnordered, StreamExt};
use report::{Row, Tally};
use std::collections::{BTreeMap, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The pace's gate lives with the worker (`crate::jobs::rate`); kept here under its old path.
pub use crate::jobs::rate;
pub use progress::{Progress, hms};
pub(crate) use send::transient;
use send::{Answer, Shared, Task, operation};

/// The scan's defaults, from `crate::defaults` (kept here under their old names).
pub use crate::defaults::{
    PAGE_SIZE as PAGE, SCAN_CONCURRENCY as DEFAULT_CONCURRENCY, SCAN_MAX_THROTTLES as DEFAULT_MAX_THROTTLES,
    SCAN_RATE as DEFAULT_RATE,
};
/// Throttles in a row from which the progress line and the Scan pane say the service is refusing.
pub const THROTTLES_SAID: u64 = 3;
/// The snapshot is saved at most this often (when something changed), and at least this soon
/// after a change.
const SAVE_EVERY: Duration = Duration::from_millis(20);
/// ... and synced to the disk at least this often.
const SYNC_EVERY: Duration = Duration::from_secs(2);
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// What to scan and how.
#[derive(Clone, Debug)]
pub struct Options {
    pub app_instance_arn: String,
    /// The most requests a second (the ceiling of the adaptive rate).
    pub rate: f64,
    /// The most requests in flight.
    pub concurrency: usize,
    /// Describe each endpoint too.
    pub describe: bool,
    /// Run the doctor's record findings on each endpoint (implies `describe`).
    pub diagnose: bool,
    /// With `diagnose`: the doctor's Pinpoint checks too (the app and channel each endpoint's
    /// ResourceArn names).
    pub pinpoint: bool,
    /// Keep every endpoint's row (CSV), not only those that cannot receive.
    pub all_rows: bool,
    /// Stop after this many throttles in a row ([`DEFAULT_MAX_THROTTLES`]); from
    /// [`THROTTLES_SAID`] in a row the progress says so.
    pub max_throttles: u64,
}

/// How a run ended, when it did not fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every user is scanned.
    Finished,
    /// Stopped (Ctrl-C, SIGTERM, Esc): the checkpoint, if any, is saved.
    Stopped,
}

/// Why a scan could not start or go on.
#[derive(Debug)]
pub enum ScanError {
    /// The checkpoint is another scan's (what differs).
    Mismatch(Vec<String>),
    /// The checkpoint cannot be read, is damaged or does not add up.
    Damaged(String),
    /// Another scan is using the checkpoint (that process's ID, when known).
    Busy(Option<u32>),
    /// A request failed for good (the operation it was).
    Service(ServiceError, &'static str),
    /// The rows or checkpoint file could not be written.
    Io(String),
}

impl From<LoadError> for ScanError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Mismatch(d) => Self::Mismatch(d),
            LoadError::Damaged(m) => Self::Damaged(m),
            LoadError::Busy(pid) => Self::Busy(pid),
        }
    }
}

fn io(e: std::io::Error) -> ScanError {
    ScanError::Io(e.to_string())
}

/// A user being scanned.
struct UserWork {
    arn: String,
    listed: Vec<EndpointSummary>,
    described: Vec<Endpoint>,
    /// Describes still to come.
    outstanding: usize,
    /// The Pinpoint findings of each described endpoint (in `described`'s order), once come.
    pinpoint: Vec<Vec<doctor::Finding>>,
    /// The bounds of the user's endpoint list (10 endpoints, the tokens seen).
    pages: Pages,
    /// `--diagnose`: the user's expiry (None: none set, or not read).
    expiration: Option<doctor::UserExpiration>,
}

/// Told of a row as it is found.
pub type RowSink = Box<dyn FnMut(&Row) + Send>;

/// One scan: its state, its rows and its checkpoint.
pub struct Scan {
    opts: Options,
    identity: Identity,
    checkpoint: Option<Checkpoint>,
    rows: Rows,
    tally: Tally,
    resumed: bool,
    next_token: Option<String>,
    /// The bounds of the list of users (100,000 users, the tokens seen this run).
    users_pages: Pages,
    users_listed: bool,
    users_inflight: bool,
    users: BTreeMap<u64, UserWork>,
    next_slot: u64,
    ready: VecDeque<Task>,
    /// Users described, waiting for their Pinpoint checks to start.
    to_check: VecDeque<u64>,
    dirty: bool,
    /// Told of each row that cannot receive, as it is found (the Scan pane's list).
    on_cannot_receive: Option<RowSink>,
}

impl Scan {
    /// A new scan, or the one `checkpoint` holds (refused when it is another scan's or damaged,
    /// and then left as it is).
    pub fn open(opts: Options, identity: Identity, checkpoint: Option<&Path>) -> Result<Self, ScanError> {
        let mut opts = opts;
        opts.describe |= opts.diagnose;
        opts.pinpoint &= opts.diagnose;
        opts.concurrency = opts.concurrency.max(1);
        let mut cp = checkpoint.map(Checkpoint::new);
        if let Some(cp) = cp.as_mut() {
            cp.lock()?;
        }
        let snap = match &cp {
            Some(cp) => cp.load(&identity)?,
            None => None,
        };
        let rows = match &cp {
            Some(cp) => cp.rows(snap.as_ref())?,
            None => Rows::temporary().map_err(io)?,
        };
        let mut scan = Self {
            opts,
            identity,
            checkpoint: cp,
            rows,
            tally: Tally::default(),
            resumed: snap.is_some(),
            next_token: None,
            users_pages: Pages::new(Listing::Users),
            users_listed: false,
            users_inflight: false,
            users: BTreeMap::new(),
            next_slot: 0,
            ready: VecDeque::new(),
            to_check: VecDeque::new(),
            dirty: false,
            on_cannot_receive: None,
        };
        if let Some(s) = snap {
            scan.tally = s.tally;
            scan.next_token = s.next_token;
            scan.users_listed = s.users_listed;
            for arn in s.pending {
                scan.add_user(arn);
            }
            // The users counted before go on counting against the instance's quota.
            let listed = scan.tally.users.saturating_add(scan.users.len() as u64);
            scan.users_pages = Pages::resumed(Listing::Users, listed);
        }
        Ok(scan)
    }

    /// Whether this scan goes on from a checkpoint.
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// Bytes of rows the checkpoint counted that its rows file had lost (cut inside a row):
    /// the counts include them, the list of rows does not.
    pub fn rows_lost(&self) -> u64 {
        self.rows.lost()
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Call `f` with each row that cannot receive, as it is found.
    pub fn on_cannot_receive(&mut self, f: RowSink) {
        self.on_cannot_receive = Some(f);
    }

    /// The rows kept, from the start.
    pub fn rows(&mut self) -> std::io::Result<std::io::BufReader<std::fs::File>> {
        self.rows.reader()
    }

    /// The scan is reported: its checkpoint goes.
    pub fn remove_checkpoint(&self) -> std::io::Result<()> {
        self.checkpoint.as_ref().map_or(Ok(()), Checkpoint::remove)
    }

    fn add_user(&mut self, arn: String) {
        let slot = self.next_slot;
        self.next_slot += 1;
        self.ready.push_back(Task::Endpoints { slot, user: arn.clone(), token: None });
        self.users.insert(
            slot,
            UserWork {
                arn,
                listed: Vec::new(),
                described: Vec::new(),
                outstanding: 0,
                pinpoint: Vec::new(),
                pages: Pages::new(Listing::Endpoints),
                expiration: None,
            },
        );
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            version: checkpoint::VERSION,
            identity: self.identity.clone(),
            next_token: self.next_token.clone(),
            users_listed: self.users_listed,
            pending: self.users.values().map(|u| u.arn.clone()).collect(),
            tally: self.tally.clone(),
            rows_len: self.rows.len(),
        }
    }

    fn save(&mut self, sync: bool) -> Result<(), ScanError> {
        self.dirty = false;
        let snap = self.snapshot();
        match &self.checkpoint {
            Some(cp) => cp.save(&snap, &mut self.rows, sync).map_err(|e| {
                ScanError::Io(format!("cannot save the checkpoint {}: {e}", cp.path().display()))
            }),
            None => Ok(()),
        }
    }

    fn progress(&self, run_start: tokio::time::Instant, run_requests: u64) -> Progress {
        Progress {
            users: self.tally.users,
            users_total: self.users_listed.then(|| self.tally.users + self.users.len() as u64),
            users_listed: self.tally.users + self.users.len() as u64,
            endpoints: self.tally.endpoints,
            cannot_receive: self.tally.cannot_receive,
            requests: self.tally.requests,
            throttled: self.tally.throttled,
            pinpoint_requests: self.tally.pinpoint_requests,
            rate: 0.0,
            ceiling: self.opts.rate,
            throttled_in_a_row: 0,
            max_throttles: self.opts.max_throttles,
            seconds: self.tally.seconds,
            run_seconds: run_start.elapsed().as_secs_f64(),
            run_requests,
            tally: self.tally.clone(),
        }
    }

    /// The user in `slot` is done: its rows counted and kept.
    fn finish(&mut self, slot: u64) -> Result<(), ScanError> {
        let Some(u) = self.users.remove(&slot) else { return Ok(()) };
        let now = Timestamp::now();
        let rows: Vec<Row> = if self.opts.describe {
            let mut pinpoint = u.pinpoint.into_iter();
            u.described
                .iter()
                .map(|ep| {
                    let findings = self.opts.diagnose.then(|| {
                        let mut f = doctor::endpoint_findings(ep, now);
                        f.extend(pinpoint.next().unwrap_or_default());
                        // The user's findings that concern it (a shared token, the endpoint
                        // limit), from the user's endpoints in hand.
                        let id = ep.endpoint_id.as_deref().unwrap_or_default();
                        f.extend(doctor::user_findings_for(&u.described, u.expiration.as_ref(), now, id));
                        doctor::sort(&mut f);
                        f
                    });
                    Row::from_record(&u.arn, ep, findings.as_deref())
                })
                .collect()
        } else {
            u.listed.iter().map(|s| Row::from_summary(&u.arn, s)).collect()
        };
        for row in &rows {
            self.tally.add(row);
            if row.kept()
                && let Some(f) = &mut self.on_cannot_receive
            {
                f(row);
            }
            if self.opts.all_rows || row.kept() {
                self.rows
                    .append(row)
                    .map_err(|e| ScanError::Io(format!("cannot write the scan's rows: {e}")))?;
            }
        }
        self.tally.users += 1;
        self.dirty = true;
        Ok(())
    }

    /// The Pinpoint findings of the user in `slot`'s endpoints have come: it is done.
    fn checked(&mut self, slot: u64, findings: Vec<Vec<doctor::Finding>>) -> Result<(), ScanError> {
        let Some(u) = self.users.get_mut(&slot) else { return Ok(()) };
        u.pinpoint = findings;
        self.finish(slot)
    }

    /// A request's answer. `Err` when the scan cannot go on.
    fn handle(&mut self, task: Task, answer: Result<Answer, ServiceError>) -> Result<(), ScanError> {
        match (task, answer) {
            (Task::Users { .. }, Ok(Answer::Users(page))) => {
                self.users_inflight = false;
                let next = self
                    .users_pages
                    .next(page.items.len(), page.next_token.as_deref())
                    .map_err(|e| ScanError::Service(e, aws::op::LIST_USERS))?;
                for u in page.items {
                    if let Some(arn) = u.app_instance_user_arn.filter(|a| !a.is_empty()) {
                        self.add_user(arn);
                    }
                }
                self.users_listed = next.is_none();
                self.next_token = next;
                self.dirty = true;
            }
            (Task::Endpoints { slot, user, .. }, Ok(Answer::Endpoints(page))) => {
                let Some(u) = self.users.get_mut(&slot) else { return Ok(()) };
                let next = u
                    .pages
                    .next(page.items.len(), page.next_token.as_deref())
                    .map_err(|e| ScanError::Service(e, aws::op::LIST_ENDPOINTS))?;
                u.listed.extend(page.items);
                match next {
                    Some(t) => self.ready.push_front(Task::Endpoints { slot, user, token: Some(t) }),
                    None if self.opts.describe && !u.listed.is_empty() => {
                        u.outstanding = u.listed.len();
                        if self.opts.diagnose {
                            // The user's expiry: a finding of every endpoint it would delete.
                            u.outstanding += 1;
                            self.ready.push_front(Task::User { slot, user: user.clone() });
                        }
                        for s in &u.listed {
                            let endpoint_id = s.endpoint_id.clone().unwrap_or_default();
                            self.ready.push_front(Task::Describe { slot, user: user.clone(), endpoint_id });
                        }
                    }
                    None => self.finish(slot)?,
                }
            }
            (task @ (Task::Describe { slot, .. } | Task::User { slot, .. }), answer) => {
                let op = operation(&task);
                let Some(u) = self.users.get_mut(&slot) else { return Ok(()) };
                match answer {
                    Ok(Answer::Record(ep)) => u.described.push(*ep),
                    Ok(Answer::User(user)) => u.expiration = doctor::UserExpiration::from_user_json(&user),
                    // Deregistered (or the user deleted) since it was listed: nothing to count.
                    Err(e) if e.kind == ErrorKind::NotFound => {}
                    Err(e) => return Err(ScanError::Service(e, op)),
                    Ok(_) => return Err(wrong_answer(op)),
                }
                u.outstanding = u.outstanding.saturating_sub(1);
                if u.outstanding == 0 {
                    if self.opts.pinpoint && !u.described.is_empty() {
                        self.to_check.push_back(slot);
                    } else {
                        self.finish(slot)?;
                    }
                }
            }
            // Deleted since it was listed: a user with no endpoints left.
            (Task::Endpoints { slot, .. }, Err(e)) if e.kind == ErrorKind::NotFound => {
                if let Some(u) = self.users.get_mut(&slot) {
                    u.listed.clear();
                }
                self.finish(slot)?;
            }
            (task, Err(e)) => return Err(ScanError::Service(e, operation(&task))),
            (task, Ok(_)) => return Err(wrong_answer(operation(&task))),
        }
        Ok(())
    }

    /// Scan until every user is done, `stop` completes, or a request fails for good. The
    /// checkpoint is saved as it goes and before returning. `progress` is called every quarter
    /// second and at the end.
    pub async fn run(
        &mut self,
        client: &Client,
        stop: impl std::future::Future<Output = ()>,
        progress: &mut (dyn FnMut(&Progress) + Send),
    ) -> Result<Outcome, ScanError> {
        let shared = Shared {
            client,
            gate: rate::Gate::new(self.opts.rate),
            instance: self.opts.app_instance_arn.clone(),
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            in_a_row: AtomicU64::new(0),
            max_throttles: self.opts.max_throttles.max(1),
        };
        // Refilled on each run (a resumed scan reads its apps again).
        let checks = pinpoint::Checks::new(client);
        let base =
            (self.tally.requests, self.tally.throttled, self.tally.seconds, self.tally.pinpoint_requests);
        let run_start = tokio::time::Instant::now();
        let sync_counters = |scan: &mut Self| {
            scan.tally.requests = base.0 + shared.requests.load(Ordering::Relaxed);
            scan.tally.throttled = base.1 + shared.throttled.load(Ordering::Relaxed);
            scan.tally.seconds = base.2 + run_start.elapsed().as_secs_f64();
            scan.tally.pinpoint_requests = base.3 + checks.requests();
        };
        let report = |scan: &Self, progress: &mut (dyn FnMut(&Progress) + Send)| {
            let mut p = scan.progress(run_start, shared.requests.load(Ordering::Relaxed));
            p.rate = shared.gate.rate();
            p.throttled_in_a_row = shared.in_a_row.load(Ordering::Relaxed);
            progress(&p);
        };
        let mut inflight = FuturesUnordered::new();
        // Users' Pinpoint checks: not counted against `concurrency` (another API); their reads
        // are bounded by the checks' own limit.
        let mut checking = FuturesUnordered::new();
        let mut tick = tokio::time::interval(SAVE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let (mut last_save, mut last_sync, mut last_progress) = (run_start, run_start, run_start);
        let stop = std::pin::pin!(stop);
        let mut stop = stop;
        let result = loop {
            while inflight.len() < self.opts.concurrency {
                if !self.users_listed && !self.users_inflight && self.users.len() < PAGE as usize {
                    self.users_inflight = true;
                    self.ready.push_front(Task::Users { token: self.next_token.clone() });
                }
                let Some(task) = self.ready.pop_front() else { break };
                inflight.push(shared.perform(task));
            }
            while let Some(slot) = self.to_check.pop_front() {
                let Some(u) = self.users.get(&slot) else { continue };
                let endpoints = u.described.clone();
                let checks = &checks;
                checking.push(async move {
                    let mut found = Vec::with_capacity(endpoints.len());
                    for ep in &endpoints {
                        found.push(checks.findings(ep).await);
                    }
                    (slot, found)
                });
            }
            if inflight.is_empty() && checking.is_empty() {
                break Ok(Outcome::Finished);
            }
            tokio::select! {
                biased;
                () = &mut stop => break Ok(Outcome::Stopped),
                Some((task, answer)) = inflight.next() => {
                    if let Err(e) = self.handle(task, answer) {
                        break Err(e);
                    }
                }
                Some((slot, found)) = checking.next() => {
                    if let Err(e) = self.checked(slot, found) {
                        break Err(e);
                    }
                }
                _ = tick.tick() => {}
            }
            let now = tokio::time::Instant::now();
            if self.dirty && now - last_save >= SAVE_EVERY {
                sync_counters(self);
                let sync = now - last_sync >= SYNC_EVERY;
                if let Err(e) = self.save(sync) {
                    break Err(e);
                }
                last_save = now;
                if sync {
                    last_sync = now;
                }
            }
            if now - last_progress >= PROGRESS_EVERY {
                sync_counters(self);
                report(self, progress);
                last_progress = now;
            }
        };
        // What was in flight is dropped; its users stay pending and are scanned again.
        drop(inflight);
        drop(checking);
        sync_counters(self);
        report(self, progress);
        match self.save(true) {
            Err(e) if result.is_ok() => Err(e),
            _ => result,
        }
    }
}

fn wrong_answer(op: &'static str) -> ScanError {
    ScanError::Service(
        ServiceError::new(ErrorKind::InvalidResponse, "the answer does not match the request", op),
        op,
    )
}
