//! The background lookup task. The UI sends [`WorkerMsg`]s with request ids; each request runs
//! in its own tokio task and its [`JobDone`] comes back on a channel. The UI drops results
//! whose id is not the latest for their pane; `Cancel` aborts the task. A task that panics
//! answers with an error for its request ([`panicked`]); the browser goes on.

use crate::aws::{Client, list};
use crate::doctor::{Finding, pinpoint};
use crate::model::messaging::MemberOf;
use crate::model::push::{PushAnswer, PushSend};
use crate::model::write::{Write, Written};
use crate::model::{Endpoint, EndpointSummary, ErrorKind, InstanceSummary, Page, ServiceError, UserSummary};
use futures_util::FutureExt;
use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What to ask the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    Describe {
        user_arn: String,
        endpoint_id: String,
    },
    ListInstances {
        next_token: Option<String>,
    },
    ListUsers {
        app_instance_arn: String,
        next_token: Option<String>,
    },
    ListEndpoints {
        user_arn: String,
        next_token: Option<String>,
    },
    /// The doctor's Pinpoint checks for one endpoint (GetApp and its channels), in the
    /// background after its describe answered.
    Pinpoint {
        plan: pinpoint::Plan,
    },
    /// DescribeAppInstanceUser: the user's expiry, for the user-level checks of an endpoint.
    DescribeUser {
        user_arn: String,
    },
    /// Register, update or deregister an endpoint. Unlike a lookup, a write that was sent
    /// has an outcome even when its answer is lost (cancelled, timed out): see
    /// [`Query::is_write`].
    Write(Box<Write>),
    /// One test push (Pinpoint SendMessages) to an endpoint's token: a write too (it notifies
    /// a device), sent once. The token is a secret: `Debug` shows its length only.
    PushTest(Box<PushSend>),
    /// Every channel membership of the user with its push preferences (Chime SDK Messaging, read
    /// as the user): every page, then one preferences read a channel, each paced
    /// (`jobs::memberships`).
    Memberships {
        user_arn: String,
    },
}

/// What the service answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Endpoint(Box<Endpoint>),
    Instances(Page<InstanceSummary>),
    Users(Page<UserSummary>),
    Endpoints(Page<EndpointSummary>),
    /// The Pinpoint findings (a failed read is one of them: pinpoint-unreachable).
    Pinpoint(Vec<Finding>),
    /// A write was applied.
    Written(Written),
    /// DescribeAppInstanceUser's `AppInstanceUser`, as the wire/CLI JSON value.
    User(Box<serde_json::Value>),
    /// SendMessages' answer for the address of a test push.
    Pushed(Box<PushAnswer>),
    /// The user's memberships, each with its push preferences.
    Memberships(Vec<MemberOf>),
}

/// Who asked for a job: its answer goes back to them (the browser matches on it) and is used
/// only while they still await that job's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The lookup shown in the detail pane.
    Detail,
    /// A page of a list being browsed.
    List,
    /// A page of the endpoint-ID completions.
    Completion,
    /// A watch's describe.
    Watch,
    /// The Pinpoint checks of the endpoint on show.
    Pinpoint,
    /// The user-level checks of the endpoint on show.
    UserCheck,
    /// A write.
    Write,
    /// A describe that prefills a registration form.
    Prefill,
    /// A test push (and the describe that reads its endpoint's token first, from a list).
    PushTest,
    /// The memberships list of a user (`M`, `:memberships`).
    Members,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRequest {
    pub id: u64,
    pub owner: Owner,
    pub query: Query,
}

#[derive(Clone, Debug)]
pub struct JobDone {
    pub id: u64,
    pub owner: Owner,
    pub query: Query,
    pub result: Result<Answer, ServiceError>,
    pub elapsed: Duration,
}

#[derive(Clone, Debug)]
pub enum WorkerMsg {
    Start(JobRequest),
    Cancel(u64),
}

/// Page size the browser asks for ([`crate::defaults::PAGE_SIZE`], kept here under its old path).
pub use crate::defaults::PAGE_SIZE;

/// Run one query to completion (also used by the one-shot commands).
pub async fn run_query(client: &Client, query: &Query) -> Result<Answer, ServiceError> {
    match query {
        Query::Describe { user_arn, endpoint_id } => {
            client.describe_endpoint(user_arn, endpoint_id).await.map(|e| Answer::Endpoint(Box::new(e)))
        }
        Query::ListInstances { next_token } => {
            client.page(list::Instances, next_token.clone(), Some(PAGE_SIZE)).await.map(Answer::Instances)
        }
        Query::ListUsers { app_instance_arn, next_token } => client
            .page(list::Users { app_instance_arn }, next_token.clone(), Some(PAGE_SIZE))
            .await
            .map(Answer::Users),
        Query::ListEndpoints { user_arn, next_token } => client
            .page(list::Endpoints { user_arn }, next_token.clone(), Some(PAGE_SIZE))
            .await
            .map(Answer::Endpoints),
        Query::Pinpoint { plan } => {
            Ok(Answer::Pinpoint(pinpoint::findings(&pinpoint::fetch(client, plan.clone()).await)))
        }
        Query::Write(w) => client.write(w).await.map(Answer::Written),
        Query::PushTest(p) => client.send_test_push(p).await.map(|a| Answer::Pushed(Box::new(a))),
        Query::DescribeUser { user_arn } => {
            client.describe_user(user_arn).await.map(|u| Answer::User(Box::new(u)))
        }
        // Outside the worker (which paces these reads with its own gate): at the default pace.
        Query::Memberships { user_arn } => {
            memberships(client, &super::rate::Gate::new(DEFAULT_RATE), user_arn).await
        }
    }
}

/// The user's memberships with their preferences, each read through `gate`.
async fn memberships(
    client: &Client,
    gate: &super::rate::Gate,
    user_arn: &str,
) -> Result<Answer, ServiceError> {
    super::memberships::with_preferences(client, gate, user_arn)
        .await
        .map(Answer::Memberships)
        .map_err(|(e, _)| e)
}

impl Query {
    /// Whether this is one page of a list (everything but a describe and the Pinpoint checks).
    pub fn is_list(&self) -> bool {
        self.listing().is_some()
    }

    /// Whether this changes the service (a cancelled one may have been applied).
    pub fn is_write(&self) -> bool {
        matches!(self, Query::Write(_) | Query::PushTest(_))
    }

    /// Which list this is a page of (None: not a list).
    pub fn listing(&self) -> Option<crate::model::paging::Listing> {
        use crate::model::paging::Listing;
        match self {
            Query::Describe { .. }
            | Query::Pinpoint { .. }
            | Query::Write(_)
            | Query::PushTest(_)
            | Query::Memberships { .. }
            | Query::DescribeUser { .. } => None,
            Query::ListInstances { .. } => Some(Listing::Instances),
            Query::ListUsers { .. } => Some(Listing::Users),
            Query::ListEndpoints { .. } => Some(Listing::Endpoints),
        }
    }

    /// The same list from `next_token` on (a describe is returned unchanged).
    pub fn at_page(&self, next_token: Option<String>) -> Query {
        match self {
            Query::Describe { .. }
            | Query::Pinpoint { .. }
            | Query::Write(_)
            | Query::PushTest(_)
            | Query::Memberships { .. }
            | Query::DescribeUser { .. } => self.clone(),
            Query::ListInstances { .. } => Query::ListInstances { next_token },
            Query::ListUsers { app_instance_arn, .. } => {
                Query::ListUsers { app_instance_arn: app_instance_arn.clone(), next_token }
            }
            Query::ListEndpoints { user_arn, .. } => {
                Query::ListEndpoints { user_arn: user_arn.clone(), next_token }
            }
        }
    }
}

impl Answer {
    /// How many rows a page of a list holds (0: not a list).
    pub fn rows(&self) -> usize {
        match self {
            Answer::Endpoint(_)
            | Answer::Pinpoint(_)
            | Answer::Written(_)
            | Answer::User(_)
            | Answer::Memberships(_)
            | Answer::Pushed(_) => 0,
            Answer::Instances(p) => p.items.len(),
            Answer::Users(p) => p.items.len(),
            Answer::Endpoints(p) => p.items.len(),
        }
    }

    /// The token of the page after this one (None: the last page, or not a list).
    pub fn next_token(&self) -> Option<&str> {
        match self {
            Answer::Endpoint(_)
            | Answer::Pinpoint(_)
            | Answer::Written(_)
            | Answer::User(_)
            | Answer::Memberships(_)
            | Answer::Pushed(_) => None,
            Answer::Instances(p) => p.next_token.as_deref(),
            Answer::Users(p) => p.next_token.as_deref(),
            Answer::Endpoints(p) => p.next_token.as_deref(),
        }
        .filter(|t| !t.is_empty())
    }
}

/// The browser's default pace ([`crate::defaults::RATE`], kept here under its old name).
pub use crate::defaults::RATE as DEFAULT_RATE;

/// Start the worker on the current tokio runtime. Dropping the sender stops it. Every Identity
/// request waits its turn at `rate` requests/s (the scan's token bucket: a throttle halves the
/// pace, which then grows back toward `rate`); the Pinpoint checks and test pushes go to
/// another API and another quota, so they do not wait.
pub fn spawn(
    client: Arc<Client>,
    rate: f64,
) -> (mpsc::UnboundedSender<WorkerMsg>, mpsc::UnboundedReceiver<JobDone>) {
    let gate = Arc::new(super::rate::Gate::new(rate));
    spawn_with(move |query| {
        let client = client.clone();
        let gate = gate.clone();
        async move {
            // Many reads in one job: each waits its turn at the gate.
            if let Query::Memberships { user_arn } = &query {
                return memberships(&client, &gate, user_arn).await;
            }
            paced(gate, query, move |query| async move {
                test_panic(&query);
                run_query(&client, &query).await
            })
            .await
        }
    })
}

/// Run `query` through `run` once `gate` lets it leave; tell the gate of a throttle.
pub async fn paced<F, Fut>(gate: Arc<super::rate::Gate>, query: Query, run: F) -> Result<Answer, ServiceError>
where
    F: FnOnce(Query) -> Fut,
    Fut: Future<Output = Result<Answer, ServiceError>>,
{
    if matches!(query, Query::Pinpoint { .. } | Query::PushTest(_)) {
        return run(query).await;
    }
    let ticket = gate.acquire().await;
    let result = run(query).await;
    if let Err(e) = &result
        && e.kind == ErrorKind::Throttled
    {
        gate.throttled(ticket);
    }
    result
}

/// Debug builds only: with `CHIMESCOPE_TEST_PANIC` set, looking up the endpoint ID
/// `test-panic` panics inside the lookup task, so that the end-to-end tests can check that
/// the browser shows it as that lookup's error and goes on.
#[cfg(debug_assertions)]
#[allow(clippy::panic)]
fn test_panic(query: &Query) {
    if let Query::Describe { endpoint_id, .. } = query
        && endpoint_id == "test-panic"
        && std::env::var_os("CHIMESCOPE_TEST_PANIC").is_some()
    {
        panic!("test panic in a lookup (CHIMESCOPE_TEST_PANIC)");
    }
}

#[cfg(not(debug_assertions))]
fn test_panic(_: &Query) {}

/// Where requests go in and their answers come out.
type Channels = (mpsc::UnboundedSender<WorkerMsg>, mpsc::UnboundedReceiver<JobDone>);

/// The worker with any way of answering a query (`spawn` uses [`run_query`]; tests use
/// their own).
pub fn spawn_with<F, Fut>(run: F) -> Channels
where
    F: Fn(Query) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Answer, ServiceError>> + Send + 'static,
{
    let run = Arc::new(run);
    let (req_tx, mut req_rx) = mpsc::unbounded_channel::<WorkerMsg>();
    let (done_tx, done_rx) = mpsc::unbounded_channel::<JobDone>();
    tokio::spawn(async move {
        let mut running: HashMap<u64, JoinHandle<()>> = HashMap::new();
        while let Some(msg) = req_rx.recv().await {
            running.retain(|_, h| !h.is_finished());
            match msg {
                WorkerMsg::Start(req) => {
                    let run = run.clone();
                    let done_tx = done_tx.clone();
                    let id = req.id;
                    let handle = tokio::spawn(async move {
                        let started = Instant::now();
                        let result = match AssertUnwindSafe(InLookup(Box::pin(run(req.query.clone()))))
                            .catch_unwind()
                            .await
                        {
                            Ok(result) => result,
                            Err(payload) => Err(panicked(payload.as_ref())),
                        };
                        if let Err(e) = &result {
                            tracing::info!(id, kind = ?e.kind, status = ?e.http_status, request_id = ?e.request_id, "lookup failed");
                        } else {
                            tracing::debug!(id, ms = started.elapsed().as_millis() as u64, "lookup done");
                        }
                        let _ = done_tx.send(JobDone {
                            id: req.id,
                            owner: req.owner,
                            query: req.query,
                            result,
                            elapsed: started.elapsed(),
                        });
                    });
                    running.insert(id, handle);
                }
                WorkerMsg::Cancel(id) => {
                    if let Some(h) = running.remove(&id) {
                        h.abort();
                        tracing::debug!(id, "lookup cancelled");
                    }
                }
            }
        }
        for (_, h) in running {
            h.abort();
        }
    });
    (req_tx, done_rx)
}

thread_local! {
    /// Set while this thread polls a lookup task (see [`in_lookup`]).
    static IN_LOOKUP: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is running a lookup task: a panic here is caught and becomes
/// that lookup's error, so a panic hook can leave the terminal alone (the browser's does).
pub fn in_lookup() -> bool {
    IN_LOOKUP.with(Cell::get)
}

/// A lookup's future, marking the thread as [`in_lookup`] while it is polled.
struct InLookup<F>(Pin<Box<F>>);

impl<F: Future> Future for InLookup<F> {
    type Output = F::Output;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        /// Puts the flag back as it was, also when the poll unwinds.
        struct Reset(bool);
        impl Drop for Reset {
            fn drop(&mut self) {
                IN_LOOKUP.with(|f| f.set(self.0));
            }
        }
        let _reset = Reset(IN_LOOKUP.with(|f| f.replace(true)));
        self.get_mut().0.as_mut().poll(cx)
    }
}

/// The error a lookup that panicked answers with: a bug in chimescope, said as one, with the
/// panic's message.
pub fn panicked(payload: &(dyn std::any::Any + Send)) -> ServiceError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    tracing::error!(panic = %what, "a lookup task panicked");
    ServiceError {
        exception: "InternalError".into(),
        hint: "this is a bug in chimescope (the log file has the details): try again, and please report it"
            .into(),
        ..ServiceError::new(ErrorKind::Other, format!("the lookup failed inside chimescope: {what}"), "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn identity_requests_pass_the_gate_and_a_throttle_slows_it() {
        let gate = Arc::new(crate::jobs::rate::Gate::new(10.0));
        let describe = Query::Describe { user_arn: "u".into(), endpoint_id: "e".into() };
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let n = calls.clone();
        let ok = paced(gate.clone(), describe.clone(), move |_| async move {
            n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Err(ServiceError::new(ErrorKind::NotFound, "gone", "DescribeAppInstanceUserEndpoint"))
        })
        .await;
        assert_eq!(ok.unwrap_err().kind, ErrorKind::NotFound);
        assert_eq!(gate.rate(), 10.0, "an error that is not a throttle leaves the pace");
        let throttled = paced(gate.clone(), describe, |_| async {
            Err(ServiceError::new(ErrorKind::Throttled, "slow down", "DescribeAppInstanceUserEndpoint"))
        })
        .await;
        assert_eq!(throttled.unwrap_err().kind, ErrorKind::Throttled);
        assert!(gate.rate() < 10.0, "a throttle slows the pace: {}", gate.rate());
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_panicking_lookup_answers_with_an_error_and_the_worker_goes_on() {
        let hook_saw_lookup = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let saw = hook_saw_lookup.clone();
        std::panic::set_hook(Box::new(move |_| saw.store(in_lookup(), std::sync::atomic::Ordering::SeqCst)));
        let (tx, mut rx) = spawn_with(|q: Query| async move {
            match q {
                Query::ListInstances { next_token: Some(t) } if t == "boom" => panic!("page {t} exploded"),
                _ => Ok(Answer::Instances(Page { items: vec![], next_token: None })),
            }
        });
        let boom = Query::ListInstances { next_token: Some("boom".into()) };
        tx.send(WorkerMsg::Start(JobRequest { id: 1, owner: Owner::Detail, query: boom })).unwrap();
        let done = rx.recv().await.unwrap();
        let _ = std::panic::take_hook();
        assert_eq!(done.id, 1);
        let e = done.result.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Other);
        assert!(e.message.contains("page boom exploded"), "{e}");
        assert!(e.hint.contains("bug in chimescope"), "{e:?}");
        assert!(hook_saw_lookup.load(std::sync::atomic::Ordering::SeqCst), "the hook knew it was a lookup");
        assert!(!in_lookup(), "outside a lookup task");
        tx.send(WorkerMsg::Start(JobRequest {
            id: 2,
            owner: Owner::List,
            query: Query::ListInstances { next_token: None },
        }))
        .unwrap();
        let done = rx.recv().await.unwrap();
        assert_eq!(done.id, 2);
        assert!(done.result.is_ok(), "the worker still answers");
    }
}
