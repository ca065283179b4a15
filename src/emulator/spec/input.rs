//! A request's input, read as the model binds it (path labels, query string, headers, JSON
//! body) into one JSON object keyed by member name, then validated against the input shape.

use super::validate::{self, Violation};
use super::{Kind, Location, Operation, ServiceModel};
use hyper::HeaderMap;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The input of `op`, or the message of the BadRequest that refuses it.
pub fn read(
    model: &ServiceModel,
    op: &Operation,
    labels: &HashMap<String, String>,
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, String> {
    let Some(shape_name) = &op.input else { return Ok(Value::Object(Map::new())) };
    let Some(shape) = model.shape(shape_name) else { return Ok(Value::Object(Map::new())) };
    let has_body_members = shape.members.values().any(|m| m.location == Location::Body);
    let mut body_obj = if has_body_members && !body.iter().all(u8::is_ascii_whitespace) {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) => o,
            Ok(_) => return Err("The request body must be a JSON object".into()),
            Err(e) => return Err(format!("The request body is not valid JSON: {e}")),
        }
    } else {
        Map::new()
    };
    let mut input = Map::new();
    let mut type_errors = Vec::new();
    // A payload member is the whole body (Pinpoint's SendMessages: the body is the
    // `MessageRequest` itself).
    if let Some(p) = &shape.payload
        && shape.members.get(p).is_some_and(|m| m.location == Location::Body)
    {
        body_obj = Map::from_iter([(p.clone(), Value::Object(std::mem::take(&mut body_obj)))]);
    }
    for (name, member) in &shape.members {
        let kind = model.shape(&member.shape).map(|s| s.kind).unwrap_or(Kind::String);
        let raw: Option<String> = match member.location {
            Location::Body => {
                if let Some(v) = body_obj.remove(name) {
                    input.insert(name.clone(), v);
                }
                continue;
            }
            Location::Uri => labels.get(&member.location_name).cloned(),
            Location::Query => {
                if kind == Kind::List {
                    let all: Vec<Value> = query
                        .iter()
                        .filter(|(k, _)| *k == member.location_name)
                        .map(|(_, v)| Value::String(v.clone()))
                        .collect();
                    if !all.is_empty() {
                        input.insert(name.clone(), Value::Array(all));
                    }
                    continue;
                }
                query.iter().find(|(k, _)| *k == member.location_name).map(|(_, v)| v.clone())
            }
            Location::Header => {
                headers.get(member.location_name.as_str()).and_then(|v| v.to_str().ok()).map(str::to_string)
            }
        };
        let Some(raw) = raw else { continue };
        match scalar(kind, &raw) {
            Some(v) => {
                input.insert(name.clone(), v);
            }
            None => type_errors.push(Violation {
                path: validate::member_path("", name),
                value: Some(raw),
                null: false,
                constraint: format!("Member must be {}", kind_name(kind)),
            }),
        }
    }
    let input = Value::Object(input);
    let mut violations = type_errors;
    validate::check(model, shape_name, &input, "", &mut violations);
    if violations.is_empty() { Ok(input) } else { Err(validate::message(&violations)) }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer | Kind::Long => "an integer",
        Kind::Float => "a number",
        Kind::Boolean => "a boolean",
        Kind::Timestamp => "a timestamp",
        _ => "a string",
    }
}

/// A label, query or header value as the member's type.
fn scalar(kind: Kind, raw: &str) -> Option<Value> {
    Some(match kind {
        Kind::Integer | Kind::Long => Value::from(raw.parse::<i64>().ok()?),
        Kind::Float => serde_json::Number::from_f64(raw.parse::<f64>().ok().filter(|f| f.is_finite())?)
            .map(Value::Number)?,
        // A timestamp outside the body is ISO 8601 on the wire (restJson1's default there);
        // epoch seconds are taken too.
        Kind::Timestamp => {
            let secs = match raw.parse::<f64>() {
                Ok(f) => f,
                Err(_) => raw.parse::<jiff::Timestamp>().ok()?.as_millisecond() as f64 / 1000.0,
            };
            serde_json::Number::from_f64(Some(secs).filter(|f| f.is_finite())?).map(Value::Number)?
        }
        Kind::Boolean => Value::Bool(raw.parse::<bool>().ok()?),
        _ => Value::String(raw.to_string()),
    })
}
