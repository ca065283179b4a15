//! `chimescope push-test`: one test push to one endpoint, asking the provider. Reads the
//! endpoint (its token, Type and ResourceArn), sends one Pinpoint SendMessages to the token
//! through the app its ResourceArn names, on the channel its Type needs (`--voip`: the
//! VoipDeviceToken through the VoIP channel), and says the provider's answer in words. It
//! notifies a real device: it is a write (`--readonly` refuses it before anything is sent,
//! `--dry-run` prints the request and sends nothing). The token is never printed unless
//! `--show-secrets`, never logged, never in the history.

use super::client::{bad_args, connect_for, fail};
use super::exit::{EXIT_CONFIG, EXIT_DELIVERY_FAILED};
use super::format::Format;
use crate::aws::pinpoint::SEND_MESSAGES;
use crate::cli::PushTestArgs;
use crate::model::push::{self, PushSend, TestPush};
use crate::model::{self, Target, escape_control};
use crate::settings::Settings;
use serde_json::json;

/// The longest `--title` and `--body`, in characters.
pub const MAX_TITLE: usize = 256;
pub const MAX_BODY: usize = 2048;

/// The push, checked: the message for exit 252 otherwise.
fn checked(a: &PushTestArgs) -> Result<TestPush, String> {
    model::parse_user_arn(&a.app_instance_user_arn).map_err(|e| format!("--app-instance-user-arn: {e}"))?;
    model::validate_endpoint_id(&a.endpoint_id).map_err(|e| format!("--endpoint-id: {e}"))?;
    if a.silent && (a.title.is_some() || a.body.is_some()) {
        return Err("--silent sends a push with no title or body: leave out --title and --body".into());
    }
    for (flag, value, max) in [("--title", &a.title, MAX_TITLE), ("--body", &a.body, MAX_BODY)] {
        let Some(v) = value else { continue };
        let n = v.chars().count();
        if n == 0 || n > max {
            return Err(format!("{flag} must be 1 to {max} characters, not {n}"));
        }
        if v.chars().any(|c| c.is_control() && c != '\n') {
            return Err(format!("{flag} holds a control character"));
        }
    }
    Ok(TestPush { title: a.title.clone(), body: a.body.clone(), silent: a.silent })
}

/// The message of a test push refused in read-only mode.
fn readonly_refusal(s: &Settings, a: &PushTestArgs) -> String {
    format!(
        "read-only: nothing sent ({} is on; a test push would notify the device of endpoint {} of {})",
        s.readonly_source,
        escape_control(&a.endpoint_id),
        escape_control(&a.app_instance_user_arn)
    )
}

/// `chimescope push-test`.
pub async fn push_test(s: &Settings, a: &PushTestArgs, fmt: &Format) -> i32 {
    let push = match checked(a) {
        Ok(p) => p,
        Err(e) => return bad_args(&e),
    };
    if s.readonly && !a.dry_run {
        crate::say!("chimescope: {}", readonly_refusal(s, a));
        return EXIT_CONFIG;
    }
    let region =
        model::parse_user_arn(&a.app_instance_user_arn).map(|u| u.region().to_string()).unwrap_or_default();
    let (client, _emu) = match connect_for(s, &region).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let ep = match client.describe_endpoint(&a.app_instance_user_arn, &a.endpoint_id).await {
        Ok(ep) => ep,
        Err(e) => return fail(&e, crate::aws::op::DESCRIBE_ENDPOINT),
    };
    let target = match PushSend::to_endpoint(&ep, &a.app_instance_user_arn, a.voip, push) {
        Ok(t) => t,
        Err(e) => return bad_args(&e.to_string()),
    };
    let (kind, channel, token, msg) = (&target.endpoint_type, target.channel, &target.token, &target.push);
    let (app_region, account, app_id) = (target.region.as_str(), &target.account, target.app_id.as_str());
    if a.dry_run {
        if s.readonly {
            crate::say!("chimescope: note: {}", readonly_refusal(s, a));
        }
        let masked = msg.request(&model::mask(token), channel);
        let v = json!({"DryRun": true, "Operation": SEND_MESSAGES, "ApplicationId": app_id,
                       "Region": app_region, "MessageRequest": masked});
        return fmt.print(SEND_MESSAGES, &v, || {
            let at = super::aws_cli::CliTarget {
                region: app_region,
                profile: s.aws.profile.as_deref(),
                endpoint_url: client.options().endpoint_url.as_deref(),
            };
            let args = [("--application-id", app_id), ("--message-request", &masked.to_string())];
            let cmd = super::aws_cli::aws_cli_line("pinpoint", "send-messages", &args, &at);
            format!(
                "Would send SendMessages to endpoint {} on the {} channel (--dry-run: nothing sent; the token masked):\n{}\n",
                escape_control(&a.endpoint_id),
                channel.label(),
                escape_control(&cmd)
            )
        });
    }
    if client.target() == Target::Aws {
        crate::say!(
            "chimescope: sending a test push to a real device: AWS account {account}, region {}, profile {}",
            escape_control(app_region),
            escape_control(&client.profile_label())
        );
    }
    let answer = match client.send_test_push(&target).await {
        Ok(a) => a,
        Err(e) => return fail(&e, SEND_MESSAGES),
    };
    let data = answer.to_cli_json(token, a.show_secrets);
    let r = &answer.result;
    let text = || {
        let code = r.status_code.map(|c| c.to_string()).unwrap_or_else(|| "no status code".into());
        let provider = r.provider_error().map(|e| format!(", {}", escape_control(&e))).unwrap_or_default();
        format!(
            "Test push to endpoint {} ({kind}) through Pinpoint app {} on the {} channel:\n{} ({code}{provider}): {}\n",
            escape_control(&a.endpoint_id),
            escape_control(app_id),
            channel.label(),
            escape_control(&r.delivery_status),
            push::explain(r, kind)
        )
    };
    let printed = fmt.print(SEND_MESSAGES, &data, text);
    if printed != 0 || r.successful() { printed } else { EXIT_DELIVERY_FAILED }
}
