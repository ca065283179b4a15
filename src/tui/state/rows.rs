//! The rows of one list as loaded so far ([`Rows`]): what the list pane pages through
//! (`list.rs`) and the filter matches and sorts (`filter.rs`); its own file so that neither of
//! those needs the other for it.

use crate::jobs::worker::{Answer, Query};
use crate::model::{self, EndpointSummary, InstanceSummary, UserSummary};

/// The rows of one list, as loaded so far.
#[derive(Clone, Debug, PartialEq)]
pub enum Rows {
    Instances(Vec<InstanceSummary>),
    Users(Vec<UserSummary>),
    Endpoints(Vec<EndpointSummary>),
}

fn width_of(s: Option<&str>) -> usize {
    s.map(|s| crate::tui::text::str_width(&model::escape_control(s))).unwrap_or(1)
}

impl Rows {
    pub(super) fn for_query(q: &Query) -> Rows {
        match q {
            Query::ListInstances { .. } => Rows::Instances(Vec::new()),
            Query::ListUsers { .. } => Rows::Users(Vec::new()),
            Query::ListEndpoints { .. }
            | Query::Describe { .. }
            | Query::Pinpoint { .. }
            | Query::DescribeUser { .. }
            | Query::Write(_)
            | Query::PushTest(_)
            | Query::Memberships { .. } => Rows::Endpoints(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Rows::Instances(v) => v.len(),
            Rows::Users(v) => v.len(),
            Rows::Endpoints(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// "app instances", "users", "endpoints" (singular for one).
    pub fn noun(&self, n: usize) -> &'static str {
        match (self, n == 1) {
            (Rows::Instances(_), true) => "app instance",
            (Rows::Instances(_), false) => "app instances",
            (Rows::Users(_), true) => "user",
            (Rows::Users(_), false) => "users",
            (Rows::Endpoints(_), true) => "endpoint",
            (Rows::Endpoints(_), false) => "endpoints",
        }
    }

    /// What identifies row `i`: its ARN, or for an endpoint its ID.
    pub fn key(&self, i: usize) -> Option<&str> {
        match self {
            Rows::Instances(v) => v.get(i)?.app_instance_arn.as_deref(),
            Rows::Users(v) => v.get(i)?.app_instance_user_arn.as_deref(),
            Rows::Endpoints(v) => v.get(i)?.endpoint_id.as_deref(),
        }
    }

    /// Append a page; returns its next token, or Err when the answer is of another kind.
    pub(super) fn append(&mut self, answer: Answer) -> Result<Option<String>, ()> {
        let next = answer.next_token().map(str::to_string);
        match (self, answer) {
            (Rows::Instances(v), Answer::Instances(p)) => v.extend(p.items),
            (Rows::Users(v), Answer::Users(p)) => v.extend(p.items),
            (Rows::Endpoints(v), Answer::Endpoints(p)) => v.extend(p.items),
            _ => return Err(()),
        }
        Ok(next)
    }

    /// The widest value of each variable column of row `i` (see `ListView::widths`).
    pub(super) fn widths(&self, i: usize) -> [usize; 3] {
        match self {
            Rows::Instances(v) => {
                let r = &v[i];
                let arn = r.app_instance_arn.as_deref().and_then(|a| model::parse_chime_arn("ARN", a).ok());
                let region = arn.as_ref().map(|p| p.region().len()).unwrap_or(1);
                let id = arn
                    .as_ref()
                    .map(|p| crate::tui::text::str_width(&model::escape_control(p.app_instance_id())))
                    .unwrap_or(1);
                [width_of(r.name.as_deref()), region, id]
            }
            Rows::Users(v) => {
                let r = &v[i];
                [width_of(r.name.as_deref()), width_of(user_id(r.app_instance_user_arn.as_deref())), 0]
            }
            Rows::Endpoints(v) => {
                let r = &v[i];
                let reason =
                    r.state.as_ref().and_then(|s| s.reason.as_ref()).map(|x| x.as_str().len()).unwrap_or(0);
                let ty = r.endpoint_type.as_ref().map(|t| t.as_str().len()).unwrap_or(1);
                [width_of(r.endpoint_id.as_deref()), reason, ty]
            }
        }
    }

    /// Row `i` as JSON (the list operation's shape), for `Y`.
    pub(super) fn json(&self, i: usize) -> Option<serde_json::Value> {
        Some(match self {
            Rows::Instances(v) => v.get(i)?.to_json(),
            Rows::Users(v) => v.get(i)?.to_json(),
            Rows::Endpoints(v) => v.get(i)?.to_json(),
        })
    }
}

/// The user ID at the end of a user ARN.
pub fn user_id(arn: Option<&str>) -> Option<&str> {
    arn.map(model::short_user)
}
