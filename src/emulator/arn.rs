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
    // Byte by byte, no substring search: every record of a seed is split here several times.
    let rest = s.strip_prefix("arn:")?;
    let mut fields = [""; 4];
    let mut from = 0;
    for f in &mut fields {
        let colon = from + rest.as_bytes()[from..].iter().position(|&b| b == b':')?;
        *f = &rest[from..colon];
        from = colon + 1;
    }
    let [partition, service, region, account] = fields;
    Some(Arn { partition, service, region, account, resource: &rest[from..] })
}

/// `(instance ID, rest)` of `app-instance/ID/KIND/rest`: the instance ID ends at the first `/`,
/// which must start `/KIND/` (the same as splitting at the first `/KIND/` and refusing an
/// instance ID with a `/`, without searching for a substring).
fn under_instance<'a>(resource: &'a str, kind: &str) -> Option<(&'a str, &'a str)> {
    let rest = resource.strip_prefix("app-instance/")?;
    let slash = rest.as_bytes().iter().position(|&b| b == b'/')?;
    let (instance, tail) = rest.split_at(slash);
    let child = tail[1..].strip_prefix(kind)?.strip_prefix('/')?;
    (!instance.is_empty() && !child.is_empty()).then_some((instance, child))
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
    user_parts(arn).map(|(instance, user)| (instance.to_string(), user))
}

/// [`split_user`] without a copy: the instance ARN is the user ARN's start.
pub fn user_parts(arn: &str) -> Option<(&str, &str)> {
    let a = parse(arn).filter(|a| a.service == "chime")?;
    let (_, user) = under_instance(a.resource, "user")?;
    Some((&arn[..arn.len() - user.len() - "/user/".len()], user))
}

/// `(instance ARN, bot ID)` of `arn:…:app-instance/ID/bot/BID`.
pub fn split_bot(arn: &str) -> Option<(String, &str)> {
    let a = parse(arn).filter(|a| a.service == "chime")?;
    let (instance, bot) = under_instance(a.resource, "bot")?;
    if bot.contains('/') {
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

    #[test]
    fn the_byte_parse_agrees_with_splitting_on_substrings() {
        // What the parse did before it went byte by byte: split on `:` and search for `/user/`.
        fn by_search(arn: &str) -> Option<(&str, &str)> {
            let mut parts = arn.splitn(6, ':');
            let ok = parts.next()? == "arn";
            let (_, service, _, _, resource) =
                (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            let rest = resource.strip_prefix("app-instance/").filter(|_| ok && service == "chime")?;
            let (instance, user) = rest.split_once("/user/")?;
            if instance.is_empty() || instance.contains('/') || user.is_empty() {
                return None;
            }
            Some((&arn[..arn.len() - user.len() - "/user/".len()], user))
        }
        for arn in [
            "arn:aws:chime:us-east-1:1:app-instance/a/user/b",
            "arn:aws:chime:us-east-1:1:app-instance/a/user/b/user/c",
            "arn:aws:chime:us-east-1:1:app-instance/a/x/user/b",
            "arn:aws:chime:us-east-1:1:app-instance/a/user/",
            "arn:aws:chime:us-east-1:1:app-instance//user/b",
            "arn:aws:chime:us-east-1:1:app-instance/a/users/b",
            "arn:aws:chime:us-east-1:1:app-instance/a/user",
            "arn:aws:chime:us-east-1:1:app-instance/a/bot/b",
            "arn:aws:chime:us-east-1:1:app-instance/a:b/user/c:d",
            "arn:aws:chime:us-east-1:app-instance/a/user/b",
            "arn:aws:chime:us-east-1:1",
            "arn:aws:mobiletargeting:us-east-1:1:app-instance/a/user/b",
            "arn::chime:::app-instance/a/user/b",
            "arnx:aws:chime:us-east-1:1:app-instance/a/user/b",
            "arn",
            "",
        ] {
            assert_eq!(user_parts(arn), by_search(arn), "{arn}");
        }
        assert_eq!(split_bot("arn:aws:chime:us-east-1:1:app-instance/x/bot/b/c"), None);
        assert_eq!(split_bot("arn:aws:chime:us-east-1:1:app-instance/x/y/bot/b"), None);
        let a = parse("arn:aws:chime:us-east-1:1:app-instance/a/user/b:c").unwrap();
        assert_eq!(
            (a.partition, a.service, a.region, a.account, a.resource),
            ("aws", "chime", "us-east-1", "1", "app-instance/a/user/b:c")
        );
    }
}
