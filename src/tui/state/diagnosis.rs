//! The Diagnosis group of the detail pane: the doctor's findings about the endpoint on show
//! (`crate::doctor`), from the record alone and the app's clock, errors first. The user-level
//! rules (duplicate-device-token, endpoint-limit) run only when the user's endpoints are
//! loaded in the browse list; otherwise they are skipped. The Pinpoint findings join when the
//! background check answers (`super::pinpoint`). Evidence is masked by the doctor.

use super::app::App;
use super::list::Rows;
use crate::doctor::{self, Code, Finding, verdict};
use crate::jobs::worker::Query;
use crate::model::{Endpoint, EndpointSummary};
use crate::tui::action::{Effect, Notice};

impl App {
    /// The findings about the endpoint on show, errors first (none when none is on show).
    pub fn diagnosis(&self) -> Vec<Finding> {
        let Some(e) = self.endpoint() else { return Vec::new() };
        let now = super::recent::timestamp(self.wall());
        let mut out = doctor::endpoint_findings(e, now);
        // The Pinpoint checks' findings, once their background job answered.
        out.extend(self.pinpoint_findings().iter().cloned());
        if let Some(user) = self.user_check_findings(e) {
            out.extend(user);
        } else if let Some(all) = self.user_endpoints(e) {
            out.extend(
                doctor::user_findings(&all, None, now)
                    .into_iter()
                    .filter(|f| matches!(f.code, Code::DuplicateDeviceToken | Code::EndpointLimit)),
            );
        }
        doctor::sort(&mut out);
        out
    }

    /// The verdict on the endpoint on show (the one function every mode asks), saying what was
    /// not checked: the Pinpoint channel while its check runs, or when the checks are off.
    pub fn verdict(&self) -> Option<verdict::Reading> {
        let e = self.endpoint()?;
        let checked = if self.pinpoint_off().is_some() {
            verdict::Checked::PinpointOff
        } else if self.pinpoint_running() {
            verdict::Checked::Checking
        } else if self.pinpoint_answered() {
            verdict::Checked::Channel
        } else {
            verdict::Checked::Record
        };
        Some(verdict::read(e.state.as_ref(), e.allow_messages.as_ref(), &self.diagnosis(), checked))
    }

    /// `:doctor`: diagnose the endpoint on show again (its Pinpoint checks run anew) and put
    /// the cursor on the worst finding; say what was found.
    pub(super) fn doctor_command(&mut self) -> Vec<Effect> {
        if self.endpoint().is_none() {
            self.notify(Notice::info(
                ":doctor diagnoses the endpoint on show: look one up first (chimescope doctor diagnoses a whole user)",
            ));
            return vec![];
        }
        let mut eff = self.pinpoint_after_describe();
        eff.extend(self.user_check_start(true));
        let found = self.diagnosis();
        // The endpoint diagnosed is what shows, over a list being browsed.
        self.browse.detail_open = true;
        self.set_focus(super::app::Focus::Detail);
        let worst = found.first().map(|f| (f.severity, f.code));
        self.cursor.put_on_finding(worst.map(|_| 0));
        let checking = match self.pinpoint_off() {
            Some(why) => format!("; Pinpoint checks off ({why})"),
            None if self.pinpoint_running() => "; Pinpoint checks running".to_string(),
            None => String::new(),
        };
        let text = match worst {
            None => format!("Doctor: no finding from the record{checking}"),
            Some((sev, code)) => format!(
                "Doctor: {} finding{}, the worst {} {code}{checking}",
                found.len(),
                if found.len() == 1 { "" } else { "s" },
                sev.as_str(),
            ),
        };
        self.notify(Notice::info(text));
        eff
    }

    /// The finding under the cursor, and how many equal ones come before it: what
    /// [`App::restore_finding`] finds again after the Diagnosis changed.
    pub(super) fn finding_anchor(&self) -> Option<(Finding, usize)> {
        let i = self.selected_finding()?;
        let all = self.diagnosis();
        let f = all.get(i)?.clone();
        let before = all[..i].iter().filter(|g| **g == f).count();
        Some((f, before))
    }

    /// Put the cursor back on the finding `anchor` names, wherever it now sorts; when it is
    /// gone, on the finding now at its place (or the last one), or on the first field when none
    /// is left. A cursor on a field stays where it is.
    pub(super) fn restore_finding(&mut self, anchor: Option<(Finding, usize)>) {
        let Some((f, before)) = anchor else { return };
        let Some(at) = self.cursor.finding() else { return };
        let all = self.diagnosis();
        let found = all.iter().enumerate().filter(|(_, g)| **g == f).nth(before).map(|(i, _)| i);
        match found {
            Some(i) => self.cursor.put_on_finding(Some(i)),
            None if all.is_empty() => self.cursor.put_on_field(0),
            None => self.cursor.put_on_finding(Some(at.min(all.len() - 1))),
        }
    }

    /// The finding under the cursor (index into [`App::diagnosis`]), if the cursor is on one.
    pub fn selected_finding(&self) -> Option<usize> {
        let n = self.diagnosis().len();
        self.cursor.finding().filter(|i| *i < n)
    }

    /// The user's endpoints as the browse list has them (the one on show as its full record),
    /// when a page of them is loaded.
    fn user_endpoints(&self, e: &Endpoint) -> Option<Vec<Endpoint>> {
        let user = match &self.detail {
            super::detail::Detail::Endpoint { query: Query::Describe { user_arn, .. }, .. } => {
                user_arn.as_str()
            }
            _ => e.app_instance_user_arn.as_deref()?,
        };
        let view = self.browse.stack.iter().rev().find(|v| {
            matches!(&v.query, Query::ListEndpoints { user_arn, .. } if user_arn == user) && v.pages > 0
        })?;
        let Rows::Endpoints(rows) = &view.rows else { return None };
        let mut all: Vec<Endpoint> = rows
            .iter()
            .map(|s| {
                if s.endpoint_id.is_some() && s.endpoint_id == e.endpoint_id { e.clone() } else { record(s) }
            })
            .collect();
        if !rows.iter().any(|s| s.endpoint_id.is_some() && s.endpoint_id == e.endpoint_id) && view.complete {
            // Registered since the list was loaded: it counts too.
            all.push(e.clone());
        }
        Some(all)
    }
}

/// What a list row says of an endpoint (a summary has no tokens, resource or times).
pub(super) fn record(s: &EndpointSummary) -> Endpoint {
    Endpoint {
        app_instance_user_arn: s.app_instance_user_arn.clone(),
        endpoint_id: s.endpoint_id.clone(),
        name: s.name.clone(),
        endpoint_type: s.endpoint_type.clone(),
        allow_messages: s.allow_messages.clone(),
        state: s.state.clone(),
        ..Endpoint::default()
    }
}
