//! The operations' semantics, keyed by operation name. Everything else about an operation
//! (route, input reading and validation, output encoding, status code) comes from the service
//! model; a handler gets the validated input as a JSON object keyed by member name and returns
//! its output the same way (members the output shape does not have are dropped, so a handler
//! may hand full records to a summary list).

mod admins;
mod bots;
mod endpoints;
mod instances;
mod settings;
mod tags;
mod users;

use super::arn;
use super::http::ApiError;
use super::idempotency::Seen;
use super::paging::Tokens;
use super::store::{Record, Store};
use serde_json::{Map, Value};
use std::cell::{Ref, RefCell, RefMut};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

pub use super::store::{MAX_ENDPOINTS_PER_USER, MAX_INSTANCES_PER_ACCOUNT, MAX_TAGS, MAX_USERS_PER_INSTANCE};

/// How a handler reaches the store: through its lock (reads), or held for it by the caller
/// for the whole of a write (so that the write's changes are its own, journaled in order).
pub enum Access<'a> {
    Shared(&'a RwLock<Store>),
    Held(RefCell<&'a mut Store>),
}

/// The store, read.
pub enum Read<'a> {
    Lock(RwLockReadGuard<'a, Store>),
    Held(Ref<'a, Store>),
}

/// The store, written.
pub enum Write<'a> {
    Lock(RwLockWriteGuard<'a, Store>),
    Held(RefMut<'a, Store>),
}

impl std::ops::Deref for Read<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        match self {
            Read::Lock(g) => g,
            Read::Held(r) => r,
        }
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        match self {
            Write::Lock(g) => g,
            Write::Held(r) => r,
        }
    }
}

impl std::ops::DerefMut for Write<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        match self {
            Write::Lock(g) => &mut *g,
            Write::Held(r) => &mut *r,
        }
    }
}

/// What a handler works with.
pub struct Ctx<'a> {
    pub store: Access<'a>,
    pub tokens: &'a Tokens,
    /// The region of the request's SigV4 scope: the service is regional.
    pub region: &'a str,
    /// The caller's account (from its access key).
    pub account: &'a str,
    /// Whether resources of other accounts are hidden (`--account` was given).
    pub isolate_accounts: bool,
    /// The emulator's clock, epoch seconds (for the writes' timestamps).
    pub now: f64,
    /// The operation being served.
    pub operation: &'a str,
}

impl Ctx<'_> {
    pub fn read(&self) -> Read<'_> {
        match &self.store {
            Access::Shared(l) => Read::Lock(l.read().unwrap_or_else(|e| e.into_inner())),
            Access::Held(c) => Read::Held(Ref::map(c.borrow(), |s| &**s)),
        }
    }
    pub fn write(&self) -> Write<'_> {
        match &self.store {
            Access::Shared(l) => Write::Lock(l.write().unwrap_or_else(|e| e.into_inner())),
            Access::Held(c) => Write::Held(RefMut::map(c.borrow_mut(), |s| &mut **s)),
        }
    }

    /// The clock as a wire timestamp (milliseconds).
    pub fn timestamp(&self) -> Value {
        let ms = (self.now * 1000.0).round() / 1000.0;
        serde_json::Number::from_f64(ms).map(Value::Number).unwrap_or(Value::from(0))
    }

    /// Whether the caller may see `arn`: an ARN that does not parse as a `what` (`app
    /// instance`, `app instance user`, `app instance bot`, or any Chime `resource`) is Forbidden
    /// ("An invalid app instance user ARN was supplied…", as the service answers a malformed
    /// one); a resource of another region does not exist there (NotFound); one of another
    /// account is Forbidden, as the service answers.
    pub fn visible(&self, arn: &str, what: &str) -> Result<(), ApiError> {
        let shaped = match what {
            "app instance" => arn::instance_id(arn).is_some(),
            "app instance user" => arn::split_user(arn).is_some(),
            "app instance bot" => arn::split_bot(arn).is_some(),
            _ => arn::parse(arn).is_some_and(|a| a.service == "chime" && !a.region.is_empty()),
        };
        let Some(a) = arn::parse(arn).filter(|_| shaped) else {
            return Err(ApiError::modelled(
                "ForbiddenException",
                format!("An invalid {what} ARN was supplied for the input parameter"),
            ));
        };
        if a.region != self.region {
            return Err(ApiError::not_found(format!(
                "{what} {arn} does not exist in {} (the request was signed for {})",
                a.region, self.region
            )));
        }
        if self.isolate_accounts && a.account != self.account {
            return Err(ApiError::modelled(
                "ForbiddenException",
                format!(
                    "An invalid {what} ARN was supplied for the input parameter: it is not of account {}",
                    self.account
                ),
            ));
        }
        Ok(())
    }

    /// `arn:aws:chime:REGION:ACCOUNT:` for resources created by this request.
    pub fn arn_prefix(&self) -> String {
        format!("arn:aws:chime:{}:{}:", self.region, self.account)
    }

    /// Run a create with a `ClientRequestToken`: the same token with the same input gets the
    /// first answer again and changes nothing; with another input, ConflictException (while the
    /// token is remembered: see `idempotency`).
    pub fn idempotent(
        &self,
        input: &Value,
        create: impl FnOnce(&mut Store) -> Result<Value, ApiError>,
    ) -> Result<Value, ApiError> {
        let token = text(input, "ClientRequestToken");
        let mut rest = input.clone();
        if let Some(o) = rest.as_object_mut() {
            o.remove("ClientRequestToken");
        }
        let key = format!("{} {} {token}", self.account, self.operation);
        let mut store = self.write();
        match store.idempotency().seen(&key, &rest, self.now) {
            Some(Seen::Same(answer)) => return Ok(answer),
            Some(Seen::Different) => {
                return Err(conflict(format!(
                    "The ClientRequestToken was already used for a different {} request",
                    self.operation
                )));
            }
            None => {}
        }
        let out = create(&mut store)?;
        store.idempotency().remember(&key, &rest, out.clone(), self.now);
        store.note_token(&key);
        Ok(out)
    }
}

pub fn conflict(message: impl Into<String>) -> ApiError {
    ApiError::modelled("ConflictException", message)
}

pub fn limit(message: impl Into<String>) -> ApiError {
    ApiError::modelled("ResourceLimitExceededException", message)
}

/// A new resource ID in the service's form (a UUID, version 4 layout).
pub fn new_id() -> String {
    let (a, b) = (super::ids::random_u64(), super::ids::random_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 | (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

/// Copy the members `names` of the input into `rec` (when present).
pub fn copy(rec: &mut Record, input: &Value, names: &[&str]) {
    for n in names {
        if let Some(v) = input.get(*n).filter(|v| !v.is_null()) {
            rec.insert((*n).to_string(), v.clone());
        }
    }
}

/// The tags of an input as ordered pairs; a key given twice is a BadRequest.
pub fn tag_pairs(input: &Value) -> Result<Vec<(String, String)>, ApiError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for t in input.get("Tags").and_then(Value::as_array).into_iter().flatten() {
        let k = text(t, "Key").to_string();
        if out.iter().any(|(o, _)| *o == k) {
            return Err(ApiError::bad_request(format!("Tag key {k:?} is given more than once")));
        }
        out.push((k, text(t, "Value").to_string()));
    }
    Ok(out)
}

/// Apply tags to a resource, at most `MAX_TAGS` in all.
pub fn apply_tags(store: &mut Store, arn: &str, tags: &[(String, String)]) -> Result<(), ApiError> {
    let mut m = store.tag_map(arn);
    let new = tags.iter().filter(|(k, _)| !m.contains_key(k)).count();
    if m.len() + new > MAX_TAGS {
        return Err(limit(format!("A resource has at most {MAX_TAGS} tags")));
    }
    if tags.is_empty() {
        return Ok(());
    }
    for (k, v) in tags {
        m.insert(k.clone(), v.clone());
    }
    store.set_tags(arn, &m);
    Ok(())
}

pub type Handler = fn(&Ctx<'_>, &Value) -> Result<Value, ApiError>;

/// Every operation the emulator serves.
const HANDLERS: &[(&str, Handler)] = &[
    ("CreateAppInstance", instances::create),
    ("DescribeAppInstance", instances::describe),
    ("ListAppInstances", instances::list),
    ("UpdateAppInstance", instances::update),
    ("DeleteAppInstance", instances::delete),
    ("CreateAppInstanceUser", users::create),
    ("DescribeAppInstanceUser", users::describe),
    ("ListAppInstanceUsers", users::list),
    ("UpdateAppInstanceUser", users::update),
    ("DeleteAppInstanceUser", users::delete),
    ("PutAppInstanceUserExpirationSettings", users::put_expiration),
    ("RegisterAppInstanceUserEndpoint", endpoints::register),
    ("DescribeAppInstanceUserEndpoint", endpoints::describe),
    ("ListAppInstanceUserEndpoints", endpoints::list),
    ("UpdateAppInstanceUserEndpoint", endpoints::update),
    ("DeregisterAppInstanceUserEndpoint", endpoints::deregister),
    ("CreateAppInstanceAdmin", admins::create),
    ("DescribeAppInstanceAdmin", admins::describe),
    ("ListAppInstanceAdmins", admins::list),
    ("DeleteAppInstanceAdmin", admins::delete),
    ("CreateAppInstanceBot", bots::create),
    ("DescribeAppInstanceBot", bots::describe),
    ("ListAppInstanceBots", bots::list),
    ("UpdateAppInstanceBot", bots::update),
    ("DeleteAppInstanceBot", bots::delete),
    ("PutAppInstanceRetentionSettings", settings::put_retention),
    ("GetAppInstanceRetentionSettings", settings::get_retention),
    ("TagResource", tags::tag),
    ("UntagResource", tags::untag),
    ("ListTagsForResource", tags::list),
];

pub fn handler(operation: &str) -> Option<Handler> {
    HANDLERS.iter().find(|(n, _)| *n == operation).map(|(_, h)| *h)
}

/// The names of the served operations.
pub fn served() -> impl Iterator<Item = &'static str> {
    HANDLERS.iter().map(|(n, _)| *n)
}

/// A string member of the input ("" when absent: the model made the required ones present).
pub fn text<'a>(input: &'a Value, member: &str) -> &'a str {
    input.get(member).and_then(Value::as_str).unwrap_or("")
}

pub fn int(input: &Value, member: &str) -> Option<i64> {
    input.get(member).and_then(Value::as_i64)
}

/// `{key: items, "NextToken": next}` plus any other members.
pub fn list_output(
    key: &str,
    items: Vec<Value>,
    next: Option<String>,
    mut extra: Map<String, Value>,
) -> Value {
    extra.insert(key.to_string(), Value::Array(items));
    if let Some(t) = next {
        extra.insert("NextToken".into(), Value::String(t));
    }
    Value::Object(extra)
}

/// A record on its way into an answer: moved when owned, copied when borrowed.
pub trait IntoWire {
    fn into_wire(self) -> Value;
}
impl IntoWire for Record {
    fn into_wire(self) -> Value {
        Value::Object(self)
    }
}
impl IntoWire for Value {
    fn into_wire(self) -> Value {
        self
    }
}
impl IntoWire for &Record {
    fn into_wire(self) -> Value {
        Value::Object(self.clone())
    }
}

/// One page of records as a list answer (only the page's records are copied).
pub fn page<R: IntoWire>(
    ctx: &Ctx<'_>,
    input: &Value,
    all: Vec<R>,
    scope: &str,
    key: &str,
    extra: Map<String, Value>,
) -> Result<Value, ApiError> {
    let (range, next) =
        ctx.tokens.window(all.len(), int(input, "MaxResults"), input["NextToken"].as_str(), scope)?;
    let items = all.into_iter().skip(range.start).take(range.len()).map(IntoWire::into_wire).collect();
    Ok(list_output(key, items, next, extra))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::spec::ServiceModel;

    #[test]
    fn every_handler_is_an_operation_of_the_model() {
        let m = ServiceModel::get().unwrap();
        for name in served() {
            assert!(m.operation(name).is_some(), "{name} is not in the model");
        }
    }

    #[test]
    fn every_operation_of_the_model_is_served() {
        let m = ServiceModel::get().unwrap();
        let missing: Vec<&str> =
            m.operations.keys().map(String::as_str).filter(|o| handler(o).is_none()).collect();
        assert!(missing.is_empty(), "not served: {missing:?}");
        assert_eq!(served().count(), m.operations.len(), "an operation is served twice");
    }

    #[test]
    fn new_ids_are_uuids() {
        let id = new_id();
        assert_eq!(id.len(), 36, "{id}");
        assert_eq!(id.as_bytes()[14], b'4');
        assert_ne!(new_id(), new_id());
    }
}
