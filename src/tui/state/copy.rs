//! What `y`, `Y` and `c` copy from the detail pane: a field's real value (or a finding of the
//! Diagnosis group, as text with its evidence and fix), the endpoint as
//! JSON (following the mask on screen), the equivalent AWS CLI command.

use super::app::App;
use super::detail::Detail;
use crate::aws::op;
use crate::jobs::worker::Query;
use crate::model::Target;
use crate::model::{self, Endpoint};
use crate::tui::action::{Effect, Notice};

impl App {
    pub(super) fn copy_field(&mut self) -> Vec<Effect> {
        // On a finding: the finding with its evidence and fix (the evidence is masked).
        if let Some(i) = self.selected_finding()
            && let Some(f) = self.diagnosis().get(i)
        {
            return vec![Effect::Copy { what: format!("finding {}", f.code), text: f.to_text() }];
        }
        match &self.detail {
            Detail::Endpoint { endpoint, .. } => {
                let f = self.selected_field();
                match f.raw(endpoint) {
                    Some(text) => {
                        // The real value, though the screen masks it: said, so that it is no surprise.
                        let what = if f.is_secret() && !self.show_secrets {
                            format!("{} in clear", f.what())
                        } else {
                            f.what().to_string()
                        };
                        vec![Effect::Copy { what, text }]
                    }
                    None => {
                        self.notify(Notice::info(format!("Nothing to copy: the {} is not set", f.what())));
                        vec![]
                    }
                }
            }
            Detail::Error { error, .. } => {
                vec![Effect::Copy { what: "error report".into(), text: error.report(op::DESCRIBE_ENDPOINT) }]
            }
            _ => {
                self.notify(Notice::info("Nothing to copy yet"));
                vec![]
            }
        }
    }

    pub(super) fn copy_json(&mut self) -> Vec<Effect> {
        match &self.detail {
            Detail::Endpoint { endpoint, .. } => vec![endpoint_json_copy(endpoint, self.show_secrets)],
            Detail::Error { .. } => self.copy_field(),
            _ => {
                self.notify(Notice::info("Nothing to copy yet"));
                vec![]
            }
        }
    }

    /// The AWS CLI command that does the same lookup.
    pub fn cli_command(&self, q: &Query) -> Option<String> {
        let Query::Describe { user_arn, endpoint_id } = q else { return None };
        let region = self.query_region(q);
        Some(self.cli_for(
            "describe-app-instance-user-endpoint",
            &[("--app-instance-user-arn", user_arn.clone()), ("--endpoint-id", endpoint_id.clone())],
            &region,
        ))
    }

    /// The region a request about `arn` goes to ("" or unparsable: the profile's).
    pub fn arn_region(&self, arn: &str) -> String {
        let parsed = model::parse_chime_arn("ARN", arn).ok();
        self.session.region_for(parsed.as_ref().map(|p| p.region()))
    }

    /// An AWS CLI command line with this session's profile and endpoint URL.
    pub(super) fn cli_for(&self, operation: &str, args: &[(&str, String)], region: &str) -> String {
        self.cli_for_in("chime-sdk-identity", operation, args, region)
    }

    /// [`Self::cli_for`] for another service of the AWS CLI (`pinpoint`).
    pub(super) fn cli_for_in(
        &self,
        service: &str,
        operation: &str,
        args: &[(&str, String)],
        region: &str,
    ) -> String {
        let profile = (!matches!(self.session.profile.as_str(), "default" | "demo"))
            .then_some(self.session.profile.as_str());
        let url = match &self.session.target {
            Target::Aws => None,
            Target::Custom(u) | Target::Demo(u) => Some(u.as_str()),
        };
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let at = crate::commands::aws_cli::CliTarget { region, profile, endpoint_url: url };
        crate::commands::aws_cli::aws_cli_line(service, operation, &args, &at)
    }

    pub(super) fn copy_command(&mut self) -> Vec<Effect> {
        let q = match &self.detail {
            Detail::Endpoint { query, .. } | Detail::Error { query, .. } | Detail::Loading { query, .. } => {
                Some(query.clone())
            }
            Detail::Empty => None,
        };
        let q = q.or_else(|| {
            (self.arn_check().is_ok() && self.id_check().is_ok()).then(|| Query::Describe {
                user_arn: self.arn().value().to_string(),
                endpoint_id: self.endpoint_id().value().to_string(),
            })
        });
        match q.and_then(|q| self.cli_command(&q)) {
            Some(text) => vec![Effect::Copy { what: "AWS CLI command".into(), text }],
            None => {
                self.notify(Notice::info("Nothing to copy yet: enter a user ARN and an endpoint ID"));
                vec![]
            }
        }
    }
}

/// `Y`: the endpoint as JSON, following the mask on screen. Masked (the default), Name and
/// the device tokens are replaced by "(masked, N chars)" and the message says so; shown
/// (`s`), they are copied in clear and the message says that too.
pub fn endpoint_json_copy(e: &Endpoint, show_secrets: bool) -> Effect {
    if show_secrets {
        let secrets = e.name.is_some() || e.device_token.is_some() || e.voip_device_token.is_some();
        let what =
            if secrets { "endpoint as JSON, Name and device tokens in clear" } else { "endpoint as JSON" };
        return Effect::Copy { what: what.into(), text: e.to_cli_json_string() };
    }
    Effect::Copy {
        what: "endpoint as JSON, Name and device tokens masked (s shows them)".into(),
        text: masked(e).to_cli_json_string(),
    }
}

/// The record with Name and the tokens masked as copied JSON masks them.
fn masked(e: &Endpoint) -> Endpoint {
    let mut m = e.clone();
    for v in [&mut m.name, &mut m.device_token, &mut m.voip_device_token] {
        if let Some(s) = v.as_mut() {
            *s = masked_value(s);
        }
    }
    m
}

/// Records as `{"AppInstanceUserEndpoints": [...]}` (the endpoints a batch deregistered), Name
/// and tokens following the mask on screen.
pub fn endpoints_json_copy(es: &[&Endpoint], show_secrets: bool) -> Effect {
    let records: Vec<serde_json::Value> = es
        .iter()
        .map(|e| {
            let e = if show_secrets { (*e).clone() } else { masked(e) };
            e.to_json_with(|t| serde_json::Value::String(t.rfc3339()))
        })
        .collect();
    let n = records.len();
    let text = serde_json::to_string_pretty(&serde_json::json!({ "AppInstanceUserEndpoints": records }))
        .unwrap_or_default();
    let what = if show_secrets {
        format!("{n} removed records as JSON, Name and device tokens in clear")
    } else {
        format!("{n} removed records as JSON, Name and device tokens masked (s shows them)")
    };
    Effect::Copy { what, text }
}

/// What a masked secret becomes in copied JSON.
pub fn masked_value(s: &str) -> String {
    format!("(masked, {} chars)", s.chars().count())
}
