//! Text that is safe on a terminal (control characters and bidirectional overrides escaped),
//! and counted nouns.

use serde_json::Value;

/// `1 char`, `15 chars`: a count with its noun, singular when it is one.
pub fn count_of(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// Pretty JSON that is safe on a terminal: besides what JSON itself escapes (C0 controls),
/// DEL, the C1 controls (U+0080..U+009F: U+009B is CSI on some terminals), the bidirectional
/// overrides and U+2028/U+2029 are written as `\uXXXX` escapes. They can only occur inside
/// strings, where the escape decodes to the same character, so the document is unchanged.
pub fn json_pretty(v: &Value) -> String {
    let s = serde_json::to_string_pretty(v).unwrap_or_default();
    if !s.chars().any(json_needs_escape) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if json_needs_escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn json_needs_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}') || (needs_escape(c) && !c.is_ascii_control())
}

/// Control characters, and the bidirectional overrides and isolates that can make an ARN or ID
/// display in an order other than the one it has (U+061C, U+200E/F, U+202A..E, U+2066..9).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Make a value safe to print on a terminal: control characters (C0, DEL, C1) become visible
/// escapes, so an escape sequence inside a field never reaches the terminal raw.
pub fn escape_control(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A masked stand-in for a secret: its length only (`•••••• (15 chars)`, `(1 char)`).
pub fn mask(value: &str) -> String {
    format!("•••••• ({})", count_of(value.chars().count(), "char"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_controls() {
        assert_eq!(escape_control("a\u{1b}[2Jb\n"), "a\\e[2Jb\\n");
        assert_eq!(escape_control("plain é"), "plain é");
        assert_eq!(escape_control("\u{9b}x"), "\\u{9b}x");
        assert_eq!(escape_control("ep-\u{202e}1-ve"), "ep-\\u{202e}1-ve");
        assert_eq!(escape_control(&escape_control("a\u{1b}b")), "a\\eb", "escaping twice changes nothing");
    }

    #[test]
    fn json_output_escapes_c1_and_bidi_controls() {
        let v = json!({"Name": "a\u{9b}31mb\u{85}\u{202e}c\u{7f}\u{2028}", "Plain": "é 😀"});
        let s = json_pretty(&v);
        assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "{s:?}");
        assert!(s.contains("a\\u009b31mb\\u0085\\u202ec\\u007f\\u2028"), "{s}");
        assert!(s.contains("é 😀"), "{s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "the same document");
        assert_eq!(count_of(1, "char"), "1 char");
        assert_eq!(count_of(15, "char"), "15 chars");
    }
}
