//! What a `ClientRequestToken` was first used for, so that a retry gets the first answer again.
//!
//! A record holds no input value: the key is a SHA-256 of the account, operation and token, and
//! the request is kept as a SHA-256 of its other members (keys sorted), so no device token or
//! name of a deregistered endpoint lingers here. Records expire `LIFETIME_SECS` after the
//! first use, by the emulator's clock (the Chime SDK does not document its window; 8 hours is
//! what other AWS services document for their idempotency tokens), and at most `MAX_RECORDS`
//! are kept, the oldest dropped first. A token reused after its record is gone is a new request.

use indexmap::IndexMap;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How long a token is remembered: 8 hours.
pub const LIFETIME_SECS: f64 = 8.0 * 3600.0;
/// How many tokens are remembered at most.
pub const MAX_RECORDS: usize = 10_000;

type Hash = [u8; 32];

#[derive(Clone, Debug)]
struct Entry {
    request: Hash,
    answer: Value,
    expires: f64,
}

/// The records, oldest first.
#[derive(Clone, Debug)]
pub struct Records {
    entries: IndexMap<Hash, Entry>,
    max: usize,
}

impl Default for Records {
    fn default() -> Self {
        Self::with_capacity(MAX_RECORDS)
    }
}

/// What a token was used for before.
pub enum Seen {
    /// The same request: its first answer.
    Same(Value),
    /// Another request under the same token.
    Different,
}

impl Records {
    /// At most `max` records (at least one).
    pub fn with_capacity(max: usize) -> Self {
        Self { entries: IndexMap::new(), max: max.max(1) }
    }

    /// How many records are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drop the records that expired by `now`.
    fn prune(&mut self, now: f64) {
        // Records are added in time order and all live as long: the expired ones lead.
        let live = self.entries.values().position(|e| e.expires > now).unwrap_or(self.entries.len());
        self.entries.drain(..live);
    }

    /// What `key` (account, operation, token) was used for, if it is still remembered.
    pub fn seen(&mut self, key: &str, request: &Value, now: f64) -> Option<Seen> {
        self.prune(now);
        let e = self.entries.get(&hash_key(key))?;
        Some(if e.request == digest(request) { Seen::Same(e.answer.clone()) } else { Seen::Different })
    }

    /// Forget the record kept under `key` (its write was rolled back).
    pub fn forget(&mut self, key: &Hash) {
        self.entries.shift_remove(key);
    }

    /// Remember the answer of a first use of `key`.
    pub fn remember(&mut self, key: &str, request: &Value, answer: Value, now: f64) {
        self.prune(now);
        while self.entries.len() >= self.max {
            self.entries.shift_remove_index(0);
        }
        let entry = Entry { request: digest(request), answer, expires: now + LIFETIME_SECS };
        self.entries.insert(hash_key(key), entry);
    }
}

/// The key a record is kept under.
pub fn hash_key(key: &str) -> Hash {
    Sha256::digest(key.as_bytes()).into()
}

/// A SHA-256 of a JSON value that does not depend on the order of object members.
pub fn digest(v: &Value) -> Hash {
    let mut h = Sha256::new();
    feed(v, &mut h);
    h.finalize().into()
}

fn feed(v: &Value, h: &mut Sha256) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            h.update(b"{");
            for k in keys {
                feed(&Value::String(k.clone()), h);
                h.update(b":");
                feed(&m[k], h);
                h.update(b",");
            }
            h.update(b"}");
        }
        Value::Array(a) => {
            h.update(b"[");
            for x in a {
                feed(x, h);
                h.update(b",");
            }
            h.update(b"]");
        }
        // Scalars as JSON text (strings quoted and escaped: no two values collide).
        other => h.update(other.to_string().as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_expire_are_capped_and_hold_no_input_value() {
        let mut r = Records::with_capacity(3);
        let input = json!({"EndpointAttributes": {"DeviceToken": "secret-token-value"}, "Type": "GCM"});
        r.remember("acct Register t1", &input, json!({"EndpointId": "e1"}), 100.0);
        let reordered = json!({"Type": "GCM", "EndpointAttributes": {"DeviceToken": "secret-token-value"}});
        assert!(
            matches!(r.seen("acct Register t1", &reordered, 101.0), Some(Seen::Same(a)) if a["EndpointId"] == "e1")
        );
        assert!(matches!(r.seen("acct Register t1", &json!({}), 101.0), Some(Seen::Different)));
        assert!(!format!("{r:?}").contains("secret-token-value"), "{r:?}");
        assert!(r.seen("acct Register t1", &input, 100.0 + LIFETIME_SECS).is_none(), "expired");
        assert!(r.is_empty());
        for i in 0..10 {
            r.remember(&format!("k{i}"), &input, json!({}), 200.0);
        }
        assert_eq!(r.len(), 3);
        assert!(r.seen("k9", &input, 200.0).is_some() && r.seen("k0", &input, 200.0).is_none());
    }
}
