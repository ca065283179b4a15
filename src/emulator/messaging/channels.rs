//! Channels: created under an app instance by a bearer (who becomes its moderator and first
//! member), with the members and moderators it names; described, listed, updated and deleted
//! (with their memberships and messages).

use super::{bearer, channel_of, identity, is_private, may_moderate, may_use, split_channel};
use crate::emulator::http::ApiError;
use crate::emulator::ops::{Ctx, apply_tags, conflict, copy, new_id, page, tag_pairs, text};
use crate::emulator::store::{Record, Store};
use serde_json::{Map, Value, json};

/// The app instance `arn`, checked to be visible and to exist.
fn instance(ctx: &Ctx<'_>, store: &Store, arn: &str) -> Result<(), ApiError> {
    ctx.visible(arn, "app instance")?;
    if store.instance(arn).is_some() {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("AppInstance {arn} does not exist")))
    }
}

/// A new membership record of `member` in `channel`, invited by `by`.
pub(super) fn membership(
    ctx: &Ctx<'_>,
    store: &Store,
    channel: &str,
    member: &str,
    by: &str,
    kind: &str,
) -> Record {
    let mut rec = Record::new();
    rec.insert("InvitedBy".into(), identity(store, by));
    rec.insert("Type".into(), json!(kind));
    rec.insert("Member".into(), identity(store, member));
    rec.insert("ChannelArn".into(), json!(channel));
    rec.insert("CreatedTimestamp".into(), ctx.timestamp());
    rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
    rec
}

/// Whether `arn` is a user or bot of `instance` that exists.
pub(super) fn member_of(store: &Store, instance: &str, arn: &str) -> bool {
    let of = crate::emulator::arn::user_parts(arn)
        .map(|(i, _)| i.to_string())
        .or_else(|| crate::emulator::arn::split_bot(arn).map(|(i, _)| i));
    of.as_deref() == Some(instance) && (store.user_exists(arn) || store.bot(arn).is_some())
}

pub fn create(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let inst = text(input, "AppInstanceArn");
    let tags = tag_pairs(input)?;
    ctx.idempotent(input, |store| {
        instance(ctx, store, inst)?;
        let who = bearer(store, input, inst)?;
        let id = input.get("ChannelId").and_then(Value::as_str).map_or_else(new_id, str::to_string);
        let arn = format!("{inst}/channel/{id}");
        if store.channel(&arn).is_some() {
            return Err(conflict(format!("Channel {arn} already exists")));
        }
        let named: Vec<&str> = ["MemberArns", "ModeratorArns"]
            .iter()
            .flat_map(|k| input.get(*k).and_then(Value::as_array).into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
        if let Some(bad) = named.iter().find(|m| !member_of(store, inst, m)) {
            return Err(ApiError::bad_request(format!("{bad} is not a user or bot of app instance {inst}")));
        }
        let mut rec = Record::new();
        copy(&mut rec, input, &["Name"]);
        rec.insert("ChannelArn".into(), json!(arn));
        rec.insert("Mode".into(), input.get("Mode").cloned().unwrap_or(json!("UNRESTRICTED")));
        rec.insert("Privacy".into(), input.get("Privacy").cloned().unwrap_or(json!("PUBLIC")));
        copy(&mut rec, input, &["Metadata"]);
        rec.insert("CreatedBy".into(), identity(store, &who.arn));
        rec.insert("CreatedTimestamp".into(), ctx.timestamp());
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
        copy(&mut rec, input, &["ElasticChannelConfiguration", "ExpirationSettings"]);
        store.put_channel(&arn, rec);
        for m in std::iter::once(who.arn.as_str()).chain(named) {
            if store.membership(&arn, m).is_none() {
                let rec = membership(ctx, store, &arn, m, &who.arn, "DEFAULT");
                store.put_membership(&arn, m, rec);
            }
        }
        apply_tags(store, &arn, &tags)?;
        Ok(json!({"ChannelArn": arn}))
    })
}

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let arn = text(input, "ChannelArn");
    let store = ctx.read();
    let ch = channel_of(ctx, &store, arn)?;
    let (inst, _) = split_channel(arn).unwrap_or_default();
    let who = bearer(&store, input, inst)?;
    may_use(ch, &who)?;
    Ok(json!({"Channel": ch.rec}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let inst = text(input, "AppInstanceArn");
    let store = ctx.read();
    instance(ctx, &store, inst)?;
    let who = bearer(&store, input, inst)?;
    let privacy = input.get("Privacy").and_then(Value::as_str);
    if privacy == Some("PRIVATE") && !who.admin {
        return Err(super::forbidden(format!(
            "Only an AppInstanceAdmin lists private channels: {} is not one",
            who.arn
        )));
    }
    let prefix = format!("{inst}/channel/");
    let all: Vec<&Record> = store
        .channels()
        .all()
        .filter(|c| c.rec.get("ChannelArn").and_then(Value::as_str).is_some_and(|a| a.starts_with(&prefix)))
        .filter(|c| match privacy {
            Some(p) => c.rec.get("Privacy").and_then(Value::as_str) == Some(p),
            // Without a filter: the public ones, and the private ones an admin or member sees.
            None => !is_private(c) || who.admin || c.members.contains_key(&who.arn),
        })
        .map(|c| &c.rec)
        .collect();
    let scope = format!("ListChannels {inst} {}", privacy.unwrap_or(""));
    page(ctx, input, all, &scope, "Channels", Map::new())
}

pub fn update(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let arn = text(input, "ChannelArn");
    let mut store = ctx.write();
    let ch = channel_of(ctx, &store, arn)?;
    let (inst, _) = split_channel(arn).unwrap_or_default();
    let who = bearer(&store, input, inst)?;
    may_moderate(ch, &who)?;
    let mut rec = ch.rec.clone();
    copy(&mut rec, input, &["Name", "Mode", "Metadata"]);
    rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
    store.put_channel(arn, rec);
    Ok(json!({"ChannelArn": arn}))
}

pub fn delete(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let arn = text(input, "ChannelArn");
    let mut store = ctx.write();
    let ch = channel_of(ctx, &store, arn)?;
    let (inst, _) = split_channel(arn).unwrap_or_default();
    let who = bearer(&store, input, inst)?;
    may_moderate(ch, &who)?;
    store.remove_channel(arn);
    Ok(json!({}))
}
