//! The last actions (`a`, `:actions`): the session's writes, newest last, with their time,
//! target and outcome, and the selected one's AWS CLI command under them.

use crate::tui::state::App;
use crate::tui::text::{truncate, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub fn draw(buf: &mut Buffer, screen: Rect, app: &App) {
    let log = app.action_log();
    let t = app.theme();
    let title = format!(" Last actions ({}) · this session only ", log.entries.len());
    let Some((area, block)) = super::raw::frame(buf, screen, t, title) else { return };
    let block = block.title_bottom(
        Line::from(Span::styled(
            if app.show_secrets() {
                " c copies · secrets shown (s masks) "
            } else {
                " c copies · masked (s shows) "
            },
            t.dim,
        ))
        .right_aligned(),
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    // The command of the selected entry takes the bottom lines.
    let command = app.logged_command(log.cursor()).unwrap_or_default();
    let cmd_lines = wrap(&[(crate::model::escape_control(&command).into_owned(), t.value)], w);
    let list_h = (inner.height as usize).saturating_sub(cmd_lines.len().min(6) + 1).max(1);
    let first = log.cursor().saturating_sub(list_h.saturating_sub(1));
    for (row, (i, e)) in log.entries.iter().enumerate().skip(first).take(list_h).enumerate() {
        let time = e.time.to_zoned(app.tz().clone()).strftime("%H:%M:%S").to_string();
        let outcome_style = if e.ok { t.status_ok } else { t.status_bad };
        let mut spans = vec![
            Span::styled(format!("{time}  "), t.dim),
            Span::styled(format!("{:<11}", e.verb()), t.label),
            Span::styled(format!("{}  ", e.target()), t.value),
            Span::styled(e.outcome.clone(), outcome_style),
        ];
        if i == log.cursor() {
            for s in &mut spans {
                s.style = s.style.patch(t.selected);
            }
        }
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        let line = if crate::tui::text::str_width(&text) > w {
            Line::from(Span::styled(truncate(&text, w), spans[0].style))
        } else {
            Line::from(spans)
        };
        buf.set_line(inner.x, inner.y + row as u16, &line, inner.width);
    }
    let y0 = inner.y + list_h as u16 + 1;
    for (k, l) in cmd_lines.iter().enumerate() {
        let y = y0 + k as u16;
        if y >= inner.y + inner.height {
            break;
        }
        buf.set_line(inner.x, y, l, inner.width);
    }
}
