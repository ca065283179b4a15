//! The help overlay: every key, from the keymap's table.

use super::wrap;
use crate::tui::app::App;
use crate::tui::keymap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

const KEY_COLUMN: usize = 26;

fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = Vec::new();
    for (i, (title, rows)) in keymap::help_sections().into_iter().enumerate() {
        if i > 0 {
            out.push(Line::default());
        }
        out.push(Line::from(Span::styled(title.to_string(), t.group)));
        for (keys, what) in rows {
            if width > KEY_COLUMN + 10 {
                let mut wrapped = wrap(&[(what.to_string(), t.value)], width - KEY_COLUMN);
                for (j, l) in wrapped.iter_mut().enumerate() {
                    let k = if j == 0 {
                        format!(" {keys:<w$}", w = KEY_COLUMN - 1)
                    } else {
                        " ".repeat(KEY_COLUMN)
                    };
                    l.spans.insert(0, Span::styled(k, t.key));
                }
                out.extend(wrapped);
            } else {
                out.push(Line::from(Span::styled(format!(" {keys}"), t.key)));
                out.extend(wrap(&[(format!("   {what}"), t.value)], width));
            }
        }
    }
    out.push(Line::default());
    out.extend(wrap(
        &[(
            "Colour is never the only sign: states are spelled out. NO_COLOR turns colour off.".to_string(),
            t.dim,
        )],
        width,
    ));
    out
}

/// The overlay's width and height on `screen`, for `lines` lines of text.
fn size(screen: Rect, lines: usize) -> (u16, u16) {
    let w = screen.width.saturating_sub(4).min(84);
    let h = (lines as u16 + 2).min(screen.height.saturating_sub(2)).max(3.min(screen.height));
    (w, h)
}

/// Lines the help shows at once on a screen of `app.size` (PgUp/PgDn move by this).
pub fn page(app: &App) -> u16 {
    let screen = Rect::new(0, 0, app.size.0, app.size.1);
    let inner_w = size(screen, 0).0.saturating_sub(2) as usize;
    let n = lines(app, inner_w.max(1)).len();
    size(screen, n).1.saturating_sub(2)
}

/// How far the help can scroll on a screen of `app.size`.
pub fn max_scroll(app: &App) -> usize {
    let screen = Rect::new(0, 0, app.size.0, app.size.1);
    let inner_w = size(screen, 0).0.saturating_sub(2) as usize;
    let n = lines(app, inner_w.max(1)).len();
    n.saturating_sub(size(screen, n).1.saturating_sub(2) as usize)
}

pub fn draw(buf: &mut Buffer, screen: Rect, app: &App) {
    let (w, _) = size(screen, 0);
    let inner_w = w.saturating_sub(2) as usize;
    if inner_w == 0 {
        return;
    }
    let lines = lines(app, inner_w);
    let (_, h) = size(screen, lines.len());
    let area = Rect::new(screen.x + (screen.width - w) / 2, screen.y + (screen.height - h) / 2, w, h);
    Clear.render(area, buf);
    let inner_h = h.saturating_sub(2) as usize;
    let max_scroll = lines.len().saturating_sub(inner_h);
    let scroll = (app.help.unwrap_or(0) as usize).min(max_scroll);
    let mut block = Block::bordered()
        .border_style(app.theme.focus_border)
        .title(Span::styled(" Keys ", app.theme.title))
        .title(Line::from(Span::styled(" Esc closes ", app.theme.dim)).right_aligned());
    if max_scroll > 0 {
        block = block.title_bottom(
            Line::from(Span::styled(
                format!(" {}/{} · j/k PgUp/PgDn g/G ", scroll, max_scroll),
                app.theme.dim,
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
