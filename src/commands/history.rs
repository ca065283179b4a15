//! `chimescope history [--output json|text]`: the recent lookups, for scripts.

use super::format::Format;
use super::text::table;
use crate::model::{Timestamp, escape_control, relative_time};
use crate::store::history::{Entry, History, Options, now};
use std::path::PathBuf;

/// One line of `history --output text`: relative time, absolute time (UTC), dot and status
/// word, endpoint ID, short user, region; tab-separated, control characters escaped.
pub fn text_line(e: &Entry, now: Timestamp) -> String {
    let dot = if e.is_failed() { "✗" } else { "●" };
    format!(
        "{}\t{}\t{dot} {}\t{}\t{}\t{}",
        relative_time(e.time, now),
        e.time.floor_second().rfc3339(),
        escape_control(e.status_word()),
        escape_control(&e.endpoint_id),
        escape_control(e.short_user()),
        escape_control(&e.region),
    )
}

/// `chimescope history [--output json|text]`: the recent lookups for scripts. JSON is the
/// document as stored; text is one [`text_line`] per entry, newest first. A damaged file is
/// reported on stderr and reads as empty; the exit code is 0 unless stdout fails.
pub fn print(fmt: &Format) -> i32 {
    let (history, unread) = match crate::store::paths::history_file() {
        Some(path) => {
            let loaded = History::load_with(&path, Options { cap: usize::MAX, store_secrets: true });
            if let Some(w) = &loaded.warning {
                crate::say!("chimescope: warning: {w}");
            }
            let refused = loaded.history.refused().is_some();
            (loaded.history, refused)
        }
        None => {
            crate::say!("chimescope: warning: no home directory, so no history");
            (History::new(PathBuf::new(), Options { cap: usize::MAX, store_secrets: true }), true)
        }
    };
    // A file left alone (a FIFO, a device, a link): the warning on stderr says why it was not
    // read, and "no recent lookups yet" would claim that it held none.
    fmt.print("History", &history.to_json(), || {
        if unread { String::new() } else { history_text(history.entries(), now(), Some(history.path())) }
    })
}

/// `history --output text`: a header and one row per lookup, newest first; an empty history
/// says so (and where it is kept).
pub fn history_text(
    entries: &[crate::store::history::Entry],
    now: Timestamp,
    path: Option<&std::path::Path>,
) -> String {
    if entries.is_empty() {
        return match path.filter(|p| !p.as_os_str().is_empty()) {
            Some(p) => format!(
                "No recent lookups yet (they are kept in {}).\n",
                escape_control(&p.display().to_string())
            ),
            None => "No recent lookups yet.\n".into(),
        };
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let dot = if e.is_failed() { "✗" } else { "●" };
            vec![
                relative_time(e.time, now),
                e.time.floor_second().rfc3339(),
                format!("{dot} {}", e.status_word()),
                e.endpoint_id.clone(),
                e.short_user().to_string(),
                e.region.clone(),
            ]
        })
        .collect();
    table(&["WHEN", "TIME (UTC)", "RESULT", "ENDPOINT ID", "USER", "REGION"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::history::fixtures::{ARN, failed, found};
    use crate::store::history::short_user;

    #[test]
    fn short_users_and_text_lines() {
        assert_eq!(short_user(ARN), "u-42");
        assert_eq!(short_user("not-an-arn"), "not-an-arn");
        let line = text_line(&found("ep-1", 1_700_000_000.5), Timestamp::from_secs(1_700_000_721.0));
        assert_eq!(line, "12 min ago\t2023-11-14T22:13:20Z\t● ACTIVE\tep-1\tu-42\tus-east-1");
        let line = text_line(&failed("ep\u{1b}[2J", 1_700_000_000.0), Timestamp::from_secs(1_700_000_000.0));
        assert_eq!(line, "just now\t2023-11-14T22:13:20Z\t✗ throttled\tep\\e[2J\tu-42\tus-east-1");
    }
}
