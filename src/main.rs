//! chimescope: argument parsing and picking a mode; everything else is in the library.

// Its lints are the crate's (`[lints]` in Cargo.toml).

use chimescope::cli::{Cli, Command};
use chimescope::commands::{self, exit};
use chimescope::settings::{Mode, Settings};
use chimescope::{emulator, tui};
use clap::Parser;

/// Runs before `main`, before the standard library replaces a closed stdout with /dev/null
/// (after which `describe >&-` could not tell that its output went nowhere).
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
#[used]
// SAFETY: a plain function pointer in the section the loader calls before `main`; the function
// touches no state that needs the runtime.
#[allow(unsafe_code)]
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STDOUT: extern "C" fn() = note_closed_stdout;

#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
extern "C" fn note_closed_stdout() {
    // F_GETFD only reads the descriptor table: EBADF when descriptor 1 is closed.
    if rustix::io::fcntl_getfd(std::io::stdout()).is_err() {
        commands::output::STDOUT_CLOSED_AT_START.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn main() {
    unset_empty_aws_variables();
    std::process::exit(run());
}

/// An AWS variable set to the empty string means unset (as the AWS CLI reads it, and as
/// `export AWS_ENDPOINT_URL=` intends); the SDK would take `""` as a value, and an empty
/// endpoint URL reaches an assertion inside its endpoint resolver.
#[allow(unsafe_code)]
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
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => exit::EXIT_OK,
                _ => exit::EXIT_BAD_ARGS,
            };
            let _ = e.print();
            return code;
        }
    };
    let g = match cli.global() {
        Ok(g) => g,
        Err(e) => {
            chimescope::say!("chimescope: {e}");
            return exit::EXIT_BAD_ARGS;
        }
    };
    // One set of settings for every mode but the emulator: flags, environment, config file.
    let load = |mode| {
        Settings::load(&g, mode).map_err(|e| {
            chimescope::say!("chimescope: {e}");
            e.code
        })
    };
    match cli.command {
        None => load(Mode::Browser).map_or_else(|code| code, |s| tui::run(&s)),
        Some(Command::Describe { app_instance_user_arn, endpoint_id, output, .. }) => {
            one_shot(load(Mode::Client), |s| {
                current_thread(commands::describe(s, &app_instance_user_arn, &endpoint_id, output))
            })
        }
        Some(Command::List { app_instance_user_arn, output, .. }) => one_shot(load(Mode::Client), |s| {
            current_thread(commands::list(s, &app_instance_user_arn, output))
        }),
        Some(Command::Doctor { app_instance_user_arn, endpoint_id, output, no_pinpoint, .. }) => {
            one_shot(load(Mode::Client), |s| {
                current_thread(commands::doctor(
                    s,
                    &app_instance_user_arn,
                    endpoint_id.as_deref(),
                    output,
                    no_pinpoint,
                ))
            })
        }
        Some(Command::Register {
            app_instance_user_arn,
            endpoint_type,
            resource_arn,
            device_token,
            voip_device_token,
            name,
            allow_messages,
            client_request_token,
            force,
            output,
            ..
        }) => one_shot(load(Mode::Client), |s| {
            let args = commands::write::RegisterArgs {
                user_arn: app_instance_user_arn,
                endpoint_type,
                resource_arn,
                device_token,
                voip_device_token,
                name,
                allow_messages,
                client_request_token,
                force,
            };
            current_thread(commands::write::register(s, &args, output))
        }),
        Some(Command::Update {
            app_instance_user_arn, endpoint_id, name, allow_messages, output, ..
        }) => one_shot(load(Mode::Client), |s| {
            let w = commands::write::update_write(
                &app_instance_user_arn,
                &endpoint_id,
                name.as_deref(),
                allow_messages.as_deref(),
            );
            current_thread(commands::write::update(s, w, output))
        }),
        Some(Command::Deregister { app_instance_user_arn, endpoint_id, show_secrets, output, .. }) => {
            one_shot(load(Mode::Client), |s| {
                let w = commands::write::deregister_write(&app_instance_user_arn, &endpoint_id);
                current_thread(commands::write::deregister(s, w, output, show_secrets))
            })
        }
        Some(Command::Scan {
            app_instance_arn,
            rate,
            concurrency,
            max_throttles,
            checkpoint,
            output,
            out,
            describe,
            diagnose,
            no_pinpoint,
            ..
        }) => one_shot(load(Mode::Client), |s| {
            current_thread(commands::scan(
                s,
                commands::scan::Args {
                    app_instance_arn,
                    rate,
                    concurrency: concurrency.map(usize::from),
                    max_throttles,
                    checkpoint,
                    output,
                    out,
                    describe,
                    diagnose,
                    no_pinpoint,
                },
            ))
        }),
        Some(Command::History { output }) => match load(Mode::History) {
            Ok(_) => commands::history::print(output),
            Err(code) => code,
        },
        Some(Command::Emulator {
            bind,
            seed,
            latency_ms,
            fault,
            credentials,
            allow_non_loopback,
            state,
            quotas,
            quota,
            account,
        }) => {
            chimescope::logging::init_stderr();
            emulator::command::run(emulator::command::Args {
                bind,
                seed,
                latency_ms,
                faults: fault,
                credentials,
                allow_non_loopback,
                state,
                quotas,
                quota,
                accounts: account,
            })
        }
    }
}

/// A one-shot command: with its settings loaded, the command log started, then `run` (else the
/// settings' exit code, already reported).
fn one_shot(settings: Result<Settings, i32>, run: impl FnOnce(&Settings) -> i32) -> i32 {
    match settings {
        Ok(s) => {
            chimescope::logging::init_command();
            run(&s)
        }
        Err(code) => code,
    }
}

fn current_thread(fut: impl std::future::Future<Output = i32>) -> i32 {
    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt.block_on(fut),
        Err(e) => {
            chimescope::say!("chimescope: cannot start the async runtime: {e}");
            exit::EXIT_OTHER
        }
    }
}
