//! The emulator's data: app instances, users and endpoints, loaded from a seed file
//! (DESIGN.md, "Seed file"), with the indexes the list operations page through.

use crate::model::{
    self, AllowMessages, Endpoint, EndpointState, EndpointStatus, EndpointType, StatusReason, Timestamp,
    put_opt,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::path::Path;

/// The demo seed, built into the binary.
pub const DEMO_SEED: &str = include_str!("../../assets/demo/seed.json");

#[derive(Clone, Debug, PartialEq)]
pub struct InstanceRecord {
    pub arn: String,
    pub name: String,
    pub metadata: Option<String>,
    pub created: Option<Timestamp>,
    pub last_updated: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    pub arn: String,
    pub name: String,
    pub metadata: Option<String>,
    pub created: Option<Timestamp>,
    pub last_updated: Option<Timestamp>,
    /// `{"ExpirationDays": N, "ExpirationCriterion": "CREATED_TIMESTAMP"}`
    pub expiration: Option<Value>,
}

/// Everything the emulator serves. Lists keep the seed's order.
#[derive(Clone, Debug, Default)]
pub struct Store {
    instances: Vec<InstanceRecord>,
    users: Vec<UserRecord>,
    endpoints: Vec<Endpoint>,
    instance_by_arn: HashMap<String, usize>,
    user_by_arn: HashMap<String, usize>,
    /// instance ARN → indexes into `users`
    users_of: HashMap<String, Vec<usize>>,
    /// user ARN → indexes into `endpoints`
    endpoints_of: HashMap<String, Vec<usize>>,
}

/// A seed file that cannot be used: where and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct SeedError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[serde(rename = "AppInstances", default)]
    app_instances: Vec<SeedInstance>,
    #[serde(rename = "AppInstanceUsers", default)]
    app_instance_users: Vec<SeedUser>,
    #[serde(rename = "AppInstanceUserEndpoints", default)]
    app_instance_user_endpoints: Vec<SeedEndpoint>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SeedInstance {
    app_instance_arn: String,
    name: Option<String>,
    metadata: Option<String>,
    created_timestamp: Option<f64>,
    last_updated_timestamp: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SeedUser {
    app_instance_user_arn: String,
    name: Option<String>,
    metadata: Option<String>,
    created_timestamp: Option<f64>,
    last_updated_timestamp: Option<f64>,
    expiration_settings: Option<SeedExpiration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SeedExpiration {
    expiration_days: u32,
    expiration_criterion: SeedCriterion,
}

#[derive(Deserialize)]
enum SeedCriterion {
    #[serde(rename = "CREATED_TIMESTAMP")]
    CreatedTimestamp,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SeedEndpoint {
    app_instance_user_arn: String,
    endpoint_id: String,
    name: Option<String>,
    #[serde(rename = "Type")]
    endpoint_type: Option<SeedType>,
    resource_arn: Option<String>,
    endpoint_attributes: Option<SeedAttributes>,
    created_timestamp: Option<f64>,
    last_updated_timestamp: Option<f64>,
    allow_messages: Option<SeedAllow>,
    endpoint_state: Option<SeedState>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SeedAttributes {
    device_token: String,
    voip_device_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SeedState {
    status: SeedStatus,
    status_reason: Option<SeedReason>,
}

#[derive(Deserialize, Clone, Copy)]
enum SeedType {
    #[serde(rename = "APNS")]
    Apns,
    #[serde(rename = "APNS_SANDBOX")]
    ApnsSandbox,
    #[serde(rename = "GCM")]
    Gcm,
}
#[derive(Deserialize, Clone, Copy)]
enum SeedAllow {
    #[serde(rename = "ALL")]
    All,
    #[serde(rename = "NONE")]
    None,
}
#[derive(Deserialize, Clone, Copy)]
enum SeedStatus {
    #[serde(rename = "ACTIVE")]
    Active,
    #[serde(rename = "INACTIVE")]
    Inactive,
}
#[derive(Deserialize, Clone, Copy)]
enum SeedReason {
    #[serde(rename = "INVALID_DEVICE_TOKEN")]
    InvalidDeviceToken,
    #[serde(rename = "INVALID_PINPOINT_ARN")]
    InvalidPinpointArn,
}

/// The line of the first place `needle` appears as a JSON string in `text` (1-based), or 1.
fn line_of(text: &str, needle: &str) -> usize {
    let quoted = serde_json::to_string(needle).unwrap_or_default();
    text.find(&quoted).map(|i| text[..i].matches('\n').count() + 1).unwrap_or(1)
}

impl Store {
    /// The built-in demo seed.
    pub fn demo() -> Self {
        Self::from_seed_str(DEMO_SEED, "assets/demo/seed.json").expect("the demo seed is valid")
    }

    pub fn from_seed_file(path: &Path) -> Result<Self, SeedError> {
        let text = std::fs::read_to_string(path).map_err(|e| SeedError {
            path: path.display().to_string(),
            line: 0,
            message: format!("cannot read: {e}"),
        })?;
        Self::from_seed_str(&text, &path.display().to_string())
    }

    /// Parse and check a seed. Every problem names the file and the line.
    pub fn from_seed_str(text: &str, path: &str) -> Result<Self, SeedError> {
        let seed: SeedFile = serde_json::from_str(text).map_err(|e| SeedError {
            path: path.into(),
            line: e.line(),
            message: e.to_string(),
        })?;
        let err = |needle: &str, message: String| SeedError {
            path: path.into(),
            line: line_of(text, needle),
            message,
        };
        let ts = |v: Option<f64>| v.map(Timestamp);
        let mut store = Store::default();

        for i in seed.app_instances {
            let p = model::parse_instance_arn(&i.app_instance_arn)
                .map_err(|e| err(&i.app_instance_arn, e.to_string()))?;
            if store.instance_by_arn.contains_key(&i.app_instance_arn) {
                return Err(err(
                    &i.app_instance_arn,
                    format!("app instance {} appears twice", i.app_instance_arn),
                ));
            }
            let rec = InstanceRecord {
                name: i.name.unwrap_or_else(|| p.app_instance_id().to_string()),
                arn: i.app_instance_arn,
                metadata: i.metadata,
                created: ts(i.created_timestamp),
                last_updated: ts(i.last_updated_timestamp),
            };
            store.add_instance(rec);
        }
        for u in seed.app_instance_users {
            let p = model::parse_user_arn(&u.app_instance_user_arn)
                .map_err(|e| err(&u.app_instance_user_arn, e.to_string()))?;
            if store.user_by_arn.contains_key(&u.app_instance_user_arn) {
                return Err(err(
                    &u.app_instance_user_arn,
                    format!("user {} appears twice", u.app_instance_user_arn),
                ));
            }
            if let Some(n) = &u.name
                && (n.chars().count() > 100 || n.trim().is_empty())
            {
                return Err(err(n, "a user Name has 1..100 characters, not all blank".into()));
            }
            let rec = UserRecord {
                name: u.name.unwrap_or_else(|| p.user_id().unwrap_or_default().to_string()),
                arn: u.app_instance_user_arn,
                metadata: u.metadata,
                created: ts(u.created_timestamp),
                last_updated: ts(u.last_updated_timestamp),
                expiration: u.expiration_settings.map(|x| {
                    let SeedCriterion::CreatedTimestamp = x.expiration_criterion;
                    json!({"ExpirationDays": x.expiration_days, "ExpirationCriterion": "CREATED_TIMESTAMP"})
                }),
            };
            store.add_user(rec, &p);
        }
        let mut seen = std::collections::HashSet::new();
        for e in seed.app_instance_user_endpoints {
            model::parse_user_arn(&e.app_instance_user_arn)
                .map_err(|x| err(&e.app_instance_user_arn, x.to_string()))?;
            model::validate_endpoint_id(&e.endpoint_id).map_err(|x| err(&e.endpoint_id, x.to_string()))?;
            if !seen.insert((e.app_instance_user_arn.clone(), e.endpoint_id.clone())) {
                return Err(err(
                    &e.endpoint_id,
                    format!("endpoint {} appears twice for one user", e.endpoint_id),
                ));
            }
            if let Some(n) = &e.name
                && n.chars().count() > 1600
            {
                return Err(err(&e.endpoint_id, "an endpoint Name has at most 1600 characters".into()));
            }
            if let Some(a) = &e.endpoint_attributes {
                let bad = |t: &str| t.is_empty() || t.chars().count() > 1600;
                if bad(&a.device_token) || a.voip_device_token.as_deref().is_some_and(bad) {
                    return Err(err(&e.endpoint_id, "a device token has 1..1600 characters".into()));
                }
            }
            if let Some(r) = &e.resource_arn {
                model::parse_arn("ResourceArn", r).map_err(|x| err(r, x.to_string()))?;
            }
            let endpoint = Endpoint {
                app_instance_user_arn: Some(e.app_instance_user_arn),
                endpoint_id: Some(e.endpoint_id),
                name: e.name,
                endpoint_type: e.endpoint_type.map(|t| match t {
                    SeedType::Apns => EndpointType::Apns,
                    SeedType::ApnsSandbox => EndpointType::ApnsSandbox,
                    SeedType::Gcm => EndpointType::Gcm,
                }),
                resource_arn: e.resource_arn,
                device_token: e.endpoint_attributes.as_ref().map(|a| a.device_token.clone()),
                voip_device_token: e.endpoint_attributes.and_then(|a| a.voip_device_token),
                created: ts(e.created_timestamp),
                last_updated: ts(e.last_updated_timestamp),
                allow_messages: e.allow_messages.map(|a| match a {
                    SeedAllow::All => AllowMessages::All,
                    SeedAllow::None => AllowMessages::None,
                }),
                state: e.endpoint_state.map(|s| EndpointState {
                    status: match s.status {
                        SeedStatus::Active => EndpointStatus::Active,
                        SeedStatus::Inactive => EndpointStatus::Inactive,
                    },
                    reason: s.status_reason.map(|r| match r {
                        SeedReason::InvalidDeviceToken => StatusReason::InvalidDeviceToken,
                        SeedReason::InvalidPinpointArn => StatusReason::InvalidPinpointArn,
                    }),
                }),
            };
            store.add_endpoint(endpoint);
        }
        Ok(store)
    }

    fn add_instance(&mut self, rec: InstanceRecord) {
        self.instance_by_arn.insert(rec.arn.clone(), self.instances.len());
        self.users_of.entry(rec.arn.clone()).or_default();
        self.instances.push(rec);
    }

    fn add_user(&mut self, rec: UserRecord, parsed: &model::ParsedArn) {
        let instance_arn = parsed.app_instance_arn();
        if !self.instance_by_arn.contains_key(&instance_arn) {
            self.add_instance(InstanceRecord {
                arn: instance_arn.clone(),
                name: parsed.app_instance_id().to_string(),
                metadata: None,
                created: rec.created,
                last_updated: rec.created,
            });
        }
        self.users_of.entry(instance_arn).or_default().push(self.users.len());
        self.user_by_arn.insert(rec.arn.clone(), self.users.len());
        self.endpoints_of.entry(rec.arn.clone()).or_default();
        self.users.push(rec);
    }

    /// Add an endpoint whose user already exists (or is made implicitly by the seed loader).
    pub fn add_endpoint(&mut self, e: Endpoint) {
        let user = e.app_instance_user_arn.clone().unwrap_or_default();
        if !self.user_by_arn.contains_key(&user)
            && let Ok(p) = model::parse_user_arn(&user)
        {
            let rec = UserRecord {
                arn: user.clone(),
                name: p.user_id().unwrap_or_default().chars().take(100).collect(),
                metadata: None,
                created: e.created,
                last_updated: e.created,
                expiration: None,
            };
            self.add_user(rec, &p);
        }
        self.endpoints_of.entry(user).or_default().push(self.endpoints.len());
        self.endpoints.push(e);
    }

    pub fn instances(&self) -> &[InstanceRecord] {
        &self.instances
    }
    pub fn users(&self) -> &[UserRecord] {
        &self.users
    }
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    pub fn instance(&self, arn: &str) -> Option<&InstanceRecord> {
        self.instance_by_arn.get(arn).map(|&i| &self.instances[i])
    }
    pub fn user(&self, arn: &str) -> Option<&UserRecord> {
        self.user_by_arn.get(arn).map(|&i| &self.users[i])
    }
    pub fn endpoint(&self, user_arn: &str, endpoint_id: &str) -> Option<&Endpoint> {
        self.endpoints_of
            .get(user_arn)?
            .iter()
            .map(|&i| &self.endpoints[i])
            .find(|e| e.endpoint_id.as_deref() == Some(endpoint_id))
    }
    /// The users of an instance, or None when the instance does not exist.
    pub fn users_of(&self, instance_arn: &str) -> Option<impl ExactSizeIterator<Item = &UserRecord>> {
        Some(self.users_of.get(instance_arn)?.iter().map(|&i| &self.users[i]))
    }
    /// The endpoints of a user, or None when the user does not exist.
    pub fn endpoints_of(&self, user_arn: &str) -> Option<impl ExactSizeIterator<Item = &Endpoint>> {
        Some(self.endpoints_of.get(user_arn)?.iter().map(|&i| &self.endpoints[i]))
    }
}

impl InstanceRecord {
    /// `AppInstance`: the summary and both timestamps.
    pub fn wire(&self) -> Value {
        with_times(self.summary(), self.created, self.last_updated)
    }
    /// `AppInstanceSummary`.
    pub fn summary(&self) -> Value {
        let mut m = Map::new();
        put_opt(&mut m, "AppInstanceArn", Some(self.arn.as_str()));
        put_opt(&mut m, "Name", Some(self.name.as_str()));
        put_opt(&mut m, "Metadata", self.metadata.as_deref());
        Value::Object(m)
    }
}

impl UserRecord {
    /// `AppInstanceUser`: the summary, both timestamps and the expiration settings.
    pub fn wire(&self) -> Value {
        let mut v = with_times(self.summary(), self.created, self.last_updated);
        if let (Some(x), Some(m)) = (&self.expiration, v.as_object_mut()) {
            m.insert("ExpirationSettings".into(), x.clone());
        }
        v
    }
    /// `AppInstanceUserSummary`.
    pub fn summary(&self) -> Value {
        let mut m = Map::new();
        put_opt(&mut m, "AppInstanceUserArn", Some(self.arn.as_str()));
        put_opt(&mut m, "Name", Some(self.name.as_str()));
        put_opt(&mut m, "Metadata", self.metadata.as_deref());
        Value::Object(m)
    }
}

/// A summary object with the two timestamps (epoch seconds, as on the wire) added.
fn with_times(mut v: Value, created: Option<Timestamp>, updated: Option<Timestamp>) -> Value {
    if let Some(m) = v.as_object_mut() {
        put_opt(m, "CreatedTimestamp", created.map(Timestamp::to_json));
        put_opt(m, "LastUpdatedTimestamp", updated.map(Timestamp::to_json));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_loads_and_is_rich() {
        let s = Store::demo();
        assert!(s.instances().len() >= 2);
        assert!(s.users().len() >= 10);
        assert!(s.endpoints().len() >= 60);
        assert!(s.users().iter().any(|u| s.endpoints_of(&u.arn).unwrap().len() > 50));
    }

    #[test]
    fn malformed_seed_names_path_and_line() {
        let text = "{\n  \"AppInstanceUserEndpoints\": [\n    {\"AppInstanceUserArn\": 5}\n  ]\n}";
        let e = Store::from_seed_str(text, "s.json").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("s.json", 3), "{e}");
        let text = "{\n\"AppInstanceUserEndpoints\": [\n{\"AppInstanceUserArn\": \"arn:aws:chime:us-east-1:123456789012:app-instance/a/user/b\",\n \"EndpointId\": \"e\", \"Type\": \"SMS\"}]}";
        let e = Store::from_seed_str(text, "s.json").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("SMS"), "{e}");
        let text =
            "{\"AppInstanceUsers\": [\n\n{\"AppInstanceUserArn\": \"arn:aws:chime:us-east-1:1:bogus\"}]}";
        let e = Store::from_seed_str(text, "s.json").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.to_string().starts_with("s.json:3: user ARN"), "{e}");
        let e = Store::from_seed_str("{\"Bogus\": []}", "s.json").unwrap_err();
        assert!(e.message.contains("unknown field"), "{e}");
    }

    #[test]
    fn implicit_instances_and_users() {
        let text = r#"{"AppInstanceUserEndpoints": [{"AppInstanceUserArn": "arn:aws:chime:us-east-1:123456789012:app-instance/a/user/b", "EndpointId": "e"}]}"#;
        let s = Store::from_seed_str(text, "x").unwrap();
        assert!(s.instance("arn:aws:chime:us-east-1:123456789012:app-instance/a").is_some());
        assert_eq!(s.user("arn:aws:chime:us-east-1:123456789012:app-instance/a/user/b").unwrap().name, "b");
        assert!(s.endpoint("arn:aws:chime:us-east-1:123456789012:app-instance/a/user/b", "e").is_some());
    }
}
