//! Time in the domain: [`Timestamp`], a point in time as the wire carries it (epoch seconds,
//! fractions to the microsecond), and how long ago something happened, in words: one wording
//! for every pane and command (the Recent pane, the detail pane's times and its "From history"
//! line, `chimescope history`).

use serde::de::{self, Deserializer, Visitor};
use serde_json::{Value, json};
use std::fmt;

/// A point in time, to the microsecond: the wire's epoch seconds (fractions allowed, rounded
/// to whole microseconds as the service sends them), between the years -9999 and 9999.
/// Ordered and compared exactly: two times that went through a decimal JSON number are equal
/// when they were equal before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(jiff::Timestamp);

impl Default for Timestamp {
    fn default() -> Self {
        Self::UNIX_EPOCH
    }
}

impl Timestamp {
    pub const UNIX_EPOCH: Timestamp = Timestamp(jiff::Timestamp::UNIX_EPOCH);
    /// The earliest time there is (sorts before every other).
    pub const MIN: Timestamp = Timestamp(jiff::Timestamp::MIN);

    /// Epoch seconds, rounded to whole microseconds; `None` when not a number or outside the
    /// years -9999 to 9999. For anything read from outside.
    pub fn try_from_secs(secs: f64) -> Option<Self> {
        if !secs.is_finite() {
            return None;
        }
        // An f64 of today's epoch seconds resolves about a quarter of a microsecond, so round
        // to whole microseconds: 1700000000.123 is .123, not .122999907.
        let micros = (secs * 1e6).round();
        if micros.abs() >= 9.0e18 {
            return None;
        }
        jiff::Timestamp::from_microsecond(micros as i64).ok().map(Self)
    }

    /// Epoch seconds for a time known to be sane (tests, constants): like
    /// [`try_from_secs`](Self::try_from_secs), with what is out of range clamped to the ends
    /// of it and what is not a number read as the epoch.
    pub fn from_secs(secs: f64) -> Self {
        Self::try_from_secs(secs).unwrap_or(if secs.is_nan() {
            Self::UNIX_EPOCH
        } else if secs > 0.0 {
            Self(jiff::Timestamp::MAX)
        } else {
            Self(jiff::Timestamp::MIN)
        })
    }

    /// A wall-clock time, to the millisecond (as the history records it).
    pub fn from_jiff_millis(t: jiff::Timestamp) -> Self {
        Self(jiff::Timestamp::from_millisecond(t.as_millisecond()).unwrap_or(t))
    }

    /// The current time, to the millisecond.
    pub fn now() -> Self {
        Self::from_jiff_millis(jiff::Timestamp::now())
    }

    pub fn to_jiff(self) -> jiff::Timestamp {
        self.0
    }

    /// Epoch seconds, fractions included.
    pub fn as_secs_f64(self) -> f64 {
        self.0.as_microsecond() as f64 / 1e6
    }

    /// The whole second this time falls in (rounded down).
    pub fn floor_second(self) -> Self {
        let secs = self.0.as_microsecond().div_euclid(1_000_000);
        Self(jiff::Timestamp::from_second(secs).unwrap_or(self.0))
    }

    /// RFC 3339 in UTC, e.g. `2023-11-14T22:13:20Z` (fractions only when present).
    pub fn rfc3339(self) -> String {
        self.0.to_string()
    }

    /// The wire form: an integer when whole, otherwise the float.
    pub fn to_json(self) -> Value {
        let micros = self.0.as_microsecond();
        if micros % 1_000_000 == 0 { json!(micros / 1_000_000) } else { json!(self.as_secs_f64()) }
    }

    /// Parse a JSON timestamp: epoch seconds (a number) or, leniently, an RFC 3339 string.
    pub fn from_json(v: &Value) -> Result<Self, String> {
        serde::Deserialize::deserialize(v).map_err(|e: serde_json::Error| e.to_string())
    }
}

/// Epoch seconds (a number) or, leniently, an RFC 3339 string.
impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("epoch seconds (a number) or an RFC 3339 string")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Timestamp::try_from_secs(v).ok_or_else(|| E::custom(OUT_OF_RANGE))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                jiff::Timestamp::from_second(v).map(Timestamp).map_err(|_| E::custom(OUT_OF_RANGE))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v).map_or_else(|_| Err(E::custom(OUT_OF_RANGE)), |v| self.visit_i64(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                v.parse::<jiff::Timestamp>()
                    .map(Timestamp::from_jiff_micros)
                    .map_err(|e| E::custom(format!("not a timestamp: {e}")))
            }
        }
        d.deserialize_any(V)
    }
}

const OUT_OF_RANGE: &str = "a timestamp must be epoch seconds between the years -9999 and 9999";

impl Timestamp {
    /// A time to the microsecond (what the wire can carry), rounded down.
    fn from_jiff_micros(t: jiff::Timestamp) -> Self {
        Self(jiff::Timestamp::from_microsecond(t.as_microsecond()).unwrap_or(t))
    }
}

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
    let d = now.0.as_microsecond() - then.0.as_microsecond();
    let s = d.unsigned_abs() / 1_000_000;
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
    if d >= 0 { format!("{n} {unit} ago") } else { format!("in {n} {unit}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let t = |d: f64| relative_time(Timestamp::from_secs(1000.0), Timestamp::from_secs(1000.0 + d));
        assert_eq!(t(0.0), "just now");
        assert_eq!(t(42.0), "42 s ago");
        assert_eq!(t(12.0 * 60.0 + 5.0), "12 min ago");
        assert_eq!(t(3.0 * 3600.0), "3 h ago");
        assert_eq!(t(5.0 * 86_400.0), "5 d ago");
        assert_eq!(t(-100.0), "in 1 min");
        // What is not a number is no Timestamp (it used to print "?").
        assert_eq!(Timestamp::try_from_secs(f64::NAN), None);
    }

    #[test]
    fn ages_read_like_a_person_says_them() {
        let now = 1_735_689_600.0; // 2025-01-01T00:00:00Z
        let ago = |secs: f64| relative_time(Timestamp::from_secs(now - secs), Timestamp::from_secs(now));
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

#[cfg(test)]
mod timestamp_tests {
    use super::*;

    #[test]
    fn wire_seconds_round_to_microseconds_and_compare_exactly() {
        let t = Timestamp::try_from_secs(1_700_000_000.123).unwrap();
        assert_eq!(t.rfc3339(), "2023-11-14T22:13:20.123Z");
        assert_eq!(t.to_json(), json!(1_700_000_000.123));
        // Through a decimal JSON number and back: the same time, no epsilon needed.
        let back = Timestamp::from_json(&serde_json::from_str(&t.to_json().to_string()).unwrap()).unwrap();
        assert_eq!(back, t);
        assert_eq!(Timestamp::from_secs(17.0).to_json(), json!(17));
        assert_eq!(
            Timestamp::from_json(&json!("2023-11-14T22:13:20.5Z")).unwrap().as_secs_f64(),
            1_700_000_000.5
        );
        assert!(Timestamp::from_json(&json!(1e300)).is_err());
        assert!(Timestamp::from_json(&json!("yesterday")).is_err());
        assert_eq!(Timestamp::from_secs(-1.5).floor_second(), Timestamp::from_secs(-2.0));
        assert!(Timestamp::MIN < Timestamp::from_secs(-1e11));
    }
}
