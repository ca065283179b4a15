//! `chimescope scan`: every user's endpoints of an app instance, through the engine
//! in `src/scan/`: progress on stderr when it is a terminal, the report (JSON summary, CSV or
//! text) on stdout or `--out FILE`, a checkpoint to resume from, exit 1 when an endpoint cannot
//! receive pushes. `--diagnose` runs the doctor's record findings and, unless `--no-pinpoint`,
//! its Pinpoint checks (each app read once a run; their reads counted as `PinpointRequests`).

use super::client::{bad_args, connect_for, fail};
use super::exit::{EXIT_BAD_ARGS, EXIT_CONFIG, EXIT_FINDINGS, EXIT_OK, EXIT_OTHER};
use super::format::Format;
use super::output::STDOUT_CLOSED_AT_START;
use crate::cli::ScanOutput;
use crate::doctor::verdict::Checked;
use crate::model::{self, escape_control};
use crate::scan::checkpoint::Identity;
use crate::scan::report::{self, Summary};
use crate::scan::{Options, Outcome, Progress, Scan, ScanError};
use crate::settings::Settings;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

/// What `chimescope scan` was given.
#[derive(Clone, Debug)]
pub struct Args {
    pub app_instance_arn: String,
    /// None: `[scan] rate`, else the default.
    pub rate: Option<f64>,
    /// None: `[scan] concurrency`, else the default.
    pub concurrency: Option<usize>,
    /// None: `[scan] max_throttles`, else the default.
    pub max_throttles: Option<u64>,
    pub checkpoint: Option<PathBuf>,
    pub output: ScanOutput,
    pub out: Option<PathBuf>,
    pub describe: bool,
    pub diagnose: bool,
    /// `--no-pinpoint`: `--diagnose` without the Pinpoint checks.
    pub no_pinpoint: bool,
}

/// The command line that resumes this scan, for the message at Ctrl-C.
fn resume_hint(cp: &Path) -> String {
    format!(
        "the checkpoint {} holds the scan so far: run the same command again to resume it",
        escape_control(&cp.display().to_string())
    )
}

/// `chimescope scan`.
pub async fn scan(s: &Settings, a: Args, fmt: &Format) -> i32 {
    let arn = match model::parse_instance_arn(&a.app_instance_arn) {
        Ok(arn) => arn,
        Err(e) => return bad_args(&format!("--app-instance-arn: {e}")),
    };
    if fmt.query.is_some() && a.output == ScanOutput::Csv {
        return bad_args("--query applies to JSON, text and table output, not csv; nothing was sent");
    }
    if let (Some(out), Some(cp)) = (&a.out, &a.checkpoint)
        && out == cp
    {
        return bad_args("--out and --checkpoint name the same file");
    }
    if let Some(out) = &a.out
        && let Err(e) = check_out(out)
    {
        return bad_args(&format!(
            "--out {}: {}; nothing was sent",
            escape_control(&out.display().to_string()),
            escape_control(&e.to_string())
        ));
    }
    // One attempt per request: the scan retries throttled requests itself, through its limiter,
    // and counts every one (the SDK's own retries would hide them from it).
    let mut s = s.clone();
    s.aws.max_attempts = 1;
    let (client, _emu) = match connect_for(&s, arn.region()).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let opts = Options {
        app_instance_arn: a.app_instance_arn.clone(),
        rate: a.rate.unwrap_or(s.scan_rate),
        concurrency: a.concurrency.unwrap_or(s.scan_concurrency),
        describe: a.describe || a.diagnose,
        diagnose: a.diagnose,
        // `[doctor] pinpoint = false` in the config file is `--no-pinpoint` too.
        pinpoint: a.diagnose && !a.no_pinpoint && s.pinpoint,
        all_rows: a.output == ScanOutput::Csv,
        max_throttles: a.max_throttles.unwrap_or(s.scan_max_throttles),
    };
    let identity = Identity {
        app_instance_arn: a.app_instance_arn.clone(),
        describe: opts.describe,
        diagnose: opts.diagnose,
        pinpoint: opts.pinpoint,
        all_rows: opts.all_rows,
        region: client.region_for(Some(arn.region())),
        endpoint_url: client.endpoint_url(),
    };
    let mut scan = match Scan::open(opts, identity, a.checkpoint.as_deref()) {
        Ok(scan) => scan,
        Err(e) => return refused(&e, a.checkpoint.as_deref()),
    };
    if scan.resumed()
        && let Some(cp) = &a.checkpoint
    {
        say!(
            "chimescope: resuming the scan in {} ({} users done)",
            escape_control(&cp.display().to_string()),
            scan.tally().users
        );
        if scan.rows_lost() > 0 {
            say!(
                "chimescope: warning: the rows file {}.rows was cut inside a row: {} bytes of rows are \
                 gone (cut back to the last whole row); the counts include them, the list of endpoints \
                 does not",
                escape_control(&cp.display().to_string()),
                scan.rows_lost()
            );
        }
    }
    let signal = Arc::new(AtomicI32::new(0));
    let stop = stop_signal(signal.clone());
    let terminal = std::io::stderr().is_terminal();
    let mut shown = false;
    let mut progress = |p: &Progress| {
        if terminal {
            say_inline!("\r\x1b[2K{}", p.line());
            shown = true;
        }
    };
    let outcome = scan.run(&client, stop, &mut progress).await;
    if shown {
        say_inline!("\r\x1b[2K");
    }
    match outcome {
        Ok(Outcome::Finished) => {}
        Ok(Outcome::Stopped) => {
            let t = scan.tally();
            say!(
                "chimescope: stopped after {} ({})",
                model::count_of(t.users as usize, "user"),
                model::count_of(t.endpoints as usize, "endpoint")
            );
            match &a.checkpoint {
                Some(cp) => say!("chimescope: {}", resume_hint(cp)),
                None => {
                    say!("chimescope: nothing was saved: give --checkpoint FILE to be able to resume")
                }
            }
            let sig = signal.load(Ordering::Relaxed);
            return 128 + if sig == 0 { rustix::process::Signal::INT.as_raw() } else { sig };
        }
        Err(ScanError::Service(e, op)) => {
            let code = fail(&e, op);
            if let Some(cp) = &a.checkpoint {
                say!("chimescope: {}", resume_hint(cp));
            }
            return code;
        }
        Err(e) => return refused(&e, a.checkpoint.as_deref()),
    }
    let code = write_report(&mut scan, &a, fmt);
    if code == EXIT_OK {
        if let Err(e) = scan.remove_checkpoint() {
            say!("chimescope: warning: the checkpoint cannot be removed: {e}");
        }
        if scan.tally().cannot_receive > 0 {
            return EXIT_FINDINGS;
        }
    }
    code
}

/// Completes at the first SIGINT or SIGTERM, recording which in `signal`.
async fn stop_signal(signal: Arc<AtomicI32>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal as listen};
        let (Ok(mut int), Ok(mut term)) = (listen(SignalKind::interrupt()), listen(SignalKind::terminate()))
        else {
            return std::future::pending().await;
        };
        let sig = tokio::select! {
            _ = int.recv() => rustix::process::Signal::INT.as_raw(),
            _ = term.recv() => rustix::process::Signal::TERM.as_raw(),
        };
        signal.store(sig, Ordering::Relaxed);
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        signal.store(2, Ordering::Relaxed);
    }
}

fn refused(e: &ScanError, cp: Option<&Path>) -> i32 {
    let shown = cp.map(|p| escape_control(&p.display().to_string()).into_owned()).unwrap_or_default();
    match e {
        ScanError::Mismatch(d) => {
            say!(
                "chimescope: the checkpoint {shown} is of another scan: {}; run the scan it was started for, \
                 give another --checkpoint, or delete {shown} and {shown}.rows to start over",
                d.join("; ")
            );
            EXIT_BAD_ARGS
        }
        ScanError::Damaged(m) => {
            say!(
                "chimescope: the checkpoint {shown} cannot be used: {}; it is left as it is: \
                 move it (and {shown}.rows) aside to start the scan over",
                escape_control(m)
            );
            EXIT_CONFIG
        }
        ScanError::Busy(pid) => {
            say!(
                "chimescope: the checkpoint {shown} is in use by another scan ({}): wait for it to end \
                 (or stop it), or give another --checkpoint",
                crate::scan::background::holder_words(*pid)
            );
            EXIT_CONFIG
        }
        ScanError::Io(m) => {
            say!("chimescope: {}", escape_control(m));
            EXIT_OTHER
        }
        ScanError::Service(e, op) => fail(e, op),
    }
}

/// The report, to `--out` (a temporary file renamed over it) or stdout; the exit code.
fn write_report(scan: &mut Scan, a: &Args, fmt: &Format) -> i32 {
    let rows = match scan.rows() {
        Ok(r) => r,
        Err(e) => {
            say!("chimescope: cannot read the scan's rows: {e}");
            return EXIT_OTHER;
        }
    };
    let tally = scan.tally().clone();
    let pinpoint_off = scan.options().diagnose && !scan.options().pinpoint;
    let why = if a.no_pinpoint { "--no-pinpoint" } else { "config: [doctor] pinpoint = false" };
    let summary = Summary {
        app_instance_arn: &a.app_instance_arn,
        tally: &tally,
        pinpoint_off: pinpoint_off.then_some(why),
        checked: match (scan.options().diagnose, scan.options().pinpoint) {
            (true, true) => Checked::Channel,
            (true, false) => Checked::PinpointOff,
            _ => Checked::State,
        },
    };
    // The JSON report under --query or as a table: whole, then shaped as the AWS CLI would.
    let shaped = fmt.query.is_some() || a.output == ScanOutput::Table;
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        let mut w = std::io::BufWriter::new(w);
        match a.output {
            _ if shaped => {
                // Text under --query is the AWS CLI's text of the query over the JSON report.
                let mut json = Vec::new();
                report::write_json(&mut json, &summary, rows)?;
                let v: serde_json::Value = serde_json::from_slice(&json).map_err(std::io::Error::other)?;
                let text = fmt.render("Scan", &v, String::new).map_err(std::io::Error::other)?;
                w.write_all(text.as_bytes())?;
            }
            ScanOutput::Json => report::write_json(&mut w, &summary, rows)?,
            ScanOutput::Csv => report::write_csv(&mut w, rows)?,
            ScanOutput::Text => report::write_text(&mut w, &summary, rows)?,
            ScanOutput::Table => {}
        }
        w.flush()
    };
    match &a.out {
        Some(path) => match write_file(path, write) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                say!("chimescope: cannot write {}: {e}", escape_control(&path.display().to_string()));
                EXIT_OTHER
            }
        },
        None => {
            if STDOUT_CLOSED_AT_START.load(Ordering::Relaxed) {
                say!("chimescope: cannot write output: standard output is closed");
                return EXIT_OTHER;
            }
            // A report for a person at a terminal: whole, then through the pager when long.
            if fmt.pager && std::io::stdout().is_terminal() {
                let mut buf = Vec::new();
                return match write(&mut buf) {
                    Ok(()) => super::pager::write(&String::from_utf8_lossy(&buf), true),
                    Err(e) => {
                        say!("chimescope: cannot write output: {e}");
                        EXIT_OTHER
                    }
                };
            }
            let mut out = std::io::stdout().lock();
            match write(&mut out) {
                Ok(()) => EXIT_OK,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
                Err(e) => {
                    say!("chimescope: cannot write output: {e}");
                    EXIT_OTHER
                }
            }
        }
    }
}

/// Whether the report can be written to `path`, checked before the first request (a whole
/// scan is not lost at the end): a regular file or nothing there (a directory, FIFO, device
/// such as `/dev/full`, or symbolic link is refused), in a directory that exists and takes a
/// new file (a probe file, made and removed, as the report's temporary file will be).
fn check_out(path: &Path) -> std::io::Result<()> {
    crate::store::files::refuse_special(path)?;
    let dir = crate::store::files::existing_dir_of(path)?;
    let probe = tempfile::Builder::new().prefix(".chimescope-scan.").suffix(".tmp").tempfile_in(dir)?;
    probe.close()
}

fn out_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn write_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    crate::store::files::refuse_special(path)?;
    let dir = out_dir(path);
    let mut tmp = tempfile::Builder::new().prefix(".chimescope-scan.").suffix(".tmp").tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
