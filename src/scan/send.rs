//! The requests of one scan ([`Shared`]): each task sent through the rate gate, a throttled one
//! sent again at the lowered rate (until [`super::Options::max_throttles`] come in a row), a
//! passing failure tried [`TRANSIENT_ATTEMPTS`] times, every request and throttle counted.

use super::PAGE;
use crate::aws::{self, Client, list};
use crate::jobs::rate;
use crate::model::{Endpoint, EndpointSummary, ErrorKind, Page, ServiceError, UserSummary};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Attempts for a request that fails for a passing reason (5xx, network, timeout).
const TRANSIENT_ATTEMPTS: u32 = 3;

pub(super) enum Task {
    Users {
        token: Option<String>,
    },
    Endpoints {
        slot: u64,
        user: String,
        token: Option<String>,
    },
    Describe {
        slot: u64,
        user: String,
        endpoint_id: String,
    },
    /// DescribeAppInstanceUser (`--diagnose`: the user's expiry).
    User {
        slot: u64,
        user: String,
    },
}

pub(super) enum Answer {
    Users(Page<UserSummary>),
    Endpoints(Page<EndpointSummary>),
    Record(Box<Endpoint>),
    User(Box<serde_json::Value>),
}

/// What the requests share.
pub(super) struct Shared<'a> {
    pub(super) client: &'a Client,
    pub(super) gate: rate::Gate,
    pub(super) instance: String,
    pub(super) requests: AtomicU64,
    pub(super) throttled: AtomicU64,
    /// Throttles since the last other answer, and where the scan gives up.
    pub(super) in_a_row: AtomicU64,
    pub(super) max_throttles: u64,
}

impl Shared<'_> {
    async fn send(&self, task: &Task) -> Result<Answer, ServiceError> {
        match task {
            Task::Users { token } => self
                .client
                .page(list::Users { app_instance_arn: &self.instance }, token.clone(), Some(PAGE))
                .await
                .map(Answer::Users),
            Task::Endpoints { user, token, .. } => self
                .client
                .page(list::Endpoints { user_arn: user }, token.clone(), Some(PAGE))
                .await
                .map(Answer::Endpoints),
            Task::Describe { user, endpoint_id, .. } => {
                self.client.describe_endpoint(user, endpoint_id).await.map(|e| Answer::Record(Box::new(e)))
            }
            Task::User { user, .. } => {
                self.client.describe_user(user).await.map(|u| Answer::User(Box::new(u)))
            }
        }
    }

    /// One task, through the gate: throttled, it is sent again (the rate lowered); a passing
    /// failure, up to [`TRANSIENT_ATTEMPTS`] times.
    pub(super) async fn perform(&self, task: Task) -> (Task, Result<Answer, ServiceError>) {
        let mut failures = 0;
        loop {
            let ticket = self.gate.acquire().await;
            self.requests.fetch_add(1, Ordering::Relaxed);
            match self.send(&task).await {
                Err(mut e) if e.kind == ErrorKind::Throttled => {
                    self.throttled.fetch_add(1, Ordering::Relaxed);
                    let n = self.in_a_row.fetch_add(1, Ordering::Relaxed) + 1;
                    if n >= self.max_throttles {
                        e.message = format!(
                            "{} (throttled {n} times in a row: the scan stops here; --max-throttles or [scan] max_throttles sets the bound)",
                            e.message
                        );
                        return (task, Err(e));
                    }
                    self.gate.throttled(ticket);
                }
                Err(e) if transient(e.kind) && failures + 1 < TRANSIENT_ATTEMPTS => {
                    failures += 1;
                    tokio::time::sleep(Duration::from_millis(250 << failures)).await;
                }
                r => {
                    self.in_a_row.store(0, Ordering::Relaxed);
                    return (task, r);
                }
            }
        }
    }
}

pub(crate) fn transient(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ServiceFailure | ErrorKind::ServiceUnavailable | ErrorKind::Network | ErrorKind::Timeout
    )
}

pub(super) fn operation(task: &Task) -> &'static str {
    match task {
        Task::Users { .. } => aws::op::LIST_USERS,
        Task::Endpoints { .. } => aws::op::LIST_ENDPOINTS,
        Task::Describe { .. } => aws::op::DESCRIBE_ENDPOINT,
        Task::User { .. } => aws::op::DESCRIBE_USER,
    }
}
