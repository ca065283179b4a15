//! The Scan pane: a progress bar, the live counts, and the endpoints that cannot
//! receive, one a line, the selected one highlighted:
//! ```text
//! ┌ Scan app-instance/7f3c… ─────────────────────────────┐
//! │ ██████████░░░░░░░░░░  50%  users 5 / 10  ETA 3s       │
//! │ endpoints 12 · cannot receive 3 · 9.8 req/s · throttled 0 │
//! │ status ACTIVE 9, INACTIVE 3 · reason INVALID_DEVICE_TOKEN 3 │
//! │ type GCM 12 · messages ALL 11, NONE 1                 │
//! │ Running — Esc stops (the checkpoint is kept)          │
//! │*● u-42  ep-1  GCM  INACTIVE INVALID_DEVICE_TOKEN  ✓ deregistered │
//! ```
//! The dot's colour says the state and the words say it again (colour is never alone). A `*`
//! marks a row for a batch deregistration; what the batch made of a row follows it.
//! Draws from [`ScanPane`] and the theme only; only the rows on screen are built.

use crate::model::Health;
use crate::scan::batch::Outcome;
use crate::scan::report::Row;
use crate::tui::state::batch::outcome_word;
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

/// The style of a row's dot: how bad it is that it cannot receive.
fn dot_style(r: &Row, t: &Theme) -> Style {
    match ScanPane::why(r).0 {
        Health::Muted => t.status_warn,
        Health::Unknown => t.status_unknown,
        Health::Broken | Health::Ok => t.status_bad,
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

/// The words and style for what a batch made of a row.
fn outcome(o: Option<&Outcome>, t: &Theme) -> (Style, String) {
    let word = outcome_word(o);
    let style = match o {
        Some(Outcome::Deregistered(_)) => t.status_ok,
        Some(Outcome::Failed(_)) => t.status_bad,
        Some(Outcome::Unsure(_)) => t.status_warn,
        Some(Outcome::Skipped(_) | Outcome::Gone | Outcome::NotSent) | None => t.dim,
    };
    let why = match o {
        Some(Outcome::Failed(e) | Outcome::Unsure(e)) => format!(": {}", esc(e.kind.name())),
        Some(Outcome::Skipped(why)) => format!(": {}", esc(why)),
        _ => String::new(),
    };
    let mark = match o {
        Some(Outcome::Deregistered(_)) => "✓",
        Some(Outcome::Failed(_)) => "✗",
        Some(Outcome::Unsure(_)) => "?",
        None => "…",
        _ => "–",
    };
    (style, format!("{mark} {word}{why}"))
}

/// The line under the counts: the scan's state, or the batch's.
fn state_line(pane: &ScanPane, t: &Theme, writable: bool) -> (Style, String) {
    if let Some(b) = &pane.batch {
        return match b.done {
            None if b.stopping => (t.status_warn, format!("Stopping the batch… {}", b.summary())),
            None => (
                t.spinner,
                format!(
                    "{} · pace {:.1}/s (limit {}) · throttled {} — Esc stops (the rest are not sent)",
                    b.summary(),
                    b.rate,
                    b.limit,
                    b.throttled
                ),
            ),
            Some(_) => {
                let c = b.counts();
                (
                    if c.failed + c.unsure > 0 { t.status_bad } else { t.status_ok },
                    format!("Batch: {}", b.summary()),
                )
            }
        };
    }
    let (style, mut text) = match &pane.run {
        Run::Running => match pane.progress.throttle_warning() {
            // A service refusing every request: said, in yellow, with where the scan gives up.
            Some(w) => (t.status_warn, format!("Running — {w} · Esc stops it (the checkpoint is kept)")),
            None => (t.dim, "Running — Esc stops it (the checkpoint is kept)".to_string()),
        },
        Run::Stopped => (t.status_warn, "Stopped — the checkpoint is kept: S resumes".to_string()),
        Run::Finished => (t.status_ok, "Finished".to_string()),
        Run::Failed(e) => (t.status_bad, format!("Failed: {}", esc(e))),
    };
    if !pane.marked().is_empty() {
        text.push_str(&format!(" · {} marked: D deregisters them (a dry run first)", pane.marked().len()));
    } else if writable && !matches!(pane.run, Run::Running) && pane.row(0).is_some() {
        text.push_str(" · Space marks rows, D deregisters them (a dry run first)");
    }
    (style, text)
}

/// Draw the pane in `area` (`writable`: not in read-only mode, so the batch's keys are offered);
/// returns the screen rows of the list (row, place among those shown), for clicks.
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    pane: &ScanPane,
    t: &Theme,
    focused: bool,
    writable: bool,
) -> Vec<(u16, usize)> {
    let mut drawn = Vec::new();
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
        return drawn;
    }
    let p = &pane.progress;
    let users = match p.users_total {
        Some(total) => format!("users {} / {total}", p.users),
        None => format!("users {}{}", p.users, p.listed_so_far()),
    };
    let eta = match (&pane.run, p.eta()) {
        (Run::Running, Some(s)) => format!("  ETA {}", crate::scan::hms(s)),
        (Run::Running, None) => "  ETA …".to_string(),
        _ => String::new(),
    };
    let (run_style, run) = state_line(pane, t, writable);
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
                "endpoints {} · cannot receive {}{more} · opted out {} · {} · throttled {}",
                p.endpoints,
                p.cannot_receive,
                p.tally.opted_out,
                p.rate_text_under(pane.rate),
                p.throttled
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
    let shown = pane.visible_indices();
    let height = (inner.y + inner.height).saturating_sub(y) as usize;
    if height == 0 {
        return drawn;
    }
    if shown.is_empty() {
        let text = if !pane.filter.is_empty() {
            "no row matches the filter (Esc clears it)"
        } else if matches!(pane.run, Run::Running) {
            "none found yet"
        } else if matches!(pane.run, Run::Stopped | Run::Failed(_)) {
            // Not every endpoint was seen: nothing can be said of the rest (the resume offer
            // shows over such a pane).
            "none found before the scan stopped: the users not scanned yet are not known"
        } else if pane.diagnose {
            "every endpoint can receive pushes (state, record and Pinpoint channel checked)"
        } else {
            "none INACTIVE, opted out or in an unknown state · records and channels not checked: d (:scan --diagnose)"
        };
        buf.set_line(inner.x, y, &Line::styled(text, t.dim), inner.width);
        return drawn;
    }
    // Keep the cursor on screen.
    let top = pane.cursor().saturating_sub(height.saturating_sub(1));
    for (k, &i) in shown.iter().enumerate().skip(top).take(height) {
        let Some(r) = pane.row(i) else { continue };
        let style = dot_style(r, t);
        let marked = pane.marked().contains(&i);
        let text = format!(" {}", ScanPane::row_line(r));
        let after = pane.batch.as_ref().and_then(|b| b.outcome(i)).map(|o| outcome(o, t));
        let room = w.saturating_sub(2 + after.as_ref().map_or(0, |(_, s)| s.chars().count() + 2));
        let mut spans = vec![
            Span::styled(if marked { "*" } else { " " }, t.key),
            Span::styled("●", style),
            Span::raw(truncate(&text, room)),
        ];
        if let Some((s, words)) = after {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(words, s));
        }
        let mut line = Line::from(spans);
        if k == pane.cursor() {
            line = line.style(if focused { t.selected } else { t.selected_unfocused });
        }
        buf.set_line(inner.x, y, &line, inner.width);
        drawn.push((y, k));
        y += 1;
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::background::Event;
    use crate::scan::{Outcome, Progress};
    use ratatui::style::Color;

    fn row(id: &str, status: &str, reason: Option<&str>, allow: &str) -> Row {
        Row::for_test("arn:aws:chime:us-east-1:1:app-instance/i/user/u-42", id, status, reason, allow)
    }

    fn line(buf: &Buffer, y: u16) -> String {
        (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()
    }

    /// A pane that stopped (or failed) before it found anything says so, never "every endpoint
    /// can receive" (a resume offer once showed over that).
    #[test]
    fn an_empty_pane_of_a_stopped_scan_claims_nothing_of_the_rest() {
        let t = Theme::colored();
        let area = Rect::new(0, 0, 90, 10);
        for (run, want) in [
            (Outcome::Stopped, "none found before the scan stopped"),
            (Outcome::Finished, "none INACTIVE, opted out or in an unknown state"),
        ] {
            let mut pane = ScanPane::new("arn:aws:chime:us-east-1:1:app-instance/i");
            pane.apply(Event::Done(Ok(run)));
            let mut buf = Buffer::empty(area);
            draw(&mut buf, area, &pane, &t, true, true);
            let all: String = (0..area.height).map(|y| line(&buf, y)).collect();
            assert!(all.contains(want), "{run:?}: {all}");
            assert!(!all.contains("every endpoint"), "{run:?}: {all}");
        }
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
        draw(&mut buf, area, &pane, &t, true, true);
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
        assert_eq!(buf[(2, 6)].fg, Color::Red, "the dot of an INACTIVE endpoint");
        assert_eq!(buf[(5, 6)].bg, Color::DarkGray, "the selected row");
        assert!(
            line(&buf, 7).contains("ep-muted  GCM  ACTIVE · opted out (AllowMessages NONE)"),
            "{}",
            line(&buf, 7)
        );
        assert_eq!(buf[(2, 7)].fg, Color::Yellow);
        assert!(line(&buf, 1).contains("ETA …"), "no estimate before a second: {}", line(&buf, 1));
        pane.apply(Event::Done(Ok(Outcome::Stopped)));
        let mut buf = Buffer::empty(area);
        draw(&mut buf, area, &pane, &t, true, true);
        assert!(line(&buf, 5).contains("S resumes"), "{}", line(&buf, 5));
        assert_eq!(buf[(1, 5)].fg, Color::Yellow);
    }

    #[test]
    fn marks_and_what_a_batch_made_of_each_row_show_in_words_and_colour() {
        use crate::model::{ErrorKind, ServiceError};
        use crate::scan::batch::{Event as B, Outcome as O};
        use crate::tui::state::batch::BatchRun;
        let mut pane = ScanPane::new("arn:aws:chime:us-east-1:1:app-instance/i");
        for id in ["e-a", "e-b", "e-c"] {
            pane.apply(Event::CannotReceive(Box::new(row(
                id,
                "INACTIVE",
                Some("INVALID_DEVICE_TOKEN"),
                "ALL",
            ))));
        }
        pane.apply(Event::Done(Ok(Outcome::Finished)));
        let t = Theme::colored();
        let area = Rect::new(0, 0, 90, 10);
        for (writable, offered) in [(true, true), (false, false)] {
            let mut buf = Buffer::empty(area);
            draw(&mut buf, area, &pane, &t, true, writable);
            assert_eq!(
                line(&buf, 5).contains("Space marks rows, D deregisters them"),
                offered,
                "{}",
                line(&buf, 5)
            );
        }
        pane.toggle_mark();
        pane.toggle_mark();
        let mut buf = Buffer::empty(area);
        let drawn = draw(&mut buf, area, &pane, &t, true, true);
        assert_eq!(drawn, vec![(6, 0), (7, 1), (8, 2)], "the list's screen rows, for clicks");
        assert!(line(&buf, 5).contains("Finished · 2 marked: D deregisters them"), "{}", line(&buf, 5));
        assert!(line(&buf, 1).contains("users 0 / ?") && !line(&buf, 1).contains("ETA"), "{}", line(&buf, 1));
        assert_eq!((buf[(1, 6)].symbol(), buf[(1, 7)].symbol(), buf[(1, 8)].symbol()), ("*", "*", " "));
        // A batch of the two marked rows: one deregistered, one refused, then done.
        let mut run = BatchRun::new(vec![0, 1], 10.0);
        run.apply(B::Item { index: 0, outcome: O::Deregistered(Box::default()) });
        pane.batch = Some(run.clone());
        let mut buf = Buffer::empty(area);
        draw(&mut buf, area, &pane, &t, true, true);
        assert!(
            line(&buf, 5).contains("Deregistered 1 of 2 · 1 to go") && line(&buf, 5).contains("Esc stops"),
            "{}",
            line(&buf, 5)
        );
        assert!(line(&buf, 6).contains("✓ deregistered"), "{}", line(&buf, 6));
        assert!(line(&buf, 7).contains("… queued"), "{}", line(&buf, 7));
        let x = line(&buf, 6).chars().position(|c| c == '✓').unwrap() as u16;
        assert_eq!(buf[(x, 6)].fg, Color::Green);
        run.apply(B::Item {
            index: 1,
            outcome: O::Failed(ServiceError::new(
                ErrorKind::Forbidden,
                "no",
                "DeregisterAppInstanceUserEndpoint",
            )),
        });
        run.apply(B::Done { stopped: false });
        pane.batch = Some(run);
        let mut buf = Buffer::empty(area);
        draw(&mut buf, area, &pane, &t, true, true);
        assert!(line(&buf, 5).contains("Batch: Deregistered 1 of 2 · 1 refused"), "{}", line(&buf, 5));
        assert_eq!(buf[(1, 5)].fg, Color::Red, "a refusal colours the batch's line");
        assert!(line(&buf, 7).contains("✗ refused: ForbiddenException"), "{}", line(&buf, 7));
        let x = line(&buf, 7).chars().position(|c| c == '✗').unwrap() as u16;
        assert_eq!(buf[(x, 7)].fg, Color::Red);
        assert!(
            !line(&buf, 8).contains('✓') && !line(&buf, 8).contains('…'),
            "not in the batch: {}",
            line(&buf, 8)
        );
    }
}
