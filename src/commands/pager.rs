//! Long output through a pager, as the AWS CLI v2 pages it: only when standard output is a
//! terminal and the output is taller than it, through `$AWS_PAGER`, else `$PAGER` (run by
//! `sh -c`; the first one set decides, and set to the empty string it means no pager), else
//! `less` when it is on PATH; `LESS=FRX` is put in the pager's environment when `LESS` is not
//! set (so `PAGER=less` shows colour and quits on short output too). `--no-pager` and a pipe
//! print straight away. The pager reads the output from a pipe: nothing is written to disk.

use super::output::write_stdout;
use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

/// The pager's command line, if output should be paged now: a terminal, taller than it.
fn pager_for(text: &str) -> Option<String> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let rows = crossterm::terminal::size().map(|(_, r)| usize::from(r)).unwrap_or(0);
    if rows > 0 && text.lines().count() < rows {
        return None;
    }
    pager_command(std::env::var_os("AWS_PAGER"), std::env::var_os("PAGER"), on_path("less"))
}

/// The AWS CLI v2's choice: `AWS_PAGER` when set, else `PAGER` when set (either set empty:
/// none), else `less` when there is one.
fn pager_command(
    aws_pager: Option<std::ffi::OsString>,
    pager: Option<std::ffi::OsString>,
    less: bool,
) -> Option<String> {
    match aws_pager.or(pager) {
        Some(p) => {
            let p = p.to_string_lossy().into_owned();
            (!p.trim().is_empty()).then_some(p)
        }
        None => less.then(|| "less".to_string()),
    }
}

/// The flags `less` gets through `LESS` when the user set none: raw colour codes (R), quit when
/// the output fits one screen (F), leave it on the screen at the end (X).
const DEFAULT_LESS: &str = "FRX";

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
}

/// Write `text` to stdout, through the pager when `paging` and it applies; the exit code
/// ([`write_stdout`]'s). A pager that cannot be started is said, and the text printed as is.
pub fn write(text: &str, paging: bool) -> i32 {
    let Some(cmd) = paging.then(|| pager_for(text)).flatten() else {
        return write_stdout(text);
    };
    let mut command = Command::new("sh");
    command.arg("-c").arg(&cmd).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        command.env("LESS", DEFAULT_LESS);
    }
    let child = command.spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            crate::say!(
                "chimescope: warning: the pager could not be started ({e}); printing the output as is"
            );
            return write_stdout(text);
        }
    };
    // Ctrl-C in the pager is the pager's (less stops a search with it): this process, in the
    // same process group, must not die under it and hand the terminal back to the shell while
    // the pager still reads from it. Ignored only now, after the spawn, so the pager does not
    // inherit the ignoring.
    let _interrupts = IgnoreInterrupts::new();
    if let Some(mut stdin) = child.stdin.take() {
        // A pager quit before reading everything (`q` in less) is not a failure.
        let _ = stdin.write_all(text.as_bytes());
    }
    match child.wait() {
        Ok(st) if st.success() => super::exit::EXIT_OK,
        // The shell found no such command (127) or could not run it (126): nothing was shown.
        Ok(st) if matches!(st.code(), Some(126 | 127)) => {
            crate::say!(
                "chimescope: warning: the pager `{}` could not be run; printing the output as is",
                crate::model::escape_control(&cmd)
            );
            write_stdout(text)
        }
        Ok(st) => {
            crate::say!(
                "chimescope: warning: the pager `{}` ended with {st}; --no-pager prints straight to the terminal",
                crate::model::escape_control(&cmd)
            );
            super::exit::EXIT_OK
        }
        Err(e) => {
            crate::say!("chimescope: warning: the pager could not be waited for: {e}");
            super::exit::EXIT_OK
        }
    }
}

/// SIGINT and SIGQUIT ignored while it lives, as they were before when dropped.
struct IgnoreInterrupts {
    #[cfg(unix)]
    before: [libc::sighandler_t; 2],
}

// signal(2) through libc, each call with its SAFETY note.
#[allow(unsafe_code)]
impl IgnoreInterrupts {
    fn new() -> Self {
        #[cfg(unix)]
        {
            // SAFETY: signal(2) with SIG_IGN installs no handler of ours; it only changes the
            // disposition, which `drop` puts back.
            let before = unsafe {
                [libc::signal(libc::SIGINT, libc::SIG_IGN), libc::signal(libc::SIGQUIT, libc::SIG_IGN)]
            };
            IgnoreInterrupts { before }
        }
        #[cfg(not(unix))]
        IgnoreInterrupts {}
    }
}

#[allow(unsafe_code)]
impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: puts back the dispositions `new` read (SIG_DFL, SIG_IGN or a handler that was
        // installed before).
        unsafe {
            libc::signal(libc::SIGINT, self.before[0]);
            libc::signal(libc::SIGQUIT, self.before[1]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(aws: Option<&str>, pager: Option<&str>, less: bool) -> Option<String> {
        pager_command(aws.map(Into::into), pager.map(Into::into), less)
    }

    #[test]
    fn the_pager_is_chosen_as_the_aws_cli_v2_chooses_it() {
        assert_eq!(cmd(None, None, true).as_deref(), Some("less"));
        assert_eq!(cmd(None, None, false), None, "no less, no pager: printed as is");
        assert_eq!(cmd(None, Some("most"), true).as_deref(), Some("most"));
        assert_eq!(cmd(Some("bat -p"), Some("most"), true).as_deref(), Some("bat -p"), "AWS_PAGER first");
        assert_eq!(cmd(Some(""), Some("most"), true), None, "AWS_PAGER set empty: none");
        assert_eq!(cmd(None, Some(" "), true), None, "PAGER set empty: none");
    }
}
