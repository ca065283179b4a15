//! The first two gates of a push, decided for every member of the channel (the sender too: the
//! documentation says senders receive their own pushes unless a rule excludes them):
//!
//! 1. the message asks for a push (`PushNotification`), and targets the member when it names
//!    `Target`s;
//! 2. the member's preferences on the channel let it through: `ALL` (or none set), never
//!    `NONE`, and `FILTERED` only when the `FilterRule` matches the message's
//!    `MessageAttributes`.
//!
//! The members that pass go on to the per-endpoint gates (the endpoint, the Pinpoint app and
//! channel, the provider). Nothing here holds a token, a name, or the message's content.

use super::filter;
use crate::emulator::store::{Record, Store};
use serde_json::Value;

/// What happened to one member at gates 1–2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub member: String,
    /// The gate that stopped the member (1 or 2), or 2 when it passed both.
    pub gate: u8,
    /// None: passed on to the endpoints.
    pub skipped: Option<String>,
}

/// A message's delivery plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// No `PushNotification`: nothing is pushed to anyone.
    NoPush,
    /// One decision per member, in the channel's order.
    Members(Vec<Decision>),
}

/// Gates 1–2 for `message` (a `ChannelMessage` record with its `PushNotification`) on its
/// channel's members.
pub fn gates(store: &Store, message: &Record) -> Plan {
    if message.get("PushNotification").is_none_or(Value::is_null) {
        return Plan::NoPush;
    }
    let channel = message.get("ChannelArn").and_then(Value::as_str).unwrap_or("");
    let Some(ch) = store.channel(channel) else { return Plan::Members(Vec::new()) };
    let attrs = message.get("MessageAttributes").cloned().unwrap_or(Value::Null);
    let targets: Vec<&str> = message
        .get("Target")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|x| x.get("MemberArn").and_then(Value::as_str)).collect())
        .unwrap_or_default();
    let decisions = ch
        .members
        .iter()
        .map(|(member, m)| {
            let skip = |gate: u8, why: String| Decision { member: member.clone(), gate, skipped: Some(why) };
            if !targets.is_empty() && !targets.contains(&member.as_str()) {
                return skip(1, "the message targets other members".into());
            }
            let push = m.get("Preferences").and_then(|p| p.get("PushNotifications"));
            let allow =
                push.and_then(|p| p.get("AllowNotifications")).and_then(Value::as_str).unwrap_or("ALL");
            let verdict = match allow {
                "NONE" => Err("the member's push preferences on the channel are NONE".to_string()),
                "FILTERED" => {
                    match push.and_then(|p| p.get("FilterRule")).and_then(Value::as_str).map(filter::parse) {
                        Some(Ok(rule)) => rule.check(&attrs),
                        Some(Err(why)) => Err(format!("the member's filter rule cannot be used: {why}")),
                        None => Err("the member's preferences are FILTERED without a FilterRule".into()),
                    }
                }
                _ => Ok(()),
            };
            match verdict {
                Ok(()) => Decision { member: member.clone(), gate: 2, skipped: None },
                Err(why) => skip(2, why),
            }
        })
        .collect();
    Plan::Members(decisions)
}

/// One log line per decision (one in all when nothing is pushed).
pub fn log(plan: &Plan, channel: &str, message_id: &str) {
    match plan {
        Plan::NoPush => {
            tracing::info!(channel, message_id, "no PushNotification: nothing is pushed");
        }
        Plan::Members(ds) => {
            for d in ds {
                match &d.skipped {
                    Some(why) => {
                        tracing::info!(channel, message_id, member = %d.member, gate = d.gate, reason = %why, "push SKIPPED")
                    }
                    None => tracing::info!(channel, message_id, member = %d.member, "push passes gates 1-2"),
                }
            }
        }
    }
}
