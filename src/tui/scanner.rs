//! The background scan for the browser's Scan pane: the engine of `chimescope scan`
//! (`crate::scan::background`) at the rate the state asks for (`[scan] rate`, `:scan --rate`;
//! default 10 requests/s) and `[scan] concurrency` in flight (default 8), with its own client
//! making one attempt per request so that throttles reach the scan's limiter; and the Scan
//! pane's batch deregistrations (`crate::scan::batch`). One scan at a time; its checkpoint lives under the XDG state directory
//! (`scans/`), and holds no Name or token (the scan never reads them).

use super::action::ScanStart;
use crate::aws::Client;
use crate::model::Target;
use crate::scan::background::{self, Event, Handle};
use crate::scan::batch;
use crate::scan::checkpoint::{Checkpoint, Identity};
use crate::scan::{Options, Scan};
use std::path::PathBuf;
use std::sync::Arc;

/// The rate of a scan started from the browser (`chimescope scan`'s default).
pub const RATE: f64 = crate::defaults::SCAN_RATE;
/// Requests in flight (`chimescope scan`'s default).
pub const CONCURRENCY: usize = crate::defaults::SCAN_CONCURRENCY;
/// Endpoints a batch deregistration has in hand at once.
pub const BATCH_CONCURRENCY: usize = crate::defaults::BATCH_CONCURRENCY;

/// `NAME.json` → `NAME.PID.json`: a checkpoint of this process only.
fn session_path(shared: &std::path::Path) -> PathBuf {
    let stem = shared.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    shared.with_file_name(format!("{stem}.{}.json", std::process::id()))
}

/// What [`Scanner::start`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Started {
    Running,
    /// Not started: a checkpoint of this scan is on disk (ask whether to resume).
    Resumable,
}

pub struct Scanner {
    client: Arc<Client>,
    demo: bool,
    /// Where checkpoints go (None: no state directory, the scan is not resumable).
    dir: Option<PathBuf>,
    handle: Option<Handle>,
    /// Requests in flight of a scan (`[scan] concurrency`, else [`CONCURRENCY`]).
    concurrency: usize,
    /// The batch deregistration from the Scan pane, while it runs.
    batch: Option<batch::Handle>,
    /// Throttles in a row after which a scan stops (`[scan] max_throttles`).
    max_throttles: u64,
    /// Checkpoints of this session only (see [`Scanner::start`]), removed on the way out.
    own: Vec<PathBuf>,
    /// A scan with the doctor's checks reads the Pinpoint apps too (off: `--no-pinpoint`,
    /// `[doctor] pinpoint = false`).
    pinpoint: bool,
}

impl Scanner {
    /// A scanner with a client like the browser's, but making one attempt per request.
    pub async fn new(browser: &Client) -> Self {
        let mut opts = browser.options().clone();
        opts.max_attempts = 1;
        let demo = matches!(browser.target(), Target::Demo(_));
        let client = match (&opts.endpoint_url, demo) {
            (Some(url), true) => Client::demo(&url.clone(), opts).await,
            _ => Client::new(opts).await,
        };
        Self::with(client, demo, crate::store::paths::state_dir().map(|d| d.join("scans")))
    }

    /// The requests in flight of the scans started from now on.
    pub fn set_concurrency(&mut self, n: usize) {
        self.concurrency = n.max(1);
    }

    /// The throttles in a row after which the scans started from now on stop.
    pub fn set_max_throttles(&mut self, n: u64) {
        self.max_throttles = n.max(1);
    }

    /// Whether scans with the doctor's checks read the Pinpoint apps.
    pub fn set_pinpoint(&mut self, on: bool) {
        self.pinpoint = on;
    }

    /// After a context switch: scans started from now on go where the new client goes (one
    /// that runs keeps its client).
    pub async fn switch(&mut self, browser: &Client) {
        let next = Self::new(browser).await;
        self.client = next.client;
        self.demo = next.demo;
    }

    /// A scanner with this client (one attempt per request), keeping checkpoints in `dir`.
    pub fn with(client: Client, demo: bool, dir: Option<PathBuf>) -> Self {
        Self {
            client: Arc::new(client),
            demo,
            dir,
            handle: None,
            concurrency: CONCURRENCY,
            batch: None,
            max_throttles: crate::scan::DEFAULT_MAX_THROTTLES,
            own: Vec::new(),
            pinpoint: true,
        }
    }

    /// The checkpoint of a scan of `instance`.
    pub fn checkpoint_path(&self, instance: &str) -> Option<PathBuf> {
        let name: String =
            instance.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        self.dir.as_ref().map(|d| d.join(format!("{name}.json")))
    }

    /// Start a scan of `instance` at `rate` requests/s (stopping one that runs).
    pub fn start(
        &mut self,
        instance: &str,
        resume: ScanStart,
        rate: f64,
        diagnose: bool,
    ) -> Result<Started, String> {
        let arn = crate::model::parse_instance_arn(instance).map_err(|e| e.to_string())?;
        // A scan with the doctor's checks keeps a checkpoint of its own.
        let path = self
            .checkpoint_path(instance)
            .map(|p| if diagnose { p.with_extension("diagnose.json") } else { p });
        // Another chimescope (a browser sharing the state directory, a `scan --checkpoint` of
        // the same file) is scanning this instance: this session keeps a checkpoint of its own,
        // named by its process ID, never the other's.
        let path = path.map(|p| {
            let other =
                crate::scan::checkpoint::holder(&p).is_some_and(|pid| pid != Some(std::process::id()));
            if other {
                let own = session_path(&p);
                if !self.own.contains(&own) {
                    self.own.push(own.clone());
                }
                own
            } else {
                p
            }
        });
        if let Some(p) = &path {
            let cp = Checkpoint::new(p);
            match resume {
                ScanStart::Ask if p.exists() => return Ok(Started::Resumable),
                ScanStart::Over => cp.remove().map_err(|e| format!("cannot remove the checkpoint: {e}"))?,
                _ => {}
            }
            if let Some(dir) = &self.dir {
                crate::store::files::ensure_private_dir(dir)
                    .map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
            }
        }
        self.stop();
        let opts = Options {
            app_instance_arn: instance.to_string(),
            rate,
            concurrency: self.concurrency,
            describe: diagnose,
            diagnose,
            pinpoint: diagnose && self.pinpoint,
            all_rows: false,
            max_throttles: self.max_throttles,
        };
        let identity = Identity {
            app_instance_arn: instance.to_string(),
            describe: opts.describe,
            diagnose: opts.diagnose,
            pinpoint: opts.pinpoint,
            all_rows: false,
            region: self.client.region_for(Some(arn.region())),
            // The demo's port changes from run to run; its data does not.
            endpoint_url: if self.demo { Some("demo".into()) } else { self.client.endpoint_url() },
        };
        let scan = Scan::open(opts, identity, path.as_deref()).map_err(|e| background::describe_error(&e))?;
        self.handle = Some(background::spawn(self.client.clone(), scan));
        Ok(Started::Running)
    }

    /// Stop the running scan, its checkpoint kept.
    pub fn stop(&mut self) {
        if let Some(h) = self.handle.as_mut() {
            h.stop();
        }
    }

    /// On the way out: stop the running scan and give it `within` to save its checkpoint, and
    /// stop a running batch, giving the endpoints in hand as long to finish.
    pub async fn finish(&mut self, within: std::time::Duration) {
        self.stop_batch();
        if self.handle.is_some() {
            self.stop();
        }
        let _ = tokio::time::timeout(within, async {
            while self.handle.is_some() && !matches!(self.next().await, Event::Done(_)) {}
            while self.batch.is_some() && !matches!(self.next_batch().await, batch::Event::Done { .. }) {}
        })
        .await;
        for p in self.own.drain(..) {
            // Locked first: its scan has ended (a scan still saving keeps it).
            let mut cp = Checkpoint::new(&p);
            if let Err(e) =
                cp.lock().map_err(|e| format!("{e:?}")).and_then(|()| cp.remove().map_err(|e| e.to_string()))
            {
                tracing::warn!(error = %e, "a session checkpoint not removed");
            }
        }
    }

    /// Deregister `items` at `rate` requests/s (one batch at a time: the state starts no
    /// other while one runs), with the scan's client.
    pub fn start_batch(&mut self, items: Vec<batch::Item>, rate: f64) {
        self.stop_batch();
        self.batch = Some(batch::spawn(self.client.clone(), items, rate, BATCH_CONCURRENCY));
    }

    /// Stop the batch: the endpoints in hand finish, the rest are not sent.
    pub fn stop_batch(&mut self) {
        if let Some(b) = &self.batch {
            b.stop();
        }
    }

    /// The next event of the batch; never completes while none runs.
    pub async fn next_batch(&mut self) -> batch::Event {
        next_batch_of(&mut self.batch).await
    }

    /// The next event of the scan; never completes while none runs.
    pub async fn next(&mut self) -> Event {
        next_of(&mut self.handle).await
    }

    /// The next event of the scan or of the batch; never completes while neither runs.
    pub async fn next_any(&mut self) -> Next {
        tokio::select! {
            ev = next_of(&mut self.handle) => Next::Scan(ev),
            ev = next_batch_of(&mut self.batch) => Next::Batch(ev),
        }
    }
}

/// An event of the scan or of the batch.
#[derive(Debug)]
pub enum Next {
    Scan(Event),
    Batch(batch::Event),
}

async fn next_of(handle: &mut Option<Handle>) -> Event {
    loop {
        match handle.as_mut() {
            Some(h) => match h.events.recv().await {
                Some(ev) => {
                    if matches!(ev, Event::Done(_)) {
                        *handle = None;
                    }
                    return ev;
                }
                None => *handle = None,
            },
            None => std::future::pending::<()>().await,
        }
    }
}

async fn next_batch_of(handle: &mut Option<batch::Handle>) -> batch::Event {
    loop {
        match handle.as_mut() {
            Some(h) => match h.events.recv().await {
                Some(ev) => {
                    if matches!(ev, batch::Event::Done { .. }) {
                        *handle = None;
                    }
                    return ev;
                }
                None => *handle = None,
            },
            None => std::future::pending::<()>().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ClientOptions;
    use crate::emulator::{self, Emulator, Store};

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/sc";

    /// 40 users, one endpoint each with a Name and device tokens; every 5th INACTIVE.
    async fn emulator() -> Emulator {
        let eps: Vec<_> = (0..40)
            .map(|u| {
                serde_json::json!({
                    "AppInstanceUserArn": format!("{INST}/user/u{u:03}"), "EndpointId": format!("e{u:03}"),
                    "Name": format!("secret-name-{u}"),
                    "Type": "APNS", "ResourceArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/x",
                    "EndpointAttributes": {"DeviceToken": format!("secret-token-{u}"), "VoipDeviceToken": format!("secret-voip-{u}")},
                    "AllowMessages": "ALL",
                    "EndpointState": if u % 5 == 0 {
                        serde_json::json!({"Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN"})
                    } else {
                        serde_json::json!({"Status": "ACTIVE"})
                    }
                })
            })
            .collect();
        let seed = serde_json::json!({"AppInstances": [{"AppInstanceArn": INST, "Name": "sc"}], "AppInstanceUserEndpoints": eps});
        let store = Store::from_seed_str(&seed.to_string(), "sc").unwrap();
        Emulator::start(emulator::Options { store, ..Default::default() }).await.unwrap()
    }

    async fn until_done(s: &mut Scanner) -> (Vec<String>, Result<crate::scan::Outcome, String>) {
        let mut ids = Vec::new();
        loop {
            match s.next().await {
                Event::CannotReceive(r) => ids.push(r.endpoint_id),
                Event::Done(d) => return (ids, d),
                Event::Progress(_) => {}
            }
        }
    }

    /// Stopped, the checkpoint stays (holding no Name or token); started again it is offered,
    /// and resumed it finds them all.
    #[tokio::test]
    async fn a_stopped_scan_keeps_a_checkpoint_without_secrets_and_resumes() {
        let emu = emulator().await;
        let dir = tempfile::tempdir().unwrap();
        let client = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..Default::default() }).await;
        let mut s = Scanner::with(client, true, Some(dir.path().join("scans")));
        assert_eq!(s.start(INST, ScanStart::Ask, RATE, false), Ok(Started::Running));
        // At 10 requests/s the 41 requests take seconds: stop at the first find.
        loop {
            match s.next().await {
                Event::CannotReceive(_) => break,
                Event::Done(d) => panic!("ended first: {d:?}"),
                Event::Progress(_) => {}
            }
        }
        s.stop();
        let (_, done) = until_done(&mut s).await;
        assert_eq!(done, Ok(crate::scan::Outcome::Stopped));
        let cp = s.checkpoint_path(INST).unwrap();
        let rows_path = Checkpoint::new(&cp).rows_path();
        let mut kept = std::fs::read_to_string(&cp).unwrap();
        kept.push_str(&std::fs::read_to_string(&rows_path).unwrap());
        assert!(kept.contains("e000"), "the first find is kept: {kept}");
        assert!(!kept.contains("secret"), "no Name or token on disk: {kept}");
        // Started again: not run, offered.
        assert_eq!(s.start(INST, ScanStart::Ask, RATE, false), Ok(Started::Resumable));
        assert_eq!(s.start(INST, ScanStart::Resume, RATE, false), Ok(Started::Running));
        let (mut ids, done) = until_done(&mut s).await;
        assert_eq!(done, Ok(crate::scan::Outcome::Finished));
        ids.sort();
        assert_eq!(ids, ["e000", "e005", "e010", "e015", "e020", "e025", "e030", "e035"]);
        assert!(!cp.exists(), "a finished scan's checkpoint goes");
    }

    /// A checkpoint held by another process (another browser sharing the state
    /// directory) is never shared: this session scans with one of its own, removed on the way
    /// out, and the other is left as it was.
    #[tokio::test]
    async fn a_checkpoint_held_elsewhere_is_not_shared_and_the_sessions_own_is_removed() {
        let emu = emulator().await;
        let dir = tempfile::tempdir().unwrap();
        let client = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..Default::default() }).await;
        let mut s = Scanner::with(client, true, Some(dir.path().join("scans")));
        let shared = s.checkpoint_path(INST).unwrap();
        std::fs::create_dir_all(shared.parent().unwrap()).unwrap();
        // The other holder: process 1 as far as the lock file says (the lock taken on an open
        // file of its own, which excludes this one's as another process's would).
        let lock = crate::store::lock::lock_path(&shared);
        std::fs::write(&lock, "1\n").unwrap();
        let held = std::fs::File::open(&lock).unwrap();
        fs4::fs_std::FileExt::lock_exclusive(&held).unwrap();
        assert_eq!(crate::scan::checkpoint::holder(&shared), Some(Some(1)));
        assert_eq!(s.start(INST, ScanStart::Ask, RATE, false), Ok(Started::Running));
        while !matches!(s.next().await, Event::CannotReceive(_)) {}
        let own = session_path(&shared);
        assert!(own.exists(), "this session's checkpoint: {}", own.display());
        assert!(!shared.exists(), "the other's untouched");
        s.finish(std::time::Duration::from_secs(30)).await;
        assert!(!own.exists(), "removed on the way out");
        assert!(
            lock.exists() && shared.parent().unwrap().read_dir().unwrap().count() == 1,
            "only the other's lock"
        );
        drop(held);
    }

    /// Quitting with a scan running stops it and waits for its checkpoint.
    #[tokio::test]
    async fn finish_stops_a_running_scan_keeping_its_checkpoint() {
        let emu = emulator().await;
        let dir = tempfile::tempdir().unwrap();
        let client = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..Default::default() }).await;
        let mut s = Scanner::with(client, true, Some(dir.path().join("scans")));
        assert_eq!(s.start(INST, ScanStart::Ask, RATE, false), Ok(Started::Running));
        while !matches!(s.next().await, Event::CannotReceive(_)) {}
        s.finish(std::time::Duration::from_secs(30)).await;
        assert!(s.handle.is_none(), "the scan ended");
        assert!(s.checkpoint_path(INST).unwrap().exists());
        assert_eq!(s.start(INST, ScanStart::Ask, RATE, false), Ok(Started::Resumable));
    }
}
