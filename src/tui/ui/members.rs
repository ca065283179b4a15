//! A user's channel memberships (`M`, `:memberships`): one row a channel with the member's push
//! preference (muted and filtered stand out in colour and words), and under the list the
//! selected membership (Enter: in full, with the findings and the AWS CLI command that reads it).

use crate::doctor::Severity;
use crate::tui::state::App;
use crate::tui::state::members::Membership;
use crate::tui::text::{esc, truncate, wrap};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// The preference's style: ALL plain green, muted and a bad rule red, filtered yellow.
pub fn preference_style(m: &Membership, t: &Theme) -> Style {
    use crate::doctor::membership::GateResult;
    match m.gate {
        GateResult::All => t.status_ok,
        GateResult::Muted | GateResult::Invalid(_) | GateResult::NotMember | GateResult::Stopped(_) => {
            t.status_bad
        }
        GateResult::Filtered | GateResult::Passed => t.status_warn,
    }
}

/// The lines of the selected membership under the list.
fn selected_lines(m: &Membership, app: &App, expanded: bool, w: usize) -> Vec<Line<'static>> {
    let t = app.theme();
    let arn = esc(&m.of.membership.channel_arn);
    let mut out = wrap(&[(format!("{}  ", m.name()), t.label), (arn, t.value)], w);
    let style = preference_style(m, t);
    out.extend(wrap(&[(format!("{} · ", m.preference()), style), (m.meaning(), t.value)], w));
    if !m.rule().is_empty() {
        out.extend(wrap(&[("FilterRule ".into(), t.label), (m.rule(), style)], w));
    }
    if !expanded {
        out.extend(wrap(&[("Enter: in full (findings, the AWS CLI command) · v: JSON".into(), t.dim)], w));
        return out;
    }
    for f in &m.findings {
        let s = match f.severity {
            Severity::Error => t.status_bad,
            Severity::Warning => t.status_warn,
            Severity::Info => t.status_unknown,
        };
        out.extend(wrap(
            &[
                (format!("{} {}", f.severity.as_str(), f.code), s),
                (format!(": {}", esc(&f.message)), t.value),
            ],
            w,
        ));
        out.extend(wrap(&[(format!("fix: {}", esc(&f.fix)), t.dim)], w));
    }
    if let Some(cmd) = app.membership_command() {
        out.extend(wrap(&[("Read it with the AWS CLI:".into(), t.dim)], w));
        out.extend(wrap(&[(esc(&cmd), t.key)], w));
    }
    out
}

/// The last `width` columns of `s`, "…" first when cut (ASCII: an ARN).
fn tail(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    let keep = width.saturating_sub(1);
    format!("…{}", s.chars().skip(n - keep).collect::<String>())
}

pub fn draw(buf: &mut Buffer, screen: Rect, app: &App) {
    let m = app.members();
    let t = app.theme();
    let user = crate::model::short_user(&m.user_arn).to_string();
    let count = m.rows.as_ref().map(|r| format!(" ({})", r.len())).unwrap_or_default();
    let title = format!(" Channel memberships of {}{count} ", esc(&user));
    let Some((area, block)) = super::raw::frame(buf, screen, t, title) else { return };
    let block = block.title_bottom(
        Line::from(Span::styled(" Enter preference · v JSON · y copies ARN · r reads again ", t.dim))
            .right_aligned(),
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if m.loading.is_some() {
        lines.extend(wrap(
            &[(
                "Reading the memberships as the user (ListChannelMembershipsForAppInstanceUser, then one GetChannelMembershipPreferences a channel, paced)…".to_string(),
                t.spinner,
            )],
            w,
        ));
    }
    if let Some(e) = &m.error {
        let status = e.http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
        lines.extend(wrap(
            &[(format!("✘ {}{status}: {}", esc(&e.exception), esc(&e.message)), t.status_bad)],
            w,
        ));
        if !e.hint.is_empty() {
            lines.extend(wrap(&[(format!("  {}", esc(&e.hint)), t.value)], w));
        }
        lines.extend(wrap(&[("  r reads them again.".to_string(), t.dim)], w));
    }
    let rows = m.rows.as_deref().unwrap_or_default();
    if m.rows.is_some() && rows.is_empty() {
        lines.extend(wrap(
            &[(
                "The user is a member of no channel: no channel message is pushed to it.".to_string(),
                t.value,
            )],
            w,
        ));
    }
    for l in lines.iter().take(inner.height as usize).enumerate() {
        buf.set_line(inner.x, inner.y + l.0 as u16, l.1, inner.width);
    }
    if rows.is_empty() {
        return;
    }
    let top = inner.y + lines.len().min(inner.height as usize) as u16;
    let height = (inner.y + inner.height).saturating_sub(top) as usize;
    let below = m.selected().map(|s| selected_lines(s, app, m.expanded, w)).unwrap_or_default();
    // The list as long as it is (the selected one right under it), else what leaves room.
    let list_h = height.saturating_sub(below.len().min(height / 2) + 1).max(1).min(m.picker.visible().len());
    let cursor = m.picker.cursor();
    let first = cursor.saturating_sub(list_h.saturating_sub(1));
    let name_w = rows.iter().map(|r| crate::tui::text::str_width(&r.name())).max().unwrap_or(4).clamp(4, 28);
    for (row, (pos, &i)) in m.picker.visible().iter().enumerate().skip(first).take(list_h).enumerate() {
        let Some(r) = rows.get(i) else { continue };
        let style = preference_style(r, t);
        let mark = if r.stands_out() { "● " } else { "  " };
        // The ARN's end (the channel's ID) is what tells channels apart: cut at its start.
        let room = w.saturating_sub(2 + 20 + name_w + 2);
        let mut spans = vec![
            Span::styled(mark, style),
            Span::styled(format!("{:<20}", r.preference()), style),
            Span::styled(format!("{:<name_w$}  ", truncate(&r.name(), name_w)), t.value),
            Span::styled(tail(&esc(&r.of.membership.channel_arn), room), t.dim),
        ];
        if pos == cursor {
            for s in &mut spans {
                s.style = s.style.patch(t.selected);
            }
        }
        buf.set_line(inner.x, top + row as u16, &Line::from(spans), inner.width);
    }
    let y0 = top + list_h as u16 + 1;
    for (k, l) in below.iter().enumerate() {
        let y = y0 + k as u16;
        if y >= inner.y + inner.height {
            break;
        }
        buf.set_line(inner.x, y, l, inner.width);
    }
}
