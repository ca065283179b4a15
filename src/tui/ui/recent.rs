//! The Recent pane (recent lookups, from the history). Shown when `App::has_recent` is set;
//! the history work fills it in.

use crate::tui::app::{App, Focus};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Widget};

pub fn draw(buf: &mut Buffer, area: Rect, app: &App) {
    let t = &app.theme;
    let block = Block::bordered()
        .border_style(if app.focus == Focus::Recent { t.focus_border } else { t.border })
        .title(Span::styled(" Recent ", t.title));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width > 0 && inner.height > 0 {
        buf.set_stringn(inner.x, inner.y, "No recent lookups", inner.width as usize, t.dim);
    }
}
