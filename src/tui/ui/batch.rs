//! The dialog of a batch deregistration from the Scan pane: what it is, each endpoint with the
//! AWS CLI command that would deregister it (scrolled with j/k), then, as the stage asks, the
//! keys of the dry run, the typed number and the buttons, or where writes to AWS go.
//! ```text
//! ┌ Dry run: deregister 2 endpoints? ───────────────────────────────────┐
//! │ 2 endpoints of 2 users. Nothing is sent yet.                        │
//! │ Each is described first: one that can receive by now is left alone.│
//! │ Sent at 10 requests/s (the scan's rate), 2 requests per endpoint.   │
//! │                                                                     │
//! │ ● u-42  ep-1  GCM  INACTIVE INVALID_DEVICE_TOKEN                    │
//! │   aws chime-sdk-identity deregister-app-instance-user-endpoint …    │
//! │ Enter goes on to confirm · c copies the 2 commands · Esc cancels    │
//! ```

use super::lookup::draw_input;
use crate::model;
use crate::tui::state::App;
use crate::tui::state::batch::{BatchConfirm, Stage};
use crate::tui::state::write::ConfirmFocus;
use crate::tui::text::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

fn push(out: &mut Vec<Line<'static>>, text: String, style: Style, width: usize) {
    out.extend(wrap(&[(text, style)], width));
}

/// Draw the batch's dialog over `screen`.
pub fn draw(f: &mut Frame, screen: Rect, app: &App, b: &BatchConfirm) {
    let t = app.theme();
    let width = screen.width.saturating_sub(4).clamp(20, 100);
    let text_w = width.saturating_sub(4) as usize;
    let n = b.items.len();
    let s = |k: usize| if k == 1 { "" } else { "s" };

    let mut head = Vec::new();
    push(
        &mut head,
        format!("{n} endpoint{} of {} user{}. Nothing is sent yet.", s(n), b.users, s(b.users)),
        t.value,
        text_w,
    );
    push(
        &mut head,
        "Each is described first: one that can receive by now is left alone.".into(),
        t.value,
        text_w,
    );
    push(
        &mut head,
        format!("Sent at {} requests/s (the scan's rate), 2 requests per endpoint.", b.rate),
        t.dim,
        text_w,
    );
    if b.muted > 0 {
        push(
            &mut head,
            if b.muted == 1 {
                "⚠ 1 is ACTIVE with AllowMessages NONE: a working device whose user turned messages off."
                    .into()
            } else {
                format!(
                    "⚠ {} are ACTIVE with AllowMessages NONE: working devices whose users turned messages off.",
                    b.muted
                )
            },
            t.status_warn,
            text_w,
        );
    }
    head.push(Line::default());

    let mut list = Vec::new();
    // Where each endpoint's lines start in the list (the state scrolls by endpoint).
    let mut starts = Vec::with_capacity(b.lines.len());
    for (line, cmd) in b.lines.iter().zip(&b.commands) {
        starts.push(list.len());
        list.push(Line::from(vec![Span::styled("● ", t.status_bad), Span::styled(line.clone(), t.value)]));
        for l in wrap(&[(model::escape_control(cmd).into_owned(), t.key)], text_w.saturating_sub(2)) {
            let mut spans = vec![Span::raw("  ")];
            spans.extend(l.spans);
            list.push(Line::from(spans));
        }
    }

    let mut foot = vec![Line::default()];
    let mut input_row = None;
    match &b.stage {
        Stage::DryRun => {
            push(
                &mut foot,
                format!(
                    "Enter goes on to confirm · c copies the {n} command{} · j/k scroll · Esc cancels",
                    s(n)
                ),
                t.dim,
                text_w,
            );
        }
        Stage::Typed { input, focus } => {
            push(
                &mut foot,
                format!(
                    "Deregister {n} endpoint{}: pushes to these devices stop until their apps register again.",
                    s(n)
                ),
                t.status_bad,
                text_w,
            );
            push(&mut foot, format!("Type {n} to confirm."), t.value, text_w);
            input_row = Some(foot.len());
            foot.push(Line::default());
            let matched = input.value().trim() == b.want();
            let button = |label: String, focused: bool, style: Style| {
                Span::styled(format!("[ {label} ]"), if focused { style.patch(t.selected) } else { style })
            };
            let mut spans = vec![
                button("Cancel".into(), *focus == ConfirmFocus::Cancel, t.value),
                Span::raw("  "),
                button(
                    format!("Deregister {n}"),
                    *focus == ConfirmFocus::Apply,
                    if matched { t.status_bad } else { t.dim },
                ),
            ];
            if !matched {
                spans.push(Span::styled(format!("  (type {n} first)"), t.dim));
            }
            foot.push(Line::from(spans));
            // While the count is typed, c is a character of it: it copies from the buttons.
            let keys = if *focus == ConfirmFocus::Input {
                "Enter goes to the buttons · Tab moves · Esc cancels"
            } else {
                "Tab moves · Enter presses (Cancel is the default) · c copies the commands · Esc cancels"
            };
            push(&mut foot, keys.into(), t.dim, text_w);
        }
        Stage::AwsOnce { account, region, profile } => {
            push(
                &mut foot,
                format!(
                    "Writes go to account {}, region {} (profile {profile}).",
                    model::escape_control(account),
                    model::escape_control(region)
                ),
                t.status_warn,
                text_w,
            );
            push(
                &mut foot,
                "This is the real service, not an emulator. Asked once per session.".into(),
                t.value,
                text_w,
            );
            push(&mut foot, "y goes on · Esc or n cancels".into(), t.dim, text_w);
        }
    }
    if let Some(r) = &b.refused {
        push(&mut foot, format!("✘ {r}"), t.status_bad, text_w);
    }

    // The list takes what the head and the foot leave.
    let max_h = screen.height.saturating_sub(2);
    let fixed = head.len() + foot.len() + 2;
    let mut room = (max_h as usize).saturating_sub(fixed).max(1);
    if list.len() > room {
        // The "(lines a–b of n)" line takes one.
        room = room.saturating_sub(1).max(1);
    }
    let scroll = starts.get(b.scroll).copied().unwrap_or(0).min(list.len().saturating_sub(room));
    let shown: Vec<Line> = list.iter().skip(scroll).take(room).cloned().collect();
    let more = list.len() > room;
    let height = ((head.len() + shown.len() + usize::from(more) + foot.len() + 2) as u16).min(max_h.max(3));
    let area = super::centred(screen, width, height);
    Clear.render(area, f.buffer_mut());
    let block =
        Block::bordered().border_style(t.status_bad).title(Span::styled(format!(" {} ", b.title()), t.title));
    let inner = block.inner(area);
    block.render(area, f.buffer_mut());
    let inner = Rect { x: inner.x + 1, width: inner.width.saturating_sub(2), ..inner };
    let mut lines: Vec<Line> = head;
    lines.extend(shown.iter().cloned());
    if more {
        lines.push(Line::styled(
            format!(
                "(lines {}–{} of {} · j/k PgUp/PgDn scroll)",
                scroll + 1,
                (scroll + room).min(list.len()),
                list.len()
            ),
            t.dim,
        ));
    }
    let foot_at = lines.len();
    lines.extend(foot);
    let mut cursor = None;
    for (i, line) in lines.iter().enumerate().take(inner.height as usize) {
        let y = inner.y + i as u16;
        if Some(i) == input_row.map(|r| r + foot_at)
            && let Stage::Typed { input, focus } = &b.stage
        {
            let label = 15u16;
            let focused = *focus == ConfirmFocus::Input;
            f.buffer_mut().set_stringn(
                inner.x,
                y,
                "Endpoints",
                label as usize,
                if focused { t.selected } else { t.label },
            );
            let rect = Rect { x: inner.x + label, y, width: inner.width.saturating_sub(label), height: 1 };
            cursor = draw_input(f, rect, input, "the number of endpoints", focused, app).map(|x| (x, y));
            continue;
        }
        f.buffer_mut().set_line(inner.x, y, line, inner.width);
    }
    if let Some((x, y)) = cursor {
        f.set_cursor_position((x, y));
    }
}
