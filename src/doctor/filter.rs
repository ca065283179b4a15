//! The client's own reading of a channel membership's FilterRule (documentation page "Using
//! filter rules to filter messages"): parse the escaped JSON string, refuse a rule the service's
//! limits refuse, and decide whether a message's MessageAttributes pass it, naming the
//! constraint that stopped it. Written apart from the emulator's on purpose: the two are held
//! against each other by a test, which a shared mistake would pass.
//!
//! What the rule is:
//! - a JSON object; each key but `$or` names a message attribute and holds a non-empty list of
//!   constraints, each either a string (the attribute holds that value) or
//!   `{"anything-but": [strings]}` (it holds none of them); a key passes when one of its
//!   constraints does (inclusive: one of its values is the string; exclusive: none of its values
//!   is listed, an absent attribute included: "any message except those containing" them);
//! - the keys are ANDed; `$or` holds a list of such objects (at most 5), one of which must pass;
//! - at most 2 KB of rule and a complexity (keys and values, `$or` and `anything-but` not
//!   counted) of at most 20. Exact string matching only: a number, a boolean or another operator
//!   is refused with the reason.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The most bytes a FilterRule may hold.
pub const MAX_RULE_BYTES: usize = 2048;
/// The most bytes a message's attributes may hold (keys and values).
pub const MAX_ATTRIBUTE_BYTES: usize = 1024;
/// The most alternatives an `$or` may hold.
pub const MAX_OR: usize = 5;
/// The most keys and values a rule may hold.
pub const MAX_COMPLEXITY: usize = 20;

/// A message's attributes: each key's `StringValues`.
pub type Attributes = BTreeMap<String, Vec<String>>;

/// Why a rule is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One constraint on an attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Match {
    Is(String),
    AnythingBut(Vec<String>),
}

/// A key and its constraints (one of which must pass).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Clause {
    key: String,
    any: Vec<Match>,
}

/// A parsed FilterRule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterRule {
    all: Vec<Clause>,
    or: Vec<Vec<Clause>>,
    complexity: usize,
}

/// Whether a message passes a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Stopped by this constraint, in words (with what the message held).
    Stopped(String),
}

fn quoted(values: &[String]) -> String {
    values.iter().map(|v| Value::String(v.clone()).to_string()).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Is(v) => write!(f, "is {}", Value::String(v.clone())),
            Self::AnythingBut(list) => write!(f, "is anything but {}", quoted(list)),
        }
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.any.iter().map(|m| format!("{} {m}", self.key)).collect();
        f.write_str(&parts.join(" or "))
    }
}

impl Match {
    fn passes(&self, values: Option<&Vec<String>>) -> bool {
        match self {
            Self::Is(v) => values.is_some_and(|vs| vs.contains(v)),
            Self::AnythingBut(list) => !values.is_some_and(|vs| vs.iter().any(|v| list.contains(v))),
        }
    }
}

impl Clause {
    /// None when it passes, else the constraint and what the message held.
    fn stops(&self, attrs: &Attributes) -> Option<String> {
        let values = attrs.get(&self.key);
        if self.any.iter().any(|m| m.passes(values)) {
            return None;
        }
        let held = match values {
            Some(vs) => format!("the message's {}: {}", self.key, quoted(vs)),
            None => format!("the message has no {} attribute", self.key),
        };
        Some(format!("{self} ({held})"))
    }
}

fn clauses_stop(clauses: &[Clause], attrs: &Attributes) -> Option<String> {
    clauses.iter().find_map(|c| c.stops(attrs))
}

fn strings(key: &str, what: &str, v: &Value) -> Result<Vec<String>, Invalid> {
    let Value::Array(items) = v else {
        return Err(Invalid(format!("{key}: {what} is not a list of strings")));
    };
    if items.is_empty() {
        return Err(Invalid(format!("{key}: {what} is an empty list")));
    }
    items
        .iter()
        .map(|i| match i {
            Value::String(s) => Ok(s.clone()),
            other => Err(Invalid(format!(
                "{key}: {other} is not a string (filter rules match exact strings only)"
            ))),
        })
        .collect()
}

fn clause(key: &str, v: &Value) -> Result<Clause, Invalid> {
    if key.is_empty() {
        return Err(Invalid("an empty attribute name".into()));
    }
    let Value::Array(items) = v else {
        return Err(Invalid(format!("{key}: its constraints are not a list (e.g. [\"Bob\"])")));
    };
    if items.is_empty() {
        return Err(Invalid(format!("{key}: an empty list of constraints")));
    }
    let mut any = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::String(s) => any.push(Match::Is(s.clone())),
            Value::Object(o) => {
                let mut keys = o.keys();
                match (keys.next().map(String::as_str), keys.next()) {
                    (Some("anything-but"), None) => {
                        let list = match &o["anything-but"] {
                            Value::String(s) => vec![s.clone()],
                            other => strings(key, "anything-but", other)?,
                        };
                        any.push(Match::AnythingBut(list));
                    }
                    (Some(op), None) => {
                        return Err(Invalid(format!(
                            "{key}: the operator {} is not supported (only exact strings and anything-but)",
                            Value::String(op.to_string())
                        )));
                    }
                    _ => {
                        return Err(Invalid(format!(
                            "{key}: a constraint object must hold exactly one operator (anything-but)"
                        )));
                    }
                }
            }
            other => {
                return Err(Invalid(format!(
                    "{key}: {other} is not a string (filter rules match exact strings only)"
                )));
            }
        }
    }
    Ok(Clause { key: key.to_string(), any })
}

fn complexity(clauses: &[Clause]) -> usize {
    clauses
        .iter()
        .map(|c| {
            1 + c
                .any
                .iter()
                .map(|m| match m {
                    Match::Is(_) => 1,
                    Match::AnythingBut(l) => l.len(),
                })
                .sum::<usize>()
        })
        .sum()
}

fn object_clauses(
    o: &Map<String, Value>,
    inside_or: bool,
) -> Result<(Vec<Clause>, Vec<Vec<Clause>>), Invalid> {
    let mut all = Vec::new();
    let mut or = Vec::new();
    for (k, v) in o {
        if k == "$or" {
            if inside_or {
                return Err(Invalid("an $or inside an $or".into()));
            }
            let Value::Array(alts) = v else {
                return Err(Invalid("$or: not a list of rules".into()));
            };
            if alts.is_empty() {
                return Err(Invalid("$or: an empty list".into()));
            }
            if alts.len() > MAX_OR {
                return Err(Invalid(format!(
                    "$or: {} constraints; at most {MAX_OR} are allowed in an OR",
                    alts.len()
                )));
            }
            for alt in alts {
                let Value::Object(ao) = alt else {
                    return Err(Invalid(format!("$or: {alt} is not a rule object")));
                };
                if ao.is_empty() {
                    return Err(Invalid("$or: an empty rule object".into()));
                }
                or.push(object_clauses(ao, true)?.0);
            }
        } else {
            all.push(clause(k, v)?);
        }
    }
    Ok((all, or))
}

impl FilterRule {
    /// Parse a FilterRule as PutChannelMembershipPreferences takes it (the escaped JSON string),
    /// or say why it is refused.
    pub fn parse(rule: &str) -> Result<Self, Invalid> {
        if rule.len() > MAX_RULE_BYTES {
            return Err(Invalid(format!(
                "the rule holds {} bytes; at most {MAX_RULE_BYTES} are allowed",
                rule.len()
            )));
        }
        let v: Value =
            serde_json::from_str(rule).map_err(|e| Invalid(format!("the rule is not valid JSON: {e}")))?;
        let Value::Object(o) = v else {
            return Err(Invalid("the rule is not a JSON object (e.g. {\"mention\":[\"Bob\"]})".into()));
        };
        if o.is_empty() {
            return Err(Invalid("the rule holds no constraint".into()));
        }
        let (all, or) = object_clauses(&o, false)?;
        let n = complexity(&all) + or.iter().map(|alt| complexity(alt)).sum::<usize>();
        if n > MAX_COMPLEXITY {
            return Err(Invalid(format!(
                "the rule's complexity (keys and values) is {n}; at most {MAX_COMPLEXITY} is allowed"
            )));
        }
        Ok(Self { all, or, complexity: n })
    }

    /// The rule's complexity: its keys and values.
    pub fn complexity(&self) -> usize {
        self.complexity
    }

    /// Whether a message with these attributes passes; if not, the constraint that stopped it.
    pub fn check(&self, attrs: &Attributes) -> Outcome {
        if let Some(why) = clauses_stop(&self.all, attrs) {
            return Outcome::Stopped(why);
        }
        if self.or.is_empty() || self.or.iter().any(|alt| clauses_stop(alt, attrs).is_none()) {
            return Outcome::Passed;
        }
        let why: Vec<String> = self.or.iter().filter_map(|alt| clauses_stop(alt, attrs)).collect();
        Outcome::Stopped(format!("none of the $or's {} alternatives: {}", self.or.len(), why.join("; ")))
    }
}

/// The bytes a message's attributes hold (keys and values).
pub fn attribute_bytes(attrs: &Attributes) -> usize {
    attrs.iter().map(|(k, vs)| k.len() + vs.iter().map(String::len).sum::<usize>()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &[&str])]) -> Attributes {
        pairs.iter().map(|(k, vs)| (k.to_string(), vs.iter().map(|v| v.to_string()).collect())).collect()
    }

    fn passes(rule: &str, a: &[(&str, &[&str])]) -> bool {
        FilterRule::parse(rule).unwrap().check(&attrs(a)) == Outcome::Passed
    }

    fn stopped(rule: &str, a: &[(&str, &[&str])]) -> String {
        match FilterRule::parse(rule).unwrap().check(&attrs(a)) {
            Outcome::Stopped(why) => why,
            Outcome::Passed => panic!("{rule} let {a:?} through"),
        }
    }

    // The documentation's examples, each with the attributes it gives.

    #[test]
    fn doc_complexity_example_is_four() {
        let r = FilterRule::parse(r#"{"type":[{"anything-but": ["Room"]}],"mention":["Bob"]}"#).unwrap();
        assert_eq!(r.complexity(), 4);
    }

    #[test]
    fn doc_inclusive_string_matching() {
        let rule = r#"{"mention":["Bob"]}"#;
        assert!(passes(rule, &[("mention", &["Bob", "Alice"])]));
        let why = stopped(rule, &[("mention", &["Tom"])]);
        assert_eq!(why, r#"mention is "Bob" (the message's mention: "Tom")"#);
    }

    #[test]
    fn doc_exclusive_string_matching() {
        let rule = r#"{"type":[{"anything-but": ["Room"]}]}"#;
        assert!(passes(rule, &[("type", &["Conversation"])]));
        let why = stopped(rule, &[("type", &["Room"])]);
        assert_eq!(why, r#"type is anything but "Room" (the message's type: "Room")"#);
    }

    #[test]
    fn doc_and_rule() {
        let rule = r#"{"type":[{"anything-but": ["Room"]}],"mention":["Bob"]}"#;
        assert!(passes(rule, &[("mention", &["Bob"]), ("type", &["Conversation"])]));
        // Each half alone stops it.
        assert!(
            stopped(rule, &[("mention", &["Bob"]), ("type", &["Room"])]).starts_with("type is anything but")
        );
        assert!(
            stopped(rule, &[("mention", &["Tom"]), ("type", &["Conversation"])]).starts_with("mention is")
        );
    }

    #[test]
    fn doc_or_rule() {
        let rule = r#"{"$or":[{"mention":["Bob"]},{"type":[{"anything-but": ["Room"]}]}]}"#;
        assert!(passes(rule, &[("mention", &["Bob"])]));
        assert!(passes(rule, &[("type", &["Conversation"])]));
        let why = stopped(rule, &[("mention", &["Tom"]), ("type", &["Room"])]);
        assert!(why.starts_with("none of the $or's 2 alternatives: mention is \"Bob\""), "{why}");
    }

    #[test]
    fn doc_rule_that_keeps_a_sender_s_own_pushes_away() {
        // The sender's membership excludes messages marked with its own ARN.
        let me = "arn:aws:chime:us-east-1:123456789012:app-instance/i/user/me";
        let rule = format!(r#"{{"type":[{{"anything-but": ["{me}"]}}]}}"#);
        assert!(!passes(&rule, &[("type", &[me])]));
        assert!(passes(
            &rule,
            &[("type", &["arn:aws:chime:us-east-1:123456789012:app-instance/i/user/other"])]
        ));
    }

    #[test]
    fn an_absent_attribute_fails_an_inclusion_and_passes_an_exclusion() {
        assert_eq!(
            stopped(r#"{"mention":["Bob"]}"#, &[]),
            "mention is \"Bob\" (the message has no mention attribute)"
        );
        assert!(passes(r#"{"type":[{"anything-but":["Room"]}]}"#, &[]));
        // A list of strings in one key is an OR; anything-but takes one string too.
        assert!(passes(r#"{"mention":["Tom","Bob"]}"#, &[("mention", &["Bob"])]));
        assert!(!passes(r#"{"type":[{"anything-but":"Room"}]}"#, &[("type", &["Room", "Chat"])]));
    }

    #[test]
    fn invalid_rules_are_refused_with_the_reason() {
        let why = |r: &str| FilterRule::parse(r).unwrap_err().0;
        assert!(why("{mention").contains("not valid JSON"));
        assert!(why(r#"["Bob"]"#).contains("not a JSON object"));
        assert!(why("{}").contains("no constraint"));
        assert!(why(r#"{"mention":"Bob"}"#).contains("not a list"));
        assert!(why(r#"{"mention":[]}"#).contains("empty list"));
        assert!(why(r#"{"n":[3]}"#).contains("exact strings only"));
        assert!(why(r#"{"n":[{"prefix":"a"}]}"#).contains("\"prefix\" is not supported"));
        assert!(why(r#"{"$or":[{"$or":[{"a":["b"]}]}]}"#).contains("$or inside an $or"));
        let six = (0..6).map(|i| format!(r#"{{"k{i}":["v"]}}"#)).collect::<Vec<_>>().join(",");
        assert!(why(&format!(r#"{{"$or":[{six}]}}"#)).contains("at most 5"));
        let five = (0..5).map(|i| format!(r#"{{"k{i}":["v"]}}"#)).collect::<Vec<_>>().join(",");
        assert!(FilterRule::parse(&format!(r#"{{"$or":[{five}]}}"#)).is_ok());
        // Complexity 20 passes, 21 does not (10 keys of one value, then one more value).
        let ten = (0..10).map(|i| format!(r#""k{i}":["v"]"#)).collect::<Vec<_>>().join(",");
        assert_eq!(FilterRule::parse(&format!("{{{ten}}}")).unwrap().complexity(), 20);
        assert!(why(&format!(r#"{{{ten},"k0x":["v"]}}"#)).contains("complexity (keys and values) is 22"));
        let big = format!(r#"{{"k":["{}"]}}"#, "v".repeat(MAX_RULE_BYTES));
        assert!(why(&big).contains("at most 2048"));
    }

    #[test]
    fn attributes_are_measured_in_bytes() {
        assert_eq!(attribute_bytes(&attrs(&[("mention", &["Bob", "Al"])])), 12);
    }
}
