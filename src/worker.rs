//! The background lookup task. The UI sends [`WorkerMsg`]s with request ids; each request runs
//! in its own tokio task and its [`LookupDone`] comes back on a channel. The UI drops results
//! whose id is not the latest for their pane; `Cancel` aborts the task.

use crate::aws::{Client, LookupError};
use crate::model::{Endpoint, EndpointSummary, InstanceSummary, Page, UserSummary};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// What to ask the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    Describe { user_arn: String, endpoint_id: String },
    ListInstances { next_token: Option<String> },
    ListUsers { app_instance_arn: String, next_token: Option<String> },
    ListEndpoints { user_arn: String, next_token: Option<String> },
}

/// What the service answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Endpoint(Box<Endpoint>),
    Instances(Page<InstanceSummary>),
    Users(Page<UserSummary>),
    Endpoints(Page<EndpointSummary>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupRequest {
    pub id: u64,
    pub query: Query,
}

#[derive(Clone, Debug)]
pub struct LookupDone {
    pub id: u64,
    pub query: Query,
    pub result: Result<Answer, LookupError>,
    pub elapsed: Duration,
}

#[derive(Clone, Debug)]
pub enum WorkerMsg {
    Start(LookupRequest),
    Cancel(u64),
}

/// Page size the browser asks for.
pub const PAGE_SIZE: i32 = 50;

/// Run one query to completion (also used by the one-shot commands).
pub async fn run_query(client: &Client, query: &Query) -> Result<Answer, LookupError> {
    match query {
        Query::Describe { user_arn, endpoint_id } => {
            client.describe_endpoint(user_arn, endpoint_id).await.map(|e| Answer::Endpoint(Box::new(e)))
        }
        Query::ListInstances { next_token } => {
            client.list_instances_page(next_token.clone(), Some(PAGE_SIZE)).await.map(Answer::Instances)
        }
        Query::ListUsers { app_instance_arn, next_token } => client
            .list_users_page(app_instance_arn, next_token.clone(), Some(PAGE_SIZE))
            .await
            .map(Answer::Users),
        Query::ListEndpoints { user_arn, next_token } => client
            .list_endpoints_page(user_arn, next_token.clone(), Some(PAGE_SIZE))
            .await
            .map(Answer::Endpoints),
    }
}

impl Query {
    /// Whether this is one page of a list (everything but a describe).
    pub fn is_list(&self) -> bool {
        !matches!(self, Query::Describe { .. })
    }

    /// The same list from `next_token` on (a describe is returned unchanged).
    pub fn at_page(&self, next_token: Option<String>) -> Query {
        match self {
            Query::Describe { .. } => self.clone(),
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
    /// The token of the page after this one (None: the last page, or not a list).
    pub fn next_token(&self) -> Option<&str> {
        match self {
            Answer::Endpoint(_) => None,
            Answer::Instances(p) => p.next_token.as_deref(),
            Answer::Users(p) => p.next_token.as_deref(),
            Answer::Endpoints(p) => p.next_token.as_deref(),
        }
        .filter(|t| !t.is_empty())
    }
}

fn wrong_answer(query: &Query) -> LookupError {
    LookupError::new(
        crate::aws::ErrorKind::InvalidResponse,
        format!("the answer does not match the request {query:?}"),
        "",
    )
}

/// Every page of a list query: [`crate::aws::collect_all`] (the paging loop) driving
/// [`run_query`] (the page function the browser's worker runs, [`PAGE_SIZE`] a page).
/// `chimescope list` prints this; the browser asks for the same pages one at a time.
/// The answer is one page holding every item, with no next token.
pub async fn list_all(client: &Client, query: &Query) -> Result<Answer, LookupError> {
    async fn all<T>(
        client: &Client,
        query: &Query,
        pick: fn(Answer) -> Option<Page<T>>,
    ) -> Result<Page<T>, LookupError> {
        let items = crate::aws::collect_all(|token| {
            let q = query.at_page(token);
            async move { run_query(client, &q).await.and_then(|a| pick(a).ok_or_else(|| wrong_answer(&q))) }
        })
        .await?;
        Ok(Page { items, next_token: None })
    }
    match query {
        Query::Describe { .. } => run_query(client, query).await,
        Query::ListInstances { .. } => all(client, query, |a| match a {
            Answer::Instances(p) => Some(p),
            _ => None,
        })
        .await
        .map(Answer::Instances),
        Query::ListUsers { .. } => all(client, query, |a| match a {
            Answer::Users(p) => Some(p),
            _ => None,
        })
        .await
        .map(Answer::Users),
        Query::ListEndpoints { .. } => all(client, query, |a| match a {
            Answer::Endpoints(p) => Some(p),
            _ => None,
        })
        .await
        .map(Answer::Endpoints),
    }
}

/// Start the worker on the current tokio runtime. Dropping the sender stops it.
pub fn spawn(client: Arc<Client>) -> (mpsc::UnboundedSender<WorkerMsg>, mpsc::UnboundedReceiver<LookupDone>) {
    let (req_tx, mut req_rx) = mpsc::unbounded_channel::<WorkerMsg>();
    let (done_tx, done_rx) = mpsc::unbounded_channel::<LookupDone>();
    tokio::spawn(async move {
        let mut running: HashMap<u64, JoinHandle<()>> = HashMap::new();
        while let Some(msg) = req_rx.recv().await {
            running.retain(|_, h| !h.is_finished());
            match msg {
                WorkerMsg::Start(req) => {
                    let client = client.clone();
                    let done_tx = done_tx.clone();
                    let id = req.id;
                    let handle = tokio::spawn(async move {
                        let started = Instant::now();
                        let result = run_query(&client, &req.query).await;
                        if let Err(e) = &result {
                            tracing::info!(id, kind = ?e.kind, status = ?e.http_status, request_id = ?e.request_id, "lookup failed");
                        } else {
                            tracing::debug!(id, ms = started.elapsed().as_millis() as u64, "lookup done");
                        }
                        let _ = done_tx.send(LookupDone {
                            id: req.id,
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
