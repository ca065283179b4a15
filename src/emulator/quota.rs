//! Request quotas as token buckets, one set per account: `*` is the account-wide bucket, any
//! other name an operation's. A bucket of rate R holds at most max(R, 1) requests (the burst)
//! and refills at R a second; a request is served only when every bucket that applies has a
//! whole request in it, and then takes one from each. The arithmetic is in integers (one
//! request is 10^12 units, a nanosecond refills R·1000 units), so over any window of T seconds
//! a bucket serves at most R·T + burst requests, exactly.

use std::collections::HashMap;

/// The documented rates (Amazon Chime SDK endpoints and quotas).
pub const AWS: &[(&str, f64)] = &[
    ("*", 50.0),
    ("ListAppInstanceUsers", 10.0),
    ("DescribeAppInstanceUser", 20.0),
    ("CreateAppInstanceUser", 10.0),
    ("UpdateAppInstanceUser", 10.0),
    ("DeleteAppInstanceUser", 10.0),
];

const UNIT: i128 = 1_000_000_000_000;
/// The slowest rate a bucket can hold: one request in 1,000 s (rates are kept in thousandths).
pub const MIN_RATE: f64 = 0.001;
/// The fastest: far above any documented quota, and small enough that no bucket arithmetic
/// overflows.
pub const MAX_RATE: f64 = 1_000_000.0;

#[derive(Clone, Debug)]
struct Bucket {
    /// Milli-requests per second.
    milli_rate: i128,
    capacity: i128,
    units: i128,
    last_ns: i128,
}

impl Bucket {
    fn new(rate: f64, now_ns: i128) -> Self {
        let milli_rate = ((rate * 1000.0).round() as i128).max(1);
        let capacity = (milli_rate * 1_000_000_000).max(UNIT);
        Self { milli_rate, capacity, units: capacity, last_ns: now_ns }
    }

    fn refill(&mut self, now_ns: i128) {
        let dt = now_ns.saturating_sub(self.last_ns).max(0);
        self.units = self.units.saturating_add(dt.saturating_mul(self.milli_rate)).min(self.capacity);
        self.last_ns = self.last_ns.max(now_ns);
    }
}

/// The configured rates and the buckets of every account seen.
#[derive(Debug, Default)]
pub struct Quotas {
    rates: HashMap<String, f64>,
    buckets: HashMap<(String, String), Bucket>,
}

impl Quotas {
    /// `rates`: bucket name (`*` or an operation) → requests per second.
    pub fn new(rates: impl IntoIterator<Item = (String, f64)>) -> Self {
        Self { rates: rates.into_iter().collect(), buckets: HashMap::new() }
    }

    pub fn is_empty(&self) -> bool {
        self.rates.is_empty()
    }

    /// Whether `account` may make a request of `operation` at `now_ns` (any monotonic clock
    /// in nanoseconds); when it may, the request is counted.
    pub fn admit(&mut self, account: &str, operation: &str, now_ns: i128) -> bool {
        let names: Vec<&str> = ["*", operation].into_iter().filter(|n| self.rates.contains_key(*n)).collect();
        for n in &names {
            let rate = self.rates[*n];
            let b = self
                .buckets
                .entry((account.to_string(), n.to_string()))
                .or_insert_with(|| Bucket::new(rate, now_ns));
            b.refill(now_ns);
            if b.units < UNIT {
                return false;
            }
        }
        for n in &names {
            if let Some(b) = self.buckets.get_mut(&(account.to_string(), n.to_string())) {
                b.units -= UNIT;
            }
        }
        true
    }

    /// Forget every bucket (they start full again).
    pub fn reset(&mut self) {
        self.buckets.clear();
    }
}

/// Parse `OPERATION=RATE` (`*` the account-wide bucket); `operations` are the known names.
pub fn parse(spec: &str, operations: &[&str]) -> Result<(String, f64), String> {
    let (op, rate) = spec.split_once('=').ok_or_else(|| {
        format!(
            "--quota {spec:?}: expected OPERATION=RATE (requests per second), e.g. ListAppInstanceUsers=10"
        )
    })?;
    if op != "*" && !operations.contains(&op) {
        return Err(format!(
            "--quota {spec:?}: unknown operation {op:?} (an operation of the service, or *)"
        ));
    }
    let rate: f64 = rate.parse().ok().filter(|r: &f64| (MIN_RATE..=MAX_RATE).contains(r)).ok_or_else(|| {
        format!(
            "--quota {spec:?}: RATE must be a number of requests per second from {MIN_RATE} to {MAX_RATE} \
             (not NaN, infinite, zero or negative)"
        )
    })?;
    Ok((op.to_string(), rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: i128 = 1_000_000_000;

    #[test]
    fn over_ten_seconds_a_bucket_serves_rate_times_ten_plus_its_burst() {
        for rate in [1.0, 10.0, 20.0, 50.0, 2.5] {
            let mut q = Quotas::new([("ListAppInstanceUsers".to_string(), rate)]);
            // A request every millisecond for 10 s (10,001 attempts, both ends included).
            let served =
                (0..=10_000).filter(|ms| q.admit("a", "ListAppInstanceUsers", ms * 1_000_000)).count();
            let burst = rate.max(1.0);
            assert_eq!(served as f64, (rate * 10.0 + burst).floor(), "rate {rate}");
        }
    }

    #[test]
    fn the_account_bucket_and_the_operation_bucket_both_apply_and_accounts_are_apart() {
        let mut q = Quotas::new(AWS.iter().map(|(n, r)| (n.to_string(), *r)));
        let at = 5 * SEC;
        let ok = (0..30).filter(|_| q.admit("a", "DescribeAppInstanceUser", at)).count();
        assert_eq!(ok, 20, "DescribeAppInstanceUser's burst is 20");
        let ok = (0..100).filter(|_| q.admit("a", "DescribeAppInstance", at)).count();
        assert_eq!(ok, 30, "the 50 of the account less the 20 already spent");
        assert!(q.admit("b", "DescribeAppInstance", at), "another account has its own buckets");
        assert!(!q.admit("a", "DescribeAppInstance", at + SEC / 100), "0.5 of a request refilled");
        assert!(q.admit("a", "DescribeAppInstance", at + SEC / 50), "one whole request refilled");
        // A refused request takes nothing: the operation bucket stays untouched when the
        // account bucket is empty.
        assert!(!q.admit("a", "DescribeAppInstanceUser", at + SEC / 50));
        assert!(q.admit("a", "DescribeAppInstanceUser", at + SEC / 20));
    }

    #[test]
    fn a_clock_that_goes_back_refills_nothing() {
        let mut q = Quotas::new([("*".to_string(), 1.0)]);
        assert!(q.admit("a", "X", 10 * SEC));
        assert!(!q.admit("a", "X", 5 * SEC));
        assert!(!q.admit("a", "X", 10 * SEC + SEC / 2));
        assert!(q.admit("a", "X", 11 * SEC));
    }

    #[test]
    fn specs_parse() {
        let ops = ["ListAppInstances"];
        assert_eq!(parse("*=50", &ops).unwrap(), ("*".to_string(), 50.0));
        assert_eq!(parse("ListAppInstances=0.5", &ops).unwrap().1, 0.5);
        for bad in ["x", "Nope=1", "*=0", "*=-1", "*=abc", "*=inf", "*=NaN", "*=1e308", "*=1e7", "*=0.0001"] {
            assert!(parse(bad, &ops).is_err(), "{bad}");
        }
    }
}
