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
    /// bot ARN → `AppInstanceBot`
    bots: IndexMap<String, Record>,
    /// instance ARN → its bots' ARNs
    bots_of: HashMap<String, IndexSet<String>>,
    /// instance ARN → admin ARN → `AppInstanceAdmin`
    admins_of: HashMap<String, IndexMap<String, Record>>,
    /// instance ARN → `AppInstanceRetentionSettings`
    retention: IndexMap<String, Value>,
    /// resource ARN → key → value
    tags: IndexMap<String, IndexMap<String, String>>,
    /// Pinpoint app ARN → the app as seeded (`Arn`, `Id`, `Name`, …, and its `Channels`:
    /// `APNS`, `APNS_SANDBOX`, `APNS_VOIP`, `APNS_VOIP_SANDBOX`, `GCM` → `*ChannelResponse`).
    pinpoint_apps: IndexMap<String, Record>,
    /// What each `ClientRequestToken` was used for (hashes and answers, expiring, bounded).
    /// Kept in memory only.
    idempotency: super::idempotency::Records,
    /// When the next user is due to expire (see `refresh_expiry`).
    earliest: Option<f64>,
    /// Users that were already past due when the seed was loaded: a seed is a snapshot of
    /// what the service held, and they are kept (until their ExpirationSettings are put again).
    exempt: IndexSet<String>,
}

fn text<'a>(r: &'a Record, key: &str) -> &'a str {
    r.get(key).and_then(Value::as_str).unwrap_or("")
}

/// When a user with `ExpirationSettings` (CREATED_TIMESTAMP) is due, epoch seconds.
pub fn expiry_of(user: &Record) -> Option<f64> {
    let days = user.get("ExpirationSettings")?.get("ExpirationDays")?.as_f64()?;
    let created = user.get("CreatedTimestamp")?.as_f64()?;
    Some(created + days * 86_400.0)
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

    /// Read and check a seed file that must also keep to the service's quotas (`--seed`): at
    /// most 10 endpoints per user, 100,000 users per app instance, 100 app instances per
    /// account; and timestamps from 0 to year 9999.
    pub fn from_seed_file_within_quotas(path: &Path) -> Result<Self, SeedError> {
        let text = super::seed::read_file(path)?;
        super::seed::load_with(&text, &path.display().to_string(), super::seed::Quotas::Checked)
    }

    /// Parse and check a seed. Every problem names the file and the line. The service's
    /// quotas and sane times are not checked here: state files are not held to them, and tests of
    /// clients make the service lie.
    pub fn from_seed_str(text: &str, path: &str) -> Result<Self, SeedError> {
        super::seed::load(text, path)
    }

    /// Everything in seed format (what `--state` writes), lists in their order; the lists
    /// beyond the first three only when they hold anything.
    pub fn to_seed(&self) -> Value {
        let mut out = Map::new();
        let recs = |it: &mut dyn Iterator<Item = &Record>| -> Value {
            Value::Array(it.map(|r| Value::Object(r.clone())).collect())
        };
        out.insert("AppInstances".into(), recs(&mut self.instances.values()));
        out.insert("AppInstanceUsers".into(), recs(&mut self.users.values()));
        let mut eps = Vec::new();
        for u in self.users.keys() {
            if let Some(m) = self.endpoints_of.get(u) {
                eps.extend(m.values().map(|r| Value::Object(r.clone())));
            }
        }
        out.insert("AppInstanceUserEndpoints".into(), Value::Array(eps));
        if !self.bots.is_empty() {
            out.insert("AppInstanceBots".into(), recs(&mut self.bots.values()));
        }
        let admins: Vec<Value> = self
            .instances
            .keys()
            .filter_map(|i| self.admins_of.get(i))
            .flat_map(|m| m.values().map(|r| Value::Object(r.clone())))
            .collect();
        if !admins.is_empty() {
            out.insert("AppInstanceAdmins".into(), Value::Array(admins));
        }
        if !self.retention.is_empty() {
            let r = self
                .retention
                .iter()
                .map(|(a, v)| serde_json::json!({"AppInstanceArn": a, "AppInstanceRetentionSettings": v}))
                .collect();
            out.insert("AppInstanceRetentionSettings".into(), Value::Array(r));
        }
        if !self.tags.is_empty() {
            let t = self
                .tags
                .iter()
                .map(|(a, kv)| {
                    let tags: Vec<Value> =
                        kv.iter().map(|(k, v)| serde_json::json!({"Key": k, "Value": v})).collect();
                    serde_json::json!({"ResourceARN": a, "Tags": tags})
                })
                .collect();
            out.insert("Tags".into(), Value::Array(t));
        }
        if !self.pinpoint_apps.is_empty() {
            out.insert("PinpointApps".into(), recs(&mut self.pinpoint_apps.values()));
        }
        Value::Object(out)
    }

    /// Add an app instance (the caller checked that it is new).
    pub(crate) fn put_instance(&mut self, rec: Record) {
        let arn = text(&rec, "AppInstanceArn").to_string();
        self.users_of.entry(arn.clone()).or_default();
        self.bots_of.entry(arn.clone()).or_default();
        self.instances.insert(arn, rec);
    }

    fn implicit_instance(&mut self, instance: &str, like: &Record) {
        if self.instances.contains_key(instance) {
            return;
        }
        let mut i = Record::new();
        i.insert("AppInstanceArn".into(), Value::String(instance.to_string()));
        i.insert("Name".into(), Value::String(arn::instance_id(instance).unwrap_or_default().to_string()));
        for t in ["CreatedTimestamp", "LastUpdatedTimestamp"] {
            if let Some(v) = like.get("CreatedTimestamp") {
                i.insert(t.into(), v.clone());
            }
        }
        self.put_instance(i);
    }

    /// Add or replace a user, and its app instance when that does not exist yet.
    pub(crate) fn put_user(&mut self, rec: Record) {
        let arn = text(&rec, "AppInstanceUserArn").to_string();
        let Some((instance, _)) = arn::split_user(&arn) else { return };
        self.implicit_instance(&instance, &rec);
        self.users_of.entry(instance).or_default().insert(arn.clone());
        self.endpoints_of.entry(arn.clone()).or_default();
        self.users.insert(arn, rec);
    }

    /// Add or replace a bot, and its app instance when that does not exist yet.
    pub(crate) fn put_bot(&mut self, rec: Record) {
        let arn = text(&rec, "AppInstanceBotArn").to_string();
        let Some((instance, _)) = arn::split_bot(&arn) else { return };
        self.implicit_instance(&instance, &rec);
        self.bots_of.entry(instance).or_default().insert(arn.clone());
        self.bots.insert(arn, rec);
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

    /// Add or replace an admin of an instance.
    pub(crate) fn put_admin(&mut self, instance: &str, admin_arn: &str, rec: Record) {
        self.admins_of.entry(instance.to_string()).or_default().insert(admin_arn.to_string(), rec);
    }

    pub(crate) fn set_retention(&mut self, instance: &str, settings: Value) {
        self.retention.insert(instance.to_string(), settings);
    }

    /// Add a Pinpoint app (the seed checked it).
    pub(crate) fn put_pinpoint_app(&mut self, rec: Record) {
        let arn = text(&rec, "Arn").to_string();
        self.pinpoint_apps.insert(arn, rec);
    }

    /// The Pinpoint app `id` in `region` (and `account`, when accounts are kept apart).
    pub fn pinpoint_app(&self, region: &str, account: Option<&str>, id: &str) -> Option<&Record> {
        self.pinpoint_apps.values().find(|r| {
            arn::pinpoint_app(text(r, "Arn"))
                .is_some_and(|(rg, acct, i)| rg == region && i == id && account.is_none_or(|a| a == acct))
        })
    }

    pub fn pinpoint_apps(&self) -> impl ExactSizeIterator<Item = &Record> {
        self.pinpoint_apps.values()
    }

    pub fn retention(&self, instance: &str) -> Option<&Value> {
        self.retention.get(instance)
    }

    /// Remove an endpoint; true when it existed.
    pub(crate) fn remove_endpoint(&mut self, user: &str, id: &str) -> bool {
        self.endpoints_of.get_mut(user).is_some_and(|m| m.shift_remove(id).is_some())
    }

    /// Remove whatever names `member` as an admin, in every instance.
    fn drop_admin_everywhere(&mut self, member: &str) {
        for m in self.admins_of.values_mut() {
            m.shift_remove(member);
        }
    }

    /// Remove a user with its endpoints, tags and admin roles; true when it existed.
    pub(crate) fn remove_user(&mut self, arn: &str) -> bool {
        if self.users.shift_remove(arn).is_none() {
            return false;
        }
        self.endpoints_of.remove(arn);
        self.exempt.shift_remove(arn);
        self.tags.shift_remove(arn);
        self.drop_admin_everywhere(arn);
        if let Some((instance, _)) = arn::split_user(arn)
            && let Some(set) = self.users_of.get_mut(&instance)
        {
            set.shift_remove(arn);
        }
        true
    }

    /// Remove a bot with its tags and admin roles; true when it existed.
    pub(crate) fn remove_bot(&mut self, arn: &str) -> bool {
        if self.bots.shift_remove(arn).is_none() {
            return false;
        }
        self.tags.shift_remove(arn);
        self.drop_admin_everywhere(arn);
        if let Some((instance, _)) = arn::split_bot(arn)
            && let Some(set) = self.bots_of.get_mut(&instance)
        {
            set.shift_remove(arn);
        }
        true
    }

    /// Remove an instance with everything in it; true when it existed.
    pub(crate) fn remove_instance(&mut self, arn: &str) -> bool {
        if self.instances.shift_remove(arn).is_none() {
            return false;
        }
        for u in self.users_of.remove(arn).unwrap_or_default() {
            self.remove_user(&u);
        }
        for b in self.bots_of.remove(arn).unwrap_or_default() {
            self.remove_bot(&b);
        }
        self.admins_of.remove(arn);
        self.retention.shift_remove(arn);
        self.tags.shift_remove(arn);
        true
    }

    pub(crate) fn remove_admin(&mut self, instance: &str, admin: &str) -> bool {
        self.admins_of.get_mut(instance).is_some_and(|m| m.shift_remove(admin).is_some())
    }

    /// Remove the users whose expiration is due at `now`; their ARNs.
    pub(crate) fn expire(&mut self, now: f64) -> Vec<String> {
        let due: Vec<String> = self
            .users
            .iter()
            .filter(|(a, u)| !self.exempt.contains(*a) && expiry_of(u).is_some_and(|t| t <= now))
            .map(|(a, _)| a.clone())
            .collect();
        for a in &due {
            self.remove_user(a);
        }
        due
    }

    /// Recompute when the next user is due (after any write).
    pub(crate) fn refresh_expiry(&mut self) {
        self.earliest = self
            .users
            .iter()
            .filter(|(a, _)| !self.exempt.contains(*a))
            .filter_map(|(_, u)| expiry_of(u))
            .reduce(f64::min);
    }

    /// Keep the users already past due at `now` (a seed just loaded).
    pub(crate) fn exempt_past_due(&mut self, now: f64) {
        self.exempt = self
            .users
            .iter()
            .filter(|(_, u)| expiry_of(u).is_some_and(|t| t <= now))
            .map(|(a, _)| a.clone())
            .collect();
    }

    /// A user whose expiration was just set expires by it.
    pub(crate) fn unexempt(&mut self, user: &str) {
        self.exempt.shift_remove(user);
    }

    /// When the next user is due to expire, if any has ExpirationSettings.
    pub fn earliest_expiry(&self) -> Option<f64> {
        self.earliest
    }

    pub fn instances(&self) -> impl ExactSizeIterator<Item = &Record> {
        self.instances.values()
    }
    pub fn users(&self) -> impl ExactSizeIterator<Item = &Record> {
        self.users.values()
    }
    pub fn bots(&self) -> impl ExactSizeIterator<Item = &Record> {
        self.bots.values()
    }
    pub fn endpoint_count(&self) -> usize {
        self.endpoints_of.values().map(IndexMap::len).sum()
    }

    pub fn instance(&self, arn: &str) -> Option<&Record> {
        self.instances.get(arn)
    }
    pub(crate) fn instance_mut(&mut self, arn: &str) -> Option<&mut Record> {
        self.instances.get_mut(arn)
    }
    pub fn user(&self, arn: &str) -> Option<&Record> {
        self.users.get(arn)
    }
    pub(crate) fn user_mut(&mut self, arn: &str) -> Option<&mut Record> {
        self.users.get_mut(arn)
    }
    pub fn bot(&self, arn: &str) -> Option<&Record> {
        self.bots.get(arn)
    }
    pub(crate) fn bot_mut(&mut self, arn: &str) -> Option<&mut Record> {
        self.bots.get_mut(arn)
    }
    pub fn endpoint(&self, user_arn: &str, endpoint_id: &str) -> Option<&Record> {
        self.endpoints_of.get(user_arn)?.get(endpoint_id)
    }
    pub(crate) fn endpoint_mut(&mut self, user_arn: &str, endpoint_id: &str) -> Option<&mut Record> {
        self.endpoints_of.get_mut(user_arn)?.get_mut(endpoint_id)
    }
    /// The users of an instance, or None when the instance does not exist.
    pub fn users_of(&self, instance_arn: &str) -> Option<Vec<&Record>> {
        Some(self.users_of.get(instance_arn)?.iter().filter_map(|a| self.users.get(a)).collect())
    }
    /// How many users an instance has, or None when the instance does not exist.
    pub fn user_count(&self, instance_arn: &str) -> Option<usize> {
        Some(self.users_of.get(instance_arn)?.len())
    }
    /// The users of an instance at these positions ([`Self::users_of`]'s order), without
    /// looking at the others (a page of 100,000 users costs a page).
    pub fn users_in(&self, instance_arn: &str, range: std::ops::Range<usize>) -> Vec<&Record> {
        let Some(set) = self.users_of.get(instance_arn) else { return Vec::new() };
        range.filter_map(|i| set.get_index(i)).filter_map(|a| self.users.get(a)).collect()
    }
    /// The bots of an instance, or None when the instance does not exist.
    pub fn bots_of(&self, instance_arn: &str) -> Option<Vec<&Record>> {
        self.instances.get(instance_arn)?;
        Some(
            self.bots_of
                .get(instance_arn)
                .map(|s| s.iter().filter_map(|a| self.bots.get(a)).collect())
                .unwrap_or_default(),
        )
    }
    /// The admins of an instance (its `AppInstanceAdmin` records), or None when the instance
    /// does not exist.
    pub fn admins_of(&self, instance_arn: &str) -> Option<Vec<&Record>> {
        self.instances.get(instance_arn)?;
        Some(self.admins_of.get(instance_arn).map(|m| m.values().collect()).unwrap_or_default())
    }
    pub fn admin(&self, instance_arn: &str, admin_arn: &str) -> Option<&Record> {
        self.admins_of.get(instance_arn)?.get(admin_arn)
    }
    /// The endpoints of a user, or None when the user does not exist.
    pub fn endpoints_of(&self, user_arn: &str) -> Option<Vec<&Record>> {
        Some(self.endpoints_of.get(user_arn)?.values().collect())
    }
    pub(crate) fn endpoint_ids(&self, user_arn: &str) -> usize {
        self.endpoints_of.get(user_arn).map(IndexMap::len).unwrap_or(0)
    }

    /// Whether a taggable resource (an instance, a user or a bot) exists.
    pub fn taggable(&self, arn: &str) -> bool {
        self.instances.contains_key(arn) || self.users.contains_key(arn) || self.bots.contains_key(arn)
    }
    pub fn tags(&self, arn: &str) -> Vec<(String, String)> {
        self.tags
            .get(arn)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }
    pub(crate) fn tags_mut(&mut self, arn: &str) -> &mut IndexMap<String, String> {
        self.tags.entry(arn.to_string()).or_default()
    }
    pub(crate) fn drop_empty_tags(&mut self, arn: &str) {
        if self.tags.get(arn).is_some_and(IndexMap::is_empty) {
            self.tags.shift_remove(arn);
        }
    }

    pub(crate) fn idempotency(&mut self) -> &mut super::idempotency::Records {
        &mut self.idempotency
    }

    /// How many idempotency records (`ClientRequestToken`s) are remembered now.
    pub fn idempotency_records(&self) -> usize {
        self.idempotency.len()
    }

    /// Remember at most `max` idempotency records (default `idempotency::MAX_RECORDS`), the
    /// oldest dropped first.
    pub fn limit_idempotency_records(&mut self, max: usize) {
        self.idempotency = super::idempotency::Records::with_capacity(max);
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
        assert!(s.endpoint_count() >= 40);
        // A user at the service's quota of 10 endpoints, and no more: the demo keeps to the
        // quotas a `--seed` file is held to.
        assert!(s.users().any(|u| s.endpoints_of(text(u, "AppInstanceUserArn")).unwrap().len() == 10));
        assert!(
            super::super::seed::load_with(DEMO_SEED, "demo", super::super::seed::Quotas::Checked).is_ok()
        );
    }

    #[test]
    fn demo_seed_has_write_friendly_data_and_round_trips_as_a_state_file() {
        let s = Store::from_seed_str(DEMO_SEED, "demo").unwrap();
        let prod = "arn:aws:chime:us-east-1:123456789012:app-instance/7f3c2b1a-5d4e-4c8f-9a6b-1e2d3c4b5a69";
        assert_eq!(s.admins_of(prod).unwrap().len(), 2);
        assert_eq!(s.bots_of(prod).unwrap().len(), 1);
        assert!(s.retention(prod).is_some());
        assert_eq!(s.tags(prod).len(), 3);
        assert!(s.users().any(|u| u.contains_key("ExpirationSettings")));
        let back = Store::from_seed_str(&s.to_seed().to_string(), "state").unwrap();
        assert_eq!(back.to_seed(), s.to_seed());
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
