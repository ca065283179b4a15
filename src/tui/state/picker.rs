//! One list: which of a list's rows show and in what order (the filter's and the sort's work),
//! the cursor among them, the first row on screen, and the marks. The endpoint, user and
//! instance lists (`list.rs`), the Scan pane (`scan.rs`) and Recent (`recent/`) each hold a
//! [`Picker`] over their own rows; what differs between them is only how a row is matched and
//! ordered, which they decide and hand over as the rows to show ([`Picker::show`]).
//!
//! Rows are named by their place among the list's rows (`row`); the cursor by its place among
//! the rows shown (`pos`).

use std::collections::BTreeSet;

/// Where the cursor goes when the rows shown change ([`Picker::show`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// On its row while it shows, else at the nearest place (Recent).
    Row,
    /// On its row while it shows, else on the first (the lists).
    RowOrTop,
    /// At the same place (the Scan pane, whose filter sees its marks).
    Place,
    /// On the first row, the view at the top (a new filter in the Scan pane).
    Top,
}

/// A move of a cursor, in the picker's own words (the keys that make one are the key table's:
/// `cursor::step` turns a command into one), so the list needs nothing of the actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

/// Where a cursor at `at` goes for `step` among `len` positions, `page` at a time for PgUp/PgDn.
pub fn stepped(at: usize, len: usize, page: usize, step: Step) -> usize {
    let last = len.saturating_sub(1);
    match step {
        Step::Up => at.saturating_sub(1),
        Step::Down => (at + 1).min(last),
        Step::PageUp => at.saturating_sub(page),
        Step::PageDown => at.saturating_add(page).min(last),
        Step::Top => 0,
        Step::Bottom => last,
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picker {
    /// The rows shown, in order.
    visible: Vec<usize>,
    /// The cursor, among the rows shown.
    cursor: usize,
    /// The first row shown on screen.
    offset: usize,
    /// Rows marked (Space, `*`).
    marked: BTreeSet<usize>,
}

impl Picker {
    /// The rows shown, in order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// The cursor's place among the rows shown.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The first row shown on screen.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The row under the cursor.
    pub fn selected(&self) -> Option<usize> {
        self.visible.get(self.cursor).copied()
    }

    /// Show these rows, in this order, the cursor kept as `keep` says.
    pub fn show(&mut self, visible: Vec<usize>, keep: Keep) {
        let row = self.selected();
        let place = self.cursor;
        self.visible = visible;
        let last = self.visible.len().saturating_sub(1);
        let on_row = || row.and_then(|k| self.visible.iter().position(|&i| i == k));
        self.cursor = match keep {
            Keep::Row => on_row().unwrap_or(place).min(last),
            Keep::RowOrTop => on_row().unwrap_or(0).min(last),
            Keep::Place => place.min(last),
            Keep::Top => 0,
        };
        if keep == Keep::Top {
            self.offset = 0;
        }
    }

    /// A row added at the end of what shows.
    pub fn push(&mut self, row: usize) {
        self.visible.push(row);
    }

    /// Move the cursor one step, `page` rows at a time for PgUp/PgDn.
    pub fn move_by(&mut self, step: Step, page: usize) {
        self.cursor = stepped(self.cursor, self.visible.len(), page.max(1), step);
    }

    /// Put the cursor at place `pos` among the rows shown; false when there is none.
    pub fn select_pos(&mut self, pos: usize) -> bool {
        if pos < self.visible.len() {
            self.cursor = pos;
            true
        } else {
            false
        }
    }

    /// Put the cursor on `row` if it shows; false when it does not.
    pub fn select_row(&mut self, row: usize) -> bool {
        match self.visible.iter().position(|&i| i == row) {
            Some(pos) => {
                self.cursor = pos;
                true
            }
            None => false,
        }
    }

    /// Keep the cursor on a screen of `height` rows, moving the view as little as possible.
    pub fn scroll(&mut self, height: usize) {
        self.offset = scrolled(self.offset, self.cursor, height);
    }

    pub fn marked(&self) -> &BTreeSet<usize> {
        &self.marked
    }

    pub fn is_marked(&self, row: usize) -> bool {
        self.marked.contains(&row)
    }

    /// Space: mark or unmark the row under the cursor, then move down.
    pub fn toggle_mark(&mut self) {
        if let Some(i) = self.selected() {
            if !self.marked.remove(&i) {
                self.marked.insert(i);
            }
            self.cursor = (self.cursor + 1).min(self.visible.len().saturating_sub(1));
        }
    }

    /// `*`: mark every one of `rows`; when they all are, clear the marks.
    pub fn mark_all(&mut self, rows: Vec<usize>) {
        if !rows.is_empty() && rows.iter().all(|i| self.marked.contains(i)) {
            self.marked.clear();
        } else {
            self.marked.extend(rows);
        }
    }

    /// Mark exactly these rows.
    pub fn set_marks(&mut self, rows: impl IntoIterator<Item = usize>) {
        self.marked = rows.into_iter().collect();
    }
}

/// The first row to show so that `cursor` is on a screen of `height` rows starting near
/// `offset`.
pub fn scrolled(offset: usize, cursor: usize, height: usize) -> usize {
    let height = height.max(1);
    if cursor < offset {
        cursor
    } else if cursor >= offset + height {
        cursor + 1 - height
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_stays_on_its_row_through_a_new_filter_and_order() {
        let mut p = Picker::default();
        p.show((0..5).collect(), Keep::Row);
        p.move_by(Step::Down, 1);
        p.move_by(Step::Down, 1);
        assert_eq!(p.selected(), Some(2));
        p.show(vec![4, 2, 0], Keep::Row);
        assert_eq!((p.cursor(), p.selected()), (1, Some(2)), "still on row 2, now second");
        p.show(vec![4, 3], Keep::Row);
        assert_eq!(p.selected(), Some(3), "its row gone: the nearest place");
        p.show(vec![0, 1, 2], Keep::RowOrTop);
        assert_eq!(p.selected(), Some(0), "its row gone: the top");
        p.move_by(Step::Bottom, 1);
        p.show(vec![2, 1, 0], Keep::Place);
        assert_eq!(p.selected(), Some(0), "the same place");
        p.show(vec![], Keep::Row);
        assert_eq!(p.selected(), None);
    }

    #[test]
    fn marks_toggle_move_down_and_star_marks_all_or_clears() {
        let mut p = Picker::default();
        p.show((0..3).collect(), Keep::Row);
        p.toggle_mark();
        assert_eq!((p.cursor(), p.marked().iter().copied().collect::<Vec<_>>()), (1, vec![0]));
        p.mark_all(vec![0, 1, 2]);
        assert_eq!(p.marked().len(), 3);
        p.mark_all(vec![0, 1, 2]);
        assert!(p.marked().is_empty());
    }

    #[test]
    fn the_view_follows_the_cursor_by_as_little_as_it_can() {
        let mut p = Picker::default();
        p.show((0..100).collect(), Keep::Row);
        p.move_by(Step::PageDown, 10);
        p.scroll(10);
        assert_eq!((p.cursor(), p.offset()), (10, 1));
        p.move_by(Step::Up, 10);
        p.scroll(10);
        assert_eq!(p.offset(), 1, "still on screen: the view stays");
        assert_eq!(scrolled(5, 2, 10), 2);
    }
}
