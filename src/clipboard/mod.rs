//! Copying to the clipboard: the system clipboard, with OSC 52 as the fallback that works over
//! SSH and inside tmux (DESIGN.md module map; issue 4).
//!
//! One [`Clipboard`] lives as long as the browser. Each [`Clipboard::copy`] either returns a
//! [`CopyReport`] ("Copied device token (64 chars) via OSC 52") or a [`CopyError`] whose text is
//! the reason ("clipboard is off (CHIMESCOPE_CLIPBOARD=off)"). Both are meant for the status bar;
//! nothing here panics or prints.
//!
//! # Backends
//! - [`Backend::System`]: one `arboard` handle, created on the first system copy and kept for the
//!   life of the `Clipboard`. On X11 the copied text is served by that handle, so it would vanish
//!   from the clipboard if the handle were dropped. Wayland goes through the data-control
//!   protocol (`WAYLAND_DISPLAY`), X11 through `DISPLAY`.
//! - [`Backend::Osc52`]: the terminal sets its own clipboard from an escape sequence, which is
//!   how copying reaches the user's desktop over SSH. See [`osc52_sequence`] for the bytes, the
//!   terminator and the size bound, and [`Clipboard::copy`] for what happens inside tmux.
//! - [`Backend::Auto`] (the default): the system clipboard when a display is available and the
//!   session is not over SSH; OSC 52 otherwise, and also when the system clipboard fails (the
//!   report then says so).
//! - [`Backend::Off`]: every copy fails with the reason, so the user is never left guessing.
//!
//! # Where the OSC 52 bytes go
//! The real terminal writer is stdout, written in one `write_all` and flushed. The browser calls
//! `copy` from its event loop, between two `terminal.draw` calls (each of which flushes its
//! frame), so the sequence lands between frames and never inside one. An OSC 52 sequence moves
//! no cursor and prints nothing, so no redraw is needed afterwards. When stdout is not a
//! terminal nothing is written at all.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{IsTerminal as _, Read as _, Write};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The environment variable that picks the backend (clap also reads it into
/// `Global::clipboard`).
pub const ENV_VAR: &str = "CHIMESCOPE_CLIPBOARD";

/// The largest OSC 52 payload we send: 100 000 bytes of base64, i.e. texts of up to
/// [`OSC52_MAX_TEXT`] (75 000) bytes.
///
/// Terminals cap what they accept and drop longer sequences silently (hterm and the widely
/// copied `osc52.sh` use 100 000 for the whole sequence, vim-oscyank the same; tmux and several
/// terminals allow more, some less). Refusing above a known bound turns a silent no-op into a
/// message. The biggest thing the browser copies, an endpoint as JSON, is a few kilobytes.
pub const OSC52_MAX_BASE64: usize = 100_000;

/// The largest text (in bytes) whose base64 fits in [`OSC52_MAX_BASE64`].
pub const OSC52_MAX_TEXT: usize = OSC52_MAX_BASE64 / 4 * 3;

/// GNU screen limits the length of a device control string (256 bytes before 4.2.0, 768 since);
/// we cut the sequence into pieces of at most this many bytes, each in its own DCS.
const SCREEN_CHUNK: usize = 252;

/// How long we wait for `tmux load-buffer` before giving up (it normally takes milliseconds; the
/// event loop is blocked meanwhile).
const TMUX_TIMEOUT: Duration = Duration::from_secs(2);

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;

// ---------------------------------------------------------------------------------------------
// Backend and where it was chosen

/// Which clipboard to use (also `[clipboard] backend` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// System clipboard with a display and no SSH; OSC 52 otherwise or when the system fails.
    #[default]
    Auto,
    /// Only the system clipboard (arboard: X11 or Wayland data-control).
    System,
    /// Only OSC 52 written to the terminal (plus tmux's buffer inside tmux).
    Osc52,
    /// Copying is disabled; every copy fails with the reason.
    Off,
}

impl Backend {
    pub const ALL: [Backend; 4] = [Backend::Auto, Backend::System, Backend::Osc52, Backend::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Auto => "auto",
            Backend::System => "system",
            Backend::Osc52 => "osc52",
            Backend::Off => "off",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A backend name that is none of `auto`, `system`, `osc52`, `off`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid clipboard backend \"{value}\"{}: expected one of auto, system, osc52, off",
    origin.map(|o| format!(" (from {})", o.name())).unwrap_or_default()
)]
pub struct ParseBackendError {
    pub value: String,
    /// Where the value came from, when known (set by [`BackendChoice::resolve`]).
    pub origin: Option<Origin>,
}

impl FromStr for Backend {
    type Err = ParseBackendError;

    /// Case-insensitive, surrounding whitespace ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Backend::ALL
            .into_iter()
            .find(|b| b.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| ParseBackendError { value: s.to_string(), origin: None })
    }
}

/// Where the backend choice came from; used to explain "clipboard is off".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--clipboard` on the command line.
    Flag,
    /// The `CHIMESCOPE_CLIPBOARD` environment variable.
    Env,
    /// `[clipboard] backend = "..."` in config.toml.
    Config,
    /// Nothing set: [`Backend::Auto`].
    Default,
}

impl Origin {
    /// The name of the setting, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Flag => "--clipboard",
            Origin::Env => ENV_VAR,
            Origin::Config => "config.toml",
            Origin::Default => "the default",
        }
    }

    /// How the setting reads with `backend` as its value, e.g. `CHIMESCOPE_CLIPBOARD=off`.
    pub fn describe(self, backend: Backend) -> String {
        match self {
            Origin::Flag => format!("--clipboard {backend}"),
            Origin::Env => format!("{ENV_VAR}={backend}"),
            Origin::Config => format!("[clipboard] backend = \"{backend}\" in config.toml"),
            Origin::Default => format!("default {backend}"),
        }
    }
}

/// The backend to use and where that choice came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackendChoice {
    pub backend: Backend,
    pub origin: Origin,
}

impl Default for BackendChoice {
    fn default() -> Self {
        BackendChoice { backend: Backend::Auto, origin: Origin::Default }
    }
}

impl BackendChoice {
    pub fn new(backend: Backend, origin: Origin) -> Self {
        BackendChoice { backend, origin }
    }

    /// Pick the backend: `flag_or_env` (clap's `Global::clipboard`, which holds `--clipboard` or
    /// else `CHIMESCOPE_CLIPBOARD`), then `config` (config.toml's `[clipboard] backend`), then `Auto`.
    ///
    /// `env` only serves to tell the flag and the variable apart for messages: the value counts
    /// as coming from the variable when the variable holds exactly that value.
    pub fn resolve(
        flag_or_env: Option<&str>,
        config: Option<&str>,
        env: &Env,
    ) -> Result<Self, ParseBackendError> {
        let (value, origin) = if let Some(v) = flag_or_env {
            let origin = if env.get(ENV_VAR).as_deref() == Some(v) { Origin::Env } else { Origin::Flag };
            (v, origin)
        } else if let Some(v) = config {
            (v, Origin::Config)
        } else {
            return Ok(BackendChoice::default());
        };
        value
            .parse::<Backend>()
            .map(|backend| BackendChoice { backend, origin })
            .map_err(|e| ParseBackendError { origin: Some(origin), ..e })
    }
}

// ---------------------------------------------------------------------------------------------
// Environment, injectable

/// Where environment variables are read from: the process, or a fixed map in tests (so unit
/// tests never mutate the process environment). An empty value counts as unset.
#[derive(Clone)]
pub struct Env(Arc<EnvFn>);

/// Looks one variable up.
type EnvFn = dyn Fn(&str) -> Option<String> + Send + Sync;

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Env(Arc::new(|k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned())))
    }

    /// A fixed set of variables; everything else is unset.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let map: HashMap<String, String> = pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Env(Arc::new(move |k| map.get(k).cloned()))
    }

    /// The value of `key`, `None` when unset or empty.
    pub fn get(&self, key: &str) -> Option<String> {
        (self.0)(key).filter(|v| !v.is_empty())
    }

    pub fn is_set(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Env(..)")
    }
}

/// What `auto` does in this environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoRoute {
    /// A display and no SSH: try the system clipboard first.
    System,
    /// OSC 52, for this reason ("no display", "over SSH").
    Osc52(&'static str),
}

/// The `auto` decision: the system clipboard when `DISPLAY` or `WAYLAND_DISPLAY` is set and none
/// of `SSH_CONNECTION`, `SSH_TTY`, `SSH_CLIENT` is (over SSH a forwarded X display would put the
/// text on the remote machine's clipboard, or a slow tunnel's); OSC 52 otherwise.
pub fn auto_route(env: &Env) -> AutoRoute {
    let display = env.is_set("DISPLAY") || env.is_set("WAYLAND_DISPLAY");
    let ssh = ["SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"].iter().any(|k| env.is_set(k));
    match (display, ssh) {
        (true, false) => AutoRoute::System,
        (false, _) => AutoRoute::Osc52("no display"),
        (true, true) => AutoRoute::Osc52("over SSH"),
    }
}

// ---------------------------------------------------------------------------------------------
// OSC 52

/// The terminal multiplexer between us and the terminal, which decides how OSC 52 is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Multiplexer {
    None,
    /// `TMUX` is set.
    Tmux,
    /// `STY` is set (GNU screen) and `TMUX` is not.
    Screen,
}

impl Multiplexer {
    pub fn detect(env: &Env) -> Self {
        if env.is_set("TMUX") {
            Multiplexer::Tmux
        } else if env.is_set("STY") {
            Multiplexer::Screen
        } else {
            Multiplexer::None
        }
    }
}

/// The bytes that set the terminal's clipboard (selection `c`) to `text`:
/// `ESC ] 52 ; c ; <base64 of text> BEL`, wrapped for the multiplexer:
/// - [`Multiplexer::None`]: as is.
/// - [`Multiplexer::Tmux`]: tmux passthrough, `ESC P tmux; <sequence, every ESC doubled> ESC \`,
///   which tmux hands to the outer terminal when `allow-passthrough` is on.
/// - [`Multiplexer::Screen`]: cut into pieces of at most 252 bytes, each in `ESC P ... ESC \`
///   (screen passes a DCS string to the terminal verbatim, but limits its length).
///
/// The terminator is BEL rather than ST (`ESC \`) on purpose: every terminal that implements
/// OSC 52 accepts BEL (it is what xterm documents first, what tmux itself sends, and what
/// vim-oscyank and osc52.sh use), and BEL keeps the sequence free of a second ESC, so inside a
/// screen DCS no inner `ESC \` can end the wrapper early.
///
/// Refused with [`CopyError::TooLarge`] when the base64 would exceed [`OSC52_MAX_BASE64`].
/// Pure; the base64 is standard with padding.
pub fn osc52_sequence(text: &str, mux: Multiplexer) -> Result<Vec<u8>, CopyError> {
    let b64_len = text.len().div_ceil(3) * 4;
    if b64_len > OSC52_MAX_BASE64 {
        return Err(CopyError::TooLarge { bytes: text.len(), limit: OSC52_MAX_BASE64 });
    }
    let mut seq = Vec::with_capacity(b64_len + 8);
    seq.extend_from_slice(b"\x1b]52;c;");
    seq.extend_from_slice(BASE64.encode(text.as_bytes()).as_bytes());
    seq.push(BEL);
    Ok(match mux {
        Multiplexer::None => seq,
        Multiplexer::Tmux => tmux_passthrough(&seq),
        Multiplexer::Screen => screen_dcs(&seq),
    })
}

/// `ESC P tmux; <seq with every ESC doubled> ESC \`.
fn tmux_passthrough(seq: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(seq.len() + 12);
    out.extend_from_slice(b"\x1bPtmux;");
    for &b in seq {
        if b == ESC {
            out.push(ESC);
        }
        out.push(b);
    }
    out.extend_from_slice(b"\x1b\\");
    out
}

/// `ESC P <chunk> ESC \` for each chunk of at most [`SCREEN_CHUNK`] bytes.
fn screen_dcs(seq: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(seq.len() + seq.len() / SCREEN_CHUNK * 4 + 4);
    for chunk in seq.chunks(SCREEN_CHUNK) {
        out.extend_from_slice(b"\x1bP");
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\x1b\\");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reports and errors

/// How the text was copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    System,
    Osc52,
    /// Inside tmux: the text is in tmux's paste buffer, and OSC 52 carried it to the outer
    /// terminal (sent by tmux for `load-buffer -w`, or by us through passthrough).
    Osc52AndTmux,
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Via::System => "system clipboard",
            Via::Osc52 => "OSC 52",
            Via::Osc52AndTmux => "OSC 52 and tmux buffer",
        })
    }
}

/// A successful copy, for the status bar: `Copied device token (64 chars) via OSC 52`, with
/// ` fallback (system clipboard failed: REASON)` appended when `auto` fell back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// The label passed to `copy`, e.g. "device token".
    pub what: String,
    /// Length of the text in characters (not bytes).
    pub chars: usize,
    pub via: Via,
    /// Why the system clipboard was not used, when `auto` tried it and fell back to OSC 52.
    pub fell_back: Option<String>,
}

impl fmt::Display for CopyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.chars == 1 { "char" } else { "chars" };
        write!(f, "Copied {} ({} {unit}) via {}", self.what, self.chars, self.via)?;
        if let Some(reason) = &self.fell_back {
            write!(f, " fallback (system clipboard failed: {reason})")?;
        }
        Ok(())
    }
}

/// Why a copy did not happen. The text is the reason, short enough for the status bar; see
/// [`CopyError::status`] for a whole sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CopyError {
    #[error("clipboard is off ({})", origin.describe(Backend::Off))]
    Off { origin: Origin },
    #[error("nothing to copy: {what} is empty")]
    Empty { what: String },
    /// OSC 52 needs a terminal to write to; `reason` says why OSC 52 was chosen under `auto`.
    #[error("{}", match reason {
        Some(r) => format!("{r} and output is not a terminal"),
        None => "output is not a terminal, so OSC 52 cannot be used".to_string(),
    })]
    NotATerminal { reason: Option<&'static str> },
    #[error(
        "text is {bytes} bytes; OSC 52 payloads are limited to {limit} bytes of base64 ({} bytes of text)",
        limit / 4 * 3
    )]
    TooLarge { bytes: usize, limit: usize },
    #[error("system clipboard failed: {0}")]
    System(String),
    #[error("could not write to the terminal: {0}")]
    Write(String),
    /// `auto`: the system clipboard failed, and so did the OSC 52 fallback.
    #[error("system clipboard failed ({system}) and the OSC 52 fallback too: {osc52}")]
    Fallback { system: String, osc52: Box<CopyError> },
}

impl CopyError {
    /// A status-bar sentence: `Could not copy device token: REASON`.
    pub fn status(&self, what: &str) -> String {
        format!("Could not copy {what}: {self}")
    }
}

// ---------------------------------------------------------------------------------------------
// The injectable parts

/// A system clipboard handle. The real one is `arboard`; tests use fakes.
pub trait SystemClipboard: Send {
    fn set_text(&mut self, text: &str) -> Result<(), String>;
}

/// Creates the system clipboard handle (called lazily, once it succeeds).
pub type SystemFactory = Box<dyn FnMut() -> Result<Box<dyn SystemClipboard>, String> + Send>;

/// Runs `tmux ARGS` with `input` on stdin; `Err` carries a short reason.
pub type TmuxRunner = Box<dyn FnMut(&[&str], &[u8]) -> Result<(), String> + Send>;

struct Arboard(arboard::Clipboard);

impl SystemClipboard for Arboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        self.0.set_text(text).map_err(arboard_reason)
    }
}

fn arboard_reason(e: arboard::Error) -> String {
    match e {
        arboard::Error::ClipboardNotSupported => "not supported on this display".to_string(),
        arboard::Error::ClipboardOccupied => "held by another program".to_string(),
        arboard::Error::Unknown { description } => description,
        other => other.to_string(),
    }
}

fn arboard_factory() -> Result<Box<dyn SystemClipboard>, String> {
    arboard::Clipboard::new()
        .map(|c| Box::new(Arboard(c)) as Box<dyn SystemClipboard>)
        .map_err(arboard_reason)
}

/// The real tmux runner: `tmux ARGS` with stdout discarded (we are in raw mode; nothing may
/// reach the screen), stderr captured for the reason, killed after [`TMUX_TIMEOUT`].
fn run_tmux(args: &[&str], input: &[u8]) -> Result<(), String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run tmux: {e}"))?;
    // Feed stdin from a thread: a stuck tmux must not block us on a full pipe.
    let feeder = child.stdin.take().map(|mut stdin| {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        })
    });
    let deadline = Instant::now() + TMUX_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("tmux did not answer within {}s", TMUX_TIMEOUT.as_secs()));
            }
            Err(e) => return Err(format!("waiting for tmux: {e}")),
        }
    };
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    if status.success() {
        return Ok(());
    }
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = stderr.read_to_string(&mut err);
    }
    let err = err.trim();
    Err(if err.is_empty() { format!("tmux {}: {status}", args.join(" ")) } else { err.to_string() })
}

/// Where OSC 52 bytes are written.
enum Terminal {
    /// The real terminal: stdout, used only when it is a terminal.
    Stdout,
    /// A stand-in that counts as a terminal (tests, or a caller that owns the tty).
    Writer(Box<dyn Write + Send>),
    /// Output that is not a terminal (unit tests of that case).
    #[cfg(test)]
    Missing,
}

impl Terminal {
    fn is_terminal(&self) -> bool {
        match self {
            Terminal::Stdout => std::io::stdout().is_terminal(),
            Terminal::Writer(_) => true,
            #[cfg(test)]
            Terminal::Missing => false,
        }
    }

    /// One `write_all` and a flush, so the sequence is not split across frames.
    fn write(&mut self, bytes: &[u8]) -> Result<(), CopyError> {
        let io = |e: std::io::Error| CopyError::Write(e.to_string());
        match self {
            Terminal::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes).map_err(io)?;
                out.flush().map_err(io)
            }
            Terminal::Writer(w) => {
                w.write_all(bytes).map_err(io)?;
                w.flush().map_err(io)
            }
            #[cfg(test)]
            Terminal::Missing => Err(CopyError::NotATerminal { reason: None }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Clipboard

/// The browser's clipboard: create one at start-up and keep it until exit (it owns the system
/// clipboard handle, which on X11 must outlive the copy).
pub struct Clipboard {
    choice: BackendChoice,
    env: Env,
    terminal: Terminal,
    system: Option<Box<dyn SystemClipboard>>,
    system_factory: SystemFactory,
    tmux: TmuxRunner,
}

impl fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clipboard")
            .field("choice", &self.choice)
            .field("system_handle", &self.system.is_some())
            .finish_non_exhaustive()
    }
}

impl Clipboard {
    /// The real thing: process environment, arboard, `tmux`, and stdout as the terminal.
    pub fn new(choice: BackendChoice) -> Self {
        Clipboard {
            choice,
            env: Env::process(),
            terminal: Terminal::Stdout,
            system: None,
            system_factory: Box::new(arboard_factory),
            tmux: Box::new(run_tmux),
        }
    }

    /// Like [`Clipboard::new`], but OSC 52 bytes go to `writer`, which counts as a terminal.
    pub fn with_writer(choice: BackendChoice, writer: Box<dyn Write + Send>) -> Self {
        Clipboard { terminal: Terminal::Writer(writer), ..Clipboard::new(choice) }
    }

    /// Read environment variables (display, SSH, tmux, screen) from `env` instead of the
    /// process. Does not affect arboard, which reads `DISPLAY`/`WAYLAND_DISPLAY` itself.
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Use `factory` instead of arboard to create the system clipboard handle.
    pub fn system_factory(mut self, factory: SystemFactory) -> Self {
        self.system_factory = factory;
        self.system = None;
        self
    }

    /// Use `runner` instead of the `tmux` binary.
    pub fn tmux_runner(mut self, runner: TmuxRunner) -> Self {
        self.tmux = runner;
        self
    }

    pub fn choice(&self) -> BackendChoice {
        self.choice
    }

    pub fn backend(&self) -> Backend {
        self.choice.backend
    }

    /// Copy `text`; `what` labels it in the report ("device token", "endpoint JSON").
    ///
    /// OSC 52 inside tmux (`TMUX` set): we run `tmux load-buffer -w -` with the text on stdin.
    /// That puts the text in tmux's paste buffer and makes tmux itself send OSC 52 to the outer
    /// terminal (with tmux's default `set-clipboard external` or `on`), over SSH too, with no
    /// option the user has to turn on. A plain OSC 52 from us would be ignored by tmux under the
    /// default `external`, and a passthrough-wrapped one reaches the outer terminal only with
    /// `allow-passthrough on` (off by default) and never tmux's buffer. If `-w` fails (tmux
    /// before 3.2) we load the buffer without it and send the passthrough-wrapped sequence
    /// ourselves; if tmux cannot be run at all we send both the plain sequence (taken by
    /// `set-clipboard on`) and the passthrough one, and report plain "via OSC 52".
    pub fn copy(&mut self, what: &str, text: &str) -> Result<CopyReport, CopyError> {
        if text.is_empty() {
            return Err(CopyError::Empty { what: what.to_string() });
        }
        let report = |via, fell_back| CopyReport {
            what: what.to_string(),
            chars: text.chars().count(),
            via,
            fell_back,
        };
        match self.choice.backend {
            Backend::Off => Err(CopyError::Off { origin: self.choice.origin }),
            Backend::System => {
                self.copy_system(text).map_err(CopyError::System)?;
                Ok(report(Via::System, None))
            }
            Backend::Osc52 => self.copy_osc52(text, None).map(|via| report(via, None)),
            Backend::Auto => match auto_route(&self.env) {
                AutoRoute::System => match self.copy_system(text) {
                    Ok(()) => Ok(report(Via::System, None)),
                    Err(system) => {
                        tracing::warn!(%system, "system clipboard failed; falling back to OSC 52");
                        match self.copy_osc52(text, None) {
                            Ok(via) => Ok(report(via, Some(system))),
                            Err(e) => Err(CopyError::Fallback { system, osc52: Box::new(e) }),
                        }
                    }
                },
                AutoRoute::Osc52(reason) => self.copy_osc52(text, Some(reason)).map(|via| report(via, None)),
            },
        }
    }

    /// Set the system clipboard, creating the long-lived handle on first use.
    fn copy_system(&mut self, text: &str) -> Result<(), String> {
        let handle = match &mut self.system {
            Some(h) => h,
            None => self.system.insert((self.system_factory)()?),
        };
        handle.set_text(text)
    }

    fn copy_osc52(&mut self, text: &str, reason: Option<&'static str>) -> Result<Via, CopyError> {
        if !self.terminal.is_terminal() {
            return Err(CopyError::NotATerminal { reason });
        }
        let mux = Multiplexer::detect(&self.env);
        // Check the bound (and build the sequence) before anything has side effects.
        let seq = osc52_sequence(text, mux)?;
        if mux != Multiplexer::Tmux {
            self.terminal.write(&seq)?;
            return Ok(Via::Osc52);
        }
        if (self.tmux)(&["load-buffer", "-w", "-"], text.as_bytes()).is_ok() {
            return Ok(Via::Osc52AndTmux);
        }
        match (self.tmux)(&["load-buffer", "-"], text.as_bytes()) {
            Ok(()) => {
                self.terminal.write(&seq)?;
                Ok(Via::Osc52AndTmux)
            }
            Err(e) => {
                tracing::warn!(error = %e, "tmux load-buffer failed; sending OSC 52 only");
                let mut both = osc52_sequence(text, Multiplexer::None)?;
                both.extend_from_slice(&seq);
                self.terminal.write(&both)?;
                Ok(Via::Osc52)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The equivalent AWS CLI command

/// `aws chime-sdk-identity describe-app-instance-user-endpoint --app-instance-user-arn ARN
/// --endpoint-id ID --region REGION [--profile NAME] [--endpoint-url URL]`, each value quoted
/// for a POSIX shell by [`shell_quote`].
pub fn aws_cli_command(
    user_arn: &str,
    endpoint_id: &str,
    region: &str,
    profile: Option<&str>,
    endpoint_url: Option<&str>,
) -> String {
    let mut parts: Vec<Cow<'_, str>> = vec![
        "aws".into(),
        "chime-sdk-identity".into(),
        "describe-app-instance-user-endpoint".into(),
        "--app-instance-user-arn".into(),
        shell_quote(user_arn),
        "--endpoint-id".into(),
        shell_quote(endpoint_id),
        "--region".into(),
        shell_quote(region),
    ];
    if let Some(p) = profile {
        parts.extend(["--profile".into(), shell_quote(p)]);
    }
    if let Some(u) = endpoint_url {
        parts.extend(["--endpoint-url".into(), shell_quote(u)]);
    }
    parts.join(" ")
}

/// Quote `s` as one POSIX shell word: bare when it is made only of `A-Z a-z 0-9 _ @ % + = : , . / -`
/// (and is not empty and does not start with `=`, which zsh would expand), otherwise in single
/// quotes with each `'` written `'\''`.
pub fn shell_quote(s: &str) -> Cow<'_, str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !s.is_empty() && !s.starts_with('=') && s.chars().all(safe) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("'{}'", s.replace('\'', r"'\''")))
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A writer whose bytes the test can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Shared {
        fn bytes(&self) -> Vec<u8> {
            self.0.lock().unwrap().clone()
        }
    }

    struct FakeSystem(Arc<Mutex<Vec<String>>>);
    impl SystemClipboard for FakeSystem {
        fn set_text(&mut self, text: &str) -> Result<(), String> {
            self.0.lock().unwrap().push(text.to_string());
            Ok(())
        }
    }

    type Copies = Arc<Mutex<Vec<String>>>;
    type Count = Arc<Mutex<usize>>;

    /// A system factory that succeeds, recording copies and how often it was called.
    fn working_system() -> (SystemFactory, Copies, Count) {
        let copies = Arc::new(Mutex::new(Vec::new()));
        let created = Arc::new(Mutex::new(0));
        let (c, n) = (copies.clone(), created.clone());
        let factory: SystemFactory = Box::new(move || {
            *n.lock().unwrap() += 1;
            Ok(Box::new(FakeSystem(c.clone())) as Box<dyn SystemClipboard>)
        });
        (factory, copies, created)
    }

    fn failing_system(reason: &'static str) -> SystemFactory {
        Box::new(move || Err(reason.to_string()))
    }

    type TmuxCalls = Arc<Mutex<Vec<(Vec<String>, Vec<u8>)>>>;

    /// A tmux runner that records its calls; `ok(args)` decides the outcome.
    fn tmux(ok: fn(&[&str]) -> bool) -> (TmuxRunner, TmuxCalls) {
        let calls: TmuxCalls = Arc::default();
        let c = calls.clone();
        let runner: TmuxRunner = Box::new(move |args, input| {
            c.lock().unwrap().push((args.iter().map(|s| s.to_string()).collect(), input.to_vec()));
            if ok(args) { Ok(()) } else { Err("tmux: unknown option -- w".to_string()) }
        });
        (runner, calls)
    }

    fn no_tmux() -> TmuxRunner {
        Box::new(|_, _| panic!("tmux must not be run outside tmux"))
    }

    fn clip(backend: Backend, env: &[(&str, &str)]) -> (Clipboard, Shared) {
        let out = Shared::default();
        let c = Clipboard::with_writer(BackendChoice::new(backend, Origin::Env), Box::new(out.clone()))
            .env(Env::from_pairs(env.iter().copied()))
            .system_factory(failing_system("unused"))
            .tmux_runner(no_tmux());
        (c, out)
    }

    const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    // --- OSC 52 bytes -------------------------------------------------------------------------

    #[test]
    fn osc52_plain_exact_bytes() {
        assert_eq!(osc52_sequence("hello", Multiplexer::None).unwrap(), b"\x1b]52;c;aGVsbG8=\x07");
        // Padding, multi-byte UTF-8 and control characters all travel inside the base64.
        assert_eq!(osc52_sequence("ä\n\x1b", Multiplexer::None).unwrap(), b"\x1b]52;c;w6QKGw==\x07");
    }

    #[test]
    fn osc52_tmux_passthrough_doubles_esc() {
        assert_eq!(
            osc52_sequence("hello", Multiplexer::Tmux).unwrap(),
            b"\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\"
        );
    }

    #[test]
    fn osc52_screen_small_is_one_dcs() {
        assert_eq!(
            osc52_sequence("hello", Multiplexer::Screen).unwrap(),
            b"\x1bP\x1b]52;c;aGVsbG8=\x07\x1b\\"
        );
    }

    #[test]
    fn osc52_screen_chunks_reassemble_to_plain() {
        let text = "x".repeat(1000);
        let plain = osc52_sequence(&text, Multiplexer::None).unwrap();
        let wrapped = osc52_sequence(&text, Multiplexer::Screen).unwrap();
        let mut inner = Vec::new();
        let mut rest = &wrapped[..];
        while !rest.is_empty() {
            assert!(rest.starts_with(b"\x1bP"), "each piece opens a DCS");
            let end = rest.windows(2).position(|w| w == b"\x1b\\").expect("each piece is closed");
            let body = &rest[2..end];
            assert!(body.len() <= SCREEN_CHUNK && !body.is_empty());
            inner.extend_from_slice(body);
            rest = &rest[end + 2..];
        }
        assert_eq!(inner, plain);
    }

    #[test]
    fn osc52_payload_roundtrips_through_base64() {
        let text = "{\"AppInstanceUserEndpoint\": {\"Name\": \"tél 📱\"}}\n";
        let seq = osc52_sequence(text, Multiplexer::None).unwrap();
        let b64 = &seq[b"\x1b]52;c;".len()..seq.len() - 1];
        assert_eq!(BASE64.decode(b64).unwrap(), text.as_bytes());
        assert_eq!(*seq.last().unwrap(), BEL);
    }

    #[test]
    fn osc52_size_bound() {
        assert_eq!(OSC52_MAX_TEXT, 75_000);
        let max = "a".repeat(OSC52_MAX_TEXT);
        let seq = osc52_sequence(&max, Multiplexer::None).unwrap();
        assert_eq!(seq.len(), 8 + OSC52_MAX_BASE64);
        let over = "a".repeat(OSC52_MAX_TEXT + 1);
        assert_eq!(
            osc52_sequence(&over, Multiplexer::Tmux),
            Err(CopyError::TooLarge { bytes: 75_001, limit: 100_000 })
        );
        let err = osc52_sequence(&"a".repeat(200_000), Multiplexer::None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "text is 200000 bytes; OSC 52 payloads are limited to 100000 bytes of base64 \
             (75000 bytes of text)"
        );
    }

    #[test]
    fn too_large_copy_writes_nothing() {
        let (mut c, out) = clip(Backend::Osc52, &[]);
        let err = c.copy("endpoint JSON", &"a".repeat(200_000)).unwrap_err();
        assert!(matches!(err, CopyError::TooLarge { bytes: 200_000, .. }));
        assert!(out.bytes().is_empty());
    }

    // --- backend parsing and choice -------------------------------------------------------------

    #[test]
    fn backend_parses_case_insensitively_and_displays() {
        for (s, b) in [
            ("auto", Backend::Auto),
            ("SYSTEM", Backend::System),
            ("Osc52", Backend::Osc52),
            (" off ", Backend::Off),
        ] {
            assert_eq!(s.parse::<Backend>(), Ok(b));
        }
        for b in Backend::ALL {
            assert_eq!(b.to_string().parse::<Backend>(), Ok(b));
        }
        assert_eq!(Backend::Osc52.to_string(), "osc52");
    }

    #[test]
    fn backend_parse_error_lists_the_four_values() {
        let err = "xclip".parse::<Backend>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid clipboard backend \"xclip\": expected one of auto, system, osc52, off"
        );
        let env = Env::from_pairs([(ENV_VAR, "osc-52")]);
        let err = BackendChoice::resolve(Some("osc-52"), None, &env).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid clipboard backend \"osc-52\" (from CHIMESCOPE_CLIPBOARD): expected one of \
             auto, system, osc52, off"
        );
        let err = BackendChoice::resolve(None, Some("x"), &Env::from_pairs::<&str, &str>([])).unwrap_err();
        assert_eq!(err.origin, Some(Origin::Config));
    }

    #[test]
    fn choice_order_flag_env_config_default() {
        let none = Env::from_pairs::<&str, &str>([]);
        let env = Env::from_pairs([(ENV_VAR, "off")]);
        assert_eq!(
            BackendChoice::resolve(Some("osc52"), Some("off"), &none),
            Ok(BackendChoice::new(Backend::Osc52, Origin::Flag))
        );
        // clap gives the flag precedence over the variable; the origin follows the value.
        assert_eq!(
            BackendChoice::resolve(Some("system"), None, &env),
            Ok(BackendChoice::new(Backend::System, Origin::Flag))
        );
        assert_eq!(
            BackendChoice::resolve(Some("off"), Some("system"), &env),
            Ok(BackendChoice::new(Backend::Off, Origin::Env))
        );
        assert_eq!(
            BackendChoice::resolve(None, Some("osc52"), &none),
            Ok(BackendChoice::new(Backend::Osc52, Origin::Config))
        );
        assert_eq!(BackendChoice::resolve(None, None, &env), Ok(BackendChoice::default()));
        assert_eq!(BackendChoice::default().backend, Backend::Auto);
    }

    // --- auto selection -------------------------------------------------------------------------

    #[test]
    fn auto_route_matrix() {
        let cases: &[(&[(&str, &str)], AutoRoute)] = &[
            (&[("DISPLAY", ":0")], AutoRoute::System),
            (&[("WAYLAND_DISPLAY", "wayland-0")], AutoRoute::System),
            (&[], AutoRoute::Osc52("no display")),
            (&[("DISPLAY", "")], AutoRoute::Osc52("no display")),
            (&[("SSH_TTY", "/dev/pts/1")], AutoRoute::Osc52("no display")),
            (&[("DISPLAY", "localhost:10.0"), ("SSH_CONNECTION", "a 1 b 22")], AutoRoute::Osc52("over SSH")),
            (&[("DISPLAY", ":0"), ("SSH_TTY", "/dev/pts/1")], AutoRoute::Osc52("over SSH")),
            (&[("WAYLAND_DISPLAY", "w"), ("SSH_CLIENT", "a 1 22")], AutoRoute::Osc52("over SSH")),
        ];
        for (vars, want) in cases {
            assert_eq!(auto_route(&Env::from_pairs(vars.iter().copied())), *want, "{vars:?}");
        }
    }

    #[test]
    fn auto_with_display_uses_system_and_keeps_one_handle() {
        let (factory, copies, created) = working_system();
        let (c, out) = clip(Backend::Auto, &[("DISPLAY", ":0")]);
        let mut c = c.system_factory(factory);
        assert_eq!(*created.lock().unwrap(), 0, "the handle is created lazily");
        let r = c.copy("device token", TOKEN).unwrap();
        assert_eq!(r.to_string(), "Copied device token (64 chars) via system clipboard");
        c.copy("endpoint ID", "ep-1").unwrap();
        assert_eq!(*created.lock().unwrap(), 1, "one handle for the life of the Clipboard");
        assert_eq!(*copies.lock().unwrap(), vec![TOKEN.to_string(), "ep-1".to_string()]);
        assert!(out.bytes().is_empty());
    }

    #[test]
    fn auto_without_display_uses_osc52() {
        let (factory, copies, created) = working_system();
        let (c, out) = clip(Backend::Auto, &[]);
        let mut c = c.system_factory(factory);
        let r = c.copy("device token", TOKEN).unwrap();
        assert_eq!(r.to_string(), "Copied device token (64 chars) via OSC 52");
        assert_eq!(out.bytes(), osc52_sequence(TOKEN, Multiplexer::None).unwrap());
        assert_eq!(*created.lock().unwrap(), 0);
        assert!(copies.lock().unwrap().is_empty());
    }

    #[test]
    fn auto_over_ssh_uses_osc52_even_with_display() {
        let (factory, _, created) = working_system();
        let (c, out) = clip(Backend::Auto, &[("DISPLAY", "localhost:10.0"), ("SSH_TTY", "/dev/pts/3")]);
        let mut c = c.system_factory(factory);
        assert_eq!(c.copy("ARN", "arn:x").unwrap().via, Via::Osc52);
        assert!(!out.bytes().is_empty());
        assert_eq!(*created.lock().unwrap(), 0);
    }

    #[test]
    fn auto_falls_back_to_osc52_when_system_fails() {
        let (c, out) = clip(Backend::Auto, &[("DISPLAY", ":99")]);
        let mut c = c.system_factory(failing_system("cannot open display :99"));
        let r = c.copy("device token", TOKEN).unwrap();
        assert_eq!(r.via, Via::Osc52);
        assert_eq!(r.fell_back.as_deref(), Some("cannot open display :99"));
        assert_eq!(
            r.to_string(),
            "Copied device token (64 chars) via OSC 52 fallback (system clipboard failed: cannot \
             open display :99)"
        );
        assert_eq!(out.bytes(), osc52_sequence(TOKEN, Multiplexer::None).unwrap());
    }

    #[test]
    fn auto_system_fails_and_no_terminal() {
        let (mut c, _) = clip(Backend::Auto, &[("DISPLAY", ":99")]);
        c.terminal = Terminal::Missing;
        c = c.system_factory(failing_system("cannot open display :99"));
        let err = c.copy("device token", TOKEN).unwrap_err();
        assert_eq!(
            err.to_string(),
            "system clipboard failed (cannot open display :99) and the OSC 52 fallback too: \
             output is not a terminal, so OSC 52 cannot be used"
        );
    }

    #[test]
    fn auto_no_display_and_no_terminal() {
        let (mut c, _) = clip(Backend::Auto, &[]);
        c.terminal = Terminal::Missing;
        let err = c.copy("device token", TOKEN).unwrap_err();
        assert_eq!(err.to_string(), "no display and output is not a terminal");
        assert_eq!(
            err.status("device token"),
            "Could not copy device token: no display and output is not a terminal"
        );
    }

    // --- explicit backends ----------------------------------------------------------------------

    #[test]
    fn off_refuses_with_the_setting() {
        let (factory, _, created) = working_system();
        let (c, out) = clip(Backend::Off, &[("DISPLAY", ":0")]);
        let mut c = c.system_factory(factory);
        let err = c.copy("device token", TOKEN).unwrap_err();
        assert_eq!(err.to_string(), "clipboard is off (CHIMESCOPE_CLIPBOARD=off)");
        assert!(out.bytes().is_empty());
        assert_eq!(*created.lock().unwrap(), 0);
        assert_eq!(CopyError::Off { origin: Origin::Flag }.to_string(), "clipboard is off (--clipboard off)");
        assert_eq!(
            CopyError::Off { origin: Origin::Config }.to_string(),
            "clipboard is off ([clipboard] backend = \"off\" in config.toml)"
        );
    }

    #[test]
    fn system_backend_does_not_fall_back() {
        let (c, out) = clip(Backend::System, &[]);
        let mut c = c.system_factory(failing_system("no X"));
        let err = c.copy("device token", TOKEN).unwrap_err();
        assert_eq!(err.to_string(), "system clipboard failed: no X");
        assert!(out.bytes().is_empty());
    }

    #[test]
    fn system_backend_ignores_display_env() {
        let (factory, copies, _) = working_system();
        let (c, _) = clip(Backend::System, &[("SSH_TTY", "/dev/pts/0")]);
        let mut c = c.system_factory(factory);
        assert_eq!(c.copy("ARN", "arn:a").unwrap().via, Via::System);
        assert_eq!(*copies.lock().unwrap(), vec!["arn:a".to_string()]);
    }

    #[test]
    fn osc52_backend_needs_a_terminal() {
        let (mut c, _) = clip(Backend::Osc52, &[("DISPLAY", ":0")]);
        c.terminal = Terminal::Missing;
        assert_eq!(
            c.copy("ARN", "arn:a").unwrap_err().to_string(),
            "output is not a terminal, so OSC 52 cannot be used"
        );
    }

    #[test]
    fn osc52_backend_writes_plain_sequence() {
        let (mut c, out) = clip(Backend::Osc52, &[("DISPLAY", ":0")]);
        let r = c.copy("endpoint ID", "ep-1").unwrap();
        assert_eq!(r.to_string(), "Copied endpoint ID (4 chars) via OSC 52");
        assert_eq!(out.bytes(), b"\x1b]52;c;ZXAtMQ==\x07");
    }

    #[test]
    fn osc52_inside_screen_is_dcs_wrapped() {
        let (mut c, out) = clip(Backend::Osc52, &[("STY", "1234.pts-0.host")]);
        c.copy("endpoint ID", "ep-1").unwrap();
        assert_eq!(out.bytes(), b"\x1bP\x1b]52;c;ZXAtMQ==\x07\x1b\\");
    }

    #[test]
    fn empty_text_is_refused() {
        let (mut c, out) = clip(Backend::Osc52, &[]);
        assert_eq!(
            c.copy("endpoint name", "").unwrap_err().to_string(),
            "nothing to copy: endpoint name is empty"
        );
        assert!(out.bytes().is_empty());
    }

    #[test]
    fn report_counts_chars_not_bytes() {
        let (mut c, _) = clip(Backend::Osc52, &[]);
        assert_eq!(c.copy("name", "äöü").unwrap().to_string(), "Copied name (3 chars) via OSC 52");
        assert_eq!(c.copy("flag", "x").unwrap().to_string(), "Copied flag (1 char) via OSC 52");
    }

    // --- tmux -----------------------------------------------------------------------------------

    const IN_TMUX: &[(&str, &str)] = &[("TMUX", "/tmp/tmux-0/default,123,0")];

    #[test]
    fn tmux_load_buffer_w_is_enough() {
        let (runner, calls) = tmux(|_| true);
        let (c, out) = clip(Backend::Osc52, IN_TMUX);
        let mut c = c.tmux_runner(runner);
        let r = c.copy("device token", TOKEN).unwrap();
        assert_eq!(r.to_string(), "Copied device token (64 chars) via OSC 52 and tmux buffer");
        let calls = calls.lock().unwrap();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].0, ["load-buffer", "-w", "-"]);
        assert_eq!(calls[0].1, TOKEN.as_bytes());
        assert!(out.bytes().is_empty(), "tmux sends the OSC 52 itself");
    }

    #[test]
    fn old_tmux_loads_buffer_and_we_send_passthrough() {
        let (runner, calls) = tmux(|args| !args.contains(&"-w"));
        let (c, out) = clip(Backend::Osc52, IN_TMUX);
        let mut c = c.tmux_runner(runner);
        assert_eq!(c.copy("ARN", "arn:a").unwrap().via, Via::Osc52AndTmux);
        assert_eq!(calls.lock().unwrap()[1].0, ["load-buffer", "-"]);
        assert_eq!(out.bytes(), osc52_sequence("arn:a", Multiplexer::Tmux).unwrap());
    }

    #[test]
    fn tmux_unusable_sends_plain_and_passthrough() {
        let (runner, _) = tmux(|_| false);
        let (c, out) = clip(Backend::Auto, IN_TMUX);
        let mut c = c.tmux_runner(runner);
        let r = c.copy("ARN", "arn:a").unwrap();
        assert_eq!(r.to_string(), "Copied ARN (5 chars) via OSC 52");
        let mut want = osc52_sequence("arn:a", Multiplexer::None).unwrap();
        want.extend(osc52_sequence("arn:a", Multiplexer::Tmux).unwrap());
        assert_eq!(out.bytes(), want);
    }

    #[test]
    fn tmux_too_large_runs_nothing() {
        let (runner, calls) = tmux(|_| true);
        let (c, _) = clip(Backend::Osc52, IN_TMUX);
        let mut c = c.tmux_runner(runner);
        assert!(matches!(c.copy("JSON", &"a".repeat(OSC52_MAX_TEXT + 1)), Err(CopyError::TooLarge { .. })));
        assert!(calls.lock().unwrap().is_empty());
    }

    #[test]
    fn clipboard_is_send_so_the_event_loop_can_own_it() {
        fn send<T: Send>() {}
        send::<Clipboard>();
        send::<CopyReport>();
        send::<CopyError>();
    }

    // --- aws CLI command ------------------------------------------------------------------------

    #[test]
    fn shell_quote_cases() {
        assert_eq!(shell_quote("ep-1"), "ep-1");
        assert_eq!(shell_quote("http://127.0.0.1:4566/"), "http://127.0.0.1:4566/");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
        assert_eq!(shell_quote("=ls"), "'=ls'");
        assert_eq!(shell_quote("~x"), "'~x'");
        assert_eq!(shell_quote("naïve"), "'naïve'");
        assert_eq!(shell_quote("a\nb"), "'a\nb'");
    }

    #[test]
    fn aws_cli_command_minimal() {
        assert_eq!(
            aws_cli_command(
                "arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/corp:alice",
                "ep-1",
                "us-east-1",
                None,
                None
            ),
            "aws chime-sdk-identity describe-app-instance-user-endpoint \
             --app-instance-user-arn arn:aws:chime:us-east-1:123456789012:app-instance/i-1/user/corp:alice \
             --endpoint-id ep-1 --region us-east-1"
        );
    }

    #[test]
    fn aws_cli_command_quotes_profile_and_url() {
        assert_eq!(
            aws_cli_command(
                "arn:aws:chime:eu-central-1:1:app-instance/i/user/o'brien",
                "ep 2",
                "eu-central-1",
                Some("my profile"),
                Some("http://127.0.0.1:41234")
            ),
            "aws chime-sdk-identity describe-app-instance-user-endpoint \
             --app-instance-user-arn 'arn:aws:chime:eu-central-1:1:app-instance/i/user/o'\\''brien' \
             --endpoint-id 'ep 2' --region eu-central-1 --profile 'my profile' \
             --endpoint-url http://127.0.0.1:41234"
        );
    }
}
