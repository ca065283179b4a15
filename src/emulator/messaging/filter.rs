//! The emulator's own FilterRule evaluator (the client has its own: the two never share code).
//!
//! A rule is an escaped JSON string holding an object: each key names a message attribute and
//! holds a list of constraints, any of which may match (a string: exact match; `{"anything-but":
//! [..]}`: none of these); keys are ANDed; `"$or": [rule, …]` (at most five) matches when any of
//! its rules does. A message attribute is `{"StringValues": [..]}`; an exact constraint matches
//! when one of its values is the string; `anything-but` matches when none is (an attribute the
//! message does not carry is none of them). Limits: 2 KB of rule, 1 KB of attributes,
//! complexity (keys plus values, the operators `$or` and `anything-but` not counted) at most 20.

use serde_json::{Map, Value};

pub const MAX_RULE_BYTES: usize = 2048;
pub const MAX_ATTRIBUTE_BYTES: usize = 1024;
pub const MAX_OR: usize = 5;
pub const MAX_COMPLEXITY: usize = 20;

#[derive(Clone, Debug, PartialEq)]
enum Match {
    Exact(String),
    AnythingBut(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
enum Cond {
    Key { key: String, any: Vec<Match> },
    Or(Vec<Rule>),
}

/// A parsed rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    all: Vec<Cond>,
}

/// Parse and check a FilterRule; why not, in words for a BadRequestException.
pub fn parse(text: &str) -> Result<Rule, String> {
    if text.len() > MAX_RULE_BYTES {
        return Err(format!("FilterRule is {} bytes: at most {MAX_RULE_BYTES} are allowed", text.len()));
    }
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("FilterRule is not an escaped JSON object: {e}"))?;
    let Value::Object(o) = v else { return Err("FilterRule must be a JSON object".into()) };
    let mut complexity = 0;
    let rule = object(&o, &mut complexity)?;
    if complexity > MAX_COMPLEXITY {
        return Err(format!(
            "FilterRule has complexity {complexity} (keys plus values): at most {MAX_COMPLEXITY} is allowed"
        ));
    }
    Ok(rule)
}

fn object(o: &Map<String, Value>, complexity: &mut usize) -> Result<Rule, String> {
    if o.is_empty() {
        return Err("FilterRule has an empty object: name at least one attribute".into());
    }
    let mut all = Vec::new();
    for (k, v) in o {
        if k == "$or" {
            let Some(items) = v.as_array().filter(|a| !a.is_empty()) else {
                return Err("FilterRule: \"$or\" must hold a list of rules".into());
            };
            if items.len() > MAX_OR {
                return Err(format!(
                    "FilterRule: \"$or\" has {} constraints: at most {MAX_OR} are allowed",
                    items.len()
                ));
            }
            let mut rules = Vec::new();
            for i in items {
                let Value::Object(inner) = i else {
                    return Err("FilterRule: each entry of \"$or\" must be a JSON object".into());
                };
                rules.push(object(inner, complexity)?);
            }
            all.push(Cond::Or(rules));
            continue;
        }
        *complexity += 1;
        let Some(items) = v.as_array().filter(|a| !a.is_empty()) else {
            return Err(format!("FilterRule: {k:?} must hold a non-empty list of strings"));
        };
        let mut any = Vec::new();
        for i in items {
            match i {
                Value::String(s) => {
                    *complexity += 1;
                    any.push(Match::Exact(s.clone()));
                }
                Value::Object(m) if m.len() == 1 && m.contains_key("anything-but") => {
                    let values: Vec<String> = match &m["anything-but"] {
                        Value::String(s) => vec![s.clone()],
                        Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_string) => {
                            a.iter().filter_map(Value::as_str).map(str::to_string).collect()
                        }
                        _ => {
                            return Err(format!(
                                "FilterRule: \"anything-but\" under {k:?} must hold a string or a list of strings"
                            ));
                        }
                    };
                    *complexity += values.len();
                    any.push(Match::AnythingBut(values));
                }
                _ => {
                    return Err(format!(
                        "FilterRule: {k:?} holds a constraint that is not supported: only exact string \
                         matching and \"anything-but\" are"
                    ));
                }
            }
        }
        all.push(Cond::Key { key: k.clone(), any });
    }
    Ok(Rule { all })
}

/// The bytes of a message's attributes (keys and values), as the 1 KB limit counts them.
pub fn attributes_size(attrs: &Value) -> usize {
    attrs.as_object().map_or(0, |o| {
        o.iter()
            .map(|(k, v)| {
                k.len()
                    + v.get("StringValues")
                        .and_then(Value::as_array)
                        .map_or(0, |a| a.iter().filter_map(Value::as_str).map(str::len).sum())
            })
            .sum()
    })
}

fn values<'a>(attrs: &'a Value, key: &str) -> Vec<&'a str> {
    attrs
        .get(key)
        .and_then(|a| a.get("StringValues"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

impl Rule {
    /// Whether a message with these `MessageAttributes` passes; when not, the constraint that
    /// failed, named by its attribute key only (the rule itself is sensitive).
    pub fn check(&self, attrs: &Value) -> Result<(), String> {
        for c in &self.all {
            match c {
                Cond::Key { key, any } => {
                    let have = values(attrs, key);
                    let ok = any.iter().any(|m| match m {
                        Match::Exact(s) => have.contains(&s.as_str()),
                        Match::AnythingBut(no) => !have.iter().any(|h| no.iter().any(|n| n == h)),
                    });
                    if !ok {
                        return Err(if have.is_empty() {
                            format!(
                                "the filter rule's constraint on {key:?} does not match: the message has no {key:?} attribute"
                            )
                        } else {
                            format!(
                                "the filter rule's constraint on {key:?} does not match the message's {key:?} attribute"
                            )
                        });
                    }
                }
                Cond::Or(rules) => {
                    if !rules.iter().any(|r| r.check(attrs).is_ok()) {
                        return Err(format!(
                            "none of the {} rules of the filter rule's \"$or\" matches the message's attributes",
                            rules.len()
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn passes(rule: &str, attrs: Value) -> bool {
        parse(rule).unwrap().check(&attrs).is_ok()
    }

    #[test]
    fn the_documented_complexity_example_is_four_and_evaluates() {
        // "FilterRule": "{\"type\":[{\"anything-but\": [\"Room\"]}],\"mention\":[\"Bob\"]}": complexity 4.
        let rule = r#"{"type":[{"anything-but": ["Room"]}],"mention":["Bob"]}"#;
        let mut c = 0;
        let Value::Object(o) = serde_json::from_str::<Value>(rule).unwrap() else { panic!() };
        object(&o, &mut c).unwrap();
        assert_eq!(c, 4);
        assert!(passes(
            rule,
            json!({"type": {"StringValues": ["DM"]}, "mention": {"StringValues": ["Bob"]}})
        ));
        assert!(!passes(
            rule,
            json!({"type": {"StringValues": ["Room"]}, "mention": {"StringValues": ["Bob"]}})
        ));
        assert!(!passes(
            rule,
            json!({"type": {"StringValues": ["DM"]}, "mention": {"StringValues": ["Alice"]}})
        ));
    }

    #[test]
    fn the_documented_sender_exclusion_example() {
        // The documentation's first example: a member with this rule still receives a message
        // whose attributes are {"senderId": {"StringValues": ["USER_ARN"]}} (no "type"), and not
        // one whose "type" is USER_ARN.
        let rule = r#"{"type":[{"anything-but": ["USER_ARN"]}]}"#;
        assert!(passes(rule, json!({"senderId": {"StringValues": ["USER_ARN"]}})));
        let e = parse(rule).unwrap().check(&json!({"type": {"StringValues": ["USER_ARN"]}})).unwrap_err();
        assert!(e.contains("\"type\"") && !e.contains("USER_ARN"), "{e}");
    }

    #[test]
    fn the_documented_inclusion_example() {
        let rule = r#"{"mention":["Bob"]}"#;
        assert!(passes(rule, json!({"mention": {"StringValues": ["Bob"]}})));
        assert!(!passes(rule, json!({"mention": {"StringValues": ["Bobby"]}})), "exact matching only");
        let e = parse(rule).unwrap().check(&json!({})).unwrap_err();
        assert!(e.contains("no \"mention\" attribute"), "{e}");
    }

    #[test]
    fn or_of_at_most_five_and_several_values_or_within_a_key() {
        let rule = r#"{"$or":[{"mention":["Bob"]},{"type":["Urgent","Alert"]}]}"#;
        assert!(passes(rule, json!({"mention": {"StringValues": ["Bob"]}})));
        assert!(passes(rule, json!({"type": {"StringValues": ["Alert"]}})));
        assert!(!passes(rule, json!({"type": {"StringValues": ["Chat"]}})));
        let six = format!("{{\"$or\":[{}]}}", [r#"{"a":["b"]}"#; 6].join(","));
        assert!(parse(&six).unwrap_err().contains("at most 5"));
        let five = format!("{{\"$or\":[{}]}}", [r#"{"a":["b"]}"#; 5].join(","));
        assert!(parse(&five).is_ok());
    }

    #[test]
    fn limits_and_malformed_rules_are_refused() {
        let values: Vec<String> = (0..20).map(|i| format!("\"v{i}\"")).collect();
        let over = format!("{{\"k\":[{}]}}", values.join(","));
        assert!(parse(&over).unwrap_err().contains("complexity 21"));
        let at = format!("{{\"k\":[{}]}}", values[..19].join(","));
        assert!(parse(&at).is_ok());
        let big = format!("{{\"k\":[\"{}\"]}}", "x".repeat(MAX_RULE_BYTES));
        assert!(parse(&big).unwrap_err().contains("bytes"));
        assert!(parse("not json").is_err());
        assert!(parse("[]").is_err());
        assert!(parse(r#"{"k":[1]}"#).unwrap_err().contains("not supported"));
        assert!(parse(r#"{"k":[{"prefix":"a"}]}"#).is_err());
        assert!(parse(r#"{"k":[]}"#).is_err());
        assert_eq!(attributes_size(&json!({"ab": {"StringValues": ["cd", "e"]}})), 5);
    }
}
