//! The model's `pattern` traits are Java regular expressions matched against the whole value
//! (`String.matches`). The `regex` crate reads a slightly different language, so each pattern is
//! translated first:
//! - the whole value must match: `\A(?:…)\z`;
//! - `.` is Java's: any character but the line terminators `\n \r U+0085 U+2028 U+2029`;
//! - `\d \s \w \D \S \W` are Java's ASCII classes, not Unicode ones (inside a class, the
//!   negated ones are nested negated classes: `[\s\S]` is any character);
//! - `\uXXXX` is a code point; `\u10000` and `\u10FFFF` (five or six digits, in the
//!   supplementary range) are read as the model's authors meant them, the code points U+10000
//!   and U+10FFFF, not as Java would (`\u1000` followed by `0`), so that names may hold emoji;
//! - inside a class every atom is written out as `\x{…}`, so a `-` after a range is a literal
//!   `-` as in Java.
//!
//! What cannot be translated (nested classes, intersections, back references, lookaround) is an
//! error; the caller then does not enforce that pattern and says so in the log. A test checks
//! that every pattern of the shipped model translates and compiles.

use regex::Regex;

/// A compiled model pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// As written in the model (quoted in validation messages).
    pub source: String,
    regex: Regex,
    /// The pattern is `.*`, the model's commonest (names, IDs, device tokens): any text
    /// without Java's line terminators, checked without the regular expression (a seed of
    /// 100,000 users checks three such members on each of its 125,000 endpoints).
    any_line: bool,
}

/// Java's line terminators, which its `.` does not match (see `JAVA_DOT`).
const LINE_TERMINATORS: [char; 5] = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];

impl Pattern {
    pub fn new(java: &str) -> Result<Self, String> {
        let translated = translate(java)?;
        let regex = Regex::new(&format!(r"\A(?:{translated})\z")).map_err(|e| e.to_string())?;
        Ok(Self { source: java.to_string(), regex, any_line: java == ".*" })
    }

    pub fn matches(&self, value: &str) -> bool {
        if self.any_line {
            return !value.contains(LINE_TERMINATORS);
        }
        self.regex.is_match(value)
    }
}

const JAVA_DOT: &str = r"[^\n\r\x{85}\x{2028}\x{2029}]";
const SPACE: &str = r"\t\n\x0B\x0C\r ";
const WORD: &str = "a-zA-Z_0-9";
const DIGIT: &str = "0-9";

/// Java regex → `regex` crate syntax (see the module documentation).
pub fn translate(java: &str) -> Result<String, String> {
    let chars: Vec<char> = java.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '.' => {
                out.push_str(JAVA_DOT);
                i += 1;
            }
            '[' => {
                let (class, next) = class(&chars, i)?;
                out.push_str(&class);
                i = next;
            }
            '\\' => {
                let (atom, next) = escape(&chars, i)?;
                match atom {
                    Atom::Char(ch) => out.push_str(&hex(ch)),
                    Atom::Class(name) => out.push_str(&match name {
                        'd' => format!("[{DIGIT}]"),
                        'D' => format!("[^{DIGIT}]"),
                        's' => format!("[{SPACE}]"),
                        'S' => format!("[^{SPACE}]"),
                        'w' => format!("[{WORD}]"),
                        'W' => format!("[^{WORD}]"),
                        other => return Err(format!("unsupported escape \\{other}")),
                    }),
                }
                i = next;
            }
            '(' if chars.get(i + 1) == Some(&'?') => {
                // Only non-capturing groups are understood.
                if chars.get(i + 2) == Some(&':') {
                    out.push_str("(?:");
                    i += 3;
                } else {
                    return Err("lookaround and inline flags are not supported".into());
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

enum Atom {
    Char(char),
    Class(char),
}

fn hex(c: char) -> String {
    format!(r"\x{{{:X}}}", c as u32)
}

fn hex_digits(chars: &[char], from: usize, n: usize) -> Option<u32> {
    let s: String = chars.get(from..from + n)?.iter().collect();
    if s.chars().all(|c| c.is_ascii_hexdigit()) { u32::from_str_radix(&s, 16).ok() } else { None }
}

/// The escape starting at `chars[i] == '\\'`: the atom and the index after it.
fn escape(chars: &[char], i: usize) -> Result<(Atom, usize), String> {
    let Some(&e) = chars.get(i + 1) else { return Err("trailing backslash".into()) };
    let simple = |c: char| Ok((Atom::Char(c), i + 2));
    match e {
        'u' => {
            let v = hex_digits(chars, i + 2, 4).ok_or("\\u needs four hex digits")?;
            // Five or six digits in the supplementary range: the code point the author meant.
            for extra in [2, 1] {
                if let Some(w) = hex_digits(chars, i + 2, 4 + extra)
                    && (0x10000..=0x10FFFF).contains(&w)
                {
                    let c = char::from_u32(w).ok_or("not a code point")?;
                    return Ok((Atom::Char(c), i + 6 + extra));
                }
            }
            let c = char::from_u32(v).ok_or_else(|| format!("\\u{v:04X} is a surrogate"))?;
            Ok((Atom::Char(c), i + 6))
        }
        'x' => {
            let v = hex_digits(chars, i + 2, 2).ok_or("\\x needs two hex digits")?;
            Ok((Atom::Char(char::from_u32(v).ok_or("bad \\x")?), i + 4))
        }
        't' => simple('\t'),
        'n' => simple('\n'),
        'r' => simple('\r'),
        'f' => simple('\x0C'),
        'e' => simple('\x1B'),
        'a' => simple('\x07'),
        'd' | 'D' | 's' | 'S' | 'w' | 'W' => Ok((Atom::Class(e), i + 2)),
        c if c.is_ascii_punctuation() || c == ' ' => simple(c),
        c => Err(format!("unsupported escape \\{c}")),
    }
}

/// The class starting at `chars[i] == '['`: its translation and the index after `]`.
fn class(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let mut out = String::from("[");
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else { return Err("unterminated class".into()) };
        if c == ']' && !first {
            out.push(']');
            return Ok((out, i + 1));
        }
        first = false;
        let (lo, next) = match c {
            '[' => return Err("nested classes are not supported".into()),
            '&' if chars.get(i + 1) == Some(&'&') => {
                return Err("class intersections are not supported".into());
            }
            '\\' => escape(chars, i)?,
            _ => (Atom::Char(c), i + 1),
        };
        i = next;
        let lo = match lo {
            Atom::Class(name) => {
                let (negated, set) = match name {
                    'd' => (false, DIGIT),
                    's' => (false, SPACE),
                    'w' => (false, WORD),
                    // `\D \S \W` inside a class: a nested negated class (`[\s\S]` is anything).
                    'D' => (true, DIGIT),
                    'S' => (true, SPACE),
                    'W' => (true, WORD),
                    other => return Err(format!("\\{other} inside a class is not supported")),
                };
                if negated {
                    out.push_str(&format!("[^{set}]"));
                } else {
                    out.push_str(set);
                }
                continue;
            }
            Atom::Char(ch) => ch,
        };
        // A range `lo-hi`, unless the `-` is the last thing before `]`.
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
            let (hi, next) = match chars[i + 1] {
                '\\' => escape(chars, i + 1)?,
                '[' => return Err("nested classes are not supported".into()),
                h => (Atom::Char(h), i + 2),
            };
            let Atom::Char(hi) = hi else { return Err("a class cannot end a range".into()) };
            if hi < lo {
                return Err(format!("range {lo:?}-{hi:?} is out of order"));
            }
            out.push_str(&format!("{}-{}", hex(lo), hex(hi)));
            i = next;
        } else {
            out.push_str(&hex(lo));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHIME_ARN: &str =
        r"arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}";
    const RESOURCE_NAME: &str =
        r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]*";

    #[test]
    fn any_line_matches_as_its_regular_expression_does() {
        let p = Pattern::new(".*").unwrap();
        assert!(p.any_line);
        for v in ["", "abc", "a b\tc", "é😀", "a\nb", "\r", "x\u{85}", "\u{2028}", "y\u{2029}z", "\u{2027}"]
        {
            assert_eq!(p.matches(v), p.regex.is_match(v), "{v:?}");
        }
        assert!(!p.matches("a\nb") && p.matches("\u{2027}"));
    }

    #[test]
    fn chime_arn_is_matched_as_java_matches_it() {
        let p = Pattern::new(CHIME_ARN).unwrap();
        let arn = "arn:aws:chime:us-east-1:123456789012:app-instance/a/user/b";
        assert!(p.matches(arn));
        // Java's `.` takes a trailing space or a control character, but not a line terminator.
        assert!(p.matches(&format!("{arn} ")));
        assert!(p.matches(&format!("{arn}\u{1}")));
        assert!(!p.matches(&format!("{arn}\n")));
        assert!(!p.matches(&format!("{arn}\u{2028}")));
        // Anchored at both ends; `-` after a range is literal.
        assert!(!p.matches(&format!("x{arn}")));
        assert!(p.matches("arn:a-b.c:chime:us-east-1:1:x"));
        assert!(!p.matches("arn:A:chime:us-east-1:1:x"));
        assert!(!p.matches("arn:aws:chime:us-east-1:1:/x"));
    }

    #[test]
    fn resource_names_allow_supplementary_characters_but_not_controls() {
        let p = Pattern::new(RESOURCE_NAME).unwrap();
        assert!(p.matches("Café Berlin Chat 😀"));
        assert!(p.matches("tab\there"));
        assert!(!p.matches("bell\u{7}"));
        assert!(!p.matches("\u{FFFE}"));
    }

    #[test]
    fn java_classes_are_ascii() {
        let p = Pattern::new(r".*\S.*").unwrap();
        assert!(p.matches(" a "));
        assert!(!p.matches("   "));
        // Java's \S is ASCII: a no-break space is not whitespace to it.
        assert!(p.matches("\u{A0}"));
        let p = Pattern::new(r"arn:aws:lex:[a-z]{2}-[a-z]+-\d{1}:\d{12}:bot-alias/[A-Z0-9]{10}/[A-Z0-9]{10}")
            .unwrap();
        assert!(p.matches("arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/0123456789"));
        assert!(!p.matches("arn:aws:lex:us-east-١:123456789012:bot-alias/ABCDEFGHIJ/0123456789"));
        let p = Pattern::new(r"[A-Za-z0-9]([A-Za-z0-9\:\-\_\.\@]{0,62}[A-Za-z0-9])?").unwrap();
        assert!(p.matches("us-east-1:4f6c2a9e"));
        assert!(!p.matches("a b"));
        let p = Pattern::new(r"^([A-Za-z]_?)+$").unwrap();
        assert!(p.matches("Hello_World"));
        assert!(!p.matches("a__b"));
    }

    #[test]
    fn negated_classes_inside_a_class_are_nested() {
        // Chime SDK Messaging's content patterns: anything, line breaks included.
        let p = Pattern::new(r"[\s\S]*").unwrap();
        assert!(p.matches("line one\nline two\r\n\u{2028} 😀"));
        let p = Pattern::new(r"[a\D]").unwrap();
        assert!(p.matches("a") && p.matches("x") && !p.matches("5"));
        let p = Pattern::new(r"[\W]").unwrap();
        assert!(p.matches("-") && !p.matches("_"));
    }

    #[test]
    fn untranslatable_patterns_are_errors() {
        for bad in [r"[a&&b]", r"(?=a)", r"[[a]]", r"\k<x>", r"[z-a]", r"\uD800"] {
            assert!(Pattern::new(bad).is_err(), "{bad}");
        }
    }
}
