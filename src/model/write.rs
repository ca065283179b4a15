//! The three endpoint writes (register, update, deregister) as the domain sees them: what each
//! carries, checked field by field against the service model before anything is sent, with a
//! message naming the field. The one-shot commands and the browser's forms share these checks.

use super::arn::{InputError, parse_arn, parse_user_arn, validate_endpoint_id};
use super::endpoint::{AllowMessages, Endpoint, EndpointType};

/// Longest Name, DeviceToken and VoipDeviceToken (SensitiveString1600 / NonEmptySensitiveString1600).
pub const MAX_SECRET_LEN: usize = 1600;
/// ClientRequestToken: 2..64 of `[-_a-zA-Z0-9]`.
pub const TOKEN_MIN: usize = 2;
pub const TOKEN_MAX: usize = 64;

/// Operation names, as the service model spells them (and as IAM names the actions, after
/// `chime:`).
pub const REGISTER: &str = "RegisterAppInstanceUserEndpoint";
pub const UPDATE: &str = "UpdateAppInstanceUserEndpoint";
pub const DEREGISTER: &str = "DeregisterAppInstanceUserEndpoint";

/// RegisterAppInstanceUserEndpoint's input. Its `Debug` form masks Name and the tokens (a
/// query may end up in a log line or a panic message).
#[derive(Clone, PartialEq, Eq)]
pub struct Registration {
    pub user_arn: String,
    pub endpoint_type: EndpointType,
    /// The Pinpoint app's ARN.
    pub resource_arn: String,
    /// Sensitive.
    pub device_token: String,
    /// Sensitive.
    pub voip_device_token: Option<String>,
    /// Sensitive.
    pub name: Option<String>,
    pub allow_messages: Option<AllowMessages>,
    /// The idempotency token: the same token with the same input is answered as the first time.
    pub client_request_token: String,
}

/// UpdateAppInstanceUserEndpoint's input: only Name and AllowMessages change. `Debug` masks
/// the Name.
#[derive(Clone, PartialEq, Eq)]
pub struct EndpointUpdate {
    pub user_arn: String,
    pub endpoint_id: String,
    pub name: Option<String>,
    pub allow_messages: Option<AllowMessages>,
}

/// How a secret shows in `Debug`: its length only.
struct Secret<'a>(Option<&'a str>);

impl std::fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(s) => write!(f, "<{} chars>", s.chars().count()),
            None => f.write_str("None"),
        }
    }
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("user_arn", &self.user_arn)
            .field("endpoint_type", &self.endpoint_type)
            .field("resource_arn", &self.resource_arn)
            .field("device_token", &Secret(Some(&self.device_token)))
            .field("voip_device_token", &Secret(self.voip_device_token.as_deref()))
            .field("name", &Secret(self.name.as_deref()))
            .field("allow_messages", &self.allow_messages)
            .field("client_request_token", &self.client_request_token)
            .finish()
    }
}

impl std::fmt::Debug for EndpointUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndpointUpdate")
            .field("user_arn", &self.user_arn)
            .field("endpoint_id", &self.endpoint_id)
            .field("name", &Secret(self.name.as_deref()))
            .field("allow_messages", &self.allow_messages)
            .finish()
    }
}

/// One write of an endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    Register(Registration),
    Update(EndpointUpdate),
    Deregister { user_arn: String, endpoint_id: String },
}

/// What a write answered: RegisterAppInstanceUserEndpoint and Update answer the user's ARN and
/// the endpoint's ID; Deregister answers nothing (the IDs are the request's), and the record
/// it removed (read just before) comes with it, so that it can be registered again.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    pub user_arn: String,
    pub endpoint_id: String,
    pub removed: Option<Box<Endpoint>>,
}

impl Write {
    /// The operation's name (also the IAM action after `chime:`).
    pub fn operation(&self) -> &'static str {
        match self {
            Write::Register(_) => REGISTER,
            Write::Update(_) => UPDATE,
            Write::Deregister { .. } => DEREGISTER,
        }
    }

    /// The AWS CLI's name of the operation.
    pub fn cli_operation(&self) -> &'static str {
        match self {
            Write::Register(_) => "register-app-instance-user-endpoint",
            Write::Update(_) => "update-app-instance-user-endpoint",
            Write::Deregister { .. } => "deregister-app-instance-user-endpoint",
        }
    }

    pub fn user_arn(&self) -> &str {
        match self {
            Write::Register(r) => &r.user_arn,
            Write::Update(u) => &u.user_arn,
            Write::Deregister { user_arn, .. } => user_arn,
        }
    }

    /// The endpoint written, when known before the answer (not for a registration).
    pub fn endpoint_id(&self) -> Option<&str> {
        match self {
            Write::Register(_) => None,
            Write::Update(u) => Some(&u.endpoint_id),
            Write::Deregister { endpoint_id, .. } => Some(endpoint_id),
        }
    }

    /// Every field checked as the service model checks it, and what the service expects
    /// beyond that (a Pinpoint app ARN as ResourceArn, a known Type). The error names the
    /// field by its AWS CLI option.
    pub fn validate(&self) -> Result<(), InputError> {
        let user = |s: &str| {
            parse_user_arn(s).map(|_| ()).map_err(|e| InputError { field: "--app-instance-user-arn", ..e })
        };
        let id = |s: &str| validate_endpoint_id(s).map_err(|e| InputError { field: "--endpoint-id", ..e });
        match self {
            Write::Register(r) => {
                user(&r.user_arn)?;
                check_type(&r.endpoint_type)?;
                check_resource_arn(&r.resource_arn)?;
                check_token("--device-token", &r.device_token)?;
                if let Some(v) = &r.voip_device_token {
                    check_token("--voip-device-token", v)?;
                }
                if let Some(n) = &r.name {
                    check_name(n)?;
                }
                if let Some(a) = &r.allow_messages {
                    check_allow(a)?;
                }
                check_request_token(&r.client_request_token)
            }
            Write::Update(u) => {
                user(&u.user_arn)?;
                id(&u.endpoint_id)?;
                if u.name.is_none() && u.allow_messages.is_none() {
                    return Err(InputError {
                        field: "--name/--allow-messages",
                        problem: "nothing to change: give --name, --allow-messages or both".into(),
                    });
                }
                if let Some(n) = &u.name {
                    check_name(n)?;
                }
                if let Some(a) = &u.allow_messages {
                    check_allow(a)?;
                }
                Ok(())
            }
            Write::Deregister { user_arn, endpoint_id } => {
                user(user_arn)?;
                id(endpoint_id)
            }
        }
    }

    /// The AWS CLI options of this write, in the CLI's names (`--endpoint-attributes` in its
    /// shorthand form); secrets in clear or, with `masked`, as "(N chars)" markers.
    pub fn cli_args(&self, masked: bool) -> Vec<(&'static str, String)> {
        let secret = |s: &str| if masked { format!("<{} chars>", s.chars().count()) } else { s.to_string() };
        match self {
            Write::Register(r) => {
                let mut attrs = format!("DeviceToken={}", secret(&r.device_token));
                if let Some(v) = &r.voip_device_token {
                    attrs.push_str(&format!(",VoipDeviceToken={}", secret(v)));
                }
                let mut a = vec![
                    ("--app-instance-user-arn", r.user_arn.clone()),
                    ("--type", r.endpoint_type.as_str().to_string()),
                    ("--resource-arn", r.resource_arn.clone()),
                    ("--endpoint-attributes", attrs),
                ];
                if let Some(n) = &r.name {
                    a.push(("--name", secret(n)));
                }
                if let Some(m) = &r.allow_messages {
                    a.push(("--allow-messages", m.as_str().to_string()));
                }
                a.push(("--client-request-token", r.client_request_token.clone()));
                a
            }
            Write::Update(u) => {
                let mut a = vec![
                    ("--app-instance-user-arn", u.user_arn.clone()),
                    ("--endpoint-id", u.endpoint_id.clone()),
                ];
                if let Some(n) = &u.name {
                    a.push(("--name", secret(n)));
                }
                if let Some(m) = &u.allow_messages {
                    a.push(("--allow-messages", m.as_str().to_string()));
                }
                a
            }
            Write::Deregister { user_arn, endpoint_id } => {
                vec![("--app-instance-user-arn", user_arn.clone()), ("--endpoint-id", endpoint_id.clone())]
            }
        }
    }
}

/// `--type`: one of the three the model knows.
pub fn parse_type(s: &str) -> Result<EndpointType, InputError> {
    let t = EndpointType::parse(s);
    check_type(&t).map(|_| t)
}

fn check_type(t: &EndpointType) -> Result<(), InputError> {
    if t.is_known() {
        Ok(())
    } else {
        Err(InputError {
            field: "--type",
            problem: format!(
                "\"{}\" is not a type; expected APNS, APNS_SANDBOX or GCM",
                super::escape_control(t.as_str())
            ),
        })
    }
}

/// `--allow-messages`: ALL or NONE.
pub fn parse_allow(s: &str) -> Result<AllowMessages, InputError> {
    let a = AllowMessages::parse(s);
    check_allow(&a).map(|_| a)
}

fn check_allow(a: &AllowMessages) -> Result<(), InputError> {
    if a.is_known() {
        Ok(())
    } else {
        Err(InputError {
            field: "--allow-messages",
            problem: format!("\"{}\" is not ALL or NONE", super::escape_control(a.as_str())),
        })
    }
}

/// `--resource-arn`: an ARN (the model's ChimeArn) naming a Pinpoint app, which is what the
/// service expects (`arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID`).
pub fn check_resource_arn(s: &str) -> Result<(), InputError> {
    const F: &str = "--resource-arn";
    let arn = parse_arn(F, s)?;
    if arn.service != "mobiletargeting" || !arn.resource.starts_with("apps/") || arn.resource.len() <= 5 {
        return Err(InputError {
            field: F,
            problem: "is not a Pinpoint app ARN; expected arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID"
                .into(),
        });
    }
    if arn.region.is_empty() || arn.account.is_empty() {
        return Err(InputError { field: F, problem: "has no region or no account ID".into() });
    }
    Ok(())
}

fn check_controls(field: &'static str, s: &str) -> Result<(), InputError> {
    if s.chars().any(char::is_control) {
        return Err(InputError { field, problem: "holds a control character (a pasted newline?)".into() });
    }
    Ok(())
}

/// `--device-token`, `--voip-device-token`: 1..1600 characters, no control characters and no
/// surrounding whitespace (a token never has them; a paste often does).
pub fn check_token(field: &'static str, s: &str) -> Result<(), InputError> {
    if s.is_empty() {
        return Err(InputError { field, problem: "is empty".into() });
    }
    check_controls(field, s)?;
    if s.trim() != s {
        return Err(InputError { field, problem: "has leading or trailing whitespace".into() });
    }
    let n = s.chars().count();
    if n > MAX_SECRET_LEN {
        return Err(InputError {
            field,
            problem: format!("is {n} characters long; at most {MAX_SECRET_LEN}"),
        });
    }
    Ok(())
}

/// `--name`: 0..1600 characters, no control characters.
pub fn check_name(s: &str) -> Result<(), InputError> {
    const F: &str = "--name";
    check_controls(F, s)?;
    let n = s.chars().count();
    if n > MAX_SECRET_LEN {
        return Err(InputError {
            field: F,
            problem: format!("is {n} characters long; at most {MAX_SECRET_LEN}"),
        });
    }
    Ok(())
}

/// `--client-request-token`: 2..64 of `A-Z a-z 0-9 - _`.
pub fn check_request_token(s: &str) -> Result<(), InputError> {
    const F: &str = "--client-request-token";
    let n = s.chars().count();
    if !(TOKEN_MIN..=TOKEN_MAX).contains(&n) {
        return Err(InputError {
            field: F,
            problem: format!("is {n} characters long; expected {TOKEN_MIN} to {TOKEN_MAX}"),
        });
    }
    if let Some(c) = s.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(InputError {
            field: F,
            problem: format!(
                "holds '{}'; only A-Z, a-z, 0-9, '-' and '_' are allowed",
                super::escape_control(&c.to_string())
            ),
        });
    }
    Ok(())
}

/// The record with Name and the device tokens replaced by "(masked, N chars)", as `Y` copies it
/// while they are masked on screen.
pub fn masked(e: &Endpoint) -> Endpoint {
    let mut m = e.clone();
    for v in [&mut m.name, &mut m.device_token, &mut m.voip_device_token] {
        if let Some(s) = v.as_mut() {
            *s = format!("(masked, {} chars)", s.chars().count());
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    const U: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-42";
    const P: &str = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/app1";

    fn reg() -> Registration {
        Registration {
            user_arn: U.into(),
            endpoint_type: EndpointType::Gcm,
            resource_arn: P.into(),
            device_token: "tok".into(),
            voip_device_token: None,
            name: None,
            allow_messages: None,
            client_request_token: "abc-123".into(),
        }
    }

    #[test]
    fn a_good_registration_passes_and_each_bad_field_is_named() {
        assert_eq!(Write::Register(reg()).validate(), Ok(()));
        let field = |r: Registration| Write::Register(r).validate().unwrap_err().field;
        assert_eq!(field(Registration { user_arn: "arn:x".into(), ..reg() }), "--app-instance-user-arn");
        assert_eq!(field(Registration { endpoint_type: EndpointType::parse("FCM"), ..reg() }), "--type");
        assert_eq!(
            field(Registration { resource_arn: "arn:aws:chime:us-east-1:1:app-instance/x".into(), ..reg() }),
            "--resource-arn"
        );
        assert_eq!(field(Registration { device_token: "".into(), ..reg() }), "--device-token");
        assert_eq!(field(Registration { device_token: "a\nb".into(), ..reg() }), "--device-token");
        assert_eq!(field(Registration { device_token: "x".repeat(1601), ..reg() }), "--device-token");
        assert_eq!(
            field(Registration { voip_device_token: Some(" v".into()), ..reg() }),
            "--voip-device-token"
        );
        assert_eq!(field(Registration { name: Some("a\u{1b}".into()), ..reg() }), "--name");
        assert_eq!(
            field(Registration { allow_messages: Some(AllowMessages::parse("SOME")), ..reg() }),
            "--allow-messages"
        );
        for bad in ["x", "has space", &"a".repeat(65), "ü-é"] {
            assert_eq!(
                field(Registration { client_request_token: bad.into(), ..reg() }),
                "--client-request-token",
                "{bad}"
            );
        }
    }

    #[test]
    fn an_update_needs_something_to_change() {
        let u = EndpointUpdate {
            user_arn: U.into(),
            endpoint_id: "ep-1".into(),
            name: None,
            allow_messages: None,
        };
        assert!(Write::Update(u.clone()).validate().unwrap_err().problem.contains("nothing to change"));
        let ok = EndpointUpdate { allow_messages: Some(AllowMessages::None), ..u.clone() };
        assert_eq!(Write::Update(ok).validate(), Ok(()));
        let bad = EndpointUpdate { endpoint_id: "".into(), name: Some("n".into()), ..u };
        assert_eq!(Write::Update(bad).validate().unwrap_err().field, "--endpoint-id");
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let r = Registration { name: Some("phone".into()), voip_device_token: Some("vv".into()), ..reg() };
        let d = format!("{:?}", Write::Register(r));
        assert!(!d.contains("\"tok\"") && !d.contains("phone") && !d.contains("\"vv\""), "{d}");
        assert!(d.contains("device_token: <3 chars>"), "{d}");
    }

    #[test]
    fn cli_args_mask_secrets_when_asked() {
        let r = Registration { name: Some("phone".into()), voip_device_token: Some("vv".into()), ..reg() };
        let w = Write::Register(r);
        let shown = w.cli_args(false);
        assert!(shown.contains(&("--endpoint-attributes", "DeviceToken=tok,VoipDeviceToken=vv".into())));
        let masked = w.cli_args(true);
        let text = format!("{masked:?}");
        assert!(!text.contains("=tok") && !text.contains("phone") && text.contains("<3 chars>"), "{text}");
    }
}
