#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! Browsing's paging for real: the App's list state driven by the background worker's
//! answers, through the SDK, against the local service seeded with long lists, across at
//! several pages where the quotas allow them (100 app instances, 130 users; a user's 10
//! endpoints fit one page); and the one-shot path
//! (`paging::list_all`, which `chimescope list` prints) agreeing with what the browser loaded.

#[path = "common/emu.rs"]
mod emu;

use chimescope::aws::{Client, ClientOptions};
use chimescope::emulator::{self, Emulator, Fault};
use chimescope::jobs::paging;
use chimescope::jobs::worker::{self, Answer, JobDone, Query, WorkerMsg};
use chimescope::model::ErrorKind;
use chimescope::tui::action::{Action, Cmd, Effect};
use chimescope::tui::state::list::Rows;
use chimescope::tui::state::{App, Session};
use emu::{ACCT, big_store};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tui_input::InputRequest;

/// The App, the real worker, and the requests still out.
struct Harness {
    app: App,
    tx: UnboundedSender<WorkerMsg>,
    rx: UnboundedReceiver<JobDone>,
    out: HashSet<u64>,
    /// Every list page the worker was asked for.
    asked: Vec<Query>,
}

impl Harness {
    fn new(client: Client) -> Self {
        let (tx, rx) = worker::spawn(Arc::new(client), 10_000.0);
        let mut app = App::new(Session::demo());
        let _ = app.update(Action::Resize(120, 40));
        Self { app, tx, rx, out: HashSet::new(), asked: Vec::new() }
    }

    /// Carry out the effects as the event loop does, feeding answers back until none is out.
    async fn run(&mut self, mut eff: Vec<Effect>) {
        loop {
            for e in eff.drain(..) {
                match e {
                    Effect::Job(r) => {
                        self.out.insert(r.id);
                        self.asked.push(r.query.clone());
                        self.tx.send(WorkerMsg::Start(r)).unwrap();
                    }
                    Effect::CancelJob(id) => {
                        self.out.remove(&id);
                        self.tx.send(WorkerMsg::Cancel(id)).unwrap();
                    }
                    _ => {}
                }
            }
            if self.out.is_empty() {
                return;
            }
            let done = tokio::time::timeout(Duration::from_secs(30), self.rx.recv())
                .await
                .expect("an answer in time")
                .expect("the worker is running");
            self.out.remove(&done.id);
            eff = self.app.update(Action::JobDone(done));
        }
    }

    async fn cmd(&mut self, c: Cmd) {
        let eff = self.app.update(Action::Cmd(c));
        self.run(eff).await;
    }

    async fn typed(&mut self, s: &str) {
        for c in s.chars() {
            let eff = self.app.update(Action::Edit(InputRequest::InsertChar(c)));
            self.run(eff).await;
        }
    }

    /// G until every page is loaded; returns how many G it took (one: G pages to the end).
    async fn page_to_the_end(&mut self) -> usize {
        let mut presses = 0;
        while !self.app.browse().top().unwrap().complete {
            presses += 1;
            assert!(presses < 100, "the list never completed");
            self.cmd(Cmd::Bottom).await;
        }
        presses
    }

    fn keys(&self) -> Vec<String> {
        let v = self.app.browse().top().unwrap();
        (0..v.rows.len()).map(|i| v.rows.key(i).unwrap().to_string()).collect()
    }
}

async fn start(faults: Vec<Fault>) -> (Emulator, Client) {
    let emu =
        Emulator::start(emulator::Options { store: big_store(130, 10, true), faults, ..Default::default() })
            .await
            .expect("the emulator starts");
    let client =
        Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    (emu, client)
}

fn keys_of(a: Answer) -> Vec<String> {
    match a {
        Answer::Instances(p) => p.items.into_iter().map(|i| i.app_instance_arn.unwrap()).collect(),
        Answer::Users(p) => p.items.into_iter().map(|u| u.app_instance_user_arn.unwrap()).collect(),
        Answer::Endpoints(p) => p.items.into_iter().map(|e| e.endpoint_id.unwrap()).collect(),
        Answer::Endpoint(_)
        | Answer::Pinpoint(_)
        | Answer::Written(_)
        | Answer::User(_)
        | Answer::Memberships(_)
        | Answer::Pushed(_) => {
            vec![]
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_at_every_level_through_the_worker() {
    let (emu, client) = start(Vec::new()).await;
    let command_client =
        Client::demo(&emu.url(), ClientOptions { max_attempts: 1, ..ClientOptions::default() }).await;
    let mut h = Harness::new(client);
    let inst = format!("arn:aws:chime:us-east-1:{ACCT}:app-instance/big");
    let u0 = format!("{inst}/user/u00000");

    // Nothing typed, Enter: the app instances, one page at first.
    h.cmd(Cmd::Submit).await;
    let v = h.app.browse().top().unwrap();
    assert!(matches!(v.rows, Rows::Instances(_)));
    assert_eq!((v.pages, v.rows.len(), v.status()), (1, 50, "50 loaded, more…".to_string()));
    assert_eq!(h.page_to_the_end().await, 1, "one G loads every page to the real end");
    let v = h.app.browse().top().unwrap();
    assert_eq!(v.cursor() + 1, v.rows.len(), "the cursor on the last row");
    let v = h.app.browse().top().unwrap();
    assert_eq!((v.pages, v.rows.len()), (2, 100));
    assert_eq!(v.status(), "100 app instances");
    // The same items as the one-shot path, in order, none twice.
    let all = paging::list_all(&command_client, &Query::ListInstances { next_token: None }).await.unwrap();
    assert_eq!(h.keys(), keys_of(all));
    assert_eq!(h.keys().iter().collect::<HashSet<_>>().len(), 100);

    // Filter to the big instance and open it: its users, 130 in 3 pages.
    h.cmd(Cmd::Filter).await;
    h.typed("/big").await; // the filter text: the end of the ARN
    h.cmd(Cmd::Submit).await;
    assert_eq!(h.app.browse().top().unwrap().visible().len(), 1);
    h.cmd(Cmd::Submit).await;
    assert_eq!(h.app.arn().value(), inst);
    h.page_to_the_end().await;
    let v = h.app.browse().top().unwrap();
    assert_eq!((v.pages, v.rows.len(), v.status()), (3, 130, "130 users".to_string()));
    let all = paging::list_all(
        &command_client,
        &Query::ListUsers { app_instance_arn: inst.clone(), next_token: None },
    )
    .await
    .unwrap();
    assert_eq!(h.keys(), keys_of(all));

    // The first user: the 10 endpoints a user can have, in one page.
    h.cmd(Cmd::Top).await;
    h.cmd(Cmd::Submit).await;
    assert_eq!(h.app.arn().value(), u0);
    h.page_to_the_end().await;
    let v = h.app.browse().top().unwrap();
    assert_eq!((v.pages, v.rows.len(), v.status()), (1, 10, "10 endpoints".to_string()));
    let all =
        paging::list_all(&command_client, &Query::ListEndpoints { user_arn: u0.clone(), next_token: None })
            .await
            .unwrap();
    assert_eq!(h.keys(), keys_of(all));

    // Every page asked for once: 2 + 3 + 1, each with the previous page's token.
    let pages = |f: fn(&Query) -> bool| h.asked.iter().filter(|q| f(q)).count();
    assert_eq!(pages(|q| matches!(q, Query::ListInstances { .. })), 2);
    assert_eq!(pages(|q| matches!(q, Query::ListUsers { .. })), 3);
    assert_eq!(pages(|q| matches!(q, Query::ListEndpoints { .. })), 1);

    // Open the last endpoint, then back up twice: the cursors where they were.
    h.cmd(Cmd::Bottom).await;
    h.cmd(Cmd::Submit).await;
    assert_eq!(h.app.endpoint().and_then(|e| e.endpoint_id.as_deref()), Some("e00009"));
    h.cmd(Cmd::Cancel).await;
    let v = h.app.browse().top().unwrap();
    assert_eq!(v.rows.key(v.selected().unwrap()), Some("e00009"));
    h.cmd(Cmd::Back).await;
    let v = h.app.browse().top().unwrap();
    assert_eq!(v.rows.key(v.selected().unwrap()), Some(u0.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_page_through_the_service_is_retried_with_r() {
    // The first ListAppInstanceUsers request is throttled (once; the SDK does not retry here).
    let (_emu, client) = start(vec![Fault::parse("ListAppInstanceUsers:throttle:1").unwrap()]).await;
    let mut h = Harness::new(client);
    h.app.set_inputs(&format!("arn:aws:chime:us-east-1:{ACCT}:app-instance/big"), "");
    h.cmd(Cmd::Submit).await;
    let v = h.app.browse().top().unwrap();
    let err = v.error.as_ref().expect("the throttled page shows in place");
    assert_eq!(err.kind, ErrorKind::Throttled);
    assert!(v.rows.is_empty());
    h.cmd(Cmd::Retry).await;
    let v = h.app.browse().top().unwrap();
    assert!(v.error.is_none());
    assert_eq!(v.rows.len(), 50);
    assert_eq!(h.page_to_the_end().await, 1);
    assert_eq!(h.app.browse().top().unwrap().rows.len(), 130);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_one_shot_path_is_the_worker_page_function() {
    let (_emu, client) = start(Vec::new()).await;
    let u0 = format!("arn:aws:chime:us-east-1:{ACCT}:app-instance/big/user/u00000");
    let inst = format!("arn:aws:chime:us-east-1:{ACCT}:app-instance/big");
    // One page as the browser asks for it, and every page as `chimescope list` does.
    let users = Query::ListUsers { app_instance_arn: inst, next_token: None };
    let first = worker::run_query(&client, &users).await.unwrap();
    let Answer::Users(page) = &first else { panic!("{first:?}") };
    assert_eq!(page.items.len(), worker::PAGE_SIZE as usize);
    assert!(first.next_token().is_some());
    let all = paging::list_all(&client, &users).await.unwrap();
    assert!(all.next_token().is_none());
    assert_eq!(keys_of(all).len(), 130);
    let all =
        paging::list_all(&client, &Query::ListEndpoints { user_arn: u0, next_token: None }).await.unwrap();
    assert_eq!(keys_of(all).len(), 10);
    // What cannot be sent is refused before any request.
    let bad =
        paging::list_all(&client, &Query::ListUsers { app_instance_arn: "nope".into(), next_token: None })
            .await;
    assert_eq!(bad.unwrap_err().kind, ErrorKind::InvalidInput);
}
