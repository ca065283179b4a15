//! Signature Version 4, as the service checks it.
//!
//! Every request needs a well-formed `Authorization: AWS4-HMAC-SHA256 Credential=…,
//! SignedHeaders=…, Signature=…` and an `X-Amz-Date` (or `Date`); a malformed or incomplete one
//! is refused with `IncompleteSignatureException` (400), a scope for another service or with a
//! date that is not the request's with `InvalidSignatureException` (403). Without known
//! credentials (`--credentials`) any well-formed signature is accepted, as local AWS emulators
//! do. With them, the signature is computed from the secret and compared, and the date must be
//! within 15 minutes of the emulator's clock; an unknown access key is
//! `UnrecognizedClientException` (403), a wrong signature or an old date
//! `InvalidSignatureException` (403). The signature covers the body: its SHA-256 as received
//! is what the canonical request holds, an `x-amz-content-sha256` header that is not that hash
//! (a replay with another body) or is `UNSIGNED-PAYLOAD` is `InvalidSignatureException`.

use super::http::ApiError;
use hmac::{Hmac, KeyInit, Mac};
use hyper::HeaderMap;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// How far a request's date may be from the emulator's clock, as AWS allows.
pub const MAX_SKEW_SECS: i64 = 15 * 60;

/// Characters left as they are in canonical URIs and query strings: the unreserved ones.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
const PATH: &AsciiSet = &STRICT.remove(b'/');

/// Access keys and their secrets (`--credentials KEY:SECRET`).
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    secrets: HashMap<String, String>,
}

impl Credentials {
    /// Parse `KEY:SECRET` (the secret may itself hold colons).
    pub fn parse(specs: &[String]) -> Result<Self, String> {
        let mut secrets = HashMap::new();
        for s in specs {
            let (k, v) = s
                .split_once(':')
                .filter(|(k, v)| !k.is_empty() && !v.is_empty() && !k.contains(char::is_whitespace))
                .ok_or_else(|| {
                    format!("--credentials {:?}: expected ACCESS_KEY_ID:SECRET_ACCESS_KEY", redact(s))
                })?;
            secrets.insert(k.to_string(), v.to_string());
        }
        Ok(Self { secrets })
    }

    pub fn add(&mut self, key: &str, secret: &str) {
        self.secrets.insert(key.to_string(), secret.to_string());
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }
}

/// The key ID of a `KEY:SECRET` spec with the secret hidden, for messages.
fn redact(spec: &str) -> String {
    match spec.split_once(':') {
        Some((k, _)) => format!("{k}:…"),
        None => "…".into(),
    }
}

/// What the request is, as far as the signature covers it.
pub struct Request<'a> {
    pub method: &'a str,
    pub raw_path: &'a str,
    pub raw_query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// An accepted request: who signed it and where it was scoped to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signer {
    pub access_key: String,
    pub region: String,
}

fn incomplete(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "IncompleteSignatureException", message)
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(403, "InvalidSignatureException", message)
}

struct Parsed<'a> {
    access_key: &'a str,
    scope_date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

/// The parts of the header, or the service's refusal.
fn parse(auth: &str) -> Result<Parsed<'_>, ApiError> {
    let auth = auth.trim();
    let (algorithm, rest) = auth.split_once(' ').unwrap_or((auth, ""));
    if algorithm.contains('=') || algorithm.is_empty() {
        return Err(incomplete(format!(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' \
             parameter. Authorization header requires 'SignedHeaders' parameter. Authorization={auth}"
        )));
    }
    if algorithm != ALGORITHM {
        if rest.is_empty() {
            return Err(incomplete(format!(
                "'{auth}' not a valid key=value pair (missing equal-sign) in Authorization header: '{auth}'."
            )));
        }
        return Err(incomplete(format!("Unsupported AWS 'algorithm': '{algorithm}'.")));
    }
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            return Err(incomplete(format!(
                "'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{auth}'."
            )));
        };
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed_headers = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for (name, v) in [("Credential", credential), ("Signature", signature), ("SignedHeaders", signed_headers)]
    {
        if v.is_none_or(str::is_empty) {
            missing.push(format!("Authorization header requires '{name}' parameter."));
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) = (credential, signed_headers, signature)
    else {
        return Err(incomplete(format!("{} Authorization={auth}", missing.join(" "))));
    };
    if !missing.is_empty() {
        return Err(incomplete(format!("{} Authorization={auth}", missing.join(" "))));
    }
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, scope_date, region, service, terminator] = scope[..] else {
        return Err(incomplete(format!(
            "Credential should be of the form ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request, not '{credential}'."
        )));
    };
    if access_key.is_empty() || region.is_empty() || service.is_empty() {
        return Err(incomplete(format!(
            "Credential should be of the form ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request, not '{credential}'."
        )));
    }
    if scope_date.len() != 8 || !scope_date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(incomplete(format!("Invalid credential date '{scope_date}': expected YYYYMMDD.")));
    }
    if terminator != "aws4_request" {
        return Err(invalid(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    let names: Vec<&str> = signed_headers.split(';').collect();
    if names.iter().any(|n| n.is_empty() || n.bytes().any(|b| b.is_ascii_uppercase() || b == b' ')) {
        return Err(incomplete(format!(
            "SignedHeaders '{signed_headers}' is not a list of lower-case header names."
        )));
    }
    if !names.contains(&"host") {
        return Err(incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(incomplete(format!("Signature '{signature}' is not 64 hexadecimal digits.")));
    }
    Ok(Parsed { access_key, scope_date, region, service, signed_headers, signature })
}

/// The request's time: `X-Amz-Date` (ISO 8601 basic), else `Date` (HTTP date), as
/// (`YYYYMMDDTHHMMSSZ`, epoch seconds).
fn request_time(headers: &HeaderMap) -> Result<(String, i64), ApiError> {
    if let Some(v) = headers.get("x-amz-date") {
        let text = v.to_str().unwrap_or("").trim().to_string();
        let secs = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", &text)
            .ok()
            .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp().as_second())
            .ok_or_else(|| {
                incomplete(format!(
                    "Date must be in ISO-8601 'basic format'. Got '{text}'. See http://en.wikipedia.org/wiki/ISO_8601"
                ))
            })?;
        return Ok((text, secs));
    }
    if let Some(v) = headers.get("date") {
        let text = v.to_str().unwrap_or("").trim();
        let ts = jiff::fmt::rfc2822::parse(text)
            .map(|z| z.timestamp())
            .map_err(|_| incomplete(format!("Date header '{text}' is not an HTTP date.")))?;
        return Ok((basic(ts.as_second()), ts.as_second()));
    }
    Err(incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."))
}

/// `YYYYMMDDTHHMMSSZ`
fn basic(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string()).unwrap_or_default()
}

/// Check the request's signature. `now` is the emulator's clock (epoch seconds).
pub fn authenticate(
    req: &Request<'_>,
    credentials: &Credentials,
    signing_name: &str,
    now: i64,
) -> Result<Signer, ApiError> {
    let Some(header) = req.headers.get("authorization") else {
        return Err(ApiError::modelled(
            "UnauthorizedClientException",
            "Missing Authentication Token: requests must be signed with SigV4",
        ));
    };
    let auth = header.to_str().map_err(|_| incomplete("The Authorization header is not ASCII text."))?;
    let p = parse(auth)?;
    let (amz_date, when) = request_time(req.headers)?;
    if p.service != signing_name {
        return Err(invalid(format!(
            "Credential should be scoped to correct service: '{signing_name}', not '{}'.",
            p.service
        )));
    }
    if !amz_date.starts_with(p.scope_date) {
        return Err(invalid(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
            p.scope_date,
            amz_date.get(..8).unwrap_or("")
        )));
    }
    let signer = Signer { access_key: p.access_key.to_string(), region: p.region.to_string() };
    if credentials.is_empty() {
        return Ok(signer);
    }
    let Some(secret) = credentials.secrets.get(p.access_key) else {
        return Err(ApiError::new(
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ));
    };
    if when < now - MAX_SKEW_SECS {
        return Err(invalid(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
            basic(now - MAX_SKEW_SECS),
            basic(now)
        )));
    }
    if when > now + MAX_SKEW_SECS {
        return Err(invalid(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
            basic(now + MAX_SKEW_SECS),
            basic(now)
        )));
    }
    let payload = payload_hash(req)?;
    let canonical = canonical_request(req, p.signed_headers, &payload);
    let scope = format!("{}/{}/{}/aws4_request", p.scope_date, p.region, p.service);
    let to_sign =
        format!("{ALGORITHM}\n{amz_date}\n{scope}\n{}", hex::encode(Sha256::digest(canonical.as_bytes())));
    let key = signing_key(secret, p.scope_date, p.region, p.service);
    let expected = hmac(&key, to_sign.as_bytes());
    let given = hex::decode(p.signature).unwrap_or_default();
    if !constant_time_eq(&expected, &given) {
        return Err(invalid(
            "The request signature we calculated does not match the signature you provided. Check your AWS \
             Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(signer)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; this arm is never taken.
        Err(_) => Vec::new(),
    }
}

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k = hmac(&k, region.as_bytes());
    let k = hmac(&k, service.as_bytes());
    hmac(&k, b"aws4_request")
}

/// The SHA-256 of the body as received, in hex: what the signature must cover. An
/// `x-amz-content-sha256` header must be that same hash: `UNSIGNED-PAYLOAD` (and the streaming
/// forms) are S3's and are refused here, and a hash of another body (a signed request replayed
/// with a new body) is refused before the signature is even computed.
fn payload_hash(req: &Request<'_>) -> Result<String, ApiError> {
    let actual = hex::encode(Sha256::digest(req.body));
    let Some(v) = req.headers.get("x-amz-content-sha256") else { return Ok(actual) };
    let claimed = v.to_str().unwrap_or("").trim();
    if claimed.eq_ignore_ascii_case("UNSIGNED-PAYLOAD") || claimed.starts_with("STREAMING-") {
        return Err(invalid(
            "An unsigned or streaming payload (x-amz-content-sha256: UNSIGNED-PAYLOAD or STREAMING-…) is \
             not accepted by this service: the payload must be signed (the header, when sent, is the \
             SHA-256 of the body in hex).",
        ));
    }
    if !claimed.eq_ignore_ascii_case(&actual) {
        return Err(invalid(
            "The provided 'x-amz-content-sha256' header does not match what was computed: the body is \
             not the one that was signed.",
        ));
    }
    Ok(actual)
}

/// The canonical request of SigV4 for services other than S3: the path normalized and its
/// (already percent-encoded) form encoded once more, the query decoded, strictly re-encoded and
/// sorted, the signed headers trimmed, and the payload's SHA-256 (`payload`, always the hash of
/// the body received).
fn canonical_request(req: &Request<'_>, signed_headers: &str, payload: &str) -> String {
    let path = utf8_percent_encode(&normalize_path(req.raw_path), PATH).to_string();
    let mut query: Vec<(String, String)> = req
        .raw_query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let enc = |s: &str| {
                let decoded = percent_decode_str(s).decode_utf8_lossy().into_owned();
                utf8_percent_encode(&decoded, STRICT).to_string()
            };
            (enc(k), enc(v))
        })
        .collect();
    query.sort();
    let query: Vec<String> = query.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut headers = String::new();
    for name in signed_headers.split(';') {
        let values: Vec<String> = req
            .headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    format!("{}\n{path}\n{}\n{headers}\n{signed_headers}\n{payload}", req.method, query.join("&"))
}

/// Dot segments and repeated slashes removed, as the SDKs do before signing.
fn normalize_path(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut joined = format!("/{}", out.join("/"));
    if path.ends_with('/') && !out.is_empty() {
        joined.push('/');
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                hyper::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    /// The example of the SigV4 documentation ("GET https://iam.amazonaws.com/?Action=ListUsers").
    #[test]
    fn the_documented_example_signature_is_reproduced() {
        let h = headers(&[
            ("host", "iam.amazonaws.com"),
            ("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("x-amz-date", "20150830T123600Z"),
        ]);
        let auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
                    SignedHeaders=content-type;host;x-amz-date, \
                    Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
        let mut h = h;
        h.insert("authorization", HeaderValue::from_str(auth).unwrap());
        let req = Request {
            method: "GET",
            raw_path: "/",
            raw_query: Some("Action=ListUsers&Version=2010-05-08"),
            headers: &h,
            body: b"",
        };
        let mut creds = Credentials::default();
        creds.add("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let now = 1_440_938_160; // 2015-08-30T12:36:00Z
        assert_eq!(
            authenticate(&req, &creds, "iam", now),
            Ok(Signer { access_key: "AKIDEXAMPLE".into(), region: "us-east-1".into() })
        );
        let mut wrong = Credentials::default();
        wrong.add("AKIDEXAMPLE", "not-the-secret");
        assert_eq!(
            authenticate(&req, &wrong, "iam", now).unwrap_err().exception,
            "InvalidSignatureException"
        );
        let e = authenticate(&req, &creds, "iam", now + 3600).unwrap_err();
        assert!(e.message.starts_with("Signature expired"), "{e:?}");
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path("/a//b/./c/../d/"), "/a/b/d/");
        assert_eq!(normalize_path("/app-instances/arn%3Aaws"), "/app-instances/arn%3Aaws");
    }
}
