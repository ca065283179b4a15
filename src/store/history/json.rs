//! How an entry reads and writes as JSON: epoch-second times, the wire enums as their
//! strings, the stored result in the AppInstanceUserEndpoint wire shape (read straight into
//! typed fields), and the outcome checked as it is read.

use super::{Failure, Found, Outcome};
use crate::model::{AllowMessages, EndpointStatus, EndpointType, StatusReason};
use serde::Deserialize;

pub(super) mod ts {
    use crate::model::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        t.to_json().serialize(s)
    }

    /// Epoch seconds, a finite number in the years -9999 to 9999.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let v = f64::deserialize(d)?;
        if !v.is_finite() {
            return Err(D::Error::custom("time must be a finite number"));
        }
        Timestamp::try_from_secs(v)
            .ok_or_else(|| D::Error::custom("time must lie in the years -9999 to 9999"))
    }
}

pub(super) mod opt_ts {
    use crate::model::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::ts::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    /// What is not a usable time reads as unknown.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.and_then(Timestamp::try_from_secs))
    }
}

/// The wire enums as their strings.
pub(super) trait WireStr: Sized {
    fn wire(&self) -> &str;
    fn from_wire(s: &str) -> Self;
}

macro_rules! wire_str {
    ($($t:ty),*) => {$(
        impl WireStr for $t {
            fn wire(&self) -> &str {
                self.as_str()
            }
            fn from_wire(s: &str) -> Self {
                Self::parse(s)
            }
        }
    )*};
}
wire_str!(EndpointStatus, StatusReason, EndpointType, AllowMessages);

pub(super) mod opt_wire {
    use super::WireStr;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<T: WireStr, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_str(v.wire()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: WireStr, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        Ok(Option::<std::borrow::Cow<'de, str>>::deserialize(d)?.map(|s| T::from_wire(&s)))
    }
}

pub(super) mod opt_endpoint {
    use crate::model::{Endpoint, Timestamp};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Endpoint>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref().map(|e| e.to_json_with(Timestamp::to_json)).serialize(s)
    }

    /// The wire shape, read by the model's one decoder ([`Endpoint`]'s `Deserialize`)
    /// straight into typed fields: no `Value` tree per entry, which keeps a 10,000-entry
    /// load fast.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Endpoint>, D::Error> {
        Option::<Endpoint>::deserialize(d)
    }
}

/// The outcome as read: every field of both variants, checked by `TryFrom` (this avoids the
/// buffering an internally tagged enum costs on every entry).
#[derive(Deserialize)]
pub(super) struct OutcomeWire {
    kind: String,
    #[serde(default, with = "opt_wire")]
    status: Option<EndpointStatus>,
    #[serde(default, with = "opt_wire")]
    reason: Option<StatusReason>,
    #[serde(rename = "type", default, with = "opt_wire")]
    endpoint_type: Option<EndpointType>,
    #[serde(default, with = "opt_wire")]
    allow_messages: Option<AllowMessages>,
    #[serde(default)]
    name: Option<String>,
    error: Option<String>,
    exception: Option<String>,
    #[serde(default)]
    http_status: Option<u16>,
    #[serde(default)]
    message: Option<String>,
}

impl TryFrom<OutcomeWire> for Outcome {
    type Error = String;

    fn try_from(w: OutcomeWire) -> Result<Self, String> {
        match w.kind.as_str() {
            "found" => Ok(Outcome::Found(Found {
                status: w.status,
                reason: w.reason,
                endpoint_type: w.endpoint_type,
                allow_messages: w.allow_messages,
                name: w.name,
            })),
            "failed" => Ok(Outcome::Failed(Failure {
                error: w.error.ok_or("a failed outcome needs \"error\"")?,
                exception: w.exception.ok_or("a failed outcome needs \"exception\"")?,
                http_status: w.http_status,
                message: w.message.unwrap_or_default(),
            })),
            other => Err(format!("unknown outcome kind {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::{Endpoint, EndpointState, Timestamp};

    #[test]
    fn wire_endpoint_reads_like_from_json() {
        let mut samples = vec![
            serde_json::json!({}),
            serde_json::json!({"EndpointState": {"Status": "SOMETHING_NEW"}, "Type": "NEW",
                "CreatedTimestamp": "2023-11-14T22:13:20.5Z", "LastUpdatedTimestamp": 17,
                "EndpointAttributes": {"DeviceToken": "t"}, "Unknown": [1, 2]}),
        ];
        let mut e = endpoint("ep-1");
        e.state = Some(EndpointState {
            status: EndpointStatus::Inactive,
            reason: Some(StatusReason::InvalidPinpointArn),
        });
        samples.push(e.to_json_with(Timestamp::to_json));
        for v in samples {
            let wire: Endpoint = serde_json::from_str(&v.to_string()).unwrap();
            assert_eq!(wire, Endpoint::from_json(&v).unwrap(), "{v}");
        }
        for bad in [
            serde_json::json!({"Name": 5}),
            serde_json::json!({"EndpointState": {}}),
            serde_json::json!({"CreatedTimestamp": "yesterday"}),
            serde_json::json!({"EndpointAttributes": "x"}),
        ] {
            assert!(Endpoint::from_json(&bad).is_err());
            assert!(serde_json::from_str::<Endpoint>(&bad.to_string()).is_err(), "{bad}");
        }
    }
}
