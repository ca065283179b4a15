//! Drive the built binary in a pseudo-terminal: spawn it at a given size with a clean
//! environment (TERM=xterm-256color, HOME and the XDG directories in a temporary directory),
//! feed it keys, read its screen through a vt100 parser, wait until the screen shows
//! something (a generous timeout, never a timing assertion), and read its exit status and
//! every byte it wrote.
//!
//! Use from a test file with `#[path = "common/pty.rs"] mod pty;`.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_chimescope");
/// How long to wait for the screen or the exit: generous, for a loaded 2-core CI machine.
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const ESC: &str = "\x1b";
pub const CTRL_C: &str = "\x03";

/// Wrap text in bracketed-paste markers.
pub fn paste(text: &str) -> String {
    format!("\x1b[200~{text}\x1b[201~")
}

struct Shared {
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
}

pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    master: Option<Box<dyn MasterPty + Send>>,
    shared: Arc<Mutex<Shared>>,
    reader: Option<std::thread::JoinHandle<()>>,
    pub home: PathBuf,
}

/// How to start the binary.
pub struct Spawn<'a> {
    pub args: &'a [&'a str],
    pub cols: u16,
    pub rows: u16,
    /// Extra environment, on top of the clean one.
    pub env: &'a [(&'a str, &'a str)],
    /// A command the binary is run under (its path and `args` follow these words), e.g.
    /// `["sh", "-c", "ulimit -f 8; exec \"$0\" \"$@\""]`; empty: the binary itself.
    pub wrap: &'a [&'a str],
}

impl Default for Spawn<'_> {
    fn default() -> Self {
        Self { args: &["--demo"], cols: 120, rows: 40, env: &[], wrap: &[] }
    }
}

/// A command's environment for the tests: nothing of the caller's but PATH, a known terminal,
/// and `home` as HOME with the XDG directories under it; run in `home`.
pub fn hermetic(cmd: &mut CommandBuilder, home: &Path) {
    cmd.env_clear();
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join(".config"));
    cmd.env("XDG_STATE_HOME", home.join(".local/state"));
    cmd.env("XDG_CACHE_HOME", home.join(".cache"));
    cmd.env("XDG_DATA_HOME", home.join(".local/share"));
    cmd.env("TZ", "UTC");
    cmd.cwd(home);
}

impl Pty {
    /// Start `chimescope` with `opts` and `home` as HOME (config in `home/.config`, state in
    /// `home/.local/state`).
    pub fn spawn(opts: Spawn<'_>, home: &Path) -> Self {
        let system = native_pty_system();
        let pair = system
            .openpty(PtySize { rows: opts.rows, cols: opts.cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pty");
        let mut cmd = match opts.wrap.split_first() {
            Some((program, words)) => {
                let mut cmd = CommandBuilder::new(program);
                cmd.args(words);
                cmd.arg(BIN);
                cmd
            }
            None => CommandBuilder::new(BIN),
        };
        cmd.args(opts.args);
        hermetic(&mut cmd, home);
        for (k, v) in opts.env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn chimescope in the pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let shared = Arc::new(Mutex::new(Shared {
            parser: vt100::Parser::new(opts.rows, opts.cols, 0),
            raw: Vec::new(),
            eof: false,
        }));
        let s = shared.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut g = s.lock().unwrap();
                        g.parser.process(&buf[..n]);
                        g.raw.extend_from_slice(&buf[..n]);
                    }
                }
            }
            s.lock().unwrap().eof = true;
        });
        Self {
            child,
            writer: Some(writer),
            master: Some(pair.master),
            shared,
            reader: Some(reader),
            home: home.to_path_buf(),
        }
    }

    /// Type bytes (keys, pastes) into the terminal.
    pub fn send(&mut self, s: &str) {
        let w = self.writer.as_mut().expect("the pty is open");
        w.write_all(s.as_bytes()).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.shared.lock().unwrap().parser.screen().contents()
    }

    /// Every byte the program wrote so far.
    pub fn output(&self) -> Vec<u8> {
        self.shared.lock().unwrap().raw.clone()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Wait until the screen satisfies `pred`; panics with the screen after [`TIMEOUT`].
    pub fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Wait until the screen shows `text`.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on screen"), |s| s.contains(text))
    }

    /// Wait until the screen shows every one of `texts` at once (a frame arrives in pieces:
    /// waiting for all that is asserted avoids reading half a frame).
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?} on screen"), |s| texts.iter().all(|t| s.contains(t)))
    }

    /// Wait for the program to exit; panics after [`TIMEOUT`]. Waits for its last output too.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                break st;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("timed out waiting for the exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // Drain what is left: the reader ends when the pty closes.
        self.writer.take();
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.shared.lock().unwrap().eof && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        status
    }

    /// The output as lossy text (for error messages written to the terminal).
    pub fn output_text(&self) -> String {
        String::from_utf8_lossy(&self.output()).into_owned()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.writer.take();
        self.master.take();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

/// Does `haystack` contain `needle`?
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The position of the last `needle` in `haystack`.
pub fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The OSC 52 payloads in `out`, decoded.
pub fn osc52_payloads(out: &[u8]) -> Vec<String> {
    use base64::Engine;
    let mut found = Vec::new();
    let mut rest = out;
    while let Some(i) = rest.windows(7).position(|w| w == b"\x1b]52;c;") {
        let body = &rest[i + 7..];
        let end = body.iter().position(|b| *b == 0x07).expect("a BEL terminator");
        let bytes = base64::engine::general_purpose::STANDARD.decode(&body[..end]).expect("base64");
        found.push(String::from_utf8(bytes).expect("utf-8"));
        rest = &body[end..];
    }
    found
}
