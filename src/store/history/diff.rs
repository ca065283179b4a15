//! Changes between two results: the fields that differ after a refresh, for the UI to
//! highlight. Secret fields say that they changed, never their values.

use crate::model::Endpoint;
use std::fmt;

/// A field of an endpoint that [`diff`] compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Status,
    Reason,
    AllowMessages,
    Type,
    ResourceArn,
    DeviceToken,
    VoipDeviceToken,
    Updated,
    Name,
}

impl Field {
    /// A label for messages ("status", "device token").
    pub fn label(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Reason => "reason",
            Self::AllowMessages => "allow messages",
            Self::Type => "type",
            Self::ResourceArn => "resource ARN",
            Self::DeviceToken => "device token",
            Self::VoipDeviceToken => "VoIP device token",
            Self::Updated => "updated time",
            Self::Name => "name",
        }
    }

    /// Secret fields: a change is reported, their values never are.
    pub fn is_secret(self) -> bool {
        matches!(self, Self::DeviceToken | Self::VoipDeviceToken | Self::Name)
    }
}

/// One field that differs between a stored result and a fresh one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: Field,
    /// The old and new values, for display; always `None` for secret fields.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl fmt::Display for FieldChange {
    /// `status ACTIVE → INACTIVE`, `device token changed` (secrets: never the values).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_secret() {
            return write!(f, "{} changed", self.field.label());
        }
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        write!(f, "{} {} → {}", self.field.label(), show(&self.before), show(&self.after))
    }
}

/// The fields that changed from `old` to `new`, in display order, for the UI to highlight
/// after a refresh. Token and Name changes carry no values.
pub fn diff(old: &Endpoint, new: &Endpoint) -> Vec<FieldChange> {
    fn s<T: ToString>(v: Option<T>) -> Option<String> {
        v.map(|v| v.to_string())
    }
    let mut out = Vec::new();
    let mut plain = |field, before: Option<String>, after: Option<String>| {
        if before != after {
            out.push(FieldChange { field, before, after });
        }
    };
    let status = |e: &Endpoint| s(e.state.as_ref().map(|st| &st.status));
    let reason = |e: &Endpoint| s(e.state.as_ref().and_then(|st| st.reason.as_ref()));
    plain(Field::Status, status(old), status(new));
    plain(Field::Reason, reason(old), reason(new));
    plain(Field::AllowMessages, s(old.allow_messages.as_ref()), s(new.allow_messages.as_ref()));
    plain(Field::Type, s(old.endpoint_type.as_ref()), s(new.endpoint_type.as_ref()));
    plain(Field::ResourceArn, old.resource_arn.clone(), new.resource_arn.clone());
    // A stored result written without secrets (the default) has no DeviceToken, which every
    // real endpoint has (EndpointAttributes.DeviceToken is required): then the secret fields
    // were not stored, not changed, and are not compared.
    let secrets_stored = old.device_token.is_some() || new.device_token.is_none();
    if !secrets_stored {
        return finish(out, old, new, false);
    }
    let secret_pairs = [
        (Field::DeviceToken, &old.device_token, &new.device_token),
        (Field::VoipDeviceToken, &old.voip_device_token, &new.voip_device_token),
    ];
    for (field, a, b) in secret_pairs {
        if a != b {
            out.push(FieldChange { field, before: None, after: None });
        }
    }
    finish(out, old, new, true)
}

/// The update time, and the name when secrets are compared.
fn finish(mut out: Vec<FieldChange>, old: &Endpoint, new: &Endpoint, secrets: bool) -> Vec<FieldChange> {
    let updated = |e: &Endpoint| e.last_updated.map(|t| t.rfc3339());
    if old.last_updated != new.last_updated {
        out.push(FieldChange { field: Field::Updated, before: updated(old), after: updated(new) });
    }
    if secrets && old.name != new.name {
        out.push(FieldChange { field: Field::Name, before: None, after: None });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::{AllowMessages, EndpointState, EndpointStatus, EndpointType, Timestamp};

    #[test]
    fn a_result_stored_without_secrets_does_not_count_them_as_changed() {
        let fresh = endpoint("ep-1");
        let stored = found("ep-1", 1.0).without_secrets().last_result.unwrap();
        assert!(diff(&stored, &fresh).is_empty(), "{:?}", diff(&stored, &fresh));
        let mut changed = fresh.clone();
        changed.state = Some(EndpointState { status: EndpointStatus::Inactive, reason: None });
        let fields: Vec<_> = diff(&stored, &changed).iter().map(|c| c.field).collect();
        assert_eq!(fields, [Field::Status]);
    }

    #[test]
    fn diff_names_changed_fields_without_secret_values() {
        let a = endpoint("ep-1");
        assert!(diff(&a, &a).is_empty());
        let mut b = a.clone();
        b.device_token = Some("c".repeat(64));
        b.voip_device_token = None;
        b.last_updated = Some(Timestamp::from_secs(1_700_000_200.0));
        b.allow_messages = Some(AllowMessages::None);
        b.endpoint_type = Some(EndpointType::Gcm);
        b.resource_arn = None;
        b.name = Some("Bob".into());
        let d = diff(&a, &b);
        let fields: Vec<_> = d.iter().map(|c| c.field).collect();
        assert_eq!(
            fields,
            [
                Field::AllowMessages,
                Field::Type,
                Field::ResourceArn,
                Field::DeviceToken,
                Field::VoipDeviceToken,
                Field::Updated,
                Field::Name
            ]
        );
        for c in &d {
            let s = c.to_string();
            assert!(!s.contains("aaaa") && !s.contains("cccc") && !s.contains("Bob"), "{s}");
            if c.field.is_secret() {
                assert_eq!((&c.before, &c.after), (&None, &None));
            }
        }
        assert_eq!(d[5].to_string(), "updated time 2023-11-14T22:15:00Z → 2023-11-14T22:16:40Z");
    }
}
