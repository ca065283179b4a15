//! The detail pane: the endpoint's every field, grouped and explained, with a verdict on top
//! ("can it receive pushes?") and the doctor's findings under it (the Diagnosis group); or the
//! lookup in progress; or the error with its hint.
//! Long values wrap; when the pane is too short it scrolls with the field cursor, and the
//! border says there is more. Values are escaped: nothing from the service reaches the
//! terminal raw.

use crate::doctor::verdict::{self, Level};
use crate::doctor::{Finding, Severity};
use crate::jobs::worker::Query;
use crate::model::ServiceError;
use crate::model::time::relative_time;
use crate::model::{self, AllowMessages, Endpoint, EndpointStatus, Timestamp};
use crate::tui::state::{App, Detail, FIELDS, FieldId, Focus};
use crate::tui::text::{esc, wrap};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// Label column: a space, the label, padding.
const LABEL_WIDTH: usize = 15;
use crate::tui::text::MASK;

/// A block of lines; `field` is the index into FIELDS when the block is a field, `finding`
/// the index into the Diagnosis group's findings when it is one.
struct Row {
    field: Option<usize>,
    finding: Option<usize>,
    lines: Vec<Line<'static>>,
    /// Kept at the top of the pane when the rest scrolls (the verdict).
    pin: bool,
}

fn text_row(segs: Vec<(String, Style)>, width: usize) -> Row {
    Row { field: None, finding: None, lines: wrap(&segs, width), pin: false }
}

/// A label and its value, the value wrapped in its column (or under the label when narrow).
fn labelled(label: &str, segs: &[(String, Style)], width: usize, t: &Theme) -> Vec<Line<'static>> {
    if width >= LABEL_WIDTH + 12 {
        let mut lines = wrap(segs, width - LABEL_WIDTH);
        for (i, line) in lines.iter_mut().enumerate() {
            let pad = if i == 0 {
                Span::styled(format!(" {:<w$}", label, w = LABEL_WIDTH - 1), t.label)
            } else {
                Span::raw(" ".repeat(LABEL_WIDTH))
            };
            line.spans.insert(0, pad);
        }
        lines
    } else {
        let mut lines = vec![Line::from(Span::styled(format!(" {label}"), t.label))];
        for mut line in wrap(segs, width.saturating_sub(3)) {
            line.spans.insert(0, Span::raw("   "));
            lines.push(line);
        }
        lines
    }
}

fn time_segments(ts: Option<Timestamp>, app: &App) -> Vec<(String, Style)> {
    let t = app.theme();
    let Some(ts) = ts else { return vec![("—".into(), t.missing)] };
    let j = ts.to_jiff();
    let mut segs = vec![(j.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(), t.value)];
    if app.tz().to_offset(j).seconds() != 0 {
        let z = j.to_zoned(app.tz().clone());
        let name = app.tz().iana_name().map(|n| format!(" {n}")).unwrap_or_default();
        segs.push((format!(" · local {}{name}", z.strftime("%Y-%m-%d %H:%M:%S %:z")), t.dim));
    }
    if app.wall() != jiff::Timestamp::UNIX_EPOCH {
        segs.push((
            format!(" · {}", relative_time(ts, crate::tui::state::recent::timestamp(app.wall()))),
            t.dim,
        ));
    }
    segs
}

/// Whether keys of the panes (r, s, y, …) work with the focus where it is: in an input they
/// type. Hints about them are shown only then (a hint on screen is true for the focus).
pub fn pane_keys_work(app: &App) -> bool {
    !app.focus().is_input() && !app.recent_filter_editing() && !app.list_filter_editing()
}

fn secret_segments(v: Option<&str>, show: bool, app: &App) -> Vec<(String, Style)> {
    let t = app.theme();
    match v {
        None => vec![("—".into(), t.missing)],
        Some(s) => {
            let n = s.chars().count();
            if show {
                vec![(esc(s), t.value), (format!("  ({n} chars)"), t.dim)]
            } else if pane_keys_work(app) {
                vec![(MASK.into(), t.secret), (format!(" {n} chars · s shows"), t.dim)]
            } else {
                vec![(MASK.into(), t.secret), (format!(" {n} chars"), t.dim)]
            }
        }
    }
}

fn plain(v: Option<&str>, t: &Theme) -> Vec<(String, Style)> {
    match v {
        Some(s) if !s.is_empty() => vec![(esc(s), t.value)],
        Some(_) => vec![("(empty)".into(), t.missing)],
        None => vec![("—".into(), t.missing)],
    }
}

fn field_segments(id: FieldId, e: &Endpoint, app: &App) -> Vec<(String, Style)> {
    let t = app.theme();
    match id {
        FieldId::Status => match &e.state {
            None => vec![("—".into(), t.missing)],
            Some(s) => match &s.status {
                // ACTIVE but AllowMessages NONE: working, and delivering nothing (the verdict
                // says the same).
                // The state, not the outcome: the verdict above says whether pushes arrive.
                EndpointStatus::Active => vec![
                    (format!("● {}", s.status), t.status_ok),
                    (format!(": {}", verdict::state_meaning(&s.status)), t.dim),
                ],
                EndpointStatus::Inactive => vec![
                    (format!("● {}", s.status), t.status_bad),
                    (format!(": {}", verdict::state_meaning(&s.status)), t.status_bad),
                ],
                EndpointStatus::Unknown(v) => {
                    vec![
                        (format!("● {}", esc(v)), t.status_unknown),
                        (" (a status chimescope does not know)".into(), t.dim),
                    ]
                }
            },
        },
        FieldId::Reason => match e.state.as_ref().and_then(|s| s.reason.as_ref()) {
            None => vec![("—".into(), t.missing)],
            Some(r) => vec![(esc(r.as_str()), t.status_bad), (format!(": {}", r.explain()), t.status_bad)],
        },
        FieldId::Messages => match &e.allow_messages {
            None => vec![("—".into(), t.missing)],
            Some(a @ AllowMessages::None) => {
                vec![(format!("{a}"), t.status_warn), (format!(" {}", a.explain()), t.status_warn)]
            }
            Some(a) => vec![(esc(a.as_str()), t.value), (format!(" {}", a.explain()), t.dim)],
        },
        FieldId::Type => match &e.endpoint_type {
            None => vec![("—".into(), t.missing)],
            Some(ty) => vec![(esc(ty.as_str()), t.value), (format!(" {}", ty.meaning()), t.dim)],
        },
        // A result from history written without secrets (the default) has no DeviceToken,
        // which every real endpoint has: say the secrets were not stored, not that they are absent.
        FieldId::Name | FieldId::DeviceToken | FieldId::VoipToken
            if e.device_token.is_none() && app.from_history().is_some() =>
        {
            let r = if pane_keys_work(app) { " · r refreshes" } else { "" };
            vec![("not stored".into(), t.missing), (format!(" (history.store_secrets = false){r}"), t.dim)]
        }
        FieldId::Name => secret_segments(e.name.as_deref(), app.show_secrets(), app),
        FieldId::DeviceToken => secret_segments(e.device_token.as_deref(), app.show_secrets(), app),
        FieldId::VoipToken => secret_segments(e.voip_device_token.as_deref(), app.show_secrets(), app),
        FieldId::Created => time_segments(e.created, app),
        FieldId::Updated => time_segments(e.last_updated, app),
        other => plain(other.raw(e).as_deref(), t),
    }
}

fn severity_style(s: Severity, t: &Theme) -> Style {
    match s {
        Severity::Error => t.status_bad,
        Severity::Warning => t.status_warn,
        Severity::Info => t.status_unknown,
    }
}

fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✘",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    }
}

/// The verdict line: the one verdict every mode gives ([`crate::doctor::verdict`]), in the
/// style of how it reads.
fn verdict(app: &App, t: &Theme) -> Vec<(String, Style)> {
    match app.verdict() {
        Some(v) => vec![(esc(&v.text), level_style(v.level, t))],
        None => vec![],
    }
}

/// The style of a verdict's level: green only when everything that decides it was checked.
pub fn level_style(l: Level, t: &Theme) -> Style {
    match l {
        Level::Ok => t.status_ok,
        Level::Unchecked => t.value,
        Level::OptedOut | Level::Warning => t.status_warn,
        Level::Unknown => t.status_unknown,
        Level::Error => t.status_bad,
    }
}

/// The Diagnosis group: each finding, errors first, its code and message in the severity's
/// style, its evidence (masked) dim beneath, and under the cursor its fix too (`y` copies
/// all three). Last, dim, what the Pinpoint checks are doing ("checking Pinpoint…"), no
/// cursor stop.
fn diagnosis_rows(findings: &[Finding], app: &App, width: usize) -> Vec<Row> {
    let t = app.theme();
    let notes: Vec<String> = [app.pinpoint_note(), app.user_check_note()].into_iter().flatten().collect();
    if findings.is_empty() && notes.is_empty() {
        return vec![];
    }
    let mut rows = vec![text_row(vec![("Diagnosis".to_string(), t.group)], width)];
    let indent = |lines: Vec<Line<'static>>, first: &str| {
        lines
            .into_iter()
            .enumerate()
            .map(|(i, mut l)| {
                l.spans.insert(0, Span::raw(if i == 0 { first.to_string() } else { "   ".to_string() }));
                l
            })
            .collect::<Vec<_>>()
    };
    let inner = width.saturating_sub(3).max(1);
    for (i, f) in findings.iter().enumerate() {
        let style = severity_style(f.severity, t);
        let mut lines = indent(
            wrap(
                &[
                    (format!("{} {}", f.severity.as_str(), f.code), style),
                    (format!(": {}", esc(&f.message)), t.value),
                ],
                inner,
            ),
            &format!(" {} ", severity_icon(f.severity)),
        );
        lines.extend(indent(wrap(&[(format!("evidence: {}", esc(&f.evidence)), t.dim)], inner), "   "));
        if app.selected_finding() == Some(i) {
            lines.extend(indent(wrap(&[(format!("fix: {}", esc(&f.fix)), t.dim)], inner), "   "));
            if !app.readonly() && f.code.reregister() {
                lines.extend(indent(wrap(&[(reregister_offer(f.code).to_string(), t.key)], inner), "   "));
            }
        }
        // The icon in the severity's style too.
        if let Some(icon) = lines.first_mut().and_then(|l| l.spans.first_mut()) {
            icon.style = style;
        }
        rows.push(Row { field: None, finding: Some(i), lines, pin: false });
    }
    for note in notes {
        rows.push(Row { lines: indent(wrap(&[(note, t.dim)], inner), "   "), ..text_row(vec![], width) });
    }
    rows
}

fn endpoint_rows(e: &Endpoint, app: &App, width: usize) -> Vec<Row> {
    let t = app.theme();
    let findings = app.diagnosis();
    let mut verdict = verdict(app, t);
    if let Some(v) = app.from_history() {
        // A stored answer: the verdict is what it was then, never an unqualified "now".
        let when = match v.result_time {
            Some(rt) => {
                crate::model::time::relative_time(rt, crate::tui::state::recent::timestamp(app.wall()))
            }
            None => "an earlier lookup".into(),
        };
        verdict.insert(0, (format!("As of {when}: "), t.status_warn));
    }
    let mut rows = vec![Row { pin: true, ..text_row(verdict, width) }];
    rows.extend(diagnosis_rows(&findings, app, width));
    let changes = app.changed_fields();
    let mut group = None;
    for (i, id) in FIELDS.iter().enumerate() {
        if group != Some(id.group()) {
            group = Some(id.group());
            rows.push(text_row(vec![(id.group().title().to_string(), t.group)], width));
        }
        let change = changes
            .and_then(|c| c.fields.iter().find(|f| crate::tui::state::recent::field_id(f.field) == *id));
        let mut segs = field_segments(*id, e, app);
        if let Some(c) = change {
            // What it was (never a secret's value).
            let was = if c.field.is_secret() {
                " · changed".to_string()
            } else {
                format!(" · was {}", c.before.as_deref().map(esc).unwrap_or_else(|| "—".into()))
            };
            segs.push((was, t.changed));
        }
        let mut lines = labelled(id.label(), &segs, width, t);
        if change.is_some()
            && let Some(label) = lines.first_mut().and_then(|l| l.spans.first_mut())
        {
            // A marker in the label column's leading space, and the label in the changed style.
            let rest = label.content.strip_prefix(' ').unwrap_or(&label.content).to_string();
            label.content = format!("◆{rest}").into();
            label.style = t.changed;
        }
        rows.push(Row { field: Some(i), finding: None, lines, pin: false });
    }
    rows.extend(trace_rows(app, width));
    rows
}

/// The path of one push, gate by gate (`state::trace`): ✓ passed, ✗ stopped with why, ○ not
/// checked with what checks it.
fn trace_rows(app: &App, width: usize) -> Vec<Row> {
    use crate::tui::state::trace::Mark;
    let Some(trace) = app.push_trace() else { return vec![] };
    let t = app.theme();
    let mut rows = vec![text_row(vec![("Path of a push".to_string(), t.group)], width)];
    for (gate, mark) in trace {
        let segs = match &mark {
            Mark::Pass(w) => vec![("✓ ".to_string(), t.status_ok), (esc(w), t.value)],
            Mark::Fail(w) => vec![("✗ ".to_string(), t.status_bad), (esc(w), t.status_bad)],
            Mark::NotChecked(how) => {
                vec![("○ not checked".to_string(), t.status_unknown), (format!(": {}", esc(how)), t.dim)]
            }
        };
        rows.push(Row { lines: labelled(gate.label(), &segs, width, t), ..text_row(vec![], width) });
    }
    rows
}

mod messages;
use messages::{empty_rows, error_rows, format_elapsed, history_rows, loading_rows, query_name};

fn rows(app: &App, width: usize) -> Vec<Row> {
    let mut rows = history_rows(app, width);
    rows.extend(rows_of_detail(app, width));
    rows
}

fn rows_of_detail(app: &App, width: usize) -> Vec<Row> {
    match app.detail() {
        Detail::Empty => empty_rows(app, width),
        Detail::Loading { query, region, started, .. } => loading_rows(app, query, region, *started, width),
        Detail::Endpoint { endpoint, .. } => endpoint_rows(endpoint, app, width),
        Detail::Error { error, region, elapsed, .. } => error_rows(app, error, region, *elapsed, width),
    }
}

fn inner_of(area: Rect) -> Rect {
    Rect::new(area.x + 1, area.y + 1, area.width.saturating_sub(2), area.height.saturating_sub(2))
}

/// Whether the row is the one under the cursor: the finding, or else the field.
fn is_selected(r: &Row, finding: Option<usize>, app: &App) -> bool {
    match finding {
        Some(_) => r.finding.is_some() && r.finding == finding,
        None => r.field == Some(app.field()),
    }
}

/// When an endpoint's rows do not fit, its verdict stays on top while the rest scrolls (if it
/// takes no more than half the pane): the lines to pin, and the rows left to scroll.
fn pin(rows: Vec<Row>, endpoint: bool, height: usize) -> (Vec<Line<'static>>, Vec<Row>) {
    let total: usize = rows.iter().map(|r| r.lines.len()).sum();
    let pinned: usize = rows.iter().filter(|r| r.pin).map(|r| r.lines.len()).sum();
    if !endpoint || total <= height || pinned == 0 || pinned * 2 > height {
        return (Vec::new(), rows);
    }
    let (pins, rest): (Vec<Row>, Vec<Row>) = rows.into_iter().partition(|r| r.pin);
    (pins.into_iter().flat_map(|r| r.lines).collect(), rest)
}

/// The first line to show: the selected field (or finding) in view, as high as it can be. On the
/// last field (`G`) the view goes on past it to the end, so that the trace under the fields can
/// be read on a short screen (the field stays in view).
fn scroll(rows: &[Row], app: &App, finding: Option<usize>, height: usize) -> usize {
    if app.endpoint().is_none() {
        return 0;
    }
    let total: usize = rows.iter().map(|r| r.lines.len()).sum();
    let mut start = 0;
    for (i, r) in rows.iter().enumerate() {
        let end = start + r.lines.len();
        if is_selected(r, finding, app) {
            let last_stop = rows[i + 1..].iter().all(|r| r.field.is_none() && r.finding.is_none());
            if last_stop && total > height {
                return start.min(total - height);
            }
            return if end <= height { 0 } else { start.min(end - height) };
        }
        start = end;
    }
    0
}

fn title(app: &App) -> Line<'static> {
    let t = app.theme();
    let mut spans = vec![Span::styled(" ", t.title)];
    match app.detail() {
        Detail::Empty => spans.push(Span::styled("Endpoint", t.title)),
        Detail::Loading { query, .. } => {
            spans.push(Span::styled(format!("Endpoint {}", query_name(query)), t.title))
        }
        Detail::Endpoint { endpoint, .. } => {
            let id = endpoint.endpoint_id.as_deref().map(esc).unwrap_or_else(|| "—".into());
            spans.push(Span::styled(format!("Endpoint {id}"), t.title));
            if app.from_history().is_some() {
                spans.push(Span::styled(" · from history", t.status_warn));
            }
            if app.show_secrets() {
                spans.push(Span::styled(" · secrets shown", t.status_warn));
            }
        }
        Detail::Error { query, .. } => {
            spans.push(Span::styled(format!("Endpoint {}", query_name(query)), t.title));
            spans.push(Span::styled(" · failed", t.status_bad));
            if app.from_history().is_some() {
                spans.push(Span::styled(" · from history", t.status_warn));
            }
        }
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

fn right_title(app: &App) -> Option<Line<'static>> {
    match app.detail() {
        Detail::Endpoint { region, .. } if app.from_history().is_some() => {
            Some(Line::from(Span::styled(format!(" {} ", esc(region)), app.theme().dim)))
        }
        Detail::Endpoint { region, elapsed, .. } => Some(Line::from(Span::styled(
            format!(" {} · {} ", esc(region), format_elapsed(*elapsed)),
            app.theme().dim,
        ))),
        _ => None,
    }
}

/// When the screen is too narrow for the Recent pane beside this one: that it exists, and how
/// to get to it.
pub fn recent_hint(app: &App) -> Option<String> {
    if !app.has_recent() || app.focus() == Focus::Recent {
        return None;
    }
    let areas = super::areas(app.screen(), app)?;
    if areas.recent.is_some() {
        return None;
    }
    let n = app.recent().history().len();
    Some(format!(" Recent lookups ({n}): Tab to them "))
}

/// The screen rows of the detail pane that show a field (row, index into `FIELDS`) and a
/// finding (row, index into the Diagnosis group), for clicks.
#[derive(Default)]
pub struct DrawnRows {
    pub fields: Vec<(u16, usize)>,
    pub findings: Vec<(u16, usize)>,
}

/// Draw the pane; returns the screen rows that show a field or a finding, for clicks.
pub fn draw(buf: &mut Buffer, area: Rect, app: &App) -> DrawnRows {
    let mut drawn = DrawnRows::default();
    let finding = app.selected_finding();
    let t = app.theme();
    let inner = inner_of(area);
    let rows = if inner.width > 0 { rows(app, inner.width as usize) } else { Vec::new() };
    let (pinned, rows) = pin(rows, app.endpoint().is_some(), inner.height as usize);
    let total: usize = rows.iter().map(|r| r.lines.len()).sum();
    let height = (inner.height as usize).saturating_sub(pinned.len());
    let offset = scroll(&rows, app, finding, height);
    let focused = app.focus() == Focus::Detail;
    let mut block =
        Block::bordered().border_style(if focused { t.focus_border } else { t.border }).title(title(app));
    if let Some(r) = right_title(app) {
        block = block.title(r.right_aligned());
    }
    if let Some(hint) = recent_hint(app) {
        block = block.title_bottom(Line::from(Span::styled(hint, t.dim)));
    }
    let below = total.saturating_sub(offset + height);
    if offset > 0 || below > 0 {
        let mut s = String::from(" ");
        if offset > 0 {
            s.push_str(&format!("▲ {offset} above "));
        }
        if below > 0 {
            s.push_str(&format!("▼ {below} more "));
        }
        s.push_str("(j/k) ");
        block = block.title_bottom(Line::from(Span::styled(s, t.dim)).right_aligned());
    }
    block.render(area, buf);
    if inner.width == 0 || inner.height == 0 {
        return drawn;
    }
    let mut y = inner.y;
    for line in &pinned {
        buf.set_line(inner.x, y, line, inner.width);
        y += 1;
    }
    let mut line_no = 0usize;
    for r in &rows {
        let selected = app.endpoint().is_some() && is_selected(r, finding, app) && focused;
        for line in &r.lines {
            if line_no >= offset && y < inner.bottom() {
                buf.set_line(inner.x, y, line, inner.width);
                if let Some(field) = r.field {
                    drawn.fields.push((y, field));
                }
                if let Some(i) = r.finding {
                    drawn.findings.push((y, i));
                }
                if selected {
                    t.select(buf, Rect::new(inner.x, y, inner.width, 1), true);
                }
                y += 1;
            }
            line_no += 1;
        }
        if y >= inner.bottom() {
            break;
        }
    }
    drawn
}

/// What `R` does for a finding whose fix is a new registration. Where the token may be good and
/// only the Resource ARN wrong, R (which registers first and refuses this endpoint's own token)
/// needs a new token; keeping the token takes the other order, which the offer names.
fn reregister_offer(code: crate::doctor::Code) -> &'static str {
    use crate::doctor::Code;
    match code {
        Code::InactivePinpointArn | Code::PinpointAppMissing => {
            "R does it here with a new token (the register form, prefilled from this record); to keep \
             this token, D deregisters this endpoint first (Recent keeps its record), then n \
             registers it with the new Resource ARN"
        }
        _ => "R does it here: the register form, prefilled from this record",
    }
}
