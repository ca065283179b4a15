//! Connections: accepted with a cap on how many are open at once, closed when their request
//! headers take too long (slowloris) or when they sit idle between requests too long, and the
//! accept loop backs off on errors instead of spinning. At the cap, or when the process runs
//! out of descriptors, the connection idle the longest is closed to make room (as nginx reuses
//! keep-alive connections), so a normal request is served while many idle ones are held.

use super::State;
use super::request;
use hyper::Request;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

/// Connection limits.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Open connections at most; None: the descriptor limit (RLIMIT_NOFILE) less a margin.
    pub max_connections: Option<usize>,
    /// From the first byte of a request to the end of its headers.
    pub header_timeout: Duration,
    /// Between requests on a keep-alive connection.
    pub idle_timeout: Duration,
    /// To receive a request's body.
    pub body_timeout: Duration,
    /// The largest request body (the largest legal input is a few tens of KB).
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: None,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(10),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// Descriptors kept free for everything but connections (listener, runtime, files).
const FD_MARGIN: u64 = 64;

/// The default cap: what the descriptor limit leaves.
pub fn default_max_connections() -> usize {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit writes into the struct we pass and reads nothing else.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
            let soft: u64 = lim.rlim_cur;
            return soft.saturating_sub(FD_MARGIN).clamp(16, 1_000_000) as usize;
        }
    }
    1024
}

/// Raise this process's soft descriptor limit to its hard limit (for `chimescope emulator`).
pub fn raise_descriptor_limit() {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: as above; setrlimit only reads the struct.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
                lim.rlim_cur = lim.rlim_max.min(1 << 20);
                libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            }
        }
    }
}

/// What the server knows of one connection.
struct Conn {
    /// Requests being handled (0: the connection is between requests).
    in_flight: AtomicUsize,
    /// Milliseconds since `Registry::epoch` of the last read, write or finished request.
    last_active: AtomicU64,
    /// When the current request's first byte arrived (0: none pending).
    head_started: AtomicU64,
    /// Asked to close to make room.
    closing: std::sync::atomic::AtomicBool,
    close: Notify,
}

struct Registry {
    epoch: Instant,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    next: AtomicU64,
    /// Signalled whenever a connection has ended.
    freed: Notify,
}

impl Registry {
    fn now(&self) -> u64 {
        // Never 0, which means "none".
        self.epoch.elapsed().as_millis() as u64 + 1
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ask the connection that has been between requests the longest to close. False when
    /// every connection is busy.
    fn evict_idlest(&self) -> bool {
        let conns = self.lock();
        let victim = conns
            .values()
            .filter(|c| c.in_flight.load(Ordering::SeqCst) == 0 && !c.closing.load(Ordering::SeqCst))
            .min_by_key(|c| c.last_active.load(Ordering::SeqCst));
        match victim {
            Some(c) => {
                c.closing.store(true, Ordering::SeqCst);
                c.close.notify_one();
                true
            }
            None => false,
        }
    }

    /// Wait (briefly) until fewer than `max` connections are open.
    async fn room(&self, max: usize) -> bool {
        let wait = async {
            loop {
                let freed = self.freed.notified();
                if self.lock().len() < max {
                    return;
                }
                freed.await;
            }
        };
        tokio::time::timeout(Duration::from_millis(500), wait).await.is_ok()
    }
}

/// An I/O stream that records activity on its connection.
struct Watched {
    inner: TcpStream,
    conn: Arc<Conn>,
    registry: Arc<Registry>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            let now = self.registry.now();
            self.conn.last_active.store(now, Ordering::SeqCst);
            if self.conn.in_flight.load(Ordering::SeqCst) == 0 {
                let _ = self.conn.head_started.compare_exchange(0, now, Ordering::SeqCst, Ordering::SeqCst);
            }
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            let now = self.registry.now();
            self.conn.last_active.store(now, Ordering::SeqCst);
        }
        r
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            let now = self.registry.now();
            self.conn.last_active.store(now, Ordering::SeqCst);
        }
        r
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Marks a request in flight on its connection while alive.
struct InFlight {
    conn: Arc<Conn>,
    registry: Arc<Registry>,
}

impl InFlight {
    fn new(conn: Arc<Conn>, registry: Arc<Registry>) -> Self {
        conn.in_flight.fetch_add(1, Ordering::SeqCst);
        conn.head_started.store(0, Ordering::SeqCst);
        Self { conn, registry }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.conn.last_active.store(self.registry.now(), Ordering::SeqCst);
        self.conn.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

pub(super) async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    mut stopped: watch::Receiver<bool>,
) {
    let registry = Arc::new(Registry {
        epoch: Instant::now(),
        conns: Mutex::new(HashMap::new()),
        next: AtomicU64::new(1),
        freed: Notify::new(),
    });
    let max = state.limits.max_connections.unwrap_or_else(default_max_connections).max(1);
    let mut backoff = Duration::ZERO;
    // Accept failures are logged at most once a second, with how many there were.
    let mut logged: Option<Instant> = None;
    let mut unlogged: u64 = 0;
    loop {
        let accepted = tokio::select! {
            c = listener.accept() => c,
            _ = stopped.changed() => return,
        };
        let stream = match accepted {
            Ok((s, _)) => {
                backoff = Duration::ZERO;
                s
            }
            Err(e) => {
                // Out of descriptors: make room by closing the idlest connection.
                let fds = matches!(e.raw_os_error(), Some(libc::EMFILE) | Some(libc::ENFILE));
                if fds {
                    registry.evict_idlest();
                }
                backoff = (backoff * 2).clamp(Duration::from_millis(5), Duration::from_secs(1));
                unlogged += 1;
                if logged.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                    tracing::warn!(error = %e, failures = unlogged, backoff_ms = backoff.as_millis() as u64, "accept failed");
                    logged = Some(Instant::now());
                    unlogged = 0;
                }
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = stopped.changed() => return,
                }
                continue;
            }
        };
        if registry.lock().len() >= max {
            // Make room: close the idlest connection and wait for it to be gone, so that
            // the open connections (and descriptors) never exceed the cap.
            registry.evict_idlest();
            if !registry.room(max).await {
                tracing::debug!(max, "connection refused: every connection is busy");
                drop(stream);
                continue;
            }
        }
        let _ = stream.set_nodelay(true);
        spawn_connection(stream, state.clone(), registry.clone(), stopped.clone());
    }
}

fn spawn_connection(
    stream: TcpStream,
    state: Arc<State>,
    registry: Arc<Registry>,
    mut stopped: watch::Receiver<bool>,
) {
    let id = registry.next.fetch_add(1, Ordering::SeqCst);
    let conn = Arc::new(Conn {
        in_flight: AtomicUsize::new(0),
        last_active: AtomicU64::new(registry.now()),
        head_started: AtomicU64::new(0),
        closing: std::sync::atomic::AtomicBool::new(false),
        close: Notify::new(),
    });
    registry.lock().insert(id, conn.clone());
    tokio::spawn(async move {
        let limits = state.limits.clone();
        let io = Watched { inner: stream, conn: conn.clone(), registry: registry.clone() };
        let svc = {
            let (state, conn, registry) = (state.clone(), conn.clone(), registry.clone());
            service_fn(move |req: Request<hyper::body::Incoming>| {
                let state = state.clone();
                let guard = InFlight::new(conn.clone(), registry.clone());
                async move {
                    let r = request::handle(&state, req).await;
                    drop(guard);
                    r
                }
            })
        };
        let served = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(io), svc);
        tokio::pin!(served);
        let check = (limits.header_timeout.min(limits.idle_timeout) / 4)
            .clamp(Duration::from_millis(10), Duration::from_secs(1));
        let mut tick = tokio::time::interval(check);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                r = &mut served => {
                    if let Err(e) = r { tracing::debug!(error = %e, "connection ended"); }
                    break;
                }
                _ = conn.close.notified() => { tracing::debug!("connection closed to make room"); break; }
                _ = stopped.changed() => break,
                _ = tick.tick() => {
                    if conn.in_flight.load(Ordering::SeqCst) > 0 { continue; }
                    let now = registry.now();
                    let head = conn.head_started.load(Ordering::SeqCst);
                    if head != 0 {
                        if now.saturating_sub(head) >= limits.header_timeout.as_millis() as u64 {
                            tracing::debug!("request headers not received in time: closed");
                            break;
                        }
                    } else if now.saturating_sub(conn.last_active.load(Ordering::SeqCst))
                        >= limits.idle_timeout.as_millis() as u64
                    {
                        tracing::debug!("idle connection closed");
                        break;
                    }
                }
            }
        }
        registry.lock().remove(&id);
        registry.freed.notify_one();
    });
}
