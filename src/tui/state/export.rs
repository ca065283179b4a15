//! `:export PATH`: the list on show (the rows that pass the filter, in the order shown) as CSV
//! or JSON, by the file's extension. The bytes are made here; the event loop writes them
//! ([`Effect::Export`]). An endpoint's Name follows the mask on screen, as `Y` does: masked
//! until `s` shows it.

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

/// The list's visible rows in `format`.
pub fn export_bytes(view: &ListView, format: ExportFormat, show_secrets: bool) -> Result<Vec<u8>, String> {
    match format {
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
            self.notify(Notice::error("The file must end in .csv or .json"));
            return vec![];
        };
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
