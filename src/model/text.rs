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
    (needs_escape(c) && !c.is_ascii_control()) || c == '\u{7f}'
}

/// Control characters, the bidirectional overrides and isolates that can make an ARN or ID
/// display in an order other than the one it has (U+061C, U+200E/F, U+202A..E, U+2066..9), and
/// the line and paragraph separators U+2028/U+2029 (a line break to some viewers).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Whether `s` holds a character that [`escape_control`] escapes: what a script line must not
/// hold raw, since `cat` would not show what runs.
pub fn has_hidden(s: &str) -> bool {
    s.chars().any(needs_escape)
}

/// One cell of a CSV export: control characters escaped as visible text ([`escape_control`]),
/// and a cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
/// a CR: the OWASP rule) prefixed with `'`, which spreadsheets show as text. No ARN, ID, state
/// or count this tool writes starts so, so only hostile text changes.
pub fn csv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    let formula = |t: &str| t.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let escaped = escape_control(s);
    if formula(s) || formula(&escaped) { std::borrow::Cow::Owned(format!("'{escaped}")) } else { escaped }
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
        assert_eq!(escape_control("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn csv_cells_never_start_a_formula_nor_hold_raw_controls() {
        assert_eq!(csv_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        for s in ["+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(csv_cell("ep-1\u{1b}]52;c;eA==\u{7}"), "ep-1\\e]52;c;eA==\\u{7}");
        assert_eq!(csv_cell("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(
            csv_cell("arn:aws:chime:us-east-1:1:app-instance/a"),
            "arn:aws:chime:us-east-1:1:app-instance/a"
        );
        assert_eq!(csv_cell(""), "");
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
