//! The service's ARNs, as the emulator reads them: `arn:PARTITION:chime:REGION:ACCOUNT:RESOURCE`,
//! split on the first five colons (user IDs may hold colons), with resources
//! `app-instance/ID`, `app-instance/ID/user/ID` and `app-instance/ID/bot/ID`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

pub fn parse(s: &str) -> Option<Arn<'_>> {
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    Some(Arn { partition, service, region, account, resource })
}

/// `(region, account, app ID)` of a Pinpoint app, `arn:…:mobiletargeting:REGION:ACCOUNT:apps/ID`.
pub fn pinpoint_app(arn: &str) -> Option<(&str, &str, &str)> {
    let a = parse(arn).filter(|a| a.service == "mobiletargeting")?;
    let id = a.resource.strip_prefix("apps/")?;
    let ok = !a.region.is_empty() && !a.account.is_empty() && !id.is_empty() && !id.contains('/');
    ok.then_some((a.region, a.account, id))
}

/// The app instance ID of `arn:…:app-instance/ID`.
pub fn instance_id(arn: &str) -> Option<&str> {
    let a = parse(arn).filter(|a| a.service == "chime")?;
    let id = a.resource.strip_prefix("app-instance/")?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

/// `(instance ARN, user ID)` of `arn:…:app-instance/ID/user/UID`.
pub fn split_user(arn: &str) -> Option<(String, &str)> {
    let a = parse(arn).filter(|a| a.service == "chime")?;
    let rest = a.resource.strip_prefix("app-instance/")?;
    let (instance, user) = rest.split_once("/user/")?;
    if instance.is_empty() || instance.contains('/') || user.is_empty() {
        return None;
    }
    Some((format!("arn:{}:chime:{}:{}:app-instance/{instance}", a.partition, a.region, a.account), user))
}

/// [`split_user`] without a copy: the instance ARN is the user ARN's start.
pub fn user_parts(arn: &str) -> Option<(&str, &str)> {
    let a = parse(arn).filter(|a| a.service == "chime")?;
    let rest = a.resource.strip_prefix("app-instance/")?;
    let (instance, user) = rest.split_once("/user/")?;
    if instance.is_empty() || instance.contains('/') || user.is_empty() {
        return None;
    }
    Some((&arn[..arn.len() - user.len() - "/user/".len()], user))
}

/// `(instance ARN, bot ID)` of `arn:…:app-instance/ID/bot/BID`.
pub fn split_bot(arn: &str) -> Option<(String, &str)> {
    let a = parse(arn).filter(|a| a.service == "chime")?;
    let rest = a.resource.strip_prefix("app-instance/")?;
    let (instance, bot) = rest.split_once("/bot/")?;
    if instance.is_empty() || instance.contains('/') || bot.is_empty() || bot.contains('/') {
        return None;
    }
    Some((format!("arn:{}:chime:{}:{}:app-instance/{instance}", a.partition, a.region, a.account), bot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_split_on_the_first_colons_only() {
        let arn = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/us-east-1:4f6c";
        assert_eq!(
            split_user(arn),
            Some(("arn:aws:chime:us-east-1:123456789012:app-instance/i-1".to_string(), "us-east-1:4f6c"))
        );
        assert_eq!(instance_id("arn:aws:chime:eu-central-1:1:app-instance/x"), Some("x"));
        assert_eq!(instance_id("arn:aws:chime:eu-central-1:1:app-instance/x/user/y"), None);
        assert_eq!(split_user("arn:aws:chime:us-east-1:1:bogus"), None);
        let (i, u) = split_user(arn).unwrap();
        assert_eq!(user_parts(arn), Some((i.as_str(), u)));
        assert_eq!(
            split_bot("arn:aws:chime:us-east-1:1:app-instance/x/bot/b"),
            Some(("arn:aws:chime:us-east-1:1:app-instance/x".to_string(), "b"))
        );
        assert_eq!(split_bot("arn:aws:chime:us-east-1:1:app-instance/x/user/b"), None);
    }
}
