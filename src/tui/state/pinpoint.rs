//! The Pinpoint checks of the endpoint on show: when a describe answers, a worker
//! job reads the Pinpoint app its ResourceArn names (`Query::Pinpoint`, the doctor's
//! [`pinpoint::plan`]); the describe is shown at once and never waits for it. The findings
//! join the Diagnosis group when they arrive; an answer whose id is not the latest check's
//! (superseded by another describe) is dropped, and a new check cancels the one running.
//!
//! While a check of the endpoint on show runs, the Diagnosis group says so ("checking
//! Pinpoint…"); a check of the same endpoint again (`r`, `:doctor`, after a write) keeps the
//! last findings on show until it answers. When the findings change, the Diagnosis cursor stays
//! on the finding it was on (found again by value, not by index: new findings sort in above).
//! With the checks off (`--no-pinpoint`, `[doctor] pinpoint = false`) no job is started and the
//! Diagnosis says they are off.

use super::app::App;
use super::detail::Detail;
use crate::doctor::verdict::Level;
use crate::doctor::{Finding, pinpoint};
use crate::jobs::worker::{Answer, JobDone, JobRequest, Owner, Query};
use crate::tui::action::Effect;
use std::collections::HashMap;

/// The latest check: its job, which endpoint it is about, and its findings once answered.
#[derive(Clone, Debug, Default)]
pub struct PinpointCheck {
    id: Option<u64>,
    /// (user ARN, endpoint ID) of the endpoint checked.
    about: Option<(String, String)>,
    /// The last answer about `about` (kept while a check of the same endpoint runs again).
    findings: Option<Vec<Finding>>,
    /// The job `id` has not answered yet.
    running: bool,
    /// The verdict each endpoint checked this session came to, by (user ARN, endpoint ID):
    /// what Recent's dot shows of an entry not on show.
    verdicts: HashMap<(String, String), Level>,
    /// Why the checks are off (`--no-pinpoint`, the config file), when they are.
    off: Option<String>,
}

impl PinpointCheck {
    /// Whether job `id` is the check running (an earlier one's answer is stale).
    pub(super) fn awaits(&self, id: u64) -> bool {
        self.running && self.id == Some(id)
    }

    /// Why the checks are off, when they are.
    pub fn off(&self) -> Option<&str> {
        self.off.as_deref()
    }

    /// Turn the checks off, saying why.
    pub(super) fn turn_off(&mut self, why: String) {
        self.off = Some(why);
    }
}

impl App {
    /// Keep the latest check's findings (a stale answer never reaches here: `state::route`).
    pub(super) fn pinpoint_done(&mut self, done: JobDone) -> Vec<Effect> {
        let anchor = self.finding_anchor();
        self.pinpoint.running = false;
        self.pinpoint.findings = Some(match done.result {
            Ok(Answer::Pinpoint(f)) => f,
            // The check turns failures into findings; anything else is no answer to show.
            _ => Vec::new(),
        });
        self.restore_finding(anchor);
        if let (Some(about), Some(v)) = (self.pinpoint.about.clone(), self.verdict()) {
            self.pinpoint.verdicts.insert(about, v.level);
        }
        vec![]
    }

    /// After the describe `id` answered: start checking the endpoint now on show (cancelling
    /// a check still running), when its ResourceArn names a Pinpoint app that can be read.
    pub(super) fn pinpoint_after_describe(&mut self) -> Vec<Effect> {
        let mut eff = Vec::new();
        if let (Some(old), true) = (self.pinpoint.id, self.pinpoint.running) {
            eff.push(Effect::CancelJob(old));
        }
        let anchor = self.finding_anchor();
        let mut last = std::mem::take(&mut self.pinpoint);
        self.pinpoint.verdicts = std::mem::take(&mut last.verdicts);
        self.pinpoint.off = last.off.take();
        let plan = match &self.detail {
            // Off: nothing is read (the Diagnosis says so).
            _ if self.pinpoint.off.is_some() => None,
            Detail::Endpoint { query: Query::Describe { user_arn, endpoint_id }, endpoint, .. } => {
                pinpoint::plan(endpoint).map(|p| (p, (user_arn.clone(), endpoint_id.clone())))
            }
            _ => None,
        };
        if let Some((plan, about)) = plan {
            // The same endpoint checked again: its last findings stay until the answer.
            if last.about.as_ref() == Some(&about) {
                self.pinpoint.findings = last.findings;
            }
            self.pinpoint.about = Some(about);
            let id = self.context.next_job();
            self.pinpoint.id = Some(id);
            self.pinpoint.running = true;
            eff.push(Effect::Job(JobRequest { id, owner: Owner::Pinpoint, query: Query::Pinpoint { plan } }));
        }
        self.restore_finding(anchor);
        eff
    }

    /// Whether the latest check is about the endpoint on show.
    fn pinpoint_about_on_show(&self) -> bool {
        match (&self.pinpoint.about, &self.detail) {
            (Some((u, e)), Detail::Endpoint { query: Query::Describe { user_arn, endpoint_id }, .. }) => {
                u == user_arn && e == endpoint_id
            }
            _ => false,
        }
    }

    /// The Pinpoint findings about the endpoint on show, once its check answered.
    pub fn pinpoint_findings(&self) -> &[Finding] {
        match &self.pinpoint.findings {
            Some(f) if self.pinpoint_about_on_show() => f,
            _ => &[],
        }
    }

    /// The verdict the endpoint (user ARN, endpoint ID) came to this session: the one on show's
    /// as it reads now, another's when its check answered.
    pub fn verdict_of(&self, user_arn: &str, endpoint_id: &str) -> Option<Level> {
        if self.from_history().is_none()
            && let Detail::Endpoint { query: Query::Describe { user_arn: u, endpoint_id: e }, .. } =
                &self.detail
            && u == user_arn
            && e == endpoint_id
        {
            return self.verdict().map(|v| v.level);
        }
        self.pinpoint.verdicts.get(&(user_arn.to_string(), endpoint_id.to_string())).copied()
    }

    /// Whether the check of the endpoint on show has answered (its findings, if any, are in).
    pub fn pinpoint_answered(&self) -> bool {
        self.pinpoint.findings.is_some() && !self.pinpoint.running && self.pinpoint_about_on_show()
    }

    /// What the Diagnosis group says of the Pinpoint checks of the endpoint on show, besides
    /// their findings: that they run, or that they are off (and what turned them off).
    pub fn pinpoint_note(&self) -> Option<String> {
        if let Some(why) = self.pinpoint.off() {
            return self.endpoint().is_some().then(|| format!("Pinpoint checks off ({why})"));
        }
        self.pinpoint_running().then(|| "checking Pinpoint…".to_string())
    }

    /// Whether the check of the endpoint on show is still running.
    pub fn pinpoint_running(&self) -> bool {
        self.pinpoint.running && self.pinpoint_about_on_show()
    }
}
