//! The engine in the background, for the browser's Scan pane: a tokio task runs [`Scan::run`]
//! and sends [`Event`]s (progress, each endpoint that cannot receive, the end) down a channel;
//! [`Handle::stop`] ends it the way Ctrl-C ends the command (the checkpoint saved).

use super::report::Row;
use super::{Outcome, Progress, Scan, ScanError};
use crate::aws::Client;
use crate::model::escape_control;
use std::io::BufRead;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// What a background scan tells.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Progress(Box<Progress>),
    /// An endpoint that cannot receive (on resume, first those found before).
    CannotReceive(Box<Row>),
    /// The scan ended: finished, stopped, or why it could not go on.
    Done(Result<Outcome, String>),
}

/// A running background scan.
pub struct Handle {
    pub events: mpsc::UnboundedReceiver<Event>,
    stop: Option<oneshot::Sender<()>>,
}

impl Handle {
    /// Stop the scan (its checkpoint is saved); `Event::Done(Ok(Outcome::Stopped))` follows.
    pub fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Why a scan failed, in one line.
/// "process 1234", or "another process" when the lock file names none.
pub fn holder_words(pid: Option<u32>) -> String {
    pid.map_or_else(|| "another process".to_string(), |p| format!("process {p}"))
}

pub fn describe_error(e: &ScanError) -> String {
    match e {
        ScanError::Mismatch(d) => format!("the checkpoint is of another scan: {}", d.join("; ")),
        ScanError::Damaged(m) => format!("the checkpoint cannot be used: {m}"),
        ScanError::Busy(pid) => format!("the checkpoint is in use by another scan ({})", holder_words(*pid)),
        ScanError::Service(e, op) => format!("{op}: {}: {}", e.kind.name(), escape_control(&e.message)),
        ScanError::Io(m) => m.clone(),
    }
}

/// Run `scan` in a tokio task (on the current runtime) with `client`, which should make one
/// attempt per request (`ClientOptions::max_attempts = 1`) so that throttles reach the limiter.
pub fn spawn(client: Arc<Client>, mut scan: Scan) -> Handle {
    let (tx, events) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        // A resumed scan's earlier finds first.
        if scan.resumed()
            && let Ok(rows) = scan.rows()
        {
            for line in rows.lines().map_while(Result::ok) {
                if let Ok(row) = serde_json::from_str::<Row>(&line)
                    && row.kept()
                {
                    let _ = tx.send(Event::CannotReceive(Box::new(row)));
                }
            }
        }
        let rows_tx = tx.clone();
        scan.on_cannot_receive(Box::new(move |row| {
            let _ = rows_tx.send(Event::CannotReceive(Box::new(row.clone())));
        }));
        let progress_tx = tx.clone();
        let mut progress = move |p: &Progress| {
            let _ = progress_tx.send(Event::Progress(Box::new(p.clone())));
        };
        let stop = async {
            let _ = stop_rx.await;
        };
        let outcome = scan.run(&client, stop, &mut progress).await;
        let done = match outcome {
            Ok(Outcome::Finished) => {
                let _ = scan.remove_checkpoint();
                Ok(Outcome::Finished)
            }
            Ok(o) => Ok(o),
            Err(e) => Err(describe_error(&e)),
        };
        // Its checkpoint's lock released before anyone hears it is done.
        drop(scan);
        let _ = tx.send(Event::Done(done));
    });
    Handle { events, stop: Some(stop_tx) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ClientOptions;
    use crate::emulator::{self, Emulator, Store};
    use crate::scan::Options;
    use crate::scan::checkpoint::Identity;

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/bg";

    async fn emulator(users: usize) -> Emulator {
        let eps: Vec<_> = (0..users)
            .map(|u| {
                serde_json::json!({
                    "AppInstanceUserArn": format!("{INST}/user/u{u:03}"), "EndpointId": format!("e{u:03}"),
                    "Type": "GCM", "ResourceArn": "arn:aws:mobiletargeting:us-east-1:123456789012:apps/x",
                    "EndpointAttributes": {"DeviceToken": format!("t{u}")}, "AllowMessages": "ALL",
                    "EndpointState": if u % 5 == 0 {
                        serde_json::json!({"Status": "INACTIVE", "StatusReason": "INVALID_PINPOINT_ARN"})
                    } else {
                        serde_json::json!({"Status": "ACTIVE"})
                    }
                })
            })
            .collect();
        let seed = serde_json::json!({"AppInstances": [{"AppInstanceArn": INST, "Name": "bg"}], "AppInstanceUserEndpoints": eps});
        let store = Store::from_seed_str(&seed.to_string(), "bg").unwrap();
        Emulator::start(emulator::Options { store, ..Default::default() }).await.unwrap()
    }

    fn scan(rate: f64, checkpoint: Option<&std::path::Path>, url: &str) -> Scan {
        let opts = Options {
            app_instance_arn: INST.into(),
            rate,
            concurrency: 2,
            describe: false,
            diagnose: false,
            pinpoint: false,
            all_rows: false,
            max_throttles: crate::scan::DEFAULT_MAX_THROTTLES,
        };
        let identity = Identity {
            app_instance_arn: INST.into(),
            describe: false,
            diagnose: false,
            pinpoint: false,
            all_rows: false,
            region: "us-east-1".into(),
            endpoint_url: Some(url.into()),
        };
        Scan::open(opts, identity, checkpoint).unwrap()
    }

    async fn events_until_done(h: &mut Handle) -> (Vec<Row>, Option<Progress>, Result<Outcome, String>) {
        let (mut rows, mut last) = (Vec::new(), None);
        loop {
            match h.events.recv().await.expect("a Done event before the end") {
                Event::CannotReceive(r) => rows.push(*r),
                Event::Progress(p) => last = Some(*p),
                Event::Done(d) => return (rows, last, d),
            }
        }
    }

    #[tokio::test]
    async fn a_background_scan_tells_its_progress_and_each_endpoint_that_cannot_receive() {
        let emu = emulator(30).await;
        let client = Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..Default::default() }).await;
        let mut h = spawn(Arc::new(client), scan(1000.0, None, &emu.url()));
        let (rows, last, done) = events_until_done(&mut h).await;
        assert_eq!(done, Ok(Outcome::Finished));
        assert_eq!(rows.len(), 6, "u000, u005, … u025; {last:?}");
        assert!(rows.iter().all(|r| r.status_reason.as_deref() == Some("INVALID_PINPOINT_ARN")));
        let last = last.unwrap();
        assert_eq!((last.users, last.users_total, last.endpoints), (30, Some(30), 30));
        assert_eq!(last.tally.by_status["INACTIVE"], 6);
    }

    #[tokio::test]
    async fn stopping_keeps_the_checkpoint_and_a_resumed_scan_tells_the_earlier_finds_first() {
        let emu = emulator(40).await;
        let dir = tempfile::tempdir().unwrap();
        let cp = dir.path().join("scan.json");
        let client =
            Arc::new(Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..Default::default() }).await);
        let mut h = spawn(client.clone(), scan(40.0, Some(&cp), &emu.url()));
        let mut found = 0;
        while found < 2 {
            match h.events.recv().await {
                Some(Event::CannotReceive(_)) => found += 1,
                Some(Event::Done(d)) => panic!("ended first: {d:?}"),
                Some(_) => {}
                None => panic!("the scan went away"),
            }
        }
        h.stop();
        let (_, _, done) = events_until_done(&mut h).await;
        assert_eq!(done, Ok(Outcome::Stopped));
        assert!(cp.exists(), "the checkpoint is kept");
        let mut h = spawn(client, scan(1000.0, Some(&cp), &emu.url()));
        let (rows, last, done) = events_until_done(&mut h).await;
        assert_eq!(done, Ok(Outcome::Finished));
        let mut ids: Vec<String> = rows.iter().map(|r| r.endpoint_id.clone()).collect();
        ids.sort();
        assert_eq!(ids, ["e000", "e005", "e010", "e015", "e020", "e025", "e030", "e035"]);
        assert_eq!(last.unwrap().users, 40);
        assert!(!cp.exists(), "a finished scan's checkpoint goes");
    }
}
