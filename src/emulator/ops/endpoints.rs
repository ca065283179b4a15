//! AppInstanceUserEndpoints: registered (201) under a user with a new ID, at most 10 per user,
//! one per device token and type; updated in Name and AllowMessages only; deregistered (204).

use super::users::existing as user_of;
use super::{Ctx, MAX_ENDPOINTS_PER_USER, conflict, copy, limit, new_id, page, text};
use crate::emulator::arn;
use crate::emulator::http::ApiError;
use crate::emulator::store::Record;
use serde_json::{Map, Value, json};

fn missing(user: &str, id: &str) -> ApiError {
    ApiError::not_found(format!("AppInstanceUserEndpoint {id} of {user} does not exist"))
}

pub fn register(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let user = text(input, "AppInstanceUserArn");
    let resource = text(input, "ResourceArn");
    let pinpoint =
        arn::parse(resource).filter(|a| a.service == "mobiletargeting" && a.resource.starts_with("apps/"));
    if pinpoint.is_none() {
        return Err(ApiError::bad_request(format!(
            "ResourceArn {resource} is not a Pinpoint app ARN (arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID)"
        )));
    }
    ctx.idempotent(input, |store| {
        user_of(ctx, store, user)?;
        let kind = text(input, "Type");
        let token = input["EndpointAttributes"]["DeviceToken"].as_str().unwrap_or("");
        // At most 10: each looked at.
        let taken = store.endpoints_of(user).unwrap_or_default().into_iter().any(|e| {
            e.get("Type").and_then(Value::as_str) == Some(kind)
                && e.get("EndpointAttributes").and_then(|a| a.get("DeviceToken")).and_then(Value::as_str)
                    == Some(token)
        });
        if taken {
            // Never quote the token: it is a secret.
            return Err(conflict(format!("This device token is already registered for {user} as {kind}")));
        }
        if store.endpoint_ids(user) >= MAX_ENDPOINTS_PER_USER {
            return Err(limit(format!("A user has at most {MAX_ENDPOINTS_PER_USER} endpoints")));
        }
        let id = new_id();
        let mut rec = Record::new();
        rec.insert("AppInstanceUserArn".into(), Value::String(user.to_string()));
        rec.insert("EndpointId".into(), Value::String(id.clone()));
        copy(&mut rec, input, &["Name", "Type", "ResourceArn", "EndpointAttributes"]);
        rec.insert("CreatedTimestamp".into(), ctx.timestamp());
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
        rec.insert("AllowMessages".into(), input.get("AllowMessages").cloned().unwrap_or(json!("ALL")));
        rec.insert("EndpointState".into(), json!({"Status": "ACTIVE"}));
        store.put_endpoint(rec);
        Ok(json!({"AppInstanceUserArn": user, "EndpointId": id}))
    })
}

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (user, id) = (text(input, "AppInstanceUserArn"), text(input, "EndpointId"));
    let store = ctx.read();
    ctx.visible(user, "app instance user")?;
    let e = store.endpoint(user, id).ok_or_else(|| missing(user, id))?;
    Ok(json!({"AppInstanceUserEndpoint": e}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let user = text(input, "AppInstanceUserArn");
    let store = ctx.read();
    user_of(ctx, &store, user)?;
    let all = store.endpoints_of(user).unwrap_or_default();
    let scope = format!("ListAppInstanceUserEndpoints {user}");
    page(ctx, input, all, &scope, "AppInstanceUserEndpoints", Map::new())
}

pub fn update(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (user, id) = (text(input, "AppInstanceUserArn"), text(input, "EndpointId"));
    let mut store = ctx.write();
    ctx.visible(user, "app instance user")?;
    let found = store.update_endpoint(user, id, |e| {
        copy(e, input, &["Name", "AllowMessages"]);
        e.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
    });
    if !found {
        return Err(missing(user, id));
    }
    Ok(json!({"AppInstanceUserArn": user, "EndpointId": id}))
}

pub fn deregister(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (user, id) = (text(input, "AppInstanceUserArn"), text(input, "EndpointId"));
    let mut store = ctx.write();
    ctx.visible(user, "app instance user")?;
    if !store.remove_endpoint(user, id) {
        return Err(missing(user, id));
    }
    Ok(json!({}))
}
