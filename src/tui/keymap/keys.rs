//! A key as a user writes it in `[keys]` of config.toml: a character (`v`, `V`, `?`), a name
//! (`Esc`, `Enter`, `Tab`, `Space`, `Up`, `PgDn`, `F2`, …, as the help writes them or in
//! words), with `ctrl-` (`Ctrl-R`, `^R`) or `shift-` in front. Case matters for a character
//! (`V` is Shift-v), not for a name.

use crossterm::event::{KeyCode, KeyModifiers};

/// The key written `text`, or why it is not one.
pub fn parse_key(text: &str) -> Result<(KeyCode, KeyModifiers), String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("an empty key".into());
    }
    let mut mods = KeyModifiers::NONE;
    let mut rest = t;
    loop {
        // A lone "-" (or "^") is the key itself.
        if rest.chars().count() == 1 {
            break;
        }
        if let Some(r) = rest.strip_prefix('^') {
            mods |= KeyModifiers::CONTROL;
            rest = r;
            continue;
        }
        let lower = rest.to_ascii_lowercase();
        if let Some(n) = ["ctrl-", "ctrl+", "c-"].iter().find(|p| lower.starts_with(**p)).map(|p| p.len()) {
            mods |= KeyModifiers::CONTROL;
            rest = &rest[n..];
            continue;
        }
        if let Some(n) = ["shift-", "shift+", "s-"].iter().find(|p| lower.starts_with(**p)).map(|p| p.len()) {
            mods |= KeyModifiers::SHIFT;
            rest = &rest[n..];
            continue;
        }
        break;
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => {
            if mods.contains(KeyModifiers::SHIFT) {
                mods -= KeyModifiers::SHIFT;
                KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
            } else if mods.contains(KeyModifiers::CONTROL) {
                // Terminals send Ctrl-R and Ctrl-r alike.
                KeyCode::Char(c.to_ascii_lowercase())
            } else {
                KeyCode::Char(c)
            }
        }
        _ => named(&rest.to_ascii_lowercase()).ok_or_else(|| {
            format!(
                "{:?} is not a key: give a character, or Esc, Enter, Tab, Space, Backspace, Up, Down, Left, Right, Home, End, PgUp, PgDn, F1 to F12 (ctrl- in front for Ctrl)",
                crate::model::escape_control(text)
            )
        })?,
    };
    if code == KeyCode::Tab && mods.contains(KeyModifiers::SHIFT) {
        return Ok((KeyCode::BackTab, KeyModifiers::SHIFT));
    }
    if mods.contains(KeyModifiers::SHIFT) && !matches!(code, KeyCode::BackTab) {
        return Err(format!("{text:?}: shift- goes with a character or Tab only"));
    }
    Ok((code, mods))
}

fn named(name: &str) -> Option<KeyCode> {
    use KeyCode::*;
    Some(match name {
        "esc" | "escape" => Esc,
        "enter" | "return" => Enter,
        "tab" => Tab,
        "backtab" | "shift-tab" => BackTab,
        "space" => Char(' '),
        "backspace" => Backspace,
        "up" | "↑" => Up,
        "down" | "↓" => Down,
        "left" | "←" => Left,
        "right" | "→" => Right,
        "home" => Home,
        "end" => End,
        "pgup" | "pageup" => PageUp,
        "pgdn" | "pagedown" => PageDown,
        _ => {
            let n: u8 = name.strip_prefix('f')?.parse().ok()?;
            if (1..=12).contains(&n) { F(n) } else { return None }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use KeyCode::*;
    const C: KeyModifiers = KeyModifiers::CONTROL;
    const N: KeyModifiers = KeyModifiers::NONE;

    #[test]
    fn keys_as_users_write_them() {
        assert_eq!(parse_key("v"), Ok((Char('v'), N)));
        assert_eq!(parse_key("V"), Ok((Char('V'), N)));
        assert_eq!(parse_key("shift-v"), Ok((Char('V'), N)));
        assert_eq!(parse_key("-"), Ok((Char('-'), N)));
        assert_eq!(parse_key("ctrl-r"), Ok((Char('r'), C)));
        assert_eq!(parse_key("Ctrl-R"), Ok((Char('r'), C)));
        assert_eq!(parse_key("^R"), Ok((Char('r'), C)));
        assert_eq!(parse_key("Esc"), Ok((Esc, N)));
        assert_eq!(parse_key("pgdn"), Ok((PageDown, N)));
        assert_eq!(parse_key("F2"), Ok((F(2), N)));
        assert_eq!(parse_key("Space"), Ok((Char(' '), N)));
        assert_eq!(parse_key("shift-tab"), Ok((BackTab, KeyModifiers::SHIFT)));
        assert!(parse_key("").is_err());
        assert!(parse_key("F13").is_err());
        assert!(parse_key("hyper-x").is_err());
        assert!(parse_key("shift-up").is_err());
    }
}
