//! chimescope: argument parsing and picking a mode; everything else is in the library.

use chimescope::cli::{Cli, Command};
use chimescope::settings::{Mode, Settings};
use chimescope::{emulator, oneshot, tui};
use clap::Parser;
use std::net::SocketAddr;
use std::time::Duration;

/// Runs before `main`, before the standard library replaces a closed stdout with /dev/null
/// (after which `describe >&-` could not tell that its output went nowhere).
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
#[used]
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STDOUT: extern "C" fn() = note_closed_stdout;

#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
extern "C" fn note_closed_stdout() {
    // SAFETY: F_GETFD only reads the descriptor table; it touches no memory of ours.
    if unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1 {
        oneshot::STDOUT_CLOSED_AT_START.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn main() {
    unset_empty_aws_variables();
    std::process::exit(run());
}

/// An AWS variable set to the empty string means unset (as the AWS CLI reads it, and as
/// `export AWS_ENDPOINT_URL=` intends); the SDK would take `""` as a value, and an empty
/// endpoint URL reaches an assertion inside its endpoint resolver.
fn unset_empty_aws_variables() {
    let empty: Vec<_> = std::env::vars_os()
        .filter(|(k, v)| k.to_str().is_some_and(|k| k.starts_with("AWS_")) && v.is_empty())
        .map(|(k, _)| k)
        .collect();
    for k in empty {
        // SAFETY: called first thing in `main`, before any other thread exists.
        unsafe { std::env::remove_var(k) };
    }
}

fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => oneshot::EXIT_BAD_ARGS,
            };
            let _ = e.print();
            return code;
        }
    };
    let g = match cli.global() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("chimescope: {e}");
            return oneshot::EXIT_BAD_ARGS;
        }
    };
    // One set of settings for every mode but the emulator: flags, environment, config file.
    let load = |mode| {
        Settings::load(&g, mode).map_err(|e| {
            eprintln!("chimescope: {e}");
            e.code
        })
    };
    match cli.command {
        None => load(Mode::Browser).map_or_else(|code| code, |s| tui::run(&s)),
        Some(Command::Describe { app_instance_user_arn, endpoint_id, output, .. }) => {
            match load(Mode::Client) {
                Ok(s) => {
                    chimescope::logging::init_oneshot();
                    current_thread(oneshot::describe(&s, &app_instance_user_arn, &endpoint_id, output))
                }
                Err(code) => code,
            }
        }
        Some(Command::List { app_instance_user_arn, output, .. }) => match load(Mode::Client) {
            Ok(s) => {
                chimescope::logging::init_oneshot();
                current_thread(oneshot::list(&s, &app_instance_user_arn, output))
            }
            Err(code) => code,
        },
        Some(Command::History { output }) => match load(Mode::History) {
            Ok(_) => chimescope::commands::history::print(output),
            Err(code) => code,
        },
        Some(Command::Emulator { bind, seed, latency_ms, fault }) => {
            chimescope::logging::init_stderr();
            emulator_main(bind, seed, latency_ms, fault)
        }
    }
}

fn current_thread(fut: impl std::future::Future<Output = i32>) -> i32 {
    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt.block_on(fut),
        Err(e) => {
            eprintln!("chimescope: cannot start the async runtime: {e}");
            255
        }
    }
}

fn emulator_main(
    bind: String,
    seed: Option<std::path::PathBuf>,
    latency_ms: u64,
    faults: Vec<String>,
) -> i32 {
    let bind: SocketAddr = match bind.parse() {
        Ok(a) => a,
        Err(_) => {
            eprintln!("chimescope emulator: --bind {bind:?} is not an address; expected e.g. 127.0.0.1:0");
            return oneshot::EXIT_BAD_ARGS;
        }
    };
    let store = match seed {
        None => emulator::Store::demo(),
        Some(p) => match emulator::Store::from_seed_file(&p) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("chimescope emulator: malformed seed: {e}");
                return oneshot::EXIT_BAD_ARGS;
            }
        },
    };
    let mut parsed = Vec::new();
    for f in &faults {
        match emulator::Fault::parse(f) {
            Ok(f) => parsed.push(f),
            Err(e) => {
                eprintln!("chimescope emulator: --fault: {e}");
                return oneshot::EXIT_BAD_ARGS;
            }
        }
    }
    let opts = emulator::Options { bind, store, latency: Duration::from_millis(latency_ms), faults: parsed };
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("chimescope emulator: cannot start the async runtime: {e}");
            return 255;
        }
    };
    match rt.block_on(emulator::serve_forever(opts)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("chimescope emulator: cannot listen on {bind}: {e}");
            255
        }
    }
}
