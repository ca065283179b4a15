//! The emulator's data: app instances, users and endpoints as records in their wire shape
//! (the model's `AppInstance`, `AppInstanceUser`, `AppInstanceUserEndpoint`), in seed order,
//! with the indexes the list operations page through. Loaded from a seed (see `seed`).

use super::arn;
use indexmap::{IndexMap, IndexSet};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

pub use super::seed::SeedError;

/// The demo seed, built into the binary.
pub const DEMO_SEED: &str = include_str!("../../assets/demo/seed.json");

/// One resource in its wire shape.
pub type Record = Map<String, Value>;

/// Everything the emulator serves.
#[derive(Clone, Debug, Default)]
pub struct Store {
    instances: IndexMap<String, Record>,
    users: IndexMap<String, Record>,
    /// instance ARN → its users' ARNs
    users_of: HashMap<String, IndexSet<String>>,
    /// user ARN → endpoint ID → endpoint
    endpoints_of: HashMap<String, IndexMap<String, Record>>,
}

fn text<'a>(r: &'a Record, key: &str) -> &'a str {
    r.get(key).and_then(Value::as_str).unwrap_or("")
}

impl Store {
    /// The built-in demo seed.
    pub fn demo() -> Self {
        Self::from_seed_str(DEMO_SEED, "assets/demo/seed.json").unwrap_or_else(|e| {
            tracing::error!(error = %e, "the demo seed does not load");
            Store::default()
        })
    }

    /// Read and check a seed file: a regular file of at most `seed::MAX_SEED_BYTES`.
    pub fn from_seed_file(path: &Path) -> Result<Self, SeedError> {
        let text = super::seed::read_file(path)?;
        Self::from_seed_str(&text, &path.display().to_string())
    }

    /// Parse and check a seed. Every problem names the file and the line.
    pub fn from_seed_str(text: &str, path: &str) -> Result<Self, SeedError> {
        super::seed::load(text, path)
    }

    /// Add an app instance (the caller checked that it is new).
    pub(crate) fn put_instance(&mut self, rec: Record) {
        let arn = text(&rec, "AppInstanceArn").to_string();
        self.users_of.entry(arn.clone()).or_default();
        self.instances.insert(arn, rec);
    }

    /// Add a user, and its app instance when that does not exist yet.
    pub(crate) fn put_user(&mut self, rec: Record) {
        let arn = text(&rec, "AppInstanceUserArn").to_string();
        let Some((instance, _)) = arn::split_user(&arn) else { return };
        if !self.instances.contains_key(&instance) {
            let mut i = Record::new();
            i.insert("AppInstanceArn".into(), Value::String(instance.clone()));
            i.insert(
                "Name".into(),
                Value::String(arn::instance_id(&instance).unwrap_or_default().to_string()),
            );
            for t in ["CreatedTimestamp", "LastUpdatedTimestamp"] {
                if let Some(v) = rec.get("CreatedTimestamp") {
                    i.insert(t.into(), v.clone());
                }
            }
            self.put_instance(i);
        }
        self.users_of.entry(instance).or_default().insert(arn.clone());
        self.endpoints_of.entry(arn.clone()).or_default();
        self.users.insert(arn, rec);
    }

    /// Add or replace an endpoint, and its user when that does not exist yet.
    pub(crate) fn put_endpoint(&mut self, rec: Record) {
        let user = text(&rec, "AppInstanceUserArn").to_string();
        if !self.users.contains_key(&user)
            && let Some((_, id)) = arn::split_user(&user)
        {
            let mut u = Record::new();
            u.insert("AppInstanceUserArn".into(), Value::String(user.clone()));
            u.insert("Name".into(), Value::String(id.chars().take(100).collect()));
            for t in ["CreatedTimestamp", "LastUpdatedTimestamp"] {
                if let Some(v) = rec.get("CreatedTimestamp") {
                    u.insert(t.into(), v.clone());
                }
            }
            self.put_user(u);
        }
        let id = text(&rec, "EndpointId").to_string();
        self.endpoints_of.entry(user).or_default().insert(id, rec);
    }

    /// Remove an endpoint; true when it existed.
    #[allow(dead_code)]
    pub(crate) fn remove_endpoint(&mut self, user: &str, id: &str) -> bool {
        self.endpoints_of.get_mut(user).is_some_and(|m| m.shift_remove(id).is_some())
    }

    pub fn instances(&self) -> impl ExactSizeIterator<Item = &Record> {
        self.instances.values()
    }
    pub fn users(&self) -> impl ExactSizeIterator<Item = &Record> {
        self.users.values()
    }
    pub fn endpoint_count(&self) -> usize {
        self.endpoints_of.values().map(IndexMap::len).sum()
    }

    pub fn instance(&self, arn: &str) -> Option<&Record> {
        self.instances.get(arn)
    }
    pub fn user(&self, arn: &str) -> Option<&Record> {
        self.users.get(arn)
    }
    pub fn endpoint(&self, user_arn: &str, endpoint_id: &str) -> Option<&Record> {
        self.endpoints_of.get(user_arn)?.get(endpoint_id)
    }
    #[allow(dead_code)]
    pub(crate) fn endpoint_mut(&mut self, user_arn: &str, endpoint_id: &str) -> Option<&mut Record> {
        self.endpoints_of.get_mut(user_arn)?.get_mut(endpoint_id)
    }
    /// The users of an instance, or None when the instance does not exist.
    pub fn users_of(&self, instance_arn: &str) -> Option<Vec<&Record>> {
        Some(self.users_of.get(instance_arn)?.iter().filter_map(|a| self.users.get(a)).collect())
    }
    /// The endpoints of a user, or None when the user does not exist.
    pub fn endpoints_of(&self, user_arn: &str) -> Option<Vec<&Record>> {
        Some(self.endpoints_of.get(user_arn)?.values().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_loads_and_is_rich() {
        let s = Store::from_seed_str(DEMO_SEED, "demo").unwrap();
        assert!(s.instances().len() >= 2);
        assert!(s.users().len() >= 10);
        assert!(s.endpoint_count() >= 60);
        assert!(s.users().any(|u| s.endpoints_of(text(u, "AppInstanceUserArn")).unwrap().len() > 50));
    }

    #[test]
    fn implicit_instances_and_users() {
        let text = r#"{"AppInstanceUserEndpoints": [{"AppInstanceUserArn": "arn:aws:chime:us-east-1:1:app-instance/a/user/b",
            "EndpointId": "e", "Type": "GCM", "ResourceArn": "arn:aws:mobiletargeting:us-east-1:1:apps/x",
            "EndpointAttributes": {"DeviceToken": "t"}}]}"#;
        let s = Store::from_seed_str(text, "x").unwrap();
        assert!(s.instance("arn:aws:chime:us-east-1:1:app-instance/a").is_some());
        let u = s.user("arn:aws:chime:us-east-1:1:app-instance/a/user/b").unwrap();
        assert_eq!(u["Name"], "b");
        assert!(s.endpoint("arn:aws:chime:us-east-1:1:app-instance/a/user/b", "e").is_some());
    }
}
