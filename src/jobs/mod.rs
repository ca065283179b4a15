//! Work that runs beside the screen and the commands: the client they start from
//! ([`connect()`]), the lookup worker (ids, cancel, panics caught), and the paging loop.
//!
//! - `connect.rs`: the client (and the embedded demo service) every mode starts from.
//! - `worker.rs`: requests with ids, one task each, answers on a channel, cancel.
//! - `paging.rs`: the NextToken guard and the every-page loop `list` and the browser share.
//! - `rate.rs`: the pace of a client's requests (the token bucket and its AIMD rate), which the
//!   worker and the scan both go through.

mod connect;
pub mod paging;
pub mod rate;
pub mod worker;

pub use connect::connect;
