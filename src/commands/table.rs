//! `--output table`, drawn as the AWS CLI draws it (awscli's `TableFormatter` and
//! `MultiTable`): a title row (the operation's name), an object's scalar keys as a header row
//! over one row of values (or `key | value` rows when the table would be wider than the
//! terminal), a list of objects as columns, and nested objects and lists as indented
//! sections of their own. Keys are sorted, widths are counted in terminal columns (East Asian
//! wide and ambiguous characters as two), and every value is escaped for the terminal. In
//! colour (a terminal, not `--no-color` or `NO_COLOR`) values are bright blue and the
//! indentation bars dim yellow, as the AWS CLI colours them.

use serde_json::{Map, Value};
use unicode_width::UnicodeWidthChar;

/// A scalar as the AWS CLI's text and table print it (Python's `str`).
pub(super) fn scalar(v: &Value) -> String {
    let s = match v {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        // Not a scalar; never asked for one.
        other => other.to_string(),
    };
    crate::model::escape_control(&s).into_owned()
}

/// The deepest nesting drawn (a service's answer is a few levels deep).
const MAX_DEPTH: usize = 32;

#[derive(Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

/// Width as the AWS CLI counts it: wide, full-width and ambiguous characters are two columns.
fn text_len(s: &str) -> usize {
    s.chars().map(|c| if c.width_cjk().unwrap_or(1) >= 2 { 2 } else { 1 }).sum()
}

impl Section {
    fn update_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|c| text_len(c)).collect();
        } else {
            for (w, c) in self.max_widths.iter_mut().zip(row) {
                *w = (*w).max(text_len(c));
            }
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.update_widths(&row);
        self.rows.push(row);
    }

    /// The columns' widths scaled to fill `max_width` (the AWS CLI's rounding: half to even).
    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let (Some(max), false) = (max_width, unscaled.is_empty()) else {
            return unscaled;
        };
        let total: usize = unscaled.iter().sum();
        let scale = max as f64 / total as f64;
        let mut scaled: Vec<i64> =
            unscaled.iter().map(|w| (scale * *w as f64).round_ties_even() as i64).collect();
        let mut off = scaled.iter().sum::<i64>() - max as i64;
        // Bounded: each pass moves `off` toward 0 by at least one.
        while off != 0 {
            let n = scaled.len();
            for k in 0..n {
                let i = if off < 0 { n - 1 - k } else { k };
                if off > 0 {
                    scaled[i] -= 1;
                    off -= 1;
                } else {
                    scaled[i] += 1;
                    off += 1;
                }
                if off == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self) -> usize {
        let (padding, border) = (4, 2);
        let cols: usize = self.column_widths(0, None).iter().map(|w| w + padding).sum::<usize>() + border;
        let total = cols + 2 * self.indent;
        total.max(text_len(&self.title) + border + 2 * self.indent)
    }
}

struct Builder {
    sections: Vec<Section>,
}

impl Builder {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let n = self.sections.len() - 1;
        &mut self.sections[n]
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section { title: title.to_string(), indent, ..Section::default() });
    }

    /// awscli's `_build_table`: false when there is nothing to draw.
    fn build(&mut self, title: Option<&str>, v: &Value, indent: usize, depth: usize) -> bool {
        if depth > MAX_DEPTH || is_empty(v) {
            return false;
        }
        if let Some(t) = title {
            self.new_section(t, indent);
        }
        match v {
            Value::Array(items) if items.first().is_some_and(Value::is_object) => {
                self.list_of_objects(items, indent, title, depth)
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Array(inner) if inner.iter().all(is_scalar) => {
                            self.current().add_row(inner.iter().map(scalar).collect())
                        }
                        x if is_scalar(x) => self.current().add_row(vec![scalar(x)]),
                        x => {
                            self.build(None, x, 0, depth + 1);
                        }
                    }
                }
            }
            Value::Object(m) => self.dict(m, indent, depth),
            // A scalar alone: awscli draws its title only.
            _ => {}
        }
        true
    }

    fn dict(&mut self, m: &Map<String, Value>, indent: usize, depth: usize) {
        let (headers, more) = group(m);
        match headers.len() {
            0 => {}
            1 => {
                let k = &headers[0];
                self.current().add_row(vec![escaped(k), scalar(&m[k])]);
            }
            _ => {
                let row = headers.iter().map(|k| scalar(&m[k])).collect();
                self.current().add_header(headers.iter().map(|k| escaped(k)).collect());
                self.current().add_row(row);
            }
        }
        for k in more {
            self.build(Some(&escaped(&k)), &m[&k], indent + 1, depth + 1);
        }
    }

    fn list_of_objects(&mut self, items: &[Value], indent: usize, title: Option<&str>, depth: usize) {
        let (mut headers, mut more) = (Vec::new(), Vec::new());
        for m in items.iter().filter_map(Value::as_object) {
            let (h, r) = group(m);
            headers.extend(h);
            more.extend(r);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current().add_header(headers.iter().map(|k| escaped(k)).collect());
        for (i, item) in items.iter().enumerate() {
            let m = item.as_object();
            if i > 0 && !more.is_empty() {
                self.new_section(title.unwrap_or_default(), indent);
                self.current().add_header(headers.iter().map(|k| escaped(k)).collect());
            }
            let row =
                headers.iter().map(|k| m.and_then(|m| m.get(k)).map(scalar).unwrap_or_default()).collect();
            self.current().add_row(row);
            for k in &more {
                if let Some(x) = m.and_then(|m| m.get(k)) {
                    self.build(Some(&escaped(k)), x, indent + 1, depth + 1);
                }
            }
        }
    }
}

fn escaped(s: &str) -> String {
    crate::model::escape_control(s).into_owned()
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// Python's falsiness, which awscli's `if not current` tests.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::Bool(true) => false,
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
    }
}

/// An object's keys: those of scalar values, and the others, each sorted.
fn group(m: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let (mut headers, mut more): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (k, v) in m {
        if is_scalar(v) { headers.push(k.clone()) } else { more.push(k.clone()) }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

/// `text` centred between `left` and `right` in `length` columns.
fn center(text: &str, text_len: usize, length: usize, left: &str, right: &str) -> String {
    let start = (length / 2).saturating_sub(text_len / 2).saturating_sub(1);
    let so_far = left.len() + start + text_len;
    let right_spaces = length.saturating_sub(right.len()).saturating_sub(so_far);
    format!("{left}{}{text}{}{right}", " ".repeat(start), " ".repeat(right_spaces))
}

fn align_left(text: &str, text_len: usize, length: usize, left: &str, right: &str) -> String {
    let padding = if length >= text_len + 2 + left.len() + right.len() { 2 } else { 0 };
    let so_far = left.len() + padding + text_len;
    let rest = length.saturating_sub(so_far).saturating_sub(right.len());
    format!("{left}{}{text}{}{right}", " ".repeat(padding), " ".repeat(rest))
}

struct Style {
    color: bool,
}

impl Style {
    fn value(&self, s: &str) -> String {
        if self.color { format!("\x1b[1m\x1b[34m{s}\x1b[0m") } else { s.to_string() }
    }
    fn bar(&self) -> String {
        if self.color { "\x1b[2m\x1b[33m|\x1b[0m".to_string() } else { "|".to_string() }
    }
}

fn line_break(widths: &[usize]) -> String {
    let mut s = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            s.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            s.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    s
}

/// Draw `v` as the AWS CLI's `--output table` under `title`, at most `width` columns wide
/// before single-row sections turn into `key | value` rows. Empty for nothing to draw.
pub fn render(title: &str, v: &Value, color: bool, width: usize) -> String {
    let mut b = Builder { sections: Vec::new() };
    if !b.build(Some(title), v, 0, 0) {
        return String::new();
    }
    let mut sections = b.sections;
    let max = |s: &[Section]| s.iter().map(Section::total_width).max().unwrap_or(0);
    let mut max_width = max(&sections);
    if max_width > width {
        for s in sections.iter_mut() {
            if s.rows.len() == 1 && !s.headers.is_empty() {
                let mut flipped = Section { title: s.title.clone(), indent: s.indent, ..Section::default() };
                let row = s.rows[0].clone();
                for (h, c) in s.headers.iter().zip(row) {
                    flipped.add_row(vec![h.clone(), c]);
                }
                *s = flipped;
            }
        }
        max_width = max(&sections);
    }
    let style = Style { color };
    let mut out = format!("{}\n", "-".repeat(max_width));
    for s in &sections {
        let bars = style.bar().repeat(s.indent);
        let mut line = |l: String| out.push_str(&format!("{bars}{l}{bars}\n"));
        let w = max_width.saturating_sub(2 * s.indent);
        if !s.title.is_empty() {
            line(center(&s.title, text_len(&s.title), w, "|", "|"));
            if s.headers.is_empty() && s.rows.is_empty() {
                line(format!("+{}+", "-".repeat(w.saturating_sub(2))));
            }
        }
        let widths = s.column_widths(4, Some(w));
        if !s.headers.is_empty() {
            line(line_break(&widths));
            let mut l = String::new();
            for (i, (cw, h)) in widths.iter().zip(&s.headers).enumerate() {
                l.push_str(&center(h, text_len(h), *cw, if i == 0 { "|" } else { "" }, "|"));
            }
            line(l);
        }
        if !s.rows.is_empty() && !widths.is_empty() {
            line(line_break(&widths));
            for row in &s.rows {
                let mut l = String::new();
                for (i, (cw, c)) in widths.iter().zip(row).enumerate() {
                    l.push_str(&align_left(
                        &style.value(c),
                        text_len(c),
                        *cw,
                        if i == 0 { "|" } else { "" },
                        "|",
                    ));
                }
                line(l);
            }
            line(line_break(&widths));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_fill_the_width_rounding_half_to_even() {
        let mut s = Section::default();
        s.add_row(vec!["ab".into(), "cd".into()]);
        // 6 + 6 scaled to 13: 6.5 and 6.5 round to 6 and 6, then one more to the last.
        assert_eq!(s.column_widths(4, Some(13)), [6, 7]);
    }

    #[test]
    fn nothing_to_draw_is_nothing() {
        assert_eq!(render("T", &json!({}), false, 80), "");
        assert_eq!(render("T", &json!([]), false, 80), "");
    }

    #[test]
    fn values_are_escaped_and_coloured_when_asked() {
        let t = render("T", &json!({"A": "x\u{1b}[2J"}), true, 80);
        assert!(t.contains("x\\e[2J"), "{t}");
        assert!(t.contains("\x1b[1m\x1b[34mA\x1b[0m") || t.contains("\x1b[34m"), "{t}");
        assert!(!render("T", &json!({"A": "x"}), false, 80).contains('\x1b'));
    }
}
