//! The raw view (`v`): the record under the cursor as JSON, in a scrollable overlay. What it
//! shows is what `Y` copies there (the AWS CLI's shape; Name and the device tokens masked
//! until `s`), or a scan row as `chimescope scan --output json` writes it. `/` searches, `n` /
//! `N` go from match to match, `y` copies the JSON as shown, Esc closes.

use crate::model;
use crate::tui::action::{Cmd, Effect, Notice};
use crate::tui::state::app::{App, Focus};
use crate::tui::state::layer::Body;
use tui_input::{Input, InputRequest};

pub mod view;

pub use view::{MAX_SEARCH, RawView, find_all};

impl App {
    /// The raw view, when open.
    pub fn raw_view(&self) -> Option<&RawView> {
        self.raw.as_ref()
    }

    /// `v`: open the raw view of the record under the cursor.
    pub(super) fn open_raw_view(&mut self) -> Vec<Effect> {
        if let Some(row) = self.scan_row_under_cursor() {
            let text = serde_json::to_string_pretty(&row).unwrap_or_default();
            self.raw = Some(RawView::new("scan row".into(), &text, &text));
            return vec![];
        }
        // What Y copies here, masked and in clear; a notice already there is kept.
        let notice = self.chrome.take_notice();
        let shown = self.show_secrets;
        let copy = |app: &mut App, show: bool| {
            app.show_secrets = show;
            app.command(Cmd::CopyJson).into_iter().find_map(|e| match e {
                Effect::Copy { what, text } => Some((what, text)),
                _ => None,
            })
        };
        let masked = copy(self, false);
        let clear = copy(self, true);
        self.show_secrets = shown;
        let why = self.chrome.take_notice();
        self.chrome.restore_notice(notice);
        match (masked, clear) {
            (Some((what, masked)), Some((_, clear))) if masked.trim_start().starts_with('{') => {
                let what = what.split(" as JSON").next().unwrap_or("record").to_string();
                self.raw = Some(RawView::new(what, &masked, &clear));
            }
            _ => {
                let why = why.map(|n| n.text).unwrap_or_else(|| "Nothing to view here".into());
                self.notify(Notice::info(format!("No record to view: {why}")));
            }
        }
        vec![]
    }

    /// The Scan pane's row under the cursor, when the pane has the keyboard.
    pub(in crate::tui::state) fn scan_row_under_cursor(&self) -> Option<crate::scan::report::Row> {
        if self.body() != Body::Scan || self.focus() != Focus::Detail {
            return None;
        }
        let pane = self.scan_view()?;
        let i = *pane.visible_indices().get(pane.cursor())?;
        pane.row(i).cloned()
    }

    /// A key while the raw view is open: its own, everything else swallowed.
    pub(super) fn raw_command(&mut self, c: Cmd) -> Vec<Effect> {
        let show = self.show_secrets;
        let page = self.size().1.saturating_sub(6).max(1) as usize;
        let Some(v) = self.raw.as_mut() else { return vec![] };
        if let Some(input) = &v.search {
            match c {
                Cmd::Submit => {
                    v.query = input.value().to_string();
                    v.search = None;
                    v.current = 0;
                    let n = v.matches(show).len();
                    let text = match n {
                        0 => format!("No match for {:?}", model::escape_control(&v.query)),
                        n => format!("{n} matches (n next, N previous)"),
                    };
                    self.raw_to_match(0);
                    self.notify(Notice::info(text));
                }
                Cmd::Cancel => {
                    v.search = None;
                    v.query.clear();
                }
                Cmd::Quit => return self.quit_all(),
                _ => {}
            }
            return vec![];
        }
        let len = v.lines(show).len();
        match c {
            Cmd::Cancel => self.raw = None,
            Cmd::Quit => return self.quit_all(),
            Cmd::Up => v.scroll = v.scroll.saturating_sub(1),
            Cmd::Down => v.scroll = (v.scroll + 1).min(len.saturating_sub(1)),
            Cmd::PageUp => v.scroll = v.scroll.saturating_sub(page),
            Cmd::PageDown => v.scroll = (v.scroll + page).min(len.saturating_sub(1)),
            Cmd::Top => v.scroll = 0,
            Cmd::Bottom => v.scroll = len.saturating_sub(page),
            Cmd::Filter => v.search = Some(Input::new(v.query.clone())),
            Cmd::NextMatch | Cmd::PrevMatch => {
                let n = v.matches(show).len();
                if n == 0 {
                    self.notify(Notice::info("No search (/ searches)"));
                    return vec![];
                }
                let next = if c == Cmd::NextMatch { (v.current + 1) % n } else { (v.current + n - 1) % n };
                self.raw_to_match(next);
            }
            Cmd::ToggleSecrets => {
                self.show_secrets = !show;
                self.recent.set_names_visible(self.show_secrets);
            }
            Cmd::CopyJson => {
                let what = match (v.has_secrets(), show) {
                    (true, true) => format!("{} as JSON, Name and device tokens in clear", v.what),
                    (true, false) => {
                        format!("{} as JSON, Name and device tokens masked (s shows them)", v.what)
                    }
                    _ => format!("{} as JSON", v.what),
                };
                let mut text = v.lines(show).join("\n");
                text.push('\n');
                return vec![Effect::Copy { what, text }];
            }
            _ => {}
        }
        vec![]
    }

    /// Put the cursor on match `i` and scroll it into view.
    fn raw_to_match(&mut self, i: usize) {
        let show = self.show_secrets;
        let page = self.size().1.saturating_sub(6).max(1) as usize;
        let Some(v) = self.raw.as_mut() else { return };
        v.current = i;
        if let Some((line, _, _)) = v.matches(show).get(i).copied()
            && (line < v.scroll || line >= v.scroll + page)
        {
            v.scroll = line.saturating_sub(2);
        }
    }

    /// Typing in the raw view's search box; false when it is closed.
    pub(super) fn raw_edit(&mut self, req: InputRequest) -> bool {
        let Some(input) = self.raw.as_mut().and_then(|v| v.search.as_mut()) else { return false };
        if let InputRequest::InsertChar(ch) = req
            && (ch.is_control() || input.value().len() >= MAX_SEARCH)
        {
            return true;
        }
        input.handle(req);
        true
    }

    /// Whether the raw view's search is being typed.
    pub fn raw_search_editing(&self) -> bool {
        self.raw.as_ref().is_some_and(|v| v.search.is_some())
    }
}
