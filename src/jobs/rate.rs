//! The pace of the client's requests, the scan's and the browser's worker's: a client-side
//! token bucket at a rate that adapts to throttling (AIMD).
//!
//! [`Limiter`] is pure: it is told the time (seconds on any monotonic clock) and answers when the
//! next request may leave; tests drive it with a fake clock. [`Gate`] wraps it for the engine with
//! tokio's clock and a mutex.
//!
//! - A request takes one token; tokens refill at the current rate up to a small burst
//!   (a tenth of a second's worth, at least one), so over any T seconds at most rate·T + burst
//!   requests leave.
//! - A ThrottledClientException halves the rate (down to a floor) and empties the bucket, once per
//!   "epoch": throttles of requests that left before the last decrease do not decrease it again
//!   (they were sent at the old rate), as TCP decreases once per window.
//! - Between throttles the rate grows back additively, by a twentieth of the ceiling per second,
//!   never above the ceiling (`--rate`).

use std::time::Duration;

/// The lowest the rate goes after throttles: one request every ten seconds (or the ceiling,
/// when `--rate` asks for less).
pub const MIN_RATE: f64 = 0.1;
/// The lowest ceiling: `--rate` is refused below it (`cli::MIN_RATE`).
pub const MIN_CEILING: f64 = 0.01;

/// What a request got from [`Limiter::try_acquire`]: the epoch it left in, to be handed back
/// with a throttle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub epoch: u64,
}

/// The token bucket and its adaptive rate.
#[derive(Clone, Debug)]
pub struct Limiter {
    ceiling: f64,
    rate: f64,
    tokens: f64,
    last: f64,
    epoch: u64,
    decreases: u64,
}

impl Limiter {
    /// A limiter at `ceiling` requests per second, its bucket full, at time `now`.
    pub fn new(ceiling: f64, now: f64) -> Self {
        // A ceiling below the throttles' floor is kept as asked (`--rate 0.05` goes at 0.05/s).
        let ceiling = if ceiling.is_finite() && ceiling > 0.0 { ceiling.max(MIN_CEILING) } else { MIN_RATE };
        let mut l = Self { ceiling, rate: ceiling, tokens: 0.0, last: now, epoch: 0, decreases: 0 };
        l.tokens = l.burst();
        l
    }

    /// The current rate, requests per second.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    pub fn ceiling(&self) -> f64 {
        self.ceiling
    }

    /// How many times throttling has lowered the rate.
    pub fn decreases(&self) -> u64 {
        self.decreases
    }

    fn burst(&self) -> f64 {
        (self.rate / 10.0).max(1.0)
    }

    fn advance(&mut self, now: f64) {
        let dt = (now - self.last).max(0.0);
        if dt > 0.0 {
            // Additive increase, then refill at the rate of the interval's start (the smaller).
            let before = self.rate;
            self.rate = (self.rate + self.ceiling / 20.0 * dt).min(self.ceiling);
            self.tokens = (self.tokens + before * dt).min(self.burst());
            self.last = now;
        }
    }

    /// A ticket when a request may leave now (its token taken), else how long to wait.
    pub fn try_acquire(&mut self, now: f64) -> Result<Ticket, Duration> {
        self.advance(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(Ticket { epoch: self.epoch })
        } else {
            let secs = (1.0 - self.tokens) / self.rate;
            Err(Duration::from_secs_f64(secs.clamp(0.000_1, 60.0)))
        }
    }

    /// A request of `ticket` was throttled at `now`: halve the rate and empty the bucket, unless
    /// the rate was already lowered since that request left. Whether it lowered it.
    pub fn throttled(&mut self, ticket: Ticket, now: f64) -> bool {
        self.advance(now);
        if ticket.epoch != self.epoch {
            return false;
        }
        self.rate = (self.rate / 2.0).max(MIN_RATE.min(self.ceiling));
        self.tokens = 0.0;
        self.epoch += 1;
        self.decreases += 1;
        true
    }
}

/// The limiter shared by the engine's requests, on tokio's clock (so paused-time tests work).
pub struct Gate {
    inner: std::sync::Mutex<Limiter>,
    start: tokio::time::Instant,
}

impl Gate {
    pub fn new(ceiling: f64) -> Self {
        Self { inner: std::sync::Mutex::new(Limiter::new(ceiling, 0.0)), start: tokio::time::Instant::now() }
    }

    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Limiter> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait until a request may leave.
    pub async fn acquire(&self) -> Ticket {
        loop {
            let wait = {
                let now = self.now();
                match self.lock().try_acquire(now) {
                    Ok(t) => return t,
                    Err(w) => w,
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    pub fn throttled(&self, ticket: Ticket) -> bool {
        let now = self.now();
        self.lock().throttled(ticket, now)
    }

    pub fn rate(&self) -> f64 {
        self.lock().rate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requests sent between `from` and `to` (seconds) by a client that asks as soon as it may.
    fn sent_between(l: &mut Limiter, from: f64, to: f64) -> usize {
        let mut now = from;
        let mut n = 0;
        while now < to {
            match l.try_acquire(now) {
                Ok(_) => n += 1,
                Err(w) => now += w.as_secs_f64(),
            }
        }
        n
    }

    #[test]
    fn the_bucket_keeps_to_the_rate_with_a_tenth_of_a_second_of_burst() {
        let mut l = Limiter::new(80.0, 0.0);
        // Burst of 8 at once, then no more until a token refills.
        for _ in 0..8 {
            assert!(l.try_acquire(0.0).is_ok());
        }
        let wait = l.try_acquire(0.0).unwrap_err();
        assert!((wait.as_secs_f64() - 1.0 / 80.0).abs() < 1e-9, "{wait:?}");
        // Over 10 s of fake time: rate × T, plus the burst already taken.
        let n = sent_between(&mut l, 0.0, 10.0);
        assert!((799..=801).contains(&n), "{n}");
    }

    #[test]
    fn a_throttle_halves_the_rate_once_per_epoch_and_empties_the_bucket() {
        let mut l = Limiter::new(100.0, 0.0);
        let old = l.try_acquire(0.0).unwrap();
        let older = l.try_acquire(0.0).unwrap();
        assert!(l.throttled(old, 0.0));
        assert_eq!(l.rate(), 50.0);
        assert!(!l.throttled(older, 0.0), "sent before the decrease: no second decrease");
        assert_eq!(l.rate(), 50.0);
        assert!(l.try_acquire(0.0).is_err(), "the bucket is empty after a decrease");
        let t = l.try_acquire(1.0).unwrap();
        assert!(l.throttled(t, 1.0));
        assert!(l.rate() < 30.0, "{}", l.rate());
        assert_eq!(l.decreases(), 2);
    }

    #[test]
    fn the_rate_grows_back_additively_and_never_above_the_ceiling() {
        let mut l = Limiter::new(100.0, 0.0);
        let t = l.try_acquire(0.0).unwrap();
        l.throttled(t, 0.0);
        assert_eq!(l.rate(), 50.0);
        // A twentieth of the ceiling a second: 5/s.
        let _ = l.try_acquire(2.0);
        assert!((l.rate() - 60.0).abs() < 1e-9, "{}", l.rate());
        let _ = l.try_acquire(100.0);
        assert_eq!(l.rate(), 100.0);
        let _ = l.try_acquire(1000.0);
        assert_eq!(l.rate(), 100.0, "never above --rate");
    }

    #[test]
    fn the_rate_never_falls_below_the_floor() {
        let mut l = Limiter::new(1.0, 0.0);
        for i in 0..20 {
            let now = f64::from(i) * 100.0;
            if let Ok(t) = l.try_acquire(now) {
                l.throttled(t, now);
            }
            assert!(l.rate() >= MIN_RATE);
        }
        assert!(Limiter::new(0.0, 0.0).rate() >= MIN_RATE);
        assert!(Limiter::new(f64::NAN, 0.0).rate() >= MIN_RATE);
        // A ceiling under the floor is kept as asked, and throttles do not raise it.
        let mut slow = Limiter::new(0.05, 0.0);
        assert_eq!(slow.rate(), 0.05);
        let t = slow.try_acquire(0.0).unwrap();
        slow.throttled(t, 0.0);
        assert_eq!(slow.rate(), 0.05);
    }

    /// A simulated service bucket of `quota`/s (burst `quota`) against a client asking at
    /// `ceiling`, all in fake time: the client converges near the quota, few requests throttled.
    #[test]
    fn against_a_smaller_quota_it_converges_with_few_throttles() {
        let (quota, ceiling, secs) = (100.0, 500.0, 60.0);
        let mut l = Limiter::new(ceiling, 0.0);
        let (mut server, mut last) = (quota, 0.0_f64);
        let (mut now, mut ok, mut throttled) = (0.0_f64, 0u32, 0u32);
        while now < secs {
            match l.try_acquire(now) {
                Ok(t) => {
                    server = (server + (now - last) * quota).min(quota);
                    last = now;
                    if server >= 1.0 {
                        server -= 1.0;
                        ok += 1;
                    } else {
                        throttled += 1;
                        l.throttled(t, now);
                    }
                }
                Err(w) => now += w.as_secs_f64(),
            }
        }
        let served = f64::from(ok) / secs;
        let share = f64::from(throttled) / f64::from(ok + throttled);
        assert!(served >= 0.85 * quota, "served {served}/s");
        assert!(share <= 0.05, "throttled {share}");
    }
}
