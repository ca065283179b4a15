//! How a command with JSON output prints it, as the AWS CLI does: `--query` (JMESPath over the
//! JSON, with the `jmespath` crate), `--output json|text|table`, colour, and the pager.
//!
//! Without `--query`, `--output text` stays ours (for people); with it, text is the AWS CLI's
//! (tab-separated values of the result, for scripts: `--query X --output text`).

use super::exit::EXIT_OTHER;
use super::table::{self, scalar};
use crate::cli::{Output, PrintArgs};
use crate::model::{escape_control, json_pretty};
use serde_json::{Map, Value};
use std::io::IsTerminal;

/// A compiled `--query`.
pub struct Query {
    expr: jmespath::Expression<'static>,
    /// The key orders of the expression's multiselect hashes (`{A: x, B: y}`), in the order
    /// written: the crate's objects are sorted by key, the AWS CLI keeps the order written.
    hashes: Vec<Vec<String>>,
}

impl Query {
    /// The expression compiled, or the message for a refusal (exit 252, nothing sent).
    pub fn parse(text: &str) -> Result<Query, String> {
        match jmespath::compile(&legacy_literals(text)) {
            Ok(expr) => {
                let mut hashes = Vec::new();
                hash_orders(expr.as_ast(), &mut hashes);
                Ok(Query { expr, hashes })
            }
            Err(e) => Err(format!("--query: not a JMESPath expression: {}", first_line(&e))),
        }
    }

    /// The expression applied to `data`: what the AWS CLI would print for it. Objects keep the
    /// order of `data` (the service's order), a multiselect hash the order written.
    pub fn apply(&self, data: &Value) -> Result<Value, String> {
        let found = self.expr.search(data).map_err(|e| format!("--query: {}", first_line(&e)))?;
        let v = serde_json::to_value(&*found).map_err(|e| format!("--query: {e}"))?;
        let mut order = Vec::new();
        key_order(data, &mut order, 0);
        Ok(reorder(v, &order, &self.hashes, 0))
    }
}

/// An error's first line (the reason and where; the crate's next lines draw the expression),
/// escaped.
fn first_line(e: &jmespath::JmespathError) -> String {
    let s = e.to_string();
    escape_control(s.lines().next().unwrap_or_default()).into_owned()
}

/// `text` with each JSON literal that is not JSON (`` `INACTIVE` ``) written as the JSON
/// string it stands for (`` `"INACTIVE"` ``): the AWS CLI's JMESPath (Python's) still takes
/// that older form, the crate does not. Raw strings (`'…'`) and quoted names (`"…"`) are left
/// as they are.
fn legacy_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    // Bounded: each turn consumes at least one character.
    while let Some(c) = chars.next() {
        if c != '\'' && c != '"' && c != '`' {
            out.push(c);
            continue;
        }
        let mut inner = String::new();
        let mut closed = false;
        while let Some(d) = chars.next() {
            if d == '\\' {
                inner.push(d);
                if let Some(e) = chars.next() {
                    inner.push(e);
                }
            } else if d == c {
                closed = true;
                break;
            } else {
                inner.push(d);
            }
        }
        let close = if closed { c.to_string() } else { String::new() };
        if c == '`' && closed {
            let lexeme = inner.replace("\\`", "`");
            if serde_json::from_str::<Value>(&lexeme).is_err()
                && let Ok(Value::String(s)) = serde_json::from_str(&format!("\"{}\"", lexeme.trim_start()))
            {
                let json = Value::String(s).to_string().replace('`', "\\`");
                out.push_str(&format!("`{json}`"));
                continue;
            }
        }
        out.push(c);
        out.push_str(&inner);
        out.push_str(&close);
    }
    out
}

/// The deepest JSON the reordering walks (a service's answer is a few levels deep).
const MAX_DEPTH: usize = 64;

fn hash_orders(ast: &jmespath::ast::Ast, out: &mut Vec<Vec<String>>) {
    use jmespath::ast::Ast;
    match ast {
        Ast::MultiHash { elements, .. } => {
            out.push(elements.iter().map(|kv| kv.key.clone()).collect());
            for kv in elements {
                hash_orders(&kv.value, out);
            }
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => {
            hash_orders(lhs, out);
            hash_orders(rhs, out);
        }
        Ast::Condition { predicate, then, .. } => {
            hash_orders(predicate, out);
            hash_orders(then, out);
        }
        Ast::Expref { ast: node, .. }
        | Ast::Flatten { node, .. }
        | Ast::Not { node, .. }
        | Ast::ObjectValues { node, .. } => hash_orders(node, out),
        Ast::Function { args: elements, .. } | Ast::MultiList { elements, .. } => {
            for e in elements {
                hash_orders(e, out);
            }
        }
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. } => {}
    }
}

/// Every key of `v` in the order it first appears.
fn key_order(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if !out.contains(k) {
                    out.push(k.clone());
                }
                key_order(x, out, depth + 1);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| key_order(x, out, depth + 1)),
        _ => {}
    }
}

fn reorder(v: Value, order: &[String], hashes: &[Vec<String>], depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return v;
    }
    match v {
        Value::Array(a) => {
            Value::Array(a.into_iter().map(|x| reorder(x, order, hashes, depth + 1)).collect())
        }
        Value::Object(m) => {
            let keys: Vec<&String> = m.keys().collect();
            let written = hashes.iter().find(|h| h.len() == keys.len() && keys.iter().all(|k| h.contains(k)));
            let rank = |k: &str| match written {
                Some(h) => h.iter().position(|x| x == k).unwrap_or(usize::MAX),
                None => order.iter().position(|x| x == k).unwrap_or(usize::MAX),
            };
            let mut pairs: Vec<(String, Value)> = m.into_iter().collect();
            pairs.sort_by_key(|(k, _)| rank(k));
            let mut out = Map::new();
            for (k, x) in pairs {
                out.insert(k, reorder(x, order, hashes, depth + 1));
            }
            Value::Object(out)
        }
        other => other,
    }
}

/// How a command prints: the output form, the query, colour and the pager.
pub struct Format {
    pub output: Output,
    pub query: Option<Query>,
    /// Colour in `--output table` (a terminal, no `--no-color`, no `NO_COLOR`).
    pub color: bool,
    /// Through the pager when stdout is a terminal.
    pub pager: bool,
}

impl Format {
    /// From the command line: a bad `--query` is the message for exit 252.
    pub fn new(output: Output, p: &PrintArgs) -> Result<Format, String> {
        let query = p.query.as_deref().map(Query::parse).transpose()?;
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Ok(Format {
            output,
            query,
            color: !p.no_color && !no_color_env && std::io::stdout().is_terminal(),
            pager: !p.no_pager,
        })
    }

    /// Plain JSON, no query: what a test or an internal caller prints.
    pub fn json() -> Format {
        Format { output: Output::Json, query: None, color: false, pager: false }
    }

    /// What to print for `data` (the JSON output; `title`: the table's title, the operation's
    /// name as the AWS CLI gives it); `text`: our text form, used without `--query`.
    pub fn render(&self, title: &str, data: &Value, text: impl FnOnce() -> String) -> Result<String, String> {
        let (v, queried) = match &self.query {
            Some(q) => (q.apply(data)?, true),
            None => (data.clone(), false),
        };
        Ok(match self.output {
            // The AWS CLI prints nothing for an empty object.
            Output::Json if queried && v == Value::Object(Map::new()) => String::new(),
            Output::Json => json_pretty(&v) + "\n",
            Output::Text if queried => aws_text(&v),
            Output::Text => text(),
            Output::Table => table::render(title, &v, self.color, table_width()),
        })
    }

    /// [`Format::render`], written to stdout (through the pager when it applies); the exit code.
    pub fn print(&self, title: &str, data: &Value, text: impl FnOnce() -> String) -> i32 {
        match self.render(title, data, text) {
            Ok(s) => super::pager::write(&s, self.pager),
            // The expression compiled but failed on this data (a function given the wrong
            // type): as the AWS CLI, after the request, 255.
            Err(e) => {
                crate::say!("chimescope: {e}");
                EXIT_OTHER
            }
        }
    }
}

/// The width a table may take: the terminal's, else 80 (as the AWS CLI).
fn table_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((cols, _)) = crossterm::terminal::size()
        && cols > 0
    {
        return usize::from(cols);
    }
    80
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// The AWS CLI's `--output text` of `v` (awscli's text.py): scalars tab-separated, a list of
/// objects one row each under their sorted scalar keys, nested values on rows of their own
/// named by their key in capitals.
pub fn aws_text(v: &Value) -> String {
    let mut out = String::new();
    text_item(v, None, None, &mut out, 0);
    out
}

fn text_item(v: &Value, id: Option<&str>, scalar_keys: Option<&[String]>, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => text_dict(m, id, scalar_keys, out, depth),
        Value::Array(a) => text_list(a, id, out, depth),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn text_list(a: &[Value], id: Option<&str>, out: &mut String, depth: usize) {
    if a.is_empty() {
        return;
    }
    if a.iter().any(Value::is_object) {
        let mut keys: Vec<String> = a
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|m| m.iter().filter(|(_, x)| is_scalar(x)).map(|(k, _)| k.clone()))
            .collect();
        keys.sort();
        keys.dedup();
        for x in a {
            text_item(x, id, Some(&keys), out, depth + 1);
        }
    } else if a.iter().any(Value::is_array) {
        let scalars: Vec<&Value> = a.iter().filter(|x| is_scalar(x)).collect();
        if !scalars.is_empty() {
            scalar_list(&scalars, id, out);
        }
        for x in a.iter().filter(|x| !is_scalar(x)) {
            text_item(x, id, None, out, depth + 1);
        }
    } else {
        scalar_list(&a.iter().collect::<Vec<_>>(), id, out);
    }
}

fn scalar_list(a: &[&Value], id: Option<&str>, out: &mut String) {
    match id {
        Some(id) => {
            for x in a {
                out.push_str(&format!("{}\t{}\n", escape_control(&id.to_uppercase()), scalar(x)));
            }
        }
        None => {
            out.push_str(&a.iter().map(|x| scalar(x)).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
    }
}

fn text_dict(
    m: &Map<String, Value>,
    id: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
    depth: usize,
) {
    let mut sorted: Vec<(&String, &Value)> = m.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let (mut scalars, mut nested): (Vec<String>, Vec<(&str, &Value)>) = (Vec::new(), Vec::new());
    match scalar_keys {
        None => {
            for (k, x) in sorted {
                if is_scalar(x) {
                    scalars.push(scalar(x));
                } else {
                    nested.push((k, x));
                }
            }
        }
        Some(keys) => {
            for k in keys {
                scalars.push(m.get(k).map(scalar).unwrap_or_default());
            }
            nested =
                sorted.into_iter().filter(|(k, _)| !keys.contains(k)).map(|(k, x)| (k.as_str(), x)).collect();
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = id {
            scalars.insert(0, escape_control(&id.to_uppercase()).into_owned());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (k, x) in nested {
        text_item(x, Some(k), None, out, depth + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_query_keeps_the_services_order_and_the_order_written() {
        let data =
            json!({"E": [{"Id": "a", "Type": "GCM", "Arn": "x"}, {"Id": "b", "Type": "APNS", "Arn": "y"}]});
        let q = Query::parse("E[0]").unwrap();
        let keys: Vec<String> = q.apply(&data).unwrap().as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["Id", "Type", "Arn"]);
        let q = Query::parse("E[].{Z: Type, A: Id}").unwrap();
        let v = q.apply(&data).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"[{"Z":"GCM","A":"a"},{"Z":"APNS","A":"b"}]"#);
    }

    #[test]
    fn bare_literals_are_strings_as_in_the_aws_cli() {
        let data = json!({"E": [{"S": "INACTIVE", "Id": "a"}, {"S": "ACTIVE", "Id": "b"}]});
        let q = Query::parse("E[?S==`INACTIVE`].Id").unwrap();
        assert_eq!(q.apply(&data).unwrap(), json!(["a"]));
        assert_eq!(legacy_literals("a[?b==`1`] | 'x`y' | \"`\""), "a[?b==`1`] | 'x`y' | \"`\"");
        assert_eq!(legacy_literals("`a b`"), "`\"a b\"`");
    }

    #[test]
    fn bad_expressions_are_refused_in_one_line() {
        let e = Query::parse("E[?Type==").err().unwrap();
        assert!(e.starts_with("--query: not a JMESPath expression"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn aws_text_as_awscli_prints_it() {
        assert_eq!(aws_text(&json!("ep-1")), "ep-1\n");
        assert_eq!(aws_text(&json!(["a", "b"])), "a\tb\n");
        assert_eq!(aws_text(&json!([["a", 1], ["b", true]])), "a\t1\nb\tTrue\n");
        let v = json!({"L": [{"B": "2", "A": "1", "S": {"X": "x"}}, {"A": "3"}], "N": null});
        assert_eq!(aws_text(&v), "None\nL\t1\t2\nS\tx\nL\t3\t\n");
        assert_eq!(aws_text(&json!("a\u{1b}[2Jb")), "a\\e[2Jb\n");
    }
}
