//! What the Messaging half holds: channels, each with its memberships (the wire
//! `ChannelMembership` plus the member's `Preferences`) and its persistent messages (the wire
//! `ChannelMessage` plus the `PushNotification` it asked for, which no answer carries). Every
//! change goes through the store's one primitive (keys `Channel`, `Membership`, `Message`), so
//! writes are journaled and rolled back like the Identity half's; the store's methods for them
//! are in `store_ext`.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// One record in its wire shape.
pub type Record = Map<String, Value>;

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
    /// A channel's record to `value` (None: removed), at `at` when new: the value before and
    /// where it sat (the store's one primitive, for its `Channel` keys).
    pub fn apply_channel(
        &mut self,
        arn: &str,
        value: Option<Value>,
        at: Option<usize>,
    ) -> (Option<Value>, usize) {
        match object(value) {
            Some(rec) => match self.map.get_index_of(arn) {
                Some(i) => (Some(Value::Object(std::mem::replace(&mut self.map[i].rec, rec))), i),
                None => {
                    let n = self.map.len();
                    let pos = at.unwrap_or(n).min(n);
                    self.map.shift_insert(pos, arn.to_string(), Channel { rec, ..Channel::default() });
                    (None, pos)
                }
            },
            None => match self.map.shift_remove_full(arn) {
                Some((pos, _, c)) => (Some(Value::Object(c.rec)), pos),
                None => (None, 0),
            },
        }
    }

    /// A membership (`messages` false) or a message (true) of a channel, as [`Self::apply_channel`].
    pub fn apply_item(
        &mut self,
        channel: &str,
        key: &str,
        messages: bool,
        value: Option<Value>,
        at: Option<usize>,
    ) -> (Option<Value>, usize) {
        match self.map.get_mut(channel) {
            Some(ch) => {
                put(if messages { &mut ch.messages } else { &mut ch.members }, key, object(value), at)
            }
            None => (None, 0),
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
