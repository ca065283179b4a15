//! Browsing: app instances → users → endpoints, a list pane per level.
//!
//! Enter in the lookup pane reads what was typed ([`intent`]): nothing lists the app
//! instances, an app-instance ARN its users, a user ARN without an endpoint ID its endpoints,
//! and both look the endpoint up as before. The list opens with the levels above it on a
//! stack ([`Browse`]), so Backspace or Esc go back up with the cursor where it was.
//!
//! Pages come from the same worker as lookups: one request at a time per list, each with an
//! id, and a page whose id is no longer awaited (the list was left, reloaded or superseded)
//! is dropped. The next page is asked for when the cursor comes within a screen of the end
//! ([`ListView::wants_page`]); a failed page is shown in place and `r` asks again. `/` filters
//! what is loaded. In the endpoint-ID input the user's endpoints are offered as completions
//! ([`Completion`]): fetched in the background when the input gets the keyboard with a
//! valid user ARN above it, shown in a dropdown under the input, the best match ghosted after
//! the cursor; Tab or → takes it, ↓/↑ choose another, Enter takes the chosen one and looks up.
//!
//! - `mod.rs`: the stack of lists ([`Browse`]), their keys, paging, and the answers' routing
//! - `intent`: what Enter in the lookup pane asks for ([`intent`])
//! - `copy`: `y`, `Y` and `c` in a list (the row's key, the row as JSON, its AWS CLI command)

mod copy;
mod intent;
#[cfg(test)]
mod tests;

pub use intent::{Intent, intent};

use super::app::{App, Focus};
use super::completion::Completion;
use super::list::{ListView, NEAR_END, Rows, scrolled};
use crate::jobs::worker::{JobDone, Query};
use crate::model;
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::text::MAX_FILTER;
use tui_input::{Input, InputRequest};

/// Everything browsing keeps.
#[derive(Clone, Debug, Default)]
pub struct Browse {
    /// The lists, outermost first; the last one is on show.
    pub(crate) stack: Vec<ListView>,
    /// The detail pane is shown in place of the list (an endpoint was opened or looked up).
    pub(crate) detail_open: bool,
    pub(crate) completion: Completion,
}

impl Browse {
    pub fn top(&self) -> Option<&ListView> {
        self.stack.last()
    }

    /// The body of the screen shows the list (else the detail pane).
    pub fn shows_list(&self) -> bool {
        !self.stack.is_empty() && !self.detail_open
    }

    /// The list on show is waiting for a page (the spinner turns).
    pub fn is_loading(&self) -> bool {
        self.shows_list() && self.top().is_some_and(|v| v.loading.is_some())
    }

    pub(super) fn cancel_all(&mut self) -> Vec<Effect> {
        self.stack.iter_mut().filter_map(ListView::cancel).collect()
    }
}

impl App {
    pub(super) fn alloc_id(&mut self) -> u64 {
        self.context.next_job()
    }

    /// Rows on screen in the list pane, with the layout `ui` draws.
    pub fn list_height(&self) -> usize {
        match (super::layout::areas(self.screen(), self), self.browse.top()) {
            (Some(a), Some(v)) => super::layout::list(a.detail, v).rows.height as usize,
            _ => NEAR_END,
        }
    }

    /// The list filter has the keyboard.
    pub fn list_filter_editing(&self) -> bool {
        self.focus() == Focus::List && self.browse.top().is_some_and(|v| v.filter_open)
    }

    /// Ask for the next page of the list on show if it wants one.
    pub(super) fn more_rows(&mut self) -> Vec<Effect> {
        let h = self.list_height();
        if !self.browse.shows_list() || !self.browse.top().is_some_and(|v| v.wants_page(h)) {
            return vec![];
        }
        self.request_page()
    }

    /// Ask for the next page of the top list now.
    pub(super) fn request_page(&mut self) -> Vec<Effect> {
        let id = self.alloc_id();
        let now = self.now();
        let h = self.list_height();
        match self.browse.stack.last_mut() {
            Some(v) => {
                v.scroll(h);
                let mut eff: Vec<Effect> = v.cancel().into_iter().collect();
                eff.push(v.request(id, now));
                eff
            }
            None => vec![],
        }
    }

    /// Enter in the lookup pane when what was typed asks for a list (or is refused).
    /// None: a describe, which the lookup handles.
    pub(super) fn submit_browse(&mut self) -> Option<Vec<Effect>> {
        match intent(self.arn().value(), self.endpoint_id().value()) {
            Intent::Describe => None,
            Intent::Refuse(focus, text) => {
                self.set_focus(focus);
                self.notify(Notice::error(text));
                Some(vec![])
            }
            Intent::Browse(levels) => Some(self.open_lists(levels)),
        }
    }

    /// Open `levels` (outermost first) and show the last.
    pub fn open_lists(&mut self, levels: Vec<Query>) -> Vec<Effect> {
        let mut eff = self.browse.cancel_all();
        self.browse.stack = levels.into_iter().map(ListView::new).collect();
        // A level above the one shown puts its cursor on the row it leads to, once loaded.
        for i in 1..self.browse.stack.len() {
            let key = self.browse.stack[i].arn().to_string();
            self.browse.stack[i - 1].select_key = Some(key);
        }
        self.browse.detail_open = false;
        self.browse.completion.hidden = true;
        self.set_focus(Focus::List);
        eff.extend(self.more_rows());
        eff
    }

    /// A click in the list pane: the row under it.
    pub(super) fn list_click(&mut self, y: u16) {
        let h = self.list_height();
        let Some(areas) = super::layout::areas(self.screen(), self) else { return };
        let Some(v) = self.browse.stack.last_mut() else { return };
        let rows = super::layout::list(areas.detail, v).rows;
        if y < rows.y || y >= rows.bottom() {
            return;
        }
        let k = scrolled(v.offset(), v.cursor(), h) + (y - rows.y) as usize;
        if v.picker.select_pos(k) {
            v.scroll(h);
        }
    }

    /// Keys while the list, the detail pane opened from it, or the endpoint-ID input has the
    /// keyboard. None: not browsing's, handled as anywhere else.
    pub(super) fn browse_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        match self.focus() {
            Focus::List => self.list_command(c),
            Focus::Detail
                if matches!(c, Cmd::Cancel | Cmd::Back)
                    && !self.is_loading()
                    && !self.browse.stack.is_empty() =>
            {
                // Back to the list the endpoint was opened from, its cursor where it was.
                self.browse.detail_open = false;
                self.set_focus(Focus::List);
                self.restore_inputs();
                Some(self.more_rows())
            }
            Focus::EndpointId => self.completion_command(c),
            Focus::Recent
                if c == Cmd::Submit
                    && !self.recent_filter_editing()
                    && self.recent.selected_entry().is_some() =>
            {
                // A recent lookup opens in the detail pane, over the list.
                self.browse.detail_open = true;
                None
            }
            _ => None,
        }
    }

    pub(super) fn list_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        let show = self.show_secrets;
        let h = self.list_height();
        let updated = if matches!(c, Cmd::SortNext | Cmd::SortPrev) {
            self.known_updated(self.browse.top().map(|v| v.arn()).unwrap_or(""))
        } else {
            Default::default()
        };
        let view = self.browse.stack.last_mut()?;
        match c {
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                view.move_by(c, h);
                return Some(self.more_rows());
            }
            Cmd::Submit if view.filter_open => view.filter_open = false,
            Cmd::Submit => return Some(self.drill()),
            Cmd::Cancel if view.filter_open || view.is_filtered() => {
                view.clear_filter(show);
                view.scroll(h);
            }
            Cmd::Cancel | Cmd::Back => return Some(self.back()),
            Cmd::Retry => return Some(self.reload()),
            Cmd::Filter => view.filter_open = true,
            Cmd::SortNext | Cmd::SortPrev => {
                view.updated = updated;
                view.cycle_sort(c == Cmd::SortNext, show, h);
                let text = match view.sort_label(show) {
                    Some(l) => format!("Sorted {l} (< > change it)"),
                    None => "In the order loaded".to_string(),
                };
                self.notify(Notice::info(text));
            }
            Cmd::ToggleSecrets => {
                // The Name is searched only while shown: filter again, then toggle as usual.
                view.refilter(!show);
                return None;
            }
            Cmd::CopyField => return Some(self.copy_row(false)),
            Cmd::CopyJson => return Some(self.copy_row(true)),
            Cmd::CopyCommand => return Some(self.copy_row_command()),
            Cmd::FocusNext | Cmd::FocusPrev | Cmd::FocusArn => {
                view.filter_open = false;
                return None;
            }
            Cmd::Forget => {}
            _ => return None,
        }
        Some(vec![])
    }

    /// The updated times known of `user_arn`'s endpoints, by ID: the recent lookups' stored
    /// results, and the endpoint on show (for the "updated" order).
    pub(super) fn known_updated(
        &self,
        user_arn: &str,
    ) -> std::collections::HashMap<String, model::Timestamp> {
        let mut out = std::collections::HashMap::new();
        for e in self.recent.history().entries().iter().filter(|e| e.user_arn == user_arn) {
            if let Some(t) = e.last_result.as_ref().and_then(|r| r.last_updated) {
                out.insert(e.endpoint_id.clone(), t);
            }
        }
        if let Some(e) = self.endpoint()
            && e.app_instance_user_arn.as_deref() == Some(user_arn)
            && let (Some(id), Some(t)) = (&e.endpoint_id, e.last_updated)
        {
            out.insert(id.clone(), t);
        }
        out
    }

    /// Enter on a row: a level down, or for an endpoint its detail.
    pub(super) fn drill(&mut self) -> Vec<Effect> {
        let Some(view) = self.browse.top() else { return vec![] };
        let Some(i) = view.selected() else {
            self.notify(Notice::info("Nothing selected"));
            return vec![];
        };
        let next = match &view.rows {
            Rows::Instances(r) => r[i]
                .app_instance_arn
                .clone()
                .map(|a| Query::ListUsers { app_instance_arn: a, next_token: None }),
            Rows::Users(r) => r[i]
                .app_instance_user_arn
                .clone()
                .map(|u| Query::ListEndpoints { user_arn: u, next_token: None }),
            Rows::Endpoints(r) => {
                let user = r[i].app_instance_user_arn.clone().unwrap_or_else(|| view.arn().to_string());
                r[i].endpoint_id.clone().map(|id| Query::Describe { user_arn: user, endpoint_id: id })
            }
        };
        match next {
            None => {
                self.notify(Notice::error("This row has no ARN or ID to open"));
                vec![]
            }
            Some(Query::Describe { user_arn, endpoint_id }) => {
                self.set_inputs(&user_arn, &endpoint_id);
                self.set_focus(Focus::Detail);
                self.cursor.put_on_field(0);
                self.start(Query::Describe { user_arn, endpoint_id })
            }
            Some(q) => {
                self.browse.stack.push(ListView::new(q));
                self.restore_inputs();
                self.more_rows()
            }
        }
    }

    /// Backspace or Esc in a list: up a level (the level above keeps its cursor); at the
    /// outermost list, to the ARN input.
    pub(super) fn back(&mut self) -> Vec<Effect> {
        if self.browse.stack.len() <= 1 {
            self.set_focus(Focus::Arn);
            return vec![];
        }
        let mut eff: Vec<Effect> = self.browse.stack.pop().and_then(|mut v| v.cancel()).into_iter().collect();
        self.restore_inputs();
        let h = self.list_height();
        if let Some(v) = self.browse.stack.last_mut() {
            v.scroll(h);
        }
        eff.extend(self.more_rows());
        eff
    }

    /// The lookup inputs name the list on show.
    pub(super) fn restore_inputs(&mut self) {
        if let Some(arn) = self.browse.top().map(|v| v.arn().to_string()) {
            self.set_inputs(&arn, "");
        }
    }

    /// `r` in a list: ask again for the page that failed; otherwise load the list again,
    /// paging back to where the cursor was.
    pub(super) fn reload(&mut self) -> Vec<Effect> {
        let show = self.show_secrets;
        let Some(view) = self.browse.stack.last_mut() else { return vec![] };
        if view.error.is_some() {
            return self.request_page();
        }
        let mut eff: Vec<Effect> = view.cancel().into_iter().collect();
        let key = view.selected().and_then(|i| view.rows.key(i)).map(str::to_string);
        let mut fresh = ListView::new(view.query.clone());
        fresh.select_key = key;
        fresh.min_rows = view.rows.len();
        fresh.filter = view.filter.clone();
        *view = fresh;
        view.refilter(show);
        eff.extend(self.request_page());
        eff
    }

    /// Edits that browsing takes: the list filter's, and → at the end of the endpoint-ID
    /// input taking the completion. True: handled.
    pub(super) fn browse_edit(&mut self, req: InputRequest) -> bool {
        if self.list_filter_editing() {
            let show = self.show_secrets;
            let h = self.list_height();
            if let Some(v) = self.browse.stack.last_mut() {
                if let InputRequest::InsertChar(c) = req
                    && (c.is_control() || v.filter.value().len() >= MAX_FILTER)
                {
                    return true;
                }
                if v.filter.handle(req).is_some_and(|s| s.value) {
                    v.refilter(show);
                    v.scroll(h);
                }
            }
            return true;
        }
        if self.focus() == Focus::EndpointId {
            if req == InputRequest::GoToNextChar
                && let Some(g) = self.completion_ghost()
            {
                let id = format!("{}{g}", self.endpoint_id().value());
                self.accept_completion(&id);
                return true;
            }
            // The dropdown follows what is typed.
            self.browse.completion.selected = None;
            self.browse.completion.hidden = false;
        }
        false
    }

    /// A paste while the list filter has the keyboard. True: handled.
    pub(super) fn browse_paste(&mut self, text: &str) -> bool {
        if !self.list_filter_editing() {
            return false;
        }
        let show = self.show_secrets;
        let text: String = text.trim().chars().filter(|c| !c.is_control()).take(MAX_FILTER).collect();
        if let Some(v) = self.browse.stack.last_mut() {
            let value = format!("{}{text}", v.filter.value());
            v.filter = Input::new(value);
            v.refilter(show);
        }
        true
    }

    /// A page for browsing; one whose id is no longer awaited is dropped.
    pub(super) fn browse_done(&mut self, done: JobDone) -> Vec<Effect> {
        let show = self.show_secrets;
        if let Some(i) = self.browse.stack.iter().position(|v| v.loading_id() == Some(done.id)) {
            self.browse.stack[i].page_done(done.result, show);
            let h = self.list_height();
            self.browse.stack[i].scroll(h);
            return if i + 1 == self.browse.stack.len() { self.more_rows() } else { vec![] };
        }
        if self.browse.completion.loading == Some(done.id) {
            return self.completion_page(done.result);
        }
        tracing::debug!(id = done.id, "stale page dropped");
        vec![]
    }

    /// After every update: focus follows what the body shows, the list on show gets its next
    /// page if it wants one, and the endpoint-ID input getting the keyboard fetches the
    /// user's endpoints for completion.
    pub(super) fn after_update(&mut self, before: Focus) -> Vec<Effect> {
        // A screen made taller, or a page too short to fill it, may want the next page.
        let mut eff = self.more_rows();
        if self.focus() == Focus::EndpointId && before != Focus::EndpointId {
            eff.extend(self.offer_completions());
        }
        eff
    }
}
