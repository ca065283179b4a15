//! SDK types into the model, and SDK errors into [`ServiceError`]. SDK types go no further.

use crate::model::{
    AllowMessages as Allow, Endpoint, EndpointState, EndpointStatus, EndpointSummary, EndpointType,
    ErrorKind, InstanceSummary, ServiceError, StatusReason, Timestamp, UserSummary, put_opt,
};
use aws_sdk_chimesdkidentity::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_chimesdkidentity::types as aws;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_types::request_id::RequestId;
use serde_json::{Map, Value, json};

/// A timestamp from the wire. One that is no calendar time (the SDK clamps `1e300` to
/// `i64::MAX` seconds) makes the answer invalid: the record is refused with the member's name
/// rather than shown with a made-up or clamped date.
fn ts(t: Option<&aws_smithy_types::DateTime>, member: &str) -> Result<Option<Timestamp>, String> {
    let Some(d) = t else { return Ok(None) };
    if let Some(t) = Timestamp::try_from_secs(d.as_secs_f64()) {
        Ok(Some(t))
    } else {
        let secs = if d.secs() == i64::MAX || d.secs() == i64::MIN {
            "beyond ±9.2e18 (where the SDK clamps them)".to_string()
        } else {
            d.secs().to_string()
        };
        Err(format!("{member} is not a date: {secs} epoch seconds lie outside the years -9999 to 9999"))
    }
}

fn state(s: Option<&aws::EndpointState>) -> Option<EndpointState> {
    s.map(|s| EndpointState {
        status: EndpointStatus::parse(s.status().as_str()),
        reason: s.status_reason().map(|r| StatusReason::parse(r.as_str())),
    })
}

pub(super) fn endpoint(e: &aws::AppInstanceUserEndpoint) -> Result<Endpoint, String> {
    let attrs = e.endpoint_attributes();
    Ok(Endpoint {
        app_instance_user_arn: e.app_instance_user_arn().map(str::to_string),
        endpoint_id: e.endpoint_id().map(str::to_string),
        name: e.name().map(str::to_string),
        endpoint_type: e.r#type().map(|t| EndpointType::parse(t.as_str())),
        resource_arn: e.resource_arn().map(str::to_string),
        device_token: attrs.map(|a| a.device_token().to_string()),
        voip_device_token: attrs.and_then(|a| a.voip_device_token()).map(str::to_string),
        created: ts(e.created_timestamp(), "CreatedTimestamp")?,
        last_updated: ts(e.last_updated_timestamp(), "LastUpdatedTimestamp")?,
        allow_messages: e.allow_messages().map(|a| Allow::parse(a.as_str())),
        state: state(e.endpoint_state()),
    })
}

pub(super) fn endpoint_summary(e: &aws::AppInstanceUserEndpointSummary) -> EndpointSummary {
    EndpointSummary {
        app_instance_user_arn: e.app_instance_user_arn().map(str::to_string),
        endpoint_id: e.endpoint_id().map(str::to_string),
        name: e.name().map(str::to_string),
        endpoint_type: e.r#type().map(|t| EndpointType::parse(t.as_str())),
        allow_messages: e.allow_messages().map(|a| Allow::parse(a.as_str())),
        state: state(e.endpoint_state()),
    }
}

pub(super) fn user_summary(u: &aws::AppInstanceUserSummary) -> UserSummary {
    UserSummary {
        app_instance_user_arn: u.app_instance_user_arn().map(str::to_string),
        name: u.name().map(str::to_string),
        metadata: u.metadata().map(str::to_string),
    }
}

pub(super) fn instance_summary(i: &aws::AppInstanceSummary) -> InstanceSummary {
    InstanceSummary {
        app_instance_arn: i.app_instance_arn().map(str::to_string),
        name: i.name().map(str::to_string),
        metadata: i.metadata().map(str::to_string),
    }
}

/// A timestamp as the CLI shape writes it (RFC 3339 UTC).
fn put_ts(m: &mut Map<String, Value>, k: &str, v: Option<&aws_smithy_types::DateTime>) -> Result<(), String> {
    put_opt(m, k, ts(v, k)?.map(|t| t.rfc3339()));
    Ok(())
}

pub(super) fn user_json(u: &aws::AppInstanceUser) -> Result<Value, String> {
    let mut m = Map::new();
    put_opt(&mut m, "AppInstanceUserArn", u.app_instance_user_arn());
    put_opt(&mut m, "Name", u.name());
    put_opt(&mut m, "Metadata", u.metadata());
    put_ts(&mut m, "CreatedTimestamp", u.created_timestamp())?;
    put_ts(&mut m, "LastUpdatedTimestamp", u.last_updated_timestamp())?;
    if let Some(x) = u.expiration_settings() {
        m.insert(
            "ExpirationSettings".into(),
            json!({"ExpirationDays": x.expiration_days(), "ExpirationCriterion": x.expiration_criterion().as_str()}),
        );
    }
    Ok(Value::Object(m))
}

pub(super) fn instance_json(i: &aws::AppInstance) -> Result<Value, String> {
    let mut m = Map::new();
    put_opt(&mut m, "AppInstanceArn", i.app_instance_arn());
    put_opt(&mut m, "Name", i.name());
    put_opt(&mut m, "Metadata", i.metadata());
    put_ts(&mut m, "CreatedTimestamp", i.created_timestamp())?;
    put_ts(&mut m, "LastUpdatedTimestamp", i.last_updated_timestamp())?;
    Ok(Value::Object(m))
}

/// What an error's source chain says beyond its text.
#[derive(Default)]
struct Causes {
    credentials: bool,
    /// The body went past [`super::ClientOptions::max_response_bytes`].
    too_large: bool,
    /// The answer's head arrived, then the connection closed before the whole body did.
    cut_short: bool,
    /// The connection closed before a whole answer arrived (hyper cannot tell whether part
    /// of one was sent: a truncated answer and a dropped connection look alike).
    closed_early: bool,
}

fn causes(e: &(dyn std::error::Error + 'static)) -> Causes {
    let mut c = Causes::default();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<aws_credential_types::provider::error::CredentialsError>().is_some() {
            c.credentials = true;
        }
        if err.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
            c.too_large = true;
        }
        if let Some(h) = err.downcast_ref::<hyper::Error>() {
            c.cut_short |= is_incomplete_body(h);
            c.closed_early |= h.is_incomplete_message();
        }
        cur = err.source();
    }
    c
}

/// hyper has no predicate for "end of file before message length reached".
fn is_incomplete_body(e: &hyper::Error) -> bool {
    e.to_string().contains("end of file before message length reached")
}

/// Walk an error's source chain, looking for a credentials failure or an I/O cause.
fn chain_text(e: &(dyn std::error::Error + 'static)) -> (bool, String) {
    let mut creds = false;
    let mut text = String::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<aws_credential_types::provider::error::CredentialsError>().is_some() {
            creds = true;
        }
        let s = err.to_string();
        if !text.contains(&s) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&s);
        }
        cur = err.source();
    }
    (creds, text)
}

/// Classify any SDK failure of `operation` into one [`ServiceError`].
pub(super) fn classify<E>(err: SdkError<E, HttpResponse>, operation: &str) -> ServiceError
where
    E: ProvideErrorMetadata + RequestId + std::error::Error + Send + Sync + 'static,
{
    let mut e = classify_sdk(err, operation);
    // A mistyped profile surfaces as a credentials failure; say what it is.
    if e.kind == ErrorKind::Credentials
        && let Some(i) = e.message.find("profile `")
        && e.message[i..].contains("` was not defined")
    {
        let name = e.message[i + "profile `".len()..].split('`').next().unwrap_or_default().to_string();
        e.kind = ErrorKind::Config;
        e.exception = "ProfileNotFound".into();
        e.hint = format!(
            "the profile \"{name}\" is not in {}: check the spelling of --profile / AWS_PROFILE (`aws configure list-profiles` lists them)",
            super::profile_files()
        );
    }
    e
}

fn classify_sdk<E>(err: SdkError<E, HttpResponse>, operation: &str) -> ServiceError
where
    E: ProvideErrorMetadata + RequestId + std::error::Error + Send + Sync + 'static,
{
    let c = causes(&err);
    let status = err.raw_response().map(|r| r.status().as_u16());
    if c.too_large {
        return ServiceError {
            http_status: status,
            ..ServiceError::new(
                ErrorKind::InvalidResponse,
                format!(
                    "the answer is larger than {} KiB, far past the largest this operation can legally send; reading stopped there",
                    super::MAX_RESPONSE_BYTES / 1024
                ),
                operation,
            )
        };
    }
    if (c.cut_short || c.closed_early) && !c.credentials {
        let (_, text) = chain_text(&err);
        let (kind, message) = if c.cut_short {
            (
                ErrorKind::InvalidResponse,
                format!("the answer was cut short: the connection closed mid-body ({text})"),
            )
        } else {
            (
                ErrorKind::Network,
                format!(
                    "the connection closed before a whole answer arrived (cut short, or never sent) ({text})"
                ),
            )
        };
        let mut e = ServiceError::new(kind, message, operation);
        e.http_status = status;
        e.hint = "the service was reached, but it (or a proxy, or whatever --endpoint-url names) closed the connection before the answer was complete, on every retry: retry later; if it persists, check what sits in between".into();
        return e;
    }
    match &err {
        SdkError::ServiceError(ctx) => {
            let e = ctx.err();
            let status = ctx.raw().status().as_u16();
            let code = e.code().map(str::to_string);
            let request_id = e
                .request_id()
                .map(str::to_string)
                .or_else(|| ctx.raw().headers().get("x-amzn-requestid").map(str::to_string));
            if (200..300).contains(&status) {
                let (_, text) = chain_text(e);
                return ServiceError {
                    http_status: Some(status),
                    request_id,
                    ..ServiceError::new(
                        ErrorKind::InvalidResponse,
                        format!("HTTP {status} with a body that does not parse: {text}"),
                        operation,
                    )
                };
            }
            let kind = code
                .as_deref()
                .and_then(ErrorKind::from_code)
                .or_else(|| ErrorKind::from_status(status))
                .unwrap_or(ErrorKind::Other);
            let message =
                e.message().map(str::to_string).unwrap_or_else(|| format!("HTTP {status} with no message"));
            ServiceError {
                kind,
                exception: code.unwrap_or_else(|| kind.name().to_string()),
                message,
                http_status: Some(status),
                request_id,
                hint: kind.hint(operation),
            }
        }
        SdkError::TimeoutError(_) => {
            ServiceError::new(ErrorKind::Timeout, "no answer within the operation timeout", operation)
        }
        SdkError::DispatchFailure(d) => {
            let (creds, text) = chain_text(&err);
            let kind = if creds {
                ErrorKind::Credentials
            } else if d.is_timeout() {
                ErrorKind::Timeout
            } else if d.is_io() {
                ErrorKind::Network
            } else if d.is_user() {
                ErrorKind::Config
            } else {
                ErrorKind::Network
            };
            ServiceError::new(kind, text, operation)
        }
        SdkError::ResponseError(ctx) => {
            let (_, text) = chain_text(&err);
            ServiceError {
                http_status: Some(ctx.raw().status().as_u16()),
                ..ServiceError::new(ErrorKind::InvalidResponse, text, operation)
            }
        }
        SdkError::ConstructionFailure(_) => {
            let (creds, text) = chain_text(&err);
            let kind = if creds { ErrorKind::Credentials } else { ErrorKind::Config };
            ServiceError::new(kind, text, operation)
        }
        _ => {
            let (creds, text) = chain_text(&err);
            let kind = if creds { ErrorKind::Credentials } else { ErrorKind::Other };
            ServiceError::new(kind, text, operation)
        }
    }
}
