//! The bounds of a list the service pages through, and the one guard every paging loop of the
//! client keeps ([`Pages`]): a service that repeats a NextToken, cycles through a few, hands
//! out tokens forever or more rows than its quotas allow is an invalid response, and the loop
//! stops before memory grows.
//!
//! The quotas (WIRE.md, "Quotas"): 100 app instances per account (so per region's list), 100,000
//! users per app instance, 10 endpoints per user. Every page but the last must bring at least one
//! row for the list to move on, so a list of at most N rows has at most N + 1 pages; the seen
//! tokens are kept as 64-bit keyed hashes (the key is random per list, so a service cannot aim
//! for a collision), at most one per page: memory stays flat whatever the service sends.

use super::{ErrorKind, ServiceError};
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

/// The longest NextToken the service model allows (`NextToken`, 0..2048).
pub const MAX_NEXT_TOKEN_LEN: usize = 2048;

/// Which list is paged: its operation and its quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// ListAppInstances: at most 100 app instances in an account's region.
    Instances,
    /// ListAppInstanceUsers: at most 100,000 users in an app instance.
    Users,
    /// ListAppInstanceUserEndpoints: at most 10 endpoints of a user.
    Endpoints,
    /// ListChannelMembershipsForAppInstanceUser: the channels of a user, bounded at 10,000 (no
    /// quota is published for it: the doctor's bound, far above any real user's).
    Memberships,
}

impl Listing {
    /// The most rows the list can have (the service's quota).
    pub const fn max_rows(self) -> u64 {
        match self {
            Self::Instances => 100,
            Self::Users => 100_000,
            Self::Endpoints => 10,
            Self::Memberships => 10_000,
        }
    }

    /// The most pages the list can take: each page but the last brings at least one row.
    pub const fn max_pages(self) -> u64 {
        self.max_rows() + 1
    }

    /// The operation, as the service model spells it.
    pub const fn operation(self) -> &'static str {
        match self {
            Self::Instances => "ListAppInstances",
            Self::Users => "ListAppInstanceUsers",
            Self::Endpoints => "ListAppInstanceUserEndpoints",
            Self::Memberships => "ListChannelMembershipsForAppInstanceUser",
        }
    }

    /// What the rows are and what holds them, for messages.
    fn rows_of(self) -> (&'static str, &'static str) {
        match self {
            Self::Instances => ("app instances", "an account's region"),
            Self::Users => ("users", "an app instance"),
            Self::Endpoints => ("endpoints", "a user"),
            Self::Memberships => ("channel memberships", "a user (the doctor's bound)"),
        }
    }
}

/// An answer that breaks the service's own rules: an [`ErrorKind::InvalidResponse`] naming the
/// operation, with a hint that says the client stopped rather than follow it.
pub fn invalid_response(operation: &str, message: impl Into<String>) -> ServiceError {
    let mut e = ServiceError::new(ErrorKind::InvalidResponse, message, operation);
    e.message = format!("{operation}: {}", e.message);
    e.hint = "the answer breaks the service's own rules (its quotas, the resource asked for), so chimescope stopped rather than believe it: is --endpoint-url really Chime SDK Identity?".into();
    e
}

/// One list as its pages arrive: the rows and pages so far and the tokens seen.
#[derive(Clone, Debug)]
pub struct Pages {
    listing: Listing,
    rows: u64,
    pages: u64,
    seen: HashSet<u64>,
    keys: RandomState,
}

impl Pages {
    pub fn new(listing: Listing) -> Self {
        Self::resumed(listing, 0)
    }

    /// A list taken up again with `rows` already counted (a scan resumed from its checkpoint);
    /// the tokens before it are not known.
    pub fn resumed(listing: Listing, rows: u64) -> Self {
        Self { listing, rows, pages: 0, seen: HashSet::new(), keys: RandomState::new() }
    }

    pub fn listing(&self) -> Listing {
        self.listing
    }

    /// The rows counted so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// A page of `rows` rows came with `token`: the token to ask for next (`None` at the end:
    /// no token, or an empty one), or the invalid response that stops the loop: more rows than
    /// the quota, more pages than those rows can take, a token seen before (a repeat or a
    /// cycle), a token longer than the model allows.
    pub fn next(&mut self, rows: usize, token: Option<&str>) -> Result<Option<String>, ServiceError> {
        let l = self.listing;
        let (what, holder) = l.rows_of();
        self.pages += 1;
        self.rows = self.rows.saturating_add(rows as u64);
        if self.rows > l.max_rows() {
            return Err(invalid_response(
                l.operation(),
                format!(
                    "the service listed {} {what} or more; {holder} has at most {} (the service's quota)",
                    self.rows,
                    l.max_rows()
                ),
            ));
        }
        let Some(t) = token.filter(|t| !t.is_empty()) else { return Ok(None) };
        if t.len() > MAX_NEXT_TOKEN_LEN {
            return Err(invalid_response(
                l.operation(),
                format!(
                    "the service sent a NextToken of {} bytes; the model allows at most {MAX_NEXT_TOKEN_LEN}",
                    t.len()
                ),
            ));
        }
        if self.pages >= l.max_pages() {
            return Err(invalid_response(
                l.operation(),
                format!(
                    "the service sent a NextToken after {} pages holding {} {what}; {holder} has at most {} (a paging loop)",
                    self.pages,
                    self.rows,
                    l.max_rows()
                ),
            ));
        }
        if !self.seen.insert(self.keys.hash_one(t)) {
            return Err(invalid_response(
                l.operation(),
                format!(
                    "the service sent the NextToken of an earlier page again after {} pages (a paging loop)",
                    self.pages
                ),
            ));
        }
        Ok(Some(t.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_seen_before_stops_the_list_and_names_the_operation() {
        let mut p = Pages::new(Listing::Users);
        assert_eq!(p.next(1, Some("A")).unwrap(), Some("A".into()));
        assert_eq!(p.next(1, Some("B")).unwrap(), Some("B".into()));
        let e = p.next(1, Some("A")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidResponse);
        assert!(e.message.starts_with("ListAppInstanceUsers: "), "{e}");
        assert!(e.message.contains("NextToken of an earlier page again"), "{e}");
        let mut p = Pages::new(Listing::Users);
        assert_eq!(p.next(0, Some("")).unwrap(), None);
        assert_eq!(Pages::new(Listing::Users).next(3, None).unwrap(), None);
    }

    #[test]
    fn more_rows_than_the_quota_is_an_invalid_response() {
        let mut p = Pages::new(Listing::Endpoints);
        assert_eq!(p.next(10, None).unwrap(), None);
        let mut p = Pages::new(Listing::Endpoints);
        p.next(6, Some("t")).unwrap();
        let e = p.next(5, None).unwrap_err();
        assert!(e.message.contains("11 endpoints or more; a user has at most 10"), "{e}");
        let e = Pages::resumed(Listing::Users, 99_999).next(2, Some("t")).unwrap_err();
        assert!(e.message.contains("an app instance has at most 100000"), "{e}");
    }

    #[test]
    fn endless_distinct_tokens_stop_at_the_page_bound() {
        let mut p = Pages::new(Listing::Instances);
        let mut asked = 0;
        let e = loop {
            asked += 1;
            match p.next(0, Some(&format!("t{asked}"))) {
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        assert_eq!(asked, Listing::Instances.max_pages());
        assert!(e.message.contains("(a paging loop)"), "{e}");
        let long = "x".repeat(MAX_NEXT_TOKEN_LEN + 1);
        let e = Pages::new(Listing::Users).next(1, Some(&long)).unwrap_err();
        assert!(e.message.contains("NextToken of 2049 bytes"), "{e}");
    }
}
