//! The frame's geometry, computed from the state alone: where each pane goes, whether the
//! layout is compact, where the rows of the list, the Recent pane and the help go. Drawing
//! draws into these areas, and the state uses the same ones for paging, scrolling and
//! hit-testing: one layout, decided in one place.

use super::app::{App, Focus};
use super::list::ListView;
use ratatui::layout::Rect;
use ratatui::widgets::Block;

/// Whether a screen `height` rows high is laid out compact (no message line, no border
/// around the inputs, one line of ARN checks).
pub fn is_compact(height: u16) -> bool {
    height < COMPACT_HEIGHT
}

/// Below this the screen says it is too small.
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 10;
/// Below this height the layout is compact (no message line, one line of ARN checks).
pub const COMPACT_HEIGHT: u16 = 20;
/// The Recent pane's width, shown when the screen is at least [`RECENT_MIN_WIDTH`] wide.
pub const RECENT_WIDTH: u16 = 34;
pub const RECENT_MIN_WIDTH: u16 = 90;

/// What the main panes keep at least when the Recent pane widens.
pub const MAIN_MIN_WIDTH: u16 = 100;

/// The Recent pane's width on a screen `width` wide: [`RECENT_WIDTH`], wider when the screen
/// has room for the widest endpoint ID whole beside "12 min ago".
pub fn recent_width(app: &App, width: u16) -> u16 {
    let want = (app.recent.id_width.min(crate::model::MAX_ENDPOINT_ID_LEN) + 2 + 1 + 12 + 2) as u16;
    want.clamp(RECENT_WIDTH, width.saturating_sub(MAIN_MIN_WIDTH).max(RECENT_WIDTH))
}

/// Where each pane goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub lookup: Rect,
    pub detail: Rect,
    pub recent: Option<Rect>,
    /// The transient message line (None in the compact layout: messages replace the hints).
    pub notice: Option<Rect>,
    pub status: Rect,
}

/// The layout for a screen of `area`, or None when it is too small.
pub fn areas(area: Rect, app: &App) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let compact = is_compact(area.height);
    let status = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    let mut body = Rect::new(area.x, area.y, area.width, area.height - 1);
    let notice = if compact {
        None
    } else {
        body.height -= 1;
        Some(Rect::new(area.x, body.bottom(), area.width, 1))
    };
    let (left, recent) = if app.has_recent() && body.width >= RECENT_MIN_WIDTH {
        let rw = recent_width(app, body.width);
        let lw = body.width - rw;
        (Rect { width: lw, ..body }, Some(Rect { x: body.x + lw, width: rw, ..body }))
    } else {
        (body, None)
    };
    let lh = app.lookup_height(left.width, compact).min(left.height.saturating_sub(4));
    let lookup = Rect { height: lh, ..left };
    let detail = Rect { y: left.y + lh, height: left.height - lh, ..left };
    // Too narrow for both: the Recent pane takes the detail pane's place while it has the focus.
    let recent = recent.or((app.has_recent() && app.focus() == Focus::Recent).then_some(detail));
    Some(Areas { lookup, detail, recent, notice, status })
}

/// Where the parts of the list pane go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListLayout {
    pub inner: Rect,
    /// The filter line, while a filter is typed or applied.
    pub filter: Option<Rect>,
    pub header: Rect,
    pub rows: Rect,
    /// Loading more, a failed page, the position.
    pub footer: Rect,
}

/// The layout of the list pane at `area` (borders, filter, header, rows, footer).
pub fn list(area: Rect, view: &ListView) -> ListLayout {
    let inner =
        Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), area.height.saturating_sub(2));
    let mut rest = inner;
    let take = |rest: &mut Rect| {
        let line = Rect { height: rest.height.min(1), ..*rest };
        rest.y += line.height;
        rest.height -= line.height;
        line
    };
    let filter = (view.filter_open || view.is_filtered()).then(|| take(&mut rest));
    let header = take(&mut rest);
    let fh = rest.height.min(1);
    let footer = Rect { y: rest.bottom() - fh, height: fh, ..rest };
    let rows = Rect { height: rest.height - fh, ..rest };
    ListLayout { inner, filter, header, rows, footer }
}

// The Recent pane.

/// Screen lines per entry.
pub const ENTRY_LINES: u16 = 3;
/// Where the list goes inside the pane (below the filter row when there is one), the first
/// entry shown and how many fit.
pub struct RecentLayout {
    pub list: Rect,
    pub offset: usize,
    pub fit: usize,
}

/// The Recent pane has a filter row (typed or applied) above its entries.
pub fn recent_has_filter_row(app: &App) -> bool {
    app.recent.filtering || app.recent.is_filtered()
}

/// Inside a pane's border.
pub fn inner(area: Rect) -> Rect {
    Block::bordered().inner(area)
}

/// The Recent pane's entries inside its border `inner`.
pub fn recent(app: &App, inner: Rect) -> RecentLayout {
    let top = u16::from(recent_has_filter_row(app) && inner.height > 0);
    let list = Rect { y: inner.y + top, height: inner.height - top, ..inner };
    let fit = (list.height / ENTRY_LINES).max(1) as usize;
    let selected = app.recent.selected();
    // The selection in view, as low as it needs to be.
    let offset = if selected < fit { 0 } else { selected + 1 - fit };
    RecentLayout { list, offset, fit }
}

/// The match (index into `recent.matches()`) drawn at screen row `y` of the pane at `area`.
pub fn recent_entry_at(app: &App, area: Rect, y: u16) -> Option<usize> {
    let l = recent(app, inner(area));
    if y < l.list.y || y >= l.list.bottom() {
        return None;
    }
    let n = l.offset + ((y - l.list.y) / ENTRY_LINES) as usize;
    (n < app.recent.matches().len()).then_some(n)
}

// The help overlay.

/// The overlay's width and height on `screen`, for `lines` lines of text.
pub fn help_size(screen: Rect, lines: usize) -> (u16, u16) {
    let w = screen.width.saturating_sub(4).min(84);
    let h = (lines as u16 + 2).min(screen.height.saturating_sub(2)).max(3.min(screen.height));
    (w, h)
}

/// The overlay's area on `screen`, for `lines` lines of text.
pub fn help_area(screen: Rect, lines: usize) -> Rect {
    let (w, h) = help_size(screen, lines);
    Rect::new(screen.x + (screen.width - w) / 2, screen.y + (screen.height - h) / 2, w, h)
}

/// The width of the text inside the overlay on `screen`.
pub fn help_text_width(screen: Rect) -> usize {
    help_size(screen, 0).0.saturating_sub(2) as usize
}

fn help_line_count(app: &App) -> usize {
    let inner_w = help_text_width(app.screen());
    crate::tui::keymap::help_lines_for(app.theme(), inner_w.max(1), app.readonly()).len()
}

/// Lines the help shows at once on a screen of `app.size()` (PgUp/PgDn move by this).
pub fn help_page(app: &App) -> u16 {
    help_size(app.screen(), help_line_count(app)).1.saturating_sub(2)
}

/// How far the help can scroll on a screen of `app.size()`.
pub fn help_max_scroll(app: &App) -> usize {
    let n = help_line_count(app);
    n.saturating_sub(help_size(app.screen(), n).1.saturating_sub(2) as usize)
}
