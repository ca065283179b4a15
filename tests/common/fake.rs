//! A hostile Chime SDK Identity service for tests: a tiny restJson HTTP/1.1 server on
//! 127.0.0.1:0 whose every answer a test writes (repeated or cycling NextTokens, endless pages,
//! lies about the resource asked for). It counts the requests it served, so that a test bounds
//! what the client asked without timing anything. Also [`run_bounded`]: a command run as a
//! process that must end by itself (killed, and the test failed, if it does not).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One request as the fake saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The path's segments, percent-decoded (`["app-instance-users", "arn:…/user/u-1", "endpoints"]`).
    pub segments: Vec<String>,
    /// The query string's parameters, percent-decoded.
    pub query: HashMap<String, String>,
    pub body: String,
    /// How many requests came before this one.
    pub index: usize,
}

impl Request {
    /// The Chime SDK Identity operation this request is (by method and path, WIRE.md).
    pub fn operation(&self) -> &'static str {
        let s: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        match (self.method.as_str(), s.as_slice()) {
            ("GET", ["app-instances"]) => "ListAppInstances",
            ("GET", ["app-instances", _]) => "DescribeAppInstance",
            ("GET", ["app-instance-users"]) => "ListAppInstanceUsers",
            ("GET", ["app-instance-users", _]) => "DescribeAppInstanceUser",
            ("GET", ["app-instance-users", _, "endpoints"]) => "ListAppInstanceUserEndpoints",
            ("GET", ["app-instance-users", _, "endpoints", _]) => "DescribeAppInstanceUserEndpoint",
            ("POST", ["app-instance-users", _, "endpoints"]) => "RegisterAppInstanceUserEndpoint",
            ("PUT", ["app-instance-users", _, "endpoints", _]) => "UpdateAppInstanceUserEndpoint",
            ("DELETE", ["app-instance-users", _, "endpoints", _]) => "DeregisterAppInstanceUserEndpoint",
            _ => "Unknown",
        }
    }

    /// The ARN in the path (users' operations), or the `app-instance-arn` parameter.
    pub fn arn(&self) -> String {
        match self.segments.get(1) {
            Some(a) => a.clone(),
            None => self.query.get("app-instance-arn").cloned().unwrap_or_default(),
        }
    }

    pub fn next_token(&self) -> Option<&str> {
        self.query.get("next-token").map(String::as_str)
    }
}

/// What the fake answers: a status and a JSON body.
pub type Handler = dyn Fn(&Request) -> (u16, String) + Send + Sync;

pub struct Fake {
    pub url: String,
    served: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

impl Fake {
    pub fn start(handler: impl Fn(&Request) -> (u16, String) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let served = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (s, st) = (served.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { continue };
                let (h, s) = (handler.clone(), s.clone());
                std::thread::spawn(move || serve(conn, &*h, &s));
            }
        });
        Fake { url: format!("http://{addr}"), served, stop, addr }
    }

    /// How many requests were answered so far.
    pub fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wake the accept loop
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Answer the requests of one connection (kept alive) until the client closes it.
fn serve(conn: TcpStream, handler: &Handler, served: &AtomicUsize) {
    let mut out = conn.try_clone().unwrap();
    let mut r = BufReader::new(conn);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("").to_string();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if r.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        let (path, qs) = target.split_once('?').unwrap_or((&target, ""));
        let req = Request {
            method,
            segments: path.split('/').filter(|s| !s.is_empty()).map(decode).collect(),
            query: qs
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (decode(k), decode(v)))
                .collect(),
            body: String::from_utf8_lossy(&body).into_owned(),
            index: served.load(Ordering::SeqCst),
        };
        let (status, json) = handler(&req);
        served.fetch_add(1, Ordering::SeqCst);
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-amzn-requestid: fake-{}\r\n\r\n",
            json.len(),
            req.index
        );
        if out.write_all(head.as_bytes()).and_then(|()| out.write_all(json.as_bytes())).is_err() {
            return;
        }
    }
}

/// Run `cmd` to its end, which must come within `limit`: past it, the child is killed and the
/// test fails (a paging loop that never ends must not hang the harness).
pub fn run_bounded(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = so.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = se.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command did not end by itself within {limit:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: t_out.join().unwrap(), stderr: t_err.join().unwrap() }
}
