//! The domain model: endpoints and the list summaries, their enums, and the parsing and
//! validation of what a person types (user ARNs, app-instance ARNs, endpoint IDs).
//!
//! Nothing here knows about the SDK or the wire; `aws/` converts into these types and the
//! emulator serves the wire shape of them.

use serde_json::{Map, Value, json};
use std::fmt;

/// Regions that have a Chime SDK Identity endpoint (WIRE.md, "Service").
pub const IDENTITY_REGIONS: &[&str] = &["us-east-1", "eu-central-1"];

/// Longest ARN the service accepts (ChimeArn max).
pub const MAX_ARN_LEN: usize = 1600;
/// Longest endpoint ID the service accepts (String64).
pub const MAX_ENDPOINT_ID_LEN: usize = 64;

/// A point in time as it travels on the wire: epoch seconds, fractions allowed.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Timestamp(pub f64);

impl Timestamp {
    pub fn to_jiff(self) -> Option<jiff::Timestamp> {
        // An f64 of today's epoch seconds resolves about a quarter of a microsecond, so round
        // to whole microseconds: 1700000000.123 prints as .123, not .122999907.
        let mut secs = self.0.floor();
        let mut micros = ((self.0 - secs) * 1e6).round();
        if micros >= 1e6 {
            secs += 1.0;
            micros = 0.0;
        }
        jiff::Timestamp::new(secs as i64, micros as i32 * 1000).ok()
    }

    /// RFC 3339 in UTC, e.g. `2023-11-14T22:13:20Z` (fractions only when present).
    pub fn rfc3339(self) -> String {
        match self.to_jiff() {
            Some(t) => t.to_string(),
            None => format!("{}", self.0),
        }
    }

    /// The wire form: an integer when whole, otherwise the float.
    pub fn to_json(self) -> Value {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 { json!(self.0 as i64) } else { json!(self.0) }
    }
}

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
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointState {
    pub status: EndpointStatus,
    pub reason: Option<StatusReason>,
}

/// `AppInstanceUserEndpoint`: everything `DescribeAppInstanceUserEndpoint` returns.
#[derive(Clone, Debug, Default, PartialEq)]
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

    /// Parse the wire shape (as the emulator's seed and the history file hold it).
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let o = v.as_object().ok_or("an endpoint must be a JSON object")?;
        let attrs = match o.get("EndpointAttributes") {
            None | Some(Value::Null) => None,
            Some(Value::Object(a)) => Some(a),
            Some(_) => return Err("EndpointAttributes must be an object".into()),
        };
        Ok(Endpoint {
            app_instance_user_arn: get_str(o, "AppInstanceUserArn")?,
            endpoint_id: get_str(o, "EndpointId")?,
            name: get_str(o, "Name")?,
            endpoint_type: get_str(o, "Type")?.map(|s| EndpointType::parse(&s)),
            resource_arn: get_str(o, "ResourceArn")?,
            device_token: match attrs {
                Some(a) => get_str(a, "DeviceToken")?,
                None => None,
            },
            voip_device_token: match attrs {
                Some(a) => get_str(a, "VoipDeviceToken")?,
                None => None,
            },
            created: get_ts(o, "CreatedTimestamp")?,
            last_updated: get_ts(o, "LastUpdatedTimestamp")?,
            allow_messages: get_str(o, "AllowMessages")?.map(|s| AllowMessages::parse(&s)),
            state: state_from_json(o.get("EndpointState"))?,
        })
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

/// One page of a list operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
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

fn state_from_json(v: Option<&Value>) -> Result<Option<EndpointState>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => {
            let status = get_str(o, "Status")?.ok_or("EndpointState.Status is required")?;
            Ok(Some(EndpointState {
                status: EndpointStatus::parse(&status),
                reason: get_str(o, "StatusReason")?.map(|s| StatusReason::parse(&s)),
            }))
        }
        Some(_) => Err("EndpointState must be an object".into()),
    }
}

fn get_str(o: &Map<String, Value>, k: &str) -> Result<Option<String>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{k} must be a string")),
    }
}

/// Epoch seconds (a number) or, leniently, an RFC 3339 string.
pub fn parse_timestamp_json(v: &Value) -> Result<Timestamp, String> {
    match v {
        Value::Number(n) => {
            n.as_f64().map(Timestamp).ok_or_else(|| "a timestamp must be a finite number".into())
        }
        Value::String(s) => s
            .parse::<jiff::Timestamp>()
            .map(|t| Timestamp(t.as_second() as f64 + f64::from(t.subsec_nanosecond()) / 1e9))
            .map_err(|e| format!("not a timestamp: {e}")),
        _ => Err("a timestamp must be epoch seconds (a number)".into()),
    }
}

fn get_ts(o: &Map<String, Value>, k: &str) -> Result<Option<Timestamp>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => parse_timestamp_json(v).map(Some).map_err(|e| format!("{k}: {e}")),
    }
}

// ---------------------------------------------------------------------------------------
// ARNs and the other inputs
// ---------------------------------------------------------------------------------------

/// What is wrong with something a person typed. `field` names the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct InputError {
    pub field: &'static str,
    pub problem: String,
}

impl InputError {
    fn new(field: &'static str, problem: impl Into<String>) -> Self {
        Self { field, problem: problem.into() }
    }
}

pub const USER_ARN_EXAMPLE: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/<app-instance-id>/user/<user-id>";
pub const INSTANCE_ARN_EXAMPLE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/<app-instance-id>";

/// The five header fields of an ARN and the resource that follows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

/// What an ARN names, as far as chimescope cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnKind {
    AppInstance { app_instance_id: String },
    User { app_instance_id: String, user_id: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedArn {
    pub arn: Arn,
    pub kind: ArnKind,
}

impl ParsedArn {
    pub fn region(&self) -> &str {
        &self.arn.region
    }
    pub fn app_instance_id(&self) -> &str {
        match &self.kind {
            ArnKind::AppInstance { app_instance_id } | ArnKind::User { app_instance_id, .. } => {
                app_instance_id
            }
        }
    }
    pub fn user_id(&self) -> Option<&str> {
        match &self.kind {
            ArnKind::User { user_id, .. } => Some(user_id),
            ArnKind::AppInstance { .. } => None,
        }
    }
    /// The app instance's ARN (for a user ARN, the instance it belongs to).
    pub fn app_instance_arn(&self) -> String {
        format!(
            "arn:{}:{}:{}:{}:app-instance/{}",
            self.arn.partition,
            self.arn.service,
            self.arn.region,
            self.arn.account,
            self.app_instance_id()
        )
    }
}

fn describe_char(c: char) -> String {
    if c.is_control() {
        format!("control character U+{:04X}", c as u32)
    } else if c.is_whitespace() {
        format!("whitespace U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

/// Reject control characters anywhere, naming the first one and where it is.
fn check_controls(field: &'static str, s: &str) -> Result<(), InputError> {
    if let Some((i, c)) = s.char_indices().find(|(_, c)| c.is_control()) {
        return Err(InputError::new(
            field,
            format!("contains a {} at position {}", describe_char(c), s[..i].chars().count() + 1),
        ));
    }
    Ok(())
}

fn header_field_ok(s: &str, min: usize) -> Result<(), char> {
    if let Some(c) =
        s.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        return Err(c);
    }
    if s.len() < min { Err(' ') } else { Ok(()) }
}

/// Check an ARN against the model's ChimeArn pattern and length, split it on its first five
/// colons (user IDs may themselves hold colons), and say exactly what is wrong when it fails.
pub fn parse_arn(field: &'static str, input: &str) -> Result<Arn, InputError> {
    if input.is_empty() {
        return Err(InputError::new(field, "is empty"));
    }
    check_controls(field, input)?;
    if input.trim() != input {
        return Err(InputError::new(field, "has leading or trailing whitespace"));
    }
    let len = input.chars().count();
    if len > MAX_ARN_LEN {
        return Err(InputError::new(
            field,
            format!("is {len} characters long; an ARN has at most {MAX_ARN_LEN}"),
        ));
    }
    if !input.starts_with("arn:") {
        return Err(InputError::new(field, "must start with \"arn:\""));
    }
    let parts: Vec<&str> = input.splitn(6, ':').collect();
    if parts.len() < 6 {
        return Err(InputError::new(
            field,
            format!(
                "has {} of the 6 colon-separated parts (arn:partition:service:region:account:resource)",
                parts.len()
            ),
        ));
    }
    let names = ["partition", "service", "region", "account ID"];
    for (i, name) in names.iter().enumerate() {
        let part = parts[i + 1];
        if part.len() > 63 {
            return Err(InputError::new(field, format!("the {name} is longer than 63 characters")));
        }
        if let Err(c) = header_field_ok(part, if i == 0 { 1 } else { 0 }) {
            return Err(InputError::new(
                field,
                if c == ' ' {
                    format!("the {name} is empty")
                } else {
                    format!(
                        "the {name} \"{part}\" holds {}; only a-z, 0-9, '-' and '.' are allowed",
                        describe_char(c)
                    )
                },
            ));
        }
    }
    let resource = parts[5];
    if resource.is_empty() {
        return Err(InputError::new(field, "the resource part after the account ID is empty"));
    }
    if resource.starts_with('/') {
        return Err(InputError::new(field, "the resource part must not start with '/'"));
    }
    if resource.chars().count() > 1024 {
        return Err(InputError::new(field, "the resource part is longer than 1024 characters"));
    }
    Ok(Arn {
        partition: parts[1].into(),
        service: parts[2].into(),
        region: parts[3].into(),
        account: parts[4].into(),
        resource: resource.into(),
    })
}

/// Parse an app-instance ARN or an app-instance-user ARN.
pub fn parse_chime_arn(field: &'static str, input: &str) -> Result<ParsedArn, InputError> {
    let arn = parse_arn(field, input)?;
    if arn.service != "chime" {
        return Err(InputError::new(
            field,
            format!("names the service \"{}\"; Chime SDK ARNs name \"chime\"", arn.service),
        ));
    }
    if arn.region.is_empty() {
        return Err(InputError::new(field, "has no region (the fourth field, e.g. us-east-1)"));
    }
    if arn.account.is_empty() {
        return Err(InputError::new(field, "has no account ID (the fifth field)"));
    }
    let Some(rest) = arn.resource.strip_prefix("app-instance/") else {
        return Err(InputError::new(
            field,
            format!("the resource must start with \"app-instance/\", not \"{}\"", short(&arn.resource)),
        ));
    };
    let (instance, user) = match rest.split_once('/') {
        None => (rest, None),
        Some((i, tail)) => match tail.strip_prefix("user/") {
            Some(u) => (i, Some(u)),
            None => {
                return Err(InputError::new(
                    field,
                    format!("after the app instance ID comes \"/user/<user-id>\", not \"/{}\"", short(tail)),
                ));
            }
        },
    };
    if instance.is_empty() {
        return Err(InputError::new(field, "the app instance ID is empty"));
    }
    let kind = match user {
        None => ArnKind::AppInstance { app_instance_id: instance.into() },
        Some("") => return Err(InputError::new(field, "the user ID after \"/user/\" is empty")),
        Some(u) => ArnKind::User { app_instance_id: instance.into(), user_id: u.into() },
    };
    Ok(ParsedArn { arn, kind })
}

/// A user ARN, or a message that says what is wrong and what a correct one looks like.
/// Beyond the ChimeArn pattern, what the service can have: a 12-digit account ID, an app
/// instance ID and a user ID of the characters they are made of ([`check_ids`]).
pub fn parse_user_arn(input: &str) -> Result<ParsedArn, InputError> {
    let p = parse_chime_arn("user ARN", input).map_err(|e| with_example(e, USER_ARN_EXAMPLE))?;
    match p.kind {
        ArnKind::User { .. } => check_ids("user ARN", p),
        ArnKind::AppInstance { .. } => Err(InputError::new(
            "user ARN",
            format!("names an app instance, not a user; expected {USER_ARN_EXAMPLE}"),
        )),
    }
}

/// An app-instance ARN (checked like [`parse_user_arn`]).
pub fn parse_instance_arn(input: &str) -> Result<ParsedArn, InputError> {
    let p = parse_chime_arn("app instance ARN", input).map_err(|e| with_example(e, INSTANCE_ARN_EXAMPLE))?;
    match p.kind {
        ArnKind::AppInstance { .. } => check_ids("app instance ARN", p),
        ArnKind::User { .. } => Err(InputError::new(
            "app instance ARN",
            format!("names a user, not an app instance; expected {INSTANCE_ARN_EXAMPLE}"),
        )),
    }
}

/// Longest user ID the service accepts (`UserId`, 1..64).
pub const MAX_USER_ID_LEN: usize = 64;

/// The parts of a Chime ARN that the ChimeArn pattern lets through but the service cannot
/// have: an account ID is exactly 12 digits; app instance IDs are made by the service (UUIDs:
/// letters, digits, '-'; '.' and '_' let through); a user ID follows the model's `UserId`
/// pattern, `[A-Za-z0-9]([A-Za-z0-9:_.@-]{0,62}[A-Za-z0-9])?` (colons allowed: Cognito
/// identity IDs), so it holds no space, comma or further `/` segment.
fn check_ids(field: &'static str, p: ParsedArn) -> Result<ParsedArn, InputError> {
    let account = &p.arn.account;
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        let what = if account.chars().all(|c| c.is_ascii_digit()) {
            format!("has {} digits", account.len())
        } else {
            let c = account.chars().find(|c| !c.is_ascii_digit()).unwrap_or(' ');
            format!("holds {}", describe_char(c))
        };
        return Err(InputError::new(
            field,
            format!("the account ID \"{}\" {what}; an AWS account ID is exactly 12 digits", short(account)),
        ));
    }
    let instance = p.app_instance_id();
    if let Some(c) = instance.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(InputError::new(
            field,
            format!(
                "the app instance ID \"{}\" holds {}; app instance IDs are letters, digits and '-' (a UUID)",
                short(instance),
                describe_char(c)
            ),
        ));
    }
    if let Some(user) = p.user_id() {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '@');
        let problem = if let Some((i, _)) = user.char_indices().find(|(_, c)| *c == '/') {
            Some(format!(
                "the user ID \"{}\" goes on after a '/' (\"{}\"); a user ARN ends at the user ID",
                short(user),
                short(&user[i..])
            ))
        } else if let Some(c) = user.chars().find(|c| !allowed(*c)) {
            Some(format!(
                "the user ID \"{}\" holds {}; user IDs are letters, digits and : - _ . @",
                short(user),
                describe_char(c)
            ))
        } else if user.chars().count() > MAX_USER_ID_LEN {
            Some(format!(
                "the user ID is {} characters long; at most {MAX_USER_ID_LEN}",
                user.chars().count()
            ))
        } else if !user.starts_with(|c: char| c.is_ascii_alphanumeric())
            || !user.ends_with(|c: char| c.is_ascii_alphanumeric())
        {
            Some(format!("the user ID \"{}\" must start and end with a letter or digit", short(user)))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(InputError::new(field, problem));
        }
    }
    Ok(p)
}

fn with_example(mut e: InputError, example: &str) -> InputError {
    e.problem = format!("{}; expected {example}", e.problem);
    e
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// An endpoint ID: 1..64 characters, no control characters, no surrounding whitespace.
pub fn validate_endpoint_id(input: &str) -> Result<(), InputError> {
    const F: &str = "endpoint ID";
    if input.is_empty() {
        return Err(InputError::new(F, "is empty"));
    }
    check_controls(F, input)?;
    if input.trim() != input {
        return Err(InputError::new(F, "has leading or trailing whitespace"));
    }
    let n = input.chars().count();
    if n > MAX_ENDPOINT_ID_LEN {
        return Err(InputError::new(
            F,
            format!("is {n} characters long; an endpoint ID has at most {MAX_ENDPOINT_ID_LEN}"),
        ));
    }
    Ok(())
}

/// The user ID at the end of a user ARN (`…/user/u-42` → `u-42`), or the ARN itself when it
/// names no user: the short form lists show.
pub fn short_user(arn: &str) -> &str {
    match arn.find("/user/") {
        Some(i) if i + "/user/".len() < arn.len() => &arn[i + "/user/".len()..],
        _ => arn,
    }
}

/// A warning when a region has no Chime SDK Identity endpoint.
pub fn region_warning(region: &str) -> Option<String> {
    if IDENTITY_REGIONS.contains(&region) {
        None
    } else {
        Some(format!(
            "region {region} has no Chime SDK Identity endpoint; it exists in {} only",
            IDENTITY_REGIONS.join(" and ")
        ))
    }
}

/// `1 char`, `15 chars`: a count with its noun, singular when it is one.
pub fn count_of(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Pretty JSON that is safe on a terminal: besides what JSON itself escapes (C0 controls),
/// DEL, the C1 controls (U+0080..U+009F: U+009B is CSI on some terminals), the bidirectional
/// overrides and U+2028/U+2029 are written as `\uXXXX` escapes. They can only occur inside
/// strings, where the escape decodes to the same character, so the document is unchanged.
pub fn json_pretty(v: &Value) -> String {
    let s = serde_json::to_string_pretty(v).unwrap_or_default();
    if !s.chars().any(json_needs_escape) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if json_needs_escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn json_needs_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}') || (needs_escape(c) && !c.is_ascii_control())
}

/// Control characters, and the bidirectional overrides and isolates that can make an ARN or ID
/// display in an order other than the one it has (U+061C, U+200E/F, U+202A..E, U+2066..9).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Make a value safe to print on a terminal: control characters (C0, DEL, C1) become visible
/// escapes, so an escape sequence inside a field never reaches the terminal raw.
pub fn escape_control(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";

    #[test]
    fn parses_a_user_arn() {
        let p = parse_user_arn(USER).unwrap();
        assert_eq!(p.region(), "us-east-1");
        assert_eq!(p.app_instance_id(), "abc");
        assert_eq!(p.user_id(), Some("u-42"));
        assert_eq!(p.app_instance_arn(), "arn:aws:chime:us-east-1:123456789012:app-instance/abc");
    }

    #[test]
    fn user_ids_may_hold_colons() {
        let arn = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/us-east-1:4f6c2a9e-1";
        let p = parse_user_arn(arn).unwrap();
        assert_eq!(p.user_id(), Some("us-east-1:4f6c2a9e-1"));
        assert_eq!(p.region(), "us-east-1");
    }

    #[test]
    fn explains_what_is_wrong() {
        let cases = [
            ("", "is empty"),
            ("arn:aws:chime:us-east-1", "has 4 of the 6"),
            ("arn:aws:chime:US-EAST-1:1:app-instance/a/user/b", "the region \"US-EAST-1\" holds 'U'"),
            ("arn:aws:s3:us-east-1:1:app-instance/a/user/b", "names the service \"s3\""),
            ("arn:aws:chime:us-east-1:1:/app-instance/a", "must not start with '/'"),
            ("arn:aws:chime:us-east-1:1:channel/a", "must start with \"app-instance/\""),
            ("arn:aws:chime:us-east-1:1:app-instance/a/user/", "user ID after"),
            ("arn:aws:chime:us-east-1:1:app-instance/a", "names an app instance, not a user"),
            (
                "arn:aws:chime:us-east-1:1:app-instance/a/user/b\u{1b}[31m",
                "control character U+001B at position 48",
            ),
            ("xrn:aws", "must start with \"arn:\""),
        ];
        for (input, want) in cases {
            let e = parse_user_arn(input).unwrap_err();
            assert!(e.to_string().contains(want), "{input:?}: {e}");
            assert!(e.to_string().starts_with("user ARN: "), "{e}");
        }
        let long = format!("arn:aws:chime:us-east-1:1:app-instance/a/user/{}", "x".repeat(1600));
        assert!(parse_user_arn(&long).unwrap_err().to_string().contains("at most 1600"));
    }

    #[test]
    fn refuses_what_the_service_cannot_have() {
        let arn = |account: &str, user: &str| {
            format!("arn:aws:chime:us-east-1:{account}:app-instance/abc/user/{user}")
        };
        let cases = [
            (
                arn("12345678901", "u-42"),
                "the account ID \"12345678901\" has 11 digits; an AWS account ID is exactly 12 digits",
            ),
            (arn("1234567890123", "u-42"), "has 13 digits"),
            (arn("12345678901a", "u-42"), "holds 'a'"),
            (arn("123456789012", "u 42"), "the user ID \"u 42\" holds whitespace U+0020"),
            (arn("123456789012", "u-42,"), "holds ','"),
            (arn("123456789012", "u-42, ep-9"), "holds ','"),
            (arn("123456789012", "u-42/extra"), "goes on after a '/' (\"/extra\")"),
            (arn("123456789012", "-u"), "must start and end with a letter or digit"),
            (arn("123456789012", &"u".repeat(65)), "65 characters long"),
            (
                "arn:aws:chime:us-east-1:123456789012:app-instance/a b/user/u".to_string(),
                "the app instance ID \"a b\" holds whitespace",
            ),
        ];
        for (input, want) in cases {
            let e = parse_user_arn(&input).unwrap_err();
            assert!(e.problem.contains(want), "{input:?}: {e}");
        }
        let e = parse_instance_arn("arn:aws:chime:us-east-1:1234:app-instance/abc").unwrap_err();
        assert!(e.problem.contains("exactly 12 digits"), "{e}");
        // What the service does allow keeps working: Cognito identity IDs, e-mail-like IDs.
        for user in
            ["us-east-1:4f6c2a9e-8b7d-4e3f-a1c2-9d8e7f6a5b4c", "corp:alice", "a.b_c@d", "u", &"u".repeat(64)]
        {
            let p = parse_user_arn(&arn("123456789012", user)).unwrap();
            assert_eq!(p.user_id(), Some(user));
        }
        assert!(
            parse_instance_arn("arn:aws:chime:eu-central-1:123456789012:app-instance/7f3c2b1a-5d4e").is_ok()
        );
    }

    #[test]
    fn endpoint_ids() {
        assert!(validate_endpoint_id("ep-1").is_ok());
        assert!(validate_endpoint_id(&"x".repeat(64)).is_ok());
        assert!(validate_endpoint_id(&"x".repeat(65)).unwrap_err().to_string().contains("65 characters"));
        assert!(validate_endpoint_id("").unwrap_err().to_string().contains("empty"));
        assert!(validate_endpoint_id("a\tb").unwrap_err().to_string().contains("U+0009"));
    }

    #[test]
    fn region_warning_names_the_regions() {
        assert!(region_warning("us-east-1").is_none());
        let w = region_warning("ap-south-1").unwrap();
        assert!(w.contains("us-east-1") && w.contains("eu-central-1"));
    }

    #[test]
    fn escapes_controls() {
        assert_eq!(escape_control("a\u{1b}[2Jb\n"), "a\\e[2Jb\\n");
        assert_eq!(escape_control("plain é"), "plain é");
        assert_eq!(escape_control("\u{9b}x"), "\\u{9b}x");
        assert_eq!(escape_control("ep-\u{202e}1-ve"), "ep-\\u{202e}1-ve");
        assert_eq!(escape_control(&escape_control("a\u{1b}b")), "a\\eb", "escaping twice changes nothing");
    }

    #[test]
    fn json_output_escapes_c1_and_bidi_controls() {
        let v = json!({"Name": "a\u{9b}31mb\u{85}\u{202e}c\u{7f}\u{2028}", "Plain": "é 😀"});
        let s = json_pretty(&v);
        assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "{s:?}");
        assert!(s.contains("a\\u009b31mb\\u0085\\u202ec\\u007f\\u2028"), "{s}");
        assert!(s.contains("é 😀"), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "the same document");
        assert_eq!(count_of(1, "char"), "1 char");
        assert_eq!(count_of(15, "char"), "15 chars");
    }

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
