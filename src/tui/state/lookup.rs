//! Looking an endpoint up: Enter in the inputs, `r` to repeat, Esc to cancel, and the answer
//! arriving (a stale one is dropped).

use super::app::{App, Focus, Pane};
use super::detail::Detail;
use crate::jobs::worker::{Answer, JobDone, JobRequest, Owner, Query};
use crate::model;
use crate::tui::action::{Effect, Notice, Recorded};
use crate::tui::text::wrap;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

impl App {
    pub(super) fn submit(&mut self) -> Vec<Effect> {
        // An empty ARN, an app-instance ARN, or a user ARN alone lists (`super::browse`).
        if let Some(eff) = self.submit_browse() {
            return eff;
        }
        if let Err(e) = self.arn_check() {
            let text = format!("Not looked up: the {e}");
            self.set_focus(Focus::Arn);
            self.notify(Notice::error(text));
            return vec![];
        }
        if let Err(e) = self.id_check() {
            let text = format!("Not looked up: the {e}");
            self.set_focus(Focus::EndpointId);
            self.notify(Notice::error(text));
            return vec![];
        }
        let q = Query::Describe {
            user_arn: self.arn().value().to_string(),
            endpoint_id: self.endpoint_id().value().to_string(),
        };
        self.start(q)
    }

    /// r / Ctrl-R: the last lookup again, so long as the inputs still name it. Inputs
    /// changed since then are looked up as they are now (as Enter would), so that the detail
    /// pane never shows an endpoint the inputs do not name; inputs emptied since are filled
    /// back in with what is repeated.
    pub(super) fn retry(&mut self) -> Vec<Effect> {
        let Some(q) = self.last_query.clone() else {
            self.notify(Notice::info("Nothing to repeat yet: look something up first"));
            return vec![];
        };
        if let Query::Describe { user_arn, endpoint_id } = &q {
            let (arn, id) = (self.arn().value(), self.endpoint_id().value());
            if arn.is_empty() && id.is_empty() {
                self.set_inputs(user_arn, endpoint_id);
            } else if arn != user_arn || id != endpoint_id {
                let eff = self.submit();
                if eff.iter().any(|e| matches!(e, Effect::Job(_))) && self.notice().is_none() {
                    self.notify(Notice::info(
                        "The inputs changed since the last lookup: looked up what they say now",
                    ));
                }
                return eff;
            }
        }
        self.start(q)
    }

    pub(super) fn query_region(&self, q: &Query) -> String {
        let arn = match q {
            Query::Describe { user_arn, .. }
            | Query::ListEndpoints { user_arn, .. }
            | Query::DescribeUser { user_arn }
            | Query::Memberships { user_arn } => user_arn.as_str(),
            Query::ListUsers { app_instance_arn, .. } => app_instance_arn.as_str(),
            Query::ListInstances { .. } => "",
            Query::Pinpoint { plan } => return plan.region.clone(),
            Query::Write(w) => w.user_arn(),
            Query::PushTest(p) => return p.region.clone(),
        };
        let parsed = model::parse_chime_arn("ARN", arn).ok();
        self.session.region_for(parsed.as_ref().map(|p| p.region()))
    }

    pub(super) fn start(&mut self, query: Query) -> Vec<Effect> {
        let mut eff = Vec::new();
        let prev = match std::mem::replace(&mut self.detail, Detail::Empty) {
            Detail::Loading { id, prev, .. } => {
                eff.push(Effect::CancelJob(id));
                *prev
            }
            other => other,
        };
        let id = self.context.next_job();
        let region = self.query_region(&query);
        self.detail = Detail::Loading {
            id,
            query: query.clone(),
            region,
            started: self.now(),
            prev: Box::new(prev),
            focus: self.focus(),
        };
        self.last_query = Some(query.clone());
        // A lookup shows in the detail pane, over a list being browsed.
        self.browse.detail_open = true;
        eff.push(Effect::Job(JobRequest { id, owner: Owner::Detail, query }));
        eff
    }

    pub(super) fn cancel_running(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.detail, Detail::Empty) {
            Detail::Loading { id, prev, .. } => {
                self.detail = *prev;
                vec![Effect::CancelJob(id)]
            }
            other => {
                self.detail = other;
                vec![]
            }
        }
    }

    pub(super) fn cancel(&mut self) -> Vec<Effect> {
        let eff = self.cancel_running();
        if !eff.is_empty() {
            self.notify(Notice::info("Lookup cancelled"));
        } else if self.focus().is_input() {
            self.set_focus(Focus::Detail);
        } else {
            self.chrome.take_notice();
        }
        eff
    }

    /// The answer to the lookup the detail pane awaits (`state::route` routes it here).
    pub(super) fn answer_arrived(&mut self, done: JobDone) -> Vec<Effect> {
        let (region, focus_at_start) = match &self.detail {
            Detail::Loading { region, focus, .. } => (region.clone(), *focus),
            _ => return vec![],
        };
        let done_id = done.id;
        let result = match done.result {
            Ok(Answer::Endpoint(e)) => Ok(e),
            Ok(_) => return vec![], // list answers: browsing handles them
            Err(e) => Err(e),
        };
        let record = Recorded {
            query: done.query.clone(),
            region: region.clone(),
            result: result.as_ref().map(|_| ()).map_err(|e| e.kind),
        };
        self.record_lookup(&record, self.wall(), result.as_ref().map(|e| &**e));
        self.detail = match result {
            Ok(endpoint) => {
                // Still in the pane the lookup started from (a list and the detail pane are one).
                if Pane::from(self.focus()) == Pane::from(focus_at_start) {
                    self.set_focus(Focus::Detail);
                }
                Detail::Endpoint {
                    query: done.query,
                    region,
                    endpoint,
                    elapsed: done.elapsed,
                    at: self.wall(),
                }
            }
            Err(error) => Detail::Error { query: done.query, region, error, elapsed: done.elapsed },
        };
        self.after_write_refresh(done_id);
        vec![Effect::Record(record)]
    }

    /// The lines under the inputs: the ARN parsed, or its mistakes explained.
    fn check_segments(&self) -> Vec<(String, Style)> {
        let app = self;
        let t = app.theme();
        let mut segs: Vec<(String, Style)> = Vec::new();
        let arn = app.arn().value();
        let id = app.endpoint_id().value();
        // Browsing: an app-instance ARN lists its users.
        let instance = if app.arn_check().is_err() { model::parse_instance_arn(arn).ok() } else { None };
        match app.arn_check() {
            _ if arn.is_empty() && id.is_empty() => {
                segs.push((
                    "Paste or type a user ARN, Tab, an endpoint ID, Enter; Enter alone lists the app instances."
                        .into(),
                    t.dim,
                ));
            }
            _ if arn.is_empty() => segs.push(("✘ the user ARN is empty".into(), t.status_bad)),
            Err(_) if instance.is_some() => {
                let Some(p) = &instance else { return segs };
                let warning = app.region_problem(p.region());
                let mark = if warning.is_some() { "⚠ app instance " } else { "✓ app instance " };
                segs.push((mark.into(), if warning.is_some() { t.status_warn } else { t.status_ok }));
                segs.push((model::escape_control(p.app_instance_id()).into_owned(), t.value));
                match warning {
                    Some(w) => segs.push((format!(" · {w}"), t.status_warn)),
                    None => segs.push((format!(" · region {}", app.region()), t.status_ok)),
                }
                segs.push((" · account ".into(), t.dim));
                segs.push((p.arn.account.clone(), t.value));
                segs.push((" · Enter lists its users".into(), t.dim));
            }
            Err(e) => segs.push((format!("✘ {}", model::escape_control(&e.problem)), t.status_bad)),
            Ok(p) => {
                // A ✓ only for what can be looked up: a region the request goes to that is the
                // ARN's own and has an Identity endpoint.
                match app.region_problem(p.region()) {
                    Some(w) => segs.push((format!("⚠ {w}"), t.status_warn)),
                    None => {
                        segs.push(("✓ ".into(), t.status_ok));
                        segs.push((format!("region {}", app.region()), t.status_ok));
                    }
                }
                segs.push((" · account ".into(), t.dim));
                segs.push((p.arn.account.clone(), t.value));
                segs.push((" · app instance ".into(), t.dim));
                segs.push((model::escape_control(p.app_instance_id()).into_owned(), t.value));
                segs.push((" · user ".into(), t.dim));
                segs.push((model::escape_control(p.user_id().unwrap_or("")).into_owned(), t.value));
            }
        }
        if !id.is_empty()
            && let Err(e) = app.id_check()
        {
            segs.push((format!("  ✘ endpoint ID {}", model::escape_control(&e.problem)), t.status_bad));
        }
        segs
    }

    /// What is wrong with where a request about an ARN of `arn_region` would go: `--region` says
    /// another region (the service keeps an ARN's resources in the ARN's region), or the region
    /// has no Chime SDK Identity endpoint.
    pub fn region_problem(&self, arn_region: &str) -> Option<String> {
        let app = self;
        let region = app.session.region_for(Some(arn_region));
        let only = model::IDENTITY_REGIONS.join(", ");
        if region != arn_region {
            let mut w = format!(
                "--region {} differs from the ARN's region {}: the lookup goes to {}, where this ARN does not live",
                model::escape_control(&region),
                model::escape_control(arn_region),
                model::escape_control(&region)
            );
            if !model::IDENTITY_REGIONS.contains(&region.as_str()) {
                w.push_str(&format!(
                    "; --region {} has no Identity endpoint (only {only})",
                    model::escape_control(&region)
                ));
            }
            return Some(w);
        }
        if !model::IDENTITY_REGIONS.contains(&region.as_str()) {
            return Some(format!(
                "region {}: the ARN's region has no Identity endpoint (only {only})",
                model::escape_control(&region)
            ));
        }
        None
    }

    /// `width` is the pane's; the lines are indented by one column inside the border.
    pub fn check_lines(&self, width: u16, compact: bool) -> Vec<Line<'static>> {
        let app = self;
        let inner = width.saturating_sub(if compact { 1 } else { 3 }) as usize;
        let mut lines = wrap(&self.check_segments(), inner);
        let max = if compact { 1 } else { 3 };
        if lines.len() > max {
            lines.truncate(max);
            if let Some(last) = lines.last_mut() {
                last.spans.push(Span::styled(" …", app.theme().dim));
            }
        }
        lines
    }

    /// Rows the pane needs at `width`. The compact layout has no border.
    pub fn lookup_height(&self, width: u16, compact: bool) -> u16 {
        let border = if compact { 0 } else { 2 };
        border + 2 + self.check_lines(width, compact).len() as u16
    }
}
