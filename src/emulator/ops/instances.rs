//! AppInstances. The service is regional: an instance lives in the region its create was
//! signed for, and ListAppInstances returns the instances of the request's region (and, with
//! `--account`, of the caller's account).

use super::{Ctx, MAX_INSTANCES_PER_ACCOUNT, apply_tags, copy, limit, new_id, page, tag_pairs, text};
use crate::emulator::arn;
use crate::emulator::http::ApiError;
use crate::emulator::store::{Record, Store};
use serde_json::{Map, Value, json};

fn missing(instance: &str) -> ApiError {
    ApiError::not_found(format!("AppInstance {instance} does not exist"))
}

/// The instance named by the input's `AppInstanceArn`, checked to be visible and to exist.
pub fn existing<'s>(ctx: &Ctx<'_>, store: &'s Store, instance: &str) -> Result<&'s Record, ApiError> {
    ctx.visible(instance, "app instance")?;
    store.instance(instance).ok_or_else(|| missing(instance))
}

pub fn create(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let tags = tag_pairs(input)?;
    ctx.idempotent(input, |store| {
        let prefix = ctx.arn_prefix();
        let mine = store
            .instances()
            .filter(|i| {
                i.get("AppInstanceArn").and_then(Value::as_str).is_some_and(|a| a.starts_with(&prefix))
            })
            .count();
        if mine >= MAX_INSTANCES_PER_ACCOUNT {
            return Err(limit(format!(
                "An account has at most {MAX_INSTANCES_PER_ACCOUNT} app instances in a region"
            )));
        }
        let arn = format!("{prefix}app-instance/{}", new_id());
        let mut rec = Record::new();
        rec.insert("AppInstanceArn".into(), Value::String(arn.clone()));
        copy(&mut rec, input, &["Name", "Metadata"]);
        rec.insert("CreatedTimestamp".into(), ctx.timestamp());
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
        store.put_instance(rec);
        apply_tags(store, &arn, &tags)?;
        Ok(json!({"AppInstanceArn": arn}))
    })
}

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let store = ctx.read();
    let i = existing(ctx, &store, instance)?;
    Ok(json!({"AppInstance": i}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let store = ctx.read();
    let here: Vec<&Record> = store
        .instances()
        .filter(|i| {
            let a = i.get("AppInstanceArn").and_then(Value::as_str).and_then(arn::parse);
            a.is_some_and(|a| a.region == ctx.region && (!ctx.isolate_accounts || a.account == ctx.account))
        })
        .collect();
    let scope = format!("ListAppInstances {} {}", ctx.region, ctx.account);
    page(ctx, input, here, &scope, "AppInstances", Map::new())
}

pub fn update(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let mut store = ctx.write();
    existing(ctx, &store, instance)?;
    store.update_instance(instance, |rec| {
        copy(rec, input, &["Name", "Metadata"]);
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
    });
    Ok(json!({"AppInstanceArn": instance}))
}

pub fn delete(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let mut store = ctx.write();
    existing(ctx, &store, instance)?;
    store.remove_instance(instance);
    Ok(json!({}))
}
