//! The detail pane's field catalogue: every field of an endpoint, in the order shown, with its
//! label, its group, whether it is a secret, and its real value (what `y` copies).

use crate::model::{self, Endpoint};

/// The fields of the detail pane, in the order shown; the field cursor indexes this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldId {
    Status,
    Reason,
    Messages,
    EndpointId,
    Type,
    Name,
    UserArn,
    AppInstance,
    User,
    ResourceArn,
    DeviceToken,
    VoipToken,
    Created,
    Updated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    State,
    Identity,
    Tokens,
    Times,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::State => "State",
            Group::Identity => "Identity",
            Group::Tokens => "Tokens",
            Group::Times => "Times",
        }
    }
}

pub const FIELDS: [FieldId; 14] = [
    FieldId::Status,
    FieldId::Reason,
    FieldId::Messages,
    FieldId::EndpointId,
    FieldId::Type,
    FieldId::Name,
    FieldId::UserArn,
    FieldId::AppInstance,
    FieldId::User,
    FieldId::ResourceArn,
    FieldId::DeviceToken,
    FieldId::VoipToken,
    FieldId::Created,
    FieldId::Updated,
];

impl FieldId {
    pub fn label(self) -> &'static str {
        match self {
            FieldId::Status => "Status",
            FieldId::Reason => "Reason",
            FieldId::Messages => "Messages",
            FieldId::EndpointId => "Endpoint ID",
            FieldId::Type => "Type",
            FieldId::Name => "Name",
            FieldId::UserArn => "User ARN",
            FieldId::AppInstance => "App instance",
            FieldId::User => "User ID",
            FieldId::ResourceArn => "Resource ARN",
            FieldId::DeviceToken => "Device token",
            FieldId::VoipToken => "VoIP token",
            FieldId::Created => "Created",
            FieldId::Updated => "Updated",
        }
    }

    /// How the copy feedback names it.
    pub fn what(self) -> &'static str {
        match self {
            FieldId::Status => "status",
            FieldId::Reason => "status reason",
            FieldId::Messages => "AllowMessages",
            FieldId::EndpointId => "endpoint ID",
            FieldId::Type => "endpoint type",
            FieldId::Name => "endpoint name",
            FieldId::UserArn => "user ARN",
            FieldId::AppInstance => "app instance ARN",
            FieldId::User => "user ID",
            FieldId::ResourceArn => "resource ARN",
            FieldId::DeviceToken => "device token",
            FieldId::VoipToken => "VoIP device token",
            FieldId::Created => "created time",
            FieldId::Updated => "last updated time",
        }
    }

    pub fn group(self) -> Group {
        match self {
            FieldId::Status | FieldId::Reason | FieldId::Messages => Group::State,
            FieldId::DeviceToken | FieldId::VoipToken => Group::Tokens,
            FieldId::Created | FieldId::Updated => Group::Times,
            _ => Group::Identity,
        }
    }

    /// Masked unless secrets are shown.
    pub fn is_secret(self) -> bool {
        matches!(self, FieldId::Name | FieldId::DeviceToken | FieldId::VoipToken)
    }

    /// The real value, as copied (None: the field is absent).
    pub fn raw(self, e: &Endpoint) -> Option<String> {
        let parsed = || e.app_instance_user_arn.as_deref().and_then(|a| model::parse_user_arn(a).ok());
        match self {
            FieldId::Status => e.state.as_ref().map(|s| s.status.to_string()),
            FieldId::Reason => e.state.as_ref().and_then(|s| s.reason.as_ref()).map(|r| r.to_string()),
            FieldId::Messages => e.allow_messages.as_ref().map(|a| a.to_string()),
            FieldId::EndpointId => e.endpoint_id.clone(),
            FieldId::Type => e.endpoint_type.as_ref().map(|t| t.to_string()),
            FieldId::Name => e.name.clone(),
            FieldId::UserArn => e.app_instance_user_arn.clone(),
            FieldId::AppInstance => parsed().map(|p| p.app_instance_arn()),
            FieldId::User => parsed().and_then(|p| p.user_id().map(str::to_string)),
            FieldId::ResourceArn => e.resource_arn.clone(),
            FieldId::DeviceToken => e.device_token.clone(),
            FieldId::VoipToken => e.voip_device_token.clone(),
            FieldId::Created => e.created.map(|t| t.rfc3339()),
            FieldId::Updated => e.last_updated.map(|t| t.rfc3339()),
        }
    }
}
