//! Work that runs beside the screen and the commands: the client they start from
//! ([`connect()`]), the lookup worker (ids, cancel, panics caught), and the paging loop.
//!
//! - `connect.rs`: the client (and the embedded demo service) every mode starts from.
//! - `worker.rs`: requests with ids, one task each, answers on a channel, cancel.
//! - `paging.rs`: the NextToken guard and the every-page loop `list` and the browser share.
//! - `memberships.rs`: a user's channel memberships with their push preferences, every page,
//!   paced (the doctor's and the browser's).
//! - `rate.rs`: the pace of a client's requests (the token bucket and its AIMD rate), which the
//!   worker and the scan both go through.

mod connect;
pub mod memberships;
pub mod paging;
pub mod rate;
pub mod worker;

pub use connect::connect;
