//! The built-in defaults every mode starts from, in one place below everything that uses them:
//! the settings (which a flag or the config file overrides), the SDK client, the worker, the
//! scan and the browser take them from here, so none of them needs another for a number.

use std::time::Duration;

/// The browser's pace for its own Chime SDK Identity requests (lookups, pages, completions,
/// watch, writes), in requests/s: a fifth of the account's 50 requests/s, which production
/// shares (`--rate`, `[aws] rate`).
pub const RATE: f64 = 10.0;

/// Items asked for in one list page: the model's maximum MaxResults for the users and the
/// endpoints lists, for the browser and the scan alike.
pub const PAGE_SIZE: i32 = 50;

/// How long one request may take, retries included (`--timeout`, `[aws] timeout`).
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The most one answer's body may hold. The largest legal DescribeAppInstanceUserEndpoint is
/// about 10 KB (every member at its model maximum) and a page of 50 list summaries about
/// 200 KB; anything past this is not Chime SDK Identity talking, and reading stops there.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// A scan's pace in requests/s (`scan --rate`, `[scan] rate`, `:scan --rate`).
pub const SCAN_RATE: f64 = 10.0;

/// A scan's requests in flight (`scan --concurrency`, `[scan] concurrency`).
pub const SCAN_CONCURRENCY: usize = 8;

/// Throttles in a row (no other answer between them) after which a scan stops: a service that
/// refuses every request is not asked for ever at the floor rate (`--max-throttles`,
/// `[scan] max_throttles`).
pub const SCAN_MAX_THROTTLES: u64 = 30;

/// Endpoints a batch deregistration has in hand at once (two requests each, one after the
/// other); the rate is what limits it.
pub const BATCH_CONCURRENCY: usize = 4;
