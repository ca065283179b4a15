//! Checks of what the service answered, before a row is shown or used: a list's rows have the
//! shapes the service model gives them (ARNs that parse, IDs and names within their lengths,
//! no control characters in an ARN or ID) and belong to what was listed; a write's or a
//! describe's answer names the resource that was asked for. What fails is an invalid response
//! ([`super::paging::invalid_response`]): a lying service is never shown as a success.

use super::arn::{ParsedArn, parse_instance_arn, parse_user_arn, validate_endpoint_id};
use super::endpoint::{EndpointSummary, InstanceSummary, UserSummary};

/// The service model's longest app instance name (`NonEmptyResourceName`).
pub const MAX_INSTANCE_NAME_LEN: usize = 256;
/// The service model's longest user name (`UserName`).
pub const MAX_USER_NAME_LEN: usize = 100;
/// The service model's longest endpoint name (`SensitiveString1600`).
pub const MAX_ENDPOINT_NAME_LEN: usize = 1600;
/// The service model's longest metadata (`Metadata`).
pub const MAX_METADATA_LEN: usize = 1024;

fn within(field: &str, value: Option<&str>, max: usize) -> Result<(), String> {
    match value.map(|v| v.chars().count()) {
        Some(n) if n > max => {
            Err(format!("its {field} is {n} characters long; the model allows at most {max}"))
        }
        _ => Ok(()),
    }
}

fn required<'a>(field: &str, value: Option<&'a str>) -> Result<&'a str, String> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| format!("it has no {field}"))
}

/// A row of ListAppInstances.
pub fn check_instance_row(row: &InstanceSummary) -> Result<(), String> {
    let arn = required("AppInstanceArn", row.app_instance_arn.as_deref())?;
    parse_instance_arn(arn).map_err(|e| e.problem)?;
    within("Name", row.name.as_deref(), MAX_INSTANCE_NAME_LEN)?;
    within("Metadata", row.metadata.as_deref(), MAX_METADATA_LEN)
}

/// A row of ListAppInstanceUsers for the app instance `instance`: a user of that instance.
pub fn check_user_row(row: &UserSummary, instance: &ParsedArn) -> Result<(), String> {
    let arn = required("AppInstanceUserArn", row.app_instance_user_arn.as_deref())?;
    let user = parse_user_arn(arn).map_err(|e| e.problem)?;
    if user.app_instance_arn() != instance.app_instance_arn() {
        return Err(format!(
            "it is a user of another app instance ({}) than the one listed",
            user.app_instance_arn()
        ));
    }
    within("Name", row.name.as_deref(), MAX_USER_NAME_LEN)?;
    within("Metadata", row.metadata.as_deref(), MAX_METADATA_LEN)
}

/// A row of ListAppInstanceUserEndpoints for the user `user_arn`: an endpoint of that user.
pub fn check_endpoint_row(row: &EndpointSummary, user_arn: &str) -> Result<(), String> {
    same_resource("AppInstanceUserArn", user_arn, row.app_instance_user_arn.as_deref())?;
    let id = required("EndpointId", row.endpoint_id.as_deref())?;
    validate_endpoint_id(id).map_err(|e| format!("its EndpointId {}", e.problem))?;
    within("Name", row.name.as_deref(), MAX_ENDPOINT_NAME_LEN)
}

/// An answer's `field` names `answered` where the request named `asked`: the same, or absent
/// (the model makes these members optional; the request's value then stands).
pub fn same_resource(field: &str, asked: &str, answered: Option<&str>) -> Result<(), String> {
    match answered {
        Some(a) if a != asked => {
            Err(format!("the answer's {field} is \"{a}\", not the \"{asked}\" asked for"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc";
    const USER: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/abc/user/u-1";

    fn user(arn: &str) -> UserSummary {
        UserSummary { app_instance_user_arn: Some(arn.into()), ..Default::default() }
    }

    #[test]
    fn a_user_row_must_be_a_user_of_the_instance_listed() {
        let inst = parse_instance_arn(INST).unwrap();
        assert_eq!(check_user_row(&user(USER), &inst), Ok(()));
        let other = "arn:aws:chime:us-east-1:123456789012:app-instance/xyz/user/u-1";
        assert!(check_user_row(&user(other), &inst).unwrap_err().contains("another app instance"));
        let e = check_user_row(&user(&format!("{INST}/user/u\n#echo")), &inst).unwrap_err();
        assert!(e.contains("control character U+000A"), "{e}");
        assert!(
            check_user_row(&UserSummary::default(), &inst).unwrap_err().contains("no AppInstanceUserArn")
        );
        let long = UserSummary { name: Some("n".repeat(101)), ..user(USER) };
        assert!(check_user_row(&long, &inst).unwrap_err().contains("Name is 101 characters"));
    }

    #[test]
    fn an_endpoint_row_is_of_the_user_listed_with_a_valid_id() {
        let ep = |arn: &str, id: &str| EndpointSummary {
            app_instance_user_arn: Some(arn.into()),
            endpoint_id: Some(id.into()),
            ..Default::default()
        };
        assert_eq!(check_endpoint_row(&ep(USER, "ep-1"), USER), Ok(()));
        let e = check_endpoint_row(&ep(&format!("{INST}/user/mallory"), "ep-1"), USER).unwrap_err();
        assert!(e.contains("user/mallory\", not the"), "{e}");
        let e = check_endpoint_row(&ep(USER, &"x".repeat(65)), USER).unwrap_err();
        assert!(e.contains("EndpointId is 65 characters"), "{e}");
        assert!(check_endpoint_row(&ep(USER, "ep\u{1b}[2J"), USER).unwrap_err().contains("U+001B"));
    }

    #[test]
    fn an_instance_row_has_an_instance_arn() {
        let row = |arn: &str| InstanceSummary { app_instance_arn: Some(arn.into()), ..Default::default() };
        assert_eq!(check_instance_row(&row(INST)), Ok(()));
        assert!(check_instance_row(&row(USER)).unwrap_err().contains("names a user"));
        assert!(check_instance_row(&row("arn:aws:chime:us-east-1:1:app-instance/a")).is_err());
    }
}
