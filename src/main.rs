//! chimescope: argument parsing and picking a mode; everything else is in the library.

use chimescope::cli::{Cli, Command};
use chimescope::{emulator, oneshot, tui};
use clap::Parser;

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
        Some(Command::History { output }) => chimescope::history::print(output),
        Some(Command::Emulator { bind, seed, latency_ms, fault, credentials, allow_non_loopback }) => {
            chimescope::logging::init_stderr();
            emulator::command::run(emulator::command::Args {
                bind,
                seed,
                latency_ms,
                faults: fault,
                credentials,
                allow_non_loopback,
            })
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
