//! The push half of the emulator: what the providers answer for a token (`provider`), Pinpoint
//! SendMessages (`send`), simulated delivery of a channel message's push to one endpoint
//! (`deliver`), and the push log it writes (`log`), with their admin API:
//! - `POST /_chimescope/push-outcomes` `{"PushOutcomes": [{"Token", "Outcome"}]}` replaces the
//!   outcomes set for tokens (checked as the seed's are; the answer counts them, never names a
//!   token);
//! - `GET /_chimescope/pushes[?channel-arn=A][&message-id=M][&member-arn=U][&since=SEQ][&limit=N]`
//!   `{"Pushes": [line…], "NextSince": SEQ, "More": bool}`, paged as the request log is.

pub mod deliver;
pub mod log;
pub mod provider;
pub mod send;

pub use deliver::{Note, Push, deliver, note};
pub use log::{Line, Outcome};

use serde_json::Value;

/// Tokens given an outcome, at most.
pub const MAX_OUTCOMES: usize = 10_000;

/// One `PushOutcomes` entry checked: `(token, outcome)`, or why not (never quoting the token).
pub fn outcome_entry(v: &Value) -> Result<(String, String), String> {
    let Some(obj) = v.as_object() else { return Err("each entry of PushOutcomes is an object".into()) };
    if let Some(k) = obj.keys().find(|k| !matches!(k.as_str(), "Token" | "Outcome")) {
        return Err(format!(
            "unknown field {:?} in a PushOutcomes entry, expected Token and Outcome",
            k.chars().take(60).collect::<String>()
        ));
    }
    let token = obj.get("Token").and_then(Value::as_str).unwrap_or("");
    if token.is_empty() || token.len() > provider::MAX_TOKEN || token.chars().any(char::is_control) {
        return Err(format!(
            "a PushOutcomes entry needs a Token: 1 to {} characters, no control characters",
            provider::MAX_TOKEN
        ));
    }
    let outcome =
        obj.get("Outcome").and_then(Value::as_str).ok_or("a PushOutcomes entry needs an Outcome")?;
    provider::check_outcome(outcome)?;
    Ok((token.to_string(), outcome.to_string()))
}

/// A whole `PushOutcomes` list checked: at most `MAX_OUTCOMES`, each token once. On error, the
/// index of the entry and why.
pub fn outcome_list(items: &[Value]) -> Result<Vec<(String, String)>, (usize, String)> {
    if items.len() > MAX_OUTCOMES {
        return Err((MAX_OUTCOMES, format!("more than {MAX_OUTCOMES} PushOutcomes")));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let (token, outcome) = outcome_entry(v).map_err(|e| (i, e))?;
        if !seen.insert(token.clone()) {
            return Err((i, "a token appears twice in PushOutcomes".into()));
        }
        out.push((token, outcome));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outcome_lists_are_checked_without_quoting_tokens() {
        let ok = outcome_list(&[json!({"Token": "abc", "Outcome": "Unregistered"})]).unwrap();
        assert_eq!(ok, [("abc".to_string(), "Unregistered".to_string())]);
        let twice = [
            json!({"Token": "s3cret", "Outcome": "UNAVAILABLE"}),
            json!({"Token": "s3cret", "Outcome": "UNAVAILABLE"}),
        ];
        let (i, why) = outcome_list(&twice).unwrap_err();
        assert_eq!(i, 1);
        assert!(!why.contains("s3cret"), "{why}");
        let (_, why) = outcome_list(&[json!({"Token": "s3cret", "Outcome": "Gone"})]).unwrap_err();
        assert!(why.contains("unknown Outcome \"Gone\"") && !why.contains("s3cret"), "{why}");
        assert!(outcome_entry(&json!({"Token": "", "Outcome": "Unregistered"})).is_err());
        assert!(outcome_entry(&json!({"Token": "a", "Outcome": "Unregistered", "X": 1})).is_err());
    }
}
