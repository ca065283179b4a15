//! `chimescope list`: every endpoint of a user, every page, as JSON or a table.

use super::client::{bad_args, connect_for, fail};
use super::format::Format;
use super::text::summaries_text;
use crate::aws;
use crate::jobs::paging;
use crate::jobs::worker::{Answer, Query};
use crate::model::{self, EndpointSummary, ErrorKind, ServiceError};
use crate::settings::Settings;
use serde_json::json;

/// `chimescope list`: every page.
pub async fn list(s: &Settings, user_arn: &str, fmt: &Format) -> i32 {
    let arn = match model::parse_user_arn(user_arn) {
        Ok(a) => a,
        Err(e) => return bad_args(&format!("--app-instance-user-arn: {e}")),
    };
    let (client, _emu) = match connect_for(s, arn.region()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    // The browser's paging path: the worker's page function, every page.
    let query = Query::ListEndpoints { user_arn: user_arn.to_string(), next_token: None };
    let all = match paging::list_all(&client, &query).await {
        Ok(Answer::Endpoints(page)) => Ok(page.items),
        Ok(_) => Err(ServiceError::new(ErrorKind::InvalidResponse, "not a list of endpoints", "")),
        Err(e) => Err(e),
    };
    match all {
        Ok(items) => {
            let v = json!({"AppInstanceUserEndpoints": items.iter().map(EndpointSummary::to_json).collect::<Vec<_>>()});
            fmt.print(aws::op::LIST_ENDPOINTS, &v, || summaries_text(model::short_user(user_arn), &items))
        }
        Err(e) => fail(&e, aws::op::LIST_ENDPOINTS),
    }
}
