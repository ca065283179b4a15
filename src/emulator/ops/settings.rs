//! AppInstanceRetentionSettings.

use super::instances::existing as instance_of;
use super::{Ctx, text};
use crate::emulator::http::ApiError;
use serde_json::{Value, json};

pub fn put_retention(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let mut store = ctx.write();
    instance_of(ctx, &store, instance)?;
    let settings = input.get("AppInstanceRetentionSettings").cloned().unwrap_or(json!({}));
    store.set_retention(instance, settings.clone());
    Ok(json!({"AppInstanceRetentionSettings": settings, "InitiateDeletionTimestamp": ctx.timestamp()}))
}

pub fn get_retention(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance = text(input, "AppInstanceArn");
    let store = ctx.read();
    instance_of(ctx, &store, instance)?;
    let settings = store.retention(instance).cloned().unwrap_or(json!({}));
    Ok(json!({"AppInstanceRetentionSettings": settings}))
}
