//! The terminal: raw mode, the alternate screen, bracketed paste and mouse capture taken on
//! the way in and handed back on every way out (drop, panic, suspend).

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::fmt;
use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::mem::ManuallyDrop;
use std::os::fd::AsFd;

/// Ctrl-Z: in raw mode the terminal sends it as a key, not as SIGTSTP.
pub fn is_suspend_key(ev: &Event) -> bool {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    matches!(ev, Event::Key(k) if k.code == KeyCode::Char('z')
        && k.modifiers == KeyModifiers::CONTROL
        && k.kind != KeyEventKind::Release)
}

/// The terminal in raw mode on the alternate screen; restored when dropped.
pub struct Tui {
    /// Never dropped: ratatui's `Drop` shows the cursor again and, when the terminal is gone,
    /// prints its failure with `eprintln!`, which panics on the lost stderr. [`restore`] shows
    /// the cursor instead, and the process ends soon after.
    pub terminal: ManuallyDrop<Terminal<CrosstermBackend<BufWriter<Stdout>>>>,
    mouse: bool,
}

/// Raw mode, the alternate screen (cleared), bracketed paste and, if asked, mouse capture.
fn take_terminal(mouse: bool) -> std::io::Result<()> {
    enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, Clear(ClearType::All))?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

impl Tui {
    pub fn enter(mouse: bool) -> std::io::Result<Self> {
        install_panic_hook();
        let setup = || -> std::io::Result<Terminal<CrosstermBackend<BufWriter<Stdout>>>> {
            take_terminal(mouse)?;
            // Not `Terminal::clear`: it asks the terminal for the cursor position, a round
            // trip some terminals never answer.
            // A frame goes out in one write instead of stdout's 1 KiB pieces.
            Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(1 << 16, std::io::stdout())))
        };
        match setup() {
            Ok(terminal) => Ok(Self { terminal: ManuallyDrop::new(terminal), mouse }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Ctrl-Z: hand the terminal back, stop (SIGSTOP: our SIGTSTP handler would only bring
    /// us back here), and when continued take the terminal again and redraw.
    pub fn suspend(&mut self) -> std::io::Result<Option<(u16, u16)>> {
        tracing::info!("suspended");
        let _ = std::io::Write::flush(self.terminal.backend_mut());
        restore();
        if let Err(e) =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::STOP)
        {
            tracing::warn!(error = %e, "cannot stop");
        }
        self.resume()
    }

    /// Take the terminal again (raw mode, alternate screen), whatever state it was left in,
    /// and have the next draw repaint every cell.
    /// Returns the terminal's size, for the state.
    pub fn resume(&mut self) -> std::io::Result<Option<(u16, u16)>> {
        tracing::info!("resumed");
        // crossterm skips enabling raw mode when it thinks it is on: turn it off first (a
        // no-op after `restore`), so that raw mode is set again for real.
        let _ = disable_raw_mode();
        take_terminal(self.mouse)?;
        // Both buffers blank: the next frame is drawn whole on the cleared screen.
        self.terminal.swap_buffers();
        self.terminal.swap_buffers();
        Ok(self.terminal.size().ok().map(|s| (s.width, s.height)))
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Anything still buffered belongs on the alternate screen, before it is left.
        let _ = std::io::Write::flush(self.terminal.backend_mut());
        restore();
    }
}

/// Hand the terminal back: mouse capture and bracketed paste off, the main screen back, the
/// cursor shown, raw mode off. Safe to call more than once.
pub fn restore() {
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// On a panic anywhere (the UI or a background task), restore the terminal, let the previous
/// hook print the message on the normal screen, and exit: a browser whose terminal was
/// handed back cannot go on drawing.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A lookup task's panic is caught and becomes that lookup's error: the browser
            // and its terminal stay as they are.
            if crate::jobs::worker::in_lookup() {
                tracing::error!(%info, "panic in a lookup task");
                return;
            }
            restore();
            previous(info);
            tracing::error!(%info, "panic");
            std::process::exit(101);
        }));
    });
}

/// Whether an I/O error on the terminal means it is gone (its other side closed: a tmux
/// session killed, an ssh connection lost): EIO, ENXIO, a broken pipe, or end of file.
pub fn is_lost(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(e.kind(), ErrorKind::BrokenPipe | ErrorKind::UnexpectedEof | ErrorKind::WriteZero)
        || matches!(e.raw_os_error(), Some(code) if code == rustix::io::Errno::IO.raw_os_error() || code == rustix::io::Errno::NXIO.raw_os_error())
}

/// Say on stderr what happened, never panicking: when the terminal is gone, stderr (the same
/// terminal) fails with EIO, and `eprintln!` would panic.
pub fn say(message: impl fmt::Display) {
    let _ = writeln!(std::io::stderr(), "chimescope: {message}");
}

/// A message on the returned channel when the terminal hangs up. Under a parent that ignores
/// SIGHUP no signal comes, and a hung-up terminal reads as an endless end of file that the
/// key reader polls again and again: a thread waits in poll(2) for the hangup itself (asking
/// for no input, it takes none from the key reader). None arrives when the terminal cannot be
/// watched.
pub fn hangup_watch() -> tokio::sync::mpsc::UnboundedReceiver<()> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    // The terminal the keys come from: stdin when it is one, else /dev/tty (as crossterm).
    let tty: Option<std::os::fd::OwnedFd> = if std::io::stdin().is_terminal() {
        std::io::stdin().as_fd().try_clone_to_owned().ok()
    } else {
        std::fs::File::open("/dev/tty").ok().map(std::os::fd::OwnedFd::from)
    };
    let Some(tty) = tty else { return rx };
    let spawned = std::thread::Builder::new().name("hangup-watch".into()).spawn(move || {
        use rustix::event::{PollFd, PollFlags, poll};
        loop {
            let mut fds = [PollFd::new(&tty, PollFlags::empty())];
            match poll(&mut fds, None) {
                Ok(_) => {
                    let got = fds[0].revents();
                    if got.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                        let _ = tx.send(());
                        return;
                    }
                }
                Err(rustix::io::Errno::INTR) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "cannot watch the terminal for a hangup");
                    return;
                }
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot watch the terminal for a hangup");
    }
    rx
}
