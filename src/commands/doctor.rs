//! `chimescope doctor`: why a push to an endpoint will not arrive (issue 14), from the records
//! and, unless `--no-pinpoint`, from the Pinpoint app each endpoint's ResourceArn names (GetApp
//! and the channel its Type needs). Every endpoint of the user (or the one named), each with
//! its verdict and findings, and the user-level findings; exit 1 when a finding is an error.

use super::client::{bad_args, connect_for, fail};
use super::exit::{EXIT_FINDINGS, EXIT_OK};
use super::output::write_stdout;
use crate::aws::{self, Client};
use crate::cli::Output;
use crate::doctor::{self, Finding, Severity, UserExpiration};
use crate::jobs::paging;
use crate::jobs::worker::{Answer, Query};
use crate::model::{self, Endpoint, ErrorKind, ServiceError, Timestamp, escape_control, json_pretty};
use crate::settings::Settings;
use serde_json::{Value, json};

/// What the doctor found about one endpoint.
pub struct Diagnosis {
    pub endpoint_id: String,
    pub findings: Vec<Finding>,
}

/// Everything `doctor` prints.
pub struct Report {
    pub endpoints: Vec<Diagnosis>,
    pub user: Vec<Finding>,
    /// Why the Pinpoint checks were not run (`--no-pinpoint`, the config file), when they were not.
    pub pinpoint_off: Option<String>,
}

impl Report {
    pub fn has_error(&self) -> bool {
        self.endpoints
            .iter()
            .flat_map(|d| &d.findings)
            .chain(&self.user)
            .any(|f| f.severity == Severity::Error)
    }

    pub fn to_json(&self) -> Value {
        let list = |f: &[Finding]| f.iter().map(Finding::to_json).collect::<Vec<_>>();
        json!({
            "Endpoints": self.endpoints.iter().map(|d| json!({
                "EndpointId": d.endpoint_id,
                "Verdict": doctor::verdict(&d.findings).as_str(),
                "Findings": list(&d.findings),
            })).collect::<Vec<_>>(),
            "UserFindings": list(&self.user),
        })
    }

    /// A verdict line per endpoint, then its findings indented; then the user's.
    pub fn to_text(&self, user_arn: &str) -> String {
        let mut out = String::new();
        let block = |out: &mut String, head: String, findings: &[Finding]| {
            let n = model::count_of(findings.len(), "finding");
            out.push_str(&format!("{head}: {} ({n})\n", doctor::verdict(findings).as_str()));
            for f in findings {
                for line in f.to_text().lines() {
                    out.push_str(&format!("  {}\n", escape_control(line)));
                }
            }
        };
        if self.endpoints.is_empty() {
            out.push_str("The user has no endpoints.\n");
        }
        for d in &self.endpoints {
            block(&mut out, format!("endpoint {}", escape_control(&d.endpoint_id)), &d.findings);
        }
        block(&mut out, format!("user {}", escape_control(model::short_user(user_arn))), &self.user);
        if let Some(why) = &self.pinpoint_off {
            out.push_str(&format!("Pinpoint channel checks: not run ({why}).\n"));
        }
        out
    }
}

/// `chimescope doctor`.
pub async fn doctor(
    s: &Settings,
    user_arn: &str,
    endpoint_id: Option<&str>,
    output: Output,
    no_pinpoint: bool,
) -> i32 {
    let arn = match model::parse_user_arn(user_arn) {
        Ok(a) => a,
        Err(e) => return bad_args(&format!("--app-instance-user-arn: {e}")),
    };
    if let Some(id) = endpoint_id
        && let Err(e) = model::validate_endpoint_id(id)
    {
        return bad_args(&format!("--endpoint-id: {e}"));
    }
    let (client, _emu) = match connect_for(s, arn.region()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    // `[doctor] pinpoint = false` in the config file is `--no-pinpoint` too.
    let pinpoint_off = if no_pinpoint { Some("--no-pinpoint".to_string()) } else { s.pinpoint_off() };
    let report = match gather(&client, user_arn, endpoint_id, pinpoint_off).await {
        Ok(r) => r,
        Err((e, op)) => return fail(&e, op),
    };
    let text = match output {
        Output::Json => json_pretty(&report.to_json()) + "\n",
        Output::Text => report.to_text(user_arn),
    };
    match write_stdout(&text) {
        EXIT_OK if report.has_error() => EXIT_FINDINGS,
        code => code,
    }
}

async fn gather(
    client: &Client,
    user_arn: &str,
    endpoint_id: Option<&str>,
    pinpoint_off: Option<String>,
) -> Result<Report, (ServiceError, &'static str)> {
    let now = Timestamp::now();
    let describe = |id: String| async move {
        client.describe_endpoint(user_arn, &id).await.map_err(|e| (e, aws::op::DESCRIBE_ENDPOINT))
    };
    let (records, user) = match endpoint_id {
        // One endpoint: its own findings; the user-level ones need every endpoint.
        Some(id) => (vec![describe(id.to_string()).await?], Vec::new()),
        None => {
            let query = Query::ListEndpoints { user_arn: user_arn.to_string(), next_token: None };
            let items = match paging::list_all(client, &query).await {
                Ok(Answer::Endpoints(page)) => page.items,
                Ok(_) => {
                    let e = ServiceError::new(ErrorKind::InvalidResponse, "not a list of endpoints", "");
                    return Err((e, aws::op::LIST_ENDPOINTS));
                }
                Err(e) => return Err((e, aws::op::LIST_ENDPOINTS)),
            };
            let mut records: Vec<Endpoint> = Vec::with_capacity(items.len());
            for item in items {
                records.push(describe(item.endpoint_id.unwrap_or_default()).await?);
            }
            // The expiration is one more finding, not a reason to say nothing.
            let expiration = match client.describe_user(user_arn).await {
                Ok(u) => UserExpiration::from_user_json(&u),
                Err(e) => {
                    crate::say!(
                        "chimescope: warning: {} failed, so the user's expiration is not checked: {}",
                        aws::op::DESCRIBE_USER,
                        escape_control(&e.message)
                    );
                    None
                }
            };
            let user = doctor::user_findings(&records, expiration.as_ref(), now);
            (records, user)
        }
    };
    let mut endpoints = Vec::with_capacity(records.len());
    // Endpoints on the same app share its reads (each app and channel read once); the client
    // retries by itself.
    let checks = crate::scan::pinpoint::Checks::once(client);
    for ep in &records {
        let mut findings = doctor::endpoint_findings(ep, now);
        // A failed Pinpoint read is a finding (pinpoint-unreachable), never the command's failure.
        if pinpoint_off.is_none() {
            findings.extend(checks.findings(ep).await);
            doctor::sort(&mut findings);
        }
        endpoints.push(Diagnosis { endpoint_id: ep.endpoint_id.clone().unwrap_or_default(), findings });
    }
    Ok(Report { endpoints, user, pinpoint_off })
}
