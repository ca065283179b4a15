//! `chimescope emulator`: flags → options, then serve until killed.

use super::{Credentials, Fault, Options, Store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Bad arguments, as the AWS CLI numbers it.
const EXIT_BAD_ARGS: i32 = 252;
const EXIT_OTHER: i32 = 255;

/// The flags of `chimescope emulator`.
#[derive(Debug, Default)]
pub struct Args {
    pub bind: String,
    pub seed: Option<PathBuf>,
    pub latency_ms: u64,
    pub faults: Vec<String>,
    pub credentials: Vec<String>,
    pub allow_non_loopback: bool,
}

fn bad(msg: &str) -> i32 {
    eprintln!("chimescope emulator: {msg}");
    EXIT_BAD_ARGS
}

/// Run the emulator; the process's exit code.
pub fn run(args: Args) -> i32 {
    let bind: SocketAddr = match args.bind.parse() {
        Ok(a) => a,
        Err(_) => {
            return bad(&format!("--bind {:?} is not an address; expected e.g. 127.0.0.1:0", args.bind));
        }
    };
    let credentials = match Credentials::parse(&args.credentials) {
        Ok(c) => c,
        Err(e) => return bad(&e),
    };
    match super::check_bind(&bind, args.allow_non_loopback, !credentials.is_empty()) {
        Ok(None) => {}
        Ok(Some(warning)) => eprintln!("chimescope emulator: {warning}"),
        Err(e) => return bad(&e),
    }
    let store = match &args.seed {
        None => Store::demo(),
        Some(p) => match Store::from_seed_file(p) {
            Ok(s) => s,
            Err(e) => return bad(&format!("unusable seed: {e}")),
        },
    };
    let mut faults = Vec::new();
    for f in &args.faults {
        match Fault::parse(f) {
            Ok(f) => faults.push(f),
            Err(e) => return bad(&format!("--fault: {e}")),
        }
    }
    let opts = Options {
        bind,
        store,
        latency: Duration::from_millis(args.latency_ms),
        faults,
        credentials,
        ..Options::default()
    };
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("chimescope emulator: cannot start the async runtime: {e}");
            return EXIT_OTHER;
        }
    };
    match rt.block_on(super::serve_forever(opts)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("chimescope emulator: cannot listen on {bind}: {e}");
            EXIT_OTHER
        }
    }
}
