//! The copy keys in a list: `y` copies the selected row's ARN (or endpoint ID), `Y` the row
//! as JSON (an endpoint's Name masked as on screen), `c` the AWS CLI command that describes
//! the row, or with no row the level's list command.

use crate::tui::action::{Effect, Notice};
use crate::tui::state::app::App;
use crate::tui::state::list::Rows;

impl App {
    /// `y` copies the selected row's ARN (or endpoint ID), `Y` the row as JSON.
    pub(super) fn copy_row(&mut self, json: bool) -> Vec<Effect> {
        let Some(view) = self.browse.top() else { return vec![] };
        let Some(i) = view.selected() else {
            self.notify(Notice::info("Nothing to copy yet"));
            return vec![];
        };
        let what = match &view.rows {
            Rows::Instances(_) => "app instance ARN",
            Rows::Users(_) => "user ARN",
            Rows::Endpoints(_) => "endpoint ID",
        };
        let show = self.show_secrets;
        let copy = if json {
            // An endpoint's Name follows the mask on screen, as `Y` in the detail pane.
            let masked = matches!(&view.rows, Rows::Endpoints(r) if r[i].name.is_some()) && !show;
            let what = match (&view.rows, show) {
                (Rows::Endpoints(r), true) if r[i].name.is_some() => "row as JSON, Name in clear",
                _ if masked => "row as JSON, Name masked (s shows it)",
                _ => "row as JSON",
            };
            view.rows.json(i).map(|mut v| {
                if masked && let Some(n) = v.get_mut("Name") {
                    *n = serde_json::Value::String(crate::tui::state::copy::masked_value(
                        n.as_str().unwrap_or(""),
                    ));
                }
                (what.to_string(), serde_json::to_string_pretty(&v).unwrap_or_default())
            })
        } else {
            view.rows.key(i).map(|k| (what.to_string(), k.to_string()))
        };
        match copy {
            Some((what, text)) => vec![Effect::Copy { what, text }],
            None => vec![],
        }
    }

    /// `c` in a list: the AWS CLI command for the selected row (describe it), or with no row
    /// the list command of the level.
    pub(super) fn copy_row_command(&mut self) -> Vec<Effect> {
        let Some(view) = self.browse.top() else { return vec![] };
        let (op, args): (&str, Vec<(&str, String)>) = match (view.selected(), &view.rows) {
            (Some(i), Rows::Endpoints(r)) => {
                let user = r[i].app_instance_user_arn.clone().unwrap_or_else(|| view.arn().to_string());
                let id = r[i].endpoint_id.clone().unwrap_or_default();
                (
                    "describe-app-instance-user-endpoint",
                    vec![("--app-instance-user-arn", user), ("--endpoint-id", id)],
                )
            }
            (Some(i), Rows::Users(r)) => (
                "describe-app-instance-user",
                vec![("--app-instance-user-arn", r[i].app_instance_user_arn.clone().unwrap_or_default())],
            ),
            (Some(i), Rows::Instances(r)) => (
                "describe-app-instance",
                vec![("--app-instance-arn", r[i].app_instance_arn.clone().unwrap_or_default())],
            ),
            (None, Rows::Endpoints(_)) => (
                "list-app-instance-user-endpoints",
                vec![("--app-instance-user-arn", view.arn().to_string())],
            ),
            (None, Rows::Users(_)) => {
                ("list-app-instance-users", vec![("--app-instance-arn", view.arn().to_string())])
            }
            (None, Rows::Instances(_)) => ("list-app-instances", vec![]),
        };
        let arn = args.first().map(|(_, v)| v.clone()).unwrap_or_default();
        let region = self.arn_region(&arn);
        let text = self.cli_for(op, &args, &region);
        vec![Effect::Copy { what: "AWS CLI command".into(), text }]
    }
}
