//! The user-level checks of the endpoint on show: when a describe answers, two requests read
//! its user (the user's endpoints, one page: a user has at most 10; and DescribeAppInstanceUser
//! for its expiry), through the worker's pace like every lookup. Their findings (the user's
//! endpoint limit, its expiry) join the Diagnosis of the endpoint, as `chimescope doctor
//! --endpoint-id` gives them. Comparing device tokens needs the other endpoints' full records:
//! `:doctor` describes them too (at most 9), and until then the Diagnosis says that shared
//! tokens were not compared. An answer about another endpoint than the one on show is dropped.

use super::app::App;
use super::detail::Detail;
use crate::doctor::{self, Finding, UserExpiration};
use crate::jobs::worker::{Answer, JobDone, JobRequest, Owner, Query};
use crate::model::{Endpoint, EndpointSummary};
use crate::tui::action::Effect;

/// At most this many other endpoints of the user are described for `:doctor` (a user has at
/// most 10).
pub const OTHERS_MAX: usize = 9;

#[derive(Clone, Debug, Default)]
pub struct UserCheck {
    /// (user ARN, endpoint ID) of the endpoint the checks are about.
    about: Option<(String, String)>,
    /// The jobs not answered yet.
    jobs: Vec<u64>,
    /// Describe the other endpoints once they are listed (`:doctor`).
    deep: bool,
    /// The user's endpoints as listed.
    listed: Option<Vec<EndpointSummary>>,
    /// The others' full records (`deep`).
    records: Vec<Endpoint>,
    /// DescribeAppInstanceUser answered: the expiry it has (None: none set).
    expiration: Option<Option<UserExpiration>>,
    /// What could not be read ("ListAppInstanceUserEndpoints: throttled").
    failed: Vec<String>,
}

impl UserCheck {
    /// Whether job `id` is one of the checks not answered yet.
    pub(super) fn awaits(&self, id: u64) -> bool {
        self.jobs.contains(&id)
    }
}

impl App {
    /// Start the user-level checks of the endpoint on show (`deep`: describe the user's other
    /// endpoints too), cancelling the ones running.
    pub(super) fn user_check_start(&mut self, deep: bool) -> Vec<Effect> {
        let mut eff: Vec<Effect> = self.user_check.jobs.drain(..).map(Effect::CancelJob).collect();
        self.user_check = UserCheck::default();
        let Detail::Endpoint { query: Query::Describe { user_arn, endpoint_id }, .. } = &self.detail else {
            return eff;
        };
        if self.from_history().is_some() {
            return eff;
        }
        let user_arn = user_arn.clone();
        self.user_check.about = Some((user_arn.clone(), endpoint_id.clone()));
        self.user_check.deep = deep;
        for query in [
            Query::ListEndpoints { user_arn: user_arn.clone(), next_token: None },
            Query::DescribeUser { user_arn },
        ] {
            let id = self.alloc_id();
            self.user_check.jobs.push(id);
            eff.push(Effect::Job(JobRequest { id, owner: Owner::UserCheck, query }));
        }
        eff
    }

    pub(super) fn user_check_done(&mut self, done: JobDone) -> Vec<Effect> {
        self.user_check.jobs.retain(|j| *j != done.id);
        let anchor = self.finding_anchor();
        let mut eff = Vec::new();
        match done.result {
            Ok(Answer::Endpoints(page)) => {
                let on_show = self.user_check.about.as_ref().map(|(_, id)| id.clone());
                if self.user_check.deep {
                    let user = self.user_check.about.as_ref().map(|(u, _)| u.clone()).unwrap_or_default();
                    let others = page
                        .items
                        .iter()
                        .filter_map(|s| s.endpoint_id.clone())
                        .filter(|id| Some(id) != on_show.as_ref())
                        .take(OTHERS_MAX)
                        .collect::<Vec<_>>();
                    for endpoint_id in others {
                        let id = self.alloc_id();
                        self.user_check.jobs.push(id);
                        let query = Query::Describe { user_arn: user.clone(), endpoint_id };
                        eff.push(Effect::Job(JobRequest { id, owner: Owner::UserCheck, query }));
                    }
                }
                self.user_check.listed = Some(page.items);
            }
            Ok(Answer::User(u)) => self.user_check.expiration = Some(UserExpiration::from_user_json(&u)),
            Ok(Answer::Endpoint(e)) => self.user_check.records.push(*e),
            // Gone since it was listed: it is not the user's any more.
            Err(e)
                if matches!(done.query, Query::Describe { .. })
                    && e.kind == crate::model::ErrorKind::NotFound =>
            {
                if let (Some(listed), Query::Describe { endpoint_id, .. }) =
                    (&mut self.user_check.listed, &done.query)
                {
                    listed.retain(|s| s.endpoint_id.as_deref() != Some(endpoint_id));
                }
            }
            Err(e) => {
                let what = match &done.query {
                    Query::ListEndpoints { .. } => "the user's endpoints",
                    Query::DescribeUser { .. } => "the user's expiry",
                    _ => "an endpoint of the user",
                };
                self.user_check.failed.push(format!("{what} not read ({})", e.kind.label()));
            }
            Ok(_) => {}
        }
        self.restore_finding(anchor);
        eff
    }

    /// Whether the checks are about the endpoint on show (fresh, not a stored copy).
    fn user_check_on_show(&self) -> bool {
        match (&self.user_check.about, &self.detail) {
            (Some((u, e)), Detail::Endpoint { query: Query::Describe { user_arn, endpoint_id }, .. }) => {
                u == user_arn && e == endpoint_id && self.from_history().is_none()
            }
            _ => false,
        }
    }

    /// The user's findings that concern the endpoint on show, once its endpoints are listed
    /// (None: not known yet, or about another endpoint).
    pub(super) fn user_check_findings(&self, on_show: &Endpoint) -> Option<Vec<Finding>> {
        if !self.user_check_on_show() {
            return None;
        }
        let (_, id) = self.user_check.about.as_ref()?;
        let listed = self.user_check.listed.as_ref()?;
        let mut all = vec![on_show.clone()];
        for s in listed.iter().filter(|s| s.endpoint_id.as_deref() != Some(id)) {
            let full = self.user_check.records.iter().find(|r| r.endpoint_id == s.endpoint_id);
            all.push(full.cloned().unwrap_or_else(|| super::diagnosis::record(s)));
        }
        let now = super::recent::timestamp(self.wall());
        let expiration = self.user_check.expiration.clone().flatten();
        Some(doctor::user_findings_for(&all, expiration.as_ref(), now, id))
    }

    /// What the Diagnosis says of the user checks besides their findings: that they run, what
    /// failed, or what they did not compare.
    pub fn user_check_note(&self) -> Option<String> {
        if !self.user_check_on_show() {
            return None;
        }
        let c = &self.user_check;
        if !c.jobs.is_empty() {
            return Some("checking the user (its endpoints and expiry)…".into());
        }
        if !c.failed.is_empty() {
            return Some(format!("user checks incomplete: {}", c.failed.join(", ")));
        }
        let n = c.listed.as_ref().map_or(0, Vec::len);
        let others = n.saturating_sub(1);
        let expiry = match &c.expiration {
            Some(Some(_)) => "its expiry",
            Some(None) => "no expiry set",
            None => "expiry not read",
        };
        let count = crate::model::count_of(n, "endpoint");
        Some(if !c.deep && others > 0 {
            format!(
                "checked the user: {count}, {expiry}; device tokens not compared with its {} (:doctor compares them)",
                crate::model::count_of(others, "other endpoint")
            )
        } else if others > 0 {
            format!("checked the user: {count} (device tokens compared), {expiry}")
        } else {
            format!("checked the user: {count}, {expiry}")
        })
    }
}
