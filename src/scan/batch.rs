//! Deregistering many endpoints at once (the endpoints a scan found that cannot
//! receive), at the scan's rate. Each endpoint is described first: one that can receive by now
//! (ACTIVE, AllowMessages ALL) is left alone, one already gone is said to be gone, and the rest
//! are deregistered, the removed record kept for the answer (so that it can be registered
//! again). Every request goes through the scan's [`Gate`] and is counted: a throttled one lowers
//! the rate and is sent again; a 5xx, network failure or timeout is sent again up to three
//! times. A deregistration whose answer was lost and whose retry finds the endpoint gone was
//! applied. [`Handle::stop`] stops before the next endpoint; those not started are reported as
//! not sent, so nothing is left in doubt.

use crate::aws::Client;
use crate::jobs::rate::Gate;
use crate::model::write::Write;
use crate::model::{Endpoint, ErrorKind, Health, ServiceError};
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;

/// Attempts for a request that fails for a passing reason (5xx, network, timeout).
const TRANSIENT_ATTEMPTS: u32 = 3;

/// One endpoint to deregister.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub user_arn: String,
    pub endpoint_id: String,
}

/// What became of one endpoint.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Deregistered; the record as it was just before.
    Deregistered(Box<Endpoint>),
    /// Left alone, and why (it can receive by now).
    Skipped(String),
    /// Already gone (deregistered by someone else since the scan).
    Gone,
    /// The service refused: nothing changed.
    Failed(ServiceError),
    /// The deregistration was sent and its answer lost (timeout, network, a bad answer): it
    /// may have been applied.
    Unsure(ServiceError),
    /// Not sent: the batch was stopped first.
    NotSent,
}

/// What a running batch tells.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// Item `index` (of the list given) is done.
    Item { index: usize, outcome: Outcome },
    /// Requests sent so far, how many were throttled, and the rate now.
    Progress { requests: u64, throttled: u64, rate: f64 },
    /// Every item has its outcome; `stopped`: some were not sent.
    Done { stopped: bool },
}

/// A running batch.
pub struct Handle {
    pub events: mpsc::UnboundedReceiver<Event>,
    stop: Arc<AtomicBool>,
}

impl Handle {
    /// Stop before the next endpoint; those in flight finish (at most two requests each).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

struct Shared {
    client: Arc<Client>,
    gate: Gate,
    stop: Arc<AtomicBool>,
    requests: AtomicU64,
    throttled: AtomicU64,
}

impl Shared {
    /// One request through the gate; throttled, sent again; a passing failure, up to
    /// [`TRANSIENT_ATTEMPTS`] times. `retried` says, for a result, whether an earlier attempt of
    /// the same request had been sent and its answer lost.
    async fn send<T, F, Fut>(&self, f: F) -> (Result<T, ServiceError>, bool)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, ServiceError>>,
    {
        let mut failures = 0;
        loop {
            let ticket = self.gate.acquire().await;
            self.requests.fetch_add(1, Ordering::Relaxed);
            match f().await {
                Err(e) if e.kind == ErrorKind::Throttled => {
                    self.throttled.fetch_add(1, Ordering::Relaxed);
                    self.gate.throttled(ticket);
                }
                Err(e) if super::transient(e.kind) && failures + 1 < TRANSIENT_ATTEMPTS => {
                    failures += 1;
                    tokio::time::sleep(Duration::from_millis(250 << failures)).await;
                }
                r => return (r, failures > 0),
            }
        }
    }

    async fn one(&self, item: &Item) -> Outcome {
        let w = Write::Deregister { user_arn: item.user_arn.clone(), endpoint_id: item.endpoint_id.clone() };
        if let Err(e) = w.validate() {
            return Outcome::Failed(ServiceError::invalid_input(&e));
        }
        let (found, _) = self.send(|| self.client.describe_endpoint(&item.user_arn, &item.endpoint_id)).await;
        let record = match found {
            Ok(r) => r,
            Err(e) if e.kind == ErrorKind::NotFound => return Outcome::Gone,
            Err(e) => return Outcome::Failed(e),
        };
        if record.health() == Health::Ok {
            return Outcome::Skipped("it can receive now (ACTIVE, AllowMessages ALL)".into());
        }
        if self.stop.load(Ordering::Relaxed) {
            return Outcome::NotSent;
        }
        match self.send(|| self.client.deregister_only(&item.user_arn, &item.endpoint_id)).await {
            (Ok(()), _) => Outcome::Deregistered(Box::new(record)),
            // An earlier attempt's answer was lost, and the endpoint is gone now: it was applied.
            (Err(e), true) if e.kind == ErrorKind::NotFound => Outcome::Deregistered(Box::new(record)),
            (Err(e), _) if e.kind == ErrorKind::NotFound => Outcome::Gone,
            (Err(e), _)
                if matches!(e.kind, ErrorKind::Timeout | ErrorKind::Network | ErrorKind::InvalidResponse) =>
            {
                Outcome::Unsure(e)
            }
            (Err(e), _) => Outcome::Failed(e),
        }
    }

    fn progress(&self) -> Event {
        Event::Progress {
            requests: self.requests.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            rate: self.gate.rate(),
        }
    }
}

/// Deregister `items` in a tokio task (on the current runtime) with `client`, which should make
/// one attempt per request (`ClientOptions::max_attempts = 1`) so that throttles reach the gate,
/// at most `rate` requests a second and `concurrency` endpoints at a time.
pub fn spawn(client: Arc<Client>, items: Vec<Item>, rate: f64, concurrency: usize) -> Handle {
    let (tx, events) = mpsc::unbounded_channel();
    let stop = Arc::new(AtomicBool::new(false));
    let shared = Arc::new(Shared {
        client,
        gate: Gate::new(rate),
        stop: stop.clone(),
        requests: AtomicU64::new(0),
        throttled: AtomicU64::new(0),
    });
    tokio::spawn(async move {
        let mut next = 0;
        let mut running = FuturesUnordered::new();
        let mut stopped = false;
        loop {
            while running.len() < concurrency.max(1) && next < items.len() {
                if shared.stop.load(Ordering::Relaxed) {
                    stopped = true;
                    break;
                }
                let (i, item, s) = (next, items[next].clone(), shared.clone());
                running.push(async move { (i, s.one(&item).await) });
                next += 1;
            }
            match running.next().await {
                Some((index, outcome)) => {
                    stopped |= outcome == Outcome::NotSent;
                    let _ = tx.send(Event::Item { index, outcome });
                    let _ = tx.send(shared.progress());
                }
                None => break,
            }
        }
        for index in next..items.len() {
            stopped = true;
            let _ = tx.send(Event::Item { index, outcome: Outcome::NotSent });
        }
        let _ = tx.send(Event::Done { stopped });
    });
    Handle { events, stop }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ClientOptions;
    use crate::emulator::{self, Emulator, Store};

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/b";

    fn user(u: usize) -> String {
        format!("{INST}/user/u{u}")
    }

    /// Six users with one endpoint each: u0–u3 INACTIVE, u4 ACTIVE and muted, u5 ACTIVE and ALL.
    async fn emulator(quota: Option<(&str, f64)>) -> Emulator {
        let eps: Vec<_> = (0..6)
            .map(|u| {
                serde_json::json!({
                    "AppInstanceUserArn": user(u), "EndpointId": format!("e{u}"),
                    "Type": "GCM", "ResourceArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/x",
                    "EndpointAttributes": {"DeviceToken": format!("tok-{u}")},
                    "AllowMessages": if u == 4 { "NONE" } else { "ALL" },
                    "EndpointState": if u < 4 {
                        serde_json::json!({"Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN"})
                    } else {
                        serde_json::json!({"Status": "ACTIVE"})
                    }
                })
            })
            .collect();
        let seed = serde_json::json!({"AppInstances": [{"AppInstanceArn": INST, "Name": "b"}], "AppInstanceUserEndpoints": eps});
        let store = Store::from_seed_str(&seed.to_string(), "b").unwrap();
        let quotas = quota.map(|(op, r)| vec![(op.to_string(), r)]).unwrap_or_default();
        Emulator::start(emulator::Options { store, quotas, ..Default::default() }).await.unwrap()
    }

    async fn client(emu: &Emulator) -> Arc<Client> {
        Arc::new(Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..Default::default() }).await)
    }

    async fn run(h: &mut Handle, n: usize) -> (Vec<Option<Outcome>>, bool, u64, u64) {
        let mut out = vec![None; n];
        let (mut requests, mut throttled) = (0, 0);
        loop {
            match h.events.recv().await.expect("the batch ends with Done") {
                Event::Item { index, outcome } => {
                    assert!(out[index].is_none(), "one outcome per item");
                    out[index] = Some(outcome);
                }
                Event::Progress { requests: r, throttled: t, .. } => (requests, throttled) = (r, t),
                Event::Done { stopped } => return (out, stopped, requests, throttled),
            }
        }
    }

    fn items(users: &[usize]) -> Vec<Item> {
        users.iter().map(|&u| Item { user_arn: user(u), endpoint_id: format!("e{u}") }).collect()
    }

    async fn exists(c: &Client, u: usize) -> bool {
        c.describe_endpoint(&user(u), &format!("e{u}")).await.is_ok()
    }

    #[tokio::test]
    async fn deregisters_what_cannot_receive_leaves_what_can_and_names_what_is_gone() {
        let emu = emulator(None).await;
        let c = client(&emu).await;
        // e3 is deregistered by someone else first.
        c.deregister_only(&user(3), "e3").await.unwrap();
        let mut h = spawn(c.clone(), items(&[0, 1, 3, 4, 5]), 1000.0, 2);
        let (out, stopped, requests, _) = run(&mut h, 5).await;
        assert!(!stopped);
        let out: Vec<Outcome> = out.into_iter().map(Option::unwrap).collect();
        assert!(
            matches!(&out[0], Outcome::Deregistered(r) if r.endpoint_id.as_deref() == Some("e0")
            && r.device_token.as_deref() == Some("tok-0")),
            "the removed record comes back: {:?}",
            out[0]
        );
        assert!(matches!(&out[1], Outcome::Deregistered(_)));
        assert_eq!(out[2], Outcome::Gone);
        assert!(matches!(&out[3], Outcome::Deregistered(_)), "muted cannot receive: {:?}", out[3]);
        assert!(matches!(&out[4], Outcome::Skipped(why) if why.contains("can receive")), "{:?}", out[4]);
        for (u, there) in [(0, false), (1, false), (2, true), (4, false), (5, true)] {
            assert_eq!(exists(&c, u).await, there, "u{u}");
        }
        // A describe each, and a deregistration for each of the three.
        assert_eq!(requests, 5 + 3);
    }

    #[tokio::test]
    async fn at_the_account_s_rate_the_quota_is_never_met() {
        // The account's whole budget is the batch's rate: a bucket of 5/s (burst 5) against the
        // batch's 5/s (burst 1) never runs dry, however the requests are timed; the 10 requests
        // sent at once would meet it.
        let emu = emulator(Some(("*", 5.0))).await;
        let c = client(&emu).await;
        let mut h = spawn(c.clone(), items(&[0, 1, 2, 3, 4]), 5.0, 4);
        let (out, _, requests, throttled) = run(&mut h, 5).await;
        assert_eq!(throttled, 0, "{out:?}");
        assert_eq!(requests, 10, "a describe and a deregistration each");
    }

    #[tokio::test]
    async fn a_throttled_batch_slows_down_and_loses_nothing() {
        let emu = emulator(Some(("DeregisterAppInstanceUserEndpoint", 1.0))).await;
        let c = client(&emu).await;
        let mut h = spawn(c.clone(), items(&[0, 1, 2, 3]), 50.0, 4);
        let (out, stopped, requests, throttled) = run(&mut h, 4).await;
        assert!(!stopped);
        assert!(out.iter().all(|o| matches!(o, Some(Outcome::Deregistered(_)))), "{out:?}");
        assert!(throttled > 0, "the quota of 1/s was met");
        assert_eq!(requests, 8 + throttled, "each throttled request sent again, and counted");
        for u in 0..4 {
            assert!(!exists(&c, u).await);
        }
    }

    #[tokio::test]
    async fn stopped_it_sends_no_more_and_every_item_is_accounted_for() {
        let emu = emulator(None).await;
        let c = client(&emu).await;
        // Stopped before its task first runs (the test's runtime has one thread): nothing sent.
        let mut h = spawn(c.clone(), items(&[0, 1, 2]), 1.0, 1);
        h.stop();
        let (out, stopped, requests, _) = run(&mut h, 3).await;
        assert!(stopped);
        assert!(out.iter().all(|o| o.as_ref() == Some(&Outcome::NotSent)), "{out:?}");
        assert_eq!(requests, 0);
        for u in 0..3 {
            assert!(exists(&c, u).await, "u{u} untouched");
        }
        // Stopped once the first is done: the one in flight finishes, the rest are not sent.
        let mut h = spawn(c.clone(), items(&[0, 1, 2, 3]), 1000.0, 1);
        let first = loop {
            if let Some(Event::Item { index, outcome }) = h.events.recv().await {
                break (index, outcome);
            }
        };
        h.stop();
        assert!(matches!(first, (0, Outcome::Deregistered(_))), "{first:?}");
        let mut rest = Vec::new();
        while let Some(ev) = h.events.recv().await {
            match ev {
                Event::Item { index, outcome } => rest.push((index, outcome)),
                Event::Done { stopped } => {
                    assert!(stopped);
                    break;
                }
                Event::Progress { .. } => {}
            }
        }
        let not_sent: Vec<usize> =
            rest.iter().filter(|(_, o)| *o == Outcome::NotSent).map(|(i, _)| *i).collect();
        assert_eq!(rest.len(), 3, "{rest:?}");
        assert!(not_sent.contains(&3), "{rest:?}");
        for (i, o) in &rest {
            assert_eq!(exists(&c, *i).await, *o == Outcome::NotSent, "u{i}: {o:?}");
        }
    }

    #[tokio::test]
    async fn a_refusal_is_the_item_s_and_the_others_go_on() {
        let emu = emulator(None).await;
        let c = client(&emu).await;
        let mut bad = items(&[0]);
        bad.push(Item { user_arn: "not-an-arn".into(), endpoint_id: "e1".into() });
        bad.push(Item { user_arn: format!("{INST}/user/nobody"), endpoint_id: "zz".into() });
        let mut h = spawn(c.clone(), bad, 1000.0, 2);
        let (out, _, _, _) = run(&mut h, 3).await;
        assert!(matches!(&out[0], Some(Outcome::Deregistered(_))));
        assert!(
            matches!(&out[1], Some(Outcome::Failed(e)) if e.kind == ErrorKind::InvalidInput),
            "checked before sending: {:?}",
            out[1]
        );
        assert_eq!(out[2], Some(Outcome::Gone), "no such endpoint");
    }
}
