//! The Scan pane (issue 15): a progress bar, the live counts, and the endpoints that cannot
//! receive, one a line, the selected one highlighted:
//! ```text
//! ┌ Scan app-instance/7f3c… ─────────────────────────────┐
//! │ ██████████░░░░░░░░░░  50%  users 5 / 10  ETA 3s       │
//! │ endpoints 12 · cannot receive 3 · 9.8 req/s · throttled 0 │
//! │ status ACTIVE 9, INACTIVE 3 · reason INVALID_DEVICE_TOKEN 3 │
//! │ type GCM 12 · messages ALL 11, NONE 1                 │
//! │ Running — Esc stops (the checkpoint is kept)          │
//! │ ● u-42  ep-1  GCM  INACTIVE INVALID_DEVICE_TOKEN      │
//! ```
//! The dot's colour says the state and the words say it again (colour is never alone).
//! Draws from [`ScanPane`] and the theme only; only the rows on screen are built.

use crate::scan::report::Row;
use crate::tui::state::scan::{Run, ScanPane};
use crate::tui::text::{esc, truncate};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use std::collections::BTreeMap;

fn counts(m: &BTreeMap<String, u64>) -> String {
    if m.is_empty() {
        return "none".into();
    }
    m.iter().map(|(k, v)| format!("{} {v}", esc(k))).collect::<Vec<_>>().join(", ")
}

/// The words for why a row cannot receive, and their style.
fn why(r: &Row, t: &Theme) -> (Style, String) {
    match (r.status.as_deref(), r.allow_messages.as_deref()) {
        (Some("INACTIVE"), _) => {
            (t.status_bad, format!("INACTIVE {}", r.status_reason.as_deref().map(esc).unwrap_or_default()))
        }
        (Some("ACTIVE"), Some("NONE")) => (t.status_warn, "ACTIVE · AllowMessages NONE".into()),
        (Some(s), _) => {
            let worst = r.findings.as_deref().unwrap_or_default().iter().find(|f| f.severity == "error");
            (t.status_bad, worst.map_or_else(|| esc(s), |f| format!("{} · {}", esc(s), esc(&f.code))))
        }
        (None, _) => (t.status_unknown, "no state".into()),
    }
}

fn bar(ratio: Option<f64>, width: usize) -> String {
    match ratio {
        Some(r) => {
            let full = ((r * width as f64).round() as usize).min(width);
            format!("{}{} {:>3}%", "█".repeat(full), "░".repeat(width - full), (r * 100.0).round() as u32)
        }
        None => format!("{} ?", "░".repeat(width)),
    }
}

/// Draw the pane in `area`.
pub fn draw(buf: &mut Buffer, area: Rect, pane: &ScanPane, t: &Theme, focused: bool) {
    let title = format!(" Scan {} ", esc(pane.instance.rsplit(':').next().unwrap_or(&pane.instance)));
    let block = Block::bordered().title(Span::styled(title, t.title)).border_style(if focused {
        t.focus_border
    } else {
        t.border
    });
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    if w == 0 || inner.height == 0 {
        return;
    }
    let p = &pane.progress;
    let users = match p.users_total {
        Some(total) => format!("users {} / {total}", p.users),
        None => format!("users {} / ?", p.users),
    };
    let eta = p.eta().map_or(String::new(), |s| format!("  ETA {}s", s.round() as u64));
    let rps = p.run_requests as f64 / p.run_seconds.max(0.001);
    let (run_style, run) = match &pane.run {
        Run::Running => (t.dim, "Running — Esc stops it (the checkpoint is kept)".to_string()),
        Run::Stopped => (t.status_warn, "Stopped — the checkpoint is kept: S resumes".to_string()),
        Run::Finished => (t.status_ok, "Finished".to_string()),
        Run::Failed(e) => (t.status_bad, format!("Failed: {}", esc(e))),
    };
    let more = if pane.more > 0 { format!(" (+{} not shown)", pane.more) } else { String::new() };
    let filter =
        if pane.filter.is_empty() { String::new() } else { format!(" · filter \"{}\"", esc(&pane.filter)) };
    let head: Vec<Line> = vec![
        Line::from(vec![
            Span::styled(bar(pane.ratio(), 20.min(w / 3)), t.status_ok),
            Span::styled(format!("  {users}{eta}"), t.value),
        ]),
        Line::styled(
            format!(
                "endpoints {} · cannot receive {}{more} · {rps:.1} req/s · throttled {}",
                p.endpoints, p.cannot_receive, p.throttled
            ),
            t.value,
        ),
        Line::styled(
            format!("status {} · reason {}", counts(&p.tally.by_status), counts(&p.tally.by_reason)),
            t.label,
        ),
        Line::styled(
            format!("type {} · messages {}", counts(&p.tally.by_type), counts(&p.tally.by_allow_messages)),
            t.label,
        ),
        Line::styled(format!("{run}{filter}"), run_style),
    ];
    let mut y = inner.y;
    for line in head.iter().take(inner.height as usize) {
        buf.set_line(inner.x, y, line, inner.width);
        y += 1;
    }
    let rows = pane.visible();
    let height = (inner.y + inner.height).saturating_sub(y) as usize;
    if height == 0 {
        return;
    }
    if rows.is_empty() {
        let text =
            if matches!(pane.run, Run::Running) { "none found yet" } else { "every endpoint can receive" };
        buf.set_line(inner.x, y, &Line::styled(text, t.dim), inner.width);
        return;
    }
    // Keep the cursor on screen.
    let top = pane.cursor.saturating_sub(height.saturating_sub(1));
    for (i, r) in rows.iter().enumerate().skip(top).take(height) {
        let (style, words) = why(r, t);
        let text = format!(
            " {}  {}  {}  {words}",
            esc(crate::model::short_user(&r.app_instance_user_arn)),
            esc(&r.endpoint_id),
            esc(r.r#type.as_deref().unwrap_or("?"))
        );
        let mut line =
            Line::from(vec![Span::styled("●", style), Span::raw(truncate(&text, w.saturating_sub(1)))]);
        if i == pane.cursor {
            line = line.style(if focused { t.selected } else { t.selected_unfocused });
        }
        buf.set_line(inner.x, y, &line, inner.width);
        y += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::background::Event;
    use crate::scan::{Outcome, Progress};
    use ratatui::style::Color;

    fn row(id: &str, status: &str, reason: Option<&str>, allow: &str) -> Row {
        Row {
            app_instance_user_arn: "arn:aws:chime:us-east-1:1:app-instance/i/user/u-42".into(),
            endpoint_id: id.into(),
            r#type: Some("GCM".into()),
            allow_messages: Some(allow.into()),
            status: Some(status.into()),
            status_reason: reason.map(str::to_string),
            resource_arn: None,
            created_timestamp: None,
            last_updated_timestamp: None,
            findings: None,
            cannot_receive: true,
        }
    }

    fn line(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
    }

    #[test]
    fn the_pane_shows_progress_counts_and_the_rows_in_colour_and_words() {
        let mut pane = ScanPane::new("arn:aws:chime:us-east-1:1:app-instance/i");
        let mut tally = crate::scan::report::Tally::default();
        tally.by_status.insert("ACTIVE".into(), 9);
        tally.by_status.insert("INACTIVE".into(), 1);
        pane.apply(Event::Progress(Box::new(Progress {
            users: 5,
            users_total: Some(10),
            endpoints: 10,
            cannot_receive: 2,
            tally,
            ..Default::default()
        })));
        pane.apply(Event::CannotReceive(Box::new(row(
            "ep-bad",
            "INACTIVE",
            Some("INVALID_DEVICE_TOKEN"),
            "ALL",
        ))));
        pane.apply(Event::CannotReceive(Box::new(row("ep-muted", "ACTIVE", None, "NONE"))));
        let t = Theme::colored();
        let area = Rect::new(0, 0, 70, 10);
        let mut buf = Buffer::empty(area);
        draw(&mut buf, area, &pane, &t, true);
        assert!(line(&buf, 0).contains("Scan app-instance/i"), "{}", line(&buf, 0));
        assert!(line(&buf, 1).contains("50%") && line(&buf, 1).contains("users 5 / 10"), "{}", line(&buf, 1));
        assert!(line(&buf, 2).contains("cannot receive 2"), "{}", line(&buf, 2));
        assert!(line(&buf, 3).contains("status ACTIVE 9, INACTIVE 1"), "{}", line(&buf, 3));
        assert!(line(&buf, 5).contains("Running"), "{}", line(&buf, 5));
        assert!(
            line(&buf, 6).contains("u-42  ep-bad  GCM  INACTIVE INVALID_DEVICE_TOKEN"),
            "{}",
            line(&buf, 6)
        );
        assert_eq!(buf[(1, 6)].fg, Color::Red, "the dot of an INACTIVE endpoint");
        assert_eq!(buf[(5, 6)].bg, Color::DarkGray, "the selected row");
        assert!(line(&buf, 7).contains("ep-muted  GCM  ACTIVE · AllowMessages NONE"), "{}", line(&buf, 7));
        assert_eq!(buf[(1, 7)].fg, Color::Yellow);
        pane.apply(Event::Done(Ok(Outcome::Stopped)));
        let mut buf = Buffer::empty(area);
        draw(&mut buf, area, &pane, &t, true);
        assert!(line(&buf, 5).contains("S resumes"), "{}", line(&buf, 5));
        assert_eq!(buf[(1, 5)].fg, Color::Yellow);
    }
}
