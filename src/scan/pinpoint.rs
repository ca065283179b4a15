//! The scan's Pinpoint checks (`--diagnose` without `--no-pinpoint`): the doctor's
//! [`pinpoint::plan`], [`pinpoint::fetch`] and [`pinpoint::findings`] for each described
//! endpoint, through [`Checks`], a [`PinpointReads`] that reads each app (GetApp) and each of its
//! channels (Get*Channel) once per scan and answers every later endpoint from its cache.
//!
//! - **Once:** an answer is kept per (region, app ID) and per channel of that app, in a
//!   [`tokio::sync::OnceCell`]: endpoints asking for the same app while its read is in flight
//!   wait for that read instead of sending another one.
//! - **Bounded:** at most [`CACHE_APPS`] apps are kept; past that the oldest is forgotten (and
//!   read again if another endpoint names it), so memory stays flat however many apps the
//!   ResourceArns name.
//! - **Its own pace:** Pinpoint is another API with its own quota, so these reads do not pass
//!   the Identity [`Gate`](super::rate::Gate); at most [`IN_FLIGHT`] are in flight. A throttled
//!   or passing failure is sent again, up to [`ATTEMPTS`] times in all, after a pause; a read
//!   that still fails is the doctor's `pinpoint-unreachable` (a warning), never the scan's
//!   failure. Every read sent is counted ([`Checks::requests`]), retries included.

use crate::doctor::Finding;
use crate::doctor::pinpoint::{self, PinpointReads};
use crate::model::{ChannelInfo, Endpoint, ErrorKind, PinpointApp, PinpointChannel, ServiceError};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OnceCell, Semaphore};

/// The most apps whose answers are kept.
pub const CACHE_APPS: usize = 1024;
/// The most Pinpoint reads in flight.
pub const IN_FLIGHT: usize = 4;
/// Attempts for a read that is throttled or fails for a passing reason.
pub const ATTEMPTS: u32 = 4;

type Cell<T> = Arc<OnceCell<Result<T, ServiceError>>>;

/// One app's answers, as they come.
#[derive(Default)]
struct Entry {
    app: Cell<PinpointApp>,
    channels: HashMap<PinpointChannel, Cell<ChannelInfo>>,
}

/// (region, app ID).
type Key = (String, String);

#[derive(Default)]
struct Cache {
    apps: HashMap<Key, Entry>,
    /// Insertion order, for forgetting the oldest.
    order: VecDeque<Key>,
}

impl Cache {
    fn entry(&mut self, region: &str, app_id: &str, cap: usize) -> &mut Entry {
        let key = (region.to_string(), app_id.to_string());
        if !self.apps.contains_key(&key) {
            while self.apps.len() >= cap.max(1) {
                let Some(old) = self.order.pop_front() else { break };
                self.apps.remove(&old);
            }
            self.order.push_back(key.clone());
        }
        self.apps.entry(key).or_default()
    }
}

/// The Pinpoint reads of one scan run, cached (see the module's comment).
pub struct Checks<'a, R> {
    reads: &'a R,
    cache: Mutex<Cache>,
    cap: usize,
    permits: Semaphore,
    requests: AtomicU64,
    pause: Duration,
    attempts: u32,
}

impl<'a, R: PinpointReads + Sync> Checks<'a, R> {
    /// For a scan, whose client makes one attempt per request: a read is sent again here.
    pub fn new(reads: &'a R) -> Self {
        Self::with(reads, CACHE_APPS, Duration::from_millis(200))
    }

    /// For a client that retries by itself (`chimescope doctor`): each read sent once.
    pub fn once(reads: &'a R) -> Self {
        Self { attempts: 1, ..Self::new(reads) }
    }

    /// With another cache size and first pause (tests).
    pub fn with(reads: &'a R, cap: usize, pause: Duration) -> Self {
        Self {
            reads,
            cache: Mutex::new(Cache::default()),
            cap,
            permits: Semaphore::new(IN_FLIGHT),
            requests: AtomicU64::new(0),
            pause,
            attempts: ATTEMPTS,
        }
    }

    /// The Pinpoint reads sent so far, retries included.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// How many apps are cached.
    pub fn cached_apps(&self) -> usize {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).apps.len()
    }

    /// The Pinpoint findings of one endpoint (none when its ResourceArn names no app that can
    /// be read: the record findings say why).
    pub async fn findings(&self, ep: &Endpoint) -> Vec<Finding> {
        match pinpoint::plan(ep) {
            Some(plan) => pinpoint::findings(&pinpoint::fetch(self, plan).await),
            None => Vec::new(),
        }
    }

    fn app_cell(&self, region: &str, app_id: &str) -> Cell<PinpointApp> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.entry(region, app_id, self.cap).app.clone()
    }

    fn channel_cell(&self, region: &str, app_id: &str, channel: PinpointChannel) -> Cell<ChannelInfo> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.entry(region, app_id, self.cap).channels.entry(channel).or_default().clone()
    }

    /// One read, at most [`IN_FLIGHT`] at a time, sent again when throttled or failing for a
    /// passing reason.
    async fn read<T, F, Fut>(&self, send: F) -> Result<T, ServiceError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ServiceError>>,
    {
        let mut attempt = 1;
        loop {
            let answer = {
                // The semaphore is never closed; were it, the read goes unpaced.
                let _permit = self.permits.acquire().await.ok();
                self.requests.fetch_add(1, Ordering::Relaxed);
                send().await
            };
            match answer {
                Err(e) if again(e.kind) && attempt < self.attempts => {
                    tokio::time::sleep(self.pause * (1 << (attempt - 1))).await;
                    attempt += 1;
                }
                r => return r,
            }
        }
    }
}

fn again(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Throttled
            | ErrorKind::ServiceFailure
            | ErrorKind::ServiceUnavailable
            | ErrorKind::Network
            | ErrorKind::Timeout
    )
}

impl<R: PinpointReads + Sync> PinpointReads for Checks<'_, R> {
    async fn get_app(&self, region: &str, app_id: &str) -> Result<PinpointApp, ServiceError> {
        let cell = self.app_cell(region, app_id);
        cell.get_or_init(|| self.read(|| self.reads.get_app(region, app_id))).await.clone()
    }

    async fn get_channel(
        &self,
        region: &str,
        app_id: &str,
        channel: PinpointChannel,
    ) -> Result<ChannelInfo, ServiceError> {
        let cell = self.channel_cell(region, app_id, channel);
        cell.get_or_init(|| self.read(|| self.reads.get_channel(region, app_id, channel))).await.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EndpointType, ServiceError};
    use std::sync::atomic::AtomicUsize;

    const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";

    fn app(id: usize) -> String {
        format!("arn:aws:mobiletargeting:us-east-1:123456789012:apps/{id:032x}")
    }

    fn ep(kind: EndpointType, app_id: usize) -> Endpoint {
        Endpoint {
            app_instance_user_arn: Some(USER.into()),
            endpoint_id: Some("ep".into()),
            endpoint_type: Some(kind),
            resource_arn: Some(app(app_id)),
            device_token: Some("ab".repeat(32)),
            ..Endpoint::default()
        }
    }

    /// Answers after a yield (so reads overlap), counting what is asked and the most in flight;
    /// the first `throttle` reads are throttled.
    #[derive(Default)]
    struct Fake {
        asked: Mutex<Vec<String>>,
        inflight: AtomicUsize,
        most: AtomicUsize,
        throttle: AtomicUsize,
        missing_app: Option<usize>,
    }

    impl Fake {
        async fn answer<T: Default>(&self, what: String) -> Result<T, ServiceError> {
            let now = self.inflight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(2)).await;
            self.inflight.fetch_sub(1, Ordering::SeqCst);
            let missing = self.missing_app.is_some_and(|id| what.contains(&format!("{id:032x}")));
            self.asked.lock().unwrap().push(what);
            if self.throttle.load(Ordering::SeqCst) > 0 {
                self.throttle.fetch_sub(1, Ordering::SeqCst);
                return Err(ServiceError::new(ErrorKind::Throttled, "slow down", "GetApp"));
            }
            if missing {
                return Err(ServiceError::new(ErrorKind::NotFound, "no such app", "GetApp"));
            }
            Ok(T::default())
        }
    }

    impl PinpointReads for Fake {
        fn get_app(
            &self,
            _region: &str,
            app_id: &str,
        ) -> impl Future<Output = Result<PinpointApp, ServiceError>> + Send {
            self.answer(format!("GetApp {app_id}"))
        }
        fn get_channel(
            &self,
            _region: &str,
            app_id: &str,
            channel: PinpointChannel,
        ) -> impl Future<Output = Result<ChannelInfo, ServiceError>> + Send {
            self.answer(format!("{} {app_id}", channel.operation()))
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn each_app_and_channel_is_read_once_however_many_endpoints_ask_at_once() {
        let fake = Fake { missing_app: Some(9), ..Fake::default() };
        let checks = Checks::with(&fake, CACHE_APPS, Duration::from_millis(1));
        // 300 endpoints at once: two apps, each with APNS and GCM endpoints, and a missing app.
        let eps: Vec<Endpoint> = (0..300)
            .map(|i| {
                let kind = if i % 2 == 0 { EndpointType::Apns } else { EndpointType::Gcm };
                ep(kind, [1, 2, 9][i % 3])
            })
            .collect();
        let all = futures_util::future::join_all(eps.iter().map(|e| checks.findings(e))).await;
        let mut asked = fake.asked.lock().unwrap().clone();
        asked.sort();
        let id = |n: usize| format!("{n:032x}");
        let mut want = vec![
            format!("GetApnsChannel {}", id(1)),
            format!("GetApnsChannel {}", id(2)),
            format!("GetApp {}", id(1)),
            format!("GetApp {}", id(2)),
            format!("GetApp {}", id(9)),
            format!("GetGcmChannel {}", id(1)),
            format!("GetGcmChannel {}", id(2)),
        ];
        want.sort();
        assert_eq!(asked, want, "the missing app's channels are not read");
        assert_eq!(checks.requests(), 7);
        assert!(fake.most.load(Ordering::SeqCst) <= IN_FLIGHT, "{}", fake.most.load(Ordering::SeqCst));
        for (e, f) in eps.iter().zip(&all) {
            let codes: Vec<_> = f.iter().map(|f| f.code).collect();
            if e.resource_arn.as_deref() == Some(app(9).as_str()) {
                assert_eq!(codes, ["pinpoint-app-missing"]);
            } else {
                assert!(codes.is_empty(), "{codes:?}");
            }
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_throttled_read_is_sent_again_and_counted_and_the_cache_is_bounded() {
        let fake = Fake { throttle: AtomicUsize::new(2), ..Fake::default() };
        let checks = Checks::with(&fake, 3, Duration::from_millis(1));
        assert!(checks.findings(&ep(EndpointType::Gcm, 1)).await.is_empty(), "answered in the end");
        assert_eq!(checks.requests(), 4, "GetApp twice throttled, then GetApp and GetGcmChannel");
        for id in 2..=10 {
            checks.findings(&ep(EndpointType::Gcm, id)).await;
        }
        assert_eq!(checks.cached_apps(), 3, "only the last apps are kept");
        let before = checks.requests();
        checks.findings(&ep(EndpointType::Gcm, 10)).await;
        assert_eq!(checks.requests(), before, "a kept app is not read again");
        checks.findings(&ep(EndpointType::Gcm, 1)).await;
        assert_eq!(checks.requests(), before + 2, "a forgotten one is");
        // Throttled on every attempt: pinpoint-unreachable, after ATTEMPTS reads.
        let fake = Fake { throttle: AtomicUsize::new(100), ..Fake::default() };
        let checks = Checks::with(&fake, 3, Duration::from_millis(1));
        let f = checks.findings(&ep(EndpointType::Gcm, 1)).await;
        assert_eq!(f.iter().map(|f| f.code).collect::<Vec<_>>(), ["pinpoint-unreachable"]);
        assert_eq!(checks.requests(), u64::from(ATTEMPTS) * 2);
    }
}
