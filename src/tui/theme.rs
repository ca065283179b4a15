//! Named styles. Panes never use a colour literal: they ask the theme for what a thing *is*
//! (`status_ok`, `secret`, `focus_border`). With `NO_COLOR` every style is colourless and
//! meaning is carried by text, symbols and bold/reverse alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Whether colours are used at all (false under `NO_COLOR`).
    pub color: bool,
    /// ACTIVE, "can receive pushes", a valid input.
    pub status_ok: Style,
    /// INACTIVE and its reason, errors.
    pub status_bad: Style,
    /// AllowMessages NONE, region warnings.
    pub status_warn: Style,
    /// Unknown state.
    pub status_unknown: Style,
    /// A masked value.
    pub secret: Style,
    /// A field that changed since the stored result (after a refresh).
    pub changed: Style,
    pub label: Style,
    pub value: Style,
    pub missing: Style,
    pub dim: Style,
    pub group: Style,
    pub border: Style,
    pub focus_border: Style,
    pub title: Style,
    /// The row under the field cursor.
    pub selected: Style,
    /// The row under the field cursor when its pane has no focus.
    pub selected_unfocused: Style,
    pub key: Style,
    pub status_bar: Style,
    pub input: Style,
    pub placeholder: Style,
    /// The completion offered after the cursor: never looks like typed text, with or
    /// without colour (dim and italic).
    pub ghost: Style,
    pub spinner: Style,
    pub notice_info: Style,
    pub notice_ok: Style,
    pub notice_err: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Self::colored()
    }
}

impl Theme {
    /// `NO_COLOR` set to anything non-empty (no-color.org) means no colour.
    pub fn from_env() -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Self::plain(),
            _ => Self::colored(),
        }
    }

    pub fn colored() -> Self {
        let s = Style::new();
        Self {
            color: true,
            status_ok: s.fg(Color::Green).add_modifier(Modifier::BOLD),
            status_bad: s.fg(Color::Red).add_modifier(Modifier::BOLD),
            status_warn: s.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            status_unknown: s.fg(Color::Magenta),
            secret: s.fg(Color::DarkGray),
            changed: s.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            label: s.fg(Color::Cyan),
            value: s,
            missing: s.fg(Color::DarkGray),
            dim: s.fg(Color::DarkGray),
            group: s.fg(Color::Blue).add_modifier(Modifier::BOLD),
            border: s.fg(Color::DarkGray),
            focus_border: s.fg(Color::Cyan),
            title: s.add_modifier(Modifier::BOLD),
            selected: s.bg(Color::DarkGray),
            selected_unfocused: s.add_modifier(Modifier::UNDERLINED),
            key: s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            status_bar: s,
            input: s,
            placeholder: s.fg(Color::DarkGray),
            ghost: s.fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            spinner: s.fg(Color::Cyan),
            notice_info: s.fg(Color::Cyan),
            notice_ok: s.fg(Color::Green),
            notice_err: s.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    /// No colours: bold, reverse and underline only.
    pub fn plain() -> Self {
        let s = Style::new();
        Self {
            color: false,
            status_ok: s.add_modifier(Modifier::BOLD),
            status_bad: s.add_modifier(Modifier::BOLD),
            status_warn: s.add_modifier(Modifier::BOLD),
            status_unknown: s,
            secret: s,
            changed: s.add_modifier(Modifier::BOLD),
            label: s,
            value: s,
            missing: s,
            dim: s,
            group: s.add_modifier(Modifier::BOLD),
            border: s,
            focus_border: s.add_modifier(Modifier::BOLD),
            title: s.add_modifier(Modifier::BOLD),
            selected: s.add_modifier(Modifier::REVERSED),
            selected_unfocused: s.add_modifier(Modifier::UNDERLINED),
            key: s.add_modifier(Modifier::BOLD),
            status_bar: s,
            input: s,
            placeholder: s,
            ghost: s.add_modifier(Modifier::DIM).add_modifier(Modifier::ITALIC),
            spinner: s,
            notice_info: s,
            notice_ok: s,
            notice_err: s.add_modifier(Modifier::BOLD),
        }
    }

    /// Highlight the selected row at `area`: the selection style, and any text that would then
    /// be drawn in its own background colour (dim text on the dark selection bar) in a colour
    /// that reads on it. Nothing is ever drawn in its own background colour.
    pub fn select(&self, buf: &mut ratatui::buffer::Buffer, area: ratatui::layout::Rect, focused: bool) {
        let area = area.intersection(buf.area);
        buf.set_style(area, if focused { self.selected } else { self.selected_unfocused });
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                let cell = &mut buf[(x, y)];
                if cell.fg == cell.bg && cell.bg != Color::Reset {
                    cell.fg = readable_on(cell.bg);
                }
            }
        }
    }

    pub fn health(&self, h: crate::model::Health) -> Style {
        use crate::model::Health;
        match h {
            Health::Ok => self.status_ok,
            Health::Muted => self.status_warn,
            Health::Broken => self.status_bad,
            Health::Unknown => self.status_unknown,
        }
    }
}

/// A foreground that reads on `bg`.
pub fn readable_on(bg: Color) -> Color {
    match bg {
        Color::DarkGray | Color::Black | Color::Blue | Color::Red | Color::Magenta => Color::Gray,
        _ => Color::Black,
    }
}
