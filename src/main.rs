//! chimescope: argument parsing and picking a mode; everything else is in the library.

use chimescope::cli::{Cli, Command};
use chimescope::{emulator, oneshot, tui};
use clap::Parser;
use std::net::SocketAddr;
use std::time::Duration;

fn main() {
    std::process::exit(run());
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
    match cli.command {
        None => tui::run(&cli.global),
        Some(Command::Describe { app_instance_user_arn, endpoint_id, output }) => {
            chimescope::logging::init_oneshot();
            current_thread(oneshot::describe(&cli.global, &app_instance_user_arn, &endpoint_id, output))
        }
        Some(Command::List { app_instance_user_arn, output }) => {
            chimescope::logging::init_oneshot();
            current_thread(oneshot::list(&cli.global, &app_instance_user_arn, output))
        }
        Some(Command::History { output }) => chimescope::commands::history::print(output),
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
