//! One cursor mover for every list on screen: the detail pane's fields, a list's rows, the
//! recent lookups, the Scan pane's rows, the help's scroll.

use crate::tui::action::Cmd;

/// Where a cursor at `at` goes for `cmd` among `len` positions, `page` at a time for PgUp/PgDn.
/// Other commands leave it where it is.
pub fn moved(at: usize, len: usize, page: usize, cmd: Cmd) -> usize {
    let last = len.saturating_sub(1);
    match cmd {
        Cmd::Up => at.saturating_sub(1),
        Cmd::Down => (at + 1).min(last),
        Cmd::PageUp => at.saturating_sub(page),
        Cmd::PageDown => at.saturating_add(page).min(last),
        Cmd::Top => 0,
        Cmd::Bottom => last,
        _ => at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_within_bounds() {
        assert_eq!(moved(0, 10, 5, Cmd::Up), 0);
        assert_eq!(moved(9, 10, 5, Cmd::Down), 9);
        assert_eq!(moved(7, 10, 5, Cmd::PageDown), 9);
        assert_eq!(moved(3, 10, 5, Cmd::PageUp), 0);
        assert_eq!(moved(3, 10, 5, Cmd::Bottom), 9);
        assert_eq!(moved(3, 10, 5, Cmd::Top), 0);
        assert_eq!(moved(3, 0, 5, Cmd::Down), 0);
        assert_eq!(moved(3, 10, 5, Cmd::Help), 3);
    }
}
