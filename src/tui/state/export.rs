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
use crate::model::escape_control;
use crate::tui::action::{Cmd, Effect, Notice};

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

/// A JSON export's bytes: pretty, with every control character, bidirectional override and
/// line separator in its strings written as a `\\uXXXX` escape (the same document, nothing raw
/// for a terminal that `cat`s it).
fn json_file(doc: &serde_json::Value) -> Vec<u8> {
    let mut out = crate::model::json_pretty(doc).into_bytes();
    out.push(b'\n');
    out
}

/// The list's visible rows in `format` (not [`ExportFormat::Script`], the Scan pane's).
pub fn export_bytes(view: &ListView, format: ExportFormat, show_secrets: bool) -> Result<Vec<u8>, String> {
    match format {
        ExportFormat::Script => Err("a .sh export is the Scan pane's".into()),
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(csv_header(&view.rows)).map_err(|e| e.to_string())?;
            for &i in view.visible() {
                let cells = csv_row(&view.rows, i, show_secrets);
                w.write_record(cells.iter().map(|c| crate::model::csv_cell(c).into_owned()))
                    .map_err(|e| e.to_string())?;
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
            Ok(json_file(&serde_json::Value::Object(doc)))
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
                vec![Effect::Export { path: path.to_string(), bytes, what, replace: false }]
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
                Ok((
                    json_file(&doc),
                    format!("{} endpoint{}", rows.len(), if rows.len() == 1 { "" } else { "s" }),
                ))
            }
            ExportFormat::Script => {
                // Opted-out rows (AllowMessages NONE, the user's choice) only when marked.
                let picked: Vec<usize> = if pane.marked().is_empty() {
                    pane.by_default()
                } else {
                    pane.marked().iter().copied().collect()
                };
                let left_out = shown.len().saturating_sub(pane.by_default().len());
                let mut text = format!(
                    "#!/bin/sh\n# Deregister {} endpoint(s) of {} that a chimescope scan found cannot receive pushes.\n# Review before running: each line deregisters one endpoint, for good.\n",
                    picked.len(),
                    escape_control(&pane.instance)
                );
                if pane.marked().is_empty() && left_out > 0 {
                    text.push_str(&format!(
                        "# Left out: {left_out} opted out (AllowMessages NONE, the user's choice); mark one to include it.\n"
                    ));
                }
                let mut refused = 0;
                for r in picked.iter().filter_map(|&i| pane.row(i)) {
                    let line = self.script_line(r);
                    if line.starts_with('#') {
                        refused += 1;
                    } else {
                        // Why, as a comment of one line (escaped: no line break in it).
                        let why = crate::tui::state::scan::ScanPane::why(r).1;
                        text.push_str(&format!(
                            "# {}: {}\n",
                            escape_control(&r.endpoint_id),
                            escape_control(&why).replace(['\n', '\r'], " ")
                        ));
                    }
                    text.push_str(&line);
                    text.push('\n');
                }
                let what = if pane.marked().is_empty() { "the rows shown" } else { "the marked rows" };
                let mut what = format!("{} deregistration command(s) ({what})", picked.len() - refused);
                if refused > 0 {
                    what.push_str(&format!(
                        "; {refused} left out as comments (not a valid ARN or ID, or holding control characters)"
                    ));
                }
                if pane.marked().is_empty() && left_out > 0 {
                    what.push_str(&format!("; {left_out} opted out left out (mark one to include it)"));
                }
                Ok((text.into_bytes(), what))
            }
        };
        match made {
            Ok((bytes, what)) => vec![Effect::Export { path: path.to_string(), bytes, what, replace: false }],
            Err(e) => {
                self.notify(Notice::error(format!("Not exported: {e}")));
                vec![]
            }
        }
    }
}

impl App {
    /// The event loop found `:export`'s file there: ask before replacing it.
    pub(super) fn export_exists(&mut self, pending: crate::tui::action::PendingExport) {
        self.notify(Notice::info(format!(
            "{} exists: y replaces it, n keeps it",
            escape_control(&pending.path)
        )));
        self.export_pending = Some(pending);
    }

    /// y or n (Esc) while an export waits for the word to replace its file; any other key
    /// repeats the question. None: no export waits.
    pub(super) fn export_pending_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        let pending = self.export_pending.take()?;
        Some(match c {
            Cmd::Confirm => {
                let crate::tui::action::PendingExport { path, bytes, what } = pending;
                vec![Effect::Export { path, bytes, what, replace: true }]
            }
            Cmd::Cancel => {
                self.notify(Notice::info(format!(
                    "Not exported: {} is kept as it was",
                    escape_control(&pending.path)
                )));
                vec![]
            }
            _ => {
                self.export_exists(pending);
                vec![]
            }
        })
    }

    /// A row's line in a `.sh` export: the AWS CLI command that deregisters it, every value
    /// quoted for the shell; or, for a row whose user ARN or endpoint ID is not one the service
    /// could have, or holds a character `cat` would not show as it is (control characters,
    /// bidirectional overrides, line separators), a comment saying so with those escaped as
    /// visible text. The command is written only when the shell's reading of it (shlex's POSIX
    /// splitting) gives back exactly the words meant, so what `cat` shows is what runs.
    fn script_line(&self, r: &crate::scan::report::Row) -> String {
        let refuse = |why: &str| {
            format!(
                "# left out: {} endpoint {}: {}",
                escape_control(&r.app_instance_user_arn),
                escape_control(&r.endpoint_id),
                escape_control(why)
            )
        };
        if let Err(e) = crate::model::parse_user_arn(&r.app_instance_user_arn) {
            return refuse(&e.to_string());
        }
        if let Err(e) = crate::model::validate_endpoint_id(&r.endpoint_id) {
            return refuse(&e.to_string());
        }
        let w = crate::model::write::Write::Deregister {
            user_arn: r.app_instance_user_arn.clone(),
            endpoint_id: r.endpoint_id.clone(),
        };
        let args = w.cli_args(false);
        let region = self.arn_region(&r.app_instance_user_arn);
        let line = self.cli_for(w.cli_operation(), &args, &region);
        if crate::model::has_hidden(&line) {
            return refuse("it holds control or bidirectional characters");
        }
        let words = shlex::split(&line).unwrap_or_default();
        let meant = args.iter().all(|(k, v)| words.windows(2).any(|p| p[0] == *k && p[1] == *v));
        if !meant || words.first().map(String::as_str) != Some("aws") {
            return refuse("it cannot be written as one shell command");
        }
        line
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

    /// When the file exists, y sends the export again to replace it, n keeps it,
    /// another key asks again.
    #[test]
    fn an_existing_file_is_replaced_only_after_y() {
        use crate::tui::action::{Action, PendingExport};
        use crate::tui::state::session::Session;
        let pending =
            PendingExport { path: "x.csv".into(), bytes: b"a\n".to_vec(), what: "1 endpoint".into() };
        let mut a = App::new(Session::demo());
        let _ = a.update(Action::ExportExists(Box::new(pending.clone())));
        assert!(a.notice().is_some_and(|n| n.text == "x.csv exists: y replaces it, n keeps it"));
        assert_eq!(a.hint_focus(), crate::tui::keymap::HintFocus::ExportReplace);
        assert!(a.update(Action::Cmd(Cmd::Down)).is_empty());
        assert!(a.notice().is_some_and(|n| n.text.contains("y replaces it")), "asked again");
        let eff = a.update(Action::Cmd(Cmd::Confirm));
        assert_eq!(
            eff,
            vec![Effect::Export {
                path: pending.path.clone(),
                bytes: pending.bytes.clone(),
                what: pending.what.clone(),
                replace: true
            }]
        );
        let _ = a.update(Action::ExportExists(Box::new(pending)));
        assert!(a.update(Action::Cmd(Cmd::Cancel)).is_empty());
        assert!(a.notice().is_some_and(|n| n.text == "Not exported: x.csv is kept as it was"));
        assert_ne!(a.hint_focus(), crate::tui::keymap::HintFocus::ExportReplace);
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
