//! Answers on the wire: status, `content-type`, `x-amzn-RequestId`, and for errors
//! `x-amzn-ErrorType` with a `{"Code", "Message"}` body.

use super::spec::ServiceModel;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::Frame;
use hyper::{Response, StatusCode};
use serde_json::json;

pub type Body = BoxBody<Bytes, std::io::Error>;
pub type Resp = Response<Body>;

/// An error answer: the exception (the `x-amzn-ErrorType`), its HTTP status and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub exception: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, exception: &str, message: impl Into<String>) -> Self {
        Self { status, exception: exception.to_string(), message: message.into() }
    }

    /// A modelled exception, its status taken from the model.
    pub fn modelled(exception: &str, message: impl Into<String>) -> Self {
        let status = ServiceModel::get().ok().and_then(|m| m.error_status(exception)).unwrap_or(400);
        Self::new(status, exception, message)
    }

    /// A Pinpoint exception, its status taken from the Pinpoint model.
    pub fn pinpoint(exception: &str, message: impl Into<String>) -> Self {
        let status = ServiceModel::pinpoint().ok().and_then(|m| m.error_status(exception));
        Self::new(status.unwrap_or(400), exception, message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::modelled("BadRequestException", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::modelled("NotFoundException", message)
    }

    /// The body's `Code`: the exception name without `Exception`.
    pub fn code(&self) -> &str {
        self.exception.strip_suffix("Exception").unwrap_or(&self.exception)
    }
}

pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

/// A body that sends the first half of `bytes` and then fails, so the connection is cut
/// before Content-Length is reached.
pub fn truncated(bytes: Bytes) -> Body {
    let half = bytes.slice(..bytes.len() / 2);
    let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
        Ok(Frame::data(half)),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "injected truncation")),
    ];
    BodyExt::boxed(StreamBody::new(futures_util::stream::iter(frames)))
}

pub fn respond(status: u16, rid: &str, body: Body, len: usize, extra: &[(String, String)]) -> Resp {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("x-amzn-RequestId", rid);
    if len > 0 || status != 204 {
        b = b.header("content-type", "application/json").header("content-length", len.to_string());
    }
    for (k, v) in extra {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(body).unwrap_or_else(|_| Response::new(full(Bytes::new())))
}

/// An error in Pinpoint's restJson form: `{"Message", "RequestID"}` (the model's exception
/// members), with `x-amzn-ErrorType`.
pub fn pinpoint_error_response(e: &ApiError, rid: &str) -> Resp {
    let body = serde_json::to_vec(&json!({"Message": e.message, "RequestID": rid})).unwrap_or_default();
    let len = body.len();
    respond(e.status, rid, full(body), len, &[("x-amzn-ErrorType".to_string(), e.exception.clone())])
}

pub fn error_response(e: &ApiError, rid: &str) -> Resp {
    let body = serde_json::to_vec(&json!({"Code": e.code(), "Message": e.message})).unwrap_or_default();
    let len = body.len();
    respond(e.status, rid, full(body), len, &[("x-amzn-ErrorType".to_string(), e.exception.clone())])
}
