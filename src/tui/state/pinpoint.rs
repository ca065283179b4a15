//! The Pinpoint checks of the endpoint on show (issue 14): when a describe answers, a worker
//! job reads the Pinpoint app its ResourceArn names (`Query::Pinpoint`, the doctor's
//! [`pinpoint::plan`]); the describe is shown at once and never waits for it. The findings
//! join the Diagnosis group when they arrive; an answer whose id is not the latest check's
//! (superseded by another describe) is dropped, and a new check cancels the one running.

use super::app::App;
use super::detail::Detail;
use crate::doctor::{Finding, pinpoint};
use crate::jobs::worker::{Answer, JobDone, JobRequest, Query};
use crate::tui::action::Effect;

/// The latest check: its job, which endpoint it is about, and its findings once answered.
#[derive(Clone, Debug, Default)]
pub struct PinpointCheck {
    id: Option<u64>,
    /// (user ARN, endpoint ID) of the endpoint checked.
    about: Option<(String, String)>,
    /// None while the job runs.
    findings: Option<Vec<Finding>>,
}

impl App {
    /// Whether `done` is a Pinpoint check's answer (the latest or a stale one).
    pub(super) fn pinpoint_owns(&self, done: &JobDone) -> bool {
        matches!(done.query, Query::Pinpoint { .. })
    }

    /// Keep the latest check's findings; drop a stale answer.
    pub(super) fn pinpoint_done(&mut self, done: JobDone) -> Vec<Effect> {
        if self.pinpoint.id != Some(done.id) {
            return vec![];
        }
        self.pinpoint.findings = Some(match done.result {
            Ok(Answer::Pinpoint(f)) => f,
            // The check turns failures into findings; anything else is no answer to show.
            _ => Vec::new(),
        });
        vec![]
    }

    /// After the describe `id` answered: start checking the endpoint now on show (cancelling
    /// a check still running), when its ResourceArn names a Pinpoint app that can be read.
    pub(super) fn pinpoint_after_describe(&mut self) -> Vec<Effect> {
        let mut eff = Vec::new();
        if let (Some(old), None) = (self.pinpoint.id, &self.pinpoint.findings) {
            eff.push(Effect::CancelJob(old));
        }
        self.pinpoint = PinpointCheck::default();
        let Detail::Endpoint { query: Query::Describe { user_arn, endpoint_id }, endpoint, .. } =
            &self.detail
        else {
            return eff;
        };
        let Some(plan) = pinpoint::plan(endpoint) else { return eff };
        self.pinpoint.about = Some((user_arn.clone(), endpoint_id.clone()));
        self.next_id += 1;
        let id = self.next_id;
        self.pinpoint.id = Some(id);
        eff.push(Effect::Job(JobRequest { id, query: Query::Pinpoint { plan } }));
        eff
    }

    /// The Pinpoint findings about the endpoint on show, once its check answered.
    pub fn pinpoint_findings(&self) -> &[Finding] {
        let on_show = match &self.detail {
            Detail::Endpoint { query: Query::Describe { user_arn, endpoint_id }, .. } => {
                Some((user_arn.as_str(), endpoint_id.as_str()))
            }
            _ => None,
        };
        match (&self.pinpoint.about, &self.pinpoint.findings, on_show) {
            (Some((u, e)), Some(f), Some((su, se))) if u == su && e == se => f,
            _ => &[],
        }
    }

    /// Whether the check of the endpoint on show is still running.
    pub fn pinpoint_running(&self) -> bool {
        self.pinpoint.id.is_some() && self.pinpoint.findings.is_none()
    }
}
