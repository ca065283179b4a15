//! Every way a request can fail, classified once (in `aws/`), each with a hint a person can
//! act on.

use std::fmt;

/// The kind of a failure. The first six are the service's modelled exceptions for reads; the
/// writes add `Conflict` and `ResourceLimitExceeded`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::VariantArray)]
pub enum ErrorKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    Throttled,
    ServiceFailure,
    ServiceUnavailable,
    /// 404 / NotFoundException (not modelled, but the service sends it).
    NotFound,
    /// 409 / ConflictException: the resource's current state does not allow the request.
    Conflict,
    /// ResourceLimitExceededException: a quota of the account was reached.
    ResourceLimitExceeded,
    /// Credentials missing, expired or rejected before the request left.
    Credentials,
    /// Configuration: no region, an unknown profile, a bad endpoint URL.
    Config,
    /// Connection refused, DNS, the connection dropped.
    Network,
    Timeout,
    /// The service answered with something that is not the model's shape.
    InvalidResponse,
    /// Rejected before any request: what was typed is not valid.
    InvalidInput,
    Other,
}

impl ErrorKind {
    /// Every kind, in the order above (derived: a new kind is in it).
    pub const ALL: &'static [ErrorKind] = <Self as strum::VariantArray>::VARIANTS;

    /// The exception name as the AWS CLI prints it, or a name for the client-side kinds.
    pub fn name(self) -> &'static str {
        match self {
            Self::BadRequest => "BadRequestException",
            Self::Unauthorized => "UnauthorizedClientException",
            Self::Forbidden => "ForbiddenException",
            Self::Throttled => "ThrottledClientException",
            Self::ServiceFailure => "ServiceFailureException",
            Self::ServiceUnavailable => "ServiceUnavailableException",
            Self::NotFound => "NotFoundException",
            Self::Conflict => "ConflictException",
            Self::ResourceLimitExceeded => "ResourceLimitExceededException",
            Self::Credentials => "CredentialsError",
            Self::Config => "ConfigurationError",
            Self::Network => "NetworkError",
            Self::Timeout => "Timeout",
            Self::InvalidResponse => "InvalidResponse",
            Self::InvalidInput => "InvalidInput",
            Self::Other => "Error",
        }
    }

    /// A short label for lists and history ("not found", "throttled").
    pub fn label(self) -> &'static str {
        match self {
            Self::BadRequest => "bad request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::Throttled => "throttled",
            Self::ServiceFailure => "service failure",
            Self::ServiceUnavailable => "unavailable",
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::ResourceLimitExceeded => "limit exceeded",
            Self::Credentials => "credentials",
            Self::Config => "configuration",
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::InvalidResponse => "bad response",
            Self::InvalidInput => "invalid input",
            Self::Other => "error",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "BadRequestException" | "BadRequest" => Self::BadRequest,
            "UnauthorizedClientException" | "Unauthorized" => Self::Unauthorized,
            "ForbiddenException" | "Forbidden" => Self::Forbidden,
            "ThrottledClientException" | "Throttled" => Self::Throttled,
            "ServiceFailureException" | "ServiceFailure" => Self::ServiceFailure,
            "ServiceUnavailableException" | "ServiceUnavailable" => Self::ServiceUnavailable,
            "NotFoundException" | "NotFound" => Self::NotFound,
            "ConflictException" | "Conflict" => Self::Conflict,
            "ResourceLimitExceededException" | "ResourceLimitExceeded" => Self::ResourceLimitExceeded,
            _ => return None,
        })
    }

    pub fn from_status(status: u16) -> Option<Self> {
        Some(match status {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 => Self::Conflict,
            429 => Self::Throttled,
            500 => Self::ServiceFailure,
            503 => Self::ServiceUnavailable,
            _ => return None,
        })
    }

    /// Did the service itself answer with this error?
    pub fn is_service(self) -> bool {
        matches!(
            self,
            Self::BadRequest
                | Self::Unauthorized
                | Self::Forbidden
                | Self::Throttled
                | Self::ServiceFailure
                | Self::ServiceUnavailable
                | Self::NotFound
                | Self::Conflict
                | Self::ResourceLimitExceeded
        )
    }

    /// What a person can do about it.
    pub fn hint(self, operation: &str) -> String {
        match self {
            Self::BadRequest => "the service rejected the input: check the ARN and endpoint ID for typos, stray characters and length".into(),
            Self::Unauthorized => "the credentials were not accepted: refresh them (aws sso login, or new keys) and check the profile".into(),
            Self::Forbidden if operation == "ListAppInstances" => format!(
                "the IAM identity lacks chime:{operation} in this account and region: ask for the permission, or pass --profile / --region for the account that owns the app instances"
            ),
            Self::Forbidden if operation.is_empty() => "either the IAM identity lacks the permission, or the ARN itself is wrong (another account, a typo): the service answers both with Forbidden".into(),
            Self::Forbidden => format!(
                "either the IAM identity lacks chime:{operation} on this ARN, or the ARN itself is wrong (another account, a typo): the service answers both with Forbidden"
            ),
            Self::Throttled => "the service is throttling this account (the SDK already retried): wait a moment and try again".into(),
            Self::ServiceFailure => "the service failed internally: retry; if it persists, check the AWS Health Dashboard".into(),
            Self::ServiceUnavailable => "the service is unavailable right now: retry shortly".into(),
            Self::NotFound => match operation {
                "DescribeAppInstanceUserEndpoint" => "no such endpoint: check the endpoint ID, and that the ARN names the right user, account and region".into(),
                "ListAppInstanceUserEndpoints" | "DescribeAppInstanceUser" => "no such user: check that the ARN names the right app instance, user, account and region".into(),
                "ListAppInstanceUsers" | "DescribeAppInstance" => "no such app instance: check that the ARN names the right app instance, account and region".into(),
                _ => "no such resource: check that the ARN names the right account and region".into(),
            },
            Self::Conflict => "the resource is not in a state that allows this (another request may have changed it): look it up again, then retry".into(),
            Self::ResourceLimitExceeded => "a limit of the account was reached (e.g. endpoints per user): remove what is no longer needed, or ask AWS Support for a higher quota".into(),
            Self::Credentials => "no usable credentials: run `aws sso login`, set AWS_PROFILE or --profile, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY".into(),
            Self::Config => "check --profile, --region and --endpoint-url, and ~/.aws/config".into(),
            Self::Network => "could not reach the service: check the network, proxy and --endpoint-url".into(),
            Self::Timeout => "the service did not answer in time: retry, or raise --timeout".into(),
            Self::InvalidResponse => "the answer was not what the service model says: is --endpoint-url really Chime SDK Identity?".into(),
            Self::InvalidInput => "fix the input; nothing was sent".into(),
            Self::Other => "see the log file for details".into(),
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A failed lookup, ready to show: what happened, where, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    pub kind: ErrorKind,
    /// The exception name as the service sent it (or the kind's name).
    pub exception: String,
    pub message: String,
    pub http_status: Option<u16>,
    pub request_id: Option<String>,
    pub hint: String,
}

impl ServiceError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, operation: &str) -> Self {
        Self {
            kind,
            exception: kind.name().to_string(),
            message: message.into(),
            http_status: None,
            request_id: None,
            hint: kind.hint(operation),
        }
    }

    pub fn invalid_input(e: &super::InputError) -> Self {
        Self::new(ErrorKind::InvalidInput, e.to_string(), "")
    }

    /// The lines printed on stderr by the one-shot commands. What the service sent is
    /// escaped: a message holding an escape sequence never reaches the terminal raw.
    pub fn report(&self, operation: &str) -> String {
        use super::escape_control as esc;
        let mut s = format!(
            "An error occurred ({}) when calling the {operation} operation: {}\n",
            esc(&self.exception),
            esc(&self.message)
        );
        if let Some(st) = self.http_status {
            s.push_str(&format!("  HTTP status: {st}\n"));
        }
        if let Some(id) = &self.request_id {
            s.push_str(&format!("  Request ID:  {}\n", esc(id)));
        }
        s.push_str(&format!("  Hint:        {}\n", esc(&self.hint)));
        s
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.exception, self.message)
    }
}

impl std::error::Error for ServiceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_kinds_are_service_errors_from_their_codes() {
        assert_eq!(ErrorKind::from_code("ConflictException"), Some(ErrorKind::Conflict));
        assert_eq!(
            ErrorKind::from_code("ResourceLimitExceededException"),
            Some(ErrorKind::ResourceLimitExceeded)
        );
        assert_eq!(ErrorKind::from_status(409), Some(ErrorKind::Conflict));
        for k in [ErrorKind::Conflict, ErrorKind::ResourceLimitExceeded] {
            assert!(k.is_service());
            assert_eq!(ErrorKind::from_code(k.name()), Some(k));
        }
        assert_eq!(
            ErrorKind::ALL.iter().collect::<std::collections::HashSet<_>>().len(),
            ErrorKind::ALL.len()
        );
    }

    #[test]
    fn reports_escape_what_the_service_sent() {
        let mut e = ServiceError::new(ErrorKind::BadRequest, "bad \u{1b}]0;PWNED\u{7}\u{1b}[2J input", "Op");
        e.request_id = Some("id\u{1b}[31m".into());
        e.exception = "Bad\u{9b}Request".into();
        let r = e.report("Op");
        assert!(!r.chars().any(|c| c.is_control() && c != '\n'), "{r:?}");
        assert!(r.contains("bad \\e]0;PWNED\\u{7}\\e[2J input"), "{r}");
        assert!(r.contains("Request ID:  id\\e[31m"), "{r}");
    }
}
