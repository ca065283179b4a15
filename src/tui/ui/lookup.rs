//! The lookup pane: the user ARN and endpoint ID inputs, and what the ARN says (or what is
//! wrong with it), checked as it is typed.

use crate::model;
use crate::tui::state::layout::is_compact;
use crate::tui::state::{App, Focus};
use crate::tui::text::{char_width, str_width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Block;
use tui_input::Input;

pub const LABEL_WIDTH: u16 = 10;
const ARN_PLACEHOLDER: &str = "arn:aws:chime:REGION:ACCOUNT:app-instance/INSTANCE-ID/user/USER-ID";
const ID_PLACEHOLDER: &str = "endpoint ID";
const ID_PLACEHOLDER_BROWSE: &str = "endpoint ID (Enter alone lists the user's endpoints)";

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
pub(super) fn draw_input(
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
        buf.set_stringn(area.x, area.y, placeholder, width, app.theme().placeholder);
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
    buf.set_stringn(area.x, area.y, &s, width, app.theme().input);
    if start > 0 {
        buf.set_stringn(area.x, area.y, "…", 1, app.theme().dim);
    }
    focused.then_some(area.x + cursor_col.saturating_sub(start).min(width - 1) as u16)
}

pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let t = app.theme();
    let focused = app.focus().is_input();
    let compact = is_compact(f.area().height);
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
    let id_placeholder = if app.arn_check().is_ok() { ID_PLACEHOLDER_BROWSE } else { ID_PLACEHOLDER };
    // The label names what the input holds: an app-instance ARN lists its users.
    let arn_label = if app.arn_check().is_err() && model::parse_instance_arn(app.arn().value()).is_ok() {
        "Instance"
    } else {
        "User ARN"
    };
    let rows = [
        (Focus::Arn, arn_label, app.arn(), ARN_PLACEHOLDER),
        (Focus::EndpointId, "Endpoint", app.endpoint_id(), id_placeholder),
    ];
    let mut cursor = None;
    for (i, (focus, label, input, placeholder)) in rows.into_iter().enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let here = app.focus() == focus;
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
                let gw = str_width(&ghost);
                let note = "  ← Tab/Enter";
                if gw + str_width(note) <= room {
                    f.buffer_mut().set_stringn(x + gw as u16, y, note, room - gw, t.dim);
                }
            }
        }
    }
    for (i, line) in app.check_lines(area.width, compact).iter().enumerate() {
        let y = inner.y + 2 + i as u16;
        if y >= inner.bottom() {
            break;
        }
        f.buffer_mut().set_line(inner.x + 1, y, line, inner.width.saturating_sub(1));
    }
    if let Some(pos) = cursor
        && app.help().is_none()
    {
        f.set_cursor_position(pos);
    }
}
