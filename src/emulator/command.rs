//! `chimescope emulator`: flags → options, then serve until killed.

use super::{Credentials, Fault, Options, Store};
use std::collections::HashMap;
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
    pub state: Option<PathBuf>,
    pub quotas: Option<String>,
    pub quota: Vec<String>,
    pub accounts: Vec<String>,
}

/// `KEY=ACCOUNT_ID` pairs (the account 12 digits).
fn parse_accounts(specs: &[String]) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for s in specs {
        let (k, a) = s
            .split_once('=')
            .filter(|(k, a)| !k.is_empty() && a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| format!("--account {s:?}: expected ACCESS_KEY_ID=ACCOUNT_ID (12 digits)"))?;
        out.insert(k.to_string(), a.to_string());
    }
    Ok(out)
}

/// `--account` without `--credentials`: signatures are not verified, so the access key that
/// picks the account is whatever the caller writes.
fn account_warning(accounts: &HashMap<String, String>, credentials: &Credentials) -> Option<String> {
    (!accounts.is_empty() && credentials.is_empty()).then(|| {
        "warning: --account without --credentials: signatures are not verified, so any caller can \
         claim any account by naming its access key; give --credentials KEY:SECRET to verify them"
            .to_string()
    })
}

/// `--quotas aws` then every `--quota` over it.
fn parse_quotas(set: Option<&str>, specs: &[String]) -> Result<Vec<(String, f64)>, String> {
    let mut rates: Vec<(String, f64)> = match set {
        None => Vec::new(),
        Some("aws") => super::quota::AWS.iter().map(|(n, r)| (n.to_string(), *r)).collect(),
        Some(other) => return Err(format!("--quotas {other:?}: the only set is aws")),
    };
    let ops: Vec<&str> = super::ops::served().collect();
    for s in specs {
        let (op, rate) = super::quota::parse(s, &ops)?;
        rates.retain(|(n, _)| *n != op);
        rates.push((op, rate));
    }
    Ok(rates)
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
    let seed = match &args.seed {
        None => Store::demo(),
        Some(p) => match Store::from_seed_file_within_quotas(p) {
            Ok(s) => s,
            Err(e) => return bad(&format!("unusable seed: {e}")),
        },
    };
    // A state file that exists is where the emulator left off; one that does not is made
    // from the seed.
    let store = match &args.state {
        Some(p) if p.exists() => match Store::from_seed_file(p) {
            Ok(s) => s,
            Err(e) => return bad(&format!("unusable state file: {e}")),
        },
        _ => seed.clone(),
    };
    let accounts = match parse_accounts(&args.accounts) {
        Ok(a) => a,
        Err(e) => return bad(&e),
    };
    if let Some(w) = account_warning(&accounts, &credentials) {
        eprintln!("chimescope emulator: {w}");
    }
    let quotas = match parse_quotas(args.quotas.as_deref(), &args.quota) {
        Ok(q) => q,
        Err(e) => return bad(&e),
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
        accounts,
        quotas,
        state_file: args.state.clone(),
        reset_to: Some(seed),
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
            eprintln!("chimescope emulator: cannot start on {bind}: {e}");
            EXIT_OTHER
        }
    }
}
