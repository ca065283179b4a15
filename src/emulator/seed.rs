//! Seed files (DESIGN.md, "Seed file"): `{"AppInstances": [...], "AppInstanceUsers": [...],
//! "AppInstanceUserEndpoints": [...]}`, each record in its wire shape and checked against the
//! model's shape (types, length, pattern, enum, range, nested required members). A record must
//! also hold what the operation that creates it requires (Name for instances and users; Type,
//! ResourceArn and EndpointAttributes for endpoints, as RegisterAppInstanceUserEndpoint
//! requires them), so that the seed serves only what the service could hold. Every problem
//! names the file and the line.
//!
//! A file must be a regular file of at most `MAX_SEED_BYTES`; a UTF-8 byte order mark at the
//! start is accepted and skipped (editors on Windows write one; RFC 8259 lets parsers ignore it).

use super::arn;
use super::spec::ServiceModel;
use super::spec::validate::{self, Violation};
use super::store::{
    DEMO_SEED, MAX_ENDPOINTS_PER_USER, MAX_INSTANCES_PER_ACCOUNT, MAX_USERS_PER_INSTANCE, Record, Store,
};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::io::Read;
use std::path::Path;

/// The latest time a seed's timestamps may hold (9999-12-31T23:59:59Z): clients parse no later.
pub const MAX_TIMESTAMP: f64 = 253_402_300_799.0;

/// The largest seed read: far above any real one (the demo seed is 50 KB).
pub const MAX_SEED_BYTES: u64 = 64 * 1024 * 1024;

/// A seed file that cannot be used: where and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct SeedError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

fn file_error(path: &Path, message: String) -> SeedError {
    SeedError { path: path.display().to_string(), line: 0, message }
}

/// Read a seed file: refuse anything but a regular file, and read at most `MAX_SEED_BYTES`.
pub fn read_file(path: &Path) -> Result<String, SeedError> {
    let meta = std::fs::metadata(path).map_err(|e| file_error(path, format!("cannot read: {e}")))?;
    check_regular(path, &meta)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Never block on a FIFO swapped in after the check above.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| file_error(path, format!("cannot read: {e}")))?;
    let meta = file.metadata().map_err(|e| file_error(path, format!("cannot read: {e}")))?;
    check_regular(path, &meta)?;
    let mut bytes = Vec::new();
    file.take(MAX_SEED_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| file_error(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_SEED_BYTES {
        return Err(too_big(path));
    }
    String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        SeedError {
            path: path.display().to_string(),
            line: upto.iter().filter(|&&b| b == b'\n').count() + 1,
            message: "not UTF-8 text: a seed is JSON in UTF-8".into(),
        }
    })
}

fn too_big(path: &Path) -> SeedError {
    file_error(path, format!("larger than {} MiB: not a seed file", MAX_SEED_BYTES / (1024 * 1024)))
}

fn check_regular(path: &Path, meta: &std::fs::Metadata) -> Result<(), SeedError> {
    if meta.is_file() {
        return if meta.len() > MAX_SEED_BYTES { Err(too_big(path)) } else { Ok(()) };
    }
    let what = file_kind(meta);
    Err(file_error(path, format!("not a regular file ({what}): a seed must be a regular JSON file")))
}

fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile<'a> {
    #[serde(rename = "AppInstances", default, borrow)]
    app_instances: Vec<&'a RawValue>,
    #[serde(rename = "AppInstanceUsers", default, borrow)]
    app_instance_users: Vec<&'a RawValue>,
    #[serde(rename = "AppInstanceUserEndpoints", default, borrow)]
    app_instance_user_endpoints: Vec<&'a RawValue>,
    #[serde(rename = "AppInstanceBots", default, borrow)]
    app_instance_bots: Vec<&'a RawValue>,
    #[serde(rename = "AppInstanceAdmins", default, borrow)]
    app_instance_admins: Vec<&'a RawValue>,
    #[serde(rename = "AppInstanceRetentionSettings", default, borrow)]
    retention: Vec<&'a RawValue>,
    #[serde(rename = "Tags", default, borrow)]
    tags: Vec<&'a RawValue>,
    #[serde(rename = "PinpointApps", default, borrow)]
    pinpoint_apps: Vec<&'a RawValue>,
    #[serde(rename = "Channels", default, borrow)]
    channels: Vec<&'a RawValue>,
    #[serde(rename = "ChannelMemberships", default, borrow)]
    channel_memberships: Vec<&'a RawValue>,
    #[serde(rename = "ChannelMessages", default, borrow)]
    channel_messages: Vec<&'a RawValue>,
    #[serde(rename = "PushOutcomes", default, borrow)]
    push_outcomes: Vec<&'a RawValue>,
}

/// The channel keys of a seeded Pinpoint app, and the model's shape for each.
pub const PINPOINT_CHANNELS: [(&str, &str); 5] = [
    ("APNS", "APNSChannelResponse"),
    ("APNS_SANDBOX", "APNSSandboxChannelResponse"),
    ("APNS_VOIP", "APNSVoipChannelResponse"),
    ("APNS_VOIP_SANDBOX", "APNSVoipSandboxChannelResponse"),
    ("GCM", "GCMChannelResponse"),
];

/// One `PinpointApps` entry: `Arn` (`arn:aws:mobiletargeting:REGION:ACCOUNT:apps/ID`), `Name`,
/// the other members of the Pinpoint model's `ApplicationResponse`, and `Channels` (each a
/// `*ChannelResponse`, checked against the Pinpoint model). `Id` is the ARN's and is filled in.
fn pinpoint_app(model: &ServiceModel, ctx: &Ctx<'_>, raw: &RawValue) -> Result<Record, SeedError> {
    let start = ctx.line_at(ctx.offset(raw));
    let value: Value = serde_json::from_str(raw.get()).map_err(|e| ctx.err(start, e.to_string()))?;
    let Value::Object(mut rec) = value else {
        return Err(ctx.err(start, "each entry of PinpointApps is an object".into()));
    };
    let channels = rec.remove("Channels");
    let denied = rec.remove("DeniedOperations");
    let app_shape = "ApplicationResponse";
    let Some(shape) = model.shape(app_shape) else {
        return Err(ctx.err(start, format!("the Pinpoint model has no shape {app_shape}")));
    };
    for k in rec.keys() {
        if !shape.members.contains_key(k) {
            let mut known: Vec<&str> = shape.members.keys().map(String::as_str).collect();
            known.extend(["Channels", "DeniedOperations"]);
            return Err(ctx.err(
                ctx.line_of(raw, k),
                format!("unknown field `{k}` in a Pinpoint app, expected one of {}", known.join(", ")),
            ));
        }
    }
    let arn = field(&rec, "Arn").to_string();
    let Some((_, _, id)) = arn::pinpoint_app(&arn) else {
        return Err(ctx.err(
            ctx.line_of(raw, "Arn"),
            format!(
                "Pinpoint app ARN {arn:?} is not of the form arn:aws:mobiletargeting:REGION:ACCOUNT:apps/ID"
            ),
        ));
    };
    if rec.get("Id").is_some_and(|v| v.as_str() != Some(id)) {
        return Err(ctx.err(ctx.line_of(raw, "Id"), format!("Id differs from the ARN's app ID {id}")));
    }
    rec.insert("Id".into(), Value::String(id.to_string()));
    if field(&rec, "Name").is_empty() {
        return Err(ctx.err(start, "a Pinpoint app needs a Name (ApplicationResponse requires it)".into()));
    }
    let mut violations: Vec<Violation> = Vec::new();
    validate::check(model, app_shape, &Value::Object(rec.clone()), "", &mut violations);
    let mut out = serde_json::Map::new();
    match channels {
        None | Some(Value::Null) => {}
        Some(Value::Object(chans)) => {
            for (k, c) in chans {
                let line = ctx.line_of(raw, &k);
                let Some((_, shape)) = PINPOINT_CHANNELS.iter().find(|(n, _)| *n == k) else {
                    let known: Vec<&str> = PINPOINT_CHANNELS.iter().map(|(n, _)| *n).collect();
                    return Err(
                        ctx.err(line, format!("unknown channel `{k}`, expected one of {}", known.join(", ")))
                    );
                };
                let Value::Object(mut c) = c else {
                    return Err(ctx.err(line, format!("channel {k} is an object ({shape})")));
                };
                if let Some(bad) =
                    c.keys().find(|m| model.shape(shape).is_some_and(|s| !s.members.contains_key(*m)))
                {
                    return Err(ctx.err(ctx.line_of(raw, bad), format!("unknown field `{bad}` in {shape}")));
                }
                c.entry("Platform").or_insert_with(|| Value::String(k.clone()));
                c.entry("ApplicationId").or_insert_with(|| Value::String(id.to_string()));
                validate::check(model, shape, &Value::Object(c.clone()), &k, &mut violations);
                out.insert(k, Value::Object(c));
            }
        }
        Some(_) => return Err(ctx.err(ctx.line_of(raw, "Channels"), "Channels is an object".into())),
    }
    if let Some(v) = violations.first() {
        return Err(ctx.err(start, format!("Pinpoint app {arn}: {}", v.text())));
    }
    rec.insert("Channels".into(), Value::Object(out));
    if let Some(d) = denied {
        let names: Option<Vec<&str>> = d.as_array().and_then(|a| a.iter().map(Value::as_str).collect());
        let known: Vec<&str> = super::pinpoint::served().collect();
        match names {
            Some(n) if n.iter().all(|o| known.contains(o)) => {}
            _ => {
                return Err(ctx.err(
                    ctx.line_of(raw, "DeniedOperations"),
                    format!("DeniedOperations is a list of operation names among {}", known.join(", ")),
                ));
            }
        }
        rec.insert("DeniedOperations".into(), d);
    }
    Ok(rec)
}

/// One kind of record: its shape, its identifier and the operation that creates it.
struct Kind {
    list: &'static str,
    shape: &'static str,
    id: &'static [&'static str],
    create: &'static str,
}

const INSTANCES: Kind =
    Kind { list: "AppInstances", shape: "AppInstance", id: &["AppInstanceArn"], create: "CreateAppInstance" };
const USERS: Kind = Kind {
    list: "AppInstanceUsers",
    shape: "AppInstanceUser",
    id: &["AppInstanceUserArn"],
    create: "CreateAppInstanceUser",
};
const ENDPOINTS: Kind = Kind {
    list: "AppInstanceUserEndpoints",
    shape: "AppInstanceUserEndpoint",
    id: &["AppInstanceUserArn", "EndpointId"],
    create: "RegisterAppInstanceUserEndpoint",
};

const BOTS: Kind = Kind {
    list: "AppInstanceBots",
    shape: "AppInstanceBot",
    id: &["AppInstanceBotArn"],
    create: "CreateAppInstanceBot",
};
const ADMINS: Kind = Kind {
    list: "AppInstanceAdmins",
    shape: "AppInstanceAdmin",
    id: &["AppInstanceArn", "Admin"],
    create: "CreateAppInstanceAdmin",
};
const RETENTION: Kind = Kind {
    list: "AppInstanceRetentionSettings",
    shape: "PutAppInstanceRetentionSettingsRequest",
    id: &["AppInstanceArn"],
    create: "PutAppInstanceRetentionSettings",
};
const TAGS: Kind =
    Kind { list: "Tags", shape: "TagResourceRequest", id: &["ResourceARN"], create: "TagResource" };

/// The members a record of `kind` must hold: its identifier, and the members of its shape
/// that the creating operation's input requires.
fn required(model: &ServiceModel, kind: &Kind) -> Vec<String> {
    let mut out: Vec<String> = kind.id.iter().map(|s| s.to_string()).collect();
    let shape = model.shape(kind.shape);
    let input = model.operation(kind.create).and_then(|o| o.input.as_deref()).and_then(|i| model.shape(i));
    if let (Some(shape), Some(input)) = (shape, input) {
        for r in &input.required {
            if shape.members.contains_key(r) && !out.contains(r) {
                out.push(r.clone());
            }
        }
    }
    out
}

struct Ctx<'a> {
    text: &'a str,
    path: &'a str,
    /// The byte offsets of the text's newlines, so that a line number is a binary search (a
    /// count from the start for every record made a seed of 100,000 users load in minutes).
    /// Found when a line is first asked for: a seed that loads asks for none.
    newlines: std::cell::OnceCell<Vec<usize>>,
    quotas: Quotas,
}

impl Ctx<'_> {
    fn line_at(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let newlines = self.newlines.get_or_init(|| {
            self.text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect()
        });
        newlines.partition_point(|&n| n < offset) + 1
    }

    /// The byte offset of `raw` inside the seed text.
    fn offset(&self, raw: &RawValue) -> usize {
        (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    fn err(&self, line: usize, message: String) -> SeedError {
        SeedError { path: self.path.to_string(), line, message }
    }

    /// The line of member `name` (its first key at any depth) inside `raw`, or of `raw` itself.
    fn line_of(&self, raw: &RawValue, name: &str) -> usize {
        let start = self.offset(raw);
        let key = format!("\"{name}\"");
        let at = raw.get().find(&key).map(|i| start + i).unwrap_or(start);
        self.line_at(at)
    }
}

/// `endpointAttributes.deviceToken` → `["DeviceToken", "EndpointAttributes"]`: the members of
/// a violation's path, the deepest first.
fn members_of(path: &str) -> Vec<String> {
    path.rsplit('.')
        .filter(|s| s.parse::<usize>().is_err() && *s != "member")
        .map(|s| {
            let mut c = s.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        })
        .collect()
}

fn record(model: &ServiceModel, ctx: &Ctx<'_>, kind: &Kind, raw: &RawValue) -> Result<Record, SeedError> {
    record_with(model, ctx, kind, &required(model, kind), raw)
}

/// [`record`] with the members `kind` requires worked out once for its whole list.
fn record_with(
    model: &ServiceModel,
    ctx: &Ctx<'_>,
    kind: &Kind,
    required: &[String],
    raw: &RawValue,
) -> Result<Record, SeedError> {
    let start = || ctx.line_at(ctx.offset(raw));
    let value: Value = serde_json::from_str(raw.get()).map_err(|e| ctx.err(start(), e.to_string()))?;
    let Value::Object(rec) = value else {
        return Err(ctx.err(start(), format!("each entry of {} is an object", kind.list)));
    };
    let Some(shape) = model.shape(kind.shape) else {
        return Err(ctx.err(start(), format!("the service model has no shape {}", kind.shape)));
    };
    for k in rec.keys() {
        if !shape.members.contains_key(k) {
            let known: Vec<&str> = shape.members.keys().map(String::as_str).collect();
            return Err(ctx.err(
                ctx.line_of(raw, k),
                format!("unknown field `{k}` in {}, expected one of {}", kind.shape, known.join(", ")),
            ));
        }
    }
    for r in required {
        if validate::member_of(&rec, r).is_none_or(Value::is_null) {
            return Err(ctx.err(
                start(),
                format!(
                    "{} entry without {r}: the service requires it ({} requires it)",
                    kind.list, kind.create
                ),
            ));
        }
    }
    for (k, v) in rec.iter().filter(|(k, _)| ctx.quotas == Quotas::Checked && k.ends_with("Timestamp")) {
        if !v.as_f64().is_some_and(|t| (0.0..=MAX_TIMESTAMP).contains(&t)) {
            return Err(ctx.err(
                ctx.line_of(raw, k),
                format!(
                    "{k}: {v} is not a time the service can hold: epoch seconds from 0 to \
                     {MAX_TIMESTAMP} (9999-12-31T23:59:59Z)"
                ),
            ));
        }
    }
    let mut violations: Vec<Violation> = Vec::new();
    let value = Value::Object(rec);
    validate::check(model, kind.shape, &value, "", &mut violations);
    let Value::Object(rec) = value else { return Err(ctx.err(start(), "not an object".into())) };
    if let Some(v) = violations.first() {
        let members = members_of(&v.path);
        // The line of the deepest member present (a missing one: its parent's).
        let line = members
            .iter()
            .find(|m| raw.get().contains(&format!("\"{m}\"")))
            .map(|m| ctx.line_of(raw, m))
            .unwrap_or_else(start);
        let name = members.first().cloned().unwrap_or_default();
        return Err(ctx.err(line, format!("{name}: {}", v.text())));
    }
    Ok(rec)
}

/// [`record`] for every entry of a list, then `each` on it, in order (one parsed at a time: a
/// seed of 100,000 users is never held parsed). What the list's kind requires is worked out once.
fn each_record<'t>(
    model: &ServiceModel,
    ctx: &Ctx<'_>,
    kind: &Kind,
    raws: &[&'t RawValue],
    mut each: impl FnMut(Record, &'t RawValue) -> Result<(), SeedError>,
) -> Result<(), SeedError> {
    let required = required(model, kind);
    for raw in raws {
        each(record_with(model, ctx, kind, &required, raw)?, raw)?;
    }
    Ok(())
}

fn field<'a>(r: &'a Record, key: &str) -> &'a str {
    r.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The service's quotas and sane times (epoch seconds from 0 to `MAX_TIMESTAMP`) a seed must
/// keep to (`--seed`), or not: state files are not held to them, and tests of clients make the
/// service lie through the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quotas {
    Checked,
    Unchecked,
}

/// Counts what the quotas bound while a seed loads.
struct QuotaCheck {
    on: bool,
    instances: usize,
    per_account: std::collections::HashMap<String, usize>,
}

impl QuotaCheck {
    /// After a record at `line` was added (under `instance`, and `user` for an endpoint): at
    /// most 10 endpoints on a user, 100,000 users in an instance, 100 instances in an account.
    fn after_put(
        &mut self,
        ctx: &Ctx<'_>,
        store: &Store,
        line: impl Fn() -> usize,
        user: Option<&str>,
        instance: &str,
    ) -> Result<(), SeedError> {
        if !self.on {
            return Ok(());
        }
        if store.instances().len() > self.instances {
            self.instances = store.instances().len();
            let account = arn::parse(instance).map(|a| a.account).unwrap_or("").to_string();
            let n = self.per_account.entry(account.clone()).or_default();
            *n += 1;
            if *n > MAX_INSTANCES_PER_ACCOUNT {
                return Err(ctx.err(
                    line(),
                    format!(
                        "app instance {instance}: more than {MAX_INSTANCES_PER_ACCOUNT} app instances in \
                         account {account} (the service's quota is {MAX_INSTANCES_PER_ACCOUNT} per account)"
                    ),
                ));
            }
        }
        if let Some(u) = user
            && store.endpoint_ids(u) > MAX_ENDPOINTS_PER_USER
        {
            return Err(ctx.err(
                line(),
                format!(
                    "user {u} has more than {MAX_ENDPOINTS_PER_USER} endpoints (the service's quota is \
                     {MAX_ENDPOINTS_PER_USER} per user)"
                ),
            ));
        }
        if store.user_count(instance).unwrap_or(0) > MAX_USERS_PER_INSTANCE {
            return Err(ctx.err(
                line(),
                format!(
                    "app instance {instance} has more than {MAX_USERS_PER_INSTANCE} users (the service's \
                     quota is {MAX_USERS_PER_INSTANCE} per app instance)"
                ),
            ));
        }
        Ok(())
    }
}

/// Parse and check a seed's text (a leading byte order mark is skipped), not held to the
/// service's quotas.
pub fn load(text: &str, path: &str) -> Result<Store, SeedError> {
    load_with(text, path, Quotas::Unchecked)
}

/// Parse and check a seed's text; with `Quotas::Checked` also against the service's quotas.
pub fn load_with(text: &str, path: &str, quotas: Quotas) -> Result<Store, SeedError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let model = ServiceModel::get().map_err(|e| SeedError { path: path.into(), line: 0, message: e })?;
    let seed: SeedFile<'_> = serde_json::from_str(text).map_err(|e| SeedError {
        path: path.into(),
        line: e.line(),
        message: e.to_string(),
    })?;
    let ctx = Ctx { text, path, newlines: std::cell::OnceCell::new(), quotas };
    let mut store = Store::default();
    let mut quota = QuotaCheck {
        on: quotas == Quotas::Checked,
        instances: 0,
        per_account: std::collections::HashMap::new(),
    };

    for raw in &seed.app_instances {
        let rec = record(model, &ctx, &INSTANCES, raw)?;
        let arn = field(&rec, "AppInstanceArn");
        let line = || ctx.line_of(raw, "AppInstanceArn");
        if arn::instance_id(arn).is_none() {
            return Err(ctx.err(
                line(),
                format!(
                    "app instance ARN {arn:?} is not of the form arn:aws:chime:REGION:ACCOUNT:app-instance/ID"
                ),
            ));
        }
        if store.instance(arn).is_some() {
            return Err(ctx.err(line(), format!("app instance {arn} appears twice")));
        }
        let arn = arn.to_string();
        store.put_instance(rec);
        quota.after_put(&ctx, &store, line, None, &arn)?;
    }
    each_record(model, &ctx, &USERS, &seed.app_instance_users, |rec, raw| {
        let arn = field(&rec, "AppInstanceUserArn");
        let line = || ctx.line_of(raw, "AppInstanceUserArn");
        let Some((instance, _)) = arn::user_parts(arn) else {
            return Err(ctx.err(
                line(),
                format!(
                    "user ARN {arn:?} is not of the form arn:aws:chime:REGION:ACCOUNT:app-instance/ID/user/ID"
                ),
            ));
        };
        if store.user_exists(arn) {
            return Err(ctx.err(line(), format!("user {arn} appears twice")));
        }
        let instance = instance.to_string();
        store.put_user(rec);
        quota.after_put(&ctx, &store, line, None, &instance)
    })?;
    each_record(model, &ctx, &ENDPOINTS, &seed.app_instance_user_endpoints, |rec, raw| {
        let user = field(&rec, "AppInstanceUserArn");
        let id = field(&rec, "EndpointId");
        let Some((instance, _)) = arn::user_parts(user) else {
            return Err(ctx.err(
                ctx.line_of(raw, "AppInstanceUserArn"),
                format!(
                    "user ARN {user:?} is not of the form arn:aws:chime:REGION:ACCOUNT:app-instance/ID/user/ID"
                ),
            ));
        };
        if id.is_empty() {
            return Err(ctx.err(ctx.line_of(raw, "EndpointId"), "an EndpointId is not empty".into()));
        }
        if store.has_endpoint(user, id) {
            return Err(
                ctx.err(ctx.line_of(raw, "EndpointId"), format!("endpoint {id} appears twice for one user"))
            );
        }
        let (user, instance) = (user.to_string(), instance.to_string());
        store.put_endpoint(rec);
        quota.after_put(&ctx, &store, || ctx.line_of(raw, "EndpointId"), Some(&user), &instance)
    })?;
    for raw in &seed.app_instance_bots {
        let rec = record(model, &ctx, &BOTS, raw)?;
        let arn = field(&rec, "AppInstanceBotArn");
        let line = ctx.line_of(raw, "AppInstanceBotArn");
        if arn::split_bot(arn).is_none() {
            return Err(ctx.err(
                line,
                format!(
                    "bot ARN {arn:?} is not of the form arn:aws:chime:REGION:ACCOUNT:app-instance/ID/bot/ID"
                ),
            ));
        }
        if store.bot(arn).is_some() {
            return Err(ctx.err(line, format!("bot {arn} appears twice")));
        }
        store.put_bot(rec);
    }
    for raw in &seed.app_instance_admins {
        let rec = record(model, &ctx, &ADMINS, raw)?;
        let instance = field(&rec, "AppInstanceArn").to_string();
        let admin = rec.get("Admin").and_then(|a| a.get("Arn")).and_then(Value::as_str).unwrap_or("");
        let line = ctx.line_of(raw, "Admin");
        if store.instance(&instance).is_none() {
            return Err(ctx.err(ctx.line_of(raw, "AppInstanceArn"), format!("no app instance {instance}")));
        }
        let member = arn::split_user(admin).or_else(|| arn::split_bot(admin)).map(|(i, _)| i);
        if member.as_deref() != Some(instance.as_str())
            || (!store.user_exists(admin) && store.bot(admin).is_none())
        {
            return Err(ctx.err(line, format!("admin {admin:?} is not a user or bot of {instance}")));
        }
        if store.admin(&instance, admin).is_some() {
            return Err(ctx.err(line, format!("admin {admin} appears twice for {instance}")));
        }
        let admin = admin.to_string();
        store.put_admin(&instance, &admin, rec);
    }
    for raw in &seed.retention {
        let rec = record(model, &ctx, &RETENTION, raw)?;
        let instance = field(&rec, "AppInstanceArn");
        if store.instance(instance).is_none() {
            return Err(ctx.err(ctx.line_of(raw, "AppInstanceArn"), format!("no app instance {instance}")));
        }
        let settings = rec.get("AppInstanceRetentionSettings").cloned().unwrap_or(Value::Null);
        store.set_retention(instance, settings);
    }
    let line_of = |raw: &RawValue, name: &str| {
        if name.is_empty() { ctx.line_at(ctx.offset(raw)) } else { ctx.line_of(raw, name) }
    };
    let lines = super::messaging::seed::Lines { line_of: &line_of };
    super::messaging::seed::load(
        &lines,
        &mut store,
        &seed.channels,
        &seed.channel_memberships,
        &seed.channel_messages,
    )
    .map_err(|(line, message)| ctx.err(line, message))?;
    for raw in &seed.tags {
        let rec = record(model, &ctx, &TAGS, raw)?;
        let arn = field(&rec, "ResourceARN").to_string();
        if !store.taggable(&arn) {
            return Err(ctx
                .err(ctx.line_of(raw, "ResourceARN"), format!("no app instance, user or bot {arn} to tag")));
        }
        let mut tags = store.tag_map(&arn);
        for t in rec.get("Tags").and_then(Value::as_array).into_iter().flatten() {
            let (k, v) = (t["Key"].as_str().unwrap_or(""), t["Value"].as_str().unwrap_or(""));
            tags.insert(k.to_string(), v.to_string());
        }
        if tags.len() > 50 {
            return Err(ctx.err(ctx.line_of(raw, "Tags"), format!("more than 50 tags on {arn}")));
        }
        store.set_tags(&arn, &tags);
    }
    if !seed.pinpoint_apps.is_empty() {
        let pinpoint =
            ServiceModel::pinpoint().map_err(|e| SeedError { path: path.into(), line: 0, message: e })?;
        for raw in &seed.pinpoint_apps {
            let rec = pinpoint_app(pinpoint, &ctx, raw)?;
            let arn = field(&rec, "Arn");
            if store.pinpoint_apps().any(|a| field(a, "Arn") == arn) {
                return Err(ctx.err(ctx.line_of(raw, "Arn"), format!("Pinpoint app {arn} appears twice")));
            }
            store.put_pinpoint_app(rec);
        }
    }
    if !seed.push_outcomes.is_empty() {
        let values = seed
            .push_outcomes
            .iter()
            .map(|raw| serde_json::from_str::<Value>(raw.get()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ctx.err(0, format!("PushOutcomes: {e}")))?;
        let outcomes = super::push::outcome_list(&values).map_err(|(i, why)| {
            let line = seed.push_outcomes.get(i).map_or(0, |raw| ctx.line_of(raw, "Token"));
            ctx.err(line, format!("PushOutcomes: {why}"))
        })?;
        store.set_push_outcomes(outcomes);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    store.exempt_past_due(now);
    Ok(store)
}

impl Store {
    /// The built-in demo seed.
    pub fn demo() -> Self {
        Self::from_seed_str(DEMO_SEED, "assets/demo/seed.json").unwrap_or_else(|e| {
            tracing::error!(error = %e, "the demo seed does not load");
            Store::default()
        })
    }

    /// Read and check a seed file: a regular file of at most `MAX_SEED_BYTES`.
    pub fn from_seed_file(path: &Path) -> Result<Self, SeedError> {
        let text = read_file(path)?;
        Self::from_seed_str(&text, &path.display().to_string())
    }

    /// Read and check a seed file that must also keep to the service's quotas (`--seed`): at
    /// most 10 endpoints per user, 100,000 users per app instance, 100 app instances per
    /// account; and timestamps from 0 to year 9999.
    pub fn from_seed_file_within_quotas(path: &Path) -> Result<Self, SeedError> {
        let text = read_file(path)?;
        load_with(&text, &path.display().to_string(), Quotas::Checked)
    }

    /// Parse and check a seed. Every problem names the file and the line. The service's
    /// quotas and sane times are not checked here: state files are not held to them, and tests of
    /// clients make the service lie.
    pub fn from_seed_str(text: &str, path: &str) -> Result<Self, SeedError> {
        load(text, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = "arn:aws:chime:us-east-1:1:app-instance/a/user/b";

    fn endpoint(extra: &str) -> String {
        format!(
            "{{\"AppInstanceUserEndpoints\": [\n{{\"AppInstanceUserArn\": \"{USER}\", \"EndpointId\": \"e\",\n\
             \"ResourceArn\": \"arn:aws:mobiletargeting:us-east-1:1:apps/x\",\n{extra}}}]}}"
        )
    }

    #[test]
    fn malformed_seed_names_path_and_line() {
        let text = "{\n  \"AppInstanceUserEndpoints\": [\n    {\"AppInstanceUserArn\": 5}\n  ]\n}";
        let e = load(text, "s.json").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("s.json", 3), "{e}");
        let text = endpoint("\"EndpointAttributes\": {\"DeviceToken\": \"t\"},\n\"Type\": \"SMS\"");
        let e = load(&text, "s.json").unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("SMS") && e.message.starts_with("Type:"), "{e}");
        let text = "{\"AppInstanceUsers\": [\n\n{\"AppInstanceUserArn\": \"arn:aws:chime:us-east-1:1:bogus\", \"Name\": \"n\"}]}";
        let e = load(text, "s.json").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.to_string().starts_with("s.json:3: user ARN"), "{e}");
        let e = load("{\"Bogus\": []}", "s.json").unwrap_err();
        assert!(e.message.contains("unknown field"), "{e}");
        let text =
            endpoint("\"Type\": \"GCM\", \"EndpointAttributes\": {\"DeviceToken\": \"t\"}, \"Colour\": 1");
        let e = load(&text, "s.json").unwrap_err();
        assert!(e.message.contains("unknown field `Colour`"), "{e}");
    }

    #[test]
    fn fields_the_model_requires_are_required() {
        // Register requires Type and EndpointAttributes; EndpointAttributes requires DeviceToken.
        let e = load(&endpoint("\"EndpointAttributes\": {\"DeviceToken\": \"t\"}"), "s.json").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("without Type"), "{e}");
        let e = load(&endpoint("\"Type\": \"GCM\",\n\"EndpointAttributes\": {}"), "s.json").unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("DeviceToken") && e.message.contains("must not be null"), "{e}");
        let e = load(
            &endpoint(
                "\"Type\": \"GCM\", \"EndpointAttributes\": {\"DeviceToken\": \"t\"},\n\"EndpointState\": {}",
            ),
            "s.json",
        )
        .unwrap_err();
        assert!(e.message.starts_with("Status:"), "{e}");
        // CreateAppInstanceUser requires a Name, and the model's UserName is not blank.
        let e = load(&format!("{{\"AppInstanceUsers\": [{{\"AppInstanceUserArn\": \"{USER}\"}}]}}"), "s")
            .unwrap_err();
        assert!(e.message.contains("without Name"), "{e}");
        let e = load(
            &format!("{{\"AppInstanceUsers\": [{{\"AppInstanceUserArn\": \"{USER}\", \"Name\": \"  \"}}]}}"),
            "s",
        )
        .unwrap_err();
        assert!(e.message.contains("regular expression"), "{e}");
        // Device tokens are sensitive: never quoted.
        let long = "x".repeat(1601);
        let e = load(
            &endpoint(&format!("\"Type\": \"GCM\", \"EndpointAttributes\": {{\"DeviceToken\": \"{long}\"}}")),
            "s",
        )
        .unwrap_err();
        assert!(!e.message.contains("xxx") && e.message.contains("1600"), "{e}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = format!(
            "\u{feff}{}",
            endpoint("\"Type\": \"GCM\", \"EndpointAttributes\": {\"DeviceToken\": \"t\"}")
        );
        let s = load(&text, "s.json").unwrap();
        assert!(s.endpoint(USER, "e").is_some());
    }

    #[test]
    fn demo_seed_loads_and_is_rich() {
        let s = Store::from_seed_str(DEMO_SEED, "demo").unwrap();
        assert!(s.instances().len() >= 2);
        assert!(s.user_total() >= 10);
        assert!(s.endpoint_count() >= 40);
        // A user at the service's quota of 10 endpoints, and no more: the demo keeps to the
        // quotas a `--seed` file is held to.
        assert!(
            s.users().any(|u| s.endpoints_of(u["AppInstanceUserArn"].as_str().unwrap()).unwrap().len() == 10)
        );
        assert!(load_with(DEMO_SEED, "demo", Quotas::Checked).is_ok());
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
