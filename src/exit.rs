//! The process's exit codes, in one place: the AWS CLI's for what it also does (a bad flag,
//! configuration, the service's own errors, anything else), and the browser's own.

use crate::model::{ErrorKind, ServiceError};

pub const EXIT_OK: i32 = 0;
/// The terminal failed under the browser.
pub const EXIT_TERMINAL: i32 = 1;
/// `doctor`: a finding is an error (pushes will not arrive).
pub const EXIT_FINDINGS: i32 = 1;
/// `push-test`: the provider did not accept the push.
pub const EXIT_DELIVERY_FAILED: i32 = 1;
/// A bad flag or argument, or an input refused before anything was sent (the AWS CLI's 252).
pub const EXIT_BAD_ARGS: i32 = 252;
/// A bad configuration: config file, environment variable, unknown profile, no credentials
/// (the AWS CLI's 253).
pub const EXIT_CONFIG: i32 = 253;
/// The service answered with an error (the AWS CLI's 254).
pub const EXIT_SERVICE: i32 = 254;
/// Anything else: network, timeout, an invalid answer, output that cannot be written, a
/// browser that could not save every lookup (the AWS CLI's 255).
pub const EXIT_OTHER: i32 = 255;

/// The exit code for a failure of this kind.
pub fn of_kind(kind: ErrorKind) -> i32 {
    match kind {
        k if k.is_service() => EXIT_SERVICE,
        ErrorKind::Credentials | ErrorKind::Config => EXIT_CONFIG,
        ErrorKind::InvalidInput => EXIT_BAD_ARGS,
        _ => EXIT_OTHER,
    }
}

/// The exit code for a failed request.
pub fn of(e: &ServiceError) -> i32 {
    of_kind(e.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_the_aws_clis_code() {
        for &kind in ErrorKind::ALL {
            let want = match kind {
                ErrorKind::Credentials | ErrorKind::Config => 253,
                ErrorKind::InvalidInput => 252,
                k if k.is_service() => 254,
                _ => 255,
            };
            assert_eq!(of_kind(kind), want, "{kind}");
        }
        assert_eq!(of_kind(ErrorKind::Conflict), 254);
    }
}
