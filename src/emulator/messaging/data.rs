//! What the Messaging half holds: channels, each with its memberships (the wire
//! `ChannelMembership` plus the member's `Preferences`) and its persistent messages (the wire
//! `ChannelMessage` plus the `PushNotification` it asked for, which no answer carries). Every
//! change goes through the store's one primitive (keys `Channel`, `Membership`, `Message`), so
//! writes are journaled and rolled back like the Identity half's.

use crate::emulator::store::{Key, Record, Store};
use indexmap::IndexMap;
use serde_json::Value;

#[derive(Clone, Debug, Default)]
pub struct Channel {
    pub rec: Record,
    /// Member ARN → membership, in the order they joined.
    pub members: IndexMap<String, Record>,
    /// Message ID → message, in the order they were sent.
    pub messages: IndexMap<String, Record>,
}

/// Channel ARN → channel, in the order they were created.
#[derive(Clone, Debug, Default)]
pub struct Channels {
    map: IndexMap<String, Channel>,
}

fn object(v: Option<Value>) -> Option<Record> {
    match v {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// `key` to `rec` (None: removed) in `map`, at `at` when new (else last): the value before
/// and where it sat.
fn put(
    map: &mut IndexMap<String, Record>,
    key: &str,
    rec: Option<Record>,
    at: Option<usize>,
) -> (Option<Value>, usize) {
    match rec {
        Some(rec) => match map.get_index_of(key) {
            Some(i) => (Some(Value::Object(std::mem::replace(&mut map[i], rec))), i),
            None => {
                let n = map.len();
                let pos = at.unwrap_or(n).min(n);
                map.shift_insert(pos, key.to_string(), rec);
                (None, pos)
            }
        },
        None => match map.shift_remove_full(key) {
            Some((pos, _, r)) => (Some(Value::Object(r)), pos),
            None => (None, 0),
        },
    }
}

impl Channels {
    /// The store's primitive for the Messaging keys (others are not this half's: nothing).
    pub(crate) fn apply(
        &mut self,
        key: &Key,
        value: Option<Value>,
        at: Option<usize>,
    ) -> (Option<Value>, usize) {
        match key {
            Key::Channel(a) => match object(value) {
                Some(rec) => match self.map.get_index_of(a.as_str()) {
                    Some(i) => (Some(Value::Object(std::mem::replace(&mut self.map[i].rec, rec))), i),
                    None => {
                        let n = self.map.len();
                        let pos = at.unwrap_or(n).min(n);
                        self.map.shift_insert(pos, a.clone(), Channel { rec, ..Channel::default() });
                        (None, pos)
                    }
                },
                None => match self.map.shift_remove_full(a.as_str()) {
                    Some((pos, _, c)) => (Some(Value::Object(c.rec)), pos),
                    None => (None, 0),
                },
            },
            Key::Membership(c, m) => match self.map.get_mut(c.as_str()) {
                Some(ch) => put(&mut ch.members, m, object(value), at),
                None => (None, 0),
            },
            Key::Message(c, id) => match self.map.get_mut(c.as_str()) {
                Some(ch) => put(&mut ch.messages, id, object(value), at),
                None => (None, 0),
            },
            _ => (None, 0),
        }
    }

    pub fn get(&self, arn: &str) -> Option<&Channel> {
        self.map.get(arn)
    }

    pub fn all(&self) -> impl Iterator<Item = &Channel> {
        self.map.values()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The seed lists this half adds (`Channels`, `ChannelMemberships`, `ChannelMessages`),
    /// each record as one line of JSON; empty lists are left out.
    pub fn seed_lists(&self) -> Vec<(&'static str, Vec<String>)> {
        let line = |r: &Record| serde_json::to_string(r).unwrap_or_default();
        let lists = [
            ("Channels", self.map.values().map(|c| line(&c.rec)).collect::<Vec<_>>()),
            ("ChannelMemberships", self.map.values().flat_map(|c| c.members.values().map(line)).collect()),
            ("ChannelMessages", self.map.values().flat_map(|c| c.messages.values().map(line)).collect()),
        ];
        lists.into_iter().filter(|(_, l)| !l.is_empty()).collect()
    }
}

impl Store {
    pub fn channel(&self, arn: &str) -> Option<&Channel> {
        self.channels().get(arn)
    }

    pub fn membership(&self, channel: &str, member: &str) -> Option<&Record> {
        self.channel(channel)?.members.get(member)
    }

    pub(crate) fn put_channel(&mut self, arn: &str, rec: Record) {
        self.set(Key::Channel(arn.to_string()), Some(Value::Object(rec)));
    }

    pub(crate) fn put_membership(&mut self, channel: &str, member: &str, rec: Record) {
        self.set(Key::Membership(channel.to_string(), member.to_string()), Some(Value::Object(rec)));
    }

    pub(crate) fn put_message(&mut self, channel: &str, id: &str, rec: Record) {
        self.set(Key::Message(channel.to_string(), id.to_string()), Some(Value::Object(rec)));
    }

    pub(crate) fn remove_membership(&mut self, channel: &str, member: &str) -> bool {
        if self.membership(channel, member).is_none() {
            return false;
        }
        self.set(Key::Membership(channel.to_string(), member.to_string()), None);
        true
    }

    /// Remove a channel with its memberships, messages and tags (each a change of its own, so
    /// that a rollback puts every one back).
    pub(crate) fn remove_channel(&mut self, arn: &str) -> bool {
        let Some(c) = self.channel(arn) else { return false };
        let members: Vec<String> = c.members.keys().cloned().collect();
        let messages: Vec<String> = c.messages.keys().cloned().collect();
        for m in members {
            self.set(Key::Membership(arn.to_string(), m), None);
        }
        for id in messages {
            self.set(Key::Message(arn.to_string(), id), None);
        }
        self.drop_tags(arn);
        self.set(Key::Channel(arn.to_string()), None);
        true
    }

    /// A user or bot is gone: its memberships go with it.
    pub(crate) fn drop_memberships_of(&mut self, member: &str) {
        let of: Vec<String> =
            self.channels().all().filter(|c| c.members.contains_key(member)).map(channel_arn).collect();
        for c in of {
            self.set(Key::Membership(c, member.to_string()), None);
        }
    }

    /// An app instance is gone: its channels go with it.
    pub(crate) fn drop_channels_of(&mut self, instance: &str) {
        let prefix = format!("{instance}/channel/");
        let of: Vec<String> =
            self.channels().all().map(channel_arn).filter(|a| a.starts_with(&prefix)).collect();
        for c in of {
            self.remove_channel(&c);
        }
    }
}

fn channel_arn(c: &Channel) -> String {
    c.rec.get("ChannelArn").and_then(Value::as_str).unwrap_or("").to_string()
}
