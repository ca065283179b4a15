//! AppInstanceUserEndpoints.

use super::{Ctx, int, list_output, text};
use crate::emulator::http::ApiError;
use serde_json::{Map, Value, json};

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (user, id) = (text(input, "AppInstanceUserArn"), text(input, "EndpointId"));
    let store = ctx.read();
    let e = store.endpoint(user, id).ok_or_else(|| {
        ApiError::not_found(format!("AppInstanceUserEndpoint {id} of {user} does not exist"))
    })?;
    Ok(json!({"AppInstanceUserEndpoint": e}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let user = text(input, "AppInstanceUserArn");
    let store = ctx.read();
    let all = store
        .endpoints_of(user)
        .ok_or_else(|| ApiError::not_found(format!("AppInstanceUser {user} does not exist")))?;
    let scope = format!("ListAppInstanceUserEndpoints {user}");
    let (items, next) =
        ctx.tokens.page(&all, int(input, "MaxResults"), input["NextToken"].as_str(), &scope)?;
    let items = items.into_iter().map(|r| Value::Object(r.clone())).collect();
    Ok(list_output("AppInstanceUserEndpoints", items, next, Map::new()))
}
