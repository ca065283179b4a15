//! The writes' dialogs over the screen: a confirmation (what will change, the equivalent AWS
//! CLI command, the typed endpoint ID and the buttons, the service's refusal explained in
//! place) and the edit / register forms (each field with what is wrong with it, as typed).

use super::lookup::draw_input;
use crate::model::{self, ServiceError};
use crate::tui::state::App;
use crate::tui::state::form::{FieldKind, Form, FormKind, Value};
use crate::tui::state::write::{Confirm, ConfirmFocus, ConfirmKind, PushFix, PushShown};
use crate::tui::text::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

const LABEL: usize = 15;

/// A line of the dialog, or a text input to draw there.
enum Part {
    Line(Line<'static>),
    /// A text input: (label, index into the form's fields, or None for the typed ID).
    Input(&'static str, Option<usize>),
}

fn lines(parts: &mut Vec<Part>, segs: &[(String, Style)], width: usize) {
    parts.extend(wrap(segs, width).into_iter().map(Part::Line));
}

fn error_parts(parts: &mut Vec<Part>, e: &ServiceError, app: &App, width: usize) {
    let t = app.theme();
    let esc = |s: &str| model::escape_control(s).into_owned();
    let status = e.http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
    lines(parts, &[(format!("✘ {}{status}: {}", esc(&e.exception), esc(&e.message)), t.status_bad)], width);
    lines(parts, &[(format!("  {}", esc(&e.hint)), t.value)], width);
    lines(parts, &[("  Nothing was changed.".to_string(), t.dim)], width);
}

fn confirm_parts(c: &Confirm, app: &App, width: usize) -> Vec<Part> {
    let t = app.theme();
    let mut parts = Vec::new();
    for l in &c.lines {
        lines(&mut parts, &[(l.clone(), t.value)], width);
    }
    if let ConfirmKind::Typed { .. } = c.kind {
        parts.push(Part::Input("Endpoint ID", None));
    }
    parts.push(Part::Line(Line::default()));
    // A test push answered: the answer and what the keys do now come first (a short screen
    // cuts the dialog's end), then the command that was sent.
    if let Some(shown) = &c.pushed {
        push_answer_parts(&mut parts, shown, app, width);
        if let Some(r) = &c.refused {
            lines(&mut parts, &[(r.clone(), t.dim)], width);
        }
        parts.push(Part::Line(Line::default()));
        lines(&mut parts, &[("Sent with the AWS CLI's equivalent (c copies it):".into(), t.dim)], width);
        lines(&mut parts, &[(model::escape_control(&c.cli_shown).into_owned(), t.key)], width);
        return parts;
    }
    let what = if c.then_cli_shown.is_some() {
        "The same with the AWS CLI, in this order (c copies them):"
    } else {
        "The same with the AWS CLI (c copies it):"
    };
    lines(&mut parts, &[(what.into(), t.dim)], width);
    // A re-registration's second command on its own line; each escaped for the terminal.
    for cmd in std::iter::once(&c.cli_shown).chain(c.then_cli_shown.as_ref()) {
        lines(&mut parts, &[(model::escape_control(cmd).into_owned(), t.key)], width);
    }
    parts.push(Part::Line(Line::default()));
    if let Some(e) = &c.error {
        error_parts(&mut parts, e, app, width);
        parts.push(Part::Line(Line::default()));
    }
    if let Some(r) = &c.refused {
        lines(&mut parts, &[(format!("✘ {r}"), t.status_bad)], width);
    }
    if let Some(p) = &app.writes().pending {
        let frame = crate::tui::text::spinner_frame(app.now().saturating_duration_since(p.started));
        lines(
            &mut parts,
            &[(
                format!(
                    "{frame} Sending {}… Esc stops waiting (it may still be applied)",
                    p.write.operation()
                ),
                t.spinner,
            )],
            width,
        );
        return parts;
    }
    let verb = c.verb;
    let keys = match &c.kind {
        ConfirmKind::Typed { want, input } => {
            let matched = input.value() == want;
            let button = |label: &str, focused: bool, style: Style| {
                let s = if focused { style.patch(t.selected) } else { style };
                Span::styled(format!("[ {label} ]"), s)
            };
            let apply_style = if matched { t.status_bad } else { t.dim };
            let mut spans = vec![
                button("Cancel", c.focus == ConfirmFocus::Cancel, t.value),
                Span::raw("  "),
                button(&capitalised(verb), c.focus == ConfirmFocus::Apply, apply_style),
            ];
            if !matched {
                spans.push(Span::styled("  (type the ID first)", t.dim));
            }
            parts.push(Part::Line(Line::from(spans)));
            "Tab moves · Enter presses (Cancel is the default) · Esc cancels".to_string()
        }
        // Pinpoint refused it (nothing was sent): y asks again.
        _ if c.write.is_push() && c.error.is_some() => {
            format!("y {verb}s again · s silent/alert · Esc or n cancels · c copies the command")
        }
        _ if c.write.is_push() => {
            format!("y {verb}s · s silent/alert · Esc or n cancels · c copies the command")
        }
        _ => format!("y {verb} · Esc or n cancels · c copies the command"),
    };
    lines(&mut parts, &[(keys, t.dim)], width);
    parts
}

/// A test push's answer: its status, in words, and the fix offered.
fn push_answer_parts(parts: &mut Vec<Part>, shown: &PushShown, app: &App, width: usize) {
    let t = app.theme();
    let (mark, style) = if shown.result.successful() { ("✔", t.status_ok) } else { ("✘", t.status_bad) };
    lines(parts, &[(format!("{mark} {}", shown.status()), style)], width);
    lines(parts, &[(format!("  {}", model::escape_control(&shown.words)), t.value)], width);
    parts.push(Part::Line(Line::default()));
    let keys = match shown.fix {
        Some(PushFix::Reregister) => {
            "R registers the new token (a form; then deregisters this endpoint) · D deregisters · Esc closes · c copies the command"
        }
        Some(PushFix::Deregister) => {
            "D deregisters this endpoint (the fix; type its ID) · Esc closes · c copies the command"
        }
        None => "Esc closes (then t sends another) · c copies the command",
    };
    let style = if shown.fix.is_some() { t.key } else { t.dim };
    lines(parts, &[(keys.to_string(), style)], width);
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn form_parts(form: &Form, app: &App, width: usize) -> Vec<Part> {
    let t = app.theme();
    let mut parts = Vec::new();
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        match &f.value {
            Value::Choice { options, selected } => {
                let mut spans = vec![Span::styled(
                    format!("{:<LABEL$}", f.label),
                    if focused { t.selected } else { t.label },
                )];
                for (j, o) in options.iter().enumerate() {
                    let s = if j == *selected { if focused { t.selected } else { t.input } } else { t.dim };
                    let mark = if j == *selected { "●" } else { "○" };
                    spans.push(Span::styled(format!("{mark} {o}"), s));
                    spans.push(Span::raw("  "));
                }
                parts.push(Part::Line(Line::from(spans)));
            }
            Value::Text(_) => parts.push(Part::Input(f.label, Some(i))),
        }
        if let Some(e) = &f.error {
            let shown = f.touched || !f.text_value().is_empty() || !f.optional;
            if shown {
                lines(&mut parts, &[(format!("{:LABEL$}✘ {e}", ""), t.status_bad)], width);
            }
        }
        if let Some(n) = &f.note {
            lines(&mut parts, &[(format!("{:LABEL$}{n}", ""), t.dim)], width);
        }
    }
    // What the doctor would say of the endpoint registered (as typed).
    let findings = form.findings();
    if !findings.is_empty() {
        parts.push(Part::Line(Line::default()));
    }
    for fd in &findings {
        let (mark, style) = match fd.severity {
            crate::doctor::Severity::Error => ("✘", t.status_bad),
            crate::doctor::Severity::Warning => ("⚠", t.status_warn),
            crate::doctor::Severity::Info => ("ℹ", t.dim),
        };
        lines(
            &mut parts,
            &[(format!("{mark} {}: {}", fd.code, crate::model::escape_control(&fd.message)), style)],
            width,
        );
        lines(&mut parts, &[(format!("  {}", crate::model::escape_control(&fd.fix)), t.dim)], width);
    }
    parts.push(Part::Line(Line::default()));
    if let Some(e) = &form.failure {
        error_parts(&mut parts, e, app, width);
        parts.push(Part::Line(Line::default()));
    }
    if let Some(m) = &form.message {
        lines(&mut parts, &[(format!("✘ {m}"), t.status_bad)], width);
    }
    let ready = if form.is_valid() { t.status_ok } else { t.dim };
    lines(
        &mut parts,
        &[
            ("Tab/↑/↓ field · ←/→ or a letter chooses · ".to_string(), t.dim),
            ("Enter reviews".to_string(), ready),
            (" · Esc cancels".to_string(), t.dim),
        ],
        width,
    );
    parts
}

/// Draw the open dialog or form, if any, centred over the screen.
pub fn draw(f: &mut Frame, screen: Rect, app: &App) {
    let w = app.writes();
    if let Some(b) = &w.batch {
        return super::batch::draw(f, screen, app, b);
    }
    let (title, parts, form) = if let Some(c) = &w.confirm {
        let width = dialog_width(screen).saturating_sub(4) as usize;
        (c.title.clone(), confirm_parts(c, app, width), None)
    } else if let Some(form) = &w.form {
        let width = dialog_width(screen).saturating_sub(4) as usize;
        (form.title(), form_parts(form, app, width), Some(form))
    } else {
        return;
    };
    let t = app.theme();
    let width = dialog_width(screen);
    let height = (parts.len() as u16 + 2).min(screen.height);
    let area = super::centred(screen, width, height);
    Clear.render(area, f.buffer_mut());
    let border = if w.confirm.as_ref().is_some_and(|c| c.verb == "deregister") {
        t.status_bad
    } else {
        t.focus_border
    };
    let block = Block::bordered()
        .border_style(border)
        .title(Span::styled(format!(" {} ", model::escape_control(&title)), t.title));
    let inner = block.inner(area);
    block.render(area, f.buffer_mut());
    let inner = Rect { x: inner.x + 1, width: inner.width.saturating_sub(2), ..inner };
    let mut cursor = None;
    for (i, part) in parts.iter().enumerate().take(inner.height as usize) {
        let y = inner.y + i as u16;
        match part {
            Part::Line(l) => {
                f.buffer_mut().set_line(inner.x, y, l, inner.width);
            }
            Part::Input(label, field) => {
                let focused = match (field, &w.confirm) {
                    (None, Some(c)) => c.focus == ConfirmFocus::Input,
                    (Some(i), _) => form.is_some_and(|f| f.focus == *i) && w.confirm.is_none(),
                    _ => false,
                };
                let style = if focused { t.selected } else { t.label };
                f.buffer_mut().set_stringn(inner.x, y, format!("{label:<LABEL$}"), LABEL, style);
                let rect = Rect {
                    x: inner.x + LABEL as u16,
                    y,
                    width: inner.width.saturating_sub(LABEL as u16),
                    height: 1,
                };
                let c = match (field, &w.confirm, form) {
                    (None, Some(c), _) => match &c.kind {
                        ConfirmKind::Typed { input, .. } => {
                            draw_input(f, rect, input, "the endpoint ID", focused, app)
                        }
                        _ => None,
                    },
                    (Some(i), _, Some(form)) => {
                        let fld = &form.fields[*i];
                        match &fld.value {
                            Value::Text(input)
                                if fld.secret && !app.show_secrets() && !input.value().is_empty() =>
                            {
                                let n = input.value().chars().count();
                                let text = format!("{} ({n} chars, s shows)", "•".repeat(n.min(12)));
                                f.buffer_mut().set_stringn(rect.x, y, &text, rect.width as usize, t.secret);
                                focused
                                    .then_some(rect.x + (n.min(12) as u16).min(rect.width.saturating_sub(1)))
                            }
                            Value::Text(input) => {
                                let hint = match (&form.kind, fld.kind) {
                                    (FormKind::Edit { name: Some(n), .. }, FieldKind::Name)
                                        if !n.is_empty() =>
                                    {
                                        if app.show_secrets() {
                                            format!("unchanged: \"{}\"", model::escape_control(n))
                                        } else {
                                            format!(
                                                "unchanged (now {} chars; s before e shows it)",
                                                n.chars().count()
                                            )
                                        }
                                    }
                                    _ if fld.optional => "(optional)".to_string(),
                                    _ => String::new(),
                                };
                                draw_input(f, rect, input, &hint, focused, app)
                            }
                            Value::Choice { .. } => None,
                        }
                    }
                    _ => None,
                };
                if let Some(x) = c {
                    cursor = Some((x, y));
                }
            }
        }
    }
    if let Some((x, y)) = cursor {
        f.set_cursor_position((x, y));
    }
}

fn dialog_width(screen: Rect) -> u16 {
    screen.width.saturating_sub(4).clamp(20, 84)
}
