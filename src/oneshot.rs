//! One-shot commands for scripts: `describe` and `list` (and the embedded demo service they
//! can run against), and the text forms of their output and of `history`. Output shapes and
//! exit codes follow the AWS CLI.

use crate::aws::{self, Client, LookupError};
use crate::cli::Output;
use crate::commands::output::write_stdout;
use crate::emulator::{self, Emulator, Store};
use crate::model::{self, Endpoint, EndpointSummary, Health, count_of, escape_control, json_pretty};
use crate::settings::Settings;
use crate::worker::{self, Answer, Query};
use serde_json::json;
use unicode_width::UnicodeWidthStr;

pub const EXIT_OK: i32 = 0;
pub const EXIT_BAD_ARGS: i32 = crate::settings::EXIT_BAD_ARGS;
/// Anything else: network, timeout, an invalid answer, output that cannot be written.
pub const EXIT_OTHER: i32 = 255;

pub use crate::commands::output::STDOUT_CLOSED_AT_START;

/// Build the client; with `--demo`, start the embedded service first (kept alive by the
/// returned handle). A named profile must exist (exit 253 otherwise); 255 when the demo
/// service cannot start.
pub async fn connect(s: &Settings) -> Result<(Client, Option<Emulator>), (i32, String)> {
    if s.demo {
        let emu = Emulator::start(emulator::Options { store: Store::demo(), ..Default::default() })
            .await
            .map_err(|e| (EXIT_OTHER, format!("cannot start the demo service: {e}")))?;
        let client = Client::demo(&emu.url(), s.aws.clone()).await;
        Ok((client, Some(emu)))
    } else {
        if let Some(p) = &s.aws.profile {
            aws::check_profile(p, &s.profile_source.to_string()).await.map_err(|e| {
                (
                    e.exit_code(),
                    format!("{}\n  Hint: {}", escape_control(&e.message), escape_control(&e.hint)),
                )
            })?;
        }
        Ok((Client::new(s.aws.clone()).await, None))
    }
}

fn bad_args(msg: &str) -> i32 {
    eprintln!("chimescope: {msg}");
    EXIT_BAD_ARGS
}

/// Warnings about where the request goes, printed on stderr before it is sent: a `--region`
/// other than the ARN's, and a region that has no Chime SDK Identity endpoint.
pub fn region_warnings(client: &Client, arn_region: &str) -> Vec<String> {
    let mut w = Vec::new();
    if let Some(flag) = client.settings().region.as_deref()
        && flag != arn_region
    {
        w.push(format!(
            "--region {flag} differs from the ARN's region {arn_region}: the request goes to {flag}, \
             where this ARN's app instance does not live (AWS answers NotFound or Forbidden)"
        ));
    }
    let region = client.region_for(Some(arn_region));
    if client.endpoint_url().is_none() && !model::IDENTITY_REGIONS.contains(&region.as_str()) {
        w.push(aws::no_identity_endpoint(&region, region == arn_region));
    }
    w
}

fn warn_region(client: &Client, arn_region: &str) {
    for w in region_warnings(client, arn_region) {
        eprintln!("warning: {}", escape_control(&w));
    }
}

fn fail(e: &LookupError, operation: &str) -> i32 {
    eprint!("{}", e.report(operation));
    e.exit_code()
}

/// `chimescope describe`.
pub async fn describe(s: &Settings, user_arn: &str, endpoint_id: &str, output: Output) -> i32 {
    let arn = match model::parse_user_arn(user_arn) {
        Ok(a) => a,
        Err(e) => return bad_args(&format!("--app-instance-user-arn: {e}")),
    };
    if let Err(e) = model::validate_endpoint_id(endpoint_id) {
        return bad_args(&format!("--endpoint-id: {e}"));
    }
    let (client, _emu) = match connect(s).await {
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
                Output::Json => json_pretty(&ep.to_cli_json()) + "\n",
                Output::Text => endpoint_text(&ep, false),
            };
            write_stdout(&text)
        }
        Err(e) => fail(&e, aws::op::DESCRIBE_ENDPOINT),
    }
}

/// `chimescope list`: every page.
pub async fn list(s: &Settings, user_arn: &str, output: Output) -> i32 {
    let arn = match model::parse_user_arn(user_arn) {
        Ok(a) => a,
        Err(e) => return bad_args(&format!("--app-instance-user-arn: {e}")),
    };
    let (client, _emu) = match connect(s).await {
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
                    json_pretty(&v) + "\n"
                }
                Output::Text => summaries_text(model::short_user(user_arn), &items),
            };
            write_stdout(&text)
        }
        Err(e) => fail(&e, aws::op::LIST_ENDPOINTS),
    }
}

// ---------------------------------------------------------------------------------------------
// Text output

/// A masked stand-in for a secret: its length only (`•••••• (15 chars)`, `(1 char)`).
pub fn mask(value: &str) -> String {
    format!("•••••• ({})", count_of(value.chars().count(), "char"))
}

fn opt_secret(v: &Option<String>, show: bool) -> String {
    match v {
        None => "—".into(),
        Some(s) if show => s.clone(),
        Some(s) => mask(s),
    }
}

fn opt(v: Option<&str>) -> String {
    v.map(str::to_string).unwrap_or_else(|| "—".into())
}

/// The verdict line: can this endpoint receive pushes, and if not, why.
pub fn verdict(health: Health, reason: Option<&model::StatusReason>) -> String {
    match health {
        Health::Ok => "✔ Can receive pushes".into(),
        Health::Muted => "⚠ Active, but receives no messages (AllowMessages is NONE)".into(),
        Health::Broken => match reason {
            Some(r) => format!("✘ Cannot receive pushes: {}", r.explain()),
            None => "✘ Cannot receive pushes: the endpoint is INACTIVE".into(),
        },
        Health::Unknown => "? Whether it can receive pushes is unknown: the state is missing or new".into(),
    }
}

/// `value — meaning`, so that a meaning holding parentheses never nests in another pair.
fn with_meaning(value: &str, meaning: &str) -> String {
    format!("{value} — {meaning}")
}

/// Pad `s` to `width` terminal columns.
fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The readable form of `describe --output text`: the verdict, then one aligned
/// `Label  value` line per field; Name and tokens masked unless `show_secrets`. Every value,
/// including enum values this build does not know, is escaped.
pub fn endpoint_text(e: &Endpoint, show_secrets: bool) -> String {
    let reason = e.state.as_ref().and_then(|s| s.reason.as_ref());
    let mut rows: Vec<(&str, String)> = Vec::new();
    let status = match &e.state {
        None => "—".to_string(),
        Some(s) => match &s.reason {
            Some(r) => with_meaning(s.status.as_str(), r.as_str()),
            None => s.status.to_string(),
        },
    };
    rows.push(("Status", status));
    rows.push((
        "Messages",
        e.allow_messages
            .as_ref()
            .map(|a| with_meaning(a.as_str(), a.explain()))
            .unwrap_or_else(|| "—".into()),
    ));
    rows.push((
        "Type",
        e.endpoint_type.as_ref().map(|t| with_meaning(t.as_str(), t.meaning())).unwrap_or_else(|| "—".into()),
    ));
    rows.push(("EndpointId", opt(e.endpoint_id.as_deref())));
    rows.push(("UserArn", opt(e.app_instance_user_arn.as_deref())));
    rows.push(("Name", opt_secret(&e.name, show_secrets)));
    rows.push(("ResourceArn", opt(e.resource_arn.as_deref())));
    rows.push(("DeviceToken", opt_secret(&e.device_token, show_secrets)));
    rows.push(("VoipToken", opt_secret(&e.voip_device_token, show_secrets)));
    rows.push(("Created", e.created.map(|t| t.rfc3339()).unwrap_or_else(|| "—".into())));
    rows.push(("Updated", e.last_updated.map(|t| t.rfc3339()).unwrap_or_else(|| "—".into())));
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
    let mut s = escape_control(&verdict(e.health(), reason)).into_owned();
    s.push('\n');
    for (k, v) in rows {
        s.push_str(&format!("{}{}\n", pad(k, width), escape_control(&v)));
    }
    s
}

/// Rows under a header, each column as wide as its widest cell (terminal columns), two
/// spaces apart, the last column unpadded. Cells are escaped first.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| escape_control(c).into_owned()).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.width());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let n = cells.len();
        let mut l = String::new();
        for (i, c) in cells.into_iter().enumerate() {
            if i + 1 == n {
                l.push_str(c);
            } else {
                l.push_str(&pad(c, widths[i] + 2));
            }
        }
        l.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// `list --output text`: a summary line (how many, how many can receive pushes), then a
/// table with a header; an empty list says so.
pub fn summaries_text(user: &str, items: &[EndpointSummary]) -> String {
    let user = escape_control(user);
    if items.is_empty() {
        return format!("No endpoints: user {user} has none registered.\n");
    }
    let count = |h: Health| items.iter().filter(|e| e.health() == h).count();
    let mut parts = vec![format!("{} can receive pushes", count(Health::Ok))];
    for (h, one, many) in [
        (Health::Broken, "cannot (INACTIVE)", "cannot (INACTIVE)"),
        (
            Health::Muted,
            "receives no messages (AllowMessages NONE)",
            "receive no messages (AllowMessages NONE)",
        ),
        (Health::Unknown, "in an unknown state", "in an unknown state"),
    ] {
        match count(h) {
            0 => {}
            1 => parts.push(format!("1 {one}")),
            n => parts.push(format!("{n} {many}")),
        }
    }
    let mut out = format!("{} of user {user}: {}\n", count_of(items.len(), "endpoint"), parts.join(", "));
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|e| {
            let (status, reason) = match &e.state {
                Some(st) => (
                    st.status.to_string(),
                    st.reason.as_ref().map(|r| r.to_string()).unwrap_or_else(|| "—".into()),
                ),
                None => ("—".into(), "—".into()),
            };
            vec![
                opt(e.endpoint_id.as_deref()),
                status,
                reason,
                e.endpoint_type.as_ref().map(|t| t.to_string()).unwrap_or_else(|| "—".into()),
                e.allow_messages.as_ref().map(|a| a.to_string()).unwrap_or_else(|| "—".into()),
                opt_secret(&e.name, false),
            ]
        })
        .collect();
    out.push_str(&table(&["ENDPOINT ID", "STATUS", "REASON", "TYPE", "MESSAGES", "NAME"], &rows));
    out
}

/// `history --output text`: a header and one row per lookup, newest first; an empty history
/// says so (and where it is kept).
pub fn history_text(
    entries: &[crate::store::history::Entry],
    now: model::Timestamp,
    path: Option<&std::path::Path>,
) -> String {
    if entries.is_empty() {
        return match path.filter(|p| !p.as_os_str().is_empty()) {
            Some(p) => format!(
                "No recent lookups yet (they are kept in {}).\n",
                escape_control(&p.display().to_string())
            ),
            None => "No recent lookups yet.\n".into(),
        };
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let dot = if e.is_failed() { "✗" } else { "●" };
            vec![
                crate::timefmt::relative_time(e.time, now),
                model::Timestamp(e.time.0.floor()).rfc3339(),
                format!("{dot} {}", e.status_word()),
                e.endpoint_id.clone(),
                e.short_user().to_string(),
                e.region.clone(),
            ]
        })
        .collect();
    table(&["WHEN", "TIME (UTC)", "RESULT", "ENDPOINT ID", "USER", "REGION"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AllowMessages, EndpointState, EndpointStatus, EndpointType, StatusReason};

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
        for t in [endpoint_text(&e, true), summaries_text("u\u{9b}", &[e.summary()])] {
            assert!(!t.chars().any(|c| c.is_control() && c != '\n'), "{t:?}");
            assert!(t.contains("GONE\\e[5m"), "{t}");
        }
    }

    #[test]
    fn describe_text_starts_with_the_verdict_and_aligns_fields() {
        let e = Endpoint {
            endpoint_id: Some("ep-9".into()),
            endpoint_type: Some(EndpointType::Gcm),
            allow_messages: Some(AllowMessages::All),
            state: Some(EndpointState {
                status: EndpointStatus::Inactive,
                reason: Some(StatusReason::InvalidDeviceToken),
            }),
            name: Some("x".into()),
            ..Endpoint::default()
        };
        let t = endpoint_text(&e, false);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("✘ Cannot receive pushes: the push service rejected"), "{t}");
        // Every value starts in the same column.
        let col = |l: &str| {
            l.find(|c: char| c.is_whitespace()).map(|i| i + l[i..].len() - l[i..].trim_start().len())
        };
        let cols: Vec<_> = lines[1..].iter().map(|l| col(l)).collect();
        assert!(cols.windows(2).all(|w| w[0] == w[1]), "{t}");
        assert!(t.contains("GCM — Firebase Cloud Messaging (Android)"), "{t}");
        assert!(!t.contains("))"), "no nested parentheses: {t}");
        assert!(t.contains("•••••• (1 char)\n"), "{t}");
        assert!(t.contains("INACTIVE — INVALID_DEVICE_TOKEN"), "{t}");
    }

    #[test]
    fn tables_align_wide_characters() {
        let t = table(&["A", "B"], &[vec!["日本".into(), "x".into()], vec!["a".into(), "y".into()]]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines, ["A     B", "日本  x", "a     y"]);
    }
}
