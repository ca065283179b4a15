//! The lookup pane: the user ARN and endpoint ID inputs, and what the ARN says (or what is
//! wrong with it), checked as it is typed.

use super::{char_width, wrap};
use crate::model;
use crate::tui::app::{App, Focus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use tui_input::Input;

pub const LABEL_WIDTH: u16 = 10;
const ARN_PLACEHOLDER: &str = "arn:aws:chime:REGION:ACCOUNT:app-instance/INSTANCE-ID/user/USER-ID";
const ID_PLACEHOLDER: &str = "endpoint ID";
const ID_PLACEHOLDER_BROWSE: &str = "endpoint ID (Enter alone lists the user's endpoints)";

/// The lines under the inputs: the ARN parsed, or its mistakes explained.
fn check_segments(app: &App) -> Vec<(String, Style)> {
    let t = &app.theme;
    let mut segs: Vec<(String, Style)> = Vec::new();
    let arn = app.arn.value();
    let id = app.endpoint_id.value();
    // Browsing: an app-instance ARN lists its users.
    let instance = if app.arn_check.is_err() { model::parse_instance_arn(arn).ok() } else { None };
    match &app.arn_check {
        _ if arn.is_empty() && id.is_empty() => {
            segs.push((
                "Paste or type a user ARN, Tab, an endpoint ID, Enter; Enter alone lists the app instances."
                    .into(),
                t.dim,
            ));
        }
        _ if arn.is_empty() => segs.push(("✘ the user ARN is empty".into(), t.status_bad)),
        Err(_) if instance.is_some() => {
            let Some(p) = &instance else { return segs };
            let warning = region_problem(app, p.region());
            let mark = if warning.is_some() { "⚠ app instance " } else { "✓ app instance " };
            segs.push((mark.into(), if warning.is_some() { t.status_warn } else { t.status_ok }));
            segs.push((model::escape_control(p.app_instance_id()).into_owned(), t.value));
            match warning {
                Some(w) => segs.push((format!(" · {w}"), t.status_warn)),
                None => segs.push((format!(" · region {}", app.region()), t.status_ok)),
            }
            segs.push((" · account ".into(), t.dim));
            segs.push((p.arn.account.clone(), t.value));
            segs.push((" · Enter lists its users".into(), t.dim));
        }
        Err(e) => segs.push((format!("✘ {}", model::escape_control(&e.problem)), t.status_bad)),
        Ok(p) => {
            // A ✓ only for what can be looked up: a region the request goes to that is the
            // ARN's own and has an Identity endpoint.
            match region_problem(app, p.region()) {
                Some(w) => segs.push((format!("⚠ {w}"), t.status_warn)),
                None => {
                    segs.push(("✓ ".into(), t.status_ok));
                    segs.push((format!("region {}", app.region()), t.status_ok));
                }
            }
            segs.push((" · account ".into(), t.dim));
            segs.push((p.arn.account.clone(), t.value));
            segs.push((" · app instance ".into(), t.dim));
            segs.push((model::escape_control(p.app_instance_id()).into_owned(), t.value));
            segs.push((" · user ".into(), t.dim));
            segs.push((model::escape_control(p.user_id().unwrap_or("")).into_owned(), t.value));
        }
    }
    if !id.is_empty()
        && let Err(e) = &app.id_check
    {
        segs.push((format!("  ✘ endpoint ID {}", model::escape_control(&e.problem)), t.status_bad));
    }
    segs
}

/// What is wrong with where a request about an ARN of `arn_region` would go: `--region` says
/// another region (the service keeps an ARN's resources in the ARN's region), or the region
/// has no Chime SDK Identity endpoint.
pub fn region_problem(app: &App, arn_region: &str) -> Option<String> {
    let region = app.session.region_for(Some(arn_region));
    let only = model::IDENTITY_REGIONS.join(", ");
    let esc = |s: &str| model::escape_control(s).into_owned();
    if region != arn_region {
        let mut w = format!(
            "--region {} differs from the ARN's region {}: the lookup goes to {}, where this ARN does not live",
            esc(&region),
            esc(arn_region),
            esc(&region)
        );
        if !model::IDENTITY_REGIONS.contains(&region.as_str()) {
            w.push_str(&format!("; --region {} has no Identity endpoint (only {only})", esc(&region)));
        }
        return Some(w);
    }
    if !model::IDENTITY_REGIONS.contains(&region.as_str()) {
        return Some(format!(
            "region {}: the ARN's region has no Identity endpoint (only {only})",
            esc(&region)
        ));
    }
    None
}

/// `width` is the pane's; the lines are indented by one column inside the border.
fn check_lines(app: &App, width: u16, compact: bool) -> Vec<Line<'static>> {
    let inner = width.saturating_sub(if compact { 1 } else { 3 }) as usize;
    let mut lines = wrap(&check_segments(app), inner);
    let max = if compact { 1 } else { 3 };
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            last.spans.push(Span::styled(" …", app.theme.dim));
        }
    }
    lines
}

/// Rows the pane needs at `width`. The compact layout has no border.
pub fn height(app: &App, width: u16, compact: bool) -> u16 {
    let border = if compact { 0 } else { 2 };
    border + 2 + check_lines(app, width, compact).len() as u16
}

/// How a char of an input is drawn: control characters as their visible pictures (one
/// column), so that what was pasted is seen and never reaches the terminal raw.
fn shown(c: char) -> char {
    match c as u32 {
        0..=0x1f => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        0x7f => '␡',
        0x80..=0x9f => '�',
        _ => c,
    }
}

fn shown_width(c: char) -> usize {
    char_width(shown(c)).max(if c.is_control() { 1 } else { 0 })
}

/// Draw one input; returns the cursor column when it is visible.
fn draw_input(
    f: &mut Frame,
    area: Rect,
    input: &Input,
    placeholder: &str,
    focused: bool,
    app: &App,
) -> Option<u16> {
    let width = area.width as usize;
    if width == 0 {
        return None;
    }
    let buf = f.buffer_mut();
    if input.value().is_empty() {
        buf.set_stringn(area.x, area.y, placeholder, width, app.theme.placeholder);
        return focused.then_some(area.x);
    }
    let cursor = input.cursor();
    let cursor_col: usize = input.value().chars().take(cursor).map(shown_width).sum();
    // Scroll so that the cursor stays in view: the text shown starts at the first whole
    // character at or after `offset` (a double-width one is never cut in half), and every
    // position below is in display columns of that same text.
    let offset = cursor_col.saturating_sub(width - 1);
    let mut col = 0usize;
    let mut start = None;
    let mut s = String::new();
    for c in input.value().chars() {
        let w = shown_width(c);
        if col < offset {
            col += w;
            continue;
        }
        let first = *start.get_or_insert(col);
        if col - first + w > width {
            break;
        }
        s.push(shown(c));
        col += w;
    }
    let start = start.unwrap_or(col);
    buf.set_stringn(area.x, area.y, &s, width, app.theme.input);
    if start > 0 {
        buf.set_stringn(area.x, area.y, "…", 1, app.theme.dim);
    }
    focused.then_some(area.x + cursor_col.saturating_sub(start).min(width - 1) as u16)
}

pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let focused = app.focus.is_input();
    let compact = f.area().height < super::COMPACT_HEIGHT;
    let inner = if compact {
        area
    } else {
        let block = Block::bordered()
            .border_style(if focused { t.focus_border } else { t.border })
            .title(Span::styled(" Lookup ", t.title));
        let inner = block.inner(area);
        f.render_widget(block, area);
        inner
    };
    if inner.height == 0 || inner.width <= LABEL_WIDTH {
        return;
    }
    // With a user ARN above it, an empty endpoint ID lists the user's endpoints.
    let id_placeholder = if app.arn_check.is_ok() { ID_PLACEHOLDER_BROWSE } else { ID_PLACEHOLDER };
    // The label names what the input holds: an app-instance ARN lists its users.
    let arn_label = if app.arn_check.is_err() && model::parse_instance_arn(app.arn.value()).is_ok() {
        "Instance"
    } else {
        "User ARN"
    };
    let rows = [
        (Focus::Arn, arn_label, &app.arn, ARN_PLACEHOLDER),
        (Focus::EndpointId, "Endpoint", &app.endpoint_id, id_placeholder),
    ];
    let mut cursor = None;
    for (i, (focus, label, input, placeholder)) in rows.into_iter().enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let here = app.focus == focus;
        let (mark, style) = if here { ("›", t.focus_border) } else { (" ", t.label) };
        f.buffer_mut().set_stringn(inner.x, y, format!("{mark}{label}"), LABEL_WIDTH as usize, style);
        let field = Rect::new(inner.x + LABEL_WIDTH, y, inner.width - LABEL_WIDTH, 1);
        if let Some(x) = draw_input(f, field, input, placeholder, here, app) {
            cursor = Some((x, y));
            // The completion on offer, dimmed after the cursor (Tab or → takes it).
            if focus == Focus::EndpointId
                && let Some(ghost) = app.completion_ghost()
                && x < field.right()
            {
                let ghost = model::escape_control(ghost);
                if input.value().is_empty() {
                    // Over the placeholder.
                    let blank = " ".repeat(field.width as usize);
                    f.buffer_mut().set_stringn(field.x, y, &blank, field.width as usize, t.input);
                }
                let room = (field.right() - x) as usize;
                f.buffer_mut().set_stringn(x, y, &ghost, room, t.ghost);
                // Said in words too, so that it never reads as typed text (with or without
                // colour or italics): what Tab takes and Enter looks up.
                let gw = super::str_width(&ghost);
                let note = "  ← Tab/Enter";
                if gw + super::str_width(note) <= room {
                    f.buffer_mut().set_stringn(x + gw as u16, y, note, room - gw, t.dim);
                }
            }
        }
    }
    for (i, line) in check_lines(app, area.width, compact).iter().enumerate() {
        let y = inner.y + 2 + i as u16;
        if y >= inner.bottom() {
            break;
        }
        f.buffer_mut().set_line(inner.x + 1, y, line, inner.width.saturating_sub(1));
    }
    if let Some(pos) = cursor
        && app.help.is_none()
    {
        f.set_cursor_position(pos);
    }
}
