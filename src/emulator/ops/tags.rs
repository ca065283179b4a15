//! Tags on app instances, users and bots: at most 50 a resource, a key set again replaced.

use super::{Ctx, apply_tags, tag_pairs, text};
use crate::emulator::http::ApiError;
use crate::emulator::store::Store;
use serde_json::{Value, json};

fn taggable(ctx: &Ctx<'_>, store: &Store, arn: &str) -> Result<(), ApiError> {
    ctx.visible(arn, "resource")?;
    if store.taggable(arn) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("No app instance, user or bot {arn}")))
    }
}

pub fn tag(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let arn = text(input, "ResourceARN");
    let tags = tag_pairs(input)?;
    let mut store = ctx.write();
    taggable(ctx, &store, arn)?;
    apply_tags(&mut store, arn, &tags)?;
    Ok(json!({}))
}

pub fn untag(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let arn = text(input, "ResourceARN");
    let mut store = ctx.write();
    taggable(ctx, &store, arn)?;
    let mut m = store.tag_map(arn);
    let before = m.len();
    for k in input.get("TagKeys").and_then(Value::as_array).into_iter().flatten() {
        m.shift_remove(k.as_str().unwrap_or(""));
    }
    if m.len() != before {
        store.set_tags(arn, &m);
    }
    Ok(json!({}))
}

pub fn list(ctx: &Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let arn = text(input, "ResourceARN");
    let store = ctx.read();
    taggable(ctx, &store, arn)?;
    let tags: Vec<Value> = store.tags(arn).into_iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    Ok(json!({"Tags": tags}))
}
