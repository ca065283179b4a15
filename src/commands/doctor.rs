//! `chimescope doctor`: why a push to an endpoint will not arrive, from the records
//! and, unless `--no-pinpoint`, from the Pinpoint app each endpoint's ResourceArn names (GetApp
//! and the channel its Type needs). Every endpoint of the user (or the one named), each with
//! its verdict and findings, and the user-level findings; exit 1 when a finding is an error.

use super::client::{bad_args, connect_for, fail};
use super::exit::{EXIT_FINDINGS, EXIT_OK};
use super::format::Format;
use crate::aws::{self, Client};
use crate::doctor::{self, Finding, Severity, UserExpiration};
use crate::jobs::paging;
use crate::jobs::worker::{Answer, Query};
use crate::model::{self, Endpoint, ErrorKind, ServiceError, Timestamp, escape_control};
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
    /// The endpoint the user findings were narrowed to (`--endpoint-id`): those that concern it.
    pub user_about: Option<String>,
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
        let mut v = json!({
            "Endpoints": self.endpoints.iter().map(|d| json!({
                "EndpointId": d.endpoint_id,
                "Verdict": doctor::verdict(&d.findings).as_str(),
                "Findings": list(&d.findings),
            })).collect::<Vec<_>>(),
            "UserFindings": list(&self.user),
        });
        if let Some(m) = v.as_object_mut() {
            if let Some(id) = &self.user_about {
                // --endpoint-id: the user findings are those that concern it.
                m.insert("UserFindingsAbout".into(), json!(id));
            }
            if let Some(why) = &self.pinpoint_off {
                // Said in the data: the channels were not read, so an ok is the record's only.
                m.insert("PinpointChecks".into(), json!(format!("skipped ({why})")));
            }
        }
        v
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
        let user = escape_control(model::short_user(user_arn)).into_owned();
        let head = match &self.user_about {
            Some(id) => format!("user {user} (the findings that concern endpoint {})", escape_control(id)),
            None => format!("user {user}"),
        };
        block(&mut out, head, &self.user);
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
    fmt: &Format,
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
    match fmt.print("Doctor", &report.to_json(), || report.to_text(user_arn)) {
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
    // Every endpoint of the user: the user-level rules (a shared token, the limit) need them
    // all, with --endpoint-id too.
    let query = Query::ListEndpoints { user_arn: user_arn.to_string(), next_token: None };
    let items = match paging::list_all(client, &query).await {
        Ok(Answer::Endpoints(page)) => page.items,
        Ok(_) => {
            let e = ServiceError::new(ErrorKind::InvalidResponse, "not a list of endpoints", "");
            return Err((e, aws::op::LIST_ENDPOINTS));
        }
        Err(e) => return Err((e, aws::op::LIST_ENDPOINTS)),
    };
    let mut all: Vec<Endpoint> = Vec::with_capacity(items.len() + 1);
    if let Some(id) = endpoint_id {
        // The one named first: a failure to read it is the command's.
        all.push(describe(id.to_string()).await?);
    }
    for item in items {
        let id = item.endpoint_id.unwrap_or_default();
        if Some(id.as_str()) == endpoint_id {
            continue;
        }
        match describe(id).await {
            Ok(ep) => all.push(ep),
            // Deregistered since it was listed.
            Err((e, _)) if e.kind == ErrorKind::NotFound && endpoint_id.is_some() => {}
            Err(e) => return Err(e),
        }
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
    let (records, user) = match endpoint_id {
        Some(id) => (vec![all[0].clone()], doctor::user_findings_for(&all, expiration.as_ref(), now, id)),
        None => {
            let user = doctor::user_findings(&all, expiration.as_ref(), now);
            (all.clone(), user)
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
        }
        // The user's findings that concern it (a shared token, the user's expiry) are its too:
        // its verdict is never ok while its user is past its expiry.
        let id = ep.endpoint_id.as_deref().unwrap_or_default();
        findings.extend(doctor::user_findings_for(&all, expiration.as_ref(), now, id));
        doctor::sort(&mut findings);
        endpoints.push(Diagnosis { endpoint_id: ep.endpoint_id.clone().unwrap_or_default(), findings });
    }
    Ok(Report { endpoints, user, user_about: endpoint_id.map(str::to_string), pinpoint_off })
}
