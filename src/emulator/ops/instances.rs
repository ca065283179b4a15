//! AppInstances. The service is regional: ListAppInstances returns the instances of the
//! region the request was signed for.

use super::{Ctx, int, list_output, text};
use crate::emulator::arn;
use crate::emulator::http::ApiError;
use serde_json::{Map, Value, json};

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let store = ctx.read();
    let i = store
        .instance(instance)
        .ok_or_else(|| ApiError::not_found(format!("AppInstance {instance} does not exist")))?;
    Ok(json!({"AppInstance": i}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let store = ctx.read();
    let here: Vec<_> = store
        .instances()
        .filter(|i| i.get("AppInstanceArn").and_then(Value::as_str).and_then(arn::region) == Some(ctx.region))
        .collect();
    let scope = format!("ListAppInstances {}", ctx.region);
    let (items, next) =
        ctx.tokens.page(&here, int(input, "MaxResults"), input["NextToken"].as_str(), &scope)?;
    let items = items.into_iter().map(|r| Value::Object(r.clone())).collect();
    Ok(list_output("AppInstances", items, next, Map::new()))
}
