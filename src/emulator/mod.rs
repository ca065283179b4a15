//! A local, wire-compatible Chime SDK Identity service, built from the service model
//! (`assets/chime-sdk-identity-2021-04-20.service-2.json`): routes, input validation and output
//! encoding come from the model (`spec`), an operation in code is its semantics (`ops`).
//! restJson1 with the model's status codes and headers, SigV4 checks (`auth`), paging, latency
//! and injected faults, connection limits (`server`). Used by `chimescope emulator`, `--demo`
//! and the tests. It shares no code with the client (a test checks its imports).

mod admin;
mod arn;
pub mod auth;
pub mod command;
pub mod fault;
mod http;
pub mod idempotency;
mod ids;
pub mod messaging;
mod ops;
mod paging;
mod persist;
pub mod pinpoint;
pub mod push;
pub mod quota;
mod request;
mod seed;
mod server;
pub mod spec;
pub mod store;

pub use auth::Credentials;
pub use fault::{Fault, FaultKind};
pub use paging::DEFAULT_PAGE;
pub use persist::StateError;
pub use seed::{MAX_SEED_BYTES, SeedError};
pub use server::Limits;
pub use store::Store;

use spec::ServiceModel;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How to run the service.
#[derive(Clone, Debug)]
pub struct Options {
    pub bind: SocketAddr,
    pub store: Store,
    pub latency: Duration,
    pub faults: Vec<Fault>,
    /// Known access keys: with any, signatures are verified for real.
    pub credentials: Credentials,
    pub limits: Limits,
    /// Access key → account (`--account KEY=ID`). With any, each caller sees only its own
    /// account's resources; without, every seeded resource is visible and new ones are made
    /// in `DEFAULT_ACCOUNT`.
    pub accounts: HashMap<String, String>,
    /// Persist every acknowledged write here (`--state`): a snapshot in seed format and a
    /// journal (see `persist`). A state file that exists is loaded instead of `store`.
    pub state_file: Option<PathBuf>,
    /// What `POST /_chimescope/reset` goes back to (default: `store`).
    pub reset_to: Option<Store>,
    /// Token-bucket rates: `*` or an operation → requests per second.
    pub quotas: Vec<(String, f64)>,
}

/// The account of an access key that `--account` does not name.
pub const DEFAULT_ACCOUNT: &str = "123456789012";
/// The regions where the service exists.
pub const REGIONS: &[&str] = &["us-east-1", "eu-central-1"];
/// How many requests `GET /_chimescope/requests` keeps.
pub const LOG_CAPACITY: usize = 10_000;

impl Default for Options {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            store: Store::default(),
            latency: Duration::ZERO,
            faults: Vec::new(),
            credentials: Credentials::default(),
            limits: Limits::default(),
            accounts: HashMap::new(),
            state_file: None,
            reset_to: None,
            quotas: Vec::new(),
        }
    }
}

/// One served request, as `GET /_chimescope/requests` shows it (never an input value).
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogEntry {
    /// 1 for the first request logged, then one more for each (the cursor of `?since=`).
    pub seq: u64,
    /// Epoch seconds by the emulator's clock.
    pub time: f64,
    pub operation: String,
    pub status: u16,
    pub request_id: String,
    pub latency_ms: f64,
}

pub(crate) struct State {
    pub model: &'static ServiceModel,
    /// The Pinpoint reads' model (paths under `/v1/apps/`).
    pub pinpoint: &'static ServiceModel,
    /// The Chime SDK Messaging model (paths under `/channels`, …: see `messaging`).
    pub messaging: &'static ServiceModel,
    pub store: Arc<RwLock<Store>>,
    pub latency: Duration,
    pub faults: Mutex<Vec<Fault>>,
    pub requests: AtomicU64,
    /// Random per emulator: keeps request IDs of two emulators apart.
    pub salt: u64,
    pub tokens: paging::Tokens,
    pub credentials: Credentials,
    pub limits: Limits,
    /// The region of the last request's SigV4 credential scope.
    pub last_region: Mutex<Option<String>>,
    pub accounts: HashMap<String, String>,
    /// Seconds added to the system clock (`POST /_chimescope/clock`).
    pub clock_offset: Mutex<f64>,
    pub epoch: Instant,
    pub reset_to: Store,
    /// The journal of `--state`.
    pub journal: Option<Arc<persist::Journal>>,
    /// The last `LOG_CAPACITY` requests, their `seq` contiguous.
    pub log: Mutex<VecDeque<LogEntry>>,
    pub quotas: Mutex<quota::Quotas>,
    /// Where the server listens (the admin API's own origin).
    pub addr: SocketAddr,
}

impl State {
    /// The emulator's clock: the system clock plus what the admin API advanced it by.
    pub fn now(&self) -> f64 {
        system_now() + *self.clock_offset.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A monotonic clock in nanoseconds (for the quotas), advanced with the emulator's clock.
    pub fn mono_ns(&self) -> i128 {
        let off = *self.clock_offset.lock().unwrap_or_else(|e| e.into_inner());
        self.epoch.elapsed().as_nanos() as i128 + (off * 1e9) as i128
    }

    pub fn account_of(&self, access_key: &str) -> &str {
        self.accounts.get(access_key).map(String::as_str).unwrap_or(DEFAULT_ACCOUNT)
    }

    /// Run a write on the store, holding it for the whole write: a failed write is undone
    /// (nothing half-applied), a successful one queued to the journal (in the order writes
    /// were applied). Wait on the second value ([`State::durable`]) before answering.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, http::ApiError>,
    ) -> (Result<T, http::ApiError>, Option<persist::Ack>) {
        let mut store = self.store.write().unwrap_or_else(|e| e.into_inner());
        store.begin();
        let out = f(&mut store);
        let changes = store.end();
        // The write's push-log lines: logged only if the write is kept (with `--state`, once
        // it is on disk).
        let mut pushes = store.take_pushes();
        if out.is_err() {
            store.undo(&changes);
            return (out, None);
        }
        let Some(journal) = &self.journal else {
            store.commit_pushes(pushes);
            return (out, None);
        };
        let undo = changes.clone();
        match journal.enqueue(changes, &mut pushes) {
            Ok(ack) => {
                store.commit_pushes(pushes);
                (out, ack)
            }
            Err(why) => {
                store.undo(&undo);
                (Err(admin::persist_failed(&why)), None)
            }
        }
    }

    /// Wait until a write is on disk; an error when it was rolled back instead.
    pub async fn durable(ack: Option<persist::Ack>) -> Result<(), http::ApiError> {
        let Some(ack) = ack else { return Ok(()) };
        match ack.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(why)) => Err(admin::persist_failed(&why)),
            Err(_) => Err(admin::persist_failed("the emulator is stopping")),
        }
    }

    /// Replace everything the emulator holds (reset, `POST /_chimescope/state`), persisted
    /// first with `--state`; on failure nothing changes.
    pub fn replace(&self, new: Store) -> Result<(), http::ApiError> {
        match &self.journal {
            Some(j) => j.replace(new).map_err(|w| admin::persist_failed(&w)),
            None => {
                *self.store.write().unwrap_or_else(|e| e.into_inner()) = new;
                Ok(())
            }
        }
    }

    /// Log a request (its `seq` is set here).
    pub fn log(&self, mut entry: LogEntry) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        entry.seq = log.back().map_or(1, |e| e.seq + 1);
        if log.len() >= LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(entry);
    }

    /// At most `limit` log entries after `since` (the oldest kept when `since` is older), and
    /// whether more follow. Only the page is copied.
    pub fn log_page(&self, since: u64, limit: usize) -> (Vec<LogEntry>, bool) {
        let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        let first = log.front().map_or(1, |e| e.seq);
        let start = usize::try_from(since.saturating_sub(first - 1)).unwrap_or(usize::MAX).min(log.len());
        let end = start.saturating_add(limit).min(log.len());
        (log.range(start..end).cloned().collect(), end < log.len())
    }

    /// Advance the clock by `secs` (0 ≤ secs ≤ 100 years, the clock never past year 9999):
    /// the new time, or why not.
    pub fn advance_clock(&self, secs: f64) -> Result<f64, String> {
        if !(secs.is_finite() && (0.0..=admin::MAX_CLOCK_STEP).contains(&secs)) {
            return Err(format!(
                "Seconds must be a number from 0 to {} (100 years), not {secs}",
                admin::MAX_CLOCK_STEP
            ));
        }
        let mut off = self.clock_offset.lock().unwrap_or_else(|e| e.into_inner());
        let sys = system_now();
        if sys + *off + secs > admin::MAX_CLOCK {
            return Err(format!(
                "advancing the clock by {secs} s would take it past 9999-12-31T23:59:59Z: \
                 POST /_chimescope/reset does not rewind it, a new emulator does"
            ));
        }
        *off += secs;
        Ok(sys + *off)
    }
}

fn system_now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

/// A running service. Dropping it stops it too.
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<State>,
    stop: watch::Sender<bool>,
}

impl Emulator {
    /// Bind and start serving on the current tokio runtime.
    pub async fn start(opts: Options) -> std::io::Result<Self> {
        if let Some((name, rate)) =
            opts.quotas.iter().find(|(_, r)| !(quota::MIN_RATE..=quota::MAX_RATE).contains(r))
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "quota {name}={rate}: a rate is from {} to {} requests per second",
                    quota::MIN_RATE,
                    quota::MAX_RATE
                ),
            ));
        }
        let model = ServiceModel::get().map_err(std::io::Error::other)?;
        let pinpoint = ServiceModel::pinpoint().map_err(std::io::Error::other)?;
        let messaging = ServiceModel::messaging().map_err(std::io::Error::other)?;
        let listener = TcpListener::bind(opts.bind).await?;
        let addr = listener.local_addr()?;
        let reset_to = opts.reset_to.unwrap_or_else(|| opts.store.clone());
        let (store, opened) = match &opts.state_file {
            Some(path) => {
                let (store, opened) = persist::open(path, opts.store).map_err(std::io::Error::other)?;
                (store, Some(opened))
            }
            None => (opts.store, None),
        };
        let store = Arc::new(RwLock::new(store));
        let journal = opened.map(|o| persist::Journal::start(o, store.clone()));
        let state = Arc::new(State {
            model,
            pinpoint,
            messaging,
            store,
            latency: opts.latency,
            faults: Mutex::new(opts.faults),
            requests: AtomicU64::new(0),
            salt: ids::random_u64(),
            tokens: paging::Tokens::default(),
            credentials: opts.credentials,
            limits: opts.limits,
            last_region: Mutex::new(None),
            accounts: opts.accounts,
            clock_offset: Mutex::new(0.0),
            epoch: Instant::now(),
            reset_to,
            journal,
            log: Mutex::new(VecDeque::new()),
            quotas: Mutex::new(quota::Quotas::new(opts.quotas)),
            addr,
        });
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(server::accept_loop(listener, state.clone(), stopped));
        tracing::info!(%addr, "emulator listening");
        Ok(Self { addr, state, stop })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Add a fault while running (tests use this between requests).
    pub fn add_fault(&self, fault: Fault) {
        self.state.faults.lock().unwrap_or_else(|e| e.into_inner()).push(fault);
    }

    pub fn clear_faults(&self) {
        self.state.faults.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// How many requests reached the service (to prove that nothing was sent).
    pub fn request_count(&self) -> u64 {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// The region the last signed request was scoped to (where a real client would have sent it).
    pub fn last_signing_region(&self) -> Option<String> {
        self.state.last_region.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Advance the emulator's clock (as `POST /_chimescope/clock` does, in the same bounds:
    /// the new time, or why not).
    pub fn advance_clock(&self, seconds: f64) -> Result<f64, String> {
        self.state.advance_clock(seconds)
    }

    /// The whole request log (`GET /_chimescope/requests` pages it), the last `LOG_CAPACITY`.
    pub fn requests(&self) -> Vec<LogEntry> {
        self.state.log.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }

    /// Deliver one channel message's push to one member's endpoint now, as SendChannelMessage
    /// does for each member (`push::deliver`, inside a write): the push-log line (as staged:
    /// its `Seq` is set when the write is kept), or why the write was refused (it could not be
    /// journalled).
    pub fn deliver_push(&self, push: &push::Push<'_>, endpoint_id: &str) -> Result<push::Line, String> {
        let (line, _queued) = self.state.write(|store| Ok(push::deliver(store, push, endpoint_id)));
        line.map_err(|e| e.message)
    }

    /// How many idempotency records (`ClientRequestToken`s) the emulator remembers now.
    pub fn idempotency_records(&self) -> usize {
        self.state.store.read().unwrap_or_else(|e| e.into_inner()).idempotency_records()
    }

    /// A copy of what the emulator holds now.
    pub fn snapshot(&self) -> Store {
        self.state.store.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn stop(&self) {
        let _ = self.stop.send(true);
        if let Some(j) = &self.state.journal {
            j.shutdown();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether the service may listen on `addr`: loopback always; anything else only when the
/// caller said so explicitly, and then with a warning (the returned text) that without
/// `--credentials` anyone who can reach the port is served.
pub fn check_bind(
    addr: &SocketAddr,
    allow_non_loopback: bool,
    credentials: bool,
) -> Result<Option<String>, String> {
    if addr.ip().is_loopback() {
        return Ok(None);
    }
    if !allow_non_loopback {
        return Err(format!(
            "--bind {addr} is not a loopback address: the emulator would be reachable from other machines. \
             Pass --allow-non-loopback to do it anyway (and --credentials KEY:SECRET to verify signatures)."
        ));
    }
    let auth = if credentials {
        "signatures are verified against --credentials, but this is a test service, not a secure one"
    } else {
        "it has NO real authentication (any well-formed signature is accepted); give --credentials KEY:SECRET to verify signatures"
    };
    Ok(Some(format!("warning: the emulator listens on {addr}, reachable from other machines: {auth}")))
}

/// Run the service for `chimescope emulator`: print the URL line, serve until killed.
pub async fn serve_forever(opts: Options) -> std::io::Result<()> {
    server::raise_descriptor_limit();
    ignore_file_size_signal();
    let emu = Emulator::start(opts).await?;
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", emu.url())?;
        out.flush()?;
    }
    wait_for_signal().await;
    emu.stop();
    Ok(())
}

/// A write past the file size limit (`ulimit -f`) fails with EFBIG, answered as a full disk,
/// instead of killing the process with SIGXFSZ.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: SIG_IGN installs no handler code; called before the runtime's threads write files.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_binds_without_the_flag() {
        let lo: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let lo6: SocketAddr = "[::1]:0".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8000".parse().unwrap();
        assert_eq!(check_bind(&lo, false, false), Ok(None));
        assert_eq!(check_bind(&lo6, false, false), Ok(None));
        assert!(check_bind(&any, false, false).unwrap_err().contains("--allow-non-loopback"));
        let w = check_bind(&any, true, false).unwrap().unwrap();
        assert!(w.starts_with("warning:") && w.contains("NO real authentication"), "{w}");
        let w = check_bind(&any, true, true).unwrap().unwrap();
        assert!(w.contains("verified against --credentials"), "{w}");
    }
}
