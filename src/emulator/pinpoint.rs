//! The Pinpoint (AWS End User Messaging push) operations of
//! `assets/pinpoint-2016-12-01.push.service-2.json`: the six reads the doctor makes (GetApp and
//! the five Get*Channel) and SendMessages (its semantics in `push::send`), served on
//! the same port under `/v1/apps/` (signing name `mobiletargeting`). Routes, input and output
//! shapes come from that model (`spec`); this file is the semantics: an app is looked up by its
//! ID in the request's region (and the caller's account when accounts are kept apart), a
//! channel left out of the seed is not configured. Errors are Pinpoint's: `NotFoundException`
//! (404) and the others of the model, with a `{"Message", "RequestID"}` body.

use super::http::ApiError;
use super::ops::{Ctx, Handler, text};
use serde_json::{Map, Value};

/// Where Pinpoint's paths start.
pub const PATH_PREFIX: &str = "/v1/apps";

/// Whether a request path is Pinpoint's.
pub fn is_pinpoint_path(path: &str) -> bool {
    path == PATH_PREFIX || path.starts_with("/v1/apps/")
}

/// An error answer in Pinpoint's terms; the status from the Pinpoint model.
pub fn error(exception: &str, message: impl Into<String>) -> ApiError {
    ApiError::pinpoint(exception, message)
}

/// Get*Channel: the operation, the seed's channel key and the output member.
const CHANNELS: [(&str, &str, &str); 5] = [
    ("GetApnsChannel", "APNS", "APNSChannelResponse"),
    ("GetApnsSandboxChannel", "APNS_SANDBOX", "APNSSandboxChannelResponse"),
    ("GetApnsVoipChannel", "APNS_VOIP", "APNSVoipChannelResponse"),
    ("GetApnsVoipSandboxChannel", "APNS_VOIP_SANDBOX", "APNSVoipSandboxChannelResponse"),
    ("GetGcmChannel", "GCM", "GCMChannelResponse"),
];

/// The app the input names, as seeded. An app whose seed entry lists the operation in
/// `DeniedOperations` answers ForbiddenException, as an IAM policy naming other apps would.
fn app(ctx: &Ctx<'_>, input: &Value) -> Result<Map<String, Value>, ApiError> {
    let id = text(input, "ApplicationId");
    let account = ctx.isolate_accounts.then_some(ctx.account);
    let mut app = ctx
        .read()
        .pinpoint_app(ctx.region, account, id)
        .cloned()
        .ok_or_else(|| error("NotFoundException", "Application not found"))?;
    let denied = app
        .remove("DeniedOperations")
        .and_then(|d| d.as_array().map(|a| a.iter().any(|o| o.as_str() == Some(ctx.operation))))
        .unwrap_or(false);
    if denied {
        let arn = app.get("Arn").and_then(Value::as_str).unwrap_or("");
        return Err(error(
            "ForbiddenException",
            format!(
                "User: arn:aws:iam::{}:user/chimescope is not authorized to perform: mobiletargeting:{} on resource: {arn}",
                ctx.account, ctx.operation
            ),
        ));
    }
    Ok(app)
}

fn get_app(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let mut app = app(ctx, input)?;
    app.remove("Channels");
    let mut out = Map::new();
    out.insert("ApplicationResponse".into(), Value::Object(app));
    Ok(Value::Object(out))
}

fn get_channel(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let Some((_, key, member)) = CHANNELS.iter().find(|(op, _, _)| *op == ctx.operation) else {
        return Err(error("BadRequestException", format!("{} is not a channel read", ctx.operation)));
    };
    let app = app(ctx, input)?;
    let Some(Value::Object(channel)) = app.get("Channels").and_then(|c| c.get(*key)) else {
        return Err(error("NotFoundException", "Resource not found"));
    };
    let mut channel = channel.clone();
    // The service never answers a channel's credential (the FCM server key): it is write-only.
    channel.remove("Credential");
    let mut out = Map::new();
    out.insert((*member).to_string(), Value::Object(channel));
    Ok(Value::Object(out))
}

/// SendMessages through the app the input names (its semantics in `push::send`).
fn send_messages(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let app = app(ctx, input)?;
    super::push::send::send_messages(ctx, input, &app)
}

const HANDLERS: &[(&str, Handler)] = &[
    ("GetApp", get_app),
    ("GetApnsChannel", get_channel),
    ("GetApnsSandboxChannel", get_channel),
    ("GetApnsVoipChannel", get_channel),
    ("GetApnsVoipSandboxChannel", get_channel),
    ("GetGcmChannel", get_channel),
    ("SendMessages", send_messages),
];

pub fn handler(operation: &str) -> Option<Handler> {
    HANDLERS.iter().find(|(n, _)| *n == operation).map(|(_, h)| *h)
}

/// The names of the served Pinpoint operations.
pub fn served() -> impl Iterator<Item = &'static str> {
    HANDLERS.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::spec::ServiceModel;

    #[test]
    fn every_operation_of_the_pinpoint_subset_is_served_and_routed() {
        let m = ServiceModel::pinpoint().unwrap();
        let ops: Vec<&str> = m.operations.keys().map(String::as_str).collect();
        let served: Vec<&str> = served().collect();
        assert_eq!(ops, served);
        for (op, _, member) in CHANNELS {
            let o = m.operation(op).unwrap();
            assert_eq!(m.shape(o.output.as_deref().unwrap()).unwrap().payload.as_deref(), Some(member));
            let path = format!(
                "/v1/apps/abc/channels/{}",
                match op {
                    "GetApnsChannel" => "apns",
                    "GetApnsSandboxChannel" => "apns_sandbox",
                    "GetApnsVoipChannel" => "apns_voip",
                    "GetApnsVoipSandboxChannel" => "apns_voip_sandbox",
                    _ => "gcm",
                }
            );
            let found = crate::emulator::spec::route::find(m, "GET", &path, &[]).unwrap();
            assert_eq!(found.operation.name, op);
            assert_eq!(found.labels["application-id"], "abc");
        }
        assert!(is_pinpoint_path("/v1/apps/x") && !is_pinpoint_path("/app-instances"));
        assert_eq!(error("NotFoundException", "x").status, 404);
        assert_eq!(error("ForbiddenException", "x").status, 403);
    }
}
