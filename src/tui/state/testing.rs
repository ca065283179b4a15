//! For the state's unit tests: the jobs an update asked for, and a job's answer arriving.

use super::app::App;
use crate::jobs::worker::{Answer, JobDone, JobRequest};
use crate::model::ServiceError;
use crate::tui::action::{Action, Effect};

/// The job requests among `eff`, in order.
pub fn jobs(eff: &[Effect]) -> Vec<JobRequest> {
    eff.iter()
        .filter_map(|e| match e {
            Effect::Job(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// `result` arrives as the answer to `req`; what the app does about it.
pub fn answer(a: &mut App, req: &JobRequest, result: Result<Answer, ServiceError>) -> Vec<Effect> {
    a.update(Action::JobDone(JobDone {
        id: req.id,
        owner: req.owner,
        query: req.query.clone(),
        result,
        elapsed: std::time::Duration::from_millis(3),
    }))
}
