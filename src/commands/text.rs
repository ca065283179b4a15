//! The text forms of the commands' output (`--output text`): the verdict and aligned fields
//! of `describe`, the summary and table of `list`, and the table `history` prints. Every value
//! is escaped for the terminal; secrets are masked unless asked for.

use crate::doctor::{self, verdict};
use crate::model::{Endpoint, EndpointSummary, Timestamp, count_of, escape_control, mask};
use unicode_width::UnicodeWidthStr;

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

/// The verdict line of a record: the doctor's record findings, the Pinpoint channel not
/// checked (the verdict says so).
pub fn record_verdict(e: &Endpoint, now: Timestamp) -> verdict::Reading {
    let findings = doctor::endpoint_findings(e, now);
    verdict::read(e.state.as_ref(), e.allow_messages.as_ref(), &findings, verdict::Checked::Record)
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
pub fn endpoint_text(e: &Endpoint, show_secrets: bool, now: Timestamp) -> String {
    let mut rows: Vec<(&str, String)> = Vec::new();
    // The state, not the outcome (the verdict says that).
    let status = match &e.state {
        None => "—".to_string(),
        Some(s) => match &s.reason {
            Some(r) => with_meaning(s.status.as_str(), r.as_str()),
            None => with_meaning(s.status.as_str(), verdict::state_meaning(&s.status)),
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
    let mut s = escape_control(&record_verdict(e, now).text).into_owned();
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
    // A summary holds the state and AllowMessages only: the verdict says what was not checked.
    let levels: Vec<verdict::Level> = items
        .iter()
        .map(|e| {
            let f = doctor::summary_findings(e);
            verdict::read(e.state.as_ref(), e.allow_messages.as_ref(), &f, verdict::Checked::State).level
        })
        .collect();
    let count = |l: verdict::Level| levels.iter().filter(|x| **x == l).count();
    let mut parts = Vec::new();
    for (l, words) in [
        (verdict::Level::Unchecked, "with state OK"),
        (verdict::Level::Error, "cannot receive (INACTIVE)"),
        (verdict::Level::OptedOut, "opted out (AllowMessages NONE)"),
        (verdict::Level::Unknown, "in an unknown state"),
    ] {
        match count(l) {
            0 => {}
            n => parts.push(format!("{n} {words}")),
        }
    }
    let mut out = format!(
        "{} of user {user}: {}; records and Pinpoint channels not checked: `chimescope doctor`\n",
        count_of(items.len(), "endpoint"),
        parts.join(", ")
    );
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
        for t in
            [endpoint_text(&e, true, Timestamp::from_secs(0.0)), summaries_text("u\u{9b}", &[e.summary()])]
        {
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
        let t = endpoint_text(&e, false, Timestamp::from_secs(0.0));
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
