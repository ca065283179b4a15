//! A local, wire-compatible Chime SDK Identity service: the six read operations of WIRE.md
//! over restJson1, with the model's shapes, status codes and headers, paging, validation,
//! latency and injected faults. Used by `chimescope emulator`, `--demo` and the tests.

pub mod fault;
mod router;
pub mod store;

pub use fault::{Fault, FaultKind};
pub use store::{SeedError, Store};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::Frame;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub type Body = BoxBody<Bytes, std::io::Error>;

/// How to run the service.
#[derive(Clone, Debug)]
pub struct Options {
    pub bind: SocketAddr,
    pub store: Store,
    pub latency: Duration,
    pub faults: Vec<Fault>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            store: Store::default(),
            latency: Duration::ZERO,
            faults: Vec::new(),
        }
    }
}

pub(crate) struct State {
    pub store: Store,
    pub latency: Duration,
    pub faults: Mutex<Vec<Fault>>,
    pub requests: AtomicU64,
    pub instance: u64,
    /// The region of the last request's SigV4 credential scope.
    pub last_region: Mutex<Option<String>>,
}

/// A running service. Dropping it stops it too.
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<State>,
    stop: watch::Sender<bool>,
}

impl Emulator {
    /// Bind and start serving on the current tokio runtime.
    pub async fn start(opts: Options) -> std::io::Result<Self> {
        let listener = TcpListener::bind(opts.bind).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            store: opts.store,
            latency: opts.latency,
            faults: Mutex::new(opts.faults),
            requests: AtomicU64::new(0),
            last_region: Mutex::new(None),
            instance: std::process::id() as u64 ^ (addr.port() as u64) << 32,
        });
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(accept_loop(listener, state.clone(), stopped));
        tracing::info!(%addr, "emulator listening");
        Ok(Self { addr, state, stop })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Add a fault while running (tests use this between requests).
    pub fn add_fault(&self, fault: Fault) {
        self.state.faults.lock().unwrap_or_else(|e| e.into_inner()).push(fault);
    }

    pub fn clear_faults(&self) {
        self.state.faults.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// How many requests reached the service (to prove that nothing was sent).
    pub fn request_count(&self) -> u64 {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// The region the last signed request was scoped to (where a real client would have sent it).
    pub fn last_signing_region(&self) -> Option<String> {
        self.state.last_region.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>, mut stopped: watch::Receiver<bool>) {
    loop {
        let conn = tokio::select! {
            c = listener.accept() => c,
            _ = stopped.changed() => return,
        };
        let (stream, _) = match conn {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let state = state.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req: Request<hyper::body::Incoming>| {
                let state = state.clone();
                async move { router::handle(&state, req).await }
            });
            let conn = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                r = conn => { if let Err(e) = r { tracing::debug!(error = %e, "connection ended"); } }
                _ = stopped.changed() => {}
            }
        });
    }
}

pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

/// A body that sends the first half of `bytes` and then fails, so the connection is cut
/// before Content-Length is reached.
pub(crate) fn truncated(bytes: Bytes) -> Body {
    let half = bytes.slice(..bytes.len() / 2);
    let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
        Ok(Frame::data(half)),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "injected truncation")),
    ];
    BodyExt::boxed(StreamBody::new(futures_util::stream::iter(frames)))
}

/// Run the service for `chimescope emulator`: print the URL line, serve until killed.
pub async fn serve_forever(opts: Options) -> std::io::Result<()> {
    let emu = Emulator::start(opts).await?;
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", emu.url())?;
        out.flush()?;
    }
    wait_for_signal().await;
    emu.stop();
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

pub(crate) type Resp = Response<Body>;
