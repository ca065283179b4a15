//! Chime SDK Messaging, as far as the doctor's membership gate reads it: a user's channel
//! memberships, its push preferences on a channel, and a message's attributes. SDK types are
//! converted into these in `aws::messaging`; the message's content is never kept.

use std::collections::BTreeMap;

/// The longest channel ARN the model allows (`ChimeArn`, 5..1600).
const MAX_ARN_LEN: usize = 1600;

/// One membership of a user (ListChannelMembershipsForAppInstanceUser,
/// DescribeChannelMembershipForAppInstanceUser).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelMembership {
    pub channel_arn: String,
    pub channel_name: Option<String>,
    /// UNRESTRICTED or RESTRICTED.
    pub mode: Option<String>,
    /// PUBLIC or PRIVATE.
    pub privacy: Option<String>,
    /// DEFAULT or HIDDEN.
    pub membership_type: Option<String>,
}

/// A member's push preferences on a channel (GetChannelMembershipPreferences); both absent when
/// the member never set any (the service then pushes every message: ALL).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PushPreferences {
    /// ALL, NONE or FILTERED.
    pub allow_notifications: Option<String>,
    /// The escaped JSON string of a FILTERED preference.
    pub filter_rule: Option<String>,
}

/// One membership of a user with its push preferences, as the doctor and the browser read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberOf {
    pub membership: ChannelMembership,
    pub preferences: PushPreferences,
}

/// What the doctor reads of a channel message (GetChannelMessage): never its content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageInfo {
    pub channel_arn: String,
    pub message_id: String,
    pub sender_arn: Option<String>,
    /// Each attribute's `StringValues`.
    pub attributes: BTreeMap<String, Vec<String>>,
}

/// A channel ARN (`arn:PARTITION:chime:REGION:ACCOUNT:app-instance/ID/channel/ID`): its region, or
/// what is wrong with it.
pub fn channel_region(arn: &str) -> Result<&str, String> {
    const EXAMPLE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/ID/channel/ID";
    if arn.len() < 5 || arn.len() > MAX_ARN_LEN {
        return Err(format!("a channel ARN holds 5 to {MAX_ARN_LEN} characters; expected e.g. {EXAMPLE}"));
    }
    if arn.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("a channel ARN holds no spaces or control characters; expected e.g. {EXAMPLE}"));
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6 && parts[0] == "arn" && parts[2] == "chime" && !parts[3].is_empty();
    let resource: Vec<&str> = parts.get(5).map(|r| r.split('/').collect()).unwrap_or_default();
    let shaped = resource.len() == 4
        && resource[0] == "app-instance"
        && resource[2] == "channel"
        && !resource[1].is_empty()
        && !resource[3].is_empty();
    if !(ok && shaped) {
        return Err(format!("not a channel ARN; expected e.g. {EXAMPLE}"));
    }
    Ok(parts[3])
}

/// A message ID as the model allows it: 1 to 128 of `-_a-zA-Z0-9`.
pub fn validate_message_id(id: &str) -> Result<(), String> {
    let ok = (1..=128).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(()) } else { Err("a message ID holds 1 to 128 of the characters a-z A-Z 0-9 - _".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_arns_are_checked_and_give_their_region() {
        let a = "arn:aws:chime:eu-central-1:123456789012:app-instance/i-1/channel/c-1";
        assert_eq!(channel_region(a), Ok("eu-central-1"));
        assert!(channel_region("arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/u").is_err());
        assert!(channel_region("arn:aws:chime:us-east-1:1:app-instance/i/channel/c d").is_err());
        assert!(validate_message_id("abc-_1").is_ok());
        assert!(validate_message_id("a b").is_err());
        assert!(validate_message_id("").is_err());
    }
}
