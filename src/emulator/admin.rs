//! The admin API under `/_chimescope/` (no service path starts so), JSON, same-origin only:
//! a request whose `Host` is not this server's own (an IP address or `localhost`, with its
//! port: a DNS-rebound name is refused) or that carries a foreign `Origin` is refused (403),
//! a POST must be `Content-Type: application/json` (415: a browser's "simple" cross-origin POST
//! cannot send it), and with `--credentials` every admin request must be SigV4-signed by a
//! configured key (signing name `chime`, any region).
//! - `POST /_chimescope/reset`: back to the seed (and to full quota buckets);
//! - `GET /_chimescope/state`: the whole state as a seed document; `POST /_chimescope/state`
//!   with a seed document replaces it (checked as `--seed` is, at most `MAX_SEED_BYTES`; a
//!   refused one changes nothing), persisted first with `--state`;
//! - `GET /_chimescope/requests[?since=SEQ][&limit=N]`: `{"Requests": [{Seq, Time, Operation,
//!   Status, RequestId, LatencyMs}], "NextSince": SEQ, "More": bool}`, at most `MAX_PAGE`
//!   entries (`DEFAULT_PAGE` without `limit`) after `since`, from a ring of the last
//!   `LOG_CAPACITY`, never an input value;
//! - `POST /_chimescope/faults`: `{"Fault": "OPERATION:KIND[:COUNT]"}` adds one as `--fault`
//!   does, `{"Faults": [...]}` replaces them all (`[]` clears);
//! - `POST /_chimescope/clock`: `{"Seconds": N}` advances the emulator's clock (0 ≤ N ≤
//!   `MAX_CLOCK_STEP`, and never past `MAX_CLOCK`), for expirations and quotas; answers
//!   `{"Now": epoch seconds}`;
//! - `POST /_chimescope/push-outcomes` and `GET /_chimescope/pushes`: see `push`.

use super::fault::Fault;
use super::http::{ApiError, Resp, error_response, full, respond};
use super::{State, auth};
use hyper::HeaderMap;
use serde_json::{Value, json};
use std::net::{IpAddr, SocketAddr};

pub const PREFIX: &str = "/_chimescope/";
/// Log entries in one answer of `GET requests` without `limit`, and at most.
pub const DEFAULT_PAGE: usize = 1000;
pub const MAX_PAGE: usize = 1000;
/// The largest single clock advance: 100 years.
pub const MAX_CLOCK_STEP: f64 = 100.0 * 365.25 * 86_400.0;
/// The clock never passes 9999-12-31T23:59:59Z (what clients can parse).
pub const MAX_CLOCK: f64 = 253_402_300_799.0;

fn forbidden(message: String) -> ApiError {
    ApiError::modelled("ForbiddenException", message)
}

/// Whether `host` (`NAME:PORT`, `[V6]:PORT`) names this server: `localhost` or an IP address
/// that is loopback or the bound one (any, when bound to all addresses), with the bound port.
/// A DNS name other than `localhost` is refused: a web page can make any name resolve to
/// 127.0.0.1 (DNS rebinding), never an IP literal.
fn own_host(host: &str, bound: SocketAddr) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((v6, port)) => (v6, port.strip_prefix(':')),
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        },
    };
    if port.and_then(|p| p.parse::<u16>().ok()) != Some(bound.port()) {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// Refuse an admin request that does not come from this server's own origin: checked before
/// the body is read.
pub fn check_origin(headers: &HeaderMap, authority: Option<&str>, bound: SocketAddr) -> Result<(), ApiError> {
    let host = headers.get(hyper::header::HOST).and_then(|v| v.to_str().ok()).or(authority).unwrap_or("");
    if !own_host(host.trim(), bound) {
        return Err(forbidden(format!(
            "The admin API answers only requests addressed to this server (Host 127.0.0.1:{port}, \
             localhost:{port} or [::1]:{port}), not {:?}",
            host.chars().take(100).collect::<String>(),
            port = bound.port()
        )));
    }
    if let Some(origin) = headers.get(hyper::header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let own = origin.strip_prefix("http://").is_some_and(|h| own_host(h, bound));
        if !own {
            return Err(forbidden(format!(
                "The admin API refuses cross-origin requests (Origin {:?}): only this server's own \
                 origin may call it",
                origin.chars().take(100).collect::<String>()
            )));
        }
    }
    Ok(())
}

/// With `--credentials`, a signed request (any configured key); a POST's `Content-Type` must be
/// `application/json`.
pub fn check_request(state: &State, req: &auth::Request<'_>, now: i64) -> Result<(), ApiError> {
    if !state.credentials.is_empty() {
        auth::authenticate(req, &state.credentials, &state.model.signing_name, now)?;
    }
    if req.method == "POST" {
        let media = req
            .headers
            .get(hyper::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
        if media.as_deref() != Some("application/json") {
            return Err(ApiError::new(
                415,
                "UnsupportedMediaTypeException",
                "A POST to the admin API must be sent with Content-Type: application/json",
            ));
        }
    }
    Ok(())
}

fn ok(rid: &str, v: Value) -> Resp {
    let body = serde_json::to_vec(&v).unwrap_or_default();
    let len = body.len();
    respond(200, rid, full(body), len, &[])
}

fn body_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("The body is not JSON: {e}")))
}

pub async fn handle(
    state: &State,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
    rid: &str,
) -> Resp {
    match serve(state, method, path, query, body, rid).await {
        Ok(r) => r,
        Err(e) => error_response(&e, rid),
    }
}

/// `since` and `limit` of `GET requests`.
fn log_window(query: Option<&str>) -> Result<(u64, usize), ApiError> {
    let (mut since, mut limit) = (0u64, DEFAULT_PAGE);
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "since" => {
                since = v.parse().map_err(|_| {
                    ApiError::bad_request("since must be a request's Seq (a whole number ≥ 0)")
                })?
            }
            "limit" => {
                limit = v.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                    ApiError::bad_request(format!("limit must be a whole number from 1 to {MAX_PAGE}"))
                })?
            }
            _ => return Err(ApiError::bad_request(format!("requests takes since and limit, not {k:?}"))),
        }
    }
    Ok((since, limit))
}

/// `since`, `limit` and the filters of `GET pushes`.
fn push_window(query: Option<&str>) -> Result<(u64, usize, super::push::log::Filter), ApiError> {
    let mut filter = super::push::log::Filter::default();
    let mut paging = Vec::new();
    for (k, v) in super::spec::route::query_pairs(query) {
        match k.as_str() {
            "channel-arn" => filter.channel_arn = Some(v),
            "message-id" => filter.message_id = Some(v),
            "member-arn" => filter.member_arn = Some(v),
            "since" | "limit" => paging.push(format!("{k}={v}")),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "pushes takes channel-arn, message-id, member-arn, since and limit, not {:?}",
                    k.chars().take(60).collect::<String>()
                )));
            }
        }
    }
    let (since, limit) = log_window(Some(&paging.join("&")))?;
    Ok((since, limit, filter))
}

async fn serve(
    state: &State,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
    rid: &str,
) -> Result<Resp, ApiError> {
    let what = path.strip_prefix(PREFIX).unwrap_or("");
    match (method, what) {
        ("POST", "reset") => {
            state.replace(state.reset_to.clone())?;
            state.quotas.lock().unwrap_or_else(|e| e.into_inner()).reset();
            Ok(ok(rid, json!({"Reset": true})))
        }
        ("GET", "state") => {
            let mut body = Vec::new();
            let written = state.store.read().unwrap_or_else(|e| e.into_inner()).write_seed(&mut body);
            written.map_err(|e| ApiError::modelled("ServiceFailureException", e.to_string()))?;
            let len = body.len();
            Ok(respond(200, rid, full(body), len, &[]))
        }
        ("POST", "state") => {
            let text = std::str::from_utf8(body).map_err(|_| {
                ApiError::bad_request("The state document is not UTF-8 text: a seed is JSON in UTF-8")
            })?;
            let new = super::seed::load_with(text, "the state document", super::seed::Quotas::Checked)
                .map_err(|e| {
                    ApiError::bad_request(format!("The state document is refused (nothing was changed): {e}"))
                })?;
            let (users, endpoints) = (new.user_total(), new.endpoint_count());
            state.replace(new)?;
            Ok(ok(
                rid,
                json!({"Replaced": true, "AppInstanceUsers": users, "AppInstanceUserEndpoints": endpoints}),
            ))
        }
        ("GET", "requests") => {
            let (since, limit) = log_window(query)?;
            let (page, more) = state.log_page(since, limit);
            let next = page.last().map(|e| e.seq).unwrap_or(since);
            Ok(ok(rid, json!({"Requests": page, "NextSince": next, "More": more})))
        }
        ("POST", "faults") => {
            let v = body_json(body)?;
            let parse = |s: &Value| -> Result<Fault, ApiError> {
                let spec = s.as_str().ok_or_else(|| ApiError::bad_request("A fault is a string"))?;
                Fault::parse(spec).map_err(ApiError::bad_request)
            };
            let mut faults = state.faults.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(one) = v.get("Fault") {
                faults.push(parse(one)?);
            } else if let Some(all) = v.get("Faults").and_then(Value::as_array) {
                let new = all.iter().map(parse).collect::<Result<Vec<_>, _>>()?;
                *faults = new;
            } else {
                return Err(ApiError::bad_request(
                    "Expected {\"Fault\": \"OPERATION:KIND[:COUNT]\"} or {\"Faults\": [...]}",
                ));
            }
            Ok(ok(rid, json!({"Faults": faults.len()})))
        }
        ("POST", "clock") => {
            let v = body_json(body)?;
            let secs = v.get("Seconds").and_then(Value::as_f64).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Expected {{\"Seconds\": N}}, N a number from 0 to {MAX_CLOCK_STEP} (100 years)"
                ))
            })?;
            let now = state.advance_clock(secs).map_err(ApiError::bad_request)?;
            Ok(ok(rid, json!({"Now": now})))
        }
        ("POST", "push-outcomes") => {
            let v = body_json(body)?;
            let items = v.get("PushOutcomes").and_then(Value::as_array).ok_or_else(|| {
                ApiError::bad_request(
                    "Expected {\"PushOutcomes\": [{\"Token\": \"...\", \"Outcome\": \"...\"}]}",
                )
            })?;
            let outcomes = super::push::outcome_list(items).map_err(|(i, why)| {
                ApiError::bad_request(format!(
                    "PushOutcomes entry {i} is refused (nothing was changed): {why}"
                ))
            })?;
            let n = outcomes.len();
            // Journalled in order with the writes (`--state`), answered once on disk.
            let (done, ack) = state.write(|store| {
                store.set_push_outcomes(outcomes);
                Ok(())
            });
            done?;
            super::State::durable(ack).await?;
            Ok(ok(rid, json!({"PushOutcomes": n})))
        }
        ("GET", "pushes") => {
            let (since, limit, filter) = push_window(query)?;
            let store = state.store.read().unwrap_or_else(|e| e.into_inner());
            let (page, next, more) = store.push_log().page(since, limit, &filter);
            Ok(ok(rid, json!({"Pushes": page, "NextSince": next, "More": more})))
        }
        _ => Err(ApiError::new(
            404,
            "UnknownOperationException",
            format!(
                "{method} {path}: the admin API has POST {PREFIX}reset, GET {PREFIX}requests, \
                 POST {PREFIX}faults, POST {PREFIX}clock, GET and POST {PREFIX}state, \
                 POST {PREFIX}push-outcomes, GET {PREFIX}pushes"
            ),
        )),
    }
}

/// The largest body of an admin request: a state document may be as large as a seed.
pub fn body_limit(method: &str, path: &str, max_body: usize) -> usize {
    if method == "POST" && path == format!("{PREFIX}state") {
        super::seed::MAX_SEED_BYTES as usize
    } else {
        max_body
    }
}

/// A write that could not be persisted, and was rolled back: why (never a server path; the
/// log has the path).
pub fn persist_failed(why: &str) -> ApiError {
    ApiError::modelled(
        "ServiceFailureException",
        format!("The write could not be persisted ({why}) and was not applied"),
    )
}
