//! An operation's answer encoded by its output shape: members in the model's order, only the
//! members the shape has (so a full record given for a summary list becomes the summary),
//! timestamps as epoch seconds (a whole number when whole), and header-bound members moved to
//! headers.

use super::{Kind, Location, ServiceModel};
use serde_json::{Map, Value};

/// The body and the headers of an answer.
pub struct Encoded {
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
}

/// Encode `value` as the output shape `shape` (None: no output, an empty body).
pub fn encode_output(model: &ServiceModel, shape: Option<&str>, value: &Value) -> Encoded {
    let Some(name) = shape else { return Encoded { body: None, headers: Vec::new() } };
    let Some(s) = model.shape(name) else {
        return Encoded { body: Some(value.clone()), headers: Vec::new() };
    };
    // A payload member is the whole body (Pinpoint's outputs: `GetAppResponse` is the
    // `ApplicationResponse` itself, not an object holding it).
    if let Some(p) = &s.payload
        && let Some(member) = s.members.get(p)
    {
        let body = value.get(p).filter(|v| !v.is_null()).map(|v| encode(model, &member.shape, v));
        return Encoded {
            body: Some(body.unwrap_or_else(|| Value::Object(Map::new()))),
            headers: Vec::new(),
        };
    }
    let mut headers = Vec::new();
    let mut body = Map::new();
    if let Some(obj) = value.as_object() {
        for (m, member) in &s.members {
            let Some(v) = obj.get(m).filter(|v| !v.is_null()) else { continue };
            match member.location {
                Location::Header => {
                    let text = match v {
                        Value::String(t) => t.clone(),
                        other => other.to_string(),
                    };
                    headers.push((member.location_name.clone(), text));
                }
                _ => {
                    body.insert(m.clone(), encode(model, &member.shape, v));
                }
            }
        }
    }
    Encoded { body: Some(Value::Object(body)), headers }
}

/// Encode one value by its shape.
pub fn encode(model: &ServiceModel, shape: &str, value: &Value) -> Value {
    let Some(s) = model.shape(shape) else { return value.clone() };
    match (s.kind, value) {
        (Kind::Structure, Value::Object(obj)) => {
            let mut out = Map::new();
            for (m, member) in &s.members {
                if let Some(v) = obj.get(m).filter(|v| !v.is_null()) {
                    out.insert(m.clone(), encode(model, &member.shape, v));
                }
            }
            Value::Object(out)
        }
        (Kind::Map, Value::Object(entries)) => match &s.value {
            Some(v) => Value::Object(entries.iter().map(|(k, e)| (k.clone(), encode(model, v, e))).collect()),
            None => value.clone(),
        },
        (Kind::List, Value::Array(items)) => match &s.member {
            Some(e) => Value::Array(items.iter().map(|i| encode(model, e, i)).collect()),
            None => value.clone(),
        },
        (Kind::Timestamp, Value::Number(n)) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => value.clone(),
        },
        _ => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summaries_keep_only_their_members_in_model_order() {
        let m = ServiceModel::get().unwrap();
        let record = json!({"EndpointState": {"Status": "ACTIVE"}, "EndpointId": "e",
            "EndpointAttributes": {"DeviceToken": "secret"}, "CreatedTimestamp": 1700000000.0,
            "AppInstanceUserArn": "arn:x"});
        let out = encode_output(
            m,
            Some("ListAppInstanceUserEndpointsResponse"),
            &json!({"AppInstanceUserEndpoints": [record.clone()], "Bogus": 1}),
        )
        .body
        .unwrap();
        assert_eq!(
            out.to_string(),
            r#"{"AppInstanceUserEndpoints":[{"AppInstanceUserArn":"arn:x","EndpointId":"e","EndpointState":{"Status":"ACTIVE"}}]}"#
        );
        let out = encode_output(
            m,
            Some("DescribeAppInstanceUserEndpointResponse"),
            &json!({"AppInstanceUserEndpoint": record}),
        )
        .body
        .unwrap();
        assert_eq!(out["AppInstanceUserEndpoint"]["CreatedTimestamp"].to_string(), "1700000000");
        assert!(encode_output(m, None, &json!({})).body.is_none());
    }

    #[test]
    fn a_payload_member_is_the_whole_body_with_only_its_members() {
        let m = ServiceModel::pinpoint().unwrap();
        let channel = json!({"Enabled": true, "Platform": "GCM", "Bogus": 1, "Version": 3});
        let out = encode_output(m, Some("GetGcmChannelResponse"), &json!({"GCMChannelResponse": channel}))
            .body
            .unwrap();
        assert_eq!(out.to_string(), r#"{"Enabled":true,"Platform":"GCM","Version":3}"#);
    }
}
