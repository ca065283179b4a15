//! Injected faults: `OPERATION:KIND[:COUNT]` (DESIGN.md, "Faults").

use std::time::Duration;

use super::{ops, pinpoint};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    Throttle,
    Failure,
    Unavailable,
    NotFound,
    Slow(Duration),
    /// A 200 whose body is not valid JSON.
    Malformed,
    /// A body cut short: fewer bytes than Content-Length, then the connection closes.
    Truncated,
    /// Close the connection without answering.
    Drop,
}

impl FaultKind {
    /// For the error kinds: (HTTP status, exception name, body Code, message).
    pub fn error(&self) -> Option<(u16, &'static str, &'static str, &'static str)> {
        Some(match self {
            Self::BadRequest => {
                (400, "BadRequestException", "BadRequest", "Injected fault: the request was rejected")
            }
            Self::Unauthorized => (
                401,
                "UnauthorizedClientException",
                "Unauthorized",
                "Injected fault: the client is not authorized",
            ),
            Self::Forbidden => (
                403,
                "ForbiddenException",
                "Forbidden",
                "An invalid app instance user ARN was supplied for the input parameter",
            ),
            Self::Throttle => (429, "ThrottledClientException", "Throttled", "Injected fault: rate exceeded"),
            Self::Failure => {
                (500, "ServiceFailureException", "ServiceFailure", "Injected fault: the service failed")
            }
            Self::Unavailable => (
                503,
                "ServiceUnavailableException",
                "ServiceUnavailable",
                "Injected fault: the service is unavailable",
            ),
            Self::NotFound => {
                (404, "NotFoundException", "NotFound", "Injected fault: the resource does not exist")
            }
            _ => return None,
        })
    }
}

impl FaultKind {
    /// The error kinds in Pinpoint's terms (the nearest exception of the Pinpoint model; it has
    /// no 401 and no 503 of its own): (HTTP status, exception name, message).
    pub fn pinpoint_error(&self) -> Option<(u16, &'static str, &'static str)> {
        Some(match self {
            Self::BadRequest => (400, "BadRequestException", "Injected fault: the request was rejected"),
            Self::Unauthorized => (403, "ForbiddenException", "Injected fault: the client is not authorized"),
            Self::Forbidden => (
                403,
                "ForbiddenException",
                "User is not authorized to perform this action (mobiletargeting:GetApp, mobiletargeting:Get*Channel)",
            ),
            Self::Throttle => (429, "TooManyRequestsException", "Injected fault: too many requests"),
            Self::Failure => (500, "InternalServerErrorException", "Injected fault: internal server error"),
            Self::Unavailable => {
                (503, "ServiceUnavailableException", "Injected fault: the service is unavailable")
            }
            Self::NotFound => (404, "NotFoundException", "Injected fault: resource not found"),
            _ => return None,
        })
    }
}

/// The fault kinds as written in `--fault`.
const KINDS: [&str; 11] = [
    "bad-request",
    "unauthorized",
    "forbidden",
    "throttle",
    "failure",
    "unavailable",
    "not-found",
    "slow",
    "malformed",
    "truncated",
    "drop",
];

/// " (did you mean \"throttle\"?)" for a word a typo away from one of `options`, else "".
fn suggest<'a>(word: &str, options: impl Iterator<Item = &'a str>) -> String {
    let best = options
        .map(|o| (strsim::damerau_levenshtein(&word.to_lowercase(), &o.to_lowercase()), o))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, o)) if d <= 2.max(word.chars().count() / 4) => format!(" (did you mean {o:?}?)"),
        _ => String::new(),
    }
}

/// One `--fault`: which operation (None for `*`), what, and how many more times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub operation: Option<String>,
    pub kind: FaultKind,
    /// None: every matching request.
    pub remaining: Option<u64>,
}

impl Fault {
    /// Parse `OPERATION:KIND[:COUNT]`; `slow` takes its milliseconds: `*:slow:2000:1`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let usage = || {
            format!(
                "bad fault {spec:?}: expected OPERATION:KIND[:COUNT], OPERATION one of {} or *, KIND one of {}",
                ops::served().chain(pinpoint::served()).collect::<Vec<_>>().join(", "),
                KINDS.map(|k| if k == "slow" { "slow:MS" } else { k }).join(", ")
            )
        };
        let mut parts = spec.split(':');
        let op = parts.next().filter(|s| !s.is_empty()).ok_or_else(usage)?;
        let operation = match op {
            "*" => None,
            o if ops::served().chain(pinpoint::served()).any(|s| s == o) => Some(o.to_string()),
            o => {
                let close = suggest(o, ops::served().chain(pinpoint::served()));
                return Err(format!("bad fault {spec:?}: unknown operation {o:?}{close}; {}", usage()));
            }
        };
        let kind = match parts.next().ok_or_else(usage)? {
            "bad-request" => FaultKind::BadRequest,
            "unauthorized" => FaultKind::Unauthorized,
            "forbidden" => FaultKind::Forbidden,
            "throttle" => FaultKind::Throttle,
            "failure" => FaultKind::Failure,
            "unavailable" => FaultKind::Unavailable,
            "not-found" => FaultKind::NotFound,
            "malformed" => FaultKind::Malformed,
            "truncated" => FaultKind::Truncated,
            "drop" => FaultKind::Drop,
            "slow" => {
                let ms = parts
                    .next()
                    .and_then(|m| m.parse::<u64>().ok())
                    .ok_or_else(|| format!("{}: slow needs milliseconds, e.g. slow:2000", usage()))?;
                FaultKind::Slow(Duration::from_millis(ms))
            }
            k => {
                let close = suggest(k, KINDS.iter().copied());
                return Err(format!("bad fault {spec:?}: unknown kind {k:?}{close}; {}", usage()));
            }
        };
        let remaining = match parts.next() {
            None => None,
            Some(c) => Some(
                c.parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{}: COUNT must be a positive whole number", usage()))?,
            ),
        };
        if parts.next().is_some() {
            return Err(usage());
        }
        Ok(Fault { operation, kind, remaining })
    }

    fn matches(&self, operation: &str) -> bool {
        self.remaining != Some(0) && self.operation.as_deref().is_none_or(|o| o == operation)
    }
}

/// Take the first fault that applies to `operation`, counting it down; a fault whose COUNT is
/// spent is removed.
pub fn take(faults: &mut Vec<Fault>, operation: &str) -> Option<FaultKind> {
    let at = faults.iter().position(|f| f.matches(operation))?;
    let f = &mut faults[at];
    let kind = f.kind.clone();
    if let Some(n) = &mut f.remaining {
        *n = n.saturating_sub(1);
        if *n == 0 {
            faults.remove(at);
        }
    }
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        let f = Fault::parse("DescribeAppInstanceUserEndpoint:throttle:2").unwrap();
        assert_eq!(f.kind, FaultKind::Throttle);
        assert_eq!(f.remaining, Some(2));
        let f = Fault::parse("*:slow:1500").unwrap();
        assert_eq!(
            (f.operation, f.kind, f.remaining),
            (None, FaultKind::Slow(Duration::from_millis(1500)), None)
        );
        assert_eq!(Fault::parse("*:slow:10:3").unwrap().remaining, Some(3));
        assert_eq!(
            Fault::parse("GetGcmChannel:forbidden").unwrap().operation.as_deref(),
            Some("GetGcmChannel")
        );
        for bad in ["", "Nope:throttle", "*:explode", "*:slow", "*:drop:0", "*:drop:x", "*:drop:1:2"] {
            assert!(Fault::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_down() {
        let mut fs =
            vec![Fault::parse("ListAppInstances:drop:1").unwrap(), Fault::parse("*:failure").unwrap()];
        assert_eq!(take(&mut fs, "ListAppInstances"), Some(FaultKind::Drop));
        assert_eq!(fs.len(), 1, "the spent fault is removed");
        assert_eq!(take(&mut fs, "ListAppInstances"), Some(FaultKind::Failure));
        assert_eq!(take(&mut fs, "DescribeAppInstance"), Some(FaultKind::Failure));
    }

    #[test]
    fn a_typo_is_answered_with_the_closest_name_before_the_lists() {
        let e = Fault::parse("*:trottle").unwrap_err();
        assert!(
            e.starts_with(r#"bad fault "*:trottle": unknown kind "trottle" (did you mean "throttle"?); "#),
            "{e}"
        );
        let e = Fault::parse("DescribeAppInstanceUserEndpont:throttle").unwrap_err();
        assert!(e.contains(r#"(did you mean "DescribeAppInstanceUserEndpoint"?)"#), "{e}");
        assert!(!Fault::parse("*:zzzzzzzz").unwrap_err().contains("did you mean"));
    }
}
