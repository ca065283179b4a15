//! The Recent pane: the recent lookups (history), newest first, three lines each:
//! ```text
//! ● ep-1                  12 min ago
//!   INACTIVE · u-42 · ••••••••
//!   us-east-1 · profile prod
//! ```
//! The third line is where the lookup went (region, and profile, endpoint URL or "demo"),
//! marked when it is not where this browser looks up.
//! The dot's colour says the state and the word beside it says it again (colour is never
//! alone). Names are secrets: masked unless `s` shows them, as in the detail pane. Only the
//! rows on screen are built, so the pane costs the same with 10 or 10,000 entries. State and
//! keys: `tui::recent`.

use crate::doctor::verdict::Level;
use crate::model::{self, Health};
use crate::store::history::Entry;
use crate::tui::state::recent::timestamp;
use crate::tui::state::{App, Focus};
use crate::tui::text::{MASK, esc, str_width, truncate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// The dot's style and the word beside it: the verdict the endpoint came to this session
/// when it was checked (the one on show's as it reads now), else what its state says.
fn state(e: &Entry, app: &App) -> (Style, String) {
    let t = app.theme();
    let word = esc(e.status_word());
    if e.health().is_some()
        && let Some(level) = app.verdict_of(&e.user_arn, &e.endpoint_id)
    {
        let style = super::detail::level_style(level, t);
        return match level {
            Level::Error if e.health() != Some(Health::Broken) => (style, format!("{word} · cannot receive")),
            Level::Warning => (style, format!("{word} · warning")),
            Level::OptedOut => (style, format!("{word} · no messages")),
            _ => (style, word),
        };
    }
    match e.health() {
        None => (t.status_bad, word),
        Some(Health::Muted) => (t.status_warn, format!("{word} · no messages")),
        Some(h) => (t.health(h), word),
    }
}

fn entry_lines(e: &Entry, app: &App, width: usize, now: model::Timestamp) -> [Line<'static>; 3] {
    let t = app.theme();
    let (dot_style, word) = state(e, app);
    let when = crate::model::time::relative_time(e.time, now);
    let room = width.saturating_sub(2 + str_width(&when) + 1);
    let id = truncate(&esc(&e.endpoint_id), room);
    let pad = width.saturating_sub(2 + str_width(&id) + str_width(&when));
    let first = Line::from(vec![
        Span::styled("● ", dot_style),
        Span::styled(id, t.value.add_modifier(Modifier::BOLD)),
        Span::raw(" ".repeat(pad)),
        Span::styled(when, t.dim),
    ]);
    let mut segs: Vec<(String, Style)> =
        vec![("  ".into(), t.value), (word, dot_style), (" · ".into(), t.dim), (esc(e.short_user()), t.dim)];
    if let Some(name) = e.name() {
        segs.push((" · ".into(), t.dim));
        segs.push(if app.show_secrets() { (esc(name), t.value) } else { (MASK.into(), t.secret) });
    }
    // Cut to the width, style by style.
    let mut left = width;
    let mut spans = Vec::new();
    for (text, style) in segs {
        // No separator without room for something after it.
        if left == 0 || (text == " · " && left < 5) {
            break;
        }
        let cut = truncate(&text, left);
        left = left.saturating_sub(str_width(&cut));
        spans.push(Span::styled(cut, style));
    }
    let ctx = crate::tui::state::context::Context::of(e);
    let elsewhere = !ctx.same_as(&app.session_context(&app.arn_region(&e.user_arn)));
    let (third, style) = if elsewhere {
        (format!("  ≠ {}", ctx.label()), t.status_warn)
    } else {
        (format!("  {}", ctx.label()), t.dim)
    };
    [first, Line::from(spans), Line::from(Span::styled(truncate(&third, width), style))]
}

fn title(app: &App) -> Line<'static> {
    let t = app.theme();
    let total = app.recent().history().len();
    let count = if app.recent().is_filtered() {
        format!("{} of {total} ", app.recent().matches().len())
    } else if total > 0 {
        format!("{total} ")
    } else {
        String::new()
    };
    Line::from(vec![Span::styled(" Recent ", t.title), Span::styled(count, t.dim)])
}

fn filter_row(buf: &mut Buffer, area: Rect, app: &App) {
    let t = app.theme();
    let editing = app.recent().filtering && app.focus() == Focus::Recent;
    let value = esc(app.recent().filter.value());
    let width = area.width as usize;
    let mut spans = vec![Span::styled("/ ", t.key)];
    let room = width.saturating_sub(3);
    // Keep the end of a long filter in view (the cursor sits at the end when typing).
    let shown: String = if str_width(&value) > room {
        let mut s: Vec<char> = Vec::new();
        let mut w = 0;
        for c in value.chars().rev() {
            w += crate::tui::text::char_width(c);
            if w + 1 > room {
                break;
            }
            s.push(c);
        }
        std::iter::once('…').chain(s.into_iter().rev()).collect()
    } else {
        value
    };
    spans.push(Span::styled(shown, t.input));
    if editing {
        spans.push(Span::styled(" ", t.input.add_modifier(Modifier::REVERSED)));
    } else {
        spans.push(Span::styled("  Esc clears", t.dim));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

fn empty_text(buf: &mut Buffer, mut area: Rect, app: &App) {
    let t = app.theme();
    if let Some(w) = app.recent().warning.as_deref().filter(|_| !app.recent().is_filtered()) {
        let lines = crate::tui::text::wrap(&[(format!("⚠ {}", esc(w)), t.status_warn)], area.width as usize);
        for line in lines.iter().take(area.height as usize) {
            buf.set_line(area.x, area.y, line, area.width);
            area.y += 1;
            area.height -= 1;
        }
        if area.height < 2 {
            return;
        }
        area.y += 1;
        area.height -= 1;
    }
    let segs: Vec<(String, Style)> = if app.recent().is_filtered() {
        vec![
            (format!("No lookup matches “{}”. ", esc(app.recent().filter.value().trim())), t.value),
            ("Esc clears the filter.".into(), t.dim),
        ]
    } else {
        vec![
            ("No recent lookups yet. ".into(), t.value),
            ("Every lookup is remembered here; Enter on one shows it again, offline.".into(), t.dim),
        ]
    };
    let lines = crate::tui::text::wrap(&segs, area.width as usize);
    for (i, line) in lines.iter().enumerate().take(area.height as usize) {
        buf.set_line(area.x, area.y + i as u16, line, area.width);
    }
}

pub fn draw(buf: &mut Buffer, area: Rect, app: &App) {
    let t = app.theme();
    let focused = app.focus() == Focus::Recent;
    let inner = crate::tui::state::layout::inner(area);
    let mut block =
        Block::bordered().border_style(if focused { t.focus_border } else { t.border }).title(title(app));
    let l = crate::tui::state::layout::recent(app, inner);
    let matches = app.recent().matches();
    let below = matches.len().saturating_sub(l.offset + l.fit);
    if l.offset > 0 || below > 0 {
        let mut s = String::from(" ");
        if l.offset > 0 {
            s.push_str(&format!("▲ {} ", l.offset));
        }
        if below > 0 {
            s.push_str(&format!("▼ {below} "));
        }
        block = block.title_bottom(Line::from(Span::styled(s, t.dim)).right_aligned());
    }
    block.render(area, buf);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    if crate::tui::state::layout::recent_has_filter_row(app) {
        filter_row(buf, Rect { height: 1, ..inner }, app);
    }
    if l.list.height == 0 {
        return;
    }
    if matches.is_empty() {
        empty_text(buf, l.list, app);
        return;
    }
    let now = timestamp(app.wall());
    let width = l.list.width as usize;
    let entries = app.recent().history().entries();
    let mut y = l.list.y;
    // Only the rows on screen are built.
    for (n, &i) in matches.iter().enumerate().skip(l.offset).take(l.fit) {
        let Some(e) = entries.get(i) else { break };
        let lines = entry_lines(e, app, width, now);
        let selected = n == app.recent().selected();
        for line in &lines {
            if y >= l.list.bottom() {
                break;
            }
            buf.set_line(l.list.x, y, line, l.list.width);
            if selected {
                t.select(buf, Rect { y, height: 1, ..l.list }, focused);
            }
            y += 1;
        }
    }
}
