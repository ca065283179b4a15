//! Request → operation → response, as the service does it on the wire.

use super::fault::{self, FaultKind};
use super::{Body, Resp, State, full, truncated};
use crate::model::{self, Timestamp};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use hyper::{Method, Request, Response, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::Ordering;

/// Page size when `max-results` is absent.
pub const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: i64 = 50;
/// A fixed prefix that makes every token hold `+` and `/` (base64 of 0xfb 0xff 0xbf), so
/// clients that forget to percent-encode the query are caught.
const TOKEN_MAGIC: [u8; 3] = [0xfb, 0xff, 0xbf];

enum Op {
    DescribeEndpoint { user: String, endpoint: String },
    ListEndpoints { user: String },
    DescribeUser { user: String },
    ListUsers,
    DescribeInstance { instance: String },
    ListInstances,
}

impl Op {
    fn name(&self) -> &'static str {
        match self {
            Op::DescribeEndpoint { .. } => "DescribeAppInstanceUserEndpoint",
            Op::ListEndpoints { .. } => "ListAppInstanceUserEndpoints",
            Op::DescribeUser { .. } => "DescribeAppInstanceUser",
            Op::ListUsers => "ListAppInstanceUsers",
            Op::DescribeInstance { .. } => "DescribeAppInstance",
            Op::ListInstances => "ListAppInstances",
        }
    }
}

struct ApiError {
    status: u16,
    exception: &'static str,
    code: &'static str,
    message: String,
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError { status: 400, exception: "BadRequestException", code: "BadRequest", message: message.into() }
}

fn not_found(message: impl Into<String>) -> ApiError {
    ApiError { status: 404, exception: "NotFoundException", code: "NotFound", message: message.into() }
}

fn request_id(state: &State) -> String {
    let n = state.requests.load(Ordering::SeqCst);
    let a = state.instance;
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        (a >> 32) as u32 ^ n as u32,
        (a & 0xffff) as u16,
        (n >> 16) & 0xfff,
        n & 0xfff,
        n.wrapping_mul(0x9e37_79b9_7f4a_7c15) & 0xffff_ffff_ffff
    )
}

fn respond(status: u16, rid: &str, body: Body, len: usize, extra: Option<(&str, &str)>) -> Resp {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json")
        .header("content-length", len.to_string())
        .header("x-amzn-RequestId", rid);
    if let Some((k, v)) = extra {
        b = b.header(k, v);
    }
    b.body(body).unwrap_or_else(|_| Response::new(full(Bytes::new())))
}

fn error_response(e: &ApiError, rid: &str) -> Resp {
    let body = serde_json::to_vec(&json!({"Code": e.code, "Message": e.message})).unwrap_or_default();
    let len = body.len();
    respond(e.status, rid, full(body), len, Some(("x-amzn-ErrorType", e.exception)))
}

/// Split the raw path on `/` first, then decode each segment.
fn segments(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect()
}

fn query(q: Option<&str>) -> HashMap<String, String> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let d = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (d(k), d(v))
        })
        .collect()
}

fn route(method: &Method, path: &str) -> Result<Op, ApiError> {
    let unknown = || ApiError {
        status: 404,
        exception: "UnknownOperationException",
        code: "UnknownOperation",
        message: format!("{method} {path}: the chimescope emulator serves the six read operations only"),
    };
    if method != Method::GET {
        return Err(unknown());
    }
    let segs = segments(path);
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    Ok(match segs.as_slice() {
        ["app-instance-users"] => Op::ListUsers,
        ["app-instance-users", user] => Op::DescribeUser { user: user.to_string() },
        ["app-instance-users", user, "endpoints"] => Op::ListEndpoints { user: user.to_string() },
        ["app-instance-users", user, "endpoints", ep] => {
            Op::DescribeEndpoint { user: user.to_string(), endpoint: ep.to_string() }
        }
        ["app-instances"] => Op::ListInstances,
        ["app-instances", instance] => Op::DescribeInstance { instance: instance.to_string() },
        _ => return Err(unknown()),
    })
}

/// The ChimeArn checks the service applies (length and pattern), as a BadRequest.
fn check_arn(param: &str, value: &str) -> Result<(), ApiError> {
    let n = value.chars().count();
    if !(5..=model::MAX_ARN_LEN).contains(&n) {
        return Err(bad_request(format!(
            "1 validation error detected: Value at '{param}' failed to satisfy constraint: Member must have length between 5 and 1600"
        )));
    }
    model::parse_arn("arn", value).map_err(|_| {
        bad_request(format!(
            "1 validation error detected: Value at '{param}' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[a-z0-9-\\.]{{1,63}}:[a-z0-9-\\.]{{0,63}}:[a-z0-9-\\.]{{0,63}}:[a-z0-9-\\.]{{0,63}}:[^/].{{0,1023}}"
        ))
    })?;
    Ok(())
}

fn paging(q: &HashMap<String, String>, scope: &str) -> Result<(usize, usize), ApiError> {
    let size = match q.get("max-results") {
        None => DEFAULT_PAGE,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n as usize,
            Ok(_) => {
                return Err(bad_request(
                    "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50",
                ));
            }
            Err(_) => return Err(bad_request(format!("max-results {v:?} is not an integer"))),
        },
    };
    let start = match q.get("next-token") {
        None => 0,
        Some(t) if t.is_empty() => 0,
        Some(t) => {
            if t.len() > 2048 {
                return Err(bad_request(
                    "1 validation error detected: Value at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 2048",
                ));
            }
            decode_token(t, scope).ok_or_else(|| bad_request("Invalid next token"))?
        }
    };
    Ok((start, size))
}

fn encode_token(scope: &str, offset: usize) -> String {
    let mut raw = TOKEN_MAGIC.to_vec();
    raw.extend_from_slice(format!("{offset}\n{scope}").as_bytes());
    STANDARD.encode(raw)
}

fn decode_token(token: &str, scope: &str) -> Option<usize> {
    let raw = STANDARD.decode(token).ok()?;
    let rest = raw.strip_prefix(&TOKEN_MAGIC[..])?;
    let text = std::str::from_utf8(rest).ok()?;
    let (offset, s) = text.split_once('\n')?;
    (s == scope).then(|| offset.parse().ok()).flatten()
}

/// One page of `items`, and the token for the next one.
fn page<T>(
    items: impl ExactSizeIterator<Item = T>,
    start: usize,
    size: usize,
    scope: &str,
) -> (Vec<T>, Option<String>) {
    let total = items.len();
    let out: Vec<T> = items.skip(start).take(size).collect();
    let next = (start + size < total).then(|| encode_token(scope, start + size));
    (out, next)
}

fn with_token(mut v: Value, next: Option<String>) -> Value {
    if let (Some(t), Some(o)) = (next, v.as_object_mut()) {
        o.insert("NextToken".into(), Value::String(t));
    }
    v
}

/// `region` is the request's SigV4 scope: the service is regional, so ListAppInstances only
/// returns the instances of the region the request was sent to.
fn answer(
    state: &State,
    op: &Op,
    q: &HashMap<String, String>,
    region: Option<&str>,
) -> Result<Value, ApiError> {
    let store = &state.store;
    match op {
        Op::DescribeEndpoint { user, endpoint } => {
            check_arn("appInstanceUserArn", user)?;
            if endpoint.is_empty() || endpoint.chars().count() > model::MAX_ENDPOINT_ID_LEN {
                return Err(bad_request(
                    "1 validation error detected: Value at 'endpointId' failed to satisfy constraint: Member must have length between 1 and 64",
                ));
            }
            let e = store.endpoint(user, endpoint).ok_or_else(|| {
                not_found(format!("AppInstanceUserEndpoint {endpoint} of {user} does not exist"))
            })?;
            Ok(json!({"AppInstanceUserEndpoint": e.to_json_with(Timestamp::to_json)}))
        }
        Op::ListEndpoints { user } => {
            check_arn("appInstanceUserArn", user)?;
            let (start, size) = paging(q, user)?;
            let all = store
                .endpoints_of(user)
                .ok_or_else(|| not_found(format!("AppInstanceUser {user} does not exist")))?;
            let (items, next) = page(all, start, size, user);
            let items: Vec<Value> = items.into_iter().map(|e| e.summary().to_json()).collect();
            Ok(with_token(json!({"AppInstanceUserEndpoints": items}), next))
        }
        Op::DescribeUser { user } => {
            check_arn("appInstanceUserArn", user)?;
            let u = store
                .user(user)
                .ok_or_else(|| not_found(format!("AppInstanceUser {user} does not exist")))?;
            Ok(json!({"AppInstanceUser": u.wire()}))
        }
        Op::ListUsers => {
            let instance = q
                .get("app-instance-arn")
                .ok_or_else(|| bad_request("Missing required parameter: app-instance-arn"))?;
            check_arn("appInstanceArn", instance)?;
            let (start, size) = paging(q, instance)?;
            let all = store
                .users_of(instance)
                .ok_or_else(|| not_found(format!("AppInstance {instance} does not exist")))?;
            let (items, next) = page(all, start, size, instance);
            let items: Vec<Value> = items.into_iter().map(|u| u.summary()).collect();
            Ok(with_token(json!({"AppInstanceArn": instance, "AppInstanceUsers": items}), next))
        }
        Op::DescribeInstance { instance } => {
            check_arn("appInstanceArn", instance)?;
            let i = store
                .instance(instance)
                .ok_or_else(|| not_found(format!("AppInstance {instance} does not exist")))?;
            Ok(json!({"AppInstance": i.wire()}))
        }
        Op::ListInstances => {
            let (start, size) = paging(q, &format!("app-instances {}", region.unwrap_or("*")))?;
            let here: Vec<_> = store
                .instances()
                .iter()
                .filter(|i| {
                    region.is_none_or(|r| model::parse_arn("arn", &i.arn).is_ok_and(|a| a.region == r))
                })
                .collect();
            let scope = format!("app-instances {}", region.unwrap_or("*"));
            let (items, next) = page(here.into_iter(), start, size, &scope);
            let items: Vec<Value> = items.into_iter().map(|i| i.summary()).collect();
            Ok(with_token(json!({"AppInstances": items}), next))
        }
    }
}

/// `(region, service)` from `Credential=AKID/DATE/REGION/SERVICE/aws4_request`.
fn credential_scope(auth: &str) -> Option<(String, String)> {
    let cred = auth.split([' ', ',']).find_map(|p| p.strip_prefix("Credential="))?;
    let mut parts = cred.split('/').skip(2);
    Some((parts.next()?.to_string(), parts.next()?.to_string()))
}

/// Serve one request. An `Err` closes the connection without an answer (`drop`).
pub(super) async fn handle<B>(state: &State, req: Request<B>) -> Result<Resp, std::io::Error> {
    state.requests.fetch_add(1, Ordering::SeqCst);
    let rid = request_id(state);
    if !state.latency.is_zero() {
        tokio::time::sleep(state.latency).await;
    }
    let op = match route(req.method(), req.uri().path()) {
        Ok(op) => op,
        Err(e) => return Ok(error_response(&e, &rid)),
    };
    tracing::debug!(operation = op.name(), "request");
    let injected = fault::take(&mut state.faults.lock().unwrap_or_else(|e| e.into_inner()), op.name());
    let mut cut = false;
    match injected {
        Some(FaultKind::Drop) => {
            return Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "injected drop"));
        }
        Some(FaultKind::Slow(d)) => tokio::time::sleep(d).await,
        Some(FaultKind::Malformed) => {
            let body =
                Bytes::from_static(b"<html><body>502 Bad Gateway</body></html>{\"AppInstanceUserEndpoint\":");
            let len = body.len();
            return Ok(respond(200, &rid, full(body), len, None));
        }
        Some(FaultKind::Truncated) => cut = true,
        Some(k) => {
            if let Some((status, exception, code, message)) = k.error() {
                let e = ApiError { status, exception, code, message: message.into() };
                return Ok(error_response(&e, &rid));
            }
        }
        None => {}
    }
    let Some(auth) = req.headers().get("authorization").and_then(|v| v.to_str().ok()) else {
        let e = ApiError {
            status: 401,
            exception: "UnauthorizedClientException",
            code: "Unauthorized",
            message: "Missing Authentication Token: requests must be signed with SigV4".into(),
        };
        return Ok(error_response(&e, &rid));
    };
    // The signature itself is not checked (the emulator knows no secrets), but its scope is:
    // the service must be `chime`, and the region is remembered for tests.
    let scope = credential_scope(auth);
    if let Some((region, service)) = &scope {
        if service != "chime" {
            let e = ApiError {
                status: 403,
                exception: "InvalidSignatureException",
                code: "InvalidSignature",
                message: format!("Credential should be scoped to correct service: 'chime', not '{service}'."),
            };
            return Ok(error_response(&e, &rid));
        }
        *state.last_region.lock().unwrap_or_else(|e| e.into_inner()) = Some(region.clone());
    }
    let q = query(req.uri().query());
    let region = scope.as_ref().map(|(r, _)| r.as_str());
    match answer(state, &op, &q, region) {
        Ok(v) => {
            let body = Bytes::from(serde_json::to_vec(&v).unwrap_or_default());
            let len = body.len();
            let body = if cut { truncated(body) } else { full(body) };
            Ok(respond(200, &rid, body, len, None))
        }
        Err(e) => Ok(error_response(&e, &rid)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_hold_url_specials() {
        let t = encode_token("arn:aws:chime:us-east-1:1:app-instance/a/user/b", 50);
        assert!(t.contains('+') && t.contains('/'), "{t}");
        assert_eq!(decode_token(&t, "arn:aws:chime:us-east-1:1:app-instance/a/user/b"), Some(50));
        assert_eq!(decode_token(&t, "other"), None);
        assert_eq!(decode_token("garbage", "x"), None);
    }

    #[test]
    fn segments_are_decoded_after_splitting() {
        let p = "/app-instance-users/arn%3Aaws%3Achime%3Aus-east-1%3A1%3Aapp-instance%2Fa%2Fuser%2Fb/endpoints/e%2F1";
        assert_eq!(
            segments(p),
            vec!["app-instance-users", "arn:aws:chime:us-east-1:1:app-instance/a/user/b", "endpoints", "e/1"]
        );
    }
}
