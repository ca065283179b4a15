//! What the doctor reads from the AWS End User Messaging push (Pinpoint API) app that an
//! endpoint's ResourceArn names: the app, and the channel its Type needs. No secret is kept:
//! a channel's credential (the FCM server key) is never converted.

/// The channels Chime SDK messaging pushes through (WIRE.md, "Pinpoint").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, strum::VariantArray)]
pub enum PinpointChannel {
    Apns,
    ApnsSandbox,
    ApnsVoip,
    ApnsVoipSandbox,
    Gcm,
}

impl PinpointChannel {
    /// Every channel, in the order above (derived: a new channel is in it).
    pub const ALL: &'static [PinpointChannel] = <Self as strum::VariantArray>::VARIANTS;

    /// The read operation, as the Pinpoint model names it.
    pub fn operation(self) -> &'static str {
        match self {
            Self::Apns => "GetApnsChannel",
            Self::ApnsSandbox => "GetApnsSandboxChannel",
            Self::ApnsVoip => "GetApnsVoipChannel",
            Self::ApnsVoipSandbox => "GetApnsVoipSandboxChannel",
            Self::Gcm => "GetGcmChannel",
        }
    }

    /// The channel's name in Pinpoint's console and paths' terms (`APNS_VOIP_SANDBOX`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Apns => "APNS",
            Self::ApnsSandbox => "APNS_SANDBOX",
            Self::ApnsVoip => "APNS_VOIP",
            Self::ApnsVoipSandbox => "APNS_VOIP_SANDBOX",
            Self::Gcm => "GCM",
        }
    }

    pub fn is_voip(self) -> bool {
        matches!(self, Self::ApnsVoip | Self::ApnsVoipSandbox)
    }
}

/// GetApp's answer (`ApplicationResponse`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PinpointApp {
    pub arn: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
}

/// A Get*Channel answer (`*ChannelResponse`), without its credential.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelInfo {
    pub enabled: Option<bool>,
    pub is_archived: Option<bool>,
    /// `TOKEN`, `CERTIFICATE` (APNs), `KEY` (GCM's legacy server key).
    pub default_authentication_method: Option<String>,
    /// When the channel was last changed (`LastModifiedDate`): for certificate auth, an upper
    /// bound on when its certificate was uploaded. (`HasCredential` is documented as unused and
    /// is not read: no finding may rest on it.)
    pub last_modified: Option<super::Timestamp>,
    /// APNs: a token key (.p8) is configured.
    pub has_token_key: Option<bool>,
    /// GCM: FCM service-account credentials (the HTTP v1 API) are configured.
    pub has_fcm_service_credentials: Option<bool>,
}
