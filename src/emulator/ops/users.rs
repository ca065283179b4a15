//! AppInstanceUsers: created in their instance under the ID the app chose, deleted with their
//! endpoints, and deleted when their ExpirationSettings make them due.

use super::instances::existing as instance_of;
use super::{
    Ctx, MAX_USERS_PER_INSTANCE, apply_tags, conflict, copy, int, limit, list_output, tag_pairs, text,
};
use crate::emulator::arn;
use crate::emulator::http::ApiError;
use crate::emulator::store::{Record, Store};
use serde_json::{Map, Value, json};

fn missing(user: &str) -> ApiError {
    ApiError::not_found(format!("AppInstanceUser {user} does not exist"))
}

/// The user named `user`, checked to be visible and to exist.
pub fn existing(ctx: &Ctx<'_>, store: &Store, user: &str) -> Result<(), ApiError> {
    ctx.visible(user, "app instance user")?;
    if store.user_exists(user) { Ok(()) } else { Err(missing(user)) }
}

pub fn create(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let tags = tag_pairs(input)?;
    ctx.idempotent(input, |store| {
        instance_of(ctx, store, instance)?;
        let arn = format!("{instance}/user/{}", text(input, "AppInstanceUserId"));
        if store.user_exists(&arn) {
            return Err(conflict(format!("AppInstanceUser {arn} already exists")));
        }
        if store.user_count(instance).unwrap_or(0) >= MAX_USERS_PER_INSTANCE {
            return Err(limit(format!("An app instance has at most {MAX_USERS_PER_INSTANCE} users")));
        }
        let mut rec = Record::new();
        rec.insert("AppInstanceUserArn".into(), Value::String(arn.clone()));
        copy(&mut rec, input, &["Name", "Metadata"]);
        rec.insert("CreatedTimestamp".into(), ctx.timestamp());
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
        copy(&mut rec, input, &["ExpirationSettings"]);
        store.put_user(rec);
        apply_tags(store, &arn, &tags)?;
        Ok(json!({"AppInstanceUserArn": arn}))
    })
}

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let user = text(input, "AppInstanceUserArn");
    let store = ctx.read();
    ctx.visible(user, "app instance user")?;
    let u = store.user(user).ok_or_else(|| missing(user))?;
    Ok(json!({"AppInstanceUser": u}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let store = ctx.read();
    instance_of(ctx, &store, instance)?;
    let scope = format!("ListAppInstanceUsers {instance}");
    let mut extra = Map::new();
    extra.insert("AppInstanceArn".into(), Value::String(instance.to_string()));
    // Only the page's users are looked at: an instance may hold 100,000.
    let len = store.user_count(instance).unwrap_or(0);
    let (range, next) =
        ctx.tokens.window(len, int(input, "MaxResults"), input["NextToken"].as_str(), &scope)?;
    let items = store.users_in(instance, range).into_iter().map(Value::Object).collect();
    Ok(list_output("AppInstanceUsers", items, next, extra))
}

pub fn update(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let user = text(input, "AppInstanceUserArn");
    let mut store = ctx.write();
    existing(ctx, &store, user)?;
    store.update_user(user, |rec| {
        copy(rec, input, &["Name", "Metadata"]);
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
    });
    Ok(json!({"AppInstanceUserArn": user}))
}

pub fn delete(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let user = text(input, "AppInstanceUserArn");
    let mut store = ctx.write();
    existing(ctx, &store, user)?;
    store.remove_user(user);
    Ok(json!({}))
}

/// Set (or, without ExpirationSettings, clear) when the user is deleted.
pub fn put_expiration(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let user = text(input, "AppInstanceUserArn");
    if arn::split_user(user).is_none() {
        return Err(ApiError::bad_request(format!("{user} is not an app instance user ARN")));
    }
    let mut store = ctx.write();
    existing(ctx, &store, user)?;
    let settings = input.get("ExpirationSettings").filter(|v| !v.is_null()).cloned();
    store.update_user(user, |rec| {
        match &settings {
            Some(s) => rec.insert("ExpirationSettings".into(), s.clone()),
            None => rec.remove("ExpirationSettings"),
        };
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
    });
    store.unexempt(user);
    let mut out = json!({"AppInstanceUserArn": user});
    if let Some(s) = settings {
        out["ExpirationSettings"] = s;
    }
    Ok(out)
}
