//! The operations' semantics, keyed by operation name. Everything else about an operation
//! (route, input reading and validation, output encoding, status code) comes from the service
//! model; a handler gets the validated input as a JSON object keyed by member name and returns
//! its output the same way (members the output shape does not have are dropped, so a handler
//! may hand full records to a summary list).

mod endpoints;
mod instances;
mod users;

use super::http::ApiError;
use super::paging::Tokens;
use super::store::Store;
use serde_json::Value;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// What a handler works with.
pub struct Ctx<'a> {
    pub store: &'a RwLock<Store>,
    pub tokens: &'a Tokens,
    /// The region of the request's SigV4 scope: the service is regional.
    pub region: &'a str,
    /// The emulator's clock, epoch seconds (for the writes' timestamps).
    #[allow(dead_code)]
    pub now: f64,
}

impl Ctx<'_> {
    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }
    #[allow(dead_code)]
    pub fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }
}

pub type Handler = fn(&Ctx<'_>, &Value) -> Result<Value, ApiError>;

/// Every operation the emulator serves.
const HANDLERS: &[(&str, Handler)] = &[
    ("DescribeAppInstanceUserEndpoint", endpoints::describe),
    ("ListAppInstanceUserEndpoints", endpoints::list),
    ("DescribeAppInstanceUser", users::describe),
    ("ListAppInstanceUsers", users::list),
    ("DescribeAppInstance", instances::describe),
    ("ListAppInstances", instances::list),
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
    mut extra: serde_json::Map<String, Value>,
) -> Value {
    extra.insert(key.to_string(), Value::Array(items));
    if let Some(t) = next {
        extra.insert("NextToken".into(), Value::String(t));
    }
    Value::Object(extra)
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
}
