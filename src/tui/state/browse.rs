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

use super::app::{App, Focus};
use super::completion::Completion;
use super::list::{ListView, NEAR_END, Rows, scrolled};
use crate::jobs::worker::{JobDone, Query};
use crate::model::{self, ArnKind};
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::text::MAX_FILTER;
use tui_input::{Input, InputRequest};

/// What Enter in the lookup pane asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Open these lists, outermost first; the last is shown, the others wait above it.
    Browse(Vec<Query>),
    /// Look the endpoint up (the lookup's own checks explain anything wrong).
    Describe,
    /// Nothing sent: the input to fix, and why.
    Refuse(Focus, String),
}

/// Read what was typed: see the module documentation.
pub fn intent(arn: &str, endpoint_id: &str) -> Intent {
    let instances = Query::ListInstances { next_token: None };
    if arn.is_empty() {
        return if endpoint_id.is_empty() {
            Intent::Browse(vec![instances])
        } else {
            Intent::Refuse(
                Focus::Arn,
                "Not looked up: an endpoint ID needs its user ARN (with both empty, Enter lists the app instances)"
                    .into(),
            )
        };
    }
    let Ok(parsed) = model::parse_chime_arn("ARN", arn) else { return Intent::Describe };
    let users = |a: String| Query::ListUsers { app_instance_arn: a, next_token: None };
    match parsed.kind {
        ArnKind::AppInstance { .. } if endpoint_id.is_empty() => Intent::Browse(vec![instances, users(arn.into())]),
        ArnKind::AppInstance { .. } => Intent::Refuse(
            Focus::EndpointId,
            "Not looked up: the ARN names an app instance, and endpoints belong to users (clear the endpoint ID to list its users)"
                .into(),
        ),
        ArnKind::User { .. } if endpoint_id.is_empty() => Intent::Browse(vec![
            instances,
            users(parsed.app_instance_arn()),
            Query::ListEndpoints { user_arn: arn.into(), next_token: None },
        ]),
        ArnKind::User { .. } => Intent::Describe,
    }
}

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
        self.next_id += 1;
        self.next_id
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
        self.focus == Focus::List && self.browse.top().is_some_and(|v| v.filter_open)
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
        let now = self.now;
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
        match intent(self.arn.value(), self.endpoint_id.value()) {
            Intent::Describe => None,
            Intent::Refuse(focus, text) => {
                self.focus = focus;
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
        self.focus = Focus::List;
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
        let k = scrolled(v.offset, v.cursor, h) + (y - rows.y) as usize;
        if k < v.visible.len() {
            v.cursor = k;
            v.scroll(h);
        }
    }

    /// Keys while the list, the detail pane opened from it, or the endpoint-ID input has the
    /// keyboard. None: not browsing's, handled as anywhere else.
    pub(super) fn browse_command(&mut self, c: Cmd) -> Option<Vec<Effect>> {
        match self.focus {
            Focus::List => self.list_command(c),
            Focus::Detail
                if matches!(c, Cmd::Cancel | Cmd::Back)
                    && !self.is_loading()
                    && !self.browse.stack.is_empty() =>
            {
                // Back to the list the endpoint was opened from, its cursor where it was.
                self.browse.detail_open = false;
                self.focus = Focus::List;
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
                self.focus = Focus::Detail;
                self.field = 0;
                self.finding = None;
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
            self.focus = Focus::Arn;
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

    /// `y` copies the selected row's ARN (or endpoint ID), `Y` the row as JSON.
    pub(super) fn copy_row(&mut self, json: bool) -> Vec<Effect> {
        let Some(view) = self.browse.top() else { return vec![] };
        let Some(i) = view.selected() else {
            self.notify(Notice::info("Nothing to copy yet"));
            return vec![];
        };
        let what = match &view.rows {
            Rows::Instances(_) => "app instance ARN",
            Rows::Users(_) => "user ARN",
            Rows::Endpoints(_) => "endpoint ID",
        };
        let show = self.show_secrets;
        let copy = if json {
            // An endpoint's Name follows the mask on screen, as `Y` in the detail pane.
            let masked = matches!(&view.rows, Rows::Endpoints(r) if r[i].name.is_some()) && !show;
            let what = match (&view.rows, show) {
                (Rows::Endpoints(r), true) if r[i].name.is_some() => "row as JSON, Name in clear",
                _ if masked => "row as JSON, Name masked (s shows it)",
                _ => "row as JSON",
            };
            view.rows.json(i).map(|mut v| {
                if masked && let Some(n) = v.get_mut("Name") {
                    *n = serde_json::Value::String(super::copy::masked_value(n.as_str().unwrap_or("")));
                }
                (what.to_string(), serde_json::to_string_pretty(&v).unwrap_or_default())
            })
        } else {
            view.rows.key(i).map(|k| (what.to_string(), k.to_string()))
        };
        match copy {
            Some((what, text)) => vec![Effect::Copy { what, text }],
            None => vec![],
        }
    }

    /// `c` in a list: the AWS CLI command for the selected row (describe it), or with no row
    /// the list command of the level.
    pub(super) fn copy_row_command(&mut self) -> Vec<Effect> {
        let Some(view) = self.browse.top() else { return vec![] };
        let (op, args): (&str, Vec<(&str, String)>) = match (view.selected(), &view.rows) {
            (Some(i), Rows::Endpoints(r)) => {
                let user = r[i].app_instance_user_arn.clone().unwrap_or_else(|| view.arn().to_string());
                let id = r[i].endpoint_id.clone().unwrap_or_default();
                (
                    "describe-app-instance-user-endpoint",
                    vec![("--app-instance-user-arn", user), ("--endpoint-id", id)],
                )
            }
            (Some(i), Rows::Users(r)) => (
                "describe-app-instance-user",
                vec![("--app-instance-user-arn", r[i].app_instance_user_arn.clone().unwrap_or_default())],
            ),
            (Some(i), Rows::Instances(r)) => (
                "describe-app-instance",
                vec![("--app-instance-arn", r[i].app_instance_arn.clone().unwrap_or_default())],
            ),
            (None, Rows::Endpoints(_)) => (
                "list-app-instance-user-endpoints",
                vec![("--app-instance-user-arn", view.arn().to_string())],
            ),
            (None, Rows::Users(_)) => {
                ("list-app-instance-users", vec![("--app-instance-arn", view.arn().to_string())])
            }
            (None, Rows::Instances(_)) => ("list-app-instances", vec![]),
        };
        let arn = args.first().map(|(_, v)| v.clone()).unwrap_or_default();
        let region = self.arn_region(&arn);
        let text = self.cli_for(op, &args, &region);
        vec![Effect::Copy { what: "AWS CLI command".into(), text }]
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
        if self.focus == Focus::EndpointId {
            if req == InputRequest::GoToNextChar
                && let Some(g) = self.completion_ghost()
            {
                let id = format!("{}{g}", self.endpoint_id.value());
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

    /// Whether an answer is browsing's: a page of a list (awaited or stale) or of the
    /// completions. Lookups (describes) are the detail pane's.
    pub(super) fn browse_owns(&self, done: &JobDone) -> bool {
        done.query.is_list()
            || self.browse.completion.loading == Some(done.id)
            || self.browse.stack.iter().any(|v| v.loading_id() == Some(done.id))
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
        if self.focus == Focus::Detail && self.browse.shows_list() {
            self.focus = Focus::List;
        } else if self.focus == Focus::List && !self.browse.shows_list() {
            self.focus = Focus::Detail;
        }
        // A screen made taller, or a page too short to fill it, may want the next page.
        let mut eff = self.more_rows();
        if self.focus == Focus::EndpointId && before != Focus::EndpointId {
            eff.extend(self.offer_completions());
        }
        eff
    }
}

#[cfg(test)]
mod tests {
    // Actions are fed and the state (or some effects) checked: not every effect is used.
    #![allow(unused_must_use)]
    use super::*;
    use crate::jobs::worker::{Answer, JobRequest};
    use crate::model::ErrorKind;
    use crate::model::ServiceError;
    use crate::model::{AllowMessages, EndpointState, EndpointStatus, EndpointType, Page, StatusReason};
    use crate::model::{EndpointSummary, InstanceSummary, UserSummary};
    use crate::tui::action::Action;
    use crate::tui::state::Session;
    use std::time::Duration;

    const INST: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1";
    const U42: &str = "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/u-42";

    fn app() -> App {
        App::new(Session::demo())
    }

    fn cmd(a: &mut App, c: Cmd) -> Vec<Effect> {
        a.update(Action::Cmd(c))
    }

    fn typed(a: &mut App, s: &str) {
        for c in s.chars() {
            a.update(Action::Edit(InputRequest::InsertChar(c)));
        }
    }

    /// The list requests among `eff`.
    fn requests(eff: &[Effect]) -> Vec<JobRequest> {
        eff.iter()
            .filter_map(|e| match e {
                Effect::Job(r) => Some(r.clone()),
                _ => None,
            })
            .collect()
    }

    fn one_request(eff: &[Effect]) -> JobRequest {
        match requests(eff).as_slice() {
            [r] => r.clone(),
            other => panic!("one request expected, got {other:?} in {eff:?}"),
        }
    }

    fn answer(a: &mut App, req: &JobRequest, result: Result<Answer, ServiceError>) -> Vec<Effect> {
        a.update(Action::JobDone(JobDone {
            id: req.id,
            query: req.query.clone(),
            result,
            elapsed: Duration::from_millis(3),
        }))
    }

    /// The Esc hint says what Esc does: in a list opened while a describe runs, it goes back
    /// (or clears the filter), while in the inputs it cancels the describe.
    #[test]
    fn hints_follow_esc_while_a_hidden_lookup_runs() {
        let esc = |a: &App| a.hints().iter().find(|(k, _)| *k == "Esc").map(|(_, w)| *w).unwrap_or("");
        let mut a = app();
        a.set_inputs(U42, "ep-1");
        let describe = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(esc(&a), "cancel");
        a.set_inputs(U42, "");
        let list = one_request(&cmd(&mut a, Cmd::Submit));
        answer(
            &mut a,
            &list,
            Ok(Answer::Endpoints(Page {
                items: vec![
                    endpoint("ep-1", EndpointStatus::Active, None),
                    endpoint("ep-2", EndpointStatus::Active, None),
                ],
                next_token: None,
            })),
        );
        assert_eq!(a.focus, Focus::List);
        assert!(a.is_loading(), "the describe still runs, hidden behind the list");
        assert_eq!(esc(&a), "back");
        // A filter: Esc clears it, and does not cancel the describe.
        cmd(&mut a, Cmd::Filter);
        typed(&mut a, "ep-2");
        cmd(&mut a, Cmd::Submit);
        assert_eq!(esc(&a), "clear filter");
        let eff = cmd(&mut a, Cmd::Cancel);
        assert!(!eff.contains(&Effect::CancelJob(describe.id)), "{eff:?}");
        assert!(a.is_loading());
        assert_eq!(esc(&a), "back");
        // In the inputs Esc cancels it, as the hint says.
        cmd(&mut a, Cmd::FocusArn);
        assert_eq!(esc(&a), "cancel");
        assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::CancelJob(describe.id)]);
    }

    fn endpoint(id: &str, status: EndpointStatus, reason: Option<StatusReason>) -> EndpointSummary {
        EndpointSummary {
            app_instance_user_arn: Some(U42.into()),
            endpoint_id: Some(id.into()),
            name: Some(format!("phone {id}")),
            endpoint_type: Some(EndpointType::Gcm),
            allow_messages: Some(AllowMessages::All),
            state: Some(EndpointState { status, reason }),
        }
    }

    fn demo_endpoints() -> Vec<EndpointSummary> {
        vec![
            endpoint("ep-1", EndpointStatus::Active, None),
            endpoint("ep-2", EndpointStatus::Active, None),
            endpoint("ep-9", EndpointStatus::Inactive, Some(StatusReason::InvalidDeviceToken)),
            endpoint("ep-pinpoint", EndpointStatus::Inactive, Some(StatusReason::InvalidPinpointArn)),
            endpoint("ep-muted", EndpointStatus::Active, None),
        ]
    }

    fn endpoints(n: usize, from: usize, next: Option<&str>) -> Answer {
        Answer::Endpoints(Page {
            items: (from..from + n)
                .map(|k| endpoint(&format!("e{k:04}"), EndpointStatus::Active, None))
                .collect(),
            next_token: next.map(str::to_string),
        })
    }

    fn instances() -> Answer {
        let items = ["i-0", "i-1", "i-2"]
            .iter()
            .map(|i| InstanceSummary {
                app_instance_arn: Some(format!("arn:aws:chime:us-east-1:123456789012:app-instance/{i}")),
                name: Some(format!("instance {i}")),
                metadata: None,
            })
            .collect();
        Answer::Instances(Page { items, next_token: None })
    }

    fn users() -> Answer {
        let items = ["u-1", "u-42", "u-7"]
            .iter()
            .map(|u| UserSummary {
                app_instance_user_arn: Some(format!("{INST}/user/{u}")),
                name: Some(format!("user {u}")),
                metadata: None,
            })
            .collect();
        Answer::Users(Page { items, next_token: None })
    }

    fn top(a: &App) -> &ListView {
        a.browse.top().expect("a list on show")
    }

    fn selected_key(a: &App) -> Option<String> {
        let v = top(a);
        v.selected().and_then(|i| v.rows.key(i)).map(str::to_string)
    }

    #[test]
    fn enter_reads_what_was_typed() {
        let inst = Query::ListInstances { next_token: None };
        let users = Query::ListUsers { app_instance_arn: INST.into(), next_token: None };
        let eps = Query::ListEndpoints { user_arn: U42.into(), next_token: None };
        assert_eq!(intent("", ""), Intent::Browse(vec![inst.clone()]));
        assert_eq!(intent(INST, ""), Intent::Browse(vec![inst.clone(), users.clone()]));
        assert_eq!(intent(U42, ""), Intent::Browse(vec![inst, users, eps.clone()]));
        assert_eq!(intent(U42, "ep-1"), Intent::Describe);
        assert_eq!(
            intent("arn:aws:chime:us-east-1:1:app-inst/x", ""),
            Intent::Describe,
            "the lookup explains"
        );
        assert!(matches!(intent(INST, "ep-1"), Intent::Refuse(Focus::EndpointId, _)));
        assert!(matches!(intent("", "ep-1"), Intent::Refuse(Focus::Arn, _)));

        // In the App: a user ARN alone lists its endpoints, and only that level is asked for.
        let mut a = app();
        a.set_inputs(U42, "");
        let eff = cmd(&mut a, Cmd::Submit);
        assert_eq!(one_request(&eff).query, eps);
        assert_eq!(a.focus, Focus::List);
        assert!(a.browse.shows_list());
        assert_eq!(a.browse.stack.len(), 3, "the levels above wait, unloaded");
        assert_eq!(top(&a).status(), "loading…");
        assert_eq!(a.next_wakeup(), Some(crate::tui::state::app::SPIN_INTERVAL), "the spinner turns");
        // Refused: nothing sent, focus on the input to fix.
        a.set_inputs(INST, "ep-1");
        a.focus = Focus::Arn;
        assert!(cmd(&mut a, Cmd::Submit).is_empty());
        assert_eq!(a.focus, Focus::EndpointId);
    }

    #[test]
    fn drill_down_then_back_up_with_the_cursor_restored() {
        let mut a = app();
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::ListInstances { next_token: None });
        answer(&mut a, &req, Ok(instances()));
        assert_eq!(top(&a).status(), "3 app instances");
        cmd(&mut a, Cmd::Down);
        // Enter on an instance: its users, the ARN input following.
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::ListUsers { app_instance_arn: INST.into(), next_token: None });
        assert_eq!(a.arn.value(), INST);
        answer(&mut a, &req, Ok(users()));
        cmd(&mut a, Cmd::Down);
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::ListEndpoints { user_arn: U42.into(), next_token: None });
        assert_eq!((a.arn.value(), a.endpoint_id.value()), (U42, ""));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Down);
        assert_eq!(selected_key(&a).as_deref(), Some("ep-9"));
        // Enter on an endpoint: the describe, in the detail pane.
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-9".into() });
        assert_eq!(a.focus, Focus::Detail);
        assert!(!a.browse.shows_list());
        assert_eq!(a.endpoint_id.value(), "ep-9");
        // Esc while it runs cancels it first; the next Esc goes back to the list.
        assert_eq!(cmd(&mut a, Cmd::Cancel), vec![Effect::CancelJob(req.id)]);
        assert_eq!(a.focus, Focus::Detail);
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.focus, Focus::List);
        assert_eq!(selected_key(&a).as_deref(), Some("ep-9"), "the cursor where it was");
        assert_eq!((a.arn.value(), a.endpoint_id.value()), (U42, ""));
        // Backspace (and Esc) go up a level each, cursors kept.
        assert!(cmd(&mut a, Cmd::Back).is_empty(), "the level above is loaded: nothing asked");
        assert_eq!(selected_key(&a), Some(format!("{INST}/user/u-42")));
        assert_eq!(a.arn.value(), INST);
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(selected_key(&a).as_deref(), Some(INST));
        assert_eq!(a.arn.value(), "");
        // At the top, Esc goes to the ARN input and the list stays.
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.focus, Focus::Arn);
        assert!(a.browse.shows_list());
        // Tab comes back to it.
        cmd(&mut a, Cmd::FocusNext);
        cmd(&mut a, Cmd::FocusNext);
        assert_eq!(a.focus, Focus::List);
    }

    #[test]
    fn a_level_above_a_typed_arn_loads_when_shown_with_its_cursor_on_the_way_down() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        let req = one_request(&cmd(&mut a, Cmd::Back));
        assert_eq!(req.query, Query::ListUsers { app_instance_arn: INST.into(), next_token: None });
        answer(&mut a, &req, Ok(users()));
        assert_eq!(selected_key(&a), Some(U42.to_string()));
    }

    #[test]
    fn the_next_page_is_asked_for_near_the_end_and_only_once() {
        let mut a = app();
        a.set_inputs(U42, "");
        let first = one_request(&cmd(&mut a, Cmd::Submit));
        assert!(answer(&mut a, &first, Ok(endpoints(50, 0, Some("t1")))).is_empty(), "the screen is full");
        assert_eq!(top(&a).status(), "50 loaded, more…");
        let h = a.list_height();
        assert!(h < 40, "{h}");
        let mut asked = Vec::new();
        for _ in 0..49 {
            asked.extend(requests(&cmd(&mut a, Cmd::Down)));
        }
        assert_eq!(asked.len(), 1, "one request while one is in flight: {asked:?}");
        let second = asked.remove(0);
        assert_eq!(
            second.query,
            Query::ListEndpoints { user_arn: U42.into(), next_token: Some("t1".into()) }
        );
        assert!(top(&a).cursor + NEAR_END.max(h) >= 50);
        answer(&mut a, &second, Ok(endpoints(50, 50, Some("t2"))));
        assert_eq!(top(&a).status(), "100 loaded, more…");
        let third = one_request(&cmd(&mut a, Cmd::Bottom));
        assert_eq!(third.query.at_page(None), first.query);
        assert_eq!(third.query, first.query.at_page(Some("t2".into())));
        answer(&mut a, &third, Ok(endpoints(20, 100, None)));
        assert_eq!(top(&a).status(), "120 endpoints");
        assert_eq!(top(&a).pages, 3);
        assert!(requests(&cmd(&mut a, Cmd::Bottom)).is_empty(), "complete");
        assert_eq!(selected_key(&a).as_deref(), Some("e0119"));
        // The view follows the cursor.
        let v = top(&a);
        assert!(v.offset <= v.cursor && v.cursor < v.offset + h);
    }

    #[test]
    fn a_next_token_handed_out_twice_stops_paging_with_an_error() {
        let mut a = app();
        a.set_inputs(U42, "");
        let first = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &first, Ok(endpoints(50, 0, Some("loop"))));
        let second = one_request(&cmd(&mut a, Cmd::Bottom));
        answer(&mut a, &second, Ok(endpoints(50, 50, Some("loop"))));
        let v = top(&a);
        assert!(v.error.as_ref().is_some_and(|e| e.message.contains("same NextToken twice")));
        assert_eq!(v.rows.len(), 100, "the rows so far stay");
        assert!(requests(&cmd(&mut a, Cmd::Bottom)).is_empty(), "no third request");
    }

    #[test]
    fn stale_pages_are_dropped() {
        let mut a = app();
        let old = one_request(&cmd(&mut a, Cmd::Submit));
        // Enter again before the answer: the first request is cancelled and superseded.
        a.focus = Focus::Arn;
        let eff = cmd(&mut a, Cmd::Submit);
        assert!(eff.contains(&Effect::CancelJob(old.id)));
        let new = one_request(&eff);
        assert!(answer(&mut a, &old, Ok(instances())).is_empty());
        assert!(top(&a).rows.is_empty(), "the stale page is dropped");
        assert_eq!(top(&a).loading_id(), Some(new.id));
        answer(&mut a, &new, Ok(instances()));
        assert_eq!(top(&a).rows.len(), 3);
        // Leave a level before its page arrives: cancelled, and its late page dropped.
        let users_req = one_request(&cmd(&mut a, Cmd::Submit));
        let eff = cmd(&mut a, Cmd::Back);
        assert_eq!(eff, vec![Effect::CancelJob(users_req.id)]);
        assert!(answer(&mut a, &users_req, Ok(users())).is_empty());
        assert_eq!(a.browse.stack.len(), 1);
        assert_eq!(top(&a).rows.len(), 3);
        // The same page delivered twice counts once.
        assert!(answer(&mut a, &new, Ok(instances())).is_empty());
        assert_eq!(top(&a).rows.len(), 3);
    }

    #[test]
    fn slash_filters_what_is_loaded() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        cmd(&mut a, Cmd::Filter);
        assert!(a.list_filter_editing());
        typed(&mut a, "INVALID");
        let keys = |a: &App| {
            let v = top(a);
            v.visible().iter().map(|&i| v.rows.key(i).unwrap().to_string()).collect::<Vec<_>>()
        };
        assert_eq!(keys(&a), ["ep-9", "ep-pinpoint"], "by reason, ignoring case");
        assert_eq!(top(&a).status(), "2 of 5 endpoints");
        // Enter keeps the filter and gives the keys back to the list.
        cmd(&mut a, Cmd::Submit);
        assert!(!a.list_filter_editing());
        cmd(&mut a, Cmd::Down);
        assert_eq!(selected_key(&a).as_deref(), Some("ep-pinpoint"));
        // The masked Name is not searched until shown.
        cmd(&mut a, Cmd::Filter);
        a.update(Action::Edit(InputRequest::DeleteLine));
        a.update(Action::Paste("phone ep-m\n".into()));
        assert!(keys(&a).is_empty());
        a.update(Action::Cmd(Cmd::Submit));
        cmd(&mut a, Cmd::ToggleSecrets);
        assert!(a.show_secrets);
        assert_eq!(keys(&a), ["ep-muted"]);
        // Esc clears the filter and keeps the cursor on its row; the next Esc goes up.
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(keys(&a).len(), 5);
        assert_eq!(selected_key(&a).as_deref(), Some("ep-muted"));
        assert_eq!(a.browse.stack.len(), 3);
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.browse.stack.len(), 2);
    }

    #[test]
    fn a_failed_page_shows_in_place_and_r_asks_again() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Err(ServiceError::new(ErrorKind::Throttled, "Rate exceeded", "")));
        assert_eq!(top(&a).error.as_ref().unwrap().kind, ErrorKind::Throttled);
        assert_eq!(top(&a).status(), "not loaded");
        assert!(requests(&cmd(&mut a, Cmd::Down)).is_empty(), "no retry loop");
        let retry = one_request(&cmd(&mut a, Cmd::Retry));
        assert_eq!(retry.query, req.query);
        assert!(top(&a).error.is_none());
        answer(&mut a, &retry, Ok(endpoints(50, 0, Some("t1"))));
        let page2 = one_request(&cmd(&mut a, Cmd::Bottom));
        answer(&mut a, &page2, Err(ServiceError::new(ErrorKind::Network, "connection refused", "")));
        assert_eq!(top(&a).rows.len(), 50, "what is loaded stays");
        assert!(requests(&cmd(&mut a, Cmd::Up)).is_empty());
        let again = one_request(&cmd(&mut a, Cmd::Retry));
        assert_eq!(again.query, page2.query, "the page that failed, with its token");
        answer(&mut a, &again, Ok(endpoints(7, 50, None)));
        assert_eq!(top(&a).status(), "57 endpoints");
        // r with nothing failed reloads, paging back to where the cursor was.
        cmd(&mut a, Cmd::Bottom);
        let reload = one_request(&cmd(&mut a, Cmd::Retry));
        assert_eq!(reload.query, req.query);
        assert!(top(&a).rows.is_empty());
        let next = one_request(&answer(&mut a, &reload, Ok(endpoints(50, 0, Some("t1")))));
        answer(&mut a, &next, Ok(endpoints(7, 50, None)));
        assert_eq!(selected_key(&a).as_deref(), Some("e0056"));
    }

    #[test]
    fn the_endpoint_id_input_offers_the_users_endpoints() {
        let mut a = app();
        a.set_inputs(U42, "");
        // The input getting the keyboard fetches them in the background.
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        assert_eq!(req.query, Query::ListEndpoints { user_arn: U42.into(), next_token: None });
        assert_eq!(a.focus, Focus::EndpointId);
        assert!(a.completion_visible(), "open, saying it is loading");
        let more = answer(&mut a, &req, Ok(endpoints(50, 0, Some("t1"))));
        let req2 = one_request(&more);
        assert_eq!(req2.query, req.query.at_page(Some("t1".into())), "all pages, in the background");
        answer(&mut a, &req2, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        assert_eq!(a.browse.completion.items.len(), 55);
        assert!(a.completion_visible());
        // Leaving and coming back does not fetch again.
        cmd(&mut a, Cmd::FocusPrev);
        assert!(cmd(&mut a, Cmd::FocusNext).is_empty());
        // Typed text narrows; the first that starts with it is ghosted; Tab takes it.
        typed(&mut a, "ep-p");
        assert_eq!(a.completion_ghost(), Some("inpoint"));
        assert!(cmd(&mut a, Cmd::FocusNext).is_empty());
        assert_eq!(a.endpoint_id.value(), "ep-pinpoint");
        assert_eq!(a.focus, Focus::EndpointId, "Tab completed instead of moving on");
        // → at the end takes it too.
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "ep-m");
        a.update(Action::Edit(InputRequest::GoToNextChar));
        assert_eq!(a.endpoint_id.value(), "ep-muted");
        // ↓ chooses among the matches; Enter takes the chosen one and looks it up.
        a.update(Action::Edit(InputRequest::DeleteLine));
        typed(&mut a, "ep-");
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Down);
        cmd(&mut a, Cmd::Up);
        assert_eq!(a.browse.completion.chosen("ep-"), Some("ep-2"));
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-2".into() });
        assert!(!a.completion_visible(), "closed by the lookup");
        // Esc closes the dropdown; the next Esc leaves the input.
        answer(&mut a, &req, Err(ServiceError::new(ErrorKind::NotFound, "x", "")));
        typed(&mut a, "x");
        a.update(Action::Edit(InputRequest::DeleteLine));
        assert!(a.completion_visible());
        cmd(&mut a, Cmd::Cancel);
        assert!(!a.completion_visible());
        assert_eq!(a.focus, Focus::EndpointId);
        cmd(&mut a, Cmd::Cancel);
        assert_eq!(a.focus, Focus::Detail);
        // Another user: fetched afresh (the old request, if any, cancelled).
        a.set_inputs(&U42.replace("u-42", "u-7"), "");
        a.focus = Focus::Arn;
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        assert!(matches!(&req.query, Query::ListEndpoints { user_arn, .. } if user_arn.ends_with("u-7")));
        assert!(a.browse.completion.items.is_empty());
    }

    /// The completions of u-42, loaded: the dropdown open under the endpoint-ID input.
    fn completing(items: Vec<EndpointSummary>) -> App {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items, next_token: None })));
        a
    }

    #[test]
    fn enter_looks_up_the_ghosted_completion_that_is_on_screen() {
        let mut a = completing(demo_endpoints());
        typed(&mut a, "ep-p");
        assert_eq!(a.completion_ghost(), Some("inpoint"), "one ID starts with ep-p: shown");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-pinpoint".into() });
        assert_eq!(a.endpoint_id.value(), "ep-pinpoint", "the input says what was looked up");
        // Two IDs start with what is typed: nothing is guessed, Enter looks up what is typed,
        // and Tab completes as far as they agree.
        let mut a = completing(vec![
            endpoint("ep-1", EndpointStatus::Active, None),
            endpoint("ep-10", EndpointStatus::Active, None),
            endpoint("ep-11", EndpointStatus::Active, None),
        ]);
        typed(&mut a, "ep-1");
        assert_eq!(a.completion_ghost(), None);
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        assert_eq!(req.query, Query::Describe { user_arn: U42.into(), endpoint_id: "ep-1".into() });
        let mut a = completing(vec![
            endpoint("ep-10", EndpointStatus::Active, None),
            endpoint("ep-11", EndpointStatus::Active, None),
        ]);
        typed(&mut a, "e");
        cmd(&mut a, Cmd::FocusNext);
        assert_eq!(a.endpoint_id.value(), "ep-1");
    }

    #[test]
    fn the_dropdown_says_it_is_loading() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::FocusNext));
        assert!(a.completion_visible(), "open while the first page is on its way");
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: vec![], next_token: None })));
        assert!(!a.completion_visible(), "the user has none: nothing to offer");
    }

    #[test]
    fn g_in_a_paged_list_goes_to_the_real_end() {
        let mut a = app();
        a.set_inputs(U42, "");
        let first = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &first, Ok(endpoints(50, 0, Some("t1"))));
        let second = one_request(&cmd(&mut a, Cmd::Bottom));
        assert_eq!(top(&a).status(), "50 loaded, loading to the end…");
        let third = one_request(&answer(&mut a, &second, Ok(endpoints(50, 50, Some("t2")))));
        assert_eq!(selected_key(&a).as_deref(), Some("e0099"), "on the last row so far");
        assert!(answer(&mut a, &third, Ok(endpoints(7, 100, None))).is_empty());
        assert_eq!(selected_key(&a).as_deref(), Some("e0106"), "one G: the last row of the last page");
        assert_eq!(top(&a).status(), "107 endpoints");
        // Another key on the way stops the run to the end.
        let mut a = app();
        a.set_inputs(U42, "");
        let first = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &first, Ok(endpoints(50, 0, Some("t1"))));
        let second = one_request(&cmd(&mut a, Cmd::Bottom));
        cmd(&mut a, Cmd::Top);
        assert!(answer(&mut a, &second, Ok(endpoints(50, 50, Some("t2")))).is_empty());
        assert_eq!(selected_key(&a).as_deref(), Some("e0000"));
    }

    #[test]
    fn c_in_a_list_copies_the_rows_command_and_y_masks_the_name() {
        let mut a = app();
        a.set_inputs(U42, "");
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(Answer::Endpoints(Page { items: demo_endpoints(), next_token: None })));
        cmd(&mut a, Cmd::Down);
        let eff = cmd(&mut a, Cmd::CopyCommand);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }]
            if text.contains("describe-app-instance-user-endpoint") && text.contains("--endpoint-id ep-2")
                && text.contains(U42)),
            "{eff:?}"
        );
        let eff = cmd(&mut a, Cmd::CopyJson);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, what }]
            if !text.contains("phone ep-2") && text.contains("(masked, 10 chars)") && what.contains("masked")),
            "{eff:?}"
        );
        cmd(&mut a, Cmd::ToggleSecrets);
        let eff = cmd(&mut a, Cmd::CopyJson);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, what }]
            if text.contains("phone ep-2") && what.contains("in clear")),
            "{eff:?}"
        );
    }

    #[test]
    fn c_copies_the_level_list_command_with_no_row() {
        let mut a = app();
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(Answer::Instances(Page { items: vec![], next_token: None })));
        let eff = cmd(&mut a, Cmd::CopyCommand);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }]
            if text.starts_with("aws chime-sdk-identity list-app-instances --region us-east-1")),
            "{eff:?}"
        );
        let mut a = app();
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(instances()));
        cmd(&mut a, Cmd::Down);
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(users()));
        let eff = cmd(&mut a, Cmd::CopyCommand);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }]
            if text.contains("describe-app-instance-user --app-instance-user-arn") && text.contains("/user/u-1")),
            "{eff:?}"
        );
        // Not the last detail lookup's stale describe.
        assert!(!matches!(&eff[..], [Effect::Copy { text, .. }] if text.contains("--endpoint-id")));
    }

    #[test]
    fn y_copies_the_selected_rows_arn() {
        let mut a = app();
        let req = one_request(&cmd(&mut a, Cmd::Submit));
        answer(&mut a, &req, Ok(instances()));
        cmd(&mut a, Cmd::Down);
        let eff = cmd(&mut a, Cmd::CopyField);
        assert!(matches!(&eff[..], [Effect::Copy { what, text }]
            if what == "app instance ARN" && text.ends_with("app-instance/i-1")));
        let eff = cmd(&mut a, Cmd::CopyJson);
        assert!(
            matches!(&eff[..], [Effect::Copy { text, .. }] if text.contains("\"Name\": \"instance i-1\""))
        );
    }
}
