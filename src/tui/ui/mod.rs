//! Drawing: a function of `&App`, one file per pane, one entry point ([`draw_frame`], or
//! [`draw`] when what was drawn is not wanted back). The panes go where the state's frame
//! layout (`state::layout`) says.

pub mod actions;
pub mod batch;
pub mod command;
pub mod detail;
pub mod dialog;
pub mod help;
pub mod list;
pub mod lookup;
pub mod marker;
pub mod members;
pub mod raw;
pub mod recent;
pub mod scan;
pub mod status;

use super::action::Drawn;
use super::state::App;
use super::state::layer::{Body, Layer};
use super::state::layout::{MIN_HEIGHT, MIN_WIDTH};
use super::text::wrap;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub use super::state::layout::{Areas, areas};

/// Draw the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    let _ = draw_frame(f, app);
}

/// Draw the whole screen; returns what the state needs to know of it (for clicks), to be
/// handed back as `Action::Drawn`.
pub fn draw_frame(f: &mut Frame, app: &App) -> Drawn {
    let mut drawn = Drawn::default();
    let area = f.area();
    let Some(a) = areas(area, app) else {
        too_small(f.buffer_mut(), area, app);
        return drawn;
    };
    lookup::draw(f, a.lookup, app);
    if a.recent != Some(a.detail) {
        // A list being browsed takes the detail pane's place.
        match (app.body(), app.scan_view()) {
            (Body::Scan, Some(pane)) => {
                let focused = app.focus() == super::state::Focus::Detail;
                drawn.scan_rows =
                    scan::draw(f.buffer_mut(), a.detail, pane, app.theme(), focused, !app.readonly());
            }
            (Body::List, _) => list::draw(f.buffer_mut(), a.detail, app),
            _ => {
                let rows = detail::draw(f.buffer_mut(), a.detail, app);
                drawn.detail_fields = rows.fields;
                drawn.detail_findings = rows.findings;
                command::draw_watch(f, a.detail, app);
            }
        }
    }
    if let Some(r) = a.recent {
        recent::draw(f.buffer_mut(), r, app);
    }
    status::draw(f.buffer_mut(), a.status, a.notice, app);
    list::draw_completions(f.buffer_mut(), &a, app);
    // The overlays, bottom up; the dialogs (a batch's, a confirmation, a form) are one box.
    let mut dialog_drawn = false;
    for layer in app.layers().into_iter().rev() {
        match layer {
            Layer::CommandLine => command::draw(f, a.notice.unwrap_or(a.status), app),
            Layer::Help => help::draw(f.buffer_mut(), area, app),
            Layer::Raw => raw::draw(f.buffer_mut(), area, app),
            Layer::Members => members::draw(f.buffer_mut(), area, app),
            Layer::Actions => actions::draw(f.buffer_mut(), area, app),
            Layer::Batch | Layer::Confirm | Layer::Form if !dialog_drawn => {
                dialog_drawn = true;
                dialog::draw(f, area, app);
            }
            // The others draw in the body or on the status line.
            _ => {}
        }
    }
    drawn
}

/// A `width` × `height` rectangle centred in `screen` (dialogs, the help).
pub fn centred(screen: Rect, width: u16, height: u16) -> Rect {
    Rect {
        x: screen.x + (screen.width.saturating_sub(width)) / 2,
        y: screen.y + (screen.height.saturating_sub(height)) / 2,
        width,
        height,
    }
}

fn too_small(buf: &mut Buffer, area: Rect, app: &App) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let text = format!(
        "Terminal too small: {}x{}; chimescope needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window, or press Ctrl-C to quit.",
        area.width, area.height
    );
    let lines = wrap(&[(text, app.theme().status_warn)], area.width as usize);
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, line) in lines.iter().enumerate().take(area.height as usize) {
        buf.set_line(area.x, top + i as u16, line, area.width);
    }
}
