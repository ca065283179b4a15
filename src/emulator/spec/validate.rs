//! A value checked against a shape: required members, types, length, pattern, enum and range,
//! reported the way AWS services word it ("1 validation error detected: Value 'x' at 'path'
//! failed to satisfy constraint: Member must …"). Sensitive values are never quoted.

use super::{Kind, ServiceModel, Shape};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// `endpointAttributes.deviceToken`
    pub path: String,
    /// The offending value as quoted in the message; None for sensitive or absent values.
    pub value: Option<String>,
    /// Absent (`Value null`), rather than present and wrong.
    pub null: bool,
    pub constraint: String,
}

impl Violation {
    pub fn text(&self) -> String {
        let value = match (&self.value, self.null) {
            (_, true) => " null".to_string(),
            (Some(v), false) => format!(" '{v}'"),
            (None, false) => String::new(),
        };
        format!("Value{value} at '{}' failed to satisfy constraint: {}", self.path, self.constraint)
    }
}

/// The message of a BadRequest for these violations.
pub fn message(violations: &[Violation]) -> String {
    let n = violations.len();
    let head = if n == 1 {
        "1 validation error detected".to_string()
    } else {
        format!("{n} validation errors detected")
    };
    let body: Vec<String> = violations.iter().map(Violation::text).collect();
    format!("{head}: {}", body.join("; "))
}

/// `AppInstanceUserArn` → `appInstanceUserArn`, as the service names members in messages.
pub fn member_path(parent: &str, member: &str) -> String {
    let mut c = member.chars();
    let lower: String = c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default();
    if parent.is_empty() { lower } else { format!("{parent}.{lower}") }
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// The member `name` of a structure's value: by a scan of its few members (a record holds about
/// ten, and comparing names is cheaper than hashing one with the map's SipHash), by the map's
/// index for a larger value.
pub fn member_of<'v>(obj: &'v serde_json::Map<String, Value>, name: &str) -> Option<&'v Value> {
    if obj.len() <= 16 { obj.iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v) } else { obj.get(name) }
}

/// Check `value` against the shape named `shape`; violations are appended to `out`.
pub fn check(model: &ServiceModel, shape: &str, value: &Value, path: &str, out: &mut Vec<Violation>) {
    check_at(model, shape, value, &|| path.to_string(), out);
}

/// A member's path, written only when a violation names it: a valid value (nearly every one, and
/// every record of a seed of 100,000 users) costs no text.
type PathOf<'a> = &'a dyn Fn() -> String;

fn check_at(model: &ServiceModel, shape: &str, value: &Value, path: PathOf<'_>, out: &mut Vec<Violation>) {
    let Some(s) = model.shape(shape) else { return };
    check_shape(model, s, value, path, out);
}

fn quoted(s: &Shape, v: &Value) -> Option<String> {
    if s.sensitive {
        return None;
    }
    Some(match v {
        Value::String(t) => t.clone(),
        other => other.to_string(),
    })
}

/// The model's `min`/`max` broken by `x` (a length or a value), as the service words them.
fn bounds(s: &Shape, x: f64, what: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(min) = s.min
        && x < min
    {
        out.push(format!("Member must have {what} greater than or equal to {}", fmt_num(min)));
    }
    if let Some(max) = s.max
        && x > max
    {
        out.push(format!("Member must have {what} less than or equal to {}", fmt_num(max)));
    }
    out
}

fn check_shape(model: &ServiceModel, s: &Shape, value: &Value, path: PathOf<'_>, out: &mut Vec<Violation>) {
    let violation =
        |constraint: String| Violation { path: path(), value: quoted(s, value), null: false, constraint };
    match s.kind {
        Kind::String => {
            let Some(text) = value.as_str() else {
                out.push(violation("Member must be a string".into()));
                return;
            };
            let len = text.chars().count() as f64;
            for c in bounds(s, len, "length") {
                out.push(violation(c));
            }
            if let Some(p) = &s.pattern
                && !p.matches(text)
            {
                out.push(violation(format!("Member must satisfy regular expression pattern: {}", p.source)));
            }
            if let Some(values) = &s.enum_values
                && !values.iter().any(|v| v == text)
            {
                out.push(violation(format!("Member must satisfy enum value set: [{}]", values.join(", "))));
            }
        }
        Kind::Integer | Kind::Long => {
            let Some(n) = value.as_i64() else {
                out.push(violation("Member must be an integer".into()));
                return;
            };
            let n = n as f64;
            for c in bounds(s, n, "value") {
                out.push(violation(c));
            }
        }
        Kind::Float => {
            if !value.is_number() {
                out.push(violation("Member must be a number".into()));
            }
        }
        Kind::Boolean => {
            if !value.is_boolean() {
                out.push(violation("Member must be a boolean".into()));
            }
        }
        Kind::Timestamp => {
            if !value.as_f64().is_some_and(f64::is_finite) {
                out.push(violation("Member must be a timestamp in epoch seconds".into()));
            }
        }
        Kind::Blob => {
            if !value.is_string() {
                out.push(violation("Member must be base64 text".into()));
            }
        }
        Kind::List => {
            let Some(items) = value.as_array() else {
                out.push(violation("Member must be a list".into()));
                return;
            };
            let len = items.len() as f64;
            for c in bounds(s, len, "length") {
                out.push(violation(c));
            }
            if let Some(element) = &s.member {
                for (i, item) in items.iter().enumerate() {
                    check_at(model, element, item, &|| format!("{}.{}.member", path(), i + 1), out);
                }
            }
        }
        Kind::Map => {
            let Some(entries) = value.as_object() else {
                out.push(violation("Member must be a map".into()));
                return;
            };
            // A key is never named in the path: some maps are keyed by secrets (device tokens).
            if let Some(v) = &s.value {
                for item in entries.values() {
                    check_at(model, v, item, &|| format!("{}.value", path()), out);
                }
            }
        }
        Kind::Structure => {
            let Some(obj) = value.as_object() else {
                out.push(violation("Member must be a structure".into()));
                return;
            };
            for (name, member) in &s.members {
                match member_of(obj, name) {
                    None | Some(Value::Null) => {
                        if s.required.contains(name) {
                            out.push(Violation {
                                path: member_path(&path(), name),
                                value: None,
                                null: true,
                                constraint: "Member must not be null".into(),
                            });
                        }
                    }
                    Some(v) => check_at(model, &member.shape, v, &|| member_path(&path(), name), out),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(shape: &str, v: Value) -> Vec<String> {
        let m = ServiceModel::get().unwrap();
        let mut out = Vec::new();
        check(m, shape, &v, "", &mut out);
        out.iter().map(Violation::text).collect()
    }

    #[test]
    fn required_length_pattern_enum_and_range() {
        let arn = "arn:aws:chime:us-east-1:1:app-instance/a/user/b";
        let e = errors(
            "RegisterAppInstanceUserEndpointRequest",
            json!({"AppInstanceUserArn": arn, "Type": "SMS", "ResourceArn": "nope",
                   "EndpointAttributes": {"DeviceToken": ""}, "ClientRequestToken": "a b"}),
        );
        assert_eq!(
            e,
            [
                "Value 'SMS' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [APNS, APNS_SANDBOX, GCM]",
                "Value 'nope' at 'resourceArn' failed to satisfy constraint: Member must have length greater than or equal to 5",
                "Value 'nope' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[a-z0-9-\\.]{1,63}:[a-z0-9-\\.]{0,63}:[a-z0-9-\\.]{0,63}:[a-z0-9-\\.]{0,63}:[^/].{0,1023}",
                "Value at 'endpointAttributes.deviceToken' failed to satisfy constraint: Member must have length greater than or equal to 1",
                "Value 'a b' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [-_a-zA-Z0-9]*",
            ]
        );
        let e = errors("ListAppInstanceUsersRequest", json!({"MaxResults": 51}));
        assert_eq!(
            e,
            [
                "Value null at 'appInstanceArn' failed to satisfy constraint: Member must not be null",
                "Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
            ]
        );
        assert!(
            errors(
                "ListAppInstanceUsersRequest",
                json!({"AppInstanceArn": "arn:aws:chime:us-east-1:1:app-instance/a "})
            )
            .is_empty()
        );
    }

    #[test]
    fn messages_count_and_join() {
        let v = Violation {
            path: "x".into(),
            value: None,
            null: true,
            constraint: "Member must not be null".into(),
        };
        assert_eq!(
            message(std::slice::from_ref(&v)),
            "1 validation error detected: Value null at 'x' failed to satisfy constraint: Member must not be null"
        );
        assert!(message(&[v.clone(), v]).starts_with("2 validation errors detected: Value null"));
    }
}
