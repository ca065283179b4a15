//! Channel memberships and their push preferences. A member is a user or bot of the channel's
//! app instance; joining a channel twice changes nothing. Preferences are read and written by
//! the member itself only (not even an AppInstanceAdmin); a FilterRule is checked by the
//! emulator's own evaluator (`filter`) and refused with BadRequestException over a limit.

use super::channels::{member_of, membership};
use super::{Bearer, bearer, channel_of, forbidden, identity, may_moderate, may_use, split_channel};
use crate::emulator::http::ApiError;
use crate::emulator::ops::{Ctx, page, text};
use crate::emulator::store::{Record, Store};
use serde_json::{Map, Value, json};

/// The channel and the bearer of a call on it (the channel checked to exist, the bearer to be
/// of its instance).
fn on_channel(ctx: &Ctx<'_>, store: &Store, input: &Value) -> Result<(String, Bearer), ApiError> {
    let arn = text(input, "ChannelArn");
    channel_of(ctx, store, arn)?;
    let (inst, _) = split_channel(arn).unwrap_or_default();
    Ok((arn.to_string(), bearer(store, input, inst)?))
}

fn missing(channel: &str, member: &str) -> ApiError {
    ApiError::not_found(format!("{member} is not a member of channel {channel}"))
}

/// Adding members: anyone who may use an UNRESTRICTED channel; a RESTRICTED one's moderator
/// or an admin.
fn may_add(store: &Store, channel: &str, who: &Bearer) -> Result<(), ApiError> {
    let ch = store.channel(channel).ok_or_else(|| super::missing_channel(channel))?;
    may_use(ch, who)?;
    if ch.rec.get("Mode").and_then(Value::as_str) == Some("RESTRICTED") {
        may_moderate(ch, who)?;
    }
    Ok(())
}

pub fn create(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let mut store = ctx.write();
    let (channel, who) = on_channel(ctx, &store, input)?;
    may_add(&store, &channel, &who)?;
    let member = text(input, "MemberArn");
    let (inst, _) = split_channel(&channel).unwrap_or_default();
    if !member_of(&store, inst, member) {
        return Err(ApiError::not_found(format!("{member} is not a user or bot of app instance {inst}")));
    }
    if store.membership(&channel, member).is_none() {
        let kind = text(input, "Type");
        let rec = membership(ctx, &store, &channel, member, &who.arn, kind);
        store.put_membership(&channel, member, rec);
    }
    Ok(json!({"ChannelArn": channel, "Member": identity(&store, member)}))
}

pub fn batch_create(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let mut store = ctx.write();
    let (channel, who) = on_channel(ctx, &store, input)?;
    may_add(&store, &channel, &who)?;
    let (inst, _) = split_channel(&channel).unwrap_or_default();
    let kind = input.get("Type").and_then(Value::as_str).unwrap_or("DEFAULT");
    let (mut members, mut errors) = (Vec::new(), Vec::new());
    for m in input.get("MemberArns").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
    {
        if !member_of(&store, inst, m) {
            errors.push(json!({"MemberArn": m, "ErrorCode": "NotFound",
                "ErrorMessage": format!("{m} is not a user or bot of app instance {inst}")}));
            continue;
        }
        if store.membership(&channel, m).is_none() {
            let rec = membership(ctx, &store, &channel, m, &who.arn, kind);
            store.put_membership(&channel, m, rec);
        }
        members.push(identity(&store, m));
    }
    Ok(json!({
        "BatchChannelMemberships": {"InvitedBy": identity(&store, &who.arn), "Type": kind,
            "Members": members, "ChannelArn": channel},
        "Errors": errors,
    }))
}

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let store = ctx.read();
    let (channel, who) = on_channel(ctx, &store, input)?;
    let ch = store.channel(&channel).ok_or_else(|| super::missing_channel(&channel))?;
    may_use(ch, &who)?;
    let member = text(input, "MemberArn");
    let m = ch.members.get(member).ok_or_else(|| missing(&channel, member))?;
    Ok(json!({"ChannelMembership": m}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let store = ctx.read();
    let (channel, who) = on_channel(ctx, &store, input)?;
    let ch = store.channel(&channel).ok_or_else(|| super::missing_channel(&channel))?;
    may_use(ch, &who)?;
    let kind = input.get("Type").and_then(Value::as_str).unwrap_or("DEFAULT");
    let all: Vec<&Record> = ch
        .members
        .values()
        .filter(|m| m.get("Type").and_then(Value::as_str).unwrap_or("DEFAULT") == kind)
        .collect();
    let mut extra = Map::new();
    extra.insert("ChannelArn".into(), json!(channel));
    page(ctx, input, all, &format!("ListChannelMemberships {channel} {kind}"), "ChannelMemberships", extra)
}

pub fn delete(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let mut store = ctx.write();
    let (channel, who) = on_channel(ctx, &store, input)?;
    let member = text(input, "MemberArn");
    if who.arn != member {
        let ch = store.channel(&channel).ok_or_else(|| super::missing_channel(&channel))?;
        may_moderate(ch, &who)?;
    }
    if !store.remove_membership(&channel, member) {
        return Err(missing(&channel, member));
    }
    Ok(json!({}))
}

/// One membership as ListChannelMembershipsForAppInstanceUser and
/// DescribeChannelMembershipForAppInstanceUser answer it.
fn for_user(ch: &super::data::Channel, m: &Record) -> Value {
    json!({
        "ChannelSummary": ch.rec,
        "AppInstanceUserMembershipSummary": {"Type": m.get("Type").cloned().unwrap_or(json!("DEFAULT"))},
    })
}

/// The user a ForAppInstanceUser call is about: the bearer itself, or another user when the
/// bearer is an AppInstanceAdmin of that user's instance.
fn about(store: &Store, input: &Value) -> Result<String, ApiError> {
    let b = text(input, "ChimeBearer");
    let user = input.get("AppInstanceUserArn").and_then(Value::as_str).unwrap_or(b);
    let Some((inst, _)) = crate::emulator::arn::user_parts(user) else {
        return Err(ApiError::bad_request(format!("{user} is not an app instance user ARN")));
    };
    let who = bearer(store, input, inst)?;
    if who.arn != user && !who.admin {
        return Err(forbidden(format!(
            "Only the user itself or an AppInstanceAdmin reads {user}'s memberships: {} is neither",
            who.arn
        )));
    }
    Ok(user.to_string())
}

pub fn list_for_user(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let store = ctx.read();
    let user = about(&store, input)?;
    ctx.visible(&user, "app instance user")?;
    let all: Vec<Value> =
        store.channels().all().filter_map(|c| c.members.get(&user).map(|m| for_user(c, m))).collect();
    let scope = format!("ListChannelMembershipsForAppInstanceUser {user}");
    page(ctx, input, all, &scope, "ChannelMemberships", Map::new())
}

pub fn describe_for_user(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let store = ctx.read();
    let channel = text(input, "ChannelArn");
    let ch = channel_of(ctx, &store, channel)?;
    let user = about(&store, input)?;
    let m = ch.members.get(&user).ok_or_else(|| missing(channel, &user))?;
    Ok(json!({"ChannelMembership": for_user(ch, m)}))
}

/// Preferences are the member's own: any other bearer, an admin too, is Forbidden.
fn own(store: &Store, input: &Value, channel: &str) -> Result<String, ApiError> {
    let member = text(input, "MemberArn");
    let (inst, _) = split_channel(channel).unwrap_or_default();
    let who = bearer(store, input, inst)?;
    if who.arn != member {
        return Err(forbidden(format!(
            "Only the member itself reads or writes its channel membership preferences (an \
             AppInstanceAdmin cannot): {} is not {member}",
            who.arn
        )));
    }
    if store.membership(channel, member).is_none() {
        return Err(missing(channel, member));
    }
    Ok(member.to_string())
}

pub fn put_preferences(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let mut store = ctx.write();
    let channel = text(input, "ChannelArn");
    channel_of(ctx, &store, channel)?;
    let member = own(&store, input, channel)?;
    let prefs = input.get("Preferences").cloned().unwrap_or(json!({}));
    if let Some(push) = prefs.get("PushNotifications") {
        let allow = push.get("AllowNotifications").and_then(Value::as_str).unwrap_or("");
        let rule = push.get("FilterRule").and_then(Value::as_str);
        match (allow, rule) {
            ("FILTERED", None) => {
                return Err(ApiError::bad_request("AllowNotifications FILTERED needs a FilterRule"));
            }
            (_, Some(r)) => {
                super::filter::parse(r).map_err(ApiError::bad_request)?;
            }
            _ => {}
        }
    }
    let mut rec = store.membership(channel, &member).cloned().unwrap_or_default();
    rec.insert("Preferences".into(), prefs.clone());
    rec.insert("LastUpdatedTimestamp".into(), ctx.timestamp());
    store.put_membership(channel, &member, rec);
    Ok(json!({"ChannelArn": channel, "Member": identity(&store, &member), "Preferences": prefs}))
}

pub fn get_preferences(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let store = ctx.read();
    let channel = text(input, "ChannelArn");
    channel_of(ctx, &store, channel)?;
    let member = own(&store, input, channel)?;
    let prefs = store.membership(channel, &member).and_then(|m| m.get("Preferences").cloned());
    let mut out = json!({"ChannelArn": channel, "Member": identity(&store, &member)});
    if let Some(p) = prefs {
        out["Preferences"] = p;
    }
    Ok(out)
}
