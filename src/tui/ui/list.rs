//! The list pane (browsing app instances → users → endpoints) and the endpoint-ID
//! completion dropdown.
//!
//! Only the rows on screen are drawn, straight into the buffer: the cost of a frame does not
//! grow with what is loaded. Column widths come from every loaded row (kept as pages arrive),
//! so columns do not move while scrolling. Values are escaped; an endpoint's Name is masked
//! like the detail pane's unless secrets are shown.

use crate::model::{self, AllowMessages, EndpointStatus, EndpointSummary};
use crate::tui::state::list::{ListView, Rows, scrolled, user_id};
use crate::tui::state::{App, Focus};
use crate::tui::text::{str_width, truncate, wrap};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

use crate::tui::text::MASK;
/// The dropdown's status column: "INACTIVE", "ACTIVE no msgs".
const STATUS_W: usize = 14;
/// Rows in the completion dropdown.
const DROPDOWN_ROWS: usize = 6;
const DROPDOWN_WIDTH: u16 = 48;

fn spinner(app: &App, view: &ListView) -> &'static str {
    let started = view.loading.map(|(_, t)| t).unwrap_or(app.now());
    crate::tui::text::spinner_frame(app.now().saturating_duration_since(started))
}

/// What each level is called in the title: the row it was opened from, when known.
fn crumb(app: &App, level: usize) -> String {
    let stack = &app.browse().stack;
    let view = &stack[level];
    let parent = level.checked_sub(1).map(|p| &stack[p]);
    let from_parent = parent.and_then(|p| {
        let i = p.selected()?;
        (p.rows.key(i) == Some(view.arn())).then_some(())?;
        match &p.rows {
            Rows::Instances(r) => r[i].name.clone(),
            Rows::Users(r) => r[i].name.clone(),
            Rows::Endpoints(_) => None,
        }
    });
    match &view.rows {
        Rows::Instances(_) => "App instances".into(),
        Rows::Users(_) => {
            let id = model::parse_chime_arn("ARN", view.arn()).map(|p| p.app_instance_id().to_string());
            model::escape_control(&from_parent.or(id.ok()).unwrap_or_default()).into_owned()
        }
        Rows::Endpoints(_) => {
            let id = user_id(Some(view.arn())).unwrap_or_default();
            match from_parent {
                Some(name) => format!("{} ({})", model::escape_control(&name), model::escape_control(id)),
                None => model::escape_control(id).into_owned(),
            }
        }
    }
}

/// The left title for a pane `width` wide whose right title is `right` columns: it is cut
/// (with an ellipsis) so that at least one border cell separates the two.
fn title(app: &App, view: &ListView, width: usize, right: usize) -> Line<'static> {
    let t = app.theme();
    let n = app.browse().stack.len();
    let what = match &view.rows {
        Rows::Instances(_) => "",
        Rows::Users(_) => "Users of ",
        Rows::Endpoints(_) => "Endpoints of ",
    };
    let path: Vec<String> = (0..n).map(|i| crumb(app, i)).collect();
    let here = path.last().cloned().unwrap_or_default();
    let above = path[..n.saturating_sub(1)].join(" › ");
    let main = format!("{what}{here}");
    // The columns between the corners, less the right title and the border cell before it,
    // less the spaces around this title.
    let avail = width.saturating_sub(2 + right + 1 + 2);
    let mut spans = vec![Span::raw(" ")];
    if !above.is_empty() {
        let room = width
            .saturating_sub(str_width(what) + str_width(&here) + 24)
            .min(avail.saturating_sub(str_width(&main) + 3));
        if room > 4 {
            spans.push(Span::styled(format!("{} › ", truncate(&above, room)), t.dim));
        }
    }
    spans.push(Span::styled(truncate(&main, avail), t.title));
    spans.push(Span::raw(" "));
    Line::from(spans)
}

fn right_title(app: &App, view: &ListView) -> Line<'static> {
    let t = app.theme();
    let mut spans = Vec::new();
    if view.loading.is_some() {
        spans.push(Span::styled(format!(" {}", spinner(app, view)), t.spinner));
    }
    let style = if view.error.is_some() && view.rows.is_empty() { t.status_bad } else { t.dim };
    spans.push(Span::styled(format!(" {} ", view.status()), style));
    // The order, when not as loaded (`<` / `>`).
    if let Some(sort) = view.sort_label(app.show_secrets()) {
        spans.push(Span::styled(format!("· {sort} ▼ "), t.key));
    }
    Line::from(spans)
}

/// The widest key (ID) shown whole: an endpoint ID or user ID has at most 64 characters.
const KEY_MAX: usize = 64;
/// What the last column keeps at least before the key column gives up room.
const LAST_MIN: u16 = 8;

/// Column widths for a pane `width` wide: the prefix (cursor mark, dot), then each column.
/// The key column (endpoint ID, user ID, instance ID) is as wide as its widest value while
/// there is room for the others beside it; only on a narrow pane is it cut. Every level has
/// one set of columns whatever is loaded (an empty endpoint list has its REASON header too).
fn columns(view: &ListView, width: u16) -> (u16, Vec<(&'static str, u16)>) {
    let w = view.widths;
    let c = |v: usize, lo: usize, hi: usize| v.clamp(lo, hi) as u16;
    let (prefix, key, mut cols) = match &view.rows {
        Rows::Endpoints(_) => (
            4,
            0,
            vec![
                ("ID", c(w[0], 2, KEY_MAX)),
                ("STATUS", 8),
                ("REASON", c(w[1], 6, 22)),
                ("TYPE", c(w[2], 4, 12)),
                ("MSGS", 4),
                (super::marker::HEADER, super::marker::WIDTH),
                ("NAME", u16::MAX),
            ],
        ),
        Rows::Users(_) => {
            (2, 1, vec![("NAME", c(w[0], 4, 32)), ("USER ID", c(w[1], 7, KEY_MAX)), ("METADATA", u16::MAX)])
        }
        Rows::Instances(_) => (
            2,
            2,
            vec![
                ("NAME", c(w[0], 4, 32)),
                ("REGION", c(w[1], 6, 14)),
                ("ID", c(w[2], 2, KEY_MAX)),
                ("METADATA", u16::MAX),
            ],
        ),
    };
    // Room for the key: the width less the prefix, the other fixed columns and their gaps,
    // and a little of the last column.
    let others: u16 = cols
        .iter()
        .enumerate()
        .filter(|(i, (_, cw))| *i != key && *cw != u16::MAX)
        .map(|(_, (_, cw))| cw + 2)
        .sum();
    let room = width.saturating_sub(prefix + others + 2 + LAST_MIN);
    let want = cols[key].1;
    cols[key].1 = want.min(room.max(want.min(12)));
    (prefix, cols)
}

/// Write `cells` at the column positions; the last column takes what is left.
fn put_cells(buf: &mut Buffer, area: Rect, y: u16, x0: u16, cols: &[(&str, u16)], cells: &[(String, Style)]) {
    let right = area.right();
    let mut x = x0;
    for ((_, w), (text, style)) in cols.iter().zip(cells) {
        if x >= right {
            break;
        }
        let room = (right - x).min(*w) as usize;
        let text = truncate(text, room);
        buf.set_stringn(x, y, &text, room, *style);
        x = x.saturating_add(*w).saturating_add(2);
    }
}

fn opt(v: Option<&str>, t: &Theme) -> (String, Style) {
    match v {
        Some(s) if !s.is_empty() => (model::escape_control(s).into_owned(), t.value),
        Some(_) => ("(empty)".into(), t.missing),
        None => ("—".into(), t.missing),
    }
}

/// The cells of an endpoint row after its dot.
fn endpoint_cells(e: &EndpointSummary, show: bool, t: &Theme) -> Vec<(String, Style)> {
    let mut cells = vec![opt(e.endpoint_id.as_deref(), t)];
    let (status, reason) = match &e.state {
        None => (("—".to_string(), t.missing), ("".to_string(), t.missing)),
        Some(s) => {
            let style = match s.status {
                EndpointStatus::Active => t.status_ok,
                EndpointStatus::Inactive => t.status_bad,
                EndpointStatus::Unknown(_) => t.status_unknown,
            };
            let reason =
                s.reason.as_ref().map(|r| model::escape_control(r.as_str()).into_owned()).unwrap_or_default();
            ((model::escape_control(s.status.as_str()).into_owned(), style), (reason, t.status_bad))
        }
    };
    cells.push(status);
    cells.push(reason);
    cells.push(match &e.endpoint_type {
        Some(ty) => (model::escape_control(ty.as_str()).into_owned(), t.value),
        None => ("—".into(), t.missing),
    });
    cells.push(match &e.allow_messages {
        Some(AllowMessages::None) => ("NONE".into(), t.status_warn),
        Some(a) => (model::escape_control(a.as_str()).into_owned(), t.value),
        None => ("—".into(), t.missing),
    });
    cells.push(super::marker::cell(e, t));
    cells.push(match (&e.name, show) {
        (None, _) => ("—".into(), t.missing),
        (Some(n), true) => (model::escape_control(n).into_owned(), t.value),
        (Some(_), false) => (MASK.into(), t.secret),
    });
    cells
}

fn region_of(arn: Option<&str>) -> Option<String> {
    model::parse_arn("ARN", arn?).ok().map(|a| a.region)
}

fn instance_id(arn: Option<&str>) -> Option<String> {
    model::parse_chime_arn("ARN", arn?).ok().map(|p| p.app_instance_id().to_string())
}

/// Draw the row `i` of `view` at `y`.
fn draw_row(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    view: &ListView,
    i: usize,
    cols: &[(&str, u16)],
    app: &App,
) {
    let t = app.theme();
    let (prefix, cells) = match &view.rows {
        Rows::Endpoints(r) => {
            let e = &r[i];
            buf.set_stringn(area.x + 2, y, "●", 1, t.health(e.health()));
            (4, endpoint_cells(e, app.show_secrets(), t))
        }
        Rows::Users(r) => {
            let u = &r[i];
            let id = user_id(u.app_instance_user_arn.as_deref());
            (2, vec![opt(u.name.as_deref(), t), opt(id, t), opt(u.metadata.as_deref(), t)])
        }
        Rows::Instances(r) => {
            let s = &r[i];
            let arn = s.app_instance_arn.as_deref();
            (
                2,
                vec![
                    opt(s.name.as_deref(), t),
                    opt(region_of(arn).as_deref(), t),
                    opt(instance_id(arn).as_deref(), t),
                    opt(s.metadata.as_deref(), t),
                ],
            )
        }
    };
    put_cells(buf, area, y, area.x + prefix, cols, &cells);
}

/// Draw the list pane.
pub fn draw(buf: &mut Buffer, area: Rect, app: &App) {
    let Some(view) = app.browse().top() else { return };
    let t = app.theme();
    let focused = app.focus() == Focus::List;
    let right = right_title(app, view);
    let mut block = Block::bordered()
        .border_style(if focused { t.focus_border } else { t.border })
        .title(title(app, view, area.width as usize, right.width()))
        .title(right.right_aligned());
    if let Some(hint) = super::detail::recent_hint(app) {
        block = block.title_bottom(Line::from(Span::styled(hint, t.dim)));
    }
    block.render(area, buf);
    let l = crate::tui::state::layout::list(area, view);
    if l.inner.width == 0 || l.inner.height == 0 {
        return;
    }
    let width = l.inner.width as usize;
    if let Some(f) = l.filter {
        let mut spans = vec![
            Span::styled("/", t.key),
            Span::styled(model::escape_control(view.filter.value()).into_owned(), t.input),
        ];
        if view.filter_open && focused {
            spans.push(Span::styled(" ", t.selected));
        }
        let n = view.visible().len();
        let tail = if view.filter_open { "  Enter keeps · Esc clears" } else { "  Esc clears" };
        spans.push(Span::styled(format!("  {n} of {} match{tail}", view.rows.len()), t.dim));
        buf.set_line(f.x, f.y, &Line::from(spans), f.width);
    }
    let (prefix, cols) = columns(view, l.inner.width);
    let mut x = l.header.x + prefix;
    for (name, w) in &cols {
        if x >= l.header.right() {
            break;
        }
        buf.set_stringn(x, l.header.y, name, (l.header.right() - x) as usize, t.label);
        x = x.saturating_add(*w).saturating_add(2);
    }
    let visible = view.visible();
    let height = l.rows.height as usize;
    if visible.is_empty() {
        empty(buf, l.rows, view, app);
    } else {
        let offset = scrolled(view.offset(), view.cursor(), height);
        for (k, &i) in visible.iter().enumerate().skip(offset).take(height) {
            let y = l.rows.y + (k - offset) as u16;
            let row = Rect { y, height: 1, ..l.rows };
            draw_row(buf, row, y, view, i, &cols, app);
            if k == view.cursor() {
                buf.set_stringn(row.x, y, "›", 1, if focused { t.focus_border } else { t.dim });
                t.select(buf, row, focused);
            }
        }
    }
    footer(buf, l.footer, view, app, width);
}

/// The rows area with nothing to list: loading, the error in place, or why it is empty.
fn empty(buf: &mut Buffer, area: Rect, view: &ListView, app: &App) {
    let t = app.theme();
    let noun = view.rows.noun(2);
    let segs: Vec<Vec<(String, Style)>> = if let Some(e) = &view.error {
        // The keys that work where the focus is.
        let keys = if app.focus() == Focus::List {
            vec![
                ("r".into(), t.key),
                (" tries again · ".into(), t.dim),
                ("Esc".into(), t.key),
                (" goes back".into(), t.dim),
            ]
        } else {
            vec![("Tab to the list, then r tries again".into(), t.dim)]
        };
        vec![
            vec![(format!("✘ {} ({})", model::escape_control(&e.exception), e.kind.label()), t.status_bad)],
            vec![(model::escape_control(&e.message).into_owned(), t.value)],
            vec![("Hint ".into(), t.label), (model::escape_control(&e.hint).into_owned(), t.value)],
            keys,
        ]
    } else if view.loading.is_some() || !view.complete && view.rows.is_empty() {
        vec![vec![(format!("{} Loading the {noun}…", spinner(app, view)), t.spinner)]]
    } else if view.is_filtered() {
        let more = if view.complete { "" } else { " (more pages load as needed)" };
        vec![vec![(
            format!("Nothing loaded matches “{}”{more}", model::escape_control(view.filter.value())),
            t.dim,
        )]]
    } else {
        vec![vec![(format!("No {noun} here."), t.dim)]]
    };
    let mut y = area.y;
    for s in segs {
        for line in wrap(&s, area.width.saturating_sub(2) as usize) {
            if y >= area.bottom() {
                return;
            }
            buf.set_line(area.x + 1, y, &line, area.width.saturating_sub(1));
            y += 1;
        }
    }
}

/// The last line: a page loading, a failed page (with `r`), and the position.
fn footer(buf: &mut Buffer, area: Rect, view: &ListView, app: &App, width: usize) {
    if area.height == 0 {
        return;
    }
    let t = app.theme();
    let n = view.visible().len();
    let pos = if n > 0 { format!("{}/{n} ", view.cursor() + 1) } else { String::new() };
    let room = width.saturating_sub(str_width(&pos) + 1);
    let left: Option<(String, Style)> = match (&view.error, view.loading) {
        (Some(e), _) if !view.rows.is_empty() => Some((
            format!(
                "✘ page {} failed: {}: {}{}",
                view.pages + 1,
                model::escape_control(&e.exception),
                model::escape_control(&e.message),
                if app.focus() == Focus::List { " · r tries again" } else { "" }
            ),
            t.status_bad,
        )),
        (_, Some(_)) if !view.rows.is_empty() => {
            let to = if view.to_end { " (to the end)" } else { "" };
            Some((format!("{} loading page {}{to}…", spinner(app, view), view.pages + 1), t.spinner))
        }
        _ => None,
    };
    if let Some((text, style)) = left {
        buf.set_stringn(area.x + 1, area.y, truncate(&text, room.saturating_sub(1)), room, style);
    }
    if !pos.is_empty() {
        let x = area.right().saturating_sub(str_width(&pos) as u16);
        buf.set_stringn(x, area.y, &pos, str_width(&pos), t.dim);
    }
}

/// The dropdown of the user's endpoints under the endpoint-ID input (see `browse`).
pub fn draw_completions(buf: &mut Buffer, areas: &super::Areas, app: &App) {
    if !app.completion_visible() {
        return;
    }
    let t = app.theme();
    let c = &app.browse().completion;
    let matches = c.matches(app.endpoint_id().value());
    let compact = areas.notice.is_none();
    let l = areas.lookup;
    let (x, input_y) = if compact {
        (l.x + super::lookup::LABEL_WIDTH, l.y + 1)
    } else {
        (l.x + 1 + super::lookup::LABEL_WIDTH, l.y + 2)
    };
    let screen_bottom = areas.status.y;
    let x = x.saturating_sub(1);
    let right = areas.lookup.right();
    if x + 12 > right || input_y + 3 > screen_bottom {
        return;
    }
    let shown = matches.len().min(DROPDOWN_ROWS);
    let lines = shown.max(1) + usize::from(matches.len() > DROPDOWN_ROWS);
    let height = (lines as u16 + 2).min(screen_bottom - input_y - 1);
    // Wide enough for the widest ID whole (and its status and type) while the screen has room.
    let id_w = |i: usize| str_width(&model::escape_control(c.items[i].endpoint_id.as_deref().unwrap_or("")));
    let widest = matches.iter().map(|&i| id_w(i)).max().unwrap_or(0).clamp(10, model::MAX_ENDPOINT_ID_LEN);
    let want = (2 + 3 + widest + 2 + STATUS_W + 2 + 12) as u16;
    let area = Rect::new(x, input_y + 1, (right - x).min(want.max(DROPDOWN_WIDTH)), height);
    Clear.render(area, buf);
    let total = c.items.len();
    let title = if total == 0 && c.loading.is_some() {
        " loading… ".to_string()
    } else if matches.len() == total {
        format!(" {total} {} ", if total == 1 { "endpoint" } else { "endpoints" })
    } else {
        format!(" {} of {total} ", matches.len())
    };
    let block = Block::bordered()
        .border_style(t.focus_border)
        .title(Span::styled(title, t.title))
        .title_bottom(Line::from(vec![
            Span::styled(" Tab", t.key),
            Span::styled(" completes · ", t.dim),
            Span::styled("↓", t.key),
            Span::styled(" chooses ", t.dim),
        ]));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if matches.is_empty() && c.loading.is_some() {
        let text = "loading the user's endpoints…";
        buf.set_stringn(
            inner.x + 1,
            inner.y,
            truncate(text, inner.width as usize - 1),
            inner.width as usize,
            t.spinner,
        );
        return;
    }
    if let Some(e) = &c.error
        && matches.is_empty()
    {
        let text = format!("✘ endpoints not listed: {}", model::escape_control(&e.exception));
        buf.set_stringn(
            inner.x + 1,
            inner.y,
            truncate(&text, inner.width as usize - 1),
            inner.width as usize,
            t.status_bad,
        );
        return;
    }
    let rows = (inner.height as usize).min(DROPDOWN_ROWS);
    let sel = c.selected.unwrap_or(0);
    let offset = scrolled(0, sel, rows);
    // One ID column for every row shown, so that the statuses line up; cut only when the
    // dropdown is narrower than the IDs.
    let id_room = (inner.width as usize).saturating_sub(3 + 2 + STATUS_W + 2 + 4).max(10);
    let id_of =
        |i: usize| truncate(&model::escape_control(c.items[i].endpoint_id.as_deref().unwrap_or("")), id_room);
    let id_width =
        matches.iter().skip(offset).take(rows).map(|&i| str_width(&id_of(i))).max().unwrap_or(0).max(10);
    for (k, &i) in matches.iter().enumerate().skip(offset).take(rows) {
        let y = inner.y + (k - offset) as u16;
        let e = &c.items[i];
        buf.set_stringn(inner.x + 1, y, "●", 1, t.health(e.health()));
        let id = id_of(i);
        buf.set_stringn(inner.x + 3, y, &id, (inner.width as usize).saturating_sub(3), t.value);
        let mut status = e
            .state
            .as_ref()
            .map(|s| model::escape_control(s.status.as_str()).into_owned())
            .unwrap_or_default();
        if e.health() == model::Health::Muted {
            // Not by colour alone: said in words.
            status.push_str(" no msgs");
        }
        let style = t.health(e.health());
        let sx = inner.x + 3 + id_width as u16 + 2;
        if sx < inner.right() {
            buf.set_stringn(sx, y, &status, (inner.right() - sx) as usize, style);
            let ty = e
                .endpoint_type
                .as_ref()
                .map(|ty| model::escape_control(ty.as_str()).into_owned())
                .unwrap_or_default();
            let tx = sx + STATUS_W as u16 + 2;
            if tx < inner.right() {
                buf.set_stringn(tx, y, &ty, (inner.right() - tx) as usize, t.dim);
            }
        }
        if c.selected == Some(k) {
            t.select(buf, Rect::new(inner.x, y, inner.width, 1), true);
        }
    }
    if matches.len() > DROPDOWN_ROWS && (rows as u16) < inner.height {
        let more = format!("… {} more: type to narrow", matches.len() - rows);
        buf.set_stringn(inner.x + 1, inner.y + rows as u16, &more, inner.width as usize - 1, t.dim);
    }
}
