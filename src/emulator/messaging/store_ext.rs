//! The store's methods for the Messaging half (its data is `data`).

use super::data::Channel;
use crate::emulator::store::{Key, Record, Store};
use serde_json::Value;

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
