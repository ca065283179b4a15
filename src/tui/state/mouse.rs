//! Hit-testing: which pane, field, row or entry is under a screen cell (clicks and the wheel),
//! with the frame layout of [`super::layout`] and what the last frame drew.

use super::app::{App, Focus};
use super::layout::{areas, is_compact};

impl App {
    /// The pane under a screen cell, in the frame layout.
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Focus> {
        let areas = areas(self.screen(), self)?;
        let hit = |r: ratatui::layout::Rect| r.contains(ratatui::layout::Position { x, y });
        if hit(areas.lookup) {
            // Inside the lookup pane: the first input row is the ARN, the rest the ID.
            let arn_row = areas.lookup.y + u16::from(!is_compact(self.size().1));
            return Some(if y <= arn_row { Focus::Arn } else { Focus::EndpointId });
        }
        // Recent first: on a narrow screen it covers the detail pane while it has the focus.
        if areas.recent.is_some_and(hit) {
            return Some(Focus::Recent);
        }
        if hit(areas.detail) {
            // The Scan pane (or an endpoint opened from it) covers a list being browsed.
            return Some(if self.body().is_list() { Focus::List } else { Focus::Detail });
        }
        None
    }

    pub fn screen(&self) -> ratatui::layout::Rect {
        ratatui::layout::Rect::new(0, 0, self.size().0, self.size().1)
    }

    pub(super) fn click(&mut self, x: u16, y: u16) {
        let Some(f) = self.pane_at(x, y) else { return };
        self.set_focus(f);
        if f == Focus::Recent
            && let Some(area) = areas(self.screen(), self).and_then(|a| a.recent)
        {
            self.recent_click(area, y);
        }
        if f == Focus::List {
            self.list_click(y);
        }
        if f == Focus::Detail && self.scan_view().is_some() {
            if let Some(&(_, k)) = self.chrome.drawn().scan_rows.iter().find(|(row, _)| *row == y)
                && let Some(p) = self.scan.pane.as_mut()
            {
                p.select_pos(k);
            }
            return;
        }
        if f == Focus::Detail
            && let Some(&(_, i)) = self.chrome.drawn().detail_fields.iter().find(|(row, _)| *row == y)
        {
            self.cursor.put_on_field(i);
        }
        if f == Focus::Detail
            && let Some(&(_, i)) = self.chrome.drawn().detail_findings.iter().find(|(row, _)| *row == y)
        {
            self.cursor.put_on_finding(Some(i));
        }
    }
}
