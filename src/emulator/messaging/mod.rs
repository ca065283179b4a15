//! The Chime SDK Messaging subset of the push path, from its model
//! (`assets/chime-sdk-messaging-2021-05-15.service-2.json`): channels, memberships and their
//! push preferences, messages, and tags on channels. Routes, input validation and output shapes
//! come from the model (`spec`), as for Identity; this module is the semantics. Messaging's
//! paths (`/channels…`, `/channel-flows…`, `/endpoints/messaging-session`,
//! `/app-instances/{arn}/streaming-configurations`) are routed here; `/tags` is Identity's
//! route and tells a channel by its ARN. Every other operation of the model answers
//! [`not_served`].
//!
//! Every call names its `x-amz-chime-bearer`: a user or bot of the channel's app instance.
//! Private channels are read and written by their members (and the instance's admins);
//! preferences only by the member itself.

mod channels;
pub mod data;
pub mod delivery;
pub mod filter;
mod memberships;
mod messages;
pub(crate) mod seed;
mod store_ext;

use super::http::ApiError;
use super::ops::{Ctx, Handler, text};
use super::store::Store;
use data::Channel;
use serde_json::{Value, json};

/// Whether a request path is Messaging's.
pub fn is_messaging_path(path: &str) -> bool {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    if under("/channels") || under("/channel-flows") || path == "/endpoints/messaging-session" {
        return true;
    }
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    segs.len() == 3 && segs[0] == "app-instances" && segs[2] == "streaming-configurations"
}

/// The answer to an operation of the model the emulator does not serve: 501, never retried by
/// the SDKs, naming the operation.
pub fn not_served(operation: &str) -> ApiError {
    ApiError::new(
        501,
        "NotImplementedException",
        format!(
            "{operation} is a Chime SDK Messaging operation the chimescope emulator does not serve \
             (it serves channels, memberships, membership preferences, messages and channel tags)"
        ),
    )
}

/// `(instance ARN, channel ID)` of `arn:…:app-instance/ID/channel/CID`.
pub fn split_channel(arn: &str) -> Option<(&str, &str)> {
    let at = arn.find("/channel/")?;
    let (instance, id) = (&arn[..at], &arn[at + "/channel/".len()..]);
    (super::arn::instance_id(instance).is_some() && !id.is_empty() && !id.contains('/'))
        .then_some((instance, id))
}

fn missing_channel(arn: &str) -> ApiError {
    ApiError::not_found(format!("Channel {arn} does not exist"))
}

/// The channel `arn`, checked to be visible and to exist.
fn channel_of<'s>(ctx: &Ctx<'_>, store: &'s Store, arn: &str) -> Result<&'s Channel, ApiError> {
    ctx.visible(arn, "channel")?;
    if split_channel(arn).is_none() {
        return Err(ApiError::bad_request(format!(
            "{arn} is not a channel ARN (arn:aws:chime:REGION:ACCOUNT:app-instance/ID/channel/ID)"
        )));
    }
    store.channel(arn).ok_or_else(|| missing_channel(arn))
}

/// Who a call is made for.
pub struct Bearer {
    pub arn: String,
    /// An AppInstanceAdmin of the instance.
    pub admin: bool,
}

/// The `x-amz-chime-bearer` of the input: a user or bot of `instance` that exists.
fn bearer(store: &Store, input: &Value, instance: &str) -> Result<Bearer, ApiError> {
    let arn = text(input, "ChimeBearer");
    let of = super::arn::user_parts(arn)
        .map(|(i, _)| i.to_string())
        .or_else(|| super::arn::split_bot(arn).map(|(i, _)| i));
    let exists = store.user_exists(arn) || store.bot(arn).is_some();
    if of.as_deref() != Some(instance) || !exists {
        return Err(ApiError::modelled(
            "ForbiddenException",
            format!("The x-amz-chime-bearer {arn} is not a user or bot of app instance {instance}"),
        ));
    }
    Ok(Bearer { arn: arn.to_string(), admin: store.admin(instance, arn).is_some() })
}

/// `{"Arn", "Name"}` of a user or bot.
fn identity(store: &Store, arn: &str) -> Value {
    let name = store
        .user(arn)
        .and_then(|u| u.get("Name").cloned())
        .or_else(|| store.bot(arn).and_then(|b| b.get("Name").cloned()));
    match name {
        Some(n) => json!({"Arn": arn, "Name": n}),
        None => json!({"Arn": arn}),
    }
}

fn forbidden(message: String) -> ApiError {
    ApiError::modelled("ForbiddenException", message)
}

fn is_private(ch: &Channel) -> bool {
    ch.rec.get("Privacy").and_then(Value::as_str) == Some("PRIVATE")
}

/// A private channel is read and written by its members and the instance's admins.
fn may_use(ch: &Channel, who: &Bearer) -> Result<(), ApiError> {
    if is_private(ch) && !who.admin && !ch.members.contains_key(&who.arn) {
        return Err(forbidden(format!("{} is not a member of the private channel", who.arn)));
    }
    Ok(())
}

/// Changing a channel: its creator (its moderator) or an admin of the instance.
fn may_moderate(ch: &Channel, who: &Bearer) -> Result<(), ApiError> {
    let creator = ch.rec.get("CreatedBy").and_then(|c| c.get("Arn")).and_then(Value::as_str);
    if who.admin || creator == Some(who.arn.as_str()) {
        return Ok(());
    }
    Err(forbidden(format!("{} is not a moderator of the channel or an AppInstanceAdmin", who.arn)))
}

/// Every operation of the subset.
const HANDLERS: &[(&str, Handler)] = &[
    ("CreateChannel", channels::create),
    ("DescribeChannel", channels::describe),
    ("ListChannels", channels::list),
    ("UpdateChannel", channels::update),
    ("DeleteChannel", channels::delete),
    ("CreateChannelMembership", memberships::create),
    ("BatchCreateChannelMembership", memberships::batch_create),
    ("DescribeChannelMembership", memberships::describe),
    ("ListChannelMemberships", memberships::list),
    ("DeleteChannelMembership", memberships::delete),
    ("ListChannelMembershipsForAppInstanceUser", memberships::list_for_user),
    ("DescribeChannelMembershipForAppInstanceUser", memberships::describe_for_user),
    ("PutChannelMembershipPreferences", memberships::put_preferences),
    ("GetChannelMembershipPreferences", memberships::get_preferences),
    ("SendChannelMessage", messages::send),
    ("GetChannelMessage", messages::get),
    ("ListChannelMessages", messages::list),
];

pub fn handler(operation: &str) -> Option<Handler> {
    HANDLERS.iter().find(|(n, _)| *n == operation).map(|(_, h)| *h)
}

/// The served operations (tags on channels are served through Identity's `/tags` route).
pub fn served() -> impl Iterator<Item = &'static str> {
    HANDLERS.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::spec::{Segment, ServiceModel, route};

    #[test]
    fn the_model_loads_every_pattern_enforced_and_every_path_is_told_apart() {
        let m = ServiceModel::messaging().unwrap();
        assert_eq!(m.signing_name, "chime");
        assert_eq!(m.operations.len(), 51);
        assert!(m.skipped_patterns.is_empty(), "{:?}", m.skipped_patterns);
        for name in served() {
            assert!(m.operation(name).is_some(), "{name}");
        }
        for op in m.operations.values() {
            let path: String = op
                .path
                .iter()
                .map(|s| match s {
                    Segment::Literal(l) => format!("/{l}"),
                    Segment::Label(_) => {
                        "/arn%3Aaws%3Achime%3Aus-east-1%3A1%3Aapp-instance%2Fa%2Fchannel%2Fc".into()
                    }
                })
                .collect();
            let found = route::find(m, &op.method, &path, &op.fixed_query).map(|f| f.operation.name.as_str());
            assert_eq!(found, Some(op.name.as_str()), "{} {path}", op.method);
            assert_eq!(is_messaging_path(&path), !path.starts_with("/tags"), "{path}");
        }
        assert!(!is_messaging_path("/app-instances/x") && !is_messaging_path("/app-instance-users/x"));
        assert!(!is_messaging_path("/channelsx"));
    }

    #[test]
    fn a_rolled_back_delete_puts_channels_memberships_and_messages_back_in_order() {
        let mut store = Store::demo();
        let before = store.to_seed();
        let staging =
            "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab";
        store.begin();
        assert!(store.remove_instance(staging));
        let changes = store.end();
        assert!(store.channels().is_empty());
        assert!(changes.iter().any(|c| matches!(c.key, crate::emulator::store::Key::Message(..))));
        store.undo(&changes);
        assert_eq!(store.to_seed(), before);
        // A user leaving takes its memberships only.
        store.begin();
        store.remove_user(&format!("{staging}/user/qa-1"));
        let changes = store.end();
        let left: usize = store.channels().all().map(|c| c.members.len()).sum();
        assert_eq!(left, 4);
        store.undo(&changes);
        assert_eq!(store.to_seed(), before);
    }

    #[test]
    fn channel_arns_split() {
        let a = "arn:aws:chime:us-east-1:1:app-instance/i/channel/c-1";
        assert_eq!(split_channel(a), Some(("arn:aws:chime:us-east-1:1:app-instance/i", "c-1")));
        assert_eq!(split_channel("arn:aws:chime:us-east-1:1:app-instance/i/user/u"), None);
        assert_eq!(split_channel("arn:aws:chime:us-east-1:1:app-instance/i/channel/"), None);
    }
}
