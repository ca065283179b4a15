//! The command line (`:`), drawn over the status bar, with its completions in a box above
//! it; and the watch's line on the detail pane's bottom border.

use crate::model;
use crate::tui::state::App;
use crate::tui::text::{str_width, truncate};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// The most completions shown at once.
pub const MAX_SHOWN: usize = 8;

/// The command line on the status bar's row, and its completions above it.
pub fn draw(f: &mut Frame, status: Rect, app: &App) {
    let line = app.command_line();
    let Some(input) = &line.input else { return };
    let t = app.theme();
    let buf = f.buffer_mut();
    let width = status.width as usize;
    buf.set_style(status, t.input);
    for x in status.x..status.right() {
        buf[(x, status.y)].set_symbol(" ").set_style(t.input);
    }
    // The end of a long line stays in view.
    let text = model::escape_control(input.value()).into_owned();
    let room = width.saturating_sub(2);
    // (Control characters never get onto the line, so its columns are the input's.)
    let cursor_col = input.visual_cursor();
    let skip = cursor_col.saturating_sub(room.saturating_sub(1));
    let shown: String = {
        let mut w = 0;
        text.chars()
            .skip_while(|c| {
                let keep = w >= skip;
                w += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                !keep
            })
            .collect()
    };
    let shown = truncate(&shown, room);
    buf.set_line(
        status.x,
        status.y,
        &Line::from(vec![Span::styled(":", t.key), Span::styled(shown, t.input)]),
        status.width,
    );
    if app.help().is_none() {
        let x = status.x + 1 + (cursor_col - skip).min(room) as u16;
        f.set_cursor_position(Position::new(x.min(status.right().saturating_sub(1)), status.y));
    }
    let Some(c) = &line.completions else { return };
    let buf = f.buffer_mut();
    let items: Vec<String> = if c.items.is_empty() {
        vec!["(no completions)".to_string()]
    } else {
        c.items.iter().map(|s| model::escape_control(s).into_owned()).collect()
    };
    let n = items.len().min(MAX_SHOWN);
    // The window of candidates that holds the selected one.
    let first = c.selected.map(|s| s.saturating_sub(n - 1)).unwrap_or(0);
    let inner_w = items.iter().map(|s| str_width(s)).max().unwrap_or(0).max(16) + 2;
    let more = items.len() > n;
    let w = (inner_w + 2).min(width) as u16;
    let h = (n + 2) as u16;
    if status.y < h {
        return;
    }
    let area = Rect::new(status.x, status.y - h, w, h);
    Clear.render(area, buf);
    let mut block = Block::bordered().border_style(t.focus_border).title(Span::styled(" Tab ", t.dim));
    if more {
        block = block.title_bottom(Span::styled(format!(" {} ", items.len()), t.dim));
    }
    let inner = block.inner(area);
    block.render(area, buf);
    for (row, (i, item)) in items.iter().enumerate().skip(first).take(n).enumerate() {
        let style = if Some(i) == c.selected { t.selected } else { t.value };
        let text = truncate(&format!(" {item}"), inner.width as usize);
        buf.set_stringn(inner.x, inner.y + row as u16, &text, inner.width as usize, style);
    }
}

/// While an endpoint is watched: "watching every 5s · 3 answers · changed 12:03:04 UTC:
/// status ACTIVE → INACTIVE" on the detail pane's bottom border.
pub fn draw_watch(f: &mut Frame, detail: Rect, app: &App) {
    let Some(w) = app.watch() else { return };
    if detail.height < 2 || detail.width < 12 {
        return;
    }
    let t = app.theme();
    let mut spans = vec![Span::styled(
        format!(" ◉ watching every {}s · {}", w.every.as_secs(), model::count_of(w.polls as usize, "answer")),
        t.key,
    )];
    if let Some((at, what)) = &w.last_change {
        let at = at.to_zoned(app.tz().clone()).strftime("%H:%M:%S").to_string();
        spans.push(Span::styled(format!(" · changed {at}: {}", what.join(", ")), t.changed));
    } else {
        spans.push(Span::styled(" · no change yet", t.dim));
    }
    if let Some(e) = &w.last_error {
        spans.push(Span::styled(format!(" · last failed: {}", model::escape_control(e)), t.status_bad));
    }
    spans.push(Span::raw(" "));
    let line = Line::from(spans);
    // The right end of the border keeps its scroll mark ("▼ 8 more (j/k)").
    let room = detail.width.saturating_sub(24);
    let y = detail.bottom() - 1;
    f.buffer_mut().set_line(detail.x + 2, y, &line, room);
}
