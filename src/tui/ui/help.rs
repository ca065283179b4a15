//! The help overlay: every key, from the keymap's tables ([`keymap::help_lines`]).

use crate::tui::keymap;
use crate::tui::state::App;
use crate::tui::state::layout::{help_area, help_size, help_text_width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

pub fn draw(buf: &mut Buffer, screen: Rect, app: &App) {
    let inner_w = help_text_width(screen);
    if inner_w == 0 {
        return;
    }
    let lines = keymap::help_lines_with(app.theme(), inner_w, app.readonly(), app.keymap());
    let area = help_area(screen, lines.len());
    let h = help_size(screen, lines.len()).1;
    Clear.render(area, buf);
    let inner_h = h.saturating_sub(2) as usize;
    let max_scroll = lines.len().saturating_sub(inner_h);
    let scroll = (app.help().unwrap_or(0) as usize).min(max_scroll);
    let mut block = Block::bordered()
        .border_style(app.theme().focus_border)
        .title(Span::styled(" Keys ", app.theme().title))
        .title(Line::from(Span::styled(" Esc closes ", app.theme().dim)).right_aligned());
    if max_scroll > 0 {
        block = block.title_bottom(
            Line::from(Span::styled(
                format!(" {}/{} · j/k PgUp/PgDn g/G ", scroll, max_scroll),
                app.theme().dim,
            ))
            .right_aligned(),
        );
    }
    let inner = block.inner(area);
    block.render(area, buf);
    for (i, line) in lines.iter().skip(scroll).take(inner.height as usize).enumerate() {
        buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
    }
}
