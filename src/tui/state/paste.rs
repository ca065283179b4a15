//! Bracketed paste into the inputs: trimmed, unquoted, "ARN and endpoint ID" in one paste
//! filling both inputs.

use super::app::{App, Focus};
use super::inputs::Which;
use crate::tui::action::Notice;

/// Longest paste accepted into an input (an ARN has at most 1600 characters).
pub const MAX_PASTE: usize = 4096;

impl App {
    pub(super) fn paste(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if self.recent_filter_editing() {
            return self.recent_paste(text);
        }
        if self.browse_paste(text) {
            return;
        }
        // "ARN <newline or tab> endpoint ID", as copied from a ticket or a spreadsheet row,
        // fills both inputs.
        if let Some((arn, id)) = arn_and_id(text)
            && arn.len() + id.len() <= MAX_PASTE
        {
            self.set_inputs(arn, id);
            self.set_focus(Focus::EndpointId);
            self.notify(Notice::info("Pasted the ARN and the endpoint ID: Enter looks it up"));
            return;
        }
        let text = unquote(text);
        let mut chars: String = text.chars().take(MAX_PASTE).collect();
        if chars.len() < text.len() {
            self.notify(Notice::error(format!("Paste cut to its first {MAX_PASTE} characters")));
            chars = chars.trim_end().to_string();
        }
        if !self.focus().is_input() {
            // Outside the inputs, an ARN replaces the ARN, anything else the endpoint ID.
            if chars.starts_with("arn:") {
                self.set_focus(Focus::Arn);
                self.inputs.clear(Which::Arn);
            } else {
                self.set_focus(Focus::EndpointId);
                self.inputs.clear(Which::EndpointId);
            }
        }
        let which = if self.focus() == Focus::Arn { Which::Arn } else { Which::EndpointId };
        // Insert at the cursor: a new value built once rather than char by char.
        self.inputs.insert(which, &chars);
    }
}

/// "ARN and endpoint ID" in one paste: on two lines (LF, CRLF, or CR as tmux pastes them),
/// tab-separated, or separated by spaces and/or a comma (`ARN ep-9`, `ARN,ep-9`, `ARN, ep-9`).
/// A user ARN holds no space or comma, so these never split one.
pub fn arn_and_id(text: &str) -> Option<(&str, &str)> {
    pub(super) fn pair(parts: Vec<&str>) -> Option<(&str, &str)> {
        match parts[..] {
            [arn, id] if arn.starts_with("arn:") && !id.starts_with("arn:") => Some((arn, id)),
            _ => None,
        }
    }
    let lines: Vec<&str> = text.split(['\n', '\r', '\t']).map(unquote).filter(|p| !p.is_empty()).collect();
    if lines.len() > 1 {
        return pair(lines);
    }
    pair(text.split(|c: char| c.is_whitespace() || c == ',').map(unquote).filter(|p| !p.is_empty()).collect())
}

/// A pasted value without the quotes and trailing comma it often carries when copied out of
/// JSON or a shell line (`"arn:…",`).
fn unquote(s: &str) -> &str {
    let s = s.trim().trim_end_matches(',').trim_end();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.trim();
        }
    }
    s
}
