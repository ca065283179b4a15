//! AppInstanceUsers.

use super::{Ctx, int, list_output, text};
use crate::emulator::http::ApiError;
use serde_json::{Map, Value, json};

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let user = text(input, "AppInstanceUserArn");
    let store = ctx.read();
    let u = store
        .user(user)
        .ok_or_else(|| ApiError::not_found(format!("AppInstanceUser {user} does not exist")))?;
    Ok(json!({"AppInstanceUser": u}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let store = ctx.read();
    let all = store
        .users_of(instance)
        .ok_or_else(|| ApiError::not_found(format!("AppInstance {instance} does not exist")))?;
    let scope = format!("ListAppInstanceUsers {instance}");
    let (items, next) =
        ctx.tokens.page(&all, int(input, "MaxResults"), input["NextToken"].as_str(), &scope)?;
    let items = items.into_iter().map(|r| Value::Object(r.clone())).collect();
    let mut extra = Map::new();
    extra.insert("AppInstanceArn".into(), Value::String(instance.to_string()));
    Ok(list_output("AppInstanceUsers", items, next, extra))
}
