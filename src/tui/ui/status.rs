//! The bottom of the screen: the message line (copy feedback, refusals) and the status bar
//! (profile, account once known, region, where requests go, key hints).

use crate::model;
use crate::tui::action::Level;
use crate::tui::state::App;
use crate::tui::text::{str_width, truncate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

fn notice_line(app: &App, width: usize) -> Option<Line<'static>> {
    let n = app.notice()?;
    let t = app.theme();
    let (mark, style) = match n.level {
        Level::Info => ("•", t.notice_info),
        Level::Ok => ("✔", t.notice_ok),
        Level::Error => ("✘", t.notice_err),
    };
    let text = format!(" {mark} {}", model::escape_control(&n.text));
    Some(Line::from(Span::styled(truncate(&text, width), style)))
}

/// The left part of the status bar: who and where.
pub fn session_text(app: &App, width: usize) -> String {
    let profile = model::escape_control(&app.session().profile);
    // The account once an answer named it (from 100 columns: narrower, the hints need the room).
    let account = app
        .account()
        .filter(|_| width >= 100)
        .map(|a| format!("{} · ", model::escape_control(a)))
        .unwrap_or_default();
    let ro = if app.readonly() { if width >= 80 { "read-only · " } else { "RO · " } } else { "" };
    if width >= 80 {
        format!(" {ro}profile {profile} · {account}{} · {} ", app.region(), app.session().target_label())
    } else if !ro.is_empty() {
        let target = match &app.session().target {
            crate::model::Target::Aws => "AWS",
            crate::model::Target::Custom(_) => "custom",
            crate::model::Target::Demo(_) => "demo",
        };
        format!(" {ro}{profile} · {} · {target} ", app.region())
    } else {
        let target = match &app.session().target {
            crate::model::Target::Aws => "AWS",
            crate::model::Target::Custom(_) => "custom",
            crate::model::Target::Demo(_) => "demo",
        };
        format!(" {profile} · {} · {target} ", app.region())
    }
}

pub fn draw(buf: &mut Buffer, status: Rect, notice: Option<Rect>, app: &App) {
    let t = app.theme();
    let width = status.width as usize;
    if let Some(area) = notice
        && let Some(line) = notice_line(app, width)
    {
        buf.set_line(area.x, area.y, &line, area.width);
    }
    buf.set_style(status, t.status_bar);
    let left = truncate(&session_text(app, width), width);
    let lw = str_width(&left);
    buf.set_stringn(
        status.x,
        status.y,
        &left,
        width,
        t.status_bar.patch(Style::new().add_modifier(ratatui::style::Modifier::BOLD)),
    );
    let room = width.saturating_sub(lw + 1);
    if room == 0 {
        return;
    }
    let x = status.x + (lw + 1) as u16;
    // In the compact layout the message takes the place of the hints.
    if notice.is_none()
        && let Some(line) = notice_line(app, room)
    {
        buf.set_line(x, status.y, &line, room as u16);
        return;
    }
    // The hints that fit; "? help" and "q quit" (the last two) are kept longest.
    let mut keep: Vec<(&str, &str)> = app.hints();
    let hint_width = |k: &str, w: &str| str_width(k) + 1 + str_width(w) + 2;
    while !keep.is_empty() && keep.iter().map(|(k, w)| hint_width(k, w)).sum::<usize>() > room {
        let i = keep.len().saturating_sub(3);
        keep.remove(i);
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0usize;
    for (k, what) in keep {
        spans.push(Span::styled(k.to_string(), t.key));
        spans.push(Span::styled(format!(" {what}  "), t.status_bar));
        used += hint_width(k, what);
    }
    // Right-aligned.
    let start = x + (room - used) as u16;
    buf.set_line(start, status.y, &Line::from(spans), used as u16);
}
