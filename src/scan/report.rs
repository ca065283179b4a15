//! What a scan keeps and prints: one [`Row`] per endpoint (never its Name or tokens), the
//! [`Tally`] of counts, and the three outputs (JSON summary, CSV, text), each written by streaming
//! the rows file, so the whole set is never held in memory.

use crate::doctor::verdict::{self, Checked, Level};
use crate::doctor::{self, Finding};
use crate::model::{Endpoint, EndpointSummary, csv_cell, escape_control, json_pretty};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// The CSV header.
pub const CSV_HEADER: [&str; 7] =
    ["AppInstanceUserArn", "EndpointId", "Type", "AllowMessages", "Status", "StatusReason", "Findings"];

/// One finding as a row keeps it (the doctor's evidence never holds a token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RowFinding {
    pub code: String,
    pub severity: String,
    pub message: String,
    pub evidence: String,
    pub fix: String,
}

impl From<&Finding> for RowFinding {
    fn from(f: &Finding) -> Self {
        Self {
            code: f.code.to_string(),
            severity: f.severity.as_str().to_string(),
            message: f.message.clone(),
            evidence: f.evidence.clone(),
            fix: f.fix.clone(),
        }
    }
}

/// One endpoint's result, as the rows file holds it (one JSON object a line).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Row {
    pub app_instance_user_arn: String,
    pub endpoint_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_messages: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// With `--describe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_timestamp: Option<String>,
    /// With `--diagnose`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<RowFinding>>,
    /// Pushes will not arrive (INACTIVE, no known state, with `--diagnose` an error finding).
    pub cannot_receive: bool,
    /// AllowMessages NONE and nothing worse: the user's choice, counted apart, never "cannot
    /// receive". Absent from rows written before it was kept.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opted_out: bool,
}

#[cfg(test)]
impl Row {
    /// A GCM row that cannot receive, for the tests of what shows rows.
    pub(crate) fn for_test(
        user_arn: &str,
        id: &str,
        status: &str,
        reason: Option<&str>,
        allow: &str,
    ) -> Self {
        Self {
            app_instance_user_arn: user_arn.into(),
            endpoint_id: id.into(),
            r#type: Some("GCM".into()),
            allow_messages: Some(allow.into()),
            status: Some(status.into()),
            status_reason: reason.map(str::to_string),
            resource_arn: None,
            created_timestamp: None,
            last_updated_timestamp: None,
            findings: None,
            cannot_receive: allow != "NONE" || status != "ACTIVE",
            opted_out: allow == "NONE" && status == "ACTIVE",
        }
    }
}

impl Row {
    /// The row of a listed endpoint (no describe).
    pub fn from_summary(user: &str, s: &EndpointSummary) -> Self {
        let found = doctor::summary_findings(s);
        let level = verdict::read(s.state.as_ref(), s.allow_messages.as_ref(), &found, Checked::State).level;
        Self {
            app_instance_user_arn: s.app_instance_user_arn.clone().unwrap_or_else(|| user.to_string()),
            endpoint_id: s.endpoint_id.clone().unwrap_or_default(),
            r#type: s.endpoint_type.as_ref().map(|t| t.as_str().to_string()),
            allow_messages: s.allow_messages.as_ref().map(|a| a.as_str().to_string()),
            status: s.state.as_ref().map(|st| st.status.as_str().to_string()),
            status_reason: s.state.as_ref().and_then(|st| st.reason.as_ref()).map(|r| r.as_str().to_string()),
            resource_arn: None,
            created_timestamp: None,
            last_updated_timestamp: None,
            findings: None,
            cannot_receive: level.cannot_receive(),
            opted_out: level == Level::OptedOut,
        }
    }

    /// Kept in the rows file and shown in the Scan pane: it cannot receive, or it opted out.
    pub fn kept(&self) -> bool {
        self.cannot_receive || self.opted_out
    }

    /// The row of a described endpoint, with the doctor's findings when given: an error finding
    /// also means it cannot receive.
    pub fn from_record(user: &str, ep: &Endpoint, findings: Option<&[Finding]>) -> Self {
        let mut row = Self::from_summary(user, &ep.summary());
        row.resource_arn = ep.resource_arn.clone();
        row.created_timestamp = ep.created.map(|t| t.rfc3339());
        row.last_updated_timestamp = ep.last_updated.map(|t| t.rfc3339());
        if let Some(f) = findings {
            // The one verdict, from every finding (an error one means it cannot receive).
            let level =
                verdict::read(ep.state.as_ref(), ep.allow_messages.as_ref(), f, Checked::Channel).level;
            row.cannot_receive = level.cannot_receive();
            row.opted_out = level == Level::OptedOut;
            row.findings = Some(f.iter().map(RowFinding::from).collect());
        }
        row
    }

    /// The entry of `CannotReceive` in the JSON summary.
    pub fn to_json(&self) -> Value {
        let mut m = serde_json::Map::new();
        m.insert("AppInstanceUserArn".into(), json!(self.app_instance_user_arn));
        m.insert("EndpointId".into(), json!(self.endpoint_id));
        crate::model::put_opt(&mut m, "Type", self.r#type.clone());
        crate::model::put_opt(&mut m, "AllowMessages", self.allow_messages.clone());
        if let Some(s) = &self.status {
            let mut st = serde_json::Map::new();
            st.insert("Status".into(), json!(s));
            crate::model::put_opt(&mut st, "StatusReason", self.status_reason.clone());
            m.insert("EndpointState".into(), Value::Object(st));
        }
        crate::model::put_opt(&mut m, "ResourceArn", self.resource_arn.clone());
        crate::model::put_opt(&mut m, "CreatedTimestamp", self.created_timestamp.clone());
        crate::model::put_opt(&mut m, "LastUpdatedTimestamp", self.last_updated_timestamp.clone());
        if let Some(f) = &self.findings {
            m.insert("Findings".into(), serde_json::to_value(f).unwrap_or_default());
        }
        Value::Object(m)
    }

    /// The finding codes, `;`-separated (the CSV's Findings column).
    pub fn finding_codes(&self) -> String {
        self.findings
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// The counts of a scan, kept in the checkpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tally {
    pub users: u64,
    pub endpoints: u64,
    pub by_status: BTreeMap<String, u64>,
    pub by_reason: BTreeMap<String, u64>,
    pub by_type: BTreeMap<String, u64>,
    pub by_allow_messages: BTreeMap<String, u64>,
    pub cannot_receive: u64,
    /// AllowMessages NONE (and nothing worse): counted apart from `cannot_receive`.
    #[serde(default)]
    pub opted_out: u64,
    pub requests: u64,
    pub throttled: u64,
    /// Pinpoint reads (`--diagnose`'s Pinpoint checks), not in `requests`: another API and
    /// quota. Absent from a checkpoint written before they were counted.
    #[serde(default)]
    pub pinpoint_requests: u64,
    pub seconds: f64,
}

/// The key counted for an absent value.
const NONE: &str = "(none)";

impl Tally {
    pub fn add(&mut self, row: &Row) {
        let key = |v: &Option<String>| v.clone().unwrap_or_else(|| NONE.to_string());
        self.endpoints += 1;
        *self.by_status.entry(key(&row.status)).or_default() += 1;
        if let Some(r) = &row.status_reason {
            *self.by_reason.entry(r.clone()).or_default() += 1;
        }
        *self.by_type.entry(key(&row.r#type)).or_default() += 1;
        *self.by_allow_messages.entry(key(&row.allow_messages)).or_default() += 1;
        if row.cannot_receive {
            self.cannot_receive += 1;
        }
        if row.opted_out {
            self.opted_out += 1;
        }
    }
}

/// What the report needs besides the rows.
pub struct Summary<'a> {
    pub app_instance_arn: &'a str,
    pub tally: &'a Tally,
    /// With `--diagnose`: why the Pinpoint checks were not run, when they were not.
    pub pinpoint_off: Option<&'a str>,
    /// What each endpoint's verdict checked (the state alone, the record, the channel too).
    pub checked: Checked,
}

impl Summary<'_> {
    /// What was checked, in words, for a report where nothing was found.
    fn what_was_checked(&self) -> &'static str {
        match self.checked {
            Checked::Channel => {
                "Every endpoint can receive pushes (state, record and Pinpoint channel checked)."
            }
            Checked::PinpointOff => {
                "No endpoint is INACTIVE, in an unknown state or has an error in its record; Pinpoint channels not checked (Pinpoint checks off)."
            }
            _ => {
                "No endpoint is INACTIVE or in an unknown state; records and Pinpoint channels not checked: `scan --diagnose`."
            }
        }
    }
}

/// The widest a column of the text report's rows is padded to (a longer cell pushes its row).
const COLUMN_MAX: usize = 40;

fn rows_of(rows: impl BufRead) -> impl Iterator<Item = std::io::Result<Row>> {
    rows.lines().filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty())).map(|l| {
        let l = l?;
        serde_json::from_str::<Row>(&l).map_err(|e| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("a row of the scan: {e}"))
        })
    })
}

fn indent(s: &str, by: &str) -> String {
    s.lines().collect::<Vec<_>>().join(&format!("\n{by}"))
}

/// The JSON summary, `CannotReceive` streamed from the rows, one entry a line.
pub fn write_json(out: &mut impl Write, s: &Summary<'_>, rows: impl BufRead) -> std::io::Result<()> {
    let t = s.tally;
    let head = [
        ("AppInstanceArn", json!(s.app_instance_arn)),
        ("Users", json!(t.users)),
        ("Endpoints", json!(t.endpoints)),
        ("ByStatus", json!(t.by_status)),
        ("ByReason", json!(t.by_reason)),
        ("ByType", json!(t.by_type)),
        ("ByAllowMessages", json!(t.by_allow_messages)),
        ("OptedOut", json!(t.opted_out)),
        ("Checked", json!(checked_word(s.checked))),
    ];
    let mut head = head.to_vec();
    if let Some(why) = s.pinpoint_off {
        // Said in the data, not only on a terminal: the channels were not read.
        head.push(("PinpointChecks", json!(format!("skipped ({why})"))));
    }
    writeln!(out, "{{")?;
    for (k, v) in head {
        writeln!(out, "  \"{k}\": {},", indent(&json_pretty(&v), "  "))?;
    }
    write!(out, "  \"CannotReceive\": [")?;
    let mut first = true;
    for row in rows_of(rows) {
        let row = row?;
        if !row.cannot_receive {
            continue;
        }
        let line = json_pretty(&row.to_json()).lines().map(str::trim).collect::<Vec<_>>().join(" ");
        write!(out, "{}\n    {line}", if first { "" } else { "," })?;
        first = false;
    }
    writeln!(out, "{}],", if first { "" } else { "\n  " })?;
    writeln!(out, "  \"Requests\": {},", t.requests)?;
    writeln!(out, "  \"Throttled\": {},", t.throttled)?;
    writeln!(out, "  \"PinpointRequests\": {},", t.pinpoint_requests)?;
    writeln!(out, "  \"Seconds\": {}", json!((t.seconds * 1000.0).round() / 1000.0))?;
    writeln!(out, "}}")
}

/// One CSV row per endpoint, with the header; Name never. Each cell through [`csv_cell`]: no
/// raw control character, nothing a spreadsheet would run as a formula.
pub fn write_csv(out: &mut impl Write, rows: impl BufRead) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for row in rows_of(rows) {
        let row = row?;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let cells = [
            row.app_instance_user_arn.clone(),
            row.endpoint_id.clone(),
            opt(&row.r#type),
            opt(&row.allow_messages),
            opt(&row.status),
            opt(&row.status_reason),
            row.finding_codes(),
        ];
        w.write_record(cells.iter().map(|c| csv_cell(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// What the verdicts checked, as the JSON summary's `Checked` says it.
fn checked_word(c: Checked) -> &'static str {
    match c {
        Checked::Channel => "state, record, pinpoint",
        Checked::PinpointOff => "state, record",
        _ => "state",
    }
}

fn counts(m: &BTreeMap<String, u64>) -> String {
    if m.is_empty() {
        return "none".into();
    }
    m.iter().map(|(k, v)| format!("{} {v}", escape_control(k))).collect::<Vec<_>>().join(", ")
}

/// The codes of a row's error findings.
fn errors(row: &Row) -> impl Iterator<Item = &str> {
    row.findings
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter(|f| f.severity == "error")
        .map(|f| f.code.as_str())
}

/// The report for people: the counts, then the endpoints that cannot receive.
pub fn write_text(out: &mut impl Write, s: &Summary<'_>, rows: impl BufRead) -> std::io::Result<()> {
    let t = s.tally;
    writeln!(out, "App instance {}", escape_control(s.app_instance_arn))?;
    let pinpoint = match t.pinpoint_requests {
        0 => String::new(),
        n => format!(", {n} Pinpoint requests,"),
    };
    writeln!(
        out,
        "{} users, {} endpoints; {} requests ({} throttled){pinpoint} in {:.1} s",
        t.users, t.endpoints, t.requests, t.throttled, t.seconds
    )?;
    writeln!(out, "By status:         {}", counts(&t.by_status))?;
    writeln!(out, "By reason:         {}", counts(&t.by_reason))?;
    writeln!(out, "By type:           {}", counts(&t.by_type))?;
    writeln!(out, "By AllowMessages:  {}", counts(&t.by_allow_messages))?;
    if let Some(why) = s.pinpoint_off {
        writeln!(out, "Pinpoint channel checks: not run ({}).", escape_control(why))?;
    }
    if t.opted_out > 0 {
        writeln!(out, "Opted out (AllowMessages NONE, the user's choice): {}", t.opted_out)?;
    }
    if t.cannot_receive == 0 {
        writeln!(out, "{}", s.what_was_checked())?;
        return Ok(());
    }
    writeln!(out, "Cannot receive pushes: {}", t.cannot_receive)?;
    // The columns aligned (each as wide as its widest cell, up to COLUMN_MAX), so the rows are
    // held first: only the ones that cannot receive, and only what is printed of them.
    let mut lines: Vec<([String; 3], String, Vec<String>)> = Vec::new();
    for row in rows_of(rows) {
        let row = row?;
        if !row.cannot_receive {
            continue;
        }
        let why = match (row.status.as_deref(), row.status_reason.as_deref(), row.allow_messages.as_deref()) {
            (Some("INACTIVE"), Some(r), _) => format!("INACTIVE {r}"),
            (Some("INACTIVE"), None, _) => "INACTIVE".to_string(),
            (Some("ACTIVE"), _, Some("NONE")) => "AllowMessages NONE".to_string(),
            (None, _, _) => "no state".to_string(),
            (Some(s), _, _) if errors(&row).next().is_some() => {
                format!("{s}, but {}", errors(&row).collect::<Vec<_>>().join(", "))
            }
            (Some(s), _, _) => s.to_string(),
        };
        let cells = [
            escape_control(crate::model::short_user(&row.app_instance_user_arn)).into_owned(),
            escape_control(&row.endpoint_id).into_owned(),
            escape_control(row.r#type.as_deref().unwrap_or("?")).into_owned(),
        ];
        let findings = row
            .findings
            .as_deref()
            .unwrap_or_default()
            .iter()
            .filter(|f| f.severity != "info")
            .map(|f| format!("      {} [{}]: {}", f.severity, f.code, escape_control(&f.message)))
            .collect();
        lines.push((cells, escape_control(&why).into_owned(), findings));
    }
    let width = |c: &str| unicode_width::UnicodeWidthStr::width(c);
    let mut widths = [0usize; 3];
    for (cells, ..) in &lines {
        for (w, c) in widths.iter_mut().zip(cells) {
            *w = (*w).max(width(c).min(COLUMN_MAX));
        }
    }
    for (cells, why, findings) in lines {
        let mut line = String::from("  ");
        for (c, w) in cells.iter().zip(widths) {
            line.push_str(c);
            line.push_str(&" ".repeat(w.saturating_sub(width(c)) + 2));
        }
        line.push_str(&why);
        writeln!(out, "{line}")?;
        for f in findings {
            writeln!(out, "{f}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AllowMessages, EndpointState, EndpointStatus, EndpointType, StatusReason};

    fn summary(
        id: &str,
        status: EndpointStatus,
        reason: Option<StatusReason>,
        allow: AllowMessages,
    ) -> EndpointSummary {
        EndpointSummary {
            app_instance_user_arn: Some("arn:aws:chime:us-east-1:1:app-instance/i/user/u".into()),
            endpoint_id: Some(id.into()),
            name: Some("secret name".into()),
            endpoint_type: Some(EndpointType::Gcm),
            allow_messages: Some(allow),
            state: Some(EndpointState { status, reason }),
        }
    }

    fn rows() -> Vec<Row> {
        vec![
            Row::from_summary("u", &summary("ok", EndpointStatus::Active, None, AllowMessages::All)),
            Row::from_summary(
                "u",
                &summary(
                    "bad",
                    EndpointStatus::Inactive,
                    Some(StatusReason::InvalidDeviceToken),
                    AllowMessages::All,
                ),
            ),
            Row::from_summary("u", &summary("muted", EndpointStatus::Active, None, AllowMessages::None)),
        ]
    }

    fn file(rows: &[Row]) -> std::io::Cursor<Vec<u8>> {
        let text: String = rows.iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect();
        std::io::Cursor::new(text.into_bytes())
    }

    #[test]
    fn the_tally_counts_each_way_and_opted_out_apart_from_cannot_receive() {
        let mut t = Tally::default();
        for r in rows() {
            t.add(&r);
        }
        assert_eq!(t.endpoints, 3);
        assert_eq!(t.by_status["ACTIVE"], 2);
        assert_eq!(t.by_reason["INVALID_DEVICE_TOKEN"], 1);
        assert_eq!(t.by_allow_messages["NONE"], 1);
        assert_eq!(t.cannot_receive, 1, "INACTIVE only: opting out is the user's choice");
        assert_eq!(t.opted_out, 1);
    }

    #[test]
    fn the_json_summary_is_json_with_the_rows_that_cannot_receive_and_no_name() {
        let mut t = Tally { users: 1, ..Default::default() };
        for r in rows() {
            t.add(&r);
        }
        let mut out = Vec::new();
        write_json(
            &mut out,
            &Summary { app_instance_arn: "arn:i", tally: &t, pinpoint_off: None, checked: Checked::State },
            file(&rows()),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("secret name"));
        let v: Value = serde_json::from_str(&text).unwrap();
        let ids: Vec<&str> = v["CannotReceive"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["EndpointId"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["bad"], "an opted-out endpoint is counted apart");
        assert_eq!(v["OptedOut"], 1);
        assert_eq!(v["Checked"], "state");
        assert_eq!(v["CannotReceive"][0]["EndpointState"]["StatusReason"], "INVALID_DEVICE_TOKEN");
        assert_eq!(v["ByStatus"]["INACTIVE"], 1);
        let mut out = Vec::new();
        write_json(
            &mut out,
            &Summary {
                app_instance_arn: "arn:i",
                tally: &Tally::default(),
                pinpoint_off: None,
                checked: Checked::State,
            },
            file(&[]),
        )
        .unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["CannotReceive"], json!([]));
    }

    #[test]
    fn the_csv_has_the_header_and_a_row_per_endpoint() {
        let mut out = Vec::new();
        write_csv(&mut out, file(&rows())).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "AppInstanceUserArn,EndpointId,Type,AllowMessages,Status,StatusReason,Findings");
        assert_eq!(lines.len(), 4);
        assert!(lines[2].ends_with(",bad,GCM,ALL,INACTIVE,INVALID_DEVICE_TOKEN,"), "{}", lines[2]);
    }

    #[test]
    fn the_text_reports_rows_are_in_aligned_columns() {
        let mut short = Row::from_summary(
            "arn:aws:chime:us-east-1:1:app-instance/i/user/u",
            &summary(
                "a",
                EndpointStatus::Inactive,
                Some(StatusReason::InvalidDeviceToken),
                AllowMessages::All,
            ),
        );
        short.endpoint_id = "a".into();
        let mut long = short.clone();
        long.endpoint_id = "a-much-longer-id".into();
        long.app_instance_user_arn = "arn:aws:chime:us-east-1:1:app-instance/i/user/user-two".into();
        let rows: String = [&short, &long].iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect();
        let mut t = Tally::default();
        t.add(&short);
        t.add(&long);
        let mut out = Vec::new();
        let s = Summary { app_instance_arn: "arn:i", tally: &t, pinpoint_off: None, checked: Checked::State };
        write_text(&mut out, &s, rows.as_bytes()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("INACTIVE INVALID")).collect();
        assert_eq!(lines.len(), 2, "{text}");
        let col = |l: &str| l.find("GCM").unwrap();
        assert_eq!(col(lines[0]), col(lines[1]), "{text}");
        let why = |l: &str| l.find("INACTIVE").unwrap();
        assert_eq!(why(lines[0]), why(lines[1]), "{text}");
    }
}
