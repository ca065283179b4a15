//! The service model (`assets/chime-sdk-identity-2021-04-20.service-2.json`, the file the AWS
//! CLI and the SDKs are generated from), read once: operations with their HTTP bindings, and
//! shapes with their constraints. Routes, input reading and validation, and output encoding are
//! derived from it here, so that an operation elsewhere is its semantics only.

pub mod input;
pub mod output;
pub mod pattern;
pub mod route;
pub mod validate;

use indexmap::IndexMap;
use pattern::Pattern;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The hasher of the model's maps (shape names, a structure's members), looked up for every
/// member of every record a seed holds: foldhash's randomly seeded one, not SipHash.
pub type FastHash = foldhash::fast::RandomState;

/// The model, shipped with the binary.
pub const MODEL_JSON: &str = include_str!("../../../assets/chime-sdk-identity-2021-04-20.service-2.json");
/// The Pinpoint model's subset the emulator serves, shipped too: the reads the doctor makes
/// (GetApp and the five Get*Channel, also alone in `pinpoint-2016-12-01.channels.service-2.json`)
/// and SendMessages.
pub const PINPOINT_MODEL_JSON: &str = include_str!("../../../assets/pinpoint-2016-12-01.push.service-2.json");
/// The Chime SDK Messaging model (channels, memberships, preferences, messages), shipped too.
pub const MESSAGING_MODEL_JSON: &str =
    include_str!("../../../assets/chime-sdk-messaging-2021-05-15.service-2.json");

#[derive(Debug)]
pub struct ServiceModel {
    pub signing_name: String,
    pub api_version: String,
    /// In the model's order.
    pub operations: IndexMap<String, Operation>,
    pub shapes: HashMap<String, Shape, FastHash>,
    /// Patterns that could not be translated (shape name, pattern, why); not enforced.
    pub skipped_patterns: Vec<(String, String, String)>,
}

#[derive(Debug)]
pub struct Operation {
    pub name: String,
    pub method: String,
    pub path: Vec<Segment>,
    /// Query parameters fixed by the URI template (`/tags?operation=tag-resource`).
    pub fixed_query: Vec<(String, String)>,
    pub response_code: u16,
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Label(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Long,
    Float,
    Boolean,
    Timestamp,
    Blob,
    Structure,
    List,
    Map,
}

#[derive(Debug)]
pub struct Shape {
    pub kind: Kind,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<Pattern>,
    pub enum_values: Option<Vec<String>>,
    pub sensitive: bool,
    /// Structures: members in the model's order.
    pub members: IndexMap<String, Member, FastHash>,
    pub required: Vec<String>,
    /// Lists: the element shape.
    pub member: Option<String>,
    /// Maps: the value shape.
    pub value: Option<String>,
    /// Exceptions: the HTTP status.
    pub error_status: Option<u16>,
    /// Outputs: the member that is the whole body (`"payload"`), as Pinpoint's are.
    pub payload: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    Body,
    Uri,
    Query,
    Header,
}

#[derive(Debug)]
pub struct Member {
    pub shape: String,
    pub location: Location,
    /// The label, query or header name.
    pub location_name: String,
    pub idempotency_token: bool,
}

#[derive(Deserialize)]
struct RawModel {
    metadata: RawMetadata,
    operations: IndexMap<String, RawOperation>,
    shapes: HashMap<String, RawShape>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMetadata {
    signing_name: String,
    api_version: String,
}

#[derive(Deserialize)]
struct RawOperation {
    name: String,
    http: RawHttp,
    input: Option<RawRef>,
    output: Option<RawRef>,
    #[serde(default)]
    errors: Vec<RawRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHttp {
    method: String,
    request_uri: String,
    response_code: Option<u16>,
}

#[derive(Deserialize)]
struct RawRef {
    shape: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    min: Option<f64>,
    max: Option<f64>,
    pattern: Option<String>,
    #[serde(rename = "enum")]
    enum_values: Option<Vec<String>>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    members: IndexMap<String, RawMember>,
    #[serde(default)]
    required: Vec<String>,
    member: Option<RawRef>,
    value: Option<RawRef>,
    error: Option<RawError>,
    payload: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMember {
    shape: String,
    location: Option<String>,
    location_name: Option<String>,
    #[serde(default)]
    idempotency_token: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawError {
    http_status_code: Option<u16>,
}

impl ServiceModel {
    /// The shipped model, parsed once.
    pub fn get() -> Result<&'static ServiceModel, String> {
        static MODEL: OnceLock<Result<ServiceModel, String>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                let m = Self::parse(MODEL_JSON)?;
                for (shape, pattern, why) in &m.skipped_patterns {
                    tracing::warn!(shape, pattern, why, "model pattern not enforced");
                }
                Ok(m)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The shipped Pinpoint subset, parsed once.
    pub fn pinpoint() -> Result<&'static ServiceModel, String> {
        static MODEL: OnceLock<Result<ServiceModel, String>> = OnceLock::new();
        MODEL.get_or_init(|| Self::parse(PINPOINT_MODEL_JSON)).as_ref().map_err(Clone::clone)
    }

    /// The shipped Chime SDK Messaging model, parsed once.
    pub fn messaging() -> Result<&'static ServiceModel, String> {
        static MODEL: OnceLock<Result<ServiceModel, String>> = OnceLock::new();
        MODEL.get_or_init(|| Self::parse(MESSAGING_MODEL_JSON)).as_ref().map_err(Clone::clone)
    }

    pub fn parse(json: &str) -> Result<Self, String> {
        let raw: RawModel = serde_json::from_str(json).map_err(|e| format!("service model: {e}"))?;
        let mut skipped = Vec::new();
        let mut shapes = HashMap::with_hasher(FastHash::default());
        for (name, s) in raw.shapes {
            let kind = match s.kind.as_str() {
                "string" => Kind::String,
                "integer" => Kind::Integer,
                "long" => Kind::Long,
                "float" | "double" => Kind::Float,
                "boolean" => Kind::Boolean,
                "timestamp" => Kind::Timestamp,
                "blob" => Kind::Blob,
                "structure" => Kind::Structure,
                "list" => Kind::List,
                "map" => Kind::Map,
                other => return Err(format!("service model: shape {name} has unknown type {other}")),
            };
            let pattern = match &s.pattern {
                None => None,
                Some(p) => match Pattern::new(p) {
                    Ok(p) => Some(p),
                    Err(why) => {
                        skipped.push((name.clone(), p.clone(), why));
                        None
                    }
                },
            };
            let members = s
                .members
                .into_iter()
                .map(|(m, r)| {
                    let location = match r.location.as_deref() {
                        None => Location::Body,
                        Some("uri") => Location::Uri,
                        Some("querystring") => Location::Query,
                        Some("header") => Location::Header,
                        Some(other) => {
                            return Err(format!("service model: {name}.{m} has unknown location {other}"));
                        }
                    };
                    let location_name = r.location_name.unwrap_or_else(|| m.clone());
                    let member = Member {
                        shape: r.shape,
                        location,
                        location_name,
                        idempotency_token: r.idempotency_token,
                    };
                    Ok((m, member))
                })
                .collect::<Result<IndexMap<_, _, FastHash>, String>>()?;
            let shape = Shape {
                kind,
                min: s.min,
                max: s.max,
                pattern,
                enum_values: s.enum_values,
                sensitive: s.sensitive,
                members,
                required: s.required,
                member: s.member.map(|r| r.shape),
                value: s.value.map(|r| r.shape),
                error_status: s.error.and_then(|e| e.http_status_code),
                payload: s.payload,
            };
            shapes.insert(name, shape);
        }
        let mut operations = IndexMap::new();
        for (key, o) in raw.operations {
            let (path, fixed_query) = route::parse_template(&o.http.request_uri);
            let op = Operation {
                name: o.name,
                method: o.http.method,
                path,
                fixed_query,
                response_code: o.http.response_code.unwrap_or(200),
                input: o.input.map(|r| r.shape),
                output: o.output.map(|r| r.shape),
                errors: o.errors.into_iter().map(|r| r.shape).collect(),
            };
            operations.insert(key, op);
        }
        let model = Self {
            signing_name: raw.metadata.signing_name,
            api_version: raw.metadata.api_version,
            operations,
            shapes,
            skipped_patterns: skipped,
        };
        model.check_references()?;
        Ok(model)
    }

    fn check_references(&self) -> Result<(), String> {
        let missing =
            |from: &str, to: &str| format!("service model: {from} names shape {to}, which is not defined");
        for (name, s) in &self.shapes {
            for (m, member) in &s.members {
                if !self.shapes.contains_key(&member.shape) {
                    return Err(missing(&format!("{name}.{m}"), &member.shape));
                }
            }
            if let Some(e) = s.member.as_ref().or(s.value.as_ref())
                && !self.shapes.contains_key(e)
            {
                return Err(missing(name, e));
            }
        }
        for op in self.operations.values() {
            for s in op.input.iter().chain(&op.output).chain(&op.errors) {
                if !self.shapes.contains_key(s) {
                    return Err(missing(&op.name, s));
                }
            }
        }
        Ok(())
    }

    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.get(name)
    }

    /// The HTTP status of a modelled exception.
    pub fn error_status(&self, exception: &str) -> Option<u16> {
        self.shapes.get(exception).and_then(|s| s.error_status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_loads_with_every_pattern_enforced() {
        let m = ServiceModel::get().unwrap();
        assert_eq!(m.signing_name, "chime");
        assert_eq!(m.operations.len(), 30);
        assert!(m.skipped_patterns.is_empty(), "{:?}", m.skipped_patterns);
        let op = m.operation("DescribeAppInstanceUserEndpoint").unwrap();
        assert_eq!(op.method, "GET");
        assert_eq!(
            op.path,
            vec![
                Segment::Literal("app-instance-users".into()),
                Segment::Label("appInstanceUserArn".into()),
                Segment::Literal("endpoints".into()),
                Segment::Label("endpointId".into())
            ]
        );
        assert_eq!(m.error_status("ThrottledClientException"), Some(429));
        let tag = m.operation("TagResource").unwrap();
        assert_eq!(tag.fixed_query, vec![("operation".to_string(), "tag-resource".to_string())]);
        assert_eq!(tag.response_code, 204);
    }

    #[test]
    fn the_pinpoint_subset_loads_with_its_six_reads_send_messages_and_payload_outputs() {
        let m = ServiceModel::pinpoint().unwrap();
        assert_eq!(m.signing_name, "mobiletargeting");
        let names: Vec<&str> = m.operations.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "GetApp",
                "GetApnsChannel",
                "GetApnsSandboxChannel",
                "GetApnsVoipChannel",
                "GetApnsVoipSandboxChannel",
                "GetGcmChannel",
                "SendMessages"
            ]
        );
        let gcm = m.operation("GetGcmChannel").unwrap();
        assert_eq!(gcm.path.last(), Some(&Segment::Literal("gcm".into())));
        assert_eq!(m.shape("GetGcmChannelResponse").unwrap().payload.as_deref(), Some("GCMChannelResponse"));
        assert_eq!(m.error_status("NotFoundException"), Some(404));
        assert_eq!(m.error_status("TooManyRequestsException"), Some(429));
    }
}
