//! Drawing: a function of `&App`, one file per pane, one entry point ([`draw`]).

pub mod detail;
pub mod help;
pub mod list;
pub mod lookup;
pub mod recent;
pub mod status;

use super::app::App;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// Below this the screen says it is too small.
/// What a masked secret (Name, DeviceToken, VoipDeviceToken) shows in every pane.
pub const MASK: &str = "••••••••";

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
    let compact = area.height < COMPACT_HEIGHT;
    let status = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    let mut body = Rect::new(area.x, area.y, area.width, area.height - 1);
    let notice = if compact {
        None
    } else {
        body.height -= 1;
        Some(Rect::new(area.x, body.bottom(), area.width, 1))
    };
    let (left, recent) = if app.has_recent && body.width >= RECENT_MIN_WIDTH {
        let rw = recent_width(app, body.width);
        let lw = body.width - rw;
        (Rect { width: lw, ..body }, Some(Rect { x: body.x + lw, width: rw, ..body }))
    } else {
        (body, None)
    };
    let lh = lookup::height(app, left.width, compact).min(left.height.saturating_sub(4));
    let lookup = Rect { height: lh, ..left };
    let detail = Rect { y: left.y + lh, height: left.height - lh, ..left };
    // Too narrow for both: the Recent pane takes the detail pane's place while it has the focus.
    let recent = recent.or((app.has_recent && app.focus == super::app::Focus::Recent).then_some(detail));
    Some(Areas { lookup, detail, recent, notice, status })
}

/// Draw the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    let Some(a) = areas(area, app) else {
        too_small(f.buffer_mut(), area, app);
        return;
    };
    lookup::draw(f, a.lookup, app);
    if a.recent != Some(a.detail) {
        // A list being browsed takes the detail pane's place.
        if app.browse.shows_list() {
            list::draw(f.buffer_mut(), a.detail, app);
        } else {
            detail::draw(f.buffer_mut(), a.detail, app);
        }
    }
    if let Some(r) = a.recent {
        recent::draw(f.buffer_mut(), r, app);
    }
    status::draw(f.buffer_mut(), a.status, a.notice, app);
    list::draw_completions(f.buffer_mut(), &a, app);
    if app.help.is_some() {
        help::draw(f.buffer_mut(), area, app);
    }
}

fn too_small(buf: &mut Buffer, area: Rect, app: &App) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let text = format!(
        "Terminal too small: {}x{}; chimescope needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window, or press Ctrl-C to quit.",
        area.width, area.height
    );
    let lines = wrap(&[(text, app.theme.status_warn)], area.width as usize);
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, line) in lines.iter().enumerate().take(area.height as usize) {
        buf.set_line(area.x, top + i as u16, line, area.width);
    }
}

/// Display width of a char as drawn (control characters are never drawn raw).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

pub fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Cut `s` to `width` columns, ending in '…' when something was cut.
pub fn truncate(s: &str, width: usize) -> String {
    if str_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Wrap styled text to `width` columns: at spaces where possible, inside a word when the word
/// is longer than a line (tokens and ARNs). Nothing is dropped but the spaces at a break.
pub fn wrap(segments: &[(String, Style)], width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut col = 0usize;

    fn push(cur: &mut Vec<Span<'static>>, text: &str, style: Style) {
        if let Some(last) = cur.last_mut()
            && last.style == style
        {
            last.content.to_mut().push_str(text);
            return;
        }
        cur.push(Span::styled(text.to_string(), style));
    }

    for (text, style) in segments {
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let is_space = rest.starts_with(' ');
            let end = rest.find(|c: char| (c == ' ') != is_space).unwrap_or(rest.len());
            let (tok, tail) = rest.split_at(end);
            rest = tail;
            let tw = str_width(tok);
            if col + tw <= width {
                push(&mut cur, tok, *style);
                col += tw;
            } else if is_space {
                lines.push(Line::from(std::mem::take(&mut cur)));
                col = 0;
            } else if tw <= width && col > 0 {
                lines.push(Line::from(std::mem::take(&mut cur)));
                push(&mut cur, tok, *style);
                col = tw;
            } else {
                // Longer than a line: break it where the line ends.
                let mut chunk = String::new();
                for c in tok.chars() {
                    let cw = char_width(c);
                    if col + cw > width && col > 0 {
                        push(&mut cur, &chunk, *style);
                        chunk.clear();
                        lines.push(Line::from(std::mem::take(&mut cur)));
                        col = 0;
                    }
                    chunk.push(c);
                    col += cw;
                }
                push(&mut cur, &chunk, *style);
            }
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn wraps_words_and_breaks_long_ones() {
        let s = Style::new();
        assert_eq!(text(&wrap(&[("ab cd ef".into(), s)], 5)), ["ab cd", "ef"]);
        assert_eq!(text(&wrap(&[("abcdefghij".into(), s)], 4)), ["abcd", "efgh", "ij"]);
        assert_eq!(text(&wrap(&[("x ".into(), s), ("abcdefgh".into(), s)], 4)), ["x ab", "cdef", "gh"]);
        assert_eq!(text(&wrap(&[("山田太郎".into(), s)], 3)), ["山", "田", "太", "郎"]);
        assert_eq!(text(&wrap(&[("山".into(), s)], 1)), ["山"]);
        assert_eq!(text(&wrap(&[(String::new(), s)], 0)), [""]);
    }

    #[test]
    fn truncates_with_an_ellipsis() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("abc", 0), "");
    }
}
