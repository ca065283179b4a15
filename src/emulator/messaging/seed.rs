//! The Messaging lists of a seed: `Channels` (the wire `Channel`), `ChannelMemberships` (the
//! wire `ChannelMembership` with the member's `Preferences`) and `ChannelMessages` (the wire
//! `ChannelMessage` with its `PushNotification`), each checked against the Messaging model's
//! shapes; every problem names the line (the seed's reader adds the file).

use super::channels::member_of;
use super::split_channel;
use crate::emulator::spec::ServiceModel;
use crate::emulator::spec::validate::{self, Violation};
use crate::emulator::store::{Record, Store};
use serde_json::Value;
use serde_json::value::RawValue;

/// A list's entry: an object of the members of `shape` (and `extra`, checked against its own
/// shape), holding `required`.
/// Where a seed's records are: the line of a member inside a record (`""`: the record's first).
pub struct Lines<'a> {
    pub line_of: &'a dyn Fn(&RawValue, &str) -> usize,
}

/// A problem with a seed: its line and what is wrong.
pub type Problem = (usize, String);

impl Lines<'_> {
    fn line_of(&self, raw: &RawValue, name: &str) -> usize {
        (self.line_of)(raw, name)
    }
    fn start(&self, raw: &RawValue) -> usize {
        (self.line_of)(raw, "")
    }
    fn err(&self, line: usize, message: String) -> Problem {
        (line, message)
    }
}

fn entry(
    model: &ServiceModel,
    ctx: &Lines<'_>,
    raw: &RawValue,
    list: &str,
    shape: &str,
    extra: (&str, &str),
    required: &[&str],
) -> Result<Record, Problem> {
    let start = ctx.start(raw);
    let Ok(Value::Object(mut rec)) = serde_json::from_str::<Value>(raw.get()) else {
        return Err(ctx.err(start, format!("each entry of {list} is an object")));
    };
    let Some(s) = model.shape(shape) else { return Err(ctx.err(start, format!("no shape {shape}"))) };
    for k in rec.keys() {
        if !s.members.contains_key(k) && k != extra.0 {
            let mut known: Vec<&str> = s.members.keys().map(String::as_str).collect();
            known.push(extra.0);
            return Err(ctx.err(
                ctx.line_of(raw, k),
                format!("unknown field `{k}` in {list}, expected one of {}", known.join(", ")),
            ));
        }
    }
    for r in required {
        let (top, inner) = r.split_once('.').unwrap_or((r, ""));
        let v = rec.get(top).filter(|v| !v.is_null());
        let present = if inner.is_empty() { v.is_some() } else { v.and_then(|v| v.get(inner)).is_some() };
        if !present {
            return Err(ctx.err(start, format!("{list} entry without {r}: the service requires it")));
        }
    }
    let more = rec.remove(extra.0);
    let mut violations: Vec<Violation> = Vec::new();
    let value = Value::Object(rec);
    validate::check(model, shape, &value, "", &mut violations);
    if let Some(m) = &more {
        validate::check(model, extra.1, m, &validate::member_path("", extra.0), &mut violations);
    }
    if let Some(v) = violations.first() {
        return Err(ctx.err(start, format!("{list}: {}", v.text())));
    }
    let Value::Object(mut rec) = value else { return Err(ctx.err(start, "not an object".into())) };
    if let Some(m) = more {
        rec.insert(extra.0.to_string(), m);
    }
    Ok(rec)
}

fn field<'a>(r: &'a Record, key: &str) -> &'a str {
    r.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Load the three lists into `store` (after the app instances, users and bots).
pub(crate) fn load(
    ctx: &Lines<'_>,
    store: &mut Store,
    channels: &[&RawValue],
    memberships: &[&RawValue],
    messages: &[&RawValue],
) -> Result<(), Problem> {
    if channels.is_empty() && memberships.is_empty() && messages.is_empty() {
        return Ok(());
    }
    let model = ServiceModel::messaging().map_err(|e| ctx.err(0, e))?;
    for raw in channels {
        let rec = entry(model, ctx, raw, "Channels", "Channel", ("", ""), &["ChannelArn", "Name"])?;
        let arn = field(&rec, "ChannelArn").to_string();
        let line = ctx.line_of(raw, "ChannelArn");
        let Some((inst, _)) = split_channel(&arn) else {
            return Err(ctx.err(
                line,
                format!("channel ARN {arn:?} is not of the form arn:aws:chime:REGION:ACCOUNT:app-instance/ID/channel/ID"),
            ));
        };
        if store.instance(inst).is_none() {
            return Err(ctx.err(line, format!("channel {arn}: no app instance {inst}")));
        }
        if store.channel(&arn).is_some() {
            return Err(ctx.err(line, format!("channel {arn} appears twice")));
        }
        store.put_channel(&arn, rec);
    }
    for raw in memberships {
        let rec = entry(
            model,
            ctx,
            raw,
            "ChannelMemberships",
            "ChannelMembership",
            ("Preferences", "ChannelMembershipPreferences"),
            &["ChannelArn", "Member.Arn"],
        )?;
        let channel = field(&rec, "ChannelArn").to_string();
        let member =
            rec.get("Member").and_then(|m| m.get("Arn")).and_then(Value::as_str).unwrap_or("").to_string();
        let line = ctx.line_of(raw, "Member");
        if store.channel(&channel).is_none() {
            return Err(ctx.err(ctx.line_of(raw, "ChannelArn"), format!("no channel {channel}")));
        }
        let (inst, _) = split_channel(&channel).unwrap_or_default();
        if !member_of(store, inst, &member) {
            return Err(ctx.err(line, format!("member {member:?} is not a user or bot of {inst}")));
        }
        if store.membership(&channel, &member).is_some() {
            return Err(ctx.err(line, format!("member {member} appears twice in {channel}")));
        }
        let push = rec.get("Preferences").and_then(|p| p.get("PushNotifications"));
        if let Some(rule) = push.and_then(|p| p.get("FilterRule")).and_then(Value::as_str)
            && let Err(why) = super::filter::parse(rule)
        {
            return Err(ctx.err(ctx.line_of(raw, "FilterRule"), why));
        }
        store.put_membership(&channel, &member, rec);
    }
    for raw in messages {
        let rec = entry(
            model,
            ctx,
            raw,
            "ChannelMessages",
            "ChannelMessage",
            ("PushNotification", "PushNotificationConfiguration"),
            &["ChannelArn", "MessageId", "Content"],
        )?;
        let channel = field(&rec, "ChannelArn").to_string();
        let id = field(&rec, "MessageId").to_string();
        if store.channel(&channel).is_none() {
            return Err(ctx.err(ctx.line_of(raw, "ChannelArn"), format!("no channel {channel}")));
        }
        if store.channel(&channel).is_some_and(|c| c.messages.contains_key(&id)) {
            return Err(
                ctx.err(ctx.line_of(raw, "MessageId"), format!("message {id} appears twice in {channel}"))
            );
        }
        store.put_message(&channel, &id, rec);
    }
    Ok(())
}
