//! `chimescope doctor`: why a push to an endpoint will not arrive, from the records
//! and, unless `--no-pinpoint`, from the Pinpoint app each endpoint's ResourceArn names (GetApp
//! and the channel its Type needs). Every endpoint of the user (or the one named), each with
//! its verdict and findings, and the user-level findings; exit 1 when a finding is an error.
//!
//! The membership gate: with `--channel-arn`, the user's membership of that channel and its push
//! preferences (read as the member), with `--message-id` also the message's attributes against a
//! FILTERED rule, and the trace of one push's gates; without a channel, every membership of the
//! user with its preferences. Every Messaging read waits its turn at the client's rate.

use super::client::{bad_args, connect_for, fail};
use super::exit::{EXIT_FINDINGS, EXIT_OK};
use super::format::Format;
use crate::aws::{self, Client};
use crate::doctor::code::Stage;
use crate::doctor::membership::{self as gate, GateResult};
use crate::doctor::{self, Code, Finding, Severity, UserExpiration};
use crate::jobs::memberships::{self, paced};
use crate::jobs::paging;
use crate::jobs::rate::Gate;
use crate::jobs::worker::{Answer, Query};
use crate::model::messaging::{self, ChannelMembership, MemberOf, MessageInfo, PushPreferences};
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
    /// The membership gate: the channel asked about, or every membership of the user.
    pub memberships: Vec<MembershipDiagnosis>,
    /// Whether the memberships were read (a failure is the `messaging-unreachable` finding).
    pub memberships_read: bool,
    /// `--message-id`: the message read, and what the gate said of it.
    pub message: Option<(MessageInfo, GateResult)>,
    /// `--channel-arn`: one push's gates in order (message, membership, endpoint, channel,
    /// provider), each pass, fail or not checked, with why.
    pub trace: Vec<Step>,
}

/// What the doctor found about one membership of the user.
pub struct MembershipDiagnosis {
    pub membership: ChannelMembership,
    pub member: bool,
    pub preferences: PushPreferences,
    pub findings: Vec<Finding>,
}

/// One gate of the trace.
pub struct Step {
    pub gate: &'static str,
    pub result: String,
    pub detail: String,
}

/// What the trace says of a message gate: GetChannelMessage's answer has no PushNotification.
pub const PUSH_NOTIFICATION_UNKNOWN: &str = "whether the message was sent with a PushNotification is not in GetChannelMessage's answer (a message sent without one pushes nothing): check the sender's SendChannelMessage";

impl Report {
    pub fn has_error(&self) -> bool {
        self.endpoints
            .iter()
            .flat_map(|d| &d.findings)
            .chain(&self.user)
            .chain(self.memberships.iter().flat_map(|m| &m.findings))
            .any(|f| f.severity == Severity::Error)
    }

    fn memberships_json(&self) -> Value {
        let list = |f: &[Finding]| f.iter().map(Finding::to_json).collect::<Vec<_>>();
        Value::Array(
            self.memberships
                .iter()
                .map(|m| {
                    let mut o = serde_json::Map::new();
                    let mut put = |k: &str, x: Option<Value>| {
                        if let Some(x) = x {
                            o.insert(k.into(), x);
                        }
                    };
                    put("ChannelArn", Some(json!(m.membership.channel_arn)));
                    put("ChannelName", m.membership.channel_name.as_ref().map(|n| json!(n)));
                    put("Privacy", m.membership.privacy.as_ref().map(|p| json!(p)));
                    put("Member", Some(json!(m.member)));
                    if m.member {
                        // No preference set is the service's default: every push.
                        let allow = m.preferences.allow_notifications.as_deref().unwrap_or("ALL");
                        put("AllowNotifications", Some(json!(allow)));
                        put("FilterRule", m.preferences.filter_rule.as_ref().map(|r| json!(r)));
                    }
                    put("Verdict", Some(json!(doctor::verdict(&m.findings).as_str())));
                    put("Findings", Some(json!(list(&m.findings))));
                    Value::Object(o)
                })
                .collect(),
        )
    }

    fn message_json(&self) -> Option<Value> {
        let (m, result) = self.message.as_ref()?;
        let attrs: serde_json::Map<String, Value> =
            m.attributes.iter().map(|(k, v)| (k.clone(), json!({"StringValues": v}))).collect();
        let (filter, stopped) = match result {
            GateResult::Passed => ("passed", None),
            GateResult::Stopped(why) => ("stopped", Some(why.clone())),
            GateResult::Invalid(why) => ("unreadable rule", Some(why.clone())),
            GateResult::NotMember => ("not a member", None),
            GateResult::Muted => ("muted (NONE)", None),
            _ => ("not filtered (ALL)", None),
        };
        let mut v = json!({
            "ChannelArn": m.channel_arn,
            "MessageId": m.message_id,
            "MessageAttributes": attrs,
            "FilterRule": filter,
            "PushNotification": format!("unknown: {PUSH_NOTIFICATION_UNKNOWN}"),
        });
        if let (Some(o), Some(why)) = (v.as_object_mut(), stopped) {
            o.insert("StoppedBy".into(), json!(why));
        }
        if let (Some(o), Some(s)) = (v.as_object_mut(), &m.sender_arn) {
            o.insert("SenderArn".into(), json!(s));
        }
        Some(v)
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
            if self.memberships_read {
                m.insert("Memberships".into(), self.memberships_json());
            }
            if let Some(msg) = self.message_json() {
                m.insert("Message".into(), msg);
            }
            if !self.trace.is_empty() {
                let steps = self
                    .trace
                    .iter()
                    .map(|s| json!({"Gate": s.gate, "Result": s.result, "Detail": s.detail}))
                    .collect::<Vec<_>>();
                m.insert("Trace".into(), Value::Array(steps));
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
        if self.memberships_read && self.memberships.is_empty() {
            out.push_str("The user is a member of no channel.\n");
        }
        for m in &self.memberships {
            let pref = match (m.member, m.preferences.allow_notifications.as_deref()) {
                (false, _) => "not a member".to_string(),
                (true, Some("FILTERED")) => {
                    format!("FILTERED {}", m.preferences.filter_rule.as_deref().unwrap_or("(no rule)"))
                }
                (true, a) => a.unwrap_or("ALL").to_string(),
            };
            let head = format!("channel {} ({pref})", m.membership.channel_arn);
            block(&mut out, escape_control(&head).into_owned(), &m.findings);
        }
        if let Some((msg, _)) = &self.message {
            out.push_str(&format!("message {}: attributes", escape_control(&msg.message_id)));
            if msg.attributes.is_empty() {
                out.push_str(" none");
            }
            for (k, v) in &msg.attributes {
                out.push_str(&format!(" {}={}", escape_control(k), escape_control(&v.join(","))));
            }
            out.push('\n');
        }
        if !self.trace.is_empty() {
            out.push_str("the path of one push:\n");
            for s in &self.trace {
                let mark = match s.result.as_str() {
                    "pass" => "✓",
                    "fail" => "✗",
                    _ => "?",
                };
                out.push_str(&format!(
                    "  {mark} {}: {}: {}\n",
                    s.gate,
                    escape_control(&s.result),
                    escape_control(&s.detail)
                ));
            }
        }
        out
    }
}

/// Where the membership gate looks: a channel (and a message in it), or every membership.
#[derive(Clone, Copy, Debug, Default)]
pub struct ChannelArgs<'a> {
    pub channel_arn: Option<&'a str>,
    pub message_id: Option<&'a str>,
}

/// `chimescope doctor`.
pub async fn doctor(
    s: &Settings,
    user_arn: &str,
    endpoint_id: Option<&str>,
    channel: ChannelArgs<'_>,
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
    if let Some(c) = channel.channel_arn
        && let Err(e) = messaging::channel_region(c)
    {
        return bad_args(&format!("--channel-arn: {}", escape_control(&e)));
    }
    if let Some(m) = channel.message_id {
        if channel.channel_arn.is_none() {
            return bad_args("--message-id needs --channel-arn (the channel the message is in)");
        }
        if let Err(e) = messaging::validate_message_id(m) {
            return bad_args(&format!("--message-id: {e}"));
        }
    }
    let (client, _emu) = match connect_for(s, arn.region()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    // `[doctor] pinpoint = false` in the config file is `--no-pinpoint` too.
    let pinpoint_off = if no_pinpoint { Some("--no-pinpoint".to_string()) } else { s.pinpoint_off() };
    let mut report = match gather(&client, user_arn, endpoint_id, pinpoint_off).await {
        Ok(r) => r,
        Err((e, op)) => return fail(&e, op),
    };
    let pace = Gate::new(s.rate);
    let fixes = Fixes { s, user_arn, region: client.region_for(Some(arn.region())) };
    if let Err((e, op)) = membership_gate(&client, &pace, user_arn, channel, &fixes, &mut report).await {
        return fail(&e, op);
    }
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
    Ok(Report {
        endpoints,
        user,
        user_about: endpoint_id.map(str::to_string),
        pinpoint_off,
        memberships: Vec::new(),
        memberships_read: false,
        message: None,
        trace: Vec::new(),
    })
}

/// The AWS CLI commands a membership finding's fix names, run as the member.
struct Fixes<'a> {
    s: &'a Settings,
    user_arn: &'a str,
    region: String,
}

impl Fixes<'_> {
    fn command(&self, operation: &str, args: &[(&str, &str)]) -> String {
        let aws = &self.s.aws;
        let url = aws.messaging_endpoint_url.as_deref();
        let at = super::aws_cli::CliTarget {
            region: &self.region,
            profile: aws.profile.as_deref(),
            endpoint_url: url,
        };
        super::aws_cli::aws_cli_line("chime-sdk-messaging", operation, args, &at)
    }

    /// The finding with a fix the API carries out, as a command.
    fn apply(&self, f: Finding, channel_arn: &str) -> Finding {
        let all = r#"{"PushNotifications":{"AllowNotifications":"ALL"}}"#;
        let put = || {
            self.command(
                "put-channel-membership-preferences",
                &[
                    ("--channel-arn", channel_arn),
                    ("--member-arn", self.user_arn),
                    ("--chime-bearer", self.user_arn),
                    ("--preferences", all),
                ],
            )
        };
        let fix = match f.code {
            Code::ChannelMuted => format!("if the user did not mean to mute it, as the member: {}", put()),
            Code::ChannelFiltered if f.severity == Severity::Info => return f,
            Code::ChannelFiltered => format!(
                "send the message with attributes that pass the rule, or, as the member, change the rule or push every message: {}",
                put()
            ),
            Code::FilterRuleInvalid => {
                format!("as the member, put a valid rule, or push every message: {}", put())
            }
            Code::NotAMember => {
                let add = self.command(
                    "create-channel-membership",
                    &[("--channel-arn", channel_arn), ("--member-arn", self.user_arn), ("--type", "DEFAULT")],
                );
                format!(
                    "as a moderator of the channel or an AppInstanceAdmin (its ARN in MODERATOR_ARN): {add} --chime-bearer \"$MODERATOR_ARN\""
                )
            }
            _ => return f,
        };
        f.fixing(fix)
    }
}

/// The membership gate, added to `report`: with a channel, its membership and preferences (and
/// the message and the trace); without one, every membership of the user with its preferences
/// (a failure to list them is a finding, `messaging-unreachable`, not the command's failure).
async fn membership_gate(
    client: &Client,
    pace: &Gate,
    user_arn: &str,
    channel: ChannelArgs<'_>,
    fixes: &Fixes<'_>,
    report: &mut Report,
) -> Result<(), (ServiceError, &'static str)> {
    use aws::messaging::op;
    let user_region = model::parse_user_arn(user_arn).map(|a| a.region().to_string()).unwrap_or_default();
    let Some(channel_arn) = channel.channel_arn else {
        let read = match memberships::with_preferences(client, pace, user_arn).await {
            Ok(read) => read,
            Err((e, op)) => {
                let f = Finding::new(
                    Code::MessagingUnreachable,
                    format!("{op} failed, so the user's channel preferences are not checked"),
                    format!(
                        "{op}: {}{}: {}",
                        escape_control(&e.exception),
                        e.http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default(),
                        escape_control(&e.message)
                    ),
                );
                report.user.push(f);
                return Ok(());
            }
        };
        for MemberOf { membership: m, preferences: prefs } in read {
            let result = gate::gate(true, &prefs, None);
            let findings = gate::findings(&result, &m.channel_arn, &prefs, false)
                .into_iter()
                .map(|f| fixes.apply(f, &m.channel_arn))
                .collect();
            report.memberships.push(MembershipDiagnosis {
                membership: m,
                member: true,
                preferences: prefs,
                findings,
            });
        }
        report.memberships_read = true;
        return Ok(());
    };
    let region = messaging::channel_region(channel_arn).unwrap_or(&user_region).to_string();
    let described =
        paced(pace, op::DESCRIBE_MEMBERSHIP, client.describe_membership(&region, channel_arn, user_arn))
            .await;
    let (membership, member) = match described {
        Ok(m) => (m, true),
        // The service's NotFoundException, not a route the endpoint does not serve.
        Err((e, _)) if e.kind == ErrorKind::NotFound && e.exception == "NotFoundException" => (
            ChannelMembership { channel_arn: channel_arn.to_string(), ..ChannelMembership::default() },
            false,
        ),
        Err(e) => return Err(e),
    };
    let prefs = if member {
        paced(pace, op::GET_PREFERENCES, client.membership_preferences(&region, channel_arn, user_arn))
            .await?
    } else {
        PushPreferences::default()
    };
    // A non-member may not read the channel's messages, and none reaches it anyway.
    let message = match channel.message_id.filter(|_| member) {
        Some(id) => Some(
            paced(pace, op::GET_MESSAGE, client.channel_message(&region, channel_arn, id, user_arn)).await?,
        ),
        None => None,
    };
    let result = gate::gate(member, &prefs, message.as_ref());
    let findings = gate::findings(&result, channel_arn, &prefs, true)
        .into_iter()
        .map(|f| fixes.apply(f, channel_arn))
        .collect();
    report.trace = trace(report, message.is_some(), &result);
    report.memberships_read = true;
    report.memberships.push(MembershipDiagnosis { membership, member, preferences: prefs, findings });
    report.message = message.map(|m| (m, result));
    Ok(())
}

/// One push's gates in order: what was checked, and what was not (with what would check it).
fn trace(report: &Report, with_message: bool, result: &GateResult) -> Vec<Step> {
    let step =
        |gate: &'static str, result: &str, detail: String| Step { gate, result: result.into(), detail };
    let message = if with_message {
        step("message", "not checked", PUSH_NOTIFICATION_UNKNOWN.to_string())
    } else {
        step("message", "not checked", "no --message-id: the gate is checked on the preference alone".into())
    };
    let membership = match result {
        GateResult::NotMember => "the user is not a member".to_string(),
        GateResult::All => "AllowNotifications ALL: every push".to_string(),
        GateResult::Muted => "AllowNotifications NONE: no push".to_string(),
        GateResult::Filtered => {
            "FILTERED: pass a --message-id to match its attributes against the rule".to_string()
        }
        GateResult::Passed => "FILTERED: the message's attributes pass the rule".to_string(),
        GateResult::Stopped(why) => format!("FILTERED: stopped by {why}"),
        GateResult::Invalid(why) => format!("FILTERED with a rule that cannot be read: {why}"),
    };
    let result_word = match result {
        GateResult::Filtered | GateResult::Invalid(_) => "not checked",
        r => r.word(),
    };
    let mut steps = vec![message, step("membership", result_word, membership)];
    // An endpoint's errors by the gate the registry says they are about: its record and its
    // user's (an expired user has no endpoints), or its Pinpoint app and channel.
    let error_at = |d: &Diagnosis, stages: &[Stage]| {
        d.findings.iter().any(|f| f.severity == Severity::Error && stages.contains(&f.code.stage()))
    };
    let endpoint_error = |d: &Diagnosis| error_at(d, &[Stage::Endpoint, Stage::User]);
    let channel_error = |d: &Diagnosis| error_at(d, &[Stage::Channel]);
    let n = report.endpoints.len();
    let ok = report.endpoints.iter().filter(|d| !endpoint_error(d)).count();
    let endpoints = if n == 0 {
        step("endpoint", "fail", "the user has no endpoint".into())
    } else {
        let detail = format!("{ok} of {n} endpoints can receive by their records");
        step("endpoint", if ok > 0 { "pass" } else { "fail" }, detail)
    };
    steps.push(endpoints);
    let channel = match (&report.pinpoint_off, n) {
        (Some(why), _) => step("channel", "not checked", format!("the Pinpoint checks are off ({why})")),
        (None, 0) => step("channel", "not checked", "no endpoint".into()),
        (None, _) => {
            let ok = report.endpoints.iter().filter(|d| !channel_error(d)).count();
            let detail = format!("{ok} of {n} endpoints' Pinpoint apps have a usable channel for their Type");
            step("channel", if ok > 0 { "pass" } else { "fail" }, detail)
        }
    };
    steps.push(channel);
    steps.push(step(
        "provider",
        "not checked",
        "only a test push asks APNs or FCM whether they accept the device token".into(),
    ));
    steps
}
