//! The raw view (`v`): a record's JSON in an overlay, wrapped to its width, the search's
//! matches highlighted (the current one apart).

use crate::tui::state::App;
use crate::tui::state::raw::find_all;
use crate::tui::text::wrap;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// The overlay's area on `screen`: most of it.
pub fn area(screen: Rect) -> Rect {
    let w = screen.width.saturating_sub(4).min(120);
    let h = screen.height.saturating_sub(2);
    super::centred(screen, w, h)
}

/// An overlay over the panes (the raw view, the last actions, a user's memberships): its
/// [`area`] cleared, and its bordered block titled `title`, "Esc closes" on the right; None on a
/// screen too small for one.
pub fn frame(buf: &mut Buffer, screen: Rect, t: &Theme, title: String) -> Option<(Rect, Block<'static>)> {
    let area = area(screen);
    if area.width < 4 || area.height < 3 {
        return None;
    }
    Clear.render(area, buf);
    let block = Block::bordered()
        .border_style(t.focus_border)
        .title(Span::styled(title, t.title))
        .title(Line::from(Span::styled(" Esc closes ", t.dim)).right_aligned());
    Some((area, block))
}

pub fn draw(buf: &mut Buffer, screen: Rect, app: &App) {
    let Some(v) = app.raw_view() else { return };
    let t = app.theme();
    let show = app.show_secrets();
    let mask = match (v.has_secrets(), show) {
        (true, false) => " · masked (s shows)",
        (true, true) => " · secrets shown (s masks)",
        _ => "",
    };
    let Some((area, mut block)) = frame(buf, screen, t, format!(" JSON: {}{mask} ", v.what)) else { return };
    let lines = v.lines(show);
    let matches = v.matches(show);
    let current = matches.get(v.current).copied();
    let bottom = match &v.search {
        Some(input) => {
            Line::from(vec![Span::styled(" /", t.key), Span::styled(format!("{} ", input.value()), t.input)])
        }
        None if !v.query.is_empty() => Line::from(Span::styled(
            match matches.len() {
                0 => " no match · / searches again ".to_string(),
                n => format!(" match {}/{n} · n/N ", v.current + 1),
            },
            t.dim,
        )),
        None => Line::from(Span::styled(
            format!(" line {}/{} · / search · y copy ", (v.scroll + 1).min(lines.len()), lines.len()),
            t.dim,
        )),
    };
    block = block.title_bottom(bottom.right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    let hit = t.selected_unfocused.add_modifier(Modifier::UNDERLINED);
    let here = t.selected.add_modifier(Modifier::BOLD);
    let mut y = inner.y;
    for (n, line) in lines.iter().enumerate().skip(v.scroll) {
        if y >= inner.y + inner.height {
            break;
        }
        let mut segments: Vec<(String, Style)> = Vec::new();
        let mut at = 0;
        for (s, e) in find_all(line, &v.query) {
            segments.push((line[at..s].to_string(), t.value));
            let style = if current.is_some_and(|(l, cs, _)| l == n && cs == s) { here } else { hit };
            segments.push((line[s..e].to_string(), style));
            at = e;
        }
        segments.push((line[at..].to_string(), t.value));
        segments.retain(|(s, _)| !s.is_empty());
        for l in wrap(&segments, inner.width as usize) {
            if y >= inner.y + inner.height {
                break;
            }
            buf.set_line(inner.x, y, &l, inner.width);
            y += 1;
        }
    }
}
