//! AppInstanceBots: created in their instance with a new ID.

use super::instances::existing as instance_of;
use super::{Ctx, apply_tags, copy, new_id, page, tag_pairs, text};
use crate::emulator::http::ApiError;
use crate::emulator::store::{Record, Store};
use serde_json::{Map, Value, json};

fn missing(bot: &str) -> ApiError {
    ApiError::not_found(format!("AppInstanceBot {bot} does not exist"))
}

fn existing<'s>(ctx: &Ctx<'_>, store: &'s Store, bot: &str) -> Result<&'s Record, ApiError> {
    ctx.visible(bot, "app instance bot")?;
    store.bot(bot).ok_or_else(|| missing(bot))
}

pub fn create(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let tags = tag_pairs(input)?;
    ctx.idempotent(input, |store| {
        instance_of(ctx, store, instance)?;
        let arn = format!("{instance}/bot/{}", new_id());
        let mut rec = Record::new();
        rec.insert("AppInstanceBotArn".into(), Value::String(arn.clone()));
        copy(&mut rec, input, &["Name", "Configuration"]);
        rec.insert("CreatedTimestamp".into(), ctx.timestamp());
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
        copy(&mut rec, input, &["Metadata"]);
        store.put_bot(rec);
        apply_tags(store, &arn, &tags)?;
        Ok(json!({"AppInstanceBotArn": arn}))
    })
}

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let bot = text(input, "AppInstanceBotArn");
    let store = ctx.read();
    Ok(json!({"AppInstanceBot": existing(ctx, &store, bot)?}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let store = ctx.read();
    instance_of(ctx, &store, instance)?;
    let all = store.bots_of(instance).unwrap_or_default();
    let mut extra = Map::new();
    extra.insert("AppInstanceArn".into(), Value::String(instance.to_string()));
    page(ctx, input, all, &format!("ListAppInstanceBots {instance}"), "AppInstanceBots", extra)
}

pub fn update(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let bot = text(input, "AppInstanceBotArn");
    let mut store = ctx.write();
    existing(ctx, &store, bot)?;
    store.update_bot(bot, |rec| {
        copy(rec, input, &["Name", "Metadata", "Configuration"]);
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
    });
    Ok(json!({"AppInstanceBotArn": bot}))
}

pub fn delete(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let bot = text(input, "AppInstanceBotArn");
    let mut store = ctx.write();
    existing(ctx, &store, bot)?;
    store.remove_bot(bot);
    Ok(json!({}))
}
