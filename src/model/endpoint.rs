//! Endpoints and the list summaries as the service models them, their enums, and their one
//! JSON form (the wire / AWS CLI shape), read through serde and written with the timestamps
//! in the form the caller needs (epoch seconds on the wire and in the history file, RFC 3339
//! in the CLI's output).

use super::time::Timestamp;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::fmt;

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this build does not know (the service added one): kept as sent.
            Unknown(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(s) => s,
                }
            }

            pub fn parse(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_string()),
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        /// Read from the wire string; a value this build does not know is kept as sent.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(Self::parse(&String::deserialize(d)?))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// `AppInstanceUserEndpointType`.
    EndpointType { Apns = "APNS", ApnsSandbox = "APNS_SANDBOX", Gcm = "GCM" }
);
wire_enum!(
    /// `AllowMessages`.
    AllowMessages { All = "ALL", None = "NONE" }
);
wire_enum!(
    /// `EndpointStatus`.
    EndpointStatus { Active = "ACTIVE", Inactive = "INACTIVE" }
);
wire_enum!(
    /// `EndpointStatusReason`.
    StatusReason { InvalidDeviceToken = "INVALID_DEVICE_TOKEN", InvalidPinpointArn = "INVALID_PINPOINT_ARN" }
);

impl EndpointType {
    /// What the type means to a person.
    pub fn meaning(&self) -> &'static str {
        match self {
            Self::Apns => "Apple Push Notification service, production (App Store / TestFlight builds)",
            Self::ApnsSandbox => "Apple Push Notification service sandbox (development builds only)",
            Self::Gcm => "Firebase Cloud Messaging (Android)",
            Self::Unknown(_) => "a type this version of chimescope does not know",
        }
    }
}

impl StatusReason {
    /// The reason in words, with what to do about it.
    pub fn explain(&self) -> &'static str {
        match self {
            Self::InvalidDeviceToken => {
                "the push service rejected the device token; the app must register a fresh one"
            }
            Self::InvalidPinpointArn => {
                "ResourceArn does not name a usable Pinpoint app; fix the ResourceArn"
            }
            Self::Unknown(_) => "a reason this version of chimescope does not know",
        }
    }
}

impl AllowMessages {
    pub fn explain(&self) -> &'static str {
        match self {
            Self::All => "receives all messages",
            Self::None => "receives no messages (opted out)",
            Self::Unknown(_) => "unknown setting",
        }
    }
}

/// `EndpointState`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EndpointState {
    #[serde(rename = "Status")]
    pub status: EndpointStatus,
    #[serde(rename = "StatusReason", default)]
    pub reason: Option<StatusReason>,
}

/// `AppInstanceUserEndpoint`: everything `DescribeAppInstanceUserEndpoint` returns. Read from
/// the wire shape by `Deserialize` (unknown members ignored, `null` as absent, timestamps as
/// epoch seconds or RFC 3339).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "wire::Endpoint")]
pub struct Endpoint {
    pub app_instance_user_arn: Option<String>,
    pub endpoint_id: Option<String>,
    /// Sensitive.
    pub name: Option<String>,
    pub endpoint_type: Option<EndpointType>,
    pub resource_arn: Option<String>,
    /// Sensitive.
    pub device_token: Option<String>,
    /// Sensitive.
    pub voip_device_token: Option<String>,
    pub created: Option<Timestamp>,
    pub last_updated: Option<Timestamp>,
    pub allow_messages: Option<AllowMessages>,
    pub state: Option<EndpointState>,
}

/// How an endpoint looks to a person asking "can it receive pushes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    /// ACTIVE and AllowMessages ALL.
    Ok,
    /// ACTIVE but AllowMessages NONE: it works, and receives nothing.
    Muted,
    /// INACTIVE.
    Broken,
    /// State absent or a value we do not know.
    Unknown,
}

pub fn health_of(state: Option<&EndpointState>, allow: Option<&AllowMessages>) -> Health {
    match state.map(|s| &s.status) {
        Some(EndpointStatus::Inactive) => Health::Broken,
        Some(EndpointStatus::Active) => match allow {
            Some(AllowMessages::None) => Health::Muted,
            _ => Health::Ok,
        },
        _ => Health::Unknown,
    }
}

impl Endpoint {
    pub fn health(&self) -> Health {
        health_of(self.state.as_ref(), self.allow_messages.as_ref())
    }

    /// The wire / AWS CLI shape of the record (the value under `AppInstanceUserEndpoint`).
    /// Timestamps are written with `ts` so that the emulator (epoch seconds) and the CLI
    /// output (RFC 3339) share one field list.
    pub fn to_json_with(&self, ts: impl Fn(Timestamp) -> Value) -> Value {
        let mut m = Map::new();
        put_opt(&mut m, "AppInstanceUserArn", self.app_instance_user_arn.as_deref());
        put_opt(&mut m, "EndpointId", self.endpoint_id.as_deref());
        put_opt(&mut m, "Name", self.name.as_deref());
        put_opt(&mut m, "Type", self.endpoint_type.as_ref().map(|t| t.as_str()));
        put_opt(&mut m, "ResourceArn", self.resource_arn.as_deref());
        if self.device_token.is_some() || self.voip_device_token.is_some() {
            let mut a = Map::new();
            put_opt(&mut a, "DeviceToken", self.device_token.as_deref());
            put_opt(&mut a, "VoipDeviceToken", self.voip_device_token.as_deref());
            m.insert("EndpointAttributes".into(), Value::Object(a));
        }
        if let Some(t) = self.created {
            m.insert("CreatedTimestamp".into(), ts(t));
        }
        if let Some(t) = self.last_updated {
            m.insert("LastUpdatedTimestamp".into(), ts(t));
        }
        put_opt(&mut m, "AllowMessages", self.allow_messages.as_ref().map(|a| a.as_str()));
        if let Some(s) = &self.state {
            m.insert("EndpointState".into(), state_json(s));
        }
        Value::Object(m)
    }

    /// `{"AppInstanceUserEndpoint": {...}}` with RFC 3339 UTC timestamps, as `describe
    /// --output json` prints it and `Y` copies it.
    pub fn to_cli_json(&self) -> Value {
        json!({ "AppInstanceUserEndpoint": self.to_json_with(|t| Value::String(t.rfc3339())) })
    }

    /// The same record, pretty-printed.
    pub fn to_cli_json_string(&self) -> String {
        serde_json::to_string_pretty(&self.to_cli_json()).unwrap_or_default()
    }

    /// Parse the wire shape (as the history file and test seeds hold it): [`Endpoint`]'s
    /// `Deserialize`, which reads every form of it there is.
    pub fn from_json(v: &Value) -> Result<Self, String> {
        Self::deserialize(v).map_err(|e| e.to_string())
    }

    pub fn summary(&self) -> EndpointSummary {
        EndpointSummary {
            app_instance_user_arn: self.app_instance_user_arn.clone(),
            endpoint_id: self.endpoint_id.clone(),
            name: self.name.clone(),
            endpoint_type: self.endpoint_type.clone(),
            allow_messages: self.allow_messages.clone(),
            state: self.state.clone(),
        }
    }
}

/// `AppInstanceUserEndpointSummary`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointSummary {
    pub app_instance_user_arn: Option<String>,
    pub endpoint_id: Option<String>,
    /// Sensitive.
    pub name: Option<String>,
    pub endpoint_type: Option<EndpointType>,
    pub allow_messages: Option<AllowMessages>,
    pub state: Option<EndpointState>,
}

impl EndpointSummary {
    pub fn health(&self) -> Health {
        health_of(self.state.as_ref(), self.allow_messages.as_ref())
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        put_opt(&mut m, "AppInstanceUserArn", self.app_instance_user_arn.as_deref());
        put_opt(&mut m, "EndpointId", self.endpoint_id.as_deref());
        put_opt(&mut m, "Name", self.name.as_deref());
        put_opt(&mut m, "Type", self.endpoint_type.as_ref().map(|t| t.as_str()));
        put_opt(&mut m, "AllowMessages", self.allow_messages.as_ref().map(|a| a.as_str()));
        if let Some(s) = &self.state {
            m.insert("EndpointState".into(), state_json(s));
        }
        Value::Object(m)
    }
}

/// `AppInstanceUserSummary`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserSummary {
    pub app_instance_user_arn: Option<String>,
    pub name: Option<String>,
    pub metadata: Option<String>,
}

impl UserSummary {
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        put_opt(&mut m, "AppInstanceUserArn", self.app_instance_user_arn.as_deref());
        put_opt(&mut m, "Name", self.name.as_deref());
        put_opt(&mut m, "Metadata", self.metadata.as_deref());
        Value::Object(m)
    }
}

/// `AppInstanceSummary`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InstanceSummary {
    pub app_instance_arn: Option<String>,
    pub name: Option<String>,
    pub metadata: Option<String>,
}

impl InstanceSummary {
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        put_opt(&mut m, "AppInstanceArn", self.app_instance_arn.as_deref());
        put_opt(&mut m, "Name", self.name.as_deref());
        put_opt(&mut m, "Metadata", self.metadata.as_deref());
        Value::Object(m)
    }
}

/// Insert `k` only when there is a value: the wire and CLI shapes leave absent members out.
pub fn put_opt<V: Into<Value>>(m: &mut Map<String, Value>, k: &str, v: Option<V>) {
    if let Some(v) = v {
        m.insert(k.into(), v.into());
    }
}

fn state_json(s: &EndpointState) -> Value {
    let mut m = Map::new();
    m.insert("Status".into(), Value::String(s.status.as_str().into()));
    if let Some(r) = &s.reason {
        m.insert("StatusReason".into(), Value::String(r.as_str().into()));
    }
    Value::Object(m)
}

/// The wire shape, as serde reads it, turned into the flat [`Endpoint`].
mod wire {
    use super::{AllowMessages, EndpointState, EndpointType, Timestamp};
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub(super) struct Endpoint {
        app_instance_user_arn: Option<String>,
        endpoint_id: Option<String>,
        name: Option<String>,
        #[serde(rename = "Type")]
        endpoint_type: Option<EndpointType>,
        resource_arn: Option<String>,
        endpoint_attributes: Option<Attributes>,
        created_timestamp: Option<Timestamp>,
        last_updated_timestamp: Option<Timestamp>,
        allow_messages: Option<AllowMessages>,
        endpoint_state: Option<EndpointState>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Attributes {
        device_token: Option<String>,
        voip_device_token: Option<String>,
    }

    impl From<Endpoint> for super::Endpoint {
        fn from(w: Endpoint) -> Self {
            let (device_token, voip_device_token) = match w.endpoint_attributes {
                Some(a) => (a.device_token, a.voip_device_token),
                None => (None, None),
            };
            Self {
                app_instance_user_arn: w.app_instance_user_arn,
                endpoint_id: w.endpoint_id,
                name: w.name,
                endpoint_type: w.endpoint_type,
                resource_arn: w.resource_arn,
                device_token,
                voip_device_token,
                created: w.created_timestamp,
                last_updated: w.last_updated_timestamp,
                allow_messages: w.allow_messages,
                state: w.endpoint_state,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";

    #[test]
    fn endpoint_json_round_trip() {
        let v = json!({
            "AppInstanceUserArn": USER, "EndpointId": "ep-1", "Name": "Phone",
            "Type": "APNS_SANDBOX", "ResourceArn": "arn:aws:mobiletargeting:us-east-1:1:apps/x",
            "EndpointAttributes": {"DeviceToken": "tok", "VoipDeviceToken": "voip"},
            "CreatedTimestamp": 1700000000, "LastUpdatedTimestamp": 1700000000.5,
            "AllowMessages": "NONE", "EndpointState": {"Status": "INACTIVE", "StatusReason": "INVALID_DEVICE_TOKEN"}
        });
        let e = Endpoint::from_json(&v).unwrap();
        assert_eq!(e.health(), Health::Broken);
        assert_eq!(e.to_json_with(Timestamp::to_json), v);
        let cli = e.to_cli_json();
        assert_eq!(cli["AppInstanceUserEndpoint"]["CreatedTimestamp"], "2023-11-14T22:13:20Z");
        assert_eq!(cli["AppInstanceUserEndpoint"]["LastUpdatedTimestamp"], "2023-11-14T22:13:20.5Z");
    }
}
