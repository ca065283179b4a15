//! The paging loop, shared by `chimescope list` (every page, [`list_all`]) and the browser
//! (one page at a time as the cursor nears the end): [`Tokens`] is the one guard against a
//! service that hands out the same NextToken twice and would be paged forever.

use super::worker::{Answer, Query, run_query};
use crate::aws::Client;
use crate::model::{ErrorKind, Page, ServiceError};
use std::collections::HashSet;

/// The NextTokens of one list, as its pages arrive.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    seen: HashSet<String>,
}

impl Tokens {
    /// The token to ask for next, given the one a page came back with: `None` at the end (no
    /// token, or an empty one); an error when the service sent this token before (a paging
    /// loop).
    pub fn next(&mut self, token: Option<&str>) -> Result<Option<String>, ServiceError> {
        match token {
            Some(t) if !t.is_empty() => {
                if self.seen.insert(t.to_string()) {
                    Ok(Some(t.to_string()))
                } else {
                    Err(ServiceError::new(
                        ErrorKind::InvalidResponse,
                        "the service returned the same NextToken twice (a paging loop)",
                        "",
                    ))
                }
            }
            _ => Ok(None),
        }
    }
}

/// Every page of a list, through one paging loop shared by `chimescope list` and tests.
pub async fn collect_all<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, ServiceError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, ServiceError>>,
{
    let mut all = Vec::new();
    let mut tokens = Tokens::default();
    let mut token: Option<String> = None;
    loop {
        let page = fetch(token.take()).await?;
        all.extend(page.items);
        match tokens.next(page.next_token.as_deref())? {
            Some(t) => token = Some(t),
            None => return Ok(all),
        }
    }
}

fn wrong_answer(query: &Query) -> ServiceError {
    ServiceError::new(
        ErrorKind::InvalidResponse,
        format!("the answer does not match the request {query:?}"),
        "",
    )
}

/// Every page of a list query: [`collect_all`] (the paging loop) driving [`run_query`] (the
/// page function the browser's worker runs, [`super::worker::PAGE_SIZE`] a page).
/// `chimescope list` prints this; the browser asks for the same pages one at a time.
/// The answer is one page holding every item, with no next token.
pub async fn list_all(client: &Client, query: &Query) -> Result<Answer, ServiceError> {
    async fn all<T>(
        client: &Client,
        query: &Query,
        pick: fn(Answer) -> Option<Page<T>>,
    ) -> Result<Page<T>, ServiceError> {
        let items = collect_all(|token| {
            let q = query.at_page(token);
            async move { run_query(client, &q).await.and_then(|a| pick(a).ok_or_else(|| wrong_answer(&q))) }
        })
        .await?;
        Ok(Page { items, next_token: None })
    }
    match query {
        Query::Describe { .. } | Query::Pinpoint { .. } | Query::Write(_) => run_query(client, query).await,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_seen_before_is_a_paging_loop_and_the_end_is_no_token() {
        let mut t = Tokens::default();
        assert_eq!(t.next(Some("a")).unwrap(), Some("a".into()));
        assert_eq!(t.next(Some("b")).unwrap(), Some("b".into()));
        assert_eq!(t.next(Some("")).unwrap(), None);
        assert_eq!(t.next(None).unwrap(), None);
        let e = t.next(Some("a")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidResponse);
        assert!(e.message.contains("same NextToken twice"), "{e}");
    }

    #[tokio::test]
    async fn collect_all_stops_at_a_repeated_token() {
        let mut calls = 0;
        let r = collect_all(|_| {
            calls += 1;
            async { Ok(Page { items: vec![1], next_token: Some("again".to_string()) }) }
        })
        .await;
        assert!(r.unwrap_err().message.contains("same NextToken twice"));
        assert_eq!(calls, 2);
    }
}
