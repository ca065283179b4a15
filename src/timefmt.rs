//! How long ago something happened, in words: one wording for every pane and command (the
//! Recent pane, the detail pane's times and its "From history" line, `chimescope history`).

use crate::model::Timestamp;

/// "just now", "42 s ago", "12 min ago", "3 h ago", "5 d ago", "3 months ago", "1 year ago";
/// a time after `now` (a clock that went back, a skewed server) reads "in 2 h". Whole units,
/// rounded down; "?" when either time is not a number.
pub fn relative_time(then: Timestamp, now: Timestamp) -> String {
    const MIN: u64 = 60;
    const HOUR: u64 = 3600;
    const DAY: u64 = 86_400;
    const MONTH: u64 = 30 * DAY;
    /// Days up to a month and a half, then months up to a year.
    const DAYS_UNTIL: u64 = 45 * DAY;
    const YEAR: u64 = 365 * DAY;
    let d = now.0 - then.0;
    if !d.is_finite() {
        return "?".into();
    }
    let s = d.abs() as u64;
    let plural = |n: u64, one: &'static str, many: &'static str| (n, if n == 1 { one } else { many });
    let (n, unit) = match s {
        0..5 => return "just now".into(),
        5..MIN => (s, "s"),
        MIN..HOUR => (s / MIN, "min"),
        HOUR..DAY => (s / HOUR, "h"),
        DAY..DAYS_UNTIL => (s / DAY, "d"),
        DAYS_UNTIL..YEAR => plural(s / MONTH, "month", "months"),
        _ => plural(s / YEAR, "year", "years"),
    };
    if d >= 0.0 { format!("{n} {unit} ago") } else { format!("in {n} {unit}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let t = |d: f64| relative_time(Timestamp(1000.0), Timestamp(1000.0 + d));
        assert_eq!(t(0.0), "just now");
        assert_eq!(t(42.0), "42 s ago");
        assert_eq!(t(12.0 * 60.0 + 5.0), "12 min ago");
        assert_eq!(t(3.0 * 3600.0), "3 h ago");
        assert_eq!(t(5.0 * 86_400.0), "5 d ago");
        assert_eq!(t(-100.0), "in 1 min");
        assert_eq!(t(f64::NAN), "?");
    }

    #[test]
    fn ages_read_like_a_person_says_them() {
        let now = 1_735_689_600.0; // 2025-01-01T00:00:00Z
        let ago = |secs: f64| relative_time(Timestamp(now - secs), Timestamp(now));
        assert_eq!(ago(4.0), "just now");
        assert_eq!(ago(10.0), "10 s ago");
        assert_eq!(ago(60.0), "1 min ago");
        assert_eq!(ago(12.0 * 60.0), "12 min ago");
        assert_eq!(ago(3.0 * 3600.0), "3 h ago");
        assert_eq!(ago(3.0 * 86_400.0), "3 d ago");
        assert_eq!(ago(44.0 * 86_400.0), "44 d ago");
        assert_eq!(ago(45.0 * 86_400.0), "1 month ago");
        assert_eq!(ago(100.0 * 86_400.0), "3 months ago");
        assert_eq!(ago(40.0 * 86_400.0 * 1.5), "2 months ago");
        assert_eq!(ago(400.0 * 86_400.0), "1 year ago");
        assert_eq!(ago(800.0 * 86_400.0), "2 years ago");
        assert_eq!(ago(-7200.0), "in 2 h");
    }
}
