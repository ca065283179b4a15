//! How far a scan is ([`Progress`]): for the progress line on stderr, the Scan pane, and the
//! estimate of the time left (none before a second of scanning); [`hms`] writes a duration the
//! way both show it.

use super::report::Tally;

/// How far a scan is, for the progress line and the Scan pane.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub users: u64,
    /// Known once the last page of users has come.
    pub users_total: Option<u64>,
    pub endpoints: u64,
    pub cannot_receive: u64,
    pub requests: u64,
    pub throttled: u64,
    /// Pinpoint reads (the Pinpoint checks), apart from `requests`.
    pub pinpoint_requests: u64,
    /// The limiter's current rate.
    pub rate: f64,
    /// Seconds scanning, earlier runs of a resumed scan included.
    pub seconds: f64,
    /// Seconds of this run, and the requests sent in it (for requests per second).
    pub run_seconds: f64,
    pub run_requests: u64,
    /// The counts so far (by status, reason, type, AllowMessages).
    pub tally: Tally,
}

impl Progress {
    /// Seconds left, once the total is known and the scan has run a second (the first
    /// instants' pace would promise 0s).
    pub fn eta(&self) -> Option<f64> {
        let total = self.users_total?;
        if self.seconds < 1.0 {
            return None;
        }
        let rate = self.users as f64 / self.seconds.max(0.001);
        (rate > 0.0).then(|| total.saturating_sub(self.users) as f64 / rate)
    }

    /// One line, for stderr.
    pub fn line(&self) -> String {
        let total = self.users_total.map_or(String::new(), |t| format!(" / {t}"));
        let eta = self.eta().map_or(String::new(), |s| format!(" · ETA {}", hms(s)));
        let rps = self.run_requests as f64 / self.run_seconds.max(0.001);
        let pinpoint = match self.pinpoint_requests {
            0 => String::new(),
            n => format!(" · Pinpoint {n}"),
        };
        format!(
            "users {}{total} · endpoints {} ({} cannot receive) · {rps:.1} req/s (limit {:.1}) · throttled {}{pinpoint}{eta}",
            self.users, self.endpoints, self.cannot_receive, self.rate, self.throttled
        )
    }
}

/// "42s", "3m05s", "1h02m".
pub fn hms(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, s % 3600 / 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_eta_before_a_second_of_scanning_then_one_from_the_pace() {
        let p = Progress { users: 3, users_total: Some(100), seconds: 0.05, ..Default::default() };
        assert_eq!(p.eta(), None, "3 users in 50 ms would promise 2 s");
        let p = Progress { users: 10, users_total: Some(100), seconds: 2.0, ..Default::default() };
        assert_eq!(p.eta(), Some(18.0));
        assert_eq!(Progress { users_total: None, seconds: 9.0, ..p }.eta(), None);
        assert_eq!((hms(42.0), hms(185.0), hms(3720.0)), ("42s".into(), "3m05s".into(), "1h02m".into()));
    }
}
