//! One remembered lookup: an [`Entry`], what it came back with ([`Outcome`]), and what it says
//! about itself (health, status word, name, the same entry without secrets).

use crate::model::ServiceError;
use crate::model::{
    AllowMessages, Endpoint, EndpointStatus, EndpointType, Health, StatusReason, Timestamp, health_of,
};
use serde::{Deserialize, Serialize};

// The on-disk shape of the fields below (see `json.rs`).
use super::json::{OutcomeWire, opt_endpoint, opt_ts, opt_wire, ts};

/// One remembered lookup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub user_arn: String,
    pub endpoint_id: String,
    /// The region the request went to.
    pub region: String,
    /// The profile used, when one was named or configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The endpoint URL the request went to, when not the AWS default (`--endpoint-url`, demo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// When the lookup finished, epoch seconds.
    #[serde(with = "ts")]
    pub time: Timestamp,
    pub outcome: Outcome,
    /// The last successful result, for viewing offline. Kept through a failed refresh.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_endpoint")]
    pub last_result: Option<Endpoint>,
    /// When `last_result` was looked up, when that is not `time` (the latest lookup failed
    /// and the stored result is from an earlier one). See [`Entry::result_time`].
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_ts")]
    pub result_time: Option<Timestamp>,
}

/// What the lookup came back with. On disk: an object with `"kind": "found"` or `"failed"`
/// and the fields of the variant beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "OutcomeWire")]
pub enum Outcome {
    Found(Found),
    Failed(Failure),
}

/// The summary of a successful lookup.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Found {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_wire")]
    pub status: Option<EndpointStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_wire")]
    pub reason: Option<StatusReason>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none", with = "opt_wire")]
    pub endpoint_type: Option<EndpointType>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_wire")]
    pub allow_messages: Option<AllowMessages>,
    /// The endpoint's Name; sensitive, written only with `store_secrets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The summary of a failed lookup.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// `ErrorKind::label()`: "not found", "throttled", …
    pub error: String,
    /// The exception name as sent (or the kind's name).
    pub exception: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default)]
    pub message: String,
}

impl Entry {
    /// The entry for a lookup of `user_arn` + `endpoint_id` sent to `region` that finished at
    /// `time`. Add where it went with [`Entry::via`].
    pub fn new(
        user_arn: impl Into<String>,
        endpoint_id: impl Into<String>,
        region: impl Into<String>,
        time: Timestamp,
        result: Result<&Endpoint, &ServiceError>,
    ) -> Self {
        let (outcome, last_result) = match result {
            Ok(ep) => (
                Outcome::Found(Found {
                    status: ep.state.as_ref().map(|s| s.status.clone()),
                    reason: ep.state.as_ref().and_then(|s| s.reason.clone()),
                    endpoint_type: ep.endpoint_type.clone(),
                    allow_messages: ep.allow_messages.clone(),
                    name: ep.name.clone(),
                }),
                Some(ep.clone()),
            ),
            Err(e) => (
                Outcome::Failed(Failure {
                    error: e.kind.label().to_string(),
                    exception: e.exception.clone(),
                    http_status: e.http_status,
                    message: e.message.clone(),
                }),
                None,
            ),
        };
        Self { last_result, ..Self::bare(user_arn.into(), endpoint_id.into(), region.into(), time, outcome) }
    }

    /// An entry with its outcome and nothing stored yet.
    fn bare(
        user_arn: String,
        endpoint_id: String,
        region: String,
        time: Timestamp,
        outcome: Outcome,
    ) -> Self {
        Self {
            user_arn,
            endpoint_id,
            region,
            profile: None,
            endpoint_url: None,
            time,
            outcome,
            last_result: None,
            result_time: None,
        }
    }

    /// The entry for an endpoint deregistered from this browser at `time`: the latest
    /// "lookup" says it is gone (as a failure, so that older versions read it too), and the
    /// stored result is the record that was removed, to copy and register again. On disk its
    /// secrets go as any entry's do (kept only with `store_secrets`).
    pub fn removed(
        user_arn: impl Into<String>,
        endpoint_id: impl Into<String>,
        region: impl Into<String>,
        time: Timestamp,
        record: Option<Endpoint>,
    ) -> Self {
        let failure = Failure {
            error: REMOVED.to_string(),
            exception: "Deregistered".to_string(),
            http_status: None,
            message: "deregistered from chimescope; the stored result is the record removed".to_string(),
        };
        let mut e =
            Self::bare(user_arn.into(), endpoint_id.into(), region.into(), time, Outcome::Failed(failure));
        e.result_time = record.as_ref().map(|_| time);
        e.last_result = record;
        e
    }

    /// Whether this entry says the endpoint was deregistered from chimescope.
    pub fn is_removed(&self) -> bool {
        matches!(&self.outcome, Outcome::Failed(f) if f.error == REMOVED)
    }

    /// When the stored result (`last_result`) was looked up: the entry's time when the latest
    /// lookup found it, the earlier time kept through a failed refresh, None when unknown (a
    /// file written before this was kept).
    pub fn result_time(&self) -> Option<Timestamp> {
        self.last_result.as_ref()?;
        match self.outcome {
            Outcome::Found(_) => Some(self.time),
            Outcome::Failed(_) => self.result_time,
        }
    }

    /// Where the request went: the profile and/or the endpoint URL.
    pub fn via(mut self, profile: Option<String>, endpoint_url: Option<String>) -> Self {
        self.profile = profile;
        self.endpoint_url = endpoint_url;
        self
    }

    pub fn is_failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }

    /// The state dot's meaning; `None` when the latest lookup failed.
    pub fn health(&self) -> Option<Health> {
        match &self.outcome {
            Outcome::Found(f) => {
                let state = f
                    .status
                    .clone()
                    .map(|status| crate::model::EndpointState { status, reason: f.reason.clone() });
                Some(health_of(state.as_ref(), f.allow_messages.as_ref()))
            }
            Outcome::Failed(_) => None,
        }
    }

    /// The word beside the dot: the status as sent ("ACTIVE", "INACTIVE"), or the error label
    /// ("not found").
    pub fn status_word(&self) -> &str {
        match &self.outcome {
            Outcome::Found(f) => f.status.as_ref().map(|s| s.as_str()).unwrap_or("UNKNOWN"),
            Outcome::Failed(f) => &f.error,
        }
    }

    /// The endpoint's Name as far as this entry knows it (outcome or stored result).
    pub fn name(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Found(Found { name: Some(n), .. }) => Some(n),
            _ => self.last_result.as_ref().and_then(|r| r.name.as_deref()),
        }
    }

    /// The user ID of the ARN (`u-42`), or the ARN itself when it does not parse.
    pub fn short_user(&self) -> &str {
        short_user(&self.user_arn)
    }

    /// The same entry without Name, DeviceToken and VoipDeviceToken.
    pub fn without_secrets(&self) -> Self {
        let mut e = self.clone();
        if let Outcome::Found(f) = &mut e.outcome {
            f.name = None;
        }
        if let Some(r) = &mut e.last_result {
            r.name = None;
            r.device_token = None;
            r.voip_device_token = None;
        }
        e
    }

    pub(super) fn key(&self) -> (&str, &str) {
        (&self.user_arn, &self.endpoint_id)
    }
}

pub use crate::model::short_user;

/// The error label of an entry for a deregistered endpoint ([`Entry::removed`]).
pub const REMOVED: &str = "deregistered";

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn without_secrets_drops_name_and_tokens() {
        let e = found("ep-1", 1.0).without_secrets();
        let r = e.last_result.as_ref().unwrap();
        assert_eq!((&r.name, &r.device_token, &r.voip_device_token), (&None, &None, &None));
        assert!(matches!(&e.outcome, Outcome::Found(f) if f.name.is_none()));
        assert_eq!(r.resource_arn, endpoint("ep-1").resource_arn);
    }

    #[test]
    fn entry_json_round_trip() {
        for e in [found("ep-1", 1_764_101_700.123), failed("ep-2", 5.0).via(Some("dev".into()), None)] {
            let s = serde_json::to_string(&e).unwrap();
            let back: Entry = serde_json::from_str(&s).unwrap();
            assert_eq!(back, e);
        }
        let v = serde_json::to_value(failed("ep-2", 5.0)).unwrap();
        assert_eq!(v["outcome"]["kind"], "failed");
        assert_eq!(v["outcome"]["exception"], "ThrottledClientException");
        assert_eq!(v["time"], 5);
        let v = serde_json::to_value(found("ep-1", 5.5)).unwrap();
        assert_eq!(v["outcome"]["kind"], "found");
        assert_eq!(v["outcome"]["type"], "APNS");
        assert_eq!(v["last_result"]["EndpointAttributes"]["DeviceToken"], "a".repeat(64));
    }
}
