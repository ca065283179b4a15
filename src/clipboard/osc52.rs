//! OSC 52: the escape sequence with which the terminal sets its own clipboard (how a copy
//! reaches the user's desktop over SSH), wrapped for tmux or GNU screen, and the terminal it is
//! written to.

use super::{CopyError, Env};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use std::io::{IsTerminal as _, Write};

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

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;

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

/// Where OSC 52 bytes are written.
pub(super) enum Terminal {
    /// The real terminal: stdout, used only when it is a terminal.
    Stdout,
    /// A stand-in that counts as a terminal (tests, or a caller that owns the tty).
    Writer(Box<dyn Write + Send>),
    /// Output that is not a terminal (unit tests of that case).
    #[cfg(test)]
    Missing,
}

impl Terminal {
    pub(super) fn is_terminal(&self) -> bool {
        match self {
            Terminal::Stdout => std::io::stdout().is_terminal(),
            Terminal::Writer(_) => true,
            #[cfg(test)]
            Terminal::Missing => false,
        }
    }

    /// One `write_all` and a flush under stdout's lock, so the sequence is never split.
    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<(), CopyError> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
