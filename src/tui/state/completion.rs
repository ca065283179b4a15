//! The user's endpoints offered in the endpoint-ID input: fetched in the background when the
//! input gets the keyboard with a valid user ARN above it, shown in a dropdown under the
//! input, the best match ghosted after the cursor; Tab or → takes it, ↓/↑ choose another,
//! Enter takes the chosen one and looks up.

use super::app::{App, Focus};
use super::list::Rows;
use crate::jobs::worker::{Answer, JobRequest, Owner, Query};
use crate::model::EndpointSummary;
use crate::model::ServiceError;
use crate::model::paging::{Listing, Pages};
use crate::tui::action::{Cmd, Effect};

/// At most this many endpoints are fetched for completions.
pub const COMPLETION_CAP: usize = 1000;

/// The user's endpoints, offered in the endpoint-ID input.
#[derive(Clone, Debug, Default)]
pub struct Completion {
    /// Whose endpoints these are.
    pub user_arn: Option<String>,
    pub items: Vec<EndpointSummary>,
    /// The page request in flight.
    pub loading: Option<u64>,
    pub(super) next_token: Option<String>,
    /// The bounds of the user's list (10 endpoints, the tokens seen), from its first page.
    pub(super) bound: Option<Pages>,
    pub error: Option<ServiceError>,
    /// Chosen with ↓/↑: an index into [`Completion::matches`].
    pub selected: Option<usize>,
    /// Closed with Esc (or by a lookup) until the next edit.
    pub hidden: bool,
}

impl Completion {
    /// The candidates for what is typed (indices into `items`): IDs starting with it first,
    /// then those containing it, ignoring case.
    pub fn matches(&self, typed: &str) -> Vec<usize> {
        let t = typed.to_lowercase();
        let mut prefix = Vec::new();
        let mut inner = Vec::new();
        for (i, e) in self.items.iter().enumerate() {
            let Some(id) = e.endpoint_id.as_deref() else { continue };
            let id = id.to_lowercase();
            if id.starts_with(&t) {
                prefix.push(i);
            } else if id.contains(&t) {
                inner.push(i);
            }
        }
        prefix.extend(inner);
        prefix
    }

    /// What Tab or → would put in the input: the chosen candidate, or else the one ID that
    /// starts with what is typed, when only one does (something must be typed). With two or
    /// more (`ep-1` and `ep-10` for `ep-1`) nothing is guessed.
    pub fn chosen(&self, typed: &str) -> Option<&str> {
        let m = self.matches(typed);
        let id = |i: usize| self.items[i].endpoint_id.as_deref();
        match self.selected {
            Some(s) => m.get(s).and_then(|&i| id(i)),
            None if typed.is_empty() => None,
            None => {
                let t = typed.to_lowercase();
                let mut starting =
                    m.iter().filter_map(|&i| id(i)).filter(|c| c.to_lowercase().starts_with(&t));
                match (starting.next(), starting.next()) {
                    (Some(only), None) if only.len() > typed.len() => Some(only),
                    _ => None,
                }
            }
        }
    }

    /// The rest of the chosen candidate after what is typed, drawn after the cursor in the
    /// ghost style (only when it continues the typed text exactly).
    pub fn ghost(&self, typed: &str) -> Option<&str> {
        self.chosen(typed).and_then(|c| c.strip_prefix(typed)).filter(|g| !g.is_empty())
    }

    /// What Enter looks up instead of the typed text: the highlighted row, or the candidate
    /// ghosted after the text. What the user sees is what is looked up.
    pub fn on_enter(&self, typed: &str) -> Option<&str> {
        if self.selected.is_some() {
            return self.chosen(typed);
        }
        self.ghost(typed).and_then(|_| self.chosen(typed))
    }

    /// Tab with several IDs starting with what is typed: as far as they agree (shell-like).
    pub fn common_prefix(&self, typed: &str) -> Option<String> {
        let mut ids =
            self.items.iter().filter_map(|e| e.endpoint_id.as_deref()).filter(|c| c.starts_with(typed));
        let first = ids.next()?;
        let mut common = first.to_string();
        for id in ids {
            let n =
                common.chars().zip(id.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
            common.truncate(n);
        }
        (common.len() > typed.len()).then_some(common)
    }
}

impl App {
    /// The completion dropdown is on show under the endpoint-ID input.
    pub fn completion_visible(&self) -> bool {
        let c = &self.browse.completion;
        self.focus() == Focus::EndpointId
            && self.help().is_none()
            && !c.hidden
            && c.user_arn.as_deref() == Some(self.arn().value())
            && (c.error.is_some()
                || (c.loading.is_some() && c.items.is_empty())
                || !c.matches(self.endpoint_id().value()).is_empty())
    }

    /// The completion drawn dimmed after the cursor of the endpoint-ID input.
    pub fn completion_ghost(&self) -> Option<&str> {
        let at_end = self.endpoint_id().cursor() == self.endpoint_id().value().chars().count();
        (at_end && self.completion_visible())
            .then(|| self.browse.completion.ghost(self.endpoint_id().value()))?
    }

    /// Keys in the endpoint-ID input while the dropdown is open.
    pub(super) fn completion_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        if !self.completion_visible() {
            return None;
        }
        let typed = self.endpoint_id().value().to_string();
        let n = self.browse.completion.matches(&typed).len();
        let loading = self.is_loading();
        let comp = &mut self.browse.completion;
        match c {
            Cmd::FocusNext => {
                let id = match comp.chosen(&typed) {
                    Some(id) => id.to_string(),
                    None => comp.common_prefix(&typed)?,
                };
                self.accept_completion(&id);
            }
            Cmd::Down if n > 0 => comp.selected = Some(comp.selected.map_or(0, |s| (s + 1).min(n - 1))),
            Cmd::Up if comp.selected.is_some() => {
                comp.selected = comp.selected.and_then(|s| s.checked_sub(1))
            }
            Cmd::Cancel if !loading => {
                comp.hidden = true;
                comp.selected = None;
            }
            Cmd::Submit => {
                if let Some(id) = comp.on_enter(&typed).map(str::to_string) {
                    self.accept_completion(&id);
                }
                self.browse.completion.hidden = true;
                return None;
            }
            _ => return None,
        }
        Some(vec![])
    }

    pub(super) fn accept_completion(&mut self, id: &str) {
        let arn = self.arn().value().to_string();
        self.set_inputs(&arn, id);
        self.browse.completion.selected = None;
    }

    /// A page of the user's endpoints arrived: keep it, and ask for the next (up to
    /// [`COMPLETION_CAP`]).
    pub(super) fn completion_page(&mut self, result: Result<Answer, ServiceError>) -> Vec<Effect> {
        let c = &mut self.browse.completion;
        c.loading = None;
        match result {
            Ok(Answer::Endpoints(page)) => {
                let bound = c.bound.get_or_insert_with(|| Pages::new(Listing::Endpoints));
                match bound.next(page.items.len(), page.next_token.as_deref()) {
                    Ok(next) => {
                        c.items.extend(page.items);
                        c.next_token = next;
                    }
                    Err(e) => {
                        c.error = Some(e);
                        c.next_token = None;
                    }
                }
            }
            Ok(_) => c.next_token = None,
            Err(e) => {
                c.error = Some(e);
                c.next_token = None;
            }
        }
        match (&c.user_arn, c.next_token.clone()) {
            (Some(user), Some(token)) if c.items.len() < COMPLETION_CAP => {
                let query = Query::ListEndpoints { user_arn: user.clone(), next_token: Some(token) };
                let id = self.alloc_id();
                self.browse.completion.loading = Some(id);
                vec![Effect::Job(JobRequest { id, owner: Owner::Completion, query })]
            }
            _ => vec![],
        }
    }

    pub(super) fn offer_completions(&mut self) -> Vec<Effect> {
        self.browse.completion.hidden = false;
        self.browse.completion.selected = None;
        if self.arn_check().is_err() {
            return vec![];
        }
        let user = self.arn().value().to_string();
        let c = &self.browse.completion;
        if c.user_arn.as_deref() == Some(user.as_str()) && c.error.is_none() {
            return vec![]; // already here, or on the way
        }
        let eff: Vec<Effect> = c.loading.map(Effect::CancelJob).into_iter().collect();
        self.browse.completion = Completion { user_arn: Some(user.clone()), ..Completion::default() };
        // An endpoint list of this user already loaded in full serves as it is.
        if let Some(v) = self.browse.stack.iter().find(|v| v.complete && v.arn() == user)
            && let Rows::Endpoints(items) = &v.rows
        {
            self.browse.completion.items = items.clone();
            return eff;
        }
        let mut eff = eff;
        let id = self.alloc_id();
        self.browse.completion.loading = Some(id);
        eff.push(Effect::Job(JobRequest {
            id,
            owner: Owner::Completion,
            query: Query::ListEndpoints { user_arn: user, next_token: None },
        }));
        eff
    }
}
