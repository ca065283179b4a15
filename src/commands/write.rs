//! `chimescope register`, `update` and `deregister`: the endpoint writes, with the AWS CLI's
//! argument names, output shapes and exit codes. Every input is checked before anything is
//! sent (252, naming the option); read-only mode refuses before a connection is made (253).

use super::client::{bad_args, connect_for, fail};
use super::exit::{EXIT_BAD_ARGS, EXIT_CONFIG};
use super::format::Format;
use crate::model::write::{EndpointUpdate, Registration, Write, parse_allow};
use crate::model::{self, InputError, escape_control};
use crate::settings::Settings;
use serde_json::json;
use std::io::Write as _;

/// What `register` was given (in `cli_input.rs`, which fills it from a file too), under the path
/// the browser and the binary know.
pub use super::cli_input::{RegisterArgs, new_request_token};

/// The update as typed, checked.
pub fn update_write(
    user_arn: &str,
    endpoint_id: &str,
    name: Option<&str>,
    allow_messages: Option<&str>,
) -> Result<Write, InputError> {
    let w = Write::Update(EndpointUpdate {
        user_arn: user_arn.into(),
        endpoint_id: endpoint_id.into(),
        name: name.map(str::to_string),
        allow_messages: allow_messages.map(parse_allow).transpose()?,
    });
    w.validate()?;
    Ok(w)
}

/// The deregistration as typed, checked.
pub fn deregister_write(user_arn: &str, endpoint_id: &str) -> Result<Write, InputError> {
    let w = Write::Deregister { user_arn: user_arn.into(), endpoint_id: endpoint_id.into() };
    w.validate()?;
    Ok(w)
}

/// The message of a refused write in read-only mode.
pub fn readonly_refusal(s: &Settings, w: &Write) -> String {
    format!(
        "read-only: nothing sent ({} is on; {} would change {})",
        s.readonly_source,
        w.operation(),
        escape_control(w.user_arn())
    )
}

/// `chimescope register`.
pub async fn register(s: &Settings, args: &RegisterArgs, fmt: &Format, dry_run: bool) -> i32 {
    let (w, generated) = match args.to_write() {
        Ok(w) => w,
        Err(e) => return bad_args(&e.to_string()),
    };
    let checks = if args.force { Checks::Skip } else { Checks::Registration };
    run(s, &w, fmt, false, checks, generated, dry_run).await
}

/// `register --generate-cli-skeleton`: the input's shape (nothing is read or sent).
pub fn skeleton(fmt: &Format) -> i32 {
    let v = super::cli_input::skeleton();
    fmt.print(model::write::REGISTER, &v, || model::json_pretty(&v) + "\n")
}

/// `--dry-run`: the request `w` would send, Name and tokens masked; nothing is sent.
fn dry_run_print(s: &Settings, w: &Write, fmt: &Format) -> i32 {
    if s.readonly {
        crate::say!("chimescope: note: {}", readonly_refusal(s, w));
    }
    let request = super::cli_input::request_json(w);
    let v = serde_json::json!({"DryRun": true, "Operation": w.operation(), "Request": request});
    fmt.print(w.operation(), &v, || {
        let region = model::parse_user_arn(w.user_arn()).map(|a| a.region().to_string()).unwrap_or_default();
        let region = s.aws.region.clone().unwrap_or(region);
        let cmd = super::aws_cli::aws_cli_command_for(
            w.cli_operation(),
            &w.cli_args(true).iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>(),
            &region,
            s.aws.profile.as_deref(),
            s.aws.endpoint_url.as_deref(),
        );
        format!(
            "Would send {} (--dry-run: nothing sent; Name and tokens masked):\n{}\n",
            w.operation(),
            escape_control(&cmd)
        )
    })
}

/// After a registration whose outcome is unknown (no answer, a timeout, a 5xx), the
/// ClientRequestToken that makes sending it again safe; after a definitive refusal (4xx) none:
/// nothing was registered, and the same command again is a new attempt anyway.
fn retry_note(w: &Write, e: &crate::model::ServiceError, generated: bool) {
    use crate::model::ErrorKind as K;
    let unknown = matches!(e.kind, K::Network | K::Timeout | K::ServiceFailure | K::ServiceUnavailable);
    if let (true, true, Write::Register(r)) = (unknown, generated, w) {
        crate::say!(
            "note: the registration may have been applied; pass --client-request-token {0} to retry it idempotently",
            r.client_request_token
        );
    }
}

/// Whether to run the doctor's record checks on a registration before sending it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Checks {
    Registration,
    Skip,
}

/// The doctor's findings on what `r` would register, said on stderr (never a token: the
/// evidence shows a token by its length and alphabet). Returns whether to send it: not when
/// one is an error.
fn say_findings(r: &Registration, existing: Option<&[model::EndpointSummary]>) -> bool {
    let findings = crate::doctor::register::registration_findings(r, existing);
    let refused = crate::doctor::register::has_error(&findings);
    if refused {
        crate::say!(
            "chimescope: nothing sent: the doctor would call this endpoint broken (--force sends it anyway)"
        );
    }
    for f in &findings {
        let _ = writeln!(std::io::stderr(), "{}", f.to_text());
    }
    !refused
}

/// `chimescope update`.
pub async fn update(s: &Settings, w: Result<Write, InputError>, fmt: &Format, dry_run: bool) -> i32 {
    match w {
        Ok(w) => run(s, &w, fmt, false, Checks::Skip, false, dry_run).await,
        Err(e) => bad_args(&e.to_string()),
    }
}

/// `chimescope deregister`.
pub async fn deregister(
    s: &Settings,
    w: Result<Write, InputError>,
    fmt: &Format,
    show_secrets: bool,
    dry_run: bool,
) -> i32 {
    match w {
        Ok(w) => run(s, &w, fmt, show_secrets, Checks::Skip, false, dry_run).await,
        Err(e) => bad_args(&e.to_string()),
    }
}

/// Send `w` and print its outcome; `checks`: the doctor's record checks first (a registration);
/// `generated`: the registration's ClientRequestToken was made here (and is named when the
/// outcome is unknown).
async fn run(
    s: &Settings,
    w: &Write,
    fmt: &Format,
    show_secrets: bool,
    checks: Checks,
    generated: bool,
    dry_run: bool,
) -> i32 {
    if let (true, Checks::Registration, Write::Register(r)) = (dry_run, checks, w)
        && !say_findings(r, None)
    {
        return EXIT_BAD_ARGS;
    }
    if dry_run {
        return dry_run_print(s, w, fmt);
    }
    if s.readonly {
        crate::say!("chimescope: {}", readonly_refusal(s, w));
        return EXIT_CONFIG;
    }
    // The record alone first: a refusal then needs no connection.
    if let (Checks::Registration, Write::Register(r)) = (checks, w)
        && crate::doctor::register::has_error(&crate::doctor::register::registration_findings(r, None))
    {
        say_findings(r, None);
        return EXIT_BAD_ARGS;
    }
    let region = match model::parse_user_arn(w.user_arn()) {
        Ok(a) => a.region().to_string(),
        Err(e) => return bad_args(&format!("--app-instance-user-arn: {e}")),
    };
    let (client, _emu) = match connect_for(s, &region).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    // The user's endpoints, for the limit (a user has at most 10: one page holds them).
    if let (Checks::Registration, Write::Register(r)) = (checks, w) {
        let existing = match client
            .page(crate::aws::list::Endpoints { user_arn: &r.user_arn }, None, Some(50))
            .await
        {
            Ok(page) => Some(page.items),
            Err(e) => {
                crate::say!(
                    "chimescope: the user's endpoints could not be counted ({}); registering without that check",
                    e.kind.label()
                );
                None
            }
        };
        if !say_findings(r, existing.as_deref()) {
            return EXIT_BAD_ARGS;
        }
    }
    // Deregister reads the record it removes first (a failed read sends no write, and its error
    // names the read: DescribeAppInstanceUserEndpoint, not the write that was never sent).
    let sent = match w {
        Write::Deregister { user_arn, endpoint_id } => {
            match client.describe_endpoint(user_arn, endpoint_id).await {
                Err(e) => return fail(&e, crate::aws::op::DESCRIBE_ENDPOINT),
                Ok(removed) => client.deregister_described(user_arn, endpoint_id, removed).await,
            }
        }
        _ => client.write(w).await,
    };
    let done = match sent {
        Ok(d) => d,
        Err(e) => {
            let code = fail(&e, w.operation());
            retry_note(w, &e, generated);
            return code;
        }
    };
    let removed = done.removed.as_deref().cloned();
    let data = match w {
        Write::Deregister { .. } => {
            let rec = removed.clone().unwrap_or_default();
            let rec = if show_secrets { rec } else { model::write::masked(&rec) };
            rec.to_cli_json()
        }
        _ => json!({"AppInstanceUserArn": done.user_arn, "EndpointId": done.endpoint_id}),
    };
    let text = || match w {
        Write::Register(r) => format!(
            "Registered endpoint {} ({}) for {}.\n",
            escape_control(&done.endpoint_id),
            r.endpoint_type,
            escape_control(&done.user_arn)
        ),
        Write::Update(u) => {
            let mut changed = Vec::new();
            if let Some(a) = &u.allow_messages {
                changed.push(format!("AllowMessages is now {a} ({})", a.explain()));
            }
            if let Some(n) = &u.name {
                changed.push(format!("Name set ({})", model::count_of(n.chars().count(), "character")));
            }
            format!(
                "Updated endpoint {} of {}: {}.\n",
                escape_control(&done.endpoint_id),
                escape_control(&done.user_arn),
                changed.join("; ")
            )
        }
        Write::Deregister { .. } => {
            let rec = removed.unwrap_or_default();
            let what = [
                rec.endpoint_type.as_ref().map(|t| t.to_string()),
                rec.state.as_ref().map(|s| s.status.to_string()),
                rec.allow_messages.as_ref().map(|a| format!("AllowMessages {a}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            format!(
                "Deregistered endpoint {} of {} (it was {what}). `--output json` prints the removed record.\n",
                escape_control(&done.endpoint_id),
                escape_control(&done.user_arn)
            )
        }
    };
    fmt.print(w.operation(), &data, text)
}
