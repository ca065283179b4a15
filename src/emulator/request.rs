//! One request, as the service handles it: read the body (bounded in size and time), check the
//! signature, find the operation from the model's routes, apply an injected fault, read and
//! validate the input from the model, run the operation's semantics, encode the output by the
//! model.

use super::fault::{self, FaultKind};
use super::http::{ApiError, Resp, error_response, full, pinpoint_error_response, respond, truncated};
use super::spec::{ServiceModel, input, output, route};
use super::{LogEntry, REGIONS, State, admin, auth, ids, messaging, ops, pinpoint};
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::Request;
use hyper::body::Body as HttpBody;
use std::sync::atomic::Ordering;

/// Serve one request. An `Err` closes the connection without an answer (`drop`).
pub(super) async fn handle<B>(state: &State, req: Request<B>) -> Result<Resp, std::io::Error>
where
    B: HttpBody<Data = Bytes> + Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let started = std::time::Instant::now();
    let n = state.requests.fetch_add(1, Ordering::SeqCst);
    let rid = ids::request_id(state.salt, n);
    let (parts, body) = req.into_parts();
    // Pinpoint's paths answer errors in Pinpoint's form.
    let error_response =
        if pinpoint::is_pinpoint_path(parts.uri.path()) { pinpoint_error_response } else { error_response };
    if parts.uri.path().starts_with(admin::PREFIX) {
        let authority = parts.uri.authority().map(|a| a.as_str());
        if let Err(e) = admin::check_origin(&parts.headers, authority, state.addr) {
            return Ok(close(error_response(&e, &rid)));
        }
        let max = admin::body_limit(parts.method.as_str(), parts.uri.path(), state.limits.max_body_bytes);
        let body = match read_body(state, body, max).await {
            Ok(b) => b,
            Err(e) => return Ok(close(error_response(&e, &rid))),
        };
        let req = auth::Request {
            method: parts.method.as_str(),
            raw_path: parts.uri.path(),
            raw_query: parts.uri.query(),
            headers: &parts.headers,
            body: &body,
        };
        if let Err(e) = admin::check_request(state, &req, now_secs() as i64) {
            return Ok(error_response(&e, &rid));
        }
        return Ok(admin::handle(
            state,
            parts.method.as_str(),
            parts.uri.path(),
            parts.uri.query(),
            &body,
            &rid,
        )
        .await);
    }
    if !state.latency.is_zero() {
        tokio::time::sleep(state.latency).await;
    }
    let body = match read_body(state, body, state.limits.max_body_bytes).await {
        Ok(b) => b,
        Err(e) => return Ok(close(error_response(&e, &rid))),
    };
    let mut operation = String::new();
    let served = serve(state, &parts, &body, &mut operation).await;
    let status = match &served {
        Ok(Answer::Reply(r)) => r.status,
        Ok(Answer::Drop) => 0,
        Err(e) => e.status,
    };
    state.log(LogEntry {
        seq: 0,
        time: state.now(),
        operation,
        status,
        request_id: rid.clone(),
        latency_ms: started.elapsed().as_secs_f64() * 1000.0,
    });
    match served {
        Ok(Answer::Reply(r)) => Ok(finish(r, &rid)),
        Ok(Answer::Drop) => Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "injected drop")),
        Err(e) => Ok(error_response(&e, &rid)),
    }
}

/// Delete the users whose expiration is due (and persist that).
async fn expire_due(state: &State, now: f64) -> Result<(), ApiError> {
    let due =
        state.store.read().unwrap_or_else(|e| e.into_inner()).earliest_expiry().is_some_and(|t| t <= now);
    if !due {
        return Ok(());
    }
    let (gone, ack) = state.write(|store| Ok(store.expire(now)));
    let gone = gone?;
    if !gone.is_empty() {
        tracing::info!(users = gone.len(), "expired users deleted");
    }
    State::durable(ack).await
}

fn close(mut r: Resp) -> Resp {
    r.headers_mut().insert(hyper::header::CONNECTION, hyper::header::HeaderValue::from_static("close"));
    r
}

async fn read_body<B>(state: &State, body: B, max: usize) -> Result<Bytes, ApiError>
where
    B: HttpBody<Data = Bytes> + Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let collect = Limited::new(body, max).collect();
    match tokio::time::timeout(state.limits.body_timeout, collect).await {
        Err(_) => {
            Err(ApiError::new(408, "RequestTimeoutException", "The request body was not received in time"))
        }
        Ok(Err(e)) if e.to_string().contains("length limit") => Err(ApiError::new(
            413,
            "RequestEntityTooLargeException",
            format!("The request body is larger than {max} bytes"),
        )),
        Ok(Err(e)) => Err(ApiError::bad_request(format!("The request body could not be read: {e}"))),
        Ok(Ok(c)) => Ok(c.to_bytes()),
    }
}

enum Answer {
    Reply(Reply),
    Drop,
}

struct Reply {
    status: u16,
    body: Bytes,
    headers: Vec<(String, String)>,
    cut: bool,
}

fn finish(r: Reply, rid: &str) -> Resp {
    let len = r.body.len();
    let body = if r.cut { truncated(r.body) } else { full(r.body) };
    respond(r.status, rid, body, len, &r.headers)
}

fn now_secs() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

async fn serve(
    state: &State,
    parts: &hyper::http::request::Parts,
    body: &[u8],
    operation: &mut String,
) -> Result<Answer, ApiError> {
    let is_pinpoint = pinpoint::is_pinpoint_path(parts.uri.path());
    let is_messaging = messaging::is_messaging_path(parts.uri.path());
    let model: &ServiceModel = match (is_pinpoint, is_messaging) {
        (true, _) => state.pinpoint,
        (_, true) => state.messaging,
        _ => state.model,
    };
    // Signatures are checked against the real clock; the service's clock may be advanced.
    let now = now_secs();
    // Authenticate first: nothing (not even an injected fault) is spent on an unsigned request.
    let signer = auth::authenticate(
        &auth::Request {
            method: parts.method.as_str(),
            raw_path: parts.uri.path(),
            raw_query: parts.uri.query(),
            headers: &parts.headers,
            body,
        },
        &state.credentials,
        &model.signing_name,
        now as i64,
    )?;
    *state.last_region.lock().unwrap_or_else(|e| e.into_inner()) = Some(signer.region.clone());

    let query = route::query_pairs(parts.uri.query());
    let path = parts.uri.path();
    let unknown = |what: String| ApiError::new(404, "UnknownOperationException", what);
    let Some(matched) = route::find(model, parts.method.as_str(), path, &query) else {
        return Err(unknown(format!("{} {path}: no operation of the service has this route", parts.method)));
    };
    let op = matched.operation;
    operation.clone_from(&op.name);
    let handler = match (is_pinpoint, is_messaging) {
        (true, _) => pinpoint::handler(&op.name),
        (_, true) => messaging::handler(&op.name),
        _ => ops::handler(&op.name),
    };
    if handler.is_none() && is_messaging {
        return Err(messaging::not_served(&op.name));
    }
    let Some(handler) = handler else {
        return Err(unknown(format!(
            "{}: the chimescope emulator does not serve this operation yet",
            op.name
        )));
    };
    tracing::debug!(operation = %op.name, "request");
    // Pinpoint is served in every region the signature names; Identity in its two only.
    if !is_pinpoint && !REGIONS.contains(&signer.region.as_str()) {
        return Err(ApiError::modelled(
            "ForbiddenException",
            format!(
                "Amazon Chime SDK {} is not available in {}: its regions are {}",
                if is_messaging { "messaging" } else { "identity" },
                signer.region,
                REGIONS.join(", ")
            ),
        ));
    }
    let account = state.account_of(&signer.access_key).to_string();
    let admitted = {
        let mut q = state.quotas.lock().unwrap_or_else(|e| e.into_inner());
        // The quotas are Identity's (Pinpoint's are another service's buckets).
        is_pinpoint || is_messaging || q.is_empty() || q.admit(&account, &op.name, state.mono_ns())
    };
    if !admitted {
        return Err(ApiError::modelled("ThrottledClientException", "Rate exceeded"));
    }

    let injected = fault::take(&mut state.faults.lock().unwrap_or_else(|e| e.into_inner()), &op.name);
    let mut cut = false;
    match injected {
        Some(FaultKind::Drop) => return Ok(Answer::Drop),
        Some(FaultKind::Slow(d)) => tokio::time::sleep(d).await,
        Some(FaultKind::Malformed) => {
            let body =
                Bytes::from_static(b"<html><body>502 Bad Gateway</body></html>{\"AppInstanceUserEndpoint\":");
            return Ok(Answer::Reply(Reply { status: 200, body, headers: Vec::new(), cut: false }));
        }
        Some(FaultKind::Truncated) => cut = true,
        Some(k) if is_pinpoint => {
            if let Some((status, exception, message)) = k.pinpoint_error() {
                return Err(ApiError::new(status, exception, message));
            }
        }
        Some(k) => {
            if let Some((status, exception, _code, message)) = k.error() {
                return Err(ApiError::new(status, exception, message));
            }
        }
        None => {}
    }

    let input = input::read(model, op, &matched.labels, &query, &parts.headers, body)
        .map_err(ApiError::bad_request)?;
    let now = state.now();
    expire_due(state, now).await?;
    fn ctx<'a>(
        store: ops::Access<'a>,
        state: &'a State,
        region: &'a str,
        account: &'a str,
        now: f64,
        operation: &'a str,
    ) -> ops::Ctx<'a> {
        ops::Ctx {
            store,
            tokens: &state.tokens,
            region,
            account,
            isolate_accounts: !state.accounts.is_empty(),
            now,
            operation,
        }
    }
    let (region, name) = (signer.region.as_str(), op.name.as_str());
    let out = if op.method == "GET" {
        handler(&ctx(ops::Access::Shared(&state.store), state, region, &account, now, name), &input)?
    } else {
        // A write holds the store throughout, is undone when it fails, and is answered once
        // it is on disk (with `--state`).
        let (out, ack) = state.write(|store| {
            let held = ops::Access::Held(std::cell::RefCell::new(store));
            handler(&ctx(held, state, region, &account, now, name), &input)
        });
        let out = out?;
        State::durable(ack).await?;
        out
    };
    let encoded = output::encode_output(model, op.output.as_deref(), &out);
    let body = match encoded.body {
        Some(v) => Bytes::from(serde_json::to_vec(&v).unwrap_or_default()),
        None => Bytes::new(),
    };
    Ok(Answer::Reply(Reply { status: op.response_code, body, headers: encoded.headers, cut }))
}
