//! `chimescope describe`: one endpoint, as JSON (the AWS CLI's shape) or text.

use super::client::{bad_args, connect_for, fail};
use super::format::Format;
use super::text::endpoint_text;
use crate::aws;
use crate::model;
use crate::settings::Settings;

/// `chimescope describe`.
pub async fn describe(s: &Settings, user_arn: &str, endpoint_id: &str, fmt: &Format) -> i32 {
    let arn = match model::parse_user_arn(user_arn) {
        Ok(a) => a,
        Err(e) => return bad_args(&format!("--app-instance-user-arn: {e}")),
    };
    if let Err(e) = model::validate_endpoint_id(endpoint_id) {
        return bad_args(&format!("--endpoint-id: {e}"));
    }
    let (client, _emu) = match connect_for(s, arn.region()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    match client.describe_endpoint(user_arn, endpoint_id).await {
        Ok(ep) => fmt.print(aws::op::DESCRIBE_ENDPOINT, &ep.to_cli_json(), || {
            endpoint_text(&ep, false, model::Timestamp::now())
        }),
        Err(e) => fail(&e, aws::op::DESCRIBE_ENDPOINT),
    }
}
