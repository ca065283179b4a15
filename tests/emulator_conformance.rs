#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stdout, clippy::print_stderr)] // a test: failing loudly is its job
//! A conformance test generated from the service model: for every operation, the boundary
//! values of every constrained member of its input (min, max, max+1, min−1, a pattern miss,
//! every enum value and one outside the enum, each required member missing), nested members
//! included, each sent over HTTP as a client would (path labels percent-encoded, query string,
//! JSON body, a well-formed SigV4 header) to the emulator process. A value the model allows
//! must get past validation (success, or the NotFound/Conflict its semantics answer); a value
//! it refuses must be answered 400 BadRequestException. Whether a value is allowed is decided
//! here from the model's lengths, ranges and enums, and its patterns through the emulator's
//! Java-pattern translation (tested on its own in src/emulator/spec/pattern.rs). The Chime SDK
//! Messaging model's served operations get the same (header members sent as headers).

#[path = "common/emu.rs"]
mod emu;

use chimescope::emulator::spec::pattern::Pattern;
use emu::EmuProc;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};
use std::io::{Read, Write};

const MODEL: &str = include_str!("../assets/chime-sdk-identity-2021-04-20.service-2.json");
const MESSAGING: &str = include_str!("../assets/chime-sdk-messaging-2021-05-15.service-2.json");

/// A valid value of a string shape that has a pattern, by shape name.
fn sample(shape: &str) -> &'static str {
    match shape {
        "ChimeArn" | "SensitiveChimeArn" => "arn:aws:chime:us-east-1:123456789012:app-instance/conformance",
        "LexBotAliasArn" => "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST",
        "LexIntentName" => "Welcome",
        "UserId" => "user-1",
        "ClientRequestToken" => "token-0001",
        _ => "abc",
    }
}

struct Model {
    shapes: Map<String, Value>,
}

impl Model {
    fn shape(&self, name: &str) -> &Value {
        &self.shapes[name]
    }

    /// A valid value of a shape (all members, required or not, for structures).
    fn base(&self, name: &str) -> Value {
        let s = self.shape(name);
        match s["type"].as_str().unwrap() {
            "string" => {
                if let Some(e) = s["enum"].as_array() {
                    return e[0].clone();
                }
                let min = s["min"].as_u64().unwrap_or(0) as usize;
                let t = sample(name);
                Value::String(if t.chars().count() < min { pad(t, min) } else { t.to_string() })
            }
            "integer" | "long" => json!(s["min"].as_i64().unwrap_or(1).max(1)),
            "boolean" => json!(true),
            "timestamp" => json!(1700000000),
            "map" => json!({"k": self.base(s["value"]["shape"].as_str().unwrap())}),
            "structure" => {
                let mut m = Map::new();
                for (k, v) in s["members"].as_object().unwrap() {
                    m.insert(k.clone(), self.base(v["shape"].as_str().unwrap()));
                }
                Value::Object(m)
            }
            "list" => {
                let el = s["member"]["shape"].as_str().unwrap();
                json!([self.base(el)])
            }
            t => panic!("type {t}"),
        }
    }

    /// Whether `v` satisfies the shape's own constraints.
    fn allowed(&self, name: &str, v: &Value) -> bool {
        let s = self.shape(name);
        let (min, max) = (s["min"].as_f64(), s["max"].as_f64());
        match v {
            Value::String(t) => {
                let n = t.chars().count() as f64;
                let in_enum = s["enum"].as_array().is_none_or(|e| e.iter().any(|x| x == v));
                let pat = s["pattern"].as_str().is_none_or(|p| Pattern::new(p).unwrap().matches(t));
                min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) && in_enum && pat
            }
            Value::Number(x) => {
                let x = x.as_f64().unwrap();
                min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m)
            }
            Value::Array(a) => {
                let n = a.len() as f64;
                min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
            }
            _ => true,
        }
    }

    /// Boundary values of a shape's own constraints.
    fn boundaries(&self, name: &str, base: &Value) -> Vec<Value> {
        let s = self.shape(name);
        let (min, max) = (s["min"].as_u64(), s["max"].as_u64());
        let mut out = Vec::new();
        match s["type"].as_str().unwrap() {
            "string" => {
                if let Some(e) = s["enum"].as_array() {
                    out.extend(e.iter().cloned());
                    out.push(json!("NOT_IN_THE_ENUM"));
                    return out;
                }
                let b = base.as_str().unwrap();
                for n in [min, max, max.map(|m| m + 1), min.filter(|m| *m > 0).map(|m| m - 1)]
                    .into_iter()
                    .flatten()
                {
                    out.push(Value::String(pad(b, n as usize)));
                }
                if s["pattern"].is_string() {
                    out.push(json!("line\nbreak"));
                    out.push(json!("!bad value!"));
                }
            }
            "integer" | "long" => {
                if let Some(m) = s["min"].as_i64() {
                    out.extend([json!(m), json!(m - 1)]);
                }
                if let Some(m) = s["max"].as_i64() {
                    out.extend([json!(m), json!(m + 1)]);
                }
            }
            "list" => {
                let el = base.as_array().unwrap().first().cloned().unwrap_or(Value::Null);
                // Elements with a pattern (ARNs) stay the valid base element.
                let patterned = self.shape(s["member"]["shape"].as_str().unwrap())["pattern"].is_string();
                let make = |n: u64| {
                    Value::Array(
                        (0..n)
                            .map(|k| match &el {
                                Value::Object(o) if o.contains_key("Key") => {
                                    json!({"Key": format!("k{k}"), "Value": "v"})
                                }
                                Value::String(_) if !patterned => json!(format!("k{k}")),
                                other => other.clone(),
                            })
                            .collect(),
                    )
                };
                for n in [min, max, max.map(|m| m + 1), min.filter(|m| *m > 0).map(|m| m - 1)]
                    .into_iter()
                    .flatten()
                {
                    out.push(make(n));
                }
            }
            _ => {}
        }
        out
    }
}

/// `s` cut or padded (with `x`) to `n` characters.
fn pad(s: &str, n: usize) -> String {
    let mut t: String = s.chars().take(n).collect();
    while t.chars().count() < n {
        t.push('x');
    }
    t
}

/// One case: the whole input, and whether the model allows it.
struct Case {
    label: String,
    input: Value,
    valid: bool,
}

/// Cases for the members of structure `shape` at `path` inside `input`.
fn cases(m: &Model, shape: &str, input: &Value, path: &[String], out: &mut Vec<Case>) {
    let s = m.shape(shape);
    let required: Vec<&str> =
        s["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    for (name, member) in s["members"].as_object().unwrap() {
        let ms = member["shape"].as_str().unwrap();
        let mut p = path.to_vec();
        p.push(name.clone());
        let is_label = path.is_empty() && member["location"] == "uri";
        let base = get(input, &p).clone();
        if required.contains(&name.as_str()) && !is_label {
            out.push(Case {
                label: format!("{} missing", p.join(".")),
                input: with(input, &p, None),
                valid: false,
            });
        }
        for v in m.boundaries(ms, &base) {
            // An empty path label cannot be routed at all: not a validation case.
            if is_label && v.as_str() == Some("") {
                continue;
            }
            // A line break cannot be sent in a header by any client.
            if member["location"] == "header" && v.as_str().is_some_and(|t| t.contains('\n')) {
                continue;
            }
            // A list's elements must stay valid for the list's own bounds to be what is tested.
            let valid = m.allowed(ms, &v);
            let shown = match &v {
                Value::String(t) if t.len() > 20 => format!("{} chars", t.chars().count()),
                Value::Array(a) => format!("{} items", a.len()),
                other => other.to_string(),
            };
            out.push(Case {
                label: format!("{} = {shown}", p.join(".")),
                input: with(input, &p, Some(v)),
                valid,
            });
        }
        if m.shape(ms)["type"] == "structure" {
            cases(m, ms, input, &p, out);
        }
    }
}

fn get<'a>(v: &'a Value, path: &[String]) -> &'a Value {
    path.iter().fold(v, |v, k| &v[k])
}

fn with(input: &Value, path: &[String], value: Option<Value>) -> Value {
    let mut out = input.clone();
    let (last, parents) = path.split_last().unwrap();
    let mut cur = &mut out;
    for k in parents {
        cur = &mut cur[k];
    }
    let obj = cur.as_object_mut().unwrap();
    match value {
        Some(v) => obj.insert(last.clone(), v),
        None => obj.remove(last),
    };
    out
}

/// Send `input` to `op` as a client would; the status and the `x-amzn-ErrorType`.
fn send(addr: &str, m: &Model, op: &Value, input: &Value) -> (u16, String, String) {
    let s = m.shape(op["input"]["shape"].as_str().unwrap());
    let uri = op["http"]["requestUri"].as_str().unwrap();
    let (tpath, fixed) = uri.split_once('?').unwrap_or((uri, ""));
    let mut path = tpath.to_string();
    let mut query: Vec<String> = fixed.split('&').filter(|p| !p.is_empty()).map(str::to_string).collect();
    let mut body = Map::new();
    let mut headers = String::new();
    let enc = |t: &str| utf8_percent_encode(t, NON_ALPHANUMERIC).to_string();
    for (name, member) in s["members"].as_object().unwrap() {
        let Some(v) = input.get(name) else { continue };
        let text = match v {
            Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        let loc = member["locationName"].as_str().unwrap_or(name);
        match member["location"].as_str() {
            Some("uri") => path = path.replace(&format!("{{{loc}}}"), &enc(&text)),
            Some("querystring") => query.push(format!("{}={}", enc(loc), enc(&text))),
            Some("header") => headers.push_str(&format!("{loc}: {text}\r\n")),
            _ => {
                body.insert(name.clone(), v.clone());
            }
        }
    }
    let body = if body.is_empty() && op["http"]["method"] == "GET" {
        String::new()
    } else {
        Value::Object(body).to_string()
    };
    let target = if query.is_empty() { path } else { format!("{path}?{}", query.join("&")) };
    let req = format!(
        "{} {target} HTTP/1.1\r\nhost: {addr}\r\nx-amz-date: 20240101T000000Z\r\nauthorization: AWS4-HMAC-SHA256 \
         Credential=AKID/20240101/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\n\
         {headers}content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        op["http"]["method"].as_str().unwrap(),
        "0".repeat(64),
        body.len()
    );
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    c.read_to_string(&mut out).unwrap();
    let status = out.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let kind = out
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("x-amzn-errortype: ").map(str::to_string))
        .unwrap_or_default();
    let msg = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, kind, msg)
}

/// Every case of the operations of `model` that `served` keeps: how many, and the wrong ones.
fn run(model: &str, served: impl Fn(&str) -> bool) -> (usize, usize, Vec<String>) {
    let raw: Value = serde_json::from_str(model).unwrap();
    let m = Model { shapes: raw["shapes"].as_object().unwrap().clone() };
    let emu = EmuProc::start(&[]);
    let addr = emu.url.trim_start_matches("http://").to_string();
    let mut total = 0;
    let mut ops = 0;
    let mut wrong = Vec::new();
    for (name, op) in raw["operations"].as_object().unwrap().iter().filter(|(n, _)| served(n)) {
        ops += 1;
        let Some(shape) = op["input"]["shape"].as_str() else { continue };
        let base = m.base(shape);
        let mut list = Vec::new();
        cases(&m, shape, &base, &[], &mut list);
        for c in list {
            total += 1;
            let (status, kind, body) = send(&addr, &m, op, &c.input);
            let refused = status == 400 && kind == "badrequestexception" && body.contains("validation error");
            if c.valid == refused {
                wrong.push(format!(
                    "{name} {}: expected {}, got {status} {kind} {body}",
                    c.label,
                    if c.valid { "past validation" } else { "BadRequest" }
                ));
            }
            // Whatever passes validation is answered with an exception the operation can raise
            // (or NotFound, which the service sends unmodelled) or succeeds.
            if !c.valid && !kind.is_empty() {
                continue;
            }
            if !kind.is_empty() {
                let modelled = op["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["shape"].as_str().unwrap().eq_ignore_ascii_case(&kind));
                if !modelled && kind != "notfoundexception" {
                    wrong.push(format!("{name} {}: {kind} is not an exception of the operation", c.label));
                }
            }
        }
    }
    (total, ops, wrong)
}

#[test]
fn every_constrained_member_of_every_operation_at_its_boundaries() {
    let (total, ops, wrong) = run(MODEL, |_| true);
    eprintln!("conformance: {total} cases over {ops} operations");
    assert!(total > 400, "{total} cases");
    assert!(wrong.is_empty(), "{} of {total} cases wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn every_constrained_member_of_every_served_messaging_operation_at_its_boundaries() {
    let served: Vec<&str> = chimescope::emulator::messaging::served().collect();
    let tags = ["TagResource", "UntagResource", "ListTagsForResource"];
    let (total, ops, wrong) = run(MESSAGING, |n| served.contains(&n) || tags.contains(&n));
    eprintln!("messaging conformance: {total} cases over {ops} operations");
    assert_eq!(ops, 20);
    assert!(total > 300, "{total} cases");
    assert!(wrong.is_empty(), "{} of {total} cases wrong:\n{}", wrong.len(), wrong.join("\n"));
}
