//! The membership gate: whether a user's membership of a channel lets a push through (its
//! preferences: ALL, NONE, or FILTERED with a FilterRule matched against the message's
//! attributes by [`super::filter`]). Pure: the reads are made by the caller.

use super::filter::{FilterRule, Outcome};
use super::{Code, Finding, Severity};
use crate::model::messaging::{MessageInfo, PushPreferences};

/// What the gate says of one message (or, without one, of the preference alone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GateResult {
    /// Not a member: nothing of the channel reaches the user.
    NotMember,
    /// ALL (or no preference set): every push of the channel.
    All,
    /// NONE: no push of the channel.
    Muted,
    /// FILTERED, and no message to match the rule against.
    Filtered,
    /// FILTERED, and the message passed the rule.
    Passed,
    /// FILTERED, and the message was stopped by this constraint.
    Stopped(String),
    /// FILTERED with a rule this client cannot read, and why.
    Invalid(String),
}

impl GateResult {
    /// ✓, ✗ or ? as a word for the trace: pass, fail, unknown.
    pub fn word(&self) -> &'static str {
        match self {
            Self::All | Self::Passed => "pass",
            Self::NotMember | Self::Muted | Self::Stopped(_) => "fail",
            Self::Filtered | Self::Invalid(_) => "depends on the message",
        }
    }
}

/// The gate of one membership for `message` (None: the preference alone).
pub fn gate(member: bool, prefs: &PushPreferences, message: Option<&MessageInfo>) -> GateResult {
    if !member {
        return GateResult::NotMember;
    }
    match prefs.allow_notifications.as_deref() {
        Some("NONE") => GateResult::Muted,
        Some("FILTERED") => {
            let rule = match prefs.filter_rule.as_deref() {
                Some(r) if !r.trim().is_empty() => FilterRule::parse(r),
                _ => return GateResult::Invalid("FILTERED without a FilterRule".into()),
            };
            match (rule, message) {
                (Err(e), _) => GateResult::Invalid(e.0),
                (Ok(_), None) => GateResult::Filtered,
                (Ok(r), Some(m)) => match r.check(&m.attributes) {
                    Outcome::Passed => GateResult::Passed,
                    Outcome::Stopped(why) => GateResult::Stopped(why),
                },
            }
        }
        // ALL, or nothing set (the service's default).
        _ => GateResult::All,
    }
}

/// The findings of a gate result on `channel_arn`. `named`: the channel was asked about
/// (`--channel-arn`), so a muted channel is why its pushes do not arrive (an error); among all the
/// user's memberships it is the user's choice on one channel (a warning).
pub fn findings(
    result: &GateResult,
    channel_arn: &str,
    prefs: &PushPreferences,
    named: bool,
) -> Vec<Finding> {
    let rule = prefs.filter_rule.as_deref().unwrap_or("");
    let f = match result {
        GateResult::All => return vec![],
        GateResult::NotMember => Finding::new(
            Code::NotAMember,
            "the user is not a member of the channel: none of its messages is pushed to the user".into(),
            format!("DescribeChannelMembershipForAppInstanceUser on {channel_arn}: NotFound"),
        ),
        GateResult::Muted => {
            let f = Finding::new(
                Code::ChannelMuted,
                "the user muted the channel: its preferences push nothing (AllowNotifications NONE)".into(),
                format!("{channel_arn}: AllowNotifications NONE"),
            );
            if named { f } else { f.graded(Severity::Warning) }
        }
        GateResult::Filtered => Finding::new(
            Code::ChannelFiltered,
            "the channel is FILTERED: only messages whose attributes pass the rule are pushed".into(),
            format!("{channel_arn}: FilterRule {rule}"),
        ),
        GateResult::Passed => Finding::new(
            Code::ChannelFiltered,
            "the channel is FILTERED, and this message's attributes pass the rule".into(),
            format!("{channel_arn}: FilterRule {rule}"),
        )
        .graded(Severity::Info),
        GateResult::Stopped(why) => Finding::new(
            Code::ChannelFiltered,
            format!("the channel is FILTERED, and this message's attributes do not pass the rule: {why}"),
            format!("{channel_arn}: FilterRule {rule}"),
        )
        .graded(Severity::Error),
        GateResult::Invalid(why) => Finding::new(
            Code::FilterRuleInvalid,
            format!("the membership's FilterRule cannot be read: {why}"),
            format!("{channel_arn}: FilterRule {rule}"),
        ),
    };
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefs(allow: &str, rule: Option<&str>) -> PushPreferences {
        PushPreferences { allow_notifications: Some(allow.into()), filter_rule: rule.map(str::to_string) }
    }

    fn message(pairs: &[(&str, &str)]) -> MessageInfo {
        MessageInfo {
            attributes: pairs.iter().map(|(k, v)| (k.to_string(), vec![v.to_string()])).collect(),
            ..MessageInfo::default()
        }
    }

    #[test]
    fn each_preference_has_its_result_and_finding() {
        let c = "arn:c";
        let none = PushPreferences::default();
        assert_eq!(gate(true, &none, None), GateResult::All, "no preference set is ALL");
        assert!(findings(&gate(true, &none, None), c, &none, true).is_empty());
        let muted = prefs("NONE", None);
        let f = findings(&gate(true, &muted, None), c, &muted, true);
        assert_eq!((f[0].code, f[0].severity), (Code::ChannelMuted, Severity::Error));
        let f = findings(&gate(true, &muted, None), c, &muted, false);
        assert_eq!(f[0].severity, Severity::Warning, "one channel among all the user's");
        let f = findings(&gate(false, &none, None), c, &none, true);
        assert_eq!((f[0].code, f[0].severity), (Code::NotAMember, Severity::Error));

        let filtered = prefs("FILTERED", Some(r#"{"mention":["Bob"]}"#));
        let f = findings(&gate(true, &filtered, None), c, &filtered, true);
        assert_eq!((f[0].code, f[0].severity), (Code::ChannelFiltered, Severity::Warning));
        let passed = gate(true, &filtered, Some(&message(&[("mention", "Bob")])));
        assert_eq!(passed, GateResult::Passed);
        assert_eq!(findings(&passed, c, &filtered, true)[0].severity, Severity::Info);
        let stopped = gate(true, &filtered, Some(&message(&[("mention", "Tom")])));
        let f = findings(&stopped, c, &filtered, true);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(
            f[0].message.contains(r#"mention is "Bob" (the message's mention: "Tom")"#),
            "{}",
            f[0].message
        );

        let bad = prefs("FILTERED", Some("{mention"));
        let f = findings(&gate(true, &bad, None), c, &bad, true);
        assert_eq!(f[0].code, Code::FilterRuleInvalid);
        assert!(f[0].message.contains("not valid JSON"));
        assert_eq!(
            gate(true, &prefs("FILTERED", None), None),
            GateResult::Invalid("FILTERED without a FilterRule".into())
        );
    }
}
