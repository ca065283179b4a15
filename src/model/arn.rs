//! ARNs and the other inputs a person types: parsed, checked against the service model's
//! patterns and lengths, and refused with a message that says what is wrong.

/// Longest ARN the service accepts (ChimeArn max).
pub const MAX_ARN_LEN: usize = 1600;
/// Longest endpoint ID the service accepts (String64).
pub const MAX_ENDPOINT_ID_LEN: usize = 64;

/// What is wrong with something a person typed. `field` names the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct InputError {
    pub field: &'static str,
    pub problem: String,
}

impl InputError {
    fn new(field: &'static str, problem: impl Into<String>) -> Self {
        Self { field, problem: problem.into() }
    }
}

pub const USER_ARN_EXAMPLE: &str =
    "arn:aws:chime:us-east-1:123456789012:app-instance/<app-instance-id>/user/<user-id>";
pub const INSTANCE_ARN_EXAMPLE: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/<app-instance-id>";

/// The five header fields of an ARN and the resource that follows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

/// What an ARN names, as far as chimescope cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnKind {
    AppInstance { app_instance_id: String },
    User { app_instance_id: String, user_id: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedArn {
    pub arn: Arn,
    pub kind: ArnKind,
}

impl ParsedArn {
    pub fn region(&self) -> &str {
        &self.arn.region
    }
    pub fn app_instance_id(&self) -> &str {
        match &self.kind {
            ArnKind::AppInstance { app_instance_id } | ArnKind::User { app_instance_id, .. } => {
                app_instance_id
            }
        }
    }
    pub fn user_id(&self) -> Option<&str> {
        match &self.kind {
            ArnKind::User { user_id, .. } => Some(user_id),
            ArnKind::AppInstance { .. } => None,
        }
    }
    /// The app instance's ARN (for a user ARN, the instance it belongs to).
    pub fn app_instance_arn(&self) -> String {
        format!(
            "arn:{}:{}:{}:{}:app-instance/{}",
            self.arn.partition,
            self.arn.service,
            self.arn.region,
            self.arn.account,
            self.app_instance_id()
        )
    }
}

fn describe_char(c: char) -> String {
    if c.is_control() {
        format!("control character U+{:04X}", c as u32)
    } else if c.is_whitespace() {
        format!("whitespace U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

/// Reject control characters anywhere, naming the first one and where it is.
fn check_controls(field: &'static str, s: &str) -> Result<(), InputError> {
    if let Some((i, c)) = s.char_indices().find(|(_, c)| c.is_control()) {
        return Err(InputError::new(
            field,
            format!("contains a {} at position {}", describe_char(c), s[..i].chars().count() + 1),
        ));
    }
    Ok(())
}

fn header_field_ok(s: &str, min: usize) -> Result<(), char> {
    if let Some(c) =
        s.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        return Err(c);
    }
    if s.len() < min { Err(' ') } else { Ok(()) }
}

/// Check an ARN against the model's ChimeArn pattern and length, split it on its first five
/// colons (user IDs may themselves hold colons), and say exactly what is wrong when it fails.
pub fn parse_arn(field: &'static str, input: &str) -> Result<Arn, InputError> {
    if input.is_empty() {
        return Err(InputError::new(field, "is empty"));
    }
    check_controls(field, input)?;
    if input.trim() != input {
        return Err(InputError::new(field, "has leading or trailing whitespace"));
    }
    let len = input.chars().count();
    if len > MAX_ARN_LEN {
        return Err(InputError::new(
            field,
            format!("is {len} characters long; an ARN has at most {MAX_ARN_LEN}"),
        ));
    }
    if !input.starts_with("arn:") {
        return Err(InputError::new(field, "must start with \"arn:\""));
    }
    let parts: Vec<&str> = input.splitn(6, ':').collect();
    if parts.len() < 6 {
        return Err(InputError::new(
            field,
            format!(
                "has {} of the 6 colon-separated parts (arn:partition:service:region:account:resource)",
                parts.len()
            ),
        ));
    }
    let names = ["partition", "service", "region", "account ID"];
    for (i, name) in names.iter().enumerate() {
        let part = parts[i + 1];
        if part.len() > 63 {
            return Err(InputError::new(field, format!("the {name} is longer than 63 characters")));
        }
        if let Err(c) = header_field_ok(part, if i == 0 { 1 } else { 0 }) {
            return Err(InputError::new(
                field,
                if c == ' ' {
                    format!("the {name} is empty")
                } else {
                    format!(
                        "the {name} \"{part}\" holds {}; only a-z, 0-9, '-' and '.' are allowed",
                        describe_char(c)
                    )
                },
            ));
        }
    }
    let resource = parts[5];
    if resource.is_empty() {
        return Err(InputError::new(field, "the resource part after the account ID is empty"));
    }
    if resource.starts_with('/') {
        return Err(InputError::new(field, "the resource part must not start with '/'"));
    }
    if resource.chars().count() > 1024 {
        return Err(InputError::new(field, "the resource part is longer than 1024 characters"));
    }
    Ok(Arn {
        partition: parts[1].into(),
        service: parts[2].into(),
        region: parts[3].into(),
        account: parts[4].into(),
        resource: resource.into(),
    })
}

/// Parse an app-instance ARN or an app-instance-user ARN.
pub fn parse_chime_arn(field: &'static str, input: &str) -> Result<ParsedArn, InputError> {
    let arn = parse_arn(field, input)?;
    if arn.service != "chime" {
        return Err(InputError::new(
            field,
            format!("names the service \"{}\"; Chime SDK ARNs name \"chime\"", arn.service),
        ));
    }
    if arn.region.is_empty() {
        return Err(InputError::new(field, "has no region (the fourth field, e.g. us-east-1)"));
    }
    if arn.account.is_empty() {
        return Err(InputError::new(field, "has no account ID (the fifth field)"));
    }
    let Some(rest) = arn.resource.strip_prefix("app-instance/") else {
        return Err(InputError::new(
            field,
            format!("the resource must start with \"app-instance/\", not \"{}\"", short(&arn.resource)),
        ));
    };
    let (instance, user) = match rest.split_once('/') {
        None => (rest, None),
        Some((i, tail)) => match tail.strip_prefix("user/") {
            Some(u) => (i, Some(u)),
            None => {
                return Err(InputError::new(
                    field,
                    format!("after the app instance ID comes \"/user/<user-id>\", not \"/{}\"", short(tail)),
                ));
            }
        },
    };
    if instance.is_empty() {
        return Err(InputError::new(field, "the app instance ID is empty"));
    }
    let kind = match user {
        None => ArnKind::AppInstance { app_instance_id: instance.into() },
        Some("") => return Err(InputError::new(field, "the user ID after \"/user/\" is empty")),
        Some(u) => ArnKind::User { app_instance_id: instance.into(), user_id: u.into() },
    };
    Ok(ParsedArn { arn, kind })
}

/// A user ARN, or a message that says what is wrong and what a correct one looks like.
/// Beyond the ChimeArn pattern, what the service can have: a 12-digit account ID, an app
/// instance ID and a user ID of the characters they are made of ([`check_ids`]).
pub fn parse_user_arn(input: &str) -> Result<ParsedArn, InputError> {
    let p = parse_chime_arn("user ARN", input).map_err(|e| with_example(e, USER_ARN_EXAMPLE))?;
    match p.kind {
        ArnKind::User { .. } => check_ids("user ARN", p),
        ArnKind::AppInstance { .. } => Err(InputError::new(
            "user ARN",
            format!("names an app instance, not a user; expected {USER_ARN_EXAMPLE}"),
        )),
    }
}

/// An app-instance ARN (checked like [`parse_user_arn`]).
pub fn parse_instance_arn(input: &str) -> Result<ParsedArn, InputError> {
    let p = parse_chime_arn("app instance ARN", input).map_err(|e| with_example(e, INSTANCE_ARN_EXAMPLE))?;
    match p.kind {
        ArnKind::AppInstance { .. } => check_ids("app instance ARN", p),
        ArnKind::User { .. } => Err(InputError::new(
            "app instance ARN",
            format!("names a user, not an app instance; expected {INSTANCE_ARN_EXAMPLE}"),
        )),
    }
}

/// Longest user ID the service accepts (`UserId`, 1..64).
pub const MAX_USER_ID_LEN: usize = 64;

/// The parts of a Chime ARN that the ChimeArn pattern lets through but the service cannot
/// have: an account ID is exactly 12 digits; app instance IDs are made by the service (UUIDs:
/// letters, digits, '-'; '.' and '_' let through); a user ID follows the model's `UserId`
/// pattern, `[A-Za-z0-9]([A-Za-z0-9:_.@-]{0,62}[A-Za-z0-9])?` (colons allowed: Cognito
/// identity IDs), so it holds no space, comma or further `/` segment.
fn check_ids(field: &'static str, p: ParsedArn) -> Result<ParsedArn, InputError> {
    let account = &p.arn.account;
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        let what = if account.chars().all(|c| c.is_ascii_digit()) {
            format!("has {} digits", account.len())
        } else {
            let c = account.chars().find(|c| !c.is_ascii_digit()).unwrap_or(' ');
            format!("holds {}", describe_char(c))
        };
        return Err(InputError::new(
            field,
            format!("the account ID \"{}\" {what}; an AWS account ID is exactly 12 digits", short(account)),
        ));
    }
    let instance = p.app_instance_id();
    if let Some(c) = instance.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(InputError::new(
            field,
            format!(
                "the app instance ID \"{}\" holds {}; app instance IDs are letters, digits and '-' (a UUID)",
                short(instance),
                describe_char(c)
            ),
        ));
    }
    if let Some(user) = p.user_id() {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '@');
        let problem = if let Some((i, _)) = user.char_indices().find(|(_, c)| *c == '/') {
            Some(format!(
                "the user ID \"{}\" goes on after a '/' (\"{}\"); a user ARN ends at the user ID",
                short(user),
                short(&user[i..])
            ))
        } else if let Some(c) = user.chars().find(|c| !allowed(*c)) {
            Some(format!(
                "the user ID \"{}\" holds {}; user IDs are letters, digits and : - _ . @",
                short(user),
                describe_char(c)
            ))
        } else if user.chars().count() > MAX_USER_ID_LEN {
            Some(format!(
                "the user ID is {} characters long; at most {MAX_USER_ID_LEN}",
                user.chars().count()
            ))
        } else if !user.starts_with(|c: char| c.is_ascii_alphanumeric())
            || !user.ends_with(|c: char| c.is_ascii_alphanumeric())
        {
            Some(format!("the user ID \"{}\" must start and end with a letter or digit", short(user)))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(InputError::new(field, problem));
        }
    }
    Ok(p)
}

fn with_example(mut e: InputError, example: &str) -> InputError {
    e.problem = format!("{}; expected {example}", e.problem);
    e
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// An endpoint ID: 1..64 characters, no control characters, no surrounding whitespace.
pub fn validate_endpoint_id(input: &str) -> Result<(), InputError> {
    const F: &str = "endpoint ID";
    if input.is_empty() {
        return Err(InputError::new(F, "is empty"));
    }
    check_controls(F, input)?;
    if input.trim() != input {
        return Err(InputError::new(F, "has leading or trailing whitespace"));
    }
    let n = input.chars().count();
    if n > MAX_ENDPOINT_ID_LEN {
        return Err(InputError::new(
            F,
            format!("is {n} characters long; an endpoint ID has at most {MAX_ENDPOINT_ID_LEN}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";

    #[test]
    fn parses_a_user_arn() {
        let p = parse_user_arn(USER).unwrap();
        assert_eq!(p.region(), "us-east-1");
        assert_eq!(p.app_instance_id(), "abc");
        assert_eq!(p.user_id(), Some("u-42"));
        assert_eq!(p.app_instance_arn(), "arn:aws:chime:us-east-1:123456789012:app-instance/abc");
    }

    #[test]
    fn user_ids_may_hold_colons() {
        let arn = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/us-east-1:4f6c2a9e-1";
        let p = parse_user_arn(arn).unwrap();
        assert_eq!(p.user_id(), Some("us-east-1:4f6c2a9e-1"));
        assert_eq!(p.region(), "us-east-1");
    }

    #[test]
    fn explains_what_is_wrong() {
        let cases = [
            ("", "is empty"),
            ("arn:aws:chime:us-east-1", "has 4 of the 6"),
            ("arn:aws:chime:US-EAST-1:1:app-instance/a/user/b", "the region \"US-EAST-1\" holds 'U'"),
            ("arn:aws:s3:us-east-1:1:app-instance/a/user/b", "names the service \"s3\""),
            ("arn:aws:chime:us-east-1:1:/app-instance/a", "must not start with '/'"),
            ("arn:aws:chime:us-east-1:1:channel/a", "must start with \"app-instance/\""),
            ("arn:aws:chime:us-east-1:1:app-instance/a/user/", "user ID after"),
            ("arn:aws:chime:us-east-1:1:app-instance/a", "names an app instance, not a user"),
            (
                "arn:aws:chime:us-east-1:1:app-instance/a/user/b\u{1b}[31m",
                "control character U+001B at position 48",
            ),
            ("xrn:aws", "must start with \"arn:\""),
        ];
        for (input, want) in cases {
            let e = parse_user_arn(input).unwrap_err();
            assert!(e.to_string().contains(want), "{input:?}: {e}");
            assert!(e.to_string().starts_with("user ARN: "), "{e}");
        }
        let long = format!("arn:aws:chime:us-east-1:1:app-instance/a/user/{}", "x".repeat(1600));
        assert!(parse_user_arn(&long).unwrap_err().to_string().contains("at most 1600"));
    }

    #[test]
    fn refuses_what_the_service_cannot_have() {
        let arn = |account: &str, user: &str| {
            format!("arn:aws:chime:us-east-1:{account}:app-instance/abc/user/{user}")
        };
        let cases = [
            (
                arn("12345678901", "u-42"),
                "the account ID \"12345678901\" has 11 digits; an AWS account ID is exactly 12 digits",
            ),
            (arn("1234567890123", "u-42"), "has 13 digits"),
            (arn("12345678901a", "u-42"), "holds 'a'"),
            (arn("123456789012", "u 42"), "the user ID \"u 42\" holds whitespace U+0020"),
            (arn("123456789012", "u-42,"), "holds ','"),
            (arn("123456789012", "u-42, ep-9"), "holds ','"),
            (arn("123456789012", "u-42/extra"), "goes on after a '/' (\"/extra\")"),
            (arn("123456789012", "-u"), "must start and end with a letter or digit"),
            (arn("123456789012", &"u".repeat(65)), "65 characters long"),
            (
                "arn:aws:chime:us-east-1:123456789012:app-instance/a b/user/u".to_string(),
                "the app instance ID \"a b\" holds whitespace",
            ),
        ];
        for (input, want) in cases {
            let e = parse_user_arn(&input).unwrap_err();
            assert!(e.problem.contains(want), "{input:?}: {e}");
        }
        let e = parse_instance_arn("arn:aws:chime:us-east-1:1234:app-instance/abc").unwrap_err();
        assert!(e.problem.contains("exactly 12 digits"), "{e}");
        // What the service does allow keeps working: Cognito identity IDs, e-mail-like IDs.
        for user in
            ["us-east-1:4f6c2a9e-8b7d-4e3f-a1c2-9d8e7f6a5b4c", "corp:alice", "a.b_c@d", "u", &"u".repeat(64)]
        {
            let p = parse_user_arn(&arn("123456789012", user)).unwrap();
            assert_eq!(p.user_id(), Some(user));
        }
        assert!(
            parse_instance_arn("arn:aws:chime:eu-central-1:123456789012:app-instance/7f3c2b1a-5d4e").is_ok()
        );
    }

    #[test]
    fn endpoint_ids() {
        assert!(validate_endpoint_id("ep-1").is_ok());
        assert!(validate_endpoint_id(&"x".repeat(64)).is_ok());
        assert!(validate_endpoint_id(&"x".repeat(65)).unwrap_err().to_string().contains("65 characters"));
        assert!(validate_endpoint_id("").unwrap_err().to_string().contains("empty"));
        assert!(validate_endpoint_id("a\tb").unwrap_err().to_string().contains("U+0009"));
    }
}
