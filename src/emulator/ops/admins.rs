//! AppInstanceAdmins: a user or a bot of the instance, promoted.

use super::instances::existing as instance_of;
use super::{Ctx, conflict, page, text};
use crate::emulator::arn;
use crate::emulator::http::ApiError;
use crate::emulator::store::Record;
use serde_json::{Map, Value, json};

fn missing(instance: &str, admin: &str) -> ApiError {
    ApiError::not_found(format!("{admin} is not an admin of {instance}"))
}

pub fn create(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (instance, admin) = (text(input, "AppInstanceArn"), text(input, "AppInstanceAdminArn"));
    let mut store = ctx.write();
    instance_of(ctx, &store, instance)?;
    let of = arn::split_user(admin).or_else(|| arn::split_bot(admin)).map(|(i, _)| i);
    if of.as_deref() != Some(instance) {
        return Err(ApiError::bad_request(format!("{admin} is not a user or bot of {instance}")));
    }
    let member = match store.user(admin) {
        Some(u) => Some(u),
        None => store.bot(admin).cloned(),
    };
    let name = member
        .ok_or_else(|| ApiError::not_found(format!("{admin} does not exist")))?
        .get("Name")
        .cloned()
        .unwrap_or(Value::Null);
    if store.admin(instance, admin).is_some() {
        return Err(conflict(format!("{admin} is already an admin of {instance}")));
    }
    let identity = json!({"Arn": admin, "Name": name});
    let mut rec = Record::new();
    rec.insert("Admin".into(), identity.clone());
    rec.insert("AppInstanceArn".into(), Value::String(instance.to_string()));
    rec.insert("CreatedTimestamp".into(), ctx.timestamp());
    store.put_admin(instance, admin, rec);
    Ok(json!({"AppInstanceAdmin": identity, "AppInstanceArn": instance}))
}

pub fn describe(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (instance, admin) = (text(input, "AppInstanceArn"), text(input, "AppInstanceAdminArn"));
    let store = ctx.read();
    instance_of(ctx, &store, instance)?;
    let rec = store.admin(instance, admin).ok_or_else(|| missing(instance, admin))?;
    Ok(json!({"AppInstanceAdmin": rec}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let store = ctx.read();
    instance_of(ctx, &store, instance)?;
    let all = store.admins_of(instance).unwrap_or_default();
    let mut extra = Map::new();
    extra.insert("AppInstanceArn".into(), Value::String(instance.to_string()));
    page(ctx, input, all, &format!("ListAppInstanceAdmins {instance}"), "AppInstanceAdmins", extra)
}

pub fn delete(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (instance, admin) = (text(input, "AppInstanceArn"), text(input, "AppInstanceAdminArn"));
    let mut store = ctx.write();
    instance_of(ctx, &store, instance)?;
    if !store.remove_admin(instance, admin) {
        return Err(missing(instance, admin));
    }
    Ok(json!({}))
}
