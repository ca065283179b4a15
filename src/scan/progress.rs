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
    /// Users listed so far (done and pending), while the listing goes on.
    pub users_listed: u64,
    pub endpoints: u64,
    pub cannot_receive: u64,
    pub requests: u64,
    pub throttled: u64,
    /// Pinpoint reads (the Pinpoint checks), apart from `requests`.
    pub pinpoint_requests: u64,
    /// The limiter's current rate (below the ceiling after throttles).
    pub rate: f64,
    /// The most requests a second (`--rate`): the limiter's ceiling.
    pub ceiling: f64,
    /// Throttles since the last other answer, and after how many in a row the scan stops.
    pub throttled_in_a_row: u64,
    pub max_throttles: u64,
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

    /// Requests a second of this run, once it has run [`RPS_AFTER`] seconds: the limiter lets
    /// at most `ceiling·T + burst` requests leave in T seconds, so the first burst (a tenth of a
    /// second's worth, at least one) is left out, and the figure never reads over the limit
    /// because of where it was measured from (a first look at 20 ms read 250 req/s at 50).
    pub fn rps(&self) -> Option<f64> {
        self.rps_under(self.ceiling)
    }

    fn rps_under(&self, ceiling: f64) -> Option<f64> {
        if self.run_seconds < RPS_AFTER {
            return None;
        }
        let burst = (ceiling / 10.0).max(1.0);
        Some(((self.run_requests as f64 - burst).max(0.0)) / self.run_seconds)
    }

    /// "12.3 req/s (limit 10)", or "… req/s" early; the limit as lowered by throttles.
    pub fn rate_text(&self) -> String {
        self.rate_text_under(self.ceiling)
    }

    /// [`Progress::rate_text`] under `ceiling` (the Scan pane knows its scan's before the first
    /// progress does), written as given ("10", "50.4").
    pub fn rate_text_under(&self, ceiling: f64) -> String {
        let rps = self.rps_under(ceiling).map_or("… req/s".to_string(), |r| format!("{r:.1} req/s"));
        let ceiling = ceiling.max(self.rate);
        if self.rate > 0.0 && self.rate < ceiling * 0.99 {
            format!("{rps} (limit {ceiling}, slowed to {:.1} by throttles)", self.rate)
        } else {
            format!("{rps} (limit {ceiling})")
        }
    }

    /// Said after a run of throttles: the service refuses, and when the scan gives up.
    pub fn throttle_warning(&self) -> Option<String> {
        (self.throttled_in_a_row >= super::THROTTLES_SAID).then(|| {
            format!(
                "the service throttled the last {} requests in a row: the scan stops at {}",
                self.throttled_in_a_row, self.max_throttles
            )
        })
    }

    /// Before the listing ends: " / 150+ listed so far", or " / ?" before its first page.
    pub fn listed_so_far(&self) -> String {
        match self.users_listed {
            0 => " / ?".to_string(),
            n => format!(" / {n}+ listed so far"),
        }
    }

    /// One line, for stderr.
    pub fn line(&self) -> String {
        let total = self.users_total.map_or_else(|| self.listed_so_far(), |t| format!(" / {t}"));
        let eta = self.eta().map_or(String::new(), |s| format!(" · ETA {}", hms(s)));
        let pinpoint = match self.pinpoint_requests {
            0 => String::new(),
            n => format!(" · Pinpoint {n}"),
        };
        let warning = self.throttle_warning().map_or(String::new(), |w| format!(" · {w}"));
        format!(
            "users {}{total} · endpoints {} ({} cannot receive) · {} · throttled {}{pinpoint}{eta}{warning}",
            self.users,
            self.endpoints,
            self.cannot_receive,
            self.rate_text(),
            self.throttled
        )
    }
}

/// Seconds of a run before its requests a second are shown.
pub const RPS_AFTER: f64 = 2.0;

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

    /// The first burst, over 20 ms, once read "252.9 req/s (limit 50.4)".
    #[test]
    fn the_rate_shown_never_reads_over_the_limit_for_its_first_burst() {
        let early =
            Progress { ceiling: 50.4, rate: 50.4, run_requests: 5, run_seconds: 0.02, ..Default::default() };
        assert_eq!(early.rate_text(), "… req/s (limit 50.4)");
        // Ten seconds at the limit: 504 requests plus the burst of 5.
        let full = Progress { run_requests: 509, run_seconds: 10.0, ..early.clone() };
        assert_eq!(full.rate_text(), "50.4 req/s (limit 50.4)");
        let slowed =
            Progress { rate: 2.5, ceiling: 10.0, run_requests: 40, run_seconds: 10.0, ..Default::default() };
        assert_eq!(slowed.rate_text(), "3.9 req/s (limit 10, slowed to 2.5 by throttles)");
        assert!(slowed.line().contains("users 0 / ?"), "the total not known yet: {}", slowed.line());
        let listing = Progress { users: 3, users_listed: 150, ..slowed };
        assert!(listing.line().contains("users 3 / 150+ listed so far"), "{}", listing.line());
    }

    #[test]
    fn a_run_of_throttles_is_said_with_where_the_scan_stops() {
        let p = Progress { throttled_in_a_row: 2, max_throttles: 30, ..Default::default() };
        assert_eq!(p.throttle_warning(), None);
        let p = Progress { throttled_in_a_row: 7, ..p };
        assert_eq!(
            p.throttle_warning().as_deref(),
            Some("the service throttled the last 7 requests in a row: the scan stops at 30")
        );
        assert!(p.line().ends_with("the scan stops at 30"), "{}", p.line());
    }
}
