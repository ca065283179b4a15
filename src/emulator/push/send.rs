//! Pinpoint SendMessages (`POST /v1/apps/{application-id}/messages`), direct: to device tokens
//! (`Addresses`, token → `{ChannelType}`) and to Pinpoint endpoint IDs (`Endpoints`), at most
//! `MAX_RECIPIENTS` in all. The call succeeds while an address fails: each address gets its
//! `MessageResult` (`DeliveryStatus`, `StatusCode`, `StatusMessage`, `UpdatedToken`) from
//! the app's channel and the provider's answer (`provider`). The emulator keeps no Pinpoint
//! endpoints, so an endpoint ID is answered as not found.

use super::provider;
use crate::emulator::http::ApiError;
use crate::emulator::ids;
use crate::emulator::ops::{Ctx, text};
use crate::emulator::store::Record;
use serde_json::{Map, Value, json};

fn error(exception: &str, message: impl Into<String>) -> ApiError {
    ApiError::pinpoint(exception, message)
}

/// Addresses and endpoints in one request, at most.
pub const MAX_RECIPIENTS: usize = 100;

/// Which of `DirectMessageConfiguration`'s messages a channel sends: its own, else the default.
fn message_for(config: &Value, channel: &str) -> Option<&'static str> {
    let own = if channel == "GCM" { "GCMMessage" } else { "APNSMessage" };
    [own, "DefaultPushNotificationMessage"].into_iter().find(|m| config.get(*m).is_some_and(Value::is_object))
}

fn message_id() -> String {
    format!("{:016x}{:016x}", ids::random_u64(), ids::random_u64())
}

fn result(a: &provider::Answer) -> Value {
    let mut r = Map::new();
    r.insert("DeliveryStatus".into(), a.status.into());
    r.insert("MessageId".into(), message_id().into());
    r.insert("StatusCode".into(), a.code.into());
    if let Some(m) = &a.message {
        r.insert("StatusMessage".into(), m.clone().into());
    }
    if let Some(t) = &a.updated_token {
        r.insert("UpdatedToken".into(), t.clone().into());
    }
    Value::Object(r)
}

/// SendMessages to `app` (found, and the caller allowed, by `pinpoint`).
pub fn send_messages(ctx: &Ctx<'_>, input: &Value, app: &Record) -> Result<Value, ApiError> {
    let app_id = text(input, "ApplicationId");
    let request = input.get("MessageRequest").cloned().unwrap_or(Value::Null);
    let addresses = request.get("Addresses").and_then(Value::as_object).cloned().unwrap_or_default();
    let endpoints = request.get("Endpoints").and_then(Value::as_object).cloned().unwrap_or_default();
    let recipients = addresses.len() + endpoints.len();
    if recipients == 0 {
        return Err(error("BadRequestException", "Addresses or Endpoints must name at least one recipient"));
    }
    if recipients > MAX_RECIPIENTS {
        return Err(error(
            "BadRequestException",
            format!(
                "A request can send to at most {MAX_RECIPIENTS} recipients (Addresses and Endpoints together), \
                 not {recipients}"
            ),
        ));
    }
    for cfg in addresses.values() {
        match cfg.get("ChannelType").and_then(Value::as_str) {
            None => {
                return Err(error("BadRequestException", "Every address needs a ChannelType"));
            }
            Some(c) if provider::provider_of(c).is_none() => {
                return Err(error(
                    "BadRequestException",
                    format!(
                        "ChannelType {c} is not served by the chimescope emulator: it serves the push channels {}",
                        provider::PUSH_CHANNELS.join(", ")
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    let config = request.get("MessageConfiguration").cloned().unwrap_or(Value::Null);
    let store = ctx.read();
    let mut results = Map::new();
    for (token, cfg) in &addresses {
        let channel = cfg.get("ChannelType").and_then(Value::as_str).unwrap_or("");
        if message_for(&config, channel).is_none() {
            return Err(error(
                "BadRequestException",
                format!(
                    "MessageConfiguration has no message for the {channel} channel: give {} or \
                     DefaultPushNotificationMessage",
                    if channel == "GCM" { "GCMMessage" } else { "APNSMessage" }
                ),
            ));
        }
        let answer = provider::channel_answer(channel, app.get("Channels").and_then(|c| c.get(channel)))
            .unwrap_or_else(|| provider::answer(channel, token, store.push_outcome(token)));
        results.insert(token.clone(), result(&answer));
    }
    let mut endpoint_results = Map::new();
    for id in endpoints.keys() {
        endpoint_results.insert(
            id.clone(),
            json!({
                "DeliveryStatus": "PERMANENT_FAILURE",
                "StatusCode": 404,
                "StatusMessage": json!({"errorMessage": "Endpoint not found"}).to_string(),
            }),
        );
    }
    let mut response = Map::new();
    response.insert("ApplicationId".into(), app_id.into());
    response.insert("RequestId".into(), message_id().into());
    if !endpoint_results.is_empty() {
        response.insert("EndpointResult".into(), Value::Object(endpoint_results));
    }
    if !results.is_empty() {
        response.insert("Result".into(), Value::Object(results));
    }
    Ok(json!({ "MessageResponse": response }))
}
