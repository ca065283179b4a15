//! Text measurement, shared by drawing and the state: display widths, cutting to a width with
//! an ellipsis, wrapping styled text, and the spinner's frames. A leaf: it imports nothing of
//! the browser's (only the domain's escaping).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// What a masked secret (Name, DeviceToken, VoipDeviceToken) shows in every pane.
pub const MASK: &str = "••••••••";

/// Frames of the spinner shown while something loads.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The spinner's frame `elapsed` after it started (one frame per 100 ms).
pub fn spinner_frame(elapsed: std::time::Duration) -> &'static str {
    SPINNER[(elapsed.as_millis() / 100) as usize % SPINNER.len()]
}

/// A value from the service or the user, with its control characters made visible
/// ([`crate::model::escape_control`]), as every pane shows it.
pub fn esc(s: &str) -> String {
    crate::model::escape_control(s).into_owned()
}

/// Longest filter accepted, in the list and in the Recent pane (a user ARN has at most 1600
/// characters).
pub const MAX_FILTER: usize = 2048;

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
