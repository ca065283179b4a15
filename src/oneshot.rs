//! One-shot commands for scripts: `describe` and `list` (and the embedded demo service they
//! can run against). Output shapes and exit codes follow the AWS CLI.

use crate::aws::{self, Client, LookupError, Settings};
use crate::cli::{Global, Output};
use crate::emulator::{self, Emulator, Store};
use crate::model::{self, Endpoint, EndpointSummary, escape_control};
use crate::worker::{self, Answer, Query};
use serde_json::json;
use std::io::Write;
use std::time::Duration;

pub const EXIT_OK: i32 = 0;
pub const EXIT_BAD_ARGS: i32 = 252;

/// Client settings from the global flags.
pub fn settings(g: &Global) -> Settings {
    Settings {
        profile: g.profile.clone(),
        region: g.region.clone(),
        endpoint_url: g.endpoint_url.clone(),
        timeout: g.timeout.map(Duration::from_secs_f64).unwrap_or(aws::DEFAULT_TIMEOUT),
        ..Settings::default()
    }
}

/// Build the client; with `--demo`, start the embedded service first (kept alive by the
/// returned handle). An error carries its exit code: 252 for a bad `--endpoint-url`, 255 when
/// the demo service cannot start.
pub async fn connect(g: &Global) -> Result<(Client, Option<Emulator>), (i32, String)> {
    if g.demo {
        let emu = Emulator::start(emulator::Options { store: Store::demo(), ..Default::default() })
            .await
            .map_err(|e| (255, format!("cannot start the demo service: {e}")))?;
        let client = Client::demo(&emu.url(), settings(g)).await;
        Ok((client, Some(emu)))
    } else {
        if let Some(url) = &g.endpoint_url {
            check_url(url).map_err(|e| (EXIT_BAD_ARGS, e))?;
        }
        Ok((Client::new(settings(g)).await, None))
    }
}

fn check_url(url: &str) -> Result<(), String> {
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && url.split("://").nth(1).is_some_and(|h| !h.is_empty());
    if ok {
        Ok(())
    } else {
        Err(format!("--endpoint-url: {url:?} is not a URL; expected e.g. http://127.0.0.1:8000"))
    }
}

fn bad_args(msg: &str) -> i32 {
    eprintln!("chimescope: {msg}");
    EXIT_BAD_ARGS
}

fn warn_region(client: &Client, arn_region: &str) {
    if client.endpoint_url().is_some() {
        return;
    }
    if let Some(w) = model::region_warning(&client.region_for(Some(arn_region))) {
        eprintln!("warning: {w}");
    }
}

fn fail(e: &LookupError, operation: &str) -> i32 {
    eprint!("{}", e.report(operation));
    e.exit_code()
}

/// `chimescope describe`.
pub async fn describe(g: &Global, user_arn: &str, endpoint_id: &str, output: Output) -> i32 {
    let arn = match model::parse_user_arn(user_arn) {
        Ok(a) => a,
        Err(e) => return bad_args(&format!("--app-instance-user-arn: {e}")),
    };
    if let Err(e) = model::validate_endpoint_id(endpoint_id) {
        return bad_args(&format!("--endpoint-id: {e}"));
    }
    let (client, _emu) = match connect(g).await {
        Ok(c) => c,
        Err((code, e)) => {
            eprintln!("chimescope: {e}");
            return code;
        }
    };
    warn_region(&client, arn.region());
    match client.describe_endpoint(user_arn, endpoint_id).await {
        Ok(ep) => {
            let text = match output {
                Output::Json => ep.to_cli_json_string() + "\n",
                Output::Text => endpoint_text(&ep, false),
            };
            print_out(&text)
        }
        Err(e) => fail(&e, aws::op::DESCRIBE_ENDPOINT),
    }
}

/// `chimescope list`: every page.
pub async fn list(g: &Global, user_arn: &str, output: Output) -> i32 {
    let arn = match model::parse_user_arn(user_arn) {
        Ok(a) => a,
        Err(e) => return bad_args(&format!("--app-instance-user-arn: {e}")),
    };
    let (client, _emu) = match connect(g).await {
        Ok(c) => c,
        Err((code, e)) => {
            eprintln!("chimescope: {e}");
            return code;
        }
    };
    warn_region(&client, arn.region());
    // The browser's paging path: the worker's page function, every page.
    let query = Query::ListEndpoints { user_arn: user_arn.to_string(), next_token: None };
    let all = match worker::list_all(&client, &query).await {
        Ok(Answer::Endpoints(page)) => Ok(page.items),
        Ok(_) => Err(LookupError::new(aws::ErrorKind::InvalidResponse, "not a list of endpoints", "")),
        Err(e) => Err(e),
    };
    match all {
        Ok(items) => {
            let text = match output {
                Output::Json => {
                    let v = json!({"AppInstanceUserEndpoints": items.iter().map(EndpointSummary::to_json).collect::<Vec<_>>()});
                    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
                }
                Output::Text => summaries_text(&items),
            };
            print_out(&text)
        }
        Err(e) => fail(&e, aws::op::LIST_ENDPOINTS),
    }
}

/// Write to stdout; a closed pipe is not an error worth a panic.
fn print_out(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("chimescope: cannot write output: {e}");
            255
        }
    }
}

/// A masked stand-in for a secret: its length only.
pub fn mask(value: &str) -> String {
    format!("•••••• ({} chars)", value.chars().count())
}

fn opt_secret(v: &Option<String>, show: bool) -> String {
    match v {
        None => "—".into(),
        Some(s) if show => escape_control(s).into_owned(),
        Some(s) => mask(s),
    }
}

fn opt(v: Option<&str>) -> String {
    v.map(|s| escape_control(s).into_owned()).unwrap_or_else(|| "—".into())
}

/// The readable form of `describe --output text`: one `Label  value` line per field, state
/// explained; Name and tokens masked unless `show_secrets`.
pub fn endpoint_text(e: &Endpoint, show_secrets: bool) -> String {
    let mut rows: Vec<(&str, String)> = Vec::new();
    let status = match &e.state {
        None => "—".to_string(),
        Some(s) => match &s.reason {
            Some(r) => format!("{} ({}: {})", s.status, r, r.explain()),
            None => s.status.to_string(),
        },
    };
    rows.push(("Status", status));
    rows.push((
        "Messages",
        e.allow_messages.as_ref().map(|a| format!("{a} ({})", a.explain())).unwrap_or_else(|| "—".into()),
    ));
    rows.push(("EndpointId", opt(e.endpoint_id.as_deref())));
    rows.push(("UserArn", opt(e.app_instance_user_arn.as_deref())));
    rows.push((
        "Type",
        e.endpoint_type.as_ref().map(|t| format!("{t} ({})", t.meaning())).unwrap_or_else(|| "—".into()),
    ));
    rows.push(("Name", opt_secret(&e.name, show_secrets)));
    rows.push(("ResourceArn", opt(e.resource_arn.as_deref())));
    rows.push(("DeviceToken", opt_secret(&e.device_token, show_secrets)));
    rows.push(("VoipToken", opt_secret(&e.voip_device_token, show_secrets)));
    rows.push(("Created", e.created.map(|t| t.rfc3339()).unwrap_or_else(|| "—".into())));
    rows.push(("Updated", e.last_updated.map(|t| t.rfc3339()).unwrap_or_else(|| "—".into())));
    let mut s = String::new();
    for (k, v) in rows {
        // Every value, including enum values this build does not know, is escaped.
        s.push_str(&format!("{k:<12} {}\n", escape_control(&v)));
    }
    s
}

/// One line per endpoint for `list --output text`.
pub fn summaries_text(items: &[EndpointSummary]) -> String {
    let mut s = String::new();
    for e in items {
        let (status, reason) = match &e.state {
            Some(st) => (
                st.status.to_string(),
                st.reason.as_ref().map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
            ),
            None => ("-".into(), "-".into()),
        };
        let fields = [
            opt(e.endpoint_id.as_deref()),
            status,
            reason,
            e.endpoint_type.as_ref().map(|t| t.to_string()).unwrap_or_else(|| "-".into()),
            e.allow_messages.as_ref().map(|a| a.to_string()).unwrap_or_else(|| "-".into()),
            opt_secret(&e.name, false),
        ];
        let fields: Vec<_> = fields.iter().map(|f| escape_control(f)).collect();
        s.push_str(&fields.join("\t"));
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EndpointState, EndpointStatus, EndpointType, StatusReason};

    #[test]
    fn text_output_escapes_every_value() {
        let e = Endpoint {
            endpoint_id: Some("ep\u{1b}[2J".into()),
            endpoint_type: Some(EndpointType::Unknown("SMS\u{1b}]0;x\u{7}".into())),
            state: Some(EndpointState {
                status: EndpointStatus::Unknown("GONE\u{1b}[5m".into()),
                reason: Some(StatusReason::Unknown("WHY\u{9b}".into())),
            }),
            name: Some("n\u{1b}".into()),
            ..Endpoint::default()
        };
        for t in [endpoint_text(&e, true), summaries_text(&[e.summary()])] {
            assert!(!t.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{t:?}");
            assert!(t.contains("GONE\\e[5m"), "{t}");
        }
    }
}
