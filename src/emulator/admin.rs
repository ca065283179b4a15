//! The admin API under `/_chimescope/` (no service path starts so), unsigned, JSON:
//! - `POST /_chimescope/reset`: back to the seed (and to full quota buckets);
//! - `GET /_chimescope/requests`: `{"Requests": [{Time, Operation, Status, RequestId,
//!   LatencyMs}]}`, the last `LOG_CAPACITY`, never an input value;
//! - `POST /_chimescope/faults`: `{"Fault": "OPERATION:KIND[:COUNT]"}` adds one as `--fault`
//!   does, `{"Faults": [...]}` replaces them all (`[]` clears);
//! - `POST /_chimescope/clock`: `{"Seconds": N}` advances the emulator's clock (N ≥ 0), for
//!   expirations and quotas; answers `{"Now": epoch seconds}`.

use super::State;
use super::fault::Fault;
use super::http::{ApiError, Resp, error_response, full, respond};
use serde_json::{Value, json};

pub const PREFIX: &str = "/_chimescope/";

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

pub fn handle(state: &State, method: &str, path: &str, body: &[u8], rid: &str) -> Resp {
    match serve(state, method, path, body, rid) {
        Ok(r) => r,
        Err(e) => error_response(&e, rid),
    }
}

fn serve(state: &State, method: &str, path: &str, body: &[u8], rid: &str) -> Result<Resp, ApiError> {
    let what = path.strip_prefix(PREFIX).unwrap_or("");
    match (method, what) {
        ("POST", "reset") => {
            *state.store.write().unwrap_or_else(|e| e.into_inner()) = state.reset_to.clone();
            state.quotas.lock().unwrap_or_else(|e| e.into_inner()).reset();
            state.persist().map_err(persist_failed)?;
            Ok(ok(rid, json!({"Reset": true})))
        }
        ("GET", "requests") => {
            let log: Vec<_> = state.log.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect();
            Ok(ok(rid, json!({"Requests": log})))
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
            let secs = v
                .get("Seconds")
                .and_then(Value::as_f64)
                .filter(|s| s.is_finite() && *s >= 0.0)
                .ok_or_else(|| ApiError::bad_request("Expected {\"Seconds\": N}, N a number ≥ 0"))?;
            *state.clock_offset.lock().unwrap_or_else(|e| e.into_inner()) += secs;
            Ok(ok(rid, json!({"Now": state.now()})))
        }
        _ => Err(ApiError::new(
            404,
            "UnknownOperationException",
            format!(
                "{method} {path}: the admin API has POST {PREFIX}reset, GET {PREFIX}requests, \
                 POST {PREFIX}faults, POST {PREFIX}clock"
            ),
        )),
    }
}

pub fn persist_failed(e: std::io::Error) -> ApiError {
    tracing::error!(error = %e, "the state file could not be written");
    ApiError::modelled("ServiceFailureException", format!("The state file could not be written: {e}"))
}
