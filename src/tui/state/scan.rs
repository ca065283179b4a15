//! The Scan pane's state (issue 15): a background scan's progress, its counts, and the list of
//! endpoints that cannot receive, browsable and filterable; Enter names the endpoint to open in
//! the detail pane. Changed only by [`ScanPane::apply`] (the engine's events) and
//! [`ScanPane::key`]; drawn by `ui::scan`.

use crate::scan::background::Event;
use crate::scan::report::Row;
use crate::scan::{Outcome, Progress};
use crate::tui::action::Cmd;

/// The most rows the pane holds; past it they are counted (the checkpoint's rows file, or
/// `chimescope scan`, has them all).
pub const MAX_ROWS: usize = 10_000;

/// Where the scan is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Run {
    Running,
    /// Stopped with Esc: the checkpoint is kept, `S` again resumes.
    Stopped,
    Finished,
    Failed(String),
}

/// The Scan pane.
#[derive(Clone, Debug)]
pub struct ScanPane {
    pub instance: String,
    pub run: Run,
    pub progress: Progress,
    rows: Vec<Row>,
    /// Rows found past [`MAX_ROWS`].
    pub more: u64,
    /// What the list is filtered by (matched against what a row shows), if anything.
    pub filter: String,
    /// The selected row, among those the filter lets through.
    pub cursor: usize,
}

impl ScanPane {
    pub fn new(instance: &str) -> Self {
        Self {
            instance: instance.to_string(),
            run: Run::Running,
            progress: Progress::default(),
            rows: Vec::new(),
            more: 0,
            filter: String::new(),
            cursor: 0,
        }
    }

    /// One event of the background scan.
    pub fn apply(&mut self, ev: Event) {
        match ev {
            Event::Progress(p) => self.progress = *p,
            Event::CannotReceive(r) => {
                if self.rows.len() < MAX_ROWS {
                    self.rows.push(*r);
                } else {
                    self.more += 1;
                }
            }
            Event::Done(Ok(Outcome::Finished)) => self.run = Run::Finished,
            Event::Done(Ok(Outcome::Stopped)) => self.run = Run::Stopped,
            Event::Done(Err(e)) => self.run = Run::Failed(e),
        }
    }

    /// What a row shows, for the filter: user, endpoint, type, state.
    pub fn row_text(r: &Row) -> String {
        format!(
            "{} {} {} {} {} {}",
            crate::model::short_user(&r.app_instance_user_arn),
            r.endpoint_id,
            r.r#type.as_deref().unwrap_or(""),
            r.status.as_deref().unwrap_or("no state"),
            r.status_reason.as_deref().unwrap_or(""),
            r.allow_messages.as_deref().map_or(String::new(), |a| format!("AllowMessages {a}")),
        )
    }

    /// The rows the filter lets through.
    pub fn visible(&self) -> Vec<&Row> {
        let f = self.filter.to_lowercase();
        self.rows.iter().filter(|r| f.is_empty() || Self::row_text(r).to_lowercase().contains(&f)).collect()
    }

    /// The share of users done, once their number is known.
    pub fn ratio(&self) -> Option<f64> {
        let total = self.progress.users_total?;
        Some(if total == 0 { 1.0 } else { (self.progress.users as f64 / total as f64).min(1.0) })
    }

    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.cursor = 0;
    }

    /// A movement or Enter; Enter answers the (user ARN, endpoint ID) to open.
    pub fn key(&mut self, cmd: Cmd, page: usize) -> Option<(String, String)> {
        let n = self.visible().len();
        let last = n.saturating_sub(1);
        match cmd {
            Cmd::Up => self.cursor = self.cursor.saturating_sub(1),
            Cmd::Down => self.cursor = (self.cursor + 1).min(last),
            Cmd::PageUp => self.cursor = self.cursor.saturating_sub(page.max(1)),
            Cmd::PageDown => self.cursor = (self.cursor + page.max(1)).min(last),
            Cmd::Top => self.cursor = 0,
            Cmd::Bottom => self.cursor = last,
            Cmd::Submit => {
                return self
                    .visible()
                    .get(self.cursor)
                    .map(|r| (r.app_instance_user_arn.clone(), r.endpoint_id.clone()));
            }
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(user: &str, id: &str, reason: Option<&str>) -> Row {
        Row {
            app_instance_user_arn: format!("arn:aws:chime:us-east-1:1:app-instance/i/user/{user}"),
            endpoint_id: id.into(),
            r#type: Some("GCM".into()),
            allow_messages: Some(if reason.is_some() { "ALL" } else { "NONE" }.into()),
            status: Some(if reason.is_some() { "INACTIVE" } else { "ACTIVE" }.into()),
            status_reason: reason.map(str::to_string),
            resource_arn: None,
            created_timestamp: None,
            last_updated_timestamp: None,
            findings: None,
            cannot_receive: true,
        }
    }

    #[test]
    fn events_fill_the_pane_and_enter_opens_the_selected_endpoint() {
        let mut p = ScanPane::new("arn:i");
        assert_eq!(p.ratio(), None, "the total is not known yet");
        p.apply(Event::CannotReceive(Box::new(row("u1", "e1", Some("INVALID_DEVICE_TOKEN")))));
        p.apply(Event::CannotReceive(Box::new(row("u2", "e2", None))));
        p.apply(Event::Progress(Box::new(Progress {
            users: 5,
            users_total: Some(10),
            ..Default::default()
        })));
        assert_eq!(p.ratio(), Some(0.5));
        assert_eq!(p.key(Cmd::Down, 10), None);
        let u2 = "arn:aws:chime:us-east-1:1:app-instance/i/user/u2".to_string();
        assert_eq!(p.key(Cmd::Submit, 10), Some((u2, "e2".to_string())));
        assert_eq!(p.key(Cmd::Down, 10), None);
        assert_eq!(p.cursor, 1, "stays on the last row");
        p.apply(Event::Done(Ok(Outcome::Stopped)));
        assert_eq!(p.run, Run::Stopped);
        p.apply(Event::Done(Err("ListAppInstanceUsers: ForbiddenException".into())));
        assert!(matches!(p.run, Run::Failed(ref m) if m.contains("Forbidden")));
    }

    #[test]
    fn the_filter_matches_what_a_row_shows() {
        let mut p = ScanPane::new("arn:i");
        p.apply(Event::CannotReceive(Box::new(row("u1", "e1", Some("INVALID_DEVICE_TOKEN")))));
        p.apply(Event::CannotReceive(Box::new(row("u2", "e2", None))));
        p.set_filter("allowmessages none");
        let v = p.visible();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].endpoint_id, "e2");
        p.set_filter("invalid_device");
        assert_eq!(p.visible()[0].endpoint_id, "e1");
        p.set_filter("nothing like it");
        assert_eq!(p.key(Cmd::Submit, 10), None);
    }

    #[test]
    fn past_the_cap_rows_are_counted_not_held() {
        let mut p = ScanPane::new("arn:i");
        for i in 0..MAX_ROWS + 3 {
            p.apply(Event::CannotReceive(Box::new(row("u", &format!("e{i}"), None))));
        }
        assert_eq!((p.visible().len(), p.more), (MAX_ROWS, 3));
    }
}
