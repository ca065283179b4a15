//! One cursor mover for every list on screen: the detail pane's fields, a list's rows, the
//! recent lookups, the Scan pane's rows, the help's scroll.

use super::picker::{self, Step};
use crate::tui::action::Cmd;

/// The cursor move a command asks for; None for every other command.
pub fn step(cmd: Cmd) -> Option<Step> {
    Some(match cmd {
        Cmd::Up => Step::Up,
        Cmd::Down => Step::Down,
        Cmd::PageUp => Step::PageUp,
        Cmd::PageDown => Step::PageDown,
        Cmd::Top => Step::Top,
        Cmd::Bottom => Step::Bottom,
        _ => return None,
    })
}

/// Where a cursor at `at` goes for `cmd` among `len` positions, `page` at a time for PgUp/PgDn.
/// Other commands leave it where it is.
pub fn moved(at: usize, len: usize, page: usize, cmd: Cmd) -> usize {
    step(cmd).map_or(at, |s| picker::stepped(at, len, page, s))
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
