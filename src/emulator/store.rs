//! The emulator's data: app instances, users and endpoints (the model's `AppInstance`,
//! `AppInstanceUser`, `AppInstanceUserEndpoint`), bots, admins, retention settings, tags and
//! Pinpoint apps, with the indexes the list operations page through.
//!
//! Compact: users and endpoints (the many) are held as their JSON text without the members
//! their key already says (a user's ARN; an endpoint's user ARN and ID), under their app
//! instance and user; a record is built in its wire shape at the edge. Instances, bots,
//! admins and Pinpoint apps (the few) stay in their wire shape.
//!
//! Every change goes through one primitive (`apply`: one key to a new value or to nothing), so
//! that a write is a list of [`Change`]s: what the journal of `--state` appends (after), and
//! what rolls a write back when it cannot be persisted (before, in reverse). Seeds build a
//! store through `put_*` (see `seed`).

use super::arn;
use super::idempotency;
use indexmap::IndexMap;
use serde_json::{Map, Value};

/// An ordered map of the store's many keys (instance ARNs, user IDs) with foldhash's randomly
/// seeded hasher: SipHash over these keys was a tenth of the start-up at 100,000 users.
type FastMap<K, V> = IndexMap<K, V, foldhash::fast::RandomState>;
use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::sync::Arc;

/// The demo seed, built into the binary.
pub const DEMO_SEED: &str = include_str!("../../assets/demo/seed.json");

/// One resource in its wire shape.
pub type Record = Map<String, Value>;

/// Documented quotas.
pub const MAX_INSTANCES_PER_ACCOUNT: usize = 100;
pub const MAX_USERS_PER_INSTANCE: usize = 100_000;
pub const MAX_ENDPOINTS_PER_USER: usize = 10;
pub const MAX_TAGS: usize = 50;

/// What one change names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Instance(String),
    /// A user's ARN.
    User(String),
    /// A user's ARN and an endpoint ID.
    Endpoint(String, String),
    Bot(String),
    /// An instance's ARN and its admin's ARN.
    Admin(String, String),
    Retention(String),
    /// A resource's tags, all of them (`[[key, value], …]`).
    Tags(String),
    /// An idempotency record (kept in memory only: never journaled).
    Token([u8; 32]),
    /// A channel's ARN (Messaging).
    Channel(String),
    /// A channel's ARN and a member's ARN.
    Membership(String, String),
    /// A channel's ARN and a message ID.
    Message(String, String),
    /// The providers' outcomes for tokens, all of them (`[[token, outcome], …]`).
    PushOutcomes,
}

/// One key changed by a write: its value before (to roll back) and after (to journal).
#[derive(Clone, Debug)]
pub struct Change {
    pub key: Key,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// Where the key sat in its list before (a rollback puts it back there).
    pos: usize,
}

#[derive(Clone, Debug, Default)]
struct User {
    /// The record's JSON text, without `AppInstanceUserArn`.
    rec: Box<str>,
    /// ID → the endpoint's JSON text, without `AppInstanceUserArn` and `EndpointId`; in order
    /// (at most 10: a list).
    endpoints: Vec<(Box<str>, Box<str>)>,
}

#[derive(Clone, Debug, Default)]
struct Instance {
    rec: Record,
    /// User ID → user, in order. Shared (`Arc`): a copy of the store (the seed kept for
    /// `POST /_chimescope/reset`, the journal's) copies no user, and a write copies only the
    /// user it changes (`Arc::make_mut`).
    users: FastMap<Arc<str>, Arc<User>>,
    /// Bot ARN → `AppInstanceBot`.
    bots: IndexMap<Box<str>, Record>,
    /// Admin ARN → `AppInstanceAdmin`.
    admins: IndexMap<Box<str>, Record>,
}

/// An expiry time, ordered (never NaN: built from finite numbers only).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Due(f64);
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Due {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Everything the emulator serves.
#[derive(Clone, Debug, Default)]
pub struct Store {
    instances: FastMap<String, Instance>,
    /// instance ARN → `AppInstanceRetentionSettings`
    retention: IndexMap<String, Value>,
    /// resource ARN → key → value
    tags: IndexMap<String, IndexMap<String, String>>,
    /// Pinpoint app ARN → the app as seeded (`Arn`, `Id`, `Name`, …, and its `Channels`:
    /// `APNS`, `APNS_SANDBOX`, `APNS_VOIP`, `APNS_VOIP_SANDBOX`, `GCM` → `*ChannelResponse`).
    pinpoint_apps: IndexMap<String, Record>,
    /// Token → what its provider answers (`push::provider`), as seeded or set by the admin API.
    push_outcomes: IndexMap<String, String>,
    /// What was pushed (in memory only, never journaled).
    pushes: super::push::log::Log,
    /// The push-log lines of the write under way: they join the log only when the write is
    /// kept (see [`Store::log_push`]).
    staged_pushes: Vec<super::push::log::Line>,
    /// What each `ClientRequestToken` was used for (hashes and answers, expiring, bounded).
    /// Kept in memory only.
    idempotency: idempotency::Records,
    /// When users with `ExpirationSettings` are due, the earliest first (the exempt ones not).
    expiry: BTreeSet<(Due, String)>,
    /// Users that were already past due when the seed was loaded: a seed is a snapshot of
    /// what the service held, and they are kept (until their ExpirationSettings are put again).
    exempt: HashSet<String>,
    user_total: usize,
    endpoint_total: usize,
    /// The changes of the write under way (see [`Store::begin`]).
    txn: Option<Vec<Change>>,
    /// Chime SDK Messaging: channels with their memberships and messages.
    channels: super::messaging::data::Channels,
}

fn text<'a>(r: &'a Record, key: &str) -> &'a str {
    r.get(key).and_then(Value::as_str).unwrap_or("")
}

/// When a user with `ExpirationSettings` (CREATED_TIMESTAMP) is due, epoch seconds.
pub fn expiry_of(user: &Record) -> Option<f64> {
    let days = user.get("ExpirationSettings")?.get("ExpirationDays")?.as_f64()?;
    let created = user.get("CreatedTimestamp")?.as_f64()?;
    Some(created + days * 86_400.0).filter(|t| t.is_finite())
}

/// A record's JSON text without the members `drop`.
fn pack(rec: &Record, drop: &[&str]) -> Box<str> {
    let mut out: Vec<u8> = Vec::with_capacity(256);
    out.push(b'{');
    for (k, v) in rec.iter().filter(|(k, _)| !drop.contains(&k.as_str())) {
        if out.len() > 1 {
            out.push(b',');
        }
        // Writing JSON into memory does not fail.
        let _ = serde_json::to_writer(&mut out, k);
        out.push(b':');
        let _ = serde_json::to_writer(&mut out, v);
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default().into_boxed_str()
}

/// The wire record of packed text, with `front` members first.
fn unpack(front: &[(&str, &str)], packed: &str) -> Record {
    let mut rec = match serde_json::from_str::<Value>(packed) {
        Ok(Value::Object(m)) => m,
        _ => Record::new(),
    };
    for (i, (k, v)) in front.iter().enumerate() {
        rec.shift_insert(i, (*k).to_string(), Value::String((*v).to_string()));
    }
    rec
}

/// Packed text with `front` members first, as JSON text (no parse: a splice).
fn splice(out: &mut Vec<u8>, front: &[(&str, &str)], packed: &str) {
    out.push(b'{');
    for (i, (k, v)) in front.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = write!(out, "{}:{}", Value::String((*k).into()), Value::String((*v).into()));
    }
    let rest = packed.strip_prefix('{').unwrap_or(packed);
    if rest != "}" && !front.is_empty() {
        out.push(b',');
    }
    out.extend_from_slice(rest.as_bytes());
}

fn tags_value(m: &IndexMap<String, String>) -> Value {
    Value::Array(m.iter().map(|(k, v)| Value::Array(vec![k.clone().into(), v.clone().into()])).collect())
}

fn tags_of(v: &Value) -> IndexMap<String, String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p.get(0)?.as_str()?.to_string(), p.get(1)?.as_str()?.to_string())))
        .collect()
}

fn object(v: Option<Value>) -> Option<Record> {
    match v {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    }
}

impl Store {
    /// Start recording a write's changes.
    pub(crate) fn begin(&mut self) {
        self.txn = Some(Vec::new());
        self.staged_pushes.clear();
    }

    /// The changes recorded since [`Store::begin`].
    pub(crate) fn end(&mut self) -> Vec<Change> {
        self.txn.take().unwrap_or_default()
    }

    /// Undo a write: its changes' values before, in reverse, each back where it was.
    pub(crate) fn undo(&mut self, changes: &[Change]) {
        for c in changes.iter().rev() {
            self.apply(&c.key, c.before.clone(), Some(c.pos));
        }
    }

    /// Apply changes read back from a journal (their values after, in order).
    pub(crate) fn replay(&mut self, changes: Vec<(Key, Option<Value>)>) {
        for (k, v) in changes {
            self.apply(&k, v, None);
        }
    }

    pub(crate) fn set(&mut self, key: Key, after: Option<Value>) {
        if self.txn.is_none() {
            self.apply(&key, after, None);
            return;
        }
        let (before, pos) = self.apply(&key, after.clone(), None);
        if let Some(t) = &mut self.txn {
            t.push(Change { key, before, after, pos });
        }
    }

    fn instance_entry(&mut self, arn: &str) -> &mut Instance {
        if !self.instances.contains_key(arn) {
            let mut rec = Record::new();
            rec.insert("AppInstanceArn".into(), Value::String(arn.to_string()));
            rec.insert("Name".into(), Value::String(arn::instance_id(arn).unwrap_or_default().to_string()));
            self.instances.insert(arn.to_string(), Instance { rec, ..Instance::default() });
        }
        let i = self.instances.get_index_of(arn).unwrap_or_default();
        &mut self.instances[i]
    }

    fn index_expiry(&mut self, arn: &str, before: Option<&Record>, after: Option<&Record>) {
        if let Some(t) = before.and_then(expiry_of) {
            self.expiry.remove(&(Due(t), arn.to_string()));
        }
        if let Some(t) = after.and_then(expiry_of)
            && !self.exempt.contains(arn)
        {
            self.expiry.insert((Due(t), arn.to_string()));
        }
    }

    /// The one primitive: `key` to `value` (None: removed), at `at` in its list when it is new
    /// (else last). Its value before and where it sat.
    fn apply(&mut self, key: &Key, value: Option<Value>, at: Option<usize>) -> (Option<Value>, usize) {
        match key {
            Key::Instance(a) => match object(value) {
                Some(rec) => {
                    if let Some(i) = self.instances.get_index_of(a.as_str()) {
                        let old = std::mem::replace(&mut self.instances[i].rec, rec);
                        return (Some(Value::Object(old)), i);
                    }
                    let n = self.instances.len();
                    let pos = at.unwrap_or(n).min(n);
                    self.instances.shift_insert(pos, a.clone(), Instance { rec, ..Instance::default() });
                    (None, pos)
                }
                None => match self.instances.shift_remove_full(a.as_str()) {
                    Some((pos, _, inst)) => {
                        self.user_total -= inst.users.len();
                        self.endpoint_total -= inst.users.values().map(|u| u.endpoints.len()).sum::<usize>();
                        (Some(Value::Object(inst.rec)), pos)
                    }
                    None => (None, 0),
                },
            },
            Key::User(a) => {
                let Some((instance, id)) = arn::user_parts(a) else { return (None, 0) };
                let (instance, id): (String, Arc<str>) = (instance.into(), id.into());
                let rec = object(value);
                let before = self.user(a);
                self.index_expiry(a, before.as_ref(), rec.as_ref());
                let inst = self.instance_entry(&instance);
                let pos = match rec {
                    Some(rec) => {
                        let packed = pack(&rec, &["AppInstanceUserArn"]);
                        if let Some(i) = inst.users.get_index_of(&id) {
                            Arc::make_mut(&mut inst.users[i]).rec = packed;
                            i
                        } else {
                            let n = inst.users.len();
                            let pos = at.unwrap_or(n).min(n);
                            inst.users.shift_insert(
                                pos,
                                id,
                                Arc::new(User { rec: packed, endpoints: Vec::new() }),
                            );
                            self.user_total += 1;
                            pos
                        }
                    }
                    None => match inst.users.shift_remove_full(&*id) {
                        Some((pos, _, u)) => {
                            self.user_total -= 1;
                            self.endpoint_total -= u.endpoints.len();
                            self.exempt.remove(a.as_str());
                            pos
                        }
                        None => 0,
                    },
                };
                (before.map(Value::Object), pos)
            }
            Key::Endpoint(u, id) => {
                if !self.user_exists(u) {
                    if value.is_none() {
                        return (None, 0);
                    }
                    self.put_user(implicit_user(u, value.as_ref().and_then(Value::as_object)));
                }
                let Some(user) = self.user_entry(u) else { return (None, 0) };
                let at_now = user.endpoints.iter().position(|(e, _)| &**e == id);
                let before = at_now.map(|i| {
                    unpack(
                        &[("AppInstanceUserArn", u.as_str()), ("EndpointId", id.as_str())],
                        &user.endpoints[i].1,
                    )
                });
                let mut delta: isize = 0;
                let pos = match (object(value), at_now) {
                    (Some(rec), Some(i)) => {
                        user.endpoints[i].1 = pack(&rec, &["AppInstanceUserArn", "EndpointId"]);
                        i
                    }
                    (Some(rec), None) => {
                        let n = user.endpoints.len();
                        let pos = at.unwrap_or(n).min(n);
                        let packed = pack(&rec, &["AppInstanceUserArn", "EndpointId"]);
                        user.endpoints.insert(pos, (id.as_str().into(), packed));
                        delta = 1;
                        pos
                    }
                    (None, Some(i)) => {
                        user.endpoints.remove(i);
                        delta = -1;
                        i
                    }
                    (None, None) => 0,
                };
                self.endpoint_total = self.endpoint_total.saturating_add_signed(delta);
                (before.map(Value::Object), pos)
            }
            Key::Bot(a) => {
                let Some((instance, _)) = arn::split_bot(a) else { return (None, 0) };
                let inst = self.instance_entry(&instance);
                let key: &str = a;
                match object(value) {
                    Some(rec) => match inst.bots.get_index_of(key) {
                        Some(i) => (Some(Value::Object(std::mem::replace(&mut inst.bots[i], rec))), i),
                        None => {
                            let n = inst.bots.len();
                            let pos = at.unwrap_or(n).min(n);
                            inst.bots.shift_insert(pos, key.into(), rec);
                            (None, pos)
                        }
                    },
                    None => match inst.bots.shift_remove_full(key) {
                        Some((pos, _, r)) => (Some(Value::Object(r)), pos),
                        None => (None, 0),
                    },
                }
            }
            Key::Admin(i, a) => {
                let inst = self.instance_entry(i);
                let key: &str = a;
                match object(value) {
                    Some(rec) => match inst.admins.get_index_of(key) {
                        Some(n) => (Some(Value::Object(std::mem::replace(&mut inst.admins[n], rec))), n),
                        None => {
                            let n = inst.admins.len();
                            let pos = at.unwrap_or(n).min(n);
                            inst.admins.shift_insert(pos, key.into(), rec);
                            (None, pos)
                        }
                    },
                    None => match inst.admins.shift_remove_full(key) {
                        Some((pos, _, r)) => (Some(Value::Object(r)), pos),
                        None => (None, 0),
                    },
                }
            }
            Key::Retention(i) => match value {
                Some(v) => match self.retention.get_index_of(i.as_str()) {
                    Some(n) => (Some(std::mem::replace(&mut self.retention[n], v)), n),
                    None => {
                        let n = self.retention.len();
                        let pos = at.unwrap_or(n).min(n);
                        self.retention.shift_insert(pos, i.clone(), v);
                        (None, pos)
                    }
                },
                None => match self.retention.shift_remove_full(i.as_str()) {
                    Some((pos, _, v)) => (Some(v), pos),
                    None => (None, 0),
                },
            },
            Key::PushOutcomes => {
                let before = (!self.push_outcomes.is_empty()).then(|| tags_value(&self.push_outcomes));
                self.push_outcomes = value.as_ref().map(tags_of).unwrap_or_default();
                (before, 0)
            }
            Key::Tags(a) => match value.as_ref().map(tags_of).filter(|m| !m.is_empty()) {
                Some(m) => match self.tags.get_index_of(a.as_str()) {
                    Some(n) => (Some(tags_value(&std::mem::replace(&mut self.tags[n], m))), n),
                    None => {
                        let n = self.tags.len();
                        let pos = at.unwrap_or(n).min(n);
                        self.tags.shift_insert(pos, a.clone(), m);
                        (None, pos)
                    }
                },
                None => match self.tags.shift_remove_full(a.as_str()) {
                    Some((pos, _, m)) => (Some(tags_value(&m)), pos),
                    None => (None, 0),
                },
            },
            Key::Token(h) => {
                if value.is_none() {
                    self.idempotency.forget(h);
                }
                (None, 0)
            }
            Key::Channel(a) => self.channels.apply_channel(a, value, at),
            Key::Membership(c, m) => self.channels.apply_item(c, m, false, value, at),
            Key::Message(c, id) => self.channels.apply_item(c, id, true, value, at),
        }
    }

    fn user_entry(&mut self, arn: &str) -> Option<&mut User> {
        let (instance, id) = arn::user_parts(arn)?;
        self.instances.get_mut(instance)?.users.get_mut(id).map(Arc::make_mut)
    }

    fn user_ref(&self, arn: &str) -> Option<&User> {
        let (instance, id) = arn::user_parts(arn)?;
        self.instances.get(instance)?.users.get(id).map(Arc::as_ref)
    }

    /// Everything in seed format (what `--state` writes), lists in their order; the lists
    /// beyond the first three only when they hold anything. Written as it is walked (a state
    /// of 100,000 users is never held twice), one record a line.
    pub fn write_seed(&self, w: &mut impl Write) -> std::io::Result<()> {
        let mut line = Vec::with_capacity(512);
        let list = |w: &mut dyn Write, name: &str, first: bool| -> std::io::Result<()> {
            write!(w, "{}\"{name}\": [", if first { "{\n" } else { "\n],\n" })
        };
        let item = |w: &mut dyn Write, line: &[u8], first: &mut bool| -> std::io::Result<()> {
            w.write_all(if *first { b"\n" } else { b",\n" })?;
            *first = false;
            w.write_all(line)
        };
        list(w, "AppInstances", true)?;
        let mut first = true;
        for i in self.instances.values() {
            item(w, serde_json::to_string(&i.rec)?.as_bytes(), &mut first)?;
        }
        list(w, "AppInstanceUsers", false)?;
        let mut first = true;
        for (ia, i) in &self.instances {
            for (id, u) in &i.users {
                line.clear();
                splice(&mut line, &[("AppInstanceUserArn", &format!("{ia}/user/{id}"))], &u.rec);
                item(w, &line, &mut first)?;
            }
        }
        list(w, "AppInstanceUserEndpoints", false)?;
        let mut first = true;
        for (ia, i) in &self.instances {
            for (id, u) in &i.users {
                let ua = format!("{ia}/user/{id}");
                for (e, rec) in &u.endpoints {
                    line.clear();
                    splice(&mut line, &[("AppInstanceUserArn", &ua), ("EndpointId", e)], rec);
                    item(w, &line, &mut first)?;
                }
            }
        }
        let bots: Vec<&Record> = self.bots().collect();
        if !bots.is_empty() {
            list(w, "AppInstanceBots", false)?;
            let mut first = true;
            for b in bots {
                item(w, serde_json::to_string(b)?.as_bytes(), &mut first)?;
            }
        }
        if self.instances.values().any(|i| !i.admins.is_empty()) {
            list(w, "AppInstanceAdmins", false)?;
            let mut first = true;
            for a in self.instances.values().flat_map(|i| i.admins.values()) {
                item(w, serde_json::to_string(a)?.as_bytes(), &mut first)?;
            }
        }
        if !self.retention.is_empty() {
            list(w, "AppInstanceRetentionSettings", false)?;
            let mut first = true;
            for (a, v) in &self.retention {
                let r = serde_json::json!({"AppInstanceArn": a, "AppInstanceRetentionSettings": v});
                item(w, r.to_string().as_bytes(), &mut first)?;
            }
        }
        if !self.tags.is_empty() {
            list(w, "Tags", false)?;
            let mut first = true;
            for (a, kv) in &self.tags {
                let tags: Vec<Value> =
                    kv.iter().map(|(k, v)| serde_json::json!({"Key": k, "Value": v})).collect();
                let r = serde_json::json!({"ResourceARN": a, "Tags": tags});
                item(w, r.to_string().as_bytes(), &mut first)?;
            }
        }
        if !self.pinpoint_apps.is_empty() {
            list(w, "PinpointApps", false)?;
            let mut first = true;
            for p in self.pinpoint_apps.values() {
                item(w, serde_json::to_string(p)?.as_bytes(), &mut first)?;
            }
        }
        if !self.push_outcomes.is_empty() {
            list(w, "PushOutcomes", false)?;
            let mut first = true;
            for (t, o) in &self.push_outcomes {
                item(w, serde_json::json!({"Token": t, "Outcome": o}).to_string().as_bytes(), &mut first)?;
            }
        }
        for (name, lines) in self.channels.seed_lists() {
            list(w, name, false)?;
            let mut first = true;
            for l in lines {
                item(w, l.as_bytes(), &mut first)?;
            }
        }
        w.write_all(b"\n]\n}\n")
    }

    /// Everything in seed format as one JSON value (small stores: tests, the admin API).
    pub fn to_seed(&self) -> Value {
        let mut out = Vec::new();
        // Writing into memory does not fail.
        let _ = self.write_seed(&mut out);
        serde_json::from_slice(&out).unwrap_or(Value::Null)
    }

    /// Add or replace an app instance.
    pub(crate) fn put_instance(&mut self, rec: Record) {
        let arn = text(&rec, "AppInstanceArn").to_string();
        self.set(Key::Instance(arn), Some(Value::Object(rec)));
    }

    fn implicit_instance(&mut self, instance: &str, like: &Record) {
        if self.instances.contains_key(instance) {
            return;
        }
        let mut i = Record::new();
        i.insert("AppInstanceArn".into(), Value::String(instance.to_string()));
        i.insert("Name".into(), Value::String(arn::instance_id(instance).unwrap_or_default().to_string()));
        for t in ["CreatedTimestamp", "LastUpdatedTimestamp"] {
            if let Some(v) = like.get("CreatedTimestamp") {
                i.insert(t.into(), v.clone());
            }
        }
        self.put_instance(i);
    }

    /// Add or replace a user, and its app instance when that does not exist yet.
    pub(crate) fn put_user(&mut self, rec: Record) {
        let arn = text(&rec, "AppInstanceUserArn").to_string();
        let Some((instance, _)) = arn::user_parts(&arn) else { return };
        self.implicit_instance(instance, &rec);
        self.set(Key::User(arn), Some(Value::Object(rec)));
    }

    /// Add or replace a bot, and its app instance when that does not exist yet.
    pub(crate) fn put_bot(&mut self, rec: Record) {
        let arn = text(&rec, "AppInstanceBotArn").to_string();
        let Some((instance, _)) = arn::split_bot(&arn) else { return };
        self.implicit_instance(&instance, &rec);
        self.set(Key::Bot(arn), Some(Value::Object(rec)));
    }

    /// Add or replace an endpoint, and its user when that does not exist yet.
    pub(crate) fn put_endpoint(&mut self, rec: Record) {
        let user = text(&rec, "AppInstanceUserArn").to_string();
        if arn::user_parts(&user).is_none() {
            return;
        }
        // A user that does not exist yet is made by `apply`.
        let id = text(&rec, "EndpointId").to_string();
        self.set(Key::Endpoint(user, id), Some(Value::Object(rec)));
    }

    /// Add or replace an admin of an instance.
    pub(crate) fn put_admin(&mut self, instance: &str, admin_arn: &str, rec: Record) {
        self.set(Key::Admin(instance.to_string(), admin_arn.to_string()), Some(Value::Object(rec)));
    }

    pub(crate) fn set_retention(&mut self, instance: &str, settings: Value) {
        self.set(Key::Retention(instance.to_string()), Some(settings));
    }

    /// Replace a resource's tags (none: removed).
    pub(crate) fn set_tags(&mut self, arn: &str, tags: &IndexMap<String, String>) {
        let v = (!tags.is_empty()).then(|| tags_value(tags));
        self.set(Key::Tags(arn.to_string()), v);
    }

    /// Add a Pinpoint app (the seed checked it).
    pub(crate) fn put_pinpoint_app(&mut self, rec: Record) {
        let arn = text(&rec, "Arn").to_string();
        self.pinpoint_apps.insert(arn, rec);
    }

    /// Change a user's record in place; false when it does not exist.
    pub(crate) fn update_user(&mut self, arn: &str, f: impl FnOnce(&mut Record)) -> bool {
        let Some(mut rec) = self.user(arn) else { return false };
        f(&mut rec);
        self.set(Key::User(arn.to_string()), Some(Value::Object(rec)));
        true
    }

    /// Change an endpoint's record in place; false when it does not exist.
    pub(crate) fn update_endpoint(&mut self, user: &str, id: &str, f: impl FnOnce(&mut Record)) -> bool {
        let Some(mut rec) = self.endpoint(user, id) else { return false };
        f(&mut rec);
        self.set(Key::Endpoint(user.to_string(), id.to_string()), Some(Value::Object(rec)));
        true
    }

    /// Change an instance's record in place; false when it does not exist.
    pub(crate) fn update_instance(&mut self, arn: &str, f: impl FnOnce(&mut Record)) -> bool {
        let Some(mut rec) = self.instance(arn).cloned() else { return false };
        f(&mut rec);
        self.set(Key::Instance(arn.to_string()), Some(Value::Object(rec)));
        true
    }

    /// Change a bot's record in place; false when it does not exist.
    pub(crate) fn update_bot(&mut self, arn: &str, f: impl FnOnce(&mut Record)) -> bool {
        let Some(mut rec) = self.bot(arn).cloned() else { return false };
        f(&mut rec);
        self.set(Key::Bot(arn.to_string()), Some(Value::Object(rec)));
        true
    }

    /// The Pinpoint app `id` in `region` (and `account`, when accounts are kept apart).
    pub fn pinpoint_app(&self, region: &str, account: Option<&str>, id: &str) -> Option<&Record> {
        self.pinpoint_apps.values().find(|r| {
            arn::pinpoint_app(text(r, "Arn"))
                .is_some_and(|(rg, acct, i)| rg == region && i == id && account.is_none_or(|a| a == acct))
        })
    }

    /// Replace the providers' outcomes for tokens (checked by `push::outcome_list`).
    pub(crate) fn set_push_outcomes(&mut self, outcomes: Vec<(String, String)>) {
        let m: IndexMap<String, String> = outcomes.into_iter().collect();
        self.set(Key::PushOutcomes, (!m.is_empty()).then(|| tags_value(&m)));
    }

    /// The outcome set for a token.
    pub fn push_outcome(&self, token: &str) -> Option<&str> {
        self.push_outcomes.get(token).map(String::as_str)
    }

    pub fn push_outcome_count(&self) -> usize {
        self.push_outcomes.len()
    }

    /// The push log.
    pub fn push_log(&self) -> &super::push::log::Log {
        &self.pushes
    }

    /// Add a line to the push log: at once outside a write; inside one (see [`Store::begin`])
    /// it waits in the write until the write is kept ([`Store::take_pushes`], then
    /// [`Store::commit_pushes`]), so that a write undone leaves no line. The line as logged,
    /// or as staged (its `seq` 0).
    pub(crate) fn log_push(&mut self, line: super::push::log::Line) -> super::push::log::Line {
        if self.txn.is_some() {
            self.staged_pushes.push(line.clone());
            return line;
        }
        self.pushes.push(line)
    }

    /// The lines the write under way staged, taken out of it.
    pub(crate) fn take_pushes(&mut self) -> Vec<super::push::log::Line> {
        std::mem::take(&mut self.staged_pushes)
    }

    /// Add the lines of a write that was kept to the push log, in order.
    pub(crate) fn commit_pushes(&mut self, lines: Vec<super::push::log::Line>) {
        for l in lines {
            self.pushes.push(l);
        }
    }

    pub fn pinpoint_apps(&self) -> impl ExactSizeIterator<Item = &Record> {
        self.pinpoint_apps.values()
    }

    pub fn retention(&self, instance: &str) -> Option<&Value> {
        self.retention.get(instance)
    }

    /// Remove an endpoint; true when it existed.
    pub(crate) fn remove_endpoint(&mut self, user: &str, id: &str) -> bool {
        if self.endpoint(user, id).is_none() {
            return false;
        }
        self.set(Key::Endpoint(user.to_string(), id.to_string()), None);
        true
    }

    /// Remove whatever names `member` as an admin of `instance`.
    fn drop_admin(&mut self, instance: &str, member: &str) {
        if self.admin(instance, member).is_some() {
            self.set(Key::Admin(instance.to_string(), member.to_string()), None);
        }
    }

    pub(crate) fn drop_tags(&mut self, arn: &str) {
        if self.tags.contains_key(arn) {
            self.set(Key::Tags(arn.to_string()), None);
        }
    }

    /// Remove a user with its endpoints, tags and admin roles; true when it existed.
    pub(crate) fn remove_user(&mut self, arn: &str) -> bool {
        let Some(ids) = self.user_ref(arn).map(|u| u.endpoints.iter().map(|(e, _)| e.to_string()).collect())
        else {
            return false;
        };
        let ids: Vec<String> = ids;
        for id in ids {
            self.set(Key::Endpoint(arn.to_string(), id), None);
        }
        self.drop_tags(arn);
        self.drop_memberships_of(arn);
        if let Some((instance, _)) = arn::split_user(arn) {
            self.drop_admin(&instance, arn);
        }
        self.set(Key::User(arn.to_string()), None);
        true
    }

    /// Remove a bot with its tags and admin roles; true when it existed.
    pub(crate) fn remove_bot(&mut self, arn: &str) -> bool {
        if self.bot(arn).is_none() {
            return false;
        }
        self.drop_tags(arn);
        self.drop_memberships_of(arn);
        if let Some((instance, _)) = arn::split_bot(arn) {
            self.drop_admin(&instance, arn);
        }
        self.set(Key::Bot(arn.to_string()), None);
        true
    }

    /// Remove an instance with everything in it; true when it existed.
    pub(crate) fn remove_instance(&mut self, arn: &str) -> bool {
        let Some(inst) = self.instances.get(arn) else { return false };
        let users: Vec<String> = inst.users.keys().map(|id| format!("{arn}/user/{id}")).collect();
        let bots: Vec<String> = inst.bots.keys().map(|b| b.to_string()).collect();
        let admins: Vec<String> = inst.admins.keys().map(|b| b.to_string()).collect();
        self.drop_channels_of(arn);
        for u in users {
            self.remove_user(&u);
        }
        for b in bots {
            self.remove_bot(&b);
        }
        for a in admins {
            self.drop_admin(arn, &a);
        }
        if self.retention.contains_key(arn) {
            self.set(Key::Retention(arn.to_string()), None);
        }
        self.drop_tags(arn);
        self.set(Key::Instance(arn.to_string()), None);
        true
    }

    pub(crate) fn remove_admin(&mut self, instance: &str, admin: &str) -> bool {
        if self.admin(instance, admin).is_none() {
            return false;
        }
        self.drop_admin(instance, admin);
        true
    }

    /// Remove the users whose expiration is due at `now`; their ARNs.
    pub(crate) fn expire(&mut self, now: f64) -> Vec<String> {
        let due: Vec<String> =
            self.expiry.iter().take_while(|(t, _)| t.0 <= now).map(|(_, a)| a.clone()).collect();
        for a in &due {
            self.remove_user(a);
        }
        due
    }

    /// Keep the users already past due at `now` (a seed just loaded).
    pub(crate) fn exempt_past_due(&mut self, now: f64) {
        while let Some(first) = self.expiry.first().filter(|(t, _)| t.0 <= now).cloned() {
            self.expiry.remove(&first);
            self.exempt.insert(first.1);
        }
    }

    /// A user whose expiration was just set expires by it.
    pub(crate) fn unexempt(&mut self, user: &str) {
        if self.exempt.remove(user)
            && let Some(t) = self.user(user).as_ref().and_then(expiry_of)
        {
            self.expiry.insert((Due(t), user.to_string()));
        }
    }

    /// When the next user is due to expire, if any has ExpirationSettings.
    pub fn earliest_expiry(&self) -> Option<f64> {
        self.expiry.first().map(|(t, _)| t.0)
    }

    pub fn instances(&self) -> impl ExactSizeIterator<Item = &Record> {
        self.instances.values().map(|i| &i.rec)
    }
    /// Every user in its wire shape (built one at a time).
    pub fn users(&self) -> impl Iterator<Item = Record> + '_ {
        self.instances.iter().flat_map(|(ia, i)| {
            i.users
                .iter()
                .map(move |(id, u)| unpack(&[("AppInstanceUserArn", &format!("{ia}/user/{id}"))], &u.rec))
        })
    }
    /// How many users there are.
    pub fn user_total(&self) -> usize {
        self.user_total
    }
    pub fn bots(&self) -> impl Iterator<Item = &Record> {
        self.instances.values().flat_map(|i| i.bots.values())
    }
    pub fn endpoint_count(&self) -> usize {
        self.endpoint_total
    }

    pub fn instance(&self, arn: &str) -> Option<&Record> {
        self.instances.get(arn).map(|i| &i.rec)
    }
    pub fn user_exists(&self, arn: &str) -> bool {
        self.user_ref(arn).is_some()
    }
    pub fn user(&self, arn: &str) -> Option<Record> {
        self.user_ref(arn).map(|u| unpack(&[("AppInstanceUserArn", arn)], &u.rec))
    }
    pub fn bot(&self, arn: &str) -> Option<&Record> {
        let (instance, _) = arn::split_bot(arn)?;
        self.instances.get(instance.as_str())?.bots.get(arn)
    }
    pub fn endpoint(&self, user_arn: &str, endpoint_id: &str) -> Option<Record> {
        let u = self.user_ref(user_arn)?;
        let (_, rec) = u.endpoints.iter().find(|(e, _)| &**e == endpoint_id)?;
        Some(unpack(&[("AppInstanceUserArn", user_arn), ("EndpointId", endpoint_id)], rec))
    }
    /// How many users an instance has, or None when the instance does not exist.
    pub fn user_count(&self, instance_arn: &str) -> Option<usize> {
        Some(self.instances.get(instance_arn)?.users.len())
    }
    /// The users of an instance at these positions (in order), without looking at the others
    /// (a page of 100,000 users costs a page).
    pub fn users_in(&self, instance_arn: &str, range: std::ops::Range<usize>) -> Vec<Record> {
        let Some(i) = self.instances.get(instance_arn) else { return Vec::new() };
        range
            .filter_map(|n| i.users.get_index(n))
            .map(|(id, u)| unpack(&[("AppInstanceUserArn", &format!("{instance_arn}/user/{id}"))], &u.rec))
            .collect()
    }
    /// The bots of an instance, or None when the instance does not exist.
    pub fn bots_of(&self, instance_arn: &str) -> Option<Vec<&Record>> {
        Some(self.instances.get(instance_arn)?.bots.values().collect())
    }
    /// The admins of an instance (its `AppInstanceAdmin` records), or None when the instance
    /// does not exist.
    pub fn admins_of(&self, instance_arn: &str) -> Option<Vec<&Record>> {
        Some(self.instances.get(instance_arn)?.admins.values().collect())
    }
    pub fn admin(&self, instance_arn: &str, admin_arn: &str) -> Option<&Record> {
        self.instances.get(instance_arn)?.admins.get(admin_arn)
    }
    /// The endpoints of a user, or None when the user does not exist.
    pub fn endpoints_of(&self, user_arn: &str) -> Option<Vec<Record>> {
        let u = self.user_ref(user_arn)?;
        Some(
            u.endpoints
                .iter()
                .map(|(e, rec)| unpack(&[("AppInstanceUserArn", user_arn), ("EndpointId", e)], rec))
                .collect(),
        )
    }
    /// Whether a user has an endpoint of this ID.
    pub fn has_endpoint(&self, user_arn: &str, endpoint_id: &str) -> bool {
        self.user_ref(user_arn).is_some_and(|u| u.endpoints.iter().any(|(e, _)| &**e == endpoint_id))
    }
    pub(crate) fn endpoint_ids(&self, user_arn: &str) -> usize {
        self.user_ref(user_arn).map_or(0, |u| u.endpoints.len())
    }

    /// Whether a taggable resource (an instance, a user or a bot) exists.
    pub fn taggable(&self, arn: &str) -> bool {
        self.instances.contains_key(arn)
            || self.user_exists(arn)
            || self.bot(arn).is_some()
            || self.channels.get(arn).is_some()
    }
    pub fn tags(&self, arn: &str) -> Vec<(String, String)> {
        self.tags
            .get(arn)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }
    /// A resource's tags as a map (a copy, to change and set back).
    pub(crate) fn tag_map(&self, arn: &str) -> IndexMap<String, String> {
        self.tags.get(arn).cloned().unwrap_or_default()
    }

    /// The Messaging half's channels.
    pub fn channels(&self) -> &super::messaging::data::Channels {
        &self.channels
    }

    pub(crate) fn idempotency(&mut self) -> &mut idempotency::Records {
        &mut self.idempotency
    }

    /// Note in the write under way that an idempotency record was made (a rollback forgets it).
    pub(crate) fn note_token(&mut self, key: &str) {
        if let Some(t) = &mut self.txn {
            let h = idempotency::hash_key(key);
            t.push(Change { key: Key::Token(h), before: None, after: None, pos: 0 });
        }
    }

    /// How many idempotency records (`ClientRequestToken`s) are remembered now.
    pub fn idempotency_records(&self) -> usize {
        self.idempotency.len()
    }

    /// Remember at most `max` idempotency records (default `idempotency::MAX_RECORDS`), the
    /// oldest dropped first.
    pub fn limit_idempotency_records(&mut self, max: usize) {
        self.idempotency = idempotency::Records::with_capacity(max);
    }
}

/// The user an endpoint implies when its seed names no such user: named by its ID.
fn implicit_user(user: &str, like: Option<&Record>) -> Record {
    let id = arn::user_parts(user).map(|(_, id)| id).unwrap_or_default();
    let mut u = Record::new();
    u.insert("AppInstanceUserArn".into(), Value::String(user.to_string()));
    u.insert("Name".into(), Value::String(id.chars().take(100).collect()));
    for t in ["CreatedTimestamp", "LastUpdatedTimestamp"] {
        if let Some(v) = like.and_then(|r| r.get("CreatedTimestamp")) {
            u.insert(t.into(), v.clone());
        }
    }
    u
}
