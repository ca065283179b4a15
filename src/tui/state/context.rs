//! Where a lookup went (profile, endpoint URL, region), so that an entry from another
//! context is marked as such and never compared with this session's answers; and the
//! browser's own context ([`Contexts`]): the job ids, the switch being made, the account.

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

/// The context the browser's jobs belong to: the job ids handed out, the switch being made
/// (`state::switch`), the floor below which answers are of an earlier context, and the account
/// the answers named. Owned here behind methods: the features ask for a job id
/// ([`Contexts::next_job`]) and nothing else.
#[derive(Debug, Default)]
pub struct Contexts {
    /// The last job id handed out; ids only grow.
    last_id: u64,
    /// Context switches asked for so far.
    generation: u64,
    /// The switch being built, by generation.
    switching: Option<u64>,
    /// Jobs with an id up to this one belong to an earlier context: their answers are dropped.
    floor: u64,
    /// The account the answers came from, once one named it (status bar).
    account: Option<String>,
}

impl Contexts {
    /// A new job's id.
    pub fn next_job(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    /// Whether job `id` was asked in an earlier context.
    pub fn is_old(&self, id: u64) -> bool {
        id <= self.floor
    }

    /// Every job asked so far belongs to the context being left.
    pub fn drop_old(&mut self) {
        self.floor = self.last_id;
    }

    /// A new switch: its generation.
    pub fn begin_switch(&mut self) -> u64 {
        self.generation += 1;
        self.switching = Some(self.generation);
        self.generation
    }

    /// The switch `generation` was built (or failed); false when a later one superseded it.
    pub fn end_switch(&mut self, generation: u64) -> bool {
        if self.switching != Some(generation) {
            return false;
        }
        self.switching = None;
        true
    }

    /// The switch being built, by generation.
    pub fn switching(&self) -> Option<u64> {
        self.switching
    }

    /// The account of the resources on show, once an answer named one.
    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// An answer named the account (None: a new context forgets it).
    pub fn learn_account(&mut self, account: Option<String>) {
        self.account = account;
    }
}
