//! Channel messages: sent by a bearer who may use the channel (a member, for a private one),
//! kept when PERSISTENT, read back one at a time or as a list (newest first unless ASCENDING,
//! bounded by NotBefore/NotAfter). A message with a `PushNotification` is delivered to the
//! members through the gates of `delivery`; the `PushNotification` is kept with the message but
//! never answered (GetChannelMessage's shape has no such member).

use super::{bearer, channel_of, identity, may_use, split_channel};
use crate::emulator::http::ApiError;
use crate::emulator::ops::{Ctx, copy, new_id, page, text};
use crate::emulator::store::Record;
use serde_json::{Map, Value, json};

/// The largest Content the service keeps (the model's `Content` shape: 4096).
pub const MAX_CONTENT: usize = 4096;

/// MessageAttributes: string keys to `{"StringValues": [strings]}`, at most 1 KB in all.
fn check_attributes(attrs: Option<&Value>) -> Result<(), ApiError> {
    let Some(a) = attrs.filter(|a| !a.is_null()) else { return Ok(()) };
    for (k, v) in a.as_object().into_iter().flatten() {
        let ok =
            v.get("StringValues").and_then(Value::as_array).is_some_and(|l| l.iter().all(Value::is_string));
        if !ok {
            return Err(ApiError::bad_request(format!(
                "MessageAttributes {k:?} must be {{\"StringValues\": [strings]}}"
            )));
        }
    }
    let size = super::filter::attributes_size(a);
    if size > super::filter::MAX_ATTRIBUTE_BYTES {
        return Err(ApiError::bad_request(format!(
            "MessageAttributes are {size} bytes: at most {} are allowed",
            super::filter::MAX_ATTRIBUTE_BYTES
        )));
    }
    Ok(())
}

pub fn send(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let channel = text(input, "ChannelArn");
    check_attributes(input.get("MessageAttributes"))?;
    let content = text(input, "Content");
    if content.chars().count() > MAX_CONTENT {
        return Err(ApiError::bad_request(format!("Content is longer than {MAX_CONTENT} characters")));
    }
    ctx.idempotent(input, |store| {
        let ch = channel_of(ctx, store, channel)?;
        let (inst, _) = split_channel(channel).unwrap_or_default();
        let who = bearer(store, input, inst)?;
        may_use(ch, &who)?;
        let mut chan = ch.rec.clone();
        let id = new_id().replace('-', "");
        let mut rec = Record::new();
        rec.insert("ChannelArn".into(), json!(channel));
        rec.insert("MessageId".into(), json!(id));
        copy(&mut rec, input, &["Content", "Metadata", "Type"]);
        rec.insert("CreatedTimestamp".into(), ctx.timestamp());
        rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
        rec.insert("Sender".into(), identity(store, &who.arn));
        rec.insert("Redacted".into(), json!(false));
        copy(&mut rec, input, &["Persistence"]);
        rec.insert("Status".into(), json!({"Value": "SENT"}));
        copy(&mut rec, input, &["MessageAttributes", "ContentType", "Target", "PushNotification"]);
        super::delivery::deliver(store, &rec, ctx.now);
        if text(input, "Persistence") == "PERSISTENT" {
            store.put_message(channel, &id, rec);
        }
        chan.insert("LastMessageTimestamp".into(), ctx.timestamp());
        store.put_channel(channel, chan);
        Ok(json!({"ChannelArn": channel, "MessageId": id, "Status": {"Value": "SENT"}}))
    })
}

pub fn get(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (channel, id) = (text(input, "ChannelArn"), text(input, "MessageId"));
    let store = ctx.read();
    let ch = channel_of(ctx, &store, channel)?;
    let (inst, _) = split_channel(channel).unwrap_or_default();
    may_use(ch, &bearer(&store, input, inst)?)?;
    let m = ch
        .messages
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("Message {id} does not exist in channel {channel}")))?;
    Ok(json!({"ChannelMessage": m}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let channel = text(input, "ChannelArn");
    let store = ctx.read();
    let ch = channel_of(ctx, &store, channel)?;
    let (inst, _) = split_channel(channel).unwrap_or_default();
    may_use(ch, &bearer(&store, input, inst)?)?;
    let (after, before) =
        (input.get("NotBefore").and_then(Value::as_f64), input.get("NotAfter").and_then(Value::as_f64));
    let at = |m: &Record| m.get("CreatedTimestamp").and_then(Value::as_f64).unwrap_or(0.0);
    let mut all: Vec<&Record> = ch
        .messages
        .values()
        .filter(|m| after.is_none_or(|t| at(m) >= t) && before.is_none_or(|t| at(m) <= t))
        .collect();
    let order = input.get("SortOrder").and_then(Value::as_str).unwrap_or("DESCENDING");
    if order == "DESCENDING" {
        all.reverse();
    }
    let scope = format!("ListChannelMessages {channel} {order} {after:?} {before:?}");
    let mut extra = Map::new();
    extra.insert("ChannelArn".into(), json!(channel));
    page(ctx, input, all, &scope, "ChannelMessages", extra)
}
