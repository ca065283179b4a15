//! The paging loop of `chimescope list` and `doctor` (every page, [`list_all`]); the browser
//! asks for the same pages one at a time. [`Pages`] (the model's bound of a list: its quota,
//! the tokens seen) is the one guard of both against a service that would be paged forever.

use super::worker::{Answer, Query, run_query};
use crate::aws::Client;
use crate::model::paging::{Listing, Pages};
use crate::model::{ErrorKind, Page, ServiceError};

/// Every page of a `listing`: stops at the end, or with an invalid response where the service
/// goes beyond the list's bounds (rows, pages, a token seen before).
pub async fn collect_all<T, F, Fut>(listing: Listing, mut fetch: F) -> Result<Vec<T>, ServiceError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, ServiceError>>,
{
    let mut all = Vec::new();
    let mut pages = Pages::new(listing);
    let mut token: Option<String> = None;
    loop {
        let page = fetch(token.take()).await?;
        let next = pages.next(page.items.len(), page.next_token.as_deref())?;
        all.extend(page.items);
        match next {
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
        let listing = query.listing().ok_or_else(|| wrong_answer(query))?;
        let items = collect_all(listing, |token| {
            let q = query.at_page(token);
            async move { run_query(client, &q).await.and_then(|a| pick(a).ok_or_else(|| wrong_answer(&q))) }
        })
        .await?;
        Ok(Page { items, next_token: None })
    }
    match query {
        Query::Describe { .. }
        | Query::Pinpoint { .. }
        | Query::Write(_)
        | Query::PushTest(_)
        | Query::Memberships { .. }
        | Query::DescribeUser { .. } => run_query(client, query).await,
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

    #[tokio::test]
    async fn collect_all_stops_at_a_repeated_token() {
        let mut calls = 0;
        let r = collect_all(Listing::Users, |_| {
            calls += 1;
            async { Ok(Page { items: vec![1], next_token: Some("again".to_string()) }) }
        })
        .await;
        assert!(r.unwrap_err().message.contains("NextToken of an earlier page again"));
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn collect_all_stops_at_the_quota_before_asking_again() {
        let mut calls = 0;
        let r = collect_all(Listing::Endpoints, |_| {
            calls += 1;
            let t = format!("t{calls}");
            async move { Ok(Page { items: vec![1; 4], next_token: Some(t) }) }
        })
        .await;
        assert!(r.unwrap_err().message.contains("12 endpoints or more"));
        assert_eq!(calls, 3);
    }
}
