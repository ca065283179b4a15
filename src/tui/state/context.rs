//! Where a lookup went (profile, endpoint URL, region), so that an entry from another
//! context is marked as such and never compared with this session's answers.

use crate::model;
use crate::store::history::Entry;

/// Where a lookup went: the profile (None for the demo) and endpoint URL, and the region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    pub region: String,
}

impl Context {
    pub fn of(e: &Entry) -> Self {
        Self { profile: e.profile.clone(), endpoint_url: e.endpoint_url.clone(), region: e.region.clone() }
    }

    /// The demo service (each run has its own port; the seed is the same).
    pub fn is_demo(&self) -> bool {
        self.profile.is_none() && self.endpoint_url.is_some()
    }

    /// The same backend and region. Two runs of the demo count as one.
    pub fn same_as(&self, other: &Context) -> bool {
        self.region == other.region
            && (self.is_demo() && other.is_demo()
                || (self.profile == other.profile && self.endpoint_url == other.endpoint_url))
    }

    /// "demo", "profile prod", "profile default · http://127.0.0.1:4566", "AWS" (without the region).
    pub fn backend(&self) -> String {
        let url = self.endpoint_url.as_deref().map(model::escape_control);
        match (&self.profile, url) {
            (None, Some(_)) => "demo".into(),
            (None, None) => "AWS".into(),
            (Some(p), None) => format!("profile {}", model::escape_control(p)),
            (Some(p), Some(u)) => format!("profile {} · {u}", model::escape_control(p)),
        }
    }

    /// "us-east-1 · profile prod".
    pub fn label(&self) -> String {
        format!("{} · {}", model::escape_control(&self.region), self.backend())
    }
}
