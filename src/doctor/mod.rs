//! The doctor: why a push to an endpoint will not arrive, as a list of findings.
//! Pure functions of the records and `now`: no runtime, screen, files or SDK.
//!
//! - `records.rs`: the findings from the records alone (the endpoint, and for the user-level
//!   rules the user's endpoints and its ExpirationSettings).
//! - `pinpoint.rs`: the findings from the Pinpoint app's answers (GetApp, Get*Channel), and
//!   which of them to read for an endpoint.
//! - `register.rs`: the record rules run on a registration before it is sent.
//! - `filter.rs`, `membership.rs`: the membership gate (a channel's push preferences, the
//!   client's own FilterRule evaluator).
//! - `code.rs`: the registry of codes, their severities, words and whether a row shows them.
//! - this file: [`Finding`], [`Severity`], [`Verdict`] and their JSON form.

pub mod code;
pub mod filter;
pub mod membership;
pub mod pinpoint;
pub mod records;
pub mod register;
pub mod verdict;

pub use code::Code;
pub use records::{UserExpiration, endpoint_findings, summary_findings, user_findings, user_findings_for};

use serde_json::{Value, json};

/// How bad a finding is: error, pushes will not arrive; warning, they may not; info.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// One thing the doctor found: a stable code, how bad it is, what it means, the evidence (never
/// a secret: a token is shown by its length, alphabet and mask) and the fix in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub evidence: String,
    pub fix: String,
}

impl Finding {
    /// A finding of `code` with its usual severity and the registry's fix.
    pub fn new(code: Code, message: String, evidence: String) -> Self {
        Self { code, severity: code.severity(), message, evidence, fix: code.fix().to_string() }
    }

    /// The finding at another of its code's severities (a graded rule).
    pub fn graded(self, severity: Severity) -> Self {
        Self { severity, ..self }
    }

    /// The finding with a fix more specific than the registry's.
    pub fn fixing(self, fix: impl Into<String>) -> Self {
        Self { fix: fix.into(), ..self }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "Code": self.code.as_str(),
            "Severity": self.severity.as_str(),
            "Message": self.message,
            "Evidence": self.evidence,
            "Fix": self.fix,
        })
    }

    /// The finding as text, with its evidence and fix (what `y` copies, what `doctor --output
    /// text` prints under a verdict line).
    pub fn to_text(&self) -> String {
        format!(
            "{} [{}]: {}\n  evidence: {}\n  fix: {}",
            self.severity.as_str(),
            self.code,
            self.message,
            self.evidence,
            self.fix
        )
    }
}

/// The worst finding's severity, as a word: ok, warning or error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Ok,
    Warning,
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// The verdict of a set of findings: the worst of them (info counts as ok).
pub fn verdict<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Verdict {
    findings
        .into_iter()
        .map(|f| match f.severity {
            Severity::Error => Verdict::Error,
            Severity::Warning => Verdict::Warning,
            Severity::Info => Verdict::Ok,
        })
        .max()
        .unwrap_or(Verdict::Ok)
}

/// Errors first, then warnings, then info; in rule order within a severity.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(code: Code, severity: Severity) -> Finding {
        Finding::new(code, String::new(), String::new()).graded(severity)
    }

    #[test]
    fn the_verdict_is_the_worst_finding() {
        let (a, b, c) = (Code::TokenShape, Code::EndpointLimit, Code::UserExpires);
        assert_eq!(verdict(&[]), Verdict::Ok);
        assert_eq!(verdict(&[f(a, Severity::Info)]), Verdict::Ok);
        assert_eq!(verdict(&[f(a, Severity::Info), f(b, Severity::Warning)]), Verdict::Warning);
        assert_eq!(
            verdict(&[f(a, Severity::Warning), f(b, Severity::Error), f(c, Severity::Info)]),
            Verdict::Error
        );
    }

    #[test]
    fn errors_sort_first_and_keep_rule_order() {
        let (w, e1, i, e2) =
            (Code::MessagesOff, Code::InactiveDeviceToken, Code::TokenShape, Code::ResourceNotPinpoint);
        let mut v = vec![
            f(w, Severity::Warning),
            f(e1, Severity::Error),
            f(i, Severity::Info),
            f(e2, Severity::Error),
        ];
        sort(&mut v);
        let codes: Vec<_> = v.iter().map(|f| f.code).collect();
        assert_eq!(codes, [e1, e2, w, i]);
    }

    #[test]
    fn json_has_the_issue_s_members() {
        let v = f(Code::MessagesOff, Severity::Error).to_json();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys.len(), 5);
        assert_eq!(v["Severity"], "error");
        assert_eq!(v["Code"], "messages-off");
    }
}
