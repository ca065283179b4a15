//! Copying to the clipboard: the system clipboard, with OSC 52 as the fallback that works over
//! SSH and inside tmux (DESIGN.md module map).
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
//! The real terminal writer is stdout, locked for one `write_all` and a flush, so the sequence
//! is never split. The browser copies on a thread of its own (`tui/copier.rs`), not between
//! its draws: the sequence lands between two writes of the browser's output, which writes a
//! frame from a 64 KiB buffer flushed at the end of each draw, so between two frames unless a
//! frame outgrows that buffer. An OSC 52 sequence moves no cursor and prints nothing, so no
//! redraw is needed afterwards. When stdout is not a terminal nothing is written at all.
//!
//! # Where the parts are
//! `choice.rs` (which backend, from where; what `auto` does), `osc52.rs` (the bytes and the
//! terminal they go to), `tmux.rs` (inside tmux), `system.rs` (arboard), and here the
//! [`Clipboard`] that puts them together, with its reports and errors.

mod choice;
mod osc52;
mod system;
mod tmux;

pub use choice::{AutoRoute, Backend, BackendChoice, ENV_VAR, Env, Origin, ParseBackendError, auto_route};
pub use osc52::{Multiplexer, OSC52_MAX_BASE64, OSC52_MAX_TEXT, osc52_sequence};
pub use system::{SystemClipboard, SystemFactory};
pub use tmux::TmuxRunner;

use osc52::Terminal;
use std::fmt;
use std::io::Write;

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
            system_factory: Box::new(system::arboard_factory),
            tmux: Box::new(tmux::run_tmux),
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
        tmux::copy(&mut self.tmux, &mut self.terminal, text, &seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

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

    #[test]
    fn too_large_copy_writes_nothing() {
        let (mut c, out) = clip(Backend::Osc52, &[]);
        let err = c.copy("endpoint JSON", &"a".repeat(200_000)).unwrap_err();
        assert!(matches!(err, CopyError::TooLarge { bytes: 200_000, .. }));
        assert!(out.bytes().is_empty());
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
}
