//! The domain: endpoints and the list summaries, ARNs and the other inputs, failures, time and
//! terminal-safe text. Nothing here knows about the SDK, the runtime, the screen or files;
//! `aws/` converts into these types and every other layer uses them.
//!
//! - `endpoint.rs`: [`Endpoint`], the summaries, their enums and their JSON form.
//! - `arn.rs`: parsing and checking what a person types (user ARNs, app-instance ARNs, IDs).
//! - `error.rs`: [`ServiceError`] and [`ErrorKind`], every way a request can fail.
//! - `time.rs`: [`Timestamp`] and "how long ago" in words.
//! - `pinpoint.rs`: the Pinpoint app and channel answers the doctor reads.
//! - `write.rs`: the endpoint writes (register, update, deregister) and their input checks.
//! - `paging.rs`: the bounds of a paged list ([`paging::Pages`]: quotas, seen tokens).
//! - `answer.rs`: checks of what the service answered (rows, the resource named).
//! - `text.rs`: escaping for the terminal, masks, counted nouns.
//! - this file: regions, where requests go ([`Target`]), pages.

pub mod answer;
pub mod arn;
pub mod endpoint;
pub mod error;
pub mod messaging;
pub mod paging;
pub mod pinpoint;
pub mod push;
pub mod text;
pub mod time;
pub mod write;

pub use arn::*;
pub use endpoint::*;
pub use error::{ErrorKind, ServiceError};
pub use pinpoint::{ChannelInfo, PinpointApp, PinpointChannel};
pub use text::{count_of, csv_cell, escape_control, has_hidden, json_pretty, mask};
pub use time::{Timestamp, relative_time};

/// Regions that have a Chime SDK Identity endpoint (WIRE.md, "Service").
pub const IDENTITY_REGIONS: &[&str] = &["us-east-1", "eu-central-1"];

/// One page of a list operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

/// Where requests go, for the status bar and the `c` copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Aws,
    Custom(String),
    Demo(String),
}

/// The region a request goes to: `--region` wins; then the region in the ARN; then the
/// profile's or environment's (`default`).
pub fn choose_region(flag: Option<&str>, arn_region: Option<&str>, default: &str) -> String {
    flag.or(arn_region.filter(|r| !r.is_empty())).unwrap_or(default).to_string()
}

/// The user ID at the end of a user ARN (`…/user/u-42` → `u-42`), or the ARN itself when it
/// names no user: the short form lists show.
pub fn short_user(arn: &str) -> &str {
    match arn.find("/user/") {
        Some(i) if i + "/user/".len() < arn.len() => &arn[i + "/user/".len()..],
        _ => arn,
    }
}

/// A warning when a region has no Chime SDK Identity endpoint.
pub fn region_warning(region: &str) -> Option<String> {
    if IDENTITY_REGIONS.contains(&region) {
        None
    } else {
        Some(format!(
            "region {region} has no Chime SDK Identity endpoint; it exists in {} only",
            IDENTITY_REGIONS.join(" and ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_warning_names_the_regions() {
        assert!(region_warning("us-east-1").is_none());
        let w = region_warning("ap-south-1").unwrap();
        assert!(w.contains("us-east-1") && w.contains("eu-central-1"));
    }
}
