//! chimescope: argument parsing and picking a mode; everything else is in the library.

// Its lints are the crate's (`[lints]` in Cargo.toml).

use chimescope::cli::{Cli, Command, Output, ScanOutput};
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
/// endpoint URL reaches an assertion inside its endpoint resolver. But for `AWS_PAGER`, whose
/// empty value means "no pager" (the AWS CLI v2's, and the pager's here).
#[allow(unsafe_code)]
fn unset_empty_aws_variables() {
    let empty: Vec<_> = std::env::vars_os()
        .filter(|(k, v)| {
            k.to_str().is_some_and(|k| k.starts_with("AWS_") && k != "AWS_PAGER") && v.is_empty()
        })
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
    // Every command with JSON output: a bad --query is refused here, before any request.
    let format = |output, print: &chimescope::cli::PrintArgs| {
        commands::format::Format::new(output, print).map_err(|e| {
            chimescope::say!("chimescope: {e}");
            exit::EXIT_BAD_ARGS
        })
    };
    match cli.command {
        None => load(Mode::Browser).map_or_else(|code| code, |s| tui::run(&s)),
        Some(Command::Describe { app_instance_user_arn, endpoint_id, output, print, .. }) => {
            with_format(format(output, &print), |fmt| {
                one_shot(load(Mode::Client), |s| {
                    current_thread(commands::describe(s, &app_instance_user_arn, &endpoint_id, fmt))
                })
            })
        }
        Some(Command::List { app_instance_user_arn, output, print, .. }) => {
            with_format(format(output, &print), |fmt| {
                one_shot(load(Mode::Client), |s| {
                    current_thread(commands::list(s, &app_instance_user_arn, fmt))
                })
            })
        }
        Some(Command::Doctor {
            app_instance_user_arn,
            endpoint_id,
            channel_arn,
            message_id,
            output,
            print,
            no_pinpoint,
            ..
        }) => {
            let channel = commands::doctor::ChannelArgs {
                channel_arn: channel_arn.as_deref(),
                message_id: message_id.as_deref(),
            };
            with_format(format(output, &print), |fmt| {
                one_shot(load(Mode::Client), |s| {
                    current_thread(commands::doctor(
                        s,
                        &app_instance_user_arn,
                        endpoint_id.as_deref(),
                        channel,
                        fmt,
                        no_pinpoint,
                    ))
                })
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
            cli_input_json,
            generate_cli_skeleton,
            dry_run,
            output,
            print,
            ..
        }) => with_format(format(output, &print), |fmt| {
            if generate_cli_skeleton {
                return commands::write::skeleton(fmt);
            }
            let given = commands::cli_input::Given {
                user_arn: app_instance_user_arn.is_some(),
                endpoint_type: endpoint_type.is_some(),
                resource_arn: resource_arn.is_some(),
                device_token: device_token.is_some(),
            };
            let flags = commands::write::RegisterArgs {
                user_arn: app_instance_user_arn.unwrap_or_default(),
                endpoint_type: endpoint_type.unwrap_or_default(),
                resource_arn: resource_arn.unwrap_or_default(),
                device_token: device_token.unwrap_or_default(),
                voip_device_token,
                name,
                allow_messages,
                client_request_token,
                force,
            };
            // The input file is read before the settings: a bad one is 252 with nothing sent.
            let args = match cli_input_json {
                None => flags,
                Some(from) => {
                    match commands::cli_input::read(&from)
                        .and_then(|text| commands::cli_input::register_args(&text, &flags, &given))
                    {
                        Ok(a) => a,
                        Err(e) => {
                            chimescope::say!("chimescope: {e}");
                            return exit::EXIT_BAD_ARGS;
                        }
                    }
                }
            };
            one_shot(load(Mode::Client), |s| {
                current_thread(commands::write::register(s, &args, fmt, dry_run))
            })
        }),
        Some(Command::Update {
            app_instance_user_arn,
            endpoint_id,
            name,
            allow_messages,
            dry_run,
            output,
            print,
            ..
        }) => with_format(format(output, &print), |fmt| {
            one_shot(load(Mode::Client), |s| {
                let w = commands::write::update_write(
                    &app_instance_user_arn,
                    &endpoint_id,
                    name.as_deref(),
                    allow_messages.as_deref(),
                );
                current_thread(commands::write::update(s, w, fmt, dry_run))
            })
        }),
        Some(Command::Deregister {
            app_instance_user_arn,
            endpoint_id,
            show_secrets,
            dry_run,
            output,
            print,
            ..
        }) => with_format(format(output, &print), |fmt| {
            one_shot(load(Mode::Client), |s| {
                let w = commands::write::deregister_write(&app_instance_user_arn, &endpoint_id);
                current_thread(commands::write::deregister(s, w, fmt, show_secrets, dry_run))
            })
        }),
        Some(Command::PushTest { push, output, print, .. }) => with_format(format(output, &print), |fmt| {
            one_shot(load(Mode::Client), |s| current_thread(commands::push_test::push_test(s, &push, fmt)))
        }),
        Some(Command::Scan {
            app_instance_arn,
            rate,
            concurrency,
            max_throttles,
            checkpoint,
            output,
            print,
            out,
            describe,
            diagnose,
            no_pinpoint,
            ..
        }) => {
            let shown = match output {
                ScanOutput::Json | ScanOutput::Csv => Output::Json,
                ScanOutput::Text => Output::Text,
                ScanOutput::Table => Output::Table,
            };
            // A report written to a file is never in colour, whatever stdout is.
            let print = chimescope::cli::PrintArgs { no_color: print.no_color || out.is_some(), ..print };
            with_format(format(shown, &print), |fmt| {
                one_shot(load(Mode::Client), |s| {
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
                        fmt,
                    ))
                })
            })
        }
        Some(Command::History { output, print }) => {
            with_format(format(output, &print), |fmt| match load(Mode::History) {
                Ok(_) => commands::history::print(fmt),
                Err(code) => code,
            })
        }
        Some(Command::Completions { shell }) => commands::docs::completions(shell),
        Some(Command::Man) => commands::docs::man(),
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

/// `run` with the command's output format, else the exit code of its refusal (already said).
fn with_format(
    fmt: Result<commands::format::Format, i32>,
    run: impl FnOnce(&commands::format::Format) -> i32,
) -> i32 {
    match fmt {
        Ok(f) => run(&f),
        Err(code) => code,
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
