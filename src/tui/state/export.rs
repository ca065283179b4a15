//! `:export PATH`: the list on show (the rows that pass the filter, in the order shown) as CSV
//! or JSON, by the file's extension. The bytes are made here; the event loop writes them
//! ([`Effect::Export`]). An endpoint's Name follows the mask on screen, as `Y` does: masked
//! until `s` shows it. Over the Scan pane: its rows (the endpoints that cannot receive, those
//! the filter shows) in `chimescope scan`'s CSV and JSON shapes (they hold no Name or token),
//! or, as `.sh`, the AWS CLI commands that would deregister the marked rows (else the rows
//! shown): the batch's dry run, for a script or a change review, too long for a clipboard.

use super::app::App;
use super::command::{ExportFormat, export_format};
use super::copy::masked_value;
use super::list::{ListView, Rows};
use crate::tui::action::{Effect, Notice};

/// The CSV header of a list.
pub fn csv_header(rows: &Rows) -> &'static [&'static str] {
    match rows {
        Rows::Instances(_) => &["AppInstanceArn", "Name", "Metadata"],
        Rows::Users(_) => &["AppInstanceUserArn", "UserId", "Name", "Metadata"],
        Rows::Endpoints(_) => {
            &["EndpointId", "Status", "StatusReason", "Type", "AllowMessages", "Name", "AppInstanceUserArn"]
        }
    }
}

/// Row `i` as CSV fields.
fn csv_row(rows: &Rows, i: usize, show_secrets: bool) -> Vec<String> {
    let s = |v: Option<&str>| v.unwrap_or("").to_string();
    match rows {
        Rows::Instances(v) => {
            let r = &v[i];
            vec![s(r.app_instance_arn.as_deref()), s(r.name.as_deref()), s(r.metadata.as_deref())]
        }
        Rows::Users(v) => {
            let r = &v[i];
            vec![
                s(r.app_instance_user_arn.as_deref()),
                s(super::list::user_id(r.app_instance_user_arn.as_deref())),
                s(r.name.as_deref()),
                s(r.metadata.as_deref()),
            ]
        }
        Rows::Endpoints(v) => {
            let r = &v[i];
            let st = r.state.as_ref();
            let name = match (&r.name, show_secrets) {
                (Some(n), false) => masked_value(n),
                (n, _) => s(n.as_deref()),
            };
            vec![
                s(r.endpoint_id.as_deref()),
                s(st.map(|x| x.status.as_str())),
                s(st.and_then(|x| x.reason.as_ref()).map(|x| x.as_str())),
                s(r.endpoint_type.as_ref().map(|t| t.as_str())),
                s(r.allow_messages.as_ref().map(|a| a.as_str())),
                name,
                s(r.app_instance_user_arn.as_deref()),
            ]
        }
    }
}

/// The list's visible rows in `format` (not [`ExportFormat::Script`], the Scan pane's).
pub fn export_bytes(view: &ListView, format: ExportFormat, show_secrets: bool) -> Result<Vec<u8>, String> {
    match format {
        ExportFormat::Script => Err("a .sh export is the Scan pane's".into()),
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(csv_header(&view.rows)).map_err(|e| e.to_string())?;
            for &i in view.visible() {
                w.write_record(csv_row(&view.rows, i, show_secrets)).map_err(|e| e.to_string())?;
            }
            w.into_inner().map_err(|e| e.to_string())
        }
        ExportFormat::Json => {
            let key = match &view.rows {
                Rows::Instances(_) => "AppInstances",
                Rows::Users(_) => "AppInstanceUsers",
                Rows::Endpoints(_) => "AppInstanceUserEndpoints",
            };
            let items: Vec<serde_json::Value> = view
                .visible()
                .iter()
                .filter_map(|&i| {
                    let mut v = view.rows.json(i)?;
                    if !show_secrets
                        && matches!(view.rows, Rows::Endpoints(_))
                        && let Some(n) = v.get_mut("Name")
                    {
                        *n = serde_json::Value::String(masked_value(n.as_str().unwrap_or("")));
                    }
                    Some(v)
                })
                .collect();
            let mut doc = serde_json::Map::new();
            doc.insert(key.into(), serde_json::Value::Array(items));
            let mut out =
                serde_json::to_vec_pretty(&serde_json::Value::Object(doc)).map_err(|e| e.to_string())?;
            out.push(b'\n');
            Ok(out)
        }
    }
}

impl App {
    pub(super) fn export(&mut self, path: &str) -> Vec<Effect> {
        let Some(format) = export_format(path) else {
            self.notify(Notice::error("The file must end in .csv or .json (or .sh over the Scan pane)"));
            return vec![];
        };
        if self.scan_view().is_some() {
            return self.export_scan(path, format);
        }
        if format == ExportFormat::Script {
            self.notify(Notice::error(
                "A .sh export is the Scan pane's deregistration commands: S on an app instance first",
            ));
            return vec![];
        }
        let Some(view) = self.browse.top().filter(|_| self.browse.shows_list()) else {
            self.notify(Notice::error("No list on show to export (:instances, :users ARN, :endpoints ARN)"));
            return vec![];
        };
        match export_bytes(view, format, self.show_secrets) {
            Ok(bytes) => {
                let n = view.visible().len();
                let what = format!("{n} {}", view.rows.noun(n));
                vec![Effect::Export { path: path.to_string(), bytes, what }]
            }
            Err(e) => {
                self.notify(Notice::error(format!("Not exported: {e}")));
                vec![]
            }
        }
    }
}

impl App {
    /// The Scan pane's rows (or, as `.sh`, their deregistration commands).
    fn export_scan(&mut self, path: &str, format: ExportFormat) -> Vec<Effect> {
        let Some(pane) = self.scan_view() else { return vec![] };
        let shown = pane.visible_indices();
        let rows: Vec<&crate::scan::report::Row> = shown.iter().filter_map(|&i| pane.row(i)).collect();
        let made = match format {
            ExportFormat::Csv => {
                let lines: Vec<String> = rows.iter().filter_map(|r| serde_json::to_string(r).ok()).collect();
                let mut out = Vec::new();
                crate::scan::report::write_csv(&mut out, lines.join("\n").as_bytes())
                    .map(|()| {
                        (out, format!("{} endpoint{}", rows.len(), if rows.len() == 1 { "" } else { "s" }))
                    })
                    .map_err(|e| e.to_string())
            }
            ExportFormat::Json => {
                let doc = serde_json::json!({
                    "AppInstanceArn": pane.instance,
                    "CannotReceive": rows.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
                });
                serde_json::to_vec_pretty(&doc)
                    .map(|mut out| {
                        out.push(b'\n');
                        (out, format!("{} endpoint{}", rows.len(), if rows.len() == 1 { "" } else { "s" }))
                    })
                    .map_err(|e| e.to_string())
            }
            ExportFormat::Script => {
                // Opted-out rows (AllowMessages NONE, the user's choice) only when marked.
                let picked: Vec<usize> = if pane.marked.is_empty() {
                    pane.by_default()
                } else {
                    pane.marked.iter().copied().collect()
                };
                let left_out = shown.len().saturating_sub(pane.by_default().len());
                let mut text = format!(
                    "#!/bin/sh\n# Deregister {} endpoint(s) of {} that a chimescope scan found cannot receive pushes.\n# Review before running: each line deregisters one endpoint, for good.\n",
                    picked.len(),
                    crate::model::escape_control(&pane.instance).replace('\n', " ")
                );
                if pane.marked.is_empty() && left_out > 0 {
                    text.push_str(&format!(
                        "# Left out: {left_out} opted out (AllowMessages NONE, the user's choice); mark one to include it.\n"
                    ));
                }
                for r in picked.iter().filter_map(|&i| pane.row(i)) {
                    let w = crate::model::write::Write::Deregister {
                        user_arn: r.app_instance_user_arn.clone(),
                        endpoint_id: r.endpoint_id.clone(),
                    };
                    let region = self.arn_region(&r.app_instance_user_arn);
                    // Why, as a comment of one line (the reason is escaped: no line break in it).
                    let why = crate::tui::state::scan::ScanPane::why(r).1.replace(['\n', '\r'], " ");
                    text.push_str(&format!("# {}: {why}\n", crate::model::escape_control(&r.endpoint_id)));
                    text.push_str(&self.cli_for(w.cli_operation(), &w.cli_args(false), &region));
                    text.push('\n');
                }
                let what = if pane.marked.is_empty() { "the rows shown" } else { "the marked rows" };
                Ok((text.into_bytes(), format!("{} deregistration command(s) ({what})", picked.len())))
            }
        };
        match made {
            Ok((bytes, what)) => vec![Effect::Export { path: path.to_string(), bytes, what }],
            Err(e) => {
                self.notify(Notice::error(format!("Not exported: {e}")));
                vec![]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::worker::Query;
    use crate::model::{EndpointState, EndpointStatus, EndpointSummary, StatusReason};

    fn view() -> ListView {
        let ep = |id: &str, st: EndpointStatus, reason: Option<StatusReason>| EndpointSummary {
            app_instance_user_arn: Some("arn:aws:chime:us-east-1:1:app-instance/a/user/u".into()),
            endpoint_id: Some(id.into()),
            name: Some("Pixel, \"old\"".into()),
            state: Some(EndpointState { status: st, reason }),
            ..Default::default()
        };
        ListView::loaded(
            Query::ListEndpoints { user_arn: "u".into(), next_token: None },
            Rows::Endpoints(vec![
                ep("ep-1", EndpointStatus::Active, None),
                ep("ep-9", EndpointStatus::Inactive, Some(StatusReason::InvalidDeviceToken)),
            ]),
            true,
        )
    }

    #[test]
    fn csv_has_a_header_and_the_visible_rows_quoted() {
        let text = String::from_utf8(export_bytes(&view(), ExportFormat::Csv, true).unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "EndpointId,Status,StatusReason,Type,AllowMessages,Name,AppInstanceUserArn");
        assert_eq!(
            lines[2],
            "ep-9,INACTIVE,INVALID_DEVICE_TOKEN,,,\"Pixel, \"\"old\"\"\",arn:aws:chime:us-east-1:1:app-instance/a/user/u"
        );
        // Masked while the screen masks it.
        let text = String::from_utf8(export_bytes(&view(), ExportFormat::Csv, false).unwrap()).unwrap();
        assert!(!text.contains("Pixel"), "{text}");
        assert!(text.contains("(masked, 12 chars)"), "{text}");
    }

    #[test]
    fn json_is_the_list_operations_shape() {
        let v: serde_json::Value =
            serde_json::from_slice(&export_bytes(&view(), ExportFormat::Json, false).unwrap()).unwrap();
        let items = v["AppInstanceUserEndpoints"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1]["EndpointState"]["Status"], "INACTIVE");
        assert_eq!(items[1]["Name"], "(masked, 12 chars)");
    }
}
