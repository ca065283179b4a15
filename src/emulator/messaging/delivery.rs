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
//! channel, the provider: `push::deliver`), and [`deliver`] writes the push log's lines for
//! all of it. Nothing here holds a token, a name, or the message's content.

use super::filter;
use crate::emulator::push::{self, Note, Outcome, Push};
use crate::emulator::store::{Record, Store};
use serde_json::Value;

/// What happened to one member at gates 1–2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub member: String,
    /// The gate that stopped the member (1 or 2), or 2 when it passed both.
    pub gate: u8,
    /// None: passed on to the endpoints. Else why not, in words (naming attribute keys, never
    /// their values).
    pub skipped: Option<String>,
    /// Why not, as the push log's `Reason` (`NOT_TARGETED`, `ALLOW_NOTIFICATIONS_NONE`,
    /// `FILTERED_OUT`, `FILTER_RULE_INVALID`, `FILTER_RULE_MISSING`); empty when it passed.
    pub reason: &'static str,
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
            let skip = |gate: u8, reason: &'static str, why: String| Decision {
                member: member.clone(),
                gate,
                skipped: Some(why),
                reason,
            };
            if !targets.is_empty() && !targets.contains(&member.as_str()) {
                return skip(1, "NOT_TARGETED", "the message targets other members".into());
            }
            let push = m.get("Preferences").and_then(|p| p.get("PushNotifications"));
            let allow =
                push.and_then(|p| p.get("AllowNotifications")).and_then(Value::as_str).unwrap_or("ALL");
            let verdict = match allow {
                "NONE" => Err((
                    "ALLOW_NOTIFICATIONS_NONE",
                    "the member's push preferences on the channel are NONE".to_string(),
                )),
                "FILTERED" => {
                    match push.and_then(|p| p.get("FilterRule")).and_then(Value::as_str).map(filter::parse) {
                        Some(Ok(rule)) => rule.check(&attrs).map_err(|why| ("FILTERED_OUT", why)),
                        Some(Err(why)) => Err((
                            "FILTER_RULE_INVALID",
                            format!("the member's filter rule cannot be used: {why}"),
                        )),
                        None => Err((
                            "FILTER_RULE_MISSING",
                            "the member's preferences are FILTERED without a FilterRule".into(),
                        )),
                    }
                }
                _ => Ok(()),
            };
            match verdict {
                Ok(()) => Decision { member: member.clone(), gate: 2, skipped: None, reason: "" },
                Err((reason, why)) => skip(2, reason, why),
            }
        })
        .collect();
    Plan::Members(decisions)
}

/// A line for a member (or, with none, the whole message) that no endpoint was tried for.
fn skipped<'a>(
    message: (&'a str, &'a str, f64),
    member: Option<&'a str>,
    gate: u8,
    reason: &'a str,
) -> Note<'a> {
    let (channel_arn, message_id, now) = message;
    Note {
        channel_arn,
        message_id,
        member_arn: member,
        endpoint_id: None,
        gate,
        outcome: Outcome::Skipped,
        reason,
        now,
    }
}

/// The message's pushes, decided and written to the push log (inside the write that sends
/// it, so that a send undone logs nothing): for a message without `PushNotification` one line
/// (gate 1, `NO_PUSH_NOTIFICATION`); else, for every member in the channel's order, one line
/// when gates 1–2 stop it, one line per endpoint (`push::deliver`, gates 3–6) when they let it
/// through, and one line (gate 3, `NO_ENDPOINTS`) for a member with no endpoint (a bot, or a
/// user without devices). A `PushNotification` of Type VOIP goes to the VoipDeviceTokens.
/// How many lines were written.
pub fn deliver(store: &mut Store, message: &Record, now: f64) -> usize {
    let field = |k: &str| message.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (channel, id) = (field("ChannelArn"), field("MessageId"));
    let plan = gates(store, message);
    log(&plan, &channel, &id);
    let Plan::Members(decisions) = plan else {
        push::note(store, &skipped((&channel, &id, now), None, 1, "NO_PUSH_NOTIFICATION"));
        return 1;
    };
    let voip = message
        .get("PushNotification")
        .and_then(|p| p.get("Type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t == "VOIP");
    let mut lines = 0;
    for d in &decisions {
        if d.skipped.is_some() {
            push::note(store, &skipped((&channel, &id, now), Some(&d.member), d.gate, d.reason));
            lines += 1;
            continue;
        }
        // At most MAX_ENDPOINTS_PER_USER.
        let endpoints: Vec<String> = store
            .endpoints_of(&d.member)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.get("EndpointId").and_then(Value::as_str).map(str::to_string))
            .collect();
        if endpoints.is_empty() {
            push::note(store, &skipped((&channel, &id, now), Some(&d.member), 3, "NO_ENDPOINTS"));
            lines += 1;
        }
        let p = Push { channel_arn: &channel, message_id: &id, member_arn: &d.member, voip, now };
        for e in &endpoints {
            push::deliver(store, &p, e);
            lines += 1;
        }
    }
    lines
}

/// One log line per decision (one in all when nothing is pushed).
fn log(plan: &Plan, channel: &str, message_id: &str) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/chat";
    const CH: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/chat/channel/team";

    fn user(id: &str) -> String {
        format!("{INST}/user/{id}")
    }

    /// A channel whose members are: the sender (no preferences), `all`, `none`, `mentions`
    /// (FILTERED on mention=Bob) and `not-me` (the documentation's sender exclusion).
    fn store() -> Store {
        let members = [
            ("sender", None),
            ("all", Some(json!({"PushNotifications": {"AllowNotifications": "ALL"}}))),
            ("none", Some(json!({"PushNotifications": {"AllowNotifications": "NONE"}}))),
            (
                "mentions",
                Some(
                    json!({"PushNotifications": {"AllowNotifications": "FILTERED", "FilterRule": "{\"mention\":[\"Bob\"]}"}}),
                ),
            ),
            (
                "not-me",
                Some(json!({"PushNotifications": {"AllowNotifications": "FILTERED",
                    "FilterRule": "{\"senderId\":[{\"anything-but\":[\"arn:sender\"]}]}"}})),
            ),
        ];
        let seed = json!({
            "AppInstances": [{"AppInstanceArn": INST, "Name": "Chat"}],
            "AppInstanceUsers": members.iter().map(|(u, _)| json!({"AppInstanceUserArn": user(u), "Name": u})).collect::<Vec<_>>(),
            "Channels": [{"ChannelArn": CH, "Name": "Team"}],
            "ChannelMemberships": members.iter().map(|(u, p)| {
                let mut m = json!({"ChannelArn": CH, "Member": {"Arn": user(u)}});
                if let Some(p) = p { m["Preferences"] = p.clone(); }
                m
            }).collect::<Vec<_>>(),
        });
        Store::from_seed_str(&seed.to_string(), "gates.json").unwrap()
    }

    fn message(extra: Value) -> Record {
        let mut m = json!({"ChannelArn": CH, "MessageId": "m1", "Content": "secret text",
            "Sender": {"Arn": user("sender")}});
        for (k, v) in extra.as_object().unwrap() {
            m[k] = v.clone();
        }
        m.as_object().unwrap().clone()
    }

    fn outcomes(plan: &Plan) -> Vec<(String, u8, Option<String>)> {
        let Plan::Members(ds) = plan else { panic!("{plan:?}") };
        ds.iter()
            .map(|d| (d.member.rsplit('/').next().unwrap().to_string(), d.gate, d.skipped.clone()))
            .collect()
    }

    #[test]
    fn a_message_without_a_push_notification_pushes_nothing() {
        assert_eq!(gates(&store(), &message(json!({}))), Plan::NoPush);
    }

    #[test]
    fn one_case_per_gate_and_reason() {
        let push = json!({"Title": "t", "Body": "b", "Type": "DEFAULT"});
        let plan = gates(
            &store(),
            &message(json!({"PushNotification": push, "MessageAttributes": {
                "mention": {"StringValues": ["Alice"]}, "senderId": {"StringValues": ["arn:sender"]}}})),
        );
        let none = "the member's push preferences on the channel are NONE".to_string();
        let mention =
            "the filter rule's constraint on \"mention\" does not match the message's \"mention\" attribute";
        let sender = "the filter rule's constraint on \"senderId\" does not match the message's \"senderId\" attribute";
        assert_eq!(
            outcomes(&plan),
            [
                ("sender".into(), 2, None),
                ("all".into(), 2, None),
                ("none".into(), 2, Some(none.clone())),
                ("mentions".into(), 2, Some(mention.into())),
                ("not-me".into(), 2, Some(sender.into())),
            ]
        );
        // Bob is mentioned and another member sent it: both filtered members pass.
        let plan = gates(
            &store(),
            &message(json!({"PushNotification": push, "MessageAttributes": {
                "mention": {"StringValues": ["Bob"]}, "senderId": {"StringValues": ["arn:other"]}}})),
        );
        let passed: Vec<String> =
            outcomes(&plan).into_iter().filter(|(_, _, s)| s.is_none()).map(|(m, _, _)| m).collect();
        assert_eq!(passed, ["sender", "all", "mentions", "not-me"]);
        // No attributes at all: the mention rule names what is missing.
        let plan = gates(&store(), &message(json!({"PushNotification": push})));
        let o = outcomes(&plan);
        assert_eq!(
            o[3].2.as_deref(),
            Some(
                "the filter rule's constraint on \"mention\" does not match: the message has no \"mention\" attribute"
            )
        );
        assert_eq!(o[4].2, None, "anything-but passes a message without the attribute");
        // A targeted message: the others stop at gate 1.
        let plan = gates(
            &store(),
            &message(json!({"PushNotification": push, "Target": [{"MemberArn": user("all")}]})),
        );
        let o = outcomes(&plan);
        assert_eq!(o[1], ("all".into(), 2, None));
        assert_eq!(o[0], ("sender".into(), 1, Some("the message targets other members".into())));
        // No reason ever quotes the content or a rule's values.
        let text = format!("{:?}", gates(&store(), &message(json!({"PushNotification": push}))));
        assert!(!text.contains("secret text") && !text.contains("Bob"), "{text}");
    }
}

#[cfg(test)]
mod demo {
    use super::*;

    /// The demo's channel story: QA Device Farm (two devices) in three channels, one muted, one
    /// filtered to mentions of it, one open; the last message of each decides it so.
    #[test]
    fn the_demo_user_is_muted_filtered_and_open_in_its_three_channels() {
        let store = Store::demo();
        let inst = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab";
        let qa1 = format!("{inst}/user/qa-1");
        let verdict = |channel: &str| {
            let ch = store.channel(&format!("{inst}/channel/{channel}")).unwrap();
            let message = ch.messages.values().last().unwrap();
            let Plan::Members(ds) = gates(&store, message) else { panic!("no push in {channel}") };
            ds.into_iter().find(|d| d.member == qa1).unwrap().skipped
        };
        assert_eq!(
            verdict("release-alerts").as_deref(),
            Some("the member's push preferences on the channel are NONE")
        );
        assert!(verdict("standup").unwrap().contains("\"mention\""));
        assert_eq!(verdict("device-lab"), None);
        assert_eq!(store.endpoints_of(&qa1).unwrap().len(), 2);
    }

    /// A message in the open channel reaches one of QA Device Farm's two devices (the Pixel)
    /// and not the other: the provider calls the iPhone's token Unregistered, and the endpoint
    /// is deactivated as the service does.
    #[test]
    fn the_demo_message_reaches_one_device_and_not_the_other() {
        let mut store = Store::demo();
        let inst = "arn:aws:chime:us-east-1:123456789012:app-instance/c0ffee00-1234-4abc-8def-0123456789ab";
        let qa1 = format!("{inst}/user/qa-1");
        let ch = store.channel(&format!("{inst}/channel/device-lab")).unwrap();
        let message = ch.messages.values().last().unwrap().clone();
        // One line per member and endpoint (everyone in the channel lets it through).
        let expected: usize =
            ch.members.keys().map(|m| store.endpoints_of(m).map_or(0, |e| e.len()).max(1)).sum();
        assert_eq!(deliver(&mut store, &message, 1_790_001_000.0), expected);
        let (lines, _, _) = store.push_log().page(0, 100, &push::log::Filter::default());
        let of = |endpoint: &str| {
            let l = lines.iter().find(|l| l.endpoint_id.as_deref() == Some(endpoint)).unwrap();
            assert_eq!(l.member_arn.as_deref(), Some(qa1.as_str()));
            (l.gate, l.outcome, l.reason.clone())
        };
        assert_eq!(of("farm-and-1"), (6, Outcome::Sent, None));
        assert_eq!(of("farm-ios-1"), (6, Outcome::Failed, Some("Unregistered".into())));
        let state = |id: &str| store.endpoint(&qa1, id).unwrap()["EndpointState"].clone();
        assert_eq!(
            state("farm-ios-1"),
            serde_json::json!({"Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN"})
        );
        assert_eq!(state("farm-and-1"), serde_json::json!({"Status": "ACTIVE"}));
    }
}
