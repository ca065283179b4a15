//! What `register` was given ([`RegisterArgs`], from its options or from `--cli-input-json`
//! with the options over the file), `--cli-input-json` and `--generate-cli-skeleton` (the AWS
//! CLI's input names), and the request a write would send, for `--dry-run`.
//!
//! The input is the AWS CLI's input shape of RegisterAppInstanceUserEndpoint, or a record as
//! `describe --output json`, `deregister --show-secrets` and the browser's `Y` print it
//! (`{"AppInstanceUserEndpoint": {…}}`, or the browser's `{"AppInstanceUserEndpoints": [one]}`):
//! the record's EndpointId, EndpointState and times are not inputs and are left out. A masked
//! value (as those print Name and the tokens by default) is refused: it would register the
//! mask, not the token.

use crate::model::write::{Registration, Write, parse_allow, parse_type};
use crate::model::{InputError, escape_control};
use serde_json::{Map, Value, json};
use std::io::Read;

/// What `register` was given, as typed.
#[derive(Clone, Debug, Default)]
pub struct RegisterArgs {
    pub user_arn: String,
    pub endpoint_type: String,
    pub resource_arn: String,
    pub device_token: String,
    pub voip_device_token: Option<String>,
    pub name: Option<String>,
    pub allow_messages: Option<String>,
    pub client_request_token: Option<String>,
    /// `--force`: send even when the doctor's record checks find an error.
    pub force: bool,
}

/// A new ClientRequestToken (a UUID: 36 of `[-0-9a-f]`, inside the model's 2..64 `[-_a-zA-Z0-9]`).
pub fn new_request_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl RegisterArgs {
    /// The registration, every field checked; a ClientRequestToken made when none is given
    /// (the second value says so).
    pub fn to_write(&self) -> Result<(Write, bool), InputError> {
        let generated = self.client_request_token.is_none();
        let w = Write::Register(Registration {
            user_arn: self.user_arn.clone(),
            endpoint_type: parse_type(&self.endpoint_type)?,
            resource_arn: self.resource_arn.clone(),
            device_token: self.device_token.clone(),
            voip_device_token: self.voip_device_token.clone(),
            name: self.name.clone(),
            allow_messages: self.allow_messages.as_deref().map(parse_allow).transpose()?,
            client_request_token: self.client_request_token.clone().unwrap_or_else(new_request_token),
        });
        w.validate()?;
        Ok((w, generated))
    }
}

/// The most `--cli-input-json` reads (a record is well under 10 KiB).
const MAX_INPUT: u64 = 1024 * 1024;

/// The input keys of RegisterAppInstanceUserEndpoint, in the model's order.
const INPUT_KEYS: [&str; 7] = [
    "AppInstanceUserArn",
    "Name",
    "Type",
    "ResourceArn",
    "EndpointAttributes",
    "ClientRequestToken",
    "AllowMessages",
];
/// A record's keys that are not inputs (left out).
const RECORD_ONLY: [&str; 4] = ["EndpointId", "EndpointState", "CreatedTimestamp", "LastUpdatedTimestamp"];

/// `--generate-cli-skeleton`: the input's shape, as the AWS CLI prints it (its enum examples
/// vary between its versions; these are the model's first values).
pub fn skeleton() -> Value {
    json!({
        "AppInstanceUserArn": "",
        "Name": "",
        "Type": "APNS",
        "ResourceArn": "",
        "EndpointAttributes": {"DeviceToken": "", "VoipDeviceToken": ""},
        "ClientRequestToken": "",
        "AllowMessages": "ALL"
    })
}

/// The text of `--cli-input-json VALUE`: `-` is standard input, `file://PATH` or a path a
/// file, and a value starting with `{` the JSON itself (as the AWS CLI takes it).
pub fn read(value: &str) -> Result<String, String> {
    let mut text = String::new();
    let shown = escape_control(value);
    if value.trim_start().starts_with('{') {
        return Ok(value.to_string());
    }
    let read = if value == "-" {
        std::io::stdin().lock().take(MAX_INPUT + 1).read_to_string(&mut text)
    } else {
        let path = value.strip_prefix("file://").unwrap_or(value);
        std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT + 1).read_to_string(&mut text))
    };
    match read {
        Ok(n) if n as u64 > MAX_INPUT => {
            Err(format!("--cli-input-json {shown}: more than {MAX_INPUT} bytes; a record is a few hundred"))
        }
        Ok(_) => Ok(text),
        Err(e) => Err(format!("--cli-input-json {shown}: {}", escape_control(&e.to_string()))),
    }
}

/// Whether `s` is a secret as chimescope masks it: `(masked, N chars)` (JSON copies and
/// `deregister`), `•••••• (N chars)` (the screen) or `<N chars>` (an AWS CLI command copied
/// masked).
pub fn is_masked(s: &str) -> bool {
    let count = |inner: &str| {
        let digits = inner.strip_suffix(" chars").or_else(|| inner.strip_suffix(" char"));
        digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    let s = s.trim();
    s.strip_prefix("(masked, ").and_then(|r| r.strip_suffix(')')).is_some_and(count)
        || s.strip_prefix("•••••• (").and_then(|r| r.strip_suffix(')')).is_some_and(count)
        || s.strip_prefix('<').and_then(|r| r.strip_suffix('>')).is_some_and(count)
}

/// The input object of a document: the AWS CLI's input itself, or the record inside
/// `AppInstanceUserEndpoint` (or the one of `AppInstanceUserEndpoints`).
fn input_object(doc: &Value) -> Result<&Map<String, Value>, String> {
    let Some(top) = doc.as_object() else {
        return Err("--cli-input-json: expected a JSON object (the AWS CLI's input, or a record as `describe --output json` prints it)".into());
    };
    if let Some(rec) = top.get("AppInstanceUserEndpoint") {
        return rec
            .as_object()
            .ok_or_else(|| "--cli-input-json: AppInstanceUserEndpoint is not an object".into());
    }
    if let Some(list) = top.get("AppInstanceUserEndpoints") {
        return match list.as_array().map(Vec::as_slice) {
            Some([one]) => {
                one.as_object().ok_or_else(|| "--cli-input-json: the record is not an object".into())
            }
            Some(many) => Err(format!(
                "--cli-input-json: AppInstanceUserEndpoints holds {} records; register takes one (the AppInstanceUserEndpoint of one)",
                many.len()
            )),
            None => Err("--cli-input-json: AppInstanceUserEndpoints is not a list".into()),
        };
    }
    Ok(top)
}

/// A string field, refused when it is masked or not a string; `""` is taken as absent.
fn field(m: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) if is_masked(s) => Err(format!(
            "--cli-input-json: {key} is masked ({}): a masked value cannot be registered, and nothing was sent; \
             use the record printed in clear (`deregister --show-secrets`, `describe`, or `s` then `Y` in the \
             browser), or give the value with its option",
            escape_control(s)
        )),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        // The value is not said: it may be a secret.
        Some(other) => Err(format!("--cli-input-json: {key} must be a string, not {}", json_type(other))),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The registration in `text` (JSON), the options given (`flags`) winning over it, as the AWS
/// CLI lets them; a message naming the key for anything wrong.
pub fn register_args(text: &str, flags: &RegisterArgs, given: &Given) -> Result<RegisterArgs, String> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| format!("--cli-input-json: not JSON: {}", escape_control(&e.to_string())))?;
    let m = input_object(&doc)?;
    for k in m.keys() {
        if !INPUT_KEYS.contains(&k.as_str()) && !RECORD_ONLY.contains(&k.as_str()) {
            return Err(format!(
                "--cli-input-json: unknown key {} (RegisterAppInstanceUserEndpoint takes {})",
                escape_control(k),
                INPUT_KEYS.join(", ")
            ));
        }
    }
    let empty = Map::new();
    let attrs = match m.get("EndpointAttributes") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(a)) => a,
        Some(_) => return Err("--cli-input-json: EndpointAttributes must be an object".into()),
    };
    for k in attrs.keys() {
        if k != "DeviceToken" && k != "VoipDeviceToken" {
            return Err(format!(
                "--cli-input-json: unknown key EndpointAttributes.{} (it takes DeviceToken, VoipDeviceToken)",
                escape_control(k)
            ));
        }
    }
    let pick =
        |flag: bool, given: &str, key: &str, from: &Map<String, Value>| -> Result<Option<String>, String> {
            if flag { Ok(Some(given.to_string())) } else { field(from, key) }
        };
    let required = |v: Option<String>, key: &str, option: &str| {
        v.ok_or_else(|| format!("{key} is missing: give it in --cli-input-json or as {option}"))
    };
    Ok(RegisterArgs {
        user_arn: required(
            pick(given.user_arn, &flags.user_arn, "AppInstanceUserArn", m)?,
            "AppInstanceUserArn",
            "--app-instance-user-arn",
        )?,
        endpoint_type: required(
            pick(given.endpoint_type, &flags.endpoint_type, "Type", m)?,
            "Type",
            "--type",
        )?,
        resource_arn: required(
            pick(given.resource_arn, &flags.resource_arn, "ResourceArn", m)?,
            "ResourceArn",
            "--resource-arn",
        )?,
        device_token: required(
            pick(given.device_token, &flags.device_token, "DeviceToken", attrs)?,
            "EndpointAttributes.DeviceToken",
            "--device-token",
        )?,
        voip_device_token: match &flags.voip_device_token {
            Some(v) => Some(v.clone()),
            None => field(attrs, "VoipDeviceToken")?,
        },
        name: match &flags.name {
            Some(v) => Some(v.clone()),
            None => field(m, "Name")?,
        },
        allow_messages: match &flags.allow_messages {
            Some(v) => Some(v.clone()),
            None => field(m, "AllowMessages")?,
        },
        client_request_token: match &flags.client_request_token {
            Some(v) => Some(v.clone()),
            None => field(m, "ClientRequestToken")?,
        },
        force: flags.force,
    })
}

/// Which of `register`'s four required options were given on the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Given {
    pub user_arn: bool,
    pub endpoint_type: bool,
    pub resource_arn: bool,
    pub device_token: bool,
}

/// The request `w` would send, in the AWS CLI's input names (the service model's), Name and
/// the tokens masked as JSON copies mask them.
pub fn request_json(w: &Write) -> Value {
    let masked = |s: &str| Value::String(format!("(masked, {} chars)", s.chars().count()));
    let mut m = Map::new();
    m.insert("AppInstanceUserArn".into(), json!(w.user_arn()));
    match w {
        Write::Register(r) => {
            if let Some(n) = &r.name {
                m.insert("Name".into(), masked(n));
            }
            m.insert("Type".into(), json!(r.endpoint_type.as_str()));
            m.insert("ResourceArn".into(), json!(r.resource_arn));
            let mut attrs = Map::new();
            attrs.insert("DeviceToken".into(), masked(&r.device_token));
            if let Some(v) = &r.voip_device_token {
                attrs.insert("VoipDeviceToken".into(), masked(v));
            }
            m.insert("EndpointAttributes".into(), Value::Object(attrs));
            m.insert("ClientRequestToken".into(), json!(r.client_request_token));
            if let Some(a) = &r.allow_messages {
                m.insert("AllowMessages".into(), json!(a.as_str()));
            }
        }
        Write::Update(u) => {
            m.insert("EndpointId".into(), json!(u.endpoint_id));
            if let Some(n) = &u.name {
                m.insert("Name".into(), masked(n));
            }
            if let Some(a) = &u.allow_messages {
                m.insert("AllowMessages".into(), json!(a.as_str()));
            }
        }
        Write::Deregister { endpoint_id, .. } => {
            m.insert("EndpointId".into(), json!(endpoint_id));
        }
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_are_recognised_in_every_form() {
        for s in ["(masked, 64 chars)", "•••••• (1 char)", "<12 chars>", " (masked, 3 chars) "] {
            assert!(is_masked(s), "{s}");
        }
        for s in ["(masked, x chars)", "fcm-token", "<chars>", "•••••• ()", ""] {
            assert!(!is_masked(s), "{s}");
        }
    }

    #[test]
    fn a_record_becomes_a_registration_and_options_win() {
        let rec = r#"{"AppInstanceUserEndpoint": {"AppInstanceUserArn": "u", "EndpointId": "e",
            "Type": "GCM", "ResourceArn": "r", "EndpointAttributes": {"DeviceToken": "t"},
            "Name": "n", "AllowMessages": "ALL", "EndpointState": {"Status": "ACTIVE"},
            "CreatedTimestamp": "2024-01-01T00:00:00Z"}}"#;
        let a = register_args(rec, &RegisterArgs::default(), &Given::default()).unwrap();
        assert_eq!((a.user_arn.as_str(), a.device_token.as_str(), a.name.as_deref()), ("u", "t", Some("n")));
        let flags =
            RegisterArgs { device_token: "cli".into(), name: Some("m".into()), ..RegisterArgs::default() };
        let a = register_args(rec, &flags, &Given { device_token: true, ..Given::default() }).unwrap();
        assert_eq!((a.device_token.as_str(), a.name.as_deref()), ("cli", Some("m")));
    }

    #[test]
    fn masked_unknown_and_missing_values_are_refused_by_name() {
        let masked = r#"{"AppInstanceUserArn": "u", "Type": "GCM", "ResourceArn": "r",
            "EndpointAttributes": {"DeviceToken": "(masked, 9 chars)"}}"#;
        let e = register_args(masked, &RegisterArgs::default(), &Given::default()).unwrap_err();
        assert!(e.contains("DeviceToken is masked"), "{e}");
        let e = register_args(r#"{"Typo": 1}"#, &RegisterArgs::default(), &Given::default()).unwrap_err();
        assert!(e.contains("unknown key Typo"), "{e}");
        let e = register_args(r#"{"Type": "GCM"}"#, &RegisterArgs::default(), &Given::default()).unwrap_err();
        assert!(e.contains("AppInstanceUserArn is missing"), "{e}");
    }
}
